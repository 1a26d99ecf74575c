"""The output contracts, pinned: the keys of each kind of record, in their order."""

from __future__ import annotations

# The keys of 1.x in their order, then those added in 2.0.
FACT_KEYS = [
    "id", "topic", "statement", "value", "unit", "qualifier", "display",
    "period", "entities", "items", "tags", "note", "source",
    "measure", "basis", "basis_country", "value_text", "decimals", "period_start", "period_end",
]  # fmt: skip
SOURCE_KEYS = ["id", "title", "publisher", "published", "url", "kind", "language", "via", "date_note"]
# `compare`: a group's keys, then those added when groups became one country's statistics each;
# each fact is a fact record with its reading (`range`) and then its `flags`.
COMPARE_KEYS = ["measure", "period", "basis", "verdict", "spread", "facts", "statistics", "reference", "official"]
COMPARE_FACT_KEYS = [*FACT_KEYS, "range", "flags"]
# `compare --format csv`: a row per fact.
COMPARE_CSV_KEYS = [
    "measure", "period", "verdict", "spread", "id", "display", "fact_period", "basis", "basis_country", "source",
    "statistics", "flags", "reference", "official",
]  # fmt: skip
CORROBORATION_KEYS = ["measure", "period", "verdict", "spread", "others"]
# A row of `kortrade series` (3.0), pinned: keys are only ever appended.
SERIES_KEYS = [
    "measure", "period", "period_start", "period_end", "basis_country", "value", "unit", "display",
    "worked_out", "how", "observations", "facts", "source", "also_stated", "reported", "agreeing", "verdict",
]  # fmt: skip
# A row of `kortrade check` (3.0), pinned: keys are only ever appended.
CHECK_KEYS = [
    "id", "measure", "period", "basis_country", "value", "unit", "display", "source",
    "official_basis_country", "official_value", "official_display", "official_source", "official_how",
    "official_facts", "gap", "gap_percent", "likely", "matches_period", "matches_basis_country", "matches_display",
    "note",
]  # fmt: skip
# `show`'s `official` (3.0), after `corroboration`: a fact's official counterpart.
OFFICIAL_KEYS = [
    "basis_country", "value", "unit", "display", "source", "how", "facts", "agrees", "gap", "gap_percent", "note",
]  # fmt: skip
