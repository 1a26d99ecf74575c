#!/usr/bin/env python3
"""Draw the `facts` listing of the shipped file with kortrade's table drawer and with Rich alone.

The figures behind the choice of one table drawer of our own (docs/speed.md): medians
of 7 draws in one process, plain and in colour, at 80 columns. Needs kortrade and Rich
installed (`pip install -e .`); run from anywhere: `python benchmarks/tables.py`.
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from kortrade.table import Table as Spec

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "facts.yaml"
WIDTH = 80
RUNS = 7


def listing() -> Spec:
    """The Table kortrade draws for `kortrade facts`."""
    from kortrade.render import Links, _list_table
    from kortrade.store import FactStore
    from kortrade.views import facts_view

    with FactStore.open(str(SHIPPED)) as store:
        view = facts_view(store.facts())
    spec = _list_table(view, view.rows(), title=None, links=Links(hyperlinks=False))
    assert spec is not None
    return spec


def ours(spec: Spec, colour: bool) -> str:
    from kortrade import table

    out = io.StringIO()
    for line in table.draw(spec, out, WIDTH, colour=colour):
        out.write(line + "\n")
    return out.getvalue()


def rich_alone(spec: Spec, colour: bool) -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Column, Table
    from rich.text import Text

    columns = [
        Column(c.header, justify=c.justify, style=c.style or "", overflow=c.overflow, no_wrap=c.no_wrap,
               max_width=c.max_width, width=c.width, ratio=c.ratio)
        for c in spec.columns
    ]  # fmt: skip
    drawn = Table(*columns, box=box.SIMPLE_HEAD, expand=spec.expand)
    for row in spec.rows:
        drawn.add_row(*[Text.assemble(*[(text, style or "") for text, style in cell.spans]) for cell in row])
    out = io.StringIO()
    console = Console(file=out, width=WIDTH, force_terminal=colour, no_color=not colour, color_system="standard")
    console.print(drawn)
    return out.getvalue()


def median_ms(draw: Callable[[Spec, bool], str], spec: Spec, colour: bool) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        draw(spec, colour)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    start = time.perf_counter()
    import rich.console
    import rich.table  # noqa: F401

    imported = (time.perf_counter() - start) * 1000
    spec = listing()
    rows = len(spec.rows)
    print(f"`kortrade facts` on the shipped file: {rows} rows at {WIDTH} columns; importing Rich {imported:.1f} ms")
    print("| drawing | kortrade.table | Rich alone | ratio |\n|---|--:|--:|--:|")
    for colour in (False, True):
        mine, theirs = median_ms(ours, spec, colour), median_ms(rich_alone, spec, colour)
        print(f"| {'in colour' if colour else 'plain'} | {mine:.1f} ms | {theirs:.1f} ms | {theirs / mine:.1f}x |")


if __name__ == "__main__":
    main()
