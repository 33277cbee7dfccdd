"""The run's ``manifest.json``: everything needed to reproduce it.

The manifest records the plan, the options, the data set's file hashes, the
forward plan's and the notebooks' hashes, the installed package versions and the
git commit. Reproducible runs leave durations out (they vary) and keep them in
``run.log`` only.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from pcplib.run import jobs, render, timing
from pcplib.run.jobs import JobResult, RunPlan, notebook_path, repo_parameter
from pcplib.run.options import RunOptions

PACKAGES = (
    "pcplib",
    "pandas",
    "numpy",
    "papermill",
    "nbconvert",
    "matplotlib",
    "pandera",
)


def hash_file(path: Path) -> str:
    """Return the SHA-256 of a file.

    Parameters
    ----------
    path : Path
        The file.

    Returns
    -------
    str
        The hex digest.
    """
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_package_versions() -> dict[str, str]:
    """Return the installed version of each package a report depends on.

    Returns
    -------
    dict
        Package name to version (``"not installed"`` when missing).
    """
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    versions["python"] = sys.version.split()[0]
    return versions


def _read_head(root: Path) -> str:
    """The checkout's commit (``git rev-parse HEAD``); raises as :func:`subprocess.run` does."""
    return subprocess.run(
        ["git", "-C", str(root), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        timeout=10,
        check=True,
    ).stdout.strip()


def read_git_commit() -> dict[str, Any]:
    """Return the repository's commit and whether the working tree has changes.

    Returns
    -------
    dict
        ``{"commit": str | None, "dirty": bool | None}``; None where git is unavailable.
    """
    root = render.find_repo_root()
    try:
        commit = _read_head(root)
        status = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": bool(status)}


def read_code_version() -> str:
    """Return the code's git commit for a report's provenance, or why it is not recorded.

    The run floor reads it (notebooks call this) and passes it to
    :func:`pcplib.report.provenance.build_provenance`, which does no I/O of its own.

    Returns
    -------
    str
        The commit, or ``"not recorded (not a git checkout, or git is not available)"``.
    """
    # Only the commit: ``git status`` (what read_git_commit adds) took 0.2-0.5 s of every
    # report's last cell on busy cores, measured, for a flag provenance does not show.
    try:
        commit = _read_head(render.find_repo_root())
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return commit or "not recorded (not a git checkout, or git is not available)"


def describe_plan_identity(dataset: Any) -> dict[str, str]:
    """Whose plan a run is for: the data set's identity as the manifest records it.

    Parameters
    ----------
    dataset : pcplib.data.Dataset or None
        The data set (``dataset.identity``, from ``dataset.yaml``).

    Returns
    -------
    dict of str to str
        ``organisation``, ``force_area``, ``name``, ``start``, ``end``, ``board`` and
        ``board_short_name``; empty when the data set has no identity.
    """
    identity = getattr(dataset, "identity", None)
    if identity is None:
        return {}
    return {
        "organisation": identity.organisation,
        "force_area": identity.force_area,
        "name": identity.plan_name,
        "start": identity.plan_start,
        "end": identity.plan_end,
        "board": identity.board_name,
        "board_short_name": identity.board_short_name,
    }


def build_manifest(
    plan: RunPlan,
    results: Sequence[JobResult],
    options: RunOptions,
    dataset: Any,
    git: dict[str, Any],
    screenshots: bool = False,
    run_stages: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """Build the run's ``manifest.json``: everything needed to reproduce it.

    Parameters
    ----------
    plan : RunPlan
        The run.
    results : sequence of JobResult
        The reports.
    options : RunOptions
        How it ran.
    dataset : pcplib.data.Dataset or None
        The data set (its input file hashes).
    git : dict
        ``{"commit": ..., "dirty": ...}``.
    screenshots : bool, default False
        Whether ``<report>.png`` first-screen pictures were saved (their bytes are not
        reproducible, unlike the HTML, so the manifest records no hash of them).
    run_stages : mapping, optional
        The run's own stages so far (start-up, execution, screenshots), in seconds.

    Returns
    -------
    dict
        JSON-ready. Durations are included only when the run is not reproducible.
    """
    # jobs.NOTEBOOKS is read from its module each time, so replacing the table (as the tests
    # do) changes what the manifest records as well as what runs.
    notebooks = sorted({r.job.notebook for r in results})
    reports = []
    for result in results:
        entry: dict[str, Any] = {
            "name": result.job.name,
            "notebook": jobs.NOTEBOOKS[result.job.notebook].as_posix(),
            "parameters": result.job.parameters,
            "html": f"{result.job.name}.html",
            "status": "ok" if result.ok else "failed",
        }
        if options.pdf:
            entry["pdf"] = f"{result.job.name}.pdf"
        if screenshots:
            entry["screenshot"] = f"{result.job.name}.png"
        if not result.ok:
            entry["error"] = result.error
            entry["cell"] = result.cell
        if not options.reproducible:
            entry["seconds"] = round(result.seconds, 2)
            entry["stages"] = timing.round_stages(result.stages)
        reports.append(entry)
    return {
        "slot": plan.slot,
        "period_end": plan.period_end,
        "produced_at": options.produced_at,
        "reproducible": options.reproducible,
        "renderer": options.renderer,
        "screenshots": screenshots,
        "pdf": options.pdf,
        "kernel": options.kernel_name,
        "command": list(options.command),
        "data": {
            "path": repo_parameter(options.data_dir),
            "illustrative": bool(getattr(dataset, "illustrative", False)),
            "description": str(getattr(dataset, "description", "") or ""),
            "files": dict(sorted(dict(getattr(dataset, "files", {}) or {}).items())),
        },
        # Whose plan the run is for, in the data set's own words (dataset.yaml).
        "plan": describe_plan_identity(dataset),
        "forward_plan": {
            "path": repo_parameter(options.forward_plan),
            "sha256": hash_file(options.forward_plan) if options.forward_plan.is_file() else None,
        },
        "notebooks": {
            jobs.NOTEBOOKS[key].as_posix(): hash_file(notebook_path(key)) for key in notebooks
        },
        "packages": read_package_versions(),
        "git": git,
        "timings": "in run.log" if options.reproducible else "per report, in seconds",
        **({} if options.reproducible else {"run_stages": timing.round_stages(run_stages or {})}),
        "reports": reports,
    }


def write_json(path: Path, content: dict[str, Any]) -> None:
    """Write JSON deterministically (sorted keys, two-space indent, final newline).

    Parameters
    ----------
    path : Path
        The file.
    content : dict
        The content.
    """
    path.write_text(json.dumps(content, indent=2, sort_keys=True) + "\n", encoding="utf-8")
