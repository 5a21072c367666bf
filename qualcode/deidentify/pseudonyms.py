"""Consistent pseudonyms (``[NAME-3]``) and the key file that maps them back to the originals.

The same entity always gets the same pseudonym; numbers count per kind in order of first
appearance. The key is a CSV ``pseudonym,kind,original`` (one row per spelling seen), written with
owner-only permissions (0600). Given an existing key, numbering continues from it, so transcripts
added later get the same pseudonyms for the same people.
"""
from __future__ import annotations

import io
import os
import re
from collections import Counter
from pathlib import Path

from ..cells import csv_unescape, csv_writer
from ..textio import csv_dict_rows
from ..errors import ExchangeError
from .terms import Hit, norm

KEY_COLUMNS = ["pseudonym", "kind", "original"]
PSEUDONYM_RE = re.compile(r"^\[([A-Z]+)-(\d+)\]$")


def entity_of(kind: str, original: str) -> str:
    if kind == "PHONE":
        return re.sub(r"\D", "", original)
    return norm(original)


class Pseudonyms:
    def __init__(self) -> None:
        self.by_entity: dict[tuple[str, str], str] = {}
        self.counts: Counter[str] = Counter()
        self.rows: list[tuple[str, str, str]] = []
        self._spellings: set[tuple[str, str]] = set()

    def get(self, hit: Hit) -> str:
        if hit.label:  # generalised ("[AGE 18-24]", "[CITY]"): not a pseudonym, nothing to key
            return hit.label
        key = (hit.kind, hit.entity)
        found = self.by_entity.get(key) or self.by_entity.get((hit.kind, entity_of(hit.kind, hit.text)))
        if found is None:
            self.counts[hit.kind] += 1
            found = f"[{hit.kind}-{self.counts[hit.kind]}]"
        self.by_entity.setdefault(key, found)
        spelling = (found, hit.text)
        if spelling not in self._spellings:
            self._spellings.add(spelling)
            self.rows.append((found, hit.kind, hit.text))
        return found

    @classmethod
    def load(cls, path: Path) -> "Pseudonyms":
        made = cls()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ExchangeError(f"{path}: cannot read the key: {exc}") from None
        header, records = csv_dict_rows(text, path, ExchangeError)
        if header != KEY_COLUMNS:
            raise ExchangeError(f"{path}: not a qualcode de-identification key (expected the header "
                                f"{','.join(KEY_COLUMNS)}); give another --key file")
        for number, row in records:
            row = {k: csv_unescape(v or "") for k, v in row.items()}
            m = PSEUDONYM_RE.match(row["pseudonym"] or "")
            if not m or m.group(1) != row["kind"]:
                raise ExchangeError(f"{path}:{number}: {row['pseudonym']!r} is not a pseudonym of kind {row['kind']!r}")
            made.counts[row["kind"]] = max(made.counts[row["kind"]], int(m.group(2)))
            made.by_entity.setdefault((row["kind"], entity_of(row["kind"], row["original"])), row["pseudonym"])
            made._spellings.add((row["pseudonym"], row["original"]))
            made.rows.append((row["pseudonym"], row["kind"], row["original"]))
        return made

    def key_csv(self) -> str:
        buf = io.StringIO()
        writer = csv_writer(buf, lineterminator="\n")
        writer.writerow(KEY_COLUMNS)
        writer.writerows(self.rows)
        return buf.getvalue()


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable and writable by its owner only (mode 0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    os.chmod(path, 0o600)
