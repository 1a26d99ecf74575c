#!/usr/bin/env python3
"""Time `kortrade` against yq/jq on synthetic and shipped facts files and check the performance goals (stdlib only)."""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

TOPICS = ("trade", "partnerships", "agreements", "visit", "industry")
UNITS = {"USD": (10**8, 4 * 10**11), "percent": (1, 100), "fold": (2, 12), "rank": (1, 10)}
ITEMS = ("batteries", "semiconductors", "cosmetics", "steel", "displays", "vehicles")
SHIPPED = Path(__file__).resolve().parent.parent / "data" / "facts.yaml"
# The shipped file of kortrade 1.x (25 facts, one source): the new file's lookups are set against it.
OLD = Path(__file__).resolve().parent.parent / "tests" / "data" / "cgtn-25.yaml"
OLD_LIMIT = 1.2  # warm facts/show/search on the shipped file, at most this many times the same on the old one
COMPARE_LIMIT = 1.5  # warm `compare MEASURE` at the largest size, against the same on the shipped file
CONFLICTS_LIMIT = 2.0  # warm `compare --conflicts` over the whole largest file, against the shipped file
PTY_SIZE = (24, 80)  # rows, columns of the pseudo-terminal a table is drawn on
SOURCE = {"id": "bench-source", "title": "Synthetic benchmark source", "publisher": "kortrade benchmarks"}
SOURCE |= {"published": "2026-01-09", "url": "https://example.org/bench"}
# Search words: common (a fifth of the synthetic facts), rare (1 in 997), the same rare one in Korean, and
# one in Chinese that every synthetic fact matches through its entity China (when the file lists entities).
SEARCH_WORDS = ("trade", "Samsung", "삼성", "中国")
RARE_EVERY = 997  # every 997th synthetic fact names Samsung Group and China, also in Hangul and Chinese
LARGE = 10_000  # sizes above this are "large": --skip-large drops them, yq runs --cold-runs times there
GOAL_SIZE = 100_000  # the size goals 2-5 are set for
RSS_LIMIT_MIB = 80.0
TRACEBACK = "Traceback (most recent call last)"

Key = tuple[str, str, str]  # size, command, tool


@dataclass(frozen=True)
class Case:
    yaml_path: Path
    json_path: Path
    fact_id: str  # id of the fact in the middle of the file
    hits: dict[str, int]  # search word -> facts whose text or entity names contain it (any case)
    measure: str | None  # the measure the most facts state (None: the file names none)


@dataclass
class Result:
    size: str
    command: str
    tool: str
    runs: int = 0  # timed runs asked for
    cold: bool = False  # every run starts from a fresh, empty kortrade cache dir
    times_ms: list[float] = field(default_factory=list)
    max_rss_mib: float = 0.0  # over the timed runs only (a warm-up may build the index)
    error: str | None = None

    @property
    def key(self) -> Key:
        return self.size, self.command, self.tool

    def median(self) -> float | None:
        return statistics.median(self.times_ms) if self.times_ms and not self.error else None


@dataclass
class Job:
    result: Result
    cmd: list[str]
    env: dict[str, str] | None = None  # None: this process's environment
    warmup: bool = True  # one untimed run first
    cold_root: Path | None = None  # if set, each run gets a fresh, empty cache dir made under it
    ok_codes: tuple[int, ...] = (0,)
    stdout: str = "devnull"  # or "pipe" (read by this process), "pty" (a pseudo-terminal of PTY_SIZE)


@dataclass(frozen=True)
class Goal:
    label: str
    subject: Key
    target: float | None  # a ratio of medians, or, without a baseline, a max RSS in MiB; None: only reported
    baseline: Key | None = None
    baseline_label: str = ""


@dataclass
class GoalRow:
    goal: str
    kortrade: str
    compared_with: str
    ratio: float | None
    target: str
    met: bool | None  # None: not measured (missing or failed command)
    status: str  # yes, no, error (a command failed) or n/a (not run)
    kortrade_value: float | None  # ms, or MiB for a memory goal
    baseline_value: float | None


# -- synthetic data ------------------------------------------------------------------------------------------------

# Facts stating a measure, in every 1,000 synthetic facts; the rest are free text as before.
MEASURED_PER_MILLE = 600
FACTS_PER_MEASURE = 100  # 1,000 measures at 100,000 facts
PERIODS_PER_MEASURE = 16  # a periodic measure's facts spread over this many periods: groups of ~4 sources
FACTS_PER_SOURCE = 500
SOURCE_KINDS = ("news-agency", "newspaper", "broadcaster", "news-site", "government", "statistics", "trade-body")
LANGUAGES = ("en", "ko", "zh")
VIAS = ("Yonhap", "Xinhua", "AFP", "Reuters")
# Whose statistics: organisations of the shipped entities section, added when absent (a basis needs a country).
BASES = {
    "Republic of Korea": ("Korea Customs Service", "Ministry of Trade, Industry and Energy"),
    "China": ("General Administration of Customs", "Ministry of Commerce"),
}
COUNTRIES = {"China": {"ko": "중국", "zh": "中国"}, "Republic of Korea": {"ko": "대한민국", "zh": "韩国"}}
# Unit of a number measure, by measure number, with the range of its figures.
MEASURE_UNITS = (
    ("USD", 10**8, 4 * 10**11),
    ("KRW", 10**11, 10**15),
    ("CNY", 10**8, 10**12),
    ("percent", 1, 100),
    ("rank", 1, 10),
    ("people", 100, 2 * 10**6),
)
TIME_ZONES = ("+08:00", "+09:00")


def synthetic_sources(n: int) -> list[dict[str, Any]]:
    """The benchmark's own source (free-text facts) and one per FACTS_PER_SOURCE facts, of every kind,
    language, with or without an agency relayed and with a day, month or only a year of publication."""
    out = [dict(SOURCE, kind="statistics", language="en")]
    for s in range(1, max(8, n // FACTS_PER_SOURCE) + 1):
        day = f"20{15 + s % 11}-{1 + s % 12:02d}-{1 + s % 28:02d}"
        source: dict[str, Any] = {"id": f"bench-source-{s:04d}", "title": f"Synthetic page {s}"}
        source |= {"publisher": f"Synthetic Outlet {s % 37}", "published": (day, day[:7], day[:4])[s % 3]}
        if s % 3:
            source["date_note"] = "Only the month is known." if s % 3 == 1 else "Only the year is known."
        source |= {"url": f"https://example.org/bench/{s}", "kind": SOURCE_KINDS[s % len(SOURCE_KINDS)]}
        source["language"] = LANGUAGES[s % len(LANGUAGES)]
        if s % 5 == 0:
            source["via"] = VIAS[s % len(VIAS)]
        out.append(source)
    return out


def synthetic_entities(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entities copied from the shipped file, with the countries and statistics offices facts name."""
    out = list(entities)
    names = {e["name"] for e in out}
    for country, native in COUNTRIES.items():
        if country not in names:
            out.append({"name": country, "kind": "country", "names": native})
    for country, offices in BASES.items():
        out += [{"name": o, "kind": "organisation", "country": country} for o in offices if o not in names]
    return out


def measure_kind(m: int) -> str:
    return "date" if m % 20 == 7 else "name" if m % 20 == 13 else "number"


def synthetic_measures(n: int) -> list[dict[str, Any]]:
    out = []
    for m in range(max(10, n // FACTS_PER_MEASURE)):
        measure: dict[str, Any] = {"id": f"measure-{m:04d}", "label": f"Synthetic measure {m}", "kind": measure_kind(m)}
        if measure["kind"] == "date":
            measure["periodic"] = False
        out.append(measure)
    return out


def measure_periods(m: int) -> list[str]:
    """The periods one measure's facts give figures for: years (drawn as a chart), months, ranges, as-of."""
    years = [str(2010 + (m + k) % 16) for k in range(10)]
    year = 2016 + m % 9
    month = f"{year}-{7 + m % 6:02d}"
    extra = [month, f"{year}-01/{month}", f"../{month}", f"{2000 + m % 10}-{2020 + m % 5}", f"{year}-06"]
    return [*years, *extra, f"{year}-01/{year}-06"][:PERIODS_PER_MEASURE]


def group_rng(seed: int, *key: object) -> random.Random:
    return random.Random("-".join(map(str, (seed, *key))))


def rounded(value: float, digits: int) -> int:
    """``value`` to ``digits`` significant digits, as sources write figures."""
    return int(float(f"{value:.{digits - 1}e}"))


def measure_figure(rng: random.Random, seed: int, m: int, period: str, country: str | None) -> dict[str, Any]:
    """A source's figure for measure m and period: mostly the group's own value (exact, rounded with "about"
    or hedged with "over"), sometimes another one (a disagreement); the other country's statistics differ."""
    unit, low, high = MEASURE_UNITS[m % len(MEASURE_UNITS)]
    true = group_rng(seed, m, period).uniform(low, high)
    if country == "China":
        true *= 1.07  # the other side counts the same trade differently
    story = rng.random()
    if story < 0.08:
        true *= rng.choice((0.8, 1.25))  # a disagreement
    qualifier, digits = ("about", 2) if 0.6 <= story < 0.75 else ("over", 2) if 0.75 <= story < 0.85 else ("exact", 5)
    if qualifier == "over":
        true *= 0.9
    if unit == "percent":
        fig: dict[str, Any] = {"value": round(true, 1) if qualifier == "exact" else round(true), "unit": unit}
        if qualifier == "exact" and rng.random() < 0.3:
            fig["decimals"] = 1
    elif unit == "rank":
        fig = {"value": max(1, round(true)), "unit": unit}
    else:
        fig = {"value": rounded(true, digits), "unit": unit}
    return fig | {"qualifier": qualifier}


def basis_of(rng: random.Random) -> tuple[str | None, Any]:
    """Whose statistics: mostly Korea's (one office or two), some China's, some not said."""
    pick = rng.random()
    country = "Republic of Korea" if pick < 0.75 else "China" if pick < 0.85 else None
    if country is None:
        return None, None
    offices = BASES[country]
    return country, (list(offices) if rng.random() < 0.15 else offices[rng.randrange(2)])


def measure_fact(rng: random.Random, seed: int, measures: int, sources: int) -> dict[str, Any]:
    """The measure-specific keys of a fact that states one of the measures."""
    m = rng.randrange(measures)
    kind = measure_kind(m)
    fact: dict[str, Any] = {"measure": f"measure-{m:04d}", "source": f"bench-source-{rng.randint(1, sources):04d}"}
    if kind == "date":  # the period is the value: a day, a time of day with its zone, now and then the next day
        day = f"20{16 + m % 10}-{1 + m % 12:02d}-{5 + (rng.random() < 0.2):02d}"
        fact["period"] = f"{day}T{10 + m % 8:02d}:{m % 60:02d}{TIME_ZONES[m % 2]}" if rng.random() < 0.4 else day
        return fact
    period = rng.choice(measure_periods(m))
    if kind == "name":
        fact["value_text"] = f"Synthetic name {m}" + (" (other)" if rng.random() < 0.2 else "")
        return fact | {"period": period}
    country, basis = basis_of(rng)
    fact |= measure_figure(rng, seed, m, period, country) | {"period": period}
    return fact | ({"basis": basis} if basis else {})


def make_statement(rng: random.Random, i: int, topic: str, year: int) -> tuple[str, list[str]]:
    figure = rng.randrange(1000)
    if i % RARE_EVERY == 0:
        text = f"Samsung Group (삼성그룹) logged synthetic {topic} figure {figure} in China (中国) in {year}, item {i}."
        return text, ["Samsung Group", "China"]
    return f"Synthetic {topic} figure {figure} was recorded in {year} for item {i}.", ["China", "Republic of Korea"]


def free_period(rng: random.Random, year: int) -> str | int | None:
    kind = rng.randrange(8)  # none, a year, a day, a year range, a month, a time, a month range, as-of a month
    month = f"{year}-{rng.randint(1, 12):02d}"
    day = f"{month}-{rng.randint(1, 28):02d}"
    time_of_day = f"{day}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}{rng.choice(TIME_ZONES)}"
    months = f"{year}-01/{year}-{rng.randint(2, 12):02d}"
    periods = (None, year, day, f"{year}-{year + rng.randint(1, 5)}", month, time_of_day, months)
    return (*periods, f"../{month}")[kind]


def make_fact(rng: random.Random, i: int, width: int, seed: int, counts: tuple[int, int]) -> dict[str, Any]:
    topic, year = TOPICS[(i - 1) % len(TOPICS)], 2015 + rng.randrange(11)
    statement, entities = make_statement(rng, i, topic, year)
    fact: dict[str, Any] = {"id": f"fact-{i:0{width}d}", "topic": topic, "statement": statement}
    measured = measure_fact(rng, seed, *counts) if rng.randrange(1000) < MEASURED_PER_MILLE else {}
    if not measured and rng.random() < 0.7:
        unit = rng.choice([*UNITS, "documents"])
        value = rng.randint(*UNITS.get(unit, (1, 40)))
        fact |= {"value": value, "unit": unit, "qualifier": rng.choice(("exact", "about", "over", "under"))}
    for key in ("value", "unit", "qualifier"):
        if key in measured:
            fact[key] = measured.pop(key)
    if (period := measured.pop("period", None) or free_period(rng, year)) is not None:
        fact["period"] = period
    fact["entities"] = entities
    if rng.random() < 0.5:
        fact["items"] = rng.sample(ITEMS, rng.randint(1, 3))
    fact["tags"] = [f"{topic}-bench", f"group-{i % 17}"]
    if rng.random() < 0.3:
        fact["note"] = f'Note {i}: "synthetic", not a real figure.'
    source = measured.pop("source", "bench-source")
    return fact | {"source": source} | measured


def fact_yaml(fact: dict[str, Any]) -> str:
    """One fact as YAML text; json.dumps gives valid double-quoted YAML strings and flow lists."""
    lines = [f"    {key}: {json.dumps(val, ensure_ascii=False)}" for key, val in fact.items()]
    return "  - " + "\n".join(lines)[4:] + "\n"


def aliases(entities: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Entity name -> all its names (the `names` of the entities section: a name or a list per language)."""
    out: dict[str, list[str]] = {}
    for entity in entities:
        names = entity.get("names") or {}
        out[entity["name"]] = [entity["name"], *(n for v in names.values() for n in ([v] if isinstance(v, str) else v))]
    return out


def count_hits(facts: Iterable[dict[str, Any]], entities: list[dict[str, Any]]) -> dict[str, int]:
    """Per search word, the facts whose text or entity names contain it (any case): a rough count of matches."""
    names = aliases(entities)
    texts = [
        " ".join([json.dumps(f, ensure_ascii=False), *(n for e in f.get("entities", ()) for n in names.get(e, ()))])
        for f in ({k: v for k, v in fact.items() if k != "basis"} for fact in facts)  # search does not read basis
    ]
    return {w: sum(w.casefold() in t.casefold() for t in texts) for w in SEARCH_WORDS}


def header(
    sources: list[dict[str, Any]], entities: list[dict[str, Any]], measures: list[dict[str, Any]], series: str
) -> str:
    """Top of a synthetic YAML file; each section (if any) as one line of JSON, which is valid YAML."""
    sections = {"sources": sources, "entities": entities, "measures": measures}
    listed = "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in sections.items() if v)
    return f"version: 1\nseries: {series}\n{listed}facts:\n"


# -- synthetic observations: a data package beside the facts file ----------------------------------

# Partners of the monthly resource (Korea's statistics), and the reporters and partners of the yearly one.
SERIES_PARTNERS = ("China", "Hong Kong", "Japan", "United States", "World")
SERIES_CODES = {"Republic of Korea": "KOR", "China": "CHN", "Hong Kong": "HKG", "Japan": "JPN"}
SERIES_CODES |= {"United States": "USA", "World": "WLD"}
SERIES_ENTITIES = {"Hong Kong": "place", "Japan": "country", "United States": "country"}
# Of every 10 observations, 9 come from the monthly file (three flows a row), 1 from the yearly one.
YEARLY_SHARE = 10


def write_series(n: int, folder: Path, seed: int) -> None:
    """N observations in two CSV files and their data package, made as the shipped ones are:
    a monthly file with a column per flow (thousands of dollars, months YYYY.MM, quoted cells)
    and a yearly one with a flow column mapped to [flow, valuation] (millions, decimals)."""
    rng = random.Random(seed * 7 + n)
    monthly_rows = (n - n // YEARLY_SHARE) // 3
    yearly_rows = n - 3 * monthly_rows
    folder.mkdir(parents=True, exist_ok=True)
    lines = ['"Country","Date",Exports,Imports,Balance']
    for r in range(monthly_rows):
        partner, month = SERIES_PARTNERS[r % 5], r // 5
        exports, imports = rng.randrange(10**5, 10**8), rng.randrange(10**5, 10**8)
        lines.append(
            f'"{partner}","{1000 + month // 12:04d}.{1 + month % 12:02d}",{exports},{imports},{exports - imports}'
        )
    (folder / "monthly.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    combos = [
        (r, p, f)
        for r in ("Republic of Korea", "China")
        for p in SERIES_PARTNERS
        if p != r
        for f in ("exports_fob", "imports_cif")
    ]
    combos = [c for c in combos if not (c[0] == "China" and c[1] == "China")]
    lines = ["reporter,flow,partner,year,value_usd_millions"]
    for r in range(yearly_rows):
        reporter, partner, flow = combos[r % len(combos)]
        value = f"{rng.randrange(10**3, 10**6)}.{rng.randrange(10**6):06d}"
        lines.append(f"{reporter},{flow},{partner},{1000 + r // len(combos)},{value}")
    (folder / "yearly.csv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    every = {p: p for p in (*SERIES_PARTNERS, "Republic of Korea")}
    package = {
        "name": "bench-series",
        "kortrade": {"codes": SERIES_CODES},
        "resources": [
            {
                "name": "bench-monthly",
                "path": "monthly.csv",
                "schema": {
                    "fields": [{"name": "Country", "type": "string"}, {"name": "Date", "type": "string"}]
                    + [{"name": c, "type": "integer"} for c in ("Exports", "Imports", "Balance")],
                    "primaryKey": ["Country", "Date"],
                },
                "kortrade": {
                    "source": SOURCE["id"],
                    "reporter": "Republic of Korea",
                    "partner": {"field": "Country", "map": {p: p for p in SERIES_PARTNERS}},
                    "period": {"field": "Date", "format": "YYYY.MM"},
                    "values": {f.lower(): {"field": f} for f in ("Exports", "Imports", "Balance")},
                    "unit": "USD",
                    "scale": 1000,
                },
            },
            {
                "name": "bench-yearly",
                "path": "yearly.csv",
                "schema": {
                    "fields": [{"name": c, "type": "string"} for c in ("reporter", "flow", "partner")]
                    + [{"name": "year", "type": "integer"}, {"name": "value_usd_millions", "type": "number"}],
                    "primaryKey": ["reporter", "flow", "partner", "year"],
                },
                "kortrade": {
                    "source": SOURCE["id"],
                    "reporter": {
                        "field": "reporter",
                        "map": {"Republic of Korea": "Republic of Korea", "China": "China"},
                    },
                    "partner": {"field": "partner", "map": every},
                    "period": {"field": "year", "format": "YYYY"},
                    "flow": {
                        "field": "flow",
                        "map": {"exports_fob": ["exports", "FOB"], "imports_cif": ["imports", "CIF"]},
                    },
                    "value": {"field": "value_usd_millions"},
                    "unit": "USD",
                    "scale": 1000000,
                },
            },
        ],
    }
    (folder / "datapackage.json").write_text(json.dumps(package, indent=1) + "\n", encoding="utf-8")


def busiest_measure(facts: Iterable[dict[str, Any]]) -> str | None:
    """The measure the most facts state (the first of them in a tie): the one `compare MEASURE` shows."""
    counts: dict[str, int] = {}
    for fact in facts:
        if measure := fact.get("measure"):
            counts[measure] = counts.get(measure, 0) + 1
    return max(counts, key=lambda m: counts[m]) if counts else None


def generate(n: int, workdir: Path, seed: int, entities_from: Path | None) -> Case:
    """Write N synthetic facts as YAML and JSON, with the entities section of entities_from (a JSON facts file)."""
    shipped = json.loads(entities_from.read_text(encoding="utf-8")).get("entities", []) if entities_from else []
    entities, sources, measures = synthetic_entities(shipped), synthetic_sources(n), synthetic_measures(n)
    rng = random.Random(seed + n)
    counts = (len(measures), len(sources) - 1)
    facts = [make_fact(rng, i, max(6, len(str(n))), seed, counts) for i in range(1, n + 1)]
    yaml_path, json_path = workdir / f"facts-{n}.yaml", workdir / f"facts-{n}.json"
    names = {e["name"] for e in entities}
    entities += [{"name": e, "kind": kind} for e, kind in SERIES_ENTITIES.items() if e not in names]
    write_series(n, workdir / f"series-{n}", seed)
    top = header(sources, entities, measures, f"series-{n}/datapackage.json")
    yaml_path.write_text(top + "".join(fact_yaml(f) for f in facts), encoding="utf-8")
    data = {"version": 1, "sources": sources, "entities": entities, "measures": measures, "facts": facts}
    json_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return Case(yaml_path, json_path, facts[n // 2]["id"], count_hits(facts, entities), busiest_measure(facts))


def generate_apart(n: int, workdir: Path, seed: int, shipped: Case | None) -> Case:
    """Generate in a child process: a spawned child's max RSS starts at the parent's peak."""
    print(f"[bench] generating {n} facts in {workdir}", file=sys.stderr)
    cmd = [sys.executable, __file__, "--gen-only", str(n), "--workdir", str(workdir), "--seed", str(seed)]
    cmd += ["--entities-from", str(shipped.json_path)] if shipped else []
    info = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
    return Case(workdir / f"facts-{n}.yaml", workdir / f"facts-{n}.json", info["id"], info["hits"], info["measure"])


def file_case(path: Path, name: str, workdir: Path, timeout: float) -> Case | None:
    """A facts file of the repository (the shipped one, the old one), with its JSON copy made by `yq .`."""
    if not path.is_file():
        return None
    json_path = workdir / f"facts-{name}.json"
    with json_path.open("wb") as out:
        subprocess.run(["yq", ".", str(path)], stdout=out, check=True, timeout=timeout)
    data = json.loads(json_path.read_text(encoding="utf-8"))
    facts = data["facts"]
    hits = count_hits(facts, data.get("entities") or [])
    return Case(path, json_path, facts[len(facts) // 2]["id"], hits, busiest_measure(facts))


# -- running commands ----------------------------------------------------------------------------------------------


def cache_env(cache_dir: Path) -> dict[str, str]:
    """Environment that points kortrade's index at cache_dir (XDG too, so the user's cache is never touched)."""
    return os.environ | {"KORTRADE_CACHE_DIR": str(cache_dir), "XDG_CACHE_HOME": str(cache_dir / "xdg")}


def drain(fd: int) -> threading.Thread:
    """Read fd to its end in a thread (as a pager or a terminal would), throwing the output away."""

    def read() -> None:
        try:
            while os.read(fd, 1 << 16):
                pass
        except OSError:  # a pseudo-terminal's reader gets EIO once the child has closed it
            pass
        finally:
            os.close(fd)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def output_fd(stdout: str) -> tuple[int, int | None]:
    """The child's stdout and the end this process reads (None for /dev/null)."""
    if stdout == "pipe":
        read, write = os.pipe()
        return write, read
    if stdout == "pty":
        import fcntl
        import pty
        import struct
        import termios

        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", *PTY_SIZE, 0, 0))
        return slave, master
    return os.open(os.devnull, os.O_WRONLY), None


def run_once(
    cmd: list[str],
    timeout: float,
    env: dict[str, str] | None = None,
    ok_codes: tuple[int, ...] = (0,),
    stdout: str = "devnull",
) -> tuple[float, float, str | None]:
    """Run cmd once; return wall ms, max RSS MiB and an error text (None on success)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        out, reader = output_fd(stdout)
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
        finally:
            os.close(out)
        drained = drain(reader) if reader is not None else None
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        if drained is not None:
            drained.join()
        elapsed = (time.perf_counter() - start) * 1000
        timer.cancel()
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode(errors="replace").strip()
        if code == 0 or (code in ok_codes and TRACEBACK not in text):  # Python exits 1 on a crash too
            return elapsed, usage.ru_maxrss / 1024, None
        text = text[-800:]
        why = f"timed out after {timeout:g} s" if elapsed >= timeout * 1000 else f"exit {code}"
        return elapsed, usage.ru_maxrss / 1024, f"{why}: {' '.join(cmd)}" + (f"\n{text}" if text else "")


def run_job(job: Job, timeout: float) -> tuple[float, float, str | None]:
    if job.cold_root is None:
        return run_once(job.cmd, timeout, job.env, job.ok_codes, job.stdout)
    job.cold_root.mkdir(parents=True, exist_ok=True)
    cache = Path(tempfile.mkdtemp(prefix="cache-", dir=job.cold_root))
    try:
        return run_once(job.cmd, timeout, cache_env(cache), job.ok_codes, job.stdout)
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def run_rounds(jobs: list[Job], timeout: float) -> None:
    """A warm-up round, then timed rounds; each round runs every job still due in turn, so noise hits all alike."""
    rounds = max((job.result.runs for job in jobs), default=0)
    for rnd in range(rounds + 1):
        due = [j for j in jobs if not j.result.error and (j.warmup if rnd == 0 else rnd <= j.result.runs)]
        print(f"[bench] round {rnd}/{rounds}{' (warm-up)' if rnd == 0 else ''}: {len(due)} commands", file=sys.stderr)
        for job in due:
            res = job.result
            ms, rss, res.error = run_job(job, timeout)
            if ms > 2000:
                print(f"[bench]   {res.size} {res.command} {res.tool}: {ms / 1000:.1f} s", file=sys.stderr)
            if rnd and not res.error:
                res.times_ms.append(ms)
                res.max_rss_mib = max(res.max_rss_mib, rss)


# -- what to run ---------------------------------------------------------------------------------------------------


def job(size: str, command: str, tool: str, cmd: list[str], runs: int, **opts: Any) -> Job:
    return Job(Result(size, command, tool, runs, cold=opts.get("cold_root") is not None), cmd, **opts)


def case_jobs(size: str, case: Case, kortrade: str, args: argparse.Namespace, workdir: Path) -> list[Job]:
    """The commands timed on one file: facts, show (warm and cold), search and compare (warm), with yq/jq to
    compare; the old file gets the lookups only, the shipped and old files `facts` as a table too."""
    yml, jsn, fid = str(case.yaml_path), str(case.json_path), case.fact_id
    sel = f'.facts[] | select(.id == "{fid}")'
    large = size.isdigit() and int(size) > LARGE
    yq_runs, runs, cold = (args.cold_runs if large else args.runs), args.runs, args.cold_runs
    warm = cache_env(workdir / "cache" / size)
    show = [kortrade, "show", fid, "--data", yml]
    jobs = [job(size, "facts", "kortrade", [kortrade, "facts", "--format", "json", "--data", yml], runs, env=warm)]
    if size != "old":
        jobs += [
            job(size, "facts", "yq", ["yq", ".facts", yml], yq_runs, warmup=not large),
            job(size, "show", "kortrade", show, runs, env=warm),
            job(size, "show", "jq", ["jq", sel, jsn], runs),
            job(size, "show", "yq", ["yq", sel, yml], yq_runs, warmup=not large),
            job(size, "show (cold)", "kortrade", show, cold, warmup=False, cold_root=workdir / "cold" / size),
        ]
    else:
        jobs.append(job(size, "show", "kortrade", show, runs, env=warm))
    for word in SEARCH_WORDS:
        ok = (0,) if case.hits[word] else (0, 1)  # exit 1 means "nothing found"
        cmd = [kortrade, "search", word, "--data", yml]
        jobs.append(job(size, f"search {word}", "kortrade", cmd, runs, env=warm, ok_codes=ok))
    if case.measure is not None:
        cmd = [kortrade, "compare", case.measure, "--data", yml]
        jobs.append(job(size, "compare MEASURE", "kortrade", cmd, runs, env=warm))
        cmd = [kortrade, "compare", "--conflicts", "--data", yml]
        jobs.append(job(size, "compare --conflicts", "kortrade", cmd, runs, env=warm, ok_codes=(0, 1)))
        cmd = [kortrade, "compare", "--conflicts", "--json", "--data", yml]
        jobs.append(job(size, "compare --conflicts --json", "kortrade", cmd, runs, env=warm, ok_codes=(0, 1)))
    if not size.isdigit():  # the whole file as a table, read through a pipe and drawn on an 80-column terminal
        table = [kortrade, "facts", "--no-pager", "--data", yml]
        jobs.append(job(size, "facts (table, pipe)", "kortrade", table, runs, env=warm, stdout="pipe"))
        jobs.append(job(size, "facts (table, pty)", "kortrade", table, runs, env=warm, stdout="pty"))
    return jobs


def kor(size: str, command: str) -> Key:
    return size, command, "kortrade"


def old_goals(cases: dict[str, Case]) -> list[Goal]:
    """The shipped file's lookups against the same on the old, 25-fact file, and its `facts` table (reported)."""
    if "shipped" not in cases or "old" not in cases:
        return []
    ship, old = cases["shipped"], cases["old"]
    n = f"same, {OLD.name}"
    out = [
        Goal("0. warm `facts --format json`, shipped", kor("shipped", "facts"), OLD_LIMIT, kor("old", "facts"), n),
        Goal("0. warm `show ID`, shipped", kor("shipped", "show"), OLD_LIMIT, kor("old", "show"), n),
    ]
    for word in SEARCH_WORDS:
        label = f"0. warm `search {word}`, shipped (~{ship.hits[word]:,} match)"
        base = f"{n} (~{old.hits[word]})"
        out.append(Goal(label, kor("shipped", f"search {word}"), OLD_LIMIT, kor("old", f"search {word}"), base))
    for to in ("pipe", "pty"):
        cmd = f"facts (table, {to})"
        label = f"0. `facts` as a table, whole shipped file, to a {to}"
        out.append(Goal(label, kor("shipped", cmd), None, kor("old", cmd), n))
    return out


def compare_goals(cases: dict[str, Case], large: str) -> list[Goal]:
    """`compare MEASURE` and `compare --conflicts` at the largest size against the shipped file, and their RSS."""
    big, ship = cases[large], cases.get("shipped")
    if big.measure is None:
        return []
    n, out = f"{int(large):,}", []
    if ship is not None and ship.measure is not None:
        label = f"6. warm `compare MEASURE`, {n} facts ({big.measure})"
        base = f"`compare {ship.measure}`, shipped"
        out.append(Goal(label, kor(large, "compare MEASURE"), COMPARE_LIMIT, kor("shipped", "compare MEASURE"), base))
        for cmd in ("compare --conflicts", "compare --conflicts --json"):
            label = f"7. warm `{cmd}`, {n} facts"
            out.append(Goal(label, kor(large, cmd), CONFLICTS_LIMIT, kor("shipped", cmd), "same, shipped"))
    for cmd in ("compare MEASURE", "compare --conflicts", "compare --conflicts --json"):
        out.append(Goal(f"8. max RSS, warm `{cmd}`, {n} facts", kor(large, cmd), RSS_LIMIT_MIB))
    return out


def goals(cases: dict[str, Case], large: str | None) -> list[Goal]:
    """The issue's performance goals, over the shipped file and the largest generated size."""
    ship = "shipped" in cases
    out: list[Goal] = old_goals(cases)
    if ship:
        yq_facts = ("shipped", "facts", "yq")
        out.append(
            Goal("1. `facts --format json`, shipped", kor("shipped", "facts"), 0.7, yq_facts, "`yq .facts`, shipped")
        )
    if large is None:
        return out
    n, big = f"{int(large):,}", cases[large]
    if ship:
        out.append(
            Goal(f"2. warm `show ID`, {n} facts", kor(large, "show"), 1.5, kor("shipped", "show"), "same, shipped")
        )
    jq_label = f"`jq` select, {n} as JSON"
    out.append(Goal(f"2. warm `show ID`, {n} facts", kor(large, "show"), 0.25, (large, "show", "jq"), jq_label))
    for cmd in [f"search {w}" for w in SEARCH_WORDS] if ship else []:
        word = cmd.removeprefix("search ")
        label = f"3. warm `{cmd}`, {n} facts (~{big.hits[word]:,} match)"
        base = f"same, shipped (~{cases['shipped'].hits[word]})"
        out.append(Goal(label, kor(large, cmd), 2.0, kor("shipped", cmd), base))
    yq_label = f"one `yq .facts`, {n} facts"
    out.append(
        Goal(
            f"4. cold `show ID` + index build, {n} facts",
            kor(large, "show (cold)"),
            1.0,
            (large, "facts", "yq"),
            yq_label,
        )
    )
    for cmd in ("show", *(f"search {w}" for w in SEARCH_WORDS)):
        out.append(Goal(f"5. max RSS, warm `{cmd}`, {n} facts", kor(large, cmd), RSS_LIMIT_MIB))
    return out + compare_goals(cases, large)


# -- goals and report ----------------------------------------------------------------------------------------------


def measured(res: Result | None, unit: str) -> tuple[float | None, str]:
    """A result's median ms (unit "ms") or max RSS (unit "MiB"), and how to show it."""
    if res is None:
        return None, "not run"
    if res.error:
        done = f", after {runs_text(len(res.times_ms))} that passed" if res.times_ms else ""
        return None, f"FAIL ({res.error.split(':', 1)[0]}{done})"
    value = res.median() if unit == "ms" else res.max_rss_mib
    return value, "n/a" if value is None else f"{value:,.1f} {unit}"


def evaluate(goal: Goal, results: dict[Key, Result]) -> GoalRow:
    unit = "ms" if goal.baseline else "MiB"
    value, shown = measured(results.get(goal.subject), unit)
    base: float | None
    if goal.baseline is None:
        base, base_shown, target = goal.target, "limit", f"≤ {goal.target:g} MiB"
    else:
        base, base_text = measured(results.get(goal.baseline), unit)
        base_shown = f"{goal.baseline_label}: {base_text}"
        target = "report" if goal.target is None else f"≤ {goal.target:g}x"
    ratio = value / base if value is not None and base else None
    limit = goal.target if goal.baseline else 1.0
    met = None if ratio is None or limit is None else ratio <= limit
    failed = "FAIL" in shown or "FAIL" in base_shown
    reported = goal.target is None and ratio is not None
    status = "error" if failed else "report" if reported else "n/a" if met is None else "yes" if met else "no"
    return GoalRow(goal.label, shown, base_shown, ratio, target, met, status, value, base)


def goal_table(rows: list[GoalRow], large: str | None) -> list[str]:
    lines = ["| goal | kortrade | compared with | ratio | target | met? |", "|---|--:|---|--:|--:|---|"]
    for r in rows:
        ratio = "n/a" if r.ratio is None else f"{r.ratio:.2f}x"
        status = "**no**" if r.status == "no" else r.status
        lines.append(f"| {r.goal} | {r.kortrade} | {r.compared_with} | {ratio} | {r.target} | {status} |")
    if large != str(GOAL_SIZE) and any(not r.goal.startswith(("0.", "1.")) for r in rows):
        lines += [
            "",
            f"Goals 2-8 are set for {GOAL_SIZE:,} facts; measured here at {int(large or 0):,}: indicative only.",
        ]
    return lines


def detail_table(results: list[Result]) -> list[str]:
    lines = ["| size | command | tool | runs | median ms | min ms | max RSS MiB |", "|---|---|---|--:|--:|--:|--:|"]
    for r in results:
        med, shown = measured(r, "ms")
        low, rss = (f"{min(r.times_ms):,.1f}", f"{r.max_rss_mib:.1f}") if med is not None else ("", "")
        lines.append(f"| {r.size} | {r.command} | {r.tool} | {r.runs} | {shown.removesuffix(' ms')} | {low} | {rss} |")
    return lines


def version(exe: str) -> str:
    try:
        proc = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return f"{Path(exe).name} ?"
    lines = (proc.stdout or proc.stderr).strip().splitlines()
    return lines[0] if proc.returncode == 0 and lines else f"{Path(exe).name} ?"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            key, _, val = line.partition(":")
            if key.strip() == "model name":
                return val.strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "?"


def kortrade_python(kortrade: str) -> str:
    """Version of the Python that runs kortrade: its script's shebang, else the one running this benchmark."""
    try:
        with open(kortrade, "rb") as script:
            first = script.readline(300)
        interp = first[2:].decode().split() if first.startswith(b"#!") else []
        code = "import platform; print(platform.python_version())"
        if interp:
            proc = subprocess.run([*interp, "-c", code], capture_output=True, text=True, timeout=30, check=True)
            return proc.stdout.strip()
    except (OSError, UnicodeDecodeError, subprocess.SubprocessError):
        pass
    return platform.python_version()


def machine_info(kortrade: str) -> dict[str, Any]:
    return {
        "cpu": cpu_model(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": kortrade_python(kortrade),
        "kortrade": version(kortrade),
        "yq": version("yq"),
        "jq": version("jq"),
        "rss_floor_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def runs_text(n: int) -> str:
    return f"{n} run" if n == 1 else f"{n} runs"


def machine_lines(info: dict[str, Any], args: argparse.Namespace) -> list[str]:
    warm, cold = runs_text(args.runs), runs_text(args.cold_runs)
    return [
        f"Machine: {info['cpu']}, {info['cpus']} logical CPUs, {info['platform']}; Python {info['python']}; "
        f"{info['kortrade']}, {info['yq']}, {info['jq']}.",
        f"Medians of {warm} warm (each command run once untimed first, same cache dir) and of {cold} cold (a fresh "
        f"cache dir each); yq above {LARGE:,} facts: {cold}. Max RSS via wait4; it cannot read below this process's "
        f"peak, {info['rss_floor_mib']} MiB.",
    ]


def report(
    results: list[Result], rows: list[GoalRow], large: str | None, info: dict[str, Any], args: argparse.Namespace
) -> None:
    head = machine_lines(info, args)
    if args.json:
        rs = [asdict(r) | {"median_ms": r.median()} for r in results]
        doc = {"machine": " ".join(head), "machine_info": info, "runs": args.runs, "cold_runs": args.cold_runs}
        print(json.dumps(doc | {"goal_size": large, "goals": [asdict(g) for g in rows], "results": rs}, indent=2))
        return
    print("\n".join([*head, "", *goal_table(rows, large), "", "All measurements:", "", *detail_table(results)]))


# -- command line --------------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--sizes", default="1000,10000,100000", help="comma-separated fact counts")
    p.add_argument("--skip-large", action="store_true", help=f"drop sizes above {LARGE}")
    p.add_argument("--runs", type=int, default=7, help="timed runs per warm command (after 1 untimed run)")
    p.add_argument("--cold-runs", type=int, default=3, help=f"timed runs per cold command, and of yq above {LARGE}")
    p.add_argument("--kortrade", default="kortrade", help="kortrade executable (default: from PATH)")
    p.add_argument("--workdir", type=Path, help="keep generated files here (default: a temp dir)")
    p.add_argument("--timeout", type=float, default=300.0, help="seconds allowed per command")
    p.add_argument("--seed", type=int, default=2026, help="seed for the synthetic data")
    p.add_argument("--json", action="store_true", help="print JSON instead of Markdown tables")
    p.add_argument(
        "--commands",
        action="store_true",
        help="time every command (and a completion Tab) on the shipped file against `facts --json` instead",
    )
    p.add_argument("--gen-only", type=int, help=argparse.SUPPRESS)
    p.add_argument("--entities-from", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    if args.skip_large:
        args.sizes = [s for s in args.sizes if s <= LARGE]
    if args.runs < 1 or args.cold_runs < 1:
        p.error("--runs and --cold-runs must be at least 1")
    return args


def find_kortrade(kortrade: str) -> str:
    for tool in ("yq", "jq"):
        if shutil.which(tool) is None:
            sys.exit(f"bench: {tool} not found on PATH")
    if (found := shutil.which(kortrade)) is None:
        sys.exit(f"bench: kortrade executable {kortrade!r} not found; install it or pass --kortrade PATH")
    return found


def validate(cases: dict[str, Case], kortrade: str, args: argparse.Namespace, workdir: Path) -> None:
    for size, case in cases.items():
        env = cache_env(workdir / "cache" / f"validate-{size}")  # keeps the timed commands' caches untouched
        if error := run_once([kortrade, "validate", str(case.yaml_path)], args.timeout, env)[2]:
            print(f"[bench] INVALID {case.yaml_path}: {error}", file=sys.stderr)


def compile_kortrade(kortrade: str) -> None:
    """Byte-compile kortrade as `pip install` does, so no run pays for compiling its source.

    An editable install (or PYTHONDONTWRITEBYTECODE=1) would otherwise compile every
    module on every run: about 10 ms that an installed kortrade never spends.
    """
    with open(kortrade, "rb") as script:
        first = script.readline(300)
    interp = first[2:].decode().split() if first.startswith(b"#!") else [sys.executable]
    code = "import compileall, os, kortrade; compileall.compile_dir(os.path.dirname(kortrade.__file__), quiet=1)"
    subprocess.run([*interp, "-c", code], check=True, timeout=120)


def run(args: argparse.Namespace, workdir: Path) -> int:
    kortrade = find_kortrade(args.kortrade)
    compile_kortrade(kortrade)
    shipped = file_case(SHIPPED, "shipped", workdir, args.timeout)
    cases = {str(n): generate_apart(n, workdir, args.seed, shipped) for n in args.sizes}
    large = str(args.sizes[-1]) if args.sizes else None
    if shipped is not None:
        cases["shipped"] = shipped
    if (old := file_case(OLD, "old", workdir, args.timeout)) is not None:
        cases["old"] = old
    validate(cases, kortrade, args, workdir)
    jobs = [j for size, case in cases.items() for j in case_jobs(size, case, kortrade, args, workdir)]
    run_rounds(jobs, args.timeout)
    results = [j.result for j in jobs]
    rows = [evaluate(g, {r.key: r for r in results}) for g in goals(cases, large)]
    failures = [r.error for r in results if r.error]
    for error in failures:
        print(f"[bench] FAILED {error}", file=sys.stderr)
    report(results, rows, large, machine_info(kortrade), args)
    return 1 if failures else 0


# -- every command against `facts --json` ------------------------------------------------------------------------

COMMAND_LIMIT = 2.0  # each command's warm median may take at most this many times `facts --json`'s
# Each command as a person types it, on the shipped file; ID is a fact id from the file.
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("facts", "--json"),
    ("facts",),
    ("show", "ID"),
    ("search", "trade"),
    ("topics",),
    ("sources",),
    ("entities",),
    ("timeline",),
    ("cite", "ID"),
    ("brief", "--format", "markdown"),
    ("info",),
    ("validate",),
    ("export",),
    ("schema",),
)
COMPLETION = "completion Tab (show ID<TAB>)"


def command_jobs(kortrade: str, fact_id: str, runs: int, cache: Path) -> list[Job]:
    env = cache_env(cache)
    jobs = [
        job(
            "shipped",
            " ".join(words),
            "kortrade",
            [kortrade, *(fact_id if w == "ID" else w for w in words)],
            runs,
            env=env,
        )
        for words in COMMANDS
    ]
    # What bash runs for `kortrade show trade-v<TAB>`, as the script `kortrade completion bash` installs.
    tab = env | {"_KORTRADE_COMPLETE": "complete_bash", "COMP_WORDS": f"kortrade show {fact_id[:7]}", "COMP_CWORD": "2"}
    jobs.append(job("shipped", COMPLETION, "kortrade", [kortrade], runs, env=tab))
    return jobs


def command_table(results: list[Result]) -> list[str]:
    base = next((r.median() for r in results if r.command == "facts --json"), None)
    lines = [
        "| command | warm median | ratio to `facts --json` | target | met? |",
        "|---|--:|--:|--:|---|",
    ]
    for res in results:
        median = res.median()
        if median is None or not base:
            why = (res.error or "n/a").splitlines()[0]
            lines.append(f"| `{res.command}` | {why} | | ≤ {COMMAND_LIMIT:g}x | **no** |")
            continue
        ratio = median / base
        met = "yes" if ratio <= COMMAND_LIMIT else "**no**"
        name = res.command if res.command == COMPLETION else f"kortrade {res.command}"
        lines.append(f"| `{name}` | {median:,.1f} ms | {ratio:.2f}x | ≤ {COMMAND_LIMIT:g}x | {met} |")
    return lines


def run_commands(args: argparse.Namespace, workdir: Path) -> int:
    """Time every command warm on the shipped file, side by side, and print each one's ratio to `facts --json`."""
    if (kortrade := shutil.which(args.kortrade)) is None:
        sys.exit(f"bench: kortrade executable {args.kortrade!r} not found; install it or pass --kortrade PATH")
    compile_kortrade(kortrade)
    listing = subprocess.run(
        [kortrade, "facts", "--json", "--data", str(SHIPPED)], capture_output=True, check=True, timeout=args.timeout
    )
    data = json.loads(listing.stdout)
    jobs = command_jobs(kortrade, data[len(data) // 2]["id"], args.runs, workdir / "cache" / "commands")
    for j in jobs:  # every command, and completion, reads KORTRADE_DATA (not all take --data)
        assert j.env is not None
        j.env = j.env | {"KORTRADE_DATA": str(SHIPPED)}
    run_rounds(jobs, args.timeout)
    results = [j.result for j in jobs]
    if args.json:
        print(json.dumps([asdict(r) | {"median_ms": r.median()} for r in results], indent=2))
    else:
        info = machine_info(kortrade)
        print(
            f"Every command warm on the shipped file ({len(data):,} facts), {runs_text(args.runs)}, "
            f"{info['kortrade']}, Python {info['python']}, {info['cpu']}:\n"
        )
        print("\n".join(command_table(results)))
    failures = [r.error for r in results if r.error]
    for error in failures:
        print(f"[bench] FAILED {error}", file=sys.stderr)
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.commands:
        with tempfile.TemporaryDirectory(prefix="kortrade-bench-") as tmp:
            return run_commands(args, Path(tmp))
    if args.gen_only is not None:
        case = generate(args.gen_only, args.workdir, args.seed, args.entities_from)
        print(json.dumps({"id": case.fact_id, "hits": case.hits, "measure": case.measure}))
        return 0
    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
        return run(args, args.workdir)
    with tempfile.TemporaryDirectory(prefix="kortrade-bench-") as tmp:
        return run(args, Path(tmp))


if __name__ == "__main__":
    sys.exit(main())
