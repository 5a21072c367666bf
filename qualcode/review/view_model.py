"""What the review app shows, as plain data and rich Text (no Textual here).

``ReviewFilter`` says which codings are in the review queue; ``ReviewData`` loads the transcripts,
turns and codings in scope; ``render_turn`` draws one speaker turn with its coded spans:
accepted = solid background in the code's colour, suggested = underlined in the colour,
rejected = struck through and dim; the current coding is bold italic on its code's colour (with
a ▶ before its code line); interviewer turns dimmed.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from rich.style import Style
from rich.text import Text

from ..codebook.model import Code, Codebook
from ..coding.blind import filter_visible, visible_coders
from ..coding.segments import explain_evidence, sort_segments
from ..errors import CodingError
from ..model import Turn
from ..store.codings import STATUSES, CodingRow, query_codings
from ..store.project import Project
from ..store.transcripts import TranscriptRow, get_turns, list_transcripts

PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac"]
MARKS = {"accepted": "✓", "suggested": "?", "rejected": "✗"}
ORDERS = ("position", "uncertainty")  # the queue in reading order, or the model's least sure first


@dataclass
class ReviewFilter:
    code: str | None = None  # a code id; a domain id means every code in it
    group: str | None = None
    participant: str | None = None
    status: list[str] | None = field(default_factory=lambda: ["suggested"])  # None = every status
    coder: str | None = None

    @classmethod
    def from_form(cls, values: dict[str, str]) -> "ReviewFilter":
        """From the filter form's fields (empty = any; status "all" = every status)."""
        def get(name: str) -> str | None:
            return (values.get(name) or "").strip() or None
        return cls(code=get("code"), group=get("group"), participant=get("participant"),
                   status=parse_status(values.get("status")), coder=get("coder"))

    def describe(self) -> str:
        parts = [f"status={','.join(self.status) if self.status else 'all'}"]
        parts += [f"{k}={v}" for k, v in (("code", self.code), ("group", self.group),
                                         ("participant", self.participant), ("coder", self.coder)) if v]
        return " ".join(parts)


def parse_status(text: str | None) -> list[str] | None:
    """``"suggested,accepted"`` -> list; ``"all"`` or empty -> None (every status)."""
    if not text or text.strip().lower() == "all":
        return None
    values = [v.strip().lower() for v in text.split(",") if v.strip()]
    bad = [v for v in values if v not in STATUSES]
    if bad:
        raise CodingError(f"unknown status {', '.join(bad)} (use {', '.join(STATUSES)} or all)")
    return values


def code_colours(book: Codebook) -> dict[str, str]:
    """Each code's colour: its own ``colour``, else its parent's, else the next palette colour."""
    colours: dict[str, str] = {}
    for i, code in enumerate(book.walk()):
        colours[code.id] = code.colour or (colours.get(code.parent.id) if code.parent and code.parent.colour
                                           else PALETTE[i % len(PALETTE)])
    return colours


def _contrast(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#000000" if (0.299 * r + 0.587 * g + 0.114 * b) > 140 else "#ffffff"


def coding_style(row: CodingRow, colour: str, current: bool) -> Style:
    if current:  # explicit colours: "reverse" reads badly on light code colours
        return Style(bgcolor=colour, color=_contrast(colour), bold=True, italic=True,
                     underline=row.status == "suggested", strike=row.status == "rejected")
    if row.status == "accepted":
        style = Style(bgcolor=colour, color=_contrast(colour), bold=row.exemplar)
    elif row.status == "rejected":
        style = Style(strike=True, dim=True)
    else:
        style = Style(color=colour, underline=True)
    return style


def code_path(book: Codebook, code_id: str, domain_width: int | None = None) -> str:
    """"Domain › Code" (the domain label cut to ``domain_width`` characters when given)."""
    code = book.get(code_id)
    if code is None:
        return code_id
    if code.parent is None:
        return code.label
    domain = code.domain.label
    if domain_width and len(domain) > domain_width:
        domain = domain[:domain_width - 1].rstrip() + "…"
    return f"{domain} › {code.label}"


def render_turn(text: str, turn: Turn, codings: list[CodingRow], book: Codebook, colours: dict[str, str],
                current_id: int | None) -> Text:
    """One turn as rich Text: ``Speaker: words`` with coded spans styled, then one line per coding."""
    body = Text(text[turn.start:turn.end], style="" if turn.is_participant else "dim")
    inside = [c for c in codings if c.start < turn.end and c.end > turn.start]
    order = {"rejected": 0, "suggested": 1, "accepted": 2}
    for c in sorted(inside, key=lambda c: (c.id == current_id, order.get(c.status, 1))):
        s, e = max(c.start, turn.start) - turn.start, min(c.end, turn.end) - turn.start
        body.stylize(coding_style(c, colours.get(c.code_id, PALETTE[0]), c.id == current_id), s, e)
    line = Text()
    if turn.speaker:
        line.append(f"{turn.speaker}: ", style="bold" if turn.is_participant else "dim bold")
    line.append_text(body)
    for c in inside:
        mark = MARKS.get(c.status, "?") + ("★" if c.exemplar else "")
        colour = colours.get(c.code_id, PALETTE[0])
        line.append("\n" + ("▶ " if c.id == current_id else "  "))
        if c.id == current_id:
            style = Style(bgcolor=colour, color=_contrast(colour), bold=True)
        else:
            style = Style(color=colour) if c.status != "rejected" else Style(dim=True, strike=True)
        line.append(f"{mark} {code_path(book, c.code_id, 20)}", style=style)
    return line


def pickable_codes(book: Codebook, group: str | None) -> list[Code]:
    """Codes a coding of ``group`` can take: every subtheme, and a domain without subthemes."""
    return [c for c in book.walk() if c.applies_to(group or None) and (c.parent is not None or not c.children)]


def whole_text_turn(text: str) -> Turn:
    return Turn(0, "", 0, len(text), True)


class ReviewData:
    """The transcripts in scope, their turns and codings, and the review queue."""

    def __init__(self, project: Project, book: Codebook, flt: ReviewFilter, viewer: str | None = None,
                 order: str = "position"):
        self.project = project
        self.book = book
        self.filter = flt
        self.order = order
        self.order_unmet = ""  # why the order asked for could not be used ("no trained model")
        self.rank: dict[int, int] = {}  # coding id -> place in the queue
        self.viewer = viewer  # blind mode: the viewer sees only their own codings and the engine's
        self.transcripts: list[TranscriptRow] = []
        self.queue: list[CodingRow] = []
        self._turns: dict[int, list[Turn]] = {}
        self._order: dict[int, int] = {}
        self._no_turns: set[int] = set()
        self.reload()

    def set_filter(self, flt: ReviewFilter) -> None:
        self.filter = flt
        self.reload()

    def code_ids(self) -> list[str] | None:
        if not self.filter.code:
            return None
        code = self.book.get(self.filter.code)
        if code is None:
            raise CodingError(f"unknown code {self.filter.code!r} (see 'qualcode codebook show')")
        return [c.id for c in code.walk()]

    def reload(self) -> None:
        f = self.filter
        codes = self.code_ids()
        with self.project.connect() as conn:
            self.transcripts = [t for t in list_transcripts(conn)
                                if (f.group is None or t.grp == f.group)
                                and (f.participant is None or t.pid == f.participant)]
            self.queue = query_codings(conn, code=codes, coder=f.coder, status=f.status, group=f.group,
                                       participant=f.participant)
        self._order = {t.id: i for i, t in enumerate(self.transcripts)}
        self.queue = [c for c in self._visible(self.queue) if c.transcript_id in self._order]
        self._sort()
        self._turns.clear()

    def _sort(self) -> None:
        """Reading order, or (``uncertainty``) the model's confidence nearest 0.5 first: the same
        ordering as ``qualcode segments --sort uncertainty``; codings without a confidence come last."""
        self.queue.sort(key=self.key)
        self.queue = sort_segments(self.queue, self.order, confidence)
        self.rank = {c.id: i for i, c in enumerate(self.queue)}

    def set_order(self, order: str) -> str | None:
        """Order the queue; a message when the model's confidence cannot order all of it (then
        the queue stays, or partly stays, in reading order, and the message says why)."""
        if order not in ORDERS:
            raise CodingError(f"unknown order {order!r} (use {' or '.join(ORDERS)})")
        self.order, self.order_unmet = order, ""
        unmet, note = order_note(self) if order != "position" else ("", None)
        if unmet:
            self.order, self.order_unmet = "position", unmet
        self._sort()
        return note

    def index_of(self, transcript_id: int) -> int:
        return self._order.get(transcript_id, -1)

    def key(self, c: CodingRow) -> tuple:
        return (self.index_of(c.transcript_id), c.start, c.end, c.code_id, c.id)

    def turns(self, transcript: TranscriptRow) -> list[Turn]:
        if transcript.id not in self._turns:
            with self.project.connect() as conn:
                turns = get_turns(conn, transcript.id)
            if not turns:
                self._no_turns.add(transcript.id)
            self._turns[transcript.id] = turns or [whole_text_turn(transcript.text)]
        return self._turns[transcript.id]

    def codings(self, transcript: TranscriptRow) -> list[CodingRow]:
        """Every coding on ``transcript`` (of the filtered coder, when there is one)."""
        with self.project.connect() as conn:
            rows = query_codings(conn, transcript_id=transcript.id, coder=self.filter.coder)
        return self._visible(rows)

    def _visible(self, rows: list[CodingRow]) -> list[CodingRow]:
        """Blind double-coding: hide other coders' codings until agreement has been computed."""
        return filter_visible(rows, visible_coders(self.project, self.viewer), self.viewer)

    def has_turns(self, transcript: TranscriptRow) -> bool:
        """False when the transcript has no speaker turns (the app shows its text as one block)."""
        self.turns(transcript)
        return transcript.id not in self._no_turns

    def refresh_queue(self) -> None:
        """Re-read the queue's codings (after an undo); codings that are gone drop out."""
        with self.project.connect() as conn:
            fresh = {r.id: r for r in query_codings(conn, ids=[c.id for c in self.queue])}
        self.queue = [fresh[c.id] for c in self.queue if c.id in fresh]
        self.rank = {c.id: i for i, c in enumerate(self.queue)}

    def refresh_row(self, row: CodingRow) -> None:  # the queue keeps its order
        self.queue = [row if c.id == row.id else c for c in self.queue]

    def with_filter(self, **changes) -> ReviewFilter:
        return replace(self.filter, **changes)


def confidence(row: CodingRow) -> float | None:
    """The learned model's probability for the coding's code (from its evidence), or None."""
    return explain_evidence(row.evidence)[1]


def order_note(data: ReviewData) -> tuple[str, str | None]:
    """Why the model's confidence cannot order the queue (short, for the status bar; "" when it
    orders at least part of it) and a message for the user (None when it orders all of it)."""
    missing = sum(confidence(c) is None for c in data.queue)
    if not missing or not data.queue:
        return "", None
    if missing < len(data.queue):
        return "", (f"{missing} of {len(data.queue)} codings in the queue have no model confidence: "
                    "they come last, in reading order.")
    from ..coding.learn import has_model  # numpy: only when asked for this order

    if not has_model(data.project):
        return "no trained model", (
            "This project has no trained model, so no coding has a confidence to order by: the queue "
            "stays in reading order. Run `qualcode model train`, then `qualcode autocode`.")
    return "no model confidence yet", (
        "No coding in the queue has a model confidence: they were suggested before the model was trained, "
        "or the model is out of date (`qualcode model status` says why). The queue stays in reading order; "
        "`qualcode autocode` scores them.")
