"""qualcode deidentify: pseudonymise transcripts before sharing."""
from __future__ import annotations

from pathlib import Path

import click

from ..deidentify import deidentify_project
from ..deidentify.review import write_report
from ..deidentify.run import check_key_path
from ..deidentify.suggest import suggest_names
from .common import OutputPath, State, emit, refuse_same, format_option, info, pass_state, warn

CHANGE_COLUMNS = ["where", "offset", "kind", "original", "pseudonym", "context"]


@click.command("deidentify")
@click.option("--names", "names_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Names list: one name per line, or CSV 'original,kind' with kind NAME, PLACE or ORG.")
@click.option("--key", "key_path", type=OutputPath(),
              help="Where to write the key (pseudonym -> original), mode 0600; required unless --dry-run. "
                   "Not inside .qualcode/; an existing key is extended.")
@click.option("--dry-run", is_flag=True, help="List every replacement with its context; change nothing.")
@click.option("--suggest", is_flag=True, help="List candidate names not yet in the names list (nothing is replaced).")
@click.option("--report", "report_path", type=OutputPath(),
              help="Write what was found (by kind, counts, context) and the capitalised words left, as Markdown, "
                   "mode 0600 (it holds the originals). Works with --dry-run.")
@click.option("--ner/--no-ner", "use_ner", default=None,
              help="Use (or not) named-entity recognition for unlisted names, places and organisations; default: "
                   "[deidentify] ner in qualcode.toml, else use a model if one is installed (pip install 'qualcode[ner]').")
@click.option("--participants", "roster_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The roster (CSV or YAML) whose attributes marked identifying are dropped; default: the "
                   "project's roster (roster = in qualcode.toml).")
@format_option
@pass_state
def deidentify_cmd(state: State, names_file: Path | None, key_path: Path | None, dry_run: bool, suggest: bool,
                   report_path: Path | None, use_ner: bool | None, roster_path: Path | None, fmt: str) -> None:
    """Replace names, places, organisations, contact details, IDs, dates and ages.

    Names come from the roster's name column, the --names list, nicknames introduced in the text
    ("everyone calls me Tee") and, with the NER extra installed, named-entity recognition. Phones,
    e-mails, URLs, handles, UK postcodes and ID numbers are found by Presidio's recognisers and
    our patterns; add your own in [deidentify] of qualcode.toml. The same original always gets the
    same pseudonym ([NAME-1], [ORG-1], [PHONE-1], [HANDLE-1], ...); ages, dates and unlisted
    places are generalised ([AGE 18-24], [DATE], [CITY]); addresses become [ADDRESS]. Transcripts, memos
    and roster attributes change in place, in one transaction; codings and turns keep covering
    the same words; identifying roster attributes ([deidentify] identifying, or marked in the
    roster file) are dropped. Run --dry-run --report first.

    \b
    Example:
      qualcode deidentify --names names.csv --suggest
      qualcode deidentify --names names.csv --dry-run --report ~/secure/check.md
      qualcode deidentify --names names.csv --key ~/secure/study-key.csv
    """
    refuse_same(key_path, names_file)
    refuse_same(report_path, names_file)
    refuse_same(report_path, key_path, what="the key (--key)")
    project = state.project()
    if suggest:
        found, how = suggest_names(project, names_file)
        info(f"candidates: {how}. Add the real ones to the names list; nothing was replaced.")
        emit(fmt, ["candidate", "kind", "count", "transcripts", "example"], [s.as_dict() for s in found],
             title="Candidate identifiers (not replaced)")
        return
    if key_path is None and not dry_run:
        raise click.UsageError("--key FILE is required: the key (pseudonym -> original) is written there, "
                               "outside the project store (or use --dry-run to only list the replacements)")
    if report_path is not None:
        report_path = check_key_path(project, report_path, "the report")
    report = deidentify_project(project, names_file=names_file, key_path=key_path, dry_run=dry_run, use_ner=use_ner,
                                roster_path=roster_path)
    for note in report.warnings:
        warn(note)
    info(f"named-entity recognition: {report.model}" if report.model else
         "no named-entity recognition (no model installed, or --no-ner): only listed names, nicknames and "
         "patterns are replaced; see --suggest or --report for capitalised words left")
    if report_path is not None:
        write_report(report_path, report)
        info(f"report written to {report_path} (owner-only, mode 0600; it holds the originals)")
    if dry_run:
        emit(fmt, CHANGE_COLUMNS, [c.as_dict() for c in report.changes], title="Replacements (dry run)")
        info(f"dry run: {len(report.changes)} replacement(s) listed; nothing was written")
        return
    for note in report.codings_merged:
        warn(note)
    emit(fmt, ["kind", "pseudonyms", "replacements"], report.summary(), title="De-identified")
    if not report.changes:
        info("nothing to replace; the project and the key are unchanged")
        return
    info(f"{report.transcripts} transcript(s) changed, {report.codings_moved} coding(s) updated; "
         f"key written to {report.key_path} (owner-only, mode 0600): keep it apart from the data you share")


COMMANDS = [deidentify_cmd]
