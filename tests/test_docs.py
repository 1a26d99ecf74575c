"""docs/commands.md is generated from --help and must match it."""

from __future__ import annotations

import importlib.util
import itertools
import sys
from pathlib import Path
from types import ModuleType

import pytest
import typer.main
from typer.testing import CliRunner

from kortrade.cli import app
from kortrade.table import cell_len
from support.paths import REPO


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_docs", REPO / "docs" / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate_docs"] = module
    spec.loader.exec_module(module)
    return module


def test_everything_generated_is_up_to_date() -> None:
    """docs/commands.md (--help), docs/modules.md (docstrings), the exit codes, the rules."""
    generator = load_generator()
    for path, text in generator.outputs().items():
        committed = path.read_text(encoding="utf-8")
        assert committed == text, f"{path.relative_to(REPO)} is out of date: run python docs/generate.py"


def test_generated_tables_hold_every_exit_code_rule_and_module() -> None:
    from kortrade.errors import RULES, ExitCode

    output = (REPO / "docs" / "output.md").read_text(encoding="utf-8")
    data = (REPO / "docs" / "data.md").read_text(encoding="utf-8")
    modules = (REPO / "docs" / "modules.md").read_text(encoding="utf-8")
    for code in ExitCode:
        assert f"| {int(code)} | {code.meaning} |" in output
    for rule in RULES:
        assert f"| `{rule}` |" in data
    for path in (REPO / "src" / "kortrade").rglob("*.py"):
        assert f"[`{path.relative_to(REPO / 'src').as_posix()}`]" in modules


def test_the_check_mode_fails_on_a_stale_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generator = load_generator()
    stale = tmp_path / "modules.md"
    stale.write_text("# Module map\n", encoding="utf-8")
    monkeypatch.setattr(generator, "MODULES", stale)
    monkeypatch.setattr(generator, "REPO", tmp_path.parent)
    assert generator.main(["--check"]) == 1
    assert stale.read_text(encoding="utf-8") == "# Module map\n"
    assert generator.main([]) == 0
    assert stale.read_text(encoding="utf-8") == generator.module_map()


def test_command_reference_covers_every_command_and_its_example() -> None:
    import typer.main

    from kortrade.cli import app

    committed = (REPO / "docs" / "commands.md").read_text(encoding="utf-8")
    for name in typer.main.get_command(app).commands:  # type: ignore[attr-defined]
        section = committed.split(f"## kortrade {name}\n", 1)[1].split("\n## ", 1)[0]
        assert f"Usage: kortrade {name}" in section
        assert f"Example: kortrade {name}" in section


def test_readme_links_the_reference() -> None:
    assert "docs/commands.md" in (REPO / "README.md").read_text(encoding="utf-8")


def test_the_help_lists_each_exit_code_with_its_meaning() -> None:
    from kortrade.errors import ExitCode

    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "400", "NO_COLOR": "1"})
    text = " ".join(result.stdout.split())
    assert "Exit codes: " + "; ".join(f"{int(code)} {code.meaning}" for code in ExitCode) + "." in text


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_help_text_is_wrapped_to_the_terminal_not_where_the_docstring_broke(columns: int) -> None:
    """Typer keeps a docstring's line breaks; kortrade joins each paragraph, so that Rich
    wraps it: no line of a description ends where its next word would still have fitted."""
    commands = [[], *([name] for name in typer.main.get_command(app).commands)]  # type: ignore[attr-defined]
    for args in commands:
        result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": str(columns), "NO_COLOR": "1"})
        assert result.exit_code == 0
        description = result.stdout.split("╭")[0].split("\n")[3:]  # after the usage line
        for line, after in itertools.pairwise(description):
            if line.strip() and after.strip():
                room = columns - 2 - cell_len(line.rstrip())
                assert len(after.split()[0]) + 1 > room, (args, line, after)
