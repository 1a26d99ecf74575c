"""The output contract: field order, JSON/JSONL/CSV/Markdown/table text, and safe output of odd data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from pathlib import Path

import pytest

from kortrade import FactStore, UsageError
from kortrade.model import Fact, PartialDate, Period, Source
from kortrade.records import FACT_FIELDS, SOURCE_FIELDS, Record, fact_record
from kortrade.render import Format, View, parse_fields, render
from kortrade.table import Table
from kortrade.views import fact_view, facts_view, sources_view, topics_view
from support.keys import FACT_KEYS, SOURCE_KEYS

SOURCE = Source(
    "src-a",
    "A source",
    "Pub",
    PartialDate("2026-01-09", dt.date(2026, 1, 9), dt.date(2026, 1, 9)),
    "https://example.org/a",
)
SOURCE_JSON = {
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
NO_MEASURE: dict[str, object] = {
    "measure": None,
    "basis": [],
    "basis_country": None,
    "value_text": None,
    "decimals": None,
}


def make_fact(statement: str = "S.", **fields: object) -> Record:
    """A fact's record built directly, to feed the renderers text a YAML file could not easily hold."""
    base: dict[str, object] = {"id": "odd-one", "topic": "trade", "statement": statement, "source": SOURCE}
    return fact_record(Fact(**{**base, **fields}))  # type: ignore[arg-type]


def out(view: View, fmt: Format) -> str:
    buffer = io.StringIO()
    render(view, fmt, buffer, colour=False)
    return buffer.getvalue()


def store_records(path: Path) -> list[Record]:
    store = FactStore.open(path)
    try:
        return store.facts()
    finally:
        store.close()


@pytest.fixture
def facts(minimal: Path) -> list[Record]:
    """The minimal file's facts as the store returns them (and as the CLI renders them)."""
    return store_records(minimal)


@pytest.fixture(autouse=True)
def _fixed_width(monkeypatch: pytest.MonkeyPatch) -> None:
    # Rich takes its width from COLUMNS when writing to a file.
    monkeypatch.setenv("COLUMNS", "80")
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)


# -- field order and contents ------------------------------------------------------------


def test_field_constants_are_the_contract() -> None:
    assert list(FACT_FIELDS) == FACT_KEYS
    assert list(SOURCE_FIELDS) == SOURCE_KEYS


def test_json_fact_keys_in_contract_order(facts: list[Record]) -> None:
    records = json.loads(out(facts_view(facts), Format.json))
    assert [list(r) for r in records] == [FACT_KEYS, FACT_KEYS]
    assert [list(r["source"]) for r in records] == [SOURCE_KEYS, SOURCE_KEYS]


def test_json_exact_records(facts: list[Record]) -> None:
    records = json.loads(out(facts_view(facts), Format.json))
    assert records == [
        {
            "id": "fact-one",
            "topic": "trade",
            "statement": "Trade came to $1.5 billion in 2024.",
            "value": 1500000000,
            "unit": "USD",
            "qualifier": "about",
            "display": "about $1.5 billion",
            "period": "2024",
            "entities": ["China", "Republic of Korea"],
            "items": [],
            "tags": ["trade-volume"],
            "note": None,
            "source": SOURCE_JSON,
            **NO_MEASURE,
            "period_start": "2024-01-01",
            "period_end": "2024-12-31",
        },
        {
            "id": "fact-two",
            "topic": "visit",
            "statement": "A visit ended on 7 January 2026.",
            "value": None,
            "unit": None,
            "qualifier": None,
            "display": None,
            "period": "2026-01-07",
            "entities": ["Lee Jae Myung"],
            "items": [],
            "tags": [],
            "note": "Worked out from a weekday.",
            "source": SOURCE_JSON,
            **NO_MEASURE,
            "period_start": "2026-01-07",
            "period_end": "2026-01-07",
        },
    ]


def test_json_text_has_nulls_and_empty_lists(facts: list[Record]) -> None:
    text = out(fact_view(facts[1]), Format.json)
    assert text == (
        "{\n"
        '  "id": "fact-two",\n'
        '  "topic": "visit",\n'
        '  "statement": "A visit ended on 7 January 2026.",\n'
        '  "value": null,\n'
        '  "unit": null,\n'
        '  "qualifier": null,\n'
        '  "display": null,\n'
        '  "period": "2026-01-07",\n'
        '  "entities": [\n'
        '    "Lee Jae Myung"\n'
        "  ],\n"
        '  "items": [],\n'
        '  "tags": [],\n'
        '  "note": "Worked out from a weekday.",\n'
        '  "source": {\n'
        '    "id": "src-a",\n'
        '    "title": "A source",\n'
        '    "publisher": "Pub",\n'
        '    "published": "2026-01-09",\n'
        '    "url": "https://example.org/a",\n'
        '    "kind": null,\n'
        '    "language": null,\n'
        '    "via": null,\n'
        '    "date_note": null\n'
        "  },\n"
        '  "measure": null,\n'
        '  "basis": [],\n'
        '  "basis_country": null,\n'
        '  "value_text": null,\n'
        '  "decimals": null,\n'
        '  "period_start": "2026-01-07",\n'
        '  "period_end": "2026-01-07"\n'
        "}\n"
    )


def test_single_fact_json_is_an_object(facts: list[Record]) -> None:
    assert json.loads(out(fact_view(facts[0]), Format.json)) == facts[0]


def test_period_is_always_a_string(facts: list[Record]) -> None:
    # In the YAML, `period: 2024` is a plain int and `period: 2026-01-07` a plain date.
    records = json.loads(out(facts_view(facts), Format.json))
    assert [r["period"] for r in records] == ["2024", "2026-01-07"]
    ranged = make_fact(period=Period("2026-2030", dt.date(2026, 1, 1), dt.date(2030, 12, 31)))
    assert json.loads(out(fact_view(ranged), Format.json))["period"] == "2026-2030"


def test_shipped_json_periods_are_strings(shipped: Path) -> None:
    records = json.loads(out(facts_view(store_records(shipped)), Format.json))
    periods = {r["id"]: r["period"] for r in records}
    assert periods["trade-volume-2024"] == "2024"
    assert periods["leaders-meeting-beijing"] == "2026-01-05"
    assert periods["five-year-plan-2026-2030"] == "2026-2030"
    assert periods["lee-state-visit"] is None
    assert all(p is None or isinstance(p, str) for p in periods.values())


def test_shipped_json_has_no_nan_or_infinity(shipped: Path) -> None:
    text = out(facts_view(store_records(shipped)), Format.json)
    assert "NaN" not in text
    assert "Infinity" not in text
    values = [r["value"] for r in json.loads(text)]
    assert all(v is None or (type(v) in (int, float) and math.isfinite(v)) for v in values)


def test_nan_is_never_written(facts: list[Record]) -> None:
    for value in (math.nan, math.inf):
        view = fact_view(make_fact(value=value, unit="percent", qualifier="about"))
        buffer = io.StringIO()
        with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
            render(view, Format.json, buffer, colour=False)
        with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
            render(view, Format.jsonl, buffer, colour=False)
        assert buffer.getvalue() == ""


# -- text that is not plain ASCII -------------------------------------------------------------


def test_korean_and_chinese_are_utf8_not_escapes() -> None:
    fact = make_fact("한국과 중국의 무역 中韩贸易", entities=("대한민국", "中国"))
    text = out(fact_view(fact), Format.json)
    assert '"statement": "한국과 중국의 무역 中韩贸易"' in text
    assert '"entities": [\n    "대한민국",\n    "中国"\n  ]' in text
    assert "\\u" not in text
    line = out(facts_view([fact]), Format.jsonl)
    assert '"statement":"한국과 중국의 무역 中韩贸易"' in line


def test_c1_controls_del_and_bidi_are_escaped_in_json() -> None:
    statement = "a\x7fb\x80c\x85d\x9fe\u202ef\u2066g\x1bh\ti"
    fact = make_fact(statement)
    text = out(fact_view(fact), Format.json)
    assert '"statement": "a\\u007fb\\u0080c\\u0085d\\u009fe\\u202ef\\u2066g\\u001bh\\ti"' in text
    for raw in ("\x7f", "\x80", "\x85", "\x9f", "\u202e", "\u2066", "\x1b", "\t"):
        assert raw not in text
    assert json.loads(text)["statement"] == statement
    line = out(facts_view([fact]), Format.jsonl)
    assert json.loads(line)["statement"] == statement
    assert "\x7f" not in line
    assert "\x85" not in line


def test_escaping_leaves_backslashes_alone() -> None:
    statement = "back\\slash \\u0085 literal"
    text = out(fact_view(make_fact(statement)), Format.json)
    assert '"statement": "back\\\\slash \\\\u0085 literal"' in text
    assert json.loads(text)["statement"] == statement


# -- jsonl --------------------------------------------------------------------------------------


def test_jsonl_is_one_compact_object_per_line(facts: list[Record]) -> None:
    text = out(facts_view(facts), Format.jsonl)
    lines = text.split("\n")
    assert lines[-1] == ""
    assert len(lines) == 3
    assert [json.loads(line) for line in lines[:2]] == facts
    assert lines[0].startswith('{"id":"fact-one","topic":"trade","statement":')
    assert lines[1].endswith(
        '"source":{"id":"src-a","title":"A source","publisher":"Pub","published":"2026-01-09",'
        '"url":"https://example.org/a","kind":null,"language":null,"via":null,"date_note":null},'
        '"measure":null,"basis":[],"basis_country":null,"value_text":null,"decimals":null,'
        '"period_start":"2026-01-07","period_end":"2026-01-07"}'
    )


def test_jsonl_keeps_newlines_in_text_inside_one_line() -> None:
    text = out(facts_view([make_fact("two\nlines")]), Format.jsonl)
    assert text.count("\n") == 1
    assert '"statement":"two\\nlines"' in text


# -- csv ------------------------------------------------------------------------------------------


def test_csv_exact(facts: list[Record]) -> None:
    assert out(facts_view(facts), Format.csv) == (
        "id,topic,statement,value,unit,qualifier,display,period,entities,items,tags,note,source,"
        "measure,basis,basis_country,value_text,decimals,period_start,period_end\n"
        "fact-one,trade,Trade came to $1.5 billion in 2024.,1500000000,USD,about,about $1.5 billion,2024,"
        "China; Republic of Korea,,trade-volume,,src-a,,,,,,2024-01-01,2024-12-31\n"
        "fact-two,visit,A visit ended on 7 January 2026.,,,,,2026-01-07,Lee Jae Myung,,,"
        "Worked out from a weekday.,src-a,,,,,,2026-01-07,2026-01-07\n"
    )


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_csv_neutralises_formula_starts(start: str) -> None:
    fact = make_fact(f"{start}HYPERLINK(1)", entities=(f"{start}cmd", "ok"), note=f"{start}note")
    rows = list(csv.reader(io.StringIO(out(facts_view([fact]), Format.csv))))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["statement"] == f"'{start}HYPERLINK(1)"
    assert row["entities"] == f"'{start}cmd; ok"
    assert row["note"] == f"'{start}note"


def test_csv_numbers_are_not_neutralised() -> None:
    fact = make_fact(value=-5, unit="percent", qualifier="exact")
    text = out(facts_view([fact]), Format.csv)
    assert text.splitlines()[1] == "odd-one,trade,S.,-5,percent,exact,'-5%,,,,,,src-a,,,,,,,"
    floaty = make_fact(value=0.1, unit="percent", qualifier="about")
    assert out(facts_view([floaty]), Format.csv).splitlines()[1] == (
        "odd-one,trade,S.,0.1,percent,about,about 0.1%,,,,,,src-a,,,,,,,"
    )


def test_csv_quotes_commas_quotes_and_newlines() -> None:
    fact = make_fact('He said "yes", then\nleft.')
    text = out(facts_view([fact]), Format.csv)
    assert text.split("\n", 1)[1] == 'odd-one,trade,"He said ""yes"", then\nleft.",,,,,,,,,,src-a,,,,,,,\n'
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][2] == 'He said "yes", then\nleft.'


def test_csv_escapes_control_characters() -> None:
    fact = make_fact("a\x1b[31mb\x7fc\td")
    rows = list(csv.reader(io.StringIO(out(facts_view([fact]), Format.csv))))
    assert rows[1][2] == "a\\x1b[31mb\\x7fc d"


def test_csv_single_fact_has_header_and_one_row(facts: list[Record]) -> None:
    assert out(fact_view(facts[0]), Format.csv).splitlines() == [
        "id,topic,statement,value,unit,qualifier,display,period,entities,items,tags,note,source,"
        "measure,basis,basis_country,value_text,decimals,period_start,period_end",
        "fact-one,trade,Trade came to $1.5 billion in 2024.,1500000000,USD,about,about $1.5 billion,2024,"
        "China; Republic of Korea,,trade-volume,,src-a,,,,,,2024-01-01,2024-12-31",
    ]


# -- markdown --------------------------------------------------------------------------------------


def test_markdown_exact(facts: list[Record]) -> None:
    assert out(facts_view(facts), Format.markdown) == (
        "| ID | Topic | Figure | Period | Statement | Source |\n"
        "|---|---|---:|---|---|---|\n"
        "| fact-one | trade | about \\$1.5 billion | 2024 | Trade came to \\$1.5 billion in 2024. | Pub, 2026-01-09 |\n"
        "| fact-two | visit |  | 2026-01-07 | A visit ended on 7 January 2026. | Pub, 2026-01-09 |\n"
    )


def test_markdown_escapes_pipes_backslashes_and_newlines() -> None:
    fact = make_fact("a | b \\ c\nd\x1be")
    lines = out(facts_view([fact]), Format.markdown).splitlines()
    assert lines[2] == "| odd-one | trade |  |  | a \\| b \\\\ c d\\\\x1be | Pub, 2026-01-09 |"


def test_markdown_single_fact_is_field_value_table(facts: list[Record]) -> None:
    assert out(fact_view(facts[1]), Format.markdown) == (
        "| Field | Value |\n"
        "|---|---|\n"
        "| ID | fact-two |\n"
        "| Topic | visit |\n"
        "| Statement | A visit ended on 7 January 2026. |\n"
        "| Value |  |\n"
        "| Unit |  |\n"
        "| Qualifier |  |\n"
        "| Figure |  |\n"
        "| Period | 2026-01-07 |\n"
        "| Entities | Lee Jae Myung |\n"
        "| Items |  |\n"
        "| Tags |  |\n"
        "| Note | Worked out from a weekday. |\n"
        "| Source | Pub, 2026-01-09 |\n"
        "| Measure |  |\n"
        "| Basis |  |\n"
        "| Basis of |  |\n"
        "| Answer |  |\n"
    )


# -- tables for people ----------------------------------------------------------------------------------

RULE = " " + "─" * 78


def test_table_exact(facts: list[Record]) -> None:
    assert out(facts_view(facts), Format.table) == (
        "trade\n"
        "\n"
        "              Figure   Period   Fact\n"
        f"{RULE}\n"
        "  about $1.5 billion   2024     Trade came to $1.5 billion in 2024.\n"
        "                                fact-one · Pub, 2026-01-09\n"
        "\n"
        "visit\n"
        "\n"
        "  Figure   Period       Fact\n"
        f"{RULE}\n"
        "           2026-01-07   A visit ended on 7 January 2026.\n"
        "                        fact-two · Pub, 2026-01-09\n"
    )


def test_detail_table_skips_empty_fields(facts: list[Record]) -> None:
    assert out(fact_view(facts[0]), Format.table) == (
        "  ID          fact-one\n"
        "  Topic       trade\n"
        "  Statement   Trade came to $1.5 billion in 2024.\n"
        "  Value       1500000000\n"
        "  Unit        USD\n"
        "  Qualifier   about\n"
        "  Figure      about $1.5 billion\n"
        "  Period      2024\n"
        "  Entities    China, Republic of Korea\n"
        "  Tags        trade-volume\n"
        "  Source      A source\n"
        "              Pub, 2026-01-09\n"
        "              https://example.org/a\n"
    )


def test_table_has_no_escape_bytes_and_no_markup() -> None:
    odd = make_fact("[bold]x[/bold] :smile: \x1b[31mred\x1b[0m \u202eevil")
    shown = "[bold]x[/bold] :smile: \\x1b[31mred\\x1b[0m \\u202eevil"
    listing = out(facts_view([odd]), Format.table)
    detail = out(fact_view(odd), Format.table)
    assert listing == (
        "trade\n"
        "\n"
        "  Figure   Period   Fact\n"
        f"{RULE}\n"
        f"                    {shown}\n"
        "                    odd-one · Pub, 2026-01-09\n"
    )
    assert detail == (
        "  ID          odd-one\n"
        "  Topic       trade\n"
        f"  Statement   {shown}\n"
        "  Source      A source\n"
        "              Pub, 2026-01-09\n"
        "              https://example.org/a\n"
    )
    for text in (listing, detail):
        assert "\x1b" not in text
        assert "\u202e" not in text


def test_table_escapes_controls_in_every_column() -> None:
    odd = make_fact("S.", entities=("\x07bell",), note="tab\there\x9b")
    text = out(fact_view(odd), Format.table)
    assert "  Entities    \\x07bell\n" in text
    assert "  Note        tab here\\x9b\n" in text
    assert "\x07" not in text
    assert "\x9b" not in text


def test_table_lines_have_no_trailing_spaces(facts: list[Record]) -> None:
    text = out(facts_view(facts), Format.table)
    assert all(line == line.rstrip() for line in text.split("\n"))
    assert text.endswith("\n")
    assert not text.endswith("\n\n")


def test_coloured_table_still_escapes_data() -> None:
    odd = make_fact("\x1b[31mred")
    buffer = io.StringIO()
    render(fact_view(odd), Format.table, buffer, colour=True)
    text = buffer.getvalue()
    assert "\\x1b[31mred" in text
    assert "\x1b[31mred" not in text


# -- choosing fields ------------------------------------------------------------------------------------


def test_with_fields_picks_and_reorders(facts: list[Record]) -> None:
    view = facts_view(facts).with_fields(["display", "id"])
    assert view.fields == ("display", "id")
    assert view.summary == ("display", "id")
    assert json.loads(out(view, Format.json)) == [
        {"display": "about $1.5 billion", "id": "fact-one"},
        {"display": None, "id": "fact-two"},
    ]
    assert out(view, Format.csv) == "display,id\nabout $1.5 billion,fact-one\n,fact-two\n"
    assert (
        out(view, Format.jsonl)
        == '{"display":"about $1.5 billion","id":"fact-one"}\n{"display":null,"id":"fact-two"}\n'
    )


def test_with_fields_drops_repeats(facts: list[Record]) -> None:
    view = facts_view(facts).with_fields(["id", "period", "id"])
    assert view.fields == ("id", "period")
    assert out(view, Format.csv) == "id,period\nfact-one,2024\nfact-two,2026-01-07\n"


def test_with_fields_keeps_grouping_only_with_its_field(facts: list[Record]) -> None:
    assert facts_view(facts).with_fields(["id"]).group_by is None
    grouped = facts_view(facts).with_fields(["topic", "id"])
    assert grouped.group_by == "topic"
    assert grouped.beneath == ()
    assert out(grouped, Format.table) == (
        "trade\n\n  ID\n ──────────\n  fact-one\n\nvisit\n\n  ID\n ──────────\n  fact-two\n"
    )


def test_with_fields_nothing_asked_is_unchanged(facts: list[Record]) -> None:
    view = facts_view(facts)
    assert view.with_fields(None) is view
    assert view.with_fields([]) is view


def test_with_fields_rejects_unknown_names(facts: list[Record]) -> None:
    with pytest.raises(UsageError) as info:
        facts_view(facts).with_fields(["id", "bogus", "other"])
    assert str(info.value) == (
        "unknown field 'bogus' for --fields; choose from: id, topic, statement, value, unit, qualifier, "
        "display, period, entities, items, tags, note, source, measure, basis, basis_country, value_text, "
        "decimals, period_start, period_end, names"
    )


def test_with_fields_on_a_single_fact(facts: list[Record]) -> None:
    view = fact_view(facts[0]).with_fields(["source", "id"])
    assert json.loads(out(view, Format.json)) == {"source": SOURCE_JSON, "id": "fact-one"}
    assert list(json.loads(out(view, Format.json))) == ["source", "id"]


def test_parse_fields() -> None:
    assert parse_fields(None) is None
    assert parse_fields("id, display ,,period") == ["id", "display", "period"]
    with pytest.raises(UsageError) as info:
        parse_fields(" , ,")
    assert str(info.value) == "--fields needs at least one field name, e.g. --fields id,display"


# -- empty views -------------------------------------------------------------------------------------------


def test_empty_views() -> None:
    empty = facts_view([])
    assert out(empty, Format.json) == "[]\n"
    assert out(empty, Format.jsonl) == ""
    assert out(empty, Format.csv) == ",".join(FACT_KEYS) + "\n"
    assert out(empty, Format.table) == ""
    assert out(empty, Format.markdown) == (
        "| ID | Topic | Figure | Period | Statement | Source |\n|---|---|---:|---|---|---|\n"
    )


def test_empty_view_with_fields() -> None:
    empty = facts_view([]).with_fields(["id", "display"])
    assert out(empty, Format.csv) == "id,display\n"
    assert out(empty, Format.json) == "[]\n"


# -- topics and sources --------------------------------------------------------------------------------------


def test_topics_and_sources_views(minimal: Path) -> None:
    store = FactStore.open(minimal)
    assert out(topics_view(store), Format.json) == (
        '[\n  {\n    "topic": "trade",\n    "facts": 1\n  },\n  {\n    "topic": "visit",\n    "facts": 1\n  }\n]\n'
    )
    assert out(topics_view(store), Format.csv) == "topic,facts\ntrade,1\nvisit,1\n"
    assert json.loads(out(sources_view(store.sources()), Format.json)) == [{**SOURCE_JSON, "facts": 2}]
    assert list(json.loads(out(sources_view(store.sources()), Format.json))[0]) == [*SOURCE_KEYS, "facts"]
    assert out(sources_view(store.sources()), Format.markdown) == (
        "| ID | Publisher | Published | Kind | Language | Facts |\n"
        "|---|---|---|---|---|---:|\n"
        "| src-a | Pub | 2026-01-09 |  |  | 2 |\n"
    )
    store.close()


def test_json_of_a_stream_is_the_json_of_the_list(shipped: Path) -> None:
    from kortrade.records import FACT_FIELDS
    from kortrade.render import View, render_json
    from kortrade.store import FactStore

    with FactStore.open(shipped) as store:
        records = store.facts()
        streamed, listed = io.StringIO(), io.StringIO()
        render_json(View(store.iter_facts(), FACT_FIELDS, FACT_FIELDS), streamed, False)
        render_json(View(records, FACT_FIELDS, FACT_FIELDS), listed, False)
    assert streamed.getvalue() == listed.getvalue() == json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    empty = io.StringIO()
    render_json(View(iter([]), FACT_FIELDS, FACT_FIELDS), empty, False)
    assert empty.getvalue() == "[]\n"


# -- tables written as they are drawn -----------------------------------------------------


class Writes(io.StringIO):
    """A stream that remembers what each flush had received."""

    def __init__(self) -> None:
        super().__init__()
        self.flushed: list[str] = []

    def flush(self) -> None:
        self.flushed.append(self.getvalue())


@pytest.mark.parametrize("colour", [False, True], ids=["plain", "colour"])
def test_long_tables_are_written_piece_by_piece_as_drawn_whole(colour: bool) -> None:
    from kortrade import table

    facts = [make_fact(f"Statement number {n} is long enough to wrap over two lines of the table.") for n in range(80)]
    whole = io.StringIO()
    drawn = "\n".join(table.draw(_a_table(facts), whole, table.console_width(), colour=colour))
    expected = "\n".join(line.rstrip() for line in drawn.split("\n")).strip("\n") + "\n"
    out = Writes()
    render(facts_view(facts), Format.table, out, colour=colour)
    assert out.getvalue() == expected
    assert ("\x1b[" in expected) is colour
    # More than one piece reached the reader before the end: a pager shows the first screen early.
    pieces = [text for text in out.flushed if text]
    assert len(pieces) >= 3
    assert pieces[0] != out.getvalue()


def _a_table(facts: list[Record]) -> Table:
    from kortrade.render import Links, _list_table

    view = facts_view(facts)
    spec = _list_table(view, facts, title="trade", links=Links(hyperlinks=False))
    assert spec is not None
    return spec


def test_lines_drop_trailing_spaces_and_blank_lines_at_the_ends() -> None:
    from kortrade.render import Lines

    out = Writes()
    lines = Lines(out)
    for piece in ("\n\n  a  \n", "\n", "b", "  \n\n", "\n"):
        lines.write(piece)
    lines.close()
    assert out.getvalue() == "  a\n\nb\n"
