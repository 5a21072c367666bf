"""Inter-coder agreement on a project's double-coded transcripts.

Which transcripts, coders and units: ``qualcode.team.units``; the statistics:
``qualcode.analysis.agreement.compute_agreement`` (see docs/methods.md).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from ..analysis.agreement import AgreementReport, compute_agreement, report_to_dict
from ..codebook.model import Codebook
from ..errors import AgreementError
from ..store.project import Project
from ..coding.blind import record_agreement_computed
from .units import DEFAULT_STATUSES, Comparison, code_units, compare


@dataclass
class ProjectAgreement:
    report: AgreementReport
    unit: str
    statuses: tuple[str, ...]
    comparison: Comparison
    labels: dict[str, str] = field(default_factory=dict)  # code or domain id -> label

    @property
    def notes(self) -> list[str]:
        return self.comparison.notes


def select_codes(book: Codebook, groups: set[str], codes: list[str] | None) -> tuple[list[str], dict[str, list[str]]]:
    """The codes to report on, in codebook order, and the domains holding them.

    Default: every code (below the domains) that applies to a group of the compared transcripts.
    ``codes`` may name codes or domains (a domain stands for all its codes)."""
    if codes:
        wanted: list[str] = []
        for cid in codes:
            node = book.get(cid)
            if node is None:
                hint = difflib.get_close_matches(cid, book.ids(), n=3)
                raise AgreementError(f"unknown code {cid!r}" + (f" (did you mean {', '.join(hint)}?)" if hint else
                                                               " (see 'qualcode codebook show')"))
            wanted += [c.id for c in node.walk() if c.parent is not None] if node.parent is None else [node.id]
        chosen = set(wanted)
        code_list = [c.id for c in book.codes() if c.id in chosen]
    else:
        code_list = [c.id for c in book.codes() if not groups or any(c.applies_to(g or None) for g in groups)]
    listed = set(code_list)
    domains = {}
    for d in book.domains:
        members = [c.id for c in d.walk() if c.parent is not None and c.id in listed]
        if members:
            domains[d.id] = members
    return code_list, domains


def project_agreement(project: Project, *, coders: list[str] | None = None, unit: str = "turn",
                      codes: list[str] | None = None, statuses: tuple[str, ...] = DEFAULT_STATUSES,
                      group: str | None = None, record: bool = True) -> ProjectAgreement:
    """Agreement of ``coders`` (default: every human coder) on the sample (or, without one, on the
    transcripts two or more of them coded). Records ``agreement_computed_at`` (ends blind hiding)."""
    book = project.codebook()
    with project.engine.connect() as conn:
        comparison = compare(conn, coders, group)
        coded = code_units(conn, comparison, unit=unit, statuses=statuses)
    groups = {t.grp for t in comparison.transcripts}
    code_list, domains = select_codes(book, groups, codes)
    partial = [c for c in code_list if (node := book.get(c)) and node.groups and not groups <= set(node.groups)]
    if partial and len(groups) > 1:
        comparison.notes.append(f"{len(partial)} code(s) apply only to some of the groups {', '.join(sorted(groups))}: "
                                "they count as not applied on the other groups' units; use --group to compare "
                                "one group at a time")
    if not code_list:
        raise AgreementError("no codes to compare: the codebook has no code for these transcripts' groups")
    report = compute_agreement(coded.records(), codes=code_list, coders=comparison.coders, domains=domains)
    if record:
        record_agreement_computed(project)
    labels = {c.id: c.label for c in book.walk()}
    return ProjectAgreement(report, unit, tuple(statuses), comparison, labels)


def agreement_dict(result: ProjectAgreement) -> dict[str, Any]:
    """``report_to_dict`` plus what was compared: unit, statuses, transcripts and notes."""
    return report_to_dict(result.report) | {
        "unit": result.unit,
        "statuses": list(result.statuses),
        "transcript_source": result.comparison.source,
        "transcripts": [t.name for t in result.comparison.transcripts],
        "notes": list(result.notes),
    }


def _single_label_row(report: AgreementReport) -> list[dict[str, Any]]:
    single = report.single_label
    if single is None:
        return []
    cohen = single.kappa_name == "cohen_kappa"
    return [dict(level="single_label", name="code_values",
                 label=f"headline: nominal alpha, {'Cohen' if cohen else 'Fleiss'}' kappa and percent agreement over "
                       "code values (each coder gave at most one code per unit)",
                 units=single.units, percent_agreement=single.percent_agreement,
                 cohen_kappa=single.kappa if cohen else None, krippendorff_alpha=single.krippendorff_alpha,
                 status="headline", below_0_667=single.below_0_667, below_0_800=single.below_0_800,
                 fleiss_kappa=None if cohen else single.kappa)]


def agreement_rows(report: AgreementReport, labels: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Flat rows for CSV output: the single-label headline (when it applies), then code, domain, overall.
    The headline row has status "headline"."""
    labels = labels or {}
    rows = _single_label_row(report)
    rows += [dict(level="code", name=r.code, label=labels.get(r.code, ""), units=r.units,
                  percent_agreement=r.percent_agreement, cohen_kappa=r.cohen_kappa,
                  krippendorff_alpha=r.krippendorff_alpha, status=r.status, below_0_667=r.below_0_667,
                  below_0_800=r.below_0_800) for r in report.codes]
    rows += [dict(level="domain", name=d.domain, label=labels.get(d.domain, ""), units=d.units,
                  percent_agreement=d.percent_agreement, cohen_kappa=None, krippendorff_alpha=d.krippendorff_alpha,
                  status=d.status, below_0_667=d.below_0_667, below_0_800=d.below_0_800) for d in report.domains]
    o = report.overall
    rows.append(dict(level="overall", name="mean_code_alpha", label=f"mean of {o.codes_in_mean} code alphas",
                     units=report.units, percent_agreement=None, cohen_kappa=None, krippendorff_alpha=o.mean_code_alpha,
                     status="headline" if report.single_label is None else "", below_0_667=o.below_0_667,
                     below_0_800=o.below_0_800))
    rows.append(dict(level="overall", name="pooled", label=f"{o.decisions} unit x code decisions", units=report.units,
                     percent_agreement=o.pooled_percent_agreement, cohen_kappa=o.pooled_cohen_kappa,
                     krippendorff_alpha=o.pooled_alpha, status="", below_0_667=None, below_0_800=None))
    return rows


AGREEMENT_COLUMNS = ["level", "name", "label", "units", "percent_agreement", "cohen_kappa", "krippendorff_alpha",
                     "status", "below_0_667", "below_0_800", "fleiss_kappa"]
