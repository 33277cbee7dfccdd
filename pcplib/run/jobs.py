"""The reports a run produces: one job per notebook execution, and what became of it.

A :class:`Job` names a template notebook (a key of :data:`NOTEBOOKS`), its papermill
parameters and the report's title; a :class:`RunPlan` lists a run's jobs and the
folder they are published to; a :class:`JobResult` says how a job went. There is
one ``plan_*_job`` function per kind of report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pcplib.labels import label_meeting
from pcplib.periods import label_quarter
from pcplib.run import render

NOTEBOOKS: dict[str, Path] = {
    "delivery_strategy": Path("notebooks/delivery_strategy.ipynb"),
    "plan_overview": Path("notebooks/plan_overview.ipynb"),
    "public_quarterly": Path("notebooks/public_quarterly.ipynb"),
    "public_quarterly_about": Path("notebooks/public_quarterly_about.ipynb"),
    "annual_evaluation": Path("notebooks/annual_evaluation.ipynb"),
    "delivery_board": Path("notebooks/delivery_board.ipynb"),
}
SPC_RULES = "mdc"
NO_MEETING = "Not prepared for a meeting"
"""What a report built outside any meeting of the forward plan says its meeting is."""


@dataclass(frozen=True)
class Job:
    """One notebook execution and the report it produces.

    Attributes
    ----------
    name : str
        Output file stem: ``<strategy>``, ``plan-overview``, ``public-quarterly``,
        ``public-quarterly-about`` or ``annual-evaluation``.
    notebook : str
        Key of :data:`NOTEBOOKS`.
    parameters : dict
        Papermill parameters (all strings).
    title : str
        What the index calls the report.
    strategy : str or None
        The delivery strategy id, for strategy reports.
    """

    name: str
    notebook: str
    parameters: dict[str, str]
    title: str
    strategy: str | None = None


@dataclass
class JobResult:
    """What happened to one job.

    Attributes
    ----------
    job : Job
        The job.
    ok : bool
        True when the notebook executed and its HTML was written.
    seconds : float
        Wall time of execution and rendering.
    error : str
        One line saying what failed (empty on success).
    cell : int or None
        The failing cell's position in the executed notebook (1-based).
    execution_count : int or None
        The failing cell's ``In [n]`` number.
    stages : dict
        Where the seconds went, stage name to seconds (see :mod:`pcplib.run.timing`);
        empty for a failed job.
    """

    job: Job
    ok: bool
    seconds: float = 0.0
    error: str = ""
    cell: int | None = None
    execution_count: int | None = None
    stages: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class RunPlan:
    """What a run produces and where.

    Attributes
    ----------
    folder : str
        Folder name under the output directory (``2026-11``, ``public-2026-27-Q2``).
    heading : str
        The index page's heading.
    jobs : tuple of Job
        The reports, in index order.
    slot : str or None
        The board meeting's slot (``YYYY-MM``) when the run is for one.
    period_end : str or None
        Last month of the data period (``YYYY-MM``).
    for_meeting : bool, default True
        Whether the run is the meeting's own (``--slot``, ``--default``) and so what the
        meeting was told. A run of ``--all`` or ``--strategy`` is labelled with the slot
        its period belongs to, but is not kept in the meeting history.
    """

    folder: str
    heading: str
    jobs: tuple[Job, ...]
    slot: str | None
    period_end: str | None
    for_meeting: bool = True


def repo_parameter(path: Path) -> str:
    """Express a path as a notebook parameter: relative to the repository root when inside it.

    Parameters
    ----------
    path : Path
        The path.

    Returns
    -------
    str
        A repository-relative POSIX path, or the absolute path when outside the repository.
    """
    absolute = path.resolve()
    try:
        return absolute.relative_to(render.find_repo_root()).as_posix()
    except ValueError:
        return str(absolute)


def notebook_path(key: str) -> Path:
    """Return the template notebook for a :data:`NOTEBOOKS` key.

    Parameters
    ----------
    key : str
        ``delivery_strategy``, ``plan_overview``, ``public_quarterly`` or ``annual_evaluation``.

    Returns
    -------
    Path
        The absolute path.
    """
    return render.resolve_repo_path(NOTEBOOKS[key])


def describe_meeting(slot: str | None, board: str = "Board") -> str:
    """The meeting a report is for, in words: ``"<board name>, November 2026"``.

    Parameters
    ----------
    slot : str or None
        The meeting month ``YYYY-MM``, or None for a report built for no meeting.
    board : str, default "Board"
        The board's name (the data set's ``board.name``).

    Returns
    -------
    str
        The words the report and the index show; :data:`NO_MEETING` without a slot.
    """
    return label_meeting(board, slot) if slot else NO_MEETING


def plan_strategy_job(
    strategy: str,
    slot: str,
    period_end: str,
    data_param: str,
    produced_at: str,
    title: str = "",
    audience: str = "board",
    meeting: str = "",
    forward_plan: str = "",
    history_dir: str = "",
) -> Job:
    """Plan one delivery-strategy report for the board.

    Parameters
    ----------
    strategy : str
        Strategy id, e.g. ``safer-streets``.
    slot, period_end : str
        The board meeting and the data period's last month (``YYYY-MM``).
    data_param : str
        The data folder as a notebook parameter.
    produced_at : str
        The time the report says it was produced.
    title : str, optional
        The strategy's name for the index (the id when empty).
    audience : str, default "board"
        ``board`` (restricted measures shown) or ``public`` (restricted measures removed).
    meeting : str, optional
        The meeting the report is for, in words (:func:`describe_meeting`); the slot's
        meeting when empty.
    forward_plan, history_dir : str, optional
        The forward plan and the meeting history as notebook parameters: the report's
        "Since the last meeting" compares with the last meeting they name (none when
        both are empty).

    Returns
    -------
    Job
        The job.
    """
    return Job(
        name=strategy,
        notebook="delivery_strategy",
        parameters={
            "strategy": strategy,
            "slot": slot,
            "meeting": meeting or describe_meeting(slot),
            "period_end": period_end,
            "data_dir": data_param,
            "spc_rules": SPC_RULES,
            "audience": audience,
            "forward_plan": forward_plan,
            "history_dir": history_dir,
            "produced_at": produced_at,
        },
        title=title or strategy,
        strategy=strategy,
    )


def plan_overview_job(
    slot: str,
    period_end: str,
    data_param: str,
    produced_at: str,
    meeting: str = "",
    forward_plan: str = "",
    audience: str = "board",
) -> Job:
    """Plan the plan overview across every strategy.

    Parameters
    ----------
    slot, period_end : str
        The board meeting and the data period's last month.
    data_param : str
        The data folder as a notebook parameter.
    produced_at : str
        The time the report says it was produced.
    meeting : str, optional
        The meeting it is for, in words; the slot's meeting when empty.
    forward_plan : str, optional
        The forward plan the run uses, as a notebook parameter (the data set's own when
        empty): it says whether the meeting has new data since an earlier one.
    audience : {"board", "public"}, default "board"
        The Board's overview names restricted measures, risks and Board actions in its
        "But:" notes; the public one leaves them out and says so.

    Returns
    -------
    Job
        The job.
    """
    return Job(
        name="plan-overview",
        notebook="plan_overview",
        parameters={
            "slot": slot,
            "meeting": meeting or describe_meeting(slot),
            "period_end": period_end,
            "data_dir": data_param,
            "forward_plan": forward_plan,
            "produced_at": produced_at,
            "audience": audience,
        },
        title="Plan overview: every delivery strategy",
    )


def plan_board_job(
    slot: str,
    period_end: str,
    data_param: str,
    produced_at: str,
    forward_plan: str = "",
    history_dir: str = "",
    board_name: str = "",
) -> Job:
    """Plan the Delivery Board's quarterly view, built with the slot's other reports.

    Parameters
    ----------
    slot, period_end : str
        The meeting the view is prepared for and the data period's last month.
    data_param : str
        The data folder as a notebook parameter.
    produced_at : str
        The time the view says it was produced.
    forward_plan, history_dir : str, optional
        The forward plan (when owners' returns are due) and the meeting history (what
        the Board was told on the quarter before) as notebook parameters.
    board_name : str, optional
        The board's name from the data set, for the index's title.

    Returns
    -------
    Job
        The job.
    """
    return Job(
        # pcplib.assessment.board.BOARD_REPORT: the board finds its own rows in the
        # history by it (not imported, to keep the runner's start light; a test checks).
        name="delivery-board",
        notebook="delivery_board",
        parameters={
            "slot": slot,
            # The index lists the view under the board it is for, not the slot's board.
            "meeting": f"{board_name or 'Delivery Board'}, {label_quarter(period_end)}",
            "period_end": period_end,
            "data_dir": data_param,
            "forward_plan": forward_plan,
            "history_dir": history_dir,
            "produced_at": produced_at,
        },
        title=f"{board_name or 'Delivery Board'}: quarterly view, by owner",
    )


def plan_public_job(quarter: str, data_param: str, plan_param: str, produced_at: str) -> Job:
    """Plan the quarterly public monitoring report.

    Parameters
    ----------
    quarter : str
        Quarter label such as ``2026/27 Q2``.
    data_param, plan_param : str
        Data folder and forward plan as notebook parameters.
    produced_at : str
        The time the report says it was produced.

    Returns
    -------
    Job
        The job.
    """
    return Job(
        name="public-quarterly",
        notebook="public_quarterly",
        parameters={
            "quarter": quarter,
            "data_dir": data_param,
            "forward_plan": plan_param,
            "produced_at": produced_at,
        },
        title=f"Public monitoring report, {quarter}",
    )


def plan_public_about_job(quarter: str, data_param: str, produced_at: str) -> Job:
    """Plan the public report's "About these figures" page, published beside it.

    The public report links to it (``public-quarterly-about.html``) for the method,
    the data-quality notes, the sources, checksums and the code version, so that the
    report itself stays short.

    Parameters
    ----------
    quarter : str
        Quarter label such as ``2026/27 Q2``.
    data_param : str
        Data folder as a notebook parameter.
    produced_at : str
        The time the page says it was produced.

    Returns
    -------
    Job
        The job.
    """
    return Job(
        name="public-quarterly-about",
        notebook="public_quarterly_about",
        parameters={"quarter": quarter, "data_dir": data_param, "produced_at": produced_at},
        title=f"About the figures in the public monitoring report, {quarter}",
    )


def plan_annual_job(year: str, data_param: str, produced_at: str) -> Job:
    """Plan the annual evaluation of the plan's impact.

    Parameters
    ----------
    year : str
        Financial year such as ``2025/26``.
    data_param : str
        Data folder as a notebook parameter.
    produced_at : str
        The time the report says it was produced.

    Returns
    -------
    Job
        The job.
    """
    return Job(
        name="annual-evaluation",
        notebook="annual_evaluation",
        parameters={"year": year, "data_dir": data_param, "produced_at": produced_at},
        title=f"Annual evaluation, {year}",
    )


def name_strategies(dataset: Any, strategies: Sequence[str]) -> dict[str, str]:
    """Look up each strategy's name in the data set (the id where it has none).

    Parameters
    ----------
    dataset : pcplib.data.Dataset or None
        The loaded data set.
    strategies : sequence of str
        Strategy ids.

    Returns
    -------
    dict
        Id to name.
    """
    names = {s: s for s in strategies}
    frame = getattr(dataset, "strategies", None)
    if frame is not None and {"strategy_id", "strategy_name"} <= set(frame.columns):
        lookup = dict(zip(frame["strategy_id"], frame["strategy_name"], strict=True))
        names.update({s: str(lookup[s]) for s in strategies if s in lookup})
    return names


def name_jobs(plan: RunPlan, dataset: Any) -> RunPlan:
    """Title each strategy report with the strategy's name from the data set.

    Parameters
    ----------
    plan : RunPlan
        The run, its strategy jobs titled by id.
    dataset : pcplib.data.Dataset
        The validated data set.

    Returns
    -------
    RunPlan
        The same run with strategy names as titles.
    """
    strategies = [job.strategy for job in plan.jobs if job.strategy]
    names = name_strategies(dataset, strategies)
    jobs = tuple(
        replace(job, title=names[job.strategy]) if job.strategy else job for job in plan.jobs
    )
    return replace(plan, jobs=jobs)
