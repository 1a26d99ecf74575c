"""Writing a file for the user (``--output``): whole or not at all, and never over a file by surprise."""

from __future__ import annotations

import contextlib
import os

from kortrade.errors import UsageError


def write_file(path: str, text: str, *, force: bool) -> None:
    """Write ``text`` to ``path`` atomically; an existing file is replaced only with ``force``.

    The text goes to a temporary file beside ``path`` first, so a reader (or a crash)
    never sees half a file; without ``force`` it is linked into place, which fails if
    another file appeared there meanwhile.
    """
    import tempfile  # here: it costs every command's start-up 3 ms, and only writing needs it

    if not force and os.path.lexists(path):
        raise UsageError(f"{path} already exists; add --force to replace it")
    folder = os.path.dirname(os.path.abspath(path))
    try:
        handle, temporary = tempfile.mkstemp(prefix=".kortrade-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.chmod(temporary, 0o666 & ~_umask())
        if force:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)
    except FileExistsError:
        raise UsageError(f"{path} already exists; add --force to replace it") from None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
