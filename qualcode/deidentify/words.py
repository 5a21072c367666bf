"""An English word list from spaCy's lookup tables (spacy-lookups-data; nothing is downloaded):
the keys and values of the lemma lookup table, the adjective/adverb/verb lemma index, spaCy's
stop words, and month and day names. Used to tell names from ordinary words."""
from __future__ import annotations

import gzip
import json
from functools import lru_cache
from importlib import resources

CALENDAR = """january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday""".split()


def _table(name: str):
    path = resources.files("spacy_lookups_data") / "data" / f"en_{name}.json.gz"
    with path.open("rb") as fh:
        return json.loads(gzip.decompress(fh.read()))


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    words: set[str] = set(STOP_WORDS) | set(CALENDAR)
    try:
        lookup = _table("lemma_lookup")
        index = _table("lemma_index")
    except (OSError, ModuleNotFoundError, ValueError):  # spacy-lookups-data missing: stop words only
        return frozenset(w.lower() for w in words)
    words.update(lookup)
    words.update(lookup.values())
    for pos in ("adj", "adv", "verb"):
        words.update(index.get(pos, []))
    return frozenset(w.lower() for w in words)


def is_word(token: str) -> bool:
    return token.lower() in english_words()
