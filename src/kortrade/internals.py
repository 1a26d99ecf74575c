"""The parts of Typer kortrade uses beyond its public API: here and nowhere else, each with why.

Typer 0.28 vendors click as ``typer._click`` and gives no public name for click's
exceptions, its shell-completion registry, its command type, or for building one
command of an app. pyproject pins Typer to 0.28.x for that reason, and CI runs the
suite at the lowest and at the newest versions the pins allow. Of Rich, kortrade
uses only the public API. ``tests/test_internals.py`` fails if a private name of
Typer or Rich is used in any other module.
"""

from __future__ import annotations

# The type of a built command, for the lazily built command table (cli.LazyCommands).
from typer import _click as click

# What a usage error is, to print it as one line and exit 2; and the error click raises
# after printing the help for `kortrade` alone, so that it exits 2 and not 0.
from typer._click.exceptions import ClickException, NoArgsIsHelpError

# To register kortrade's bash completion class (which escapes values) over Typer's.
from typer._click.shell_completion import add_completion_class

# Typer's bash completion, whose output format kortrade's class keeps.
from typer._completion_classes import BashComplete

# Writes the completion script for `kortrade completion SHELL` (typer.completion uses it
# without exporting it).
from typer._completion_shared import get_completion_script

# Builds one command from its function: a run builds only the command it runs.
from typer.main import get_command_from_info

__all__ = [
    "BashComplete",
    "ClickException",
    "NoArgsIsHelpError",
    "add_completion_class",
    "click",
    "get_command_from_info",
    "get_completion_script",
]
