"""The program as a process among others: a reader that leaves, Ctrl-C, a file that changes, a read-only file.

- ``| head -n 1`` on every format ends quietly;
- Ctrl-C during a long cold index build: exit 130, one line, no temporary left behind;
- a data file rewritten or replaced while runs read it: every answer is the old
  file's or the new one's, never a mix, or a clean error;
- a read-only file in a read-only directory: every command works and nothing changes.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from support.facts import MINIMAL
from support.hostile import KORTRADE, Ran, cache_files, facts_text, run_bounded
from support.keys import FACT_KEYS
from support.pty_run import clean_env

FORMATS = ("table", "json", "jsonl", "csv", "markdown")

# -- a reader that leaves ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def five_thousand(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A file of 5,000 facts with its index already built, and the environment to read it."""
    where = tmp_path_factory.mktemp("five-thousand")
    path = where / "facts.yaml"
    path.write_text(facts_text(5000), encoding="utf-8")
    env = clean_env(KORTRADE_CACHE_DIR=str(where / "cache"))
    built = subprocess.run([*KORTRADE, "info", "--data", str(path)], capture_output=True, env=env, check=False)
    assert (built.returncode, built.stderr) == (0, b"")
    return path, env


# The first line of each format.
CSV_HEADER = ",".join(FACT_KEYS)  # 1.x's columns, then 2.0's
FIRST_LINE = {
    ("facts", "table"): "topic-0",
    ("facts", "json"): "[",
    ("facts", "csv"): CSV_HEADER,
    ("facts", "markdown"): "| ID | Topic | Figure | Period | Statement | Source |",
    ("search", "table"): "Figure   Period   Fact",
    ("search", "json"): "[",
    ("search", "csv"): CSV_HEADER,
    ("search", "markdown"): "| ID | Figure | Period | Statement | Topic | Source |",
}


@pytest.mark.parametrize("command", [["facts"], ["search", "trade", "--limit", "0"]], ids=["facts", "search"])
def test_head_n_1_on_every_format_ends_quietly(
    command: list[str], five_thousand: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    path, env = five_thousand
    script = 'status="$1"; shift; { "$@"; echo $? >"$status"; } | head -n 1'
    procs = {}
    for fmt in FORMATS:
        status = tmp_path / f"{fmt}.status"
        argv = [*KORTRADE, *command, "--data", str(path), "--format", fmt]
        procs[fmt] = (
            status,
            subprocess.Popen(
                ["sh", "-c", script, "sh", str(status), *argv],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
            ),
        )
    for fmt, (status, proc) in procs.items():
        stdout, stderr = proc.communicate(timeout=60)
        assert (proc.returncode, stderr) == (0, b""), (fmt, stderr)
        # 141: the shell's status for a process ended by SIGPIPE, and kortrade's own exit code for it.
        assert status.read_text().strip() in ("0", "141"), fmt
        line = stdout.decode("utf-8")
        assert line.endswith("\n"), (fmt, line)
        assert line.count("\n") == 1, (fmt, line)
        if fmt == "jsonl":
            record = json.loads(line)
            assert (record["id"], record["topic"]) == ("fact-00000", "topic-0")
        elif fmt == "table":  # the header's indent depends on the widest figure
            assert line.split() == FIRST_LINE[command[0], fmt].split(), fmt
        else:
            assert line == FIRST_LINE[command[0], fmt] + "\n", fmt


# -- Ctrl-C --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fifty_thousand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 14 MB file of 50,000 facts: a cold index build of it takes seconds."""
    path = tmp_path_factory.mktemp("fifty-thousand") / "facts.yaml"
    path.write_text(facts_text(50_000), encoding="utf-8")
    return path


def temporaries(cache: Path) -> list[str]:
    return [name for name in cache_files(cache) if Path(name).name.startswith(".facts-")]


@pytest.mark.parametrize(
    ("command", "moment"),
    [
        (["facts", "--format", "jsonl"], "writing"),  # answered by the start-up shortcut
        (["topics"], "parsing"),  # answered by the Typer CLI
    ],
    ids=["facts-while-writing", "topics-while-parsing"],
)
def test_ctrl_c_during_a_cold_build(command: list[str], moment: str, fifty_thousand: Path, tmp_path: Path) -> None:
    """SIGINT while the YAML is parsed, or while the index is written to its temporary file."""
    cache = tmp_path / "cache"
    proc = subprocess.Popen(
        [*KORTRADE, *command, "--data", str(fifty_thousand)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_env(KORTRADE_CACHE_DIR=str(cache)),
    )
    try:
        start = time.monotonic()
        while time.monotonic() - start < 60 and proc.poll() is None:
            if moment == "writing" and temporaries(cache):
                break
            if moment == "parsing" and time.monotonic() - start > 1.0:
                break
            time.sleep(0.002)
        assert proc.poll() is None, "the build ended before it could be interrupted"
        if moment == "parsing":
            assert temporaries(cache) == [], "the build was already writing"
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130
    assert stdout == b""
    assert stderr == b"kortrade: interrupted\n"
    assert temporaries(cache) == []
    assert [name for name in cache_files(cache) if name.endswith(".sqlite3")] == []


# -- a file that changes while it is read ------------------------------------------------------------------


def two_versions(count: int = 600) -> tuple[bytes, bytes]:
    """Two valid files of the same size that differ in every statement."""
    a = facts_text(count, lambda i: f"Version AAAA of statement {i}.").encode()
    b = facts_text(count, lambda i: f"Version BBBB of statement {i}.").encode()
    assert len(a) == len(b)
    return a, b


def write_in_place(path: Path, content: bytes) -> None:
    """Overwrite the bytes of the same file (same inode, same size), as some editors save."""
    with path.open("r+b") as handle:
        handle.write(content)


def write_truncating(path: Path, content: bytes) -> None:
    path.write_bytes(content)


def replace_atomically(path: Path, content: bytes) -> None:
    """A new file renamed over the old one, as git and careful editors do."""
    temporary = path.with_name(path.name + ".new")
    temporary.write_bytes(content)
    os.replace(temporary, path)


WRITERS = {"in-place": write_in_place, "truncating": write_truncating, "replacing": replace_atomically}
READS = (["facts", "--format", "jsonl", "--fields", "id,statement"], ["search", "statement", "--limit", "0", "--json"])


def run_reads(path: Path, cwd: Path, env: dict[str, str]) -> list[Ran]:
    runs = run_bounded(*[[*read, "--data", str(path)] for read in READS], cwd=cwd, env=env)
    for ran in runs:
        ran.check_bounds()
    return runs


@pytest.mark.parametrize("writer", list(WRITERS))
def test_file_changing_during_the_build_never_gives_a_mix(writer: str, tmp_path: Path) -> None:
    a, b = two_versions()
    env = clean_env(KORTRADE_CACHE_DIR=str(tmp_path / "cache"))
    (tmp_path / "a.yaml").write_bytes(a)
    (tmp_path / "b.yaml").write_bytes(b)
    from_a, from_b = run_reads(tmp_path / "a.yaml", tmp_path, env), run_reads(tmp_path / "b.yaml", tmp_path, env)
    answers = {}
    for read, ra, rb in zip(READS, from_a, from_b, strict=True):
        assert (ra.code, rb.code, ra.stderr, rb.stderr) == (0, 0, b"", b"")
        assert ra.stdout != rb.stdout
        answers[tuple(read)] = {ra.stdout: "A", rb.stdout: "B"}

    data = tmp_path / "data" / "facts.yaml"
    data.parent.mkdir()
    data.write_bytes(a)
    stop = threading.Event()

    def keep_writing() -> None:
        n = 0
        while not stop.is_set():
            WRITERS[writer](data, (b, a)[n % 2])
            n += 1
            time.sleep(0.003)

    thread = threading.Thread(target=keep_writing, daemon=True)
    thread.start()
    seen: list[str] = []
    try:
        for _ in range(5):
            for read, ran in zip(READS, run_reads(data, tmp_path, env), strict=True):
                if ran.code == 0 and ran.stdout in answers[tuple(read)]:
                    assert ran.stderr == b""
                    seen.append(answers[tuple(read)][ran.stdout])
                    continue
                # Neither A's answer nor B's: then it must be a clean error about the file.
                assert (ran.code, ran.stdout) == (2, b""), f"a mix of versions: {ran.stdout[:200]!r}"
                for line in ran.stderr_lines():
                    assert re.fullmatch(re.escape(str(data)) + r"(:\d+:\d+)?: \S.*", line), line
                seen.append("error")
    finally:
        stop.set()
        thread.join(timeout=10)
    assert set(seen) - {"error"}, "every run failed: the test would prove nothing"
    # Whatever the runs saw, the index now answers for what the file holds.
    final = {a: "A", b: "B"}[data.read_bytes()]
    for read, ran in zip(READS, run_reads(data, tmp_path, env), strict=True):
        assert (ran.code, ran.stderr) == (0, b"")
        assert answers[tuple(read)].get(ran.stdout) == final


# -- a read-only file in a read-only directory ----------------------------------------------------------------

# MINIMAL with an entities section, so that `entities` has something to list.
WITH_ENTITIES = MINIMAL.replace(
    "facts:\n",
    "entities:\n  - name: China\n    names: {ko: 중국, zh: 中国}\n"
    "  - name: Republic of Korea\n  - name: Lee Jae Myung\nfacts:\n",
    1,
)
EVERY_COMMAND = (
    ["facts"],
    ["facts", "--json"],
    ["show", "fact-one"],
    ["search", "trade"],
    ["topics"],
    ["sources"],
    ["entities", "--json"],
    ["info"],
    ["cite", "fact-one", "fact-two"],
    ["brief"],
    ["export", "--format", "yaml"],
    ["timeline"],
    ["validate"],
)


def snapshot(path: Path) -> tuple[object, ...]:
    status, folder = path.stat(), path.parent.stat()
    return (
        path.read_bytes(),
        (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_mode),
        sorted(os.listdir(path.parent)),
        (folder.st_mtime_ns, folder.st_ctime_ns),
    )


def test_every_command_on_a_read_only_file_in_a_read_only_directory(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    data = folder / "facts.yaml"
    data.write_text(WITH_ENTITIES, encoding="utf-8")
    data.chmod(0o444)
    folder.chmod(0o555)
    try:
        if os.geteuid() != 0:  # root writes whatever the mode says; then only the snapshot can tell
            with pytest.raises(PermissionError):
                data.open("r+b")
        before = snapshot(data)
        env = clean_env(KORTRADE_CACHE_DIR=str(tmp_path / "cache"))
        cwd = tmp_path / "cwd"
        cwd.mkdir()
        for _ in range(2):  # the cold build, then the answers from the index
            runs = run_bounded(*[[*c, "--data", str(data)] for c in EVERY_COMMAND], cwd=cwd, env=env)
            for ran in runs:
                ran.check_bounds()
                assert (ran.code, ran.stderr) == (0, b""), ran
            assert snapshot(data) == before
        assert list(cwd.iterdir()) == []
        assert runs[-1].stdout == f"{data}: ok, 2 facts, 1 source\n".encode()
        assert [r["id"] for r in json.loads(runs[1].stdout)] == ["fact-one", "fact-two"]
    finally:
        folder.chmod(0o755)
        data.chmod(0o644)


def test_data_file_is_opened_read_only(tmp_path: Path) -> None:
    """Every open of the data file, in a real run of each command, asks for reading only."""
    data = tmp_path / "facts.yaml"
    data.write_text(WITH_ENTITIES, encoding="utf-8")
    audit = tmp_path / "audit.py"
    # An audit hook sees every open() with its flags, in the process itself.
    audit.write_text(
        "import os, sys\n"
        "target = os.path.realpath(sys.argv[1])\n"
        "def hook(event, args):\n"
        "    if event == 'open' and isinstance(args[0], str) and os.path.realpath(args[0]) == target:\n"
        "        mode, flags = args[1], args[2]\n"
        "        writes = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND\n"
        "        if (mode and set(mode) & set('wax+')) or flags & writes:\n"
        "            os.write(2, f'WRITE-OPEN {mode!r} {flags!r}\\n'.encode())\n"
        "        else:\n"
        "            os.write(2, b'READ-OPEN\\n')\n"
        "sys.addaudithook(hook)\n"
        "sys.argv = ['kortrade', *sys.argv[2:]]\n"
        "from kortrade.__main__ import main\n"
        "main()\n",
        encoding="utf-8",
    )
    env = clean_env(KORTRADE_CACHE_DIR=str(tmp_path / "cache"))
    program = (sys.executable, str(audit), str(data))
    seen: list[str] = []
    runs = run_bounded(*[[*c, "--data", str(data)] for c in EVERY_COMMAND], cwd=tmp_path, env=env, program=program)
    for ran in runs:
        ran.check_bounds()
        assert ran.code == 0, ran
        assert ran.stdout, ran
        seen.extend(ran.stderr_lines())
    assert "READ-OPEN" in seen  # the hook works
    assert set(seen) == {"READ-OPEN"}, [line for line in seen if line != "READ-OPEN"]


def test_a_runs_peak_memory_is_its_own_not_the_test_process(tmp_path: Path) -> None:
    # Linux charges a forked child with its parent's high-water mark at exec: measured
    # straight from pytest, every run "peaked" at pytest's size once the suite grew.
    ballast = bytearray(200 * 2**20)
    ballast[:: 2**12] = b"\1" * len(range(0, len(ballast), 2**12))  # touched, so resident
    small = run_bounded([], cwd=tmp_path, env=clean_env(), program=(sys.executable, "-c", "pass"))[0]
    hog = "x = bytearray(350 * 2**20); x[:: 2**12] = b'1' * len(range(0, len(x), 2**12))"
    big = run_bounded([], cwd=tmp_path, env=clean_env(), program=(sys.executable, "-c", hog))[0]
    assert small.code == big.code == 0
    assert small.rss_mib < 100 < 350 <= big.rss_mib
    del ballast
