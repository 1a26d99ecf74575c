"""The SQLite index: built from a validated facts file, kept in the user's cache directory.

The YAML file stays the one source of truth; the index is derived from it and is
thrown away whenever it might not match:

- the file's identity, size, modification and change times (to the nanosecond)
  differ from those recorded, and its SHA-256 differs too (a ``touch`` alone only
  refreshes the record);
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
import hashlib
import json
import os
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from kortrade.version import __version__
from kortrade.errors import DataError, Problem
from kortrade.load import read_snapshot, resolve_data_path
from kortrade.model import Dataset
from kortrade.records import entity_record, fact_record, source_record
from kortrade.segment import segment

CACHE_ENV: Final = "KORTRADE_CACHE_DIR"
# Bumped whenever the tables below change shape.
INDEX_FORMAT: Final = 1
APPLICATION_ID: Final = 0x6B6F7274  # "kort"
# File-system clocks can be as coarse as two seconds (FAT); a file modified this
# close to its indexing is checked by content until it is safely older.
RACY_WINDOW_NS: Final = 2_000_000_000
# Statement counts most, then names, items and tags, then the note.
RANK_WEIGHTS: Final = (4.0, 2.0, 2.0, 2.0, 1.0)

SCHEMA: Final = f"""
PRAGMA application_id = {APPLICATION_ID};
PRAGMA user_version = {INDEX_FORMAT};
CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE sources (position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, record TEXT NOT NULL);
CREATE TABLE facts (
    position INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    topic TEXT NOT NULL,
    source TEXT NOT NULL,
    first_year INTEGER,
    last_year INTEGER,
    record TEXT NOT NULL
);
CREATE TABLE fact_tags (tag TEXT NOT NULL, fact INTEGER NOT NULL, PRIMARY KEY (tag, fact)) WITHOUT ROWID;
CREATE TABLE entities (position INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, record TEXT NOT NULL);
CREATE TABLE entity_names (folded TEXT NOT NULL, entity TEXT NOT NULL, PRIMARY KEY (folded, entity)) WITHOUT ROWID;
CREATE TABLE fact_entities (entity TEXT NOT NULL, fact INTEGER NOT NULL, PRIMARY KEY (entity, fact)) WITHOUT ROWID;
CREATE VIRTUAL TABLE fact_text USING fts5(
    statement, names, items, tags, note,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
"""
# Built after the rows are in: one sort instead of a b-tree insert per row.
SCHEMA_INDEXES: Final = """
CREATE UNIQUE INDEX facts_by_id ON facts (id);
CREATE INDEX facts_by_topic ON facts (topic, position);
"""


@dataclass(frozen=True, slots=True)
class IndexStatus:
    """Where the index lives and why it is trusted; what ``kortrade info`` shows."""

    data_path: str
    index_path: str | None  # None: built in memory
    state: str  # "fresh", "verified", "rebuilt" or "in memory"
    reason: str
    sha256: str


def cache_dir() -> Path:
    """``KORTRADE_CACHE_DIR``, else ``$XDG_CACHE_HOME/kortrade``, else ``~/.cache/kortrade``."""
    explicit = os.environ.get(CACHE_ENV, "")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    # The XDG spec says a relative path is invalid and must be ignored.
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "kortrade"


def index_path_for(data_path: Path) -> Path:
    """One index per facts file, named by a hash of its absolute path."""
    key = hashlib.sha256(os.fsencode(os.path.realpath(data_path))).hexdigest()[:20]
    return cache_dir() / f"facts-{key}.sqlite3"


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
    existing = _open_existing(target)
    if existing is not None:
        conn, meta = existing
        if _same_file(meta, status) and not _racy(meta):
            return conn, IndexStatus(name, str(target), "fresh", "file unchanged since indexed", str(meta["sha256"]))
        raw, status = read_snapshot(data_path)
        digest = hashlib.sha256(raw).hexdigest()
        if digest == meta["sha256"]:
            _restamp(target, status, checked_at)
            return conn, IndexStatus(name, str(target), "verified", "content unchanged (SHA-256)", digest)
        conn.close()
        reason = "the file changed"
    else:
        raw, status = read_snapshot(data_path)
        reason = "no usable index"
    return _build_file(raw, name, status, checked_at, target, reason)


def _is_regular(status: os.stat_result) -> bool:
    import stat

    return stat.S_ISREG(status.st_mode)


# -- reading an existing index ---------------------------------------------------


def _open_existing(target: Path) -> tuple[sqlite3.Connection, dict[str, object]] | None:
    """The index at ``target`` with its meta, or None if it is missing, foreign, stale or damaged."""
    try:
        size = target.stat().st_size
    except OSError:
        return None
    conn = None
    try:
        conn = sqlite3.connect(f"{target.as_uri()}?mode=ro", uri=True, check_same_thread=False)
        app_id, fmt, pages, page_size = conn.execute(
            "SELECT * FROM pragma_application_id, pragma_user_version, pragma_page_count, pragma_page_size"
        ).fetchone()
        if (app_id, fmt) != (APPLICATION_ID, INDEX_FORMAT) or pages * page_size != size:
            raise sqlite3.DatabaseError("not a kortrade index of this format, or truncated")
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("kortrade_version") != __version__ or "sha256" not in meta:
            raise sqlite3.DatabaseError("built by another version of kortrade")
    except (sqlite3.Error, ValueError):
        if conn is not None:
            conn.close()
        return None
    return conn, meta


def _same_file(meta: dict[str, object], status: os.stat_result) -> bool:
    return _stat_meta(status) == {k: meta.get(k) for k in _STAT_KEYS}


def _racy(meta: dict[str, object]) -> bool:
    mtime, checked = meta.get("mtime_ns"), meta.get("checked_at_ns")
    if not isinstance(mtime, int) or not isinstance(checked, int):
        return True
    return mtime > checked - RACY_WINDOW_NS


def _restamp(target: Path, status: os.stat_result, checked_at: int) -> None:
    """Record the file's new status once its content is known to be unchanged.

    Best effort: in a read-only cache the content is simply checked again next time.
    """
    meta = {**_stat_meta(status), "checked_at_ns": checked_at}
    with contextlib.suppress(sqlite3.Error, OSError):
        conn = sqlite3.connect(target, timeout=0.5)
        try:
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
    raw: bytes, name: str, status: os.stat_result, checked_at: int, target: Path, reason: str
) -> tuple[sqlite3.Connection, IndexStatus]:
    from kortrade.load import parse_dataset

    dataset = parse_dataset(raw, name)
    digest = hashlib.sha256(raw).hexdigest()
    meta = {**_stat_meta(status), "checked_at_ns": checked_at, "sha256": digest}
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".facts-", suffix=".tmp", dir=target.parent)
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
    opened = _open_existing(target)
    if opened is None:  # replaced at this very moment by a damaged file: still answer
        return _in_memory(dataset, name, meta, "the index could not be read back")
    return opened[0], IndexStatus(name, str(target), "rebuilt", reason, digest)


def memory_index(path: str | os.PathLike[str], reason: str) -> tuple[sqlite3.Connection, IndexStatus]:
    """An index of the facts file held in memory only."""
    raw, _ = read_snapshot(Path(path))
    return _build_in_memory(raw, str(path), reason)


def _build_in_memory(raw: bytes, name: str, reason: str) -> tuple[sqlite3.Connection, IndexStatus]:
    from kortrade.load import parse_dataset

    meta = {"sha256": hashlib.sha256(raw).hexdigest(), "size": len(raw)}
    return _in_memory(parse_dataset(raw, name), name, meta, reason)


def _in_memory(
    dataset: Dataset, name: str, meta: dict[str, object], reason: str
) -> tuple[sqlite3.Connection, IndexStatus]:
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    write_index(conn, dataset, meta)
    return conn, IndexStatus(name, None, "in memory", reason, str(meta["sha256"]))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def write_index(conn: sqlite3.Connection, dataset: Dataset, meta: dict[str, object]) -> None:
    """Fill an empty database with ``dataset``: one transaction, no journal (the file is new)."""
    _require_fts5(conn)
    conn.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA)
    with conn:
        _insert_sources(conn, dataset)
        names = _insert_entities(conn, dataset)
        _insert_facts(conn, dataset, names)
        conn.executescript(SCHEMA_INDEXES)
        counts = {"facts": len(dataset.facts), "sources": len(dataset.sources), "entities": len(dataset.entities)}
        info = {"kortrade_version": __version__, "built_at_ns": time.time_ns(), **counts, **meta}
        conn.executemany("INSERT INTO meta VALUES (?, ?)", info.items())


def _require_fts5(conn: sqlite3.Connection) -> None:
    try:
        conn.execute("CREATE VIRTUAL TABLE temp.probe USING fts5(x)")
        conn.execute("DROP TABLE temp.probe")
    except sqlite3.OperationalError:
        problem = Problem(
            "sqlite3", None, None, f"this Python's SQLite {sqlite3.sqlite_version} lacks FTS5, which kortrade needs"
        )
        raise DataError([problem]) from None


def _dumps(record: object) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def _insert_sources(conn: sqlite3.Connection, dataset: Dataset) -> None:
    conn.executemany(
        "INSERT INTO sources VALUES (?, ?, ?)",
        ((n, s.id, _dumps(source_record(s))) for n, s in enumerate(dataset.sources)),
    )


def _insert_entities(conn: sqlite3.Connection, dataset: Dataset) -> dict[str, list[str]]:
    """Every name of every entity; each name a fact uses stands for itself if not listed."""
    names: dict[str, list[str]] = {e.name: e.all_names() for e in dataset.entities}
    for fact in dataset.facts:
        for entity in fact.entities:
            names.setdefault(entity, [entity])
    conn.executemany(
        "INSERT INTO entities VALUES (?, ?, ?)",
        ((n, e.name, _dumps(entity_record(e))) for n, e in enumerate(dataset.entities)),
    )
    rows = {(n.casefold(), entity) for entity, all_names in names.items() for n in all_names}
    conn.executemany("INSERT INTO entity_names VALUES (?, ?)", sorted(rows))
    return names


def _insert_facts(conn: sqlite3.Connection, dataset: Dataset, names: dict[str, list[str]]) -> None:
    facts_rows: list[tuple[object, ...]] = []
    text_rows: list[tuple[object, ...]] = []
    tag_rows: list[tuple[str, int]] = []
    entity_rows: list[tuple[str, int]] = []
    for position, fact in enumerate(dataset.facts):
        period = fact.period
        facts_rows.append(
            (
                position,
                fact.id,
                fact.topic,
                fact.source.id,
                period.first.year if period else None,
                period.last.year if period else None,
                _dumps(fact_record(fact)),
            )
        )
        tag_rows.extend((tag, position) for tag in fact.tags)
        entity_rows.extend((entity, position) for entity in fact.entities)
        all_names = " ; ".join(n for entity in fact.entities for n in names[entity])
        text_rows.append(
            (
                position,
                segment(fact.statement),
                segment(all_names),
                segment(" ; ".join(fact.items)),
                " ".join(fact.tags),
                segment(fact.note or ""),
            )
        )
    conn.executemany("INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?)", facts_rows)
    conn.executemany("INSERT INTO fact_tags VALUES (?, ?)", tag_rows)
    conn.executemany("INSERT INTO fact_entities VALUES (?, ?)", entity_rows)
    conn.executemany(
        "INSERT INTO fact_text (rowid, statement, names, items, tags, note) VALUES (?,?,?,?,?,?)", text_rows
    )
