"""Citations: each fact's statement with its source, in a style ready to paste.

Sources are numbered in the order the facts first cite them, so a source cited by
several facts gets one number; :func:`numbered_sources` is shared with briefings.
The reference-manager styles (``bibtex``, ``csl-json``, ``ris``) give the cited
sources alone, as a file Zotero or pandoc imports: see :mod:`kortrade.references`.

A source's date may be a day, a month or a year only, or unknown; each style writes
what is known ("September 2025", "2025", "n.d."), never a made-up day.
"""

from __future__ import annotations

from typing import Final

from kortrade.choices import Style
from kortrade.markdown import escape
from kortrade.records import Record
from kortrade.references import KnownDate, known_date, references_text
from kortrade.titles import quoted_title

_SUPERSCRIPT: Final = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
# English month names whatever the locale (strftime's %B follows LC_TIME).
MONTHS: Final = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


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


def _date(source: Record) -> KnownDate | None:
    return known_date(source)


def _credit(source: Record) -> str:
    """The outlet, and the agency it relays when it does: "Korea JoongAng Daily (Yonhap)"."""
    via = source.get("via")
    return f"{source['publisher']} ({via})" if via else str(source["publisher"])


def long_date(source: Record) -> str:
    """``9 January 2026``, ``September 2025``, ``2025``, or ``undated``."""
    return _styled_date(_date(source), "long", undated="undated")


# How each style writes a date known to the day, and one known to the month (a year alone
# is the year in all of them).
_DATE_STYLES: Final = {
    "long": ("{day} {month} {year}", "{month} {year}"),
    "us": ("{month} {day}, {year}", "{month} {year}"),  # Chicago: January 9, 2026
    "apa": ("{year}, {month} {day}", "{year}, {month}"),  # APA 7: 2026, January 9
}


def _styled_date(day: KnownDate | None, style: str, *, undated: str = "n.d.") -> str:
    if day is None:
        return undated
    if day.month is None:
        return str(day.year)
    to_the_day, to_the_month = _DATE_STYLES[style]
    return (to_the_day if day.day else to_the_month).format(day=day.day, month=MONTHS[day.month - 1], year=day.year)


def reference(source: Record, style: Style) -> str:
    """The source as a reference-list entry in ``style`` (a text style, not a reference format)."""
    publisher, title, url = _credit(source), source["title"], source["url"]
    day = _date(source)
    if style is Style.apa:
        # APA 7, a web article whose author is its publisher: the site name is not repeated.
        # The title is plain text here, and so is a bracketed description ("[Report on ...].").
        author = source.get("via") or publisher
        site = f" {source['publisher']}." if source.get("via") else ""
        return f"{author}. ({_styled_date(day, 'apa')}). {title}.{site} {url}"
    # A bracketed description stands for a missing title: never in quotation marks.
    if style is Style.chicago:
        return f"{publisher}, {quoted_title(title, inside=',')} {_styled_date(day, 'us')}, {url}."
    if style is Style.markdown:
        link = str(url).replace("<", "%3C").replace(">", "%3E")
        return f"{escape(publisher)}, {quoted_title(title, escape(str(title)))}, {long_date(source)}, <{link}>."
    return f"{publisher}, {quoted_title(title)}, {source['published'] or 'undated'}, {url}"


def cite(facts: list[Record], style: Style) -> str:
    """The statements with their citations, then the sources (except in plain style), as text.

    A reference-manager style gives the cited sources alone, each once, as a file.
    """
    if style.reference_format is not None:
        return references_text([_source(f) for f in facts], style.reference_format)
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
            day = _date(source)
            paragraphs.append(f"{body} ({source.get('via') or source['publisher']}, {day.year if day else 'n.d.'}).")
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
