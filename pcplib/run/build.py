"""Build every report of a run in a temporary folder, then publish it or keep it aside.

The steps of :func:`build_and_publish`, which :func:`pcplib.run.pipeline.check_and_build`
calls once the inputs are checked and the folder's lock is held: start the run's log
(:func:`start_staging_log`), execute the reports (:func:`execute_reports`), finish the
screenshots and PDFs, write the manifest, then either keep a refused run in ``_failed/``
(:func:`keep_failed_run`) or write the index and ``judgements.csv``
(:func:`write_index_files`), pass the public outputs' gate and publish the folder.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from rich.console import Console

from pcplib import forkserver
from pcplib.run import (
    collect,
    execute,
    index,
    manifest,
    pictures,
    public_check,
    publish,
    render,
    timing,
)
from pcplib.run import history as run_history
from pcplib.run import judgements as run_judgements
from pcplib.run.errors import EXIT_FAILED, EXIT_OK
from pcplib.run.jobs import JobResult, RunPlan
from pcplib.run.log import logger, start_log, stop_log
from pcplib.run.options import RunOptions

__all__ = [
    "build_and_publish",
    "describe_os_error",
    "execute_reports",
    "keep_failed_run",
    "list_narrative_warnings",
    "list_target_date_warnings",
    "start_staging_log",
    "write_index_files",
]


def describe_os_error(exc: OSError) -> str:
    """Say in a few words what could not be written, and why.

    Parameters
    ----------
    exc : OSError
        The error (a full disk, a read-only folder, a file in the way).

    Returns
    -------
    str
        Such as ``cannot write outputs/.tmp-2026-11-7/index.html: No space left on device``.
    """
    reason = exc.strerror or str(exc) or type(exc).__name__
    where = f" {exc.filename}" if exc.filename else ""
    return f"cannot write{where}: {reason}"


def build_and_publish(
    plan: RunPlan,
    options: RunOptions,
    console: Console,
    dataset: Any,
    run_stages: dict[str, float] | None = None,
) -> int:
    """Build every report in a temporary folder and publish it if every report succeeded.

    Its steps, each a function of its own, are listed in the module's docstring; after
    publishing, :func:`_tell_published` keeps the meeting's record and says so.

    Parameters
    ----------
    plan : RunPlan
        What to produce (checked).
    options : RunOptions
        How (with the kernels' environment).
    console : rich.console.Console
        Where messages, progress and the summary go.
    dataset : pcplib.data.Dataset
        The validated data set.
    run_stages : dict, optional
        The run's own stages so far (``start-up``), in seconds; the later ones are
        added to it.

    Returns
    -------
    int
        0 published, 1 a report failed or PDFs could not be printed.

    Raises
    ------
    OSError
        When the outputs cannot be written (a full disk); the temporary folder is removed
        and nothing is published.
    KeyboardInterrupt
        On Ctrl-C or SIGTERM, after removing the temporary folder.
    """
    stages = run_stages if run_stages is not None else {}
    destination = options.out_dir / plan.folder
    staging = publish.prepare_staging(options.out_dir, plan.folder)
    try:
        handlers = start_staging_log(staging, plan, options, console)
    except BaseException:
        # A log that cannot be started (a full disk) leaves no empty temporary folder.
        publish.discard_staging(staging)
        raise
    # Screenshots are taken as the reports are written, while the others run.
    taker = pictures.ScreenshotTaker() if options.screenshots else None
    try:
        started = time.perf_counter()
        results, all_rags, judgements_frame = execute_reports(
            plan, options, console, dataset, staging, taker
        )
        stages["execution"] = time.perf_counter() - started
        failed = [r for r in results if not r.ok]
        warnings: list[str] = []
        screenshots = False
        if failed and taker is not None:
            taker.discard()
        if not failed and (options.screenshots or options.pdf):
            try:
                screenshots, warning = _finish_pictures(results, staging, taker, options, stages)
            except RuntimeError as exc:
                refused = _say_pictures_failed(str(exc), destination)
                return _keep_refused_run(handlers, staging, destination, console, refused,
                                         results=results)  # fmt: skip
            if warning:
                warnings.append(warning)
        # Manifest: before the failure check, so a failed run's _failed/ holds it too.
        _write_run_manifest(plan, results, options, dataset, staging, screenshots, stages)
        logger.info("all reports finished in %.1f s", time.perf_counter() - started)
        if failed:
            logger.error("%d of %d report(s) failed; %s left untouched", len(failed),
                         len(results), destination)  # fmt: skip
            refused = _say_reports_failed(len(failed), destination)
            return _keep_refused_run(handlers, staging, destination, console, refused,
                                     failed=failed, results=results)  # fmt: skip
        step = time.perf_counter()
        write_index_files(plan, results, options, dataset, staging, all_rags, judgements_frame,
                          screenshots=screenshots)  # fmt: skip
        # Gate: public outputs must not name a restricted measure.
        leaks = public_check.find_public_leaks(staging, plan, dataset)
        if leaks:
            for leak in leaks:
                logger.error("%s", leak)
            refused = _say_public_leaks(leaks, destination)
            return _keep_refused_run(handlers, staging, destination, console, refused)
        _publish_staged(staging, destination, handlers, stages, step)
        return _tell_published(plan, options, console, dataset, results, judgements_frame,
                               stages, warnings)  # fmt: skip
    finally:
        if taker is not None:
            taker.discard()  # stops its browser (after publishing, its files have moved)
        stop_log(handlers)
        publish.discard_staging(staging)


def _keep_refused_run(
    handlers: list[Any],
    staging: Path,
    destination: Path,
    console: Console,
    say: Callable[[Path], str],
    **found: Any,
) -> int:
    """Close the run's log, then keep the run unpublished (:func:`keep_failed_run`).

    The handlers are emptied in place, so the caller's closing of the log is a no-op.
    """
    stop_log(handlers)
    handlers.clear()
    return keep_failed_run(staging, destination, console, say, **found)


def _say_pictures_failed(why: str, destination: Path) -> Callable[[Path], str]:
    """The message of a run refused because its PDFs could not be printed."""
    return lambda target: (
        f"[bold red]{why}[/bold red] Nothing was published; "
        f"{destination} is unchanged; the log is in {target}"
    )


def _say_reports_failed(count: int, destination: Path) -> Callable[[Path], str]:
    """The message of a run refused because ``count`` reports failed."""
    return lambda target: (
        f"[bold red]{count} report(s) failed.[/bold red] The last "
        f"good outputs in {destination} are unchanged; failed notebooks and the log "
        f"are in {target}"
    )


def _say_public_leaks(leaks: Sequence[object], destination: Path) -> Callable[[Path], str]:
    """The message of a run refused because a public output names a restricted measure."""
    more = f" (and {len(leaks) - 1} more)" if len(leaks) > 1 else ""
    return lambda target: (
        f"[bold red]Not published:[/bold red] {leaks[0]}{more}; public "
        "outputs must not name a restricted measure. "
        f"{destination} is unchanged; the outputs and log are in {target}"
    )


def _finish_pictures(
    results: list[JobResult],
    staging: Path,
    taker: pictures.ScreenshotTaker | None,
    options: RunOptions,
    stages: dict[str, float],
) -> tuple[bool, str]:
    """Finish the screenshots and print the PDFs; time it as the ``screenshots`` stage.

    Returns whether screenshots were saved and a warning (empty when none); raises
    :class:`RuntimeError` when the PDFs cannot be printed.
    """
    step = time.perf_counter()
    screenshots, warning = pictures.finish_pictures(
        [staging / f"{r.job.name}.html" for r in results], taker, pdf=options.pdf
    )
    stages["screenshots"] = time.perf_counter() - step
    return screenshots, warning


def _write_run_manifest(
    plan: RunPlan,
    results: list[JobResult],
    options: RunOptions,
    dataset: Any,
    staging: Path,
    screenshots: bool,
    stages: dict[str, float],
) -> None:
    """Write ``manifest.json`` in the temporary folder: what ran, on what, how long."""
    manifest.write_json(
        staging / "manifest.json",
        manifest.build_manifest(
            plan,
            results,
            options,
            dataset,
            manifest.read_git_commit(),
            screenshots=screenshots,
            run_stages=stages,
        ),
    )


def _publish_staged(
    staging: Path, destination: Path, handlers: list[Any], stages: dict[str, float], step: float
) -> None:
    """Close the run's log (emptying ``handlers``) and publish the temporary folder.

    ``step`` is when publishing began (``time.perf_counter()``): the ``publishing``
    stage is logged before the move and timed again after it for the manifest's caller.
    """
    stages["publishing"] = time.perf_counter() - step
    logger.info("run stages: %s", timing.format_stages(stages))
    logger.info("publishing %s", destination)
    stop_log(handlers)
    handlers.clear()
    publish.publish_folder(staging, destination)
    stages["publishing"] = time.perf_counter() - step


def _tell_published(
    plan: RunPlan,
    options: RunOptions,
    console: Console,
    dataset: Any,
    results: list[JobResult],
    judgements_frame: Any,
    stages: dict[str, float],
    warnings: list[str],
) -> int:
    """After publishing: keep what the meeting was told, then print the run's summary."""
    destination = options.out_dir / plan.folder
    try:
        run_history.record_meeting(
            options.out_dir, plan, judgements_frame, dataset, options.produced_at
        )
    except OSError as exc:
        warnings.append(f"what this meeting was told was not kept: {describe_os_error(exc)}")
    execute.print_summary(console, results)
    if options.profile:
        timing.print_profile(console, results, stages)
    for warning in warnings:
        console.print(f"Warning: {warning}", highlight=False, markup=False, soft_wrap=True)
    console.print(f"Reports published: {destination / 'index.html'}", highlight=False)
    return EXIT_OK


def start_staging_log(
    staging: Path, plan: RunPlan, options: RunOptions, console: Console
) -> list[Any]:
    """Start the run's log in its temporary folder and say what the run is.

    Parameters
    ----------
    staging : Path
        The temporary folder.
    plan : RunPlan
        The run.
    options : RunOptions
        How it runs.
    console : rich.console.Console
        Where warnings also go.

    Returns
    -------
    list
        The log handlers, for :func:`pcplib.run.log.stop_log`.
    """
    handlers = start_log(staging / "run.log", console)
    render.reset_kernel_cancel()
    logger.info(
        "run %s: %d report(s), %d at once, renderer %s, produced_at %s",
        plan.folder,
        len(plan.jobs),
        options.jobs,
        options.renderer,
        options.produced_at,
    )
    logger.info("data %s, forward plan %s", options.data_dir, options.forward_plan)
    server = forkserver.active_server()
    logger.info(
        "kernels %s",
        f"forked from a warm process (pid {server.pid})" if server else "started one by one",
    )
    return handlers


def execute_reports(
    plan: RunPlan,
    options: RunOptions,
    console: Console,
    dataset: Any,
    staging: Path,
    taker: pictures.ScreenshotTaker | None = None,
) -> tuple[list[JobResult], dict[str, Any], Any]:
    """Execute every report, and gather the index's RAGs and the run's judgements.

    A strategy report's kernel saves its own rows of ``judgements.csv`` and its overall
    RAG, and the Delivery Board's view, the plan overview's and the public report's
    kernels their rows (:mod:`pcplib.run.collect`), so they are not worked out twice;
    the other reports' rows are worked out from the validated data while the kernels
    run, and a kernel's that handed nothing back after them.

    Parameters
    ----------
    plan : RunPlan
        The run.
    options : RunOptions
        How.
    console : rich.console.Console
        Where the progress goes.
    dataset : pcplib.data.Dataset
        The validated data set.
    staging : Path
        The temporary folder the reports are written to.
    taker : ScreenshotTaker, optional
        Given each report as soon as it is written.

    Returns
    -------
    tuple
        ``(results in plan order, overall RAG per strategy, judgements frame)``.
    """
    others = [job for job in plan.jobs if not collect.collects_results(job.notebook)]
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pcp-rag") as pool:
        # nbconvert imported and its templates compiled while the first kernels run, so
        # the first report's HTML is a conversion only (its cost moved off the path).
        if options.renderer == "nbconvert":
            pool.submit(render.warm_exporter)
        # The owners' numbers the data set contradicts (1-1.6 s of CPU, measured): flagged
        # before anything is published, without holding the first kernel back.
        narrative_future = pool.submit(list_narrative_warnings, dataset, options.data_cache)
        others_future = pool.submit(
            lambda: {
                job.name: run_judgements.tabulate_job_judgements(dataset, job) for job in others
            }
        )

        def written(result: JobResult) -> None:
            if taker is not None and result.ok:
                taker.add(staging / f"{result.job.name}.html")

        results = execute.execute_with_progress(plan.jobs, staging, options, console, written)
        warnings = narrative_future.result()
        if warnings and public_check.is_public_run(plan):
            # The run log is published with a public run, and a warning quotes the owners'
            # text, which may name a restricted measure: a count here, the lines in
            # `pcp validate` (for the Board's analysts). The public reports withhold each
            # sentence that holds one, saying so on the page (review 7, F1).
            logger.warning(
                "%d number(s) in the owners' text disagree with the data set; the public "
                "reports withhold the sentences that hold them; `pcp validate` lists them",
                len(warnings),
            )
        else:
            for warning in warnings:
                logger.warning("%s", warning)
        for warning in list_target_date_warnings(dataset, public_check.is_public_run(plan)):
            logger.warning("%s", warning)
        _log_coherence_warnings(dataset, public_check.is_public_run(plan))
        known = others_future.result()
    rags = collect.gather_kernel_results(plan, dataset, known)
    return results, rags, run_judgements.tabulate_run_judgements(dataset, plan, known)


def list_target_date_warnings(dataset: Any, public: bool = False) -> list[str]:
    """Return a line for each commitment due later than the undated target it names.

    Parameters
    ----------
    dataset : pcplib.data.Dataset
        The validated data set.
    public : bool, default False
        A public run: its log is published, and a warning names the measure, which may be
        restricted, so one line counts them and `pcp validate` lists them.

    Returns
    -------
    list of str
        The warnings (:mod:`pcplib.assessment.commitment_dates`); none when every
        commitment's date agrees with its target's.
    """
    from pcplib.assessment.commitment_dates import (
        check_commitment_target_dates,
        format_target_date_warnings,
    )

    warnings = format_target_date_warnings(check_commitment_target_dates(dataset))
    if public and warnings:
        return [
            f"{len(warnings)} commitment(s) name a target figure whose measure has no "
            "target_date but are due later; `pcp validate` lists them"
        ]
    return warnings


def _log_coherence_warnings(dataset: Any, public: bool) -> None:
    """Log each pair of series that cannot both be right (:mod:`pcplib.data.coherence`).

    A warning, never a stop: the reports are built from the data as the source gives
    them, and a share whose base is too large says so in its data notes. A public run's
    log is published, and a warning names measures that may be restricted, so it gets a
    count and `pcp validate` lists them.
    """
    from pcplib.data.coherence import list_coherence_warnings

    measures = getattr(dataset, "measures", None)
    observations = getattr(dataset, "observations", None)
    if measures is None or observations is None:
        return
    warnings = list_coherence_warnings(measures, observations)
    if warnings and public:
        logger.warning(
            "%d pair(s) of related series in the data set disagree (a share's base larger "
            "than its population, or one extract's statuses); `pcp validate` lists them",
            len(warnings),
        )
        return
    for warning in warnings:
        logger.warning("%s", warning)


def list_narrative_warnings(dataset: Any, cache_file: Path | None = None) -> list[str]:
    """Return a line for each number in the owners' narrative that the data set contradicts.

    Parameters
    ----------
    dataset : pcplib.data.Dataset
        The validated data set.
    cache_file : Path, optional
        The data set's cache file: the warnings kept beside it are used, or kept there.

    Returns
    -------
    list of str
        The warnings (:mod:`pcplib.assessment.narrative_checks`); none without a narrative.
    """
    from pcplib.data.snapshot import read_cached_warnings, write_cached_warnings

    if getattr(dataset, "narrative", None) is None:
        return []
    kept = read_cached_warnings(cache_file) if cache_file is not None else None
    if kept is not None:
        return kept
    from pcplib.assessment.narrative_checks import (
        check_narrative_numbers,
        format_narrative_warnings,
    )

    warnings = list(format_narrative_warnings(check_narrative_numbers(dataset)))
    if cache_file is not None:
        write_cached_warnings(cache_file, warnings)
    return warnings


def keep_failed_run(
    staging: Path,
    destination: Path,
    console: Console,
    say: Callable[[Path], str],
    *,
    failed: Sequence[JobResult] = (),
    results: list[JobResult] | None = None,
) -> int:
    """Keep a run that is not published in ``_failed/``, say why, and return 1.

    The one way every refused run ends (failed reports, PDFs that could not be printed,
    public outputs that name a restricted measure): the last good outputs stay as they
    were.

    Parameters
    ----------
    staging : Path
        The temporary folder (its log already closed).
    destination : Path
        The published folder, left unchanged.
    console : rich.console.Console
        Where to say it.
    say : callable
        The message, given the folder the run was kept in.
    failed : sequence of JobResult, default ()
        The failed reports, whose notebooks are kept.
    results : list of JobResult, optional
        Every report, summarised in a table first when given.

    Returns
    -------
    int
        1.
    """
    target = publish.publish_failures(staging, destination, list(failed))
    if results is not None:
        execute.print_summary(console, results)
    console.print(say(target), highlight=False, soft_wrap=True)
    return EXIT_FAILED


def write_index_files(
    plan: RunPlan,
    results: list[JobResult],
    options: RunOptions,
    dataset: Any,
    staging: Path,
    all_rags: dict[str, Any],
    judgements_frame: Any,
    *,
    screenshots: bool,
) -> None:
    """Write ``judgements.csv`` and ``index.html`` beside the reports.

    Parameters
    ----------
    plan : RunPlan
        The run.
    results : list of JobResult
        The reports (all succeeded).
    options : RunOptions
        How it ran.
    dataset : pcplib.data.Dataset
        The validated data set.
    staging : Path
        The temporary folder.
    all_rags : dict
        Overall RAG per strategy.
    judgements_frame : pandas.DataFrame
        The run's judgements.
    screenshots : bool
        Whether the index shows thumbnails.
    """
    rags = {r.job.strategy: all_rags[r.job.strategy] for r in results if r.job.strategy and r.ok}
    run_judgements.write_judgements(judgements_frame, staging / "judgements.csv")
    (staging / "index.html").write_text(
        index.build_index(
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
