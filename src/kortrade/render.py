"""One output pipeline for every command: a :class:`View` rendered in a chosen format.

Commands build a View (records in contract order plus how a table lays them out);
only this module knows what ``table``, ``json``, ``jsonl``, ``csv`` and ``markdown``
look like. A table is described once (:class:`kortrade.table.Table`) and drawn by
:mod:`kortrade.table`, plain or in colour; Rich is imported only to draw a briefing's
Markdown on a terminal, so every listing starts fast.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Final, Literal

from kortrade.errors import UsageError
from kortrade.records import Record
from kortrade.terminal import escape_controls, hyperlink, shows_hyperlinks

if TYPE_CHECKING:
    from rich.console import Console

    from kortrade.table import Cell, Column, Table


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"


HEADERS: Final = {
    "display": "Figure",
    "figure": "Figure",
    "id": "ID",
    "url": "URL",
    "sha256": "SHA-256",
    "index_size": "Index size",
    "index_state": "Index state",
    "index_reason": "Why",
    "built_at": "Built",
    "kortrade": "kortrade",
    "cited_by": "Cited by",
    "fact_period": "Period",
    "corroboration": "Other sources",
    "date_note": "Date note",
    "basis_country": "Basis of",
    "value_text": "Answer",
    "period_start": "Starts",
    "period_end": "Ends",
    "korea": "Korea's statistics",
    "korea_others": "Agree",
    "china": "China's statistics",
    "china_others": "Agree",
    "reported": "Reported figure and the official one",
    "latest": "Latest",
    "data_files": "Data files",
}
RIGHT_ALIGNED: Final = frozenset({"value", "display", "figure", "facts", "korea", "china"})
# JSON escapes C0 controls itself; these others would still reach a terminal.
_INDENT = re.compile("^", re.MULTILINE)
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028-\u202e\u2066-\u2069]")
_CSV_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class View:
    """What a command shows: records, their fields, and a table's layout.

    ``records`` may be a list or an iterator read once: JSON, JSON lines and CSV
    stream it, so listing 100,000 facts never holds them all; tables and Markdown,
    which lay out every row, read it into a list (:meth:`rows`).
    """

    records: Iterable[Record]
    fields: tuple[str, ...]
    summary: tuple[str, ...]
    group_by: str | None = None
    single: bool = False
    # Table only: fields shown on a dim line under another column's text, so a
    # fact, its id and its source fit in 80 columns.
    beneath: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Fields that only --fields brings in (the records carry them once asked for).
    extra: tuple[str, ...] = ()
    # Spans of ``mark_field`` to highlight on a terminal, by record id (search matches).
    marks: dict[str, tuple[tuple[int, int], ...]] = dataclasses.field(default_factory=dict)
    mark_field: str | None = None
    # Records that hold a list of others (a comparison and its facts) are shown by
    # tables, Markdown and CSV as one row per item: ``expand`` makes those rows, with
    # ``row_fields`` (CSV) and ``summary`` (tables); JSON keeps the records whole.
    expand: Callable[[Record], list[Record]] | None = None
    # JSON only: each record as ``listed_json`` writes it, kept in the index, so a long
    # listing is copied out rather than parsed and written again (records stay the truth).
    texts: Iterable[str] | None = None
    row_fields: tuple[str, ...] = ()
    # Table only: lines drawn above the tables (a bar chart of a series).
    chart: Callable[[list[Record]], list[str]] | None = None
    # Tables and Markdown: what the marks in the rows mean, a line each (above a table's
    # rows, under the chart; after a Markdown table).
    legend: Callable[[list[Record]], list[str]] | None = None
    # Tables and Markdown only: the records laid out for people, in ``people_fields`` (a
    # series' two countries' figures on one row, where CSV and JSON keep a row each), and
    # lines under them (a legend).
    regroup: Callable[[list[Record]], list[Record]] | None = None
    people_fields: tuple[str, ...] = ()
    notes: Callable[[list[Record]], list[str]] | None = None

    def with_fields(self, wanted: list[str] | None) -> View:
        """Keep only ``wanted`` fields, in the order asked; unknown names are a usage error."""
        if not wanted:
            return self
        allowed = (*self.fields, *self.extra)
        unknown = [w for w in wanted if w not in allowed]
        if unknown:
            raise UsageError(f"unknown field '{unknown[0]}' for --fields; choose from: {', '.join(allowed)}")
        chosen = tuple(dict.fromkeys(wanted))
        picked = ({k: r[k] for k in chosen} for r in self.records)
        records: Iterable[Record] = list(picked) if isinstance(self.records, list) else picked
        group = self.group_by if self.group_by in chosen else None
        marks = self.marks if "id" in chosen else {}
        # Picked records are shown as they are: no longer expanded into rows, nor charted.
        return replace(
            self, records=records, fields=chosen, summary=chosen, group_by=group, beneath=(), marks=marks,
            expand=None, row_fields=(), chart=None, legend=None, texts=None, regroup=None, people_fields=(),
            notes=None,
        )  # fmt: skip

    def rows(self) -> list[Record]:
        """Every record, as a list (an iterator is read here, once)."""
        return self.records if isinstance(self.records, list) else list(self.records)

    def flat(self) -> View:
        """The view as rows for tables, Markdown and CSV (itself, unless its records expand)."""
        if self.expand is None:
            return self
        expand = self.expand
        rows = [row for record in self.rows() for row in expand(record)]
        return replace(self, records=rows, fields=self.row_fields, expand=None)

    def for_people(self) -> View:
        """The view as tables and Markdown show it: regrouped when it says how, else :meth:`flat`."""
        if self.regroup is None:
            return self.flat()
        rows = self.regroup(self.rows())
        fields = self.people_fields
        return replace(self, records=rows, fields=fields, summary=fields, regroup=None, expand=None, notes=None)

    def note_lines(self) -> list[str]:
        return self.notes(self.rows()) if self.notes is not None else []


def parse_fields(text: str | None) -> list[str] | None:
    if text is None:
        return None
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        raise UsageError("--fields needs at least one field name, e.g. --fields id,display")
    return names


def render(view: View, fmt: Format, out: IO[str], *, colour: bool) -> None:
    """Write ``view`` to ``out`` in ``fmt``; the only place that branches on format."""
    RENDERERS[fmt](view, out, colour)


# -- machine formats ------------------------------------------------------------


def json_text(value: object, *, indent: int | None) -> str:
    separators = (",", ":") if indent is None else (",", ": ")
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, indent=indent, separators=separators)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def render_json(view: View, out: IO[str], colour: bool) -> None:
    if view.single:
        rows = view.rows()
        out.write(json_text(rows[0] if rows else rows, indent=2) + "\n")
        return
    # The same text as json.dumps(list, indent=2), written a record at a time.
    written = False
    texts = view.texts if view.texts is not None else (listed_json(record) for record in view.records)
    for text in texts:
        out.write(",\n" if written else "[\n")
        out.write(text)
        written = True
    out.write("\n]\n" if written else "[]\n")


def listed_json(record: Record) -> str:
    """A record as an element of a JSON list printed with indent 2 (its lines indented by two)."""
    return _INDENT.sub("  ", json_text(record, indent=2))


def render_jsonl(view: View, out: IO[str], colour: bool) -> None:
    for record in view.records:
        out.write(json_text(record, indent=None) + "\n")


def render_csv(view: View, out: IO[str], colour: bool) -> None:
    view = view.flat()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(view.fields)
    for record in view.records:
        writer.writerow([_csv_cell(record[f]) for f in view.fields])


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"  # as JSON writes it, not Python's True
    if isinstance(value, int | float):
        return value
    text = escape_controls(_flat_text(value, for_csv=True))
    # Spreadsheets run cells that start like a formula; a leading quote keeps it text.
    return "'" + text if text.startswith(_CSV_FORMULA_START) else text


def _flat_text(value: object, *, for_csv: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        if value and all(isinstance(v, dict) and ("last_period" in v or "month" in v) for v in value):
            return ("; " if for_csv else "\n").join(map(_latest_text, value))
        if value and all(isinstance(v, dict) and "statement" in v for v in value):  # facts citing a source
            if for_csv:
                return "; ".join(str(v["id"]) for v in value)
            return "\n".join(f"{v['id']}: {v['statement']}" for v in value)
        return ("; " if for_csv else ", ").join(str(v) for v in value)
    if isinstance(value, dict):
        if "others" in value:  # who else states a fact's measure, and whether they agree
            return _corroboration_text(value, for_csv=for_csv)
        if "agrees" in value and "gap" in value:  # a fact's official counterpart
            return official_text(value, for_csv=for_csv)
        if "publisher" in value:  # a source
            return str(value["id"]) if for_csv else f"{value['publisher']}, {value['published'] or 'date unknown'}"
        if set(value) == {"kind", "id"}:  # a comparison's reference: a fact's (or an observation's) id
            return str(value["id"])
        return _names_text(value, for_csv=for_csv)
    return str(value)


def _latest_text(item: dict[str, object]) -> str:
    """``bilateral-trade, Korea's statistics: year 2024, month 2025-05``, or ``FILE: 2025-05``."""
    if "last_period" in item:
        return f"{item['file']}: {item['last_period']}"
    statistics = {"Republic of Korea": "Korea's", "China": "China's"}.get(
        str(item["basis_country"]), item["basis_country"]
    )
    periods = [f"{k} {item[k]}" for k in ("year", "month") if item[k]] or ["none"]
    return f"{item['measure']}, {statistics} statistics: {', '.join(periods)}"


def _corroboration_text(found: dict[str, object], *, for_csv: bool) -> str:
    others = found["others"]
    if not isinstance(others, list) or not others:
        return "none"
    words = {True: "agrees", False: "differs", None: "different statistics"}
    lines = []
    for other in others:
        source = other["source"]
        lines.append(
            f"{other['display'] or other['period'] or other['id']} "
            f"({source['publisher']}, {source['published'] or 'date unknown'}): "
            f"{words[other['agrees']]}"
        )
    return ("; " if for_csv else "\n").join(lines)


def official_text(found: dict[str, object], *, for_csv: bool) -> str:
    """``$272.89 billion on Korea's statistics (Korea Customs Service, 2025-06-14; exports +
    imports): differs by -1.9% (-$5.29 billion)``, then any likely slip."""
    from kortrade.series import display

    whose = {"Republic of Korea": "Korea's", "China": "China's"}.get(str(found["basis_country"]), "its")
    source = found["source"]
    cited = [f"{source['publisher']}, {source['published'] or 'date unknown'}"] if isinstance(source, dict) else []
    if found["how"]:
        cited.append(str(found["how"]))
    text = f"{found['display']} on {whose} statistics ({'; '.join(cited)}): "
    if found["agrees"]:
        text += "agrees"
    else:
        gap, relative = found["gap"], found["gap_percent"]
        assert isinstance(gap, int | float)
        absolute = (
            f"{gap:+.2f} points"
            if found["unit"] == "percent"
            else (("+" if gap > 0 else "-" if gap < 0 else "") + display(abs(gap), str(found["unit"])))
        )
        text += (
            f"differs by {relative:+.1f}% ({absolute})"
            if isinstance(relative, int | float)
            else (f"differs by {absolute}")
        )
    if found.get("note"):
        text += ("; " if for_csv else "\n") + str(found["note"])
    return text


def _names_text(names: dict[str, object], *, for_csv: bool) -> str:
    """Names by language (``en: Samsung; ko: 삼성``), or by entity, then language."""
    parts = []
    for key, value in names.items():
        if isinstance(value, dict):
            parts.append(f"{key} ({_names_text(value, for_csv=for_csv)})")
        elif value:
            parts.append(f"{key}: {', '.join(str(v) for v in value)}" if isinstance(value, list) else f"{key}: {value}")
    return "; ".join(parts)


def render_markdown(view: View, out: IO[str], colour: bool) -> None:
    from kortrade.markdown import escape

    legend = view.legend(view.rows()) if view.legend is not None else []
    notes = [*legend, *view.note_lines()]
    view = view.for_people()
    records = view.rows()
    if view.single and records:
        rows = [[_header(f), _md_cell(records[0][f])] for f in view.summary]
        _write_md_table(out, ["Field", "Value"], rows, [False, False])
        return
    fields = view.summary
    rows = [[_md_cell(r[f]) for f in fields] for r in records]
    _write_md_table(out, [_header(f) for f in fields], rows, [f in RIGHT_ALIGNED for f in fields])
    if notes:
        # Lines of a paragraph each: a hard break (two spaces) ends every line but the last.
        out.write("\n" + "  \n".join(escape(escape_controls(line, one_line=True)) for line in notes) + "\n")


def _md_cell(value: object) -> str:
    from kortrade.markdown import escape

    return escape(_flat_text(value))


def _write_md_table(out: IO[str], headers: list[str], rows: list[list[str]], right: list[bool]) -> None:
    out.write("| " + " | ".join(headers) + " |\n")
    out.write("|" + "|".join("---:" if r else "---" for r in right) + "|\n")
    for row in rows:
        out.write("| " + " | ".join(row) + " |\n")


def _header(field: str) -> str:
    return HEADERS.get(field, field.capitalize())


# -- tables for people ---------------------------------------------------------------


def render_table(view: View, out: IO[str], colour: bool) -> None:
    chart = view.chart(view.rows()) if view.chart is not None else []
    legend = view.legend(view.rows()) if view.legend is not None else []
    # The legend under the chart, apart from it by a blank line.
    chart = [*chart, *([""] if chart and legend else []), *legend]
    notes = _wrapped([escape_controls(line, one_line=True) for line in view.note_lines()])
    view = view.for_people()
    rows = view.rows()
    if not rows:
        return
    if not _fits(view):
        _write_records(view, rows, out)
        return
    links = Links(hyperlinks=colour and shows_hyperlinks(sys.stdout))
    chart = [escape_controls(line, one_line=True) for line in chart]
    if view.single:
        tables: list[Table | None] = [_detail_table(view, rows[0], links)]
    elif view.group_by is None:
        tables = [_list_table(view, rows, title=None, links=links)]
    else:
        tables = [
            _list_table(view, group, title=title, links=links) for title, group in _groups(rows, view.group_by).items()
        ]
    if any(table is None for table in tables):  # an id would not fit whole: a record a block instead
        _write_records(view, rows, out)
        return
    drawn = [table for table in tables if table is not None]
    lines = Lines(out)
    for text in _drawing(chart, drawn, out, colour=colour):
        lines.write(links.restore(text))
    if notes:
        lines.write("\n" + "".join(f"{line}\n" for line in notes))
    lines.close()


def _wrapped(notes: list[str]) -> list[str]:
    """Notes under a table, wrapped to the terminal at spaces: an id or URL is never cut."""
    if not notes:
        return notes
    import textwrap

    from kortrade.table import console_width

    width = console_width()
    return [
        wrapped
        for line in notes
        for wrapped in textwrap.wrap(
            line, width, subsequent_indent="    ", break_long_words=False, break_on_hyphens=False
        )
        or [""]
    ]


# Below this width, or this much a column, a table has no room for its text (Rich drops
# cells whole at 10 columns): records are written one ``field: value`` line a cell instead.
_LEAST_TABLE_WIDTH: Final = 40
_LEAST_COLUMN_WIDTH: Final = 6


def _fits(view: View) -> bool:
    from kortrade.table import console_width

    width = console_width()
    shown = 2 if view.single else len([f for f in view.summary if f != view.group_by])
    return width >= _LEAST_TABLE_WIDTH and width >= _LEAST_COLUMN_WIDTH * shown


def _write_records(view: View, rows: list[Record], out: IO[str]) -> None:
    """Each record as ``field: value`` lines, a blank line between records: readable at any
    width, since the terminal wraps long lines and nothing is cut or dropped."""
    beneath = [f for _, extra in view.beneath for f in extra if f not in view.summary]
    fields = [*view.summary, *beneath]
    blocks = []
    for record in rows:
        lines = []
        for field in fields:
            value = record.get(field)
            if value is None or value == [] or value == "":
                continue
            text = (value if type(value) is str else _flat_text(value)).replace("\n", "; ")
            lines.append(f"{field}: {escape_controls(text, one_line=True)}\n")
        blocks.append("".join(lines))
    out.write("\n".join(blocks))
    out.flush()


def _drawing(chart: list[str], tables: list[Table], out: IO[str], *, colour: bool) -> Iterator[str]:
    """The chart's lines, then each table's, in pieces of whole lines as they are drawn: a
    pager shows the first screen of a long listing at once, and a reader that stops early
    stops the drawing."""
    from kortrade import table

    width = table.console_width()
    head = [f"{table.fit_line(line, width)}\n" for line in chart] + (["\n"] if chart else [])
    drawn = (line for spec in tables for line in table.draw(spec, out, width, colour=colour))
    return _in_pieces(head, drawn)


def _in_pieces(head: list[str], lines: Iterator[str]) -> Iterator[str]:
    yield "".join(head)
    batch: list[str] = []
    for line in lines:
        batch.append(line + "\n")
        if len(batch) >= _DRAWN_LINES:
            yield "".join(batch)
            batch = []
    yield "".join(batch)


class Lines:
    """Text written line by line as it comes, each line without trailing spaces and with no
    blank lines at the start or end: a table pads its lines to the full width and a brief's
    Markdown is framed with blank lines, and pipes, files and diffs are better without either."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.started = False
        self.blank = 0
        self.partial = ""

    def write(self, text: str) -> None:
        *complete, self.partial = (self.partial + text).split("\n")
        if not complete:
            return
        piece: list[str] = []
        for line in complete:
            line = line.rstrip()
            if not line:
                self.blank += 1
                continue
            if self.started:
                piece.append("\n" * self.blank)
            piece.append(line + "\n")
            self.started, self.blank = True, 0
        self.out.write("".join(piece))
        self.out.flush()  # a pager or `head` gets each piece as it is drawn

    def close(self) -> None:
        if self.partial.rstrip():
            self.write("\n")  # the last line, ended
        if not self.started:
            self.out.write("\n")
        self.out.flush()


_DRAWN_LINES: Final = 60


def make_console(out: IO[str], *, colour: bool) -> Console:
    from rich.console import Console

    # markup/emoji off: data text like "[bold]" or ":flag:" prints as typed.
    # FORCE_COLOR beats TERM=dumb, for which Rich's own detection picks no colours.
    system: Literal["auto", "standard"] | None = None
    if colour:
        system = "standard" if os.environ.get("TERM") == "dumb" else "auto"
    return Console(
        file=out,
        color_system=system,
        force_terminal=colour,
        markup=False,
        emoji=False,
        highlight=False,
    )


def _groups(records: list[Record], key: str) -> dict[str, list[Record]]:
    groups: dict[str, list[Record]] = {}
    for record in records:
        groups.setdefault(str(record[key]), []).append(record)
    return groups


_STYLES: Final = {"id": "cyan", "display": "bold green", "figure": "bold green", "value": "green"}


def _list_table(view: View, records: list[Record], title: str | None, links: Links) -> Table | None:
    """A table of ``records``, or None if its ids cannot all be drawn whole at this width."""
    from kortrade.table import Column, Table, console_width

    beneath = dict(view.beneath)
    hidden = {view.group_by, *(f for extra in beneath.values() for f in extra)}
    fields = [f for f in view.summary if f not in hidden]
    caps = _caps()
    expand = any(f in _WIDE for f in fields) and not any(f in _URL_FIELDS for f in fields)
    columns = [
        Column(
            "Fact" if field == "statement" and field in beneath else _header(field),
            justify="right" if field in RIGHT_ALIGNED else "left",
            style=_STYLES.get(field),
            overflow="fold",
            ratio=1 if field in _WIDE and field not in _URL_FIELDS else None,
            no_wrap=field in _NO_WRAP,
            max_width=_url_column_width() if field in _URL_FIELDS else caps.get(field),
        )
        for field in fields
    ]
    rows = [
        tuple(
            links.cell(str(record[f]))
            if f in _URL_FIELDS and record[f] and f not in beneath
            else _cell(record, f, beneath.get(f, ()), _marks(view, record, f))
            for f in fields
        )
        for record in records
    ]
    beneath_last = bool(beneath.get(fields[-1])) if fields else False
    kept = _keep_whole(
        columns,
        rows,
        links,
        width=console_width(),
        expand=expand,
        periods=[f in _PERIODS for f in fields],
        ids=[f in _ID_FIELDS for f in fields],
        whole=fields[-1] in _ID_FIELDS,
        beneath=beneath_last,
    )
    if kept is None:
        return None
    title = escape_controls(title, one_line=True) if title else None
    # Wide columns share the room left over, unless a URL column is there: Rich would give
    # the others only what its URLs leave, where without expanding they give way evenly.
    return Table(tuple(kept[0]), kept[1], title=title, expand=expand)


def _keep_whole(
    columns: list[Column],
    rows: list[tuple[Cell, ...]],
    links: Links,
    *,
    width: int,
    expand: bool,
    periods: list[bool],
    ids: list[bool],
    whole: bool,
    beneath: bool,
) -> tuple[list[Column], list[tuple[Cell, ...]]] | None:
    """The columns and rows laid out so that no id or period is cut: an id column does not
    wrap, a period column is as wide as its longest period (or its cap, if more), and the last
    column keeps room for its ids, an id longer than that room running past the table's edge
    (a token in its place, as a URL's). None if the columns before the last leave it too little;
    below :data:`_WHOLE_FROM` columns, the table as it is (a narrow terminal keeps its table)."""
    from kortrade.table import Cell, cell_len, narrow

    known: dict[tuple[int, bool], int] = {}

    def longest(index: int, *, words: bool) -> int:
        if (index, words) not in known:
            # One string, split once: for text of one-cell characters, lengths measured in C.
            joined = "\n".join([columns[index].header] + [row[index].plain for row in rows])
            pieces = joined.split() if words else joined.splitlines()
            known[index, words] = max(map(len if narrow(joined) else cell_len, pieces), default=0)
        return known[index, words]

    if width < _WHOLE_FROM:
        return columns, rows
    last = len(columns) - 1
    edges = 2 + len(columns) - 1
    most, least = [], []  # each column's width without padding: as wide as it gets, and the least it needs
    for index, column in enumerate(columns):
        if ids[index] and index != last:  # an id column does not wrap
            columns[index] = column = dataclasses.replace(column, no_wrap=True)
        if periods[index]:
            cap = column.max_width or longest(index, words=False)
            fixed = min(longest(index, words=False), max(cap, longest(index, words=True)))
            columns[index] = column = dataclasses.replace(column, width=fixed, max_width=None)
        if column.width is not None:
            most.append(column.width)
            least.append(column.width)
            continue
        cap = column.max_width or width
        most.append(min(longest(index, words=False), cap))
        # Words of other text may be cut, when it comes to that, to keep ids whole.
        words = max(min(longest(index, words=True), cap, _WORDS_KEPT), _LEAST_COLUMN_WIDTH - _PAD)
        least.append(most[-1] if column.no_wrap else words)
    apart = next((i for i in range(last) if ids[i]), None)
    if apart is not None:
        rest = sum(least) - least[apart] + _PAD * last
        if most[apart] + _PAD + rest + edges > width:
            # Too long to sit beside the others: an id longer than its column's share has a line
            # of its own, running on past the column, and the rest of its row starts under it.
            share = max(_TOKEN_LEAST, (width - edges - rest) // 2 - _PAD)
            if share + _PAD + rest + edges > width:
                return None
            rows = [_apart(row, apart, share, links) for row in rows]
            most[apart] = least[apart] = min(most[apart], share)
    natural_others = sum(most[:last]) + _PAD * last  # what the columns before the last take, at most
    least_others = sum(least[:last]) + _PAD * last  # and at least
    if width - edges - least_others - _PAD < _LEAST_COLUMN_WIDTH - _PAD:
        return None
    column = columns[last]
    protected = max(
        (
            len(word)
            for row in rows
            for number, (text, _) in enumerate(row[last].spans)
            if whole or (beneath and number == len(row[last].spans) - 1)
            for word in text.split()
            if word.isascii()
        ),
        default=0,
    )
    # The others keep their room unless the last column would have less than a token's.
    room = width - edges - natural_others - _PAD
    if room < min(protected, _TOKEN_LEAST):
        room = width - edges - least_others - _PAD
        if room < min(protected, _TOKEN_LEAST):
            return None
    new_rows = []

    def keep(match: re.Match[str]) -> str:
        word = match.group()
        # On a line of its own, as a URL is: only the id runs past the edge.
        # (An id, a period or a path is ASCII; a run of Chinese or Korean text is prose, which wraps.)
        return f"\n{links.word(word, room)}\n" if len(word) > room and word.isascii() else word

    for row in rows:
        item = row[last]
        spans = []
        for number, (text, style) in enumerate(item.spans):
            # With fields beneath, the cell's last span holds them: "\nid · topic · source".
            # (Only a word longer than the room is changed: most texts need no substitution.)
            if (whole or (beneath and number == len(item.spans) - 1)) and max(map(len, text.split()), default=0) > room:
                kept_text = _WORD_PATTERN.sub(keep, text)
                if kept_text != text:  # the spaces about a line of its own go, and no line is blank
                    text = _BLANK_LINES.sub("\n", _SPACED_BREAK.sub("\n", kept_text))
            spans.append((text, style))
        kept = Cell(tuple(spans), style=item.style, no_wrap=item.no_wrap, overflow=item.overflow)
        new_rows.append((*row[:last], kept))
    if protected:
        if room < min(protected, _TOKEN_LEAST):
            return None
        needed = min(protected, room)
        if column.ratio is not None and expand:
            columns[last] = dataclasses.replace(column, width=needed)
        elif not column.no_wrap:
            texts = "\n".join([column.header, *(r[last].plain for r in new_rows)])
            natural = max(map(len if narrow(texts) else cell_len, texts.splitlines()), default=0)
            columns[last] = dataclasses.replace(column, width=max(needed, min(natural, room)), max_width=None)
    return columns, new_rows


def _apart(row: tuple[Cell, ...], index: int, share: int, links: Links) -> tuple[Cell, ...]:
    """``row`` with the id at ``index`` on a line of its own if longer than ``share``: a token in
    its place, and every other cell starting a line lower."""
    from kortrade.table import Cell, cell_len

    item = row[index]
    if cell_len(item.plain) <= share:
        return row
    cells = []
    for number, other in enumerate(row):
        spans: tuple[tuple[str, str | None], ...]
        if number == index:
            spans = ((links.word(item.plain, share), item.spans[0][1]),)
        else:
            (first, style), *more = other.spans
            spans = (("\n" + first, style), *more)
        cells.append(Cell(spans, style=other.style, no_wrap=other.no_wrap, overflow=other.overflow))
    return tuple(cells)


def _caps() -> dict[str, int]:
    """The widest a figure or period column may be: narrower on a narrow terminal, so that
    the statement beside them keeps room (at 50 columns it had 7)."""
    from kortrade.table import console_width

    width = console_width()
    if width >= _FULL_WIDTH:
        return _MAX_WIDTHS
    caps = {field: max(_LEAST_CAP, cap * width // _FULL_WIDTH) for field, cap in _MAX_WIDTHS.items()}
    # A month range (2024-01, a dash, 2024-06) has no space to break at: it stays whole, or
    # is cut after its dash.
    return {f: cap if f not in _PERIODS or cap >= _MONTH_RANGE else _LEAST_CAP for f, cap in caps.items()}


def _url_column_width() -> int:
    from kortrade.table import console_width

    return max(_URL_COLUMN_LEAST, console_width() - _BESIDE_URLS)


def _marks(view: View, record: Record, field: str) -> tuple[tuple[int, int], ...]:
    if field != view.mark_field or "id" not in record:
        return ()
    return view.marks.get(str(record["id"]), ())


# Fields that hold ids (of facts, sources, measures, topics), to copy into ``show``: never cut.
_ID_FIELDS: Final = frozenset({"id", "source", "measure", "reference", "topic"})
_WORD_PATTERN: Final = re.compile(r"\S+")  # a word as Rich wraps text: between spaces
_SPACED_BREAK: Final = re.compile(r"[ \t]*\n[ \t]*")
_BLANK_LINES: Final = re.compile(r"\n{2,}")
_PAD: Final = 2  # a table cell's padding, a space either side
_TOKEN_LEAST: Final = 15  # the shortest a token (see Links) may be and still be put back
_WHOLE_FROM: Final = 60  # the width from which tables keep every id whole
_WORDS_KEPT: Final = 10  # the longest word of other text that a column makes room for
_WIDE: Final = frozenset({"statement", "note", "title", "url", "items", "entities", "reported"})
_NO_WRAP: Final = frozenset({"published", "facts", "url", "korea_others", "china_others"})
# A URL column is as wide as its URLs, up to all but this much of the width; a longer URL
# runs past its column. (Given a share of the room, like the other wide columns, it could
# be narrower than a URL's token, which Rich would crop past restoring.)
_BESIDE_URLS: Final = 40
_URL_COLUMN_LEAST: Final = 15  # a token: 10 hex digits, x, its number, x
# A figure or period longer than this wraps (at its spaces), so the statement keeps the room.
# A compare figure may carry marks ("[R] [W]") after it.
_MAX_WIDTHS: Final = {"display": 18, "figure": 22, "period": 16, "fact_period": 16}
_FULL_WIDTH: Final = 80  # the width those are for
_LEAST_CAP: Final = 8
_MONTH_RANGE: Final = 15
_PERIODS: Final = frozenset({"period", "fact_period"})


def table_period(period: str) -> str:
    """A period as a table shows it, breakable at spaces: ``2024-01\u20132024-07``,
    ``2026-01-05 16:47 +08:00``, ``as of 2020-12`` (JSON and CSV keep it as written)."""
    if period.startswith("../"):
        return "as of " + table_period(period[3:])
    if "/" in period:
        first, _, last = period.partition("/")
        # A month range (15 characters) fits the column joined; days and times break at the
        # dash, so that neither end is ever cut.
        dash = " \u2013 " if len(first) > len("2024-01") else "\u2013"  # an en dash
        return f"{table_period(first)}{dash}{table_period(last)}"
    if "T" in period:
        day, _, time = period.partition("T")
        zone = time[-6:] if time[-6:-5] in "+-" else ("UTC" if time.endswith("Z") else "")
        clock = time[: len(time) - len(zone)] if zone != "UTC" else time[:-1]
        return f"{day} {clock} {zone}".rstrip()
    return period


def _cell(record: Record, field: str, extra: tuple[str, ...], marks: tuple[tuple[int, int], ...] = ()) -> Cell:
    from kortrade.table import Cell

    value = record[field]
    if field in _PERIODS and isinstance(value, str):
        value = table_period(value)
    plain = value if type(value) is str else _flat_text(value)
    spans: list[tuple[str, str | None]] = _marked_spans(plain, marks) if marks else [(escape_controls(plain), None)]
    if extra:
        label = " · ".join(_flat_text(record[f]) for f in extra)
        spans.append(("\n" + escape_controls(label, one_line=True), "dim"))
    return Cell(tuple(spans))


def _marked_spans(plain: str, marks: tuple[tuple[int, int], ...]) -> list[tuple[str, str | None]]:
    """``plain`` with control characters escaped and ``marks`` styled (seen on terminals only)."""
    spans: list[tuple[str, str | None]] = []
    position = 0
    for start, end in marks:
        if start < position or end > len(plain):
            continue
        spans.append((escape_controls(plain[position:start]), None))
        spans.append((escape_controls(plain[start:end]), _MATCH_STYLE))
        position = end
    spans.append((escape_controls(plain[position:]), None))
    return spans


_MATCH_STYLE: Final = "bold yellow"


def _detail_table(view: View, record: Record, links: Links) -> Table | None:
    from kortrade.table import Cell, Column, Table, cell, console_width

    columns = (Column("field", style="bold", no_wrap=True), Column("value", overflow="fold"))
    rows: list[tuple[Cell, ...]] = []
    for field in view.summary:
        value = record[field]
        if value is None or value == []:
            continue
        if field in _URL_FIELDS:
            text = links.token(str(value))
        elif isinstance(value, dict) and "publisher" in value:
            *lines, url = _source_lines(value).split("\n")
            text = "\n".join([escape_controls("\n".join(lines)), links.token(url)])
        else:
            text = escape_controls(_flat_text(value))
        rows.append((cell(_header(field)), Cell(((text, None),), style=_STYLES.get(field, ""))))
    # Every word of a value is kept whole: ids, periods, names to copy.
    width = console_width()
    kept = _keep_whole(
        list(columns),
        rows,
        links,
        width=width,
        expand=False,
        periods=[False] * 2,
        ids=[False] * 2,
        whole=True,
        beneath=False,
    )
    return None if kept is None else Table(tuple(kept[0]), kept[1], show_header=False)


def _source_lines(source: dict[str, object]) -> str:
    published = source["published"] or "date unknown"
    return "\n".join([str(source["title"]), f"{source['publisher']}, {published}", str(source["url"])])


# -- URLs on a terminal ----------------------------------------------------------------

_URL_FIELDS: Final = frozenset({"url"})


class Links:
    """URLs kept whole on a terminal: Rich lays out a token in each one's place, then the URL replaces it.

    Rich folds a word longer than its column at the column's edge, which would cut a
    URL in two and make it useless to click or copy. A token is short and does not
    break; the URL put back in its place stays on one line, running past the table's
    edge if it must (the terminal then wraps it without a newline, so a copy is whole).
    Tokens hold random hex digits, so no data text is ever taken for one.
    """

    def __init__(self, *, hyperlinks: bool) -> None:
        self.hyperlinks = hyperlinks
        self._tag = os.urandom(5).hex()  # not secrets: it imports hashlib, which a lookup must not pay for
        self._urls: list[str] = []
        self._words: set[int] = set()  # tokens for words, not URLs: put back without a link
        self._pattern = re.compile(re.escape(self._tag) + r"x(\d+)x+")

    def token(self, url: str, width: int = 0) -> str:
        """A word to lay out in ``url``'s place, ``width`` long if that is more than its minimum."""
        self._urls.append(url)
        token = f"{self._tag}x{len(self._urls) - 1}x"
        return token + "x" * (width - len(token))

    def word(self, word: str, width: int) -> str:
        """A token ``width`` long in place of ``word`` (an id, say), put back as it is."""
        self._words.add(len(self._urls))
        return self.token(word, width)

    def cell(self, url: str) -> Cell:
        """A table cell for ``url``: as wide as the URL when the table has room, cut short (and put back) when not."""
        from kortrade.table import Cell

        return Cell(((self.token(url, len(url)), None),), no_wrap=True, overflow="crop")

    def restore(self, text: str) -> str:
        """``text`` with every token, whole or cut short by Rich, replaced by its URL."""
        if not self._urls:
            return text
        return self._pattern.sub(lambda m: self._put_back(int(m.group(1))), text)

    def _put_back(self, number: int) -> str:
        text = self._urls[number]
        return text if number in self._words else self.show(text)

    def show(self, url: str) -> str:
        return hyperlink(url) if self.hyperlinks else escape_controls(url, one_line=True)


def write_terminal_markdown(text: str, urls: Iterable[str], out: IO[str]) -> None:
    """Markdown drawn with Rich for a terminal, each of ``urls`` kept whole (see :class:`Links`)."""
    from rich.markdown import Markdown

    from kortrade.markdown import escape

    links = Links(hyperlinks=shows_hyperlinks(sys.stdout))
    # Longest first, so that a URL which begins another is not replaced inside it.
    for url in sorted(set(urls), key=len, reverse=True):
        text = text.replace(escape(url), links.token(url))
    console = make_console(out, colour=True)
    with console.capture() as capture:
        console.print(Markdown(text))
    # Without the padding Rich adds after a line's end, a URL put back there ends the line.
    out.write("\n".join(line.rstrip() for line in links.restore(capture.get()).split("\n")))


RENDERERS: Final[dict[Format, Callable[[View, IO[str], bool], None]]] = {
    Format.table: render_table,
    Format.json: render_json,
    Format.jsonl: render_jsonl,
    Format.csv: render_csv,
    Format.markdown: render_markdown,
}
