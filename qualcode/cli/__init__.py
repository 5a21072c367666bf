"""The ``qualcode`` command line: thin click commands over the library.

Each command parses options, calls one or two library functions and renders the result.
Errors are mapped to messages and exit codes in ``qualcode.cli.errors``.

Start-up is kept short: the command modules (and the libraries they need) are imported only when
their command runs. ``COMMANDS`` below names where each top-level command lives, with its one-line
summary so that ``qualcode --help`` does not import them all (a test checks the summaries are current).
"""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

import click

from .common import State
from .errors import report_error

# name -> (module in qualcode.cli, attribute, one-line summary as in the command's help)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": ("project_cmds", "init_cmd",
             "Create a qualcode project (qualcode.toml and a store) in DIRECTORY."),
    "status": ("project_cmds", "status_cmd",
               "Summarise the project: transcripts, turns, codings by coder and status, open import warnings."),
    "doctor": ("project_cmds", "doctor_cmd",
               "Check the project: codebook and rules, roster, groups, store, transcripts, speakers, import warnings, models."),
    "codebook": ("codebook_import_cmd", "codebook_group",
                 "Check, show and export YAML codebooks."),
    "import": ("ingest_cmds", "import_cmd",
               "Import transcripts (.txt .md .docx .vtt .srt .csv .json) into the project, all or nothing."),
    "import-codings": ("ingest_cmds", "import_codings_cmd",
                       "Import codings from a codings CSV (transcript,code,quote,start,end,coder,status,exemplar,memo)."),
    "transcripts": ("ingest_cmds", "transcripts_group",
                    "List and show the project's transcripts."),
    "speakers": ("speakers_cmds", "speakers_group",
                 "List each transcript's speakers with their role, what decided it, turns and words."),
    "tag": ("engine_cmds", "tag_cmd",
            "Code one transcript with a codebook's rules and print every unit (no project needed)."),
    "autocode": ("engine_cmds", "autocode_cmd",
                 "Apply the codebook's rules to every transcript; store suggestions for review."),
    "evaluate": ("engine_cmds", "evaluate_cmd",
                 "Precision, recall and F1 of the rules against a human coder's codings, per code and domain."),
    "model": ("model_cmds", "model_group",
              "The project's learned model: train, status, evaluate (suggestions learned from the team's own coding)."),
    "code": ("coding_cmds", "code_group",
             "Code text by hand; accept, reject, recode and remove codings."),
    "segments": ("coding_cmds", "segments_cmd",
                 "List coded (or uncoded) segments with their text, and why each suggestion was made."),
    "report": ("report_cmds", "report_group",
               "Quote tables (Table 3/4), framework matrix, frequencies, co-occurrence and figures."),
    "summary": ("report_cmds", "summary_group",
                "Framework-matrix summaries: one per participant and code."),
    "coders": ("team_cmds", "coders_group",
               "The project's coders and their codings."),
    "sample": ("team_cmds", "sample_group",
               "Pick transcripts for double-coding and record them in the project."),
    "blind": ("team_cmds", "blind_cmd",
              "Turn blind mode on or off, or show it: while on, coders see only their own codings."),
    "agreement": ("team_cmds", "agreement_cmd",
                  "Inter-coder agreement per code: percent agreement, Cohen's kappa, Krippendorff's alpha."),
    "disagreements": ("team_cmds", "disagreements_cmd",
                      "List units where exactly one of two coders applied a code, for the consensus meeting."),
    "consensus": ("consensus_cmds", "consensus_group",
                  "Create the consensus coder from two coders' agreements and the decisions on their disagreements."),
    "review": ("review_cmds", "review_cmd",
               "Review and code transcripts in a full-screen terminal app (keyboard-first)."),
    "review-pack": ("review_cmds", "pack_group",
                    "Word/Excel review packs for co-facilitators: export quotes, import their decisions."),
    "export": ("exchange_cmds", "export_group",
               "Export codings and projects for other tools."),
    "deidentify": ("deidentify_cmds", "deidentify_cmd",
                   "Replace names, places, organisations, contact details, IDs, dates and ages."),
}


class QualcodeGroup(click.Group):
    """The top-level group: imports a command's module only when that command runs, and turns library
    errors into messages and exit codes (never a traceback)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, attr, _ = COMMANDS[cmd_name]
            self.add_command(getattr(importlib.import_module(f"{__name__}.{module}"), attr), cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from the summaries above, so that ``--help`` imports no command module."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in self.commands:
                summary = self.commands[name].get_short_help_str(limit)
            else:
                summary = click.Command(name, help=COMMANDS[name][2]).get_short_help_str(limit)
            rows.append((name, summary))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - the one place errors are mapped
            state = ctx.find_object(State)
            ctx.exit(report_error(exc, bool(state and state.debug)))


@click.group(cls=QualcodeGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="qualcode")
@click.option("--project", "project_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Project folder (default: found from the current folder upwards).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars or notes on stderr.")
@click.option("--debug", is_flag=True, help="Show a traceback on errors (for bug reports).")
@click.pass_context
def cli(ctx: click.Context, project_dir: Path | None, quiet: bool, debug: bool) -> None:
    """qualcode: codebook-driven qualitative analysis of interview transcripts.

    \b
    Example:
      qualcode init my-study --codebook codebooks/working-alliance.yaml
      qualcode import transcripts/*.txt --participants transcripts/roster.csv
      qualcode autocode
      qualcode report quotes --group young-person -o table3.docx
    """
    state = ctx.ensure_object(State)
    state.project_dir = project_dir
    state.quiet = quiet
    state.debug = debug


def main() -> None:
    try:
        cli.main(prog_name="qualcode")
    except KeyboardInterrupt:
        sys.exit(report_error(KeyboardInterrupt(), False))
