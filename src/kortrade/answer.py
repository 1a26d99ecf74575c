"""The answer to a question that names a measure and a period: one figure per country's statistics.

``kortrade search two-way trade 2023`` shows it above the matching facts. Where an
official data file gives the measure for that year or month on a country's statistics
(the official series, :mod:`kortrade.series`, worked out when the index is built), its
figure is the answer, with
how many pages report it and agree. Elsewhere the figure of each basis country is the
one the facts report best: in US dollars where any is, stated by the most sources that
agree, exact rather than hedged, from an official source (statistics, government)
before the press, then the latest published. :func:`answers` is the one place that picks it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from kortrade.question import PeriodRange
from kortrade.records import Record
from kortrade.render import View
from kortrade.store import FactStore

ANSWER_FIELDS: Final = (
    "measure", "label", "period", "basis_country", "display", "value", "unit", "id", "source", "agree", "differ",
    "how", "official",
)  # fmt: skip
_OFFICIAL: Final = frozenset({"statistics", "government"})
SIDE_NAMES: Final = {"Republic of Korea": "Korea's statistics", "China": "China's statistics"}
# Korea's statistics first, then China's, then figures whose pages do not say.
_SIDE_ORDER: Final = ("Republic of Korea", "China", None)


def answers(
    store: FactStore, measures: Sequence[str], period: PeriodRange, basis: str | None = None, *, series: bool = True
) -> list[Record]:
    """For each measure, a record per basis country: its figure for exactly ``period``, with its
    source and how many other sources on the same statistics agree or differ.

    ``series``: the official series' figure where it has one (a lookup in the index); with
    ``False``, always the facts' best-attested figure."""
    found: list[Record] = []
    for measure in measures:
        if not store.has_measure(measure):
            continue  # named by a question, but not a measure of this file
        label = store.measure_label(measure)
        official = _official(store, measure, period) if series else {}
        facts = _facts_for(store, measure, period)
        stated: list[Record] = []
        for side in _SIDE_ORDER:
            if basis is not None and side != basis:
                continue
            if side in official:
                # The official series has it: that figure, and the pages as its corroboration.
                found.append({**official[side], "label": label})
                stated.extend(f for f in facts if f["basis_country"] == side)
                continue
            mine = [f for f in facts if f["basis_country"] == side]
            if not mine:
                continue
            record = _answer(measure, label, period, side, mine)
            # A figure whose page names no statistics, but agrees with one that does, adds nothing.
            if side is None and _agrees_with_any(facts, str(record["id"]), stated):
                continue
            stated.extend(mine)
            found.append(record)
    return found


def _official(store: FactStore, measure: str, period: PeriodRange) -> dict[str | None, Record]:
    """The official series' figure for exactly ``period`` on each country's statistics (a year
    or a month of a measure the series has; else none, and the facts answer)."""
    if period.granularity not in ("year", "month"):
        return {}
    # Worked out when the index was built: a lookup, where reading the series here cost a
    # warm search half its time again.
    # Only figures of an official data file (stated, or worked out from its rows): where pages
    # alone report the figure, the one most of them agree on answers (below), as it always has.
    kept = store.official_rows(measure, period.text)
    if not kept and period.granularity == "month":
        # The index keeps the months pages give; any other month is worked out here.
        from kortrade.official import official_series
        from kortrade.series import SERIES_MEASURES, SeriesQuery

        if measure in SERIES_MEASURES:
            kept = official_series(store, SeriesQuery((measure,), monthly=True, first=period.text, last=period.text))
    rows = [r for r in kept if isinstance(r.get("value"), int | float) and r.get("observations")]
    return {row["basis_country"]: _from_series(store, measure, period, row) for row in rows}  # type: ignore[misc]


def _from_series(store: FactStore, measure: str, period: PeriodRange, row: Record) -> Record:
    source = store.source(str(row["source"]))
    facts = row["facts"]
    reported, agreeing = int(str(row["reported"])), int(str(row["agreeing"]))
    how = "stated by an official source" if not facts else "a page's report"
    if row["worked_out"]:
        how = f"worked out: {row['how']}" + (" of a page's figures" if facts else "")
    return {
        "measure": measure,
        "label": None,
        "period": period.text,
        "basis_country": row["basis_country"],
        "display": row["display"],
        "value": row["value"],
        "unit": row["unit"],
        "id": facts[0] if isinstance(facts, list) and facts else None,
        "source": {k: source.get(k) for k in ("id", "publisher", "published", "kind")},
        "agree": agreeing,
        "differ": reported - agreeing,
        "how": how,
        "official": True,
    }


def _agrees_with_any(facts: list[Record], fact_id: str, others: list[Record]) -> bool:
    from kortrade.agreement import agrees

    fact = next(f for f in facts if f["id"] == fact_id)
    return any(o["unit"] == fact["unit"] and agrees(fact, fact["range"], o, o["range"], "number") for o in others)


def _facts_for(store: FactStore, measure: str, period: PeriodRange) -> list[Record]:
    """The facts of ``measure`` whose period is exactly ``period`` (not a month of it)."""
    start, end = period.start.isoformat(), period.end.isoformat()
    # By its days: reading the period's text would load the schema module, a third of a search's time.
    groups = store.compare(measure, days=(start, end))
    return [
        f
        for g in groups
        for f in g["facts"]  # type: ignore[attr-defined]
        if f["period_start"] == start and f["period_end"] == end and isinstance(f["value"], int | float)
    ]


def _answer(measure: str, label: str, period: PeriodRange, side: str | None, facts: list[Record]) -> Record:
    dollars = [f for f in facts if f["unit"] == "USD"] or facts
    unit = dollars[0]["unit"]
    same_unit = [f for f in facts if f["unit"] == unit]

    def others(fact: Record, agreeing: bool) -> set[str]:
        own = _source_id(fact)
        if all(_source_id(o) == own for o in same_unit):
            return set()  # one source: no reading of figures to load
        from kortrade.agreement import agrees

        return {
            _source_id(o)
            for o in same_unit
            if _source_id(o) != own and bool(agrees(fact, fact["range"], o, o["range"], "number")) is agreeing
        }

    def rank(fact: Record) -> tuple[int, bool, bool, str]:
        source = fact["source"]
        kind = source.get("kind") if isinstance(source, dict) else None
        published = source.get("published") if isinstance(source, dict) else None
        # An exact figure is the one to quote: "about $268 billion" agrees, but says less.
        return (len(others(fact, True)), fact["qualifier"] == "exact", kind in _OFFICIAL, str(published or ""))

    best = max(dollars, key=rank)
    agree, differ = len(others(best, True)), len(others(best, False))
    source = best["source"]
    assert isinstance(source, dict)
    if len({_source_id(f) for f in same_unit}) == 1:
        how = "the only source"
    elif agree:
        how = "most sources agree" if agree >= differ else "sources differ"
    else:
        how = "sources differ"
    return {
        "measure": measure,
        "label": label,
        "period": period.text,
        "basis_country": side,
        "display": best["display"],
        "value": best["value"],
        "unit": best["unit"],
        "id": best["id"],
        "source": {k: source.get(k) for k in ("id", "publisher", "published", "kind")},
        "agree": agree,
        "differ": differ,
        "how": how,
        "official": False,
    }


def _source_id(fact: Record) -> str:
    source = fact["source"]
    return str(source["id"]) if isinstance(source, dict) else str(source)


def answer_lines(records: list[Record]) -> list[str]:
    """The answer as a few short lines for a terminal, above the matching facts."""
    lines: list[str] = []
    heading = None
    for record in records:
        now = f"{record['label']}, {record['period']}"
        if now != heading:
            heading = now
            lines.append(f"Answer: {now}")
        side = SIDE_NAMES.get(str(record["basis_country"]), "Statistics not stated")
        source = record["source"]
        assert isinstance(source, dict)
        published = f", {source['published']}" if source.get("published") else ""
        lines.append(f"  {side}: {record['display']} ({source['publisher']}{published})")
        if record["official"]:
            # Wrapped, not cut: a table's preface lines are cut at the terminal's width.
            import textwrap

            said = f"series: {record['how']} · {_agreement(record, 'other report')}"
            lines += textwrap.wrap(said, width=76, initial_indent="    ", subsequent_indent="    ")
        else:
            lines.append(f"    {record['id']} · {_agreement(record)}")
    return lines


def _agreement(record: Record, other: str = "other source") -> str:
    agree, differ = record["agree"], record["differ"]
    if not agree and not differ:
        return f"no {other}"
    parts = []
    if agree:
        parts.append(f"{agree} {other}{'s' if agree != 1 else ''} agree{'s' if agree == 1 else ''}")
    if differ:
        parts.append(f"{differ} differ{'s' if differ == 1 else ''}")
    return ", ".join(parts)


def answer_view(records: list[Record]) -> View:
    """``search --answer``: one record per measure and basis country, in any format."""
    return View(
        records,
        ANSWER_FIELDS,
        ("period", "basis_country", "display", "source", "how"),
        group_by="label",
        beneath=(("source", ("id",)),),
    )
