"""qualcode coders / sample / blind / agreement / disagreements / consensus: team coding."""
from __future__ import annotations

import io
import json
from pathlib import Path

import click

from ..cells import csv_dict_writer
from ..analysis.agreement import compute_agreement, read_codings_csv, report_to_dict
from ..coding.blind import blind_status, set_blind
from ..team.disagreements import DISAGREEMENT_COLUMNS, find_disagreements
from ..team.project_agreement import AGREEMENT_COLUMNS, agreement_dict, agreement_rows, project_agreement
from ..team.sample import draw_sample, sample_info, set_sample
from ..team.sheets import write_markdown, write_sheet
from ..team.units import coder_rows, parse_statuses
from .common import OutputPath, State, emit, format_option, info, pass_state, warn
from .team_views import agreement_tables, disagreements_table, echo_json, status_option, unit_option


def _serialise(fmt: str, columns: list[str], rows: list[dict]) -> str:
    if fmt == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    buf = io.StringIO()
    writer = csv_dict_writer(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def _split(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


# ------------------------------------------------------------------ coders

@click.group("coders")
def coders_group() -> None:
    """The project's coders and their codings."""


@coders_group.command("list")
@click.option("--coder", default=None, help="Only this coder.")
@format_option
@pass_state
def coders_list(state: State, coder: str | None, fmt: str) -> None:
    """List coders with their number of codings per status.

    \b
    Example:
      qualcode coders list
      qualcode coders list --format json
    """
    with state.project().engine.connect() as conn:
        data = coder_rows(conn, coder)
    emit(fmt, ["coder", "kind", "suggested", "accepted", "rejected", "total"], data, title="Coders")


# ------------------------------------------------------------------ sample

@click.group("sample", invoke_without_command=True)
@click.option("--fraction", type=click.FloatRange(0, 1, min_open=True), default=None,
              help="Share of transcripts to double-code (0.1-0.25 recommended).")
@click.option("--stratify", default=None, help="Stratify by 'group' or a roster column (e.g. site): at least one per stratum.")
@click.option("--seed", type=int, default=None, help="Random seed (default: a new one, recorded and printed).")
@click.option("--transcripts", "names", default=None,
              help="Record these transcripts (comma-separated names) as the sample instead of drawing one.")
@click.option("--replace", is_flag=True, help="Replace an existing sample that differs.")
@format_option
@click.pass_context
def sample_group(ctx: click.Context, fraction: float | None, stratify: str | None, seed: int | None,
                 names: str | None, replace: bool, fmt: str) -> None:
    """Pick transcripts for double-coding and record them in the project.

    The same seed and fraction always pick the same transcripts. A draw that differs from the
    recorded sample needs --replace. 'qualcode sample show' lists the sample. --transcripts records
    transcripts already chosen for double-coding instead.

    \b
    Example:
      qualcode sample --fraction 0.2 --stratify group --seed 7
      qualcode sample --transcripts yp-D3,yp-D1,yp-C3,lc-B1,lc-R2
      qualcode sample show
    """
    if ctx.invoked_subcommand is not None:
        return
    if fraction is None and not names:
        raise click.UsageError("give --fraction (e.g. 0.2) to draw a sample, or run 'qualcode sample show'")
    if fraction is not None and names:
        raise click.UsageError("give --fraction or --transcripts, not both")
    state = ctx.ensure_object(State)
    if names:
        result = set_sample(state.project(), _split(names) or [], replace=replace)
    else:
        result = draw_sample(state.project(), fraction, stratify=stratify, seed=seed, replace=replace)
    for w in result.warnings:
        warn(w)
    data = [dict(transcript=t.name, group=t.grp, participant=t.participant_label) for t in result.chosen]
    emit(fmt, ["transcript", "group", "participant"], data, title="Double-coding sample")
    strata = ", ".join(f"{k}: {n} of {total}" for k, (total, n) in result.strata.items()) if stratify else ""
    verb = "sample unchanged" if not result.changed else "sample recorded"
    how = f"seed {result.seed}, fraction {result.fraction:g}" if not names else "chosen by name"
    info(f"{verb}: {len(result.chosen)} of {result.total} transcripts ({how}" + (f"; {strata}" if strata else "") + ")")


@sample_group.command("show")
@format_option
@pass_state
def sample_show(state: State, fmt: str) -> None:
    """List the recorded double-coding sample with the coders who have coded each transcript.

    \b
    Example:
      qualcode sample show --format csv
    """
    s = sample_info(state.project())
    if not s.rows:
        info("no sample drawn yet: run 'qualcode sample --fraction 0.2'")
    emit(fmt, ["transcript", "group", "participant", "coders"], s.rows, title="Double-coding sample")
    if s.rows:
        how = f"seed {s.seed}, fraction {s.fraction:g}" if s.seed is not None else "chosen by name"
        info(how + (f", stratified by {s.stratify}" if s.stratify else "") + f", recorded {s.created_at}")


# ------------------------------------------------------------------ blind mode

@click.command("blind")
@click.argument("action", type=click.Choice(["on", "off", "status"]), default="status")
@format_option
@pass_state
def blind_cmd(state: State, action: str, fmt: str) -> None:
    """Turn blind mode on or off, or show it: while on, coders see only their own codings.

    Blind mode lasts until 'qualcode agreement' runs on the project; then views show everything.

    \b
    Example:
      qualcode blind on
      qualcode blind status
    """
    project = state.project()
    status = set_blind(project, action == "on") if action in ("on", "off") else blind_status(project)
    if fmt != "table":
        emit(fmt, ["blind", "since", "agreement_computed_at", "hiding"], [status.as_dict()])
        return
    if status.hiding:
        click.echo("blind mode: on (each coder sees only their own codings until 'qualcode agreement' runs)")
    elif status.on:
        click.echo(f"blind mode: on, but agreement was computed at {status.agreement_computed_at}: views show everything")
    else:
        click.echo("blind mode: off")


# ------------------------------------------------------------------ agreement

@click.command("agreement")
@click.option("--coders", default=None, help="Coders to compare, comma-separated (default: every coder).")
@unit_option
@click.option("--codes", default=None, help="Only these code (or domain) ids, comma-separated.")
@click.option("--group", default=None, help="Only transcripts of this participant group.")
@status_option
@click.option("--codings", "codings_csv", type=click.Path(path_type=Path), default=None,
              help="Compute from a unit,coder,code CSV instead of the project.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@pass_state
def agreement_cmd(state: State, coders: str | None, unit: str, codes: str | None, group: str | None, statuses: str,
                  codings_csv: Path | None, fmt: str) -> None:
    """Inter-coder agreement per code: percent agreement, Cohen's kappa, Krippendorff's alpha.

    Uses the double-coding sample (or, without one, the transcripts two or more coders coded).
    Alpha below 0.667 (red) or 0.800 (yellow) is flagged. See docs/methods.md and docs/team.md.

    \b
    Example:
      qualcode agreement --coders analyst,coder-b
      qualcode agreement --group young-person --unit sentence --format json
      qualcode agreement --codings double-coded.csv
    """
    if codings_csv is not None:
        report = compute_agreement(read_codings_csv(codings_csv), codes=_split(codes), coders=_split(coders))
        labels, title, data = {}, f"Agreement ({codings_csv.name})", report_to_dict(report)
    else:
        result = project_agreement(state.project(), coders=_split(coders), unit=unit, codes=_split(codes),
                                   statuses=parse_statuses(statuses), group=group)
        for note in result.notes:
            info(note)
        report, labels, data = result.report, result.labels, agreement_dict(result)
        title = (f"Agreement: {', '.join(result.comparison.coders)} on {len(result.comparison.transcripts)} "
                 f"transcript(s), unit {unit}")
    if fmt == "json":
        echo_json(data)
    elif fmt == "csv":
        emit("csv", AGREEMENT_COLUMNS, agreement_rows(report, labels))
    else:
        agreement_tables(report, labels, title)


# ------------------------------------------------------------------ disagreements

@click.command("disagreements")
@click.option("--coders", required=True, help="The two coders, e.g. analyst,coder-b.")
@unit_option
@status_option
@click.option("--codes", default=None, help="Only these code ids, comma-separated.")
@click.option("--group", default=None, help="Only transcripts of this participant group.")
@click.option("--format", "fmt", type=click.Choice(["table", "md", "docx", "xlsx", "json", "csv"]), default=None,
              help="Output format (default: from -o's suffix, else table).")
@click.option("-o", "--output", type=OutputPath(), default=None, help="Write to FILE.")
@pass_state
def disagreements_cmd(state: State, coders: str, unit: str, statuses: str, codes: str | None, group: str | None,
                      fmt: str | None, output: Path | None) -> None:
    """List units where exactly one of two coders applied a code, for the consensus meeting.

    The sheet has empty Decision (include/exclude) and Note columns; fill them in and read them
    back with 'qualcode consensus import'.

    \b
    Example:
      qualcode disagreements --coders analyst,coder-b -o meeting.xlsx
      qualcode disagreements --coders analyst,coder-b --format md
    """
    result = find_disagreements(state.project(), coders, unit=unit, statuses=parse_statuses(statuses), group=group)
    if codes:
        wanted = set(_split(codes) or [])
        result.items = [d for d in result.items if d.code in wanted]
    for note in result.notes:
        info(note)
    fmt = fmt or ({".xlsx": "xlsx", ".docx": "docx", ".md": "md"}.get(output.suffix.lower(), "table")
                  if output else "table")
    if fmt in ("docx", "xlsx") and output is None:
        raise click.UsageError(f"--format {fmt} needs -o FILE.{fmt}")
    if fmt in ("docx", "xlsx", "md") and output is not None:
        written = output.with_suffix(f".{fmt}") if output.suffix.lower() != f".{fmt}" else output
        write_sheet(result, written, paper=state.project().config.paper)
        click.echo(str(written))
    elif fmt == "md":
        click.echo(write_markdown(result), nl=False)
    elif fmt in ("json", "csv"):
        rows = [d.as_dict(result.coders) for d in result.items]
        if output is not None:
            output.write_text(_serialise(fmt, DISAGREEMENT_COLUMNS, rows), encoding="utf-8")
            click.echo(str(output))
        else:
            emit(fmt, DISAGREEMENT_COLUMNS, rows)
    else:
        disagreements_table(result.items, result.coders, unit)
    info(f"{len(result.items)} disagreement(s), {len(result.undecided())} undecided; "
         f"{len(result.agreed)} unit x code agreement(s)")


from .consensus_cmds import consensus_group  # noqa: E402

COMMANDS = [coders_group, sample_group, blind_cmd, agreement_cmd, disagreements_cmd, consensus_group]
