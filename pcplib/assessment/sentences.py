"""One plain-English sentence per measure, and a short assessment, from its judgements.

The sentence joins the like-for-like change, the SPC verdict and the target in one
statement that cannot contradict itself, because each clause is read off the same
judgement the table shows: "Up 3.0% on the same quarter last year (1,234 against
1,198), within normal variation; on track for the March 2029 target (expected 1,180
by now)."
"""

from __future__ import annotations

from typing import Any

from pcplib.assessment.caveats import MORE_REPORTING, is_reported_to_action_fraud
from pcplib.assessment.chance import describe_settled_miss, describe_within_target
from pcplib.assessment.change_chance import describe_unreliable_pass
from pcplib.assessment.changes import HALF_YEAR
from pcplib.assessment.harm import describe_grey_rule
from pcplib.assessment.public_targets import is_past_final_target
from pcplib.assessment.spc_words import (
    ASSURANCE_PHRASES,
    VARIATION_PHRASES,
    select_sign_phrases,
)
from pcplib.assessment.vocabulary import (
    describe_disagreement_tail,
    is_improvement_borne_out,
    name_chart_period,
    say_chance,
    say_continued_change,
    say_small_close,
)
from pcplib.labels import format_figure, format_figures, is_missing, month_words

__all__ = ["ASSESSMENTS", "assess_measure", "describe_target_assurance", "write_measure_sentence"]

ASSESSMENTS = (
    "needs attention",
    "improving",
    "on track",
    "stable",
    "no good direction",
    "not assessed",
)

# The SPC period is "the chart's reference period", never "its baseline" (that is the
# plan's baseline year): pcplib.assessment.vocabulary names each period once.
_SPC_CLAUSES = {c: p.clause for c, p in VARIATION_PHRASES.items()}


def _due_words(due: str) -> str:
    from pcplib import periods

    return month_words(periods.parse_month(due)) if due else ""


_EVIDENCE_WORDS = {
    "beyond chance": "a change beyond chance",
    "possible change": "possibly more than chance (weak evidence)",
    "within noise": "within the usual variation, so not a real change",
    "below materiality": "too small a change to matter",
    "small numbers": "small numbers, too few to tell a change from chance",
    "open outcomes": "but the latest months' outcomes are still open, so the fall may be "
    "the lag of outcomes, not a change",
}


def _evidence_words(row: dict[str, Any]) -> str:
    return _EVIDENCE_WORDS.get(str(row.get("change_evidence") or ""), "")


def _margin_clause(row: dict[str, Any]) -> str:
    margin = row.get("margin_of_error")
    if margin is None or (isinstance(margin, float) and margin != margin):
        return ""
    return f"the survey's margin of error is +/- {margin:.1f} points (95%)"


def _change_clause(row: dict[str, Any]) -> str:
    unit = row["unit"]
    basis = row["comparison_basis"]
    current, before = row["current"], row["comparison_value"]
    waiting = str(row.get("to_confirm") or "")
    labels = f"{row.get('current_label') or ''} {row.get('last_year_label') or ''}"
    if "to be confirmed" not in labels:
        waiting = ""  # the figures to confirm lie outside the quarters compared here
    if waiting and (current is None or before is None):
        # A figure far outside its history is not judged until someone confirms it.
        return f"A figure to be confirmed ({waiting}), so no change is judged until it is"
    if current is None:
        return "No figure for the reporting period"
    per = str(row.get("rate_per") or "")
    if before is None:
        return f"{format_figure(current, unit, per=per)}; no figure for the {basis} to compare with"
    # Printed together, so that two different figures never read alike ("3.4 against 3.4").
    shown, shown_before = format_figures([current, before], unit, per=per)
    sign = str(row.get("sign_words") or "")
    pair = f"({shown}{f', {sign},' if sign else ''} against {shown_before})"
    text = str(row["change"])
    if row["direction"] == "no change" or text.lstrip("+-") in ("0.0%", "0.0 pp"):
        left_out = f" (the figure for {waiting} is to be confirmed, so left out)" if waiting else ""
        small = f", {_EVIDENCE_WORDS['small numbers']}" if row.get("small_numbers") else ""
        return f"Unchanged on the {basis} {pair}{small}{left_out}"
    amount = text.lstrip("+-").replace(" pp", " percentage points")
    word = "Up" if row["direction"] == "up" else "Down"
    evidence = _evidence_words(row)
    if evidence and row.get("small_numbers") and row.get("change_evidence") == "possible change":
        evidence += ", on small numbers"  # weak evidence on an exact test of a handful
    tail = f", {evidence}" if evidence else ""
    if waiting:
        tail += f" (the figure for {waiting} is to be confirmed, so left out)"
    return f"{word} {amount} on the {basis} {pair}{tail}"


def _spc_clause(row: dict[str, Any]) -> str:
    status = row["spc_status"]
    if status == "not assessed":
        return ""
    if status == "unstable baseline":
        return "no SPC verdict, as no stable reference period could set the chart's limits"
    if status == "rolling figure":
        return "no SPC verdict, as a rolling 12-month figure overlaps the one before"
    if status == "year-to-date figure":
        return "no SPC verdict, as a year-to-date figure builds up through the year"
    if status != "assessed":
        return "too few points yet to tell a real change from chance"
    immaterial = row.get("spc_immaterial")
    clause = _SPC_CLAUSES.get(str(row["spc_variation"]), "")
    if not clause:
        return ""
    if row.get("rag_rule") == "harm_spc_unconfirmed":
        # A run, trend or two of three near a limit that the tests do not confirm is said
        # as what the chart shows, never "worse ... by more than chance" (review 9, R9-23).
        shape = str(row.get("spc_signal") or "") or "a run or trend"
        clause = (
            f"a signal of concern against {{period}}, from {shape} with no point outside the "
            "limits, that the tests of change do not confirm"
        )
    text = clause.format(period=name_chart_period(row["spc_limits_from"], row["spc_limits_to"]))
    if isinstance(immaterial, str) and immaterial:
        # A signal too small to call a change is said as the chart shows it, never
        # "within the normal variation" beside a point beyond the limits (review 10, R10-9).
        text = f"a {immaterial[0].lower()}{immaterial[1:]}"
    recent = str(row.get("spc_recent") or "")
    text = f"{text}, after {recent}" if recent else text
    tail = describe_disagreement_tail(row)
    if tail and row.get("rag_rule") == "harm_spc_unconfirmed":
        # What the tests found is the reason it is unconfirmed, not a contrast with it.
        return f"{text}: {tail.removeprefix('though ')}"
    return f"{text}, {tail}" if tail else text


def _figure_against(row: dict[str, Any], goal: str) -> str:
    """The figure a target was judged on, its period and the target: never the target alone.

    "(13,800,000 kWh in the 12 months to September 2026)" read as the year's use; the
    figure compared comes first, then the target (review 4, F6).
    """
    compared, scope = row.get("target_compared"), str(row.get("target_period_label") or "")
    if compared is None or is_missing(compared):
        return f"target {goal} {scope}".rstrip()
    shown = format_figure(compared, row["unit"], per=str(row.get("rate_per") or ""))
    return f"{shown} {scope} against a target of {goal}".replace("  ", " ")


def _close_words(row: dict[str, Any]) -> str:
    """The words for a target met but close (", though by less than ..."), else "".

    A figure on the right side of its target by less than chance allows is met
    (``rag_close``, :func:`~pcplib.assessment.targets.rate_measure`): said so, with its
    closeness, never as "within chance" nor under "needs attention".
    """
    if row.get("rag") != "Green" or str(row.get("rag_close")).strip().lower() not in ("true", "1"):
        return ""
    margin = row.get("margin_of_error")
    if margin is not None and not is_missing(margin):
        return ", though by less than the survey's margin of error"
    return ", though by less than the usual variation" + say_small_close(
        row, ", which is wide on numbers this small"
    )


def _target_clause(row: dict[str, Any]) -> str:
    good = row["good_direction"]
    if good == "neutral":
        return "no good direction set, so the change is reported as a trend, not judged"
    unit = row["unit"]
    per = str(row.get("rate_per") or "")
    basis, rating = row["rag_basis"], row["rag"]
    capped = bool(row.get("rag_capped"))
    met = rating == "Green" or capped
    unreliable = describe_unreliable_pass(row)
    amber = ", but rated Amber for the real deterioration" if capped else ""
    if unreliable:
        # Met, but its record says it usually misses: the record is the reason, said once.
        amber = f", {unreliable}"
    amber += _close_words(row)
    record = "" if unreliable else str(row.get("target_record") or "")
    if basis in ("target", "trajectory") and row.get("target_within_margin"):
        # Within chance of the target (or a survey's margin of error): neither called met
        # nor missed, whatever its basis (assessment.chance).
        goal = format_figure(row["target_for_period"], unit, per=per)
        within, shown = describe_within_target(row)
        word = "trajectory" if basis == "trajectory" else "target"
        return f"within {within} the {word} ({goal}), so {shown}"
    if basis == "target" and row.get("target_on_year"):
        goal = _figure_against(row, format_figure(row["target_for_period"], unit, per=per))
        ok = "met" if met else ("narrowly missed" if rating == "Amber" else "missed")
        return f"a seasonal measure, so judged on the year ending: target {ok} ({goal}){amber}"
    if basis == "trajectory":
        due = _due_words(row["target_date"])
        expected = format_figure(row["target_for_period"], unit, per=per)
        ok = "on track for" if met else "behind the trajectory to"
        lead = (
            "a seasonal measure, so judged on the year ending: "
            if row.get("target_on_year")
            else ""
        )
        if row.get("target_baseline_met"):
            return (
                f"{lead}{ok} the {due} target ({_figure_against(row, expected)}; the baseline "
                f"year already met it){amber}"
            )
        if met and is_past_final_target(row):
            final = format_figure(row["target_final"], unit, per=per)
            return f"{lead}{ok} the {due} target of {final}, and already beyond it{amber}"
        return f"{lead}{ok} the {due} target (expected {expected} by now){amber}"
    if basis == "target":
        goal = format_figure(row["target_for_period"], unit, per=per)
        history = f"; {record}" if record else ""
        if met:
            return f"target met ({goal}){amber}{history}"
        closeness = "narrowly missed" if rating == "Amber" else "missed"
        settled = describe_settled_miss(row, plain=False)
        if settled:
            # Within chance of it, but counted missed on its process (review 9, R9-9).
            return f"target {closeness} ({goal}): {settled}"
        return f"target {closeness} ({goal}){history}"
    if basis == "evidence":
        if row.get("target_final") is not None and row["current"] is None:
            return "no complete figure to compare with the target, so rated on the evidence"
        if rating == "Red":
            return _deterioration_clause(row, "Red")
        if rating == "Amber":
            if row.get("rag_rule") == "harm_spc_unconfirmed" and not row.get("rag_comparison"):
                # The chart's concern, which the tests do not confirm: never "a possible
                # rise" unless a test of change found one (assessment.harm).
                return (
                    "no target; rated Amber for an SPC concern the tests of change do not confirm"
                )
            return _deterioration_clause(row, "Amber")
        if row.get("rag_rule") == "tests_improvement":
            return _improvement_clause(row)
        return "no target, and no real deterioration"
    rule = row.get("rag_rule")
    if rule == "target_asks_nothing":
        return (
            f"target already met in the baseline year ({row.get('rag_comparison')}): it asks "
            "for no improvement, so not rated on it"
        )
    if rule == "small_numbers":
        return "no target, and too few events to tell a change from chance, so not rated"
    if rule == "outcomes_open" and row.get("target_for_period") is not None:
        # A share short of its target on months whose outcomes are still open has a
        # target: never "no target" (review 9, R9-20).
        goal = format_figure(row["target_for_period"], unit, per=per)
        return (
            f"short of its target ({goal}) while the latest months' outcomes are still "
            "open, so not rated until they settle"
        )
    if rule == "no_comparable_baseline":
        return f"no target; {describe_grey_rule(row)}"
    return "no target" if row["current"] is not None else ""


_IMPROVED_ON = {
    "the quarter on the same quarter a year earlier": ("change", "on the same quarter last year"),
    "the year ending on the year before": (
        "year_ending_change", "over the 12 months on the 12 months before",
    ),
    "the year ending on the baseline year": (
        "since_baseline_change", "since the plan's baseline year",
    ),
    HALF_YEAR: ("half_year_change", "over the two latest quarters on the same two a year earlier"),
}  # fmt: skip
"""For each comparison a ``tests_improvement`` rating can rest on (``rag_comparison``),
the column of its shown change and the comparison in words."""


def _improvement_clause(row: dict[str, Any]) -> str:
    """The basis of a Green with no target and no SPC verdict: the improvement that rated it.

    Such a measure is Green only for a real improvement on a test of change (the printed
    rule); "no real deterioration", the basis of a Green with a chart's verdict, would
    tell it Green for merely not getting worse, beside a Grey neighbour in the same
    position (review 17, R17-2: residential burglary, rated on its fall since the
    baseline year while its quarter was -0.3%).
    """
    column, words = _IMPROVED_ON.get(str(row.get("rag_comparison") or ""), ("", ""))
    if not words:
        return "no target; rated Green for a real improvement on a test of change"
    better = "rise" if row.get("good_direction") == "higher" else "fall"
    return _say_rated_for(row, "Green", better, column, words)


def _say_rated_for(row: dict[str, Any], rating: str, way: str, column: str, words: str) -> str:
    """Say a no-target rating on a comparison's change, a Green's and a Red's alike.

    "No target; rated Red for a real rise since the plan's baseline year (+4.7%, beyond
    chance)": the change as printed, and "counted in full, not tested" for a figure
    counted in full (never "real", which a reader takes for a test).
    """
    shown = _shown_change(row, column)
    counted = not say_chance(row)
    tail = "counted in full, not tested" if counted else "beyond chance"
    size = f" ({shown}, {tail})" if shown and shown.lower() != "nan" else ""
    real = "" if counted else "real "
    return f"no target; rated {rating} for a {real}{way} {words}{size}{_say_continued(row, column)}"


def _say_continued(row: dict[str, Any], column: str) -> str:
    """The words after a rating on the change since the baseline year that continues one.

    Said after a rating on the change since the plan's baseline year when the baseline
    year was already a real change the same way (``since_baseline_continues``), with
    that change and its test, so that no reader credits the plan with it: ", continuing
    a fall that began before the plan (-8.3% in the baseline year on the year before,
    beyond chance)"; "" otherwise.
    """
    continued = say_continued_change(row) if column == "since_baseline_change" else ""
    if not continued:
        return ""
    shown = _shown_change(row, "before_plan_change")
    tail = "counted in full, not tested" if not say_chance(row) else "beyond chance"
    size = f" ({shown} in the baseline year on the year before, {tail})" if shown else ""
    return f", {continued}{size}"


def _shown_change(row: dict[str, Any], column: str) -> str:
    """A comparison's change as the sentence prints it: points in words, never "pp"."""
    return str(row.get(column) or "").strip().replace(" pp", " percentage points")


def _deterioration_clause(row: dict[str, Any], rating: str) -> str:
    """The basis of a Red or Amber with no target: the comparison that rated it, if a test.

    "Rated Red for a real deterioration" beside a quarter that fell and a chart's run
    (Amber alone) left the reader to guess the test that made it Red; the comparison is
    named, as a Green's is (:func:`_improvement_clause`; review 18, R18-4): "rated Red for
    a real rise since the plan's baseline year (+4.7%, beyond chance)". A rating on the
    chart alone (``rag_comparison`` empty) keeps its general words.
    """
    worse = "fall" if row.get("good_direction") == "higher" else "rise"
    column, words = _IMPROVED_ON.get(str(row.get("rag_comparison") or ""), ("", ""))
    # A rise in reports to Action Fraud may be more reporting, as every other place that
    # rates it says (review 18, R18-11).
    reported = worse == "rise" and is_reported_to_action_fraud(row)
    reporting = f", {MORE_REPORTING}" if reported else ""
    if rating == "Amber":
        lead = f"no target; rated Amber for a possible {worse}"
        if row.get("rag_comparison") == HALF_YEAR:
            return f"{lead} {_say_two_quarters(row)}{reporting}"
        shown = _shown_change(row, column) if words else ""
        size = f" ({shown}, possibly more than chance)" if shown.lower() not in ("", "nan") else ""
        return f"{lead} {words}{size}{reporting}" if words else lead
    if not words:
        return "no target; rated Red for a real deterioration"
    return _say_rated_for(row, "Red", worse, column, words) + reporting


def _say_two_quarters(row: dict[str, Any]) -> str:
    """The two latest quarters against the same two a year earlier, as an Amber rests on them.

    "over the two latest quarters, April to September 2026 (202 against 153 a year
    earlier: +32.0%, possibly more than chance)": the months and figures named, since the
    sentence has quoted only the latest quarter's. Beyond chance over the two, but not in
    the latest alone, is said as such: not "possibly more than chance", which the two
    quarters' test is not (:func:`~pcplib.assessment.changes.weigh_worsening`).
    """
    unit, per = str(row.get("unit") or ""), str(row.get("rate_per") or "")
    now, then = format_figures([row.get("half_year"), row.get("half_year_before")], unit, per=per)
    real = row.get("half_year_judgement") == "deteriorated"
    tail = (
        "beyond chance, though not in the latest quarter alone"
        if real
        else ("possibly more than chance")
    )
    shown = _shown_change(row, "half_year_change")
    return (
        f"over the two latest quarters, {row.get('half_year_label')} ({now} against {then} "
        f"a year earlier: {shown}, {tail})"
    )


_ASSURANCE_TAILS = {c: p.tail for c, p in ASSURANCE_PHRASES.items()}


_RECORD_TAILS = {c: p.record_tail for c, p in ASSURANCE_PHRASES.items() if p.record_tail}
"""The assurance when the one-sided record decided it (``spc_assurance_basis`` "record",
:func:`~pcplib.assessment.spc_assurance.settle_assurance`): the limits are not the reason,
and a record is no forecast, so no "it will be met if nothing changes" (review 4, F12)."""


def describe_target_assurance(row: dict[str, Any]) -> str:
    """The target's record and what SPC expects of it, in words that match the count.

    Parameters
    ----------
    row : dict
        A measure's verdict: ``target_record``, ``spc_assurance``,
        ``spc_assurance_basis`` and ``target_process``.

    Returns
    -------
    str
        "Target met in 9 of 20 months; its limits straddle it, so it may be met or missed
        by chance"; "Target met in 2 of 26 quarters; ...; its limits straddle it, but that
        is less often than chance would give, so it will not be met reliably without a
        change" when the record's sign test shows the side; empty without a per-period
        record.
    """
    record = str(row.get("target_record") or "")
    if not record:
        return ""
    signed = select_sign_phrases(row)
    if signed is not None:
        # Limits that straddle it, but a record the sign test settles: the record, never
        # "by chance" (review 10, R10-15).
        return f"Target {record}; {signed.sign_tail}"
    tails = _RECORD_TAILS if row.get("spc_assurance_basis") == "record" else _ASSURANCE_TAILS
    tail = tails.get(str(row.get("spc_assurance") or ""), "")
    joint = ", " if tails is _RECORD_TAILS else "; "
    return f"Target {record}" + (f"{joint}{tail}" if tail else "")


def write_measure_sentence(row: dict[str, Any]) -> str:
    """Write the one sentence that sums up a measure's assessment.

    Parameters
    ----------
    row : dict
        A measure's judgements: ``unit``, ``good_direction``, ``current``,
        ``comparison_basis``, ``comparison_value``, ``change`` (text), ``direction``,
        ``spc_status``, ``spc_variation``, ``rag``, ``rag_basis``, ``rag_capped``,
        ``target_for_period`` and ``target_date``.

    Returns
    -------
    str
        For example "Up 3.0% on the same quarter last year (1,234 against 1,198),
        within the usual variation, so not a real change; within the normal variation of
        the chart's reference period (August 2023 to March 2025); no target, and no real
        deterioration."
    """
    parts = [_change_clause(row), _margin_clause(row), _spc_clause(row), _target_clause(row)]
    text = "; ".join(p for p in parts if p)
    return text + "."


def assess_measure(row: dict[str, Any]) -> str:
    """Return the measure's short assessment, one of :data:`ASSESSMENTS`.

    ``needs attention`` for a Red or Amber rating, an SPC concern in the period or a
    rise beyond chance; ``improving`` for an SPC improvement or a change for the better
    beyond chance (on a year earlier, over the year or since the plan's baseline year),
    with no deterioration and the main comparison (on a year earlier) not
    the wrong way (a mixed picture is not improving); ``on track`` for a target or trajectory met;
    ``stable`` for no evidence of change and no target, or a dated target the plan's
    baseline year already met (``target_baseline_met``: it asks for no improvement);
    ``no good direction`` for a measure reported as a trend; ``not assessed`` otherwise.
    A quarter's real improvement counts only when the 12 months bear it out
    (:func:`~pcplib.assessment.vocabulary.is_improvement_borne_out`).
    """
    if row["current"] is None:
        return "not assessed"
    if row["good_direction"] == "neutral":
        return "no good direction"
    if (
        row["rag"] in ("Red", "Amber")
        or row["spc_variation"] == "special_cause_concern"
        or row.get("worsening") == "real"
    ):
        return "needs attention"
    if row["rag"] == "Grey":
        # Not rated (no SPC verdict and no target: tests only): never "improving" nor
        # "stable" beside a Grey, whatever a level test of the series' own noise says.
        return "not assessed"
    # Every comparison the rating reads counts, the plan's baseline year too: a measure
    # rated Green on a real fall since the baseline year is improving, never "stable".
    year, since = row.get("year_ending_judgement"), row.get("since_baseline_judgement")
    # A quarter's real improvement counts only when the 12 months bear it out (F16).
    quarter = row["judgement"] == "improved" and is_improvement_borne_out(year, since)
    better = (
        row["spc_variation"] == "special_cause_improvement"
        or quarter
        or "improved" in (year, since)
    )
    worse_way = {"higher": "down", "lower": "up"}.get(str(row["good_direction"]))
    if better and row.get("direction") == worse_way:
        # Better than the chart's reference period but worse on the main comparison (a
        # year on): mixed,
        # never "improving" ("up 17.9% ... achieved" read as a contradiction).
        better = False
    if better:
        # A quarter that moved the wrong way within noise does not undo a real improvement
        # on the baseline; a real deterioration has already made it "needs attention".
        return "improving"
    if row["rag"] == "Green" and row["rag_basis"] in ("target", "trajectory"):
        if bool(row.get("target_baseline_met")) and not bool(row.get("rag_capped")):
            # A dated target the plan's baseline year already met asks for no
            # improvement: meeting it is no progress, so "stable", never "on track"
            # nor an achievement (review 5, N7). Still Green: the target is met.
            return "stable"
        return "on track"
    if row["rag"] == "Green":
        return "stable"
    return "not assessed"
