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
from typing import Final, TypeAlias, TypeVar

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from kortrade.errors import DataError, Problem
from kortrade.load import LineCounter
from kortrade.model import ENTITY_KINDS, QUALIFIERS, SLUG_RE, Dataset, Entity, Fact, Number, Period, Source

FORMAT_VERSION: Final = 1
MAX_PROBLEMS: Final = 100
# "Did you mean" compares with at most this many names (of about the same length and
# first letter, when there are more).
_HINT_POOL: Final = 300
# Larger integers lose precision in JSON consumers such as JavaScript and jq.
MAX_SAFE_INT: Final = 2**53 - 1

_STD = "tag:yaml.org,2002:"
TOP_KEYS: Final = ("version", "sources", "entities", "facts")
TOP_REQUIRED: Final = ("version", "sources", "facts")
ENTITY_KEYS: Final = ("name", "kind", "names")
SOURCE_KEYS: Final = ("id", "title", "publisher", "published", "url")
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
)
FACT_REQUIRED: Final = ("id", "topic", "statement", "source")

# Patterns shared with the published JSON Schema (kortrade.json_schema).
DATE_PATTERN: Final = r"\d{4}-\d{2}-\d{2}"
YEAR_PATTERN: Final = r"\d{4}"
RANGE_PATTERN: Final = r"(\d{4})-(\d{4})"
# No spaces, control or invisible formatting characters (bidi overrides): a URL goes
# into terminal hyperlinks, Markdown links and HTML.
URL_PATTERN: Final = r"https?://[^\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]+"
LANGUAGE_PATTERN: Final = r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*"
_DATE_RE = re.compile(DATE_PATTERN)
_YEAR_RE = re.compile(YEAR_PATTERN)
_RANGE_RE = re.compile(RANGE_PATTERN)
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

    def date(self, node: yaml.Node, field: str) -> dt.date | None:
        kind = kind_of(node)
        if isinstance(node, yaml.ScalarNode) and kind in ("timestamp", "str"):
            parsed = _iso_date(node.value)
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
        self.fail(
            node,
            "'period' must be a year (2024), a date (2026-01-05) or a range of years (2026-2030), "
            f"got {describe(node)}",
            "period",
        )
        return None


def _quotable(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and kind_of(node) in ("bool", "int", "float", "timestamp")


def _iso_date(text: str) -> dt.date | None:
    if not _DATE_RE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_period(text: str) -> Period | None:
    """``2024``, ``2026-01-05`` or ``2026-2030`` as a :class:`Period`, else None."""
    if _YEAR_RE.fullmatch(text) and int(text) > 0:
        year = int(text)
        return Period(text, dt.date(year, 1, 1), dt.date(year, 12, 31))
    day = _iso_date(text)
    if day is not None:
        return Period(text, day, day)
    match = _RANGE_RE.fullmatch(text)
    if match and 0 < int(match[1]) < int(match[2]):
        return Period(text, dt.date(int(match[1]), 1, 1), dt.date(int(match[2]), 12, 31))
    return None


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
    facts = _read_facts(check, top, sources, entities)
    if check.problems:
        raise DataError(_capped(check.problems))
    return Dataset(
        name,
        version or FORMAT_VERSION,
        tuple(sources.values()),
        tuple(facts),
        tuple(entities.values()) if entities is not None else (),
    )


def _capped(problems: list[Problem]) -> list[Problem]:
    # An alias repeats its nodes, and so their problems: report each once.
    ordered = sorted(dict.fromkeys(problems), key=lambda p: (p.line or 0, p.column or 0))
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
    complete = check.missing_keys(node, pairs, SOURCE_KEYS, "a source")
    values = {
        "id": check.text(pairs["id"][1], "id", slug=True) if "id" in pairs else None,
        "title": check.text(pairs["title"][1], "title") if "title" in pairs else None,
        "publisher": check.text(pairs["publisher"][1], "publisher") if "publisher" in pairs else None,
        "published": check.date(pairs["published"][1], "published") if "published" in pairs else None,
        "url": _read_url(check, pairs["url"][1]) if "url" in pairs else None,
    }
    if not complete or any(v is None for v in values.values()):
        return None
    return Source(**values)  # type: ignore[arg-type]


def _read_url(check: Checker, node: yaml.Node) -> str | None:
    url = check.text(node, "url")
    if url is not None and not _URL_RE.fullmatch(url):
        check.fail(
            node,
            f"'url' must start with http:// or https:// and hold no spaces or control characters, got '{_clip(url)}'",
            "url",
        )
        return None
    return url


def _read_entities(check: Checker, top: dict[str, tuple[yaml.Node, yaml.Node]]) -> dict[str, Entity] | None:
    """The entities section by name, or None when the file has none (then any name goes)."""
    if "entities" not in top:
        return None
    return _read_keyed(check, top, "entities", _read_entity, lambda entity: entity.name, "entity name")


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
    return None if name is None else Entity(name, kind, names)


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


def _read_facts(
    check: Checker,
    top: dict[str, tuple[yaml.Node, yaml.Node]],
    sources: dict[str, Source],
    entities: dict[str, Entity] | None,
) -> list[Fact]:
    facts: list[Fact] = []
    seen: dict[str, yaml.Node] = {}
    elements = check.sequence(top["facts"][1], "'facts'") if "facts" in top else None
    for node in elements or ():
        fact = _read_fact(check, node, sources, entities)
        if fact is None:
            continue
        if fact.id in seen:
            first = check.line_of(seen[fact.id])
            check.fail(node, f"duplicate fact id '{fact.id}' (first at line {first})", "duplicate-id")
            continue
        seen[fact.id] = node
        facts.append(fact)
    return facts


def _read_fact(
    check: Checker, node: yaml.Node, sources: dict[str, Source], entities: dict[str, Entity] | None
) -> Fact | None:
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

    fields = _read_fact_fields(check, get, sources)
    _check_figure(check, node, get)
    if entities is not None and (refs := get("entities")) is not None:
        _check_entity_refs(check, refs, entities)
    if len(check.problems) > before:
        return None
    return Fact(**fields)  # type: ignore[arg-type]


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
