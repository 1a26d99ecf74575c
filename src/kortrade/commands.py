"""What each lookup command does, without any command-line framework.

``cli`` (Typer) and ``fast`` (the start-up shortcut) both call these, so a command
means the same thing whichever way it was started.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import IO, Any

from kortrade.errors import ExitCode, UsageError
from kortrade.render import Format, View, parse_fields, render
from kortrade.store import FactQuery, FactStore
from kortrade.terminal import wants_colour
from kortrade.views import fact_view, facts_view, observation_view, search_view, timeline_view, with_names


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
    record = {**record, "corroboration": store.corroboration(str(record["id"]))}
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
