"""Long output on a terminal goes through a pager, as git and gh do.

The pager is ``$KORTRADE_PAGER``, else ``$PAGER``, else ``less -FRX`` (which prints
output that fits on one screen and exits, keeps colours and leaves the text on the
screen). An empty value or ``cat`` means no pager; so do ``--no-pager``, a stdout that
is not the terminal the user is typing at, and shell completion; with TERM unset or
``dumb`` there is no default pager. The pager starts
with the first write, so a command that prints nothing (an error) starts none.

A pager that cannot be started is skipped: the output goes to the terminal as it
would have. One that exits before reading everything (``q`` in less) ends the
command quietly, with exit code 0: the user has read what they wanted. One that
fails (exits with a non-zero status: ``PAGER=false``, a pager that cannot open the
terminal) may have shown nothing at all: that is said on stderr, and the run exits
74 (the output could not be shown), as git reports a failing pager.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Final

from kortrade.errors import ExitCode

if TYPE_CHECKING:
    import subprocess

PAGER_ENV: Final = "KORTRADE_PAGER"
DEFAULT_PAGER: Final = "less -FRX"
NO_PAGER_FLAG: Final = "--no-pager"
# Shell completion runs the program with this set; its output is for the shell.
COMPLETE_ENV: Final = "_KORTRADE_COMPLETE"


def pager_command(env: Mapping[str, str]) -> list[str] | None:
    """The pager to run, as an argument list, or None for none."""
    import shlex  # here: most runs are not on a terminal and never get this far

    for name in (PAGER_ENV, "PAGER"):
        value = env.get(name)
        if value is None:
            continue
        try:
            words = shlex.split(value)
        except ValueError:
            return None  # an unclosed quote: not a command we can run
        return None if not words or words == ["cat"] else words
    # As git: a terminal that cannot move its cursor, or says nothing of itself, gets no default pager.
    if env.get("TERM", "dumb") == "dumb":
        return None
    return shlex.split(DEFAULT_PAGER)


def asks_no_pager(argv: Sequence[str]) -> bool:
    """``--no-pager`` anywhere before ``--`` (like ``--no-color``, before or after the command name)."""
    for arg in argv:
        if arg == "--":
            return False
        if arg == NO_PAGER_FLAG:
            return True
    return False


def at_the_terminal(stream: IO[str]) -> bool:
    """``stream`` is the terminal this process runs in the foreground of: someone is there to page.

    A terminal that is not the controlling one (a program's pseudo-terminal, a
    terminal of someone else) has no keyboard for the pager; a background job
    would be stopped by it.
    """
    try:
        fd = stream.fileno()
        return os.isatty(fd) and os.tcgetpgrp(fd) == os.getpgrp()
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return False


class Pager(io.TextIOBase):
    """A stdout that starts the pager at the first write and feeds it."""

    def __init__(self, command: list[str], terminal: IO[str]) -> None:
        super().__init__()
        self._command = command
        self._terminal = terminal
        self._process: subprocess.Popen[bytes] | None = None
        self._pipe: io.TextIOWrapper | None = None
        self._started = False
        self.quit_early = False
        self.status: int | None = None  # the pager's exit status, once it has ended

    def isatty(self) -> bool:
        return True  # what the pager shows goes to the terminal: colours and widths as for it

    def fileno(self) -> int:
        return self._pipe.fileno() if self._pipe is not None else self._terminal.fileno()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not self._started:
            self._start()
        if self._pipe is None:
            return self._terminal.write(text)
        try:
            return self._pipe.write(text)
        except BrokenPipeError:
            self.quit_early = True
            raise

    def flush(self) -> None:
        if self._pipe is None:
            self._terminal.flush()
            return
        try:
            self._pipe.flush()
        except BrokenPipeError:
            self.quit_early = True
            raise

    def _start(self) -> None:
        self._started = True
        env = dict(os.environ)
        # As git does for less and lv when the user has not set them: colours through, short output printed.
        env.setdefault("LESS", "FRX")
        env.setdefault("LV", "-c")
        import subprocess

        try:
            self._terminal.flush()
            self._process = subprocess.Popen(self._command, stdin=subprocess.PIPE, env=env)
        except OSError:
            return  # no such pager: the terminal gets the output itself
        assert self._process.stdin is not None
        self._pipe = io.TextIOWrapper(self._process.stdin, encoding="utf-8", errors="backslashreplace")

    def finish(self) -> None:
        """Hand over the rest and wait until the user leaves the pager."""
        if self._pipe is None or self._process is None:
            with contextlib.suppress(BrokenPipeError, OSError, ValueError):
                self._terminal.flush()
            return
        try:
            self._pipe.close()
        except (BrokenPipeError, OSError):
            self.quit_early = True
            with contextlib.suppress(OSError, ValueError):
                self._pipe.close()  # the buffer went to a pager that is gone: drop it
        # Ctrl-C in the pager is the pager's (less stops a search); leaving is q.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            self.status = self._process.wait()
        finally:
            signal.signal(signal.SIGINT, previous)

    def failure(self) -> str | None:
        """Why the pager failed, if it did: a non-zero exit (not Ctrl-C, which is the user's)."""
        if self.status is None or self.status == 0 or self.status == -signal.SIGINT:
            return None
        import shlex

        how = f"exit status {self.status}" if self.status > 0 else f"killed by signal {-self.status}"
        return f"the pager '{shlex.join(self._command)}' failed ({how}); output may not have been shown (--no-pager)"


@contextlib.contextmanager
def paging(argv: Sequence[str]) -> Iterator[Pager | None]:
    """Send ``sys.stdout`` through the pager for this run, if it should be; yields the pager or None."""
    command = None
    if not asks_no_pager(argv) and not os.environ.get(COMPLETE_ENV) and at_the_terminal(sys.stdout):
        command = pager_command(os.environ)
    if command is None:
        yield None
        return
    terminal = sys.stdout
    pager = Pager(command, terminal)
    sys.stdout = pager
    try:
        yield pager
    finally:
        sys.stdout = terminal
        pager.finish()


def exit_code(pager: Pager | None, code: int) -> int:
    """The run's exit code: a pager left before the end is not an error; a pager that failed is."""
    failure = pager.failure() if pager is not None else None
    if failure is not None:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(f"kortrade: {failure}\n")
            sys.stderr.flush()
        # The command's own failure stands; else the output was not delivered (EX_IOERR).
        return code if code not in (0, ExitCode.BROKEN_PIPE) else int(ExitCode.IO_ERROR)
    if pager is not None and pager.quit_early and code == ExitCode.BROKEN_PIPE:
        return 0
    return code
