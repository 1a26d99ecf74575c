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


def facts_view(records: Iterable[Record]) -> View:
    return View(
        records,
        FACT_FIELDS,
        FACT_SUMMARY,
        group_by="topic",
        beneath=_UNDER_STATEMENT,
        extra=FACT_EXTRA_FIELDS,
    )


# One fact in full for a person: the ISO bounds and decimals only restate the period and figure.
FACT_DETAIL: Final = tuple(f for f in FACT_FIELDS if f not in ("decimals", "period_start", "period_end"))


def fact_view(record: Record) -> View:
    return View([record], FACT_FIELDS, FACT_DETAIL, single=True, extra=FACT_EXTRA_FIELDS)


def search_view(hits: list[Hit]) -> View:
    """Best match first; the matched words of each statement are marked for the terminal."""
    return View(
        [hit.record for hit in hits],
        FACT_FIELDS,
        SEARCH_SUMMARY,
        beneath=_UNDER_HIT,
        extra=FACT_EXTRA_FIELDS,
        marks={str(hit.record["id"]): hit.marks for hit in hits},
        mark_field="statement",
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
    """A source and the facts citing it: in a table, each fact as ``id: figure, statement``."""
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
