"""Code groups (REFI-QDA ``<Sets>``) in the store: a named group of codes (and transcripts), kept so
that a project moved through another program comes back with its groups."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from .schema import code_set_members, code_sets

KINDS = ("code", "transcript")


@dataclass
class CodeSet:
    name: str
    description: str = ""
    codes: list[str] = field(default_factory=list)  # code ids
    transcripts: list[str] = field(default_factory=list)  # transcript names


def list_code_sets(conn: sa.Connection) -> list[CodeSet]:
    out: dict[int, CodeSet] = {}
    for row in conn.execute(sa.select(code_sets).order_by(code_sets.c.name)):
        out[row.id] = CodeSet(row.name, row.description)
    members = sa.select(code_set_members).order_by(code_set_members.c.kind, code_set_members.c.member)
    for row in conn.execute(members):
        if row.set_id in out:
            (out[row.set_id].codes if row.kind == "code" else out[row.set_id].transcripts).append(row.member)
    return list(out.values())


def save_code_set(conn: sa.Connection, group: CodeSet) -> bool:
    """Add ``group``, or add its members to the group of the same name; True when anything changed."""
    row = conn.execute(sa.select(code_sets).where(code_sets.c.name == group.name)).first()
    changed = row is None
    if row is None:
        set_id = conn.execute(code_sets.insert().values(name=group.name, description=group.description)).inserted_primary_key[0]
    else:
        set_id = row.id
    have = {(r.kind, r.member) for r in conn.execute(sa.select(code_set_members).where(code_set_members.c.set_id == set_id))}
    for kind, member in [("code", c) for c in group.codes] + [("transcript", t) for t in group.transcripts]:
        if (kind, member) not in have:
            conn.execute(code_set_members.insert().values(set_id=set_id, kind=kind, member=member))
            have.add((kind, member))
            changed = True
    return changed
