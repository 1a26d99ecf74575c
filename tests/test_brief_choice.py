"""The chosen briefing of a file whose facts state measures (kortrade.brief_choice).

The file is written here, with the measures the briefing leads with; what it must
choose, and what each figure must say about the other sources, is worked out by
hand from the rules in the module's docstring.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kortrade import FactStore
from kortrade.brief import build_brief, to_markdown
from kortrade.brief_choice import MAIN_MEASURES, SIDES
from support.cli import Cli
from support.facts import ENTITIES, SOURCES, WriteFacts, entry
from support.paths import SHIPPED

HEAD = (
    SOURCES
    + """\
  - id: src-b
    title: B source
    publisher: Yonhap
    published: 2025-09
    url: https://example.org/b
  - id: src-c
    title: C source
    publisher: Xinhua
    published: 2025
    url: https://example.org/c
"""
    + ENTITIES
    + """\
measures:
  - id: bilateral-trade
    label: Trade between China and the ROK
  - id: summit-mous-signed
    label: MOUs signed at the summit
    periodic: false
  - id: summit-date
    label: Date of the summit
    kind: date
    periodic: false
facts:
"""
)


def trade(fact_id: str, year: int, value: int, basis: str | None, source: str, qualifier: str = "exact") -> str:
    return entry(
        id=fact_id, topic="trade", statement=f"Trade came to {value} dollars in {year}.", value=value, unit="USD",
        qualifier=qualifier, period=year, measure="bilateral-trade", basis=basis or None, source=source,
    )  # fmt: skip


def mous(fact_id: str, count: int, source: str) -> str:
    return entry(
        id=fact_id, topic="visit", statement=f"{count} MOUs were signed.", value=count, unit="memorandums",
        qualifier="exact", period="2026-01-05", measure="summit-mous-signed", source=source,
    )  # fmt: skip


def summit(fact_id: str, day: str, source: str) -> str:
    return entry(
        id=fact_id,
        topic="visit",
        statement=f"The summit was on {day}.",
        period=day,
        measure="summit-date",
        source=source,
    )


FACTS = (
    # Korea's statistics: 2023 and 2024; the 2024 figure from two sources that agree.
    trade("kr-2023", 2023, 267_700_000_000, "Korea Customs Service", "src-a")
    + trade("kr-2024-a", 2024, 273_000_000_000, "Korea Customs Service", "src-a")
    + trade("kr-2024-b", 2024, 273_000_000_000, "Korea Customs Service", "src-b")
    # China's statistics: 2023 only.
    + trade("cn-2023", 2023, 310_700_000_000, "General Administration of Customs", "src-c")
    # No basis: a later year than either side's.
    + trade("none-2025", 2025, 300_000_000_000, None, "src-b", qualifier="about")
    # Three say 14 MOUs, one says 15: 14 is the figure most agree with.
    + mous("mous-a", 15, "src-a")
    + mous("mous-b", 14, "src-b")
    + mous("mous-c", 14, "src-c")
    + mous("mous-d", 14, "src-a")
    + summit("date-a", "2026-01-05", "src-a")
    + summit("date-b", "2026-01-06", "src-b")
)


@pytest.fixture
def data(write_facts: WriteFacts) -> Path:
    return write_facts(HEAD + FACTS, "facts.yaml")


@pytest.fixture
def brief(data: Path) -> dict[str, Any]:
    with FactStore.open(data) as store:
        made: dict[str, Any] = build_brief(store)
    return made


def section(brief: dict[str, Any], key: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [s for s in brief["sections"] if s["id"] == key]
    assert len(found) == 1, key
    return found[0]


def test_headlines_are_the_latest_year_on_each_side(brief: dict[str, Any]) -> None:
    facts = section(brief, "figures")["facts"]
    # The later 2025 figure names no statistics: beside both sides' figures it is left to compare.
    # Pages report both: an agency's figure stands for the official one (kortrade.series).
    assert [(f["fact"], f["agreement"]) for f in facts] == [
        ("kr-2024-a", "Korea's statistics; official figure as a page reports it; 1 of 1 other sources agree"),
        ("cn-2023", "China's statistics; official figure as a page reports it"),
    ]


def test_without_either_side_the_latest_unattributed_year_heads(write_facts: WriteFacts) -> None:
    path = write_facts(HEAD + trade("old", 2020, 5, None, "src-a") + trade("new", 2021, 6, None, "src-b"), "f.yaml")
    with FactStore.open(path) as store:
        facts = section(build_brief(store), "figures")["facts"]
    assert [(f["fact"], f["agreement"]) for f in facts] == [("new", "statistics not named; the only source")]


def test_the_visit_figure_is_the_one_most_sources_agree_with(brief: dict[str, Any]) -> None:
    facts = {f["fact"]: f for f in section(brief, "visit")["facts"]}
    # mous-b is the first of the three that say 14; the fourth says 15.
    assert facts["mous-b"]["figure"] == "14 memorandums"
    assert facts["mous-b"]["agreement"] == "3 of 4 sources agree; 1 differ"
    assert "mous-a" not in facts


def test_disagreements_name_each_figure_and_who_gives_it(brief: dict[str, Any]) -> None:
    lines = [f["statement"] for f in section(brief, "disagreements")["facts"]]
    assert lines == [
        "Date of the summit: 2026-01-05 (Pub); 2026-01-06 (Yonhap)",
        "MOUs signed at the summit: 15 memorandums (Pub); 14 memorandums (Yonhap and others)",
    ]
    cites = [f["cites"] for f in section(brief, "disagreements")["facts"]]
    numbers = {c["id"]: c["number"] for c in brief["citations"]}
    assert cites == [sorted([numbers["src-a"], numbers["src-b"]]), sorted([numbers["src-a"], numbers["src-b"]])]


def test_the_chart_draws_each_countrys_statistics_apart(brief: dict[str, Any]) -> None:
    # China's statistics have one year here: too few to chart. No chart joins the two sides,
    # nor takes a figure that names no statistics.
    (chart,) = section(brief, "figures")["charts"]
    assert chart["title"] == "Trade between China and the ROK, on Korea's statistics"
    assert [(p["period"], p["fact"]) for p in chart["points"]] == [("2023", "kr-2023"), ("2024", "kr-2024-a")]


def test_every_cited_source_is_listed_once_and_numbered_in_order(brief: dict[str, Any]) -> None:
    assert [c["number"] for c in brief["citations"]] == list(range(1, len(brief["citations"]) + 1))
    assert sorted(c["id"] for c in brief["citations"]) == ["src-a", "src-b", "src-c"]
    assert brief["more"] == ["kortrade compare --conflicts", "kortrade compare bilateral-trade", "kortrade facts"]


def test_markdown_says_who_agrees_and_points_to_compare(brief: dict[str, Any]) -> None:
    text = to_markdown(brief)
    assert "*(Korea's statistics; official figure as a page reports it; 1 of 1 other sources agree)*" in text
    assert "## Where sources disagree: check before quoting" in text
    assert "`kortrade compare --conflicts`" in text


def test_topic_narrows_the_chosen_briefing(data: Path) -> None:
    with FactStore.open(data) as store:
        brief = build_brief(store, ["visit"])
    assert [s["id"] for s in brief["sections"]] == ["visit", "disagreements"]


def test_the_command_prints_the_same_structure(cli: Cli, data: Path) -> None:
    result = cli("brief", "--data", str(data), "--format", "json")
    assert result.exit_code == 0, result.output
    assert [s["id"] for s in json.loads(result.stdout)["sections"]] == ["figures", "visit", "disagreements"]


@pytest.fixture(scope="module")
def shipped_brief() -> dict[str, Any]:
    with FactStore.open(SHIPPED) as store:
        made: dict[str, Any] = build_brief(store)
    return made


def official_rows(cli: Cli) -> list[dict[str, Any]]:
    result = cli("series", "--data", str(SHIPPED), "--format", "json")
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def test_the_shipped_headline_is_each_sides_latest_official_year(cli: Cli, shipped_brief: dict[str, Any]) -> None:
    facts = section(shipped_brief, "figures")["facts"]
    full_years = [f for f in facts if "part of a year" not in f["agreement"]]
    expected = []
    for measure in MAIN_MEASURES:
        for country, words in SIDES:
            rows = [r for r in official_rows(cli) if r["measure"] == measure and r["basis_country"] == country]
            if rows:
                expected.append((rows[-1]["period"], rows[-1]["display"], words))
    assert [(f["period"], f["figure"], f["agreement"].split(";")[0]) for f in full_years] == expected
    # One year per measure and side, never a part of one; and the newest part of a later year follows.
    assert all(len(str(f["period"])) == 4 for f in full_years)
    partial = [f for f in facts if "part of a year" in f["agreement"]]
    assert partial
    assert all("/" in str(f["period"]) for f in partial)
    korea_trade = next(f for f in full_years if "Korea's" in f["agreement"])
    assert "worked out by kortrade" in korea_trade["statement"] + korea_trade["agreement"]


def test_the_shipped_chart_never_joins_the_two_countries(shipped_brief: dict[str, Any]) -> None:
    charts = section(shipped_brief, "figures")["charts"]
    assert [c["title"].rsplit(", on ", 1)[1] for c in charts] == ["Korea's statistics", "China's statistics"]
    years = [[p["period"] for p in c["points"]] for c in charts]
    assert all(y == sorted(y) and len(set(y)) == len(y) for y in years)


def test_the_shipped_visit_names_the_areas_and_how_sources_count(shipped_brief: dict[str, Any]) -> None:
    facts = section(shipped_brief, "visit")["facts"]
    documents = next(f for f in facts if f["figure"] == "15 documents")
    assert documents["items"], "the areas of the documents signed"
    (count,) = [f for f in facts if str(f["statement"]).startswith("How sources count")]
    assert "15 documents" in count["statement"]
    assert "14 memorandums and a donation certificate" in count["statement"]
