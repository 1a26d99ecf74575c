"""Terminal policy: when to colour, and how data text is made safe to print."""

from __future__ import annotations

import os
from typing import IO, Final

# C0 and C1 control characters (newline excepted) and the bidi overrides that can
# make a terminal show text other than what the data holds.
_UNSAFE: Final = [
    *(c for c in range(0x20) if c != 0x0A),
    0x7F,
    *range(0x80, 0xA0),
    0x2028,  # line and paragraph separators: some tools break lines there
    0x2029,
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
]
_ESCAPES: Final = {c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}" for c in _UNSAFE}
_ESCAPES_ONE_LINE: Final = {**_ESCAPES, 0x0A: " "}
_ESCAPES_TEXT: Final = {**_ESCAPES, 0x09: " "}


def escape_controls(text: str, *, one_line: bool = False) -> str:
    """Show control characters as ``\\x1b``-style escapes instead of sending them."""
    return text.translate(_ESCAPES_ONE_LINE if one_line else _ESCAPES_TEXT)


def wants_colour(stream: IO[str], *, no_color: bool = False) -> bool:
    """``--no-color`` > ``NO_COLOR`` > ``FORCE_COLOR`` > ``TERM=dumb`` > is it a terminal."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
