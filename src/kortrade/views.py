"""What each command shows, as a :class:`~kortrade.render.View` of records from the store."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from kortrade.errors import Problem
from kortrade.records import (
    ENTITY_FIELDS,
    FACT_EXTRA_FIELDS,
    FACT_FIELDS,
    MEASURE_FIELDS,
    OBSERVATION_FIELDS,
    SOURCE_LIST_FIELDS,
    TOPIC_FIELDS,
    Record,
)
from kortrade.render import View
from kortrade.store import FactStore, Hit

# Columns a person reads by default; JSON and CSV always carry every field.
FACT_SUMMARY: Final = ("id", "topic", "display", "period", "statement", "source")
SEARCH_SUMMARY: Final = ("id", "display", "period", "statement", "topic", "source")
# Search results mix topics, so each says its topic next to its id and source.
_UNDER_HIT: Final = (("statement", ("id", "topic", "source")),)
SOURCE_SUMMARY: Final = ("id", "publisher", "published", "kind", "language", "facts")
# One source in full: its record, then the facts that cite it (their ids and statements in a table).
SOURCE_DETAIL_FIELDS: Final = (*SOURCE_LIST_FIELDS, "cited_by")
MEASURE_SUMMARY: Final = ("id", "label", "kind", "facts", "sources")
ENTITY_SUMMARY: Final = ("name", "kind", "names", "facts")
# In a table the fact's id and source sit on a dim line under its statement.
_UNDER_STATEMENT: Final = (("statement", ("id", "source")),)


def facts_view(records: Iterable[Record], texts: Iterable[str] | None = None) -> View:
    """Facts grouped by topic in tables; ``texts``, the same records as JSON lists them."""
    return View(
        records,
        FACT_FIELDS,
        FACT_SUMMARY,
        group_by="topic",
        beneath=_UNDER_STATEMENT,
        extra=FACT_EXTRA_FIELDS,
        texts=texts,
    )


# One fact in full for a person: the ISO bounds and decimals only restate the period and figure.
FACT_DETAIL: Final = tuple(f for f in FACT_FIELDS if f not in ("decimals", "period_start", "period_end"))


def fact_view(record: Record) -> View:
    """One fact in full; ``show`` adds its ``corroboration`` and ``official`` after the contract's keys."""
    if "corroboration" in record:
        shown = ("corroboration", "official") if "official" in record else ("corroboration",)
        fields = (*FACT_FIELDS, *shown)
        return View([record], fields, (*FACT_DETAIL, *shown), single=True, extra=FACT_EXTRA_FIELDS)
    return View([record], FACT_FIELDS, FACT_DETAIL, single=True, extra=FACT_EXTRA_FIELDS)


# One observation in full for a person: the ISO bounds only restate the period.
OBSERVATION_DETAIL: Final = tuple(f for f in OBSERVATION_FIELDS if f not in ("period_start", "period_end"))
OBSERVATION_SUMMARY: Final = ("id", "period", "reporter", "flow", "partner", "display", "valuation", "source")


def observation_view(record: Record) -> View:
    """One observation: a row of an official data file, with its source and where the row is."""
    return View([record], OBSERVATION_FIELDS, OBSERVATION_DETAIL, single=True)


def observations_view(records: list[Record]) -> View:
    return View(records, OBSERVATION_FIELDS, OBSERVATION_SUMMARY)


def search_view(hits: list[Hit], *, preface: list[str] | None = None) -> View:
    """Best match first; the matched words of each statement are marked for the terminal.
    ``preface``: lines a table shows above the facts (the answer to a question)."""
    lines = list(preface or [])
    return View(
        [hit.record for hit in hits],
        FACT_FIELDS,
        SEARCH_SUMMARY,
        beneath=_UNDER_HIT,
        extra=FACT_EXTRA_FIELDS,
        marks={str(hit.record["id"]): hit.marks for hit in hits},
        mark_field="statement",
        chart=(lambda _records: lines) if lines else None,
    )


TIMELINE_SUMMARY: Final = ("period", "statement", "id", "topic", "source")


def timeline_view(records: list[Record]) -> View:
    """Dated facts, oldest first; in a table each with its id, topic and source beneath."""
    return View(records, FACT_FIELDS, TIMELINE_SUMMARY, beneath=_UNDER_HIT, extra=FACT_EXTRA_FIELDS)


def with_names(store: FactStore, records: list[Record], fields: list[str] | None) -> list[Record]:
    """Add each fact's entity names by language when ``--fields`` asks for ``names``."""
    if not fields or "names" not in fields:
        return records
    wanted = sorted({str(e) for r in records for e in r["entities"]})  # type: ignore[attr-defined]
    names = store.names(wanted) if wanted else {}
    return [{**r, "names": {e: names[e] for e in r["entities"]}} for r in records]  # type: ignore[attr-defined]


def topics_view(store: FactStore) -> View:
    records: list[Record] = [{"topic": topic, "facts": count} for topic, count in store.topics().items()]
    return View(records, TOPIC_FIELDS, TOPIC_FIELDS)


def sources_view(records: list[Record]) -> View:
    return View(records, SOURCE_LIST_FIELDS, SOURCE_SUMMARY)


def source_view(source: Record, facts: list[Record]) -> View:
    """A source and the facts citing it: in a table, each fact as ``id: statement``."""
    return View([{**source, "cited_by": facts}], SOURCE_DETAIL_FIELDS, SOURCE_DETAIL_FIELDS, single=True)


def measures_view(records: list[Record]) -> View:
    return View(records, MEASURE_FIELDS, MEASURE_SUMMARY)


def entities_view(records: list[Record]) -> View:
    return View(records, ENTITY_FIELDS, ENTITY_SUMMARY)


PROBLEM_FIELDS: Final = ("file", "line", "column", "rule", "message")


def problems_view(problems: list[Problem]) -> View:
    return View([p.record() for p in problems], PROBLEM_FIELDS, PROBLEM_FIELDS)


INFO_FIELDS: Final = (
    "data", "sha256", "size", "facts", "sources", "entities",
    "index", "index_size", "index_state", "index_reason", "built_at", "kortrade", "measures",
    "observations", "series", "latest", "data_files",
)  # fmt: skip


def info_view(store: FactStore) -> View:
    """The store's info, then how current the official series is and each data file's last period."""
    from kortrade.official import data_files, latest_periods

    ends = store.observation_ends()
    record = {**store.info(), "latest": latest_periods(store), "data_files": data_files(ends)}
    return View([record], INFO_FIELDS, INFO_FIELDS, single=True)


COMPARE_FIELDS: Final = (
    "measure", "period", "basis", "verdict", "spread", "facts", "statistics", "reference", "official",
)  # fmt: skip
# A comparison shown as rows, one per fact: CSV carries these, a table the summary.
COMPARE_ROW_FIELDS: Final = (
    "measure", "period", "verdict", "spread", "id", "display", "fact_period", "basis", "basis_country", "source",
    "statistics", "flags", "reference", "official",
)  # fmt: skip
COMPARE_SUMMARY: Final = ("comparison", "figure", "fact_period", "source")
# Under each source, dim: the fact's id and whose statistics it is (when given).
_UNDER_SOURCE: Final = (("source", ("under_source",)),)
# A table marks a figure after it, and says what each mark it shows means under the chart.
MARKS: Final = {
    "reference": ("[R]", "the group's reference: the source's own official release"),
    "worked-out": ("[W]", "worked out, not stated by the page"),
    "scheduled": ("[S]", "scheduled: what was to happen, not a report that it did"),
    "expected": ("[E]", "expected: a forecast, not an outcome"),
    "statistics-assumed": ("[A]", "no statistics stated: taken as the group's"),
}
_STATISTICS: Final = {"Republic of Korea": "Korea's statistics", "China": "China's statistics"}


def compare_view(groups: list[Record], *, title: str | None = None) -> View:
    """Each group's facts side by side under a line with its verdict; a bar chart of a yearly
    series above them when ``title`` (the measure's label) is given, and what the marks mean."""

    def chart(records: list[Record]) -> list[str]:
        from kortrade.chart import series_lines

        return series_lines(records, title) if title is not None else []

    return View(
        groups,
        COMPARE_FIELDS,
        COMPARE_SUMMARY,
        group_by="comparison",
        beneath=_UNDER_SOURCE,
        expand=_comparison_rows,
        row_fields=COMPARE_ROW_FIELDS,
        chart=chart,
        legend=marks_legend,
    )


def _comparison_rows(group: Record) -> list[Record]:
    statistics = statistics_text(group)
    heading = " · ".join([str(group["measure"]), str(group["period"] or "any period"), *filter(None, [statistics])])
    heading += f": {verdict_text(group)}"
    official = group.get("official")
    official_display = official["display"] if isinstance(official, dict) else None
    if isinstance(official, dict):
        agree, differ = len(official["agree"]), len(official["differ"])
        worked = " (worked out)" if official["worked_out"] else ""
        heading += f"; official data file: {official_display}{worked}, {agree} agree, {differ} differ"
    reference = group["reference"]
    reference_id = reference["id"] if isinstance(reference, dict) else None
    rows = []
    for fact in group["facts"]:  # type: ignore[attr-defined]
        # A date measure's figure is the date itself.
        display = fact["display"] or fact["period"]
        marks = _marks(fact, is_reference=reference_id == fact["id"])
        rows.append(
            {
                "comparison": heading,
                "measure": group["measure"],
                "period": group["period"],
                "verdict": group["verdict"],
                "spread": group["spread"],
                "id": fact["id"],
                "display": display,
                "figure": " ".join([str(display), *marks]),
                "fact_period": fact["period"],
                "basis": fact["basis"],
                "basis_country": fact["basis_country"],
                "source": fact["source"],
                "under_source": " · ".join([str(fact["id"]), *([", ".join(fact["basis"])] if fact["basis"] else [])]),
                "statistics": group["statistics"],
                "flags": fact["flags"],
                "reference": reference_id,
                "official": official_display,
            }
        )
    return rows


def _marks(fact: Record, *, is_reference: bool) -> list[str]:
    named = (["reference"] if is_reference else []) + list(fact["flags"])  # type: ignore[call-overload]
    return [MARKS[name][0] for name in named if name in MARKS]


def marks_legend(groups: list[Record]) -> list[str]:
    """A line for each mark the groups' figures carry, in a fixed order; none without marks."""
    used: set[str] = set()
    for group in groups:
        reference = group.get("reference")
        if isinstance(reference, dict):
            used.add("reference")
        for fact in group.get("facts") or []:  # type: ignore[attr-defined]
            used.update(fact.get("flags") or [])
    return [f"{mark} {meaning}" for name, (mark, meaning) in MARKS.items() if name in used]


def statistics_text(group: Record) -> str:
    """``Korea's statistics``, ``China's statistics``, ``Japan's statistics``, ``statistics not
    stated`` for figures that state none, or nothing for dates and names that state none."""
    country = group.get("statistics")
    if isinstance(country, str):
        return _STATISTICS.get(country, f"{country}'s statistics")
    facts = group.get("facts")
    numbers = isinstance(facts, list) and any(isinstance(f["value"], int | float) for f in facts)
    return "statistics not stated" if numbers else ""


def verdict_text(group: Record) -> str:
    """``2 sources agree``, ``3 sources differ by 0.6%``, ``one source``."""
    facts = group.get("facts")
    # Sources, not facts: one page may give a figure twice (exactly and rounded).
    count = len({str(f["source"]["id"]) for f in facts}) if isinstance(facts, list) else 1
    spread = group["spread"]
    apart = f" by {_percent(spread)}" if isinstance(spread, int | float) and spread else ""
    match group["verdict"]:
        case "agree":
            return f"{count} sources agree"
        case "differ":
            return f"{count} sources differ{apart}"
        case _:
            return "one source"


def _percent(share: float) -> str:
    text = f"{share * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


# A series for people: a table per measure, a row per period, the two countries' statistics side by side.
SERIES_PEOPLE_FIELDS: Final = ("series", "period", "korea", "korea_others", "china", "china_others")
_WORKED_MARK: Final = "*"
_PAGE_MARK: Final = "†"
_NO_FIGURE: Final = "—"


def series_view(
    rows: list[Record],
    *,
    labels: dict[str, str],
    bases: tuple[str, ...],
    periods: list[str] | None = None,
    partial: list[str] | None = None,
    sources: dict[str, str] | None = None,
    chart: bool = False,
) -> View:
    """The official series: JSON and CSV a record per measure, period and basis country (to
    chart); a table per measure with a row per period (every one of ``periods`` when given,
    else those with a figure), each figure marked when worked out or a page's, and a legend."""
    from kortrade.series import SERIES_FIELDS

    numbers: dict[str, int] = {}
    for row in rows:
        numbers.setdefault(str(row["source"]), len(numbers) + 1)

    def regroup(records: list[Record]) -> list[Record]:
        return _series_table_rows(records, labels, bases, periods, numbers)

    def notes(records: list[Record]) -> list[str]:
        return _series_notes(records, numbers, partial or [], sources or {})

    def bars(records: list[Record]) -> list[str]:
        from kortrade.chart import series_bars

        return series_bars(records, labels)

    return View(
        rows, SERIES_FIELDS, SERIES_FIELDS, regroup=regroup, people_fields=_people_fields(bases), notes=notes,
        group_by="series", chart=bars if chart else None,
    )  # fmt: skip


def _people_fields(bases: tuple[str, ...]) -> tuple[str, ...]:
    from kortrade.worked import CHINA, KOREA

    keep = {"series", "period"}
    keep |= {"korea", "korea_others"} if KOREA in bases else set()
    keep |= {"china", "china_others"} if CHINA in bases else set()
    return tuple(f for f in SERIES_PEOPLE_FIELDS if f in keep)


def _series_table_rows(
    records: list[Record],
    labels: dict[str, str],
    bases: tuple[str, ...],
    periods: list[str] | None,
    numbers: dict[str, int],
) -> list[Record]:
    from kortrade.worked import KOREA

    by_measure: dict[str, dict[str, dict[str, Record]]] = {}
    for record in records:
        by_period = by_measure.setdefault(str(record["measure"]), {})
        by_period.setdefault(str(record["period"]), {})[str(record["basis_country"])] = record
    table: list[Record] = []
    for measure, by_period in by_measure.items():
        for period in periods if periods is not None else sorted(by_period):
            found = by_period.get(period, {})
            row: Record = {"series": labels.get(measure, measure), "period": period}
            for basis in bases:
                key = "korea" if basis == KOREA else "china"
                shown = found.get(basis)
                row[key] = _series_cell(shown, numbers) if shown is not None else _NO_FIGURE
                row[f"{key}_others"] = _others_text(shown) if shown is not None else ""
            table.append(row)
    return table


def _series_cell(record: Record, numbers: dict[str, int]) -> str:
    mark = (_WORKED_MARK if record["worked_out"] else "") + (_PAGE_MARK if record["facts"] else "")
    return f"{record['display']}{mark} [{numbers[str(record['source'])]}]"


def _others_text(record: Record) -> str:
    """``3/4``: of 4 other files and pages giving the figure, 3 agree with it (the others
    differ, or give it in another unit)."""
    total = int(str(record["also_stated"])) + int(str(record["reported"]))
    if total == 0:
        return ""
    return f"{record['agreeing']}/{total}"


def _series_notes(
    records: list[Record], numbers: dict[str, int], partial: list[str], sources: dict[str, str]
) -> list[str]:
    from kortrade.worked import SUM_OF_MONTHS

    lines = []
    hows = [str(r["how"]) for r in records if r["worked_out"]]
    if hows:
        # "exports + imports, each a year as the sum of 12 months" is said as its two parts.
        parts = {part.removeprefix("each ") for how in hows for part in how.split(", ")}
        if any(SUM_OF_MONTHS in part for part in parts):
            parts = {p for p in parts if SUM_OF_MONTHS not in p} | {"a year as the sum of its 12 months"}
        lines.append(
            f"{_WORKED_MARK} worked out by kortrade from one source's figures, not stated by it: "
            + "; ".join(sorted(parts, key=len))
            + ". --format json lists the observations each rests on."
        )
    if any(r["facts"] for r in records):
        lines.append(f"{_PAGE_MARK} from a page's report of the official figures; no data file here has them.")
    if any(r["also_stated"] or r["reported"] for r in records):
        lines.append(
            "Agree n/m: of m other official files and pages giving the same measure, period and"
            " statistics, n agree with the figure (the others differ, or give it in another unit)."
        )
    lines.extend(partial)
    lines.append("Sources:")
    lines.extend(
        f"[{n}] {source}" + (f": {sources[source]}" if source in sources else "") for source, n in numbers.items()
    )
    return lines


# `kortrade check` for people: a row per reported figure, its gap beside it, then the figure, the
# official one and the fact's id on lines of their own (an id is never cut at 80 columns).
CHECK_PEOPLE_FIELDS: Final = ("gap", "reported", "id")
_STATISTICS_OF: Final = {"Republic of Korea": "Korea's statistics", "China": "China's statistics"}


def check_view(records: list[Record]) -> View:
    """The reported figures that differ from the official series: JSON and CSV a record each
    (``kortrade.check.CHECK_FIELDS``); a table a row each, the official figure numbered by its
    source, the fact's id under it, and what the marks and numbers mean under the table."""
    from kortrade.check import CHECK_FIELDS

    numbers: dict[str, int] = {}
    for record in records:
        numbers.setdefault(_source_id(record["official_source"]), len(numbers) + 1)

    def regroup(rows: list[Record]) -> list[Record]:
        return [_check_table_row(row, numbers) for row in rows]

    def notes(rows: list[Record]) -> list[str]:
        return _check_notes(rows, numbers)

    return View(
        records, CHECK_FIELDS, CHECK_FIELDS, regroup=regroup, people_fields=CHECK_PEOPLE_FIELDS, notes=notes,
        beneath=(("reported", ("id",)),),
    )  # fmt: skip


def _source_id(source: object) -> str:
    return str(source["id"]) if isinstance(source, dict) else str(source)


def _source_text(source: object) -> str:
    if not isinstance(source, dict):
        return str(source or "")
    return f"{source['publisher'] or source['id']}, {source['published'] or 'date unknown'}"


def _check_table_row(record: Record, numbers: dict[str, int]) -> Record:
    whose = _STATISTICS_OF.get(str(record["basis_country"]), "statistics not stated")
    official_whose = _STATISTICS_OF.get(str(record["official_basis_country"]), "")
    mark = ("*" if record["official_how"] else "") + ("\u2020" if record["official_facts"] else "")
    number = numbers[_source_id(record["official_source"])]
    official = f"official {record['official_display']}{mark} [{number}]"
    if not record["basis_country"]:
        official += f" on {official_whose}"
    lines = [
        f"{record['measure']} {record['period']}, {whose}:",
        f"reported {record['display']} ({_source_text(record['source'])}),",
        f"{official}, {_absolute_gap(record)}" + (";" if record["note"] else ""),
    ]
    if record["note"]:
        lines.append(str(record["note"]))
    return {"gap": _relative_gap(record), "reported": "\n".join(lines), "id": record["id"]}


def _relative_gap(record: Record) -> str:
    relative = record["gap_percent"]
    if not isinstance(relative, int | float):
        return _absolute_gap(record)
    return f"{relative:+.1f}%"


def _absolute_gap(record: Record) -> str:
    from kortrade.series import display

    gap = record["gap"]
    assert isinstance(gap, int | float)
    sign = "+" if gap > 0 else "-" if gap < 0 else ""
    if record["unit"] == "percent":
        # A gap too small for one place (2.90% against 2.88%) is given to two.
        return f"{sign}{abs(gap):.{1 if abs(gap) >= 0.05 else 2}f} points"
    return sign + display(abs(gap), str(record["unit"]))


def _check_notes(records: list[Record], numbers: dict[str, int]) -> list[str]:
    count = len(records)
    lines = [
        f"{count} reported figure{'s' if count != 1 else ''} differ{'s' if count == 1 else ''} from the official"
        " series, largest gap first. Gap: the reported figure minus the official one, as a share of the"
        " official one, then in its unit (a share's in percentage points)."
    ]
    if any(r["official_how"] for r in records):
        lines.append("* worked out by kortrade from one source's figures (kortrade series --format json says how).")
    if any(r["official_facts"] for r in records):
        lines.append("\u2020 the official figure as a page reports it; no data file here has it.")
    sources = {_source_id(r["official_source"]): r["official_source"] for r in records}
    lines.append("Sources:")
    lines.extend(f"[{n}] {source}: {_source_text(sources[source])}" for source, n in numbers.items())
    return lines
