"""Build the wheel offline, install it into a fresh venv, and run the program it installs."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import rich
import typer
import yaml

import kortrade

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "data" / "facts.yaml"
TIMEOUT = 300


def clean_env() -> dict[str, str]:
    drop = ("PYTHONPATH", "PYTHONHOME", "KORTRADE_DATA", "NO_COLOR", "FORCE_COLOR", "VIRTUAL_ENV")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["PYTHONNOUSERSITE"] = "1"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def check(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        args, capture_output=True, text=True, env=clean_env(), cwd=cwd, timeout=TIMEOUT, check=False
    )
    assert result.returncode == 0, f"{args} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if importlib.util.find_spec("hatchling") is None:
        pytest.fail(
            "hatchling is not importable in the test environment, so the wheel cannot be built offline "
            "(--no-build-isolation); install the test extras: pip install -e '.[test]'"
        )
    out = tmp_path_factory.mktemp("wheelhouse")
    build = ["--no-deps", "--no-build-isolation", "--no-index", "--no-cache-dir"]
    check([sys.executable, "-m", "pip", "wheel", *build, "-w", str(out), str(REPO)])
    wheels = sorted(out.glob("*.whl"))
    assert [w.name for w in wheels] == [f"kortrade-{kortrade.__version__}-py3-none-any.whl"]
    return wheels[0]


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with only the wheel installed; the dependencies come from this environment."""
    pip_version = tuple(int(part) for part in importlib.metadata.version("pip").split(".")[:2])
    if pip_version < (22, 3):
        pytest.fail(f"pip {importlib.metadata.version('pip')} lacks --python (needs pip >= 22.3); upgrade pip")
    root = tmp_path_factory.mktemp("venv") / "venv"
    check([sys.executable, "-m", "venv", "--without-pip", str(root)])
    python = root / "bin" / "python"
    install = ["--no-deps", "--no-index", "--no-cache-dir"]
    check([sys.executable, "-m", "pip", "--python", str(python), "install", *install, str(wheel)])
    purelib = Path(check([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip())
    # No network: let the new venv import typer, rich and pyyaml (and their own
    # dependencies, installed beside them) from where this environment has them.
    # .pth files in a directory named by a .pth line are not processed, so an
    # editable kortrade there cannot shadow the installed wheel.
    dirs = sorted({str(Path(m.__file__ or "").resolve().parent.parent) for m in (yaml, typer, rich)})
    (purelib / "deps.pth").write_text("\n".join(dirs) + "\n", encoding="utf-8")
    return root


def test_wheel_contents(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert archive.read("kortrade/data/facts.yaml") == SHIPPED.read_bytes()
        # The series data package and its CSV files, byte for byte (CRLF line ends kept).
        for path in (SHIPPED.parent / "series").iterdir():
            assert archive.read(f"kortrade/data/series/{path.name}") == path.read_bytes(), path.name
        dist_info = f"kortrade-{kortrade.__version__}.dist-info"
        entry_points = archive.read(f"{dist_info}/entry_points.txt").decode("utf-8")
        metadata = archive.read(f"{dist_info}/METADATA").decode("utf-8")
    package = {p.relative_to(REPO / "src").as_posix() for p in (REPO / "src" / "kortrade").glob("*.py")}
    assert package <= names
    assert not any(name.startswith(("tests/", "data/", "src/")) for name in names)
    assert "[console_scripts]\nkortrade = kortrade.__main__:main\n" in entry_points
    assert f"\nVersion: {kortrade.__version__}\n" in metadata
    requires = [re.match(r"Requires-Dist: ([\w.-]+)", line) for line in metadata.splitlines() if "extra ==" not in line]
    assert sorted(m[1] for m in requires if m) == ["pyyaml", "rich", "typer"]


def test_installed_wheel_runs_from_anywhere(venv: Path, tmp_path: Path) -> None:
    python = venv / "bin" / "python"
    script = venv / "bin" / "kortrade"
    # pip wrote the wheel's own entry point, bound to the new venv's interpreter.
    assert script.read_text(encoding="utf-8").splitlines()[0] == f"#!{python}"

    where = check(
        [
            str(python),
            "-c",
            "import kortrade, kortrade.load as l; print(kortrade.__file__); print(l.default_data_path())",
        ],
        cwd=tmp_path,
    ).stdout.splitlines()
    purelib = Path(check([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip())
    assert Path(where[0]) == purelib / "kortrade" / "__init__.py"
    assert Path(where[1]) == purelib / "kortrade" / "data" / "facts.yaml"

    result = check([str(script), "facts", "--json"], cwd=tmp_path)
    assert result.stderr == ""
    records = json.loads(result.stdout)
    document = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    assert [r["id"] for r in records] == [f["id"] for f in document["facts"]]
    facts, sources = len(document["facts"]), len(document["sources"])

    version = check([str(script), "--version"], cwd=tmp_path)
    assert version.stdout == f"kortrade {kortrade.__version__}\n"
    checked = check([str(script), "validate"], cwd=tmp_path)
    installed = purelib / "kortrade" / "data" / "facts.yaml"
    assert checked.stdout == f"{installed}: ok, {facts} facts, {sources} sources, 5649 observations\n"
    shown = check([str(script), "show", "kosis-monthly-2019-12-kor-chn-imports", "--json"], cwd=tmp_path)
    assert json.loads(shown.stdout)["value"] == 9023873000
