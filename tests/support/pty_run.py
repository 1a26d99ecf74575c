"""Run kortrade as a person's shell would: a clean environment, stdout on a real terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import termios
from pathlib import Path

# Settings of the caller's shell that would change what the program prints.
NOISE = (
    "NO_COLOR",
    "FORCE_COLOR",
    "TERM",
    "COLORTERM",
    "COLUMNS",
    "LINES",
    "KORTRADE_DATA",
    "KORTRADE_NO_FAST",
    "PYTHONIOENCODING",
    "PYTHONPATH",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
)


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without NOISE, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in NOISE}
    env.update(extra)
    return env


def run_on_pty(
    command: list[str], *, env: dict[str, str], cwd: Path | None = None, columns: int = 80, timeout: float = 120
) -> tuple[int, bytes, bytes]:
    """The exit code, what the terminal showed (CR LF back to LF), and stderr (a pipe)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    try:
        proc = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE, env=env, cwd=cwd
        )
    finally:
        os.close(slave)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: every writer of the terminal has gone
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    proc.stderr.close()
    # The terminal turns each newline into CR LF; a CR of the program's own would stay.
    return proc.wait(timeout=timeout), b"".join(chunks).replace(b"\r\n", b"\n"), stderr
