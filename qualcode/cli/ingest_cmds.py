"""qualcode import / import-codings / transcripts list|show."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import click
from rich.progress import Progress
from rich.text import Text

from ..coding.csv_exchange import import_codings_csv
from ..importing import ImportReport, check_files, import_files
from ..store.speakers import interviewer_turns, list_speakers, list_warnings, resolve_warnings
from ..store.transcripts import get_transcript, get_turns, list_transcripts, turn_counts
from .common import State, emit, err, format_option, info, out, pass_state, show_progress, table, visible, warn


class ImportCommand(click.Command):
    """`qualcode import FILES...`, with `qualcode import refi FILE.qdpx` as a command of its own
    (its own options and --help)."""

    def extra_commands(self) -> dict[str, click.Command]:
        from .exchange_cmds import import_refi_cmd
        return {"refi": import_refi_cmd}

    def make_context(self, info_name, args, parent=None, **extra):
        if args and args[0] == "refi":
            return self.extra_commands()["refi"].make_context(f"{info_name} refi", list(args[1:]), parent=parent, **extra)
        return super().make_context(info_name, args, parent=parent, **extra)


@click.command("import", cls=ImportCommand)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--group", default=None, help="Participant group for files not in the roster (e.g. young-person).")
@click.option("--participants", "roster", type=click.Path(path_type=Path), help="Participant roster, CSV or YAML.")
@click.option("--replace", is_flag=True, help="Replace transcripts whose content changed (keeps codings on unchanged text).")
@click.option("--speaker-pattern", default=None,
              help="Regex with named groups 'speaker' and 'text' for other speaker-label conventions.")
@click.option("--interviewer", "interviewer_pattern", default=None,
              help="Regex for interviewer speaker labels (their turns are never coded); replaces the built-in list.")
@click.option("--check", is_flag=True, help="Read the files and show what would be imported; write nothing.")
@click.option("--strict", is_flag=True, help="Treat every warning as an error: nothing is imported.")
@pass_state
def import_cmd(state: State, files: tuple[Path, ...], group: str | None, roster: Path | None, replace: bool,
               speaker_pattern: str | None, interviewer_pattern: str | None, check: bool, strict: bool) -> None:
    """Import transcripts (.txt .md .docx .vtt .srt .csv .json) into the project, all or nothing.

    Without a roster the participant id is the file name stem. Each file's speakers are listed
    with the role their turns got (participant / interviewer / other) and their turns and words;
    doubtful input is imported with a warning naming the file and line, kept until resolved
    (see `qualcode speakers`). `qualcode import refi FILE.qdpx` imports a REFI-QDA project instead.

    \b
    Example:
      qualcode import --check interviews/*.docx
      qualcode import transcripts/yp-*.txt --participants transcripts/roster.csv
      qualcode import interview3.docx --group clinician --strict
    """
    project = state.project()
    options = dict(group=group, roster_path=roster, speaker_pattern=speaker_pattern,
                   interviewer_pattern=interviewer_pattern, strict=strict)
    with Progress(transient=True, console=err, disable=not show_progress(state)) as progress:
        task = progress.add_task("reading", total=len(files))
        advance = lambda _name: progress.advance(task)  # noqa: E731
        if check:
            report = check_files(project, list(files), progress=advance, **options)
        else:
            report = import_files(project, list(files), replace=replace, progress=advance, **options)
    for w in report.warnings + report.file_warnings():
        warn(w)
    table(["transcript", "participant", "group", "format", "turns", "words", "non-speech", "warnings", "result"],
          [[f.name, f.participant, f.group, f.source_format, f.turns, f.words, f.nonspeech, len(f.warnings),
            f.action + (f" ({f.note})" if f.note else "")] for f in report.files],
          title="Checked (nothing written)" if check else "Imported")
    table(["transcript", "speaker", "role", "decided by", "turns", "words"],
          [[f.name, s.speaker, s.role, s.source, s.turns, s.words] for f in report.files for s in f.speakers],
          title="Speakers")
    if check:
        _print_first_turns(report)
        info(f"{len(report.files)} file(s) read, {len(report.file_warnings())} warning(s); nothing was written")
        return
    counts = {a: sum(f.action == a for f in report.files) for a in ("imported", "replaced", "unchanged")}
    nwarn = len(report.file_warnings())
    info(f"{counts['imported']} imported, {counts['replaced']} replaced, {counts['unchanged']} already present"
         + (f"; {nwarn} warning(s) kept with the transcripts (qualcode status)" if nwarn else ""))


def _print_first_turns(report: ImportReport) -> None:
    for f in report.files:
        out.print(Text(f"{f.name}: first turns", style="bold"))
        for speaker, text in f.first_turns:
            short = text if len(text) <= 160 else text[:157] + "..."
            out.print(Text(f"  {speaker + ': ' if speaker else ''}{short}"))


@click.command("import-codings")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--coder", default=None, help="Coder for rows without one (default: the project's coder).")
@pass_state
def import_codings_cmd(state: State, file: Path, coder: str | None) -> None:
    """Import codings from a codings CSV (transcript,code,quote,start,end,coder,status,exemplar,memo).

    Every row is checked first; nothing is written unless all rows are good. Re-importing the same
    file changes nothing.

    \b
    Example:
      qualcode import-codings transcripts/codings.csv
    """
    project = state.project()
    result = import_codings_csv(project, file, default_coder=coder or project.default_coder())
    info(f"{result.rows} codings read: {result.inserted} new, {result.updated} updated, "
         f"{result.rows - result.inserted - result.updated} unchanged")


@click.group("transcripts")
def transcripts_group() -> None:
    """List and show the project's transcripts."""


@transcripts_group.command("list")
@format_option
@pass_state
def list_cmd(state: State, fmt: str) -> None:
    """List transcripts with participant, group, turns, interviewer turns, words and open warnings.

    \b
    Example:
      qualcode transcripts list --format json
    """
    with state.project().connect() as conn:
        rows = list_transcripts(conn)
        nturns = turn_counts(conn)
        nint = interviewer_turns(conn)
        nwarn = Counter(w.transcript for w in list_warnings(conn))
    data = [dict(id=t.id, name=t.name, group=t.grp, participant=t.pid or "", attribution=t.attribution or "",
                 format=t.source_format, turns=nturns.get(t.id, 0), interviewer_turns=nint.get(t.id, 0),
                 words=t.words, warnings=nwarn.get(t.name, 0)) for t in rows]
    emit(fmt, ["id", "name", "group", "participant", "attribution", "format", "turns", "interviewer_turns", "words",
               "warnings"], data, title="Transcripts")


@transcripts_group.command("show")
@click.argument("ref")
@click.option("--offsets", is_flag=True, help="Show each turn's start-end offsets.")
@pass_state
def show_cmd(state: State, ref: str, offsets: bool) -> None:
    """Show a transcript's speakers, open warnings and turns (REF is its id or name).

    Interviewer and other non-coded turns are dimmed; non-speech segments (titles, metadata,
    "[End of recording]") are marked and never coded.

    \b
    Example:
      qualcode transcripts show yp-D3 --offsets
    """
    with state.project().engine.connect() as conn:
        t = get_transcript(conn, ref)
        turns = get_turns(conn, t.id)
        speakers = list_speakers(conn, t.id)
        warnings = list_warnings(conn, t.id)
    out.print(Text(visible(f"{t.name}  ({t.participant_label}, {t.grp or 'no group'}, {t.source_format}, {t.words} words)"),
                   style="bold"))
    for s in speakers:
        out.print(Text(visible(f"  {s.speaker}: {s.role} ({s.source}), {s.turns} turns, {s.words} words"), style="dim"))
    for w in warnings:
        warn(f"[{w.id}] {w.where}: {w.message}")
    for turn in turns:
        line = Text()
        if offsets:
            line.append(f"[{turn.index}] {turn.start}-{turn.end} ", style="dim")
        if turn.time_start:
            line.append(f"{turn.time_start} ", style="dim")
        if not turn.is_speech:
            line.append("(non-speech) ", style="italic dim")
        line.append(visible(f"{turn.speaker}: ") if turn.speaker else "", style="bold")
        line.append(visible(t.text[turn.start:turn.end]), style="dim" if not turn.is_participant else "")
        out.print(line)


@transcripts_group.command("mark-coded")
@click.argument("refs", nargs=-1)
@click.option("--undo", is_flag=True, help="Remove the mark instead.")
@click.option("--list", "show", is_flag=True, help="List the marked transcripts.")
@click.option("--as", "by", default=None, help="Who marks them (default: the project's coder).")
@pass_state
def mark_coded_cmd(state: State, refs: tuple[str, ...], undo: bool, show: bool, by: str | None) -> None:
    """Mark transcripts fully coded (REFS: ids or names): their participant turns with no accepted
    coding then teach the learned model what is not coded. A mark lapses if the text changes.

    \b
    Example:
      qualcode transcripts mark-coded yp-D3 yp-V1
      qualcode transcripts mark-coded --list
      qualcode transcripts mark-coded yp-V1 --undo
    """
    from ..coding.learn import list_marks, mark_transcripts

    project = state.project()
    if show:
        emit("table", ["transcript", "marked_by", "marked_at", "current"], list_marks(project),
             title="Transcripts marked fully coded")
        return
    if not refs:
        raise click.UsageError("name the transcripts to mark (or --list)")
    names = mark_transcripts(project, list(refs), by=by or project.default_coder(), undo=undo)
    info(f"{len(names)} transcript(s) {'no longer marked' if undo else 'marked'} fully coded: {', '.join(names)}")


@transcripts_group.command("resolve")
@click.argument("ref")
@click.option("--warning", "ids", type=int, multiple=True, help="Warning number (as shown by 'transcripts show'); "
              "repeatable. Default: all of the transcript's open warnings.")
@click.option("--note", default="checked by hand", show_default=True, help="How it was resolved.")
@pass_state
def resolve_cmd(state: State, ref: str, ids: tuple[int, ...], note: str) -> None:
    """Mark a transcript's import warnings resolved (after checking the text), so status stops listing them.

    \b
    Example:
      qualcode transcripts resolve interview3 --warning 4
    """
    with state.project().engine.begin() as conn:
        t = get_transcript(conn, ref)
        n = resolve_warnings(conn, t.id, list(ids) or None, note)
    info(f"{n} warning(s) of {t.name} marked resolved")


COMMANDS = [import_cmd, import_codings_cmd, transcripts_group]
