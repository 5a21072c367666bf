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
from ..ingest.roster import read_roster
from ..model import Participant, Turn
from ..store.codings import delete_codings, list_memos, query_codings, rewrite_codings, set_memo_texts
from ..store.project import Project
from ..store.transcripts import all_turns, list_participants, list_transcripts, set_transcript_text, upsert_participant
from . import ner
from .config import DeidConfig, read_deid_config
from .detector import Detector
from .pseudonyms import Pseudonyms, write_private
from .rewrite import OffsetMap, context, rewrite
from .terms import Term, norm, read_names_file, roster_terms


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
    model: str | None = None  # the NER model used, if any
    nicknames: dict[str, list[str]] = field(default_factory=dict)  # transcript -> nicknames introduced in it
    dropped: list[str] = field(default_factory=list)  # roster attributes dropped or generalised
    after: dict[str, str] = field(default_factory=dict)  # transcript -> its text after de-identification

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


def check_key_path(project: Project, key_path: Path | None, what: str = "the key") -> Path:
    if key_path is None:
        raise ProjectError("say where to write the key (pseudonym -> original) with --key FILE, outside the "
                           "project's .qualcode folder and outside anything you share (or use --dry-run)")
    key = key_path.expanduser().resolve()
    for folder in store_folders(project):
        if key == folder or key.is_relative_to(folder):
            raise ProjectError(f"{key_path}: {what} must not be written inside the project store folder {folder}; "
                               "keep it somewhere only the data custodian can read")
    if key.is_dir():
        raise ProjectError(f"{key_path} is a folder; give a file name for {what}")
    if not key.parent.is_dir():
        raise ProjectError(f"{key.parent}: no such folder for {what}")
    return key


def _replace(text: str, detector: Detector, nicknames: list[Term], pseudonyms: Pseudonyms, where: str,
             report: DeidReport) -> str:
    hits = detector.find(text, None, nicknames)
    if not hits:
        return text
    new, reps = rewrite(text, hits, pseudonyms)
    report.changes += [Change(where, r.start, r.kind, r.original, r.pseudonym, context(text, r)) for r in reps]
    return new


@dataclass
class _Plan:
    texts: dict[int, tuple[str, list[Turn]]] = field(default_factory=dict)
    updates: dict[int, dict] = field(default_factory=dict)
    delete: list[int] = field(default_factory=list)
    memo_texts: dict[int, str] = field(default_factory=dict)
    people: list[Participant] = field(default_factory=list)


def _move_codings(t, new_text: str, moved: OffsetMap, codings, plan: _Plan, report: DeidReport) -> None:
    seen: dict[tuple, int] = {}
    for c in (c for c in codings if c.transcript_id == t.id):
        start, end = moved.start(c.start), moved.end(c.end)
        key_ = (start, end, c.code_id, c.coder)
        if key_ in seen:
            plan.delete.append(c.id)
            report.codings_merged.append(f"{t.name}: coding {c.id} ({c.code_id}, {c.coder}) now has the same "
                                         f"span as coding {seen[key_]}; kept {seen[key_]}")
            continue
        seen[key_] = c.id
        if (start, end) != (c.start, c.end) or new_text[start:end] != c.snippet:
            plan.updates[c.id] = dict(id=c.id, start=start, end=end, snippet=new_text[start:end])


def _speaker(label: str, detector: Detector, found: list[Term], pseudonyms: Pseudonyms, done: dict[str, str]) -> str:
    """A turn's speaker label with the names found in its transcript replaced ("Tendai" -> "[NAME-1]");
    ``done`` holds the labels already rewritten in this transcript."""
    if not label:
        return label
    if label not in done:
        hits = detector.find(label, None, found)
        done[label] = rewrite(label, hits, pseudonyms)[0] if hits else label
    return done[label]


def _transcripts(data: dict, detector: Detector, pseudonyms: Pseudonyms, plan: _Plan,
                 report: DeidReport) -> list[Term]:
    """Rewrite every transcript; the names found in them, nicknames included (for memos and the roster)."""
    transcripts = data["transcripts"]
    for t in transcripts:
        if detector.find(t.name, []):  # rules only: NER on a bare file name guesses
            report.warnings.append(f"the transcript name {t.name!r} itself contains an identifier; it is not changed "
                                   "(names appear in exports): rename the file and import it again")
    nick_terms = [detector.nickname_terms(t.text) for t in transcripts]
    found_in = detector.find_many([t.text for t in transcripts])  # the same nicknames, found again
    learned: dict[str, Term] = {}
    for i, t in enumerate(transcripts):
        if nick_terms[i]:
            report.nicknames[t.name] = [n.original for n in nick_terms[i]]
        hits = found_in[i]
        report.after[t.name] = t.text
        if not hits:
            continue
        new_text, reps = rewrite(t.text, hits, pseudonyms)
        report.after[t.name] = new_text
        report.changes += [Change(t.name, r.start, r.kind, r.original, r.pseudonym, context(t.text, r)) for r in reps]
        moved = OffsetMap(reps)
        found = nick_terms[i] + [Term(h.text, h.kind) for h in hits if h.kind in ("NAME", "PLACE", "ORG", "PROPER")
                                 and not h.label]
        learned.update((norm(n.original), n) for n in found)
        labels: dict[str, str] = {}  # a transcript has a few speakers and many turns
        plan.texts[t.id] = (new_text, [Turn(u.index, _speaker(u.speaker, detector, found, pseudonyms, labels),
                                            moved.start(u.start), moved.end(u.end), u.is_participant, u.time_start,
                                            u.time_end) for u in data["turns"].get(t.id, [])])
        _move_codings(t, new_text, moved, data["codings"], plan, report)
    report.transcripts = len(plan.texts)
    report.codings_moved = len(plan.updates)
    return list(learned.values())


def _memos(data: dict, detector: Detector, nicks: list[Term], pseudonyms: Pseudonyms, plan: _Plan,
           report: DeidReport) -> None:
    for c in data["codings"]:
        for fieldname in ("memo", "evidence"):
            value = getattr(c, fieldname)
            new = _replace(value, detector, nicks, pseudonyms, f"coding {c.id} {fieldname}", report) if value else value
            if new != value and c.id not in plan.delete:
                plan.updates.setdefault(c.id, dict(id=c.id, start=c.start, end=c.end, snippet=c.snippet))[fieldname] = new
    for m in data["memos"]:
        new = _replace(m.text, detector, nicks, pseudonyms, f"memo {m.id}", report)
        if new != m.text:
            plan.memo_texts[m.id] = new


def _generalise_attribute(key: str, value, config: DeidConfig) -> str | None:
    """An identifying attribute's value after de-identification: an age becomes its band, others go."""
    text = str(value).strip()
    if key.strip().lower() == "age" and text.isdigit() and config.ages == "band":
        return config.age_label(int(text))
    return None


def identifying_attributes(project: Project, config: DeidConfig, roster_path: Path | None,
                           participants: list[Participant], warnings: list[str]) -> set[str]:
    """Roster attributes to drop or generalise: ``[deidentify] identifying`` in qualcode.toml and those
    the roster file marks ``(identifying)`` (``roster_path``, else the project's roster)."""
    names = {k.strip().lower() for k in config.identifying}
    path = roster_path or project.config.roster_path()
    if path is not None and (roster_path is not None or path.exists()):
        names |= {k.strip().lower() for k in read_roster(path).identifying}
    elif path is not None:
        warnings.append(f"the project's roster {path} is not there, so attributes it marks (identifying) are not "
                        "known; list them in [deidentify] identifying or give the roster with --participants")
    held = {k.strip().lower() for p in participants for k in p.attributes}
    warnings += [f"identifying attribute {k!r}: no participant has it (a typo, or dropped by an earlier run?)"
                 for k in sorted(names - held)]
    return names


def _roster(data: dict, detector: Detector, nicks: list[Term], pseudonyms: Pseudonyms, plan: _Plan,
            report: DeidReport, identifying: set[str]) -> None:
    for p in data["participants"]:
        where = f"participant {p.group}/{p.pid}"
        attrs = {}
        for k, v in p.attributes.items():
            if k.strip().lower() in identifying:
                general = _generalise_attribute(k, v, detector.config)
                if general is not None:
                    attrs[k] = general
                report.dropped.append(f"{where} {k}" + (f" -> {general}" if general else " (dropped)"))
                continue
            attrs[k] = _replace(str(v), detector, nicks, pseudonyms, f"{where} {k}", report)
        attribution = _replace(p.attribution, detector, nicks, pseudonyms, f"{where} attribution", report)
        if attrs != p.attributes or attribution != p.attribution:
            plan.people.append(Participant(p.pid, p.group, p.role, attribution, attrs))


def _load(project: Project) -> dict:
    with project.engine.connect() as conn:
        return dict(participants=list_participants(conn), transcripts=list_transcripts(conn), turns=all_turns(conn),
                    codings=query_codings(conn), memos=list_memos(conn))


def _write(project: Project, key: Path, pseudonyms: Pseudonyms, plan: _Plan) -> None:
    tmp = key.with_name(f".{key.name}.part")
    write_private(tmp, pseudonyms.key_csv())
    try:
        with project.engine.begin() as conn:
            for tid, (new_text, new_turns) in plan.texts.items():
                set_transcript_text(conn, tid, new_text, new_turns)
            delete_codings(conn, plan.delete)
            rewrite_codings(conn, list(plan.updates.values()))
            set_memo_texts(conn, plan.memo_texts)
            for p in plan.people:
                upsert_participant(conn, p)
        tmp.replace(key)
    finally:
        tmp.unlink(missing_ok=True)


def deidentify_project(project: Project, *, names_file: Path | None = None, key_path: Path | None = None,
                       dry_run: bool = False, use_ner: bool | None = None,
                       roster_path: Path | None = None) -> DeidReport:
    """Find and replace identifiers everywhere in the project (or only list them, ``dry_run``).

    ``use_ner``: None follows ``[deidentify] ner`` in qualcode.toml (default: use a model if installed).
    ``roster_path``: a roster whose ``(identifying)`` marks count (default: the project's roster)."""
    key = None if dry_run and key_path is None else check_key_path(project, key_path)
    config = read_deid_config(project.root)
    report = DeidReport(key_path=key, dry_run=dry_run)
    listed = read_names_file(names_file) if names_file else []
    data = _load(project)
    identifying = identifying_attributes(project, config, roster_path, data["participants"], report.warnings)
    report.model = ner.choose(config.ner, use_ner)
    detector = Detector(config, listed + roster_terms(data["participants"]), report.model)
    pseudonyms = Pseudonyms.load(key) if key is not None and key.exists() else Pseudonyms()
    plan = _Plan()
    nicks = _transcripts(data, detector, pseudonyms, plan, report)
    _memos(data, detector, nicks, pseudonyms, plan, report)
    _roster(data, detector, nicks, pseudonyms, plan, report, identifying)
    if dry_run or not (report.changes or plan.people):
        return report
    _write(project, key, pseudonyms, plan)
    return report
