"""Benchmark: funnel() on 10,000 small areas against a per-unit pure-Python loop.

Run with ``.venv/bin/python benchmarks/bench_funnel.py [--check]``. The data are like
every LSOA of a region: 10,000 areas of about 1,500 residents each, with crime rates
that differ between areas (so there is overdispersion) and Poisson counts; the
expected counts come from the pooled rate (``compute_expected_counts``). The loop
does the same arithmetic one unit at a time (a z-score each, ranks or quantiles,
phi and tau², then each unit's plain and adjusted limits, through scipy for the
exact Poisson ones); the script checks that both give the same answers, so a fast
but wrong ``funnel`` cannot pass. Target: ``funnel`` at least 20x faster than the
loop, measured in the same run; with ``--check`` a missed target exits non-zero.
"""

from __future__ import annotations

import argparse
import bisect
import math
import os
import sys
import time

# One core, like the SPC benchmark: stop numpy's BLAS from spreading work.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import stats  # noqa: E402

from pcplib.funnel import Z95, Z998, compute_expected_counts, funnel  # noqa: E402

TARGET_RATIO = 20.0
SEED = 20261123
RTOL = 1e-9


def build_areas(n_groups: int, seed: int = SEED) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Populations, counts and expected counts for ``n_groups`` LSOA-like areas."""
    rng = np.random.default_rng(seed)
    population = np.clip(np.round(rng.normal(1500, 250, n_groups)), 700, None)
    # Area rates vary around 6 crimes per 100 residents a year (gamma, CV about 30%).
    rate = 0.06 * rng.gamma(11, 1 / 11, n_groups)
    counts = rng.poisson(population * rate).astype(float)
    return population, counts, np.asarray(compute_expected_counts(counts, population))


def pr_inputs(population: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Counts of a proportion (e.g. crimes with an outcome) out of the crimes."""
    rng = np.random.default_rng(SEED + 1)
    share = np.clip(0.15 * rng.gamma(20, 1 / 20, counts.size), 0, 1)
    return rng.binomial(counts.astype(int), share).astype(float), counts


# --------------------------------------------------------------------------------------
# The same arithmetic, one unit at a time
# --------------------------------------------------------------------------------------


def round_like_r(x: float) -> float:
    """R's round(x, 2) for one positive number."""
    x10 = 100.0 * x
    i10 = math.floor(x10)
    xd, xu = i10 / 100.0, math.ceil(x10) / 100.0
    du, dd = xu - x, x - xd
    if math.log10(2.0) * (0.5 + (math.frexp(x)[1] - 1)) + 2 > 15:
        return x
    return xu if du < dd or (du == dd and i10 % 2 == 1) else xd


def average_ranks(z: list[float]) -> list[float]:
    """Ranks with ties averaged, as R's rank(ties.method = "average")."""
    order = sorted(range(len(z)), key=z.__getitem__)
    ranks = [0.0] * len(z)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and z[order[j + 1]] == z[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def quantile_type7(z: list[float], p: float) -> float:
    xs = sorted(z)
    index = 1 + (len(xs) - 1) * p
    lo, hi = math.floor(index), math.ceil(index)
    q = xs[lo - 1]
    if index > lo and xs[hi - 1] != q:
        q = (1 - (index - lo)) * q + (index - lo) * xs[hi - 1]
    return q


def unit_limits(
    d: float, target: float, tau2: float, data_type: str, sr_method: str, adjusted: bool
) -> list[float]:
    """(lcl95, ucl95, lcl998, ucl998) at one denominator, before the PR grid fix."""
    out = []
    for z, (lower_tail, upper_tail) in ((Z95, (0.975, 0.025)), (Z998, (0.999, 0.001))):
        if data_type == "SR" and not adjusted:
            out.append(target * (float(stats.chi2.isf(lower_tail, 2 * d)) / 2) / d)
            out.append(target * (float(stats.chi2.isf(upper_tail, 2 * (d + 1))) / 2) / d)
            continue
        t2 = tau2 if adjusted else 0.0
        if data_type == "SR" and sr_method == "SHMI":
            w = z * math.sqrt(1 / d + t2)
            out += [math.exp(-w), math.exp(w)]
            continue
        w = z * math.sqrt((1 / (2 * math.sqrt(d))) ** 2 + t2)
        if data_type == "SR":
            out += [1 - w, 1 + w]
        elif data_type == "RC":
            out += [math.exp(math.log(target) - w), math.exp(math.log(target) + w)]
        else:
            centre = math.asin(math.sqrt(target))
            out += [math.sin(centre - w) ** 2, min(math.sin(centre + w) ** 2, 1.0)]
    return out


def loop_funnel(
    num: list[float], den: list[float], data_type: str, sr_method: str, trim_by: float = 0.1
) -> dict[str, object]:
    """funnel()'s defaults (adjusted, SHMI rounding, multiplier 1), unit by unit."""
    n = len(num)
    shmi = data_type == "SR" and sr_method == "SHMI"
    ratio = [o / e for o, e in zip(num, den, strict=True)]
    used = [round_like_r(e) for e in den] if shmi else list(den)
    target = 1.0 if data_type == "SR" else sum(num) / sum(used)
    z, s = [], []
    for o, e in zip(num, used, strict=True):
        if shmi:
            s.append(1 / math.sqrt(e))
            z.append(math.sqrt(e) * math.log(o / e) if o > 0 else -math.inf)
        elif data_type == "SR":
            s.append(1 / (2 * math.sqrt(e)))
            z.append((math.sqrt(o / e) - 1) / s[-1])
        elif data_type == "PR":
            s.append(1 / (2 * math.sqrt(e)))
            z.append((math.asin(math.sqrt(o / e)) - math.asin(math.sqrt(target))) / s[-1])
        else:
            s.append(math.sqrt(o / (o + 0.5) ** 2 + e / (e + 0.5) ** 2))
            z.append((math.log((o + 0.5) / (e + 0.5)) - math.log(target)) / s[-1])
    if shmi:
        k = 1 / trim_by
        ranks = average_ranks(z)
        kept = [0 < math.floor(r * k / (n + 1)) < k - 1 for r in ranks]
        trimmed = [zi for zi, keep in zip(z, kept, strict=True) if keep]
        s_kept = [si for si, keep in zip(s, kept, strict=True) if keep]
    else:
        lz, uz = quantile_type7(z, trim_by), quantile_type7(z, 1 - trim_by)
        trimmed = [min(max(zi, lz), uz) for zi in z]
        s_kept = s
    m = len(trimmed)
    phi = sum(zi * zi for zi in trimmed) / m
    tau2 = 0.0
    if m * phi >= m - 1:
        w = [1 / (si * si) for si in s_kept]
        sw = sum(w)
        tau2 = max(0.0, (m * phi - (m - 1)) / (sw - sum(wi * wi for wi in w) / sw))
    adjusted = phi > 1
    if data_type == "PR":
        start, stop = 3.0, float(math.ceil(max(used)))
        grid = sorted(
            {start, stop, *used, *(start + i * ((stop - start) / 999) for i in range(1, 999))}
        )
    rows = []
    for e, r in zip(used, ratio, strict=True):
        plain = unit_limits(e, target, 0.0, data_type, sr_method, False)
        adj = unit_limits(e, target, tau2, data_type, sr_method, True)
        if data_type == "PR":
            nxt = grid[bisect.bisect_right(grid, e)] if e < grid[-1] else None
            for values, t2 in ((plain, 0.0), (adj, tau2)):
                if nxt is None:
                    continue
                after = unit_limits(nxt, target, t2, data_type, sr_method, True)
                for i in range(4):
                    if i % 2 == 0 and values[i] > after[i]:
                        values[i] = 0.0
                    elif i % 2 == 1 and values[i] < after[i]:
                        values[i] = 1.0
        limits = adj if adjusted else plain
        flag = "high" if r > limits[3] else "low" if r < limits[2] else "none"
        flag95 = "high" if r > limits[1] else "low" if r < limits[0] else "none"
        rows.append((r, *limits, *plain, *adj, flag, flag95))
    return {"rows": rows, "phi": phi, "tau2": tau2, "adjusted": adjusted}


def compare(result: pd.DataFrame, loop: dict[str, object]) -> list[str]:
    """What differs between funnel() and the loop (empty when they agree)."""
    names = ["ratio", "lcl95", "ucl95", "lcl998", "ucl998"]
    names += [f"{c}_plain" for c in ("lcl95", "ucl95", "lcl998", "ucl998")]
    names += [f"{c}_adjusted" for c in ("lcl95", "ucl95", "lcl998", "ucl998")]
    rows = loop["rows"]
    problems = []
    for i, name in enumerate(names):
        got = np.array([row[i] for row in rows])
        if not np.allclose(result[name].to_numpy(), got, rtol=RTOL, atol=0):
            problems.append(name)
    for i, name in ((len(names), "outlier"), (len(names) + 1, "outlier95")):
        if result[name].tolist() != [row[i] for row in rows]:
            problems.append(name)
    if not math.isclose(result.attrs["phi"], loop["phi"], rel_tol=RTOL):
        problems.append("phi")
    if not math.isclose(result.attrs["tau2"], loop["tau2"], rel_tol=RTOL, abs_tol=1e-300):
        problems.append("tau2")
    if result.attrs["adjusted"] != loop["adjusted"]:
        problems.append("adjusted")
    return problems


def time_best(fn, repeats: int) -> float:
    """Best wall time of ``repeats`` calls, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    """Build the data, check both ways agree, time them and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--data-type", choices=["SR", "PR", "RC"], default="SR")
    parser.add_argument("--sr-method", choices=["SHMI", "CQC"], default="SHMI")
    parser.add_argument("--check", action="store_true", help="exit 1 if the target is missed")
    args = parser.parse_args()

    population, counts, expected = build_areas(args.groups)
    if args.data_type == "SR":
        num, den = counts, expected
    elif args.data_type == "PR":
        num, den = pr_inputs(population, counts)
    else:
        num, den = counts, population / 100
    num_list, den_list = num.tolist(), den.tolist()

    def run_funnel() -> pd.DataFrame:
        return funnel(num, den, args.data_type, args.sr_method)

    def run_loop() -> dict[str, object]:
        return loop_funnel(num_list, den_list, args.data_type, args.sr_method)

    result = run_funnel()
    problems = compare(result, run_loop())
    if problems:
        print(f"funnel() and the loop disagree on: {', '.join(problems)}", file=sys.stderr)
        return 2

    t_funnel = time_best(run_funnel, args.repeats)
    loop_repeats = max(1, args.repeats // 2)
    t_loop = time_best(run_loop, loop_repeats)
    ratio = t_loop / t_funnel
    attrs = result.attrs
    print(
        f"data: {args.groups:,} areas, population {population.mean():,.0f} on average, "
        f"{int(counts.sum()):,} crimes; seed {SEED}"
    )
    print(
        f"funnel: {args.data_type}/{args.sr_method}, phi {attrs['phi']:.3f}, "
        f"tau2 {attrs['tau2']:.5f}, adjusted limits {attrs['adjusted']}, "
        f"{int((result['outlier'] != 'none').sum())} outliers at 99.8%"
    )
    print(f"answers: funnel() and the loop agree (rtol {RTOL:g}, flags exactly)")
    print(f"best of {args.repeats} (funnel) and {loop_repeats} (loop)")
    print(f"funnel():                 {t_funnel:.4f} s")
    print(f"per-unit pure-Python loop: {t_loop:.4f} s")
    print(f"ratio (loop / funnel):    {ratio:.1f}x")
    met = ratio >= TARGET_RATIO
    print(f"target: at least {TARGET_RATIO:.0f}x faster -> {'met' if met else 'NOT met'}")
    return 1 if args.check and not met else 0


if __name__ == "__main__":
    sys.exit(main())
