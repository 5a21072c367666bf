"""Cached sentence embeddings of turn texts, by text hash and model (the only SQL for them): the
semantic model backend embeds a text once per project, so re-runs cost nothing."""
from __future__ import annotations

import base64
from typing import Sequence

import numpy as np
import sqlalchemy as sa

from .schema import embeddings

CHUNK = 500  # keys per IN (...) query


class StoreCache:
    """``get``/``put`` of vectors by text hash for one embedding model, on an open connection."""

    def __init__(self, conn: sa.Connection, model: str):
        self.conn = conn
        self.model = model

    def get(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for i in range(0, len(keys), CHUNK):
            q = sa.select(embeddings.c.text_sha, embeddings.c.vector).where(
                embeddings.c.model == self.model, embeddings.c.text_sha.in_(list(keys[i:i + CHUNK])))
            for r in self.conn.execute(q):
                out[r.text_sha] = np.frombuffer(base64.b64decode(r.vector), dtype="<f4").copy()
        return out

    def put(self, vectors: dict[str, np.ndarray]) -> None:
        """Store the vectors not stored yet, in one statement (executemany) on the caller's transaction."""
        stored = self._stored(sorted(vectors))  # asked once: asking per vector made a put of n vectors cost n**2
        rows = [dict(text_sha=k, model=self.model, vector=base64.b64encode(np.asarray(v, dtype="<f4").tobytes()).decode())
                for k, v in sorted(vectors.items()) if k not in stored]
        if rows:
            self.conn.execute(embeddings.insert(), rows)

    def _stored(self, keys: Sequence[str]) -> set[str]:
        out: set[str] = set()
        for i in range(0, len(keys), CHUNK):
            q = sa.select(embeddings.c.text_sha).where(
                embeddings.c.model == self.model, embeddings.c.text_sha.in_(list(keys[i:i + CHUNK])))
            out.update(self.conn.execute(q).scalars())
        return out


def count_embeddings(conn: sa.Connection, model: str) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(embeddings).where(embeddings.c.model == model)).scalar_one()
