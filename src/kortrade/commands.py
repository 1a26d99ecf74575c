"""What each command answers, without any command-line framework.

Each command is a function of the store and its options that returns an
:class:`Outcome` (a view to render in any format, or why there is nothing) or a
:class:`Text` (citations, a reference file, an export, a briefing). ``cli`` (Typer),
``fast`` (the start-up shortcut) and ``mcp_server`` call these and only write what
they return, so a command means the same thing whichever way it was started.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Any, Final

from kortrade.choices import ENTITY_KINDS, SOURCE_KINDS, BriefOutput, ExportFormat, ReferenceFormat, Style
from kortrade.errors import (
    DataError,
    ExitCode,
    KortradeError,
    NotFoundError,
    OutputError,
    Problem,
    UsageError,
    error_lines,
)
from kortrade.render import Format, View, parse_fields, render
from kortrade.store import FactQuery, FactStore, Hit, Signal
from kortrade.terminal import escape_controls, wants_colour
from kortrade.views import (
    compare_view,
    entities_view,
    fact_view,
    facts_view,
    info_view,
    measures_view,
    observation_view,
    search_view,
    source_view,
    sources_view,
    timeline_view,
    topics_view,
    with_names,
)

if TYPE_CHECKING:
    from kortrade.series import SeriesQuery

if TYPE_CHECKING:
    from kortrade.question import Question


@dataclass(frozen=True, slots=True)
class Outcome:
    """A view to print and, when it is empty, why (printed as an error, exit 1)."""

    view: View
    nothing: str | None = None
    # One line for stderr, before the output: what the reader should know (a partial match).
    note: str | None = None


_YEARS = re.compile(r"\s*(\d{1,4})\s*(?:[-\u2013\u2014]|\.\.)\s*(\d{1,4})\s*")
YEAR_HELP = "--year takes a year (2024) or a range of years (2015-2025)"


def year_bounds(
    year: str | int | None, from_year: int | None = None, to_year: int | None = None
) -> tuple[int | None, int | None]:
    """The first and last year a command's --year, --from and --to ask for (either may be open)."""
    if year is not None and (from_year is not None or to_year is not None):
        raise UsageError("--year conflicts with --from and --to; give a range as --year 2015-2025 or --from/--to")
    for name, value in (("--from", from_year), ("--to", to_year)):
        if value is not None and not 1 <= value <= 9999:
            raise UsageError(f"{name} takes a year from 1 to 9999, got {value}")
    if year is None:
        if from_year is not None and to_year is not None and from_year > to_year:
            raise UsageError(f"--from {from_year} is after --to {to_year}; the range runs backwards")
        return from_year, to_year
    text = str(year).strip()
    if text.isascii() and text.isdigit():
        first = last = int(text)
    elif (match := _YEARS.fullmatch(text)) is not None:
        first, last = int(match[1]), int(match[2])
        if first > last:
            raise UsageError(f"--year {text} runs backwards; write {last}-{first}")
    else:
        raise UsageError(f"{YEAR_HELP}, got '{text}'")
    if first < 1 or last > 9999:
        raise UsageError(f"{YEAR_HELP}, from 1 to 9999, got '{text}'")
    return first, last


def year_query(year: str | int | None, from_year: int | None, to_year: int | None) -> FactQuery:
    """A query for those years: ``year`` for one (as before ranges were taken), else the range."""
    first, last = year_bounds(year, from_year, to_year)
    if first is not None and first == last:
        return FactQuery(year=first)
    return FactQuery(from_year=first, to_year=last)


_BASIS: Final = {
    "korea": "Republic of Korea", "kr": "Republic of Korea", "kor": "Republic of Korea",
    "rok": "Republic of Korea", "republic of korea": "Republic of Korea", "south korea": "Republic of Korea",
    "china": "China", "cn": "China", "chn": "China", "prc": "China",
}  # fmt: skip


def basis_country(basis: str | None) -> str | None:
    """The country of ``--basis`` (korea, china and their codes)."""
    if basis is None:
        return None
    country = _BASIS.get(basis.strip().casefold())
    if country is None:
        raise UsageError(f"--basis takes korea or china (whose statistics), got '{basis}'")
    return country


def facts_outcome(
    store: FactStore,
    *,
    topic: str | None,
    entity: str | None,
    tag: str | None,
    year: str | int | None,
    limit: int | None,
    fields: str | None,
    measure: str | None = None,
    from_year: int | None = None,
    to_year: int | None = None,
) -> Outcome:
    query = replace(
        year_query(year, from_year, to_year), topic=topic, entity=entity, tag=tag, limit=limit, measure=measure
    )
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


def search_outcome(
    store: FactStore,
    words: list[str],
    *,
    topic: str | None,
    limit: int,
    fields: str | None,
    year: str | int | None = None,
    from_year: int | None = None,
    to_year: int | None = None,
    measure: str | None = None,
    basis: str | None = None,
    answer: bool = True,
    answer_only: bool = False,
) -> Outcome:
    """Facts a search finds, best first; a plain query is read as a question (:mod:`kortrade.question`).

    When it names a measure and one period (a year, a month, a half...), ``answer`` puts
    the figure for that period on each country's statistics above the facts (a table
    only); ``answer_only`` shows that answer alone, as records in any format.
    """
    from kortrade.question import parse, year_range

    text = " ".join(words)
    question = parse(text)
    first, last = year_bounds(year, from_year, to_year)
    period = question.period
    if first is not None or last is not None:
        period = year_range(first, last) if first is not None and last is not None else None
    query = FactQuery(
        topic=topic,
        measure=store.known_measure(measure) if measure else None,
        basis=basis_country(basis) or question.basis,
        from_year=first,
        to_year=last,
        days=(period.start.isoformat(), period.end.isoformat()) if period and first is None else None,
    )
    measures = (query.measure,) if query.measure else question.answer_measures()
    found = []
    if (answer or answer_only) and measures and period is not None and period.granularity != "years":
        from kortrade.answer import answers

        found = answers(store, measures, period, query.basis)
    if answer_only:
        from kortrade.answer import answer_view

        example = "e.g. kortrade search --answer two-way trade 2023"
        return Outcome(answer_view(found), None if found else f"no answer: name a measure and a period, {example}")
    hits, every = _hits(store, text, question, query, limit or None)
    records = with_names(store, [hit.record for hit in hits], parse_fields(fields))
    hits = [replace(hit, record=record) for hit, record in zip(hits, records, strict=True)]
    nothing = f"no facts match {text.strip()!r}; try fewer words, a prefix (semi*) or OR between words"
    note = None
    if hits and not every:
        note = f"no fact matches every word of {text.strip()!r}; these match some of them"
    from kortrade.answer import answer_lines

    preface = answer_lines(found)
    if answer and not found and measures and period is not None and period.granularity == "year":
        preface = _no_full_year(store, [m for m in measures if store.has_measure(m)], period.text)
    return Outcome(search_view(hits, preface=preface), None if hits else nothing, note)


def _no_full_year(store: FactStore, measures: list[str], year: str) -> list[str]:
    """Why a question naming a measure and a year has no answer: nothing gives all of that year."""
    if not measures:
        return []
    label = store.measure_label(measures[0]).split(" (")[0]
    lines = [f"No answer: {label}, {year}", f"  No page or data file here gives all of {year}."]
    latest = store.latest_month("Republic of Korea")
    if latest is not None and latest[:4] == year:
        lines += [
            f"  Korea's monthly data files end at {latest}; its months:",
            f"  kortrade series --monthly --from {year}",
        ]
    lines.append("  The facts below give parts of it, or forecasts.")
    return lines


def _hits(
    store: FactStore, text: str, question: Question, query: FactQuery, limit: int | None
) -> tuple[list[Hit], bool]:
    """The facts a search finds, and whether they match all it asks (else they are partial matches)."""
    if not question.plain:
        return store.search(text, query=query, limit=limit), True
    from kortrade.query import tokenize

    words = [w for w in question.words if tokenize(w)]
    signals = [Signal(w) for w in words]
    measures = []
    for measure, named in zip(question.measures, question.named, strict=True):
        if store.has_measure(measure):
            # The words that named a measure count as a phrase: "total trade", not "total" anywhere.
            signals.append(Signal(f'"{named}"', measure))
            measures.append(measure)
        else:  # a measure this file lacks: its words are words like any other
            signals += [Signal(w) for w in named.split() if tokenize(w)]
    if not signals and question.period is None and question.basis is None:
        store.search(text)  # nothing to look for: the search's own usage error says so
    boost = tuple(dict.fromkeys((*measures, *question.hints)))
    if signals and not measures:
        # Every signal is a word to find: as fast as a search in the grammar when all match.
        hits = store.search(" ".join(str(s.text) for s in signals), query=query, limit=limit, boost=boost)
        if hits or len(signals) == 1:
            return hits, True
    return store.search_signals(signals, query=query, boost=boost, limit=limit)


def timeline_outcome(
    store: FactStore,
    *,
    topic: str | None,
    fields: str | None,
    year: str | int | None = None,
    from_year: int | None = None,
    to_year: int | None = None,
) -> Outcome:
    query = year_query(year, from_year, to_year)
    found = with_names(store, store.timeline(topic=topic, query=query), parse_fields(fields))
    years = f" ({query.describe()})" if query != FactQuery() else ""
    return Outcome(timeline_view(found), None if found else f"no facts with a period{years}")


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
    from kortrade.official import kept_series, latest_months

    # The index keeps the series of the measures the data files give, worked out when it was
    # built: read, not worked out again (at 100,000 observations, 1.7 s and 95 MiB otherwise).
    rows = kept_series(store, query)
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
        partial=_partial_years(latest_months(store, query), query) if not monthly and set(wanted) & _FROM_FILES else [],
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


def _partial_years(latest: dict[str, str], query: SeriesQuery) -> list[str]:
    """Where a country's data files stop inside a year, say so: that year is not a full one there."""
    from kortrade.worked import KOREA

    lines = []
    for basis in query.bases:
        month = latest.get(basis)
        if month is None or month.endswith("-12"):
            continue
        year = month[:4]
        if (query.first is None or year >= query.first) and (query.last is None or year <= query.last):
            whose = "Korea's" if basis == KOREA else "China's"
            lines.append(
                f"{whose} monthly data files end at {month}: {year} is not a full year there"
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


@dataclass(frozen=True, slots=True)
class Text:
    """Text a command answers with, made whole for its format: citations, a reference file,
    an export, a briefing. ``raw`` text (a file to import, JSON, HTML, Markdown) is written as
    it is; other text is for people, with control characters from the data made visible and
    each of ``urls`` a link where the terminal shows links."""

    text: str
    raw: bool = True
    urls: tuple[str, ...] = ()


def topics_outcome(store: FactStore) -> Outcome:
    return Outcome(topics_view(store))


def measures_outcome(store: FactStore) -> Outcome:
    found = store.measures()
    return Outcome(measures_view(found), None if found else "no measures: no fact names one")


def entities_outcome(store: FactStore, *, kind: str | None) -> Outcome:
    if kind is not None and kind.casefold() not in ENTITY_KINDS:
        raise UsageError(f"unknown kind '{kind}'; kinds are: {', '.join(ENTITY_KINDS)}")
    found = [e for e in store.entities() if kind is None or e["kind"] == kind.casefold()]
    nothing = "no entities listed" + (f" of kind '{kind}'" if kind else "; the file has no entities section")
    return Outcome(entities_view(found), None if found else nothing)


def sources_outcome(
    store: FactStore,
    source_id: str | None,
    *,
    kind: str | None,
    language: str | None,
    references: ReferenceFormat | None = None,
) -> Outcome | Text:
    """One source with the facts citing it, or the sources of a kind and language; as a
    reference file (BibTeX, RIS, CSL-JSON) when ``references`` names one."""
    from kortrade.references import references_text

    if source_id is not None:
        if kind is not None or language is not None:
            raise UsageError("--kind and --language filter the list; leave them out with a source ID")
        source = store.source(source_id)
        if references is not None:
            return Text(references_text([source], references))
        return Outcome(source_view(source, store.source_facts(source_id.casefold())))
    if kind is not None and kind.casefold() not in SOURCE_KINDS:
        raise UsageError(f"unknown kind '{kind}'; kinds are: {', '.join(SOURCE_KINDS)}")
    found = store.sources(kind=kind, language=language)
    if references is not None and found:
        return Text(references_text(found, references))
    wanted = ", ".join(f"{k}={v}" for k, v in (("kind", kind), ("language", language)) if v)
    nothing = f"no sources match ({wanted})" if wanted else "the file lists no sources"
    return Outcome(sources_view(found), None if found else nothing)


def compare_outcome(store: FactStore, measure: str | None, *, period: str | None, conflicts: bool) -> Outcome:
    """Every source's figure for ``measure`` (or every measure two or more facts state), in
    groups of one period and one country's statistics, each with its verdict."""
    found = store.compare(measure, period=period, conflicts=conflicts)
    title = None
    if measure is not None:
        wanted = store.known_measure(measure)
        title = next((str(m["label"]) for m in store.measures() if m["id"] == wanted), wanted)
    what = ", ".join(f"{k}={v}" for k, v in (("measure", measure), ("period", period)) if v)
    kind = "conflicting figures" if conflicts else "figures to compare"
    nothing = f"no {kind}" + (f" ({what})" if what else "")
    return Outcome(compare_view(found, title=title), None if found else nothing)


def info_outcome(store: FactStore) -> Outcome:
    return Outcome(info_view(store))


def cite_outcome(store: FactStore, fact_ids: Sequence[str], style: Style) -> Text:
    """The facts with their citations in ``style``; a reference style gives a file to import."""
    from kortrade.cite import cite

    records = [store.get(fact_id) for fact_id in fact_ids]
    if style.reference_format is not None:
        return Text(cite(records, style))  # a file to import: no terminal hyperlinks inside it
    urls = tuple(str(r["source"]["url"]) for r in records if isinstance(r["source"], dict))
    return Text(cite(records, style), raw=False, urls=urls)


def export_outcome(store: FactStore, fmt: ExportFormat | None) -> Text:
    """The whole dataset in ``fmt`` (JSON when None)."""
    from kortrade.export import export_text

    return Text(export_text(store, fmt or ExportFormat.json))


def brief_document(store: FactStore, topics: Sequence[str] | None) -> dict[str, Any]:
    """The briefing's structure (sections, citations), of ``topics`` or all."""
    from kortrade.brief import build_brief

    document = build_brief(store, list(topics) if topics else None)
    if not document["sections"]:
        raise NotFoundError("no facts for this briefing")
    return document


def brief_outcome(store: FactStore, topics: Sequence[str] | None, fmt: BriefOutput, *, for_terminal: bool) -> Text:
    """The briefing in ``fmt``; ``for_terminal``: Markdown to draw, its links as text (the
    citations' URLs, in ``urls``, are linked where the terminal shows links)."""
    document = brief_document(store, topics)
    if fmt is BriefOutput.pandoc:
        from kortrade.brief_pandoc import to_pandoc

        return Text(to_pandoc(document, store.sources()))
    shown = BriefFormat(fmt.value)
    text = brief_text(document, BriefFormat.markdown if shown is BriefFormat.text else shown, for_terminal=for_terminal)
    return Text(text, urls=tuple(str(c["url"]) for c in document["citations"]))


@dataclass(frozen=True, slots=True)
class Validation:
    """What checking files found: every problem, and a line for each valid file."""

    problems: list[Problem]
    valid: list[str]


def validate_outcome(paths: Sequence[str | None]) -> Validation:
    """Each file checked whole (every problem, not only the first); ``None`` is the default file."""
    problems: list[Problem] = []
    valid: list[str] = []
    for path in paths:
        try:
            # Only a valid file is ever indexed, and its index is rebuilt whenever the file
            # changes: a current index is a check already done, with its counts.
            with FactStore.open(path) as store:
                name, meta = store.path, store.meta()
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        counts = f"{_plural(int(str(meta['facts'])), 'fact')}, {_plural(int(str(meta['sources'])), 'source')}"
        # Only a file with a series data package says how many rows of it it read.
        if meta.get("series"):
            counts += f", {_plural(int(str(meta['observations'])), 'observation')}"
        valid.append(f"{escape_controls(name, one_line=True)}: ok, {counts}")
    return Validation(problems, valid)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


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
