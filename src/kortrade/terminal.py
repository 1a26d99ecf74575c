"""Terminal policy: when to colour, and how data text is made safe to print."""

from __future__ import annotations

import os
from collections.abc import MutableMapping
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
    if text.isprintable():  # every character escaped here is one Python calls unprintable
        return text
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


# Terminals known to show OSC 8 hyperlinks. Others may print the escape codes as
# text, and no terminal can be asked, so it is these or none (FORCE_HYPERLINK=1
# or 0 overrides, as in other tools).
_HYPERLINK_PROGRAMS: Final = frozenset({"iTerm.app", "WezTerm", "vscode", "ghostty", "Hyper", "Tabby", "rio"})
_HYPERLINK_TERMS: Final = ("xterm-kitty", "alacritty", "foot", "xterm-ghostty", "wezterm", "contour")
_HYPERLINK_MARKERS: Final = ("WT_SESSION", "KONSOLE_VERSION", "KITTY_WINDOW_ID", "DOMTERM")
_VTE_WITH_HYPERLINKS: Final = 5000  # VTE 0.50, GNOME Terminal 3.26 and the other VTE terminals


def shows_hyperlinks(stream: IO[str]) -> bool:
    """Whether ``stream`` is a terminal known to turn OSC 8 sequences into links."""
    forced = os.environ.get("FORCE_HYPERLINK", "")
    if forced:
        return forced != "0"
    isatty = getattr(stream, "isatty", None)
    if not (isatty and isatty()):
        return False
    env = os.environ
    term = env.get("TERM", "")
    if term in ("dumb", "linux") or env.get("TERM_PROGRAM") in ("tmux", "screen"):
        return False  # multiplexers keep or drop them depending on version and settings
    if env.get("TERM_PROGRAM") in _HYPERLINK_PROGRAMS or any(env.get(m) for m in _HYPERLINK_MARKERS):
        return True
    if term.startswith(_HYPERLINK_TERMS):
        return True
    vte = env.get("VTE_VERSION", "")
    return vte.isdigit() and int(vte) >= _VTE_WITH_HYPERLINKS


def hyperlink(url: str) -> str:
    """``url`` as an OSC 8 hyperlink that shows the URL itself.

    Only for URLs the loader accepted (no spaces or control characters); anything
    else is shown as escaped text, never sent as part of a sequence.
    """
    safe = escape_controls(url, one_line=True)
    if safe != url or not url.isprintable():
        return safe
    return f"\x1b]8;;{url}\x1b\\{url}\x1b]8;;\x1b\\"


# Widths and heights past this are no terminal's: capped, so that layout code never
# meets a number too big to allocate (COLUMNS=99999999999999999999 was an OverflowError).
_MOST_CELLS: Final = 4096


def sane_size_environment(environ: MutableMapping[str, str] = os.environ) -> None:
    """Drop a ``COLUMNS`` or ``LINES`` that is not a size (empty, not a number, zero,
    negative), so the terminal's own size is used as if it were unset, and cap one too
    large to be real. Rich, Typer's help and kortrade's tables all read these variables."""
    for name in ("COLUMNS", "LINES"):
        value = environ.get(name)
        if value is None:
            continue
        size = cells(value)
        if size is None:
            del environ[name]
        elif str(size) != value:
            environ[name] = str(size)


def cells(value: str) -> int | None:
    """A COLUMNS or LINES value as a size: None if it is none (0, -5, 'abc', ''), at most 4096."""
    digits = value.lstrip("0")
    if not (value.isascii() and value.isdigit()) or not digits:
        return None
    # Compared as text first: int() refuses strings of more than 4,300 digits.
    return _MOST_CELLS if len(digits) > 4 else min(int(digits), _MOST_CELLS)
