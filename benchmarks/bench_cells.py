"""Benchmark: the CPU a strategy report's own cells take, as its kernel runs them.

The work beyond a report's kernel floor is its cells (issue #25). This runs
``notebooks/delivery_strategy.ipynb``'s code cells outside a kernel but as a forked
kernel meets them: in a fresh process per report that has first imported what the
fork server imports (:data:`pcplib.forkserver.PRELOAD`) and, as the server does,
frozen it for the garbage collector; then the data set is loaded and the cells run in
order with the report's parameters (the data set loaded before them, as a kernel
loads ``pcp run``'s snapshot in a stage of its own), and each cell's CPU time
(``time.process_time``) is recorded. CPU, not wall time: the machine may be shared,
and CPU time moves far less with other work than wall time does (it still moves:
take medians).

With ``--against PATH`` (another checkout of the project, such as a worktree of the
commit before a change) the same reports run with that checkout's code and notebook
too, interleaved with this one's, so the ratio of the two is measured in one run;
that checkout's processes do as its own fork server did (``--against-unfrozen`` for
one from before the server froze its imports).

Usage::

    .venv/bin/python benchmarks/bench_cells.py [--period 2026-09] [--repeats 3]
        [--strategies ID,ID] [--against /path/to/other/checkout]

Without ``--strategies`` it times the first five strategies of the forward plan.

No target: it prints the median CPU of each cell and of all of them per report, and
the ratio to the other checkout's when given.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = "notebooks/delivery_strategy.ipynb"


def run_child(period: str, strategy: str, freeze: bool) -> None:
    """In a fresh process (the current directory a checkout): run one report's cells.

    Prints one JSON line: the CPU seconds of each code cell after the parameters cell.
    """
    import gc

    import IPython.display

    from pcplib.forkserver import PRELOAD, preload

    os.environ.setdefault("MPLBACKEND", "Agg")
    preload(PRELOAD)
    if freeze:
        gc.collect()
        gc.freeze()

    def show(*objects: object, **_: object) -> None:
        # What a kernel's display does with a fragment: ask it for its HTML.
        for item in objects:
            getattr(item, "_repr_html_", lambda: None)()

    IPython.display.display = show
    # A kernel loads the data set as a stage of its own (``pcp run``'s snapshot, about
    # 0.02 s), not in the cells' time: it is loaded here first and handed to the cell.
    import pcplib.data
    from pcplib.data.identity import find_default_data
    from pcplib.run.render import resolve_repo_path

    dataset = pcplib.data.load_dataset(resolve_repo_path(find_default_data()))
    pcplib.data.load_dataset = lambda *_, **__: dataset
    cells = [
        c for c in json.loads(Path(NOTEBOOK).read_text(encoding="utf-8"))["cells"]
        if c["cell_type"] == "code" and "remove_cell" not in c.get("metadata", {}).get("tags", [])
    ]  # fmt: skip
    namespace: dict[str, object] = {"__name__": "__main__"}
    exec("".join(cells[0]["source"]), namespace)  # noqa: S102 - the parameters cell
    namespace.update(strategy=strategy, period_end=period)
    seconds = []
    for cell in cells[1:]:
        code = compile("".join(cell["source"]), NOTEBOOK, "exec")
        started = time.process_time()
        exec(code, namespace)  # noqa: S102
        seconds.append(time.process_time() - started)
    print(json.dumps(seconds))


def list_strategies() -> list[str]:
    """Return every strategy in the default data set's forward plan, in its order."""
    from pcplib import run
    from pcplib.data.forward_plan import load_forward_plan
    from pcplib.data.identity import find_default_data
    from pcplib.run.render import resolve_repo_path

    data = resolve_repo_path(find_default_data())
    return run.known_strategies(load_forward_plan(data / "forward_plan.yaml"))


def time_report(checkout: Path, period: str, strategy: str, freeze: bool) -> list[float]:
    """Each cell's CPU seconds for one report, with ``checkout``'s code, in a new process."""
    env = {**os.environ, "PYTHONPATH": str(checkout), "MPLBACKEND": "Agg"}
    argv = [sys.executable, str(Path(__file__).resolve()), "--child", strategy]
    argv += ["--period", period] + (["--freeze"] if freeze else [])
    done = subprocess.run(
        argv, cwd=checkout, env=env, capture_output=True, text=True, check=True, timeout=600
    )
    return [float(s) for s in json.loads(done.stdout.strip().splitlines()[-1])]


def main() -> None:
    """Run the benchmark (or, with ``--child``, one report's cells)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default="2026-09")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--strategies", help="ids, comma-separated (default: the first five)")
    parser.add_argument("--against", type=Path, help="another checkout, measured alongside")
    parser.add_argument("--against-unfrozen", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--freeze", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.period, args.child, args.freeze)
        return
    trees = {"this checkout": (REPO, True)}
    if args.against:
        trees["against"] = (args.against.resolve(), not args.against_unfrozen)
    # The plan's own strategies, so the benchmark serves any force's data set.
    strategies = args.strategies.split(",") if args.strategies else list_strategies()[:5]
    totals: dict[str, list[float]] = {name: [] for name in trees}
    cells: dict[str, list[list[float]]] = {name: [] for name in trees}
    for repeat in range(args.repeats):
        # Alternate which goes first, so a busier moment flatters neither.
        order = list(trees) if repeat % 2 == 0 else list(reversed(trees))
        for strategy in strategies:
            for name in order:
                checkout, freeze = trees[name]
                seconds = time_report(checkout, args.period, strategy, freeze)
                totals[name].append(sum(seconds))
                cells[name].append(seconds)
    reports = args.repeats * len(strategies)
    print(f"{len(strategies)} strategy reports x {args.repeats}, period {args.period}")
    for name in trees:
        per_cell = [statistics.median(c) for c in zip(*cells[name], strict=False)]
        print(
            f"{name}: cells {statistics.median(totals[name]):.3f} s of CPU per report "
            f"(median of {reports}; mean {statistics.mean(totals[name]):.3f})"
        )
        print("  by code cell: " + ", ".join(f"{s:.3f}" for s in per_cell))
    if args.against:
        ratios = [a / b for a, b in zip(totals["this checkout"], totals["against"], strict=True)]
        print(f"this checkout / against, per report: median {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
