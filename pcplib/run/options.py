"""How a run executes: :class:`RunOptions`, built from the command line's options.

The options say where the data, the forward plan and the outputs are, how many
reports run at once, which renderer and kernel to use, whether to take
screenshots and print PDFs, and the time every report says it was produced.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pcplib.run import render
from pcplib.run.errors import EXIT_USAGE, RunError
from pcplib.run.lock import LOCK_WAIT_SECONDS


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
    lock_wait : float
        Seconds to wait for another run of the same folder to finish (``--wait``).
    profile : bool
        Print where each report's time went at the end of the run (``--profile``).
    fork_kernels : bool
        Fork each report's kernel from a process that has already imported what a
        report imports (:mod:`pcplib.forkserver`); ``pcp`` does unless the
        environment sets ``PCP_FORK_KERNELS=0``.
    data_cache : Path or None
        The cache file holding the validated data set this run loaded or kept
        (:mod:`pcplib.data.snapshot`); set by the run once the data are validated.
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
    lock_wait: float = LOCK_WAIT_SECONDS
    profile: bool = False
    fork_kernels: bool = False
    data_cache: Path | None = None


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


def default_jobs(forked: bool = True) -> int:
    """Return how many reports run at once by default: the CPUs, one more without forking.

    A kernel started from scratch spends part of its life starting and stopping rather
    than computing, so one report more than the cores kept every core busy (13 reports
    on 2 cores: 28.2 s instead of 30.9 s, measured). A kernel forked from a warm process
    (:mod:`pcplib.forkserver`) starts in a fraction of that, and a third report only
    competed for the two cores: ``--all`` took 16.6 s with two at once against 19.5 s
    with three, and 27.1 s against 31.1 s in a busier moment; a third run measured the
    opposite at moments of different load (``benchmarks/bench_runner.py``; figures in
    ``docs/architecture.md``).

    Parameters
    ----------
    forked : bool, default True
        Whether the kernels are forked from a warm process.

    Returns
    -------
    int
        ``count_cpus()``, or ``count_cpus() + 1`` when kernels start from scratch.
    """
    return count_cpus() if forked else count_cpus() + 1


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
    env: Mapping[str, str] = os.environ if environ is None else environ
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
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
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
    from pcplib.data.identity import locate_forward_plan

    produced_at, reproducible = resolve_produced_at(args.timestamp)
    today = read_today(args)
    if today is None and not reproducible:
        # One clock and one zone: the slot "latest" or "next" is chosen on the same date
        # the "Produced" line gives (UTC), not the machine's local date, which differ
        # for an hour each night in summer.
        today = datetime.fromisoformat(produced_at).astimezone(UTC).date()
    fork_kernels = os.environ.get("PCP_FORK_KERNELS", "1").strip() != "0"
    jobs = args.jobs if args.jobs is not None else default_jobs(fork_kernels)
    if jobs < 1:
        raise RunError(f"--jobs must be 1 or more, got {jobs}", EXIT_USAGE)
    wait = getattr(args, "wait", None)
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    if not wait >= 0:  # also refuses NaN
        raise RunError(f"--wait must be 0 or more seconds, got {wait:g}", EXIT_USAGE)
    return RunOptions(
        out_dir=resolve_option_path(args.out, "--out"),
        data_dir=resolve_option_path(args.data, "--data"),
        # The data set's own forward plan unless --forward-plan names another.
        forward_plan=resolve_option_path(
            locate_forward_plan(args.data, args.forward_plan), "--forward-plan"
        ),
        jobs=jobs,
        renderer=args.renderer,
        pdf=args.pdf,
        screenshots=not getattr(args, "no_screenshots", False),
        produced_at=produced_at,
        reproducible=reproducible,
        command=tuple(getattr(args, "argv", ()) or ()),
        today=today,
        lock_wait=float(wait),
        profile=bool(getattr(args, "profile", False)),
        fork_kernels=fork_kernels,
    )


def resolve_option_path(path: Path | str, option: str) -> Path:
    """Return an option's path made absolute, refusing a link that loops.

    Parameters
    ----------
    path : path-like
        The path given.
    option : str
        The option's name, for the message.

    Returns
    -------
    Path
        The absolute path, links followed.

    Raises
    ------
    RunError
        When following its links never ends (exit 2).
    """
    try:
        return Path(path).resolve()
    except (RuntimeError, OSError) as exc:  # Python 3.11 raises RuntimeError on a loop
        raise RunError(
            f"{option} {path}: a link that loops (it points, in the end, to itself); expected "
            "a real folder or file",
            EXIT_USAGE,
        ) from exc


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
