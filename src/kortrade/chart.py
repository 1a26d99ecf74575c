"""A bar chart of a yearly series, as text for a terminal: every bar is one source's figure.

Nothing is computed: a bar's length is its figure against the largest shown, and
it is labelled with the figure as the source gives it and who gives it. For each
year and each country's statistics the most precise figure is drawn (the first in
the file among equals), never an expected or scheduled one; ``kortrade compare``
lists them all.
"""

from __future__ import annotations

from typing import Final

from kortrade.agreement import step
from kortrade.records import Record

BAR_WIDTH: Final = 24
# Shown beside the year: whose statistics a bar is.
_SIDES: Final = {"Republic of Korea": "KR", "China": "CN"}


def series_lines(groups: list[Record], title: str) -> list[str]:
    """The chart's lines, or none when the groups hold fewer than two yearly figures."""
    points = _points(groups)
    if len(points) < 2:
        return []
    largest = max(abs(float(p["value"])) for _, p in points) or 1.0  # type: ignore[arg-type]
    # Two lines, so that the key fits in 80 columns.
    lines = [title, "One bar per year and statistics: KR Korea's, CN China's, - not given"]
    for label, fact in points:
        value = float(fact["value"])  # type: ignore[arg-type]
        length = max(1, round(abs(value) / largest * BAR_WIDTH))
        bar = ("█" if value >= 0 else "░") * length
        source = fact["source"]
        publisher = source["publisher"] if isinstance(source, dict) else ""
        lines.append(f"{label:<7} {bar:<{BAR_WIDTH}} {fact['display']} · {publisher}")
    if any(float(p["value"]) < 0 for _, p in points):  # type: ignore[arg-type]
        lines.append(f"{'':<7} ░ below zero (a deficit)")
    return lines


def _points(groups: list[Record]) -> list[tuple[str, Record]]:
    points: list[tuple[str, Record]] = []
    unit = _main_unit(groups)
    for group in groups:
        period = group["period"]
        if not (isinstance(period, str) and len(period) == 4 and period.isdigit()):
            continue
        best: dict[str, Record] = {}
        for fact in group["facts"]:  # type: ignore[attr-defined]
            value = fact["value"]
            if not isinstance(value, int | float):
                continue
            if fact["unit"] != unit:
                continue
            # A forecast or a plan is not the year's figure.
            if {"expected", "scheduled"}.intersection(fact.get("flags") or []):
                continue
            side = _SIDES.get(str(fact["basis_country"]), "-")
            held = best.get(side)
            if held is None or _precision(fact) < _precision(held):
                best[side] = fact
        for side in sorted(best, key=lambda s: ("KR", "CN", "-").index(s) if s in ("KR", "CN", "-") else 3):
            points.append((f"{period} {side}", best[side]))
    return points


def _main_unit(groups: list[Record]) -> object:
    """The unit most yearly figures are in: one chart never mixes dollars and won."""
    counts: dict[object, int] = {}
    for group in groups:
        period = group["period"]
        if isinstance(period, str) and len(period) == 4 and period.isdigit():
            for fact in group["facts"]:  # type: ignore[attr-defined]
                if isinstance(fact["value"], int | float):
                    counts[fact["unit"]] = counts.get(fact["unit"], 0) + 1
    return max(counts, key=lambda u: counts[u]) if counts else None


def _precision(fact: Record) -> float:
    value = fact["value"]
    assert isinstance(value, int | float)
    decimals = fact["decimals"]
    return step(value, str(fact["unit"]), decimals if isinstance(decimals, int) else None) / max(abs(value), 1)


def series_bars(rows: list[Record], labels: dict[str, str]) -> list[str]:
    """``kortrade series --chart``: for each measure a bar per period and statistics, each
    labelled with its figure (``*`` worked out, ``†`` from a page) - the rows' own figures."""
    by_measure: dict[str, list[Record]] = {}
    for row in rows:
        by_measure.setdefault(str(row["measure"]), []).append(row)
    lines: list[str] = []
    for measure, found in by_measure.items():
        units: dict[object, int] = {}
        for row in found:
            units[row["unit"]] = units.get(row["unit"], 0) + 1
        unit = max(units, key=lambda u: units[u])
        points = [r for r in found if r["unit"] == unit and isinstance(r["value"], int | float)]
        largest = max(abs(float(r["value"])) for r in points) or 1.0  # type: ignore[arg-type]
        if lines:
            lines.append("")
        lines += [labels.get(measure, measure), "A bar per period and statistics: KR Korea's, CN China's"]
        for row in points:
            value = float(row["value"])  # type: ignore[arg-type]
            length = max(1, round(abs(value) / largest * BAR_WIDTH))
            bar = ("█" if value >= 0 else "░") * length
            mark = ("*" if row["worked_out"] else "") + ("†" if row["facts"] else "")
            side = _SIDES.get(str(row["basis_country"]), "-")
            lines.append(f"{row['period']!s:<7} {side} {bar:<{BAR_WIDTH}} {row['display']}{mark}")
        if any(float(r["value"]) < 0 for r in points):  # type: ignore[arg-type]
            lines.append(f"{'':<10} ░ below zero (a deficit)")
    return lines
