"""One run at a time into each output folder: a lock file beside it, held for the whole run.

Two runs into the same folder (a cron job and someone at a terminal, say) would each
build in a temporary folder of their own and publish in turn, so the folder would be
whole; but which run's reports it holds would be chance. A run therefore takes an
exclusive :func:`fcntl.flock` on ``<out>/.<folder>.lock`` before it writes anything and
keeps it until it has published (or given up). A second run waits a few seconds for
it, then refuses, saying which run holds it: the lock file records the holder's pid,
start time, host and command.

The operating system releases the lock when its holder dies, even by ``kill -9``, so
a killed run never blocks the next one; its lock file is reused and then removed.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pcplib.run.errors import EXIT_USAGE, RunError

LOCK_WAIT_SECONDS = 10.0
"""How long a run waits for another run of the same folder before refusing (``--wait``)."""

_POLL_SECONDS = 0.2


@dataclass(frozen=True)
class LockHolder:
    """The run holding a folder's lock, as its lock file records it.

    Attributes
    ----------
    pid : int or None
        Its process id.
    started : str
        When it took the lock (ISO-8601, UTC).
    host : str
        The machine it runs on.
    command : str
        Its command line.
    """

    pid: int | None = None
    started: str = ""
    host: str = ""
    command: str = ""

    def describe(self) -> str:
        """Say which run this is, in a few words.

        Returns
        -------
        str
            Such as ``pid 4242 on host web1, started 2026-11-23 06:00:01 UTC: pcp run
            --slot next``.
        """
        if self.pid is None:
            return "a run that has not yet written its details"
        started = self.started.replace("T", " ").replace("+00:00", " UTC")
        where = f" on host {self.host}" if self.host and self.host != socket.gethostname() else ""
        command = f": {self.command}" if self.command else ""
        return f"pid {self.pid}{where}, started {started}{command}"


def lock_path(out_dir: Path, folder: str) -> Path:
    """Return the lock file of an output folder: beside it, hidden.

    Parameters
    ----------
    out_dir : Path
        The output folder (``--out``).
    folder : str
        The run's folder name.

    Returns
    -------
    Path
        ``out_dir/.<folder>.lock``.
    """
    return out_dir / f".{folder}.lock"


def read_lock_holder(path: Path) -> LockHolder:
    """Read who holds a lock from its lock file.

    Parameters
    ----------
    path : Path
        The lock file.

    Returns
    -------
    LockHolder
        Empty when the file is missing, empty or unreadable.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # nested thousands deep: unreadable too
        return LockHolder()
    if not isinstance(data, dict):
        return LockHolder()
    pid = data.get("pid")
    return LockHolder(
        pid=pid if isinstance(pid, int) else None,
        started=str(data.get("started", "")),
        host=str(data.get("host", "")),
        command=str(data.get("command", "")),
    )


def _try_lock(path: Path) -> int | None:
    """Open and lock ``path``; return the descriptor, or None while another run holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    # The holder removes the file as it finishes: a lock on a file no longer at ``path``
    # guards nothing, so open the path again.
    try:
        current = os.stat(path).st_ino
    except FileNotFoundError:
        current = None
    if current != os.fstat(fd).st_ino:
        os.close(fd)
        return _try_lock(path)
    return fd


@contextmanager
def hold_folder_lock(
    out_dir: Path,
    folder: str,
    *,
    wait: float = LOCK_WAIT_SECONDS,
    command: Sequence[str] = (),
    on_wait: Callable[[LockHolder], None] | None = None,
) -> Iterator[Path]:
    """Hold the lock of ``out_dir/folder`` for the duration, waiting for another run first.

    Parameters
    ----------
    out_dir : Path
        The output folder (created if missing).
    folder : str
        The run's folder name.
    wait : float, default LOCK_WAIT_SECONDS
        Seconds to wait for another run to finish; 0 refuses at once.
    command : sequence of str
        This run's command line, recorded for a run that has to wait.
    on_wait : callable, optional
        Called once with the holder when this run has to wait.

    Yields
    ------
    Path
        The lock file.

    Raises
    ------
    RunError
        When another run still holds the lock after ``wait`` seconds (exit 2), naming it.
    OSError
        When the output folder or the lock file cannot be created (a read-only folder).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    path = lock_path(out_dir, folder)
    deadline = time.monotonic() + max(0.0, wait)
    told = False
    while (fd := _try_lock(path)) is None:
        holder = read_lock_holder(path)
        if time.monotonic() >= deadline:
            raise RunError(
                f"{out_dir / folder} is being written by another run ({holder.describe()}); "
                f"it had not finished after {wait:g} s, so this run did nothing: run again "
                "when it has finished, or wait longer with --wait SECONDS",
                EXIT_USAGE,
            )
        if not told and on_wait is not None:
            on_wait(holder)
            told = True
        time.sleep(_POLL_SECONDS)
    try:
        record = {
            "pid": os.getpid(),
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "host": socket.gethostname(),
            "command": " ".join(command),
        }
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps(record).encode("utf-8"))
        yield path
    finally:
        # Removed while still locked, so a run waiting on this file sees it has gone.
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        os.close(fd)
