"""``kortrade mcp``: the facts as a Model Context Protocol server on stdin and stdout.

An assistant (Claude Desktop, an editor, any MCP client) starts ``kortrade mcp`` and
asks it for figures instead of recalling them: six tools (``search_facts``,
``get_fact``, ``compare_figures``, ``cite_facts``, ``briefing``, ``answer_question``) and two resource
templates (``kortrade://fact/{id}``, ``kortrade://source/{id}``).

Every answer is built by the same library calls as the commands (:class:`FactStore`,
:mod:`kortrade.cite`, :mod:`kortrade.brief`): structured content holds the records
of the JSON output contract, and the text for the model gives every figure with
its source and date.

The SDK (``pip install "kortrade[mcp]"``) is imported in :func:`serve` only. What
the tools answer (:class:`Facts`, :func:`call`) needs no SDK. Requests are checked
against each tool's input schema before anything runs: a bad one is a JSON-RPC
error (``-32602``) whose message names the argument, never echoes its value. A
line on stdin that is not JSON-RPC gets a JSON-RPC error with ``id: null`` and the
server goes on. The data file is opened once and the index reused; if it changes,
the next call opens it again (so fixing an invalid file needs no restart).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import unquote

from kortrade.check import CHECK_FIELDS, OFFICIAL_FIELDS
from kortrade.errors import DataError, ExitCode, KortradeError, NotFoundError, Problem, UsageError
from kortrade.records import FACT_FIELDS, SOURCE_FIELDS, Record
from kortrade.series import SERIES_FIELDS
from kortrade.terminal import escape_controls
from kortrade.titles import quoted_title

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

    from kortrade.store import FactStore

SERVER_NAME: Final = "kortrade"
INSTALL_HINT: Final = 'the MCP server needs the SDK: pip install "kortrade[mcp]"'
FACT_URI: Final = "kortrade://fact/{id}"
SOURCE_URI: Final = "kortrade://source/{id}"
MEASURES_URI: Final = "kortrade://measures"

# JSON-RPC error codes (the SDK has them too; these are fixed by the protocol).
INVALID_REQUEST: Final = -32600
PARSE_ERROR: Final = -32700
INVALID_PARAMS: Final = -32602
INTERNAL_ERROR: Final = -32603
RESOURCE_NOT_FOUND: Final = -32002  # the MCP specification's code for resources/read

MAX_QUERY: Final = 500
MAX_ID: Final = 200
MAX_RESULTS: Final = 100
MAX_IDS: Final = 50
MAX_TOPICS: Final = 20
MAX_GROUPS: Final = 200
DEFAULT_GROUPS: Final = 20
MAX_SERIES_ROWS: Final = 2000
DEFAULT_SERIES_ROWS: Final = 200
DRAIN_SECONDS: Final = 10.0  # at EOF on stdin, how long requests already read may take to be answered
STYLES: Final = ("plain", "markdown", "apa", "chicago", "bibtex", "csl-json", "ris")
VERDICTS: Final = ("agree", "differ", "single")
FLAGS: Final = ("worked-out", "scheduled", "expected", "statistics-assumed")  # kortrade.agreement.FLAGS

INSTRUCTIONS: Final = (
    "kortrade holds curated facts on China-Republic of Korea economic and trade ties (trade, investment, "
    "travel, chips, companies, agreements, the January 2026 state visit), each taken from one public page, "
    "with its source and date. Look figures up here instead of recalling them. Quote a figure exactly as its "
    "`display` gives it: a hedge ('about', 'over', 'nearly', 'at least') is part of the figure, so keep it and "
    "never round. Give each figure's source (publisher) and date, and its period. Korea's and China's "
    "statistics count the same trade differently: say whose statistics a figure is (`basis`), and never "
    "present one side's figure as correcting the other's. Where sources differ, say so (compare_figures)."
)

# -- schemas ---------------------------------------------------------------------------

_TEXT: Final = {"type": "string"}
_TEXT_OR_NULL: Final = {"type": ["string", "null"]}
_TEXTS: Final = {"type": "array", "items": _TEXT}
SOURCE_SCHEMA: Final[dict[str, Any]] = {
    "type": "object",
    "required": list(SOURCE_FIELDS),
    "properties": {
        "id": _TEXT,
        "title": _TEXT,
        "publisher": _TEXT,
        "published": {**_TEXT_OR_NULL, "description": "ISO 8601 at the precision known: 2026-01-09, 2025-09, 2025"},
        "url": _TEXT,
        "kind": _TEXT_OR_NULL,
        "language": _TEXT_OR_NULL,
        "via": _TEXT_OR_NULL,
        "date_note": _TEXT_OR_NULL,
    },
}
FACT_SCHEMA: Final[dict[str, Any]] = {
    "type": "object",
    "description": "A fact record of kortrade's JSON output contract.",
    "required": list(FACT_FIELDS),
    "properties": {
        "id": _TEXT,
        "topic": _TEXT,
        "statement": _TEXT,
        "value": {"type": ["number", "null"]},
        "unit": _TEXT_OR_NULL,
        "qualifier": {"enum": ["exact", "about", "over", "under", "nearly", "at-least", None]},
        "display": {**_TEXT_OR_NULL, "description": "The figure as the source gives it, hedge included."},
        "period": _TEXT_OR_NULL,
        "entities": _TEXTS,
        "items": _TEXTS,
        "tags": _TEXTS,
        "note": _TEXT_OR_NULL,
        "source": SOURCE_SCHEMA,
        "measure": _TEXT_OR_NULL,
        "basis": {**_TEXTS, "description": "Whose statistics the figure is."},
        "basis_country": _TEXT_OR_NULL,
        "value_text": _TEXT_OR_NULL,
        "decimals": {"type": ["integer", "null"]},
        "period_start": _TEXT_OR_NULL,
        "period_end": _TEXT_OR_NULL,
    },
}
_CORROBORATION: Final[dict[str, Any]] = {
    "type": ["object", "null"],
    "required": ["measure", "period", "verdict", "spread", "others"],
    "properties": {
        "measure": _TEXT,
        "period": _TEXT_OR_NULL,
        "verdict": {"enum": list(VERDICTS)},
        "spread": {"type": ["number", "null"]},
        "others": {"type": "array", "items": {"type": "object"}},
    },
}
_OFFICIAL: Final[dict[str, Any]] = {
    "type": ["object", "null"],
    "required": list(OFFICIAL_FIELDS),
    "properties": {
        "agrees": {"type": "boolean"},
        "gap": {"type": "number"},
        "gap_percent": {"type": ["number", "null"]},
    },
}
_COMPARED_FACT: Final[dict[str, Any]] = {
    **FACT_SCHEMA,
    "required": [*FACT_FIELDS, "range", "flags"],
    "properties": {
        **FACT_SCHEMA["properties"],
        "range": {"type": ["object", "null"], "description": "The values the figure's wording allows."},
        "flags": {
            "type": "array",
            "items": {"enum": list(FLAGS)},
            "description": "worked-out: not stated by the page; scheduled: what was to happen; expected: a "
            "forecast; statistics-assumed: states no statistics, placed with the group's country.",
        },
    },
}
_GROUP: Final[dict[str, Any]] = {
    "type": "object",
    "required": ["measure", "period", "basis", "verdict", "spread", "facts", "statistics", "reference"],
    "properties": {
        "measure": _TEXT,
        "period": _TEXT_OR_NULL,
        "basis": {"type": ["array", "null"], "items": _TEXT},
        "verdict": {"enum": list(VERDICTS)},
        "spread": {"type": ["number", "null"]},
        "facts": {"type": "array", "items": _COMPARED_FACT},
        "statistics": {**_TEXT_OR_NULL, "description": "Whose statistics every figure here is (null: not stated)."},
        "reference": {
            "type": ["object", "null"],
            "description": "The group's reference: an official release among its figures.",
            "required": ["kind", "id"],
            "properties": {"kind": {"enum": ["fact", "observation"]}, "id": _TEXT},
        },
    },
}


def _optional(schema: dict[str, Any]) -> dict[str, Any]:
    """An argument a model may also send as null."""
    return {**schema, "type": [schema["type"], "null"]}


def _object(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(required), "additionalProperties": False}


_TOPIC: Final = {"type": "string", "minLength": 1, "maxLength": 64}
_FACT_ID: Final = {"type": "string", "minLength": 1, "maxLength": MAX_ID}


@dataclass(frozen=True, slots=True)
class ToolSpec:
    name: str
    title: str
    description: str
    input_schema: dict[str, Any]
    output_schema: dict[str, Any]


# Shared by the tools that list rows (official_series, check_figures).
_ROW_LIMIT: Final = {
    "type": "integer",
    "minimum": 1,
    "maximum": MAX_SERIES_ROWS,
    "default": DEFAULT_SERIES_ROWS,
    "description": f"At most this many rows (1-{MAX_SERIES_ROWS}, default {DEFAULT_SERIES_ROWS}).",
}


def _rows_result(what: str, fields: Sequence[str]) -> dict[str, Any]:
    """The output schema of a tool answering ``{count, rows}``, each row with ``fields``."""
    return {
        "type": "object",
        "required": ["count", "rows"],
        "properties": {
            "count": {"type": "integer", "description": f"{what} found; `rows` holds at most `limit`."},
            "rows": {"type": "array", "items": {"type": "object", "required": list(fields)}},
        },
    }


def _basis(description: str) -> dict[str, Any]:
    """An optional ``basis`` argument: korea or china."""
    return _optional({"type": "string", "enum": ["korea", "china", None], "description": description})


TOOLS: Final = (
    ToolSpec(
        "search_facts",
        "Search China-ROK trade facts",
        "Find facts by words, best match first. Use this first for any question on China-Republic of Korea "
        "trade, investment, travel, chips, companies, agreements or the January 2026 state visit, instead of "
        "recalling figures. All words must match; 'battery' also finds 'batteries'; 'semi*' is a prefix; "
        '"new energy" a phrase; AND, OR, NOT (in capitals) and parentheses combine words; Korean and Chinese '
        "work (삼성, 三星). Each fact gives its statement; `display`, the figure as the source wrote it, whose "
        "hedge ('about', 'over', 'nearly') is part of the figure; its period; `basis`, whose statistics; and its "
        "source {publisher, published, url}. Quote figures exactly as given, with their source and date. Korea's "
        "and China's statistics differ: say whose a figure is. Nothing found: an empty list; try fewer words or OR.",
        _object(
            {
                "query": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": MAX_QUERY,
                    "description": "Words to find, e.g. 'bilateral trade 2024', 'battery OR semi*', '삼성'.",
                },
                "topic": _optional(
                    {**_TOPIC, "description": "Only this topic: trade, investment, travel, chips, visit, ..."}
                ),
                "limit": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_RESULTS,
                    "default": 10,
                    "description": "At most this many facts (1-100, default 10).",
                },
            },
            ("query",),
        ),
        {
            "type": "object",
            "required": ["query", "topic", "count", "facts"],
            "properties": {
                "query": _TEXT,
                "topic": _TEXT_OR_NULL,
                "count": {"type": "integer"},
                "facts": {"type": "array", "items": FACT_SCHEMA},
            },
        },
    ),
    ToolSpec(
        "get_fact",
        "Get one fact with its source",
        "One fact in full by its id (an id from search_facts), with its source and `corroboration`: the other "
        "sources of the same measure and period, and whether each agrees; then `official`: the official figure "
        "of the same measure, period and statistics (null if none), whether the fact `agrees` with it and the "
        "`gap`. Use it before quoting a figure, to cite "
        "it and to know whether sources agree. Another source on another country's statistics has `agrees` null: "
        "Korea's and China's statistics are not expected to match and do not contradict each other. "
        "Quote `display` exactly, hedge included, with the source's publisher and date. An unknown id is an "
        "error that names the nearest ids.",
        _object({"id": {**_FACT_ID, "description": "A fact id, e.g. trade-volume-2024."}}, ("id",)),
        {
            **FACT_SCHEMA,
            "required": [*FACT_FIELDS, "corroboration", "official"],
            "properties": {**FACT_SCHEMA["properties"], "corroboration": _CORROBORATION, "official": _OFFICIAL},
        },
    ),
    ToolSpec(
        "compare_figures",
        "Compare sources' figures",
        "Every source's figure for one measure side by side, a group per period and country's statistics "
        "(`statistics`: Korea's and China's are never set against each other), with a verdict: 'agree', "
        "'differ' (spread: the relative gap between the figures) or 'single'. `reference` names an official "
        "release among the figures; each figure's `flags` say if it was worked out, scheduled or expected. "
        "Use it when a user asks how much something was and sources may disagree, and before quoting a figure "
        "others dispute. `measure` is a measure id such as "
        "bilateral-trade or rok-trade-balance-with-china (the `measure` of a fact from search_facts or get_fact; "
        "the resource kortrade://measures lists them); leave it out to list the measures and periods two or more "
        "sources report. `period` narrows to a year, month or range (2023, 2023-12, 2023-01/2023-05); "
        "`conflicts_only` keeps the groups that differ on the same statistics. Each figure is quoted as given, "
        "hedge included, with its source and date.",
        _object(
            {
                "measure": _optional(
                    {"type": "string", "minLength": 1, "maxLength": MAX_ID, "description": "A measure id."}
                ),
                "period": _optional(
                    {"type": "string", "minLength": 1, "maxLength": 40, "description": "2023, 2023-12, 2023-01/2023-05"}
                ),
                "conflicts_only": {"type": "boolean", "default": False, "description": "Only groups that differ."},
                "limit": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_GROUPS,
                    "default": DEFAULT_GROUPS,
                    "description": f"At most this many groups (1-{MAX_GROUPS}, default {DEFAULT_GROUPS}).",
                },
            }
        ),
        {
            "type": "object",
            "required": ["measure", "period", "conflicts_only", "count", "groups"],
            "properties": {
                "measure": _TEXT_OR_NULL,
                "period": _TEXT_OR_NULL,
                "conflicts_only": {"type": "boolean"},
                "count": {"type": "integer", "description": "Groups found; `groups` holds at most `limit`."},
                "groups": {"type": "array", "items": _GROUP},
            },
        },
    ),
    ToolSpec(
        "cite_facts",
        "Cite facts",
        "Citations ready to paste, for facts by id: each statement with its source. style: plain (the default: "
        "each statement followed by publisher, title, date and URL), markdown (footnotes), apa, chicago; or "
        "bibtex, csl-json, ris: the facts' sources alone, as a file for a reference manager. Use it when the "
        "user wants to cite the facts or paste them into a document; pass the text on unchanged.",
        _object(
            {
                "ids": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": MAX_IDS,
                    "items": _FACT_ID,
                    "description": f"Fact ids (1-{MAX_IDS}), in the order to cite them.",
                },
                "style": {"enum": list(STYLES), "default": "plain", "description": "Citation style."},
            },
            ("ids",),
        ),
        {
            "type": "object",
            "required": ["style", "text", "facts"],
            "properties": {
                "style": {"enum": list(STYLES)},
                "text": {"type": "string", "description": "The citations, ready to paste."},
                "facts": {"type": "array", "items": FACT_SCHEMA},
            },
        },
    ),
    ToolSpec(
        "briefing",
        "Write a briefing",
        "A one- or two-page briefing in Markdown: the latest full-year trade figures on each side's statistics, "
        "the state visit's outcomes, and where sources disagree, every figure with its hedge and period and the "
        "number of its source, the sources listed at the end with publisher, date and URL. Use it when the user "
        "wants an overview or a page to hand on. `topics` narrows it (trade, investment, visit, ...). Pass the "
        "Markdown on as it is: its figures are the sources' own.",
        _object(
            {
                "topics": _optional(
                    {
                        "type": "array",
                        "maxItems": MAX_TOPICS,
                        "items": _TOPIC,
                        "description": "Only facts of these topics; leave out for all.",
                    }
                )
            }
        ),
        {
            "type": "object",
            "required": ["title", "facts", "sections", "citations"],
            "properties": {
                "title": _TEXT,
                "facts": {"type": "integer"},
                "sections": {"type": "array", "items": {"type": "object"}},
                "citations": {"type": "array", "items": {"type": "object"}},
                "markdown": {"type": "string", "description": "The briefing as Markdown (also the text content)."},
            },
        },
    ),
    ToolSpec(
        "official_series",
        "Official series of China-ROK trade",
        "The official figure of each year (or month) on Korea's and on China's statistics, for bilateral trade, "
        "ROK exports to China, ROK imports from China and the ROK's balance with China (or the measures named, "
        "also the shares china-share-of-rok-exports, china-share-of-rok-imports, china-share-of-rok-trade and "
        "rok-share-of-china-imports). Use it for 'what was trade in 2023' and for a series to chart, instead of "
        "picking one page's figure. Each row: the period, whose statistics (`basis_country`), the figure "
        "(`display`; `value` in `unit`), its `source`, and whether kortrade worked it out from the figures of "
        "an official file or of a page (`worked_out`, `how`, `observations`), or a file or page states it "
        "(`facts`: the page facts it is or rests on); "
        "`reported` and `agreeing` count other pages giving it and how many agree. Say whose statistics a figure "
        "is and, when worked out, how. A year is never made of part of its months.",
        _object(
            {
                "measures": _optional(
                    {
                        "type": "array",
                        "maxItems": 8,
                        "items": {"type": "string", "minLength": 1, "maxLength": MAX_ID},
                        "description": "Measure ids, or trade, exports, imports, balance; leave out for those four.",
                    }
                ),
                "monthly": {"type": "boolean", "default": False, "description": "Months instead of years."},
                "from": _optional(
                    {"type": "string", "maxLength": 7, "description": "A year (2015) or month (2015-03)."}
                ),
                "to": _optional({"type": "string", "maxLength": 7, "description": "A year (2025) or month (2025-05)."}),
                "basis": _basis("Only this country's statistics."),
                "limit": _ROW_LIMIT,
            }
        ),
        _rows_result("Rows", SERIES_FIELDS),
    ),
    ToolSpec(
        "answer_question",
        "Answer a question on a figure",
        "The figure a question asks for, on each country's statistics: give the question as a person would "
        "(English, Korean or Chinese: 'two-way trade 2023', '2023년 대중 무역수지', '2024年中韩贸易额'). It needs a "
        "measure (trade, exports to China, imports from China, the balance, their growth, China's share, ranks) "
        "and one period (a year, a month, a half). For each country's statistics it gives the figure most "
        "sources agree with, exact before hedged, with its fact id, source, and how many other sources agree or "
        "differ; Korea's and China's statistics differ by design. Quote `display` exactly with its source and "
        "date; use get_fact on the id for the other sources. No measure or period: an empty list of answers.",
        _object(
            {
                "question": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": MAX_QUERY,
                    "description": "The question, e.g. 'total trade with China in 2023' or '2024年中韩贸易额'.",
                },
                "basis": {
                    "type": ["string", "null"],
                    "enum": ["korea", "china", None],
                    "description": "Only this country's statistics.",
                },
            },
            ("question",),
        ),
        {
            "type": "object",
            "required": ["question", "measures", "period", "basis", "answers"],
            "properties": {
                "question": _TEXT,
                "measures": _TEXTS,
                "period": _TEXT_OR_NULL,
                "basis": _TEXT_OR_NULL,
                "answers": {"type": "array", "items": {"type": "object"}},
            },
        },
    ),
    ToolSpec(
        "check_figures",
        "Reported figures that differ from the official series",
        "The pages' figures of trade, exports, imports, balance and the shares (US dollars or percent, a full "
        "year or month) that differ from the official figure of the same measure, period and country's "
        "statistics, largest gap first. Use it before quoting a page's figure, or to fact-check one. Each row: "
        "the fact (`id`, `display`, `period`, `basis_country`: null when the page states no statistics, `source`), "
        "the official figure (`official_display`, `official_basis_country`, `official_source`, `official_how`), "
        "the gap (`gap` in the unit, `gap_percent` of the official figure) and, when the figure agrees with the "
        "other country's figure or a year or two off, `likely` (`wrong-side`, `wrong-year`, `wrong-month`) and "
        "`note` in words. A figure stating no statistics that agrees with either country's is not listed.",
        _object(
            {
                "measures": _optional(
                    {
                        "type": "array",
                        "maxItems": 8,
                        "items": {"type": "string", "minLength": 1, "maxLength": MAX_ID},
                        "description": "Measure ids, or trade, exports, imports, balance; leave out for all.",
                    }
                ),
                "year": _optional(
                    {"type": "string", "maxLength": 9, "description": "A year (2024) or a range (2015-2025)."}
                ),
                "basis": _basis("Only figures held against this country's statistics."),
                "limit": _ROW_LIMIT,
            }
        ),
        _rows_result("Figures", CHECK_FIELDS),
    ),
)
TOOL_NAMES: Final = tuple(t.name for t in TOOLS)


# -- answers ---------------------------------------------------------------------------


class OutputFailed(KortradeError):
    """Writing the protocol to stdout failed (the client gone, stdout closed or full): exit 74."""

    exit_code = ExitCode.IO_ERROR

    def __init__(self, reason: str) -> None:
        super().__init__(f"cannot write output: {reason}")


class ArgumentsRejected(Exception):
    """A request that does not fit the tool's input schema: a JSON-RPC error, not a tool result."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


class DataUnavailable(Exception):
    """The facts file is missing or invalid: every problem as ``FILE:LINE:COL: message``."""

    def __init__(self, error: DataError) -> None:
        problems = [str(p) for p in error.problems]
        shown = "; ".join(problems[:3]) + (f"; and {len(problems) - 3} more" if len(problems) > 3 else "")
        super().__init__(f"the facts file cannot be used: {shown}")
        self.problems = [p.record() for p in error.problems]


@dataclass(frozen=True, slots=True)
class Answer:
    """What a tool returns: structured content (contract records), text for the model, and whether it failed."""

    structured: dict[str, Any] | None
    text: str
    is_error: bool = False


def _stamp(path: str) -> tuple[int, ...] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


class Facts:
    """The store the server answers from: opened once, opened again when the file changes."""

    def __init__(self, data: str | None) -> None:
        from kortrade.load import resolve_data_path

        self.path = resolve_data_path(data)
        self._store: FactStore | None = None
        self._error: DataError | None = None
        self._stamp: tuple[int, ...] | None = None
        self._opened = False

    def store(self) -> FactStore:
        stamp = _stamp(self.path)
        if self._opened and stamp == self._stamp:
            if self._error is not None:
                raise DataUnavailable(self._error)
            assert self._store is not None
            return self._store
        self.close()
        from kortrade.store import FactStore

        self._opened, self._stamp = True, stamp
        try:
            self._store = FactStore.open(self.path)
        except DataError as exc:
            self._error = exc
            raise DataUnavailable(exc) from None
        self._error = None
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
        self._store = None


_validators: dict[str, Draft202012Validator] = {}


def _validator(spec: ToolSpec) -> Draft202012Validator:
    found = _validators.get(spec.name)
    if found is None:
        from jsonschema import Draft202012Validator

        found = _validators[spec.name] = Draft202012Validator(spec.input_schema)
    return found


def _clip(text: str, width: int = 40) -> str:
    text = escape_controls(text, one_line=True)
    return text if len(text) <= width else text[: width - 1] + "…"


def _problem(error: Any) -> str:
    """One schema violation, naming the argument and the rule, never quoting the value (it may be 1 MB)."""
    where = ".".join(str(p) for p in error.absolute_path) or "arguments"
    rule, limit = error.validator, error.validator_value
    if rule == "required":
        missing = [k for k in limit if isinstance(error.instance, dict) and k not in error.instance]
        return f"missing required argument {', '.join(repr(k) for k in missing)}"
    if rule == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        extra = sorted(_clip(str(k)) for k in error.instance if k not in known)
        return f"unknown argument {', '.join(repr(k) for k in extra)}; arguments are: {', '.join(sorted(known))}"
    if rule == "type":
        wanted = " or ".join(limit) if isinstance(limit, list) else limit
        return f"{where} must be {wanted}, not {_json_type(error.instance)}"
    if rule == "enum":
        return f"{where} must be one of: {', '.join(str(v) for v in limit if v is not None)}"
    plural = "" if limit == 1 else "s"
    messages = {
        "maxLength": f"{where} must be at most {limit} characters",
        "minLength": f"{where} must be at least {limit} character{plural}",
        "maximum": f"{where} must be at most {limit}",
        "minimum": f"{where} must be at least {limit}",
        "maxItems": f"{where} must hold at most {limit} items",
        "minItems": f"{where} must hold at least {limit} item{plural}",
    }
    return messages.get(str(rule), f"{where} is not valid ({rule})")


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def check_arguments(name: str, arguments: object) -> tuple[ToolSpec, dict[str, Any]]:
    """The tool and its arguments, or :class:`ArgumentsRejected` (unknown tool, arguments off the schema)."""
    spec = next((t for t in TOOLS if t.name == name), None)
    if spec is None:
        raise ArgumentsRejected(f"unknown tool {_clip(name)!r}; tools are: {', '.join(TOOL_NAMES)}", [])
    args = {} if arguments is None else arguments
    if not isinstance(args, dict):
        raise ArgumentsRejected(f"arguments for {name} must be an object", [])
    errors = sorted(_validator(spec).iter_errors(args), key=lambda e: (list(e.absolute_path), str(e.validator)))
    if errors:
        problems = list(dict.fromkeys(_problem(e) for e in errors))[:5]
        raise ArgumentsRejected(f"invalid arguments for {name}: {'; '.join(problems)}", problems)
    return spec, args


def call(facts: Facts, name: str, arguments: object) -> Answer:
    """Answer one tool call. Raises :class:`ArgumentsRejected` and :class:`DataUnavailable` (protocol errors);
    a lookup that finds nothing or a query that cannot be read is an :class:`Answer` with ``is_error``."""
    spec, args = check_arguments(name, arguments)
    store = facts.store()
    try:
        return _ANSWERS[spec.name](store, args)
    except (NotFoundError, UsageError) as exc:
        return Answer(None, str(exc), is_error=True)
    except DataError as exc:
        raise DataUnavailable(exc) from None
    except KortradeError as exc:
        return Answer(None, str(exc), is_error=True)


# -- text for the model ---------------------------------------------------------------


def _one_line(value: object) -> str:
    return escape_controls(str(value), one_line=True)


def credit(record: Record) -> str:
    """``CGTN, 2026-01-09``: who says it and when (``undated`` when the page gives no date)."""
    source = record["source"]
    assert isinstance(source, dict)
    via = f" (via {_one_line(source['via'])})" if source.get("via") else ""
    return f"{_one_line(source['publisher'])}{via}, {_one_line(source['published'] or 'undated')}"


def statistics(record: Record) -> str | None:
    basis = record.get("basis") or []
    assert isinstance(basis, list)
    if not basis:
        return None
    country = f" ({_one_line(record['basis_country'])})" if record.get("basis_country") else ""
    return f"{_one_line(', '.join(str(b) for b in basis))}{country} statistics"


def fact_line(record: Record) -> str:
    """The fact in one line: statement, then figure, period, statistics and source with its date."""
    details = []
    if record.get("display"):
        details.append(f"figure: {_one_line(record['display'])}")
    if record.get("period"):
        details.append(f"period: {_one_line(record['period'])}")
    if (basis := statistics(record)) is not None:
        details.append(basis)
    details.append(f"source: {credit(record)}")
    return f"{_one_line(record['id'])}: {_one_line(record['statement'])} [{'; '.join(details)}]"


def _search(store: FactStore, args: dict[str, Any]) -> Answer:
    query, topic = str(args["query"]), args.get("topic")
    hits = store.search(query, topic=topic, limit=int(args.get("limit", 10)))
    records = [hit.record for hit in hits]
    structured = {"query": query, "topic": topic, "count": len(records), "facts": records}
    if not records:
        text = f"No facts match {_clip(query, 80)!r}. Try fewer words, a prefix (semi*) or OR between words."
        return Answer(structured, text)
    lines = [f"{len(records)} fact{'s' if len(records) != 1 else ''}, best match first. Quote figures as given:"]
    lines += [f"{n}. {fact_line(r)}" for n, r in enumerate(records, 1)]
    return Answer(structured, "\n".join(lines))


def _get(store: FactStore, args: dict[str, Any]) -> Answer:
    record = store.get(str(args["id"]))
    corroboration = store.corroboration(str(record["id"]))
    official = store.official(str(record["id"]))
    structured = {**record, "corroboration": corroboration, "official": official}
    source = record["source"]
    assert isinstance(source, dict)
    title = quoted_title(source["title"], _one_line(source["title"]))
    lines = [fact_line(record), f"Cite: {_one_line(source['publisher'])}, {title}, "]
    lines[-1] += f"{_one_line(source['published'] or 'undated')}, {_one_line(source['url'])}"
    if corroboration is not None:
        lines.append(_corroboration_text(corroboration))
    if official is not None:
        from kortrade.render import official_text

        lines.append("Official figure: " + _one_line(official_text(official, for_csv=True)))
    return Answer(structured, "\n".join(lines))


def _corroboration_text(found: Record) -> str:
    others = found["others"]
    assert isinstance(others, list)
    if not others:
        return f"No other source gives {found['measure']} for this period."
    said = {True: "agrees", False: "differs", None: "other country's statistics"}
    parts = [f"{_one_line(o['display'])} ({credit(o)}): {said[o['agrees']]}" for o in others]
    return f"Other sources of {found['measure']} ({found['verdict']}): " + "; ".join(parts)


def _compare(store: FactStore, args: dict[str, Any]) -> Answer:
    measure, period = args.get("measure"), args.get("period")
    conflicts = bool(args.get("conflicts_only", False))
    limit = int(args.get("limit", DEFAULT_GROUPS))
    groups = store.compare(measure, period=period, conflicts=conflicts)
    shown = groups[:limit]
    structured = {
        "measure": None if measure is None else store.known_measure(measure),
        "period": period,
        "conflicts_only": conflicts,
        "count": len(groups),
        "groups": shown,
    }
    if not groups:
        kind = "conflicting figures" if conflicts else "figures to compare"
        return Answer(structured, f"No {kind} for this measure and period.")
    lines = []
    for group in shown:
        spread = f", spread {group['spread']:.1%}" if isinstance(group["spread"], float) else ""
        whose = f" · {_one_line(group['statistics'])} statistics" if group["statistics"] else ""
        heading = f"{group['measure']} · {group['period'] or 'any period'}{whose}: {group['verdict']}{spread}"
        reference = group["reference"]
        lines.append(heading + (f", reference {reference['id']}" if isinstance(reference, dict) else ""))
        members = group["facts"]
        assert isinstance(members, list)
        for fact in members:
            basis = statistics(fact)
            lines.append(
                f"  - {_one_line(fact['display'] or fact['statement'])}"
                + (f" ({_one_line(fact['period'])})" if fact["period"] else "")
                + f", {credit(fact)}"
                + (f", {basis}" if basis else "")
                + f" [{fact['id']}]"
                + (f" ({', '.join(fact['flags'])})" if fact["flags"] else "")
            )
    if len(groups) > limit:
        lines.append(f"… {len(groups) - limit} more groups; give a measure, a period or a higher limit.")
    return Answer(structured, "\n".join(lines))


def _cite(store: FactStore, args: dict[str, Any]) -> Answer:
    from kortrade.choices import Style
    from kortrade.cite import cite

    style = Style(args.get("style", "plain"))
    records = [store.get(str(i)) for i in args["ids"]]
    text = cite(records, style)
    return Answer({"style": style.value, "text": text, "facts": records}, text)


def _briefing(store: FactStore, args: dict[str, Any]) -> Answer:
    from kortrade.brief import to_markdown
    from kortrade.commands import brief_document

    document = brief_document(store, args.get("topics") or None)
    markdown = to_markdown(document)
    return Answer({**document, "markdown": markdown}, markdown)


def _series(store: FactStore, args: dict[str, Any]) -> Answer:
    from kortrade.commands import series_outcome

    basis = args.get("basis")
    outcome = series_outcome(
        store,
        list(args.get("measures") or []),
        monthly=bool(args.get("monthly", False)),
        first=args.get("from"),
        last=args.get("to"),
        bases=[basis] if basis else [],
    )
    rows = outcome.view.rows()
    limit = int(args.get("limit", DEFAULT_SERIES_ROWS))
    shown = rows[:limit]
    structured = {"count": len(rows), "rows": shown}
    if outcome.nothing is not None:
        return Answer(structured, outcome.nothing[:1].upper() + outcome.nothing[1:] + ".")
    lines = [series_line(row) for row in shown]
    if len(rows) > limit:
        lines.append(f"… {len(rows) - limit} more rows; narrow with from, to, basis or measures, or raise limit.")
    return Answer(structured, "\n".join(lines))


def series_line(row: Record) -> str:
    """``bilateral-trade 2023, Korea's statistics: $267.68 billion (worked out: exports + imports; source ...)``."""
    whose = "Korea's" if row["basis_country"] == "Republic of Korea" else "China's"
    how = "stated" if not row["facts"] else "a page's report"
    if row["worked_out"]:
        how = f"worked out: {row['how']}" + (" of a page's figures" if row["facts"] else "")
    others = int(str(row["also_stated"])) + int(str(row["reported"]))
    agree = f"; {row['agreeing']} of {others} other sources agree" if others else ""
    return (
        f"{row['measure']} {row['period']}, {whose} statistics: {_one_line(row['display'])}"
        f" ({how}; source {_one_line(row['source'])}{agree})"
    )


def _answer_question(store: FactStore, args: dict[str, Any]) -> Answer:
    from kortrade.answer import answer_lines, answers
    from kortrade.commands import basis_country
    from kortrade.question import parse

    question = parse(str(args["question"]))
    basis = basis_country(args.get("basis")) or question.basis
    measures = question.answer_measures() if question.plain else ()
    period = question.period
    found = answers(store, measures, period, basis) if measures and period and period.granularity != "years" else []
    structured = {
        "question": str(args["question"]),
        "measures": list(measures),
        "period": period.text if period else None,
        "basis": basis,
        "answers": found,
    }
    if found:
        return Answer(structured, "\n".join(_one_line(line) for line in answer_lines(found)))
    if not (measures and period):
        return Answer(
            structured,
            "The question needs a measure and one period to answer, e.g. 'two-way trade 2023'; try search_facts.",
        )
    return Answer(structured, f"No figure for {', '.join(measures)} in {period.text} exactly; try compare_figures.")


def _check(store: FactStore, args: dict[str, Any]) -> Answer:
    from kortrade.commands import check_outcome

    basis = args.get("basis")
    outcome = check_outcome(
        store,
        measures=list(args.get("measures") or []) or None,
        year=args.get("year"),
        bases=[basis] if basis else None,
    )
    rows = outcome.view.rows()
    limit = int(args.get("limit", DEFAULT_SERIES_ROWS))
    shown = rows[:limit]
    structured = {"count": len(rows), "rows": shown}
    if outcome.nothing is not None:
        return Answer(structured, outcome.nothing[:1].upper() + outcome.nothing[1:] + ".")
    lines = [check_line(row) for row in shown]
    if len(rows) > limit:
        lines.append(f"… {len(rows) - limit} more figures; narrow with measures, year or basis, or raise limit.")
    return Answer(structured, "\n".join(lines))


def check_line(row: Record) -> str:
    """``bilateral-trade 2024: $267.6 billion (fact ID, Anadolu Agency) against Korea's $272.89 billion: -1.94%``."""
    whose = "Korea's" if row["official_basis_country"] == "Republic of Korea" else "China's"
    source = row["source"]
    publisher = source["publisher"] if isinstance(source, dict) else source
    line = (
        f"{row['measure']} {row['period']}: {_one_line(row['display'])} (fact {_one_line(row['id'])},"
        f" {_one_line(publisher)}) against {whose} official {_one_line(row['official_display'])}:"
        f" {_gap(row)}"
    )
    return line + (f"; {row['note']}" if row["note"] else "")


def _gap(row: Record) -> str:
    relative = row["gap_percent"]
    return f"{relative:+}%" if isinstance(relative, int | float) else f"{row['gap']:+} {row['unit']}"


_ANSWERS: Final[dict[str, Callable[[FactStore, dict[str, Any]], Answer]]] = {
    "official_series": _series,
    "check_figures": _check,
    "search_facts": _search,
    "get_fact": _get,
    "compare_figures": _compare,
    "cite_facts": _cite,
    "briefing": _briefing,
    "answer_question": _answer_question,
}


# -- resources -------------------------------------------------------------------------


class ResourceMissing(Exception):
    """No such resource: the MCP specification's -32002."""


def read_resource(facts: Facts, uri: str) -> str:
    """The JSON text of ``kortrade://fact/ID`` (as ``show --json``), ``kortrade://source/ID`` (with the facts
    that cite it, as ``sources ID --json``) or ``kortrade://measures``."""
    store = facts.store()
    kind, _, wanted = uri.removeprefix("kortrade://").partition("/")
    wanted = unquote(wanted)
    if not uri.startswith("kortrade://") or (kind != "measures" and not wanted) or "/" in wanted:
        raise ResourceMissing(f"no resource {_clip(uri, 80)!r}; resources are {FACT_URI}, {SOURCE_URI}, {MEASURES_URI}")
    try:
        if kind == "fact":
            record = store.get(wanted)
            fact_id = str(record["id"])
            body: object = {
                **record,
                "corroboration": store.corroboration(fact_id),
                "official": store.official(fact_id),
            }
        elif kind == "source":
            source = store.source(wanted)
            body = {**source, "cited_by": store.source_facts(str(source["id"]))}
        elif kind == "measures" and not wanted:
            body = store.measures()
        else:
            raise ResourceMissing(f"no resource {_clip(uri, 80)!r}; resources are {FACT_URI}, {SOURCE_URI}")
    except NotFoundError as exc:
        raise ResourceMissing(str(exc)) from None
    return json.dumps(body, ensure_ascii=False, indent=2)


def complete_id(facts: Facts, template: str, prefix: str) -> list[str]:
    """Ids that start with ``prefix``, for a client completing a resource template's ``{id}``."""
    kind = {FACT_URI: "id", SOURCE_URI: "source"}.get(template)
    if kind is None:
        return []
    return facts.store().completions(kind, prefix[:MAX_ID], limit=100)


# -- the server (the SDK from here on) ---------------------------------------------------


def serve(data: str | None) -> None:
    """Serve on stdin and stdout until the client closes stdin. Raises :class:`UsageError` without the SDK."""
    try:
        import anyio
        import mcp.types as types
        from mcp.server.lowlevel import Server
        from mcp.shared.exceptions import MCPError
        from mcp.shared.message import SessionMessage
    except ImportError:
        raise UsageError(INSTALL_HINT) from None
    from kortrade import mcp_wire as wire_

    _log_to_stderr()
    facts = Facts(data)
    _refuse_a_pipe(facts.path)
    stdout = sys.stdout
    if not hasattr(stdout, "buffer"):  # the terminal's pager (kortrade.pager) would swallow the protocol
        sys.stdout = sys.__stdout__
    wire = wire_.open_wire()  # before the data file is opened: it must not land on fd 0 or 1
    try:
        facts.store()  # quiet when all is well: stderr is the client's log of this server
    except DataUnavailable as exc:
        _say(f"{exc}; tools will answer with this error until the file is fixed")

    def protocol_error(code: int, message: str, data: object = None) -> MCPError:
        return MCPError(code=code, message=message, data=data)

    def internal(exc: Exception) -> MCPError:
        import logging

        logging.getLogger("kortrade.mcp").exception("internal error (a bug: please report it)")
        return protocol_error(INTERNAL_ERROR, f"kortrade: internal error: {type(exc).__name__}: {_clip(str(exc), 200)}")

    async def list_tools(ctx: Any, params: Any) -> types.ListToolsResult:
        annotations = types.ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)
        tools = [
            types.Tool(
                name=t.name,
                title=t.title,
                description=t.description,
                input_schema=t.input_schema,
                output_schema=t.output_schema,
                annotations=annotations,
            )
            for t in TOOLS
        ]
        return types.ListToolsResult(tools=tools)

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        try:
            answer = call(facts, params.name, params.arguments)
        except ArgumentsRejected as exc:
            raise protocol_error(INVALID_PARAMS, str(exc), {"problems": exc.problems}) from None
        except DataUnavailable as exc:
            raise protocol_error(INTERNAL_ERROR, str(exc), {"problems": exc.problems}) from None
        except Exception as exc:  # a bug: one error for this call, the trace on stderr, and serve on
            raise internal(exc) from exc
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=answer.text)],
            structured_content=answer.structured,
            is_error=answer.is_error,
        )

    async def list_resources(ctx: Any, params: Any) -> types.ListResourcesResult:
        try:
            sources = facts.store().sources()
        except DataUnavailable as exc:
            raise protocol_error(INTERNAL_ERROR, str(exc), {"problems": exc.problems}) from None
        resources = [
            types.Resource(
                uri=MEASURES_URI,
                name="measures",
                title="Measures: what the figures are figures of",
                description="Every measure id compare_figures takes, with how many facts and sources give it.",
                mime_type="application/json",
            )
        ]
        resources += [
            types.Resource(
                uri=SOURCE_URI.replace("{id}", str(s["id"])),
                name=str(s["id"]),
                title=f"{s['publisher']}, {s['published'] or 'undated'}: {s['title']}",
                description=f"A source page and the {s['facts']} facts that cite it.",
                mime_type="application/json",
            )
            for s in sources
        ]
        return types.ListResourcesResult(resources=resources)

    async def list_templates(ctx: Any, params: Any) -> types.ListResourceTemplatesResult:
        templates = [
            types.ResourceTemplate(
                uri_template=FACT_URI,
                name="fact",
                title="A fact with its source",
                description="One fact record (the JSON output contract) with its source and which other sources "
                "agree. Ids come from search_facts.",
                mime_type="application/json",
            ),
            types.ResourceTemplate(
                uri_template=SOURCE_URI,
                name="source",
                title="A source with the facts citing it",
                description="One source (publisher, title, date, URL) and the fact records that cite it.",
                mime_type="application/json",
            ),
        ]
        return types.ListResourceTemplatesResult(resource_templates=templates)

    async def read(ctx: Any, params: types.ReadResourceRequestParams) -> types.ReadResourceResult:
        uri = str(params.uri)
        try:
            text = read_resource(facts, uri)
        except ResourceMissing as exc:
            raise protocol_error(RESOURCE_NOT_FOUND, str(exc), {"uri": _clip(uri, 200)}) from None
        except DataUnavailable as exc:
            raise protocol_error(INTERNAL_ERROR, str(exc), {"problems": exc.problems}) from None
        except Exception as exc:
            raise internal(exc) from exc
        contents: list[types.TextResourceContents | types.BlobResourceContents] = [
            types.TextResourceContents(uri=uri, text=text, mime_type="application/json")
        ]
        return types.ReadResourceResult(contents=contents)

    async def complete(ctx: Any, params: types.CompleteRequestParams) -> types.CompleteResult:
        ref, values = params.ref, []
        if isinstance(ref, types.ResourceTemplateReference) and params.argument.name == "id":
            try:
                values = complete_id(facts, ref.uri, params.argument.value)
            except DataUnavailable:
                values = []
        return types.CompleteResult(completion=types.Completion(values=values, has_more=len(values) >= 100))

    from kortrade.version import __version__

    server: Server[Any] = Server(
        SERVER_NAME,
        version=__version__,
        title="kortrade: China-ROK trade facts with their sources",
        instructions=INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        on_list_resources=list_resources,
        on_list_resource_templates=list_templates,
        on_read_resource=read,
        on_completion=complete,
    )

    async def main() -> None:
        to_server, received = anyio.create_memory_object_stream[SessionMessage | Exception](0)
        replies, outgoing = anyio.create_memory_object_stream[SessionMessage](0)
        in_flight = wire_.InFlight()
        written = anyio.Event()

        async def write() -> None:
            await wire_.write_messages(wire, outgoing)
            written.set()

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(write)
            tasks.start_soon(wire_.read_messages, wire, to_server, replies.clone(), in_flight, DRAIN_SECONDS)
            answers = wire_.Replies(replies, in_flight)
            await server.run(received, answers, server.create_initialization_options())
            await answers.aclose()
            # A client that closed stdin and reads nothing more would keep the last write waiting for good.
            with anyio.move_on_after(DRAIN_SECONDS):
                await written.wait()
            tasks.cancel_scope.cancel()

    import warnings

    # When a write fails, the SDK's worker tasks are cancelled unawaited, and Python warns of
    # each on stderr; the failure is said in one line instead (kortrade: cannot write output).
    warnings.filterwarnings("ignore", message="coroutine .* was never awaited", category=RuntimeWarning)
    try:
        anyio.run(main)
    except BaseException as exc:
        failed = wire_.first_failure(exc)
        if failed is None:
            raise
        raise failed from None
    finally:
        sys.stdout = stdout
        wire.restore()
        facts.close()


def _refuse_a_pipe(path: str) -> None:
    """A named pipe cannot be the server's data: opening one with no writer blocks for good, before
    stdin is ever read (so not even EOF ends the server), and the server reads its file again
    whenever it changes, which a pipe, read once, cannot give."""
    import stat

    try:
        is_pipe = stat.S_ISFIFO(os.stat(path).st_mode)
    except OSError:
        return  # missing or unreadable: each call says so, as for any file
    if is_pipe:
        message = "is a pipe; the MCP server reads its data file again whenever it changes: give a file"
        raise DataError([Problem(path, None, None, message, "file")])


def _say(message: str) -> None:
    sys.stderr.write(f"kortrade mcp: {escape_controls(message, one_line=True)}\n")
    sys.stderr.flush()


def _log_to_stderr() -> None:
    """The SDK logs through :mod:`logging`: warnings and errors to stderr, one line each, never to stdout."""
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("kortrade mcp: %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
