"""The official series: for each measure, each country's statistics and each period, one figure.

A period's figure on a country's statistics is, in this order:

1. stated by an observation (a row of an official data file); when several sources
   state it (the Korea Customs Service's and KOSIS's months) the newest source's, the
   others counted as also stating it, with whether they agree;
2. else worked out from one source's observations (:mod:`kortrade.worked`): from
   that period's own rows before a year made of twelve months, then the newest source;
3. else an official figure a page reports: a fact of that measure, that basis country
   and exactly that full period (a year ``2024``, never January to November), from a
   statistics body or government first, then one whose basis is an official agency,
   then any other; a figure hedged as a bound ("over $360 billion") is never one;
4. else worked out, as in 2, from ONE page's exact figures of that period and basis
   (China's 2024 trade from a page giving China's 2024 exports and imports).

``observations`` lists the observation ids a figure rests on; ``facts`` the page facts
(the one stating it, or those it was worked out from).
Each row also counts the facts that report the same measure, period and statistics,
and how many of them (with the other sources stating it) agree with the figure, read
as :mod:`kortrade.agreement` reads figures. Pure functions: the store gives the
observations and facts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from kortrade.agreement import Reading, read_figure, reading_of, step
from kortrade.display import figure
from kortrade.model import Number, Observation, PartialDate, Period, Source
from kortrade.records import Record
from kortrade.worked import (
    BALANCE,
    BASES,
    CHINA,
    EXPORTS,
    IMPORTS,
    KOREA,
    SHARE_OF_CHINA_IMPORTS,
    SHARE_OF_EXPORTS,
    SHARE_OF_IMPORTS,
    SHARE_OF_TRADE,
    STATED,
    TRADE,
    Figure,
    full_period,
    work_out,
)

# The measures the official data files hold, as `kortrade series` lists them.
SERIES_MEASURES: Final = (
    TRADE, EXPORTS, IMPORTS, BALANCE, SHARE_OF_EXPORTS, SHARE_OF_IMPORTS, SHARE_OF_TRADE, SHARE_OF_CHINA_IMPORTS,
)  # fmt: skip
DEFAULT_MEASURES: Final = (TRADE, EXPORTS, IMPORTS, BALANCE)
# Words people type for the measures.
ALIASES: Final = {"trade": TRADE, "exports": EXPORTS, "imports": IMPORTS, "balance": BALANCE}
BASIS_NAMES: Final = {
    "korea": KOREA, "rok": KOREA, "kor": KOREA, "kr": KOREA, "south korea": KOREA, "republic of korea": KOREA,
    "china": CHINA, "chn": CHINA, "cn": CHINA, "prc": CHINA,
}  # fmt: skip

# The JSON contract of a series row, pinned by tests/support/keys.py's SERIES_KEYS.
SERIES_FIELDS: Final = (
    "measure", "period", "period_start", "period_end", "basis_country", "value", "unit", "display",
    "worked_out", "how", "observations", "facts", "source", "also_stated", "reported", "agreeing", "verdict",
)  # fmt: skip

# Sources whose own figures are official; and the agencies that publish the two countries' statistics.
_OFFICIAL_KINDS: Final = frozenset({"statistics", "government"})
OFFICIAL_AGENCIES: Final = frozenset(
    {
        "General Administration of Customs", "Ministry of Commerce", "National Bureau of Statistics",
        "Korea Customs Service", "Ministry of Trade, Industry and Energy", "Statistics Korea", "Bank of Korea",
        "Ministry of Economy and Finance",
    }
)  # fmt: skip
# A hedge that makes a figure a bound, not a figure.
_BOUNDS: Final = frozenset({"over", "under", "nearly", "at-least"})


@dataclass(frozen=True, slots=True)
class SeriesQuery:
    """What to list: measures, whose statistics, yearly or monthly, from and to (inclusive)."""

    measures: tuple[str, ...] = DEFAULT_MEASURES
    bases: tuple[str, ...] = BASES
    monthly: bool = False
    first: str | None = None
    last: str | None = None

    def wants(self, measure: str, period: str, basis: str) -> bool:
        if measure not in self.measures or basis not in self.bases or (len(period) == 7) != self.monthly:
            return False
        return (self.first is None or period >= self.first) and (self.last is None or period <= self.last)


def series_rows(observations: Iterable[Observation], facts: Iterable[Record], query: SeriesQuery) -> list[Record]:
    """One record per measure, period and basis country that has an official figure, in
    the query's measure order, then period, then Korea before China.

    ``facts`` may include facts of measures not asked for: a page's exports and imports
    let kortrade work out its trade when no file or page states it.
    """
    figures = _by_slot(work_out(observations, measures=query.measures, monthly=query.monthly), query)
    facts = list(facts)
    reports: dict[tuple[str, str, str], list[Record]] = defaultdict(list)
    for fact in facts:
        slot = _fact_slot(fact)
        if slot is not None and query.wants(*slot):
            reports[slot].append(fact)
    from_pages = work_out(_page_observations(facts), measures=query.measures, monthly=query.monthly)
    page_figures = _by_slot([f for f in from_pages if f.worked_out], query)
    rows = []
    for slot in sorted(set(figures) | set(reports) | set(page_figures), key=lambda s: _order(s, query)):
        row = _row(slot, figures.get(slot, []), reports.get(slot, []), page_figures.get(slot, []))
        if row is not None:
            rows.append(row)
    return rows


def _by_slot(figures: Iterable[Figure], query: SeriesQuery) -> dict[tuple[str, str, str], list[Figure]]:
    found: dict[tuple[str, str, str], list[Figure]] = defaultdict(list)
    for figure_ in figures:
        if query.wants(figure_.measure, figure_.period, figure_.basis_country):
            found[(figure_.measure, figure_.period, figure_.basis_country)].append(figure_)
    return found


def _order(slot: tuple[str, str, str], query: SeriesQuery) -> tuple[int, str, int]:
    measure, period, basis = slot
    return query.measures.index(measure), period, BASES.index(basis)


def _fact_slot(fact: Record) -> tuple[str, str, str] | None:
    """(measure, period, basis country) of a fact stating a number for a full year or month."""
    measure, basis, start, end = fact["measure"], fact["basis_country"], fact["period_start"], fact["period_end"]
    if not (isinstance(measure, str) and isinstance(basis, str) and isinstance(start, str) and isinstance(end, str)):
        return None
    if not isinstance(fact["value"], int | float) or isinstance(fact["value"], bool):
        return None
    period = full_period(start[:10], end[:10])
    return None if period is None else (measure, period, basis)


# What a page's figure is as an observation would state it: (measure, basis) -> (partner, flow).
_AS_OBSERVED: Final = {(measure, reporter): (partner, flow) for (reporter, partner, flow), measure in STATED.items()}


def _page_observations(facts: Iterable[Record]) -> list[Observation]:
    """Pages' exact figures of a full period, as observations of their source, so that one
    page's exports and imports give its trade and balance (never two pages' together)."""
    import datetime as dt

    sources: dict[str, Source] = {}
    found = []
    for fact in facts:
        slot = _fact_slot(fact)
        if slot is None or fact["qualifier"] not in (None, "exact"):
            continue
        measure, period, basis = slot
        flow = _AS_OBSERVED.get((measure, basis))
        about = fact["source"]
        if flow is None or not isinstance(about, dict):
            continue
        source = sources.get(str(about["id"]))
        if source is None:
            source = sources[str(about["id"])] = source_from_record(about)
        start, end = _bounds(period)
        days = Period(period, dt.date.fromisoformat(start), dt.date.fromisoformat(end), start, end, start)
        value = fact["value"]
        assert isinstance(value, int | float)
        found.append(Observation(str(fact["id"]), source, basis, flow[0], flow[1], days, value, str(fact["unit"])))
    return found


def source_from_record(about: Record) -> Source:
    """A source record (as the store gives it) as the model's Source, its date read as a partial date."""
    import calendar
    import datetime as dt

    text = str(about.get("published") or "")
    published = None
    if len(text) in (4, 7, 10):
        first = dt.date.fromisoformat((text + "-01-01")[:10] if len(text) < 10 else text)
        if len(text) == 4:
            last = dt.date(first.year, 12, 31)
        elif len(text) == 7:
            last = dt.date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])
        else:
            last = first
        published = PartialDate(text, first, last)
    return Source(
        str(about["id"]), str(about.get("title") or ""), str(about.get("publisher") or ""), published,
        str(about.get("url") or ""), _text(about.get("kind")), _text(about.get("language")), _text(about.get("via")),
        _text(about.get("date_note")),
    )  # fmt: skip


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _best(figures: list[Figure]) -> Figure | None:
    """The figure resting on the fewest steps, then the newest source's."""
    if not figures:
        return None
    least = min(f.rank for f in figures)
    return max((f for f in figures if f.rank == least), key=_newest)


def _row(
    slot: tuple[str, str, str], figures: list[Figure], reports: list[Record], page_figures: list[Figure]
) -> Record | None:
    measure, period, basis = slot
    stated = [f for f in figures if f.rank == 0]
    chosen = _best(figures)
    also = [f for f in stated if f is not chosen]
    fact = _official_fact(reports) if chosen is None else None
    from_page = None
    if chosen is None and fact is None:
        chosen = from_page = _best(page_figures)
        if chosen is None:
            return None
    others = [r for r in reports if r is not fact]
    if chosen is not None:
        value, unit = chosen.value, chosen.unit
        own = read_figure(value, unit, "exact", None)
    else:
        assert fact is not None
        value, unit = fact["value"], str(fact["unit"])  # type: ignore[assignment]
        reading = reading_of(fact, "number")
        own = reading if isinstance(reading, Reading) else read_figure(value, unit, "exact", None)
    verdicts = [_agrees(own, unit, other) for other in others]
    verdicts += [own.overlaps(read_figure(f.value, f.unit, "exact", None)) for f in also if f.unit == unit]
    comparable = [v for v in verdicts if v is not None]
    agreeing = sum(1 for v in comparable if v)
    start, end = _bounds(period)
    if fact is not None:
        rests_on: list[str] = [str(fact["id"])]
    else:
        rests_on = list(from_page.observations) if from_page is not None else []
    return {
        "measure": measure,
        "period": period,
        "period_start": start,
        "period_end": end,
        "basis_country": basis,
        "value": value,
        "unit": unit,
        "display": fact["display"] if fact is not None else display(value, unit),
        "worked_out": chosen is not None and chosen.worked_out,
        "how": chosen.how if chosen is not None else None,
        "observations": list(chosen.observations) if chosen is not None and from_page is None else [],
        "facts": rests_on,
        "source": chosen.source.id if chosen is not None else _source_id(fact),
        "also_stated": len(also),
        "reported": len(others),
        "agreeing": agreeing,
        "verdict": None if not comparable else ("agree" if agreeing == len(comparable) else "differ"),
    }


def _newest(found: Figure) -> tuple[str, str]:
    published = found.source.published
    return (published.last.isoformat() if published is not None else "", found.source.id)


def _agrees(own: Reading, unit: str, other: Record) -> bool | None:
    """Whether a page's figure allows the official one; None when they are in different units."""
    if other["unit"] != unit:
        return None
    reading = reading_of(other, "number")
    return reading.overlaps(own) if isinstance(reading, Reading) else None


def _official_fact(reports: Sequence[Record]) -> Record | None:
    """The page figure to stand for the official one: a statistics body's or government's, then
    one citing an official agency, then any other; an exact figure before an "about", a
    figure in US dollars before other units, the newest page first; never a bound."""
    candidates = [r for r in reports if r["qualifier"] not in _BOUNDS]
    if not candidates:
        return None
    # Newest page first (a stable sort keeps file order among pages of one date); min()
    # then takes the first of the most preferred.
    candidates.sort(key=_published, reverse=True)

    def preference(fact: Record) -> tuple[int, int, int, int, float]:
        source = fact["source"]
        kind = source.get("kind") if isinstance(source, dict) else None
        basis = fact["basis"] if isinstance(fact["basis"], list) else []
        return (
            0 if kind in _OFFICIAL_KINDS else 1,
            0 if any(b in OFFICIAL_AGENCIES for b in basis) else 1,
            0 if fact["qualifier"] in (None, "exact") else 1,
            0 if fact["unit"] == "USD" else 1,
            # The most precise figure stands for the official one: $362.4 billion before $360 billion.
            _coarseness(fact),
        )

    return min(candidates, key=preference)


def _coarseness(fact: Record) -> float:
    """A figure's rounding step as a share of it: how little of it the page states."""
    value, decimals = fact["value"], fact.get("decimals")
    if not isinstance(value, int | float) or not value:
        return float("inf")
    return step(value, str(fact["unit"]), decimals if isinstance(decimals, int) else None) / abs(value)


def _published(fact: Record) -> str:
    source = fact["source"]
    return str(source.get("published") or "") if isinstance(source, dict) else ""


def _source_id(fact: Record | None) -> str | None:
    source = fact["source"] if fact is not None else None
    return str(source["id"]) if isinstance(source, dict) else None


def _bounds(period: str) -> tuple[str, str]:
    if len(period) == 4:
        return f"{period}-01-01", f"{period}-12-31"
    from kortrade.worked import _month_end

    return f"{period}-01", f"{period}-{_month_end(period)}"


def display(value: Number, unit: str) -> str:
    """A series figure as display.py writes figures: money to two places at its scale
    (``$227.38 billion``), a share to one (``24.8%``)."""
    places = 1 if unit == "percent" else 2
    shown = _rounded(value, unit, places)
    return figure(shown, unit, None, places) or ""


def _rounded(value: Number, unit: str, places: int) -> Number:
    if unit == "percent":
        return round(float(value), places)
    amount = abs(Decimal(value) if isinstance(value, int) else Decimal(repr(value)))
    scale = next((s for s in (10**12, 10**9, 10**6) if amount >= s), 1)
    scaled = round(Decimal(value if isinstance(value, int) else repr(value)) / scale, places) * scale
    return int(scaled) if scaled == scaled.to_integral_value() else float(scaled)


def resolve_measures(names: Sequence[str], known: Iterable[str]) -> tuple[str, ...]:
    """Measure ids from what was typed (an id, any case, or trade/exports/imports/balance);
    a word that is neither raises ValueError with the choices."""
    valid = set(known) | set(SERIES_MEASURES)
    chosen = []
    for name in names:
        wanted = ALIASES.get(name.casefold(), name.casefold())
        if wanted not in valid:
            raise ValueError(
                f"unknown measure '{name}'; the series are: {', '.join(SERIES_MEASURES)} "
                f"(or trade, exports, imports, balance)"
            )
        if wanted not in chosen:
            chosen.append(wanted)
    return tuple(chosen) or DEFAULT_MEASURES


def resolve_bases(names: Sequence[str]) -> tuple[str, ...]:
    """``korea``, ``china`` (and other spellings) as the basis countries' entity names, Korea first."""
    chosen = set()
    for name in names:
        for part in name.split(","):
            if not part.strip():
                continue
            country = BASIS_NAMES.get(" ".join(part.split()).casefold())
            if country is None:
                raise ValueError(f"unknown basis '{part.strip()}'; choose korea or china")
            chosen.add(country)
    return tuple(b for b in BASES if b in chosen) or BASES


def parse_bound(text: str, *, monthly: bool, last: bool) -> str:
    """``--from``/``--to``: a year (2015), or with --monthly a month (2015-03) or a year
    (its first or last month). Raises ValueError with what is wrong."""
    text = text.strip()
    if len(text) == 4 and text.isdigit():
        return text if not monthly else f"{text}-{'12' if last else '01'}"
    is_month = len(text) == 7 and text[:4].isdigit() and text[4] == "-" and text[5:].isdigit()
    if monthly and is_month and 1 <= int(text[5:]) <= 12:
        return text
    which = "--to" if last else "--from"
    if monthly:
        raise ValueError(f"{which} takes a year (2015) or a month (2015-03), got '{text}'")
    raise ValueError(f"{which} takes a year (2015), or a month (2015-03) with --monthly, got '{text}'")


def all_periods(first: str, last: str) -> list[str]:
    """Every year or month from ``first`` to ``last``, both included."""
    if len(first) == 4:
        return [str(y).zfill(4) for y in range(int(first), int(last) + 1)]
    periods = []
    year, month = int(first[:4]), int(first[5:])
    while f"{year:04d}-{month:02d}" <= last:
        periods.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return periods
