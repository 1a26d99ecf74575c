"""The rules format 2.0 added, each with its exact FILE:LINE:COL message, and the values valid files load to.

Measures (and the kind that decides where a fact's value is), bases and their
country, entity countries, decimals, value_text, the new periods, qualifiers, entity
kinds and source keys. Every file here is written by the test: none depends on the
shipped data.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kortrade import DataError, Dataset, load_dataset
from kortrade.errors import RULES
from kortrade.model import ENTITY_KINDS, QUALIFIERS, SOURCE_KINDS, Measure, PartialDate, Period
from kortrade.periods import parse_period, parse_published
from kortrade.validation import PERIOD_EXPECTED
from support.cli import Cli
from support.facts import SOURCES, WriteFacts, entry
from support.hostile import UNSAFE

# Lines 8-20.
ENTITIES = """\
entities:
  - name: China
    kind: country
  - name: Republic of Korea
    kind: country
  - name: Korea Customs Service
    kind: ministry
    country: Republic of Korea
  - name: General Administration of Customs
    kind: ministry
    country: China
  - name: Samsung
    kind: company
"""
# Lines 21-30.
MEASURES = """\
measures:
  - id: bilateral-trade
    label: Bilateral trade
  - id: summit-date
    label: Date of the summit
    kind: date
  - id: summit-host
    label: Host city
    kind: name
    periodic: false
"""
# Sources (1-7), entities (8-20), measures (21-30), "facts:" (31): a fact written with
# `fact()` starts on line 32.
HEAD = SOURCES + ENTITIES + MEASURES + "facts:\n"
F = 32
# Without entities or measures sections: a fact starts on line 9.
PLAIN = SOURCES + "facts:\n"
BASE_FACT = {"id": "fact-one", "topic": "trade", "statement": "S.", "source": "src-a"}
FIGURE = {"value": "1", "unit": "USD", "qualifier": "about"}
MEASURE_KEY_LIST = "id, label, kind, periodic, note"


def fact(**fields: str | None) -> str:
    """One fact: id, topic, statement and source on its first four lines, then ``fields`` in order.

    Values are raw YAML text; ``None`` leaves a key out. In a file made with HEAD, the
    fact's first line is F, its key column 5, and the n-th extra key is on line F + 3 + n.
    """
    return entry(**{**BASE_FACT, **fields})


def problems(write_facts: WriteFacts, text: str) -> tuple[Path, list[str]]:
    path = write_facts(text, "facts.yaml")
    with pytest.raises(DataError) as info:
        load_dataset(path)
    return path, info.value.lines


def loads(write_facts: WriteFacts, text: str) -> Dataset:
    return load_dataset(write_facts(text, "facts.yaml"))


def test_the_header_has_the_lines_the_tests_count_on() -> None:
    lines = HEAD.splitlines()
    assert (lines[7], lines[20], lines[F - 2]) == ("entities:", "measures:", "facts:")
    assert len(lines) == F - 1


# -- the measures section ------------------------------------------------------------------


def test_measures_load_with_their_defaults(write_facts: WriteFacts) -> None:
    text = HEAD.replace("    label: Bilateral trade\n", "    label: Bilateral trade\n    note: Customs figures.\n")
    dataset = loads(write_facts, text + fact(measure="bilateral-trade", **FIGURE))
    assert dataset.measures == (
        Measure("bilateral-trade", "Bilateral trade", "number", True, "Customs figures."),
        # A date's period is its value: never periodic, unless the file says so (it may not).
        Measure("summit-date", "Date of the summit", "date", False, None),
        Measure("summit-host", "Host city", "name", False, None),
    )
    assert dataset.facts[0].measure == "bilateral-trade"


def test_a_name_measure_may_be_periodic(write_facts: WriteFacts) -> None:
    text = HEAD.replace("    periodic: false\n", "    periodic: true\n")
    assert loads(write_facts, text + fact()).measures[2] == Measure("summit-host", "Host city", "name", True)


def _measures(body: str) -> str:
    """A file whose measures section is ``body`` (from line 9) and whose one fact names none."""
    return SOURCES + "measures:\n" + body + "facts:\n" + fact()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "  - id: m\n    label: L\n    kidn: name\n",
            f"11:5: unknown key 'kidn' in a measure (did you mean 'kind'?); expected one of: {MEASURE_KEY_LIST}",
        ),
        ("  - id: m\n", "9:5: a measure is missing the required key 'label'"),
        ("  - label: L\n", "9:5: a measure is missing the required key 'id'"),
        (
            "  - id: m\n    label: L\n    kind: nmae\n",
            "11:11: 'kind' must be one of number, date, name, got 'nmae' (did you mean 'name'?)",
        ),
        ("  - id: m\n    label: L\n    kind: count\n", "11:11: 'kind' must be one of number, date, name, got 'count'"),
        (
            "  - id: m\n    label: L\n    kind: date\n    periodic: true\n",
            "12:15: a measure of kind date cannot be periodic: its period is its value",
        ),
        (
            "  - id: m\n    label: L\n    periodic: yes\n",
            "11:15: 'periodic' must be true or false, got a boolean (yes)",
        ),
        ("  - id: m\n    label: L\n    periodic: 'no'\n", "11:15: 'periodic' must be true or false, got text (no)"),
        (
            "  - id: Bilateral Trade\n    label: L\n",
            "9:9: 'id' must be a lowercase slug (a-z, 0-9 and '-', e.g. 'trade-volume-2024'), got 'Bilateral Trade'",
        ),
        ("  - id: m\n    label: ' '\n", "10:12: 'label' must not be empty"),
        (
            "  - id: m\n    label: L\n    note: 2024-01-01\n",
            "11:11: 'note' must be text, got a date (2024-01-01); quote the value: note: \"2024-01-01\"",
        ),
        ("  - id: m\n    label: L\n  - id: m\n    label: M\n", "11:5: duplicate measure id 'm'"),
        ("  - just a name\n", "9:5: expected a measure as a mapping (key: value), got text (just a name)"),
    ],
    ids=[
        "unknown-key",
        "no-label",
        "no-id",
        "kind-did-you-mean",
        "kind-no-hint",
        "date-periodic",
        "periodic-yes",
        "periodic-quoted",
        "id-not-slug",
        "label-blank",
        "note-a-date",
        "duplicate-id",
        "not-a-mapping",
    ],
)
def test_bad_measures(write_facts: WriteFacts, body: str, message: str) -> None:
    path, lines = problems(write_facts, _measures(body))
    assert lines == [f"{path}:{message}"]


def test_measures_must_be_a_list(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, SOURCES + "measures: {id: m}\nfacts: []\n")
    assert lines == [f"{path}:8:11: expected 'measures' as a list, got a mapping"]


def test_an_empty_measures_section_lists_no_measure(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, SOURCES + "measures: []\nfacts:\n" + fact(measure="m", **FIGURE))
    assert lines == [f"{path}:14:14: measure 'm' is not in the measures section"]


# -- a fact's measure ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("bilateral-trad", "measure 'bilateral-trad' is not in the measures section (did you mean 'bilateral-trade'?)"),
        ("gdp", "measure 'gdp' is not in the measures section"),
    ],
)
def test_a_measure_must_be_listed(write_facts: WriteFacts, ref: str, message: str) -> None:
    path, lines = problems(write_facts, HEAD + fact(measure=ref, **FIGURE))
    assert lines == [f"{path}:{F + 4}:14: {message}"]


def test_a_measure_must_be_a_slug(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD + fact(measure="Bilateral trade", **FIGURE))
    assert lines == [
        f"{path}:{F + 4}:14: 'measure' must be a lowercase slug (a-z, 0-9 and '-', e.g. 'trade-volume-2024'), "
        "got 'Bilateral trade'"
    ]


@pytest.mark.parametrize(
    ("measure", "given", "needed"),
    [
        ("bilateral-trade", {"period": "2024"}, "value"),
        ("summit-date", FIGURE, "period"),
        ("summit-host", {"period": "2026-01-05"}, "value_text"),
    ],
)
def test_a_measure_s_kind_decides_where_the_value_is(
    write_facts: WriteFacts, measure: str, given: dict[str, str], needed: str
) -> None:
    kind = {"bilateral-trade": "number", "summit-date": "date", "summit-host": "name"}[measure]
    path, lines = problems(write_facts, HEAD + fact(measure=measure, **given))
    assert lines == [f"{path}:{F}:5: measure '{measure}' is of kind {kind}: this fact needs '{needed}'"]


@pytest.mark.parametrize(
    ("measure", "given"),
    [
        ("bilateral-trade", {**FIGURE, "period": "2024"}),
        ("summit-date", {"period": "2026-01-05"}),
        ("summit-date", {"period": "2026-01-05T16:47+08:00"}),
        ("summit-host", {"value_text": "Beijing"}),
        # A name measure may also give a figure (the count of cities, say) and a period.
        ("summit-host", {"value_text": "Beijing", "period": "2026-01", **FIGURE}),
    ],
)
def test_a_measure_with_its_value_where_its_kind_keeps_it(
    write_facts: WriteFacts, measure: str, given: dict[str, str]
) -> None:
    loaded = loads(write_facts, HEAD + fact(measure=measure, **given)).facts[0]
    assert loaded.measure == measure
    assert loaded.value_text == (given.get("value_text"))


@pytest.mark.parametrize("measure", ["bilateral-trade", "summit-date"])
def test_value_text_is_only_for_a_name_measure(write_facts: WriteFacts, measure: str) -> None:
    kind, given = ("number", FIGURE) if measure == "bilateral-trade" else ("date", {"period": "2026-01-05"})
    path, lines = problems(write_facts, HEAD + fact(measure=measure, **given, value_text="Beijing"))
    line = F + 4 + 1 + len(given)
    assert lines == [f"{path}:{line}:17: 'value_text' is for measures of kind name; '{measure}' is of kind {kind}"]


def test_value_text_without_a_measure(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD + fact(value_text="Beijing"))
    assert lines == [
        f"{path}:{F + 4}:17: 'value_text' is the value of a measure of kind name; this fact has no such measure"
    ]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("' '", "'value_text' must not be empty"),
        ("2026", "'value_text' must be text, got a number (2026); quote the value: value_text: \"2026\""),
        ("[Beijing]", "'value_text' must be text, got a list"),
    ],
)
def test_value_text_must_be_text(write_facts: WriteFacts, written: str, message: str) -> None:
    path, lines = problems(write_facts, HEAD + fact(measure="summit-host", value_text=written))
    # The measure's rule is not repeated: the value_text is there, only wrong.
    assert lines == [f"{path}:{F + 5}:17: {message}"]


def test_without_a_measures_section_any_measure_slug_goes(write_facts: WriteFacts) -> None:
    dataset = loads(write_facts, PLAIN + fact(measure="anything-at-all", **FIGURE))
    assert (dataset.measures, dataset.facts[0].measure) == ((), "anything-at-all")


def test_without_a_measures_section_a_measure_is_a_number_and_the_message_says_why(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, PLAIN + fact(measure="summit-host", value_text="Beijing"))
    why = "of kind number (there is no measures section to say otherwise)"
    assert lines == [
        f"{path}:9:5: measure 'summit-host' is {why}: this fact needs 'value'",
        f"{path}:14:17: 'value_text' is for measures of kind name; 'summit-host' is {why}",
    ]


def test_a_broken_measure_is_reported_once_not_again_at_each_fact(write_facts: WriteFacts) -> None:
    """A measure with a wrong key is still the measure its facts name: no "not in the measures
    section (did you mean another?)" for them, no "no such measure" for their value_text."""
    body = "  - id: summit-host\n    label: Host city\n    kind: name\n    note: 2024-01-01\n"
    text = SOURCES + "measures:\n" + body + "facts:\n" + fact(measure="summit-host", value_text="Beijing")
    path, lines = problems(write_facts, text)
    assert lines == [
        f"{path}:12:11: 'note' must be text, got a date (2024-01-01); quote the value: note: \"2024-01-01\""
    ]


def test_a_measure_of_unknown_kind_does_not_check_its_facts(write_facts: WriteFacts) -> None:
    body = "  - id: m\n    label: L\n    kind: nmae\n"
    text = SOURCES + "measures:\n" + body + "facts:\n" + fact(measure="m", value_text="Beijing")
    path, lines = problems(write_facts, text)
    assert lines == [f"{path}:11:11: 'kind' must be one of number, date, name, got 'nmae' (did you mean 'name'?)"]


# -- basis and country ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "basis", "country"),
    [
        ("China", ("China",), "China"),
        ("Korea Customs Service", ("Korea Customs Service",), "Republic of Korea"),
        ("[Korea Customs Service]", ("Korea Customs Service",), "Republic of Korea"),
        ("[Korea Customs Service, Republic of Korea]",
         ("Korea Customs Service", "Republic of Korea"), "Republic of Korea"),
        # Two countries' statistics: the fact has no one country.
        ("[Korea Customs Service, General Administration of Customs]",
         ("Korea Customs Service", "General Administration of Customs"), None),
        ("[]", (), None),
    ],
)  # fmt: skip
def test_basis_and_its_country(
    write_facts: WriteFacts, written: str, basis: tuple[str, ...], country: str | None
) -> None:
    loaded = loads(write_facts, HEAD + fact(basis=written)).facts[0]
    assert (loaded.basis, loaded.basis_country) == (basis, country)


def test_without_an_entities_section_any_basis_goes_and_has_no_country(write_facts: WriteFacts) -> None:
    loaded = loads(write_facts, PLAIN + fact(basis="Anyone at all")).facts[0]
    assert (loaded.basis, loaded.basis_country) == (("Anyone at all",), None)


@pytest.mark.parametrize(
    ("written", "column", "message"),
    [
        ("Korea Custom Service", 12,
         "basis 'Korea Custom Service' is not in the entities section (did you mean 'Korea Customs Service'?)"),
        ("Atlantis", 12, "basis 'Atlantis' is not in the entities section"),
        ("Samsung", 12, "basis 'Samsung' needs a 'country' in the entities section (whose statistics?)"),
        ("[China, Samsung]", 20, "basis 'Samsung' needs a 'country' in the entities section (whose statistics?)"),
        ("1", 12, "'basis' must be text, got a number (1); quote the value: basis: \"1\""),
        ("{China: 1}", 12, "'basis' must be text, got a mapping"),
        ("' '", 12, "'basis' must not be empty"),
    ],
)  # fmt: skip
def test_bad_basis(write_facts: WriteFacts, written: str, column: int, message: str) -> None:
    path, lines = problems(write_facts, HEAD + fact(basis=written))
    assert lines == [f"{path}:{F + 4}:{column}: {message}"]


def test_each_bad_basis_is_reported_where_it_is_written(write_facts: WriteFacts) -> None:
    """A duplicate or a non-text basis before it once shifted the next one's position onto it."""
    written = "[Korea Customs Service, Korea Customs Service, Atlantis, 7, Samsung]"
    path, lines = problems(write_facts, HEAD + fact(basis=written))
    # "    basis: [" is 12 columns; the items start at 13, 36, 59, 69 and 72.
    assert lines == [
        f"{path}:{F + 4}:36: 'Korea Customs Service' is listed twice in 'basis'",
        f"{path}:{F + 4}:59: basis 'Atlantis' is not in the entities section",
        f"{path}:{F + 4}:69: 'basis[]' must be text, got a number (7); quote the value: basis[]: \"7\"",
        f"{path}:{F + 4}:72: basis 'Samsung' needs a 'country' in the entities section (whose statistics?)",
    ]


def _entities(extra: str) -> str:
    """HEAD with ``extra`` entities (from line 21) before the measures; the fact then starts at F + lines."""
    return HEAD.replace("measures:\n", extra + "measures:\n", 1)


@pytest.mark.parametrize(
    ("country", "message"),
    [
        ("Chna", "'country' must name an entity of kind country, got 'Chna' (did you mean 'China'?)"),
        ("Korea Customs Service", "'country' must name an entity of kind country, got 'Korea Customs Service'"),
        ("Atlantis", "'country' must name an entity of kind country, got 'Atlantis'"),
    ],
)
def test_an_entity_s_country_must_be_a_listed_country(write_facts: WriteFacts, country: str, message: str) -> None:
    path, lines = problems(write_facts, _entities(f"  - name: Korea Trade Office\n    country: {country}\n") + fact())
    assert lines == [f"{path}:22:14: {message}"]


def test_a_country_that_is_not_text_is_reported_once(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, _entities("  - name: Korea Trade Office\n    country: 1\n") + fact())
    assert lines == [f"{path}:22:14: 'country' must be text, got a number (1); quote the value: country: \"1\""]


def test_a_country_merged_in_with_an_anchor_is_checked_too(write_facts: WriteFacts) -> None:
    extra = "  - &office {name: Office A, kind: organisation, country: Atlantis}\n  - {<<: *office, name: Office B}\n"
    path, lines = problems(write_facts, _entities(extra) + fact())
    # Reported once, where the country is written; Office B merges that very node.
    assert lines == [f"{path}:21:59: 'country' must name an entity of kind country, got 'Atlantis'"]


def test_a_merged_country_gives_the_basis_its_country(write_facts: WriteFacts) -> None:
    extra = "  - &office {name: Office A, kind: organisation, country: China}\n  - {<<: *office, name: Office B}\n"
    loaded = loads(write_facts, _entities(extra) + fact(basis="Office B")).facts[0]
    assert loaded.basis_country == "China"


@pytest.mark.parametrize("kind", ["ministry", "event"])
def test_the_new_entity_kinds(write_facts: WriteFacts, kind: str) -> None:
    assert kind in ENTITY_KINDS
    dataset = loads(write_facts, _entities(f"  - name: Thing\n    kind: {kind}\n") + fact(entities="[Thing]"))
    assert [e.kind for e in dataset.entities if e.name == "Thing"] == [kind]


def test_an_entity_kind_near_miss_has_a_did_you_mean(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, _entities("  - name: Thing\n    kind: ministy\n") + fact())
    assert lines == [
        f"{path}:22:11: 'kind' must be one of {', '.join(ENTITY_KINDS)}, got 'ministy' (did you mean 'ministry'?)"
    ]


# -- decimals and qualifiers ---------------------------------------------------------------


@pytest.mark.parametrize("decimals", [0, 1, 12])
def test_decimals_in_range(write_facts: WriteFacts, decimals: int) -> None:
    loaded = loads(write_facts, PLAIN + fact(**FIGURE, decimals=str(decimals))).facts[0]
    assert loaded.decimals == decimals


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("13", "'decimals' must be from 0 to 12, got 13"),
        ("-1", "'decimals' must be from 0 to 12, got -1"),
        ("1.0", "'decimals' must be a whole number, got a number (1.0)"),
        ("'1'", "'decimals' must be a whole number, got text (1)"),
        ("true", "'decimals' must be a whole number, got a boolean (true)"),
        ("010", "'decimals' is 010, which YAML tools read differently; "
                "write it in plain decimal digits (e.g. 328080000000 or 54.5)"),
    ],
)  # fmt: skip
def test_decimals_out_of_range_or_not_whole(write_facts: WriteFacts, written: str, message: str) -> None:
    path, lines = problems(write_facts, PLAIN + fact(**FIGURE, decimals=written))
    assert lines == [f"{path}:16:15: {message}"]


def test_decimals_without_a_value(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, PLAIN + fact(decimals="1"))
    assert lines == [f"{path}:13:15: 'decimals' describes a 'value', but this fact has none"]


def test_decimals_out_of_range_and_without_a_value(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, PLAIN + fact(decimals="20"))
    assert lines == [
        f"{path}:13:15: 'decimals' must be from 0 to 12, got 20",
        f"{path}:13:15: 'decimals' describes a 'value', but this fact has none",
    ]


@pytest.mark.parametrize("qualifier", ["nearly", "at-least"])
def test_the_new_qualifiers(write_facts: WriteFacts, qualifier: str) -> None:
    given = {**FIGURE, "qualifier": qualifier}
    assert loads(write_facts, PLAIN + fact(**given)).facts[0].qualifier == qualifier


@pytest.mark.parametrize("qualifier", ["at least", "at_least", "Nearly"])
def test_qualifier_near_misses(write_facts: WriteFacts, qualifier: str) -> None:
    path, lines = problems(write_facts, PLAIN + fact(**{**FIGURE, "qualifier": qualifier}))
    assert lines == [f"{path}:15:16: 'qualifier' must be one of {', '.join(QUALIFIERS)}, got '{qualifier}'"]


# -- periods -------------------------------------------------------------------------------

D = dt.date
VALID_PERIODS = [
    # written, first, last, start, end, order
    ("2024", D(2024, 1, 1), D(2024, 12, 31), "2024-01-01", "2024-12-31", "2024-01-01"),
    ("2024-07", D(2024, 7, 1), D(2024, 7, 31), "2024-07-01", "2024-07-31", "2024-07-01"),
    ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "2024-02-01", "2024-02-29", "2024-02-01"),
    ("2025-02", D(2025, 2, 1), D(2025, 2, 28), "2025-02-01", "2025-02-28", "2025-02-01"),
    ("2026-01-05", D(2026, 1, 5), D(2026, 1, 5), "2026-01-05", "2026-01-05", "2026-01-05"),
    ("2026-01-05T16:47+08:00", D(2026, 1, 5), D(2026, 1, 5),
     "2026-01-05T16:47+08:00", "2026-01-05T16:47+08:00", "2026-01-05T16:47:00"),
    ("2026-01-05T16:47:30Z", D(2026, 1, 5), D(2026, 1, 5),
     "2026-01-05T16:47:30Z", "2026-01-05T16:47:30Z", "2026-01-05T16:47:30"),
    # The local date, not the UTC one: 23:30 in Seoul is still the 5th there.
    ("2026-01-05T23:30-14:00", D(2026, 1, 5), D(2026, 1, 5),
     "2026-01-05T23:30-14:00", "2026-01-05T23:30-14:00", "2026-01-05T23:30:00"),
    ("2024-01/2024-07", D(2024, 1, 1), D(2024, 7, 31), "2024-01-01", "2024-07-31", "2024-01-01"),
    ("2024/2025", D(2024, 1, 1), D(2025, 12, 31), "2024-01-01", "2025-12-31", "2024-01-01"),
    ("2026-01-05/2026-01-07", D(2026, 1, 5), D(2026, 1, 7), "2026-01-05", "2026-01-07", "2026-01-05"),
    ("2026-01-05T09:00+09:00/2026-01-05T11:30+09:00", D(2026, 1, 5), D(2026, 1, 5),
     "2026-01-05T09:00+09:00", "2026-01-05T11:30+09:00", "2026-01-05T09:00:00"),
    # In different zones, the moments decide: 09:00 in Seoul is before 08:30 in Beijing.
    ("2026-01-05T09:00+09:00/2026-01-05T08:30+08:00", D(2026, 1, 5), D(2026, 1, 5),
     "2026-01-05T09:00+09:00", "2026-01-05T08:30+08:00", "2026-01-05T09:00:00"),
    ("2026-2030", D(2026, 1, 1), D(2030, 12, 31), "2026-01-01", "2030-12-31", "2026-01-01"),
    ("2024-12/2025-01", D(2024, 12, 1), D(2025, 1, 31), "2024-12-01", "2025-01-31", "2024-12-01"),
]  # fmt: skip
AS_OF = [
    # written, the day it holds, end, order
    ("../2020-12", D(2020, 12, 31), "2020-12-31", "2020-12-31"),
    ("../2020", D(2020, 12, 31), "2020-12-31", "2020-12-31"),
    ("../2024-03-15", D(2024, 3, 15), "2024-03-15", "2024-03-15"),
    ("../2026-01-05T16:47+08:00", D(2026, 1, 5), "2026-01-05T16:47+08:00", "2026-01-05T16:47:00"),
]


@pytest.mark.parametrize(("written", "first", "last", "start", "end", "order"), VALID_PERIODS)
def test_valid_periods_parse_to_their_bounds(
    write_facts: WriteFacts, written: str, first: dt.date, last: dt.date, start: str, end: str, order: str
) -> None:
    expected = Period(written, first, last, start, end, order)
    assert parse_period(written) == expected
    assert not expected.as_of
    # As the loader reads it from a file, plain and quoted.
    for yaml_text in (written, f'"{written}"'):
        assert loads(write_facts, PLAIN + fact(period=yaml_text)).facts[0].period == expected


@pytest.mark.parametrize(("written", "day", "end", "order"), AS_OF)
def test_as_of_periods(write_facts: WriteFacts, written: str, day: dt.date, end: str, order: str) -> None:
    expected = Period(written, day, day, None, end, order)
    assert parse_period(written) == expected
    assert expected.as_of
    assert loads(write_facts, PLAIN + fact(period=written)).facts[0].period == expected


def test_a_time_with_seconds_is_a_yaml_timestamp_and_still_a_period(write_facts: WriteFacts) -> None:
    # PyYAML resolves 2026-01-05T16:47:30+08:00 as a timestamp; the loader reads its text.
    loaded = loads(write_facts, PLAIN + fact(period="2026-01-05T16:47:30+08:00")).facts[0]
    assert loaded.period is not None
    assert (loaded.period.text, loaded.period.order) == ("2026-01-05T16:47:30+08:00", "2026-01-05T16:47:30")


def test_periods_sort_by_order() -> None:
    written = ["2026-01-05T16:47+08:00", "2026", "../2020-12", "2024-07", "2024-01/2024-07", "2026-01-05"]
    periods = [parse_period(w) for w in written]
    assert all(p is not None for p in periods)
    ordered = sorted(periods, key=lambda p: p.order if p else "")
    assert [p.text for p in ordered if p] == [
        "../2020-12", "2024-01/2024-07", "2024-07", "2026", "2026-01-05", "2026-01-05T16:47+08:00",
    ]  # fmt: skip


INVALID_PERIODS = [
    "2024-13",
    "2024-00",
    "0000",
    "0000-06",
    "2024-7",
    "2024-07/2024-01",  # backwards
    "2024-07/2024-07",  # empty
    "2024/2024-07",  # two precisions
    "2024-01-01/2024-02",
    "2026-01-05T16:47",  # a time without its zone
    "2026-01-05T16:47/2026-01-05T17:00",
    "2026-01-05T16:47+15:00",  # no zone is 15 hours off
    "2026-01-05T16:47+14:01",
    "2026-01-05T16:47+08:60",  # no hour has 60 minutes
    "2026-01-05T16:47+0800",
    "2026-01-05T25:00+08:00",
    "2026-01-05t16:47+08:00",
    "2026-01-05T16:47:30.5+08:00",
    "../",
    "..",
    "../2024/2025",
    "../2026-2030",
    "2024/..",
    "2024-01/../2024-02",
    "2024-02-30/2024-03-01",
    "2024-02-28/2024-02-30",
    "2024 / 2025",
    "2024/",
    "/2024",
    "2030-2026",
    "2026-01-05T18:00+09:00/2026-01-05T16:47+08:00",  # 18:00 in Seoul is after 16:47 in Beijing
]


@pytest.mark.parametrize("written", INVALID_PERIODS)
def test_period_near_misses(write_facts: WriteFacts, written: str) -> None:
    assert parse_period(written) is None
    path, lines = problems(write_facts, PLAIN + fact(period=f"'{written}'"))
    shown = written if len(written) <= 40 else written[:39] + "…"
    assert lines == [f"{path}:13:13: {PERIOD_EXPECTED}, got text ({shown})"]


def test_the_period_message_names_every_form() -> None:
    assert PERIOD_EXPECTED == (
        "'period' must be a year (2024), a month (2024-07), a day (2026-01-05), a time with its zone "
        "(2026-01-05T16:47+08:00), a range of one of them (2024-01/2024-07, 2026-2030) or 'as of' one (../2020-12)"
    )
    for example in ("2024", "2024-07", "2026-01-05", "2026-01-05T16:47+08:00", "2024-01/2024-07", "../2020-12"):
        assert parse_period(example) is not None, example


@pytest.mark.parametrize(
    ("written", "described"),
    [
        ("0000", "a number (0000)"),
        ("2026-01-05 16:47:30+08:00", "a date (2026-01-05 16:47:30+08:00)"),
        ("[2024, 2025]", "a list"),
        ("{from: 2024}", "a mapping"),
    ],
)
def test_periods_that_are_not_text_say_what_they_are(write_facts: WriteFacts, written: str, described: str) -> None:
    path, lines = problems(write_facts, PLAIN + fact(period=written))
    assert lines == [f"{path}:13:13: {PERIOD_EXPECTED}, got {described}"]


# -- sources -------------------------------------------------------------------------------


def _source(*lines: str, published: str | None = "2026-01-09") -> str:
    """PLAIN with the source's ``published`` replaced (None: left out) and ``lines`` added after url (line 8-)."""
    text = SOURCES
    text = text.replace("    published: 2026-01-09\n", "" if published is None else f"    published: {published}\n")
    return text + "".join(f"    {line}\n" for line in lines) + "facts:\n" + fact()


def test_the_new_source_keys_load(write_facts: WriteFacts) -> None:
    text = _source("kind: news-agency", "language: zh-Hant", "via: Yonhap", "date_note: From the dateline.")
    source = loads(write_facts, text).sources[0]
    assert (source.kind, source.language, source.via, source.date_note) == (
        "news-agency", "zh-Hant", "Yonhap", "From the dateline.",
    )  # fmt: skip
    assert source.published == PartialDate("2026-01-09", D(2026, 1, 9), D(2026, 1, 9))


@pytest.mark.parametrize("kind", SOURCE_KINDS)
def test_every_source_kind(write_facts: WriteFacts, kind: str) -> None:
    assert loads(write_facts, _source(f"kind: {kind}")).sources[0].kind == kind


@pytest.mark.parametrize(
    ("written", "first", "last"),
    [
        ("2025", D(2025, 1, 1), D(2025, 12, 31)),
        ("2025-09", D(2025, 9, 1), D(2025, 9, 30)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("'2025-09-30'", D(2025, 9, 30), D(2025, 9, 30)),
    ],
)
def test_published_may_be_partial(write_facts: WriteFacts, written: str, first: dt.date, last: dt.date) -> None:
    source = loads(write_facts, _source(published=written)).sources[0]
    assert source.published == PartialDate(written.strip("'"), first, last)
    assert str(source.published) == written.strip("'")
    assert source.label == f"Pub, {written.strip(chr(39))}"


def test_published_may_be_absent_with_a_date_note(write_facts: WriteFacts) -> None:
    source = loads(write_facts, _source("date_note: The page gives no date.", published=None)).sources[0]
    assert (source.published, source.date_note) == (None, "The page gives no date.")
    assert source.label == "Pub, date unknown"


@pytest.mark.parametrize("written", ["2025-13", "2025-00", "0000", "2026-01-09T10:00+09:00", "../2025", "2024/2025"])
def test_published_near_misses(written: str) -> None:
    assert parse_published(written) is None


# A source with a wrong key is left out, so the fact citing it is told its source is undefined.
UNDEFINED = "'source' refers to undefined source 'src-a'; defined sources: none"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("kind: newspapr",
         f"'kind' must be one of {', '.join(SOURCE_KINDS)}, got 'newspapr' (did you mean 'newspaper'?)"),
        ("kind: blog", f"'kind' must be one of {', '.join(SOURCE_KINDS)}, got 'blog'"),
        ("language: EN", "'EN' is not a language code; expected one like en, ko, zh or zh-Hant"),
        ("language: korean", "'korean' is not a language code; expected one like en, ko, zh or zh-Hant"),
        ("language: [en]", "'language' must be text, got a list"),
        ("via: 2024-01-01", "'via' must be text, got a date (2024-01-01); quote the value: via: \"2024-01-01\""),
        ("via: ''", "'via' must not be empty"),
        ("date_note: '  '", "'date_note' must not be empty"),
        ("date_note: null", "'date_note' must be text, got an empty value"),
    ],
)  # fmt: skip
def test_bad_new_source_keys(write_facts: WriteFacts, line: str, message: str) -> None:
    path, lines = problems(write_facts, _source(line))
    column = len("    " + line.split(":", 1)[0]) + 3
    assert lines == [f"{path}:8:{column}: {message}", f"{path}:13:13: {UNDEFINED}"]


def test_a_month_that_does_not_exist_is_not_published(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, _source(published="2025-13"))
    assert lines == [
        f"{path}:6:16: 'published' must be a date (2026-01-09), or a month (2025-09) or year (2025) "
        "when only that is known, got text (2025-13)",
        f"{path}:12:13: {UNDEFINED}",
    ]


# -- rules, for tools ----------------------------------------------------------------------

RULE_CASES = {
    "undefined-measure": HEAD + fact(measure="gdp", **FIGURE),
    "measure": HEAD + fact(measure="summit-date"),
    "measure-kind": _measures("  - id: m\n    label: L\n    kind: nmae\n"),
    "source-kind": _source("kind: blog"),
    "basis": HEAD + fact(basis="Samsung"),
    "country": _entities("  - name: Office\n    country: Atlantis\n") + fact(),
    "figure": HEAD + fact(value_text="Beijing"),
    "number-range": PLAIN + fact(**FIGURE, decimals="13"),
    "period": PLAIN + fact(period="'2024-13'"),
}


def _rules(cli: Cli, write_facts: WriteFacts, text: str) -> list[str]:
    path = write_facts(text, "facts.yaml")
    result = cli("validate", str(path), "--format", "json")
    assert (result.exit_code, result.stderr) == (2, "")
    return [problem["rule"] for problem in json.loads(result.stdout)]


@pytest.mark.parametrize(("rule", "text"), RULE_CASES.items(), ids=RULE_CASES.keys())
def test_each_new_problem_names_its_rule(cli: Cli, write_facts: WriteFacts, rule: str, text: str) -> None:
    assert _rules(cli, write_facts, text)[0] == rule


def test_every_new_rule_is_a_known_rule(write_facts: WriteFacts) -> None:
    assert [rule for rule in RULE_CASES if rule not in RULES] == []


# -- hostile text in the new fields --------------------------------------------------------

HOSTILE = (
    SOURCES.replace("    published: 2026-01-09\n", "")
    + '    via: "[blink]Yonhap[/blink] \\u202eevil\\e[2J"\n'
    + '    date_note: "[link=https://evil.example]undated[/link]\\a\\e]8;;https://x\\e\\\\"\n'
    + "measures:\n"
    + '  - id: summit-host\n    label: "[red]Host[/red]\\e[31m\\u2066"\n    kind: name\n'
    + "facts:\n"
    + fact(measure="summit-host", value_text='"[bold red]Beijing[/bold red]\\u202e\\x07"')
)


def test_hostile_text_in_the_new_fields_loads_exactly(write_facts: WriteFacts) -> None:
    dataset = loads(write_facts, HOSTILE)
    source, measure, loaded = dataset.sources[0], dataset.measures[0], dataset.facts[0]
    assert source.via == "[blink]Yonhap[/blink] \u202eevil\x1b[2J"
    assert source.date_note == "[link=https://evil.example]undated[/link]\x07\x1b]8;;https://x\x1b\\"
    assert measure.label == "[red]Host[/red]\x1b[31m\u2066"
    assert loaded.value_text == "[bold red]Beijing[/bold red]\u202e\x07"


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        # The figure column wraps the name at its spaces.
        (["facts"], ["[bold", "red]Beijing[/bold", "red]\\u202e\\x07"]),
        (["measures"], ["[red]Host[/red]", "\\x1b[31m\\u2066"]),
        (["show", "fact-one"], ["Answer [bold red]Beijing[/bold red]\\u202e\\x07"]),
        (["sources", "src-a"], ["Via [blink]Yonhap[/blink] \\u202eevil\\x1b[2J",
                                "Date note [link=https://evil.example]undated[/link]\\x07\\x1b]8;;https://x\\x1b\\"]),
    ],
)  # fmt: skip
def test_hostile_text_in_the_new_fields_is_shown_inert(
    cli: Cli, write_facts: WriteFacts, command: list[str], shown: list[str]
) -> None:
    """Markup stays literal text; controls and bidi characters are shown as escapes."""
    path = write_facts(HOSTILE, "facts.yaml")
    result = cli(*command, "--data", str(path), env={"COLUMNS": "200"})
    assert (result.exit_code, result.stderr) == (0, "")
    assert UNSAFE.search(result.stdout) is None
    cells = [
        " ".join(cell.split()) for line in result.stdout.splitlines() for cell in line.split("   ") if cell.strip()
    ]
    flat = " ".join(cells)
    for text in shown:
        assert text in flat, (text, result.stdout)


def test_hostile_text_in_the_new_fields_is_exact_in_json(cli: Cli, write_facts: WriteFacts) -> None:
    path = write_facts(HOSTILE, "facts.yaml")
    result = cli("show", "fact-one", "--data", str(path), "--json")
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert record["value_text"] == "[bold red]Beijing[/bold red]\u202e\x07"
    assert record["source"]["via"] == "[blink]Yonhap[/blink] \u202eevil\x1b[2J"
    assert record["source"]["date_note"] == "[link=https://evil.example]undated[/link]\x07\x1b]8;;https://x\x1b\\"


def test_hostile_text_in_a_problem_is_escaped(cli: Cli, write_facts: WriteFacts) -> None:
    text = HEAD + fact(measure="summit-date", basis='"Sam\\e[2Jsung\\u202e"')
    path, lines = problems(write_facts, text)
    assert lines == [
        f"{path}:{F}:5: measure 'summit-date' is of kind date: this fact needs 'period'",
        f"{path}:{F + 5}:12: basis 'Sam\x1b[2Jsung\u202e' is not in the entities section (did you mean 'Samsung'?)",
    ]
    result = cli("validate", str(path))
    assert result.exit_code == 2
    assert UNSAFE.search(result.stderr) is None
    assert "basis 'Sam\\x1b[2Jsung\\u202e' is not in the entities section" in result.stderr
