"""Build a :class:`Dataset` from YAML nodes, checking every rule of the facts format.

Nothing here constructs objects from YAML tags: scalars are read by their resolved
tag, any other tag is refused, and every problem is kept with its line and column so
that a file with ten mistakes gets ten lines, not one.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, TypeAlias, TypeVar

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from kortrade.errors import DataError, Problem
from kortrade.lines import LineCounter
from kortrade.model import (
    ENTITY_KINDS,
    MEASURE_KINDS,
    QUALIFIERS,
    SLUG_RE,
    SOURCE_KINDS,
    Dataset,
    Entity,
    Fact,
    Measure,
    Number,
    PartialDate,
    Period,
    Source,
)
from kortrade.periods import iso_date, parse_period, parse_published

FORMAT_VERSION: Final = 1
MAX_PROBLEMS: Final = 100
# "Did you mean" compares with at most this many names (of about the same length and
# first letter, when there are more).
_HINT_POOL: Final = 300
# Larger integers lose precision in JSON consumers such as JavaScript and jq.
MAX_SAFE_INT: Final = 2**53 - 1

if TYPE_CHECKING:
    from kortrade.series_load import Series

_STD = "tag:yaml.org,2002:"
TOP_KEYS: Final = ("version", "sources", "entities", "measures", "facts", "series")
TOP_REQUIRED: Final = ("version", "sources", "facts")
ENTITY_KEYS: Final = ("name", "kind", "names", "country")
SOURCE_KEYS: Final = ("id", "title", "publisher", "published", "url", "kind", "language", "via", "date_note")
# A page whose date is unknown leaves out `published` and says why in `date_note`.
SOURCE_REQUIRED: Final = ("id", "title", "publisher", "url")
MEASURE_KEYS: Final = ("id", "label", "kind", "periodic", "note")
MEASURE_REQUIRED: Final = ("id", "label")
MAX_DECIMALS: Final = 12
FACT_KEYS: Final = (
    "id",
    "topic",
    "statement",
    "value",
    "unit",
    "qualifier",
    "period",
    "entities",
    "items",
    "tags",
    "note",
    "source",
    "measure",
    "basis",
    "value_text",
    "decimals",
)
FACT_REQUIRED: Final = ("id", "topic", "statement", "source")

# No spaces, control or invisible formatting characters (bidi overrides): a URL goes
# into terminal hyperlinks, Markdown links and HTML.
URL_PATTERN: Final = r"https?://[^\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]+"
LANGUAGE_PATTERN: Final = r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*"
_URL_RE = re.compile(URL_PATTERN)
_LANGUAGE_RE = re.compile(LANGUAGE_PATTERN)
# Plain scalars that PyYAML (YAML 1.1) reads as text but YAML 1.2 tools read as
# numbers, booleans or null: accepting them would make the file mean different
# things to different tools.
_YAML12_NON_TEXT = re.compile(
    r"null|Null|NULL|~|true|True|TRUE|false|False|FALSE"
    r"|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?"
    r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)
# Numbers every YAML version reads alike; YAML 1.1 turns 010 into 8 and 1:30 into 90.
# (.nan and .inf pass here and are refused below, with a message of their own.)
_DECIMAL = re.compile(r"[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")
_KIND_WORDS: Final = {
    "bool": "a boolean",
    "int": "a number",
    "float": "a number",
    "timestamp": "a date",
    "null": "an empty value",
    "str": "text",
    "seq": "a list",
    "map": "a mapping",
}
_constructor = SafeConstructor()
_Getter: TypeAlias = Callable[[str], yaml.Node | None]


def short_tag(tag: str) -> str:
    return "!!" + tag[len(_STD) :] if tag.startswith(_STD) else tag


def kind_of(node: yaml.Node) -> str:
    """``str``, ``int``, ``seq``... for standard tags; the raw tag for any other."""
    tag: str = node.tag
    kind = _KINDS.get(tag)
    if kind is None:
        kind = tag[len(_STD) :] if tag.startswith(_STD) else tag
    return kind


# Called for every node of a big file: the standard tags are looked up, not sliced.
_KINDS: Final = {_STD + k: k for k in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge")}


def describe(node: yaml.Node) -> str:
    kind = kind_of(node)
    word = _KIND_WORDS.get(kind)
    if word is None:
        return f"a value tagged '{short_tag(node.tag)}' (tags are not supported)"
    if isinstance(node, yaml.ScalarNode) and kind != "null":
        return f"{word} ({_clip(node.value)})"
    return word


def _clip(text: str, width: int = 40) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


class Checker:
    """Reads typed values out of nodes, recording a :class:`Problem` for each misfit."""

    def __init__(self, name: str, lines: LineCounter | None = None) -> None:
        self.name = name
        self.lines = lines or LineCounter("")
        self._hints: dict[tuple[str, int], str] = {}
        self.problems: list[Problem] = []
        self._flattened: dict[int, list[tuple[yaml.Node, yaml.Node]]] = {}

    def fail(self, node: yaml.Node, message: str, rule: str) -> None:
        line, column = self.lines.position(node.start_mark)
        self.problems.append(Problem(self.name, line, column, message, rule))

    def line_of(self, node: yaml.Node) -> int:
        return self.lines.position(node.start_mark)[0]

    # -- containers ---------------------------------------------------------

    def mapping(self, node: yaml.Node, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]] | None:
        if not isinstance(node, yaml.MappingNode) or kind_of(node) != "map":
            self.fail(node, f"expected {what} as a mapping (key: value), got {describe(node)}", "type")
            return None
        pairs: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in self._pairs(node):
            if not isinstance(key, yaml.ScalarNode) or kind_of(key) != "str":
                self.fail(key, f"expected a text key in {what}, got {describe(key)}", "text-key")
            elif key.value in pairs and pairs[key.value][0] is not key:
                first = self.line_of(pairs[key.value][0])
                self.fail(key, f"duplicate key '{_clip(key.value)}' in {what} (first at line {first})", "duplicate-key")
            else:
                pairs.setdefault(key.value, (key, value))
        return pairs

    def _pairs(self, node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
        """Explicit pairs, then those merged in with ``<<`` (explicit keys win).

        Each mapping is flattened once and remembered, so aliases that merge the same
        mapping many times (a "merge bomb") cost no more than merging it once.
        """
        cached = self._flattened.get(id(node))
        if cached is not None:
            return cached
        self._flattened[id(node)] = []  # a merge cycle finds this empty list and stops
        pairs: list[tuple[yaml.Node, yaml.Node]] = []
        sources: list[yaml.Node] = []
        for key, value in node.value:
            if kind_of(key) == "merge":
                sources.extend(value.value if isinstance(value, yaml.SequenceNode) else [value])
            else:
                pairs.append((key, value))
        names = {k.value for k, _ in pairs if isinstance(k, yaml.ScalarNode)}
        for source in sources:
            if not isinstance(source, yaml.MappingNode) or kind_of(source) != "map":
                self.fail(source, f"'<<' merges a mapping, got {describe(source)}", "merge")
                continue
            for key, value in self._pairs(source):
                if not isinstance(key, yaml.ScalarNode):
                    pairs.append((key, value))  # reported by mapping() as a non-text key
                elif key.value not in names:
                    names.add(key.value)
                    pairs.append((key, value))
        self._flattened[id(node)] = pairs
        return pairs

    def flattened(self, node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
        """A mapping's pairs with those merged in by ``<<`` (explicit keys win)."""
        return self._pairs(node)

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node] | None:
        if not isinstance(node, yaml.SequenceNode) or kind_of(node) != "seq":
            self.fail(node, f"expected {what} as a list, got {describe(node)}", "type")
            return None
        return list(node.value)

    def unknown_keys(self, pairs: dict[str, tuple[yaml.Node, yaml.Node]], allowed: tuple[str, ...], what: str) -> None:
        for name, (key, _) in pairs.items():
            if name not in allowed:
                hint = difflib.get_close_matches(name, allowed, n=1)
                maybe = f" (did you mean '{hint[0]}'?)" if hint else ""
                self.fail(
                    key,
                    f"unknown key '{_clip(name)}' in {what}{maybe}; expected one of: {', '.join(allowed)}",
                    "unknown-key",
                )

    def missing_keys(
        self,
        node: yaml.Node,
        pairs: dict[str, tuple[yaml.Node, yaml.Node]],
        required: tuple[str, ...],
        what: str,
    ) -> bool:
        missing = [k for k in required if k not in pairs]
        for name in missing:
            self.fail(node, f"{what} is missing the required key '{name}'", "missing-key")
        return not missing

    # -- scalars ------------------------------------------------------------

    def text(self, node: yaml.Node, field: str, *, slug: bool = False) -> str | None:
        kind = kind_of(node)
        if not isinstance(node, yaml.ScalarNode) or kind != "str":
            hint = f'; quote the value: {field}: "{node.value}"' if _quotable(node) else ""
            self.fail(node, f"'{field}' must be text, got {describe(node)}{hint}", "type")
            return None
        value: str = node.value
        if not node.style and _YAML12_NON_TEXT.fullmatch(value):
            self.fail(
                node,
                f"'{field}' is {value}, which YAML 1.2 tools read as a number or boolean; "
                f'quote the value: {field}: "{value}"',
                "yaml-1.2",
            )
            return None
        if not value.strip():
            self.fail(node, f"'{field}' must not be empty", "empty-text")
            return None
        if slug and not SLUG_RE.fullmatch(value):
            self.fail(
                node,
                f"'{field}' must be a lowercase slug (a-z, 0-9 and '-', e.g. 'trade-volume-2024'), "
                f"got '{_clip(value)}'",
                "slug",
            )
            return None
        return value

    def texts(self, node: yaml.Node, field: str, *, slug: bool = False) -> tuple[str, ...]:
        elements = self.sequence(node, f"'{field}'")
        if elements is None:
            return ()
        values: dict[str, None] = {}  # ordered, and a set: long lists stay linear
        for element in elements:
            value = self.text(element, f"{field}[]", slug=slug)
            if value is None:
                continue
            if value in values:
                self.fail(element, f"'{_clip(value)}' is listed twice in '{field}'", "duplicate-item")
                continue
            values[value] = None
        return tuple(values)

    def did_you_mean(self, value: str, candidates: list[str]) -> str:
        """`` (did you mean 'X'?)`` for the closest candidate, or nothing.

        Remembered per value, and skipped once the problems shown are all found: a file
        naming thousands of unknown entities must not take a comparison with every name each.
        """
        if len(self.problems) > MAX_PROBLEMS:
            return ""
        key = (value, len(candidates))
        if key not in self._hints:
            pool = candidates
            if len(pool) > _HINT_POOL:
                first, size = value[:1].casefold(), len(value)
                pool = [c for c in candidates if c[:1].casefold() == first and abs(len(c) - size) <= 3]
                pool = pool[:_HINT_POOL]
            hint = difflib.get_close_matches(value, pool, n=1)
            self._hints[key] = f" (did you mean '{_clip(hint[0])}'?)" if hint else ""
        return self._hints[key]

    def number(self, node: yaml.Node, field: str) -> Number | None:
        kind = kind_of(node)
        if not isinstance(node, yaml.ScalarNode) or kind not in ("int", "float"):
            self.fail(
                node,
                f"'{field}' must be a number written with digits (e.g. 328080000000), got {describe(node)}",
                "type",
            )
            return None
        if not node.style and not _DECIMAL.fullmatch(node.value):
            self.fail(
                node,
                f"'{field}' is {_clip(node.value)}, which YAML tools read differently; "
                "write it in plain decimal digits (e.g. 328080000000 or 54.5)",
                "yaml-1.2",
            )
            return None
        try:
            raw = (_constructor.construct_yaml_int if kind == "int" else _constructor.construct_yaml_float)(node)
        except (ValueError, IndexError, ConstructorError):
            self.fail(node, f"'{field}' is not a valid number: {_clip(node.value)}", "number")
            return None
        value: Number = raw
        if isinstance(value, float):
            if not math.isfinite(value):
                self.fail(node, f"'{field}' must be a finite number, got {node.value}", "number-range")
                return None
            value = int(value) if value.is_integer() and abs(value) <= MAX_SAFE_INT else value
        if abs(value) > MAX_SAFE_INT:
            self.fail(
                node,
                f"'{field}' is too large: at most {MAX_SAFE_INT} (2**53 - 1) keeps it exact in JSON",
                "number-range",
            )
            return None
        return value

    def integer(self, node: yaml.Node, field: str) -> int | None:
        if kind_of(node) != "int":
            self.fail(node, f"'{field}' must be a whole number, got {describe(node)}", "type")
            return None
        value = self.number(node, field)
        return value if isinstance(value, int) else None

    def boolean(self, node: yaml.Node, field: str) -> bool | None:
        if not isinstance(node, yaml.ScalarNode) or kind_of(node) != "bool" or node.value not in ("true", "false"):
            self.fail(node, f"'{field}' must be true or false, got {describe(node)}", "type")
            return None
        return bool(node.value == "true")

    def date(self, node: yaml.Node, field: str) -> dt.date | None:
        kind = kind_of(node)
        if isinstance(node, yaml.ScalarNode) and kind in ("timestamp", "str"):
            parsed = iso_date(node.value)
            if parsed is not None:
                return parsed
        self.fail(node, f"'{field}' must be a date as YYYY-MM-DD, got {describe(node)}", "date")
        return None

    def period(self, node: yaml.Node) -> Period | None:
        kind = kind_of(node)
        if isinstance(node, yaml.ScalarNode) and kind in ("int", "timestamp", "str"):
            period = parse_period(node.value.strip())
            if period is not None:
                return period
        self.fail(node, f"{PERIOD_EXPECTED}, got {describe(node)}", "period")
        return None


PERIOD_EXPECTED: Final = (
    "'period' must be a year (2024), a month (2024-07), a day (2026-01-05), a time with its zone "
    "(2026-01-05T16:47+08:00), a range of one of them (2024-01/2024-07, 2026-2030) or 'as of' one (../2020-12)"
)


def _quotable(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and kind_of(node) in ("bool", "int", "float", "timestamp")


# -- the document -------------------------------------------------------------


def build_dataset(root: yaml.Node, name: str, lines: LineCounter | None = None) -> Dataset:
    """Validate the whole document; raise :class:`DataError` listing every problem."""
    check = Checker(name, lines)
    top = check.mapping(root, "the top level (version, sources, facts)")
    if top is None:
        raise DataError(check.problems)
    check.unknown_keys(top, TOP_KEYS, "the top level")
    check.missing_keys(root, top, TOP_REQUIRED, "the file")
    version = _read_version(check, top)
    sources = _read_sources(check, top)
    entities = _read_entities(check, top)
    measures = _read_measures(check, top)
    facts = _read_facts(check, top, Context(sources, entities, measures))
    series, series_text = _read_series(check, top, name, sources, entities)
    problems = check.problems + (series.problems if series is not None else [])
    if problems:
        raise DataError(_capped(problems))
    return Dataset(
        name,
        version or FORMAT_VERSION,
        tuple(sources.values()),
        tuple(facts),
        tuple(entities.values()) if entities is not None else (),
        tuple(measures.values()) if measures is not None else (),
        tuple(series.observations) if series is not None else (),
        series_text,
        tuple(series.files) if series is not None else (),
    )


def series_path(facts_path: str, series: str) -> str:
    """Where a facts file's ``series`` data package is: its path is relative to the facts file."""
    import os

    return os.path.join(os.path.dirname(facts_path), series)


def _read_series(
    check: Checker,
    top: dict[str, tuple[yaml.Node, yaml.Node]],
    name: str,
    sources: dict[str, Source],
    entities: dict[str, Entity] | None,
) -> tuple[Series | None, str | None]:
    """The observations of the data package the ``series`` key names, with its problems."""
    if "series" not in top:
        return None, None
    node = top["series"][1]
    text = check.text(node, "series")
    if text is None:
        return None, None
    from kortrade.series_load import SeriesMissing, load_series

    try:
        return load_series(series_path(name, text), sources, set(entities) if entities is not None else None), text
    except SeriesMissing as exc:
        check.fail(
            node,
            f"'series' is {_clip(text)}: {exc} (looked for {series_path(name, text)}); "
            "expected the path of a Frictionless data package (datapackage.json), relative to this file",
            "series",
        )
        return None, None


@dataclass(frozen=True, slots=True)
class Context:
    """What a fact may refer to: sources, and the entities and measures when the file lists them."""

    sources: dict[str, Source]
    entities: dict[str, Entity] | None
    measures: dict[str, Measure] | None


def _capped(problems: list[Problem]) -> list[Problem]:
    # An alias repeats its nodes, and so their problems: report each once.
    # The facts file's problems first, then each data file's (a data package, its CSV files).
    first: dict[str, int] = {}
    for problem in problems:
        first.setdefault(problem.file, len(first))
    ordered = sorted(dict.fromkeys(problems), key=lambda p: (first[p.file], p.line or 0, p.column or 0))
    if len(ordered) <= MAX_PROBLEMS:
        return ordered
    rest = len(ordered) - MAX_PROBLEMS
    more = Problem(ordered[0].file, None, None, f"{rest} more problems not shown", "more")
    return [*ordered[:MAX_PROBLEMS], more]


def _read_version(check: Checker, top: dict[str, tuple[yaml.Node, yaml.Node]]) -> int | None:
    if "version" not in top:
        return None
    node = top["version"][1]
    version = check.integer(node, "version")
    if version is not None and version != FORMAT_VERSION:
        check.fail(node, f"unsupported version {version}; this kortrade reads version {FORMAT_VERSION}", "version")
        return None
    return version


T = TypeVar("T")


def _read_keyed(
    check: Checker,
    top: dict[str, tuple[yaml.Node, yaml.Node]],
    section: str,
    read: Callable[[Checker, yaml.Node], T | None],
    key: Callable[[T], str],
    what: str,
) -> dict[str, T]:
    """A section's entries by their key, in file order; a repeated key is a problem."""
    found: dict[str, T] = {}
    elements = check.sequence(top[section][1], f"'{section}'") if section in top else None
    for node in elements or ():
        entry = read(check, node)
        if entry is None:
            continue
        if key(entry) in found:
            check.fail(node, f"duplicate {what} '{_clip(key(entry))}'", "duplicate-id")
            continue
        found[key(entry)] = entry
    return found


def _read_sources(check: Checker, top: dict[str, tuple[yaml.Node, yaml.Node]]) -> dict[str, Source]:
    return _read_keyed(check, top, "sources", _read_source, lambda source: source.id, "source id")


def _read_source(check: Checker, node: yaml.Node) -> Source | None:
    pairs = check.mapping(node, "a source")
    if pairs is None:
        return None
    check.unknown_keys(pairs, SOURCE_KEYS, "a source")
    complete = check.missing_keys(node, pairs, SOURCE_REQUIRED, "a source")
    before = len(check.problems)
    values = {
        "id": check.text(pairs["id"][1], "id", slug=True) if "id" in pairs else None,
        "title": check.text(pairs["title"][1], "title") if "title" in pairs else None,
        "publisher": check.text(pairs["publisher"][1], "publisher") if "publisher" in pairs else None,
        "url": _read_url(check, pairs["url"][1]) if "url" in pairs else None,
    }
    optional = {
        "published": _read_published(check, pairs["published"][1]) if "published" in pairs else None,
        "kind": _read_choice(check, pairs["kind"][1], "kind", SOURCE_KINDS, "source-kind") if "kind" in pairs else None,
        "language": _read_language(check, pairs["language"][1]) if "language" in pairs else None,
        "via": check.text(pairs["via"][1], "via") if "via" in pairs else None,
        "date_note": check.text(pairs["date_note"][1], "date_note") if "date_note" in pairs else None,
    }
    if "published" not in pairs and "date_note" not in pairs:
        check.fail(node, "a source without 'published' needs a 'date_note' saying why its date is unknown", "date")
    if not complete or any(v is None for v in values.values()) or len(check.problems) > before:
        return None
    return Source(**values, **optional)  # type: ignore[arg-type]


def _read_published(check: Checker, node: yaml.Node) -> PartialDate | None:
    if isinstance(node, yaml.ScalarNode) and kind_of(node) in ("int", "timestamp", "str"):
        published = parse_published(node.value.strip())
        if published is not None:
            return published
    check.fail(
        node,
        f"'published' must be a date (2026-01-09), or a month (2025-09) or year (2025) when only that is known, "
        f"got {describe(node)}",
        "date",
    )
    return None


def _read_choice(check: Checker, node: yaml.Node, field: str, choices: tuple[str, ...], rule: str) -> str | None:
    value = check.text(node, field)
    if value is not None and value not in choices:
        hint = difflib.get_close_matches(value, choices, n=1)
        maybe = f" (did you mean '{hint[0]}'?)" if hint else ""
        check.fail(node, f"'{field}' must be one of {', '.join(choices)}, got '{_clip(value)}'{maybe}", rule)
        return None
    return value


def _read_language(check: Checker, node: yaml.Node) -> str | None:
    return _read_matching(
        check, node, "language", _LANGUAGE_RE, "language-code",
        lambda text: f"'{text}' is not a language code; expected one like en, ko, zh or zh-Hant",
    )  # fmt: skip


def _read_url(check: Checker, node: yaml.Node) -> str | None:
    return _read_matching(
        check, node, "url", _URL_RE, "url",
        lambda text: f"'url' must start with http:// or https:// and hold no spaces or control characters, "
        f"got '{text}'",
    )  # fmt: skip


def _read_matching(
    check: Checker, node: yaml.Node, field: str, pattern: re.Pattern[str], rule: str, problem: Callable[[str], str]
) -> str | None:
    """A text key that must match ``pattern``; else ``problem`` of the text (clipped), under ``rule``."""
    text = check.text(node, field)
    if text is not None and not pattern.fullmatch(text):
        check.fail(node, problem(_clip(text)), rule)
        return None
    return text


def _read_entities(check: Checker, top: dict[str, tuple[yaml.Node, yaml.Node]]) -> dict[str, Entity] | None:
    """The entities section by name, or None when the file has none (then any name goes)."""
    if "entities" not in top:
        return None
    entities = _read_keyed(check, top, "entities", _read_entity, lambda entity: entity.name, "entity name")
    _check_countries(check, top, entities)
    return entities


def _read_measures(check: Checker, top: dict[str, tuple[yaml.Node, yaml.Node]]) -> dict[str, Measure] | None:
    """The measures section by id, or None when the file has none (then any measure slug goes)."""
    if "measures" not in top:
        return None
    return _read_keyed(check, top, "measures", _read_measure, lambda measure: measure.id, "measure id")


def _read_measure(check: Checker, node: yaml.Node) -> Measure | None:
    """The measure whenever its id reads, even when other keys are wrong (those are reported),
    so that facts naming it are not also told it is missing; an unknown kind is kept as ''."""
    pairs = check.mapping(node, "a measure")
    if pairs is None:
        return None
    check.unknown_keys(pairs, MEASURE_KEYS, "a measure")
    check.missing_keys(node, pairs, MEASURE_REQUIRED, "a measure")
    measure_id = check.text(pairs["id"][1], "id", slug=True) if "id" in pairs else None
    label = check.text(pairs["label"][1], "label") if "label" in pairs else None
    kind = _read_choice(check, pairs["kind"][1], "kind", MEASURE_KINDS, "measure-kind") if "kind" in pairs else "number"
    periodic = check.boolean(pairs["periodic"][1], "periodic") if "periodic" in pairs else kind != "date"
    if kind == "date" and periodic:
        check.fail(
            pairs["periodic"][1], "a measure of kind date cannot be periodic: its period is its value", "measure"
        )
    note = check.text(pairs["note"][1], "note") if "note" in pairs else None
    if measure_id is None:
        return None
    return Measure(measure_id, label or measure_id, kind or "", bool(periodic), note)


def _read_entity(check: Checker, node: yaml.Node) -> Entity | None:
    """The entity, even when some of its other keys are wrong (those are reported), so
    that facts naming it are not also told it is missing."""
    pairs = check.mapping(node, "an entity")
    if pairs is None:
        return None
    check.unknown_keys(pairs, ENTITY_KEYS, "an entity")
    check.missing_keys(node, pairs, ("name",), "an entity")
    name = check.text(pairs["name"][1], "name") if "name" in pairs else None
    kind = None
    if "kind" in pairs:
        kind = check.text(pairs["kind"][1], "kind")
        if kind is not None and kind not in ENTITY_KINDS:
            hint = difflib.get_close_matches(kind, ENTITY_KINDS, n=1)
            maybe = f" (did you mean '{hint[0]}'?)" if hint else ""
            check.fail(
                pairs["kind"][1],
                f"'kind' must be one of {', '.join(ENTITY_KINDS)}, got '{_clip(kind)}'{maybe}",
                "entity-kind",
            )
    names = _read_names(check, pairs["names"][1]) if "names" in pairs else ()
    country = check.text(pairs["country"][1], "country") if "country" in pairs else None
    return None if name is None else Entity(name, kind, names, country)


def _check_countries(check: Checker, top: dict[str, tuple[yaml.Node, yaml.Node]], entities: dict[str, Entity]) -> None:
    """An entity's ``country`` names a listed entity of kind country."""
    countries = [e.name for e in entities.values() if e.kind == "country"]
    for node in _section_nodes(top, "entities"):
        if not isinstance(node, yaml.MappingNode):
            continue
        for key, value in check.flattened(node):
            if not (isinstance(key, yaml.ScalarNode) and key.value == "country" and kind_of(value) == "str"):
                continue
            country = entities.get(value.value)
            if country is None or country.kind != "country":
                maybe = check.did_you_mean(value.value, countries)
                check.fail(
                    value,
                    f"'country' must name an entity of kind country, got '{_clip(value.value)}'{maybe}",
                    "country",
                )


def _section_nodes(top: dict[str, tuple[yaml.Node, yaml.Node]], section: str) -> list[yaml.Node]:
    node = top[section][1] if section in top else None
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _read_names(check: Checker, node: yaml.Node) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``names``: a language code (en, ko, zh, zh-Hant...) to one name or a list of names."""
    pairs = check.mapping(node, "'names' (a language code to names, e.g. ko: 삼성)")
    if pairs is None:
        return ()
    names: list[tuple[str, tuple[str, ...]]] = []
    for lang, (key, value) in pairs.items():
        if not _LANGUAGE_RE.fullmatch(lang):
            check.fail(
                key, f"'{_clip(lang)}' is not a language code; expected one like en, ko, zh or zh-Hant", "language-code"
            )
            continue
        field = f"names.{lang}"
        if isinstance(value, yaml.SequenceNode):
            names.append((lang, check.texts(value, field)))
        else:
            one = check.text(value, field)
            names.append((lang, (one,) if one is not None else ()))
    return tuple(names)


def _read_facts(check: Checker, top: dict[str, tuple[yaml.Node, yaml.Node]], context: Context) -> list[Fact]:
    facts: list[Fact] = []
    seen: dict[str, yaml.Node] = {}
    elements = check.sequence(top["facts"][1], "'facts'") if "facts" in top else None
    for node in elements or ():
        fact = _read_fact(check, node, context)
        if fact is None:
            continue
        if fact.id in seen:
            first = check.line_of(seen[fact.id])
            check.fail(node, f"duplicate fact id '{fact.id}' (first at line {first})", "duplicate-id")
            continue
        seen[fact.id] = node
        facts.append(fact)
    return facts


def _read_fact(check: Checker, node: yaml.Node, context: Context) -> Fact | None:
    pairs = check.mapping(node, "a fact")
    if pairs is None:
        return None
    before = len(check.problems)
    check.unknown_keys(pairs, FACT_KEYS, "a fact")
    check.missing_keys(node, pairs, FACT_REQUIRED, "a fact")

    def get(key: str) -> yaml.Node | None:
        pair = pairs.get(key)
        # An empty optional value (`note:`) means the same as leaving the key out.
        if pair is None or (key not in FACT_REQUIRED and kind_of(pair[1]) == "null"):
            return None
        return pair[1]

    fields = _read_fact_fields(check, get, context.sources)
    _check_figure(check, node, get)
    if context.entities is not None and (refs := get("entities")) is not None:
        _check_entity_refs(check, refs, context.entities)
    fields.update(_read_measure_fields(check, node, get, context))
    if len(check.problems) > before:
        return None
    return Fact(**fields)  # type: ignore[arg-type]


def _read_measure_fields(check: Checker, node: yaml.Node, get: _Getter, context: Context) -> dict[str, object]:
    """``measure``, ``basis`` (and the country it belongs to), ``value_text`` and ``decimals``."""
    measure_node, basis_node = get("measure"), get("basis")
    text_node, decimals_node = get("value_text"), get("decimals")
    measure = None if measure_node is None else _read_measure_ref(check, measure_node, context.measures)
    basis: tuple[str, ...] = ()
    if basis_node is not None:
        if isinstance(basis_node, yaml.SequenceNode):
            basis = check.texts(basis_node, "basis")
        elif (one := check.text(basis_node, "basis")) is not None:
            basis = (one,)
    value_text = None if text_node is None else check.text(text_node, "value_text")
    decimals = None
    if decimals_node is not None:
        decimals = check.integer(decimals_node, "decimals")
        if decimals is not None and not 0 <= decimals <= MAX_DECIMALS:
            check.fail(decimals_node, f"'decimals' must be from 0 to {MAX_DECIMALS}, got {decimals}", "number-range")
        if get("value") is None:
            check.fail(decimals_node, "'decimals' describes a 'value', but this fact has none", "figure")
    if measure is not None:
        _check_measure_value(check, node, get, measure, declared=context.measures is not None)
    elif text_node is not None:
        check.fail(
            text_node, "'value_text' is the value of a measure of kind name; this fact has no such measure", "figure"
        )
    country = _basis_country(check, basis_node, basis, context.entities)
    return {
        "measure": None if measure is None else measure.id,
        "basis": basis,
        "basis_country": country,
        "value_text": value_text,
        "decimals": decimals,
    }


def _read_measure_ref(check: Checker, node: yaml.Node, measures: dict[str, Measure] | None) -> Measure | None:
    ref = check.text(node, "measure", slug=True)
    if ref is None:
        return None
    if measures is None:
        return Measure(ref, ref)
    if ref not in measures:
        maybe = check.did_you_mean(ref, list(measures))
        check.fail(node, f"measure '{_clip(ref)}' is not in the measures section{maybe}", "undefined-measure")
        return None
    return measures[ref]


_MEASURE_NEEDS: Final = {"number": "value", "date": "period", "name": "value_text"}


def _check_measure_value(check: Checker, node: yaml.Node, get: _Getter, measure: Measure, *, declared: bool) -> None:
    """A fact stating a measure gives its value where the measure's kind keeps it.

    Without a measures section every measure is a number; with one, a measure whose
    kind is wrong (reported there) is not checked.
    """
    needed = _MEASURE_NEEDS.get(measure.kind)
    if needed is None:
        return
    # Without a measures section nothing declares a kind: say where "number" comes from.
    kind = f"of kind {measure.kind}" if declared else "of kind number (there is no measures section to say otherwise)"
    if get(needed) is None:
        check.fail(node, f"measure '{measure.id}' is {kind}: this fact needs '{needed}'", "measure")
    text_node = get("value_text")
    if measure.kind != "name" and text_node is not None:
        check.fail(text_node, f"'value_text' is for measures of kind name; '{measure.id}' is {kind}", "measure")


def _basis_country(
    check: Checker, node: yaml.Node | None, basis: tuple[str, ...], entities: dict[str, Entity] | None
) -> str | None:
    """The country whose statistics ``basis`` names; each basis must be a listed organisation with one."""
    if node is None or entities is None:
        return None
    countries: set[str] = set()
    refs = node.value if isinstance(node, yaml.SequenceNode) else [node]
    named = {ref.value: ref for ref in refs if isinstance(ref, yaml.ScalarNode) and ref.value in basis}
    for name, ref in named.items():
        entity = entities.get(name)
        if entity is None:
            maybe = check.did_you_mean(name, list(entities))
            check.fail(ref, f"basis '{_clip(name)}' is not in the entities section{maybe}", "undefined-entity")
            continue
        country = entity.name if entity.kind == "country" else entity.country
        if country is None:
            check.fail(
                ref, f"basis '{_clip(name)}' needs a 'country' in the entities section (whose statistics?)", "basis"
            )
            continue
        countries.add(country)
    return countries.pop() if len(countries) == 1 else None


def _read_fact_fields(check: Checker, get: _Getter, sources: dict[str, Source]) -> dict[str, object]:
    def text(key: str, *, slug: bool = False) -> str | None:
        node = get(key)
        return None if node is None else check.text(node, key, slug=slug)

    def texts(key: str, *, slug: bool = False) -> tuple[str, ...]:
        node = get(key)
        return () if node is None else check.texts(node, key, slug=slug)

    value_node, period_node, source_node = get("value"), get("period"), get("source")
    return {
        "id": text("id", slug=True),
        "topic": text("topic", slug=True),
        "statement": text("statement"),
        "value": None if value_node is None else check.number(value_node, "value"),
        "unit": text("unit"),
        "qualifier": _read_qualifier(check, get("qualifier")),
        "period": None if period_node is None else check.period(period_node),
        "entities": texts("entities"),
        "items": texts("items"),
        "tags": texts("tags", slug=True),
        "note": text("note"),
        "source": None if source_node is None else _read_source_ref(check, source_node, sources),
    }


def _check_entity_refs(check: Checker, node: yaml.Node, entities: dict[str, Entity]) -> None:
    """With an entities section, every entity a fact names must be listed there."""
    for ref in node.value if isinstance(node, yaml.SequenceNode) else ():
        if isinstance(ref, yaml.ScalarNode) and kind_of(ref) == "str" and ref.value not in entities:
            maybe = check.did_you_mean(ref.value, list(entities))
            check.fail(ref, f"entity '{_clip(ref.value)}' is not in the entities section{maybe}", "undefined-entity")


def _read_qualifier(check: Checker, node: yaml.Node | None) -> str | None:
    if node is None:
        return None
    qualifier = check.text(node, "qualifier")
    if qualifier is not None and qualifier not in QUALIFIERS:
        check.fail(node, f"'qualifier' must be one of {', '.join(QUALIFIERS)}, got '{_clip(qualifier)}'", "qualifier")
        return None
    return qualifier


def _known_sources(sources: dict[str, Source], shown: int = 5) -> str:
    if not sources:
        return "defined sources: none"
    names = list(sources)
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return f"defined sources: {', '.join(names[:shown])}{more}"


def _read_source_ref(check: Checker, node: yaml.Node, sources: dict[str, Source]) -> Source | None:
    ref = check.text(node, "source")
    if ref is None:
        return None
    if ref not in sources:
        check.fail(
            node, f"'source' refers to undefined source '{_clip(ref)}'; {_known_sources(sources)}", "undefined-source"
        )
        return None
    return sources[ref]


def _check_figure(check: Checker, node: yaml.Node, get: _Getter) -> None:
    """A value needs its unit and qualifier, so hedges ("about", "over") are never lost."""
    has_value = get("value") is not None
    for key in ("unit", "qualifier"):
        if has_value and get(key) is None:
            check.fail(node, f"a fact with a 'value' needs '{key}' too", "figure")
        key_node = get(key)
        if not has_value and key_node is not None:
            check.fail(key_node, f"'{key}' describes a 'value', but this fact has none", "figure")
