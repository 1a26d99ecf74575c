"""Every rule of the facts format, each with its exact FILE:LINE:COL message; and the shipped file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kortrade import DataError, Dataset, load_dataset
from kortrade.model import Period
from kortrade.periods import parse_period
from kortrade.validation import MAX_PROBLEMS, MAX_SAFE_INT
from support.facts import SOURCES, WriteFacts, plain_yaml
from support.paths import CLASSIC, SHIPPED

# Lines 1-8; a fact written with `fact()` starts on line 9.
HEAD = SOURCES + "facts:\n"
BASE_FACT = {"id": "fact-one", "topic": "trade", "statement": "S.", "source": "src-a"}
FACT_KEY_LIST = (
    "id, topic, statement, value, unit, qualifier, period, entities, items, tags, note, source, "
    "measure, basis, value_text, decimals"
)


def fact(**fields: str | None) -> str:
    """One fact as YAML lines: the base keys in place (lines 9-12), then extra keys.

    Values are raw YAML text; ``None`` leaves the key out.
    """
    merged: dict[str, str | None] = {**BASE_FACT, **fields}
    lines = [f"{key}: {value}" for key, value in merged.items() if value is not None]
    return "  - " + "\n    ".join(lines) + "\n"


def problems(write_facts: WriteFacts, text: str) -> tuple[Path, list[str]]:
    path = write_facts(text, "facts.yaml")
    with pytest.raises(DataError) as info:
        load_dataset(path)
    return path, info.value.lines


def loads(write_facts: WriteFacts, text: str) -> Dataset:
    return load_dataset(write_facts(text, "facts.yaml"))


# -- the top level ----------------------------------------------------------------------


def test_unknown_top_level_key_with_did_you_mean(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD.replace("facts:", "fact:") + "  []\n")
    assert lines == [
        f"{path}:1:1: the file is missing the required key 'facts'",
        f"{path}:8:1: unknown key 'fact' in the top level (did you mean 'facts'?); "
        "expected one of: version, sources, entities, measures, facts, series",
    ]


def test_unknown_top_level_key_without_a_close_match(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD + fact() + "zzz: 1\n")
    assert lines == [
        f"{path}:13:1: unknown key 'zzz' in the top level; "
        "expected one of: version, sources, entities, measures, facts, series"
    ]


def test_missing_top_level_keys(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, "version: 1\n")
    assert lines == [
        f"{path}:1:1: the file is missing the required key 'sources'",
        f"{path}:1:1: the file is missing the required key 'facts'",
    ]


def test_non_text_top_level_key(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD + fact() + "1: one\n")
    assert lines == [f"{path}:13:1: expected a text key in the top level (version, sources, facts), got a number (1)"]


def test_duplicate_top_level_key(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD + fact() + "version: 1\n")
    assert lines == [
        f"{path}:13:1: duplicate key 'version' in the top level (version, sources, facts) (first at line 1)"
    ]


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("2", "1:10: unsupported version 2; this kortrade reads version 1"),
        ("0", "1:10: unsupported version 0; this kortrade reads version 1"),
        ('"1"', "1:10: 'version' must be a whole number, got text (1)"),
        ("1.0", "1:10: 'version' must be a whole number, got a number (1.0)"),
        ("[1]", "1:10: 'version' must be a whole number, got a list"),
        ("", "1:9: 'version' must be a whole number, got an empty value"),
    ],
)
def test_bad_version(write_facts: WriteFacts, version: str, message: str) -> None:
    text = HEAD.replace("version: 1", f"version: {version}".rstrip()) + fact()
    path, lines = problems(write_facts, text)
    assert lines == [f"{path}:{message}"]


def test_sources_and_facts_must_be_lists(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, "version: 1\nsources: {a: 1}\nfacts: many\n")
    assert lines == [
        f"{path}:2:10: expected 'sources' as a list, got a mapping",
        f"{path}:3:8: expected 'facts' as a list, got text (many)",
    ]


def test_empty_lists_are_a_valid_file(write_facts: WriteFacts) -> None:
    dataset = loads(write_facts, "version: 1\nsources: []\nfacts: []\n")
    assert (dataset.version, dataset.sources, dataset.facts) == (1, (), ())


# -- required keys -------------------------------------------------------------------------


def test_fact_missing_required_keys(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD + "  - note: Nothing else.\n")
    assert lines == [
        f"{path}:9:5: a fact is missing the required key 'id'",
        f"{path}:9:5: a fact is missing the required key 'topic'",
        f"{path}:9:5: a fact is missing the required key 'statement'",
        f"{path}:9:5: a fact is missing the required key 'source'",
    ]


def test_source_missing_required_keys(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, "version: 1\nsources:\n  - id: src-a\nfacts: []\n")
    assert lines == [
        f"{path}:3:5: a source is missing the required key 'title'",
        f"{path}:3:5: a source is missing the required key 'publisher'",
        f"{path}:3:5: a source is missing the required key 'url'",
        f"{path}:3:5: a source without 'published' needs a 'date_note' saying why its date is unknown",
    ]


def test_required_key_left_empty(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD + fact(statement="", source=""))
    assert lines == [
        f"{path}:11:15: 'statement' must be text, got an empty value",
        f"{path}:12:12: 'source' must be text, got an empty value",
    ]


def test_unknown_fact_key_with_did_you_mean(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD + fact(surce="src-a"))
    assert lines == [
        f"{path}:13:5: unknown key 'surce' in a fact (did you mean 'source'?); expected one of: {FACT_KEY_LIST}"
    ]


def test_unknown_source_key(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD.replace("    url:", "    author: Someone\n    url:") + "  []\n")
    assert lines == [
        f"{path}:7:5: unknown key 'author' in a source; expected one of: "
        "id, title, publisher, published, url, kind, language, via, date_note"
    ]


def test_empty_optional_value_means_absent(write_facts: WriteFacts) -> None:
    dataset = loads(write_facts, HEAD + fact(note="", period="~", tags="null"))
    (only,) = dataset.facts
    assert (only.note, only.period, only.tags) == (None, None, ())


# -- wrong types, field by field ------------------------------------------------------------

PERIOD_RULE = (
    "'period' must be a year (2024), a month (2024-07), a day (2026-01-05), a time with its zone "
    "(2026-01-05T16:47+08:00), a range of one of them (2024-01/2024-07, 2026-2030) or 'as of' one (../2020-12)"
)
PUBLISHED_RULE = "'published' must be a date (2026-01-09), or a month (2025-09) or year (2025) when only that is known"
NUMBER_RULE = "'value' must be a number written with digits (e.g. 328080000000)"
DATE_RULE = "must be a date (2026-01-09), or a month (2025-09) or year (2025) when only that is known"

WRONG_FACT_TYPES = [
    ("id", "[a]", "9:9: 'id' must be text, got a list"),
    ("id", "on", "9:9: 'id' must be text, got a boolean (on); quote the value: id: \"on\""),
    ("id", "12", "9:9: 'id' must be text, got a number (12); quote the value: id: \"12\""),
    ("topic", "5", "10:12: 'topic' must be text, got a number (5); quote the value: topic: \"5\""),
    ("topic", "{a: b}", "10:12: 'topic' must be text, got a mapping"),
    ("statement", "yes", "11:16: 'statement' must be text, got a boolean (yes); quote the value: statement: \"yes\""),
    ("statement", "[S.]", "11:16: 'statement' must be text, got a list"),
    ("source", "[src-a]", "12:13: 'source' must be text, got a list"),
    ("note", "2026-01-05", "13:11: 'note' must be text, got a date (2026-01-05); "
     'quote the value: note: "2026-01-05"'),
    ("note", "3.5", "13:11: 'note' must be text, got a number (3.5); quote the value: note: \"3.5\""),
    ("period", "[2024]", f"13:13: {PERIOD_RULE}, got a list"),
    ("period", "true", f"13:13: {PERIOD_RULE}, got a boolean (true)"),
    ("entities", "China", "13:15: expected 'entities' as a list, got text (China)"),
    ("items", "{a: b}", "13:12: expected 'items' as a list, got a mapping"),
    ("tags", "trade", "13:11: expected 'tags' as a list, got text (trade)"),
    ("entities", "[[China]]", "13:16: 'entities[]' must be text, got a list"),
    ("items", "[1]", "13:13: 'items[]' must be text, got a number (1); quote the value: items[]: \"1\""),
    ("tags", "[~]", "13:12: 'tags[]' must be text, got an empty value"),
]  # fmt: skip


@pytest.mark.parametrize(("key", "value", "message"), WRONG_FACT_TYPES)
def test_wrong_type_in_a_fact(write_facts: WriteFacts, key: str, value: str, message: str) -> None:
    path, lines = problems(write_facts, HEAD + fact(**{key: value}))
    assert lines == [f"{path}:{message}"]


WRONG_FIGURE_TYPES = [
    ("value", "'5'", f"13:12: {NUMBER_RULE}, got text (5)"),
    ("value", "true", f"13:12: {NUMBER_RULE}, got a boolean (true)"),
    ("value", "[5]", f"13:12: {NUMBER_RULE}, got a list"),
    ("value", "2026-01-05", f"13:12: {NUMBER_RULE}, got a date (2026-01-05)"),
    ("value", "1e3", f"13:12: {NUMBER_RULE}, got text (1e3)"),
    ("unit", "5", "14:11: 'unit' must be text, got a number (5); quote the value: unit: \"5\""),
    ("qualifier", "1", "15:16: 'qualifier' must be text, got a number (1); quote the value: qualifier: \"1\""),
    ("qualifier", "[about]", "15:16: 'qualifier' must be text, got a list"),
]  # fmt: skip


@pytest.mark.parametrize(("key", "value", "message"), WRONG_FIGURE_TYPES)
def test_wrong_type_in_a_figure(write_facts: WriteFacts, key: str, value: str, message: str) -> None:
    figure = {"value": "5", "unit": "USD", "qualifier": "about", key: value}
    path, lines = problems(write_facts, HEAD + fact(**figure))
    assert lines == [f"{path}:{message}"]


WRONG_SOURCE_TYPES = [
    ("  - id: src-a", "  - id: 5", "3:9: 'id' must be text, got a number (5); quote the value: id: \"5\""),
    ("    title: A source", "    title: [A]", "4:12: 'title' must be text, got a list"),
    ("    publisher: Pub", "    publisher: true", "5:16: 'publisher' must be text, got a boolean (true); "
     'quote the value: publisher: "true"'),
    ("    published: 2026-01-09", "    published: Jan 9", f"6:16: 'published' {DATE_RULE}, got text (Jan 9)"),
    ("    published: 2026-01-09", "    published: 20260109", f"6:16: 'published' {DATE_RULE}, got a number (20260109)"),
    ("    url: https://example.org/a", "    url: [x]", "7:10: 'url' must be text, got a list"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "message"), WRONG_SOURCE_TYPES)
def test_wrong_type_in_a_source(write_facts: WriteFacts, old: str, new: str, message: str) -> None:
    path, lines = problems(write_facts, HEAD.replace(old, new) + fact())
    # The broken source is left out, so the fact's reference to it fails too.
    assert lines == [
        f"{path}:{message}",
        f"{path}:12:13: 'source' refers to undefined source 'src-a'; defined sources: none",
    ]


def test_source_as_a_scalar(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, "version: 1\nsources:\n  - src-a\nfacts: []\n")
    assert lines == [f"{path}:3:5: expected a source as a mapping (key: value), got text (src-a)"]


def test_fact_as_a_scalar(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD + "  - fact-one\n")
    assert lines == [f"{path}:9:5: expected a fact as a mapping (key: value), got text (fact-one)"]


# -- text that YAML 1.2 reads differently ---------------------------------------------------


@pytest.mark.parametrize("plain", ["1e3", "1E-5", "1.5e3", "6.02e23", ".5e1", "0o17"])
def test_plain_text_that_yaml12_reads_as_a_number_is_refused(write_facts: WriteFacts, plain: str) -> None:
    # PyYAML (YAML 1.1) reads these as text; YAML 1.2 tools read them as numbers.
    path, lines = problems(write_facts, HEAD + fact(note=plain))
    assert lines == [
        f"{path}:13:11: 'note' is {plain}, which YAML 1.2 tools read as a number or boolean; "
        f'quote the value: note: "{plain}"'
    ]


@pytest.mark.parametrize(
    ("plain", "described"),
    [
        ("12", "a number (12)"),
        ("-5", "a number (-5)"),
        ("0x1f", "a number (0x1f)"),
        ("+1.5", "a number (+1.5)"),
        (".inf", "a number (.inf)"),
        ("True", "a boolean (True)"),
        ("off", "a boolean (off)"),
        ("2026-01-05", "a date (2026-01-05)"),
    ],
)
def test_plain_scalars_pyyaml_reads_as_non_text_are_refused(
    write_facts: WriteFacts, plain: str, described: str
) -> None:
    path, lines = problems(write_facts, HEAD + fact(note=plain))
    assert lines == [f"{path}:13:11: 'note' must be text, got {described}; quote the value: note: \"{plain}\""]


def test_id_1e3_plain_is_refused(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD + fact(id="1e3"))
    assert lines == [
        f"{path}:9:9: 'id' is 1e3, which YAML 1.2 tools read as a number or boolean; quote the value: id: \"1e3\""
    ]


@pytest.mark.parametrize("quoted", ['"1e3"', "'1e3'"])
def test_id_1e3_quoted_is_accepted(write_facts: WriteFacts, quoted: str) -> None:
    (only,) = loads(write_facts, HEAD + fact(id=quoted)).facts
    assert only.id == "1e3"


@pytest.mark.parametrize("quoted", ['"on"', '"2026-01-05"', "'12'", '"null"'])
def test_quoted_text_that_looks_like_something_else_is_text(write_facts: WriteFacts, quoted: str) -> None:
    (only,) = loads(write_facts, HEAD + fact(note=quoted)).facts
    assert only.note == quoted[1:-1]


def test_empty_and_blank_text_is_refused(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD + fact(statement='"   "', note="''"))
    assert lines == [
        f"{path}:11:16: 'statement' must not be empty",
        f"{path}:13:11: 'note' must not be empty",
    ]


# -- numbers ----------------------------------------------------------------------------------


def _figure(value: str) -> str:
    return HEAD + fact(value=value, unit="USD", qualifier="about")


@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.inf", "+.Inf"])
def test_value_must_be_finite(write_facts: WriteFacts, value: str) -> None:
    path, lines = problems(write_facts, _figure(value))
    assert lines == [f"{path}:13:12: 'value' must be a finite number, got {value}"]


@pytest.mark.parametrize("value", ["010", "1_000", "1:30", "0x10", "0b101", "+1_0.5"])
def test_value_in_a_form_yaml_tools_read_differently(write_facts: WriteFacts, value: str) -> None:
    path, lines = problems(write_facts, _figure(value))
    assert lines == [
        f"{path}:13:12: 'value' is {value}, which YAML tools read differently; "
        "write it in plain decimal digits (e.g. 328080000000 or 54.5)"
    ]


@pytest.mark.parametrize(("value", "number"), [("0", 0), ("-3", -3), ("54.5", 54.5), ("1.0e+3", 1000), ('"7"', None)])
def test_value_in_plain_decimal(write_facts: WriteFacts, value: str, number: float | None) -> None:
    text = _figure(value)
    if number is None:  # a quoted number is text, not a number
        path, lines = problems(write_facts, text)
        assert lines == [
            f"{path}:13:12: 'value' must be a number written with digits (e.g. 328080000000), got text (7)"
        ]
        return
    assert loads(write_facts, text).facts[0].value == number


@pytest.mark.parametrize(
    "value", [str(2**53), str(-(2**53)), "99999999999999999999999", "1.5e+300", "9007199254740993.0"]
)
def test_value_too_large(write_facts: WriteFacts, value: str) -> None:
    path, lines = problems(write_facts, _figure(value))
    assert lines == [f"{path}:13:12: 'value' is too large: at most 9007199254740991 (2**53 - 1) keeps it exact in JSON"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (str(MAX_SAFE_INT), MAX_SAFE_INT),
        (str(-MAX_SAFE_INT), -MAX_SAFE_INT),
        ("0", 0),
        ("328080000000", 328080000000),
        ("1.5", 1.5),
        ("0.1", 0.1),
        ("45.0", 45),
        ("-2.5", -2.5),
    ],
)
def test_valid_values(write_facts: WriteFacts, value: str, expected: int | float) -> None:
    (only,) = loads(write_facts, _figure(value)).facts
    assert only.value == expected
    assert type(only.value) is type(expected)


@pytest.mark.parametrize("tag", ["!!int", "!!float"])
def test_empty_tagged_number_is_a_data_error(write_facts: WriteFacts, tag: str) -> None:
    path, lines = problems(write_facts, _figure(f'{tag} ""'))
    assert lines == [f"{path}:13:12: 'value' is not a valid number: "]


def test_empty_tagged_version_is_a_data_error(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD.replace("version: 1", 'version: !!int ""') + fact())
    assert lines == [f"{path}:1:10: 'version' is not a valid number: "]


@pytest.mark.parametrize(("value", "shown"), [('!!float "abc"', "abc"), ('!!int "12x"', "12x")])
def test_tagged_value_that_is_not_a_number(write_facts: WriteFacts, value: str, shown: str) -> None:
    path, lines = problems(write_facts, _figure(value))
    assert lines == [f"{path}:13:12: 'value' is not a valid number: {shown}"]


# -- figures: value, unit and qualifier go together --------------------------------------------


def test_value_without_unit_or_qualifier(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD + fact(value="5"))
    assert lines == [
        f"{path}:9:5: a fact with a 'value' needs 'unit' too",
        f"{path}:9:5: a fact with a 'value' needs 'qualifier' too",
    ]


def test_value_without_qualifier(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD + fact(value="5", unit="USD"))
    assert lines == [f"{path}:9:5: a fact with a 'value' needs 'qualifier' too"]


def test_unit_and_qualifier_without_value(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD + fact(unit="USD", qualifier="about"))
    assert lines == [
        f"{path}:13:11: 'unit' describes a 'value', but this fact has none",
        f"{path}:14:16: 'qualifier' describes a 'value', but this fact has none",
    ]


def test_empty_value_with_unit(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD + fact(value="", unit="USD", qualifier="exact"))
    assert lines == [
        f"{path}:14:11: 'unit' describes a 'value', but this fact has none",
        f"{path}:15:16: 'qualifier' describes a 'value', but this fact has none",
    ]


@pytest.mark.parametrize("qualifier", ["roughly", "About", "EXACT"])
def test_bad_qualifier(write_facts: WriteFacts, qualifier: str) -> None:
    path, lines = problems(write_facts, HEAD + fact(value="5", unit="USD", qualifier=qualifier))
    assert lines == [
        f"{path}:15:16: 'qualifier' must be one of exact, about, over, under, nearly, at-least, got '{qualifier}'"
    ]


@pytest.mark.parametrize("qualifier", ["exact", "about", "over", "under"])
def test_each_qualifier_is_accepted(write_facts: WriteFacts, qualifier: str) -> None:
    (only,) = loads(write_facts, HEAD + fact(value="5", unit="percent", qualifier=qualifier)).facts
    assert (only.value, only.unit, only.qualifier) == (5, "percent", qualifier)


# -- periods ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "text", "first", "last"),
    [
        ("2024", "2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        ('"2024"', "2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        ("2026-01-05", "2026-01-05", dt.date(2026, 1, 5), dt.date(2026, 1, 5)),
        ("'2026-01-05'", "2026-01-05", dt.date(2026, 1, 5), dt.date(2026, 1, 5)),
        ("2026-2030", "2026-2030", dt.date(2026, 1, 1), dt.date(2030, 12, 31)),
        ('"1992-2024"', "1992-2024", dt.date(1992, 1, 1), dt.date(2024, 12, 31)),
        ("2024-02-29", "2024-02-29", dt.date(2024, 2, 29), dt.date(2024, 2, 29)),
        ("2024-02", "2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2024-01/2024-07", "2024-01/2024-07", dt.date(2024, 1, 1), dt.date(2024, 7, 31)),
        ("2024-03-01/2024-03-20", "2024-03-01/2024-03-20", dt.date(2024, 3, 1), dt.date(2024, 3, 20)),
        ("2026/2030", "2026/2030", dt.date(2026, 1, 1), dt.date(2030, 12, 31)),
        ('"2026-01-05T16:47+08:00"', "2026-01-05T16:47+08:00", dt.date(2026, 1, 5), dt.date(2026, 1, 5)),
        ("2026-01-05T16:47:30Z", "2026-01-05T16:47:30Z", dt.date(2026, 1, 5), dt.date(2026, 1, 5)),
        ("../2020-12", "../2020-12", dt.date(2020, 12, 31), dt.date(2020, 12, 31)),
        ("../2024", "../2024", dt.date(2024, 12, 31), dt.date(2024, 12, 31)),
    ],
)
def test_valid_periods(write_facts: WriteFacts, written: str, text: str, first: dt.date, last: dt.date) -> None:
    (only,) = loads(write_facts, HEAD + fact(period=written)).facts
    assert only.period is not None
    assert (only.period.text, only.period.first, only.period.last) == (text, first, last)
    assert str(only.period) == text


@pytest.mark.parametrize(
    ("written", "described"),
    [
        ("2030-2026", "text (2030-2026)"),
        ("2026-2026", "text (2026-2026)"),
        ("2026-02-30", "a date (2026-02-30)"),
        ("2025-02-29", "a date (2025-02-29)"),
        ("2026-1-5", "text (2026-1-5)"),
        ("soon", "text (soon)"),
        ("0000", "a number (0000)"),
        ("24", "a number (24)"),
        ("2026-01-05T10:00:00", "a date (2026-01-05T10:00:00)"),
        ("2024.5", "a number (2024.5)"),
    ],
)
def test_invalid_periods(write_facts: WriteFacts, written: str, described: str) -> None:
    path, lines = problems(write_facts, HEAD + fact(period=written))
    assert lines == [f"{path}:13:13: {PERIOD_RULE}, got {described}"]


def test_parse_period_directly() -> None:
    assert parse_period("2024") == Period(
        "2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31), "2024-01-01", "2024-12-31", "2024-01-01"
    )
    assert parse_period("2026-2030") == Period(
        "2026-2030", dt.date(2026, 1, 1), dt.date(2030, 12, 31), "2026-01-01", "2030-12-31", "2026-01-01"
    )
    invalid = ("2030-2026", "2026-02-30", "soon", "", "0000", "12345", "2024-13", "2024-00", "2024-07/2024-01")
    more = ("2024/2024-07", "2024-07/2024-07", "../", "../soon", "2026-01-05T16:47", "2026-01-05T25:00+08:00")
    assert [parse_period(t) for t in (*invalid, *more)] == [None] * (len(invalid) + len(more))


def test_period_bounds_are_iso_and_as_of_has_no_start() -> None:
    month = parse_period("2024-01/2024-07")
    assert month is not None
    assert (month.start, month.end, month.as_of) == ("2024-01-01", "2024-07-31", False)
    as_of = parse_period("../2020-12")
    assert as_of is not None
    assert (as_of.start, as_of.end, as_of.as_of) == (None, "2020-12-31", True)
    assert as_of.overlaps_year(2020)
    assert not as_of.overlaps_year(2019)
    moment = parse_period("2026-01-05T16:47+08:00")
    assert moment is not None
    assert (moment.start, moment.end) == ("2026-01-05T16:47+08:00",) * 2
    later = parse_period("2026-01-05T18:40+08:00")
    day = parse_period("2026-01-05")
    assert later is not None
    assert day is not None
    # A day's events sort by their time; the day itself comes first.
    assert day.order < moment.order < later.order


# -- slugs ----------------------------------------------------------------------------------------

SLUG_RULE = "must be a lowercase slug (a-z, 0-9 and '-', e.g. 'trade-volume-2024')"


@pytest.mark.parametrize(
    ("key", "value", "where", "shown"),
    [
        ("id", "Trade-X", "9:9", "Trade-X"),
        ("id", "trade_x", "9:9", "trade_x"),
        ("id", "-trade", "9:9", "-trade"),
        ("id", "trade--x", "9:9", "trade--x"),
        ("id", "trade-", "9:9", "trade-"),
        ("id", "'trade x'", "9:9", "trade x"),
        ("id", "handel-ä", "9:9", "handel-ä"),
        ("topic", "Trade", "10:12", "Trade"),
    ],
)
def test_bad_slugs(write_facts: WriteFacts, key: str, value: str, where: str, shown: str) -> None:
    path, lines = problems(write_facts, HEAD + fact(**{key: value}))
    assert lines == [f"{path}:{where}: '{key}' {SLUG_RULE}, got '{shown}'"]


def test_bad_tag_slug(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD + fact(tags="[ok, Trade-X]"))
    assert lines == [f"{path}:13:16: 'tags[]' {SLUG_RULE}, got 'Trade-X'"]


def test_bad_source_id_slug(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD.replace("id: src-a", "id: Src-A") + fact(source="Src-A"))
    assert lines == [
        f"{path}:3:9: 'id' {SLUG_RULE}, got 'Src-A'",
        f"{path}:12:13: 'source' refers to undefined source 'Src-A'; defined sources: none",
    ]


def test_long_bad_slug_is_clipped(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD + fact(id="A" * 60))
    assert lines == [f"{path}:9:9: 'id' {SLUG_RULE}, got '{'A' * 39}…'"]


# -- duplicates --------------------------------------------------------------------------------------


def test_duplicate_fact_ids(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD + fact() + fact(statement="Again."))
    assert lines == [f"{path}:13:5: duplicate fact id 'fact-one' (first at line 9)"]


def test_duplicate_key_in_a_fact(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD + fact(extra=None) + "    topic: visit\n")
    assert lines == [f"{path}:13:5: duplicate key 'topic' in a fact (first at line 10)"]


def test_duplicate_key_in_a_source(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD.replace("    url:", "    title: Again\n    url:") + "  []\n")
    assert lines == [f"{path}:7:5: duplicate key 'title' in a source (first at line 4)"]


def test_duplicate_source_ids(write_facts: WriteFacts) -> None:
    second = (
        "  - id: src-a\n    title: B\n    publisher: Pub\n    published: 2026-01-10\n    url: https://example.org/b\n"
    )
    text = HEAD.replace("facts:\n", second + "facts:\n") + fact()
    path, lines = problems(write_facts, text)
    assert lines == [f"{path}:8:5: duplicate source id 'src-a'"]


def test_listed_twice(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD + fact(entities="[China, ROK, China]", tags="[a, a]"))
    assert lines == [
        f"{path}:13:28: 'China' is listed twice in 'entities'",
        f"{path}:14:15: 'a' is listed twice in 'tags'",
    ]


# -- sources --------------------------------------------------------------------------------------------


def test_undefined_source_reference(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD + fact(source="src-b"))
    assert lines == [f"{path}:12:13: 'source' refers to undefined source 'src-b'; defined sources: src-a"]


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/a", "example.org/a", "https://", "'https://example.org/a b'", "'http:// x'"],
)
def test_bad_url(write_facts: WriteFacts, url: str) -> None:
    path, lines = problems(write_facts, HEAD.replace("url: https://example.org/a", f"url: {url}") + "  []\n")
    shown = url.strip("'")
    rule = "'url' must start with http:// or https:// and hold no spaces or control characters"
    assert lines == [f"{path}:7:10: {rule}, got '{shown}'"]


@pytest.mark.parametrize(
    ("published", "described"),
    [
        ("2026-02-30", "a date (2026-02-30)"),
        ("2026-1-9", "text (2026-1-9)"),
        ("'09/01/2026'", "text (09/01/2026)"),
        ("2026-13", "text (2026-13)"),
        ("0", "a number (0)"),
        ("2026-01-09 10:00:00", "a date (2026-01-09 10:00:00)"),
    ],
)
def test_bad_published_date(write_facts: WriteFacts, published: str, described: str) -> None:
    text = HEAD.replace("published: 2026-01-09", f"published: {published}") + "  []\n"
    path, lines = problems(write_facts, text)
    assert lines == [f"{path}:6:16: {PUBLISHED_RULE}, got {described}"]


def test_published_may_be_quoted(write_facts: WriteFacts) -> None:
    dataset = loads(write_facts, HEAD.replace("published: 2026-01-09", 'published: "2026-01-09"') + "  []\n")
    published = dataset.sources[0].published
    assert published is not None
    assert (published.text, published.first) == ("2026-01-09", dt.date(2026, 1, 9))
    assert dataset.sources[0].label == "Pub, 2026-01-09"


@pytest.mark.parametrize(
    ("written", "first", "last"), [("2025", "2025-01-01", "2025-12-31"), ("2025-09", "2025-09-01", "2025-09-30")]
)
def test_published_may_be_a_year_or_month(write_facts: WriteFacts, written: str, first: str, last: str) -> None:
    dataset = loads(write_facts, HEAD.replace("published: 2026-01-09", f"published: {written}") + "  []\n")
    published = dataset.sources[0].published
    assert published is not None
    assert published.text == written
    assert (published.first.isoformat(), published.last.isoformat()) == (first, last)


def test_source_without_a_date_needs_a_date_note(write_facts: WriteFacts) -> None:
    text = HEAD.replace("    published: 2026-01-09\n", "") + "  []\n"
    path, lines = problems(write_facts, text)
    assert lines == [f"{path}:3:5: a source without 'published' needs a 'date_note' saying why its date is unknown"]
    noted = HEAD.replace("    published: 2026-01-09\n", "    date_note: the page shows no date\n") + "  []\n"
    dataset = loads(write_facts, noted)
    assert dataset.sources[0].published is None
    assert dataset.sources[0].date_note == "the page shows no date"


# -- many problems ------------------------------------------------------------------------------------------


def test_several_errors_reported_in_line_order(write_facts: WriteFacts) -> None:
    # facts come before sources in this file, but are checked after them.
    text = (
        "facts:\n"  # 1
        "  - id: Bad\n"  # 2
        "    topic: trade\n"  # 3
        "    statement: S.\n"  # 4
        "    value: 5\n"  # 5
        "    source: src-x\n"  # 6
        "version: 3\n"  # 7
        "sources:\n"  # 8
        "  - id: src-a\n"  # 9
        "    title: A\n"  # 10
        "    publisher: Pub\n"  # 11
        "    published: soon\n"  # 12
        "    url: https://example.org/a\n"  # 13
    )
    path, lines = problems(write_facts, text)
    assert lines == [
        f"{path}:2:5: a fact with a 'value' needs 'unit' too",
        f"{path}:2:5: a fact with a 'value' needs 'qualifier' too",
        f"{path}:2:9: 'id' {SLUG_RULE}, got 'Bad'",
        f"{path}:6:13: 'source' refers to undefined source 'src-x'; defined sources: none",
        f"{path}:7:10: unsupported version 3; this kortrade reads version 1",
        f"{path}:12:16: {PUBLISHED_RULE}, got text (soon)",
    ]


def test_problem_cap(write_facts: WriteFacts) -> None:
    count = MAX_PROBLEMS + 7
    facts = "".join(fact(id=f"fact-{n}", tags="[Bad]") for n in range(count))
    path, lines = problems(write_facts, HEAD + facts)
    assert MAX_PROBLEMS == 100
    assert len(lines) == 101
    # Fact n starts on line 9 + 5n; its tags line is the fifth.
    assert lines[:100] == [f"{path}:{13 + 5 * n}:12: 'tags[]' {SLUG_RULE}, got 'Bad'" for n in range(100)]
    assert lines[100] == f"{path}: 7 more problems not shown"


def test_exactly_the_cap_has_no_more_line(write_facts: WriteFacts) -> None:
    facts = "".join(fact(id=f"fact-{n}", tags="[Bad]") for n in range(MAX_PROBLEMS))
    _, lines = problems(write_facts, HEAD + facts)
    assert len(lines) == MAX_PROBLEMS
    assert not lines[-1].endswith("not shown")


def test_data_error_text_is_its_lines(write_facts: WriteFacts) -> None:
    path = write_facts(HEAD + fact(id="Bad", topic="Also-Bad"), "facts.yaml")
    with pytest.raises(DataError) as info:
        load_dataset(path)
    assert str(info.value) == "\n".join(info.value.lines)
    assert [(p.line, p.column) for p in info.value.problems] == [(9, 9), (10, 12)]


def test_problem_with_a_newline_in_a_key_is_one_line(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD + fact(**{'"odd\\nkey"': "1"}))
    assert len(lines) == 1
    assert "\n" not in lines[0]
    assert lines[0].startswith(f"{path}:13:5: unknown key 'odd")
    assert lines[0].endswith(f"key' in a fact; expected one of: {FACT_KEY_LIST}")


def test_problem_with_a_newline_in_a_listed_twice_value_is_one_line(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD + fact(items='["a\\nb", "a\\nb"]'))
    assert len(lines) == 1
    assert "\n" not in lines[0]
    assert lines[0].startswith(f"{path}:13:21: 'a")
    assert lines[0].endswith("b' is listed twice in 'items'")


def test_problem_with_a_newline_in_a_duplicate_key_is_one_line(write_facts: WriteFacts) -> None:
    path, lines = problems(write_facts, HEAD + fact() + '"dup\\nkey": 1\n"dup\\nkey": 2\n')
    assert len(lines) == 2
    assert all("\n" not in line for line in lines)
    assert lines[0].startswith(f"{path}:13:1: unknown key 'dup")
    assert lines[1].startswith(f"{path}:14:1: duplicate key 'dup")
    assert lines[1].endswith("key' in the top level (version, sources, facts) (first at line 13)")


# -- the shipped file ------------------------------------------------------------------------------------------


def written(path: Path) -> dict[str, list[dict[str, object]]]:
    """The file as plain YAML, read apart from kortrade's loader: what the tests expect of it."""
    document: dict[str, list[dict[str, object]]] = plain_yaml(path)
    return document


@pytest.fixture(scope="module")
def loaded() -> Dataset:
    """The shipped file, loaded once for the tests below that read it (the first loads it itself)."""
    return load_dataset(SHIPPED)


def test_shipped_file_loads(shipped: Path) -> None:
    dataset = load_dataset(shipped)
    document = written(shipped)
    assert dataset.version == 1
    assert len(dataset.facts) == len(document["facts"])
    assert [s.id for s in dataset.sources] == [s["id"] for s in document["sources"]]
    source = next(s for s in dataset.sources if s.id == "cgtn-2026-01-09")
    assert (source.publisher, str(source.published)) == ("CGTN", "2026-01-09")
    assert source.url.startswith("https://news.cgtn.com/news/2026-01-09/")


def test_shipped_facts_cite_defined_sources(loaded: Dataset) -> None:
    assert all(f.source in loaded.sources for f in loaded.facts)


def test_shipped_ids_are_unique(shipped: Path, loaded: Dataset) -> None:
    ids = [f.id for f in loaded.facts]
    assert len(set(ids)) == len(ids) == len(written(shipped)["facts"])
    assert ids[0] == "trade-volume-2024"
    assert ids[-1] == written(shipped)["facts"][-1]["id"]
    assert {str(f["id"]) for f in written(CLASSIC)["facts"]} <= set(ids)  # the 25 of the classic file stay


def test_shipped_money_values_are_whole_units_or_the_cents_written(loaded: Dataset) -> None:
    dataset = loaded
    money = [f for f in dataset.facts if f.unit in ("USD", "KRW", "CNY")]
    assert money
    for f in money:
        assert type(f.value) in (int, float), f.id
        if type(f.value) is float:  # only a figure a source gives to the cent ("$72.45") keeps a fraction
            assert round(f.value * 100) == f.value * 100, f.id
            assert f"{f.value:,.2f}" in f.statement, f.id
    volume = dataset.by_id["trade-volume-2024"].value
    assert (type(volume), volume) == (int, 328080000000)


def test_shipped_every_value_has_unit_and_qualifier(loaded: Dataset) -> None:
    for f in loaded.facts:
        assert (f.value is None) == (f.unit is None) == (f.qualifier is None), f.id


def test_shipped_worked_out_date_says_so(loaded: Dataset) -> None:
    fact = loaded.by_id["lee-visit-concluded"]
    assert fact.period == Period(
        "2026-01-07", dt.date(2026, 1, 7), dt.date(2026, 1, 7), "2026-01-07", "2026-01-07", "2026-01-07"
    )
    assert fact.note == (
        "Worked out, not stated: the article, dated Friday 2026-01-09, says the visit "
        'concluded "on Wednesday", which is 2026-01-07; the Shanghai journalist luncheon '
        "caption carries the same date."
    )
    # The working holds: the 9th is a Friday and the Wednesday before it is the 7th.
    assert dt.date(2026, 1, 9).strftime("%A") == "Friday"
    assert dt.date(2026, 1, 7).strftime("%A") == "Wednesday"
