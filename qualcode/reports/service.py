"""From a project to report files: selects the data (analysis) and hands it to the writers.

The CLI calls these; each returns what it wrote or the rows to print.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..analysis.quote_select import select_quotes
from ..analysis.quote_table import quote_count
from ..errors import CodingError, QualcodeError
from ..store.codings import set_summary
from ..store.project import Project
from ..store.transcripts import list_participants, participant_ids
from .quotes_text import write_quotes_csv, write_quotes_html, write_quotes_md

# pandas, numpy, python-docx, openpyxl and matplotlib are imported by the functions that use them, so that
# `report quotes` (the everyday report) starts quickly.


@dataclass
class QuotesResult:
    quotes: int
    rows: int
    warnings: list[str] = field(default_factory=list)


def quotes_report(project: Project, output: Path, *, fmt: str, group: str | None, codebook_path: Path | None = None,
                  domains: list[str] | None = None, max_quotes: int | None = None, include_suggested: bool = False,
                  coder: str | None = None, title: str | None = None, subtitle: str | None = None,
                  landscape: bool = False, reference_docx: Path | None = None, tidy: bool = False) -> QuotesResult:
    book = project.codebook(codebook_path)
    selection = select_quotes(project, book, group=group, domains=domains, max_quotes=max_quotes,
                              include_suggested=include_suggested, coder=coder, title=title, subtitle=subtitle,
                              tidy=tidy)
    table = selection.table
    if not table.domains:
        raise QualcodeError(f"no domain of the codebook applies to group {group!r}" if group else "the codebook has no domains")
    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "docx":
        from .quotes_docx import write_quotes_docx

        write_quotes_docx(table, output, landscape=landscape, reference_docx=reference_docx,
                          paper=project.config.paper)
    elif fmt == "xlsx":
        from .quotes_xlsx import write_quotes_xlsx

        write_quotes_xlsx(table, output, paper=project.config.paper)
    else:
        {"md": write_quotes_md, "csv": write_quotes_csv, "html": write_quotes_html}[fmt](table, output)
    return QuotesResult(quote_count(table), sum(len(d.subthemes) for d in table.domains), selection.warnings)


def _labels(project: Project) -> dict[str, str]:
    try:
        return {c.id: c.label for c in project.codebook().walk()}
    except QualcodeError:
        return {}


def _code_order(project: Project, group: str | None, used: set[str]) -> list[str]:
    try:
        book = project.codebook()
    except QualcodeError:
        return sorted(used)
    ordered = [c.id for c in book.for_group(group)]
    return ordered + sorted(used - set(ordered))


def _statuses(include_suggested: bool) -> tuple[str, ...]:
    return ("accepted", "suggested") if include_suggested else ("accepted",)


def frequencies_report(project: Project, *, by: str, group: str | None = None, coder: str | None = None,
                       include_suggested: bool = False) -> tuple[list[dict], list[str]]:
    from ..analysis.frames import codings_frame, participants_frame
    from ..analysis.frequencies import frequencies

    codings = codings_frame(project, group=group, coder=coder, statuses=_statuses(include_suggested))
    people = participants_frame(project, group=group)
    codes = _code_order(project, group, set(codings["code"]))
    try:
        if by != "group" and "group" in people.columns and people["group"].nunique() > 1:
            frame = _within_groups(project, codings, people, by, codes)
        else:
            frame = frequencies(codings, people, by=by, codes=codes)
    except ValueError as exc:
        raise QualcodeError(f"cannot tabulate by {by!r}: {exc}") from None
    if by == "group":  # a code limited to some groups has no row for the others
        try:
            book = project.codebook()
            applies = [book.get(c) is None or book.get(c).applies_to(g) for c, g in zip(frame["code"], frame["group"])]
            frame = frame[applies].reset_index(drop=True)
        except QualcodeError:
            pass
    labels = _labels(project)
    frame.insert(1, "label", [labels.get(c, c) for c in frame["code"]])
    rows = frame.to_dict(orient="records")
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()} for r in rows], list(frame.columns)


def _within_groups(project: Project, codings, people, by: str, codes: list[str]):
    """``--by ATTRIBUTE`` within each participant group: a young people's code is counted over young
    people with that attribute value, never over every participant (clinicians included)."""
    import pandas as pd

    from ..analysis.frequencies import frequencies

    try:
        book = project.codebook()
    except QualcodeError:
        book = None
    frames = []
    for group in sorted(people["group"].dropna().unique(), key=str):
        mine = [c for c in codes if book is None or book.get(c) is None or book.get(c).applies_to(group)]
        frame = frequencies(codings[codings["group"] == group], people[people["group"] == group], by=by, codes=mine)
        frame.insert(1, "group", group)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def cooccurrence_report(project: Project, *, group: str | None = None, coder: str | None = None) -> tuple[list[dict], list[str]]:
    from ..analysis.cooccurrence import cooccurrence
    from ..analysis.frames import codings_frame

    codings = codings_frame(project, group=group, coder=coder)
    codes = _code_order(project, group, set(codings["code"]))
    counts, c = cooccurrence(codings, codes=codes)
    rows = []
    for i, a in enumerate(counts.index):
        for b in counts.columns[i + 1:]:
            n12 = int(counts.loc[a, b])
            if n12:
                rows.append(dict(code_a=a, code_b=b, n_a=int(counts.loc[a, a]), n_b=int(counts.loc[b, b]), n12=n12,
                                 c=round(float(c.loc[a, b]), 4)))
    rows.sort(key=lambda r: (-r["c"], -r["n12"]))
    return rows, ["code_a", "code_b", "n_a", "n_b", "n12", "c"]


def matrix_report(project: Project, output: Path, *, fmt: str, group: str | None = None, coder: str | None = None) -> int:
    """Write the Framework Method chart (one table or sheet per theme); returns the participant rows written."""
    from ..analysis.framework import framework_matrices
    from .matrix import write_matrix_csv, write_matrix_docx, write_matrix_xlsx

    matrices = framework_matrices(project, project.codebook(), group=group, coder=coder)
    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "docx":
        write_matrix_docx(matrices, output, paper=project.config.paper)
    elif fmt == "xlsx":
        write_matrix_xlsx(matrices, output, paper=project.config.paper)
    else:
        write_matrix_csv(matrices, output)
    return len({(r.group, r.participant) for m in matrices for r in m.rows})


def figures_report(project: Project, output_dir: Path, *, fmt: str, group: str | None = None,
                   coder: str | None = None) -> list[Path]:
    """Heatmaps per group (one file per figure and group, e.g. ``cooccurrence-young-person.png``):
    ``group`` draws only that one; without it every group with codings gets its own files (groups
    coded with different codes and people never share a figure)."""
    from ..analysis.frames import participants_frame

    people = participants_frame(project, group=group)
    groups = [group] if group else [g for g in dict.fromkeys(people["group"]) if g] if not people.empty else []
    paths: list[Path] = []
    output_dir.mkdir(parents=True, exist_ok=True)
    for g in groups or [None]:
        paths += _group_figures(project, output_dir, fmt=fmt, group=g, coder=coder)
    if not paths:
        raise QualcodeError("no accepted codings to draw" + (f" for group {group!r}" if group else ""))
    return paths


def _group_figures(project: Project, output_dir: Path, *, fmt: str, group: str | None, coder: str | None) -> list[Path]:
    from ..analysis.cooccurrence import cooccurrence
    from ..analysis.frames import codings_frame, participants_frame
    from ..analysis.frequencies import codes_by_participants
    from .figures import heatmap_codes_by_participants, heatmap_cooccurrence

    codings = codings_frame(project, group=group, coder=coder)
    if codings.empty:
        return []
    people = participants_frame(project, group=group)
    codes = _code_order(project, group, set(codings["code"]))
    labels = _labels(project)
    suffix = f"-{group}" if group else ""
    title = f" ({project.config.groups.get(group, {}).get('subtitle', group)})" if group else ""
    first = output_dir / f"codes-by-participant{suffix}.{fmt}"
    counts = codes_by_participants(codings, people, codes=codes)
    label_of = dict(zip(people["participant"], people["label"])) if not people.empty else {}
    counts.index = [label_of.get(i[1] if isinstance(i, tuple) else i, i[1] if isinstance(i, tuple) else i) for i in counts.index]
    heatmap_codes_by_participants(counts, first, code_labels=labels, title=f"Coded segments per participant and code{title}")
    second = output_dir / f"cooccurrence{suffix}.{fmt}"
    n, c = cooccurrence(codings, codes=[x for x in codes if x in set(codings["code"])])
    heatmap_cooccurrence(c, second, counts=n, code_labels=labels,
                         title=f"Code co-occurrence{title}: c-coefficient, or n = segments coded with both")
    return [first, second]


def set_participant_summary(project: Project, participant: str, code: str, text: str, *, group: str | None,
                            author: str) -> None:
    book = project.codebook()
    if book.get(code) is None:
        raise CodingError(f"unknown code {code!r}")
    with project.engine.begin() as conn:
        matches = [p for p in list_participants(conn) if p.pid == participant and (group is None or p.group == group)]
        if not matches:
            raise CodingError(f"no participant {participant!r}" + (f" in group {group!r}" if group else ""))
        if len(matches) > 1:
            raise CodingError(f"participant {participant!r} exists in groups {', '.join(p.group for p in matches)}; "
                              "say which with --group")
        ids = participant_ids(conn)
        set_summary(conn, participant_id=ids[matches[0].key], code_id=code, text=text, author=author)
