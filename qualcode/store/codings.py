"""Codings, coders, codebook versions and memos in the store (the only SQL for them)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

from ..codebook.model import Codebook
from .schema import codebook_versions, coders, codings, memos, participants, transcripts
from .transcripts import now, text_hash

STATUSES = ("suggested", "accepted", "rejected")
ORIGINS = ("rule", "manual", "import", "consensus", "review", "model")
RULES_CODER = "qualcode:rules"


@dataclass(frozen=True)
class CodingRow:
    id: int
    transcript_id: int
    transcript: str
    grp: str
    pid: str | None
    attribution: str | None
    start: int
    end: int
    snippet: str
    code_id: str
    coder: str
    origin: str
    status: str
    exemplar: bool
    memo: str
    rule_id: str
    evidence: str
    decided_by: str
    created_at: str
    updated_at: str

    @property
    def participant_label(self) -> str:
        return self.attribution or self.pid or self.transcript


def _insert(conn: sa.Connection, table: sa.Table):
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql  # loaded only for a PostgreSQL store

        return postgresql.insert(table)
    return sqlite.insert(table)


def ensure_coders(conn: sa.Connection, names: Iterable[str]) -> None:
    names = sorted({n for n in names if n})
    if names:
        stmt = _insert(conn, coders).on_conflict_do_nothing(index_elements=["name"])
        conn.execute(stmt, [dict(name=n, created_at=now()) for n in names])


def list_coders(conn: sa.Connection) -> list[tuple[str, dict[str, int]]]:
    """Each coder with its number of codings per status."""
    counts: dict[str, dict[str, int]] = {r.name: {} for r in conn.execute(sa.select(coders.c.name))}
    q = sa.select(codings.c.coder, codings.c.status, sa.func.count()).group_by(codings.c.coder, codings.c.status)
    for coder, status, n in conn.execute(q):
        counts.setdefault(coder, {})[status] = n
    return sorted(counts.items())


def record_codebook(conn: sa.Connection, book: Codebook) -> int:
    sha = text_hash(book.source_text)
    row = conn.execute(sa.select(codebook_versions.c.id).where(codebook_versions.c.sha256 == sha)).first()
    if row:
        return row.id
    try:
        with conn.begin_nested():  # another process (a concurrent autocode) may record it meanwhile
            return conn.execute(codebook_versions.insert().values(
                sha256=sha, name=book.name, path=book.path, content=book.source_text,
                loaded_at=now())).inserted_primary_key[0]
    except sa.exc.IntegrityError:
        return conn.execute(sa.select(codebook_versions.c.id).where(codebook_versions.c.sha256 == sha)).scalar_one()


def insert_codings(conn: sa.Connection, rows: list[dict]) -> int:
    """Insert codings, ignoring any that already exist (same transcript, offsets, code, coder).
    Each row needs transcript_id, start, end, snippet, code_id, coder, origin, status.
    Returns the number of rows actually inserted."""
    if not rows:
        return 0
    ensure_coders(conn, {r["coder"] for r in rows})
    stamp = now()
    defaults = dict(exemplar=False, memo="", rule_id="", evidence="", codebook_version_id=None, decided_by="",
                    created_at=stamp, updated_at=stamp)
    params = [tuple(r.get(c, defaults.get(c)) for c in _INSERT_COLUMNS) for r in rows]
    before = count_codings(conn)
    # The hot path of autocode: one prepared INSERT ... ON CONFLICT DO NOTHING (the same SQL in SQLite
    # and PostgreSQL) run with the driver's executemany, about 3x faster than Core's per-row binding.
    conn.exec_driver_sql(_insert_sql(conn.dialect.paramstyle), params)
    return count_codings(conn) - before


_INSERT_COLUMNS = ("transcript_id", "start", "end", "snippet", "code_id", "coder", "origin", "status", "exemplar",
                   "memo", "rule_id", "evidence", "codebook_version_id", "decided_by", "created_at", "updated_at")


def _insert_sql(paramstyle: str) -> str:
    marks = ", ".join(["?" if paramstyle == "qmark" else "%s"] * len(_INSERT_COLUMNS))
    columns = ", ".join(f'"{c}"' for c in _INSERT_COLUMNS)
    return (f"INSERT INTO codings ({columns}) VALUES ({marks}) "
            'ON CONFLICT ("transcript_id", "start", "end", "code_id", "coder") DO NOTHING')


def count_codings(conn: sa.Connection) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(codings)).scalar() or 0


def _coding_query() -> sa.Select:
    return (sa.select(codings.c.id, codings.c.transcript_id, transcripts.c.name.label("transcript"),
                      transcripts.c.grp, participants.c.pid, participants.c.attribution,
                      codings.c.start, codings.c.end, codings.c.snippet, codings.c.code_id, codings.c.coder,
                      codings.c.origin, codings.c.status, codings.c.exemplar, codings.c.memo, codings.c.rule_id,
                      codings.c.evidence, codings.c.decided_by, codings.c.created_at, codings.c.updated_at)
            .select_from(codings.join(transcripts, transcripts.c.id == codings.c.transcript_id)
                         .outerjoin(participants, participants.c.id == transcripts.c.participant_id)))


def query_codings(conn: sa.Connection, *, ids: Iterable[int] | None = None, code: str | Iterable[str] | None = None,
                  coder: str | Iterable[str] | None = None, status: str | Iterable[str] | None = None,
                  transcript_id: int | None = None, group: str | None = None, participant: str | None = None,
                  search: str | None = None, exemplar: bool | None = None) -> list[CodingRow]:
    q = _coding_query()

    def many(col, value):
        values = [value] if isinstance(value, str) else list(value)
        return col.in_(values)

    if ids is not None:
        q = q.where(codings.c.id.in_(list(ids)))
    if code is not None:
        q = q.where(many(codings.c.code_id, code))
    if coder is not None:
        q = q.where(many(codings.c.coder, coder))
    if status is not None:
        q = q.where(many(codings.c.status, status))
    if transcript_id is not None:
        q = q.where(codings.c.transcript_id == transcript_id)
    if group is not None:
        q = q.where(transcripts.c.grp == group)
    if participant is not None:
        q = q.where(participants.c.pid == participant)
    if search:
        q = q.where(codings.c.snippet.ilike(f"%{search}%"))
    if exemplar is not None:
        q = q.where(codings.c.exemplar == exemplar)
    q = q.order_by(codings.c.transcript_id, codings.c.start, codings.c.end, codings.c.code_id, codings.c.coder)
    return [CodingRow(**r._mapping) for r in conn.execute(q)]


def update_codings(conn: sa.Connection, ids: Iterable[int], **values) -> int:
    ids = list(ids)
    if not ids:
        return 0
    values["updated_at"] = now()
    return conn.execute(codings.update().where(codings.c.id.in_(ids)).values(**values)).rowcount


def delete_codings(conn: sa.Connection, ids: Iterable[int]) -> int:
    ids = list(ids)
    if not ids:
        return 0
    return conn.execute(codings.delete().where(codings.c.id.in_(ids))).rowcount


def add_memo(conn: sa.Connection, *, kind: str, text: str, author: str = "", transcript_id: int | None = None,
             coding_id: int | None = None, participant_id: int | None = None, code_id: str | None = None) -> int:
    stamp = now()
    return conn.execute(memos.insert().values(
        kind=kind, text=text, author=author, transcript_id=transcript_id, coding_id=coding_id,
        participant_id=participant_id, code_id=code_id, created_at=stamp, updated_at=stamp)).inserted_primary_key[0]


def set_summary(conn: sa.Connection, *, participant_id: int, code_id: str, text: str, author: str) -> None:
    """The Framework-matrix summary for one participant and code (one per pair; replaced when set again)."""
    cond = sa.and_(memos.c.kind == "summary", memos.c.participant_id == participant_id, memos.c.code_id == code_id)
    if conn.execute(sa.select(memos.c.id).where(cond)).first():
        conn.execute(memos.update().where(cond).values(text=text, author=author, updated_at=now()))
    else:
        add_memo(conn, kind="summary", text=text, author=author, participant_id=participant_id, code_id=code_id)


def list_memos(conn: sa.Connection, kind: str | None = None, *, coding_id: int | None = None,
               author: str | None = None) -> list[sa.Row]:
    q = sa.select(memos).order_by(memos.c.id)
    if kind:
        q = q.where(memos.c.kind == kind)
    if coding_id is not None:
        q = q.where(memos.c.coding_id == coding_id)
    if author is not None:
        q = q.where(memos.c.author == author)
    return list(conn.execute(q))


def delete_memo(conn: sa.Connection, memo_id: int) -> int:
    return conn.execute(memos.delete().where(memos.c.id == memo_id)).rowcount


def rewrite_codings(conn: sa.Connection, updates: list[dict]) -> int:
    """Set new offsets/snippets (and optionally memo, evidence) of many codings at once, e.g. after
    de-identification changed their transcript's text. Each dict has ``id``, ``start``, ``end``,
    ``snippet`` (``memo``/``evidence`` optional). Offsets move in two steps so that codings swapping
    places never collide on the unique (transcript, start, end, code, coder) key mid-way."""
    if not updates:
        return 0
    stamp = now()
    for u in updates:  # step 1: park each moved coding on a unique negative span
        conn.execute(codings.update().where(codings.c.id == u["id"]).values(start=-u["id"], end=-u["id"]))
    for u in updates:
        values = {k: u[k] for k in ("start", "end", "snippet", "memo", "evidence") if k in u}
        conn.execute(codings.update().where(codings.c.id == u["id"]).values(updated_at=stamp, **values))
    return len(updates)


def set_memo_texts(conn: sa.Connection, texts: dict[int, str]) -> int:
    """Replace the text of several memos (``{memo id: new text}``)."""
    stamp = now()
    for memo_id, text in texts.items():
        conn.execute(memos.update().where(memos.c.id == memo_id).values(text=text, updated_at=stamp))
    return len(texts)


@dataclass(frozen=True)
class CodingKey:
    """The few fields autocode compares runs on (cheaper than a full ``CodingRow``)."""

    id: int
    transcript_id: int
    start: int
    end: int
    code_id: str
    status: str
    origin: str
    rule_id: str
    snippet: str


def coding_keys(conn: sa.Connection, coder: str) -> list[CodingKey]:
    q = sa.select(codings.c.id, codings.c.transcript_id, codings.c.start, codings.c.end, codings.c.code_id,
                  codings.c.status, codings.c.origin, codings.c.rule_id, codings.c.snippet).where(codings.c.coder == coder)
    return [CodingKey(*r) for r in conn.execute(q)]


def count_by_code(conn: sa.Connection, coder: str) -> dict[str, int]:
    q = sa.select(codings.c.code_id, sa.func.count()).where(codings.c.coder == coder).group_by(codings.c.code_id)
    return {code: n for code, n in conn.execute(q)}


def set_evidence(conn: sa.Connection, evidence: dict[int, str]) -> int:
    """Replace the stored evidence of codings (id -> JSON text), in one executemany."""
    if not evidence:
        return 0
    stmt = codings.update().where(codings.c.id == sa.bindparam("cid")).values(evidence=sa.bindparam("ev"))
    conn.execute(stmt, [dict(cid=i, ev=e) for i, e in evidence.items()])
    return len(evidence)
