"""A source's title, or the description in square brackets that stands in for a missing one.

A page that shows no title is cited, as APA 7 prescribes for untitled works, by a short
description of it in square brackets: ``[Report on President Lee's arrival in Beijing]``.
A description is not a title: styles that put titles in quotation marks or italics leave
it plain ("AsiaOne, [Report on ...], January 6, 2026"), and a reference manager must not
recapitalise it. A real title may open with a bracketed tag ("[Korea-China ties at 30]
Trade grew 47 times"); it is a title all the same.
"""

from __future__ import annotations


def is_description(title: object) -> bool:
    """Whether ``title`` is wholly one bracketed description: its opening ``[`` closes at its end."""
    text = str(title).strip()
    if len(text) < 2 or text[0] != "[" or text[-1] != "]":
        return False
    depth = 0
    for index, char in enumerate(text):
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return index == len(text) - 1
    return False


def quoted_title(
    title: object, shown: str | None = None, *, quotes: tuple[str, str] = ('"', '"'), inside: str = ""
) -> str:
    """``shown`` (``title`` as the style writes it) in ``quotes``, ``inside`` within them, as
    Chicago puts its comma; a bracketed description goes without quotes, ``inside`` after it."""
    text = str(title) if shown is None else shown
    if is_description(title):
        return text + inside
    return f"{quotes[0]}{text}{inside}{quotes[1]}"
