"""`kortrade export --sqlite` served for real by datasette on a loopback port, queried through its JSON API."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support.cli import Cli
from support.paths import CLASSIC


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def exported(cli: Cli, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("export")
    database = folder / "kortrade.db"
    # The classic file, whose counts, topics and search hits the tests below know.
    result = cli("export", "--sqlite", str(database), "--data", str(CLASSIC))
    assert result.exit_code == 0, result.stderr
    assert (folder / "metadata.json").is_file()
    return database


@pytest.fixture(scope="module")
def site(exported: Path) -> Iterator[str]:
    port = free_port()
    command = [sys.executable, "-m", "datasette", "serve", str(exported)]
    command += ["--metadata", str(exported.parent / "metadata.json"), "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/-/versions.json", timeout=5):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    _, errors = server.communicate(timeout=10)
                    raise AssertionError(f"datasette did not start: {errors}") from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def get(base: str, path: str, **query: str) -> Any:
    url = f"{base}{path}" + ("?" + urllib.parse.urlencode(query) if query else "")
    with urllib.request.urlopen(url, timeout=30) as answer:
        return json.load(answer)


def test_the_database_has_the_tables_and_links(exported: Path) -> None:
    conn = sqlite3.connect(exported)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"facts", "sources", "entities", "fact_entities", "fact_tags", "facts_fts"} <= tables
    assert conn.execute("SELECT count(*) FROM facts").fetchone() == (25,)
    assert conn.execute("SELECT count(*) FROM sources").fetchone() == (1,)
    assert conn.execute("SELECT count(*) FROM entities").fetchone() == (10,)
    links = conn.execute("SELECT entity FROM fact_entities WHERE fact_id = 'samsung-largest-market'").fetchall()
    assert sorted(links) == [("China",), ("Samsung Group",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def test_metadata_describes_the_site(exported: Path) -> None:
    metadata = json.loads((exported.parent / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["title"].startswith("kortrade")
    facts = metadata["databases"]["kortrade"]["tables"]["facts"]
    assert facts["fts_table"] == "facts_fts"
    conn = sqlite3.connect(exported)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(facts)")]
    conn.close()
    assert sorted(facts["columns"]) == sorted(columns)  # every column described


def test_datasette_serves_the_facts_of_a_topic(site: str) -> None:
    rows = get(site, "/kortrade/facts.json", topic="trade", _shape="array")
    by_id = {row["id"]: row for row in rows}
    assert set(by_id) == {
        "trade-volume-2024",
        "trade-growth-since-1992",
        "china-top-partner-of-rok",
        "rok-rank-as-china-partner",
    }
    assert by_id["trade-volume-2024"]["display"] == "$328.08 billion"
    assert by_id["trade-volume-2024"]["value"] == 328080000000
    assert by_id["trade-volume-2024"]["source_id"] == "cgtn-2026-01-09"


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("battery", {"sk-group-partnerships", "complementary-supply-chains"}),
        ("삼성", {"samsung-exports-growth-2024", "samsung-exports-value-2024", "samsung-largest-market"}),
        ("shipbuilding", {"competition-mature-industries"}),
    ],
)
def test_datasette_searches_the_full_text_index(site: str, words: str, expected: set[str]) -> None:
    rows = get(site, "/kortrade/facts.json", _search=words, _shape="array")
    assert {row["id"] for row in rows} == expected


def test_datasette_shows_the_metadata(site: str) -> None:
    metadata = get(site, "/-/metadata.json")
    assert metadata["title"] == "kortrade: China-Republic of Korea economic and trade ties"
    tables = {t["name"] for t in get(site, "/kortrade.json")["tables"]}
    assert {"facts", "sources", "entities", "fact_entities", "fact_tags"} <= tables


SERIES = Path(__file__).resolve().parent / "bad_series" / "valid" / "facts.yaml"


def test_observations_are_a_table_with_their_sources(cli: Cli, tmp_path: Path) -> None:
    database = tmp_path / "series.db"
    result = cli("export", "--sqlite", str(database), "--data", str(SERIES))
    assert result.exit_code == 0, result.stderr
    conn = sqlite3.connect(database)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(observations)")]
    rows = conn.execute(
        "SELECT id, source_id, value, valuation, file, line FROM observations ORDER BY rowid"
    ).fetchall()
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
    assert rows[0] == ("yearly-2015-kor-chn-exports", "stats-yearly", 137123933893, "FOB", "yearly.csv", 2)
    assert len(rows) == 8
    assert rows[-1][:3] == ("monthly-2001-02-kor-chn-imports", "stats-monthly", 874455000)
    metadata = json.loads((tmp_path / "metadata.json").read_text(encoding="utf-8"))
    observations = metadata["databases"]["series"]["tables"]["observations"]
    assert sorted(observations["columns"]) == sorted(columns)  # every column described
    assert observations["description"].startswith("Rows of official statistical files")
    assert "source_id" in observations["source"]


def test_datasette_shows_the_observations_table(site: str) -> None:
    tables = {t["name"]: t for t in get(site, "/kortrade.json")["tables"]}
    assert tables["observations"]["count"] == 0  # the classic file has no series
    metadata = get(site, "/-/metadata.json")
    described = metadata["databases"]["kortrade"]["tables"]["observations"]
    assert described["columns"]["reporter"] == "Whose statistics: the country reporting the trade."
