"""Codings, coders, codebook versions and memos in the store (the only SQL for them)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from ..codebook.model import Codebook
from .sql import execute, fetch, in_list
from .transcripts import now, text_hash

if TYPE_CHECKING:  # SQLAlchemy is imported by the functions that use it (start-up time)
    import sqlalchemy as sa

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
    from sqlalchemy.dialects import sqlite

    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql  # loaded only for a PostgreSQL store

        return postgresql.insert(table)
    return sqlite.insert(table)


def ensure_coders(conn: sa.Connection, names: Iterable[str]) -> None:
    from .schema import coders

    names = sorted({n for n in names if n})
    if names:
        stmt = _insert(conn, coders).on_conflict_do_nothing(index_elements=["name"])
        conn.execute(stmt, [dict(name=n, created_at=now()) for n in names])


def list_coders(conn: sa.Connection) -> list[tuple[str, dict[str, int]]]:
    """Each coder with its number of codings per status."""
    import sqlalchemy as sa

    from .schema import coders, codings

    counts: dict[str, dict[str, int]] = {r.name: {} for r in conn.execute(sa.select(coders.c.name))}
    q = sa.select(codings.c.coder, codings.c.status, sa.func.count()).group_by(codings.c.coder, codings.c.status)
    for coder, status, n in conn.execute(q):
        counts.setdefault(coder, {})[status] = n
    return sorted(counts.items())


def record_codebook(conn: sa.Connection, book: Codebook) -> int:
    import sqlalchemy as sa

    from .schema import codebook_versions

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
    import sqlalchemy as sa

    from .schema import codings

    return conn.execute(sa.select(sa.func.count()).select_from(codings)).scalar() or 0


CODING_QUERY = (
    'SELECT c.id, c.transcript_id, t.name, t.grp, p.pid, p.attribution, c."start", c."end", c.snippet, c.code_id, '
    "c.coder, c.origin, c.status, c.exemplar, c.memo, c.rule_id, c.evidence, c.decided_by, c.created_at, "
    "c.updated_at FROM codings AS c JOIN transcripts AS t ON t.id = c.transcript_id "
    "LEFT OUTER JOIN participants AS p ON p.id = t.participant_id")
# Columns a caller may set with update_codings (names go into the SQL text, so only these).
UPDATABLE = ("code_id", "status", "exemplar", "memo", "decided_by", "evidence", "updated_at")


def _coding_row(r: tuple) -> CodingRow:
    return CodingRow(*r[:13], bool(r[13]), *r[14:])


def query_codings(conn, *, ids: Iterable[int] | None = None, code: str | Iterable[str] | None = None,
                  coder: str | Iterable[str] | None = None, status: str | Iterable[str] | None = None,
                  transcript_id: int | None = None, group: str | None = None, participant: str | None = None,
                  search: str | None = None, exemplar: bool | None = None) -> list[CodingRow]:
    """Codings matching every filter given, in transcript and text order (``conn``: see ``store.sql``)."""
    where: list[str] = []
    params: dict = {}

    def many(column: str, name: str, value) -> str:
        return f"{column} IN " + in_list(name, [value] if isinstance(value, str) else value, params)

    for column, name, value in (("c.id", "id", ids), ("c.code_id", "code", code), ("c.coder", "coder", coder),
                                ("c.status", "status", status)):
        if value is not None:
            where.append(many(column, name, value))
    for column, name, value in (("c.transcript_id", "tid", transcript_id), ("t.grp", "grp", group),
                                ("p.pid", "pid", participant), ("c.exemplar", "exemplar", exemplar)):
        if value is not None:
            where.append(f"{column} = :{name}")
            params[name] = value
    if search:
        where.append("lower(c.snippet) LIKE lower(:search)")
        params["search"] = f"%{search}%"
    q = (CODING_QUERY + (" WHERE " + " AND ".join(where) if where else "")
         + ' ORDER BY c.transcript_id, c."start", c."end", c.code_id, c.coder')
    return [_coding_row(r) for r in fetch(conn, q, params)]


def update_codings(conn, ids: Iterable[int], **values) -> int:
    """Set these columns (see ``UPDATABLE``) of the codings with these ids (``conn``: see ``store.sql``)."""
    ids = list(ids)
    if not ids:
        return 0
    values["updated_at"] = now()
    unknown = set(values) - set(UPDATABLE)
    if unknown:
        raise ValueError(f"update_codings cannot set {sorted(unknown)}")
    params = {f"v_{k}": v for k, v in values.items()}
    sets = ", ".join(f"{k} = :v_{k}" for k in values)
    return execute(conn, f"UPDATE codings SET {sets} WHERE id IN {in_list('id', ids, params)}", params)


def delete_codings(conn, ids: Iterable[int]) -> int:
    """Delete the codings with these ids (``conn``: see ``store.sql``)."""
    ids = list(ids)
    if not ids:
        return 0
    params: dict = {}
    return execute(conn, f"DELETE FROM codings WHERE id IN {in_list('id', ids, params)}", params)


def add_memo(conn: sa.Connection, *, kind: str, text: str, author: str = "", transcript_id: int | None = None,
             coding_id: int | None = None, participant_id: int | None = None, code_id: str | None = None) -> int:
    from .schema import memos

    stamp = now()
    return conn.execute(memos.insert().values(
        kind=kind, text=text, author=author, transcript_id=transcript_id, coding_id=coding_id,
        participant_id=participant_id, code_id=code_id, created_at=stamp, updated_at=stamp)).inserted_primary_key[0]


def set_summary(conn: sa.Connection, *, participant_id: int, code_id: str, text: str, author: str) -> None:
    """The Framework-matrix summary for one participant and code (one per pair; replaced when set again)."""
    import sqlalchemy as sa

    from .schema import memos

    cond = sa.and_(memos.c.kind == "summary", memos.c.participant_id == participant_id, memos.c.code_id == code_id)
    if conn.execute(sa.select(memos.c.id).where(cond)).first():
        conn.execute(memos.update().where(cond).values(text=text, author=author, updated_at=now()))
    else:
        add_memo(conn, kind="summary", text=text, author=author, participant_id=participant_id, code_id=code_id)


def list_memos(conn: sa.Connection, kind: str | None = None, *, coding_id: int | None = None,
               author: str | None = None) -> list[sa.Row]:
    import sqlalchemy as sa

    from .schema import memos

    q = sa.select(memos).order_by(memos.c.id)
    if kind:
        q = q.where(memos.c.kind == kind)
    if coding_id is not None:
        q = q.where(memos.c.coding_id == coding_id)
    if author is not None:
        q = q.where(memos.c.author == author)
    return list(conn.execute(q))


def delete_memo(conn: sa.Connection, memo_id: int) -> int:
    from .schema import memos

    return conn.execute(memos.delete().where(memos.c.id == memo_id)).rowcount


def rewrite_codings(conn: sa.Connection, updates: list[dict]) -> int:
    """Set new offsets/snippets (and optionally memo, evidence) of many codings at once, e.g. after
    de-identification changed their transcript's text. Each dict has ``id``, ``start``, ``end``,
    ``snippet`` (``memo``/``evidence`` optional). Offsets move in two steps so that codings swapping
    places never collide on the unique (transcript, start, end, code, coder) key mid-way."""
    from .schema import codings

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
    from .schema import memos

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
    decided_by: str = ""


def coding_keys(conn: sa.Connection, coder: str) -> list[CodingKey]:
    import sqlalchemy as sa

    from .schema import codings

    q = sa.select(codings.c.id, codings.c.transcript_id, codings.c.start, codings.c.end, codings.c.code_id,
                  codings.c.status, codings.c.origin, codings.c.rule_id, codings.c.snippet,
                  codings.c.decided_by).where(codings.c.coder == coder)
    return [CodingKey(*r) for r in conn.execute(q)]


def count_by_code(conn: sa.Connection, coder: str) -> dict[str, int]:
    import sqlalchemy as sa

    from .schema import codings

    q = sa.select(codings.c.code_id, sa.func.count()).where(codings.c.coder == coder).group_by(codings.c.code_id)
    return {code: n for code, n in conn.execute(q)}


def set_evidence(conn: sa.Connection, evidence: dict[int, str]) -> int:
    """Replace the stored evidence of codings (id -> JSON text), in one executemany."""
    import sqlalchemy as sa

    from .schema import codings

    if not evidence:
        return 0
    stmt = codings.update().where(codings.c.id == sa.bindparam("cid")).values(evidence=sa.bindparam("ev"))
    conn.execute(stmt, [dict(cid=i, ev=e) for i, e in evidence.items()])
    return len(evidence)
