"""A start-up shortcut for the everyday lookups: answer without loading Typer.

Importing Typer and building its commands takes about 25 ms, as much as everything
else in a lookup put together. ``facts``, ``show``, ``search``, ``timeline``, ``series``, ``check`` and
``export`` (to stdout) written in the plain way (``kortrade show ID --json``) are
answered here with the very same command code (:mod:`kortrade.commands`,
:mod:`kortrade.export`) and output pipeline.

Anything this parser does not know for certain — help, ``--version``, a mistake,
an unfamiliar spelling of an option, an empty result, any error at all — returns
None and nothing has been written: the Typer CLI then runs from the start and owns
every message and exit code. A table is drawn to the reader as it goes, once its
rows are read and every option checked; only a bug in the drawing itself can stop
it after the first rows, with one line on stderr and exit 70. ``tests/test_fast.py``
runs the same command lines both ways and requires the same output.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Sequence
from typing import IO, Final

from kortrade.errors import OutputError

NO_FAST_ENV: Final = "KORTRADE_NO_FAST"

# Option spellings -> (setting, value parser or None for a flag).
Parser = Callable[[str], object] | None


def _int_in(low: int, high: int | None = None) -> Callable[[str], object]:
    def parse(text: str) -> int:
        if not text.isascii() or not text.isdigit():
            raise ValueError(text)
        value = int(text)
        if value < low or (high is not None and value > high):
            raise ValueError(text)
        return value

    return parse


def _format(text: str) -> object:
    from kortrade.render import Format

    return Format(text.lower())


def _export_format(text: str) -> object:
    from kortrade.choices import ExportFormat

    return ExportFormat(text.lower())


_DATA: Final[dict[str, tuple[str, Parser]]] = {
    "--data": ("data", str),
    "--no-color": ("no_color", None),
    "--no-pager": ("no_pager", None),  # read by kortrade.pager before this runs
}
_COMMON: Final[dict[str, tuple[str, Parser]]] = {
    "--format": ("fmt", _format),
    "-f": ("fmt", _format),
    "--json": ("as_json", None),
    "--fields": ("fields", str),
    **_DATA,
}
# A year or range is checked by the command (kortrade.commands.year_bounds), as Typer's run checks it.
_YEARS: Final[dict[str, tuple[str, Parser]]] = {
    "--year": ("year", str),
    "-y": ("year", str),
    "--from": ("from_year", _int_in(1, 9999)),
    "--to": ("to_year", _int_in(1, 9999)),
}
_OPTIONS: Final[dict[str, dict[str, tuple[str, Parser]]]] = {
    "facts": {
        **_COMMON,
        "--entity": ("entity", str),
        "-e": ("entity", str),
        "--tag": ("tag", str),
        "-t": ("tag", str),
        **_YEARS,
        "--limit": ("limit", _int_in(1)),
        "-n": ("limit", _int_in(1)),
        "--measure": ("measure", str),
        "-m": ("measure", str),
    },
    "show": _COMMON,
    "search": {
        **_COMMON,
        **_YEARS,
        "--topic": ("topic", str),
        "--limit": ("limit", _int_in(0)),
        "-n": ("limit", _int_in(0)),
        "--measure": ("measure", str),
        "-m": ("measure", str),
        "--basis": ("basis", str),
        "--answer": ("answer", None),
    },
    "timeline": {**_COMMON, **_YEARS, "--topic": ("topic", str)},
    "series": {
        **_COMMON,
        "--monthly": ("monthly", None),
        "-M": ("monthly", None),
        "--from": ("first", str),
        "--to": ("last", str),
        "--basis": ("basis", str),
        "-b": ("basis", str),
        "--chart": ("chart", None),
    },
    "check": {
        **_COMMON,
        "--measure": ("measure", str),
        "-m": ("measure", str),
        "--year": ("year", str),
        "-y": ("year", str),
        "--basis": ("basis", str),
        "-b": ("basis", str),
        "--limit": ("limit", _int_in(1)),
        "-n": ("limit", _int_in(1)),
    },
    # To stdout only: --output and --sqlite write files, which the Typer CLI does.
    "export": {**_DATA, "--format": ("fmt", _export_format), "-f": ("fmt", _export_format)},
}
# The options of these commands that only the Typer CLI takes (tests/test_fast.py walks
# every option of each command and requires it here or in _OPTIONS, as Typer reads it).
LEFT_TO_TYPER: Final = {"export": frozenset({"--output", "-o", "--sqlite", "--force"})}
# How many positional arguments each command takes: (at least, at most).
_ARITY: Final = {
    "facts": (0, 1), "show": (1, 1), "search": (1, None), "timeline": (0, 0), "export": (0, 0), "series": (0, None),
    "check": (0, 0),
}  # fmt: skip


class _NotMine(Exception):
    """Leave this command line to the Typer CLI."""


def parse(argv: Sequence[str]) -> tuple[str, list[str], dict[str, object]] | None:
    """``(command, positionals, settings)`` for a command line this module answers, else None."""
    if not argv or argv[0] not in _OPTIONS:
        return None
    command, options = argv[0], _OPTIONS[argv[0]]
    positionals: list[str] = []
    settings: dict[str, object] = {}
    rest = iter(argv[1:])
    try:
        for arg in rest:
            if not arg.startswith("-"):
                positionals.append(arg)
                continue
            name, has_value, attached = arg.partition("=")
            if name not in options or (has_value and not name.startswith("--")):
                return None
            key, parse_value = options[name]
            if key in settings:
                return None  # a repeated option: let Typer apply its rule
            if parse_value is None:
                if has_value:
                    return None
                settings[key] = True
                continue
            value = attached if has_value else next(rest, None)
            if value is None or value.startswith("-"):
                return None
            settings[key] = parse_value(value)
    except ValueError:
        return None
    low, high = _ARITY[command]
    if len(positionals) < low or (high is not None and len(positionals) > high):
        return None
    return command, positionals, settings


def run(argv: Sequence[str]) -> int | None:
    """Answer a plain lookup and return its exit code; None if the Typer CLI must run."""
    if os.environ.get(NO_FAST_ENV):
        return None
    parsed = parse(argv)
    if parsed is None:
        return None
    command, positionals, settings = parsed
    try:
        answer = _answer(command, positionals, settings)
    except Exception:
        return None  # whatever it was, the Typer CLI reports it properly
    if answer is None:
        return None
    try:
        if isinstance(answer, str):
            sys.stdout.write(answer)
        else:
            answer(sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        from kortrade.commands import quiet_broken_pipe

        return quiet_broken_pipe()
    except OutputError as exc:
        from kortrade.commands import quiet_output_error

        return quiet_output_error(exc)
    except Exception as exc:  # a bug while drawing a table, after the first rows went out
        from kortrade.errors import ExitCode

        sys.stderr.write(f"kortrade: internal error: {type(exc).__name__} (rerun with KORTRADE_NO_FAST=1 --debug)\n")
        return int(ExitCode.INTERNAL)
    return 0


def _answer(
    command: str, positionals: list[str], settings: dict[str, object]
) -> str | Callable[[IO[str]], None] | None:
    """The whole output of a successful command (or, for a table, what writes it once every
    check has passed), or None if it found nothing."""
    from kortrade import commands
    from kortrade.load import resolve_data_path
    from kortrade.render import Format
    from kortrade.store import FactStore

    get = settings.get
    fields = get("fields")
    assert fields is None or isinstance(fields, str)
    data = resolve_data_path(_text_or_none(get("data")))
    if not os.path.isfile(data):
        return None  # a pipe can be read only once: the Typer CLI must have it whole
    store = FactStore.open(data)
    if command == "export":
        return commands.export_outcome(store, get("fmt")).text  # type: ignore[arg-type]
    years = {
        "year": _text_or_none(get("year")),
        "from_year": _int_or_none(get("from_year")),
        "to_year": _int_or_none(get("to_year")),
    }
    if command == "facts":
        outcome = commands.facts_outcome(
            store,
            topic=positionals[0] if positionals else None,
            entity=_text_or_none(get("entity")),
            tag=_text_or_none(get("tag")),
            limit=_int_or_none(get("limit")),
            fields=fields,
            measure=_text_or_none(get("measure")),
            **years,  # type: ignore[arg-type]
        )
    elif command == "show":
        outcome = commands.show_outcome(store, positionals[0], fields=fields)
    elif command == "timeline":
        outcome = commands.timeline_outcome(store, topic=_text_or_none(get("topic")), fields=fields, **years)  # type: ignore[arg-type]
    elif command == "series":
        if get("chart") and commands.chosen_format(get("fmt"), bool(get("as_json"))) is not Format.table:  # type: ignore[arg-type]
            return None  # a usage error, which Typer words
        basis = _text_or_none(get("basis"))
        outcome = commands.series_outcome(
            store,
            positionals,
            monthly=bool(get("monthly")),
            first=_text_or_none(get("first")),
            last=_text_or_none(get("last")),
            bases=[basis] if basis is not None else [],
            chart=bool(get("chart")),
        )
    elif command == "check":
        measure, basis = _text_or_none(get("measure")), _text_or_none(get("basis"))
        outcome = commands.check_outcome(
            store,
            measures=[measure] if measure is not None else None,
            year=_text_or_none(get("year")),
            bases=[basis] if basis is not None else None,
            limit=_int_or_none(get("limit")),
        )
    else:
        limit = get("limit", 20)
        assert isinstance(limit, int)
        outcome = commands.search_outcome(
            store,
            positionals,
            topic=_text_or_none(get("topic")),
            limit=limit,
            fields=fields,
            measure=_text_or_none(get("measure")),
            basis=_text_or_none(get("basis")),
            answer=commands.chosen_format(get("fmt"), bool(get("as_json"))) is Format.table,  # type: ignore[arg-type]
            answer_only=bool(get("answer")),
            **years,  # type: ignore[arg-type]
        )
    if outcome.nothing is not None:
        return None
    write = commands.prepared(
        outcome.view,
        fmt=get("fmt"),  # type: ignore[arg-type]
        as_json=bool(get("as_json")),
        fields=fields,
        no_color=bool(get("no_color")),
    )
    if outcome.note is not None:
        # Every check has passed: written before the output, as the Typer CLI writes it (cli.emit_outcome).
        from kortrade.terminal import escape_controls

        sys.stderr.write(escape_controls(f"kortrade: {outcome.note}", one_line=True) + "\n")
    if commands.chosen_format(get("fmt"), bool(get("as_json"))) is not Format.table:  # type: ignore[arg-type]
        buffer = io.StringIO()
        write(buffer)
        return buffer.getvalue()
    # A table's rows are read and checked: it is drawn straight to the reader, a few
    # rows at a time, so a pager shows the first screen of a long listing at once.
    return write


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) else None
