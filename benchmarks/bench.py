#!/usr/bin/env python3
"""Time `kortrade` against yq/jq on synthetic and shipped facts files (stdlib only)."""

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
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

Case = tuple[Path, Path, str]  # YAML file, the same data as JSON, id of a fact in the middle

TOPICS = ("trade", "partnerships", "agreements", "visit", "industry")
UNITS = {"USD": (10**8, 4 * 10**11), "percent": (1, 100), "fold": (2, 12), "rank": (1, 10)}
ITEMS = ("batteries", "semiconductors", "cosmetics", "steel", "displays", "vehicles")
SHIPPED = Path(__file__).resolve().parent.parent / "data" / "facts.yaml"
SOURCE = {"id": "bench-source", "title": "Synthetic benchmark source", "publisher": "kortrade benchmarks"}
SOURCE |= {"published": "2026-01-09", "url": "https://example.org/bench"}
HEADER = "version: 1\nsources:\n  - " + "\n    ".join(f"{k}: {v}" for k, v in SOURCE.items()) + "\nfacts:\n"


@dataclass
class Result:
    size: str
    command: str
    tool: str
    times_ms: list[float] = field(default_factory=list)
    max_rss_mib: float = 0.0
    error: str | None = None

    def median(self) -> float | None:
        return statistics.median(self.times_ms) if self.times_ms and not self.error else None


def make_fact(rng: random.Random, i: int, width: int) -> dict[str, Any]:
    topic, year = TOPICS[(i - 1) % len(TOPICS)], 2015 + rng.randrange(11)
    statement = f"Synthetic {topic} figure {rng.randrange(1000)} was recorded in {year} for item {i}."
    fact: dict[str, Any] = {"id": f"fact-{i:0{width}d}", "topic": topic, "statement": statement}
    if rng.random() < 0.7:
        unit = rng.choice([*UNITS, "documents"])
        value = rng.randint(*UNITS.get(unit, (1, 40)))
        fact |= {"value": value, "unit": unit, "qualifier": rng.choice(("exact", "about", "over", "under"))}
    kind = rng.randrange(4)  # 0: no period, 1: a year, 2: an ISO date, 3: a year range
    if kind:
        day = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        fact["period"] = (year, day, f"{year}-{year + rng.randint(1, 5)}")[kind - 1]
    fact["entities"] = ["China", "Republic of Korea"]
    if rng.random() < 0.5:
        fact["items"] = rng.sample(ITEMS, rng.randint(1, 3))
    fact["tags"] = [f"{topic}-bench", f"group-{i % 17}"]
    if rng.random() < 0.3:
        fact["note"] = f'Note {i}: "synthetic", not a real figure.'
    return fact | {"source": "bench-source"}


def fact_yaml(fact: dict[str, Any]) -> str:
    """One fact as YAML text; json.dumps gives valid double-quoted YAML strings."""
    lines = []
    for key, val in fact.items():
        if key in ("statement", "note"):
            val = json.dumps(val)
        elif isinstance(val, list):
            val = "[" + ", ".join(val) + "]"
        lines.append(f"    {key}: {val}")
    return "  - " + "\n".join(lines)[4:] + "\n"


def generate(n: int, workdir: Path, seed: int) -> Case:
    rng = random.Random(seed + n)
    facts = [make_fact(rng, i, max(6, len(str(n)))) for i in range(1, n + 1)]
    yaml_path, json_path = workdir / f"facts-{n}.yaml", workdir / f"facts-{n}.json"
    yaml_path.write_text(HEADER + "".join(fact_yaml(f) for f in facts), encoding="utf-8")
    json_path.write_text(json.dumps({"version": 1, "sources": [SOURCE], "facts": facts}), encoding="utf-8")
    return yaml_path, json_path, facts[n // 2]["id"]


def generate_apart(n: int, workdir: Path, seed: int) -> Case:
    """Generate in a child process: a spawned child's max RSS starts at the parent's peak."""
    print(f"[bench] generating {n} facts in {workdir}", file=sys.stderr)
    cmd = [sys.executable, __file__, "--gen-only", str(n), "--workdir", str(workdir), "--seed", str(seed)]
    fid = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
    return workdir / f"facts-{n}.yaml", workdir / f"facts-{n}.json", fid


def shipped_case(workdir: Path, timeout: float) -> Case | None:
    if not SHIPPED.is_file():
        return None
    json_path = workdir / "facts-shipped.json"
    with json_path.open("wb") as out:
        subprocess.run(["yq", ".", str(SHIPPED)], stdout=out, check=True, timeout=timeout)
    facts = json.loads(json_path.read_text(encoding="utf-8"))["facts"]
    return SHIPPED, json_path, facts[len(facts) // 2]["id"]


def run_once(cmd: list[str], timeout: float) -> tuple[float, float, str | None]:
    """Run cmd once; return wall ms, max RSS MiB and an error text (None on success)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = (time.perf_counter() - start) * 1000
        timer.cancel()
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code == 0:
            return elapsed, usage.ru_maxrss / 1024, None
        err.seek(0)
        text = err.read().decode(errors="replace").strip()[-800:]
        why = f"timed out after {timeout:g} s" if elapsed >= timeout * 1000 else f"exit {code}"
        return elapsed, usage.ru_maxrss / 1024, f"{why}: {' '.join(cmd)}" + (f"\n{text}" if text else "")


def time_case(results: list[Result], cmds: dict[str, list[str]], runs: int, timeout: float) -> None:
    """One warm-up round, then `runs` timed rounds; each round runs every tool in turn."""
    for rnd in range(runs + 1):
        for res in results:
            if res.error:
                continue
            ms, rss, res.error = run_once(cmds[res.tool], timeout)
            res.max_rss_mib = max(res.max_rss_mib, rss)
            if rnd and not res.error:
                res.times_ms.append(ms)


def bench_file(size: str, case: Case, kortrade: str, args: argparse.Namespace) -> list[Result]:
    yml, jsn, fid = str(case[0]), str(case[1]), case[2]
    sel = f'.facts[] | select(.id=="{fid}")'
    suites = {
        "facts": {
            "kortrade": [kortrade, "facts", "--format", "json", "--data", yml],
            "yq": ["yq", ".facts", yml],
        },
        "show": {
            "kortrade": [kortrade, "show", fid, "--data", yml],
            "jq": ["jq", sel, jsn],
            "yq": ["yq", sel, yml],
        },
    }
    out: list[Result] = []
    for command, cmds in suites.items():
        print(f"[bench] size {size}: {command} ({', '.join(cmds)})", file=sys.stderr)
        results = [Result(size, command, tool) for tool in cmds]
        time_case(results, cmds, args.runs, args.timeout)
        out += results
    return out


def version(exe: str) -> str:
    try:
        proc = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "?"
    lines = (proc.stdout or proc.stderr).strip().splitlines()
    return lines[0] if proc.returncode == 0 and lines else "?"


def machine(kortrade: str) -> str:
    tools = f"kortrade: {version(kortrade)}, yq: {version('yq')}, jq: {version('jq')}"
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return (
        f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"{tools}; RSS floor {floor:.1f} MiB (a child's max RSS cannot read lower)"
    )


def fmt(res: Result) -> str:
    med = res.median()
    return "FAIL" if med is None else f"{med:.1f} (min {min(res.times_ms):.1f})"


def table(results: list[Result]) -> list[str]:
    rows = ["| size | command | vs | kortrade median ms | comparison median ms | ratio | kortrade max RSS MiB |"]
    rows.append("|---|---|---|--:|--:|--:|--:|")
    kor = results[0]
    for res in results:
        if res.tool == "kortrade":
            kor = res
            continue
        km, om = kor.median(), res.median()
        ratio = f"{km / om:.2f}x" if km and om else "n/a"
        rss = f"{kor.max_rss_mib:.1f}" if km else "n/a"
        rows.append(f"| {kor.size} | {kor.command} | {res.tool} | {fmt(kor)} | {fmt(res)} | {ratio} | {rss} |")
    return rows


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--sizes", default="1000,10000,100000", help="comma-separated fact counts")
    p.add_argument("--skip-large", action="store_true", help="drop sizes above 10000")
    p.add_argument("--runs", type=int, default=7, help="timed runs per command (after 1 warm-up)")
    p.add_argument("--kortrade", default="kortrade", help="kortrade executable (default: from PATH)")
    p.add_argument("--workdir", type=Path, help="keep generated files here (default: a temp dir)")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds allowed per command")
    p.add_argument("--seed", type=int, default=2026, help="seed for the synthetic data")
    p.add_argument("--json", action="store_true", help="print JSON instead of a Markdown table")
    p.add_argument("--gen-only", type=int, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.skip_large:
        args.sizes = [s for s in args.sizes if s <= 10000]
    return args


def find_kortrade(kortrade: str) -> str:
    for tool in ("yq", "jq"):
        if shutil.which(tool) is None:
            sys.exit(f"bench: {tool} not found on PATH")
    if (found := shutil.which(kortrade)) is None:
        sys.exit(f"bench: kortrade executable {kortrade!r} not found; install it or pass --kortrade PATH")
    return found


def report(results: list[Result], kortrade: str, as_json: bool, runs: int) -> None:
    if as_json:
        rows = [asdict(r) | {"median_ms": r.median()} for r in results]
        print(json.dumps({"machine": machine(kortrade), "runs": runs, "results": rows}, indent=2))
    else:
        print("\n".join([machine(kortrade), "", *table(results)]))


def run(args: argparse.Namespace, workdir: Path) -> int:
    kortrade = find_kortrade(args.kortrade)
    cases = {str(n): generate_apart(n, workdir, args.seed) for n in args.sizes}
    if (shipped := shipped_case(workdir, args.timeout)) is not None:
        cases["shipped"] = shipped
    results: list[Result] = []
    for size, case in cases.items():
        if error := run_once([kortrade, "validate", str(case[0])], args.timeout)[2]:
            print(f"[bench] INVALID {case[0]}: {error}", file=sys.stderr)
        results += bench_file(size, case, kortrade, args)
    failures = [r.error for r in results if r.error]
    for error in failures:
        print(f"[bench] FAILED {error}", file=sys.stderr)
    report(results, kortrade, args.json, args.runs)
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.gen_only is not None:
        print(generate(args.gen_only, args.workdir, args.seed)[2])
        return 0
    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
        return run(args, args.workdir)
    with tempfile.TemporaryDirectory(prefix="kortrade-bench-") as tmp:
        return run(args, Path(tmp))


if __name__ == "__main__":
    sys.exit(main())
