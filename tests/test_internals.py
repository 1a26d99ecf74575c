"""Private names of Typer and Rich are used in kortrade.internals alone (issue 22)."""

from __future__ import annotations

import ast
from pathlib import Path

import kortrade

PACKAGE = Path(kortrade.__file__).resolve().parent
MODULES = sorted(PACKAGE.rglob("*.py"))
FRAMEWORKS = ("typer", "rich", "click")


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def own_private_names() -> set[str]:
    """Every ``_name`` kortrade defines (functions, classes, attributes, variables)."""
    names: set[str] = set()
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Name | ast.arg):
                names.add(node.id if isinstance(node, ast.Name) else node.arg)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.alias):
                names.add(node.asname or node.name.split(".")[-1])
    return {name for name in names if _private(name)}


def foreign_private_uses(path: Path, own: set[str]) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in FRAMEWORKS:
            parts = [*node.module.split("."), *(alias.name for alias in node.names)]
            found += [f"{node.lineno}: from {node.module} import ..." for part in parts if _private(part)][:1]
        elif isinstance(node, ast.Import):
            found += [
                f"{node.lineno}: import {alias.name}"
                for alias in node.names
                if alias.name.split(".")[0] in FRAMEWORKS and any(map(_private, alias.name.split(".")))
            ]
        elif isinstance(node, ast.Attribute) and _private(node.attr) and node.attr not in own:
            found.append(f"{node.lineno}: .{node.attr}")
    return found


def test_only_the_internals_module_uses_private_names_of_typer_and_rich() -> None:
    own = own_private_names()
    uses = {
        path.name: found
        for path in MODULES
        if path.name != "internals.py" and (found := foreign_private_uses(path, own))
    }
    assert uses == {}


def test_the_check_finds_a_private_name(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text(
        "from typer import _click\nimport rich._wrap\nfrom rich.console import Console\nConsole()._render_buffer([])\n",
        encoding="utf-8",
    )
    found = foreign_private_uses(module, own_private_names())
    assert [line.split(":")[0] for line in found] == ["1", "2", "4"]


def test_the_internals_module_says_why_for_each_name() -> None:
    source = (PACKAGE / "internals.py").read_text(encoding="utf-8")
    imports = [
        node for node in ast.parse(source).body if isinstance(node, ast.ImportFrom) and node.module != "__future__"
    ]
    lines = source.splitlines()
    for node in imports:
        assert lines[node.lineno - 2].startswith("# "), f"no reason given above line {node.lineno}"
