"""``kortrade brief``: a one-page briefing, every figure from a fact and with its source's number."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from support.cli import Cli
from support.facts import SOURCES, WriteFacts
from support.paths import CLASSIC
from support.pty_run import clean_env as _clean_env
from support.pty_run import run_on_pty

TITLE = "China\u2013Republic of Korea economic and trade ties"
URL = "https://news.cgtn.com/news/2026-01-09/Charting-the-Future-of-China-ROK-Trade-and-Innovation-1JIfGfIBvJC/p.html"
SOURCE_TITLE = "Charting the Future of China-ROK Trade and Innovation"
UNKNOWN_TOPIC = (
    "kortrade: unknown topic 'bogus'; topics are: "
    "trade, relations, partnerships, visit, cooperation, industry, agreements\n"
)
SECTIONS = [
    ("figures", "Headline figures"),
    ("companies", "Companies and their sectors"),
    ("agreements", "Agreements"),
    ("cooperate", "Where they cooperate"),
    ("compete", "Where they compete"),
    ("complement", "Where they complement each other"),
    ("visit", "The visit, day by day"),
    ("background", "Background"),
]
# Where each classic fact goes: the first section whose rule takes it, in section order.
CLASSIC_PLACES = {
    "figures": [
        "trade-volume-2024",
        "trade-growth-since-1992",
        "china-top-partner-of-rok",
        "rok-rank-as-china-partner",
        "samsung-exports-growth-2024",
        "samsung-exports-value-2024",
    ],
    "agreements": ["cooperation-documents-signed", "cooperation-documents-areas"],
    "cooperate": ["five-year-plan-2026-2030", "cooperation-growth-areas"],
    "compete": ["competition-mature-industries"],
    "complement": ["complementary-supply-chains", "division-of-labour"],
    # Dated oldest first (ties in file order), then the undated in file order.
    "visit": [
        "leaders-meeting-beijing",
        "business-forum-beijing",
        "lee-visit-concluded",
        "journalist-luncheon-shanghai",
        "lee-state-visit",
        "ai-startup-meeting-shanghai",
        "business-delegation",
    ],
    "background": ["diplomatic-relations-1992"],
}
CLASSIC_COMPANIES = [
    ("Samsung Group", [], ["samsung-largest-market"]),
    ("SK Group", ["new energy materials", "batteries"], ["sk-group-partnerships"]),
    ("Hyundai Motor", ["new energy vehicles"], ["hyundai-motor-nev"]),
    ("LG Group", ["display technology", "electronics"], ["lg-group-cooperation"]),
]

# Characters that must never reach a terminal raw from the data (as tests/test_process.py).
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SGR = re.compile(r"\x1b\[[0-9;]*m")
OSC8 = re.compile(r"\x1b\]8;[^\x1b\x07]*(?:\x1b\\|\x07)")

# Markdown specials, HTML, a control character and a URL in every text field a briefing shows.
HOSTILE_STATEMENT = (
    "Exports of $45 billion and $328 billion *bold* _it_ [link](https://evil.example) "
    "<script>alert(1)</script> | pipe # hash ~~no~~ `code` &amp; \x1b[2J end"
)
HOSTILE_VISIT = "1992. # Not a list <img src=x onerror=alert(1)> \\ back"
HOSTILE_PUBLISHER = "Pub <script>alert(1)</script> \x1b[31m"
HOSTILE_TITLE = "Title *with* _marks_ [x](y) <b>bold</b> | $5 & $6 # hash"
HOSTILE_URL = 'https://example.org/a_b*c?x=<1>&y="2"#frag'
HOSTILE_COMPANY = "Evil *Corp* <i>"
HOSTILE = f"""\
version: 1
sources:
  - id: src-h
    title: "{HOSTILE_TITLE}"
    publisher: "Pub <script>alert(1)</script> \\e[31m"
    published: 2026-03-09
    url: 'https://example.org/a_b*c?x=<1>&y="2"#frag'
entities:
  - name: "{HOSTILE_COMPANY}"
    kind: company
facts:
  - id: hostile-one
    topic: trade
    statement: "Exports of $45 billion and $328 billion *bold* _it_ [link](https://evil.example) \
<script>alert(1)</script> | pipe # hash ~~no~~ `code` &amp; \\e[2J end"
    value: 45000000000
    unit: USD
    qualifier: about
    period: 2024
    entities: ["{HOSTILE_COMPANY}"]
    items: ["a*b", "<c>", "d|e"]
    source: src-h
  - id: hostile-two
    topic: visit
    statement: '1992. # Not a list <img src=x onerror=alert(1)> \\ back'
    period: 2026-01-05
    source: src-h
"""

md = MarkdownIt("commonmark")
html_renderer = RendererHTML()


# No colour or width settings; without --data, the classic file, whose briefing these tests know.
# They test the briefing of a file without measures (brief.py's sections); the briefing
# chosen for a file with measures, as the shipped one has, is brief_choice.py's.
pytestmark = pytest.mark.usefixtures("classic_environment")


def clean_env(**extra: str) -> dict[str, str]:
    """A clean environment for a real process, reading the classic file."""
    return _clean_env(KORTRADE_DATA=str(CLASSIC), **extra)


def brief_json(cli: Cli, *args: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(cli.ok("brief", "--format", "json", *args))
    return document


def shown(cli: Cli, fact_id: str, *args: str) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(cli.ok("show", fact_id, "--json", *args))
    return record


def all_items(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every fact item of a briefing, in document order (company facts included)."""
    items: list[dict[str, Any]] = []
    for section in document["sections"]:
        for company in section.get("companies", []):
            items += company["facts"]
        items += section["facts"]
    return items


# -- reading Markdown as a renderer does ---------------------------------------------------


@dataclass
class Block:
    kind: str  # h1, h2, p, ul or ol (a list item's first paragraph)
    depth: int  # list nesting, 0 outside lists
    text: str  # what a reader sees
    strong: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, text)


def seen(children: list[Token]) -> str:
    rendered = html_renderer.renderInline(children, md.options, {})
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


def blocks(markdown: str) -> list[Block]:
    tokens = md.parse(markdown)
    found: list[Block] = []
    lists: list[str] = []
    for index, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append("ul" if token.type == "bullet_list_open" else "ol")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "inline":
            opener = tokens[index - 1]
            kind = opener.tag if opener.type == "heading_open" else (lists[-1] if lists else "p")
            block = Block(kind, len(lists), seen(token.children or []))
            inside: str | None = None
            href = ""
            parts: list[str] = []
            for child in token.children or []:
                if child.type in ("strong_open", "link_open"):
                    inside, href, parts = child.type, str(child.attrs.get("href", "")), []
                elif child.type == "strong_close":
                    block.strong.append("".join(parts))
                    inside = None
                elif child.type == "link_close":
                    block.links.append((href, "".join(parts)))
                    inside = None
                elif inside is not None:
                    parts.append(child.content)
            found.append(block)
    return found


def html_tokens(markdown: str) -> list[str]:
    kinds = []
    for token in md.parse(markdown):
        if token.type == "html_block":
            kinds.append(token.content)
        kinds += [c.content for c in token.children or [] if c.type == "html_inline"]
    return kinds


# -- the JSON structure --------------------------------------------------------------------


@pytest.fixture(scope="module")
def classic_brief(cli: Cli) -> dict[str, Any]:
    return brief_json(cli, "--data", str(CLASSIC))  # set up before classic_environment: the file named


@pytest.fixture(scope="module")
def classic_markdown(cli: Cli) -> str:
    return cli.ok("brief", "--format", "markdown", "--data", str(CLASSIC))


def test_json_top_level_keys(classic_brief: dict[str, Any]) -> None:
    assert list(classic_brief) == ["title", "facts", "sections", "citations", "more"]
    assert classic_brief["title"] == TITLE
    assert classic_brief["more"] == []  # every classic fact fits: no commands for the rest
    for item in all_items(classic_brief):
        assert list(item) == ["fact", "statement", "figure", "period", "items", "cite", "agreement"]
        assert item["agreement"] is None  # no measure in the classic file: nothing to agree with
    for citation in classic_brief["citations"]:
        assert list(citation) == ["number", "id", "publisher", "title", "published", "url"]


def test_sections_in_order(classic_brief: dict[str, Any]) -> None:
    assert [(s["id"], s["title"]) for s in classic_brief["sections"]] == SECTIONS


def test_each_fact_placed_by_the_first_rule_that_takes_it(classic_brief: dict[str, Any]) -> None:
    places = {s["id"]: [f["fact"] for f in s["facts"]] for s in classic_brief["sections"] if s["id"] != "companies"}
    assert places == CLASSIC_PLACES
    companies = next(s for s in classic_brief["sections"] if s["id"] == "companies")
    assert companies["facts"] == []
    rows = [(c["name"], c["sectors"], [f["fact"] for f in c["facts"]]) for c in companies["companies"]]
    assert rows == CLASSIC_COMPANIES


def test_every_fact_of_the_file_exactly_once(cli: Cli, classic_brief: dict[str, Any]) -> None:
    placed = [item["fact"] for item in all_items(classic_brief)]
    every = [record["id"] for record in json.loads(cli.ok("facts", "--json"))]
    assert len(placed) == len(set(placed)) == len(every) == 25
    assert set(placed) == set(every)
    assert classic_brief["facts"] == 25


def test_each_figure_is_its_facts_display(cli: Cli, classic_brief: dict[str, Any]) -> None:
    items = all_items(classic_brief)
    assert sum(1 for item in items if item["figure"] is not None) == 8
    for item in items:
        fact = shown(cli, item["fact"])
        assert item["figure"] == fact["display"], item["fact"]
        assert item["statement"] == fact["statement"]
        assert item["period"] == fact["period"]
        assert item["items"] == fact["items"]


def test_each_cite_points_at_the_facts_source(cli: Cli, classic_brief: dict[str, Any]) -> None:
    citations = {c["number"]: c for c in classic_brief["citations"]}
    assert [c["number"] for c in classic_brief["citations"]] == list(range(1, len(citations) + 1))
    for item in all_items(classic_brief):
        source = shown(cli, item["fact"])["source"]
        cited = citations[item["cite"]]
        assert (cited["id"], cited["publisher"], cited["title"], cited["published"], cited["url"]) == (
            source["id"],
            source["publisher"],
            source["title"],
            source["published"],
            source["url"],
        )


def test_classic_citation(classic_brief: dict[str, Any]) -> None:
    assert classic_brief["citations"] == [
        {
            "number": 1,
            "id": "cgtn-2026-01-09",
            "publisher": "CGTN",
            "title": SOURCE_TITLE,
            "published": "2026-01-09",
            "url": URL,
        }
    ]


TWO_SOURCES = """\
version: 1
sources:
  - id: src-first-in-file
    title: First in the file
    publisher: Alpha
    published: 2025-02-03
    url: https://example.org/alpha
  - id: src-second-in-file
    title: Second in the file
    publisher: Beta
    published: 2026-01-09
    url: https://example.org/beta
facts:
  - id: background-alpha
    topic: relations
    statement: Relations began in 1992.
    source: src-first-in-file
  - id: figure-beta
    topic: trade
    statement: Trade came to $2 billion.
    value: 2000000000
    unit: USD
    qualifier: under
    period: 2025
    source: src-second-in-file
  - id: figure-alpha
    topic: trade
    statement: Exports rose 5 percent.
    value: 5
    unit: percent
    qualifier: exact
    source: src-first-in-file
"""


def test_sources_numbered_in_the_order_the_briefing_cites_them(cli: Cli, write_facts: WriteFacts) -> None:
    path = str(write_facts(TWO_SOURCES, "two.yaml"))
    document = brief_json(cli, "--data", path)
    # The headline figures come first: figure-beta (Beta) is cited before anything of Alpha.
    assert [c["id"] for c in document["citations"]] == ["src-second-in-file", "src-first-in-file"]
    cites = {item["fact"]: item["cite"] for item in all_items(document)}
    assert cites == {"figure-beta": 1, "figure-alpha": 2, "background-alpha": 2}
    assert [item["figure"] for item in all_items(document)] == ["under $2 billion", "5%", None]
    markdown = cli.ok("brief", "--data", path, "--format", "markdown")
    sources = [b for b in blocks(markdown) if b.kind == "ol"]
    assert [b.text for b in sources] == [
        'Beta, "Second in the file", 9 January 2026, https://example.org/beta',
        'Alpha, "First in the file", 3 February 2025, https://example.org/alpha',
    ]
    assert "2. Alpha" in markdown


# -- the Markdown ---------------------------------------------------------------------------


def test_markdown_headings(classic_markdown: str, classic_brief: dict[str, Any]) -> None:
    found = blocks(classic_markdown)
    assert [b.text for b in found if b.kind == "h1"] == [TITLE]
    assert [b.text for b in found if b.kind == "h2"] == [title for _, title in SECTIONS] + ["Sources"]
    assert found[1].kind == "p"
    assert found[1].text == "A briefing of 25 facts. Numbers in brackets are the sources, listed at the end."
    assert classic_markdown.startswith(f"# {TITLE}\n\n")
    assert classic_markdown.endswith(f"<{URL}>\n")


def test_markdown_has_no_html_emphasis_or_maths(classic_markdown: str) -> None:
    assert html_tokens(classic_markdown) == []
    rendered = md.render(classic_markdown)
    for tag in ("<em>", "<code>", "<h3", "<hr", "<blockquote>", "<table>", "<pre>", "<img"):
        assert tag not in rendered
    # A "$" that is not escaped would start maths on GitHub.
    assert re.search(r"(?<!\\)\$", classic_markdown) is None
    assert UNSAFE.search(classic_markdown) is None


def expected_lines(document: dict[str, Any]) -> list[tuple[int, dict[str, Any], str]]:
    """(depth, fact item or company, section id or "company") for every bullet, in order."""
    lines: list[tuple[int, dict[str, Any], str]] = []
    for section in document["sections"]:
        for company in section.get("companies", []):
            lines.append((1, company, "company"))
            lines += [(2, fact, section["id"]) for fact in company["facts"]]
        lines += [(1, fact, section["id"]) for fact in section["facts"]]
    return lines


def check_fact_lines(markdown: str, document: dict[str, Any]) -> None:
    """Every bullet is a fact line with its figure (literally), statement and citation number."""
    bullets = [b for b in blocks(markdown) if b.kind == "ul"]
    expected = expected_lines(document)
    assert len(bullets) == len(expected)
    numbers = {c["number"] for c in document["citations"]}
    for block, (depth, fact, where) in zip(bullets, expected, strict=True):
        assert block.depth == depth
        if where == "company":  # its name in bold, then its sectors; its facts, cited, beneath it
            sectors = ", ".join(fact["sectors"])
            assert block.strong == [fact["name"]]
            cites = " ".join(f"[{n}]" for n in fact["cites"])
            assert block.text == fact["name"] + (f": {sectors} {cites}" if sectors else "")
            continue
        assert re.search(r" \[\d+\]$", block.text), block.text
        assert block.text.endswith(f" [{fact['cite']}]")
        assert fact["cite"] in numbers
        assert fact["statement"] in block.text
        if fact["figure"] is not None:
            assert fact["figure"] in block.text, f"{fact['fact']}: figure {fact['figure']!r} missing: {block.text}"
        if fact["period"] is not None and (fact["figure"] is not None or where == "visit"):
            assert fact["period"] in block.text  # a figure with its period; the visit by date
        if fact["items"] and depth == 1:  # a company's facts name their items as its sectors
            assert "(" + "; ".join(fact["items"]) + ")" in block.text


def test_every_list_item_is_a_fact_with_its_citation(classic_markdown: str, classic_brief: dict[str, Any]) -> None:
    check_fact_lines(classic_markdown, classic_brief)


def test_figures_render_literally_in_bold(classic_markdown: str) -> None:
    found = blocks(classic_markdown)
    texts = "\n".join(b.text for b in found)
    strong = [s for b in found for s in b.strong]
    for figure in (
        "$328.08 billion",
        "about $45 billion",
        "over 60-fold",
        "about 54%",
        "21 years",
        "2nd",
        "15 documents",
        "over 200 business leaders",
    ):
        assert figure in strong
        assert figure in texts
    line = next(b.text for b in found if b.text.startswith("$328.08 billion"))
    assert line == (
        "$328.08 billion (2024): Trade in both directions between China and the ROK came to "
        "$328.08 billion in 2024. [1]"
    )


def test_visit_lines_are_dated(classic_markdown: str) -> None:
    found = blocks(classic_markdown)
    start = next(i for i, b in enumerate(found) if b.text == "The visit, day by day")
    visit = [b.text for b in found[start + 1 :] if b.kind == "ul"][:4]
    assert visit == [
        "2026-01-05: On 5 January 2026 the leaders of China and the ROK met in Beijing, "
        "at the Great Hall of the People. [1]",
        "2026-01-05: Lee Jae Myung took part in a China-ROK business forum in Beijing on 5 January 2026. [1]",
        "2026-01-07: President Lee Jae Myung's state visit to China ended on 7 January 2026. [1]",
        "2026-01-07: Lee Jae Myung attended a luncheon with journalists in Shanghai on 7 January 2026. [1]",
    ]


def test_sources_section_links_each_citation(classic_markdown: str) -> None:
    found = blocks(classic_markdown)
    assert (found[-2].kind, found[-2].text) == ("h2", "Sources")
    sources = [b for b in found if b.kind == "ol"]
    assert len(sources) == 1
    assert sources[0].text == f'CGTN, "{SOURCE_TITLE}", 9 January 2026, {URL}'
    assert sources[0].links == [(URL, URL)]
    assert f'<li>CGTN, &quot;{SOURCE_TITLE}&quot;, 9 January 2026, <a href="{URL}">{URL}</a></li>' in md.render(
        classic_markdown
    )


def test_dated_fact_with_a_figure_keeps_its_figure(cli: Cli, write_facts: WriteFacts) -> None:
    # A visit fact with both a date and a value: the line must still carry the figure and its hedge.
    path = write_facts(
        SOURCES
        + """\
facts:
  - id: delegation
    topic: visit
    statement: A delegation of business leaders went along on 5 January 2026.
    value: 200
    unit: business leaders
    qualifier: over
    period: 2026-01-05
    source: src-a
""",
        "dated-figure.yaml",
    )
    document = brief_json(cli, "--data", str(path))
    assert all_items(document)[0]["figure"] == "over 200 business leaders"
    check_fact_lines(cli.ok("brief", "--data", str(path), "--format", "markdown"), document)


# -- --topic and empty results -------------------------------------------------------------


def test_topics_repeatable_in_any_case(cli: Cli) -> None:
    document = brief_json(cli, "--topic", "TRADE", "--topic", "Agreements")
    assert document["facts"] == 6
    assert [s["id"] for s in document["sections"]] == ["figures", "agreements"]
    assert [i["fact"] for i in all_items(document)] == [
        "trade-volume-2024",
        "trade-growth-since-1992",
        "china-top-partner-of-rok",
        "rok-rank-as-china-partner",
        "cooperation-documents-signed",
        "cooperation-documents-areas",
    ]
    assert cli.ok("brief", "--topic", "trade", "--topic", "agreements", "--format", "markdown") == cli.ok(
        "brief", "--topic", "Trade", "--topic", "AGREEMENTS", "--format", "markdown"
    )


def test_one_topic_markdown_exactly(cli: Cli) -> None:
    assert cli.ok("brief", "--topic", "agreements", "--format", "markdown") == (
        f"# {TITLE}\n"
        "\n"
        "A briefing of 2 facts. Numbers in brackets are the sources, listed at the end.\n"
        "\n"
        "## Agreements\n"
        "\n"
        "- **15 documents**: After their talks, the two countries' leaders saw 15 cooperation documents "
        "signed. \\[1\\]\n"
        "- The 15 cooperation documents centre on science and technology innovation, the ecological environment, "
        "transport, and economic and trade cooperation. (scientific and technological innovation; ecological "
        "environment; transportation; economic and trade cooperation) \\[1\\]\n"
        "\n"
        "## Sources\n"
        "\n"
        f'1. CGTN, "{SOURCE_TITLE}", 9 January 2026, <{URL}>\n'
    )


def test_topic_narrows_companies_to_their_facts(cli: Cli) -> None:
    document = brief_json(cli, "--topic", "partnerships")
    assert [s["id"] for s in document["sections"]] == ["figures", "companies"]
    assert document["facts"] == 6
    companies = document["sections"][1]["companies"]
    assert [c["name"] for c in companies] == ["Samsung Group", "SK Group", "Hyundai Motor", "LG Group"]


@pytest.mark.parametrize("args", [["--topic", "bogus"], ["--topic", "trade", "--topic", "bogus"]])
def test_unknown_topic_lists_the_topics(cli: Cli, args: list[str]) -> None:
    for fmt in ("text", "json"):
        result = cli("brief", *args, "--format", fmt)
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr == UNKNOWN_TOPIC


def test_empty_briefing_exits_1(cli: Cli, write_facts: WriteFacts, tmp_path: Path) -> None:
    path = str(write_facts(SOURCES + "facts: []\n", "empty.yaml"))
    for fmt in ("text", "markdown", "json"):
        result = cli("brief", "--data", path, "--format", fmt)
        assert result.exit_code == 1
        assert result.stdout == ""
        assert result.stderr == "kortrade: no facts for this briefing\n"
    target = tmp_path / "out.md"
    assert cli("brief", "--data", path, "--output", str(target)).exit_code == 1
    assert not target.exists()


def test_format_is_case_insensitive_and_checked(cli: Cli) -> None:
    assert cli.ok("brief", "--format", "MARKDOWN", "--topic", "trade") == cli.ok(
        "brief", "-f", "markdown", "--topic", "trade"
    )
    bad = cli("brief", "--format", "bogus")
    assert bad.exit_code == 2
    assert bad.stdout == ""
    assert len(bad.stderr.splitlines()) == 1


# -- hostile text ---------------------------------------------------------------------------


@pytest.fixture
def hostile(write_facts: WriteFacts) -> Path:
    return write_facts(HOSTILE, "hostile.yaml")


def test_hostile_text_renders_as_typed(cli: Cli, hostile: Path) -> None:
    markdown = cli.ok("brief", "--data", str(hostile), "--format", "markdown")
    assert UNSAFE.search(markdown) is None
    assert html_tokens(markdown) == []
    found = blocks(markdown)
    assert [b.text for b in found if b.kind == "h2"] == [
        "Headline figures",
        "Companies and their sectors",
        "The visit, day by day",
        "Sources",
    ]
    shown_controls = HOSTILE_STATEMENT.replace("\x1b", "\\x1b")
    assert [(b.depth, b.text) for b in found if b.kind == "ul"] == [
        (1, f"about $45 billion (2024): {shown_controls} (a*b; <c>; d|e) [1]"),
        (1, f"{HOSTILE_COMPANY}: a*b, <c>, d|e [1]"),
        (1, f"2026-01-05: {HOSTILE_VISIT} [1]"),
    ]
    [source] = [b for b in found if b.kind == "ol"]
    publisher = HOSTILE_PUBLISHER.replace("\x1b", "\\x1b")
    assert source.text == f'{publisher}, "{HOSTILE_TITLE}", 9 March 2026, {HOSTILE_URL}'
    [(href, text)] = source.links
    assert text == HOSTILE_URL
    assert urllib.parse.unquote(href) == HOSTILE_URL
    assert [b.strong for b in found if b.kind == "ul"] == [["about $45 billion"], [HOSTILE_COMPANY], ["2026-01-05"]]
    rendered = md.render(markdown)
    for raw in ("<script", "<img", "<b>", "<i>", "<em>", "<code>", "<del>", "<s>", '<a href="https://evil'):
        assert raw not in rendered


def test_hostile_json_keeps_text_exact(cli: Cli, hostile: Path) -> None:
    raw = cli.ok("brief", "--data", str(hostile), "--format", "json")
    assert UNSAFE.search(raw) is None  # control characters escaped the JSON way
    document = json.loads(raw)
    assert all_items(document)[0]["statement"] == HOSTILE_STATEMENT
    assert document["citations"][0]["publisher"] == HOSTILE_PUBLISHER
    assert document["citations"][0]["url"] == HOSTILE_URL
    assert document["sections"][1]["companies"][0]["name"] == HOSTILE_COMPANY


def test_hostile_output_file_is_the_same_markdown(cli: Cli, hostile: Path, tmp_path: Path) -> None:
    target = tmp_path / "hostile.md"
    cli.ok("brief", "--data", str(hostile), "--output", str(target))
    written = target.read_text(encoding="utf-8")
    assert written == cli.ok("brief", "--data", str(hostile), "--format", "markdown")
    assert UNSAFE.search(written) is None


# A source URL may hold what the url rule allows: non-ASCII text and %-escaped controls.
URL_TRICKS = (
    SOURCES.replace("url: https://example.org/a", 'url: "https://example.org/삼성/a%1B%5B2J%1B%5D0;pwned%07"')
    + "facts:\n  - id: one\n    topic: trade\n    statement: One fact.\n    source: src-a\n"
)


@pytest.fixture
def url_tricks(cli: Cli, write_facts: WriteFacts) -> Path:
    path = write_facts(URL_TRICKS, "url-tricks.yaml")
    assert "%1B" in json.loads(cli.ok("sources", "--data", str(path), "--json"))[0]["url"]
    return path


@pytest.mark.parametrize("invisible", ["\\u202e", "\\u2066", "\\u200b", "\\ufeff", "\\x1b"])
def test_a_url_with_invisible_or_control_characters_is_refused(
    cli: Cli, write_facts: WriteFacts, invisible: str
) -> None:
    path = write_facts(URL_TRICKS.replace("/삼성/", f"/{invisible}/"), "url-refused.yaml")
    result = cli("validate", str(path))
    assert result.exit_code == 2
    assert "'url' must start with http:// or https://" in result.stderr


def test_url_controls_not_in_piped_markdown(cli: Cli, url_tricks: Path) -> None:
    markdown = cli.ok("brief", "--data", str(url_tricks), "--format", "markdown")
    assert UNSAFE.search(markdown) is None


def test_url_controls_not_in_output_file(cli: Cli, url_tricks: Path, tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    cli.ok("brief", "--data", str(url_tricks), "--format", "markdown", "--output", str(target))
    written = target.read_text(encoding="utf-8")
    assert UNSAFE.search(written) is None, repr(UNSAFE.findall(written))


# -- where the text goes: pipe, terminal, file ----------------------------------------------


def run_on_tty(*args: str, env: dict[str, str]) -> tuple[int, str, bytes]:
    """Run ``python -m kortrade`` with stdout on an 80x24 pseudo-terminal."""
    code, shown, stderr = run_on_pty([sys.executable, "-m", "kortrade", *args], env=env, timeout=60)
    return code, shown.decode("utf-8"), stderr


def test_piped_text_is_the_markdown(cli: Cli, classic_markdown: str) -> None:
    assert cli.ok("brief") == classic_markdown
    piped = cli.ok("brief", "--format", "text", "--topic", "visit")
    assert piped == cli.ok("brief", "--format", "markdown", "--topic", "visit")


def test_real_pipe_gets_markdown(classic_markdown: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kortrade", "brief"], capture_output=True, env=clean_env(), timeout=60, check=False
    )
    assert done.returncode == 0
    assert done.stderr == b""
    assert done.stdout.decode("utf-8") == classic_markdown
    assert b"\x1b" not in done.stdout


def test_forced_colour_text_is_drawn_by_rich() -> None:
    code, shown_text, stderr = run_on_tty("brief", env=clean_env(FORCE_COLOR="1", TERM="xterm-256color"))
    assert (code, stderr) == (0, b"")
    assert SGR.search(shown_text)
    plain = SGR.sub("", OSC8.sub("", shown_text))
    lines = plain.splitlines()
    assert not any(line.startswith(("# ", "## ")) for line in lines)
    for markup in ("\\[1\\]", "\\$", "**"):
        assert markup not in plain
    assert any(line.strip() == TITLE for line in lines)
    assert any(line.strip() == "Headline figures" for line in lines)
    assert "$328.08 billion" in plain
    assert "[1]" in plain


def test_terminal_without_force_color_is_drawn_by_rich() -> None:
    code, shown_text, _ = run_on_tty("brief", "--topic", "agreements", env=clean_env(TERM="xterm-256color"))
    assert code == 0
    assert SGR.search(shown_text)
    assert "## " not in shown_text


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--format", "markdown"], {"FORCE_COLOR": "1"}),
        (["--no-color"], {"FORCE_COLOR": "1"}),
        ([], {"NO_COLOR": "1"}),
        ([], {"TERM": "dumb"}),
    ],
)
def test_terminal_gets_markdown_when_asked_or_colourless(cli: Cli, args: list[str], env: dict[str, str]) -> None:
    code, shown_text, _ = run_on_tty("brief", "--topic", "agreements", *args, env=clean_env(**env))
    assert code == 0
    assert "\x1b" not in shown_text
    assert shown_text == cli.ok("brief", "--topic", "agreements", "--format", "markdown")


def test_hostile_text_on_a_terminal_is_not_markup(hostile: Path) -> None:
    code, shown_text, _ = run_on_tty("brief", "--data", str(hostile), env=clean_env(FORCE_COLOR="1"))
    assert code == 0
    plain = SGR.sub("", OSC8.sub("", shown_text))
    assert UNSAFE.search(plain) is None, repr(UNSAFE.findall(plain))
    assert "<script>alert(1)</script>" in plain
    assert "\\x1b[2J" in plain


def test_url_controls_never_reach_the_terminal(url_tricks: Path) -> None:
    code, shown_text, _ = run_on_tty("brief", "--data", str(url_tricks), env=clean_env(FORCE_COLOR="1"))
    assert code == 0
    plain = SGR.sub("", OSC8.sub("", shown_text))
    assert UNSAFE.search(plain) is None, repr(UNSAFE.findall(plain))


def test_output_writes_the_markdown_file(cli: Cli, tmp_path: Path, classic_markdown: str) -> None:
    target = tmp_path / "brief.md"
    result = cli("brief", "--output", str(target))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert target.read_text(encoding="utf-8") == classic_markdown
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.md"]


def test_output_relative_path(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("brief", "-o", "brief.md", "--topic", "visit")
    assert (result.exit_code, result.stdout) == (0, "")
    assert (tmp_path / "brief.md").read_text(encoding="utf-8") == cli.ok("brief", "--topic", "visit", "-f", "markdown")


def test_output_is_markdown_even_when_colour_is_forced(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    result = cli("brief", "--topic", "trade", "--output", str(target), env={"FORCE_COLOR": "1"})
    assert (result.exit_code, result.stdout) == (0, "")
    text = target.read_text(encoding="utf-8")
    assert "\x1b" not in text
    assert text == cli.ok("brief", "--topic", "trade", "--format", "markdown")


def test_output_refuses_an_existing_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    target.write_bytes(b"my notes\n")
    before = target.stat()
    result = cli("brief", "--output", str(target))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"kortrade: {target} already exists; add --force to replace it\n"
    assert target.read_bytes() == b"my notes\n"
    assert target.stat().st_mtime_ns == before.st_mtime_ns
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.md"]


def test_output_force_replaces(cli: Cli, tmp_path: Path, classic_markdown: str) -> None:
    target = tmp_path / "brief.md"
    target.write_bytes(b"my notes\n")
    result = cli("brief", "--output", str(target), "--force")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert target.read_text(encoding="utf-8") == classic_markdown
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.md"]


def test_output_json(cli: Cli, tmp_path: Path, classic_brief: dict[str, Any]) -> None:
    target = tmp_path / "brief.json"
    result = cli("brief", "--format", "json", "--output", str(target))
    assert (result.exit_code, result.stdout) == (0, "")
    assert json.loads(target.read_text(encoding="utf-8")) == classic_brief
    assert target.read_text(encoding="utf-8") == cli.ok("brief", "--format", "json")
    target.write_text("{}", encoding="utf-8")
    assert cli("brief", "--format", "json", "--output", str(target)).exit_code == 2
    assert target.read_text(encoding="utf-8") == "{}"
    assert cli("brief", "--format", "json", "--output", str(target), "--force").exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8")) == classic_brief
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.json"]


def test_output_into_a_missing_directory(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "brief.md"
    result = cli("brief", "--output", str(target))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"kortrade: cannot write {target}: No such file or directory\n"
    assert list(tmp_path.iterdir()) == []


def test_output_onto_a_directory(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    for extra in ([], ["--force"]):
        result = cli("brief", "--output", str(folder), *extra)
        assert result.exit_code == 2
        assert result.stdout == ""
        assert len(result.stderr.splitlines()) == 1
        assert result.stderr.startswith("kortrade: ")
        assert list(folder.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder"]


# -- an untitled page: its bracketed description is never quoted ---------------------------------

DESCRIBED = """\
version: 1
sources:
  - id: src-untitled
    title: "[Report on President Lee's arrival in Beijing]"
    publisher: AsiaOne
    published: 2026-01-06
    url: https://example.org/untitled
  - id: src-titled
    title: "[Tag] A real title"
    publisher: Beta
    published: 2026-01-09
    url: https://example.org/titled
facts:
  - id: arrival
    topic: visit
    statement: Lee arrived in Beijing.
    period: 2026-01-04
    source: src-untitled
  - id: later
    topic: visit
    statement: Lee left Beijing.
    period: 2026-01-06
    source: src-titled
"""


def test_sources_list_gives_a_description_without_quotes(cli: Cli, write_facts: WriteFacts) -> None:
    path = str(write_facts(DESCRIBED, "described.yaml"))
    markdown = cli.ok("brief", "--data", path, "--format", "markdown")
    assert [b.text for b in blocks(markdown) if b.kind == "ol"] == [
        "AsiaOne, [Report on President Lee's arrival in Beijing], 6 January 2026, https://example.org/untitled",
        'Beta, "[Tag] A real title", 9 January 2026, https://example.org/titled',
    ]
    page = cli.ok("brief", "--data", path, "--format", "html")
    items = re.findall(r'<li id="source-\d+">(.*?)</li>', page)
    assert items[0].startswith("AsiaOne, [Report on President Lee&#x27;s arrival in Beijing], <time")
    assert items[1].startswith("Beta, &ldquo;[Tag] A real title&rdquo;, <time")
