"""``judgements.csv``: the judgements of every report in a run, one row per measure shown.

The rows come from the same assessment the notebooks format
(:func:`pcplib.assessment.judgements.tabulate_judgements`), worked out once from the
validated data set, so the file and the HTML cannot disagree. Strategy reports give
their headline and sub-measures (public measures only in a public run), the plan
overview its public headline measures, and the public report its public measures; each
strategy's overall rating is a row with ``measure_id`` ``overall``. The annual
evaluation's findings are tests of change over a year and stay in its own table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from pcplib.run import render
from pcplib.run.jobs import RunPlan
from pcplib.spreadsheet_safety import neutralise_frame

__all__ = ["tabulate_run_judgements", "write_judgements"]


def _read_context(forward_plan: str, history_dir: str) -> tuple[Any, tuple[Any, ...]]:
    """The forward plan and the meeting history the notebooks read, from their parameters."""
    from pcplib.data.forward_plan import load_forward_plan
    from pcplib.data.history import list_meeting_records

    plan = load_forward_plan(render.resolve_repo_path(forward_plan)) if forward_plan else None
    records = list_meeting_records(render.resolve_repo_path(history_dir) if history_dir else None)
    return plan, tuple(records)


def tabulate_run_judgements(dataset: Any, plan: RunPlan) -> pd.DataFrame:
    """Return the judgements of every report in a run.

    Parameters
    ----------
    dataset : pcplib.data.Dataset
        The validated data set.
    plan : RunPlan
        The run's jobs.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`pcplib.assessment.judgements.JUDGEMENT_COLUMNS`, reports in
        the run's order.
    """
    from pcplib.assessment.continuity import (
        add_continuity_columns,
        compare_with_previous_meeting,
        find_previous_meeting,
    )
    from pcplib.assessment.judgements import JUDGEMENT_COLUMNS, tabulate_judgements
    from pcplib.assessment.overview import tabulate_plan_overview
    from pcplib.assessment.public import tabulate_public_quarter
    from pcplib.assessment.scope import available_period_end
    from pcplib.assessment.strategy import summarise_strategy

    frames = []
    # The forward plan and history are read once per run, not once per report.
    contexts: dict[tuple[str, str], tuple[Any, tuple[Any, ...]]] = {}
    for job in plan.jobs:
        p = job.parameters
        if job.notebook == "delivery_strategy" and job.strategy:
            end = available_period_end(dataset, p["period_end"])
            summary = summarise_strategy(
                dataset, job.strategy, end, p.get("audience", "cgb"), p.get("spc_rules", "mdc")
            )
            plan_text, history_text = p.get("forward_plan", ""), p.get("history_dir", "")
            key = (plan_text, history_text)
            if key not in contexts:
                contexts[key] = _read_context(*key)
            previous = find_previous_meeting(job.strategy, p["slot"], *contexts[key])
            continuity = compare_with_previous_meeting(
                dataset, summary, previous, p.get("spc_rules", "mdc")
            )
            frames.append(
                add_continuity_columns(tabulate_judgements([summary], job.name), continuity)
            )
        elif job.notebook == "plan_overview":
            # The same rows an analyst gets in the notebook, so the two cannot disagree.
            frames.append(
                tabulate_plan_overview(
                    dataset, p["period_end"], columns=JUDGEMENT_COLUMNS, readable=False
                )
            )
        elif job.notebook == "public_quarterly":
            frames.append(
                tabulate_public_quarter(
                    dataset, p["quarter"], columns=JUDGEMENT_COLUMNS, readable=False
                )
            )
    if not frames:
        return pd.DataFrame(columns=JUDGEMENT_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def write_judgements(frame: pd.DataFrame, path: Path) -> None:
    """Write the judgements as UTF-8 CSV with LF line endings, the same bytes every run.

    Text that a spreadsheet would run as a formula is neutralised first
    (:mod:`pcplib.spreadsheet_safety`): the README invites readers to open this file in
    Excel or Power BI, and measure names and sources come from editable inputs.
    """
    neutralise_frame(frame).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
