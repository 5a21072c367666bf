"""Tag one parsed transcript with a codebook, without a project (``qualcode tag``)."""
from __future__ import annotations

from ..codebook.model import Codebook
from ..model import ParsedTranscript


def tag_units_of(book: Codebook, parsed: ParsedTranscript, *, group: str | None, unit: str = "turn",
                 timed_out: list[dict] | None = None) -> list[dict]:
    """Every unit of the transcript as a JSON-ready dict: unit, speaker, start, end, text, codes.

    Regex rules that ran out of their time budget (and were skipped) are appended to ``timed_out``
    as ``{rule, code, transcripts}``."""
    from ..engine.tagger import Tagger, sentence_units, turn_units

    tagger = Tagger(book)
    units = sentence_units(parsed, tagger.nlp) if unit == "sentence" else turn_units(parsed)
    rows = []
    for res in tagger.tag_units(parsed.text, units, group):
        u = res.unit
        codes = []
        for s in res.suggestions:
            code = book.get(s.code_id)
            codes.append({"id": s.code_id, "label": code.label if code else s.code_id,
                          "domain": code.domain.label if code else "", "rule": s.rule_id,
                          "evidence": {"start": s.start, "end": s.end, "text": s.evidence,
                                       "sentence": parsed.text[s.sentence_start:s.sentence_end]}})
        rows.append({"unit": u.index, "speaker": u.speaker, "participant": u.is_participant, "start": u.start,
                     "end": u.end, "text": parsed.text[u.start:u.end], "codes": codes})
    if timed_out is not None:
        timed_out += [dict(rule=t.rule_id, code=t.code_id, transcripts=[parsed.name]) for t in tagger.timeouts.values()]
    return rows
