"""The human figure of a fact: money in words, percentages, folds, ranks and counted nouns."""

from __future__ import annotations

import pytest

from kortrade.display import figure, ordinal
from kortrade.model import Number


@pytest.mark.parametrize(
    ("value", "qualifier", "expected"),
    [
        (328080000000, "exact", "$328.08 billion"),
        (45000000000, "about", "about $45 billion"),
        (1_500_000, "exact", "$1.5 million"),
        (2_000_000_000_000, "exact", "$2 trillion"),
        (1_234_500_000_000, "over", "over $1.2345 trillion"),
        (999, "exact", "$999"),
        (999_999, "under", "under $999,999"),
        (1_000_000, "exact", "$1 million"),
        (1_000_000_000, "exact", "$1 billion"),
        (0, "exact", "$0"),
        (-5_000_000, "exact", "-$5 million"),
        (-999, "about", "about -$999"),
        (2.5, "exact", "$2.5"),
        (1_500_000.0, "exact", "$1.5 million"),
        (4_000_000_000_000_000, "exact", "$4000 trillion"),
    ],
)
def test_usd(value: Number, qualifier: str, expected: str) -> None:
    assert figure(value, "USD", qualifier) == expected


@pytest.mark.parametrize(
    ("value", "qualifier", "expected"),
    [
        (54, "about", "about 54%"),
        (0.1, "exact", "0.1%"),
        (12.5, "over", "over 12.5%"),
        (100, "exact", "100%"),
        (1e-7, "exact", "0.0000001%"),
        (2.0, "exact", "2%"),
        (-3, "under", "-(under 3%)"),
        (1234, "exact", "1234%"),
    ],
)
def test_percent(value: Number, qualifier: str, expected: str) -> None:
    assert figure(value, "percent", qualifier) == expected


@pytest.mark.parametrize(
    ("value", "qualifier", "expected"),
    [(60, "over", "over 60-fold"), (2.5, "exact", "2.5-fold"), (10, "about", "about 10-fold")],
)
def test_fold(value: Number, qualifier: str, expected: str) -> None:
    assert figure(value, "fold", qualifier) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0th"),
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (10, "10th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (20, "20th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (101, "101st"),
        (102, "102nd"),
        (111, "111th"),
        (112, "112th"),
        (113, "113th"),
        (1001, "1001st"),
    ],
)
def test_ordinal(n: int, expected: str) -> None:
    assert ordinal(n) == expected


@pytest.mark.parametrize(("n", "expected"), [(2, "2nd"), (1, "1st"), (11, "11th"), (22, "22nd")])
def test_rank(n: int, expected: str) -> None:
    assert figure(n, "rank", "exact") == expected


def test_rank_with_hedge() -> None:
    assert figure(3, "rank", "over") == "over 3rd"


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (1234, "documents", "1,234 documents"),
        (15, "documents", "15 documents"),
        (1, "years", "1 year"),
        (21, "years", "21 years"),
        (1, "business leaders", "1 business leader"),
        (200, "business leaders", "200 business leaders"),
        (1_000_000, "people", "1,000,000 people"),
        (1.0, "years", "1 year"),
        (1.5, "years", "1.5 years"),
        (0, "documents", "0 documents"),
        (1, "kg", "1 kg"),
    ],
)
def test_counted_nouns(value: Number, unit: str, expected: str) -> None:
    assert figure(value, unit, "exact") == expected


def test_counted_noun_with_hedge() -> None:
    assert figure(200, "business leaders", "over") == "over 200 business leaders"


@pytest.mark.parametrize(
    ("qualifier", "expected"),
    [("exact", "54%"), (None, "54%"), ("about", "about 54%"), ("over", "over 54%"), ("under", "under 54%")],
)
def test_hedges(qualifier: str | None, expected: str) -> None:
    assert figure(54, "percent", qualifier) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.1, "0.1%"),
        (0.2, "0.2%"),
        (0.3, "0.3%"),
        (1.1, "1.1%"),
        (33.33, "33.33%"),
        (0.1 + 0.2, "0.30000000000000004%"),
    ],
)
def test_floats_are_shown_exactly_as_written(value: float, expected: str) -> None:
    assert figure(value, "percent", "exact") == expected


def test_float_money_is_exact() -> None:
    assert figure(0.1, "USD", "exact") == "$0.1"
    assert figure(328.08e9, "USD", "exact") == "$328.08 billion"


def test_no_value_means_no_figure() -> None:
    assert figure(None, "USD", "about") is None
    assert figure(None, None, None) is None
    assert figure(5, None, "about") is None
