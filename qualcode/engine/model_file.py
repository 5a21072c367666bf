"""Saving and loading a learned model: ``model.json`` (settings, vocabulary, metadata, figures) and
``weights.npz`` (arrays only, loaded with ``allow_pickle=False``), so opening a project someone sent
never runs code.
"""
from __future__ import annotations

import json
import zipfile
from dataclasses import asdict
from pathlib import Path

import numpy as np

from ..errors import ModelError
from .embed import DIM
from .learned import BACKENDS, FEATURES_VERSION, CodeMetrics, LearnedModel, Settings, Vectoriser

MODEL_DIR = Path(".qualcode") / "model"  # a project's model folder, under its root
FORMAT = "qualcode-learned-model"
FORMAT_VERSION = 1
JSON_NAME = "model.json"
WEIGHTS_NAME = "weights.npz"


def save_model(model: LearnedModel, folder: Path, examples: list[dict] | None = None) -> Path:
    """Write the model into ``folder`` (created); ``examples`` (ref, text, codes) are kept for evidence."""
    folder.mkdir(parents=True, exist_ok=True)
    vocab = sorted(model.vectoriser.vocabulary, key=model.vectoriser.vocabulary.__getitem__)
    doc = dict(format=FORMAT, format_version=FORMAT_VERSION, features_version=FEATURES_VERSION,
               codes=model.codes, settings=model.settings.to_dict(), meta=model.meta,
               counts={c: asdict(m) for c, m in model.counts.items()}, vocabulary=vocab,
               examples=examples or [])
    tmp_json, tmp_npz = folder / (JSON_NAME + ".tmp"), folder / ("weights.tmp.npz")
    np.savez_compressed(tmp_npz, idf=model.vectoriser.idf, coef=model.coef, intercept=model.intercept)
    tmp_json.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    tmp_npz.replace(folder / WEIGHTS_NAME)
    tmp_json.replace(folder / JSON_NAME)
    return folder


def model_exists(folder: Path) -> bool:
    return (folder / JSON_NAME).exists()


def load_model(folder: Path) -> tuple[LearnedModel, list[dict]]:
    """The model and its evidence examples; ``ModelError`` naming the file when missing or damaged."""
    path = folder / JSON_NAME
    if not path.exists():
        raise ModelError(f"{path}: no trained model in this project; run `qualcode model train` first")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ModelError(f"{path}: damaged model file ({exc}); run `qualcode model train` again") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ModelError(f"{path}: not a qualcode model file; run `qualcode model train` again")
    if doc.get("format_version") != FORMAT_VERSION or doc.get("features_version") != FEATURES_VERSION:
        raise ModelError(f"{path}: model written by another qualcode version; run `qualcode model train` again")
    arrays = _load_arrays(folder / WEIGHTS_NAME)
    try:
        vocab = {f: i for i, f in enumerate(doc["vocabulary"])}
        known = set(Settings().to_dict())
        settings = Settings(**{k: v for k, v in doc["settings"].items() if k in known})
        counts = {c: CodeMetrics(**m) for c, m in doc["counts"].items()}
        model = LearnedModel(list(doc["codes"]), Vectoriser(vocab, arrays["idf"]), arrays["coef"],
                             arrays["intercept"], settings, counts, dict(doc.get("meta", {})))
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{path}: damaged model file (missing or wrong field: {exc}); "
                         "run `qualcode model train` again") from exc
    if settings.backend not in BACKENDS:
        raise ModelError(f"{path}: unknown model backend {settings.backend!r}; run `qualcode model train` again")
    width = len(vocab) + (DIM if settings.backend == "semantic" else 0)
    if model.coef.shape != (len(model.codes), width) or model.intercept.shape != (len(model.codes),) \
            or model.vectoriser.idf.shape != (len(vocab),):
        raise ModelError(f"{folder / WEIGHTS_NAME}: weights do not match {path} (damaged or mixed files); "
                         "run `qualcode model train` again")
    return model, list(doc.get("examples", []))


def _load_arrays(path: Path) -> dict[str, np.ndarray]:
    if not path.exists():
        raise ModelError(f"{path}: model weights missing; run `qualcode model train` again")
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {k: np.asarray(npz[k], dtype=np.float64) for k in ("idf", "coef", "intercept")}
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise ModelError(f"{path}: damaged model weights ({exc}); run `qualcode model train` again") from exc
