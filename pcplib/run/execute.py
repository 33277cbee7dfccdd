"""Executing a run's jobs: each notebook in its own kernel, several at once.

Each job is executed with papermill and rendered to HTML (:mod:`pcplib.run.render`);
one failing report does not stop the others, and each failure is described in one
line with the cell it happened in. A terminal gets a progress bar, and every run
ends with a summary table.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from pcplib.file_safety import describe_write_error, name_os_error
from pcplib.run import collect, render, runtime, timing
from pcplib.run.jobs import Job, JobResult, notebook_path, repo_parameter
from pcplib.run.log import logger
from pcplib.run.options import RunOptions
from pcplib.stage_times import STAGE_TIMES_ENV, read_stage_times


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
    if isinstance(exc, OSError) and exc.errno is not None:
        # A full disk or a read-only folder while the outputs were written: where and why.
        return describe_write_error(exc), None, None
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
    # The kernel's own stage timings go beside its connection file, never into the outputs.
    stage_file = runtime.process_runtime_dir() / f"stages-{uuid.uuid4().hex[:16]}.jsonl"
    # A strategy report's kernel saves its judgements for the runner (pcplib.run.collect).
    epilogue = None
    if collect.collects_results(job.notebook):
        results_file = collect.results_path(runtime.process_runtime_dir(), job.name)
        results_file.unlink(missing_ok=True)
        epilogue = collect.build_collect_code(results_file, job.name)
    started = time.perf_counter()
    logger.info("%s: started (%s)", job.name, source.name)
    try:
        wall_started = time.time()
        nb = render.execute_notebook(
            source,
            output,
            job.parameters,
            kernel_name=options.kernel_name,
            cwd=render.find_repo_root(),
            timeout=options.timeout,
            env={**options.kernel_env, STAGE_TIMES_ENV: str(stage_file)},
            epilogue=epilogue,
        )
        stages = timing.split_execution(nb, wall_started, time.time(), read_stage_times(stage_file))
        step = time.perf_counter()
        render.scrub_notebook(
            nb, input_path=repo_parameter(source), output_path=f"{job.name}.ipynb"
        )
        import nbformat

        nbformat.write(nb, output)
        stages["notebook write"] = time.perf_counter() - step
        step = time.perf_counter()
        html_path = workdir / f"{job.name}.html"
        if options.renderer == "quarto":
            render.render_with_quarto(output, html_path, timeout=options.timeout)
        else:
            render.render_html(nb, html_path)
        stages["html"] = time.perf_counter() - step
    except Exception as exc:  # one failing report must not stop the others
        seconds = time.perf_counter() - started
        if isinstance(exc, OSError):
            exc = name_os_error(exc, workdir)  # written with no file name: the run's folder
        line, cell, count = describe_failure(exc)
        # A failure outside any cell (the kernel killed, a full disk) names no cell.
        where = f" at cell {cell}" if cell is not None else ""
        # A report stopped because the run was interrupted is not a failure of its own:
        # the run says "Interrupted" once.
        level = logging.DEBUG if render.kernels_cancelled() else logging.ERROR
        logger.log(level, "%s: FAILED after %.1f s%s: %s", job.name, seconds, where, line)
        return JobResult(job, False, seconds, line, cell, count)
    finally:
        stage_file.unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    logger.info("%s: done in %.1f s (%s)", job.name, seconds, timing.format_stages(stages))
    return JobResult(job, True, seconds, stages=stages)


class _QuietOnceInterrupted(logging.Filter):
    """Drop the kernel libraries' messages about kernels an interruption killed."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not render.kernels_cancelled()


for _name in ("papermill", "traitlets", "nbclient"):
    # Otherwise each killed kernel adds "Error occurred while starting new kernel
    # client ... Kernel died" to the one "Interrupted" line.
    logging.getLogger(_name).addFilter(_QuietOnceInterrupted())


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


def execute_with_progress(
    jobs: Sequence[Job],
    workdir: Path,
    options: RunOptions,
    console: Console,
    on_done: Callable[[JobResult], None] | None = None,
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
    on_done : callable, optional
        Also called with each result as it finishes (the run's screenshots).

    Returns
    -------
    list of JobResult
        In the order of ``jobs``.
    """
    if not console.is_terminal:
        return execute_jobs(jobs, workdir, options, on_done=on_done)
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
            if on_done is not None:
                on_done(result)

        return execute_jobs(jobs, workdir, options, on_done=advance)


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
