"""The tables of the SQLite index: what :mod:`kortrade.build` writes and :mod:`kortrade.index` checks.

Kept apart from both so that neither imports the other.
"""

from __future__ import annotations

from typing import Final

# Bumped whenever the tables below change shape, or what is worked out into them does
# (the agreement rules behind `comparisons`, the text a record is kept as).
INDEX_FORMAT: Final = 12
APPLICATION_ID: Final = 0x6B6F7274  # "kort"
# Statement counts most, then names, items and tags, then the note.
RANK_WEIGHTS: Final = (4.0, 2.0, 2.0, 2.0, 1.0)

SCHEMA: Final = f"""
PRAGMA application_id = {APPLICATION_ID};
PRAGMA user_version = {INDEX_FORMAT};
CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE sources (position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, record TEXT NOT NULL);
CREATE TABLE facts (
    position INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    topic TEXT NOT NULL,
    source TEXT NOT NULL,
    first_year INTEGER,
    last_year INTEGER,
    first_day TEXT,
    last_day TEXT,
    record TEXT NOT NULL,
    measure TEXT,
    -- the local date and time a period starts, to order a day's events
    sort_key TEXT
);
CREATE TABLE measures (position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, record TEXT NOT NULL);
-- Facts of one measure (and period, for periodic measures) and one country's statistics,
-- with the verdict on them, worked out once when the index is built (kortrade.agreement).
-- The groups of one measure and period share a family (``show`` lists them all).
CREATE TABLE comparisons (
    position INTEGER PRIMARY KEY,
    measure TEXT NOT NULL,
    verdict TEXT NOT NULL,
    first_day TEXT,
    last_day TEXT,
    facts TEXT NOT NULL,
    record TEXT NOT NULL,
    family INTEGER NOT NULL
);
CREATE TABLE fact_comparisons (fact INTEGER PRIMARY KEY, comparison INTEGER NOT NULL) WITHOUT ROWID;
-- Each reported figure held against its official counterpart (kortrade.check), worked out once
-- when the index is built: ``official`` is show's record, ``row`` check's (``rank``: largest gap
-- first; both NULL for a figure that agrees).
CREATE TABLE officials (
    fact TEXT PRIMARY KEY,
    agrees INTEGER NOT NULL,
    rank INTEGER,
    official TEXT NOT NULL,
    row TEXT
) WITHOUT ROWID;
CREATE TABLE fact_tags (tag TEXT NOT NULL, fact INTEGER NOT NULL, PRIMARY KEY (tag, fact)) WITHOUT ROWID;
CREATE TABLE entities (position INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, record TEXT NOT NULL);
CREATE TABLE entity_names (
    folded TEXT NOT NULL, entity TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (folded, entity)
) WITHOUT ROWID;
CREATE TABLE fact_entities (entity TEXT NOT NULL, fact INTEGER NOT NULL, PRIMARY KEY (entity, fact)) WITHOUT ROWID;
-- Rows of the official data files the facts file's `series` data package describes
-- (kortrade.series_load); `value` keeps the integer or float the row gives, in base units.
-- The official series (kortrade.series), yearly and monthly, worked out once when the index is
-- built: an answer to "trade in 2023" is then a lookup, not a reading of the data files' rows.
CREATE TABLE official (
    position INTEGER PRIMARY KEY, measure TEXT NOT NULL, period TEXT NOT NULL, basis TEXT NOT NULL, record TEXT NOT NULL
);
CREATE TABLE observations (
    position INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    resource TEXT NOT NULL,
    source TEXT NOT NULL,
    reporter TEXT NOT NULL,
    partner TEXT NOT NULL,
    flow TEXT NOT NULL,
    period TEXT NOT NULL,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    granularity TEXT NOT NULL,
    value,
    unit TEXT NOT NULL,
    valuation TEXT,
    file TEXT NOT NULL,
    line INTEGER NOT NULL,
    record TEXT NOT NULL
);
CREATE VIRTUAL TABLE fact_text USING fts5(
    statement, names, items, tags, note,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
"""
# Built after the rows are in: one sort instead of a b-tree insert per row.
SCHEMA_INDEXES: Final = """
CREATE UNIQUE INDEX facts_by_id ON facts (id);
CREATE INDEX facts_by_topic ON facts (topic, position);
CREATE INDEX facts_by_day ON facts (sort_key, last_day, position) WHERE first_day IS NOT NULL;
-- source too, so `measures` (and the title of `compare MEASURE`) counts each measure's sources from the
-- index alone: 250 ms at 100,000 facts when every fact row had to be read, 20 ms from this.
CREATE INDEX facts_by_measure ON facts (measure, position, source) WHERE measure IS NOT NULL;
CREATE UNIQUE INDEX observations_by_id ON observations (id);
CREATE INDEX official_by_period ON official (measure, period, position);
-- Where each country's monthly data ends (`series`, `info`): a seek, where a scan of 100,000 rows took 135 ms.
CREATE INDEX observations_by_month ON observations (reporter, granularity, period);
CREATE INDEX observations_by_series ON observations (reporter, partner, flow, first_day, position);
CREATE INDEX comparisons_by_measure ON comparisons (measure, position);
CREATE INDEX comparisons_by_verdict ON comparisons (verdict, position);
CREATE INDEX comparisons_by_family ON comparisons (family, position);
"""
