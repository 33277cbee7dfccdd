"""``judgements.csv``: the judgements of every report in a run, one row per measure shown.

The rows come from the same assessment the notebooks format
(:func:`pcplib.assessment.judgements.tabulate_judgements`), so the file and the HTML
cannot disagree: a strategy report's rows, and the Delivery Board view's, the plan
overview's and the public report's, are those its own kernel worked out
(:mod:`pcplib.run.collect`); the others' (and those of a kernel that handed nothing
back) are worked out from the validated data set. Strategy reports give their headline
and sub-measures (public measures only in a public run) with what changed since the
last meeting, the plan overview its public headline measures, the public report its
public measures, and the Delivery Board's view each strategy's overall rating with the
rating a quarter before; each strategy's overall rating is a row with ``measure_id``
``overall``. The annual evaluation's findings are tests of change over a year and stay
in its own table.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from pcplib.run import render
from pcplib.run.jobs import Job, RunPlan
from pcplib.spreadsheet_safety import neutralise_frame

__all__ = ["tabulate_job_judgements", "tabulate_run_judgements", "write_judgements"]


def _read_context(forward_plan: str, history_dir: str) -> tuple[Any, tuple[Any, ...]]:
    """The forward plan and the meeting history the notebooks read, from their parameters."""
    from pcplib.data.forward_plan import load_forward_plan
    from pcplib.data.history import list_meeting_records

    plan = load_forward_plan(render.resolve_repo_path(forward_plan)) if forward_plan else None
    records = list_meeting_records(render.resolve_repo_path(history_dir) if history_dir else None)
    return plan, tuple(records)


def tabulate_job_judgements(
    dataset: Any, job: Job, contexts: dict[tuple[str, str], Any] | None = None
) -> pd.DataFrame | None:
    """Return one report's rows of ``judgements.csv``, worked out from the data set.

    Parameters
    ----------
    dataset : pcplib.data.Dataset
        The validated data set.
    job : Job
        The report.
    contexts : dict, optional
        The forward plans and meeting histories already read, by the report's
        ``forward_plan`` and ``history_dir`` parameters; filled in as they are read, so
        a run reads them once, not once per report.

    Returns
    -------
    pandas.DataFrame or None
        The columns of :data:`pcplib.assessment.judgements.JUDGEMENT_COLUMNS`; None for
        a report that has no rows (the annual evaluation, the public report's About page).
    """
    from pcplib.assessment.continuity import compare_with_previous_meeting, find_previous_meeting
    from pcplib.assessment.continuity_columns import add_continuity_columns
    from pcplib.assessment.judgements import JUDGEMENT_COLUMNS, tabulate_judgements
    from pcplib.assessment.overview import tabulate_plan_overview
    from pcplib.assessment.public import tabulate_public_quarter
    from pcplib.assessment.scope import available_period_end
    from pcplib.assessment.strategy import summarise_strategy

    contexts = {} if contexts is None else contexts
    p = job.parameters
    if job.notebook == "delivery_strategy" and job.strategy:
        end = available_period_end(dataset, p["period_end"])
        summary = summarise_strategy(
            dataset, job.strategy, end, p.get("audience", "board"), p.get("spc_rules", "mdc"),
            slot=p.get("slot", ""),
        )  # fmt: skip
        key = (p.get("forward_plan", ""), p.get("history_dir", ""))
        if key not in contexts:
            contexts[key] = _read_context(*key)
        previous = find_previous_meeting(job.strategy, p["slot"], *contexts[key])
        continuity = compare_with_previous_meeting(
            dataset, summary, previous, p.get("spc_rules", "mdc"), slot=p["slot"]
        )
        return add_continuity_columns(tabulate_judgements([summary], job.name), continuity)
    if job.notebook == "delivery_board":
        # Only when its kernel did not hand its rows back (pcplib.run.collect).
        from pcplib.assessment.board import summarise_board_quarter, tabulate_board_judgements
        from pcplib.data.forward_plan import load_forward_plan
        from pcplib.data.history import list_meeting_runs, select_meeting_records

        forward_plan, history = p.get("forward_plan", ""), p.get("history_dir", "")
        plan = load_forward_plan(render.resolve_repo_path(forward_plan)) if forward_plan else None
        end = available_period_end(dataset, p["period_end"])
        # Every run kept, as the notebook reads them: a view of this quarter already
        # published makes this one an update to it; the meetings' records come from them.
        runs = list_meeting_runs(render.resolve_repo_path(history) if history else None)
        view = summarise_board_quarter(
            dataset, end, p.get("slot", ""), plan, select_meeting_records(runs), runs=runs
        )
        return tabulate_board_judgements(view, job.name)
    if job.notebook == "plan_overview":
        # Only when its kernel did not hand its rows back (pcplib.run.collect); the same
        # rows an analyst gets in the notebook, so the two cannot disagree.
        return tabulate_plan_overview(
            dataset, p["period_end"], columns=JUDGEMENT_COLUMNS, readable=False,
            audience=p.get("audience", "board"), slot=p.get("slot", ""),
        )  # fmt: skip
    if job.notebook == "public_quarterly":
        # Only when its kernel did not hand its rows back (pcplib.run.collect).
        return tabulate_public_quarter(
            dataset, p["quarter"], columns=JUDGEMENT_COLUMNS, readable=False
        )
    return None


def tabulate_run_judgements(
    dataset: Any, plan: RunPlan, known: Mapping[str, pd.DataFrame | None] | None = None
) -> pd.DataFrame:
    """Return the judgements of every report in a run.

    Parameters
    ----------
    dataset : pcplib.data.Dataset
        The validated data set.
    plan : RunPlan
        The run's jobs.
    known : mapping, optional
        Rows already worked out, by report name (None: the report has none), such as
        those a strategy report's kernel saved (:mod:`pcplib.run.collect`); the other
        reports' rows are worked out here.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`pcplib.assessment.judgements.JUDGEMENT_COLUMNS`, reports in
        the run's order.
    """
    from pcplib.assessment.judgements import JUDGEMENT_COLUMNS

    known = known or {}
    frames = []
    # The forward plan and history are read once per run, not once per report.
    contexts: dict[tuple[str, str], Any] = {}
    for job in plan.jobs:
        if job.name in known:
            frame = known[job.name]
        else:
            frame = tabulate_job_judgements(dataset, job, contexts)
        if frame is not None:
            frames.append(frame)
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
