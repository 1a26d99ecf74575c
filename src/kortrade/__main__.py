"""``python -m kortrade`` and the ``kortrade`` console script."""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

# Sent by timeout, systemd, docker stop (TERM) and a closed terminal (HUP): the run
# cleans up as for Ctrl-C (no temporary index left), then dies of the signal.
_TERMINATING = (signal.SIGTERM, signal.SIGHUP)


class Terminated(BaseException):
    """A terminating signal arrived: unwind (running every cleanup), then die of it.

    A BaseException, like KeyboardInterrupt, so that no ``except Exception`` takes it
    for an error to report."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


def catch_termination() -> None:
    for signum in _TERMINATING:
        # A signal the caller chose to ignore (nohup) stays ignored.
        if signal.getsignal(signum) is signal.SIG_DFL:
            signal.signal(signum, _terminate)


def die_of(signum: int) -> None:
    """End as the signal's default action would have: the caller sees 'killed by SIGTERM' (143)."""
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)
    sys.exit(128 + signum)  # only if the signal is blocked


def main() -> None:
    catch_termination()
    try:
        from kortrade.streams import install
        from kortrade.terminal import sane_size_environment

        install()
        sane_size_environment()
        from kortrade.pager import exit_code, paging

        pager = None
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
    except Terminated as stop:
        die_of(stop.signum)


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
