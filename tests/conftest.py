"""Fixtures and hooks. What the tests share apart from fixtures is in tests/support/."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Final

import pytest

from support.cli import Cli
from support.facts import MINIMAL, WriteFacts
from support.paths import CLASSIC, SHIPPED
from support.programs import PROGRAM_FIXTURES, missing_message, tools_required
from support.pty_run import NOISE

# Markers by module, for a quick loop (`pytest -m "not slow"`); CI runs everything.
PROCESS_MODULES: Final = frozenset(
    {"test_process", "test_process_safety", "test_hardening", "test_pager", "test_output_safety", "test_completion"}
)
SLOW_MODULES: Final = frozenset(
    {"test_process_safety", "test_hardening", "test_fuzz", "test_wheel", "test_datasette", "test_html", "test_mcp"}
)


def _mark_by_module(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.path.stem
        if module in PROCESS_MODULES:
            item.add_marker(pytest.mark.process)
        if module in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests by what they need (see pyproject's markers); skip, before they start, the
    tests whose program is missing: one summary line per file, not per test."""
    _mark_by_module(items)
    if tools_required():
        return  # the fixture itself fails, naming the program
    for fixture, (names, package, purpose) in PROGRAM_FIXTURES.items():
        if any(shutil.which(name) for name in names):
            continue
        reason = missing_message(names, package, purpose)
        for item in items:
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A missing program's skips name the file, not each test's line, so the summary gives them one line."""
    report = yield
    longrepr = getattr(report, "longrepr", None)
    if report.skipped and isinstance(longrepr, tuple) and "which pip cannot install" in str(longrepr[2]):
        # pytest types the line as int, yet folds skips by file with None (as it does for module marks).
        report.longrepr = (longrepr[0], None, longrepr[2])  # type: ignore[assignment]
    return report


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test, and every kortrade process a test starts, indexes into a temporary cache."""
    cache = tmp_path_factory.mktemp("kortrade-cache")
    saved = os.environ.get("KORTRADE_CACHE_DIR")
    os.environ["KORTRADE_CACHE_DIR"] = str(cache)
    yield cache
    if saved is None:
        del os.environ["KORTRADE_CACHE_DIR"]
    else:
        os.environ["KORTRADE_CACHE_DIR"] = saved


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache directory of this test's own, for tests of the index itself."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("KORTRADE_CACHE_DIR", str(cache))
    return cache


@pytest.fixture
def shipped() -> Path:
    return SHIPPED


@pytest.fixture
def classic() -> Path:
    return CLASSIC


@pytest.fixture
def classic_data(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Commands given no --data read the classic file (through KORTRADE_DATA), as they once read the shipped one."""
    monkeypatch.setenv("KORTRADE_DATA", str(CLASSIC))
    return CLASSIC


@pytest.fixture
def write_facts(tmp_path: Path) -> WriteFacts:
    """Write text or bytes to a file in tmp_path and return its path."""

    def write(content: str | bytes, name: str = "facts.yaml") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


@pytest.fixture
def minimal(write_facts: WriteFacts) -> Path:
    return write_facts(MINIMAL, "minimal.yaml")


@pytest.fixture(scope="session")
def cli() -> Cli:
    """kortrade's command line in process: ``cli("facts", "--json")`` gives the Result.

    Session-wide, so Hypothesis tests may take it too. A module whose every run shares
    ``--data`` or settings overrides it there: ``def cli(cli): return cli.using(env=...)``.
    """
    return Cli()


@pytest.fixture
def plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No colour, width or data settings of whoever runs the tests: commands given no --data read the shipped file."""
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM", "COLUMNS", "LINES", "TTY_COMPATIBLE", "KORTRADE_DATA"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def classic_environment(plain_environment: None, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No colour or width settings; commands given no --data read the classic file, whose output tests pin."""
    monkeypatch.setenv("KORTRADE_DATA", str(CLASSIC))
    return CLASSIC


@pytest.fixture
def quiet_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """None of the settings of a person's shell that change what kortrade prints (pty_run's NOISE)."""
    for name in NOISE:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def exe() -> Path:
    """The installed console script, as a user runs it."""
    path = Path(sys.executable).parent / "kortrade"
    if not path.is_file():
        pytest.fail(f"the kortrade console script is not at {path}; install the package: pip install -e '.[test]'")
    return path
