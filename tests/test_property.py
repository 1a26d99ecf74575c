"""Property: whatever the file holds, loading gives a Dataset or a DataError of FILE[:LINE:COL] lines."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kortrade import DataError, Dataset, load_dataset
from kortrade.validation import FACT_KEYS, SOURCE_KEYS, TOP_KEYS
from support.facts import MINIMAL

PROBLEM_LINE = re.compile(r"^.+?(:\d+:\d+)?: .+")
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TRICKY_TEXT = [
    "=1+1",
    "+cmd",
    "-5",
    "@SUM(A1)",
    "[bold]x[/bold]",
    "\x1b[31mred",
    "\x85\x9f\x7f",
    "\u202eevil",
    "on",
    "yes",
    "1e3",
    "0o17",
    "~",
    "",
    "   ",
    "2030-2026",
    "2026-2030",
    "2026-02-30",
    "2024",
    "Trade-X",
    "src-a",
    "fact-one",
    "about",
    "USD",
    "rank",
    "<<",
    "*alias",
    "&anchor",
    "!!python/object/apply:os.system",
    "a: b",
    "- x",
    "한국 中国",
    "line\nbreak",
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**53 - 2, max_value=2**53 + 2),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(TRICKY_TEXT),
    st.dates(),
)
keys = st.one_of(st.sampled_from([*TOP_KEYS, *SOURCE_KEYS, *FACT_KEYS]), st.text(max_size=8))
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(keys, children, max_size=3),
    ),
    max_leaves=6,
)


def containers(node: Any) -> list[Any]:
    """Every dict and list in the document, outermost first."""
    found: list[Any] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found.extend(containers(value))
    elif isinstance(node, list):
        found.append(node)
        for value in node:
            found.extend(containers(value))
    return found


@st.composite
def mutated_documents(draw: st.DrawFn) -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load(MINIMAL)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        target = draw(st.sampled_from(containers(doc)))
        operation = draw(st.sampled_from(["drop", "replace", "add", "duplicate-fact"]))
        if operation == "duplicate-fact":
            facts = doc.get("facts")
            if isinstance(facts, list) and facts:
                facts.append(copy.deepcopy(draw(st.sampled_from(facts))))
            continue
        if isinstance(target, dict):
            names = list(target)
            if operation == "add" or not names:
                target[draw(keys)] = draw(values)
            elif operation == "drop":
                del target[draw(st.sampled_from(names))]
            else:
                target[draw(st.sampled_from(names))] = draw(values)
        else:
            if operation == "add" or not target:
                target.insert(draw(st.integers(0, len(target))), draw(values))
            elif operation == "drop":
                del target[draw(st.integers(0, len(target) - 1))]
            else:
                target[draw(st.integers(0, len(target) - 1))] = draw(values)
    return doc


def assert_loads_or_reports(path: Path) -> None:
    """Loading gives a Dataset or a DataError; any other exception fails the test as it escapes."""
    error: DataError | None = None
    try:
        dataset = load_dataset(path)
    except DataError as exc:
        error = exc
    if error is not None:
        assert error.problems, "a DataError carries at least one problem"
        for line in [*error.lines, *str(error).split("\n")]:
            assert PROBLEM_LINE.fullmatch(line), repr(line)
            assert line.startswith(f"{path}:"), repr(line)
        return
    assert isinstance(dataset, Dataset)
    assert dataset.version == 1
    assert {f.source for f in dataset.facts} <= set(dataset.sources)
    assert len({f.id for f in dataset.facts}) == len(dataset.facts)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("property") / "facts.yaml"


def test_minimal_document_round_trips(scratch: Path) -> None:
    scratch.write_text(yaml.safe_dump(yaml.safe_load(MINIMAL), allow_unicode=True, sort_keys=False), encoding="utf-8")
    dataset = load_dataset(scratch)
    assert [f.id for f in dataset.facts] == ["fact-one", "fact-two"]
    assert dataset.facts[1].period is not None
    assert dataset.facts[1].period.first == dt.date(2026, 1, 7)


def _edited(path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    """MINIMAL with one value set, for examples that always run."""
    doc: dict[str, Any] = yaml.safe_load(MINIMAL)
    target: Any = doc
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return doc


@SETTINGS
@given(doc=mutated_documents())
@example(doc=_edited(("facts", 0, "odd\nkey"), 1))
@example(doc=_edited(("facts", 1, "entities"), ["a\nb", "a\nb"]))
@example(doc=_edited(("facts", 0, "value"), float("nan")))
@example(doc=_edited(("facts", 0, "statement"), "=1+1\x1b[31m\x85"))
def test_mutated_document_loads_or_reports(scratch: Path, doc: dict[str, Any]) -> None:
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    scratch.write_text(text, encoding="utf-8")
    assert_loads_or_reports(scratch)


@SETTINGS
@given(text=st.text())
@example(text="version: 1\nnote: 한국\x07\n")
@example(text="\x00")
def test_any_text_loads_or_reports(scratch: Path, text: str) -> None:
    scratch.write_text(text, encoding="utf-8")
    assert_loads_or_reports(scratch)


@SETTINGS
@given(raw=st.binary())
def test_any_bytes_load_or_report(scratch: Path, raw: bytes) -> None:
    scratch.write_bytes(raw)
    assert_loads_or_reports(scratch)


@SETTINGS
@given(cut=st.integers(min_value=0, max_value=len(MINIMAL)), insert=st.text(max_size=5))
def test_spliced_minimal_loads_or_reports(scratch: Path, cut: int, insert: str) -> None:
    scratch.write_text(MINIMAL[:cut] + insert + MINIMAL[cut:], encoding="utf-8")
    assert_loads_or_reports(scratch)
