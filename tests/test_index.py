"""The SQLite index: where it lives, when it is trusted, and how it recovers.

The YAML file is the one source of truth. Whatever happens to the file or to the
cache (edits at the same size and second, a touch, a new kortrade, a damaged or
foreign index file, a cache that cannot be written, two builders at once), every
answer must be the file's current content, and the file itself is never written.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest

import kortrade.index
import kortrade.index_tables
import kortrade.version
from kortrade.errors import DataError
from kortrade.index import index_path_for, open_index
from kortrade.store import FactQuery, FactStore, Hit
from support.cli import Cli
from support.facts import MINIMAL, SOURCES, WriteFacts
from support.pty_run import clean_env

Answers = tuple[object, ...]

# The same length as MINIMAL ("came" -> "went"), and a longer edit.
EDITED_SAME_SIZE = MINIMAL.replace("Trade came to", "Trade went to")
EDITED_LONGER = MINIMAL.replace("Trade came to", "Trade climbed to")
assert len(EDITED_SAME_SIZE) == len(MINIMAL) != len(EDITED_LONGER)
assert EDITED_SAME_SIZE != MINIMAL

INVALID = MINIMAL.replace("source: src-a\n", "source: src-missing\n", 1)
INVALID_PROBLEM = "'source' refers to undefined source 'src-missing'; defined sources: src-a"

EXE = Path(sys.executable).parent / "kortrade"


# None of the settings of a person's shell that change what kortrade prints.
pytestmark = pytest.mark.usefixtures("quiet_environment")


@pytest.fixture(autouse=True)
def settled_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files these tests write count as settled (not modified within the racy window of
    their indexing), as files saved a while ago are; a file's change time cannot be set
    back, so the window itself is closed. Tests of the window open it again."""
    monkeypatch.setattr(kortrade.index, "RACY_WINDOW_NS", 0)


def open_racy_window(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kortrade.index, "RACY_WINDOW_NS", 2_000_000_000)


def age(path: Path, seconds: int = 60) -> None:
    """Set the file's times in the past, as for a file saved a while ago (outside the racy window)."""
    past = time.time_ns() - seconds * 1_000_000_000
    os.utime(path, ns=(past, past))


def ids(hits: list[Hit]) -> list[str]:
    return [str(hit.record["id"]) for hit in hits]


def answers(store: FactStore) -> Answers:
    """Everything a user can ask, so that two stores can be compared as a whole."""
    return (
        store.facts(),
        [(hit.record, hit.marks) for hit in store.search("trade OR visit OR went OR climbed")],
        store.facts(FactQuery(entity="korea")),
        store.topics(),
        store.sources(),
        store.entities(),
    )


def state_and_answers(path: Path) -> tuple[str, Answers]:
    with closing(FactStore.open(path)) as store:
        return store.status.state, answers(store)


def reference_answers(content: str | bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Answers:
    """The answers for ``content`` from a store of its own, in a cache of its own."""
    with monkeypatch.context() as patch:
        patch.setenv("KORTRADE_CACHE_DIR", str(tmp_path / "reference-cache"))
        path = tmp_path / f"reference-{hashlib.sha256(str(content).encode()).hexdigest()[:8]}.yaml"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        with closing(FactStore.open(path)) as store:
            return answers(store)


def cache_files(cache: Path) -> list[str]:
    return sorted(p.name for p in cache.iterdir()) if cache.exists() else []


def can_create_files_in(directory: Path) -> bool:
    """Whether this process can write there (root can, whatever the mode says)."""
    try:
        handle, name = tempfile.mkstemp(dir=directory)
    except OSError:
        return False
    os.close(handle)
    os.unlink(name)
    return True


# -- where the index lives --------------------------------------------------------------


def test_first_open_builds_the_index_then_it_is_fresh(cache_dir: Path, minimal: Path) -> None:
    age(minimal)
    with closing(FactStore.open(minimal)) as store:
        assert store.status.state == "rebuilt"
        assert store.status.index_path == str(index_path_for(minimal))
        built = answers(store)
    index = Path(str(index_path_for(minimal)))
    assert index.parent == cache_dir
    assert index.is_file()
    assert cache_files(cache_dir) == [index.name]
    with closing(FactStore.open(minimal)) as store:
        assert store.status.state == "fresh"
        assert store.status.index_path == str(index)
        assert answers(store) == built
        assert [r["id"] for r in store.facts()] == ["fact-one", "fact-two"]


def test_open_index_gives_a_read_only_connection(cache_dir: Path, minimal: Path) -> None:
    conn, status = open_index(minimal)
    try:
        assert status.state == "rebuilt"
        assert status.data_path == str(minimal)
        assert status.sha256 == hashlib.sha256(minimal.read_bytes()).hexdigest()
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("DELETE FROM facts")
    finally:
        conn.close()


def test_same_file_by_another_spelling_shares_the_index(
    cache_dir: Path, minimal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    age(minimal)
    assert state_and_answers(minimal)[0] == "rebuilt"
    link = tmp_path / "link.yaml"
    link.symlink_to(minimal)
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)
    for spelling in (Path("minimal.yaml"), link, Path("./sub/../minimal.yaml")):
        assert index_path_for(spelling) == index_path_for(minimal)
        assert state_and_answers(spelling)[0] == "fresh", spelling
    assert len(cache_files(cache_dir)) == 1


def test_each_file_has_an_index_of_its_own(cache_dir: Path, write_facts: WriteFacts) -> None:
    one = write_facts(MINIMAL, "one.yaml")
    two = write_facts(EDITED_SAME_SIZE, "two.yaml")
    assert index_path_for(one) != index_path_for(two)
    with closing(FactStore.open(one)) as first, closing(FactStore.open(two)) as second:
        assert ids(first.search("came")) == ["fact-one"]
        assert ids(second.search("came")) == []
        assert ids(second.search("went")) == ["fact-one"]
    assert len(cache_files(cache_dir)) == 2


def test_index_under_xdg_cache_home_without_kortrade_cache_dir(
    minimal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KORTRADE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert Path(kortrade.index.cache_dir()) == tmp_path / "xdg" / "kortrade"
    with closing(FactStore.open(minimal)) as store:
        assert store.status.state == "rebuilt"
        assert Path(str(store.status.index_path)).parent == tmp_path / "xdg" / "kortrade"
    assert len(cache_files(tmp_path / "xdg" / "kortrade")) == 1
    assert not (tmp_path / "home").exists()


def test_empty_kortrade_cache_dir_counts_as_unset(
    minimal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KORTRADE_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    with closing(FactStore.open(minimal)) as store:
        assert Path(str(store.status.index_path)).parent == tmp_path / "xdg" / "kortrade"


@pytest.mark.parametrize("xdg", [None, "", "relative/cache"], ids=["unset", "empty", "relative"])
def test_index_under_home_cache_otherwise(
    minimal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, xdg: str | None
) -> None:
    # The XDG spec: a relative XDG_CACHE_HOME is invalid and must be ignored.
    monkeypatch.delenv("KORTRADE_CACHE_DIR")
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    expected = home / ".cache" / "kortrade"
    assert Path(kortrade.index.cache_dir()) == expected
    with closing(FactStore.open(minimal)) as store:
        assert store.status.state == "rebuilt"
        assert Path(str(store.status.index_path)).parent == expected
    assert len(cache_files(expected)) == 1
    assert list(work.iterdir()) == []  # nothing made relative to the working directory


# -- edits to the data file ---------------------------------------------------------------


def test_edit_changing_the_size_is_seen(cache_dir: Path, minimal: Path) -> None:
    age(minimal)
    assert state_and_answers(minimal)[0] == "rebuilt"
    minimal.write_text(EDITED_LONGER, encoding="utf-8")
    with closing(FactStore.open(minimal)) as store:
        assert store.status.state == "rebuilt"
        assert store.get("fact-one")["statement"] == "Trade climbed to $1.5 billion in 2024."
        assert ids(store.search("climbed")) == ["fact-one"]
        assert store.search("came") == []


@pytest.mark.parametrize("restore_mtime", [False, True], ids=["new-mtime", "old-mtime-restored"])
@pytest.mark.parametrize("aged", [False, True], ids=["just-written", "written-a-minute-ago"])
def test_edit_keeping_the_size_is_seen(cache_dir: Path, minimal: Path, aged: bool, restore_mtime: bool) -> None:
    """Same size, rewritten at once (same second), even with the old modification time put back."""
    if aged:
        age(minimal)
    assert state_and_answers(minimal)[0] == "rebuilt"
    before = minimal.stat()
    minimal.write_text(EDITED_SAME_SIZE, encoding="utf-8")
    if restore_mtime:
        os.utime(minimal, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = minimal.stat()
    assert (after.st_size, after.st_ino) == (before.st_size, before.st_ino)
    if restore_mtime:
        assert after.st_mtime_ns == before.st_mtime_ns
    with closing(FactStore.open(minimal)) as store:
        assert store.status.state == "rebuilt"
        assert store.status.sha256 == hashlib.sha256(EDITED_SAME_SIZE.encode()).hexdigest()
        assert store.get("fact-one")["statement"] == "Trade went to $1.5 billion in 2024."
        assert ids(store.search("went")) == ["fact-one"]
        assert store.search("came") == []


def test_edit_and_edit_back_is_seen_both_times(cache_dir: Path, minimal: Path) -> None:
    for content, word in [(EDITED_SAME_SIZE, "went"), (MINIMAL, "came"), (EDITED_SAME_SIZE, "went")]:
        minimal.write_text(content, encoding="utf-8")
        with closing(FactStore.open(minimal)) as store:
            assert ids(store.search(word)) == ["fact-one"]
            assert store.search("went" if word == "came" else "came") == []


def test_edit_replacing_the_file_is_seen(cache_dir: Path, minimal: Path, tmp_path: Path) -> None:
    """Editors that save by writing a new file and renaming it over the old one."""
    age(minimal)
    before = minimal.stat()
    assert state_and_answers(minimal)[0] == "rebuilt"
    replacement = tmp_path / "new.yaml"
    replacement.write_text(EDITED_SAME_SIZE, encoding="utf-8")
    os.utime(replacement, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(replacement, minimal)
    with closing(FactStore.open(minimal)) as store:
        assert store.status.state == "rebuilt"
        assert ids(store.search("went")) == ["fact-one"]


def test_touch_alone_is_verified_by_content_not_rebuilt(cache_dir: Path, minimal: Path) -> None:
    age(minimal, 120)
    with closing(FactStore.open(minimal)) as store:
        assert store.status.state == "rebuilt"
        expected = answers(store)
    index = Path(str(index_path_for(minimal)))
    inode = index.stat().st_ino
    content = minimal.read_bytes()
    touches: list[Callable[[], None]] = [lambda: age(minimal, 60), lambda: os.utime(minimal)]
    for touch in touches:
        touch()
        with closing(FactStore.open(minimal)) as store:
            assert store.status.state == "verified"
            assert store.status.sha256 == hashlib.sha256(content).hexdigest()
            assert answers(store) == expected
        assert index.stat().st_ino == inode  # the index was not replaced
    assert cache_files(cache_dir) == [index.name]


def test_touch_is_recorded_so_the_next_open_is_fresh(cache_dir: Path, minimal: Path) -> None:
    age(minimal, 120)
    assert state_and_answers(minimal)[0] == "rebuilt"
    age(minimal, 60)
    assert state_and_answers(minimal)[0] == "verified"
    assert state_and_answers(minimal)[0] == "fresh"


def test_just_written_file_is_checked_by_content(
    cache_dir: Path, minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Modified within the file system's clock resolution of its indexing: the times
    # cannot tell a second edit apart, so the content decides (and still matches).
    open_racy_window(monkeypatch)
    assert state_and_answers(minimal)[0] == "rebuilt"
    assert state_and_answers(minimal)[0] == "verified"
    assert state_and_answers(minimal)[0] == "verified"  # still too close to tell by times


def test_a_file_only_its_times_back_dated_is_still_checked_by_content(
    cache_dir: Path, minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # tar and rsync -t set old modification times; the change time shows the file is new.
    open_racy_window(monkeypatch)
    age(minimal, 3600)
    assert state_and_answers(minimal)[0] == "rebuilt"
    assert state_and_answers(minimal)[0] == "verified"


# -- kortrade's version -------------------------------------------------------------------


def test_new_kortrade_version_rebuilds(cache_dir: Path, minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    age(minimal)
    state, expected = state_and_answers(minimal)
    assert state == "rebuilt"
    index = Path(str(index_path_for(minimal)))
    inode = index.stat().st_ino
    # A new release: every module that holds the version sees the new one.
    modules = [m for name, m in sys.modules.items() if name.split(".")[0] == "kortrade" and hasattr(m, "__version__")]
    assert kortrade.index in modules
    for module in modules:
        monkeypatch.setattr(module, "__version__", "99.0.0")
    state, got = state_and_answers(minimal)
    assert state == "rebuilt"
    assert got == expected
    assert index.stat().st_ino != inode


def test_index_recording_another_version_is_rebuilt(cache_dir: Path, minimal: Path) -> None:
    age(minimal)
    _, expected = state_and_answers(minimal)
    index = Path(str(index_path_for(minimal)))
    with closing(sqlite3.connect(index)) as conn, conn:
        changed = conn.execute("UPDATE meta SET value = '0.0.1' WHERE key = 'kortrade_version'").rowcount
    assert changed == 1
    assert state_and_answers(minimal) == ("rebuilt", expected)
    assert state_and_answers(minimal) == ("fresh", expected)


# -- a damaged or foreign index file --------------------------------------------------------


def _random_bytes(index: Path) -> None:
    index.write_bytes(random.Random(1).randbytes(16384))


def _truncated_to_half(index: Path) -> None:
    data = index.read_bytes()
    index.write_bytes(data[: len(data) // 2])


def _another_apps_database(index: Path) -> None:
    index.unlink()
    with closing(sqlite3.connect(index)) as conn, conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value)")
        conn.execute("INSERT INTO meta VALUES ('kortrade_version', ?)", (kortrade.version.__version__,))
        conn.execute("CREATE TABLE facts (position INTEGER PRIMARY KEY, record TEXT)")


def _impostor_with_our_header(index: Path) -> None:
    # Our application id and format number, but none of our tables.
    index.unlink()
    with closing(sqlite3.connect(index)) as conn:
        conn.execute(f"PRAGMA application_id = {kortrade.index_tables.APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {kortrade.index_tables.INDEX_FORMAT}")
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.commit()


def _zero_bytes(index: Path) -> None:
    index.write_bytes(b"")


def _a_directory(index: Path) -> None:
    index.unlink()
    index.mkdir()


@pytest.mark.parametrize(
    "damage",
    [_random_bytes, _truncated_to_half, _another_apps_database, _impostor_with_our_header, _zero_bytes],
    ids=["random-bytes", "truncated", "another-app", "impostor", "zero-bytes"],
)
def test_damaged_index_is_rebuilt_transparently(
    cache_dir: Path, classic: Path, tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    data = tmp_path / "facts.yaml"
    shutil.copyfile(classic, data)
    age(data)
    state, expected = state_and_answers(data)
    assert state == "rebuilt"
    index = Path(str(index_path_for(data)))
    damage(index)
    assert state_and_answers(data) == ("rebuilt", expected)
    assert state_and_answers(data) == ("fresh", expected)  # repaired on disk


def test_directory_in_place_of_the_index_still_answers(cache_dir: Path, classic: Path, tmp_path: Path) -> None:
    data = tmp_path / "facts.yaml"
    shutil.copyfile(classic, data)
    age(data)
    _, expected = state_and_answers(data)
    _a_directory(Path(str(index_path_for(data))))
    state, got = state_and_answers(data)
    assert got == expected
    assert state in ("rebuilt", "in memory")
    assert not [name for name in cache_files(cache_dir) if name.endswith(".tmp")]


def test_any_damaged_page_is_repaired_on_first_use(cache_dir: Path, classic: Path, tmp_path: Path) -> None:
    """A page overwritten inside an index whose header still looks right: queries rebuild it.

    Every page of the index is damaged in turn, each time rebuilt: the classic file's small
    index keeps that to about 40 builds (the shipped file's, over a thousand).
    """
    data = tmp_path / "facts.yaml"
    shutil.copyfile(classic, data)
    age(data)
    _, expected = state_and_answers(data)
    index = Path(str(index_path_for(data)))
    good = index.read_bytes()
    page = 4096
    with closing(sqlite3.connect(f"{index.as_uri()}?mode=ro", uri=True)) as conn:
        (page,) = conn.execute("PRAGMA page_size").fetchone()
    assert len(good) % page == 0
    for number in range(1, len(good) // page):  # page 0 holds the header
        damaged = bytearray(good)
        damaged[number * page : (number + 1) * page] = b"\xab" * page
        index.write_bytes(bytes(damaged))
        with closing(FactStore.open(data)) as store:
            assert answers(store) == expected, f"page {number}"
            assert store.status.state in ("fresh", "rebuilt")


# -- a cache that cannot be written -----------------------------------------------------------


def test_cache_under_a_regular_file_answers_from_memory(
    minimal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = reference_answers(MINIMAL, tmp_path, monkeypatch)
    blocker = tmp_path / "file"
    blocker.write_text("not a directory\n")
    monkeypatch.setenv("KORTRADE_CACHE_DIR", str(blocker / "cache"))
    for _ in range(2):  # and again: nothing was kept
        with closing(FactStore.open(minimal)) as store:
            assert store.status.state == "in memory"
            assert store.status.index_path is None
            assert store.status.sha256 == hashlib.sha256(MINIMAL.encode()).hexdigest()
            assert answers(store) == expected
    assert blocker.read_text() == "not a directory\n"


def test_cli_with_an_unwritable_cache(cli: Cli, minimal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("KORTRADE_CACHE_DIR", str(blocker / "cache"))
    info = cli("info", "--json", "--data", str(minimal))
    assert info.exit_code == 0, info.stderr
    assert info.stderr == ""
    record = json.loads(info.stdout)
    assert (record["index"], record["index_size"], record["index_state"]) == (None, None, "in memory")
    assert record["facts"] == 2
    found = cli("search", "trade", "--json", "--data", str(minimal))
    assert found.exit_code == 0
    assert [r["id"] for r in json.loads(found.stdout)] == ["fact-one"]


@pytest.fixture
def read_only_cache(cache_dir: Path) -> Iterator[Path]:
    cache_dir.mkdir()
    yield cache_dir
    cache_dir.chmod(0o700)


def _lock(directory: Path) -> str:
    """Make ``directory`` read-only; the state a build there ends in (root writes anyway)."""
    directory.chmod(0o500)
    return "rebuilt" if can_create_files_in(directory) else "in memory"


def test_read_only_cache_directory_answers_from_memory(
    read_only_cache: Path, minimal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = reference_answers(MINIMAL, tmp_path, monkeypatch)
    state = _lock(read_only_cache)
    with closing(FactStore.open(minimal)) as store:
        assert store.status.state == state
        assert (store.status.index_path is None) == (state == "in memory")
        assert answers(store) == expected
    if state == "in memory":
        assert cache_files(read_only_cache) == []


def test_read_only_cache_with_an_index_still_uses_it(read_only_cache: Path, minimal: Path) -> None:
    age(minimal, 120)
    state, expected = state_and_answers(minimal)
    assert state == "rebuilt"
    _lock(read_only_cache)
    assert state_and_answers(minimal) == ("fresh", expected)
    age(minimal, 60)  # a touch: the check by content works without writing its result
    assert state_and_answers(minimal) == ("verified", expected)


def test_read_only_cache_with_a_stale_index_answers_the_new_content(
    read_only_cache: Path, minimal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    age(minimal)
    assert state_and_answers(minimal)[0] == "rebuilt"
    state = _lock(read_only_cache)
    minimal.write_text(EDITED_LONGER, encoding="utf-8")
    expected = reference_answers(EDITED_LONGER, tmp_path, monkeypatch)
    with closing(FactStore.open(minimal)) as store:
        assert store.status.state == state
        assert ids(store.search("climbed")) == ["fact-one"]
        assert answers(store) == expected
    assert not [name for name in cache_files(read_only_cache) if name.endswith(".tmp")]


# -- two builders at once ---------------------------------------------------------------------


def many_facts(count: int) -> str:
    lines = [SOURCES.rstrip("\n"), "facts:"]
    for i in range(count):
        goods = "batteries" if i % 100 == 0 else "steel"
        lines += [
            f"  - id: fact-{i:04d}",
            f"    topic: topic-{i % 7}",
            f"    statement: Shipment number {i} of {goods} between China and the Republic of Korea.",
            "    entities: [China, Republic of Korea]",
            "    source: src-a",
        ]
    return "\n".join(lines) + "\n"


def test_two_processes_building_at_once(cache_dir: Path, write_facts: WriteFacts) -> None:
    data = write_facts(many_facts(2000), "many.yaml")
    args = ["search", "battery", "--limit", "0", "--format", "jsonl", "--fields", "id", "--data", str(data)]
    commands = [[str(EXE), *args], [sys.executable, "-m", "kortrade", *args], [str(EXE), *args]]
    env = clean_env(KORTRADE_CACHE_DIR=str(cache_dir))
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for command in commands]
    results = [(*proc.communicate(timeout=120), proc.returncode) for proc in procs]
    expected = "".join(json.dumps({"id": f"fact-{i:04d}"}, separators=(",", ":")) + "\n" for i in range(0, 2000, 100))
    for stdout, stderr, code in results:
        assert (code, stderr) == (0, b"")
        assert stdout.decode() == expected
    names = cache_files(cache_dir)
    assert not [n for n in names if n.endswith(".tmp") or n.startswith(".facts-")], names
    assert names == [Path(str(index_path_for(data))).name]
    with closing(FactStore.open(data)) as store:
        assert store.status.state in ("fresh", "verified")
        assert len(store.facts()) == 2000


# -- the data file is never written -----------------------------------------------------------


def _fingerprint(path: Path) -> tuple[bytes, int, int, int, list[str]]:
    status = path.stat()
    return path.read_bytes(), status.st_mtime_ns, status.st_ino, status.st_mode, sorted(os.listdir(path.parent))


def test_data_file_is_never_written(cli: Cli, cache_dir: Path, classic: Path, tmp_path: Path) -> None:
    data = tmp_path / "data" / "facts.yaml"
    data.parent.mkdir()
    shutil.copyfile(classic, data)
    age(data)
    before = _fingerprint(data)
    index = Path(str(index_path_for(data)))
    rounds: list[Callable[[], None]] = [
        lambda: None,  # build
        lambda: None,  # fresh
        lambda: _zero_bytes(index),  # rebuild after damage
        lambda: index.unlink(),  # rebuild after removal
    ]
    for prepare in rounds:
        prepare()
        for args in (["facts"], ["search", "battery"], ["show", "trade-volume-2024"], ["entities"], ["info"]):
            result = cli(*args, "--data", str(data))
            assert result.exit_code == 0, (args, result.stderr)
        assert _fingerprint(data) == before
    with closing(FactStore.open(data)) as store:
        store.search("battery")
    assert _fingerprint(data) == before


def test_shipped_file_is_never_written(cli: Cli, shipped: Path) -> None:
    before = _fingerprint(shipped)
    for args in (["facts"], ["search", "battery"], ["info"]):
        result = cli(*args)
        assert result.exit_code == 0
    assert _fingerprint(shipped) == before


def test_subprocess_runs_leave_the_data_file_alone(cache_dir: Path, tmp_path: Path) -> None:
    minimal = tmp_path / "data" / "minimal.yaml"
    minimal.parent.mkdir()
    minimal.write_text(MINIMAL, encoding="utf-8")
    age(minimal)
    before = _fingerprint(minimal)
    for args in (["search", "trade"], ["facts"], ["info"]):
        result = subprocess.run(
            [str(EXE), *args, "--data", str(minimal)], capture_output=True, env=clean_env(), timeout=120, check=False
        )
        assert result.returncode == 0, result.stderr
    assert _fingerprint(minimal) == before


# -- a data file that fails validation -------------------------------------------------------


def test_invalid_file_makes_no_index(cli: Cli, cache_dir: Path, write_facts: WriteFacts) -> None:
    data = write_facts(INVALID, "facts.yaml")
    with pytest.raises(DataError) as caught:
        FactStore.open(data)
    assert [p.message for p in caught.value.problems] == [INVALID_PROBLEM]
    assert cache_files(cache_dir) == []
    result = cli("search", "trade", "--data", str(data))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"{data}:18:13: {INVALID_PROBLEM}\n"
    assert cache_files(cache_dir) == []
    data.write_text(MINIMAL, encoding="utf-8")  # fixed
    with closing(FactStore.open(data)) as store:
        assert store.status.state == "rebuilt"
        assert ids(store.search("trade")) == ["fact-one"]


def test_invalid_edit_keeps_the_old_index_and_fixing_it_works(cli: Cli, cache_dir: Path, minimal: Path) -> None:
    age(minimal)
    assert state_and_answers(minimal)[0] == "rebuilt"
    index = Path(str(index_path_for(minimal)))
    kept = (index.read_bytes(), index.stat().st_ino)
    minimal.write_text(INVALID, encoding="utf-8")
    for _ in range(2):
        with pytest.raises(DataError) as caught:
            FactStore.open(minimal)
        assert [str(p) for p in caught.value.problems] == [f"{minimal}:18:13: {INVALID_PROBLEM}"]
        result = cli("facts", "--data", str(minimal))
        assert result.exit_code == 2
        assert result.stderr == f"{minimal}:18:13: {INVALID_PROBLEM}\n"
    assert (index.read_bytes(), index.stat().st_ino) == kept
    assert cache_files(cache_dir) == [index.name]
    minimal.write_text(EDITED_LONGER, encoding="utf-8")
    with closing(FactStore.open(minimal)) as store:
        assert store.status.state == "rebuilt"
        assert ids(store.search("climbed")) == ["fact-one"]


def test_invalid_utf8_gives_data_error_and_no_index(cache_dir: Path, write_facts: WriteFacts) -> None:
    data = write_facts(MINIMAL.encode().replace(b"A visit", b"A \xff visit"), "facts.yaml")
    with pytest.raises(DataError):
        FactStore.open(data)
    assert cache_files(cache_dir) == []


# -- a pipe as the data file -----------------------------------------------------------------


def run_with_stdin(args: list[str], stdin: bytes, cache: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(EXE), *args, "--data", "/dev/stdin"],
        input=stdin,
        capture_output=True,
        env=clean_env(KORTRADE_CACHE_DIR=str(cache)),
        timeout=120,
        check=False,
    )


def test_pipe_as_data_is_indexed_in_memory(cache_dir: Path, classic: Path) -> None:
    content = classic.read_bytes()
    found = run_with_stdin(["search", "battery", "--format", "jsonl", "--fields", "id"], content, cache_dir)
    assert (found.returncode, found.stderr) == (0, b"")
    assert found.stdout == b'{"id":"sk-group-partnerships"}\n{"id":"complementary-supply-chains"}\n'
    info = run_with_stdin(["info", "--json"], content, cache_dir)
    assert (info.returncode, info.stderr) == (0, b"")
    record = json.loads(info.stdout)
    assert (record["index"], record["index_state"]) == (None, "in memory")
    assert record["sha256"] == hashlib.sha256(content).hexdigest()
    assert (record["facts"], record["size"]) == (25, len(content))
    assert cache_files(cache_dir) == []


def test_pipe_with_no_match_says_so(cache_dir: Path, classic: Path) -> None:
    result = run_with_stdin(["search", "xyzzy"], classic.read_bytes(), cache_dir)
    assert result.returncode == 1
    assert result.stdout == b""
    assert result.stderr == (
        b"kortrade: no facts match 'xyzzy'; try fewer words, a prefix (semi*) or OR between words\n"
    )


def test_pipe_with_invalid_data_names_the_problem(cache_dir: Path) -> None:
    result = run_with_stdin(["facts"], INVALID.encode(), cache_dir)
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr == f"/dev/stdin:18:13: {INVALID_PROBLEM}\n".encode()


def test_library_reads_a_pipe(cache_dir: Path) -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, MINIMAL.encode())
    os.close(write_end)
    try:
        with closing(FactStore.open(f"/dev/fd/{read_end}")) as store:
            assert store.status.state == "in memory"
            assert ids(store.search("trade")) == ["fact-one"]
    finally:
        os.close(read_end)
    assert cache_files(cache_dir) == []


def test_a_killed_build_s_leftover_is_swept_by_the_next_build(cache_dir: Path, minimal: Path) -> None:
    cache_dir.mkdir(parents=True)
    leftover = cache_dir / ".facts-killed.tmp"
    leftover.write_bytes(b"half an index")
    age(leftover, 2 * 3600)
    running = cache_dir / ".facts-running.tmp"  # another run's build, in progress
    running.write_bytes(b"half an index")
    with closing(FactStore.open(minimal)) as store:
        assert store.status.state == "rebuilt"
    assert not leftover.exists()
    assert running.exists()
