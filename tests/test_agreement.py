"""When figures agree (kortrade.agreement): each figure read as the range its wording allows.

Every expected value here is worked out by hand from the rules in the module's
docstring: a figure covers what rounds to it or is cut off to it at its last
stated digit (half a step below, up to a whole step above), a whole number of
1,000 or more does not state its trailing zeros, ``about`` widens by 5% (never to
less than that), ``nearly`` reaches 5% (at least one step) below, and touching
ends do not overlap.
"""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from kortrade.agreement import (
    Reading,
    agrees,
    by_statistics,
    flags_of,
    judge,
    read_figure,
    reading_of,
    reference_of,
    step,
)
from kortrade.model import QUALIFIERS
from kortrade.records import Record

SETTINGS = settings(max_examples=300, deadline=None)
KR, CN = "Republic of Korea", "China"


def fact(
    value: int | float | None = None,
    *,
    unit: str | None = "USD",
    qualifier: str | None = "exact",
    decimals: int | None = None,
    country: str | None = None,
    basis: list[str] | None = None,
    start: str | None = None,
    end: str | None = None,
    text: str | None = None,
) -> Record:
    """The keys of a fact record that the rules read."""
    return {
        "value": value,
        "unit": unit if value is not None else None,
        "qualifier": qualifier if value is not None else None,
        "decimals": decimals,
        "basis": basis if basis is not None else ([f"{country} customs"] if country else []),
        "basis_country": country,
        "period_start": start,
        "period_end": end,
        "value_text": text,
    }


# -- step: the place value of the last stated digit ---------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "expected"),
    [
        (328_080_000_000, "USD", None, 10_000_000),  # $328.08 billion: to the hundredth of a billion
        (45_000_000_000, "USD", None, 1_000_000_000),  # $45 billion
        (18_000_000_000, "USD", 1, 100_000_000),  # $18.0 billion: decimals keeps the .0
        (18_010_000_000, "USD", None, 10_000_000),  # $18.01 billion
        (-18_100_000_000, "USD", None, 100_000_000),  # a deficit: its size
        (1_500_000_000_000, "USD", None, 100_000_000_000),  # $1.5 trillion
        (500_000, "USD", None, 100_000),  # under a million: trailing zeros unstated
        (64_927_500_000_000, "KRW", None, 100_000_000),  # 64.9275 trillion won
        (1_620_000_000, "CNY", None, 10_000_000),  # 1.62 billion yuan
        (1_980_000, "people", None, 10_000),  # 1,980,000 people: to the nearest 10,000
        (1_980_000, "people", 0, 1),  # ... unless the source wrote the zeros
        (1_000, "people", None, 1_000),
        (2_500, "firms", None, 100),
        (1_050, "firms", None, 10),
        (1_234, "flights", None, 1),
        (200, "documents", None, 1),  # under 1,000 every digit counts
        (15, "documents", None, 1),
        (54, "percent", None, 1),
        (18, "percent", 1, 0.1),  # 18.0%
        (18.0, "percent", 1, 0.1),
        (18.0, "percent", None, 1),
        (54.5, "percent", None, 0.1),
        (0.25, "percent", None, 0.01),
        (60, "fold", None, 1),
        (2, "rank", None, 1),
        (0, "percent", None, 1),
    ],
)
def test_step(value: int | float, unit: str, decimals: int | None, expected: float) -> None:
    assert step(value, unit, decimals) == pytest.approx(expected, rel=1e-12)


def test_decimals_never_reduce_the_stated_places() -> None:
    # 18.05 with decimals 1 still states two places.
    assert step(18.05, "percent", 1) == pytest.approx(0.01)


# -- read_figure: every hedge --------------------------------------------------------------


def test_exact_billions_read_to_their_last_digit() -> None:
    # Rounded (from 328.075) or cut off (up to, not including, 328.09).
    expected = Reading(328_075_000_000, 328_090_000_000, high_open=True)
    assert read_figure(328_080_000_000, "USD", "exact", None) == expected


def test_a_cut_off_figure_agrees_with_the_longer_one() -> None:
    # Pages give 6.37911 billion as "$6.37 billion" (cut off) and "$6.38 billion" (rounded).
    full = read_figure(6_379_110_000, "USD", "exact", None)
    assert read_figure(6_370_000_000, "USD", "exact", None).overlaps(full)
    assert read_figure(6_380_000_000, "USD", "exact", None).overlaps(full)
    # 6.36 billion reaches up to 6.37, not beyond; 6.39 billion down to 6.385.
    assert not read_figure(6_360_000_000, "USD", "exact", None).overlaps(full)
    assert not read_figure(6_390_000_000, "USD", "exact", None).overlaps(full)


def test_whole_thousands_read_to_their_last_non_zero_digit() -> None:
    assert read_figure(1_980_000, "people", "exact", None) == Reading(1_975_000, 1_990_000, high_open=True)
    # Every digit stated: a whole number to its units, rounded only.
    assert read_figure(1_980_000, "people", "exact", 0) == Reading(1_979_999.5, 1_980_000.5)


def test_decimals_keep_a_trailing_zero() -> None:
    # "$18.0 billion": 17.95 up to 18.1 billion, not 17.5 up to 19.
    assert read_figure(18_000_000_000, "USD", "exact", 1) == Reading(17_950_000_000, 18_100_000_000, high_open=True)
    assert read_figure(18_000_000_000, "USD", "exact", None) == Reading(17_500_000_000, 19_000_000_000, high_open=True)
    percent = read_figure(18.0, "percent", "exact", 1)
    assert percent.low == pytest.approx(17.95)
    assert percent.high == pytest.approx(18.1)


def test_none_qualifier_reads_as_exact() -> None:
    assert read_figure(200, "documents", None, None) == Reading(199.5, 200.5)


@pytest.mark.parametrize(
    ("qualifier", "expected"),
    [
        ("exact", Reading(199.5, 200.5)),  # a whole number to its units: rounded only
        ("about", Reading(190, 210)),  # 5% of 200 is 10, more than the rounding (0.5)
        ("over", Reading(200, None, low_open=True)),
        ("under", Reading(None, 200, high_open=True)),
        ("at-least", Reading(200, None)),
        ("nearly", Reading(190, 200, high_open=True)),  # 5% below, and not 200 itself
    ],
)
def test_hedges_of_200(qualifier: str, expected: Reading) -> None:
    assert read_figure(200, "people", qualifier, None) == expected


def test_about_widens_by_five_percent() -> None:
    reading = read_figure(54, "percent", "about", None)
    assert reading.low == pytest.approx(51.3)
    assert reading.high == pytest.approx(56.7)
    assert not reading.low_open
    assert not reading.high_open
    assert read_figure(45_000_000_000, "USD", "about", None) == Reading(42_750_000_000, 47_250_000_000)


def test_about_is_at_least_the_unhedged_reading() -> None:
    # 5% of 4 is 0.2, less than the rounding of a whole number (0.5 each side).
    assert read_figure(4, "percent", "about", None) == Reading(3.5, 4.5)
    # 5% of 0.4 is 0.02: less than half a step (0.05) below and a step (0.1) above.
    about = read_figure(0.4, "percent", "about", None)
    assert about.low == pytest.approx(0.35)
    assert about.high == pytest.approx(0.5)
    assert about.high_open
    # 5% of 30 is 1.5: more than the rounding.
    assert read_figure(30, "percent", "about", None) == Reading(28.5, 31.5)
    # 5% of $14 billion is 0.7 billion: more than half a step below, less than a step above.
    assert read_figure(14_000_000_000, "USD", "about", None) == Reading(13_300_000_000, 15_000_000_000, high_open=True)


def test_nearly_is_at_least_one_step_below() -> None:
    assert read_figure(20, "percent", "nearly", None) == Reading(19, 20, high_open=True)
    # 5% of 10 is 0.5, less than one step (1).
    assert read_figure(10, "percent", "nearly", None) == Reading(9, 10, high_open=True)


@pytest.mark.parametrize(
    ("qualifier", "expected"),
    [
        ("exact", Reading(-18_200_000_000, -18_050_000_000, low_open=True)),  # 18.05 up to 18.2 by size
        ("about", Reading(-19_005_000_000, -17_195_000_000)),  # 5% of 18.1 billion = 0.905 billion
        ("over", Reading(None, -18_100_000_000, high_open=True)),  # a deficit of over 18.1 billion
        ("under", Reading(-18_100_000_000, None, low_open=True)),
        ("at-least", Reading(None, -18_100_000_000)),
        ("nearly", Reading(-18_100_000_000, -17_195_000_000, low_open=True)),
    ],
)
def test_negative_figures_are_hedged_by_their_size(qualifier: str, expected: Reading) -> None:
    reading = read_figure(-18_100_000_000, "USD", qualifier, None)
    assert reading.low_open == expected.low_open
    assert reading.high_open == expected.high_open
    assert reading.low == (None if expected.low is None else pytest.approx(expected.low))
    assert reading.high == (None if expected.high is None else pytest.approx(expected.high))


def test_reading_record_is_plain_json() -> None:
    assert read_figure(328_080_000_000, "USD", "exact", None).record() == {
        "low": 328_075_000_000,
        "high": 328_090_000_000,
        "low_open": False,
        "high_open": True,
    }
    assert read_figure(200, "people", "over", None).record() == {
        "low": 200,
        "high": None,
        "low_open": True,
        "high_open": False,
    }
    about = read_figure(54, "percent", "about", None).record()
    assert about == {"low": 51.3, "high": 56.7, "low_open": False, "high_open": False}
    assert isinstance(read_figure(200, "people", "exact", None).record()["low"], float)


# -- overlap ---------------------------------------------------------------------------


def overlap(a: tuple[float, str], b: tuple[float, str], unit: str = "people") -> bool:
    return read_figure(a[0], unit, a[1], None).overlaps(read_figure(b[0], unit, b[1], None))


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # A whole number to its units is rounded only: 13.5-14.5 and 14.5-15.5 only touch.
        ((14, "exact"), (15, "exact"), False),
        ((14.5, "exact"), (14.59, "exact"), True),  # 14.59 is cut off to 14.5 (14.45 up to 14.6)
        ((14.5, "exact"), (14.61, "exact"), False),  # 14.605 up to 14.62 is past 14.5's reach
        ((14, "exact"), (14, "exact"), True),
        ((200, "over"), (200, "under"), False),
        ((200, "at-least"), (200, "under"), False),
        ((200, "over"), (200, "exact"), True),  # 200.3 is over 200 and rounds to 200
        ((200, "over"), (201, "exact"), True),
        ((200, "over"), (199, "exact"), False),  # 198.5-199.5 is below
        ((200, "at-least"), (200, "exact"), True),
        ((200, "at-least"), (300, "over"), True),
        ((200, "under"), (100, "under"), True),
        ((200, "nearly"), (200, "exact"), True),  # 199.5 is nearly 200
        ((200, "nearly"), (200, "at-least"), False),
        ((200, "nearly"), (190, "exact"), True),  # 190 closes the nearly range
        ((200, "nearly"), (189, "exact"), False),  # 188.5-189.5 is below 190
        ((400, "about"), (416, "exact"), True),  # 380-420
        ((400, "about"), (421, "exact"), False),  # 420.5-421.5
        ((400, "about"), (420, "exact"), True),  # 419.5-420.5 reaches into 380-420
    ],
)
def test_overlap(a: tuple[float, str], b: tuple[float, str], expected: bool) -> None:
    assert overlap(a, b) is expected
    assert overlap(b, a) is expected


def test_the_2023_deficit_figures() -> None:
    # $18.1 billion, $18.01 billion and "$18 billion": 18.05-18.2, 18.005-18.02, 17.5-19 (the ends open).
    a = read_figure(-18_100_000_000, "USD", "exact", None)
    b = read_figure(-18_010_000_000, "USD", "exact", None)
    c = read_figure(-18_000_000_000, "USD", "exact", None)
    assert not a.overlaps(b)
    assert a.overlaps(c)
    assert b.overlaps(c)
    # "$18.0 billion" (17.95 up to 18.1) holds 18.08, which rounds to $18.1 billion (18.05 up to 18.2).
    assert a.overlaps(read_figure(-18_000_000_000, "USD", "exact", 1))
    # "$18.2 billion" (18.15 up to 18.3) does not reach "$18.0 billion".
    assert not read_figure(-18_200_000_000, "USD", "exact", 1).overlaps(read_figure(-18_000_000_000, "USD", "exact", 1))


# -- judge: verdicts -----------------------------------------------------------------------


def verdict(facts: list[Record], kind: str = "number") -> str:
    return judge(facts, kind)[0].verdict


def test_single() -> None:
    result, readings = judge([fact(100, unit="people")], "number")
    assert (result.verdict, result.spread, result.basis) == ("single", None, None)
    assert readings == [{"low": 99.5, "high": 100.5, "low_open": False, "high_open": False}]


def test_agree_and_differ() -> None:
    assert verdict([fact(328_080_000_000), fact(330_000_000_000, qualifier="about")]) == "agree"
    assert verdict([fact(-18_100_000_000), fact(-18_010_000_000)]) == "differ"
    # One pair that differs is enough, even when others agree.
    assert verdict([fact(-18_000_000_000), fact(-18_100_000_000), fact(-18_010_000_000)]) == "differ"


def groups(facts: list[Record]) -> list[tuple[str | None, list[int], list[int]]]:
    """Each group as (country, members, members placed with it though they state no statistics)."""
    return [(g.country, g.members, sorted(g.assumed)) for g in by_statistics(facts)]


def test_two_countries_statistics_are_never_one_group() -> None:
    kr, cn = fact(267_700_000_000, country=KR), fact(310_700_000_000, country=CN)
    assert groups([kr, cn]) == [(KR, [0], []), (CN, [1], [])]
    # China's figure first in the file: Korea's group still comes first.
    assert groups([cn, kr, fact(260_000_000_000, country=KR)]) == [(KR, [1, 2], []), (CN, [0], [])]
    # Each group is judged alone: a difference within Korea's statistics is still a difference.
    assert verdict([kr, fact(260_000_000_000, country=KR)]) == "differ"
    assert verdict([kr]) == "single"


def test_other_countries_come_after_korea_and_china_by_name() -> None:
    facts = [fact(1, country="Japan"), fact(1, country=CN), fact(1, country="Germany"), fact(1, country=KR)]
    assert [country for country, _, _ in groups(facts)] == [KR, CN, "Germany", "Japan"]


def test_unknown_basis_joins_the_only_country() -> None:
    facts = [fact(100, unit="firms"), fact(100, unit="firms", country=KR), fact(150, unit="firms")]
    assert groups(facts) == [(KR, [0, 1, 2], [0, 2])]
    assert verdict([fact(100, unit="firms", country=KR), fact(150, unit="firms")]) == "differ"
    assert verdict([fact(100, unit="firms", country=KR), fact(100, unit="firms")]) == "agree"


def test_beside_two_countries_unknown_basis_is_a_group_of_its_own() -> None:
    kr, cn, unknown = fact(100, unit="firms", country=KR), fact(120, unit="firms", country=CN), fact(100, unit="firms")
    assert groups([unknown, kr, cn, unknown]) == [(KR, [1], []), (CN, [2], []), (None, [0, 3], [])]


def test_without_any_country_one_group_not_stated() -> None:
    assert groups([fact(1), fact(2)]) == [(None, [0, 1], [])]
    assert groups([fact(1, country=KR), fact(2, country=KR)]) == [(KR, [0, 1], [])]


# -- flags and the reference -----------------------------------------------------------------


def flagged(*, note: str | None = None, tags: tuple[str, ...] = (), assumed: bool = False) -> list[str]:
    return flags_of({**fact(1), "note": note, "tags": list(tags)}, assumed=assumed)


def test_flags() -> None:
    assert flagged() == []
    assert flagged(note="Worked out, not stated: the page says 'last year'.") == ["worked-out"]
    # Anywhere in the note, in any case.
    assert flagged(note="The page says 'last year'; worked out, not stated: 2021.") == ["worked-out"]
    assert flagged(note="Worked out from a weekday.") == []
    assert flagged(tags=("summit", "scheduled")) == ["scheduled"]
    assert flagged(tags=("Plan",)) == ["scheduled"]
    assert flagged(tags=("projection",)) == ["expected"]
    assert flagged(tags=("forecast", "target")) == ["expected"]
    # In FLAGS order, whatever the order found.
    assert flagged(note="Worked out, not stated.", tags=("forecast", "scheduled"), assumed=True) == [
        "worked-out", "scheduled", "expected", "statistics-assumed",
    ]  # fmt: skip
    # Wording is not a flag: "longer than planned" is an outcome.
    assert flagged(note="The talks ran 30 minutes longer than planned; expected by none.") == []


def official(value: int | float, kind: str | None, *, decimals: int | None = None) -> Record:
    return {**fact(value, decimals=decimals), "id": f"{kind}-{value}", "source": {"kind": kind}}


def reference(facts: list[Record], flags: list[list[str]] | None = None) -> int | None:
    readings = [r.record() if isinstance(r := reading_of(f, "number"), Reading) else r for f in facts]
    return reference_of(facts, flags or [[] for _ in facts], readings)


def test_the_reference_is_an_official_release() -> None:
    news = official(18_000_000_000, "newspaper")
    government = official(18_100_000_000, "government")
    statistics = official(18_000_000_000, "statistics")
    assert reference([news]) is None
    assert reference([news, official(1, None)]) is None
    assert reference([news, government]) == 1
    # A statistics body's release before a government's, wherever it is.
    assert reference([statistics, news, government]) == 0
    assert reference([government, statistics]) == 1
    # Among equals, the most precise ($18.01 billion before $18 billion), then the first.
    assert reference([official(18_000_000_000, "government"), official(18_010_000_000, "government")]) == 1
    assert reference([government, official(18_200_000_000, "government")]) == 0


def test_a_flagged_figure_is_never_the_reference() -> None:
    government, other = official(18_100_000_000, "government"), official(18_000_000_000, "government")
    assert reference([government, other], [["worked-out"], []]) == 1
    assert reference([government, other], [["scheduled"], ["expected"]]) is None
    # Placed with a country's statistics without stating them is no bar to it.
    assert reference([government], [["statistics-assumed"]]) == 0


def test_shared_basis() -> None:
    kcs = ["Korea Customs Service"]
    assert judge([fact(1, basis=kcs, country=KR), fact(1, basis=kcs, country=KR)], "number")[0].basis == kcs
    assert judge([fact(1, basis=kcs, country=KR), fact(1)], "number")[0].basis is None
    assert judge([fact(1), fact(1)], "number")[0].basis is None
    assert judge([fact(1, basis=kcs, country=KR)], "number")[0].basis == kcs


def test_readings_in_order_of_the_facts() -> None:
    _, readings = judge([fact(200, unit="people", qualifier="over"), fact(15, unit="documents")], "number")
    assert readings == [
        {"low": 200, "high": None, "low_open": True, "high_open": False},
        {"low": 14.5, "high": 15.5, "low_open": False, "high_open": False},
    ]


def day(start: str | None, end: str) -> Record:
    return fact(start=start, end=end)


def test_dates_agree_when_their_days_overlap() -> None:
    january, fifth, sixth = (
        day("2026-01-01", "2026-01-31"),
        day("2026-01-05", "2026-01-05"),
        day("2026-01-06", "2026-01-06"),
    )
    assert verdict([january, fifth], "date") == "agree"  # a month holds its days
    assert verdict([fifth, fifth], "date") == "agree"
    assert verdict([fifth, sixth], "date") == "differ"
    assert verdict([january, fifth, sixth], "date") == "differ"
    # A time of day is within its day.
    assert verdict([day("2026-01-05T16:47+08:00", "2026-01-05T16:47+08:00"), fifth], "date") == "agree"
    assert verdict([day("2026-01-05T16:47+08:00", "2026-01-05T16:47+08:00"), sixth], "date") == "differ"
    # "As of" a month's end holds on that day only.
    as_of = day(None, "2020-12-31")
    assert verdict([as_of, day("2020-12-01", "2020-12-31")], "date") == "agree"
    assert verdict([as_of, day("2020-11-01", "2020-11-30")], "date") == "differ"


def test_date_readings_are_first_and_last_day() -> None:
    _, readings = judge([day("2026-01-05", "2026-01-05"), day("2026-01-01", "2026-01-31")], "date")
    assert readings == [
        {"low": "2026-01-05", "high": "2026-01-05", "low_open": False, "high_open": False},
        {"low": "2026-01-01", "high": "2026-01-31", "low_open": False, "high_open": False},
    ]
    assert judge([day("2026-01-05", "2026-01-05")] * 2, "date")[0].spread is None


def name(text: str, country: str | None = None) -> Record:
    return fact(text=text, country=country)


def test_names_agree_when_equal_ignoring_case_and_spacing() -> None:
    assert verdict([name("Chey Tae-won"), name("  chey   TAE-WON ")], "name") == "agree"
    assert verdict([name("Chey Tae-won"), name("Choi Tae-won")], "name") == "differ"
    result, readings = judge([name("A"), name("a")], "name")
    assert readings == [None, None]
    assert result.spread is None


def test_agrees_pairwise() -> None:
    a, b = fact(-18_100_000_000), fact(-18_000_000_000)
    ra, rb = reading_of(a, "number"), reading_of(b, "number")
    assert isinstance(ra, Reading)
    assert isinstance(rb, Reading)
    assert agrees(a, ra.record(), b, rb.record(), "number") is True
    c = fact(-18_010_000_000)
    rc = reading_of(c, "number")
    assert isinstance(rc, Reading)
    assert agrees(a, ra.record(), c, rc.record(), "number") is False
    kr, cn = fact(1, country=KR), fact(1, country=CN)
    assert agrees(kr, ra.record(), cn, ra.record(), "number") is None
    assert agrees(name("X", KR), None, name("x", KR), None, "name") is True
    assert agrees(name("X"), None, name("Y"), None, "name") is False
    fifth, january = day("2026-01-05", "2026-01-05"), day("2026-01-01", "2026-01-31")
    assert agrees(fifth, reading_of(fifth, "date"), january, reading_of(january, "date"), "date") is True


# -- spread ----------------------------------------------------------------------------


def spread(facts: list[Record]) -> float | None:
    return judge(facts, "number")[0].spread


def test_spread_is_the_relative_gap_between_points() -> None:
    # (310.7 - 267.7) / 267.7
    assert spread([fact(267_700_000_000, country=KR), fact(310_700_000_000, country=CN)]) == 0.160628
    # Deficits: by size, (18.1 - 18.0) / 18.0
    assert spread([fact(-18_100_000_000), fact(-18_010_000_000), fact(-18_000_000_000, qualifier="about")]) == 0.005556
    assert spread([fact(-18_100_000_000), fact(-18_010_000_000)]) == 0.004997  # 0.09 / 18.01


def test_spread_uses_bounds_only_without_two_points() -> None:
    # Two points: the bound (over 500) is left out.
    assert spread([fact(100, unit="firms"), fact(110, unit="firms"), fact(500, unit="firms", qualifier="over")]) == 0.1
    # One point and a bound: both count, (150 - 100) / 100.
    assert spread([fact(100, unit="firms"), fact(150, unit="firms", qualifier="over")]) == 0.5
    # Bounds alone: (5 - 3) / 3.
    assert spread([fact(5, unit="firms", qualifier="over"), fact(3, unit="firms", qualifier="under")]) == 0.666667


def test_spread_is_none_without_two_figures_or_from_zero() -> None:
    assert spread([fact(100, unit="firms")]) is None
    assert spread([fact(0, unit="percent"), fact(5, unit="percent")]) is None
    assert spread([fact(7, unit="firms"), fact(7, unit="firms")]) == 0
    assert judge([day("2026-01-05", "2026-01-05")] * 2, "date")[0].spread is None


# -- properties ------------------------------------------------------------------------

UNITS = st.sampled_from(["USD", "KRW", "CNY", "percent", "people", "documents", "rank"])
DECIMALS = st.none() | st.integers(0, 12)  # the loader's MAX_DECIMALS


@st.composite
def figures(draw: st.DrawFn) -> tuple[int | float, str, str, int | None]:
    """A figure as a facts file gives it: a whole number, or one with up to 4 places."""
    if draw(st.booleans()):
        # Up to what the loader accepts (2^53 - 1), where floats are 1 apart.
        value: int | float = draw(st.integers(-(2**53 - 1), 2**53 - 1))
    else:
        places = draw(st.integers(1, 4))
        units = draw(st.integers(-(10**8), 10**8))
        value = float(Decimal(units).scaleb(-places))
    return value, draw(UNITS), draw(st.sampled_from(QUALIFIERS)), draw(DECIMALS)


@SETTINGS
@given(figures())
@example((8_796_093_022_208, "percent", "exact", 3))  # a thousandth is finer than floats hold there
@example((4_503_599_627_370_496, "people", "exact", None))  # 2^52: v +- 0.5 rounds back to v
@example((-4_503_599_627_370_496, "KRW", "about", 12))
def test_a_figure_agrees_with_itself(figure: tuple[int | float, str, str, int | None]) -> None:
    value, unit, qualifier, decimals = figure
    reading = read_figure(value, unit, qualifier, decimals)
    assert reading.overlaps(reading)
    one = fact(value, unit=unit, qualifier=qualifier, decimals=decimals)
    assert verdict([one, dict(one)]) == "agree"


@SETTINGS
@given(figures(), figures())
def test_overlap_is_symmetric(
    a: tuple[int | float, str, str, int | None], b: tuple[int | float, str, str, int | None]
) -> None:
    first, second = read_figure(*a), read_figure(*b)
    assert first.overlaps(second) == second.overlaps(first)


@SETTINGS
@given(figures())
def test_exact_lies_within_about(figure: tuple[int | float, str, str, int | None]) -> None:
    value, unit, _, decimals = figure
    exact, about = read_figure(value, unit, "exact", decimals), read_figure(value, unit, "about", decimals)
    assert exact.low is not None
    assert exact.high is not None
    assert about.low is not None
    assert about.high is not None
    assert about.low <= exact.low < value < exact.high <= about.high


@SETTINGS
@given(figures())
def test_a_negative_figure_mirrors_its_size(figure: tuple[int | float, str, str, int | None]) -> None:
    value, unit, qualifier, decimals = figure
    if value == 0:
        return
    positive, negative = (
        read_figure(abs(value), unit, qualifier, decimals),
        read_figure(-abs(value), unit, qualifier, decimals),
    )
    assert negative.low == (None if positive.high is None else -positive.high)
    assert negative.high == (None if positive.low is None else -positive.low)
    assert (negative.low_open, negative.high_open) == (positive.high_open, positive.low_open)


@SETTINGS
@given(figures())
def test_bounds_hold_the_figure_at_their_closed_end_only(figure: tuple[int | float, str, str, int | None]) -> None:
    value, unit, _, decimals = figure
    v = abs(value)
    assert read_figure(v, unit, "over", decimals) == Reading(float(v), None, low_open=True)
    assert read_figure(v, unit, "under", decimals) == Reading(None, float(v), high_open=True)
    assert read_figure(v, unit, "at-least", decimals) == Reading(float(v), None)
    nearly = read_figure(v, unit, "nearly", decimals)
    assert nearly.high == v
    assert nearly.high_open
    assert nearly.low is not None
    assert nearly.low <= v - step(v, unit, decimals) + 1e-9 * max(1.0, v)


def contains(reading: Reading, x: Decimal) -> bool:
    """Whether ``x`` lies in the reading (worked in Decimal: the ends are what floats hold of them)."""
    low = None if reading.low is None else Decimal(reading.low)
    high = None if reading.high is None else Decimal(reading.high)
    above = low is None or (x > low if reading.low_open else x >= low)
    below = high is None or (x < high if reading.high_open else x <= high)
    return above and below


@st.composite
def plain_figures(draw: st.DrawFn) -> tuple[Decimal, str, int | None]:
    """A positive figure with up to 4 places, small enough that floats hold a thousandth of its step."""
    places = draw(st.integers(0, 4))
    value = Decimal(draw(st.integers(1, 10**9))).scaleb(-places)
    return value, draw(UNITS), draw(st.none() | st.integers(places, 6))


@SETTINGS
@given(plain_figures(), st.integers(1, 999))
def test_what_rounds_or_is_cut_off_to_a_figure_is_in_its_reading(
    figure: tuple[Decimal, str, int | None], thousandths: int
) -> None:
    value, unit, decimals = figure
    number = int(value) if value == value.to_integral_value() else float(value)
    reading = read_figure(number, unit, "exact", decimals)
    size = Decimal(repr(step(number, unit, decimals)))
    # Floats must hold a thousandth of a step there (at 2^27, they are 2^-25 apart).
    assume(size / 1000 > 4 * Decimal(math.ulp(float(value) + float(size))))
    # A whole number to its units has no digit cut off: it reaches half a step above, not a step.
    reach = size / 2 if size == 1 and value == value.to_integral_value() else size
    # Rounds to it: within half a step below; cut off to it: within a whole step above.
    # (Not the ends themselves: floats hold 0.05 as a hair more than 0.05.)
    rounds = value - size / 2 * thousandths / 1000
    cut_off = value + reach * thousandths / 1000
    assert contains(reading, rounds)
    assert contains(reading, cut_off)
    # A thousandth of a step past either end: it neither rounds nor is cut off to the figure.
    assert not contains(reading, value - size / 2 - size / 1000)
    assert not contains(reading, value + reach + size / 1000)


def test_a_figure_finer_than_floats_still_reads_as_a_range() -> None:
    # At 8.8 trillion, floats are 0.002 apart: a thousandth either side would round back to the figure.
    v = 8_796_093_022_208
    reading = read_figure(v, "percent", "exact", 3)
    assert reading.low is not None
    assert reading.high is not None
    assert reading.low < v < reading.high
    assert reading.overlaps(reading)
    assert read_figure(v + 1, "percent", "exact", 3).overlaps(reading) is False


def test_the_mcp_server_names_the_same_verdicts_and_flags() -> None:
    from kortrade import agreement, mcp_server

    assert mcp_server.VERDICTS == agreement.VERDICTS
    assert mcp_server.FLAGS == agreement.FLAGS
