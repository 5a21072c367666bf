"""Speaker-label recognition for line-based transcripts (.txt, .md, .docx paragraphs, cue texts).

Recognised by default, at the start of a line:

- ``Name: text`` (also ``**Name:** text`` in Markdown), Name being 1-5 words of letters, digits,
  spaces and ``. ' -``, at most 40 characters, the colon followed by a space or the line end;
- ``[00:01:02] Name: text``, ``(00:01:02) Name: text``, ``00:01:02 Name: text``;
- ``Name (00:01:02): text`` and ``Name [00:01:02]`` (Rev-style);
- Otter.ai's ``Name  0:03`` alone on the first line of a paragraph, the words on the next lines;
- ``[00:00:03] Name`` alone on the first line of a paragraph (Trint, Descript), when the name recurs;
- diarisation labels: ``SPEAKER_00:``, ``Speaker 1:``, ``Speaker 1 (00:01:02):``, ``S1:``;
- a name with initials in brackets: ``Therapist (SM): text``;
- ``Name: [00:01:02] text`` (Sonix): the time is the turn's time, not part of its words;
- ``Name<TAB>text`` and ``Name<TAB>00:01:02<TAB>text`` (tab-separated columns pasted from a
  table), when the name recurs or names the interviewer.

A file in which no label is found is read paragraph by paragraph as the participant's speech,
with a warning saying so.

A line starting with a timestamp that is not a valid time (``[00:09:025] Therapist: ...``)
still starts the turn, with a warning naming the line: it is never merged into the turn before.

Ordinary sentences with a colon ("The problem is: nobody listens") are kept apart from labels:
a plain ``Name:`` label with several words, one of them a common sentence word (is, the, my...),
or a single word such as "Note" or "Date", is a label only when it labels two or more lines of
the file, or names the interviewer. Timestamped, Otter and custom-pattern labels need no
such evidence. A line without a label continues the turn before it.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from qualcode.errors import TranscriptError
from qualcode.ingest.canonical import Segment, warn_if_no_speaker
from qualcode.model import ImportWarning

MAX_LABEL_CHARS = 40
MAX_LABEL_WORDS = 5

_NAME = r"[^\W_](?:\w|[ .'’\-]){0,39}"
_NAME_RE = re.compile(_NAME)
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_MD = r"(?:\*\*|__)?"
_PLAIN = re.compile(
    rf"{_MD}(?P<speaker>{_NAME}(?:[ \t]*\([^()\d:]{{1,20}}\))?)(?:{_MD}:{_MD}|:{_MD})(?:[ \t]+(?P<text>.*))?")
_TIME_FIRST = re.compile(rf"(?:\[(?P<a>{_TIME})\]|\((?P<b>{_TIME})\)|(?P<c>{_TIME}))[ \t]+(?P<rest>.*)")
_TIME_AFTER = re.compile(
    rf"{_MD}(?P<speaker>{_NAME})[ \t]+[\[(](?P<time>{_TIME})[\])]{_MD}"
    rf"(?::{_MD}(?:[ \t]+(?P<text>.*))?)?"
)
_TAB = re.compile(
    rf"{_MD}(?P<speaker>{_NAME}){_MD}:?\t+(?:[\[(]?(?P<time>{_TIME})[\])]?\t+)?(?P<text>.*)")
_OTTER = re.compile(rf"(?P<speaker>{_NAME}?)[ \t]+(?P<time>\d{{1,2}}:\d{{2}}(?::\d{{2}})?)[ \t]*")
_TIME_ONLY = re.compile(rf"\[{_TIME}\]|\({_TIME}\)|\d{{1,2}}:\d{{2}}:\d{{2}}(?:[.,]\d{{1,3}})?")
_BRACKET_TIME_PREFIX = re.compile(rf"(?:\[{_TIME}\]|\({_TIME}\))[ \t]*")
# Something in brackets made of digits and time punctuation that is not a valid time: "[00:09:025]".
_BAD_TIME_PREFIX = re.compile(r"(?P<bad>[\[(]\d[\d:.,;]*[\])]|\d{1,2}:\d[\d:.,;]*)[ \t]+(?P<rest>.*)")
# A transcriber's note alone on its line: "[End of recording]", "[break]", "(inaudible)".
_FOOTER = re.compile(r"(?i)transcribed (?:by|with|using) \S+(?: \S+){0,4}")
_NOTE_LINE = re.compile(r"\[[^\[\]]+\]|\([^()]+\)|\{[^{}]+\}")

# Words that make a multi-word "label" read like a sentence ("The problem is: ...").
_SENTENCE_WORDS = frozenset(
    """a an the and or but so because if then that this these those it its i i'm me my mine we
    our us you your he him his she her they them their is are was were be been am have has had do
    does did said says say asked told think thought of to in on at for with from about as by
    what when where why how which who there here not no yes all some one thing things reason
    problem point question answer example note""".split()
)
# Single words that usually head a note or a header line, not a speaker.
_NOT_A_SPEAKER_ONCE = frozenset(
    """note notes nb ps date time duration length location place venue site title subject
    example e.g i.e yes no so well ok okay answer question summary update edit warning tip step
    re transcript file audio recording interview session study project case chapter part section
    page transcriber transcribed recorded language""".split()
)


@dataclass
class Label:
    """A speaker label found at the start of a line; ``text`` is the rest of that line."""

    speaker: str
    text: str = ""
    time: str | None = None
    strong: bool = False  # needs no evidence from repetition (timestamped, Otter, custom, bold:)
    needs_repeat: bool = False  # a label only if it recurs or names the interviewer (bold, no colon)
    time_name: bool = False  # "[00:00:03] Name" alone: a label only in a file laid out that way


@dataclass
class Block:
    """A paragraph: its lines, optionally a label already known for its first line, the
    1-based source line (or paragraph) number of each line, and whether it is non-speech."""

    lines: list[str]
    first_label: Label | None = None
    numbers: list[int] | None = None
    nonspeech: bool = False


@dataclass
class _Open:
    speaker: str | None
    time: str | None
    lines: list[str] = field(default_factory=list)
    line: int | None = None
    kind: str = "speech"


def compile_speaker_pattern(pattern: str | None, path: str) -> re.Pattern[str] | None:
    """Validate a user's ``speaker_pattern``: groups ``speaker`` and ``text`` (``time`` optional)."""
    if pattern is None:
        return None
    try:
        regex = re.compile(pattern)
    except re.error as exc:
        raise TranscriptError(f"{path}: invalid speaker pattern {pattern!r}: {exc}") from None
    missing = [g for g in ("speaker", "text") if g not in regex.groupindex]
    if missing:
        raise TranscriptError(
            f"{path}: speaker pattern {pattern!r} needs the named groups (?P<speaker>...) and "
            f"(?P<text>...); missing: {', '.join(missing)}"
        )
    return regex


def _name_ok(name: str) -> bool:
    return 0 < len(name) <= MAX_LABEL_CHARS and len(name.split()) <= MAX_LABEL_WORDS


def is_label_name(name: str) -> bool:
    """1-5 words of letters, digits, spaces and ``. ' -``, at most 40 characters."""
    name = name.strip()
    return _name_ok(name) and _NAME_RE.fullmatch(name) is not None


def candidate(line: str, *, at_block_start: bool, pattern: re.Pattern[str] | None = None) -> Label | None:
    """The label this line starts with, if its shape is a label's (acceptance comes later)."""
    line = line.strip()
    if not line:
        return None
    if pattern is not None:
        m = pattern.match(line)
        if not m or not (m.group("speaker") or "").strip():
            return None
        time = m.groupdict().get("time")
        return Label(m.group("speaker").strip(), (m.group("text") or "").strip(), time, True)
    m = _TIME_FIRST.fullmatch(line)
    if m:
        inner = _plain(m.group("rest"))
        if inner:
            inner.time, inner.strong = m.group("a") or m.group("b") or m.group("c"), True
            return inner
        name = m.group("rest").strip()
        if at_block_start and is_label_name(name) and not _sentence_like(name):  # "[00:00:03] Speaker 1"
            return Label(name, "", m.group("a") or m.group("b") or m.group("c"), time_name=True)
    m = _TIME_AFTER.fullmatch(line)
    if m and _name_ok(m.group("speaker").strip()):
        return Label(m.group("speaker").strip(), (m.group("text") or "").strip(), m.group("time"), True)
    if at_block_start:
        m = _OTTER.fullmatch(line)
        if m:
            name = m.group("speaker").strip()
            if _name_ok(name) and not _sentence_like(name) and _key(name) not in _NOT_A_SPEAKER_ONCE:
                return Label(name, "", m.group("time"), True)
    return _plain(line) or _tabbed(line)


def _plain(line: str) -> Label | None:
    colon = line.find(":")
    if colon < 1 or colon > MAX_LABEL_CHARS + 6:
        return None
    m = _PLAIN.fullmatch(line)
    if not m:
        return None
    name = m.group("speaker").strip()
    if not _name_ok(name):
        return None
    text = (m.group("text") or "").strip()
    stamp = _BRACKET_TIME_PREFIX.match(text)
    if stamp:  # "Speaker1: [00:00:04] text"
        return Label(name, text[stamp.end():], stamp.group(0).strip()[1:-1], True)
    return Label(name, text)


def _tabbed(line: str) -> Label | None:
    """``Name<TAB>text``: a label only where the name recurs (or is the interviewer's)."""
    m = _TAB.fullmatch(line)
    if not m or not _name_ok(m.group("speaker").strip()) or _sentence_like(m.group("speaker")):
        return None
    return Label(m.group("speaker").strip(), m.group("text").strip(), m.group("time"), needs_repeat=True)


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def _sentence_like(name: str) -> bool:
    words = [w.strip(".'’-") for w in name.casefold().split()]
    return len(words) > 1 and any(w in _SENTENCE_WORDS for w in words)


def accept(label: Label, counts: Counter[str], is_interviewer: Callable[[str], bool]) -> bool:
    """Whether a label candidate really is a speaker label (see the module docstring)."""
    if label.strong or is_interviewer(label.speaker) or counts[_key(label.speaker)] >= 2:
        return True
    if label.needs_repeat:
        return False
    if _sentence_like(label.speaker):
        return False
    key = _key(label.speaker).rstrip(".")
    return key not in _NOT_A_SPEAKER_ONCE and key.split()[0] not in _NOT_A_SPEAKER_ONCE  # "Transcript 0: ..."


def strip_time_prefix(line: str) -> str:
    """Drop a ``[00:01:02]`` prefix, or a line that is only ``[0:03]`` or ``00:01:02``:
    timestamps never go into the canonical text. A bare ``10:30`` may be speech and stays."""
    stripped = line.strip()
    if _TIME_ONLY.fullmatch(stripped):
        return ""
    m = _BRACKET_TIME_PREFIX.match(stripped)
    return stripped[m.end():] if m else stripped


def detect_labels(
    lines: list[str],
    is_interviewer: Callable[[str], bool],
    pattern: re.Pattern[str] | None = None,
    block_starts: list[bool] | None = None,
    overrides: dict[int, Label] | None = None,
) -> list[Label | None]:
    """Accepted label (or None) for each line, judged against the whole file. ``overrides``
    are labels a reader already knows (bold runs in .docx), by line index."""
    starts = block_starts or [True] * len(lines)
    found = [candidate(line, at_block_start=s, pattern=pattern) for line, s in zip(lines, starts)]
    for idx, lab in (overrides or {}).items():
        found[idx] = lab
    if sum(lab is not None and lab.time_name for lab in found) < 2:
        found = [None if lab is not None and lab.time_name else lab for lab in found]
    counts = Counter(_key(lab.speaker) for lab in found if lab is not None)
    return [lab if lab is not None and accept(lab, counts, is_interviewer) else None for lab in found]


def _bad_time_label(line: str, pattern: re.Pattern[str] | None) -> tuple[str, Label | None] | None:
    """``(bad timestamp, label or None)`` for a line starting with a timestamp that does not parse."""
    if pattern is not None:
        return None
    m = _BAD_TIME_PREFIX.fullmatch(line.strip())
    if not m or _TIME_FIRST.fullmatch(line.strip()):
        return None
    return m.group("bad"), _plain(m.group("rest"))


def is_note_line(line: str) -> bool:
    """A transcriber's note alone on its line ("[End of recording]"), not a bare timestamp, or a
    transcription service's footer ("Transcribed by https://otter.ai")."""
    line = line.strip()
    if _FOOTER.fullmatch(line):
        return True
    return bool(_NOTE_LINE.fullmatch(line)) and not _TIME_ONLY.fullmatch(line)


def _flatten(blocks: list[Block]) -> tuple[list[str], list[bool], list[int | None], list[bool], dict[int, Label]]:
    flat: list[str] = []
    starts: list[bool] = []
    numbers: list[int | None] = []
    nonspeech: list[bool] = []
    forced: dict[int, Label] = {}
    for block in blocks:
        for i, line in enumerate(block.lines):
            if i == 0 and block.first_label is not None:
                forced[len(flat)] = block.first_label
            flat.append(line)
            starts.append(i == 0)
            numbers.append(block.numbers[i] if block.numbers else None)
            nonspeech.append(block.nonspeech)
    return flat, starts, numbers, nonspeech, forced


def _repair_labels(flat: list[str], labels: list[Label | None], numbers: list[int | None],
                   pattern: re.Pattern[str] | None, warnings: list[ImportWarning]) -> None:
    """Lines starting with a timestamp that does not parse: never silently merged."""
    for i, (line, label) in enumerate(zip(flat, labels)):
        if label is not None:
            continue
        bad = _bad_time_label(line, pattern)
        if bad is None:
            continue
        stamp, inner = bad
        if inner is not None:
            labels[i] = inner
            warnings.append(ImportWarning(
                "label", f"timestamp {stamp!r} is not a valid time; a turn of {inner.speaker!r} starts "
                f"here without a time", numbers[i], inner.speaker))
        else:
            warnings.append(ImportWarning(
                "label", f"{stamp!r} looks like a timestamp but is not a valid time; the line was kept "
                "as text of the turn before it", numbers[i]))


def parse_blocks(
    blocks: list[Block],
    *,
    is_interviewer: Callable[[str], bool],
    pattern: re.Pattern[str] | None = None,
    warnings: list[ImportWarning] | None = None,
) -> list[Segment]:
    """Paragraphs -> segments. In a file with speaker labels, unlabelled paragraphs before the
    first label (title, metadata) are non-speech; after a label they continue that speaker's
    turn. In a file without labels each paragraph is a segment of its own. A transcriber's note
    alone on a line ("[End of recording]") is non-speech wherever it is."""
    warnings = warnings if warnings is not None else []
    flat, starts, numbers, nonspeech, forced = _flatten(blocks)
    labels = detect_labels(flat, is_interviewer, pattern, starts, forced)
    _repair_labels(flat, labels, numbers, pattern, warnings)
    labelled = any(lab is not None for lab in labels)
    segments: list[Segment] = []
    current: _Open | None = None
    last_speaker: str | None = None

    def close() -> None:
        if current is not None and current.lines:
            segments.append(Segment(current.speaker, "\n".join(current.lines), current.time,
                                    kind=current.kind, line=current.line))

    for line, at_start, label, number, ns in zip(flat, starts, labels, numbers, nonspeech):
        if label is not None and not ns:
            close()
            current = _Open(label.speaker, label.time, [label.text] if label.text else [], number)
            last_speaker = label.speaker
            continue
        text = strip_time_prefix(line)
        if not text:
            continue
        if ns or is_note_line(text) or (labelled and last_speaker is None):
            if current is not None and current.kind == "nonspeech" and not at_start:
                current.lines.append(text)
                continue
            close()
            current = _Open(None, None, [text], number, "nonspeech")
            continue
        if current is None or current.kind == "nonspeech" or (at_start and current.speaker is None):
            close()
            current = _Open(last_speaker, None, [text], number)
        else:
            if at_start and current.lines:
                current.lines.append("")  # keep the paragraph break inside the turn
            current.lines.append(text)
    close()
    _warn_long_nonspeech(segments, warnings)
    if not labelled:
        warn_if_no_speaker(segments, warnings, NO_LABELS)
    return segments


NO_LABELS = ("no speaker labels were found: each of its {n} paragraph(s) was taken as the participant's speech "
             "(no interviewer turns); if the file has labels in another layout, import it with --speaker-pattern")


LONG_NONSPEECH_WORDS = 25


def _warn_long_nonspeech(segments: list[Segment], warnings: list[ImportWarning]) -> None:
    """Non-speech long enough to be speech (an unlabelled first answer?) is never kept silently."""
    for seg in segments:
        words = len(seg.text.split())
        if seg.kind == "nonspeech" and words >= LONG_NONSPEECH_WORDS:
            warnings.append(ImportWarning(
                "nonspeech", f"{words} words with no speaker label before the first label were kept as "
                "non-speech (title or metadata; never coded); if they are speech, add a speaker label",
                seg.line))


def text_blocks(text: str) -> list[Block]:
    """Split decoded text into paragraphs at blank lines, remembering each line's number."""
    blocks: list[Block] = []
    lines: list[str] = []
    numbers: list[int] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            lines.append(line.strip())
            numbers.append(number)
        elif lines:
            blocks.append(Block(lines, numbers=numbers))
            lines, numbers = [], []
    if lines:
        blocks.append(Block(lines, numbers=numbers))
    return blocks
