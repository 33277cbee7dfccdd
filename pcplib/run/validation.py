"""The checks before anything runs.

The chosen renderer (and, with ``--pdf``, Chromium) must be installed, the output
folder must be a folder the run can publish into, every notebook must declare every
parameter passed to it, the data set and the forward plan must be valid, and each
report's parameters must make sense for that data (a known strategy, a year the data
cover). The data set is validated once, here; each report's kernel is told the digest
of the validated bytes (``PCP_VALIDATED_SHA256``) so its ``load_dataset`` skips a
second schema pass when it reads exactly those bytes.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pcplib.data.parameter_files import read_notebook_parameter_names
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


def check_output_location(options: RunOptions, folder: str) -> None:
    """Check the run can publish ``options.out_dir / folder``, before anything is written.

    Parameters
    ----------
    options : RunOptions
        The run's options (``out_dir``, ``data_dir``).
    folder : str
        The run's folder name.

    Raises
    ------
    RunError
        When ``--out`` or a folder above it is a file, when the destination is a file
        or a link (publishing replaces the folder whole), or when ``--out`` is inside
        the data set, whose files are only ever read (exit 2).
    """
    out_dir = options.out_dir
    for above in [out_dir, *out_dir.parents]:
        if above.exists() and not above.is_dir():
            where = "" if above == out_dir else f" ({above} is a file)"
            raise RunError(
                f"--out {out_dir}: expected a folder for the reports, but it is not one"
                f"{where}; remove the file or choose another --out",
                EXIT_USAGE,
            )
        if above.is_dir():
            break
    destination = out_dir / folder
    if destination.is_symlink():
        raise RunError(
            f"{destination} is a link (to {destination.readlink()}): expected a folder, which "
            "a run replaces whole when it publishes; remove the link or choose another --out",
            EXIT_USAGE,
        )
    if destination.exists() and not destination.is_dir():
        raise RunError(
            f"{destination} is a file: expected the reports' folder there (or nothing); move "
            "the file away and run again",
            EXIT_USAGE,
        )
    failed = destination / "_failed"
    if failed.exists() and not failed.is_dir():
        raise RunError(
            f"{failed} is a file: expected the folder where a failed run's notebooks go; "
            "move the file away and run again",
            EXIT_USAGE,
        )
    data = options.data_dir.resolve()
    if out_dir.resolve() == data or data in out_dir.resolve().parents:
        raise RunError(
            f"--out {out_dir} is inside the data set {data}, whose files are only ever read: "
            "choose an output folder outside it",
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
            read_notebook_parameter_names(path)
        except Exception as exc:  # nbformat and papermill raise several kinds; each is one line
            first = (str(exc).strip().splitlines() or [""])[0][:120]
            raise RunError(
                f"notebook {path} cannot be read ({type(exc).__name__}: {first}); expected a "
                "Jupyter notebook (restore it with git checkout, or resolve a merge conflict)"
            ) from exc
        try:
            render.check_parameters(path, job.parameters)
        except ValueError as exc:
            raise RunError(str(exc)) from exc


def check_kernel(options: RunOptions) -> None:
    """Check the Jupyter kernel the reports run in is installed, before anything runs.

    Parameters
    ----------
    options : RunOptions
        The run's options (``kernel_name``).

    Raises
    ------
    RunError
        When no kernel of that name is installed (exit 2), saying how to install it.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(options.kernel_name)
    except NoSuchKernel as exc:
        raise RunError(
            f"the Jupyter kernel {options.kernel_name!r} is not installed; install it with "
            "make setup (or: .venv/bin/python -m ipykernel install --sys-prefix --name pcp)",
            EXIT_USAGE,
        ) from exc


def check_job_parameters(jobs: Sequence[Job], dataset: Any) -> None:
    """Check each report's parameters against the data, as its notebook would, before any kernel.

    A strategy the data set does not have, or a year or quarter before the data, would
    otherwise start a kernel and fail in the notebook's first cell.

    Parameters
    ----------
    jobs : sequence of Job
        The planned jobs.
    dataset : pcplib.data.Dataset
        The validated data set (anything else, such as a test's stand-in, is not checked).

    Raises
    ------
    RunError
        Naming the report and the parameter at fault, with what was expected (exit 2).
    """
    from pcplib.assessment.scope import check_parameters
    from pcplib.data import Dataset
    from pcplib.errors import ParameterError

    if not isinstance(dataset, Dataset):
        return
    checked = set(inspect.signature(check_parameters).parameters) - {"dataset"}
    for job in jobs:
        given = {k: v for k, v in job.parameters.items() if k in checked}
        try:
            check_parameters(dataset, **given)
        except ParameterError as exc:
            raise RunError(f"report {job.name}: {exc}", EXIT_USAGE) from exc


def check_produced_after_data(options: RunOptions, dataset: Any) -> None:
    """Refuse a fixed production time before the end of the data's last period.

    A report cannot have been produced before the figures it shows existed: a
    ``--timestamp`` (or ``SOURCE_DATE_EPOCH``) that early is a typing slip, and would put
    a "Produced" line on the report that contradicts its own data period.

    Parameters
    ----------
    options : RunOptions
        The run's options (a time read from the clock is not checked).
    dataset : pcplib.data.Dataset
        The validated data set (anything else, such as a test's stand-in, is not checked).

    Raises
    ------
    RunError
        Naming the time given and the end of the data's last period (exit 2).
    """
    from datetime import UTC, datetime

    import pandas as pd

    from pcplib.data import Dataset
    from pcplib.labels import date_words

    if not options.reproducible or not isinstance(dataset, Dataset):
        return
    obs = dataset.observations
    ends = obs.loc[obs["value"].notna(), "period_end"]
    if ends.empty:
        return
    last = pd.Timestamp(ends.max()).date()
    produced = datetime.fromisoformat(options.produced_at).astimezone(UTC)
    if produced.date() <= last:
        raise RunError(
            f"--timestamp {options.produced_at} (or SOURCE_DATE_EPOCH) is before the data's "
            f"last period ends ({date_words(last)}): expected a time after "
            f"{date_words(last)}, as reports are produced after the figures they show",
            EXIT_USAGE,
        )


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
        ``(dataset or None, problems)``: every problem as a line of text (a long run of
        one problem counted in one line); the data set only when there are none.
    """
    from pcplib.data import (
        DataValidationError,
        load_dataset,
        summarise_problems,
        validate_dataset,
    )

    try:
        # Parsing only: the full check follows (a missing table is reported by it too).
        dataset = load_dataset(options.data_dir, validate=False, today=options.today)
    except DataValidationError:
        dataset = None
    problems = summarise_problems(
        validate_dataset(options.data_dir, forward_plan=options.forward_plan, today=options.today)
    )
    if problems or dataset is None:
        return None, problems or [f"{options.data_dir}: the data set could not be read"]

    def unchanged(relative: str, sha256: str) -> bool:
        try:
            return hash_file(options.data_dir / relative) == sha256
        except OSError:
            return False

    files = dict(dataset.files)
    changed = [relative for relative, sha in files.items() if not unchanged(relative, sha)]
    if changed:
        return None, [
            f"{options.data_dir / relative}: changed while it was being validated; run again"
            for relative in changed
        ]
    return dataset, []


def load_validated_inputs(
    options: RunOptions, folder_digest: str
) -> tuple[Any, list[str], Path | None]:
    """Return the validated data set, from the cache when these inputs were validated before.

    A data set is validated again only when a file of the data folder, the forward
    plan, the date or the code has changed since (:func:`pcplib.data.snapshot.make_cache_key`);
    otherwise the data set validated then is loaded (0.6-1.5 s of every run's start-up
    saved, measured). A data set found valid is kept for the next run; an invalid one
    never is, so its problems are reported on every run.

    Parameters
    ----------
    options : RunOptions
        Where the data and the plan are, and the date.
    folder_digest : str
        :func:`pcplib.data.snapshot.digest_data_folder` of the data folder, taken before
        anything was read.

    Returns
    -------
    tuple
        ``(dataset or None, problems, cache file or None)``, as :func:`load_inputs`, with
        the cache file that holds the data set (it is then the kernels' snapshot too);
        None when the cache is off or could not be written.
    """
    from pcplib.data.snapshot import (
        cache_path,
        digest_data_folder,
        find_cache_dir,
        make_cache_key,
        read_cached_dataset,
        write_cached_dataset,
    )

    folder = find_cache_dir()
    today = options.today or date.today()
    path = key = None
    if folder is not None:
        key = make_cache_key(folder_digest, options.forward_plan, today)
        path = cache_path(folder, key)
        cached = read_cached_dataset(path, key, options.data_dir)
        if cached is not None:
            return cached, [], path
    dataset, problems = load_inputs(options)
    if problems or path is None or key is None or not is_dataset(dataset):
        return dataset, problems, None
    try:
        # Kept only when the folder still has the bytes the key was made from.
        if digest_data_folder(options.data_dir) != folder_digest:
            return dataset, problems, None
        write_cached_dataset(dataset, folder_digest, today, key, path)
    except Exception:  # an optimisation only: the run goes on without the cache
        return dataset, problems, None
    return dataset, problems, path


def is_dataset(dataset: Any) -> bool:
    """Say whether ``dataset`` is a real :class:`pcplib.data.Dataset` (not a test's stand-in).

    Parameters
    ----------
    dataset : Any
        What :func:`load_inputs` returned.

    Returns
    -------
    bool
        True for a ``Dataset``.
    """
    from pcplib.data import Dataset

    return isinstance(dataset, Dataset)


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
        ``{"PCP_VALIDATED_SHA256": digest, "PCP_RUN_TODAY": "YYYY-MM-DD"}``: the date
        too, so that with ``--today`` the kernels load the run's validated data set
        rather than validate it again for the machine's date; empty when the data set
        lists no files.
    """
    from pcplib.data import RUN_TODAY_ENV, VALIDATED_DIGEST_ENV, digest_validated_files

    files = dict(getattr(dataset, "files", {}) or {})
    if not files:
        return {}
    day = today or date.today()
    return {
        VALIDATED_DIGEST_ENV: digest_validated_files(files, day),
        RUN_TODAY_ENV: day.isoformat(),
    }


def snapshot_validated_data(
    dataset: Any, folder_digest: str, options: RunOptions, folder: Path
) -> dict[str, str]:
    """Save the validated data set for the kernels, and return their environment naming it.

    Written only when the data folder still has the bytes it had before it was read
    and validated (``folder_digest``); a kernel then checks the same digest again
    before using it (:func:`pcplib.data.snapshot.read_snapshot`).

    Parameters
    ----------
    dataset : pcplib.data.Dataset
        The validated data set.
    folder_digest : str
        :func:`pcplib.data.snapshot.digest_data_folder` of the data folder, taken before
        it was read.
    options : RunOptions
        Where the data is and the date it was validated for.
    folder : Path
        Where to write the snapshot (the runner's runtime folder).

    Returns
    -------
    dict
        ``{"PCP_DATA_SNAPSHOT": path}``, or empty when the folder changed meanwhile or
        the snapshot could not be written (the kernels then read the folder as before).
    """
    from pcplib.data.snapshot import SNAPSHOT_ENV, digest_data_folder, write_snapshot

    try:
        if digest_data_folder(options.data_dir) != folder_digest:
            return {}
        path = folder / f"dataset-{folder_digest[:16]}.pickle"
        write_snapshot(dataset, folder_digest, options.today or date.today(), path)
    except Exception:  # an optimisation only: without it the kernels read the folder
        return {}
    return {SNAPSHOT_ENV: str(path)}
