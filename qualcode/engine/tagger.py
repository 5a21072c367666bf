"""Units of a transcript -> code suggestions.

A unit is ``(index, start, end, speaker, is_participant)`` over the transcript's canonical text:
a speaker turn (``turn_units``) or a sentence inside a participant turn (``sentence_units``).

Rules (see ``docs/codebook-format.md``):

- interviewer units (``is_participant`` False) are never coded: they are returned with no
  suggestions and are not even run through spaCy;
- a code (or a domain that has rules) is only suggested for the groups it applies to;
- a code is suggested for a unit when any of its rules matches inside the unit, unless one of its
  exclusions matches in the same sentence as that match (a match that spans sentences is dropped
  when an exclusion matches in any of them);
- matches of different codes may overlap and are all kept (``doc.spans["qualcode"]``, never
  ``doc.ents``).

One suggestion per (unit, code): when a code matches several times in a unit, the earliest match
(longest on ties) is the evidence and gives ``rule_id``/``start``/``end``/``sentence_*``;
``rule_ids`` lists every rule of that code that matched in the unit, in order of first match, so a
reviewer sees every reason; ``match_count`` says how many matches survived the exclusions.

``near`` pairs a term of ``a`` with a term of ``b`` (both matched on lemmas) when the later one
starts at most ``within`` tokens after the end of the earlier one (adjacent tokens are 1 apart);
the pair may cross a sentence boundary inside the unit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator, NamedTuple, Sequence

import numpy as np
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from qualcode.codebook.model import Codebook
from qualcode.model import ParsedTranscript

from .compile import CompiledRule, CompiledRules, compile_codebook
from .nlp import LEMMATIZER, make_nlp

SPANS_KEY = "qualcode"
BATCH_SIZE = 256


class Unit(NamedTuple):
    """A piece of a transcript to code: ``text[start:end]``."""

    index: int
    start: int
    end: int
    speaker: str
    is_participant: bool


@dataclass(frozen=True)
class Suggestion:
    """A code suggested for a unit; offsets are absolute into the transcript text."""

    code_id: str
    rule_id: str  # the rule that made the evidence match
    start: int  # the matched span (evidence)
    end: int
    sentence_start: int  # the sentence(s) holding the evidence
    sentence_end: int
    evidence: str  # text[start:end]
    unit_index: int
    unit_start: int
    unit_end: int
    rule_ids: tuple[str, ...] = ()  # every rule of this code that matched in the unit
    match_count: int = 1


@dataclass
class UnitResult:
    unit: Unit
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        return [s.code_id for s in self.suggestions]


@dataclass(frozen=True)
class Match:
    """One surviving or excluded rule match inside a doc (doc-local offsets)."""

    rule: CompiledRule
    start_char: int
    end_char: int
    start_tok: int
    end_tok: int  # exclusive


def turn_units(parsed: ParsedTranscript) -> list[Unit]:
    """One unit per speaker turn (the index is the turn's index)."""
    return [Unit(t.index, t.start, t.end, t.speaker, t.is_participant) for t in parsed.turns]


def sentence_units(parsed: ParsedTranscript, nlp: Language | None = None) -> list[Unit]:
    """One unit per sentence of each participant turn (sentencizer), in text order.

    Interviewer turns stay whole units (they are never coded). Indexes count units from 0.
    Sentence offsets are absolute, without surrounding whitespace.
    """
    nlp = nlp or make_nlp()
    turns = parsed.turns
    participant = [t for t in turns if t.is_participant and t.end > t.start]
    disable = [p for p in nlp.pipe_names if p != "sentencizer"]
    sentences: dict[int, list[tuple[int, int]]] = {}
    texts = (parsed.text[t.start:t.end] for t in participant)
    for turn, doc in zip(participant, nlp.pipe(texts, disable=disable, batch_size=BATCH_SIZE)):
        spans = []
        for sent in doc.sents:
            s, e = _strip(doc.text, sent.start_char, sent.end_char)
            if e > s:
                spans.append((turn.start + s, turn.start + e))
        sentences[turn.index] = spans
    units: list[Unit] = []
    for t in turns:
        if t.is_participant:
            for s, e in sentences.get(t.index, []):
                units.append(Unit(len(units), s, e, t.speaker, True))
        else:
            units.append(Unit(len(units), t.start, t.end, t.speaker, False))
    return units


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class Tagger:
    """Compiles a codebook once and tags units with it."""

    def __init__(self, codebook: Codebook, nlp: Language | None = None):
        self.codebook = codebook
        self.nlp = nlp or make_nlp()
        self.rules: CompiledRules = compile_codebook(codebook, self.nlp)
        self._allowed: dict[str | None, frozenset[str]] = {}
        # Sentence boundaries are only needed where something matched (exclusions, evidence
        # sentence), so the sentencizer runs lazily on those docs; the lemmatizer only when a rule
        # uses lemmas.
        self._sentencizer = self.nlp.get_pipe("sentencizer") if "sentencizer" in self.nlp.pipe_names else None
        self._disable = []
        if self._sentencizer is not None and not self.rules.needs_sentences:
            self._disable.append("sentencizer")
        if not self.rules.needs_lemmas and LEMMATIZER in self.nlp.pipe_names:
            self._disable.append(LEMMATIZER)

    # ---------------------------------------------------------------- public API
    def tag_units(self, text: str, units: Iterable[Sequence], group: str | None,
                  batch_size: int = BATCH_SIZE) -> list[UnitResult]:
        """Suggestions for each unit of one transcript, in the order given."""
        return next(self.tag_batch([(text, units, group)], batch_size=batch_size))

    def tag_batch(self, jobs: Iterable[tuple[str, Iterable[Sequence], str | None]],
                  batch_size: int = BATCH_SIZE) -> Iterator[list[UnitResult]]:
        """Tag many transcripts, ``(text, units, group)`` each, in one ``nlp.pipe`` stream.

        Yields one list of ``UnitResult`` per job, in order.
        """
        prepared: list[list[UnitResult]] = []  # results of every job read so far, in order

        def stream() -> Iterator[tuple[str, tuple[int, UnitResult, str | None, str]]]:
            for text, units, group in jobs:
                results = [UnitResult(u if isinstance(u, Unit) else Unit(*u)) for u in units]
                job = len(prepared)
                prepared.append(results)
                if not self._allowed_for(group):
                    continue
                for res in results:
                    u = res.unit
                    if u.is_participant and u.end > u.start:
                        unit_text = text[u.start:u.end]
                        yield unit_text, (job, res, group, unit_text)

        done = 0  # jobs yielded so far
        docs = self.nlp.pipe(stream(), as_tuples=True, batch_size=batch_size, disable=self._disable)
        for doc, (job, res, group, unit_text) in docs:
            while done < job:  # docs come in order: every earlier job is complete
                yield prepared[done]
                done += 1
            res.suggestions = self._suggest(doc, unit_text, res.unit, group)
        while done < len(prepared):
            yield prepared[done]
            done += 1

    def match_doc(self, doc: Doc, group: str | None = None, text: str | None = None) -> list[Match]:
        """Surviving matches in ``doc`` of the codes that apply to ``group`` (exclusions applied).

        Also stores every surviving match in ``doc.spans["qualcode"]`` (label = code id,
        id = rule id); overlapping matches of different codes are all kept. ``text`` is
        ``doc.text`` when the caller has it (``Doc.text`` is rebuilt token by token).
        """
        allowed = self._allowed_for(group)
        matches = self._raw_matches(doc, allowed, doc.text if text is None else text)
        if not matches:
            doc.spans[SPANS_KEY] = []
            return []
        self._ensure_sentences(doc)
        sent_of = _sentence_index(doc)
        excluded_sents: dict[str, set[int]] = {}
        for m in matches:
            if m.rule.exclude:
                excluded_sents.setdefault(m.rule.code_id, set()).update(
                    range(sent_of[m.start_tok], sent_of[m.end_tok - 1] + 1))
        kept = []
        for m in matches:
            if m.rule.exclude:
                continue
            bad = excluded_sents.get(m.rule.code_id)
            if bad and any(s in bad for s in range(sent_of[m.start_tok], sent_of[m.end_tok - 1] + 1)):
                continue
            kept.append(m)
        doc.spans[SPANS_KEY] = [
            Span(doc, m.start_tok, m.end_tok, label=m.rule.code_id, span_id=m.rule.rule_id)
            for m in kept
        ]
        return kept

    # ---------------------------------------------------------------- internals
    def _ensure_sentences(self, doc: Doc) -> None:
        if self._sentencizer is not None and not doc.has_annotation("SENT_START"):
            self._sentencizer(doc)

    def _allowed_for(self, group: str | None) -> frozenset[str]:
        allowed = self._allowed.get(group)
        if allowed is None:
            allowed = frozenset(cid for cid, code in self.rules.codes.items()
                                if _applies(code, group) and (code.rules or code.exclude))
            self._allowed[group] = allowed
        return allowed

    def _raw_matches(self, doc: Doc, allowed: frozenset[str], text: str) -> list[Match]:
        rules = self.rules
        found: list[Match] = []
        token_hits: list[tuple[CompiledRule, int, int]] = []
        near_hits: dict[str, tuple[CompiledRule, list, list]] = {}
        by_hash = rules.by_hash
        for matcher in (rules.phrase_matcher, rules.token_matcher):
            if matcher is not None:
                for key, s, e in matcher(doc):
                    rule = by_hash[key]
                    if rule.code_id in allowed:
                        token_hits.append((rule, s, e))
        if rules.lemma_matcher is not None:
            near_terms = rules.near_terms
            for key, s, e in rules.lemma_matcher(doc):
                term = near_terms.get(key)
                if term is None:
                    rule = by_hash[key]
                    if rule.code_id in allowed:
                        token_hits.append((rule, s, e))
                else:
                    rule, side = term
                    if rule.code_id in allowed:
                        entry = near_hits.setdefault(rule.key, (rule, [], []))
                        (entry[1] if side == "a" else entry[2]).append((s, e))
        for rule, a_hits, b_hits in near_hits.values():
            if a_hits and b_hits:
                pair = _near_pair(a_hits, b_hits, rule.within)
                if pair is not None:
                    token_hits.append((rule, pair[0], pair[1]))
        for rule, s, e in token_hits:
            last = doc[e - 1]
            found.append(Match(rule, doc[s].idx, last.idx + len(last), s, e))
        if rules.regexes:
            idx = None
            for rule, rx in rules.regexes:
                if rule.code_id not in allowed:
                    continue
                for m in rx.finditer(text):
                    if m.end() == m.start():
                        continue
                    if idx is None:
                        idx = doc.to_array(IDX).astype(np.int64) if len(doc) else np.zeros(1, np.int64)
                    s_tok = max(int(np.searchsorted(idx, m.start(), side="right")) - 1, 0)
                    e_tok = max(int(np.searchsorted(idx, m.end() - 1, side="right")), s_tok + 1)
                    found.append(Match(rule, m.start(), m.end(), s_tok, min(e_tok, len(doc))))
        return found

    def _suggest(self, doc: Doc, text: str, unit: Unit, group: str | None) -> list[Suggestion]:
        kept = self.match_doc(doc, group, text)
        if not kept:
            return []
        kept.sort(key=lambda m: (m.start_char, -m.end_char))
        by_code: dict[str, list[Match]] = {}
        for m in kept:
            by_code.setdefault(m.rule.code_id, []).append(m)
        sents = None
        base = unit.start
        out = []
        order = {cid: i for i, cid in enumerate(self.rules.codes)}
        for code_id in sorted(by_code, key=order.__getitem__):
            ms = by_code[code_id]
            first = ms[0]
            if sents is None:
                sents = _sentence_bounds(doc, text)
            sent_of = sents[0]
            s_start = sents[1][sent_of[first.start_tok]][0]
            s_end = sents[1][sent_of[first.end_tok - 1]][1]
            out.append(Suggestion(
                code_id=code_id,
                rule_id=first.rule.rule_id,
                start=base + first.start_char,
                end=base + first.end_char,
                sentence_start=base + s_start,
                sentence_end=base + max(s_end, first.end_char),
                evidence=text[first.start_char:first.end_char],
                unit_index=unit.index,
                unit_start=unit.start,
                unit_end=unit.end,
                rule_ids=tuple(dict.fromkeys(m.rule.rule_id for m in ms)),
                match_count=len(ms),
            ))
        return out


def _applies(code, group: str | None) -> bool:
    """A code applies to ``group`` when it and every ancestor do (children inherit groups)."""
    node = code
    while node is not None:
        if not node.applies_to(group):
            return False
        node = node.parent
    return True


def _near_pair(a_hits: list, b_hits: list, within: int) -> tuple[int, int] | None:
    """The earliest (a, b) pair of non-overlapping term matches at most ``within`` tokens apart."""
    best = None
    for a_s, a_e in a_hits:
        for b_s, b_e in b_hits:
            if a_s < b_e and b_s < a_e:  # overlapping: the same words
                continue
            gap = (b_s - a_e + 1) if b_s >= a_e else (a_s - b_e + 1)
            if gap <= within:
                span = (min(a_s, b_s), max(a_e, b_e))
                if best is None or span < best:
                    best = span
    return best


def _sentence_index(doc: Doc) -> np.ndarray:
    """Sentence number of every token (0-based)."""
    if not len(doc):
        return np.zeros(0, dtype=np.int64)
    starts = doc.to_array(SENT_START) == 1
    starts[0] = True
    return np.cumsum(starts) - 1


def _sentence_bounds(doc: Doc, text: str) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """(sentence number of each token, [(start_char, end_char) of each sentence, stripped])."""
    sent_of = _sentence_index(doc)
    bounds = []
    first_tok = np.flatnonzero(np.diff(sent_of, prepend=-1))
    ends = list(first_tok[1:]) + [len(doc)]
    for s, e in zip(first_tok.tolist(), ends):
        last = doc[int(e) - 1]
        bounds.append(_strip(text, doc[s].idx, last.idx + len(last)))
    return sent_of, bounds
