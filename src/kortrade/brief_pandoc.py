"""The briefing as pandoc Markdown with ``[@key]`` citations and its references in the YAML header.

One file, nothing beside it: ``pandoc brief.md --citeproc -o brief.docx`` makes a Word
document whose citations and reference list come from pandoc's citeproc, in its
default style (Chicago author-date), or any other with ``--csl apa.csl``.

What the briefing says is :func:`kortrade.brief.build_brief`'s, unchanged: this module
only writes it. Each fact's source number becomes that source's citation key (its
id), and the header's ``references`` are the cited sources as CSL items
(:func:`kortrade.references.csl_item`).

Pandoc reads the whole file, header included, as Markdown, where ``@``, ``$``, ``\\``,
``*``, ``[`` and ``<`` all mean something (a citation, maths, raw TeX, emphasis, a link,
HTML). Every ASCII punctuation character of data text is therefore backslash-escaped,
which pandoc Markdown allows for all of them and reads back as the character itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

from kortrade.references import SourceRecord, citation_key, clean, csl_item
from kortrade.titles import is_description

_PUNCTUATION: Final = re.compile(r"([!-/:-@\[-`{-~])")
# Keys pandoc takes bare after "@"; any other is written @{key}.
_BARE_KEY: Final = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_]|[:.#$%&\-+?<>~/](?=[A-Za-z0-9_]))*")


def escape(value: object) -> str:
    """Data text as pandoc Markdown that reads back as exactly that text, on one line."""
    return _PUNCTUATION.sub(r"\\\1", clean(value))


def cite_key(key: str) -> str:
    return f"@{key}" if _BARE_KEY.fullmatch(key) else f"@{{{key}}}"


def _escaped_item(item: Mapping[str, object]) -> dict[str, object]:
    """A CSL item whose text pandoc, reading it as Markdown, takes literally; the id stays a key."""

    def walk(value: object) -> object:
        if isinstance(value, str):
            return escape(value)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    return {k: v if k == "id" else walk(v) for k, v in item.items()}


def _reference(source: SourceRecord) -> dict[str, object]:
    """The source's CSL item as pandoc Markdown; a bracketed description (an untitled page) as a
    ``nocase`` span, pandoc's Markdown for CSL's mark that no style may recase it."""
    item = _escaped_item(csl_item(source))
    if is_description(clean(source["title"])):
        item["title"] = f"[{escape(source['title'])}]{{.nocase}}"
    return item


def to_pandoc(brief: Mapping[str, Any], sources: Iterable[SourceRecord]) -> str:
    """``brief`` (as build_brief makes it) as pandoc Markdown citing ``sources`` (full source records).

    ``sources`` may hold more than the briefing cites; only the cited are listed, in
    the briefing's order. A cited source missing from ``sources`` falls back to the
    briefing's own copy of it.
    """
    by_id = {str(s["id"]): s for s in sources}
    cited = [by_id.get(str(c["id"]), c) for c in brief["citations"]]
    keys = {int(c["number"]): citation_key(s) for c, s in zip(brief["citations"], cited, strict=True)}

    def cites(numbers: Iterable[int]) -> str:
        return "[" + "; ".join(cite_key(keys[n]) for n in numbers) + "]"

    header = [
        "---",
        f"title: {_yaml(escape(brief['title']))}",
        # citeproc puts the reference list at the end under this heading.
        f"reference-section-title: {_yaml('References')}",
        # In Word, each citation links to its entry in the list.
        "link-citations: true",
        "references:",
        *(f"- {_yaml(_reference(s))}" for s in cited),
        "---",
    ]
    count = brief["facts"]
    lines = [
        *header,
        "",
        f"A briefing of {'1 fact' if count == 1 else f'{count} facts'}, each with its source; "
        "the references are listed at the end.",
    ]
    for section in brief["sections"]:
        lines += ["", f"## {escape(section['title'])}", ""]
        for company in section.get("companies", []):
            sectors = "; ".join(escape(s) for s in company["sectors"])
            head = f"- **{escape(company['name'])}**"
            lines.append(head + (f": {sectors} {cites(company['cites'])}" if sectors else ""))
            # Four spaces: pandoc nests a list only under its parent item's content.
            lines += [f"    - {_fact_line(fact, cites, items=False)}" for fact in company["facts"]]
        dated = section["id"] == "visit"
        lines += [f"- {_fact_line(fact, cites, dated=dated)}" for fact in section["facts"]]
        for chart in section.get("charts", []):
            lines += ["", *_chart_table(chart, cites)]
    if brief.get("more"):
        # kortrade's own commands, not data; a code span each, as the Markdown briefing has them.
        commands = ", ".join(f"`{c}`" if "`" not in c else escape(c) for c in brief["more"])
        lines += ["", f"More figures, every source and where they differ: {commands}."]
    return "\n".join(lines) + "\n"


def _fact_line(
    fact: Mapping[str, Any], cites: Callable[[Iterable[int]], str], *, dated: bool = False, items: bool = True
) -> str:
    # Here, not at the top: cli imports this module for its format names on every run.
    from kortrade.brief import figure_lead

    parts = figure_lead(fact, escape, dated=dated)
    statement = clean(fact["statement"])
    # The citation goes inside the sentence, before its full stop, as author-date styles want.
    full_stop = statement.endswith(".")
    text = escape(statement[:-1] if full_stop else statement)
    if items and fact["items"]:
        text += ": " + "; ".join(escape(i) for i in fact["items"])
    if fact.get("agreement"):  # how many sources agree on the figure, when the briefing says
        text += f" *({escape(fact['agreement'])})*"
    # A fact on which sources disagree cites each of them.
    parts.append(f"{text} {cites(fact.get('cites') or [fact['cite']])}" + ("." if full_stop else ""))
    return " ".join(parts)


def _chart_table(chart: Mapping[str, Any], cites: Callable[[Iterable[int]], str]) -> list[str]:
    """A yearly series (an SVG chart in the HTML briefing) as a table: Word gets its figures and their sources."""
    rows = [f"| {escape(p['period'])} | {escape(p['figure'] or '')} | {cites([p['cite']])} |" for p in chart["points"]]
    caption = f"Table: {escape(chart['title'])} ({escape(chart['unit'])})"
    return ["| Period | Figure | Source |", "|---|--:|---|", *rows, "", caption]


def _yaml(value: object) -> str:
    """A YAML value as JSON (YAML 1.2 reads JSON as is), so data text never needs YAML quoting rules."""
    return json.dumps(value, ensure_ascii=False)
