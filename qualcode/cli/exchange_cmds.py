"""qualcode export codings | refi | codebook, and `qualcode import refi FILE.qdpx`."""
from __future__ import annotations

from pathlib import Path

import click

from ..codebook import load_codebook
from ..coding.csv_exchange import export_codings_csv
from ..exchange.qdc import write_qdc
from ..exchange.refi_export import DEFAULT_STATUSES, export_refi
from ..exchange.refi_import import import_refi as import_refi_file
from ..exchange.refi_targets import TARGETS
from ..store.codings import STATUSES
from .common import OutputPath, State, info, pass_state, refuse_same, table, warn


@click.group("export")
def export_group() -> None:
    """Export codings and projects for other tools."""


@export_group.command("codings")
@click.option("-o", "--output", type=OutputPath(), required=True, help="CSV file to write.")
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


@export_group.command("refi")
@click.option("-o", "--output", type=OutputPath(), required=True,
              help="The .qdpx file to write.")
@click.option("--status", "statuses", type=click.Choice(list(STATUSES)), multiple=True,
              help="Export codings with this status (repeat for several). Default: accepted and suggested.")
@click.option("--for", "target", type=click.Choice(list(TARGETS)), default="generic", show_default=True,
              help="The program that will read the file: unique readable code and case names, memos also "
                   "inside the coded passage, UTF-16 positions for NVivo (see docs/exchange.md).")
@pass_state
def export_refi_cmd(state: State, output: Path, statuses: tuple[str, ...], target: str) -> None:
    """Write the project as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA or QualCoder.

    Transcripts, the codebook, codings (with their coders), participants (as cases with
    variables) and memos. Other programs have no suggested/rejected status: accepted and
    suggested codings are exported, rejected ones are not, unless --status says otherwise.
    Every export is checked against Project.xsd and for GUIDs, references and positions.

    \b
    Example:
      qualcode export refi -o study.qdpx
      qualcode export refi -o for-qualcoder.qdpx --for qualcoder
      qualcode export refi -o accepted-only.qdpx --status accepted
    """
    if output.suffix.lower() != ".qdpx":
        warn(f"{output}: other programs look for the .qdpx extension")
    result = export_refi(state.project(), output, statuses=tuple(statuses) or DEFAULT_STATUSES, target=target)
    info(f"{result.transcripts} transcripts, {result.codes} codes, {result.codings} codings, "
         f"{result.participants} participants, {result.notes} memos")
    for status, n in sorted(result.left_out.items()):
        info(f"{n} {status} coding(s) not exported (use --status {status} to include them)")
    click.echo(str(output))


@export_group.command("codebook")
@click.option("--format", "fmt", type=click.Choice(["qdc"]), default="qdc", show_default=True,
              help="qdc: REFI-QDA codebook, read by NVivo, ATLAS.ti, MAXQDA, QualCoder.")
@click.option("-o", "--output", type=OutputPath(), required=True, help="File to write.")
@click.option("--codebook", "codebook_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="A YAML codebook (default: the project's).")
@pass_state
def export_codebook_cmd(state: State, fmt: str, output: Path, codebook_file: Path | None) -> None:
    """Write the codebook in an exchange format (REFI-QDA .qdc).

    Codes keep their hierarchy, colours, and a description made of the definition, when to use,
    when not to use and examples.

    \b
    Example:
      qualcode export codebook --format qdc -o working-alliance.qdc
    """
    refuse_same(output, codebook_file)
    book = load_codebook(codebook_file) if codebook_file else state.project().codebook()
    count = write_qdc(book, output)
    info(f"wrote {count} codes as a REFI-QDA codebook")
    click.echo(str(output))


@click.command("refi")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--positions", type=click.Choice(["codepoints", "utf16", "utf16-crlf"]), default=None,
              help="Overrule the unit the file's selection positions count in (default: decided from the "
                   "file's origin and checked on the text; NVivo counts utf16-crlf).")
@pass_state
def import_refi_cmd(state: State, file: Path, positions: str | None) -> None:
    """Import a REFI-QDA project (.qdpx from NVivo, ATLAS.ti, MAXQDA, QualCoder...), all or nothing.

    Text sources become transcripts, the CodeBook a YAML codebook (or is matched to the project's
    codebook), codings keep their coders, cases become participants and notes memos. The unit of
    the selection positions is decided from the file's origin and checked by how many codings
    start and end on word boundaries under each reading; the choice and its evidence are printed,
    with a warning when unclear.

    \b
    Example:
      qualcode import refi nvivo-project.qdpx
      qualcode import refi old-export.qdpx --positions codepoints
    """
    report = import_refi_file(state.project(), file, positions=positions)
    for note in report.notes:
        warn(note)
    if report.positions is not None:
        info(report.positions.describe())
    table(["what", "count"], [
        ["transcripts imported", len(report.transcripts_new)],
        ["transcripts already present", len(report.transcripts_present)],
        ["codes", report.codes],
        ["codings read", report.codings_read],
        ["codings new", report.codings_new],
        ["participants", report.participants],
        ["memos", report.memos],
        ["codings with a memo", report.coding_memos],
        ["code groups", report.sets],
    ], title=f"Imported {file.name}" + (f" (from {report.origin})" if report.origin else ""))
    if report.codebook_written:
        info(f"wrote the codebook {report.codebook_written} and added it to qualcode.toml")


COMMANDS = [export_group]
