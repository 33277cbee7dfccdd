"""Where each report's time goes: the per-report and per-run stage timings of ``pcp run``.

A report's wall time is split into stages measured from the run itself:

- ``kernel start``: from asking papermill to execute the notebook to its first
  cell starting (checking the parameters, starting the kernel, waiting for it);
- ``imports``: the cell that loaded the data set, less the data load (what that
  cell imports, mostly);
- ``data load``: :func:`pcplib.data.load_dataset` inside the kernel (reading the
  files, and validating them unless the runner's digest says it already did);
- ``cell N``: every other code cell, by its position in the executed notebook
  (what a cell imports on first use, such as scipy or matplotlib, counts in it);
- ``kernel stop``: from the last cell ending to papermill returning;
- ``notebook write`` and ``html``: scrubbing and writing the executed notebook,
  and rendering it to HTML.

Kernels report the data load through a file named by
:data:`pcplib.stage_times.STAGE_TIMES_ENV`
(one JSON line per stage: name, wall-clock start, seconds), so that nothing is
added to the notebooks or their outputs. The run's own stages (start-up and
validation, execution, screenshots, publishing) are timed by the pipeline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any


def parse_papermill_time(value: Any) -> float | None:
    """Turn a time papermill recorded (ISO-8601, UTC, maybe ending ``Z``) into epoch seconds.

    Parameters
    ----------
    value : Any
        The recorded value.

    Returns
    -------
    float or None
        Seconds since the epoch, or None when absent or unreadable.
    """
    if not isinstance(value, str) or not value:
        return None
    text = value[:-1] + "+00:00" if value.endswith("Z") else value
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


def split_execution(
    nb: Any,
    started: float,
    finished: float,
    kernel_stages: Sequence[Mapping[str, Any]] = (),
) -> dict[str, float]:
    """Split one notebook execution's wall time into stages, from papermill's cell times.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook, before its times are scrubbed.
    started, finished : float
        Wall-clock (epoch) seconds around the execution.
    kernel_stages : sequence of mapping
        What the kernel recorded (:func:`pcplib.stage_times.read_stage_times`).

    Returns
    -------
    dict
        Stage name to seconds, in execution order: ``kernel start``, then
        ``imports`` and ``data load`` for the cell that loaded the data, ``cell N``
        for the other code cells, then ``kernel stop``. Empty when papermill
        recorded no cell times.
    """
    cells = []
    for position, cell in enumerate(nb.cells, start=1):
        meta = cell.get("metadata", {}).get("papermill", {})
        begin = parse_papermill_time(meta.get("start_time"))
        end = parse_papermill_time(meta.get("end_time"))
        if cell.get("cell_type") == "code" and begin is not None and end is not None:
            cells.append((position, begin, end))
    if not cells:
        return {}
    stages: dict[str, float] = {"kernel start": max(0.0, cells[0][1] - started)}
    for position, begin, end in cells:
        inside = [
            s for s in kernel_stages if begin - 0.05 <= float(s.get("started", 0.0)) <= end + 0.05
        ]
        seconds = max(0.0, end - begin)
        if inside:
            measured = sum(float(s.get("seconds", 0.0)) for s in inside)
            stages["imports"] = stages.get("imports", 0.0) + max(0.0, seconds - measured)
            for stage in inside:
                name = str(stage.get("stage", "kernel"))
                stages[name] = stages.get(name, 0.0) + float(stage.get("seconds", 0.0))
        else:
            stages[f"cell {position}"] = seconds
    stages["kernel stop"] = max(0.0, finished - cells[-1][2])
    return stages


def format_stages(stages: Mapping[str, float]) -> str:
    """Write stage timings on one line, for ``run.log``.

    Parameters
    ----------
    stages : mapping
        Stage name to seconds.

    Returns
    -------
    str
        Such as ``kernel start 0.71 s, imports 0.52 s, data load 0.31 s, cell 3 0.20 s``.
    """
    return ", ".join(f"{name} {seconds:.2f} s" for name, seconds in stages.items())


def summarise_stages(stages: Mapping[str, float]) -> dict[str, float]:
    """Fold a report's stages into the columns ``--profile`` prints.

    Parameters
    ----------
    stages : mapping
        Stage name to seconds (:func:`split_execution` plus ``notebook write``, ``html``).

    Returns
    -------
    dict
        ``kernel start``, ``imports``, ``data load``, ``cells`` (every ``cell N``),
        ``kernel stop``, ``notebook write``, ``html`` and ``total``.
    """
    columns = ["kernel start", "imports", "data load", "kernel stop", "notebook write", "html"]
    summary = {name: float(stages.get(name, 0.0)) for name in columns}
    summary["cells"] = sum(v for k, v in stages.items() if k not in columns)
    summary["total"] = sum(float(v) for v in stages.values())
    return summary


def round_stages(stages: Mapping[str, float]) -> dict[str, float]:
    """Round stage timings to hundredths of a second, for ``manifest.json``.

    Parameters
    ----------
    stages : mapping
        Stage name to seconds.

    Returns
    -------
    dict
        The same, rounded.
    """
    return {name: round(float(seconds), 2) for name, seconds in stages.items()}


def print_profile(console: Any, results: Sequence[Any], run_stages: Mapping[str, float]) -> None:
    """Print where each report's time went, and the run's own stages (``--profile``).

    Parameters
    ----------
    console : rich.console.Console
        Where to print.
    results : list of JobResult
        The reports, with their stages.
    run_stages : dict
        The run's stages, in seconds.
    """
    from rich.table import Table

    table = Table(title="pcp run profile (seconds)")
    columns = [
        "kernel start",
        "imports",
        "data load",
        "cells",
        "kernel stop",
        "notebook write",
        "html",
        "total",
    ]
    table.add_column("Report")
    for column in columns:
        table.add_column(column, justify="right")
    for result in results:
        summary = summarise_stages(result.stages)
        table.add_row(result.job.name, *(f"{summary[c]:.2f}" for c in columns))
    console.print(table)
    console.print(
        f"run stages: {format_stages(run_stages)}", highlight=False, markup=False, soft_wrap=True
    )
