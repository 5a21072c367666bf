"""``qualcode doctor``: check a project the way its next commands will use it, and say what to fix.

Each check gives one or more findings: ``ok``, ``warning`` (works, but look) or ``problem`` (a command
will fail or give a wrong answer). Nothing is changed: the store is not even upgraded.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

import sqlalchemy as sa

from ..errors import QualcodeError
from ..store import schema as s
from ..store.migrations import LATEST, current_version
from ..store.project import ProjectConfig, find_root, make_engine, read_config
from ..store.speakers import list_warnings


@dataclass(frozen=True)
class Finding:
    check: str
    result: str  # ok | warning | problem
    detail: str

    def as_dict(self) -> dict:
        return asdict(self)


def _codebook(config: ProjectConfig) -> tuple[list[Finding], set[str] | None]:
    from ..codebook import load_codebook
    from ..codebook.merge import merge_codebooks
    from ..engine.compile import check_rules

    if not config.codebooks:
        return [Finding("codebook", "problem", "qualcode.toml names no codebook: add codebooks = [\"FILE.yaml\"]")], None
    try:
        books = [load_codebook(p) for p in config.codebook_paths()]
        for book in books:
            check_rules(book)
        book = merge_codebooks(books)
    except QualcodeError as exc:
        return [Finding("codebook", "problem", line) for line in str(exc).splitlines()], None
    groups = {g for c in book.walk() for g in c.groups}
    detail = (f"{', '.join(config.codebooks)}: {len(book.domains)} domain(s), {len(book.codes())} code(s), "
              f"{book.rule_count()} rule(s)")
    return [Finding("codebook", "ok", detail)], groups


def _roster(config: ProjectConfig):
    from ..ingest.roster import read_roster

    if not config.roster:
        return [Finding("roster", "warning", "qualcode.toml names no roster: quotes cannot be attributed "
                                              "and --group/--by cannot select participants")], None
    try:
        roster = read_roster(config.roster_path())
    except QualcodeError as exc:
        return [Finding("roster", "problem", line) for line in str(exc).splitlines()], None
    groups = sorted({p.group for p in roster.participants})
    detail = f"{config.roster}: {len(roster.participants)} participant(s) in {', '.join(groups) or 'no group'}"
    return [Finding("roster", "ok", detail)], roster


def _groups(code_groups: set[str] | None, roster) -> list[Finding]:
    if not code_groups or roster is None:
        return []
    missing = sorted(code_groups - {p.group for p in roster.participants})
    if not missing:
        return [Finding("groups", "ok", f"every group the codebook names is in the roster: {', '.join(sorted(code_groups))}")]
    return [Finding("groups", "warning", f"the codebook restricts codes to group(s) no participant is in: "
                                         f"{', '.join(missing)} (a typo in 'groups:' or in the roster?)")]


def _store(config: ProjectConfig) -> tuple[list[Finding], sa.Engine | None]:
    url = config.store_url()
    shown = url.split("@")[-1] if "@" in url else url   # never print a password
    try:
        engine = make_engine(url)
        with engine.connect() as conn:
            version = current_version(conn)
    except (QualcodeError, sa.exc.SQLAlchemyError) as exc:
        reason = getattr(exc, "orig", None) or exc
        return [Finding("store", "problem", f"cannot open {shown}: {reason}")], None
    if version > LATEST:
        return [Finding("store", "problem", f"schema {version} is newer than this qualcode ({LATEST}): "
                                            "upgrade qualcode")], None
    if version < LATEST:
        return [Finding("store", "warning", f"schema {version}; the next command upgrades it to {LATEST} "
                                            "(back up .qualcode/ first if you share it)")], engine
    return [Finding("store", "ok", f"{shown}: schema {version} (current)")], engine


def _transcripts(engine: sa.Engine, roster) -> list[Finding]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(s.transcripts.c.id, s.transcripts.c.name, s.participants.c.pid,
                                      s.participants.c.grp)
                            .select_from(s.transcripts.outerjoin(s.participants))
                            .order_by(s.transcripts.c.name)).all()
        speakers = conn.execute(sa.select(s.turns.c.transcript_id, s.turns.c.speaker)
                                .where(s.turns.c.is_participant.is_(True)).distinct()).all()
    if not rows:
        return [Finding("transcripts", "warning", "none imported yet: qualcode import FILES")]
    found = [Finding("transcripts", "ok", f"{len(rows)} imported")]
    orphans = [r.name for r in rows if r.pid is None or not r.grp
               or (roster is not None and roster.get(r.grp, r.pid) is None)]
    if orphans:
        found.append(Finding("transcripts", "warning", f"{len(orphans)} with no participant in the roster "
                                                       f"(no attribution, no group): {_few(orphans)}"))
    if roster is not None:
        have = {Path(r.name).stem for r in rows} | {r.name for r in rows}
        waiting = sorted(stem for stem in roster.transcript_map if stem not in have)
        if waiting:
            found.append(Finding("transcripts", "warning",
                                 f"{len(waiting)} named in the roster but not imported: {_few(waiting)}"))
    found += _speakers(rows, speakers)
    return found + _open_warnings(engine)


def _open_warnings(engine: sa.Engine) -> list[Finding]:
    """Import warnings nobody has resolved yet (they are also shown by status and transcripts show)."""
    with engine.connect() as conn:
        rows = list_warnings(conn)
    if not rows:
        return [Finding("import warnings", "ok", "none open")]
    per: dict[str, int] = defaultdict(int)
    for row in rows:
        per[row.transcript] += 1
    where = _few([f"{name} ({n})" for name, n in sorted(per.items())])
    return [Finding("import warnings", "warning",
                    f"{len(rows)} open in {len(per)} transcript(s): {where}; read them with "
                    "`qualcode transcripts show NAME`, then fix the file and import it again, or "
                    "`qualcode transcripts resolve NAME`")]


def _speakers(rows, speakers) -> list[Finding]:
    """Transcripts whose participant turns come from more than one speaker label, or from none."""
    labels: dict[int, set[str]] = defaultdict(set)
    for transcript_id, speaker in speakers:
        labels[transcript_id].add(speaker)
    names = {r.id: r.name for r in rows}
    mixed = [f"{names[t]} ({', '.join(sorted(x or '(no label)' for x in v))})"
             for t, v in sorted(labels.items()) if len(v) > 1 or "" in v]
    if not mixed:
        return [Finding("speakers", "ok", "each transcript's coded turns come from one participant speaker")]
    return [Finding("speakers", "warning", "coded turns from several speakers or none, without an interviewer "
                                           f"role: {_few(mixed)} (check the speaker labels)")]


def _models() -> list[Finding]:
    try:
        from ..engine.nlp import make_nlp

        nlp = make_nlp()
        lemma = nlp("Therapists listened")[1].lemma_
    except Exception as exc:  # noqa: BLE001 - any failure here means autocode cannot run
        return [Finding("models", "problem", f"the spaCy pipeline cannot be built offline: {exc}")]
    note = "" if lemma == "listen" else f" (but 'listened' lemmatised to {lemma!r}: is spacy-lookups-data installed?)"
    return [Finding("models", "ok" if not note else "warning",
                    f"spaCy blank English pipeline with the lookup lemmatizer; no download needed{note}")]


def _few(items: list[str], n: int = 5) -> str:
    return ", ".join(items[:n]) + (f" and {len(items) - n} more" if len(items) > n else "")


def diagnose(start: Path | None = None) -> tuple[Path, list[Finding]]:
    """Every finding for the project at or above ``start``."""
    root = find_root(start)
    config = read_config(root)
    findings, code_groups = _codebook(config)
    roster_findings, roster = _roster(config)
    findings += roster_findings + _groups(code_groups, roster)
    store_findings, engine = _store(config)
    findings += store_findings
    if engine is not None:
        findings += _transcripts(engine, roster)
    return root, findings + _models()
