"""kortrade's command line run in this process, through Typer's CliRunner (the ``cli`` fixture), or as a process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from typer.testing import CliRunner, Result

from kortrade.cli import app
from support.paths import SHIPPED


@dataclass(frozen=True)
class Cli:
    """``cli("search", "trade")`` runs ``kortrade search trade`` and gives its Result (exit_code, stdout, stderr).

    The run sees this process's environment (as a test's monkeypatch left it) with ``env``
    on top; ``data`` goes last, as ``--data PATH``. What every run of a module shares is set
    once, by overriding the fixture there: ``return cli.using(env={"COLUMNS": "80"})``.
    """

    data: Path | None = None
    env: Mapping[str, str] = field(default_factory=dict)

    def __call__(
        self, *args: str, data: Path | None = None, env: Mapping[str, str] | None = None, input: str | None = None
    ) -> Result:
        argv = list(args)
        path = self.data if data is None else data
        if path is not None:
            argv += ["--data", str(path)]
        return CliRunner().invoke(app, argv, env={**self.env, **(env or {})}, input=input)

    def ok(self, *args: str, data: Path | None = None, env: Mapping[str, str] | None = None) -> str:
        """The stdout of a run that must succeed and write nothing to stderr."""
        result = self(*args, data=data, env=env)
        assert result.exit_code == 0, (args, result.stderr)
        assert result.stderr == ""
        return result.stdout

    def using(self, *, data: Path | None = None, env: Mapping[str, str] | None = None) -> Cli:
        """The same runner with ``data`` for every run and ``env`` added to its own."""
        return Cli(data=self.data if data is None else data, env={**self.env, **(env or {})})


def run_on_shipped(*args: str, columns: int = 80) -> subprocess.CompletedProcess[str]:
    """``python -m kortrade ARGS --data`` the shipped file, as a process writing to pipes: this
    process's environment (PYTHONPATH included, so it runs this tree's code) at a fixed width,
    with no colour, no pager and no KORTRADE_DATA."""
    env = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1", "KORTRADE_PAGER": "cat", "KORTRADE_DATA": ""}
    return subprocess.run(
        [sys.executable, "-m", "kortrade", *args, "--data", str(SHIPPED)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )
