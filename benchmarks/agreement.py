"""Seconds and peak memory of `compute_agreement` on a large synthetic double-coding.

Default: 100,000 units x 3 coders x 20 codes (5 domains of 4), each coder applying 0-2 codes per unit,
the coders agreeing most of the time; records are built before the clock starts. Prints, never asserts.

Run: .venv/bin/python benchmarks/agreement.py [--units 100000] [--coders 3] [--codes 20] [--single]
(--single: at most one code per coder and unit, so the single-label statistics are computed too.)
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qualcode.analysis.agreement import compute_agreement  # noqa: E402


def records(units: int, coders: int, codes: int, single: bool, seed: int = 13) -> list[tuple[str, str, str | None]]:
    rng = random.Random(seed)
    names = [f"code{k:02d}" for k in range(codes)]
    out = []
    for u in range(units):
        truth = rng.sample(names, 1 if single else rng.randint(0, 2))
        for c in range(coders):
            mine = [x if rng.random() < 0.85 else rng.choice(names) for x in truth]
            mine = sorted(set(mine))
            if not mine:
                out.append((f"u{u}", f"coder{c}", None))
            out += [(f"u{u}", f"coder{c}", x) for x in mine]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--coders", type=int, default=3)
    parser.add_argument("--codes", type=int, default=20)
    parser.add_argument("--single", action="store_true")
    args = parser.parse_args()
    data = records(args.units, args.coders, args.codes, args.single)
    names = [f"code{k:02d}" for k in range(args.codes)]
    domains = {f"d{d}": names[d * 4:(d + 1) * 4] for d in range((args.codes + 3) // 4)}
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start, cpu = time.perf_counter(), time.process_time()
    report = compute_agreement(data, domains=domains)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.units:,} units x {args.coders} coders x {args.codes} codes, {len(data):,} records")
    print(f"compute_agreement: {wall:.2f} s wall, {cpu:.2f} s CPU; peak RSS {peak:.0f} MB "
          f"(records already in memory: {before:.0f} MB); load average {os.getloadavg()[0]:.1f}")
    print(f"mean code alpha {report.overall.mean_code_alpha:.6f}, pooled alpha {report.overall.pooled_alpha:.6f}, "
          f"nominal alpha {report.krippendorff_alpha_nominal}")


if __name__ == "__main__":
    main()
