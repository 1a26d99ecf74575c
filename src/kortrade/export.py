"""The whole dataset out of kortrade: JSON, JSON lines, CSV, a YAML facts file, or SQLite for datasette.

``csl-json``, ``bibtex`` and ``ris`` export every source as a reference file for
Zotero, EndNote or pandoc (made by :mod:`kortrade.references`).

Every export is written whole or not at all (a temporary file renamed into place)
and replaces an existing file only when asked (``--force``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sqlite3
from typing import Any, Final

from kortrade.choices import ExportFormat, ReferenceFormat
from kortrade.errors import UsageError
from kortrade.output import regular_target, write_file
from kortrade.records import FACT_FIELDS, SOURCE_FIELDS, Record
from kortrade.references import references_text
from kortrade.render import json_text
from kortrade.store import FactStore
from kortrade.version import __version__

# The keys of a fact in a facts file, in the order `kortrade validate` expects to read them.
FILE_FACT_KEYS: Final = (
    "id", "topic", "statement", "value", "unit", "qualifier", "period", "entities", "items", "tags", "note", "source",
    "measure", "basis", "value_text", "decimals",
)  # fmt: skip
MEASURE_FILE_KEYS: Final = ("id", "label", "kind", "periodic", "note")


def dataset_records(store: FactStore) -> tuple[list[Record], list[Record], list[Record]]:
    """Sources, entities (without counts) and facts each with its entities' names by language."""
    facts = store.facts()
    names = store.names(sorted({str(e) for f in facts for e in _list(f, "entities")}))
    facts = [{**f, "names": {e: names[e] for e in _list(f, "entities")}} for f in facts]
    sources = [{k: s.get(k) for k in SOURCE_FIELDS} for s in store.sources()]
    entities = [{k: v for k, v in e.items() if k != "facts"} for e in store.entities()]
    return sources, entities, facts


def measure_records(store: FactStore) -> list[Record]:
    """The measures as a facts file lists them (without their counts)."""
    return [{k: m[k] for k in MEASURE_FILE_KEYS} for m in store.measures()]


def _list(record: Record, field: str) -> list[str]:
    values = record[field]
    assert isinstance(values, list)
    return [str(v) for v in values]


def export_text(store: FactStore, fmt: ExportFormat) -> str:
    if fmt.value in {f.value for f in ReferenceFormat}:
        return references_text(store.sources(), ReferenceFormat(fmt.value))
    if fmt is ExportFormat.json:
        return json_document(store)
    sources, entities, facts = dataset_records(store)
    measures = measure_records(store)
    if fmt is ExportFormat.jsonl:
        return "".join(json_text(fact, indent=None) + "\n" for fact in facts)
    if fmt is ExportFormat.csv:
        return _csv(facts)
    series = store.meta().get("series")
    return _yaml(sources, entities, facts, measures, series if isinstance(series, str) else None)


# In a fact's text as the index keeps it (an element of a list printed with indent 2), its
# own keys are indented by four; a JSON string holds no raw newline, so these are unique.
_ENTITIES_KEY: Final = '\n    "entities": '
_FACTS_SLOT: Final = '\n  "facts": [],\n'


def json_document(store: FactStore) -> str:
    """The JSON export: ``json_text(document, indent=2)`` of sources, entities, facts (each with
    its entities' names), measures and observations, to the byte (tests/test_export.py), with each fact
    copied from the text the index keeps of it rather than parsed and written again.

    Python's JSON encoder is pure Python once it indents: 80 ms of the 170 this took.
    """
    sources = [{k: s.get(k) for k in SOURCE_FIELDS} for s in store.sources()]
    entities = [{k: v for k, v in e.items() if k != "facts"} for e in store.entities()]
    # "measures" came with format 2.0: after the keys that were there before.
    head = {"version": 1, "sources": sources, "entities": entities, "facts": [], "measures": measure_records(store)}
    # "observations" came with the series data package: last, as the records `show` gives
    # (an empty list for a facts file without one).
    head["observations"] = store.observations()
    texts = list(store.iter_fact_texts())
    decoder = json.JSONDecoder()
    named = [
        list(dict.fromkeys(decoder.raw_decode(text, text.index(_ENTITIES_KEY) + len(_ENTITIES_KEY))[0]))
        for text in texts
    ]
    names = store.names(sorted({e for entities in named for e in entities}))
    # Each entity's names as the value of its key in a fact's "names" (four levels deep).
    entries = {
        e: json_text(e, indent=None) + ": " + json_text(n, indent=2).replace("\n", "\n        ")
        for e, n in names.items()
    }
    facts = []
    for text, fact_entities in zip(texts, named, strict=True):
        listed = ",\n".join("        " + entries[e] for e in fact_entities)
        value = "{\n" + listed + "\n      }" if fact_entities else "{}"
        body = text[: text.rindex("\n  }")].replace("\n", "\n  ")
        facts.append(f'  {body},\n      "names": {value}\n    }}')
    slot = '\n  "facts": [\n' + ",\n".join(facts) + "\n  ],\n" if facts else _FACTS_SLOT
    return json_text(head, indent=2).replace(_FACTS_SLOT, slot, 1) + "\n"


def _csv(facts: list[Record]) -> str:
    from kortrade.render import Format, View, render

    out = io.StringIO()
    render(View(facts, (*FACT_FIELDS, "names"), (*FACT_FIELDS, "names")), Format.csv, out, colour=False)
    return out.getvalue()


def _yaml(
    sources: list[Record], entities: list[Record], facts: list[Record], measures: list[Record], series: str | None
) -> str:
    """A facts file that ``kortrade validate`` accepts: the same facts, normalised.

    Its ``series`` names the data package the exported file's observations come from by its
    absolute path: the export may be written anywhere (or piped), and the data files are
    not copied, so a relative path would not resolve from where it lands.
    """
    import yaml

    def fact_entry(fact: Record) -> dict[str, Any]:
        entry = {k: fact[k] for k in FILE_FACT_KEYS if k != "source" and fact[k] not in (None, [])}
        source = fact["source"]
        assert isinstance(source, dict)
        return {**entry, "source": source["id"]}

    def measure_entry(measure: Record) -> dict[str, Any]:
        entry = {k: v for k, v in measure.items() if v is not None}
        # Defaults a hand-written file leaves out: a number, periodic unless a date.
        if entry.get("kind") == "number":
            del entry["kind"]
        if entry.get("periodic") is (measure.get("kind") != "date"):
            del entry["periodic"]
        return entry

    def entity_entry(entity: Record) -> dict[str, Any]:
        names = entity["names"]
        assert isinstance(names, dict)
        english = [n for n in names.get("en", []) if n != entity["name"]]
        others = {lang: list(values) for lang, values in {**names, "en": english}.items() if values}
        entry: dict[str, Any] = {"name": entity["name"]}
        if entity["kind"]:
            entry["kind"] = entity["kind"]
        if entity.get("country"):
            entry["country"] = entity["country"]
        return {**entry, "names": others} if others else entry

    # A key a source does not have (no kind, an unknown date) is left out, as a hand-written file would.
    document: dict[str, Any] = {"version": 1}
    if series is not None:
        document["series"] = series
    document["sources"] = [{k: v for k, v in s.items() if v is not None} for s in sources]
    if entities:
        document["entities"] = [entity_entry(e) for e in entities]
    if measures:
        document["measures"] = [measure_entry(m) for m in measures]
    document["facts"] = [fact_entry(f) for f in facts]
    header = f"# Exported by kortrade {__version__}; check it with: kortrade validate FILE\n"
    return header + yaml.dump(document, Dumper=_dumper(), allow_unicode=True, sort_keys=False, width=100)


# Characters a facts file must not hold raw: controls (C0 but tab and newline, DEL, C1), the line
# breaks YAML 1.1 reads beside \n (a raw U+0085 came back as a space, two as a line break), the
# bidi marks, embeddings, overrides and isolates, and a byte-order mark. Text holding one is
# written double-quoted with each of them escaped (\N, \L, \u202E...): it reads back equal, and
# shows nothing raw on a terminal.
_ESCAPED: Final = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]")
# Those PyYAML's double-quoted style writes raw when it may write Unicode.
_BIDI: Final = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _dumper() -> type[Any]:
    import yaml

    class Dumper(yaml.SafeDumper):
        def write_double_quoted(self, text: str, split: bool = True) -> None:
            if not _BIDI.search(text):
                super().write_double_quoted(text, split)
                return
            self.allow_unicode = False  # this one text all escapes, its bidi controls with it
            try:
                super().write_double_quoted(text, split)
            finally:
                self.allow_unicode = True

    def text(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"' if _ESCAPED.search(data) else None)

    Dumper.add_representer(str, text)
    return Dumper


# -- SQLite for datasette --------------------------------------------------------------

# What each source column holds, for datasette; the columns themselves follow SOURCE_FIELDS,
# so keys the source record gains (kind, language...) get a column without another edit here.
SOURCE_COLUMNS: Final = {
    "id": "The source's id.",
    "title": "Title of the article or document.",
    "publisher": "Who published it.",
    "published": "Date of publication: YYYY-MM-DD, or YYYY-MM or YYYY when only that is known; empty if unknown.",
    "url": "Where to read it.",
    "kind": "What kind of outlet published it: news-agency, newspaper, broadcaster, government...",
    "language": "The language of the page (en, ko, zh...).",
    "via": "The news agency whose report the page relays, if any.",
    "date_note": "How the date is known, when it is not simply printed on the page.",
}
# Columns every source has; the others may be empty.
_SOURCE_REQUIRED: Final = ("title", "publisher", "url")


def _sources_table() -> str:
    columns = ["id TEXT PRIMARY KEY"]
    columns += [f"{name} TEXT" + (" NOT NULL" if name in _SOURCE_REQUIRED else "") for name in SOURCE_FIELDS[1:]]
    return "CREATE TABLE sources (\n    " + ",\n    ".join(columns) + "\n);\n"


SQLITE_SCHEMA: Final = """
CREATE TABLE entities (
    name TEXT PRIMARY KEY, kind TEXT, names_en TEXT, names_ko TEXT, names_zh TEXT, names TEXT NOT NULL
);
CREATE TABLE facts (
    id TEXT PRIMARY KEY,
    topic TEXT NOT NULL,
    statement TEXT NOT NULL,
    value REAL,
    unit TEXT,
    qualifier TEXT,
    display TEXT,
    period TEXT,
    items TEXT NOT NULL,
    tags TEXT NOT NULL,
    note TEXT,
    source_id TEXT NOT NULL REFERENCES sources (id),
    entity_names TEXT NOT NULL,
    measure TEXT REFERENCES measures (id),
    basis TEXT NOT NULL,
    basis_country TEXT,
    value_text TEXT,
    period_start TEXT,
    period_end TEXT
);
CREATE TABLE measures (
    id TEXT PRIMARY KEY, label TEXT NOT NULL, kind TEXT NOT NULL, periodic INTEGER NOT NULL, note TEXT,
    facts INTEGER NOT NULL, sources INTEGER NOT NULL
);
CREATE TABLE comparisons (
    id INTEGER PRIMARY KEY,
    measure TEXT NOT NULL REFERENCES measures (id),
    period TEXT,
    verdict TEXT NOT NULL,
    spread REAL,
    facts INTEGER NOT NULL,
    statistics TEXT,
    reference TEXT
);
CREATE TABLE comparison_facts (
    comparison_id INTEGER NOT NULL REFERENCES comparisons (id),
    fact_id TEXT NOT NULL REFERENCES facts (id),
    range_low REAL,
    range_high REAL,
    flags TEXT NOT NULL,
    PRIMARY KEY (comparison_id, fact_id)
);
CREATE INDEX facts_measure ON facts (measure);
CREATE INDEX comparisons_verdict ON comparisons (verdict);
CREATE TABLE fact_entities (
    fact_id TEXT NOT NULL REFERENCES facts (id),
    entity TEXT NOT NULL REFERENCES entities (name),
    PRIMARY KEY (fact_id, entity)
);
CREATE TABLE fact_tags (
    fact_id TEXT NOT NULL REFERENCES facts (id),
    tag TEXT NOT NULL,
    PRIMARY KEY (fact_id, tag)
);
CREATE TABLE observations (
    id TEXT PRIMARY KEY,
    resource TEXT NOT NULL,
    source_id TEXT NOT NULL REFERENCES sources (id),
    reporter TEXT NOT NULL,
    partner TEXT NOT NULL,
    flow TEXT NOT NULL,
    period TEXT NOT NULL,
    granularity TEXT NOT NULL,
    value NUMERIC NOT NULL,
    unit TEXT NOT NULL,
    valuation TEXT,
    display TEXT,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    file TEXT NOT NULL,
    line INTEGER NOT NULL
);
CREATE INDEX observations_series ON observations (reporter, partner, flow, period);
CREATE INDEX observations_resource ON observations (resource, period);
CREATE INDEX facts_topic ON facts (topic);
CREATE INDEX fact_tags_tag ON fact_tags (tag);
CREATE INDEX fact_entities_entity ON fact_entities (entity);
CREATE VIRTUAL TABLE facts_fts USING fts5(
    statement, note, items, tags, entity_names,
    content = 'facts', content_rowid = 'rowid',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
"""


def write_sqlite(store: FactStore, path: str, *, force: bool) -> str:
    """Write the database and its ``metadata.json``; returns the metadata's path."""
    import tempfile  # here: it costs every command's start-up 3 ms, and only writing needs it

    # A database is a file SQLite seeks in: never into a device or a FIFO, and never a
    # metadata.json in /dev.
    database = regular_target(path, what="a SQLite database")
    metadata_path = os.path.join(os.path.dirname(os.path.abspath(database)), "metadata.json")
    for target in (path, metadata_path):
        if not force and os.path.lexists(target):
            raise UsageError(f"{target} already exists; add --force to replace it")
    folder = os.path.dirname(os.path.abspath(database))
    try:
        handle, temporary = tempfile.mkstemp(prefix=".kortrade-", suffix=".tmp", dir=folder)
        os.close(handle)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        conn = sqlite3.connect(temporary)
        try:
            _fill(conn, *dataset_records(store))
            _fill_measures(conn, store)
            _fill_observations(conn, store)
        finally:
            conn.close()
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, database)
    except (OSError, sqlite3.Error) as exc:
        raise UsageError(f"cannot write {path}: {getattr(exc, 'strerror', None) or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    write_file(metadata_path, json.dumps(metadata(os.path.basename(path)), indent=2) + "\n", force=True)
    return metadata_path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fill(conn: sqlite3.Connection, sources: list[Record], entities: list[Record], facts: list[Record]) -> None:
    conn.executescript(_sources_table() + SQLITE_SCHEMA)
    with conn:
        conn.executemany(
            f"INSERT INTO sources VALUES ({', '.join('?' * len(SOURCE_FIELDS))})",
            [tuple(s.get(k) for k in SOURCE_FIELDS) for s in sources],
        )
        listed = {str(e["name"]): e for e in entities}
        for fact in facts:  # an entity a file names without listing it still gets a row
            for name in _list(fact, "entities"):
                listed.setdefault(name, {"name": name, "kind": None, "names": {"en": [name], "ko": [], "zh": []}})
        conn.executemany("INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?)", [_entity_row(e) for e in listed.values()])
        marks = ", ".join("?" * 19)
        conn.executemany(f"INSERT INTO facts VALUES ({marks})", [_fact_row(f) for f in facts])
        conn.executemany(
            "INSERT INTO fact_entities VALUES (?, ?)", [(f["id"], e) for f in facts for e in _list(f, "entities")]
        )
        conn.executemany("INSERT INTO fact_tags VALUES (?, ?)", [(f["id"], t) for f in facts for t in _list(f, "tags")])
        conn.execute("INSERT INTO facts_fts (facts_fts) VALUES ('rebuild')")


def _entity_row(entity: Record) -> tuple[object, ...]:
    names = entity["names"]
    assert isinstance(names, dict)
    joined = {lang: "; ".join(names.get(lang, [])) or None for lang in ("en", "ko", "zh")}
    return (
        entity["name"],
        entity["kind"],
        joined["en"],
        joined["ko"],
        joined["zh"],
        json.dumps(names, ensure_ascii=False),
    )


def _fact_row(fact: Record) -> tuple[object, ...]:
    source = fact["source"]
    assert isinstance(source, dict)
    names = fact["names"]
    assert isinstance(names, dict)
    every_name = " ; ".join(n for by_language in names.values() for values in by_language.values() for n in values)
    return (
        fact["id"],
        fact["topic"],
        fact["statement"],
        fact["value"],
        fact["unit"],
        fact["qualifier"],
        fact["display"],
        fact["period"],
        json.dumps(fact["items"], ensure_ascii=False),
        json.dumps(fact["tags"], ensure_ascii=False),
        fact["note"],
        source["id"],
        every_name,
        fact["measure"],
        json.dumps(fact["basis"], ensure_ascii=False),
        fact["basis_country"],
        fact["value_text"],
        fact["period_start"],
        fact["period_end"],
    )


def _fill_measures(conn: sqlite3.Connection, store: FactStore) -> None:
    """Measures with their counts, and every comparison with its verdict and each fact's range."""
    with conn:
        conn.executemany(
            "INSERT INTO measures VALUES (?, ?, ?, ?, ?, ?, ?)",
            [tuple(m[k] for k in (*MEASURE_FILE_KEYS, "facts", "sources")) for m in store.measures()],
        )
        for number, group in enumerate(store.compare(), start=1):
            facts = group["facts"]
            assert isinstance(facts, list)
            conn.execute(
                "INSERT INTO comparisons VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    number, group["measure"], group["period"], group["verdict"], group["spread"], len(facts),
                    group["statistics"], reference["id"] if isinstance(reference := group["reference"], dict) else None,
                ),
            )  # fmt: skip
            conn.executemany(
                "INSERT INTO comparison_facts VALUES (?, ?, ?, ?, ?)",
                [(number, f["id"], *_range_numbers(f["range"]), ", ".join(f["flags"])) for f in facts],
            )


# The observation record's keys that are the export's columns, in order (the source by its id).
OBSERVATION_COLUMNS: Final = (
    "id", "resource", "source_id", "reporter", "partner", "flow", "period", "granularity", "value", "unit",
    "valuation", "display", "period_start", "period_end", "file", "line",
)  # fmt: skip


def _fill_observations(conn: sqlite3.Connection, store: FactStore) -> None:
    """The rows of the official data files, each with its source and where the row is."""
    rows = []
    for record in store.observations():
        source = record["source"]
        assert isinstance(source, dict)
        rows.append(tuple(source["id"] if k == "source_id" else record[k] for k in OBSERVATION_COLUMNS))
    with conn:
        conn.executemany(f"INSERT INTO observations VALUES ({', '.join('?' * len(OBSERVATION_COLUMNS))})", rows)


def _range_numbers(reading: object) -> tuple[float | None, float | None]:
    if not isinstance(reading, dict):
        return None, None
    low, high = reading.get("low"), reading.get("high")
    return (low if isinstance(low, int | float) else None, high if isinstance(high, int | float) else None)


def metadata(database_file: str) -> dict[str, Any]:
    """datasette's metadata.json: what the site is, where the facts come from, what each column holds."""
    database = os.path.splitext(database_file)[0]
    return {
        "title": "kortrade: China-Republic of Korea economic and trade ties",
        "description": (
            "Facts on China-ROK economic and trade ties, each with its source and date, "
            "curated by hand and exported by kortrade."
        ),
        "source": "The sources table lists the article or document each fact cites (see each fact's source_id).",
        "license": "Statements are kortrade's own wording; figures and dates belong to the sources cited.",
        "about": f"Exported by kortrade {__version__}",
        "databases": {
            database: {
                "tables": {
                    "facts": {
                        "description": "One row a fact: a statement in our own words, its figure and its source.",
                        "fts_table": "facts_fts",
                        "label_column": "statement",
                        "columns": {
                            "id": "The fact's id, as `kortrade show ID` takes it.",
                            "topic": "The topic grouping it: trade, partnerships, agreements, visit...",
                            "statement": "The fact in our own words, with the source's hedges.",
                            "value": "The figure in base units (US dollars, won or yuan; percent; counts), if any.",
                            "unit": "The figure's unit: USD, percent, fold, rank, or a plural noun.",
                            "qualifier": "The source's hedge: exact, about, over or under.",
                            "display": "The figure as people read it, hedge included ('about $45 billion').",
                            "period": "A year, a date (YYYY-MM-DD) or a range of years the fact covers.",
                            "items": "What the fact enumerates, as a JSON list.",
                            "tags": "Tags, as a JSON list (also in fact_tags).",
                            "note": "Context; says so when a value was worked out rather than read.",
                            "source_id": "The source it cites (sources.id).",
                            "entity_names": "Every name of every entity it names, in every language listed.",
                            "measure": "What the figure is a figure of (measures.id), shared by all sources giving it.",
                            "basis": "Whose statistics, as a JSON list of entity names (KITA, China's customs...).",
                            "basis_country": "The country whose statistics the figure is, when the page says.",
                            "value_text": "The answer of a measure whose value is a name (who led, where).",
                            "period_start": "The first day (or moment) the period covers, ISO 8601; empty for 'as of'.",
                            "period_end": "The last day (or moment) the period covers, ISO 8601.",
                        },
                    },
                    "measures": {
                        "description": "What facts are figures of, with how many facts and sources state each.",
                        "label_column": "label",
                        "columns": {
                            "id": "The measure's id, as `kortrade compare ID` takes it.",
                            "label": "What it measures.",
                            "kind": "number (a value), date (the period) or name (value_text).",
                            "periodic": "1 when figures are compared period by period, 0 when it is one event.",
                            "note": "How to read it.",
                            "facts": "How many facts state it.",
                            "sources": "How many sources state it.",
                        },
                    },
                    "comparisons": {
                        "description": (
                            "Facts of one measure, period and country's statistics side by side (Korea's and "
                            "China's are never one comparison), with kortrade's verdict: agree, differ or single."
                        ),
                        "columns": {
                            "measure": "The measure compared.",
                            "period": "The period, for measures compared period by period.",
                            "verdict": "agree, differ or single.",
                            "spread": "The relative gap between the largest and smallest figure.",
                            "facts": "How many facts are compared.",
                            "statistics": "Whose statistics the figures are (empty: not stated).",
                            "reference": "The fact that is the comparison's reference: an official release.",
                        },
                    },
                    "comparison_facts": {
                        "description": "The facts of each comparison, with the range each figure was read as.",
                        "columns": {"flags": "worked-out, scheduled, expected or statistics-assumed, if any."},
                    },
                    "sources": {
                        "description": "The articles and documents the facts cite.",
                        "label_column": "title",
                        "columns": {name: SOURCE_COLUMNS.get(name, "") for name in SOURCE_FIELDS},
                    },
                    "entities": {
                        "description": "Countries, companies, people and places the facts name.",
                        "label_column": "name",
                        "columns": {
                            "name": "The name facts use (English).",
                            "kind": "country, city, company, person, place or organisation.",
                            "names_en": "English names.",
                            "names_ko": "Korean names.",
                            "names_zh": "Chinese names.",
                            "names": "All names by language code, as JSON.",
                        },
                    },
                    "observations": {
                        "description": (
                            "Rows of official statistical files (IMF DOTS, Korea Customs Service, KOSIS), one "
                            "observation a reporter, partner, flow and period, as the file states it: not "
                            "kortrade's wording, and not facts."
                        ),
                        "source": (
                            "Each row's source_id (sources.id) is the data file's publisher; file and line name "
                            "the row of the file, shipped unchanged beside the facts file."
                        ),
                        "label_column": "id",
                        "columns": {
                            "id": "The observation's id, as `kortrade show ID` takes it.",
                            "resource": "The data file (the data package's resource name).",
                            "source_id": "The source it is (sources.id).",
                            "reporter": "Whose statistics: the country reporting the trade.",
                            "partner": "The other country, or World (all partners).",
                            "flow": "exports, imports or balance: the reporter's, with the partner.",
                            "period": "A year (YYYY) or a month (YYYY-MM).",
                            "granularity": "year or month.",
                            "value": "The figure in base units (US dollars), scaled from the file's unit exactly.",
                            "unit": "The figure's unit: USD.",
                            "valuation": "FOB (exports) or CIF (imports) where the file says so.",
                            "display": "The figure as people read it ('$137.123933893 billion').",
                            "period_start": "The first day the period covers, ISO 8601.",
                            "period_end": "The last day the period covers, ISO 8601.",
                            "file": "The data file, relative to the facts file.",
                            "line": "The line of the file the row is on.",
                        },
                    },
                    "fact_entities": {"description": "Which facts name which entities."},
                    "fact_tags": {"description": "Which facts carry which tags."},
                    "facts_fts": {"hidden": True},
                }
            }
        },
    }
