"""Stage timings a kernel records for the runner that started it (``pcp run``'s profile).

This module imports nothing heavy: kernels import it while loading the data set.
When :data:`STAGE_TIMES_ENV` names a file, :func:`time_stage` appends one JSON
line per timed stage to it; otherwise it only runs the block.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

STAGE_TIMES_ENV = "PCP_STAGE_TIMES_FILE"
"""Environment variable naming the file a kernel appends its own stage timings to."""


def record_stage(name: str, started: float, seconds: float) -> None:
    """Append one stage timing to the file named by :data:`STAGE_TIMES_ENV`, if set.

    Parameters
    ----------
    name : str
        The stage, such as ``data load``.
    started : float
        Its wall-clock start (``time.time()``).
    seconds : float
        Its duration.
    """
    target = os.environ.get(STAGE_TIMES_ENV, "").strip()
    if not target:
        return
    line = json.dumps({"stage": name, "started": started, "seconds": seconds})
    try:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    except OSError:
        # A timing that cannot be written must never fail a report.
        pass


@contextmanager
def time_stage(name: str) -> Iterator[None]:
    """Time the enclosed block and record it with :func:`record_stage`.

    Parameters
    ----------
    name : str
        The stage.

    Yields
    ------
    None
    """
    wall = time.time()
    started = time.perf_counter()
    try:
        yield
    finally:
        record_stage(name, wall, time.perf_counter() - started)


def read_stage_times(path: Path) -> list[dict[str, Any]]:
    """Read the stage timings a kernel recorded (see :func:`record_stage`).

    Parameters
    ----------
    path : Path
        The file; missing means nothing was recorded.

    Returns
    -------
    list of dict
        ``{"stage", "started", "seconds"}`` per stage, in the order recorded.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return []
    stages = []
    for line in text.splitlines():
        try:
            stages.append(json.loads(line))
        except ValueError:
            continue
    return stages
