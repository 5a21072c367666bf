"""The one place where library errors become messages and exit codes.

Exit codes: 0 ok, 1 invalid codebook or general user error, 2 bad command-line usage (click),
3 unreadable transcript or roster, 4 project/store problem, 5 coding error, 6 exchange file error,
7 agreement error, 70 internal error (a bug: rerun with --debug and report it), 130 interrupted.
"""
from __future__ import annotations

import errno
import os
import sys
import traceback

import click

from ..errors import QualcodeError

INTERNAL_ERROR = 70
INTERRUPTED = 130


def _echo_err(text: str) -> None:
    from .common import visible  # an error may quote a file name or value: never drive the terminal

    click.echo(visible(text), err=True)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so flushing at exit cannot fail again on the closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def report_error(exc: BaseException, debug: bool) -> int:
    """Print ``exc`` for a user and return the exit code."""
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, QualcodeError):
        if len(exc.problems) == 1 and exc.problems[0].message in exc.message:
            _echo_err(f"error: {exc.problems[0]}")  # one located problem says it all
        elif exc.problems:
            for problem in exc.problems:
                _echo_err(str(problem))
            _echo_err(f"error: {exc.message}")
        else:
            _echo_err(f"error: {exc.message}")
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        _echo_err("interrupted: nothing was changed by the unfinished step")
        return INTERRUPTED
    if isinstance(exc, BrokenPipeError) or (isinstance(exc, OSError) and exc.errno == errno.EPIPE):
        _silence_stdout()  # the reader (``| head``) stopped reading: nothing to say
        return 1
    if isinstance(exc, OSError):
        name = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        _echo_err(f"error:{name}: {exc.strerror or exc}")
        return 1
    _echo_err(f"internal error: {type(exc).__name__}: {exc}")
    _echo_err("This is a bug in qualcode. Rerun with --debug for details and report it.")
    return INTERNAL_ERROR
