"""compare, measures, sources and show's corroboration: the store, the command line, the installed program.

The facts file is written here; every verdict, spread, range and bar below is
worked out by hand from the rules in kortrade.agreement and kortrade.chart.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import Result

from kortrade import FactQuery, FactStore, NotFoundError, UsageError
from support.cli import Cli
from support.facts import ENTITIES, SOURCES, WriteFacts
from support.keys import COMPARE_CSV_KEYS, COMPARE_FACT_KEYS, COMPARE_KEYS, CORROBORATION_KEYS, FACT_KEYS, SOURCE_KEYS
from support.pty_run import clean_env

DATA = (
    SOURCES
    + """\
  - id: src-b
    title: B source
    publisher: Yonhap
    published: 2025-09
    url: https://example.org/b
    kind: news-agency
    language: ko
  - id: src-c
    title: C source
    publisher: Xinhua
    published: 2025
    url: https://example.org/c
    kind: news-agency
    language: zh-Hans
  - id: src-d
    title: D source
    publisher: MOTIE
    published: 2024-02-01
    url: https://example.org/d
    kind: government
    language: ko
"""
    + ENTITIES
    + """\
measures:
  - id: bilateral-trade
    label: Bilateral trade
  - id: trade-balance
    label: ROK trade balance with China
  - id: summit-date
    label: The summit's date
    kind: date
    periodic: false
  - id: delegation-leader
    label: Who led the delegation
    kind: name
    periodic: false
  - id: mous-signed
    label: MOUs signed at the summit
    periodic: false
  - id: unused-measure
    label: A measure no fact states
facts:
  - id: trade-2022-kr
    topic: trade
    statement: Trade came to $310.1 billion in 2022.
    value: 310100000000
    unit: USD
    qualifier: exact
    period: 2022
    measure: bilateral-trade
    basis: Korea Customs Service
    source: src-b
  - id: trade-2023-kr
    topic: trade
    statement: Trade came to $267.7 billion in 2023.
    value: 267700000000
    unit: USD
    qualifier: exact
    period: 2023
    measure: bilateral-trade
    basis: Korea Customs Service
    source: src-b
  - id: trade-2023-cn
    topic: trade
    statement: Trade came to $310.7 billion in 2023.
    value: 310700000000
    unit: USD
    qualifier: exact
    period: 2023
    measure: bilateral-trade
    basis: General Administration of Customs
    source: src-c
  - id: trade-2023-kr-rough
    topic: trade
    statement: Trade came to about $268 billion in 2023.
    value: 268000000000
    unit: USD
    qualifier: about
    period: 2023
    measure: bilateral-trade
    basis: Korea Customs Service
    source: src-a
  - id: trade-2024-a
    topic: trade
    statement: Trade came to $328.08 billion in 2024.
    value: 328080000000
    unit: USD
    qualifier: exact
    period: 2024
    measure: bilateral-trade
    source: src-a
  - id: trade-2024-c
    topic: trade
    statement: Trade came to about $330 billion in 2024.
    value: 330000000000
    unit: USD
    qualifier: about
    period: 2024
    measure: bilateral-trade
    source: src-c
  - id: trade-2024-06
    topic: trade
    statement: Trade came to $27 billion in June 2024.
    value: 27000000000
    unit: USD
    qualifier: exact
    period: 2024-06
    measure: bilateral-trade
    source: src-c
  - id: balance-2023-a
    topic: trade
    statement: The ROK ran a deficit of $18.1 billion with China in 2023.
    value: -18100000000
    unit: USD
    qualifier: exact
    period: 2023
    measure: trade-balance
    source: src-a
  - id: balance-2023-b
    topic: trade
    statement: The ROK's deficit with China was $18.01 billion in 2023.
    value: -18010000000
    unit: USD
    qualifier: exact
    period: 2023
    measure: trade-balance
    source: src-b
  - id: balance-2023-c
    topic: trade
    statement: The ROK's deficit with China came to $18 billion in 2023.
    value: -18000000000
    unit: USD
    qualifier: exact
    period: 2023
    measure: trade-balance
    source: src-c
  - id: balance-2024-c
    topic: trade
    statement: The ROK's deficit with China was over $6 billion in 2024.
    value: -6000000000
    unit: USD
    qualifier: over
    period: 2024
    measure: trade-balance
    source: src-c
  - id: summit-a
    topic: visit
    statement: The summit was on 5 January 2026.
    period: 2026-01-05
    measure: summit-date
    source: src-a
  - id: summit-b
    topic: visit
    statement: The summit was on 6 January 2026.
    period: 2026-01-06
    measure: summit-date
    source: src-b
  - id: summit-c
    topic: visit
    statement: The summit took place in January 2026.
    period: 2026-01
    measure: summit-date
    source: src-c
  - id: leader-a
    topic: visit
    statement: Chey Tae-won led the business delegation.
    value_text: Chey Tae-won
    measure: delegation-leader
    source: src-a
  - id: leader-b
    topic: visit
    statement: The delegation was led by Chey Tae-won.
    value_text: "chey  tae-won"
    measure: delegation-leader
    source: src-b
  - id: mous-a
    topic: agreements
    statement: The two sides signed 14 MOUs.
    value: 14
    unit: MOUs
    qualifier: exact
    measure: mous-signed
    source: src-a
  - id: no-measure
    topic: visit
    statement: The visit ended on 7 January 2026.
    period: 2026-01-07
    source: src-a
"""
)

# Korea's and China's statistics for 2023 are two groups, never one.
TRADE_2023 = "bilateral-trade · 2023 · Korea's statistics: 2 sources agree"
TRADE_2023_CN = "bilateral-trade · 2023 · China's statistics: one source"
TRADE_2024 = "bilateral-trade · 2024 · statistics not stated: 2 sources agree"
TRADE_2024_06 = "bilateral-trade · 2024-06 · statistics not stated: one source"
TRADE_2022 = "bilateral-trade · 2022 · Korea's statistics: one source"
BALANCE_2023 = "trade-balance · 2023 · statistics not stated: 3 sources differ by 0.6%"  # (18.1 - 18.0) / 18.0
# Dates and names have no statistics to state.
SUMMIT = "summit-date · any period: 3 sources differ"
LEADER = "delegation-leader · any period: 2 sources agree"


# No colour, width or data settings of whoever runs the tests: each run names its file.
pytestmark = pytest.mark.usefixtures("plain_environment")


@pytest.fixture
def data(write_facts: WriteFacts, cache_dir: Path) -> Path:
    return write_facts(DATA, "compare.yaml")


@pytest.fixture
def store(data: Path) -> Iterator[FactStore]:
    with FactStore.open(data) as opened:
        yield opened


def words(text: str) -> str:
    """Text with its line breaks and runs of spaces as single spaces (tables wrap long lines)."""
    return " ".join(text.split())


def summary(groups: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return [(g["measure"], g["period"], g["verdict"], [f["id"] for f in g["facts"]]) for g in groups]  # type: ignore[attr-defined]


# -- the store -----------------------------------------------------------------------------


def test_compare_one_measure_every_period_in_order(store: FactStore) -> None:
    assert summary(store.compare("bilateral-trade")) == [
        ("bilateral-trade", "2022", "single", ["trade-2022-kr"]),
        ("bilateral-trade", "2023", "agree", ["trade-2023-kr", "trade-2023-kr-rough"]),
        ("bilateral-trade", "2023", "single", ["trade-2023-cn"]),
        ("bilateral-trade", "2024", "agree", ["trade-2024-a", "trade-2024-c"]),
        ("bilateral-trade", "2024-06", "single", ["trade-2024-06"]),
    ]


def test_compare_ignores_case_of_the_measure(store: FactStore) -> None:
    assert summary(store.compare("Trade-Balance")) == summary(store.compare("trade-balance"))


def test_compare_groups_carry_spread_basis_and_ranges(store: FactStore) -> None:
    groups = {(g["period"], g["statistics"]): g for g in store.compare("bilateral-trade")}
    g2023 = groups["2023", "Republic of Korea"]
    assert list(g2023) == COMPARE_KEYS
    # (268 - 267.7) / 267.7, Korea's figures alone; both name Korea Customs Service.
    assert (g2023["spread"], g2023["basis"]) == (0.001121, ["Korea Customs Service"])
    facts = g2023["facts"]
    assert isinstance(facts, list)
    assert list(facts[0]) == COMPARE_FACT_KEYS
    assert [f["range"] for f in facts] == [
        # rounded from 267.65, or cut off up to (not including) 267.8
        {"low": 267_650_000_000, "high": 267_800_000_000, "low_open": False, "high_open": True},
        # about $268 billion: 5% is 13.4 billion, more than the unhedged reading's half step and step
        {"low": 254_600_000_000, "high": 281_400_000_000, "low_open": False, "high_open": False},
    ]
    china = groups["2023", "China"]
    assert (china["verdict"], china["spread"], china["basis"]) == (
        "single",
        None,
        ["General Administration of Customs"],
    )
    assert [f["range"] for f in china["facts"]] == [  # type: ignore[attr-defined]
        {"low": 310_650_000_000, "high": 310_800_000_000, "low_open": False, "high_open": True}
    ]
    assert groups["2022", "Republic of Korea"]["basis"] == ["Korea Customs Service"]
    assert groups["2022", "Republic of Korea"]["spread"] is None
    assert groups["2024", None]["spread"] == 0.005852  # (330 - 328.08) / 328.08


def test_compare_deficits(store: FactStore) -> None:
    (g2023, g2024) = store.compare("trade-balance")
    assert (g2023["verdict"], g2023["spread"]) == ("differ", 0.005556)
    assert [f["range"] for f in g2023["facts"]] == [  # type: ignore[attr-defined]
        # By size: 18.05 up to 18.2, 18.005 up to 18.02, 17.5 up to 19 (the far end open).
        {"low": -18_200_000_000, "high": -18_050_000_000, "low_open": True, "high_open": False},
        {"low": -18_020_000_000, "high": -18_005_000_000, "low_open": True, "high_open": False},
        {"low": -19_000_000_000, "high": -17_500_000_000, "low_open": True, "high_open": False},
    ]
    # A deficit of over $6 billion: anything below -6 billion.
    assert g2024["facts"][0]["range"] == {"low": None, "high": -6_000_000_000, "low_open": False, "high_open": True}  # type: ignore[index]


def test_compare_dates_and_names(store: FactStore) -> None:
    (summit,) = store.compare("summit-date")
    assert (summit["period"], summit["verdict"], summit["spread"]) == (None, "differ", None)
    assert [f["range"] for f in summit["facts"]] == [  # type: ignore[attr-defined]
        {"low": "2026-01-05", "high": "2026-01-05", "low_open": False, "high_open": False},
        {"low": "2026-01-06", "high": "2026-01-06", "low_open": False, "high_open": False},
        {"low": "2026-01-01", "high": "2026-01-31", "low_open": False, "high_open": False},
    ]
    (leader,) = store.compare("delegation-leader")
    assert leader["verdict"] == "agree"
    assert [f["range"] for f in leader["facts"]] == [None, None]  # type: ignore[attr-defined]


def test_compare_without_measure_lists_groups_of_two_or_more(store: FactStore) -> None:
    assert [(g["measure"], g["period"], g["verdict"]) for g in store.compare()] == [
        # Korea's two 2023 figures; China's one stands alone.
        ("bilateral-trade", "2023", "agree"),
        ("bilateral-trade", "2024", "agree"),
        ("trade-balance", "2023", "differ"),
        ("summit-date", None, "differ"),
        ("delegation-leader", None, "agree"),
    ]


def test_conflicts_are_differences_on_one_statistics(store: FactStore) -> None:
    assert [(g["measure"], g["period"]) for g in store.compare(conflicts=True)] == [
        ("trade-balance", "2023"),
        ("summit-date", None),
    ]
    assert store.compare("bilateral-trade", conflicts=True) == []


def test_period_finds_what_touches_it(store: FactStore) -> None:
    # A year finds its months.
    assert [g["period"] for g in store.compare("bilateral-trade", period="2024")] == ["2024", "2024-06"]
    assert [g["period"] for g in store.compare("bilateral-trade", period="2024-06")] == ["2024", "2024-06"]
    assert [g["period"] for g in store.compare("bilateral-trade", period="2024-07")] == ["2024"]
    assert [g["period"] for g in store.compare("bilateral-trade", period="2022/2023")] == ["2022", "2023", "2023"]
    assert [g["period"] for g in store.compare("bilateral-trade", period=" 2022 ")] == ["2022"]
    assert store.compare("bilateral-trade", period="2025") == []
    # The summit's facts reach from 1 to 31 January 2026.
    assert [g["measure"] for g in store.compare(period="2026-01-20")] == ["summit-date"]
    # Without a measure, only groups of two or more: 2024-06 and the 2024 deficit stand alone.
    assert [(g["measure"], g["period"]) for g in store.compare(period="2024")] == [("bilateral-trade", "2024")]
    assert [g["measure"] for g in store.compare(period="2023")] == ["bilateral-trade", "trade-balance"]


def test_bad_period_and_unknown_measure_are_usage_errors(store: FactStore) -> None:
    with pytest.raises(UsageError, match=r"^--period takes a year .*, got '2024-13'$"):
        store.compare("bilateral-trade", period="2024-13")
    with pytest.raises(UsageError) as info:
        store.compare("bilateral-trad")
    assert str(info.value) == "unknown measure 'bilateral-trad'; nearest: bilateral-trade"
    with pytest.raises(UsageError, match=r"^unknown measure 'zzz'; list them with: kortrade measures$"):
        store.known_measure("zzz")


def test_corroboration(store: FactStore) -> None:
    assert store.corroboration("trade-2023-kr") == {
        "measure": "bilateral-trade",
        "period": "2023",
        # Its own group's: Korea's statistics.
        "verdict": "agree",
        "spread": 0.001121,
        "others": [
            {
                "id": "trade-2023-cn",
                "display": "$310.7 billion",
                "period": "2023",
                "basis": ["General Administration of Customs"],
                "source": {"id": "src-c", "publisher": "Xinhua", "published": "2025"},
                "agrees": None,
            },
            {
                "id": "trade-2023-kr-rough",
                "display": "about $268 billion",
                "period": "2023",
                "basis": ["Korea Customs Service"],
                "source": {"id": "src-a", "publisher": "Pub", "published": "2026-01-09"},
                "agrees": True,
            },
        ],
    }
    assert list(store.corroboration("trade-2023-kr") or {}) == CORROBORATION_KEYS
    balance = store.corroboration("BALANCE-2023-A")
    assert balance is not None
    assert [(o["id"], o["agrees"]) for o in balance["others"]] == [  # type: ignore[attr-defined]
        ("balance-2023-b", False),  # 18.005-18.015 against 18.05-18.15
        ("balance-2023-c", True),  # 17.5-18.5
    ]
    summit = store.corroboration("summit-c")
    assert summit is not None
    assert [(o["id"], o["agrees"]) for o in summit["others"]] == [("summit-a", True), ("summit-b", True)]  # type: ignore[attr-defined]
    summit_a = store.corroboration("summit-a")
    assert summit_a is not None
    assert [(o["id"], o["agrees"]) for o in summit_a["others"]] == [("summit-b", False), ("summit-c", True)]  # type: ignore[attr-defined]
    single = store.corroboration("mous-a")
    assert single == {"measure": "mous-signed", "period": None, "verdict": "single", "spread": None, "others": []}
    assert store.corroboration("no-measure") is None


def test_facts_by_measure(store: FactStore) -> None:
    ids = [f["id"] for f in store.facts(FactQuery(measure="TRADE-BALANCE"))]
    assert ids == ["balance-2023-a", "balance-2023-b", "balance-2023-c", "balance-2024-c"]
    assert [f["id"] for f in store.facts(FactQuery(measure="trade-balance", year=2024))] == ["balance-2024-c"]
    assert store.facts(FactQuery(measure="unused-measure")) == []
    with pytest.raises(UsageError, match=r"^unknown measure 'trade-balanse'; nearest: trade-balance$"):
        store.facts(FactQuery(measure="trade-balanse"))


def test_measures(store: FactStore) -> None:
    assert [(m["id"], m["kind"], m["periodic"], m["facts"], m["sources"]) for m in store.measures()] == [
        ("bilateral-trade", "number", True, 7, 3),
        ("trade-balance", "number", True, 4, 3),
        ("summit-date", "date", False, 3, 3),
        ("delegation-leader", "name", False, 2, 2),
        ("mous-signed", "number", False, 1, 1),
        ("unused-measure", "number", True, 0, 0),
    ]


def test_sources_by_kind_and_language(store: FactStore) -> None:
    def ids(**kw: str) -> list[object]:
        return [s["id"] for s in store.sources(**kw)]

    assert ids() == ["src-a", "src-b", "src-c", "src-d"]
    assert [s["facts"] for s in store.sources()] == [7, 5, 6, 0]
    assert ids(kind="news-agency") == ["src-b", "src-c"]
    assert ids(kind="Government") == ["src-d"]
    assert ids(language="ko") == ["src-b", "src-d"]
    assert ids(language="zh") == ["src-c"]  # zh finds zh-Hans
    assert ids(language="ZH-hans") == ["src-c"]
    assert ids(language="zh-Hant") == []
    assert ids(language="z") == []  # a prefix is not a language
    assert ids(kind="news-agency", language="ko") == ["src-b"]


def test_one_source(store: FactStore) -> None:
    source = store.source("SRC-B")
    assert list(source) == [*SOURCE_KEYS, "facts"]
    assert (source["id"], source["facts"]) == ("src-b", 5)
    assert [f["id"] for f in store.source_facts("src-b")] == [
        "trade-2022-kr", "trade-2023-kr", "balance-2023-b", "summit-b", "leader-b",
    ]  # fmt: skip
    assert store.source_facts("src-d") == []
    with pytest.raises(NotFoundError) as info:
        store.source("src-x")
    # Equally near: difflib gives the later ids first.
    assert str(info.value) == "no source with id 'src-x'; nearest: src-d, src-c, src-b"
    with pytest.raises(NotFoundError, match=r"^no source with id 'nothing-like'; list them with: kortrade sources$"):
        store.source("nothing-like")


# -- the command line ------------------------------------------------------------------------

TRADE_CHART = [
    "Bilateral trade",
    "One bar per year and statistics: KR Korea's, CN China's, - not given",
    # Bars against the largest, $328.08 billion, 24 wide: 310.1 -> 22.7, 267.7 -> 19.6, 310.7 -> 22.7.
    # 2023 KR is $267.7 billion, not "about $268 billion": the more precise figure is drawn.
    "2022 KR " + "█" * 23 + " " * 2 + "$310.1 billion · Yonhap",
    "2023 KR " + "█" * 20 + " " * 5 + "$267.7 billion · Yonhap",
    "2023 CN " + "█" * 23 + " " * 2 + "$310.7 billion · Xinhua",
    "2024 -  " + "█" * 24 + " " + "$328.08 billion · Pub",
]
BALANCE_CHART = [
    "ROK trade balance with China",
    "One bar per year and statistics: KR Korea's, CN China's, - not given",
    # $18.01 billion is the most precise of the three 2023 figures; 6 / 18.01 * 24 = 8.
    "2023 -  " + "░" * 24 + " -$18.01 billion · Yonhap",
    "2024 -  " + "░" * 8 + " " * 17 + "-(over $6 billion) · Xinhua",
    "        ░ below zero (a deficit)",
]


def lines(result: Result) -> list[str]:
    return [line.rstrip() for line in result.stdout.splitlines()]


def test_compare_table_draws_the_chart_then_each_group_under_its_verdict(cli: Cli, data: Path) -> None:
    result = cli("compare", "bilateral-trade", data=data)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    out = lines(result)
    assert out[: len(TRADE_CHART)] == TRADE_CHART
    assert out[len(TRADE_CHART)] == ""
    assert all(len(line) <= 80 for line in out)
    text = words(result.stdout)
    for heading in (TRADE_2022, TRADE_2023, TRADE_2024, TRADE_2024_06):
        assert heading in text
    assert text.index(TRADE_2022) < text.index(TRADE_2023) < text.index(TRADE_2024) < text.index(TRADE_2024_06)
    # Each figure with its source, and beneath it the fact's id and whose statistics it is.
    assert "$267.7 billion 2023 Yonhap, 2025-09 trade-2023-kr · Korea Customs Service" in text
    assert "$310.7 billion 2023 Xinhua, 2025 trade-2023-cn · General Administration of Customs" in text
    assert "about $268 billion 2023 Pub, 2026-01-09 trade-2023-kr-rough · Korea Customs Service" in text
    # No basis given: the id alone, without a dangling separator.
    assert [line.strip() for line in out if "trade-2024-a" in line] == ["trade-2024-a"]


def test_compare_chart_of_a_deficit(cli: Cli, data: Path) -> None:
    result = cli("compare", "trade-balance", data=data)
    assert result.exit_code == 0, result.output
    assert lines(result)[: len(BALANCE_CHART) + 1] == [*BALANCE_CHART, ""]
    assert BALANCE_2023 in words(result.stdout)


@pytest.mark.parametrize(
    "args",
    [
        ("compare", "summit-date"),  # dates: no figures to draw
        ("compare", "mous-signed"),  # one figure
        ("compare", "bilateral-trade", "--period", "2024"),  # one yearly figure (and a month)
        ("compare",),  # no measure: no chart
    ],
)
def test_no_chart_without_two_yearly_figures(cli: Cli, data: Path, args: tuple[str, ...]) -> None:
    result = cli(*args, data=data)
    assert result.exit_code == 0, result.output
    assert "by year" not in result.stdout
    assert "█" not in result.stdout
    assert "░" not in result.stdout


def test_compare_without_measure_table(cli: Cli, data: Path) -> None:
    result = cli("compare", data=data)
    assert result.exit_code == 0, result.output
    text = words(result.stdout)
    headings = [TRADE_2023, TRADE_2024, BALANCE_2023, SUMMIT, LEADER]
    assert [text.index(h) for h in headings] == sorted(text.index(h) for h in headings)
    assert TRADE_2022 not in text
    assert TRADE_2024_06 not in text
    assert "mous-signed" not in text


def test_compare_json(cli: Cli, data: Path, store: FactStore) -> None:
    result = cli("compare", "bilateral-trade", "--json", data=data)
    assert result.exit_code == 0, result.output
    groups = json.loads(result.stdout)
    assert groups == store.compare("bilateral-trade")
    assert [list(g) for g in groups] == [COMPARE_KEYS] * 5
    assert all(list(f) == COMPARE_FACT_KEYS for g in groups for f in g["facts"])
    assert [g["statistics"] for g in groups] == ["Republic of Korea", "Republic of Korea", "China", None, None]
    assert groups[2]["facts"][0]["range"] == {
        "low": 310_650_000_000,
        "high": 310_800_000_000,
        "low_open": False,
        "high_open": True,
    }
    # The chart is for people: JSON is the groups alone.
    assert "by year" not in result.stdout


def test_compare_jsonl_is_one_group_a_line(cli: Cli, data: Path, store: FactStore) -> None:
    result = cli("compare", "--format", "jsonl", data=data)
    assert result.exit_code == 0, result.output
    assert [json.loads(line) for line in result.stdout.splitlines()] == store.compare()
    assert len(result.stdout.splitlines()) == 5


def test_compare_csv_is_one_row_per_fact(cli: Cli, data: Path) -> None:
    result = cli("compare", "trade-balance", "--format", "csv", data=data)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        ",".join(COMPARE_CSV_KEYS) + "\n"
        # A cell starting with "-" is kept from spreadsheets' formulas by a leading "'".
        "trade-balance,2023,differ,0.005556,balance-2023-a,'-$18.1 billion,2023,,,src-a,,,,\n"
        "trade-balance,2023,differ,0.005556,balance-2023-b,'-$18.01 billion,2023,,,src-b,,,,\n"
        "trade-balance,2023,differ,0.005556,balance-2023-c,'-$18 billion,2023,,,src-c,,,,\n"
        "trade-balance,2024,single,,balance-2024-c,'-(over $6 billion),2024,,,src-c,,,,\n"
    )
    rows = list(csv.DictReader(io.StringIO(cli("compare", "bilateral-trade", "--format", "csv", data=data).stdout)))
    assert [r["id"] for r in rows] == [
        "trade-2022-kr", "trade-2023-kr", "trade-2023-kr-rough", "trade-2023-cn",
        "trade-2024-a", "trade-2024-c", "trade-2024-06",
    ]  # fmt: skip
    assert rows[1]["basis"] == "Korea Customs Service"
    assert rows[1]["basis_country"] == "Republic of Korea"
    assert rows[3]["basis_country"] == "China"
    assert (rows[1]["verdict"], rows[1]["spread"], rows[1]["statistics"]) == ("agree", "0.001121", "Republic of Korea")
    assert (rows[3]["verdict"], rows[3]["spread"], rows[3]["statistics"]) == ("single", "", "China")


def test_compare_markdown(cli: Cli, data: Path) -> None:
    result = cli("compare", "summit-date", "--format", "markdown", data=data)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "| Comparison | Figure | Period | Source |",
        "|---|---:|---|---|",
        # A date measure's figure is its date.
        f"| {SUMMIT} | 2026-01-05 | 2026-01-05 | Pub, 2026-01-09 |",
        f"| {SUMMIT} | 2026-01-06 | 2026-01-06 | Yonhap, 2025-09 |",
        f"| {SUMMIT} | 2026-01 | 2026-01 | Xinhua, 2025 |",
    ]
    trade = cli("compare", "bilateral-trade", "--format", "markdown", data=data).stdout.splitlines()
    assert f"| {TRADE_2024} | \\$328.08 billion | 2024 | Pub, 2026-01-09 |" in trade


def test_compare_conflicts(cli: Cli, data: Path) -> None:
    result = cli("compare", "--conflicts", "--format", "csv", "--fields", "measure,period,verdict", data=data)
    assert result.exit_code == 0, result.output
    assert result.stdout == "measure,period,verdict\ntrade-balance,2023,differ\nsummit-date,,differ\n"
    table = cli("compare", "--conflicts", data=data)
    assert BALANCE_2023 in words(table.stdout)
    assert SUMMIT in words(table.stdout)
    assert "bilateral-trade" not in table.stdout


def test_compare_period_finds_months_of_a_year(cli: Cli, data: Path) -> None:
    result = cli("compare", "bilateral-trade", "--period", "2024", "--json", data=data)
    assert result.exit_code == 0, result.output
    assert [g["period"] for g in json.loads(result.stdout)] == ["2024", "2024-06"]


def test_compare_fields_pick_group_fields_in_every_format(cli: Cli, data: Path) -> None:
    result = cli("compare", "bilateral-trade", "--fields", "period,verdict", "--format", "csv", data=data)
    assert result.exit_code == 0, result.output
    assert result.stdout == "period,verdict\n2022,single\n2023,agree\n2023,single\n2024,agree\n2024-06,single\n"
    for fmt in ("table", "markdown", "jsonl"):
        picked = cli("compare", "bilateral-trade", "--fields", "period,statistics", "--format", fmt, data=data)
        assert picked.exit_code == 0, picked.output
        assert "China" in picked.stdout
    as_json = json.loads(cli("compare", "trade-balance", "--fields", "verdict,spread", "--json", data=data).stdout)
    assert as_json == [{"verdict": "differ", "spread": 0.005556}, {"verdict": "single", "spread": None}]
    bad = cli("compare", "--fields", "colour", data=data)
    assert bad.exit_code == 2
    assert bad.stderr.startswith("kortrade: unknown field 'colour' for --fields; choose from: measure, period,")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("compare", "bilateral-trade", "--period", "2025"),
            "no figures to compare (measure=bilateral-trade, period=2025)",
        ),
        (("compare", "unused-measure"), "no figures to compare (measure=unused-measure)"),
        (("compare", "bilateral-trade", "--conflicts"), "no conflicting figures (measure=bilateral-trade)"),
        (("compare", "--period", "1999"), "no figures to compare (period=1999)"),
    ],
)
@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_nothing_to_compare_exits_1_with_one_line(
    cli: Cli, data: Path, args: tuple[str, ...], message: str, fmt: str
) -> None:
    result = cli(*args, "--format", fmt, data=data)
    assert result.exit_code == 1
    assert result.stderr == f"kortrade: {message}\n"
    assert (
        result.stdout
        == {
            "table": "",
            "json": "[]\n",
            "csv": ",".join(COMPARE_CSV_KEYS) + "\n",
        }[fmt]
    )


def test_unknown_measure_exits_2_naming_the_nearest(cli: Cli, data: Path) -> None:
    result = cli("compare", "trade-balanse", data=data)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "kortrade: unknown measure 'trade-balanse'; nearest: trade-balance\n"
    result = cli("facts", "--measure", "sumit-date", data=data)
    assert result.exit_code == 2
    assert result.stderr == "kortrade: unknown measure 'sumit-date'; nearest: summit-date\n"


@pytest.mark.parametrize("period", ["2024-13", "24", "2024/2023", "next year", "2024-02-30"])
def test_bad_period_exits_2(cli: Cli, data: Path, period: str) -> None:
    result = cli("compare", "bilateral-trade", "--period", period, data=data)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"kortrade: --period takes a year (2024), month (2024-07), day or range (2024-01/2024-07), got '{period}'\n"
    )


# -- show: corroboration -------------------------------------------------------------------


def test_show_json_has_corroboration_after_the_contract_keys(cli: Cli, data: Path, store: FactStore) -> None:
    result = cli("show", "trade-2023-kr", "--json", data=data)
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert list(record) == [*FACT_KEYS, "corroboration", "official"]
    assert record["corroboration"] == store.corroboration("trade-2023-kr")
    assert [(o["id"], o["agrees"]) for o in record["corroboration"]["others"]] == [
        ("trade-2023-cn", None),
        ("trade-2023-kr-rough", True),
    ]
    plain = json.loads(cli("show", "no-measure", "--json", data=data).stdout)
    assert list(plain) == [*FACT_KEYS, "corroboration", "official"]
    assert plain["corroboration"] is None


def test_show_table_names_the_other_sources(cli: Cli, data: Path) -> None:
    out = lines(cli("show", "trade-2023-kr", data=data))
    start = next(i for i, line in enumerate(out) if line.startswith("  Other sources"))
    assert out[start:] == [
        "  Other sources   $310.7 billion (Xinhua, 2025): different statistics",
        "                  about $268 billion (Pub, 2026-01-09): agrees",
    ]
    balance = lines(cli("show", "balance-2023-a", data=data))
    assert "  Other sources   -$18.01 billion (Yonhap, 2025-09): differs" in balance
    assert "                  -$18 billion (Xinhua, 2025): agrees" in balance
    assert "  Other sources   none" in lines(cli("show", "mous-a", data=data))
    assert not any("Other sources" in line for line in lines(cli("show", "no-measure", data=data)))


def test_show_csv_corroboration_in_one_cell(cli: Cli, data: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(cli("show", "balance-2023-c", "--format", "csv", data=data).stdout)))
    assert rows[0]["corroboration"] == (
        "'-$18.1 billion (Pub, 2026-01-09): agrees; -$18.01 billion (Yonhap, 2025-09): agrees"
    )


# -- facts --measure, measures, sources ----------------------------------------------------


def test_facts_by_measure_cli(cli: Cli, data: Path) -> None:
    result = cli("facts", "--measure", "summit-date", "--fields", "id,period", "--format", "csv", data=data)
    assert result.exit_code == 0, result.output
    assert result.stdout == "id,period\nsummit-a,2026-01-05\nsummit-b,2026-01-06\nsummit-c,2026-01\n"
    result = cli("facts", "-m", "bilateral-trade", "--year", "2024", "--fields", "id", "--format", "csv", data=data)
    assert result.stdout == "id\ntrade-2024-a\ntrade-2024-c\ntrade-2024-06\n"
    empty = cli("facts", "--measure", "unused-measure", data=data)
    assert empty.exit_code == 1
    assert empty.stderr.count("\n") == 1
    assert "measure=unused-measure" in empty.stderr


def test_measures_cli(cli: Cli, data: Path, write_facts: WriteFacts) -> None:
    result = cli("measures", "--json", data=data)
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert records[0] == {
        "id": "bilateral-trade",
        "label": "Bilateral trade",
        "kind": "number",
        "periodic": True,
        "note": None,
        "facts": 7,
        "sources": 3,
    }
    assert [(m["id"], m["facts"], m["sources"]) for m in records] == [
        ("bilateral-trade", 7, 3),
        ("trade-balance", 4, 3),
        ("summit-date", 3, 3),
        ("delegation-leader", 2, 2),
        ("mous-signed", 1, 1),
        ("unused-measure", 0, 0),
    ]
    table = lines(cli("measures", data=data))
    assert words(table[0]) == "ID Label Kind Facts Sources"
    assert words(table[2]) == "bilateral-trade Bilateral trade number 7 3"
    none = cli("measures", data=write_facts(SOURCES + "facts: []\n", "none.yaml"))
    assert none.exit_code == 1
    assert none.stderr == "kortrade: no measures: no fact names one\n"


def test_sources_filters_cli(cli: Cli, data: Path) -> None:
    def ids(*args: str) -> list[str]:
        result = cli("sources", *args, "--fields", "id", "--format", "csv", data=data)
        assert result.exit_code == 0, result.output
        return result.stdout.splitlines()[1:]

    assert ids() == ["src-a", "src-b", "src-c", "src-d"]
    assert ids("--kind", "news-agency") == ["src-b", "src-c"]
    assert ids("-k", "GOVERNMENT") == ["src-d"]
    assert ids("--language", "ko") == ["src-b", "src-d"]
    assert ids("-l", "zh") == ["src-c"]
    assert ids("--kind", "government", "--language", "ko") == ["src-d"]
    table = lines(cli("sources", data=data))
    assert words(table[0]) == "ID Publisher Published Kind Language Facts"
    assert words(table[3]) == "src-b Yonhap 2025-09 news-agency ko 5"
    nothing = cli("sources", "--language", "ja", data=data)
    assert nothing.exit_code == 1
    assert nothing.stderr == "kortrade: no sources match (language=ja)\n"
    bad = cli("sources", "--kind", "blog", data=data)
    assert bad.exit_code == 2
    assert bad.stderr.startswith("kortrade: unknown kind 'blog'; kinds are: news-agency, newspaper,")


def test_one_source_cli(cli: Cli, data: Path) -> None:
    table = lines(cli("sources", "src-b", data=data))
    assert table[:9] == [
        "  ID          src-b",
        "  Title       B source",
        "  Publisher   Yonhap",
        "  Published   2025-09",
        "  URL         https://example.org/b",
        "  Kind        news-agency",
        "  Language    ko",
        "  Facts       5",
        "  Cited by    trade-2022-kr: Trade came to $310.1 billion in 2022.",
    ]
    assert words("\n".join(table[9:])) == (
        "trade-2023-kr: Trade came to $267.7 billion in 2023. "
        "balance-2023-b: The ROK's deficit with China was $18.01 billion in 2023. "
        "summit-b: The summit was on 6 January 2026. "
        "leader-b: The delegation was led by Chey Tae-won."
    )
    assert all(line.startswith(" " * 14) and len(line) <= 80 for line in table[9:])
    result = cli("sources", "SRC-B", "--json", data=data)
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert list(record) == [*SOURCE_KEYS, "facts", "cited_by"]
    assert (record["id"], record["facts"]) == ("src-b", 5)
    assert [f["id"] for f in record["cited_by"]] == [
        "trade-2022-kr", "trade-2023-kr", "balance-2023-b", "summit-b", "leader-b",
    ]  # fmt: skip
    assert list(record["cited_by"][0]) == FACT_KEYS
    uncited = json.loads(cli("sources", "src-d", "--json", data=data).stdout)
    assert (uncited["facts"], uncited["cited_by"]) == (0, [])


def test_unknown_source_exits_1_naming_the_nearest(cli: Cli, data: Path) -> None:
    result = cli("sources", "src-x", data=data)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "kortrade: no source with id 'src-x'; nearest: src-d, src-c, src-b\n"
    both = cli("sources", "src-b", "--kind", "news-agency", data=data)
    assert both.exit_code == 2
    assert both.stderr == "kortrade: --kind and --language filter the list; leave them out with a source ID\n"


# -- the installed program ---------------------------------------------------------------------


def program(exe: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(exe), *args], capture_output=True, env=clean_env(), timeout=120, check=False)


def test_installed_program_compares_into_a_pipe(exe: Path, data: Path) -> None:
    table = program(exe, "compare", "bilateral-trade", "--data", str(data))
    assert table.returncode == 0, table.stderr
    assert table.stderr == b""
    assert b"\x1b" not in table.stdout
    out = [line.rstrip() for line in table.stdout.decode("utf-8").splitlines()]
    assert out[: len(TRADE_CHART)] == TRADE_CHART
    assert TRADE_2023 in words(table.stdout.decode("utf-8"))
    conflicts = program(exe, "compare", "--conflicts", "--data", str(data), "--format", "jsonl")
    assert conflicts.returncode == 0, conflicts.stderr
    assert [json.loads(line)["measure"] for line in conflicts.stdout.splitlines()] == ["trade-balance", "summit-date"]
    missing = program(exe, "compare", "unused-measure", "--data", str(data))
    assert (missing.returncode, missing.stdout) == (1, b"")
    assert missing.stderr == b"kortrade: no figures to compare (measure=unused-measure)\n"


# -- statistics, flags and the reference ---------------------------------------------------------

OFFICIAL = (
    SOURCES
    + """\
  - id: src-gov
    title: Exports in 2023
    publisher: MOTIE
    published: 2024-01-01
    url: https://example.org/gov
    kind: government
  - id: src-stat
    title: Trade statistics
    publisher: KOSIS
    published: 2024-02
    url: https://example.org/stat
    kind: statistics
  - id: src-news
    title: A newspaper's report
    publisher: Daily
    published: 2024-01-02
    url: https://example.org/news
    kind: newspaper
"""
    + ENTITIES
    + """\
measures:
  - id: exports
    label: ROK exports
  - id: summit-start
    label: When the summit began
    kind: date
    periodic: false
facts:
  - id: exports-2023-gov
    topic: trade
    statement: Exports came to $632.4 billion in 2023.
    value: 632400000000
    unit: USD
    qualifier: exact
    period: 2023
    measure: exports
    basis: Korea Customs Service
    source: src-gov
  - id: exports-2023-news
    topic: trade
    statement: Exports came to $632 billion in 2023.
    value: 632000000000
    unit: USD
    qualifier: exact
    period: 2023
    measure: exports
    basis: Korea Customs Service
    source: src-news
  - id: exports-2023-worked
    topic: trade
    statement: Exports came to $632.4 billion in 2023.
    value: 632400000000
    unit: USD
    qualifier: exact
    period: 2023
    measure: exports
    basis: Korea Customs Service
    note: "Worked out, not stated: the page gives the months, not the year."
    source: src-stat
  - id: exports-2023-cn
    topic: trade
    statement: China's imports from the ROK came to $400.5 billion in 2023.
    value: 400500000000
    unit: USD
    qualifier: exact
    period: 2023
    measure: exports
    basis: General Administration of Customs
    source: src-news
  - id: exports-2023-unstated
    topic: trade
    statement: Exports came to about $630 billion in 2023.
    value: 630000000000
    unit: USD
    qualifier: about
    period: 2023
    measure: exports
    source: src-news
  - id: exports-2024-forecast
    topic: trade
    statement: MOTIE expected exports of $680 billion in 2024.
    value: 680000000000
    unit: USD
    qualifier: exact
    period: 2024
    measure: exports
    basis: Korea Customs Service
    tags: [forecast]
    source: src-gov
  - id: exports-2024-news
    topic: trade
    statement: Exports came to $683.8 billion in 2024.
    value: 683800000000
    unit: USD
    qualifier: exact
    period: 2024
    measure: exports
    source: src-news
  - id: summit-planned
    topic: visit
    statement: The summit was to begin on 5 January.
    period: 2026-01-05
    measure: summit-start
    tags: [scheduled]
    source: src-news
  - id: summit-held
    topic: visit
    statement: The summit began on 5 January.
    period: 2026-01-05
    measure: summit-start
    source: src-gov
"""
)
EXPORTS_2023 = "exports · 2023 · Korea's statistics: 3 sources agree"
EXPORTS_2023_CN = "exports · 2023 · China's statistics: one source"
EXPORTS_2023_UNSTATED = "exports · 2023 · statistics not stated: one source"
EXPORTS_2024 = "exports · 2024 · Korea's statistics: 2 sources differ by 0.6%"
LEGEND = {
    "R": "[R] the group's reference: the source's own official release",
    "W": "[W] worked out, not stated by the page",
    "S": "[S] scheduled: what was to happen, not a report that it did",
    "E": "[E] expected: a forecast, not an outcome",
    "A": "[A] no statistics stated: taken as the group's",
}


@pytest.fixture
def official(write_facts: WriteFacts, cache_dir: Path) -> Path:
    return write_facts(OFFICIAL, "official.yaml")


def test_groups_are_one_country_statistics_each(official: Path) -> None:
    with FactStore.open(official) as store:
        groups = store.compare("exports")
    assert [(g["period"], g["statistics"], g["verdict"], [f["id"] for f in g["facts"]]) for g in groups] == [  # type: ignore[attr-defined]
        ("2023", "Republic of Korea", "agree", ["exports-2023-gov", "exports-2023-news", "exports-2023-worked"]),
        ("2023", "China", "single", ["exports-2023-cn"]),
        # Beside two countries' statistics, a figure that states none is compared with neither.
        ("2023", None, "single", ["exports-2023-unstated"]),
        # Beside one country's, it joins it, flagged as placed there.
        ("2024", "Republic of Korea", "differ", ["exports-2024-forecast", "exports-2024-news"]),
    ]
    assert [list(g) for g in groups] == [COMPARE_KEYS] * 4
    assert all(list(f) == COMPARE_FACT_KEYS for g in groups for f in g["facts"])  # type: ignore[attr-defined]
    # (632.4 - 632) / 632; (683.8 - 680) / 680
    assert [g["spread"] for g in groups] == [0.000633, None, None, 0.005588]


def test_flags_and_the_reference(official: Path) -> None:
    with FactStore.open(official) as store:
        exports = store.compare("exports")
        (summit,) = store.compare("summit-start")
    assert [[f["flags"] for f in g["facts"]] for g in exports] == [  # type: ignore[attr-defined]
        [[], [], ["worked-out"]],
        [[]],
        [[]],
        [["expected"], ["statistics-assumed"]],
    ]
    # The government's release; KOSIS's figure is a statistics body's, but worked out, so not a reference.
    assert [g["reference"] for g in exports] == [{"kind": "fact", "id": "exports-2023-gov"}, None, None, None]
    assert [f["flags"] for f in summit["facts"]] == [["scheduled"], []]  # type: ignore[attr-defined]
    assert (summit["verdict"], summit["statistics"]) == ("agree", None)
    assert summit["reference"] == {"kind": "fact", "id": "summit-held"}


def test_show_lists_other_statistics_without_comparing_them(official: Path) -> None:
    with FactStore.open(official) as store:
        found = store.corroboration("exports-2023-news")
    assert found is not None
    assert (found["verdict"], found["spread"]) == ("agree", 0.000633)
    assert [(o["id"], o["agrees"]) for o in found["others"]] == [  # type: ignore[attr-defined]
        ("exports-2023-gov", True),
        ("exports-2023-worked", True),
        ("exports-2023-cn", None),  # China's statistics
        ("exports-2023-unstated", None),  # none stated, beside two countries'
    ]


def test_compare_table_marks_figures_and_says_what_the_marks_mean(cli: Cli, official: Path) -> None:
    result = cli("compare", "exports", data=official)
    assert result.exit_code == 0, result.output
    out = lines(result)
    # The chart, a blank line, then a line for each mark shown.
    start = out.index("") + 1
    assert out[start : start + 4] == [LEGEND["R"], LEGEND["W"], LEGEND["E"], LEGEND["A"]]
    text = words(result.stdout)
    for heading in (EXPORTS_2023, EXPORTS_2023_CN, EXPORTS_2023_UNSTATED, EXPORTS_2024):
        assert heading in text
    assert "$632.4 billion [R] 2023 MOTIE, 2024-01-01" in text
    assert "$632.4 billion [W] 2023 KOSIS, 2024-02" in text
    assert "$632 billion 2023 Daily, 2024-01-02" in text
    assert "$680 billion [E] 2024 MOTIE" in text
    assert "$683.8 billion [A] 2024 Daily" in text
    assert all(len(line) <= 80 for line in out)
    # The chart draws no forecast: 2024's only figure on Korea's statistics is expected.
    assert [line for line in out if line.startswith("2024 ")] == [
        "2024 -  " + "█" * 24 + " $683.8 billion · Daily",
    ]
    summit = lines(cli("compare", "summit-start", data=official))
    # No chart for dates: the legend comes first.
    assert summit[:2] == [LEGEND["R"], LEGEND["S"]]


def test_no_legend_without_marks(cli: Cli, data: Path) -> None:
    assert not any(line.startswith("[") for line in lines(cli("compare", data=data)))
    assert "[R]" not in cli("compare", "--format", "markdown", data=data).stdout


def test_compare_markdown_marks_and_legend(cli: Cli, official: Path) -> None:
    result = cli("compare", "summit-start", "--format", "markdown", data=official)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "| Comparison | Figure | Period | Source |",
        "|---|---:|---|---|",
        "| summit-start · any period: 2 sources agree | 2026-01-05 \\[S\\] | 2026-01-05 | Daily, 2024-01-02 |",
        "| summit-start · any period: 2 sources agree | 2026-01-05 \\[R\\] | 2026-01-05 | MOTIE, 2024-01-01 |",
        "",
        "\\[R\\] the group's reference: the source's own official release  ",
        "\\[S\\] scheduled: what was to happen, not a report that it did",
    ]


def test_compare_csv_and_json_carry_statistics_flags_and_reference(cli: Cli, official: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(cli("compare", "exports", "--format", "csv", data=official).stdout)))
    assert list(rows[0]) == COMPARE_CSV_KEYS
    assert [(r["id"], r["statistics"], r["flags"], r["reference"]) for r in rows] == [
        ("exports-2023-gov", "Republic of Korea", "", "exports-2023-gov"),
        ("exports-2023-news", "Republic of Korea", "", "exports-2023-gov"),
        ("exports-2023-worked", "Republic of Korea", "worked-out", "exports-2023-gov"),
        ("exports-2023-cn", "China", "", ""),
        ("exports-2023-unstated", "", "", ""),
        ("exports-2024-forecast", "Republic of Korea", "expected", ""),
        ("exports-2024-news", "Republic of Korea", "statistics-assumed", ""),
    ]
    picked = cli("compare", "exports", "--fields", "period,statistics,reference", "--format", "csv", data=official)
    assert picked.stdout.splitlines() == [
        "period,statistics,reference",
        "2023,Republic of Korea,exports-2023-gov",
        "2023,China,",
        "2023,,",
        "2024,Republic of Korea,",
    ]
    as_json = json.loads(cli("compare", "exports", "--fields", "reference", "--json", data=official).stdout)
    assert as_json[0] == {"reference": {"kind": "fact", "id": "exports-2023-gov"}}


def test_compare_holds_each_group_against_the_official_data_files(cli: Cli) -> None:
    # Shipped data: Korea's 2016 trade is worked out from the IMF's yearly rows; the pages'
    # "$211.4 billion" hold it, "$211.3 billion" and "$211.39 billion" do not.
    result = cli("compare", "bilateral-trade", "--period", "2016", "--json")
    assert result.exit_code == 0, result.output
    (group,) = [g for g in json.loads(result.stdout) if g["statistics"] == "Republic of Korea"]
    official = group["official"]
    assert official["observations"] == ["imf-dots-2016-kor-chn-exports", "imf-dots-2016-kor-chn-imports"]
    displays = {f["id"]: f["display"] for f in group["facts"]}
    assert {displays[i] for i in official["agree"]} == {"$211.4 billion"}
    assert {displays[i] for i in official["differ"]} == {"$211.3 billion", "$211.39 billion"}
    assert sorted(official["agree"] + official["differ"]) == sorted(displays)
    # A group no data file covers (China's statistics have no 2023 figure) has none.
    later = json.loads(cli("compare", "bilateral-trade", "--period", "2023", "--json").stdout)
    assert [g["official"] for g in later if g["statistics"] == "China"] == [None]
