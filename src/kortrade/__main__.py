"""``python -m kortrade`` and the ``kortrade`` console script."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from kortrade.streams import install
        from kortrade.terminal import sane_size_environment

        install()
        sane_size_environment()
        from kortrade.pager import exit_code, paging

        try:
            with paging(sys.argv[1:]) as pager:
                code = answer()
        except OSError as exc:  # stdout failed where no command was left to report it (the pager's end)
            code = failed_output(exc)
        sys.exit(exit_code(pager, code))
    except KeyboardInterrupt:
        # Ctrl-C while Python is still importing, before the CLI's own handler exists.
        sys.stderr.write("kortrade: interrupted\n")
        sys.exit(130)


def failed_output(exc: OSError) -> int:
    """Report a write to stdout that failed: one line, exit 74 (141 for a reader gone away)."""
    from kortrade.commands import quiet_broken_pipe, quiet_output_error
    from kortrade.errors import OutputError

    if isinstance(exc, BrokenPipeError):
        return quiet_broken_pipe()
    if isinstance(exc, OutputError):
        return quiet_output_error(exc)
    raise exc


def answer() -> int:
    """Run the command line in sys.argv: the start-up shortcut if it can, else the Typer CLI."""
    from kortrade.fast import run

    code = run(sys.argv[1:])
    if code is not None:
        return code
    from kortrade.cli import app

    return int(app(standalone_mode=False))


if __name__ == "__main__":
    main()
