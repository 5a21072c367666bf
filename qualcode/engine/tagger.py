"""Units of a transcript -> code suggestions.

A unit is ``(index, start, end, speaker, is_participant)`` over the transcript's canonical text:
a speaker turn (``turn_units``) or a sentence inside a participant turn (``sentence_units``).

Rules (see ``docs/codebook-format.md``):

- interviewer units (``is_participant`` False) are never coded: they are returned with no
  suggestions and are not even run through spaCy;
- a code (or a domain that has rules) is only suggested for the groups it applies to (its own
  ``groups`` and its ancestors');
- a code is suggested for a unit when any of its rules matches inside the unit (never across two
  units), unless one of its exclusions matches in the same sentence as that match (a match that
  spans sentences is dropped when an exclusion matches in any of them);
- matches of different codes may overlap and are all kept: as ``Match`` records, and as spans in
  ``doc.spans["qualcode"]`` (never ``doc.ents``) when the caller keeps the doc (``match_doc``, or
  ``Tagger(keep_spans=True)``); ``tag_batch`` drops its docs, so it skips building ``Span`` objects
  (about 0.1x the tokenizer's time).

One suggestion per (unit, code): when a code matches several times in a unit, the earliest match
(longest on ties) is the evidence and gives ``rule_id``/``start``/``end``/``sentence_*``;
``rule_ids`` lists every rule of that code that matched in the unit, in order of first match, so a
reviewer sees every reason; ``match_count`` says how many matches survived the exclusions.

``near`` pairs a term of ``a`` with a term of ``b`` (both on lemmas, not overlapping) when the later
one starts at most ``within`` tokens after the end of the earlier one (adjacent words are 1 apart),
inside one unit; each ``a`` occurrence pairs with its closest ``b``. The pair may cross a sentence
boundary inside the unit.

How it runs (measured, see ``benchmarks/evaluate_rules.py --speed``): the participant units of one
transcript are joined with blank lines into one text, so ``nlp.pipe`` makes one ``Doc`` per
transcript and every matcher is called once per transcript (a spaCy matcher call has a fixed cost
of several microseconds; per-unit docs made that cost larger than tokenizing). The tokens are the
same as tokenizing each unit alone: units are separated by a whitespace token and a match may not
span two units. Sentence boundaries are spaCy's ``sentencizer`` rule (its own punctuation set),
computed with numpy on the token arrays instead of its per-token Python loop; every unit starts a
sentence, as it would in a doc of its own.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from typing import Iterable, Iterator, NamedTuple, Sequence

from . import spacy_import  # noqa: F401 - first: spaCy without its CLI (see there)
import numpy as np
from spacy.attrs import IDX, IS_PUNCT, LEMMA, LENGTH, ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from qualcode.codebook.model import Code, Codebook
from qualcode.model import ParsedTranscript

from .compile import CompiledRule, CompiledRules, NearSide, compile_codebook
from .nlp import LEMMATIZER, make_nlp
from .regex_rules import REGEX_BUDGET, RegexTimeout, cpu_clock, joinable, search_all

SPANS_KEY = "qualcode"
BATCH_SIZE = 256  # units per spaCy batch (the pipe batches transcripts: see _transcripts_per_batch)
SEPARATOR = "\n\n"


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


class Match(NamedTuple):
    """One rule match: tokens ``[start_tok, end_tok)`` of the doc, characters of the doc text."""

    rule: CompiledRule
    start_char: int
    end_char: int
    start_tok: int
    end_tok: int  # exclusive
    unit: int = 0  # position of the unit among the doc's units


@dataclass
class _Job:
    """One transcript's participant units, joined into the text that becomes one doc."""

    text: str
    group: str | None
    results: list[UnitResult]
    coded: list[UnitResult]  # the units that are tagged, in joined order
    offsets: list[int]  # start of each coded unit in the joined text
    lengths: list[int]
    position: int = 0  # which job of its ``tag_batch`` call
    starts: list[int] = field(default_factory=list)  # transcript offset of each coded part
    last: bool = True  # the last doc of its transcript (a long transcript is tagged in several)


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
    pieces = [(t, s, e) for t in participant for s, e in split_long(parsed.text, t.start, t.end)]
    texts = (parsed.text[s:e] for _, s, e in pieces)
    for (turn, start, _), doc in zip(pieces, nlp.pipe(texts, disable=disable, batch_size=BATCH_SIZE)):
        spans = sentences.setdefault(turn.index, [])
        for sent in doc.sents:
            s, e = _strip(doc.text, sent.start_char, sent.end_char)
            if e > s:
                spans.append((start + s, start + e))
    units: list[Unit] = []
    for t in turns:
        if t.is_participant:
            for s, e in sentences.get(t.index, []):
                units.append(Unit(len(units), s, e, t.speaker, True))
        else:
            units.append(Unit(len(units), t.start, t.end, t.speaker, False))
    return units


CHUNK_CHARS = 100_000  # longest text given to spaCy at once (its nlp.max_length is 1,000,000)
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+|\n+")


def split_long(text: str, start: int, end: int, limit: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """``[start, end)`` cut into pieces of at most ``limit`` characters, at sentence ends when possible.

    Offsets stay those of ``text``; a piece with no sentence end is cut at whitespace, else hard.
    """
    pieces = []
    while end - start > limit:
        cut = _last_boundary(text, start, start + limit)
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def _last_boundary(text: str, start: int, stop: int) -> int:
    """The last sentence end (else whitespace) in ``text[start:stop]`` past its middle, else ``stop``."""
    middle = (start + stop) // 2
    last = None
    for m in _SENTENCE_END.finditer(text, middle, stop):
        last = m.end()
    if last is None or last >= stop:
        ws = text.rfind(" ", middle, stop)
        return ws + 1 if ws > middle else stop
    return last


def _chunks(job: _Job, text: str, limit: int = CHUNK_CHARS) -> list[_Job]:
    """``job`` as one or more jobs of at most about ``limit`` characters (long units split in pieces)."""
    if len(job.text) <= limit:
        return [job]
    jobs, parts = [], []
    def flush(last: bool) -> None:
        joined = SEPARATOR.join(text[s:e] for _, s, e in parts)
        offsets, pos = [], 0
        for _, s, e in parts:
            offsets.append(pos)
            pos += e - s + len(SEPARATOR)
        jobs.append(_Job(joined, job.group, job.results, [r for r, _, _ in parts], offsets,
                         [e - s for _, s, e in parts], starts=[s for _, s, _ in parts], last=last))
        parts.clear()
    size = 0
    for r in job.coded:
        for s, e in split_long(text, r.unit.start, r.unit.end, limit):
            if parts and size + e - s > limit:
                flush(False)
                size = 0
            parts.append((r, s, e))
            size += e - s + len(SEPARATOR)
    flush(True)
    return jobs


def _merged(old: list, new: list, order: dict) -> list:
    """Suggestions of one unit tagged in several pieces: the first match of each code wins."""
    by_code = {s.code_id: s for s in old}
    for s in new:
        first = by_code.get(s.code_id)
        if first is None:
            by_code[s.code_id] = s
        else:
            rules = tuple(dict.fromkeys(first.rule_ids + s.rule_ids))
            by_code[s.code_id] = replace(first, rule_ids=rules, match_count=first.match_count + s.match_count)
    return [by_code[c] for c in sorted(by_code, key=order.__getitem__)]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class Tagger:
    """Compiles a codebook once and tags units with it."""

    def __init__(self, codebook: Codebook, nlp: Language | None = None, *, keep_spans: bool = False):
        self.codebook = codebook
        self.keep_spans = keep_spans
        self.nlp = nlp or make_nlp()
        self.rules: CompiledRules = compile_codebook(codebook, self.nlp)
        self._allowed: dict[str | None, frozenset[str]] = {}
        self._near_tables: dict[str | None, tuple[dict[int, tuple[NearSide, ...]], np.ndarray]] = {}
        self.regex_budget = REGEX_BUDGET  # CPU seconds per regex rule per transcript
        self.timeouts: dict[str, RuleTimeout] = {}  # rule id -> the transcripts it was skipped for
        self._joinable = {rule.key: joinable(rx.pattern) for rule, rx in self.rules.regexes}
        self._order = {cid: i for i, cid in enumerate(self.rules.codes)}
        punct = self.nlp.get_pipe("sentencizer").punct_chars if "sentencizer" in self.nlp.pipe_names \
            else {".", "!", "?"}
        strings = self.nlp.vocab.strings
        self._punct_hashes = np.array(sorted(strings.add(c) for c in punct), dtype=np.uint64)
        # token attributes fetched in one to_array call per doc
        attrs = [IDX, LENGTH, ORTH, IS_PUNCT]
        if self.rules.needs_lemmas:
            attrs.append(LEMMA)
        for trule in self.rules.token_rules:
            attrs += [a for a, _ in trule.anchors if a not in attrs]
        self._attrs = attrs
        # every anchor value of every token pattern, per attribute, sorted (one lookup per doc)
        anchor_values: dict[int, set[int]] = {}
        for trule in self.rules.token_rules:
            for attr, values in trule.anchors:
                anchor_values.setdefault(attr, set()).update(values)
        self._anchor_values = {a: np.array(sorted(v), dtype=np.uint64) for a, v in anchor_values.items()}
        # sentence starts are computed here (sentencizer rule, vectorised) unless a token pattern
        # tests them; the lemmatizer only runs when a rule uses lemmas
        self._disable = []
        if "sentencizer" in self.nlp.pipe_names and not self.rules.needs_sentences:
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

        Yields one list of ``UnitResult`` per job, in order. ``batch_size`` is in units: spaCy
        batches whole transcripts, about ``batch_size`` units at a time. A regex rule that runs out
        of its budget on a job is skipped for it: ``self.timeouts`` says which (reset by each call).
        """
        self.timeouts = {}
        def stream() -> Iterator[tuple[str, _Job]]:
            for position, (text, units, group) in enumerate(jobs):
                for job in _chunks(self._prepare(text, units, group), text):
                    job.position = position
                    yield job.text, job

        per_batch = max(1, batch_size // 32)  # ~32 participant turns per interview
        docs = self.nlp.pipe(stream(), as_tuples=True, batch_size=per_batch, disable=self._disable)
        for doc, job in docs:
            if job.coded:
                self._tag_doc(doc, job)
            if job.last:
                yield job.results

    def match_doc(self, doc: Doc, group: str | None = None) -> list[Match]:
        """Surviving matches in ``doc`` (one unit) of the codes that apply to ``group``.

        Exclusions are applied; every surviving match is also stored in ``doc.spans["qualcode"]``
        (label = code id, ``id`` = rule id). The doc must come from ``self.nlp`` (lemmas set).
        """
        job = _Job(doc.text, group, [], [UnitResult(Unit(0, 0, len(doc.text), "", True))], [0],
                   [len(doc.text)])
        return self._matches(doc, job, spans=True)[0]

    # ---------------------------------------------------------------- internals
    def _prepare(self, text: str, units: Iterable[Sequence], group: str | None) -> _Job:
        results = [UnitResult(u if isinstance(u, Unit) else Unit(*u)) for u in units]
        coded = []
        if self._allowed_for(group):
            coded = [r for r in results if r.unit.is_participant and r.unit.end > r.unit.start]
        parts, offsets, lengths, pos = [], [], [], 0
        for r in coded:
            part = text[r.unit.start:r.unit.end]
            parts.append(part)
            offsets.append(pos)
            lengths.append(len(part))
            pos += len(part) + len(SEPARATOR)
        return _Job(SEPARATOR.join(parts), group, results, coded, offsets, lengths,
                    starts=[r.unit.start for r in coded])

    def _allowed_for(self, group: str | None) -> frozenset[str]:
        allowed = self._allowed.get(group)
        if allowed is None:
            allowed = frozenset(cid for cid, code in self.rules.codes.items()
                                if _applies(code, group) and (code.rules or code.exclude))
            self._allowed[group] = allowed
        return allowed

    def _near_table(self, group: str | None) -> tuple[dict[int, tuple[NearSide, ...]], np.ndarray]:
        """One-word near terms of the rules that apply to ``group``: lemma hash -> sides, and the
        sorted hashes (so a young person's transcript never looks at clinician terms)."""
        table = self._near_tables.get(group)
        if table is None:
            allowed = self._allowed_for(group)
            words = {h: tuple(s for s in sides if self.rules.near[s.rule].code_id in allowed)
                     for h, sides in self.rules.near_words.items()}
            words = {h: sides for h, sides in words.items() if sides}
            table = self._near_tables[group] = (words, np.array(sorted(words), dtype=np.uint64))
        return table

    def _tag_doc(self, doc: Doc, job: _Job) -> None:
        kept, ctx = self._matches(doc, job)
        if not kept:
            return
        by_unit: dict[int, dict[str, list[Match]]] = {}
        for m in sorted(kept, key=lambda m: (m.start_char, -m.end_char)):
            by_unit.setdefault(m.unit, {}).setdefault(m.rule.code_id, []).append(m)
        for u, by_code in by_unit.items():
            res = job.coded[u]
            unit = res.unit
            base = job.starts[u] - job.offsets[u]  # joined-text offset -> transcript offset
            out = []
            for code_id in sorted(by_code, key=self._order.__getitem__):
                ms = by_code[code_id]
                first = ms[0]
                s_start, s_end = ctx.sentence_chars(first)
                out.append(Suggestion(
                    code_id=code_id,
                    rule_id=first.rule.rule_id,
                    start=base + first.start_char,
                    end=base + first.end_char,
                    sentence_start=base + min(s_start, first.start_char),
                    sentence_end=base + max(s_end, first.end_char),
                    evidence=job.text[first.start_char:first.end_char],
                    unit_index=unit.index,
                    unit_start=unit.start,
                    unit_end=unit.end,
                    rule_ids=tuple(dict.fromkeys(m.rule.rule_id for m in ms)),
                    match_count=len(ms),
                ))
            res.suggestions = _merged(res.suggestions, out, self._order) if res.suggestions else out

    def _matches(self, doc: Doc, job: _Job, spans: bool | None = None) -> tuple[list[Match], "_DocContext"]:
        """Matching (one function per rule kind), then filtering (exclusions), then annotation."""
        allowed = self._allowed_for(job.group)
        ctx = _DocContext(doc, job, self._punct_hashes, self._attrs, self._anchor_values)
        hits = self._phrase_hits(doc, allowed)
        lemma_hits, sides = self._lemma_hits(doc, allowed)
        hits += lemma_hits
        self._add_near_words(ctx, job.group, sides)
        hits += self._near_hits(sides, ctx)
        hits += self._token_hits(doc, ctx, allowed)
        found = _in_one_unit(hits, ctx) + self._regex_matches(job, ctx, allowed)
        kept = _apply_exclusions(found, ctx)
        if self.keep_spans if spans is None else spans:
            doc.spans[SPANS_KEY] = [Span(doc, m.start_tok, m.end_tok, label=m.rule.code_id,
                                         span_id=m.rule.rule_id) for m in kept]
        return kept, ctx

    def _phrase_hits(self, doc: Doc, allowed: frozenset[str]) -> list[Hit]:
        if self.rules.phrase_matcher is None:
            return []
        by_hash = self.rules.by_hash
        return [(rule, s, e) for key, s, e in self.rules.phrase_matcher(doc)
                if (rule := by_hash[key]).code_id in allowed]

    def _lemma_hits(self, doc: Doc, allowed: frozenset[str]) -> tuple[list[Hit], dict[NearSide, list]]:
        """Lemma rule hits, and the several-word near terms found (token ranges per near side)."""
        hits: list[Hit] = []
        sides: dict[NearSide, list[tuple[int, int]]] = {}
        rules = self.rules
        if rules.lemma_matcher is None:
            return hits, sides
        for key, s, e in rules.lemma_matcher(doc):
            side = rules.near_terms.get(key)
            if side is None:
                rule = rules.by_hash[key]
                if rule.code_id in allowed:
                    hits.append((rule, s, e))
            elif rules.near[side.rule].code_id in allowed:
                sides.setdefault(side, []).append((s, e))
        return hits, sides

    def _add_near_words(self, ctx: "_DocContext", group: str | None, sides: dict[NearSide, list]) -> None:
        """Add the one-word near terms (a numpy lemma lookup) to ``sides``."""
        words, hashes = self._near_table(group)
        if not len(hashes):
            return
        lemmas = ctx.array(LEMMA)
        positions = np.flatnonzero(_member(lemmas, hashes))
        for pos, lemma in zip(positions.tolist(), lemmas[positions].tolist()):
            for side in words[lemma]:
                if side in sides:
                    sides[side].append((pos, pos + 1))
                else:
                    sides[side] = [(pos, pos + 1)]

    def _near_hits(self, sides: dict[NearSide, list], ctx: "_DocContext") -> list[Hit]:
        hits: list[Hit] = []
        for side, a_hits in sides.items():
            if side.side == "a" and (b_hits := sides.get(side.other)):
                rule = self.rules.near[side.rule]
                hits.extend((rule, s, e) for s, e in _near_pairs(a_hits, b_hits, rule.within, ctx.unit_of))
        return hits

    def _token_hits(self, doc: Doc, ctx: "_DocContext", allowed: frozenset[str]) -> list[Hit]:
        """Token pattern hits: one matcher over the union of every pattern's windows (exact, since
        every match of a pattern lies in its windows)."""
        rules = self.rules
        if rules.token_matcher is None:
            return []
        windows = sorted(w for trule in rules.token_rules if trule.rule.code_id in allowed
                         for w in ctx.windows(trule.anchors, trule.max_len))
        hits: list[Hit] = []
        seen: set[tuple[int, int, int]] = set()
        for start, end in _merge_windows(windows):
            for key, s, e in rules.token_matcher(doc[start:end]):
                rule = rules.by_hash[key]
                if rule.code_id in allowed and (key, start + s, start + e) not in seen:
                    seen.add((key, start + s, start + e))
                    hits.append((rule, start + s, start + e))
        return hits

    def _regex_matches(self, job: _Job, ctx: "_DocContext", allowed: frozenset[str]) -> list[Match]:
        """Regex rule matches, unit by unit; a rule that runs out of its budget on this transcript
        is skipped for it (its matches dropped) and recorded in ``self.timeouts``."""
        found: list[Match] = []
        for rule, rx in self.rules.regexes:
            if rule.code_id not in allowed:
                continue
            try:
                found += self._one_regex(rule, rx, job, ctx)
            except RegexTimeout:
                self.timeouts.setdefault(rule.rule_id, RuleTimeout(rule.rule_id, rule.code_id)).jobs.append(job.position)
        return found

    def _one_regex(self, rule: CompiledRule, rx, job: _Job, ctx: "_DocContext") -> list[Match]:
        """One rule's matches in the job's units, within one budget. A pattern without anchors or
        lookarounds runs once over the joined text (each call with a timeout has a fixed cost of
        tens of microseconds), unit by unit only when a match crosses a unit boundary."""
        deadline = cpu_clock() + self.regex_budget
        if self._joinable.get(rule.key):
            spans = _spans_in_units(search_all(rx, job.text, self.regex_budget), job)
            if spans is not None:
                return [Match(rule, s, e, *ctx.tokens_of(s, e), u) for s, e, u in spans]
        found: list[Match] = []
        for u, (offset, length) in enumerate(zip(job.offsets, job.lengths)):
            text = job.text[offset:offset + length]
            for ms, me in search_all(rx, text, deadline - cpu_clock()):
                s, e = ctx.tokens_of(offset + ms, offset + me)
                found.append(Match(rule, offset + ms, offset + me, s, e, u))
        return found


def _spans_in_units(spans: Iterable[tuple[int, int]], job: _Job) -> list[tuple[int, int, int]] | None:
    """``(start, end, unit)`` of joined-text spans, or None when one is not inside a single unit."""
    out = []
    for s, e in spans:
        u = bisect_right(job.offsets, s) - 1
        if u < 0 or e > job.offsets[u] + job.lengths[u]:
            return None
        out.append((s, e, u))
    return out


Hit = tuple[CompiledRule, int, int]  # (rule, start token, end token)


@dataclass
class RuleTimeout:
    """A regex rule that ran out of its time budget, and the transcripts it was skipped for."""

    rule_id: str
    code_id: str
    jobs: list[int] = field(default_factory=list)  # positions in the ``tag_batch`` call


def _merge_windows(windows: list[tuple[int, int]]) -> list[list[int]]:
    merged: list[list[int]] = []
    for start, end in windows:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def _in_one_unit(hits: list[Hit], ctx: "_DocContext") -> list[Match]:
    """Token hits -> ``Match``es, dropping those that span two units (or a separator)."""
    unit_of = ctx.unit_of
    found: list[Match] = []
    for rule, s, e in hits:
        u = unit_of[s]
        if u < 0 or unit_of[e - 1] != u:
            continue
        found.append(Match(rule, ctx.idx[s], ctx.idx[e - 1] + ctx.length[e - 1], s, e, u))
    return found


def _apply_exclusions(found: list[Match], ctx: "_DocContext") -> list[Match]:
    """The rule matches no exclusion of their code matches in the same sentence (same unit)."""
    excluded: dict[tuple[int, str], set[int]] = {}
    for m in found:
        if m.rule.exclude:
            excluded.setdefault((m.unit, m.rule.code_id), set()).update(ctx.sentences(m))
    if not excluded:
        return [m for m in found if not m.rule.exclude]
    return [m for m in found if not m.rule.exclude and not (
        (bad := excluded.get((m.unit, m.rule.code_id))) and not bad.isdisjoint(ctx.sentences(m)))]


class _DocContext:
    """Token arrays of one doc, computed once: units, sentences, offsets, attribute lookups."""

    def __init__(self, doc: Doc, job: _Job, punct_hashes: np.ndarray, attrs: list[int],
                 anchor_values: dict[int, np.ndarray] | None = None):
        self.doc = doc
        self._anchor_values = anchor_values or {}
        self.job = job
        self._punct = punct_hashes
        n = len(doc)
        table = doc.to_array(attrs) if n else np.zeros((0, len(attrs)), dtype=np.uint64)
        self._arrays = {attr: table[:, i] for i, attr in enumerate(attrs)}
        self._where: dict[int, dict[int, list[int]]] = {}  # attr -> anchor value -> positions
        idx = table[:, 0].astype(np.int64)
        self._idx = idx
        self.idx = idx.tolist()
        self.length = table[:, 1].astype(np.int64).tolist()
        starts = np.asarray(job.offsets, dtype=np.int64)
        ends = starts + np.asarray(job.lengths, dtype=np.int64)
        self.tok_start = np.searchsorted(idx, starts, side="left").tolist()
        self.tok_end = np.searchsorted(idx, ends, side="left").tolist()
        unit_of = np.full(n, -1, dtype=np.int64)
        for u, (s, e) in enumerate(zip(self.tok_start, self.tok_end)):
            unit_of[s:e] = u
        self._unit_of = unit_of
        self.unit_of = unit_of.tolist()
        self._sent_of: list[int] | None = None
        self._sent_first: list[int] | None = None

    def array(self, attr: int) -> np.ndarray:
        arr = self._arrays.get(attr)
        if arr is None:
            arr = self._arrays[attr] = self.doc.to_array(attr) if len(self.doc) else np.zeros(0, np.uint64)
        return arr

    def positions(self, attr: int, values: list[int]) -> list[int]:
        """Token positions whose ``attr`` is one of ``values`` (anchor values: one lookup per doc)."""
        where = self._where.get(attr)
        if where is None:
            arr = self.array(attr)
            keys = self._anchor_values.get(attr)
            if keys is None:
                keys = np.array(sorted(set(values)), dtype=np.uint64)
            where = {}
            hits = np.flatnonzero(_member(arr, keys))
            for pos, value in zip(hits.tolist(), arr[hits].tolist()):
                where.setdefault(value, []).append(pos)
            if attr in self._anchor_values:
                self._where[attr] = where
        found = [p for v in values for p in where.get(v, ())]
        return sorted(found) if len(values) > 1 else found

    def windows(self, anchors: list[tuple[int, list[int]]], max_len: int | None) -> list[tuple[int, int]]:
        """Token ranges a pattern with these anchors can match in: around each occurrence of its
        rarest anchor, ``max_len`` tokens either side, inside the unit (the whole unit when the
        length is unbounded); only in units holding every anchor. All units when no anchors."""
        if not anchors:
            return [(s, e) for s, e in zip(self.tok_start, self.tok_end) if e > s]
        positions = []
        for attr, values in anchors:
            pos = self.positions(attr, values)
            if not pos:
                return []
            positions.append(pos)
        unit_of = self.unit_of
        units = None
        for pos in positions:
            here = {unit_of[p] for p in pos} - {-1}
            units = here if units is None else units & here
        if not units:
            return []
        if max_len is None:
            return [(self.tok_start[u], self.tok_end[u]) for u in sorted(units)]
        out: list[tuple[int, int]] = []
        for p in min(positions, key=len):  # sorted
            u = unit_of[p]
            if u in units:
                s, e = max(p - max_len + 1, self.tok_start[u]), min(p + max_len, self.tok_end[u])
                if out and s <= out[-1][1] and unit_of[out[-1][0]] == u:
                    out[-1] = (out[-1][0], e)  # overlapping windows: one matcher call
                else:
                    out.append((s, e))
        return out

    def tokens_of(self, start_char: int, end_char: int) -> tuple[int, int]:
        """Tokens covering characters ``[start_char, end_char)`` of the doc text."""
        s = max(int(np.searchsorted(self._idx, start_char, side="right")) - 1, 0)
        e = max(int(np.searchsorted(self._idx, end_char - 1, side="right")), s + 1)
        return s, min(e, len(self.doc))

    def _sentence_arrays(self) -> tuple[list[int], list[int]]:
        """spaCy's sentencizer rule, vectorised: a sentence starts at the first token that is not
        punctuation after a token in the sentencizer's ``punct_chars``; every unit starts one."""
        if self._sent_of is None:
            n = len(self.doc)
            is_p = _member(self.array(ORTH), self._punct)
            word = ~(self.array(IS_PUNCT).astype(bool) | is_p)
            pos = np.arange(n)
            last_p = np.maximum.accumulate(np.where(is_p, pos, -1))
            last_w = np.maximum.accumulate(np.where(word, pos, -1))
            start = word.copy()
            start[1:] &= last_p[:-1] > last_w[:-1]
            if n:
                start[0] = True
            start[[s for s, e in zip(self.tok_start, self.tok_end) if e > s]] = True
            self._sent_of = (np.cumsum(start) - 1).tolist()
            self._sent_first = np.flatnonzero(start).tolist()
        return self._sent_of, self._sent_first

    def sentences(self, m: Match) -> range:
        sent_of, _ = self._sentence_arrays()
        return range(sent_of[m.start_tok], sent_of[m.end_tok - 1] + 1)

    def sentence_chars(self, m: Match) -> tuple[int, int]:
        """Doc-text characters of the sentence(s) holding ``m``, inside its unit, stripped."""
        sent_of, first = self._sentence_arrays()
        s_tok = first[sent_of[m.start_tok]]
        last_sent = sent_of[m.end_tok - 1]
        e_tok = first[last_sent + 1] if last_sent + 1 < len(first) else len(self.doc)
        s_tok = max(s_tok, self.tok_start[m.unit])
        e_tok = min(e_tok, self.tok_end[m.unit])
        start = self.idx[s_tok]
        end = self.idx[e_tok - 1] + self.length[e_tok - 1]
        return _strip(self.job.text, start, end)


def _member(values: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Boolean mask: which ``values`` are in ``sorted_keys`` (faster than np.isin for small arrays)."""
    if not len(sorted_keys):
        return np.zeros(len(values), dtype=bool)
    at = np.searchsorted(sorted_keys, values)
    at[at == len(sorted_keys)] = 0
    return sorted_keys[at] == values


def _applies(code: Code, group: str | None) -> bool:
    """A code applies to ``group`` when it and every ancestor do (children inherit groups)."""
    node: Code | None = code
    while node is not None:
        if not node.applies_to(group):
            return False
        node = node.parent
    return True


def _near_pairs(a_hits: list, b_hits: list, within: int, unit_of: list[int]) -> list[tuple[int, int]]:
    """For each ``a`` term match, the span covering it and its closest ``b`` match in the same unit
    (not overlapping, at most ``within`` tokens apart); empty when it has none."""
    out = []
    b_hits = sorted(b_hits)
    b_starts = [s for s, _ in b_hits]
    longest = max(e - s for s, e in b_hits)
    for a_s, a_e in a_hits:
        best = None
        lo = bisect_left(b_starts, a_s - within - longest + 1)
        hi = bisect_right(b_starts, a_e + within - 1)
        for b_s, b_e in b_hits[lo:hi]:
            if a_s < b_e and b_s < a_e:  # overlapping: the same words
                continue
            gap = (b_s - a_e + 1) if b_s >= a_e else (a_s - b_e + 1)
            if gap <= within and unit_of[b_s] == unit_of[a_s] and (best is None or gap < best[0]):
                best = (gap, min(a_s, b_s), max(a_e, b_e))
        if best is not None:
            out.append((best[1], best[2]))
    return out
