"""Shared options and rendering for the team commands: agreement tables (with threshold highlighting)
and disagreements."""
from __future__ import annotations

import json

import click
from rich.table import Table
from rich.text import Text

from ..analysis.agreement import AgreementReport
from .common import out

unit_option = click.option("--unit", type=click.Choice(["turn", "sentence"]), default="turn", show_default=True,
                           help="Unit of comparison: participant turns, or sentences within them.")
status_option = click.option("--status", "statuses", default="accepted", show_default=True,
                             help="Codings that count as applying a code: accepted, or accepted,suggested.")


def fmt_num(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def flag(status: str, below_667: bool | None, below_800: bool | None) -> tuple[str, str]:
    """(text, style) for a statistic's row: never used / below 0.667 / below 0.800 / ok."""
    if status == "never used":
        return "never used", "dim"
    if status in ("always used", "no units", "no variation"):
        return status, "dim"
    if below_667:
        return "alpha < 0.667", "bold red"
    if below_800:
        return "alpha < 0.800", "yellow"
    return "ok", ""


def headline_lines(report: AgreementReport) -> list[Text]:
    """The single-label headline (nominal alpha, kappa, percent agreement) and why it leads."""
    single = report.single_label
    if single is None:
        return []
    kappa = "Cohen's kappa" if single.kappa_name == "cohen_kappa" else "Fleiss' kappa"
    on = "" if single.kappa_units == single.units else f" (on the {single.kappa_units} units every coder saw)"
    text, style = flag("ok" if single.krippendorff_alpha is not None else "no variation", single.below_0_667,
                       single.below_0_800)
    return [Text(f"Headline, single-label coding: nominal alpha {fmt_num(single.krippendorff_alpha)}, {kappa} "
                 f"{fmt_num(single.kappa)}{on}, agreement {fmt_num(single.percent_agreement, 1)} % over "
                 f"{single.units} units ({text})", style=style or "bold"),
            Text(f"Why: {report.headline_why}", style="dim")]


def agreement_tables(report: AgreementReport, labels: dict[str, str], title: str) -> None:
    for line in headline_lines(report):
        out.print(line)
    coders = [str(c) for c in report.coders]
    t = Table(title=title if report.single_label is None else f"{title}; per code, present/absent")
    for col in ["code", "label", "units", "% agree", "kappa", "alpha", *[f"used {c}" for c in coders], "flag"]:
        t.add_column(col, overflow="fold", justify="right" if col in ("units", "% agree", "kappa", "alpha") else "left")
    for r in report.codes:
        text, style = flag(r.status, r.below_0_667, r.below_0_800)
        cells = [r.code, labels.get(r.code, ""), str(r.units), fmt_num(r.percent_agreement, 1), fmt_num(r.cohen_kappa),
                 fmt_num(r.krippendorff_alpha), *[str(r.used.get(c, r.used.get(str(c), 0))) for c in report.coders], text]
        t.add_row(*[Text(c) for c in cells], style=style)
    out.print(t)
    if report.domains:
        d_table = Table(title="Per domain (nominal alpha over the domain's codes and '(none)')")
        for col in ["domain", "label", "units", "skipped", "% agree", "alpha", "flag"]:
            d_table.add_column(col, overflow="fold")
        for d in report.domains:
            text, style = flag(d.status, d.below_0_667, d.below_0_800)
            d_table.add_row(*[Text(c) for c in (d.domain, labels.get(d.domain, ""), str(d.units), str(d.units_skipped),
                                                fmt_num(d.percent_agreement, 1), fmt_num(d.krippendorff_alpha), text)],
                            style=style)
        out.print(d_table)
    o = report.overall
    text, style = flag("ok" if o.mean_code_alpha is not None else "no units", o.below_0_667, o.below_0_800)
    lines = [
        Text(f"Overall: mean code alpha {fmt_num(o.mean_code_alpha)} over {o.codes_in_mean} code(s) ({text})"
             + ("" if report.single_label else f"; the headline, because {report.headline_why}"), style=style),
        Text(f"Pooled over {o.decisions} unit x code decisions: alpha {fmt_num(o.pooled_alpha)}, "
             f"kappa {fmt_num(o.pooled_cohen_kappa)}, agreement {fmt_num(o.pooled_percent_agreement, 1)} %"),
        Text(f"Units: {report.units} compared (seen by two or more coders), {report.units_single_coder} seen by one only"),
    ]
    if report.krippendorff_alpha_nominal is not None:
        lines.append(Text(f"Nominal alpha over code values: {fmt_num(report.krippendorff_alpha_nominal)}"))
    elif report.nominal_note:
        lines.append(Text(f"Nominal alpha over code values: {report.nominal_note}"))
    if report.ignored_codes:
        lines.append(Text(f"Codes applied but not analysed: {', '.join(report.ignored_codes)}"))
    lines.append(Text(f"Pooling: {o.pooled_method}", style="dim"))
    for line in lines:
        out.print(line)


def disagreements_table(items: list, coders: tuple[str, str], unit: str) -> None:
    a, b = coders
    t = Table(title=f"Disagreements: {a} vs {b} ({len(items)})", show_lines=True)
    for col in ["code", "transcript", "participant", unit, "text", f"codes by {a}", f"codes by {b}", "applied by",
                "decision", "note"]:
        t.add_column(col, overflow="fold")
    for d in items:
        t.add_row(*[Text(str(v)) for v in (d.code, d.transcript, d.participant, d.unit, d.text, ", ".join(d.codes_a),
                                           ", ".join(d.codes_b), d.applied_by, d.decision, d.note)])
    out.print(t)


def echo_json(data) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))
