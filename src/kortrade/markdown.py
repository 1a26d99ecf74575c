"""Data text made safe for CommonMark (and GitHub): shown as typed, never as formatting.

A statement such as "exports of $45 billion and $328 billion" would turn into
mathematics on GitHub, and "*" or "_" into emphasis; each such character gets a
backslash, which every CommonMark renderer removes again.
"""

from __future__ import annotations

import re
from typing import Final

from kortrade.terminal import escape_controls

# Characters that start inline formatting: code, emphasis, links, HTML, tables, maths, strike.
_INLINE: Final = re.compile(r"([\\`*_\[\]<>|$~])")
_ENTITY: Final = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# At the start of a line: headings, quotes, lists, rules, setext underlines.
_LINE_START: Final = re.compile(r"^(\s*)([#>+=-]|\d+[.)])", re.MULTILINE)


def escape(text: str, *, one_line: bool = True) -> str:
    """``text`` as CommonMark that renders to exactly ``text``."""
    safe = escape_controls(text, one_line=one_line)
    safe = _INLINE.sub(r"\\\1", safe)
    safe = _ENTITY.sub(r"\\&", safe)
    return _LINE_START.sub(lambda m: m.group(1) + _escape_first(m.group(2)), safe)


def _escape_first(token: str) -> str:
    # "2024." at the start of a line would begin a numbered list: escape its dot instead.
    return token[:-1] + "\\" + token[-1] if token[0].isdigit() else "\\" + token
