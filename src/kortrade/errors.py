"""Errors the library raises and the exit codes the CLI maps them to."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Final


class ExitCode(IntEnum):
    """Process exit codes; ``kortrade --help`` and docs/output.md list them with their ``meaning``."""

    OK = 0
    NOT_FOUND = 1
    USAGE = 2
    INTERNAL = 70
    IO_ERROR = 74  # sysexits' EX_IOERR
    INTERRUPTED = 130
    BROKEN_PIPE = 141

    @property
    def meaning(self) -> str:
        """What the code tells the caller, in the words the help and the docs both print."""
        return _EXIT_CODE_MEANINGS[self]


# The one place each exit code is explained; no "; " inside, since the help joins them with it.
_EXIT_CODE_MEANINGS: Final = {
    ExitCode.OK: "found",
    ExitCode.NOT_FOUND: "nothing matched (unknown id, empty result)",
    ExitCode.USAGE: "usage error, or a missing or invalid data file",
    ExitCode.INTERNAL: "internal error (a bug: please report it with the --debug output)",
    ExitCode.IO_ERROR: "the output could not be written (a full disk, a closed stdout, a pager that failed)",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C)",
    ExitCode.BROKEN_PIPE: "the output pipe closed early (its reader, such as head, went away)",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a data file, printed as ``FILE:LINE:COL: message``."""

    file: str
    line: int | None
    column: int | None
    message: str
    # What kind of problem, for tools (``validate --format json``): one of RULES.
    rule: str = "invalid"

    def record(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "column": self.column, "rule": self.rule, "message": self.message}

    def __str__(self) -> str:
        # One problem, one line, whatever a file name or a quoted value holds.
        file, message = _one_line(self.file), _one_line(self.message)
        if self.line is None:
            return f"{file}: {message}"
        return f"{file}:{self.line}:{self.column or 1}: {message}"


RULES: Final = {
    "file": "the file is missing, a directory or a device, or cannot be read",
    "encoding": "the file is not UTF-8 text",
    "empty": "the file has no YAML document",
    "yaml": "YAML syntax, characters YAML refuses, several documents, nesting too deep",
    "type": "a value of the wrong kind: a list, mapping, text or number was expected",
    "text-key": "a mapping key that is not text",
    "duplicate-key": "the same key twice in one mapping",
    "merge": "a '<<' merge of something that is not a mapping",
    "unknown-key": "a key the format does not have",
    "missing-key": "a required key is missing",
    "yaml-1.2": "a value YAML 1.1 and YAML 1.2 tools read differently; quote it",
    "empty-text": "text that is empty or only spaces",
    "slug": "an id, topic or tag that is not a lowercase slug",
    "duplicate-item": "the same item twice in one list",
    "number": "a number that cannot be read",
    "number-range": "NaN, infinity, or an integer beyond 2**53 - 1",
    "date": "a publication date that is not a day, month or year, or a source with neither date nor date note",
    "period": "a period that is not a year, month, day, time with zone, a range of one of them, or 'as of' one",
    "version": "a format version this kortrade does not read",
    "duplicate-id": "a source id, fact id or entity name used twice",
    "url": "a URL that is not http(s) or has spaces",
    "entity-kind": "an entity kind the format does not have",
    "language-code": "a language code that is not like en, ko or zh-Hant",
    "undefined-entity": "a fact names an entity the entities section does not list",
    "qualifier": "a qualifier other than exact, about, over, under, nearly, at-least",
    "undefined-source": "a fact cites a source the file does not define",
    "figure": "a value without its unit or qualifier, or a unit or qualifier without a value",
    "source-kind": "a source kind the format does not have",
    "measure-kind": "a measure kind other than number, date, name",
    "measure": "a measure's fact without the value its kind needs, or a date measure marked periodic",
    "undefined-measure": "a fact states a measure the measures section does not list",
    "basis": "a basis naming an entity with no country (whose statistics?)",
    "country": "an entity's country that is not an entity of kind country",
    "more": "more problems than are shown",
    "sqlite": "this Python's SQLite lacks a feature kortrade needs",
    "series": "the series data package is missing, not JSON, not a data package, or its kortrade mapping is wrong",
    "csv": "a data file's header, quoting or number of cells in a row is not what its schema says",
    "unmapped-value": "a data file's reporter, partner or flow that the data package's map does not list",
    "duplicate-row": "two rows of a data file for the same reporter, partner, flow and period",
}


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


class ProblemsShown(KortradeError):
    """Problems already printed on stdout in the format asked for (validate --format json)."""

    exit_code = ExitCode.USAGE

    @property
    def lines(self) -> list[str]:
        return []


class DataError(KortradeError):
    """A data file is missing, unreadable or invalid; carries every problem found."""

    exit_code = ExitCode.USAGE

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

    @property
    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class OutputError(KortradeError, OSError):
    """Standard output could not be written (no space left, closed, a device error).

    Also an OSError, so code that tolerates a failed write (``contextlib.suppress(OSError)``)
    still does; the CLI reports it as one line and exit 74.
    """

    exit_code = ExitCode.IO_ERROR

    def __init__(self, reason: str) -> None:
        super().__init__(f"cannot write output: {reason}")

    @property
    def lines(self) -> list[str]:
        return [str(self.args[0])]


def error_lines(exc: KortradeError) -> list[str]:
    """What the CLI prints on stderr for ``exc``: a data file's problems as they are, else ``kortrade: ...``."""
    return exc.lines if isinstance(exc, DataError) else [f"kortrade: {line}" for line in exc.lines]
