"""A model learned from a team's own coding: one linear classifier per code over word n-grams.

Light, offline and explainable: features are lower-cased words, word pairs and 5-letter word
stems, weighted by TF-IDF; each code gets a logistic regression (scikit-learn, trained on CPU in
seconds). A suggestion's explanation is the features present in the text that weighed most for the
code. Nothing is downloaded; the stored model is arrays (``.npz``) and JSON, never a pickle.

Training examples (``Example``) carry the codes that apply (``positives``), codes a coder rejected
(``negatives``) and whether every other code is known not to apply (``complete``: a turn someone
coded, or an uncoded turn of a transcript marked fully coded). For a code, an example is positive,
negative, or (incomplete and silent about the code) left out.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

import numpy as np

FEATURES_VERSION = 1
BACKENDS = ("light", "semantic")
SEMANTIC_RULE_MARGIN = 0.2
EmbedFn = Callable[[Sequence[str]], np.ndarray]
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
STEM = 5  # letters kept for the stem feature ("counsellor", "counselling" -> "~couns")


@dataclass(frozen=True)
class Example:
    text: str
    positives: frozenset[str]
    negatives: frozenset[str] = frozenset()
    complete: bool = False
    ref: str = ""  # where it came from, shown as evidence ("yp-D3#12", "codebook: yp-trust")
    group: str | None = None

    def label(self, code: str) -> int | None:
        """1, 0, or None when this example says nothing about ``code``."""
        if code in self.positives:
            return 1
        if code in self.negatives or self.complete or self.positives:
            return 0
        return None


@dataclass
class Settings:
    c: float = 16.0  # inverse regularisation strength of each logistic regression
    min_df: int = 1
    max_features: int = 60000
    min_positives: int = 3  # fewer positive examples than this: no classifier for the code
    trust_positives: int = 20  # fewer than this: status warns the figures are not to be trusted
    folds: int = 5
    seed: int = 0
    verify_below: float = 0.05  # a rule suggestion whose probability is below this is low confidence
    find_above: float = 0.7  # the model suggests a code the rules missed from this probability
    backend: str = "light"  # "light": word features only; "semantic": + sentence embeddings (qualcode[learn])
    embed_weight: float = 1.0  # scale of the embedding columns beside the (unit-length) TF-IDF row
    # when set, verifier and finder use each code's CV threshold instead of verify_below/find_above:
    # a rule suggestion is low below threshold - rule_margin, the model finds a code from its threshold
    rule_margin: float | None = None

    def to_dict(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def for_backend(cls, backend: str) -> "Settings":
        """The settings ``qualcode model train`` uses for a backend (the semantic one combines with the
        rules by per-code thresholds; chosen on development data, benchmarks/model_layer.py)."""
        return cls(backend=backend, rule_margin=SEMANTIC_RULE_MARGIN if backend == "semantic" else None)

    def combine_args(self, model: "LearnedModel") -> dict:
        """Keyword arguments of ``combine`` for a model trained with these settings."""
        th = dict(zip(model.codes, model.thresholds())) if self.rule_margin is not None else None
        return dict(verify_below=self.verify_below, find_above=self.find_above, thresholds=th,
                    margin=self.rule_margin)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("\u2019", "'"))


def features(text: str) -> list[str]:
    """Words, adjacent word pairs and word stems ('~' + first letters) of a text."""
    toks = tokens(text)
    out = list(toks)
    out += [f"{a} {b}" for a, b in zip(toks, toks[1:])]
    out += ["~" + t[:STEM] for t in toks if len(t) > STEM]
    return out


class Vectoriser:
    """Sparse TF-IDF rows (sublinear term frequency, L2-normalised) over a fixed vocabulary."""

    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray):
        self.vocabulary = vocabulary
        self.idf = idf

    @classmethod
    def fit(cls, texts: Sequence[str], min_df: int = 1, max_features: int = 60000) -> "Vectoriser":
        return cls.fit_counts([Counter(features(t)) for t in texts], min_df, max_features)

    @classmethod
    def fit_counts(cls, counts: Sequence[Counter], min_df: int = 1, max_features: int = 60000) -> "Vectoriser":
        """From each text's feature counts (``feature_counts``), so that folds share one tokenisation."""
        df: Counter = Counter()
        for c in counts:
            df.update(c.keys())
        kept = sorted((f for f, n in df.items() if n >= min_df), key=lambda f: (-df[f], f))[:max_features]
        kept.sort()
        vocab = {f: i for i, f in enumerate(kept)}
        n = len(counts)
        idf = np.array([math.log((1 + n) / (1 + df[f])) + 1.0 for f in kept], dtype=np.float64)
        return cls(vocab, idf)

    def transform(self, texts: Iterable[str]):
        return self.transform_counts(Counter(features(t)) for t in texts)

    def transform_counts(self, counts: Iterable[Counter]):
        from scipy.sparse import csr_matrix

        indptr, indices, data = [0], [], []
        vocab, idf = self.vocabulary, self.idf
        for c in counts:
            pairs = sorted((vocab[f], n) for f, n in c.items() if f in vocab)
            cols = [j for j, _ in pairs]
            vals = np.array([(1.0 + math.log(n)) * idf[j] for j, n in pairs])
            norm = float(np.sqrt((vals * vals).sum())) if cols else 1.0
            indices += cols
            data += list(vals / (norm or 1.0))
            indptr.append(len(indices))
        return csr_matrix((np.array(data, dtype=np.float64), np.array(indices, dtype=np.int64),
                           np.array(indptr, dtype=np.int64)), shape=(len(indptr) - 1, len(vocab)))


def feature_counts(texts: Iterable[str]) -> list[Counter]:
    return [Counter(features(t)) for t in texts]


@dataclass
class CodeMetrics:
    positives: int
    negatives: int
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    threshold: float = 0.5  # the probability from which the model says the code applies


@dataclass
class LearnedModel:
    codes: list[str]  # codes with a classifier, in row order of ``coef``
    vectoriser: Vectoriser
    coef: np.ndarray  # (codes, features)
    intercept: np.ndarray  # (codes,)
    settings: Settings
    counts: dict[str, CodeMetrics] = field(default_factory=dict)  # every code of the codebook
    meta: dict = field(default_factory=dict)  # codebook hash, data hash, trained_at, ...
    embed: EmbedFn | None = None  # semantic backend: texts -> vectors (set when loaded; default: no cache)

    def probabilities(self, texts: Sequence[str], vectors: np.ndarray | None = None) -> np.ndarray:
        """(texts, codes) probabilities; ``vectors``: the texts' embeddings when already known."""
        if not self.codes or not len(texts):
            return np.zeros((len(texts), len(self.codes)))
        if self.settings.backend == "semantic" and vectors is None:
            vectors = (self.embed or default_embed())(texts)
        x = design(self.vectoriser, texts, self.settings, vectors)
        z = np.asarray(x @ self.coef.T) + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def thresholds(self) -> np.ndarray:
        """Each code's decision threshold (chosen by cross-validation at training; 0.5 otherwise)."""
        return np.array([self.counts[c].threshold if c in self.counts else 0.5 for c in self.codes])

    def explain(self, text: str, code: str, top: int = 5) -> list[str]:
        """The words in ``text`` that pushed most towards ``code`` (a stem shows as ``couns*``; bare
        function words such as "the" or "it" are not shown, though they count)."""
        if code not in self.codes:
            return []
        row = self.coef[self.codes.index(code)]
        x = self.vectoriser.transform([text])
        contrib = sorted(((x.data[k] * row[j], j) for k, j in enumerate(x.indices)), reverse=True)
        names = _names(self.vectoriser.vocabulary)
        out: list[str] = []
        for w, j in contrib:
            shown = _shown(names[j])
            if w <= 0 or len(out) == top:
                break
            if shown and shown not in out:
                out.append(shown)
        return out


def default_embed() -> EmbedFn:
    """The shared sentence embedder (no cache); ``EmbedderMissing`` without the extra."""
    from .embed import Embedder

    return Embedder.shared().embed


def design(vec: Vectoriser, texts: Sequence[str], settings: Settings, vectors: np.ndarray | None = None,
           counts: Sequence[Counter] | None = None):
    """The feature rows: TF-IDF, followed by the scaled embeddings with the semantic backend
    (``counts``: the texts' feature counts when already known)."""
    x = vec.transform(texts) if counts is None else vec.transform_counts(counts)
    if settings.backend != "semantic":
        return x
    from scipy.sparse import csr_matrix, hstack

    dense = np.asarray(vectors, dtype=np.float64) * settings.embed_weight
    return hstack([x, csr_matrix(dense)], format="csr")


STOPWORDS = frozenset("""a about all am an and any are as at be been but by can could did do does for from had
has have he her him his how i i'm if in into is it it's its just me my no not of on or our she so than that the
their them then there they this those to too us was we were what when where which who will with would you your
""".split())


def _shown(feature: str) -> str:
    """How a feature reads in an explanation; '' for function words alone."""
    if feature.startswith("~"):
        return feature[1:] + "*"
    words = feature.split(" ")
    return "" if all(w in STOPWORDS for w in words) else feature


_NAMES_CACHE: dict[int, list[str]] = {}


def _names(vocab: dict[str, int]) -> list[str]:
    key = id(vocab)
    if key not in _NAMES_CACHE:
        names = [""] * len(vocab)
        for f, i in vocab.items():
            names[i] = f
        _NAMES_CACHE.clear()
        _NAMES_CACHE[key] = names
    return _NAMES_CACHE[key]


def data_hash(examples: Sequence[Example]) -> str:
    """A hash of the training data (order-independent)."""
    lines = sorted(json.dumps([e.text, sorted(e.positives), sorted(e.negatives), e.complete, e.group or ""],
                              ensure_ascii=False) for e in examples)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def labelled(examples: Sequence[Example], code: str, allowed: dict[str, set[str | None]] | None = None):
    """(indices, labels) of the examples that say something about ``code``."""
    idx, y = [], []
    for i, e in enumerate(examples):
        if allowed is not None and e.group is not None and e.group not in allowed.get(code, {e.group}):
            continue
        lab = e.label(code)
        if lab is not None:
            idx.append(i)
            y.append(lab)
    return idx, np.array(y, dtype=np.int64)


def fit(examples: Sequence[Example], codes: Sequence[str], settings: Settings | None = None,
        groups_of: dict[str, set[str]] | None = None, vectors: np.ndarray | None = None,
        counts: Sequence[Counter] | None = None, start: LearnedModel | None = None) -> LearnedModel:
    """Train one classifier per code with enough positive and negative examples (deterministic; all
    codes solved together on one feature build, ``logreg.fit_many``). ``vectors``: the examples'
    embeddings (semantic backend); ``counts``: their feature counts when already known; ``start``: a
    model whose weights start the solver (a warm start; the solution is the same)."""
    from .logreg import fit_many

    settings = settings or Settings()
    counts = feature_counts(e.text for e in examples) if counts is None else counts
    vec = Vectoriser.fit_counts(counts, settings.min_df, settings.max_features)
    x = design(vec, [], settings, vectors, counts)
    kept, labels, mask, metrics = _label_matrix(examples, codes, settings, groups_of)
    if not kept:
        return LearnedModel([], vec, np.zeros((0, x.shape[1])), np.zeros(0), settings, metrics)
    dense = x.shape[1] - len(vec.vocabulary)
    sol = fit_many(x, labels, mask, settings.c, dense=dense, start=_warm(start, vec, kept, dense))
    return LearnedModel(kept, vec, sol.coef, sol.intercept, settings, metrics)


def _label_matrix(examples, codes, settings: Settings, groups_of):
    """The codes that get a classifier, their (rows x codes) 0/1 labels and the mask of rows that say
    something about each, and every code's example counts."""
    allowed = _allowed(groups_of)
    kept, cols, metrics = [], [], {}
    for code in codes:
        idx, y = labelled(examples, code, allowed)
        metrics[code] = CodeMetrics(int(y.sum()), int(len(y) - y.sum()))
        if y.sum() >= settings.min_positives and (y == 0).sum() >= 1:
            kept.append(code)
            cols.append((idx, y))
    labels = np.zeros((len(examples), len(kept)))
    mask = np.zeros((len(examples), len(kept)), dtype=bool)
    for j, (idx, y) in enumerate(cols):
        labels[idx, j] = y
        mask[idx, j] = True
    return kept, labels, mask, metrics


def _warm(model: LearnedModel | None, vec: Vectoriser, kept: list[str], dense: int) -> np.ndarray | None:
    """``model``'s weights laid out for ``vec``'s features and ``kept``'s codes (0 where it has none)."""
    if model is None:
        return None
    start = np.zeros((len(kept), len(vec.vocabulary) + dense + 1))
    have = [j for j, c in enumerate(kept) if c in model.codes]
    rows = [model.codes.index(kept[j]) for j in have]
    names = [(i, model.vectoriser.vocabulary.get(f)) for f, i in vec.vocabulary.items()]
    here = np.array([i for i, o in names if o is not None], dtype=np.int64)
    there = np.array([o for _, o in names if o is not None], dtype=np.int64)
    for j, r in zip(have, rows):
        start[j, here] = model.coef[r, there]
        if dense:
            start[j, len(vec.vocabulary):-1] = model.coef[r, -dense:]
        start[j, -1] = model.intercept[r]
    return start


def _allowed(groups_of: dict[str, set[str]] | None) -> dict[str, set[str | None]] | None:
    """Code -> groups it applies to (codes for every group are absent)."""
    if not groups_of:
        return None
    return {c: set(g) for c, g in groups_of.items() if g}


def out_of_fold(examples: Sequence[Example], codes: Sequence[str], settings: Settings,
                groups_of: dict[str, set[str]] | None = None, vectors: np.ndarray | None = None,
                counts: Sequence[Counter] | None = None,
                start: LearnedModel | None = None) -> dict[str, np.ndarray]:
    """Code -> each example's probability from a model trained without its fold (k folds, seeded);
    NaN where no classifier could be trained. ``start``: the model trained on all examples, whose
    weights start each fold's solver."""
    n = len(examples)
    counts = feature_counts(e.text for e in examples) if counts is None else counts
    folds = max(2, min(settings.folds, n))
    order = np.random.default_rng(settings.seed).permutation(n)
    fold_of = np.empty(n, dtype=np.int64)
    fold_of[order] = np.arange(n) % folds
    probs: dict[str, np.ndarray] = {c: np.full(n, np.nan) for c in codes}
    rows = (lambda idx: None) if vectors is None else (lambda idx: vectors[idx])
    for k in range(folds):
        train_idx = np.flatnonzero(fold_of != k)
        test_idx = np.flatnonzero(fold_of == k)
        model = fit([examples[i] for i in train_idx], codes, settings, groups_of, rows(train_idx),
                    [counts[i] for i in train_idx], start)
        x = design(model.vectoriser, [], settings, rows(test_idx), [counts[i] for i in test_idx])
        p = 1.0 / (1.0 + np.exp(-(np.asarray(x @ model.coef.T) + model.intercept)))
        for j, code in enumerate(model.codes):
            probs[code][test_idx] = p[:, j]
    return probs


THRESHOLDS = [round(0.05 * i, 2) for i in range(2, 19)]


def cross_validate(examples: Sequence[Example], codes: Sequence[str], settings: Settings,
                   groups_of: dict[str, set[str]] | None = None, vectors: np.ndarray | None = None,
                   counts: Sequence[Counter] | None = None,
                   start: LearnedModel | None = None) -> dict[str, CodeMetrics]:
    """Per-code precision/recall/F1 from k-fold cross-validation, each at the threshold that gave the
    code its best out-of-fold F1 (stored as ``CodeMetrics.threshold``; 0.5 when it cannot be told)."""
    probs = out_of_fold(examples, codes, settings, groups_of, vectors, counts, start)
    out, allowed = {}, _allowed(groups_of)
    for code in codes:
        idx, y = labelled(examples, code, allowed)
        best = max((_metrics(idx, y, probs[code], t) for t in THRESHOLDS),
                   key=lambda m: ((m.f1 or 0.0), -abs(m.threshold - 0.5)))
        out[code] = best if best.f1 else _metrics(idx, y, probs[code], 0.5)
    return out


def _metrics(idx: list[int], y: np.ndarray, p: np.ndarray, threshold: float) -> CodeMetrics:
    """P/R/F1 of the probabilities ``p`` at ``threshold`` on the examples ``idx`` with labels ``y``."""
    m = CodeMetrics(int(y.sum()), int(len(y) - y.sum()), threshold=threshold)
    if not idx or np.isnan(p[idx]).all():
        return m
    pred = np.nan_to_num(p[idx], nan=0.0) >= threshold
    tp = int((pred & (y == 1)).sum())
    fp = int((pred & (y == 0)).sum())
    fn = int((~pred & (y == 1)).sum())
    m.precision = tp / (tp + fp) if tp + fp else 0.0
    m.recall = tp / (tp + fn) if tp + fn else 0.0
    m.f1 = 2 * m.precision * m.recall / (m.precision + m.recall) if m.precision + m.recall else 0.0
    return m


def train(examples: Sequence[Example], codes: Sequence[str], settings: Settings | None = None,
          groups_of: dict[str, set[str]] | None = None, embed: EmbedFn | None = None) -> LearnedModel:
    """The model on all ``examples``, with cross-validated figures and per-code thresholds. The semantic
    backend embeds each example once (``embed``: with a cache, say; the shared embedder otherwise)."""
    settings = settings or Settings()
    if settings.backend not in BACKENDS:
        raise ValueError(f"unknown model backend {settings.backend!r} (one of {', '.join(BACKENDS)})")
    vectors = None
    if settings.backend == "semantic":
        embed = embed or default_embed()
        vectors = embed([e.text for e in examples])
    counts = feature_counts(e.text for e in examples)
    model = fit(examples, codes, settings, groups_of, vectors, counts)
    cv = cross_validate(examples, codes, settings, groups_of, vectors, counts, start=model)
    model.counts = {c: cv[c] for c in codes}
    model.embed = embed
    return model
