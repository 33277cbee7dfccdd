"""The top of every report.

Title, illustrative-data banner, owners, meeting, the data period covered,
production time, audience and the security marking.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import MARKING, periods

if TYPE_CHECKING:
    from pcplib.data import Dataset
from pcplib.assessment.origins import (
    classify_measure_origins,
    describe_published_measures,
    list_attributions,
)
from pcplib.assessment.scope import (
    available_period_end,
    check_audience,
    check_strategy,
    describe_data_period,
    format_produced_at,
    last_data_month,
    measures_for_audience,
    parse_month_param,
)
from pcplib.labels import label_meeting, month_words, quarter_words
from pcplib.report.html import esc, meta_list, notice
from pcplib.report.words import AUDIENCE_WORDS, PUBLIC_CAUSE_WORDS


def format_data_availability(dataset: Dataset, period_end: str) -> str:
    """Return a warning when no data have yet been received for the requested period.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    period_end : str
        The requested last month of data, ``YYYY-MM``.

    Returns
    -------
    str
        HTML warning naming the period requested and the period shown instead, or
        ``""`` when the data reach ``period_end``.
    """
    shown = available_period_end(dataset, period_end)
    if shown == str(parse_month_param(period_end, "period_end")):
        return ""
    wanted, got = (
        parse_month_param(period_end, "period_end"),
        parse_month_param(shown, "period_end"),
    )
    wanted_q = periods.label_quarter(wanted.to_timestamp())
    got_q = periods.label_quarter(got.to_timestamp())
    return notice(
        f"<p><strong>No data has yet been received for this period.</strong> This report "
        f"was asked for data to the end of {esc(month_words(wanted))} ({esc(wanted_q)}), "
        f"but the data set runs only to {esc(month_words(last_data_month(dataset)))}. "
        f"It shows the latest data available instead: {esc(got_q)}, to the end of "
        f"{esc(month_words(got))}. Read every figure, rating and narrative below as "
        f"{esc(got_q)}, not {esc(wanted_q)}; the report will be complete once the "
        "quarter's data arrive.</p>",
        cls="notice warning",
    )


def format_no_new_data(dataset: Dataset, slot: str, plan: Any = None) -> str:
    """Say so when a meeting has no new data since an earlier one.

    A meeting cycle that does not follow the quarters (every two months, say) brings
    some meetings the same quarter as the one before: their reports say so, naming the
    meeting that first had the figures, rather than repeat them silently.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set (its board's short name, and its own forward plan).
    slot : str
        The meeting month, ``YYYY-MM``.
    plan : ForwardPlan, optional
        The forward plan the run used; the data set's own when omitted.

    Returns
    -------
    str
        HTML notice "No new data since the <board> of <month>: figures as reported
        then.", or ``""`` when the meeting has new data, is not in the plan, or the data
        set has no forward plan.
    """
    from pcplib.data.forward_plan import find_first_report_of_data, find_forward_plan

    if plan is None:
        try:
            plan = find_forward_plan(dataset.root)
        except (OSError, ValueError):
            # The run checks the plan before any report; a notebook run by hand on a
            # data set with a broken plan still builds its report, without this notice.
            return ""
    if plan is None or not slot:
        return ""
    first = find_first_report_of_data(plan, str(slot))
    if first is None:
        return ""
    when = month_words(parse_month_param(first.slot, "slot"))
    board = dataset.identity.board_short_name
    return notice(
        f"<p><strong>No new data since the {esc(board)} of {esc(when)}:</strong> figures as "
        "reported then.</p>",
        cls="notice warning",
    )


def format_illustrative_banner(
    dataset: Dataset, measure_ids: Iterable[str] | None = None, period_end: str | None = None
) -> str:
    """Return the banner that labels illustrative data, or ``""`` for real data.

    A data set can be illustrative but hold real published figures for some
    measures (data.police.uk counts, say): the banner then names those measures and
    their sources, carries the publisher's attribution, and says that the other
    figures are illustrative, never that all of them are. Otherwise it gives the data
    set's description, with "Not real performance data" before it unless the
    description says so itself.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    measure_ids : iterable of str, optional
        The report's measures (every measure when omitted).
    period_end : str, optional
        The report's last month of data, ``YYYY-MM``.

    Returns
    -------
    str
        HTML (a ``role="note"`` panel) when ``dataset.illustrative`` is True.
    """
    if not dataset.illustrative:
        return ""
    origins = classify_measure_origins(dataset, measure_ids, period_end)
    real = origins[origins["origin"].isin(["published", "partly published"])]
    if real.empty:
        # The data set's own description often says it is not real data already: the
        # banner then gives it alone, so every page's first screen is a line shorter.
        warning = "" if "not real" in dataset.description.lower() else "Not real performance data: "
        return notice(
            f"<p><strong>Illustrative data.</strong> {warning}{esc(dataset.description)}.</p>",
            cls="illustrative",
        )
    attribution = " ".join(f"{a}." for a in list_attributions(real))
    counted = len(origins[origins["origin"] != "no data"])
    return notice(
        "<p><strong>Real and illustrative data.</strong> Figures for "
        f"{len(real)} of the {counted} measures in this report are real published data: "
        f"{esc(describe_published_measures(real))}. {esc(attribution)} Every other figure, "
        "and the targets, owners, commitments and narrative, come from an illustrative "
        f"sample data set, not real performance data: {esc(dataset.description)}. "
        "Method and provenance gives the source of each measure.</p>",
        cls="illustrative",
    )


def build_title_block(
    title: str,
    facts: Sequence[tuple[str, str]],
    dataset: Dataset,
    lead: str,
    warning: str = "",
    measure_ids: Iterable[str] | None = None,
    period_end: str | None = None,
    summary: str = "",
) -> str:
    """The title, lead, warning, illustrative banner, summary and facts that open a report.

    A ``summary`` (HTML) comes before the facts, under its own heading, so that the
    first screen says what the reader needs; the facts follow as "About this report".
    """
    lead_html = f'<p class="lead">{esc(lead)}</p>' if lead else ""
    banner = format_illustrative_banner(dataset, measure_ids, period_end)
    # The facts sit two to a row on a wide screen (the class is styled by the template;
    # elsewhere it is a plain list).
    facts_html = f'<div class="report-facts">{meta_list(facts)}</div>'
    if summary:
        facts_html = f'<h2 id="summary">Summary</h2>{summary}<h2>About this report</h2>{facts_html}'
    # The organisation whose plan it is heads every report (dataset.yaml's organisation).
    organisation = f'<p class="organisation">{esc(dataset.identity.organisation)}</p>'
    return f"{organisation}<h1>{esc(title)}</h1>{lead_html}{warning}{banner}{facts_html}"


def list_closing_facts(
    produced_at: str, audience: str, board: str = "Board"
) -> list[tuple[str, str]]:
    """The facts that end every header: when produced, for whom (``board`` by name), the marking."""
    return [
        ("Produced", format_produced_at(produced_at)),
        ("Audience", AUDIENCE_WORDS[audience].format(board=board)),
        ("Security marking", MARKING),
    ]


def build_period_header(
    dataset: Dataset,
    title: str,
    lead: str,
    leading_facts: Sequence[tuple[str, str]],
    measure_ids: Iterable[str],
    end: pd.Period,
    produced_at: str,
    audience: str,
    summary: str = "",
    warning: str = "",
    board_name: str = "",
) -> str:
    """A header for a report on a reporting quarter, warning when the data stop short.

    ``warning`` (HTML, such as :func:`format_no_new_data`'s) comes before the warning
    about data that stop short of the period. ``board_name`` names the board in the
    audience line when the report is for a board other than the data set's main one (the
    Delivery Board's view); empty, the main board.
    """
    measure_ids = list(measure_ids)
    facts = [
        *leading_facts,
        *list_period_facts(dataset, measure_ids, str(end)),
        *list_closing_facts(produced_at, audience, board_name or dataset.identity.board_name),
    ]
    return build_title_block(
        title,
        facts,
        dataset,
        lead,
        warning + format_data_availability(dataset, str(end)),
        measure_ids,
        available_period_end(dataset, str(end)),
        summary,
    )


def list_period_facts(dataset: Dataset, measure_ids: Iterable[str], period_end: str) -> list:
    """Header facts on the period: the quarter shown and the data it actually covers."""
    requested = parse_month_param(period_end, "period_end")
    end = parse_month_param(available_period_end(dataset, period_end), "period_end")
    quarter = periods.label_quarter(end.to_timestamp())
    facts = []
    if end != requested:
        facts.append(
            (
                "Period requested",
                f"{periods.label_quarter(requested.to_timestamp())} (data to the end of "
                f"{month_words(requested)}): no data received yet",
            )
        )
    facts += [
        ("Reporting quarter", f"{quarter} (data to the end of {month_words(end)})"),
        ("Data period covered", describe_data_period(dataset, measure_ids, end)),
    ]
    return facts


def describe_meeting(slot: str, meeting: str = "", board: str = "Board") -> str:
    """The meeting a report is for: as the runner says, or the slot's board meeting.

    Parameters
    ----------
    slot : str
        The board meeting month, ``YYYY-MM``.
    meeting : str, default ""
        The meeting as the runner worked it out from the forward plan
        (``"<board name>, July 2026"``, or ``"Not prepared for a meeting"`` for a
        report built outside its slot); the slot's meeting when empty.
    board : str, default "Board"
        The board's name (``dataset.identity.board_name``).

    Returns
    -------
    str
        The words the header shows.
    """
    if meeting.strip():
        return meeting.strip()
    return label_meeting(board, parse_month_param(slot, "slot"))


def build_header(
    dataset: Dataset,
    strategy_id: str,
    slot: str,
    period_end: str,
    produced_at: str = "",
    audience: str = "board",
    meeting: str = "",
    summary: str = "",
    plan: Any = None,
) -> str:
    """Return the top of a delivery-strategy report.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str
        The strategy.
    slot : str
        The board meeting month, ``YYYY-MM``.
    period_end : str
        The last month of data, ``YYYY-MM``.
    produced_at : str, default ""
        When the report is produced (see :func:`format_produced_at`).
    audience : {"board", "public"}, default "board"
        Who the report is for.
    meeting : str, default ""
        The meeting the report is for, as the runner says (see
        :func:`describe_meeting`); the slot's Board meeting when empty.
    summary : str, default ""
        The first screen's summary (HTML, from
        :func:`pcplib.report.summary.format_board_summary`), shown under the lead and
        before the facts, which then follow as "About this report".
    plan : ForwardPlan, optional
        The forward plan the run used (the data set's own when omitted), to say when
        the meeting has no new data since an earlier one (:func:`format_no_new_data`).

    Returns
    -------
    str
        HTML: the title, a lead naming the meeting and the reporting quarter, the
        summary when given, the illustrative-data banner when relevant, and the
        strategy's mission, objective, owners and single points of contact, the
        meeting, the data period actually covered, the reporting quarter, when
        it was produced, the audience and the security marking.
    """
    check_audience(audience)
    check_strategy(dataset, strategy_id)
    end = parse_month_param(period_end, "period_end")
    meeting_words = describe_meeting(slot, meeting, dataset.identity.board_name)
    strategy = dataset.strategy(strategy_id)
    missions = dataset.missions.set_index("mission_id")["mission_name"]
    mission = missions.get(strategy["mission_id"], strategy["mission_id"])
    measures = measures_for_audience(dataset, strategy_id, audience=audience)
    facts = [
        ("Mission", str(mission)),
        ("Strategic objective", str(strategy["strategic_objective"])),
        ("Force senior owner", str(strategy["force_senior_owner"])),
        ("Force single point of contact", str(strategy["force_spoc"])),
        ("OPCC senior owner", str(strategy["opcc_senior_owner"])),
        ("OPCC single point of contact", str(strategy["opcc_spoc"])),
        ("Meeting", meeting_words),
    ]
    if audience == "public":
        # The residents' caveat on cause, as the public report's About page gives it.
        facts.append(("What the figures cannot show", PUBLIC_CAUSE_WORDS))
    shown = parse_month_param(available_period_end(dataset, period_end), "period_end")
    quarter = periods.label_quarter(shown.to_timestamp())
    # A public copy says what it is: the Board's report in the Board's terms with what is
    # restricted taken out, not a page written for residents (review 1, B7).
    public_words = (
        f" This is the {dataset.identity.board_name}'s report, in its terms, with restricted "
        "measures, the risk register and the action log removed; the public monitoring "
        "report explains the figures for residents."
        if audience == "public"
        else ""
    )
    return build_period_header(
        dataset,
        f"{strategy['strategy_name']}: delivery strategy report",
        f"{dataset.identity.plan_name}: performance, progress and risks. {meeting_words}; "
        f"{quarter}, data to the end of {month_words(shown)}.{public_words}",
        facts,
        measures["measure_id"],
        end,
        produced_at,
        audience,
        summary,
        format_no_new_data(dataset, slot, plan),
    )


def build_plan_header(
    dataset: Dataset,
    slot: str,
    period_end: str,
    produced_at: str = "",
    meeting: str = "",
    plan: Any = None,
    audience: str = "public",
) -> str:
    """Return the top of the plan overview.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    slot : str
        The board meeting month, ``YYYY-MM``.
    period_end : str
        The last month of data, ``YYYY-MM``.
    produced_at : str, default ""
        When the report is produced.
    meeting : str, default ""
        The meeting it is for, as the runner says (see :func:`describe_meeting`).
    plan : ForwardPlan, optional
        The forward plan (the data set's own when omitted), to say when the meeting has
        no new data since an earlier one (:func:`format_no_new_data`).
    audience : {"public", "board"}, default "public"
        Who the overview is for: the Board's names restricted measures, risks and actions
        in its "But:" notes (:func:`~pcplib.assessment.overview.build_plan_overview`).

    Returns
    -------
    str
        HTML: title, illustrative banner, meeting, data period, produced time, marking.
    """
    end = parse_month_param(period_end, "period_end")
    public = measures_for_audience(dataset, audience=audience)
    return build_period_header(
        dataset,
        f"{dataset.identity.plan_name}: plan overview",
        "Every delivery strategy, mission by mission: its overall rating, headline measures "
        "and projected delivery.",
        [("Meeting", describe_meeting(slot, meeting, dataset.identity.board_name))],
        public["measure_id"],
        end,
        produced_at,
        audience,
        warning=format_no_new_data(dataset, slot, plan),
    )


def build_public_header(dataset: Dataset, quarter: str, produced_at: str = "") -> str:
    """Return the top of the quarterly public monitoring report.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    quarter : str
        The quarter reported, such as ``"2026/27 Q2"``.
    produced_at : str, default ""
        When the report is produced.

    Returns
    -------
    str
        HTML: title, illustrative banner, quarter, data period, produced time, marking.
    """
    _, end = periods.parse_quarter(quarter)
    public = measures_for_audience(dataset, audience="public")
    return build_period_header(
        dataset,
        f"{dataset.identity.plan_name}: public monitoring report, {quarter}",
        "What has been achieved and what still needs attention, mission by mission.",
        [("Quarter", f"{quarter} ({quarter_words(quarter)})")],
        public["measure_id"],
        end.to_period("M"),
        produced_at,
        "public",
    )


def build_public_about_header(dataset: Dataset, quarter: str, produced_at: str = "") -> str:
    """Return the top of the public report's "About these figures" page.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    quarter : str
        The quarter of the report it belongs to, such as ``"2026/27 Q2"``.
    produced_at : str, default ""
        When the page is produced.

    Returns
    -------
    str
        HTML: title, a link back to the report, illustrative banner, the quarter and
        data period, produced time and marking.
    """
    _, end = periods.parse_quarter(quarter)
    public = measures_for_audience(dataset, audience="public")
    header = build_period_header(
        dataset,
        f"About these figures: public monitoring report, {quarter}",
        "How the figures in the public monitoring report are judged, where they come from, "
        "how good they are, and the checks that let anyone reproduce them.",
        [("Quarter", f"{quarter} ({quarter_words(quarter)})")],
        public["measure_id"],
        end.to_period("M"),
        produced_at,
        "public",
    )
    back = '<p><a href="public-quarterly.html">Back to the public monitoring report</a></p>'
    return header + back


def build_annual_header(dataset: Dataset, year: str, produced_at: str = "") -> str:
    """Return the top of the annual evaluation.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    year : str
        The financial year evaluated, such as ``"2025/26"``.
    produced_at : str, default ""
        When the report is produced.

    Returns
    -------
    str
        HTML: title, illustrative banner, year, data period, produced time, marking.
    """
    _, end = periods.parse_financial_year(year)
    end_month = end.to_period("M")
    public = measures_for_audience(dataset, audience="public")
    facts = [
        ("Year evaluated", f"{year} (April to March)"),
        ("Data period covered", describe_data_period(dataset, public["measure_id"], end_month)),
        *list_closing_facts(produced_at, "public", dataset.identity.board_name),
    ]
    return build_title_block(
        f"{dataset.identity.plan_name}: annual evaluation, {year}",
        facts,
        dataset,
        "The plan's impact: each public measure against its baseline year, with tests of "
        "whether the change is more than chance.",
        measure_ids=list(public["measure_id"]),
        period_end=str(end_month),
    )
