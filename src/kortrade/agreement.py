"""When two sources' figures agree: each figure read as the values its wording allows.

A figure stands for every value that rounds to it at its last stated digit:
"$328.08 billion" for 328.075 to 328.085 billion. A whole number of 1,000 or more
does not state its trailing zeros ("1,980,000 people" is read to the nearest
10,000), unless the facts file's ``decimals`` says the source wrote them. The
source's hedge then widens or bounds that:

- ``about`` widens it by 5% of the figure on each side (at least the rounding):
  outlets write "about" for a figure rounded to one or two significant digits
  ("about 400" for 416 is 4% off), and 5% covers that without making every
  "about" agree with everything;
- ``over`` is anything above the figure, ``under`` anything below it,
  ``at-least`` the figure or more;
- ``nearly`` is just under it: down to 5% (at least one rounding step) below.

A negative figure (a deficit) is hedged by its size: "over $18 billion" of
deficit is below -18 billion. Figures of one measure and period agree when their
readings overlap; touching ends do not overlap. Figures on different countries'
statistics are never compared: Korea's customs and China's customs count the same
trade differently, so their verdict is ``different-statistics``. Dates agree when
the days they cover overlap (a month holds its days); names when they are equal,
ignoring case and spacing.
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
VERDICTS: Final = ("agree", "differ", "different-statistics", "single")
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
    half = step(value, unit, decimals) / 2
    v = float(value)
    match qualifier:
        case "about":
            spread = max(half, ABOUT_WIDENING * v)
            return Reading(_minus(v, spread), _plus(v, spread))
        case "over":
            return Reading(v, None, low_open=True)
        case "under":
            return Reading(None, v, high_open=True)
        case "at-least":
            return Reading(v, None)
        case "nearly":
            return Reading(_minus(v, max(2 * half, NEARLY_WIDENING * v)), v, high_open=True)
        case _:
            return Reading(_minus(v, half), _plus(v, half))


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
    """The verdict on facts that state one measure (and period), and each one's reading."""
    readings = [reading_of(fact, kind) for fact in facts]
    basis = _shared_basis(facts)
    if len(facts) < 2:
        return Verdict("single", None, basis), [r.record() if isinstance(r, Reading) else r for r in readings]
    pools = _pools(facts)
    disputed = [pool for pool in pools if not _agree([readings[i] for i in pool], [facts[i] for i in pool], kind)]
    countries = {f["basis_country"] for f in facts if f["basis_country"]}
    spread = None
    if disputed:
        verdict = "differ"
        # How far apart the figures that conflict are: one country's statistics at a time.
        gaps = [_spread([facts[i] for i in pool]) for pool in disputed] if kind == "number" else []
        spread = max((g for g in gaps if g is not None), default=None)
    else:
        verdict = "different-statistics" if len(countries) > 1 else "agree"
        spread = _spread(facts) if kind == "number" else None
    return Verdict(verdict, spread, basis), [r.record() if isinstance(r, Reading) else r for r in readings]


def agrees(fact: Record, reading: object, other: Record, other_reading: object, kind: str) -> bool | None:
    """Whether ``other`` agrees with ``fact``; None when they are on different countries' statistics."""
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


def _pools(facts: Sequence[Record]) -> list[list[int]]:
    """Which facts are compared with which: one pool per country's statistics.

    Facts that name no basis join the one country's pool when there is just one;
    beside two countries' statistics they are compared only with each other.
    """
    by_country: dict[str, list[int]] = {}
    unknown: list[int] = []
    for i, fact in enumerate(facts):
        country = fact["basis_country"]
        if isinstance(country, str):
            by_country.setdefault(country, []).append(i)
        else:
            unknown.append(i)
    if len(by_country) <= 1:
        return [sorted(unknown + next(iter(by_country.values()), []))]
    return [*by_country.values(), unknown]


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
