"""Import transcripts (and their participants) into a project, all or nothing.

Every file is read and checked first; only when all are good are they written, in one
transaction, so a bad file or an interrupt leaves the project exactly as it was.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .errors import Problem, TranscriptError
from .ingest.read import read_transcript
from .ingest.roster import Roster, read_roster
from .model import ParsedTranscript, Participant
from .store.project import Project
from .store.transcripts import (count_words, find_transcript, insert_transcript, replace_transcript, text_hash,
                                upsert_participant)


@dataclass
class ImportedFile:
    name: str
    participant: str
    group: str
    source_format: str
    turns: int
    words: int
    action: str  # imported | unchanged | replaced
    note: str = ""


@dataclass
class ImportReport:
    files: list[ImportedFile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def load_project_roster(project: Project, roster_path: Path | None) -> Roster | None:
    """The roster named on the command line, else the project's (``roster =`` in qualcode.toml)."""
    path = roster_path or project.config.roster_path()
    if path is None:
        return None
    return read_roster(path)


def _participant_for(parsed: ParsedTranscript, roster: Roster | None, group: str | None,
                     report: ImportReport) -> Participant:
    found = roster.for_transcript(parsed.name) if roster else None
    if found is not None:
        if group and found.group != group:
            raise TranscriptError(f"{parsed.source_path}: the roster puts {parsed.name!r} in group {found.group!r}, "
                                  f"but --group {group!r} was given")
        return found
    if roster is not None and group:
        match = roster.get(group, parsed.name)
        if match is not None:
            return match
    if roster is not None:
        report.warnings.append(f"{parsed.source_path}: not in the roster; participant id {parsed.name!r}"
                               + (f", group {group!r}" if group else ", no group"))
    return Participant(pid=parsed.name, group=group or "")


def import_files(project: Project, paths: list[Path], *, group: str | None = None, roster_path: Path | None = None,
                 replace: bool = False, speaker_pattern: str | None = None,
                 interviewer_pattern: str | None = None,
                 progress: Callable[[str], None] | None = None) -> ImportReport:
    report = ImportReport()
    roster = load_project_roster(project, roster_path)
    parsed_files: list[ParsedTranscript] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for path in paths:
        try:
            parsed = read_transcript(path, speaker_pattern=speaker_pattern, interviewer_pattern=interviewer_pattern)
        except TranscriptError as exc:
            message = exc.message.removeprefix(f"{path}: ").removeprefix(f"{path.name}: ")
            problems.extend(exc.problems or [Problem(str(path), None, None, message)])
        else:
            if parsed.name in seen:
                problems.append(Problem(str(path), None, None,
                                        f"two files named {parsed.name!r} ({seen[parsed.name]} and {path}); rename one"))
            seen[parsed.name] = path
            parsed_files.append(parsed)
        if progress:
            progress(str(path))
    if problems:
        raise TranscriptError(f"{len(problems)} file(s) could not be imported; nothing was imported", problems)

    with project.engine.begin() as conn:
        if roster is not None:
            for participant in roster.participants:
                upsert_participant(conn, participant)
        for parsed in parsed_files:
            participant = _participant_for(parsed, roster, group, report)
            pid = upsert_participant(conn, participant)
            existing = find_transcript(conn, parsed.name)
            action, note = "imported", ""
            if existing is not None:
                if existing.sha256 == text_hash(parsed.text):
                    action = "unchanged"
                elif not replace:
                    raise TranscriptError(
                        f"{parsed.source_path}: transcript {parsed.name!r} is already in the project with "
                        f"different content (imported {existing.imported_at}); nothing was imported. "
                        f"Use --replace to replace it (codings on unchanged text are kept).")
                else:
                    result = replace_transcript(conn, existing, parsed, group=participant.group, participant_id=pid)
                    action = "replaced"
                    note = f"{result.kept + result.moved} codings kept"
                    if result.dropped:
                        note += f", {len(result.dropped)} dropped (their text changed)"
                        for code_id, snippet in result.dropped:
                            report.warnings.append(f"{parsed.name}: coding {code_id} on {snippet[:60]!r} removed: "
                                                   "its text is no longer in the transcript")
            else:
                insert_transcript(conn, parsed, group=participant.group, participant_id=pid)
            report.files.append(ImportedFile(parsed.name, participant.label, participant.group, parsed.source_format,
                                             len(parsed.turns), count_words(parsed.text), action, note))
    return report
