"""The public quarterly report: a summary, each mission at a glance, and its "About" page link.

Formatting only: every measure's group and sentence come from
:mod:`pcplib.assessment.public`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import periods
from pcplib.report.html import format_rag_html

if TYPE_CHECKING:
    from pcplib.assessment.multiplicity import ChanceCount
    from pcplib.data import Dataset
from pcplib.assessment.caveats import ACTION_FRAUD_WORDS, RISE_IN_REPORTS
from pcplib.assessment.public import (
    PUBLIC_GROUPS,
    PublicQuarter,
    count_public_groups,
    summarise_public_quarter,
)
from pcplib.assessment.scope import parse_month_param, produced_month
from pcplib.labels import list_words, month_words, plural
from pcplib.report.change_charts import build_change_chart
from pcplib.report.comparisons import format_area_comparison_words
from pcplib.report.html import build_table, esc
from pcplib.report.release import name_sources
from pcplib.report.words import describe_chance_count, describe_roll_up, format_rag_legend

ABOUT_PAGE = "public-quarterly-about.html"
"""The "About these figures" page the runner publishes beside the public report."""
PUBLIC_PAGE = "public-quarterly.html"

RECORDED_CRIME_WORDS = (
    "These count the crimes that people report to the police and that the police record. "
    "They go up or down when more or fewer people report crime, or when the police change "
    "how they record it, as well as when crime itself changes. So a rise does not always "
    "mean more crime, and a fall does not always mean less."
)
"""The recorded-crime caveat in plain English (ONS, *Crime in England and Wales: user
guide*: police recorded crime reflects reporting and recording as well as crime)."""
GROUP_MEANINGS = {
    "achieved": "met its target (if only just), is on course for a later one, or really got "
    "better (by more than the usual ups and downs)",
    # A target met this time on a record of usually missing it is Amber (met, but not
    # reliably), so the key says so where its item is listed (review 15, R15-3); in few
    # words, as the key's row must not wrap again (the public page's six screens).
    "needs attention": "missed its target or usually does, too close to it to say whether "
    "it was met, got worse (really or possibly), lately ran worse than usual, or had "
    f"{RISE_IN_REPORTS}",
    "steady": "no target and no clear change on a year ago, or a mixed picture",
    "too few to tell": "no target, and so few events that a change cannot be told from "
    "chance: the counts are given",
    "trend": "not rated, as there is no right way for it to go: more reports can mean more "
    "people feel safe to come forward",
    "not rated": "no target, and too little steady history to set a normal range; any change "
    "is said",
}
"""What each of the public report's groups means: the one definition its key and its
About page both quote."""
RECORDED_CRIME_SUMMARY = "About the crime figures: a rise is not always more crime"
"""The caveat's line that is always shown, folded or not."""


def format_recorded_crime_caveat(names: Iterable[str], reports: Iterable[str] = ()) -> str:
    """Return the recorded-crime caveat for the named measures, or ``""`` for none.

    Parameters
    ----------
    names : iterable of str
        The measures that count crimes recorded by the police
        (:func:`pcplib.assessment.caveats.is_recorded_crime`).
    reports : iterable of str, optional
        Those of them whose figures are reports to Action Fraud
        (:func:`pcplib.assessment.caveats.is_reported_to_action_fraud`): they carry the
        same caveat but are not crimes recorded by the police, so they are listed apart
        (review 14, R14-9; ONS publishes them apart from police recorded crime).

    Returns
    -------
    str
        A ``<details>`` element whose summary, always shown, reads "About the crime
        figures: a rise is not always more crime"; opened (and in print, where the
        template opens it), it says which figures are police recorded crime and what that
        means for reading a rise or a fall. Folded so that the public report keeps to six
        screens (tests/browser/test_layout.py).
    """
    fraud = list(dict.fromkeys(str(n) for n in reports))
    shown = [n for n in dict.fromkeys(str(n) for n in names) if n not in fraud]
    if not shown and not fraud:
        return ""
    words = []
    if shown:
        which = "This figure is" if len(shown) == 1 else "These figures are"
        words.append(
            f"{which} crimes recorded by the police: {'; '.join(shown)}. {RECORDED_CRIME_WORDS}"
        )
    if fraud:
        words.append(f"{'; '.join(fraud)}: {ACTION_FRAUD_WORDS}")
    return (
        f'<details class="caveat"><summary>{esc(RECORDED_CRIME_SUMMARY)}</summary>'
        f"<p>{esc(' '.join(words))}</p></details>"
    )


def format_about_link(text: str = "About these figures") -> str:
    """Return the link from the public report to its "About these figures" page.

    Parameters
    ----------
    text : str, default "About these figures"
        The link's words.

    Returns
    -------
    str
        A paragraph with the link and what the page holds.
    """
    return (
        f'<p class="about-link"><a href="{ABOUT_PAGE}">{esc(text)}</a>: how they are judged, '
        "where they come from and how good they are.</p>"
    )


def format_reading_guide(chance: ChanceCount | None = None) -> str:
    """Return the key that comes before the missions: how to read the groups and ratings.

    Parameters
    ----------
    chance : ChanceCount, optional
        The quarter's tests of change
        (:func:`pcplib.assessment.multiplicity.count_chance_comparisons`): the key then
        says how many were made and how many chance alone could pass
        (:func:`pcplib.report.words.describe_chance_count`).

    Returns
    -------
    str
        HTML: what each figure is compared with, and how many tests chance alone could
        pass when given; what each group means
        (:data:`GROUP_MEANINGS`), two to a row on a wide screen; and, folded under a line
        that says what it holds, what each rating word means
        (:func:`pcplib.report.words.format_rag_legend`, the one definition every report
        quotes).
    """
    groups = "".join(
        f"<dt>{esc(group.capitalize())}</dt><dd>{esc(meaning)}.</dd>"
        for group, meaning in GROUP_MEANINGS.items()
    )
    many = describe_chance_count(chance) if chance is not None else ""
    return (
        '<div class="reading-guide"><p>How to read the missions below: a figure is the '
        "quarter's unless it says otherwise, compared with the same months a year before, "
        f"so the seasons match.{' ' + esc(many) if many else ''}</p>"
        f'<dl class="reading-key">{groups}</dl>'
        "<details><summary>What the colours of the strategies' ratings mean</summary>"
        f"<p>Each rating is a word as well as a colour. {esc(format_rag_legend('public'))} "
        f"{esc(describe_roll_up('public'))}</p></details></div>"
    )


def _groups_sentence(counts: dict[str, int]) -> str:
    attention = counts["needs attention"]
    parts = [
        f"{counts['achieved']} achieved",
        f"{attention} {'needs' if attention == 1 else 'need'} attention",
        f"{counts['steady']} steady",
        plural(counts["trend"], "trend"),
    ]
    if counts.get("too few to tell"):
        parts.append(f"{counts['too few to tell']} too few to tell")
    if counts.get("not rated"):
        parts.append(f"{counts['not rated']} not rated")
    if counts.get("no figure"):
        parts.append(f"{counts['no figure']} with no figure yet")
    return list_words(parts)


def _late_words(stuck: int, overdue: int, off_track: int = 0) -> str:
    """The promises not kept on time: at risk, off track and already overdue, apart."""
    parts = []
    if stuck:
        parts.append(f"{stuck} {'is' if stuck == 1 else 'are'} at risk of being late")
    if off_track:
        parts.append(f"{off_track} {'is' if off_track == 1 else 'are'} not expected on time")
    if overdue:
        parts.append(f"{overdue} {'is' if overdue == 1 else 'are'} overdue")
    if not parts:
        return "and none is at risk of being late or overdue"
    if len(parts) == 1:
        return f"and {parts[0]}"
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


GROUP_HEADINGS = {
    "achieved": "Achieved",
    "needs attention": "Needs attention",
    "steady": "Steady",
    "too few to tell": "Too few to tell",
    "trend": "Trends",
    "not rated": "Not rated",
    "no figure": "No figure yet",
}
"""The summary table's heading for each group of :data:`PUBLIC_GROUPS`."""

_ALWAYS_SHOWN = ("achieved", "needs attention", "steady", "trend")


def format_public_summary(public: PublicQuarter) -> str:
    """Return the report's summary: what was achieved and what needs attention, by mission.

    Parameters
    ----------
    public : PublicQuarter
        From :func:`pcplib.assessment.public.summarise_public_quarter`.

    Returns
    -------
    str
        HTML: a paragraph with the counts across the plan, then a table with one row per
        mission: its measures in each group (achieved, needing attention, steady and
        trends always; too few to tell, not rated and no figure yet when the plan has
        any), their total, and the commitments delivered.
    """
    counts = count_public_groups(public)
    total = {g: int(counts[g].sum()) for g in PUBLIC_GROUPS}
    measures = int(counts["measures"].sum())
    complete, commitments = int(counts["complete"].sum()), int(counts["commitments"].sum())
    stuck = int(counts["stuck"].sum())
    off_track = int(counts["off_track"].sum()) if "off_track" in counts else 0
    overdue = int(counts["overdue"].sum()) if "overdue" in counts else 0
    lead = (
        f"We looked at {measures} measures of the plan in {public.quarter}. "
        f"{_groups_sentence(total).capitalize()}. "
        f"So far {complete} of {plural(commitments, 'promise')} have been kept, "
        f"{_late_words(stuck, overdue, off_track)}."
    )
    # Every group a mission's measures fall in has a column (the rarer ones only when the
    # plan has any), and the total closes the row: each row adds up to its mission's
    # count of measures, as the section says it (review 7, F19).
    groups = [g for g in PUBLIC_GROUPS if g in _ALWAYS_SHOWN or total[g]]
    rows = [
        [esc(r["mission_name"]), *(str(r[g]) for g in groups), str(r["measures"])]
        + [f"{r['complete']} of {r['commitments']}"]
        for r in counts.to_dict("records")
    ]
    table = build_table(
        ["Mission", *(GROUP_HEADINGS[g] for g in groups), "Measures", "Promises kept"],
        rows,
        f"Measures by mission, {public.quarter}",
    )
    return f'<div class="reader-summary"><p>{esc(lead)}</p>{table}</div>'


def _sentences(rows: pd.DataFrame) -> list[str]:
    return [f"{r['measure_name']}: {r['public_sentence']}" for r in rows.to_dict("records")]


def _split_named(rows: pd.DataFrame) -> tuple[list[str], pd.DataFrame]:
    """The measures listed by name under their group's words, and those told in a sentence."""
    named = rows["name_only"].astype(bool) if "name_only" in rows else rows["group"] != ""
    return list(rows.loc[named, "measure_name"]), rows[~named]


def _format_not_rated(rows: pd.DataFrame) -> str:
    """The measures not rated, each with a change told in its own sentence.

    The rest are listed by name under their reason ("Not rated, as there is no target,
    and its past figures are too unsteady ...; no clear change on a year ago or since the plan
    began: ...").
    """
    named, told = _split_named(rows)
    html = _list(_sentences(told)) if not told.empty else ""
    if not named:
        return html
    listed = rows[rows["measure_name"].isin(named)]
    reasons = listed.get("not_rated_reason", pd.Series("", index=listed.index)).fillna("")
    for reason, group in listed.groupby(reasons, sort=False):
        why = f", as {reason}" if reason else ""
        html += (
            f"<p>Not rated{esc(why)}; no clear change on a year ago or since the plan began: "
            f"{esc('; '.join(group['measure_name']))}.</p>"
        )
    return html


def _list(items: list[str]) -> str:
    return '<ul class="measure-list">' + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"


def _format_the_rest(by_group: dict[str, pd.DataFrame]) -> str:
    """A mission's measures past what was achieved and what needs attention, as HTML.

    The steady, the too few to tell, the trends and the not rated, each folded under a
    line that counts them, and those with no figure yet.
    """
    rest = ""
    if "steady" in by_group:
        # Folded under a line that counts them: no evidence of change is the least news, and
        # the report keeps to six screens (tests/browser/test_layout.py). Only measures
        # whose every comparison shows no evidence are listed by name (``name_only``).
        steady = by_group["steady"]
        named, told = _split_named(steady)
        # A steady measure may show a real improvement over the 12 months beside a quarter
        # that went the wrong way (a mixed picture): the heading claims only what holds
        # for every one, no clear change on a year ago (review 18, R18-2).
        calm = not steady["judgement"].isin(("improved", "deteriorated")).any()
        what = (
            "no clear change on a year ago" if calm else "no change beyond the usual ups and downs"
        )
        listed = (
            f"<p>No change beyond the usual ups and downs in: {esc('; '.join(named))}.</p>"
            if named
            else ""
        )
        rest += (
            f'<details class="steady"><summary>Steady: {esc(plural(len(steady), "measure"))} '
            f"with {what}</summary>{listed}"
            f"{_list(_sentences(told)) if not told.empty else ''}</details>"
        )
    if "too few to tell" in by_group:
        few = by_group["too few to tell"]
        rest += (
            f'<details class="few"><summary>Too few to tell: {esc(plural(len(few), "measure"))}'
            " with too few events to judge</summary>"
            f"{_list(_sentences(few))}</details>"
        )
    if "trend" in by_group:
        # Folded like the steady: a measure with no right way to go is not judged, and the
        # report keeps to six screens (tests/browser/test_layout.py).
        trends = by_group["trend"]
        rest += (
            f'<details class="trends"><summary>Trends (not rated): '
            f"{esc(plural(len(trends), 'measure'))} with no right way to go</summary>"
            f"{_list(_sentences(trends))}</details>"
        )
    if "not rated" in by_group:
        unrated = by_group["not rated"]
        rest += (
            f'<details class="unrated"><summary>Not rated: {esc(plural(len(unrated), "measure"))}'
            " with no target or settled history</summary>"
            f"{_format_not_rated(unrated)}</details>"
        )
    if "no figure" in by_group:
        names = list(by_group["no figure"]["measure_name"])
        rest += f"<p>No figure yet this quarter for: {esc('; '.join(names))}.</p>"
    return rest


def format_public_mission(
    public: PublicQuarter, mission_id: str, counts: pd.DataFrame | None = None
) -> str:
    """Return one mission's section of the public report.

    Parameters
    ----------
    public : PublicQuarter
        From :func:`pcplib.assessment.public.summarise_public_quarter`.
    mission_id : str
        The mission.
    counts : pandas.DataFrame, optional
        :func:`~pcplib.assessment.public.count_public_groups` of ``public`` (counted once
        for every mission by :func:`format_public_missions`); counted here when omitted.
        The section's counts of measures by group and of promises are read from it,
        never recounted.

    Returns
    -------
    str
        HTML: the mission's heading and counts, its delivery strategies' overall ratings
        (word and colour), a chart of its headline measures' change on a year earlier,
        then every public measure: what has been achieved and what still needs attention
        (each with a sentence), the trends that are not rated, and, folded, the measures
        that are steady, too few to tell (small numbers) or not rated (each with a
        sentence unless its group's words say all there is).
    """
    measures = public.measures[public.measures["mission_id"] == mission_id]
    strategies = public.strategies[public.strategies["mission_id"] == mission_id]
    name = str(strategies["mission_name"].iloc[0]) if not strategies.empty else mission_id
    by_group = {g: measures[measures["group"] == g] for g in measures["group"].unique()}
    counts = count_public_groups(public) if counts is None else counts
    mine = counts[counts["mission_id"] == mission_id].iloc[0]
    ratings = "".join(
        f"<li>{esc(s['strategy_name'])} {format_rag_html(s['overall_rag'])}"
        # How few main measures the rating rests on, when too few (review 7, F12).
        + (f' <span class="small">{esc(s["rating_scope"])}</span>' if s.get("rating_scope") else "")
        + "</li>"
        for s in strategies.to_dict("records")
    )
    headline = measures[measures["tier"] == "headline"]
    chart = build_change_chart(
        headline,
        f"headline measures of {name}",
        "Change on a year ago",
        f"The headline measures of {name}, {public.quarter} against a year ago.",
        name_sources(headline["source"]) if "source" in headline else "",
    )
    parts = [
        f"<h2>{esc(name)}</h2>",
        f'<p class="mission-counts">{plural(int(mine["measures"]), "measure")}: '
        f"{esc(_groups_sentence({g: int(mine[g]) for g in PUBLIC_GROUPS}))}.</p>",
        f'<ul class="strategy-ratings"><li>Strategies:</li>{ratings}</ul>',
    ]
    complete, stuck, overdue = (int(mine[k]) for k in ("complete", "stuck", "overdue"))
    achieved = _sentences(by_group["achieved"]) if "achieved" in by_group else []
    if complete:
        achieved.append(f"{plural(complete, 'promise')} in the plan kept.")
    attention = _sentences(by_group["needs attention"]) if "needs attention" in by_group else []
    # One line for the promises not kept on time, overdue ones said apart as overdue.
    off_track = int(mine["off_track"]) if "off_track" in mine else 0
    late = [f"{stuck} at risk of being late"] if stuck else []
    late += [f"{off_track} not expected on time"] if off_track else []
    late += [f"{overdue} overdue"] if overdue else []
    if late:
        attention.append(f"Promises: {', '.join(late)}.")
    lists = (
        "<h3>What has been achieved</h3>"
        + (_list(achieved) if achieved else "<p>Nothing this quarter.</p>")
        + "<h3>What still needs attention</h3>"
        + (_list(attention) if attention else "<p>Nothing this quarter.</p>")
    )
    mine = set(measures["measure_id"])
    across = [c for c in public.comparisons if c.measure_id in mine]
    if across:
        lists += "<h3>Across the area</h3>" + "".join(
            format_area_comparison_words(c) for c in across
        )
    if "recorded_crime" in measures:
        crime = measures[measures["recorded_crime"].astype(bool)]
        fraud = crime.get("reported_to_action_fraud", pd.Series(False, index=crime.index))
        lists += format_recorded_crime_caveat(
            crime["measure_name"], crime.loc[fraud.astype(bool), "measure_name"]
        )
    rest = _format_the_rest(by_group)
    # In reading order (the chart at a glance, what was achieved, what needs attention, the
    # rest), set in two balanced columns on a wide screen by the template, so a mission
    # takes about a screen and the report six (tests/browser/test_layout.py); one column on
    # a narrow screen and in print.
    parts.append(f'<div class="mission-body">{chart}{lists}{rest}</div>')
    return "".join(parts)


def format_public_missions(public: PublicQuarter) -> str:
    """Return every mission's section of the public report, in the data set's order."""
    counts = count_public_groups(public)
    return "".join(
        format_public_mission(public, m, counts)
        for m in dict.fromkeys(public.measures["mission_id"])
    )


def format_public_quarter(dataset: Dataset, quarter: str, spc_rules: str = "mdc") -> str:
    """Return the public report's body: the summary, then each mission at a glance.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    quarter : str
        The quarter, such as ``"2026/27 Q2"``; a quarter beyond the data shows the
        latest quarter available (the header says so).
    spc_rules : str, default "mdc"
        The SPC rule set, which tells a real change from the usual ups and downs.

    Returns
    -------
    str
        :func:`format_public_summary` then :func:`format_public_missions`. Public
        measures only.
    """
    public = summarise_public_quarter(dataset, quarter, spc_rules)
    return format_public_summary(public) + format_public_missions(public)


def format_next_meetings(
    dataset: Dataset,
    slots: Iterable[Any],
    after: str | None = None,
    limit: int = 2,
    produced_at: str | None = None,
) -> str:
    """Say in a sentence which strategies the Board reviews at its next meetings.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set (for strategy names).
    slots : iterable of Slot
        Forward-plan slots with ``slot`` (``YYYY-MM``) and ``strategies`` (ids).
    after : str, optional
        Only meetings after this month (``YYYY-MM``).
    limit : int, default 2
        At most this many meetings.
    produced_at : str, optional
        When the report is produced (ISO-8601; empty means now). Given, a meeting in a
        month before the production month is never called "next": a page produced in
        December does not say the Board meets next in November.

    Returns
    -------
    str
        A paragraph.
    """
    names = dataset.strategies.set_index("strategy_id")["strategy_name"]
    cutoff = parse_month_param(after, "after") if after else None
    produced = produced_month(produced_at) if produced_at is not None else None
    chosen = []
    for s in sorted(slots, key=lambda s: str(s.slot)):
        month = parse_month_param(str(s.slot), "slot")
        if produced is not None and month < produced:
            continue
        if cutoff is None or month > cutoff:
            reviewed = list_words([str(names.get(i, i)) for i in dict.fromkeys(s.strategies)])
            chosen.append(f"in {month_words(month)} to review {reviewed}")
        if len(chosen) >= limit:
            break
    if not chosen:
        return (
            '<p class="next-meetings">No further meetings are in the Board\'s forward plan yet.</p>'
        )
    return (
        f'<p class="next-meetings">The Police and Crime Commissioner\'s '
        f"{esc(dataset.identity.board_name)} meets next {esc(list_words(chosen))}.</p>"
    )


def format_forward_plan(
    dataset: Dataset, slots: Iterable[Any], after: str | None = None, limit: int = 6
) -> str:
    """Return the board's forward plan's upcoming slots as an HTML table.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set (for strategy names).
    slots : iterable of Slot
        Forward-plan slots with ``slot`` (``YYYY-MM``), ``strategies`` (ids) and
        ``period_end``.
    after : str, optional
        Only slots after this month (``YYYY-MM``) are listed.
    limit : int, default 6
        At most this many slots.

    Returns
    -------
    str
        HTML table: meeting month, strategies, data period.
    """
    names = dataset.strategies.set_index("strategy_id")["strategy_name"]
    cutoff = parse_month_param(after, "after") if after else None
    chosen = []
    for s in sorted(slots, key=lambda s: str(s.slot)):
        month = parse_month_param(str(s.slot), "slot")
        if cutoff is not None and month <= cutoff:
            continue
        chosen.append((month, s))
        if len(chosen) >= limit:
            break
    if not chosen:
        return "<p>No further meetings are scheduled in the forward plan.</p>"
    rows = [
        [
            esc(month_words(month)),
            esc(", ".join(str(names.get(i, i)) for i in s.strategies)),
            esc(f"data to the end of {month_words(periods.parse_month(str(s.period_end)))}"),
        ]
        for month, s in chosen
    ]
    return build_table(
        ["Meeting", "Delivery strategies reviewed", "Data period"],
        rows,
        f"{dataset.identity.board_name} forward plan: the next meetings",
    )
