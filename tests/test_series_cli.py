"""`kortrade series` on the shipped data, run as a user runs it; and issue 20's "done when" table."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kortrade.commands import series_outcome
from kortrade.store import FactStore
from kortrade.worked import BALANCE, CHINA, EXPORTS, IMPORTS, KOREA, TRADE
from support.cli import run_on_shipped as kortrade
from support.keys import SERIES_KEYS
from support.paths import REPO, SHIPPED

KCS_FILE = REPO / "data" / "series" / "kcs-2025-06-14-korea-monthly-by-partner.csv"


@pytest.fixture(scope="module")
def trade_csv() -> list[dict[str, str]]:
    """The spreadsheet user's one command."""
    done = kortrade("series", "bilateral-trade", "--from", "2015", "--to", "2025", "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    reader = csv.DictReader(io.StringIO(done.stdout))
    assert reader.fieldnames == SERIES_KEYS
    return list(reader)


def kcs_year(year: str) -> tuple[int, list[str]]:
    """Korea's trade with China in a year, summed here from the customs file itself, and its months."""
    total, months = 0, []
    with KCS_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["partner"] == "China" and row["month"].startswith(year + "-"):
                total += int(row["exports_usd"]) + int(row["imports_usd"])
                months.append(row["month"])
    return total, months


def test_csv_is_a_row_per_year_and_basis_ready_to_chart(trade_csv: list[dict[str, str]]) -> None:
    slots = [(r["period"], r["basis_country"]) for r in trade_csv]
    assert len(slots) == len(set(slots))
    assert {(str(y), KOREA) for y in range(2015, 2025)} <= set(slots)
    # Korea's files end in May 2025: no part of 2025 is passed off as the year.
    assert ("2025", KOREA) not in slots
    for row in trade_csv:
        assert row["measure"] == TRADE
        assert row["period_start"] == f"{row['period']}-01-01"
        assert row["period_end"] == f"{row['period']}-12-31"
        float(row["value"])
        assert row["unit"] == "USD"
        assert row["source"]
        assert row["worked_out"] in ("true", "false")
        if row["worked_out"] == "true":
            assert row["how"]
            assert row["observations"] or row["facts"]
        else:
            assert row["facts"] or row["observations"]


def test_a_worked_out_year_is_the_customs_months_summed(trade_csv: list[dict[str, str]]) -> None:
    (row,) = [r for r in trade_csv if (r["period"], r["basis_country"]) == ("2024", KOREA)]
    total, months = kcs_year("2024")
    assert len(months) == 12
    assert int(row["value"]) == total
    assert row["how"] == "exports + imports, each a year as the sum of 12 months"
    assert len(row["observations"].split("; ")) == 24


def test_json_rows_keep_the_contract() -> None:
    done = kortrade("series", "--from", "2020", "--to", "2024", "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert rows
    assert all(list(r) == SERIES_KEYS for r in rows)
    assert {r["measure"] for r in rows} == {TRADE, EXPORTS, IMPORTS, BALANCE}
    assert all(isinstance(r["value"], int | float) and isinstance(r["observations"], list) for r in rows)
    lines = kortrade("series", "--from", "2020", "--to", "2024", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == rows


def test_table_sets_the_two_countries_side_by_side_with_a_legend() -> None:
    done = kortrade("series", "bilateral-trade", "--from", "2015", "--to", "2025")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Trade between China and the ROK, both directions"
    assert "Korea's statistics" in lines[2]
    assert "China's statistics" in lines[2]
    assert all(len(line) <= 80 for line in lines)
    years = [m[1] for line in lines if (m := re.match(r"  (\d{4})  ", line))]
    assert years == [str(y) for y in range(2015, 2026)]
    assert any(line.startswith("* worked out by kortrade") for line in lines)
    # Every source is named whole in the legend, so it can be copied into `kortrade sources`.
    listed = [line.split()[1].rstrip(":") for line in lines if line.startswith("[")]
    assert "kcs-2025-06-14-korea-monthly-by-partner" in listed
    assert "2025 is not a full year there" in done.stdout


def test_basis_and_monthly() -> None:
    done = kortrade("series", "balance", "--monthly", "--from", "2025-04", "--basis", "korea", "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [(r["period"], r["basis_country"]) for r in rows] == [("2025-04", KOREA), ("2025-05", KOREA)]
    # The customs file states each month's balance: stated, not worked out.
    assert all(r["worked_out"] == "false" and r["how"] == "" for r in rows)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["gdp"], "unknown measure 'gdp'"),
        (["--from", "2015-03"], "--from takes a year (2015), or a month (2015-03) with --monthly"),
        (["--from", "2020", "--to", "2015"], "--from 2020 is after --to 2015"),
        (["--basis", "japan"], "unknown basis 'japan'; choose korea or china"),
        (["--monthly", "--to", "2015-13"], "--to takes a year (2015) or a month (2015-03)"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str) -> None:
    done = kortrade("series", *args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert message in done.stderr


def test_nothing_in_range_exits_1() -> None:
    done = kortrade("series", "--from", "1900", "--to", "1901")
    assert done.returncode == 1
    assert "no official figures" in done.stderr


# -- issue 20: "done when" ------------------------------------------------------------

# measure -> basis -> (years, months) that must have a figure, stated or worked out and labelled.
KOREA_MONTHS = [f"{y}-{m:02d}" for y in range(2000, 2026) for m in range(1, 13)][:305]  # 2000-01 to 2025-05


def years(first: int, last: int, *more: int) -> list[str]:
    return [str(y) for y in [*range(first, last + 1), *more]]


DONE_WHEN = {
    TRADE: {KOREA: (years(1992, 2024), KOREA_MONTHS), CHINA: (years(1992, 2022, 2024), [])},
    EXPORTS: {KOREA: (years(1992, 2025), KOREA_MONTHS), CHINA: (years(1992, 2021, 2024), [])},
    IMPORTS: {KOREA: (years(1992, 2024), KOREA_MONTHS), CHINA: (years(1992, 2021, 2024), [])},
    BALANCE: {KOREA: (years(1992, 2024), KOREA_MONTHS), CHINA: (years(1992, 2022, 2024), [])},
}
# Cells the data files cannot hold (Korea's monthly files end in May 2025; the IMF's in 2020
# and China has no monthly file here): pages' official figures must, as curators add them.
FROM_PAGES = {
    (EXPORTS, KOREA, "2025"),
    *((m, CHINA, y) for m in (TRADE, EXPORTS, IMPORTS, BALANCE) for y in ("2021", "2022", "2024")),
}


@pytest.fixture(scope="module")
def shipped_series() -> Iterator[dict[tuple[str, str, str], dict[str, object]]]:
    with FactStore.open(SHIPPED) as store:
        found = {}
        for monthly in (False, True):
            for row in series_outcome(store, [], monthly=monthly).view.rows():
                found[(str(row["measure"]), str(row["basis_country"]), str(row["period"]))] = row
        yield found


def wanted_cells() -> Iterator[tuple[str, str, str]]:
    for measure, by_basis in DONE_WHEN.items():
        for basis, (wanted_years, wanted_months) in by_basis.items():
            for period in [*wanted_years, *wanted_months]:
                yield measure, basis, period


def test_done_when_the_data_files_cover(shipped_series: dict[tuple[str, str, str], dict[str, object]]) -> None:
    missing = [c for c in wanted_cells() if c not in FROM_PAGES and c not in shipped_series]
    assert missing == []
    for cell in wanted_cells():
        row = shipped_series.get(cell)
        if row is not None and row["worked_out"]:
            assert row["how"], row
            assert row["observations"] or row["facts"], row


def test_done_when_pages_cover(shipped_series: dict[tuple[str, str, str], dict[str, object]]) -> None:
    cells = FROM_PAGES & set(wanted_cells())
    missing = sorted(c for c in cells if c not in shipped_series)
    assert missing == [], "no official figure for: " + "; ".join(" ".join(c) for c in missing)
    for cell in cells:
        assert shipped_series[cell]["worked_out"] is False or shipped_series[cell]["how"]


def test_markdown_is_the_table_then_its_legend() -> None:
    done = kortrade("series", "balance", "--from", "2023", "--to", "2024", "--format", "markdown")
    assert done.returncode == 0, done.stderr
    table, legend = done.stdout.split("\n\n")
    assert table.splitlines()[0] == "| Series | Period | Korea's statistics | Agree | China's statistics | Agree |"
    assert len(table.splitlines()) == 4
    assert legend.startswith("\\* worked out by kortrade")
    assert "\\[1\\] kcs-2025-06-14-korea-monthly-by-partner: Korea Customs Service, 2025-06-14" in legend


def test_a_facts_file_without_series_has_no_official_figures(minimal: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kortrade", "series", "--data", str(minimal)],
        capture_output=True,
        text=True,
        env={**os.environ, "KORTRADE_DATA": ""},
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith("kortrade: no official figures for this series (")


def test_chart_draws_a_labelled_bar_per_figure_above_the_table() -> None:
    done = kortrade("series", "balance", "--from", "2022", "--to", "2024", "--basis", "korea", "--chart")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:2] == [
        "ROK trade balance with China (surplus positive, deficit negative)",
        "A bar per period and statistics: KR Korea's, CN China's",
    ]
    csv_rows = list(
        csv.DictReader(
            io.StringIO(
                kortrade("series", "balance", "--from", "2022", "--to", "2024", "-b", "korea", "-f", "csv").stdout
            )
        )
    )
    bars = lines[2:5]
    for bar, row in zip(bars, csv_rows, strict=True):
        assert bar.startswith(f"{row['period']}    KR ")
        assert bar.endswith(row["display"].lstrip("'") + "*")
        # A deficit is drawn below zero, as light bars.
        assert ("░" in bar) == row["value"].startswith("-")
    assert lines[5].strip() == "░ below zero (a deficit)"
    assert "Korea's statistics" in done.stdout


def test_chart_is_for_tables_only() -> None:
    done = kortrade("series", "--chart", "--format", "csv")
    assert done.returncode == 2
    assert done.stderr == "kortrade: --chart draws on a table; leave it out with --format or --json\n"
