"""Reading a facts file: encodings, YAML syntax, unsafe YAML, paths, and that reading never writes."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

import kortrade.load
from kortrade import DataError, Dataset, load_dataset
from kortrade.errors import UsageError
from kortrade.load import DATA_ENV, default_data_path, resolve_data_path
from support.facts import MINIMAL, SOURCES, WriteFacts, plain_yaml

REPO = Path(__file__).resolve().parent.parent


def problems(path: Path) -> list[str]:
    """The lines of the DataError that loading ``path`` raises."""
    with pytest.raises(DataError) as info:
        load_dataset(path)
    return info.value.lines


# -- files that are not there or not files -----------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    assert problems(path) == [f"{path}: no such file; expected a YAML facts file"]


def test_directory(tmp_path: Path) -> None:
    assert problems(tmp_path) == [f"{tmp_path}: is a directory; expected a YAML facts file"]


def test_missing_file_error_is_a_usage_exit() -> None:
    with pytest.raises(DataError) as info:
        load_dataset("/nonexistent/kortrade/facts.yaml")
    assert int(info.value.exit_code) == 2
    assert str(info.value) == "/nonexistent/kortrade/facts.yaml: no such file; expected a YAML facts file"


# -- empty files --------------------------------------------------------------------


@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n# and another\n", "   \n"])
def test_empty_file(write_facts: WriteFacts, content: str) -> None:
    path = write_facts(content, "facts.yaml")
    assert problems(path) == [f"{path}:1:1: file is empty; expected a mapping with version, sources, facts"]


# -- encodings ------------------------------------------------------------------------


def test_invalid_utf8_reports_line_and_column_of_the_bad_byte(write_facts: WriteFacts) -> None:
    path = write_facts(b"version: 1\nsources: []\nfacts: caf\xe9\n", "facts.yaml")
    assert problems(path) == [f"{path}:3:11: invalid UTF-8 byte 0xe9; expected UTF-8 text"]


def test_invalid_utf8_column_counts_characters_not_bytes(write_facts: WriteFacts) -> None:
    # "한국" is six bytes but two characters, so the bad byte is in column 9.
    path = write_facts("version: 1\nnote: 한국".encode() + b"\xff\n", "facts.yaml")
    assert problems(path) == [f"{path}:2:9: invalid UTF-8 byte 0xff; expected UTF-8 text"]


def test_invalid_utf8_on_the_first_line(write_facts: WriteFacts) -> None:
    path = write_facts(b"\x80version: 1\n", "facts.yaml")
    assert problems(path) == [f"{path}:1:1: invalid UTF-8 byte 0x80; expected UTF-8 text"]


def test_utf8_bom_is_accepted(write_facts: WriteFacts) -> None:
    path = write_facts(b"\xef\xbb\xbf" + MINIMAL.encode(), "facts.yaml")
    dataset = load_dataset(path)
    assert [f.id for f in dataset.facts] == ["fact-one", "fact-two"]
    assert dataset.version == 1


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_refused(write_facts: WriteFacts, encoding: str) -> None:
    raw = MINIMAL.encode(encoding)
    if encoding != "utf-16":
        raw = ("\ufeff" + MINIMAL).encode(encoding)
    path = write_facts(raw, "facts.yaml")
    assert problems(path) == [f"{path}:1:1: file is UTF-16; expected UTF-8 (save it as UTF-8)"]


@pytest.mark.parametrize(
    ("control", "code"),
    [("\x00", "0000"), ("\x07", "0007"), ("\x1b", "001B"), ("\x7f", "007F"), ("\x80", "0080")],
)
def test_control_character_is_one_problem_line_with_its_position(
    write_facts: WriteFacts, control: str, code: str
) -> None:
    path = write_facts(f"version: 1\nnote: a{control}b\n", "facts.yaml")
    assert problems(path) == [f"{path}:2:8: control character U+{code} is not allowed in YAML; expected printable text"]


@pytest.mark.parametrize(
    ("text", "where", "code"),
    [
        # "한국" is two characters (six bytes): the bell is in column 9 of line 2.
        ("version: 1\nnote: 한국\x07b\n", "2:9", "0007"),
        ("# 中国\nversion: 1\nnote: a\x07b\n", "3:8", "0007"),
        ("note: ä\x00\n", "1:8", "0000"),
    ],
    ids=["korean", "chinese-comment", "umlaut"],
)
def test_control_character_position_after_non_ascii_text(
    write_facts: WriteFacts, text: str, where: str, code: str
) -> None:
    path = write_facts(text, "facts.yaml")
    assert problems(path) == [
        f"{path}:{where}: control character U+{code} is not allowed in YAML; expected printable text"
    ]


# -- YAML syntax ----------------------------------------------------------------------


def test_yaml_syntax_error_has_line_and_column(write_facts: WriteFacts) -> None:
    path = write_facts("version: 1\nsources: [a, b\nfacts: []\n", "facts.yaml")
    assert problems(path) == [
        f"{path}:3:6: YAML syntax error: while parsing a flow sequence did not find expected ',' or ']'"
    ]


def test_tab_indentation_is_a_syntax_error(write_facts: WriteFacts) -> None:
    path = write_facts("version: 1\n\tsources: []\n", "facts.yaml")
    assert problems(path) == [
        f"{path}:2:1: YAML syntax error: while scanning a plain scalar found a tab character that violates indentation"
    ]


def test_undefined_alias(write_facts: WriteFacts) -> None:
    path = write_facts(SOURCES + "facts: *nowhere\n", "facts.yaml")
    assert problems(path) == [f"{path}:8:8: YAML syntax error: found undefined alias"]


def test_two_documents_are_refused(write_facts: WriteFacts) -> None:
    path = write_facts(MINIMAL + "---\n" + MINIMAL, "facts.yaml")
    line = MINIMAL.count("\n") + 1
    assert problems(path) == [
        f"{path}:{line}:1: YAML syntax error: expected a single YAML document, found a second one ('---')"
    ]


def test_top_level_list_is_refused(write_facts: WriteFacts) -> None:
    path = write_facts("- version: 1\n- sources: []\n", "facts.yaml")
    assert problems(path) == [
        f"{path}:1:1: expected the top level (version, sources, facts) as a mapping (key: value), got a list"
    ]


@pytest.mark.parametrize(
    ("content", "described"),
    [
        ("just some text\n", "text (just some text)"),
        ("42\n", "a number (42)"),
        ("true\n", "a boolean (true)"),
        ("2026-01-05\n", "a date (2026-01-05)"),
        ("~\n", "an empty value"),
    ],
)
def test_top_level_scalar_is_refused(write_facts: WriteFacts, content: str, described: str) -> None:
    path = write_facts(content, "facts.yaml")
    assert problems(path) == [
        f"{path}:1:1: expected the top level (version, sources, facts) as a mapping (key: value), got {described}"
    ]


@pytest.mark.parametrize(
    ("content", "where", "what"),
    [
        ("[" * 5000, "1:1001", "flow"),
        ("{" * 5000, "1:1001", "flow"),
        # The block mapping is one level, so the 1000th bracket (column 1003) is too deep.
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", "1:1003", "flow"),
        ("".join("  " * i + "-\n" for i in range(3000)), "1000:1999", "block"),
    ],
)
def test_nesting_limit_is_a_clean_data_error(write_facts: WriteFacts, content: str, where: str, what: str) -> None:
    path = write_facts(content, "facts.yaml")
    assert problems(path) == [
        f"{path}:{where}: YAML syntax error: while increasing {what} level exceeded maximum nesting depth"
    ]


# -- YAML that would run code or blow up --------------------------------------------------


def test_python_tags_construct_nothing_and_run_nothing(
    write_facts: WriteFacts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "pwned"
    calls: list[object] = []

    def spy(command: str) -> int:
        calls.append(command)
        return 0

    monkeypatch.setattr(os, "system", spy)
    text = (
        f"version: !!python/object/apply:os.system ['touch {marker}']\n"
        f"sources: !!python/object/new:pathlib.Path ['{marker}']\n"
        "facts:\n"
        f"  - !!python/object/apply:os.system ['touch {marker}']\n"
        "  - !!python/name:os.system\n"
    )
    path = write_facts(text, "facts.yaml")
    assert problems(path) == [
        f"{path}:1:10: 'version' must be a whole number, got a value tagged "
        "'!!python/object/apply:os.system' (tags are not supported)",
        f"{path}:2:10: expected 'sources' as a list, got a value tagged "
        "'!!python/object/new:pathlib.Path' (tags are not supported)",
        f"{path}:4:5: expected a fact as a mapping (key: value), got a value tagged "
        "'!!python/object/apply:os.system' (tags are not supported)",
        f"{path}:5:5: expected a fact as a mapping (key: value), got a value tagged "
        "'!!python/name:os.system' (tags are not supported)",
    ]
    assert calls == []
    assert not marker.exists()


def test_custom_local_tag_is_refused(write_facts: WriteFacts) -> None:
    path = write_facts(
        SOURCES + "facts:\n  - id: fact-one\n    topic: trade\n    statement: !shout S.\n    source: src-a\n",
        "facts.yaml",
    )
    assert problems(path) == [
        f"{path}:11:16: 'statement' must be text, got a value tagged '!shout' (tags are not supported)"
    ]


def _alias_bomb(levels: int = 9) -> list[str]:
    """Anchors a, b, c...: each a list of nine aliases to the previous (9**9 leaves if expanded)."""
    names = "abcdefghijklmnop"[:levels]
    lines = ['  - &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in itertools.pairwise(names):
        lines.append(f"  - &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return lines


def test_billion_laughs_is_refused_without_expanding(write_facts: WriteFacts) -> None:
    bomb = _alias_bomb()
    text = "version: 1\nsources: []\nlaughs:\n" + "\n".join(bomb) + "\nfacts: *i\n"
    path = write_facts(text, "facts.yaml")
    # Each alias counts what it would repeat, never expanded: the aliases of &b to &e repeat
    # 273,978 characters, each *e 243,577 more; the third *e (line 9, &f's) passes 1,000,000.
    assert problems(path) == [
        f"{path}:9:17: alias '*e' repeats 243,577 characters, which takes what the file's aliases repeat "
        "past 1,000,000 (a YAML bomb?); write the value out or repeat less"
    ]


def test_billion_laughs_in_a_list_field(write_facts: WriteFacts) -> None:
    bomb = _alias_bomb(levels=5)  # within what aliases may repeat: the schema reads it
    text = (
        SOURCES
        + "facts:\n"
        + "\n".join(bomb)
        + "\n  - id: fact-one\n    topic: trade\n    statement: S.\n    entities: *e\n    source: src-a\n"
    )
    path = write_facts(text, "facts.yaml")
    # The five anchor lists (lines 9-13) are not facts; the elements of *e are all
    # the node &d, so the nine entity problems are one problem at line 12, reported once.
    not_a_fact = "expected a fact as a mapping (key: value), got a list"
    assert problems(path) == [
        *[f"{path}:{line}:5: {not_a_fact}" for line in range(9, 13)],
        f"{path}:12:5: 'entities[]' must be text, got a list",
        f"{path}:13:5: {not_a_fact}",
    ]


# -- anchors, aliases and merge keys ------------------------------------------------------

MERGED = """\
version: 1
sources:
  - &src
    id: src-a
    title: A source
    publisher: Pub
    published: 2026-01-09
    url: https://example.org/a
  - <<: *src
    id: src-b
    title: B source
facts:
  - &base
    id: fact-one
    topic: trade
    statement: One.
    entities: &both [China, Republic of Korea]
    source: src-a
  - <<: *base
    id: fact-two
    source: src-b
  - id: fact-three
    topic: visit
    statement: Three.
    entities: *both
    tags: &tags [summit]
    source: src-a
"""


def test_anchors_aliases_and_merge_keys_work(write_facts: WriteFacts) -> None:
    dataset = load_dataset(write_facts(MERGED, "facts.yaml"))
    assert [(s.id, s.title, s.publisher, s.url) for s in dataset.sources] == [
        ("src-a", "A source", "Pub", "https://example.org/a"),
        ("src-b", "B source", "Pub", "https://example.org/a"),
    ]
    one, two, three = dataset.facts
    assert (two.id, two.topic, two.statement, two.source.id) == ("fact-two", "trade", "One.", "src-b")
    assert two.entities == one.entities == ("China", "Republic of Korea")
    assert three.entities == ("China", "Republic of Korea")
    assert three.tags == ("summit",)


def test_merge_list_earlier_mapping_wins(write_facts: WriteFacts) -> None:
    text = (
        SOURCES
        + "facts:\n"
        + "  - &y {id: fact-y, topic: visit, statement: From y., source: src-a}\n"
        + "  - &x {id: fact-x, topic: trade, statement: From x., note: Only x., source: src-a}\n"
        + "  - <<: [*y, *x]\n"
        + "    id: fact-z\n"
    )
    facts = load_dataset(write_facts(text, "facts.yaml")).facts
    assert [(f.id, f.topic, f.statement, f.note) for f in facts] == [
        ("fact-y", "visit", "From y.", None),
        ("fact-x", "trade", "From x.", "Only x."),
        ("fact-z", "visit", "From y.", "Only x."),
    ]


def test_merge_explicit_keys_win(write_facts: WriteFacts) -> None:
    text = (
        SOURCES
        + "facts:\n"
        + "  - &a {id: fact-a, topic: trade, statement: A., source: src-a}\n"
        + "  - statement: Mine.\n"
        + "    <<: *a\n"
        + "    id: fact-b\n"
    )
    facts = load_dataset(write_facts(text, "facts.yaml")).facts
    assert [(f.id, f.topic, f.statement) for f in facts] == [("fact-a", "trade", "A."), ("fact-b", "trade", "Mine.")]


def test_merge_of_a_non_mapping_is_refused(write_facts: WriteFacts) -> None:
    text = SOURCES + "facts:\n  - <<: 5\n    id: fact-one\n    topic: trade\n    statement: S.\n    source: src-a\n"
    path = write_facts(text, "facts.yaml")
    assert problems(path) == [f"{path}:9:9: '<<' merges a mapping, got a number (5)"]


def test_diamond_merge_is_valid(write_facts: WriteFacts) -> None:
    # Both *a and *b bring in the mapping &a; merging one mapping twice is valid YAML.
    text = (
        SOURCES
        + "facts:\n"
        + "  - &a {id: fact-a, topic: trade, statement: A., source: src-a}\n"
        + "  - &b {<<: *a, id: fact-b}\n"
        + "  - <<: [*a, *b]\n"
        + "    id: fact-c\n"
    )
    facts = load_dataset(write_facts(text, "facts.yaml")).facts
    assert [(f.id, f.topic, f.statement) for f in facts] == [
        ("fact-a", "trade", "A."),
        ("fact-b", "trade", "A."),
        ("fact-c", "trade", "A."),
    ]


def test_merged_mapping_with_a_list_key_is_a_data_error(write_facts: WriteFacts) -> None:
    text = (
        SOURCES
        + "facts:\n"
        + "  - <<:\n"
        + "      ? [a]\n"
        + "      : 1\n"
        + "    id: fact-one\n"
        + "    topic: trade\n"
        + "    statement: S.\n"
        + "    source: src-a\n"
    )
    path = write_facts(text, "facts.yaml")
    assert problems(path) == [f"{path}:10:9: expected a text key in a fact, got a list"]


# -- where the data comes from ------------------------------------------------------------


def test_default_data_path_is_the_shipped_file() -> None:
    path = Path(default_data_path())
    assert path.is_file()
    assert path.name == "facts.yaml"
    assert path == (REPO / "data" / "facts.yaml").resolve()


def test_explicit_path_wins_over_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "from-env.yaml"))
    assert resolve_data_path(tmp_path / "explicit.yaml") == str(tmp_path / "explicit.yaml")
    assert resolve_data_path(str(tmp_path / "explicit.yaml")) == str(tmp_path / "explicit.yaml")


def test_environment_wins_over_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(DATA_ENV, str(tmp_path / "from-env.yaml"))
    assert resolve_data_path(None) == str(tmp_path / "from-env.yaml")
    with pytest.raises(UsageError, match="path is empty"):  # an empty path given on purpose is not "unset"
        resolve_data_path("")


def test_empty_environment_means_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_ENV, "")
    assert resolve_data_path(None) == default_data_path()
    monkeypatch.delenv(DATA_ENV)
    assert resolve_data_path(None) == default_data_path()


def test_load_dataset_reads_the_environment(monkeypatch: pytest.MonkeyPatch, minimal: Path, tmp_path: Path) -> None:
    monkeypatch.setenv(DATA_ENV, str(minimal))
    dataset = load_dataset()
    assert dataset.path == str(minimal)
    assert [f.id for f in dataset.facts] == ["fact-one", "fact-two"]
    # An explicit path still wins, even a missing one.
    missing = tmp_path / "missing.yaml"
    with pytest.raises(DataError) as info:
        load_dataset(missing)
    assert info.value.lines == [f"{missing}: no such file; expected a YAML facts file"]


def test_load_dataset_without_anything_reads_the_shipped_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATA_ENV, raising=False)
    dataset = load_dataset()
    assert isinstance(dataset, Dataset)
    assert dataset.path == str(default_data_path())
    assert len(dataset.facts) == len(plain_yaml(Path(default_data_path()))["facts"])


# -- reading never writes -------------------------------------------------------------------


def test_file_is_opened_read_only_and_left_unchanged(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = (minimal.read_bytes(), minimal.stat().st_mtime_ns, minimal.stat().st_size)
    modes: list[str] = []
    real_open = open

    def spy(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        modes.append(mode)
        return real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(kortrade.load, "open", spy, raising=False)
    load_dataset(minimal)
    assert modes == ["rb"]
    assert (minimal.read_bytes(), minimal.stat().st_mtime_ns, minimal.stat().st_size) == before


def test_read_only_file_loads(minimal: Path) -> None:
    minimal.chmod(0o444)
    try:
        assert [f.id for f in load_dataset(minimal).facts] == ["fact-one", "fact-two"]
    finally:
        minimal.chmod(0o644)
