"""Code co-occurrence over coded segments, and the c-coefficient n12 / (n1 + n2 - n12)."""
from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd


def cooccurrence(codings: pd.DataFrame, *, codes: Iterable[str] | None = None
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(counts, c)`` as code x code DataFrames.

    ``counts``: off the diagonal, n12 = segments coded with both codes; on the diagonal, n = the
    segments coded with that code. ``c``: n12 / (n1 + n2 - n12), 0 where a code is never used
    (1.0 on the diagonal of a used code). A code applied twice to one segment counts once.
    ``codes``: which codes and in what order (default: every coded code, sorted).
    """
    missing = [c for c in ("segment", "code") if c not in codings.columns]
    if missing:
        raise ValueError(f"codings lacks column(s) {', '.join(missing)}")
    code_list = list(codes) if codes is not None else sorted(codings["code"].dropna().unique(), key=str)
    pairs = codings[["segment", "code"]].dropna().drop_duplicates()
    pairs = pairs[pairs["code"].isin(code_list)]
    presence = pd.crosstab(pairs["segment"], pairs["code"]).reindex(columns=code_list, fill_value=0)
    matrix = presence.to_numpy(dtype=np.int64)
    together = matrix.T @ matrix
    counts = pd.DataFrame(together, index=pd.Index(code_list, name="code"),
                          columns=pd.Index(code_list, name="code"))
    n = np.diag(together).astype(float)
    union = n[:, None] + n[None, :] - together
    with np.errstate(divide="ignore", invalid="ignore"):
        coefficient = np.where(union > 0, together / union, 0.0)
    c = pd.DataFrame(coefficient, index=counts.index.copy(), columns=counts.columns.copy())
    return counts, c
