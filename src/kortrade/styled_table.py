"""Tables in colour as Rich writes them, on :mod:`kortrade.plain_table`'s layout, without Rich.

A terminal shows ``kortrade facts`` in colour, and Rich took half a second to draw the
1,500 rows. The layout is plain_table's (Rich's own rules); what colour adds is Rich's
way of writing styles: each piece of a line between two span edges is one segment, and
each segment with a style is written as ``ESC[codes m`` + text + ``ESC[0m``, never merged
with its neighbours. A cell's style covers its padding; its text's base style (a detail
table's values) covers the whole line; spans (search matches, the dim line under a fact)
cover their characters. ``tests/test_styled_table.py`` compares the bytes with Rich's.

Only the styles kortrade uses are known (:data:`_CODES`), and only lines that are slices
of their cell's text: a cell Rich would crop or end with an ellipsis, a wide character,
or a dumb terminal (which Rich draws 80 columns wide whatever it is told) leave the whole
table to Rich (:func:`draw` returns None).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator, Sequence
from typing import IO, Final

from kortrade import plain_table
from kortrade.plain_table import HEADING_STYLE, Cell, Column, Table

# Select Graphic Rendition codes: attributes in Rich's order, then the one colour.
_ATTRIBUTES: Final = {"bold": "1", "dim": "2"}
_COLOURS: Final = {"cyan": "36", "green": "32", "yellow": "33"}
_CODES: Final = frozenset((*_ATTRIBUTES, *_COLOURS))


def codes(*styles: str | None) -> str:
    """The SGR parameters of ``styles`` combined in order, as Rich's Style.__add__ and render."""
    attributes: set[str] = set()
    colour = ""
    for style in styles:
        for word in (style or "").split():
            if word in _ATTRIBUTES:
                attributes.add(word)
            else:
                colour = _COLOURS[word]
    return ";".join([*(_ATTRIBUTES[a] for a in _ATTRIBUTES if a in attributes), *([colour] if colour else [])])


def _paint(text: str, sgr: str) -> str:
    return f"\x1b[{sgr}m{text}\x1b[0m" if sgr else text


def draw(table: Table, out: IO[str], width: int) -> Iterator[str] | None:
    """The table's lines as Rich's console writes them in colour, or None if only Rich can."""
    if os.environ.get("TERM", "").lower() in ("dumb", "unknown") or not _known_styles(table):
        return None
    if not plain_table.drawable(table, out, width):
        return None
    columns = table.columns
    extra = 2 + len(columns) - 1
    widths = plain_table.column_widths(table, width - extra)
    if min(widths) < 3:
        return None
    table_width = sum(widths) + extra
    # Drawn whole before the first line goes out: a cell found to need cropping sends it all to Rich.
    lines: list[str] = []
    if table.title:
        lines = [_paint(line, codes(HEADING_STYLE)) for line in plain_table.wrap(table.title, table_width)]
    lines.append(" " * table_width)
    if table.show_header:
        header = _row([Cell(((c.header, None),)) for c in columns], columns, widths, header=True)
        if header is None:
            return None
        lines.extend(header)
        lines.append(" " + "\u2500" * (sum(widths) + len(columns) - 1) + " ")
    for row in table.rows:
        drawn = _row(row, columns, widths, header=False)
        if drawn is None:
            return None
        lines.extend(drawn)
    lines.append(" " * table_width)
    return iter(lines)


def _known_styles(table: Table) -> bool:
    styles = {c.style or "" for c in table.columns} | {HEADING_STYLE}
    styles |= {cell.style for row in table.rows for cell in row}
    styles |= {style or "" for row in table.rows for cell in row for _, style in cell.spans}
    return all(word in _CODES for style in styles for word in style.split())


def _row(row: Sequence[Cell], columns: Sequence[Column], widths: list[int], *, header: bool) -> list[str] | None:
    cells: list[list[str]] = []
    for item, column, width in zip(row, columns, widths, strict=True):
        style = HEADING_STYLE if header else column.style
        lines = _cell_lines(item, column, width - 2, style)
        if lines is None:
            return None
        cells.append(lines)
    height = max(map(len, cells))
    for lines, column, width in zip(cells, columns, widths, strict=True):
        blank = [_paint(" " * width, codes(HEADING_STYLE if header else column.style))] * (height - len(lines))
        if header:  # a header sits on its rule; a row's cells hang from the top
            lines[:0] = blank
        else:
            lines.extend(blank)
    return [" " + " ".join(parts) + " " for parts in zip(*cells, strict=True)]


def _cell_lines(item: Cell, column: Column, inner: int, style: str | None) -> list[str] | None:
    """Each line of a cell, padded a space either side, in Rich's segments; None if Rich must draw it."""
    text = item.plain
    ranges = _ranges(text, inner, column, item)
    if ranges is None:
        return None
    spans: list[tuple[int, int, str]] = []
    position = 0
    for part, part_style in item.spans:
        if part_style and part:
            spans.append((position, position + len(part), part_style))
        position += len(part)
    pad = _paint(" ", codes(style))
    lines = []
    for start, end, left, right in ranges:
        line = " " * left + text[start:end] + " " * right
        lines.append(pad + "".join(_segments(line, start, end, left, spans, style, item.style)) + pad)
    return lines


def _segments(
    line: str, start: int, end: int, left: int, spans: list[tuple[int, int, str]], style: str | None, base: str
) -> Iterator[str]:
    """A line cut at every edge of a span on it, each piece with the styles over it."""
    covering = [
        (max(s, start) - start + left, min(e, end) - start + left, span_style)
        for s, e, span_style in spans
        if s < end and e > start
    ]
    if not covering:
        yield _paint(line, codes(style, base))
        return
    edges = sorted({0, len(line), *(p for s, e, _ in covering for p in (s, e))})
    for a, b in itertools.pairwise(edges):
        over = [span_style for s, e, span_style in covering if s <= a and b <= e]
        yield _paint(line[a:b], codes(style, base, *over))


def _ranges(text: str, width: int, column: Column, item: Cell) -> list[tuple[int, int, int, int]] | None:
    """(start, end, padding left, padding right) of each of a cell's lines, when each is a
    slice of its text (widths in cells)."""
    size_of = len if plain_table.narrow(text) else plain_table.cell_len
    right = column.justify == "right"
    no_wrap = item.no_wrap or column.no_wrap
    overflow = item.overflow or column.overflow
    found: list[tuple[int, int, int, int]] = []
    base = 0
    for paragraph in text.split("\n"):
        size = len(paragraph)
        bounds = [(0, size)]
        if not no_wrap and size_of(paragraph) > width:
            breaks = plain_table.divide_line(paragraph, width, fold=overflow == "fold")
            bounds = []
            for a, b in zip([0, *breaks], [*breaks, size], strict=True):
                piece = paragraph[a:b]
                if len(piece) > width:  # Rich's rstrip_end: trailing spaces past the width go
                    b -= min(len(piece) - len(piece.rstrip()), len(piece) - width)
                bounds.append((a, b))
        for a, b in bounds:
            if right:
                b = a + len(paragraph[a:b].rstrip())
            cells = size_of(paragraph[a:b])
            # Rich cuts a line to the width: a slice still, if all it cuts is spaces (and it
            # ends it with no ellipsis).
            while cells > width and overflow != "ellipsis" and b > a and paragraph[b - 1] == " ":
                b, cells = b - 1, cells - 1
            if cells > width:
                return None  # cut inside a word, or with an ellipsis: Rich's
            found.append((base + a, base + b, width - cells if right else 0, 0 if right else width - cells))
        base += size + 1
    return found
