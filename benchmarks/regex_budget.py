"""What the regex time budget costs: the bundled study tagged with and without it.

The bundled codebook has no regex rules, so the budget cannot cost it anything; to measure the
budget itself, this adds a code with ten ordinary regex rules (word stems, alternations, optional
words, digits) to it and tags every bundled transcript, in interleaved rounds:

  (a) as shipped: each regex rule runs with the ``regex`` package's timeout (REGEX_BUDGET per transcript),
  (b) the same ``regex`` patterns without a timeout,
  (c) the bundled codebook as shipped (no regex rules), for scale.

Figures are CPU seconds, best of the rounds (robust on a busy machine).
Run:  .venv/bin/python benchmarks/regex_budget.py [--copies 10] [--rounds 5]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REGEXES = [r"\btherap\w*", r"\bcounsel+or\b", r"\b(every|each) (week|month|day)\b", r"\bi (really )?trust\b",
           r"\b\d{1,2} years? old\b", r"\bsafe (space|place)\b", r"\b(mum|mom|mother|father|dad)\b",
           r"\bfelt (heard|understood)\b", r"\b(?:not )?judg(e|ed|ing|ment)\b", r"\bgoals?\b"]


def codebook_with_regexes(tmp: Path):
    from qualcode.codebook.load import load_codebook

    text = (ROOT / "codebooks/working-alliance.yaml").read_text(encoding="utf-8")
    rules = "".join(f"          - regex: '{rx}'\n" for rx in REGEXES)
    marker = "    codes:\n"
    at = text.index(marker) + len(marker)
    extra = f"      - id: bench-regex\n        label: Regex benchmark\n        rules:\n{rules}"
    path = tmp / "codebook.yaml"
    path.write_text(text[:at] + extra + text[at:], encoding="utf-8")
    return load_codebook(path)


def jobs(copies: int):
    from qualcode.engine.tagger import turn_units
    from qualcode.ingest.read import read_transcript

    parsed = [read_transcript(p) for p in sorted((ROOT / "transcripts").iterdir())
              if p.suffix in (".txt", ".docx", ".vtt", ".srt")]
    return [(p.text, turn_units(p), "young-person" if p.name.startswith("yp") else "clinician")
            for p in parsed] * copies


def no_timeout(rx, text, budget):
    for m in rx.finditer(text):
        if m.end() > m.start():
            yield m.start(), m.end()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=10, help="copies of the bundled transcripts")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    import qualcode.engine.tagger as tagger_mod
    from qualcode.codebook.load import load_codebook
    from qualcode.engine.nlp import make_nlp

    with_budget = tagger_mod.search_all
    todo = jobs(args.copies)
    nlp = make_nlp()
    with tempfile.TemporaryDirectory() as tmp:
        regex_tagger = tagger_mod.Tagger(codebook_with_regexes(Path(tmp)), nlp)
    plain_tagger = tagger_mod.Tagger(load_codebook(ROOT / "codebooks/working-alliance.yaml"), nlp)

    def run(tagger, search) -> tuple[float, int]:
        tagger_mod.search_all = search
        c0 = time.process_time()
        n = sum(len(r.suggestions) for res in tagger.tag_batch(todo) for r in res)
        return time.process_time() - c0, n

    run(regex_tagger, with_budget)  # warm-up
    times: dict[str, list[float]] = {"a": [], "b": [], "c": []}
    counts = {}
    for _ in range(args.rounds):
        for key, tagger, search in (("a", regex_tagger, with_budget), ("b", regex_tagger, no_timeout),
                                    ("c", plain_tagger, with_budget)):
            t, counts[key] = run(tagger, search)
            times[key].append(t)
    tagger_mod.search_all = with_budget
    best = {k: min(v) for k, v in times.items()}
    print(f"{len(todo)} transcripts ({args.copies} copies of the bundled study), best of {args.rounds} rounds, CPU s")
    print(f"(a) +10 regex rules, with the time budget:    {best['a']:.3f} s  {counts['a']} suggestions")
    print(f"(b) +10 regex rules, no timeout:              {best['b']:.3f} s  {counts['b']} suggestions")
    print(f"(c) bundled codebook as shipped (no regexes): {best['c']:.3f} s  {counts['c']} suggestions")
    print(f"budget cost (a)/(b): {best['a'] / best['b']:.3f}x;  all rounds a={[round(t, 3) for t in times['a']]} "
          f"b={[round(t, 3) for t in times['b']]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
