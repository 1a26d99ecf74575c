"""Observations: the rows of the official data files a facts file's ``series`` data package describes.

The shipped package is checked with the ``frictionless`` library itself; the golden corpus
of broken packages and CSV files (``tests/bad_series``, see its README) runs as the
installed program; the index is rebuilt when a CSV file changes and never reads one on
a warm run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest

from kortrade.errors import DataError, UsageError
from kortrade.load import load_dataset
from kortrade.store import FactStore
from support.pty_run import clean_env

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "data" / "facts.yaml"
PACKAGE = REPO / "data" / "series" / "datapackage.json"
CORPUS = Path(__file__).resolve().parent / "bad_series"
CASES = sorted(p.stem for p in CORPUS.glob("*.expected"))
OBSERVATION_KEYS = [
    "id", "resource", "reporter", "partner", "flow", "period", "granularity", "value", "unit", "valuation",
    "display", "source", "file", "line", "provenance", "period_start", "period_end",
]  # fmt: skip


def kortrade(*args: str, cwd: Path | None = None, cache: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = clean_env(**({"KORTRADE_CACHE_DIR": str(cache)} if cache else {}))
    return subprocess.run(
        [sys.executable, "-m", "kortrade", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=60
    )


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns) for p in files}


# -- the shipped data package ------------------------------------------------------------


def test_the_shipped_package_is_a_valid_frictionless_data_package() -> None:
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(PACKAGE))
    assert report.valid, report.flatten(["rowNumber", "fieldNumber", "type", "note"])[:10]
    package = json.loads(PACKAGE.read_text(encoding="utf-8"))
    assert [r["name"] for r in package["resources"]] == ["imf-dots", "kcs-monthly", "kosis-monthly"]
    for resource in package["resources"]:
        assert resource["schema"]["primaryKey"]
        assert {"source", "reporter", "partner", "period", "unit", "scale"} <= set(resource["kortrade"])


def test_the_shipped_observations() -> None:
    dataset = load_dataset(SHIPPED)
    counts = Counter(o.resource for o in dataset.observations)
    # One row a year per reporter, flow and partner (IMF: 1990-2020, less Korea's 1990-91 with
    # China); KCS: 305 months x 5 partners x 3 flows; KOSIS: 228 months x 2 flows.
    assert counts == {"imf-dots": 618, "kcs-monthly": 1525 * 3, "kosis-monthly": 228 * 2}
    by_id = {o.id: o for o in dataset.observations}
    assert len(by_id) == len(dataset.observations)
    imf = by_id["imf-dots-2015-kor-chn-exports"]
    # 137,123.933893 million, exactly: an integer once scaled.
    assert (imf.value, imf.valuation, imf.reporter, imf.partner) == (137123933893, "FOB", "Republic of Korea", "China")
    assert imf.source.id == "imf-dots-2022-xx-xx-direction-of-trade"
    china = by_id["imf-dots-2013-chn-kor-imports"]
    assert (china.value, china.valuation, china.reporter) == (182881542831, "CIF", "China")
    assert by_id["imf-dots-2020-kor-wld-exports"].value == 512647054000
    kcs = by_id["kcs-monthly-2024-12-kor-chn-exports"]
    assert (kcs.value, kcs.valuation, kcs.period.text) == (11772793118, None, "2024-12")
    assert by_id["kcs-monthly-2000-01-kor-chn-balance"].value == 227049609
    assert by_id["kcs-monthly-2025-05-kor-wld-imports"].partner == "World"
    kosis = by_id["kosis-monthly-2001-01-kor-chn-exports"]
    assert (kosis.value, kosis.line, kosis.period.first.isoformat()) == (1239083000, 2, "2001-01-01")
    assert by_id["kosis-monthly-2019-12-kor-chn-imports"].value == 9023873000
    for observation in dataset.observations:
        assert isinstance(observation.value, int), observation.id  # every shipped figure is whole in dollars


def test_show_an_observation_with_its_provenance(cache_dir: Path) -> None:
    ran = kortrade("show", "IMF-DOTS-2015-KOR-CHN-EXPORTS", "--json", "--data", str(SHIPPED), cache=cache_dir)
    assert (ran.returncode, ran.stderr) == (0, "")
    record = json.loads(ran.stdout)
    assert list(record) == OBSERVATION_KEYS
    assert record["value"] == 137123933893
    assert record["file"] == "imf-dots-2022-korea-china.csv"  # as the data package names it
    assert record["provenance"] == "official data file"
    assert record["source"]["publisher"] == "International Monetary Fund"
    lines = (PACKAGE.parent / "imf-dots-2022-korea-china.csv").read_text(encoding="utf-8").splitlines()
    assert lines[record["line"] - 1] == "Republic of Korea,exports_fob,China (mainland),2015,137123.933893"
    table = kortrade("show", "kosis-monthly-2001-01-kor-chn-exports", "--data", str(SHIPPED), cache=cache_dir)
    assert table.returncode == 0
    assert "kosis-2025-05-23-korea-china-monthly.csv" in table.stdout
    assert "official data file" in table.stdout
    assert "$1.239083 billion" in table.stdout


def test_show_an_unknown_observation_names_the_nearest(cache_dir: Path) -> None:
    ran = kortrade("show", "imf-dots-2015-kor-chn-export", "--data", str(SHIPPED), cache=cache_dir)
    assert ran.returncode == 1
    assert ran.stderr.startswith(
        "kortrade: no observation with id 'imf-dots-2015-kor-chn-export'; nearest: imf-dots-2015-kor-chn-exports"
    )
    fact = kortrade("show", "trade-volume-202", "--data", str(SHIPPED), cache=cache_dir)
    assert fact.returncode == 1
    assert fact.stderr.startswith("kortrade: no fact with id 'trade-volume-202'")


def test_observations_are_not_facts(cache_dir: Path) -> None:
    ran = kortrade("facts", "--json", "--data", str(SHIPPED), cache=cache_dir)
    facts = json.loads(ran.stdout)
    assert len(facts) == len(load_dataset(SHIPPED).facts)
    assert not [f for f in facts if f["id"].startswith(("imf-dots-", "kcs-monthly-", "kosis-monthly-"))]
    info = json.loads(kortrade("info", "--json", "--data", str(SHIPPED), cache=cache_dir).stdout)
    assert list(info)[-5:] == ["measures", "observations", "series", "latest", "data_files"]
    assert info["observations"] == 5649
    assert Path(info["series"]) == PACKAGE.resolve()
    validate = kortrade("validate", str(SHIPPED), cache=cache_dir)
    assert validate.stdout.endswith(", 5649 observations\n")


def test_store_observations_filters() -> None:
    with closing(FactStore.open(SHIPPED)) as store:
        everything = store.observations()
        assert len(everything) == 5649
        assert list(everything[0]) == OBSERVATION_KEYS
        monthly = store.observations(reporter="republic of korea", partner="China", flow="exports", year=2024)
        assert [r["id"] for r in monthly if r["resource"] == "kcs-monthly"] == [
            f"kcs-monthly-2024-{m:02d}-kor-chn-exports" for m in range(1, 13)
        ]
        assert {r["granularity"] for r in monthly} == {"month"}
        yearly = store.observations(reporter="China", partner="Republic of Korea", granularity="year", start="2018")
        assert [(r["period"], r["flow"]) for r in yearly] == [
            (str(y), f) for f in ("exports", "imports") for y in (2018, 2019, 2020)
        ]
        assert len(store.observations(resource="kosis-monthly", start="2019-07", end="2019-12")) == 12
        assert len(store.observations(source="kcs-2025-06-14-korea-monthly-by-partner", limit=5)) == 5
        assert store.observation("kcs-monthly-2000-01-kor-hkg-balance")["value"] == 671744252
        with pytest.raises(UsageError, match="unknown partner 'Chna' among the observations; known: China"):
            store.observations(partner="Chna")
        with pytest.raises(UsageError, match="unknown flow 'export'"):
            store.observations(flow="export")
        with pytest.raises(UsageError, match="start must be a year"):
            store.observations(start="2019-13")


# -- the golden corpus -------------------------------------------------------------------


def test_corpus_is_complete() -> None:
    folders = {p.name for p in CORPUS.iterdir() if p.is_dir()}
    assert folders == {*CASES, "valid"}
    assert (CORPUS / "valid.validate").exists()
    assert len(CASES) >= 10


@pytest.mark.parametrize("case", CASES)
def test_corpus_case(case: str, tmp_path: Path) -> None:
    folder, cache = tmp_path / case, tmp_path / "cache"
    shutil.copytree(CORPUS / case, folder)
    before = snapshot(folder)
    expected = (CORPUS / f"{case}.expected").read_text(encoding="utf-8").replace("{dir}", str(folder))
    for args in (["validate", str(folder / "facts.yaml")], ["facts", "--data", str(folder / "facts.yaml")]):
        ran = kortrade(*args, cache=cache, cwd=tmp_path)
        assert (ran.returncode, ran.stdout) == (2, ""), args
        assert ran.stderr == expected, args
        assert "Traceback" not in ran.stderr
    assert snapshot(folder) == before
    assert not cache.exists() or not [p for p in cache.iterdir() if p.suffix == ".sqlite3"]


def test_corpus_valid_case(tmp_path: Path) -> None:
    folder = tmp_path / "valid"
    shutil.copytree(CORPUS / "valid", folder)
    ran = kortrade("validate", str(folder / "facts.yaml"), cache=tmp_path / "cache")
    assert (ran.returncode, ran.stderr) == (0, "")
    assert ran.stdout == (CORPUS / "valid.validate").read_text(encoding="utf-8").replace("{dir}", str(folder))
    dataset = load_dataset(folder / "facts.yaml")
    values = {o.id: o.value for o in dataset.observations}
    assert values == {
        "yearly-2015-kor-chn-exports": 137123933893,
        "yearly-2015-kor-chn-imports": 90250274911,
        "yearly-2015-chn-kor-exports": 101379500000,
        "yearly-2015-kor-hkg-exports": 30418200000,
        "monthly-2001-01-kor-chn-exports": 1239083000,
        "monthly-2001-01-kor-chn-imports": 999763000,
        "monthly-2001-02-kor-chn-exports": 1513733000,
        "monthly-2001-02-kor-chn-imports": 874455000,
    }


def test_a_value_not_whole_once_scaled_is_a_float(tmp_path: Path) -> None:
    folder = tmp_path / "valid"
    shutil.copytree(CORPUS / "valid", folder)
    csv = folder / "series" / "yearly.csv"
    csv.write_bytes(csv.read_bytes().replace(b"101379.5", b"0.0000015"))
    values = {o.id: o.value for o in load_dataset(folder / "facts.yaml").observations}
    assert values["yearly-2015-chn-kor-exports"] == 1.5


def test_problems_are_capped_like_the_facts_file(tmp_path: Path) -> None:
    folder = tmp_path / "valid"
    shutil.copytree(CORPUS / "valid", folder)
    rows = "".join(f'"China, peoples\' republic of","2001.{n:02d}",x,1\n' for n in range(1, 13))
    rows += "".join(f'"China, peoples\' republic of","{year}.01",1,\n' for year in range(1800, 2100))
    (folder / "series" / "monthly.csv").write_text('"Country","Date",Exports,Imports\n' + rows, encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(DataError) as caught:
        load_dataset(folder / "facts.yaml")
    assert time.monotonic() - started < 5
    lines = caught.value.lines
    assert len(lines) == 101
    first = f"{folder}/series/monthly.csv:2:41: 'x' in column 'Exports'; expected a whole number (digits only)"
    assert lines[0] == first
    assert lines[-1] == f"{folder}/series/monthly.csv: 212 more problems not shown"


def test_nothing_is_written_to_the_data_files(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(SHIPPED.parent, folder)
    before = snapshot(folder)
    for args in (["validate"], ["info"], ["show", "imf-dots-2015-kor-chn-exports"], ["export", "--format", "json"]):
        ran = kortrade(*args, "--data", str(folder / "facts.yaml"), cache=tmp_path / "cache")
        assert ran.returncode == 0, (args, ran.stderr)
    assert snapshot(folder) == before


# -- the index -----------------------------------------------------------------------------


def _age(folder: Path, seconds: int = 10) -> None:
    """Files as if written some seconds ago: their index is then trusted by status alone."""
    past = time.time() - seconds
    for path in folder.rglob("*"):
        os.utime(path, (past, past))


def test_a_changed_csv_file_rebuilds_the_index(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kortrade.index

    # No file here is changed twice within a clock tick: status alone can be trusted.
    monkeypatch.setattr(kortrade.index, "RACY_WINDOW_NS", 0)
    folder = tmp_path / "valid"
    shutil.copytree(CORPUS / "valid", folder)
    _age(folder)
    facts = folder / "facts.yaml"
    with closing(FactStore.open(facts)) as store:
        assert store.status.state == "rebuilt"
    with closing(FactStore.open(facts)) as store:
        assert store.status.state == "fresh"
    csv = folder / "series" / "monthly.csv"
    os.utime(csv)  # touched only: the content decides, and it is the same
    with closing(FactStore.open(facts)) as store:
        assert (store.status.state, store.status.reason) == ("verified", "content unchanged (SHA-256)")
    csv.write_bytes(csv.read_bytes().replace(b"1239083", b"1239084"))
    with closing(FactStore.open(facts)) as store:
        assert (store.status.state, store.status.reason) == ("rebuilt", "a file of its series data package changed")
        assert store.observation("monthly-2001-01-kor-chn-exports")["value"] == 1239084000
    package = folder / "series" / "datapackage.json"
    package.write_text(package.read_text(encoding="utf-8").replace('"scale": 1000\n', '"scale": 1\n'))
    with closing(FactStore.open(facts)) as store:
        assert store.status.state == "rebuilt"
        assert store.observation("monthly-2001-01-kor-chn-exports")["value"] == 1239084
    csv.unlink()
    with pytest.raises(DataError, match="no such file"):
        FactStore.open(facts)


def test_a_warm_run_reads_no_csv_file(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(SHIPPED.parent, folder)
    _age(folder)
    cache = tmp_path / "cache"
    assert kortrade("info", "--data", str(folder / "facts.yaml"), cache=cache).returncode == 0
    time.sleep(2.1)  # past the window in which a file's times cannot be trusted (kortrade.index)
    assert kortrade("info", "--data", str(folder / "facts.yaml"), cache=cache).returncode == 0
    probe = (
        "import sys; from kortrade.commands import show_outcome; from kortrade.store import FactStore\n"
        f"store = FactStore.open({str(folder / 'facts.yaml')!r})\n"
        "show_outcome(store, 'imf-dots-2015-kor-chn-exports', fields=None); store.facts()\n"
        "print(store.status.state, sorted(m for m in sys.modules if m in "
        "('kortrade.series_load', 'kortrade.validation', 'yaml', 'hashlib')))"
    )
    env = clean_env(KORTRADE_CACHE_DIR=str(cache))
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    assert (ran.stdout, ran.stderr) == ("fresh []\n", "")


def test_show_completes_observation_ids_and_cite_does_not() -> None:
    with closing(FactStore.open(SHIPPED)) as store:
        assert store.completions("shown", "IMF-DOTS-2015-KOR-C") == [
            "imf-dots-2015-kor-chn-exports",
            "imf-dots-2015-kor-chn-imports",
        ]
        assert store.completions("id", "imf-dots-2015") == []
        assert store.completions("shown", "trade-volume-202") == ["trade-volume-2024"]
