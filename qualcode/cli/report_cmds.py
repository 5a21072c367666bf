"""qualcode report quotes|matrix|frequencies|cooccurrence|figures and qualcode summary set."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import QualcodeError
from ..reports.service import (cooccurrence_report, figures_report, frequencies_report, matrix_report,
                               quotes_report, set_participant_summary)
from .common import OutputPath, State, emit, info, pass_state, refuse_same, warn


@click.group("report")
def report_group() -> None:
    """Quote tables (Table 3/4), framework matrix, frequencies, co-occurrence and figures."""


@report_group.command("quotes")
@click.option("--group", default=None, help="Participant group (e.g. young-person).")
@click.option("--codebook", "codebook_path", type=click.Path(path_type=Path), default=None, help="Codebook YAML (default: the project's).")
@click.option("--domain", "domains", multiple=True, help="Only this domain (id or label). Repeatable.")
@click.option("--max-quotes", type=click.IntRange(min=1), default=None, help="At most N quotes per subtheme.")
@click.option("--include-suggested", is_flag=True, help="Add engine suggestions not yet accepted (marked).")
@click.option("--coder", default=None, help="Only this coder's codings (e.g. the consensus coder).")
@click.option("--format", "fmt", type=click.Choice(["docx", "md", "csv", "xlsx", "html"]), default=None,
              help="Output format (default: from the file suffix).")
@click.option("--title", default=None, help="Caption title, e.g. 'Table 3' (default: qualcode.toml [groups.G] title).")
@click.option("--subtitle", default=None, help="Caption subtitle, e.g. \"Young person's views\".")
@click.option("--landscape", is_flag=True, help="Landscape pages (Word).")
@click.option("--reference-docx", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Use this Word file's styles (house style).")
@click.option("--tidy", is_flag=True,
              help="Drop hesitation fillers (um, uhm, er, hmm) at the ends of quotes, marked [...]. Default: verbatim.")
@click.option("-o", "--output", type=OutputPath(), required=True)
@pass_state
def quotes_cmd(state: State, group, codebook_path, domains, max_quotes, include_suggested, coder, fmt, title, subtitle,
               landscape, reference_docx, tidy, output) -> None:
    """Write the Domain | Subtheme | Verbatim quote(s) table (the paper's Table 3 / Table 4).

    Accepted codings only (exemplars first), in codebook order; a subtheme without a quote keeps
    an empty row and a warning. Quotes are verbatim, with "..." only where the coded span cuts a
    sentence; --tidy is the explicit choice to drop edge fillers (each removal marked [...]).

    \b
    Example:
      qualcode report quotes --group young-person -o out/table3.docx
      qualcode report quotes --group clinician --max-quotes 2 --format xlsx -o table4.xlsx
    """
    refuse_same(output, reference_docx, codebook_path)
    fmt = fmt or (output.suffix.lstrip(".").lower() or "docx")
    if fmt not in ("docx", "md", "csv", "xlsx", "html"):
        raise click.BadParameter(f"cannot tell the format from {output.name!r}; use --format", param_hint="--format")
    result = quotes_report(state.project(), output, fmt=fmt, group=group, codebook_path=codebook_path,
                           domains=list(domains), max_quotes=max_quotes, include_suggested=include_suggested,
                           coder=coder, title=title, subtitle=subtitle, landscape=landscape,
                           reference_docx=reference_docx, tidy=tidy)
    for w in result.warnings:
        warn(w)
    info(f"{result.quotes} quote(s) in {result.rows} subtheme row(s)")
    click.echo(str(output))


@report_group.command("matrix")
@click.option("--group", default=None)
@click.option("--coder", default=None, help="Only this coder's codings.")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "docx", "csv"]), default=None)
@click.option("-o", "--output", type=OutputPath(), required=True)
@pass_state
def matrix_cmd(state: State, group, coder, fmt, output) -> None:
    """Write the Framework Method chart: participants x codes, each cell the summary and quote references.

    Set a cell's summary with 'qualcode summary set PARTICIPANT CODE "text"'.

    \b
    Example:
      qualcode report matrix --group young-person -o out/framework.xlsx
    """
    fmt = fmt or output.suffix.lstrip(".").lower()
    if fmt not in ("xlsx", "docx", "csv"):
        raise click.BadParameter("use --format xlsx, docx or csv", param_hint="--format")
    n = matrix_report(state.project(), output, fmt=fmt, group=group, coder=coder)
    info(f"{n} participant row(s)")
    click.echo(str(output))


@report_group.command("frequencies")
@click.option("--by", default="group", show_default=True, help="group, role or any roster attribute (e.g. gender).")
@click.option("--group", default=None, help="Only this participant group.")
@click.option("--coder", default=None, help="Only this coder's codings.")
@click.option("--include-suggested", is_flag=True, help="Count suggestions too.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "xlsx"]), default="table", show_default=True)
@click.option("-o", "--output", type=OutputPath(), default=None, help="File for xlsx.")
@pass_state
def frequencies_cmd(state: State, by, group, coder, include_suggested, fmt, output) -> None:
    """Per code: coded segments and participants, with the percentage of participants of each group.

    \b
    Example:
      qualcode report frequencies --by group
      qualcode report frequencies --by gender --format csv
    """
    rows, columns = frequencies_report(state.project(), by=by, group=group, coder=coder,
                                       include_suggested=include_suggested)
    _emit_or_write(fmt, columns, rows, output, "Code frequencies", state)


@report_group.command("cooccurrence")
@click.option("--group", default=None)
@click.option("--coder", default=None)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "xlsx"]), default="table", show_default=True)
@click.option("-o", "--output", type=OutputPath(), default=None, help="File for xlsx.")
@pass_state
def cooccurrence_cmd(state: State, group, coder, fmt, output) -> None:
    """Code x code co-occurrence: segments coded with both, and the c-coefficient n12/(n1+n2-n12).

    \b
    Example:
      qualcode report cooccurrence --format csv
    """
    rows, columns = cooccurrence_report(state.project(), group=group, coder=coder)
    _emit_or_write(fmt, columns, rows, output, "Co-occurrence (pairs coded together at least once)", state)


@report_group.command("figures")
@click.option("--group", default=None)
@click.option("--coder", default=None)
@click.option("--format", "fmt", type=click.Choice(["png", "svg"]), default="png", show_default=True)
@click.option("-o", "--output-dir", type=OutputPath(file_okay=False, dir_okay=True), default=Path("out"), show_default=True)
@pass_state
def figures_cmd(state: State, group, coder, fmt, output_dir) -> None:
    """Heatmaps ready for a slide: codes x participants, and code co-occurrence.

    \b
    Example:
      qualcode report figures --group young-person --format svg -o out/figures
    """
    for path in figures_report(state.project(), output_dir, fmt=fmt, group=group, coder=coder):
        click.echo(str(path))


def _emit_or_write(fmt: str, columns: list[str], rows: list[dict], output: Path | None, title: str,
                   state: State) -> None:
    if fmt == "xlsx":
        if output is None:
            raise QualcodeError("--format xlsx needs -o FILE.xlsx")
        from ..xlsx_layout import save_table
        save_table(output, columns, [[r.get(c) for c in columns] for r in rows], sheet_title=title.split(" (")[0],
                   paper=state.project().config.paper, landscape=False)
        click.echo(str(output))
        return
    emit(fmt, columns, rows, title=title)


@click.group("summary")
def summary_group() -> None:
    """Framework-matrix summaries: one per participant and code."""


@summary_group.command("set")
@click.argument("participant")
@click.argument("code")
@click.argument("text")
@click.option("--group", default=None, help="The participant's group (needed when the id exists in two groups).")
@click.option("--coder", default=None, help="Author of the summary.")
@pass_state
def summary_set_cmd(state: State, participant, code, text, group, coder) -> None:
    """Set the summary for PARTICIPANT and CODE (shown in 'report matrix').

    \b
    Example:
      qualcode summary set D3 yp-conducive-environment "Wants a private room; overheard others" --group young-person
    """
    project = state.project()
    set_participant_summary(project, participant, code, text, group=group, author=coder or project.default_coder())
    info(f"summary set for {participant} / {code}")


COMMANDS = [report_group, summary_group]
