"""What each command shows, as a :class:`~kortrade.render.View` of records from the store."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from kortrade.errors import Problem
from kortrade.records import (
    ENTITY_FIELDS,
    FACT_EXTRA_FIELDS,
    FACT_FIELDS,
    MEASURE_FIELDS,
    SOURCE_LIST_FIELDS,
    TOPIC_FIELDS,
    Record,
)
from kortrade.render import View
from kortrade.store import FactStore, Hit

# Columns a person reads by default; JSON and CSV always carry every field.
FACT_SUMMARY: Final = ("id", "topic", "display", "period", "statement", "source")
SEARCH_SUMMARY: Final = ("id", "display", "period", "statement", "topic", "source")
# Search results mix topics, so each says its topic next to its id and source.
_UNDER_HIT: Final = (("statement", ("id", "topic", "source")),)
SOURCE_SUMMARY: Final = ("id", "publisher", "published", "kind", "language", "facts")
# One source in full: its record, then the facts that cite it (their ids and statements in a table).
SOURCE_DETAIL_FIELDS: Final = (*SOURCE_LIST_FIELDS, "cited_by")
MEASURE_SUMMARY: Final = ("id", "label", "kind", "facts", "sources")
ENTITY_SUMMARY: Final = ("name", "kind", "names", "facts")
# In a table the fact's id and source sit on a dim line under its statement.
_UNDER_STATEMENT: Final = (("statement", ("id", "source")),)


def facts_view(records: Iterable[Record], texts: Iterable[str] | None = None) -> View:
    """Facts grouped by topic in tables; ``texts``, the same records as JSON lists them."""
    return View(
        records,
        FACT_FIELDS,
        FACT_SUMMARY,
        group_by="topic",
        beneath=_UNDER_STATEMENT,
        extra=FACT_EXTRA_FIELDS,
        texts=texts,
    )


# One fact in full for a person: the ISO bounds and decimals only restate the period and figure.
FACT_DETAIL: Final = tuple(f for f in FACT_FIELDS if f not in ("decimals", "period_start", "period_end"))


def fact_view(record: Record) -> View:
    """One fact in full; ``show`` adds its ``corroboration`` after the contract's keys."""
    if "corroboration" in record:
        fields = (*FACT_FIELDS, "corroboration")
        return View([record], fields, (*FACT_DETAIL, "corroboration"), single=True, extra=FACT_EXTRA_FIELDS)
    return View([record], FACT_FIELDS, FACT_DETAIL, single=True, extra=FACT_EXTRA_FIELDS)


def search_view(hits: list[Hit], *, preface: list[str] | None = None) -> View:
    """Best match first; the matched words of each statement are marked for the terminal.
    ``preface``: lines a table shows above the facts (the answer to a question)."""
    lines = list(preface or [])
    return View(
        [hit.record for hit in hits],
        FACT_FIELDS,
        SEARCH_SUMMARY,
        beneath=_UNDER_HIT,
        extra=FACT_EXTRA_FIELDS,
        marks={str(hit.record["id"]): hit.marks for hit in hits},
        mark_field="statement",
        chart=(lambda _records: lines) if lines else None,
    )


TIMELINE_SUMMARY: Final = ("period", "statement", "id", "topic", "source")


def timeline_view(records: list[Record]) -> View:
    """Dated facts, oldest first; in a table each with its id, topic and source beneath."""
    return View(records, FACT_FIELDS, TIMELINE_SUMMARY, beneath=_UNDER_HIT, extra=FACT_EXTRA_FIELDS)


def with_names(store: FactStore, records: list[Record], fields: list[str] | None) -> list[Record]:
    """Add each fact's entity names by language when ``--fields`` asks for ``names``."""
    if not fields or "names" not in fields:
        return records
    wanted = sorted({str(e) for r in records for e in r["entities"]})  # type: ignore[attr-defined]
    names = store.names(wanted) if wanted else {}
    return [{**r, "names": {e: names[e] for e in r["entities"]}} for r in records]  # type: ignore[attr-defined]


def topics_view(store: FactStore) -> View:
    records: list[Record] = [{"topic": topic, "facts": count} for topic, count in store.topics().items()]
    return View(records, TOPIC_FIELDS, TOPIC_FIELDS)


def sources_view(records: list[Record]) -> View:
    return View(records, SOURCE_LIST_FIELDS, SOURCE_SUMMARY)


def source_view(source: Record, facts: list[Record]) -> View:
    """A source and the facts citing it: in a table, each fact as ``id: statement``."""
    return View([{**source, "cited_by": facts}], SOURCE_DETAIL_FIELDS, SOURCE_DETAIL_FIELDS, single=True)


def measures_view(records: list[Record]) -> View:
    return View(records, MEASURE_FIELDS, MEASURE_SUMMARY)


def entities_view(records: list[Record]) -> View:
    return View(records, ENTITY_FIELDS, ENTITY_SUMMARY)


PROBLEM_FIELDS: Final = ("file", "line", "column", "rule", "message")


def problems_view(problems: list[Problem]) -> View:
    return View([p.record() for p in problems], PROBLEM_FIELDS, PROBLEM_FIELDS)


INFO_FIELDS: Final = (
    "data", "sha256", "size", "facts", "sources", "entities",
    "index", "index_size", "index_state", "index_reason", "built_at", "kortrade", "measures",
)  # fmt: skip


def info_view(store: FactStore) -> View:
    return View([store.info()], INFO_FIELDS, INFO_FIELDS, single=True)


COMPARE_FIELDS: Final = ("measure", "period", "basis", "verdict", "spread", "facts")
# A comparison shown as rows, one per fact: CSV carries these, a table the summary.
COMPARE_ROW_FIELDS: Final = (
    "measure", "period", "verdict", "spread", "id", "display", "fact_period", "basis", "basis_country", "source",
)  # fmt: skip
COMPARE_SUMMARY: Final = ("comparison", "display", "fact_period", "source")
# Under each source, dim: the fact's id and whose statistics it is (when given).
_UNDER_SOURCE: Final = (("source", ("under_source",)),)


def compare_view(groups: list[Record], *, title: str | None = None) -> View:
    """Each group's facts side by side under a line with its verdict; a bar chart of a yearly
    series above them when ``title`` (the measure's label) is given."""
    chart = None
    if title is not None:
        from kortrade.chart import series_lines

        def chart(records: list[Record]) -> list[str]:
            return series_lines(records, title)

    return View(
        groups,
        COMPARE_FIELDS,
        COMPARE_SUMMARY,
        group_by="comparison",
        beneath=_UNDER_SOURCE,
        expand=_comparison_rows,
        row_fields=COMPARE_ROW_FIELDS,
        chart=chart,
    )


def _comparison_rows(group: Record) -> list[Record]:
    heading = f"{group['measure']} · {group['period'] or 'any period'}: {verdict_text(group)}"
    rows = []
    for fact in group["facts"]:  # type: ignore[attr-defined]
        rows.append(
            {
                "comparison": heading,
                "measure": group["measure"],
                "period": group["period"],
                "verdict": group["verdict"],
                "spread": group["spread"],
                "id": fact["id"],
                # A date measure's figure is the date itself.
                "display": fact["display"] or fact["period"],
                "fact_period": fact["period"],
                "basis": fact["basis"],
                "basis_country": fact["basis_country"],
                "source": fact["source"],
                "under_source": " · ".join([str(fact["id"]), *([", ".join(fact["basis"])] if fact["basis"] else [])]),
            }
        )
    return rows


def verdict_text(group: Record) -> str:
    """``2 sources agree``, ``3 sources differ by 0.6%``, ``Korea's and China's statistics``..."""
    facts = group.get("facts")
    # Sources, not facts: one page may give a figure twice (exactly and rounded).
    count = len({str(f["source"]["id"]) for f in facts}) if isinstance(facts, list) else 1
    spread = group["spread"]
    apart = f" by {_percent(spread)}" if isinstance(spread, int | float) and spread else ""
    match group["verdict"]:
        case "agree":
            return f"{count} sources agree"
        case "differ":
            return f"{count} sources differ{apart}"
        case "different-statistics":
            gap = f", {_percent(spread)} apart" if isinstance(spread, int | float) and spread else ""
            return f"{count} sources on different countries' statistics{gap}"
        case _:
            return "one source"


def _percent(share: float) -> str:
    text = f"{share * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"
