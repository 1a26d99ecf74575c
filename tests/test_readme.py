"""Every README example runs, and shows what it says it shows."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent


def console_examples() -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for each ``$ `` line of the console blocks."""
    examples: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", README, flags=re.S):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, *output = chunk.rstrip("\n").split("\n")
            examples.append((command, output))
    return examples


def run_shell(command: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "COLUMNS": "80"}
    for name in ("NO_COLOR", "FORCE_COLOR", "KORTRADE_DATA"):
        env.pop(name, None)
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def test_readme_has_examples_of_every_command() -> None:
    import typer.main

    from kortrade.cli import app

    commands = " ".join(command for command, _ in console_examples())
    names = list(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert {"facts", "show", "search", "entities", "info"} <= set(names)
    for name in (*names, "--version", "| jq"):
        assert f"kortrade {name}" in commands or name in commands, name


@pytest.mark.parametrize(("command", "expected"), console_examples(), ids=lambda v: str(v)[:60])
def test_readme_example(command: str, expected: list[str]) -> None:
    result = run_shell(command)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    if expected:
        assert [line.rstrip() for line in result.stdout.rstrip("\n").split("\n")] == expected


def test_ci_runs_the_readme_test_command() -> None:
    test_command = re.search(r"Run the tests.*?```sh\n(.*?)\n```", README, flags=re.S)
    assert test_command is not None
    assert test_command.group(1) in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_readme_quick_start_installs_and_runs_facts() -> None:
    quick = re.search(r"## Quick start.*?```sh\n(.*?)\n```", README, flags=re.S)
    assert quick is not None
    assert quick.group(1).startswith("python3 -m venv .venv")
    assert quick.group(1).endswith("pip install . && kortrade facts")


@pytest.mark.parametrize("code", re.findall(r"```python\n(.*?)```", README, flags=re.S), ids=lambda c: c.split("\n")[0])
def test_readme_python_runs(code: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, encoding="utf-8", timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.strip()
