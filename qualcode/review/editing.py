"""The review app's keys that change the project: accept, reject, exemplar, change code, memo,
manual coding and undo. Each goes through ``ReviewActions`` (saved at once, undoable); errors
become notifications, never crashes. Mixed into ``ReviewApp``."""
from __future__ import annotations

from typing import Callable

from ..codebook.model import Code
from ..errors import QualcodeError
from ..store.codings import CodingRow
from .screens import CodePickerScreen, PromptScreen
from .view_model import pickable_codes


class EditingMixin:
    # -- changing --------------------------------------------------------------------------------
    def _need_current(self) -> CodingRow | None:
        row = self.current
        if row is None:
            self.notify("No coding here: n goes to the next one, m codes the chosen turn.", severity="warning")
        return row

    async def _apply(self, change: Callable[[], object], done: str) -> None:
        try:
            result = change()
        except QualcodeError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if isinstance(result, CodingRow):
            self.data.refresh_row(result)
            if self.data.index_of(result.transcript_id) == self.tindex:
                self.current_id = result.id
        self.codings = self.data.codings(self.transcript)
        self.repaint()
        self.notify(done, markup=False)

    async def action_accept(self) -> None:
        if row := self._need_current():
            await self._apply(lambda: self.actions.accept(row.id), f"Accepted #{row.id}")

    async def action_reject(self) -> None:
        if row := self._need_current():
            await self._apply(lambda: self.actions.reject(row.id), f"Rejected #{row.id}")

    async def action_exemplar(self) -> None:
        if row := self._need_current():
            await self._apply(lambda: self.actions.toggle_exemplar(row.id),
                              f"{'Unmarked' if row.exemplar else 'Marked'} #{row.id} as exemplar")

    def _codes(self) -> list[Code]:
        return pickable_codes(self.book, self.transcript.grp if self.transcript is not None else None)

    def action_recode(self) -> None:
        row = self._need_current()
        if row is None:
            return

        async def picked(code_id: str | None) -> None:
            if code_id:
                await self._apply(lambda: self.actions.recode(row.id, code_id), f"#{row.id} is now {code_id}")
                self.pane.show_code(code_id)
        self.push_screen(CodePickerScreen(self._codes(), f"Change the code of #{row.id}", row.code_id), picked)

    def action_memo(self) -> None:
        row = self._need_current()
        if row is None:
            return

        async def written(text: str | None) -> None:
            if text and text.strip() and text.strip() != row.memo:
                await self._apply(lambda: self.actions.add_memo(row.id, text), f"Memo added to #{row.id}")
        self.push_screen(PromptScreen(f"Memo on #{row.id} (Enter saves, Esc cancels)", row.memo), written)

    def action_manual(self) -> None:
        t, turn = self.transcript, self.view.current_turn
        if t is None or turn is None:
            self.notify("Choose a turn first.", severity="warning")
            return

        def quoted(quote: str | None) -> None:
            if quote is None:
                return

            async def picked(code_id: str | None) -> None:
                if not code_id:
                    return
                if quote.strip():
                    unit = turn.index if self.data.has_turns(t) else None
                    change = lambda: self.actions.code_span(t.name, code_id, unit=unit, quote=quote.strip())  # noqa: E731
                else:
                    change = lambda: self.actions.code_span(t.name, code_id, start=turn.start, end=turn.end)  # noqa: E731
                await self._apply(change, f"Coded as {code_id}")
            self.push_screen(CodePickerScreen(self._codes(), "Code it as", self.pane.selected_code), picked)
        self.push_screen(PromptScreen(f"Quote to code in turn {turn.index} (empty: the whole turn)",
                                      placeholder="type words from the turn"), quoted)

    async def action_undo(self) -> None:
        try:
            step = self.actions.undo()
        except QualcodeError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if step is None:
            self.notify("Nothing to undo.")
            return
        self.data.refresh_queue()
        row = self._fresh_id(step.coding_id)
        if row is not None and self.data.index_of(row.transcript_id) >= 0:
            await self.goto(row)
        else:
            if self.current_id == step.coding_id:
                self.current_id = None
            self.codings = self.data.codings(self.transcript) if self.transcript else []
            self.repaint()
        self.notify(f"Undone: {step.description}", markup=False)

    def _fresh_id(self, coding_id: int | None) -> CodingRow | None:
        if coding_id is None:
            return None
        try:
            return self.actions.get(coding_id)
        except QualcodeError:
            return None

