"""The review app's panes: the transcript (one list item per speaker turn) and the codebook tree
with the chosen code's definition. Text is always rich ``Text``, never markup strings."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import ListItem, ListView, Static, Tree
from textual.widgets.tree import TreeNode

from ..codebook.model import Code, Codebook
from ..model import Turn
from ..store.codings import CodingRow
from .view_model import render_turn


class TurnItem(ListItem):
    def __init__(self, turn: Turn):
        super().__init__(Static(Text(""), classes="turn"))
        self.turn = turn

    def show(self, text: Text) -> None:
        self.query_one(Static).update(text)


class TranscriptView(ListView):
    """The turns of one transcript; up/down choose a turn."""

    DEFAULT_CSS = """
    TranscriptView { width: 1fr; height: 1fr; border: round $primary-darken-2; scrollbar-size-vertical: 1; }
    TranscriptView:focus { border: round $accent; }
    TranscriptView > TurnItem { padding: 0 0 1 1; background: $surface; }
    TranscriptView > TurnItem.-highlight { background: $boost; border-left: outer $accent; padding-left: 0;
                                           text-style: none; color: $text; }
    TranscriptView:focus > TurnItem.-highlight { background: $boost; text-style: none; }
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.turns: list[Turn] = []

    async def load(self, turns: list[Turn]) -> None:
        self.turns = list(turns)
        await self.clear()
        await self.extend([TurnItem(t) for t in self.turns])

    def paint(self, text: str, codings: list[CodingRow], book: Codebook, colours: dict[str, str],
              current_id: int | None) -> None:
        for item in self.query(TurnItem):
            item.show(render_turn(text, item.turn, codings, book, colours, current_id))

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
