"""Observations from official data files: a Frictionless data package and its CSV files.

A facts file's ``series`` key names a data package (``datapackage.json``). Each of its
resources is a CSV file with a Table Schema and a ``kortrade`` property that says how a
row becomes observations, declaratively, so no file has code of its own here:

- ``source``: the id of the facts file's source the file is;
- ``reporter`` and ``partner``: an entity name, or ``{"field": F, "map": {value: name}}``;
- ``period``: ``{"field": F, "format": "YYYY" | "YYYY-MM" | "YYYY.MM"}``;
- either ``flow`` (``{"field": F, "map": {value: [flow, valuation or null]}}``) with
  ``value`` (``{"field": F}``), or ``values``: ``{flow: {"field": F, "valuation": V}}``;
- ``unit`` (``USD``) and ``scale``, what a file's number is multiplied by (``1000000``
  for millions).

The package's own ``kortrade`` property gives ``codes``, the short code of each entity
that observation ids use (``KOR``, ``CHN``). Every problem is a :class:`Problem` at the
file, line and column it is in; nothing is ever written to these files.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Final

from kortrade.errors import DataError, Problem
from kortrade.model import FLOWS, DataFile, Observation, Period, Source

if TYPE_CHECKING:
    import yaml

PERIOD_FORMATS: Final = {
    "YYYY": (re.compile(r"([0-9]{4})"), "1992"),
    "YYYY-MM": (re.compile(r"([0-9]{4})-([0-9]{2})"), "2001-01"),
    "YYYY.MM": (re.compile(r"([0-9]{4})\.([0-9]{2})"), "2001.01"),
}
# Entities a partner may be that are not countries a facts file lists.
WORLD: Final = "World"
MAPPING_KEYS: Final = ("source", "reporter", "partner", "period", "flow", "value", "values", "unit", "scale")
MAPPING_REQUIRED: Final = ("source", "reporter", "partner", "period", "unit", "scale")
MAX_SAFE_INT: Final = 2**53 - 1
_INTEGER = re.compile(r"[-+]?[0-9]+")
_NUMBER = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?")
_CODE = re.compile(r"[A-Za-z0-9]+")
# One CSV cell: quoted (a doubled quote inside stands for one), or plain up to the next comma.
_CELL = re.compile(r'"((?:[^"]|"")*)"(?=,|$)|([^,"]*)(?=,|$)')
_WHAT: Final = "expected a Frictionless data package (datapackage.json) with a 'kortrade' mapping"


class SeriesMissing(Exception):
    """The data package itself cannot be read; the facts file's ``series`` key is at fault."""


@dataclass
class Series:
    """What a data package gave: its observations, the files read, and every problem."""

    observations: list[Observation] = field(default_factory=list)
    files: list[DataFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_data_file(path: str) -> tuple[bytes, DataFile]:
    """A file's bytes and what the index records of it; ``OSError`` when it cannot be read."""
    import hashlib
    import stat

    with open(path, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise IsADirectoryError(21, "not a regular file")
        raw = handle.read()
    real = os.path.realpath(path)
    digest = hashlib.sha256(raw).hexdigest()
    return raw, DataFile(
        real, digest, status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns
    )


def _why(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a directory, not a file"
    return f"cannot read: {exc.strerror or type(exc).__name__}"


def load_series(package: str, sources: dict[str, Source], entities: set[str] | None) -> Series:
    """Read the data package at ``package`` and every resource it maps; raise
    :class:`SeriesMissing` when the package file itself cannot be read."""
    series = Series()
    try:
        raw, record = read_data_file(package)
    except OSError as exc:
        raise SeriesMissing(_why(exc)) from None
    series.files.append(record)
    from kortrade.load import decode_utf8

    try:
        text = decode_utf8(raw, package)
    except DataError as exc:
        series.problems.extend(exc.problems)
        return series
    import json

    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        series.problems.append(Problem(package, exc.lineno, exc.colno, f"not JSON: {exc.msg}; {_WHAT}", "series"))
        return series
    except RecursionError:
        series.problems.append(Problem(package, None, None, f"JSON nesting is too deep; {_WHAT}", "series"))
        return series
    reader = _PackageReader(package, text, series, sources, entities)
    reader.read(document)
    return series


class _Locator:
    """Lines and columns of a JSON document's values, found by composing it as YAML (JSON's superset)."""

    def __init__(self, text: str) -> None:
        self.root: yaml.Node | None = None
        try:
            from kortrade.load import compose_yaml

            self.root = compose_yaml(text, "")
        except (DataError, RecursionError):
            self.root = None  # positions then fall back to the start of the file

    def at(self, path: tuple[Any, ...], *, key: bool = False) -> tuple[int, int]:
        """Where the value at ``path`` starts (its key's start with ``key``), else its nearest parent."""
        import yaml

        node = self.root
        if node is None:
            return 1, 1
        best = node.start_mark
        for step in path:
            found = None
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == step:
                        found, best = v, (k.start_mark if key and step is path[-1] else v.start_mark)
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                found = node.value[step]
                best = found.start_mark
            if found is None:
                break
            node = found
        return best.line + 1, best.column + 1


@dataclass(frozen=True, slots=True)
class _Column:
    """A row's field read through a map (``map`` None: the value is taken as it is)."""

    index: int
    name: str
    map: dict[str, Any] | None
    what: str


@dataclass(frozen=True, slots=True)
class _Mapping:
    resource: str
    source: Source
    path: str
    fields: tuple[str, ...]
    types: tuple[str, ...]
    reporter: str | _Column
    partner: str | _Column
    period: _Column
    granularity: str
    period_format: str
    flow: _Column | None
    # (flow, valuation, column) of each value a row gives.
    values: tuple[tuple[str | None, str | None, _Column], ...]
    unit: str
    scale: Decimal


class _PackageReader:
    def __init__(
        self, package: str, text: str, series: Series, sources: dict[str, Source], entities: set[str] | None
    ) -> None:
        self.package = package
        self.series = series
        self.sources = sources
        self.entities = entities
        self.locator = _Locator(text)
        self.codes: dict[str, str] = {}
        self.ids: set[str] = set()

    def fail(self, path: tuple[Any, ...], message: str, rule: str = "series", *, key: bool = False) -> None:
        line, column = self.locator.at(path, key=key)
        self.series.problems.append(Problem(self.package, line, column, message, rule))

    # -- the package ----------------------------------------------------------------

    def read(self, document: object) -> None:
        if not isinstance(document, dict) or not isinstance(document.get("resources"), list):
            self.fail((), f"not a data package: no 'resources' list; {_WHAT}")
            return
        own = document.get("kortrade")
        codes = own.get("codes") if isinstance(own, dict) else None
        if not isinstance(codes, dict) or not codes:
            self.fail(
                ("kortrade",) if isinstance(own, dict) else (),
                "the data package's 'kortrade' property needs "
                '\'codes\': each entity\'s code for observation ids, e.g. {"Republic of Korea": "KOR"}',
            )
            return
        for name, code in codes.items():
            if not isinstance(code, str) or not _CODE.fullmatch(code):
                self.fail(("kortrade", "codes", name), f"the code of '{name}' must be letters and digits, like KOR")
            else:
                self.codes[name] = code.casefold()
        names: dict[str, int] = {}
        for index, resource in enumerate(document["resources"]):
            mapping = self._mapping(index, resource, names)
            if mapping is not None:
                self._read_rows(index, mapping)

    def _mapping(self, index: int, resource: object, names: dict[str, int]) -> _Mapping | None:
        at = ("resources", index)
        if not isinstance(resource, dict):
            self.fail(at, "a resource must be an object with name, path, schema and kortrade")
            return None
        before = len(self.series.problems)
        name, path = resource.get("name"), resource.get("path")
        if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name):
            self.fail((*at, "name"), "a resource needs a 'name' that is a lowercase slug, like imf-dots")
        elif name in names:
            self.fail((*at, "name"), f"duplicate resource name '{name}' (first is resource {names[name] + 1})")
        else:
            names[name] = index
        if not isinstance(path, str) or not path or os.path.isabs(path) or ".." in re.split(r"[/\\]", path):
            self.fail(
                (*at, "path"), "a resource's 'path' must be a file name relative to the data package, inside its folder"
            )
        schema = resource.get("schema")
        fields = schema.get("fields") if isinstance(schema, dict) else None
        if not isinstance(fields, list) or not all(
            isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields
        ):
            self.fail((*at, "schema"), "a resource needs a Table Schema: 'schema' with 'fields', each with a 'name'")
            return None
        mapping = resource.get("kortrade")
        if not isinstance(mapping, dict):
            self.fail(at, f"resource '{name}' has no 'kortrade' mapping; {_WHAT}")
            return None
        if len(self.series.problems) > before:
            return None
        return self._read_mapping(at, str(name), str(path), fields, mapping)

    def _read_mapping(
        self, at: tuple[Any, ...], name: str, path: str, fields: list[dict[str, Any]], mapping: dict[str, Any]
    ) -> _Mapping | None:
        before = len(self.series.problems)
        at = (*at, "kortrade")
        for key in mapping:
            if key not in MAPPING_KEYS:
                hint = difflib.get_close_matches(key, MAPPING_KEYS, n=1)
                maybe = f" (did you mean '{hint[0]}'?)" if hint else ""
                self.fail(
                    (*at, key),
                    f"unknown key '{key}' in a kortrade mapping{maybe}; expected one of: {', '.join(MAPPING_KEYS)}",
                    key=True,
                )
        for key in MAPPING_REQUIRED:
            if key not in mapping:
                self.fail(at, f"the kortrade mapping of '{name}' is missing '{key}'")
        if ("flow" in mapping) == ("values" in mapping) or ("flow" in mapping) != ("value" in mapping):
            self.fail(at, "a kortrade mapping needs either 'flow' and 'value', or 'values' (one column per flow)")
        if len(self.series.problems) > before:
            return None
        names = tuple(str(f["name"]) for f in fields)
        types = tuple(str(f.get("type", "string")) for f in fields)
        source = self._source((*at, "source"), mapping["source"])
        reporter = self._party((*at, "reporter"), mapping["reporter"], names, "reporter")
        partner = self._party((*at, "partner"), mapping["partner"], names, "partner")
        period, period_format = self._period((*at, "period"), mapping["period"], names)
        flow = None
        values: list[tuple[str | None, str | None, _Column]] = []
        if "flow" in mapping:
            flow = self._flow((*at, "flow"), mapping["flow"], names)
            column = self._column((*at, "value"), mapping["value"], names, "value")
            if column is not None:
                values.append((None, None, column))
        else:
            values = self._values((*at, "values"), mapping["values"], names)
        unit, scale = mapping["unit"], mapping["scale"]
        if not isinstance(unit, str) or not unit.strip():
            self.fail((*at, "unit"), "'unit' must be text, like USD")
        if isinstance(scale, bool) or not isinstance(scale, int | float) or not 0 < scale < 1e18:
            self.fail(
                (*at, "scale"),
                "'scale' must be a positive number: what a value in the file is multiplied by (1000000 for millions)",
            )
        if len(self.series.problems) > before or source is None or period is None or reporter is None:
            return None
        if partner is None:
            return None
        assert period_format is not None
        granularity = "year" if period_format == "YYYY" else "month"
        return _Mapping(
            name,
            source,
            path,
            names,
            types,
            reporter,
            partner,
            period,
            granularity,
            period_format,
            flow,
            tuple(values),
            str(unit),
            Decimal(str(scale)),
        )

    def _source(self, at: tuple[Any, ...], value: object) -> Source | None:
        if isinstance(value, str) and value in self.sources:
            return self.sources[value]
        hint = difflib.get_close_matches(str(value), list(self.sources), n=1)
        maybe = f" (did you mean '{hint[0]}'?)" if hint else ""
        self.fail(at, f"unknown source '{value}'{maybe}; expected the id of a source in the facts file", "series")
        return None

    def _entity(self, at: tuple[Any, ...], name: object) -> bool:
        """Is ``name`` an entity the facts file lists (or the World), with a code?"""
        if not isinstance(name, str) or not name.strip():
            self.fail(at, f"expected an entity name, got {name!r}")
            return False
        if self.entities is not None and name != WORLD and name not in self.entities:
            hint = difflib.get_close_matches(name, sorted(self.entities), n=1)
            maybe = f" (did you mean '{hint[0]}'?)" if hint else ""
            self.fail(at, f"'{name}' is not an entity of the facts file{maybe}; expected an entity name or '{WORLD}'")
            return False
        if name not in self.codes:
            self.fail(at, f"'{name}' has no code in the data package's kortrade 'codes' (used in observation ids)")
            return False
        return True

    def _field(self, at: tuple[Any, ...], spec: object, names: tuple[str, ...]) -> int | None:
        wanted = spec.get("field") if isinstance(spec, dict) else None
        if not isinstance(wanted, str):
            self.fail(at, "expected an object with 'field': the name of a column of the resource's schema")
            return None
        if wanted not in names:
            hint = difflib.get_close_matches(wanted, names, n=1)
            maybe = f" (did you mean '{hint[0]}'?)" if hint else ""
            self.fail(
                (*at, "field"),
                f"no field '{wanted}' in the resource's schema{maybe}; its fields are: {', '.join(names)}",
            )
            return None
        return names.index(wanted)

    def _column(self, at: tuple[Any, ...], spec: object, names: tuple[str, ...], what: str) -> _Column | None:
        index = self._field(at, spec, names)
        return None if index is None else _Column(index, names[index], None, what)

    def _party(self, at: tuple[Any, ...], spec: object, names: tuple[str, ...], what: str) -> str | _Column | None:
        """A reporter or partner: one entity for every row, or a column read through a map."""
        if isinstance(spec, str):
            return spec if self._entity(at, spec) else None
        index = self._field(at, spec, names)
        table = spec.get("map") if isinstance(spec, dict) else None
        if not isinstance(table, dict) or not table:
            self.fail(at, f"'{what}' needs a 'map' from the file's values to entity names")
            return None
        # Every name checked, so each unknown one is reported, not only the first.
        known = [self._entity((*at, "map", value), name) for value, name in table.items()]
        if index is None or not all(known):
            return None
        return _Column(index, names[index], table, what)

    def _period(self, at: tuple[Any, ...], spec: object, names: tuple[str, ...]) -> tuple[_Column | None, str | None]:
        index = self._field(at, spec, names)
        form = spec.get("format") if isinstance(spec, dict) else None
        if form not in PERIOD_FORMATS:
            self.fail((*at, "format"), f"'format' must be one of {', '.join(PERIOD_FORMATS)}, got {form!r}")
            return None, None
        if index is None:
            return None, None
        return _Column(index, names[index], None, "period"), str(form)

    def _flow(self, at: tuple[Any, ...], spec: object, names: tuple[str, ...]) -> _Column | None:
        index = self._field(at, spec, names)
        table = spec.get("map") if isinstance(spec, dict) else None
        if not isinstance(table, dict) or not table:
            self.fail(at, "'flow' needs a 'map' from the file's values to [flow, valuation]")
            return None
        clean: dict[str, tuple[str, str | None]] = {}
        for value, target in table.items():
            pair = target if isinstance(target, list) else [target, None]
            if len(pair) != 2 or pair[0] not in FLOWS or not (pair[1] is None or isinstance(pair[1], str)):
                self.fail(
                    (*at, "map", value),
                    f"expected [flow, valuation] with a flow of {', '.join(FLOWS)} and a valuation (FOB, CIF) or null",
                )
                continue
            clean[value] = (pair[0], pair[1])
        if index is None or len(clean) != len(table):
            return None
        return _Column(index, names[index], clean, "flow")

    def _values(
        self, at: tuple[Any, ...], spec: object, names: tuple[str, ...]
    ) -> list[tuple[str | None, str | None, _Column]]:
        if not isinstance(spec, dict) or not spec:
            self.fail(at, f"'values' must map a flow ({', '.join(FLOWS)}) to {{\"field\": column}}")
            return []
        found: list[tuple[str | None, str | None, _Column]] = []
        for flow, column_spec in spec.items():
            if flow not in FLOWS:
                hint = difflib.get_close_matches(flow, FLOWS, n=1)
                maybe = f" (did you mean '{hint[0]}'?)" if hint else ""
                self.fail((*at, flow), f"unknown flow '{flow}'{maybe}; expected one of: {', '.join(FLOWS)}", key=True)
                continue
            column = self._column((*at, flow), column_spec, names, flow)
            valuation = column_spec.get("valuation") if isinstance(column_spec, dict) else None
            if valuation is not None and not isinstance(valuation, str):
                self.fail((*at, flow, "valuation"), "'valuation' must be text (FOB, CIF) or null")
                continue
            if column is not None:
                found.append((flow, valuation, column))
        return found

    # -- the rows -----------------------------------------------------------------------

    def _read_rows(self, index: int, mapping: _Mapping) -> None:
        name = os.path.join(os.path.dirname(self.package), mapping.path)
        try:
            raw, record = read_data_file(name)
        except OSError as exc:
            self.fail(
                ("resources", index, "path"),
                f"resource '{mapping.resource}': {_why(exc)}: {name}; expected a CSV file beside the data package",
            )
            return
        self.series.files.append(record)
        from kortrade.load import decode_utf8

        try:
            text = decode_utf8(raw, name)
        except DataError as exc:
            self.series.problems.extend(exc.problems)
            return
        _Rows(name, mapping, self.codes, self.series, self.ids).read(text)


class _Rows:
    """The rows of one CSV file, each read into observations by its resource's mapping."""

    def __init__(self, name: str, mapping: _Mapping, codes: dict[str, str], series: Series, ids: set[str]) -> None:
        self.name = name
        self.mapping = mapping
        self.codes = codes
        self.series = series
        self.ids = ids
        self.periods: dict[str, Period | None] = {}
        self.seen: dict[tuple[str, str, str, str], int] = {}
        self.hints: dict[tuple[str, str], str] = {}

    def fail(self, line: int, column: int, message: str, rule: str) -> None:
        self.series.problems.append(Problem(self.name, line, column, message, rule))

    def read(self, text: str) -> None:
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if not lines:
            self.fail(1, 1, f"the file is empty; expected a header: {', '.join(self.mapping.fields)}", "csv")
            return
        if not self._header(lines[0].removesuffix("\r")):
            return
        width = len(self.mapping.fields)
        for number, line in enumerate(lines[1:], start=2):
            cells = _cells(line.removesuffix("\r"))
            if cells is None:
                self.fail(
                    number,
                    1,
                    "a quote that does not close in this row (a cell cannot span lines); "
                    'expected cells like "text" or text, separated by commas',
                    "csv",
                )
                continue
            if len(cells) != width:
                what = "a blank row" if line.strip() == "" else f"{len(cells)} cells"
                self.fail(number, 1, f"{what}; expected {width} cells ({', '.join(self.mapping.fields)})", "csv")
                continue
            self._row(number, cells)

    def _header(self, line: str) -> bool:
        cells = _cells(line)
        expected = self.mapping.fields
        names = [c for c, _ in cells] if cells is not None else None
        if names == list(expected):
            return True
        if cells is None:
            self.fail(1, 1, f"a quote that does not close in the header; expected: {', '.join(expected)}", "csv")
            return False
        for n, (cell, start) in enumerate(cells):
            if n >= len(expected):
                self.fail(
                    1, start, f"header has {len(cells)} columns; expected {len(expected)}: {', '.join(expected)}", "csv"
                )
                return False
            if cell != expected[n]:
                self.fail(
                    1,
                    start,
                    f"header column {n + 1} is '{cell}'; expected '{expected[n]}' "
                    f"(the schema's fields: {', '.join(expected)})",
                    "csv",
                )
                return False
        end = len(line) + 1
        self.fail(1, end, f"header has {len(cells)} columns; expected {len(expected)}: {', '.join(expected)}", "csv")
        return False

    def _row(self, number: int, cells: list[tuple[str, int]]) -> None:
        m = self.mapping
        reporter = self._party(number, cells, m.reporter)
        partner = self._party(number, cells, m.partner)
        period = self._period(number, cells)
        flow_valuation: tuple[str, str | None] | None = None
        if m.flow is not None:
            cell, start = cells[m.flow.index]
            assert m.flow.map is not None
            flow_valuation = m.flow.map.get(cell)
            if flow_valuation is None:
                self._unmapped(number, start, cell, m.flow)
        readings = []
        for flow, valuation, column in m.values:
            value = self._value(number, cells, column)
            readings.append((flow, valuation, value))
        if reporter is None or partner is None or period is None or any(v is None for _, _, v in readings):
            return
        if m.flow is not None and flow_valuation is None:
            return
        found = []
        for flow, valuation, value in readings:
            if flow is None:
                assert flow_valuation is not None
                flow, valuation = flow_valuation
            assert value is not None
            found.append((flow, valuation, value))
        # One row, one problem: a repeated row repeats each of its flows.
        repeated = [
            (flow, self.seen[key])
            for flow, _, _ in found
            if (key := (reporter, partner, flow, period.text)) in self.seen
        ]
        if repeated:
            flows = ", ".join(flow for flow, _ in repeated)
            self.fail(
                number,
                1,
                f"duplicate row: {reporter}'s {flows} with {partner} for {period.text} "
                f"already on line {repeated[0][1]}; expected one row each",
                "duplicate-row",
            )
            return
        for flow, valuation, value in found:
            self.seen[(reporter, partner, flow, period.text)] = number
            ident = f"{m.resource}-{period.text}-{self.codes[reporter]}-{self.codes[partner]}-{flow}"
            if ident in self.ids:
                self.fail(number, 1, f"observation id '{ident}' is already taken by another resource", "duplicate-row")
                continue
            self.ids.add(ident)
            self.series.observations.append(
                Observation(
                    ident,
                    m.source,
                    reporter,
                    partner,
                    flow,
                    period,
                    value,
                    m.unit,
                    valuation,
                    m.resource,
                    self.name,
                    number,
                )
            )

    def _party(self, number: int, cells: list[tuple[str, int]], spec: str | _Column) -> str | None:
        if isinstance(spec, str):
            return spec
        cell, start = cells[spec.index]
        assert spec.map is not None
        name = spec.map.get(cell)
        if name is None:
            self._unmapped(number, start, cell, spec)
        return name if isinstance(name, str) else None

    def _unmapped(self, number: int, start: int, cell: str, spec: _Column) -> None:
        assert spec.map is not None
        key = (spec.name, cell)
        if key not in self.hints:
            hint = difflib.get_close_matches(cell, list(spec.map), n=1)
            self.hints[key] = f" (did you mean '{hint[0]}'?)" if hint else ""
        known = ", ".join(f"'{v}'" for v in spec.map)
        self.fail(
            number,
            start,
            f"unknown {spec.what} '{cell}' in column '{spec.name}'{self.hints[key]}; "
            f"expected one the data package maps: {known}",
            "unmapped-value",
        )

    def _period(self, number: int, cells: list[tuple[str, int]]) -> Period | None:
        cell, start = cells[self.mapping.period.index]
        if cell in self.periods:
            period = self.periods[cell]
        else:
            period = self.periods[cell] = self._parse_period(cell)
        if period is None:
            form = self.mapping.period_format
            pattern, example = PERIOD_FORMATS[form]
            match = pattern.fullmatch(cell)
            if match and match.lastindex == 2 and not 1 <= int(match[2]) <= 12:
                message = f"month {match[2]} in '{cell}'; expected a month 01-12"
            elif match:
                message = f"year {match[1]} in '{cell}' is not a year kortrade reads; expected 0001-9999"
            else:
                message = f"period '{cell}' is not in the format {form}; expected a period like {example}"
            self.fail(number, start, f"{message} (column '{self.mapping.period.name}')", "period")
        return period

    def _parse_period(self, cell: str) -> Period | None:
        from kortrade.periods import parse_period

        pattern, _ = PERIOD_FORMATS[self.mapping.period_format]
        match = pattern.fullmatch(cell)
        if match is None:
            return None
        text = match[1] if match.lastindex == 1 else f"{match[1]}-{match[2]}"
        return parse_period(text)

    def _value(self, number: int, cells: list[tuple[str, int]], column: _Column) -> int | float | None:
        cell, start = cells[column.index]
        kind = self.mapping.types[column.index]
        pattern = _INTEGER if kind == "integer" else _NUMBER
        if not pattern.fullmatch(cell):
            what = "an empty value" if not cell.strip() else f"'{cell}'"
            expected = "a whole number (digits only)" if kind == "integer" else "a number (digits, one '.')"
            self.fail(number, start, f"{what} in column '{column.name}'; expected {expected}", "number")
            return None
        try:
            exact = Decimal(cell) * self.mapping.scale
            # Compared before any int() is made of it: 1e99999 would take a long time to become one.
            too_large = abs(exact) > MAX_SAFE_INT
        except InvalidOperation:
            self.fail(number, start, f"'{cell}' in column '{column.name}' cannot be read; expected a number", "number")
            return None
        except ArithmeticError:  # past the largest exponent a decimal takes
            too_large = True
        if too_large:
            self.fail(
                number,
                start,
                f"'{cell}' in column '{column.name}' is beyond 2**53 - 1 once scaled; expected a smaller figure",
                "number-range",
            )
            return None
        if exact == exact.to_integral_value():
            return int(exact)
        return float(exact)


def _cells(line: str) -> list[tuple[str, int]] | None:
    """A CSV line's cells with the 1-based column each starts at; None for an unclosed quote."""
    if '"' not in line:
        cells = []
        column = 1
        for cell in line.split(","):
            cells.append((cell, column))
            column += len(cell) + 1
        return cells
    found: list[tuple[str, int]] = []
    position = 0
    while True:
        match = _CELL.match(line, position)
        if match is None:
            return None
        quoted = match[1]
        found.append((quoted.replace('""', '"') if quoted is not None else match[2], position + 1))
        if match.end() >= len(line):
            return found
        position = match.end() + 1
