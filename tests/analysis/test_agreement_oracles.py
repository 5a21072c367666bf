"""compute_agreement (numpy tallies + exact fractions) against independent implementations on random codings.

Oracles: the unit-by-unit exact formulas of ``agreement_stats`` (what compute_agreement used before it
was vectorised: results must be identical, not just close), NLTK's ``AnnotationTask.alpha`` (Apache-2.0),
scikit-learn's ``cohen_kappa_score`` and statsmodels' ``fleiss_kappa`` (BSD-3-Clause), to 1e-9.
"""
from __future__ import annotations

import math
import random

import numpy as np
import pytest
from nltk.metrics.agreement import AnnotationTask
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa as sm_fleiss

from qualcode.analysis.agreement import compute_agreement
from qualcode.analysis.agreement_stats import krippendorff_alpha, percent_agreement

CODES = ["a", "b", "c", "d", "e"]


def random_records(seed: int, coders: int, units: int, single: bool, missing: float = 0.15):
    """(unit, coder, code) records: coders mostly agree; some units unseen by some coders."""
    rng = random.Random(seed)
    records = []
    for u in range(units):
        truth = rng.sample(CODES, 1 if single else rng.randint(0, 3)) if rng.random() > 0.2 else []
        for c in range(coders):
            if rng.random() < missing:
                continue
            mine = sorted({x if rng.random() < 0.75 else rng.choice(CODES) for x in truth})
            records += [(f"u{u}", f"k{c}", x) for x in mine] or [(f"u{u}", f"k{c}", None)]
    return records


def matrix(records, coders, value):
    """Coders x units reliability matrix: value(codes the coder applied) or None when unseen."""
    units = sorted({r[0] for r in records})
    applied = {}
    for unit, coder, code in records:
        applied.setdefault((unit, coder), set()).update([code] if code else [])
    return [[value(applied[(u, c)]) if (u, c) in applied else None for u in units] for c in coders]


def nltk_alpha(m):
    data = [(str(c), str(u), v) for c, row in enumerate(m) for u, v in enumerate(row) if v is not None]
    try:
        return AnnotationTask(data=data).alpha()
    except ZeroDivisionError:
        return None


def pairable(m):
    return [u for u in range(len(m[0])) if sum(row[u] is not None for row in m) >= 2]


def close(ours, theirs):
    if ours is None:
        return theirs is None or math.isnan(theirs)
    return theirs is not None and abs(ours - theirs) <= 1e-9


@pytest.mark.parametrize("seed,coders", [(1, 2), (2, 2), (3, 3), (4, 4), (5, 3)])
def test_per_code_and_pooled_figures_match_the_oracles(seed, coders):
    records = random_records(seed, coders, 120, single=False)
    report = compute_agreement(records, codes=CODES)
    names = report.coders
    stacked = []
    for row in report.codes:
        m = matrix(records, names, lambda cs, code=row.code: int(code in cs))
        keep = pairable(m)
        m = [[r[u] for u in keep] for r in m]
        stacked.append(m)
        assert row.krippendorff_alpha == krippendorff_alpha(m)  # identical to the exact unit-by-unit sums
        assert row.percent_agreement == percent_agreement(m)
        assert close(row.krippendorff_alpha, nltk_alpha(m))
        if coders == 2:
            assert close(row.cohen_kappa, cohen_kappa_score(m[0], m[1]) if len(set(m[0] + m[1])) > 1 else None)
    pooled = [sum((s[c] for s in stacked), []) for c in range(coders)]
    assert report.overall.pooled_alpha == krippendorff_alpha(pooled)
    assert report.overall.pooled_percent_agreement == percent_agreement(pooled)
    if coders == 2:
        assert close(report.overall.pooled_cohen_kappa, cohen_kappa_score(pooled[0], pooled[1]))


@pytest.mark.parametrize("seed", [11, 12])
def test_domain_alpha_matches_the_exact_formula(seed):
    records = random_records(seed, 3, 150, single=False)
    report = compute_agreement(records, codes=CODES, domains={"D": ["a", "b"]})
    (dom,) = report.domains
    m = matrix(records, report.coders, lambda cs: len(cs & {"a", "b"}))
    skipped = [u for u in pairable(m) if any(row[u] is not None and row[u] > 1 for row in m)]
    keep = [u for u in pairable(m) if u not in skipped]
    values = matrix(records, report.coders, lambda cs: next(iter(sorted(cs & {"a", "b"})), "(none)"))
    values = [[row[u] for u in keep] for row in values]
    assert dom.units_skipped == len(skipped) and dom.units == len(keep)
    assert dom.krippendorff_alpha == krippendorff_alpha(values)
    assert close(dom.krippendorff_alpha, nltk_alpha(values))


@pytest.mark.parametrize("seed,coders", [(21, 2), (22, 2), (23, 3), (24, 5)])
def test_single_label_figures_match_the_oracles(seed, coders):
    records = random_records(seed, coders, 200, single=True)
    report = compute_agreement(records, codes=CODES)
    single = report.single_label
    assert report.headline == "single_label" and single is not None
    m = matrix(records, report.coders, lambda cs: next(iter(cs), "(none)"))
    keep = pairable(m)
    m = [[row[u] for u in keep] for row in m]
    assert single.krippendorff_alpha == report.krippendorff_alpha_nominal == krippendorff_alpha(m)
    assert close(single.krippendorff_alpha, nltk_alpha(m))
    assert single.percent_agreement == percent_agreement(m)
    if coders == 2:
        assert single.kappa_name == "cohen_kappa"
        assert close(single.kappa, cohen_kappa_score(m[0], m[1]))
    else:
        complete = [u for u in range(len(m[0])) if all(row[u] is not None for row in m)]
        table, _ = aggregate_raters(np.array([[m[c][u] for c in range(coders)] for u in complete], dtype=object))
        assert single.kappa_name == "fleiss_kappa" and single.kappa_units == len(complete)
        assert close(single.kappa, sm_fleiss(table))


def test_multi_label_coding_has_no_single_label_headline():
    report = compute_agreement(random_records(31, 2, 80, single=False), codes=CODES)
    assert report.single_label is None and report.headline == "mean_code_alpha"
