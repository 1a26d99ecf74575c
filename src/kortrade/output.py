"""Writing a file for the user (``--output``): whole or not at all, and never over a file by surprise.

Only a regular file (or a missing path, or a symlink to either) is written through a
temporary file and renamed into its place (a symlink is replaced, its target left as
it was: never a file elsewhere overwritten by surprise). A FIFO or a character device
(``/dev/null``, a named pipe a reader waits on) is written into, as ``cp`` and shell
redirection do: replacing it would leave a regular file in ``/dev`` and a reader that
gets nothing. A block device
is a disk: written into only with ``--force``. A path that is this process's own
stdout (``/dev/stdout``, ``/dev/fd/1``) is written as stdout.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys

from kortrade.errors import UsageError


def write_file(path: str, text: str, *, force: bool) -> None:
    """Write ``text`` to ``path``; an existing file is replaced only with ``force``.

    The text goes to a temporary file beside ``path`` first, so a reader (or a crash)
    never sees half a file; without ``force`` it is linked into place, which fails if
    another file appeared there meanwhile.
    """
    found = _stat(path)
    if found is not None and _is_stdout(found):
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    if found is not None and not stat.S_ISREG(found.st_mode) and not stat.S_ISDIR(found.st_mode):
        _write_into(path, text, found, force=force)
        return
    if not force and os.path.lexists(path):
        raise UsageError(f"{path} already exists; add --force to replace it")
    _replace(path, text, force=force)


def regular_target(path: str, *, what: str) -> str:
    """``path``, if it names a regular file or nothing (a symlink to either is replaced
    like them), for a file that cannot be written into a device or a FIFO (a database);
    else a UsageError."""
    found = _stat(path)
    if found is not None and not stat.S_ISREG(found.st_mode):
        kind = "a folder" if stat.S_ISDIR(found.st_mode) else "not a regular file"
        raise UsageError(f"cannot write {what} to {path}: {kind}")
    return path


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except (OSError, ValueError):
        return None  # missing, a dangling symlink, or unreadable: the write says why


def _is_stdout(found: os.stat_result) -> bool:
    try:
        ours = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    # /dev/null is everyone's: writing into it as a device or as stdout comes to the same.
    return (ours.st_dev, ours.st_ino) == (found.st_dev, found.st_ino) and not stat.S_ISCHR(found.st_mode)


def _write_into(path: str, text: str, found: os.stat_result, *, force: bool) -> None:
    """Write into a FIFO or a device as a shell redirection does (no temporary file, no rename)."""
    if stat.S_ISBLK(found.st_mode) and not force:
        raise UsageError(f"{path} is a block device (a disk); add --force to write into it")
    try:
        # O_TRUNC does nothing to a FIFO or a device; no O_CREAT: it must be the node just seen.
        handle = os.open(path, os.O_WRONLY)
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def _replace(target: str, text: str, *, force: bool) -> None:
    import tempfile  # here: it costs every command's start-up 3 ms, and only writing needs it

    folder = os.path.dirname(os.path.abspath(target))
    try:
        handle, temporary = tempfile.mkstemp(prefix=".kortrade-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.chmod(temporary, 0o666 & ~_umask())
        if force:
            os.replace(temporary, target)
        else:
            os.link(temporary, target)
    except FileExistsError:
        raise UsageError(f"{target} already exists; add --force to replace it") from None
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
