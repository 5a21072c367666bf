"""Plain-text and Markdown transcripts (already decoded by ``decode.py``)."""
from __future__ import annotations

import re
from typing import Callable

from qualcode.ingest.canonical import Segment
from qualcode.ingest.speakers import parse_blocks, text_blocks
from qualcode.model import ImportWarning


def txt_segments(
    text: str,
    *,
    is_interviewer: Callable[[str], bool],
    pattern: re.Pattern[str] | None = None,
    warnings: list[ImportWarning] | None = None,
) -> list[Segment]:
    """Paragraphs split at blank lines; speaker labels recognised line by line."""
    return parse_blocks(text_blocks(text), is_interviewer=is_interviewer, pattern=pattern, warnings=warnings)
