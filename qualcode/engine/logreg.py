"""Many L2-regularised logistic regressions on the same feature rows, solved together.

The learned model trains one classifier per code on the same rows (each code on the rows that say
something about it). This solves them all at once with L-BFGS run in lockstep: one sparse product
``X @ W`` per step serves every code, which is what makes the sparse TF-IDF + dense embedding rows of the
semantic backend cheap (liblinear took seconds per code on them).

The objective is liblinear's (scikit-learn ``LogisticRegression(solver="liblinear",
class_weight="balanced")``), intercept regularised like a weight, so the solutions are the same:

    0.5 * (|w|^2 + b^2) + sum_i C * cw(y_i) * log(1 + exp(-s_i (x_i . w + b)))

Deterministic: no randomness, a fixed order of operations.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Solution:
    coef: np.ndarray  # (codes, features)
    intercept: np.ndarray  # (codes,)
    iterations: int


def sample_weights(labels: np.ndarray, mask: np.ndarray, c: float) -> np.ndarray:
    """Per row and code: ``c`` times the balanced class weight of the row's label; 0 where the row
    says nothing about the code (``mask`` False)."""
    labels = labels.astype(np.float64)
    n = mask.sum(0).astype(np.float64)
    pos = (labels * mask).sum(0)
    neg = n - pos
    with np.errstate(divide="ignore", invalid="ignore"):
        w_pos = np.where(pos > 0, n / (2 * pos), 0.0)
        w_neg = np.where(neg > 0, n / (2 * neg), 0.0)
    return c * mask * np.where(labels > 0, w_pos, w_neg)


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise dot products (one per code)."""
    return np.einsum("kf,kf->k", a, b)


class _Problem:
    """The rows split into their sparse columns (TF-IDF) and trailing dense ones (embeddings), so
    that the dense part is a plain matrix product. Weights are (codes, features + 1), intercept last."""

    def __init__(self, x, labels: np.ndarray, weights: np.ndarray, dense: int = 0):
        x = x.tocsr()
        self.features = x.shape[1]
        self.split = x.shape[1] - dense
        self.xs = x[:, :self.split].tocsr()
        self.xst = self.xs.T.tocsr()
        self.xd = np.ascontiguousarray(x[:, self.split:].toarray()) if dense else None
        self.sign = np.ascontiguousarray((2.0 * labels - 1.0).T)  # (codes, rows)
        self.weights = np.ascontiguousarray(weights.T)

    def value_grad(self, w: np.ndarray, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Objective per code (codes,) and its gradient (codes, features + 1); ``rows``: of these
        codes only (``w`` holds their rows)."""
        sp = self.split
        sign, weights = (self.sign, self.weights) if rows is None else (self.sign[rows], self.weights[rows])
        z = np.asarray(self.xs @ np.ascontiguousarray(w[:, :sp].T)).T + w[:, -1:]
        if self.xd is not None:
            z += w[:, sp:-1] @ self.xd.T
        margin = sign * z
        loss = np.logaddexp(0.0, -margin)
        dz = weights * (-sign) * np.exp(-np.logaddexp(0.0, margin))  # weight * d loss / dz
        value = 0.5 * _dot(w, w) + _dot(weights, loss)
        grad = w.copy()
        grad[:, :sp] += np.asarray(self.xst @ np.ascontiguousarray(dz.T)).T
        if self.xd is not None:
            grad[:, sp:-1] += dz @ self.xd
        grad[:, -1] += dz.sum(1)
        return value, grad


def fit_many(x, labels: np.ndarray, mask: np.ndarray, c: float, tol: float = 1e-4, dense: int = 0,
             max_iter: int = 1000, memory: int = 15, start: np.ndarray | None = None) -> Solution:
    """Fit one logistic regression per column of ``labels`` (rows x codes, 0/1) on the rows where
    ``mask`` is True; the last ``dense`` columns of ``x`` are dense. ``start``: (codes, features + 1)
    initial weights, intercept last (a warm start). Stops a code when its gradient norm falls below
    ``tol`` times its gradient norm at zero weights."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # small products: threads only wait on each other (and on a busy machine)
        return _fit(_Problem(x, labels, sample_weights(labels, mask, c), dense), tol, max_iter, memory, start)


def _fit(prob: "_Problem", tol: float, max_iter: int, memory: int, start: np.ndarray | None) -> Solution:
    k = prob.sign.shape[0]
    w = np.zeros((k, prob.features + 1)) if start is None else np.array(start, dtype=np.float64)
    f, g = prob.value_grad(w)
    g0 = g if start is None else prob.value_grad(np.zeros_like(w))[1]
    goal = tol * np.sqrt(_dot(g0, g0))
    hist: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    gamma = np.ones(k)
    it = 0
    for it in range(1, max_iter + 1):
        active = np.sqrt(_dot(g, g)) > goal
        if not active.any():
            break
        p = -_two_loop(g, hist, gamma) * active[:, None]
        w_new, f_new, g_new = _line_search(prob, w, f, g, p, active, first=not hist)
        s, y = w_new - w, g_new - g
        sy = _dot(s, y)
        ok = sy > 1e-10
        rho = np.where(ok, 1.0 / np.where(ok, sy, 1.0), 0.0)
        gamma = np.where(ok, sy / np.maximum(_dot(y, y), 1e-300), gamma)
        hist = (hist + [(s, y, rho)])[-memory:]
        w, f, g = w_new, f_new, g_new
    return Solution(np.ascontiguousarray(w[:, :-1]), w[:, -1].copy(), it)


def _two_loop(g: np.ndarray, hist, gamma: np.ndarray) -> np.ndarray:
    """L-BFGS's approximate inverse Hessian (from ``gamma`` times the identity) times ``g``, per code."""
    q = g.copy()
    alphas = []
    for s, y, rho in reversed(hist):
        a = rho * _dot(s, q)
        q -= a[:, None] * y
        alphas.append(a)
    r = gamma[:, None] * q
    for (s, y, rho), a in zip(hist, reversed(alphas)):
        b = rho * _dot(y, r)
        r += (a - b)[:, None] * s
    return r


def _line_search(prob: _Problem, w, f, g, p, active, first: bool):
    """Backtracking (Armijo) per code from step 1 (10/|g| on the first step); a step too long is
    shortened by quadratic interpolation, and only the codes whose step was too long are evaluated again."""
    slope = _dot(g, p)
    step = np.where(active, 1.0, 0.0)
    if first:
        step = step / np.maximum(np.sqrt(_dot(g, g)), 1e-300) * 10.0
    w_new = w + step[:, None] * p
    f_new, g_new = prob.value_grad(w_new)
    rows = np.flatnonzero(active)
    for _ in range(60):
        bad = f_new[rows] > f[rows] + 1e-4 * step[rows] * slope[rows]
        if not bad.any():
            break
        rows = rows[bad]
        t, rise = step[rows], f_new[rows] - f[rows] - slope[rows] * step[rows]
        step[rows] = np.clip(-slope[rows] * t * t / (2.0 * np.maximum(rise, 1e-300)), 0.1 * t, 0.5 * t)
        w_new[rows] = w[rows] + step[rows, None] * p[rows]
        f_new[rows], g_new[rows] = prob.value_grad(w_new[rows], rows)
    return w_new, f_new, g_new
