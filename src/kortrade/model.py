"""The facts data model: plain frozen records, validated by :mod:`kortrade.validation`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Final

from kortrade.choices import ENTITY_KINDS, SOURCE_KINDS

__all__ = ["ENTITY_KINDS", "SOURCE_KINDS"]  # defined with the other choices a command line takes

QUALIFIERS: Final = ("exact", "about", "over", "under", "nearly", "at-least")
# What a measure's facts state: a figure (value and unit), a date (the period) or a name.
MEASURE_KINDS: Final = ("number", "date", "name")
# The languages every entity record shows, even when empty; others follow in file order.
LANGUAGES: Final = ("en", "ko", "zh")

SLUG_RE: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

Number = int | float


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A publication date known to the day (``2026-01-09``), the month (``2025-09``) or the year (``2025``)."""

    text: str
    first: dt.date
    last: dt.date

    def isoformat(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    publisher: str
    published: PartialDate | None
    url: str
    kind: str | None = None
    language: str | None = None
    via: str | None = None
    date_note: str | None = None

    @property
    def label(self) -> str:
        """Short citation label for tables: ``CGTN, 2026-01-09``."""
        return f"{self.publisher}, {self.published or 'date unknown'}"


@dataclass(frozen=True, slots=True)
class Period:
    """When a fact holds, as written in the file and as ISO 8601 bounds.

    ``text`` is as written: a year (``2024``), a month (``2024-07``), a day
    (``2026-01-05``), a time with its zone (``2026-01-05T16:47+08:00``), a range of
    any of these (``2024-01/2024-07``; ``2026-2030`` for years), or "as of" a moment
    (``../2020-12``). ``first`` and ``last`` are the days it covers (an "as of"
    period covers only its last day); ``start`` and ``end`` are ISO 8601 bounds
    (``start`` is None for "as of"); ``order`` sorts periods by local date and time.
    """

    text: str
    first: dt.date
    last: dt.date
    start: str | None = None
    end: str = ""
    order: str = ""

    def overlaps_year(self, year: int) -> bool:
        return self.first.year <= year <= self.last.year

    @property
    def as_of(self) -> bool:
        return self.start is None

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Measure:
    """What a group of facts from different sources all state, so they can be compared.

    ``periodic`` measures (yearly trade) are compared period by period; the others
    describe one thing (the January 2026 summit's length), whatever period each
    fact gives. A ``date`` measure's value is its facts' period; a ``name`` measure's
    is their ``value_text``.
    """

    id: str
    label: str
    kind: str = "number"
    periodic: bool = True
    note: str | None = None


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
    measure: str | None = None
    # Whose statistics the figure is, by entity name, and the country they belong to
    # (None when not given, or when the bases belong to different countries).
    basis: tuple[str, ...] = ()
    basis_country: str | None = None
    value_text: str | None = None
    # Decimal places the source writes at the scale shown ("$18.0 billion": 1), when
    # the number alone would lose a trailing zero.
    decimals: int | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    """A country, company, person or place that facts name, with its names in other languages.

    Facts refer to an entity by ``name`` (English); ``names`` maps a language code to
    further names (``ko``: 삼성, ``zh``: 三星), so searches in any of them find it.
    """

    name: str
    kind: str | None = None
    names: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # The country an organisation, company or person belongs to (an entity name).
    country: str | None = None

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


FLOWS: Final = ("exports", "imports", "balance")


@dataclass(frozen=True, slots=True)
class Observation:
    """One row's figure of an official statistical series, as its publisher states it.

    ``reporter`` is whose statistics the figure is (an entity name: ``Republic of Korea``
    or ``China``), so it is the observation's basis country; ``flow`` is the reporter's
    own exports to, imports from or balance with ``partner`` (an entity name, or
    ``World``). ``period`` is a year or a month. ``value`` is in base units of ``unit``
    (US dollars), scaled from the file's unit as the data package says. ``file`` and
    ``line`` say where the row is, for messages and provenance. ``id`` is a slug, unique
    in a dataset: ``<resource>-<period>-<reporter code>-<partner code>-<flow>``, e.g.
    ``imf-dots-2015-kor-chn-exports`` or ``kcs-monthly-2024-03-kor-chn-imports``.
    """

    id: str
    source: Source
    reporter: str
    partner: str
    flow: str
    period: Period
    value: Number
    unit: str = "USD"
    # How the flow is valued where the publisher says so: "FOB" for exports, "CIF" for imports.
    valuation: str | None = None
    resource: str = ""
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class DataFile:
    """A file an observation came from (the data package or a CSV), as it was read: the
    index keeps these to tell when it must be built again."""

    path: str  # absolute, symbolic links resolved
    sha256: str
    dev: int
    ino: int
    size: int
    mtime_ns: int
    ctime_ns: int


@dataclass(frozen=True, slots=True)
class Dataset:
    """A validated facts file: sources, entities and facts in file order."""

    path: str
    version: int
    sources: tuple[Source, ...]
    facts: tuple[Fact, ...]
    entities: tuple[Entity, ...] = ()
    measures: tuple[Measure, ...] = ()
    # Rows of the official series the file's ``series`` data package describes, in file order.
    observations: tuple[Observation, ...] = ()
    # The ``series`` key as written (a path relative to the facts file), and every file read for it.
    series: str | None = None
    series_files: tuple[DataFile, ...] = ()
    by_id: dict[str, Fact] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_id.update((f.id, f) for f in self.facts)
