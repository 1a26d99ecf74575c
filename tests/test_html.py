"""The HTML briefing in a real browser: offline, no requests, no console errors, accessible, two A4 pages."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.browser import Browser, pdf_pages, png_size
from support.cli import Cli
from support.facts import SOURCES, WriteFacts

SERIES = (
    SOURCES
    + """\
facts:
  - id: trade-2022
    topic: trade
    statement: Two-way trade came to $362 billion in 2022.
    value: 362000000000
    unit: USD
    qualifier: about
    period: 2022
    tags: [trade-volume]
    source: src-a
  - id: trade-2023
    topic: trade
    statement: Two-way trade came to $310 billion in 2023.
    value: 310000000000
    unit: USD
    qualifier: about
    period: 2023
    tags: [trade-volume]
    source: src-a
  - id: trade-2024
    topic: trade
    statement: Two-way trade came to $328.08 billion in 2024.
    value: 328080000000
    unit: USD
    qualifier: exact
    period: 2024
    tags: [trade-volume]
    source: src-a
"""
)

HOSTILE = (
    SOURCES
    + """\
facts:
  - id: hostile
    topic: trade
    statement: "<script>alert(1)</script> <img src=https://example.org/x.png onerror=alert(2)> & \\"quoted\\" *text*"
    value: 1
    unit: "<b>units</b>"
    qualifier: about
    items: ["<style>body{display:none}</style>", "@import url(https://example.org/a.css)"]
    note: "</main><iframe src=https://example.org></iframe>"
    source: src-a
"""
)


def write_html(cli: Cli, data: Path, target: Path) -> Path:
    result = cli("brief", "--format", "html", "--output", str(target), "--data", str(data))
    assert result.exit_code == 0, result.stderr
    return target


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with Browser() as opened:
        yield opened


@pytest.fixture
def classic_html(cli: Cli, classic: Path, tmp_path: Path) -> Path:
    """The briefing of the classic file: brief.py's layout, one source (CGTN), no series to chart.

    The briefing chosen for a file with measures (brief_choice.py, the shipped file's) is not this layout.
    """
    return write_html(cli, classic, tmp_path / "brief.html")


def test_opens_offline_with_no_request_and_no_console_error(browser: Browser, classic_html: Path) -> None:
    load = browser.load(classic_html, 1280)
    assert load.requests == [classic_html.resolve().as_uri()]  # the file itself, nothing else
    assert load.errors == []
    assert browser.evaluate("document.title") == "China\u2013Republic of Korea economic and trade ties"


@pytest.mark.parametrize("width", [1280, 375, 320])
def test_fits_the_screen_without_sideways_scrolling(browser: Browser, classic_html: Path, width: int) -> None:
    load = browser.load(classic_html, width)
    assert load.errors == []
    assert browser.evaluate("document.documentElement.scrollWidth") <= width
    # Body text stays readable on a phone.
    assert browser.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16


@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots(browser: Browser, classic_html: Path, width: int, tmp_path: Path) -> None:
    browser.load(classic_html, width)
    png = browser.screenshot(tmp_path / f"brief-{width}.png")
    shot_width, shot_height = png_size(png)
    assert shot_width == width
    assert shot_height > 900  # the whole page, not just the first screen
    assert len(png) > 20_000  # something was drawn


def test_the_classic_briefing_prints_on_at_most_two_a4_pages(browser: Browser, classic_html: Path) -> None:
    browser.load(classic_html, 1280)
    pdf = browser.pdf()
    assert pdf.startswith(b"%PDF")
    assert 1 <= pdf_pages(pdf) <= 2


HEADINGS_JS = "[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])"
CONTRAST_JS = """
(() => {
  const lum = c => { const [r, g, b] = c.match(/\\d+/g).slice(0, 3).map(v => {
      v = v / 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const bg = el => { for (; el; el = el.parentElement) { const c = getComputedStyle(el).backgroundColor;
      if (!c.startsWith('rgba(0, 0, 0, 0)')) return c; } return 'rgb(255, 255, 255)'; };
  const worst = [];
  for (const el of document.querySelectorAll('body *')) {
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const a = lum(getComputedStyle(el).color), b = lum(bg(el));
    worst.push((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05));
  }
  return Math.min(...worst);
})()
"""


def test_semantic_and_accessible_structure(browser: Browser, classic_html: Path) -> None:
    browser.load(classic_html, 1280)
    assert browser.evaluate("document.documentElement.lang") == "en"
    levels = browser.evaluate(HEADINGS_JS)
    assert levels.count(1) == 1
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    assert browser.evaluate("document.querySelectorAll('main').length") == 1
    tables = browser.evaluate(
        "[...document.querySelectorAll('table')].map(t => [!!t.caption && t.caption.textContent.trim().length > 0,"
        " t.querySelectorAll('thead th[scope=col]').length])"
    )
    assert tables
    assert all(has_caption and headers >= 2 for has_caption, headers in tables)
    assert browser.evaluate(CONTRAST_JS) >= 4.5  # WCAG AA for body text


def test_citations_are_footnote_links_to_the_sources(browser: Browser, classic_html: Path) -> None:
    browser.load(classic_html, 1280)
    links = browser.evaluate("[...document.querySelectorAll('sup a')].map(a => a.getAttribute('href'))")
    assert len(links) >= 20
    assert set(links) == {"#source-1"}
    assert browser.evaluate("document.getElementById('source-1').tagName") == "LI"
    assert "CGTN" in browser.evaluate("document.getElementById('source-1').textContent")
    assert browser.evaluate("document.querySelectorAll('#source-1 a[href^=\"https://\"]').length") == 1


def test_no_chart_without_a_series(browser: Browser, classic_html: Path) -> None:
    browser.load(classic_html, 1280)
    assert browser.evaluate("document.querySelectorAll('svg, img, canvas').length") == 0


def test_a_yearly_series_is_drawn_as_a_bar_chart_with_a_text_alternative(
    cli: Cli, browser: Browser, write_facts: WriteFacts, tmp_path: Path
) -> None:
    page = write_html(cli, write_facts(SERIES, "series.yaml"), tmp_path / "series.html")
    load = browser.load(page, 1280)
    assert load.errors == []
    assert load.requests == [page.resolve().as_uri()]
    assert browser.evaluate("document.querySelectorAll('svg[role=img]').length") == 1
    assert browser.evaluate("document.querySelectorAll('svg rect').length") == 3
    title = browser.evaluate("document.querySelector('svg title').textContent")
    assert title == "Trade volume (USD)"
    description = browser.evaluate("document.querySelector('svg desc').textContent")
    assert description == "2022: about $362 billion; 2023: about $310 billion; 2024: $328.08 billion"
    labelled = browser.evaluate("document.querySelector('svg').getAttribute('aria-labelledby')")
    assert labelled.split() == ["chart-1-title", "chart-1-desc"]
    heights = browser.evaluate("[...document.querySelectorAll('svg rect')].map(r => +r.getAttribute('height'))")
    assert heights[0] == max(heights)  # 2022 is the largest
    assert heights[1] < heights[2] < heights[0]


def test_data_text_is_escaped_everywhere(cli: Cli, browser: Browser, write_facts: WriteFacts, tmp_path: Path) -> None:
    page = write_html(cli, write_facts(HOSTILE, "hostile.yaml"), tmp_path / "hostile.html")
    load = browser.load(page, 1280)
    assert load.requests == [page.resolve().as_uri()]  # the <img> and <iframe> in the data loaded nothing
    assert load.errors == []
    counts = browser.evaluate("['script', 'img', 'iframe', 'b', 'style'].map(t => document.querySelectorAll(t).length)")
    assert counts == [0, 0, 0, 0, 1]  # the page's own stylesheet only
    text = browser.evaluate("document.body.textContent")
    assert "<script>alert(1)</script>" in text
    assert "<img src=https://example.org/x.png onerror=alert(2)>" in text
    assert "</main><iframe src=https://example.org></iframe>" not in text  # notes are not part of a briefing
    assert browser.evaluate("getComputedStyle(document.body).display") == "block"


def test_the_file_is_self_contained(classic_html: Path) -> None:
    text = classic_html.read_text(encoding="utf-8")
    assert "<script" not in text
    assert "<link" not in text
    assert "@import" not in text
    assert "url(" not in text
    # The only addresses in the page are the sources' own links.
    addresses = set(re.findall(r'(?:src|href)="([^"#][^"]*)"', text))
    assert addresses == {
        "https://news.cgtn.com/news/2026-01-09/Charting-the-Future-of-China-ROK-Trade-and-Innovation-1JIfGfIBvJC/p.html"
    }


# -- the shipped file's briefing: chosen by brief_choice.py ---------------------------------


@pytest.fixture(scope="module")
def shipped_html(cli: Cli, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from support.paths import SHIPPED

    return write_html(cli, SHIPPED, tmp_path_factory.mktemp("shipped") / "brief.html")


def test_the_shipped_briefing_prints_on_at_most_two_a4_pages_with_a_trade_chart(
    browser: Browser, shipped_html: Path
) -> None:
    load = browser.load(shipped_html, 1280)
    assert load.errors == []
    assert load.requests == [shipped_html.resolve().as_uri()]
    assert 1 <= pdf_pages(browser.pdf()) <= 2
    # One chart per country's statistics: no row of bars joins the two.
    titles = browser.evaluate("[...document.querySelectorAll('svg[role=img] title')].map(t => t.textContent)")
    assert [t.split(", on ")[1] for t in titles] == ["Korea's statistics (USD)", "China's statistics (USD)"]
    assert all(t.startswith("Trade between China and the ROK") for t in titles)
    # Every bar is a figure, and each chart's text alternative names each.
    bars = browser.evaluate(
        "[...document.querySelectorAll('svg[role=img]')].map(s => s.querySelectorAll('rect').length)"
    )
    described = browser.evaluate("[...document.querySelectorAll('svg desc')].map(d => d.textContent)")
    assert all(n >= 2 for n in bars)
    assert [d.count("billion") for d in described] == bars


def test_the_shipped_briefing_says_who_agrees_and_where_they_differ(browser: Browser, shipped_html: Path) -> None:
    browser.load(shipped_html, 1280)
    headings = browser.evaluate("[...document.querySelectorAll('h2')].map(h => h.textContent)")
    assert headings[:3] == [
        "Headline figures: the latest full year on each side's statistics",
        "The state visit, January 2026",
        "Where sources disagree: check before quoting",
    ]
    text = browser.evaluate("document.body.textContent")
    assert "Korea's statistics;" in text
    assert "China's statistics;" in text
    assert "kortrade compare --conflicts" in text
    # Every citation links to a listed source, numbered from 1 without a gap.
    links = browser.evaluate("[...document.querySelectorAll('sup a')].map(a => a.getAttribute('href'))")
    numbers = browser.evaluate("[...document.querySelectorAll('ol.sources > li')].map(li => li.id)")
    assert numbers == [f"source-{n}" for n in range(1, len(numbers) + 1)]
    assert set(links) == {f"#{n}" for n in numbers}
    assert browser.evaluate(CONTRAST_JS) >= 4.5


@pytest.mark.parametrize("width", [320, 375])
def test_the_shipped_briefing_fits_a_phone(browser: Browser, shipped_html: Path, width: int) -> None:
    browser.load(shipped_html, width)
    assert browser.evaluate("document.documentElement.scrollWidth") <= width
