"""Everything that finds identifiers, combined: the team's names list and roster (``terms``),
nicknames introduced in each transcript, Presidio's recognisers (phones, e-mails, URLs, postcodes,
ID numbers), our patterns (addresses, ages, handles, ID-like codes, dates, phones, e-mails), the
project's own ``[deidentify.patterns]``, and named-entity recognition when a model is installed.

Overlaps: the hit that starts first wins, then the longest, then by kind (an e-mail address beats the
name inside it). Words on the allow-list are never replaced. Ages and unlisted places are
generalised (``[AGE 18-24]``, ``[CITY]``) unless the project asks for pseudonyms.
"""
from __future__ import annotations

import re
from bisect import bisect_left

from . import ner, patterns
from .config import DeidConfig
from .dates import date_label
from .detect import DATE, EMAIL, _phone_hits, non_overlapping
from .recognisers import presidio_spans
from .terms import Hit, Term, TermMatcher, norm
from .words import english_words

PRIORITY = ["EMAIL", "URL", "HANDLE", "PHONE", "DATE", "POSTCODE", "ADDRESS", "ID", "NAME", "PLACE", "ORG", "AGE",
            "PROPER"]
ROLE_WORDS = {"interviewer", "respondent", "facilitator", "participant", "moderator", "researcher", "speaker",
              "instagram", "whatsapp", "facebook", "tiktok", "snapchat", "twitter", "youtube", "google", "zoom",
              "teams", "discord", "reddit", "nhs", "covid", "gp", "cbt", "dr", "mr", "mrs", "ms", "miss"}
EXTRA_PLACES = ("uk", "u.k.", "usa", "u.s.", "us", "america", "britain", "great britain", "england", "scotland",
                "wales", "northern ireland", "africa", "europe", "asia", "the uk", "the us", "the usa")


_COUNTRIES: frozenset[str] | None = None


def countries() -> frozenset[str]:
    """English country names (libphonenumber's locale data, a Presidio dependency) and a few others."""
    global _COUNTRIES
    if _COUNTRIES is None:
        from phonenumbers.geodata.locale import LOCALE_DATA  # a big module: a few seconds to import

        names = set(EXTRA_PLACES)
        for names_by_lang in LOCALE_DATA.values():
            value = names_by_lang.get("en", names_by_lang.get("aa", ""))
            value = names_by_lang.get(value[1:], "") if value.startswith("*") else value
            if value:
                names.add(value.lower())
        _COUNTRIES = frozenset(names)
    return _COUNTRIES


def seed_countries(names: frozenset[str]) -> None:
    """Give a worker process the country names its parent already read."""
    global _COUNTRIES
    _COUNTRIES = names


class Detector:
    def __init__(self, config: DeidConfig, terms: list[Term], model: str | None, processes: int | None = None):
        self.config = config
        self.terms = terms
        self.matcher = TermMatcher(terms)
        self.model = model
        self.processes = processes if processes is not None else config.processes  # None: decide by job size

    def _ner_hits(self, text: str, spans: list[tuple[int, int, str]]) -> list[Hit]:
        out = []
        for s, e, label in spans:
            span = re.sub(r"['’]s$", "", text[s:e])
            e = s + len(span)
            if label == "PERSON":
                out.append(Hit(s, e, span, "NAME", norm(span)))
            elif label == "ORG":
                out.append(Hit(s, e, span, "ORG", norm(span)))
            elif norm(span) in countries() or norm(re.sub(r"^the\s+", "", span, flags=re.I)) in countries():
                continue
            elif self.config.places == "pseudonym":
                out.append(Hit(s, e, span, "PLACE", norm(span)))
            else:
                out.append(Hit(s, e, span, "PLACE", norm(span), "[CITY]" if label == "GPE" else "[PLACE]"))
        return out

    def _pattern_hits(self, text: str) -> list[Hit]:
        hits = [Hit(m.start(), m.end(), m.group(), "EMAIL", m.group().lower()) for m in EMAIL.finditer(text)]
        hits += [Hit(m.start(), m.end(), m.group(), "DATE", norm(m.group()), date_label(m.group(), self.config.dates))
                 for m in DATE.finditer(text)]
        hits += _phone_hits(text)
        hits += [Hit(s, e, text[s:e], kind, norm(text[s:e]), _fixed(kind)) for s, e, kind, _ in
                 patterns.places_and_handles(text)]
        hits += [Hit(s, e, text[s:e], kind, norm(text[s:e]), _fixed(kind)) for s, e, kind in presidio_spans(text)]
        if self.config.ages != "keep":
            band = self.config.ages == "band"
            hits += [Hit(s, e, text[s:e], "AGE", str(v), self.config.age_label(v) if band else None)
                     for s, e, _, v in patterns.ages(text)]
        for kind, regex in self.config.patterns:
            hits += [Hit(m.start(), m.end(), m.group(), kind, norm(m.group())) for m in regex.finditer(text)
                     if m.end() > m.start()]
        return hits

    def nickname_terms(self, text: str) -> list[Term]:
        words = english_words()
        known = self.matcher.known()
        return [Term(n) for n in dict.fromkeys(patterns.nicknames(text))
                if n.lower() not in known and n.lower() not in self.config.allow
                and not (n.lower() in words and n.lower() in _STOP)]

    def find(self, text: str, entities: list[tuple[int, int, str]] | None = None,
             nicknames: list[Term] | None = None) -> list[Hit]:
        """Every identifier in ``text``, non-overlapping, in text order."""
        hits = self._pattern_hits(text) + self.matcher.find(text)
        if nicknames:
            hits += TermMatcher(nicknames).find(text)
        hits += compound_hits(text, self.matcher.known() | {norm(t.original) for t in nicknames or []})
        if entities is None and self.model:
            entities = ner.entity_spans(self.model, [text])[0]
        if entities is not None:
            hits += self._ner_hits(text, entities)
        else:  # no NER: capitalised words that are not English words, inside a sentence ("Rutendo", "London")
            from .suggest import dictionary_candidates

            hits += [Hit(s, e, text[s:e], "PROPER", norm(text[s:e])) for s, e, _ in dictionary_candidates(text)]
        phrases = [Hit(s, e, text[s:e], kind, norm(text[s:e])) for s, e, kind in patterns.proper_phrases(text)]
        hits = [h for h in hits + _unshadowed(phrases, [h for h in hits if h.kind != "PROPER"]) if not self._allowed(h)]
        chosen = choose(text, list(hits))
        known = self.matcher.known() | {norm(t.original) for t in nicknames or []}
        learned = [Term(h.text, h.kind) for h in chosen if h.kind in ("NAME", "PLACE", "ORG", "PROPER")
                   and not h.label and norm(h.text) not in known]
        if not learned:
            return chosen
        # names found once are found everywhere in the text, also their parts ("Tendai" of "Tendai Moyo")
        again = [h for h in TermMatcher(learned).find(text) if not self._allowed(h)]
        return choose(text, hits + again)

    def _allowed(self, hit: Hit) -> bool:
        key = norm(hit.text)
        return key in self.config.allow or (hit.kind in ("NAME", "PLACE", "ORG") and key in ROLE_WORDS)

    def find_many(self, texts: list[str], with_nicknames: bool = True) -> list[list[Hit]]:
        """``find`` for each text; big jobs are shared among processes (the results are the same)."""
        from . import parallel

        processes = parallel.processes_for(texts, self.processes)
        if processes > 1 and len(texts) > 1:
            return parallel.find_in_processes(self, texts, with_nicknames, processes)
        ents = ner.entity_spans(self.model, texts) if self.model else [None] * len(texts)
        return [self.find(t, e, self.nickname_terms(t) if with_nicknames else None) for t, e in zip(texts, ents)]


def _fixed(kind: str) -> str | None:
    return {"ADDRESS": "[ADDRESS]", "POSTCODE": "[POSTCODE]"}.get(kind)


_STOP = {"i", "a", "the", "and", "or", "but", "so", "when", "it", "that", "this", "my", "me", "him", "her"}
_PARTS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_COMPOUND = re.compile(r"(?<![\w.@])[A-Za-z][\w.]*(?:[_.\d][\w.]*|[a-z][A-Z][\w.]*)(?<![.])")


def compound_hits(text: str, known: set[str]) -> list[Hit]:
    """Tokens joining a known name with other parts ("tendai_m", "TeeMo", "chips.dube")."""
    out = []
    for m in _COMPOUND.finditer(text):
        parts = [p.lower() for p in _PARTS.findall(m.group())]
        if len(parts) > 1 and any(len(p) > 2 and p in known for p in parts):
            kind = "NAME" if m.group().isalpha() else "HANDLE"
            out.append(Hit(m.start(), m.end(), m.group(), kind, norm(m.group())))
    return out


def _unshadowed(phrases: list[Hit], hits: list[Hit]) -> list[Hit]:
    """Capitalised phrases that overlap no other hit ("Dr Rudo Chikwanha" yields to NER's "Rudo Chikwanha")."""
    others = sorted(hits, key=lambda h: h.start)
    starts = [h.start for h in others]
    reach = max((h.end - h.start for h in others), default=0)
    kept = []
    for h in phrases:
        lo, hi = bisect_left(starts, h.start - reach), bisect_left(starts, h.end)
        if not any(o.end > h.start for o in others[lo:hi]):
            kept.append(h)
    return kept


def choose(text: str, hits: list[Hit]) -> list[Hit]:
    rank = {k: i for i, k in enumerate(PRIORITY)}
    hits.sort(key=lambda h: (h.start, -(h.end - h.start), rank.get(h.kind, -1)))
    return non_overlapping(text, hits)


__all__ = ["Detector", "choose", "compound_hits", "countries"]
