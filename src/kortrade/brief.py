"""A one-page briefing made from the facts: figures, companies, agreements, relations, timeline.

Every line of a briefing is a fact's own statement or figure with the number of the
source it cites; nothing is summed, compared or computed. Facts are placed in the
first section whose rule takes them, so none is told twice:

1. the agreements (topic ``agreements``): the documents and the areas they cover;
2. the visit (topic ``visit``): dated facts oldest first, then the undated;
3. cooperation, competition, complementarity (topic ``cooperation``, tags
   ``competition`` and ``complementarity``);
4. headline figures: every other fact with a value;
5. companies (entities of kind ``company``): their sectors (the items their facts
   name) and their remaining facts;
6. background: whatever is left.

:func:`build_brief` makes the structure (``--format json`` prints it as is);
:func:`to_markdown` writes it as CommonMark, which a terminal shows through Rich.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from kortrade.brief_choice import brief_item, chosen_sections
from kortrade.cite import long_date, numbered_sources
from kortrade.markdown import escape
from kortrade.records import Record
from kortrade.store import FactStore
from kortrade.titles import quoted_title

TITLE: Final = "China\u2013Republic of Korea economic and trade ties"

Brief = dict[str, Any]
Rule = Callable[[Record], bool]


def _topic(name: str) -> Rule:
    return lambda fact: fact["topic"] == name


def _tag(name: str) -> Rule:
    return lambda fact: name in _texts(fact, "tags")


def _naming(entity: str) -> Rule:
    return lambda fact: entity in _texts(fact, "entities")


def _texts(fact: Record, field: str) -> list[str]:
    values = fact[field]
    assert isinstance(values, list)
    return [str(v) for v in values]


RELATIONS: Final[tuple[tuple[str, str, Rule], ...]] = (
    ("cooperate", "Where they cooperate", _topic("cooperation")),
    ("compete", "Where they compete", _tag("competition")),
    ("complement", "Where they complement each other", _tag("complementarity")),
)


def build_brief(store: FactStore, topics: list[str] | None = None) -> Brief:
    """The briefing of the file (or of ``topics``), as JSON-ready data, one or two pages long.

    A file whose facts state measures gets a chosen briefing (:mod:`kortrade.brief_choice`):
    the latest yearly figures on both sides' statistics, the visit's outcomes, the
    disagreements, each figure with how many sources agree. A file without measures is
    told section by section, each section cut at :data:`SECTION_LIMIT` facts.
    """
    wanted = {store.known_topic(t) for t in topics} if topics else None
    if store.comparisons():
        chosen_parts, chosen, chosen_numbers = chosen_sections(store, wanted)
        return {
            "title": TITLE,
            "facts": len({str(f["id"]) for f in chosen}),
            "sections": chosen_parts,
            "citations": citations_of(chosen_numbers),
            "more": ["kortrade compare --conflicts", "kortrade compare bilateral-trade", "kortrade facts"],
        }
    facts = [f for f in store.facts() if wanted is None or f["topic"] in wanted]
    placed: set[str] = set()

    more: dict[str, int] = {}

    def take(rule: Rule) -> list[Record]:
        chosen = [f for f in facts if str(f["id"]) not in placed and rule(f)]
        placed.update(str(f["id"]) for f in chosen)
        return chosen

    def cut(key: str, group: list[Record]) -> list[Record]:
        # A section longer than a page's share is cut; the rest is one command away.
        if len(group) > SECTION_LIMIT:
            more[key] = len(group) - SECTION_LIMIT
        return group[:SECTION_LIMIT]

    agreements = cut("agreements", take(_topic("agreements")))
    visit = cut("visit", _by_date(take(_topic("visit"))))
    relations = [(key, title, cut(key, take(rule))) for key, title, rule in RELATIONS]
    headlines = cut("figures", take(lambda f: f["value"] is not None))
    companies = _companies(store, facts, take)[:SECTION_LIMIT]
    for company in companies:
        company["facts"] = company["facts"][:3]
    background = cut("background", take(lambda f: True))

    ordered = [*headlines, *(f for c in companies for f in c["facts"]), *agreements]
    ordered += [*(f for _, _, group in relations for f in group), *visit, *background]
    numbers = numbered_sources(ordered)

    def item(fact: Record) -> dict[str, Any]:
        return brief_item(fact, numbers)

    sections: list[dict[str, Any]] = []

    def section(key: str, title: str, group: list[Record], **extra: Any) -> None:
        if group:
            sections.append({"id": key, "title": title, **extra, "facts": [item(f) for f in group]})

    section("figures", "Headline figures", headlines, charts=_series(headlines, item))
    if companies:
        rows = [
            {
                "name": c["name"],
                "sectors": c["sectors"],
                # The sectors come from all the company's facts, told here or in another section.
                "cites": sorted({numbers[str(f["source"]["id"])][0] for f in c["own"]}),
                "facts": [item(f) for f in c["facts"]],
            }
            for c in companies
        ]
        sections.append({"id": "companies", "title": "Companies and their sectors", "companies": rows, "facts": []})
    section("agreements", "Agreements", agreements)
    for key, title, group in relations:
        section(key, title, group)
    section("visit", "The visit, day by day", visit)
    section("background", "Background", background)
    hints = [f"kortrade facts {key}" for key in more if key in {f["topic"] for f in facts}]
    return {
        "title": TITLE,
        "facts": len(ordered),
        "sections": sections,
        "citations": citations_of(numbers),
        "more": ["kortrade facts", *hints] if more else [],
    }


# A section of a file without measures shows at most this many facts: the briefing
# must stay one or two pages however large the file grows.
SECTION_LIMIT: Final = 8


def citations_of(numbers: dict[str, tuple[int, Record]]) -> list[dict[str, Any]]:
    return [
        {"number": n, **{k: s[k] for k in ("id", "publisher", "title", "published", "url")}}
        for n, s in numbers.values()
    ]


def _series(facts: list[Record], item: Callable[[Record], dict[str, Any]]) -> list[dict[str, Any]]:
    """Figures of one unit and one subject (first tag, else topic) over two or more years: a chart each."""
    groups: dict[tuple[str, str], dict[str, Record]] = {}
    for fact in facts:
        period = str(fact["period"] or "")
        if len(period) != 4 or not isinstance(fact["value"], int | float):
            continue
        tags = _texts(fact, "tags")
        subject = tags[0] if tags else str(fact["topic"])
        groups.setdefault((str(fact["unit"]), subject), {}).setdefault(period, fact)
    charts = []
    for (unit, subject), by_year in groups.items():
        if len(by_year) >= 2:
            points = [{**item(f), "value": f["value"]} for _, f in sorted(by_year.items())]
            charts.append({"title": subject.replace("-", " ").capitalize(), "unit": unit, "points": points})
    return charts


def _companies(store: FactStore, facts: list[Record], take: Callable[[Rule], list[Record]]) -> list[dict[str, Any]]:
    """Each company the facts name, its sectors (the items of all its facts) and its facts not yet told."""
    companies = []
    for entity in store.entities():
        if entity["kind"] != "company":
            continue
        naming = _naming(str(entity["name"]))
        own = [f for f in facts if naming(f)]
        if own:
            sectors = list(dict.fromkeys(i for f in own for i in _texts(f, "items")))
            companies.append({"name": entity["name"], "sectors": sectors, "own": own, "facts": take(naming)})
    return companies


def _by_date(facts: list[Record]) -> list[Record]:
    """Dated facts oldest first (by the start of their period), then the undated in file order."""
    dated = [f for f in facts if f["period"]]
    undated = [f for f in facts if not f["period"]]
    return sorted(dated, key=lambda f: period_days(str(f["period"]))) + undated


def period_days(period: str) -> tuple[str, str]:
    """The order ``kortrade timeline`` uses: local start (with its time of day), then last day."""
    from kortrade.periods import parse_period

    parsed = parse_period(period)
    if parsed is None:
        return period, period
    return parsed.order, parsed.last.isoformat()


# -- CommonMark ------------------------------------------------------------------------


def to_markdown(brief: Brief, *, links: bool = True) -> str:
    """The briefing as CommonMark: headings, lists, numbered sources with their URLs.

    ``links=False`` writes the URLs as plain text: Rich decodes the %-escapes of a
    link into the characters they stand for, which must never reach a terminal.
    """
    lines = [f"# {escape(brief['title'])}", ""]
    facts = "1 fact" if brief["facts"] == 1 else f"{brief['facts']} facts"
    lines.append(f"A briefing of {facts}. Numbers in brackets are the sources, listed at the end.")
    for section in brief["sections"]:
        lines += ["", f"## {escape(section['title'])}", ""]
        for company in section.get("companies", []):
            sectors = ", ".join(escape(s) for s in company["sectors"])
            cites = " ".join(f"\\[{n}\\]" for n in company["cites"])
            head = f"- **{escape(company['name'])}**" + (f": {sectors} {cites}" if sectors else "")
            lines.append(head)
            lines += [f"  - {_fact_line(fact, items=False)}" for fact in company["facts"]]
        lines += [f"- {_fact_line(fact, dated=section['id'] == 'visit')}" for fact in section["facts"]]
    if brief.get("more"):
        commands = ", ".join(f"`{escape(c)}`" for c in brief["more"])
        lines += ["", f"More figures, every source and where they differ: {commands}."]
    lines += ["", "## Sources", ""]
    for citation in brief["citations"]:
        lines.append(
            f"{citation['number']}. {escape(citation['publisher'])}, "
            f"{quoted_title(citation['title'], escape(citation['title']))}, "
            f"{long_date(citation)}, " + (f"<{_link(citation['url'])}>" if links else escape(citation["url"]))
        )
    return "\n".join(lines) + "\n"


def figure_lead(fact: Mapping[str, Any], escape: Callable[[Any], str], *, dated: bool) -> list[str]:
    """What a briefing's line starts with, in bold: the date of a dated section's fact, then
    the figure; elsewhere the figure with its period. Each Markdown flavour brings its escape."""
    if dated and fact["period"]:
        lead = [f"**{escape(fact['period'])}**:"]
        return lead + ([f"**{escape(fact['figure'])}**:"] if fact["figure"] else [])
    if fact["figure"]:
        period = f" ({escape(fact['period'])})" if fact["period"] else ""
        return [f"**{escape(fact['figure'])}**{period}:"]
    return []


def _fact_line(fact: dict[str, Any], *, dated: bool = False, items: bool = True) -> str:
    parts = figure_lead(fact, escape, dated=dated)
    parts.append(escape(fact["statement"]))
    if items and fact["items"]:
        parts.append("(" + "; ".join(escape(i) for i in fact["items"]) + ")")
    if fact.get("agreement"):
        parts.append(f"*({escape(fact['agreement'])})*")
    parts.append(" ".join(f"\\[{n}\\]" for n in fact.get("cites") or [fact["cite"]]))
    return " ".join(parts)


def _link(url: str) -> str:
    """``url`` fit for ``<...>``: anything but printable ASCII is %-escaped (as UTF-8 bytes)."""
    return "".join(c if "!" <= c <= "~" and c not in '<>"' else "".join(f"%{b:02X}" for b in c.encode()) for c in url)
