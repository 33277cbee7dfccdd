"""What the public report tells residents: every public measure, mission by mission.

The public is told "what has been achieved and what still needs attention" (seed 002).
Each public measure is put in one group, read off the same ``assessment`` the Board
sees, so the two reports never disagree:

- **achieved**: a real improvement, or a target met (or on course for a later one),
  unless the plan's baseline year already met it (then steady: it asks for no
  improvement);
- **needs attention**: a target missed, behind its course, or a real worsening;
- **steady**: no evidence of change, within the usual ups and downs, and no target or one
  the plan's baseline year already met;
- **too few to tell**: would be steady, but on small numbers (an expected count below
  10): the counts are given, never called steady;
- **trend**: no good direction (domestic abuse crimes, where a rise can mean more people
  report them): its change is told as a trend, never rated;
- **not rated**: a figure, but no target and no evidence to rate on (no change beyond
  chance, and no settled history for limits): told as it is, never called "no figure",
  with the chart's reason and any possible change since the plan's baseline year;
- **no figure**: nothing for the quarter yet.

Each measure also gets a short sentence in plain English (:func:`write_public_sentence`),
written for a reading age of about nine: short sentences, everyday words, no
"percentage points", no "special cause".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from pcplib import periods
from pcplib.assessment.caveats import (
    MORE_REPORTING,
    is_recorded_crime,
    is_reported_to_action_fraud,
    is_rise_in_reports,
)
from pcplib.assessment.changes import HALF_YEAR
from pcplib.assessment.chart_caveats import add_chart_caveat, add_quarter_spike
from pcplib.assessment.comparisons import AreaComparison, compare_areas
from pcplib.assessment.judgements import select_judgements, tabulate_judgements
from pcplib.assessment.public_evidence import say_mixed_picture, say_since_verdict, say_since_when
from pcplib.assessment.public_targets import say_survey_range, say_target, say_target_in_range
from pcplib.assessment.public_unrated import describe_public_not_rated
from pcplib.assessment.scope import available_period_end, parse_month_param
from pcplib.assessment.spc_verdict import is_rolling
from pcplib.assessment.strategy import StrategySummary, describe_rating_scope, summarise_strategy
from pcplib.assessment.vocabulary import say_chance
from pcplib.labels import (
    choose_shared_decimals,
    format_figure,
    format_figures,
    is_missing,
    month_span,
)

if TYPE_CHECKING:
    from pcplib.data import Dataset

__all__ = [
    "PUBLIC_GROUPS",
    "PublicQuarter",
    "count_public_groups",
    "group_for_public",
    "is_told_by_name_only",
    "shows_change",
    "summarise_public_quarter",
    "tabulate_public_quarter",
    "write_public_sentence",
]

PUBLIC_GROUPS = (
    "achieved", "needs attention", "steady", "too few to tell", "trend", "not rated",
    "no figure",
)  # fmt: skip
_GROUP_OF_ASSESSMENT = {
    "improving": "achieved",
    "on track": "achieved",
    "needs attention": "needs attention",
    "stable": "steady",
    "no good direction": "trend",
    "not assessed": "not rated",
}


def group_for_public(row: Mapping[str, Any]) -> str:
    """The public report's group for a measure, one of :data:`PUBLIC_GROUPS`.

    A measure that would be steady on small numbers (an expected count below
    :data:`~pcplib.assessment.thresholds.SMALL_COUNT`, ``small_numbers``) is "too few
    to tell", never steady: five against five cannot show that nothing changed.
    """
    if row.get("current") is None or pd.isna(row.get("current")):
        return "no figure"
    group = _GROUP_OF_ASSESSMENT.get(str(row["assessment"]), "no figure")
    if row.get("rag_rule") == "small_numbers":
        return "too few to tell"  # Grey on small numbers (assessment.harm)
    if group == "steady" and bool(row.get("small_numbers")):
        return "too few to tell"
    return group


def _sentence_decimals(row: Mapping[str, Any], sentence: str) -> int | None:
    """The decimals every figure of a measure's public sentence shares, or None.

    The quarter against a year ago, and each 12-month comparison the sentence prints
    (against the 12 months before, against the plan's baseline year), needs its own
    decimals to tell its figures apart; one sentence prints them all to the most any
    needs, so a rate never reads "0.497" for the quarter and "0.50" for the year (review
    5, N8). A comparison the sentence does not print adds none. A 12-month percentage
    counts at one decimal unless its two figures would then print alike
    (:func:`_year_words`). None for units whose figures keep their own decimals
    (:func:`~pcplib.labels.choose_shared_decimals`).
    """
    unit = str(row["unit"])
    groups: list[list[Any]] = [[row.get("current"), row.get("last_year")]]
    for against, before in (("year", "previous_year"), ("since", "baseline")):
        pair = [row.get("year_ending"), row.get(before)]
        if any(is_missing(v) for v in pair):
            continue
        if _year_words(row, against).lower() not in sentence.lower():
            continue
        first, second = (float(cast(float, v)) for v in pair)
        if unit == "percent" and format_figure(first, unit, 1) != format_figure(second, unit, 1):
            # Told to one decimal (the 12 months' percentages are averages).
            groups += [[round(first, 1)], [round(second, 1)]]
        else:
            groups.append(pair)
    return choose_shared_decimals(groups, unit)


def _format_pair(row: Mapping[str, Any], values: list[Any], per: str) -> list[str]:
    """Figures printed side by side: to the sentence's shared decimals, once known."""
    unit = str(row["unit"])
    places = row.get("sentence_decimals")
    if places is None or is_missing(places):
        return format_figures(values, unit, per=per)
    return [format_figure(v, unit, int(places), per=per) for v in values]


def _change_words(row: Mapping[str, Any], period: str = "") -> str:
    """The quarter's figure and how it moved on a year earlier, in everyday words.

    ``period`` follows the figure ("5 in the quarter"), where a 12 months' figure beside
    it could be read as the same period's.
    """
    unit = str(row["unit"])
    per = str(row.get("rate_per") or "")
    current, before = row["current"], row.get("last_year")
    if not period and is_rolling(row) and "12 months" not in str(row["measure_name"]):
        # A rolling figure is a 12 months' one, and says so, as the page promises (review 13).
        end = _window_words(row.get("year_ending_label"), "").removeprefix("the 12 months to ")
        period = f" in the 12 months to {end}" if end else " over 12 months"
    if before is None or pd.isna(before):
        (now,) = _format_pair(row, [current], per)
        return f"{now}{period}, with no figure a year ago to compare with."
    now, then = _format_pair(row, [current, before], per)
    same = row["direction"] == "no change" or now == then
    sign = str(row.get("sign_words") or "")
    if sign:
        now = f"{now} ({sign})"
    now += period
    if same:
        return f"{now}, the same as a year ago."
    way = "up" if row["direction"] == "up" else "down"
    if unit == "percent" or row.get("change_value") is None or pd.isna(row.get("change_value")):
        # Percentages move "from 57.9% to 60.1%": "percentage points" puzzles a reader,
        # and so does a per cent of a per cent. So does a per cent across zero (money).
        return f"{now}, {way} from {then} a year ago."
    size = str(row["change"]).lstrip("+-")
    # The change in per cent says how it moved; the figure a year ago is in the Board's
    # report and the judgements file, so the sentence stays short.
    return f"{now}, {way} {size} on a year ago."


# Why a measure with no good direction is not rated, in words a resident reads: most are
# counts of crimes or of police action, where a rise can be good news (more people report
# it, more offenders are caught) as well as bad. Wording only; no judgement rests on it.
_REPORTING_WORDS = ("crime", "offence", "abuse", "rape")
_ACTION_WORDS = ("search", "detect", "arrest")


_QUARTER_VERDICTS = {
    "improved": "by more than the usual ups and downs",
    "deteriorated": "by more than the usual ups and downs",
    "no evidence of change": "within the usual ups and downs",
    "possibly improved": "not yet clear enough to call",
    "possibly deteriorated": "not yet clear enough to call",
}


def _with_quarter_verdict(row: Mapping[str, Any], change: str) -> str:
    """The quarter's change on a year ago with what its test found, for a measure not rated.

    A measure not rated has no other sentence to say it, so "151, down 19.7% on a year
    ago" would stand alone where every rated row says whether its change is more than
    the usual ups and downs (review 9, R9-12): "151, down 19.7% on a year ago, within the
    usual ups and downs." Unchanged when there is no comparison or no change.
    """
    verdict = _QUARTER_VERDICTS.get(str(row.get("judgement") or ""))
    if not say_chance(row):
        # Counted in full (administrative): its change has no ups and downs to be within
        # or beyond, so none is said (issue 26, F4/N7).
        return change
    if verdict is None or not change.endswith(" a year ago.") or "the same as" in change:
        return change
    return f"{change.removesuffix('.')}, {verdict}."


def _trend_reason(row: Mapping[str, Any]) -> str:
    name = str(row["measure_name"]).lower()
    lead = "Not rated:"
    if str(row["unit"]) == "gbp":
        # An overspend is not "neither good nor bad": the plan sets no target for the
        # variance, and one either way is for the force to explain.
        return f"{lead} the plan sets no target for it; a variance either way needs explaining."
    if any(word in name for word in _ACTION_WORDS):
        return f"{lead} a rise can mean more police action, not more crime."
    if any(word in name for word in _REPORTING_WORDS):
        return f"{lead} a rise can mean more people report it, not more crime."
    return f"{lead} a rise is not good or bad in itself."


def _year_words(row: Mapping[str, Any], against: str) -> str:
    """The 12-month figure against the 12 months before or the plan's baseline year."""
    unit = str(row["unit"])
    per = str(row.get("rate_per_year") or row.get("rate_per") or "")
    before = row.get("previous_year") if against == "year" else row.get("baseline")
    now, then = _format_pair(row, [row.get("year_ending"), before], per)
    pair = [row.get("year_ending"), before]
    shared = not is_missing(row.get("sentence_decimals"))
    if unit == "percent" and not shared and not any(is_missing(v) for v in pair):
        # An average of monthly percentages carries many decimals ("89.217%"); residents
        # get one, as the quarter's figures, unless the two would then print alike. Once
        # the sentence's decimals are known, they are used (:func:`_sentence_decimals`).
        shown = [format_figure(v, unit, 1, per=per) for v in pair]
        if shown[0] != shown[1]:
            now, then = shown
    # Each window by its own name ("the 12 months to September 2026"), so that the
    # annual evaluation's financial year and this year ending never read as one period.
    when = _window_words(row.get("year_ending_label"), "the last 12 months")
    if against == "year":
        before_words = _window_words(row.get("previous_year_label"), "the 12 months before")
        return f"{now} in {when} against {then} in {before_words}"
    base = str(row.get("baseline_words") or "the plan's baseline year")
    return f"{now} in {when} against {then} in {base}"


def _window_words(label: Any, fallback: str) -> str:
    """A window's label as a reader's words: "the 12 months to September 2026", "September 2026"."""
    text = "" if is_missing(label) else str(label or "")
    if not text:
        return fallback
    return f"the {text}" if text.startswith("12 months") else text


def _baseline_year_note(row: Mapping[str, Any]) -> str:
    """The 12 months against the plan's baseline year, with what its test shows.

    "1,397 in the 12 months to September 2026 against 1,284 in the plan's baseline year
    (2024/25): no clear change." Empty when there is no such comparison.
    """
    verdict = say_since_verdict(row)  # never "a real improvement" a rating distrusts
    if verdict is None or is_missing(row.get("year_ending")) or is_missing(row.get("baseline")):
        return ""
    words = _year_words(row, "since")
    when = say_since_when(row)
    if when != "since the plan began":
        # A change under way before the plan, in the words of the public line that says
        # it (_basis_words): never left to read as the plan's doing.
        verdict = f"{verdict} {when}"
    return f"{words[:1].upper()}{words[1:]}: {verdict}."


def shows_change(row: Mapping[str, Any]) -> bool:
    """Whether any comparison shows a real or possible change, or the chart a signal.

    The quarter on a year ago, the 12 months on the 12 months before, the 12 months on
    the plan's baseline year (``judgement``, ``year_ending_judgement``,
    ``since_baseline_judgement``) and the SPC chart (``spc_variation``). A measure that
    shows one is never told as "no change" or "no clear change" in public.
    """
    judgements = (
        row.get("judgement"),
        row.get("year_ending_judgement"),
        row.get("since_baseline_judgement"),
    )
    if any(str(j or "").startswith(("improved", "deteriorated", "possibly")) for j in judgements):
        return True
    return str(row.get("spc_variation") or "").startswith("special_cause")


def is_told_by_name_only(row: Mapping[str, Any]) -> bool:
    """Whether the public report may list a measure by name under its group's meaning.

    Only a steady or not-rated measure whose comparisons all show no evidence of change
    (:func:`shows_change`) and whose counts are not small numbers: its group's words
    ("no change beyond the usual ups and downs", "no clear change") then say all there
    is. Every other measure is told in its own sentence, with each period named.
    """
    if group_for_public(row) not in ("steady", "not rated"):
        return False
    if row.get("rag_rule") in ("no_comparable_baseline", "outcomes_open"):
        # No change since the plan began can be told, or a target is short on open
        # outcomes: either is news in its own sentence, never "no clear change".
        return False
    if row.get("rag_basis") in ("target", "trajectory"):
        # A steady measure with a target (one its baseline year already met) is told in
        # its own sentence: "the target asks for no improvement" is news (review 5, N7).
        return False
    return not shows_change(row) and not bool(row.get("small_numbers"))


def _usual_level(row: Mapping[str, Any], better: bool) -> str:
    """Say "Higher than its usual level of August 2023 to March 2025", naming no chart.

    The public report shows no control chart, so the period that set the chart's limits
    is "its usual level" of those months, and the way is the figure's (higher or lower
    from its good direction), so "down 2.7% on a year ago" never sits beside "worse"
    (review 4, F20). Better or worse only for a measure with no good direction.
    """
    good = str(row.get("good_direction") or "")
    way = "better" if better else "worse"
    if good in ("higher", "lower"):
        way = good if better else {"higher": "lower", "lower": "higher"}[good]
    first, last = row.get("spc_limits_from"), row.get("spc_limits_to")
    of = ""
    if not is_missing(first) and not is_missing(last) and str(first) and str(last):
        span = month_span(periods.parse_month(str(first)), periods.parse_month(str(last)))
        of = f" of {span}"
    return f"{way.capitalize()} than its usual level{of}"


def _basis_words(row: Mapping[str, Any], better: bool, possibly: bool = False) -> tuple[str, str]:
    """What shows a real (or possible) change, and which comparison it rests on.

    The comparisons are read in the order the rating reads them: the quarter on a year
    ago, the last 12 months on the 12 months before, the last 12 months on the plan's
    baseline year, then the SPC chart against its reference period (its usual level, in
    the public report's words: :func:`_usual_level`). Returns the words and
    the comparison (``"quarter"``, ``"year"``, ``"since"``, ``"spc"``), or ``("", "")``.
    """
    verdict = "improved" if better else "deteriorated"
    if possibly:
        verdict = f"possibly {verdict}"
    word = "improvement" if better else "worsening"
    way = "better" if better else "worse"

    counted = not say_chance(row)

    def said(when: str, figures: str = "") -> str:
        tail = f": {figures}" if figures else ""
        if possibly:
            return f"Possibly {way} {when}, though not yet clear enough to be sure{tail}."
        if counted:
            # Counted in full, a change is never "real" against ups and downs (issue 26,
            # F4/N7); the opening gives it, and a worsening is named ("down" may be good).
            if when == "on a year ago":
                return "" if better else "Worse."
            return f"{way.capitalize()} {when}{tail}."
        if not better and is_rise_in_reports(row):
            # Reports to Action Fraud track reporting even more than recorded crime does
            # (assessment.caveats): a real rise in them is said as one, never as crime
            # getting worse (review 9, R9-18).
            return f"A real rise in reports {when}{tail}, {MORE_REPORTING} as well as more crime."
        return f"A real {word} {when}{tail}."

    if not better and row.get("rag_comparison") == HALF_YEAR and row.get("worsening") == "possible":
        # Rated on the two latest quarters together (assessment.changes): their months and
        # figures, since the opening has quoted only the latest quarter's.
        now, then = _format_pair(row, [row.get("half_year"), row.get("half_year_before")], "")
        # "Possibly" says it is not yet sure; the line also carries the 12 months against
        # the plan's baseline year, and keeps to its four lines.
        return f"Possibly worse over six months: {now} against {then} a year earlier.", "half"
    if row.get("judgement") == verdict:
        return said("on a year ago"), "quarter"
    if row.get("year_ending_judgement") == verdict:
        return said("over the year", _year_words(row, "year")), "year"
    if row.get("since_baseline_judgement") == verdict:
        return said(say_since_when(row), _year_words(row, "since")), "since"
    signal = "special_cause_improvement" if better else "special_cause_concern"
    if not possibly and row.get("spc_variation") == signal:
        return f"{_usual_level(row, better)}, by more than the usual ups and downs.", "spc"
    return "", ""


_UNCONFIRMED_COMPARISONS = (
    ("judgement", "on a year ago"),
    ("year_ending_judgement", "over the year"),
    ("since_baseline_judgement", "since the plan began"),
)


def _unconfirmed_words(row: Mapping[str, Any]) -> str:
    """A concern from a run or trend that the comparisons do not confirm, in plain words.

    Rated Amber by ``harm_spc_unconfirmed``: no point beyond the limits, and no test of
    change finds a real worsening. "Higher than its usual level, by more than the usual
    ups and downs" beside "down 2.7% on a year ago" and "no clear change" read as a real
    rise (review 9, R9-11); it is said as the run it is, and as watched, not yet a
    worsening: "Recent months have run above their usual level of February 2024 to March
    2025, but no comparison confirms a rise, so it is watched, not yet a worsening." The
    comparisons are those the sentence's reader is told of: a year ago, over the year
    and against the plan's baseline year. A possible change on one is named ("..., and
    it may be higher since the plan began, but no comparison confirms a rise: it is
    watched, not yet a worsening.").
    """
    higher = str(row.get("good_direction") or "") != "higher"
    side, rise, way = ("above", "rise", "higher") if higher else ("below", "fall", "lower")
    level = _usual_level(row, better=False).split(" than its usual level", 1)[1]
    lead = f"Recent months have run {side} their usual level{level}"
    possible = [
        when
        for column, when in _UNCONFIRMED_COMPARISONS
        if str(row.get(column) or "") == "possibly deteriorated"
    ]
    if possible:
        return (
            f"{lead}, and it may be {way} {possible[0]}, but no comparison confirms a {rise}: "
            "it is watched, not yet a worsening."
        )
    return f"{lead}, but no comparison confirms a {rise}, so it is watched, not yet a worsening."


def _quarter_note(row: Mapping[str, Any], basis: str) -> str:
    """What the quarter's own change on a year ago shows, when the basis is another.

    A resident reads "up 1.0% on a year ago. A real worsening." as the 1% being real, so
    when the real change is over the year or against a reference period, the quarter's
    own verdict is said too.
    """
    if basis == "quarter":
        # A real change on the quarter that the 12 months against the plan's baseline year
        # do not bear out is said with them, as the quarter is beside a change on another
        # basis (review 3 #8: complaints up 27.6% on the quarter, no clear change over the
        # 12 months); when both show the same change, the quarter says it.
        same = str(row.get("since_baseline_judgement") or "") == str(row.get("judgement"))
        return "" if same else _baseline_year_note(row)
    if basis == "" or row.get("direction") in (None, "no change"):
        return ""
    judgement = str(row.get("judgement") or "")
    counted = not say_chance(row)  # administrative: no ups and downs to be beyond
    if judgement in ("improved", "deteriorated"):
        way = "better" if judgement == "improved" else "worse"
        usual = "" if counted else " by more than the usual ups and downs"
        return f"This quarter is {way} than a year ago{usual}."
    if judgement.startswith("possibly"):
        return "Its change on a year ago is not yet clear enough to call."
    if counted:
        return "Its change on a year ago is too small to matter."
    return "Its change on a year ago is within the usual ups and downs."


def _fold_quarter_note(row: Mapping[str, Any], change: str, basis: str) -> tuple[str, str]:
    """The quarter's own verdict beside its change, when the words rest on another basis.

    "6,568, down 2.7% on a year ago, within the usual ups and downs. A real worsening
    since the plan began: ...". A figure counted in full, or a change the opening cannot
    carry, keeps the sentence (:func:`_quarter_note`). Returns the opening and the note.
    """
    note = _quarter_note(row, basis)
    if not note or basis == "quarter" or not say_chance(row):
        return change, note
    folded = _with_quarter_verdict(row, change)
    return (folded, "") if folded != change else (change, note)


def write_public_sentence(row: Mapping[str, Any]) -> str:
    """Write what a measure shows, in plain English, for the public report.

    "A real worsening" or "A real improvement" names its basis (a year ago, over the
    year, since the plan's baseline year, or against its usual level) and is
    never set beside a figure whose own test found no evidence of change without saying so
    (``docs/methodology.md``, "Reference periods and the words for evidence").

    Parameters
    ----------
    row : mapping
        A measure's judgements (:func:`~pcplib.assessment.measures.summarise_measures`):
        ``unit``, ``current``, ``last_year``, ``change``, ``change_value``,
        ``direction``, ``judgement``, ``year_ending_judgement``,
        ``since_baseline_judgement``, ``assessment``, ``rag``, ``rag_basis``,
        ``rag_capped``, ``spc_variation``, ``spc_limits_from``, ``spc_limits_to``,
        ``worsening``, ``target_for_period`` and ``target_date``.

    Returns
    -------
    str
        One to four short sentences, such as "1,135, down 8.0% on a year ago. A real
        improvement on a year ago." ("Real" means more than the usual ups and downs: the
        report says so once, above its lists.) Its figures share their decimals
        (:func:`_sentence_decimals`).
    """
    sentence = _compose_public_sentence(row)
    places = _sentence_decimals(row, sentence)
    if places is None:
        return sentence
    return _compose_public_sentence({**row, "sentence_decimals": places})


def _compose_public_sentence(row: Mapping[str, Any]) -> str:
    """The sentence of :func:`write_public_sentence`, its figures to ``sentence_decimals``."""
    group = group_for_public(row)
    if group == "no figure":
        return "No figure for this quarter yet."
    if group in ("not rated", "too few to tell"):
        # The evidence that exists, each comparison with its period, then why there is no
        # rating: the chart's reason, or small numbers; never "no clear change" beside a
        # possible change since the plan's baseline year (review 3 #6, #9).
        last = (
            "These are small numbers, too few to tell a change from chance."
            if group == "too few to tell"
            else f"Not rated: {describe_public_not_rated(row)}."
        )
        # Small numbers: "5 in the quarter" beside "15 in the 12 months" names both periods
        # (issue 26, N6: homicides read as one period's 5 and 15).
        period = " in the quarter" if group == "too few to tell" else ""
        change = _change_words(row, period)
        if group == "not rated":
            change = _with_quarter_verdict(row, change)
        parts = [add_quarter_spike(row, change), say_survey_range(row), _baseline_year_note(row)]
        return " ".join(p for p in [*parts, last] if p)
    parts = [_change_words(row)]
    survey = say_survey_range(row)
    if survey:
        parts.append(survey)
    targeted = row["rag_basis"] in ("target", "trajectory")
    if group == "trend":
        parts.append(_trend_reason(row))
    elif group == "achieved":
        if row["assessment"] == "improving":
            words, basis = _basis_words(row, better=True)
            parts[0], note = _fold_quarter_note(row, parts[0], basis)
            parts += [add_chart_caveat(row, words, basis), note]
        if targeted:
            parts += [say_target(row), say_target_in_range(row)]
    elif group == "needs attention":
        if targeted:
            parts += [say_target(row), say_target_in_range(row)]
        words, basis = ("", "")
        if row.get("rag_rule") == "harm_spc_unconfirmed" and row.get("worsening") != "real":
            # A run or trend the comparisons do not confirm: watched, never told as a
            # change "by more than the usual ups and downs" (review 9, R9-11).
            parts.append(_unconfirmed_words(row))
        elif row.get("worsening") == "real" or row["spc_variation"] == "special_cause_concern":
            words, basis = _basis_words(row, better=False)
        elif row.get("worsening") == "possible":
            words, basis = _basis_words(row, better=False, possibly=True)
            if not words:
                words = "Possibly worse: the figures are not yet clear enough to be sure."
        parts[0], note = _fold_quarter_note(row, parts[0], basis)
        parts += [add_chart_caveat(row, words, basis), note]
        if basis == "half":
            # Both said, joined, so neither reads as the verdict (review 22, R22-10; R23-2).
            note = _baseline_year_note(row)
            if row.get("since_baseline_judgement") == "improved" and note:
                note = f"Though since the plan began, {say_since_verdict(row)}: "
                note += f"{_year_words(row, 'since')}."
            parts.append(note)
    else:
        better_way = {"higher": "up", "lower": "down"}.get(str(row.get("good_direction")))
        if row["spc_variation"] == "special_cause_improvement" and row["direction"] not in (
            better_way,
            "no change",
        ):
            # Better than the chart's reference period but worse than a year ago: both
            # said, neither called an achievement.
            usual = _usual_level(row, better=True)
            parts.append(f"{usual}, but not than a year ago: a mixed picture.")
        elif not say_chance(row):
            parts.append("No change that matters.")  # counted in full: no chance to be within
        else:
            parts.append("Within the usual ups and downs.")
        if shows_change(row):
            parts += [_baseline_year_note(row), say_mixed_picture(row)]
        if targeted:
            parts += [say_target(row), say_target_in_range(row)]
    # An owners' status the figures differ from is a question for the Board to put to
    # them, not a verdict for residents: never said here (review 7, F13).
    parts[0] = add_quarter_spike(row, parts[0])
    return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class PublicQuarter:
    """Everything the public report says about a quarter, as tidy frames.

    Attributes
    ----------
    quarter : str
        The quarter shown (``"2026/27 Q2"``): the one asked for, or the latest the data
        reach.
    period_end : str
        Its last month, ``YYYY-MM``.
    measures : pandas.DataFrame
        One row per public measure, in catalogue order: ``mission_id``,
        ``mission_name``, ``strategy_id``, ``strategy_name`` and the judgements of
        :func:`~pcplib.assessment.measures.summarise_measures`, with ``group`` (one of
        :data:`PUBLIC_GROUPS`), ``public_sentence``, ``recorded_crime`` (whether
        the recorded-crime caveat applies, :func:`~pcplib.assessment.caveats.is_recorded_crime`)
        and ``reported_to_action_fraud`` (whether its figures are reports to Action Fraud,
        :func:`~pcplib.assessment.caveats.is_reported_to_action_fraud`).
    strategies : pandas.DataFrame
        One row per strategy: ``mission_id``, ``mission_name``, ``strategy_id``,
        ``strategy_name``, ``overall_rag`` (public measures only), ``rating_scope``,
        ``commitments``,
        ``complete``, ``stuck`` (at risk, not yet past the due date), ``off_track`` and
        ``overdue`` (past the due date and not complete), as
        :func:`~pcplib.assessment.delivery.assess_delivery` counts them; ``commitments``
        is every commitment, due or not.
    summaries : tuple of StrategySummary
        The strategies' summaries (public audience), for the judgements file.
    comparisons : tuple of AreaComparison
        The public headline counts compared across local authorities, where the data set
        holds figures by area (:mod:`pcplib.assessment.comparisons`).
    """

    quarter: str
    period_end: str
    measures: pd.DataFrame = field(repr=False)
    strategies: pd.DataFrame = field(repr=False)
    summaries: tuple[StrategySummary, ...] = field(repr=False, default=())
    comparisons: tuple[AreaComparison, ...] = field(repr=False, default=())


def summarise_public_quarter(
    dataset: Dataset, quarter: str, spc_rules: str = "mdc"
) -> PublicQuarter:
    """Assess every public measure for a quarter, for the public report.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    quarter : str
        The quarter, such as ``"2026/27 Q2"``; a quarter beyond the data gives the latest
        quarter available.
    spc_rules : str, default "mdc"
        The SPC rule set: a real improvement or worsening is judged on SPC, as in the
        Board's reports.

    Returns
    -------
    PublicQuarter
        The measures with their groups and sentences, and each strategy's rating and
        commitments.
    """
    _, end = periods.parse_quarter(quarter)
    period_end = available_period_end(dataset, str(end.to_period("M")))
    shown = periods.label_quarter(parse_month_param(period_end, "period_end").to_timestamp())
    missions = dataset.missions.set_index("mission_id")["mission_name"]
    measure_frames, strategy_rows, summaries = [], [], []
    for s in dataset.strategies.to_dict("records"):
        summary = summarise_strategy(
            dataset, s["strategy_id"], period_end, audience="public", spc_rules=spc_rules
        )
        summaries.append(summary)
        mission = {
            "mission_id": s["mission_id"],
            "mission_name": str(missions.get(s["mission_id"], s["mission_id"])),
            "strategy_id": s["strategy_id"],
            "strategy_name": str(s["strategy_name"]),
        }
        counts = summary.delivery.counts
        strategy_rows.append(
            {
                **mission,
                "overall_rag": summary.overall_rag,
                "rating_scope": describe_rating_scope(
                    summary.measures[summary.measures["tier"] == "headline"], short=True
                ),
                # Every commitment of the plan is a promise, due or not.
                "commitments": summary.delivery.total,
                "complete": counts.get("complete", 0),
                # At risk (may yet be on time) and off track (not expected on time)
                # are told apart: folding one into the other softens a promise.
                "stuck": counts.get("at risk", 0),
                "off_track": counts.get("off track", 0),
                "overdue": summary.delivery.overdue,
            }
        )
        frame = summary.measures.drop(columns=["spc"]).copy()
        for key, value in reversed(list(mission.items())):
            if key != "strategy_id":
                frame.insert(0, key, value)
        measure_frames.append(frame)
    measures = pd.concat(measure_frames, ignore_index=True)
    records = measures.to_dict("records")
    measures["group"] = [group_for_public(r) for r in records]
    measures["public_sentence"] = [write_public_sentence(r) for r in records]
    measures["name_only"] = [is_told_by_name_only(r) for r in records]
    measures["not_rated_reason"] = [
        describe_public_not_rated(r) if g == "not rated" else ""
        for r, g in zip(records, measures["group"], strict=True)
    ]
    measures["recorded_crime"] = [is_recorded_crime(r) for r in records]
    # Reports to Action Fraud carry the same caveat but are not crimes recorded by the
    # police, so the page lists them apart (review 14, R14-9).
    measures["reported_to_action_fraud"] = [is_reported_to_action_fraud(r) for r in records]
    # Missions in the order the data set lists them, strategies in theirs within each.
    order = {m: i for i, m in enumerate(dataset.missions["mission_id"])}
    strategies = pd.DataFrame(strategy_rows)
    strategies = strategies.sort_values(
        "mission_id", key=lambda c: c.map(order), kind="stable"
    ).reset_index(drop=True)
    measures = measures.sort_values(
        "mission_id", key=lambda c: c.map(order), kind="stable"
    ).reset_index(drop=True)
    headline = measures[measures["tier"] == "headline"]
    comparisons = tuple(
        found
        for measure_id in headline["measure_id"]
        if (found := compare_areas(dataset, measure_id, period_end)) is not None
    )
    return PublicQuarter(shown, period_end, measures, strategies, tuple(summaries), comparisons)


def count_public_groups(public: PublicQuarter) -> pd.DataFrame:
    """Count each mission's public measures by group, with its commitments.

    Parameters
    ----------
    public : PublicQuarter
        From :func:`summarise_public_quarter`.

    Returns
    -------
    pandas.DataFrame
        One row per mission (in the data set's order): ``mission_id``, ``mission_name``,
        ``measures`` and one column per group of :data:`PUBLIC_GROUPS`, then
        ``commitments`` (all of them), ``complete``, ``stuck`` (at risk, not yet past the
        due date), ``off_track`` (off track, not yet past it) and ``overdue``.
    """
    rows = []
    for mission_id, group in public.measures.groupby("mission_id", sort=False):
        counts = group["group"].value_counts()
        strategies = public.strategies[public.strategies["mission_id"] == mission_id]
        rows.append(
            {
                "mission_id": mission_id,
                "mission_name": group["mission_name"].iloc[0],
                "measures": len(group),
                **{g: int(counts.get(g, 0)) for g in PUBLIC_GROUPS},
                "commitments": int(strategies["commitments"].sum()),
                "complete": int(strategies["complete"].sum()),
                "stuck": int(strategies["stuck"].sum()),
                "off_track": int(strategies["off_track"].sum()),
                "overdue": int(strategies["overdue"].sum()),
            }
        )
    return pd.DataFrame(rows)


def tabulate_public_quarter(
    dataset: Dataset,
    quarter: str,
    spc_rules: str = "mdc",
    *,
    columns: Sequence[str] | None = None,
    readable: bool = True,
    summaries: Sequence[StrategySummary] | None = None,
) -> pd.DataFrame:
    """Return the public report's judgements as one flat frame, the rows of ``judgements.csv``.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    quarter : str
        The quarter, such as ``"2026/27 Q2"`` (a quarter beyond the data shows the
        latest quarter available, as the report does).
    spc_rules : str, default "mdc"
        The SPC rule set.
    columns : sequence of str, optional
        Columns of ``judgements.csv``; by default
        :data:`~pcplib.assessment.judgements.TABLE_COLUMNS`.
    readable : bool, default True
        Readable column names; False keeps those of ``judgements.csv``.
    summaries : sequence of StrategySummary, optional
        The report's own (:attr:`PublicQuarter.summaries`), when already worked out.

    Returns
    -------
    pandas.DataFrame
        For each strategy, its overall rating then its public measures: the rows
        ``pcp run`` writes for the ``public-quarterly`` report.
    """
    if summaries is None:
        _, end = periods.parse_quarter(quarter)
        period_end = available_period_end(dataset, str(end.to_period("M")))
        summaries = [
            summarise_strategy(dataset, strategy_id, period_end, "public", spc_rules)
            for strategy_id in dataset.strategies["strategy_id"]
        ]
    frame = tabulate_judgements(summaries, "public-quarterly")
    return select_judgements(frame, columns, readable=readable)
