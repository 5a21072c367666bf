"""Disagreements between two coders: units both saw where exactly one of them applied a code.

Ordered by code (codebook order), then transcript, then unit. Each carries the consensus decision
recorded so far (``include``/``exclude``, or empty). Writers and readers for the meeting sheet are in
``qualcode.team.sheets``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import AgreementError
from ..store.project import Project
from ..store.team import list_decisions, pair_key
from .units import DEFAULT_STATUSES, CodedUnits, Unit, code_units, compare


@dataclass
class Disagreement:
    code: str
    label: str
    transcript_id: int
    transcript: str
    participant: str
    group: str
    unit: int
    start: int
    end: int
    text: str
    codes_a: list[str]
    codes_b: list[str]
    applied_by: str
    decision: str = ""
    note: str = ""
    decided_by: str = ""

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.transcript_id, self.unit, self.code)

    def as_dict(self, coders: tuple[str, str]) -> dict:
        return dict(code=self.code, label=self.label, transcript=self.transcript, participant=self.participant,
                    group=self.group, unit=self.unit, start=self.start, end=self.end, text=self.text,
                    codes_a=", ".join(self.codes_a), codes_b=", ".join(self.codes_b), coder_a=coders[0],
                    coder_b=coders[1], applied_by=self.applied_by, decision=self.decision, note=self.note)


DISAGREEMENT_COLUMNS = ["code", "label", "transcript", "participant", "unit", "text", "codes_a", "codes_b",
                        "applied_by", "decision", "note"]


@dataclass
class Disagreements:
    coders: tuple[str, str]
    unit: str
    statuses: tuple[str, ...]
    items: list[Disagreement]
    coded: CodedUnits
    agreed: list[tuple[Unit, str]] = field(default_factory=list)  # (unit, code) both applied
    notes: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return pair_key(self.coders, self.unit)

    def undecided(self) -> list[Disagreement]:
        return [d for d in self.items if not d.decision]


def parse_pair(value: str | list[str] | tuple[str, ...]) -> tuple[str, str]:
    names = [c.strip() for c in (value.split(",") if isinstance(value, str) else value) if c.strip()]
    if len(names) != 2 or names[0] == names[1]:
        raise AgreementError(f"give exactly two different coders, e.g. --coders analyst,coder-b (got {value!r})")
    return names[0], names[1]


def find_disagreements(project: Project, coders: str | tuple[str, str], *, unit: str = "turn",
                       statuses: tuple[str, ...] = DEFAULT_STATUSES, group: str | None = None) -> Disagreements:
    """Every unit x code on which exactly one of the two coders applied the code (both saw the unit)."""
    a, b = parse_pair(coders)
    book = project.codebook()
    order = {cid: i for i, cid in enumerate(book.ids())}
    labels = {c.id: c.label for c in book.walk()}
    with project.engine.connect() as conn:
        comparison = compare(conn, [a, b], group)
        coded = code_units(conn, comparison, unit=unit, statuses=statuses)
        decided = {(d.transcript_id, d.unit_idx, d.code_id): d for d in list_decisions(conn, pair_key((a, b), unit))}

    def code_order(cid: str) -> tuple[int, str]:
        return (order.get(cid, len(order)), cid)

    items: list[Disagreement] = []
    agreed: list[tuple[Unit, str]] = []
    for u in coded.units:
        if not {a, b} <= comparison.saw.get(u.transcript_id, set()):
            continue
        by_coder = coded.applied.get((u.transcript_id, u.index), {})
        codes_a, codes_b = by_coder.get(a, set()), by_coder.get(b, set())
        agreed += [(u, code) for code in sorted(codes_a & codes_b, key=code_order)]
        for code in sorted(codes_a ^ codes_b, key=code_order):
            d = decided.get((u.transcript_id, u.index, code))
            items.append(Disagreement(
                code=code, label=labels.get(code, ""), transcript_id=u.transcript_id, transcript=u.transcript,
                participant=u.participant, group=u.group, unit=u.index, start=u.start, end=u.end,
                text=coded.unit_text(u), codes_a=sorted(codes_a, key=code_order), codes_b=sorted(codes_b, key=code_order),
                applied_by=a if code in codes_a else b, decision=d.decision if d else "", note=d.note if d else "",
                decided_by=d.decided_by if d else ""))
    items.sort(key=lambda d: (code_order(d.code), d.transcript, d.unit))
    return Disagreements((a, b), unit, tuple(statuses), items, coded, agreed, list(comparison.notes))
