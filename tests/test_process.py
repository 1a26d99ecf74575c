"""The installed ``kortrade`` program as a real process: pipes, terminals, locale, cwd."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kortrade import __version__
from support.facts import WriteFacts, plain_yaml
from support.paths import CLASSIC, SHIPPED
from support.pty_run import clean_env, run_on_pty

FORMATS = ("table", "json", "jsonl", "csv", "markdown")
UNKNOWN_TOPIC = (
    b"kortrade: unknown topic 'bogus'; topics are: "
    b"trade, relations, partnerships, visit, cooperation, industry, agreements\n"
)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def classic_env(**extra: str) -> dict[str, str]:
    """A clean environment in which kortrade reads the classic 25-fact file, whose output these tests know."""
    return clean_env(KORTRADE_DATA=str(CLASSIC), **extra)


def run(
    exe: Path, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run kortrade; on the classic file unless ``env`` says otherwise."""
    return subprocess.run(
        [str(exe), *args],
        capture_output=True,
        env=classic_env() if env is None else env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def big_facts_file(write_facts: WriteFacts, count: int = 3000) -> Path:
    """A valid facts file whose output in any format is far larger than a pipe's buffer."""
    lines = [
        "version: 1",
        "sources:",
        "  - id: src-a",
        "    title: A source",
        "    publisher: Pub",
        "    published: 2026-01-09",
        "    url: https://example.org/a",
        "facts:",
    ]
    for i in range(count):
        lines += [
            f"  - id: fact-{i:04d}",
            f"    topic: topic-{i % 7}",
            f"    statement: Statement number {i} on trade between China and the Republic of Korea.",
            f"    value: {1_000_000 + i}",
            "    unit: USD",
            "    qualifier: about",
            "    period: 2024",
            "    entities: [China, Republic of Korea]",
            "    tags: [trade-volume]",
            "    source: src-a",
        ]
    return write_facts("\n".join(lines) + "\n", "big.yaml")


def run_on_tty(exe: Path, *args: str, env: dict[str, str]) -> tuple[int, bytes]:
    """Run with stdout on a pseudo-terminal of 80x24; return the exit code and what it showed."""
    code, shown, stderr = run_on_pty([str(exe), *args], env=env)
    assert stderr == b""
    return code, shown


# -- colour ----------------------------------------------------------------------------


def test_pipe_gets_no_escape_bytes(exe: Path) -> None:
    result = run(exe, "facts")
    assert result.returncode == 0
    assert result.stderr == b""
    assert result.stdout.startswith(b"trade\n\n")
    assert b"trade-volume-2024 \xc2\xb7 CGTN, 2026-01-09\n" in result.stdout
    assert b"\x1b" not in result.stdout


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["facts"], {"NO_COLOR": "1"}),
        (["facts"], {"TERM": "dumb"}),
        (["facts", "--no-color"], {}),
        (["--no-color", "facts"], {}),
    ],
)
def test_no_colour_even_when_forced(exe: Path, args: list[str], env: dict[str, str]) -> None:
    # FORCE_COLOR loses to NO_COLOR and --no-color; TERM=dumb alone means no colour.
    forced = {"FORCE_COLOR": "1"} if "TERM" not in env else {}
    result = run(exe, *args, env=classic_env(**env, **forced))
    assert result.returncode == 0
    assert b"\x1b" not in result.stdout
    assert result.stdout == run(exe, "facts").stdout


def test_force_color_colours_a_pipe(exe: Path) -> None:
    result = run(exe, "facts", env=classic_env(FORCE_COLOR="1"))
    assert result.returncode == 0
    assert b"\x1b[" in result.stdout
    plain = _ANSI.sub("", result.stdout.decode("utf-8"))
    assert "trade-volume-2024 · CGTN, 2026-01-09" in plain


def test_force_color_wins_over_term_dumb(exe: Path) -> None:
    # wants_colour: --no-color > NO_COLOR > FORCE_COLOR > TERM=dumb > is it a terminal.
    result = run(exe, "facts", "trade", env=classic_env(FORCE_COLOR="1", TERM="dumb"))
    assert result.returncode == 0
    assert b"\x1b[" in result.stdout


def test_json_never_coloured(exe: Path) -> None:
    result = run(exe, "facts", "--json", env=classic_env(FORCE_COLOR="1"))
    assert result.returncode == 0
    assert b"\x1b" not in result.stdout
    assert len(json.loads(result.stdout)) == 25


def test_terminal_gets_colour(exe: Path) -> None:
    code, shown = run_on_tty(exe, "facts", "trade", env=classic_env(TERM="xterm-256color"))
    assert code == 0
    assert b"\x1b[" in shown
    plain = _ANSI.sub("", shown.decode("utf-8"))
    assert "rok-rank-as-china-partner · CGTN, 2026-01-09" in plain
    assert plain.splitlines()[0].rstrip() == "trade"


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["facts", "trade", "--no-color"], {}),
        (["--no-color", "facts", "trade"], {}),
        (["facts", "trade"], {"NO_COLOR": "1"}),
        (["facts", "trade"], {"TERM": "dumb"}),
    ],
)
def test_terminal_without_colour(exe: Path, args: list[str], env: dict[str, str]) -> None:
    code, shown = run_on_tty(exe, *args, env=classic_env(**{"TERM": "xterm-256color", **env}))
    assert code == 0
    assert b"\x1b" not in shown
    assert shown == run(exe, "facts", "trade").stdout


# -- pipes that close early ------------------------------------------------------------


def read_head_then_close(exe: Path, args: list[str], size: int = 50) -> tuple[int, bytes, bytes]:
    proc = subprocess.Popen([str(exe), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=clean_env())
    assert proc.stdout is not None
    assert proc.stderr is not None
    head = proc.stdout.read(size)
    proc.stdout.close()
    stderr = proc.stderr.read()
    proc.stderr.close()
    return proc.wait(timeout=120), head, stderr


@pytest.mark.parametrize("fmt", FORMATS)
def test_reader_leaving_early_ends_quietly_shipped(exe: Path, fmt: str) -> None:
    full = run(exe, "facts", "--format", fmt, env=clean_env()).stdout  # the shipped file, as read_head_then_close
    code, head, stderr = read_head_then_close(exe, ["facts", "--format", fmt])
    assert stderr == b""
    assert code in (0, 141)
    assert head == full[:50]


@pytest.mark.parametrize("fmt", FORMATS)
def test_reader_leaving_early_ends_quietly_large_output(exe: Path, fmt: str, write_facts: WriteFacts) -> None:
    big = big_facts_file(write_facts)
    code, head, stderr = read_head_then_close(exe, ["facts", "--data", str(big), "--format", fmt])
    assert b"Traceback" not in stderr
    assert b"BrokenPipe" not in stderr
    assert stderr == b""
    assert code in (0, 141)
    expected_start = {
        "table": b"topic-0\n",
        "json": b'[\n  {\n    "id": "fact-0000",',
        "jsonl": b'{"id":"fact-0000","topic":"topic-0",',
        "csv": b"id,topic,statement,value,unit,qualifier,display,",
        "markdown": b"| ID | Topic | Figure | Period | Statement |",
    }[fmt]
    assert len(head) == 50
    assert head.startswith(expected_start)


def test_shell_pipeline_into_head(exe: Path, write_facts: WriteFacts, tmp_path: Path) -> None:
    big = big_facts_file(write_facts)
    status = tmp_path / "status"
    script = '{ "$1" facts --json --data "$2"; echo $? >"$3"; } | head -c 50'
    result = subprocess.run(
        ["sh", "-c", script, "sh", str(exe), str(big), str(status)],
        capture_output=True,
        env=clean_env(),
        timeout=120,
        check=False,
    )
    assert result.returncode == 0
    assert result.stderr == b""
    assert result.stdout == b'[\n  {\n    "id": "fact-0000",\n    "topic": "topic-0",\n'[:50]
    assert status.read_text().strip() in ("0", "141")


# -- the program as installed -----------------------------------------------------------


def test_python_m_kortrade(tmp_path: Path) -> None:
    result = run(Path(sys.executable), "-m", "kortrade", "--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == f"kortrade {__version__}\n".encode()
    assert result.stderr == b""


def test_python_m_kortrade_same_output_as_the_script(exe: Path, tmp_path: Path) -> None:
    module = run(Path(sys.executable), "-m", "kortrade", "facts", "trade", cwd=tmp_path)
    assert module.returncode == 0
    assert module.stdout == run(exe, "facts", "trade", cwd=tmp_path).stdout


def test_json_stdout_is_utf8_json(exe: Path) -> None:
    result = run(exe, "facts", "--json")
    assert result.returncode == 0
    records = json.loads(result.stdout.decode("utf-8"))
    assert len(records) == 25
    assert records[0]["id"] == "trade-volume-2024"


@pytest.mark.parametrize(
    "settings",
    [{"LC_ALL": "C", "LANG": "C"}, {"LC_ALL": "C.UTF-8"}, {"PYTHONIOENCODING": "ascii"}],
    ids=["C", "C.UTF-8", "ascii-streams"],
)
def test_chinese_and_korean_text_is_utf8_in_any_locale(
    exe: Path, write_facts: WriteFacts, settings: dict[str, str]
) -> None:
    statement = "중국과 한국의 교역 中韩贸易"
    path = write_facts(
        "version: 1\n"
        "sources:\n"
        "  - id: src-a\n"
        "    title: 한중 무역\n"
        "    publisher: 新华社\n"
        "    published: 2026-01-09\n"
        "    url: https://example.org/a\n"
        "facts:\n"
        "  - id: trade-ko\n"
        "    topic: trade\n"
        f"    statement: {statement}\n"
        "    source: src-a\n",
        "hangul.yaml",
    )
    env = clean_env(**settings)
    env.pop("PYTHONUTF8", None)
    for fmt in FORMATS:
        result = run(exe, "facts", "--data", str(path), "--format", fmt, env=env)
        assert result.returncode == 0, result.stderr
        assert statement.encode("utf-8") in result.stdout
    as_json = run(exe, "facts", "--data", str(path), "--json", env=env)
    assert json.loads(as_json.stdout.decode("utf-8"))[0]["source"]["publisher"] == "新华社"


@pytest.mark.parametrize(
    ("args", "code", "line"),
    [
        (["facts", "bogus"], 2, UNKNOWN_TOPIC),
        (["facts", "--bogus"], 2, b"kortrade facts: No such option: --bogus (see 'kortrade facts --help')\n"),
        (["show", "trade-volume"], 1, b"kortrade: no fact with id 'trade-volume'; nearest: trade-volume-2024\n"),
        (["facts", "--entity", "nobody"], 1, b"kortrade: no facts match (entity=nobody)\n"),
    ],
)
def test_error_is_exactly_one_line_on_stderr(exe: Path, args: list[str], code: int, line: bytes) -> None:
    result = run(exe, *args)
    assert result.returncode == code
    assert result.stdout == b""
    assert result.stderr == line


def test_missing_data_file_one_line(exe: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    result = run(exe, "facts", env=clean_env(KORTRADE_DATA=str(missing)))
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr == f"{missing}: no such file; expected a YAML facts file\n".encode()


def test_finds_shipped_data_from_another_directory(exe: Path, tmp_path: Path) -> None:
    shipped = plain_yaml(SHIPPED)
    facts, sources = len(shipped["facts"]), len(shipped["sources"])
    result = run(exe, "facts", "--json", cwd=tmp_path, env=clean_env())
    assert result.returncode == 0
    assert [r["id"] for r in json.loads(result.stdout)] == [f["id"] for f in shipped["facts"]]
    checked = run(exe, "validate", cwd=tmp_path, env=clean_env())
    assert checked.returncode == 0
    shown_path, _, summary = checked.stdout.decode("utf-8").rpartition(": ")
    assert summary == f"ok, {facts} facts, {sources} sources, 5649 observations\n"
    assert Path(shown_path).is_absolute()
    assert Path(shown_path).name == "facts.yaml"
