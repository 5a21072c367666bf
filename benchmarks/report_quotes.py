"""Seconds to write a 10,000-quote table (25 subthemes in 5 domains) to .docx. Prints, never asserts.

Run: .venv/bin/python benchmarks/report_quotes.py
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qualcode.analysis.quote_table import DomainBlock, Quote, QuoteTable, SubthemeRow  # noqa: E402
from qualcode.reports.quotes_docx import write_quotes_docx  # noqa: E402

QUOTES, DOMAINS, SUBTHEMES_PER_DOMAIN = 10_000, 5, 5
TEXT = ("I think keeping in touch and meeting face to face, even monthly, helped me trust "
        "my counsellor and say what was really going on.")


def build() -> QuoteTable:
    per_sub = QUOTES // (DOMAINS * SUBTHEMES_PER_DOMAIN)
    domains = []
    for d in range(DOMAINS):
        subs = []
        for s in range(SUBTHEMES_PER_DOMAIN):
            quotes = [Quote(f"{TEXT} ({d}.{s}.{q})", f"Respondent D{q % 9 + 1}", participant=f"D{q}",
                            group="young", transcript=f"yp-D{q}", start=q * 10, end=q * 10 + 120,
                            suggested=q % 7 == 0)
                      for q in range(per_sub)]
            subs.append(SubthemeRow(f"d{d}s{s}", f"Subtheme {d}.{s}", quotes))
        domains.append(DomainBlock(f"d{d}", f"Domain {d}", subs))
    return QuoteTable("Table 3", domains, subtitle="Benchmark")


def main() -> None:
    table = build()
    with tempfile.TemporaryDirectory() as tmp:
        for label, kwargs in (("portrait", {}), ("landscape", {"landscape": True})):
            path = Path(tmp) / f"{label}.docx"
            t0 = time.perf_counter()
            write_quotes_docx(table, path, **kwargs)
            seconds = time.perf_counter() - t0
            print(f"write_quotes_docx {QUOTES} quotes ({label}): {seconds:.2f} s, "
                  f"{path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()


def project_benchmark() -> None:
    """The whole `report quotes` on a project with 10,000 accepted codings: store query, quote
    selection and text trimming, and the Word writer."""
    import shutil

    from qualcode.coding.csv_exchange import import_codings_csv  # noqa: F401  (keeps the import path warm)
    from qualcode.importing import import_files
    from qualcode.reports.service import quotes_report
    from qualcode.store import init_project
    from qualcode.store.codings import insert_codings
    from qualcode.store.transcripts import all_turns, list_transcripts

    repo = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(repo / "codebooks", root / "codebooks")
        files = root / "files"
        files.mkdir()
        sources = sorted((repo / "transcripts").glob("yp-*.txt"))
        copies = 0
        while copies * len(sources) < 600:
            for p in sources:
                shutil.copy(p, files / f"{p.stem}-{copies:03d}{p.suffix}")
            copies += 1
        project = init_project(root, codebooks=["codebooks/working-alliance.yaml"])
        import_files(project, sorted(files.iterdir()), group="young-person")
        book = project.codebook()
        codes = [c.id for c in book.for_group("young-person")]
        with project.engine.begin() as conn:
            texts = {t.id: t.text for t in list_transcripts(conn)}
            rows = []
            for tid, turns in all_turns(conn).items():
                for u in turns:
                    if u.is_participant and len(rows) < 10_000:
                        rows.append(dict(transcript_id=tid, start=u.start, end=u.end, snippet=texts[tid][u.start:u.end],
                                         code_id=codes[len(rows) % len(codes)], coder="analyst", origin="manual",
                                         status="accepted", exemplar=len(rows) % 50 == 0))
            insert_codings(conn, rows)
        t0 = time.perf_counter()
        result = quotes_report(project, root / "table.docx", fmt="docx", group="young-person")
        seconds = time.perf_counter() - t0
        print(f"report quotes on a project with {len(rows):,} accepted codings ({result.quotes:,} quotes, "
              f"{result.rows} subtheme rows): {seconds:.2f} s   (target <= 3 s)")


if __name__ == "__main__":
    project_benchmark()
