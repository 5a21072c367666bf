"""Codings -> units: what each coder applied to each unit of the double-coded transcripts.

A unit is a participant turn (``turn``) or a sentence of a participant turn (``sentence``);
interviewer turns are never units. A coding counts for every unit its span overlaps
(``coding.start < unit.end and coding.end > unit.start``). A coder *saw* every unit of a transcript
in which they have at least one coding of any status except ``rejected``; only codings whose status
is among ``statuses`` (default: accepted) count as applying their code. See docs/methods.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from ..analysis.agreement import CodingRecord
from ..errors import AgreementError
from ..model import ParsedTranscript, Turn
from ..store.codings import RULES_CODER, CodingRow, list_coders, query_codings
from ..store.team import coder_origins, coders_per_transcript, get_sample
from ..store.transcripts import TranscriptRow, all_turns, list_transcripts

UNIT_KINDS = ("turn", "sentence")
DEFAULT_STATUSES = ("accepted",)


@dataclass(frozen=True)
class Unit:
    transcript_id: int
    transcript: str
    index: int  # the turn index, or the sentence unit index (as ``autocode --unit sentence`` counts)
    start: int
    end: int
    speaker: str
    participant: str  # attribution, e.g. "Respondent D3"
    group: str

    @property
    def key(self) -> str:
        return f"{self.transcript}#{self.index}"


@dataclass
class Comparison:
    """Which coders are compared on which transcripts, and why."""

    coders: list[str]
    transcripts: list[TranscriptRow]
    source: str  # "sample" or "coded by two or more"
    saw: dict[int, set[str]]  # transcript id -> compared coders who saw it
    notes: list[str] = field(default_factory=list)


@dataclass
class CodedUnits:
    comparison: Comparison
    unit: str
    statuses: tuple[str, ...]
    units: list[Unit]
    applied: dict[tuple[int, int], dict[str, set[str]]]  # (transcript id, unit index) -> coder -> codes
    codings: dict[tuple[int, int, str, str], list[CodingRow]]  # (tid, unit, coder, code) -> the codings
    text: dict[int, str]  # transcript id -> text

    def unit_text(self, u: Unit) -> str:
        return self.text[u.transcript_id][u.start:u.end]

    def records(self) -> list[CodingRecord]:
        """(unit, coder, code) records for ``compute_agreement``: an empty code for every unit a coder saw."""
        out: list[CodingRecord] = []
        for u in self.units:
            for coder in self.comparison.coders:
                if coder not in self.comparison.saw.get(u.transcript_id, ()):
                    continue
                out.append(CodingRecord(u.key, coder, None))
                for code in sorted(self.applied.get((u.transcript_id, u.index), {}).get(coder, ())):
                    out.append(CodingRecord(u.key, coder, code))
        return out


def human_coders(conn: sa.Connection) -> set[str]:
    """Coders who code (not the rules engine, not a consensus coder)."""
    origins = coder_origins(conn)
    return {c for c, _ in list_coders(conn) if c != RULES_CODER and origins.get(c) != {"consensus"}}


def coder_rows(conn: sa.Connection, coder: str | None = None) -> list[dict]:
    """Each coder (or just ``coder``) with kind (coder, rules, consensus) and codings per status."""
    humans = human_coders(conn)
    rows = []
    for name, counts in list_coders(conn):
        if coder and name != coder:
            continue
        kind = "rules" if name == RULES_CODER else "coder" if name in humans else "consensus"
        rows.append(dict(coder=name, kind=kind, suggested=counts.get("suggested", 0),
                         accepted=counts.get("accepted", 0), rejected=counts.get("rejected", 0),
                         total=sum(counts.values())))
    return rows


def compare(conn: sa.Connection, coders: list[str] | None = None, group: str | None = None) -> Comparison:
    """The transcripts to compare ``coders`` on: the project's sample, or (without a sample) every
    transcript that two or more of them coded; only the participant ``group``'s when given.
    Default coders: every human coder there."""
    saw_all = coders_per_transcript(conn)
    known = {c for c, _ in list_coders(conn)}
    if coders is not None:
        coders = list(dict.fromkeys(c.strip() for c in coders if c.strip()))
        unknown = [c for c in coders if c not in known]
        if unknown:
            raise AgreementError(f"unknown coder(s) {', '.join(unknown)} (coders in this project: "
                                 f"{', '.join(sorted(known)) or 'none'}; see 'qualcode coders list')")
    everyone = {t.id: t for t in list_transcripts(conn) if group is None or t.grp == group}
    if group is not None and not everyone:
        groups = sorted({t.grp for t in list_transcripts(conn)})
        raise AgreementError(f"no transcript of group {group!r} (groups: {', '.join(groups) or 'none'})")
    full_sample = get_sample(conn)
    sample = [s for s in full_sample if s.transcript_id in everyone]
    if full_sample and not sample:
        raise AgreementError(f"the double-coding sample has no transcript of group {group!r} (see 'qualcode sample show')")
    humans = human_coders(conn)
    if sample:
        tids = [s.transcript_id for s in sample]
        source = "sample"
        if coders is None:
            coders = sorted({c for t in tids for c in saw_all.get(t, ()) if c in humans})
    else:
        source = "coded by two or more"
        if coders is None:
            coders = sorted(humans)
        tids = [t for t in everyone if len(saw_all.get(t, set()) & set(coders)) >= 2]
    if len(coders) < 2:
        raise AgreementError(f"agreement needs at least two coders; found {len(coders)}: {', '.join(coders) or 'none'} "
                             "(give --coders A,B)")
    wanted = set(coders)
    saw = {t: saw_all.get(t, set()) & wanted for t in tids}
    notes = []
    if source == "sample":
        for t in sorted(tids, key=lambda i: everyone[i].name):
            if len(saw[t]) < 2:
                who = ", ".join(sorted(saw[t])) or "none of the coders"
                notes.append(f"sample transcript {everyone[t].name} is coded by {who} only: its units are not compared")
    else:
        notes.append("no double-coding sample drawn ('qualcode sample'): using the transcripts coded by two or "
                     f"more of {', '.join(coders)}")
    if not any(len(s) >= 2 for s in saw.values()):
        raise AgreementError(f"no transcript is coded by two or more of {', '.join(coders)}"
                             + (" in the sample" if source == "sample" else "")
                             + " (each coder needs at least one coding, not rejected, in a transcript)")
    ordered = sorted((everyone[t] for t in tids), key=lambda t: t.name)
    return Comparison(coders, ordered, source, saw, notes)


def _sentence_units(t: TranscriptRow, turns: list[Turn]) -> list[tuple[int, int, int, str]]:
    parsed = ParsedTranscript(t.name, t.text, turns, t.source_format)
    from ..engine.tagger import sentence_units  # spaCy: loaded only when sentence units are asked for

    return [(u.index, u.start, u.end, u.speaker) for u in sentence_units(parsed) if u.is_participant]


def transcript_units(t: TranscriptRow, turns: list[Turn], unit: str = "turn") -> list[Unit]:
    """The units of one transcript (participant turns, or their sentences), in text order."""
    if unit not in UNIT_KINDS:
        raise AgreementError(f"unknown unit {unit!r}: use turn or sentence")
    if unit == "turn":
        spans = [(x.index, x.start, x.end, x.speaker) for x in turns if x.is_participant and x.end > x.start]
    else:
        spans = _sentence_units(t, turns)
    return [Unit(t.id, t.name, i, s, e, speaker, t.participant_label, t.grp) for i, s, e, speaker in spans]


def code_units(conn: sa.Connection, comparison: Comparison, *, unit: str = "turn",
               statuses: tuple[str, ...] = DEFAULT_STATUSES) -> CodedUnits:
    """Assign the compared coders' codings (of ``statuses``) to the units of the compared transcripts."""
    turns = all_turns(conn)
    units: list[Unit] = []
    applied: dict[tuple[int, int], dict[str, set[str]]] = {}
    by_span: dict[tuple[int, int, str, str], list[CodingRow]] = {}
    for t in comparison.transcripts:
        t_units = transcript_units(t, turns.get(t.id, []), unit)
        units.extend(t_units)
        rows = query_codings(conn, transcript_id=t.id, coder=comparison.coders, status=list(statuses))
        for c in rows:
            if c.coder not in comparison.saw.get(t.id, ()):
                continue
            for u in t_units:
                if c.start < u.end and c.end > u.start:
                    applied.setdefault((t.id, u.index), {}).setdefault(c.coder, set()).add(c.code_id)
                    by_span.setdefault((t.id, u.index, c.coder, c.code_id), []).append(c)
    return CodedUnits(comparison, unit, tuple(statuses), units, applied, by_span,
                      {t.id: t.text for t in comparison.transcripts})


def parse_statuses(value: str | None) -> tuple[str, ...]:
    from ..store.codings import STATUSES

    if not value:
        return DEFAULT_STATUSES
    items = tuple(dict.fromkeys(s.strip().lower() for s in value.split(",") if s.strip()))
    bad = [s for s in items if s not in STATUSES or s == "rejected"]
    if bad or not items:
        raise AgreementError(f"--status takes accepted and/or suggested (comma-separated); got {value!r}")
    return items
