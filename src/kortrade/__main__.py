"""``python -m kortrade`` and the ``kortrade`` console script."""

from __future__ import annotations

import sys


def use_utf8_streams() -> None:
    """JSON and CSV promise UTF-8 whatever the locale; never fail on a stray character."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="backslashreplace")


def main() -> None:
    try:
        use_utf8_streams()
        from kortrade.pager import exit_code, paging

        with paging(sys.argv[1:]) as pager:
            code = answer()
        sys.exit(exit_code(pager, code))
    except KeyboardInterrupt:
        # Ctrl-C while Python is still importing, before the CLI's own handler exists.
        sys.stderr.write("kortrade: interrupted\n")
        sys.exit(130)


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
