"""Modal screens of the review app: help, a one-line prompt, the code picker, the filter form.

Every text shown is rich ``Text`` (codebook labels and transcripts may hold [brackets])."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ..codebook.model import Code
from .view_model import ReviewFilter

KEYS = [
    ("n / p", "next / previous coding in the queue (moves the transcript to it)"),
    ("up / down", "choose a turn (its first coding becomes the current one)"),
    ("space", "the next coding in the chosen turn becomes the current one"),
    ("a", "accept the current coding"),
    ("r", "reject the current coding"),
    ("c", "change the current coding's code (type to filter, Enter to pick)"),
    ("m", "code the chosen turn: type a quote within it, or leave empty for the whole turn"),
    ("e", "mark / unmark the current coding as exemplar (marking also accepts)"),
    ("o", "add a memo to the current coding"),
    ("f", "filter the queue by code, group, participant, status, coder"),
    ("/", "search the transcripts for text (Enter again finds the next)"),
    ("s", "order the queue: reading order / most uncertain first (the model's confidence nearest 0.5)"),
    ("] / [", "next / previous transcript"),
    ("tab", "move between the transcript and the codebook tree"),
    ("u", "undo the last change (as many times as you like, within this session)"),
    ("?", "this help"),
    ("q", "quit (every change is already saved)"),
]


class _Modal(ModalScreen):
    DEFAULT_CSS = """
    _Modal { align: center middle; }
    _Modal > Vertical { width: 76; max-width: 100%; height: auto; max-height: 22; border: round $accent;
                        background: $surface; padding: 0 1; }
    _Modal OptionList { height: auto; max-height: 12; }
    _Modal Label { width: 100%; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpScreen(_Modal):
    BINDINGS = [Binding("escape,q,question_mark", "cancel", "Close")]

    def compose(self) -> ComposeResult:
        text = Text("Review keys\n", style="bold")
        for key, what in KEYS:
            text.append(f"{key:>10}  ", style="bold")
            text.append(f"{what}\n")
        text.append("\nSuggested = underlined, accepted = solid, rejected = struck through, ★ = exemplar. "
                    "Every change is saved at once. Esc closes this help.", style="dim")
        with Vertical():
            yield VerticalScroll(Static(text))


class PromptScreen(_Modal):
    """One line of input; dismisses with the text (Enter) or None (Esc)."""

    def __init__(self, title: str, value: str = "", placeholder: str = ""):
        super().__init__()
        self._title, self._value, self._placeholder = title, value, placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self._title))
            yield Input(self._value, placeholder=self._placeholder, id="prompt")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)


class CodePickerScreen(_Modal):
    """Pick a code: type to filter by label or id, arrows to choose, Enter to pick."""

    def __init__(self, codes: list[Code], title: str, initial: str | None = None):
        super().__init__()
        self._codes, self._title, self._initial = codes, title, initial

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self._title))
            yield Input(placeholder="type to filter codes", id="code-filter")
            yield OptionList(id="codes")

    def on_mount(self) -> None:
        self._fill("")
        options = self.query_one(OptionList)
        ids = [c.id for c in self._matches("")]
        if self._initial in ids:
            options.highlighted = ids.index(self._initial)

    def _matches(self, text: str) -> list[Code]:
        words = text.lower().split()
        return [c for c in self._codes if all(w in f"{c.label} {c.id} {c.domain.label}".lower() for w in words)]

    def _fill(self, text: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(Text(f"{c.domain.label} › {c.label}" if c.parent else c.label) +
                                    Text(f"  {c.id}", style="dim"), id=c.id) for c in self._matches(text)])
        if options.option_count:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_key(self, event) -> None:  # arrows move the list while typing in the filter
        options = self.query_one(OptionList)
        if event.key in ("down", "up") and self.focused is self.query_one(Input):
            options.action_cursor_down() if event.key == "down" else options.action_cursor_up()
            event.stop()


class FilterScreen(_Modal):
    """The queue filter: one field per criterion; Enter in any field applies."""

    FIELDS = [("code", "code id (a domain id means all its codes)"), ("group", "participant group"),
              ("participant", "participant id"), ("status", "suggested, accepted, rejected or all"),
              ("coder", "coder name")]

    def __init__(self, flt: ReviewFilter):
        super().__init__()
        self._filter = flt

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text("Filter the queue (empty = any; Enter applies, Esc cancels)", style="bold"))
            for name, hint in self.FIELDS:
                value = getattr(self._filter, name)
                if name == "status":
                    value = ",".join(value) if value else "all"
                yield Input(value or "", placeholder=f"{name}: {hint}", id=f"f-{name}")

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.dismiss({name: self.query_one(f"#f-{name}", Input).value.strip() for name, _ in self.FIELDS})
