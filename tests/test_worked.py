"""Worked-out figures: sums, balances, shares and years of twelve months, from one source and reporter only."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from kortrade.model import Observation, PartialDate, Source
from kortrade.periods import parse_period
from kortrade.worked import (
    BALANCE,
    CHINA,
    EXPORTS,
    IMPORTS,
    KOREA,
    SHARE_OF_CHINA_IMPORTS,
    SHARE_OF_EXPORTS,
    SHARE_OF_IMPORTS,
    SHARE_OF_TRADE,
    SUM_OF_MONTHS,
    TRADE,
    WORLD,
    Figure,
    full_period,
    work_out,
)

SETTINGS = settings(max_examples=150, deadline=None)
CODES = {KOREA: "kor", CHINA: "chn", WORLD: "wld"}


def source(name: str, published: str = "2025-06-14") -> Source:
    day = dt.date.fromisoformat(published)
    return Source(name, name.upper(), name.upper(), PartialDate(published, day, day), f"https://example.org/{name}")


KCS = source("kcs")
IMF = source("imf", "2022-01-01")


def obs(src: Source, reporter: str, partner: str, flow: str, period: str, value: int | float) -> Observation:
    parsed = parse_period(period)
    assert parsed is not None
    return Observation(
        f"{src.id}-{period}-{CODES[reporter]}-{CODES[partner]}-{flow}", src, reporter, partner, flow, parsed, value
    )


def only(figures: list[Figure], measure: str, period: str, basis: str = KOREA) -> Figure:
    (found,) = [f for f in figures if (f.measure, f.period, f.basis_country) == (measure, period, basis)]
    return found


def test_korea_trade_and_balance_are_worked_out_and_labelled() -> None:
    rows = [obs(IMF, KOREA, CHINA, "exports", "2015", 137_000), obs(IMF, KOREA, CHINA, "imports", "2015", 90_000)]
    figures = work_out(rows)
    trade, balance = only(figures, TRADE, "2015"), only(figures, BALANCE, "2015")
    assert (trade.value, trade.how, trade.worked_out) == (227_000, "exports + imports", True)
    assert (balance.value, balance.how) == (47_000, "exports - imports")
    assert trade.observations == tuple(r.id for r in rows)
    stated = only(figures, EXPORTS, "2015")
    assert (stated.value, stated.how, stated.worked_out, stated.observations) == (137_000, None, False, (rows[0].id,))


def test_china_statistics_map_flows_the_other_way_round() -> None:
    rows = [obs(IMF, CHINA, KOREA, "imports", "2015", 174_000), obs(IMF, CHINA, KOREA, "exports", "2015", 101_000)]
    figures = work_out(rows)
    # China's imports from the ROK are the ROK's exports to China.
    assert only(figures, EXPORTS, "2015", CHINA).value == 174_000
    assert only(figures, IMPORTS, "2015", CHINA).value == 101_000
    balance = only(figures, BALANCE, "2015", CHINA)
    assert balance.value == 73_000
    assert balance.how == "China's imports from the ROK - China's exports to the ROK"
    assert only(figures, TRADE, "2015", CHINA).value == 275_000


def test_shares_of_the_world_total() -> None:
    rows = [
        obs(IMF, KOREA, CHINA, "exports", "2015", 25),
        obs(IMF, KOREA, WORLD, "exports", "2015", 100),
        obs(IMF, KOREA, CHINA, "imports", "2015", 20),
        obs(IMF, KOREA, WORLD, "imports", "2015", 80),
        obs(IMF, CHINA, KOREA, "imports", "2015", 10),
        obs(IMF, CHINA, WORLD, "imports", "2015", 1000),
    ]
    figures = work_out(rows)
    assert only(figures, SHARE_OF_EXPORTS, "2015").value == 25.0
    assert only(figures, SHARE_OF_IMPORTS, "2015").value == 25.0
    assert only(figures, SHARE_OF_TRADE, "2015").value == 25.0
    assert only(figures, SHARE_OF_TRADE, "2015").unit == "percent"
    china = only(figures, SHARE_OF_CHINA_IMPORTS, "2015", CHINA)
    assert (china.value, china.observations) == (1.0, (rows[4].id, rows[5].id))
    # No share of the ROK's totals is ever made from China's statistics, nor the other way.
    assert not [f for f in figures if f.measure == SHARE_OF_CHINA_IMPORTS and f.basis_country == KOREA]
    assert not [f for f in figures if f.measure.startswith("china-share") and f.basis_country == CHINA]


def test_a_year_needs_all_twelve_months() -> None:
    months = [obs(KCS, KOREA, CHINA, "exports", f"2025-{m:02d}", 10) for m in range(1, 6)]
    assert [f.period for f in work_out(months)] == [f"2025-{m:02d}" for m in range(1, 6)]


def test_a_yearly_row_beats_a_year_of_months_from_the_same_source() -> None:
    months = [obs(IMF, KOREA, CHINA, "exports", f"2015-{m:02d}", 10) for m in range(1, 13)]
    year = obs(IMF, KOREA, CHINA, "exports", "2015", 125)
    found = only(work_out([*months, year]), EXPORTS, "2015")
    assert (found.value, found.how) == (125, None)


def test_a_stated_balance_beats_exports_minus_imports() -> None:
    rows = [
        obs(KCS, KOREA, CHINA, "exports", "2024-01", 100),
        obs(KCS, KOREA, CHINA, "imports", "2024-01", 70),
        obs(KCS, KOREA, CHINA, "balance", "2024-01", 31),
    ]
    found = only(work_out(rows), BALANCE, "2024-01")
    assert (found.value, found.how, found.observations) == (31, None, (rows[2].id,))


def test_float_sums_do_not_drift() -> None:
    # The IMF's millions with six decimals, scaled to dollars, are whole dollars.
    rows = [obs(IMF, KOREA, CHINA, "exports", "2000", 12798.727502e6), obs(IMF, KOREA, CHINA, "imports", "2000", 0.1)]
    assert only(work_out(rows), TRADE, "2000").value == 12798727502.1


def test_full_period() -> None:
    assert full_period("2024-01-01", "2024-12-31") == "2024"
    assert full_period("2024-02-01", "2024-02-29") == "2024-02"
    assert full_period("2024-01-01", "2024-11-30") is None
    assert full_period("2023-01-01", "2024-12-31") is None
    assert full_period("2024-02-01", "2024-02-28") is None


values = st.integers(min_value=-(10**12), max_value=10**12)


@SETTINGS
@given(st.lists(values, min_size=12, max_size=12), st.lists(values, min_size=12, max_size=12))
def test_a_year_of_twelve_months_is_their_sum(exports: list[int], imports: list[int]) -> None:
    rows = [obs(KCS, KOREA, CHINA, "exports", f"2020-{m:02d}", v) for m, v in enumerate(exports, 1)]
    rows += [obs(KCS, KOREA, CHINA, "imports", f"2020-{m:02d}", v) for m, v in enumerate(imports, 1)]
    figures = work_out(rows)
    year = only(figures, EXPORTS, "2020")
    assert (year.value, year.how) == (sum(exports), SUM_OF_MONTHS)
    assert year.observations == tuple(r.id for r in rows[:12])
    assert only(figures, TRADE, "2020").value == sum(exports) + sum(imports)
    assert only(figures, BALANCE, "2020").value == sum(exports) - sum(imports)
    for month in range(1, 13):
        assert only(figures, BALANCE, f"2020-{month:02d}").value == exports[month - 1] - imports[month - 1]


observation = st.builds(
    obs,
    st.sampled_from([KCS, IMF, source("kosis", "2025-05-23")]),
    st.sampled_from([KOREA, CHINA]),
    st.sampled_from([KOREA, CHINA, WORLD]),
    st.sampled_from(["exports", "imports", "balance"]),
    st.sampled_from(["2019", "2020", *[f"2020-{m:02d}" for m in range(1, 13)]]),
    values,
)


@SETTINGS
@given(st.lists(observation, max_size=60, unique_by=lambda o: o.id))
def test_never_two_reporters_nor_two_sources(rows: list[Observation]) -> None:
    by_id = {r.id: r for r in rows}
    seen = set()
    for found in work_out(rows):
        used = [by_id[i] for i in found.observations]
        assert used, found
        assert {o.reporter for o in used} == {found.basis_country}
        assert {o.source.id for o in used} == {found.source.id}
        assert found.worked_out or len(used) == 1
        # One figure per measure, period, statistics and source.
        slot = (found.measure, found.period, found.basis_country, found.source.id)
        assert slot not in seen
        seen.add(slot)
        if found.how == "exports + imports":
            assert found.value == sum(o.value for o in used)
        if found.how == "exports - imports":
            assert found.value == used[0].value - used[1].value
