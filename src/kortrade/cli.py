"""The ``kortrade`` command line: parse options, call the library, map errors to exit codes.

Every expected error becomes one line per problem on stderr and a named exit code
(:class:`~kortrade.errors.ExitCode`); that mapping lives in :meth:`KortradeGroup.main`
and nowhere else.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import re
import sys
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

import typer
import typer.main
from typer.core import TyperGroup
from typer.models import CommandInfo

from kortrade.choices import ENTITY_KINDS, SOURCE_KINDS, BriefOutput, ExportFormat, SourcesFormat, Style
from kortrade.commands import (
    Outcome,
    Text,
    brief_outcome,
    check_outcome,
    chosen_format,
    cite_outcome,
    compare_outcome,
    entities_outcome,
    export_outcome,
    facts_outcome,
    info_outcome,
    measures_outcome,
    quiet_broken_pipe,
    quiet_output_error,
    search_outcome,
    series_outcome,
    show_outcome,
    sources_outcome,
    timeline_outcome,
    topics_outcome,
    validate_outcome,
    write_view,
)
from kortrade.errors import (
    DataError,
    ExitCode,
    KortradeError,
    NotFoundError,
    OutputError,
    ProblemsShown,
    UsageError,
    error_lines,
)
from kortrade.internals import (
    BashComplete,
    ClickException,
    NoArgsIsHelpError,
    add_completion_class,
    click,
    get_command_from_info,
)
from kortrade.load import DATA_ENV
from kortrade.render import Format, View
from kortrade.store import FactStore
from kortrade.terminal import escape_controls, hyperlink, shows_hyperlinks, wants_colour
from kortrade.version import __version__
from kortrade.views import problems_view

GLOBAL_FLAGS = ("--no-color", "--no-pager", "--debug")

EPILOG = "Exit codes: " + "; ".join(f"{int(code)} {code.meaning}" for code in ExitCode) + "."


@dataclass(slots=True)
class Settings:
    """Flags that may stand before or after the command name."""

    no_color: bool = False
    no_pager: bool = False  # acted on before the CLI starts (kortrade.pager); here so that it parses
    debug: bool = False


settings = Settings()


def split_global_flags(args: Sequence[str]) -> tuple[list[str], Settings]:
    """Take ``--no-color`` and ``--debug`` out of ``args`` wherever they stand (before ``--``)."""
    rest: list[str] = []
    found = Settings()
    for index, arg in enumerate(args):
        if arg == "--":
            rest.extend(args[index:])
            break
        if arg in GLOBAL_FLAGS:
            setattr(found, arg[2:].replace("-", "_"), True)
        else:
            rest.append(arg)
    return rest, found


def say(message: str) -> None:
    """One line on stderr, with control characters from data made visible.

    A stderr that cannot be written (closed, full) loses the line but never changes the exit code.
    """
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(escape_controls(message, one_line=True) + "\n")
        sys.stderr.flush()


class KortradeGroup(TyperGroup):
    """Runs a command and turns every outcome into a message and an exit code."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv, found = split_global_flags(sys.argv[1:] if args is None else args)
        settings.no_color, settings.no_pager, settings.debug = found.no_color, found.no_pager, found.debug
        code = self._run(argv, prog_name or "kortrade", complete_var, **extra)
        if not standalone_mode:
            return code
        sys.exit(code)

    def _run(self, argv: list[str], prog_name: str, complete_var: str | None, **extra: Any) -> int:
        # Typer registers its own classes as it builds the command; ours, which escapes, goes in after.
        add_completion_class(_BashComplete, "bash")
        try:
            result = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
            sys.stdout.flush()
        except (BrokenPipeError, OutputClosed):
            return quiet_broken_pipe()
        except OutputError as exc:
            return quiet_output_error(exc)
        except NoArgsIsHelpError:
            return int(ExitCode.USAGE)  # the help is already on stdout
        except KortradeError as exc:
            for line in error_lines(exc):
                say(line)
            return int(exc.exit_code)
        except typer.Abort:
            say("kortrade: interrupted")
            return int(ExitCode.INTERRUPTED)
        except ClickException as exc:
            say(_usage_line(exc))
            return int(getattr(exc, "exit_code", ExitCode.USAGE))
        except Exception as exc:
            if settings.debug:
                raise
            say(f"kortrade: internal error: {type(exc).__name__}: {exc} (rerun with --debug for the trace)")
            return int(ExitCode.INTERNAL)
        code = result if isinstance(result, int) else 0
        if code == ExitCode.INTERRUPTED:
            say("kortrade: interrupted")
        return code


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


class OutputClosed(Exception):
    """The reader of stdout went away; a plain Exception so Typer lets it through to us."""


def _usage_line(exc: Exception) -> str:
    ctx = getattr(exc, "ctx", None)
    path = ctx.command_path if ctx is not None else "kortrade"
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    return f"{path}: {message} (see '{path} --help')"


class LazyCommands(MutableMapping[str, click.Command]):
    """A group's commands by name, each built from its function when first looked up."""

    def __init__(self, app: typer.Typer) -> None:
        self._app = app
        self._entries: dict[str, CommandInfo | click.Command] = {
            info.name or typer.main.get_command_name(info.callback.__name__): info
            for info in app.registered_commands
            if info.callback is not None
        }

    def __getitem__(self, name: str) -> click.Command:
        entry = self._entries[name]
        if isinstance(entry, CommandInfo):
            entry = self._entries[name] = get_command_from_info(
                entry,
                pretty_exceptions_short=self._app.pretty_exceptions_short,
                rich_markup_mode=self._app.rich_markup_mode,
            )
        return entry

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._entries[name] = command

    def __delitem__(self, name: str) -> None:
        del self._entries[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


def reflowed(docstring: str) -> str:
    """A docstring's paragraphs each joined into one line, for Rich to wrap to the terminal.

    Typer 0.28 keeps a docstring's line breaks, so a line written for 88 columns broke in
    two on an 80-column terminal and left a word alone on the next line.
    """
    paragraphs = inspect.cleandoc(docstring).split("\n\n")
    return "\n\n".join(p if p.startswith("\b") else " ".join(p.split("\n")) for p in paragraphs)


class LazyTyper(typer.Typer):
    """A Typer app that builds only the command being run.

    Typer turns every command's signature into click parameters before parsing
    anything: about 7 ms for all of ours, of which a run needs one command's.
    Help and the completion of command names, which show every command, still
    build them all. (CliRunner builds the app its own way, all at once.)
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        empty = copy.copy(self)
        empty.registered_commands = []
        group = typer.main.get_command(empty)
        assert isinstance(group, KortradeGroup)
        group.commands = LazyCommands(self)
        return group(*args, **kwargs)


app = LazyTyper(
    cls=KortradeGroup,
    name="kortrade",
    epilog=EPILOG,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def completer(kind: str) -> Callable[[typer.Context, str], list[str]]:
    """Shell completion of fact ids, topics, tags or entity names, from the data in use."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        try:
            store = FactStore.open(ctx.params.get("data"))
            try:
                values = store.completions(kind, incomplete)
            finally:
                store.close()
        except Exception:  # a bad data file must not print errors into the shell's prompt
            return []
        # A name from the data goes onto the user's command line: no escape sequence, bell or
        # line break reaches the terminal, whatever the shell.
        return [v for v in dict.fromkeys(_UNSHOWABLE.sub("", v) for v in values) if v]

    return complete


# Controls (C0, DEL, C1) and the bidi embeddings, overrides and isolates, which would reorder the line.
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
# What bash reads as itself in a word; anything else ASCII (space, quotes, $, *, ?, [, ~, !...) is escaped.
_SHELL_PLAIN = re.compile(r"[A-Za-z0-9_@%+=:,./\-]|[^\x00-\x7f]")


def bash_word(value: str) -> str:
    """``value`` as one bash word, each special character escaped with a backslash (as ``printf %q``).

    The completion script expands the program's answer unquoted: ``/etc/*`` would become every
    file in /etc, and ``Samsung Group`` two words on the command line.
    """
    return "".join(c if _SHELL_PLAIN.fullmatch(c) else "\\" + c for c in value)


class _BashComplete(BashComplete):
    def format_completion(self, item: Any) -> str:
        return bash_word(str(item.value))


# -- shared options ------------------------------------------------------------------

DataOption = Annotated[
    str | None,
    typer.Option(
        "--data",
        envvar=DATA_ENV,
        metavar="PATH",
        show_default="the shipped facts file",
        help="Facts file to read.",
    ),
]
FormatOption = Annotated[
    Format | None,
    typer.Option("--format", "-f", case_sensitive=False, show_default="table", help="Output format."),
]
TopicOption = Annotated[
    str | None, typer.Option("--topic", help="Only facts of this topic.", autocompletion=completer("topic"))
]
JsonOption = Annotated[bool, typer.Option("--json", help="Shortcut for --format json.")]
YearOption = Annotated[
    str | None,
    typer.Option(
        "--year", "-y", metavar="YEAR[-YEAR]", help="Only facts whose period touches this year or range (2015-2025)."
    ),
]
FromOption = Annotated[
    int | None, typer.Option("--from", metavar="YEAR", help="Only facts whose period reaches this year or later.")
]
ToOption = Annotated[
    int | None, typer.Option("--to", metavar="YEAR", help="Only facts whose period starts in this year or earlier.")
]
FieldsOption = Annotated[
    str | None,
    typer.Option("--fields", metavar="A,B,C", help="Only these fields, in this order."),
]
# `facts` and `search`: only the facts that state one measure.
FactMeasureOption = Annotated[
    str | None,
    typer.Option(
        "--measure",
        "-m",
        help="Only facts stating this measure (see 'kortrade measures').",
        autocompletion=completer("measure"),
    ),
]


def _output_file(value: str | None) -> str | None:
    # '-' is standard output, as for cp, tar, git and every other tool: never a file named '-'.
    return None if value == "-" else value


OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        callback=_output_file,
        help="Write to FILE instead of stdout ('-' is stdout).",
    ),
]


def open_store(data: str | None) -> FactStore:
    return FactStore.open(data)


@contextlib.contextmanager
def stdout_closing_quietly() -> Iterator[None]:
    """Writes to stdout whose reader may leave (head): Typer would make that exit 1, "nothing matched"."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        raise OutputClosed from None


def emit(view: View, fmt: Format | None, as_json: bool, fields: str | None) -> None:
    """Render ``view`` to stdout; the one output path of every listing command."""
    with stdout_closing_quietly():
        write_view(view, sys.stdout, fmt=fmt, as_json=as_json, fields=fields, no_color=settings.no_color)


def write_text(text: str, *, urls: Sequence[str] = ()) -> None:
    """Plain text for people (citations): control characters from the data made visible.

    Each of ``urls`` in it becomes a hyperlink where the terminal shows them; lines
    are never broken, so the terminal wraps a long URL without cutting it.
    """
    text = escape_controls(text)
    if urls and wants_colour(sys.stdout, no_color=settings.no_color) and shows_hyperlinks(sys.stdout):
        # Longest first, so that a URL which begins another is not linked inside it.
        wanted = sorted({u for u in urls if u}, key=len, reverse=True)
        text = re.sub("|".join(map(re.escape, wanted)), lambda m: hyperlink(m.group()), text)
    with stdout_closing_quietly():
        sys.stdout.write(text)


def write_raw(text: str) -> None:
    """Text made for a format (JSON, HTML, CSV...) that already escapes what it must."""
    with stdout_closing_quietly():
        sys.stdout.write(text)


def emit_text(answer: Text) -> None:
    if answer.raw:
        write_raw(answer.text)
    else:
        write_text(answer.text, urls=answer.urls)


def emit_answer(answer: Outcome | Text, fmt: Format | None, as_json: bool, fields: str | None) -> None:
    if isinstance(answer, Text):
        emit_text(answer)
    else:
        emit_outcome(answer, fmt, as_json, fields)


def emit_outcome(outcome: Outcome, fmt: Format | None, as_json: bool, fields: str | None) -> None:
    if outcome.note is not None and outcome.nothing is None:
        say(f"kortrade: {outcome.note}")
    emit(outcome.view, fmt, as_json, fields)
    if outcome.nothing is not None:
        raise NotFoundError(outcome.nothing)


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"kortrade {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=version_callback, is_eager=True, help="Show the version."),
    ] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colour or styles (also NO_COLOR=1).")] = False,
    no_pager: Annotated[
        bool, typer.Option("--no-pager", help="Print to the terminal without a pager (also KORTRADE_PAGER=cat).")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show a full trace on internal errors.")] = False,
) -> None:
    """Facts on China-Republic of Korea economic and trade ties, with their sources and dates.

    Every figure carries its source and date. Read with 'facts', find with
    'search', cite with 'show' or 'cite', feed scripts with '--format json'.
    On a terminal, long output goes through $KORTRADE_PAGER, else $PAGER, else
    'less -FRX'. --no-color, --no-pager and --debug work before or after the
    command name.

    Example: kortrade facts trade
    """


@app.command()
def facts(
    topic: Annotated[
        str | None,
        typer.Argument(help="Only this topic (see 'kortrade topics').", autocompletion=completer("topic")),
    ] = None,
    entity: Annotated[
        str | None,
        typer.Option(
            "--entity",
            "-e",
            help="Only facts naming this entity (part of any of its names: 삼성 works).",
            autocompletion=completer("entity"),
        ),
    ] = None,
    tag: Annotated[
        str | None, typer.Option("--tag", "-t", help="Only facts with this tag.", autocompletion=completer("tag"))
    ] = None,
    year: YearOption = None,
    from_year: FromOption = None,
    to_year: ToOption = None,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="At most N facts.")] = None,
    measure: FactMeasureOption = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
    data: DataOption = None,
) -> None:
    """List facts, grouped by topic in tables; in file order as JSON.

    Topic, entity and tag match without regard to case; --entity matches an entity's
    names in English, Korean and Chinese; --year finds any period that touches the
    year (a month, a day, a range), --year 2015-2025 (or --from and --to) any that
    touches those years. Exit 1 if nothing matches.

    Example: kortrade facts trade --year 2024 --format json
    """
    store = open_store(data)
    outcome = facts_outcome(
        store,
        topic=topic,
        entity=entity,
        tag=tag,
        year=year,
        limit=limit,
        fields=fields,
        measure=measure,
        from_year=from_year,
        to_year=to_year,
    )
    emit_outcome(outcome, fmt, as_json, fields)


@app.command()
def search(
    words: Annotated[list[str], typer.Argument(metavar="QUERY...", help="Words to find (see above).")],
    topic: TopicOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="At most N results; 0 for all.")] = 20,
    year: YearOption = None,
    from_year: FromOption = None,
    to_year: ToOption = None,
    measure: FactMeasureOption = None,
    basis: Annotated[
        str | None, typer.Option("--basis", metavar="korea|china", help="Only figures on this country's statistics.")
    ] = None,
    answer: Annotated[
        bool, typer.Option("--answer", help="Only the answer: a figure per country's statistics, in any format.")
    ] = False,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
    data: DataOption = None,
) -> None:
    """Find facts by words, best match first, in English, Korean or Chinese.

    Searches statements, entity names (Samsung, 삼성, 三星), items, tags and notes.
    Words side by side must all match; 'battery' also finds 'batteries'; 'semi*'
    is a prefix; "new energy" a phrase; AND, OR, NOT (in capitals) and parentheses
    combine words. Korean and Chinese match inside words. Matches are highlighted
    on a terminal. Exit 1 if nothing matches.

    Without AND, OR, NOT, parentheses or quotes, a search is read as a question:
    filler (what, the, 얼마, 是多少) is dropped; a year, month or range (2023,
    2015-2025, January 2024, 2023년, 2024年1月) keeps facts of that period; the
    words for a measure (two-way trade, deficit, 교역액, 대중 수출, 贸易额, 逆差)
    put its facts first; "Korea's figures", "한국 통계" or "中方" keep one country's
    statistics. When no fact has every word, those with most of them come, and a
    line on stderr says so. When a question names a measure and one period, a
    table starts with the answer: that figure on each country's statistics, its
    source and how many other sources agree; --answer prints that answer alone
    (in JSON, a list of {measure, label, period, basis_country, display, value,
    unit, id, source, agree, differ, how, official}).

    Example: kortrade search two-way trade 2023
    """
    output = chosen_format(fmt, as_json)
    outcome = search_outcome(
        open_store(data),
        words,
        topic=topic,
        limit=limit,
        fields=fields,
        year=year,
        from_year=from_year,
        to_year=to_year,
        measure=measure,
        basis=basis,
        answer=output is Format.table,
        answer_only=answer,
    )
    emit_outcome(outcome, fmt, as_json, fields)


@app.command()
def show(
    fact_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="A fact id, as listed by 'kortrade facts', or an observation id (imf-dots-2015-kor-chn-exports).",
            autocompletion=completer("shown"),
        ),
    ],
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
    data: DataOption = None,
) -> None:
    """Show one fact in full, with its source, ready to cite; or one observation, a row of an
    official data file, with its source and the file and line it is on.

    An unknown id exits 1 and names the nearest ids.

    Example: kortrade show trade-volume-2024
    """
    emit_outcome(show_outcome(open_store(data), fact_id, fields=fields), fmt, as_json, fields)


@app.command()
def cite(
    fact_ids: Annotated[
        list[str],
        typer.Argument(
            metavar="ID...", help="Fact ids, as listed by 'kortrade facts'.", autocompletion=completer("id")
        ),
    ],
    style: Annotated[Style, typer.Option("--style", "-s", case_sensitive=False, help="Citation style.")] = Style.plain,
    data: DataOption = None,
) -> None:
    """Print facts with their citations, ready to paste into a document.

    plain: each statement followed by its source. markdown: statements with
    footnotes ([^1]) that GitHub and other CommonMark tools render. apa and
    chicago: statements with in-text citations or note numbers, then the sources
    as a reference list or notes. A source cited by several facts is listed once.
    bibtex, csl-json and ris: the facts' sources alone, as a file Zotero, EndNote,
    JabRef or pandoc imports, keyed by source id.

    Example: kortrade cite trade-volume-2024 --style markdown
    """
    emit_text(cite_outcome(open_store(data), fact_ids, style))


@app.command()
def timeline(
    topic: TopicOption = None,
    year: YearOption = None,
    from_year: FromOption = None,
    to_year: ToOption = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
    data: DataOption = None,
) -> None:
    """List the facts that have a date or period, oldest first.

    Ordered by the first day of each period (a year starts on 1 January), then by
    its last day, then by the file's order; --year (2024 or 2015-2025), --from and
    --to keep the periods that touch those years. Exit 1 if no fact has a period.

    Example: kortrade timeline --topic visit
    """
    outcome = timeline_outcome(
        open_store(data), topic=topic, fields=fields, year=year, from_year=from_year, to_year=to_year
    )
    emit_outcome(outcome, fmt, as_json, fields)


@app.command()
def brief(
    topics: Annotated[
        list[str] | None,
        typer.Option(
            "--topic", help="Only facts of this topic; repeat for several.", autocompletion=completer("topic")
        ),
    ] = None,
    fmt: Annotated[
        BriefOutput,
        typer.Option("--format", "-f", case_sensitive=False, help="text: Rich on a terminal, else Markdown."),
    ] = BriefOutput.text,
    output: OutputOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    data: DataOption = None,
) -> None:
    """Write a one-page briefing: headline figures, companies, agreements, relations, the visit day by day.

    Every line is a fact's own statement or figure, with its hedge and period and
    the number of its source; the sources are listed at the end with publisher,
    date and URL. On a terminal the text format is drawn with Rich; piped or with
    --output it is CommonMark (as --format markdown), which renders on GitHub.
    --format json gives the same structure for other tools; --format html one
    self-contained page to send, open in any browser and print (two A4 pages).
    --format pandoc: Markdown with [@key] citations and the references in its
    header, for  pandoc FILE --citeproc -o brief.docx  (Word, with a reference list).

    Example: kortrade brief --format markdown --output brief.md
    """
    drawn = output is None and fmt is BriefOutput.text and wants_colour(sys.stdout, no_color=settings.no_color)
    answer = brief_outcome(open_store(data), topics, fmt, for_terminal=drawn)
    if output is not None:
        from kortrade.output import write_file

        write_file(output, answer.text, force=force)
    elif drawn:
        write_rich_markdown(answer.text, list(answer.urls))
    else:
        write_raw(answer.text)


def write_rich_markdown(text: str, urls: list[str]) -> None:
    from kortrade.render import write_terminal_markdown

    with stdout_closing_quietly():
        write_terminal_markdown(text, urls, sys.stdout)


@app.command()
def topics(
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
    data: DataOption = None,
) -> None:
    """List the topics with their number of facts.

    Example: kortrade topics --format csv
    """
    emit_outcome(topics_outcome(open_store(data)), fmt, as_json, fields)


@app.command()
def sources(
    source_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]",
            help="Show this source in full, with the facts that cite it.",
            autocompletion=completer("source"),
        ),
    ] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", "-k", help=f"Only this kind: {', '.join(SOURCE_KINDS)}.")
    ] = None,
    language: Annotated[
        str | None, typer.Option("--language", "-l", help="Only pages in this language: en, ko, zh, ja...")
    ] = None,
    fmt: Annotated[
        SourcesFormat | None,
        typer.Option("--format", "-f", case_sensitive=False, show_default="table", help="Output format."),
    ] = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
    data: DataOption = None,
) -> None:
    """List the sources the facts cite: publisher, date, kind, language and number of facts.

    With an ID, show that source in full and list the facts that cite it (in JSON,
    the source record with a "cited_by" list of fact records). Exit 1 if nothing matches.
    --format csl-json, bibtex or ris: the sources as a reference file for Zotero,
    EndNote, JabRef or pandoc, keyed by source id.

    Example: kortrade sources --kind government --language ko
    """
    from kortrade.references import split_sources_format

    listing, references = split_sources_format(fmt, as_json, fields)
    answer = sources_outcome(open_store(data), source_id, kind=kind, language=language, references=references)
    emit_answer(answer, listing, as_json, fields)


@app.command()
def compare(
    measure: Annotated[
        str | None,
        typer.Argument(
            metavar="[MEASURE]",
            help="A measure id (see 'kortrade measures'); without one, every measure two or more facts state.",
            autocompletion=completer("measure"),
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", "-p", help="Only figures for this period: 2023, 2023-12, 2023-01/2023-05..."),
    ] = None,
    conflicts: Annotated[
        bool,
        typer.Option("--conflicts", "-c", help="Only groups whose figures differ (each group is one statistics)."),
    ] = False,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
    data: DataOption = None,
) -> None:
    """Set every source's figure for a measure side by side, period by period, with a verdict.

    Each figure stands for the values its wording allows ("$328.08 billion" for
    what rounds or is cut off to it, 328.075 up to 328.09 billion; "about" widens by
    5%; "over 200" is anything above 200). Figures agree when those overlap, and
    otherwise differ, by the gap shown. Korea's and China's statistics are never set
    against each other: each has its own group and verdict. [R] marks a group's
    reference (an official release); [W] a figure worked out, [S] scheduled, [E]
    expected. A measure with yearly figures is drawn as a bar chart, a bar per year
    and statistics, each a source's own figure. In JSON, a list of {measure, period,
    basis, verdict, spread, facts, statistics, reference}; each fact with the range
    it was read as and its flags. Exit 1 if nothing matches.

    Example: kortrade compare rok-trade-balance-with-china --period 2023
    """
    outcome = compare_outcome(open_store(data), measure, period=period, conflicts=conflicts)
    emit_outcome(outcome, fmt, as_json, fields)


@app.command()
def series(
    measures: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[MEASURE]...",
            help="Measure ids, or trade, exports, imports, balance (default: those four).",
            autocompletion=completer("measure"),
        ),
    ] = None,
    monthly: Annotated[bool, typer.Option("--monthly", "-M", help="A row per month instead of per year.")] = False,
    first: Annotated[
        str | None, typer.Option("--from", metavar="PERIOD", help="From this year (2015), or month with --monthly.")
    ] = None,
    last: Annotated[
        str | None, typer.Option("--to", metavar="PERIOD", help="To this year (2025), or month with --monthly.")
    ] = None,
    basis: Annotated[
        list[str] | None,
        typer.Option("--basis", "-b", metavar="COUNTRY", help="Only korea's or china's statistics; repeat for both."),
    ] = None,
    chart: Annotated[
        bool, typer.Option("--chart", help="Draw each measure as a bar chart above its table, a bar per figure.")
    ] = False,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
    data: DataOption = None,
) -> None:
    """The official series: each year's (or month's) figure on Korea's and on China's statistics, side by side.

    For bilateral trade, ROK exports to China, ROK imports from China and the ROK's
    balance with China (or the measures named: also the shares
    china-share-of-rok-exports, -imports, -trade and rok-share-of-china-imports),
    each period's figure is the one an official data file states (the newest file
    when several do); else one kortrade works out from a single file's figures
    (exports + imports, exports - imports, shares of the World total, a year as the
    sum of its 12 months), marked * and never mixing two files or two countries'
    statistics; else the official figure a page reports for exactly that full period,
    or one worked out from a single page's figures (marked †; January to November is
    never a year). Agree n/m: of m other files and pages giving the same figure, n
    agree. --chart draws a labelled bar per figure above the tables. CSV and JSON have
    a row per period and country, made to chart: period start and end, basis country,
    value, unit, source, worked out or not and how, and the observations or page facts
    it rests on. Exit 1 if nothing matches.

    Example: kortrade series bilateral-trade --from 2015 --to 2025 --format csv
    """
    if chart and chosen_format(fmt, as_json) is not Format.table:
        raise UsageError("--chart draws on a table; leave it out with --format or --json")
    outcome = series_outcome(
        open_store(data), measures or [], monthly=monthly, first=first, last=last, bases=basis or [], chart=chart
    )
    emit_outcome(outcome, fmt, as_json, fields)


@app.command()
def check(
    measure: Annotated[
        list[str] | None,
        typer.Option(
            "--measure",
            "-m",
            metavar="MEASURE",
            help="Only this measure (an id, or trade, exports, imports, balance); repeat for more.",
            autocompletion=completer("measure"),
        ),
    ] = None,
    year: Annotated[
        str | None, typer.Option("--year", "-y", metavar="YEAR", help="Only this year (2024) or range (2015-2025).")
    ] = None,
    basis: Annotated[
        list[str] | None,
        typer.Option(
            "--basis", "-b", metavar="COUNTRY", help="Only figures held against korea's or china's statistics."
        ),
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="At most N figures.")] = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
    data: DataOption = None,
) -> None:
    """List the reported figures that differ from the official series, largest gap first.

    A page's figure of a measure the series covers (trade, exports, imports, balance,
    the shares), in US dollars or percent, for a full year or month, is held against
    the official figure of the same measure, period and country's statistics (see
    'kortrade series'), unless that figure is the page's own. It differs when the
    values its wording allows ("$267.6 billion": 267.55 up to 267.7 billion) leave
    the official figure out. The gap is the reported figure minus the official one,
    as a share of the official one and in the unit. A figure that agrees with the
    other country's figure for its period, or with another year's (month's), says so:
    a likely wrong side or wrong year. A figure that states no country's statistics
    is held against both: agreeing with either, it is not listed; else the nearer is
    shown. Exit 1 if no figure differs.

    Example: kortrade check --measure trade --year 2020-2025 --format csv
    """
    outcome = check_outcome(open_store(data), measures=measure, year=year, bases=basis, limit=limit)
    emit_outcome(outcome, fmt, as_json, fields)


@app.command()
def measures(
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
    data: DataOption = None,
) -> None:
    """List the measures facts state (bilateral trade, the summit's length...), with their facts and sources.

    A measure is what several sources' figures are figures of; 'kortrade facts
    --measure ID' lists them. Exit 1 if the file names no measure.

    Example: kortrade measures --format csv
    """
    emit_outcome(measures_outcome(open_store(data)), fmt, as_json, fields)


@app.command()
def entities(
    kind: Annotated[
        str | None, typer.Option("--kind", "-k", help=f"Only this kind: {', '.join(ENTITY_KINDS)}.")
    ] = None,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
    data: DataOption = None,
) -> None:
    """List the countries, companies, people and places the facts name, with their names in English, Korean and Chinese.

    Example: kortrade entities --kind company
    """
    emit_outcome(entities_outcome(open_store(data), kind=kind), fmt, as_json, fields)


@app.command()
def export(
    fmt: Annotated[
        ExportFormat | None,
        typer.Option("--format", "-f", case_sensitive=False, show_default="json", help="Format of the export."),
    ] = None,
    output: OutputOption = None,
    sqlite: Annotated[
        str | None,
        typer.Option(
            "--sqlite", metavar="FILE", help="Write a SQLite database for datasette, and metadata.json beside it."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace files that exist.")] = False,
    data: DataOption = None,
) -> None:
    """Export the whole dataset: sources, entities with their names, facts and observations.

    json: one document; jsonl: a fact a line; csv: a fact a row; yaml: a facts file
    that 'kortrade validate' accepts; csl-json, bibtex, ris: every source as a
    reference file for Zotero, EndNote, JabRef or pandoc. --sqlite writes tables
    facts, sources, entities, fact_entities, fact_tags, measures, comparisons (each
    with its verdict), comparison_facts and observations (the rows of the official
    data files), with a full-text index, and a
    metadata.json, so that  datasette FILE -m metadata.json  serves a browsable,
    searchable site. Files are written whole or not at all; an existing file is
    replaced only with --force.

    Example: kortrade export --format csv --output facts.csv
    """
    store = open_store(data)
    if sqlite is not None:
        from kortrade.export import write_sqlite

        if fmt is not None or output is not None:
            raise UsageError("--sqlite writes a database; it does not take --format or --output")
        if sqlite == "-":
            raise UsageError("--sqlite writes a database file, with metadata.json beside it; not to stdout ('-')")
        metadata_path = write_sqlite(store, sqlite, force=force)
        typer.echo(f"wrote {sqlite} and {metadata_path}; serve them with: datasette {sqlite} -m {metadata_path}")
        return
    answer = export_outcome(store, fmt)
    if output is None:
        write_raw(answer.text)
        return
    from kortrade.output import write_file

    write_file(output, answer.text, force=force)


@app.command()
def info(
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    fields: FieldsOption = None,
    data: DataOption = None,
) -> None:
    """Show the facts file in use, its checksum and counts, the index, and how current the data is.

    The index: where, how big, how fresh. How current: for each measure of the official
    series and each side's statistics, the latest full year and the latest month; and each
    official data file's last period.

    Example: kortrade info --format json
    """
    emit_outcome(info_outcome(open_store(data)), fmt, as_json, fields)


@app.command()
def validate(
    paths: Annotated[
        list[str] | None, typer.Argument(metavar="[PATH]...", help="Files to check (default: --data).")
    ] = None,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            show_default="problems on stderr",
            help="Print the problems on stdout in this format instead (file, line, column, rule, message).",
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    """Check facts files: problems on stderr as FILE:LINE:COL and exit 2, else a summary.

    Every problem in a file is reported, not only the first. With --format json the
    problems are a JSON list on stdout (empty when all is well), for CI and editors.

    Example: kortrade validate data/facts.yaml --format json
    """
    checked = validate_outcome(list(paths) if paths else [data])
    if fmt is not None:
        emit(problems_view(checked.problems), fmt, False, None)
        if checked.problems:
            raise ProblemsShown()
        return
    for line in checked.valid:
        typer.echo(line)
    if checked.problems:
        raise DataError(checked.problems)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the facts file, for editors and other tools.

    Editors that speak YAML check and complete a facts file whose first line is
    '# yaml-language-server: $schema=PATH' with PATH a copy of this schema.

    Example: kortrade schema > facts.schema.json
    """
    from kortrade.json_schema import schema_text

    try:
        sys.stdout.write(schema_text())
        sys.stdout.flush()
    except BrokenPipeError:
        raise OutputClosed from None


@app.command()
def completion(
    shell: Annotated[Shell, typer.Argument(case_sensitive=False, help="The shell to complete in.")],
) -> None:
    """Print the shell code that completes kortrade's commands, options, fact ids, topics, tags and entities.

    bash: add the line  eval "$(kortrade completion bash)"  to ~/.bashrc

    zsh: add the line  eval "$(kortrade completion zsh)"  to ~/.zshrc

    fish: kortrade completion fish > ~/.config/fish/completions/kortrade.fish

    (--install-completion does the same for the shell you are in.)

    Example: kortrade completion bash
    """
    from kortrade.internals import get_completion_script

    # Typer writes the scripts; its completion classes understand them.
    script = get_completion_script(prog_name="kortrade", complete_var="_KORTRADE_COMPLETE", shell=shell.value)
    write_text(script if script.endswith("\n") else script + "\n")


@app.command()
def mcp(data: DataOption = None) -> None:
    """Serve the facts to AI assistants: a Model Context Protocol server on stdin and stdout.

    Desktop and editor assistants (Claude Desktop, VS Code, Cursor...) start it and
    call its tools: search_facts, get_fact, compare_figures, cite_facts, briefing,
    official_series, answer_question and check_figures,
    each answering with the JSON contract's records and a text in which every
    figure carries its source and date; kortrade://fact/ID and kortrade://source/ID
    are resources. Logs go to stderr; stdout carries protocol messages only. It
    ends when the client closes stdin. Needs the SDK: pip install "kortrade[mcp]".

    Example: kortrade mcp --data data/facts.yaml
    """
    from kortrade.mcp_server import serve

    serve(data)


def _reflow_help(typer_app: typer.Typer) -> None:
    """Give every command, and the app, its docstring reflowed as its help (see :func:`reflowed`)."""
    for info in typer_app.registered_commands:
        if info.help is None and info.callback is not None and info.callback.__doc__:
            info.help = reflowed(info.callback.__doc__)
    group = typer_app.registered_callback
    if group is not None and group.callback is not None and group.callback.__doc__:
        group.help = reflowed(group.callback.__doc__)


_reflow_help(app)
