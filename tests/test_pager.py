"""Long output on a terminal goes through a pager (KORTRADE_PAGER, PAGER, less -FRX), never anywhere else."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kortrade.pager import asks_no_pager, exit_code, pager_command
from support.programs import need_program
from support.pty_run import clean_env, run_on_pty
from support.terminal_run import run_on_terminal

KORTRADE = [sys.executable, "-m", "kortrade"]

RECORDER = """\
import json, os, sys
data = sys.stdin.buffer.read()
with open(os.environ["PAGER_RECORD"], "w", encoding="utf-8") as out:
    json.dump({"argv": sys.argv[1:], "less": os.environ.get("LESS"), "text": data.decode("utf-8")}, out)
"""


@pytest.fixture
def recorder(tmp_path: Path) -> Path:
    """A pager that shows nothing and writes what it was given (and how it was run) to a file."""
    script = tmp_path / "bin" / "recorder"
    script.parent.mkdir()
    script.write_text(f"#!{sys.executable}\n{RECORDER}", encoding="utf-8")
    script.chmod(0o755)
    return script


def recorded(tmp_path: Path) -> dict[str, object] | None:
    record = tmp_path / "record.json"
    if not record.exists():
        return None
    value = json.loads(record.read_text(encoding="utf-8"))
    assert isinstance(value, dict)
    return value


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    return clean_env(TERM="xterm-256color", PAGER_RECORD=str(tmp_path / "record.json"), **extra)


# -- which pager -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "command"),
    [
        ({"TERM": "xterm"}, ["less", "-FRX"]),
        ({"TERM": "xterm", "PAGER": "more"}, ["more"]),
        ({"TERM": "xterm", "PAGER": "more", "KORTRADE_PAGER": "less -S"}, ["less", "-S"]),
        ({"TERM": "xterm", "PAGER": "more", "KORTRADE_PAGER": ""}, None),
        ({"TERM": "xterm", "PAGER": "cat"}, None),
        ({"TERM": "xterm", "PAGER": "  "}, None),
        ({"TERM": "xterm", "KORTRADE_PAGER": "'/opt/my pager' -r"}, ["/opt/my pager", "-r"]),
        ({"TERM": "xterm", "KORTRADE_PAGER": "'unclosed"}, None),
        ({"TERM": "dumb"}, None),
        ({}, None),
        ({"TERM": "dumb", "PAGER": "less"}, ["less"]),
    ],
)
def test_pager_command(env: dict[str, str], command: list[str] | None) -> None:
    assert pager_command(env) == command


def test_no_pager_flag_stands_anywhere_before_double_dash() -> None:
    assert asks_no_pager(["--no-pager", "facts"])
    assert asks_no_pager(["facts", "trade", "--no-pager"])
    assert not asks_no_pager(["facts", "--", "--no-pager"])
    assert not asks_no_pager(["facts"])


def test_a_pager_left_early_is_not_an_error() -> None:
    assert exit_code(None, 141) == 141


# -- on a person's terminal --------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["facts"], ["facts", "--debug"], ["--no-color", "topics"]], ids=str)
def test_output_on_the_terminal_goes_to_the_pager(tmp_path: Path, recorder: Path, args: list[str]) -> None:
    code, shown, stderr = run_on_terminal([*KORTRADE, *args], env=env_for(tmp_path, KORTRADE_PAGER=str(recorder)))
    assert (code, stderr) == (0, b"")
    assert shown == b""  # the pager shows it, and this one shows nothing
    record = recorded(tmp_path)
    assert record is not None
    assert record["argv"] == []
    assert record["less"] == "FRX"  # set for a less the user starts without options, as git does
    direct = subprocess.run([*KORTRADE, *args], capture_output=True, text=True, env=clean_env(), check=True).stdout
    text = str(record["text"])
    assert ("\x1b[" in text) is ("--no-color" not in args)  # colours as for the terminal
    assert "agreements" in text
    assert len(text.splitlines()) == len(direct.splitlines())


def test_pager_falls_back_from_kortrade_pager_to_pager(tmp_path: Path, recorder: Path) -> None:
    code, _, _ = run_on_terminal([*KORTRADE, "topics"], env=env_for(tmp_path, PAGER=f"{recorder} --from-pager"))
    assert code == 0
    record = recorded(tmp_path)
    assert record is not None
    assert record["argv"] == ["--from-pager"]


def test_default_pager_is_less_frx(tmp_path: Path, recorder: Path) -> None:
    (recorder.parent / "less").symlink_to(recorder)
    env = env_for(tmp_path, PATH=f"{recorder.parent}:/usr/bin:/bin")
    code, _, stderr = run_on_terminal([*KORTRADE, "topics"], env=env)
    assert (code, stderr) == (0, b"")
    record = recorded(tmp_path)
    assert record is not None
    assert record["argv"] == ["-FRX"]


@pytest.mark.parametrize(
    "setting",
    [{"KORTRADE_PAGER": "cat"}, {"KORTRADE_PAGER": ""}, {"PAGER": "cat"}, {"TERM": "dumb"}],
    ids=str,
)
def test_no_pager_when_asked_for_none(tmp_path: Path, recorder: Path, setting: dict[str, str]) -> None:
    env = env_for(tmp_path, PATH=f"{recorder.parent}:/usr/bin:/bin")
    (recorder.parent / "less").symlink_to(recorder)
    code, shown, _ = run_on_terminal([*KORTRADE, "topics"], env={**env, **setting})
    assert code == 0
    assert b"agreements" in shown
    assert recorded(tmp_path) is None


@pytest.mark.parametrize("args", [["--no-pager", "facts"], ["facts", "--no-pager"], ["topics", "--no-pager"]], ids=str)
def test_no_pager_option(tmp_path: Path, recorder: Path, args: list[str]) -> None:
    code, shown, stderr = run_on_terminal([*KORTRADE, *args], env=env_for(tmp_path, KORTRADE_PAGER=str(recorder)))
    assert (code, stderr) == (0, b"")
    assert b"agreements" in shown
    assert recorded(tmp_path) is None


def test_an_error_starts_no_pager(tmp_path: Path, recorder: Path) -> None:
    env = env_for(tmp_path, KORTRADE_PAGER=str(recorder))
    code, _, stderr = run_on_terminal([*KORTRADE, "show", "nope"], env=env)
    assert code == 1
    assert stderr.startswith(b"kortrade: ")
    assert recorded(tmp_path) is None


def test_a_missing_pager_prints_to_the_terminal_quietly(tmp_path: Path) -> None:
    env = env_for(tmp_path, KORTRADE_PAGER=str(tmp_path / "no-such-pager"))
    code, shown, stderr = run_on_terminal([*KORTRADE, "facts", "trade"], env=env)
    assert (code, stderr) == (0, b"")
    assert b"trade-volume-2024" in shown


@pytest.mark.parametrize("pager", ["true", "head -c 10"], ids=["reads-nothing", "reads-a-little"])
def test_a_pager_that_exits_early_ends_quietly(tmp_path: Path, pager: str) -> None:
    # Enough output that the pager is gone while kortrade is still writing.
    code, _, stderr = run_on_terminal(
        [*KORTRADE, "export", "--format", "jsonl", "--no-color"], env=env_for(tmp_path, KORTRADE_PAGER=pager)
    )
    assert (code, stderr) == (0, b"")
    code, _, stderr = run_on_terminal([*KORTRADE, "facts"], env=env_for(tmp_path, KORTRADE_PAGER=pager))
    assert (code, stderr) == (0, b"")


def test_real_less_pages_long_output_until_q(tmp_path: Path) -> None:
    need_program(("less",), "less", "the pager tests")
    code, shown, stderr = run_on_terminal([*KORTRADE, "facts"], env=env_for(tmp_path), rows=24, keys=b"q")
    assert (code, stderr) == (0, b"")
    assert b"trade" in shown[:300]  # the first screen, then less's prompt, then q
    assert b"\n:" in shown
    assert b"cooperation-documents-signed" not in shown  # the last facts were never shown


def test_real_less_prints_short_output_and_exits(tmp_path: Path) -> None:
    need_program(("less",), "less", "the pager tests")
    code, shown, stderr = run_on_terminal([*KORTRADE, "topics"], env=env_for(tmp_path), rows=40)
    assert (code, stderr) == (0, b"")
    assert b"agreements" in shown


# -- never anywhere else ---------------------------------------------------------------------------------


def test_never_into_a_pipe(tmp_path: Path, recorder: Path) -> None:
    done = subprocess.run(
        [*KORTRADE, "facts"], capture_output=True, env=env_for(tmp_path, KORTRADE_PAGER=str(recorder)), check=False
    )
    assert done.returncode == 0
    assert b"agreements" in done.stdout
    assert b"\x1b" not in done.stdout
    assert recorded(tmp_path) is None


def test_never_on_a_terminal_that_is_not_the_controlling_one(tmp_path: Path, recorder: Path) -> None:
    code, shown, _ = run_on_pty([*KORTRADE, "topics"], env=env_for(tmp_path, KORTRADE_PAGER=str(recorder)))
    assert code == 0
    assert b"agreements" in shown
    assert recorded(tmp_path) is None


def test_never_during_shell_completion(tmp_path: Path, recorder: Path) -> None:
    env = env_for(
        tmp_path,
        KORTRADE_PAGER=str(recorder),
        _KORTRADE_COMPLETE="complete_bash",
        COMP_WORDS="kortrade show trade-v",
        COMP_CWORD="2",
    )
    code, shown, _ = run_on_terminal([*KORTRADE], env=env)
    assert code == 0
    assert b"trade-volume-2024" in shown
    assert recorded(tmp_path) is None
