"""What a strategy report's kernel hands back to the runner: its judgements and overall RAG.

A strategy report works out its strategy's summary once, in its kernel. The runner
needs the same summary twice (the report's rows of ``judgements.csv`` and its overall
RAG on the index); working it out again in the runner cost about a quarter of a
second of CPU per report, taken from the kernels. So the runner appends one cell to
the notebook it executes (:func:`build_collect_code`) that saves those rows and the
overall RAG to a file in the runner's own runtime folder
(:func:`save_strategy_results`), removes that cell from the executed notebook before
it is written, and reads the file back (:func:`read_strategy_results`). Nothing of it
reaches the outputs: the notebook, its HTML and ``judgements.csv`` are the bytes they
were.

The Delivery Board's view hands back its rows the same way (each strategy's overall
rating and the rating a quarter before, :func:`pcplib.assessment.board.tabulate_board_judgements`):
working its thirteen strategies out again in the runner would cost seconds of CPU. So do
the plan overview (its strategies' ``summaries``, which its table was built from:
:func:`pcplib.assessment.overview.tabulate_plan_overview`) and the public report (its
``public`` quarter's summaries: :func:`pcplib.assessment.public.tabulate_public_quarter`),
each of which the runner would otherwise judge again, every strategy (seconds of CPU).

Saving never fails a report: a notebook without a ``summary`` (or, for the board, a
``view``; for the overview, ``summaries``; for the public report, ``public``; an
analyst's edit) or a file that cannot be written leaves no file, and the runner works
the rows out itself, as before.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pcplib.run.index import OverallRag
    from pcplib.run.jobs import RunPlan

__all__ = [
    "StrategyResults",
    "build_collect_code",
    "collects_results",
    "gather_kernel_results",
    "read_strategy_results",
    "results_path",
    "save_strategy_results",
]


@dataclass(frozen=True)
class StrategyResults:
    """A strategy report's judgements and overall RAG, as its kernel worked them out.

    Attributes
    ----------
    judgements : pandas.DataFrame
        The report's rows of ``judgements.csv``
        (:func:`pcplib.assessment.judgements.tabulate_judgements`, with the columns of
        :func:`pcplib.assessment.continuity_columns.add_continuity_columns`).
    overall_rag : str
        The strategy's overall RAG.
    overall_explanation : str
        How it was rolled up.
    period_end : str
        The data period the summary was worked out for (the latest available).
    spc_rules : str
        The SPC rule set it used.
    rating_note : str, default ""
        The summary's "But: ..." note (what the overall rating alone would hide).
    rating_scope : str, default ""
        The summary's ``rating_scope`` (how few headline measures the rating rests on).
    """

    judgements: Any
    overall_rag: str
    overall_explanation: str
    period_end: str
    spc_rules: str
    rating_note: str = ""
    rating_scope: str = ""


def collects_results(notebook: str) -> bool:
    """Say whether the runner collects judgements from a notebook's kernel.

    Parameters
    ----------
    notebook : str
        A key of :data:`pcplib.run.jobs.NOTEBOOKS`.

    Returns
    -------
    bool
        True for strategy reports (one per strategy: most of a run's reports), the
        Delivery Board's view, the plan overview and the public report.
    """
    return notebook in ("delivery_strategy", "delivery_board", "plan_overview", "public_quarterly")


def results_path(folder: Path, name: str) -> Path:
    """Return where a report's kernel saves its results in a run.

    Parameters
    ----------
    folder : Path
        The runner's runtime folder (:func:`pcplib.run.runtime.process_runtime_dir`).
    name : str
        The report's name, unique in a run.

    Returns
    -------
    Path
        ``<folder>/results-<name>.pickle``.
    """
    return folder / f"results-{name}.pickle"


def build_collect_code(path: Path, name: str) -> str:
    """Return the code of the cell that saves a strategy report's results for the runner.

    Parameters
    ----------
    path : Path
        Where the kernel saves them (in the runner's runtime folder).
    name : str
        The report's name (its rows' ``report`` column).

    Returns
    -------
    str
        Two lines of Python, run after the notebook's own cells.
    """
    return (
        "from pcplib.run.collect import save_strategy_results\n"
        f"save_strategy_results({str(path)!r}, {name!r}, globals())\n"
    )


def save_strategy_results(
    path: str | os.PathLike[str], name: str, names: Mapping[str, Any]
) -> bool:
    """Save a strategy report's judgements and overall RAG from its kernel's variables.

    Parameters
    ----------
    path : str or os.PathLike
        Where to save them; written whole or not at all (a temporary file renamed).
    name : str
        The report's name.
    names : mapping
        The notebook's variables: ``summary`` (a
        :class:`pcplib.assessment.strategy.StrategySummary`), ``continuity`` (what changed
        since the last meeting, :mod:`pcplib.assessment.continuity`), ``data_end`` and
        ``spc_rules``.

    Returns
    -------
    bool
        True when saved; False when the notebook has no such variables or the file
        cannot be written (the runner then works the results out itself).
    """
    target = Path(path)
    partial = target.with_name(target.name + ".part")
    try:
        from pcplib.assessment.continuity_columns import add_continuity_columns
        from pcplib.assessment.judgements import tabulate_judgements

        if "summary" not in names and "view" in names:
            return _save_board_results(target, partial, name, names)
        if "summary" not in names and ("summaries" in names or "public" in names):
            return _save_plan_results(target, partial, name, names)
        summary = names["summary"]
        rows = add_continuity_columns(tabulate_judgements([summary], name), names["continuity"])
        results = StrategyResults(
            judgements=rows,
            overall_rag=str(summary.overall_rag),
            overall_explanation=str(getattr(summary, "overall_explanation", "")),
            period_end=str(names["data_end"]),
            spc_rules=str(names["spc_rules"]),
            rating_note=str(getattr(summary, "rating_note", "") or ""),
            rating_scope=str(getattr(summary, "rating_scope", "") or ""),
        )
        _dump(results, target, partial)
    except Exception:  # the report itself is done: never fail it over what the runner can redo
        partial.unlink(missing_ok=True)
        return False
    return True


def _dump(results: StrategyResults, target: Path, partial: Path) -> None:
    """Write the results whole or not at all: to a temporary file, then renamed."""
    with open(partial, "wb") as handle:
        pickle.dump(results, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, target)


def _save_board_results(target: Path, partial: Path, name: str, names: Mapping[str, Any]) -> bool:
    """Save the Delivery Board view's rows (no overall RAG: the index has none for it)."""
    from pcplib.assessment.board import tabulate_board_judgements

    view = names["view"]
    results = StrategyResults(
        judgements=tabulate_board_judgements(view, name),
        overall_rag="",
        overall_explanation="",
        period_end=str(view.period_end),
        spc_rules="",
    )
    _dump(results, target, partial)
    return True


def _save_plan_results(target: Path, partial: Path, name: str, names: Mapping[str, Any]) -> bool:
    """Save the plan overview's or the public report's rows, from the summaries it showed.

    The rows the runner would work out (:func:`pcplib.run.judgements.tabulate_job_judgements`)
    from the same summaries: the overview's ``summaries`` (for its audience and meeting), the
    public report's ``public.summaries``. No overall RAG: the index has none for them.
    """
    from pcplib.assessment.judgements import JUDGEMENT_COLUMNS
    from pcplib.assessment.overview import tabulate_plan_overview
    from pcplib.assessment.public import tabulate_public_quarter

    dataset, period_end = names["dataset"], str(names["data_end"])
    if "summaries" in names:
        rows = tabulate_plan_overview(
            dataset, period_end, columns=JUDGEMENT_COLUMNS, readable=False,
            summaries=names["summaries"],
        )  # fmt: skip
    else:
        public = names["public"]
        rows = tabulate_public_quarter(
            dataset, str(names["quarter"]), columns=JUDGEMENT_COLUMNS, readable=False,
            summaries=public.summaries,
        )  # fmt: skip
    results = StrategyResults(
        judgements=rows, overall_rag="", overall_explanation="", period_end=period_end,
        spc_rules="",
    )  # fmt: skip
    _dump(results, target, partial)
    return True


def read_strategy_results(path: Path) -> StrategyResults | None:
    """Read what a strategy report's kernel saved, if it did.

    Parameters
    ----------
    path : Path
        The file named in :func:`build_collect_code`; written by this run's own kernel,
        in this process's private runtime folder.

    Returns
    -------
    StrategyResults or None
        None when nothing (or something unreadable) was saved.
    """
    try:
        with open(path, "rb") as handle:
            results = pickle.load(handle)  # noqa: S301 - our own kernel's file, private folder
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return results if isinstance(results, StrategyResults) else None


def gather_kernel_results(
    plan: RunPlan, dataset: Any, known: dict[str, Any]
) -> dict[str, OverallRag]:
    """Read what the strategy reports' kernels saved; work out what they did not.

    Parameters
    ----------
    plan : RunPlan
        The run (executed).
    dataset : pcplib.data.Dataset
        The validated data set.
    known : dict
        Rows of ``judgements.csv`` by report name; each strategy report's saved rows are
        added to it.

    Returns
    -------
    dict
        Overall RAG per strategy: the kernel's when its summary was for the index's
        period and the default SPC rules (as :func:`pcplib.run.index.summarise_overall`
        works it out), otherwise worked out here.
    """
    from pcplib.run import index, runtime

    folder = runtime.process_runtime_dir()
    rags: dict[str, OverallRag] = {}
    for job in plan.jobs:
        if not job.strategy:
            if collects_results(job.notebook):
                # The Delivery Board's view, the plan overview, the public report: their
                # rows, and no overall RAG of their own (none handed back: worked out by
                # pcplib.run.judgements, as before).
                path = results_path(folder, job.name)
                handed = read_strategy_results(path)
                path.unlink(missing_ok=True)
                if handed is not None:
                    known[job.name] = handed.judgements
            continue
        saved = None
        if collects_results(job.notebook):
            path = results_path(folder, job.name)
            saved = read_strategy_results(path)
            path.unlink(missing_ok=True)
        if saved is not None:
            known[job.name] = saved.judgements
        if saved is not None and (saved.period_end, saved.spc_rules) == (plan.period_end, "mdc"):
            rags[job.strategy] = index.describe_overall(
                job.strategy,
                saved.overall_rag,
                saved.overall_explanation,
                saved.rating_note,
                getattr(saved, "rating_scope", ""),
            )
        else:
            audience = job.parameters.get("audience", "board")
            rags[job.strategy] = index.summarise_overall(
                dataset, job.strategy, plan.period_end or "", audience
            )
    return rags
