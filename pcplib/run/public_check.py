"""The last gate before anything public is published: no restricted measure named in it.

Public reports leave restricted measures out by construction (the assessment floor
filters them by audience, and owners' text naming one is withheld). This gate does not
trust that: before a run publishes, every file of every public report (HTML with its
alt text and captions, the executed notebook, pictures' text chunks, and for an
all-public run every file the run publishes: the index, ``judgements.csv``, the
manifest and the run log) is searched for every restricted measure's id and name in any
spelling (case, spacing, hyphens, Unicode forms, look-alike letters of other alphabets;
``assessment.scope.normalise_for_matching``).
One mention stops the run: nothing is published, and the message names the file and
the term, so a leak is fixed at its source rather than published.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pcplib.assessment.scope import find_restricted_mentions, restricted_terms
from pcplib.run.jobs import Job, RunPlan

__all__ = [
    "PublicLeak",
    "find_public_leaks",
    "is_public_job",
    "is_public_run",
    "read_searchable_text",
]

PUBLIC_NOTEBOOKS = ("public_quarterly", "public_quarterly_about")
"""Notebooks whose every report is public, whatever their parameters say."""

PUBLIC_FOLDER_SUFFIX = "-public"
"""The folder of ``pcp run --audience public``: every file in it is public."""

TEXT_SUFFIXES = (".html", ".ipynb", ".csv", ".json", ".md", ".txt", ".log", ".svg", ".xml")
"""The files searched as text."""

PICTURE_SUFFIXES = (".png",)
"""Pictures, whose text chunks (a description, a title, any metadata) are searched; what
they show is the HTML they were taken from, which is searched as text."""


@dataclass(frozen=True)
class PublicLeak:
    """A restricted measure named in a public output."""

    file: str
    term: str

    def __str__(self) -> str:
        return f"{self.file} names the restricted measure '{self.term}'"


def is_public_job(job: Job) -> bool:
    """True when a job's report is for the public.

    Parameters
    ----------
    job : Job
        A planned report.

    Returns
    -------
    bool
        For the public report and its About page, and for any report run with
        ``audience`` public.
    """
    return job.notebook in PUBLIC_NOTEBOOKS or job.parameters.get("audience") == "public"


def is_public_run(plan: RunPlan) -> bool:
    """True when everything a run publishes is public.

    Parameters
    ----------
    plan : RunPlan
        The run.

    Returns
    -------
    bool
        For a run of public reports only, and for the "public versions" folder of
        ``pcp run --audience public`` (which holds the plan overview beside them).
    """
    public = [job for job in plan.jobs if is_public_job(job)]
    return bool(public) and (
        len(public) == len(plan.jobs) or plan.folder.endswith(PUBLIC_FOLDER_SUFFIX)
    )


def find_public_leaks(staging: Path, plan: RunPlan, dataset: Any) -> list[PublicLeak]:
    """Search every public output in a staging folder for restricted measures.

    Parameters
    ----------
    staging : Path
        The run's staging folder, holding ``<job>.html``, ``<job>.ipynb`` and the rest.
    plan : RunPlan
        The run's plan (which reports are public).
    dataset : Dataset
        The data set (which measures are restricted).

    Returns
    -------
    list of PublicLeak
        One per file and term found; empty when nothing public names a restricted measure.
    """
    terms = restricted_terms(dataset)
    public = [job for job in plan.jobs if is_public_job(job)]
    if not terms or not public:
        return []
    if is_public_run(plan):
        # Everything the run publishes is public (a "public versions" folder holds the
        # plan overview beside the public reports): the index, judgements.csv, the
        # manifest, the run log, every picture and every file in any sub-folder.
        files = sorted(p for p in staging.rglob("*") if p.is_file())
    else:
        files = sorted(
            path
            for job in public
            for pattern in (f"{job.name}.*", f"{job.name}_files/**/*", f"{job.name}/**/*")
            for path in staging.glob(pattern)
            if path.is_file()
        )
    leaks: list[PublicLeak] = []
    for path in files:
        text = read_searchable_text(path)
        name = path.relative_to(staging).as_posix()
        leaks += [PublicLeak(name, term) for term in find_restricted_mentions(text, terms)]
    return leaks


def read_searchable_text(path: Path) -> str:
    """Return the text of an output file that a reader could see or find in it.

    Parameters
    ----------
    path : Path
        A file of a report.

    Returns
    -------
    str
        A text file's text; a picture's text chunks (PNG ``tEXt``, ``iTXt``, ``zTXt``);
        empty for any other file (a PDF is printed from the HTML, which is searched).
    """
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return path.read_text(encoding="utf-8", errors="replace")
    if suffix in PICTURE_SUFFIXES:
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(path) as picture:
                picture.load()
                chunks = getattr(picture, "text", {}) or {}
                return " ".join(
                    f"{k} {v}" for k, v in {**picture.info, **chunks}.items() if isinstance(v, str)
                )
        except (OSError, UnidentifiedImageError):
            return path.read_bytes().decode("utf-8", errors="replace")
    return ""
