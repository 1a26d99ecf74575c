"""Run kortrade as on a person's own terminal: a pseudo-terminal that is the process's controlling terminal.

``support.pty_run.run_on_pty`` gives stdout a terminal but no controlling terminal, so
there is no keyboard behind it and kortrade never pages there. Here the program
leads a session of its own with the terminal as its controlling one, as a shell's
job does, and keys can be typed into it.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import termios
import time
from pathlib import Path


def _take_the_terminal() -> None:
    # In the child, after setsid(): the terminal on stdin becomes the controlling one.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def run_on_terminal(
    command: list[str],
    *,
    env: dict[str, str],
    cwd: Path | None = None,
    columns: int = 80,
    rows: int = 24,
    keys: bytes = b"",
    timeout: float = 60,
) -> tuple[int, bytes, bytes]:
    """The exit code, what the terminal showed (CR LF back to LF), and stderr (a pipe).

    ``keys`` are typed once the program has shown something (as a person would,
    reading first), then again every second until it ends.
    """
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    try:
        proc = subprocess.Popen(
            command,
            stdin=slave,
            stdout=slave,
            stderr=subprocess.PIPE,
            env=env,
            cwd=cwd,
            start_new_session=True,
            preexec_fn=_take_the_terminal,
        )
    finally:
        os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    typed_at = 0.0
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: every writer of the terminal has gone
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            if keys and chunks and time.monotonic() - typed_at > 1:
                os.write(master, keys)
                typed_at = time.monotonic()
        else:
            proc.kill()
            raise AssertionError(f"{command} still running after {timeout} s; it showed: {b''.join(chunks)!r}")
    finally:
        os.close(master)
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    proc.stderr.close()
    return proc.wait(timeout=timeout), b"".join(chunks).replace(b"\r\n", b"\n"), stderr
