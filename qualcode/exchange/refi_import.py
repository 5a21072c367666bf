"""Import a REFI-QDA project (``.qdpx``) into a qualcode project, all or nothing.

Everything is read and checked first (safe archive, XML, every source text, every selection's
positions, every code a coding refers to); only then is anything written, in one transaction.

- Text sources become transcripts (the plain text; a DOCX or PDF source with a plain-text
  representation uses that). Picture, audio and video sources, and sources with no plain text,
  are skipped and listed.
- Codes: when the project has no codebook, the whole CodeBook becomes
  ``codebooks/<file>-imported.yaml`` (added to qualcode.toml). When it has one, each code is
  matched to an existing code by GUID (qualcode's own exports), then id (slug of the name),
  then label (case-insensitive); a coding whose code matches nothing is refused, naming the code.
- Codings: every selection's codings, coder = the creating user's name, status accepted, origin import.
- Cases -> participants (group from a variable named "group", else "imported"; role; the other
  variables as attributes); notes -> memos (coding memos, transcript/participant/code memos).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExchangeError, Problem
from ..store.codings import list_memos
from ..store.project import Project
from ..store.transcripts import list_transcripts
from .codebook_yaml import codes_to_yaml, slugify
from .guids import code_guid
from .qdc import ExCode, split_description
from .refi_plan import Plan, plan_memos, plan_participants, plan_sets, plan_sources, write_plan
from .positions import PositionChoice, SourceSpans, choose_reading, convert, unit_map
from .refi_read import ExProject, canonical, decode_raw, internal_entry, qde_entry, read_project
from ..safezip import SafeArchive, parse_xml


@dataclass
class RefiImport:
    path: Path
    origin: str = ""
    positions: PositionChoice | None = None
    transcripts_new: list[str] = field(default_factory=list)
    transcripts_present: list[str] = field(default_factory=list)
    codings_read: int = 0
    codings_new: int = 0
    participants: int = 0
    memos: int = 0
    coding_memos: int = 0  # codings that came with a memo
    sets: int = 0  # code groups added or extended
    codes: int = 0
    codebook_written: Path | None = None
    notes: list[str] = field(default_factory=list)  # what was skipped, for the user


def _read_texts(archive: SafeArchive, ex: ExProject, path: Path, problems: list[Problem],
                notes: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Source texts as written, BOM stripped (guid -> text) and note texts (guid -> text)."""
    def load(ref: str, what: str) -> str | None:
        if ref.lower().startswith("internal://"):
            entry = internal_entry(archive, ref)
            if entry is None:
                problems.append(Problem(str(path), None, None, f"{what}: its file {ref} is not in the archive "
                                        "(looked in sources/ and Sources/)"))
                return None
            try:
                return decode_raw(archive.read(entry), f"{path}:{entry}")
            except ExchangeError as exc:
                problems.append(Problem(str(path), None, None, f"{what}: {exc.message}"))
                return None
        notes.append(f"{what}: {ref} is an external file, not inside the archive; skipped")
        return None

    texts: dict[str, str] = {}
    for src in ex.sources:
        label = f"{src.kind} source {src.name or src.guid!r}"
        lost = sum(len(s.codings) for s in src.selections) + len(src.codings)
        lost_note = f" ({lost} coding(s) on it not imported)" if lost else ""
        if src.kind in ("picture", "audio", "video"):
            notes.append(f"{label} skipped: qualcode imports text only{lost_note}")
            continue
        if src.plain_path:
            text = load(src.plain_path, label)
        elif src.inline_text is not None:
            text = src.inline_text  # the XML parser already turned CRLF into LF
        else:
            why = "it has only a rich-text/PDF file" if src.rich_path or src.kind == "pdf" else "it has no text"
            notes.append(f"{label} skipped: {why} and no plain-text representation{lost_note}")
            continue
        if text is not None:
            texts[src.guid] = text
        if src.other_selections:
            notes.append(f"{label}: {src.other_selections} region selection(s) on pages skipped (text selections kept)")
    note_texts: dict[str, str] = {}
    for note in ex.notes:
        if note.plain_path:
            text = load(note.plain_path, f"note {note.name or note.guid!r}")
            if text is not None:
                note_texts[note.guid] = canonical(text)
        elif note.inline_text is not None:
            note_texts[note.guid] = note.inline_text.replace("\r\n", "\n")
    return texts, note_texts


def _match_codes(project: Project, codes: dict[str, ExCode], used: set[str], path: Path,
                 problems: list[Problem], notes: list[str]) -> dict[str, str]:
    """REFI code guid -> code id of the project's existing codebook."""
    book = project.codebook()
    by_guid = {code_guid(c.id): c.id for c in book.walk()}
    ids = set(book.ids())
    by_label: dict[str, list[str]] = {}
    for c in book.walk():
        by_label.setdefault(c.label.strip().casefold(), []).append(c.id)
    mapping: dict[str, str] = {}
    for guid, code in codes.items():
        qid = split_description(code.description)["id"]
        found = by_guid.get(guid) or (qid if qid in ids else None) or (slugify(code.name) if slugify(code.name) in ids else None)
        if not found and len(by_label.get(code.name.casefold(), [])) == 1:
            found = by_label[code.name.casefold()][0]
        if found:
            mapping[guid] = found
        elif guid in used:
            problems.append(Problem(str(path), None, None, f"code {code.name!r} is used by codings but matches no code "
                                    "of the project's codebook (by GUID, id or label); add it to the codebook first "
                                    "(see 'qualcode codebook import')"))
        else:
            notes.append(f"code {code.name!r} (no codings) matches no code of the codebook; not imported")
    return mapping


def place_selections(ex: ExProject, raws: dict[str, str], origin: str, forced: str | None) -> PositionChoice:
    """Decide the position unit (see ``positions``) and turn every selection's positions into code
    points of the canonical text, in place. A position past the text is left as read (refused later)."""
    sources = [s for s in ex.sources if s.guid in raws]
    spans = [SourceSpans(raws[s.guid], canonical(raws[s.guid]), [(x.start, x.end) for x in s.selections]) for s in sources]
    choice = choose_reading(origin, spans, forced)
    for src in sources:
        mapping = unit_map(raws[src.guid], choice.reading)
        for sel in src.selections:
            start, end = convert(sel.start, mapping, end=False), convert(sel.end, mapping, end=True)
            if start is not None and end is not None:  # else past the text in every reading: refused later
                sel.start, sel.end = start, end
    return choice


def import_refi(project: Project, path: Path, *, positions: str | None = None) -> RefiImport:
    """Import ``path``; ``positions`` (codepoints|utf16|utf16-crlf) overrules the position unit."""
    path = Path(path)
    report = RefiImport(path)
    problems: list[Problem] = []
    with SafeArchive(path) as archive:
        entry = qde_entry(archive)
        where = f"{path}:{entry}"
        ex = read_project(parse_xml(archive.read(entry), where), where)
        raws, note_texts = _read_texts(archive, ex, path, problems, report.notes)
    report.origin = ex.origin
    report.positions = place_selections(ex, raws, ex.origin, positions)
    if report.positions.warning:
        report.notes.append(report.positions.warning)
    texts = {guid: canonical(raw) for guid, raw in raws.items()}
    codes = {c.guid: c for top in ex.codes for c in top.walk()}
    used = {k.code for s in ex.sources if s.guid in texts for k in s.codings + [c for sel in s.selections for c in sel.codings]}
    for guid in sorted(used - set(codes)):
        problems.append(Problem(str(path), None, None, f"a coding refers to code {guid}, which is not in the CodeBook"))

    plan = Plan()
    if project.config.codebooks:
        plan.code_ids = _match_codes(project, codes, used, path, problems, report.notes)
    elif codes:
        stem = slugify(path.stem)
        plan.codebook_path = project.root / "codebooks" / f"{stem}-imported.yaml"
        if plan.codebook_path.exists():
            problems.append(Problem(str(path), None, None, f"{plan.codebook_path} already exists; move it away or add it to "
                                    "qualcode.toml as the project's codebook, then import again"))
        plan.codebook_text, plan.code_ids = codes_to_yaml(ex.codes, name=ex.name or path.stem, source=path.name)
    with project.engine.connect() as conn:
        existing = {t.name: t for t in list_transcripts(conn)}
        known_memos = {(m.kind, m.text, m.transcript_id, m.participant_id, m.code_id) for m in list_memos(conn)}
    plan.participants, source_case = plan_participants(ex)
    plan_sources(plan, ex, texts, source_case, existing, path, problems, report.notes)
    plan_memos(plan, ex, note_texts, report.notes)
    plan_sets(plan, ex, report.notes)
    if problems:
        raise ExchangeError(f"{path}: {len(problems)} problem(s); nothing was imported", problems)
    plan.known_memos = known_memos
    write_plan(project, plan, report)
    report.codes = len(set(plan.code_ids.values()))
    report.transcripts_new = [s.name for s in plan.sources if s.existing_id is None]
    report.transcripts_present = [s.name for s in plan.sources if s.existing_id is not None]
    report.codings_read = len(plan.codings)
    report.coding_memos = sum(1 for c in plan.codings if c.memo)
    report.participants = len(plan.participants)
    return report

