"""``pcp run``, ``pcp public`` and ``pcp annual``: the scheduled run, step by step.

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

Each step lives in a module of its own; :func:`execute_plan` calls them in order.
"""

from __future__ import annotations

import errno
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.console import Console

from pcplib import forkserver
from pcplib.data.snapshot import SNAPSHOT_ENV, digest_data_folder
from pcplib.file_safety import list_missing_folders, name_os_error, remove_made_folders
from pcplib.run import (
    collect,
    execute,
    index,
    jobs,
    lock,
    manifest,
    pictures,
    plans,
    public_check,
    publish,
    render,
    runtime,
    timing,
    validation,
)
from pcplib.run import history as run_history
from pcplib.run import judgements as run_judgements
from pcplib.run.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, RunError
from pcplib.run.jobs import JobResult, RunPlan
from pcplib.run.log import logger, start_log, stop_log
from pcplib.run.options import RunOptions, make_options


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
        validation.check_renderer(options)
        if args.command == "public":
            plan = plans.build_public_plan(args, options)
        elif args.command == "annual":
            plan = plans.build_annual_plan(args, options)
        else:
            plan = plans.build_run_plan(args, options)
    except RunError as exc:
        console.print(f"pcp: {exc}", highlight=False, markup=False, soft_wrap=True)
        return exc.exit_code
    return run_plan(plan, options, console)


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
        0 when every report succeeded and was published; 1 when the data was invalid, a
        report failed, PDFs could not be printed or the outputs could not be written; 2
        when nothing was run (a missing renderer, an unknown strategy or a year the data
        do not cover, an output folder that is a file or cannot be written, another run
        holding the folder); 130 when interrupted.
    """
    console = console or Console()
    destination = options.out_dir / plan.folder
    made = list_missing_folders(options.out_dir)
    code = EXIT_INTERRUPTED
    with publish.handle_sigterm():
        try:
            code = execute_plan(plan, options, console)
        except KeyboardInterrupt:
            render.cancel_kernels()
            console.print(
                f"[bold red]Interrupted[/bold red]: nothing was published; {destination} is "
                "unchanged.",
                highlight=False,
            )
        finally:
            if code != EXIT_OK:
                # A run that published nothing leaves no empty output folder of its own.
                remove_made_folders(made)
    return code


def say(console: Console, text: str) -> None:
    """Print one message as one line: no markup, no highlighting, never wrapped.

    Parameters
    ----------
    console : rich.console.Console
        Where to print.
    text : str
        The message.
    """
    console.print(text, highlight=False, markup=False, soft_wrap=True)


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


def execute_plan(plan: RunPlan, options: RunOptions, console: Console) -> int:
    """Do the work of :func:`run_plan` (which adds the interrupt handling).

    Everything that can be checked is checked before anything is written: the
    renderer, the output folder, the data set and the forward plan, the notebooks and
    each report's parameters. The run then takes the output folder's lock (waiting for
    another run of the same folder, or refusing), tidies up after killed runs, and
    builds and publishes.

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
    started = time.perf_counter()
    if not options.fork_kernels:
        return check_and_build(plan, options, console, started)
    # The fork server imports what reports import while the run checks its inputs.
    with forkserver.serve_kernels(options.kernel_name, render.find_repo_root()):
        return check_and_build(plan, options, console, started)


def check_and_build(plan: RunPlan, options: RunOptions, console: Console, started: float) -> int:
    """Check the inputs, take the lock, then build and publish (see :func:`execute_plan`).

    Parameters
    ----------
    plan : RunPlan
        What to produce.
    options : RunOptions
        How.
    console : rich.console.Console
        Where messages, progress and the summary go.
    started : float
        When the run started (``time.perf_counter()``), for its start-up stage.

    Returns
    -------
    int
        The exit code (see :func:`run_plan`).
    """
    destination = options.out_dir / plan.folder
    # Check: nothing runs on invalid data, and nothing is written before these pass.
    try:
        validation.check_renderer(options)
        validation.check_output_location(options, plan.folder)
        # Taken before the data is read: the kernels' snapshot is keyed by these bytes.
        folder_digest = digest_data_folder(options.data_dir)
        # Validated once per change of inputs or code: later runs load it from the cache.
        dataset, problems, cached = validation.load_validated_inputs(options, folder_digest)
        if problems:
            console.print(
                "[bold red]The data set is invalid[/bold red]; nothing was run:", highlight=False
            )
            for problem in problems:
                say(console, f"  - {problem}")
            return EXIT_FAILED
        validation.check_jobs(plan.jobs)
        validation.check_job_parameters(plan.jobs, dataset)
        validation.check_produced_after_data(options, dataset)
        validation.check_kernel(options)
    except RunError as exc:
        say(console, f"pcp: {exc}")
        return exc.exit_code
    # Plan: strategy names for the index, and the validated data's digest for the kernels.
    plan = jobs.name_jobs(plan, dataset)
    options = replace(
        options,
        kernel_env={
            **options.kernel_env,
            **validation.describe_validated_data(dataset, options.today),
        },
    )

    def tell_waiting(holder: lock.LockHolder) -> None:
        say(
            console,
            f"pcp: {destination} is being written by another run ({holder.describe()}); "
            f"waiting up to {options.lock_wait:g} s for it to finish",
        )

    with ExitStack() as held:
        # Lock: one run at a time into the folder, for the whole of the run.
        try:
            held.enter_context(
                lock.hold_folder_lock(
                    options.out_dir,
                    plan.folder,
                    wait=options.lock_wait,
                    command=options.command,
                    on_wait=tell_waiting,
                )
            )
            # The kernels' own folder, made now so a temporary folder that cannot be
            # written stops the run here rather than failing every report.
            runtime.process_runtime_dir()
        except RunError as exc:
            say(console, f"pcp: {exc}")
            return exc.exit_code
        except OSError as exc:
            denied = exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS)
            wanted = "; expected an output folder this user can write to" if denied else ""
            say(console, f"pcp: {describe_os_error(exc)}{wanted}; nothing was run")
            return EXIT_USAGE
        snapshot_env: dict[str, str] = {}
        cached_env = {SNAPSHOT_ENV: str(cached)} if cached is not None else {}
        try:
            # Tidy: what runs killed outright left (temporary folders, kernel files).
            for left in publish.tidy_output_folder(options.out_dir, plan.folder):
                say(console, f"pcp: tidied {left}, left by a run that was killed")
            killed = runtime.remove_dead_runtime_dirs()
            if killed:
                say(console, f"pcp: removed the kernel files of {len(killed)} killed run(s)")
            # Snapshot: the validated data set for every kernel of the run; the cache's
            # file is one already, else it is saved once in the runtime folder.
            if not cached_env:
                snapshot_env = validation.snapshot_validated_data(
                    dataset, folder_digest, options, runtime.process_runtime_dir()
                )
            options = replace(
                options,
                kernel_env={**options.kernel_env, **cached_env, **snapshot_env},
                data_cache=cached,
            )
            run_stages = {"start-up": time.perf_counter() - started}
            return build_and_publish(plan, options, console, dataset, run_stages)
        except OSError as exc:
            # A write that failed as a file was flushed names no file: name the folder.
            exc = name_os_error(exc, options.out_dir)
            say(
                console,
                f"pcp: {describe_os_error(exc)}; nothing was published; {destination} is unchanged",
            )
            return EXIT_FAILED
        except Exception as exc:  # a bug: one line saying so, then the traceback to report
            first = (str(exc).strip().splitlines() or [""])[0]
            say(
                console,
                f"pcp: internal error ({type(exc).__name__}: {first}); nothing was published; "
                f"{destination} is unchanged; please report this with the traceback below",
            )
            traceback.print_exc()
            return EXIT_FAILED
        finally:
            # The run's own snapshot goes with it, so the runtime folder is left empty (the
            # cache's file is kept for the next run).
            for snapshot in snapshot_env.values():
                Path(snapshot).unlink(missing_ok=True)
            runtime.remove_process_runtime_dir()


def build_and_publish(
    plan: RunPlan,
    options: RunOptions,
    console: Console,
    dataset: Any,
    run_stages: dict[str, float] | None = None,
) -> int:
    """Build every report in a temporary folder and publish it if every report succeeded.

    The steps, each a function of its own: stage a temporary folder with the run's
    log (:func:`start_staging_log`), execute the reports and gather the index's RAGs
    and ``judgements.csv`` (:func:`execute_reports`), picture them
    (:func:`pcplib.run.pictures.finish_pictures`), write the manifest, then either keep the failures
    (:func:`keep_failed_run`) or write the index and ``judgements.csv``
    (:func:`write_index_files`) and publish the folder.

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
            step = time.perf_counter()
            try:
                screenshots, warning = pictures.finish_pictures(
                    [staging / f"{r.job.name}.html" for r in results], taker, pdf=options.pdf
                )
            except RuntimeError as exc:
                stop_log(handlers)
                handlers = []
                why = str(exc)
                return keep_failed_run(
                    staging,
                    destination,
                    console,
                    lambda target: (
                        f"[bold red]{why}[/bold red] Nothing was published; "
                        f"{destination} is unchanged; the log is in {target}"
                    ),
                    results=results,
                )
            stages["screenshots"] = time.perf_counter() - step
            if warning:
                warnings.append(warning)
        # Manifest: before the failure check, so a failed run's _failed/ holds it too.
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
            return keep_failed_run(
                staging,
                destination,
                console,
                lambda target: (
                    f"[bold red]{len(failed)} report(s) failed.[/bold red] The last "
                    f"good outputs in {destination} are unchanged; failed notebooks and the log "
                    f"are in {target}"
                ),
                failed=failed,
                results=results,
            )
        step = time.perf_counter()
        write_index_files(
            plan,
            results,
            options,
            dataset,
            staging,
            all_rags,
            judgements_frame,
            screenshots=screenshots,
        )
        # Gate: public outputs must not name a restricted measure.
        leaks = public_check.find_public_leaks(staging, plan, dataset)
        if leaks:
            for leak in leaks:
                logger.error("%s", leak)
            stop_log(handlers)
            handlers = []
            more = f" (and {len(leaks) - 1} more)" if len(leaks) > 1 else ""
            return keep_failed_run(
                staging,
                destination,
                console,
                lambda target: (
                    f"[bold red]Not published:[/bold red] {leaks[0]}{more}; public "
                    "outputs must not name a restricted measure. "
                    f"{destination} is unchanged; the outputs and log are in {target}"
                ),
            )
        stages["publishing"] = time.perf_counter() - step
        logger.info("run stages: %s", timing.format_stages(stages))
        logger.info("publishing %s", destination)
        stop_log(handlers)
        handlers = []
        publish.publish_folder(staging, destination)
        stages["publishing"] = time.perf_counter() - step
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
    finally:
        if taker is not None:
            taker.discard()  # stops its browser (after publishing, its files have moved)
        stop_log(handlers)
        publish.discard_staging(staging)


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
    RAG (:mod:`pcplib.run.collect`), so they are not worked out twice; the other
    reports' rows (the plan overview, the public report) are worked out from the
    validated data while the kernels run.

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
            # `pcp validate` (for the Board's analysts).
            logger.warning(
                "%d number(s) in the owners' text disagree with the data set; "
                "`pcp validate` lists them",
                len(warnings),
            )
        else:
            for warning in warnings:
                logger.warning("%s", warning)
        known = others_future.result()
    rags = collect.gather_kernel_results(plan, dataset, known)
    return results, rags, run_judgements.tabulate_run_judgements(dataset, plan, known)


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
