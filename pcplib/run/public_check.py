"""The last gate before anything public is published: no restricted measure named in it.

Public reports leave restricted measures out by construction (the assessment floor
filters them by audience, and owners' text naming one is withheld). This gate does not
trust that: before a run publishes, every file of every public report (HTML with its
alt text and captions, the executed notebook, and for an all-public run the index and
``judgements.csv``) is searched for every restricted measure's id and name in any
spelling (case, spacing, hyphens, Unicode forms; ``assessment.scope.normalise_for_matching``).
One mention stops the run: nothing is published, and the message names the file and
the term, so a leak is fixed at its source rather than published.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pcplib.assessment.scope import find_restricted_mentions, restricted_terms
from pcplib.run.jobs import Job, RunPlan

__all__ = ["PublicLeak", "find_public_leaks", "is_public_job"]

PUBLIC_NOTEBOOKS = ("public_quarterly", "public_quarterly_about")
"""Notebooks whose every report is public, whatever their parameters say."""

TEXT_SUFFIXES = (".html", ".ipynb", ".csv", ".json", ".md", ".txt")
"""The files of a report that are searched (pictures are described by their HTML)."""


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
    files = [
        path
        for job in public
        for path in sorted(staging.glob(f"{job.name}.*"))
        if path.suffix.lower() in TEXT_SUFFIXES
    ]
    if len(public) == len(plan.jobs):
        files += [staging / name for name in ("index.html", "judgements.csv")]
    leaks: list[PublicLeak] = []
    for path in files:
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        leaks += [PublicLeak(path.name, term) for term in find_restricted_mentions(text, terms)]
    return leaks
