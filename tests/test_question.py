"""Reading a search as a question: periods, measures, whose statistics, and the filler dropped."""

from __future__ import annotations

import datetime as dt

import pytest

from kortrade.question import (
    BASIS_WORDS,
    COUNTRY_FILLER,
    FILLER,
    GROWTH_OF,
    GROWTH_WORDS,
    HINT_WORDS,
    MEASURE_WORDS,
    parse,
    year_range,
)
from support.facts import plain_yaml
from support.paths import SHIPPED


def shipped_measures() -> set[str]:
    return {str(m["id"]) for m in plain_yaml(SHIPPED)["measures"]}


@pytest.mark.parametrize(("words", "measure"), sorted(MEASURE_WORDS.items()))
def test_each_measure_word_names_its_measure(words: str, measure: str) -> None:
    question = parse(f"{words} 2023")
    assert question.measures == (measure,)
    assert question.period is not None
    assert question.period.text == "2023"
    assert question.words == ()


def test_every_measure_the_words_name_is_in_the_shipped_file() -> None:
    named = set(MEASURE_WORDS.values()) | set(HINT_WORDS.values()) | set(GROWTH_OF.values())
    assert named <= shipped_measures()


@pytest.mark.parametrize(("words", "measure"), sorted(HINT_WORDS.items()))
def test_a_hint_word_is_searched_and_points_at_its_measure(words: str, measure: str) -> None:
    question = parse(f"{words} 2024")
    assert question.measures == ()
    assert question.words == (words,)
    assert question.hints == (measure,)
    assert question.answer_measures() == (measure,)


@pytest.mark.parametrize("word", GROWTH_WORDS)
def test_each_growth_word_turns_a_measure_into_its_change(word: str) -> None:
    assert parse(f"exports to China {word} 2024").measures == ("rok-exports-to-china-growth",)
    assert parse(f"교역액 {word}").measures == ("bilateral-trade-growth",)


def test_a_growth_word_without_a_measure_is_searched() -> None:
    assert parse("battery growth").words == ("battery", "growth")


@pytest.mark.parametrize(("words", "country"), sorted(BASIS_WORDS.items()))
def test_each_basis_phrase_names_a_country(words: str, country: str) -> None:
    question = parse(f"bilateral trade 2024 {words}")
    assert question.basis == country
    assert question.measures == ("bilateral-trade",)
    assert question.words == ()


@pytest.mark.parametrize("word", sorted(FILLER))
def test_filler_is_dropped_when_something_is_left(word: str) -> None:
    assert parse(f"battery {word}").words == ("battery",)


@pytest.mark.parametrize("word", sorted(COUNTRY_FILLER))
def test_country_names_are_filler_once_a_measure_is_named(word: str) -> None:
    assert parse(f"{word} 무역수지 2023").words == ()


def test_country_names_are_searched_without_a_measure() -> None:
    assert parse("samsung china").words == ("samsung", "china")


def test_nothing_but_filler_is_searched_as_typed() -> None:
    assert parse("the").words == ("the",)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("typed", "text", "start", "end", "granularity"),
    [
        ("2023", "2023", "2023-01-01", "2023-12-31", "year"),
        ("in 2023", "2023", "2023-01-01", "2023-12-31", "year"),
        ("2023년", "2023", "2023-01-01", "2023-12-31", "year"),
        ("2023년도", "2023", "2023-01-01", "2023-12-31", "year"),
        ("2024年", "2024", "2024-01-01", "2024-12-31", "year"),
        ("2015-2025", "2015-2025", "2015-01-01", "2025-12-31", "years"),
        ("2015\u20132025", "2015-2025", "2015-01-01", "2025-12-31", "years"),
        ("2015 to 2025", "2015-2025", "2015-01-01", "2025-12-31", "years"),
        ("from 2015 to 2025", "2015-2025", "2015-01-01", "2025-12-31", "years"),
        ("between 2015 and 2025", "2015-2025", "2015-01-01", "2025-12-31", "years"),
        ("2025-2015", "2015-2025", "2015-01-01", "2025-12-31", "years"),
        ("2015~2025", "2015-2025", "2015-01-01", "2025-12-31", "years"),
        ("2015년부터 2025년까지", "2015-2025", "2015-01-01", "2025-12-31", "years"),
        ("2015年至2025年", "2015-2025", "2015-01-01", "2025-12-31", "years"),
        ("January 2024", "2024-01", "2024-01-01", "2024-01-31", "month"),
        ("Jan 2024", "2024-01", "2024-01-01", "2024-01-31", "month"),
        ("Sept. 2023", "2023-09", "2023-09-01", "2023-09-30", "month"),
        ("2024-01", "2024-01", "2024-01-01", "2024-01-31", "month"),
        ("2024-02", "2024-02", "2024-02-01", "2024-02-29", "month"),
        ("2024년 1월", "2024-01", "2024-01-01", "2024-01-31", "month"),
        ("2024年1月", "2024-01", "2024-01-01", "2024-01-31", "month"),
        ("\uff12\uff10\uff12\uff14年\uff11月", "2024-01", "2024-01-01", "2024-01-31", "month"),
        ("H1 2024", "2024-01/2024-06", "2024-01-01", "2024-06-30", "half"),
        ("first half of 2024", "2024-01/2024-06", "2024-01-01", "2024-06-30", "half"),
        ("2024년 상반기", "2024-01/2024-06", "2024-01-01", "2024-06-30", "half"),
        ("2024年下半年", "2024-07/2024-12", "2024-07-01", "2024-12-31", "half"),
        ("Q3 2024", "2024-07/2024-09", "2024-07-01", "2024-09-30", "quarter"),
        ("2024년 1분기", "2024-01/2024-03", "2024-01-01", "2024-03-31", "quarter"),
        ("2025년 1~11월", "2025-01/2025-11", "2025-01-01", "2025-11-30", "months"),
        ("2025年1-11月", "2025-01/2025-11", "2025-01-01", "2025-11-30", "months"),
    ],
)
def test_periods(typed: str, text: str, start: str, end: str, granularity: str) -> None:
    question = parse(f"trade {typed}")
    assert question.period is not None
    assert (question.period.text, question.period.start, question.period.end) == (text, d(start), d(end))
    assert question.period.granularity == granularity
    assert question.words == ("trade",)


@pytest.mark.parametrize("typed", ["$2023", "12023", "2023.5", "1850"])
def test_what_is_not_a_period(typed: str) -> None:
    assert parse(f"trade {typed}").period is None


def test_a_year_range_runs_forwards() -> None:
    with pytest.raises(ValueError, match="2025-2015"):
        year_range(2025, 2015)


@pytest.mark.parametrize(
    ("typed", "measures", "period", "basis", "words"),
    [
        ("two-way trade 2023", ("bilateral-trade",), "2023", None, ()),
        ("total trade with China in 2023", ("bilateral-trade",), "2023", None, ()),
        ("What was Korea's trade deficit with China in 2023?", ("rok-trade-balance-with-china",), "2023", None, ()),
        ("Korea's exports to China, January 2024", ("rok-exports-to-china",), "2024-01", None, ()),
        ("2023년 대중 무역수지", ("rok-trade-balance-with-china",), "2023", None, ()),
        ("2023년의 대중 무역수지는 얼마야?", ("rok-trade-balance-with-china",), "2023", None, ()),
        ("한중 교역액 2024년 한국 통계", ("bilateral-trade",), "2024", "Republic of Korea", ()),
        ("2024年中韩贸易额", ("bilateral-trade",), "2024", None, ()),
        ("2024年中韩贸易额是多少\uff1f", ("bilateral-trade",), "2024", None, ()),
        ("中方统计 2022年 对华出口", ("rok-exports-to-china",), "2022", "China", ()),
        ("exports and imports 2024", (), "2024", None, ("exports", "imports")),
        ("exports to China and imports from China 2024", ("rok-exports-to-china", "rok-imports-from-china"), "2024",
         None, ()),
        ("semiconductor exports to China 2024", ("rok-exports-to-china",), "2024", None, ("semiconductor",)),
    ],
)  # fmt: skip
def test_questions_as_people_type_them(
    typed: str, measures: tuple[str, ...], period: str, basis: str | None, words: tuple[str, ...]
) -> None:
    question = parse(typed)
    assert question.measures == measures
    assert question.period is not None
    assert question.period.text == period
    assert question.basis == basis
    assert question.words == words


@pytest.mark.parametrize("typed", ['"new energy" 2024', "battery OR 2024", "(trade) 2023", "NOT trade 2023"])
def test_the_search_grammar_is_left_as_typed(typed: str) -> None:
    question = parse(typed)
    assert not question.plain
    assert question.words == (typed,)
    assert question.period is None
    assert question.measures == ()
