"""Publishing a run's folder so readers never see half of one.

A run writes into a temporary folder beside the destination
(``outputs/.tmp-<folder>-<pid>``). Only when every report succeeded is it
published: the previous ``outputs/<folder>/`` is renamed aside, the new one renamed
into place, the old one removed. A failed run leaves the last good outputs untouched
and writes only ``outputs/<folder>/_failed/``. SIGTERM is turned into
``KeyboardInterrupt`` so it cleans up as Ctrl-C does.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pcplib.run.jobs import JobResult


def prepare_staging(out_dir: Path, folder: str) -> Path:
    """Create the empty temporary folder a run of ``folder`` writes into.

    Temporary folders left by killed runs of the same folder are removed first
    (see :func:`remove_stale_staging`).

    Parameters
    ----------
    out_dir : Path
        The output folder (created if missing).
    folder : str
        The run's folder name.

    Returns
    -------
    Path
        ``out_dir/.tmp-<folder>-<pid>``, beside the destination so publishing it is a rename.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(out_dir, folder)
    staging = out_dir / f".tmp-{folder}-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    return staging


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


def discard_staging(staging: Path) -> None:
    """Remove a run's temporary folder, if it is still there (published, it is not).

    Parameters
    ----------
    staging : Path
        The folder from :func:`prepare_staging`.
    """
    if staging.exists():
        shutil.rmtree(staging, ignore_errors=True)


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
