"""The facts data model: plain frozen records, validated by :mod:`kortrade.schema`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Final

QUALIFIERS: Final = ("exact", "about", "over", "under")
ENTITY_KINDS: Final = ("country", "city", "company", "person", "place", "organisation")
# The languages every entity record shows, even when empty; others follow in file order.
LANGUAGES: Final = ("en", "ko", "zh")

SLUG_RE: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

Number = int | float


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    publisher: str
    published: dt.date
    url: str

    @property
    def label(self) -> str:
        """Short citation label for tables: ``CGTN, 2026-01-09``."""
        return f"{self.publisher}, {self.published.isoformat()}"


@dataclass(frozen=True, slots=True)
class Period:
    """A year (``2024``), a date (``2026-01-05``) or a year range (``2026-2030``)."""

    text: str
    first: dt.date
    last: dt.date

    def overlaps_year(self, year: int) -> bool:
        return self.first.year <= year <= self.last.year

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    topic: str
    statement: str
    source: Source
    value: Number | None = None
    unit: str | None = None
    qualifier: str | None = None
    period: Period | None = None
    entities: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    """A country, company, person or place that facts name, with its names in other languages.

    Facts refer to an entity by ``name`` (English); ``names`` maps a language code to
    further names (``ko``: 삼성, ``zh``: 三星), so searches in any of them find it.
    """

    name: str
    kind: str | None = None
    names: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def names_by_language(self) -> dict[str, list[str]]:
        """``en``, ``ko`` and ``zh`` always (``name`` first in ``en``), then any others."""
        table: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
        table["en"].append(self.name)
        for lang, names in self.names:
            bucket = table.setdefault(lang, [])
            bucket.extend(n for n in names if n not in bucket)
        return table

    def all_names(self) -> list[str]:
        return [n for names in self.names_by_language().values() for n in names]


@dataclass(frozen=True, slots=True)
class Dataset:
    """A validated facts file: sources, entities and facts in file order."""

    path: str
    version: int
    sources: tuple[Source, ...]
    facts: tuple[Fact, ...]
    entities: tuple[Entity, ...] = ()
    by_id: dict[str, Fact] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_id.update((f.id, f) for f in self.facts)
