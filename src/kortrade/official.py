"""The official series read from the index: the observations a query rests on and its rows.

Kept apart from :mod:`kortrade.commands` so that the briefing, which leads with these
figures, asks the store for them the same way ``kortrade series`` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kortrade.records import Record
from kortrade.store import FactQuery, FactStore

if TYPE_CHECKING:
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


def latest_periods(store: FactStore, ends: list[tuple[str, str, str, str, str]]) -> list[Record]:
    """How current the official series is: for each of its measures and each country's
    statistics, the latest full year and the latest month it has a figure for.

    Each side's series is read only from a year before its files' latest period (a year or
    month rests only on its own months), which keeps ``info`` quick; a measure with no figure
    that recent (one a page reports, years back) is read in full.
    """
    from kortrade.series import DEFAULT_MEASURES, SeriesQuery, series_rows
    from kortrade.worked import BASES

    facts = _series_facts(store, DEFAULT_MEASURES)  # read once for the four series below
    latest: dict[tuple[str, str, bool], str] = {}
    for basis in BASES:
        years = [int(period[:4]) for _, _, reporter, _, period in ends if reporter == basis]
        months = [period for _, _, reporter, kind, period in ends if reporter == basis and kind == "month"]
        windows = {False: str(max(years) - 1) if years else None, True: f"{max(months)[:4]}-01" if months else None}
        for monthly, first in windows.items():
            for window in dict.fromkeys([first, None]):
                query = SeriesQuery(bases=(basis,), monthly=monthly, first=window)
                for row in series_rows(store_observations(store, query), facts, query):
                    key = (str(row["measure"]), basis, monthly)
                    latest[key] = max(latest.get(key, ""), str(row["period"]))
                if all((measure, basis, monthly) in latest for measure in DEFAULT_MEASURES):
                    break
    return [
        {
            "measure": measure,
            "basis_country": basis,
            "year": latest.get((measure, basis, False)),
            "month": latest.get((measure, basis, True)),
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
