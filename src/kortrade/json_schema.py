"""The JSON Schema of the facts file, made from the constants the loader checks with.

Keys, required keys, enumerations and patterns all come from :mod:`kortrade.validation`
and :mod:`kortrade.model`, so the schema cannot name a key the loader refuses or
miss one it requires; ``tests/test_json_schema.py`` fails when the copy kept in
``schema/facts.schema.json`` differs from what this module makes. Editors that
speak YAML (through yaml-language-server) use it to check and complete the file as
it is typed. Some rules need the whole file (unique ids, defined sources, listed
entities); those only ``kortrade validate`` checks.
"""

from __future__ import annotations

import json
from typing import Any, Final

from kortrade.model import ENTITY_KINDS, MEASURE_KINDS, QUALIFIERS, SLUG_RE, SOURCE_KINDS
from kortrade.periods import PERIOD_PATTERN, PUBLISHED_PATTERN
from kortrade.validation import (
    ENTITY_KEYS,
    FACT_KEYS,
    FACT_REQUIRED,
    FORMAT_VERSION,
    LANGUAGE_PATTERN,
    MAX_DECIMALS,
    MAX_SAFE_INT,
    MEASURE_KEYS,
    MEASURE_REQUIRED,
    SOURCE_KEYS,
    SOURCE_REQUIRED,
    TOP_KEYS,
    TOP_REQUIRED,
    URL_PATTERN,
)

SCHEMA_PATH: Final = "schema/facts.schema.json"

_DESCRIPTIONS: Final = {
    "version": f"The format version; this kortrade reads {FORMAT_VERSION}.",
    "sources": "Where the facts come from; each fact cites one by its id.",
    "entities": (
        "Optional: the countries, companies, people and places facts name, with their names in other "
        "languages. When present, every entity a fact names must be listed here."
    ),
    "measures": (
        "Optional: what facts are figures of (bilateral trade, the summit's length), so that different "
        "sources' figures can be compared. When present, every measure a fact names must be listed here."
    ),
    "facts": "The facts, each a statement in our own words with its source.",
    "series": (
        "Optional: the path, relative to this file, of a Frictionless data package (datapackage.json) of "
        "official data files whose rows are observations; each resource's 'kortrade' property maps its rows."
    ),
    "source.id": "A lowercase slug, unique among sources (e.g. cgtn-2026-01-09).",
    "source.title": "The title of the article or document.",
    "source.publisher": "Who published it (e.g. CGTN).",
    "source.published": "The date of publication, YYYY-MM-DD; YYYY-MM or YYYY when only that is known.",
    "source.url": "Where to read it: an http(s) URL.",
    "source.kind": "What kind of publisher it is.",
    "source.language": "The page's language code (en, ko, zh, ja...).",
    "source.via": "The agency whose report the page relays (Yonhap, Xinhua...).",
    "source.date_note": "How the date is known, when it is partial or worked out; required without published.",
    "entity.name": "How facts refer to the entity (English), e.g. Samsung Group.",
    "entity.kind": "What it is.",
    "entity.names": "Further names by language code (en, ko, zh, zh-Hant...): one name or a list.",
    "entity.country": "The country it belongs to: the name of an entity of kind country.",
    "measure.id": "A lowercase slug, unique among measures (e.g. bilateral-trade).",
    "measure.label": "What the measure is, in a few words.",
    "measure.kind": "What its facts state: a number (value), a date (period) or a name (value_text).",
    "measure.periodic": "Whether figures are compared period by period (yearly trade) or describe one event.",
    "measure.note": "Optional: how to read the measure.",
    "fact.id": "A lowercase slug, unique among facts (e.g. trade-volume-2024).",
    "fact.topic": "A lowercase slug grouping facts: trade, partnerships, agreements, visit...",
    "fact.statement": "The fact in our own words, keeping the source's hedges.",
    "fact.value": "Optional: the figure in base units (US dollars, won or yuan, percent, counts).",
    "fact.unit": "With value: USD, KRW, CNY, percent, fold, rank, or a plural noun such as documents.",
    "fact.qualifier": "With value: the source's hedge.",
    "fact.period": (
        "Optional: a year (2024), month (2024-07), day (2026-01-05), time with zone (2026-01-05T16:47+08:00), "
        "a range of one of them (2024-01/2024-07, 2026-2030) or as of one (../2020-12)."
    ),
    "fact.entities": "Optional: who and where the fact is about, by entity name.",
    "fact.items": "Optional: what the fact enumerates (sectors, areas).",
    "fact.tags": "Optional: lowercase slugs for filtering.",
    "fact.note": "Optional: context; says so when a value was worked out rather than read.",
    "fact.source": "The id of a source defined in sources.",
    "fact.measure": "Optional: the id of the measure the fact states.",
    "fact.basis": "Optional: whose statistics, by entity name (an organisation with a country, or a country).",
    "fact.value_text": "With a measure of kind name: the name the source gives.",
    "fact.decimals": "With value: the decimal places the source writes at the scale shown ($18.0 billion: 1).",
}


def _text() -> dict[str, Any]:
    return {"type": "string", "pattern": r"\S"}


def _anchored(pattern: str) -> str:
    return f"^(?:{pattern})$"


def _described(section: str, key: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": _DESCRIPTIONS[f"{section}.{key}"], **schema}


def _source() -> dict[str, Any]:
    shapes = {
        "id": {"$ref": "#/$defs/slug"},
        "title": _text(),
        "publisher": _text(),
        "published": {
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": 9999},
                {"type": "string", "pattern": _anchored(PUBLISHED_PATTERN)},
            ]
        },
        "url": {"type": "string", "pattern": _anchored(URL_PATTERN)},
        "kind": {"enum": list(SOURCE_KINDS)},
        "language": {"type": "string", "pattern": _anchored(LANGUAGE_PATTERN)},
        "via": _text(),
        "date_note": _text(),
    }
    schema = _object("source", shapes, SOURCE_KEYS, SOURCE_REQUIRED)
    schema["anyOf"] = [{"required": ["published"]}, {"required": ["date_note"]}]
    return schema


def _measure() -> dict[str, Any]:
    shapes = {
        "id": {"$ref": "#/$defs/slug"},
        "label": _text(),
        "kind": {"enum": list(MEASURE_KINDS)},
        "periodic": {"type": "boolean"},
        "note": _text(),
    }
    schema = _object("measure", shapes, MEASURE_KEYS, MEASURE_REQUIRED)
    # A date's value is its facts' period, so it is never compared period by period.
    schema["if"] = {"properties": {"kind": {"const": "date"}}, "required": ["kind"]}
    schema["then"] = {"properties": {"periodic": {"const": False}}}
    return schema


def _entity() -> dict[str, Any]:
    one_or_more = {"anyOf": [_text(), {"type": "array", "items": _text(), "uniqueItems": True}]}
    shapes = {
        "name": _text(),
        "kind": {"enum": list(ENTITY_KINDS)},
        "names": {
            "type": "object",
            "propertyNames": {"pattern": _anchored(LANGUAGE_PATTERN)},
            "additionalProperties": one_or_more,
        },
        "country": _text(),
    }
    return _object("entity", shapes, ENTITY_KEYS, ("name",))


def _fact() -> dict[str, Any]:
    texts = {"type": "array", "items": _text(), "uniqueItems": True}
    shapes = {
        "id": {"$ref": "#/$defs/slug"},
        "topic": {"$ref": "#/$defs/slug"},
        "statement": _text(),
        "value": {"type": "number", "minimum": -MAX_SAFE_INT, "maximum": MAX_SAFE_INT},
        "unit": _text(),
        "qualifier": {"enum": list(QUALIFIERS)},
        "period": {
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": 9999},
                {"type": "string", "pattern": _anchored(PERIOD_PATTERN)},
            ]
        },
        "entities": texts,
        "items": texts,
        "tags": {"type": "array", "items": {"$ref": "#/$defs/slug"}, "uniqueItems": True},
        "note": _text(),
        "source": {"$ref": "#/$defs/slug"},
        "measure": {"$ref": "#/$defs/slug"},
        "basis": {"anyOf": [_text(), texts]},
        "value_text": _text(),
        "decimals": {"type": "integer", "minimum": 0, "maximum": MAX_DECIMALS},
    }
    schema = _object("fact", shapes, FACT_KEYS, FACT_REQUIRED)
    # A figure never loses its hedge: value, unit and qualifier come together.
    schema["dependentRequired"] = {
        "value": ["unit", "qualifier"],
        "unit": ["value"],
        "qualifier": ["value"],
        "decimals": ["value"],
        # A name is the value of a measure (of kind name); which kind, only the loader can tell.
        "value_text": ["measure"],
    }
    return schema


def _object(
    section: str, shapes: dict[str, dict[str, Any]], keys: tuple[str, ...], required: tuple[str, ...]
) -> dict[str, Any]:
    assert tuple(shapes) == keys, f"{section}: the schema's keys must be the loader's, in its order"
    return {
        "type": "object",
        "properties": {key: _described(section, key, shapes[key]) for key in keys},
        "required": list(required),
        "additionalProperties": False,
    }


def facts_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a facts file."""
    top: dict[str, dict[str, Any]] = {
        "version": {"const": FORMAT_VERSION},
        "sources": {"type": "array", "items": {"$ref": "#/$defs/source"}},
        "entities": {"type": "array", "items": {"$ref": "#/$defs/entity"}},
        "measures": {"type": "array", "items": {"$ref": "#/$defs/measure"}},
        "facts": {"type": "array", "items": {"$ref": "#/$defs/fact"}},
        "series": {"type": "string", "pattern": r"\S"},
    }
    assert tuple(top) == TOP_KEYS
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "kortrade facts file",
        "description": "Facts on China-Republic of Korea economic and trade ties, each citing its source.",
        "type": "object",
        "properties": {key: {"description": _DESCRIPTIONS[key], **shape} for key, shape in top.items()},
        "required": list(TOP_REQUIRED),
        "additionalProperties": False,
        "$defs": {
            "slug": {"type": "string", "pattern": _anchored(SLUG_RE.pattern)},
            "source": _source(),
            "entity": _entity(),
            "measure": _measure(),
            "fact": _fact(),
        },
    }


def schema_text() -> str:
    """The schema as ``kortrade schema`` prints it and the repository keeps it."""
    return json.dumps(facts_schema(), ensure_ascii=False, indent=2) + "\n"
