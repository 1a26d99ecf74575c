"""Questions as people type them, in English, Korean and Chinese: the answer first, then the facts;
partial matches; and year ranges on every command that filters by period."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kortrade import commands
from kortrade.errors import UsageError
from kortrade.store import FactQuery, FactStore
from support.cli import Cli
from support.facts import ENTITIES, SOURCES, WriteFacts
from support.keys import FACT_KEYS
from support.paths import SHIPPED

DATA = (
    SOURCES
    + """\
  - id: src-b
    title: B source
    publisher: Yonhap
    published: 2025-09
    url: https://example.org/b
    kind: news-agency
  - id: src-c
    title: C source
    publisher: Xinhua
    published: 2025
    url: https://example.org/c
    kind: news-agency
  - id: src-d
    title: D source
    publisher: MOTIE
    published: 2024-02-01
    url: https://example.org/d
    kind: government
"""
    + ENTITIES
    + """\
  - name: United States
    kind: country
measures:
  - id: bilateral-trade
    label: Bilateral trade
  - id: rok-trade-balance-with-china
    label: ROK trade balance with China
  - id: rok-exports-to-us
    label: ROK exports to the US
facts:
  - id: us-surplus-2023
    topic: trade
    statement: Korea's trade surplus with the United States hit a record in 2023, trade data show.
    value: 44400000000
    unit: USD
    qualifier: exact
    period: 2023
    entities: [Republic of Korea, United States]
    tags: [trade, trade-balance]
    source: src-b
  - id: trade-2023-kr
    topic: trade
    statement: Korea's trade with China came to $267.7 billion in 2023.
    value: 267700000000
    unit: USD
    qualifier: exact
    period: 2023
    measure: bilateral-trade
    basis: Korea Customs Service
    entities: [Republic of Korea, China]
    source: src-b
  - id: trade-2023-cn
    topic: trade
    statement: China put its trade with Korea at $310.7 billion in 2023.
    value: 310700000000
    unit: USD
    qualifier: exact
    period: 2023
    measure: bilateral-trade
    basis: General Administration of Customs
    entities: [Republic of Korea, China]
    source: src-c
  - id: trade-2023-kr-rough
    topic: trade
    statement: The ministry said trade with China was about $268 billion in 2023.
    value: 268000000000
    unit: USD
    qualifier: about
    period: 2023
    measure: bilateral-trade
    basis: Korea Customs Service
    entities: [Republic of Korea, China]
    source: src-d
  - id: trade-2023-01
    topic: trade
    statement: Trade with China came to $20.1 billion in January 2023.
    value: 20100000000
    unit: USD
    qualifier: exact
    period: 2023-01
    measure: bilateral-trade
    basis: Korea Customs Service
    source: src-b
  - id: trade-2024-kr
    topic: trade
    statement: Korea's trade with China came to $272.9 billion in 2024.
    value: 272900000000
    unit: USD
    qualifier: exact
    period: 2024
    measure: bilateral-trade
    basis: Korea Customs Service
    source: src-b
  - id: trade-2015-kr
    topic: trade
    statement: Korea's trade with China came to $227.4 billion in 2015.
    value: 227400000000
    unit: USD
    qualifier: exact
    period: 2015
    measure: bilateral-trade
    basis: Korea Customs Service
    source: src-b
  - id: balance-2023-kr
    topic: trade
    statement: Korea ran an $18.1 billion trade deficit with China in 2023, its first since 1992.
    value: -18100000000
    unit: USD
    qualifier: exact
    period: 2023
    measure: rok-trade-balance-with-china
    basis: Korea Customs Service
    source: src-d
  - id: battery-plant
    topic: industry
    statement: A battery plant opened in Changzhou.
    source: src-a
"""
)

ANSWER_KEYS = [
    "measure", "label", "period", "basis_country", "display", "value", "unit", "id", "source", "agree", "differ",
    "how", "official",
]  # fmt: skip


@pytest.fixture
def data(write_facts: WriteFacts) -> Path:
    return write_facts(DATA, "ask.yaml")


# No colour, width or data settings of whoever runs the tests: each run names its file.
pytestmark = pytest.mark.usefixtures("plain_environment")


def ask(data: Path, text: str, **options: object) -> commands.Outcome:
    with closing(FactStore.open(data)) as store:
        outcome = commands.search_outcome(store, text.split(), topic=None, limit=20, fields=None, **options)  # type: ignore[arg-type]
        return commands.Outcome(
            dataclasses.replace(outcome.view, records=list(outcome.view.records)), outcome.nothing, outcome.note
        )


def ids(outcome: commands.Outcome) -> list[str]:
    return [str(r["id"]) for r in outcome.view.records]


def preface(outcome: commands.Outcome) -> list[str]:
    return outcome.view.chart([]) if outcome.view.chart else []


TRADE_2023 = [
    "Answer: Bilateral trade, 2023",
    "  Korea's statistics: $267.7 billion (Yonhap, 2025-09)",
    "    trade-2023-kr · 1 other source agrees",
    "  China's statistics: $310.7 billion (Xinhua, 2025)",
    "    trade-2023-cn · no other source",
]


# -- the library -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "two-way trade 2023",
        "total trade with China in 2023",
        "What was bilateral trade in 2023?",
        "trade 2023",
        "2023년 교역액",
        "2023년 한중 교역액은 얼마야?",
        "2023年中韩贸易额",
        "2023年中韩贸易额是多少",
        "2023年 双边贸易",
    ],
)
def test_a_question_naming_a_measure_and_a_year_is_answered_first(data: Path, question: str) -> None:
    outcome = ask(data, question)
    assert outcome.nothing is None
    assert outcome.note is None
    assert preface(outcome) == TRADE_2023
    # Then the facts: those of that measure and year first, the year itself before its months.
    found = ids(outcome)
    assert set(found[:3]) == {"trade-2023-kr", "trade-2023-cn", "trade-2023-kr-rough"}
    assert found[3] == "trade-2023-01"
    assert "trade-2024-kr" not in found


def test_trade_and_a_year_puts_the_measure_before_a_us_surplus(data: Path) -> None:
    found = ids(ask(data, "trade 2023"))
    measured = ["trade-2023-kr", "trade-2023-cn", "trade-2023-kr-rough", "trade-2023-01"]
    assert found[:4] == measured
    assert found.index("us-surplus-2023") > 3


@pytest.mark.parametrize(
    "question", ["2023년 대중 무역수지", "Korea's trade deficit with China in 2023?", "2023年 中韩 贸易逆差"]
)
def test_the_balance_in_three_languages(data: Path, question: str) -> None:
    outcome = ask(data, question)
    assert preface(outcome) == [
        "Answer: ROK trade balance with China, 2023",
        "  Korea's statistics: -$18.1 billion (MOTIE, 2024-02-01)",
        "    balance-2023-kr · no other source",
    ]
    assert ids(outcome)[0] == "balance-2023-kr"


def test_whose_statistics_a_question_names(data: Path) -> None:
    outcome = ask(data, "2023 bilateral trade china's statistics")
    assert preface(outcome) == ["Answer: Bilateral trade, 2023", *TRADE_2023[3:]]
    assert ids(outcome) == ["trade-2023-cn"]
    assert ids(ask(data, "한국 통계 2023년 교역액")) == ["trade-2023-kr", "trade-2023-kr-rough", "trade-2023-01"]


def test_a_month_is_answered_from_that_month(data: Path) -> None:
    outcome = ask(data, "bilateral trade January 2023")
    assert preface(outcome)[:2] == [
        "Answer: Bilateral trade, 2023-01",
        "  Korea's statistics: $20.1 billion (Yonhap, 2025-09)",
    ]
    # The month itself first, then the year that holds it.
    assert ids(outcome)[0] == "trade-2023-01"
    assert set(ids(outcome)[1:]) == {"trade-2023-kr", "trade-2023-cn", "trade-2023-kr-rough"}
    assert preface(ask(data, "2023년 1월 교역액")) == preface(outcome)


def test_a_range_of_years_lists_facts_and_gives_no_single_answer(data: Path) -> None:
    outcome = ask(data, "bilateral trade 2015-2023")
    assert preface(outcome) == []
    assert set(ids(outcome)) == {
        "trade-2015-kr",
        "trade-2023-kr",
        "trade-2023-cn",
        "trade-2023-kr-rough",
        "trade-2023-01",
    }


def test_no_fact_with_every_word_gives_the_best_partial_matches(data: Path) -> None:
    outcome = ask(data, "battery changzhou xyzzy")
    assert outcome.nothing is None
    assert outcome.note == "no fact matches every word of 'battery changzhou xyzzy'; these match some of them"
    assert ids(outcome) == ["battery-plant"]
    # Facts matching more of the words come first.
    more = ask(data, "korea china deficit xyzzy")
    assert more.note is not None
    assert ids(more)[0] == "balance-2023-kr"


def test_partial_matches_are_ranked_by_words_matched(data: Path) -> None:
    with closing(FactStore.open(data)) as store:
        from kortrade.store import Signal

        hits, every = store.search_signals([Signal("battery"), Signal("changzhou"), Signal("record")])
    assert not every
    assert [str(h.record["id"]) for h in hits] == ["battery-plant", "us-surplus-2023"]
    assert [h.matched for h in hits] == [False, False]


def test_every_word_matching_is_no_partial_match(data: Path) -> None:
    outcome = ask(data, "battery changzhou")
    assert outcome.note is None
    assert ids(outcome) == ["battery-plant"]


def test_nothing_at_all_is_still_nothing(data: Path) -> None:
    outcome = ask(data, "xyzzy plugh")
    assert ids(outcome) == []
    assert outcome.nothing is not None


def test_the_answer_is_only_computed_when_asked(data: Path) -> None:
    assert preface(ask(data, "two-way trade 2023", answer=False)) == []


def test_the_options_filter_a_search(data: Path) -> None:
    assert ids(ask(data, "trade", year="2024")) == ["trade-2024-kr"]
    assert ids(ask(data, "trade", year="2015-2023", basis="china")) == ["trade-2023-cn"]
    assert ids(ask(data, "trade", from_year=2024)) == ["trade-2024-kr"]
    assert "us-surplus-2023" not in ids(ask(data, "trade", measure="bilateral-trade"))
    assert preface(ask(data, "trade", year="2023", measure="bilateral-trade")) == TRADE_2023


# -- the command line ------------------------------------------------------------------------


def test_the_cli_answers_first(cli: Cli, data: Path) -> None:
    result = cli("search", "two-way", "trade", "2023", data=data)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:5] == TRADE_2023
    assert result.stderr == ""


@pytest.mark.parametrize("question", ["2023년 대중 무역수지", "2023年中韩贸易逆差"])
def test_the_cli_answers_korean_and_chinese(cli: Cli, data: Path, question: str) -> None:
    result = cli("search", question, data=data)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:2] == [
        "Answer: ROK trade balance with China, 2023",
        "  Korea's statistics: -$18.1 billion (MOTIE, 2024-02-01)",
    ]


def test_search_json_stays_a_list_of_facts(cli: Cli, data: Path) -> None:
    result = cli("search", "two-way", "trade", "2023", "--json", data=data)
    assert result.exit_code == 0
    found = json.loads(result.stdout)
    assert isinstance(found, list)
    assert all(list(f) == FACT_KEYS for f in found)
    assert "Answer" not in result.stdout


def test_a_partial_match_says_so_on_stderr(cli: Cli, data: Path) -> None:
    result = cli("search", "battery", "xyzzy", "--json", data=data)
    assert result.exit_code == 0
    assert [f["id"] for f in json.loads(result.stdout)] == ["battery-plant"]
    assert result.stderr == "kortrade: no fact matches every word of 'battery xyzzy'; these match some of them\n"


def test_search_answer_alone_as_json(cli: Cli, data: Path) -> None:
    result = cli("search", "--answer", "two-way", "trade", "2023", "--json", data=data)
    assert result.exit_code == 0
    found = json.loads(result.stdout)
    assert [list(r) for r in found] == [ANSWER_KEYS, ANSWER_KEYS]
    assert [(r["basis_country"], r["id"], r["agree"], r["differ"], r["how"], r["official"]) for r in found] == [
        ("Republic of Korea", "trade-2023-kr", 1, 0, "most sources agree", False),
        ("China", "trade-2023-cn", 0, 0, "the only source", False),
    ]
    assert found[0]["source"] == {"id": "src-b", "publisher": "Yonhap", "published": "2025-09", "kind": "news-agency"}


def test_without_a_data_file_the_pages_answer_even_from_the_series(data: Path) -> None:
    from kortrade.answer import answers
    from kortrade.question import year_range

    # The file has no official data file: its series rests on pages alone, and the answer is
    # the figure most of those pages agree on, as without the series.
    with closing(FactStore.open(data)) as store:
        official = answers(store, ["bilateral-trade"], year_range(2023, 2023), series=True)
        pages = answers(store, ["bilateral-trade"], year_range(2023, 2023), series=False)
    assert official == pages
    assert [r["display"] for r in official] == ["$267.7 billion", "$310.7 billion"]


def test_with_the_data_files_the_answer_is_the_official_figure(cli: Cli) -> None:
    from kortrade.answer import answer_lines, answers
    from kortrade.question import year_range

    with closing(FactStore.open(SHIPPED)) as store:
        found = answers(store, ["bilateral-trade"], year_range(2023, 2023))
    series = json.loads(cli("series", "trade", "--from", "2023", "--to", "2023", "--json", data=SHIPPED).stdout)
    korea = next(r for r in series if r["basis_country"] == "Republic of Korea")
    assert korea["observations"]  # worked out from the customs service's months
    assert (found[0]["basis_country"], found[0]["display"], found[0]["official"]) == (
        "Republic of Korea",
        korea["display"],
        True,
    )
    assert answer_lines(found)[1].startswith(f"  Korea's statistics: {korea['display']} (Korea Customs Service")


H1_FACT = """\
  - id: trade-2023-h1-kr
    topic: trade
    statement: Korea's trade with China came to $131.2 billion in the first half of 2023.
    value: 131200000000
    unit: USD
    qualifier: exact
    period: 2023-01/2023-06
    measure: bilateral-trade
    basis: Korea Customs Service
    source: src-b
"""


def test_where_the_series_has_no_figure_the_facts_answer(cli: Cli, write_facts: WriteFacts) -> None:
    # A half-year is no period of the series: the best-attested fact of that very half answers.
    data = write_facts(DATA + H1_FACT, "h1.yaml")
    result = cli("search", "--answer", "bilateral", "trade", "H1", "2023", "--json", data=data)
    assert result.exit_code == 0, result.stderr
    (found,) = json.loads(result.stdout)
    assert (found["period"], found["id"], found["display"], found["how"], found["official"]) == (
        "2023-01/2023-06",
        "trade-2023-h1-kr",
        "$131.2 billion",
        "the only source",
        False,
    )
    assert cli("search", "bilateral", "trade", "H1", "2023", data=data).stdout.splitlines()[:3] == [
        "Answer: Bilateral trade, 2023-01/2023-06",
        "  Korea's statistics: $131.2 billion (Yonhap, 2025-09)",
        "    trade-2023-h1-kr · no other source",
    ]


def test_search_answer_without_a_measure_and_period_exits_1(cli: Cli, data: Path) -> None:
    result = cli("search", "--answer", "battery", data=data)
    assert result.exit_code == 1
    assert result.stderr == (
        "kortrade: no answer: name a measure and a period, e.g. kortrade search --answer two-way trade 2023\n"
    )


@pytest.mark.parametrize(
    ("args", "found"),
    [
        (["facts", "--year", "2015-2023"], ["us-surplus-2023", "trade-2023-kr", "trade-2023-cn", "trade-2023-kr-rough",
                                            "trade-2023-01", "trade-2015-kr", "balance-2023-kr"]),
        (["facts", "--year", "2015\u20132015"], ["trade-2015-kr"]),
        (["facts", "--from", "2024"], ["trade-2024-kr"]),
        (["facts", "--to", "2015"], ["trade-2015-kr"]),
        (["facts", "--from", "2015", "--to", "2015"], ["trade-2015-kr"]),
        # Oldest first: a month before the year that holds it (it ends sooner).
        (["timeline", "--year", "2023-2024"], ["trade-2023-01", "us-surplus-2023", "trade-2023-kr", "trade-2023-cn",
                                               "trade-2023-kr-rough", "balance-2023-kr", "trade-2024-kr"]),
        (["timeline", "--from", "2024"], ["trade-2024-kr"]),
        (["search", "trade", "--year", "2024"], ["trade-2024-kr"]),
        (["search", "trade", "--from", "2024", "--basis", "korea"], ["trade-2024-kr"]),
    ],
)  # fmt: skip
def test_ranges_of_years(cli: Cli, data: Path, args: list[str], found: list[str]) -> None:
    result = cli(*args, "--fields", "id", "--format", "csv", data=data)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split()[1:] == found


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["facts", "--year", "2025-2015"], "--year 2025-2015 runs backwards; write 2015-2025"),
        (["search", "trade", "--year", "2025-2015"], "--year 2025-2015 runs backwards; write 2015-2025"),
        (["timeline", "--year", "2025-2015"], "--year 2025-2015 runs backwards; write 2015-2025"),
        (["facts", "--year", "x"], "--year takes a year (2024) or a range of years (2015-2025), got 'x'"),
        (["facts", "--year", "10000"], "--year takes a year (2024) or a range of years (2015-2025), from 1 to 9999, "
                                       "got '10000'"),
        (["facts", "--from", "2025", "--to", "2015"], "--from 2025 is after --to 2015; the range runs backwards"),
        (["facts", "--year", "2024", "--from", "2015"], "--year conflicts with --from and --to; give a range as "
                                                        "--year 2015-2025 or --from/--to"),
        (["search", "trade", "--basis", "japan"], "--basis takes korea or china (whose statistics), got 'japan'"),
    ],
)  # fmt: skip
def test_bad_years_are_usage_errors_of_one_line(cli: Cli, data: Path, args: list[str], message: str) -> None:
    result = cli(*args, data=data)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"kortrade: {message}\n"


def test_the_store_filters_by_a_range_of_years(data: Path) -> None:
    with closing(FactStore.open(data)) as store:
        assert [f["id"] for f in store.facts(FactQuery(from_year=2024, to_year=2030))] == ["trade-2024-kr"]
        assert FactQuery(from_year=2015, to_year=2025).describe() == "year=2015-2025"
        assert FactQuery(from_year=2015).describe() == "from=2015"


# -- the shipped data, in a real process ---------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "measure", "period"),
    [
        (["two-way", "trade", "2023"], "bilateral-trade", "2023"),
        (["2024年中韩贸易额"], "bilateral-trade", "2024"),
        (["2023년", "대중", "무역수지"], "rok-trade-balance-with-china", "2023"),
    ],
)
def test_a_real_process_answers_in_its_first_lines(question: list[str], measure: str, period: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("KORTRADE_DATA", "COLUMNS", "NO_COLOR")}
    result = subprocess.run(
        [sys.executable, "-m", "kortrade", "search", *question, "--data", str(SHIPPED)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**env, "COLUMNS": "100"},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    with closing(FactStore.open(SHIPPED)) as store:
        label = store.measure_label(measure)
    assert lines[0] == f"Answer: {label}, {period}"
    assert lines[1].startswith("  ")
    # The figure given is the official series' for that very year (the data files have it).
    figure = lines[1].split(": ", 1)[1].rsplit(" (", 1)[0]
    with closing(FactStore.open(SHIPPED)) as store:
        (row,) = [r for r in store.official_rows(measure, period) if r["basis_country"] == "Republic of Korea"]
    assert figure == row["display"]
    assert row["observations"]


def test_a_measure_the_file_lacks_is_no_error(minimal: Path) -> None:
    # The minimal file lists no measures: the words are searched, here partly found, with no answer.
    outcome = ask(minimal, "total trade 2024")
    assert preface(outcome) == []
    assert ids(outcome) == ["fact-one"]
    assert outcome.note is not None


QUESTION_PIECES = st.sampled_from(
    [
        "two-way trade", "deficit", "2023", "2015-2025", "2025-2015", "January 2024", "2023년", "2024年1月",
        "H1 2024", "교역액", "대중 수출", "贸易额", "逆差", "Korea's figures", "中方", "what", "the", "?", "얼마",
        "是多少", "china",
        "battery", "semi*", "-", "$", "AND", "OR", "NOT", '"', "(", ")", "growth", "share of exports", "\u3002",
    ]
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.lists(QUESTION_PIECES, max_size=6).map(" ".join), st.text(max_size=20)))
def test_any_question_is_answered_or_is_a_usage_error(data: Path, text: str) -> None:
    try:
        outcome = ask(data, text)
    except UsageError as exc:
        message = str(exc)
        assert message
        assert "\n" not in message
        return
    assert (outcome.nothing is None) == bool(ids(outcome))
    assert all(line and "\n" not in line for line in preface(outcome))


def test_a_year_nothing_gives_in_full_says_so_first(cli: Cli) -> None:
    # 2025 is not a full year in any data file (Korea's end in May), and no page gives its balance.
    result = cli("search", "Korea's", "trade", "balance", "with", "China", "in", "2025")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "No answer: ROK trade balance with China, 2025",
        "  No page or data file here gives all of 2025.",
    ]
    assert "kortrade series --monthly --from 2025" in result.stdout
