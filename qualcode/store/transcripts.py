"""Participants, transcripts and turns in the store. Functions take an open connection, so a
caller groups several of them into one transaction (``with project.engine.begin() as conn``)."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from ..errors import ProjectError
from ..model import ParsedTranscript, Participant, Turn
from .sql import fetch

if TYPE_CHECKING:  # SQLAlchemy is imported by the functions that use it (start-up time)
    import sqlalchemy as sa

WORD_RE = re.compile(r"\w+(?:['’]\w+)*")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def count_words(text: str) -> int:
    return len(WORD_RE.findall(text))


def parsed_words(parsed: ParsedTranscript) -> int:
    """The reader's count when it made one (the same regex, counted part by part), else a count now."""
    return parsed.words if parsed.words >= 0 else count_words(parsed.text)


@dataclass(frozen=True)
class TranscriptRow:
    @property
    def participant_label(self) -> str:
        """How quotes name the speaker: the roster's attribution, else the participant id, else the file."""
        return self.attribution or self.pid or self.name

    id: int
    name: str
    grp: str
    participant_id: int | None
    pid: str | None
    attribution: str | None
    role: str | None
    source_format: str
    source_path: str
    sha256: str
    words: int
    text: str
    imported_at: str


def upsert_participant(conn: sa.Connection, p: Participant) -> int:
    import sqlalchemy as sa

    from .schema import participants

    row = conn.execute(sa.select(participants.c.id).where(
        participants.c.grp == p.group, participants.c.pid == p.pid)).first()
    values = dict(role=p.role, attribution=p.attribution or p.label, attributes=json.dumps(p.attributes, sort_keys=True))
    if row:
        conn.execute(participants.update().where(participants.c.id == row.id).values(**values))
        return row.id
    try:
        with conn.begin_nested():  # another process may insert the same participant meanwhile
            return conn.execute(participants.insert().values(pid=p.pid, grp=p.group, **values)).inserted_primary_key[0]
    except sa.exc.IntegrityError:
        return upsert_participant(conn, p)


def list_participants(conn: sa.Connection) -> list[Participant]:
    import sqlalchemy as sa

    from .schema import participants

    rows = conn.execute(sa.select(participants).order_by(participants.c.grp, participants.c.pid)).all()
    return [Participant(r.pid, r.grp, r.role, r.attribution, json.loads(r.attributes or "{}")) for r in rows]


def participant_ids(conn: sa.Connection) -> dict[tuple[str, str], int]:
    import sqlalchemy as sa

    from .schema import participants

    return {(r.grp, r.pid): r.id for r in conn.execute(sa.select(participants.c.id, participants.c.grp, participants.c.pid))}


TRANSCRIPT_QUERY = (
    "SELECT t.id, t.name, t.grp, t.participant_id, p.pid, p.attribution, p.role, t.source_format, t.source_path, "
    "t.sha256, t.words, t.text, t.imported_at "
    "FROM transcripts AS t LEFT OUTER JOIN participants AS p ON p.id = t.participant_id")


def list_transcripts(conn) -> list[TranscriptRow]:
    """Every transcript, in import order (``conn``: see ``store.sql``)."""
    return [TranscriptRow(*r) for r in fetch(conn, TRANSCRIPT_QUERY + " ORDER BY t.id")]


def find_transcript(conn, ref: str | int) -> TranscriptRow | None:
    """The transcript with this id, else this name (``conn``: see ``store.sql``)."""
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        rows = fetch(conn, TRANSCRIPT_QUERY + " WHERE t.id = :id", {"id": int(ref)})
        if rows:
            return TranscriptRow(*rows[0])
    rows = fetch(conn, TRANSCRIPT_QUERY + " WHERE t.name = :name", {"name": str(ref)})
    return TranscriptRow(*rows[0]) if rows else None


def get_transcript(conn: sa.Connection, ref: str | int) -> TranscriptRow:
    row = find_transcript(conn, ref)
    if row is None:
        raise ProjectError(f"no transcript {ref!r} in this project (see 'qualcode transcripts list')")
    return row


def get_turns(conn, transcript_id: int) -> list[Turn]:
    """A transcript's turns in order (``conn``: see ``store.sql``)."""
    rows = fetch(conn, 'SELECT idx, speaker, "start", "end", is_participant, time_start, time_end FROM turns '
                       "WHERE transcript_id = :tid ORDER BY idx", {"tid": transcript_id})
    return [Turn(idx, speaker, start, end, bool(part), t0, t1) for idx, speaker, start, end, part, t0, t1 in rows]


def all_turns(conn: sa.Connection) -> dict[int, list[Turn]]:
    import sqlalchemy as sa

    from .schema import turns

    out: dict[int, list[Turn]] = {}
    for r in conn.execute(sa.select(turns).order_by(turns.c.transcript_id, turns.c.idx)):
        out.setdefault(r.transcript_id, []).append(
            Turn(r.idx, r.speaker, r.start, r.end, bool(r.is_participant), r.time_start, r.time_end))
    return out


def participant_unit_rows(conn: sa.Connection, transcript_ids: set[int] | None = None) -> dict[int, list[tuple]]:
    """Every turn as a plain ``(idx, start, end, speaker, is_participant)`` tuple per transcript: the
    cheap form the coding engine needs (no ``Turn`` objects for a million-word project)."""
    import sqlalchemy as sa

    from .schema import turns

    q = sa.select(turns.c.transcript_id, turns.c.idx, turns.c.start, turns.c.end, turns.c.speaker,
                  turns.c.is_participant).order_by(turns.c.transcript_id, turns.c.idx)
    out: dict[int, list[tuple]] = {}
    for tid, idx, start, end, speaker, is_participant in conn.execute(q):
        if transcript_ids is None or tid in transcript_ids:
            out.setdefault(tid, []).append((idx, start, end, speaker, bool(is_participant)))
    return out


def turn_counts(conn) -> dict[int, int]:
    """Turns per transcript id (``conn``: see ``store.sql``)."""
    return {tid: n for tid, n in fetch(conn, "SELECT transcript_id, count(*) FROM turns GROUP BY transcript_id")}


def _insert_turns(conn: sa.Connection, transcript_id: int, parsed: ParsedTranscript) -> None:
    from .schema import turns

    if parsed.turns:
        conn.execute(turns.insert(), [
            dict(transcript_id=transcript_id, idx=t.index, speaker=t.speaker, start=t.start, end=t.end,
                 is_participant=t.is_participant, time_start=t.time_start, time_end=t.time_end)
            for t in parsed.turns])


def insert_transcript(conn: sa.Connection, parsed: ParsedTranscript, *, group: str,
                      participant_id: int | None) -> int:
    from .schema import transcripts

    tid = conn.execute(transcripts.insert().values(
        name=parsed.name, participant_id=participant_id, grp=group, source_path=parsed.source_path,
        source_format=parsed.source_format, text=parsed.text, sha256=text_hash(parsed.text),
        words=parsed_words(parsed), imported_at=now())).inserted_primary_key[0]
    _insert_turns(conn, tid, parsed)
    return tid


@dataclass
class ReplaceResult:
    kept: int
    moved: int
    dropped: list[tuple[str, str]]  # (code_id, snippet) of codings whose text is gone


def replace_transcript(conn: sa.Connection, existing: TranscriptRow, parsed: ParsedTranscript, *,
                       group: str, participant_id: int | None) -> ReplaceResult:
    """Replace a transcript's text; keep codings whose text is unchanged (moving offsets when the
    same words occur exactly once in the new text) and report the others."""
    import sqlalchemy as sa

    from .schema import codings, transcripts, turns

    new_text = parsed.text
    result = ReplaceResult(0, 0, [])
    rows = conn.execute(sa.select(codings.c.id, codings.c.start, codings.c.end, codings.c.snippet, codings.c.code_id)
                        .where(codings.c.transcript_id == existing.id)).all()
    for r in rows:
        if new_text[r.start:r.end] == r.snippet:
            result.kept += 1
            continue
        first = new_text.find(r.snippet) if r.snippet else -1
        if first >= 0 and new_text.find(r.snippet, first + 1) < 0:
            conn.execute(codings.update().where(codings.c.id == r.id).values(
                start=first, end=first + len(r.snippet), updated_at=now()))
            result.moved += 1
        else:
            conn.execute(codings.delete().where(codings.c.id == r.id))
            result.dropped.append((r.code_id, r.snippet))
    conn.execute(turns.delete().where(turns.c.transcript_id == existing.id))
    conn.execute(transcripts.update().where(transcripts.c.id == existing.id).values(
        participant_id=participant_id, grp=group, source_path=parsed.source_path,
        source_format=parsed.source_format, text=new_text, sha256=text_hash(new_text),
        words=parsed_words(parsed), imported_at=now()))
    _insert_turns(conn, existing.id, parsed)
    return result


def set_transcript_text(conn: sa.Connection, transcript_id: int, text: str, new_turns: list[Turn]) -> None:
    """Rewrite a transcript's text and turns in place (used by de-identification); the speaker
    table and import warnings follow the new speaker labels, so no old label is left behind."""
    import sqlalchemy as sa

    from .schema import transcripts, turns

    from .speakers import relabel_speakers

    old = dict(conn.execute(sa.select(turns.c.idx, turns.c.speaker).where(turns.c.transcript_id == transcript_id)).all())
    conn.execute(transcripts.update().where(transcripts.c.id == transcript_id).values(
        text=text, sha256=text_hash(text), words=count_words(text)))
    relabel_speakers(conn, transcript_id, {old[t.index]: t.speaker for t in new_turns if t.index in old})
    conn.execute(turns.delete().where(turns.c.transcript_id == transcript_id))
    if new_turns:
        conn.execute(turns.insert(), [
            dict(transcript_id=transcript_id, idx=t.index, speaker=t.speaker, start=t.start, end=t.end,
                 is_participant=t.is_participant, time_start=t.time_start, time_end=t.time_end)
            for t in new_turns])
