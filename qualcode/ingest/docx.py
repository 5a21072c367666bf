"""Word (.docx) transcripts: speaker-labelled paragraphs, bold speaker names, Teams transcripts.

Safety first: the file goes through ``qualcode.safezip.check_archive`` (a zip holding
``word/document.xml``, within the Office limits on sizes, entries and compression ratio, no entity
declarations) before python-docx parses it.

Microsoft Teams' "Download as .docx" transcript puts each cue in one paragraph:
``0:0:2.90 --> 0:0:4.480`` / line break / ``John Doe`` / line break / the words. A document
with a paragraph starting with such a timing line is read cue by cue from there (the timing,
name and words may also sit in separate paragraphs; paragraphs before the first cue, such as a
title, are kept as text), merging consecutive cues of the same speaker.
"""
from __future__ import annotations

import re
from typing import Callable

import docx
from docx.document import Document as DocxDocument
from docx.text.paragraph import Paragraph

from qualcode.errors import TranscriptError
from qualcode.safezip import check_archive
from qualcode.ingest.canonical import Segment, merge_same_speaker
from qualcode.ingest import docx_walk as walk
from qualcode.ingest.docx_tables import table_blocks
from qualcode.model import ImportWarning
from qualcode.ingest.speakers import Block, Label, is_label_name, parse_blocks

_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_T = r"\d{1,2}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?"
_TEAMS_TIMING = re.compile(rf"\s*({_T})\s*-->\s*({_T})\s*")


def _invalid(path: str, why: str) -> TranscriptError:
    return TranscriptError(f"{path}: is not a valid .docx file ({why})")


def check_docx_zip(path: str) -> None:
    """Refuse non-zips, zips without a Word document, and zip bombs, before parsing anything."""
    try:
        with open(path, "rb") as fh:
            magic = fh.read(8)
    except OSError as exc:
        raise TranscriptError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    if magic == _OLE_MAGIC:
        raise _invalid(path, "it is an old-format .doc or a password-protected Word file; "
                             "save it from Word as .docx without a password")
    check_archive(path, TranscriptError, what="a valid .docx file", required="word/document.xml")


def open_docx(path: str) -> DocxDocument:
    check_docx_zip(path)
    try:
        return docx.Document(path)
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml and zip errors
        raise _invalid(path, f"{type(exc).__name__}: {exc}") from None


def _is_bold(run) -> bool:
    if run.bold is not None:
        return bool(run.bold)
    style = run.style
    return bool(style is not None and style.font is not None and style.font.bold)


def bold_label(paragraph: Paragraph, full: str | None = None) -> Label | None:
    """A speaker name in bold at the start: ``**Name:** text``, ``**Name**: text``, ``**Name** text``.
    ``full``: the paragraph's whole text as read by the walker (tracked insertions included)."""
    prefix = ""
    for run in paragraph.runs:
        if not prefix.strip() and not run.text.strip():
            prefix += run.text
        elif _is_bold(run):
            prefix += run.text
        else:
            break
    name = prefix.strip()
    full = paragraph.text if full is None else full
    if not name or "\n" in name or not full.startswith(prefix):
        return None
    rest = full[len(prefix):].split("\n", 1)[0]
    if name.endswith(":"):
        name, text, strong = name[:-1].strip(), rest.strip(), True
    elif rest.lstrip().startswith(":"):
        text, strong = rest.lstrip()[1:].strip(), True
    elif rest.strip() and rest[:1].isspace():
        text, strong = rest.strip(), False  # needs the name to recur before it counts
    else:
        return None
    if not is_label_name(name):
        return None
    return Label(name, text, None, strong=strong, needs_repeat=not strong)


def _blocks(doc: DocxDocument, *, use_bold: bool, warnings: list[ImportWarning]) -> list[Block]:
    """Every paragraph (text boxes after the paragraph holding them) and table of the body, in order;
    block numbers count paragraphs and tables from 1."""
    blocks: list[Block] = []
    number = 0
    for item in walk.blocks(doc.element.body):
        if isinstance(item, walk.WTable):
            number += 1
            blocks.extend(table_blocks(item, number, warnings))
            continue
        for para in [item, *item.boxes]:
            number += 1
            lines = [line.strip() for line in para.text.split("\n") if line.strip()]
            if lines:
                label = bold_label(Paragraph(para.element, doc._body), para.text) if use_bold else None
                blocks.append(Block(lines, label, numbers=[number] * len(lines)))
    return blocks


def _note_segments(doc: DocxDocument, path: str, warnings: list[ImportWarning]) -> list[Segment]:
    """Footnotes, endnotes and comments: non-speech notes at the end, with a warning saying so."""
    found = walk.notes(doc.part.package)
    if not found:
        return []
    kinds = sorted({kind.split(" ")[0] for kind, _ in found})
    warnings.append(ImportWarning(
        "notes", f"{len(found)} {'/'.join(kinds)}(s) kept as non-speech notes at the end of the transcript "
        "(shown, never coded)"))
    return [Segment(None, f"[{kind}] {text}", kind="nonspeech") for kind, text in found]


def docx_segments(
    path: str,
    *,
    is_interviewer: Callable[[str], bool],
    pattern: re.Pattern[str] | None = None,
    warnings: list[ImportWarning] | None = None,
) -> list[Segment]:
    doc = open_docx(path)
    warnings = warnings if warnings is not None else []
    try:
        blocks = _blocks(doc, use_bold=pattern is None, warnings=warnings)
        notes = _note_segments(doc, path, warnings)
    except Exception as exc:  # malformed XML inside a well-formed zip
        raise _invalid(path, f"{type(exc).__name__}: {exc}") from None
    if not blocks:
        raise TranscriptError(f"{path}: is empty (the document has no text)")
    first_cue = next((i for i, b in enumerate(blocks) if _TEAMS_TIMING.fullmatch(b.lines[0])), None)
    if first_cue is not None:
        title = [Segment(None, "\n".join(b.lines), kind="nonspeech", line=(b.numbers or [None])[0])
                 for b in blocks[:first_cue]]
        return title + teams_segments([line for block in blocks[first_cue:] for line in block.lines]) + notes
    return parse_blocks(blocks, is_interviewer=is_interviewer, pattern=pattern, warnings=warnings) + notes


def teams_segments(lines: list[str]) -> list[Segment]:
    """Cue lines: timing, speaker name, words. A cue with no name continues the last speaker."""
    cues: list[tuple[str, str, list[str]]] = []
    for line in lines:
        m = _TEAMS_TIMING.fullmatch(line)
        if m:
            cues.append((m.group(1), m.group(2), []))
        elif cues:
            cues[-1][2].append(line)
    segments: list[Segment] = []
    speaker: str | None = None
    for start, end, body in cues:
        if len(body) >= 2 and is_label_name(body[0]):
            speaker, body = body[0], body[1:]
        segments.append(Segment(speaker, " ".join(body), start, end))
    return merge_same_speaker(segments)
