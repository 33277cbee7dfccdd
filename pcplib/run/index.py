"""The run's ``index.html``: every report, its first screen and its strategy's overall RAG.

The overall RAGs are rolled up from the validated data set (with
:func:`pcplib.assessment.summarise_strategy`) while the reports run, so the index does
not wait for the last report. RAG is written as a word as well as shown as a colour.
The page itself is a Jinja2 template with autoescape (``pcplib/templates/index/``):
this module gathers the facts and rows, the template holds the HTML and CSS.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from pcplib import MARKING
from pcplib.assessment.scope import format_produced_at
from pcplib.labels import label_meeting, month_words
from pcplib.periods import label_quarter
from pcplib.report.html import RAG_COLOURS
from pcplib.report.words import describe_rag_meanings, describe_roll_up
from pcplib.run.jobs import JobResult, RunPlan
from pcplib.run.log import logger

# Beside the nbconvert template (pcplib/templates/pcp), where pyproject.toml ships both.
INDEX_TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "index"
# CSS pixels: half the 1280 x 800 first screen, so its headings and ratings can be read
# (at 160 x 100 the text was under 3 pixels high).
THUMBNAIL_SIZE = (640, 400)
RAG_KEY = tuple(describe_rag_meanings("public").items())
"""The key the index gives once, below its list of reports."""
PUBLIC_MEETINGS = {
    "public_quarterly": "None: published for the public each quarter",
    "public_quarterly_about": "None: published with the public report",
    "annual_evaluation": "None: published for the public each year",
}


@dataclass(frozen=True)
class OverallRag:
    """A strategy's overall RAG for the index.

    Attributes
    ----------
    rag : str
        Green, Amber, Red or Grey.
    explanation : str
        How it was rolled up, in a sentence.
    note : str, default ""
        What the rating alone would hide, as the report's own "But: ..." note
        (:func:`pcplib.assessment.strategy.note_hidden_by_rating`, in the audience's
        form); empty when nothing is hidden.
    scope : str, default ""
        How few headline measures the rating rests on, when too few
        (:func:`pcplib.assessment.strategy.describe_rating_scope`), shown beside it.
    """

    rag: str
    explanation: str
    note: str = ""
    scope: str = ""


def summarise_overall(
    dataset: Any, strategy: str, period_end: str, audience: str = "board"
) -> OverallRag:
    """Return a strategy's overall RAG from ``pcplib.assessment.summarise_strategy``.

    Parameters
    ----------
    dataset : pcplib.data.Dataset
        The loaded data set.
    strategy : str
        Strategy id.
    period_end : str
        The data period's last month.
    audience : str, default "board"
        The report's audience: a public index rolls up public measures only.

    Returns
    -------
    OverallRag
        The RAG word, its explanation and the report's "But:" note (the audience's
        form: a public summary names no restricted measure, risk or Board action); Grey,
        saying why, when it cannot be computed.
    """
    from pcplib.assessment import summarise_strategy

    try:
        # The same call as the strategy report's notebook, so the note is the report's.
        summary = summarise_strategy(dataset, strategy, period_end, audience)
        rag = str(summary.overall_rag)
        explanation = str(getattr(summary, "overall_explanation", ""))
        note = str(getattr(summary, "rating_note", "") or "")
        scope = str(getattr(summary, "rating_scope", "") or "")
    except Exception as exc:  # the index must still list the report
        logger.warning("%s: overall RAG could not be computed: %s", strategy, exc)
        return OverallRag("Grey", f"The overall RAG could not be computed ({exc}).")
    return describe_overall(strategy, rag, explanation, note, scope)


def describe_overall(
    strategy: str, rag: str, explanation: str, note: str = "", scope: str = ""
) -> OverallRag:
    """Return the index's overall RAG from a strategy summary's rating and explanation.

    Parameters
    ----------
    strategy : str
        Strategy id (for the log).
    rag : str
        The summary's overall RAG.
    explanation : str
        How it was rolled up.
    note : str, default ""
        The summary's "But: ..." note (what the rating alone would hide), shown beside it.
    scope : str, default ""
        The summary's ``rating_scope`` (how few headline measures the rating rests on).

    Returns
    -------
    OverallRag
        The RAG, or Grey saying so when it is not one the index can show.
    """
    if rag not in RAG_COLOURS:
        logger.warning("%s: unexpected overall RAG %r shown as Grey", strategy, rag)
        return OverallRag(
            "Grey", f"Unexpected overall RAG {rag!r}. {explanation}".strip(), note, scope
        )
    return OverallRag(rag, explanation, note, scope)


def summarise_overalls(dataset: Any, plan: RunPlan) -> dict[str, OverallRag]:
    """Return the overall RAG of every strategy report in a run.

    Parameters
    ----------
    dataset : pcplib.data.Dataset
        The validated data set.
    plan : RunPlan
        The run.

    Returns
    -------
    dict
        Strategy id to :class:`OverallRag`.
    """
    audiences = {
        job.strategy: job.parameters.get("audience", "board") for job in plan.jobs if job.strategy
    }
    return {
        strategy: summarise_overall(dataset, strategy, plan.period_end or "", audience)
        for strategy, audience in audiences.items()
    }


def describe_job_meeting(job: Any, board: str = "Board") -> str:
    """The meeting a report belongs to, as the index lists it.

    Parameters
    ----------
    job : Job
        The report's job: strategy reports and the plan overview carry their meeting in
        their ``meeting`` parameter (the runner worked it out from the forward plan).
    board : str, default "Board"
        The board's name (the data set's ``board.name``), for a job that names only its slot.

    Returns
    -------
    str
        ``"<board name>, November 2026"``, ``"Not prepared for a
        meeting"``, or what a public report is published for.
    """
    meeting = str(job.parameters.get("meeting", "") or "")
    if meeting:
        return meeting
    if job.notebook in PUBLIC_MEETINGS:
        return PUBLIC_MEETINGS[job.notebook]
    slot = job.parameters.get("slot")
    return label_meeting(board, slot) if slot else "Not recorded"


@cache
def load_index_template() -> jinja2.Template:
    """Return the index page's template, compiled once per process.

    Returns
    -------
    jinja2.Template
        ``index.html.j2`` with autoescape on (every value from the data set or the plan
        is escaped), undefined names an error rather than an empty string, and
        ``trim_blocks`` so block tags leave no blank lines.
    """
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(INDEX_TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        keep_trailing_newline=True,
    )
    return environment.get_template("index.html.j2")


NO_JUDGEMENT_ROWS = frozenset({"annual_evaluation"})
"""The notebooks whose verdicts have no rows in ``judgements.csv``: the annual
evaluation's tests of change over a year are given in its own annexes."""


def build_index(
    plan: RunPlan,
    results: Sequence[JobResult],
    *,
    produced_at: str,
    dataset: Any,
    rags: dict[str, OverallRag],
    pdf: bool = False,
    screenshots: bool = False,
) -> str:
    """Build the run's ``index.html``: every report with its overall RAG.

    Parameters
    ----------
    plan : RunPlan
        The run.
    results : sequence of JobResult
        The reports (all succeeded when the index is published).
    produced_at : str
        When the run was produced.
    dataset : pcplib.data.Dataset or None
        The data set (for the illustrative-data banner, the organisation and the board).
    rags : dict
        Strategy id to overall RAG.
    pdf : bool, default False
        Whether PDFs were printed beside the reports.
    screenshots : bool, default False
        Whether ``<report>.png`` first-screen pictures were saved beside the reports;
        each report's link then shows its picture as a thumbnail.

    Returns
    -------
    str
        The page.
    """
    width, height = THUMBNAIL_SIZE
    # Whose plan it is (dataset.yaml): the organisation heads the page, the board names
    # the meetings.
    identity = getattr(dataset, "identity", None)
    board = str(getattr(identity, "board_name", "") or "Board")
    rows = []
    meetings = []
    for result in results:
        job = result.job
        meeting = describe_job_meeting(job, board)
        if "meeting" in job.parameters:
            meetings.append(meeting)
        rows.append(
            {
                "name": job.name,
                "title": job.title,
                "rag": rags[job.strategy].rag if job.strategy in rags else None,
                # The report's own "But:" beside its rating, so the index never shows a
                # rating alone when the report qualifies it.
                "note": rags[job.strategy].note if job.strategy in rags else "",
                "scope": rags[job.strategy].scope if job.strategy in rags else "",
                "meeting": meeting,
            }
        )
    # The run checked produced_at before anything ran (options.resolve_produced_at); the
    # reports and the index word it with the same function.
    facts = [("Produced", format_produced_at(produced_at))]
    # One meeting for the whole run only when every report is for it: an --all run's
    # reports belong to different meetings, and each line says which.
    if meetings and len(set(meetings)) == 1:
        facts.insert(0, ("Meeting", meetings[0]))
    if plan.period_end:
        facts.append(
            (
                "Data period",
                f"to the end of {month_words(plan.period_end)} ({label_quarter(plan.period_end)})",
            )
        )
    facts.append(("Security marking", MARKING))
    # The annual evaluation's verdicts are tests of change over a year, in its own
    # annexes; judgements.csv holds none of its rows, and it has no RAG (review 6 F10).
    annual = [r for r in results if r.job.notebook in NO_JUDGEMENT_ROWS]
    return load_index_template().render(
        rated=any(row["rag"] for row in rows) or len(annual) < len(rows),
        judged=len(annual) < len(rows),
        without_rows=[str(r.job.title) for r in annual],
        heading=plan.heading,
        organisation=str(getattr(identity, "organisation", "") or ""),
        marking=MARKING,
        illustrative=bool(getattr(dataset, "illustrative", False)),
        description=str(getattr(dataset, "description", "") or ""),
        facts=facts,
        rows=rows,
        screenshots=screenshots,
        pdf=pdf,
        thumbnail_width=width,
        thumbnail_height=height,
        colours=RAG_COLOURS,
        rag_key=RAG_KEY,
        roll_up=describe_roll_up("technical"),
    )
