"""Evaluate the codebook's rules against a human coder's codings in the project, at turn level."""
from __future__ import annotations

from ..codebook.model import Codebook
from ..model import ParsedTranscript
from ..store.project import Project
from ..store.codings import query_codings
from ..store.transcripts import all_turns, list_transcripts


def evaluate_against(project: Project, book: Codebook, coder: str, *, statuses=("accepted",),
                     only_coded_turns: bool = False):
    """Tag every participant turn of the transcripts ``coder`` coded and compare with their codings.

    A human coding counts for every participant turn it overlaps. With ``only_coded_turns``, only the
    turns the coder coded are compared (for a partial gold standard, e.g. a paper's published quotes).
    Returns the engine's ``EvalReport`` with ``coded_turns`` and ``all_turns`` set (how partial the gold is).
    """
    from ..engine.evaluate import evaluate

    transcripts, turns, units, gold = gold_units(project, book, coder, statuses)
    predicted = rule_predictions(book, transcripts, turns)
    coded = {unit for unit, _ in gold}
    if only_coded_turns:
        predicted = {p for p in predicted if p[0] in coded}
    report = evaluate(predicted, gold, book, [u for u in units if u in coded] if only_coded_turns else units)
    report.coded_turns, report.all_turns = len(coded), len(units)
    return report


def gold_units(project: Project, book: Codebook, coder: str, statuses=("accepted",)):
    """The transcripts ``coder`` coded, every turn, the participant-turn keys ("name#idx") and the
    gold (unit key, code) pairs from the coder's codings."""
    with project.engine.connect() as conn:
        gold_rows = query_codings(conn, coder=coder, status=list(statuses))
        coded_ids = {c.transcript_id for c in gold_rows}
        transcripts = [t for t in list_transcripts(conn) if t.id in coded_ids]
        turns = all_turns(conn)
    known = set(book.ids())
    gold: set[tuple[str, str]] = set()
    units: list[str] = []
    by_transcript: dict[int, list] = {}
    for t in transcripts:
        by_transcript[t.id] = [u for u in turns.get(t.id, []) if u.is_participant]
        units += [f"{t.name}#{u.index}" for u in by_transcript[t.id]]
    for c in gold_rows:
        if c.code_id not in known:
            continue
        for u in by_transcript.get(c.transcript_id, []):
            if c.start < u.end and c.end > u.start:
                gold.add((f"{c.transcript}#{u.index}", c.code_id))
    return transcripts, turns, units, gold


def rule_predictions(book: Codebook, transcripts, turns) -> set[tuple[str, str]]:
    """(unit key, code) pairs the rules suggest on every turn of ``transcripts``."""
    from ..engine.tagger import Tagger, turn_units

    tagger = Tagger(book)
    jobs = [(t.text, turn_units(ParsedTranscript(t.name, t.text, turns.get(t.id, []), t.source_format)), t.grp or None)
            for t in transcripts]
    predicted: set[tuple[str, str]] = set()
    for t, results in zip(transcripts, tagger.tag_batch(jobs)):
        for res in results:
            for s in res.suggestions:
                predicted.add((f"{t.name}#{res.unit.index}", s.code_id))
    return predicted


def report_rows(report, book: Codebook) -> dict:
    """A JSON-ready view of an ``EvalReport``: rows per code and domain, the errors, a summary line."""
    def row(level: str, node_id: str, s) -> dict:
        node = book.get(node_id)
        return dict(level=level, id=node_id, label=node.label if node else node_id, tp=s.tp, fp=s.fp, fn=s.fn,
                    precision=round(s.precision, 3), recall=round(s.recall, 3), f1=round(s.f1, 3))

    rows = [row("code", cid, s) for cid, s in report.per_code.items() if s.tp + s.fp + s.fn]
    rows += [row("domain", did, s) for did, s in report.per_domain.items() if s.tp + s.fp + s.fn]
    errors = [dict(kind="fp", unit=str(u), code=c) for c, us in report.false_positives.items() for u in us]
    errors += [dict(kind="fn", unit=str(u), code=c) for c, us in report.false_negatives.items() for u in us]
    m, d = report.micro, report.domain_micro
    summary = (f"{report.units} units; code micro P/R/F1 {m.precision:.3f}/{m.recall:.3f}/{m.f1:.3f}, "
               f"macro F1 {report.macro_f1:.3f}; domain micro F1 {d.f1:.3f}; "
               f"{report.negatives_uncoded}/{report.negatives} units without a code left uncoded "
               f"({100 * report.negatives_uncoded_share:.1f} %)")
    return {"rows": rows, "errors": errors, "summary": summary,
            "micro": dict(precision=m.precision, recall=m.recall, f1=m.f1),
            "domain_micro": dict(precision=d.precision, recall=d.recall, f1=d.f1),
            "negatives": report.negatives, "negatives_uncoded": report.negatives_uncoded}
