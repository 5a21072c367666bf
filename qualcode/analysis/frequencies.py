"""Code frequencies and participant-by-code tabulations from a codings DataFrame.

``codings`` has one row per coding: ``segment`` (the coded unit's key, e.g. "yp-D3:12"),
``code`` (code id) and ``participant`` (a stable participant key, e.g. "young/D3"), usually also
``group`` and participant attributes, and for references ``transcript``, ``start``, ``end`` (or a
ready-made ``ref``). ``participants`` is the roster: ``participant``, ``group``, ``role``, attributes.
"""
from __future__ import annotations

from typing import Iterable, Mapping

import pandas as pd

MISSING = "(missing)"
_CODING_KEYS = ("segment", "code", "participant")


def _require(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        has = ", ".join(map(str, frame.columns))
        raise ValueError(f"{what} lacks column(s) {', '.join(missing)}; has {has}")


def _sort_key(value) -> tuple:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, float(value), "")
    return (1, 0.0, str(value))


def _roster_with(codings: pd.DataFrame, participants: pd.DataFrame, by: str) -> pd.DataFrame:
    """``participant, by`` for everyone in the roster plus anyone coded but not on it (their
    value taken from ``codings`` when it has the column); unknown values become ``MISSING``."""
    roster = participants[["participant", by]] if by in participants.columns else \
        participants[["participant"]].assign(**{by: None})
    roster = roster.drop_duplicates("participant")
    extra = codings.loc[~codings["participant"].isin(roster["participant"])]
    if by in codings.columns:
        extra = extra[["participant", by]]
    else:
        extra = extra[["participant"]].assign(**{by: None})
    both = pd.concat([roster, extra.drop_duplicates("participant")], ignore_index=True)
    both[by] = both[by].astype(object).where(both[by].notna(), MISSING)
    return both


def frequencies(codings: pd.DataFrame, participants: pd.DataFrame, by: str | None = "group", *,
                codes: Iterable[str] | None = None) -> pd.DataFrame:
    """Per code (and per value of ``by``): ``segments`` (distinct coded segments), ``participants``
    (distinct participants coded), ``participants_total`` (participants with that ``by`` value)
    and ``percent_participants`` (0-100, one decimal).

    ``by``: "group", "role" or any attribute column of ``participants`` (or ``codings``); None for
    one row per code over everyone. ``codes``: the codes to report and their order (codes never
    applied get zero rows); default: every coded code, sorted. Every code x value combination
    appears, zeros included. Raises ValueError for an unknown ``by``, naming the available ones.
    """
    _require(codings, _CODING_KEYS, "codings")
    _require(participants, ["participant"], "participants")
    key = by if by is not None else "_all"
    if by is not None:
        available = sorted((set(participants.columns) | set(codings.columns)) - set(_CODING_KEYS))
        if by not in available or by in _CODING_KEYS:
            names = ", ".join(map(str, available))
            raise ValueError(f"unknown column {by!r} to group by; available: {names}")
        roster = _roster_with(codings, participants, by)
    else:
        roster = pd.concat([participants[["participant"]], codings[["participant"]]]) \
            .drop_duplicates("participant").assign(_all="all")
    code_list = list(codes) if codes is not None else sorted(codings["code"].dropna().unique(), key=str)
    values = sorted(roster[key].unique(), key=_sort_key)

    coded = codings[list(_CODING_KEYS)].merge(roster, on="participant", how="left")
    grouped = coded.groupby(["code", key])
    index = pd.MultiIndex.from_product([code_list, values], names=["code", key])
    result = pd.DataFrame({
        "segments": grouped["segment"].nunique().reindex(index, fill_value=0),
        "participants": grouped["participant"].nunique().reindex(index, fill_value=0),
    })
    totals = roster.groupby(key)["participant"].nunique()
    result["participants_total"] = result.index.get_level_values(key).map(totals).astype(int)
    share = result["participants"] / result["participants_total"].where(result["participants_total"] > 0)
    result["percent_participants"] = (share * 100).fillna(0.0).round(1)
    result = result.reset_index().astype({"segments": int, "participants": int})
    return result.drop(columns="_all") if by is None else result


def _participant_order(codings: pd.DataFrame, participants: pd.DataFrame) -> pd.DataFrame:
    """``participant, group`` rows in roster order (then coded-only participants), grouped by
    group in order of first appearance."""
    cols = ["participant", "group"]
    roster = participants.reindex(columns=cols)
    extra = codings.reindex(columns=cols)
    rows = pd.concat([roster, extra], ignore_index=True).drop_duplicates("participant")
    rows["group"] = rows["group"].fillna("")
    group_rank = {g: i for i, g in enumerate(dict.fromkeys(rows["group"]))}
    rows["_rank"] = rows["group"].map(group_rank)
    return rows.sort_values("_rank", kind="stable").drop(columns="_rank")


def codes_by_participants(codings: pd.DataFrame, participants: pd.DataFrame | None = None, *,
                          codes: Iterable[str] | None = None) -> pd.DataFrame:
    """Distinct coded segments per participant (rows, grouped by group) and code (columns)."""
    _require(codings, _CODING_KEYS, "codings")
    roster = participants if participants is not None else pd.DataFrame(columns=["participant"])
    order = _participant_order(codings, roster)
    code_list = list(codes) if codes is not None else sorted(codings["code"].dropna().unique(), key=str)
    counts = codings.groupby(["participant", "code"])["segment"].nunique().unstack(fill_value=0)
    counts = counts.reindex(index=order["participant"], columns=code_list, fill_value=0).fillna(0)
    return counts.astype(int).rename_axis(index="participant", columns="code")


def _reference(row) -> str:
    if "ref" in row and isinstance(row["ref"], str) and row["ref"]:
        return row["ref"]
    if all(k in row for k in ("transcript", "start", "end")) and pd.notna(row["start"]):
        return f"[{row['transcript']} {int(row['start'])}-{int(row['end'])}]"
    return f"[{row['segment']}]"


def framework_matrix(codings: pd.DataFrame, participants: pd.DataFrame,
                     summaries: Mapping[tuple[str, str], str] | None = None, *,
                     codes: Iterable[str] | None = None, max_refs: int | None = None) -> pd.DataFrame:
    """A framework-analysis matrix: rows ``(group, participant)`` in roster order grouped by group,
    columns codes, each cell the summary ``summaries[(participant, code)]`` (if any) followed on a
    new line by references to the coded passages, e.g. "[yp-D3 120-180] [yp-D3 410-455]"
    (a ``ref`` column, else transcript/start/end, else the segment key). ``max_refs`` caps the
    references per cell, adding "+N more". Empty cells are "".
    """
    _require(codings, _CODING_KEYS, "codings")
    summaries = summaries or {}
    order = _participant_order(codings, participants)
    code_list = list(codes) if codes is not None else sorted(codings["code"].dropna().unique(), key=str)
    sort_cols = [c for c in ("transcript", "start") if c in codings.columns]
    refs: dict[tuple[str, str], list[str]] = {}
    ordered = codings.sort_values(sort_cols, kind="stable") if sort_cols else codings
    for row in ordered.to_dict("records"):
        cell_refs = refs.setdefault((row["participant"], row["code"]), [])
        ref = _reference(row)
        if ref not in cell_refs:
            cell_refs.append(ref)
    records = []
    for participant in order["participant"]:
        cells = []
        for code in code_list:
            parts = []
            if summaries.get((participant, code)):
                parts.append(str(summaries[(participant, code)]).strip())
            cell_refs = refs.get((participant, code), [])
            if max_refs is not None and len(cell_refs) > max_refs:
                cell_refs = cell_refs[:max_refs] + [f"+{len(cell_refs) - max_refs} more"]
            if cell_refs:
                parts.append(" ".join(cell_refs))
            cells.append("\n".join(parts))
        records.append(cells)
    index = pd.MultiIndex.from_arrays([order["group"].tolist(), order["participant"].tolist()],
                                      names=["group", "participant"])
    return pd.DataFrame(records, index=index, columns=pd.Index(code_list, name="code"), dtype=object)
