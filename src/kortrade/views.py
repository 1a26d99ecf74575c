"""What each command shows, as a :class:`~kortrade.render.View` built from the store."""

from __future__ import annotations

from typing import Final

from kortrade.model import Fact
from kortrade.records import FACT_FIELDS, SOURCE_LIST_FIELDS, TOPIC_FIELDS, fact_records, source_record
from kortrade.render import View
from kortrade.store import FactStore

# Columns a person reads by default; JSON and CSV always carry every field.
FACT_SUMMARY: Final = ("id", "topic", "display", "period", "statement", "source")
SOURCE_SUMMARY: Final = ("id", "publisher", "published", "title", "facts")


def facts_view(facts: list[Fact]) -> View:
    return View(
        fact_records(facts),
        FACT_FIELDS,
        FACT_SUMMARY,
        group_by="topic",
        beneath=(("statement", ("id", "source")),),
    )


def fact_view(fact: Fact) -> View:
    return View(fact_records([fact]), FACT_FIELDS, FACT_FIELDS, single=True)


def topics_view(store: FactStore) -> View:
    records: list[dict[str, object]] = [{"topic": topic, "facts": count} for topic, count in store.topics().items()]
    return View(records, TOPIC_FIELDS, TOPIC_FIELDS)


def sources_view(store: FactStore) -> View:
    counts = store.facts_per_source()
    records = [{**source_record(s), "facts": counts[s.id]} for s in store.sources()]
    return View(records, SOURCE_LIST_FIELDS, SOURCE_SUMMARY)
