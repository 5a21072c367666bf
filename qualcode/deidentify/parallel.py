"""Finding identifiers in many transcripts on several CPU cores.

Each transcript is searched on its own (its nicknames, named entities and the names it teaches are
its own), so the work splits cleanly: worker processes each build the same ``Detector`` and take
chunks of transcripts; the results come back in order and are the same as one process finds.
Workers are started with ``spawn`` (the same on Linux, macOS and Windows, and safe with the
threads numpy and spaCy may have started); each loads the NER model once, which costs a few
seconds, so small jobs stay in one process.
"""
from __future__ import annotations

import os
from contextlib import contextmanager

# below this many characters (about 250,000 words) starting workers costs more than it saves
MIN_CHARS = 1_500_000
CHUNK_CHARS = 200_000

_DETECTOR = None


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def processes_for(texts: list[str], setting: int | None) -> int:
    """How many processes to use: ``setting`` (``[deidentify] processes``) when given, else one per
    usable CPU core for big jobs and 1 for small ones."""
    if setting is not None:
        return max(1, setting)
    if sum(len(t) for t in texts) < MIN_CHARS:
        return 1
    return usable_cpus()


def chunks(texts: list[str], size: int | None = None) -> list[list[str]]:
    size = size or CHUNK_CHARS
    out: list[list[str]] = [[]]
    chars = 0
    for text in texts:
        if out[-1] and chars + len(text) > size:
            out.append([])
            chars = 0
        out[-1].append(text)
        chars += len(text)
    return [c for c in out if c]


def _start(config, terms, model, countries) -> None:
    from . import detector as det

    det.seed_countries(countries)
    global _DETECTOR
    _DETECTOR = det.Detector(config, terms, model, processes=1)


def _find(args: tuple[list[str], bool]):
    texts, with_nicknames = args
    return _DETECTOR.find_many(texts, with_nicknames)


@contextmanager
def _one_thread_each():
    """Workers inherit these while they start: numpy's OpenBLAS then runs one thread per worker
    instead of one per core in every worker (the workers already share the cores out)."""
    names = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")
    saved = {n: os.environ.get(n) for n in names}
    os.environ.update({n: "1" for n in names})
    try:
        yield
    finally:
        for n, value in saved.items():
            if value is None:
                os.environ.pop(n, None)
            else:
                os.environ[n] = value


def find_in_processes(detector, texts: list[str], with_nicknames: bool, processes: int) -> list:
    """``detector.find_many(texts)`` computed by ``processes`` worker processes."""
    import multiprocessing

    from .detector import countries

    work = chunks(texts)
    processes = min(processes, len(work))
    context = multiprocessing.get_context("spawn")
    with _one_thread_each(), context.Pool(processes, initializer=_start,
                                          initargs=(detector.config, detector.terms, detector.model,
                                                    countries())) as pool:
        results = pool.map(_find, [(chunk, with_nicknames) for chunk in work], chunksize=1)
    return [hits for chunk in results for hits in chunk]
