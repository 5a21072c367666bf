"""Filters name things that exist: an unknown code, group, participant or coder id is an error with
"did you mean", never an empty result that looks like "nothing coded" (``segments --code yp-gendr``)."""
from __future__ import annotations

import difflib

from ..errors import CodingError, QualcodeError
from ..store.project import Project
from ..store.sql import fetch


def unknown(kind: str, value: str, known: list[str], see: str) -> CodingError:
    hint = difflib.get_close_matches(value, known, n=3, cutoff=0.6)
    if hint:
        extra = f"did you mean {', '.join(hint)}?"
    elif len(known) <= 12:
        extra = f"known: {', '.join(known) or 'none yet'}"
    else:
        extra = f"see '{see}'"
    return CodingError(f"unknown {kind} {value!r} ({extra})")


def _codes(project: Project, conn) -> list[str]:
    used = [r[0] for r in fetch(conn, "SELECT DISTINCT code_id FROM codings")]
    try:
        defined = project.codebook().ids()
    except QualcodeError:
        defined = []
    return sorted(set(defined) | set(used))


def check_filters(project: Project, *, code: str | None = None, group: str | None = None,
                  participant: str | None = None, coder: str | None = None) -> None:
    """Raise ``CodingError`` for the first filter value the project does not know."""
    if not any((code, group, participant, coder)):
        return
    with project.connect() as conn:
        if code and code not in (codes := _codes(project, conn)):
            raise unknown("code", code, codes, "qualcode codebook show")
        if group or participant:
            people = fetch(conn, "SELECT grp, pid FROM participants")
            groups = sorted({g for g, _ in people if g})
            if group and group not in groups:
                raise unknown("group", group, groups, "qualcode status")
            pids = sorted({p for g, p in people if not group or g == group})
            if participant and participant not in pids:
                raise unknown("participant", participant, pids, "qualcode transcripts list")
        if coder and not coder.startswith("qualcode:"):  # qualcode's own coders (rules, model) exist before they code
            coders = sorted(r[0] for r in fetch(conn, "SELECT name FROM coders"))
            if coder not in coders:
                raise unknown("coder", coder, coders, "qualcode coders list")
