"""The run's ``index.html``: every report, its first screen and its strategy's overall RAG.

The overall RAGs are rolled up from the validated data set (with
:func:`pcplib.report.summarise_strategy`) while the reports run, so the index does
not wait for the last report. RAG is written as a word as well as shown as a colour.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pcplib import MARKING
from pcplib.report.html import RAG_COLOURS
from pcplib.run.jobs import JobResult, RunPlan
from pcplib.run.log import logger
from pcplib.run.months import MONTH_NAMES, format_month, label_quarter_of

# CSS pixels: half the 1280 x 800 first screen, so its headings and ratings can be read
# (at 160 x 100 the text was under 3 pixels high).
THUMBNAIL_SIZE = (640, 400)
RAG_KEY = (
    ("Green", "on target, or with no target no sign of getting worse"),
    ("Amber", "a target narrowly missed, or recovering from a real deterioration"),
    ("Red", "a target missed, or a real deterioration"),
    ("Grey", "nothing to rate: no data or no good direction"),
)
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
    """

    rag: str
    explanation: str


def summarise_overall(
    dataset: Any, strategy: str, period_end: str, audience: str = "cgb"
) -> OverallRag:
    """Return a strategy's overall RAG from ``pcplib.report.summarise_strategy``.

    Parameters
    ----------
    dataset : pcplib.data.Dataset
        The loaded data set.
    strategy : str
        Strategy id.
    period_end : str
        The data period's last month.
    audience : str, default "cgb"
        The report's audience: a public index rolls up public measures only.

    Returns
    -------
    OverallRag
        The RAG word and its explanation; Grey, saying why, when it cannot be computed.
    """
    from pcplib.report import summarise_strategy

    try:
        summary = summarise_strategy(dataset, strategy, period_end, audience)
        rag = str(summary.overall_rag)
        explanation = str(getattr(summary, "overall_explanation", ""))
    except Exception as exc:  # the index must still list the report
        logger.warning("%s: overall RAG could not be computed: %s", strategy, exc)
        return OverallRag("Grey", f"The overall RAG could not be computed ({exc}).")
    if rag not in RAG_COLOURS:
        logger.warning("%s: unexpected overall RAG %r shown as Grey", strategy, rag)
        return OverallRag("Grey", f"Unexpected overall RAG {rag!r}. {explanation}".strip())
    return OverallRag(rag, explanation)


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
        job.strategy: job.parameters.get("audience", "cgb") for job in plan.jobs if job.strategy
    }
    return {
        strategy: summarise_overall(dataset, strategy, plan.period_end or "", audience)
        for strategy, audience in audiences.items()
    }


def format_produced(produced_at: str) -> str:
    """Say when a run was produced in the reports' words: ``"23 November 2026 06:00 UTC"``.

    Parameters
    ----------
    produced_at : str
        ISO-8601 time.

    Returns
    -------
    str
        The time in UTC to the minute; the text as given when it cannot be read.
    """
    try:
        moment = datetime.fromisoformat(produced_at)
    except ValueError:
        return produced_at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    return f"{moment.day} {MONTH_NAMES[moment.month - 1]} {moment:%Y %H:%M} UTC"


INDEX_CSS = """
body { margin: 0; font-family: Arial, "Helvetica Neue", Helvetica, sans-serif;
  font-size: 1.1875rem; line-height: 1.5; color: #0b0c0c; background: #ffffff; }
main { max-width: 66rem; margin: 0 auto; padding: 1rem; }
.marking { margin: 0; padding: 0.25rem 1rem; background: #0b0c0c; color: #ffffff;
  font-weight: 700; text-align: center; letter-spacing: 0.05em; }
.illustrative { border-left: 0.5rem solid #0b0c0c; background: #fff7bf; padding: 0.75rem 1rem;
  margin: 1rem 0; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
caption { text-align: left; font-weight: 700; margin-bottom: 0.5rem; }
th, td { text-align: left; vertical-align: top; padding: 0.5rem; border-bottom: 1px solid #b1b4b6; }
a { color: #1d70b8; text-underline-offset: 0.15em; }
a:visited { color: #4c2c92; }
a:focus { outline: 3px solid #ffdd00; background: #ffdd00; color: #0b0c0c; }
.rag { display: inline-block; padding: 0.1rem 0.5rem; font-weight: 700; border-radius: 0.2rem; }
a.report { display: inline-block; max-width: 100%; }
img.thumb { display: block; width: 40rem; max-width: 100%; height: auto;
  border: 1px solid #b1b4b6; margin-bottom: 0.25rem; }
ul.key { list-style: none; padding: 0; }
ul.key li { margin-bottom: 0.25rem; }
dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.25rem 1rem; }
dl.facts dt { font-weight: 700; }
dl.facts dt, dl.facts dd { min-width: 0; overflow-wrap: anywhere; }
dl.facts dd { margin: 0; }
@media (max-width: 60rem) { dl.facts { grid-template-columns: minmax(0, 1fr); }
  table.reports, table.reports tbody, table.reports tr, table.reports th,
  table.reports td { display: block; }
  table.reports thead { position: absolute; left: -9999px; }
  table.reports tr { border-bottom: 2px solid #b1b4b6; padding: 0.5rem 0; }
  table.reports th, table.reports td { border: none; padding: 0.25rem 0; } }
@media print { a { color: #0b0c0c; } .marking { border: 1px solid #0b0c0c; }
  img.thumb { display: none; } }
""".strip()


def format_rag_cell(overall: OverallRag, explain: bool = True) -> str:
    """Return the HTML of a RAG status as a word on its accessible colour.

    Parameters
    ----------
    overall : OverallRag
        The status.
    explain : bool, default True
        Follow the word with the explanation; the index leaves it to the report (the same
        sentence thirteen times told a reader nothing) and gives a key once instead.

    Returns
    -------
    str
        A ``<span>`` with the word, coloured, followed by the explanation when asked.
    """
    background, text = RAG_COLOURS[overall.rag]["background"], RAG_COLOURS[overall.rag]["text"]
    cell = (
        f'<span class="rag" style="background:{background};color:{text}">'
        f"{html.escape(overall.rag)}</span>"
    )
    if explain and overall.explanation:
        cell += f" {html.escape(overall.explanation)}"
    return cell


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
    return f"{board}, {format_month(slot)}" if slot else "Not recorded"


def format_rag_key() -> str:
    """Return the key to the ratings, given once below the list of reports."""
    items = "".join(
        f"<li>{format_rag_cell(OverallRag(word, ''))} {html.escape(meaning)}</li>"
        for word, meaning in RAG_KEY
    )
    return (
        "<h2>Key</h2><p>Every rating is a word as well as a colour. A strategy's overall "
        "rating is the worst of its rated headline measures; each report says what drove "
        f'it.</p><ul class="key">{items}</ul>'
    )


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
        The data set (for the illustrative-data banner).
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
    esc = html.escape
    identity = getattr(dataset, "identity", None)
    board = str(getattr(identity, "board_name", "") or "Board")
    # The organisation whose plan it is heads the page (dataset.yaml's organisation).
    organisation = str(getattr(identity, "organisation", "") or "")
    organisation_html = f'<p class="organisation">{esc(organisation)}</p>' if organisation else ""
    rows = []
    width, height = THUMBNAIL_SIZE
    meetings = []
    for result in results:
        job = result.job
        if screenshots:
            link = (
                f'<a class="report" href="{esc(job.name)}.html">'
                f'<img class="thumb" src="{esc(job.name)}.png" width="{width}" height="{height}" '
                f'alt="First screen of {esc(job.title)}">{esc(job.title)}</a>'
            )
        else:
            link = f'<a href="{esc(job.name)}.html">{esc(job.title)}</a>'
        if pdf:
            link += f' (<a href="{esc(job.name)}.pdf">PDF</a>)'
        rag = (
            format_rag_cell(rags[job.strategy], explain=False)
            if job.strategy in rags
            else "No overall rating"
        )
        meeting = describe_job_meeting(job, board)
        if "meeting" in job.parameters:
            meetings.append(meeting)
        rows.append(f'<tr><th scope="row">{link}</th><td>{rag}</td><td>{esc(meeting)}</td></tr>')
    illustrative = ""
    if getattr(dataset, "illustrative", False):
        description = esc(str(getattr(dataset, "description", "") or ""))
        illustrative = (
            '<div class="illustrative" role="note"><p><strong>Illustrative sample data.</strong> '
            "These reports are built on generated data, not real performance data."
            f"{' Data set: ' + description if description else ''}</p></div>"
        )
    facts = [("Produced", esc(format_produced(produced_at)))]
    # One meeting for the whole run only when every report is for it: an --all run's
    # reports belong to different meetings, and each line says which.
    if meetings and len(set(meetings)) == 1:
        facts.insert(0, ("Meeting", esc(meetings[0])))
    if plan.period_end:
        facts.append(
            (
                "Data period",
                f"to the end of {format_month(plan.period_end)} "
                f"({esc(label_quarter_of(plan.period_end))})",
            )
        )
    facts.append(("Security marking", MARKING))
    facts_html = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
    thumbnails_note = (
        "<p>Each report's picture is its first screen as a browser shows it; the picture and "
        "the name both open the report.</p>"
        if screenshots
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(plan.heading)}</title>
<style>
{INDEX_CSS}
</style>
</head>
<body>
<header><p class="marking">{MARKING}</p></header>
<main id="main">
{organisation_html}<h1>{esc(plan.heading)}</h1>
{illustrative}
<dl class="facts">{facts_html}</dl>
<table class="reports">
<caption>Reports, each strategy's overall rating and the meeting each is for</caption>
<thead><tr><th scope="col">Report</th><th scope="col">Overall rating</th>
<th scope="col">Meeting</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
{format_rag_key()}
<p>Every judgement these reports show, one row per report and measure, is in
<a href="judgements.csv">judgements.csv</a> for dashboards and checking.</p>
{thumbnails_note}
</main>
<footer><p class="marking">{MARKING}</p></footer>
</body>
</html>
"""
