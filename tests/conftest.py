"""Shared fixtures: the shipped data file and small facts files written on demand."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "data" / "facts.yaml"

# One source, on lines 1-7; tests add "facts:" and their own facts below it.
# The output contract, pinned: the keys of 1.x in their order, then those added in 2.0.
FACT_KEYS = [
    "id", "topic", "statement", "value", "unit", "qualifier", "display",
    "period", "entities", "items", "tags", "note", "source",
    "measure", "basis", "basis_country", "value_text", "decimals", "period_start", "period_end",
]  # fmt: skip
SOURCE_KEYS = ["id", "title", "publisher", "published", "url", "kind", "language", "via", "date_note"]

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
