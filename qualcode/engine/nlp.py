"""The spaCy pipeline the engine uses: blank English, a sentencizer and a lower-casing lookup lemmatizer.

No trained model is needed or downloaded. Lemmas come from the ``lemma_lookup`` table of
``spacy-lookups-data`` (an installed package, loaded by ``nlp.initialize()``). That table is
case-sensitive ("Therapists" is not in it, "therapists" is), so lemmas are looked up on the
lower-cased token; every lemma is therefore lower case ("Met" -> "meet"). The table is not
idempotent ("feelings" -> "feeling" -> "feel", "better" -> "well" -> "good"), so the lookup is
repeated until the form stops changing: a rule written in any inflection then matches text in any
inflection ("talk about my feeling" matches "talked about my feelings").

Why a subclass and not spaCy's ``lemmatizer`` plus a lower-casing component in front of it: the
stock component sets lemmas in a per-token Python loop, which measured 2.6x the tokenizer's time
on its own (sentencizer included). ``LowercaseLookupLemmatizer`` is spaCy's ``Lemmatizer`` in
``lookup`` mode (same tables, same ``initialize``) whose ``__call__``/``pipe`` lower-case and map a
whole batch with numpy, caching the lemma of each distinct lower-cased form: about 0.15x the
tokenizer's time.

Start-up (``qualcode tag`` builds this pipeline in a fresh process): the lemma table is kept as the
plain ``{form: lemma}`` dict read from spacy-lookups-data, not copied into a spaCy ``Table`` (which
hashes each of its ~185,000 keys one by one in Python, about 0.2 s). And the pipeline is built
without importing every package that offers spaCy components through entry points (spaCy's
``Language()`` does that on every construction; presidio-analyzer alone costs about 0.5 s): it uses
only spaCy's sentencizer and the lemmatizer defined here.
"""
from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from typing import Iterable, Iterator

from . import spacy_import  # noqa: F401 - first: spaCy without its CLI (see there)
import numpy as np
import spacy
from spacy.attrs import LEMMA, LOWER
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc, Token
from spacy.util import minibatch

LEMMATIZER = "qualcode_lemmatizer"
MAX_LOOKUPS = 4  # lookups per form until it stops changing (chains are at most 3 long in practice)


class LowercaseLookupLemmatizer(Lemmatizer):
    """spaCy's lookup lemmatizer, looking up the lower-cased token, vectorised per batch."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._lemma_cache: dict[int, int] = {}
        self._table = None  # {form: lemma}: the plain lemma_lookup dict, or spaCy's Table when given one

    def initialize(self, get_examples=None, *, nlp=None, lookups=None):
        """Load ``lemma_lookup`` from spacy-lookups-data as a plain dict (the same data spaCy's
        ``initialize`` would copy into a ``Table``); given ``lookups``, use those as spaCy does."""
        from spacy.util import load_language_data, registry

        self._lemma_cache.clear()
        data = registry.lookups.get(self.vocab.lang) if self.vocab.lang in registry.lookups else {}
        if lookups is not None or "lemma_lookup" not in data:
            super().initialize(get_examples, nlp=nlp, lookups=lookups)  # (spaCy's error when the data is missing)
            self._table = self.lookups.get_table("lemma_lookup")
            return
        self._table = load_language_data(data["lemma_lookup"])
        self._validated = True

    # per-token path, used by spaCy's own helpers (and kept consistent with the batch path)
    def lookup_lemmatize(self, token: Token) -> list[str]:
        return [self.vocab.strings[self._lemma_of(token.lower)]]

    def _lemma_of(self, lower: int) -> int:
        lemma = self._lemma_cache.get(lower)
        if lemma is None:
            strings = self.vocab.strings
            form = strings[lower]
            table = self._table
            for _ in range(MAX_LOOKUPS):
                nxt = table.get(form, form)
                if nxt == form:
                    break
                form = nxt
            lemma = strings.add(form)
            self._lemma_cache[lower] = lemma
        return lemma

    def _set_lemmas(self, docs: list[Doc]) -> None:
        docs = [d for d in docs if len(d)]
        if not docs:
            return
        if self._table is None:
            raise ValueError(f"{LEMMATIZER}: call nlp.initialize() first (it loads the lemma table)")
        arrays = [d.to_array(LOWER) for d in docs]
        values = np.concatenate(arrays)
        uniq, inverse = np.unique(values, return_inverse=True)
        lemma_of = self._lemma_of
        lemmas = np.fromiter((lemma_of(h) for h in uniq.tolist()), dtype=np.uint64, count=len(uniq))
        mapped = lemmas[inverse].reshape(-1, 1)
        pos = 0
        for doc, arr in zip(docs, arrays):
            doc.from_array([LEMMA], mapped[pos:pos + len(arr)])
            pos += len(arr)

    def __call__(self, doc: Doc) -> Doc:
        self._set_lemmas([doc])
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 256) -> Iterator[Doc]:
        for batch in minibatch(stream, size=batch_size):
            self._set_lemmas(batch)
            yield from batch


@Language.factory(
    LEMMATIZER,
    assigns=["token.lemma"],
    default_config={"model": None, "mode": "lookup", "overwrite": True, "scorer": None},
)
def make_lowercase_lemmatizer(nlp: Language, model, name: str, mode: str, overwrite: bool, scorer):
    return LowercaseLookupLemmatizer(nlp.vocab, model, name, mode=mode, overwrite=overwrite, scorer=scorer)


@lru_cache(maxsize=1)
def make_nlp() -> Language:
    """The shared pipeline: ``spacy.blank("en")`` + ``sentencizer`` + lower-casing lookup lemmatizer.

    Built once per process (cached). Works offline: the lemma tables come from the installed
    ``spacy-lookups-data`` package.
    """
    with _builtin_components_only():
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        nlp.add_pipe(LEMMATIZER)
        nlp.initialize()
    return nlp


@contextmanager
def _builtin_components_only() -> Iterator[None]:
    """While it lasts, a new ``Language`` does not import the packages that register spaCy
    components through entry points (``spacy_factories``); see the module's docstring."""
    factories = getattr(spacy.util.registry, "_entry_point_factories", None)
    if factories is None or not hasattr(factories, "entry_points"):  # another spaCy: build as it does
        yield
        return
    before = factories.entry_points
    factories.entry_points = False
    try:
        yield
    finally:
        factories.entry_points = before
