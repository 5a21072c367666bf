"""``make demo``: run the main job on the bundled working-alliance study.

Runs the same commands a user would type, at the repository root (itself a qualcode project),
and ends by writing the paper's Table 3 and Table 4 to ``out/``.
"""
from __future__ import annotations

import glob
import os
import shlex
import sys
from pathlib import Path

import click

from .cli import cli

ROOT = Path(__file__).resolve().parent.parent


def steps() -> list[list[str]]:
    transcripts = sorted(f for ext in ("txt", "docx", "vtt") for f in glob.glob(f"transcripts/*.{ext}"))
    return [
        ["codebook", "check", "codebooks/working-alliance.yaml"],
        ["import", *transcripts, "--participants", "transcripts/roster.csv"],
        ["import-codings", "transcripts/codings.csv"],
        ["autocode"],
        ["status"],
        ["report", "frequencies", "--by", "group"],
        ["report", "quotes", "--group", "young-person", "-o", "out/table3.docx"],
        ["report", "quotes", "--group", "clinician", "-o", "out/table4.docx"],
    ]


def run() -> int:
    os.chdir(ROOT)
    Path("out").mkdir(exist_ok=True)
    for args in steps():
        shown = args if len(args) < 12 else [*args[:3], "...", f"({len(args) - 3} more)"]
        click.secho(f"$ qualcode {shlex.join(shown)}", fg="cyan", err=True)
        try:
            cli.main(args, prog_name="qualcode", standalone_mode=False)
        except click.exceptions.Exit as exc:
            if exc.exit_code:
                return exc.exit_code
        except click.ClickException as exc:
            exc.show()
            return exc.exit_code
    click.echo("\nThe bundled study's quote tables (the paper's Table 3 and Table 4):")
    for name in ("out/table3.docx", "out/table4.docx"):
        click.echo(f"  {ROOT / name}")
    click.echo("Every qualcode command run here works on the study, e.g. 'qualcode segments --code yp-gender'.")
    return 0


if __name__ == "__main__":
    sys.exit(run())
