"""Agreement from integer tallies: numpy counts the pairs, exact fractions finish the sums.

Krippendorff's coincidence matrix weights each unit's ordered value pairs by 1 / (m_u - 1), m_u being
the number of values in the unit. Units are grouped by m_u, so the pairs of each group are plain
integers that numpy counts for every unit at once (a value-count matrix ``N``, units x values, gives
the pair counts ``N.T @ N`` minus the values paired with themselves). Only the few per-group totals
become ``Fraction``: the results equal, to the last bit, those of ``agreement_stats.alpha_fraction``
and ``agreement_fraction`` computed unit by unit (the same exact sums in another order).
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

# m -> (V x V) ordered pair counts within units of m values (V values, integer counts)
Pairs = dict[int, np.ndarray]


def value_pairs(counts: np.ndarray) -> Pairs:
    """Pair counts per unit size from ``counts`` (units x values: how many coders gave each value);
    units with fewer than two values are not pairable and are left out."""
    counts = np.asarray(counts, dtype=np.int64)
    sizes = counts.sum(axis=1)
    pairs: Pairs = {}
    for m in np.unique(sizes[sizes >= 2]):
        group = counts[sizes == m]
        # a float product uses BLAS; every partial sum is an integer below 2**53, so it is exact
        as_float = group.astype(np.float64)
        p = np.rint(as_float.T @ as_float).astype(np.int64)
        p[np.diag_indices_from(p)] -= group.sum(axis=0)
        pairs[int(m)] = p
    return pairs


def binary_pairs(ones: np.ndarray, sizes: np.ndarray) -> dict[int, np.ndarray]:
    """Per unit size m, per code: [pairs 0-0, pairs 0-1 (= 1-0), pairs 1-1] for present/absent values.

    ``ones`` is units x codes (coders who applied the code), ``sizes`` the coders who saw each unit."""
    ones = np.asarray(ones, dtype=np.int64)
    sizes = np.asarray(sizes, dtype=np.int64)
    out: dict[int, np.ndarray] = {}
    for m in np.unique(sizes[sizes >= 2]):
        k = ones[sizes == m]
        zeros = int(m) - k
        out[int(m)] = np.stack([(zeros * (zeros - 1)).sum(axis=0), (zeros * k).sum(axis=0),
                                (k * (k - 1)).sum(axis=0)], axis=1)
    return out


def binary_as_pairs(binary: dict[int, np.ndarray], code: int | None = None) -> Pairs:
    """2 x 2 pair counts per unit size for one code (or summed over all codes when ``code`` is None)."""
    pairs: Pairs = {}
    for m, per_code in binary.items():
        p00, p01, p11 = (per_code[code] if code is not None else per_code.sum(axis=0)).tolist()
        pairs[m] = np.array([[p00, p01], [p01, p11]], dtype=np.int64)
    return pairs


def alpha_from_pairs(pairs: Pairs) -> Fraction | None:
    """Exact nominal Krippendorff's alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c n_k.

    ``None`` when undefined: no pairable values, or zero expected disagreement (one value only)."""
    if not pairs:
        return None
    size = next(iter(pairs.values())).shape[0]
    o = [[Fraction(0)] * size for _ in range(size)]
    for m, p in pairs.items():
        for c, row in enumerate(p.tolist()):
            for k, count in enumerate(row):
                if count:
                    o[c][k] += Fraction(count, m - 1)
    n_c = [sum(row, Fraction(0)) for row in o]
    n = sum(n_c, Fraction(0))
    if n == 0:
        return None
    observed = sum((o[c][k] for c in range(size) for k in range(size) if c != k), Fraction(0))
    expected = sum((n_c[c] * n_c[k] for c in range(size) for k in range(size) if c != k), Fraction(0))
    if expected == 0:
        return None
    return 1 - (n - 1) * observed / expected


def agreement_from_pairs(pairs: Pairs, units: int) -> Fraction | None:
    """Exact mean over ``units`` pairable units of the share of agreeing coder pairs in each unit."""
    if units == 0:
        return None
    total = sum((Fraction(int(np.trace(p)), m * (m - 1)) for m, p in pairs.items()), Fraction(0))
    return total / units


def used_any(pairs: Pairs, absent: int) -> bool:
    """Whether any pairable value differs from the value at index ``absent`` ("not applied")."""
    return any(int(p.sum()) - int(p[absent, absent]) for p in pairs.values())
