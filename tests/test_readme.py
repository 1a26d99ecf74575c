"""The README's quick start and test command; its examples run in tests/test_docs_examples.py."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command() -> None:
    test_command = re.search(r"Run the tests.*?```sh\n(.*?)\n```", README, flags=re.S)
    assert test_command is not None
    assert test_command.group(1) in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_readme_quick_start_installs_and_runs_facts() -> None:
    quick = re.search(r"## Quick start.*?```sh\n(.*?)\n```", README, flags=re.S)
    assert quick is not None
    assert quick.group(1).startswith("python3 -m venv .venv")
    assert quick.group(1).endswith("pip install . && kortrade facts")


def test_readme_stays_short() -> None:
    """Issue 22: a README a newcomer can read; the manual is in docs/."""
    assert len(README.encode("utf-8")) < 12_000


def test_readme_states_no_counts_that_go_stale() -> None:
    """Counts of facts and sources belong to `kortrade info` and the tested examples, not to prose."""
    prose = re.sub(r"```.*?```", "", README, flags=re.S)
    assert re.findall(r"\b[\d,]{3,} (?:facts|sources|pages)\b", prose) == []
