"""Benchmark of ``pcp run``: the same reports three ways.

(a) a plain loop over the ``papermill`` command line plus ``jupyter nbconvert
    --to html --no-input`` per report, one after another;
(b) ``pcp run --all`` (parallel, in-process papermill and nbconvert);
(c) the floor: starting a kernel and importing what the notebook imports, once
    per report, divided by the cores (no report can be cheaper than that). It is
    measured in the same run, half the samples before (b) and half after, so a
    machine busier during one part does not flatter either side.

(b) runs with ``--no-screenshots`` (neither (a) nor (c) takes pictures); the
screenshot step is timed separately from ``run.log``.

Targets: (b) at least 3x faster than (a) on 2 cores, and within 1.5x of (c).

Usage::

    .venv/bin/python benchmarks/bench_runner.py [--period 2026-09] [--jobs N] [--floor-samples 3]
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import start_new_kernel

from pcplib import run
from pcplib.run import render

REPO = render.find_repo_root()
BIN = Path(sys.executable).parent
TIMESTAMP = "2026-11-23T06:00:00+00:00"


def list_strategies() -> list[str]:
    from pcplib.data.forward_plan import load_forward_plan

    return run.known_strategies(load_forward_plan(REPO / "params" / "forward_plan.yaml"))


def time_cli_loop(strategies: list[str], period: str, slot: str, out: Path) -> float:
    notebook = REPO / run.NOTEBOOKS["delivery_strategy"]
    started = time.perf_counter()
    for strategy in strategies:
        executed = out / f"{strategy}.ipynb"
        parameters = {
            "strategy": strategy,
            "slot": slot,
            "period_end": period,
            "data_dir": "data",
            "produced_at": TIMESTAMP,
        }
        command = [
            str(BIN / "papermill"),
            str(notebook),
            str(executed),
            "-k",
            "pcp",
            "--cwd",
            str(REPO),
        ]
        for name, value in parameters.items():
            command += ["-p", name, value]
        subprocess.run(command, check=True, capture_output=True)
        subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - started


def time_pcp_run(period: str, jobs: int, out: Path, *extra: str) -> float:
    command = [
        str(BIN / "pcp"),
        "run",
        "--all",
        "--period",
        period,
        "--jobs",
        str(jobs),
        "--out",
        str(out),
        "--timestamp",
        TIMESTAMP,
        "--today",
        "2026-11-23",
        *extra,
    ]
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        print(completed.stdout[-3000:], completed.stderr[-3000:], sep="\n")
        raise SystemExit(f"pcp run --all failed (exit {completed.returncode})")
    return seconds


def read_notebook_imports(notebook: Path) -> str:
    """Return the notebook's import statements, as code a fresh kernel can run."""
    nb = nbformat.read(notebook, as_version=4)
    lines: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                lines.append(ast.unparse(node))
    return "\n".join(dict.fromkeys(lines))


def time_kernel_floor(notebook: Path, samples: int) -> float:
    """Seconds to start a kernel and import the notebook's libraries (mean of samples)."""
    imports = read_notebook_imports(notebook)
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        km, kc = start_new_kernel(kernel_name="pcp", cwd=str(REPO))
        try:
            reply = kc.execute_interactive(imports, timeout=120, output_hook=lambda msg: None)
            if reply["content"]["status"] != "ok":
                raise SystemExit(f"importing the notebook's libraries failed: {reply['content']}")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
        times.append(time.perf_counter() - started)
    return sum(times) / len(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default="2026-09")
    parser.add_argument("--slot", default="2026-11", help="the slot the CLI loop passes")
    parser.add_argument("--jobs", type=int, default=run.default_jobs())
    parser.add_argument("--floor-samples", type=int, default=4)
    parser.add_argument("--skip-loop", action="store_true", help="skip (a), the slow one")
    args = parser.parse_args()

    strategies = list_strategies()
    cores = run.count_cpus()
    print(
        f"{len(strategies)} strategy reports, period {args.period}, "
        f"{cores} cores, --jobs {args.jobs}"
    )
    scratch = Path(tempfile.mkdtemp(prefix="pcp-bench-"))
    try:
        loop = None
        if not args.skip_loop:
            (scratch / "loop").mkdir()
            loop = time_cli_loop(strategies, args.period, args.slot, scratch / "loop")
            print(f"(a) papermill + nbconvert CLI loop: {loop:7.1f} s")
        notebook = REPO / run.NOTEBOOKS["delivery_strategy"]
        before = time_kernel_floor(notebook, max(1, args.floor_samples // 2))
        parallel = time_pcp_run(args.period, args.jobs, scratch / "pcp", "--no-screenshots")
        print(f"(b) pcp run --all:                  {parallel:7.1f} s")
        after = time_kernel_floor(notebook, max(1, args.floor_samples - args.floor_samples // 2))
        per_report = (before + after) / 2
        print(f"    floor per report: {before:.2f} s before (b), {after:.2f} s after")
        floor = per_report * len(strategies) / cores
        print(
            f"(c) floor: kernel start + imports {per_report:.2f} s"
            f" x {len(strategies)} / {cores} cores = {floor:.1f} s"
        )
        if loop is not None:
            print(f"(a)/(b) speed-up:  {loop / parallel:5.2f}x  (target >= 3)")
        print(f"(b)/(c) vs floor:  {parallel / floor:5.2f}x  (target <= 1.5)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
