"""What a briefing of a large facts file tells: chosen figures, each with who agrees.

A writer needs the latest figure, on both countries' statistics, and to know
before quoting whether the sources agree. So the briefing leads with the official
series (:mod:`kortrade.series`): for each main trade measure, the latest full year
on Korea's and on China's statistics, labelled, then the newest partial year a page
reports; a chart of trade per year for each country's statistics apart; for the
state visit, each outcome, and how the sources count the documents signed; and then
the disagreements among pages. A page's figure is one source's own, chosen as the
one most other sources agree with (the first in the file among equals). A figure
kortrade works out from an official data file says so.
"""

from __future__ import annotations

from typing import Any, Final

from kortrade.agreement import agrees
from kortrade.cite import numbered_sources
from kortrade.records import Record
from kortrade.store import FactStore
from kortrade.worked import KOREA

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
# How sources count what was signed at the summit: documents in all, or MOUs and a donation certificate.
COUNT_MEASURES: Final = ("summit-documents-signed", "summit-mous-signed")
SIDES: Final = (("Republic of Korea", "Korea's statistics"), ("China", "China's statistics"))
MAX_DISAGREEMENTS: Final = 3
# The chart shows this many of the latest years that have a figure.
CHART_YEARS: Final = 8
# A chart of the yearly series of this measure heads the figures.
CHART_MEASURE: Final = "bilateral-trade"


def chosen_sections(store: FactStore, topics: set[str] | None) -> tuple[list[dict[str, Any]], list[Record], Any]:
    """The briefing's sections, the facts they cite (in order) and the numbers of their sources."""
    labels = {str(m["id"]): str(m["label"]) for m in store.measures()}
    wanted = (*MAIN_MEASURES, *VISIT_MEASURES, *DISPUTE_FIRST, *COUNT_MEASURES)
    groups = {m: _groups(store, m, topics) for m in dict.fromkeys(wanted) if m in labels}
    official = _official_rows(store, [m for m in MAIN_MEASURES if m in labels]) if _wants_trade(topics) else []
    headlines: list[tuple[Record, str]] = []
    for measure in MAIN_MEASURES:
        headlines += _latest_by_side(store, measure, official, groups.get(measure, []), labels)
    visit: list[tuple[Record, str]] = []
    for measure in VISIT_MEASURES:
        for group in groups.get(measure, [])[:1]:
            facts: list[Record] = group["facts"]  # type: ignore[assignment]
            fact, agreement = _representative(facts)
            # The documents' areas, where a page names them, tell more than the count alone.
            named = [f for f in facts if f["items"] and agrees(f, f["range"], fact, fact["range"], "number")]
            visit.append((named[0] if named else fact, agreement))
    counting = _document_counts(groups, _donations(store))
    disagreements = _disagreements(groups, labels)
    series = {
        side: [(_as_fact(store, row, labels), "") for row in official if _charted(row, side)][-CHART_YEARS:]
        for side, _ in SIDES
    }
    ordered = [f for f, _ in headlines] + [f for f, _ in visit] + [f for _, facts in counting for f in facts]
    ordered += [f for _, facts in disagreements for f in facts] + [f for side in series.values() for f, _ in side]
    numbers = numbered_sources(ordered)

    def item(fact: Record, agreement: str | None) -> dict[str, Any]:
        return brief_item(fact, numbers, agreement)

    sections: list[dict[str, Any]] = []
    if headlines:
        charts = []
        for side, words in SIDES:
            if len(series[side]) >= 2:
                points = [{**item(f, None), "value": f["value"]} for f, _ in series[side]]
                title = f"{labels[CHART_MEASURE]}, on {words}"
                charts.append({"title": title, "unit": series[side][0][0]["unit"], "points": points})
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
        for text, counted in counting:
            entry = item(counted[0], None)
            cites = sorted({numbers[str(f["source"]["id"])][0] for f in counted})  # type: ignore[index]
            entry.update(figure=None, items=[], statement=text, cites=cites)
            facts.append(entry)
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


def _donations(store: FactStore) -> list[Record]:
    """The facts on the donation certificate signed beside the MOUs (the pair of stone lions)."""
    from kortrade.store import FactQuery

    return [f for f in store.facts(FactQuery(tag="documents")) if "donation certificate" in str(f["statement"])]


def _document_counts(groups: dict[str, list[Record]], donations: list[Record]) -> list[tuple[str, list[Record]]]:
    """How the sources count the summit's documents: ``15 documents`` (n sources); ``14
    memorandums`` and a donation certificate (m sources); the facts each count rests on."""
    counts: dict[str, list[Record]] = {}
    for measure in COUNT_MEASURES:
        for group in groups.get(measure, []):
            for fact in group["facts"]:  # type: ignore[attr-defined]
                counts.setdefault(str(fact["display"]), []).append(fact)
    # Only where pages count the documents in all, beside those that count the MOUs.
    if len(counts) < 2 or not groups.get(COUNT_MEASURES[0]):
        return []
    parts = []
    cited = [facts[0] for facts in counts.values()]
    for figure, facts in sorted(counts.items(), key=lambda item: -len(item[1])):
        publishers = {str(f["source"]["publisher"]) for f in facts}  # type: ignore[index]
        if figure == "14 memorandums" and donations:
            figure = "14 memorandums and a donation certificate (a pair of stone lions)"
            cited.append(donations[0])
        parts.append(f"{figure} ({len(publishers)} {'source' if len(publishers) == 1 else 'sources'})")
    text = "How sources count what was signed at the summit: " + "; ".join(parts)
    return [(text, cited)]


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


def _latest_by_side(
    store: FactStore, measure: str, official: list[Record], groups: list[Record], labels: dict[str, str]
) -> list[tuple[Record, str]]:
    """For each country's statistics, the latest full year of the official series, then the
    newest part of a later year a page reports (January-November, say); when neither side has
    a figure, the latest of the pages that do not say whose statistics theirs are."""
    chosen: list[tuple[Record, str]] = []
    for country, words in SIDES:
        rows = [r for r in official if r["measure"] == measure and r["basis_country"] == country]
        if rows:
            row = rows[-1]
            chosen.append((_as_fact(store, row, labels), f"{words}; {_row_agreement(row)}"))
        year = str(rows[-1]["period"]) if rows else ""
        # The newest months follow the latest full year of trade on each side; for exports,
        # imports and balance they are a `kortrade compare` away, to keep to two pages.
        partial = _latest_partial(groups, country, after=year) if measure == CHART_MEASURE else None
        if partial is not None:
            fact, agreement = _representative(partial)
            chosen.append((fact, f"{words}; part of a year; {agreement}"))
    if not chosen:
        yearly = sorted((g for g in groups if _is_year(g["period"])), key=lambda g: str(g["period"]), reverse=True)
        for group in yearly:
            facts = [f for f in group["facts"] if f["basis_country"] is None]  # type: ignore[attr-defined]
            if facts:
                fact, agreement = _representative(facts)
                chosen.append((fact, f"statistics not named; {agreement}"))
                break
    return chosen


def _row_agreement(row: Record) -> str:
    if row["observations"]:
        how = "from an official data file"
    elif row["worked_out"]:
        how = "from a page's official figures"
    else:
        how = "official figure as a page reports it"
    reported = _count(row["reported"]) + _count(row["also_stated"])
    if not reported:
        return how
    return f"{how}; {_count(row['agreeing'])} of {reported} other sources agree"


def _count(value: object) -> int:
    return value if isinstance(value, int) else 0


def _latest_partial(groups: list[Record], country: str, after: str) -> list[Record] | None:
    """The facts on ``country``'s statistics of the latest-ending part of a year after ``after``:
    a range of months within one year (``2025-01/2025-11``), never a forecast."""
    best: tuple[str, list[Record]] | None = None
    for group in groups:
        period = str(group["period"] or "")
        start, _, end = period.partition("/")
        if not (len(start) == len(end) == 7 and start[:4] == end[:4] and start[:4] > after):
            continue
        facts = [
            f
            for f in group["facts"]  # type: ignore[attr-defined]
            if f["basis_country"] == country and not {"expected", "scheduled"} & set(f.get("flags") or [])
        ]
        if facts and (best is None or end > best[0]):
            best = (end, facts)
    return best[1] if best is not None else None


def _wants_trade(topics: set[str] | None) -> bool:
    return topics is None or "trade" in topics


def _official_rows(store: FactStore, measures: list[str]) -> list[Record]:
    """The yearly official series of ``measures`` on both countries' statistics, oldest first."""
    from kortrade.official import official_series
    from kortrade.series import SeriesQuery

    if not measures:
        return []
    return official_series(store, SeriesQuery(tuple(measures)))


def _charted(row: Record, side: str) -> bool:
    return row["measure"] == CHART_MEASURE and row["basis_country"] == side


def _as_fact(store: FactStore, row: Record, labels: dict[str, str]) -> Record:
    """An official series row as a briefing item reads it: a statement of its own, the
    figure, the year, and its source (a data file, or the page that reports it)."""
    facts: list[str] = row["facts"]  # type: ignore[assignment]
    if not row["observations"] and not row["worked_out"] and len(facts) == 1:
        return store.get(facts[0])  # a page's own report of the official figure, as it words it
    whose = "Korea's" if row["basis_country"] == KOREA else "China's"
    label = labels.get(str(row["measure"]), str(row["measure"]))
    statement = f"{label}, {row['period']}, on {whose} statistics"
    if row["worked_out"]:
        statement += f", worked out by kortrade ({row['how']})"
    rests_on = [*row["observations"], *row["facts"]]  # type: ignore[misc]
    return {
        "id": rests_on[0] if rests_on else f"{row['measure']}-{row['period']}",
        "statement": statement + ".",  # the figure is shown beside it
        "display": row["display"],
        "period": row["period"],
        "items": [],
        "value": row["value"],
        "unit": row["unit"],
        "source": store.source(str(row["source"])),
    }


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
        # Pages that don't say whose statistics theirs are may give either country's figure:
        # their "difference" on a trade figure is no dispute to check.
        disputed = [
            g
            for g in groups.get(measure, [])
            if g["verdict"] == "differ" and (g.get("statistics") is not None or measure not in MAIN_MEASURES)
        ]
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
