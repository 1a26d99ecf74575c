"""Write a validated dataset into an empty SQLite database: the tables the store reads.

Only a cold run (no index yet, or a stale one) comes here; lookups never import it.
"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import TYPE_CHECKING

from kortrade.errors import DataError, Problem
from kortrade.index_tables import SCHEMA, SCHEMA_INDEXES
from kortrade.records import (
    Record,
    entity_record,
    fact_record,
    granularity,
    measure_record,
    observation_record,
    source_record,
)
from kortrade.render import listed_json
from kortrade.segment import segment
from kortrade.version import __version__

if TYPE_CHECKING:
    from kortrade.model import Dataset, Measure


def write_index(conn: sqlite3.Connection, dataset: Dataset, meta: dict[str, object]) -> None:
    """Fill an empty database with ``dataset``: one transaction, no journal (the file is new)."""
    _require_fts5(conn)
    conn.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA)
    with conn:
        _insert_sources(conn, dataset)
        _insert_measures(conn, dataset)
        names = _insert_entities(conn, dataset)
        records = _insert_facts(conn, dataset, names)
        _insert_comparisons(conn, dataset, records)
        _insert_observations(conn, dataset)
        _insert_official(conn, dataset, records)
        conn.executescript(SCHEMA_INDEXES)
        if dataset.observations or any(f.measure for f in dataset.facts):
            _insert_officials(conn)
        counts = {
            "facts": len(dataset.facts),
            "sources": len(dataset.sources),
            "entities": len(dataset.entities),
            "measures": len({f.measure for f in dataset.facts if f.measure} | {m.id for m in dataset.measures}),
        }
        counts["observations"] = len(dataset.observations)
        info = {
            "kortrade_version": __version__,
            "built_at_ns": time.time_ns(),
            **counts,
            **series_meta(dataset),
            **meta,
        }
        conn.executemany("INSERT INTO meta VALUES (?, ?)", info.items())


def _insert_officials(conn: sqlite3.Connection) -> None:
    """Each reported figure held against the official series (:mod:`kortrade.check`), read back
    from the tables just written as a store reads them: ``show`` and ``check`` then look it up."""
    from kortrade.check import differing_first, official_record
    from kortrade.index import IndexStatus
    from kortrade.official import held_figures, source_lookup
    from kortrade.store import FactStore

    store = FactStore(conn, IndexStatus("", None, "building", "", ""))
    held = held_figures(store)
    source_of = source_lookup(store)
    ranks = {id(h): n for n, h in enumerate(differing_first(held))}
    from kortrade.check import check_record

    conn.executemany(
        "INSERT INTO officials VALUES (?, ?, ?, ?, ?)",
        (
            (
                str(h.fact["id"]).casefold(),
                int(h.agrees),
                ranks.get(id(h)),
                _dumps(official_record(h, source_of)),
                None if h.agrees else _dumps(check_record(h, source_of)),
            )
            for h in held
        ),
    )


def series_meta(dataset: Dataset) -> dict[str, object]:
    """What the index keeps of the data package: its path, and each file read with its status
    and SHA-256, so that a changed CSV file makes the index stale."""
    if dataset.series is None:
        return {"series": None, "series_files": "[]"}
    files = [[f.path, f.sha256, f.dev, f.ino, f.size, f.mtime_ns, f.ctime_ns] for f in dataset.series_files]
    return {"series": dataset.series_files[0].path, "series_files": _dumps(files)}


def _insert_official(conn: sqlite3.Connection, dataset: Dataset, records: list[Record]) -> None:
    """The official series, every year of each measure on each country's statistics, and the
    months that pages give figures of."""
    from kortrade.series import SERIES_MEASURES, SeriesQuery, series_rows
    from kortrade.worked import BALANCE, BASES, EXPORTS, IMPORTS, ROK_TOTAL_EXPORTS, WORLD

    # As `kortrade series` reads them: the facts a series row may be or rest on, and the two
    # countries' observations with each other and with the World.
    wanted = {*SERIES_MEASURES, EXPORTS, IMPORTS, BALANCE, ROK_TOTAL_EXPORTS}
    facts = [r for r in records if r["measure"] in wanted]
    partners = {*BASES, WORLD}
    observations = [
        o for o in dataset.observations if o.reporter in BASES and o.partner in partners and o.partner != o.reporter
    ]
    if not facts and not observations:
        return
    rows = series_rows(observations, facts, SeriesQuery(SERIES_MEASURES))
    # Months only where a page gives a month's figure (and the months beside it, where a
    # wrong month may be found): every month of 100,000 observations took 1.6 s of a cold
    # start; `series --monthly` works its months out when asked.
    from kortrade.check import needed_months
    from kortrade.worked import period_key

    monthly_measures, months = needed_months(f for f in facts if f["measure"] in SERIES_MEASURES)
    if monthly_measures:
        read = [o for o in observations if (o.period.text if len(o.period.text) == 7 else period_key(o)) in months]
        monthly = SeriesQuery(tuple(m for m in SERIES_MEASURES if m in monthly_measures), monthly=True)
        rows += series_rows(read, [f for f in facts if str(f["period_start"])[:7] in months], monthly)
    conn.executemany(
        "INSERT INTO official VALUES (?, ?, ?, ?, ?)",
        ((n, r["measure"], r["period"], r["basis_country"], _dumps(r)) for n, r in enumerate(rows)),
    )


def _insert_observations(conn: sqlite3.Connection, dataset: Dataset) -> None:
    import os

    # A CSV file's path as its data package names it: the same wherever the facts file is
    # (a YAML export elsewhere reads back the same observations).
    package = dataset.series_files[0].path if dataset.series_files else dataset.path
    folder = os.path.dirname(os.path.abspath(package))
    relative: dict[str, str] = {}
    rows = []
    for position, observation in enumerate(dataset.observations):
        file = relative.get(observation.file)
        if file is None:
            file = relative[observation.file] = os.path.relpath(os.path.abspath(observation.file), folder)
        period = observation.period
        rows.append(
            (
                position,
                observation.id,
                observation.resource,
                observation.source.id,
                observation.reporter,
                observation.partner,
                observation.flow,
                period.text,
                period.first.isoformat(),
                period.last.isoformat(),
                granularity(period.text),
                observation.value,
                observation.unit,
                observation.valuation,
                file,
                observation.line,
                # The source's id only (the store puts its record back): 400 bytes a row otherwise.
                _dumps({**observation_record(observation, file), "source": observation.source.id}),
            )
        )
    conn.executemany("INSERT INTO observations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _require_fts5(conn: sqlite3.Connection) -> None:
    try:
        conn.execute("CREATE VIRTUAL TABLE temp.probe USING fts5(x)")
        conn.execute("DROP TABLE temp.probe")
    except sqlite3.OperationalError:
        problem = Problem(
            "sqlite3",
            None,
            None,
            f"this Python's SQLite {sqlite3.sqlite_version} lacks FTS5, which kortrade needs",
            "sqlite",
        )
        raise DataError([problem]) from None


def _dumps(record: object) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def _insert_sources(conn: sqlite3.Connection, dataset: Dataset) -> None:
    conn.executemany(
        "INSERT INTO sources VALUES (?, ?, ?)",
        ((n, s.id, _dumps(source_record(s))) for n, s in enumerate(dataset.sources)),
    )


def _insert_measures(conn: sqlite3.Connection, dataset: Dataset) -> None:
    """The listed measures, then any measure a fact names that the file does not list."""
    from kortrade.model import Measure

    measures = {m.id: m for m in dataset.measures}
    for fact in dataset.facts:
        if fact.measure and fact.measure not in measures:
            measures[fact.measure] = Measure(fact.measure, fact.measure)
    conn.executemany(
        "INSERT INTO measures VALUES (?, ?, ?)",
        ((n, m.id, _dumps(measure_record(m))) for n, m in enumerate(measures.values())),
    )


def _insert_entities(conn: sqlite3.Connection, dataset: Dataset) -> dict[str, list[str]]:
    """Every name of every entity; each name a fact uses stands for itself if not listed."""
    names: dict[str, list[str]] = {e.name: e.all_names() for e in dataset.entities}
    for fact in dataset.facts:
        for entity in fact.entities:
            names.setdefault(entity, [entity])
    conn.executemany(
        "INSERT INTO entities VALUES (?, ?, ?)",
        ((n, e.name, _dumps(entity_record(e))) for n, e in enumerate(dataset.entities)),
    )
    rows = {(n.casefold(), entity): n for entity, all_names in names.items() for n in reversed(all_names)}
    conn.executemany("INSERT INTO entity_names VALUES (?, ?, ?)", sorted((*k, v) for k, v in rows.items()))
    return names


def _insert_facts(conn: sqlite3.Connection, dataset: Dataset, names: dict[str, list[str]]) -> list[Record]:
    """The facts, their tags, entities and search text; returns their records, in file order."""
    records: list[Record] = []
    facts_rows: list[tuple[object, ...]] = []
    text_rows: list[tuple[object, ...]] = []
    tag_rows: list[tuple[str, int]] = []
    entity_rows: list[tuple[str, int]] = []
    names_text: dict[tuple[str, ...], str] = {}
    for position, fact in enumerate(dataset.facts):
        period = fact.period
        record = fact_record(fact)
        records.append(record)
        facts_rows.append(
            (
                position,
                fact.id,
                fact.topic,
                fact.source.id,
                period.first.year if period else None,
                period.last.year if period else None,
                period.first.isoformat() if period else None,
                period.last.isoformat() if period else None,
                # As `--format json` lists it: a long listing copies it out unparsed.
                listed_json(record),
                fact.measure,
                period.order if period else None,
            )
        )
        tag_rows.extend((tag, position) for tag in fact.tags)
        entity_rows.extend((entity, position) for entity in fact.entities)
        all_names = names_text.get(fact.entities)
        if all_names is None:
            # Facts share a few entity lists; segmenting each list once saves most of the work.
            all_names = names_text[fact.entities] = segment(" ; ".join(n for e in fact.entities for n in names[e]))
        text_rows.append(
            (
                position,
                segment(fact.statement),
                all_names,
                segment(" ; ".join(fact.items)),
                " ".join(fact.tags),
                segment(fact.note or ""),
            )
        )
    conn.executemany("INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", facts_rows)
    conn.executemany("INSERT INTO fact_tags VALUES (?, ?)", tag_rows)
    conn.executemany("INSERT INTO fact_entities VALUES (?, ?)", entity_rows)
    conn.executemany(
        "INSERT INTO fact_text (rowid, statement, names, items, tags, note) VALUES (?,?,?,?,?,?)", text_rows
    )
    return records


def _insert_comparisons(conn: sqlite3.Connection, dataset: Dataset, records: list[Record]) -> None:
    """Group the facts that state one measure (and period) by whose statistics they are, and
    record each group's verdict, its facts' readings and flags, and its reference.

    The groups of one measure and period are a family: ``show`` lists a fact's whole family."""
    from kortrade.agreement import by_statistics
    from kortrade.model import Measure

    measures = {m.id: m for m in dataset.measures}
    order = {m.id: n for n, m in enumerate(dataset.measures)}
    families: dict[tuple[object, ...], list[int]] = {}
    for position, fact in enumerate(dataset.facts):
        if fact.measure is None:
            continue
        measure = measures.setdefault(fact.measure, Measure(fact.measure, fact.measure))
        order.setdefault(fact.measure, len(order))
        key: tuple[object, ...] = (fact.measure, fact.unit if measure.kind == "number" else None)
        if measure.periodic:
            key += (fact.period.start, fact.period.end) if fact.period else (None, None)
        families.setdefault(key, []).append(position)

    def sort_key(item: tuple[tuple[object, ...], list[int]]) -> tuple[object, ...]:
        key, positions = item
        first = dataset.facts[positions[0]].period
        return (order[str(key[0])], first.order if first else "", positions[0])

    rows: list[tuple[object, ...]] = []
    links: list[tuple[int, int]] = []
    for family, (key, positions) in enumerate(sorted(families.items(), key=sort_key)):
        measure = measures[str(key[0])]
        for side in by_statistics([records[p] for p in positions]):
            members = [positions[i] for i in side.members]
            assumed = {positions[i] for i in side.assumed}
            number = len(rows)
            rows.append(_comparison_row(number, family, measure, side.country, members, assumed, dataset, records))
            links.extend((p, number) for p in members)
    conn.executemany("INSERT INTO comparisons VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.executemany("INSERT INTO fact_comparisons VALUES (?, ?)", links)


def _comparison_row(
    number: int,
    family: int,
    measure: Measure,
    country: str | None,
    positions: list[int],
    assumed: set[int],
    dataset: Dataset,
    records: list[Record],
) -> tuple[object, ...]:
    """One group's row: its verdict, and in its record each fact's reading and flags and the reference."""
    from kortrade.agreement import flags_of, judge, reference_of

    facts = [records[p] for p in positions]
    verdict, readings = judge(facts, measure.kind)
    flags = [flags_of(records[p], assumed=p in assumed) for p in positions]
    reference = reference_of(facts, flags, readings)
    days = [p for p in (dataset.facts[p].period for p in positions) if p is not None]
    record = {
        "measure": measure.id,
        "period": (facts[0]["period"] if measure.periodic else None),
        "basis": verdict.basis,
        "verdict": verdict.verdict,
        "spread": verdict.spread,
        "label": measure.label,
        "kind": measure.kind,
        "ranges": readings,
        "flags": flags,
        "statistics": country,
        # An observation (a row of an official data file) may be a reference too: the kind says which.
        "reference": None if reference is None else {"kind": "fact", "id": facts[reference]["id"]},
    }
    return (
        number,
        measure.id,
        verdict.verdict,
        min(p.first for p in days).isoformat() if days else None,
        max(p.last for p in days).isoformat() if days else None,
        _dumps(positions),
        _dumps(record),
        family,
    )
