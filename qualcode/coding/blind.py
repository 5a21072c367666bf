"""Blind mode: while on, each coder's views (segments, review) show only their own codings and the
rules engine's suggestions, so double-coding stays independent. Once ``qualcode agreement`` has run
on the project after blind mode was turned on, views show everything again.

Settings rows: ``blind`` ("on"/"off"), ``blind_since`` and ``agreement_computed_at`` (UTC, with
microseconds). Turning blind mode on again (a new round of double-coding) hides again until the next
agreement run.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..store.codings import RULES_CODER
from ..store.project import Project
from ..store.team import get_setting, now_precise, set_setting

BLIND, SINCE, AGREEMENT_AT = "blind", "blind_since", "agreement_computed_at"


@dataclass(frozen=True)
class BlindStatus:
    on: bool  # the setting
    since: str | None  # when it was last turned on
    agreement_computed_at: str | None

    @property
    def hiding(self) -> bool:
        """True while views hide other coders' codings (on, and no agreement run since it was turned on)."""
        if not self.on:
            return False
        return not (self.agreement_computed_at and self.since and self.agreement_computed_at >= self.since)

    def as_dict(self) -> dict:
        return {"blind": "on" if self.on else "off", "since": self.since or "",
                "agreement_computed_at": self.agreement_computed_at or "", "hiding": self.hiding}


def blind_status(project: Project) -> BlindStatus:
    with project.connect() as conn:
        return BlindStatus(get_setting(conn, BLIND) == "on", get_setting(conn, SINCE),
                           get_setting(conn, AGREEMENT_AT))


def set_blind(project: Project, on: bool) -> BlindStatus:
    with project.engine.begin() as conn:
        set_setting(conn, BLIND, "on" if on else "off")
        if on:
            set_setting(conn, SINCE, now_precise())
    return blind_status(project)


def record_agreement_computed(project: Project) -> str:
    stamp = now_precise()
    with project.engine.begin() as conn:
        set_setting(conn, AGREEMENT_AT, stamp)
    return stamp


def visible_coders(project: Project, coder: str | None) -> set[str] | None:
    """The coders whose codings ``coder`` may see: None (everything) unless blind mode is hiding,
    then ``{coder, "qualcode:rules"}``. With no coder given, blind mode shows nothing of anyone's but
    the engine's suggestions."""
    if not blind_status(project).hiding:
        return None
    return {c for c in (coder, RULES_CODER) if c}


def filter_visible(rows: list, visible: set[str] | None, viewer: str | None) -> list:
    """Keep the codings (rows with ``coder`` and ``decided_by``) a viewer may see. Besides the coder
    check this hides engine suggestions another coder has already accepted or rejected."""
    if visible is None:
        return list(rows)
    return [r for r in rows if r.coder in visible
            and not (r.coder == RULES_CODER and r.decided_by and r.decided_by != viewer)]
