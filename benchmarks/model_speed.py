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
nothing changed (both must finish in <= 5 s and change nothing); last, every suggestion accepted and
the model trained again (with the semantic backend, on vectors autocode already stored):

    .venv/bin/python benchmarks/model_speed.py --rerun [--backend light|semantic] [--project-words 100000]

Prints wall and CPU seconds of each step, the load average around the run, and the peak resident memory
(of the process after training and at the end; of each command with --rerun), then one SUMMARY line.
With the semantic backend the cold scoring is split into its steps (loading the embedding model, embedding
with turns/s and word pieces/s, the probabilities) and the CPU, its vector instructions and torch's thread
count are printed: embedding is matrix products, so the figure follows the CPU (this machine: AVX2, no
AVX-512/VNNI). Run each backend in its own process (peak memory is per process). ``--train-turns``
(default 2,000) can be lowered when only the scoring figures are wanted.
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


TIMES: dict[str, tuple[float, float]] = {}  # first word of a timed step's label -> (wall s, CPU s)


def timed(label: str, fn, key: str | None = None):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    wall, cpu = time.perf_counter() - w, time.process_time() - c
    print(f"{label}: {wall:.1f} s wall, {cpu:.1f} s CPU", flush=True)
    if key:
        TIMES[key] = (wall, cpu)
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

    from qualcode.engine.embed import CACHE_ID
    from qualcode.store.embeddings import StoreCache
    from qualcode.store.migrations import migrate

    engine = sa.create_engine(f"sqlite:///{folder / 'store.db'}")
    migrate(engine)
    return engine, lambda conn: StoreCache(conn, CACHE_ID)


def score(model, texts, engine, cache_on):
    if model.settings.backend != "semantic":
        return model.probabilities(texts)
    from qualcode.engine.embed import Embedder

    with engine.begin() as conn:
        return model.probabilities(texts, Embedder.shared().embed(texts, cache_on(conn)))


def word_pieces(texts) -> int:
    """Word pieces the embedding model reads for ``texts`` ([CLS] and [SEP] included), from its tokenizer alone."""
    import importlib

    from transformers import AutoTokenizer

    from qualcode.engine.embed import PACKAGE

    tok = AutoTokenizer.from_pretrained(str(importlib.import_module(PACKAGE).get_model_path()), local_files_only=True)
    return sum(len(ids) + 2 for ids in tok(list(texts), add_special_tokens=False)["input_ids"])


def fresh_load() -> tuple[float, float]:
    """Wall and CPU seconds of loading the embedding model in a new process (imports torch, reads the weights),
    as `qualcode autocode` does once per run; the in-process load below finds the imports done by training."""
    import subprocess

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    w = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from qualcode.engine.embed import Embedder; Embedder()._load()"],
                   cwd=ROOT, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    wall = time.perf_counter() - w
    print(f"load the embedding model in a fresh process: {wall:.1f} s wall, {cpu:.1f} s CPU", flush=True)
    return wall, cpu


def score_semantic(model, texts, pieces, engine, cache_on):
    """Cold scoring in its steps (load the embedding model, embed + write the store cache, the model's
    probabilities), with turns and word pieces per second of the embedding, then a re-run."""
    from qualcode.engine.embed import Embedder

    timed("  load the embedding model", lambda: Embedder.shared()._load())
    w, c = time.perf_counter(), time.process_time()
    with engine.begin() as conn:
        vectors = Embedder.shared().embed(texts, cache_on(conn))
    ew, ec = time.perf_counter() - w, time.process_time() - c
    print(f"  embed {len(texts):,} turns ({pieces:,} word pieces) and write them to the store cache: {ew:.1f} s wall, "
          f"{ec:.1f} s CPU = {len(texts) / ew:.0f} turns/s wall, {len(texts) / ec:.0f} turns per CPU-second, "
          f"{pieces / ew:,.0f} word pieces/s wall", flush=True)
    probs = timed("  probabilities (TF-IDF + vectors, logistic regressions)", lambda: model.probabilities(texts, vectors))
    return probs


def environment() -> str:
    """CPU, vector instructions and torch threads: the figures depend on them."""
    flags = set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith(("flags", "model name")):
                flags |= set(line.split(":", 1)[1].split()) if line.startswith("flags") else {"@" + line.split(":", 1)[1].strip()}
    except OSError:
        pass
    isa = [f for f in ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_tile") if f in flags]
    model = next((f[1:] for f in flags if f.startswith("@")), "unknown CPU")
    return f"{model}; {', '.join(isa) or 'no AVX2'}"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=1_000_000)
    ap.add_argument("--backend", choices=["light", "semantic"], default="light")
    ap.add_argument("--rerun", action="store_true", help="time re-runs with nothing changed in a project")
    ap.add_argument("--project-words", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--train-turns", type=int, default=2000, help="turns the model trains on (scoring figures only: fewer)")
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
            timed(f"semantic: embed the {args.train_turns:,} turns (loading the embedding model included)",
                  lambda: embed([e.text for e in rows[:args.train_turns]]), "embed_train")
        model = timed(f"{args.backend}: train on {args.train_turns:,} turns, {len(codes)} codes, with 5-fold CV"
                      + (" (their vectors known)" if embed else ""),
                      lambda: train(rows[:args.train_turns], codes, settings, embed=embed), "train")
        train_rss = peak_mb()
        print(f"peak RSS after training: {train_rss:.0f} MB", flush=True)
        if embed:
            Embedder._shared = None  # cold: the scoring loads the embedding model again
        save_model(model, Path(tmp) / "model")
        loaded = timed("load the stored model", lambda: load_model(Path(tmp) / "model")[0])
        label = f"score {len(texts):,} turns ({words:,} words), cold"
        pieces = word_pieces(texts) if args.backend == "semantic" else 0
        fresh = fresh_load() if args.backend == "semantic" else (0.0, 0.0)
        w, c = time.perf_counter(), time.process_time()
        if args.backend == "semantic":
            import torch

            print(f"{label} ({environment()}; torch {torch.__version__}, {torch.get_num_threads()} threads):")
            probs = score_semantic(loaded, texts, pieces, engine, cache_on)
        else:
            probs = score(loaded, texts, engine, cache_on)
        cw, cc = time.perf_counter() - w, time.process_time() - c
        print(f"{label}: {cw:.1f} s wall, {cc:.1f} s CPU", flush=True)
        timed("score them again, nothing changed", lambda: score(loaded, texts, engine, cache_on))
    rss, load = peak_mb(), " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"probabilities: {probs.shape}; peak RSS {rss:.0f} MB; load average after: {load}")
    print(f"SUMMARY backend={args.backend} words={words} turns={len(texts)} score_cold_wall_s={cw:.1f} "
          f"score_cold_cpu_s={cc:.1f} turns_per_s={len(texts) / cw:.0f} fresh_model_load_wall_s={fresh[0]:.1f} "
          f"peak_rss_mb={rss:.0f} load_after={load}")
    emb = TIMES.get("embed_train", (0.0, 0.0))
    print(f"SUMMARY-TRAIN backend={args.backend} turns={args.train_turns} train_wall_s={TIMES['train'][0]:.1f} "
          f"train_cpu_s={TIMES['train'][1]:.1f} embed_first_wall_s={emb[0]:.1f} embed_first_cpu_s={emb[1]:.1f} "
          f"peak_rss_after_training_mb={train_rss:.0f} load_after={load}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
