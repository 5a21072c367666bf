"""What a coding command changed, one line per coding: id, who said it, code and label, the text.

Printed on stdout after every change (accept, reject, edit, remove, add) so that a wrong id or filter
shows at once: ``accepted 150  yp-D2 (Respondent D2)  yp-gender "Gender"  "I think an older lady..."``.
"""
from __future__ import annotations

import click

SHOWN = 20
TEXT_WIDTH = 70


def short(text: str, width: int = TEXT_WIDTH) -> str:
    """The text on one line, cut at ``width`` characters with '...' (the stored quote is untouched)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 3].rstrip() + "..."


def labels(project) -> dict[str, str]:
    from ..errors import QualcodeError

    try:
        return {c.id: c.label for c in project.codebook().walk()}
    except QualcodeError:  # the change is made; a broken codebook only costs the labels here
        return {}


def describe(row, names: dict[str, str], code_id: str | None = None) -> str:
    code = code_id or row.code_id
    label = names.get(code)
    who = f" ({row.attribution})" if row.attribution else ""
    return (f"{row.transcript}{who}  {code}" + (f' "{label}"' if label else " (not in the codebook)")
            + f'  "{short(row.snippet)}"')


def show_changed(project, rows, verb: str, before: dict[int, str] | None = None) -> None:
    """One line per changed coding (the first SHOWN), then how many in all."""
    names = labels(project)
    for row in rows[:SHOWN]:
        was = f" (was {before[row.id]})" if before and before.get(row.id) else ""
        click.echo(f"{verb} {row.id}{was}  {describe(row, names)}")
    if len(rows) > SHOWN:
        click.echo(f"... and {len(rows) - SHOWN} more")
