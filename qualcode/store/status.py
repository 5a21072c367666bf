"""A short numeric summary of a project."""
from __future__ import annotations

from .project import Project
from .sql import fetch, one_value

COUNTS = (
    ("transcripts", "SELECT count(*) FROM transcripts", {}),
    ("participants", "SELECT count(*) FROM participants", {}),
    ("turns", "SELECT count(*) FROM turns", {}),
    ("interviewer turns", "SELECT coalesce(sum(turns), 0) FROM transcript_speakers WHERE role = :role",
     {"role": "interviewer"}),
    ("non-speech segments", "SELECT count(*) FROM turns WHERE speaker = :empty AND is_participant = :no",
     {"empty": "", "no": False}),
    ("import warnings open", "SELECT count(*) FROM transcript_warnings WHERE resolved_at IS NULL", {}),
    ("words", "SELECT coalesce(sum(words), 0) FROM transcripts", {}),
)


def project_status(project: Project) -> list[dict]:
    with project.connect() as conn:
        rows = [{"what": what, "count": int(one_value(conn, q, params) or 0)} for what, q, params in COUNTS]
        for coder, status, n in fetch(conn, "SELECT coder, status, count(*) FROM codings GROUP BY coder, status "
                                            "ORDER BY coder, status"):
            rows.append({"what": f"codings {coder} {status}", "count": n})
    return rows
