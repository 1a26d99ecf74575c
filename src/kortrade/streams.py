"""Standard output and error as kortrade writes them: UTF-8, every byte delivered or one clear error.

Python's own ``sys.stdout`` turns a full disk into a traceback, a stdout closed at
start (``>&-``) into ``None``, and a pipe its reader made non-blocking into a silent
cut at 64 KiB (the rest of a write that met EAGAIN is dropped). Here stdout is a
buffered text stream over :class:`_Descriptor`, which waits until the pipe can take
more, lets a closed pipe be a :class:`BrokenPipeError` (exit 141, as before) and makes
every other failed write an :class:`~kortrade.errors.OutputError` (one line, exit 74).
A closed stdout or stderr gets ``/dev/null`` on its descriptor, so that no file opened
later (the index, an output file) takes its number and receives the output. A message
that stderr cannot take (closed, full) is lost quietly: it never changes the exit code.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from typing import TYPE_CHECKING, TextIO

from kortrade.errors import OutputError

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


class _Descriptor(io.RawIOBase):
    """A file descriptor written whole, whatever O_NONBLOCK its reader set on it."""

    def __init__(self, fd: int, *, closed_at_start: bool = False, quiet: bool = False) -> None:
        super().__init__()
        self._fd = fd
        self._closed_at_start = closed_at_start
        # stderr: a message that cannot be shown is lost, and must not change the run's outcome.
        self._quiet = quiet
        self._discarding = False

    def fileno(self) -> int:
        return self._fd

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return not self._closed_at_start and os.isatty(self._fd)

    def discard(self) -> None:
        """Drop whatever is still to be written: the run has already reported why it stopped."""
        self._discarding = True

    def write(self, data: ReadableBuffer, /) -> int:
        view = memoryview(data)
        if self._discarding:
            return view.nbytes
        if self._closed_at_start:
            raise OutputError(os.strerror(errno.EBADF))
        while True:
            try:
                return os.write(self._fd, view)
            except BlockingIOError:
                _wait_writable(self._fd)
            except OSError as exc:
                if self._quiet:
                    return view.nbytes
                if isinstance(exc, BrokenPipeError):
                    raise
                raise OutputError(exc.strerror or str(exc)) from None


def _wait_writable(fd: int) -> None:
    """Until the reader of a non-blocking pipe has made room (it may take its time: a person)."""
    import select

    poller = select.poll()
    poller.register(fd, select.POLLOUT)
    poller.poll()


def _open_or_null(fd: int) -> bool:
    """Whether ``fd`` was open at start; a closed one is given /dev/null, so it stays taken."""
    try:
        os.fstat(fd)
        return True
    except OSError:
        null = os.open(os.devnull, os.O_WRONLY)
        if null != fd:
            os.dup2(null, fd)
            os.close(null)
        return False


def _text(fd: int, *, closed_at_start: bool, line_buffering: bool) -> TextIO:
    raw = _Descriptor(fd, closed_at_start=closed_at_start, quiet=fd == 2)
    buffered = io.BufferedWriter(raw)
    return io.TextIOWrapper(
        buffered, encoding="utf-8", errors="backslashreplace", newline="\n", line_buffering=line_buffering
    )


_CLOSED_AT_START: set[int] = set()


def closed_at_start(fd: int) -> bool:
    """Whether ``fd`` (1 or 2) was closed when :func:`install` ran (it holds /dev/null since)."""
    return fd in _CLOSED_AT_START


def install() -> None:
    """Put kortrade's stdout and stderr in place of Python's (JSON and CSV promise UTF-8 whatever the locale)."""
    for fd, name in ((1, "stdout"), (2, "stderr")):
        was_open = _open_or_null(fd)
        if not was_open:
            _CLOSED_AT_START.add(fd)
        old = getattr(sys, name)
        if old is not None:
            _flush_quietly(old)
        line_buffering = fd == 2 or (was_open and os.isatty(fd))
        # A closed stderr takes messages nowhere, quietly: only a closed stdout is an error.
        setattr(sys, name, _text(fd, closed_at_start=not was_open and fd == 1, line_buffering=line_buffering))


def _flush_quietly(stream: TextIO) -> None:
    with contextlib.suppress(OSError, ValueError):
        stream.flush()


def discard_stdout() -> None:
    """After an error on stdout has been reported: nothing more to it, not even at exit."""
    buffer = getattr(sys.stdout, "buffer", None)
    raw = getattr(buffer, "raw", None)
    if isinstance(raw, _Descriptor):
        raw.discard()
        return
    # A stdout of someone else's (a test runner's): point its descriptor at /dev/null.
    with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
