"""Print the lowest version pyproject allows of each run-time dependency, as pip pins.

CI installs these over a fresh install and runs the suite again, so every floor
pyproject declares is one the tests pass at: `typer>=0.28,<0.29` gives `typer==0.28`.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def floors(requirements: list[str]) -> list[str]:
    pins = []
    for requirement in requirements:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*(?:\[[^]]*\])?\s*(.*)", requirement.strip())
        floor = re.search(r">=\s*([0-9][0-9A-Za-z.]*)", match.group(2)) if match else None
        if match is None or floor is None:
            sys.exit(f"{PYPROJECT}: {requirement!r} has no floor (>=); give it one")
        pins.append(f"{match.group(1)}=={floor.group(1)}")
    return pins


if __name__ == "__main__":
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    print(" ".join(floors(project["dependencies"])))
