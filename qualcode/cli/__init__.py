"""The ``qualcode`` command line: thin click commands over the library.

Each command parses options, calls one or two library functions and renders the result.
Errors are mapped to messages and exit codes in ``qualcode.cli.errors``.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import State
from .errors import report_error


class QualcodeGroup(click.Group):
    """A click group that turns library errors into messages and exit codes (never a traceback)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - the one place errors are mapped
            state = ctx.find_object(State)
            ctx.exit(report_error(exc, bool(state and state.debug)))


@click.group(cls=QualcodeGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="qualcode")
@click.option("--project", "project_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Project folder (default: found from the current folder upwards).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars or notes on stderr.")
@click.option("--debug", is_flag=True, help="Show a traceback on errors (for bug reports).")
@click.pass_context
def cli(ctx: click.Context, project_dir: Path | None, quiet: bool, debug: bool) -> None:
    """qualcode: codebook-driven qualitative analysis of interview transcripts.

    \b
    Example:
      qualcode init my-study --codebook codebooks/working-alliance.yaml
      qualcode import transcripts/*.txt --participants transcripts/roster.csv
      qualcode autocode
      qualcode report quotes --group young-person -o table3.docx
    """
    state = ctx.ensure_object(State)
    state.project_dir = project_dir
    state.quiet = quiet
    state.debug = debug


def _register() -> None:
    from . import (codebook_cmds, codebook_import_cmd, coding_cmds, deidentify_cmds, engine_cmds, exchange_cmds,
                   ingest_cmds, project_cmds, report_cmds, review_cmds, team_cmds)

    for module in (project_cmds, codebook_cmds, codebook_import_cmd, ingest_cmds, engine_cmds, coding_cmds,
                   report_cmds, team_cmds, review_cmds, exchange_cmds, deidentify_cmds):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    try:
        cli.main(prog_name="qualcode")
    except KeyboardInterrupt:
        sys.exit(report_error(KeyboardInterrupt(), False))
