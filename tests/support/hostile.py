"""Running the installed program on hostile input, within the bounds the issue sets.

"For inputs under 1 MB always within 5 s and 300 MiB, and with no traceback on any
stream." :func:`run_bounded` starts ``python -m kortrade ...`` as real processes,
each through a small launcher that reads the run's peak memory with ``os.wait4``, and
kills any still running at the time limit. Shared by test_bad_inputs.py, test_output_safety.py and
test_process_safety.py.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from support.facts import SOURCES
from support.pty_run import run_on_pty

KORTRADE = (sys.executable, "-m", "kortrade")
SECONDS = 5.0
RSS_MIB = 300.0


# Characters that must never reach a terminal raw from the data: C0 controls but the
# newline, DEL, C1 controls and the bidi embeddings, overrides and isolates.
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SGR = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True, slots=True)
class Ran:
    """One finished (or killed) run of the program."""

    args: tuple[str, ...]
    code: int
    stdout: bytes
    stderr: bytes
    seconds: float
    rss_mib: float
    timed_out: bool

    def check_bounds(self) -> None:
        """Within 5 s and 300 MiB, and no traceback on either stream."""
        shown = " ".join(self.args)
        assert not self.timed_out, f"still running after {SECONDS} s, killed: kortrade {shown}"
        assert self.seconds <= SECONDS, f"{self.seconds:.2f} s: kortrade {shown}"
        assert self.rss_mib <= RSS_MIB, f"{self.rss_mib:.0f} MiB at peak: kortrade {shown}"
        assert b"Traceback" not in self.stdout + self.stderr, self.stderr.decode("utf-8", "replace")

    def stderr_lines(self) -> list[str]:
        return self.stderr.decode("utf-8").splitlines()


def _max_rss_mib(peak: int) -> float:
    # Linux reports kibibytes, macOS bytes.
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


# Linux charges a child, at its exec, with the peak memory of the process it was forked
# from: every run started straight from pytest "peaked" at pytest's own high-water mark
# (300 MiB once the suite had run long enough). A launcher that starts small forks the run
# and passes on its true peak, its exit code and its signal.
_LAUNCHER = """\
import os, signal, sys
pid = os.fork()
if pid == 0:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # as subprocess leaves it for a program it starts
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(str(usage.ru_maxrss))
if os.WIFSIGNALED(status):
    signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
    os.kill(os.getpid(), os.WTERMSIG(status))
os._exit(os.waitstatus_to_exitcode(status))
"""


@dataclass(slots=True)
class _Started:
    args: tuple[str, ...]
    proc: subprocess.Popen[bytes]
    out: Path
    err: Path
    peak: Path
    begin: float


def run_bounded(
    *commands: Sequence[str],
    cwd: Path,
    env: dict[str, str],
    timeout: float = SECONDS,
    program: Sequence[str] = KORTRADE,
) -> list[Ran]:
    """Run ``kortrade ARGS`` for each command at once; each is killed if still running at ``timeout``."""
    started: list[_Started] = []
    finished: dict[int, Ran] = {}
    with tempfile.TemporaryDirectory(prefix="kortrade-run-") as scratch:
        try:
            for number, args in enumerate(commands):
                started.append(_start(program, args, Path(scratch) / str(number), cwd, env))
            _reap(started, finished, timeout)
        finally:
            for run in started:
                if run.proc.returncode is None:
                    _kill(run)
                    run.proc.wait()
    return [finished[n] for n in range(len(started))]


def _start(program: Sequence[str], args: Sequence[str], stem: Path, cwd: Path, env: dict[str, str]) -> _Started:
    """Start one run with stdout and stderr in files (a pipe left unread would stall it)."""
    out, err, peak = stem.with_suffix(".out"), stem.with_suffix(".err"), stem.with_suffix(".peak")
    out_fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    err_fd = os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        begin = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, str(peak), *_executable(program), *args],
            stdin=subprocess.DEVNULL,
            stdout=out_fd,
            stderr=err_fd,
            cwd=cwd,
            env=env,
            start_new_session=True,  # so that a kill at the time limit reaches the run too
        )
    finally:
        os.close(out_fd)
        os.close(err_fd)
    return _Started(tuple(args), proc, out, err, peak, begin)


def popen_measured(
    args: Sequence[str], peak: Path, program: Sequence[str] = KORTRADE, **options: Any
) -> subprocess.Popen[bytes]:
    """Start ``kortrade ARGS`` through the launcher, for a test that talks to it: once it has
    ended, :func:`peak_mib` reads its own peak memory from ``peak``."""
    return subprocess.Popen([sys.executable, "-c", _LAUNCHER, str(peak), *_executable(program), *args], **options)


def peak_mib(peak: Path) -> float:
    return _max_rss_mib(int(peak.read_text()))


def _executable(program: Sequence[str]) -> list[str]:
    """``program`` with its first word as a path, for os.execv."""
    first = program[0] if os.sep in program[0] else shutil.which(program[0]) or program[0]
    return [first, *program[1:]]


def _kill(run: _Started) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(run.proc.pid, signal.SIGKILL)


def _reap(started: list[_Started], finished: dict[int, Ran], timeout: float) -> None:
    pending = dict(enumerate(started))
    while pending:
        for number, run in list(pending.items()):
            pid, status, _ = os.wait4(run.proc.pid, os.WNOHANG)
            elapsed = time.monotonic() - run.begin
            timed_out = False
            if pid == 0:
                if elapsed <= timeout:
                    continue
                _kill(run)
                pid, status, _ = os.wait4(run.proc.pid, 0)
                timed_out = True
            run.proc.returncode = os.waitstatus_to_exitcode(status)
            stdout, stderr = run.out.read_bytes(), run.err.read_bytes()
            peak = int(run.peak.read_text()) if run.peak.exists() else 0  # none if killed
            rss = _max_rss_mib(peak)
            finished[number] = Ran(run.args, run.proc.returncode, stdout, stderr, elapsed, rss, timed_out)
            del pending[number]
        if pending:
            time.sleep(0.005)


def quoted(text: str) -> str:
    """A YAML double-quoted scalar spelling every character that is not printable ASCII as an escape."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x20 <= code < 0x7F:
            out.append(char)
        elif code < 0x100:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


# -- generated facts files -------------------------------------------------------------------

HEAD = SOURCES + "facts:\n"


def statement_of(i: int) -> str:
    return f"Statement number {i} on trade between China and the Republic of Korea."


def fact_lines(i: int, statement: Callable[[int], str] = statement_of) -> str:
    return (
        f"  - id: fact-{i:05d}\n"
        f"    topic: topic-{i % 7}\n"
        f"    statement: {statement(i)}\n"
        f"    value: {1_000_000 + i}\n"
        "    unit: USD\n"
        "    qualifier: about\n"
        "    period: 2024\n"
        "    entities: [China, Republic of Korea]\n"
        "    tags: [trade-volume]\n"
        "    source: src-a\n"
    )


def facts_text(count: int, statement: Callable[[int], str] = statement_of) -> str:
    """A valid facts file of ``count`` facts: ids fact-00000..., topics topic-0 to topic-6."""
    return HEAD + "".join(fact_lines(i, statement) for i in range(count))


def cache_files(cache: Path) -> list[str]:
    """Every file and directory under the cache directory, relative to it."""
    if not cache.exists():
        return []
    return sorted(str(p.relative_to(cache)) for p in cache.rglob("*"))


def run_on_tty(*args: str, env: dict[str, str], cwd: Path | None = None, columns: int = 80) -> tuple[int, bytes, bytes]:
    """Run with stdout on a pseudo-terminal of ``columns`` x 24: the exit code, what it showed, stderr."""
    return run_on_pty([*KORTRADE, *args], env=env, cwd=cwd, columns=columns, timeout=60)
