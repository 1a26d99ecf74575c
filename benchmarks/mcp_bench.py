"""How fast ``kortrade mcp`` answers: time to ready, and warm ``search_facts`` / ``get_fact`` calls.

Targets (issue 13): ready within 1 s of starting; a warm call answers in at most
10 ms, median. Not a timed test: figures depend on the machine, so they are
measured here and reported in the README.

- *ready*: from starting ``python -m kortrade mcp`` to the ``initialize`` answer on
  its stdout (the index already built: a warm start), median of ``--starts`` runs.
- *round trip*: one ``tools/call`` written to the running server's stdin until its
  answer is read from stdout, as a client sees it (JSON both ways, the pipe), median
  of ``--calls`` calls after ``--warmup`` calls.
- *in the server*: the same calls answered by :func:`kortrade.mcp_server.call` in
  this process (what the server does for a call, without the pipe and JSON-RPC).

    python benchmarks/mcp_bench.py [--data data/facts.yaml] [--calls 300] [--starts 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parent.parent
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 0,
    "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}},
}
SEARCHES = ("trade", "battery OR semi*", "삼성", "investment 2024", '"new energy"', "Samsung", "tourists", "chips")
IDS = ("trade-volume-2024", "samsung-exports-value-2024", "rok-rank-as-china-partner")


def server_command(data: str) -> list[str]:
    return [sys.executable, "-m", "kortrade", "mcp", "--data", data]


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src")
    return env


def write(stream: IO[bytes], message: dict[str, Any]) -> None:
    stream.write(json.dumps(message, ensure_ascii=False).encode() + b"\n")
    stream.flush()


def read(stream: IO[bytes]) -> dict[str, Any]:
    line = stream.readline()
    if not line:
        raise SystemExit("the server closed its stdout")
    answer: dict[str, Any] = json.loads(line)
    return answer


def initialized_server(data: str) -> subprocess.Popen[bytes]:
    """A server started on ``data`` that has answered ``initialize``."""
    process = subprocess.Popen(
        server_command(data),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=environment(),
    )
    assert process.stdin is not None
    assert process.stdout is not None
    write(process.stdin, INITIALIZE)
    read(process.stdout)
    return process


def time_to_ready(data: str) -> float:
    """Seconds from starting the server to its initialize answer."""
    started = time.perf_counter()
    process = initialized_server(data)
    ready = time.perf_counter() - started
    assert process.stdin is not None
    process.stdin.close()
    process.wait(timeout=30)
    return ready


def calls(tool: str, n: int) -> list[dict[str, Any]]:
    if tool == "search_facts":
        return [{"query": SEARCHES[i % len(SEARCHES)], "limit": 10} for i in range(n)]
    return [{"id": IDS[i % len(IDS)]} for i in range(n)]


def round_trips(data: str, tool: str, n: int, warmup: int) -> list[float]:
    """Milliseconds per call, as a client on the other end of the pipe sees them."""
    process = initialized_server(data)
    assert process.stdin is not None
    assert process.stdout is not None
    write(process.stdin, {"jsonrpc": "2.0", "method": "notifications/initialized"})
    timings = []
    for number, arguments in enumerate(calls(tool, warmup + n), 1):
        request = {"jsonrpc": "2.0", "id": number, "method": "tools/call"}
        request["params"] = {"name": tool, "arguments": arguments}
        started = time.perf_counter()
        write(process.stdin, request)
        answer = read(process.stdout)
        elapsed = (time.perf_counter() - started) * 1000
        if "error" in answer or answer["result"].get("isError"):
            raise SystemExit(f"{tool} {arguments}: {answer}")
        if number > warmup:
            timings.append(elapsed)
    process.stdin.close()
    process.wait(timeout=30)
    return timings


def in_server(data: str, tool: str, n: int, warmup: int) -> list[float]:
    """Milliseconds per call in the server's own code, without the pipe."""
    sys.path.insert(0, str(REPO / "src"))
    from kortrade.mcp_server import Facts, call

    facts = Facts(data)
    timings = []
    for number, arguments in enumerate(calls(tool, warmup + n), 1):
        started = time.perf_counter()
        call(facts, tool, arguments)
        if number > warmup:
            timings.append((time.perf_counter() - started) * 1000)
    facts.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(REPO / "data" / "facts.yaml"))
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--starts", type=int, default=7)
    args = parser.parse_args()

    time_to_ready(args.data)  # builds the index if it is not there: every start below is warm
    ready = [time_to_ready(args.data) for _ in range(args.starts)]
    print(f"data: {args.data}")
    print(f"ready (start to initialize answer), median of {args.starts}: {statistics.median(ready) * 1000:.0f} ms")
    print(f"  runs: {', '.join(f'{r * 1000:.0f}' for r in ready)} ms")
    for tool in ("search_facts", "get_fact"):
        trips = round_trips(args.data, tool, args.calls, args.warmup)
        inside = in_server(args.data, tool, args.calls, args.warmup)
        print(
            f"{tool}: round trip median {statistics.median(trips):.2f} ms (p90 {percentile(trips, 90):.2f}); "
            f"in the server median {statistics.median(inside):.2f} ms (p90 {percentile(inside, 90):.2f}); "
            f"{args.calls} warm calls"
        )


def percentile(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


if __name__ == "__main__":
    main()
