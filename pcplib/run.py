"""``pcp run`` and ``pcp public``: the scheduled run per CGB slot.

A run is planned as a list of jobs (one notebook execution each), then:

1. the data set and the forward plan are validated; invalid data stops the run
   with the validation report, executing nothing (exit 1);
2. the jobs run in parallel, each in its own kernel, into a temporary folder
   beside the destination (``outputs/.tmp-<folder>-<pid>``); one failing report
   does not stop the others;
3. when every report succeeded and Chromium is installed, one browser saves each
   report's first screen as ``<report>.png`` (``--no-screenshots`` skips it; without
   Chromium a one-line warning says so and the run goes on) and, with ``--pdf``,
   prints each report to an A4 PDF (a PDF that cannot be printed fails the run);
   then ``index.html`` (with the screenshots as thumbnails), ``manifest.json`` and
   ``run.log`` are written beside the reports;
4. only when every report succeeded is the folder published: the previous
   ``outputs/<folder>/`` is renamed aside, the new one renamed into place, the
   old one removed. A failed run leaves the last good outputs untouched and
   writes only ``outputs/<folder>/_failed/`` (the failed notebooks with
   papermill's error cells, the run log and the manifest);
5. Ctrl-C or SIGTERM kills the kernels, removes the temporary folder and exits 130.

Reproducible runs (``--timestamp`` or ``SOURCE_DATE_EPOCH``): every report, the
index and the manifest are byte-identical across runs (screenshots and PDFs are
not: Chromium's PNG and PDF bytes may differ). Durations vary, so they are then
left out of the manifest and kept in ``run.log`` only.

The data set is validated once, here; each report's kernel is told the digest of
the validated bytes (``PCP_VALIDATED_SHA256``) so its ``load_dataset`` skips a
second schema pass when it reads exactly those bytes.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from pcplib import MARKING, render

logger = logging.getLogger("pcplib.run")

NOTEBOOKS: dict[str, Path] = {
    "delivery_strategy": Path("notebooks/delivery_strategy.ipynb"),
    "plan_overview": Path("notebooks/plan_overview.ipynb"),
    "public_quarterly": Path("notebooks/public_quarterly.ipynb"),
    "annual_evaluation": Path("notebooks/annual_evaluation.ipynb"),
}
PACKAGES = (
    "pcplib",
    "pandas",
    "numpy",
    "papermill",
    "nbconvert",
    "matplotlib",
    "pandera",
)
RENDERERS = ("nbconvert", "quarto")
SPC_RULES = "mdc"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
SCREENSHOTS_SKIPPED = (
    "screenshots skipped: Chromium not found; install it with apt-get install -y chromium"
)
THUMBNAIL_SIZE = (160, 100)  # CSS pixels, the 1280 x 800 screenshot's proportions
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
RAG_COLOURS = {
    "Green": ("#00703c", "#ffffff"),
    "Amber/Green": ("#85994b", "#0b0c0c"),
    "Amber": ("#ffdd00", "#0b0c0c"),
    "Amber/Red": ("#f47738", "#0b0c0c"),
    "Red": ("#d4351c", "#ffffff"),
    "Grey": ("#505a5f", "#ffffff"),
}


class RunError(Exception):
    """A run cannot start: bad options or inputs. Carries the exit code to return."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Job:
    """One notebook execution and the report it produces.

    Attributes
    ----------
    name : str
        Output file stem: ``<strategy>``, ``plan-overview`` or ``public-quarterly``.
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
    """

    job: Job
    ok: bool
    seconds: float = 0.0
    error: str = ""
    cell: int | None = None
    execution_count: int | None = None


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
        The CGB slot (``YYYY-MM``) when the run is for one.
    period_end : str or None
        Last month of the data period (``YYYY-MM``).
    """

    folder: str
    heading: str
    jobs: tuple[Job, ...]
    slot: str | None
    period_end: str | None


@dataclass(frozen=True)
class RunOptions:
    """How a run executes.

    Attributes
    ----------
    out_dir, data_dir, forward_plan : Path
        Output folder, data set and forward plan.
    jobs : int
        Reports executed at once.
    renderer : str
        ``nbconvert`` (default) or ``quarto``.
    pdf : bool
        Also print each report to PDF with headless Chromium.
    produced_at : str
        ISO-8601 time shown in every report.
    reproducible : bool
        True when ``produced_at`` was fixed (``--timestamp`` or ``SOURCE_DATE_EPOCH``).
    kernel_name : str
        The Jupyter kernel.
    timeout : int
        Seconds one cell may run.
    command : tuple of str
        The command line, recorded in the manifest.
    today : datetime.date or None
        The date the run treats as today (``--today``); the real date when None.
    screenshots : bool
        Save each report's first screen as ``<report>.png`` (thumbnails in the index)
        when Chromium is installed; ``--no-screenshots`` turns it off.
    kernel_env : dict
        Environment variables added to every kernel's (the validated-data digest).
    """

    out_dir: Path
    data_dir: Path
    forward_plan: Path
    jobs: int
    renderer: str = "nbconvert"
    pdf: bool = False
    produced_at: str = ""
    reproducible: bool = False
    kernel_name: str = render.DEFAULT_KERNEL
    timeout: int = 600
    command: tuple[str, ...] = field(default_factory=tuple)
    today: date | None = None
    screenshots: bool = True
    kernel_env: dict[str, str] = field(default_factory=dict)


# --- small helpers ------------------------------------------------------------------------


def count_cpus() -> int:
    """Return the CPUs this process may use (the default ``--jobs``).

    Returns
    -------
    int
        At least 1.
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def default_jobs() -> int:
    """Return how many reports run at once by default: one more than the CPUs.

    Each report's kernel spends part of its life starting and stopping rather than
    computing; one report more than the cores keeps every core busy then, and at
    the end of a run (13 reports on 2 cores: 28.2 s instead of 30.9 s, measured).

    Returns
    -------
    int
        ``count_cpus() + 1``.
    """
    return count_cpus() + 1


def resolve_produced_at(
    timestamp: str | None, environ: dict[str, str] | None = None
) -> tuple[str, bool]:
    """Decide the time every report says it was produced.

    Parameters
    ----------
    timestamp : str or None
        ``--timestamp``: an ISO-8601 date or time (a time without zone is UTC).
    environ : dict, optional
        Environment; ``SOURCE_DATE_EPOCH`` (seconds since 1970, UTC) is read when
        no timestamp is given. ``os.environ`` by default.

    Returns
    -------
    tuple of (str, bool)
        The ISO-8601 time (seconds precision) and whether it was fixed.

    Raises
    ------
    RunError
        If the timestamp or ``SOURCE_DATE_EPOCH`` cannot be read (exit 2).
    """
    environ = os.environ if environ is None else environ
    if timestamp:
        try:
            moment = datetime.fromisoformat(timestamp)
        except ValueError as exc:
            raise RunError(
                f"--timestamp {timestamp!r} is not an ISO-8601 time "
                "(expected e.g. 2026-11-23T06:00:00+00:00 or 2026-11-23)",
                EXIT_USAGE,
            ) from exc
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.isoformat(timespec="seconds"), True
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            moment = datetime.fromtimestamp(int(epoch), tz=UTC)
        except (ValueError, OverflowError) as exc:
            raise RunError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds since 1970",
                EXIT_USAGE,
            ) from exc
        return moment.isoformat(timespec="seconds"), True
    return datetime.now().astimezone().isoformat(timespec="seconds"), False


def format_month(period: str) -> str:
    """Return ``"September 2026"`` for ``"2026-09"`` (independent of the locale).

    Parameters
    ----------
    period : str
        A month ``YYYY-MM``.

    Returns
    -------
    str
        Month name and year.
    """
    year, month = period.split("-")[:2]
    return f"{MONTH_NAMES[int(month) - 1]} {year}"


def label_quarter_of(period_end: str) -> str:
    """Return the financial quarter label (``"2026/27 Q2"``) a month falls in.

    Parameters
    ----------
    period_end : str
        A month ``YYYY-MM``.

    Returns
    -------
    str
        The quarter label.
    """
    from pcplib.periods import label_quarter

    return label_quarter(f"{period_end}-01")


def quarter_end_of(quarter: str) -> str:
    """Return the last month (``YYYY-MM``) of a quarter such as ``"2026/27 Q2"``.

    Parameters
    ----------
    quarter : str
        The quarter label.

    Returns
    -------
    str
        The month.

    Raises
    ------
    RunError
        If the label cannot be read (exit 2).
    """
    from pcplib.periods import quarter_end_month

    try:
        return str(quarter_end_month(quarter))
    except (ValueError, TypeError) as exc:
        raise RunError(
            f"--quarter {quarter!r} is not a financial quarter (expected e.g. '2026/27 Q2'): {exc}",
            EXIT_USAGE,
        ) from exc


def month_text(value: Any) -> str:
    """Return a month as ``YYYY-MM`` whether given as text, a date or a pandas Period.

    Parameters
    ----------
    value : Any
        The month.

    Returns
    -------
    str
        ``YYYY-MM``.
    """
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m")
    return str(value)[:7]


def shift_month(period: str, months: int) -> str:
    """Return the month ``months`` after ``period`` (both ``YYYY-MM``).

    Parameters
    ----------
    period : str
        The month.
    months : int
        How many months later (negative for earlier).

    Returns
    -------
    str
        The month.
    """
    year, month = (int(part) for part in period.split("-")[:2])
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


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


def hash_file(path: Path) -> str:
    """Return the SHA-256 of a file.

    Parameters
    ----------
    path : Path
        The file.

    Returns
    -------
    str
        The hex digest.
    """
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_package_versions() -> dict[str, str]:
    """Return the installed version of each package a report depends on.

    Returns
    -------
    dict
        Package name to version (``"not installed"`` when missing).
    """
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    versions["python"] = sys.version.split()[0]
    return versions


def read_git_commit() -> dict[str, Any]:
    """Return the repository's commit and whether the working tree has changes.

    Returns
    -------
    dict
        ``{"commit": str | None, "dirty": bool | None}``; None where git is unavailable.
    """
    root = render.find_repo_root()
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        status = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": bool(status)}


# --- planning ---------------------------------------------------------------------------------


def plan_strategy_job(
    strategy: str,
    slot: str,
    period_end: str,
    data_param: str,
    produced_at: str,
    title: str = "",
    audience: str = "cgb",
) -> Job:
    """Plan one CGB delivery-strategy report.

    Parameters
    ----------
    strategy : str
        Strategy id, e.g. ``vawg``.
    slot, period_end : str
        The CGB meeting and the data period's last month (``YYYY-MM``).
    data_param : str
        The data folder as a notebook parameter.
    produced_at : str
        The time the report says it was produced.
    title : str, optional
        The strategy's name for the index (the id when empty).
    audience : str, default "cgb"
        ``cgb`` (restricted measures shown) or ``public`` (restricted measures removed).

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
            "period_end": period_end,
            "data_dir": data_param,
            "spc_rules": SPC_RULES,
            "audience": audience,
            "produced_at": produced_at,
        },
        title=title or strategy,
        strategy=strategy,
    )


def plan_overview_job(slot: str, period_end: str, data_param: str, produced_at: str) -> Job:
    """Plan the plan overview across every strategy.

    Parameters
    ----------
    slot, period_end : str
        The CGB meeting and the data period's last month.
    data_param : str
        The data folder as a notebook parameter.
    produced_at : str
        The time the report says it was produced.

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
            "period_end": period_end,
            "data_dir": data_param,
            "reference_dir": f"{data_param.rstrip('/')}/reference",
            "produced_at": produced_at,
        },
        title="Plan overview: every delivery strategy",
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


def derive_slot_for_period(plan: Any, period_end: str) -> str:
    """Return the first CGB slot that reports data up to ``period_end``.

    Parameters
    ----------
    plan : pcplib.forward_plan.ForwardPlan
        The forward plan.
    period_end : str
        The data period's last month.

    Returns
    -------
    str
        The earliest scheduled slot whose period ends then; otherwise the month two
        months after ``period_end`` (the first meeting that could see that quarter).
    """
    matching = sorted(
        month_text(s.slot) for s in plan.slots if month_text(s.period_end) == period_end
    )
    return matching[0] if matching else shift_month(period_end, 2)


def check_period(period: str) -> str:
    """Check a ``--period`` value is a quarter-end month ``YYYY-MM``.

    Parameters
    ----------
    period : str
        The value given.

    Returns
    -------
    str
        The same month.

    Raises
    ------
    RunError
        If it is not ``YYYY-MM`` in March, June, September or December (exit 2).
    """
    try:
        parsed = datetime.strptime(period, "%Y-%m")
    except ValueError as exc:
        raise RunError(f"--period {period!r} is not a month YYYY-MM", EXIT_USAGE) from exc
    if parsed.month % 3:
        raise RunError(
            f"--period {period} is not a quarter end (expected March, June, September or "
            "December, e.g. 2026-09)",
            EXIT_USAGE,
        )
    return period


# --- execution ----------------------------------------------------------------------------


def describe_failure(exc: BaseException) -> tuple[str, int | None, int | None]:
    """Say in one line why a job failed, and where.

    Parameters
    ----------
    exc : BaseException
        The error.

    Returns
    -------
    tuple
        ``(error line, cell position (1-based) or None, execution count or None)``.
    """
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        evalue = str(exc.evalue).strip().splitlines()
        line = f"{exc.ename}: {evalue[0] if evalue else ''}".rstrip(": ")
        return line, exc.cell_index + 1, exc.exec_count
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": "), None, None


def execute_job(job: Job, workdir: Path, options: RunOptions) -> JobResult:
    """Execute one job's notebook and render its HTML into ``workdir``.

    Parameters
    ----------
    job : Job
        The job.
    workdir : Path
        The run's temporary folder.
    options : RunOptions
        How to run.

    Returns
    -------
    JobResult
        Success, or the failure with its cell and error line. The executed notebook
        (with papermill's error cells on failure) is at ``workdir/<name>.ipynb``.
    """
    source = notebook_path(job.notebook)
    output = workdir / f"{job.name}.ipynb"
    started = time.perf_counter()
    logger.info("%s: started (%s)", job.name, source.name)
    try:
        nb = render.execute_notebook(
            source,
            output,
            job.parameters,
            kernel_name=options.kernel_name,
            cwd=render.find_repo_root(),
            timeout=options.timeout,
            env=options.kernel_env or None,
        )
        render.scrub_notebook(
            nb, input_path=repo_parameter(source), output_path=f"{job.name}.ipynb"
        )
        import nbformat

        nbformat.write(nb, output)
        html_path = workdir / f"{job.name}.html"
        if options.renderer == "quarto":
            render.render_with_quarto(output, html_path, timeout=options.timeout)
        else:
            render.render_html(nb, html_path)
    except Exception as exc:  # one failing report must not stop the others
        seconds = time.perf_counter() - started
        line, cell, count = describe_failure(exc)
        logger.error("%s: FAILED after %.1f s at cell %s: %s", job.name, seconds, cell, line)
        return JobResult(job, False, seconds, line, cell, count)
    seconds = time.perf_counter() - started
    logger.info("%s: done in %.1f s", job.name, seconds)
    return JobResult(job, True, seconds)


def execute_jobs(
    jobs: Sequence[Job],
    workdir: Path,
    options: RunOptions,
    *,
    on_done: Callable[[JobResult], None] | None = None,
) -> list[JobResult]:
    """Execute jobs in parallel, each in its own kernel.

    Threads drive papermill in this process: each report runs in its own kernel
    process anyway, and threads avoid starting (and importing papermill and
    nbconvert in) a Python worker per report.

    Parameters
    ----------
    jobs : sequence of Job
        The jobs.
    workdir : Path
        The run's temporary folder.
    options : RunOptions
        How to run; ``options.jobs`` reports at once.
    on_done : callable, optional
        Called with each result as it finishes.

    Returns
    -------
    list of JobResult
        In the order of ``jobs``.

    Raises
    ------
    KeyboardInterrupt
        On Ctrl-C or SIGTERM, after cancelling queued jobs and killing running kernels.
    """
    results: dict[int, JobResult] = {}
    pool = ThreadPoolExecutor(max_workers=max(1, options.jobs), thread_name_prefix="pcp-job")
    futures: dict[Future[JobResult], int] = {}
    try:
        futures = {
            pool.submit(execute_job, job, workdir, options): index for index, job in enumerate(jobs)
        }
        pending = set(futures)
        while pending:
            # A timeout keeps the main thread responsive to Ctrl-C.
            done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in done:
                result = future.result()
                results[futures[future]] = result
                if on_done is not None:
                    on_done(result)
    except BaseException:
        render.cancel_kernels()
        for future in futures:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        render.cancel_kernels()
        # Every worker has stopped: later runs in this process may start kernels again.
        render.reset_kernel_cancel()
        raise
    pool.shutdown(wait=True)
    return [results[index] for index in range(len(jobs))]


# --- index, manifest, summary -----------------------------------------------------------------


@dataclass(frozen=True)
class OverallRag:
    """A strategy's overall RAG for the index.

    Attributes
    ----------
    rag : str
        Green, Amber, Red or Grey.
    explanation : str
        How it was rolled up, in a sentence.
    """

    rag: str
    explanation: str


def summarise_overall(
    dataset: Any, strategy: str, period_end: str, audience: str = "cgb"
) -> OverallRag:
    """Return a strategy's overall RAG from ``pcplib.report.summarise_strategy``.

    Parameters
    ----------
    dataset : pcplib.data.Dataset
        The loaded data set.
    strategy : str
        Strategy id.
    period_end : str
        The data period's last month.
    audience : str, default "cgb"
        The report's audience: a public index rolls up public measures only.

    Returns
    -------
    OverallRag
        The RAG word and its explanation; Grey, saying why, when it cannot be computed.
    """
    from pcplib.report import summarise_strategy

    try:
        summary = summarise_strategy(dataset, strategy, period_end, audience)
        rag = str(summary.overall_rag)
        explanation = str(getattr(summary, "overall_explanation", ""))
    except Exception as exc:  # the index must still list the report
        logger.warning("%s: overall RAG could not be computed: %s", strategy, exc)
        return OverallRag("Grey", f"The overall RAG could not be computed ({exc}).")
    if rag not in RAG_COLOURS:
        logger.warning("%s: unexpected overall RAG %r shown as Grey", strategy, rag)
        return OverallRag("Grey", f"Unexpected overall RAG {rag!r}. {explanation}".strip())
    return OverallRag(rag, explanation)


def format_produced(produced_at: str) -> str:
    """Say when a run was produced in the reports' words: ``"23 November 2026 06:00 UTC"``.

    Parameters
    ----------
    produced_at : str
        ISO-8601 time.

    Returns
    -------
    str
        The time in UTC to the minute; the text as given when it cannot be read.
    """
    try:
        moment = datetime.fromisoformat(produced_at)
    except ValueError:
        return produced_at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    return f"{moment.day} {MONTH_NAMES[moment.month - 1]} {moment:%Y %H:%M} UTC"


def summarise_overalls(dataset: Any, plan: RunPlan) -> dict[str, OverallRag]:
    """Return the overall RAG of every strategy report in a run.

    Parameters
    ----------
    dataset : pcplib.data.Dataset
        The validated data set.
    plan : RunPlan
        The run.

    Returns
    -------
    dict
        Strategy id to :class:`OverallRag`.
    """
    audiences = {
        job.strategy: job.parameters.get("audience", "cgb") for job in plan.jobs if job.strategy
    }
    return {
        strategy: summarise_overall(dataset, strategy, plan.period_end or "", audience)
        for strategy, audience in audiences.items()
    }


INDEX_CSS = """
body { margin: 0; font-family: Arial, "Helvetica Neue", Helvetica, sans-serif;
  font-size: 1.1875rem; line-height: 1.5; color: #0b0c0c; background: #ffffff; }
main { max-width: 66rem; margin: 0 auto; padding: 1rem; }
.marking { margin: 0; padding: 0.25rem 1rem; background: #0b0c0c; color: #ffffff;
  font-weight: 700; text-align: center; letter-spacing: 0.05em; }
.illustrative { border-left: 0.5rem solid #0b0c0c; background: #fff7bf; padding: 0.75rem 1rem;
  margin: 1rem 0; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
caption { text-align: left; font-weight: 700; margin-bottom: 0.5rem; }
th, td { text-align: left; vertical-align: top; padding: 0.5rem; border-bottom: 1px solid #b1b4b6; }
a { color: #1d70b8; text-underline-offset: 0.15em; }
a:visited { color: #4c2c92; }
a:focus { outline: 3px solid #ffdd00; background: #ffdd00; color: #0b0c0c; }
.rag { display: inline-block; padding: 0.1rem 0.5rem; font-weight: 700; border-radius: 0.2rem; }
a.report { display: inline-block; }
img.thumb { display: block; width: 10rem; max-width: 100%; height: auto;
  border: 1px solid #b1b4b6; margin-bottom: 0.25rem; }
dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.25rem 1rem; }
dl.facts dt { font-weight: 700; }
dl.facts dt, dl.facts dd { min-width: 0; overflow-wrap: anywhere; }
dl.facts dd { margin: 0; }
@media (max-width: 40rem) { dl.facts { grid-template-columns: minmax(0, 1fr); }
  img.thumb { width: 6rem; } }
@media print { a { color: #0b0c0c; } .marking { border: 1px solid #0b0c0c; }
  img.thumb { display: none; } }
""".strip()


def format_rag_cell(overall: OverallRag) -> str:
    """Return the HTML of a RAG status as a word on its accessible colour.

    Parameters
    ----------
    overall : OverallRag
        The status.

    Returns
    -------
    str
        A ``<span>`` with the word, coloured, followed by the explanation.
    """
    background, text = RAG_COLOURS[overall.rag]
    cell = (
        f'<span class="rag" style="background:{background};color:{text}">'
        f"{html.escape(overall.rag)}</span>"
    )
    if overall.explanation:
        cell += f" {html.escape(overall.explanation)}"
    return cell


def build_index(
    plan: RunPlan,
    results: Sequence[JobResult],
    *,
    produced_at: str,
    dataset: Any,
    rags: dict[str, OverallRag],
    pdf: bool = False,
    screenshots: bool = False,
) -> str:
    """Build the run's ``index.html``: every report with its overall RAG.

    Parameters
    ----------
    plan : RunPlan
        The run.
    results : sequence of JobResult
        The reports (all succeeded when the index is published).
    produced_at : str
        When the run was produced.
    dataset : pcplib.data.Dataset or None
        The data set (for the illustrative-data banner).
    rags : dict
        Strategy id to overall RAG.
    pdf : bool, default False
        Whether PDFs were printed beside the reports.
    screenshots : bool, default False
        Whether ``<report>.png`` first-screen pictures were saved beside the reports;
        each report's link then shows its picture as a thumbnail.

    Returns
    -------
    str
        The page.
    """
    esc = html.escape
    rows = []
    width, height = THUMBNAIL_SIZE
    for result in results:
        job = result.job
        if screenshots:
            link = (
                f'<a class="report" href="{esc(job.name)}.html">'
                f'<img class="thumb" src="{esc(job.name)}.png" width="{width}" height="{height}" '
                f'alt="First screen of {esc(job.title)}">{esc(job.title)}</a>'
            )
        else:
            link = f'<a href="{esc(job.name)}.html">{esc(job.title)}</a>'
        if pdf:
            link += f' (<a href="{esc(job.name)}.pdf">PDF</a>)'
        rag = format_rag_cell(rags[job.strategy]) if job.strategy in rags else "Not applicable"
        rows.append(f'<tr><th scope="row">{link}</th><td>{rag}</td></tr>')
    illustrative = ""
    if getattr(dataset, "illustrative", False):
        description = esc(str(getattr(dataset, "description", "") or ""))
        illustrative = (
            '<div class="illustrative" role="note"><p><strong>Illustrative sample data.</strong> '
            "These reports are built on generated data, not real performance data."
            f"{' Data set: ' + description if description else ''}</p></div>"
        )
    facts = [("Produced", esc(format_produced(produced_at)))]
    if plan.slot:
        facts.insert(0, ("Meeting", f"Corporate Governance Board, {format_month(plan.slot)}"))
    if plan.period_end:
        facts.append(
            (
                "Data period",
                f"to the end of {format_month(plan.period_end)} "
                f"({esc(label_quarter_of(plan.period_end))})",
            )
        )
    facts.append(("Security marking", MARKING))
    facts_html = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
    thumbnails_note = (
        "<p>Each report's picture is its first screen as a browser shows it; the picture and "
        "the name both open the report.</p>"
        if screenshots
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(plan.heading)}</title>
<style>
{INDEX_CSS}
</style>
</head>
<body>
<header><p class="marking">{MARKING}</p></header>
<main id="main">
<h1>{esc(plan.heading)}</h1>
{illustrative}
<dl class="facts">{facts_html}</dl>
<table>
<caption>Reports and each strategy's overall RAG (word and colour)</caption>
<thead><tr><th scope="col">Report</th><th scope="col">Overall RAG</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<p>RAG is written as a word as well as coloured: Green, Amber, Red, or Grey (no target or
no data). Each report explains how its overall RAG is rolled up from its headline measures.</p>
{thumbnails_note}
</main>
<footer><p class="marking">{MARKING}</p></footer>
</body>
</html>
"""


def build_manifest(
    plan: RunPlan,
    results: Sequence[JobResult],
    options: RunOptions,
    dataset: Any,
    git: dict[str, Any],
    screenshots: bool = False,
) -> dict[str, Any]:
    """Build the run's ``manifest.json``: everything needed to reproduce it.

    Parameters
    ----------
    plan : RunPlan
        The run.
    results : sequence of JobResult
        The reports.
    options : RunOptions
        How it ran.
    dataset : pcplib.data.Dataset or None
        The data set (its input file hashes).
    git : dict
        ``{"commit": ..., "dirty": ...}``.
    screenshots : bool, default False
        Whether ``<report>.png`` first-screen pictures were saved (their bytes are not
        reproducible, unlike the HTML, so the manifest records no hash of them).

    Returns
    -------
    dict
        JSON-ready. Durations are included only when the run is not reproducible.
    """
    notebooks = sorted({r.job.notebook for r in results})
    reports = []
    for result in results:
        entry: dict[str, Any] = {
            "name": result.job.name,
            "notebook": NOTEBOOKS[result.job.notebook].as_posix(),
            "parameters": result.job.parameters,
            "html": f"{result.job.name}.html",
            "status": "ok" if result.ok else "failed",
        }
        if options.pdf:
            entry["pdf"] = f"{result.job.name}.pdf"
        if screenshots:
            entry["screenshot"] = f"{result.job.name}.png"
        if not result.ok:
            entry["error"] = result.error
            entry["cell"] = result.cell
        if not options.reproducible:
            entry["seconds"] = round(result.seconds, 2)
        reports.append(entry)
    return {
        "slot": plan.slot,
        "period_end": plan.period_end,
        "produced_at": options.produced_at,
        "reproducible": options.reproducible,
        "renderer": options.renderer,
        "screenshots": screenshots,
        "pdf": options.pdf,
        "kernel": options.kernel_name,
        "command": list(options.command),
        "data": {
            "path": repo_parameter(options.data_dir),
            "illustrative": bool(getattr(dataset, "illustrative", False)),
            "description": str(getattr(dataset, "description", "") or ""),
            "files": dict(sorted(dict(getattr(dataset, "files", {}) or {}).items())),
        },
        "forward_plan": {
            "path": repo_parameter(options.forward_plan),
            "sha256": hash_file(options.forward_plan) if options.forward_plan.is_file() else None,
        },
        "notebooks": {
            NOTEBOOKS[key].as_posix(): hash_file(notebook_path(key)) for key in notebooks
        },
        "packages": read_package_versions(),
        "git": git,
        "timings": "in run.log" if options.reproducible else "per report, in seconds",
        "reports": reports,
    }


def write_json(path: Path, content: dict[str, Any]) -> None:
    """Write JSON deterministically (sorted keys, two-space indent, final newline).

    Parameters
    ----------
    path : Path
        The file.
    content : dict
        The content.
    """
    path.write_text(json.dumps(content, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def print_summary(console: Console, results: Sequence[JobResult]) -> None:
    """Print the end-of-run table: report, status, seconds and, for failures, where and why.

    Parameters
    ----------
    console : rich.console.Console
        Where to print.
    results : sequence of JobResult
        The results.
    """
    table = Table(title="pcp run summary")
    table.add_column("Report")
    table.add_column("Status")
    table.add_column("Seconds", justify="right")
    table.add_column("Failed at")
    table.add_column("Error")
    for r in results:
        where = ""
        if not r.ok and r.cell is not None:
            where = f"cell {r.cell}" + (f" (In [{r.execution_count}])" if r.execution_count else "")
        status = "[green]ok[/green]" if r.ok else "[bold red]FAILED[/bold red]"
        table.add_row(r.job.name, status, f"{r.seconds:.1f}", where, r.error)
    console.print(table)
    # The same facts on one line each, unwrapped, for logs read outside a terminal.
    for r in results:
        if not r.ok:
            where = f" at cell {r.cell}" if r.cell is not None else ""
            console.print(
                f"FAILED {r.job.name}{where}: {r.error}",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )


# --- publishing ---------------------------------------------------------------------------


def remove_stale_staging(out_dir: Path, folder: str) -> list[Path]:
    """Remove temporary folders left by runs of ``folder`` that were killed outright.

    A run removes its own temporary folder even when interrupted; only a process
    killed without warning (``kill -9``, power loss) leaves one behind.

    Parameters
    ----------
    out_dir : Path
        The output folder.
    folder : str
        The run's folder name.

    Returns
    -------
    list of Path
        The folders removed (those whose process is no longer running).
    """
    removed = []
    for prefix in (".tmp-", ".old-"):
        for candidate in out_dir.glob(f"{prefix}{folder}-*"):
            pid_text = candidate.name.rsplit("-", 1)[-1]
            if not pid_text.isdigit() or int(pid_text) == os.getpid():
                continue
            try:
                os.kill(int(pid_text), 0)
            except ProcessLookupError:
                shutil.rmtree(candidate, ignore_errors=True)
                removed.append(candidate)
            except PermissionError:  # alive, owned by someone else
                continue
    return removed


def publish_folder(staging: Path, destination: Path) -> None:
    """Replace ``destination`` with ``staging`` so readers never see a half-written folder.

    The old folder is renamed aside, the new one renamed into place, then the old
    one removed; both renames are atomic on one file system.

    Parameters
    ----------
    staging : Path
        The finished folder (beside ``destination``).
    destination : Path
        The published folder.
    """
    old = destination.with_name(f".old-{destination.name}-{os.getpid()}")
    if destination.exists():
        os.replace(destination, old)
    try:
        os.replace(staging, destination)
    except OSError:
        if old.exists():
            os.replace(old, destination)
        raise
    if old.exists():
        shutil.rmtree(old)


def publish_failures(staging: Path, destination: Path, failed: Sequence[JobResult]) -> Path:
    """Write a failed run's notebooks, log and manifest to ``destination/_failed/``.

    This is the only thing a failed run writes into an existing output folder.

    Parameters
    ----------
    staging : Path
        The run's temporary folder.
    destination : Path
        The output folder (created if missing; its other contents are untouched).
    failed : sequence of JobResult
        The failed jobs.

    Returns
    -------
    Path
        The ``_failed`` folder.
    """
    target = destination / "_failed"
    build = staging / "_failed"
    build.mkdir()
    for result in failed:
        executed = staging / f"{result.job.name}.ipynb"
        if executed.exists():
            shutil.copy2(executed, build / executed.name)
    for name in ("run.log", "manifest.json"):
        if (staging / name).exists():
            shutil.copy2(staging / name, build / name)
    destination.mkdir(parents=True, exist_ok=True)
    publish_folder(build, target)
    return target


# --- the run ------------------------------------------------------------------------------


@contextmanager
def handle_sigterm() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt for the duration, so it cleans up like Ctrl-C.

    Yields
    ------
    None
        While the handler is installed (only in the main thread).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def raise_interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, raise_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def load_inputs(options: RunOptions) -> tuple[Any, list[str]]:
    """Validate and load the data set and the forward plan.

    The data set is parsed (with each file's SHA-256) before the full validation and
    its files hashed again after it, so the hashes in ``Dataset.files`` are those of
    the bytes that were validated: a file changed meanwhile is reported as a problem.

    Parameters
    ----------
    options : RunOptions
        Where the data and the plan are.

    Returns
    -------
    tuple
        ``(dataset or None, problems)``: every problem as a line of text; the data set
        only when there are none.
    """
    from pcplib.data import DataValidationError, load_dataset, validate_dataset

    if not options.data_dir.is_dir():
        return None, [f"{options.data_dir}: data folder not found"]
    try:
        # Parsing only: the full check follows (a missing table is reported by it too).
        dataset = load_dataset(options.data_dir, validate=False, today=options.today)
    except DataValidationError:
        dataset = None
    problems = [
        str(p)
        for p in validate_dataset(
            options.data_dir, forward_plan=options.forward_plan, today=options.today
        )
    ]
    if problems or dataset is None:
        return None, problems or [f"{options.data_dir}: the data set could not be read"]
    changed = [
        relative
        for relative, sha256 in dict(dataset.files).items()
        if hash_file(options.data_dir / relative) != sha256
    ]
    if changed:
        return None, [
            f"{options.data_dir / relative}: changed while it was being validated; run again"
            for relative in changed
        ]
    return dataset, []


def describe_validated_data(dataset: Any, today: date | None) -> dict[str, str]:
    """Return the kernels' environment saying which data-set bytes this run validated.

    Each report's ``load_dataset`` then skips its own schema pass when it reads the
    same bytes (see :func:`pcplib.data.digest_validated_files`), and validates as
    usual otherwise.

    Parameters
    ----------
    dataset : pcplib.data.Dataset
        The data set loaded by :func:`load_inputs` (its ``files`` hashes were validated).
    today : datetime.date or None
        The date the validation was made against (the real date when None).

    Returns
    -------
    dict
        ``{"PCP_VALIDATED_SHA256": digest}``, or empty when the data set lists no files.
    """
    from pcplib.data import VALIDATED_DIGEST_ENV, digest_validated_files

    files = dict(getattr(dataset, "files", {}) or {})
    if not files:
        return {}
    return {VALIDATED_DIGEST_ENV: digest_validated_files(files, today or date.today())}


def picture_reports(
    html_paths: Sequence[Path], *, screenshots: bool, pdf: bool
) -> tuple[bool, str]:
    """Save first-screen screenshots and/or A4 PDFs of the reports, with one browser.

    Parameters
    ----------
    html_paths : sequence of Path
        The reports; ``<report>.png`` and ``<report>.pdf`` are written beside each.
    screenshots : bool
        Save screenshots (skipped, with a warning, when Chromium is missing or fails).
    pdf : bool
        Print PDFs (a failure is an error: the user asked for them).

    Returns
    -------
    tuple of (bool, str)
        Whether every screenshot was saved, and a one-line warning when they were skipped.

    Raises
    ------
    RuntimeError
        When PDFs were asked for and could not be printed.
    """
    if not html_paths or not (screenshots or pdf):
        return False, ""
    from pcplib import browser

    if browser.find_chromium() is None:
        if pdf:
            raise RuntimeError(
                "--pdf needs Chromium, which is not installed: apt-get install -y chromium"
            )
        return False, SCREENSHOTS_SKIPPED

    def capture(running: Any) -> tuple[bool, str]:
        taken, warning = False, ""
        if screenshots:
            try:
                browser.capture_screenshots(html_paths, browser=running)
                taken = True
            except Exception as exc:  # pictures are a convenience; the reports stand
                warning = f"screenshots skipped: {type(exc).__name__}: {exc}"
        if pdf:
            browser.print_pdfs(html_paths, marking=MARKING, browser=running)
        return taken, warning

    try:
        # run_with_browser moves Playwright to a worker thread when an asyncio loop is
        # running here (a Jupyter kernel, or a caller's own Playwright session).
        taken, warning = browser.run_with_browser(None, capture)
    except Exception as exc:
        if pdf:
            raise RuntimeError(f"PDFs could not be printed: {type(exc).__name__}: {exc}") from exc
        taken, warning = False, f"screenshots skipped: {type(exc).__name__}: {exc}"
    if not taken:
        for path in html_paths:
            path.with_suffix(".png").unlink(missing_ok=True)
    return taken, warning.splitlines()[0] if warning else ""


def load_plan(forward_plan: Path) -> Any:
    """Load the forward plan, turning its errors into a :class:`RunError`.

    Parameters
    ----------
    forward_plan : Path
        ``params/forward_plan.yaml``.

    Returns
    -------
    pcplib.forward_plan.ForwardPlan
        The plan.

    Raises
    ------
    RunError
        When the plan cannot be read or is invalid (exit 1).
    """
    from pcplib.forward_plan import load_forward_plan

    try:
        return load_forward_plan(forward_plan)
    except (OSError, ValueError) as exc:
        raise RunError(f"forward plan {forward_plan}: {exc}") from exc


def check_renderer(options: RunOptions) -> None:
    """Check the chosen renderer and PDF printer are installed, before anything runs.

    Parameters
    ----------
    options : RunOptions
        The run's options.

    Raises
    ------
    RunError
        When Quarto or Chromium is missing (exit 2), saying what to install.
    """
    if options.renderer not in RENDERERS:
        raise RunError(
            f"unknown renderer {options.renderer!r}; choose one of {', '.join(RENDERERS)}",
            EXIT_USAGE,
        )
    if options.renderer == "quarto" and render.find_quarto() is None:
        raise RunError(render.QUARTO_MISSING_MESSAGE, EXIT_USAGE)
    if options.pdf:
        from pcplib.browser import find_chromium

        if find_chromium() is None:
            raise RunError(
                "--pdf needs Chromium, which is not installed: install it "
                "(apt-get install -y chromium, or set PCP_CHROMIUM) or run without --pdf",
                EXIT_USAGE,
            )


def check_jobs(jobs: Sequence[Job]) -> None:
    """Check every job's notebook exists and declares every parameter passed to it.

    Parameters
    ----------
    jobs : sequence of Job
        The planned jobs.

    Raises
    ------
    RunError
        Naming the notebook or parameter at fault (exit 1).
    """
    for job in jobs:
        path = notebook_path(job.notebook)
        if not path.is_file():
            raise RunError(f"notebook {path} not found (needed for report {job.name!r})")
        try:
            render.check_parameters(notebook_path(job.notebook), job.parameters)
        except ValueError as exc:
            raise RunError(str(exc)) from exc


def start_log(path: Path, console: Console) -> list[logging.Handler]:
    """Send the run's log to ``path`` and, when not on a terminal, to standard error.

    Parameters
    ----------
    path : Path
        The log file.
    console : rich.console.Console
        The console (a terminal gets a progress bar instead of log lines).

    Returns
    -------
    list of logging.Handler
        The handlers added (pass to :func:`stop_log`).
    """
    file_handler = logging.FileHandler(path, encoding="utf-8")
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    handlers: list[logging.Handler] = [file_handler]
    if not console.is_terminal:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter("pcp: %(message)s"))
        handlers.append(stream)
    for handler in handlers:
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return handlers


def stop_log(handlers: Sequence[logging.Handler]) -> None:
    """Detach and close the handlers added by :func:`start_log`.

    Parameters
    ----------
    handlers : sequence of logging.Handler
        The handlers.
    """
    for handler in handlers:
        logger.removeHandler(handler)
        handler.close()


def execute_with_progress(
    jobs: Sequence[Job], workdir: Path, options: RunOptions, console: Console
) -> list[JobResult]:
    """Run the jobs, showing a progress bar on a terminal.

    Parameters
    ----------
    jobs : sequence of Job
        The jobs.
    workdir : Path
        The run's temporary folder.
    options : RunOptions
        How to run.
    console : rich.console.Console
        Where the progress bar goes.

    Returns
    -------
    list of JobResult
        In the order of ``jobs``.
    """
    if not console.is_terminal:
        return execute_jobs(jobs, workdir, options)
    columns = (
        TextColumn("[bold]pcp run"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("", total=len(jobs))

        def advance(result: JobResult) -> None:
            state = "done" if result.ok else "[red]FAILED[/red]"
            progress.update(task, advance=1, description=f"{result.job.name} {state}")

        return execute_jobs(jobs, workdir, options, on_done=advance)


def run_plan(plan: RunPlan, options: RunOptions, console: Console | None = None) -> int:
    """Execute a planned run end to end: validate, run in parallel, publish atomically.

    Ctrl-C or SIGTERM at any point kills the kernels, removes the temporary folder,
    leaves the published outputs as they were and returns 130.

    Parameters
    ----------
    plan : RunPlan
        What to produce.
    options : RunOptions
        How.
    console : rich.console.Console, optional
        Where messages, progress and the summary go.

    Returns
    -------
    int
        0 when every report succeeded and was published, 1 when the data was invalid
        or a report failed, 2 for a missing renderer, 130 when interrupted.
    """
    console = console or Console()
    destination = options.out_dir / plan.folder
    with handle_sigterm():
        try:
            return execute_plan(plan, options, console)
        except KeyboardInterrupt:
            render.cancel_kernels()
            console.print(
                f"[bold red]Interrupted[/bold red]: nothing was published; {destination} is "
                "unchanged.",
                highlight=False,
            )
            return EXIT_INTERRUPTED


def execute_plan(plan: RunPlan, options: RunOptions, console: Console) -> int:
    """Do the work of :func:`run_plan` (which adds the interrupt handling).

    Parameters
    ----------
    plan : RunPlan
        What to produce.
    options : RunOptions
        How.
    console : rich.console.Console
        Where messages, progress and the summary go.

    Returns
    -------
    int
        The exit code (see :func:`run_plan`).

    Raises
    ------
    KeyboardInterrupt
        On Ctrl-C or SIGTERM, after removing the temporary folder.
    """
    destination = options.out_dir / plan.folder
    try:
        check_renderer(options)
        dataset, problems = load_inputs(options)
        if problems:
            console.print(
                f"[bold red]The data set is invalid[/bold red] ({len(problems)} problem(s)); "
                "nothing was run:",
                highlight=False,
            )
            for problem in problems:
                console.print(f"  - {problem}", highlight=False, markup=False)
            return EXIT_FAILED
        check_jobs(plan.jobs)
    except RunError as exc:
        console.print(f"pcp: {exc}", highlight=False, markup=False, soft_wrap=True)
        return exc.exit_code
    plan = name_jobs(plan, dataset)
    options = replace(
        options,
        kernel_env={**options.kernel_env, **describe_validated_data(dataset, options.today)},
    )

    options.out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(options.out_dir, plan.folder)
    staging = options.out_dir / f".tmp-{plan.folder}-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    handlers = start_log(staging / "run.log", console)
    render.reset_kernel_cancel()
    warnings: list[str] = []
    try:
        logger.info(
            "run %s: %d report(s), %d at once, renderer %s, produced_at %s",
            plan.folder,
            len(plan.jobs),
            options.jobs,
            options.renderer,
            options.produced_at,
        )
        logger.info("data %s, forward plan %s", options.data_dir, options.forward_plan)
        started = time.perf_counter()
        # The index's overall RAGs come from the validated data, not from the reports:
        # worked out while the kernels run, they no longer wait for the last report.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pcp-rag") as rag_pool:
            rag_future = rag_pool.submit(summarise_overalls, dataset, plan)
            results = execute_with_progress(plan.jobs, staging, options, console)
            all_rags = rag_future.result()
        failed = [r for r in results if not r.ok]
        screenshots = False
        if not failed and (options.screenshots or options.pdf):
            pictures_started = time.perf_counter()
            try:
                screenshots, warning = picture_reports(
                    [staging / f"{r.job.name}.html" for r in results],
                    screenshots=options.screenshots,
                    pdf=options.pdf,
                )
            except RuntimeError as exc:
                logger.error("%s", exc)
                stop_log(handlers)
                handlers = []
                target = publish_failures(staging, destination, [])
                print_summary(console, results)
                console.print(
                    f"[bold red]{exc}[/bold red] Nothing was published; {destination} is "
                    f"unchanged; the log is in {target}",
                    highlight=False,
                    soft_wrap=True,
                )
                return EXIT_FAILED
            if warning:
                logger.warning("%s", warning)
                warnings.append(warning)
            logger.info(
                "screenshots %s, PDFs %s, in %.1f s",
                "saved" if screenshots else "not saved",
                "printed" if options.pdf else "not asked for",
                time.perf_counter() - pictures_started,
            )
        rags = {
            r.job.strategy: all_rags[r.job.strategy] for r in results if r.job.strategy and r.ok
        }
        write_json(
            staging / "manifest.json",
            build_manifest(
                plan, results, options, dataset, read_git_commit(), screenshots=screenshots
            ),
        )
        logger.info("all reports finished in %.1f s", time.perf_counter() - started)
        if failed:
            logger.error(
                "%d of %d report(s) failed; %s left untouched",
                len(failed),
                len(results),
                destination,
            )
            stop_log(handlers)
            handlers = []
            target = publish_failures(staging, destination, failed)
            print_summary(console, results)
            console.print(
                f"[bold red]{len(failed)} report(s) failed.[/bold red] The last good outputs "
                f"in {destination} are unchanged; failed notebooks and the log are in {target}",
                highlight=False,
            )
            return EXIT_FAILED
        (staging / "index.html").write_text(
            build_index(
                plan,
                results,
                produced_at=options.produced_at,
                dataset=dataset,
                rags=rags,
                pdf=options.pdf,
                screenshots=screenshots,
            ),
            encoding="utf-8",
        )
        logger.info("publishing %s", destination)
        stop_log(handlers)
        handlers = []
        publish_folder(staging, destination)
        print_summary(console, results)
        for warning in warnings:
            console.print(f"Warning: {warning}", highlight=False, markup=False, soft_wrap=True)
        console.print(f"Reports published: {destination / 'index.html'}", highlight=False)
        return EXIT_OK
    finally:
        stop_log(handlers)
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


# --- building plans from command-line options -------------------------------------------------


def make_options(args: Any) -> RunOptions:
    """Turn parsed ``pcp run``/``pcp public`` options into :class:`RunOptions`.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options.

    Returns
    -------
    RunOptions
        The options.
    """
    produced_at, reproducible = resolve_produced_at(args.timestamp)
    jobs = args.jobs if args.jobs is not None else default_jobs()
    if jobs < 1:
        raise RunError(f"--jobs must be 1 or more, got {jobs}", EXIT_USAGE)
    return RunOptions(
        out_dir=Path(args.out).resolve(),
        data_dir=Path(args.data).resolve(),
        forward_plan=Path(args.forward_plan).resolve(),
        jobs=jobs,
        renderer=args.renderer,
        pdf=args.pdf,
        screenshots=not getattr(args, "no_screenshots", False),
        produced_at=produced_at,
        reproducible=reproducible,
        command=tuple(getattr(args, "argv", ()) or ()),
        today=read_today(args),
    )


def read_today(args: Any) -> date | None:
    """Return the ``--today`` date (testing aid) or None for the real date.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options.

    Returns
    -------
    datetime.date or None
        The date.
    """
    if not getattr(args, "today", None):
        return None
    try:
        return date.fromisoformat(args.today)
    except ValueError as exc:
        raise RunError(f"--today {args.today!r} is not a date YYYY-MM-DD", EXIT_USAGE) from exc


def resolve_slot_spec(plan: Any, spec: str, today: date | None) -> Any:
    """Resolve ``latest``, ``next`` or ``YYYY-MM`` to a slot of the forward plan.

    Parameters
    ----------
    plan : pcplib.forward_plan.ForwardPlan
        The plan.
    spec : str
        The ``--slot`` value.
    today : datetime.date or None
        The date ``latest`` and ``next`` are relative to.

    Returns
    -------
    pcplib.forward_plan.Slot
        The slot.

    Raises
    ------
    RunError
        If the slot is not in the plan (exit 2).
    """
    from pcplib.forward_plan import resolve_slot

    try:
        return resolve_slot(plan, spec, today=today)
    except (ValueError, KeyError, LookupError) as exc:
        raise RunError(f"--slot {spec}: {exc}", EXIT_USAGE) from exc


def build_run_plan(args: Any, options: RunOptions) -> RunPlan:
    """Plan ``pcp run`` from its options (``--slot``, ``--strategy``, ``--all``, ``--default``).

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options.
    options : RunOptions
        The run's options (paths, produced_at).

    Returns
    -------
    RunPlan
        The plan.

    Raises
    ------
    RunError
        For conflicting or invalid options (exit 2).
    """
    modes = [m for m in ("strategy", "all", "default") if getattr(args, m, None)]
    if len(modes) > 1:
        raise RunError(
            f"choose one of --strategy, --all and --default (got {', '.join(modes)})", EXIT_USAGE
        )
    if not modes and not args.slot:
        raise RunError(
            "say what to run: --slot latest|next|YYYY-MM, --strategy ID --period YYYY-MM, "
            "--all or --default",
            EXIT_USAGE,
        )
    if args.period and not modes:
        raise RunError("--period goes with --strategy or --all", EXIT_USAGE)
    forward_plan = load_plan(options.forward_plan)
    today = options.today
    data_param = repo_parameter(options.data_dir)
    at = options.produced_at
    period = check_period(args.period) if args.period else ""
    mode = modes[0] if modes else "slot"
    audience = getattr(args, "audience", None) or "cgb"
    # Public versions go to their own folder, so they never mix with the Board's.
    suffix, versions = ("-public", " (public versions)") if audience == "public" else ("", "")

    if mode in ("slot", "default"):
        slot = resolve_slot_spec(forward_plan, args.slot or "latest", today)
        slot_id, period_end = month_text(slot.slot), month_text(slot.period_end)
        jobs: list[Job] = [
            plan_strategy_job(strategy, slot_id, period_end, data_param, at, audience=audience)
            # A strategy listed twice in one slot (the plan does so) runs once.
            for strategy in dict.fromkeys(slot.strategies)
        ]
        jobs.append(plan_overview_job(slot_id, period_end, data_param, at))
        if mode == "default":
            quarter = label_quarter_of(period_end)
            jobs.append(
                plan_public_job(quarter, data_param, repo_parameter(options.forward_plan), at)
            )
        heading = f"Corporate Governance Board, {format_month(slot_id)}: delivery reports"
        return RunPlan(slot_id + suffix, heading + versions, tuple(jobs), slot_id, period_end)

    if args.slot:
        slot_id = month_text(resolve_slot_spec(forward_plan, args.slot, today).slot)
        if not args.period:
            period = month_text(resolve_slot_spec(forward_plan, args.slot, today).period_end)
    else:
        if not args.period:
            period = month_text(resolve_slot_spec(forward_plan, "latest", today).period_end)
        slot_id = derive_slot_for_period(forward_plan, period)
    if mode == "all":
        strategies = known_strategies(forward_plan)
        folder = f"all-{period}"
        heading = f"Every delivery strategy, data to {format_month(period)}"
    else:
        strategies = list(dict.fromkeys(args.strategy))
        folder = f"{strategies[0]}-{period}" if len(strategies) == 1 else f"strategies-{period}"
        heading = f"Delivery strategy reports, data to {format_month(period)}"
    jobs = [
        plan_strategy_job(s, slot_id, period, data_param, at, audience=audience) for s in strategies
    ]
    return RunPlan(folder + suffix, heading + versions, tuple(jobs), slot_id, period)


def known_strategies(forward_plan: Any) -> list[str]:
    """Return every strategy the forward plan schedules, in order of first appearance.

    Parameters
    ----------
    forward_plan : pcplib.forward_plan.ForwardPlan
        The plan.

    Returns
    -------
    list of str
        Strategy ids.
    """
    ordered: dict[str, None] = {}
    for slot in forward_plan.slots:
        ordered.update(dict.fromkeys(slot.strategies))
    return list(ordered)


def build_public_plan(args: Any, options: RunOptions) -> RunPlan:
    """Plan ``pcp public --quarter "2026/27 Q2"``.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options.
    options : RunOptions
        The run's options.

    Returns
    -------
    RunPlan
        One public quarterly report into ``public-<quarter>`` (``public-2026-27-Q2``).
    """
    quarter = args.quarter
    period_end = quarter_end_of(quarter)
    folder = "public-" + quarter.replace("/", "-").replace(" ", "-")
    job = plan_public_job(
        quarter,
        repo_parameter(options.data_dir),
        repo_parameter(options.forward_plan),
        options.produced_at,
    )
    return RunPlan(folder, f"Public monitoring report, {quarter}", (job,), None, period_end)


def build_annual_plan(args: Any, options: RunOptions) -> RunPlan:
    """Plan ``pcp annual --year 2025/26``.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options.
    options : RunOptions
        The run's options.

    Returns
    -------
    RunPlan
        One annual evaluation into ``annual-<year>`` (``annual-2025-26``).

    Raises
    ------
    RunError
        When the year is not a financial year such as ``2025/26`` (exit 2).
    """
    from pcplib.periods import parse_financial_year

    year = args.year
    try:
        _, end = parse_financial_year(year)
    except (ValueError, TypeError) as exc:
        raise RunError(f"--year {year!r}: {exc}", EXIT_USAGE) from exc
    job = plan_annual_job(year, repo_parameter(options.data_dir), options.produced_at)
    folder = "annual-" + year.replace("/", "-")
    return RunPlan(folder, f"Annual evaluation, {year}", (job,), None, end.strftime("%Y-%m"))


def skip_unused_imports() -> bool:
    """Keep ``rfc3987_syntax`` out of this process, before nbformat first imports jsonschema.

    jsonschema imports it, when installed, for its "iri" format checks, and building
    its Earley grammar at import took 1.25 s of every ``pcp`` start-up (of 1.6 s of
    imports, measured). Nothing a run does checks that format: nbformat validates
    notebooks against a Draft 4 schema without format checks. jsonschema does
    without the package (its "iri" checks are then not registered).

    Returns
    -------
    bool
        True when the import was kept out; False when jsonschema was already
        imported (nothing to save) or the package had already been imported.
    """
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        return False
    # None in sys.modules makes ``import rfc3987_syntax`` raise ImportError, which
    # jsonschema expects from an optional package.
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
    return True


def dispatch(args: Any, console: Console | None = None) -> int:
    """Run ``pcp run`` or ``pcp public`` from parsed options.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options (``args.command`` is ``run``, ``public`` or ``annual``).
    console : rich.console.Console, optional
        Where messages go.

    Returns
    -------
    int
        The exit code (see :func:`run_plan`).
    """
    console = console or Console()
    skip_unused_imports()
    try:
        options = make_options(args)
        check_renderer(options)
        if args.command == "public":
            plan = build_public_plan(args, options)
        elif args.command == "annual":
            plan = build_annual_plan(args, options)
        else:
            plan = build_run_plan(args, options)
    except RunError as exc:
        console.print(f"pcp: {exc}", highlight=False, markup=False, soft_wrap=True)
        return exc.exit_code
    return run_plan(plan, options, console)
