"""A codebook from another program (``ExCode`` trees) -> a qualcode YAML codebook.

Ids are slugs of the code names (``"Conducive environment"`` -> ``conducive-environment``), made
unique with ``-2``, ``-3``... (a codebook written by qualcode carries each code's id as a last
"qualcode id: ..." paragraph of its description, which is used instead); names become labels; descriptions become definitions (with when to
use / not and examples split back out when written by qualcode); the hierarchy and colours are
kept. Top-level codes become domains. The YAML is checked with the codebook loader before it is
returned.
"""
from __future__ import annotations

import re
import unicodedata

import yaml

from ..codebook.load import parse_codebook
from .qdc import ExCode, split_description


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "code"


class IdMaker:
    """Unique slug ids, also unique against ids already ``taken``."""

    def __init__(self, taken: set[str] | None = None):
        self.used = set(taken or ())

    def make(self, name: str, wanted: str = "") -> str:
        if wanted and wanted not in self.used:
            self.used.add(wanted)
            return wanted
        base = slugify(name)
        candidate, n = base, 1
        while candidate in self.used:
            n += 1
            candidate = f"{base}-{n}"
        self.used.add(candidate)
        return candidate


def _entry(code: ExCode, ids: IdMaker, mapping: dict[str, str], counter: list[int]) -> dict:
    counter[0] += 1
    label = code.name or f"Code {counter[0]}"
    fields = split_description(code.description)
    code_id = ids.make(label, fields["id"])
    mapping[code.guid] = code_id
    entry: dict = {"id": code_id, "label": label}
    for key in ("definition", "when_to_use", "when_not_to_use", "examples"):
        if fields[key]:
            entry[key] = fields[key]
    if code.colour:
        entry["colour"] = code.colour
    if code.children:
        entry["codes"] = [_entry(c, ids, mapping, counter) for c in code.children]
    return entry


def code_groups(sets: list, mapping: dict[str, str]) -> list[dict]:
    """REFI ``<Set>``s (``refi_read.ExSet``) with at least one code of this codebook -> ``code_groups``
    entries; members that are not codes here (documents, say) are left out; names made unique."""
    out: list[dict] = []
    names: set[str] = set()
    for s in sets:
        codes = [mapping[g] for g in s.codes if g in mapping]
        if not codes:
            continue
        base = s.name or f"Code group {len(out) + 1}"
        name, n = base, 1
        while name.casefold() in names:
            n += 1
            name = f"{base} ({n})"
        names.add(name.casefold())
        out.append({"name": name, **({"description": s.description} if s.description else {}), "codes": codes})
    return out


def codes_to_yaml(codes: list[ExCode], *, name: str, source: str, sets: list | None = None) -> tuple[str, dict[str, str]]:
    """(YAML text, {REFI guid: qualcode id}) for ``codes`` and the code groups among ``sets``; the
    YAML loads with ``load_codebook``."""
    mapping: dict[str, str] = {}
    ids = IdMaker()
    counter = [0]
    data = {
        "codebook": {"name": name or "Imported codebook", "version": "1",
                     "description": f"Imported from {source} by qualcode. Ids were made from the code names."},
        "domains": [_entry(c, ids, mapping, counter) for c in codes],
    }
    groups = code_groups(sets or [], mapping)
    if groups:
        data["code_groups"] = groups
    text = ("# Imported from " + source.replace("\n", " ") + " (REFI-QDA). Check the labels and definitions,\n"
            "# then add rules for the coding engine if you want suggestions (see docs/codebook-format.md).\n")
    text += yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    parse_codebook(text, "<imported codebook>")  # a bug here must not write a broken codebook
    return text, mapping
