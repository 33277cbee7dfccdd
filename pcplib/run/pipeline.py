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
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import replace
from typing import Any

from rich.console import Console

from pcplib.run import (
    execute,
    index,
    jobs,
    lock,
    manifest,
    pictures,
    plans,
    publish,
    render,
    runtime,
    validation,
)
from pcplib.run import history as run_history
from pcplib.run import judgements as run_judgements
from pcplib.run.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, RunError
from pcplib.run.jobs import RunPlan
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
    with publish.handle_sigterm():
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
    destination = options.out_dir / plan.folder
    # Check: nothing runs on invalid data, and nothing is written before these pass.
    try:
        validation.check_renderer(options)
        validation.check_output_location(options, plan.folder)
        dataset, problems = validation.load_inputs(options)
        if problems:
            console.print(
                "[bold red]The data set is invalid[/bold red]; nothing was run:", highlight=False
            )
            for problem in problems:
                say(console, f"  - {problem}")
            return EXIT_FAILED
        validation.check_jobs(plan.jobs)
        validation.check_job_parameters(plan.jobs, dataset)
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
        try:
            # Tidy: what runs killed outright left (temporary folders, kernel files).
            for left in publish.tidy_output_folder(options.out_dir, plan.folder):
                say(console, f"pcp: tidied {left}, left by a run that was killed")
            killed = runtime.remove_dead_runtime_dirs()
            if killed:
                say(console, f"pcp: removed the kernel files of {len(killed)} killed run(s)")
            return build_and_publish(plan, options, console, dataset)
        except OSError as exc:
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
            runtime.remove_process_runtime_dir()


def build_and_publish(plan: RunPlan, options: RunOptions, console: Console, dataset: Any) -> int:
    """Build every report in a temporary folder and publish it if every report succeeded.

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
    destination = options.out_dir / plan.folder
    # Stage: a temporary folder beside the destination, the run's log in it.
    staging = publish.prepare_staging(options.out_dir, plan.folder)
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
        # Execute. The index's overall RAGs come from the validated data, not from the
        # reports: worked out while the kernels run, they no longer wait for the last report.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pcp-rag") as rag_pool:
            rag_future = rag_pool.submit(index.summarise_overalls, dataset, plan)
            judgements_future = rag_pool.submit(
                run_judgements.tabulate_run_judgements, dataset, plan
            )
            results = execute.execute_with_progress(plan.jobs, staging, options, console)
            all_rags = rag_future.result()
            judgements_frame = judgements_future.result()
        failed = [r for r in results if not r.ok]
        # Picture: screenshots and PDFs, only of a run whose every report succeeded.
        screenshots = False
        if not failed and (options.screenshots or options.pdf):
            pictures_started = time.perf_counter()
            try:
                screenshots, warning = pictures.picture_reports(
                    [staging / f"{r.job.name}.html" for r in results],
                    screenshots=options.screenshots,
                    pdf=options.pdf,
                )
            except RuntimeError as exc:
                logger.error("%s", exc)
                stop_log(handlers)
                handlers = []
                target = publish.publish_failures(staging, destination, [])
                execute.print_summary(console, results)
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
        # Manifest: before the failure check, so a failed run's _failed/ holds it too.
        manifest.write_json(
            staging / "manifest.json",
            manifest.build_manifest(
                plan, results, options, dataset, manifest.read_git_commit(), screenshots=screenshots
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
            target = publish.publish_failures(staging, destination, failed)
            execute.print_summary(console, results)
            console.print(
                f"[bold red]{len(failed)} report(s) failed.[/bold red] The last good outputs "
                f"in {destination} are unchanged; failed notebooks and the log are in {target}",
                highlight=False,
                soft_wrap=True,
            )
            return EXIT_FAILED
        # Judgements, index, then publish.
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
        logger.info("publishing %s", destination)
        stop_log(handlers)
        handlers = []
        publish.publish_folder(staging, destination)
        try:
            run_history.record_meeting(
                options.out_dir, plan, judgements_frame, dataset, options.produced_at
            )
        except OSError as exc:
            warnings.append(f"what this meeting was told was not kept: {describe_os_error(exc)}")
        execute.print_summary(console, results)
        for warning in warnings:
            console.print(f"Warning: {warning}", highlight=False, markup=False, soft_wrap=True)
        console.print(f"Reports published: {destination / 'index.html'}", highlight=False)
        return EXIT_OK
    finally:
        stop_log(handlers)
        publish.discard_staging(staging)
