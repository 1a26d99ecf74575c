"""Figures worked out from official observations: never stored, always labelled.

An observation is a figure as its publisher states it (``Observation``). From the
observations of ONE source and ONE reporter (whose statistics they are) kortrade
works out what a reader asks for and the file does not state:

- bilateral trade: exports + imports;
- the ROK's balance with China: on Korea's statistics exports - imports; on China's,
  China's imports from the ROK - China's exports to the ROK;
- shares of the World total: China's share of the ROK's exports, imports and trade
  (Korea's statistics), the ROK's share of China's imports (China's statistics);
- a year from twelve months, only when all twelve of that source are there, and only
  where the source has no yearly row of its own.

Each :class:`Figure` says how it was worked out (``how``) and which observations it
rests on (their ids), and a worked-out figure never joins two sources' or two
reporters' observations: Korea's and China's customs count the same trade
differently, and two publishers revise on their own calendars.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Final

from kortrade.model import Number, Observation, Source

KOREA: Final = "Republic of Korea"
CHINA: Final = "China"
WORLD: Final = "World"
BASES: Final = (KOREA, CHINA)

TRADE: Final = "bilateral-trade"
EXPORTS: Final = "rok-exports-to-china"
IMPORTS: Final = "rok-imports-from-china"
BALANCE: Final = "rok-trade-balance-with-china"
SHARE_OF_EXPORTS: Final = "china-share-of-rok-exports"
SHARE_OF_IMPORTS: Final = "china-share-of-rok-imports"
SHARE_OF_TRADE: Final = "china-share-of-rok-trade"
SHARE_OF_CHINA_IMPORTS: Final = "rok-share-of-china-imports"
ROK_TOTAL_EXPORTS: Final = "rok-total-exports"
_SHARES: Final = frozenset({SHARE_OF_EXPORTS, SHARE_OF_IMPORTS, SHARE_OF_TRADE, SHARE_OF_CHINA_IMPORTS})

# The measure an observation states as it stands: (reporter, partner, flow) -> measure.
# China's imports from the ROK are the ROK's exports to China, seen from China's side.
STATED: Final = {
    (KOREA, CHINA, "exports"): EXPORTS,
    (KOREA, CHINA, "imports"): IMPORTS,
    (KOREA, CHINA, "balance"): BALANCE,
    (CHINA, KOREA, "imports"): EXPORTS,
    (CHINA, KOREA, "exports"): IMPORTS,
    (KOREA, WORLD, "exports"): ROK_TOTAL_EXPORTS,
}
# How a year's figure is made from its months.
SUM_OF_MONTHS: Final = "sum of 12 months"


@dataclass(frozen=True, slots=True)
class Figure:
    """One measure's figure for one period on one country's statistics, from one source.

    ``how`` is None for a figure an observation states; otherwise it says how it was
    worked out ("exports + imports"). ``observations`` are the ids it rests on.
    ``from_months`` marks a figure that rests on a year made of twelve months.
    """

    measure: str
    period: str
    basis_country: str
    value: Number
    unit: str
    source: Source
    how: str | None = None
    observations: tuple[str, ...] = ()
    from_months: bool = False

    @property
    def worked_out(self) -> bool:
        return self.how is not None

    @property
    def rank(self) -> int:
        """0: stated; 1: worked out from stated rows of the period; 2: resting on a year of 12 months."""
        if self.how is None:
            return 0
        return 2 if self.from_months else 1


@dataclass(frozen=True, slots=True)
class _Part:
    """A flow's figure for a period inside one source and reporter, stated or summed from months."""

    value: Number
    ids: tuple[str, ...]
    unit: str
    from_months: bool = False


# (partner, flow) -> period -> part
_Parts = dict[tuple[str, str], dict[str, _Part]]


def period_key(observation: Observation) -> str | None:
    """``2024`` for a year, ``2024-03`` for a month; None for any other period."""
    text = observation.period.text
    # A period written as a year or a month spans it (schema.parse_period): no need to check its days.
    if (len(text) == 4 and text.isdigit()) or (len(text) == 7 and text[4] == "-" and text[:4].isdigit()):
        return text
    return full_period(observation.period.first.isoformat(), observation.period.last.isoformat())


def full_period(first: str, last: str) -> str | None:
    """The year or month exactly spanning ``first`` to ``last`` (ISO days), else None: Jan to Nov is no year."""
    if first[:4] != last[:4]:
        return None
    if first[5:] == "01-01" and last[5:] == "12-31":
        return first[:4]
    if first[:7] == last[:7] and first[8:] == "01" and last[8:] == _month_end(first[:7]):
        return first[:7]
    return None


def _month_end(month: str) -> str:
    import calendar

    year, number = int(month[:4]), int(month[5:7])
    return f"{calendar.monthrange(year, number)[1]:02d}"


def work_out(
    observations: Iterable[Observation], *, measures: Collection[str] | None = None, monthly: bool | None = None
) -> list[Figure]:
    """Every figure the observations state or let kortrade work out, one source and reporter at a time.

    Within a source and reporter each measure gets one figure a period: the stated
    one, else one worked out from stated rows of that period, else one resting on a
    year of twelve months. ``measures`` and ``monthly`` (True: months only; False:
    years only) spare the work on figures no one asked for.
    """
    groups: dict[tuple[str, str], list[Observation]] = defaultdict(list)
    for observation in observations:
        groups[(observation.source.id, observation.reporter)].append(observation)
    figures: list[Figure] = []
    for group in groups.values():
        figures.extend(_work_out_group(group, measures, monthly))
    return figures


def _work_out_group(
    observations: list[Observation], measures: Collection[str] | None, monthly: bool | None
) -> list[Figure]:
    source, reporter = observations[0].source, observations[0].reporter
    parts: _Parts = defaultdict(dict)
    for observation in observations:
        key = period_key(observation)
        if key is not None:
            parts[(observation.partner, observation.flow)].setdefault(
                key, _Part(observation.value, (observation.id,), observation.unit)
            )
    _add_years_from_months(parts)
    best: dict[tuple[str, str], Figure] = {}
    for figure in _candidates(parts, reporter, source, measures, monthly):
        slot = (figure.measure, figure.period)
        if slot not in best or figure.rank < best[slot].rank:
            best[slot] = figure
    return list(best.values())


def _add_years_from_months(parts: _Parts) -> None:
    """A year for each flow with all twelve months and no yearly row of its own."""
    for periods in parts.values():
        months: dict[str, list[str]] = defaultdict(list)
        for key in periods:
            if len(key) == 7:
                months[key[:4]].append(key)
        for year, keys in months.items():
            if year in periods or len(keys) != 12:
                continue
            chosen = [periods[k] for k in sorted(keys)]
            if len({p.unit for p in chosen}) != 1:
                continue
            periods[year] = _Part(
                add(p.value for p in chosen),
                tuple(i for p in chosen for i in p.ids),
                chosen[0].unit,
                from_months=True,
            )


def _candidates(
    parts: _Parts, reporter: str, source: Source, measures: Collection[str] | None, monthly: bool | None
) -> Iterable[Figure]:
    partner = CHINA if reporter == KOREA else KOREA
    periods = sorted({key for by_period in parts.values() for key in by_period})
    if monthly is not None:
        periods = [p for p in periods if (len(p) == 7) == monthly]
    shares = measures is None or any(m in _SHARES for m in measures)
    for period in periods:
        for (other, flow), by_period in parts.items():
            measure = STATED.get((reporter, other, flow))
            part = by_period.get(period)
            if measure is not None and part is not None:
                how = SUM_OF_MONTHS if part.from_months else None
                yield _figure(measure, period, reporter, source, [part], part.value, how)
        exports, imports = parts[(partner, "exports")].get(period), parts[(partner, "imports")].get(period)
        if exports is not None and imports is not None:
            yield from _trade_and_balance(period, reporter, source, exports, imports)
        if shares:
            yield from _shares(parts, period, reporter, source, partner)


def _trade_and_balance(period: str, reporter: str, source: Source, exports: _Part, imports: _Part) -> Iterable[Figure]:
    """The reporter's exports to and imports from the other country: their sum, and the ROK's balance."""
    if exports.unit != imports.unit:
        return
    pair = [exports, imports]
    yield _figure(TRADE, period, reporter, source, pair, add([exports.value, imports.value]), "exports + imports")
    if reporter == KOREA:
        yield _figure(
            BALANCE, period, reporter, source, pair, subtract(exports.value, imports.value), "exports - imports"
        )
    else:
        how = "China's imports from the ROK - China's exports to the ROK"
        yield _figure(
            BALANCE, period, reporter, source, [imports, exports], subtract(imports.value, exports.value), how
        )


def _shares(parts: _Parts, period: str, reporter: str, source: Source, partner: str) -> Iterable[Figure]:
    def part(who: str, flow: str) -> _Part | None:
        return parts[(who, flow)].get(period) if (who, flow) in parts else None

    if reporter == KOREA:
        for flow, measure in (("exports", SHARE_OF_EXPORTS), ("imports", SHARE_OF_IMPORTS)):
            mine, world = part(CHINA, flow), part(WORLD, flow)
            if mine is not None and world is not None:
                to = "to" if flow == "exports" else "from"
                how = f"{flow} {to} China ÷ {flow} {to} the World"
                share = _share(mine.value, world.value, [mine, world])
                if share is not None:
                    yield _figure(measure, period, reporter, source, [mine, world], share, how, unit="percent")
        pieces = [part(CHINA, "exports"), part(CHINA, "imports"), part(WORLD, "exports"), part(WORLD, "imports")]
        if all(p is not None for p in pieces):
            x, m, wx, wm = (p for p in pieces if p is not None)
            share = _share(add([x.value, m.value]), add([wx.value, wm.value]), [x, m, wx, wm])
            if share is not None:
                how = "trade with China ÷ trade with the World"
                yield _figure(SHARE_OF_TRADE, period, reporter, source, [x, m, wx, wm], share, how, unit="percent")
    elif reporter == CHINA:
        mine, world = part(partner, "imports"), part(WORLD, "imports")
        if mine is not None and world is not None:
            share = _share(mine.value, world.value, [mine, world])
            if share is not None:
                how = "imports from the ROK ÷ imports from the World"
                yield _figure(
                    SHARE_OF_CHINA_IMPORTS, period, reporter, source, [mine, world], share, how, unit="percent"
                )


def _share(part: Number, whole: Number, pieces: list[_Part]) -> float | None:
    if whole == 0 or len({p.unit for p in pieces}) != 1:
        return None
    return round(100 * part / whole, 4)


def _figure(
    measure: str,
    period: str,
    reporter: str,
    source: Source,
    parts: list[_Part],
    value: Number,
    how: str | None,
    *,
    unit: str | None = None,
) -> Figure:
    from_months = any(p.from_months for p in parts)
    if how is not None and from_months and how != SUM_OF_MONTHS:
        how += ", each a " + SUM_OF_MONTHS.replace("sum", "year as the sum")
    return Figure(
        measure=measure,
        period=period,
        basis_country=reporter,
        value=value,
        unit=unit or parts[0].unit,
        source=source,
        how=how,
        observations=tuple(i for p in parts for i in p.ids),
        from_months=from_months,
    )


def add(values: Iterable[Number]) -> Number:
    """The sum, exact for whole numbers; floats summed without drift (to the cent)."""
    items = list(values)
    if all(isinstance(v, int) for v in items):
        return sum(items)
    return _tidy(math.fsum(items))


def subtract(a: Number, b: Number) -> Number:
    if isinstance(a, int) and isinstance(b, int):
        return a - b
    return _tidy(math.fsum([a, -b]))


def _tidy(value: float) -> Number:
    """A float sum of money to the cent, and a whole number as an int (12798727502.000002 is 12798727502)."""
    rounded = round(value, 2)
    return int(rounded) if rounded.is_integer() and abs(rounded) < 2**53 else rounded
