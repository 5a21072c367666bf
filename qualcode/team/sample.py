"""The double-coding sample: which transcripts a second coder codes.

O'Connor & Joffe (2020) recommend double-coding 10-25 % of the data. The draw is deterministic for a
seed (transcripts sorted by name, ``random.Random(seed)`` per stratum, strata in sorted order); with
``stratify`` every stratum (participant group, or any roster attribute such as ``site``) gets
``round(fraction x size)`` transcripts and at least one. A new draw that differs from the recorded
sample replaces it only with ``replace=True``; drawing the same sample again changes nothing.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from ..errors import ProjectError
from ..store.project import Project
from ..store.team import get_sample, get_setting, replace_sample, set_setting, delete_setting
from ..store.transcripts import TranscriptRow, list_participants, list_transcripts

RECOMMENDED = (0.10, 0.25)
STRATIFY_KEY = "sample_stratify"
NO_VALUE = "(none)"


@dataclass
class SampleResult:
    chosen: list[TranscriptRow]
    total: int
    seed: int | None
    fraction: float
    stratify: str | None
    strata: dict[str, tuple[int, int]] = field(default_factory=dict)  # value -> (transcripts, chosen)
    warnings: list[str] = field(default_factory=list)
    changed: bool = True
    previous: list[str] = field(default_factory=list)  # names in the sample before


def _stratum_of(conn, stratify: str | None, transcripts: list[TranscriptRow]) -> dict[int, str]:
    if not stratify:
        return {t.id: "all" for t in transcripts}
    if stratify == "group":
        return {t.id: t.grp or NO_VALUE for t in transcripts}
    people = {(p.group, p.pid): p for p in list_participants(conn)}
    known = {"group", "role"} | {k for p in people.values() for k in p.attributes}
    if stratify not in known:
        raise ProjectError(f"cannot stratify by {stratify!r}: use group or a roster column "
                           f"({', '.join(sorted(known))})")
    out = {}
    for t in transcripts:
        p = people.get((t.grp, t.pid or ""))
        value = (p.role if stratify == "role" else p.attributes.get(stratify, "")) if p else ""
        out[t.id] = str(value) or NO_VALUE
    return out


def _round(x: float) -> int:
    return int(math.floor(x + 0.5))


def draw_sample(project: Project, fraction: float, *, stratify: str | None = None, seed: int | None = None,
                replace: bool = False) -> SampleResult:
    """Pick ``fraction`` of the project's transcripts for double-coding and record them (one transaction)."""
    if not 0 < fraction <= 1:
        raise ProjectError(f"--fraction must be more than 0 and at most 1 (e.g. 0.2 for 20 %); got {fraction}")
    if seed is None:
        seed = random.SystemRandom().randrange(1, 1_000_000)
    with project.engine.begin() as conn:
        transcripts = sorted(list_transcripts(conn), key=lambda t: t.name)
        if not transcripts:
            raise ProjectError("the project has no transcripts to sample (run 'qualcode import' first)")
        strata_of = _stratum_of(conn, stratify, transcripts)
        rng = random.Random(seed)
        chosen: list[TranscriptRow] = []
        strata: dict[str, tuple[int, int]] = {}
        for value in sorted(set(strata_of.values())):
            members = [t for t in transcripts if strata_of[t.id] == value]
            k = min(len(members), max(1, _round(fraction * len(members))))
            chosen += rng.sample(members, k)
            strata[value] = (len(members), k)
        chosen.sort(key=lambda t: t.name)
        previous = get_sample(conn)
        result = SampleResult(chosen, len(transcripts), seed, fraction, stratify, strata,
                              previous=[s.name for s in previous])
        same = {s.transcript_id for s in previous} == {t.id for t in chosen}
        if previous and not same and not replace:
            first = previous[0]
            raise ProjectError(f"the project already has a sample of {len(previous)} transcript(s) (drawn "
                               f"{first.created_at}, seed {first.seed}, fraction {first.fraction}); this draw picks "
                               "other transcripts: pass --replace to replace it")
        if same and previous:
            result.changed = False
        else:
            replace_sample(conn, [t.id for t in chosen], seed=seed, fraction=fraction)
            if stratify:
                set_setting(conn, STRATIFY_KEY, stratify)
            else:
                delete_setting(conn, STRATIFY_KEY)
    low, high = RECOMMENDED
    if not low <= fraction <= high:
        result.warnings.append(f"fraction {fraction:g} is outside the 10-25 % O'Connor & Joffe (2020) recommend "
                               "for double-coding")
    share = len(chosen) / len(transcripts)
    if abs(share - fraction) > 0.05 and low <= fraction <= high:
        result.warnings.append(f"the sample is {len(chosen)} of {len(transcripts)} transcripts ({share:.0%}): "
                               "each stratum gets at least one")
    return result


def set_sample(project: Project, names: list[str], *, replace: bool = False) -> SampleResult:
    """Record the named transcripts as the sample (transcripts already chosen and double-coded)."""
    from ..store.transcripts import find_transcript

    with project.engine.begin() as conn:
        chosen, missing = [], []
        for name in dict.fromkeys(n.strip() for n in names if n.strip()):
            t = find_transcript(conn, name)
            (chosen.append(t) if t else missing.append(name))
        if missing or not chosen:
            raise ProjectError(f"no transcript {', '.join(map(repr, missing)) or 'given'} in this project "
                               "(see 'qualcode transcripts list')")
        total = len(list_transcripts(conn))
        chosen.sort(key=lambda t: t.name)
        previous = get_sample(conn)
        fraction = round(len(chosen) / total, 4)
        result = SampleResult(chosen, total, None, fraction, None, previous=[p.name for p in previous])
        same = {p.transcript_id for p in previous} == {t.id for t in chosen}
        if previous and not same and not replace:
            raise ProjectError(f"the project already has a sample of {len(previous)} transcript(s); "
                               "pass --replace to replace it")
        result.changed = not (previous and same)
        if result.changed:
            replace_sample(conn, [t.id for t in chosen], seed=None, fraction=fraction)
            delete_setting(conn, STRATIFY_KEY)
    low, high = RECOMMENDED
    if not low <= fraction <= high:
        result.warnings.append(f"the sample is {fraction:.0%} of the transcripts, outside the 10-25 % O'Connor & "
                               "Joffe (2020) recommend for double-coding")
    return result


@dataclass
class SampleInfo:
    rows: list[dict]
    seed: int | None
    fraction: float | None
    stratify: str | None
    created_at: str | None


def sample_info(project: Project) -> SampleInfo:
    """The recorded sample, each transcript with the coders who have coded it (not rejected)."""
    from ..store.codings import RULES_CODER
    from ..store.team import coders_per_transcript

    with project.engine.connect() as conn:
        sample = get_sample(conn)
        coded = coders_per_transcript(conn)
        stratify = get_setting(conn, STRATIFY_KEY)
        by_id = {t.id: t for t in list_transcripts(conn)}
    rows = []
    for s in sample:
        t = by_id[s.transcript_id]
        rows.append(dict(transcript=s.name, group=s.grp, participant=t.participant_label,
                         coders=", ".join(sorted(coded.get(s.transcript_id, set()) - {RULES_CODER}))))
    first = sample[0] if sample else None
    return SampleInfo(rows, first.seed if first else None, first.fraction if first else None, stratify,
                      first.created_at if first else None)
