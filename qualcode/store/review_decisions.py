"""Co-facilitators' decisions from review packs (the only SQL for them).

One row per (coding, reviewer): the reviewer's latest decision on that quote and whether it was
applied to the coding, held back as a conflict with another reviewer, or overruled."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import sqlalchemy as sa

from .schema import review_decisions
from .transcripts import now

STATES = ("applied", "conflict", "overruled")


@dataclass(frozen=True)
class ReviewDecision:
    id: int
    coding_id: int
    reviewer: str
    decision: str  # keep | drop | best | ""
    move_to: str  # code id or ""
    state: str
    pack: str
    created_at: str
    updated_at: str


def list_decisions(conn: sa.Connection, *, coding_ids: Iterable[int] | None = None,
                   state: str | None = None) -> list[ReviewDecision]:
    q = sa.select(review_decisions).order_by(review_decisions.c.coding_id, review_decisions.c.id)
    if coding_ids is not None:
        q = q.where(review_decisions.c.coding_id.in_(list(coding_ids)))
    if state is not None:
        q = q.where(review_decisions.c.state == state)
    return [ReviewDecision(**r._mapping) for r in conn.execute(q)]


def record_decision(conn: sa.Connection, *, coding_id: int, reviewer: str, decision: str, move_to: str,
                    state: str, pack: str = "") -> None:
    """Insert or replace ``reviewer``'s decision on ``coding_id``."""
    stamp = now()
    cond = sa.and_(review_decisions.c.coding_id == coding_id, review_decisions.c.reviewer == reviewer)
    values = dict(decision=decision, move_to=move_to, state=state, pack=pack, updated_at=stamp)
    if conn.execute(sa.select(review_decisions.c.id).where(cond)).first():
        conn.execute(review_decisions.update().where(cond).values(**values))
    else:
        conn.execute(review_decisions.insert().values(coding_id=coding_id, reviewer=reviewer, created_at=stamp,
                                                      **values))


def set_state(conn: sa.Connection, decision_ids: Iterable[int], state: str) -> None:
    ids = list(decision_ids)
    if ids:
        conn.execute(review_decisions.update().where(review_decisions.c.id.in_(ids))
                     .values(state=state, updated_at=now()))
