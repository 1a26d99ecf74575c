"""kortrade.table: the one table drawer, for pipes and terminals, plain and in colour.

Its rules are its own (no other library's output is the reference): lines never wider
than asked, columns aligned, no text lost where it wraps, the same text in colour as
without once the colour codes are taken out, and each style on its own characters.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kortrade import table as drawer
from kortrade.cli import app
from kortrade.render import _WHOLE_FROM
from kortrade.table import Cell, Column, Table, cell, cell_len, char_width

SGR = re.compile(r"\x1b\[[0-9;]*m")

# -- widths ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cells"),
    [
        ("trade", 5),
        ("삼성전자", 8),  # Hangul syllables: two cells each
        ("中国贸易", 8),
        ("\uff46\uff55\uff4c\uff4c", 8),  # fullwidth Latin "full"
        ("e\u0301", 1),  # a combining accent takes no cell
        ("a\u200db", 2),  # nor does a zero-width joiner
        ("😀", 2),
        ("\u2460\u2013\u00b7", 3),  # circled one, en dash, middle dot: one cell each
        ("", 0),
    ],
)
def test_cells_follow_the_unicode_widths(text: str, cells: int) -> None:
    assert cell_len(text) == cells
    assert sum(map(char_width, text)) == cells
    assert drawer.narrow(text) == (cells == len(text) and all(char_width(c) == 1 for c in text))


def test_console_width_is_columns_else_80(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "57")
    assert drawer.console_width() == 57
    assert drawer.console_width({"COLUMNS": "abc"}) in (80, *range(1, 5000))  # not a size: the terminal's, else 80


# -- random tables -------------------------------------------------------------------------------

WORDS = st.one_of(
    st.text(alphabet="abcdefghij", min_size=1, max_size=12),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-./", min_size=10, max_size=60),  # URLs, ids
    st.text(alphabet="삼성전자중국무역", min_size=1, max_size=8),
    st.text(alphabet="中国贸易额亿美元。、", min_size=1, max_size=10),
    st.sampled_from(["$133.02", "\u2013", "\u00b7", "\u2019", "\u2026", "\u2460", "😀", "e\u0301", "16:47"]),
)
TEXTS = st.lists(
    st.tuples(WORDS, st.sampled_from([" ", " ", " ", "  ", "\n", " \n", "\u3000", "\xa0", ""])), max_size=25
).map(lambda parts: "".join(word + gap for word, gap in parts))
STYLES = st.sampled_from([None, None, "bold", "dim", "cyan", "green", "bold yellow"])
COLUMNS = st.builds(
    Column,
    header=st.sampled_from(["ID", "Figure", "Period", "Fact", "Other sources", "Published", "年", "Basis of"]),
    justify=st.sampled_from(["left", "right"]),
    style=STYLES,
    no_wrap=st.booleans(),
    overflow=st.sampled_from(["fold", "ellipsis", "crop"]),
    ratio=st.sampled_from([None, None, 1]),
    max_width=st.sampled_from([None, None, 6, 16, 18]),
    width=st.sampled_from([None, None, None, 4, 15]),
)


@st.composite
def cells(draw: st.DrawFn) -> Cell:
    parts = draw(st.lists(st.tuples(TEXTS, STYLES), min_size=1, max_size=3))
    return Cell(
        tuple(parts),
        style=draw(st.sampled_from(["", "", "dim"])),
        no_wrap=draw(st.booleans()),
        overflow=draw(st.sampled_from([None, None, "crop", "fold", "ellipsis"])),
    )


@st.composite
def tables(draw: st.DrawFn) -> Table:
    columns = tuple(draw(st.lists(COLUMNS, min_size=1, max_size=6)))
    rows = draw(st.lists(st.tuples(*(cells() for _ in columns)), min_size=1, max_size=6))
    title = draw(st.one_of(st.none(), TEXTS.map(lambda t: t.replace("\n", " ")).filter(bool)))
    return Table(columns, rows, title=title, show_header=draw(st.booleans()), expand=draw(st.booleans()))


def drawn(spec: Table, width: int, *, colour: bool = False) -> list[str]:
    return list(drawer.draw(spec, io.StringIO(), width, colour=colour))


def least_width(spec: Table) -> int:
    """The narrowest a table can be drawn: a character and its padding a column, and the edges."""
    return 3 * len(spec.columns) + 2 + len(spec.columns) - 1


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=tables(), width=st.integers(min_value=10, max_value=160))
@example(spec=Table((Column("A", overflow="fold"),), [(cell("abcdefghijkl mno"),)]), width=10)
def test_every_line_is_as_wide_as_the_table_and_no_wider_than_asked(spec: Table, width: int) -> None:
    lines = drawn(spec, width)
    sizes = {cell_len(line) for line in lines[len(lines) - 1 - _body_height(lines) :]}
    assert len(sizes) == 1  # every line of the body, the blank ones too, is the table's width: columns align
    assert sizes.pop() <= max(width, least_width(spec))
    assert all(cell_len(line) <= max(width, least_width(spec)) for line in lines)


def _body_height(lines: list[str]) -> int:
    """Lines after the title: from the blank line that opens the table to the one that ends it."""
    return len(lines) - 1 - next(i for i, line in enumerate(lines) if not line.strip())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=tables(), width=st.integers(min_value=10, max_value=160))
def test_colour_adds_codes_and_nothing_else(spec: Table, width: int) -> None:
    plain = drawn(spec, width)
    coloured = drawn(spec, width, colour=True)
    assert [SGR.sub("", line) for line in coloured] == plain


@settings(max_examples=300, deadline=None)
@given(text=TEXTS, width=st.integers(min_value=2, max_value=60))  # two cells: room for a wide character
def test_wrapped_text_keeps_every_character_in_order(text: str, width: int) -> None:
    spec = Table((Column("A", overflow="fold"),), [(cell(text),)], show_header=False)
    lines = drawn(spec, width + 4)
    assert "".join("".join(lines).split()) == "".join(text.split())


@pytest.mark.parametrize(
    ("overflow", "expected"), [("ellipsis", "abcdefg\u2026"), ("crop", "abcdefgh"), ("fold", "abcdefgh")]
)
def test_a_long_word_is_cut_with_an_ellipsis_cropped_or_folded(overflow: str, expected: str) -> None:
    spec = Table((Column("A", overflow=overflow, max_width=8),), [(cell("abcdefghijkl"),)], show_header=False)  # type: ignore[arg-type]
    lines = [line.strip() for line in drawn(spec, 40) if line.strip()]
    assert lines[0] == expected
    assert lines[1:] == (["ijkl"] if overflow == "fold" else [])


def test_a_wide_character_that_does_not_fit_is_left_for_the_next_line() -> None:
    spec = Table((Column("Fact", max_width=5, overflow="fold"),), [(cell("中国中国中国"),)], show_header=False)
    lines = [line.strip() for line in drawn(spec, 40) if line.strip()]
    assert lines == ["中国", "中国", "中国"]
    cropped = Table((Column("Fact", no_wrap=True, overflow="crop", max_width=5),), [(cell("中国中国"),)])
    assert [line.strip() for line in drawn(cropped, 40) if line.strip()][-1] == "中国"


def test_right_justified_figures_line_up_on_their_last_digit() -> None:
    spec = Table(
        (Column("Figure", justify="right"), Column("Fact")), [(cell("$1.5"), cell("a")), (cell("$133.02"), cell("b"))]
    )
    lines = [line for line in drawn(spec, 40) if "$" in line]
    assert len({line.index("$1") + len("$1.5") for line in lines[:1]} | {lines[1].index("$133.02") + 7}) == 1


def test_styles_cover_their_own_characters() -> None:
    spec = Table(
        (Column("Figure", style="green"), Column("Fact")),
        [(cell("$5"), Cell((("Samsung's ", None), ("batteries", "bold yellow"), (" sold", None)), style="dim"))],
    )
    text = "\n".join(drawn(spec, 60, colour=True))
    assert "\x1b[1mFigure\x1b[0m" in text  # the header, bold
    assert "\x1b[32m$5\x1b[0m" in text  # the column's colour
    assert "\x1b[1;2;33mbatteries\x1b[0m" in text  # the span over the cell's dim
    assert "\x1b[2mSamsung's \x1b[0m" in text


def test_a_stream_that_is_not_utf8_gets_an_ascii_rule() -> None:
    spec = Table((Column("A"),), [(cell("text"),)])
    ascii_out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    assert any(set(line.strip()) == {"-"} for line in drawer.draw(spec, ascii_out, 40))
    assert any(set(line.strip()) == {"\u2500"} for line in drawer.draw(spec, io.StringIO(), 40))


def test_the_lines_come_as_they_are_drawn() -> None:
    rows: list[tuple[drawer.Cell, ...]] = [(cell(f"row {n}"),) for n in range(10_000)]
    lines = drawer.draw(Table((Column("A"),), rows), io.StringIO(), 40)
    assert [next(lines) for _ in range(4)][-1].strip() == "row 0"


# -- the shipped file's listings -----------------------------------------------------------------

COMMANDS = [
    ["facts"],
    ["timeline"],
    ["sources"],
    ["sources", "cgtn-2026-01-09"],
    ["entities"],
    ["topics"],
    ["measures"],
    ["info"],
    ["search", "trade"],
    ["search", "삼성"],
    ["search", "中国"],
    ["compare"],
    ["compare", "bilateral-trade"],
    ["show", "trade-volume-2024"],
    ["series", "--chart"],
    ["sources", "--fields", "id,url,title"],
    ["facts", "--year", "2026", "--fields", "id,statement,note"],
]


@pytest.mark.parametrize("columns", [40, 60, 80, 132])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_listing_of_the_shipped_file_fits_and_colours_only(
    args: list[str], columns: int, shipped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KORTRADE_DATA", str(shipped))
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(os, "urandom", lambda n: bytes(n))  # the same URL tokens both times
    plain = CliRunner().invoke(app, args)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("FORCE_HYPERLINK", "0")
    coloured = CliRunner().invoke(app, args)
    assert plain.exit_code == coloured.exit_code == 0, plain.output
    assert len(plain.stdout.splitlines()) > 2
    assert "\x1b" not in plain.stdout
    # Too narrow for its table, a listing is written as records, which have nothing to colour.
    assert "\x1b[" in coloured.stdout or plain.stdout.startswith("id: ")
    assert [SGR.sub("", line).rstrip() for line in coloured.stdout.splitlines()] == plain.stdout.splitlines()
    if plain.stdout.startswith("id: ") or columns < _WHOLE_FROM:
        return  # records are written one field a line, unwrapped; a narrower table folds ids and URLs
    # Only an id too long for its column runs past the edge (what comes before the last word fits),
    # and a URL, written whole when it cannot be a link so that it can be copied.
    assert all(
        cell_len(line) <= columns or cell_len(_before_last_word(line)) <= columns or "://" in line
        for line in plain.stdout.splitlines()
    )


@pytest.mark.parametrize("colour", ["NO_COLOR", "FORCE_COLOR"])
def test_tables_never_import_rich(shipped: Path, colour: str) -> None:
    code = (
        "import sys; from kortrade.__main__ import main\n"
        "sys.argv = ['kortrade', 'timeline', '--data', sys.argv[1]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(' '.join(sorted(m for m in sys.modules if m.split('.')[0] == 'rich')))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    done = subprocess.run(
        [sys.executable, "-c", code, str(shipped)],
        capture_output=True,
        text=True,
        check=True,
        env={**env, colour: "1", "KORTRADE_PAGER": "cat"},
    )
    assert "2026" in done.stdout
    assert done.stderr == ""


@settings(max_examples=800, deadline=None)
@given(text=TEXTS.map(lambda t: t.replace("\n", " ")), width=st.integers(min_value=1, max_value=40), fold=st.booleans())
@example(text="  leading spaces, then words", width=5, fold=True)
@example(text="abcdefghijkl mno pq", width=6, fold=True)
def test_lines_break_after_spaces_or_inside_a_word_too_long(text: str, width: int, fold: bool) -> None:
    breaks = drawer.divide_line(text, width, fold=fold)
    assert breaks == sorted(set(breaks))
    pieces = [text[a:b] for a, b in zip([0, *breaks], [*breaks, len(text)], strict=True)]
    assert "".join(pieces) == text
    for piece in pieces:
        words = piece.split()
        if fold and len(words) == 1 and cell_len(words[0]) > width:
            assert cell_len(words[0]) <= width + 1  # a folded piece: one wide character may overhang
        elif fold:
            assert cell_len(piece.rstrip()) <= width or len(words) == 1


def _before_last_word(line: str) -> str:
    return line.rstrip().rsplit(" ", 1)[0] if " " in line.strip() else ""


@given(
    text=st.text(alphabet=st.sampled_from("ab cd  é-"), max_size=80),
    width=st.integers(min_value=1, max_value=30),
)
def test_filling_a_paragraph_breaks_it_where_divide_line_does(text: str, width: int) -> None:
    filled = drawer._filled(text, width)
    if filled is None:  # a word longer than a line, or spaces the line cannot hold: left to divide_line
        assert any(len(word) > width for word in text.split()) or text[:1].isspace()
        return
    assert [start for start, _, _ in filled[1:]] == drawer.divide_line(text, width, fold=True)
