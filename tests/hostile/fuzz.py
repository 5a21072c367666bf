"""Helpers for the hypothesis fuzz tests (issue 17): run a reader or the CLI on one hostile input and
check the outcome a user sees -- imported, or refused with exit 1-7 and a message naming the file;
never an internal error (exit 70), never a Python traceback, never a hang.

The hypothesis profiles are registered in tests/conftest.py (``qualcode``: derandomized, a few dozen
examples per test, the whole fuzz suite in well under a minute; ``HYPOTHESIS_PROFILE=deep`` for a long
bug hunt on a developer's machine).
"""
from __future__ import annotations

import os
import signal
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner

from qualcode.cli import cli
from qualcode.errors import QualcodeError

HANG_SECONDS = 30  # far above any honest example (< 1 s); only a hang (ReDoS, endless loop) gets here


class Hang(BaseException):
    """Raised by the alarm: a BaseException so that no ``except Exception`` in qualcode swallows it."""


@contextmanager
def no_hang(seconds: int = HANG_SECONDS):
    def alarm(signum, frame):
        raise Hang(f"no answer after {seconds} s: a hang")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def cli_outcome(args: list[str], cwd: Path, named: Path | None = None, stdin: str | None = None):
    """Run the CLI in-process in ``cwd``; assert imported (0) or refused (1-7) naming ``named``."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        with no_hang():
            r = CliRunner().invoke(cli, args, input=stdin, catch_exceptions=False)
    finally:
        os.chdir(old)
    out = r.stdout + r.stderr
    assert r.exit_code != 70 and "internal error" not in r.stderr, (args, out[-3000:])
    assert "Traceback" not in out, (args, out[-3000:])
    assert 0 <= r.exit_code <= 7, (args, r.exit_code, out[-3000:])
    if r.exit_code not in (0, 2) and named is not None:
        assert named.name in r.stderr, (args, r.exit_code, r.stderr[-3000:])
    return r


def reader_outcome(read, path: Path, *args, **kwargs):
    """Call a library reader: it returns, or raises a typed QualcodeError naming ``path``."""
    try:
        with no_hang():
            return read(path, *args, **kwargs)
    except QualcodeError as exc:
        text = str(exc) + " " + " ".join(str(p) for p in exc.problems)
        assert path.name in text, text[-2000:]
        return exc
