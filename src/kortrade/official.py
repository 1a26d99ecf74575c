"""The official series read from the index: the observations a query rests on and its rows.

Kept apart from :mod:`kortrade.commands` so that the briefing, which leads with these
figures, asks the store for them the same way ``kortrade series`` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kortrade.records import Record
from kortrade.store import FactQuery, FactStore

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from kortrade.check import Held, Series
    from kortrade.model import Observation, Source
    from kortrade.series import SeriesQuery


def official_series(
    store: FactStore, query: SeriesQuery, observations: list[Observation] | None = None
) -> list[Record]:
    """The rows of the official series the query asks for (:func:`kortrade.series.series_rows`),
    from the index's observations and the facts that report or rest on those measures."""
    from kortrade.series import series_rows

    if observations is None:
        observations = store_observations(store, query)
    return series_rows(observations, _series_facts(store, query.measures), query)


def _series_facts(store: FactStore, measures: tuple[str, ...]) -> list[Record]:
    """The facts of ``measures`` and of those a page may work them out from."""
    from kortrade.worked import BALANCE, EXPORTS, IMPORTS, ROK_TOTAL_EXPORTS

    listed = {str(m["id"]) for m in store.measures()}
    # A page's exports and imports may give its trade, balance or shares: their facts come too.
    parts = dict.fromkeys([*measures, EXPORTS, IMPORTS, BALANCE, ROK_TOTAL_EXPORTS])
    return [fact for measure in parts if measure in listed for fact in store.iter_facts(FactQuery(measure=measure))]


def store_observations(store: FactStore, query: SeriesQuery) -> list[Observation]:
    """The observations the query's series can rest on, from the index: the basis countries'
    own, with each other and with the World (months too for a yearly series: a year may be
    worked out from them)."""
    import datetime as dt

    from kortrade.model import Observation, Period
    from kortrade.worked import BASES, WORLD

    # A year or month outside --from/--to is never needed: a year rests only on its own months.
    first = None if query.first is None else f"{query.first[:4]}-{query.first[5:7] or '01'}-01"
    last = None if query.last is None else f"{query.last[:4]}-{query.last[5:7] or '12'}-31"
    rows = store.observation_rows(
        query.bases, [*BASES, WORLD], months_only=query.monthly, first_day=first, last_day=last
    )
    sources = {source_id: _source_of(store, source_id) for source_id in sorted({row[1] for row in rows})}
    found = []
    for id_, source_id, reporter, partner, flow, period, first, last, value, unit, resource in rows:
        if partner == reporter:
            continue
        days = Period(period, dt.date.fromisoformat(first), dt.date.fromisoformat(last), first, last, first)
        found.append(Observation(id_, sources[source_id], reporter, partner, flow, days, value, unit, None, resource))
    return found


def _source_of(store: FactStore, source_id: str) -> Source:
    from kortrade.series import source_from_record

    return source_from_record(store.source(source_id))


def kept_series(store: FactStore, query: SeriesQuery) -> list[Record]:
    """The query's yearly rows as the index keeps them (worked out when it was built), in the
    order :func:`kortrade.series.series_rows` gives; worked out here for months, or a measure
    it does not keep."""
    from kortrade.series import SERIES_MEASURES

    if query.monthly or not set(query.measures) <= set(SERIES_MEASURES):
        return official_series(store, query)  # the index keeps only the months pages give
    rows = [
        row
        for row in store.official_series_rows(query.measures, query.bases, monthly=query.monthly)
        if (query.first is None or str(row["period"]) >= query.first)
        and (query.last is None or str(row["period"]) <= query.last)
    ]
    order = {measure: n for n, measure in enumerate(query.measures)}
    bases = {basis: n for n, basis in enumerate(query.bases)}
    rows.sort(key=lambda r: (order[str(r["measure"])], str(r["period"]), bases[str(r["basis_country"])]))
    return rows


def latest_months(store: FactStore, query: SeriesQuery) -> dict[str, str]:
    """The latest month of each basis country's monthly observations (with another country or the World)."""
    return {basis: month for basis in query.bases if (month := store.latest_month(basis)) is not None}


def series_facts(store: FactStore, measures: Sequence[str]) -> list[Record]:
    """The facts of ``measures``, and of those a page's figures of them are worked out from."""
    from kortrade.worked import BALANCE, EXPORTS, IMPORTS, ROK_TOTAL_EXPORTS

    listed = {str(m["id"]) for m in store.measures()}
    parts = dict.fromkeys([*measures, EXPORTS, IMPORTS, BALANCE, ROK_TOTAL_EXPORTS])
    return [fact for measure in parts if measure in listed for fact in store.iter_facts(FactQuery(measure=measure))]


def official_table(store: FactStore, measures: Sequence[str]) -> tuple[list[Record], Series]:
    """The facts of ``measures`` (and of the measures the series works them out from), and the
    official series of ``measures`` to hold them against, yearly and monthly, as the index keeps
    it (worked out once when it was built, before this is asked)."""
    from kortrade.check import Series
    from kortrade.worked import BASES

    facts = series_facts(store, measures)
    rows = [
        *store.official_series_rows(measures, BASES, monthly=False),
        *store.official_series_rows(measures, BASES, monthly=True),
    ]
    return facts, Series(rows, {str(f["id"]): f for f in facts})


def held_figures(store: FactStore) -> list[Held]:
    """Every reported figure with an official counterpart, held against it, in file order."""
    from kortrade.check import hold
    from kortrade.series import SERIES_MEASURES

    facts, series = official_table(store, SERIES_MEASURES)
    measures = set(SERIES_MEASURES)
    return [held for fact in facts if fact["measure"] in measures and (held := hold(fact, series)) is not None]


def source_lookup(store: FactStore) -> Callable[[str], Record]:
    """A source's id, publisher and date, looked up once per source."""
    from kortrade.errors import KortradeError

    cache: dict[str, Record] = {}

    def source_of(source_id: str) -> Record:
        found = cache.get(source_id)
        if found is None:
            try:
                about = store.source(source_id)
                found = {k: about[k] for k in ("id", "publisher", "published")}
            except KortradeError:
                found = {"id": source_id, "publisher": "", "published": None}
            cache[source_id] = found
        return found

    return source_of


def latest_periods(store: FactStore) -> list[Record]:
    """How current the official series is: for each of its measures and each country's
    statistics, the latest full year and the latest month it has a figure for (a lookup in
    the series the index keeps)."""
    from kortrade.series import DEFAULT_MEASURES
    from kortrade.worked import BASES

    latest = store.official_latest()
    # The index keeps the months pages give; the data files' months run to their latest one,
    # and each of the four measures is worked out from them for every month they hold.
    files = {basis: store.latest_month(basis) for basis in BASES}
    return [
        {
            "measure": measure,
            "basis_country": basis,
            "year": latest.get((measure, basis, False)),
            "month": max(filter(None, [latest.get((measure, basis, True)), files[basis]]), default=None),
        }
        for measure in DEFAULT_MEASURES
        for basis in BASES
    ]


def data_files(ends: list[tuple[str, str, str, str, str]]) -> list[Record]:
    """Each official data file (a resource of the series package) and the latest period it
    holds, from :meth:`FactStore.observation_ends`."""
    last: dict[tuple[str, str], str] = {}
    for resource, file, _, _, period in ends:
        key = (file, resource)
        last[key] = max(last.get(key, period), period, key=_period_end)
    return [{"file": file, "resource": resource, "last_period": period} for (file, resource), period in last.items()]


def _period_end(period: str) -> tuple[str, str]:
    # A year ends with its December: 2020 comes after 2020-05.
    return period[:4], period[5:7] or "12"
