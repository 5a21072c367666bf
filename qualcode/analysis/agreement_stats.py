"""Inter-coder agreement formulas: numbers in, numbers out (no codings, no database).

- Cohen's kappa for two coders (``cohen_kappa``, ``cohen_kappa_from_table``, ``kappa_detail``).
- Krippendorff's alpha for any number of coders with missing values, at the nominal, ordinal,
  interval and ratio levels, via the coincidence matrix of Krippendorff (2011), "Computing
  Krippendorff's Alpha-Reliability" (``krippendorff_alpha``).
- Pairwise percent agreement for two or more coders (``percent_agreement``).
- Fleiss' kappa for a fixed number of raters per subject (``fleiss_kappa``, Fleiss 1971).

Why written here rather than imported: the PyPI ``krippendorff`` package (0.9.0) is licensed
GPL-3.0-or-later, which does not fit qualcode's MIT licence; scikit-learn's ``cohen_kappa_score``
is BSD but a heavy dependency for a dozen lines. Both statistics are short, and the published
examples (docs/methods.md, tests/analysis/test_agreement.py) pin the results.

All arithmetic is exact (``fractions.Fraction``); the float is produced only at the end. This keeps
perfect agreement at exactly 1.0 and lets threshold checks (alpha < 0.800) be exact.
Undefined statistics are returned as ``None``, never NaN.
"""
from __future__ import annotations

import math
import numbers
from collections import Counter, defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Hashable, Iterable, Sequence

from qualcode.errors import AgreementError

LEVELS = ("nominal", "ordinal", "interval", "ratio")


def is_missing(value: Any) -> bool:
    """True for None, NaN (float or numpy) and pandas' NA/NaT: the coder gave no value."""
    if value is None:
        return True
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        try:
            return math.isnan(value)
        except (TypeError, ValueError):
            return False
    return type(value).__name__ in ("NAType", "NaTType")


# ---------------------------------------------------------------- Cohen's kappa


@dataclass(frozen=True)
class KappaDetail:
    """Cohen's kappa with its parts: observed (p_o) and chance (p_e) agreement, n items."""

    n: int | float
    p_o: float | None
    p_e: float | None
    kappa: float | None  # None when undefined (no items, or p_e == 1)


def _kappa_fractions(table: Sequence[Sequence[Any]]) -> tuple[Fraction, Fraction, Fraction] | None:
    rows = [list(r) for r in table]
    size = len(rows)
    if any(len(r) != size for r in rows):
        raise AgreementError(f"a kappa table must be square; got {size} rows of lengths {[len(r) for r in rows]}")
    cells = [[_exact_count(v) for v in r] for r in rows]
    total = sum((sum(r, Fraction(0)) for r in cells), Fraction(0))
    if total == 0:
        return None
    p_o = sum((cells[i][i] for i in range(size)), Fraction(0)) / total
    p_e = sum(
        (sum(cells[i], Fraction(0)) * sum((cells[j][i] for j in range(size)), Fraction(0)) for i in range(size)),
        Fraction(0),
    ) / (total * total)
    return total, p_o, p_e


def _exact_count(value: Any) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or is_missing(value):
        raise AgreementError(f"a kappa table holds counts; got {value!r}")
    exact = Fraction(int(value)) if isinstance(value, numbers.Integral) else Fraction(float(value))
    if exact < 0:
        raise AgreementError(f"a kappa table holds counts; got negative {value!r}")
    return exact


def kappa_detail(table: Sequence[Sequence[Any]]) -> KappaDetail:
    """Cohen's kappa and its parts from a square contingency table (rows: coder A, columns: coder B)."""
    parts = _kappa_fractions(table)
    if parts is None:
        return KappaDetail(n=0, p_o=None, p_e=None, kappa=None)
    total, p_o, p_e = parts
    kappa = None if p_e == 1 else float((p_o - p_e) / (1 - p_e))
    n = int(total) if total.denominator == 1 else float(total)
    return KappaDetail(n=n, p_o=float(p_o), p_e=float(p_e), kappa=kappa)


def cohen_kappa_from_table(table: Sequence[Sequence[Any]]) -> float | None:
    """Cohen's kappa = (p_o - p_e) / (1 - p_e) from a square table of counts.

    ``None`` when undefined: an empty table, or p_e == 1 (both coders used one identical category
    throughout). Raises ``AgreementError`` for a non-square table or negative/non-numeric counts.
    """
    return kappa_detail(table).kappa


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa over paired labels ``a[i]``, ``b[i]`` (any hashable labels).

    Pairs where either label is missing (None/NaN) are dropped. ``None`` when undefined: no
    complete pairs, or p_e == 1 (both coders used one identical single category throughout).
    """
    a, b = list(a), list(b)
    if len(a) != len(b):
        raise AgreementError(f"paired labels differ in length: {len(a)} and {len(b)}")
    pairs = [(x, y) for x, y in zip(a, b) if not is_missing(x) and not is_missing(y)]
    categories = list(dict.fromkeys([x for x, _ in pairs] + [y for _, y in pairs]))
    index = {c: i for i, c in enumerate(categories)}
    table = [[0] * len(categories) for _ in categories]
    for x, y in pairs:
        table[index[x]][index[y]] += 1
    return cohen_kappa_from_table(table)


# ---------------------------------------------------------------- Krippendorff's alpha


def _matrix_rows(data: Any) -> list[list[Any]]:
    """A reliability matrix (coders x units) as lists: list of lists, numpy array or DataFrame."""
    if hasattr(data, "to_numpy"):
        data = data.to_numpy(dtype=object)
    rows = [list(row) for row in data]
    if len({len(r) for r in rows}) > 1:
        raise AgreementError(f"every coder's row must cover the same units; got lengths {[len(r) for r in rows]}")
    return rows


def units_from_matrix(data: Any) -> list[list[Any]]:
    """Per unit, the list of non-missing values (one per coder who gave one)."""
    rows = _matrix_rows(data)
    n_units = len(rows[0]) if rows else 0
    return [[r[u] for r in rows if not is_missing(r[u])] for u in range(n_units)]


def _numeric(value: Any, level: str) -> Fraction:
    if isinstance(value, numbers.Integral):
        exact = Fraction(int(value))
    elif isinstance(value, numbers.Real) and math.isfinite(float(value)):
        exact = Fraction(float(value))
    else:
        raise AgreementError(f"{level} alpha needs finite numbers; got {value!r}")
    if level == "ratio" and exact < 0:
        raise AgreementError(f"ratio alpha needs non-negative numbers; got {value!r}")
    return exact


def _coincidences(units: Iterable[Sequence[Any]]) -> tuple[dict[tuple[Any, Any], Fraction], int]:
    """Coincidence matrix o_ck = sum over units of (number of c-k pairs in the unit) / (m_u - 1),
    pairs being ordered pairs of values from different coders; units with m_u < 2 are dropped.
    Returns (o, n) with n the number of pairable values."""
    by_size: dict[int, Counter] = defaultdict(Counter)  # integer pair counts per unit size m_u
    n = 0
    for values in units:
        m = len(values)
        if m < 2:
            continue
        n += m
        counts = Counter(values)
        pairs = by_size[m]
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs[(c, k)] += n_c * (n_c - 1) if c == k else n_c * n_k
    o: dict[tuple[Any, Any], Fraction] = defaultdict(Fraction)
    for m, pairs in by_size.items():
        for ck, count in pairs.items():
            o[ck] += Fraction(count, m - 1)
    return dict(o), n


def _difference(level: str, categories: list[Any], n_c: dict[Any, Fraction]) -> Callable[[Any, Any], Fraction]:
    """The squared difference function delta^2(c, k) of Krippendorff (2011) for ``level``."""
    if level == "nominal":
        return lambda c, k: Fraction(0) if c == k else Fraction(1)
    if level == "ordinal":
        try:
            ordered = sorted(categories)
        except TypeError as exc:
            raise AgreementError(f"ordinal alpha needs values that can be ordered: {exc}") from None
        rank = {c: i for i, c in enumerate(ordered)}
        cumulative = [Fraction(0)]
        for c in ordered:
            cumulative.append(cumulative[-1] + n_c[c])

        def ordinal(c: Any, k: Any) -> Fraction:
            lo, hi = sorted((rank[c], rank[k]))
            # (sum of n_g for g from c to k) - (n_c + n_k) / 2, squared
            between = cumulative[hi + 1] - cumulative[lo]
            return (between - (n_c[ordered[lo]] + n_c[ordered[hi]]) / 2) ** 2

        return ordinal
    number = {c: _numeric(c, level) for c in categories}
    if level == "interval":
        return lambda c, k: (number[c] - number[k]) ** 2

    def ratio(c: Any, k: Any) -> Fraction:
        total = number[c] + number[k]
        return Fraction(0) if total == 0 else ((number[c] - number[k]) / total) ** 2

    return ratio


def alpha_fraction(units: Iterable[Sequence[Any]], level: str = "nominal") -> Fraction | None:
    """Exact Krippendorff's alpha from per-unit value lists (missing values already removed).

    alpha = 1 - D_o / D_e = 1 - (n - 1) * sum_ck o_ck d_ck / sum_ck n_c n_k d_ck.
    ``None`` when undefined: no pairable values, or zero expected disagreement (one value only).
    """
    if level not in LEVELS:
        raise AgreementError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
    o, n = _coincidences(units)
    if n == 0:
        return None
    n_c: dict[Any, Fraction] = defaultdict(Fraction)
    for (c, _k), count in o.items():
        n_c[c] += count
    categories = list(n_c)
    delta = _difference(level, categories, n_c)
    observed = sum((count * delta(c, k) for (c, k), count in o.items() if c != k), Fraction(0))
    expected = sum(
        (n_c[c] * n_c[k] * delta(c, k) for c in categories for k in categories if c != k), Fraction(0)
    )
    if expected == 0:
        return None
    return 1 - (n - 1) * observed / expected


def krippendorff_alpha(data: Any, level: str = "nominal") -> float | None:
    """Krippendorff's alpha for a reliability matrix ``data``: one row per coder, one column per
    unit, None/NaN for a missing value (list of lists, numpy array or pandas DataFrame).

    ``level`` is "nominal", "ordinal", "interval" or "ratio". Units with fewer than two values are
    not pairable and are dropped. ``None`` when undefined (no pairable values, or every pairable
    value identical so that the expected disagreement is zero).
    """
    exact = alpha_fraction(units_from_matrix(data), level)
    return None if exact is None else float(exact)


# ---------------------------------------------------------------- percent agreement


def agreement_fraction(units: Iterable[Sequence[Any]]) -> Fraction | None:
    """Exact mean over pairable units of the share of agreeing coder pairs within the unit."""
    total, count = Fraction(0), 0
    for values in units:
        m = len(values)
        if m < 2:
            continue
        agreeing = sum(n_c * (n_c - 1) for n_c in Counter(values).values())
        total += Fraction(agreeing, m * (m - 1))
        count += 1
    return None if count == 0 else total / count


def percent_agreement(data: Any) -> float | None:
    """Percent agreement (0-100) for two or more coders over a reliability matrix (coders x units,
    None/NaN missing). For each pairable unit (two or more values) take the share of coder pairs
    that gave the same value; average over pairable units. With two coders and no missing data this
    is the plain share of units on which they agree. ``None`` when no unit is pairable."""
    exact = agreement_fraction(units_from_matrix(data))
    return None if exact is None else float(100 * exact)


# ---------------------------------------------------------------- Fleiss' kappa


def fleiss_fraction(counts: Sequence[Sequence[int]]) -> Fraction | None:
    """Exact Fleiss' kappa from a subjects x categories table: ``counts[i][j]`` raters put subject i
    in category j, every subject rated by the same number n >= 2 of raters (Fleiss 1971).

    kappa = (P_bar - P_e) / (1 - P_e), P_bar = (sum_ij n_ij^2 - N n) / (N n (n - 1)), P_e = sum_j p_j^2.
    ``None`` when undefined: no subjects, or P_e == 1 (every rating in one category)."""
    rows = [[int(v) for v in row] for row in counts]
    if not rows:
        return None
    raters = {sum(row) for row in rows}
    if len(raters) != 1 or min(raters) < 2 or any(v < 0 for row in rows for v in row):
        raise AgreementError(f"Fleiss' kappa needs the same number (>= 2) of ratings per subject; got {sorted(raters)}")
    return fleiss_from_totals(len(rows), raters.pop(), sum(v * v for row in rows for v in row),
                              [sum(col) for col in zip(*rows)])


def fleiss_from_totals(subjects: int, raters: int, squares: int, category_totals: Sequence[int]) -> Fraction | None:
    """Exact Fleiss' kappa from its sufficient totals: the number of subjects N, raters per subject n,
    sum over subjects and categories of n_ij squared, and the ratings per category."""
    if subjects == 0:
        return None
    p_bar = Fraction(squares - subjects * raters, subjects * raters * (raters - 1))
    p_e = sum((Fraction(int(total), subjects * raters) ** 2 for total in category_totals), Fraction(0))
    return None if p_e == 1 else (p_bar - p_e) / (1 - p_e)


def fleiss_kappa(counts: Sequence[Sequence[int]]) -> float | None:
    """Fleiss' kappa (float) from a subjects x categories count table; see ``fleiss_fraction``."""
    exact = fleiss_fraction(counts)
    return None if exact is None else float(exact)
