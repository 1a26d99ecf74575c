"""Fuzzing the command line: whatever the file holds, valid output or clean ``FILE:LINE:COL: message`` lines.

test_property.py fuzzes loading (``load_dataset``). Here the whole CLI runs, through
Typer's CliRunner with ``--data`` set to the fuzzed file, ``search`` included:

- valid files whose strings carry Rich markup, terminal escapes, other controls, bidi
  overrides, spreadsheet formulas and wide or right-to-left text: every format
  succeeds, JSON gives the strings back exactly, no raw control reaches a table, CSV
  or markdown, and no CSV cell starts like a formula;
- valid files with a random YAML fragment spliced in, and text made of random YAML
  fragments: exit 0 with valid JSON, 1 (nothing found) or 2 with one clean line per
  problem; never an internal error, a traceback, or a tag constructed and run.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import Result

from support.cli import Cli
from support.hostile import UNSAFE, quoted

FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


# No colour, width or data settings of whoever runs the tests: each run names its fuzzed file.
pytestmark = pytest.mark.usefixtures("plain_environment")


def sound(result: Result) -> Result:
    """A run that ended as the program means to, whatever its exit code: no crash, no traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code != 70, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result


# -- valid files, hostile strings ----------------------------------------------------------------

INJECTIONS = [
    "[bold]", "[/]", "[/bold]", "[link=https://x.example]", "[red on white]", ":smile:", "[[", "]]",
    "\x1b[31m", "\x1b[0m", "\x1b[2J", "\x1b]8;;https://evil.example\x1b\\", "\r", "\x07", "\x00", "\x08",
    "\x7f", "\x85", "\x9b", "\u202e", "\u202c", "\u2066", "\u2069", "\u200d", "\ufeff", "\u2028", "\x02", "\x03",
    "=1+1", "+1", "-1", "@SUM(A1)", "\t=cmd", '=HYPERLINK("https://evil.example","x")', "=cmd|' /C calc'!A0",
    "한국", "中国", "عربي", "עברית", "😀", "👨\u200d👩\u200d👧", "🇰🇷", "e\u0301",
    "|", "\\", "`", "*", "_", "$", "<b>", "&amp;", "# ", "> ", "1. ", "- ", '"', "'", ",", ";", "\n", " ", "\t",
]  # fmt: skip
fragments = st.one_of(
    st.sampled_from(INJECTIONS),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=6),
)
hostile_text = st.lists(fragments, min_size=1, max_size=5).map("".join)


def suffixed(tail: str) -> st.SearchStrategy[str]:
    """Hostile text at the start (where formulas and markup bite), never blank thanks to ``tail``."""
    return hostile_text.map(lambda text: text + tail)


def number_text(value: int | float) -> str:
    """A number as YAML text every tool reads as that number (YAML 1.1 wants a dot and a signed exponent)."""
    if isinstance(value, int):
        return str(value)
    text = repr(value)
    if "e" in text and "." not in text:
        text = text.replace("e", ".0e")
    return text


@dataclass(frozen=True)
class Fact:
    statement: str
    note: str | None
    entities: list[str]
    items: list[str]
    figure: tuple[int | float, str, str] | None
    period: str | None


@st.composite
def facts(draw: st.DrawFn, n: int) -> Fact:
    figure = draw(
        st.none()
        | st.tuples(
            st.integers(-(2**53 - 1), 2**53 - 1) | st.floats(-1e15, 1e15, allow_nan=False, allow_infinity=False),
            st.sampled_from(["USD", "percent", "fold", "rank", "documents"]) | suffixed(" u"),
            st.sampled_from(["exact", "about", "over", "under"]),
        )
    )
    return Fact(
        statement=draw(suffixed(f" zq{n}x")),
        note=draw(st.none() | suffixed(".")),
        entities=draw(st.lists(suffixed(" e"), max_size=3, unique=True)),
        items=draw(st.lists(suffixed(" i"), max_size=3, unique=True)),
        figure=figure,
        period=draw(st.sampled_from([None, "2024", "2026-01-05", "2026-2030"])),
    )


@dataclass(frozen=True)
class Document:
    title: str
    publisher: str
    facts: list[Fact]

    def yaml(self) -> str:
        lines = [
            "version: 1",
            "sources:",
            "  - id: src-a",
            f"    title: {quoted(self.title)}",
            f"    publisher: {quoted(self.publisher)}",
            "    published: 2026-01-09",
            "    url: https://example.org/a",
            "facts:",
        ]
        for n, fact in enumerate(self.facts):
            lines += [f"  - id: fact-{n}", "    topic: trade", f"    statement: {quoted(fact.statement)}"]
            if fact.note is not None:
                lines.append(f"    note: {quoted(fact.note)}")
            lines.append("    entities: [" + ", ".join(quoted(e) for e in fact.entities) + "]")
            lines.append("    items: [" + ", ".join(quoted(i) for i in fact.items) + "]")
            if fact.figure is not None:
                value, unit, qualifier = fact.figure
                lines += [
                    f"    value: {number_text(value)}",
                    f"    unit: {quoted(unit)}",
                    f"    qualifier: {qualifier}",
                ]
            if fact.period is not None:
                lines.append(f"    period: {fact.period}")
            lines.append("    source: src-a")
        return "\n".join(lines) + "\n"


documents = st.builds(
    Document,
    title=suffixed(" t"),
    publisher=suffixed(" p"),
    facts=st.integers(1, 3).flatmap(lambda k: st.tuples(*[facts(n) for n in range(k)]).map(list)),
)


def csv_cells(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@FUZZ
@given(doc=documents)
@example(
    doc=Document(
        "[link=https://x.example]t\x1b]8;;x\x1b\\",
        "=cmd|' /C calc'!A0",
        [Fact("\x1b[2J[bold]\r\u202e =1 zq0x", "@SUM(A1).", ["-e"], ["+i", "\ti"], (-5, "USD", "exact"), "2024")],
    )
)
def test_hostile_strings_in_a_valid_file(cli: Cli, scratch: Path, doc: Document) -> None:
    path = scratch / "strings.yaml"
    path.write_text(doc.yaml(), encoding="utf-8")
    data = ["--data", str(path)]
    as_json = sound(cli("facts", *data, "--json"))
    assert as_json.exit_code == 0, as_json.stderr
    records = json.loads(as_json.stdout)
    assert [r["id"] for r in records] == [f"fact-{n}" for n in range(len(doc.facts))]
    for record, fact in zip(records, doc.facts, strict=True):
        assert (record["statement"], record["note"]) == (fact.statement, fact.note)
        assert (record["entities"], record["items"]) == (fact.entities, fact.items)
        assert (record["source"]["title"], record["source"]["publisher"]) == (doc.title, doc.publisher)
        if fact.figure is not None:
            assert (record["value"], record["unit"], record["qualifier"]) == fact.figure
    assert not UNSAFE.search(as_json.stdout)

    for fmt in ("table", "csv", "markdown"):
        shown = sound(cli("facts", *data, "--format", fmt))
        assert (shown.exit_code, shown.stderr) == (0, ""), fmt
        found = UNSAFE.search(shown.stdout)
        assert found is None, (fmt, found)
        if fmt == "csv":
            rows = csv_cells(shown.stdout)
            assert [r["id"] for r in rows] == [r["id"] for r in records]
            for row in rows:
                for field, cell in row.items():
                    if field != "value":
                        assert not cell.startswith(_FORMULA_START), (field, cell)
        if fmt == "markdown":  # one table row a fact: a newline in the data never breaks a row
            assert shown.stdout.count("\n") == 2 + len(records)

    shown = sound(cli("show", "fact-0", *data))
    assert (shown.exit_code, shown.stderr) == (0, "")
    assert not UNSAFE.search(shown.stdout)
    hits = sound(cli("search", "zq0x", *data, "--format", "jsonl", "--fields", "id"))
    assert (hits.exit_code, hits.stderr) == (0, "")
    assert json.loads(hits.stdout.splitlines()[0]) == {"id": "fact-0"}
    table = sound(cli("search", "zq0x", *data))
    assert (table.exit_code, table.stderr) == (0, "")
    assert not UNSAFE.search(table.stdout)


@FUZZ
@given(query=hostile_text)
@example(query="\x00")
@example(query='"')
@example(query="NOT")
def test_any_search_words_find_or_fail_cleanly(cli: Cli, scratch: Path, query: str) -> None:
    path = scratch / "search.yaml"
    if not path.exists():
        path.write_text(Document("t", "p", [Fact("Trade rose zq0x", None, [], [], None, None)]).yaml(), "utf-8")
    result = sound(cli("search", "--data", str(path), "--format", "jsonl", "--", query))
    assert result.exit_code in (0, 1, 2), result.stderr
    if result.exit_code == 0:
        assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["fact-0"]
    else:
        assert result.stdout == ""
        assert len(result.stderr.splitlines()) == 1
        assert not UNSAFE.search(result.stderr)


# -- broken files --------------------------------------------------------------------------------------

BASE = Document(
    "A source",
    "Pub",
    [
        Fact("Trade came to $1.5 billion in 2024. zq0x", None, ["China"], [], (1500000000, "USD", "about"), "2024"),
        Fact("A visit ended on 7 January 2026. zq1x", "Worked out.", [], ["summit"], None, "2026-01-07"),
    ],
).yaml()

YAML_FRAGMENTS = [
    "version: 1\n", "sources:\n", "facts:\n", "entities:\n", "  - ", "    ", "\n", "id: fact-9\n", "topic: trade\n",
    "statement: S.\n", "source: src-a\n", "value: 5\n", "unit: USD\n", "qualifier: about\n", "period: 2024\n",
    "name: China\n", "names: {ko: 중국}\n", "- ", ": ", "? ", "&a ", "*a", "&b ", "*b", "<<: *a\n", "<<: [*a, *b]\n",
    '!!python/object/apply:os.system ["touch {marker}"]', "!!python/name:os.system", "!!str ", "!!int ", "!!float ",
    "!!binary aGVsbG8=", "!custom ", "!!map ", "!!seq ", "%YAML 1.1\n", "%TAG ! tag:x.example,2000:\n", "---\n",
    "...\n", "[", "]", "{", "}", ", ", '"', "'", "|\n", ">-\n", "# c", "\t", "\r\n", "\r", "\ufeff", "\x85",
    "\u2028", "~", "null", "on", "yes", "1e3", "0o17", "0x1F", "010", "1_000", ".nan", ".inf", "-.inf",
    "2026-01-05", "2026-02-30", "2030-2026", "9007199254740993", "[bold]", "[/]", "=1+1", "@x", "`", "\x1b[31m",
    "\x00", "\x07", "\u202e", "한국", "中国", "😀", "\\", "\\e", '"\\e[2J"', "\\x1b", "Fact-One", "src-b",
]  # fmt: skip


def assert_clean(result: Result, path: Path, *, found_ok: bool) -> None:
    """Exit 0, 1 (nothing found) or 2 with one clean FILE[:LINE:COL]: message line per problem."""
    allowed = (0, 1, 2) if found_ok else (0, 2)
    assert result.exit_code in allowed, (result.exit_code, result.stderr)
    if result.exit_code == 2:
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert lines
        problem = re.compile(re.escape(str(path)) + r"(:[1-9][0-9]*:[1-9][0-9]*)?: \S.*")
        for line in lines:
            assert problem.fullmatch(line), repr(line)
        assert not UNSAFE.search(result.stderr)


def run_everything(cli: Cli, path: Path, marker: Path) -> None:
    checked = sound(cli("validate", str(path)))
    assert_clean(checked, path, found_ok=False)
    listed = sound(cli("facts", "--data", str(path), "--json"))
    assert_clean(listed, path, found_ok=True)
    found = sound(cli("search", "zq0x", "--data", str(path), "--format", "jsonl"))
    assert_clean(found, path, found_ok=True)
    # validate and the listing agree on whether the file is valid, and on its problems.
    assert (checked.exit_code == 2) == (listed.exit_code == 2) == (found.exit_code == 2)
    if checked.exit_code == 2:
        assert listed.stderr == found.stderr == checked.stderr
    if listed.exit_code == 0:
        assert isinstance(json.loads(listed.stdout), list)
    assert not marker.exists()


@FUZZ
@given(
    cuts=st.lists(
        st.tuples(st.integers(0, len(BASE)), st.integers(0, 12), st.sampled_from(YAML_FRAGMENTS)),
        min_size=1,
        max_size=3,
    )
)
@example(cuts=[(BASE.index("statement: ") + 11, 0, "[bold]")])
@example(cuts=[(BASE.index("statement: ") + 11, 0, "=1+1")])
@example(cuts=[(BASE.index("topic: trade"), 12, '!!python/object/apply:os.system ["touch {marker}"]')])
def test_spliced_fragments_fail_cleanly(cli: Cli, scratch: Path, cuts: list[tuple[int, int, str]]) -> None:
    """BASE with up to three pieces cut out and YAML fragments (markup, escapes, formulas, tags) put in."""
    marker = scratch / "PWNED"
    text = BASE
    for at, cut, fragment in cuts:
        at = min(at, len(text))
        text = text[:at] + fragment.replace("{marker}", str(marker)) + text[at + cut :]
    path = scratch / "spliced.yaml"
    path.write_text(text, encoding="utf-8")
    run_everything(cli, path, marker)


@FUZZ
@given(pieces=st.lists(st.sampled_from(YAML_FRAGMENTS), max_size=30))
@example(pieces=["version: 1\n", "sources: ", "[", "]", "\n", "facts: ", "[", "]", "\n"])
@example(pieces=["&a ", "[", "*a", "]"])
@example(pieces=['!!python/object/apply:os.system ["touch {marker}"]'])
def test_random_yaml_fragments_fail_cleanly(cli: Cli, scratch: Path, pieces: list[str]) -> None:
    marker = scratch / "PWNED"
    path = scratch / "fragments.yaml"
    path.write_text("".join(pieces).replace("{marker}", str(marker)), encoding="utf-8")
    run_everything(cli, path, marker)
