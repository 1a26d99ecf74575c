"""kortrade.plain_table draws what Rich draws, to the byte, for every table it accepts.

Rich is the reference here: each test lays the same table out with both and compares
the text, so a Rich release that changes its layout shows up as a failure here, not as
a silent difference between a terminal and a pipe.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kortrade import plain_table
from kortrade.cli import app
from kortrade.plain_table import Cell, Column, Table

# -- the characters it measures -------------------------------------------------------------


@pytest.mark.parametrize(("ranges", "width"), [(plain_table.NARROW, 1), (plain_table.WIDE, 2)], ids=["narrow", "wide"])
def test_every_measured_character_is_as_wide_as_rich_says(ranges: tuple[tuple[int, int], ...], width: int) -> None:
    from rich.cells import cell_len

    wrong = [hex(c) for a, b in ranges for c in range(a, b + 1) if cell_len(chr(c)) != width]
    assert wrong == []
    inside = {c for a, b in (*plain_table.NARROW, *plain_table.WIDE) for c in range(a, b + 1)}
    for a, b in ranges:
        assert all(plain_table.measured(chr(c)) for c in range(a, b + 1))
        assert all(plain_table.cell_len(chr(c)) == width for c in range(a, b + 1))
        assert [plain_table.measured(chr(c)) for c in (a - 1, b + 1)] == [a - 1 in inside, b + 1 in inside]
    text = "".join(chr(c) for a, b in ranges for c in range(a, b + 1, 7))
    assert plain_table.cell_len(text) == cell_len(text)


@pytest.mark.parametrize(
    "text",
    [
        "😀 emoji",
        "e\u0301 combining",
        "a\u200db joiner",
        "\u200b zero width",
        "\ufe0f selector",
        "\U0001f1f0\U0001f1f7",
    ],
)
def test_a_character_it_does_not_measure_leaves_the_table_to_rich(text: str) -> None:
    table = Table((Column("A"),), [(plain_table.cell(text),)])
    assert not plain_table.drawable(table, io.StringIO(), 80)
    assert plain_table.draw(table, io.StringIO(), 80) is None


def test_a_stream_that_is_not_utf8_and_a_narrow_width_are_rich_s() -> None:
    table = Table((Column("A"),), [(plain_table.cell("text"),)])
    ascii_out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    assert not plain_table.drawable(table, ascii_out, 80)  # Rich draws ASCII boxes there
    assert not plain_table.drawable(table, io.StringIO(), 9)
    assert plain_table.drawable(table, io.StringIO(), 80)


def test_console_width_is_rich_s(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    for columns in ("57", "200", "abc", None):
        if columns is None:
            monkeypatch.delenv("COLUMNS", raising=False)
        else:
            monkeypatch.setenv("COLUMNS", columns)
        assert plain_table.console_width() == Console(file=io.StringIO(), force_terminal=False).width


# -- tables, drawn both ways ----------------------------------------------------------------------


def rich_text(table: Table, width: int, *, colour: bool = False) -> str:
    """What Rich prints of ``table`` at ``width``, without colour or in standard colours."""
    from rich.console import Console

    from kortrade.render import _rich_table

    console = Console(
        file=io.StringIO(),
        width=width,
        color_system="standard" if colour else None,
        force_terminal=colour,
        markup=False,
        emoji=False,
        highlight=False,
    )
    with console.capture() as capture:
        console.print(_rich_table(table))
    return capture.get()


def plain_text(table: Table, width: int) -> str | None:
    lines = plain_table.draw(table, io.StringIO(), width)
    return None if lines is None else "".join(line + "\n" for line in lines)


WORDS = st.one_of(
    st.text(alphabet="abcdefghij", min_size=1, max_size=12),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-./", min_size=10, max_size=60),  # URLs, ids
    st.text(alphabet="삼성전자중국무역", min_size=1, max_size=8),
    st.text(alphabet="中国贸易额亿美元。、", min_size=1, max_size=10),
    # Punctuation the data holds: en dash, middle dot, right quote, ellipsis, circled one, arrow, degree.
    st.sampled_from(
        ["$133.02", "\u2013", "\u00b7", "\u2019", "\u2026", "\u2460", "\u2191", "\u00b0", "(over", "16:47"]
    ),
)
TEXTS = st.lists(
    st.tuples(WORDS, st.sampled_from([" ", " ", " ", "  ", "\n", " \n", "\u3000", "\xa0", ""])), max_size=25
).map(lambda parts: "".join(word + gap for word, gap in parts))
COLUMNS = st.builds(
    Column,
    header=st.sampled_from(["ID", "Figure", "Period", "Fact", "Other sources", "Published", "年", "Basis of"]),
    justify=st.sampled_from(["left", "right"]),
    no_wrap=st.booleans(),
    overflow=st.sampled_from(["fold", "ellipsis", "crop"]),
    ratio=st.sampled_from([None, None, 1]),
    max_width=st.sampled_from([None, None, 6, 16, 18]),
    width=st.sampled_from([None, None, None, 4, 15]),
)
CELLS = st.builds(
    Cell,
    spans=TEXTS.map(lambda text: ((text, None),)),
    no_wrap=st.booleans(),
    overflow=st.sampled_from([None, None, "crop", "fold", "ellipsis"]),
)


@st.composite
def tables(draw: st.DrawFn) -> Table:
    columns = tuple(draw(st.lists(COLUMNS, min_size=1, max_size=6)))
    rows = draw(st.lists(st.tuples(*(CELLS for _ in columns)), min_size=1, max_size=6))
    title = draw(st.one_of(st.none(), TEXTS.map(lambda t: t.replace("\n", " ")).filter(bool)))
    return Table(
        columns,
        rows,
        title=title,
        show_header=draw(st.booleans()),
        expand=draw(st.booleans()),
    )


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables(), width=st.integers(min_value=10, max_value=160))
@example(table=Table((Column("A", overflow="fold"),), [(plain_table.cell("abcdefghijkl mno"),)]), width=10).via(
    "a folded word's trailing space starts the next line, as in Rich"
)
def test_random_tables_are_drawn_as_rich_draws_them(table: Table, width: int) -> None:
    drawn = plain_text(table, width)
    if drawn is None:  # only a width too narrow for its columns is left to Rich
        extra = 2 + len(table.columns) - 1
        assert min(plain_table.column_widths(table, width - extra)) < 3
        return
    assert drawn == rich_text(table, width)


def test_wide_characters_cut_at_the_edge_become_a_space_as_in_rich() -> None:
    table = Table((Column("Fact", no_wrap=True, overflow="crop", max_width=5),), [(plain_table.cell("中国中国中国"),)])
    assert plain_text(table, 40) == rich_text(table, 40)
    assert "中国 " in (plain_text(table, 40) or "")


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
    ["compare", "--conflicts"],
    ["compare", "bilateral-trade"],
    ["show", "trade-volume-2024"],
    ["sources", "--fields", "id,url,title"],
    ["facts", "--year", "2026", "--fields", "id,statement,note"],
]


@pytest.mark.parametrize("columns", [40, 60, 80, 132])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_listing_of_the_shipped_file_is_rich_s_text(
    args: list[str], columns: int, shipped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kortrade.render

    monkeypatch.setenv("KORTRADE_DATA", str(shipped))
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setattr(os, "urandom", lambda n: bytes(n))  # the same URL tokens both times
    runner = CliRunner()
    plain = runner.invoke(app, args)
    monkeypatch.setattr(kortrade.render, "_plain_drawing", lambda *_, **__: None)
    rich = runner.invoke(app, args)
    assert plain.exit_code == rich.exit_code == 0, plain.output
    assert plain.output == rich.output
    assert len(plain.output.splitlines()) > 2


def test_plain_tables_never_import_rich(shipped: Path) -> None:
    code = (
        "import sys; from kortrade.__main__ import main\n"
        "sys.argv = ['kortrade', 'timeline', '--data', sys.argv[1]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(' '.join(sorted(m for m in sys.modules if m.split('.')[0] == 'rich')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(shipped)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert "2026" in done.stdout
    assert done.stderr == ""


@settings(max_examples=1500, deadline=None)
@given(text=TEXTS.map(lambda t: t.replace("\n", " ")), width=st.integers(min_value=1, max_value=40), fold=st.booleans())
@example(text="  leading spaces, then words", width=5, fold=True)
@example(text="abcdefghijkl mno pq", width=6, fold=True)
@example(text="abcdefghijkl mno pq", width=6, fold=False)
def test_lines_break_where_rich_breaks_them(text: str, width: int, fold: bool) -> None:
    from rich._wrap import divide_line

    assert plain_table.divide_line(text, width, fold=fold) == divide_line(text, width, fold=fold)
