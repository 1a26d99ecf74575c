"""The published JSON Schema: in step with the loader, kept in the repository, used by editors."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from kortrade.errors import DataError
from kortrade.json_schema import SCHEMA_PATH, facts_schema, schema_text
from kortrade.load import load_dataset
from support.cli import Cli
from support.facts import MINIMAL, WriteFacts
from support.paths import REPO, SHIPPED

COMMITTED = REPO / SCHEMA_PATH


def as_editors_see_it(text: str) -> Any:
    """The document as YAML 1.2 tools (yaml-language-server) read it: dates stay text."""

    def plain(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    return plain(yaml.safe_load(text))


def schema_errors(text: str) -> list[str]:
    validator = jsonschema.Draft202012Validator(facts_schema())
    return sorted(error.message for error in validator.iter_errors(as_editors_see_it(text)))


def test_the_schema_is_a_valid_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(facts_schema())


def test_the_repository_copy_is_what_the_model_makes() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(), (
        "schema/facts.schema.json is out of date: run  kortrade schema > schema/facts.schema.json"
    )


def test_kortrade_schema_prints_it(cli: Cli) -> None:
    result = cli("schema")
    assert result.exit_code == 0
    assert result.stdout == COMMITTED.read_text(encoding="utf-8")
    assert json.loads(result.stdout)["title"] == "kortrade facts file"


def test_the_shipped_file_points_editors_at_the_schema() -> None:
    first = SHIPPED.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    target = (SHIPPED.parent / first.split("$schema=", 1)[1]).resolve()
    assert target == COMMITTED.resolve()


@pytest.mark.parametrize("path", [SHIPPED], ids=["shipped"])
def test_valid_files_pass_the_schema(path: Path) -> None:
    assert schema_errors(path.read_text(encoding="utf-8")) == []


def test_the_minimal_test_file_passes_too() -> None:
    assert schema_errors(MINIMAL) == []


# Broken files: the schema and the loader must both refuse each one.
FACT = MINIMAL.split("facts:\n", 1)[0] + "facts:\n  - id: fact-one\n    topic: trade\n    source: src-a\n"
BROKEN = {
    "unknown top-level key": MINIMAL + "extra: 1\n",
    "missing statement": FACT,
    "unknown fact key": FACT + "    statement: S.\n    colour: red\n",
    "qualifier not in the list": FACT + "    statement: S.\n    value: 1\n    unit: USD\n    qualifier: roughly\n",
    "value without unit": FACT + "    statement: S.\n    value: 1\n    qualifier: about\n",
    "unit without value": FACT + "    statement: S.\n    unit: USD\n",
    "id not a slug": MINIMAL.replace("id: fact-one", "id: Fact One"),
    "bad period": MINIMAL.replace("period: 2024", "period: last year"),
    "bad date": MINIMAL.replace("published: 2026-01-09", "published: 9 Jan 2026"),
    "bad url": MINIMAL.replace("url: https://example.org/a", "url: example.org/a"),
    "empty statement": FACT + "    statement: ' '\n",
    "tags not slugs": FACT + "    statement: S.\n    tags: [Trade Volume]\n",
    "entities not a list": FACT + "    statement: S.\n    entities: China\n",
    "version 2": MINIMAL.replace("version: 1", "version: 2"),
    "bad entity kind": MINIMAL + "entities:\n  - name: China\n    kind: nation\n",
    "bad language code": MINIMAL + "entities:\n  - name: China\n    names:\n      Korean: 중국\n",
}


@pytest.mark.parametrize("text", BROKEN.values(), ids=BROKEN.keys())
def test_broken_files_fail_the_schema_and_the_loader(text: str, write_facts: WriteFacts) -> None:
    assert schema_errors(text) != []
    with pytest.raises(DataError):
        load_dataset(write_facts(text, "broken.yaml"))


@pytest.mark.parametrize("text", BROKEN.values(), ids=BROKEN.keys())
def test_validate_json_names_a_known_rule_for_every_problem(cli: Cli, text: str, write_facts: WriteFacts) -> None:
    from kortrade.errors import RULES

    path = write_facts(text, "broken.yaml")
    result = cli("validate", str(path), "--format", "json")
    assert result.exit_code == 2
    assert result.stderr == ""
    problems = json.loads(result.stdout)
    assert problems
    for problem in problems:
        assert list(problem) == ["file", "line", "column", "rule", "message"]
        assert problem["file"] == str(path)
        assert problem["rule"] in RULES
        assert isinstance(problem["line"], int)
        assert isinstance(problem["column"], int)


def test_validate_json_for_a_missing_file(cli: Cli, tmp_path: Path) -> None:
    result = cli("validate", str(tmp_path / "nope.yaml"), "--format", "json")
    assert result.exit_code == 2
    assert json.loads(result.stdout) == [
        {
            "file": str(tmp_path / "nope.yaml"),
            "line": None,
            "column": None,
            "rule": "file",
            "message": "no such file; expected a YAML facts file",
        }
    ]


def test_every_rule_is_documented_in_the_manual() -> None:
    from kortrade.errors import RULES

    manual = (REPO / "docs" / "data.md").read_text(encoding="utf-8")
    missing = [rule for rule in RULES if rule != "sqlite" and f"`{rule}`" not in manual]
    assert missing == []


# -- format 2.0: the schema and the loader agree on the new keys and forms -----------------

V2_HEAD = (
    MINIMAL.split("facts:\n", 1)[0]
    + "entities:\n  - name: Republic of Korea\n    kind: country\n"
    + "  - name: Korea Customs Service\n    kind: ministry\n    country: Republic of Korea\n"
    + "measures:\n  - id: bilateral-trade\n    label: Bilateral trade\n"
    + "  - id: summit-date\n    label: Date of the summit\n    kind: date\n    periodic: false\n"
    + "  - id: summit-host\n    label: Host city\n    kind: name\n"
    + "facts:\n  - id: fact-one\n    topic: trade\n    statement: S.\n    source: src-a\n"
)
FIGURE = "    value: 18000000000\n    unit: USD\n    qualifier: about\n"


def _with_source(lines: str, published: str | None = "2026-01-09") -> str:
    old = "    published: 2026-01-09\n"
    return V2_HEAD.replace(old, ("" if published is None else f"    published: {published}\n") + lines)


VALID_V2 = {
    "measure, basis, decimals": V2_HEAD + FIGURE + "    measure: bilateral-trade\n    basis: Korea Customs Service\n"
    "    decimals: 1\n    period: 2024\n",
    "basis list": V2_HEAD + "    basis: [Korea Customs Service, Republic of Korea]\n",
    "date measure": V2_HEAD + "    measure: summit-date\n    period: 2026-01-05\n",
    "name measure": V2_HEAD + "    measure: summit-host\n    value_text: Gyeongju\n",
    "month": V2_HEAD + "    period: 2024-07\n",
    "time with zone": V2_HEAD + "    period: 2026-01-05T16:47+08:00\n",
    "time with seconds, Z": V2_HEAD + "    period: 2026-01-05T16:47:30Z\n",
    "month range": V2_HEAD + "    period: 2024-01/2024-07\n",
    "day range": V2_HEAD + "    period: 2026-01-05/2026-01-07\n",
    "year range": V2_HEAD + "    period: 2026-2030\n",
    "as of a month": V2_HEAD + "    period: ../2020-12\n",
    "as of a time": V2_HEAD + "    period: ../2026-01-05T16:47+08:00\n",
    "nearly": V2_HEAD + FIGURE.replace("about", "nearly"),
    "at-least": V2_HEAD + FIGURE.replace("about", "at-least"),
    "event entity": V2_HEAD.replace("entities:\n", "entities:\n  - name: APEC 2025\n    kind: event\n"),
    "source keys": _with_source(
        "    kind: statistics\n    language: zh-Hant\n    via: Yonhap\n    date_note: Dated.\n"
    ),
    "published year": _with_source("", published="2025"),
    "published month": _with_source("", published="2025-09"),
    "no published, a date note": _with_source("    date_note: Undated.\n", published=None),
}


@pytest.mark.parametrize("text", VALID_V2.values(), ids=VALID_V2.keys())
def test_valid_v2_files_pass_the_schema_and_the_loader(text: str, write_facts: WriteFacts) -> None:
    assert schema_errors(text) == []
    load_dataset(write_facts(text, "valid.yaml"))


BROKEN_V2 = {
    "unknown measure key": V2_HEAD.replace("    label: Bilateral trade\n", "    label: B\n    unit: USD\n"),
    "measure without label": V2_HEAD.replace("    label: Bilateral trade\n", ""),
    "measure kind not in the list": V2_HEAD.replace("kind: name", "kind: text"),
    "date measure periodic": V2_HEAD.replace("periodic: false", "periodic: true"),
    "periodic not a boolean": V2_HEAD.replace("periodic: false", "periodic: 'no'"),
    "measure id not a slug": V2_HEAD.replace("id: summit-host", "id: Summit Host"),
    "fact measure not a slug": V2_HEAD + FIGURE + "    measure: Bilateral Trade\n",
    "decimals too many": V2_HEAD + FIGURE + "    decimals: 13\n",
    "decimals negative": V2_HEAD + FIGURE + "    decimals: -1\n",
    "decimals not whole": V2_HEAD + FIGURE + "    decimals: 1.5\n",
    "decimals without value": V2_HEAD + "    decimals: 1\n",
    "value_text without measure": V2_HEAD + "    value_text: Gyeongju\n",
    "empty value_text": V2_HEAD + "    measure: summit-host\n    value_text: ' '\n",
    "basis a number": V2_HEAD + "    basis: 1\n",
    "basis twice": V2_HEAD + "    basis: [Korea Customs Service, Korea Customs Service]\n",
    "month 13": V2_HEAD + "    period: 2024-13\n",
    "ranges of two precisions": V2_HEAD + "    period: 2024/2024-07\n",
    "time without zone": V2_HEAD + "    period: 2026-01-05T16:47\n",
    "zone minutes 60": V2_HEAD + "    period: 2026-01-05T16:47+08:60\n",
    "as of nothing": V2_HEAD + "    period: ../\n",
    "as of a range": V2_HEAD + "    period: ../2024/2025\n",
    "qualifier at least": V2_HEAD + FIGURE.replace("about", "at least"),
    "entity kind ministy": V2_HEAD.replace("kind: ministry", "kind: ministy"),
    "source kind": _with_source("    kind: blog\n"),
    "source language": _with_source("    language: Korean\n"),
    "empty via": _with_source("    via: ''\n"),
    "published a time": _with_source("", published="2026-01-09T10:00+09:00"),
    "no published, no date note": _with_source("", published=None),
}


@pytest.mark.parametrize("text", BROKEN_V2.values(), ids=BROKEN_V2.keys())
def test_broken_v2_files_fail_the_schema_and_the_loader(text: str, write_facts: WriteFacts) -> None:
    assert schema_errors(text) != []
    with pytest.raises(DataError):
        load_dataset(write_facts(text, "broken.yaml"))


# What a JSON Schema cannot say, only `kortrade validate` checks: rules that look across
# the file (listed measures and entities, a measure's kind, a basis's country), the
# calendar and the order of a range. Pinned here, so a schema that learns one fails loudly.
LOADER_ONLY = {
    "measure not listed": V2_HEAD + FIGURE + "    measure: gdp\n",
    "number measure without value": V2_HEAD + "    measure: bilateral-trade\n",
    "date measure without period": V2_HEAD + "    measure: summit-date\n",
    "name measure without value_text": V2_HEAD + "    measure: summit-host\n    period: 2026\n",
    "value_text with a number measure": V2_HEAD + FIGURE + "    measure: bilateral-trade\n    value_text: X\n",
    "basis not listed": V2_HEAD + "    basis: Atlantis\n",
    "basis without a country": V2_HEAD.replace("    country: Republic of Korea\n", "")
    + "    basis: Korea Customs Service\n",
    "country not a country": V2_HEAD.replace("country: Republic of Korea", "country: Korea Customs Service"),
    "backwards range": V2_HEAD + "    period: 2024-07/2024-01\n",
    "30 February": V2_HEAD + "    period: 2024-02-30/2024-03-01\n",
    "zone 15 hours off": V2_HEAD + "    period: 2026-01-05T16:47+15:00\n",
    "backwards across zones": V2_HEAD + "    period: 2026-01-05T18:00+09:00/2026-01-05T16:47+08:00\n",
}


@pytest.mark.parametrize("text", LOADER_ONLY.values(), ids=LOADER_ONLY.keys())
def test_rules_only_the_loader_checks(text: str, write_facts: WriteFacts) -> None:
    assert schema_errors(text) == []
    with pytest.raises(DataError):
        load_dataset(write_facts(text, "broken.yaml"))
