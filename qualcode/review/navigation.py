"""Moving around the review queue and the transcripts, and the app's two text bars (no Textual).

Positions are ``ReviewData.key`` tuples: (transcript index, start, end, code, id), so "next"
means the next coding after the current one in reading order, across transcripts."""
from __future__ import annotations

from rich.text import Text

from ..codebook.model import Codebook
from ..model import Turn
from ..coding.segments import explain_evidence
from ..store.codings import CodingRow
from ..store.transcripts import TranscriptRow
from .view_model import MARKS, ReviewData, code_path


def turn_position(tindex: int, turn: Turn | None) -> tuple:
    """A position just before the codings of ``turn`` (for "next" when no coding is current)."""
    return (tindex, turn.start if turn else 0, -1, "", -1)


def step_queue(data: ReviewData, here: tuple, step: int, anchor: int | None = None) -> CodingRow | None:
    """The queue's next (``step`` = 1) or previous (-1) coding: in reading order from position
    ``here``; in another order from the queue coding ``anchor`` (the last one shown; none: the first)."""
    if data.order != "position":
        if anchor not in data.rank:
            return data.queue[0] if step > 0 and data.queue else None
        i = data.rank[anchor] + step
        return data.queue[i] if 0 <= i < len(data.queue) else None
    if step > 0:
        return next((c for c in data.queue if data.key(c) > here), None)
    before = [c for c in data.queue if data.key(c) < here]
    return before[-1] if before else None


def find_text(data: ReviewData, tindex: int, turn_index: int, text: str) -> tuple[int, int] | None:
    """(transcript index, turn list index) of the first turn after (``tindex``, ``turn_index``)
    whose words contain ``text`` (case-insensitive), wrapping round; None when nowhere."""
    n = len(data.transcripts)
    needle = text.lower()
    if not n or not needle:
        return None
    start_t = max(tindex, 0)
    start_turn = turn_index + 1 if tindex >= 0 else 0
    for step in range(n + 1):
        ti = (start_t + step) % n
        t = data.transcripts[ti]
        turns = data.turns(t)
        first = start_turn if step == 0 else 0
        last = len(turns) if step < n else min(start_turn, len(turns))
        for i in range(first, last):
            if needle in t.text[turns[i].start:turns[i].end].lower():
                return ti, i
    return None


def status_text(t: TranscriptRow | None, row: CodingRow | None, data: ReviewData) -> Text:
    """The top bar: transcript, participant, group, place in the queue, the filter."""
    status = Text()
    if t is not None:
        status.append(t.name, style="bold")
        status.append(f" · {t.participant_label} · {t.grp or 'no group'}")
    where = data.rank[row.id] + 1 if row is not None and row.id in data.rank else "-"
    status.append(f" │ {where}/{len(data.queue)} │ {data.filter.describe()}", style="dim")
    if data.order == "uncertainty":
        status.append(" │ most uncertain first", style="bold")
    elif data.order_unmet:
        status.append(f" │ reading order: {data.order_unmet}", style="bold")
    return status


def detail_text(row: CodingRow | None, turn: Turn | None, book: Codebook, colours: dict[str, str]) -> Text:
    """The bottom bar: the current coding (status, code, exemplar, rule, coder, the learned model's
    confidence, why it was suggested, memo)."""
    detail = Text()
    if row is not None:
        why, confidence = explain_evidence(row.evidence)
        detail.append(f"#{row.id} {MARKS.get(row.status, '?')} {row.status}", style="bold")
        if confidence is not None:
            detail.append(f" · model {confidence:.2f}", style="bold")
        detail.append(f"  {code_path(book, row.code_id)}", style=colours.get(row.code_id, ""))
        if row.exemplar:
            detail.append("  ★ exemplar", style="bold")
        detail.append(f"  · {row.rule_id or row.origin} · {row.coder}", style="dim")
        if why:
            detail.append("\nwhy: ", style="bold")
            detail.append(why, style="bold red" if "LOW" in why else "")
        if row.memo:
            detail.append("\nmemo: ", style="bold")
            detail.append(row.memo.replace("\n", " "))
    elif turn is not None:
        detail.append(f"Turn {turn.index}: no coding here. m codes it, n goes to the next coding, "
                      "? shows every key.", style="dim")
    return detail
