"""The review session's changes to the store, each saved at once, with an undo stack.

Every method makes one change through the manual-coding operations (one transaction each, so a
crash loses nothing) and pushes its inverse onto ``history``; ``undo()`` pops and runs it:
undoing an accept or reject restores the previous status, a recode restores the old code, an
added coding is removed, an added memo is deleted. No Textual here: the app calls these.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..coding import manual
from ..coding.manual import Selection
from ..errors import CodingError
from ..store.codings import CodingRow, query_codings
from ..store.project import Project


@dataclass
class Step:
    """One undoable change: what it was (for messages) and how to take it back."""

    description: str
    coding_id: int | None
    undo: Callable[[], None]


class ReviewActions:
    def __init__(self, project: Project, by: str):
        self.project = project
        self.by = by
        self.history: list[Step] = []

    # -- reading -------------------------------------------------------------------------------
    def get(self, coding_id: int) -> CodingRow:
        with self.project.connect() as conn:
            rows = query_codings(conn, ids=[coding_id])
        if not rows:
            raise CodingError(f"coding {coding_id} is no longer in the project")
        return rows[0]

    def _restore_step(self, description: str, before: CodingRow) -> Step:
        def undo() -> None:
            manual.restore_coding(self.project, before.id, code_id=before.code_id, status=before.status,
                                  exemplar=before.exemplar, decided_by=before.decided_by, memo=before.memo)
        return Step(description, before.id, undo)

    def _push(self, step: Step) -> Step:
        self.history.append(step)
        return step

    # -- changes -------------------------------------------------------------------------------
    def set_status(self, coding_id: int, status: str) -> CodingRow:
        before = self.get(coding_id)
        if before.status == status:
            return before
        manual.set_status(self.project, Selection(ids=[coding_id]), status, self.by)
        self._push(self._restore_step(f"{status[:-2] if status.endswith('ed') else status} #{coding_id}", before))
        return self.get(coding_id)

    def accept(self, coding_id: int) -> CodingRow:
        return self.set_status(coding_id, "accepted")

    def reject(self, coding_id: int) -> CodingRow:
        return self.set_status(coding_id, "rejected")

    def recode(self, coding_id: int, code_id: str) -> CodingRow:
        before = self.get(coding_id)
        if before.code_id == code_id:
            return before
        row = manual.edit_coding(self.project, coding_id, self.by, code_id=code_id)
        self._push(self._restore_step(f"recode #{coding_id} {before.code_id} -> {code_id}", before))
        return row

    def toggle_exemplar(self, coding_id: int) -> CodingRow:
        """Mark or unmark as exemplar; marking also accepts (a report only shows accepted quotes)."""
        before = self.get(coding_id)
        if before.exemplar:
            manual.edit_coding(self.project, coding_id, self.by, exemplar=False)
        else:
            manual.set_status(self.project, Selection(ids=[coding_id]), "accepted", self.by, exemplar=True)
        self._push(self._restore_step(f"{'unmark' if before.exemplar else 'mark'} exemplar #{coding_id}", before))
        return self.get(coding_id)

    def add_memo(self, coding_id: int, text: str) -> int:
        text = text.strip()
        if not text:
            raise CodingError("an empty memo was not saved")
        before = self.get(coding_id)
        memo_id = manual.add_coding_memo(self.project, coding_id, text, self.by)

        def undo() -> None:
            manual.remove_coding_memo(self.project, memo_id, coding_id=coding_id, coding_memo=before.memo)
        self._push(Step(f"memo on #{coding_id}", coding_id, undo))
        return memo_id

    def code_span(self, transcript: str, code_id: str, *, unit: int | None = None, quote: str | None = None,
                  start: int | None = None, end: int | None = None) -> CodingRow:
        """Code a span manually (a quote within turn ``unit``, the whole turn, or offsets)."""
        with self.project.engine.connect() as conn:
            existing = {r.id for r in query_codings(conn, code=code_id, coder=self.by)}
        row = manual.add_coding(self.project, transcript, code_id, self.by, start=start, end=end, unit=unit,
                                quote=quote or None)
        if row.id in existing:
            raise CodingError(f"this text is already coded {code_id!r} (coding {row.id})")

        def undo() -> None:
            manual.remove_codings(self.project, Selection(ids=[row.id]))
        self._push(Step(f"code #{row.id} as {code_id}", row.id, undo))
        return row

    def undo(self) -> Step | None:
        """Take back the last change; None when there is nothing to undo."""
        if not self.history:
            return None
        step = self.history.pop()
        step.undo()
        return step
