"""A briefing as one self-contained HTML file: to send, open in any browser and print.

No external fonts, scripts, images or requests of any kind: the CSS is inline and a
chart is inline SVG. Semantic and accessible: one ``h1``, ordered ``h2``, ``lang``,
tables with captions and header cells, a chart with a text alternative, contrast
above WCAG AA, readable at 320 px. A print stylesheet fits the shipped briefing on
two A4 pages. Every piece of data text is HTML-escaped.
"""

from __future__ import annotations

import html
from typing import Any, Final

from kortrade.brief import Brief
from kortrade.cite import long_date
from kortrade.terminal import escape_controls
from kortrade.titles import quoted_title

# #1f2328 on #fff is 15.8:1; the link blue #0a4fb4 is 7.3:1; the muted #4d5561 is 7.5:1.
CSS: Final = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #1f2328;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK KR", sans-serif; }
main { max-width: 52rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 1.75rem 0 .5rem; padding-bottom: .2rem; border-bottom: 1px solid #d0d7de; }
p.lede, .muted { color: #4d5561; }
a { color: #0a4fb4; }
a:focus-visible { outline: 2px solid #0a4fb4; outline-offset: 2px; }
ul { padding-left: 1.25rem; margin: .25rem 0; }
li { margin: .3rem 0; }
table { width: 100%; border-collapse: collapse; margin: .5rem 0; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid #d0d7de;
  overflow-wrap: anywhere; }
th { background: #f6f8fa; overflow-wrap: normal; }
td.figure { white-space: nowrap; font-weight: 600; }
td.when { white-space: nowrap; }
sup a { text-decoration: none; padding: 0 .1rem; }
figure { margin: 1rem 0; }
.charts { display: flex; flex-wrap: wrap; gap: 0 1.5rem; }
.charts figure { flex: 1 1 18rem; min-width: 0; }
figcaption { color: #4d5561; font-size: .9rem; }
svg { max-width: 100%; height: auto; }
ol.sources li { overflow-wrap: anywhere; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
@media (max-width: 30rem) {
  main { padding: 1rem .75rem 2rem; }
  table, thead, tbody, tr, th, td { display: block; }
  thead tr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  tr { border-bottom: 1px solid #d0d7de; padding: .25rem 0; }
  td { border: 0; padding: .1rem 0; }
  td.figure { white-space: normal; }
  caption { display: block; }
}
@page { size: A4; margin: 12mm 14mm; }
@media print {
  body { font-size: 8.5pt; line-height: 1.28; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 15pt; }
  h2 { font-size: 11pt; margin: .8rem 0 .3rem; break-after: avoid; }
  li, tr, figure { break-inside: avoid; }
  .charts figure { margin: .3rem 0; }
  figcaption { font-size: 7.5pt; }
  /* On paper the bars carry their figures; the list stays in the chart's text alternative. */
  figcaption .values { display: none; }
  th, td { padding: .15rem .3rem; }
  a { color: #1f2328; }
  ol.sources { font-size: 7.5pt; line-height: 1.25; columns: 2; column-gap: 6mm; }
  ol.sources li { margin: .15rem 0; }
}
""".strip()


def e(text: object) -> str:
    """Data text as HTML text: escaped, control characters shown as escapes."""
    return html.escape(escape_controls(str(text), one_line=True), quote=True)


def to_html(brief: Brief) -> str:
    """The whole document."""
    body = [f"<h1>{e(brief['title'])}</h1>", f'<p class="lede">{_lede(brief)}</p>']
    for section in brief["sections"]:
        body.append(_section(section))
    if brief.get("more"):
        commands = ", ".join(f"<code>{e(c)}</code>" for c in brief["more"])
        body.append(f'<p class="more">More figures, every source and where they differ: {commands}.</p>')
    body.append(_sources(brief["citations"]))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # No request can leave the page, whatever a future edit adds to it.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        'img-src data:">\n'
        f"<title>{e(brief['title'])}</title>\n<style>\n{CSS}\n</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )


def _lede(brief: Brief) -> str:
    citations = brief["citations"]
    sources = "one source" if len(citations) == 1 else f"{len(citations)} sources"
    facts = "1 fact" if brief["facts"] == 1 else f"{brief['facts']} facts"
    return (
        f"A briefing of {facts} from {sources}. Every statement is the fact's own; "
        "the numbers in brackets link to its source at the end."
    )


def _cite(number: int) -> str:
    return f'<sup><a href="#source-{number}" aria-label="Source {number}">[{number}]</a></sup>'


def _section(section: dict[str, Any]) -> str:
    key = e(section["id"])
    parts = [f'<section aria-labelledby="h-{key}">', f'<h2 id="h-{key}">{e(section["title"])}</h2>']
    if section["id"] == "figures":
        charts = [_chart(chart, n) for n, chart in enumerate(section.get("charts", []), start=1)]
        if charts:
            # One chart per country's statistics, side by side where the page has room.
            parts.append('<div class="charts">\n' + "\n".join(charts) + "\n</div>")
        parts.append(_figures_table(section["facts"]))
    elif section["id"] == "visit":
        parts.append(_visit_table(section["facts"]))
    elif section["id"] == "companies":
        parts.append(_companies(section["companies"]))
    else:
        parts.append(_fact_list(section["facts"]))
    parts.append("</section>")
    return "\n".join(parts)


def _cites(fact: dict[str, Any]) -> str:
    return " ".join(_cite(n) for n in fact.get("cites") or [fact["cite"]])


def _agreement(fact: dict[str, Any]) -> str:
    """How many sources agree with the figure, when the briefing says."""
    return f' <span class="muted">({e(fact["agreement"])})</span>' if fact.get("agreement") else ""


def _figures_table(facts: list[dict[str, Any]]) -> str:
    rows = [
        f'<tr><td class="figure">{e(f["figure"])}</td><td class="when">{e(f["period"] or "")}</td>'
        f"<td>{e(f['statement'])}{_agreement(f)} {_cites(f)}</td></tr>"
        for f in facts
    ]
    return (
        "<table>\n<caption>Figures as the source states them, with its hedges</caption>\n"
        '<thead><tr><th scope="col">Figure</th><th scope="col">Period</th><th scope="col">Fact</th></tr></thead>\n'
        "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"
    )


def _visit_table(facts: list[dict[str, Any]]) -> str:
    rows = [
        f'<tr><td class="when">{e(f["period"] or "Date not given")}</td>'
        f"<td>{_figure(f)}{e(f['statement'])}{_items(f)}{_agreement(f)} {_cites(f)}</td></tr>"
        for f in facts
    ]
    return (
        "<table>\n<caption>The visit, oldest first; undated events last</caption>\n"
        '<thead><tr><th scope="col">Date</th><th scope="col">Event</th></tr></thead>\n'
        "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"
    )


def _companies(companies: list[dict[str, Any]]) -> str:
    items = []
    for company in companies:
        sectors = ", ".join(e(s) for s in company["sectors"])
        facts = "".join(f"<li>{e(f['statement'])} {_cite(f['cite'])}</li>" for f in company["facts"])
        detail = f"<ul>{facts}</ul>" if facts else ""
        cites = " ".join(_cite(n) for n in company["cites"])
        named = f": {sectors} {cites}" if sectors else ""
        items.append(f"<li><strong>{e(company['name'])}</strong>{named}{detail}</li>")
    return "<ul>\n" + "\n".join(items) + "\n</ul>"


def _fact_list(facts: list[dict[str, Any]]) -> str:
    items = []
    for f in facts:
        items.append(f"<li>{_figure(f)}{e(f['statement'])}{_items(f)}{_agreement(f)} {_cites(f)}</li>")
    return "<ul>\n" + "\n".join(items) + "\n</ul>"


def _figure(fact: dict[str, Any]) -> str:
    return f"<strong>{e(fact['figure'])}</strong>: " if fact["figure"] else ""


def _items(fact: dict[str, Any]) -> str:
    if not fact["items"]:
        return ""
    return ' <span class="muted">(' + "; ".join(e(i) for i in fact["items"]) + ")</span>"


def _sources(citations: list[dict[str, Any]]) -> str:
    items = [
        f'<li id="source-{c["number"]}">{e(c["publisher"])}, '
        f"{quoted_title(c['title'], e(c['title']), quotes=('&ldquo;', '&rdquo;'))}, "
        f'<time datetime="{e(c["published"])}">{e(long_date(c))}</time>, '
        f'<a href="{e(c["url"])}">{e(c["url"])}</a></li>'
        for c in citations
    ]
    return (
        '<section aria-labelledby="h-sources">\n<h2 id="h-sources">Sources</h2>\n<ol class="sources">\n'
        + "\n".join(items)
        + "\n</ol>\n</section>"
    )


# -- charts ----------------------------------------------------------------------------

_BAR: Final = 44
_GAP: Final = 20
_HEIGHT: Final = 100
_SVG_HEIGHT: Final = 2 * 13 + 8 + _HEIGHT + 24
# Labels of neighbouring bars alternate between two heights, so wide figures never overlap.
_LABEL_STEP: Final = 13


def _chart(chart: dict[str, Any], number: int) -> str:
    """A bar per period, labelled with the fact's own figure; the text alternative lists them all."""
    points = chart["points"]
    top = max(abs(float(p["value"])) for p in points) or 1.0
    width = len(points) * (_BAR + _GAP) + _GAP
    bars = []
    for index, point in enumerate(points):
        height = max(1.0, abs(float(point["value"])) / top * _HEIGHT)
        x = _GAP + index * (_BAR + _GAP)
        y = 2 * _LABEL_STEP + 8 + _HEIGHT - height
        label = y - 4 - (index % 2) * _LABEL_STEP
        bars.append(
            f'<rect x="{x}" y="{y:.1f}" width="{_BAR}" height="{height:.1f}" fill="#0a4fb4"></rect>'
            f'<text x="{x + _BAR / 2}" y="{label:.1f}" text-anchor="middle" font-size="11">{e(point["figure"])}</text>'
            f'<text x="{x + _BAR / 2}" y="{2 * _LABEL_STEP + 8 + _HEIGHT + 16}" text-anchor="middle" font-size="12">'
            f"{e(point['period'])}</text>"
        )
    described = "; ".join(f"{p['period']}: {p['figure']}" for p in points)
    chart_id = f"chart-{number}"
    cites = " ".join(_cite(n) for n in dict.fromkeys(p["cite"] for p in points))
    return (
        f'<figure aria-labelledby="{chart_id}-caption">\n'
        f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {width} {_SVG_HEIGHT}" '
        f'width="{width}" height="{_SVG_HEIGHT}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{e(chart["title"])} ({e(chart["unit"])})</title>'
        f'<desc id="{chart_id}-desc">{e(described)}</desc>' + "".join(bars) + "</svg>\n"
        f'<figcaption id="{chart_id}-caption">{e(chart["title"])}'
        f'<span class="values">, by period: {e(described)}</span>'
        f" {cites}</figcaption>\n"
        "</figure>"
    )
