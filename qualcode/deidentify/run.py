"""De-identify a whole project in one transaction: transcripts (text, turns, codings), memos,
coding memos, and the participants' roster attributes.

The key is written first to a temporary owner-only file next to ``key_path`` and moved into place
only after the store's transaction commits, so an error leaves neither a changed project without
its key nor a key for changes that never happened.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ProjectError
from ..model import Participant, Turn
from ..store.codings import delete_codings, list_memos, query_codings, rewrite_codings, set_memo_texts
from ..store.project import Project
from ..store.transcripts import all_turns, list_participants, list_transcripts, set_transcript_text, upsert_participant
from .detect import find_hits
from .pseudonyms import Pseudonyms, write_private
from .rewrite import OffsetMap, context, rewrite
from .terms import TermMatcher, read_names_file, roster_terms


@dataclass
class Change:
    where: str  # transcript name, "memo 3", "coding 12 memo", "participant young-person/D3"
    offset: int | None
    kind: str
    original: str
    pseudonym: str
    context: str

    def as_dict(self) -> dict:
        return dict(where=self.where, offset=self.offset, kind=self.kind, original=self.original,
                    pseudonym=self.pseudonym, context=self.context)


@dataclass
class DeidReport:
    changes: list[Change] = field(default_factory=list)
    transcripts: int = 0  # transcripts changed
    codings_moved: int = 0
    codings_merged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    key_path: Path | None = None
    dry_run: bool = False

    def summary(self) -> list[dict]:
        by_kind: dict[str, dict] = {}
        for c in self.changes:
            row = by_kind.setdefault(c.kind, {"kind": c.kind, "pseudonyms": set(), "replacements": 0})
            row["pseudonyms"].add(c.pseudonym)
            row["replacements"] += 1
        return [dict(kind=k, pseudonyms=len(v["pseudonyms"]), replacements=v["replacements"])
                for k, v in sorted(by_kind.items())]


def store_folders(project: Project) -> list[Path]:
    folders = [project.root / ".qualcode"]
    url = project.config.store_url()
    if url.startswith("sqlite:///") and ":memory:" not in url:
        folders.append(Path(url[len("sqlite:///"):]).parent)
    return [f.resolve() for f in folders]


def check_key_path(project: Project, key_path: Path | None) -> Path:
    if key_path is None:
        raise ProjectError("say where to write the key (pseudonym -> original) with --key FILE, outside the "
                           "project's .qualcode folder and outside anything you share (or use --dry-run)")
    key = key_path.expanduser().resolve()
    for folder in store_folders(project):
        if key == folder or key.is_relative_to(folder):
            raise ProjectError(f"{key_path}: the key must not be written inside the project store folder {folder}; "
                               "keep it somewhere only the data custodian can read")
    if key.is_dir():
        raise ProjectError(f"{key_path} is a folder; give a file name for the key")
    if not key.parent.is_dir():
        raise ProjectError(f"{key.parent}: no such folder for the key")
    return key


def _replace(text: str, matcher: TermMatcher, pseudonyms: Pseudonyms, where: str,
             report: DeidReport) -> str:
    hits = find_hits(text, matcher)
    if not hits:
        return text
    new, reps = rewrite(text, hits, pseudonyms)
    report.changes += [Change(where, r.start, r.kind, r.original, r.pseudonym, context(text, r)) for r in reps]
    return new


def deidentify_project(project: Project, *, names_file: Path | None = None, key_path: Path | None = None,
                       dry_run: bool = False) -> DeidReport:
    key = None if dry_run and key_path is None else check_key_path(project, key_path)
    report = DeidReport(key_path=key, dry_run=dry_run)
    listed = read_names_file(names_file) if names_file else []
    with project.engine.connect() as conn:
        participants = list_participants(conn)
        transcripts = list_transcripts(conn)
        turns = all_turns(conn)
        codings = query_codings(conn)
        memos = list_memos(conn)
    matcher = TermMatcher(listed + roster_terms(participants))
    pseudonyms = Pseudonyms.load(key) if key is not None and key.exists() else Pseudonyms()

    for t in transcripts:
        if find_hits(t.name, matcher):
            report.warnings.append(f"the transcript name {t.name!r} itself contains an identifier; it is not changed "
                                   "(names appear in exports): rename the file and import it again")
    texts: dict[int, tuple[str, list[Turn]]] = {}
    updates: dict[int, dict] = {}
    delete: list[int] = []
    for t in transcripts:
        hits = find_hits(t.text, matcher)
        if not hits:
            continue
        new_text, reps = rewrite(t.text, hits, pseudonyms)
        report.changes += [Change(t.name, r.start, r.kind, r.original, r.pseudonym, context(t.text, r)) for r in reps]
        moved = OffsetMap(reps)
        texts[t.id] = (new_text, [Turn(u.index, u.speaker, moved.start(u.start), moved.end(u.end), u.is_participant,
                                       u.time_start, u.time_end) for u in turns.get(t.id, [])])
        seen: dict[tuple, int] = {}
        for c in (c for c in codings if c.transcript_id == t.id):
            start, end = moved.start(c.start), moved.end(c.end)
            key_ = (start, end, c.code_id, c.coder)
            if key_ in seen:
                delete.append(c.id)
                report.codings_merged.append(f"{t.name}: coding {c.id} ({c.code_id}, {c.coder}) now has the same "
                                             f"span as coding {seen[key_]}; kept {seen[key_]}")
                continue
            seen[key_] = c.id
            if (start, end) != (c.start, c.end) or new_text[start:end] != c.snippet:
                updates[c.id] = dict(id=c.id, start=start, end=end, snippet=new_text[start:end])
    report.transcripts = len(texts)
    report.codings_moved = len(updates)
    for c in codings:
        for fieldname in ("memo", "evidence"):
            value = getattr(c, fieldname)
            new = _replace(value, matcher, pseudonyms, f"coding {c.id} {fieldname}", report) if value else value
            if new != value and c.id not in delete:
                updates.setdefault(c.id, dict(id=c.id, start=c.start, end=c.end, snippet=c.snippet))[fieldname] = new
    memo_texts = {}
    for m in memos:
        new = _replace(m.text, matcher, pseudonyms, f"memo {m.id}", report)
        if new != m.text:
            memo_texts[m.id] = new
    people = []
    for p in participants:
        where = f"participant {p.group}/{p.pid}"
        attrs = {k: _replace(str(v), matcher, pseudonyms, f"{where} {k}", report) for k, v in p.attributes.items()}
        attribution = _replace(p.attribution, matcher, pseudonyms, f"{where} attribution", report)
        if attrs != p.attributes or attribution != p.attribution:
            people.append(Participant(p.pid, p.group, p.role, attribution, attrs))
    if dry_run or not report.changes:
        return report

    tmp = key.with_name(f".{key.name}.part")
    write_private(tmp, pseudonyms.key_csv())
    try:
        with project.engine.begin() as conn:
            for tid, (new_text, new_turns) in texts.items():
                set_transcript_text(conn, tid, new_text, new_turns)
            delete_codings(conn, delete)
            rewrite_codings(conn, list(updates.values()))
            set_memo_texts(conn, memo_texts)
            for p in people:
                upsert_participant(conn, p)
        tmp.replace(key)
    finally:
        tmp.unlink(missing_ok=True)
    return report
