"""Hostile and broken input, as the installed program: a clean error every time, nothing lost, nothing run.

Every case runs ``python -m kortrade validate PATH`` and ``python -m kortrade facts
--data PATH`` as real processes, within 5 s and 300 MiB (read with ``os.wait4``), with
no traceback on any stream. An invalid file gets exit 2 and one line per problem on
stderr, the same lines from both commands; a legitimate but tricky one gets its exact
output. The corpus is in ``tests/bad`` (see its README); inputs too large to commit are
generated here.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from support.hostile import HEAD, Ran, cache_files, fact_lines, run_bounded, statement_of
from support.pty_run import clean_env

BAD = Path(__file__).resolve().parent / "bad"
# Cases whose input the test makes: no .yaml in the corpus.
MADE_HERE = ("missing", "directory", "device", "symlink-loop")
PROBLEM = re.compile(r"\{path\}(:[1-9][0-9]*:[1-9][0-9]*)?: \S.*")
SLUG_RULE = "must be a lowercase slug (a-z, 0-9 and '-', e.g. 'trade-volume-2024')"


def corpus() -> list[str]:
    return sorted({p.stem for p in BAD.iterdir() if p.suffix in (".expected", ".stdout")})


CASES = corpus()


def test_corpus_is_complete() -> None:
    """Every input has its expectations and every expectation its input; files stay small."""
    inputs = {p.stem for p in BAD.glob("*.yaml")}
    assert inputs | set(MADE_HERE) == set(CASES)
    for case in CASES:
        legit = (BAD / f"{case}.stdout").exists()
        assert legit != (BAD / f"{case}.expected").exists(), case
        assert legit == (BAD / f"{case}.validate").exists(), case
    assert all(p.stat().st_size < 50_000 for p in BAD.iterdir())
    assert len(CASES) >= 40


def make_input(case: str, where: Path) -> Path:
    """The path the test passes for ``case``: a copy of the corpus file, or a thing made here."""
    path = where / f"{case}.yaml"
    if case == "missing":
        return path
    if case == "directory":
        path.mkdir()
    elif case == "device":
        return Path("/dev/zero")
    elif case == "symlink-loop":
        path.symlink_to(path.name)
    else:
        shutil.copyfile(BAD / f"{case}.yaml", path)
    return path


def fingerprint(path: Path) -> tuple[object, ...]:
    """What must not change: the bytes, identity and times of the input, and its directory's listing."""
    if not path.is_file() or path.is_symlink():
        return (path.exists(), path.is_dir())
    status = path.stat()
    listing = sorted(p.name for p in path.parent.iterdir())
    return path.read_bytes(), status.st_ino, status.st_mtime_ns, status.st_mode, listing


@pytest.mark.parametrize("case", CASES)
def test_corpus_case(case: str, tmp_path: Path) -> None:
    inputs, cwd, cache = tmp_path / "in", tmp_path / "cwd", tmp_path / "cache"
    inputs.mkdir()
    cwd.mkdir()
    path = make_input(case, inputs)
    before = fingerprint(path)
    validate, facts = run_bounded(
        ["validate", str(path)],
        ["facts", "--data", str(path)],
        cwd=cwd,
        env=clean_env(KORTRADE_CACHE_DIR=str(cache)),
    )
    validate.check_bounds()
    facts.check_bounds()
    if (BAD / f"{case}.stdout").exists():
        assert (validate.code, validate.stderr) == (0, b"")
        summary = (BAD / f"{case}.validate").read_text(encoding="utf-8")
        assert validate.stdout.decode("utf-8") == summary.replace("{path}", str(path))
        assert (facts.code, facts.stderr) == (0, b"")
        assert facts.stdout == (BAD / f"{case}.stdout").read_bytes()
        index = [n for n in cache_files(cache) if n.endswith(".sqlite3")]
        assert len(index) == 1, cache_files(cache)
        assert not [n for n in cache_files(cache) if n.endswith(".tmp")]
    else:
        expected = (BAD / f"{case}.expected").read_text(encoding="utf-8").splitlines()
        assert expected, case
        for line in expected:
            assert PROBLEM.fullmatch(line), f"not FILE[:LINE:COL]: message: {line!r}"
        wanted = [line.replace("{path}", str(path)) for line in expected]
        assert (validate.code, validate.stdout) == (2, b"")
        assert validate.stderr_lines() == wanted
        assert (facts.code, facts.stdout) == (2, b"")
        assert facts.stderr == validate.stderr
        assert cache_files(cache) == []  # an invalid file never reaches the index
    assert list(cwd.iterdir()) == []  # nothing run: `touch PWNED` made nothing
    assert fingerprint(path) == before  # nothing written


# -- generated: too large to commit --------------------------------------------------------------


def run_case(tmp_path: Path, text: str, *commands: list[str]) -> tuple[Path, list[Ran]]:
    """Write ``text`` and run each command (``{path}`` in it standing for the file), at once."""
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    cwd = tmp_path / "cwd"
    cwd.mkdir(exist_ok=True)
    env = clean_env(KORTRADE_CACHE_DIR=str(tmp_path / "cache"))
    argv = [[str(path) if a == "{path}" else a for a in command] for command in commands]
    runs = run_bounded(*argv, cwd=cwd, env=env)
    for ran in runs:
        ran.check_bounds()
    assert list(cwd.iterdir()) == []
    return path, runs


def jsonl(records: list[dict[str, object]]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records).encode("utf-8")


def test_single_500_kb_line_is_answered_whole(tmp_path: Path) -> None:
    words = [f"w{i}" for i in range(80_000)]
    statement = " ".join(words)
    assert 500_000 <= len(statement) < 600_000
    text = HEAD + f"  - id: long-one\n    topic: trade\n    statement: {statement}\n    source: src-a\n"
    path, (validate, as_jsonl, table) = run_case(
        tmp_path,
        text,
        ["validate", "{path}"],
        ["facts", "--data", "{path}", "--format", "jsonl", "--fields", "id,statement"],
        ["facts", "--data", "{path}"],
    )
    assert (validate.code, validate.stderr) == (0, b"")
    assert validate.stdout == f"{path}: ok, 1 fact, 1 source\n".encode()
    assert (as_jsonl.code, as_jsonl.stderr) == (0, b"")
    assert as_jsonl.stdout == jsonl([{"id": "long-one", "statement": statement}])
    assert (table.code, table.stderr) == (0, b"")
    lines = table.stdout.decode("utf-8").splitlines()
    assert lines[:2] == ["trade", ""]
    assert lines[-1].strip() == "long-one · Pub, 2026-01-09"
    assert all(len(line) <= 80 for line in lines)
    # The statement, wrapped at spaces, comes back word for word.
    assert " ".join(line.strip() for line in lines[4:-1]).split(" ") == words


def megabyte_of_facts() -> tuple[str, int]:
    """As many facts as fit under 1,000,000 bytes."""
    parts, size, count = [HEAD], len(HEAD), 0
    while size + len(fact_lines(count)) < 1_000_000:
        parts.append(fact_lines(count))
        size += len(parts[-1])
        count += 1
    return "".join(parts), count


def test_megabyte_of_valid_facts_is_answered_correctly(tmp_path: Path) -> None:
    text, count = megabyte_of_facts()
    assert 950_000 < len(text.encode()) < 1_000_000
    assert count > 3000
    path, (validate, cold) = run_case(
        tmp_path,
        text,
        ["validate", "{path}"],
        ["facts", "--data", "{path}", "--format", "jsonl", "--fields", "id,value,statement"],
    )
    assert (validate.code, validate.stderr) == (0, b"")
    assert validate.stdout == f"{path}: ok, {count} facts, 1 source\n".encode()
    assert (cold.code, cold.stderr) == (0, b"")
    expected = [{"id": f"fact-{i:05d}", "value": 1_000_000 + i, "statement": statement_of(i)} for i in range(count)]
    assert cold.stdout == jsonl(expected)
    _, (table, show, search) = run_case(
        tmp_path,
        text,
        ["facts", "--data", "{path}"],
        ["show", "fact-01234", "--data", "{path}", "--json"],
        ["search", "1234", "--data", "{path}", "--format", "jsonl", "--fields", "id"],
    )
    assert (table.code, table.stderr) == (0, b"")
    cited = [line.strip() for line in table.stdout.decode("utf-8").splitlines() if "· Pub, 2026-01-09" in line]
    assert sorted(cited) == sorted(f"fact-{i:05d} · Pub, 2026-01-09" for i in range(count))
    assert (show.code, show.stderr) == (0, b"")
    record = json.loads(show.stdout)
    assert (record["id"], record["value"], record["display"]) == ("fact-01234", 1001234, "about $1.001234 million")
    assert (record["statement"], record["period"], record["source"]["id"]) == (statement_of(1234), "2024", "src-a")
    assert (search.code, search.stderr, search.stdout) == (0, b"", b'{"id":"fact-01234"}\n')


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ("[" * 10_000 + "]" * 10_000 + "\n", "1:1001", "flow"),
        ("{a: " * 10_000 + "1" + "}" * 10_000 + "\n", "1:4001", "flow"),
        ("- " * 10_000 + "x\n", "1:1999", "block"),
        ("facts:\n" + "".join(" " * i + "- \n" for i in range(1, 1100)), "1000:1000", "block"),
    ],
    ids=["flow-lists", "flow-mappings", "block-lists-on-one-line", "block-lists-indented"],
)
def test_nesting_10000_deep(tmp_path: Path, text: str, where: str, what: str) -> None:
    path, (validate, facts) = run_case(tmp_path, text, ["validate", "{path}"], ["facts", "--data", "{path}"])
    line = f"{path}:{where}: YAML syntax error: while increasing {what} level exceeded maximum nesting depth\n"
    assert (validate.code, validate.stdout, validate.stderr) == (2, b"", line.encode())
    assert (facts.code, facts.stdout, facts.stderr) == (2, b"", line.encode())


def test_fact_listing_60000_items_is_answered_in_time(tmp_path: Path) -> None:
    """A 720 KB file: one fact naming 60,000 items (the 'listed twice' check must not be quadratic)."""
    items = [f"item-{i:05d}" for i in range(60_000)]
    text = HEAD + "  - id: fact-one\n    topic: trade\n    statement: S.\n"
    text += f"    items: [{', '.join(items)}]\n    source: src-a\n"
    assert len(text) < 1_000_000
    path, (validate, facts) = run_case(
        tmp_path,
        text,
        ["validate", "{path}"],
        ["facts", "--data", "{path}", "--format", "jsonl", "--fields", "id,items"],
    )
    assert (validate.code, validate.stdout, validate.stderr) == (0, f"{path}: ok, 1 fact, 1 source\n".encode(), b"")
    assert (facts.code, facts.stderr) == (0, b"")
    assert facts.stdout == jsonl([{"id": "fact-one", "items": items}])


def test_many_unknown_entities_are_reported_in_time(tmp_path: Path) -> None:
    """A 190 KB file: 1,500 listed entities and 1,500 facts each naming one misspelt."""
    count = 1500
    entities = "entities:\n" + "".join(f"  - name: Entity number {i}\n" for i in range(count))
    facts = "".join(
        f"  - id: fact-{i}\n    topic: trade\n    statement: S.\n    entities: [Entity numbr {i}]\n    source: src-a\n"
        for i in range(count)
    )
    text = HEAD.replace("facts:\n", entities + "facts:\n") + facts
    assert len(text) < 250_000
    path, (validate, listing) = run_case(tmp_path, text, ["validate", "{path}"], ["facts", "--data", "{path}"])
    assert (validate.code, validate.stdout) == (2, b"")
    lines = validate.stderr_lines()
    assert len(lines) == 101
    facts_line = 8 + count + 1  # "entities:" is line 8; then the entities, then "facts:"
    unknown = re.compile(
        re.escape(str(path)) + r":(\d+):16: entity 'Entity numbr (\d+)' is not in the entities section"
        r"( \(did you mean 'Entity number \d+'\?\))?"
    )
    for n, line in enumerate(lines[:100]):
        match = unknown.fullmatch(line)
        assert match, line
        # Fact n starts five lines a fact after "facts:"; its entities are its fourth line.
        assert (int(match[1]), int(match[2])) == (facts_line + 5 * n + 4, n)
    assert lines[100] == f"{path}: {count - 100} more problems not shown"
    assert (listing.code, listing.stdout, listing.stderr) == (2, b"", validate.stderr)


def test_bad_slug_ids_in_a_big_file_are_all_counted(tmp_path: Path) -> None:
    """A 1 MB file whose every fact id is uppercase: the first 100 problems, then how many more."""
    text, count = megabyte_of_facts()
    text = text.replace("  - id: fact-", "  - id: Fact-")
    path, (validate, listing) = run_case(tmp_path, text, ["validate", "{path}"], ["facts", "--data", "{path}"])
    lines = validate.stderr_lines()
    assert (validate.code, validate.stdout, len(lines)) == (2, b"", 101)
    assert lines[0] == f"{path}:9:9: 'id' {SLUG_RULE}, got 'Fact-00000'"
    assert lines[99] == f"{path}:{9 + 10 * 99}:9: 'id' {SLUG_RULE}, got 'Fact-00099'"
    assert lines[100] == f"{path}: {count - 100} more problems not shown"
    assert (listing.code, listing.stdout, listing.stderr) == (2, b"", validate.stderr)


def aliased_statement_facts(length: int, aliases: int) -> str:
    """A statement of ``length`` characters anchored in the first fact, then ``aliases`` facts aliasing it."""
    statement = ("w" * 9 + " ") * (length // 10) + "w" * (length % 10)
    text = HEAD + f"  - id: fact-00000\n    topic: trade\n    statement: &s {statement.strip()}\n    source: src-a\n"
    return text + "".join(
        f"  - id: fact-{i:05d}\n    topic: trade\n    statement: *s\n    source: src-a\n" for i in range(1, aliases + 1)
    )


def test_aliases_repeating_a_400_kb_statement_8000_times_are_refused_at_the_alias(tmp_path: Path) -> None:
    """896 KB that made a 5.4 GB index: refused at the third alias (400,000 each; all may repeat 1,000,000)."""
    text = aliased_statement_facts(400_000, 8000)
    assert 850_000 < len(text) < 1_000_000
    path, (validate, facts) = run_case(tmp_path, text, ["validate", "{path}"], ["facts", "--data", "{path}"])
    # The header is 8 lines, the anchoring fact 4; each fact after it 4, its statement the third.
    line = f"{path}:{8 + 4 + 4 * 2 + 3}:16: alias '*s' repeats 400,000 characters, which takes what the file's "
    line += "aliases repeat past 1,000,000 (a YAML bomb?); write the value out or repeat less\n"
    assert (validate.code, validate.stdout, validate.stderr) == (2, b"", line.encode())
    assert (facts.code, facts.stdout, facts.stderr) == (2, b"", line.encode())
    assert cache_files(tmp_path / "cache") == []


def test_aliases_repeating_up_to_the_limit_are_read_as_written(tmp_path: Path) -> None:
    """999 aliases of a 999-character statement repeat 999,000 characters: within the limit, every fact whole."""
    text = aliased_statement_facts(999, 999)
    path, (validate, facts) = run_case(
        tmp_path,
        text,
        ["validate", "{path}"],
        ["facts", "--data", "{path}", "--format", "jsonl", "--fields", "id,statement"],
    )
    assert (validate.code, validate.stderr) == (0, b"")
    assert validate.stdout == f"{path}: ok, 1000 facts, 1 source\n".encode()
    assert (facts.code, facts.stderr) == (0, b"")
    statement = ("w" * 9 + " ") * 99 + "w" * 9
    assert facts.stdout == jsonl([{"id": f"fact-{i:05d}", "statement": statement} for i in range(1000)])
