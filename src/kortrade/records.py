"""Model objects as JSON-ready records: the output contract, keys in a fixed order.

Every renderer starts from these records, so ``--format json`` and a table can never
disagree about what a fact says.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from kortrade.model import Entity, Fact, Source

Record = dict[str, object]

FACT_FIELDS: Final = (
    "id", "topic", "statement", "value", "unit", "qualifier", "display",
    "period", "entities", "items", "tags", "note", "source",
)  # fmt: skip
SOURCE_FIELDS: Final = ("id", "title", "publisher", "published", "url")
SOURCE_LIST_FIELDS: Final = (*SOURCE_FIELDS, "facts")
TOPIC_FIELDS: Final = ("topic", "facts")
ENTITY_FIELDS: Final = ("name", "kind", "names", "facts")
# Asked for by name only (--fields id,names): JSON keeps its shape unless asked.
FACT_EXTRA_FIELDS: Final = ("names",)


def source_record(source: Source) -> Record:
    return {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher,
        "published": source.published.isoformat(),
        "url": source.url,
    }


def entity_record(entity: Entity) -> Record:
    """An entity without its fact count, which the store adds."""
    return {"name": entity.name, "kind": entity.kind, "names": entity.names_by_language()}


def fact_record(fact: Fact) -> Record:
    from kortrade.display import figure

    return {
        "id": fact.id,
        "topic": fact.topic,
        "statement": fact.statement,
        "value": fact.value,
        "unit": fact.unit,
        "qualifier": fact.qualifier,
        "display": figure(fact.value, fact.unit, fact.qualifier),
        "period": None if fact.period is None else fact.period.text,
        "entities": list(fact.entities),
        "items": list(fact.items),
        "tags": list(fact.tags),
        "note": fact.note,
        "source": source_record(fact.source),
    }


def fact_records(facts: Iterable[Fact]) -> list[Record]:
    return [fact_record(f) for f in facts]
