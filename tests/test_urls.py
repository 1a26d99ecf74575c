"""URLs on a terminal are never cut: one unbroken line, an OSC 8 hyperlink where the terminal shows them."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pytest

from kortrade.render import Format, Links, View, render
from kortrade.terminal import hyperlink, shows_hyperlinks
from support.facts import SOURCES, WriteFacts
from support.pty_run import clean_env, run_on_pty

KORTRADE = [sys.executable, "-m", "kortrade"]
URL = json.loads(
    subprocess.run([*KORTRADE, "show", "trade-volume-2024", "--json"], capture_output=True, check=True).stdout
)["source"]["url"]
OSC8 = b"\x1b]8;"
# Each command shows the shipped source's URL, on a terminal.
COMMANDS = {
    "show": ["show", "trade-volume-2024"],
    "brief": ["brief", "--topic", "agreements"],
    "cite": ["cite", "trade-volume-2024", "--style", "apa"],
    "cite-markdown": ["cite", "trade-volume-2024", "--style", "markdown"],
}


def on_terminal(args: list[str], columns: int, **extra: str) -> bytes:
    code, shown, stderr = run_on_pty([*KORTRADE, *args], env=clean_env(TERM="xterm-256color", **extra), columns=columns)
    assert (code, stderr) == (0, b""), stderr
    return shown


@pytest.mark.parametrize("columns", [60, 80])
@pytest.mark.parametrize("command", COMMANDS, ids=str)
def test_url_is_one_unbroken_line_without_hyperlinks(command: str, columns: int) -> None:
    assert len(URL) > columns  # else there would be nothing to cut
    shown = on_terminal(COMMANDS[command], columns)
    assert URL.encode() in shown
    assert OSC8 not in shown


@pytest.mark.parametrize("columns", [60, 80])
@pytest.mark.parametrize("command", COMMANDS, ids=str)
def test_url_is_a_hyperlink_where_the_terminal_shows_them(command: str, columns: int) -> None:
    shown = on_terminal(COMMANDS[command], columns, VTE_VERSION="7600")
    link = b"\x1b]8;;" + URL.encode() + b"\x1b\\" + URL.encode() + b"\x1b]8;;\x1b\\"
    assert link in shown
    # Every link, this one and any other source's, opens, shows its own URL and closes.
    whole_links = re.findall(rb"\x1b\]8;;([!-~]+)\x1b\\\1\x1b\]8;;\x1b\\", shown)
    assert shown.count(OSC8) == 2 * len(whole_links)


@pytest.mark.parametrize("command", COMMANDS, ids=str)
def test_no_hyperlinks_without_colour(command: str) -> None:
    shown = on_terminal([*COMMANDS[command], "--no-color"], 60, VTE_VERSION="7600")
    assert URL.encode() in shown
    assert b"\x1b" not in shown


@pytest.mark.parametrize("command", COMMANDS, ids=str)
def test_pipes_get_no_hyperlinks(command: str) -> None:
    env = clean_env(VTE_VERSION="7600", TERM="xterm-256color", COLUMNS="60")
    done = subprocess.run([*KORTRADE, *COMMANDS[command]], capture_output=True, env=env, check=True)
    assert b"\x1b" not in done.stdout
    assert URL.encode() in done.stdout or f"<{URL}>".encode() in done.stdout


def test_show_keeps_the_url_on_its_own_line_under_the_source() -> None:
    lines = on_terminal([*COMMANDS["show"], "--no-color"], 60).decode().splitlines()
    (url_line,) = [line for line in lines if URL in line]
    assert url_line.strip() == URL
    source = next(i for i, line in enumerate(lines) if line.lstrip().startswith("Source"))
    assert url_line.index(URL) == lines[source].index("Charting")  # in the value column
    assert all(len(line) <= 60 for line in lines if URL not in line)  # the rest fits the terminal


def test_hostile_url_text_never_reaches_the_terminal_as_control(write_facts: WriteFacts) -> None:
    hostile = SOURCES.replace("https://example.org/a", '"https://example.org/\\e]8;;x"')
    bad = write_facts(hostile + "facts: []\n", "b.yaml")
    done = subprocess.run([*KORTRADE, "validate", str(bad)], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "'url' must start with http:// or https://" in done.stderr


# -- the pieces ------------------------------------------------------------------------------------


def table(records: list[dict[str, object]], fields: tuple[str, ...], *, colour: bool = False) -> str:
    out = io.StringIO()
    render(View(records=records, fields=fields, summary=fields), Format.table, out, colour=colour)
    return out.getvalue()


@pytest.mark.parametrize("columns", [40, 60, 80, 200])
def test_list_table_url_column_never_cuts(monkeypatch: pytest.MonkeyPatch, columns: int) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    records: list[dict[str, object]] = [
        {"id": "long", "url": URL, "published": "2026-01-09"},
        {"id": "short", "url": "https://e.org/x", "published": "2026-01-10"},
    ]
    text = table(records, ("id", "url", "published"))
    lines = text.splitlines()
    long_line, short_line = (next(line for line in lines if line.lstrip().startswith(str(r["id"]))) for r in records)
    assert f" {URL} " in long_line
    assert long_line.endswith("2026-01-09")
    assert " https://e.org/x " in short_line
    if columns >= len(URL) + 40:  # room for it: the columns stay aligned
        assert long_line.rindex("2026-01-09") == short_line.rindex("2026-01-10")


@pytest.mark.parametrize("columns", [40, 60, 80])
def test_a_url_column_beside_long_ids_and_titles_keeps_every_column(
    monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    # Long ids took the room that wide columns share, leaving a URL column too narrow for its
    # token: it showed as a few hex digits, and the title as one letter a line.
    monkeypatch.setenv("COLUMNS", str(columns))
    records: list[dict[str, object]] = [
        {"id": f"a-long-source-id-of-a-page-{n}-2026-01-09-more-words", "url": f"{URL}{n}", "title": "A title of words"}
        for n in range(3)
    ]
    lines = table(records, ("id", "url", "title")).splitlines()
    assert [line.count(URL) for line in lines].count(1) == 3
    first = next(line for line in lines if URL in line)
    assert first.endswith(("A title", "A title of", "A"))  # the title column is there, and readable
    assert "Title" in lines[0]


def test_data_that_looks_like_a_token_is_left_alone() -> None:
    links = Links(hyperlinks=False)
    token = links.token("https://e.org/")
    other = Links(hyperlinks=False).token("https://x.org/")
    assert links.restore(f"{token} {other} 0x1x") == f"https://e.org/ {other} 0x1x"


def test_hyperlink_refuses_what_is_not_a_plain_url() -> None:
    assert hyperlink("https://e.org/\x1b]8;;evil") == "https://e.org/\\x1b]8;;evil"
    assert hyperlink("https://e.org/a") == "\x1b]8;;https://e.org/a\x1b\\https://e.org/a\x1b]8;;\x1b\\"


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("env", "shown"),
    [
        ({}, False),
        ({"VTE_VERSION": "7600"}, True),
        ({"VTE_VERSION": "4000"}, False),
        ({"TERM_PROGRAM": "iTerm.app"}, True),
        ({"TERM_PROGRAM": "WezTerm"}, True),
        ({"WT_SESSION": "x"}, True),
        ({"TERM": "xterm-kitty"}, True),
        ({"TERM": "linux", "VTE_VERSION": "7600"}, False),
        ({"TERM_PROGRAM": "tmux", "VTE_VERSION": "7600"}, False),
        ({"FORCE_HYPERLINK": "1"}, True),
        ({"FORCE_HYPERLINK": "0", "VTE_VERSION": "7600"}, False),
    ],
)
def test_which_terminals_show_hyperlinks(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], shown: bool) -> None:
    for key in ("VTE_VERSION", "TERM_PROGRAM", "WT_SESSION", "KONSOLE_VERSION", "KITTY_WINDOW_ID", "DOMTERM"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.delenv("FORCE_HYPERLINK", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert shows_hyperlinks(Tty()) is shown
    assert shows_hyperlinks(io.StringIO()) is (env.get("FORCE_HYPERLINK") == "1")
