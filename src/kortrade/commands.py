"""What each lookup command does, without any command-line framework.

``cli`` (Typer) and ``fast`` (the start-up shortcut) both call these, so a command
means the same thing whichever way it was started.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Any

from kortrade.errors import ExitCode, KortradeError, OutputError, UsageError, error_lines
from kortrade.render import Format, View, parse_fields, render
from kortrade.store import FactQuery, FactStore
from kortrade.terminal import wants_colour
from kortrade.views import fact_view, facts_view, observation_view, search_view, timeline_view, with_names

if TYPE_CHECKING:
    from kortrade.model import Observation
    from kortrade.series import SeriesQuery


@dataclass(frozen=True, slots=True)
class Outcome:
    """A view to print and, when it is empty, why (printed as an error, exit 1)."""

    view: View
    nothing: str | None = None


def facts_outcome(
    store: FactStore,
    *,
    topic: str | None,
    entity: str | None,
    tag: str | None,
    year: int | None,
    limit: int | None,
    fields: str | None,
    measure: str | None = None,
) -> Outcome:
    query = FactQuery(topic=topic, entity=entity, tag=tag, year=year, limit=limit, measure=measure)
    found = store.iter_facts(query)
    first = next(found, None)
    if first is None:
        return Outcome(facts_view([]), f"no facts match ({query.describe()})")
    wanted = parse_fields(fields)
    if wanted and "names" in wanted:
        return Outcome(facts_view(with_names(store, [first, *found], wanted)))
    return Outcome(facts_view(itertools.chain([first], found), texts=store.iter_fact_texts(query)))


def show_outcome(store: FactStore, fact_id: str, *, fields: str | None) -> Outcome:
    """One fact, and after its keys which other sources state its measure and whether they agree;
    or one observation (a row of an official data file) when the id is an observation's."""
    fact = store.find(fact_id)
    if fact is None:
        # Only a miss looks at the observations: a fact's lookup costs what it did.
        observation = store.find_observation(fact_id)
        if observation is not None:
            return Outcome(observation_view(observation))
        if store.is_observation_id(fact_id):
            store.observation(fact_id)  # raises, naming the nearest observation ids
        fact = store.get(fact_id)  # raises, naming the nearest fact ids
    (record,) = with_names(store, [fact], parse_fields(fields))
    fact_id = str(record["id"])
    record = {**record, "corroboration": store.corroboration(fact_id), "official": store.official(fact_id)}
    return Outcome(fact_view(record))


def search_outcome(store: FactStore, words: list[str], *, topic: str | None, limit: int, fields: str | None) -> Outcome:
    text = " ".join(words)
    hits = store.search(text, topic=topic, limit=limit or None)
    records = with_names(store, [hit.record for hit in hits], parse_fields(fields))
    hits = [replace(hit, record=record) for hit, record in zip(hits, records, strict=True)]
    nothing = f"no facts match {text.strip()!r}; try fewer words, a prefix (semi*) or OR between words"
    return Outcome(search_view(hits), None if hits else nothing)


def timeline_outcome(store: FactStore, *, topic: str | None, fields: str | None) -> Outcome:
    found = with_names(store, store.timeline(topic=topic), parse_fields(fields))
    return Outcome(timeline_view(found), None if found else "no facts with a period")


def series_outcome(
    store: FactStore,
    measures: list[str],
    *,
    monthly: bool = False,
    first: str | None = None,
    last: str | None = None,
    bases: list[str] | None = None,
    chart: bool = False,
) -> Outcome:
    """The official series: each measure's figure per period on each country's statistics
    (see :mod:`kortrade.series`); a usage error for a measure, basis or bound it can't read.
    ``chart``: a table draws a bar chart of each measure above it."""
    from kortrade.series import SeriesQuery, all_periods, parse_bound, resolve_bases, resolve_measures

    listed = {str(m["id"]): str(m["label"]) for m in store.measures()}
    try:
        wanted = resolve_measures(measures, [m for m in listed if m])
        chosen_bases = resolve_bases(bases or [])
        low = parse_bound(first, monthly=monthly, last=False) if first is not None else None
        high = parse_bound(last, monthly=monthly, last=True) if last is not None else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if low is not None and high is not None and low > high:
        raise UsageError(f"--from {first} is after --to {last}")
    query = SeriesQuery(wanted, chosen_bases, monthly, low, high)
    from kortrade.official import official_series, store_observations

    observations = store_observations(store, query)
    rows = official_series(store, query, observations)
    from kortrade.views import series_view

    periods = None
    if rows and (low is not None or high is not None):
        found = [str(r["period"]) for r in rows]
        periods = all_periods(low or min(found), high or max(found))
    cited = {source: _source_label(store, source) for source in dict.fromkeys(str(r["source"]) for r in rows)}
    view = series_view(
        rows,
        labels={**_SERIES_LABELS, **listed},
        bases=chosen_bases,
        periods=periods,
        partial=_partial_years(observations, query) if not monthly and set(wanted) & _FROM_FILES else [],
        sources=cited,
        chart=chart,
    )
    return Outcome(view, None if rows else f"no official figures for this series ({_describe(query)})")


# The measures the data files give (directly or worked out); a note on where they end concerns these only.
_FROM_FILES = frozenset(
    {
        "bilateral-trade", "rok-exports-to-china", "rok-imports-from-china", "rok-trade-balance-with-china",
        "china-share-of-rok-exports", "china-share-of-rok-imports", "china-share-of-rok-trade",
        "rok-share-of-china-imports", "rok-total-exports",
    }
)  # fmt: skip
_SERIES_LABELS = {
    "bilateral-trade": "Trade between China and the ROK, both directions",
    "rok-exports-to-china": "ROK exports to China (= China's imports from the ROK)",
    "rok-imports-from-china": "ROK imports from China (= China's exports to the ROK)",
    "rok-trade-balance-with-china": "ROK trade balance with China (surplus positive, deficit negative)",
    "china-share-of-rok-exports": "China's share of the ROK's total exports (percent)",
    "china-share-of-rok-imports": "China's share of the ROK's total imports (percent)",
    "china-share-of-rok-trade": "China's share of the ROK's total trade (percent)",
    "rok-share-of-china-imports": "The ROK's share of China's total imports (percent)",
}


def _source_label(store: FactStore, source_id: str) -> str:
    try:
        source = store.source(source_id)
    except KortradeError:
        return ""
    return f"{source['publisher']}, {source['published'] or 'date unknown'}"


def _partial_years(observations: list[Observation], query: SeriesQuery) -> list[str]:
    """Where a country's data files stop inside a year, say so: that year is not a full one there."""
    from kortrade.worked import KOREA, period_key

    lines = []
    for basis in query.bases:
        months = [
            key
            for o in observations
            if o.reporter == basis and o.partner != basis and (key := period_key(o)) is not None and len(key) == 7
        ]
        latest = max(months, default=None)
        if latest is None or latest.endswith("-12"):
            continue
        year = latest[:4]
        if (query.first is None or year >= query.first) and (query.last is None or year <= query.last):
            whose = "Korea's" if basis == KOREA else "China's"
            lines.append(
                f"{whose} monthly data files end at {latest}: {year} is not a full year there"
                f" (kortrade series --monthly --from {year})."
            )
    return lines


def _describe(query: SeriesQuery) -> str:
    parts = [", ".join(query.measures), " and ".join(query.bases) + " statistics"]
    if query.first or query.last:
        parts.append(f"{query.first or '...'} to {query.last or '...'}")
    return "; ".join(parts)


def check_outcome(
    store: FactStore,
    *,
    measures: list[str] | None = None,
    year: str | None = None,
    bases: list[str] | None = None,
    limit: int | None = None,
) -> Outcome:
    """The reported figures that differ from the official series, largest gap first
    (:mod:`kortrade.check`, worked out when the index was built); a usage error for a
    measure, year or basis it can't read."""
    from kortrade.check import in_years, parse_years

    try:
        wanted = _series_measures(measures) if measures else None
        chosen = _bases(bases) if bases else None
        years = parse_years(year) if year is not None else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    records = [
        row
        for row in store.differing_figures()
        if (wanted is None or row["measure"] in wanted)
        and (chosen is None or row["official_basis_country"] in chosen)
        and in_years(str(row["period"]), years)
    ][:limit]
    from kortrade.views import check_view

    nothing = "no reported figure differs from the official series" + _what(wanted, year, bases)
    return Outcome(check_view(records), None if records else nothing)


def _series_measures(names: list[str]) -> tuple[str, ...]:
    from kortrade.series import SERIES_MEASURES, resolve_measures

    return resolve_measures(names, SERIES_MEASURES)


def _bases(names: list[str]) -> tuple[str, ...]:
    from kortrade.series import resolve_bases

    return resolve_bases(names)


def _what(measures: Sequence[str] | None, year: str | None, bases: list[str] | None) -> str:
    parts = [", ".join(measures)] if measures else []
    parts += [f"year {year}"] if year else []
    parts += [f"basis {', '.join(bases)}"] if bases else []
    return f" ({'; '.join(parts)})" if parts else ""


class BriefFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"
    html = "html"


def brief_text(document: dict[str, Any], fmt: BriefFormat, *, for_terminal: bool = False) -> str:
    """A briefing as Markdown (for a terminal: links as plain text), JSON or HTML."""
    if fmt is BriefFormat.json:
        from kortrade.render import json_text

        return json_text(document, indent=2) + "\n"
    if fmt is BriefFormat.html:
        from kortrade.brief_html import to_html

        return to_html(document)
    from kortrade.brief import to_markdown

    return to_markdown(document, links=not for_terminal)


def chosen_format(fmt: Format | None, as_json: bool) -> Format:
    if as_json and fmt not in (None, Format.json):
        raise UsageError(f"--json conflicts with --format {fmt.value if fmt else ''}")
    return Format.json if as_json else (fmt or Format.table)


def write_view(
    view: View, out: IO[str], *, fmt: Format | None, as_json: bool, fields: str | None, no_color: bool
) -> None:
    """Render ``view`` to ``out``: the one output path of every listing command."""
    prepared(view, fmt=fmt, as_json=as_json, fields=fields, no_color=no_color)(out)


def prepared(
    view: View, *, fmt: Format | None, as_json: bool, fields: str | None, no_color: bool
) -> Callable[[IO[str]], None]:
    """What :func:`write_view` writes, checked first: a mistake in the options, or (for a
    table, which lays out every row) in reading the records, is raised here, before a
    character is written."""
    output = chosen_format(fmt, as_json)
    view = view.with_fields(parse_fields(fields))
    if output is Format.table:
        view = replace(view, records=view.rows())
    colour = wants_colour(sys.stdout, no_color=no_color)
    return lambda out: render(view, output, out, colour=colour)


def quiet_broken_pipe() -> int:
    """The reader (head, less) left: stop quietly, with the exit code for a closed pipe."""
    # Point stdout at /dev/null so Python does not complain about the unflushed buffer.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return int(ExitCode.BROKEN_PIPE)


def quiet_output_error(exc: OutputError) -> int:
    """Stdout could not be written: say so in one line, and write nothing more to it, even at exit."""
    from kortrade.streams import discard_stdout

    discard_stdout()
    with contextlib.suppress(OSError, ValueError):
        for line in error_lines(exc):
            sys.stderr.write(line + "\n")
        sys.stderr.flush()
    return int(exc.exit_code)
