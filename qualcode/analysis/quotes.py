"""Turn a coded span into a display quote, the way quotes appear in a published table.

A quote is evidence: by default it is the speaker's words exactly as transcribed.
``make_quote(full_text, start, end)`` takes ``full_text[start:end]`` and
- trims whitespace at the ends and collapses internal runs of whitespace to one space;
- prefixes "..." when the span starts mid-sentence: the previous non-space character of the
  text (looking past closing quotes and ``[annotations]``) is not ``. ? ! …`` or a speaker-label
  colon, and the span does not start a line or the text;
- ends the quote with the sentence's own end punctuation when the span stops just before it,
  and suffixes "..." when it stops mid-sentence (more of the sentence follows on the same line).
Nothing else changes: "Uhm, the religion, ..." stays as spoken.

``tidy=True`` is the analyst's explicit choice to drop leading and trailing hesitation fillers
("um", "uhm", "ummh", "uh", "er", "hmm", and "you know,"), repeatedly, with their punctuation.
What it removed is marked "[...]" (an omission by the analyst, unlike "..." for a cut span),
unless a "..." for a cut already stands at that end. Discourse words such as "So," "Well,"
"Like," are never removed, and fillers inside the quote stay. A span that is nothing but
fillers comes back as written.
"""
from __future__ import annotations

import re

from qualcode.errors import CodingError

ELLIPSIS = "..."
TIDY_MARK = "[...]"  # what --tidy removed
_HESITATION = r"(?:u+h*m+h*|u+h+|e+r+m*|h+m+)"  # um umm uhm ummh uh er erm hm hmm
_PUNCT = r"[\s,.;:!?…\-–—]*"
_LEADING_FILLER = re.compile(
    rf"^(?:{_HESITATION}(?![\w'’\-])|you\s+know\s*,){_PUNCT}", re.IGNORECASE)
_TRAILING_FILLER = re.compile(
    rf"(?:(?<![\w'’\-]){_HESITATION}|,\s*you\s+know){_PUNCT}$", re.IGNORECASE)
_LEADING_JUNK = re.compile(r"^[\s,;:\-–—]+")
_TRAILING_JUNK = re.compile(r"[\s,;:\-–—]+$")
_TERMINAL = ".?!…"
_CLOSERS = "\"'”’)"
_ENDS_SENTENCE = re.compile(r"[.?!…][\"'”’)\]]*$")


def make_quote(full_text: str, start: int, end: int, *, tidy: bool = False) -> str:
    """The display quote for ``full_text[start:end]``: verbatim, "..." where cut; ``tidy``
    drops edge fillers and marks them "[...]" (see the module docstring)."""
    if not 0 <= start <= end <= len(full_text):
        raise CodingError(f"quote offsets {start}-{end} are outside the text (length {len(full_text)})")
    s, e = start, end
    while s < e and full_text[s].isspace():
        s += 1
    while e > s and full_text[e - 1].isspace():
        e -= 1
    original = " ".join(full_text[s:e].split())
    if not original:
        return ""
    body, removed_leading, removed_trailing, terminal = original, False, False, ""
    if tidy:
        body, removed_leading = _strip_leading(original)
        stripped, terminal = _strip_trailing(body)
        removed_trailing = stripped != body
        body = stripped
    body = _TRAILING_JUNK.sub("", _LEADING_JUNK.sub("", body))
    if not any(ch.isalnum() for ch in body):
        return original  # only fillers: keep what was coded
    if _starts_mid_sentence(full_text, s):
        if not body.startswith((ELLIPSIS, "…")):
            body = ELLIPSIS + body
    elif removed_leading:
        body = f"{TIDY_MARK} {body}"
    return _ending(full_text, e, body, terminal, removed_trailing)


def _ending(full_text: str, e: int, body: str, terminal: str, removed_trailing: bool) -> str:
    if _ENDS_SENTENCE.search(body):
        return body
    following = terminal or _following_terminal(full_text, e)
    if following is None:
        return body + ELLIPSIS
    return body + (f" {TIDY_MARK}" if removed_trailing else "") + following


def _strip_leading(text: str) -> tuple[str, bool]:
    removed = False
    while True:
        match = _LEADING_FILLER.match(text)
        if not match or match.end() == 0:
            return text, removed
        text, removed = text[match.end():], True


def _strip_trailing(text: str) -> tuple[str, str]:
    """``text`` without trailing fillers, and the sentence-end punctuation they carried (or "")."""
    terminal = ""
    while True:
        match = _TRAILING_FILLER.search(text)
        if not match or match.start() == len(text):
            return text, terminal
        tail = match.group(0)
        if not terminal:
            found = re.search(r"[.?!…]+", tail)
            terminal = found.group(0) if found else ""
        text = text[:match.start()]


def _skip_annotation_back(text: str, i: int) -> int:
    """If ``text[i]`` closes a ``[annotation]`` on the same line, the index before its ``[``."""
    if text[i] != "]":
        return i
    j = text.rfind("[", 0, i)
    if j < 0 or "\n" in text[j:i]:
        return i
    return j - 1


def _starts_mid_sentence(text: str, s: int) -> bool:
    i = s - 1
    while True:
        while i >= 0 and text[i] in " \t":
            i -= 1
        if i < 0 or text[i] == "\n":
            return False  # start of the text or of a line
        j = _skip_annotation_back(text, i)
        if j == i:
            break
        i = j
    while i >= 0 and text[i] in _CLOSERS:
        i -= 1
    if i < 0 or text[i] == "\n":
        return False
    return text[i] not in _TERMINAL + ":"


def _following_terminal(text: str, e: int) -> str | None:
    """What follows the span: the sentence-end punctuation right after it ("" when the line or
    text ends), or None when the sentence goes on."""
    i, n = e, len(text)
    while True:
        while i < n and text[i] in " \t":
            i += 1
        if i >= n or text[i] == "\n":
            return ""
        if text[i] == "[":
            close = text.find("]", i)
            if close > 0 and "\n" not in text[i:close]:
                i = close + 1
                continue
        break
    while i < n and text[i] in _CLOSERS:
        i += 1
    match = re.compile(r"[.?!…]+").match(text, i)
    return match.group(0) if match else None
