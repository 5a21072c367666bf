"""The store's cache of sentence vectors (semantic model backend): vectors come back bit for bit, a put
stores only what is new, and one model's vectors are never served for another."""
from __future__ import annotations

import numpy as np
import sqlalchemy as sa

from qualcode.store.embeddings import StoreCache, count_embeddings
from qualcode.store.migrations import migrate


def test_vectors_round_trip_and_a_put_adds_only_new_ones(tmp_path, store_url):
    if store_url.startswith("sqlite"):
        (tmp_path / "store").mkdir()
    engine = sa.create_engine(store_url)
    migrate(engine)
    rng = np.random.default_rng(7)
    first = {f"{i:064x}": rng.standard_normal(384).astype(np.float32) for i in range(1200)}  # > one IN (...) chunk
    with engine.begin() as conn:
        StoreCache(conn, "model-a").put(first)
    more = dict(first, **{f"{i:064x}": rng.standard_normal(384).astype(np.float32) for i in range(1200, 1300)})
    with engine.begin() as conn:
        StoreCache(conn, "model-a").put(more)  # 1,200 already stored: no duplicate key, 100 added
        assert count_embeddings(conn, "model-a") == 1300
        got = StoreCache(conn, "model-a").get(sorted(more))
        assert all(np.array_equal(got[k], v) for k, v in more.items())
        assert StoreCache(conn, "model-b").get(sorted(more)) == {}  # another model's cache starts empty
    engine.dispose()
