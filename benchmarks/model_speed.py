"""Speed of the learned model: training on 2,000 coded turns (with the 5-fold cross-validation
`qualcode model train` runs) and scoring ~1M words of turns cold (model loaded from its files; with the
semantic backend every turn is embedded, the embedding model loaded from disk first), then the same
scoring again with nothing changed (the semantic backend's embeddings come from the store's cache, a
SQLite store as `qualcode` uses). Texts: CaSiNo utterances (benchmarks/data/casino); past the 4,615
utterances each repetition is made a new text (" (k)" appended) so the cache cannot help the cold run.
With the semantic backend, training is timed twice: embedding the 2,000 turns (embedding model load
included), then training with their vectors known (as when autocode has already cached them in the store).

    .venv/bin/python benchmarks/model_speed.py [--backend light|semantic] [--words 1000000]

`--rerun` measures instead what a user does in a project with a trained model, each command in its own
process as typed (start-up included): the bundled study copied to ~`--project-words` words, imported,
autocoded, `qualcode model train --examples <the four development files>`, autocode again (the model's
first pass); then, timed `--repeat` times, `qualcode autocode` and `qualcode model train` again with
nothing changed (both must finish in <= 5 s and change nothing):

    .venv/bin/python benchmarks/model_speed.py --rerun [--backend light|semantic] [--project-words 100000]

Prints wall and CPU seconds of each step, the load average around the run, and the peak resident memory
(of the process after training and at the end; of each command with --rerun). Run each backend in its
own process (peak memory is per process).
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from learning_curve import read  # noqa: E402
from qualcode.engine.learned import Settings, train  # noqa: E402
from qualcode.engine.model_file import load_model, save_model  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    print(f"{label}: {time.perf_counter() - w:.1f} s wall, {time.process_time() - c:.1f} s CPU", flush=True)
    return out


def corpus(rows, words: int) -> tuple[list[str], int]:
    texts, total, k = [], 0, 0
    while total < words:
        for e in rows:
            texts.append(e.text if k == 0 else f"{e.text} ({k})")
            total += len(e.text.split())
            if total >= words:
                break
        k += 1
    return texts, total


def store_cache(folder: Path):
    """A SQLite store at the latest schema and an embedding cache on it (as `qualcode` keeps one)."""
    import sqlalchemy as sa

    from qualcode.engine.embed import MODEL_ID
    from qualcode.store.embeddings import StoreCache
    from qualcode.store.migrations import migrate

    engine = sa.create_engine(f"sqlite:///{folder / 'store.db'}")
    migrate(engine)
    return engine, lambda conn: StoreCache(conn, MODEL_ID)


def score(model, texts, engine, cache_on):
    if model.settings.backend != "semantic":
        return model.probabilities(texts)
    from qualcode.engine.embed import Embedder

    with engine.begin() as conn:
        return model.probabilities(texts, Embedder.shared().embed(texts, cache_on(conn)))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=1_000_000)
    ap.add_argument("--backend", choices=["light", "semantic"], default="light")
    ap.add_argument("--rerun", action="store_true", help="time re-runs with nothing changed in a project")
    ap.add_argument("--project-words", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print(f"{os.cpu_count()} CPUs; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.rerun:
        from model_rerun import rerun

        return rerun(args.backend, args.project_words, args.repeat)
    rows = read("train")
    codes = sorted({c for e in rows for c in e.positives})
    settings = Settings(backend=args.backend)
    texts, words = corpus(rows, args.words)
    with tempfile.TemporaryDirectory() as tmp:
        engine, cache_on = store_cache(Path(tmp))
        embed = None
        if args.backend == "semantic":
            from qualcode.engine.embed import Embedder, cached_embed

            embed = cached_embed()  # in memory: the scoring below starts from an empty store
            timed("semantic: embed the 2,000 turns (loading the embedding model included)",
                  lambda: embed([e.text for e in rows[:2000]]))
        model = timed(f"{args.backend}: train on 2,000 turns, {len(codes)} codes, with 5-fold CV"
                      + (" (their vectors known)" if embed else ""),
                      lambda: train(rows[:2000], codes, settings, embed=embed))
        print(f"peak RSS after training: {peak_mb():.0f} MB", flush=True)
        if embed:
            Embedder._shared = None  # cold: the scoring loads the embedding model again
        save_model(model, Path(tmp) / "model")
        loaded = timed("load the stored model", lambda: load_model(Path(tmp) / "model")[0])
        probs = timed(f"score {len(texts):,} turns ({words:,} words), cold",
                      lambda: score(loaded, texts, engine, cache_on))
        timed("score them again, nothing changed", lambda: score(loaded, texts, engine, cache_on))
    print(f"probabilities: {probs.shape}; peak RSS {peak_mb():.0f} MB; "
          f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
