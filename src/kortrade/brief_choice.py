"""What a briefing of a large facts file tells: chosen figures, each with who agrees.

A writer needs the latest figure, on both countries' statistics, and to know
before quoting whether the sources agree. So the briefing takes, for each main
trade measure, the latest full year on Korea's and on China's statistics; for the
state visit, each outcome; and then the disagreements among them. Each figure is
one source's own, chosen as the one most other sources agree with (the first in
the file among equals), and says how many agree or how they differ. Nothing is
computed; ``kortrade compare`` and ``kortrade facts`` show the rest.
"""

from __future__ import annotations

from typing import Any, Final

from kortrade.agreement import agrees
from kortrade.cite import numbered_sources
from kortrade.records import Record
from kortrade.store import FactStore

# The trade measures a briefing leads with, in this order.
MAIN_MEASURES: Final = (
    "bilateral-trade",
    "rok-exports-to-china",
    "rok-imports-from-china",
    "rok-trade-balance-with-china",
)
# The state visit's outcomes, in the order of the visit.
VISIT_MEASURES: Final = (
    "state-visit-dates",
    "summit-start",
    "summit-length",
    "summit-documents-signed",
    "summit-mous-signed",
    "business-delegation-size",
    "visit-return",
)
# Disputes about these come first: the visit's date is what a writer gets wrong.
DISPUTE_FIRST: Final = ("summit-date", "summit-mous-signed", "business-forum-participants")
SIDES: Final = (("Republic of Korea", "Korea's statistics"), ("China", "China's statistics"))
MAX_DISAGREEMENTS: Final = 4
# The chart shows this many of the latest years that have a figure.
CHART_YEARS: Final = 8
# A chart of the yearly series of this measure heads the figures.
CHART_MEASURE: Final = "bilateral-trade"


def chosen_sections(store: FactStore, topics: set[str] | None) -> tuple[list[dict[str, Any]], list[Record], Any]:
    """The briefing's sections, the facts they cite (in order) and the numbers of their sources."""
    labels = {str(m["id"]): str(m["label"]) for m in store.measures()}
    wanted = (*MAIN_MEASURES, *VISIT_MEASURES, *DISPUTE_FIRST)
    groups = {m: _groups(store, m, topics) for m in dict.fromkeys(wanted) if m in labels}
    headlines: list[tuple[Record, str]] = []
    for measure in MAIN_MEASURES:
        headlines += _latest_by_side(groups.get(measure, []))
    visit: list[tuple[Record, str]] = []
    for measure in VISIT_MEASURES:
        for group in groups.get(measure, [])[:1]:
            visit.append(_representative(group["facts"]))  # type: ignore[arg-type]
    disagreements = _disagreements(groups, labels)
    cited = {str(f["source"]["id"]) for f, _ in (*headlines, *visit)}  # type: ignore[index]
    series = _series(groups.get(CHART_MEASURE, []), cited)
    ordered = [f for f, _ in headlines] + [f for f, _ in visit]
    ordered += [f for _, facts in disagreements for f in facts] + [f for f, _ in series]
    numbers = numbered_sources(ordered)

    def item(fact: Record, agreement: str | None) -> dict[str, Any]:
        return brief_item(fact, numbers, agreement)

    sections: list[dict[str, Any]] = []
    if headlines:
        charts = []
        if len(series) >= 2:
            points = [{**item(f, None), "value": f["value"]} for f, _ in series]
            charts.append({"title": labels[CHART_MEASURE], "unit": series[0][0]["unit"], "points": points})
        sections.append(
            {
                "id": "figures",
                "title": "Headline figures: the latest full year on each side's statistics",
                "charts": charts,
                "facts": [item(f, a) for f, a in headlines],
            }
        )
    if visit:
        facts = [item(f, a) for f, a in visit]
        sections.append({"id": "visit", "title": "The state visit, January 2026", "facts": facts})
    if disagreements:
        lines = []
        for text, facts in disagreements:
            entry = item(facts[0], None)
            entry.update(
                figure=None,
                statement=text,
                cites=sorted({numbers[str(f["source"]["id"])][0] for f in facts}),  # type: ignore[index]
            )
            lines.append(entry)
        sections.append(
            {"id": "disagreements", "title": "Where sources disagree: check before quoting", "facts": lines}
        )
    return sections, ordered, numbers


def brief_item(fact: Record, numbers: dict[str, tuple[int, Record]], agreement: str | None = None) -> dict[str, Any]:
    """A fact as a briefing lists it: its own statement and figure, and its source's number."""
    source = fact["source"]
    assert isinstance(source, dict)
    return {
        "fact": fact["id"],
        "statement": fact["statement"],
        "figure": fact["display"],
        "period": fact["period"],
        "items": fact["items"],
        "cite": numbers[str(source["id"])][0],
        "agreement": agreement,
    }


def _groups(store: FactStore, measure: str, topics: set[str] | None) -> list[Record]:
    found = store.compare(measure)
    if topics is None:
        return found
    kept = []
    for group in found:
        facts = [f for f in group["facts"] if f["topic"] in topics]  # type: ignore[attr-defined]
        if facts:
            kept.append({**group, "facts": facts})
    return kept


def _latest_by_side(groups: list[Record]) -> list[tuple[Record, str]]:
    """The latest yearly figure on each side's statistics; when neither side's is given,
    the latest of those whose source does not say whose statistics they are."""
    yearly = sorted((g for g in groups if _is_year(g["period"])), key=lambda g: str(g["period"]), reverse=True)
    chosen: list[tuple[Record, str]] = []
    years: list[str] = []
    for country, words in (*SIDES, (None, "statistics not named")):
        for group in yearly:
            facts = [f for f in group["facts"] if f["basis_country"] == country]  # type: ignore[attr-defined]
            if facts and (country is not None or not years):
                fact, agreement = _representative(facts)
                chosen.append((fact, f"{words}; {agreement}"))
                years.append(str(group["period"]))
                break
    return chosen


def _representative(facts: list[Record], cited: set[str] | None = None) -> tuple[Record, str]:
    """The fact most others agree with (then the most precise; then one whose source is
    already ``cited``; then the first), and how many sources agree with it."""
    if len(facts) == 1:
        return facts[0], "the only source"
    kind = "number" if isinstance(facts[0]["value"], int | float) else ("name" if facts[0]["value_text"] else "date")

    def agreeing(fact: Record) -> int:
        return sum(bool(agrees(fact, fact["range"], o, o["range"], kind)) for o in facts if o is not fact)

    def rank(fact: Record) -> tuple[int, float, bool]:
        source = fact["source"]
        known = cited is not None and isinstance(source, dict) and source["id"] in cited
        return agreeing(fact), -_vagueness(fact), known

    best = max(facts, key=rank)  # max keeps the first among equals
    count = agreeing(best)
    differ = len(facts) - 1 - count
    if differ == 0:
        return best, f"all {len(facts)} sources agree"
    return best, f"{count + 1} of {len(facts)} sources agree; {differ} differ"


def _disagreements(groups: dict[str, list[Record]], labels: dict[str, str]) -> list[tuple[str, list[Record]]]:
    """The visit's disputed outcomes first, then the main figures' latest disputed years."""
    found: list[tuple[str, list[Record]]] = []
    ordered = dict.fromkeys([*DISPUTE_FIRST, *VISIT_MEASURES, *MAIN_MEASURES])
    for measure in ordered:
        disputed = [g for g in groups.get(measure, []) if g["verdict"] == "differ"]
        disputed.sort(key=lambda g: str(g["period"] or ""), reverse=True)
        for group in disputed[:1]:
            found.append(_dispute(group, labels[measure]))
    return found[:MAX_DISAGREEMENTS]


def _dispute(group: Record, label: str) -> tuple[str, list[Record]]:
    """``label, period: figure (publisher, publisher and others); figure (...)`` and the facts it names."""
    seen: dict[str, list[Record]] = {}
    for fact in group["facts"]:  # type: ignore[attr-defined]
        figure = str(fact["display"] or fact["value_text"] or fact["period"])
        shown = seen.setdefault(figure, [])
        publishers = {str(f["source"]["publisher"]) for f in shown}  # type: ignore[index]
        if not shown and str(fact["source"]["publisher"]) not in publishers:
            shown.append(fact)
    counts: dict[str, int] = {}
    for fact in group["facts"]:  # type: ignore[attr-defined]
        key = str(fact["display"] or fact["value_text"] or fact["period"])
        counts[key] = counts.get(key, 0) + 1
    parts = []
    for figure, shown in seen.items():
        who = ", ".join(str(f["source"]["publisher"]) for f in shown)  # type: ignore[index]
        more = " and others" if counts[figure] > len(shown) else ""
        parts.append(f"{figure} ({who}{more})")
    period = f", {group['period']}" if group["period"] else ""
    return f"{label}{period}: {'; '.join(parts)}", [f for shown in seen.values() for f in shown]


def _series(groups: list[Record], cited: set[str]) -> list[tuple[Record, str]]:
    """One figure a year (a point figure, not "over ..."), Korea's statistics first, then
    China's, then the unattributed; sources already cited are preferred, to keep the list short."""
    points = []
    # A year's groups (one per country's statistics) together: one point a year.
    by_year: dict[str, list[Record]] = {}
    for group in groups:
        if _is_year(group["period"]):
            by_year.setdefault(str(group["period"]), []).extend(group["facts"])  # type: ignore[arg-type]
    for year in sorted(by_year)[-CHART_YEARS:]:
        facts = by_year[year]
        for country in ("Republic of Korea", "China", None):
            side = [
                f
                for f in facts
                if f["basis_country"] == country and isinstance(f["value"], int | float) and f["qualifier"] in _POINTS
            ]
            if side:
                # A source already in the list adds no line to it.
                known = [f for f in side if str(f["source"]["id"]) in cited]  # type: ignore[index]
                point = _representative(known or side, cited)
                cited.add(str(point[0]["source"]["id"]))  # type: ignore[index]
                points.append(point)
                break
    return points


_POINTS: Final = ("exact", "about")


def _vagueness(fact: Record) -> float:
    """How wide a fact's reading is: a time is sharper than a day, $18.01 billion than $18 billion."""
    reading = fact["range"]
    if not isinstance(reading, dict):
        return 0.0
    low, high = reading["low"], reading["high"]
    if isinstance(low, int | float) and isinstance(high, int | float):
        return (high - low) / max(abs(high), abs(low), 1)
    if isinstance(low, str) and isinstance(high, str):
        return 0.0 if "T" in low else float(len({low, high}))
    return float("inf")


def _is_year(period: object) -> bool:
    return isinstance(period, str) and len(period) == 4 and period.isdigit()
