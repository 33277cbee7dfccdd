"""The checks before anything runs.

The chosen renderer (and, with ``--pdf``, Chromium) must be installed, every
notebook must declare every parameter passed to it, and the data set and the
forward plan must be valid. The data set is validated once, here; each report's
kernel is told the digest of the validated bytes (``PCP_VALIDATED_SHA256``) so its
``load_dataset`` skips a second schema pass when it reads exactly those bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from pcplib.run import render
from pcplib.run.errors import EXIT_USAGE, RunError
from pcplib.run.jobs import Job, notebook_path
from pcplib.run.manifest import hash_file
from pcplib.run.options import RunOptions

RENDERERS = ("nbconvert", "quarto")


def check_renderer(options: RunOptions) -> None:
    """Check the chosen renderer and PDF printer are installed, before anything runs.

    Parameters
    ----------
    options : RunOptions
        The run's options.

    Raises
    ------
    RunError
        When Quarto or Chromium is missing (exit 2), saying what to install.
    """
    if options.renderer not in RENDERERS:
        raise RunError(
            f"unknown renderer {options.renderer!r}; choose one of {', '.join(RENDERERS)}",
            EXIT_USAGE,
        )
    if options.renderer == "quarto" and render.find_quarto() is None:
        raise RunError(render.QUARTO_MISSING_MESSAGE, EXIT_USAGE)
    if options.pdf:
        from pcplib.run.browser import find_chromium

        if find_chromium() is None:
            raise RunError(
                "--pdf needs Chromium, which is not installed: install it "
                "(apt-get install -y chromium, or set PCP_CHROMIUM) or run without --pdf",
                EXIT_USAGE,
            )


def check_jobs(jobs: Sequence[Job]) -> None:
    """Check every job's notebook exists and declares every parameter passed to it.

    Parameters
    ----------
    jobs : sequence of Job
        The planned jobs.

    Raises
    ------
    RunError
        Naming the notebook or parameter at fault (exit 1).
    """
    for job in jobs:
        path = notebook_path(job.notebook)
        if not path.is_file():
            raise RunError(f"notebook {path} not found (needed for report {job.name!r})")
        try:
            render.check_parameters(notebook_path(job.notebook), job.parameters)
        except ValueError as exc:
            raise RunError(str(exc)) from exc


def load_inputs(options: RunOptions) -> tuple[Any, list[str]]:
    """Validate and load the data set and the forward plan.

    The data set is parsed (with each file's SHA-256) before the full validation and
    its files hashed again after it, so the hashes in ``Dataset.files`` are those of
    the bytes that were validated: a file changed meanwhile is reported as a problem.

    Parameters
    ----------
    options : RunOptions
        Where the data and the plan are.

    Returns
    -------
    tuple
        ``(dataset or None, problems)``: every problem as a line of text; the data set
        only when there are none.
    """
    from pcplib.data import DataValidationError, load_dataset, validate_dataset

    if not options.data_dir.is_dir():
        return None, [f"{options.data_dir}: data folder not found"]
    try:
        # Parsing only: the full check follows (a missing table is reported by it too).
        dataset = load_dataset(options.data_dir, validate=False, today=options.today)
    except DataValidationError:
        dataset = None
    problems = [
        str(p)
        for p in validate_dataset(
            options.data_dir, forward_plan=options.forward_plan, today=options.today
        )
    ]
    if problems or dataset is None:
        return None, problems or [f"{options.data_dir}: the data set could not be read"]
    changed = [
        relative
        for relative, sha256 in dict(dataset.files).items()
        if hash_file(options.data_dir / relative) != sha256
    ]
    if changed:
        return None, [
            f"{options.data_dir / relative}: changed while it was being validated; run again"
            for relative in changed
        ]
    return dataset, []


def describe_validated_data(dataset: Any, today: date | None) -> dict[str, str]:
    """Return the kernels' environment saying which data-set bytes this run validated.

    Each report's ``load_dataset`` then skips its own schema pass when it reads the
    same bytes (see :func:`pcplib.data.digest_validated_files`), and validates as
    usual otherwise.

    Parameters
    ----------
    dataset : pcplib.data.Dataset
        The data set loaded by :func:`load_inputs` (its ``files`` hashes were validated).
    today : datetime.date or None
        The date the validation was made against (the real date when None).

    Returns
    -------
    dict
        ``{"PCP_VALIDATED_SHA256": digest}``, or empty when the data set lists no files.
    """
    from pcplib.data import VALIDATED_DIGEST_ENV, digest_validated_files

    files = dict(getattr(dataset, "files", {}) or {})
    if not files:
        return {}
    return {VALIDATED_DIGEST_ENV: digest_validated_files(files, today or date.today())}
