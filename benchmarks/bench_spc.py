"""Benchmark: xmr_frame over 1,000 series x 48 points against a per-series loop of xmr.

Run with ``.venv/bin/python benchmarks/bench_spc.py``. Target: ``xmr_frame`` under
0.1 s on one core for 1,000 series of 48 monthly points (the whole plan's measures
for four years, many times over). The script also checks that both give the same
labels, so a fast but wrong ``xmr_frame`` cannot pass.
"""

from __future__ import annotations

import argparse
import os
import time

# One core, as the target says: stop numpy's BLAS from spreading work (set before import).
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from pcplib.spc import summarise_xmr_frame, xmr, xmr_frame  # noqa: E402

TARGET_SECONDS = 0.1
SEED = 20261123


def build_series(n_series: int, n_points: int, seed: int = SEED) -> pd.DataFrame:
    """Long frame of random series with shifts, trends, spikes and a few gaps."""
    rng = np.random.default_rng(seed)
    level = rng.uniform(20, 500, n_series)[:, None]
    noise = rng.normal(0, 1, (n_series, n_points)) * level * 0.08
    shift = (np.arange(n_points) >= rng.integers(12, n_points, n_series)[:, None]) * (
        rng.choice([-1, 0, 1], n_series)[:, None] * level * 0.15
    )
    trend = rng.choice([0, 1], n_series, p=[0.8, 0.2])[:, None] * np.arange(n_points) * level * 0.01
    values = level + noise + shift + trend
    values[rng.random((n_series, n_points)) < 0.005] = np.nan
    periods = pd.date_range("2022-10-01", periods=n_points, freq="MS")
    improvement = rng.choice(["increase", "decrease", "neutral"], n_series)
    target = np.where(rng.random(n_series) < 0.6, level[:, 0] * 1.05, np.nan)
    ids = np.array([f"M{i:04d}" for i in range(n_series)])
    return pd.DataFrame(
        {
            "measure_id": np.repeat(ids, n_points),
            "period_start": np.tile(periods, n_series),
            "value": values.ravel(),
            "improvement": np.repeat(improvement, n_points),
            "target": np.repeat(target, n_points),
        }
    )


def time_best(fn, repeats: int) -> float:
    """Best wall time of ``repeats`` calls, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    """Build the data, time both ways, check they agree and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=1000)
    parser.add_argument("--points", type=int, default=48)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rules", choices=["mdc", "plotthedots"], default="mdc")
    args = parser.parse_args()

    df = build_series(args.series, args.points)
    frame_kwargs = dict(
        by="measure_id",
        order="period_start",
        improvement="improvement",
        target="target",
        rules=args.rules,
    )

    def run_frame() -> pd.DataFrame:
        return summarise_xmr_frame(xmr_frame(df, **frame_kwargs), by="measure_id")

    def run_loop() -> list:
        results = []
        for _, part in df.groupby("measure_id", sort=False):
            series = pd.Series(part["value"].to_numpy(), index=part["period_start"])
            target = part["target"].iloc[0]
            results.append(
                xmr(
                    series,
                    part["improvement"].iloc[0],
                    None if np.isnan(target) else float(target),
                    args.rules,
                )
            )
        return results

    summary = run_frame()
    loop = run_loop()
    agree = [r.variation for r in loop] == summary["variation"].tolist() and [
        r.assurance for r in loop
    ] == summary["assurance"].tolist()
    if not agree:
        raise SystemExit("xmr_frame and xmr disagree: the benchmark's figures would mean nothing")

    t_frame = time_best(run_frame, args.repeats)
    t_loop = time_best(run_loop, max(1, args.repeats // 2))
    print(f"data: {args.series:,} series x {args.points} points ({len(df):,} rows), seed {SEED}")
    loop_repeats = max(1, args.repeats // 2)
    print(f"rules: {args.rules}; best of {args.repeats} (frame) and {loop_repeats} (loop)")
    print(f"xmr_frame + summarise_xmr_frame: {t_frame:.4f} s")
    print(f"loop of xmr per series:          {t_loop:.4f} s")
    print(f"ratio (loop / frame):            {t_loop / t_frame:.1f}x")
    verdict = "met" if t_frame < TARGET_SECONDS else "NOT met"
    print(f"target: xmr_frame under {TARGET_SECONDS} s on one core -> {verdict}")


if __name__ == "__main__":
    main()
