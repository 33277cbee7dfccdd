"""Keep what each meeting was told: an append-only record of every published run.

After a run for a meeting of the forward plan is published, its ``judgements.csv`` and
the commitments and actions its reports showed are copied to
``<output folder>/history/<slot>/<run>/`` with a ``record.json`` (slot, data period,
production time). Each run gets a new numbered folder, created exclusively, so nothing
already on file is ever rewritten; :mod:`pcplib.data.history` reads it back.

The history sits beside the outputs rather than inside the data set because the data
set is an input the runner never writes; it sits outside each published slot's folder
so that republishing a slot (which replaces that folder) cannot touch it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pandas as pd

from pcplib.run.jobs import RunPlan
from pcplib.run.public_check import is_public_run
from pcplib.spreadsheet_safety import neutralise_frame

__all__ = ["HISTORY_FOLDER", "record_meeting"]

HISTORY_FOLDER = "history"


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    # "x": a file already there is an error, never overwritten. Neutralised because the
    # history is a folder of CSV files a reader may open in a spreadsheet, and owners'
    # text is in it; pcplib.data.history restores the cells as it reads them.
    with path.open("x", encoding="utf-8", newline="") as handle:
        neutralise_frame(frame).to_csv(handle, index=False, lineterminator="\n")


def record_meeting(
    out_dir: Path, plan: RunPlan, judgements: pd.DataFrame, dataset: Any, produced_at: str
) -> Path | None:
    """Add a published run to the meeting history.

    Parameters
    ----------
    out_dir : Path
        The output folder the run published into.
    plan : RunPlan
        The run; only a meeting's own run (a slot, ``for_meeting``) is recorded.
    judgements : pandas.DataFrame
        The run's ``judgements.csv`` rows.
    dataset : pcplib.data.Dataset
        The data set the run read (its commitments and actions are kept).
    produced_at : str
        When the run was produced.

    Returns
    -------
    Path or None
        The new record's folder; None for a run that is not for a meeting, and for a
        public run (:func:`pcplib.run.public_check.is_public_run`).
    """
    if not plan.slot or not plan.period_end or not plan.for_meeting or is_public_run(plan):
        # A public version is not what the meeting was told, and the record holds the
        # Board's commitments and actions, which are not for a public folder.
        return None
    slot_dir = out_dir / HISTORY_FOLDER / plan.slot
    slot_dir.mkdir(parents=True, exist_ok=True)
    number = 1 + sum(1 for p in slot_dir.iterdir() if p.is_dir())
    while True:
        folder = slot_dir / f"run-{number:03d}"
        try:
            folder.mkdir()
            break
        except FileExistsError:
            number += 1
    try:
        # The Delivery Board's view shows every strategy's commitments and actions: a run
        # holding it keeps them all; otherwise the run's own strategies' are what it showed.
        board = any(job.notebook == "delivery_board" for job in plan.jobs)
        strategies = set() if board else {job.strategy for job in plan.jobs if job.strategy}
        for name in ("commitments", "actions"):
            table = getattr(dataset, name, None)
            if not isinstance(table, pd.DataFrame):
                table = pd.DataFrame()
            if "strategy_id" in table.columns and strategies:
                table = table[table["strategy_id"].isin(strategies)]
            _write_csv(table, folder / f"{name}.csv")
        _write_csv(judgements, folder / "judgements.csv")
        meta = {
            "slot": plan.slot,
            "period_end": plan.period_end,
            "produced_at": produced_at,
            "folder": plan.folder,
            "reports": [job.name for job in plan.jobs],
        }
        with (folder / "record.json").open("x", encoding="utf-8") as handle:
            json.dump(meta, handle, indent=2, sort_keys=True)
            handle.write("\n")
    except BaseException:
        # A half-written record (a full disk) would be read as what the meeting was told.
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder
