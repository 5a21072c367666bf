"""``qualcode review``: a full-screen, keyboard-first app to review and code transcripts.

Left, the transcript (one block per speaker turn, coded spans coloured by code); right, the
codebook tree with the chosen code's definition; below, the current coding. Every key that
changes something goes through ``ReviewActions`` (saved at once, undoable with ``u``).
"""
from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static

from ..codebook.model import Codebook
from ..errors import QualcodeError
from ..store.codings import CodingRow
from ..store.project import Project
from .actions import ReviewActions
from .editing import EditingMixin
from .navigation import detail_text, find_text, status_text, step_queue, turn_position
from .screens import FilterScreen, HelpScreen, PromptScreen
from .view_model import ReviewData, ReviewFilter, code_colours
from .widgets import CodebookPane, KeyBar, TranscriptView


class ReviewApp(EditingMixin, App):
    TITLE = "qualcode review"
    ENABLE_COMMAND_PALETTE = False
    CSS = """
    #status { height: 1; background: $primary-darken-2; color: $text; padding: 0 1; }
    #main { height: 1fr; }
    #detail { height: auto; min-height: 2; max-height: 5; padding: 0 1; background: $boost; }
    """
    BINDINGS = [
        Binding("n", "next", "Next"), Binding("p", "previous", "Prev"),
        Binding("a", "accept", "Accept"), Binding("r", "reject", "Reject"),
        Binding("c", "recode", "Recode"), Binding("m", "manual", "Code turn"),
        Binding("e", "exemplar", "Exemplar", show=False), Binding("o", "memo", "Memo", show=False),
        Binding("f", "filter", "Filter", show=False), Binding("slash", "search", "Search", show=False),
        Binding("s", "order", "Order", show=False),
        Binding("space", "cycle", "Next coding in turn", show=False),
        Binding("right_square_bracket", "transcript(1)", "Next transcript", show=False),
        Binding("left_square_bracket", "transcript(-1)", "Previous transcript", show=False),
        Binding("u", "undo", "Undo"), Binding("question_mark", "help", "Help"), Binding("q", "quit", "Quit"),
    ]

    def __init__(self, project: Project, flt: ReviewFilter | None = None, *, by: str | None = None,
                 book: Codebook | None = None, order: str = "position"):
        super().__init__()
        self.project = project
        self.book = book or project.codebook()
        self.colours = code_colours(self.book)
        self.actions = ReviewActions(project, by or project.default_coder())
        self.data = ReviewData(project, self.book, flt or ReviewFilter(), viewer=self.actions.by)
        self.order_note = self.data.set_order(order)  # shown once the screen is up
        self.anchor: int | None = None  # the last queue coding shown: n/p step from it in a model order
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
        yield KeyBar([(self.get_key_display(b), b.description, b.action) for b in self.BINDINGS if b.show])

    @property
    def view(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    @property
    def pane(self) -> CodebookPane:
        return self.query_one(CodebookPane)

    async def on_mount(self) -> None:
        self.view.focus()
        await self._start()
        if self.order_note:
            self.notify(self.order_note, severity="warning", timeout=15, markup=False)

    async def _start(self) -> None:
        if self.data.queue:
            await self.goto(self.data.queue[0])
        elif self.data.transcripts:
            await self.show_transcript(0)
            self.notify("No codings match the filter: choose a turn and press m to code it.")
        else:
            self.tindex = -1
            self.view.load([])
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

    async def _load(self, tindex: int) -> None:
        if tindex != self.tindex:
            self.tindex = tindex
            self.view.load(self.data.turns(self.transcript))
        self.codings = self.data.codings(self.transcript)

    async def show_transcript(self, tindex: int, turn_index: int = 0) -> None:
        await self._load(tindex)
        self.view.index = min(turn_index, max(len(self.view.turns) - 1, 0))
        self.repaint()

    async def goto(self, row: CodingRow) -> None:
        """Make ``row`` the current coding: show its transcript and turn, its code in the tree."""
        tindex = self.data.index_of(row.transcript_id)
        if tindex < 0:
            self.notify("That coding's transcript is outside the filter.", severity="warning")
            return
        self.current_id = row.id
        await self._load(tindex)
        self.view.index = self.view.turn_index_at(row.start)
        self.pane.show_code(row.code_id)
        self.repaint()

    def repaint(self) -> None:
        if self.current_id in self.data.rank:
            self.anchor = self.current_id
        t = self.transcript
        if t is not None:
            self.view.paint(t.text, self.codings, self.book, self.colours, self.current_id)
        self._update_bars()

    def _update_bars(self) -> None:
        t, row = self.transcript, self.current
        self.query_one("#status", Static).update(status_text(t, row, self.data))
        self.query_one("#detail", Static).update(detail_text(row, self.view.current_turn, self.book, self.colours))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list is not self.view or event.option is not self.view.chosen_option:
            return  # the code picker's list, or a stale message from reloading the transcript
        turn = self.view.turns[event.option_index]
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
        return self.data.key(row) if row is not None else turn_position(self.tindex, self.view.current_turn)

    async def action_next(self) -> None:
        row = step_queue(self.data, self._position(), 1, self.anchor)
        if row is not None:
            await self.goto(row)
        else:
            self.notify("No more codings in the queue (p goes back, f changes the filter).")

    async def action_previous(self) -> None:
        row = step_queue(self.data, self._position(), -1, self.anchor)
        if row is not None:
            await self.goto(row)
        else:
            self.notify("This is the first coding in the queue.")

    def action_cycle(self) -> None:
        """The next coding of the chosen turn (whatever the filter) becomes the current one."""
        turn = self.view.current_turn
        inside = [c for c in self.codings if turn is not None and c.start < turn.end and c.end > turn.start]
        if not inside:
            self.notify("No coding in this turn (m codes it).")
            return
        ids = [c.id for c in inside]
        row = inside[(ids.index(self.current_id) + 1) % len(inside)] if self.current_id in ids else inside[0]
        self.current_id = row.id
        self.pane.show_code(row.code_id)
        self.repaint()

    async def action_transcript(self, step: int) -> None:
        if self.data.transcripts:
            self.current_id = None
            await self.show_transcript((self.tindex + step) % len(self.data.transcripts))

    async def action_order(self) -> None:
        """Reading order <-> most uncertain first (the model's confidence nearest 0.5: the decisions
        that teach it most); going to uncertainty order moves to the most uncertain coding."""
        wanted = "uncertainty" if self.data.order == "position" else "position"
        note = self.data.set_order(wanted)
        if note:
            self.notify(note, severity="warning", timeout=15, markup=False)
        if self.data.order == wanted == "uncertainty" and self.data.queue:
            await self.goto(self.data.queue[0])
        else:
            self._update_bars()
        if self.data.order == wanted:
            self.notify("Queue in reading order" if wanted == "position" else
                        "Queue ordered by the model's uncertainty: the decisions that teach it most come first")

    # -- filter, search, help --------------------------------------------------------------------
    def action_filter(self) -> None:
        async def chosen(values: dict | None) -> None:
            if values is None:
                return
            old = self.data.filter
            try:
                self.data.set_filter(ReviewFilter.from_form(values))
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
        found = find_text(self.data, self.tindex, self.view.index or 0, text)
        if found is None:
            self.notify(f"Not found: {text}", severity="warning", markup=False)
            return False
        self.current_id = None
        await self.show_transcript(*found)
        self.notify(f"Found in {self.transcript.name}, turn {self.view.current_turn.index}", markup=False)
        return True

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

