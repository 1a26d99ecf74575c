"""The published JSON Schema: in step with the loader, kept in the repository, used by editors."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from conftest import MINIMAL, REPO, SHIPPED
from kortrade.cli import app
from kortrade.errors import DataError
from kortrade.json_schema import SCHEMA_PATH, facts_schema, schema_text
from kortrade.load import load_dataset

COMMITTED = REPO / SCHEMA_PATH
WriteFacts = Callable[[str | bytes, str], Path]


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


def test_kortrade_schema_prints_it() -> None:
    result = CliRunner().invoke(app, ["schema"])
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
def test_validate_json_names_a_known_rule_for_every_problem(text: str, write_facts: WriteFacts) -> None:
    from kortrade.errors import RULES

    path = write_facts(text, "broken.yaml")
    result = CliRunner().invoke(app, ["validate", str(path), "--format", "json"])
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


def test_validate_json_for_a_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "nope.yaml"), "--format", "json"])
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


def test_every_rule_is_documented_in_the_readme() -> None:
    from kortrade.errors import RULES

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [rule for rule in RULES if rule != "sqlite" and f"`{rule}`" not in readme]
    assert missing == []
