"""``deidentify --report FILE``: what was found, for a person to check before anything is shared.

A Markdown file, written owner-only (it holds the originals): the identifiers found by kind with
counts and one context each, nicknames picked up from the text, roster attributes dropped, and the
capitalised words left in the de-identified text that are not English words, which is where a
missed name would hide.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

from .pseudonyms import write_private
from .run import DeidReport
from .suggest import dictionary_candidates


def unreplaced(after: dict[str, str]) -> list[tuple[str, int, list[str], str]]:
    """(word, count, transcripts, context) for capitalised non-words still in the texts."""
    counts: Counter[str] = Counter()
    where: dict[str, list[str]] = defaultdict(list)
    example: dict[str, str] = {}
    for name, text in after.items():
        for s, e, _ in dictionary_candidates(text):
            word = text[s:e]
            counts[word] += 1
            if name not in where[word]:
                where[word].append(name)
            example.setdefault(word, "..." + text[max(0, s - 30):e + 30].replace("\n", " ") + "...")
    return [(w, n, where[w], example[w]) for w, n in sorted(counts.items(), key=lambda x: (-x[1], x[0].lower()))]


def _cell(text: str) -> str:
    return re.sub(r"\s+", " ", text).replace("|", "\\|")


def render(report: DeidReport) -> str:
    lines = ["# De-identification report", "",
             "Holds the original identifiers: keep it with the key, never with the shared data.", "",
             f"- NER: {report.model or 'not used (no model installed or --no-ner); unlisted names are not caught'}",
             f"- {'Dry run: nothing was changed' if report.dry_run else 'Applied'}; "
             f"{len(report.changes)} replacement(s) in {len(report.after)} transcript(s) and the memos and roster", ""]
    by_kind: dict[str, list] = defaultdict(list)
    for c in report.changes:
        by_kind[c.kind].append(c)
    lines += ["## Found, by kind", "", "| kind | replacements | distinct |", "| --- | --- | --- |"]
    lines += [f"| {k} | {len(v)} | {len({c.original.lower() for c in v})} |" for k, v in sorted(by_kind.items())]
    for kind, changes in sorted(by_kind.items()):
        lines += ["", f"### {kind}", "", "| original | replaced by | count | first context |", "| --- | --- | --- | --- |"]
        seen: dict[str, list] = {}
        for c in changes:
            seen.setdefault(c.original, [c.pseudonym, 0, c.context])[1] += 1
        lines += [f"| {_cell(o)} | {_cell(p)} | {n} | {_cell(ctx)} |" for o, (p, n, ctx) in seen.items()]
    if report.nicknames:
        lines += ["", "## Nicknames introduced in the text (added for that transcript)", ""]
        lines += [f"- {name}: {', '.join(nicks)}" for name, nicks in report.nicknames.items()]
    if report.dropped:
        lines += ["", "## Identifying roster attributes", ""] + [f"- {d}" for d in report.dropped]
    left = unreplaced(report.after)
    lines += ["", "## Capitalised words not replaced (check each one)", ""]
    if not left:
        lines.append("None.")
    else:
        lines += ["| word | count | transcripts | context |", "| --- | --- | --- | --- |"]
        lines += [f"| {_cell(w)} | {n} | {_cell(', '.join(ts))} | {_cell(ctx)} |" for w, n, ts, ctx in left]
    for note in report.warnings + report.codings_merged:
        lines += ["", f"- warning: {note}"]
    return "\n".join(lines) + "\n"


def write_report(path: Path, report: DeidReport) -> None:
    write_private(path, render(report))
