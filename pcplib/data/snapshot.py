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

Across runs: a data set found valid is also kept in a cache folder
(:func:`find_cache_dir`, under the user's cache folder), keyed by
:func:`make_cache_key` (the data folder's digest, the forward plan, the date and the
code, :func:`digest_code`), so a later run with the same inputs and code loads it
instead of reading and validating the folder again; the cache's file is then the
run's snapshot too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import pickle
import sys
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


# --- the validated data set kept across runs -------------------------------------------------

CACHE_DIR_ENV = "PCP_CACHE_DIR"
"""Environment variable naming the folder validated data sets are kept in across runs."""

CACHE_OFF_ENV = "PCP_DATA_CACHE"
"""Environment variable that turns the cache off when set to ``0``."""

CACHE_KEEP = 8
"""How many validated data sets the cache keeps (the most recently used)."""

_PACKAGE = Path(__file__).resolve().parents[1]


def find_cache_dir(environ: Any = None) -> Path | None:
    """Return the folder validated data sets are kept in across runs, or None when off.

    Parameters
    ----------
    environ : mapping, optional
        Where ``PCP_DATA_CACHE`` (``0`` turns the cache off), ``PCP_CACHE_DIR``,
        ``XDG_CACHE_HOME`` and ``HOME`` are read (``os.environ`` by default).

    Returns
    -------
    Path or None
        ``$PCP_CACHE_DIR``, else ``$XDG_CACHE_HOME/pcp-monitor/datasets``, else
        ``~/.cache/pcp-monitor/datasets``; None when the cache is off.
    """
    env = os.environ if environ is None else environ
    if env.get(CACHE_OFF_ENV, "1").strip() == "0":
        return None
    if env.get(CACHE_DIR_ENV, "").strip():
        return Path(env[CACHE_DIR_ENV].strip())
    base = env.get("XDG_CACHE_HOME", "").strip()
    root = Path(base) if base else Path(env.get("HOME") or Path.home()) / ".cache"
    return root / "pcp-monitor" / "datasets"


def digest_code() -> str:
    """Return the SHA-256 of the code that reads and validates a data set.

    Every file of the installed ``pcplib`` package (its modules, reference tables and
    templates; compiled files left out), with the versions of Python, pandas and numpy
    the pickle depends on: a change to any of them is a new code version, so a data
    set validated by other code is validated again.

    Returns
    -------
    str
        The hex digest.
    """
    import numpy
    import pandas

    digest = hashlib.sha256()
    digest.update(f"{sys.version}|{pandas.__version__}|{numpy.__version__}\n".encode())
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).hexdigest().encode() + b"\n")
    return digest.hexdigest()


def make_cache_key(folder_digest: str, forward_plan: Path | None, today: dt.date) -> str:
    """Return the key a validated data set is kept under: its inputs' and code's digests.

    Parameters
    ----------
    folder_digest : str
        :func:`digest_data_folder` of the data folder.
    forward_plan : Path or None
        The forward plan validated with it (its path and bytes count; a plan that
        cannot be read gives a key no validated data set is kept under).
    today : datetime.date
        The date it is validated for.

    Returns
    -------
    str
        The hex digest.
    """
    digest = hashlib.sha256()
    digest.update(f"{folder_digest}|{today.isoformat()}|{digest_code()}\n".encode())
    if forward_plan is not None:
        digest.update(str(Path(forward_plan).resolve()).encode() + b"\0")
        try:
            digest.update(hashlib.sha256(Path(forward_plan).read_bytes()).hexdigest().encode())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()


def cache_path(folder: Path, key: str) -> Path:
    """Return where the data set validated under ``key`` is kept in ``folder``.

    Parameters
    ----------
    folder : Path
        The cache folder (:func:`find_cache_dir`).
    key : str
        :func:`make_cache_key`.

    Returns
    -------
    Path
        ``folder / "dataset-<key>.pickle"``.
    """
    return folder / f"dataset-{key}.pickle"


def read_cached_dataset(path: Path, key: str, root: Path) -> Any | None:
    """Return the data set validated under ``key``, or None when the cache has none.

    Parameters
    ----------
    path : Path
        :func:`cache_path`.
    key : str
        :func:`make_cache_key` of the inputs now.
    root : Path
        The data folder (set as the data set's ``root``).

    Returns
    -------
    pcplib.data.Dataset or None
        The data set, when the file is a readable snapshot written under this very key;
        None otherwise (the data set is then read and validated as usual).
    """
    try:
        # Only pcp run writes this folder, under the user's own cache folder.
        content = pickle.loads(path.read_bytes())  # noqa: S301
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
        return None
    if not isinstance(content, dict) or content.get("key") != key:
        return None
    try:
        # Most recently used last to go (see prune_cache).
        os.utime(path)
    except OSError:
        pass
    return dataclasses.replace(content["dataset"], root=root)


def write_cached_dataset(
    dataset: Any, folder_digest: str, today: dt.date, key: str, path: Path
) -> Path:
    """Keep a validated data set for later runs; it is also this run's kernels' snapshot.

    The file is a snapshot :func:`read_snapshot` reads (with the key beside the
    digest), written to a temporary name and renamed, so a reader never sees half of it;
    the cache is then pruned to its :data:`CACHE_KEEP` most recently used.

    Parameters
    ----------
    dataset : pcplib.data.Dataset
        The data set, validated.
    folder_digest : str
        :func:`digest_data_folder` of its folder, taken before it was read.
    today : datetime.date
        The date it was validated for.
    key : str
        :func:`make_cache_key`.
    path : Path
        :func:`cache_path`.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    OSError
        When it cannot be written (the caller then goes without the cache).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    content = {
        "digest": folder_digest,
        "today": today.isoformat(),
        "key": key,
        "dataset": dataset,
    }
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        partial.write_bytes(pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    prune_cache(path.parent)
    return path


def warnings_path(path: Path) -> Path:
    """Return where the narrative warnings of the data set cached at ``path`` are kept.

    Parameters
    ----------
    path : Path
        :func:`cache_path`.

    Returns
    -------
    Path
        ``dataset-<key>.warnings.json`` beside it.
    """
    return path.with_suffix(".warnings.json")


def read_cached_warnings(path: Path) -> list[str] | None:
    """Return the narrative warnings kept beside a cached data set, or None when none are.

    The owners' numbers the data set contradicts depend on the data set and the code
    only, both in the cache key; working them out took 1-1.6 s of CPU in every run.

    Parameters
    ----------
    path : Path
        :func:`cache_path` of the data set.

    Returns
    -------
    list of str or None
        The warnings (possibly none); None when not kept or unreadable.
    """
    try:
        content = json.loads(warnings_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(content, list) or not all(isinstance(line, str) for line in content):
        return None
    return content


def write_cached_warnings(path: Path, warnings: list[str]) -> None:
    """Keep the narrative warnings beside a cached data set (an optimisation: never raises).

    Parameters
    ----------
    path : Path
        :func:`cache_path` of the data set.
    warnings : list of str
        The warnings.
    """
    target = warnings_path(path)
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    try:
        partial.write_text(json.dumps(warnings), encoding="utf-8")
        partial.replace(target)
    except OSError:
        partial.unlink(missing_ok=True)


def prune_cache(folder: Path, keep: int = CACHE_KEEP) -> list[Path]:
    """Remove all but the ``keep`` most recently used data sets from the cache.

    A run whose snapshot is removed meanwhile loses nothing but time: its kernels
    read the data folder instead.

    Parameters
    ----------
    folder : Path
        The cache folder.
    keep : int, default CACHE_KEEP
        How many to keep.

    Returns
    -------
    list of Path
        The files removed.
    """

    def used(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    kept = sorted(folder.glob("dataset-*.pickle"), key=used, reverse=True)
    removed = []
    for path in kept[keep:]:
        try:
            path.unlink()
            warnings_path(path).unlink(missing_ok=True)
        except OSError:
            continue
        removed.append(path)
    return removed
