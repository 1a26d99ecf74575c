"""Data cannot take over the terminal or a spreadsheet: the installed program, through pipes and a terminal.

Rich markup in the data prints as typed; ANSI escapes, carriage returns, other C0 and
C1 controls and bidi overrides are shown as escapes in tables, CSV and markdown and
kept exact in JSON; CSV cells that a spreadsheet would run as formulas are quoted; and
Korean, Chinese, Arabic, Hebrew and emoji text keeps a table's columns aligned, whole.
(test_render.py and test_cli.py check the renderers in process; this file checks the
bytes a real process writes.)
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from support.hostile import SGR, UNSAFE, Ran, quoted, run_bounded, run_on_tty
from support.pty_run import clean_env

# -- the data -------------------------------------------------------------------------------

MARKUP = "[bold]bold[/] closes [/] nothing [link=https://x.example]link[/link] [red on white]red"
CONTROLS = (
    "esc \x1b[31mALERT\x1b[0m clear \x1b[2J osc \x1b]8;;https://evil.example\x1b\\ cr \roverwritten "
    "bell \x07 nul \x00 bs \x08 del \x7f csi \x9b31m nel \x85 rlo \u202eevil\u202c lri \u2066x\u2069 end"
)
FORMULA = '=HYPERLINK("https://evil.example","click")'
DDE = "=cmd|' /C calc'!A0"
ENTITY_MARKUP = "[bold]Bold Corp[/]"
ENTITY_FORMULA = "@Evil Corp"
SOURCE_TITLE = "[link=https://x.example]Title[/link] \x1b]8;;https://evil.example\x1b\\click"
ITEMS = ["-2+3", "+1", "\tTAB", "\rCR", "=1+1"]
NAMES = {"en": ["+Plus"], "ko": ["\u202e삼성"], "zh": ["@三星"]}


def flow(values: list[str]) -> str:
    return "[" + ", ".join(quoted(v) for v in values) + "]"


HOSTILE = f"""\
version: 1
sources:
  - id: src-a
    title: {quoted(SOURCE_TITLE)}
    publisher: {quoted(DDE)}
    published: 2026-01-09
    url: https://example.org/a
entities:
  - name: {quoted(ENTITY_MARKUP)}
    kind: company
    names: {{en: {flow(NAMES["en"])}, ko: {flow(NAMES["ko"])}, zh: {flow(NAMES["zh"])}}}
  - name: {quoted(ENTITY_FORMULA)}
facts:
  - id: markup
    topic: trade
    statement: {quoted(MARKUP)}
    note: {quoted(CONTROLS)}
    entities: {flow([ENTITY_MARKUP])}
    items: {flow(ITEMS)}
    source: src-a
  - id: formula
    topic: trade
    statement: {quoted(FORMULA)}
    value: -5
    unit: USD
    qualifier: exact
    note: "@SUM(A1:A9)"
    entities: {flow([ENTITY_FORMULA])}
    source: src-a
"""

# The text as the program reads it back, field by field (JSON must give exactly this).
MARKUP_FACT = {
    "statement": MARKUP,
    "note": CONTROLS,
    "entities": [ENTITY_MARKUP],
    "items": ITEMS,
}
FORMULA_FACT = {"statement": FORMULA, "note": "@SUM(A1:A9)", "entities": [ENTITY_FORMULA], "display": "-$5"}

# Every listing command, run on the hostile file.
COMMANDS = {
    "facts": ["facts"],
    "show": ["show", "markup"],
    "search": ["search", "bold", "OR", "hyperlink"],
    "entities": ["entities"],
    "sources": ["sources", "--fields", "id,title,publisher"],
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    assert HOSTILE.isascii()  # every control and bidi character arrives through an escape
    return path


def run_all(path: Path, *commands: list[str], **env: str) -> list[Ran]:
    """Each command on ``path``, at once, through pipes; each must succeed quietly within the bounds."""
    runs = run_bounded(*[[*c, "--data", str(path)] for c in commands], cwd=path.parent, env=clean_env(**env))
    for ran in runs:
        ran.check_bounds()
        assert (ran.code, ran.stderr) == (0, b""), ran
    return runs


def test_the_file_is_valid_and_holds_what_it_should(hostile: Path) -> None:
    (validate,) = run_all(hostile, ["validate"])
    assert validate.stdout == f"{hostile}: ok, 2 facts, 1 source\n".encode()
    (as_json,) = run_all(hostile, ["facts", "--json"])
    markup, formula = json.loads(as_json.stdout)
    assert {k: markup[k] for k in MARKUP_FACT} == MARKUP_FACT
    assert {k: formula[k] for k in FORMULA_FACT} == FORMULA_FACT
    assert markup["source"]["title"] == formula["source"]["title"] == SOURCE_TITLE
    assert markup["source"]["publisher"] == DDE


# -- markup ------------------------------------------------------------------------------


MARKUP_SHOWN = {
    "facts": MARKUP.split(" "),  # the table wraps at spaces
    "show": [*MARKUP.split(" "), ENTITY_MARKUP, "[link=https://x.example]Title[/link]"],
    "search": MARKUP.split(" "),
    "entities": [ENTITY_MARKUP, "en: [bold]Bold Corp[/], +Plus"],
    "sources": ["[link=https://x.example]Title[/link]"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_markup_prints_as_typed_in_tables(hostile: Path, command: str) -> None:
    (ran,) = run_all(hostile, COMMANDS[command])
    shown = ran.stdout.decode("utf-8")
    for piece in MARKUP_SHOWN[command]:
        assert piece in shown, piece


@pytest.mark.parametrize("command", ["facts", "show", "search", "entities", "sources"])
def test_markup_and_escapes_on_a_colour_terminal(hostile: Path, command: str) -> None:
    """On a terminal the only escape sequences are kortrade's own colours; the data's are shown as text."""
    env = clean_env(TERM="xterm-256color")
    code, shown, stderr = run_on_tty(*COMMANDS[command], "--data", str(hostile), env=env)
    assert (code, stderr) == (0, b"")
    text = shown.decode("utf-8")
    assert "\x1b[" in text  # coloured: the check below is not vacuous
    plain = SGR.sub("", text)
    assert "\x1b" not in plain  # no hyperlinks (OSC 8), no clear-screen, no escapes from the data
    assert not UNSAFE.search(plain), repr(UNSAFE.search(plain))
    (piped,) = run_all(hostile, COMMANDS[command])
    # The same table as through a pipe, but for the colour codes and the padding they keep.
    assert [line.rstrip() for line in plain.splitlines()] == piped.stdout.decode("utf-8").splitlines()
    if command in ("facts", "show", "search"):
        assert "[bold]bold[/] closes [/] nothing" in plain
        assert "[link=https://x.example]link[/link]" in plain


def md_unescape(text: str) -> str:
    """CommonMark's reading of backslash escapes: a backslash before ASCII punctuation drops out."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


# -- controls and bidi -------------------------------------------------------------------------

# How the note shows in each human format: every control and bidi character as an escape.
NOTE_IN_TABLE = (
    r"esc \x1b[31mALERT\x1b[0m clear \x1b[2J osc \x1b]8;;https://evil.example\x1b\ cr \x0doverwritten "
    r"bell \x07 nul \x00 bs \x08 del \x7f csi \x9b31m nel \x85 rlo \u202eevil\u202c lri \u2066x\u2069 end"
)


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_controls_and_bidi_are_escaped_in_human_formats(hostile: Path, command: str, fmt: str) -> None:
    (ran,) = run_all(hostile, [*COMMANDS[command], "--format", fmt])
    shown = ran.stdout.decode("utf-8")
    found = UNSAFE.search(shown)
    assert found is None, f"raw {found.group()!r} in {fmt} output of {command}" if found else ""


def test_note_escapes_exactly_in_each_human_format(hostile: Path) -> None:
    table, csv_text, markdown = run_all(
        hostile,
        ["show", "markup", "--fields", "id,note"],
        ["show", "markup", "--fields", "id,note", "--format", "csv"],
        ["show", "markup", "--fields", "id,note", "--format", "markdown"],
    )
    # The table wraps the note at spaces: joined back, it is the escaped text.
    rows = table.stdout.decode("utf-8").splitlines()
    assert rows[0] == "  ID     markup"
    assert " ".join(row[9:] for row in rows[1:]) == NOTE_IN_TABLE
    assert list(csv.reader(io.StringIO(csv_text.stdout.decode("utf-8")))) == [["id", "note"], ["markup", NOTE_IN_TABLE]]
    md_rows = markdown.stdout.decode("utf-8").splitlines()[2:]
    assert [md_unescape(row) for row in md_rows] == ["| ID | markup |", f"| Note | {NOTE_IN_TABLE} |"]


@pytest.mark.parametrize(
    "command",
    [
        ["facts", "--json"],
        ["facts", "--format", "jsonl"],
        ["show", "markup", "--json"],
        ["search", "bold", "OR", "hyperlink", "--json"],
        ["entities", "--json"],
        ["sources", "--format", "jsonl"],
    ],
    ids=["facts-json", "facts-jsonl", "show-json", "search-json", "entities-json", "sources-jsonl"],
)
def test_json_keeps_the_text_exact_and_sends_no_control_bytes(hostile: Path, command: list[str]) -> None:
    (ran,) = run_all(hostile, command)
    text = ran.stdout.decode("utf-8")
    found = UNSAFE.search(text)
    assert found is None, repr(found.group()) if found else ""
    if "jsonl" in command:
        records = [json.loads(line) for line in text.splitlines()]
    else:
        loaded = json.loads(text)
        records = loaded if isinstance(loaded, list) else [loaded]
    by_key = {str(r.get("id") or r.get("name")): r for r in records}
    if command[0] in ("facts", "show", "search"):
        assert {k: by_key["markup"][k] for k in MARKUP_FACT} == MARKUP_FACT
    if command[0] in ("facts", "search"):
        assert {k: by_key["formula"][k] for k in FORMULA_FACT} == FORMULA_FACT
    if command[0] == "entities":
        assert by_key[ENTITY_MARKUP]["names"] == {
            "en": [ENTITY_MARKUP, *NAMES["en"]],
            "ko": NAMES["ko"],
            "zh": NAMES["zh"],
        }
    if command[0] == "sources":
        assert (by_key["src-a"]["title"], by_key["src-a"]["publisher"]) == (SOURCE_TITLE, DDE)


@pytest.mark.parametrize(
    "command",
    [
        ["cite", "markup", "formula"],
        ["brief"],
        ["brief", "--format", "json"],
        ["brief", "--format", "html"],
        ["export"],
        ["export", "--format", "jsonl"],
        ["export", "--format", "csv"],
    ],
    ids=["cite", "brief", "brief-json", "brief-html", "export-json", "export-jsonl", "export-csv"],
)
def test_other_outputs_send_no_raw_controls(hostile: Path, command: list[str]) -> None:
    (ran,) = run_all(hostile, command)
    text = ran.stdout.decode("utf-8")
    assert text
    found = UNSAFE.search(text)
    assert found is None, repr(found.group()) if found else ""


@pytest.mark.parametrize("name", ["hostile", "wide"])
def test_yaml_export_gives_back_every_string(name: str, hostile: Path, wide: Path, tmp_path: Path) -> None:
    """Nothing lost: the exported facts file holds exactly what the original holds."""
    original = hostile if name == "hostile" else wide
    (exported,) = run_all(original, ["export", "--format", "yaml"])
    copy = tmp_path / "exported.yaml"
    copy.write_bytes(exported.stdout)
    listings = [["facts", "--json"], ["sources", "--json"]]
    if name == "hostile":  # the wide file has no entities section
        listings.append(["entities", "--json"])
    before = run_all(original, *listings)
    after = run_all(copy, *listings)
    for listing, old, new in zip(listings, before, after, strict=True):
        assert json.loads(new.stdout) == json.loads(old.stdout), listing


# -- spreadsheets ----------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_rows(ran: Ran) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(ran.stdout.decode("utf-8"))))


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_csv_cells_never_start_like_a_formula(hostile: Path) -> None:
    runs = run_all(
        hostile,
        ["facts", "--format", "csv"],
        ["show", "formula", "--format", "csv"],
        ["search", "bold", "OR", "hyperlink", "--format", "csv", "--fields", "id,statement,display,note,items"],
        ["entities", "--format", "csv"],
        ["sources", "--format", "csv"],
        ["facts", "--format", "csv", "--fields", "id,entities,names"],
    )
    for ran in runs:
        for row in csv_rows(ran):
            for field, cell in row.items():
                if field == "value" and is_number(cell):
                    continue  # a number is a number, -5 included
                assert not cell.startswith(_FORMULA_START), (ran.args, field, cell)
    facts, show, search, entities, sources, names = (csv_rows(ran) for ran in runs)
    markup, formula = facts
    assert formula["statement"] == "'" + FORMULA
    assert (formula["value"], formula["display"], formula["note"]) == ("-5", "'-$5", "'@SUM(A1:A9)")
    assert formula["entities"] == "'" + ENTITY_FORMULA
    assert markup["items"] == r"'-2+3; +1;  TAB; \x0dCR; =1+1"
    # show adds these after the fact's fields: none here
    assert show == [{**formula, "corroboration": "", "official": ""}]
    assert sorted(r["id"] for r in search) == ["formula", "markup"]
    assert [r["statement"] for r in search if r["id"] == "formula"] == ["'" + FORMULA]
    assert [(r["name"], r["names"]) for r in entities] == [
        (ENTITY_MARKUP, r"en: [bold]Bold Corp[/], +Plus; ko: \u202e삼성; zh: @三星"),
        ("'" + ENTITY_FORMULA, "en: " + ENTITY_FORMULA),
    ]
    assert (sources[0]["title"], sources[0]["publisher"]) == (
        r"[link=https://x.example]Title[/link] \x1b]8;;https://evil.example\x1b\click",
        "'" + DDE,
    )
    assert names[1]["names"] == f"'{ENTITY_FORMULA} (en: {ENTITY_FORMULA})"


def test_formula_quote_is_for_csv_only(hostile: Path) -> None:
    as_json, markdown = run_all(
        hostile,
        ["show", "formula", "--json"],
        ["show", "formula", "--format", "markdown", "--fields", "statement,display"],
    )
    record = json.loads(as_json.stdout)
    assert (record["statement"], record["display"], record["value"]) == (FORMULA, "-$5", -5)
    md_rows = markdown.stdout.decode("utf-8").splitlines()[2:]
    assert [md_unescape(row) for row in md_rows] == [f"| Statement | {FORMULA} |", "| Figure | -$5 |"]


# -- wide and right-to-left scripts ----------------------------------------------------------------

WIDE = {
    "korean": "중국과 한국의 교역액은 2024년에 3,280억 8천만 달러에 달했으며 양국은 서로에게 가장 중요한 무역 상대국 중 하나이다.",  # noqa: E501
    "chinese": "2024年中韩双边贸易额达到3280.8亿美元，中国连续二十一年保持韩国最大贸易伙伴地位，韩国是中国第二大贸易伙伴国。",  # noqa: E501, RUF001
    "arabic": "بلغ حجم التجارة بين الصين وجمهورية كوريا 328 مليار دولار في عام 2024 وفقا للمصدر.",
    "hebrew": "היקף הסחר בין סין לקוריאה הגיע ל-328 מיליארד דולר בשנת 2024 לפי המקור.",  # noqa: RUF001
    "emoji": "Trade 🇨🇳🇰🇷 rose 📈 again 🚢🚢🚢 with 👨‍👩‍👧 families, 한국 中国 mixed " + "😀" * 40,
}
WIDE_FILE = (
    "version: 1\nsources:\n  - id: src-a\n    title: 한중 무역 中韩贸易\n    publisher: 연합\n"
    "    published: 2026-01-09\n    url: https://example.org/a\nfacts:\n"
    + "".join(
        f"  - id: {key}\n    topic: trade\n    statement: {quoted(text)}\n"
        + (
            "    value: 328080000000\n    unit: USD\n    qualifier: exact\n    period: 2024\n"
            if key == "korean"
            else ""
        )
        + "    source: src-a\n"
        for key, text in WIDE.items()
    )
)


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wide") / "wide.yaml"
    path.write_text(WIDE_FILE, encoding="utf-8")
    return path


def split_at_cells(line: str, offset: int) -> tuple[str, str]:
    """``line`` cut where ``offset`` display cells end; fails if a wide character straddles the cut."""
    for index in range(len(line) + 1):
        width = cell_len(line[:index])
        if width >= offset:
            assert width == offset, f"a character straddles column {offset}: {line!r}"
            return line[:index], line[index:]
    return line, ""


def statements_in_table(table: str, columns: int) -> dict[str, str]:
    """Check the table is a rectangle of aligned columns; return each fact's statement as shown, by id."""
    lines = table.splitlines()
    assert lines[:2] == ["trade", ""]
    header, rule = lines[2], lines[3]
    assert set(rule.strip()) == {"─"}
    width = cell_len(rule)
    assert width == columns - 1
    fact_column = cell_len(header[: header.index("Fact")])
    shown: dict[str, str] = {}
    pending: list[str] = []
    for line in lines[4:]:
        assert cell_len(line) <= width, f"{cell_len(line)} cells: {line!r}"
        before, text = split_at_cells(line, fact_column)
        assert cell_len(before) == fact_column, line
        if " · 연합, 2026-01-09" in text:
            shown[text.split(" · ")[0]] = " ".join(pending)
            pending = []
        else:
            pending.append(text)
    return shown


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("columns", [80, 60])
def test_wide_and_rtl_text_keeps_table_columns_aligned(wide: Path, columns: int) -> None:
    (ran,) = run_all(wide, ["facts"], COLUMNS=str(columns))
    shown = statements_in_table(ran.stdout.decode("utf-8"), columns)
    assert list(shown) == list(WIDE)
    for key, text in WIDE.items():
        # Wrapping only moves line breaks (and drops the spaces it breaks at): the text is whole.
        assert squeezed(shown[key]) == squeezed(text), key
        assert not UNSAFE.search(shown[key])  # no bidi marks added around right-to-left text


def test_wide_text_on_a_colour_terminal_is_the_same_table(wide: Path) -> None:
    code, shown, stderr = run_on_tty("facts", "--data", str(wide), env=clean_env(TERM="xterm-256color"))
    assert (code, stderr) == (0, b"")
    assert b"\x1b[" in shown
    plain = "\n".join(line.rstrip() for line in SGR.sub("", shown.decode("utf-8")).splitlines())
    (piped,) = run_all(wide, ["facts"], COLUMNS="80")
    assert plain + "\n" == piped.stdout.decode("utf-8")
    assert squeezed(statements_in_table(plain, 80)["emoji"]) == squeezed(WIDE["emoji"])


@pytest.mark.parametrize("key", list(WIDE))
def test_wide_text_in_show_and_every_machine_format(wide: Path, key: str) -> None:
    show, as_json, as_csv, markdown = run_all(
        wide,
        ["show", key],
        ["show", key, "--json"],
        ["show", key, "--format", "csv", "--fields", "id,statement"],
        ["show", key, "--format", "markdown", "--fields", "statement"],
        COLUMNS="80",
    )
    value_column = cell_len("  Statement   ")
    rows: dict[str, list[str]] = {}
    label = ""
    for line in show.stdout.decode("utf-8").splitlines():
        assert cell_len(line) <= 80
        before, text = split_at_cells(line, value_column)
        assert cell_len(before) == value_column, line
        label = before.strip() or label
        rows.setdefault(label, []).append(text)
    assert rows["ID"] == [key]
    assert squeezed(" ".join(rows["Statement"])) == squeezed(WIDE[key])
    assert rows["Source"] == ["한중 무역 中韩贸易", "연합, 2026-01-09", "https://example.org/a"]
    assert json.loads(as_json.stdout)["statement"] == WIDE[key]
    assert list(csv.reader(io.StringIO(as_csv.stdout.decode("utf-8")))) == [["id", "statement"], [key, WIDE[key]]]
    assert [md_unescape(r) for r in markdown.stdout.decode("utf-8").splitlines()[2:]] == [
        f"| Statement | {WIDE[key]} |"
    ]
