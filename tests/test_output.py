"""``kortrade.output.write_file``: whole or not at all, never over a file without ``force``."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from kortrade.errors import UsageError
from kortrade.output import write_file

TEXT = "# Briefing\n\n- 한중 무역 中韩贸易 \\$328.08 billion \\[1\\]\n"


@pytest.fixture
def umask_022() -> Iterator[None]:
    saved = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(saved)


def leftovers(folder: Path) -> list[str]:
    """Temporary files write_file may have left behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".kortrade-") or p.suffix == ".tmp")


def test_writes_a_new_file_exactly(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "brief.md"
    write_file(str(target), TEXT, force=False)
    assert target.read_bytes() == TEXT.encode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.md"]


def test_newlines_are_written_as_lf(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "lines.md"
    write_file(str(target), "a\nb\n", force=False)
    assert target.read_bytes() == b"a\nb\n"


def test_relative_path_is_written_in_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask_022: None
) -> None:
    monkeypatch.chdir(tmp_path)
    write_file("here.md", TEXT, force=False)
    assert (tmp_path / "here.md").read_text(encoding="utf-8") == TEXT
    assert leftovers(tmp_path) == []


def test_existing_file_is_untouched_without_force(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "brief.md"
    target.write_bytes(b"keep me\n")
    before = target.stat()
    with pytest.raises(UsageError) as caught:
        write_file(str(target), TEXT, force=False)
    assert str(caught.value) == f"{target} already exists; add --force to replace it"
    assert target.read_bytes() == b"keep me\n"
    after = target.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (before.st_ino, before.st_mtime_ns, before.st_size)
    assert leftovers(tmp_path) == []


def test_existing_empty_file_is_also_refused(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "empty.md"
    target.touch()
    with pytest.raises(UsageError, match="already exists"):
        write_file(str(target), TEXT, force=False)
    assert target.read_bytes() == b""


def test_force_replaces_the_file_by_renaming(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "brief.md"
    target.write_bytes(b"old\n")
    # A second link to the old file: an atomic rename leaves it with the old text,
    # while rewriting the file in place would change it too.
    old = tmp_path / "old-link"
    os.link(target, old)
    write_file(str(target), TEXT, force=True)
    assert target.read_bytes() == TEXT.encode("utf-8")
    assert old.read_bytes() == b"old\n"
    assert target.stat().st_ino != old.stat().st_ino
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.md", "old-link"]


def test_force_on_a_new_file_writes_it(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "new.md"
    write_file(str(target), TEXT, force=True)
    assert target.read_text(encoding="utf-8") == TEXT
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664), (0o027, 0o640)])
def test_mode_follows_the_umask(tmp_path: Path, mask: int, mode: int) -> None:
    saved = os.umask(mask)
    try:
        write_file(str(tmp_path / "new.md"), TEXT, force=False)
        (tmp_path / "old.md").write_text("old", encoding="utf-8")
        os.chmod(tmp_path / "old.md", 0o600)
        write_file(str(tmp_path / "old.md"), TEXT, force=True)
    finally:
        os.umask(saved)
    assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == mode
    # A replaced file gets the same mode as a new one (not the temporary file's 0o600).
    assert stat.S_IMODE((tmp_path / "old.md").stat().st_mode) == mode


def test_umask_is_left_as_it_was(tmp_path: Path) -> None:
    saved = os.umask(0o027)
    try:
        write_file(str(tmp_path / "a.md"), TEXT, force=False)
        current = os.umask(0o027)
    finally:
        os.umask(saved)
    assert current == 0o027


def test_directory_target_without_force_is_refused(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "folder"
    target.mkdir()
    (target / "inside.txt").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="already exists; add --force"):
        write_file(str(target), TEXT, force=False)
    assert target.is_dir()
    assert sorted(p.name for p in target.iterdir()) == ["inside.txt"]
    assert leftovers(tmp_path) == []


def test_directory_target_with_force_fails_cleanly(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "folder"
    target.mkdir()
    (target / "inside.txt").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        write_file(str(target), TEXT, force=True)
    assert str(caught.value).startswith(f"cannot write {target}: ")
    assert "\n" not in str(caught.value)
    assert target.is_dir()
    assert sorted(p.name for p in target.iterdir()) == ["inside.txt"]
    assert leftovers(tmp_path) == []


def test_missing_directory_is_a_usage_error(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "missing" / "brief.md"
    with pytest.raises(UsageError) as caught:
        write_file(str(target), TEXT, force=False)
    assert str(caught.value) == f"cannot write {target}: No such file or directory"
    assert not (tmp_path / "missing").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_file_appearing_meanwhile_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask_022: None
) -> None:
    # Another process creates the file after the existence check: the final link refuses.
    target = tmp_path / "brief.md"
    target.write_bytes(b"theirs\n")
    monkeypatch.setattr(os.path, "lexists", lambda path: False)
    with pytest.raises(UsageError) as caught:
        write_file(str(target), TEXT, force=False)
    assert str(caught.value) == f"{target} already exists; add --force to replace it"
    assert target.read_bytes() == b"theirs\n"
    assert leftovers(tmp_path) == []


def test_failure_while_writing_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, umask_022: None
) -> None:
    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    target = tmp_path / "brief.md"
    target.write_bytes(b"old\n")
    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(UsageError) as caught:
        write_file(str(target), TEXT, force=True)
    assert str(caught.value) == f"cannot write {target}: No space left on device"
    assert target.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.md"]


def test_dangling_symlink_counts_as_existing(tmp_path: Path, umask_022: None) -> None:
    link = tmp_path / "brief.md"
    link.symlink_to(tmp_path / "nowhere.md")
    with pytest.raises(UsageError, match="already exists"):
        write_file(str(link), TEXT, force=False)
    assert link.is_symlink()
    assert not (tmp_path / "nowhere.md").exists()


def test_force_replaces_a_symlink_not_its_target(tmp_path: Path, umask_022: None) -> None:
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_bytes(b"not mine\n")
    link = tmp_path / "brief.md"
    link.symlink_to(elsewhere)
    write_file(str(link), TEXT, force=True)
    assert not link.is_symlink()
    assert link.read_text(encoding="utf-8") == TEXT
    assert elsewhere.read_bytes() == b"not mine\n"
    assert leftovers(tmp_path) == []
