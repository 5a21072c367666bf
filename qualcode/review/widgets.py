"""The review app's panes: the transcript (one option per speaker turn, drawn line by line) and
the codebook tree with the chosen code's definition. Text is always rich ``Text``, never markup strings."""
from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.strip import Strip
from textual.widgets import OptionList, Static, Tree
from textual.widgets.option_list import Option
from textual.widgets.tree import TreeNode

from ..codebook.model import Code, Codebook
from ..model import Turn
from ..store.codings import CodingRow
from .view_model import render_turn


class TranscriptView(OptionList):
    """The turns of one transcript, one option per speaker turn; up/down choose a turn.

    One widget drawn line by line: only the lines on screen are rendered, so opening a long
    transcript costs no more than a short one. The chosen turn has a bar in the accent colour
    on its left and a lighter background."""

    COMPONENT_CLASSES = OptionList.COMPONENT_CLASSES | {"transcript--bar"}
    DEFAULT_CSS = """
    TranscriptView { width: 1fr; height: 1fr; max-height: 100%; border: round $primary-darken-2; padding: 0;
                     background: $surface; scrollbar-size-vertical: 1; }
    TranscriptView:focus { border: round $accent; background-tint: $foreground 0%; }
    TranscriptView > .option-list--option-highlighted,
    TranscriptView:focus > .option-list--option-highlighted { background: $boost; color: $text; text-style: none; }
    TranscriptView > .option-list--option-hover { background: $surface; }
    TranscriptView > .transcript--bar { color: $accent; }
    """

    def __init__(self, **kwargs):
        super().__init__(markup=False, **kwargs)
        self.turns: list[Turn] = []
        self._prompts: list[Text] = []
        self._measured_width = -1  # the width the turns' heights were measured at

    def load(self, turns: list[Turn]) -> None:
        """Show these turns (unstyled until ``paint``); no turn is chosen."""
        self.turns = list(turns)
        self._prompts = [Text(turn.speaker) for turn in self.turns]
        self.clear_options().add_options([Option(prompt) for prompt in self._prompts])

    def paint(self, text: str, codings: list[CodingRow], book: Codebook, colours: dict[str, str],
              current_id: int | None) -> None:
        """Draw each turn with its codings; only turns whose drawing changed are replaced."""
        for i, turn in enumerate(self.turns):
            prompt = render_turn(text, turn, codings, book, colours, current_id) + "\n"  # a blank line after
            if prompt != self._prompts[i]:
                self._prompts[i] = prompt
                self.replace_option_prompt_at_index(i, prompt)
        self.scroll_to_highlight()

    @property
    def chosen_option(self) -> Option | None:
        return None if self.highlighted is None else self.get_option_at_index(self.highlighted)

    @property
    def index(self) -> int | None:
        return self.highlighted

    @index.setter
    def index(self, value: int | None) -> None:
        self.highlighted = value

    def _get_left_gutter_width(self) -> int:
        return 1

    def _update_lines(self) -> None:
        measuring = not self._line_cache.lines  # empty after load or a redraw of changed turns
        super()._update_lines()
        if measuring and self._line_cache.lines:
            self._measured_width = self.scrollable_content_region.width

    def _on_resize(self, event: events.Resize) -> None:
        """Measure the turns again only when the width changed, then show the chosen turn again.
        OptionList's own handler (run after this one unless prevented) measures every turn again on
        any resize, which on a 400-turn transcript doubled the start-up work."""
        if self.scrollable_content_region.width == self._measured_width:
            event.prevent_default()
        else:  # the turns get taller or shorter: keep the chosen one in view
            self.call_after_refresh(self.scroll_to_highlight)

    def render_line(self, y: int) -> Strip:
        """Each line, after a one-cell gutter that holds the chosen turn's bar."""
        strip = super().render_line(y)
        lines = self._lines
        line = self.scroll_offset.y + y
        chosen = line < len(lines) and lines[line][0] == self.highlighted
        if chosen:
            base = self.get_visual_style("option-list--option", "option-list--option-highlighted").rich_style
            bar = Segment("▌", base + self.get_visual_style("transcript--bar").rich_style)
        else:
            bar = Segment(" ", self.get_visual_style("option-list--option").rich_style)
        return Strip.join([Strip([bar], 1), strip])

    def turn_index_at(self, offset: int) -> int:
        """The list position of the turn holding ``offset`` (the nearest turn before it otherwise)."""
        best = 0
        for i, t in enumerate(self.turns):
            if t.start <= offset:
                best = i
            if t.start <= offset < max(t.end, t.start + 1):
                return i
        return best

    @property
    def current_turn(self) -> Turn | None:
        if self.index is None or not 0 <= self.index < len(self.turns):
            return None
        return self.turns[self.index]


class CodebookPane(Vertical):
    """The domain/subtheme tree and the chosen code's definition and when-to-use notes."""

    DEFAULT_CSS = """
    CodebookPane { width: 32; height: 1fr; }
    CodebookPane Tree { height: 1fr; border: round $primary-darken-2; scrollbar-size-vertical: 1;
                        scrollbar-size-horizontal: 0; }
    CodebookPane Tree:focus { border: round $accent; }
    CodebookPane #definition { height: 9; border: round $primary-darken-2; padding: 0 0 0 1;
                               scrollbar-size-vertical: 1; }
    """

    def __init__(self, book: Codebook, colours: dict[str, str]):
        super().__init__()
        self.book = book
        self.colours = colours
        self.nodes: dict[str, TreeNode] = {}
        self.described: str | None = None  # the code whose definition is shown

    def compose(self) -> ComposeResult:
        tree: Tree[str] = Tree(Text(self.book.name or "Codebook"), id="codebook")
        tree.show_root = False
        tree.guide_depth = 2
        for domain in self.book.domains:
            self._add(tree.root, domain)
        tree.root.expand_all()
        yield tree
        with VerticalScroll(id="definition"):
            yield Static(Text("Choose a code to see its definition.", style="dim"), id="definition-text")

    def _add(self, parent: TreeNode, code: Code) -> None:
        label = Text("■ ", style=self.colours.get(code.id, "")) + Text(code.label, style="bold" if code.parent is None else "")
        node = parent.add(label, data=code.id, expand=True) if code.children else parent.add_leaf(label, data=code.id)
        self.nodes[code.id] = node
        for child in code.children:
            self._add(node, child)

    @property
    def tree(self) -> Tree:
        return self.query_one(Tree)

    @property
    def selected_code(self) -> str | None:
        node = self.tree.cursor_node
        return node.data if node is not None else None

    def show_code(self, code_id: str | None) -> None:
        """Move the tree cursor to ``code_id`` and show its definition."""
        node = self.nodes.get(code_id or "")
        if node is not None and self.tree.cursor_node is not node:
            self.tree.move_cursor(node)
        self.describe(code_id)

    def describe(self, code_id: str | None) -> None:
        if code_id == self.described:
            return  # already shown: redrawing it would cost another layout pass
        self.described = code_id
        code = self.book.get(code_id or "")
        text = Text()
        if code is None:
            text.append("Choose a code to see its definition.", style="dim")
        else:
            text.append(code.label, style="bold")
            text.append(f"  {code.id}\n", style="dim")
            if code.definition:
                text.append(code.definition.strip() + "\n")
            if code.when_to_use:
                text.append("Use when: ", style="bold")
                text.append(code.when_to_use.strip() + "\n")
            if code.when_not_to_use:
                text.append("Not when: ", style="bold")
                text.append(code.when_not_to_use.strip() + "\n")
        self.query_one("#definition-text", Static).update(text)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        self.describe(event.node.data)


class KeyBar(Static):
    """The keys to remember, on one line at the bottom; clicking one runs it.

    Drawn once: Textual's ``Footer`` rebuilds its widgets whenever the focus or the bindings
    change, which cost about a third of the app's start-up."""

    COMPONENT_CLASSES = {"keybar--key", "keybar--description"}
    DEFAULT_CSS = """
    KeyBar { height: 1; background: $footer-background; text-wrap: nowrap; }
    KeyBar > .keybar--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
    KeyBar > .keybar--description { color: $footer-description-foreground; background: $footer-description-background; }
    """

    def __init__(self, keys: list[tuple[str, str, str]], **kwargs):
        """``keys``: (key as shown, what it does, the action a click runs)."""
        super().__init__(**kwargs)
        self.keys = keys
        self.spans: list[tuple[int, int, str]] = []  # (first column, end column, action) of each key

    def render(self) -> Text:
        """`` n Next  p Prev ...``, with one space between keys when two do not fit (80 columns)."""
        key_style = self.get_component_rich_style("keybar--key")
        description_style = self.get_component_rich_style("keybar--description")
        for gap in ("  ", " "):
            line, self.spans = Text(no_wrap=True, overflow="ellipsis"), []
            for key, description, action in self.keys:
                start = line.cell_len
                line.append(f"{' ' if not line else gap}{key} ", key_style)
                line.append(description, description_style)
                self.spans.append((start, line.cell_len, action))
            if line.cell_len <= self.size.width:
                break
        return line

    async def on_click(self, event: events.Click) -> None:
        action = next((a for start, end, a in self.spans if start <= event.x < end), None)
        if action is not None:
            await self.app.run_action(action)
