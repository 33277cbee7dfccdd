"""The annual evaluation as HTML: the summary and synthesis first, the full table as an annex."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from pcplib import periods
from pcplib.assessment.annual import COUNTED_TEST
from pcplib.assessment.change_chance import PUBLIC_SHIFT_WORDS, SHIFT_WORDS
from pcplib.assessment.chart_caveats import say_chart_no_signal
from pcplib.assessment.vocabulary import say_continued_change
from pcplib.labels import format_figures, is_missing, list_words, month_words, plural
from pcplib.report.html import arrow_cell, build_table, bullets, esc, with_note, wrap_table_rows
from pcplib.report.words import ANNUAL_TESTS_NOTE

ANNEX_ID = "technical-annex"
"""The id of the annual evaluation's technical annex, written for statisticians (the
tests, their verdicts, intervals and dispersions): the body before it, the every-measure
table too, is written for residents and the Panel in plain words (review 6 F20)."""

MEASURES_ID = "annex-every-measure"
"""The id of the annual evaluation's "Annex: every public measure" (plain words)."""


def spell_out_points(change: str) -> str:
    """Return a change with "pp" written out as "percentage points", for a public reader.

    Parameters
    ----------
    change : str
        A change as :mod:`pcplib.metrics` formats it (``"+3.4 pp"``, ``"-6.3%"``).

    Returns
    -------
    str
        ``"+3.4 percentage points"``; any other change unchanged.
    """
    return change[: -len(" pp")] + " percentage points" if change.endswith(" pp") else change


# Why a tested change is not evidence of change, in a resident's words (the evidence
# grade is the assessment's; the test and its threshold are in the technical annex).
_NO_EVIDENCE_WORDS = {
    "within noise": "within the measure's usual ups and downs",
    "below materiality": "too small a change to matter",
    "small numbers": "numbers too small to tell a change from chance",
}


def describe_year_outcome(r: Mapping[str, Any]) -> str:
    """A measure's year against its baseline year in plain words, from its outcome.

    Parameters
    ----------
    r : mapping
        A row of :func:`pcplib.assessment.annual.classify_year_changes` (``outcome``,
        ``evidence``, ``direction``, ``small_numbers``, ``finding``).

    Returns
    -------
    str
        Such as "Better by more than chance" or "No evidence of change: within the
        measure's usual ups and downs"; no test name, p-value or dispersion.
    """
    outcome = str(r["outcome"])
    continued = say_continued_change(r)
    if str(r.get("test")) == COUNTED_TEST:
        # Counted in full: a change is a change, with no chance to rule out.
        if outcome in ("better", "worse"):
            tail = f", {continued}" if continued else ""
            return f"{outcome.capitalize()}: counted in full, so a change that matters{tail}"
        if outcome == "no evidence of change":
            return "Too small a change to matter (counted in full)"
    if outcome in ("better", "worse"):
        # Never read as the plan's doing: a change under way before it began says so; and
        # a change the measure's chart does not show carries the chart's caveat (review
        # 21, R21-2; assessment.chart_caveats).
        caveat = say_chart_no_signal(r, chart=True)
        tail = "".join(f", {words}" for words in (continued, caveat) if words)
        return f"{outcome.capitalize()} by more than chance{tail}"
    if outcome == "changed, no good direction":
        return "Changed by more than chance (a trend, with no good direction)"
    if outcome == "possible change":
        rise = r["direction"] == "up"
        # Weak evidence on a handful of events says so (assessment.evidence).
        small = " on small numbers" if bool(r["small_numbers"]) else ""
        return f"A possible {'rise' if rise else 'fall'}{small}, not yet conclusive"
    if outcome == "no evidence of change":
        if r["evidence"] == "no change":
            return "No change: the two years' figures are equal"
        why = _NO_EVIDENCE_WORDS.get(str(r["evidence"]))
        return f"No evidence of change: {why}" if why else "No evidence of change"
    if outcome == "not tested":
        # The measure's own reason (review 7, F20), not a blanket "too few figures".
        why = str(r.get("no_test_reason") or "")
        return f"Not tested: {why or 'too few figures to judge the change against chance'}"
    # Not measurable: the finding says why in plain words (a changed definition, a year
    # with periods missing, the baseline year itself).
    return str(r["finding"])


def format_annual_evaluation(df: pd.DataFrame, year: str) -> str:
    """Return the annual evaluation's every-measure table in plain words.

    Parameters
    ----------
    df : pandas.DataFrame
        From :func:`pcplib.assessment.annual.classify_year_changes`.
    year : str
        The year evaluated.

    Returns
    -------
    str
        HTML: a count of the measures tested and changed by more than chance, then the
        table (measure, the two years, the change, what it says in words); the tests
        are in :func:`format_annual_technical_annex`.
    """
    tested, significant = int(df["tested"].sum()), int(df["beyond_chance"].sum())
    summary = (
        f"Of {len(df)} public measures, {tested} could be tested; "
        f"{significant} changed by more than chance between the baseline year and {year}."
    )
    link = f'How each was tested is in the <a href="#{ANNEX_ID}">technical annex</a>.'
    rows = []
    for r in df.to_dict("records"):
        unit = r["unit"]
        total = {"sum": " (year's total)", "last": " (at the year end)"}.get(
            r["aggregation"], " (average)"
        )
        per = str(r.get("rate_per") or "")
        baseline, current = format_figures([r["baseline"], r["current"]], unit, per=per)
        rows.append(
            [
                # The strategy under the measure's name, so the table fits an A4 page.
                with_note(esc(r["measure_name"]), r["strategy_name"]),
                with_note(
                    esc(baseline + ("" if is_missing(r["baseline"]) else total)), r["baseline_year"]
                ),
                with_note(esc(current + ("" if is_missing(r["current"]) else total)), year),
                arrow_cell(r["arrow"], spell_out_points(str(r["change"])), r["judgement"]),
                esc(describe_year_outcome(r)),
            ]
        )
    table = build_table(
        ["Measure and strategy", "Plan's baseline year", year, "Change", "In words"],
        rows,
        f"Public measures: {year} against the baseline year",
    )
    return f"<p>{esc(summary)} {link}</p>{table}"


def format_annual_technical_annex(df: pd.DataFrame, year: str) -> str:
    """Return the technical annex: each measure's test, verdict and finding, for statisticians.

    Parameters
    ----------
    df : pandas.DataFrame
        From :func:`pcplib.assessment.annual.classify_year_changes` (or
        :func:`~pcplib.assessment.annual.evaluate_year`).
    year : str
        The year evaluated.

    Returns
    -------
    str
        HTML: the heading "Technical annex: the tests" (id :data:`ANNEX_ID`), the method
        note, then a table (measure, test, verdict, finding with its p-value threshold,
        interval and dispersion).
    """
    rows = [
        [
            with_note(esc(r["measure_name"]), r["strategy_name"]),
            esc(r["test"]),
            esc(
                r["verdict"]
                or ("No test: counted in full" if r["test"] == COUNTED_TEST else "Not tested")
            ),
            esc(r["finding"]),
        ]
        for r in df.to_dict("records")
    ]
    table = build_table(
        ["Measure and strategy", "Test", "Test verdict", "Finding"],
        rows,
        f"Public measures: the test of {year} against the baseline year",
    )
    return (
        f'<h2 id="{ANNEX_ID}">Technical annex: the tests</h2>'
        "<p>Written for statisticians: the test each measure's change was given, its "
        "verdict, and the figures behind it (p-value thresholds, intervals, dispersion). "
        "The words above say the same in plain English.</p>"
        f"<p>{esc(ANNUAL_TESTS_NOTE)}</p>{table}"
    )


_YEAR_BASIS = {"sum": "year's total", "last": "at the year end"}


def _close_words(r: Mapping[str, Any]) -> str:
    """The words for a target met (or on course) but close, else "".

    The rule every report uses (:mod:`pcplib.assessment.chance`): on the right side of
    the target by less than chance allows, it is met, and said to be close.
    """
    if is_missing(r.get("close")) or not bool(r.get("close")):
        return ""
    if not is_missing(r.get("margin")):
        return (
            f", though by less than the survey's margin of error (plus or minus "
            f"{float(r['margin']):.1f} percentage points)"
        )
    return ", though by less than the usual ups and downs"


def _allowance_words(r: Mapping[str, Any]) -> str:
    """The year's allowance for chance in plain words: a survey's margin, else ups and downs."""
    if not is_missing(r.get("margin")):
        return (
            f"the survey's margin of error (plus or minus {float(r['margin']):.1f} percentage "
            "points)"
        )
    return "the usual ups and downs"


def _process_words(r: Mapping[str, Any]) -> str:
    """Why the process settles a figure within chance of its target, in plain words.

    The record up to the year's end, as the quarterly report of the quarter that closes
    the year counts it, or that report's chart limits (``process_by``); no test name
    nor p-value (those are in the quarterly report's reason).
    """
    when = month_words(str(r["record_end"])) if r.get("record_end") else "the year's end"
    missed = r.get("process") == "missed"
    if r.get("process_by") == "limits":
        side = "short of" if missed else "on the right side of"
        return f"its usual range up to {when} (its chart's limits) lies wholly {side} it"
    often = "misses" if missed else "meets"
    return f"its record up to {when} shows it {often} it more often than chance would"


def _record_tail(r: Mapping[str, Any]) -> str:
    """The record itself, closing a settled result (": met in 1 of 24 quarters"), or "".

    The chart's limits have no record to tell: "" for a result they settled.
    """
    if r.get("process_by") == "limits" or not r.get("record"):
        return ""
    return f": {_record_words(r)}"


def _record_words(r: Mapping[str, Any]) -> str:
    """The record as a clause: "missed in every year (6 of 6) since ...", never a second colon.

    A one-sided record reads "consistently missed: every year (6 of 6) since the year to
    March 2021" in the quarterly tables; after "counted as missed:" it reads as a clause,
    from the record's side and span (:class:`~pcplib.assessment.target_record.RecordWords`).
    """
    span, side = str(r.get("record_span") or ""), str(r.get("record_side") or "")
    words = f"{side} in {span}" if span and side else str(r["record"])
    # Residents and the Panel read this page without the chart: a change of level, not
    # "the shift", as the public quarterly says it (review 15, R15-3).
    return words.replace(SHIFT_WORDS, PUBLIC_SHIFT_WORDS)


def _undecided_tail(r: Mapping[str, Any]) -> str:
    """The record beside a result too close to tell, as a fact, and why it does not settle it.

    "; met in 7 of 14 months since its level changed in February 2025" (a record that
    shows no side; the chart's "shift" is told to residents as a change of level), or
    "; met in 1 of 24 quarters, but the survey asks the same panel of people each wave,
    ..." (a record that is not separate evidence,
    :func:`~pcplib.assessment.target_record.describe_untested_record`).
    """
    record = str(r.get("record") or "")
    if not record or is_missing(r.get("record")):
        return ""
    untested = str(r.get("record_untested") or "")
    return f"; {_record_words(r)}" + (f", but {untested}" if untested else "")


def _describe_target_result(r: Mapping[str, Any]) -> str:
    """A target's result for the year in plain words (the outcome is the assessment's)."""
    outcome = r["outcome"]
    close = _close_words(r)
    settled = not is_missing(r.get("settled")) and bool(r.get("settled"))
    if outcome == "met":
        if settled:
            return (
                f"Met: by less than {_allowance_words(r)}, but {_process_words(r)}{_record_tail(r)}"
            )
        before = ""
        if not is_missing(r.get("met_before")) and bool(r.get("met_before")):
            # Review 22, R22-6: a standard the baseline year already kept, not the plan's
            # doing; judged on the same basis as the year (its total, average or end).
            before = ", as it already was in the baseline year"
        return f"Met{before}{close}"
    if outcome == "missed":
        if settled:
            return (
                f"Missed: short of it by less than {_allowance_words(r)}, but "
                f"{_process_words(r)}, so it is counted as missed{_record_tail(r)}"
            )
        return "Missed"
    if outcome == "not shown to be met":
        return (
            f"Not shown to be met: it meets it by less than {_allowance_words(r)}, and "
            f"{_process_words(r)}{_record_tail(r)}"
        )
    if outcome == "within the margin of error":
        return (
            f"Too close to tell: short of it by less than the survey's margin of error (plus "
            f"or minus {float(r['margin']):.1f} percentage points), so neither met nor "
            f"missed{_undecided_tail(r)}"
        )
    if outcome == "within chance":
        return (
            "Too close to tell: short of it by less than the usual ups and downs, so neither "
            f"met nor missed{_undecided_tail(r)}"
        )
    due = month_words(r["target_date"]) if r["target_date"] else ""
    final = format_figures([r["target_final"]], r["unit"], per=str(r.get("rate_per") or ""))[0]
    # A count's target is stated per month or quarter: say so, never a bare figure that
    # reads as the year's.
    if r["aggregation"] == "sum":
        per_period = {"monthly": " a month", "quarterly": " a quarter"}
        final += per_period.get(str(r.get("frequency")), "")
    if outcome == "asks for no improvement":
        return (
            f"Not judged: the baseline year already met its target of {final} by {due}, so "
            "the target asks for no improvement"
        )
    if outcome == "on course":
        return f"On course for {final} by {due}{close}"
    if outcome == "behind":
        if settled:
            return (
                f"Behind the course to {final} by {due}: short of it by less than "
                f"{_allowance_words(r)}, but {_process_words(r)}{_record_tail(r)}"
            )
        return f"Behind the course to {final} by {due}"
    return "No figure for the whole year, so not judged"


ANNUAL_METHOD_NOTE = (
    "This evaluation compares each public measure's financial year with the plan's "
    "baseline year, like for like, and checks each change against chance as the annex "
    "says (a figure counted in full, such as a headcount or money, by its size alone); "
    "each target is judged by the rule above the targets table, the rule the "
    "quarterly reports use. It gives no Green, Amber or Red ratings, no strategy ratings "
    "and no projected delivery: those are the quarterly reports' judgements of a quarter, "
    "not of a year."
)
"""The annual evaluation's method note, in place of the quarterly reports'
(:data:`~pcplib.report.words.METHOD_NOTE`), whose quarter-on-quarter comparisons,
ratings and projected delivery the evaluation does not make (review 9, R9-13)."""


def describe_annual_target_rule(year: str) -> str:
    """The rule the targets table follows, in plain words, as the code applies it.

    Every kind of figure is named: a survey's margin of error, any other figure's own
    ups and downs, and the figures the force sets or counts exactly (met or missed
    exactly); and how the record up to the year's end settles a figure within chance,
    as the quarterly report of the quarter that closes the year settles it
    (:func:`pcplib.assessment.year_targets.judge_year_targets`).

    Parameters
    ----------
    year : str
        The year evaluated, such as ``"2025/26"``.

    Returns
    -------
    str
        One paragraph of plain text (not escaped).
    """
    end = month_words(str(periods.months_in_financial_year(year)[-1]))
    return (
        f"Each public measure with a target: its figure for {year} (the year's total, its "
        "average, or its figure at the year end, as the table says) against its target for "
        "the year. As in the quarterly reports, every figure has an allowance for chance "
        "(95%): a survey's margin of error, or for any other figure the usual ups and downs "
        "of its own past figures. Only figures the force sets or counts in full itself "
        "(such as opening hours, officer numbers and money in its accounts) have none: they "
        "meet or miss a target exactly. A figure beyond its allowance meets or misses the "
        "target. One on the right side of it by less than the allowance is met, though by "
        "less than the usual ups and downs; one short of it by less than the allowance is "
        "too close to tell, neither met nor missed. In both cases the target's record up to "
        f"{end}, counted as the quarterly report for the quarter to {end} counts it (from "
        "the latest lasting change its chart shows; for a rolling 12-month figure one "
        "figure a year, as its quarters overlap; never for a panel survey, which asks the "
        "same people each time), decides where it shows which side the measure usually "
        "falls: if the measure misses its "
        "target more often than chance would (or its chart's usual range lies wholly short "
        "of it), a narrow shortfall is counted as missed and a narrow pass is not shown to "
        "be met; if it meets it more often, a narrow pass is simply met. A target with a "
        "later date is judged on the straight-line course towards it (on course or "
        "behind), and one the baseline year already met is not judged. The year's figure "
        "is not the latest quarter's, so a result here can differ from that quarter's "
        "report."
    )


def format_annual_targets(df: pd.DataFrame, year: str) -> str:
    """Return whether each targeted public measure met its target in the year.

    Parameters
    ----------
    df : pandas.DataFrame
        From :func:`pcplib.assessment.year_targets.judge_year_targets`.
    year : str
        The year evaluated.

    Returns
    -------
    str
        HTML: a sentence counting each result, then a compact table (measure, the
        target for the year, the year's figure, the result in words); a sentence
        alone when no public measure has a target.
    """
    if df.empty:
        return "<p>No public measure has a target, so none is judged against one.</p>"
    counts = df["outcome"].value_counts()
    closes = df["close"] if "close" in df.columns else pd.Series(False, index=df.index)
    settles = df["settled"] if "settled" in df.columns else pd.Series(False, index=df.index)
    narrow = int(((df["outcome"] == "met") & closes.eq(True)).sum())
    notes = []
    if narrow:
        notes.append(f"{narrow} by less than the usual ups and downs")
    kept = df["met_before"].eq(True) if "met_before" in df.columns else pd.Series(False)
    if int(kept.sum()):
        notes.append(f"{int(kept.sum())} already met in the baseline year")
    narrowly = f" ({'; '.join(notes)})" if notes else ""
    on_record = int(((df["outcome"] == "missed") & settles.eq(True)).sum())
    recorded = (
        f" ({on_record} of them short by less than chance allows, but counted as missed on "
        "the target's record)"
        if on_record
        else ""
    )
    parts = [
        f"{counts.get('met', 0)} met it{narrowly}",
        f"{counts.get('missed', 0)} missed it{recorded}",
    ]
    unshown = int(counts.get("not shown to be met", 0))
    if unshown:
        parts.append(
            f"{unshown} not shown to be met (met by less than chance allows, on a record of misses)"
        )
    undecided = int(counts.get("within the margin of error", 0) + counts.get("within chance", 0))
    if undecided:
        parts.append(
            f"{undecided} too close to tell (short of it by less than a survey's margin of "
            "error or the usual ups and downs)"
        )
    later = int(counts.get("on course", 0) + counts.get("behind", 0))
    if later:
        parts.append(f"{later} with a later date ({_describe_later(counts, later)})")
    if counts.get("asks for no improvement", 0):
        parts.append(
            f"{counts['asks for no improvement']} whose target the baseline year already met "
            "(it asks for no improvement, so it is not judged)"
        )
    if counts.get("", 0):
        parts.append(f"{counts['']} without a whole year of figures")
    summary = f"In {year}, of {len(df)} public measures with a target, {list_words(parts)}."
    rule = f"<p>{esc(describe_annual_target_rule(year))}</p>"
    rows = []
    for r in df.to_dict("records"):
        per = str(r.get("rate_per") or "")
        target, current = format_figures([r["target"], r["current"]], r["unit"], per=per)
        basis = _YEAR_BASIS.get(r["aggregation"], "average")
        target_words = target if is_missing(r["target"]) else f"{target} ({basis})"
        if r["basis"] == "course" and not is_missing(r["target"]):
            target_words = f"{target} ({basis}, on the course to its date)"
        rows.append(
            [
                with_note(esc(r["measure_name"]), r["strategy_name"]),
                esc(target_words),
                esc(current),
                esc(_describe_target_result(r)),
            ]
        )
    table = build_table(
        ["Measure and strategy", "Target for the year", year, "Result"],
        rows,
        f"Public measures with a target: {year} against it",
    )
    return f"{rule}<p>{esc(summary)}</p>{table}"


# The synthesis table's columns: each outcome, with "not tested" and "not measurable"
# shown together so that the table fits an A4 page (the summary gives them apart).
_COUNT_COLUMNS = (
    ("Better", ("better",)),
    ("Worse", ("worse",)),
    ("Changed, no good direction", ("changed, no good direction",)),
    ("Possible change, not yet conclusive", ("possible change",)),
    ("No evidence of change", ("no evidence of change",)),
    ("Not tested or compared", ("not tested", "not measurable")),
)


_CHANGED = ("better", "worse", "changed, no good direction")
"""The outcomes of a change beyond chance, or, counted in full, large enough to matter."""


def _describe_later(counts: pd.Series, later: int) -> str:
    """How the targets with a later date stand: "both on course", "1 on course, 1 behind".

    In brackets, as the count's other items give their detail: "2 with a later date: 2 on
    course and 0 behind and 1 whose target ..." read as three items under the two
    (review 17, R17-6).
    """
    ahead, behind = int(counts.get("on course", 0)), int(counts.get("behind", 0))
    if ahead and behind:
        return f"{ahead} on course, {behind} behind"
    how = "on course" if ahead else "behind"
    return how if later == 1 else f"{'both' if later == 2 else 'all'} {how}"


def format_annual_summary(
    by_mission: pd.DataFrame, classified: pd.DataFrame, year: str, status_month: str = ""
) -> str:
    """Return the evaluation's lead: what changed beyond chance, which way, and what was delivered.

    Parameters
    ----------
    by_mission : pandas.DataFrame
        From :func:`pcplib.assessment.annual.summarise_year_by_mission` (its ``all`` row
        is the whole plan).
    classified : pandas.DataFrame
        From :func:`pcplib.assessment.annual.classify_year_changes`.
    year : str
        The year evaluated.
    status_month : str, optional
        ``YYYY-MM``, the month the commitments' status is read at
        (:func:`pcplib.assessment.annual.find_commitments_status_month`).

    Returns
    -------
    str
        HTML: a paragraph of counts (better, worse, changed with no good direction, no
        change beyond chance, not tested) and the commitments due in the year that are
        complete now (with no completion date, never "delivered on time"), then
        the measures that got better and worse by more than chance, by name.
    """
    plan = by_mission[by_mission["mission_id"] == "all"].iloc[0]
    # The commitments file keeps the latest status and no completion date: a commitment
    # finished after the year's end counts as complete too (review 6 F12).
    as_at = f"status as reported at {month_words(status_month)}; " if status_month else ""
    changed = int(plan["better"] + plan["worse"] + plan["changed, no good direction"])
    counted = classified.get("test", pd.Series(dtype=str)).eq(COUNTED_TEST)
    # A figure counted in full (opening hours, headcounts, money) has no chance to rule
    # out: its change counts when it is large enough to matter, and is said so.
    exact = (
        ", or, for figures counted in full, by enough to matter"
        if bool((counted & classified["outcome"].isin(_CHANGED)).any())
        else ""
    )
    lead = (
        f"In {year}, against the baseline year, {changed} of the plan's "
        f"{plural(int(plan['measures']), 'public measure')} changed by more than "
        f"chance{exact}: "
        f"{plan['better']} for the better, {plan['worse']} for the worse and "
        f"{plan['changed, no good direction']} with no good direction (reported as trends). "
        f"{plan['possible change']} showed a possible change, not yet conclusive, "
        f"{plan['no evidence of change']} no evidence of change, {plan['not tested']} "
        f"could not be tested and {plan['not measurable']} could not be compared. "
        f"{plan['delivered']} of the {plural(int(plan['due']), 'commitment')} due by "
        f"{month_words(str(periods.months_in_financial_year(year)[-1]))} are now complete "
        f"({as_at}whether on time is not recorded); the plan has {plan['commitments']} "
        "in all."
    )
    parts = [f'<div class="reader-summary"><p>{esc(lead)}</p>']
    for outcome, heading in (
        ("better", "Better by more than chance"),
        ("worse", "Worse by more than chance"),
        ("changed, no good direction", "Changed by more than chance, with no good direction"),
        ("possible change", "Possibly changed, not yet conclusive"),
    ):
        rows = classified[classified["outcome"] == outcome]
        if rows.empty:
            continue
        # Each list names its period ("2025/26 against 2024/25"), so that the public
        # report's 12 months to a quarter, against the same baseline year, never read as a
        # second verdict on the same period (docs/methodology.md, "Every period is named").
        bases = sorted({str(b) for b in rows.get("baseline_year", pd.Series(dtype=str)) if b})
        items = [
            f"{r['measure_name']} ({r['strategy_name']}): {spell_out_points(str(r['change']))}"
            + (f" (against {r['baseline_year']})" if len(bases) > 1 else "")
            + (", counted in full" if r.get("test") == COUNTED_TEST else "")
            + (f", {say_continued_change(r)}" if say_continued_change(r) else "")
            + (f", {say_chart_no_signal(r, chart=True)}" if say_chart_no_signal(r) else "")
            for r in rows.to_dict("records")
        ]
        if outcome in _CHANGED and (rows.get("test", pd.Series(dtype=str)) == COUNTED_TEST).any():
            heading += ", or counted in full"
        when = (
            f"{year} against {bases[0]}"
            if len(bases) == 1
            else f"{year} against each baseline year"
        )
        parts.append(f"<h3>{esc(heading)}, {esc(when)} ({len(items)})</h3>{bullets(items)}")
    parts.append("</div>")
    return "".join(parts)


def format_annual_synthesis(by_strategy: pd.DataFrame, by_mission: pd.DataFrame, year: str) -> str:
    """Return the evaluation by mission and strategy: outcomes beside commitments delivered.

    Parameters
    ----------
    by_strategy : pandas.DataFrame
        From :func:`pcplib.assessment.annual.summarise_year_by_strategy`.
    by_mission : pandas.DataFrame
        From :func:`pcplib.assessment.annual.summarise_year_by_mission`.
    year : str
        The year evaluated.

    Returns
    -------
    str
        HTML: one table, each mission's row (in bold) followed by its strategies', then
        the whole plan: the count of measures better, worse, changed with no good
        direction, with no change beyond chance, not tested and not measurable, and the
        commitments delivered against those due by the year's end.
    """
    head = [
        "Mission and strategy",
        *(heading for heading, _ in _COUNT_COLUMNS),
        "Commitments delivered of due",
    ]

    def cells(r: dict, strong: bool) -> str:
        wrap = (lambda t: f"<strong>{t}</strong>") if strong else (lambda t: t)
        counts = "".join(
            f'<td class="num">{wrap(sum(int(r[o]) for o in outcomes))}</td>'
            for _, outcomes in _COUNT_COLUMNS
        )
        delivered = wrap(f"{int(r['delivered'])} of {int(r['due'])}")
        return f'{counts}<td class="num">{delivered}</td>'

    body = []
    for mission in by_mission.to_dict("records"):
        if mission["mission_id"] == "all":
            continue
        body.append(
            f'<tr><th scope="row"><strong>{esc(mission["mission_name"])}</strong></th>'
            f"{cells(mission, True)}</tr>"
        )
        for r in by_strategy[by_strategy["mission_id"] == mission["mission_id"]].to_dict("records"):
            body.append(
                f'<tr><th scope="row" class="sub-row">{esc(r["strategy_name"])}</th>'
                f"{cells(r, False)}</tr>"
            )
    plan = by_mission[by_mission["mission_id"] == "all"].iloc[0].to_dict()
    body.append(f'<tr><th scope="row"><strong>The whole plan</strong></th>{cells(plan, True)}</tr>')
    # The headers wrap (a numeric header would not), so the table fits the page.
    return wrap_table_rows(head, body, f"Outcomes and commitments by mission and strategy, {year}")


def format_evidence_limits(limits: list[str]) -> str:
    """Return what the evidence cannot say as a list (escaped)."""
    return bullets(limits)


def describe_theory_of_change(by_strategy: pd.DataFrame, chance: tuple[int, int, int]) -> str:
    """Return what the evaluation can say of delivery and outcomes together, without attributing.

    Chance comes first: a strategy's outcomes often rest on one or two of many tests,
    and some of those are "beyond chance" by chance alone. The strategies' delivery beside
    their outcomes is the synthesis table's; this paragraph credits or blames no strategy
    for a measure's change (review 6 F13).

    Parameters
    ----------
    by_strategy : pandas.DataFrame
        From :func:`pcplib.assessment.annual.summarise_year_by_strategy`.
    chance : tuple of int
        From :func:`pcplib.assessment.annual.count_chance_findings`: the measures tested,
        how many would show a change beyond chance by chance alone and how many more a
        possible change.

    Returns
    -------
    str
        HTML: one paragraph: the chance caveat, what the theory of change expects and
        why a comparison of two years cannot show it, then the strategies with
        commitments due by the year's end that are not complete now.
    """
    tested, expected, possible = chance
    short = list(by_strategy.loc[by_strategy["delivered"] < by_strategy["due"], "strategy_name"])
    parts = [
        f"First, chance: {tested} measures were tested, so about {expected} could show a "
        f"change beyond chance, and about {possible} more a possible change, by chance alone; "
        "most strategies have only a few measures. "
        "One measure's change, better or worse, says little about a strategy on its own.",
        "The plan's delivery strategies are built on a theory of change: each strategy's "
        "commitments are what it does, and its measures are the outcomes that work is "
        "expected to move. The table above sets each strategy's commitments beside its "
        "outcomes; it does not show that the work caused a measure to get better, nor that "
        "it failed where one got worse: a comparison of two years has no comparison group, "
        "outcomes can take more than a year to move, and other causes are at work.",
    ]
    if short:
        parts.append(
            f"Strategies with commitments due that are not complete now: {list_words(short)}."
        )
    return f"<p>{esc(' '.join(parts))}</p>"
