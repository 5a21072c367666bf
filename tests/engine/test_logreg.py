"""The solver behind the learned model: all codes' logistic regressions at once give liblinear's answer.

Real coded text: CaSiNo negotiation utterances and their strategy codes (benchmarks/data/casino,
CC BY 4.0, see ORIGIN.md there). scikit-learn's liblinear is the oracle: same objective, another solver.
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from scipy.sparse import csr_matrix, hstack

from qualcode.engine.learned import Vectoriser
from qualcode.engine.logreg import fit_many

CASINO = Path(__file__).resolve().parents[2] / "benchmarks/data/casino/strategies_train.csv"


@pytest.fixture(scope="module")
def data():
    with CASINO.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))[:600]
    texts = [r["text"] for r in rows]
    codes = ["small-talk", "self-need", "elicit-pref", "showing-empathy"]
    labels = np.array([[c in r["codes"].split(";") for c in codes] for r in rows], dtype=np.float64)
    x = Vectoriser.fit(texts).transform(texts)
    # dense columns every row has (as the semantic backend's embeddings): normalised letter counts
    letters = np.array([[t.lower().count(ch) for ch in "abcdefghijklmnopqrstuvwxyz"] for t in texts], float)
    letters /= np.maximum(np.linalg.norm(letters, axis=1, keepdims=True), 1e-9)
    return x, hstack([x, csr_matrix(letters)], format="csr"), labels


def liblinear(x, y):
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=16.0, class_weight="balanced", solver="liblinear", random_state=0, max_iter=1000)
    clf.fit(x, y)
    return clf.decision_function(x)


@pytest.mark.parametrize("dense", [0, 26])
def test_every_code_gets_liblinears_solution(data, dense):
    x = data[1] if dense else data[0]
    labels = data[2]
    mask = np.ones_like(labels, dtype=bool)
    mask[::7, 1] = False  # rows that say nothing about a code are left out of its fit
    sol = fit_many(x, labels, mask, 16.0, dense=dense)
    for j in range(labels.shape[1]):
        rows = np.flatnonzero(mask[:, j])
        ours = np.asarray(x[rows] @ sol.coef[j]).ravel() + sol.intercept[j]
        theirs = liblinear(x[rows], labels[rows, j])
        assert np.abs(1 / (1 + np.exp(-ours)) - 1 / (1 + np.exp(-theirs))).max() < 0.01
        assert np.mean((ours > 0) == (theirs > 0)) > 0.995


def test_deterministic_and_a_warm_start_reaches_the_same_solution_sooner(data):
    x, labels = data[1], data[2]
    mask = np.ones_like(labels, dtype=bool)
    a = fit_many(x, labels, mask, 16.0, dense=26)
    b = fit_many(x, labels, mask, 16.0, dense=26)
    assert np.array_equal(a.coef, b.coef) and np.array_equal(a.intercept, b.intercept)
    start = np.hstack([a.coef, a.intercept[:, None]]) * 0.9
    warm = fit_many(x, labels, mask, 16.0, dense=26, start=start)
    assert warm.iterations < a.iterations
    za, zw = np.asarray(x @ a.coef.T) + a.intercept, np.asarray(x @ warm.coef.T) + warm.intercept
    assert np.abs(1 / (1 + np.exp(-za)) - 1 / (1 + np.exp(-zw))).max() < 0.01
