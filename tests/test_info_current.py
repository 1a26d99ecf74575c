"""``kortrade info`` says how current the data is: the official series' latest year and month, per side."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support.cli import Cli


def latest_of(rows: list[dict[str, object]]) -> dict[tuple[str, str], str]:
    latest: dict[tuple[str, str], str] = {}
    for row in rows:
        key = (str(row["measure"]), str(row["basis_country"]))
        latest[key] = max(latest.get(key, ""), str(row["period"]))
    return latest


def test_info_gives_the_series_latest_year_and_month_per_measure_and_side(
    cli: Cli, shipped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KORTRADE_DATA", str(shipped))
    info = json.loads(cli.ok("info", "--format", "json"))
    # The whole series, yearly and monthly, as `kortrade series` lists it.
    years = latest_of(json.loads(cli.ok("series", "--format", "json")))
    months = latest_of(json.loads(cli.ok("series", "--monthly", "--format", "json")))
    assert len(info["latest"]) == 8  # trade, exports, imports, balance; Korea's and China's statistics
    for item in info["latest"]:
        assert list(item) == ["measure", "basis_country", "year", "month"]
        key = (item["measure"], item["basis_country"])
        assert item["year"] == years.get(key)
        assert item["month"] == months.get(key)
    korea = next(i for i in info["latest"] if i["measure"] == "bilateral-trade" and i["basis_country"] != "China")
    assert korea["month"] == "2025-05"  # the customs service's monthly file ends in May 2025


def test_info_gives_each_data_file_s_last_period(cli: Cli, shipped: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KORTRADE_DATA", str(shipped))
    files = json.loads(cli.ok("info", "--format", "json"))["data_files"]
    observations = json.loads(cli.ok("export", "--format", "json"))["observations"]
    ends: dict[tuple[str, str], str] = {}
    for row in observations:
        key = (row["file"], row["resource"])
        ends[key] = max(ends.get(key, row["period_end"]), row["period_end"])
    assert {(f["file"], f["resource"]) for f in files} == set(ends)
    assert len(files) == 3
    for item in files:
        # The period whose last day is the file's last: a year ends with its December.
        matching = {row["period"] for row in observations if row["file"] == item["file"]}
        assert item["last_period"] in matching
        last_day = max(
            r["period_end"] for r in observations if r["period"] == item["last_period"] and r["file"] == item["file"]
        )
        assert last_day == ends[(item["file"], item["resource"])]


def test_info_s_table_names_each_side_and_period(cli: Cli, shipped: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KORTRADE_DATA", str(shipped))
    monkeypatch.setenv("COLUMNS", "100")
    text = cli.ok("info")
    assert "bilateral-trade, Korea's statistics: year 2024, month 2025-05" in text
    assert "kcs-2025-06-14-korea-monthly-by-partner.csv: 2025-05" in text
