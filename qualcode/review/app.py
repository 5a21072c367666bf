"""``qualcode review``: a full-screen, keyboard-first app to review and code transcripts.

Left, the transcript (one item per speaker turn, coded spans coloured by code); right, the
codebook tree with the chosen code's definition; below, the current coding. Every key that
changes something goes through ``ReviewActions`` (saved at once, undoable with ``u``).
"""
from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Footer, ListView, Static

from ..codebook.model import Codebook, Code
from ..errors import QualcodeError
from ..store.codings import CodingRow
from ..store.project import Project
from .actions import ReviewActions
from .screens import CodePickerScreen, FilterScreen, HelpScreen, PromptScreen
from .view_model import MARKS, ReviewData, ReviewFilter, code_colours, code_path, parse_status
from .widgets import CodebookPane, TranscriptView


class ReviewApp(App):
    TITLE = "qualcode review"
    CSS = """
    #status { height: 1; background: $primary-darken-2; color: $text; padding: 0 1; }
    #main { height: 1fr; }
    #detail { height: 2; padding: 0 1; background: $boost; }
    """
    BINDINGS = [
        Binding("n", "next", "Next"), Binding("p", "previous", "Prev"),
        Binding("a", "accept", "Accept"), Binding("r", "reject", "Reject"),
        Binding("c", "recode", "Code"), Binding("m", "manual", "Mark"),
        Binding("e", "exemplar", "Exemplar", show=False), Binding("o", "memo", "Memo", show=False),
        Binding("f", "filter", "Filter", show=False), Binding("slash", "search", "Search", show=False),
        Binding("right_square_bracket", "transcript(1)", "Next transcript", show=False),
        Binding("left_square_bracket", "transcript(-1)", "Previous transcript", show=False),
        Binding("u", "undo", "Undo"), Binding("question_mark", "help", "Help"), Binding("q", "quit", "Quit"),
    ]

    def __init__(self, project: Project, flt: ReviewFilter | None = None, *, by: str | None = None,
                 book: Codebook | None = None):
        super().__init__()
        self.project = project
        self.book = book or project.codebook()
        self.colours = code_colours(self.book)
        self.data = ReviewData(project, self.book, flt or ReviewFilter())
        self.actions = ReviewActions(project, by or project.default_coder())
        self.tindex = -1
        self.codings: list[CodingRow] = []
        self.current_id: int | None = None
        self.last_search = ""

    # -- layout ----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(Text(""), id="status")
        with Horizontal(id="main"):
            yield TranscriptView(id="transcript")
            yield CodebookPane(self.book, self.colours)
        yield Static(Text(""), id="detail")
        yield Footer()

    @property
    def view(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    @property
    def pane(self) -> CodebookPane:
        return self.query_one(CodebookPane)

    async def on_mount(self) -> None:
        self.view.focus()
        await self._start()

    async def _start(self) -> None:
        if self.data.queue:
            await self.goto(self.data.queue[0])
        elif self.data.transcripts:
            await self.show_transcript(0)
            self.notify("No codings match the filter: choose a turn and press m to code it.")
        else:
            self.tindex = -1
            await self.view.load([])
            self.codings = []
            self._update_bars()
            self.notify("No transcripts match the filter (f to change it).", severity="warning")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if isinstance(self.screen, ModalScreen) and action not in ("quit",):
            return False  # keys typed in a dialog are not review commands
        return True

    # -- showing ---------------------------------------------------------------------------------
    @property
    def transcript(self):
        return self.data.transcripts[self.tindex] if 0 <= self.tindex < len(self.data.transcripts) else None

    @property
    def current(self) -> CodingRow | None:
        return next((c for c in self.codings if c.id == self.current_id), None)

    async def show_transcript(self, tindex: int, turn_index: int = 0) -> None:
        if tindex != self.tindex:
            self.tindex = tindex
            await self.view.load(self.data.turns(self.transcript))
        self.codings = self.data.codings(self.transcript)
        self.view.index = min(turn_index, max(len(self.view.turns) - 1, 0))
        self.repaint()

    async def goto(self, row: CodingRow) -> None:
        """Make ``row`` the current coding: show its transcript and turn, its code in the tree."""
        tindex = self.data.index_of(row.transcript_id)
        if tindex < 0:
            self.notify("That coding's transcript is outside the filter.", severity="warning")
            return
        self.current_id = row.id
        if tindex != self.tindex:
            self.tindex = tindex
            await self.view.load(self.data.turns(self.transcript))
        self.codings = self.data.codings(self.transcript)
        self.view.index = self.view.turn_index_at(row.start)
        self.pane.show_code(row.code_id)
        self.repaint()

    def repaint(self) -> None:
        t = self.transcript
        if t is not None:
            self.view.paint(t.text, self.codings, self.book, self.colours, self.current_id)
        self._update_bars()

    def _update_bars(self) -> None:
        t, row = self.transcript, self.current
        status = Text()
        if t is not None:
            status.append(f"{t.name}", style="bold")
            status.append(f" · {t.participant_label} · {t.grp or 'no group'}")
        ids = [c.id for c in self.data.queue]
        where = ids.index(row.id) + 1 if row is not None and row.id in ids else "-"
        status.append(f" │ {where}/{len(ids)} │ {self.data.filter.describe()}", style="dim")
        self.query_one("#status", Static).update(status)
        detail = Text()
        if row is not None:
            detail.append(f"#{row.id} {MARKS.get(row.status, '?')} {row.status}", style="bold")
            detail.append(f"  {code_path(self.book, row.code_id)}", style=self.colours.get(row.code_id, ""))
            if row.exemplar:
                detail.append("  ★ exemplar", style="bold")
            detail.append(f"  · {row.rule_id or row.origin} · {row.coder}", style="dim")
            if row.memo:
                detail.append("\nmemo: ", style="bold")
                detail.append(row.memo.replace("\n", " "))
        elif self.view.current_turn is not None:
            detail.append(f"Turn {self.view.current_turn.index}: no coding here. "
                          "m codes it, n goes to the next coding, ? shows every key.", style="dim")
        self.query_one("#detail", Static).update(detail)

    def on_list_view_highlighted(self, event: ListView.Highlighted) -> None:
        if event.item is None or event.item is not self.view.highlighted_child:
            return  # a stale message from reloading the list
        turn = event.item.turn
        row = self.current
        if row is None or not (row.start < turn.end and row.end > turn.start):
            inside = [c for c in self.codings if c.start < turn.end and c.end > turn.start]
            self.current_id = inside[0].id if inside else None
            if inside:
                self.pane.show_code(inside[0].code_id)
            self.repaint()

    # -- moving ----------------------------------------------------------------------------------
    def _position(self) -> tuple:
        row = self.current
        if row is not None:
            return self.data.key(row)
        turn = self.view.current_turn
        return (self.tindex, turn.start if turn else 0, -1, "", -1)

    async def action_next(self) -> None:
        here = self._position()
        after = [c for c in self.data.queue if self.data.key(c) > here]
        if after:
            await self.goto(after[0])
        else:
            self.notify("No more codings in the queue (p goes back, f changes the filter).")

    async def action_previous(self) -> None:
        here = self._position()
        before = [c for c in self.data.queue if self.data.key(c) < here]
        if before:
            await self.goto(before[-1])
        else:
            self.notify("This is the first coding in the queue.")

    async def action_transcript(self, step: int) -> None:
        if self.data.transcripts:
            self.current_id = None
            await self.show_transcript((self.tindex + step) % len(self.data.transcripts))

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
        group = self.transcript.grp if self.transcript is not None else None
        return [c for c in self.book.walk() if c.applies_to(group or None) and (c.parent is not None or not c.children)]

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
            if text and text.strip():
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

    # -- filter, search, help --------------------------------------------------------------------
    def action_filter(self) -> None:
        async def chosen(values: dict | None) -> None:
            if values is None:
                return
            old = self.data.filter
            try:
                flt = ReviewFilter(code=values["code"] or None, group=values["group"] or None,
                                   participant=values["participant"] or None,
                                   status=parse_status(values["status"]), coder=values["coder"] or None)
                self.data.set_filter(flt)
            except QualcodeError as exc:
                self.data.filter = old
                self.notify(str(exc), severity="error", markup=False)
                return
            self.tindex, self.current_id = -1, None
            await self._start()
        self.push_screen(FilterScreen(self.data.filter), chosen)

    def action_search(self) -> None:
        async def entered(text: str | None) -> None:
            if text and text.strip():
                self.last_search = text.strip()
                await self.find(self.last_search)
        self.push_screen(PromptScreen("Search the transcripts (Enter finds the next match)", self.last_search), entered)

    async def find(self, text: str) -> bool:
        """Go to the next turn (after the chosen one, wrapping round) whose words contain ``text``."""
        n = len(self.data.transcripts)
        if not n:
            return False
        start_t = max(self.tindex, 0)
        start_turn = (self.view.index or 0) + 1 if self.tindex >= 0 else 0
        needle = text.lower()
        for step in range(n + 1):
            ti = (start_t + step) % n
            t = self.data.transcripts[ti]
            turns = self.data.turns(t)
            first = start_turn if step == 0 else 0
            last = len(turns) if step < n else start_turn
            for i in range(first, last):
                if needle in t.text[turns[i].start:turns[i].end].lower():
                    self.current_id = None
                    await self.show_transcript(ti, i)
                    self.notify(f"Found in {t.name}, turn {turns[i].index}", markup=False)
                    return True
        self.notify(f"Not found: {text}", severity="warning", markup=False)
        return False

    def action_help(self) -> None:
        self.push_screen(HelpScreen())


def run_review(project: Project, flt: ReviewFilter, by: str | None = None) -> None:
    ReviewApp(project, flt, by=by).run()
