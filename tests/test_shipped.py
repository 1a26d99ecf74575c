"""The shipped data file itself (data/facts.yaml, format 2.0): it validates, and every command works on it.

Expectations are read from the file with plain YAML, apart from kortrade's loader, so they
follow the file as it grows; only a few known facts are pinned. Tests of exact output on
known data run on the classic 25-fact file instead (tests/data/cgtn-25.yaml).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from kortrade import fast, load_dataset
from kortrade.records import fact_record
from support.cli import Cli
from support.facts import plain_yaml
from support.keys import CORROBORATION_KEYS
from support.paths import CLASSIC, SHIPPED
from support.pty_run import clean_env

# A source id as the digests write it: the outlet, the page's date (xx where unknown), a slug.
SOURCE_ID = re.compile(
    r"(?P<outlet>[a-z0-9]+(?:-[a-z0-9]+)*?)-(?P<date>(?:\d{4}|xxxx)-(?:\d\d|xx)-(?:\d\d|xx))(?:-[a-z0-9]+)*"
)
SUMMIT_DAY = "2026-01-05"


# The shipped file (no KORTRADE_DATA), no colour, no width but the default 80 columns.
pytestmark = pytest.mark.usefixtures("quiet_environment")


def document() -> dict[str, Any]:
    """The shipped file as plain YAML."""
    loaded: dict[str, Any] = plain_yaml(SHIPPED)
    return loaded


def facts() -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = document()["facts"]
    return listed


def as_json(cli: Cli, *args: str) -> Any:
    return json.loads(cli.ok(*args, "--format", "json"))


def naming(entity: str) -> set[str]:
    """The ids of the facts that name ``entity``, from the file."""
    return {f["id"] for f in facts() if entity in f.get("entities", [])}


# -- the file -------------------------------------------------------------------------------


def test_the_shipped_file_validates(cli: Cli) -> None:
    dataset = load_dataset(SHIPPED)
    assert [f.id for f in dataset.facts] == [f["id"] for f in facts()]
    assert [s.id for s in dataset.sources] == [s["id"] for s in document()["sources"]]
    assert [e.name for e in dataset.entities] == [e["name"] for e in document()["entities"]]
    assert [m.id for m in dataset.measures] == [m["id"] for m in document()["measures"]]
    counts = f"{len(facts())} facts, {len(document()['sources'])} sources, {len(dataset.observations)} observations"
    assert cli.ok("validate", str(SHIPPED)) == f"{SHIPPED}: ok, {counts}\n"
    info = as_json(cli, "info")
    assert Path(info["data"]).resolve() == SHIPPED.resolve()
    assert (info["facts"], info["sources"], info["entities"], info["measures"]) == (
        len(facts()),
        len(document()["sources"]),
        len(document()["entities"]),
        len(document()["measures"]),
    )


def test_fact_ids_are_unique() -> None:
    ids = [f["id"] for f in facts()]
    duplicated = [fact_id for fact_id, count in Counter(ids).items() if count > 1]
    assert duplicated == []


def test_every_source_id_is_digest_style() -> None:
    """outlet-YYYY-MM-DD-slug; its date agrees with ``published``, or ``date_note`` says why not."""
    for source in document()["sources"]:
        match = SOURCE_ID.fullmatch(source["id"])
        assert match, source["id"]
        published = source.get("published")
        written = str(published).split("-") if published is not None else []
        in_id = match["date"].split("-")
        for place, part in enumerate(in_id):
            if part.startswith("x"):  # unknown in the id: the date says no more either
                assert place >= len(written), (source["id"], published)
            elif place >= len(written) or written[place] != part:
                assert source.get("date_note"), (source["id"], published)


def test_every_source_is_cited_and_every_cited_source_exists() -> None:
    defined = [s["id"] for s in document()["sources"]]
    # A source is cited by a fact, or is an official data file of the series data package.
    package = json.loads((SHIPPED.parent / document()["series"]).read_text(encoding="utf-8"))
    cited = {f["source"] for f in facts()} | {r["kortrade"]["source"] for r in package["resources"]}
    assert [s for s in defined if s not in cited] == []
    assert sorted(cited - set(defined)) == []
    assert len(set(defined)) == len(defined)


def test_the_classic_facts_are_all_still_there_unchanged() -> None:
    """CGTN's 25 facts, as in the classic file; 2.0 has only given some of them a measure, and
    dated some the classic file left undated, its note then saying how the date was worked out."""
    shipped = load_dataset(SHIPPED).by_id
    for fact in load_dataset(CLASSIC).facts:
        now = fact_record(shipped[fact.id])
        classic = fact_record(fact)
        if classic["period"] is None and now["period"] is not None:
            note = str(now["note"])
            assert note.startswith(str(classic["note"] or "")), fact.id
            assert "Worked out, not stated:" in note, fact.id
            dated = ("period", "period_start", "period_end", "note")
            now = {**now, **{k: classic[k] for k in dated}}
        assert {**now, "measure": None} == {**classic, "source": now["source"]}, fact.id
        source = now["source"]
        assert isinstance(source, dict)
        classic_source = fact_record(fact)["source"]
        assert isinstance(classic_source, dict)
        assert {k: source[k] for k in ("id", "title", "publisher", "published", "url")} == {
            k: classic_source[k] for k in ("id", "title", "publisher", "published", "url")
        }
    assert fact_record(shipped["trade-volume-2024"])["display"] == "$328.08 billion"
    assert shipped["trade-volume-2024"].value == 328_080_000_000


# -- the commands on it ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "entity"),
    [("최태원", "Chey Tae-won"), ("李强", "Li Qiang"), ("现代汽车", "Hyundai Motor"), ("Li Qiang", "Li Qiang")],
)
def test_search_in_korean_chinese_and_english_finds_the_entitys_facts(cli: Cli, query: str, entity: str) -> None:
    assert naming(entity)  # the file names it
    found = {r["id"] for r in as_json(cli, "search", query, "--limit", "0")}
    assert naming(entity) <= found
    assert {r["id"] for r in as_json(cli, "facts", "--entity", query)} == naming(entity)


def test_facts_year_finds_a_month_of_that_year(cli: Cli) -> None:
    months = {f["id"] for f in facts() if re.fullmatch(r"2024-\d\d", str(f.get("period")))}
    assert months
    found = as_json(cli, "facts", "--year", "2024")
    assert months <= {r["id"] for r in found}
    for record in found:  # a period that touches 2024 (an as-of period has no start)
        assert record["period_start"] is None or record["period_start"][:10] <= "2024-12-31", record["id"]
        assert record["period_end"] is None or record["period_end"][:10] >= "2024-01-01", record["id"]


def test_timeline_orders_the_times_within_a_day(cli: Cli) -> None:
    timed = [f for f in facts() if str(f.get("period", "")).startswith(f"{SUMMIT_DAY}T")]
    assert timed
    line = [r for r in as_json(cli, "timeline") if r["id"] in {f["id"] for f in timed}]
    starts = [dt.datetime.fromisoformat(r["period_start"]) for r in line]
    assert starts == sorted(starts)
    # The summit day as the sources tell it: arrival, talks, banquet.
    at = {dt.datetime.fromisoformat(r["period_start"]).strftime("%H:%M"): i for i, r in reversed(list(enumerate(line)))}
    for earlier, later in [("16:30", "16:47"), ("16:47", "18:40")]:
        if earlier in at and later in at:
            assert at[earlier] < at[later]


TABLES = [
    ["facts"],
    ["facts", "--year", "2024"],
    ["search", "삼성"],
    ["search", "semiconductor*"],
    ["timeline"],
    ["topics"],
    ["sources"],
    ["sources", "--kind", "government"],
    ["entities"],
    ["measures"],
    ["compare"],
    ["compare", "--conflicts"],
    ["show", "trade-volume-2024"],
    ["info"],
]


def too_wide(text: str) -> list[str]:
    """Lines wider than 80 columns; a URL or an id is kept whole at the end of a line, past the
    edge if it must, so it may be (the rest of the line fits)."""
    return [line for line in text.splitlines() if cell_len(line) > 80 and not runs_past(line, 80)]


def runs_past(line: str, columns: int) -> bool:
    """Whether only the line's last word (a URL or an id kept whole) is past ``columns``."""
    head = line.rstrip().rsplit(" ", 1)[0]
    return (" " in line.strip() and cell_len(head) < columns) or len(line.split()) == 1


@pytest.mark.parametrize("args", TABLES, ids=" ".join)
def test_tables_fit_80_columns_on_a_pipe(cli: Cli, args: list[str]) -> None:
    assert too_wide(cli.ok(*args)) == []


def test_a_real_pipe_gets_80_columns_and_every_fact() -> None:
    """One real process: the installed program, the shipped file found from another directory."""
    exe = Path(sys.executable).parent / "kortrade"
    done = subprocess.run([str(exe), "facts"], capture_output=True, env=clean_env(), cwd="/", timeout=300, check=False)
    assert (done.returncode, done.stderr) == (0, b"")
    text = done.stdout.decode("utf-8")
    assert "\x1b" not in text
    assert too_wide(text) == []
    lines = text.splitlines()
    topics = list(dict.fromkeys(f["topic"] for f in facts()))
    assert [line for line in lines if line in topics] == topics  # a title for each topic, in file order
    assert "trade-volume-2024 · CGTN, 2026-01-09" in [line.strip() for line in lines]


def test_compare_conflicts_lists_the_disagreements(cli: Cli) -> None:
    groups = as_json(cli, "compare", "--conflicts")
    assert groups
    assert {g["verdict"] for g in groups} == {"differ"}
    measures = {m["id"] for m in document()["measures"]}
    for group in groups:
        assert group["measure"] in measures
        assert len(group["facts"]) >= 2
        assert {f["measure"] for f in group["facts"]} == {group["measure"]}


def test_measures_lists_each_with_its_facts_and_sources(cli: Cli) -> None:
    listed = as_json(cli, "measures")
    by_measure: dict[str, list[dict[str, Any]]] = {}
    for f in facts():
        if f.get("measure"):
            by_measure.setdefault(f["measure"], []).append(f)
    assert [m["id"] for m in listed] == [m["id"] for m in document()["measures"]]
    for measure in listed:
        stating = by_measure.get(measure["id"], [])
        assert measure["facts"] == len(stating), measure["id"]
        assert measure["sources"] == len({f["source"] for f in stating}), measure["id"]
    table = cli.ok("measures")
    assert "Facts" in table.splitlines()[0]
    assert "Sources" in table.splitlines()[0]


@pytest.mark.parametrize(
    ("option", "value", "key"), [("--kind", "government", "kind"), ("--language", "ko", "language")]
)
def test_sources_by_kind_and_language(cli: Cli, option: str, value: str, key: str) -> None:
    expected = [s["id"] for s in document()["sources"] if s.get(key) == value]
    assert expected
    found = as_json(cli, "sources", option, value)
    assert [s["id"] for s in found] == expected
    assert {s[key] for s in found} == {value}


def test_show_of_a_fact_with_a_measure_has_its_corroboration(cli: Cli) -> None:
    shown = as_json(cli, "show", "trade-volume-2024")
    corroboration = shown["corroboration"]
    assert list(shown)[-2:] == ["corroboration", "official"]
    assert list(corroboration) == CORROBORATION_KEYS
    assert (corroboration["measure"], corroboration["period"]) == ("bilateral-trade", "2024")
    same = {
        f["id"]
        for f in facts()
        if f.get("measure") == "bilateral-trade" and str(f.get("period")) == "2024" and f["id"] != "trade-volume-2024"
    }
    assert {o["id"] for o in corroboration["others"]} == same
    for other in corroboration["others"]:
        assert list(other) == ["id", "display", "period", "basis", "source", "agrees"]
        assert list(other["source"]) == ["id", "publisher", "published"]
        assert other["agrees"] in (True, False, None)
    assert as_json(cli, "show", "lee-state-visit")["corroboration"] is None  # no measure, nothing to corroborate


@pytest.mark.parametrize(
    "argv",
    [
        ["facts", "--year", "2024", "--format", "csv"],
        ["search", "삼성", "-n", "0", "--format", "csv"],
        ["show", "trade-volume-2024", "--json"],
        ["facts", "-e", "现代汽车", "--fields", "id,display", "--json"],
    ],
    ids=" ".join,
)
def test_the_start_up_shortcut_answers_as_typer_does(
    cli: Cli, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    code = fast.run(argv)
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out == cli.ok(*argv)


def test_a_yaml_export_is_the_same_facts_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "exported.yaml"
    assert cli.ok("export", "--format", "yaml", "--output", str(target)) == ""
    counts = f"{len(facts())} facts, {len(document()['sources'])} sources, 5649 observations"
    assert cli.ok("validate", str(target)) == f"{target}: ok, {counts}\n"
    for command in (["facts"], ["measures"], ["entities"], ["compare"]):
        assert cli.ok(*command, "--json", "--data", str(target)) == cli.ok(*command, "--json"), command


@pytest.mark.parametrize("columns", [40, 50, 60])
def test_on_a_narrow_terminal_the_statement_keeps_room(cli: Cli, columns: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # The figure and period columns kept their 18 and 16 columns whatever the width: at 50
    # the statement had 7, a word or less a line.
    monkeypatch.setenv("COLUMNS", str(columns))
    result = cli("search", "samsung", "-n", "5", "--data", str(SHIPPED))
    assert result.exit_code == 0
    header = next(line for line in result.stdout.splitlines() if "Fact" in line)
    fact_width = columns - header.index("Fact")
    assert fact_width >= columns * 0.35
    # An id longer than the room is kept whole on a line of its own, running past the edge.
    assert all(cell_len(line) <= columns or runs_past(line, columns) for line in result.stdout.splitlines())


def test_a_figure_reported_before_it_happened_is_tagged_scheduled_or_expected(cli: Cli) -> None:
    """The rule compare's flags rest on: a tag, checked here against the page's own date."""
    untagged = [
        f["id"]
        for f in as_json(cli, "facts")
        if f["measure"]
        and f["period_start"]
        and len(f["source"]["published"] or "") == 10
        and f["period_start"][:10] > f["source"]["published"]
        and not {"scheduled", "expected"} & set(f["tags"])
    ]
    assert untagged == []


def test_no_comparison_sets_two_countries_statistics_against_each_other(cli: Cli) -> None:
    groups = as_json(cli, "compare")
    assert groups
    for group in groups:
        statistics = group["statistics"]
        for fact in group["facts"]:
            assert fact["basis_country"] in (statistics, None), (group["measure"], group["period"], fact["id"])
            # A figure without statistics in a country's group says it was placed there.
            placed = statistics is not None and fact["basis_country"] is None
            assert ("statistics-assumed" in fact["flags"]) is placed, fact["id"]
        reference = group["reference"]
        if reference is not None:
            (fact,) = [f for f in group["facts"] if f["id"] == reference["id"]]
            assert reference["kind"] == "fact"
            assert fact["source"]["kind"] in ("statistics", "government")
            assert not {"worked-out", "scheduled", "expected"} & set(fact["flags"])
    # 1992's trade: Korea's figures agree with each other; China's stands apart.
    trade_1992 = [
        (g["statistics"], g["verdict"]) for g in as_json(cli, "compare", "bilateral-trade", "--period", "1992")
    ]
    assert trade_1992 == [("Republic of Korea", "agree"), ("China", "single")]
