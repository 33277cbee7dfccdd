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
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.console import Console

from pcplib import forkserver
from pcplib.data.snapshot import SNAPSHOT_ENV, digest_data_folder
from pcplib.file_safety import list_missing_folders, name_os_error, remove_made_folders
from pcplib.run import (
    jobs,
    lock,
    plans,
    publish,
    render,
    runtime,
    validation,
)
from pcplib.run.build import build_and_publish, describe_os_error
from pcplib.run.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, RunError
from pcplib.run.jobs import RunPlan
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
    # Check: nothing runs on invalid data, and nothing is written before these pass.
    checked = _check_inputs(plan, options, console)
    if isinstance(checked, int):
        return checked
    dataset, folder_digest, cached = checked
    # Plan: strategy names for the index, and the validated data's digest for the kernels.
    plan = jobs.name_jobs(plan, dataset)
    options = replace(
        options,
        kernel_env={
            **options.kernel_env,
            **validation.describe_validated_data(dataset, options.today),
        },
    )
    with ExitStack() as held:
        # Lock: one run at a time into the folder, for the whole of the run.
        refused = _take_folder_lock(held, plan, options, console)
        if refused is not None:
            return refused
        return _build_locked(plan, options, console, dataset, folder_digest, cached, started)


def _check_inputs(
    plan: RunPlan, options: RunOptions, console: Console
) -> tuple[Any, str, Path | None] | int:
    """Check the options, the data set, the jobs and the kernel before anything is written.

    Returns the validated data set, its folder's digest and the cache file it came from
    (None when not cached), or the exit code of a run refused here (having said why).
    """
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
    return dataset, folder_digest, cached


def _take_folder_lock(
    held: ExitStack, plan: RunPlan, options: RunOptions, console: Console
) -> int | None:
    """Hold the output folder's lock in ``held`` and make the kernels' runtime folder.

    Returns None when both are done, else the exit code of a run refused (having said why).
    """
    destination = options.out_dir / plan.folder

    def tell_waiting(holder: lock.LockHolder) -> None:
        say(
            console,
            f"pcp: {destination} is being written by another run ({holder.describe()}); "
            f"waiting up to {options.lock_wait:g} s for it to finish",
        )

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
    return None


def _build_locked(
    plan: RunPlan,
    options: RunOptions,
    console: Console,
    dataset: Any,
    folder_digest: str,
    cached: Path | None,
    started: float,
) -> int:
    """With the lock held: tidy what killed runs left, snapshot the data, build and publish.

    Any failure is said in one line and the published folder is left unchanged; the
    run's own data snapshot and kernel files are removed whatever happens.
    """
    destination = options.out_dir / plan.folder
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
