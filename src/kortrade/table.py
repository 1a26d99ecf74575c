"""Tables: laid out, wrapped and, on a terminal, coloured in one pass, a row at a time.

Every table kortrade prints (listings, a fact's details, compare's groups) is described
once (:class:`Table` of :class:`Column` and :class:`Cell`) and drawn here, for a pipe, a
file or a terminal alike. The layout follows Rich's rules for its SIMPLE_HEAD box, since
kortrade's tables were drawn by Rich before (column widths by measure, ratio and collapse;
word wrap, with long words folded; crop and ellipsis), but it is this module's own: no
Rich release changes it, and it costs a fraction of Rich's time (Rich took about 0.27 ms
a row; ``kortrade timeline`` on 1,500 facts spent 350 of its 420 ms in Rich).

Widths come from the Unicode database: East Asian wide and fullwidth characters take two
cells, combining marks and format characters none, the rest one.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from math import ceil
from typing import IO, Final, Literal

from kortrade.terminal import cells

Overflow = Literal["fold", "crop", "ellipsis"]

_WORD: Final = re.compile(r"\s*\S+\s*")  # a word and the spaces after it
_TRAILING_SPACE: Final = re.compile(r"\s+$")
_PADDING: Final = 2  # a space either side of every cell
_DEFAULT_WIDTH: Final = 80
# Every character's width, as it is first met; and the characters known to take one cell
# (all of ASCII from the start), so that a text of those alone is measured by its length.
_WIDTHS: dict[str, int] = {chr(code): 1 for code in range(128)}
_NARROW: set[str] = set(_WIDTHS)
_OTHER = re.compile(r"[^\x00-\x7f]")  # a character not known to take one cell: remade as more are known


def char_width(char: str) -> int:
    """Cells one character takes on a terminal: 0, 1 or 2."""
    width = _WIDTHS.get(char)
    if width is None:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            width = 0
        else:
            width = 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        _WIDTHS[char] = width
        if width == 1:
            _NARROW.add(char)
    return width


def _learn(text: str) -> None:
    """Note the width of each character of ``text`` not met before."""
    global _OTHER
    known = len(_NARROW)
    for char in set(text).difference(_WIDTHS):
        char_width(char)
    if len(_NARROW) != known:
        _OTHER = re.compile("[^" + "".join(sorted(map(re.escape, _NARROW))) + "]")


@dataclass(slots=True)  # not frozen: a long listing makes thousands, and frozen ones cost twice as much
class Cell:
    """A cell's text, in spans of one style each (drawn only in colour)."""

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
    overflow: Overflow = "ellipsis"
    ratio: int | None = None
    max_width: int | None = None
    # A fixed width: the column is this wide (padding aside) and gives no room when the
    # table is too wide; with a ratio, in an expanding table, it is the least the column gets.
    width: int | None = None


# The style of a table's title and of its header row.
HEADING_STYLE: Final = "bold"


@dataclass(frozen=True, slots=True)
class Table:
    """A table to draw: its columns, its rows of cells, a title above it."""

    columns: tuple[Column, ...]
    rows: list[tuple[Cell, ...]] = field(default_factory=list)
    title: str | None = None
    show_header: bool = True
    expand: bool = False


# -- the terminal ----------------------------------------------------------------------------


def console_width(environ: Mapping[str, str] = os.environ) -> int:
    """The width to draw in: ``COLUMNS``, else the size of the first of stdin, stdout and
    stderr that is a terminal, else 80 (as Rich and Typer's help take it)."""
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


# -- measuring -------------------------------------------------------------------------------


def cell_len(text: str) -> int:
    """Terminal cells ``text`` takes."""
    if text.isascii():
        return len(text)
    try:
        return sum(map(_WIDTHS.__getitem__, text))  # a loop in C, once each character is known
    except KeyError:
        _learn(text)
        return sum(map(_WIDTHS.__getitem__, text))


def narrow(text: str) -> bool:
    """Whether each character of ``text`` takes one cell, so that lengths are widths."""
    if text.isascii():
        return True
    other = _OTHER.search(text)
    if other is None:
        return True
    if other.group() in _WIDTHS:  # known, and not one cell wide
        return False
    _learn(text)
    return _OTHER.search(text) is None


def _text_measure(text: str) -> tuple[int, int]:
    """A text's (longest word, longest line), in cells."""
    size = len if narrow(text) else cell_len
    lines = text.splitlines()
    longest = max(map(size, lines)) if lines else 0
    words = text.split()
    return (max(map(size, words)) if words else longest), longest


def _padded_measure(raw: tuple[int, int], max_width: int) -> tuple[int, int]:
    """The (least, most) width of a cell padded a space either side, whose text measures
    ``raw``: the text's measure held to ``max_width``, then the padding."""
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
    """Each column's width, padding included: each as wide as its widest line, then, if the
    table is too wide, the widest wrapping columns narrowed first, then all evenly."""
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
        if table_width > max_width:  # the last resort: every column reduced evenly
            widths = _ratio_reduce(table_width - max_width, [1] * len(widths), widths, widths)
            table_width = sum(widths)
        widths = [_column_measure(c, measures(i), w)[1] for i, (c, w) in enumerate(zip(columns, widths, strict=True))]
    if table_width < max_width and table.expand:  # the width from before measuring again
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
        width = char_width(char)
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
        cells_taken = char_width(char)
        if size + cells_taken > width and index > start:
            lines.append(text[start:index])
            start, size = index, 0
        size += cells_taken
    if size:
        lines.append(text[start:])
    return lines


def divide_line(text: str, width: int, *, fold: bool = True) -> list[int]:
    """Where ``text`` breaks into lines of ``width`` cells: after the spaces that end a word
    that fits, and inside a word longer than a line when ``fold``."""
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


# -- drawing ---------------------------------------------------------------------------------

# Select Graphic Rendition codes of the styles kortrade uses: attributes, then one colour.
_ATTRIBUTES: Final = {"bold": "1", "dim": "2", "italic": "3", "underline": "4"}
_COLOURS: Final = {
    "red": "31", "green": "32", "yellow": "33", "blue": "34", "magenta": "35", "cyan": "36",
}  # fmt: skip
_ELLIPSIS: Final = "\u2026"


@functools.lru_cache(maxsize=256)  # a table has a handful of style combinations, met on every line
def codes(*styles: str | None) -> str:
    """The SGR parameters of ``styles`` combined, later ones over earlier ones (a style is
    words such as ``"bold cyan"``; a word this module does not know is ignored)."""
    attributes: set[str] = set()
    colour = ""
    for style in styles:
        for word in (style or "").split():
            if word in _ATTRIBUTES:
                attributes.add(word)
            elif word in _COLOURS:
                colour = _COLOURS[word]
    return ";".join([*(_ATTRIBUTES[a] for a in _ATTRIBUTES if a in attributes), *([colour] if colour else [])])


def _paint(text: str, sgr: str) -> str:
    return f"\x1b[{sgr}m{text}\x1b[0m" if sgr and text else text


def draw(table: Table, out: IO[str], width: int, *, colour: bool = False) -> Iterator[str]:
    """The table's lines, ``width`` cells at most, each as it is drawn: trailing spaces and
    a blank line above and below the table included (the caller strips them). In colour,
    the title and header are bold, a column's style covers its cells, and a cell's spans
    their own characters."""
    columns = table.columns
    extra = 2 + len(columns) - 1  # the edges and a space between columns
    room = max(width - extra, 1)
    widths = column_widths(table, room)
    if sum(widths) > room:  # columns that may not wrap, too wide together: they are cut instead
        widths = _collapse(widths, [True] * len(widths), room)
        if sum(widths) > room:
            widths = _ratio_reduce(sum(widths) - room, [1] * len(widths), widths, widths)
    encoding = (getattr(out, "encoding", None) or "utf-8").lower().replace("_", "-")
    rule = "\u2500" if encoding.startswith("utf") else "-"
    return _lines(table, widths, sum(widths) + extra, rule, colour=colour)


def _lines(table: Table, widths: list[int], table_width: int, rule: str, *, colour: bool) -> Iterator[str]:
    columns = table.columns
    if table.title:
        title = Cell(((table.title, HEADING_STYLE if colour else None),))
        for start, end, left, right, cut in _ranges(table.title, table_width, title, justify_right=False):
            yield _line_text(title, start, end, left, right, cut, None, colour=colour)
    yield " " * table_width
    if table.show_header:
        header = [Cell(((c.header, None),), no_wrap=False) for c in columns]
        yield from _row_lines(header, columns, widths, header=True, colour=colour)
        yield " " + rule * (sum(widths) + len(columns) - 1) + " "
    spans = [(width - _PADDING, column.justify == "right") for column, width in zip(columns, widths, strict=True)]
    for row in table.rows:
        if not colour and len(row) == len(spans):  # a row of cells that each fit on a line, the most usual
            fitting = _one_line(row, spans)
            if fitting is not None:
                yield fitting
                continue
        yield from _row_lines(row, columns, widths, header=False, colour=colour)
    yield " " * table_width


def _one_line(row: Sequence[Cell], spans: list[tuple[int, bool]]) -> str | None:
    """A row's line if each cell is one line of ASCII that fits, else None."""
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


def fit_line(line: str, width: int) -> str:
    """A line of at most ``width`` cells: cut, with an ellipsis, if it is longer."""
    return set_cell_size(line, width - 1) + _ELLIPSIS if cell_len(line) > width else line


def _row_lines(
    row: Sequence[Cell], columns: Sequence[Column], widths: list[int], *, header: bool, colour: bool
) -> list[str]:
    cells: list[list[str]] = []
    for item, column, width in zip(row, columns, widths, strict=True):
        style = (HEADING_STYLE if header else column.style) if colour else None
        inner = width - _PADDING
        if inner < 1:  # a column too narrow for one character, in a table far wider than the terminal
            cells.append([_paint(" " * width, codes(style)) if colour else " " * width])
            continue
        text = item.plain
        if not colour and len(text) <= inner and text.isascii() and "\n" not in text:  # most cells
            if column.justify == "right":
                text = text.rstrip()
                cells.append([" " * (inner - len(text) + 1) + text + " "])
            else:
                cells.append([" " + text + " " * (inner - len(text) + 1)])
            continue
        pad = _paint(" ", codes(style)) if colour else " "
        cells.append(
            [
                pad + _line_text(item, start, end, left, right, cut, style, colour=colour) + pad
                for start, end, left, right, cut in _ranges(
                    item.plain, inner, item, justify_right=column.justify == "right", column=column
                )
            ]
        )
    height = max(map(len, cells))
    if height > 1:
        for lines, column, width in zip(cells, columns, widths, strict=True):
            style = (HEADING_STYLE if header else column.style) if colour else None
            blank = [_paint(" " * width, codes(style)) if colour else " " * width] * (height - len(lines))
            if header:  # a header sits on its rule; a row's cells hang from the top
                lines[:0] = blank
            else:
                lines.extend(blank)
    # Each line: the edge, then each cell padded a space either side, a space between cells.
    return [" " + " ".join(parts) + " " for parts in zip(*cells, strict=True)]


def _ranges(
    text: str, width: int, item: Cell, *, justify_right: bool, column: Column | None = None
) -> list[tuple[int, int, int, int, bool]]:
    """(start, end, padding left, padding right, cut) of each of a cell's lines: each line is
    a slice of its text, wrapped at spaces (long words folded, or cropped, or cut with an
    ellipsis, as the cell or its column says), padded to ``width`` cells."""
    size_of = len if narrow(text) else cell_len
    no_wrap = item.no_wrap or (column is not None and column.no_wrap)
    overflow = item.overflow or (column.overflow if column is not None else "fold")
    found: list[tuple[int, int, int, int, bool]] = []
    base = 0
    for paragraph in text.split("\n") if "\n" in text else (text,):
        size = len(paragraph)
        filled = _filled(paragraph, width) if size_of is len and not no_wrap and size > width else None
        if filled is not None:  # the usual long statement: no word longer than a line
            for a, b, end in filled:
                if justify_right or b - a > width:
                    b = end
                pad = width - (b - a)
                found.append((base + a, base + b, pad if justify_right else 0, 0 if justify_right else pad, False))
            base += size + 1
            continue
        bounds = [(0, size)]
        if not no_wrap and size_of(paragraph) > width:
            breaks = divide_line(paragraph, width, fold=overflow == "fold")
            bounds = list(zip([0, *breaks], [*breaks, size], strict=True))
        for a, b in bounds:
            if justify_right or size_of(paragraph[a:b]) > width:
                b = a + len(paragraph[a:b].rstrip())  # the spaces that end a line go first
            cells_used = size_of(paragraph[a:b])
            cut = False
            if cells_used > width:
                cut = overflow == "ellipsis"
                room = width - 1 if cut else width
                b = a + len(_prefix(paragraph[a:b], room))
                cells_used = size_of(paragraph[a:b]) + cut
            pad = width - cells_used
            found.append((base + a, base + b, pad if justify_right else 0, 0 if justify_right else pad, cut))
        base += size + 1
    return found


def _filled(paragraph: str, width: int) -> list[tuple[int, int, int]] | None:
    """Each line of a paragraph of one-cell characters as :func:`divide_line` breaks it, as
    (start, start of the next line, end of its last word); None if a word is longer than a
    line, which divide_line folds or cuts."""
    fits = _fits(width)
    position, size, found = 0, len(paragraph), []
    while position < size:
        line = fits.match(paragraph, position)
        if line is None:
            return None
        spaces = _SPACES.match(paragraph, line.end())
        after = spaces.end() if spaces is not None else line.end()
        found.append((position, after, line.end()))
        position = after
    return found


def _prefix(text: str, room: int) -> str:
    """The longest start of ``text`` that takes at most ``room`` cells."""
    if narrow(text):
        return text[: max(room, 0)]
    used = 0
    for index, char in enumerate(text):
        used += char_width(char)
        if used > room:
            return text[:index]
    return text


def _line_text(
    item: Cell, start: int, end: int, left: int, right: int, cut: bool, style: str | None, *, colour: bool
) -> str:
    """One line of a cell: its slice of the text, padded, with the styles over each piece in colour."""
    text = item.plain
    if not colour:
        return " " * left + text[start:end] + (_ELLIPSIS if cut else "") + " " * right
    base = codes(style, item.style)
    pieces = [_paint(" " * left, base)]
    position = 0
    for part, part_style in item.spans:
        a, b = max(position, start), min(position + len(part), end)
        if a < b:
            pieces.append(_paint(text[a:b], codes(style, item.style, part_style)))
        position += len(part)
    pieces.append(_paint((_ELLIPSIS if cut else "") + " " * right, base))
    return "".join(pieces)
