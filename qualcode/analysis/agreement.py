"""Inter-coder agreement over coded units (pure: records in, report out; no database).

A record is ``(unit, coder, code)``. ``code`` None or "" means "this coder saw the unit and applied
nothing"; a coder with no record for a unit did not see it (missing). See docs/methods.md for the
framing of every figure. The formulas live in ``agreement_stats`` (written here, not imported: the
PyPI ``krippendorff`` package is GPL-3.0-or-later, which does not fit qualcode's MIT licence).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Hashable, Iterable, NamedTuple

import numpy as np

from qualcode.analysis.agreement_stats import (
    KappaDetail,
    cohen_kappa,
    cohen_kappa_from_table,
    fleiss_from_totals,
    fleiss_kappa,
    kappa_detail,
    krippendorff_alpha,
    percent_agreement,
)
from qualcode.analysis.agreement_tally import (agreement_from_pairs, alpha_from_pairs, binary_as_pairs, binary_pairs,
                                               used_any, value_pairs)
from qualcode.errors import AgreementError, Problem
from qualcode.textio import csv_reader

__all__ = [
    "AgreementReport", "CodeAgreement", "DomainAgreement", "OverallAgreement", "CodingRecord",
    "KappaDetail", "NONE_LABEL", "POOLED_METHOD", "SingleLabelAgreement", "compute_agreement", "report_to_dict",
    "read_codings_csv", "cohen_kappa", "cohen_kappa_from_table", "fleiss_kappa", "kappa_detail",
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


SINGLE_LABEL_WHY = (
    "every coder gave at most one code per unit, so the codes (with '(none)') are one nominal variable and "
    "one figure describes the coding: nominal alpha, with Cohen's kappa (two coders) or Fleiss' kappa (more) "
    "and percent agreement; the per-code figures treat each code as its own present/absent decision"
)
MULTI_LABEL_WHY = (
    "some coder gave two or more codes to a unit, so each code is its own present/absent decision: "
    "the headline is the mean of the per-code alphas"
)


@dataclass
class SingleLabelAgreement:
    """Agreement over code values when every coder gave at most one code per unit (the headline then)."""

    units: int  # pairable units
    krippendorff_alpha: float | None  # nominal, over the codes and "(none)"
    percent_agreement: float | None  # pairwise, over code values
    kappa_name: str  # "cohen_kappa" (two coders) or "fleiss_kappa" (three or more)
    kappa: float | None
    kappa_units: int  # units in the kappa: Fleiss' needs every coder to have seen the unit
    below_0_667: bool | None  # on alpha
    below_0_800: bool | None
    why: str = SINGLE_LABEL_WHY


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
    single_label: SingleLabelAgreement | None = None  # when each coder gave at most one code per unit

    @property
    def headline(self) -> str:
        """Which figure leads: "single_label" (codes as one nominal variable) or "mean_code_alpha"."""
        return "single_label" if self.single_label is not None else "mean_code_alpha"

    @property
    def headline_why(self) -> str:
        return SINGLE_LABEL_WHY if self.single_label is not None else MULTI_LABEL_WHY


def _flags(alpha: Fraction | None) -> tuple[bool | None, bool | None]:
    if alpha is None:
        return None, None
    return alpha < TENTATIVE, alpha < RELIABLE


def _float(value: Fraction | None, scale: int = 1) -> float | None:
    return None if value is None else float(value * scale)


@dataclass
class _Records:
    """The records as integer arrays: one row per record of a compared coder."""

    units: list[Hashable]  # in order of first appearance
    coders: list[Hashable]  # the compared coders, in report order
    codes: list[Any]  # every code applied, in order of first appearance
    unit: np.ndarray
    coder: np.ndarray  # index into ``coders``
    code: np.ndarray  # index into ``codes``; -1 for "saw the unit, applied nothing"


def _read_records(records: Iterable[tuple[Hashable, Hashable, str | None]],
                  coders: list[Hashable] | None) -> _Records:
    wanted = None if coders is None else set(coders)
    unit_ix: dict[Hashable, int] = {}
    coder_ix: dict[Hashable, int] = {}
    code_ix: dict[Any, int] = {}
    us: list[int] = []
    cs: list[int] = []
    ks: list[int] = []
    for record in records:
        try:
            unit, coder, code = record
        except (TypeError, ValueError):
            raise AgreementError(f"a coding record is (unit, coder, code); got {record!r}") from None
        if wanted is not None and coder not in wanted:
            continue
        us.append(unit_ix.setdefault(unit, len(unit_ix)))
        cs.append(coder_ix.setdefault(coder, len(coder_ix)))
        ks.append(-1 if code is None or code == "" else code_ix.setdefault(code, len(code_ix)))
    coder_list = list(dict.fromkeys(coders)) if coders is not None else sorted(coder_ix, key=str)
    if len(coder_list) < 2:
        raise AgreementError(f"agreement needs at least two coders; got {len(coder_list)}: {coder_list}")
    column = np.array([coder_list.index(c) for c in coder_ix], dtype=np.int64)
    return _Records(list(unit_ix), coder_list, list(code_ix), np.array(us, dtype=np.int64),
                    column[np.array(cs, dtype=np.int64)] if cs else np.zeros(0, dtype=np.int64),
                    np.array(ks, dtype=np.int64))


def _code_list(applied: list[Any], codes: list[str] | None,
               domain_map: dict[str, list[str]]) -> tuple[list[Any], list[Any]]:
    """The codes to report on and the applied codes left out (``ignored_codes``)."""
    if codes is None:
        domain_codes = {c for cs in domain_map.values() for c in cs}
        code_list = sorted(set(applied) | domain_codes, key=str)
    else:
        code_list = list(dict.fromkeys(codes))
        for label, members in domain_map.items():
            unknown = [c for c in members if c not in code_list]
            if unknown:
                raise AgreementError(f"domain {label!r} lists codes that are not analysed: {', '.join(map(str, unknown))}")
    listed = set(code_list)
    return code_list, sorted(set(applied) - listed, key=str)


@dataclass
class _Grid:
    """Pairable units (seen by two or more coders, in the order of ``str(unit)``) and who applied what."""

    units: list[Hashable]
    coders: list[Hashable]
    codes: list[Any]
    units_total: int
    sizes: np.ndarray  # per pairable unit: how many coders saw it
    unit: np.ndarray  # distinct (unit, coder, code) applications on pairable units, listed codes only
    coder: np.ndarray
    code: np.ndarray

    def count(self, index: np.ndarray, n: int, shape: tuple[int, ...], keep: np.ndarray | None = None) -> np.ndarray:
        weights = None if keep is None else keep.astype(np.int64)
        return np.bincount(index, weights=weights, minlength=n).astype(np.int64).reshape(shape)

    def ones(self, keep: np.ndarray | None = None) -> np.ndarray:
        """Units x codes: how many coders applied each code (only applications where ``keep``)."""
        p, k = len(self.units), len(self.codes)
        return self.count(self.unit * k + self.code, p * k, (p, k), keep)

    def per_coder(self, keep: np.ndarray | None = None) -> np.ndarray:
        """Units x coders: how many listed codes (where ``keep``) each coder applied."""
        p, c = len(self.units), len(self.coders)
        return self.count(self.unit * c + self.coder, p * c, (p, c), keep)


def _grid(recs: _Records, code_list: list[Any]) -> _Grid:
    n_units, n_coders, n_codes = len(recs.units), len(recs.coders), len(code_list)
    seen = np.zeros((n_units, n_coders), dtype=bool)
    seen[recs.unit, recs.coder] = True
    sizes = seen.sum(axis=1)
    pairable = sorted((u for u in range(n_units) if sizes[u] >= 2), key=lambda u: str(recs.units[u]))
    position = np.full(n_units, -1, dtype=np.int64)
    position[pairable] = np.arange(len(pairable))
    col = {c: i for i, c in enumerate(code_list)}
    listed = np.array([col.get(c, -1) for c in recs.codes] + [-1], dtype=np.int64)[recs.code]  # -1 -> -1
    keep = (listed >= 0) & (position[recs.unit] >= 0)
    key = np.unique((position[recs.unit[keep]] * n_coders + recs.coder[keep]) * n_codes + listed[keep])
    return _Grid([recs.units[u] for u in pairable], recs.coders, code_list, n_units,
                 sizes[pairable].astype(np.int64), key // (n_coders * n_codes), (key // n_codes) % n_coders,
                 key % n_codes)


def _kappa_tables(grid: _Grid, ones: np.ndarray) -> list[list[list[int]]] | None:
    """Per code, the 2 x 2 table of the two coders' present/absent decisions (None unless two coders)."""
    if len(grid.coders) != 2:
        return None
    first = grid.ones(grid.coder == 0)
    both, only_first = (ones == 2).sum(axis=0), ((first == 1) & (ones == 1)).sum(axis=0)
    only_second = ((first == 0) & (ones == 1)).sum(axis=0)
    neither = len(grid.units) - both - only_first - only_second
    return [[[int(neither[k]), int(only_second[k])], [int(only_first[k]), int(both[k])]]
            for k in range(len(grid.codes))]


def _code_rows(grid: _Grid) -> tuple[list[CodeAgreement], list[Fraction | None], dict[int, np.ndarray], Any]:
    """Per code: binary present/absent agreement. Also returns the exact alphas, the pair tallies and the
    kappa tables, for the pooled figures."""
    ones = grid.ones()
    binary = binary_pairs(ones, grid.sizes)
    tables = _kappa_tables(grid, ones)
    used = grid.count(grid.coder * len(grid.codes) + grid.code, len(grid.coders) * len(grid.codes),
                      (len(grid.coders), len(grid.codes)))
    rows, alphas = [], []
    for k, code in enumerate(grid.codes):
        pairs = binary_as_pairs(binary, k)
        alpha = alpha_from_pairs(pairs)
        alphas.append(alpha)
        low, below = _flags(alpha)
        status = "no units" if not grid.units else "ok" if alpha is not None else (
            "always used" if used_any(pairs, 0) else "never used")
        rows.append(CodeAgreement(
            code=code, units=len(grid.units), percent_agreement=_float(agreement_from_pairs(pairs, len(grid.units)), 100),
            cohen_kappa=cohen_kappa_from_table(tables[k]) if tables else None, krippendorff_alpha=_float(alpha),
            status=status, below_0_667=low, below_0_800=below,
            used={coder: int(used[c, k]) for c, coder in enumerate(grid.coders)},
        ))
    return rows, alphas, binary, tables


def _value_counts(grid: _Grid, members: list[int], keep: np.ndarray) -> np.ndarray:
    """Units (where ``keep``) x (members, then "(none)"): how many coders gave each value."""
    chosen = grid.ones()[keep][:, members]
    return np.column_stack([chosen, grid.sizes[keep] - chosen.sum(axis=1)])


def _single_label(grid: _Grid, counts: np.ndarray | None, pairs) -> SingleLabelAgreement | None:
    """Nominal alpha, Cohen's or Fleiss' kappa and percent agreement over code values (``counts``:
    units x values, from ``_nominal``); None when some coder gave a unit two or more codes."""
    if counts is None:
        return None
    alpha = alpha_from_pairs(pairs)
    values = counts.shape[1]
    if len(grid.coders) == 2:
        chosen = np.full((len(grid.units), 2), values - 1, dtype=np.int64)  # "(none)" unless a code
        chosen[grid.unit, grid.coder] = grid.code
        table = np.bincount(chosen[:, 0] * values + chosen[:, 1], minlength=values * values)
        name, kappa, kappa_units = "cohen_kappa", cohen_kappa_from_table(table.reshape(values, values).tolist()), \
            len(grid.units)
    else:
        complete = counts[grid.sizes == len(grid.coders)]
        name, kappa_units = "fleiss_kappa", len(complete)
        kappa = _float(fleiss_from_totals(len(complete), len(grid.coders), int((complete * complete).sum()),
                                          complete.sum(axis=0).tolist()))
    low, below = _flags(alpha)
    return SingleLabelAgreement(units=len(grid.units), krippendorff_alpha=_float(alpha),
                                percent_agreement=_float(agreement_from_pairs(pairs, len(grid.units)), 100),
                                kappa_name=name, kappa=kappa, kappa_units=kappa_units, below_0_667=low,
                                below_0_800=below)


def _nominal(grid: _Grid) -> tuple[float | None, str, np.ndarray | None, Any]:
    """Nominal alpha over code values (with "(none)"), when each coder gave at most one code per unit;
    also returns the value counts and their pairs, for the single-label statistics."""
    multi = np.argwhere(grid.per_coder() > 1)
    if len(multi):
        unit, coder = multi[0]
        return None, (f"not computed: {len(multi)} unit/coder pair(s) carry two or more codes "
                      f"(first: coder {grid.coders[coder]!r} on unit {grid.units[unit]!r})"), None, None
    if not grid.units:
        return None, "not computed: no unit was seen by two or more coders", None, None
    counts = _value_counts(grid, list(range(len(grid.codes))), np.ones(len(grid.units), dtype=bool))
    pairs = value_pairs(counts)
    exact = alpha_from_pairs(pairs)
    note = "" if exact is not None else "undefined: every coder gave every unit the same value"
    return _float(exact), note, counts, pairs


def _domain_rows(grid: _Grid, domain_map: dict[str, list[str]]) -> list[DomainAgreement]:
    """Per domain: nominal agreement over its codes and "(none)", skipping units where a coder applied
    two or more of them."""
    col = {c: i for i, c in enumerate(grid.codes)}
    rows = []
    for label, members in domain_map.items():
        cols = [col[c] for c in members]
        inside = np.isin(grid.code, cols)
        keep = (grid.per_coder(inside) <= 1).all(axis=1)
        pairs = value_pairs(_value_counts(grid, cols, keep))
        units = int(keep.sum())
        alpha = alpha_from_pairs(pairs)
        low, below = _flags(alpha)
        status = "no units" if not units else "ok" if alpha is not None else (
            "no variation" if used_any(pairs, len(cols)) else "never used")
        rows.append(DomainAgreement(
            domain=label, codes=list(members), units=units, units_skipped=len(grid.units) - units,
            percent_agreement=_float(agreement_from_pairs(pairs, units), 100), krippendorff_alpha=_float(alpha),
            status=status, below_0_667=low, below_0_800=below,
        ))
    return rows


def _overall(grid: _Grid, alphas: list[Fraction | None], binary: dict[int, np.ndarray], tables) -> OverallAgreement:
    """Mean of the defined per-code alphas, and the figures over all unit x code decisions stacked."""
    defined = [a for a in alphas if a is not None]  # exact, so the flags below are exact
    mean_alpha = sum(defined, Fraction(0)) / len(defined) if defined else None
    low, below = _flags(mean_alpha)
    decisions = len(grid.units) * len(grid.codes)
    stacked = binary_as_pairs(binary) if grid.codes else {}
    pooled_kappa = None
    if tables and decisions:
        pooled_kappa = cohen_kappa_from_table([[sum(t[a][b] for t in tables) for b in (0, 1)] for a in (0, 1)])
    return OverallAgreement(
        pooled_method=POOLED_METHOD, mean_code_alpha=_float(mean_alpha), codes_in_mean=len(defined),
        pooled_alpha=_float(alpha_from_pairs(stacked)), pooled_cohen_kappa=pooled_kappa,
        pooled_percent_agreement=_float(agreement_from_pairs(stacked, decisions), 100), decisions=decisions,
        below_0_667=low, below_0_800=below,
    )


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
    recs = _read_records(records, coders)
    domain_map = {str(k): list(v) for k, v in (domains or {}).items()}
    code_list, ignored = _code_list(recs.codes, codes, domain_map)
    grid = _grid(recs, code_list)
    code_rows, alphas, binary, tables = _code_rows(grid)
    nominal, note, counts, pairs = _nominal(grid)
    return AgreementReport(
        coders=grid.coders, units_total=grid.units_total, units=len(grid.units),
        units_single_coder=grid.units_total - len(grid.units), codes=code_rows,
        krippendorff_alpha_nominal=nominal, nominal_note=note, domains=_domain_rows(grid, domain_map),
        overall=_overall(grid, alphas, binary, tables), ignored_codes=ignored,
        single_label=_single_label(grid, counts, pairs),
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
        "headline": report.headline,
        "headline_why": report.headline_why,
        "single_label": _single_label_dict(report.single_label),
    }


def _single_label_dict(single: SingleLabelAgreement | None) -> dict[str, Any] | None:
    if single is None:
        return None
    return {"units": single.units, "krippendorff_alpha": single.krippendorff_alpha,
            "percent_agreement": single.percent_agreement, "kappa_name": single.kappa_name, "kappa": single.kappa,
            "kappa_units": single.kappa_units, "below_0_667": single.below_0_667, "below_0_800": single.below_0_800}


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
    reader = csv_reader(text)
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
