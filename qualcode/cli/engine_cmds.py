"""qualcode tag / autocode / evaluate: the coding engine from the terminal."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..codebook import load_codebook
from ..store.codings import RULES_CODER
from .common import State, emit, err, info, pass_state, show_progress, table, warn


@click.command("tag")
@click.argument("file", required=False, default="-")
@click.option("--codebook", "codebook_path", required=True, type=click.Path(path_type=Path), help="Codebook YAML.")
@click.option("--group", default=None, help="Participant group (codes limited to other groups are not applied).")
@click.option("--unit", type=click.Choice(["turn", "sentence"]), default="turn", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True)
@click.option("--model", "model_use", type=click.Choice(["auto", "off", "require"]), default="auto", show_default=True,
              help="Inside a project: also use its learned model (auto: when trained on this codebook; turns only).")
def tag_cmd(file: str, codebook_path: Path, group: str | None, unit: str, fmt: str, model_use: str) -> None:
    """Code one transcript with a codebook's rules and print every unit (no project needed).

    FILE is any importable transcript, or '-' for plain text on stdin. JSONL: one object per unit
    with unit, speaker, start, end, text and codes [{id, label, domain, rule, evidence}]. Run inside
    a project with a learned model trained on the same codebook, each code also gets the model's
    confidence (and low), the model adds the codes it finds (rule "model"), and tag says so.

    \b
    Example:
      qualcode tag --codebook codebooks/working-alliance.yaml --group young-person transcripts/yp-D3.txt
      echo "Respondent: my counsellor was a female" | qualcode tag --codebook cb.yaml -
    """
    from ..coding.tag_file import add_model, project_model_for_tag, tag_units_of
    from ..ingest.read import read_text, read_transcript

    book = load_codebook(codebook_path)
    if file == "-":
        parsed = read_text(sys.stdin.read(), name="stdin")
    else:
        parsed = read_transcript(Path(file))
    timed_out: list[dict] = []
    rows = tag_units_of(book, parsed, group=group, unit=unit, timed_out=timed_out)
    _warn_timeouts(timed_out)
    if unit == "turn":
        use = project_model_for_tag(book, model_use)
        for note in use.notes:
            warn(note)
        if use.model is not None:
            added = add_model(rows, use, book, group)
            info(f"learned model of this project used ({use.model.settings.backend} backend, trained "
                 f"{use.model.meta.get('trained_at', '?')}): confidences given, {added} code(s) added by the model")
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    else:
        table(["unit", "speaker", "start", "end", "codes", "text"],
              [[r["unit"], r["speaker"], r["start"], r["end"], ", ".join(c["id"] for c in r["codes"]), r["text"]]
               for r in rows])


@click.command("autocode")
@click.option("--codebook", "codebook_path", type=click.Path(path_type=Path), default=None,
              help="Codebook YAML (default: the project's).")
@click.option("--coder", default=RULES_CODER, show_default=True, help="Coder name for the suggestions.")
@click.option("--unit", type=click.Choice(["turn", "sentence"]), default="turn", show_default=True)
@click.option("--dry-run", is_flag=True, help="Show what would be added and removed, write nothing.")
@click.option("--model", "model_use", type=click.Choice(["auto", "off", "require"]), default="auto", show_default=True,
              help="Use the project's learned model (auto: when trained on this codebook; turns only).")
@click.option("--verify", type=click.Choice(["mark", "drop", "off"]), default="mark", show_default=True,
              help="Rule suggestions the model finds unlikely: mark them low confidence, or leave them out.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Tag in this many processes (same results; for big projects: each process loads spaCy).")
@pass_state
def autocode_cmd(state: State, codebook_path: Path | None, coder: str, unit: str, dry_run: bool, model_use: str,
                 verify: str, fmt: str, jobs: int) -> None:
    """Apply the codebook's rules to every transcript; store suggestions for review.

    Idempotent: running it again changes nothing. After a codebook edit, --dry-run shows which
    suggestions the edit would add and remove compared with the last run. With a learned model
    (`qualcode model train`), each rule suggestion gets the model's confidence and the model adds
    the codes the rules missed (coder qualcode:model), each with the words that weighed most.

    \b
    Example:
      qualcode autocode
      qualcode autocode --codebook codebooks/working-alliance.yaml --dry-run
      qualcode autocode --verify drop
      qualcode autocode --jobs 4
    """
    from ..coding.autocode import autocode  # the store's writing side (SQLAlchemy): not for 'tag'

    project = state.project()
    book = project.codebook(codebook_path)
    columns = [TextColumn("coding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=err, transient=True, disable=not show_progress(state)) as progress:
        task = progress.add_task("autocode", total=None)
        result = autocode(project, book, coder=coder, unit=unit, dry_run=dry_run, model=model_use, verify=verify,
                          jobs=jobs,
                          on_start=lambda n: progress.update(task, total=n),
                          progress=lambda: progress.advance(task))
    _warn_timeouts(result.timed_out)
    for note in result.notes:
        warn(note)
    if dry_run:
        changes = [dict(change="+", **r) for r in result.added] + [dict(change="-", **r) for r in result.removed]
        emit(fmt, ["change", "transcript", "start", "end", "code", "rule", "text"], changes,
             title="What this codebook would change (+ added, - removed)")
        info(f"dry run: {len(result.added)} suggestion(s) would be added, {len(result.removed)} removed; nothing written")
        return
    rows = []
    for code in book.walk():
        if code.id in result.per_code:
            rows.append(dict(domain=code.domain.label, code=code.id, label=code.label, suggestions=result.per_code[code.id],
                             added=sum(1 for a in result.added if a["code"] == code.id)))
    emit(fmt, ["domain", "code", "label", "suggestions", "added"], rows, title=f"Suggestions by {coder}")
    info(f"{result.transcripts} transcript(s), {result.tagged} coded ({result.transcripts - result.tagged} unchanged "
         f"since the last run): {len(result.added)} suggestion(s) added, {len(result.removed)} removed")
    m = result.model
    if m is not None:
        info(f"learned model: {m.verified} rule suggestion(s) given a confidence, {m.low} low, {m.dropped} left out; "
             f"{len(m.added)} suggestion(s) added by qualcode:model, {len(m.removed)} removed")


def _warn_timeouts(timed_out: list[dict]) -> None:
    for t in timed_out:
        names = ", ".join(t["transcripts"][:5]) + (" ..." if len(t["transcripts"]) > 5 else "")
        warn(f"regex rule {t['rule']!r} of code {t['code']!r} ran out of its time budget and was skipped "
             f"for {len(t['transcripts'])} transcript(s) ({names}): its pattern backtracks too much; "
             "simplify it (see 'qualcode codebook check')")


@click.command("evaluate")
@click.option("--against", "coder", default=None, help="Human coder to compare with (default: the project's coder).")
@click.option("--codebook", "codebook_path", type=click.Path(path_type=Path), default=None,
              help="Codebook YAML to evaluate (default: the project's).")
@click.option("--details/--no-details", default=True, help="List the segments behind false positives and negatives.")
@click.option("--only-coded-turns", is_flag=True,
              help="Compare only the turns the coder coded (a partial gold standard, e.g. a paper's quotes).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@pass_state
def evaluate_cmd(state: State, coder: str | None, codebook_path: Path | None, details: bool,
                 only_coded_turns: bool, fmt: str) -> None:
    """Precision, recall and F1 of the rules against a human coder's codings, per code and domain.

    Runs the rules afresh on every participant turn of the transcripts the coder coded (so a
    codebook edit can be evaluated before autocode), and lists each false positive and negative.

    \b
    Example:
      qualcode evaluate --against analyst
      qualcode evaluate --against analyst --codebook draft.yaml --format json
      qualcode evaluate --against analyst --only-coded-turns
    """
    from ..coding.evaluate_project import evaluate_against
    from ..coding.evaluate_project import report_rows

    project = state.project()
    book = project.codebook(codebook_path)
    report = evaluate_against(project, book, coder or project.default_coder(), only_coded_turns=only_coded_turns)
    data = report_rows(report, book)
    data["coded_turns"], data["all_turns"] = report.coded_turns, report.all_turns
    _explain_partial_gold(coder or project.default_coder(), report, only_coded_turns)
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    emit("table", ["level", "id", "label", "tp", "fp", "fn", "precision", "recall", "f1"], data["rows"],
         title="Rules vs " + (coder or project.default_coder()))
    if details:
        emit("table", ["kind", "unit", "code"], data["errors"], title="False positives (fp) and negatives (fn)")
    info(data["summary"])


def _explain_partial_gold(coder: str, report, only_coded_turns: bool) -> None:
    """A gold standard that covers only some turns makes every suggestion elsewhere a false positive."""
    if only_coded_turns or not report.all_turns or report.coded_turns >= 0.5 * report.all_turns:
        return
    share = 100 * report.coded_turns / report.all_turns
    warn(f"{coder} coded {report.coded_turns} of the {report.all_turns} participant turns ({share:.0f} %) in "
         "these transcripts: every suggestion on the other turns counts as a false positive, so precision is "
         f"a lower bound. If {coder} coded only some turns on purpose (e.g. a paper's quotes), rerun with "
         "--only-coded-turns; to measure precision, compare with a coder who coded whole transcripts.")


COMMANDS = [tag_cmd, autocode_cmd, evaluate_cmd]
