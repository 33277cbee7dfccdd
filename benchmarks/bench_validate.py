"""Benchmark: validating (and loading) a data set of 2 million observations, peak memory.

Run with ``.venv/bin/python benchmarks/bench_validate.py`` (add ``--check`` to exit 1
on a missed target). It builds, in a temporary folder, a copy of the sample data set
whose observations are repeated for enough local authority areas to reach
``--rows`` observations (default 2,000,000: the sample's 3,704 force-level rows for
each of 541 areas), every row valid, so the whole of validation runs. Then, each in a
fresh subprocess whose peak resident memory the operating system reports:

- ``pcp validate`` on it (the command, with its progress lines on stderr);
- with ``--report``, loading it with ``load_dataset`` and working out one strategy
  report's judgements (``summarise_strategy``), the work a report does besides
  drawing its charts.

It prints the wall-clock time, the CPU time and the peak memory of each, and the
progress lines validation printed. Target: peak memory at most 1 GiB.

With ``--wrong KIND``, every observation is then made wrong in one way, so validation
reports a problem in every row (it builds a counted problem past the first 1,000 of a
check rather than two million): ``value`` (every figure unparseable, ``n/a``),
``status`` (misspelt), ``date`` (``period_start`` written 01/04/2020), ``extracted``
(every extraction date in the future), ``measure`` (every measure id unknown) or
``duplicate`` (every row repeating another's key). The target is the same; the exit
code of ``pcp validate`` is then 1, as it should be.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLE = REPO_ROOT / "data"
TARGET_ROWS = 2_000_000
TARGET_MEMORY_BYTES = 1024**3
TODAY = "2026-11-23"

REPORT_CODE = """
import datetime as dt, sys, time
from pcplib.data import load_dataset
from pcplib.assessment.strategy import summarise_strategy
started = time.perf_counter()
dataset = load_dataset(sys.argv[1], today=dt.date.fromisoformat(sys.argv[2]))
loaded = time.perf_counter() - started
strategy = dataset.strategies["strategy_id"].iloc[0]
summary = summarise_strategy(dataset, strategy, "2026-09", "board", "mdc")
judged = f"{strategy} judged: {len(summary.measures)} measures"
print(f"loaded in {loaded:.1f} s; {judged}", file=sys.stderr)
"""


def build_dataset(folder: Path, rows: int) -> int:
    """Write a valid copy of the sample with at least ``rows`` observations; return the count.

    The force-level observations are repeated for synthetic local authorities of the
    same force (one more row of ``framework/areas.csv`` each), with the same figures,
    so every check of validation has work to do and nothing to report.
    """
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("reference"))
    obs = pd.read_csv(
        folder / "observations" / "observations.csv", dtype=str, keep_default_na=False
    )
    areas = pd.read_csv(folder / "framework" / "areas.csv", dtype=str, keep_default_na=False)
    force_area = areas.loc[areas["level"] == "force", "area"].iloc[0]
    base = obs[obs["area"] == force_area]
    copies = max(1, -(-(rows - len(obs)) // len(base)))
    force = areas.loc[areas["level"] == "force", "force"].iloc[0]
    extra = pd.DataFrame(
        {
            "area": [f"Bench area {n:04d}" for n in range(copies)],
            "level": "local_authority",
            "force": force,
            "local_authority_code": [f"E0{9000000 + n:07d}" for n in range(copies)],
            "population": "1000",
            "population_source": "Synthetic, for the benchmark",
        }
    )
    pd.concat([areas, extra[areas.columns]], ignore_index=True).to_csv(
        folder / "framework" / "areas.csv", index=False, lineterminator="\n"
    )
    # Figures differ from area to area, as real ones do (so they are not shared strings):
    # each count-like value without a numerator is scaled by a factor of its area.
    measures = pd.read_csv(folder / "framework" / "measures.csv", dtype=str, keep_default_na=False)
    unit = base["measure_id"].map(measures.set_index("measure_id")["unit"])
    scaled = unit.isin(["count", "hours", "kwh", "gbp"]) & (base["numerator"] == "")
    scaled &= base["value"] != ""
    figures = pd.to_numeric(base.loc[scaled, "value"])
    path = folder / "observations" / "observations.csv"
    obs.to_csv(path, index=False, lineterminator="\n")
    with path.open("a", encoding="utf-8", newline="") as handle:
        for n, name in enumerate(extra["area"]):
            copy = base.assign(area=name)
            copy.loc[scaled, "value"] = (figures * (1 + (n % 997) / 1000)).round(1).astype(str)
            handle.write(copy.to_csv(index=False, header=False, lineterminator="\n"))
    return len(obs) + copies * len(base)


WRONG = {
    "value": lambda obs: obs.assign(value="n/a"),
    "status": lambda obs: obs.assign(status="finall"),
    "date": lambda obs: obs.assign(
        period_start=pd.to_datetime(obs["period_start"]).dt.strftime("%d/%m/%Y")
    ),
    "extracted": lambda obs: obs.assign(extracted_on="2099-01-01"),
    "measure": lambda obs: obs.assign(measure_id="x" + obs["measure_id"]),
    "duplicate": lambda obs: obs.assign(area=obs["area"].iloc[0]),
}
"""Ways to make every observation wrong, for ``--wrong``."""


def make_every_row_wrong(folder: Path, kind: str) -> None:
    """Rewrite the observations with every row wrong in the way ``kind`` names."""
    path = folder / "observations" / "observations.csv"
    obs = pd.read_csv(path, dtype=str, keep_default_na=False)
    WRONG[kind](obs).to_csv(path, index=False, lineterminator="\n")


def peak_of(command: list[str]) -> dict[str, object]:
    """Measure ``command`` inside a wrapper process that reports its child's peak memory."""
    wrapper = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'code': p.returncode, 'peak_kib': r.ru_maxrss,"
        " 'wall_s': round(time.perf_counter() - t, 1),"
        " 'cpu_s': round(r.ru_utime + r.ru_stime, 1),"
        " 'stderr': p.stderr[-4000:], 'stdout': p.stdout[-1500:]}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", wrapper, *command], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    """Build the data set, measure, print the figures; 1 on a missed target with ``--check``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=TARGET_ROWS)
    parser.add_argument("--report", action="store_true", help="also load it and judge a strategy")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--wrong", choices=sorted(WRONG), help="make every observation wrong in this way"
    )
    parser.add_argument("--keep", type=Path, help="build the data set here and keep it")
    parser.add_argument(
        "--reuse", action="store_true", help="with --keep: measure the data set built there before"
    )
    args = parser.parse_args(argv)
    temp = None
    if args.keep is not None:
        folder = args.keep
        if folder.exists() and not args.reuse:
            shutil.rmtree(folder)
    else:
        temp = tempfile.TemporaryDirectory(prefix="pcp-bench-validate-")
        folder = Path(temp.name) / "data"
    try:
        started = time.perf_counter()
        observations = folder / "observations" / "observations.csv"
        if args.reuse and observations.is_file():
            with observations.open("rb") as handle:
                count = sum(1 for _ in handle) - 1
        else:
            count = build_dataset(folder, args.rows)
        if args.wrong:
            make_every_row_wrong(folder, args.wrong)
            print(f"every observation made wrong: {args.wrong}")
        size = (folder / "observations" / "observations.csv").stat().st_size
        print(
            f"built {count:,} observations ({size / 1024**2:,.0f} MiB of CSV) in "
            f"{time.perf_counter() - started:.0f} s"
        )
        pcp = str(Path(sys.executable).with_name("pcp"))
        runs = {"pcp validate": peak_of([pcp, "validate", str(folder)])}
        if args.report:
            runs["load + judge one strategy"] = peak_of(
                [sys.executable, "-c", REPORT_CODE, str(folder), TODAY]
            )
        missed = False
        for name, run in runs.items():
            peak = int(run["peak_kib"]) * 1024
            ok = peak <= TARGET_MEMORY_BYTES
            # With every row wrong, validation must fail (exit 1) within the same memory.
            missed |= not ok or run["code"] != (1 if args.wrong else 0)
            print(
                f"{name}: exit {run['code']}, {run['wall_s']} s wall, {run['cpu_s']} s CPU, "
                f"peak memory {peak / 1024**2:,.0f} MiB "
                f"({'within' if ok else 'OVER'} the {TARGET_MEMORY_BYTES // 1024**2:,} MiB target)"
            )
            for line in str(run["stderr"]).strip().splitlines()[-20:]:
                print(f"    stderr: {line}")
            for line in str(run["stdout"]).strip().splitlines()[-3:]:
                print(f"    stdout: {line}")
        return 1 if args.check and missed else 0
    finally:
        if temp is not None:
            temp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
