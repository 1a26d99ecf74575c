"""Tests that need a program pip cannot install skip without it, saying what to install; in CI they fail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from support.paths import REPO
from support.programs import need_program, tools_required

CLEAN = {k: v for k, v in os.environ.items() if k not in ("CI", "KORTRADE_REQUIRE_TOOLS")}


@pytest.mark.parametrize(
    ("env", "required"),
    [
        ({}, False),
        ({"CI": "true"}, True),
        ({"CI": "1"}, True),
        ({"CI": "false"}, False),
        ({"CI": "0"}, False),
        ({"CI": ""}, False),
        ({"KORTRADE_REQUIRE_TOOLS": "1"}, True),
        ({"KORTRADE_REQUIRE_TOOLS": "0"}, False),
    ],
)
def test_when_tools_are_required(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], required: bool) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("KORTRADE_REQUIRE_TOOLS", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert tools_required() is required


def test_a_missing_program_skips_naming_its_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("KORTRADE_REQUIRE_TOOLS", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"apt-get install chromium \(Debian"):
        need_program(("chromium",), "chromium", "the HTML tests")


def test_a_missing_program_fails_where_tools_are_required(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("KORTRADE_REQUIRE_TOOLS", "1")
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium"):
        need_program(("chromium",), "chromium", "the HTML tests")


def test_a_present_program_is_found(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    program = tmp_path / "chromium-browser"
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("KORTRADE_REQUIRE_TOOLS", "1")
    assert need_program(("chromium", "chromium-browser"), "chromium", "the HTML tests") == str(program)


def run_html_tests(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The browser tests in a pytest of their own, with no Chromium on PATH."""
    empty = tmp_path / "bin"
    empty.mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_html.py"],
        cwd=REPO,
        env={**CLEAN, "PATH": str(empty), **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_without_chromium_the_browser_tests_skip_in_one_line(tmp_path: Path) -> None:
    done = run_html_tests(tmp_path)
    lines = done.stdout.splitlines()
    # The file's tests that need no browser run as ever; none fails for want of one.
    assert not [line for line in lines if line.startswith(("FAILED", "ERROR")) and "chromium" in line], done.stdout
    assert done.returncode in (0, 1), done.stdout + done.stderr
    skipped = [line for line in lines if line.startswith("SKIPPED")]
    assert len(skipped) == 1, done.stdout
    assert "tests/test_html.py: the HTML tests need chromium" in skipped[0]
    assert "apt-get install chromium" in skipped[0]
    assert "Traceback" not in done.stdout


@pytest.mark.parametrize("setting", [{"CI": "true"}, {"KORTRADE_REQUIRE_TOOLS": "1"}], ids=["CI", "REQUIRE_TOOLS"])
def test_without_chromium_in_ci_the_run_fails(tmp_path: Path, setting: dict[str, str]) -> None:
    done = run_html_tests(tmp_path, **setting)
    assert done.returncode == 1, done.stdout
    assert "skipped" not in done.stdout.splitlines()[-1]
    assert "it is required here" in done.stdout


def test_ci_requires_the_tools_and_installs_chromium() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "export KORTRADE_REQUIRE_TOOLS=1\n" in script
    assert "apt-get install -y -qq chromium" in script
    assert script.index("export KORTRADE_REQUIRE_TOOLS=1") < script.index("python -m pytest")
