"""Tables never cut an id or a period, from 60 columns up: an id shown can be copied into ``show``."""

from __future__ import annotations

import json
import re
import sys
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kortrade.cli import app
from support.pty_run import clean_env, run_on_pty

COMMANDS = [
    ["facts"],
    ["timeline"],
    ["search", "trade"],
    ["sources"],
    ["sources", "cgtn-2026-01-09"],
    ["measures"],
    ["topics"],
    ["entities"],
    ["compare"],
    ["compare", "bilateral-trade"],
    ["series"],
    ["series", "--monthly"],
    ["show", "trade-volume-2024"],
    ["info"],
]
ID_KEYS = ("id", "source", "measure", "topic", "reference")
WORD = re.compile(r"(?<![\w-])[a-z0-9][a-z0-9-]*(?![\w-])")
MONTH_RANGE = re.compile(r"^(\d{4}-\d{2})/(\d{4}-\d{2})$")
# The start of a date cut at a line's end or a column's edge: "2024-01" and a dash, "2025-1".
CUT_DATE = re.compile(r"(?<![\w-])\d{4}-(?:\d{2}[-\u2013]|\d)(?=\s|$)", re.MULTILINE)


def ids_in(value: object, found: set[str]) -> set[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ID_KEYS and isinstance(item, str):
                found.add(item)
            ids_in(item, found)
    elif isinstance(value, list):
        for item in value:
            ids_in(item, found)
    return found


def listed_ids(value: object) -> set[str]:
    """The ids a table of ``value`` must show: each record's, and each compared fact's."""
    records = value if isinstance(value, list) else [value]
    found = {str(r["id"]) for r in records if isinstance(r, dict) and "id" in r and "title" not in r}
    for record in records:
        facts = record.get("facts") if isinstance(record, dict) else None
        found |= {str(f["id"]) for f in facts if isinstance(f, dict)} if isinstance(facts, list) else set()
    return found


@cache
def dataset(shipped: Path) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Every id of the shipped file, what begins one, and the words of its JSON (not pieces of ids)."""
    runner = CliRunner(env={"KORTRADE_DATA": str(shipped)})
    texts = [runner.invoke(app, [command, "--format", "json"]).output for command in ("facts", "sources", "measures")]
    ids: set[str] = set()
    for text in texts:
        ids_in(json.loads(text), ids)
    starts = frozenset(i[:n] for i in ids for n in range(6, len(i)))
    return frozenset(ids), starts, frozenset(WORD.findall("\n".join(texts)))


@pytest.mark.parametrize("columns", [60, 80, 100])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_id_and_period_shown_is_whole_on_one_line(
    args: list[str], columns: int, shipped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KORTRADE_DATA", str(shipped))
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setenv("NO_COLOR", "1")
    runner = CliRunner()
    data = json.loads(runner.invoke(app, [*args, "--format", "json"]).output)
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    text = result.output
    lines = text.splitlines()
    shown = listed_ids(data)
    whole = {word for line in lines for word in WORD.findall(line)}
    missing = sorted(shown - whole)
    assert not missing, f"{len(missing)} ids not whole on a line, such as {missing[:3]}"
    ids, starts, words = dataset(shipped)
    # A word that begins an id but is no id, nor a word of the data, is an id cut in two.
    pieces = set(WORD.findall(text)) & starts - ids - words - set(WORD.findall(json.dumps(data, ensure_ascii=False)))
    assert not pieces
    assert not CUT_DATE.findall(text)
    months = {m.group(1) + "\u2013" + m.group(2) for p in ids_in_periods(data) if (m := MONTH_RANGE.match(p))}
    assert all(month in text for month in months)


def ids_in_periods(value: object) -> set[str]:
    found: set[str] = set()

    def walk(item: object) -> None:
        if isinstance(item, dict):
            for key, inner in item.items():
                if key in ("period", "fact_period") and isinstance(inner, str):
                    found.add(inner)
                walk(inner)
        elif isinstance(item, list):
            for inner in item:
                walk(inner)

    walk(value)
    return found


def test_measures_at_80_columns_on_a_terminal_keep_their_ids(shipped: Path) -> None:
    """What a person at an 80-column terminal sees: ``bilateral-trade-multiple`` whole, and the
    columns beside the ids still there."""
    env = clean_env(KORTRADE_DATA=str(shipped), KORTRADE_PAGER="cat", NO_COLOR="1")
    code, shown, _ = run_on_pty([sys.executable, "-m", "kortrade", "measures"], env=env, columns=80, timeout=60)
    assert code == 0
    lines = shown.decode("utf-8").splitlines()
    assert any(line.split() == ["ID", "Label", "Kind", "Facts", "Sources"] for line in lines)
    assert any(line.strip() == "bilateral-trade-multiple" for line in lines)  # a line of its own
    assert not any("bilateral-trade-multipl " in line or line.rstrip().endswith("-multipl") for line in lines)
    assert all(len(line) <= 80 for line in lines if "rok-rank-among" not in line)
