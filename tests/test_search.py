"""Search: the query language, what it finds (English, Korean, Chinese), ranking, highlights,
the ``search``, ``entities`` and ``info`` commands, and the ``entities`` section of the schema."""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import itertools
import json
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, suppress
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kortrade import __version__
from kortrade.errors import DataError, UsageError
from kortrade.load import load_dataset
from kortrade.query import to_fts
from kortrade.segment import segment
from kortrade.store import FactQuery, FactStore, Hit
from support.cli import Cli
from support.facts import MINIMAL, SOURCES, WriteFacts, plain_yaml
from support.keys import FACT_KEYS
from support.paths import CLASSIC, SHIPPED

INFO_KEYS = [
    "data", "sha256", "size", "facts", "sources", "entities",
    "index", "index_size", "index_state", "index_reason", "built_at", "kortrade", "measures",
    "observations", "series", "latest", "data_files",
]  # fmt: skip
EXAMPLE = 'e.g. kortrade search battery OR "new energy" NOT samsung'
NO_WORD = f"search needs a word to look for, {EXAMPLE}"
SAMSUNG = {"samsung-exports-growth-2024", "samsung-exports-value-2024", "samsung-largest-market"}
BATTERY = ["sk-group-partnerships", "complementary-supply-chains"]
KINDS = "country, city, company, person, place, organisation, ministry, event"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# A styled run of text: the escape that opens it, the text, the reset.
_STYLED = re.compile(r"\x1b\[([0-9;]+)m([^\x1b]*)\x1b\[0m")

# Korean and Chinese statements; the entities section has no Korean or Chinese names here,
# so what is found is found in the statements themselves.
CJK_FACTS = (
    SOURCES
    + """\
facts:
  - id: ko-fact
    topic: trade
    statement: 삼성전자는 배터리를 수출했다
    entities: [Samsung Electronics]
    source: src-a
  - id: zh-fact
    topic: trade
    statement: 三星电子向中国出口电池。
    source: src-a
  - id: mixed-fact
    topic: industry
    statement: LG전자 sold batteries to 中国 in 2024.
    source: src-a
"""
)

# One fact names the word only in its note, a later one in its statement: the
# statement counts more, whatever the file order and the field lengths.
RANKED_FACTS = (
    SOURCES
    + """\
facts:
  - id: in-note
    topic: trade
    statement: Exports of cells rose in the year under review.
    note: Battery.
    source: src-a
  - id: in-statement
    topic: trade
    statement: >-
      Exports rose sharply across many sectors, among them the battery industry,
      in the year under review by the ministry.
    source: src-a
  - id: filler-one
    topic: trade
    statement: Steel shipments held steady.
    source: src-a
  - id: filler-two
    topic: trade
    statement: Ship orders fell.
    source: src-a
  - id: filler-three
    topic: trade
    statement: Chip sales grew.
    source: src-a
"""
)


# No colour or width settings; without --data, commands read the classic file these tests know.
pytestmark = pytest.mark.usefixtures("classic_environment")


@pytest.fixture(scope="module")
def store() -> Iterator[FactStore]:
    """The classic 25 facts (indexed in the session's private cache)."""
    with closing(FactStore.open(CLASSIC)) as opened:
        yield opened


def ids(hits: list[Hit]) -> list[str]:
    return [str(hit.record["id"]) for hit in hits]


def marked(hit: Hit) -> list[str]:
    statement = str(hit.record["statement"])
    return [statement[start:end] for start, end in hit.marks]


@functools.cache
def classic_document() -> dict[str, list[dict[str, object]]]:
    document: dict[str, list[dict[str, object]]] = yaml.safe_load(CLASSIC.read_text(encoding="utf-8"))
    return document


def classic_facts() -> list[dict[str, object]]:
    return classic_document()["facts"]


def naming(entity: str) -> set[str]:
    return {str(f["id"]) for f in classic_facts() if entity in f.get("entities", [])}  # type: ignore[operator]


# -- the query language ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expression"),
    [
        ("battery", '"battery"'),
        ("  battery  ", '"battery"'),
        ("battery semiconductor", '("battery" AND "semiconductor")'),
        ("battery AND semiconductor", '("battery" AND "semiconductor")'),
        ("battery OR semiconductor", '("battery" OR "semiconductor")'),
        ("company NOT samsung", '("company" NOT "samsung")'),
        ("a NOT b NOT c", '(("a" NOT "b") NOT "c")'),
        # AND binds tighter than OR; NOT tighter than both.
        ("a OR b c", '("a" OR ("b" AND "c"))'),
        ("a b OR c", '(("a" AND "b") OR "c")'),
        ("a OR b NOT c", '("a" OR ("b" NOT "c"))'),
        ("(a OR b) c", '(("a" OR "b") AND "c")'),
        ("a (b OR (c NOT d))", '("a" AND ("b" OR ("c" NOT "d")))'),
        ("semi*", '"semi"*'),
        ("semi**", '"semi"*'),
        ('"new energy"', '"new energy"'),
        ('"new energy"*', '"new energy"*'),
        ('"new energy" OR battery', '("new energy" OR "battery")'),
        # A quote inside a word opens a phrase there.
        ('say"new energy"', '("say" AND "new energy")'),
        ('a"b"c', '("a" AND "b" AND "c")'),
        # Operators count in capitals only; in lower case they are words.
        ("a or b", '("a" AND "or" AND "b")'),
        ("not and", '("not" AND "and")'),
        # FTS5 syntax is taken as text.
        ("a:b", '"a:b"'),
        ("col:word", '"col:word"'),
        ("statement:battery", '"statement:battery"'),
        ("^battery", '"^battery"'),
        ("-battery", '"-battery"'),
        ("+battery", '"+battery"'),
        ("a*b", '"a*b"'),
        ("NEAR(a b)", '("NEAR" AND ("a" AND "b"))'),
        ("NEAR/2", '"NEAR/2"'),
        ("{statement note}:x", '("{statement" AND "note}:x")'),
        # Symbols with nothing to index are dropped, not searched for.
        ("battery - $", '"battery"'),
        ("battery \u2014 \u2013", '"battery"'),  # em and en dashes
        # Korean and Chinese become phrases of their characters.
        ("삼성", '"' + segment("삼성") + '"'),
        ("三星 OR LG", '("' + segment("三星") + '" OR "LG")'),
    ],
)
def test_to_fts(query: str, expression: str, store: FactStore) -> None:
    assert to_fts(query) == expression
    store.search(query)  # and SQLite takes it


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", NO_WORD),
        ("   ", NO_WORD),
        ("OR", NO_WORD),
        ("AND OR NOT", NO_WORD),
        ("()", NO_WORD),
        ('""', NO_WORD),
        ("*", NO_WORD),
        ("$ — ?", NO_WORD),
        ("NOT battery", f"'NOT' needs a word before and after it, {EXAMPLE}"),
        ("OR battery", f"'OR' needs a word before and after it, {EXAMPLE}"),
        ("battery OR", f"'OR' needs a word after it, {EXAMPLE}"),
        ("battery AND", f"'AND' needs a word after it, {EXAMPLE}"),
        ("battery NOT", f"'NOT' needs a word after it, {EXAMPLE}"),
        ("battery OR OR semi", f"'OR' needs a word before and after it, {EXAMPLE}"),
        ("battery NOT NOT semi", f"'NOT' needs a word after it, {EXAMPLE}"),
        ('"new energy', "unbalanced quote in search: '\"new energy'; close the phrase with \""),
        ('battery "new', "unbalanced quote in search: 'battery \"new'; close the phrase with \""),
        ("(battery", f"unbalanced '(' in search; close it with ')', {EXAMPLE}"),
        ("((battery) OR semi", f"unbalanced '(' in search; close it with ')', {EXAMPLE}"),
        ("battery)", f"unbalanced ')' in search, {EXAMPLE}"),
        (")battery(", f"unbalanced ')' in search, {EXAMPLE}"),
    ],
)
def test_query_mistakes_are_usage_errors(query: str, message: str, store: FactStore) -> None:
    with pytest.raises(UsageError) as caught:
        to_fts(query)
    assert str(caught.value) == message
    with pytest.raises(UsageError) as from_store:
        store.search(query)
    assert str(from_store.value) == message


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("OR", NO_WORD),
        ("NOT battery", f"'NOT' needs a word before and after it, {EXAMPLE}"),
        ("battery OR", f"'OR' needs a word after it, {EXAMPLE}"),
        ('"new energy', "unbalanced quote in search: '\"new energy'; close the phrase with \""),
        ("(battery", f"unbalanced '(' in search; close it with ')', {EXAMPLE}"),
        ("battery)", f"unbalanced ')' in search, {EXAMPLE}"),
    ],
)
def test_query_mistakes_exit_2_with_one_line(cli: Cli, query: str, message: str) -> None:
    result = cli("search", query)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"kortrade: {message}\n"


def test_empty_query_exits_2(cli: Cli) -> None:
    result = cli("search", "")
    assert result.exit_code == 2
    assert result.stderr == f"kortrade: {NO_WORD}\n"


def test_words_of_several_arguments_are_one_query(cli: Cli) -> None:
    apart = cli("search", "battery", "OR", "automobile", "--json")
    together = cli("search", "battery OR automobile", "--json")
    assert apart.exit_code == together.exit_code == 0
    assert apart.stdout == together.stdout
    assert len(json.loads(apart.stdout)) == 4


@pytest.mark.parametrize(
    ("query", "found"),
    [
        # As FTS5 syntax these would find facts; as text they find none.
        ("statement:battery", []),
        ("note:caption", []),
        ("NEAR(battery semiconductor)", []),
        ("{statement}:battery", []),
        # As text, the symbols are separators and the words are searched for.
        ("^battery", BATTERY),
        ("+battery", BATTERY),
        ("-battery", BATTERY),
        ("battery:", BATTERY),
    ],
)
def test_fts5_syntax_is_taken_literally(store: FactStore, query: str, found: list[str]) -> None:
    assert ids(store.search(query)) == found


QUERY_PIECES = st.sampled_from(
    [
        "AND", "OR", "NOT", "NEAR", "(", ")", '"', "*", ":", "^", "-", "+", "{", "}", "/", "'", "\\",
        "battery", "semi*", "삼성", "三星", "중국", "new energy", "statement:", "col:word", "\t", "\n", " ",
    ]
)  # fmt: skip


# Every character but NUL and lone surrogates, which have tests of their own below.
QUERY_CHARACTERS = st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(
        st.text(QUERY_CHARACTERS, max_size=30),
        st.lists(st.one_of(QUERY_PIECES, st.text(QUERY_CHARACTERS, max_size=3)), max_size=12).map(" ".join),
        st.lists(QUERY_PIECES, max_size=12).map("".join),
    )
)
@example('"')
@example("NEAR(")
@example("a:")
@example("*a")
@example("(((")
@example(")))")
@example("\u0301")
@example("\U000e0001")
@example("\uffff")
def test_any_query_finds_facts_or_is_a_usage_error(store: FactStore, query: str) -> None:
    hits: list[Hit] = []
    message: str | None = None
    try:
        hits = store.search(query)
    except UsageError as exc:
        message = str(exc)
    if message is not None:  # one line saying what is wrong
        assert message
        assert "\n" not in message
    known = {f["id"] for f in classic_facts()}
    for hit in hits:
        assert hit.record["id"] in known
        statement = str(hit.record["statement"])
        assert all(0 <= start < end <= len(statement) for start, end in hit.marks)


@pytest.mark.parametrize(
    "query",
    ["battery\x00", "\x00", "a\x00b", "삼성\x00", "caf\udce9", "battery \udcff", "\ud800"],
    ids=["nul-after", "nul-alone", "nul-inside", "nul-cjk", "surrogate-inside", "surrogate-word", "surrogate-alone"],
)
def test_query_with_nul_or_lone_surrogate_is_not_a_crash(store: FactStore, query: str) -> None:
    """NUL cuts FTS5's quoted string short; a lone surrogate (an undecodable byte in argv) cannot be encoded."""
    with suppress(UsageError):
        store.search(query)


@pytest.mark.parametrize(
    "args",
    [["search", b"caf\xe9"], ["search", b"battery", b"caf\xe9"], ["facts", "--entity", b"caf\xe9"], ["show", b"\xe9"]],
    ids=["search", "search-second-word", "facts-entity", "show"],
)
def test_bytes_that_are_not_utf8_on_the_command_line_are_not_an_internal_error(args: list[str | bytes]) -> None:
    """A word typed in a Latin-1 terminal: nothing matches it, but nothing crashes either
    (beside a word that matches, the facts with that word come, as partial matches)."""
    result = subprocess.run([sys.executable, "-m", "kortrade", *args], capture_output=True, timeout=120, check=False)
    assert b"internal error" not in result.stderr
    if args[1:] == [b"battery", b"caf\xe9"]:
        assert result.returncode == 0
        assert b"no fact matches every word of 'battery caf" in result.stderr
    else:
        assert result.returncode in (1, 2), result.stderr


# -- what a search finds ---------------------------------------------------------------------


def test_stemming_finds_other_forms(store: FactStore) -> None:
    assert ids(store.search("battery")) == BATTERY
    assert ids(store.search("batteries")) == BATTERY
    assert ids(store.search("semiconductor")) == ["complementary-supply-chains"]


def test_prefix(store: FactStore) -> None:
    assert ids(store.search("semi*")) == ["complementary-supply-chains"]
    assert store.search("semi") == []
    assert set(ids(store.search("biopharm*"))) == {"cooperation-growth-areas"}


def test_phrase(store: FactStore) -> None:
    assert set(ids(store.search('"new energy"'))) == {"sk-group-partnerships", "hyundai-motor-nev"}
    assert store.search('"energy new"') == []
    # Both words, anywhere: the five-year-plan fact says "new" nowhere near "energy"
    assert set(ids(store.search("new energy"))) >= {"sk-group-partnerships", "hyundai-motor-nev"}


def test_words_side_by_side_must_all_match(store: FactStore) -> None:
    assert ids(store.search("battery semiconductor")) == ["complementary-supply-chains"]
    assert ids(store.search("battery AND semiconductor")) == ["complementary-supply-chains"]


def test_or(store: FactStore) -> None:
    found = ids(store.search("battery OR automobile"))
    assert sorted(found) == sorted(
        ["sk-group-partnerships", "complementary-supply-chains", "competition-mature-industries", "hyundai-motor-nev"]
    )


def test_not(store: FactStore) -> None:
    company = set(ids(store.search("company")))
    assert company > SAMSUNG
    assert (
        set(ids(store.search("company NOT samsung")))
        == company - SAMSUNG
        == {
            "sk-group-partnerships",
            "hyundai-motor-nev",
            "lg-group-cooperation",
        }
    )


def test_parentheses(store: FactStore) -> None:
    assert set(ids(store.search("(battery OR automobile) semiconductor"))) == {"complementary-supply-chains"}
    assert set(ids(store.search("battery OR (automobile semiconductor)"))) == set(BATTERY)


@pytest.mark.parametrize("query", ["삼성", "三星", "Samsung", "삼성그룹", "三星集团", "samsung group"])
def test_samsung_by_any_of_its_names(store: FactStore, query: str) -> None:
    assert set(ids(store.search(query))) == SAMSUNG == naming("Samsung Group")


@pytest.mark.parametrize("query", ["중국", "中国", "중화인민공화국", "中华人民共和国", "PRC"])
def test_china_by_its_korean_and_chinese_names(store: FactStore, query: str) -> None:
    assert set(ids(store.search(query))) == naming("China")


@pytest.mark.parametrize("query", ["한국", "韩国", "대한민국", "South Korea"])
def test_korea_by_its_names(store: FactStore, query: str) -> None:
    assert set(ids(store.search(query))) == naming("Republic of Korea")


def test_korean_and_chinese_names_combine_with_english_words(store: FactStore) -> None:
    assert set(ids(store.search("삼성 exports"))) == SAMSUNG
    assert set(ids(store.search("三星 NOT market"))) == SAMSUNG - {"samsung-largest-market"}
    assert set(ids(store.search("이재명 OR 삼성"))) == naming("Lee Jae Myung") | SAMSUNG


def test_part_of_a_korean_or_chinese_name_matches(store: FactStore) -> None:
    assert set(ids(store.search("재명"))) == naming("Lee Jae Myung")
    assert set(ids(store.search("集团"))) == naming("Samsung Group") | naming("SK Group") | naming("LG Group")


def test_cjk_inside_longer_words_of_a_statement(write_facts: WriteFacts) -> None:
    data = write_facts(CJK_FACTS, "cjk.yaml")
    with closing(FactStore.open(data)) as cjk:
        assert set(ids(cjk.search("전자"))) == {"ko-fact", "mixed-fact"}
        assert ids(cjk.search("배터리")) == ["ko-fact"]
        assert ids(cjk.search("수출했다")) == ["ko-fact"]
        assert ids(cjk.search("电子")) == ["zh-fact"]
        assert ids(cjk.search("出口电池")) == ["zh-fact"]
        assert set(ids(cjk.search("中国"))) == {"zh-fact", "mixed-fact"}
        assert ids(cjk.search("LG전자")) == ["mixed-fact"]
        assert ids(cjk.search("sold 中国")) == ["mixed-fact"]
        assert ids(cjk.search("전자 NOT LG")) == ["ko-fact"]
        assert cjk.search("전기") == []
        assert cjk.search("电脑") == []


def test_best_match_first(write_facts: WriteFacts) -> None:
    data = write_facts(RANKED_FACTS, "ranked.yaml")
    with closing(FactStore.open(data)) as ranked:
        hits = ranked.search("battery")
    assert ids(hits) == ["in-statement", "in-note"]
    assert hits[0].score < hits[1].score


def test_statement_ranks_above_note_on_the_classic_data(store: FactStore) -> None:
    # lee-visit-concluded names Shanghai in its note only; three facts in their statement.
    found = ids(store.search("shanghai"))
    assert found[-1] == "lee-visit-concluded"
    assert set(found[:-1]) == {"journalist-luncheon-shanghai", "ai-startup-meeting-shanghai", "business-delegation"}


def test_scores_are_in_order(store: FactStore) -> None:
    for query in ("china", "trade OR visit", "2024", "중국"):
        scores = [hit.score for hit in store.search(query)]
        assert scores == sorted(scores)
        assert len(scores) > 1


def test_topic_filter(store: FactStore) -> None:
    assert ids(store.search("battery", topic="industry")) == ["complementary-supply-chains"]
    assert ids(store.search("battery", topic="INDUSTRY")) == ["complementary-supply-chains"]
    assert store.search("battery", topic="visit") == []
    in_trade = [str(h.record["id"]) for h in store.search("china") if h.record["topic"] == "trade"]
    assert len(in_trade) > 1
    assert ids(store.search("china", topic="trade")) == in_trade


def test_unknown_topic_is_a_usage_error(store: FactStore) -> None:
    with pytest.raises(UsageError) as caught:
        store.search("battery", topic="bogus")
    assert str(caught.value) == (
        "unknown topic 'bogus'; topics are: trade, relations, partnerships, visit, cooperation, industry, agreements"
    )


def test_limit(store: FactStore) -> None:
    every = ids(store.search("china"))
    assert len(every) > 5
    assert ids(store.search("china", limit=3)) == every[:3]
    assert ids(store.search("china", limit=1)) == every[:1]


def test_search_records_are_the_fact_records(store: FactStore) -> None:
    for hit in store.search("battery OR 삼성"):
        assert hit.record == store.get(str(hit.record["id"]))
        assert list(hit.record) == FACT_KEYS


# -- highlights ---------------------------------------------------------------------------


def test_marks_point_at_the_matched_words(store: FactStore) -> None:
    assert [marked(h) for h in store.search("battery")] == [["batteries"], ["batteries"]]
    assert [marked(h) for h in store.search('"new energy"')] == [["new energy"], ["new energy"]]
    assert [marked(h) for h in store.search("semi*")] == [["semiconductors"]]
    (hit,) = store.search("battery semiconductor")
    assert marked(hit) == ["semiconductors", "batteries"]


def test_marks_are_empty_when_only_names_match(store: FactStore) -> None:
    hits = store.search("삼성")
    assert hits
    assert all(hit.marks == () for hit in hits)


def test_every_word_of_every_statement_is_found_and_marked(store: FactStore) -> None:
    for fact in classic_facts():
        statement = str(fact["statement"])
        for word in set(re.findall(r"\w+", statement)):
            hits = {str(h.record["id"]): h for h in store.search(f'"{word}"')}
            assert fact["id"] in hits, word
            hit = hits[str(fact["id"])]
            spans = hit.marks
            assert spans == tuple(sorted(spans))
            assert all(end <= start for (_, end), (start, _) in itertools.pairwise(spans)), spans
            assert all(start < end for start, end in spans), spans
            assert word.casefold() in [statement[a:b].casefold() for a, b in spans], (word, marked(hit))


def test_marks_in_korean_and_chinese_statements(write_facts: WriteFacts) -> None:
    data = write_facts(CJK_FACTS, "cjk.yaml")
    with closing(FactStore.open(data)) as cjk:
        by_query = {q: {str(h.record["id"]): (marked(h), h.marks) for h in cjk.search(q)} for q in ("전자", "出口电池")}
        assert by_query["전자"] == {"ko-fact": (["전자"], ((2, 4),)), "mixed-fact": (["전자"], ((2, 4),))}
        assert by_query["出口电池"] == {"zh-fact": (["出口电池"], ((7, 11),))}
        (hit,) = cjk.search("sold 中国")
        assert marked(hit) == ["sold", "中国"]
        (hit,) = cjk.search("LG전자")
        assert marked(hit) == ["LG전자"]


def without_styles(text: str) -> str:
    """The text a terminal shows, less the padding of styled cells at the ends of lines."""
    return "\n".join(line.rstrip() for line in _ANSI.sub("", text).split("\n"))


def styled_runs(text: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in _STYLED.finditer(text)]


def test_highlights_only_on_a_terminal_and_plain_text_unchanged(cli: Cli) -> None:
    plain = cli("search", "battery", env={"NO_COLOR": "1"})
    coloured = cli("search", "battery", env={"FORCE_COLOR": "1"})
    assert plain.exit_code == coloured.exit_code == 0
    assert "\x1b" not in plain.stdout
    assert without_styles(coloured.stdout) == plain.stdout
    match_runs = [(code, text) for code, text in styled_runs(coloured.stdout) if text == "batteries"]
    assert len(match_runs) == 2  # one per fact
    # The match style marks nothing else: not in a search that matches names only.
    match_code = match_runs[0][0]
    assert [text for code, text in styled_runs(coloured.stdout) if code == match_code] == ["batteries", "batteries"]
    names_only = cli("search", "삼성", env={"FORCE_COLOR": "1"})
    assert names_only.exit_code == 0
    assert "\x1b[" in names_only.stdout
    assert all(code != match_code for code, _ in styled_runs(names_only.stdout))


def test_highlights_in_korean_and_chinese(cli: Cli, write_facts: WriteFacts) -> None:
    data = str(write_facts(CJK_FACTS, "cjk.yaml"))
    plain = cli("search", "전자 OR 出口", "--data", data, env={"NO_COLOR": "1"})
    coloured = cli("search", "전자 OR 出口", "--data", data, env={"FORCE_COLOR": "1"})
    assert plain.exit_code == coloured.exit_code == 0
    assert without_styles(coloured.stdout) == plain.stdout
    texts = [text for _, text in styled_runs(coloured.stdout)]
    assert texts.count("전자") == 2
    assert texts.count("出口") == 1
    assert "삼성전자는 배터리를 수출했다" in plain.stdout


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "markdown"])
def test_no_highlights_outside_tables(cli: Cli, fmt: str) -> None:
    plain = cli("search", "battery", "--format", fmt)
    coloured = cli("search", "battery", "--format", fmt, env={"FORCE_COLOR": "1"})
    assert coloured.exit_code == 0
    assert coloured.stdout == plain.stdout
    assert "\x1b" not in coloured.stdout


def test_highlights_follow_no_color_flag(cli: Cli) -> None:
    result = cli("search", "battery", "--no-color", env={"FORCE_COLOR": "1"})
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    assert result.stdout == cli("search", "battery").stdout


# -- the search command ----------------------------------------------------------------------


def test_search_json_is_the_fact_contract_best_first(cli: Cli, store: FactStore) -> None:
    result = cli("search", "battery OR automobile", "--json")
    assert result.exit_code == 0
    assert result.stderr == ""
    records = json.loads(result.stdout)
    assert [r["id"] for r in records] == ids(store.search("battery OR automobile"))
    for record in records:
        assert list(record) == FACT_KEYS
        assert record == store.get(record["id"])


def test_search_formats_agree(cli: Cli, store: FactStore) -> None:
    query = "battery OR automobile"
    expected = ids(store.search(query))
    jsonl = cli("search", query, "--format", "jsonl")
    assert [json.loads(line)["id"] for line in jsonl.stdout.splitlines()] == expected
    assert all(list(json.loads(line)) == FACT_KEYS for line in jsonl.stdout.splitlines())
    rows = list(csv.reader(io.StringIO(cli("search", query, "--format", "csv").stdout)))
    assert rows[0] == FACT_KEYS
    assert [row[0] for row in rows[1:]] == expected
    markdown = cli("search", query, "--format", "markdown").stdout.splitlines()
    assert markdown[0] == "| ID | Figure | Period | Statement | Topic | Source |"
    assert [line.split(" | ")[0].removeprefix("| ") for line in markdown[2:]] == expected
    table = cli("search", query).stdout
    assert [m.group(1) for m in re.finditer(r"^\s+([a-z0-9-]+) · ", table, re.MULTILINE)] == expected
    assert "Fact" in table.splitlines()[0]
    for fmt in ("table", "json", "jsonl", "csv", "markdown"):
        assert cli("search", query, "--format", fmt).exit_code == 0


def test_search_options(cli: Cli, store: FactStore) -> None:
    limited = cli("search", "china", "--limit", "2", "--json")
    assert [r["id"] for r in json.loads(limited.stdout)] == ids(store.search("china"))[:2]
    topic = cli("search", "battery", "--topic", "partnerships", "--json")
    assert [r["id"] for r in json.loads(topic.stdout)] == ["sk-group-partnerships"]
    bad_topic = cli("search", "battery", "--topic", "bogus")
    assert bad_topic.exit_code == 2
    assert bad_topic.stderr.startswith("kortrade: unknown topic 'bogus'; topics are: trade, ")


def test_search_limit_zero_is_every_hit(cli: Cli, store: FactStore) -> None:
    every = ids(store.search("china"))
    assert len(every) > 20
    result = cli("search", "china", "--limit", "0", "--format", "jsonl", "--fields", "id")
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == every
    default = cli("search", "china", "--format", "jsonl", "--fields", "id")
    assert [json.loads(line)["id"] for line in default.stdout.splitlines()] == every[:20]


@pytest.mark.parametrize(("fmt", "stdout"), [("table", ""), ("json", "[]\n"), ("jsonl", "")])
def test_nothing_found_exits_1_with_a_hint(cli: Cli, fmt: str, stdout: str) -> None:
    result = cli("search", "xyzzy", "plugh", "--format", fmt)
    assert result.exit_code == 1
    assert result.stdout == stdout
    assert result.stderr == (
        "kortrade: no facts match 'xyzzy plugh'; try fewer words, a prefix (semi*) or OR between words\n"
    )


def test_fields_id_names_adds_the_names(cli: Cli) -> None:
    result = cli("search", "삼성", "--fields", "id,names", "--json")
    assert result.exit_code == 0
    records = json.loads(result.stdout)
    assert {r["id"] for r in records} == SAMSUNG
    for record in records:
        assert list(record) == ["id", "names"]
        assert list(record["names"]) == ["Samsung Group", "China"]
        samsung = record["names"]["Samsung Group"]
        assert samsung == {"en": ["Samsung Group", "Samsung"], "ko": ["삼성그룹", "삼성"], "zh": ["三星集团", "三星"]}
        assert record["names"]["China"]["zh"] == ["中国", "中华人民共和国"]


def test_names_only_when_asked(cli: Cli) -> None:
    plain = json.loads(cli("search", "삼성", "--json").stdout)
    assert all("names" not in record for record in plain)
    csv_names = cli("search", "sk", "--fields", "id,names", "--format", "csv")
    assert csv_names.exit_code == 0
    assert csv_names.stdout.splitlines()[0] == "id,names"
    assert "ko: SK그룹" in csv_names.stdout
    assert "zh: SK集团" in csv_names.stdout


def test_names_of_an_entity_not_listed(cli: Cli, write_facts: WriteFacts) -> None:
    data = str(write_facts(MINIMAL, "minimal.yaml"))
    result = cli("search", "trade", "--fields", "id,names", "--json", "--data", data)
    assert json.loads(result.stdout) == [
        {
            "id": "fact-one",
            "names": {
                "China": {"en": ["China"], "ko": [], "zh": []},
                "Republic of Korea": {"en": ["Republic of Korea"], "ko": [], "zh": []},
            },
        }
    ]


# -- facts --entity ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entity", "expected"),
    [
        ("삼성", "Samsung Group"),
        ("三星", "Samsung Group"),
        ("samsung", "Samsung Group"),
        ("south korea", "Republic of Korea"),
        ("SOUTH KOREA", "Republic of Korea"),
        ("대한민국", "Republic of Korea"),
        ("韩国", "Republic of Korea"),
        ("중국", "China"),
        ("中华人民", "China"),
        ("이재명", "Lee Jae Myung"),
        ("jae-myung", "Lee Jae Myung"),
        ("人民大会堂", "Great Hall of the People"),
    ],
)
def test_facts_entity_matches_any_name(cli: Cli, entity: str, expected: str) -> None:
    result = cli("facts", "--entity", entity, "--json")
    assert result.exit_code == 0
    found = [r["id"] for r in json.loads(result.stdout)]
    wanted = naming(expected)
    assert found == [str(f["id"]) for f in classic_facts() if str(f["id"]) in wanted]


def test_facts_entity_nothing_found(cli: Cli) -> None:
    result = cli("facts", "--entity", "北韩")
    assert result.exit_code == 1
    assert result.stderr == "kortrade: no facts match (entity=北韩)\n"


def test_store_entity_filter_in_file_order(store: FactStore) -> None:
    found = [r["id"] for r in store.facts(FactQuery(entity="三星"))]
    assert found == ["samsung-exports-growth-2024", "samsung-exports-value-2024", "samsung-largest-market"]


# -- kortrade entities -----------------------------------------------------------------------


def test_entities_json(cli: Cli) -> None:
    result = cli("entities", "--json")
    assert result.exit_code == 0
    records = json.loads(result.stdout)
    listed = classic_document()["entities"]
    assert [r["name"] for r in records] == [e["name"] for e in listed]
    for record in records:
        assert list(record) == ["name", "kind", "names", "facts", "country"]
        assert list(record["names"])[:3] == ["en", "ko", "zh"]
        assert record["names"]["en"][0] == record["name"]
        assert record["facts"] == len(naming(record["name"]))
    samsung = next(r for r in records if r["name"] == "Samsung Group")
    assert samsung == {
        "name": "Samsung Group",
        "kind": "company",
        "names": {"en": ["Samsung Group", "Samsung"], "ko": ["삼성그룹", "삼성"], "zh": ["三星集团", "三星"]},
        "facts": 3,
        "country": None,  # added in 2.0; the classic file names none
    }
    beijing = next(r for r in records if r["name"] == "Beijing")
    assert beijing["names"] == {"en": ["Beijing"], "ko": ["베이징"], "zh": ["北京"]}


def test_entities_kind(cli: Cli) -> None:
    result = cli("entities", "--kind", "company", "--format", "jsonl")
    assert result.exit_code == 0
    names = [json.loads(line)["name"] for line in result.stdout.splitlines()]
    assert names == ["Samsung Group", "SK Group", "Hyundai Motor", "LG Group"]
    upper = cli("entities", "--kind", "CITY", "--json")
    assert [r["name"] for r in json.loads(upper.stdout)] == ["Beijing", "Shanghai"]


def test_entities_unknown_kind_exits_2(cli: Cli) -> None:
    result = cli("entities", "--kind", "planet")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"kortrade: unknown kind 'planet'; kinds are: {KINDS}\n"


def test_entities_kind_with_none_listed_exits_1(cli: Cli) -> None:
    result = cli("entities", "--kind", "organisation", "--json")
    assert result.exit_code == 1
    assert result.stdout == "[]\n"
    assert result.stderr == "kortrade: no entities listed of kind 'organisation'\n"


def test_entities_of_a_file_without_the_section(cli: Cli, minimal: Path) -> None:
    result = cli("entities", "--data", str(minimal))
    assert result.exit_code == 1
    assert result.stderr == "kortrade: no entities listed; the file has no entities section\n"


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_entities_formats(cli: Cli, fmt: str) -> None:
    result = cli("entities", "--kind", "company", "--format", fmt)
    assert result.exit_code == 0
    for text in ("Samsung Group", "삼성그룹", "三星集团", "Hyundai Motor", "现代汽车"):
        assert text in result.stdout
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(result.stdout)))
        assert rows[0] == ["name", "kind", "names", "facts", "country"]
        assert rows[1][0] == "Samsung Group"
        assert rows[1][3] == "3"
    if fmt == "markdown":
        assert result.stdout.splitlines()[0] == "| Name | Kind | Names | Facts |"


# -- kortrade info -----------------------------------------------------------------------------


def test_info(cli: Cli, cache_dir: Path, classic: Path) -> None:
    first = cli("info", "--json")
    second = cli("info", "--json")
    assert first.exit_code == second.exit_code == 0
    one, two = json.loads(first.stdout), json.loads(second.stdout)
    assert list(one) == list(two) == INFO_KEYS
    assert (one["index_state"], two["index_state"]) == ("rebuilt", "fresh")
    content = classic.read_bytes()
    assert two["sha256"] == hashlib.sha256(content).hexdigest()
    assert (two["size"], two["facts"], two["sources"], two["entities"]) == (len(content), 25, 1, 10)
    assert Path(two["index"]).parent == cache_dir
    assert two["index_size"] == Path(two["index"]).stat().st_size
    assert Path(two["data"]).resolve() == classic.resolve()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", two["built_at"])
    assert two["built_at"] == one["built_at"]
    assert two["kortrade"] == __version__
    assert (two["observations"], two["series"]) == (0, None)  # the classic file has no series


def test_info_table_and_fields(cli: Cli, cache_dir: Path) -> None:
    result = cli("info", "--fields", "facts,index_state", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "facts,index_state"
    assert result.stdout.splitlines()[1] in ("25,rebuilt", "25,fresh")
    table = cli("info")
    assert table.exit_code == 0
    assert "25" in table.stdout


def test_info_of_an_invalid_file_exits_2(cli: Cli, write_facts: WriteFacts) -> None:
    data = write_facts(SOURCES + "facts: nope\n", "bad.yaml")
    result = cli("info", "--data", str(data))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"{data}:8:8: ")


# -- the entities section of the schema ---------------------------------------------------------


def entities_file(entities: str, facts: str = "") -> str:
    """SOURCES (lines 1-7), then ``entities:`` on line 8, the entities, and the facts.

    The default fact names no entity, so that each rule is seen on its own.
    """
    fact_lines = facts or "  - id: fact-one\n    topic: trade\n    statement: Trade rose.\n    source: src-a\n"
    return SOURCES + "entities:\n" + entities + "facts:\n" + fact_lines


def problems_of(write_facts: WriteFacts, text: str) -> list[str]:
    path = write_facts(text, "facts.yaml")
    with pytest.raises(DataError) as caught:
        load_dataset(path)
    return [str(p).removeprefix(f"{path}:") for p in caught.value.problems]


CHINA = "  - name: China\n    kind: country\n"


@pytest.mark.parametrize(
    ("entities", "problems"),
    [
        (
            CHINA + "    knd: country\n",
            [
                "11:5: unknown key 'knd' in an entity (did you mean 'kind'?); "
                "expected one of: name, kind, names, country"
            ],
        ),
        (
            "  - name: China\n    kind: contry\n",
            [f"10:11: 'kind' must be one of {KINDS}, got 'contry' (did you mean 'country'?)"],
        ),
        ("  - name: China\n    kind: ship\n", [f"10:11: 'kind' must be one of {KINDS}, got 'ship'"]),
        (
            CHINA + "    names:\n      EN: China\n      korean: 중국\n      zh-Hant: 中國\n",
            [
                "12:7: 'EN' is not a language code; expected one like en, ko, zh or zh-Hant",
                "13:7: 'korean' is not a language code; expected one like en, ko, zh or zh-Hant",
            ],
        ),
        (
            CHINA + "    names:\n      zh: [中国, 5]\n      ko: true\n",
            [
                "12:16: 'names.zh[]' must be text, got a number (5); quote the value: names.zh[]: \"5\"",
                "13:11: 'names.ko' must be text, got a boolean (true); quote the value: names.ko: \"true\"",
            ],
        ),
        (
            CHINA + "    names: [중국, 中国]\n",
            ["11:12: expected 'names' (a language code to names, e.g. ko: 삼성) as a mapping (key: value), got a list"],
        ),
        (CHINA + CHINA, ["11:5: duplicate entity name 'China'"]),
        ("  - kind: country\n" + CHINA, ["9:5: an entity is missing the required key 'name'"]),
    ],
    ids=[
        "unknown-key",
        "kind-typo",
        "bad-kind",
        "language-code",
        "names-not-text",
        "names-list",
        "duplicate",
        "no-name",
    ],
)
def test_entity_rules(write_facts: WriteFacts, entities: str, problems: list[str]) -> None:
    assert problems_of(write_facts, entities_file(entities)) == problems


def test_fact_naming_an_unlisted_entity(write_facts: WriteFacts) -> None:
    entities = CHINA + "  - name: Samsung Group\n    kind: company\n"
    facts = (
        "  - id: fact-one\n"
        "    topic: trade\n"
        "    statement: Trade rose.\n"
        "    entities: [China, Samsung Grop, Nobody Known]\n"
        "    source: src-a\n"
    )
    assert problems_of(write_facts, entities_file(entities, facts)) == [
        "17:23: entity 'Samsung Grop' is not in the entities section (did you mean 'Samsung Group'?)",
        "17:37: entity 'Nobody Known' is not in the entities section",
    ]


@pytest.mark.parametrize(
    "entity",
    [
        "  - name: China\n    kind: contry\n",
        "  - name: China\n    knd: country\n",
        "  - name: China\n    names:\n      EN: China\n",
    ],
    ids=["bad-kind", "unknown-key", "bad-language"],
)
def test_a_listed_entity_with_a_mistake_is_still_listed(write_facts: WriteFacts, entity: str) -> None:
    """One mistake, one message: facts naming the entity are not also told it is missing."""
    facts = "  - id: fact-one\n    topic: trade\n    statement: Trade rose.\n    entities: [China]\n    source: src-a\n"
    problems = problems_of(write_facts, entities_file(entity, facts))
    assert len(problems) == 1, problems
    assert "is not in the entities section" not in problems[0]


def test_empty_entities_section_lists_nothing(write_facts: WriteFacts) -> None:
    text = (
        SOURCES
        + "entities: []\nfacts:\n  - id: fact-one\n    topic: trade\n    statement: Trade rose.\n"
        + ("    entities: [China]\n    source: src-a\n")
    )
    assert problems_of(write_facts, text) == ["13:16: entity 'China' is not in the entities section"]


def test_entities_section_must_be_a_list(write_facts: WriteFacts) -> None:
    problems = problems_of(write_facts, SOURCES + "entities: China\nfacts: []\n")
    assert len(problems) == 1
    assert problems[0].startswith("8:11: expected 'entities' as a list, got ")


def test_without_an_entities_section_any_names_go(write_facts: WriteFacts) -> None:
    dataset = load_dataset(write_facts(MINIMAL, "facts.yaml"))
    assert dataset.entities == ()
    assert [f.entities for f in dataset.facts] == [("China", "Republic of Korea"), ("Lee Jae Myung",)]


def test_valid_entities_section_loads(write_facts: WriteFacts) -> None:
    entities = (
        CHINA
        + "    names:\n      ko: [중국, 중화인민공화국]\n      zh: 中国\n      zh-Hant: 中國\n"
        + "  - name: Samsung Group\n"
    )
    facts = "  - id: fact-one\n    topic: trade\n    statement: Trade rose.\n    entities: [China]\n    source: src-a\n"
    dataset = load_dataset(write_facts(entities_file(entities, facts), "facts.yaml"))
    china, samsung = dataset.entities
    assert (china.name, china.kind, samsung.name, samsung.kind) == ("China", "country", "Samsung Group", None)
    assert china.names_by_language() == {
        "en": ["China"],
        "ko": ["중국", "중화인민공화국"],
        "zh": ["中国"],
        "zh-Hant": ["中國"],
    }
    with closing(FactStore.open(write_facts(entities_file(entities, facts), "indexed.yaml"))) as indexed:
        assert ids(indexed.search("中國")) == ["fact-one"]
        assert [r["id"] for r in indexed.facts(FactQuery(entity="중화"))] == ["fact-one"]


def test_shipped_file_validates() -> None:
    dataset = load_dataset(SHIPPED)
    listed = plain_yaml(SHIPPED)["entities"]
    assert [e.name for e in dataset.entities] == [e["name"] for e in listed]
    assert {e.kind for e in dataset.entities} <= set(KINDS.split(", "))


def test_sqlite_has_fts5() -> None:
    # Everything above needs it; say so plainly if this Python's SQLite lacks it.
    with closing(sqlite3.connect(":memory:")) as conn:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
