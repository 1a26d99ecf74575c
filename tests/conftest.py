"""Shared fixtures: the shipped data file, the classic 25-fact file, and small facts files written on demand."""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any, Final

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "data" / "facts.yaml"
# The shipped file as it was before 2.0's data (25 facts, one source: CGTN), kept unchanged:
# tests of behaviour on known data (search hits, the briefing, exports, exact output) run on
# it, so they hold whatever the shipped file grows to. Tests of the shipped file use SHIPPED.
CLASSIC = REPO / "tests" / "data" / "cgtn-25.yaml"


@functools.cache
def plain_yaml(path: Path) -> Any:
    """A facts file as plain YAML, apart from kortrade's loader: what tests expect of it. Read once: do not alter it.

    libyaml's safe loader where PyYAML has it: the shipped file in a tenth of the time.
    """
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)


# One source, on lines 1-7; tests add "facts:" and their own facts below it.
# The output contract, pinned: the keys of 1.x in their order, then those added in 2.0.
FACT_KEYS = [
    "id", "topic", "statement", "value", "unit", "qualifier", "display",
    "period", "entities", "items", "tags", "note", "source",
    "measure", "basis", "basis_country", "value_text", "decimals", "period_start", "period_end",
]  # fmt: skip
SOURCE_KEYS = ["id", "title", "publisher", "published", "url", "kind", "language", "via", "date_note"]
# `compare`: a group's keys, then those added when groups became one country's statistics each;
# each fact is a fact record with its reading (`range`) and then its `flags`.
COMPARE_KEYS = ["measure", "period", "basis", "verdict", "spread", "facts", "statistics", "reference", "official"]
COMPARE_FACT_KEYS = [*FACT_KEYS, "range", "flags"]
# `compare --format csv`: a row per fact.
COMPARE_CSV_KEYS = [
    "measure", "period", "verdict", "spread", "id", "display", "fact_period", "basis", "basis_country", "source",
    "statistics", "flags", "reference", "official",
]  # fmt: skip
CORROBORATION_KEYS = ["measure", "period", "verdict", "spread", "others"]
# A row of `kortrade series` (3.0), pinned: keys are only ever appended.
SERIES_KEYS = [
    "measure", "period", "period_start", "period_end", "basis_country", "value", "unit", "display",
    "worked_out", "how", "observations", "facts", "source", "also_stated", "reported", "agreeing", "verdict",
]  # fmt: skip
# A row of `kortrade check` (3.0), pinned: keys are only ever appended.
CHECK_KEYS = [
    "id", "measure", "period", "basis_country", "value", "unit", "display", "source",
    "official_basis_country", "official_value", "official_display", "official_source", "official_how",
    "official_facts", "gap", "gap_percent", "likely", "matches_period", "matches_basis_country", "matches_display",
    "note",
]  # fmt: skip
# `show`'s `official` (3.0), after `corroboration`: a fact's official counterpart.
OFFICIAL_KEYS = [
    "basis_country", "value", "unit", "display", "source", "how", "facts", "agrees", "gap", "gap_percent", "note",
]  # fmt: skip

SOURCES = """\
version: 1
sources:
  - id: src-a
    title: A source
    publisher: Pub
    published: 2026-01-09
    url: https://example.org/a
"""

MINIMAL = (
    SOURCES
    + """\
facts:
  - id: fact-one
    topic: trade
    statement: Trade came to $1.5 billion in 2024.
    value: 1500000000
    unit: USD
    qualifier: about
    period: 2024
    entities: [China, Republic of Korea]
    tags: [trade-volume]
    source: src-a
  - id: fact-two
    topic: visit
    statement: A visit ended on 7 January 2026.
    period: 2026-01-07
    entities: [Lee Jae Myung]
    note: Worked out from a weekday.
    source: src-a
"""
)


# Set (or CI set, as CI services do) when a program pip cannot install must be
# there: a missing one then fails the run instead of skipping its tests.
REQUIRE_TOOLS_ENV = "KORTRADE_REQUIRE_TOOLS"


def tools_required() -> bool:
    """True in CI (``CI`` set to anything but ``0`` or ``false``) or with ``KORTRADE_REQUIRE_TOOLS=1``."""
    ci = os.environ.get("CI", "").strip().lower()
    return os.environ.get(REQUIRE_TOOLS_ENV) == "1" or ci not in ("", "0", "false")


def missing_message(names: tuple[str, ...], package: str, purpose: str) -> str:
    return f"{purpose} need {names[0]}, which pip cannot install: apt-get install {package} (Debian, Ubuntu)"


def need_program(names: tuple[str, ...], package: str, purpose: str) -> str:
    """The path of the first of ``names`` on PATH; else skip the test, or fail it where tools are required.

    Only for programs pip cannot install: whatever pip can is a test dependency
    in pyproject.toml and never skips.
    """
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    message = missing_message(names, package, purpose)
    if tools_required():
        pytest.fail(f"{message}; it is required here ({REQUIRE_TOOLS_ENV}=1 or CI is set)", pytrace=False)
    pytest.skip(message)


# Fixtures that start a program pip cannot install: (names to look for, Debian package, who needs it).
PROGRAM_FIXTURES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "browser": (("chromium", "chromium-browser", "google-chrome"), "chromium", "the HTML tests"),
}


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
def write_facts(tmp_path: Path) -> Callable[[str | bytes, str], Path]:
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
def minimal(write_facts: Callable[[str | bytes, str], Path]) -> Path:
    return write_facts(MINIMAL, "minimal.yaml")
