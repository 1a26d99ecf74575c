"""When two sources' figures agree: each figure read as the values its wording allows.

A figure stands for every value that rounds to it or is cut off to it at its last
stated digit, since pages do both ("$6.37 billion" for 6.37911 billion): from half
a step below the figure up to, not including, a whole step above it. "$328.08
billion" is 328.075 up to 328.09 billion. A whole number given to its units (14
MOUs, 90 minutes, 54%) drops no digit, and a count has none to drop, so it is read
as rounded only (13.5 to 14.5): "14 MOUs" and "15 MOUs" differ. A whole number of
1,000 or more does not state its trailing zeros ("1,980,000 people" is read in
steps of 10,000), unless the facts file's ``decimals`` says the source wrote them.
The source's hedge then widens or bounds that:

- ``about`` widens it by 5% of the figure on each side, and never to less than
  the unhedged reading: outlets write "about" for a figure rounded to one or two
  significant digits ("about 400" for 416 is 4% off), and 5% covers that without
  making every "about" agree with everything;
- ``over`` is anything above the figure, ``under`` anything below it,
  ``at-least`` the figure or more;
- ``nearly`` is just under it: down to 5% (at least one rounding step) below.

A negative figure (a deficit) is hedged by its size: "over $18 billion" of
deficit is below -18 billion. Figures of one measure and period agree when their
readings overlap; touching ends do not overlap. Dates agree when the days they
cover overlap (a month holds its days); names when they are equal, ignoring case
and spacing.

Figures on different countries' statistics are never compared: Korea's customs and
China's customs count the same trade differently. A measure and period has a group
per country's statistics, each with its own verdict (:func:`by_statistics` says
where a fact that states none goes). Each figure carries flags (:func:`flags_of`:
worked out, scheduled, expected), and a group's reference is an official release
among its figures (:func:`reference_of`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from kortrade.records import Record

ABOUT_WIDENING: Final = 0.05
NEARLY_WIDENING: Final = 0.05
VERDICTS: Final = ("agree", "differ", "single")
# What a figure in a comparison may be marked as (``flags_of``), in this order.
FLAGS: Final = ("worked-out", "scheduled", "expected", "statistics-assumed")
# Tags a facts file gives a figure that was planned or forecast rather than reported as done.
SCHEDULED_TAGS: Final = frozenset({"scheduled", "plan", "planned"})
EXPECTED_TAGS: Final = frozenset({"expected", "forecast", "projection", "projected", "target"})
WORKED_OUT: Final = "worked out, not stated"
# Sources whose own release a figure is: the first kind wins a group's reference over the second.
OFFICIAL_KINDS: Final = ("statistics", "government")
# Flags that keep a figure from being a group's reference, official or not.
_NOT_REFERENCE: Final = frozenset({"worked-out", "scheduled", "expected"})
# Sibling groups of one measure and period: Korea's statistics, then China's, then others; not stated last.
_STATISTICS_ORDER: Final = ("Republic of Korea", "China")
_CURRENCIES: Final = frozenset({"USD", "KRW", "CNY"})
_SCALES: Final = (10**12, 10**9, 10**6)


@dataclass(frozen=True, slots=True)
class Reading:
    """The values a figure allows: ``low`` to ``high`` (None: unbounded), ends included or not."""

    low: float | None
    high: float | None
    low_open: bool = False
    high_open: bool = False

    def overlaps(self, other: Reading) -> bool:
        return _below(self.low, self.low_open, other.high, other.high_open) and _below(
            other.low, other.low_open, self.high, self.high_open
        )

    def record(self) -> Record:
        """``low`` and ``high`` (null: unbounded); an end is open ("over 200": not 200 itself) when a hedge says so."""
        return {
            "low": _plain(self.low),
            "high": _plain(self.high),
            "low_open": self.low_open,
            "high_open": self.high_open,
        }


def _below(low: float | None, low_open: bool, high: float | None, high_open: bool) -> bool:
    """Is there room between a lower end and an upper end? Touching ends leave none: 14
    (13.5 to 14.5) and 15 (14.5 to 15.5) differ."""
    if low is None or high is None:
        return True
    return low < high


def _plain(value: float | None) -> int | float | None:
    if value is None:
        return None
    rounded = round(value, 6)
    return int(rounded) if rounded == int(rounded) and abs(rounded) < 2**53 else rounded


def step(value: int | float, unit: str | None, decimals: int | None) -> float:
    """The place value of the figure's last stated digit, in its own units."""
    amount = abs(Decimal(value) if isinstance(value, int) else Decimal(repr(value)))
    scale = 1
    if unit in _CURRENCIES:
        scale = next((s for s in _SCALES if amount >= s), 1)
    mantissa = (amount / scale).normalize()
    exponent = mantissa.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if decimals is not None and decimals > places:
        places = decimals
    if places == 0 and decimals is None and mantissa >= 1000:
        digits = str(int(mantissa))
        zeros = len(digits) - len(digits.rstrip("0"))
        return float(10**zeros * scale)
    return float(Decimal(10) ** -places * scale)


def read_figure(value: int | float, unit: str | None, qualifier: str | None, decimals: int | None) -> Reading:
    """The values a figure with this hedge allows (see the module's rules)."""
    if value < 0:
        mirrored = read_figure(-value, unit, qualifier, decimals)
        return Reading(
            None if mirrored.high is None else -mirrored.high,
            None if mirrored.low is None else -mirrored.low,
            mirrored.high_open,
            mirrored.low_open,
        )
    whole = step(value, unit, decimals)
    half = whole / 2
    v = float(value)
    # How far above the figure its reading reaches: a step when a page may have cut digits off.
    cut = _may_be_cut_off(v, whole)
    above = whole if cut else half
    match qualifier:
        case "about":
            # At least what the figure itself allows; the top end open when that is what sets it.
            widening = ABOUT_WIDENING * v
            high_open = cut and whole > widening
            return Reading(_minus(v, max(half, widening)), _plus(v, max(above, widening)), high_open=high_open)
        case "over":
            return Reading(v, None, low_open=True)
        case "under":
            return Reading(None, v, high_open=True)
        case "at-least":
            return Reading(v, None)
        case "nearly":
            return Reading(_minus(v, max(whole, NEARLY_WIDENING * v)), v, high_open=True)
        case _:
            # What rounds to the figure (from half a step below) or is cut off to it (up to, not
            # including, a whole step above): pages write "$6.37 billion" for 6.37911 too.
            return Reading(_minus(v, half), _plus(v, above), high_open=cut)


def _may_be_cut_off(v: float, whole: float) -> bool:
    """Whether a page may have cut digits off the figure: not when it is a whole number given to
    its units (14 MOUs, 90 minutes, 54%), which drops no digit and, as a count, has none to drop."""
    return whole != 1 or not v.is_integer()


def _minus(v: float, amount: float) -> float:
    """``v - amount``, or the float just below ``v`` when ``amount`` is finer than floats hold
    there (8796093022208.000%): a reading is never empty, so a figure always agrees with itself."""
    low = v - amount
    return low if low < v else math.nextafter(v, -math.inf)


def _plus(v: float, amount: float) -> float:
    high = v + amount
    return high if high > v else math.nextafter(v, math.inf)


@dataclass(frozen=True, slots=True)
class Verdict:
    verdict: str
    spread: float | None
    basis: list[str] | None


def judge(facts: Sequence[Record], kind: str) -> tuple[Verdict, list[Record | None]]:
    """The verdict on facts of one measure, period and statistics (see :func:`by_statistics`),
    and each one's reading."""
    readings = [reading_of(fact, kind) for fact in facts]
    basis = _shared_basis(facts)
    records = [r.record() if isinstance(r, Reading) else r for r in readings]
    if len(facts) < 2:
        return Verdict("single", None, basis), records
    verdict = "agree" if _agree(readings, facts, kind) else "differ"
    return Verdict(verdict, _spread(facts) if kind == "number" else None, basis), records


@dataclass(frozen=True, slots=True)
class Statistics:
    """Facts of one measure and period on one country's statistics (``country`` None: not stated)."""

    country: str | None
    members: list[int]
    # Members that state no statistics, placed with the only country's statistics given beside them.
    assumed: frozenset[int]


def by_statistics(facts: Sequence[Record]) -> list[Statistics]:
    """Facts of one measure and period split by whose statistics they are, so that no
    group sets two countries' statistics against each other.

    Facts that state no basis join the one country's group when there is exactly one
    (marked ``statistics-assumed``); beside two countries' statistics, or with none,
    they form a group of their own whose statistics are not stated. Korea's group
    comes first, then China's, then any other country's, then the one not stated.
    """
    by_country: dict[str, list[int]] = {}
    unknown: list[int] = []
    for i, fact in enumerate(facts):
        country = fact["basis_country"]
        if isinstance(country, str):
            by_country.setdefault(country, []).append(i)
        else:
            unknown.append(i)
    if len(by_country) == 1 and unknown:
        ((country, members),) = by_country.items()
        return [Statistics(country, sorted(members + unknown), frozenset(unknown))]
    groups = [Statistics(c, m, frozenset()) for c, m in sorted(by_country.items(), key=_country_order)]
    return groups + ([Statistics(None, unknown, frozenset())] if unknown else [])


def _country_order(item: tuple[str, list[int]]) -> tuple[int, str]:
    country = item[0]
    return (_STATISTICS_ORDER.index(country) if country in _STATISTICS_ORDER else len(_STATISTICS_ORDER), country)


def flags_of(fact: Record, *, assumed: bool = False) -> list[str]:
    """What a reader should know of a figure before quoting it beside the others:

    - ``worked-out``: its note says "worked out, not stated" (the file's wording for a
      figure or period the page implies but does not give);
    - ``scheduled``: tagged ``scheduled``, ``plan`` or ``planned``: what was to happen;
    - ``expected``: tagged ``expected``, ``forecast``, ``projection``, ``projected`` or
      ``target``: a forecast, not an outcome;
    - ``statistics-assumed``: it states no statistics and sits with the only country's given.

    Tags, not wording: "ran 30 minutes longer than planned" is an outcome.
    """
    tags = {str(t).casefold() for t in fact["tags"]}  # type: ignore[attr-defined]
    note = fact["note"]
    found = {
        "worked-out": isinstance(note, str) and WORKED_OUT in note.casefold(),
        "scheduled": bool(tags & SCHEDULED_TAGS),
        "expected": bool(tags & EXPECTED_TAGS),
        "statistics-assumed": assumed,
    }
    return [flag for flag in FLAGS if found[flag]]


def reference_of(facts: Sequence[Record], flags: Sequence[Sequence[str]], readings: Sequence[object]) -> int | None:
    """Which fact is the group's reference: one whose source is a statistics body's or a
    government's own release (source kind ``statistics``, then ``government``), not worked
    out, scheduled or expected; among those the most precise, then the first. None if no
    fact is. A news page quoting a statistics body is not a release, whatever its basis."""
    candidates = [
        i
        for i, fact in enumerate(facts)
        if _source_kind(fact) in OFFICIAL_KINDS and not _NOT_REFERENCE.intersection(flags[i])
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda i: (OFFICIAL_KINDS.index(str(_source_kind(facts[i]))), _width(readings[i]), i))


def _source_kind(fact: Record) -> object:
    source = fact["source"]
    return source.get("kind") if isinstance(source, dict) else None


def _width(reading: object) -> float:
    """How much a reading allows: $18.01 billion is sharper than $18 billion (a group's figures share a unit)."""
    if not isinstance(reading, dict):
        return 0.0
    low, high = reading.get("low"), reading.get("high")
    if isinstance(low, int | float) and isinstance(high, int | float):
        return float(high - low)
    if isinstance(low, str) and isinstance(high, str):
        return 0.0 if low == high else 1.0
    return math.inf


def agrees(fact: Record, reading: object, other: Record, other_reading: object, kind: str) -> bool | None:
    """Whether ``other`` agrees with ``fact``; None when they are on different countries' statistics.

    For two facts of one group (:func:`by_statistics`); facts of different groups are not compared."""
    mine, theirs = fact["basis_country"], other["basis_country"]
    if mine and theirs and mine != theirs:
        return None
    if kind == "name":
        return _agree([None, None], [fact, other], kind)
    if kind == "date":
        return isinstance(reading, dict) and isinstance(other_reading, dict) and _days_overlap(reading, other_reading)
    a, b = _from_record(reading), _from_record(other_reading)
    return a is not None and b is not None and a.overlaps(b)


def _from_record(record: object) -> Reading | None:
    """A reading as stored in the index (ends are open exactly when a hedge makes them so)."""
    if not isinstance(record, dict):
        return None
    low, high = record.get("low"), record.get("high")
    return Reading(
        low if isinstance(low, int | float) else None,
        high if isinstance(high, int | float) else None,
        bool(record.get("low_open")),
        bool(record.get("high_open")),
    )


def reading_of(fact: Record, kind: str) -> Reading | Record | None:
    """A number's reading; a date's first and last day; a name has none."""
    if kind == "date":
        start, end = fact["period_start"], fact["period_end"]
        return {"low": start, "high": end, "low_open": False, "high_open": False} if end else None
    if kind == "number" and isinstance(fact["value"], int | float):
        return read_figure(fact["value"], _text(fact["unit"]), _text(fact["qualifier"]), _int(fact["decimals"]))
    return None


def _agree(readings: Sequence[Reading | Record | None], facts: Sequence[Record], kind: str) -> bool:
    if len(facts) < 2:
        return True
    if kind == "name":
        names = {" ".join(str(f["value_text"] or "").split()).casefold() for f in facts}
        return len(names) <= 1
    if kind == "date":
        days = [r for r in readings if isinstance(r, dict)]
        return all(_days_overlap(a, b) for n, a in enumerate(days) for b in days[n + 1 :])
    ranges = [r for r in readings if isinstance(r, Reading)]
    return all(a.overlaps(b) for n, a in enumerate(ranges) for b in ranges[n + 1 :])


def _days_overlap(a: Record, b: Record) -> bool:
    # ISO text sorts as time does; a time of day compares within its day.
    def bounds(r: Record) -> tuple[str, str]:
        low, high = str(r["low"] or r["high"]), str(r["high"])
        return low[:10], high[:10]

    (a_low, a_high), (b_low, b_high) = bounds(a), bounds(b)
    return a_low <= b_high and b_low <= a_high


def _spread(facts: Iterable[Record]) -> float | None:
    """The relative gap between the largest and smallest figure stated as a point (exact or
    about); bounds ("over $5 billion") count only when the points are fewer than two different values."""
    numbers = [f for f in facts if isinstance(f["value"], int | float)]
    points = [f for f in numbers if f["qualifier"] in ("exact", "about")]
    distinct = {f["value"] for f in points}
    values = [float(f["value"]) for f in (points if len(distinct) >= 2 else numbers)]  # type: ignore[arg-type]
    if len(values) < 2:
        return None
    low, high = min(values), max(values)
    base = min(abs(low), abs(high))
    if base == 0 or not math.isfinite(base):
        return None
    return round((high - low) / base, 6)


def _shared_basis(facts: Sequence[Record]) -> list[str] | None:
    """The basis every fact names, or None when they differ or none is given."""
    bases = {tuple(str(b) for b in f["basis"]) for f in facts}  # type: ignore[attr-defined]
    if len(bases) == 1:
        (only,) = bases
        return list(only) or None
    return None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None
