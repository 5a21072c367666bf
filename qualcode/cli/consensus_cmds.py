"""qualcode consensus [decide|import]: consensus between two coders (registered by team_cmds)."""
from __future__ import annotations

from pathlib import Path

import click

from ..team.consensus import build_consensus, decide, import_decisions
from ..team.disagreements import DISAGREEMENT_COLUMNS
from ..team.units import parse_statuses
from .common import State, emit, format_option, info, pass_state, warn
from .team_views import status_option, unit_option


@click.group("consensus", invoke_without_command=True)
@click.option("--coders", default=None, help="The two coders, e.g. analyst,coder-b (spans are copied from the first).")
@click.option("--as", "name", default=None, help="Name of the consensus coder to create or refresh.")
@unit_option
@status_option
@format_option
@click.pass_context
def consensus_group(ctx: click.Context, coders: str | None, name: str | None, unit: str, statuses: str, fmt: str) -> None:
    """Create the consensus coder from two coders' agreements and the decisions on their disagreements.

    Subcommands 'decide' and 'import' record decisions. Re-running rebuilds the consensus coder:
    the result is the same however often it runs. Undecided disagreements are listed.

    \b
    Example:
      qualcode consensus decide --coders analyst,coder-b yp-D3 11 yp-regular-engagements include
      qualcode consensus import meeting.xlsx --coders analyst,coder-b
      qualcode consensus --coders analyst,coder-b --as consensus
      qualcode report quotes --coder consensus
    """
    if ctx.invoked_subcommand is not None:
        return
    if not coders or not name:
        raise click.UsageError("give --coders A,B and --as NAME (or a subcommand: decide, import)")
    state = ctx.ensure_object(State)
    result = build_consensus(state.project(), coders, name, unit=unit, statuses=parse_statuses(statuses))
    for note in result.notes:
        info(note)
    if result.undecided:
        rows = [d.as_dict(result.coders) for d in result.undecided]
        emit(fmt, DISAGREEMENT_COLUMNS, rows, title="Undecided disagreements (not in the consensus)")
    info(f"consensus coder {name!r}: {result.agreed} agreed unit x code(s), {result.included} included, "
         f"{result.excluded} excluded by decision; codings {result.added} added, {result.removed} removed, "
         f"{result.kept} unchanged")
    if result.undecided:
        warn(f"{len(result.undecided)} disagreement(s) remain undecided: decide them with 'qualcode consensus decide' "
             "or 'consensus import', then run this again")
    else:
        info("no undecided disagreements remain")


@consensus_group.command("decide")
@click.option("--coders", required=True, help="The two coders, e.g. analyst,coder-b.")
@click.argument("transcript")
@click.argument("unit_idx", metavar="UNIT", type=int)
@click.argument("code")
@click.argument("decision", type=click.Choice(["include", "exclude"]))
@click.option("--note", default="", help="Why (kept with the decision).")
@click.option("--by", default=None, help="Who decided (default: the current coder).")
@unit_option
@status_option
@pass_state
def consensus_decide(state: State, coders: str, transcript: str, unit_idx: int, code: str, decision: str, note: str,
                     by: str | None, unit: str, statuses: str) -> None:
    """Record the decision on one disagreement: does CODE apply to UNIT of TRANSCRIPT?

    \b
    Example:
      qualcode consensus decide --coders analyst,coder-b yp-D3 11 yp-regular-engagements include --note "agreed in meeting"
    """
    project = state.project()
    d = decide(project, coders, transcript, unit_idx, code, decision, note=note, by=by or project.default_coder(),
               unit=unit, statuses=parse_statuses(statuses))
    info(f"recorded: {d.code} on {unit} {d.unit} of {d.transcript}: {decision}")


@consensus_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--coders", required=True, help="The two coders the sheet is for.")
@click.option("--by", default=None, help="Who decided (default: the current coder).")
@status_option
@pass_state
def consensus_import(state: State, file: Path, coders: str, by: str | None, statuses: str) -> None:
    """Read decisions from a filled-in disagreements sheet (.xlsx, .docx or .md), all or nothing.

    \b
    Example:
      qualcode consensus import meeting.xlsx --coders analyst,coder-b
    """
    project = state.project()
    result = import_decisions(project, file, coders, by=by or project.default_coder(), statuses=parse_statuses(statuses))
    info(f"{result.decided} decision(s) recorded, {result.undecided} row(s) left undecided ({result.unit} units)")
