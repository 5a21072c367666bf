"""qualcode init / status."""
from __future__ import annotations

from pathlib import Path

import click

from ..store.status import project_status
from .common import State, emit, format_option, info, pass_state, warn


@click.command("init")
@click.argument("directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--codebook", "codebooks", multiple=True,
              help="Codebook YAML (path from the current folder); checked, then copied into codebooks/. Repeatable.")
@click.option("--roster", default="", help="Participant roster (CSV or YAML); checked, then copied into the project.")
@click.option("--link", is_flag=True, help="Record the codebook and roster by absolute path instead of copying them.")
@click.option("--example", is_flag=True,
              help="Create a small working study to edit: codebook, roster and two interviews.")
@click.option("--store", default=None, help="Store URL: sqlite (default, in .qualcode/) or postgresql://user@host/db.")
@click.option("--coder", default="", help="Default coder name for manual coding.")
@click.option("--name", default=None, help="Project name (default: the folder name).")
def init_cmd(directory: Path, codebooks: tuple[str, ...], roster: str, link: bool, example: bool,
             store: str | None, coder: str, name: str | None) -> None:
    """Create a qualcode project (qualcode.toml and a store) in DIRECTORY.

    The codebook (fully, rules included) and the roster are checked before anything is written;
    a missing or invalid file stops init with nothing created.

    \b
    Example:
      qualcode init --example my-study          # a small working study to edit
      qualcode init my-study --codebook codebook.yaml --roster roster.csv --coder alice
      qualcode init --store postgresql://team@dbhost/study     # a shared team project
    """
    from ..onboarding.example import create_example
    from ..onboarding.init import create

    settings = dict(name=name, store=store, coder=coder)
    if example:
        if codebooks or roster:
            raise click.UsageError("--example brings its own codebook and roster; leave out --codebook/--roster")
        project = create_example(directory, **settings)
    else:
        project = create(directory, codebooks=list(codebooks), roster=roster, link=link, **settings)
    info(f"created project {project.config.name!r} in {project.root}")
    for path in [*project.config.codebooks, project.config.roster]:
        if path:
            info(f"  {path}")
    click.echo(str(project.root / "qualcode.toml"))


@click.command("status")
@format_option
@pass_state
def status_cmd(state: State, fmt: str) -> None:
    """Summarise the project: transcripts, turns, codings by coder and status, open import warnings.

    \b
    Example:
      qualcode status
      qualcode status --format json
    """
    project = state.project()
    rows = project_status(project)
    emit(fmt, ["what", "count"], rows, title="Project")
    from ..store.speakers import list_warnings

    with project.connect() as conn:
        open_warnings = list_warnings(conn)
    for w in open_warnings:
        warn(f"{w.where}: {w.message}")
    if open_warnings:
        info("see 'qualcode transcripts show NAME'; resolve with 'qualcode speakers set-role' or "
             "'qualcode transcripts resolve NAME'")


@click.command("doctor")
@format_option
@pass_state
def doctor_cmd(state: State, fmt: str) -> None:
    """Check the project: codebook and rules, roster, groups, store, transcripts, speakers, import warnings, models.

    Changes nothing. Exits 1 when a check finds a problem (a command would fail or mislead);
    warnings are things to look at.

    \b
    Example:
      qualcode doctor
      qualcode doctor --format json
    """
    from ..errors import QualcodeError
    from ..onboarding.doctor import diagnose

    root, findings = diagnose(state.project_dir)
    emit(fmt, ["check", "result", "detail"], [f.as_dict() for f in findings], title=f"qualcode doctor: {root}")
    problems = [f for f in findings if f.result == "problem"]
    if problems:
        raise QualcodeError(f"{len(problems)} problem(s) in {root}: see the table above")
    info(f"no problems ({sum(f.result == 'warning' for f in findings)} warning(s))")


COMMANDS = [init_cmd, status_cmd, doctor_cmd]
