"""Citations: each fact's statement with its source, in a style ready to paste.

Sources are numbered in the order the facts first cite them, so a source cited by
several facts gets one number; :func:`numbered_sources` is shared with briefings.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Final

from kortrade.markdown import escape
from kortrade.records import Record

_SUPERSCRIPT: Final = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
# English month names whatever the locale (strftime's %B follows LC_TIME).
MONTHS: Final = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


class Style(StrEnum):
    plain = "plain"
    markdown = "markdown"
    apa = "apa"
    chicago = "chicago"


def numbered_sources(facts: list[Record]) -> dict[str, tuple[int, Record]]:
    """Each source id cited by ``facts`` with its number (1, 2...) and record, in order of first use."""
    numbered: dict[str, tuple[int, Record]] = {}
    for fact in facts:
        source = _source(fact)
        numbered.setdefault(str(source["id"]), (len(numbered) + 1, source))
    return numbered


def _source(fact: Record) -> Record:
    source = fact["source"]
    assert isinstance(source, dict)
    return source


def _date(source: Record) -> dt.date:
    return dt.date.fromisoformat(str(source["published"]))


def long_date(source: Record) -> str:
    """``9 January 2026``."""
    day = _date(source)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def reference(source: Record, style: Style) -> str:
    """The source as a reference-list entry in ``style``."""
    publisher, title, url = source["publisher"], source["title"], source["url"]
    day = _date(source)
    month = MONTHS[day.month - 1]
    if style is Style.apa:
        # APA 7, a web article whose author is its publisher: the site name is not repeated.
        return f"{publisher}. ({day.year}, {month} {day.day}). {title}. {url}"
    if style is Style.chicago:
        return f'{publisher}, "{title}," {month} {day.day}, {day.year}, {url}.'
    if style is Style.markdown:
        link = str(url).replace("<", "%3C").replace(">", "%3E")
        return f'{escape(str(publisher))}, "{escape(str(title))}", {long_date(source)}, <{link}>.'
    return f'{publisher}, "{title}", {source["published"]}, {url}'


def cite(facts: list[Record], style: Style) -> str:
    """The statements with their citations, then the sources (except in plain style), as text."""
    numbers = numbered_sources(facts)
    paragraphs: list[str] = []
    for fact in facts:
        statement = str(fact["statement"]).strip()
        source = _source(fact)
        number = numbers[str(source["id"])][0]
        if style is Style.plain:
            paragraphs.append(f"{statement} ({reference(source, style)})")
        elif style is Style.markdown:
            paragraphs.append(f"{escape(statement)}[^{number}]")
        elif style is Style.apa:
            body = statement[:-1] if statement.endswith(".") else statement
            paragraphs.append(f"{body} ({source['publisher']}, {_date(source).year}).")
        else:
            paragraphs.append(statement + str(number).translate(_SUPERSCRIPT))
    if style is Style.plain:
        return "\n\n".join(paragraphs) + "\n"
    if style is Style.markdown:
        notes = [f"[^{n}]: {reference(s, style)}" for n, s in numbers.values()]
    elif style is Style.apa:
        notes = sorted(reference(s, style) for _, s in numbers.values())
    else:
        notes = [f"{n}. {reference(s, style)}" for n, s in numbers.values()]
    return "\n\n".join(paragraphs) + "\n\n" + "\n".join(notes) + "\n"
