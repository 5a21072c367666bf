"""Shared CLI plumbing: the project option, output helpers, format choices."""
from __future__ import annotations

import io
import json
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

import click

from ..cells import csv_dict_writer

STORE_DIR = ".qualcode"  # the project's store folder (see qualcode.store.project.DEFAULT_STORE)

if TYPE_CHECKING:
    from ..store.project import Project


def _width() -> int | None:
    """Rich assumes 80 columns when stdout is not a terminal; tables piped to a file read better wider."""
    if sys.stdout.isatty() or os.environ.get("COLUMNS"):
        return None
    return 160


def __getattr__(name: str) -> Any:
    """``out`` and ``err``, the rich consoles for stdout and stderr, made on first use (rich takes a
    noticeable share of start-up, and ``--version`` or ``--help`` need none of it)."""
    if name not in ("out", "err"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from rich.console import Console

    if name == "out":
        console = Console(soft_wrap=False, highlight=False, width=_width())
    else:
        console = Console(stderr=True, highlight=False, soft_wrap=True)
    globals()[name] = console
    return console


def _console(name: str) -> Any:
    return globals()[name] if name in globals() else __getattr__(name)


class State:
    def __init__(self) -> None:
        self.project_dir: Path | None = None
        self.debug = False
        self.quiet = False
        self._project: Project | None = None

    def project(self) -> Project:
        if self._project is None:
            from ..store.project import open_project  # the store (SQLAlchemy) only for commands that use it

            self._project = open_project(self.project_dir)
        return self._project


pass_state = click.make_pass_decorator(State, ensure=True)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """``text`` with its control characters (ESC, BEL, CR, bidi overrides...) shown as ``\\x1b``-style
    escapes, so text from user files can never drive the terminal. Newlines and tabs are kept."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


def warn(message: str) -> None:
    from rich.text import Text

    _console("err").print(Text("warning: ", style="yellow") + Text(visible(message)))


def info(message: str) -> None:
    from rich.text import Text

    _console("err").print(Text(visible(message)))


def show_progress(state: State) -> bool:
    return not state.quiet and sys.stderr.isatty()


def table(columns: list[str], rows: Iterable[Iterable[Any]], title: str | None = None) -> None:
    """A rich table on stdout; every cell is plain text (never rich markup: transcripts hold [brackets])."""
    from rich.table import Table
    from rich.text import Text

    t = Table(title=title, show_lines=False)
    for c in columns:
        t.add_column(c, overflow="fold")
    for row in rows:
        t.add_row(*[Text("" if v is None else visible(str(v))) for v in row])
    _console("out").print(t)


def emit(fmt: str, columns: list[str], rows: list[dict[str, Any]], title: str | None = None) -> None:
    """Print rows as a table, JSON (a list of objects) or CSV on stdout."""
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv_dict_writer(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        click.echo(buf.getvalue(), nl=False)
    else:
        table(columns, ([r.get(c) for c in columns] for r in rows), title=title)


format_option = click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
                             show_default=True, help="Output format.")


class OutputPath(click.Path):
    """A file (or folder) to write: refused inside the project's store folder (``.qualcode``) or
    when it is one of the command's input files, so an export can never overwrite the store or
    its own input."""

    name = "output path"

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("dir_okay", False)
        super().__init__(path_type=Path, **kwargs)

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        path = super().convert(value, param, ctx)
        if STORE_DIR in Path(os.path.abspath(path)).parts:
            self.fail(f"{value}: is inside the project's store folder ({STORE_DIR}); write elsewhere", param, ctx)
        return path


def refuse_same(output: Path | None, *inputs: Path | None, what: str = "an input") -> None:
    """A usage error when ``output`` is the same file as one of ``inputs`` (or, for two outputs, the
    same path, even before either exists)."""
    if output is None:
        return
    for given in inputs:
        if given is None:
            continue
        same = (os.path.samefile(given, output) if output.exists() and Path(given).exists()
                else Path(os.path.abspath(given)) == Path(os.path.abspath(output)))
        if same:
            raise click.UsageError(f"{output}: is also {what} of this command; write to another file")
