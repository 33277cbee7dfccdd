"""A validated data set saved once per run, for the run's kernels to load cheaply.

``pcp run`` validates the data set before any report runs; each report's kernel
then read and typed every table again (0.7-1.5 s per report, measured with
``pcp run --profile``). The runner now saves the loaded data set once, as a
pickle in its own runtime folder (never beside the data or the outputs), keyed
by the digest of every file in the data folder (:func:`digest_data_folder`) and
the date it was validated for. A kernel's :func:`pcplib.data.load_dataset` uses
it only when :data:`SNAPSHOT_ENV` names it and the folder it is asked for
still has exactly those bytes, for the same date; otherwise it reads the folder
as before. The pickle is written by this same run, read by its own kernels and
removed with the runtime folder when the run ends.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

SNAPSHOT_ENV = "PCP_DATA_SNAPSHOT"
"""Environment variable naming the snapshot file ``pcp run`` wrote for its kernels."""


def digest_data_folder(root: Path) -> str:
    """Return the SHA-256 over every file in a data folder: relative paths and bytes.

    Any file added, removed or changed (a table, ``dataset.yaml``, a workbook)
    changes the digest, so a snapshot never stands in for other data.

    Parameters
    ----------
    root : Path
        The data folder.

    Returns
    -------
    str
        The hex digest; the empty folder's digest when ``root`` is not a folder.
    """
    digest = hashlib.sha256()
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).hexdigest().encode() + b"\n")
    return digest.hexdigest()


def write_snapshot(dataset: Any, folder_digest: str, today: dt.date, path: Path) -> Path:
    """Save a validated data set for this run's kernels.

    Parameters
    ----------
    dataset : pcplib.data.Dataset
        The validated data set.
    folder_digest : str
        :func:`digest_data_folder` of its folder, taken before it was read and
        checked again after it was validated.
    today : datetime.date
        The date it was validated for.
    path : Path
        Where to write (the runner's runtime folder).

    Returns
    -------
    Path
        The file written.
    """
    content = {"digest": folder_digest, "today": today.isoformat(), "dataset": dataset}
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL))
    partial.replace(path)
    return path


def read_snapshot(root: Path, today: dt.date) -> Any | None:
    """Return the run's validated data set for ``root``, or None to read the folder instead.

    Parameters
    ----------
    root : Path
        The data folder asked for.
    today : datetime.date
        The date the data must be valid for.

    Returns
    -------
    pcplib.data.Dataset or None
        The snapshot's data set (its ``root`` set to ``root``) when :data:`SNAPSHOT_ENV`
        names a readable snapshot of exactly this folder's bytes for ``today``; None
        otherwise.
    """
    target = os.environ.get(SNAPSHOT_ENV, "").strip()
    if not target:
        return None
    try:
        # Only this run's runner writes the file, in its own runtime folder.
        content = pickle.loads(Path(target).read_bytes())  # noqa: S301
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    if not isinstance(content, dict) or content.get("today") != today.isoformat():
        return None
    if content.get("digest") != digest_data_folder(root):
        return None
    return dataclasses.replace(content["dataset"], root=root)
