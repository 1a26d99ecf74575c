"""The SQLite index: built from a validated facts file, kept in the user's cache directory.

The YAML file stays the one source of truth; the index is derived from it and is
thrown away whenever it might not match:

- the file's identity, size, modification and change times (to the nanosecond)
  differ from those recorded, and its SHA-256 differs too (a ``touch`` alone only
  refreshes the record);
- a file of the facts file's ``series`` data package (``datapackage.json`` or one of
  its CSV files) has changed, judged the same way, by its status and then its SHA-256;
- the file was modified too close to the time it was indexed for its times to tell
  a second edit apart (the "racy" window of coarse file-system clocks): then its
  SHA-256 decides;
- kortrade's version or the index format changed;
- the index file is damaged, truncated or not one of ours.

An index is built in a temporary file and renamed into place, so a reader never sees
half of one and two runs building at once both finish with a whole index. When the
cache directory cannot be written, the same index is built in memory.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from kortrade.index_tables import APPLICATION_ID, INDEX_FORMAT
from kortrade.load import read_snapshot, resolve_data_path
from kortrade.version import __version__

if TYPE_CHECKING:
    from kortrade.model import Dataset

CACHE_ENV: Final = "KORTRADE_CACHE_DIR"
# File-system clocks can be as coarse as two seconds (FAT); a file modified this
# close to its indexing is checked by content until it is safely older.
RACY_WINDOW_NS: Final = 2_000_000_000


@dataclass(frozen=True, slots=True)
class IndexStatus:
    """Where the index lives and why it is trusted; what ``kortrade info`` shows."""

    data_path: str
    index_path: str | None  # None: built in memory
    state: str  # "fresh", "verified", "rebuilt" or "in memory"
    reason: str
    sha256: str


def cache_dir() -> str:
    """``KORTRADE_CACHE_DIR``, else ``$XDG_CACHE_HOME/kortrade``, else ``~/.cache/kortrade``.

    A leading ``~`` is the home folder (a quoted '~/kc' reaches us unexpanded). The XDG
    spec says a relative path is invalid and must be ignored; so is a relative
    ``KORTRADE_CACHE_DIR``, which would otherwise leave a cache in whatever folder
    kortrade happened to run in.
    """
    explicit = _absolute(os.environ.get(CACHE_ENV, ""))
    if explicit is not None:
        return explicit
    xdg = _absolute(os.environ.get("XDG_CACHE_HOME", ""))
    base = xdg if xdg is not None else os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "kortrade")


def _absolute(value: str) -> str | None:
    """``value`` with ``~`` expanded, if that is an absolute path; else None (unset or invalid)."""
    expanded = os.path.expanduser(value) if value.startswith("~") else value
    return expanded if os.path.isabs(expanded) else None


def index_path_for(data_path: str | os.PathLike[str]) -> str:
    """One index per facts file, named by a checksum of its absolute path (kept in the index too)."""
    import zlib

    real = os.fsencode(os.path.realpath(data_path))
    # zlib rather than hashlib: loading OpenSSL costs more than a whole lookup's query.
    key = f"{zlib.crc32(real):08x}{zlib.adler32(real):08x}"
    return os.path.join(cache_dir(), f"facts-{key}.sqlite3")


def open_index(path: str | os.PathLike[str] | None = None) -> tuple[sqlite3.Connection, IndexStatus]:
    """A read-only connection to an index that matches the facts file, building it if needed."""
    data_path = resolve_data_path(path)
    name = str(data_path)
    checked_at = time.time_ns()
    try:
        status = os.stat(data_path)
    except OSError:
        status = None
    if status is None or not _is_regular(status):
        # Missing files get their error from the reader; pipes are indexed in memory.
        raw, status = read_snapshot(data_path)
        return _build_in_memory(raw, name, "the data is not a regular file")
    target = index_path_for(data_path)
    real = os.path.realpath(data_path)
    existing = _open_existing(target, real)
    if existing is not None:
        conn, meta = existing
        series = _series_files(meta)
        if _same_file(meta, status) and not _racy(meta) and _series_unchanged(series, meta):
            return conn, IndexStatus(name, target, "fresh", "file unchanged since indexed", str(meta["sha256"]))
        raw, status = read_snapshot(data_path)
        digest = sha256(raw)
        if digest == meta["sha256"]:
            restamped = _series_restamped(series)
            if restamped is not None:
                _restamp(target, status, checked_at, restamped)
                return conn, IndexStatus(name, target, "verified", "content unchanged (SHA-256)", digest)
            reason = "a file of its series data package changed"
        else:
            reason = "the file changed"
        conn.close()
    else:
        raw, status = read_snapshot(data_path)
        reason = "no usable index"
    return _build_file(raw, name, status, checked_at, target, reason)


def sha256(raw: bytes) -> str:
    import hashlib

    return hashlib.sha256(raw).hexdigest()


def _is_regular(status: os.stat_result) -> bool:
    import stat

    return stat.S_ISREG(status.st_mode)


# -- reading an existing index ---------------------------------------------------


def _read_only_uri(path: str) -> str:
    # SQLite reads %HH escapes in file: URIs and stops the path at ? or #.
    quoted = path.replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return f"file:{quoted}?mode=ro"


def _open_existing(target: str, real: str) -> tuple[sqlite3.Connection, dict[str, object]] | None:
    """The index at ``target`` with its meta, or None if it is missing, foreign, stale or damaged."""
    try:
        size = os.stat(target).st_size
    except OSError:
        return None
    conn = None
    try:
        conn = sqlite3.connect(_read_only_uri(os.path.abspath(target)), uri=True, check_same_thread=False)
        app_id, fmt, pages, page_size = conn.execute(
            "SELECT * FROM pragma_application_id, pragma_user_version, pragma_page_count, pragma_page_size"
        ).fetchone()
        if (app_id, fmt) != (APPLICATION_ID, INDEX_FORMAT) or pages * page_size != size:
            raise sqlite3.DatabaseError("not a kortrade index of this format, or truncated")
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("kortrade_version") != __version__ or meta.get("data_path") != real or "sha256" not in meta:
            raise sqlite3.DatabaseError("built by another version of kortrade, or for another file")
    except (sqlite3.Error, ValueError):
        if conn is not None:
            conn.close()
        return None
    return conn, meta


def _same_file(meta: dict[str, object], status: os.stat_result) -> bool:
    return _stat_meta(status) == {k: meta.get(k) for k in _STAT_KEYS}


def _racy(meta: dict[str, object]) -> bool:
    """Was the file changed so close to its indexing that a second change might keep its times?"""
    mtime, ctime, checked = meta.get("mtime_ns"), meta.get("ctime_ns"), meta.get("checked_at_ns")
    if not isinstance(mtime, int) or not isinstance(ctime, int) or not isinstance(checked, int):
        return True
    return max(mtime, ctime) > checked - RACY_WINDOW_NS


def _series_files(meta: dict[str, object]) -> list[list[Any]]:
    """``[path, sha256, dev, ino, size, mtime_ns, ctime_ns]`` of each data package file indexed."""
    import json

    text = meta.get("series_files")
    if not isinstance(text, str) or text == "[]":
        return []
    files: list[list[Any]] = json.loads(text)
    return files


def _series_unchanged(files: list[list[Any]], meta: dict[str, object]) -> bool:
    """Each data package file has the status recorded, and was not changed so close to its
    indexing that a second change might keep its times (as :func:`_racy` for the facts file)."""
    checked = meta.get("checked_at_ns")
    if not isinstance(checked, int):
        return not files
    for path, _, *recorded in files:
        try:
            status = os.stat(path)
        except OSError:
            return False
        now = [status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns]
        if now != recorded or max(status.st_mtime_ns, status.st_ctime_ns) > checked - RACY_WINDOW_NS:
            return False
    return True


def _series_restamped(files: list[list[Any]]) -> list[list[Any]] | None:
    """The records of the data package files with their new status if every one's content
    is unchanged, else None (the index must be built again)."""
    from kortrade.series_load import read_data_file

    restamped: list[list[Any]] = []
    for path, digest, *_ in files:
        try:
            _, now = read_data_file(path)
        except OSError:
            return None
        if now.sha256 != digest:
            return None
        restamped.append([path, digest, now.dev, now.ino, now.size, now.mtime_ns, now.ctime_ns])
    return restamped


def _restamp(target: str, status: os.stat_result, checked_at: int, series: list[list[Any]]) -> None:
    """Record the file's new status once its content is known to be unchanged.

    Best effort: in a read-only cache the content is simply checked again next time.
    The journal stays in memory: another run may rename a new index over this one at any
    moment, and a journal file left beside the old one would look, to every reader of the
    new one, like a crashed write to roll back, which a read-only connection cannot do
    ("attempt to write a readonly database", "vtable constructor failed": exit 70 in
    tests/test_process_safety.py, about one run in ten). The cost: a power cut during this
    one-page write could leave the page torn; the index is a cache, and one found damaged
    is rebuilt.
    """
    import json

    meta = {**_stat_meta(status), "checked_at_ns": checked_at}
    if series:
        meta["series_files"] = json.dumps(series, ensure_ascii=False, separators=(",", ":"))
    with contextlib.suppress(sqlite3.Error, OSError):
        conn = sqlite3.connect(target, timeout=0.5)
        try:
            conn.execute("PRAGMA journal_mode = MEMORY")
            with conn:
                conn.executemany("UPDATE meta SET value = ? WHERE key = ?", [(v, k) for k, v in meta.items()])
        finally:
            conn.close()


_STAT_KEYS: Final = ("dev", "ino", "size", "mtime_ns", "ctime_ns")


def _stat_meta(status: os.stat_result) -> dict[str, object]:
    return {
        "dev": status.st_dev,
        "ino": status.st_ino,
        "size": status.st_size,
        "mtime_ns": status.st_mtime_ns,
        "ctime_ns": status.st_ctime_ns,
    }


# -- building -------------------------------------------------------------------------


def _build_file(
    raw: bytes, name: str, status: os.stat_result, checked_at: int, target: str, reason: str
) -> tuple[sqlite3.Connection, IndexStatus]:
    import tempfile

    from kortrade.build import write_index
    from kortrade.load import parse_dataset

    dataset = parse_dataset(raw, name)
    real = os.path.realpath(name)
    meta = {**_stat_meta(status), "checked_at_ns": checked_at, "sha256": sha256(raw), "data_path": real}
    folder = os.path.dirname(target) or "."
    try:
        os.makedirs(folder, exist_ok=True)
        _sweep_temporaries(folder)
        handle, temporary = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=".tmp", dir=folder)
        os.close(handle)
    except OSError as exc:
        return _in_memory(dataset, name, meta, f"cache directory not writable ({_reason(exc)})")
    try:
        conn = sqlite3.connect(temporary, check_same_thread=False)
        write_index(conn, dataset, meta)
        conn.close()
        os.replace(temporary, target)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return _in_memory(dataset, name, meta, f"cannot write the index ({_reason(exc)})")
    except BaseException:  # Ctrl-C mid-build: leave no temporary file behind
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    opened = _open_existing(target, real)
    if opened is None:  # replaced at this very moment by a damaged file: still answer
        return _in_memory(dataset, name, meta, "the index could not be read back")
    return opened[0], IndexStatus(name, target, "rebuilt", reason, str(meta["sha256"]))


_TEMP_PREFIX: Final = ".facts-"
# A build takes seconds; a temporary file this old was left by a killed run.
_STALE_TEMP_SECONDS: Final = 3600


def _sweep_temporaries(folder: str) -> None:
    """Remove index files a killed build left half-written (never a running build's)."""
    now = time.time()
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(_TEMP_PREFIX) and entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    if now - entry.stat().st_mtime > _STALE_TEMP_SECONDS:
                        os.unlink(entry.path)


def memory_index(path: str | os.PathLike[str], reason: str) -> tuple[sqlite3.Connection, IndexStatus]:
    """An index of the facts file held in memory only."""
    raw, _ = read_snapshot(path)
    return _build_in_memory(raw, str(path), reason)


def _build_in_memory(raw: bytes, name: str, reason: str) -> tuple[sqlite3.Connection, IndexStatus]:
    from kortrade.load import parse_dataset

    meta = {"sha256": sha256(raw), "size": len(raw)}
    return _in_memory(parse_dataset(raw, name), name, meta, reason)


def _in_memory(
    dataset: Dataset, name: str, meta: dict[str, object], reason: str
) -> tuple[sqlite3.Connection, IndexStatus]:
    from kortrade.build import write_index

    conn = sqlite3.connect(":memory:", check_same_thread=False)
    write_index(conn, dataset, meta)
    return conn, IndexStatus(name, None, "in memory", reason, str(meta["sha256"]))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
