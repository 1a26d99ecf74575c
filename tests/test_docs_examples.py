"""Every example in the README and the docs runs, and shows what it says it shows."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# The hand-written pages; commands.md and modules.md are generated (tests/test_docs.py).
GENERATED = {"commands.md", "modules.md"}
PAGES = [REPO / "README.md", *sorted(p for p in (REPO / "docs").glob("*.md") if p.name not in GENERATED)]


def name(page: Path) -> str:
    return page.relative_to(REPO).as_posix()


def console_examples() -> list[tuple[str, str, list[str]]]:
    """(page, command, expected output lines) for each ``$ `` line of the pages' console blocks."""
    examples: list[tuple[str, str, list[str]]] = []
    for page in PAGES:
        for block in re.findall(r"```console\n(.*?)```", page.read_text(encoding="utf-8"), flags=re.S):
            for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
                command, *output = chunk.rstrip("\n").split("\n")
                examples.append((name(page), command, output))
    return examples


def python_examples() -> list[tuple[str, str]]:
    return [
        (name(page), code)
        for page in PAGES
        for code in re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), flags=re.S)
    ]


def run_shell(command: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "COLUMNS": "80"}
    for variable in ("NO_COLOR", "FORCE_COLOR", "KORTRADE_DATA"):
        env.pop(variable, None)
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


def test_every_page_with_examples_is_found() -> None:
    pages = {page for page, _, _ in console_examples()}
    assert {"README.md", "docs/search.md", "docs/who-says-what.md", "docs/data.md"} <= pages


def test_the_examples_use_every_command() -> None:
    import typer.main

    from kortrade.cli import app

    commands = " ".join(command for _, command, _ in console_examples())
    names = list(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert {"facts", "show", "search", "entities", "info"} <= set(names)
    for command in (*names, "--version", "| jq"):
        assert f"kortrade {command}" in commands or command in commands, command


@pytest.mark.parametrize(
    ("page", "command", "expected"), console_examples(), ids=lambda v: str(v)[:60] if isinstance(v, str) else ""
)
def test_console_example(page: str, command: str, expected: list[str]) -> None:
    result = run_shell(command)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    if expected:
        assert [line.rstrip() for line in result.stdout.rstrip("\n").split("\n")] == expected


@pytest.mark.parametrize(("page", "code"), python_examples(), ids=lambda v: str(v).split("\n")[0][:60])
def test_python_example(page: str, code: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, encoding="utf-8", timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.strip()


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    return {slug(heading) for heading in re.findall(r"^#+ (.*)$", text, flags=re.M)}


@pytest.mark.parametrize("page", [*PAGES, REPO / "docs" / "modules.md"], ids=name)
def test_links_between_pages_resolve(page: Path) -> None:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.exists(), f"{name(page)} links to {target}, which does not exist"
        if anchor:
            assert anchor in anchors(linked), f"{name(page)} links to {target}: no such heading"


def test_the_readme_links_every_docs_page() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for page in sorted((REPO / "docs").glob("*.md")):
        assert f"](docs/{page.name})" in readme, page.name


def test_modules_named_in_the_docs_exist() -> None:
    """Hand-written prose names modules; after a rename, the prose must follow (modules.md is generated)."""
    known = {path.name for path in (REPO / "src" / "kortrade").rglob("*.py")}
    for page in PAGES:
        named = set(re.findall(r"`(?:kortrade/)?(\w+\.py)`", page.read_text(encoding="utf-8")))
        named -= {"generate.py", "bench.py", "mcp_bench.py"}
        named = {module for module in named if not module.startswith("test_")}
        assert named <= known, (name(page), sorted(named - known))


def test_the_readme_mcp_configurations_are_the_ones_documented() -> None:
    """tests/test_mcp.py starts a server from each of the README's; docs/mcp.md must show the same."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## For AI assistants", 1)[1].split("\n## ", 1)[0]
    mcp = (REPO / "docs" / "mcp.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n.*?```", section, flags=re.S)
    assert len(blocks) == 2
    for block in blocks:
        assert block in mcp


def test_usage_lists_every_command_once() -> None:
    import typer.main

    from kortrade.cli import app

    usage = (REPO / "docs" / "usage.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `kortrade (\S+?)[ `]", usage, flags=re.M)
    assert sorted(listed) == sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
