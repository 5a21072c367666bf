"""Seconds to write a 10,000-quote table (25 subthemes in 5 domains) to .docx. Prints, never asserts.

Run: .venv/bin/python benchmarks/report_quotes.py
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qualcode.reports.quote_table import DomainBlock, Quote, QuoteTable, SubthemeRow  # noqa: E402
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
