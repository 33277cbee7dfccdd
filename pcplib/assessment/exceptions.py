"""What needs the Board's attention, and what improved: a strategy's exceptions.

The board that reviews delivery decides what needs attention (seed 002), so a strategy
report opens with its exceptions, computed here once from the judgements the tables
show and only formatted by :mod:`pcplib.report.summary`:

- **measures** whose short ``assessment`` is *needs attention*: a special-cause concern
  (SPC), a target missed or a trajectory fallen behind (``rag`` Red or Amber, with its
  ``rag_basis``);
- **commitments** off track, at risk, or overdue (due by the end of the reporting period
  and not complete), as :func:`~pcplib.assessment.strategy.assess_delivery` counts them;
- **actions overdue**: actions the Board agreed that are neither done nor dropped and
  were due before the meeting (:mod:`pcplib.assessment.actions`); the Board's only, like
  risks;
- **high risks**, when the data set holds a risks table (``dataset.risks``, with
  ``likelihood`` and ``impact`` scored 1 to 5): a risk scoring at least
  :data:`HIGH_RISK_SCORE` (likelihood × impact) in the reporting quarter, whatever it
  scored before: Red and called new only when the strategy's return for the quarter
  before is on file and shows it below that or not listed
  (:func:`~pcplib.assessment.risks.list_high_risks`); Amber and "also high in" that
  quarter when the return scored it high too; without the return, Amber and "no earlier
  score on file". Risks are for the Board only, never in a public report.

What improved is the measures whose assessment is *improving* (a special-cause
improvement not contradicted by a deterioration on a year earlier) or *on track* (a
target or trajectory met), the same lists the public report reads, so the two never
disagree on a verdict; but a target met only within its usual variation, with nothing
else better, is no improvement and is not listed (review 10, R10-4), where the public
report's "Achieved" key says "met its target (if only just)". A figure counted in full
met while its record shows it usually missed is Amber, met but not reliably
(:func:`~pcplib.assessment.change_chance.describe_unreliable_pass`), so it needs
attention and is never listed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import periods
from pcplib.assessment.actions import list_overdue_actions
from pcplib.assessment.caveats import POSSIBLE_RISE_IN_REPORTS, RISE_IN_REPORTS, is_rise_in_reports
from pcplib.assessment.chance import describe_settled_miss, describe_within_target
from pcplib.assessment.change_chance import describe_unreliable_pass, is_within_usual_range
from pcplib.assessment.harm import describe_grey_rule, describe_spc_unconfirmed
from pcplib.assessment.risks import NEW, describe_high_risk, list_high_risks
from pcplib.assessment.scope import (
    parse_month_param,
    strategy_commitments,
    withhold_restricted_text,
)
from pcplib.assessment.targets import NO_SPC_VERDICT_RULES
from pcplib.assessment.thresholds import HIGH_RISK_SCORE
from pcplib.assessment.vocabulary import (
    COUNTED_IN_FULL,
    describe_counted_change,
    describe_disagreement_tail,
    name_chart_period,
    say_chance,
    say_continued_change,
    say_small_close,
)
from pcplib.labels import date_words, format_figures, is_missing, month_words
from pcplib.records import list_records

if TYPE_CHECKING:
    from pcplib.assessment.strategy import StrategySummary
    from pcplib.data import Dataset

__all__ = [
    "EXCEPTION_COLUMNS",
    "EXCEPTION_KINDS",
    "HIGH_RISK_SCORE",
    "describe_rating_plainly",
    "list_exceptions",
    "list_improvements",
]


EXCEPTION_KINDS = ("measure", "commitment", "action", "risk")
EXCEPTION_COLUMNS = ["kind", "item_id", "name", "reason", "detail", "rag", "tier", "severity"]
"""Columns of :func:`list_exceptions` and :func:`list_improvements`. ``severity`` orders the
rows (lower first): Red measures, Amber measures, commitments off track or overdue and
actions overdue, commitments at risk, then high risks."""

_RAG_SEVERITY = {"Red": 0, "Amber": 1}
_COMMITMENT_SEVERITY = {"off track": 2, "overdue": 2, "at risk": 3}
_RISK_SEVERITY = 4
_ACTION_SEVERITY = 2


def _action_exceptions(actions: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of exceptions for overdue Board actions (``list_overdue_actions``'s rows)."""
    rows = []
    for a in actions.to_dict("records"):
        agreed = month_words(periods.parse_month(str(a["agreed_at"])))
        owner = "" if is_missing(a.get("owner")) else str(a["owner"])
        rows.append(
            {
                "kind": "action",
                "item_id": str(a.get("action_id", "")),
                "name": str(a["action"]),
                "reason": (
                    f"overdue: agreed at the Board of {agreed}, due {date_words(a['due_date'])} "
                    f"and {str(a['status']).strip().lower()}"
                ),
                "detail": f"Owner: {owner}" if owner else "",
                "rag": "Red",
                "tier": "",
                "severity": _ACTION_SEVERITY,
            }
        )
    return rows


def _target_words(row: Mapping[str, Any]) -> str:
    """Why a targeted measure is off: the figure against the target or trajectory."""
    unit = str(row["unit"])
    per = str(row.get("rate_per") or "")
    # The figure the target was judged on: the year ending's for a seasonal measure.
    compared = row.get("target_compared")
    compared = row["current"] if compared is None or compared != compared else compared
    current, goal = format_figures([compared, row["target_for_period"]], unit, per=per)
    unreliable = describe_unreliable_pass(row)
    if unreliable:
        # Met this quarter, but its record says it usually misses: never "narrowly missed".
        word = "on track for its trajectory" if row["rag_basis"] == "trajectory" else "target met"
        return f"{word} ({current} against {goal}), {unreliable}"
    if row.get("target_within_margin"):
        within, _ = describe_within_target(row)
        if within != "chance of":
            return f"within the survey's margin of error of the target ({current} against {goal})"
        word = "trajectory" if row["rag_basis"] == "trajectory" else "target"
        return f"within chance of its {word} ({current} against {goal})"
    if row["rag_basis"] == "trajectory":
        due = str(row.get("target_date") or "")
        when = f" to the {month_words(periods.parse_month(due))} target" if due else ""
        closeness = "slightly behind" if row["rag"] == "Amber" else "behind"
        return f"{closeness} its trajectory{when} ({current} against {goal} expected by now)"
    closeness = "target narrowly missed" if row["rag"] == "Amber" else "target missed"
    return f"{closeness} ({current} against {goal})"


def _disagreeing(row: Mapping[str, Any]) -> str:
    """A clause saying the test on the plan's baseline year differs, or ``""``."""
    tail = describe_disagreement_tail(row)
    return f", {tail}" if tail else ""


def _held_back(row: Mapping[str, Any], public: bool = False) -> str:
    """Why a measure with an SPC signal of improvement is not assessed as improving."""
    unit = str(row["unit"])
    if row["assessment"] == "needs attention":
        # The rule and its test are the Board's; the public get the rating in words.
        why = describe_rating_plainly(row) if public else row.get("rag_reason")
        return f"it needs attention (rated {row['rag']}: {why or 'see its row'})"
    worse = {"higher": "down", "lower": "up"}.get(str(row.get("good_direction")))
    if row.get("direction") == worse and not is_missing(row.get("last_year")):
        now, then = format_figures([row["current"], row["last_year"]], unit)
        way = "up" if worse == "up" else "down"
        return f"{way} {str(row['change']).lstrip('+-')} on a year ago ({now} against {then})"
    return "the tests of change do not show it"


def _improved_basis(row: Mapping[str, Any]) -> str:
    """Which comparison shows a measure's real improvement, in the order they are read.

    A measure counted in full (administrative) has no chance to rule out: its
    improvement is told without "by more than chance" (:func:`say_chance`).
    """
    if row.get("judgement") == "improved":
        return f"better than a year earlier{say_chance(row)}"
    if row.get("year_ending_judgement") == "improved":
        beyond = say_chance(row, ", by more than chance")
        return f"better over the 12 months than the 12 months before{beyond}"
    # A fall (or rise) already under way before the plan is not credited to it.
    continued = say_continued_change(row)
    tail = f", {continued}" if continued else ""
    return f"better than the plan's baseline year{say_chance(row)}{tail}"


def _improved_reason(row: Mapping[str, Any]) -> str:
    """Why a measure improving with no chart signal is listed as improved, in words.

    A measure counted in full (administrative) has no test of chance, so its change is
    told by its size and said to be untested, never "a real improvement", the words kept
    for a change beyond chance (review 13: savings "a real improvement" on an untested
    +4.0%, within their usual quarter-to-quarter swings).
    """
    basis = _improved_basis(row)
    if say_chance(row):
        return f"a real improvement: {basis}"
    if row.get("judgement") == "improved":
        comparison = "quarter"
    elif row.get("year_ending_judgement") == "improved":
        comparison = "year_ending"
    else:
        comparison = "baseline"
    counted = describe_counted_change(row, comparison) or COUNTED_IN_FULL
    return f"{basis}: {counted}"


def _better_than_a_year_earlier(row: Mapping[str, Any]) -> str:
    """Say better than a year earlier, with its size when counted in full (review 14, R14-6)."""
    counted = describe_counted_change(row)
    return f"better than a year earlier: {counted}" if counted else "better than a year earlier"


_PLAIN_EVIDENCE = {
    "Red": "no target, and it got worse by more than chance",
    "Amber": "no target, and it may be getting worse: the evidence is not yet clear",
    "Green": "no target, and no sign of it getting worse",
}

_PLAIN_NO_CHART = {
    "unstable baseline": "its chart's reference period is not stable, so there are no "
    "settled limits to judge it by",
    "too few points": "too few figures yet to set its chart's limits",
    "rolling figure": "its figures are rolling 12-month totals, which overlap, so they "
    "cannot be charted point by point",
    "year-to-date figure": "its figures build up through the year and start again each "
    "April, so they cannot be charted point by point",
}
"""Why a measure with no target gets no rating when SPC gives no verdict (the method's
reason, ``spc_status``), in plain words: never "not enough evidence either way"."""
_RATED = ("Green", "Amber", "Red")


def describe_rating_plainly(row: Mapping[str, Any], previous_rag: str = "") -> str:
    """Say in plain words why a measure has its rating: the Board's "Why", without jargon.

    The rule and its statistics are in ``rag_reason`` (``judgements.csv``); this is the
    same verdict as a reader at the table needs it, with no test names, p-values or SPC
    terms.

    Parameters
    ----------
    row : mapping
        A measure's row of :attr:`StrategySummary.measures`: ``rag``, ``rag_basis``,
        ``rag_capped``, ``current``, ``target_for_period``, ``target_date``, ``unit``,
        ``rate_per``, ``has_data``, ``good_direction``, and for a Grey ``rag_rule``
        and ``spc_status``.
    previous_rag : str, optional
        The rating the last meeting gave. A measure rated then and Grey now because its
        chart lost its stable reference period is "no longer rated", and the words say
        the method, not performance, changed it.

    Returns
    -------
    str
        Such as "target missed (55.8% against 60.0%)", "target met (368 against 360), but
        it got worse by more than chance", "no target, and no sign of it getting worse"
        or "not rated: no target, and its chart's reference period is not stable, ...".
    """
    rag, basis = str(row.get("rag")), str(row.get("rag_basis"))
    if basis in ("target", "trajectory"):
        if rag in ("Red", "Amber") and not row.get("rag_capped"):
            return _target_words(row)
        per = str(row.get("rate_per") or "")
        current, goal = format_figures(
            [row.get("current"), row.get("target_for_period")], str(row.get("unit")), per=per
        )
        met = (
            f"on track for its trajectory ({current} against {goal} expected by now)"
            if basis == "trajectory"
            else f"target met ({current} against {goal})"
        )
        unreliable = describe_unreliable_pass(row)
        if unreliable:
            return f"{met}, {unreliable}"
        if row.get("rag_capped"):
            # A cap by a test of change in a measure counted in full: worse, not by chance.
            by = say_chance(row) if row.get("rag_cap") == "harm_test" else " by more than chance"
            return f"{met}, but it got worse{by}"
        return met + _close(row)
    unconfirmed = describe_spc_unconfirmed(row, public=True)
    if rag == "Amber" and unconfirmed:
        # The chart's concern alone, or with a possible change on a test: each said.
        return f"no target; {unconfirmed}"
    if basis == "evidence" and rag in _PLAIN_EVIDENCE:
        if rag == "Red" and row.get("rag_rule") == "harm_test" and not say_chance(row):
            return "no target, and it got worse by enough to matter (counted in full)"
        return _PLAIN_EVIDENCE[rag]
    # Small numbers with their counts, open outcomes in the Board's words; the other two
    # in words without chart terms.
    grey = describe_grey_rule(
        row, public=row.get("rag_rule") not in ("small_numbers", "outcomes_open")
    )
    if grey:
        return grey
    if not row.get("has_data", True):
        return "not rated: no figure for the period"
    if row.get("good_direction") == "neutral":
        return "not rated: no right way for it to go, so reported as a trend"
    status = str(row.get("spc_status") or "")
    if row.get("rag_rule") in NO_SPC_VERDICT_RULES and status in _PLAIN_NO_CHART:
        if previous_rag in _RATED:
            settled = (
                "its chart's reference period is no longer stable"
                if status == "unstable baseline"
                else _PLAIN_NO_CHART[status]
            )
            return (
                f"no longer rated: no target, and {settled}; a change in what the method "
                "can judge, not a change in performance"
            )
        return f"not rated: no target, and {_PLAIN_NO_CHART[status]}"
    return "not rated: not enough evidence either way"


def _close(row: Mapping[str, Any]) -> str:
    """The words for a target met but close (", though by less than ..."), else "".

    The one rule (:func:`~pcplib.assessment.targets.rate_measure`, ``rag_close``): a
    figure on the right side of its target by less than chance allows meets it.
    """
    close = str(row.get("rag_close")).strip().lower() in ("true", "1")
    met_close = close and row.get("rag") == "Green"
    if not met_close:
        return ""
    return ", though by less than the usual variation" + say_small_close(
        row, ", which is wide on numbers this small"
    )


def _pass_within_noise(row: Mapping[str, Any]) -> str:
    """The words for a target met only within its usual variation, else "".

    Met by less than chance allows (:func:`_close`), or, for a figure counted in full, met
    while its chart shows no change and its limits straddle the target
    (:func:`~pcplib.assessment.change_chance.is_within_usual_range`): front office hours
    of 361 against 360, met in 7 of 33 months (review 10, R10-4).
    """
    close = _close(row)
    if close or row.get("rag") != "Green" or not is_within_usual_range(row):
        return close
    return (
        ", though within its usual range (its chart shows no change, and its limits "
        "straddle the target)"
    )


def _signal(row: Mapping[str, Any], kind: str, public: bool, against: bool = False) -> str:
    """The chart's signal: the Board's SPC words, or for the public what it shows.

    ``kind`` is ``"concern"`` or ``"improvement"``; ``against`` gives the Board's short
    form ("an SPC signal of improvement against the chart's reference period (...)").
    """
    chart = name_chart_period(
        str(row.get("spc_limits_from") or ""), str(row.get("spc_limits_to") or "")
    )
    way = "worse" if kind == "concern" else "better"
    if public:
        # Residents read the public version of a strategy report: no "SPC" (issue 26).
        return f"{way} than {chart} by more than chance"
    if against:
        return f"an SPC signal of {kind} against {chart}"
    return f"an SPC signal of {kind}: {way} than {chart} by more than chance"


def _measure_reasons(row: Mapping[str, Any], public: bool = False) -> list[str]:
    """Every reason a measure needs attention, most telling first.

    A worsening in reports to Action Fraud
    (:func:`~pcplib.assessment.caveats.is_rise_in_reports`) ends with what it may be:
    "...: more reports, which may be more reporting", or "...: if real, more reports, ..."
    for a possible one, as the "But:" beside the strategy's rating says (review 20, R20-4).
    """
    reasons = []
    # How sure the worsening told is: "real", "possible", or "" when none is told.
    worse = ""
    if row["rag_basis"] in ("target", "trajectory") and row["rag"] in ("Red", "Amber"):
        # Within chance of it, but counted missed on its record: said on the report's
        # first screen as in its sentences, the public's copy too (review 9, R9-9).
        settled = describe_settled_miss(row)
        reasons.append(_target_words(row) + (f": {settled}" if settled else ""))
    unconfirmed = describe_spc_unconfirmed(row, public=public)
    if unconfirmed:
        # A run or trend the tests do not confirm: said as what it is on the first screen
        # too, never "worse ... by more than chance" (review 10, R10-2).
        reasons.append(unconfirmed)
        worse = "possible"
    elif row["spc_variation"] == "special_cause_concern":
        reasons.append(_signal(row, "concern", public) + _disagreeing(row))
        worse = "real"
    worsening = row.get("worsening")
    # Worse is a fall for a measure that should grow (a share answered, a rate solved).
    move = "fall" if row.get("good_direction") == "higher" else "rise"
    if worsening == "real":
        # Counted in full, a rise is real when it is large enough to matter: no test.
        counted = f"a {move} large enough to matter, in a figure counted in full"
        reasons.append(say_chance(row, f"a {move} beyond chance in the tests of change") or counted)
        worse = "real"
    elif worsening == "possible" and row["rag"] == "Amber":
        reasons.append(f"a possible {move}: material, but the evidence is not yet conclusive")
        worse = worse or "possible"
    if worse and is_rise_in_reports(row):
        caveat = RISE_IN_REPORTS if worse == "real" else POSSIBLE_RISE_IN_REPORTS
        reasons[-1] = f"{reasons[-1]}: {caveat}"
    if not reasons:
        reasons.append(f"rated {row['rag']}")
    return reasons


def _measure_item(row: Mapping[str, Any], reason: str, severity: int) -> dict[str, Any]:
    """A measure's item in a list of what needs attention or improved."""
    return {
        "kind": "measure",
        "item_id": row["measure_id"],
        "name": row["measure_name"],
        "reason": reason,
        "detail": row["sentence"],
        "rag": row["rag"],
        "tier": row["tier"],
        "severity": severity,
    }


def _measure_exceptions(measures: pd.DataFrame, public: bool = False) -> list[dict[str, Any]]:
    rows = []
    for r in list_records(measures):
        if r["assessment"] != "needs attention":
            continue
        reason = "; ".join(_measure_reasons(r, public))
        rows.append(_measure_item(r, reason, _RAG_SEVERITY.get(str(r["rag"]), 1)))
    return rows


def _commitment_exceptions(commitments: pd.DataFrame, period_end: str) -> list[dict[str, Any]]:
    end = parse_month_param(period_end, "period_end").end_time
    rows = []
    for c in commitments.to_dict("records"):
        status = str(c["status"]).strip().lower()
        due = pd.to_datetime(c.get("due_date"), errors="coerce")
        overdue = status != "complete" and not pd.isna(due) and due <= end
        if status not in ("off track", "at risk") and not overdue:
            continue
        due_text = f"due {date_words(due)}" if not pd.isna(due) else "no due date"
        if overdue:
            kind = "overdue"
            reason = f"overdue: {due_text} and {status}"
        else:
            kind = status
            reason = f"{status}, {due_text}"
        rows.append(
            {
                "kind": "commitment",
                "item_id": str(c.get("commitment_id", "")),
                "name": str(c["commitment"]),
                "reason": reason,
                "detail": f"Owner: {c.get('owner', '')}".rstrip(": "),
                "rag": "Red" if kind in ("off track", "overdue") else "Amber",
                "tier": "",
                "severity": _COMMITMENT_SEVERITY[kind],
            }
        )
    return rows


def _risk_exceptions(risks: pd.DataFrame, period_end: str) -> list[dict[str, Any]]:
    rows = []
    for r in risks.to_dict("records"):
        likelihood, impact = int(r["likelihood"]), int(r["impact"])
        description = r.get("description")
        # Every high risk is listed (review 14, R14-1). Red and "new" only where the
        # quarter before's return shows it; one high then too, or with no earlier score
        # on file, is high but not shown to have emerged (Amber, as the strategy's risk
        # rating gives it).
        novelty = str(r.get("novelty", NEW))
        known_new = novelty == NEW
        what = describe_high_risk(novelty, period_end)
        rows.append(
            {
                "kind": "risk",
                "item_id": str(r.get("risk_id", "")),
                "name": "" if is_missing(description) else str(description),
                "reason": (
                    f"{what}: likelihood {likelihood} × impact {impact} = "
                    f"{likelihood * impact} (high from {HIGH_RISK_SCORE})"
                ),
                "detail": "" if is_missing(r.get("mitigation")) else str(r["mitigation"]),
                "rag": "Red" if known_new else "Amber",
                "tier": "",
                "severity": _RISK_SEVERITY,
            }
        )
    return rows


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=EXCEPTION_COLUMNS)
    if frame.empty:
        return frame
    kind_order = frame["kind"].map({k: i for i, k in enumerate(EXCEPTION_KINDS)})
    tier_order = frame["tier"].map({"headline": 0, "sub": 1}).fillna(2)
    order = frame.assign(_s=frame["severity"], _k=kind_order, _t=tier_order)
    order = order.sort_values(["_s", "_k", "_t"], kind="stable")
    return order.drop(columns=["_s", "_k", "_t"]).reset_index(drop=True)


def list_exceptions(
    dataset: Dataset, summary: StrategySummary, audience: str = "board", slot: str | None = None
) -> pd.DataFrame:
    """List what needs the Board's attention in a strategy, most serious first.

    Parameters
    ----------
    dataset : Dataset
        The data set (for commitments and, when it holds them, risks).
    summary : StrategySummary
        From :func:`~pcplib.assessment.strategy.summarise_strategy`: its measures'
        judgements and reporting period.
    audience : {"board", "public"}, default "board"
        A public report lists no risks (they are for the Board only); its measures are
        already the public ones, and no actions (the action log is the Board's).
    slot : str, optional
        The meeting (``YYYY-MM``): an action due before it and not done or dropped is
        overdue (:mod:`pcplib.assessment.actions`); empty: the end of the data period.
        By default the summary's own (``summary.slot``), and its overdue actions are
        listed, the ones its "But:" note counts: pass the meeting to
        :func:`~pcplib.assessment.strategy.summarise_strategy`, not here, so a page
        gives one count. Another meeting lists the actions again, by its date.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EXCEPTION_COLUMNS`: ``kind`` (``measure``, ``commitment``,
        ``action`` or ``risk``), ``item_id``, ``name``, ``reason`` (why, in words, with
        the figures), ``detail`` (the measure's sentence, a commitment's or an action's
        owner, a risk's mitigation),
        ``rag`` (the colour it is shown with), ``tier`` (a measure's) and ``severity``.
        Empty (with those columns) when nothing needs attention.
    """
    rows = _measure_exceptions(summary.measures, public=audience == "public")
    commitments = strategy_commitments(dataset, summary.strategy_id)
    for row in _commitment_exceptions(commitments, summary.period_end):
        # A commitment and its owner are free text: withheld from the public when they
        # name a restricted measure, as the commitments table withholds them.
        row["name"] = withhold_restricted_text(dataset, row["name"], audience)
        row["detail"] = withhold_restricted_text(dataset, row["detail"], audience)
        rows.append(row)
    if audience == "board":
        # The summary's own list when it is the Board's at this meeting: the one its
        # "But:" note counts, not a second reading.
        if summary.audience == "board" and slot in (None, summary.slot):
            actions = summary.overdue_actions
        else:
            actions = list_overdue_actions(
                dataset, summary.strategy_id, summary.period_end, slot or ""
            )
        rows += _action_exceptions(actions)
        risks = (
            summary.high_risks
            if summary.audience == "board"
            else list_high_risks(dataset, summary.strategy_id, summary.period_end)
        )
        rows += _risk_exceptions(risks, summary.period_end)
    return _frame(rows)


def list_improvements(summary: StrategySummary) -> pd.DataFrame:
    """List a strategy's measures that improved: a real improvement, or a target met.

    Parameters
    ----------
    summary : StrategySummary
        From :func:`~pcplib.assessment.strategy.summarise_strategy`.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EXCEPTION_COLUMNS` (``kind`` always ``measure``): measures whose
        assessment is *improving* (an SPC signal of improvement, or better than a year
        earlier by more than chance) first, then those *on track* (target or trajectory
        met, but not one met only within its usual variation with nothing else better),
        then any other measure with an SPC signal of improvement, with what keeps it from
        improving outright (a mixed picture); headline before sub-measures. A measure
        that needs attention is never listed here.
    """
    rows = []
    public = getattr(summary, "audience", "board") == "public"
    for r in list_records(summary.measures):
        signal = r["spc_variation"] == "special_cause_improvement"
        if r["assessment"] == "needs attention":
            # One place on the first screen: a measure that needs attention is listed
            # there (its row keeps the chart's signal), never also as improved (review 4,
            # F8: victims' code compliance in both lists).
            continue
        if r["assessment"] == "improving" and signal:
            reason = _signal(r, "improvement", public)
            reason, severity = reason + _disagreeing(r), 0
        elif r["assessment"] == "improving":
            reason, severity = _improved_reason(r), 0
        elif r["assessment"] == "on track":
            usual = _pass_within_noise(r)
            if usual and r["judgement"] != "improved" and not signal:
                # Met within its usual variation, and nothing else got better: a pass the
                # next quarter may undo is no improvement, whatever its colour (review
                # 10, R10-4; review 11: "What improved" had listed the killed or seriously
                # injured count met by less than chance allows).
                continue
            met = "on track for its target" if r["rag_basis"] == "trajectory" else "target met"
            met += usual  # met within its usual variation: said, claiming no more
            also = f"; {_signal(r, 'improvement', public, against=True)}" if signal else ""
            if r["judgement"] != "improved":
                reason = met + also
            elif usual:
                # Listed for what got better, the pass said after it as what it is.
                reason = f"{_better_than_a_year_earlier(r)}; {met}{also}"
            else:
                reason = f"{met} and {_better_than_a_year_earlier(r)}{also}"
            severity = 1
        elif signal:
            # The chart's signal is listed wherever the SPC table calls it "a real change
            # for the better", with what keeps it from being an improvement outright, so
            # "What improved (0)" never sits above a signal of improvement.
            reason = (
                f"{_signal(r, 'improvement', public, against=True)}, though "
                f"{_held_back(r, public)}: a mixed picture"
            )
            severity = 2
        else:
            continue
        rows.append(_measure_item(r, reason, severity))
    return _frame(rows)
