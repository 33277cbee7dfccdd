"""Where a run's kernels keep their connection files and sockets, and what killed runs left.

Jupyter writes each kernel's connection file (and, over IPC, its socket files) into a
shared runtime folder by default, and removes them when the kernel is shut down. A
run killed outright (``kill -9``, a power cut) shuts nothing down, so those files would
stay for ever. Each runner process therefore gives its kernels a folder of its own,
``<tmp>/pcp-runtime-<uid>/<pid>/``, and every run starts by removing the folders of
runner processes that are no longer alive. Nothing outside the current user's own
folder is touched, so other users' kernels (and JupyterLab's) are safe.

The folder is under the system's temporary folder rather than the output folder
because a socket's path must stay under about 100 characters.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

RUNTIME_ENV = "PCP_RUNTIME_DIR"
"""Environment variable naming the folder that holds the per-user runtime folder (tests)."""


def runtime_root() -> Path:
    """Return this user's folder of runner runtime folders, creating it private if needed.

    Returns
    -------
    Path
        ``<tmp>/pcp-runtime-<uid>`` (``<tmp>`` is ``$PCP_RUNTIME_DIR`` or the system's
        temporary folder), readable only by this user.

    Raises
    ------
    OSError
        When the folder is not this user's own private folder (someone else created it,
        or it is a link): it is then not safe to put sockets in or delete from.
    """
    base = Path(os.environ.get(RUNTIME_ENV) or tempfile.gettempdir())
    root = base / f"pcp-runtime-{os.getuid()}"
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = os.lstat(root)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise OSError(f"{root} is not a folder owned by this user; remove it or set {RUNTIME_ENV}")
    if stat.S_IMODE(info.st_mode) & 0o077:
        os.chmod(root, 0o700)
    return root


def process_runtime_dir() -> Path:
    """Return this runner process's runtime folder for its kernels, creating it if needed.

    Returns
    -------
    Path
        ``runtime_root() / <pid>``.
    """
    folder = runtime_root() / str(os.getpid())
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def is_alive(pid: int) -> bool:
    """Return True when a process with this id is running (or cannot be signalled by us).

    Parameters
    ----------
    pid : int
        The process id.

    Returns
    -------
    bool
        False only when no such process exists.
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


def remove_dead_runtime_dirs() -> list[Path]:
    """Remove the runtime folders of runner processes that are no longer running.

    Their kernels stopped when their runner died (ipykernel exits when its parent
    does); only their connection and socket files were left.

    Returns
    -------
    list of Path
        The folders removed.
    """
    try:
        root = runtime_root()
    except OSError:
        return []
    removed = []
    for folder in root.iterdir():
        if folder.name.isdigit() and int(folder.name) != os.getpid():
            if not is_alive(int(folder.name)):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed


def remove_process_runtime_dir() -> None:
    """Remove this process's runtime folder if its kernels have left it empty."""
    try:
        (runtime_root() / str(os.getpid())).rmdir()
    except OSError:
        pass  # missing, or a kernel still running in another thread of this process
