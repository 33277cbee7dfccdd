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
import re
import shutil
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pcplib.run.errors import RunError
from pcplib.run.jobs import JobResult
from pcplib.run.runtime import is_alive


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


def _dead_run_folders(parent: Path, prefix: str, folder: str) -> list[Path]:
    """Return ``parent/<prefix><folder>-<pid>`` folders whose process is no longer running."""
    found = []
    start = f"{prefix}{folder}-"
    for candidate in parent.glob(f"{prefix}{glob_escape(folder)}-*"):
        pid_text = candidate.name[len(start) :]
        # Only this folder's: ".tmp-2026-11-public-7" is another folder's, not 2026-11's.
        if not pid_text.isdigit() or int(pid_text) == os.getpid():
            continue
        if not is_alive(int(pid_text)):
            found.append(candidate)
    return found


def glob_escape(name: str) -> str:
    """Escape the characters glob reads specially in a folder name.

    Parameters
    ----------
    name : str
        A folder name.

    Returns
    -------
    str
        The name with ``*``, ``?`` and ``[`` escaped.
    """
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def remove_path(path: Path) -> None:
    """Remove a folder with its contents, or a file or link, if it is there.

    Parameters
    ----------
    path : Path
        What to remove.
    """
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)


def remove_stale_staging(out_dir: Path, folder: str) -> list[Path]:
    """Tidy up after runs of ``folder`` that were killed outright, restoring their outputs.

    A run removes its own temporary folder even when interrupted; only a process
    killed without warning (``kill -9``, power loss) leaves one behind. One killed in
    the instant between moving the last good outputs aside (``.old-<folder>-<pid>``)
    and moving the new ones into place leaves no ``<folder>`` at all: the last good
    outputs are then moved back, since the new ones were never published.

    Parameters
    ----------
    out_dir : Path
        The output folder.
    folder : str
        The run's folder name.

    Returns
    -------
    list of Path
        The temporary folders removed or restored (those whose process is no longer
        running).
    """
    destination = out_dir / folder
    handled = []
    for old in _dead_run_folders(out_dir, ".old-", folder):
        if not destination.exists() and not destination.is_symlink() and old.is_dir():
            os.replace(old, destination)
        else:
            remove_path(old)
        handled.append(old)
    for staging in _dead_run_folders(out_dir, ".tmp-", folder):
        remove_path(staging)
        handled.append(staging)
    if destination.is_dir():
        # A failed run publishes _failed/ the same way, inside the destination.
        for old in _dead_run_folders(destination, ".old-", "_failed"):
            remove_path(old)
            handled.append(old)
    return handled


_LEFT_BY_A_RUN = re.compile(r"^\.(?:tmp|old)-(?P<folder>.+)-(?P<pid>\d+)$")
_LOCK_FILE = re.compile(r"^\.(?P<folder>.+)\.lock$")


def tidy_output_folder(out_dir: Path, folder: str) -> list[Path]:
    """Tidy up everything runs killed outright left in ``out_dir``, not only ``folder``'s.

    Run by a run holding ``folder``'s lock. Another folder's leftovers are tidied only
    when its lock can be taken at once (no run of it is alive); its lock file, left by
    the killed run, is then removed too.

    Parameters
    ----------
    out_dir : Path
        The output folder.
    folder : str
        The folder this run holds the lock of.

    Returns
    -------
    list of Path
        What was removed or restored (see :func:`remove_stale_staging`), lock files too.
    """
    from pcplib.run.lock import hold_folder_lock, lock_path, read_lock_holder

    others: set[str] = set()
    for entry in out_dir.iterdir():
        left = _LEFT_BY_A_RUN.match(entry.name)
        if left and not is_alive(int(left["pid"])):
            others.add(left["folder"])
        locked = _LOCK_FILE.match(entry.name)
        # Only lock files a run wrote (an unwritten one is empty): never a user's file.
        if locked and entry.is_file() and (read_lock_holder(entry).pid or not entry.stat().st_size):
            others.add(locked["folder"])
    handled = remove_stale_staging(out_dir, folder)
    for other in sorted(others - {folder}):
        was_locked = lock_path(out_dir, other).exists()
        try:
            with hold_folder_lock(out_dir, other, wait=0):
                handled += remove_stale_staging(out_dir, other)
        except RunError:
            continue  # a run of that folder is alive: its files are its own
        if was_locked:
            handled.append(lock_path(out_dir, other))
    return handled


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
    remove_path(old)
    if destination.exists() or destination.is_symlink():
        os.replace(destination, old)
    try:
        os.replace(staging, destination)
    except OSError:
        if old.exists() or old.is_symlink():
            os.replace(old, destination)
        raise
    remove_path(old)


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
