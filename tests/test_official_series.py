"""The official series, chosen from observations and facts: pure functions (the command: test_series_cli)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kortrade.model import Observation
from kortrade.records import Record
from kortrade.series import (
    SERIES_FIELDS,
    SERIES_MEASURES,
    SeriesQuery,
    all_periods,
    display,
    parse_bound,
    resolve_bases,
    resolve_measures,
    series_rows,
)
from kortrade.worked import BALANCE, CHINA, EXPORTS, IMPORTS, KOREA, TRADE
from support.cli import Cli
from test_worked import IMF, KCS, obs, observation, source

KOSIS = source("kosis", "2025-05-23")


def fact(
    fact_id: str,
    measure: str,
    period: tuple[str, str],
    basis_country: str | None,
    value: float,
    *,
    unit: str = "USD",
    qualifier: str = "exact",
    kind: str = "newspaper",
    basis: tuple[str, ...] = (),
    published: str = "2025-01-01",
) -> Record:
    return {
        "id": fact_id,
        "measure": measure,
        "period": period[0][:4],
        "period_start": period[0],
        "period_end": period[1],
        "basis_country": basis_country,
        "basis": list(basis),
        "value": value,
        "unit": unit,
        "qualifier": qualifier,
        "decimals": None,
        "display": f"shown {value}",
        "source": {"id": f"src-{fact_id}", "kind": kind, "published": published, "publisher": "P"},
    }


YEAR = ("2024-01-01", "2024-12-31")


def by_slot(rows: list[Record]) -> dict[tuple[object, object, object], Record]:
    return {(r["measure"], r["period"], r["basis_country"]): r for r in rows}


def test_rows_keep_the_contract_keys() -> None:
    rows = series_rows([obs(IMF, KOREA, CHINA, "exports", "2015", 100)], [], SeriesQuery(measures=(EXPORTS,)))
    assert [list(r) for r in rows] == [list(SERIES_FIELDS)]
    (row,) = rows
    assert (row["period_start"], row["period_end"], row["source"], row["worked_out"]) == (
        "2015-01-01",
        "2015-12-31",
        "imf",
        False,
    )


def test_the_newest_source_states_it_and_the_others_are_counted_with_their_agreement() -> None:
    rows = [
        obs(KCS, KOREA, CHINA, "exports", "2010-03", 1_239_083_456),
        obs(KOSIS, KOREA, CHINA, "exports", "2010-03", 1_239_083_000),  # in thousands: agrees
    ]
    (row,) = series_rows(rows, [], SeriesQuery(measures=(EXPORTS,), monthly=True))
    assert (row["source"], row["also_stated"], row["agreeing"], row["verdict"]) == ("kcs", 1, 1, "agree")
    rows[1] = obs(KOSIS, KOREA, CHINA, "exports", "2010-03", 1_300_000_000)
    (row,) = series_rows(rows, [], SeriesQuery(measures=(EXPORTS,), monthly=True))
    assert (row["source"], row["also_stated"], row["agreeing"], row["verdict"]) == ("kcs", 1, 0, "differ")


def test_a_yearly_row_beats_a_year_of_months_across_sources() -> None:
    months = [
        obs(KCS, KOREA, CHINA, flow, f"2015-{m:02d}", 10) for m in range(1, 13) for flow in ("exports", "imports")
    ]
    yearly = [obs(IMF, KOREA, CHINA, "exports", "2015", 125), obs(IMF, KOREA, CHINA, "imports", "2015", 119)]
    found = by_slot(series_rows([*months, *yearly], [], SeriesQuery()))
    trade = found[(TRADE, "2015", KOREA)]
    # The IMF's yearly rows, though the customs' months are newer.
    assert (trade["value"], trade["source"], trade["how"]) == (244, "imf", "exports + imports")
    months_only = by_slot(series_rows(months, [], SeriesQuery()))
    assert months_only[(TRADE, "2015", KOREA)]["how"] == "exports + imports, each a year as the sum of 12 months"
    assert months_only[(TRADE, "2015", KOREA)]["value"] == 240


def test_bases_are_never_mixed() -> None:
    rows = [obs(IMF, KOREA, CHINA, "exports", "2015", 100), obs(IMF, CHINA, KOREA, "exports", "2015", 70)]
    found = by_slot(series_rows(rows, [], SeriesQuery()))
    # Korea's exports and China's exports (the ROK's imports) make no trade figure together.
    assert set(found) == {(EXPORTS, "2015", KOREA), (IMPORTS, "2015", CHINA)}


def test_a_page_gives_the_figure_only_for_exactly_the_full_period() -> None:
    facts = [
        fact("jan-nov", TRADE, ("2024-01-01", "2024-11-30"), CHINA, 300e9),
        fact("no-basis", TRADE, YEAR, None, 328e9),
        fact("bound", TRADE, YEAR, CHINA, 320e9, qualifier="over"),
    ]
    assert series_rows([], facts, SeriesQuery()) == []
    facts.append(fact("news", TRADE, YEAR, CHINA, 328.08e9))
    (row,) = series_rows([], facts, SeriesQuery())
    assert (row["facts"], row["source"], row["worked_out"], row["display"]) == (
        ["news"],
        "src-news",
        False,
        "shown 328080000000.0",
    )
    # The bound is counted as reported, and allows the figure.
    assert (row["reported"], row["agreeing"], row["verdict"]) == (1, 1, "agree")


def test_official_pages_are_preferred() -> None:
    facts = [
        fact("plain", BALANCE, YEAR, KOREA, -1e9, published="2026-01-01"),
        fact("agency", BALANCE, YEAR, KOREA, -1e9, basis=("Korea Customs Service",)),
        fact("government", BALANCE, YEAR, KOREA, -2.2e9, kind="government", published="2024-01-01"),
        fact("about", BALANCE, YEAR, KOREA, -1e9, kind="statistics", qualifier="about"),
    ]
    (row,) = series_rows([], facts, SeriesQuery())
    assert row["facts"] == ["government"]
    assert (row["reported"], row["agreeing"], row["verdict"]) == (3, 0, "differ")
    (row,) = series_rows([], facts[:2], SeriesQuery())
    assert row["facts"] == ["agency"]


def test_observations_beat_pages_which_are_counted() -> None:
    facts = [fact("news", EXPORTS, YEAR, KOREA, 133e9), fact("yuan", EXPORTS, YEAR, KOREA, 900e9, unit="CNY")]
    rows = [obs(IMF, KOREA, CHINA, "exports", "2024", 133_000_000_000)]
    (row,) = series_rows(rows, facts, SeriesQuery(measures=(EXPORTS,)))
    assert (row["source"], row["facts"], row["reported"], row["agreeing"], row["verdict"]) == (
        "imf",
        [],
        2,
        1,
        "agree",
    )


def test_query_filters_periods_bases_and_granularity() -> None:
    rows = [obs(KCS, KOREA, CHINA, "exports", f"{y}-{m:02d}", 1) for y in (2023, 2024) for m in range(1, 13)]
    rows += [obs(IMF, CHINA, KOREA, "imports", "2024", 5)]
    yearly = series_rows(rows, [], SeriesQuery(measures=(EXPORTS,), first="2024"))
    assert [(r["period"], r["basis_country"]) for r in yearly] == [("2024", KOREA), ("2024", CHINA)]
    china = series_rows(rows, [], SeriesQuery(measures=(EXPORTS,), bases=(CHINA,)))
    assert [r["period"] for r in china] == ["2024"]
    monthly = series_rows(rows, [], SeriesQuery(measures=(EXPORTS,), monthly=True, first="2024-11", last="2024-12"))
    assert [r["period"] for r in monthly] == ["2024-11", "2024-12"]


def test_display() -> None:
    assert display(227_377_645_678, "USD") == "$227.38 billion"
    assert display(-23_456_000_000, "USD") == "-$23.46 billion"
    assert display(6_379_110_000, "USD") == "$6.38 billion"
    assert display(24.8456, "percent") == "24.8%"


def test_words_for_measures_bases_and_bounds() -> None:
    assert resolve_measures([], []) == (TRADE, EXPORTS, IMPORTS, BALANCE)
    assert resolve_measures(["Balance", "bilateral-trade", "trade"], []) == (BALANCE, TRADE)
    with pytest.raises(ValueError, match="unknown measure 'gdp'"):
        resolve_measures(["gdp"], [])
    assert resolve_bases(["china,Korea"]) == (KOREA, CHINA)
    assert resolve_bases(["ROK"]) == (KOREA,)
    with pytest.raises(ValueError, match="choose korea or china"):
        resolve_bases(["japan"])
    assert parse_bound("2015", monthly=False, last=False) == "2015"
    assert parse_bound("2015", monthly=True, last=True) == "2015-12"
    assert parse_bound("2015-03", monthly=True, last=False) == "2015-03"
    for bad, monthly in (("2015-03", False), ("2015-13", True), ("15", False), ("2015-1", True)):
        with pytest.raises(ValueError, match="takes a year"):
            parse_bound(bad, monthly=monthly, last=False)
    assert all_periods("2023-11", "2024-02") == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert all_periods("2015", "2017") == ["2015", "2016", "2017"]


def test_one_page_s_exports_and_imports_give_its_trade_and_balance_never_two_pages() -> None:
    same = {"published": "2025-01-13"}
    exports = fact("x", EXPORTS, YEAR, CHINA, 181.7e9, **same)  # type: ignore[arg-type]
    imports = fact("m", IMPORTS, YEAR, CHINA, 146.3e9, **same)  # type: ignore[arg-type]
    imports["source"] = exports["source"]
    other = fact("other-page", IMPORTS, ("2023-01-01", "2023-12-31"), CHINA, 140e9)
    lone = fact("lone", EXPORTS, ("2023-01-01", "2023-12-31"), CHINA, 160e9)
    found = by_slot(series_rows([], [exports, imports, other, lone], SeriesQuery()))
    trade = found[(TRADE, "2024", CHINA)]
    assert (trade["value"], trade["worked_out"], trade["how"]) == (328e9, True, "exports + imports")
    assert (trade["facts"], trade["observations"], trade["source"]) == (["m", "x"], [], "src-x")
    balance = found[(BALANCE, "2024", CHINA)]
    assert balance["how"] == "China's imports from the ROK - China's exports to the ROK"
    assert balance["value"] == 181.7e9 - 146.3e9
    # 2023's exports and imports come from two pages: no trade is made of them.
    assert (TRADE, "2023", CHINA) not in found
    # A page stating the trade beats one worked out.
    stated = fact("stated", TRADE, YEAR, CHINA, 330e9)
    assert by_slot(series_rows([], [exports, imports, stated], SeriesQuery()))[(TRADE, "2024", CHINA)]["facts"] == [
        "stated"
    ]


@settings(max_examples=100, deadline=None)
@given(st.lists(observation, max_size=60, unique_by=lambda o: o.id), st.booleans())
def test_every_row_rests_on_one_source_and_its_own_country_s_statistics(rows: list[Observation], monthly: bool) -> None:
    by_id = {r.id: r for r in rows}
    query = SeriesQuery(measures=SERIES_MEASURES, monthly=monthly)
    seen = set()
    for row in series_rows(rows, [], query):
        used = [by_id[str(i)] for i in row["observations"]]  # type: ignore[attr-defined]
        assert used
        assert {o.reporter for o in used} == {row["basis_country"]}
        assert {o.source.id for o in used} == {row["source"]}
        assert (len(str(row["period"])) == 7) == monthly
        assert row["worked_out"] == (row["how"] is not None)
        slot = (row["measure"], row["period"], row["basis_country"])
        assert slot not in seen
        seen.add(slot)


def test_the_most_precise_page_figure_stands_for_the_official_one(cli: Cli) -> None:
    # Two pages give China's 2021 trade on official agencies' figures: $360 billion (newer page)
    # and $362.4 billion. The more precise one is the series' figure; the other is counted.
    result = cli("series", "trade", "--from", "2021", "--to", "2021", "--basis", "china", "--json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    assert (row["value"], row["display"]) == (362_400_000_000, "$362.4 billion")
    assert row["reported"] >= 1


def test_the_index_keeps_the_series_as_the_command_gives_it(cli: Cli) -> None:
    from kortrade.store import FactStore

    yearly = json.loads(cli("series", "--json").stdout)
    monthly = json.loads(cli("series", "--monthly", "--from", "2024-01", "--json").stdout)
    assert yearly
    assert monthly
    with FactStore.open(None) as store:
        # Every year; of the months, those pages give figures of (and their neighbours).
        for row in yearly:
            kept = [
                r
                for r in store.official_rows(row["measure"], row["period"])
                if r["basis_country"] == row["basis_country"]
            ]
            assert kept == [row]
        kept_months = 0
        for row in monthly:
            kept = [
                r
                for r in store.official_rows(row["measure"], row["period"])
                if r["basis_country"] == row["basis_country"]
            ]
            assert kept in ([], [row])
            kept_months += bool(kept)
        assert kept_months, "the months of the shipped pages' monthly figures"
