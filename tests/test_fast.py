"""The start-up shortcut (kortrade.fast) must answer exactly as the Typer CLI does, or not at all."""

from __future__ import annotations

from typing import Any

import pytest
import typer.core
import typer.main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kortrade import fast
from kortrade.cli import app
from support.paths import CLASSIC, SHIPPED

runner = CliRunner()

# Without --data, both paths read the classic file (KORTRADE_DATA): the lines below, and which of
# them find nothing ("facts -e Japan"), are written for it. test_shipped compares them on the shipped file.
pytestmark = pytest.mark.usefixtures("classic_data")

# Command lines the shortcut must take on (and answer as Typer does).
PLAIN = [
    ["facts"],
    ["facts", "trade"],
    ["facts", "TRADE", "--json"],
    ["facts", "--format", "csv"],
    ["facts", "-f", "JSONL", "--fields", "id,display"],
    ["facts", "--format=markdown", "--year", "2024"],
    ["facts", "-e", "삼성", "--json"],
    ["facts", "--entity=south korea", "-n", "2", "--fields=id"],
    ["facts", "--tag", "company", "-y", "2024", "--no-color"],
    ["facts", "-t", "supply-chain", "--fields", "id"],
    ["facts", "visit", "--limit", "3", "--fields", "id,names", "--json"],
    ["show", "trade-volume-2024"],
    ["show", "TRADE-VOLUME-2024", "--json"],
    ["show", "lee-visit-concluded", "-f", "csv"],
    ["show", "--fields", "id,statement", "samsung-exports-value-2024"],
    ["search", "battery"],
    ["search", "china", "--fields", "id"],
    ["search", "new", "energy", "--json"],
    ["search", '"new energy"', "-f", "jsonl"],
    ["search", "semi*", "--topic", "industry", "--fields", "id"],
    ["search", "삼성", "-n", "0", "--format", "csv"],
    ["search", "三星 OR 이재명", "--limit=1"],
    ["search", "trade", "2024", "--fields", "id"],
    ["search", "trade", "--year", "2015-2025", "-f", "csv"],
    ["search", "china", "--from", "2024", "--to=2026", "--json"],
    ["search", "visit", "-y", "2026", "--fields", "id"],
    ["facts", "--year", "2024-2026", "--fields", "id"],
    ["facts", "--from", "2025", "-f", "csv"],
    ["timeline", "--to", "2000", "--fields", "id,period"],
    ["timeline", "-y", "2024-2025", "--json"],
    ["timeline"],
    ["timeline", "--topic", "visit"],
    ["timeline", "--topic=TRADE", "--json", "--fields", "id,period"],
    ["timeline", "-f", "csv", "--no-color"],
    ["timeline", "--fields", "id,names", "-f", "jsonl"],
    ["export"],
    ["export", "--format", "csv"],
    ["export", "-f", "YAML"],
    ["export", "--format=bibtex"],
    ["export", "-f", "jsonl", "--data", str(CLASSIC)],
    ["series", "--data", str(SHIPPED)],
    ["series", "trade", "balance", "--from", "2015", "--to", "2025", "-f", "csv", "--data", str(SHIPPED)],
    ["series", "exports", "-M", "--from=2024-11", "--basis", "korea", "--json", "--data", str(SHIPPED)],
    ["series", "--to", "2000", "-b", "china", "--fields", "period,value", "--data", str(SHIPPED)],
    ["series", "china-share-of-rok-trade", "--format", "markdown", "--data", str(SHIPPED)],
    ["series", "balance", "--chart", "--from", "2020", "--data", str(SHIPPED)],
]
# Command lines it must leave to Typer: help, mistakes, odd spellings, empty results.
NOT_MINE = [
    [],
    ["--help"],
    ["--version"],
    ["facts", "--help"],
    ["facts", "-h"],
    ["topics"],
    ["--no-color", "facts"],
    ["facts", "--debug"],
    ["facts", "tariffs"],
    ["facts", "trade", "visit"],
    ["facts", "--limit", "0"],
    ["facts", "--limit", "-1"],
    ["facts", "--limit", "x"],
    ["facts", "--year", "10000"],
    ["facts", "--year", "2025-2015"],
    ["facts", "--year", "2024", "--from", "2015"],
    ["facts", "--from", "2025", "--to", "2015"],
    ["search", "trade", "--year", "x"],
    ["search", "trade", "--basis", "japan"],
    ["search", "--answer", "battery"],
    ["search", "visit", "--basis", "korea"],
    ["timeline", "--year", "2031"],
    ["facts", "-n5"],
    ["facts", "--json", "--format", "csv"],
    ["facts", "--format", "xml"],
    ["facts", "--fields", "nope"],
    ["facts", "--json", "--json"],
    ["facts", "--json=1"],
    ["facts", "--entity"],
    ["facts", "--entity", "-x"],
    ["facts", "--", "trade"],
    ["facts", "-e", "Japan"],
    ["show"],
    ["show", "nope"],
    ["show", "a", "b"],
    ["search"],
    ["search", "zzzzqx"],
    ["search", "NOT", "x"],
    ["search", '"open'],
    ["search", "x", "--limit", "-1"],
    ["facts", "--data", "/no/such/file.yaml"],
    ["timeline", "visit"],
    ["timeline", "--topic", "nope"],
    ["timeline", "--limit", "2"],
    ["timeline", "-t", "visit"],
    ["export", "--json"],
    ["export", "--fields", "id"],
    ["export", "--output", "x.json"],
    ["export", "--sqlite", "x.db"],
    ["export", "--format", "xml"],
    ["export", "--format", "table"],
    ["export", "--force"],
    ["export", "trade"],
    ["series"],
    ["series", "gdp", "--data", str(SHIPPED)],
    ["series", "--from", "2015-03", "--data", str(SHIPPED)],
    ["series", "--basis", "korea", "--basis", "china", "--data", str(SHIPPED)],
    ["series", "--monthly=1", "--data", str(SHIPPED)],
    ["series", "--chart", "--json", "--data", str(SHIPPED)],
    ["series", "--from", "1800", "--to", "1801", "--data", str(SHIPPED)],
]


def typer_run(argv: list[str]) -> tuple[int, str]:
    result = runner.invoke(app, argv)
    return result.exit_code, result.stdout


def typer_run_both(argv: list[str]) -> tuple[int, str, str]:
    result = runner.invoke(app, argv)
    return result.exit_code, result.stdout, result.stderr


def fast_run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int | None, str, str]:
    capsys.readouterr()
    code = fast.run(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("argv", PLAIN, ids=" ".join)
def test_plain_lookups_are_answered_as_typer_answers(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = fast_run(argv, capsys)
    assert code == 0
    assert err == ""
    assert (code, out) == typer_run(argv)


@pytest.mark.parametrize("argv", NOT_MINE, ids=lambda a: " ".join(a) or "(none)")
def test_everything_else_is_left_to_typer_with_nothing_written(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert fast_run(argv, capsys) == (None, "", "")


def test_the_environment_switch_turns_it_off(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(fast.NO_FAST_ENV, "1")
    assert fast_run(["facts"], capsys) == (None, "", "")


def test_kortrade_data_is_read_like_typer_reads_it(
    monkeypatch: pytest.MonkeyPatch, minimal: object, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KORTRADE_DATA", str(minimal))
    code, out, _ = fast_run(["facts", "--fields", "id"], capsys)
    assert code == 0
    assert [line.strip() for line in out.splitlines()][-2:] == ["fact-one", "fact-two"]
    assert (code, out) == typer_run(["facts", "--fields", "id"])


WORDS = st.sampled_from(
    [
        "trade",
        "visit",
        "battery",
        "china",
        "삼성",
        "三星",
        "semi*",
        "NOT",
        "OR",
        '"new energy"',
        "zz",
        "x y",
        "-x",
        "--",
        "",
    ]
)
OPTIONS = st.sampled_from(
    [
        ["--json"],
        ["--no-color"],
        ["--format", "csv"],
        ["-f", "markdown"],
        ["--format=jsonl"],
        ["--format", "bad"],
        ["--fields", "id"],
        ["--fields=id,names"],
        ["--fields", "nope"],
        ["--limit", "2"],
        ["-n", "0"],
        ["--limit=x"],
        ["--year", "2024"],
        ["--year", "2015-2025"],
        ["--year", "2025-2015"],
        ["--from", "2024"],
        ["--to=2020"],
        ["--answer"],
        ["--basis", "china"],
        ["-y", "0"],
        ["--entity", "china"],
        ["-e", "중국"],
        ["--tag", "company"],
        ["-t", "nope"],
        ["--measure", "bilateral-trade"],
        ["-m", "nope"],
        ["--topic", "trade"],
        ["--topic", "nope"],
        ["--help"],
        ["--data", "/no/such.yaml"],
        ["--format", "yaml"],
        ["-f", "ris"],
        ["--output", "out.json"],
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    command=st.sampled_from(["facts", "show", "search", "timeline", "export"]),
    words=st.lists(st.one_of(WORDS, st.sampled_from(["trade-volume-2024", "samsung-largest-market"])), max_size=3),
    options=st.lists(OPTIONS, max_size=3),
    order=st.randoms(use_true_random=False),
)
def test_any_command_line_gets_typer_s_answer_or_none(
    command: str,
    words: list[str],
    options: list[list[str]],
    order: object,
    capsys: pytest.CaptureFixture[str],
) -> None:
    parts: list[list[str]] = [[w] for w in words] + options
    order.shuffle(parts)  # type: ignore[attr-defined]
    argv = [command, *(a for part in parts for a in part)]
    code, out, err = fast_run(argv, capsys)
    if code is None:
        assert (out, err) == ("", "")
    else:
        # stderr holds at most the note that a search's matches are partial, as Typer writes it.
        assert (code, out, err) == typer_run_both(argv)


def imported_modules(*argv: str) -> set[str]:
    """Top-level modules a real ``python -m kortrade`` run imports (from -X importtime)."""
    import subprocess
    import sys

    command = [sys.executable, "-X", "importtime", "-m", "kortrade", *argv]
    subprocess.run(command, capture_output=True, check=True)  # builds the index if need be
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    names = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize(
    "argv",
    [("facts", "--format", "json"), ("show", "trade-volume-2024", "--json"), ("search", "battery", "--json")],
    ids=" ".join,
)
def test_a_warm_json_lookup_loads_neither_typer_nor_yaml_nor_rich(argv: tuple[str, ...]) -> None:
    modules = imported_modules(*argv)
    assert "kortrade" in modules
    assert modules.isdisjoint({"typer", "click", "yaml", "rich", "hashlib", "tempfile"})


class _Flushes:
    """A stdout that remembers how much had been written at each flush."""

    def __init__(self) -> None:
        self.text = ""
        self.flushed: list[int] = []

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        self.flushed.append(len(self.text))

    def isatty(self) -> bool:
        return False


def test_a_long_table_is_drawn_to_the_reader_as_it_goes(monkeypatch: pytest.MonkeyPatch) -> None:
    from support.paths import SHIPPED

    monkeypatch.setenv("KORTRADE_DATA", str(SHIPPED))
    monkeypatch.setenv("COLUMNS", "80")
    out = _Flushes()
    monkeypatch.setattr("sys.stdout", out)
    assert fast.run(["facts"]) == 0
    # Written in pieces, not all at the end: a pager shows the first screen at once.
    pieces = [n for n in out.flushed if 0 < n < len(out.text)]
    assert len(pieces) >= 10
    assert out.text == typer_run(["facts"])[1]


# -- the shortcut's options are the Typer commands' options --------------------------------

# Flags that stand before or after any command: the shortcut takes two and leaves --debug to Typer.
GLOBAL = {"--data", "--no-color", "--no-pager"}


def _typer_command(name: str) -> Any:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    command = group.commands[name]
    assert command is not None
    return command


@pytest.mark.parametrize("name", sorted(fast._OPTIONS))
def test_the_shortcut_takes_every_option_typer_takes_and_no_other(name: str) -> None:
    command = _typer_command(name)
    options = {
        spelling: param
        for param in command.params
        if isinstance(param, typer.core.TyperOption) and spelling_of_use(param)
        for spelling in [*param.opts, *param.secondary_opts]
    }
    mine = fast._OPTIONS[name]
    left = fast.LEFT_TO_TYPER.get(name, frozenset())
    assert set(mine) - GLOBAL == set(options) - left - {"--data"}
    assert set(mine) >= GLOBAL
    for spelling, (setting, parse_value) in mine.items():
        if spelling in GLOBAL - {"--data"}:
            continue
        param = options[spelling]
        assert (setting, parse_value is None) == (param.name, param.is_flag), spelling
        low = getattr(param.type, "min", None)  # an IntRange: the same least value
        if low is not None and parse_value is not None:
            assert parse_value(str(low)) == low
            with pytest.raises(ValueError, match=str(low - 1)):
                parse_value(str(low - 1))
        if hasattr(param.type, "choices") and parse_value is not None:
            for choice in param.type.choices:
                parse_value(str(choice))  # each of Typer's choices parses
                parse_value(str(choice).upper())  # in any case, as Typer's case_sensitive=False


def spelling_of_use(param: typer.core.TyperOption) -> bool:
    return not param.hidden and param.name not in {"help"}


@pytest.mark.parametrize("name", sorted(fast._OPTIONS))
def test_the_shortcut_takes_as_many_arguments_as_typer(name: str) -> None:
    arguments = [p for p in _typer_command(name).params if isinstance(p, typer.core.TyperArgument)]
    low = sum(1 for p in arguments if p.required)
    high = None if any(p.nargs == -1 for p in arguments) else sum(p.nargs for p in arguments)
    low = max(low, 1) if any(p.nargs == -1 and p.required for p in arguments) else low
    assert fast._ARITY[name] == (low, high)
