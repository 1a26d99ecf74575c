"""Every reported figure held against the official one: ``kortrade check`` and ``show``'s ``official``.

A reported figure is a fact of a measure the official series covers (:data:`kortrade.series.SERIES_MEASURES`),
in US dollars or percent, for a full year or month. Its official counterpart is the series row of
the same measure, period and basis country, unless that row rests on the very fact (a page's figure
standing in for the official one is not checked against itself). The two agree when the fact's
reading (the values its wording allows, :mod:`kortrade.agreement`) overlaps the official figure's,
exactly as ``kortrade series`` counts its ``agreeing`` facts.

A fact that states no basis country is held against both countries' statistics: when either
figure agrees it is not a conflict (the page just did not say whose statistics), and it is not
listed; otherwise its counterpart is the nearer of the two.

Where a differing figure agrees with another official figure, that is said: the other country's
figure for the same period (a likely wrong side), else the nearest other year's (or month's) of
the same measure and basis (a likely wrong year), a year or two off (a month or two, or a
year, for a month); further off an equal figure is taken for a coincidence. Pure functions:
the store gives the facts and the series rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Final

from kortrade.agreement import Reading, read_figure, reading_of
from kortrade.records import Record
from kortrade.series import SERIES_MEASURES
from kortrade.worked import BASES, CHINA, KOREA, full_period, subtract

# The JSON contract of a row of `kortrade check`, pinned by tests/support/keys.py's CHECK_KEYS.
CHECK_FIELDS: Final = (
    "id", "measure", "period", "basis_country", "value", "unit", "display", "source",
    "official_basis_country", "official_value", "official_display", "official_source", "official_how",
    "official_facts", "gap", "gap_percent", "likely", "matches_period", "matches_basis_country", "matches_display",
    "note",
)  # fmt: skip
# `show`'s `official`: the fact's official counterpart, pinned by tests/support/keys.py's OFFICIAL_KEYS.
OFFICIAL_FIELDS: Final = (
    "basis_country", "value", "unit", "display", "source", "how", "facts", "agrees", "gap", "gap_percent", "note",
)  # fmt: skip
UNITS: Final = frozenset({"USD", "percent"})
WHOSE: Final = {KOREA: "Korea's", CHINA: "China's"}

# (measure, period, basis country) -> the series row
Slot = tuple[str, str, str]
SourceOf = Callable[[str], Record]


@dataclass(frozen=True, slots=True)
class Held:
    """A reported figure and its official counterpart; ``agrees`` whether its reading allows it."""

    fact: Record
    row: Record
    agrees: bool
    likely: str | None = None
    match: Record | None = None


def reported_slot(fact: Record, measures: Collection[str] = SERIES_MEASURES) -> tuple[str, str] | None:
    """(measure, period) of a fact ``check`` holds against the series, else None."""
    measure, start, end, value = fact["measure"], fact["period_start"], fact["period_end"], fact["value"]
    if measure not in measures or fact["unit"] not in UNITS:
        return None
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    if fact["basis_country"] not in (None, *BASES) or not isinstance(start, str) or not isinstance(end, str):
        return None
    period = full_period(start[:10], end[:10])
    return None if period is None else (str(measure), period)


class Series:
    """Series rows by slot, and by measure and basis (for another period's figure), with each row's reading."""

    def __init__(self, rows: Iterable[Record], facts_by_id: dict[str, Record]) -> None:
        self.rows: dict[Slot, Record] = {}
        self.by_line: dict[tuple[str, str, int], list[Record]] = defaultdict(list)
        self._facts = facts_by_id
        self._readings: dict[int, Reading] = {}
        for row in rows:
            measure, period, basis = str(row["measure"]), str(row["period"]), str(row["basis_country"])
            self.rows[(measure, period, basis)] = row
            self.by_line[(measure, basis, len(period))].append(row)

    def reading(self, row: Record) -> Reading:
        """The official figure's reading, as ``series`` reads it: a page's figure standing for it by its wording."""
        found = self._readings.get(id(row))
        if found is None:
            found = self._readings[id(row)] = self._read(row)
        return found

    def _read(self, row: Record) -> Reading:
        rests_on = row["facts"]
        if not row["worked_out"] and isinstance(rests_on, list) and len(rests_on) == 1:
            fact = self._facts.get(str(rests_on[0]))
            reading = reading_of(fact, "number") if fact is not None else None
            if isinstance(reading, Reading):
                return reading
        value = row["value"]
        assert isinstance(value, int | float)
        return read_figure(value, str(row["unit"]), "exact", None)


def hold(fact: Record, series: Series) -> Held | None:
    """The fact against its official counterpart (None when it has none); see the module's rules."""
    slot = reported_slot(fact)
    reading = reading_of(fact, "number")
    if slot is None or not isinstance(reading, Reading):
        return None
    measure, period = slot
    basis = fact["basis_country"]
    sides = (str(basis),) if isinstance(basis, str) else BASES
    found = []
    for side in sides:
        row = series.rows.get((measure, period, side))
        if row is not None and _comparable(fact, row):
            found.append((row, reading.overlaps(series.reading(row))))
    if not found:
        return None
    agreeing = [row for row, agrees in found if agrees]
    if agreeing:
        return Held(fact, agreeing[0], True)
    row = min((row for row, _ in found), key=lambda r: abs(_relative(fact, r) or 0.0))
    likely, match = _likely(fact, reading, series, slot, sides)
    return Held(fact, row, False, likely, match)


def _comparable(fact: Record, row: Record) -> bool:
    rests_on = row["facts"]
    return row["unit"] == fact["unit"] and not (isinstance(rests_on, list) and fact["id"] in rests_on)


def _likely(
    fact: Record, reading: Reading, series: Series, slot: tuple[str, str], sides: tuple[str, ...]
) -> tuple[str | None, Record | None]:
    """What else the figure agrees with: the other country's figure for its period, else the
    nearest other period's on its statistics (either, when it states none)."""
    measure, period = slot
    if len(sides) == 1:
        (basis,) = sides
        other = series.rows.get((measure, period, CHINA if basis == KOREA else KOREA))
        if other is not None and _comparable(fact, other) and reading.overlaps(series.reading(other)):
            return "wrong-side", other
    close = _NEAR[len(period) == 7]
    near = [
        row
        for side in sides
        for row in series.by_line.get((measure, side, len(period)), [])
        if _distance(period, str(row["period"])) in close
        and _comparable(fact, row)
        and reading.overlaps(series.reading(row))
    ]
    if not near:
        return None, None
    nearest = min(
        near,
        key=lambda r: (_distance(period, str(r["period"])), str(r["period"]), BASES.index(str(r["basis_country"]))),
    )
    far = _distance(period, str(nearest["period"]))
    return ("wrong-year" if len(period) == 4 or far == 12 else "wrong-month"), nearest


def _distance(a: str, b: str) -> int:
    """How many years (or, between months, months) apart two periods are."""
    if len(a) == 4:
        return abs(int(a) - int(b))
    return abs(int(a[:4]) * 12 + int(a[5:7]) - int(b[:4]) * 12 - int(b[5:7]))


# How far off a period may be for a match to be a likely slip: a year or two (a month or two, or
# the same month a year off); further, an equal figure is a coincidence, not a wrong year.
_NEAR: Final = {False: frozenset({1, 2}), True: frozenset({1, 2, 12})}


def _relative(fact: Record, row: Record) -> float | None:
    """The gap as a share of the official figure, in percent (None when the official figure is 0)."""
    value, official = fact["value"], row["value"]
    assert isinstance(value, int | float)
    assert isinstance(official, int | float)
    if official == 0:
        return None
    return round(100 * (float(value) - float(official)) / abs(float(official)), 2)


def _gap(fact: Record, row: Record) -> int | float:
    value, official = fact["value"], row["value"]
    assert isinstance(value, int | float)
    assert isinstance(official, int | float)
    return subtract(value, official)


def official_record(held: Held, source_of: SourceOf) -> Record:
    """``show``'s ``official``: the counterpart, whether the fact agrees with it, and the gap."""
    row = held.row
    return {
        "basis_country": row["basis_country"],
        "value": row["value"],
        "unit": row["unit"],
        "display": row["display"],
        "source": source_of(str(row["source"])),
        "how": row["how"],
        "facts": row["facts"],
        "agrees": held.agrees,
        "gap": _gap(held.fact, row),
        "gap_percent": _relative(held.fact, row),
        "note": likely_text(held),
    }


def check_record(held: Held, source_of: SourceOf) -> Record:
    """A row of ``kortrade check`` (:data:`CHECK_FIELDS`)."""
    fact, row, match = held.fact, held.row, held.match
    about = fact["source"]
    source = {k: about[k] for k in ("id", "publisher", "published")} if isinstance(about, dict) else about
    slot = reported_slot(fact)
    assert slot is not None
    return {
        "id": fact["id"],
        "measure": slot[0],
        "period": slot[1],
        "basis_country": fact["basis_country"],
        "value": fact["value"],
        "unit": fact["unit"],
        "display": fact["display"],
        "source": source,
        "official_basis_country": row["basis_country"],
        "official_value": row["value"],
        "official_display": row["display"],
        "official_source": source_of(str(row["source"])),
        "official_how": row["how"],
        "official_facts": row["facts"],
        "gap": _gap(fact, row),
        "gap_percent": _relative(fact, row),
        "likely": held.likely,
        "matches_period": match["period"] if match is not None else None,
        "matches_basis_country": match["basis_country"] if match is not None else None,
        "matches_display": match["display"] if match is not None else None,
        "note": likely_text(held),
    }


def likely_text(held: Held) -> str | None:
    """``matches Korea's 2023 figure ($267.68 billion): a likely wrong year``."""
    match = held.match
    if match is None or held.likely is None:
        return None
    whose = WHOSE.get(str(match["basis_country"]), f"{match['basis_country']}'s")
    if held.likely == "wrong-side":
        return f"matches {whose} statistics ({match['display']}): a likely wrong side"
    kind = "year" if held.likely == "wrong-year" else "month"
    return f"matches {whose} {match['period']} figure ({match['display']}): a likely wrong {kind}"


def differing(facts: Iterable[Record], series: Series) -> list[Held]:
    """The facts whose figure differs from its official counterpart, largest gap first."""
    return differing_first(held for fact in facts if (held := hold(fact, series)) is not None)


def differing_first(held: Iterable[Held]) -> list[Held]:
    """Of ``held``, those that differ, largest gap first (relative to the official figure, then
    absolute, then by id)."""
    return sorted((h for h in held if not h.agrees), key=_order)


def _order(held: Held) -> tuple[float, float, str]:
    relative = _relative(held.fact, held.row)
    return (
        -abs(relative) if relative is not None else 0.0,
        -abs(float(_gap(held.fact, held.row))),
        str(held.fact["id"]),
    )


def parse_years(text: str) -> tuple[str, str]:
    """``--year``: a year (2024) or a range (2015-2025), both ends included. ValueError when unreadable."""
    first, dash, last = text.strip().partition("-")
    first, last = first.strip(), (last.strip() if dash else first.strip())
    if not (len(first) == 4 and first.isdigit() and len(last) == 4 and last.isdigit()):
        raise ValueError(f"--year takes a year (2024) or a range (2015-2025), got '{text}'")
    if first > last:
        raise ValueError(f"--year {text}: the first year is after the last")
    return first, last


def in_years(period: str, years: tuple[str, str] | None) -> bool:
    return years is None or years[0] <= period[:4] <= years[1]


def near_bounds(period: str) -> tuple[str, str]:
    """The first and last period a check of a figure of ``period`` reads (:data:`_NEAR`)."""
    if len(period) == 4:
        reach = max(_NEAR[False])
        return f"{int(period) - reach:04d}", f"{int(period) + reach:04d}"
    index, reach = int(period[:4]) * 12 + int(period[5:7]) - 1, max(_NEAR[True])
    low, high = index - reach, index + reach
    return f"{low // 12:04d}-{low % 12 + 1:02d}", f"{high // 12:04d}-{high % 12 + 1:02d}"


def needed_months(facts: Iterable[Record]) -> tuple[set[str], set[str]]:
    """The measures of monthly reported figures, and the months their check reads: each one's
    own and those a match may be found in (:data:`_NEAR`)."""
    measures, months = set(), set()
    for fact in facts:
        slot = reported_slot(fact)
        if slot is None or len(slot[1]) != 7:
            continue
        measures.add(slot[0])
        index = int(slot[1][:4]) * 12 + int(slot[1][5:7]) - 1
        for step in (0, *_NEAR[True]):
            for near in {index - step, index + step}:
                months.add(f"{near // 12:04d}-{near % 12 + 1:02d}")
    return measures, months
