"""kortrade export: the whole dataset as JSON, JSON lines, CSV or a YAML facts file, written safely."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kortrade.records import FACT_FIELDS
from kortrade.store import FactStore
from support.cli import Cli
from support.hostile import run_bounded
from support.paths import SHIPPED
from support.pty_run import clean_env

# Exports of the classic file (KORTRADE_DATA), whose counts and first fact these tests know.
pytestmark = pytest.mark.usefixtures("classic_data")


def classic_facts() -> list[dict[str, object]]:
    store = FactStore.open()
    try:
        return store.facts()
    finally:
        store.close()


def test_json_is_the_whole_dataset(cli: Cli) -> None:
    document = json.loads(cli.ok("export"))
    assert list(document) == ["version", "sources", "entities", "facts", "measures", "observations"]
    assert document["measures"] == []  # the classic file defines none
    assert document["observations"] == []  # nor a series data package
    assert [s["id"] for s in document["sources"]] == ["cgtn-2026-01-09"]
    assert len(document["entities"]) == 10
    assert "facts" not in document["entities"][0]
    facts = document["facts"]
    assert [f["id"] for f in facts] == [f["id"] for f in classic_facts()]
    assert list(facts[0]) == [*FACT_FIELDS, "names"]
    assert facts[0]["names"]["China"]["zh"] == ["中国", "中华人民共和国"]


def test_jsonl_is_a_fact_a_line(cli: Cli) -> None:
    lines = cli.ok("export", "--format", "jsonl").splitlines()
    assert len(lines) == 25
    first = json.loads(lines[0])
    assert first["id"] == "trade-volume-2024"
    assert list(first) == [*FACT_FIELDS, "names"]


def test_csv_is_a_fact_a_row_with_names(cli: Cli) -> None:
    rows = list(csv.DictReader(io.StringIO(cli.ok("export", "--format", "csv"))))
    assert len(rows) == 25
    assert rows[0]["id"] == "trade-volume-2024"
    assert rows[0]["source"] == "cgtn-2026-01-09"
    assert "ko: 중국" in rows[0]["names"]


def test_yaml_is_a_facts_file_with_the_same_facts(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "facts.yaml"
    cli.ok("export", "--format", "yaml", "--output", str(target))
    check = cli("validate", str(target))
    assert check.exit_code == 0, check.stderr
    store = FactStore.open(target)
    try:
        assert store.facts() == classic_facts()
        assert [e["names"] for e in store.entities()] == [e["names"] for e in FactStore.open().entities()]
    finally:
        store.close()


def test_yaml_export_of_a_file_with_series_keeps_its_observations(cli: Cli, tmp_path: Path) -> None:
    """The data files are not copied: ``series`` names the data package by its absolute path,
    so the export validates, with the same observations, wherever it is written."""
    source = Path(__file__).resolve().parent / "bad_series" / "valid"
    shutil.copytree(source, tmp_path / "in")
    elsewhere = tmp_path / "out" / "deeper"
    elsewhere.mkdir(parents=True)
    target = elsewhere / "exported.yaml"
    result = cli("export", "--format", "yaml", "--output", str(target), "--data", str(tmp_path / "in" / "facts.yaml"))
    assert result.exit_code == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    package = (tmp_path / "in" / "series" / "datapackage.json").resolve()
    assert f"\nversion: 1\nseries: {package}\nsources:\n" in text
    check = cli("validate", str(target))
    assert check.exit_code == 0, check.stderr
    assert check.stdout.endswith("ok, 0 facts, 2 sources, 8 observations\n")
    with FactStore.open(tmp_path / "in" / "facts.yaml") as original, FactStore.open(target) as exported:
        # The same observations, each CSV file named as its data package names it.
        assert exported.observations() == original.observations()
        assert exported.observations()[0]["file"] == "yearly.csv"


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "yaml"])
def test_output_file_equals_stdout_and_is_not_replaced_without_force(cli: Cli, fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"export.{fmt}"
    assert cli.ok("export", "--format", fmt, "--output", str(target)) == ""
    assert target.read_text(encoding="utf-8") == cli.ok("export", "--format", fmt)
    target.write_text("mine", encoding="utf-8")
    refused = cli("export", "--format", fmt, "--output", str(target))
    assert refused.exit_code == 2
    assert refused.stderr == f"kortrade: {target} already exists; add --force to replace it\n"
    assert target.read_text(encoding="utf-8") == "mine"
    cli.ok("export", "--format", fmt, "--output", str(target), "--force")
    assert target.read_text(encoding="utf-8") == cli.ok("export", "--format", fmt)
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no temporary file left


def test_sqlite_refuses_to_replace_without_force(cli: Cli, tmp_path: Path) -> None:
    database = tmp_path / "k.db"
    first = cli("export", "--sqlite", str(database))
    assert first.exit_code == 0, first.stderr
    assert first.stdout.startswith(f"wrote {database} and {tmp_path / 'metadata.json'}")
    before = database.read_bytes()
    again = cli("export", "--sqlite", str(database))
    assert again.exit_code == 2
    assert "already exists; add --force" in again.stderr
    assert database.read_bytes() == before
    forced = cli("export", "--sqlite", str(database), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.db", "metadata.json"]


def test_sqlite_takes_no_format(cli: Cli, tmp_path: Path) -> None:
    result = cli("export", "--sqlite", str(tmp_path / "k.db"), "--format", "csv")
    assert result.exit_code == 2
    assert result.stderr == "kortrade: --sqlite writes a database; it does not take --format or --output\n"


def test_unwritable_place_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("export", "--output", str(tmp_path / "missing" / "x.json"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"kortrade: cannot write {tmp_path / 'missing' / 'x.json'}: ")
    assert result.stderr.count("\n") == 1


# The JSON export copies each fact's text from the index instead of writing it again: the
# document must still be what json.dumps(indent=2) writes of the records, to the byte.
HOSTILE_NAMES = """\
version: 1
sources:
  - {id: s1, title: "T \\u2028 \\"q\\" \\\\", publisher: P, published: 2026-01-09, url: "https://e.org/a"}
entities:
  - {name: "Ke\\"y", kind: company, names: {ko: ["키"], zh: ["钥匙", "]"]}}
  - {name: "中国", kind: country}
facts:
  - id: a
    topic: trade
    statement: "Has \\"entities\\": inside, and a }\\n  brace"
    entities: ["Ke\\"y", "中国"]
    source: s1
  - {id: b, topic: trade, statement: "No entities", source: s1, note: "\\u202e reversed"}
  - {id: c, topic: trade, statement: "Tiny", entities: ["中国"], value: 1.5e-7, unit: USD, qualifier: exact, source: s1}
"""


def _slow_document(path: Path) -> str:
    from kortrade.export import dataset_records, measure_records
    from kortrade.render import json_text

    with FactStore.open(path) as store:
        sources, entities, facts = dataset_records(store)
        document = {
            "version": 1,
            "sources": sources,
            "entities": entities,
            "facts": facts,
            "measures": measure_records(store),
            "observations": store.observations(),
        }
    return json_text(document, indent=2) + "\n"


@pytest.mark.parametrize("which", ["classic", "shipped", "hostile"])
def test_json_export_is_json_dumps_of_the_records_to_the_byte(
    which: str, classic: Path, shipped: Path, write_facts: Callable[[str | bytes, str], Path]
) -> None:
    from kortrade.export import json_document

    path = {"classic": classic, "shipped": shipped}.get(which) or write_facts(HOSTILE_NAMES, "facts.yaml")
    with FactStore.open(path) as store:
        fast = json_document(store)
    assert fast == _slow_document(path)
    document = json.loads(fast)
    if which == "hostile":
        assert document["facts"][0]["names"] == {
            'Ke"y': {"en": ['Ke"y'], "ko": ["키"], "zh": ["钥匙", "]"]},
            "中国": document["facts"][0]["names"]["中国"],
        }
        assert document["facts"][1]["names"] == {}


# -- the YAML export reads back equal ------------------------------------------------------------

BAD = Path(__file__).resolve().parent / "bad"
# YAML 1.1 reads U+0085, U+2028 and U+2029 as line breaks; bidi controls and C1 controls must not
# reach a terminal raw. Each in a statement, a note, a name and a source's title.
BREAKS_AND_BIDI = """\
version: 1
sources:
  - {id: s1, title: "T\\u2029itle\\u2066", publisher: "P\\x85ub", published: 2026-01-09, url: "https://e.org/a"}
entities:
  - {name: "Ko\\u2067rea", kind: country, names: {ko: ["한\\u202e국"]}}
facts:
  - {id: a, topic: trade, statement: "Trade\\u0085roseX.", source: s1, entities: ["Ko\\u2067rea"]}
  - {id: b, topic: trade, statement: "Two\\u0085\\u0085breaks and \\u2028 one", source: s1}
  - {id: c, topic: trade, statement: "\\u202eReversed \\u200f\\x9b31m 삼성", source: s1, note: "a\\x85b"}
  - {id: d, topic: trade, statement: "\\u0085 leading and trailing \\u2028", source: s1}
"""
NOT_RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def legit_corpus() -> list[str]:
    return sorted(p.stem for p in BAD.glob("*.stdout"))


@pytest.mark.parametrize("case", [*legit_corpus(), "breaks-and-bidi", "shipped"])
def test_yaml_export_reads_back_equal(case: str, tmp_path: Path) -> None:
    """Export as YAML, read the export back (as real processes): the same dataset, to the JSON export's byte."""
    if case == "shipped":
        source = SHIPPED
    elif case == "breaks-and-bidi":
        source = tmp_path / "in.yaml"
        source.write_text(BREAKS_AND_BIDI, encoding="utf-8")
    else:
        source = BAD / f"{case}.yaml"
    exported = tmp_path / "export.yaml"
    env = clean_env(KORTRADE_CACHE_DIR=str(tmp_path / "cache"))
    original, written = run_bounded(
        ["export", "--data", str(source)],
        ["export", "--format", "yaml", "--data", str(source), "--output", str(exported)],
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert (original.code, original.stderr, written.code, written.stderr) == (0, b"", 0, b"")
    text = exported.read_text(encoding="utf-8")
    assert not NOT_RAW.findall(text)
    validated, again = run_bounded(
        ["validate", str(exported)], ["export", "--data", str(exported)], cwd=tmp_path, env=env, timeout=60
    )
    assert (validated.code, validated.stderr, again.code, again.stderr) == (0, b"", 0, b"")
    assert again.stdout == original.stdout
    if case == "breaks-and-bidi":
        statements = [f["statement"] for f in json.loads(again.stdout)["facts"]]
        assert statements[0] == "Trade\x85roseX."
        assert statements[1] == "Two\x85\x85breaks and \u2028 one"
