"""Model objects as JSON-ready records: the output contract, keys in a fixed order.

Every renderer starts from these records, so ``--format json`` and a table can never
disagree about what a fact says.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from kortrade.model import Entity, Fact, Measure, Observation, Source

Record = dict[str, object]

FACT_FIELDS: Final = (
    "id", "topic", "statement", "value", "unit", "qualifier", "display",
    "period", "entities", "items", "tags", "note", "source",
    # Added in 2.0, after the keys above (which keep their names, order and meaning).
    "measure", "basis", "basis_country", "value_text", "decimals", "period_start", "period_end",
)  # fmt: skip
SOURCE_FIELDS: Final = ("id", "title", "publisher", "published", "url", "kind", "language", "via", "date_note")
SOURCE_LIST_FIELDS: Final = (*SOURCE_FIELDS, "facts")
TOPIC_FIELDS: Final = ("topic", "facts")
ENTITY_FIELDS: Final = ("name", "kind", "names", "facts", "country")
MEASURE_FIELDS: Final = ("id", "label", "kind", "periodic", "note", "facts", "sources")
# An observation: a row of an official data file, with where it is (`file` relative to the
# facts file, `line`) and how it is known (`provenance`).
OBSERVATION_FIELDS: Final = (
    "id", "resource", "reporter", "partner", "flow", "period", "granularity", "value", "unit", "valuation",
    "display", "source", "file", "line", "provenance", "period_start", "period_end",
)  # fmt: skip
PROVENANCE: Final = "official data file"
# Asked for by name only (--fields id,names): JSON keeps its shape unless asked.
FACT_EXTRA_FIELDS: Final = ("names",)


def source_record(source: Source) -> Record:
    return {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher,
        "published": None if source.published is None else source.published.isoformat(),
        "url": source.url,
        "kind": source.kind,
        "language": source.language,
        "via": source.via,
        "date_note": source.date_note,
    }


def entity_record(entity: Entity) -> Record:
    """An entity without its fact count, which the store puts before ``country``."""
    return {"name": entity.name, "kind": entity.kind, "names": entity.names_by_language(), "country": entity.country}


def measure_record(measure: Measure) -> Record:
    """A measure without its fact and source counts, which the store adds."""
    return {
        "id": measure.id,
        "label": measure.label,
        "kind": measure.kind,
        "periodic": measure.periodic,
        "note": measure.note,
    }


def fact_record(fact: Fact) -> Record:
    from kortrade.display import figure

    return {
        "id": fact.id,
        "topic": fact.topic,
        "statement": fact.statement,
        "value": fact.value,
        "unit": fact.unit,
        "qualifier": fact.qualifier,
        "display": figure(fact.value, fact.unit, fact.qualifier, fact.decimals) or fact.value_text,
        "period": None if fact.period is None else fact.period.text,
        "entities": list(fact.entities),
        "items": list(fact.items),
        "tags": list(fact.tags),
        "note": fact.note,
        "source": source_record(fact.source),
        "measure": fact.measure,
        "basis": list(fact.basis),
        "basis_country": fact.basis_country,
        "value_text": fact.value_text,
        "decimals": fact.decimals,
        "period_start": None if fact.period is None else fact.period.start,
        "period_end": None if fact.period is None else fact.period.end,
    }


def fact_records(facts: Iterable[Fact]) -> list[Record]:
    return [fact_record(f) for f in facts]


def observation_record(observation: Observation, file: str) -> Record:
    """An observation as ``show`` and the exports give it; ``file`` is where its row is, as a
    path relative to the facts file."""
    from kortrade.display import figure

    period = observation.period
    return {
        "id": observation.id,
        "resource": observation.resource,
        "reporter": observation.reporter,
        "partner": observation.partner,
        "flow": observation.flow,
        "period": period.text,
        "granularity": granularity(period.text),
        "value": observation.value,
        "unit": observation.unit,
        "valuation": observation.valuation,
        "display": figure(observation.value, observation.unit, None),
        "source": source_record(observation.source),
        "file": file,
        "line": observation.line,
        "provenance": PROVENANCE,
        "period_start": period.start,
        "period_end": period.end,
    }


def granularity(period: str) -> str:
    """``year`` for 2015, ``month`` for 2015-03: the periods an observation can have."""
    return "year" if len(period) == 4 else "month"
