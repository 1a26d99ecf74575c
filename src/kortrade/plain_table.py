"""Tables laid out as Rich lays them out, drawn as plain text without importing Rich.

Rich takes about 0.27 ms a row to lay out a table, whatever its options, and a long
listing is mostly that: ``kortrade timeline`` on 1,500 facts spent 350 of its 420 ms
in Rich. Text for a pipe, a file or ``NO_COLOR`` needs none of Rich's styling, so this
module draws it by Rich's own rules, ported from Rich 15: column widths (measure,
ratio distribution, collapse, even reduction), word wrap (``divide_line``, folding
long words), cropping and padding, for the box styles used here (SIMPLE_HEAD, and SIMPLE
without a header: spaces, and a rule under the header). The text is Rich's to
the byte: ``tests/test_plain_table.py`` draws the same tables with both, the shipped
file's listings at many widths and Hypothesis's random ones.

It measures only characters whose width it knows to be Rich's (:data:`NARROW` and
:data:`WIDE`, checked one by one against ``rich.cells``); a table holding any other
character (an emoji, a combining mark, a zero-width joiner) is left to Rich, as is
any setting under which Rich would measure or draw otherwise (:func:`drawable`).
"""

from __future__ import annotations

import builtins
import os
import re
import sys
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from math import ceil
from typing import IO, Final, Literal

from kortrade.terminal import cells

Overflow = Literal["fold", "crop", "ellipsis"]

# Characters one cell wide and two cells wide to Rich (rich.cells.get_character_cell_size),
# in maximal runs; tests/test_plain_table.py checks every code point of every run.
NARROW: Final = (
    (0x0020, 0x007E), (0x00A0, 0x02FF), (0x0370, 0x0482), (0x048A, 0x052F), (0x2010, 0x2027),
    (0x2030, 0x205E), (0x20A0, 0x20C0), (0x2100, 0x21FF), (0x2460, 0x24FF), (0x2500, 0x25FC),
)  # fmt: skip
WIDE: Final = (
    (0x1100, 0x115F), (0x2E80, 0x2E99), (0x2E9B, 0x2EF3), (0x2F00, 0x2FD5), (0x2FF0, 0x3029),
    (0x3030, 0x303E), (0x3041, 0x3096), (0x309B, 0x30FF), (0x3105, 0x312F), (0x3131, 0x3163),
    (0x3165, 0x318E), (0x3190, 0x31E5), (0x31EF, 0x321E), (0x3220, 0x3247), (0x3250, 0x4DBF),
    (0x4E00, 0x9FFF), (0xA960, 0xA97C), (0xAC00, 0xD7A3), (0xF900, 0xFAFF), (0xFE30, 0xFE4F),
    (0xFF01, 0xFF60), (0xFFE0, 0xFFE6),
)  # fmt: skip
# The runs as sorted bounds: a character is in a run when bisect_right lands on an odd index.
# (Not a regular expression: compiling one with these classes takes 3 ms, each run.)
_KNOWN_BOUNDS: Final = tuple(sorted(b for a, z in (*NARROW, *WIDE) for b in (chr(a), chr(z + 1))))
_WIDE_BOUNDS: Final = tuple(b for a, z in WIDE for b in (chr(a), chr(z + 1)))
_FIRST_WIDE: Final = chr(WIDE[0][0])
_MAYBE_WIDE: Final = re.compile(f"[^\x00-{chr(WIDE[0][0] - 1)}]")  # quick to compile (unlike a range to U+10FFFF)
_WORD: Final = re.compile(r"\s*\S+\s*")  # Rich's words: a word and the spaces after it
_TRAILING_SPACE: Final = re.compile(r"\s+$")
_PADDING: Final = 2  # a space either side of every cell
_DEFAULT_WIDTH: Final = 80


@dataclass(slots=True)  # not frozen: a long listing makes thousands, and frozen ones cost twice as much
class Cell:
    """A cell's text, in spans of one style each (styles are for Rich: a plain table has none)."""

    spans: tuple[tuple[str, str | None], ...]
    style: str = ""  # the style of the whole cell, padding included
    no_wrap: bool = False
    overflow: Overflow | None = None  # the column's, unless set
    plain: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        spans = self.spans
        self.plain = spans[0][0] if len(spans) == 1 else "".join(text for text, _ in spans)


def cell(text: str, style: str | None = None) -> Cell:
    return Cell(((text, style),))


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    justify: Literal["left", "right"] = "left"
    style: str | None = None
    no_wrap: bool = False
    overflow: Overflow = "ellipsis"  # Rich's default
    ratio: int | None = None
    max_width: int | None = None
    # Rich's fixed width: the column is this wide (padding aside) and gives no room when the
    # table is too wide; with a ratio, in an expanding table, it is the least the column gets.
    width: int | None = None


# The style of a table's title and of its header row (Rich's and styled_table's alike).
HEADING_STYLE: Final = "bold"


@dataclass(frozen=True, slots=True)
class Table:
    """A table as both Rich (``render._rich_table``) and :func:`draw` take it."""

    columns: tuple[Column, ...]
    rows: list[tuple[Cell, ...]] = field(default_factory=list)
    title: str | None = None
    show_header: bool = True
    expand: bool = False


# -- when to draw here ---------------------------------------------------------------------


def console_width(environ: dict[str, str] | os._Environ[str] = os.environ) -> int:
    """The width Rich gives a console that is not a terminal: ``COLUMNS``, else the size of
    the first of stdin, stdout and stderr that is a terminal, else 80."""
    columns = cells(environ.get("COLUMNS", ""))
    if columns is not None:
        return columns
    for descriptor in (0, 1, 2):
        try:
            width = os.get_terminal_size(descriptor).columns
        except (AttributeError, ValueError, OSError):
            continue
        return width or _DEFAULT_WIDTH
    return _DEFAULT_WIDTH


def drawable(table: Table, out: IO[str], width: int) -> bool:
    """Whether :func:`draw` gives Rich's text for ``table`` on ``out``: every character
    measured, a UTF-8 stream (Rich draws ASCII boxes otherwise), a width to draw in, and
    none of Rich's other worlds (Windows consoles, Jupyter, a chosen Unicode version)."""
    encoding = (getattr(out, "encoding", None) or "utf-8").lower()
    if not encoding.startswith("utf") or width < 10:
        return False
    if sys.platform == "win32" or hasattr(builtins, "get_ipython") or "UNICODE_VERSION" in os.environ:
        return False
    texts = [c.header for c in table.columns] + [table.title or ""]
    texts.extend(cell.plain for row in table.rows for cell in row)
    return measured("".join(texts))


def measured(text: str) -> bool:
    """Whether every character of ``text`` is a newline or one whose width this module knows."""
    if text.isascii():
        return text.replace("\n", "").isprintable()
    return all(char == "\n" or bisect_right(_KNOWN_BOUNDS, char) % 2 for char in set(text))


def _wide(char: str) -> bool:
    return char >= _FIRST_WIDE and bisect_right(_WIDE_BOUNDS, char) % 2 == 1


# -- measuring -------------------------------------------------------------------------------


def cell_len(text: str) -> int:
    """Terminal cells ``text`` takes (only for text :func:`drawable` accepts)."""
    if text.isascii():
        return len(text)
    return len(text) + sum(map(_wide, text))


def narrow(text: str) -> bool:
    """Whether each character of ``text`` takes one cell."""
    return text.isascii() or not any(map(_wide, _MAYBE_WIDE.findall(text)))


def _text_measure(text: str) -> tuple[int, int]:
    """A text's (longest word, longest line), as Rich's Text.__rich_measure__."""
    size = len if narrow(text) else cell_len
    lines = text.splitlines()
    longest = max(map(size, lines)) if lines else 0
    words = text.split()
    return (max(map(size, words)) if words else longest), longest


def _padded_measure(raw: tuple[int, int], max_width: int) -> tuple[int, int]:
    """Rich's Measurement.get of a cell padded a space either side, whose text measures
    ``raw``: the text's measure normalised and held to ``max_width``, then the padding."""
    if max_width < 1:
        return 0, 0
    if max_width - _PADDING < 1:
        return max_width, max_width
    low, high = raw
    high = min(high, max_width)
    low = min(low, high)
    if high < 1:
        low = high = 0
    return min(low + _PADDING, max_width), min(high + _PADDING, max_width)


def _column_measure(column: Column, raws: list[tuple[int, int]], max_width: int) -> tuple[int, int]:
    if max_width < 1:
        return 0, 0
    if column.width is not None:
        fixed = min(column.width + _PADDING, max_width)
        return fixed, fixed
    measured = [_padded_measure(raw, max_width) for raw in raws]
    low = max((m[0] for m in measured), default=1)
    high = max((m[1] for m in measured), default=max_width)
    low, high = min(low, max_width), min(high, max_width)
    if column.max_width is not None:
        limit = column.max_width + _PADDING
        low, high = min(low, limit), min(high, limit)
    return low, high


def _ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    ratios = [ratio if most else 0 for ratio, most in zip(ratios, maximums, strict=True)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    result = []
    for ratio, most, value in zip(ratios, maximums, values, strict=True):
        if ratio and total_ratio > 0:
            given = min(most, round(ratio * remaining / total_ratio))
            result.append(value - given)
            remaining -= given
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def _ratio_distribute(total: int, ratios: list[int], minimums: list[int] | None = None) -> list[int]:
    if minimums:
        ratios = [ratio if least else 0 for ratio, least in zip(ratios, minimums, strict=True)]
    total_ratio = sum(ratios)
    remaining = total
    result = []
    for ratio, least in zip(ratios, minimums or [0] * len(ratios), strict=True):
        given = max(least, ceil(ratio * remaining / total_ratio)) if total_ratio > 0 else remaining
        result.append(given)
        total_ratio -= ratio
        remaining -= given
    return result


def _collapse(widths: list[int], wrapable: list[bool], max_width: int) -> list[int]:
    total = sum(widths)
    excess = total - max_width
    if not any(wrapable):
        return widths
    while total and excess > 0:
        widest = max(w for w, can in zip(widths, wrapable, strict=True) if can)
        second = max(w if can and w != widest else 0 for w, can in zip(widths, wrapable, strict=True))
        difference = widest - second
        ratios = [1 if (w == widest and can) else 0 for w, can in zip(widths, wrapable, strict=True)]
        if not any(ratios) or not difference:
            break
        widths = _ratio_reduce(excess, ratios, [min(excess, difference)] * len(widths), widths)
        total = sum(widths)
        excess = total - max_width
    return widths


def column_widths(table: Table, max_width: int) -> list[int]:
    """Each column's width, padding included (Rich's Table._calculate_column_widths)."""
    columns = table.columns
    raws: dict[int, list[tuple[int, int]]] = {}

    def measures(index: int) -> list[tuple[int, int]]:
        if index not in raws:
            header = [_text_measure(columns[index].header)] if table.show_header else []
            raws[index] = header + [_text_measure(row[index].plain) for row in table.rows]
        return raws[index]

    flexible = [c.ratio is not None for c in columns]
    expanding = table.expand and any(c.ratio for c in columns)
    # Expanding, the flexible columns take shares of the room whatever they hold: they are
    # measured only if the table turns out too wide (which a long statement column never makes it).
    highs = [
        0 if expanding and flex else _column_measure(c, measures(i), max_width)[1]
        for i, (c, flex) in enumerate(zip(columns, flexible, strict=True))
    ]
    widths = [high or 1 for high in highs]
    if expanding:
        fixed = [0 if flex else high for high, flex in zip(highs, flexible, strict=True)]
        flex_widths = iter(
            _ratio_distribute(
                max_width - sum(fixed),
                [c.ratio or 0 for c in columns if c.ratio is not None],
                [(c.width or 1) + _PADDING for c in columns if c.ratio is not None],
            )
        )
        widths = [fixed[i] + next(flex_widths) if flexible[i] else widths[i] for i in range(len(columns))]
    table_width = sum(widths)
    if table_width > max_width:
        widths = _collapse(widths, [c.width is None and not c.no_wrap for c in columns], max_width)
        table_width = sum(widths)
        if table_width > max_width:  # Rich's last resort: every column reduced evenly
            widths = _ratio_reduce(table_width - max_width, [1] * len(widths), widths, widths)
            table_width = sum(widths)
        widths = [_column_measure(c, measures(i), w)[1] for i, (c, w) in enumerate(zip(columns, widths, strict=True))]
    if table_width < max_width and table.expand:  # Rich compares the width from before measuring again
        pads = _ratio_distribute(max_width - table_width, widths)
        widths = [w + pad for w, pad in zip(widths, pads, strict=True)]
    return widths


# -- cropping and wrapping ---------------------------------------------------------------------


def set_cell_size(text: str, total: int) -> str:
    """``text`` cropped or padded to ``total`` cells; a wide character cut in two becomes a space."""
    if narrow(text):
        return text + " " * (total - len(text)) if len(text) < total else text[:total]
    if total <= 0:
        return ""
    size = cell_len(text)
    if size <= total:
        return text + " " * (total - size)
    used = 0
    for index, char in enumerate(text):
        width = 1 + _wide(char)
        if used + width > total:
            return text[:index] + " " * (total - used)
        used += width
    return text


def chop_cells(text: str, width: int) -> list[str]:
    if narrow(text):
        return [text[i : i + width] for i in range(0, len(text), width)]
    lines: list[str] = []
    size = start = 0
    for index, char in enumerate(text):
        char_width = 1 + _wide(char)
        if size + char_width > width:
            lines.append(text[start:index])
            start, size = index, 0
        size += char_width
    if size:
        lines.append(text[start:])
    return lines


def divide_line(text: str, width: int, *, fold: bool = True) -> list[int]:
    """Where Rich breaks ``text`` to fit ``width`` cells (rich._wrap.divide_line)."""
    if narrow(text):
        return _divide_narrow(text, width, fold=fold)
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        word_length = cell_len(word.rstrip())
        if width - offset >= word_length:
            offset += cell_len(word)
        elif word_length > width:
            if fold:
                pieces = chop_cells(word, width)
                for number, piece in enumerate(pieces, start=1):
                    if start:
                        breaks.append(start)
                    if number == len(pieces):
                        offset = cell_len(piece)
                    else:
                        start += len(piece)
            else:
                if start:
                    breaks.append(start)
                offset = cell_len(word)
        elif offset and start:
            breaks.append(start)
            offset = cell_len(word)
    return breaks


def _divide_narrow(text: str, width: int, *, fold: bool) -> list[int]:
    """:func:`divide_line` for text of one cell a character, a line at a time: the words that
    fit on a line are the longest run from its start that ends a word within the room."""
    breaks: list[int] = []
    size = len(text)
    position = offset = 0  # where the next word starts; cells used on the line so far
    while position < size:
        fitting = _fits(width - offset).match(text, position)
        if fitting is not None:
            spaces = _SPACES.match(text, fitting.end())
            position = spaces.end() if spaces is not None else fitting.end()
            if position >= size:
                break
            offset = 0
            word_end = _WORD.match(text, position).end()  # type: ignore[union-attr]
            if len(text[position:word_end].rstrip()) <= width:
                breaks.append(position)
                continue
        word_end = _WORD.match(text, position).end()  # type: ignore[union-attr]
        word = text[position:word_end]
        if len(word.rstrip()) > width:  # a word longer than a line
            if fold:
                start = position
                for piece_start in range(0, len(word), width):
                    if start:
                        breaks.append(start)
                    if piece_start + width >= len(word):
                        offset = len(word) - piece_start
                    else:
                        start += width
            else:
                if position:
                    breaks.append(position)
                offset = len(word)
        elif offset and position:
            breaks.append(position)
            offset = 0
            continue
        position = word_end
    return breaks


_SPACES: Final = re.compile(r"\s*")
_FITS: dict[int, re.Pattern[str]] = {}


def _fits(room: int) -> re.Pattern[str]:
    """Words from here whose last one ends within ``room`` characters, as many as there are."""
    pattern = _FITS.get(room)
    if pattern is None:
        pattern = _FITS[room] = re.compile(r"(?!)" if room < 1 else rf".{{0,{room - 1}}}\S(?=\s|\Z)")
    return pattern


def wrap(
    text: str, width: int, *, justify: str = "left", no_wrap: bool = False, overflow: Overflow = "fold"
) -> list[str]:
    """``text`` as lines of exactly ``width`` cells (Rich's Text.wrap, justified and padded)."""
    if narrow(text):
        return _wrap_narrow(text, width, justify=justify, no_wrap=no_wrap, overflow=overflow)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if no_wrap or cell_len(paragraph) <= width:
            pieces = [paragraph]
        else:
            breaks = divide_line(paragraph, width, fold=overflow == "fold")
            pieces = [paragraph[a:b] for a, b in zip([0, *breaks], [*breaks, len(paragraph)], strict=True)]
            pieces = [_rstrip_end(piece, width) for piece in pieces]
        for piece in pieces:
            if justify == "right":
                piece = piece.rstrip()
                piece = _fit(piece, width, overflow) if cell_len(piece) > width else piece
                lines.append(" " * (width - cell_len(piece)) + piece)
            else:
                lines.append(_fit(piece, width, overflow))
    return lines


def _wrap_narrow(text: str, width: int, *, justify: str, no_wrap: bool, overflow: Overflow) -> list[str]:
    """:func:`wrap` for text of one cell a character, where lengths are widths."""
    lines: list[str] = []
    for paragraph in text.split("\n") if "\n" in text else (text,):
        if no_wrap or len(paragraph) <= width:
            pieces: Sequence[str] = (paragraph,)
        elif _fill_lines(paragraph, width, lines, right=justify == "right"):
            continue
        else:
            breaks = _divide_narrow(paragraph, width, fold=overflow == "fold")
            pieces = [
                _rstrip_end(paragraph[a:b], width) for a, b in zip([0, *breaks], [*breaks, len(paragraph)], strict=True)
            ]
        for piece in pieces:
            if justify == "right":
                piece = piece.rstrip()
            if len(piece) > width:
                piece = _fit(piece, width, overflow)
            lines.append(
                " " * (width - len(piece)) + piece if justify == "right" else piece + " " * (width - len(piece))
            )
    return lines


def _fill_lines(paragraph: str, width: int, lines: list[str], *, right: bool) -> bool:
    """Append ``paragraph``'s lines, justified, if no word of it is longer than a line; else
    append nothing and say so. As in Rich, a line runs on to the next word, its spaces cut
    at the width (or, right-justified, stripped)."""
    fits = _fits(width)
    position, size, found = 0, len(paragraph), []
    while position < size:
        line = fits.match(paragraph, position)
        if line is None:  # a word longer than the line: Rich folds it, in divide_line
            return False
        spaces = _SPACES.match(paragraph, line.end())
        end = spaces.end() if spaces is not None else line.end()
        found.append(paragraph[position:end][:width])  # the spaces after it too, as far as the width
        position = end
    if right:
        found = [piece.rstrip() for piece in found]
        lines.extend(" " * (width - len(piece)) + piece for piece in found)
    else:
        lines.extend(piece + " " * (width - len(piece)) for piece in found)
    return True


def _fit(piece: str, width: int, overflow: Overflow) -> str:
    """Rich's Text.truncate with padding: cut to ``width`` (with an ellipsis if asked), or padded to it."""
    if overflow == "ellipsis" and cell_len(piece) > width:
        return set_cell_size(piece, width - 1) + "\u2026"
    return set_cell_size(piece, width)


def _rstrip_end(piece: str, width: int) -> str:
    # As Rich does: its length in characters, not cells, decides whether spaces go.
    excess = len(piece) - width
    if excess <= 0:
        return piece
    spaces = _TRAILING_SPACE.search(piece)
    return piece[: len(piece) - min(len(spaces.group()), excess)] if spaces else piece


# -- drawing ---------------------------------------------------------------------------------


def draw(table: Table, out: IO[str], width: int) -> Iterator[str] | None:
    """The table's lines as Rich's ``Console(width=width).print(table)`` writes them without
    colour (trailing spaces and framing blank lines included: the caller strips them, as it
    does Rich's), or None if only Rich can draw it here."""
    if not drawable(table, out, width):
        return None
    extra = 2 + len(table.columns) - 1  # the edges and a divider between columns
    widths = column_widths(table, width - extra)
    if min(widths) < 1 + _PADDING:  # too narrow for a character: Rich's odd cases are Rich's
        return None
    return _lines(table, widths, sum(widths) + extra)


def _lines(table: Table, widths: list[int], table_width: int) -> Iterator[str]:
    columns = table.columns
    if table.title:
        yield from wrap(table.title, table_width)
    yield " " * table_width
    if table.show_header:
        yield from _row_lines([Cell(((c.header, None),)) for c in columns], columns, widths, bottom=True)
        yield " " + "\u2500" * (sum(widths) + len(columns) - 1) + " "
    spans = [(width - _PADDING, column.justify == "right") for column, width in zip(columns, widths, strict=True)]
    for row in table.rows:
        if len(row) == len(spans):  # a row of cells that each fit on a line, the most usual
            fitting = _one_line(row, spans)
            if fitting is not None:
                yield fitting
                continue
        yield from _row_lines(row, columns, widths, bottom=False)
    yield " " * table_width


def _one_line(row: Sequence[Cell], spans: list[tuple[int, bool]]) -> str | None:
    """A row's line if each cell is one line of one-cell characters that fits, else None."""
    parts = []
    for item, (inner, right) in zip(row, spans, strict=True):
        text = item.plain
        if len(text) > inner or not text.isascii() or "\n" in text:
            return None
        if right:
            text = text.rstrip()
            parts.append(" " * (inner - len(text)) + text)
        else:
            parts.append(text + " " * (inner - len(text)))
    return "  " + "   ".join(parts) + "  "


def fit_line(line: str, width: int) -> str | None:
    """A line as Rich prints it unwrapped with an ellipsis (``overflow="ellipsis", no_wrap=True``),
    or None if it holds a character this module does not measure."""
    if not measured(line) or "\n" in line:
        return None
    return set_cell_size(line, width - 1) + "\u2026" if cell_len(line) > width else line


def _row_lines(row: Sequence[Cell], columns: Sequence[Column], widths: list[int], *, bottom: bool) -> list[str]:
    cells = []
    for item, column, width in zip(row, columns, widths, strict=True):
        inner = width - _PADDING
        text = item.plain
        if len(text) <= inner and text.isascii() and "\n" not in text:  # most cells: one line that fits
            if column.justify == "right":
                text = text.rstrip()
                cells.append([" " * (inner - len(text)) + text])
            else:
                cells.append([text + " " * (inner - len(text))])
            continue
        no_wrap = item.no_wrap or column.no_wrap
        overflow = item.overflow or column.overflow
        cells.append(wrap(item.plain, inner, justify=column.justify, no_wrap=no_wrap, overflow=overflow))
    height = max(map(len, cells))
    if height == 1:
        return ["  " + "   ".join(lines[0] for lines in cells) + "  "]
    for lines, width in zip(cells, widths, strict=True):
        blank = [" " * (width - _PADDING)] * (height - len(lines))
        if bottom:  # a header sits on its rule; a row's cells hang from the top
            lines[:0] = blank
        else:
            lines.extend(blank)
    # Each line: the edge, then each cell padded a space either side, a space between cells.
    return ["  " + "   ".join(parts) + "  " for parts in zip(*cells, strict=True)]
