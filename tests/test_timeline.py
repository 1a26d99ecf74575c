"""``kortrade timeline``: the facts with a period, oldest first, in every format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import Result

from kortrade.store import FactStore
from support.cli import Cli
from support.facts import SOURCES, WriteFacts
from support.keys import FACT_KEYS, SOURCE_KEYS


def fact(fact_id: str, topic: str, period: str | None, extra: str = "") -> str:
    lines = [f"  - id: {fact_id}", f"    topic: {topic}", f"    statement: The fact {fact_id}."]
    if period is not None:
        lines.append(f"    period: {period}")
    return "\n".join(lines) + "\n" + extra + "    source: src-a\n"


# File order is deliberately not the time order; each fact's (first day, last day):
ORDERING = (
    SOURCES
    + "facts:\n"
    + fact("plan-2026-2030", "cooperation", "2026-2030")  # 2026-01-01 .. 2030-12-31
    + fact("jan-5-first", "visit", "2026-01-05")  # 2026-01-05 .. 2026-01-05
    + fact(
        "year-2026",
        "trade",
        "2026",  # 2026-01-01 .. 2026-12-31
        "    value: 5\n    unit: documents\n    qualifier: over\n    entities: [China]\n    tags: [count]\n",
    )
    + fact("undated", "visit", None)
    + fact("jan-5-second", "visit", "2026-01-05")  # a tie with jan-5-first: file order
    + fact("growth-1992-2024", "trade", "1992-2024")  # 1992-01-01 .. 2024-12-31
    + fact("new-year-2026", "visit", "2026-01-01")  # 2026-01-01 .. 2026-01-01
    + fact("relations-1992", "relations", "1992")  # 1992-01-01 .. 1992-12-31
    + fact("undated-trade", "trade", None)
)
ORDER = [
    "relations-1992",  # same first day as the range 1992-2024, earlier last day
    "growth-1992-2024",
    "new-year-2026",  # 2026-01-01, one day
    "year-2026",  # 2026-01-01 .. 2026-12-31
    "plan-2026-2030",  # 2026-01-01 .. 2030-12-31
    "jan-5-first",
    "jan-5-second",
]
PERIODS = ["1992", "1992-2024", "2026-01-01", "2026", "2026-2030", "2026-01-05", "2026-01-05"]


# No colour or width settings; without --data, the classic file (the shipped one's in test_shipped).
pytestmark = pytest.mark.usefixtures("classic_environment")


@pytest.fixture
def ordering(write_facts: WriteFacts) -> Path:
    return write_facts(ORDERING, "ordering.yaml")


def ids_of(result: Result) -> list[str]:
    assert result.exit_code == 0, result.stderr
    return [record["id"] for record in json.loads(result.stdout)]


def test_order_first_day_then_last_day_then_file_order(cli: Cli, ordering: Path) -> None:
    assert ids_of(cli("timeline", "--data", str(ordering), "--json")) == ORDER


def test_undated_facts_are_left_out(cli: Cli, ordering: Path) -> None:
    found = ids_of(cli("timeline", "--data", str(ordering), "--json"))
    assert "undated" not in found
    assert "undated-trade" not in found
    assert len(found) == 7


def test_library_gives_the_same_order(ordering: Path) -> None:
    store = FactStore.open(str(ordering))
    try:
        assert [r["id"] for r in store.timeline()] == ORDER
        assert [r["id"] for r in store.timeline(topic="Trade")] == ["growth-1992-2024", "year-2026"]
    finally:
        store.close()


def test_csv_periods_in_order(cli: Cli, ordering: Path) -> None:
    result = cli("timeline", "--data", str(ordering), "--fields", "period,id", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows == [["period", "id"], *([p, i] for p, i in zip(PERIODS, ORDER, strict=True))]


def test_markdown_table(cli: Cli, ordering: Path) -> None:
    result = cli("timeline", "--data", str(ordering), "--fields", "id,period", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    expected = ["| ID | Period |", "|---|---|"] + [f"| {i} | {p} |" for i, p in zip(ORDER, PERIODS, strict=True)]
    assert result.stdout.splitlines() == expected


def test_jsonl_one_fact_a_line(cli: Cli, ordering: Path) -> None:
    result = cli("timeline", "--data", str(ordering), "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ORDER
    assert all(list(json.loads(line)) == FACT_KEYS for line in lines)


def test_table_lists_the_facts_in_order(cli: Cli, ordering: Path) -> None:
    result = cli("timeline", "--data", str(ordering))
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "\x1b" not in text
    positions = [text.index(f"{fact_id} ·") for fact_id in ORDER]
    assert positions == sorted(positions)
    assert "undated" not in text
    assert "The fact plan-2026-2030." in text


def test_json_keys_are_the_fact_contract(cli: Cli, ordering: Path) -> None:
    result = cli("timeline", "--data", str(ordering), "--format", "json")
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    for record in records:
        assert list(record) == FACT_KEYS
        assert list(record["source"]) == SOURCE_KEYS
        assert isinstance(record["period"], str)
    year = next(r for r in records if r["id"] == "year-2026")
    assert year["display"] == "over 5 documents"
    assert (year["value"], year["unit"], year["qualifier"]) == (5, "documents", "over")
    assert year["entities"] == ["China"]
    assert year["tags"] == ["count"]
    assert year["source"] == {
        "id": "src-a",
        "title": "A source",
        "publisher": "Pub",
        "published": "2026-01-09",
        "url": "https://example.org/a",
        "kind": None,
        "language": None,
        "via": None,
        "date_note": None,
    }


def test_json_is_the_same_as_show(cli: Cli, ordering: Path) -> None:
    records = json.loads(cli("timeline", "--data", str(ordering), "--json").stdout)
    for record in records:
        shown = json.loads(cli("show", record["id"], "--data", str(ordering), "--json").stdout)
        # show adds, after the contract's keys, which other sources state the fact's measure.
        assert shown.pop("official") is None
        assert shown.pop("corroboration") is None
        assert shown == record


@pytest.mark.parametrize("topic", ["visit", "VISIT", "Visit"])
def test_topic_any_case(cli: Cli, ordering: Path, topic: str) -> None:
    result = cli("timeline", "--data", str(ordering), "--topic", topic, "--json")
    assert ids_of(result) == ["new-year-2026", "jan-5-first", "jan-5-second"]


def test_unknown_topic_is_a_usage_error(cli: Cli, ordering: Path) -> None:
    result = cli("timeline", "--data", str(ordering), "--topic", "nope")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "kortrade: unknown topic 'nope'; topics are: cooperation, visit, trade, relations\n"


def test_no_fact_with_a_period_exits_1(cli: Cli, write_facts: WriteFacts) -> None:
    path = write_facts(SOURCES + "facts:\n" + fact("a", "trade", None) + fact("b", "visit", None), "undated.yaml")
    result = cli("timeline", "--data", str(path))
    assert result.exit_code == 1
    assert result.stderr == "kortrade: no facts with a period\n"
    as_json = cli("timeline", "--data", str(path), "--json")
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout) == []


def test_topic_without_dated_facts_exits_1(cli: Cli) -> None:
    result = cli("timeline", "--topic", "industry")
    assert result.exit_code == 1
    assert result.stderr == "kortrade: no facts with a period\n"


def test_classic_visit_timeline(cli: Cli) -> None:
    result = cli("timeline", "--topic", "visit", "--fields", "period,id", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "period,id\n"
        "2026-01-05,leaders-meeting-beijing\n"
        "2026-01-05,business-forum-beijing\n"
        "2026-01-07,lee-visit-concluded\n"
        "2026-01-07,journalist-luncheon-shanghai\n"
    )


def test_classic_timeline_is_every_dated_fact_oldest_first(cli: Cli) -> None:
    everything = json.loads(cli("facts", "--json").stdout)
    dated = [r["id"] for r in everything if r["period"] is not None]
    timeline = ids_of(cli("timeline", "--json"))
    assert sorted(timeline) == sorted(dated)
    assert timeline == [
        "diplomatic-relations-1992",  # 1992 ends before 1992-2024
        "trade-growth-since-1992",
        "trade-volume-2024",  # the 2024 facts in file order
        "samsung-exports-growth-2024",
        "samsung-exports-value-2024",
        "samsung-largest-market",
        "five-year-plan-2026-2030",  # starts on 2026-01-01, before the visit
        "leaders-meeting-beijing",
        "business-forum-beijing",
        "lee-visit-concluded",
        "journalist-luncheon-shanghai",
    ]
