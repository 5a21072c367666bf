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
from .ingest.roles import SpeakerRules, config_roles, roster_roles, rules_from
from .ingest.roster import Roster, read_roster
from .model import ImportWarning, ParsedTranscript, Participant, SpeakerSummary
from .store.project import Project
from .store.speakers import apply_roles, save_speakers, user_roles
from .store.transcripts import (find_transcript, insert_transcript, parsed_words, replace_transcript, text_hash,
                                upsert_participant)


@dataclass
class ImportedFile:
    name: str
    participant: str
    group: str
    source_format: str
    turns: int
    words: int
    action: str  # imported | unchanged | replaced | checked
    note: str = ""
    source_path: str = ""
    speakers: list[SpeakerSummary] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    nonspeech: int = 0
    first_turns: list[tuple[str, str]] = field(default_factory=list)  # (speaker or "", text)


@dataclass
class ImportReport:
    files: list[ImportedFile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # about the import as a whole (roster matches, codings)

    def file_warnings(self) -> list[str]:
        """``file:line: message`` for every warning found in the files."""
        return [f"{w.where(f.source_path or f.name)}: {w.message}" for f in self.files for w in f.warnings]


def speaker_rules(project: Project, roster: Roster | None, interviewer_pattern: str | None) -> SpeakerRules:
    """The role rules for this project: ``--interviewer``, the roster, qualcode.toml [speakers], built-ins."""
    where = str(project.root / "qualcode.toml")
    people = [(p.pid, p.role, p.attribution) for p in roster.participants] if roster else []
    return rules_from(interviewer_pattern, where, config=config_roles(project.config.speakers, where),
                      roster=roster_roles(people))


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


def _first_turns(parsed: ParsedTranscript, n: int = 3) -> list[tuple[str, str]]:
    return [(t.speaker or ("" if t.is_speech else "[non-speech]"), parsed.text[t.start:t.end])
            for t in parsed.turns[:n]]


def _summary(parsed: ParsedTranscript, participant: Participant | None, action: str, note: str = "") -> ImportedFile:
    return ImportedFile(parsed.name, participant.label if participant else parsed.name,
                        participant.group if participant else "", parsed.source_format, len(parsed.turns),
                        parsed_words(parsed), action, note, parsed.source_path, parsed.speakers,
                        parsed.warnings, parsed.nonspeech, _first_turns(parsed))


def read_files(paths: list[Path], rules: SpeakerRules, *, speaker_pattern: str | None = None,
               strict: bool = False, progress: Callable[[str], None] | None = None) -> list[ParsedTranscript]:
    """Read every file; all problems (and, with ``strict``, all warnings) -> one ``TranscriptError``."""
    parsed_files: list[ParsedTranscript] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for path in paths:
        try:
            parsed = read_transcript(path, speaker_pattern=speaker_pattern, rules=rules)
        except TranscriptError as exc:
            message = exc.message.removeprefix(f"{path}: ").removeprefix(f"{path.name}: ")
            problems.extend(exc.problems or [Problem(str(path), None, None, message)])
        else:
            if parsed.name in seen:
                problems.append(Problem(str(path), None, None,
                                        f"two files named {parsed.name!r} ({seen[parsed.name]} and {path}); rename one"))
            seen[parsed.name] = path
            parsed_files.append(parsed)
            if strict:
                problems.extend(Problem(str(path), w.line, None, f"{w.message} (--strict)") for w in parsed.warnings)
        if progress:
            progress(str(path))
    if problems:
        raise TranscriptError(f"{len(problems)} problem(s) in the files; nothing was imported", problems)
    return parsed_files


def _read_with_roles(project: Project, paths: list[Path], roster_path: Path | None, interviewer_pattern: str | None,
                     **read_options):
    """The roster and the parsed files, speaker roles decided as ``import`` and ``import --check`` both do."""
    roster = load_project_roster(project, roster_path)
    return roster, read_files(paths, speaker_rules(project, roster, interviewer_pattern), **read_options)


def check_files(project: Project, paths: list[Path], *, group: str | None = None, roster_path: Path | None = None,
                speaker_pattern: str | None = None, interviewer_pattern: str | None = None, strict: bool = False,
                progress: Callable[[str], None] | None = None) -> ImportReport:
    """What ``import_files`` would make of these files, writing nothing."""
    report = ImportReport()
    roster, parsed_files = _read_with_roles(project, paths, roster_path, interviewer_pattern,
                                            speaker_pattern=speaker_pattern, strict=strict, progress=progress)
    with project.engine.connect() as conn:
        for parsed in parsed_files:
            existing = find_transcript(conn, parsed.name)
            action = "would import"
            if existing is not None and existing.sha256 == text_hash(parsed.text):
                action = "already present"
            elif existing is not None:
                parsed = apply_roles(parsed, user_roles(conn, existing.id))
                action = "would replace (needs --replace)"
            report.files.append(_summary(parsed, _participant_for(parsed, roster, group, report), action))
    return report


def import_files(project: Project, paths: list[Path], *, group: str | None = None, roster_path: Path | None = None,
                 replace: bool = False, speaker_pattern: str | None = None,
                 interviewer_pattern: str | None = None, strict: bool = False,
                 progress: Callable[[str], None] | None = None) -> ImportReport:
    report = ImportReport()
    roster, parsed_files = _read_with_roles(project, paths, roster_path, interviewer_pattern,
                                            speaker_pattern=speaker_pattern, strict=strict, progress=progress)
    with project.engine.begin() as conn:
        if roster is not None:
            for participant in roster.participants:
                upsert_participant(conn, participant)
        for parsed in parsed_files:
            participant = _participant_for(parsed, roster, group, report)
            pid = upsert_participant(conn, participant)
            action, note = _write_one(conn, parsed, participant, pid, replace, report)
            report.files.append(_summary(parsed, participant, action, note))
    return report


def _write_one(conn, parsed: ParsedTranscript, participant: Participant, pid: int, replace: bool,
               report: ImportReport) -> tuple[str, str]:
    existing = find_transcript(conn, parsed.name)
    if existing is None:
        tid = insert_transcript(conn, parsed, group=participant.group, participant_id=pid)
        save_speakers(conn, tid, parsed)
        return "imported", ""
    if existing.sha256 == text_hash(parsed.text):
        return "unchanged", ""
    if not replace:
        raise TranscriptError(
            f"{parsed.source_path}: transcript {parsed.name!r} is already in the project with "
            f"different content (imported {existing.imported_at}); nothing was imported. "
            f"Use --replace to replace it (codings on unchanged text are kept).")
    parsed = apply_roles(parsed, user_roles(conn, existing.id))
    result = replace_transcript(conn, existing, parsed, group=participant.group, participant_id=pid)
    save_speakers(conn, existing.id, parsed)
    note = f"{result.kept + result.moved} codings kept"
    if result.dropped:
        note += f", {len(result.dropped)} dropped (their text changed)"
        for code_id, snippet in result.dropped:
            report.warnings.append(f"{parsed.name}: coding {code_id} on {snippet[:60]!r} removed: "
                                   "its text is no longer in the transcript")
    return "replaced", note
