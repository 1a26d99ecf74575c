"""Hardening (issue 23): files, streams, signals and terminals the way coreutils and git treat them.

Each test runs the installed program as a real process, through real pipes, ptys,
devices and signals, within bounded time; each pins one finding of the issue.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
from pathlib import Path

import pytest

from support.hostile import KORTRADE, SGR
from support.pty_run import clean_env, run_on_pty

SECONDS = 20.0  # a bound for one run, generous for a loaded 2-core machine
SRC = Path(__file__).resolve().parent.parent / "src"


def environment(**extra: str) -> dict[str, str]:
    """A clean environment that runs this tree's kortrade (whatever the venv has installed)."""
    return clean_env(PYTHONPATH=str(SRC), **extra)


def run(
    *args: str, stdout: int | None = subprocess.PIPE, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """``kortrade ARGS``, stdin empty, stderr a pipe, within SECONDS."""
    return subprocess.run(
        [*KORTRADE, *args],
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=env or environment(),
        cwd=cwd,
        timeout=SECONDS,
        check=False,
    )


def run_shell(script: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """``sh -c SCRIPT kortrade ARGS``: ``"$@"`` in SCRIPT is the program, for redirections Popen cannot make."""
    return subprocess.run(
        ["sh", "-c", script, "sh", *KORTRADE, *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env=env or environment(),
        timeout=SECONDS,
        check=False,
    )


# -- 7: a failed write to stdout is EX_IOERR (74), in one line ----------------------------------

WRITING = [
    ["facts"],
    ["facts", "--json"],  # the start-up shortcut
    ["export", "--format", "csv"],  # the start-up shortcut, a whole document
    ["show", "trade-volume-2024"],
    ["topics"],
    ["compare"],
    ["brief"],
    ["cite", "trade-volume-2024"],
    ["schema"],
    ["--help"],
    ["facts", "--help"],
    ["--version"],
]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", WRITING, ids=" ".join)
def test_a_full_disk_is_one_line_and_exit_74(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        ran = run(*args, stdout=full.fileno())
    assert (ran.returncode, ran.stderr) == (74, b"kortrade: cannot write output: No space left on device\n")


@pytest.mark.parametrize("args", [["facts"], ["facts", "--json"], ["topics"], ["--version"]], ids=" ".join)
def test_a_closed_stdout_is_one_line_and_exit_74(args: list[str]) -> None:
    ran = run_shell('"$@" >&-', *args)
    assert (ran.returncode, ran.stderr) == (74, b"kortrade: cannot write output: Bad file descriptor\n")


def test_an_error_with_stdout_closed_keeps_its_own_code() -> None:
    ran = run_shell('"$@" >&-', "facts", "--data", "/nonexistent/facts.yaml")
    assert ran.returncode == 2
    assert ran.stderr.decode().splitlines() == ["/nonexistent/facts.yaml: no such file; expected a YAML facts file"]


# -- 6: a closed stderr loses the message, never the exit code --------------------------------


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["facts", "--data", "/nonexistent/facts.yaml"], 2),
        (["facts", "--year", "99999"], 2),
        (["facts", "--year", "99999", "--json"], 2),
        (["show", "no-such-fact"], 1),
        (["brief", "--output", "EXISTING"], 2),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else str(v),
)
@pytest.mark.parametrize("redirect", ["2>&-", "2>/dev/full"])
def test_a_closed_or_full_stderr_keeps_the_exit_code(args: list[str], code: int, redirect: str, tmp_path: Path) -> None:
    if redirect.endswith("/dev/full") and not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    existing = tmp_path / "brief.md"
    existing.write_text("mine\n")
    args = [str(existing) if a == "EXISTING" else a for a in args]
    ran = run_shell(f'"$@" >/dev/null {redirect}', *args)
    assert ran.returncode == code, ran
    assert existing.read_text() == "mine\n"


# -- 5: a non-blocking stdout gets every byte -------------------------------------------------


def read_nonblocking(args: list[str], *, wait: float, extra: dict[str, str]) -> tuple[int, bytes, bytes]:
    """Run with stdout a pipe the parent made O_NONBLOCK and read only after ``wait`` seconds."""
    import fcntl
    import time

    read_end, write_end = os.pipe()
    flags = fcntl.fcntl(write_end, fcntl.F_GETFL)
    fcntl.fcntl(write_end, fcntl.F_SETFL, flags | os.O_NONBLOCK)
    try:
        proc = subprocess.Popen(
            [*KORTRADE, *args],
            stdin=subprocess.DEVNULL,
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=environment(**extra),
        )
    finally:
        os.close(write_end)
    try:
        time.sleep(wait)  # long enough for the run to fill the pipe and meet EAGAIN
        chunks = []
        with os.fdopen(read_end, "rb") as reader:
            while chunk := reader.read(65536):
                chunks.append(chunk)
        assert proc.stderr is not None
        stderr = proc.stderr.read()
        return proc.wait(timeout=SECONDS), b"".join(chunks), stderr
    finally:
        proc.kill()
        proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()


@pytest.mark.parametrize(
    "args",
    [["facts", "--json"], ["export"], ["compare"], ["facts"], ["facts", "--format", "csv"]],
    ids=" ".join,
)
@pytest.mark.parametrize("fast", ["", "1"], ids=["shortcut", "typer"])
def test_a_non_blocking_stdout_gets_all_the_output(args: list[str], fast: str) -> None:
    extra = {"KORTRADE_NO_FAST": fast} if fast else {}
    whole = run(*args, env=environment(**extra))
    assert whole.returncode == 0
    assert len(whole.stdout) > 65536  # more than a pipe holds: the run must wait for its reader
    code, got, stderr = read_nonblocking(args, wait=1.5, extra=extra)
    assert (code, stderr, len(got)) == (0, b"", len(whole.stdout))
    assert got == whole.stdout


# -- 15: --output - is standard output --------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["brief", "--output", "-"],
        ["brief", "-o", "-", "--format", "html"],
        ["brief", "--output=-", "--format", "json", "--force"],
        ["export", "--format", "csv", "--output", "-"],
        ["export", "-o", "-"],
    ],
    ids=" ".join,
)
def test_output_dash_is_stdout(args: list[str], tmp_path: Path) -> None:
    plain = [a for a in args if a not in ("--output", "-o", "-", "--output=-", "--force")]
    expected = run(*plain, cwd=tmp_path)
    ran = run(*args, cwd=tmp_path)
    assert (ran.returncode, ran.stderr) == (0, b"")
    assert ran.stdout == expected.stdout != b""
    assert list(tmp_path.iterdir()) == []  # no file named '-'


def test_sqlite_to_dash_is_refused_in_one_line(tmp_path: Path) -> None:
    ran = run("export", "--sqlite", "-", cwd=tmp_path)
    assert ran.returncode == 2
    (line,) = ran.stderr.decode().splitlines()
    assert "stdout" in line
    assert list(tmp_path.iterdir()) == []


# -- 1: --force replaces regular files only; devices and FIFOs are written into ----------------


def null_device(folder: Path) -> Path:
    """A character device like /dev/null, made in ``folder`` (never the system's own /dev)."""
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    node = folder / "null"
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    return node


@pytest.mark.parametrize(
    "args",
    [["brief", "--format", "html"], ["export", "--format", "csv"], ["export", "--format", "json"]],
    ids=" ".join,
)
@pytest.mark.parametrize("force", [True, False], ids=["force", "no-force"])
def test_a_device_is_written_into_not_replaced(args: list[str], force: bool, tmp_path: Path) -> None:
    node = null_device(tmp_path)
    ran = run(*args, "--output", str(node), *(["--force"] if force else []), cwd=tmp_path)
    assert (ran.returncode, ran.stderr, ran.stdout) == (0, b"", b"")
    assert stat.S_ISCHR(node.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]  # no temporary file left


def test_a_sqlite_database_onto_a_device_is_refused_without_a_sidecar(tmp_path: Path) -> None:
    node = null_device(tmp_path)
    ran = run("export", "--sqlite", str(node), "--force", cwd=tmp_path)
    assert ran.returncode == 2
    assert ran.stderr.decode().splitlines() == [
        f"kortrade: cannot write a SQLite database to {node}: not a regular file"
    ]
    assert stat.S_ISCHR(node.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]  # no metadata.json beside a device


@pytest.mark.parametrize("force", [True, False], ids=["force", "no-force"])
def test_a_fifo_is_written_into_and_its_reader_gets_everything(force: bool, tmp_path: Path) -> None:
    expected = run("export", "--format", "csv").stdout
    folder = tmp_path / "folder"
    folder.mkdir()
    fifo = folder / "ff"
    os.mkfifo(fifo)
    # As  (cat ff | wc -c &)  does: a reader waiting on the FIFO before the writer starts.
    with (tmp_path / "got").open("wb") as got:
        reader = subprocess.Popen(["cat", str(fifo)], stdout=got)
        try:
            ran = run("export", "--format", "csv", "--output", str(fifo), *(["--force"] if force else []), cwd=folder)
            reader.wait(timeout=SECONDS)
        finally:
            reader.kill()
            reader.wait()
    assert (ran.returncode, ran.stderr) == (0, b"")
    assert (tmp_path / "got").read_bytes() == expected
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in folder.iterdir()) == ["ff"]


def test_a_link_to_stdout_is_stdout(tmp_path: Path) -> None:
    expected = run("export", "--format", "csv").stdout
    link = tmp_path / "out"
    link.symlink_to("/dev/stdout")
    for target in (str(link), "/dev/stdout"):  # the system's /dev/stdout is only read here, never replaced
        ran = run("export", "--format", "csv", "--output", target, "--force", cwd=tmp_path)
        assert (ran.returncode, ran.stderr, ran.stdout) == (0, b"", expected)
    assert link.is_symlink()
    assert os.readlink(link) == "/dev/stdout"


# -- 9: an empty --data is an error; an empty KORTRADE_DATA counts as unset --------------------

EMPTY_DATA = b"kortrade: the facts file's path is empty; name a file, or leave out --data for the shipped one\n"


@pytest.mark.parametrize(
    "args",
    [
        ["facts", "--data", ""],
        ["facts", "--json", "--data="],  # the start-up shortcut's spelling
        ["show", "trade-volume-2024", "--data", ""],
        ["export", "--data", ""],
        ["brief", "--data", ""],
        ["info", "--data", ""],
        ["validate", ""],
    ],
    ids=" ".join,
)
def test_an_empty_data_path_is_one_line_and_exit_2(args: list[str]) -> None:
    ran = run(*args)
    assert (ran.returncode, ran.stdout, ran.stderr) == (2, b"", EMPTY_DATA)


def test_an_empty_data_variable_counts_as_unset() -> None:
    shipped = run("facts", "--json", env=environment())
    ran = run("facts", "--json", env=environment(KORTRADE_DATA=""))
    assert (ran.returncode, ran.stderr) == (0, b"")
    assert ran.stdout == shipped.stdout


# -- 12: '~' in the cache variables is the home folder; a relative one is ignored -------------


@pytest.mark.parametrize(
    ("cache", "xdg", "expected"),
    [
        ("~/kc", None, "home/kc"),
        ("rel/kc", None, "home/.cache/kortrade"),
        ("rel/kc", "XDG", "xdg/kortrade"),
        ("", "~/xc", "home/xc/kortrade"),
        ("./kc", "xc", "home/.cache/kortrade"),
    ],
)
def test_the_cache_folder_is_never_relative_to_where_kortrade_runs(
    cache: str, xdg: str | None, expected: str, tmp_path: Path
) -> None:
    from support.facts import MINIMAL

    (tmp_path / "home").mkdir()
    work = tmp_path / "work"
    work.mkdir()
    facts = tmp_path / "facts.yaml"
    facts.write_text(MINIMAL)
    extra = {"HOME": str(tmp_path / "home"), "KORTRADE_CACHE_DIR": cache}
    if xdg is not None:
        extra["XDG_CACHE_HOME"] = str(tmp_path / "xdg") if xdg == "XDG" else xdg
    env = environment(**extra)
    if xdg is None:
        env.pop("XDG_CACHE_HOME", None)
    for args in (["facts", "--json"], ["topics"], ["info", "--json"]):
        ran = run(*args, "--data", str(facts), env=env, cwd=work)
        assert (ran.returncode, ran.stderr) == (0, b""), args
    index = Path(json.loads(ran.stdout)["index"])
    assert index.parent == tmp_path / expected
    assert list(work.iterdir()) == []  # nothing where it ran


# -- 13: a failing pager is said on stderr, and the run fails ----------------------------------


@pytest.mark.parametrize("pager", ["false", "sh -c 'exit 3'"], ids=["false", "exit-3"])
@pytest.mark.parametrize("args", [["facts"], ["facts", "trade"], ["export", "--no-color"], ["topics"]], ids=" ".join)
def test_a_failing_pager_is_reported_and_the_exit_is_74(pager: str, args: list[str]) -> None:
    from support.terminal_run import run_on_terminal

    env = environment(TERM="xterm-256color", PAGER=pager)
    code, _, stderr = run_on_terminal([*KORTRADE, *args], env=env, timeout=SECONDS)
    assert code == 74
    (line,) = stderr.decode().splitlines()
    assert line.startswith(f"kortrade: the pager '{pager}' failed (exit status ")


def test_a_pager_quit_early_is_still_quiet() -> None:
    from support.terminal_run import run_on_terminal

    code, _, stderr = run_on_terminal(
        [*KORTRADE, "facts"], env=environment(TERM="xterm", PAGER="true"), timeout=SECONDS
    )
    assert (code, stderr) == (0, b"")


# -- 8: a narrow terminal gets records line by line; a nonsense width is ignored ----------------

# Each listing command, and the key that names each of its records.
NAMED_BY = {
    "facts": "id",
    "timeline": "id",
    "topics": "topic",
    "entities": "name",
    "sources": "id",
}


def shown_lines(text: bytes) -> set[str]:
    return set(text.decode("utf-8").splitlines())


@pytest.mark.parametrize("columns", ["5", "10", "39"])
@pytest.mark.parametrize("command", sorted(NAMED_BY))
def test_a_narrow_width_lists_every_record(command: str, columns: str) -> None:
    key = NAMED_BY[command]
    records = json.loads(run(command, "--json").stdout)
    ran = run(command, env=environment(COLUMNS=columns))
    assert (ran.returncode, ran.stderr) == (0, b"")
    lines = shown_lines(ran.stdout)
    missing = [r[key] for r in records if f"{key}: {r[key]}" not in lines]
    assert missing == []


@pytest.mark.parametrize("columns", [5, 10])
@pytest.mark.parametrize(
    ("args", "keys"),
    [(["show", "trade-volume-2024"], ("id", "statement", "display", "period")), (["info"], ("data", "sha256"))],
    ids=lambda v: v[0] if isinstance(v, list) else "",
)
def test_a_narrow_terminal_shows_one_record_whole(args: list[str], keys: tuple[str, ...], columns: int) -> None:
    record = json.loads(run(*args, "--json").stdout)
    code, shown, stderr = run_on_pty(
        [*KORTRADE, *args], env=environment(TERM="xterm"), columns=columns, timeout=SECONDS
    )
    assert (code, stderr) == (0, b"")
    lines = {SGR.sub("", line) for line in shown_lines(shown)}
    assert {f"{k}: {record[k]}" for k in keys} <= lines


@pytest.mark.parametrize("columns", ["0", "-5", "abc", "", "80x", "99999999999999999999", "9" * 5000])
@pytest.mark.parametrize(
    "args", [["--help"], ["topics"], ["show", "trade-volume-2024"], ["facts", "--help"]], ids=" ".join
)
def test_a_width_that_makes_no_sense_is_ignored(args: list[str], columns: str) -> None:
    ran = run(*args, env=environment(COLUMNS=columns))
    assert (ran.returncode, ran.stderr) == (0, b"")
    if not columns.isdigit():  # as if COLUMNS were unset
        assert ran.stdout == run(*args).stdout
    else:
        assert b"trade" in ran.stdout or b"Usage" in ran.stdout


# -- 11: SIGTERM mid-build cleans up as Ctrl-C does, then dies of the signal -------------------


@pytest.fixture(scope="module")
def big_facts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from support.hostile import facts_text

    path = tmp_path_factory.mktemp("big") / "facts.yaml"
    path.write_text(facts_text(20_000))  # an index build long enough to be caught in the act
    return path


def caught_building(facts: Path, cache: Path, signum: int) -> tuple[int, list[str], bytes]:
    """Start a cold lookup, send ``signum`` once its temporary index exists; the exit code
    (negative: the signal it died of), what the cache holds after it, and its stderr."""
    import time

    proc = subprocess.Popen(
        [*KORTRADE, "facts", "--json", "--data", str(facts)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=environment(KORTRADE_CACHE_DIR=str(cache)),
    )
    try:
        deadline = time.monotonic() + 60
        while not any(p.name.endswith(".tmp") for p in cache.glob(".facts-*")):
            assert proc.poll() is None, "finished before its index was caught being built"
            assert time.monotonic() < deadline, "no temporary index within 60 s"
            time.sleep(0.002)
        proc.send_signal(signum)
        code = proc.wait(timeout=SECONDS)
    finally:
        proc.kill()
        proc.wait()
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    proc.stderr.close()
    return code, sorted(p.name for p in cache.iterdir()), stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda s: s.name)
def test_a_terminating_signal_mid_build_leaves_no_temporary_index(
    signum: signal.Signals, big_facts: Path, tmp_path: Path
) -> None:
    code, left, stderr = caught_building(big_facts, tmp_path / "cache", signum)
    assert left == []
    assert b"Traceback" not in stderr
    if signum == signal.SIGINT:
        assert (code, stderr) == (130, b"kortrade: interrupted\n")
    else:
        assert code == -signum  # died of it: a shell shows 128 + N (143 for TERM)
