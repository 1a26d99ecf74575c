"""Errors the library raises and the exit codes the CLI maps them to."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes; documented in the README and in ``kortrade --help``."""

    OK = 0
    NOT_FOUND = 1
    USAGE = 2
    INTERNAL = 70
    INTERRUPTED = 130
    BROKEN_PIPE = 141


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a data file, printed as ``FILE:LINE:COL: message``."""

    file: str
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        # One problem, one line, whatever a file name or a quoted value holds.
        file, message = _one_line(self.file), _one_line(self.message)
        if self.line is None:
            return f"{file}: {message}"
        return f"{file}:{self.line}:{self.column or 1}: {message}"


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")


class KortradeError(Exception):
    """Base of every expected error; ``lines`` go to stderr, one per problem."""

    exit_code: ExitCode = ExitCode.USAGE

    @property
    def lines(self) -> list[str]:
        return [str(self)]


class UsageError(KortradeError):
    """The command line asked for something that cannot be (bad field, unknown topic)."""

    exit_code = ExitCode.USAGE


class NotFoundError(KortradeError):
    """A lookup matched nothing: an unknown id or an empty result."""

    exit_code = ExitCode.NOT_FOUND


class DataError(KortradeError):
    """A data file is missing, unreadable or invalid; carries every problem found."""

    exit_code = ExitCode.USAGE

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

    @property
    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]
