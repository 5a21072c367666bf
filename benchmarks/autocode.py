"""Autocode speed and memory at about 1 million words.

Builds a corpus by copying the bundled transcripts (renamed) until it holds ~1M words, imports it
into a fresh project, then measures, each in its own process so peak memory is its own:

  (a) spaCy tokenization alone (nlp.tokenizer.pipe) of the same texts autocode reads: the
      participant turns of every transcript (joined by blank lines, as the tagger reads them),
  (b) the whole `autocode` (rules engine + store writes),
  (c) a second `autocode` with the codebook unchanged.

Prints words per second, the ratio (b)/(a), peak RSS of (b), and (c) as a share of (b).
Run:  .venv/bin/python benchmarks/autocode.py [--words 1000000]
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def build(folder: Path, words: int) -> int:
    from qualcode.ingest.read import read_transcript
    from qualcode.store import init_project
    from qualcode.store.transcripts import count_words

    sources = sorted(p for ext in ("txt", "docx", "vtt") for p in (REPO / "transcripts").glob(f"*.{ext}"))
    per_round = sum(count_words(read_transcript(p).text) for p in sources)
    rounds = max(1, round(words / per_round))
    files = folder / "files"
    files.mkdir()
    for r in range(rounds):
        for p in sources:
            shutil.copy(p, files / f"{p.stem}-copy{r:03d}{p.suffix}")
    shutil.copy(REPO / "codebooks" / "working-alliance.yaml", folder / "codebook.yaml")
    init_project(folder, codebooks=["codebook.yaml"])
    return rounds


def phase(folder: Path, which: str) -> dict:
    from qualcode.store import open_project
    from qualcode.store.transcripts import list_transcripts

    project = open_project(folder, search=False)
    with project.engine.connect() as conn:
        transcripts = list_transcripts(conn)
    words = sum(t.words for t in transcripts)
    if which == "tokenize-full":
        from qualcode.engine.nlp import make_nlp
        nlp = make_nlp()
        texts = [t.text for t in transcripts]
        start = time.perf_counter()
        for _ in nlp.tokenizer.pipe(texts, batch_size=256):
            pass
        seconds = time.perf_counter() - start
    elif which == "tokenize":
        # the same texts autocode reads: every participant turn (interviewer turns are never coded)
        from qualcode.engine.nlp import make_nlp
        from qualcode.store.transcripts import all_turns
        nlp = make_nlp()
        with project.engine.connect() as conn:
            turns = all_turns(conn)
        # exactly what the tagger tokenizes: each transcript's participant turns joined by blank lines
        texts = ["\n\n".join(t.text[u.start:u.end] for u in turns.get(t.id, []) if u.is_participant)
                 for t in transcripts]
        start = time.perf_counter()
        for _ in nlp.tokenizer.pipe(texts, batch_size=256):
            pass
        seconds = time.perf_counter() - start
    else:
        from qualcode.coding.autocode import autocode
        from qualcode.engine.nlp import make_nlp
        book = project.codebook()
        start = time.perf_counter()
        make_nlp()  # the pipeline and lookup tables load once per process, as (a) loads them before timing
        load_s = time.perf_counter() - start
        start = time.perf_counter()
        result = autocode(project, book)
        seconds = time.perf_counter() - start
        words = words if result.tagged else words
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "words": words, "rss_mb": rss_mb, "load_s": locals().get("load_s", 0.0)}


def run_phase(folder: Path, which: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--phase", which, str(folder)], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--phase", choices=["tokenize", "tokenize-full", "autocode"])
    parser.add_argument("folder", nargs="?")
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(Path(args.folder), args.phase)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rounds = build(folder, args.words)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "qualcode.cli", "--quiet", "--project", str(folder), "import",
                        *[str(p) for p in sorted((folder / "files").iterdir())]], check=True, capture_output=True)
        import_s = time.perf_counter() - start
        tok = run_phase(folder, "tokenize")
        full = run_phase(folder, "tokenize-full")
        first = run_phase(folder, "autocode")
        second = run_phase(folder, "autocode")
    words = tok["words"]
    print(f"corpus: {rounds} copies of the bundled study, {words:,} words; import (CLI, incl. start-up) {import_s:.1f} s")
    print(f"(a) spaCy tokenization alone of the participant turns: {tok['seconds']:.2f} s, "
          f"{words / tok['seconds']:,.0f} words/s (words: whole transcripts)")
    print(f"    spaCy tokenization of the whole transcripts (interviewer turns too): {full['seconds']:.2f} s, "
          f"{words / full['seconds']:,.0f} words/s")
    print(f"(b) autocode incl. store writes: {first['seconds']:.2f} s, {words / first['seconds']:,.0f} words/s, "
          f"peak RSS {first['rss_mb']:.0f} MB")
    print(f"    ratio (b)/(a): {first['seconds'] / tok['seconds']:.2f}x   (target <= 1.5x); "
          f"(b)/(whole transcripts): {first['seconds'] / full['seconds']:.2f}x")
    print(f"(c) second autocode, codebook unchanged: {second['seconds']:.2f} s = "
          f"{100 * second['seconds'] / first['seconds']:.1f} % of (b)   (target <= 20 %)")


if __name__ == "__main__":
    main()
