"""Benchmark of ``pcp run``: its reports against the kernel floor, a plain CLI loop, and itself.

Measured in one run, on this machine, so that ratios (not absolute seconds) are
what count: a machine shared with other work makes every absolute figure noisy,
but the parts of one run are measured side by side.

(a) a plain loop over the ``papermill`` command line plus ``jupyter nbconvert
    --to html --no-input`` per strategy report, one after another;
(b) ``pcp run --all --no-screenshots`` (the default ``--jobs``: the cores; kernels forked from a
    warm process, :mod:`pcplib.forkserver`, as ``pcp run`` does by default);
(c) the floor of (b): starting one kernel per report and importing everything
    a report ends up importing (the notebook's imports and what it imports on
    first use, such as scipy and matplotlib: the module list is read from a real
    report's kernel), ``--jobs`` kernels at a time. Half its samples are taken
    before (b) and half after, so a machine busier during one part flatters
    neither side;
(c') the floor of forked kernels (the runner can now go below (c)): a fork server
    started and its imports done, then one kernel per report forked from it and
    importing the same list (already imported), ``--jobs`` at a time;
(d) one strategy report (``pcp run --strategy``) against its own floor: one
    kernel started and the same modules imported, alone (and against the forked floor:
    a fork server started and one kernel forked);
(e) screenshots: ``pcp run --all`` with screenshots, the screenshot step's share
    of that run (from its ``run.log``: since screenshots are taken while the reports
    run, the step is the wait for the last ones), and what screenshots add to a run
    ((e) less (b), as a share of (e));
(f) scaling: ``pcp run --all --no-screenshots`` with ``--jobs`` from 1 to one more
    than the cores.

It also prints where (b)'s reports spent their time (its ``manifest.json``,
mean seconds per stage).

(b) runs first with the code and data as they are, so it validates the data set when the
code changed since the last run and keeps it; (d) and later runs load it from the cache
(``pcplib.data.snapshot``), as an analyst's repeated runs do.

Targets: (b) within 1.3x of (c); (d) within 1.3x of its floor; (b) at least 8x
faster than (a); screenshots at most 15% of (e). The ratios to the forked floor (c')
are printed beside them, for information. A missed target is printed as
MISSED with its figure; the benchmark does not fail.

Usage::

    .venv/bin/python benchmarks/bench_runner.py [--period 2026-09] [--floor-samples 2]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from jupyter_client.manager import start_new_kernel

from pcplib import run
from pcplib.run import render

REPO = render.find_repo_root()
BIN = Path(sys.executable).parent
TIMESTAMP = "2026-11-23T06:00:00+00:00"
STAGES = ["kernel start", "imports", "data load", "cells", "kernel stop", "notebook write", "html"]


def list_strategies() -> list[str]:
    """Return every strategy in the forward plan."""
    from pcplib.data.forward_plan import load_forward_plan

    return run.known_strategies(load_forward_plan(REPO / "data" / "forward_plan.yaml"))


def time_cli_loop(strategies: list[str], period: str, slot: str, out: Path) -> float:
    """Seconds for (a): papermill then nbconvert, per strategy, one after another."""
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
        command = [str(BIN / "papermill"), str(notebook), str(executed), "-k", "pcp"]
        command += ["--cwd", str(REPO)]
        for name, value in parameters.items():
            command += ["-p", name, value]
        subprocess.run(command, check=True, capture_output=True)
        subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - started


def time_pcp_run(out: Path, *selection: str) -> float:
    """Seconds for one ``pcp run`` (a fresh process, as an analyst runs it)."""
    command = [str(BIN / "pcp"), "run", *selection, "--out", str(out)]
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        print(completed.stdout[-3000:], completed.stderr[-3000:], sep="\n")
        raise SystemExit(f"pcp run {' '.join(selection)} failed (exit {completed.returncode})")
    return seconds


def read_report_modules(strategy: str, period: str, scratch: Path) -> list[str]:
    """Return every module a strategy report's kernel has imported when it finishes.

    The notebook is executed once, with one cell appended that lists ``sys.modules``;
    what the floor imports is then what reports really pay for, first-use imports
    included, whatever the notebook's content.
    """
    import papermill

    nb = nbformat.read(REPO / run.NOTEBOOKS["delivery_strategy"], as_version=4)
    nb.cells.append(
        nbformat.v4.new_code_cell("import json, sys\nprint(json.dumps(sorted(sys.modules)))")
    )
    source = scratch / "modules.ipynb"
    nbformat.write(nb, source)
    executed = papermill.execute_notebook(
        str(source),
        str(scratch / "modules-out.ipynb"),
        parameters={"strategy": strategy, "period_end": period, "produced_at": TIMESTAMP},
        kernel_name="pcp",
        cwd=str(REPO),
        progress_bar=False,
    )
    text = "".join(o.get("text", "") for o in executed.cells[-1].outputs)
    return json.loads(text.strip().splitlines()[-1])


def build_floor_code(modules: list[str]) -> str:
    """Code a fresh kernel runs to import every module a report imports."""
    names = [m for m in modules if not m.startswith("__main__") and m != "__main__"]
    return (
        "import importlib\n"
        f"for _name in {names!r}:\n"
        "    try:\n"
        "        importlib.import_module(_name)\n"
        "    except Exception:\n"
        "        pass\n"
    )


def start_and_import(code: str) -> None:
    """Start one kernel, run ``code`` in it, stop it."""
    km, kc = start_new_kernel(kernel_name="pcp", cwd=str(REPO))
    try:
        reply = kc.execute_interactive(code, timeout=300, output_hook=lambda msg: None)
        if reply["content"]["status"] != "ok":
            raise SystemExit(f"importing the report's modules failed: {reply['content']}")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def start_forked_and_import(code: str) -> None:
    """Fork one kernel from the running fork server, run ``code`` in it, stop it."""
    from jupyter_client import KernelManager

    from pcplib import forkserver

    km = KernelManager(kernel_name="pcp")
    km.kernel_id = str(uuid.uuid4())
    km.provisioner = forkserver.get_provisioner_class()(
        kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km
    )
    km.start_kernel(cwd=str(REPO))
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=300)
        reply = kc.execute_interactive(code, timeout=300, output_hook=lambda msg: None)
        if reply["content"]["status"] != "ok":
            raise SystemExit(f"importing the report's modules failed: {reply['content']}")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def time_forked_floor(code: str, kernels: int, at_once: int) -> float:
    """Wall seconds: a fork server started, ``kernels`` kernels forked from it import ``code``."""
    from pcplib import forkserver

    started = time.perf_counter()
    with forkserver.serve_kernels("pcp", REPO) as server:
        if server is None:
            raise SystemExit("the pcp kernel spec cannot be forked")
        with ThreadPoolExecutor(max_workers=at_once) as pool:
            list(pool.map(lambda _: start_forked_and_import(code), range(kernels)))
    return time.perf_counter() - started


def time_floor(code: str, kernels: int, at_once: int) -> float:
    """Wall seconds to start ``kernels`` kernels and import ``code``, ``at_once`` at a time."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=at_once) as pool:
        list(pool.map(lambda _: start_and_import(code), range(kernels)))
    return time.perf_counter() - started


def read_run_stages(folder: Path) -> dict[str, float]:
    """Return the run's own stages from its ``run.log`` line ``run stages: ...``."""
    text = (folder / "run.log").read_text(encoding="utf-8")
    found = re.findall(r"run stages: (.*)", text)
    if not found:
        return {}
    # Names are stripped: each after the first follows ", " (before, " screenshots" was
    # never found as "screenshots", so screenshots were reported as not taken).
    return {
        name.strip(): float(seconds)
        for name, seconds in re.findall(r"([a-z -]+?) ([\d.]+) s", found[-1])
    }


def mean_report_stages(folder: Path) -> dict[str, float]:
    """Mean seconds per stage over a run's reports, from its ``manifest.json``."""
    from pcplib.run import timing

    reports = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["reports"]
    summaries = [timing.summarise_stages(r.get("stages", {})) for r in reports]
    if not summaries:
        return {}
    return {k: sum(s[k] for s in summaries) / len(summaries) for k in [*STAGES, "total"]}


def print_target(name: str, value: float, sense: str, target: float) -> None:
    """Print one target's figure and whether it was met (MISSED otherwise)."""
    met = value <= target if sense == "<=" else value >= target
    print(f"  {name:<26} {value:6.2f}  (target {sense} {target:g}: {'met' if met else 'MISSED'})")


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default="2026-09")
    parser.add_argument("--slot", default="2026-11", help="the slot the CLI loop passes")
    parser.add_argument("--floor-samples", type=int, default=2)
    parser.add_argument("--skip-loop", action="store_true", help="skip (a), the slow one")
    args = parser.parse_args()

    strategies = list_strategies()
    cores = run.count_cpus()
    n = len(strategies)
    period = ["--period", args.period]
    print(f"{n} strategy reports, period {args.period}, {cores} cores")
    print("Absolute seconds depend on how busy the machine is; the ratios are measured in one run.")
    scratch = Path(tempfile.mkdtemp(prefix="pcp-bench-"))
    try:
        code = build_floor_code(read_report_modules(strategies[0], args.period, scratch))
        loop = None
        if not args.skip_loop:
            (scratch / "loop").mkdir()
            loop = time_cli_loop(strategies, args.period, args.slot, scratch / "loop")
            print(f"(a) papermill + nbconvert CLI loop:      {loop:7.1f} s")
        floors = [time_floor(code, n, cores) for _ in range(max(1, args.floor_samples // 2))]
        default_jobs = run.default_jobs()
        parallel = time_pcp_run(scratch / "b", "--all", *period, "--no-screenshots")
        print(f"(b) pcp run --all (--jobs {default_jobs}):             {parallel:7.1f} s")
        floors += [time_floor(code, n, cores) for _ in range(max(1, args.floor_samples // 2))]
        floor = sum(floors) / len(floors)
        print(
            f"(c) floor: {n} kernels started + report imports, {cores} at a time: {floor:.1f} s "
            f"(samples {', '.join(f'{f:.1f}' for f in floors)})"
        )
        forked_floor = time_forked_floor(code, n, cores)
        print(
            f"(c') forked floor: fork server + {n} forked kernels, {cores} at a time: "
            f"{forked_floor:.1f} s"
        )
        stages = mean_report_stages(scratch / "b" / f"all-{args.period}")
        print(
            "    (b) per report, mean seconds: "
            + ", ".join(f"{k} {v:.2f}" for k, v in stages.items())
        )
        one_floor_samples = [time_floor(code, 1, 1)]
        one = time_pcp_run(scratch / "d", "--strategy", strategies[0], *period, "--no-screenshots")
        one_floor_samples.append(time_floor(code, 1, 1))
        one_floor = sum(one_floor_samples) / len(one_floor_samples)
        one_forked_floor = time_forked_floor(code, 1, 1)
        print(
            f"(d) one report: {one:.1f} s; its floor {one_floor:.1f} s "
            f"(samples {', '.join(f'{f:.1f}' for f in one_floor_samples)}); "
            f"forked floor {one_forked_floor:.1f} s"
        )
        shots = time_pcp_run(scratch / "e", "--all", *period)
        run_stages = read_run_stages(scratch / "e" / f"all-{args.period}")
        shot_seconds = run_stages.get("screenshots")
        print(f"(e) pcp run --all with screenshots:      {shots:7.1f} s", end="")
        print(
            f" (screenshots {shot_seconds:.1f} s)" if shot_seconds is not None else " (none taken)"
        )
        print("(f) scaling, pcp run --all --no-screenshots:")
        scaling = {}
        for jobs in range(1, cores + 2):
            scaling[jobs] = time_pcp_run(
                scratch / f"f{jobs}", "--all", *period, "--jobs", str(jobs), "--no-screenshots"
            )
        scaling[default_jobs] = parallel
        for jobs, seconds in scaling.items():
            print(
                f"    --jobs {jobs}: {seconds:6.1f} s, {seconds / n:.2f} s per report, "
                f"speed-up {scaling[1] / seconds:.2f}x"
            )
        print("Targets:")
        print_target("(b)/(c) all vs floor", parallel / floor, "<=", 1.3)
        print_target("(d) one report vs floor", one / one_floor, "<=", 1.3)
        print(f"  (b)/(c') all vs forked floor  {parallel / forked_floor:6.2f}  (for information)")
        print(f"  (d) one vs forked floor      {one / one_forked_floor:6.2f}  (for information)")
        if loop is not None:
            print_target("(a)/(b) speed-up", loop / parallel, ">=", 8)
        if shot_seconds is not None:
            print_target("screenshots share of (e)", shot_seconds / shots, "<=", 0.15)
            print(
                f"  screenshots' added time ((e)-(b))/(e) {max(0.0, shots - parallel) / shots:6.2f}"
                "  (for information: the machine's load moves it)"
            )
        else:
            print("  screenshots share of (e): not measured (no Chromium on this machine)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
