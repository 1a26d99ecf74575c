"""``kortrade brief --format pandoc``: from kortrade to a Word document through pandoc's citeproc.

Each test converts with the pandoc that pypandoc-binary carries and reads the .docx
itself (its word/document.xml): the in-text citations and every reference-list entry.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import pytest

from kortrade.brief_pandoc import escape
from kortrade.references import reference_url
from support.cli import Cli
from support.facts import WriteFacts
from support.hostile import quoted
from support.paths import REPO
from test_references import SOURCES_YAML, bundled_pandoc

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def to_docx(markdown: str, folder: Path, *extra: str) -> Path:
    """pandoc brief.md --citeproc -o brief.docx, failing on any warning (an unknown citation is one)."""
    (folder / "brief.md").write_text(markdown, encoding="utf-8")
    result = subprocess.run(
        [str(bundled_pandoc()), "--fail-if-warnings", "brief.md", "--citeproc", *extra, "-o", "brief.docx"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return folder / "brief.docx"


def paragraphs(docx: Path) -> list[tuple[str, str]]:
    """Each paragraph of the document as (style, text)."""
    with zipfile.ZipFile(docx) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    found = []
    for paragraph in root.iter(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        text = "".join(t.text or "" for t in paragraph.iter(f"{W}t"))
        found.append(("" if style is None else style.get(f"{W}val", ""), text))
    return found


def bibliography(docx: Path) -> list[str]:
    return [text for style, text in paragraphs(docx) if style == "Bibliography"]


def body(docx: Path) -> list[str]:
    return [text for style, text in paragraphs(docx) if style != "Bibliography"]


@pytest.fixture
def shaped(write_facts: WriteFacts) -> Path:
    return write_facts(SOURCES_YAML, "shaped.yaml")


def cited_entries(docx: Path) -> list[str]:
    """The reference-list entry each in-text citation links to (link-citations), in order.

    pandoc marks each entry with a bookmark just before its paragraph and makes each
    citation a hyperlink to it; reading both ties every citation to the entry it names.
    """
    with zipfile.ZipFile(docx) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    entries: dict[str, str] = {}
    links: list[str] = []
    bookmark = None
    for element in root.iter():
        if element.tag == f"{W}bookmarkStart":
            bookmark = element.get(f"{W}name")
        elif element.tag == f"{W}p":
            style = element.find(f"{W}pPr/{W}pStyle")
            text = "".join(t.text or "" for t in element.iter(f"{W}t"))
            if style is not None and style.get(f"{W}val") == "Bibliography" and bookmark:
                entries[bookmark] = text
            else:
                links += [a.get(f"{W}anchor", "") for a in element.iter(f"{W}hyperlink") if a.get(f"{W}anchor")]
    return [entries[a] for a in links if a in entries]


def expected_citations(cli: Cli, *args: str) -> tuple[list[str], list[str]]:
    """From the briefing's JSON: the URL of the source of every citation it makes, and of each source."""
    brief = json.loads(cli.ok("brief", "--format", "json", *args))
    urls = {c["number"]: reference_url(c) for c in brief["citations"]}
    cited = [urls[n] for s in brief["sections"] for c in s.get("companies", []) if c["sectors"] for n in c["cites"]]
    cited += [
        urls[n]
        for s in brief["sections"]
        for f in [
            *s["facts"],
            *(f for c in s.get("companies", []) for f in c["facts"]),
            *(p for chart in s.get("charts", []) for p in chart["points"]),
        ]
        for n in f.get("cites") or [f["cite"]]
    ]
    return sorted(cited), list(urls.values())


def url_in(entry: str) -> str:
    found = re.search(r"(https?://\S+)\.$", entry)
    assert found is not None, entry
    return found.group(1)


def check_docx(cli: Cli, docx: Path, *args: str) -> None:
    """Every citation the briefing makes links to its source's entry, and every source it cites has one."""
    cited, urls = expected_citations(cli, *args)
    linked = sorted(url_in(entry) for entry in cited_entries(docx))
    assert linked == cited, (Counter(cited) - Counter(linked), Counter(linked) - Counter(cited))
    assert sorted(url_in(entry) for entry in bibliography(docx)) == sorted(urls)
    assert "References" in body(docx)


def test_shipped_briefing_becomes_a_word_document_with_citations(cli: Cli, tmp_path: Path) -> None:
    docx = to_docx(cli.ok("brief", "--format", "pandoc"), tmp_path)
    check_docx(cli, docx)
    # An author-date citation stands in the sentence: "... (Asia Economy 2026)."
    assert any(re.search(r"\(Asia Economy 2026[a-z]?\)\.$", line) for line in body(docx))


def test_every_source_is_cited_and_listed(cli: Cli, shaped: Path, tmp_path: Path) -> None:
    docx = to_docx(cli.ok("brief", "--data", str(shaped), "--format", "pandoc"), tmp_path)
    text = "\n".join(body(docx))
    for citation in ("(Yonhap 2025)", "(商务部 2025)", "(KITA, n.d.)", "(CGTN 2026)"):
        assert text.count(citation) == 1, citation
    # Chicago author-date orders the list by author; a month-only date stays a month.
    assert bibliography(docx) == [
        "CGTN. 2026. “Charting the Future of China-ROK Trade and Innovation.” CGTN, January 9. https://example.org/cgtn.",
        "KITA. n.d. “Lee Meets Xi in Beijing as Trade Talks Resume.” KITA. https://example.org/kita?x=1&y=%20#part.",
        "Yonhap. 2025. “한중 교역 확대: 반도체 공급망.” Korea JoongAng Daily, September. https://example.org/jad.",
        "商务部. 2025. “中韩经贸合作不断深化.” 商务部. https://example.org/mofcom.",
    ]


# A style of our own, to show --csl takes any: "[key]" in the text, "key: title" in the list.
KEY_STYLE = """\
<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Keys</title><id>keys</id><updated>2026-01-01T00:00:00+00:00</updated></info>
  <citation><layout prefix="[" suffix="]" delimiter="; "><text variable="citation-key"/></layout></citation>
  <bibliography><sort><key variable="citation-key"/></sort>
    <layout><text variable="citation-key" suffix=": "/><text variable="title"/></layout>
  </bibliography>
</style>
"""


def test_any_csl_style(cli: Cli, shaped: Path, tmp_path: Path) -> None:
    (tmp_path / "keys.csl").write_text(KEY_STYLE, encoding="utf-8")
    docx = to_docx(cli.ok("brief", "--data", str(shaped), "--format", "pandoc"), tmp_path, "--csl", "keys.csl")
    assert "Three [kita-undated]." in body(docx)
    assert bibliography(docx) == [
        "cgtn-2026-01-09: Charting the Future of China-ROK Trade and Innovation",
        "jad-2025-09: 한중 교역 확대: 반도체 공급망",
        "kita-undated: Lee meets Xi in Beijing as trade talks resume",
        "mofcom-2025: 中韩经贸合作不断深化",
    ]


HOSTILE_STATEMENT = "Mail @smith, pay $5 and $6, run \\input{x} or `rm`, see *this* [link](http://x) <b>b</b> -- ok"
HOSTILE_TITLE = "Title @jones [@cgtn] \\textbf{bold} *em* {brace"
HOSTILE_PUBLISHER = "Pub # % ^ ~ _x_ \x1b[31m"


def test_hostile_text_stays_as_typed_in_word(cli: Cli, write_facts: WriteFacts, tmp_path: Path) -> None:
    data = write_facts(
        "version: 1\nsources:\n"
        f"  - id: src-bad\n    title: {quoted(HOSTILE_TITLE)}\n    publisher: {quoted(HOSTILE_PUBLISHER)}\n"
        "    published: 2026-03-09\n    url: https://example.org/a_b*c\n"
        "facts:\n"
        f"  - id: f-bad\n    topic: trade\n    statement: {quoted(HOSTILE_STATEMENT + '.')}\n"
        "    items: ['1992. # heading?', '- item']\n    source: src-bad\n",
        "hostile.yaml",
    )
    # --fail-if-warnings: "@smith" read as a citation would be a warning (no such reference).
    docx = to_docx(cli.ok("brief", "--data", str(data), "--format", "pandoc"), tmp_path)
    publisher = HOSTILE_PUBLISHER.replace("\x1b", "\\x1b")
    assert f"{HOSTILE_STATEMENT}: 1992. # heading?; - item ({publisher} 2026)." in body(docx)
    (entry,) = bibliography(docx)
    # Chicago title-cases English titles; the text is otherwise as typed.
    title = "Title @Jones [@Cgtn] \\Textbf{bold} *Em* {Brace"
    assert entry == f"{publisher}. 2026. “{title}.” {publisher}, March 9. https://example.org/a_b*c."


def test_escape_backslashes_every_ascii_punctuation_mark() -> None:
    assert escape("a@b $1 *x* \\ [y] <z> 'q' -- 한국") == r"a\@b \$1 \*x\* \\ \[y\] \<z\> \'q\' \-\- 한국"
    assert escape("line\nbreak \x1b") == r"line break \\x1b"


def test_output_file_and_force(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    cli.ok("brief", "--format", "pandoc", "--output", str(target))
    assert target.read_text(encoding="utf-8") == cli.ok("brief", "--format", "pandoc")
    again = cli("brief", "--format", "pandoc", "--output", str(target))
    assert again.exit_code == 2
    assert again.stderr == f"kortrade: {target} already exists; add --force to replace it\n"


def test_topics_narrow_the_pandoc_briefing(cli: Cli, tmp_path: Path) -> None:
    topic = json.loads(cli.ok("topics", "--format", "json"))[0]["topic"]
    text = cli.ok("brief", "--format", "pandoc", "--topic", topic)
    sections = json.loads(cli.ok("brief", "--format", "json", "--topic", topic))["sections"]
    assert re.findall(r"^## (.*)$", text, flags=re.M) == [escape(s["title"]) for s in sections]
    check_docx(cli, to_docx(text, tmp_path), "--topic", topic)


# -- the README's two commands -----------------------------------------------------------------------


def readme_word_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    found = re.search(r"## Citations in Word, Zotero and BibTeX.*?```sh\n(.*?)\n```", readme, flags=re.S)
    assert found is not None, "README has no 'Citations in Word, Zotero and BibTeX' section with a sh block"
    return [line.split("  #")[0].strip() for line in found.group(1).splitlines() if line.strip()]


def test_readme_commands_make_a_docx_with_citations(cli: Cli, tmp_path: Path) -> None:
    commands = readme_word_commands()
    assert len(commands) == 2
    assert commands[0].startswith("kortrade brief --format pandoc")
    assert commands[1].startswith("pandoc brief.md --citeproc")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "pandoc").symlink_to(bundled_pandoc())
    python_bin = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{python_bin}{os.pathsep}{os.environ['PATH']}"}
    env.pop("KORTRADE_DATA", None)
    work = tmp_path / "work"
    work.mkdir()
    for command in commands:
        result = subprocess.run(
            ["bash", "-o", "pipefail", "-c", command], cwd=work, env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
    check_docx(cli, work / "brief.docx")


def test_a_bracketed_description_keeps_its_case_in_word(cli: Cli, write_facts: WriteFacts, tmp_path: Path) -> None:
    data = write_facts(
        "version: 1\nsources:\n"
        '  - id: src-untitled\n    title: "[Report on President Lee\'s arrival in Beijing]"\n'
        "    publisher: AsiaOne\n    published: 2026-01-06\n    url: https://example.org/untitled\n"
        "facts:\n  - id: f-one\n    topic: visit\n    statement: Lee arrived.\n    source: src-untitled\n",
        "described.yaml",
    )
    markdown = cli.ok("brief", "--data", str(data), "--format", "pandoc")
    # pandoc Markdown's span for CSL's nocase: the brackets escaped, so they stay text.
    assert "[\\\\[Report on President Lee\\\\'s arrival in Beijing\\\\]]{.nocase}" in markdown
    docx = to_docx(markdown, tmp_path)
    # Chicago author-date title-cases a title; the description stays as written, brackets and all.
    assert bibliography(docx) == [
        "AsiaOne. 2026. \u201c[Report on President Lee's arrival in Beijing].\u201d AsiaOne, January 6. "
        "https://example.org/untitled."
    ]
