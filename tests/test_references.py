"""Reference files (CSL-JSON, BibTeX, RIS) read by their real consumers: pandoc, bibtexparser, rispy.

pandoc is the binary the ``pypandoc-binary`` wheel carries (never one on PATH), so
the tests run the same everywhere the test extra is installed.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import rispy  # type: ignore[import-untyped]  # rispy ships no type hints
from bibtexparser.entrypoint import parse_string

from kortrade.choices import BriefOutput, ReferenceFormat, SourcesFormat, Style
from kortrade.cite import cite
from kortrade.commands import BriefFormat
from kortrade.references import (
    clean,
    csl_item,
    known_date,
    references_text,
    tex_escape,
    to_bibtex,
    to_csl_json,
    to_ris,
)
from kortrade.render import Format
from kortrade.store import FactStore
from support.cli import Cli
from support.facts import WriteFacts
from support.hostile import quoted


def bundled_pandoc() -> Path:
    """The pandoc inside pypandoc-binary; a missing one fails the test and says why."""
    import pypandoc  # type: ignore[import-untyped]  # pypandoc ships no type hints

    binary = Path(pypandoc.__file__).parent / "files" / "pandoc"
    if not binary.is_file():
        pytest.fail(f"no pandoc at {binary}: install the test extra (pypandoc-binary)")
    return binary


def pandoc(*args: str, stdin: str = "", cwd: Path | None = None) -> str:
    """Run pandoc; any warning on stderr fails (pandoc prints one for every field or key it cannot use)."""
    result = subprocess.run(
        [str(bundled_pandoc()), "--fail-if-warnings", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def pandoc_references(path: Path, keys: list[str]) -> str:
    """The reference list pandoc renders (Chicago author-date) for ``keys`` from the file at ``path``."""
    document = "Cited [" + "; ".join(f"@{k}" for k in keys) + "].\n"
    return pandoc(
        "-f", "markdown", "-t", "plain", "--wrap=none", "--citeproc", "--bibliography", str(path), stdin=document
    )


def pandoc_items(path: Path, reader: str) -> list[dict[str, Any]]:
    """What pandoc reads from a reference file, as CSL-JSON items."""
    items: list[dict[str, Any]] = json.loads(pandoc("-f", reader, "-t", "csljson", str(path)))
    return items


# Sources in the new shape (kind, language, via, date_note; a month, a year, no date),
# with Korean and Chinese titles and publishers.
SOURCES_YAML = """\
version: 1
sources:
  - id: jad-2025-09
    title: "한중 교역 확대: 반도체 공급망"
    publisher: Korea JoongAng Daily
    published: 2025-09
    url: https://example.org/jad
    kind: newspaper
    language: ko
    via: Yonhap
    date_note: The page gives only the month.
  - id: mofcom-2025
    title: 中韩经贸合作不断深化
    publisher: 商务部
    published: "2025"
    url: https://example.org/mofcom
    kind: government
    language: zh
  - id: kita-undated
    title: Lee meets Xi in Beijing as trade talks resume
    publisher: KITA
    url: https://example.org/kita?x=1&y=%20#part
    kind: trade-body
    language: en
    date_note: The page carries no date.
  - id: cgtn-2026-01-09
    title: Charting the Future of China-ROK Trade and Innovation
    publisher: CGTN
    published: 2026-01-09
    url: https://example.org/cgtn
facts:
  - id: f-jad
    topic: trade
    statement: One.
    source: jad-2025-09
  - id: f-mofcom
    topic: trade
    statement: Two.
    source: mofcom-2025
  - id: f-kita
    topic: trade
    statement: Three.
    source: kita-undated
  - id: f-cgtn
    topic: trade
    statement: Four.
    source: cgtn-2026-01-09
"""
KEYS = ["jad-2025-09", "mofcom-2025", "kita-undated", "cgtn-2026-01-09"]


@pytest.fixture
def shaped(write_facts: WriteFacts) -> Path:
    return write_facts(SOURCES_YAML, "shaped.yaml")


@pytest.fixture
def shaped_sources(shaped: Path) -> list[dict[str, object]]:
    with FactStore.open(shaped) as store:
        return store.sources()


@pytest.fixture
def shipped_sources(shipped: Path) -> list[dict[str, object]]:
    with FactStore.open(shipped) as store:
        return store.sources()


# -- what each format says ---------------------------------------------------------------------


def test_dates_keep_only_what_is_known() -> None:
    assert known_date({"published": "2026-01-05"}).parts == [2026, 1, 5]  # type: ignore[union-attr]
    assert known_date({"published": "2025-09"}).parts == [2025, 9]  # type: ignore[union-attr]
    assert known_date({"published": "2025"}).parts == [2025]  # type: ignore[union-attr]
    assert known_date({"published": None}) is None
    assert known_date({}) is None
    assert known_date({"published": "2025-13"}) is None


def test_formats_write_partial_dates_unpadded(shaped_sources: list[dict[str, object]]) -> None:
    items = {i["id"]: i for i in json.loads(to_csl_json(shaped_sources))}
    assert items["jad-2025-09"]["issued"] == {"date-parts": [[2025, 9]]}
    assert items["mofcom-2025"]["issued"] == {"date-parts": [[2025]]}
    assert "issued" not in items["kita-undated"]
    assert items["cgtn-2026-01-09"]["issued"] == {"date-parts": [[2026, 1, 9]]}
    bib = to_bibtex(shaped_sources)
    assert "date = {2025-09}," in bib
    assert "date = {2025}," in bib
    assert "date = {2026-01-09}," in bib
    assert bib.count("date = ") == 3
    records = {r["id"]: r for r in rispy.loads(to_ris(shaped_sources))}
    assert (records["jad-2025-09"]["year"], records["jad-2025-09"]["date"]) == ("2025", "2025/09")
    assert (records["mofcom-2025"]["year"], records["mofcom-2025"]["date"]) == ("2025", "2025")
    assert "year" not in records["kita-undated"]
    assert "date" not in records["kita-undated"]
    assert records["cgtn-2026-01-09"]["date"] == "2026/01/09"


def test_relayed_report_names_agency_and_outlet(shaped_sources: list[dict[str, object]]) -> None:
    item = next(i for i in json.loads(to_csl_json(shaped_sources)) if i["id"] == "jad-2025-09")
    assert item["author"] == [{"literal": "Yonhap"}]
    assert item["publisher"] == "Korea JoongAng Daily"
    (ris,) = [r for r in rispy.loads(to_ris(shaped_sources)) if r["id"] == "jad-2025-09"]
    assert ris["authors"] == ["Yonhap"]
    assert ris["secondary_title"] == "Korea JoongAng Daily"
    (entry,) = [e for e in parse_string(to_bibtex(shaped_sources)).entries if e.key == "jad-2025-09"]
    assert entry["author"] == "{Yonhap}"
    assert entry["organization"] == "{Korea JoongAng Daily}"


def test_a_source_without_via_is_by_its_outlet(shipped_sources: list[dict[str, object]]) -> None:
    item = csl_item(next(s for s in shipped_sources if s["id"] == "cgtn-2026-01-09"))
    assert item["author"] == [{"literal": "CGTN"}]
    assert item["publisher"] == "CGTN"


def test_language_and_date_note_are_carried(shaped_sources: list[dict[str, object]]) -> None:
    items = {i["id"]: i for i in json.loads(to_csl_json(shaped_sources))}
    assert items["jad-2025-09"]["language"] == "ko"
    assert items["jad-2025-09"]["note"] == "The page gives only the month."
    assert "language" not in items["cgtn-2026-01-09"]
    entries = {e.key: e for e in parse_string(to_bibtex(shaped_sources)).entries}
    assert entries["jad-2025-09"]["langid"] == "korean"
    assert entries["mofcom-2025"]["langid"] == "chinese"
    assert entries["kita-undated"]["note"] == "The page carries no date."
    records = {r["id"]: r for r in rispy.loads(to_ris(shaped_sources))}
    assert records["mofcom-2025"]["language"] == "zh"
    assert records["kita-undated"]["notes"] == ["The page carries no date."]


def test_korean_and_chinese_survive_every_format(shaped_sources: list[dict[str, object]]) -> None:
    for fmt in ReferenceFormat:
        text = references_text(shaped_sources, fmt)
        assert "한중 교역 확대: 반도체 공급망" in text, fmt
        assert "中韩经贸合作不断深化" in text, fmt
        assert "商务部" in text, fmt


def test_each_source_once_in_order_of_first_citation(shaped_sources: list[dict[str, object]]) -> None:
    twice = [shaped_sources[2], shaped_sources[0], shaped_sources[2]]
    assert [i["id"] for i in json.loads(to_csl_json(twice))] == ["kita-undated", "jad-2025-09"]
    assert [e.key for e in parse_string(to_bibtex(twice)).entries] == ["kita-undated", "jad-2025-09"]
    assert [r["id"] for r in rispy.loads(to_ris(twice))] == ["kita-undated", "jad-2025-09"]


def test_bibtex_is_biblatex_online_keyed_by_source_id(shaped_sources: list[dict[str, object]]) -> None:
    library = parse_string(to_bibtex(shaped_sources))
    assert library.failed_blocks == []
    assert [(e.entry_type, e.key) for e in library.entries] == [("online", k) for k in KEYS]
    assert library.entries[2]["url"] == "https://example.org/kita?x=1&y=%20#part"


def test_every_word_with_a_capital_keeps_its_case_in_bibtex(shipped_sources: list[dict[str, object]]) -> None:
    entries = {e.key: e for e in parse_string(to_bibtex(shipped_sources)).entries}
    assert entries["cgtn-2026-01-09"]["title"] == "{Charting} the {Future} of {China}-{ROK} {Trade} and {Innovation}"
    assert tex_escape_title('Lee Jae-myung: "Let\'s Open" now') == r"{Lee} {Jae}-myung: \enquote{{Let's} {Open}} now"


def tex_escape_title(text: str) -> str:
    from kortrade.references import tex_escape

    return tex_escape(text, protect_case=True)


def test_quotes_in_pairs_become_enquote_and_apostrophes_stay() -> None:
    from kortrade.references import tex_escape

    assert tex_escape('Xi urges \'right choices\' and "calm", China\'s 5" ("x")') == (
        r"Xi urges \enquote{right choices} and \enquote{calm}, China's 5'' (\enquote{x})"
    )


def test_shipped_sources_all_import(shipped_sources: list[dict[str, object]]) -> None:
    # Every source of the shipped file, in all three formats, read back whole by its reader.
    keys = [str(s["id"]) for s in shipped_sources]
    library = parse_string(to_bibtex(shipped_sources))
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == keys
    assert [r["id"] for r in rispy.loads(to_ris(shipped_sources))] == keys
    assert [i["id"] for i in json.loads(to_csl_json(shipped_sources))] == keys


# -- pandoc reads them all alike -----------------------------------------------------------------


@pytest.mark.parametrize("which", ["shipped", "shaped"])
def test_pandoc_gives_the_same_references_from_bibtex_and_csl_json(
    which: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    sources: list[dict[str, object]] = request.getfixturevalue(f"{which}_sources")
    keys = [str(s["id"]) for s in sources]
    (tmp_path / "refs.json").write_text(to_csl_json(sources), encoding="utf-8")
    (tmp_path / "refs.bib").write_text(to_bibtex(sources), encoding="utf-8")
    from_json = pandoc_references(tmp_path / "refs.json", keys)
    from_bib = pandoc_references(tmp_path / "refs.bib", keys)
    assert from_json == from_bib
    # One entry a source, each with its title (Chicago puts titles in title case) and URL.
    entries = from_json.strip().split("\n\n")[1:]
    assert len(entries) == len(sources)
    for source in sources:
        assert any(str(source["url"]) in entry for entry in entries), source["id"]


def test_pandoc_renders_the_shaped_sources_as_known(shaped_sources: list[dict[str, object]], tmp_path: Path) -> None:
    (tmp_path / "refs.json").write_text(to_csl_json(shaped_sources), encoding="utf-8")
    text = pandoc_references(tmp_path / "refs.json", KEYS)
    citation, *entries = text.strip().split("\n\n")
    assert citation == "Cited (Yonhap 2025; 商务部 2025; KITA, n.d.; CGTN 2026)."
    assert sorted(entries) == sorted(
        [
            "Yonhap. 2025. “한중 교역 확대: 반도체 공급망.” Korea JoongAng Daily, September. https://example.org/jad.",
            "商务部. 2025. “中韩经贸合作不断深化.” 商务部. https://example.org/mofcom.",
            "KITA. n.d. “Lee Meets Xi in Beijing as Trade Talks Resume.” KITA. https://example.org/kita?x=1&y=%20#part.",
            "CGTN. 2026. “Charting the Future of China-ROK Trade and Innovation.” CGTN, January 9. https://example.org/cgtn.",
        ]
    )


def test_pandoc_reads_the_ris_fields_we_write(shaped_sources: list[dict[str, object]], tmp_path: Path) -> None:
    # pandoc has no RIS reader; rispy is the RIS consumer. Every tag we write is one rispy knows.
    records = rispy.loads(to_ris(shaped_sources))
    assert [r["id"] for r in records] == KEYS
    assert all(r["type_of_reference"] == "ELEC" for r in records)
    assert [r["title"] for r in records] == [s["title"] for s in shaped_sources]
    assert [r["urls"] for r in records] == [[s["url"]] for s in shaped_sources]
    assert not any("unknown_tag" in r for r in records)


# -- bad text stays inert -------------------------------------------------------------------------

# Each would end a field, start an entry or a tag, or run TeX, if written raw.
HOSTILE_TITLES = [
    "Close } and reopen { a field",
    "A lone } brace",
    "A lone { brace",
    "Backslash \\ and \\input{/etc/passwd} and \\def\\x{y}",
    "100% of #1 at $5 & 10_000 ^ ~ tilde",
    "An @online{injected, title = {x}} entry",
    "Line one\nER  - \nTY  - JOUR\nTI  - injected",
    "Control \x1b[31m red \x07 bell \x00 nul \u202e bidi \u2028 separator",
    "Dashes -- and --- between words",
    "Markdown *stars* _under_ [link](http://x) <b>tag</b> `code`",
]
QUOTED_TITLE = "Quotes \"double\" and 'single' and `back`"


def hostile_file(write_facts: WriteFacts, title: str, publisher: str) -> Path:
    text = (
        "version: 1\nsources:\n"
        f"  - id: src-bad\n    title: {quoted(title)}\n    publisher: {quoted(publisher)}\n"
        "    published: 2026-03-09\n    url: https://example.org/a\n"
        "  - id: src-after\n    title: After\n    publisher: Next\n    published: 2026-03-10\n"
        "    url: https://example.org/b\n"
        "facts:\n"
        "  - id: f-bad\n    topic: trade\n    statement: One.\n    source: src-bad\n"
        "  - id: f-after\n    topic: trade\n    statement: Two.\n    source: src-after\n"
    )
    return write_facts(text, "hostile.yaml")


def sources_of(path: Path) -> list[dict[str, object]]:
    with FactStore.open(path) as store:
        return store.sources()


def without_lone_braces(text: str) -> str:
    """What pandoc reads back from BibTeX: a brace without a partner is \\textbrace..., which pandoc drops."""
    from kortrade.references import _paired_braces

    paired = _paired_braces(text)
    return "".join(c for i, c in enumerate(text) if c not in "{}" or i in paired)


@pytest.mark.parametrize("title", [*HOSTILE_TITLES, QUOTED_TITLE], ids=lambda t: t[:24])
def test_hostile_text_cannot_end_a_bibtex_field(title: str, write_facts: WriteFacts) -> None:
    sources = sources_of(hostile_file(write_facts, title, "Pub } @misc{x, % " + title))
    text = to_bibtex(sources)
    library = parse_string(text)
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == ["src-bad", "src-after"]
    first, after = library.entries
    assert sorted(first.fields_dict) == ["author", "date", "organization", "title", "url"]
    assert after["title"] == "{After}"
    # One field a line: nothing in the data broke a line.
    assert text.count("\n") == 2 * 7 + 1


@pytest.mark.parametrize("title", HOSTILE_TITLES, ids=lambda t: t[:24])
def test_pandoc_reads_hostile_bibtex_and_csl_json_as_typed(title: str, write_facts: WriteFacts, tmp_path: Path) -> None:
    publisher = "Pub % # @ \\ {x"
    sources = sources_of(hostile_file(write_facts, title, publisher))
    (tmp_path / "refs.bib").write_text(to_bibtex(sources), encoding="utf-8")
    (tmp_path / "refs.json").write_text(to_csl_json(sources), encoding="utf-8")
    from_bib = pandoc_items(tmp_path / "refs.bib", "biblatex")
    from_json = pandoc_items(tmp_path / "refs.json", "csljson")
    assert [i["id"] for i in from_bib] == ["src-bad", "src-after"]
    # pandoc runs spaces together, as it does in any text it reads.
    expected = " ".join(clean(title).split())
    assert from_json[0]["title"] == expected
    assert from_bib[0]["title"] == without_lone_braces(expected)
    assert from_json[0]["author"] == [{"literal": clean(publisher)}]
    assert from_json[0]["publisher"] == clean(publisher)
    assert from_bib[0]["author"] == [{"literal": without_lone_braces(clean(publisher))}]
    assert from_bib[0]["publisher"] == without_lone_braces(clean(publisher))


@pytest.mark.parametrize("title", [*HOSTILE_TITLES, QUOTED_TITLE], ids=lambda t: t[:24])
def test_hostile_text_cannot_start_an_ris_tag(title: str, write_facts: WriteFacts) -> None:
    sources = sources_of(hostile_file(write_facts, title, "Pub\nAU  - Injected"))
    text = to_ris(sources)
    records = rispy.loads(text)
    assert [r["id"] for r in records] == ["src-bad", "src-after"]
    assert records[0]["title"] == clean(title)
    assert records[0]["authors"] == [clean("Pub\nAU  - Injected")]
    assert records[0]["type_of_reference"] == "ELEC"
    assert all(line[:2].isupper() and line[2:6] == "  - " for line in text.splitlines() if line)


def test_control_characters_are_shown_as_escapes(write_facts: WriteFacts) -> None:
    sources = sources_of(hostile_file(write_facts, "Red \x1b[31m and\ttab", "Pub"))
    for fmt in ReferenceFormat:
        text = references_text(sources, fmt)
        assert "\x1b" not in text
        assert "\t" not in text
    assert json.loads(to_csl_json(sources))[0]["title"] == "Red \\x1b[31m and\\x09tab"


# -- on the command line ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(ReferenceFormat))
def test_sources_and_export_write_every_source(cli: Cli, fmt: ReferenceFormat, shaped: Path, tmp_path: Path) -> None:
    listed = cli.ok("sources", "--data", str(shaped), "--format", fmt.value)
    exported = cli.ok("export", "--data", str(shaped), "--format", fmt.value)
    assert listed == exported
    with FactStore.open(shaped) as store:
        assert listed == references_text(store.sources(), fmt)
    cli.ok("export", "--data", str(shaped), "--format", fmt.value, "--output", str(tmp_path / "refs"))
    assert (tmp_path / "refs").read_text(encoding="utf-8") == listed


def test_sources_references_follow_the_filters(cli: Cli, shaped: Path) -> None:
    text = cli.ok("sources", "--data", str(shaped), "--format", "ris", "--language", "zh")
    assert [r["id"] for r in rispy.loads(text)] == ["mofcom-2025"]
    one = cli.ok("sources", "jad-2025-09", "--data", str(shaped), "--format", "csl-json")
    assert [i["id"] for i in json.loads(one)] == ["jad-2025-09"]


def test_sources_listing_formats_are_unchanged(cli: Cli, shaped: Path) -> None:
    assert json.loads(cli.ok("sources", "--data", str(shaped), "--format", "json"))[0]["id"] == "jad-2025-09"
    assert cli.ok("sources", "--data", str(shaped), "--format", "csv", "--fields", "id").split() == ["id", *KEYS]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "bibtex", "--json"), "kortrade: --json conflicts with --format bibtex\n"),
        (
            ("--format", "ris", "--fields", "id"),
            "kortrade: --fields does not apply to --format ris: a reference file has its own fields\n",
        ),
    ],
)
def test_sources_reference_format_with_listing_options_is_a_usage_error(
    cli: Cli, args: tuple[str, ...], message: str, shaped: Path
) -> None:
    result = cli("sources", "--data", str(shaped), *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == message


def test_unknown_reference_format_is_one_usage_line(cli: Cli) -> None:
    result = cli("sources", "--format", "endnote")
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "'endnote' is not one of" in line
    assert "'csl-json', 'bibtex', 'ris'" in line


@pytest.mark.parametrize("style", ["bibtex", "csl-json", "ris"])
def test_cite_gives_the_cited_sources_once(cli: Cli, style: str, shaped: Path) -> None:
    text = cli.ok("cite", "f-kita", "f-jad", "f-kita", "--data", str(shaped), "--style", style)
    with FactStore.open(shaped) as store:
        sources = [store.get("f-kita")["source"], store.get("f-jad")["source"]]
    assert text == references_text(sources, ReferenceFormat(style))  # type: ignore[arg-type]


def test_cite_bibtex_of_the_shipped_file_is_parsed(cli: Cli) -> None:
    library = parse_string(cli.ok("cite", "trade-volume-2024", "--style", "bibtex"))
    assert [(e.entry_type, e.key, e["date"]) for e in library.entries] == [("online", "cgtn-2026-01-09", "2026-01-09")]


def test_option_enumerations_cover_the_pipeline() -> None:
    assert {f.value for f in SourcesFormat} == {f.value for f in Format} | {f.value for f in ReferenceFormat}
    assert {f.value for f in BriefOutput} == {f.value for f in BriefFormat} | {"pandoc"}
    assert {f.value for f in ReferenceFormat} <= {s.value for s in Style}


# -- the text styles with the new dates ---------------------------------------------------------------


def fact(source: dict[str, object]) -> dict[str, object]:
    return {"id": "f", "statement": "Trade grew.", "source": source}


BASE: dict[str, object] = {"id": "s", "title": "T", "publisher": "Korea JoongAng Daily", "url": "https://x.org"}


@pytest.mark.parametrize(
    ("published", "plain", "apa", "chicago", "markdown"),
    [
        ("2025-09", "2025-09", "(2025, September)", "September 2025", "September 2025"),
        ("2025", "2025", "(2025)", "2025", "2025"),
        (None, "undated", "(n.d.)", "n.d.", "undated"),
    ],
)
def test_text_styles_write_partial_dates_as_known(
    published: str | None, plain: str, apa: str, chicago: str, markdown: str
) -> None:
    source = {**BASE, "published": published, "via": "Yonhap"}
    facts = [fact(source)]
    assert cite(facts, Style.plain) == f'Trade grew. (Korea JoongAng Daily (Yonhap), "T", {plain}, https://x.org)\n'
    year = published[:4] if published else "n.d."
    assert cite(facts, Style.apa) == (
        f"Trade grew (Yonhap, {year}).\n\nYonhap. {apa}. T. Korea JoongAng Daily. https://x.org\n"
    )
    assert cite(facts, Style.chicago).endswith(f'1. Korea JoongAng Daily (Yonhap), "T," {chicago}, https://x.org.\n')
    assert f'"T", {markdown}, <https://x.org>' in cite(facts, Style.markdown)


def test_urls_are_spelled_as_uris_in_every_format() -> None:
    from kortrade.references import reference_url

    source = {**BASE, "published": "2026", "url": "https://x.org/한국?a={b}&c=%20#f"}
    spelled = "https://x.org/%ED%95%9C%EA%B5%AD?a=%7Bb%7D&c=%20#f"
    assert reference_url(source) == spelled
    assert json.loads(to_csl_json([source]))[0]["URL"] == spelled
    assert parse_string(to_bibtex([source])).entries[0]["url"] == spelled
    assert rispy.loads(to_ris([source]))[0]["urls"] == [spelled]


# -- an untitled page: a description in square brackets ------------------------------------------

DESCRIPTION = "[Report on President Lee's arrival in Beijing]"
TAGGED_TITLE = "[Korea-China ties at 30] Trade grew"
DESCRIBED_YAML = f"""\
version: 1
sources:
  - id: untitled-2026
    title: "{DESCRIPTION}"
    publisher: AsiaOne
    published: 2026-01-06
    url: https://example.org/untitled
    via: Reuters
  - id: tagged-2022
    title: "{TAGGED_TITLE}"
    publisher: China Review News
    published: "2022"
    url: https://example.org/tagged
facts:
  - id: f-untitled
    topic: visit
    statement: One.
    source: untitled-2026
  - id: f-tagged
    topic: trade
    statement: Two.
    source: tagged-2022
"""


@pytest.fixture
def described_sources(write_facts: WriteFacts) -> list[dict[str, object]]:
    return sources_of(write_facts(DESCRIBED_YAML, "described.yaml"))


def test_every_format_keeps_a_bracketed_description_literal(described_sources: list[dict[str, object]]) -> None:
    entries = {e.key: e for e in parse_string(to_bibtex(described_sources)).entries}
    # One brace group, brackets inside it as plain characters: no style recases it.
    assert entries["untitled-2026"]["title"] == "{" + DESCRIPTION + "}"
    # A real title that opens with a bracketed tag is a title: each capitalised word protected.
    assert entries["tagged-2022"]["title"] == "{[Korea}-{China} ties at 30] {Trade} grew"
    records = {r["id"]: r for r in rispy.loads(to_ris(described_sources))}
    assert records["untitled-2026"]["title"] == DESCRIPTION
    assert records["tagged-2022"]["title"] == TAGGED_TITLE
    items = {i["id"]: i for i in json.loads(to_csl_json(described_sources))}
    assert items["untitled-2026"]["title"] == f'<span class="nocase">{DESCRIPTION}</span>'
    assert items["tagged-2022"]["title"] == TAGGED_TITLE


def test_pandoc_reads_the_description_back_from_bibtex_and_csl_json(
    described_sources: list[dict[str, object]], tmp_path: Path
) -> None:
    (tmp_path / "refs.bib").write_text(to_bibtex(described_sources), encoding="utf-8")
    (tmp_path / "refs.json").write_text(to_csl_json(described_sources), encoding="utf-8")
    for path, reader in ((tmp_path / "refs.bib", "biblatex"), (tmp_path / "refs.json", "csljson")):
        titles = {i["id"]: i["title"] for i in pandoc_items(path, reader)}
        # pandoc writes curly apostrophes; the brackets and every letter's case are as typed.
        assert titles["untitled-2026"] == DESCRIPTION.replace("'", "\u2019"), reader
    keys = ["untitled-2026", "tagged-2022"]
    from_bib = pandoc_references(tmp_path / "refs.bib", keys)
    assert from_bib == pandoc_references(tmp_path / "refs.json", keys)
    # Chicago author-date title-cases titles, never the description.
    assert "Reuters. 2026. \u201c[Report on President Lee\u2019s arrival in Beijing].\u201d AsiaOne" in from_bib
    assert "\u201c[Korea-China Ties at 30] Trade Grew.\u201d" in from_bib


def test_shipped_descriptions_stay_literal_in_every_format(shipped_sources: list[dict[str, object]]) -> None:
    from kortrade.references import tex_escape
    from kortrade.titles import is_description

    described = [s for s in shipped_sources if is_description(s["title"])]
    assert described, "the shipped file cites untitled pages by a description"
    keys = {str(s["id"]) for s in described}
    entries = [e for e in parse_string(to_bibtex(shipped_sources)).entries if e.key in keys]
    # Whole in one brace group, TeX's special characters (19.9%) escaped as in any field.
    assert sorted(e["title"] for e in entries) == sorted("{" + tex_escape(clean(s["title"])) + "}" for s in described)
    records = [r for r in rispy.loads(to_ris(shipped_sources)) if r["id"] in keys]
    assert sorted(r["title"] for r in records) == sorted(clean(s["title"]) for s in described)


def test_a_quotation_run_into_hangul_is_one_quotation_in_both_files(tmp_path: Path) -> None:
    # Korean runs a particle straight on after a quotation ('투자'로), and pandoc reads a
    # straight quote after "…" as an apostrophe: both files must still give one quotation.
    title = "흑자에서 적자로…'서비스·투자'로 새판 짠다"
    assert tex_escape(title) == "흑자에서 적자로…\\enquote{서비스·투자}로 새판 짠다"
    source = {"id": "k", "title": title, "publisher": "Yonhap", "published": "2025-12-28", "url": "https://e.org/k"}
    (tmp_path / "refs.json").write_text(to_csl_json([source]), encoding="utf-8")
    (tmp_path / "refs.bib").write_text(to_bibtex([source]), encoding="utf-8")
    from_json = pandoc_references(tmp_path / "refs.json", ["k"])
    assert from_json == pandoc_references(tmp_path / "refs.bib", ["k"])
    assert "\u2018서비스·투자\u2019로" in from_json  # in single quotes, inside the title's double ones
