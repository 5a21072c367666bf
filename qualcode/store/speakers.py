"""Each transcript's speakers (with the role their turns got) and its import warnings.

A speaker's role decides whether their turns are coded (``turns.is_participant``); a role set
by hand (``set_role``) is kept when the transcript is re-imported with ``--replace``.
Warnings stay listed (``qualcode status``, ``transcripts show``) until resolved.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..errors import ProjectError
from ..model import ROLES, ImportWarning, ParsedTranscript
from .sql import fetch
from .transcripts import now

if TYPE_CHECKING:  # SQLAlchemy is imported by the functions that use it (start-up time)
    import sqlalchemy as sa


@dataclass(frozen=True)
class SpeakerRow:
    transcript: str
    speaker: str
    role: str
    source: str
    turns: int
    words: int


@dataclass(frozen=True)
class WarningRow:
    id: int
    transcript: str
    source_path: str
    kind: str
    line: int | None
    speaker: str
    message: str
    resolved_at: str | None

    @property
    def where(self) -> str:
        place = self.source_path or self.transcript
        return f"{place}:{self.line}" if self.line else place


def user_roles(conn: sa.Connection, transcript_id: int) -> dict[str, str]:
    """Roles set by hand for this transcript's speakers."""
    import sqlalchemy as sa

    from .schema import transcript_speakers

    q = sa.select(transcript_speakers.c.speaker, transcript_speakers.c.role).where(
        transcript_speakers.c.transcript_id == transcript_id, transcript_speakers.c.source == "user")
    return {speaker: role for speaker, role in conn.execute(q)}


def apply_roles(parsed: ParsedTranscript, roles: dict[str, str]) -> ParsedTranscript:
    """The transcript with these speakers' roles set by hand (turns and summary), their warnings dropped."""
    if not roles:
        return parsed
    parsed.turns = [replace(t, is_participant=roles[t.speaker] == "participant") if t.speaker in roles else t
                    for t in parsed.turns]
    parsed.speakers = [replace(s, role=roles[s.speaker], source="user") if s.speaker in roles else s
                       for s in parsed.speakers]
    has_interviewer = any(s.role == "interviewer" for s in parsed.speakers)
    parsed.warnings = [w for w in parsed.warnings if not (
        (w.kind == "unknown-speaker" and w.speaker in roles) or (w.kind == "no-interviewer" and has_interviewer))]
    return parsed


def save_speakers(conn: sa.Connection, transcript_id: int, parsed: ParsedTranscript) -> None:
    """Replace the transcript's speaker rows and warnings with the parsed ones."""
    from .schema import transcript_speakers, transcript_warnings

    conn.execute(transcript_speakers.delete().where(transcript_speakers.c.transcript_id == transcript_id))
    conn.execute(transcript_warnings.delete().where(transcript_warnings.c.transcript_id == transcript_id))
    if parsed.speakers:
        conn.execute(transcript_speakers.insert(), [
            dict(transcript_id=transcript_id, speaker=s.speaker, role=s.role, source=s.source, turns=s.turns,
                 words=s.words) for s in parsed.speakers])
    if parsed.warnings:
        stamp = now()
        conn.execute(transcript_warnings.insert(), [
            dict(transcript_id=transcript_id, kind=w.kind, line=w.line, speaker=w.speaker, message=w.message,
                 created_at=stamp, resolution="") for w in parsed.warnings])


def add_warnings(conn: sa.Connection, transcript_id: int, kind: str, messages: list[str]) -> int:
    """Store warnings found outside transcript parsing (e.g. ``import refi``); one already open with
    the same kind and message is not added again. Returns how many were added."""
    import sqlalchemy as sa

    from .schema import transcript_warnings as w

    open_ = set(conn.execute(sa.select(w.c.message).where(
        w.c.transcript_id == transcript_id, w.c.kind == kind, w.c.resolved_at.is_(None))).scalars())
    new = [m for m in dict.fromkeys(messages) if m not in open_]
    if new:
        stamp = now()
        conn.execute(w.insert(), [dict(transcript_id=transcript_id, kind=kind, line=None, speaker="", message=m,
                                       created_at=stamp, resolution="") for m in new])
    return len(new)


def relabel_speakers(conn: sa.Connection, transcript_id: int, renamed: dict[str, str]) -> None:
    """After a rewrite of the transcript's labels (de-identification): rename its speaker rows and
    replace the old labels inside its warnings, so no old label survives anywhere."""
    import sqlalchemy as sa

    from .schema import transcript_speakers, transcript_warnings

    s, w = transcript_speakers, transcript_warnings
    renamed = {a: b for a, b in renamed.items() if a and a != b}
    rows = conn.execute(sa.select(s).where(s.c.transcript_id == transcript_id)).mappings().all()
    merged: dict[str, dict] = {}
    for row in rows:
        name = renamed.get(row["speaker"], row["speaker"])
        if name in merged:
            merged[name]["turns"] += row["turns"]
            merged[name]["words"] += row["words"]
        else:
            merged[name] = dict(row, speaker=name)
    conn.execute(s.delete().where(s.c.transcript_id == transcript_id))
    if merged:
        conn.execute(s.insert(), list(merged.values()))
    for row in conn.execute(sa.select(w.c.id, w.c.speaker, w.c.message).where(
            w.c.transcript_id == transcript_id)).all():
        message = row.message
        for old in sorted(renamed, key=len, reverse=True):
            message = message.replace(old, renamed[old])
        conn.execute(w.update().where(w.c.id == row.id).values(
            message=message, speaker=renamed.get(row.speaker, row.speaker)))


def list_speakers(conn: sa.Connection, transcript_id: int | None = None) -> list[SpeakerRow]:
    import sqlalchemy as sa

    from .schema import transcript_speakers, transcripts

    q = (sa.select(transcripts.c.name, transcript_speakers.c.speaker, transcript_speakers.c.role,
                   transcript_speakers.c.source, transcript_speakers.c.turns, transcript_speakers.c.words)
         .join(transcripts, transcripts.c.id == transcript_speakers.c.transcript_id)
         .order_by(transcripts.c.name, transcript_speakers.c.speaker))
    if transcript_id is not None:
        q = q.where(transcript_speakers.c.transcript_id == transcript_id)
    return [SpeakerRow(*r) for r in conn.execute(q)]


def interviewer_turns(conn) -> dict[int, int]:
    """Turns whose speaker's role is interviewer, per transcript id (``conn``: see ``store.sql``)."""
    q = ("SELECT transcript_id, sum(turns) FROM transcript_speakers WHERE role = :role "
         "GROUP BY transcript_id")
    return {tid: int(n or 0) for tid, n in fetch(conn, q, {"role": "interviewer"})}


def list_warnings(conn, transcript_id: int | None = None, *, unresolved: bool = True) -> list[WarningRow]:
    """Import warnings, by transcript name (``conn``: see ``store.sql``)."""
    where, params = [], {}
    if transcript_id is not None:
        where.append("w.transcript_id = :tid")
        params["tid"] = transcript_id
    if unresolved:
        where.append("w.resolved_at IS NULL")
    q = ("SELECT w.id, t.name, t.source_path, w.kind, w.line, w.speaker, w.message, w.resolved_at "
         "FROM transcript_warnings AS w JOIN transcripts AS t ON t.id = w.transcript_id"
         + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY t.name, w.id")
    return [WarningRow(*r) for r in fetch(conn, q, params)]


def resolve_warnings(conn: sa.Connection, transcript_id: int, ids: list[int] | None, how: str) -> int:
    """Mark warnings of a transcript resolved (all unresolved ones when ``ids`` is None)."""
    from .schema import transcript_warnings

    w = transcript_warnings
    q = w.update().where(w.c.transcript_id == transcript_id, w.c.resolved_at.is_(None))
    if ids is not None:
        q = q.where(w.c.id.in_(ids))
    return conn.execute(q.values(resolved_at=now(), resolution=how)).rowcount or 0


@dataclass
class RoleChange:
    transcripts: list[str]
    turns: int
    codings_on_turns: int  # codings lying in turns that are no longer coded (review them)
    resolved: int


def set_role(conn: sa.Connection, speaker: str, role: str, transcript_ids: list[int] | None) -> RoleChange:
    """Give ``speaker`` this role in the given transcripts (all where it speaks when None)."""
    import sqlalchemy as sa

    from .schema import transcript_speakers, transcripts

    if role not in ROLES:
        raise ProjectError(f"role {role!r} is not one of {', '.join(ROLES)}")
    s = transcript_speakers
    q = sa.select(s.c.transcript_id, transcripts.c.name).join(transcripts, transcripts.c.id == s.c.transcript_id)
    q = q.where(s.c.speaker == speaker)
    if transcript_ids is not None:
        q = q.where(s.c.transcript_id.in_(transcript_ids))
    found = conn.execute(q).all()
    if not found:
        raise ProjectError(f"no speaker {speaker!r} in {'that transcript' if transcript_ids else 'any transcript'} "
                           "(see 'qualcode speakers')")
    change = RoleChange(sorted(name for _, name in found), 0, 0, 0)
    for tid, _ in found:
        _set_one(conn, tid, speaker, role, change)
    return change


def _set_one(conn: sa.Connection, tid: int, speaker: str, role: str, change: RoleChange) -> None:
    import sqlalchemy as sa

    from .schema import autocode_state, codings, transcript_speakers, transcript_warnings, turns

    s = transcript_speakers
    conn.execute(s.update().where(s.c.transcript_id == tid, s.c.speaker == speaker).values(role=role, source="user"))
    where = sa.and_(turns.c.transcript_id == tid, turns.c.speaker == speaker)
    change.turns += conn.execute(turns.update().where(where).values(is_participant=role == "participant")).rowcount
    if role != "participant":
        for start, end in conn.execute(sa.select(turns.c.start, turns.c.end).where(where)).all():
            change.codings_on_turns += conn.execute(sa.select(sa.func.count()).select_from(codings).where(
                codings.c.transcript_id == tid, codings.c.start < end, codings.c.end > start)).scalar() or 0
    conn.execute(autocode_state.delete().where(autocode_state.c.transcript_id == tid))  # autocode must look again
    w = transcript_warnings
    stamp = now()
    change.resolved += conn.execute(w.update().where(
        w.c.transcript_id == tid, w.c.resolved_at.is_(None), w.c.kind == "unknown-speaker", w.c.speaker == speaker,
    ).values(resolved_at=stamp, resolution=f"role set to {role}")).rowcount or 0
    if role == "interviewer":
        change.resolved += conn.execute(w.update().where(
            w.c.transcript_id == tid, w.c.resolved_at.is_(None), w.c.kind == "no-interviewer",
        ).values(resolved_at=stamp, resolution=f"{speaker} set as interviewer")).rowcount or 0


def warning_lines(path: str, found: list[ImportWarning]) -> list[str]:
    """``file:line: message`` for each warning of a parsed file."""
    return [f"{w.where(path)}: {w.message}" for w in found]
