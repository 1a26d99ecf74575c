"""The command line in process, through Typer's CliRunner: output, exit codes, errors."""

from __future__ import annotations

import csv
import importlib.metadata
import io
import json
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import Result

from kortrade import __version__
from kortrade.cli import app
from kortrade.errors import ExitCode
from kortrade.store import FactStore
from support.cli import Cli
from support.facts import SOURCES, WriteFacts

TOPICS = ("trade", "relations", "partnerships", "visit", "cooperation", "industry", "agreements")
TRADE_IDS = ["trade-volume-2024", "trade-growth-since-1992", "china-top-partner-of-rok", "rok-rank-as-china-partner"]
FACT_FIELDS = (
    "id, topic, statement, value, unit, qualifier, display, period, entities, items, tags, note, source, "
    "measure, basis, basis_country, value_text, decimals, period_start, period_end, names"
)
SOURCE_URL = (
    "https://news.cgtn.com/news/2026-01-09/Charting-the-Future-of-China-ROK-Trade-and-Innovation-1JIfGfIBvJC/p.html"
)
SOURCE_TITLE = "Charting the Future of China-ROK Trade and Innovation"
RULE_80 = " " + "─" * 78

# One source, one fact; the statement is spliced in as YAML text.
ONE_FACT = (
    SOURCES
    + """\
facts:
  - id: odd-text
    topic: trade
    statement: {statement}
    source: src-a
"""
)

BAD = (
    SOURCES
    + """\
facts:
  - id: Bad-Id
    topic: trade
    statement: Trade rose.
    value: 5
    source: src-b
"""
)


def bad_lines(path: Path) -> str:
    return (
        f"{path}:9:5: a fact with a 'value' needs 'unit' too\n"
        f"{path}:9:5: a fact with a 'value' needs 'qualifier' too\n"
        f"{path}:9:9: 'id' must be a lowercase slug (a-z, 0-9 and '-', e.g. 'trade-volume-2024'), got 'Bad-Id'\n"
        f"{path}:13:13: 'source' refers to undefined source 'src-b'; defined sources: src-a\n"
    )


# Results must not depend on the colour, width or data settings of whoever runs the tests.
# Without --data, commands read the classic 25-fact file (tests/data/cgtn-25.yaml) whose
# output these tests pin; tests/test_shipped.py covers the shipped file.
pytestmark = pytest.mark.usefixtures("classic_environment")


def classic_ids(classic: Path) -> list[str]:
    document = yaml.safe_load(classic.read_text(encoding="utf-8"))
    return [fact["id"] for fact in document["facts"]]


def classic_fact(classic: Path, fact_id: str) -> dict[str, str]:
    document = yaml.safe_load(classic.read_text(encoding="utf-8"))
    fact: dict[str, str] = next(f for f in document["facts"] if f["id"] == fact_id)
    return fact


def json_ids(result: Result) -> list[str]:
    return [record["id"] for record in json.loads(result.stdout)]


# -- facts -----------------------------------------------------------------------------


def test_facts_table_groups_by_topic_under_topic_titles(cli: Cli, classic: Path) -> None:
    result = cli("facts")
    assert result.exit_code == 0
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    titles = [line for line in lines if line in TOPICS]
    assert titles == list(TOPICS)
    # Each fact's id line sits under its own topic title.
    document = yaml.safe_load(classic.read_text(encoding="utf-8"))
    for fact in document["facts"]:
        id_line = next(i for i, line in enumerate(lines) if line.strip().startswith(f"{fact['id']} · CGTN,"))
        above = [line for line in lines[:id_line] if line in TOPICS]
        assert above[-1] == fact["topic"]
    assert lines[:4] == ["trade", "", "           Figure   Period      Fact", RULE_80]
    assert lines[4].startswith("  $328.08 billion   2024        ")


def test_facts_json_is_every_fact_in_file_order(cli: Cli, classic: Path) -> None:
    statement = classic_fact(classic, "trade-volume-2024")["statement"]
    result = cli("facts", "--json")
    assert result.exit_code == 0
    records = json.loads(result.stdout)
    assert [r["id"] for r in records] == classic_ids(classic)
    assert len(records) == 25
    assert records[0] == {
        "id": "trade-volume-2024",
        "topic": "trade",
        "statement": statement,
        "value": 328080000000,
        "unit": "USD",
        "qualifier": "exact",
        "display": "$328.08 billion",
        "period": "2024",
        "entities": ["China", "Republic of Korea"],
        "items": [],
        "tags": ["trade-volume", "bilateral-trade"],
        "note": None,
        "source": {
            "id": "cgtn-2026-01-09",
            "title": SOURCE_TITLE,
            "publisher": "CGTN",
            "published": "2026-01-09",
            "url": SOURCE_URL,
            "kind": None,
            "language": None,
            "via": None,
            "date_note": None,
        },
        # Added in 2.0, after the 1.x keys; the classic file states no measure.
        "measure": None,
        "basis": [],
        "basis_country": None,
        "value_text": None,
        "decimals": None,
        "period_start": "2024-01-01",
        "period_end": "2024-12-31",
    }


def test_facts_topic_ignores_case(cli: Cli) -> None:
    result = cli("facts", "TRADE", "--json")
    assert result.exit_code == 0
    assert json_ids(result) == TRADE_IDS


def test_facts_unknown_topic_exits_2_listing_the_topics(cli: Cli) -> None:
    result = cli("facts", "bogus")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"kortrade: unknown topic 'bogus'; topics are: {', '.join(TOPICS)}\n"


def test_facts_entity_matches_part_of_a_name_in_any_case(cli: Cli) -> None:
    result = cli("facts", "--entity", "samsung", "--json")
    assert result.exit_code == 0
    assert json_ids(result) == ["samsung-exports-growth-2024", "samsung-exports-value-2024", "samsung-largest-market"]


def test_facts_tag(cli: Cli) -> None:
    result = cli("facts", "--tag", "RANKING", "--json")
    assert result.exit_code == 0
    assert json_ids(result) == ["china-top-partner-of-rok", "rok-rank-as-china-partner"]


def test_facts_year_inside_a_range_of_years(cli: Cli) -> None:
    result = cli("facts", "--year", "2028", "--json")
    assert result.exit_code == 0
    assert json_ids(result) == ["five-year-plan-2026-2030"]


def test_facts_year_matches_years_dates_and_ranges(cli: Cli) -> None:
    result = cli("facts", "--year", "1992", "--json")
    assert result.exit_code == 0
    assert json_ids(result) == ["trade-growth-since-1992", "diplomatic-relations-1992"]


def test_facts_limit_keeps_the_first_n(cli: Cli) -> None:
    result = cli("facts", "--limit", "2", "--json")
    assert result.exit_code == 0
    assert json_ids(result) == ["trade-volume-2024", "trade-growth-since-1992"]


def test_facts_filters_combine(cli: Cli) -> None:
    result = cli("facts", "partnerships", "--entity", "samsung", "--year", "2024", "--limit", "2", "--json")
    assert result.exit_code == 0
    assert json_ids(result) == ["samsung-exports-growth-2024", "samsung-exports-value-2024"]


def test_facts_empty_result_json_prints_empty_list_and_exits_1(cli: Cli) -> None:
    result = cli("facts", "--entity", "nobody-at-all", "--json")
    assert result.exit_code == 1
    assert result.stdout == "[]\n"
    assert result.stderr == "kortrade: no facts match (entity=nobody-at-all)\n"


def test_facts_empty_result_table_prints_nothing_and_exits_1(cli: Cli) -> None:
    result = cli("facts", "trade", "--year", "2030")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "kortrade: no facts match (topic=trade, year=2030)\n"


FACTS_BY_FORMAT = {
    "table": (
        "  ID                            Figure\n"
        " " + "─" * 38 + "\n"
        "  china-top-partner-of-rok    21 years\n"
        "  rok-rank-as-china-partner        2nd\n"
    ),
    "json": (
        "[\n"
        "  {\n"
        '    "id": "china-top-partner-of-rok",\n'
        '    "display": "21 years"\n'
        "  },\n"
        "  {\n"
        '    "id": "rok-rank-as-china-partner",\n'
        '    "display": "2nd"\n'
        "  }\n"
        "]\n"
    ),
    "jsonl": (
        '{"id":"china-top-partner-of-rok","display":"21 years"}\n{"id":"rok-rank-as-china-partner","display":"2nd"}\n'
    ),
    "csv": "id,display\nchina-top-partner-of-rok,21 years\nrok-rank-as-china-partner,2nd\n",
    "markdown": (
        "| ID | Figure |\n|---|---:|\n| china-top-partner-of-rok | 21 years |\n| rok-rank-as-china-partner | 2nd |\n"
    ),
}


@pytest.mark.parametrize("fmt", list(FACTS_BY_FORMAT))
def test_facts_every_format(cli: Cli, fmt: str) -> None:
    result = cli("facts", "--tag", "ranking", "--fields", "id,display", "--format", fmt)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == FACTS_BY_FORMAT[fmt]


def test_format_short_option_and_any_case(cli: Cli) -> None:
    result = cli("facts", "--tag", "ranking", "--fields", "id,display", "-f", "CSV")
    assert result.exit_code == 0
    assert result.stdout == FACTS_BY_FORMAT["csv"]


def test_facts_csv_with_every_field(cli: Cli, classic: Path) -> None:
    result = cli("facts", "--tag", "ranking", "--format", "csv")
    assert result.exit_code == 0
    top, rank = classic_fact(classic, "china-top-partner-of-rok"), classic_fact(classic, "rok-rank-as-china-partner")
    assert list(csv.reader(io.StringIO(result.stdout))) == [
        ["id", "topic", "statement", "value", "unit", "qualifier", "display", "period", "entities", "items", "tags",
         "note", "source", "measure", "basis", "basis_country", "value_text", "decimals", "period_start",
         "period_end"],
        ["china-top-partner-of-rok", "trade", top["statement"], "21", "years", "exact", "21 years", "",
         "China; Republic of Korea", "", "trading-partner; ranking", top["note"], "cgtn-2026-01-09",
         "", "", "", "", "", "", ""],
        ["rok-rank-as-china-partner", "trade", rank["statement"], "2", "rank", "exact", "2nd", "",
         "China; Republic of Korea", "", "trading-partner; ranking", rank["note"], "cgtn-2026-01-09",
         "", "", "", "", "", "", ""],
    ]  # fmt: skip


def test_json_option_same_as_format_json(cli: Cli) -> None:
    assert cli("facts", "trade", "--json").stdout == cli("facts", "trade", "--format", "json").stdout
    both = cli("facts", "trade", "--json", "--format", "json")
    assert both.exit_code == 0
    assert json_ids(both) == TRADE_IDS


def test_json_conflicts_with_another_format(cli: Cli) -> None:
    result = cli("facts", "--json", "--format", "csv")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "kortrade: --json conflicts with --format csv\n"


def test_fields_keep_the_order_asked(cli: Cli) -> None:
    result = cli("facts", "--limit", "2", "--fields", "display,id", "--json")
    assert result.exit_code == 0
    records = json.loads(result.stdout)
    assert [list(r) for r in records] == [["display", "id"], ["display", "id"]]
    assert records == [
        {"display": "$328.08 billion", "id": "trade-volume-2024"},
        {"display": "over 60-fold", "id": "trade-growth-since-1992"},
    ]
    csv_result = cli("facts", "--limit", "2", "--fields", " display , id ", "--format", "csv")
    assert csv_result.stdout == "display,id\n$328.08 billion,trade-volume-2024\nover 60-fold,trade-growth-since-1992\n"


def test_unknown_field_exits_2_listing_valid_fields(cli: Cli) -> None:
    result = cli("facts", "--fields", "id,bogus")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"kortrade: unknown field 'bogus' for --fields; choose from: {FACT_FIELDS}\n"


def test_empty_fields_exits_2(cli: Cli) -> None:
    result = cli("facts", "--fields", ",")
    assert result.exit_code == 2
    assert result.stderr == "kortrade: --fields needs at least one field name, e.g. --fields id,display\n"


# -- show ------------------------------------------------------------------------------


def test_show_table_cites_the_source(cli: Cli, minimal: Path) -> None:
    result = cli("show", "fact-two", "--data", str(minimal))
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == (
        "  ID          fact-two\n"
        "  Topic       visit\n"
        "  Statement   A visit ended on 7 January 2026.\n"
        "  Period      2026-01-07\n"
        "  Entities    Lee Jae Myung\n"
        "  Note        Worked out from a weekday.\n"
        "  Source      A source\n"
        "              Pub, 2026-01-09\n"
        "              https://example.org/a\n"
    )


def test_show_table_of_a_classic_fact_has_title_and_url(cli: Cli) -> None:
    result = cli("show", "trade-volume-2024")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "  Figure      $328.08 billion" in lines
    assert "  Source      Charting the Future of China-ROK Trade and Innovation" in lines
    assert "              CGTN, 2026-01-09" in lines
    # A long URL folds over lines; joined back it is the source's URL.
    url_start = next(i for i, line in enumerate(lines) if line.strip().startswith("https://"))
    assert "".join(line.strip() for line in lines[url_start:]) == SOURCE_URL


def test_show_json_is_one_object(cli: Cli) -> None:
    result = cli("show", "trade-volume-2024", "--format", "json")
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert isinstance(record, dict)
    # show adds corroboration and the official figure after the fact's keys: the classic file has no series.
    assert record == {**json.loads(cli("facts", "--json").stdout)[0], "corroboration": None, "official": None}
    assert list(record)[-2:] == ["corroboration", "official"]
    assert cli("show", "trade-volume-2024", "--json").stdout == result.stdout


def test_show_id_ignores_case(cli: Cli) -> None:
    result = cli("show", "TRADE-VOLUME-2024", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["id"] == "trade-volume-2024"


def test_show_unknown_id_names_the_nearest(cli: Cli) -> None:
    result = cli("show", "trade-volume")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "kortrade: no fact with id 'trade-volume'; nearest: trade-volume-2024\n"


def test_show_unknown_id_without_near_ids_says_how_to_list_them(cli: Cli, minimal: Path) -> None:
    result = cli("show", "zzzz", "--data", str(minimal))
    assert result.exit_code == 1
    assert result.stderr == "kortrade: no fact with id 'zzzz'; list ids with: kortrade facts --fields id\n"


# -- topics and sources ----------------------------------------------------------------

TOPICS_BY_FORMAT = {
    "table": (
        "  Topic          Facts\n"
        " ──────────────────────\n"
        "  trade              4\n"
        "  relations          1\n"
        "  partnerships       6\n"
        "  visit              7\n"
        "  cooperation        2\n"
        "  industry           3\n"
        "  agreements         2\n"
    ),
    "json": json.dumps(
        [
            {"topic": t, "facts": n}
            for t, n in zip(TOPICS, (4, 1, 6, 7, 2, 3, 2), strict=True)  # counts from data/facts.yaml
        ],
        indent=2,
    )
    + "\n",
    "jsonl": "".join(f'{{"topic":"{t}","facts":{n}}}\n' for t, n in zip(TOPICS, (4, 1, 6, 7, 2, 3, 2), strict=True)),
    "csv": "topic,facts\ntrade,4\nrelations,1\npartnerships,6\nvisit,7\ncooperation,2\nindustry,3\nagreements,2\n",
    "markdown": (
        "| Topic | Facts |\n"
        "|---|---:|\n"
        "| trade | 4 |\n"
        "| relations | 1 |\n"
        "| partnerships | 6 |\n"
        "| visit | 7 |\n"
        "| cooperation | 2 |\n"
        "| industry | 3 |\n"
        "| agreements | 2 |\n"
    ),
}


@pytest.mark.parametrize("fmt", list(TOPICS_BY_FORMAT))
def test_topics_every_format(cli: Cli, fmt: str) -> None:
    result = cli("topics", "--format", fmt)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == TOPICS_BY_FORMAT[fmt]


SOURCE_RECORD = {
    "id": "cgtn-2026-01-09",
    "title": SOURCE_TITLE,
    "publisher": "CGTN",
    "published": "2026-01-09",
    "url": SOURCE_URL,
    "kind": None,  # kind, language, via and date_note: added in 2.0, not in the classic file
    "language": None,
    "via": None,
    "date_note": None,
    "facts": 25,
}
SOURCES_BY_FORMAT = {
    "table": (
        "  ID                Publisher   Published    Kind   Language   Facts\n"
        " " + "─" * 68 + "\n"
        "  cgtn-2026-01-09   CGTN        2026-01-09                        25\n"
    ),
    "json": json.dumps([SOURCE_RECORD], indent=2) + "\n",
    "jsonl": json.dumps(SOURCE_RECORD, separators=(",", ":")) + "\n",
    "csv": (
        "id,title,publisher,published,url,kind,language,via,date_note,facts\n"
        f"cgtn-2026-01-09,{SOURCE_TITLE},CGTN,2026-01-09,{SOURCE_URL},,,,,25\n"
    ),
    "markdown": (
        "| ID | Publisher | Published | Kind | Language | Facts |\n"
        "|---|---|---|---|---|---:|\n"
        "| cgtn-2026-01-09 | CGTN | 2026-01-09 |  |  | 25 |\n"
    ),
}


@pytest.mark.parametrize("fmt", list(SOURCES_BY_FORMAT))
def test_sources_every_format(cli: Cli, fmt: str) -> None:
    result = cli("sources", "--format", fmt)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == SOURCES_BY_FORMAT[fmt]


def test_sources_fields(cli: Cli) -> None:
    result = cli("sources", "--fields", "publisher,published,url", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout == f"publisher,published,url\nCGTN,2026-01-09,{SOURCE_URL}\n"


# -- validate --------------------------------------------------------------------------


def test_validate_ok_prints_a_summary(cli: Cli, classic: Path) -> None:
    result = cli("validate", str(classic))
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == f"{classic}: ok, 25 facts, 1 source\n"


def test_validate_counts_in_the_plural(cli: Cli, minimal: Path) -> None:
    result = cli("validate", "--data", str(minimal))
    assert result.exit_code == 0
    assert result.stdout == f"{minimal}: ok, 2 facts, 1 source\n"


def test_validate_bad_file_lists_every_problem(cli: Cli, write_facts: WriteFacts) -> None:
    bad = write_facts(BAD, "bad.yaml")
    result = cli("validate", str(bad))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == bad_lines(bad)


def test_validate_several_paths(cli: Cli, classic: Path, write_facts: WriteFacts) -> None:
    bad = write_facts(BAD, "bad.yaml")
    result = cli("validate", str(classic), str(bad))
    assert result.exit_code == 2
    assert result.stdout == f"{classic}: ok, 25 facts, 1 source\n"
    assert result.stderr == bad_lines(bad)


def test_validate_missing_file_among_good_ones(cli: Cli, minimal: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    result = cli("validate", str(missing), str(minimal))
    assert result.exit_code == 2
    assert result.stdout == f"{minimal}: ok, 2 facts, 1 source\n"
    assert result.stderr == f"{missing}: no such file; expected a YAML facts file\n"


# -- version and help ------------------------------------------------------------------


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(cli: Cli, flag: str) -> None:
    result = cli(flag)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == f"kortrade {__version__}\n"
    assert __version__ == importlib.metadata.version("kortrade")


EXAMPLES = {
    "": "Example: kortrade facts trade",
    "facts": "Example: kortrade facts trade --year 2024 --format json",
    "search": "Example: kortrade search two-way trade 2023",
    "show": "Example: kortrade show trade-volume-2024",
    "topics": "Example: kortrade topics --format csv",
    "sources": "Example: kortrade sources --kind government --language ko",
    "compare": "Example: kortrade compare rok-trade-balance-with-china --period 2023",
    "measures": "Example: kortrade measures --format csv",
    "series": "Example: kortrade series bilateral-trade --from 2015 --to 2025 --format csv",
    "check": "Example: kortrade check --measure trade --year 2020-2025 --format csv",
    "entities": "Example: kortrade entities --kind company",
    "info": "Example: kortrade info --format json",
    "cite": "Example: kortrade cite trade-volume-2024 --style markdown",
    "timeline": "Example: kortrade timeline --topic visit",
    "completion": "Example: kortrade completion bash",
    "brief": "Example: kortrade brief --format markdown --output brief.md",
    "export": "Example: kortrade export --format csv --output facts.csv",
    "schema": "Example: kortrade schema > facts.schema.json",
    "validate": "Example: kortrade validate data/facts.yaml --format json",
    "mcp": "Example: kortrade mcp --data data/facts.yaml",
}


def test_every_command_has_its_example_checked() -> None:
    import typer.main

    assert set(EXAMPLES) - {""} == set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", list(EXAMPLES))
def test_help_description_ends_with_an_example(cli: Cli, command: str) -> None:
    result = cli(*([command] if command else []), "--help")
    assert result.exit_code == 0
    assert result.stderr == ""
    lines = [line.strip() for line in result.stdout.splitlines()]
    usage = next(i for i, line in enumerate(lines) if line.startswith("Usage: kortrade"))
    first_panel = next(i for i, line in enumerate(lines) if line.startswith("╭"))
    description = [line for line in lines[usage + 1 : first_panel] if line]
    assert description[-1] == EXAMPLES[command]


@pytest.mark.parametrize("command", [c for c in EXAMPLES if c])
def test_help_example_runs(
    cli: Cli, command: str, shipped: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("KORTRADE_DATA")  # the examples are written for the shipped file
    # The part before a shell redirection or pipe is kortrade's.
    args = EXAMPLES[command].removeprefix("Example: kortrade ").split(" > ")[0].split(" | ")[0].split()
    if "--output" in args:
        monkeypatch.chdir(tmp_path)  # the example writes a file: not into the repository
        result = cli(*args)
        assert result.exit_code == 0, result.stderr
        assert (tmp_path / args[args.index("--output") + 1]).read_text(encoding="utf-8") != ""
        return
    monkeypatch.chdir(shipped.parent.parent)  # the example names data/facts.yaml
    if command == "mcp":  # a server answers what it reads: here, the protocol's handshake
        handshake = {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}
        request = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": handshake}
        result = cli(*args, input=json.dumps(request) + "\n")
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["result"]["serverInfo"]["name"] == "kortrade"
        return
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout != ""


def test_short_help_option(cli: Cli) -> None:
    assert cli("facts", "-h").stdout == cli("facts", "--help").stdout


def test_top_level_help_lists_every_exit_code(cli: Cli) -> None:
    result = cli("--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "Exit codes: 0 found; 1 nothing matched (unknown id, empty result); 2 usage error" in text
    epilog = text[text.index("Exit codes:") :]
    listed = [int(code) for code in re.findall(r"[:;] (\d+) ", epilog)]
    assert listed == sorted(int(code) for code in ExitCode)


def test_no_arguments_shows_help_without_an_empty_error_line(cli: Cli) -> None:
    result = cli()
    assert result.exit_code == 2
    assert "Usage: kortrade [OPTIONS] COMMAND [ARGS]..." in result.stdout
    # Any line on stderr must say something, not "kortrade:  (see ...)".
    for line in result.stderr.splitlines():
        assert re.fullmatch(r"kortrade: \w.*", line), line


# -- global flags ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--no-color", "facts", "trade"],
        ["facts", "--no-color", "trade"],
        ["facts", "trade", "--no-color"],
    ],
)
def test_no_color_before_or_after_the_command(cli: Cli, args: list[str]) -> None:
    forced = cli("facts", "trade", env={"FORCE_COLOR": "1"})
    assert "\x1b[" in forced.stdout
    result = cli(*args, env={"FORCE_COLOR": "1"})
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    assert result.stdout == cli("facts", "trade").stdout


@pytest.mark.parametrize("args", [["--debug", "facts", "trade", "--json"], ["facts", "trade", "--json", "--debug"]])
def test_debug_accepted_before_or_after_the_command(cli: Cli, args: list[str]) -> None:
    result = cli(*args)
    assert result.exit_code == 0
    assert json_ids(result) == TRADE_IDS


def test_flags_after_double_dash_are_arguments(cli: Cli) -> None:
    result = cli("show", "--", "--no-color")
    assert result.exit_code == 1
    assert result.stderr == "kortrade: no fact with id '--no-color'; list ids with: kortrade facts --fields id\n"


# -- data file -------------------------------------------------------------------------


def test_data_option(cli: Cli, minimal: Path) -> None:
    result = cli("facts", "--data", str(minimal), "--json")
    assert result.exit_code == 0
    assert json_ids(result) == ["fact-one", "fact-two"]


def test_data_env_var(cli: Cli, minimal: Path) -> None:
    result = cli("facts", "--json", env={"KORTRADE_DATA": str(minimal)})
    assert result.exit_code == 0
    assert json_ids(result) == ["fact-one", "fact-two"]


def test_data_option_wins_over_env_var(cli: Cli, minimal: Path, classic: Path, tmp_path: Path) -> None:
    result = cli("facts", "--json", "--data", str(minimal), env={"KORTRADE_DATA": str(tmp_path / "missing.yaml")})
    assert result.exit_code == 0
    assert json_ids(result) == ["fact-one", "fact-two"]
    result = cli("facts", "--json", "--data", str(classic), env={"KORTRADE_DATA": str(minimal)})
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 25


@pytest.mark.parametrize("command", ["facts", "show trade-volume-2024", "topics", "sources", "validate"])
def test_missing_data_file_is_one_line(cli: Cli, command: str, tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    result = cli(*command.split(), "--data", str(missing))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"{missing}: no such file; expected a YAML facts file\n"


def test_invalid_data_file_for_facts_prints_what_validate_prints(cli: Cli, write_facts: WriteFacts) -> None:
    bad = write_facts(BAD, "bad.yaml")
    listing = cli("facts", "--data", str(bad))
    checking = cli("validate", str(bad))
    assert listing.exit_code == checking.exit_code == 2
    assert listing.stdout == ""
    assert listing.stderr == checking.stderr == bad_lines(bad)


# -- errors ----------------------------------------------------------------------------


def test_bad_option_is_one_usage_line(cli: Cli) -> None:
    result = cli("facts", "--bogus")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "kortrade facts: No such option: --bogus (see 'kortrade facts --help')\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bogus"], "kortrade: No such option: --bogus (see 'kortrade --help')"),
        (["nosuch"], "kortrade: No such command 'nosuch'. (see 'kortrade --help')"),
        (["show"], "kortrade show: Missing argument 'ID'. (see 'kortrade show --help')"),
        (
            ["facts", "--limit", "0"],
            "kortrade facts: Invalid value for '--limit' / '-n': 0 is not in the range x>=1. "
            "(see 'kortrade facts --help')",
        ),
        (
            ["facts", "--format", "xml"],
            "kortrade facts: Invalid value for '--format' / '-f': 'xml' is not one of "
            "'table', 'json', 'jsonl', 'csv', 'markdown'. (see 'kortrade facts --help')",
        ),
    ],
)
def test_usage_errors_are_one_line(cli: Cli, args: list[str], message: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == message + "\n"


@pytest.mark.parametrize(
    "args",
    [
        ["facts", "--bogus"],
        ["facts", "bogus"],
        ["facts", "--entity", "nobody"],
        ["show", "nope"],
        ["facts", "--json", "--format", "csv"],
        ["facts", "--fields", "bogus"],
        ["facts", "--data", "/nonexistent/kortrade/facts.yaml"],
        ["validate", "/nonexistent/kortrade/facts.yaml"],
        ["nosuch"],
    ],
)
def test_no_traceback_on_any_error(cli: Cli, args: list[str]) -> None:
    result = cli(*args)
    assert result.exit_code in (1, 2)
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stdout + result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_markup_in_data_prints_literally(cli: Cli, write_facts: WriteFacts) -> None:
    path = write_facts(ONE_FACT.format(statement='"[bold]x[/bold] :flag_kr:"'), "markup.yaml")
    result = cli("facts", "--data", str(path))
    assert result.exit_code == 0
    assert "[bold]x[/bold] :flag_kr:" in result.stdout
    shown = cli("show", "odd-text", "--data", str(path))
    assert "  Statement   [bold]x[/bold] :flag_kr:" in shown.stdout.splitlines()


def test_control_characters_in_data_are_escaped_in_tables(cli: Cli, write_facts: WriteFacts) -> None:
    path = write_facts(ONE_FACT.format(statement='"red \\e[31mALERT\\e[0m bell\\a"'), "controls.yaml")
    for command in (["facts"], ["show", "odd-text"]):
        result = cli(*command, "--data", str(path))
        assert result.exit_code == 0
        assert "\x1b" not in result.stdout
        assert "\x07" not in result.stdout
        assert "red \\x1b[31mALERT\\x1b[0m bell\\x07" in result.stdout
    # JSON keeps the text exact, escaped the JSON way.
    as_json = cli("facts", "--data", str(path), "--json")
    assert json.loads(as_json.stdout)[0]["statement"] == "red \x1b[31mALERT\x1b[0m bell\x07"
    assert "\x1b" not in as_json.stdout


def test_control_characters_in_arguments_are_escaped_on_stderr(cli: Cli, minimal: Path) -> None:
    result = cli("show", "\x1b[2J", "--data", str(minimal))
    assert result.exit_code == 1
    assert result.stderr == "kortrade: no fact with id '\\x1b[2J'; list ids with: kortrade facts --fields id\n"


def _boom(self: FactStore, *args: object, **kwargs: object) -> None:
    raise RuntimeError("boom")


def test_internal_error_exits_70_with_one_line(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FactStore, "iter_facts", _boom)
    result = cli("facts")
    assert result.exit_code == 70
    assert result.stdout == ""
    assert result.stderr == "kortrade: internal error: RuntimeError: boom (rerun with --debug for the trace)\n"
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["--debug", "facts"], ["facts", "--debug"]])
def test_debug_lets_an_internal_error_propagate(cli: Cli, args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FactStore, "iter_facts", _boom)
    result = cli(*args)
    assert isinstance(result.exception, RuntimeError)
    assert str(result.exception) == "boom"
    assert "internal error" not in result.stderr


def test_debug_setting_does_not_leak_into_the_next_run(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FactStore, "iter_facts", _boom)
    assert isinstance(cli("--debug", "facts").exception, RuntimeError)
    result = cli("facts")
    assert result.exit_code == 70
    assert isinstance(result.exception, SystemExit)
