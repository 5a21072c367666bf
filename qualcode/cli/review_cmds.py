"""qualcode review (the terminal app) and qualcode review-pack export|import|conflicts|settle."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.text import Text

from ..errors import ExchangeError
from .common import OutputPath, State, emit, err, format_option, info, pass_state, table, warn


@click.command("review")
@click.option("--code", default=None, help="Only codings of this code (a domain id means all its codes).")
@click.option("--group", default=None, help="Only this participant group.")
@click.option("--participant", default=None, help="Only this participant id.")
@click.option("--status", default="suggested", show_default=True,
              help="Statuses in the queue, comma-separated (suggested, accepted, rejected) or 'all'.")
@click.option("--coder", default=None, help="Only codings by this coder.")
@click.option("--as", "reviewer", default=None,
              help="Who is reviewing (default: QUALCODE_CODER, then qualcode.toml's coder). In blind mode you see "
                   "only your own codings and the engine's suggestions.")
@click.option("--order", type=click.Choice(["position", "uncertainty"]), default="position", show_default=True,
              help="position: reading order; uncertainty: the codings the learned model is least sure of "
                   "(confidence nearest 0.5) first, the decisions that teach it most. Key s switches in the app.")
@pass_state
def review_cmd(state: State, code: str | None, group: str | None, participant: str | None, status: str,
               coder: str | None, reviewer: str | None, order: str) -> None:
    """Review and code transcripts in a full-screen terminal app (keyboard-first).

    n/p next/previous coding, a accept, r reject, c change code, m code the chosen turn, e exemplar,
    o memo, f filter, / search, s order, u undo, ? help, q quit. Every change is saved at once.

    \b
    Example:
      qualcode review --group young-person
      qualcode review --code yp-bond --status all
      qualcode review --order uncertainty
    """
    from ..review.app import ReviewApp
    from ..review.view_model import ReviewFilter, parse_status

    flt = ReviewFilter(code=code, group=group, participant=participant, status=parse_status(status), coder=coder)
    app = ReviewApp(state.project(), flt, by=reviewer, order=order)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise click.ClickException("qualcode review needs an interactive terminal "
                                   "(for scripts use 'qualcode code accept', 'qualcode code reject' or the review packs)")
    app.run()


@click.group("review-pack")
def pack_group() -> None:
    """Word/Excel review packs for co-facilitators: export quotes, import their decisions."""


@pack_group.command("export")
@click.option("--group", default=None, help="Only quotes from this participant group.")
@click.option("--domain", "domains", multiple=True, help="Only this domain (repeat for several).")
@click.option("--status", default="suggested,accepted", show_default=True,
              help="Statuses of the codings to include, comma-separated.")
@click.option("--coder", default=None, help="Only codings by this coder.")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "docx"]), default=None,
              help="Pack format (default: from the file name).")
@click.option("-o", "--output", type=OutputPath(), required=True,
              help="File to write.")
@pass_state
def export_cmd(state: State, group: str | None, domains: tuple[str, ...], status: str, coder: str | None,
               fmt: str | None, output: Path) -> None:
    """Write a review pack (xlsx or docx) of candidate quotes per domain and subtheme.

    Reviewers fill in Decision (keep / drop / best), Move to (xlsx) and Comment, then send it back
    for 'qualcode review-pack import'.

    \b
    Example:
      qualcode review-pack export --group young-person --format xlsx -o review-yp.xlsx
      qualcode review-pack export --domain yp-bond --status suggested -o bond.docx
    """
    from ..review.pack_export import export_pack
    from ..review.view_model import parse_status

    fmt = fmt or output.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "docx"):
        raise click.UsageError("say --format xlsx or --format docx (or name the file .xlsx or .docx)")
    statuses = parse_status(status)
    count, skipped = export_pack(state.project(), output, fmt, group=group, domains=list(domains) or None,
                                 statuses=statuses, coder=coder)
    if skipped:
        warn(f"{skipped} coding(s) left out: their code is not in the codebook")
    info(f"{count} quotes written")
    click.echo(str(output))


def _render_result(result, fmt: str) -> None:
    for w in result.warnings:
        warn(w)
    if fmt == "json":
        click.echo(json.dumps({"changes": result.changes, "conflicts": result.conflicts}, indent=2, ensure_ascii=False))
        return
    if fmt == "csv":
        rows = [dict(kind="change", **c) for c in result.changes] + \
               [dict(kind="conflict", quote=c["quote"], subtheme=c["subtheme"], change=c["decisions"], reviewer="")
                for c in result.conflicts]
        emit("csv", ["kind", "quote", "subtheme", "change", "reviewer"], rows)
        return
    if result.changes:
        table(["quote", "subtheme", "change", "reviewer"],
              ([c["quote"], c["subtheme"], c["change"], c["reviewer"]] for c in result.changes), title="Changes")
    if result.conflicts:
        table(["quote", "subtheme", "text", "decisions"],
              ([c["quote"], c["subtheme"], c["text"], c["decisions"]] for c in result.conflicts),
              title="Conflicts (not applied)")


@pack_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--reviewer", required=True, help="Who filled in the pack (recorded with each decision and comment).")
@click.option("--prefer", default=None, help="When reviewers disagree on a quote, apply this reviewer's decision.")
@format_option
@pass_state
def import_cmd(state: State, file: Path, reviewer: str, prefer: str | None, fmt: str) -> None:
    """Apply a reviewer's decisions: drop -> rejected, keep -> accepted, best -> exemplar + accepted.

    "Move to" recodes to that subtheme; comments become memos. All rows are checked first: a
    decision that cannot be read or a quote that no longer matches the project stops the import
    (the rows are listed, nothing is changed). Importing the same pack again changes nothing.
    A decision that differs from another reviewer's is listed as a conflict and not applied:
    settle it with --prefer NAME or 'qualcode review-pack settle'.

    \b
    Example:
      qualcode review-pack import review-yp-sarah.xlsx --reviewer sarah
      qualcode review-pack import review-yp-tom.docx --reviewer tom --prefer sarah
    """
    from ..review.pack_import import import_pack

    try:
        result = import_pack(state.project(), file, reviewer, prefer=prefer)
    except ExchangeError as exc:
        for problem in exc.problems:
            err.print(Text(str(problem)))
        err.print(Text(f"error: {exc.message}"))
        raise click.exceptions.Exit(exc.exit_code) from None
    _render_result(result, fmt)
    info(f"{result.rows} row(s) read: {len(result.changes)} change(s), {len(result.conflicts)} conflict(s)")
    if result.conflicts:
        info("conflicting decisions were not applied: settle them with "
             "'qualcode review-pack settle --prefer NAME' (see 'qualcode review-pack conflicts')")


@pack_group.command("conflicts")
@format_option
@pass_state
def conflicts_cmd(state: State, fmt: str) -> None:
    """List quotes on which reviewers' decisions conflict (not applied yet).

    \b
    Example:
      qualcode review-pack conflicts --format csv
    """
    from ..review.pack_conflicts import list_conflicts

    rows = list_conflicts(state.project())
    emit(fmt, ["quote", "subtheme", "text", "decisions"], rows, title="Conflicts")
    if fmt == "table" and not rows:
        info("no open conflicts")


@pack_group.command("settle")
@click.argument("quotes", nargs=-1)
@click.option("--prefer", required=True, help="Apply this reviewer's decision.")
@format_option
@pass_state
def settle_cmd(state: State, quotes: tuple[str, ...], prefer: str, fmt: str) -> None:
    """Settle conflicting decisions by applying one reviewer's (all open conflicts, or QUOTES).

    \b
    Example:
      qualcode review-pack settle --prefer sarah
      qualcode review-pack settle Q12 Q40 --prefer tom
    """
    from ..review.pack_conflicts import settle_conflicts

    result = settle_conflicts(state.project(), prefer, list(quotes) or None)
    _render_result(result, fmt)
    info(f"{len(result.changes)} change(s)")


COMMANDS = [review_cmd, pack_group]
