"""qualcode init / status."""
from __future__ import annotations

from pathlib import Path

import click

from ..store.project import init_project
from ..store.status import project_status
from .common import State, emit, format_option, info, pass_state


@click.command("init")
@click.argument("directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--codebook", "codebooks", multiple=True, help="Codebook YAML path (relative to the project). Repeatable.")
@click.option("--roster", default="", help="Participant roster (CSV or YAML), relative to the project.")
@click.option("--store", default=None, help="Store URL: sqlite (default, in .qualcode/) or postgresql://user@host/db.")
@click.option("--coder", default="", help="Default coder name for manual coding.")
@click.option("--name", default=None, help="Project name (default: the folder name).")
def init_cmd(directory: Path, codebooks: tuple[str, ...], roster: str, store: str | None, coder: str,
             name: str | None) -> None:
    """Create a qualcode project (qualcode.toml and a store) in DIRECTORY.

    \b
    Example:
      qualcode init my-study --codebook codebooks/working-alliance.yaml --roster roster.csv
      qualcode init --store postgresql://team@dbhost/study     # a shared team project
    """
    project = init_project(directory, name=name, codebooks=list(codebooks), roster=roster, store=store, coder=coder)
    info(f"created project {project.config.name!r}")
    click.echo(str(project.root / "qualcode.toml"))


@click.command("status")
@format_option
@pass_state
def status_cmd(state: State, fmt: str) -> None:
    """Summarise the project: transcripts, participants, codings by coder and status.

    \b
    Example:
      qualcode status
      qualcode status --format json
    """
    rows = project_status(state.project())
    emit(fmt, ["what", "count"], rows, title="Project")


COMMANDS = [init_cmd, status_cmd]
