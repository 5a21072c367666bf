"""qualcode export codings (and, with REFI-QDA, export refi / import refi)."""
from __future__ import annotations

from pathlib import Path

import click

from ..coding.csv_exchange import export_codings_csv
from ..errors import ExchangeError
from .common import State, info, pass_state


@click.group("export")
def export_group() -> None:
    """Export codings and projects for other tools."""


@export_group.command("codings")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="CSV file to write.")
@click.option("--coder", default=None, help="Only this coder's codings.")
@click.option("--status", type=click.Choice(["suggested", "accepted", "rejected"]), default=None)
@pass_state
def export_codings_cmd(state: State, output: Path, coder: str | None, status: str | None) -> None:
    """Write codings as CSV (the same columns import-codings reads).

    \b
    Example:
      qualcode export codings -o codings.csv --status accepted
    """
    rows = export_codings_csv(state.project(), output, coder=coder, status=status)
    info(f"wrote {len(rows)} codings")
    click.echo(str(output))


def import_refi(state: State, files: list[str]) -> None:
    raise ExchangeError("REFI-QDA import is not available yet")


COMMANDS = [export_group]
