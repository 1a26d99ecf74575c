"""`kortrade check` and `show`'s `official`: reported figures held against the official series.

A small facts file and data package whose answers are worked out by hand here, then the shipped data.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from kortrade.check import parse_years
from kortrade.commands import check_outcome, show_outcome
from kortrade.errors import UsageError
from kortrade.store import FactStore
from kortrade.worked import CHINA, KOREA
from support.cli import Cli
from support.cli import run_on_shipped as kortrade
from support.facts import ENTITIES, entry
from support.keys import CHECK_KEYS, FACT_KEYS, OFFICIAL_KEYS
from support.paths import SHIPPED

# Values in USD millions. Korea's statistics: trade 180 bn (2022), 170 bn (2023), 181 bn (2024);
# balance 20, 10, 11 bn. China's: trade 205 bn (2023), 220 bn (2024); nothing for 2022.
YEARLY = """\
reporter,flow,partner,year,value_usd_millions
Republic of Korea,exports_fob,China (mainland),2022,100000
Republic of Korea,imports_cif,China (mainland),2022,80000
Republic of Korea,exports_fob,China (mainland),2023,90000
Republic of Korea,imports_cif,China (mainland),2023,80000
Republic of Korea,exports_fob,China (mainland),2024,96000
Republic of Korea,imports_cif,China (mainland),2024,85000
China (mainland),imports_cif,Republic of Korea,2023,110000
China (mainland),exports_fob,Republic of Korea,2023,95000
China (mainland),imports_cif,Republic of Korea,2024,120000
China (mainland),exports_fob,Republic of Korea,2024,100000
"""
COUNTRIES = {"Republic of Korea": "Republic of Korea", "China (mainland)": "China"}
FLOWS = {"exports_fob": ["exports", "FOB"], "imports_cif": ["imports", "CIF"]}
PACKAGE = {
    "name": "check-series",
    "kortrade": {"codes": {"Republic of Korea": "KOR", "China": "CHN", "World": "WLD"}},
    "resources": [
        {
            "name": "yearly",
            "path": "yearly.csv",
            "schema": {
                "fields": [
                    {"name": "reporter", "type": "string"},
                    {"name": "flow", "type": "string"},
                    {"name": "partner", "type": "string"},
                    {"name": "year", "type": "integer"},
                    {"name": "value_usd_millions", "type": "number"},
                ],
                "primaryKey": ["reporter", "flow", "partner", "year"],
            },
            "kortrade": {
                "source": "stats",
                "reporter": {"field": "reporter", "map": COUNTRIES},
                "partner": {"field": "partner", "map": COUNTRIES},
                "period": {"field": "year", "format": "YYYY"},
                "flow": {"field": "flow", "map": FLOWS},
                "value": {"field": "value_usd_millions"},
                "unit": "USD",
                "scale": 1000000,
            },
        }
    ],
}  # fmt: skip
HEAD = (
    """\
version: 1
series: series/datapackage.json
sources:
  - id: stats
    title: Yearly trade by partner
    publisher: A statistics office
    published: '2025'
    url: https://stats.example/yearly
    kind: statistics
  - id: news
    title: A news page
    publisher: A newspaper
    published: '2025-06-01'
    url: https://news.example/page
    kind: newspaper
  - id: gacc-page
    title: China's customs on 2022
    publisher: China's customs
    published: '2023-01-13'
    url: https://customs.example/2022
    kind: statistics
"""
    + ENTITIES
    + """\
measures:
  - id: bilateral-trade
    label: Trade between China and the ROK, both directions
    kind: number
  - id: rok-exports-to-china
    label: ROK exports to China
    kind: number
  - id: rok-trade-balance-with-china
    label: ROK trade balance with China
    kind: number
facts:
"""
)
KCS, GACC = "Korea Customs Service", "General Administration of Customs"
TRADE, EXPORTS, BALANCE = "bilateral-trade", "rok-exports-to-china", "rok-trade-balance-with-china"


def fact(
    fid: str, measure: str, period: str, value: float, *, basis: str | None = None, qualifier: str = "exact",
    unit: str = "USD", source: str = "news",
) -> str:  # fmt: skip
    return entry(
        id=fid, topic="trade", statement=f"A figure ({fid}).", value=value, unit=unit, qualifier=qualifier,
        period=f"'{period}'", measure=measure, source=source, basis=basis,
    )  # fmt: skip


FACTS = [
    fact("wrong-year", TRADE, "2024", 170e9, basis=KCS),  # Korea's 2023 figure
    fact("wrong-side", TRADE, "2024", 220e9, basis=KCS),  # China's 2024 figure
    fact("agrees", EXPORTS, "2024", 96e9, basis=KCS),
    fact("unstated-agrees", TRADE, "2024", 220e9),  # China's figure: no conflict
    fact("unstated-differs", TRADE, "2024", 200e9),  # nearer China's 220 (-9.09%) than Korea's 181 (+10.5%)
    # 10 bn: +23%. (Not 12 bn: a round official 11 bn, 2024's, is read as 10.5 up to 12 bn.)
    fact("balance-differs", BALANCE, "2023", 12.3e9, basis=KCS),
    fact("in-yuan", TRADE, "2024", 1300e9, basis=KCS, unit="CNY"),
    fact("jan-nov", TRADE, "2024-01/2024-11", 100e9, basis=KCS),
    fact("bound", TRADE, "2024", 150e9, basis=KCS, qualifier="over"),
    # China's 2022 trade is in no file: this page stands for it, and is not checked against itself.
    fact("page-official", TRADE, "2022", 210e9, basis=GACC, source="gacc-page"),
    fact("page-differs", TRADE, "2022", 215e9, basis=GACC),  # +2.38% on the page's figure
]
# Largest relative gap first, worked out by hand from the figures above.
EXPECTED = [
    ("balance-differs", 2.3e9, 23.0, None),
    ("wrong-side", 39e9, 21.55, "wrong-side"),
    ("unstated-differs", -20e9, -9.09, None),
    ("wrong-year", -11e9, -6.08, "wrong-year"),
    ("page-differs", 5e9, 2.38, None),
]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("check")
    (root / "series").mkdir()
    (root / "series" / "datapackage.json").write_text(json.dumps(PACKAGE), encoding="utf-8")
    (root / "series" / "yearly.csv").write_text(YEARLY, encoding="utf-8")
    path = root / "facts.yaml"
    path.write_text(HEAD + "".join(FACTS), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KORTRADE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


def check_records(path: Path, **options: object) -> list[dict[str, object]]:
    with FactStore.open(path) as store:
        outcome = check_outcome(store, **options)  # type: ignore[arg-type]
        return list(outcome.view.rows())


def test_the_differing_figures_largest_gap_first(data: Path) -> None:
    found = check_records(data)
    assert [list(r) for r in found] == [CHECK_KEYS] * len(EXPECTED)
    assert [(r["id"], r["gap"], r["gap_percent"], r["likely"]) for r in found] == EXPECTED


def test_each_row_names_the_official_figure_and_whose_it_is(data: Path) -> None:
    rows = {str(r["id"]): r for r in check_records(data)}
    wrong_year = rows["wrong-year"]
    assert (wrong_year["official_basis_country"], wrong_year["official_value"]) == (KOREA, 181e9)
    assert wrong_year["official_display"] == "$181.00 billion"
    assert wrong_year["official_how"] == "exports + imports"
    assert wrong_year["official_source"] == {"id": "stats", "publisher": "A statistics office", "published": "2025"}
    assert wrong_year["source"] == {"id": "news", "publisher": "A newspaper", "published": "2025-06-01"}
    assert (wrong_year["matches_period"], wrong_year["matches_basis_country"]) == ("2023", KOREA)
    assert wrong_year["note"] == "matches Korea's 2023 figure ($170.00 billion): a likely wrong year"
    side = rows["wrong-side"]
    assert (side["matches_period"], side["matches_basis_country"], side["matches_display"]) == (
        "2024",
        CHINA,
        "$220.00 billion",
    )
    assert side["note"] == "matches China's statistics ($220.00 billion): a likely wrong side"
    # A figure that states no statistics is set against the nearer side, and says so by its basis.
    unstated = rows["unstated-differs"]
    assert (unstated["basis_country"], unstated["official_basis_country"]) == (None, CHINA)
    # The page standing for China's 2022 figure is the official one here.
    page = rows["page-differs"]
    assert (page["official_facts"], page["official_source"]["id"], page["official_how"]) == (  # type: ignore[index]
        ["page-official"],
        "gacc-page",
        None,
    )


def test_filters(data: Path) -> None:
    assert [r["id"] for r in check_records(data, measures=["balance"])] == ["balance-differs"]
    assert [r["id"] for r in check_records(data, year="2022-2023")] == ["balance-differs", "page-differs"]
    assert [r["id"] for r in check_records(data, bases=["china"])] == ["unstated-differs", "page-differs"]
    assert [r["id"] for r in check_records(data, limit=2)] == ["balance-differs", "wrong-side"]
    with FactStore.open(data) as store:
        outcome = check_outcome(store, year="2021")
        assert outcome.nothing == "no reported figure differs from the official series (year 2021)"
        for bad in ({"year": "24"}, {"year": "2025-2020"}, {"measures": ["gdp"]}, {"bases": ["japan"]}):
            with pytest.raises(UsageError):
                check_outcome(store, **bad)
    assert parse_years("2015-2025") == ("2015", "2025")
    assert parse_years(" 2024 ") == ("2024", "2024")


def test_show_adds_the_official_figure_after_corroboration(data: Path) -> None:
    with FactStore.open(data) as store:
        shown = show_outcome(store, "wrong-year", fields=None).view.rows()[0]
        assert list(shown) == [*FACT_KEYS, "corroboration", "official"]
        official = shown["official"]
        assert isinstance(official, dict)
        assert list(official) == OFFICIAL_KEYS
        assert (official["value"], official["agrees"], official["gap"], official["gap_percent"]) == (
            181e9,
            False,
            -11e9,
            -6.08,
        )
        assert official["note"] == "matches Korea's 2023 figure ($170.00 billion): a likely wrong year"
        agreeing = show_outcome(store, "unstated-agrees", fields=None).view.rows()[0]["official"]
        assert isinstance(agreeing, dict)
        assert (agreeing["basis_country"], agreeing["agrees"], agreeing["gap"]) == (CHINA, True, 0)
        for none in ("in-yuan", "jan-nov", "page-official"):
            assert show_outcome(store, none, fields=None).view.rows()[0]["official"] is None


@pytest.fixture(scope="module")
def cli(cli: Cli, data: Path) -> Cli:
    """Runs on the file above, at a fixed width, with no colour and no pager."""
    return cli.using(data=data, env={"COLUMNS": "80", "NO_COLOR": "1", "KORTRADE_PAGER": "cat"})


def test_cli_formats_and_exit_codes(cli: Cli) -> None:
    result = cli("check", "--json")
    assert result.exit_code == 0
    assert [r["id"] for r in json.loads(result.stdout)] == [e[0] for e in EXPECTED]
    rows = list(csv.DictReader(io.StringIO(cli("check", "--format", "csv").stdout)))
    assert list(rows[0]) == CHECK_KEYS
    assert (rows[1]["id"], rows[1]["source"], rows[1]["official_source"]) == ("wrong-side", "news", "stats")
    jsonl = cli("check", "--format", "jsonl").stdout
    assert [json.loads(line)["id"] for line in jsonl.splitlines()] == [e[0] for e in EXPECTED]
    assert cli("check", "--format", "markdown").stdout.startswith("| Gap | Reported figure and the official one |")
    nothing = cli("check", "--year", "2020")
    assert (nothing.exit_code, nothing.stdout) == (1, "")
    assert "no reported figure differs" in nothing.stderr
    bad = cli("check", "--year", "twenty")
    assert bad.exit_code == 2
    assert "--year takes a year" in bad.stderr


def test_cli_table(cli: Cli) -> None:
    result = cli("check")
    assert result.exit_code == 0
    out = result.stdout
    lines = out.splitlines()
    assert lines[0].split() == ["Gap", "Reported", "figure", "and", "the", "official", "one"]
    assert lines[2].split()[0] == "+23.0%"
    assert "rok-trade-balance-with-china 2023, Korea's statistics:" in lines[2]
    assert "official $181.00 billion* [1], +$39.00 billion;" in out
    assert "matches China's statistics ($220.00 billion): a likely wrong side" in out
    # Every id on a line of its own, whole.
    assert {e[0] for e in EXPECTED} <= {line.strip() for line in lines}
    assert "5 reported figures differ from the official series" in out
    assert "[1] stats: A statistics office, 2025" in out
    said = " ".join(cli("show", "wrong-year").stdout.split())
    assert "Official $181.00 billion on Korea's statistics (A statistics office, 2025; exports + imports):" in said
    assert "differs by -6.1% (-$11.00 billion) matches Korea's 2023 figure ($170.00 billion)" in said


# -- the shipped data --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> list[dict[str, object]]:
    return check_records(SHIPPED)


def test_shipped_anadolu_is_a_likely_wrong_year(shipped: list[dict[str, object]]) -> None:
    (anadolu,) = [r for r in shipped if r["id"] == "bilateral-trade-2024-anadolu-2025"]
    assert (anadolu["basis_country"], anadolu["official_basis_country"]) == (None, KOREA)
    assert anadolu["likely"] == "wrong-year"
    assert anadolu["matches_period"] == "2023"
    assert str(anadolu["note"]).startswith("matches Korea's 2023 figure ($267.68 billion)")


def test_shipped_rows_are_sane_and_agree_with_the_series_counts(shipped: list[dict[str, object]]) -> None:
    assert len(shipped) >= 10
    gaps = [abs(float(str(r["gap_percent"]))) for r in shipped]
    assert gaps == sorted(gaps, reverse=True)
    with FactStore.open(SHIPPED) as store:
        from kortrade.commands import series_outcome

        series = {
            (r["measure"], r["period"], r["basis_country"]): r
            for r in series_outcome(store, ["bilateral-trade", "exports", "imports", "balance"]).view.rows()
        }
    for row in shipped:
        assert row["unit"] in ("USD", "percent")
        assert row["gap"] != 0
        assert row["id"] not in row["official_facts"]  # type: ignore[operator]
        official = series.get((row["measure"], row["period"], row["official_basis_country"]))
        if official is not None:
            assert official["value"] == row["official_value"]
            assert official["verdict"] == "differ" or row["basis_country"] is None
    # Each yearly series row's differing facts with a basis are listed, and only those.
    listed = {(r["measure"], r["period"], r["basis_country"]) for r in shipped if r["basis_country"]}
    for slot, row in series.items():
        if row["verdict"] == "differ" and not str(row["period"]).count("-"):
            assert slot in listed or row["also_stated"], slot


def test_shipped_in_a_real_process() -> None:
    done = kortrade("check")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    head = done.stdout.splitlines()[:10]
    assert head[0].split()[:2] == ["Gap", "Reported"]
    assert all(len(line) <= 80 for line in done.stdout.splitlines())
    anadolu = kortrade("check", "--measure", "trade", "--year", "2024", "--json")
    assert anadolu.returncode == 0, anadolu.stderr
    assert "bilateral-trade-2024-anadolu-2025" in [r["id"] for r in json.loads(anadolu.stdout)]
    shown = kortrade("show", "bilateral-trade-2024-anadolu-2025", "--json")
    assert json.loads(shown.stdout)["official"]["note"].endswith("a likely wrong year")
    nothing = kortrade("check", "--year", "1800")
    assert (nothing.returncode, nothing.stdout) == (1, "")
