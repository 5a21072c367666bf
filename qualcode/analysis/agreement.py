"""Inter-coder agreement over coded units (pure: records in, report out; no database).

A record is ``(unit, coder, code)``. ``code`` None or "" means "this coder saw the unit and applied
nothing"; a coder with no record for a unit did not see it (missing). See docs/methods.md for the
framing of every figure. The formulas live in ``agreement_stats`` (written here, not imported: the
PyPI ``krippendorff`` package is GPL-3.0-or-later, which does not fit qualcode's MIT licence).
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Hashable, Iterable, NamedTuple

from qualcode.analysis.agreement_stats import (
    KappaDetail,
    agreement_fraction,
    alpha_fraction,
    cohen_kappa,
    cohen_kappa_from_table,
    kappa_detail,
    krippendorff_alpha,
    percent_agreement,
)
from qualcode.errors import AgreementError, Problem

__all__ = [
    "AgreementReport", "CodeAgreement", "DomainAgreement", "OverallAgreement", "CodingRecord",
    "KappaDetail", "NONE_LABEL", "POOLED_METHOD", "compute_agreement", "report_to_dict",
    "read_codings_csv", "cohen_kappa", "cohen_kappa_from_table", "kappa_detail",
    "krippendorff_alpha", "percent_agreement",
]

NONE_LABEL = "(none)"  # the category "applied none of these codes" in the nominal framings
RELIABLE, TENTATIVE = Fraction(4, 5), Fraction(667, 1000)  # Krippendorff's 0.800 and 0.667

POOLED_METHOD = (
    "mean_code_alpha: unweighted mean of the per-code binary Krippendorff's alpha over the codes whose "
    "alpha is defined (applied at least once and not by every coder on every unit); "
    "pooled_alpha: nominal Krippendorff's alpha over all unit x code present/absent decisions stacked "
    "(every listed code, including codes never used); "
    "pooled_cohen_kappa: Cohen's kappa over the same stacked decisions (exactly two coders only); "
    "pooled_percent_agreement: pairwise percent agreement over the same stacked decisions."
)


class _NoCode:
    """Sentinel value for "applied none of these codes"; cannot collide with a code id."""

    def __repr__(self) -> str:
        return NONE_LABEL


_NO_CODE = _NoCode()


class CodingRecord(NamedTuple):
    unit: str
    coder: str
    code: str | None  # None: saw the unit, applied nothing


@dataclass
class CodeAgreement:
    code: str
    units: int  # pairable units: seen by at least two coders
    percent_agreement: float | None  # 0-100
    cohen_kappa: float | None  # exactly two coders only
    krippendorff_alpha: float | None  # nominal, on present/absent
    status: str  # "ok", "never used", "always used" or "no units"
    below_0_667: bool | None  # None when alpha is undefined
    below_0_800: bool | None
    used: dict[Any, int] = field(default_factory=dict)  # coder -> pairable units they applied it to


@dataclass
class DomainAgreement:
    domain: str
    codes: list[str]
    units: int  # pairable units used
    units_skipped: int  # pairable units where a coder applied two or more of the domain's codes
    percent_agreement: float | None
    krippendorff_alpha: float | None  # nominal over the domain's codes and "(none)"
    status: str  # "ok", "never used", "no variation" or "no units"
    below_0_667: bool | None
    below_0_800: bool | None


@dataclass
class OverallAgreement:
    pooled_method: str
    mean_code_alpha: float | None
    codes_in_mean: int
    pooled_alpha: float | None
    pooled_cohen_kappa: float | None
    pooled_percent_agreement: float | None
    decisions: int  # pairable units x codes
    below_0_667: bool | None  # on mean_code_alpha
    below_0_800: bool | None


@dataclass
class AgreementReport:
    coders: list[Any]
    units_total: int  # units seen by any coder
    units: int  # pairable units (seen by two or more coders)
    units_single_coder: int  # seen by one coder only: not pairable, left out
    codes: list[CodeAgreement]
    krippendorff_alpha_nominal: float | None
    nominal_note: str  # why krippendorff_alpha_nominal is None, else ""
    domains: list[DomainAgreement]
    overall: OverallAgreement
    ignored_codes: list[str] = field(default_factory=list)  # applied in records but not in ``codes``


def _flags(alpha: Fraction | None) -> tuple[bool | None, bool | None]:
    if alpha is None:
        return None, None
    return alpha < TENTATIVE, alpha < RELIABLE


def _float(value: Fraction | None, scale: int = 1) -> float | None:
    return None if value is None else float(value * scale)


def _status(units: list[list[Any]], alpha: Fraction | None, absent: Any, constant: str) -> str:
    if not units:
        return "no units"
    if alpha is not None:
        return "ok"
    return "never used" if all(v == absent for values in units for v in values) else constant


def compute_agreement(
    records: Iterable[tuple[Hashable, Hashable, str | None]],
    codes: list[str] | None = None,
    coders: list[Hashable] | None = None,
    domains: dict[str, list[str]] | None = None,
) -> AgreementReport:
    """Agreement per code, over code values, per domain and overall; see docs/methods.md.

    ``codes``: the codes to report on (default: every code applied in ``records`` or listed in
    ``domains``); codes applied but not listed are ignored and named in ``ignored_codes``.
    ``coders``: the coders to compare (default: every coder in ``records``); others are ignored.
    ``domains``: domain label -> its code ids (each must be among ``codes`` when ``codes`` is given).
    """
    seen: dict[Hashable, dict[Hashable, set[str]]] = defaultdict(dict)  # unit -> coder -> codes
    all_coders: list[Hashable] = []
    for record in records:
        try:
            unit, coder, code = record
        except (TypeError, ValueError):
            raise AgreementError(f"a coding record is (unit, coder, code); got {record!r}") from None
        if coders is not None and coder not in coders:
            continue
        if coder not in all_coders:
            all_coders.append(coder)
        applied = seen[unit].setdefault(coder, set())
        if code is not None and code != "":
            applied.add(code)
    coder_list = list(dict.fromkeys(coders)) if coders is not None else sorted(all_coders, key=str)
    if len(coder_list) < 2:
        raise AgreementError(f"agreement needs at least two coders; got {len(coder_list)}: {coder_list}")

    applied_codes = {c for by_coder in seen.values() for cs in by_coder.values() for c in cs}
    domain_map = {str(k): list(v) for k, v in (domains or {}).items()}
    if codes is None:
        domain_codes = {c for cs in domain_map.values() for c in cs}
        code_list = sorted(applied_codes | domain_codes, key=str)
    else:
        code_list = list(dict.fromkeys(codes))
        for label, members in domain_map.items():
            unknown = [c for c in members if c not in code_list]
            if unknown:
                raise AgreementError(f"domain {label!r} lists codes that are not analysed: {', '.join(map(str, unknown))}")
    listed = set(code_list)
    ignored = sorted(applied_codes - listed, key=str)

    pairable = sorted((u for u, by_coder in seen.items() if len(by_coder) >= 2), key=str)
    # per pairable unit: the listed codes each coder applied (coders who did not see it are absent)
    grid = [{coder: seen[u][coder] & listed for coder in coder_list if coder in seen[u]} for u in pairable]

    code_rows, code_alphas, stacked, stacked_pairs = [], [], [], []
    for code in code_list:
        units = [[int(code in cs) for cs in by_coder.values()] for by_coder in grid]
        stacked.extend(units)
        alpha = alpha_fraction(units)
        code_alphas.append(alpha)
        kappa = None
        if len(coder_list) == 2:
            pairs = [(int(code in by_coder[coder_list[0]]), int(code in by_coder[coder_list[1]])) for by_coder in grid]
            stacked_pairs.extend(pairs)
            kappa = cohen_kappa([a for a, _ in pairs], [b for _, b in pairs])
        low, below = _flags(alpha)
        code_rows.append(CodeAgreement(
            code=code, units=len(units), percent_agreement=_float(agreement_fraction(units), 100),
            cohen_kappa=kappa, krippendorff_alpha=_float(alpha),
            status=_status(units, alpha, 0, "always used"), below_0_667=low, below_0_800=below,
            used={coder: sum(1 for by_coder in grid if code in by_coder.get(coder, ())) for coder in coder_list},
        ))

    multi = [(u, coder) for u, by_coder in zip(pairable, grid) for coder, cs in by_coder.items() if len(cs) > 1]
    if multi:
        nominal, note = None, f"not computed: {len(multi)} unit/coder pair(s) carry two or more codes (first: coder {multi[0][1]!r} on unit {multi[0][0]!r})"
    elif not grid:
        nominal, note = None, "not computed: no unit was seen by two or more coders"
    else:
        values = [[next(iter(cs)) if cs else _NO_CODE for cs in by_coder.values()] for by_coder in grid]
        exact = alpha_fraction(values)
        nominal, note = _float(exact), "" if exact is not None else "undefined: every coder gave every unit the same value"

    domain_rows = []
    for label, members in domain_map.items():
        wanted, units, skipped = set(members), [], 0
        for by_coder in grid:
            chosen = [cs & wanted for cs in by_coder.values()]
            if any(len(cs) > 1 for cs in chosen):
                skipped += 1
            else:
                units.append([next(iter(cs)) if cs else _NO_CODE for cs in chosen])
        alpha = alpha_fraction(units)
        low, below = _flags(alpha)
        domain_rows.append(DomainAgreement(
            domain=label, codes=list(members), units=len(units), units_skipped=skipped,
            percent_agreement=_float(agreement_fraction(units), 100), krippendorff_alpha=_float(alpha),
            status=_status(units, alpha, _NO_CODE, "no variation"), below_0_667=low, below_0_800=below,
        ))

    exact_defined = [a for a in code_alphas if a is not None]  # exact, so the flags below are exact
    mean_alpha = sum(exact_defined, Fraction(0)) / len(exact_defined) if exact_defined else None
    low, below = _flags(mean_alpha)
    pooled_kappa = None
    if len(coder_list) == 2 and stacked_pairs:
        pooled_kappa = cohen_kappa([a for a, _ in stacked_pairs], [b for _, b in stacked_pairs])
    overall = OverallAgreement(
        pooled_method=POOLED_METHOD, mean_code_alpha=_float(mean_alpha), codes_in_mean=len(exact_defined),
        pooled_alpha=_float(alpha_fraction(stacked)), pooled_cohen_kappa=pooled_kappa,
        pooled_percent_agreement=_float(agreement_fraction(stacked), 100), decisions=len(stacked),
        below_0_667=low, below_0_800=below,
    )
    return AgreementReport(
        coders=coder_list, units_total=len(seen), units=len(pairable),
        units_single_coder=len(seen) - len(pairable), codes=code_rows,
        krippendorff_alpha_nominal=nominal, nominal_note=note, domains=domain_rows, overall=overall,
        ignored_codes=ignored,
    )


def report_to_dict(report: AgreementReport) -> dict[str, Any]:
    """The report as a JSON-ready dict with a stable shape (full float precision; round for display)."""
    return {
        "coders": [str(c) for c in report.coders],
        "units_total": report.units_total,
        "units": report.units,
        "units_single_coder": report.units_single_coder,
        "codes": [
            {
                "code": r.code, "units": r.units, "percent_agreement": r.percent_agreement,
                "cohen_kappa": r.cohen_kappa, "krippendorff_alpha": r.krippendorff_alpha,
                "status": r.status, "below_0_667": r.below_0_667, "below_0_800": r.below_0_800,
                "used": {str(c): n for c, n in r.used.items()},
            }
            for r in report.codes
        ],
        "krippendorff_alpha_nominal": report.krippendorff_alpha_nominal,
        "nominal_note": report.nominal_note,
        "domains": [
            {
                "domain": d.domain, "codes": list(d.codes), "units": d.units, "units_skipped": d.units_skipped,
                "percent_agreement": d.percent_agreement, "krippendorff_alpha": d.krippendorff_alpha,
                "status": d.status, "below_0_667": d.below_0_667, "below_0_800": d.below_0_800,
            }
            for d in report.domains
        ],
        "overall": {
            "pooled_method": report.overall.pooled_method,
            "mean_code_alpha": report.overall.mean_code_alpha,
            "codes_in_mean": report.overall.codes_in_mean,
            "pooled_alpha": report.overall.pooled_alpha,
            "pooled_cohen_kappa": report.overall.pooled_cohen_kappa,
            "pooled_percent_agreement": report.overall.pooled_percent_agreement,
            "decisions": report.overall.decisions,
            "below_0_667": report.overall.below_0_667,
            "below_0_800": report.overall.below_0_800,
        },
        "ignored_codes": list(report.ignored_codes),
    }


def _fail(path: Path, line: int | None, message: str) -> AgreementError:
    return AgreementError(f"{path}: {message}", [Problem(str(path), line, None, message)])


def read_codings_csv(path: str | Path) -> list[CodingRecord]:
    """Read codings from CSV with columns ``unit,coder,code`` (header required, any case, extra
    columns ignored): one row per code a coder applied to a unit; an empty code means the coder saw
    the unit and applied nothing. Raises ``AgreementError`` naming the file and line."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _fail(path, None, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _fail(path, line, f"not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header, header_line = None, 0
        for row in reader:
            if row and any(cell.strip() for cell in row):
                header, header_line = row, reader.line_num
                break
        if header is None:
            raise _fail(path, None, "empty file; expected a header row unit,coder,code")
        names = [h.strip().lower() for h in header]
        missing = [c for c in ("unit", "coder", "code") if c not in names]
        if missing:
            raise _fail(path, header_line, f"missing column(s) {', '.join(missing)}; the header needs unit,coder,code (got {','.join(header)})")
        col = {c: names.index(c) for c in ("unit", "coder", "code")}
        records: list[CodingRecord] = []
        line = reader.line_num
        for row in reader:
            start, line = line + 1, reader.line_num
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                raise _fail(path, start, f"{len(row)} fields but the header has {len(header)}; quote values that contain commas")
            cells = {c: (row[i].strip() if i < len(row) else "") for c, i in col.items()}
            for c in ("unit", "coder"):
                if not cells[c]:
                    raise _fail(path, start, f"empty {c}")
            records.append(CodingRecord(cells["unit"], cells["coder"], cells["code"] or None))
    except csv.Error as exc:
        raise _fail(path, reader.line_num, f"malformed CSV: {exc}") from None
    coders = sorted({r.coder for r in records})
    if len(coders) < 2:
        raise _fail(path, None, f"agreement needs at least two coders; found {len(coders)}: {', '.join(coders) or 'none'}")
    return records
