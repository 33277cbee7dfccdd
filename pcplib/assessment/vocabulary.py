"""The words every report uses for a reference period and for the evidence of a change.

A measure is compared with three periods, and each has one name, used by every
sentence, caption, column header and the public report (``docs/methodology.md``,
"Reference periods and the words for evidence"):

- **the same quarter a year ago** (a stock or year-to-date figure: the same month a
  year ago), the like-for-like comparison;
- **the plan's baseline year** ("the plan's baseline year (2024/25)"), the year the plan
  measures its progress from;
- **the chart's reference period** ("the chart's reference period (August 2023 to
  March 2025)"), the stable run of points that set the SPC chart's limits. It is never
  called "the baseline" or "before the plan": it is neither.

The evidence for a change has three grades, the RAG rule's three
(:data:`EVIDENCE_GRADES`): a **real change** (beyond chance and material), a **possible
change, not yet conclusive** (material, p below
:data:`~pcplib.assessment.thresholds.WEAK_EVIDENCE` but not
:data:`~pcplib.assessment.thresholds.SIGNIFICANCE`), and **no evidence of change**
(within the series' noise, below materiality or on small numbers). A p-value of 0.05 to
0.10 is never "no real change".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pcplib import periods
from pcplib.labels import is_missing, month_span

__all__ = [
    "COUNTED_IN_FULL",
    "EVIDENCE_GRADES",
    "NO_EVIDENCE",
    "describe_counted_change",
    "describe_baseline_window",
    "describe_change_words",
    "describe_disagreement",
    "describe_disagreement_tail",
    "describe_sign",
    "grade_evidence",
    "is_improvement_borne_out",
    "is_quarter_borne_out",
    "judge_with_grade",
    "name_baseline_year",
    "name_chart_period",
    "name_reference_periods",
    "say_chance",
    "say_continued_change",
    "say_small_close",
]

EVIDENCE_GRADES = ("real change", "possible change", "no evidence of change")
"""The three grades of evidence for a change, in every table, summary and evaluation."""

NO_EVIDENCE = "no evidence of change"
"""The judgement of a change whose evidence is neither real nor possible."""

_GRADE_OF_VERDICT = {
    "beyond chance": "real change",
    "counted change": "real change",  # an administrative figure: a change is a change
    "possible change": "possible change",
    "within noise": NO_EVIDENCE,
    "below materiality": NO_EVIDENCE,
    "small numbers": NO_EVIDENCE,
    "no change": NO_EVIDENCE,
    "open outcomes": NO_EVIDENCE,
}


COUNTED_IN_FULL = "(counted in full, not tested)"
"""Said after every change of a measure counted in full: its size is the whole of it, and
no test of chance was made (review 14, R14-6)."""

_COUNTED_COLUMNS = {
    "quarter": "change",
    "year_ending": "year_ending_change",
    "baseline": "since_baseline_change",
}


def describe_counted_change(row: Mapping[str, Any], comparison: str = "quarter") -> str:
    """Say a change of a measure counted in full, the one way every report says it.

    A figure counted in full (opening hours, officers in post, money in the ledger) has
    no chance to rule out, so its change is told by its size and direction, and said to
    be untested: never "a real rise" (whose "real" a reader takes for a test) nor a bare
    "better than a year earlier" (review 14, R14-6: savings, overtime and opening hours
    had been told three ways in one report family).

    Parameters
    ----------
    row : mapping
        A measure's row (``administrative``, and the shown change of the comparison:
        ``change``, ``year_ending_change`` or ``since_baseline_change``).
    comparison : {"quarter", "year_ending", "baseline"}, default "quarter"
        The comparison: the quarter on the same quarter a year earlier, the year ending
        on the year before, or the year ending on the plan's baseline year.

    Returns
    -------
    str
        "up 10.3% (counted in full, not tested)"; empty for a measure not counted in
        full, or with no change on that comparison.
    """
    if say_chance(row):
        return ""
    shown = str(row.get(_COUNTED_COLUMNS[comparison]) or "").strip()
    if not shown or shown.lower() == "nan":
        return ""
    if shown.startswith("-"):
        words = f"down {shown[1:]}"
    elif shown.startswith("+"):
        words = f"up {shown[1:]}"
    else:
        words = f"a change of {shown}"
    return f"{words} {COUNTED_IN_FULL}"


def say_chance(row: Mapping[str, Any], words: str = " by more than chance") -> str:
    """The words that a real change is beyond chance, or ``""`` for a measure counted in full.

    An administrative measure (opening hours, officers in post, money in the ledger:
    ``administrative`` in its row, :func:`~pcplib.assessment.evidence.is_administrative`)
    has no chance to rule out: a change in it is a change, told by its size and direction
    and judged against materiality only, never "by more than chance".

    Parameters
    ----------
    row : mapping
        A measure's row (``administrative``).
    words : str, default " by more than chance"
        The words to say of any other measure.

    Returns
    -------
    str
        ``words``, or ``""`` for an administrative measure.
    """
    counted = row.get("administrative")
    return "" if counted is True or str(counted).strip().lower() == "true" else words


def say_small_close(row: Mapping[str, Any], words: str) -> str:
    """Why a target met but close is close, when its counts are small numbers.

    A count met by less than chance allows on small numbers (``small_numbers``: an
    expected count below :data:`~pcplib.assessment.thresholds.SMALL_COUNT`) is close
    because chance is wide for so few events, not because the count is near its target:
    17 sharp-object admissions against at most 25 is 8 under, yet inside +/- 9. The
    small-numbers note beside it and the rating then say one thing (issue 26, N3). The
    small-numbers rule that makes a measure Grey is for one with no target
    (:mod:`pcplib.assessment.harm`); one with a target is rated on it.

    Parameters
    ----------
    row : mapping
        A measure's row (``small_numbers``).
    words : str
        What to say of such a measure, such as " (wide on numbers this small)".

    Returns
    -------
    str
        ``words`` for a measure on small numbers, else ``""``.
    """
    small = row.get("small_numbers")
    return words if small is True or str(small).strip().lower() == "true" else ""


def grade_evidence(verdict: str) -> str:
    """The grade of an evidence verdict, one of :data:`EVIDENCE_GRADES`, or ``""``.

    Parameters
    ----------
    verdict : str
        One of :data:`pcplib.assessment.evidence.EVIDENCE`.

    Returns
    -------
    str
        ``"real change"``, ``"possible change"`` or ``"no evidence of change"``; ``""``
        for ``"not tested"`` (no test was possible) or an unknown verdict.
    """
    return _GRADE_OF_VERDICT.get(str(verdict or ""), "")


def describe_change_words(judgement: str, direction: str, verdict: str, good: str) -> str:
    """The words a table shows beside a change: for no good direction, its evidence grade.

    A measure with a good direction shows its judgement ("improved", "possibly
    deteriorated", :data:`NO_EVIDENCE`). A measure with no good direction (review 4,
    F14) is never labelled "no good direction" alone, which hides whether the movement
    is beyond chance: it shows the grade of its evidence, then "no good direction".

    Parameters
    ----------
    judgement : str
        The judgement after the evidence (:func:`judge_with_grade`).
    direction : str
        ``"up"``, ``"down"`` or ``"no change"``.
    verdict : str
        The test's verdict (:data:`pcplib.assessment.evidence.EVIDENCE`, or
        ``"not tested"``).
    good : str
        The measure's good direction: ``"higher"``, ``"lower"`` or ``"neutral"``.

    Returns
    -------
    str
        ``judgement`` unchanged for a measure with a good direction or no movement;
        otherwise "a rise beyond chance, no good direction", "possibly a rise, no good
        direction", "no evidence of change, no good direction" or, with no test,
        "a rise (not tested), no good direction".
    """
    if good != "neutral" or direction not in ("up", "down"):
        return judgement
    movement = "a rise" if direction == "up" else "a fall"
    grade = grade_evidence(verdict)
    if verdict == "counted change":
        words = movement  # counted in full: no chance to be beyond
    elif grade == "real change":
        words = f"{movement} beyond chance"
    elif grade == "possible change":
        words = f"possibly {movement}"
    elif grade == NO_EVIDENCE:
        words = NO_EVIDENCE
    else:  # no test was possible: say so rather than imply one
        words = f"{movement} (not tested)"
    return f"{words}, no good direction"


def is_improvement_borne_out(year_judgement: object, since_judgement: object) -> bool:
    """Whether the 12 months bear out a quarter's real improvement on a year ago.

    A quarter against the same quarter a year earlier can jump off one low quarter
    (coping and recovery: 89.6% against 83.4%, the lowest of the series, while the 12
    months moved 0.2 points on the 12 months before and 0.5 on the plan's baseline year).
    Such an improvement counts, for the rating and for "improving", only when the 12
    months against the 12 months before or against the plan's baseline year show at
    least a possible improvement, or when neither was tested (no figures); a worsening
    on the quarter alone still counts, as an early warning (review 4, F16;
    ``docs/methodology.md``, "An improvement must last the year").

    Parameters
    ----------
    year_judgement, since_judgement : str or None
        The judgements of the 12 months against the 12 months before and against the
        plan's baseline year (``year_ending_judgement``, ``since_baseline_judgement``);
        None or ``""`` when not tested.

    Returns
    -------
    bool
        True when a 12-month comparison improved or possibly improved, or none was made.
    """
    tested = [str(j) for j in (year_judgement, since_judgement) if not is_missing(j) and str(j)]
    if not tested:
        return True
    return any(j in ("improved", "possibly improved") for j in tested)


def is_quarter_borne_out(changes: Any) -> bool:
    """:func:`is_improvement_borne_out` for a measure's weighed changes.

    ``changes`` holds ``year``, ``since`` (each with a ``judgement``) and their
    ``year_evidence``, ``since_evidence`` (each with a ``verdict``), as
    :func:`pcplib.assessment.changes.compare_figures` returns them; a comparison whose
    evidence is "not tested" counts as not made.
    """
    judged = [
        None if evidence.verdict == "not tested" else change.judgement
        for change, evidence in (
            (changes.year, changes.year_evidence),
            (changes.since, changes.since_evidence),
        )
    ]
    return is_improvement_borne_out(*judged)


def judge_with_grade(judgement: str, grade: str) -> str:
    """The like-for-like judgement that the grade of its evidence allows.

    A real change keeps "improved" or "deteriorated"; a possible change becomes
    "possibly improved" or "possibly deteriorated" ("possible change" with no good
    direction); anything else is :data:`NO_EVIDENCE`. Judgements that say no movement
    ("no change", "not measurable") are kept.

    Parameters
    ----------
    judgement : str
        The judgement of the movement alone (:func:`pcplib.metrics.judge_change`):
        ``"improved"``, ``"deteriorated"``, ``"no good direction"`` or another.
    grade : str
        One of :data:`EVIDENCE_GRADES`.

    Returns
    -------
    str
        The judgement a reader is shown.
    """
    if judgement not in ("improved", "deteriorated", "no good direction"):
        return judgement
    if grade == "real change":
        return judgement
    if grade == "possible change":
        return "possible change" if judgement == "no good direction" else f"possibly {judgement}"
    return NO_EVIDENCE


def name_baseline_year(measure: Mapping[str, Any]) -> str:
    """The plan's baseline year in words: ``"the plan's baseline year (2024/25)"``.

    Parameters
    ----------
    measure : mapping
        The measure's row, with ``baseline_year`` (``"2024/25"``) or none.

    Returns
    -------
    str
        The name, or ``""`` for a measure without a baseline year.
    """
    year = measure.get("baseline_year")
    if is_missing(year) or not str(year).strip():
        return ""
    return f"the plan's baseline year ({str(year).strip()})"


def describe_baseline_window(label: str, words: str, aggregation: str) -> str:
    """Where the baseline figure comes from, in the words that follow "against 1,234 in".

    Parameters
    ----------
    label : str
        The baseline window's label (``baseline_label``): ``"2024/25"``, ``"March 2025
        (2024/25)"`` for a stock, ``"2024/25 (11 of 12 months)"``, or a label saying why
        there is no figure (``"2024/25: no data"``, ``"no baseline year"``).
    words : str
        :func:`name_baseline_year` of the measure.
    aggregation : str
        The measure's aggregation (``last`` for a stock or year-to-date figure).

    Returns
    -------
    str
        ``"the plan's baseline year (2024/25)"``; for a stock ``"March 2025, the end of the
        plan's baseline year (2024/25)"``; the label as it is when it has no figure.
    """
    label = str(label or "")
    if not words or ":" in label or not label:
        return label
    head, _, rest = label.partition(" (")
    if aggregation == "last" and rest:
        return f"{head}, the end of {words}"
    return f"{words} ({rest}" if rest else words


_POSITIVE_MEANS = re.compile(r"\b([A-Za-z]+) is positive\b")

_OPPOSITES = {
    "overspend": "underspend",
    "underspend": "overspend",
    "surplus": "deficit",
    "deficit": "surplus",
}


def describe_sign(measure: Mapping[str, Any], value: object) -> str:
    """What a figure's sign means, when the measure's definition says ("Overspend is positive").

    A variance of +£196,582 tells a reader nothing until they know whether positive is
    an overspend or an underspend; the catalogue's definition says so in words, and
    the reports repeat them beside the figure.

    Parameters
    ----------
    measure : mapping
        The measure's catalogue row (``definition``).
    value : object
        The figure.

    Returns
    -------
    str
        ``"an overspend"`` for a positive figure of a measure whose definition says
        "Overspend is positive", ``"an underspend"`` for a negative one; ``""`` when
        the definition does not say, the opposite word is not known, or the figure is
        zero or missing.
    """
    match = _POSITIVE_MEANS.search(str(measure.get("definition") or ""))
    if match is None or is_missing(value):
        return ""
    number = float(value)  # type: ignore[arg-type]
    word = match.group(1).lower()
    if number < 0:
        word = _OPPOSITES.get(word, "")
    if number == 0 or not word:
        return ""
    article = "an" if word[0] in "aeiou" else "a"
    return f"{article} {word}"


def name_chart_period(first: str, last: str) -> str:
    """The period that set an SPC chart's limits, in words.

    Parameters
    ----------
    first, last : str
        Its first and last months, ``YYYY-MM`` (``spc_limits_from``, ``spc_limits_to``).

    Returns
    -------
    str
        ``"the chart's reference period (August 2023 to March 2025)"``, or ``"the
        chart's first points"`` when the months are not known.
    """
    if not first or not last:
        return "the chart's first points"
    span = month_span(periods.parse_month(first), periods.parse_month(last))
    return f"the chart's reference period ({span})"


_SPC_WAY = {
    "special_cause_improvement": "better",
    "special_cause_concern": "worse",
}
_SINCE_WAY = {
    "improved": "better",
    "deteriorated": "worse",
    "possibly improved": "better",
    "possibly deteriorated": "worse",
}


def describe_disagreement_tail(row: Mapping[str, Any]) -> str:
    """The clause that says how the test on the baseline year differs from the chart.

    Parameters
    ----------
    row : mapping
        As for :func:`describe_disagreement`.

    Returns
    -------
    str
        "though the latest 12 months show no evidence of change from the plan's baseline
        year (2024/25)", or ``""`` when the two agree or either is missing.
    """
    base = str(row.get("baseline_year_words") or "")
    since = str(row.get("since_baseline_judgement") or "")
    if not base or since in ("", "not measurable", "no change", "no good direction"):
        return ""
    if not say_chance(row):
        # Counted in full (administrative), the change on the baseline year is a change,
        # not a test of chance, so there is no second verdict to set against the chart's.
        return ""
    if row.get("spc_status") != "assessed":
        return ""
    way = _SPC_WAY.get(str(row.get("spc_variation") or ""), "")
    since_way = _SINCE_WAY.get(since, "")
    possibly = since.startswith("possibly")
    lead = "though the latest 12 months are"
    if way and (since_way != way or possibly):
        if possibly:
            only = "only " if since_way == way else ""
            return f"{lead} {only}possibly {since_way} than {base} (not yet conclusive)"
        if since_way:
            return f"{lead} {since_way} than {base} by more than chance"
        return f"though the latest 12 months show no evidence of change from {base}"
    if since_way and not way and not possibly:
        return f"{lead} {since_way} than {base} by more than chance"
    return ""


def describe_disagreement(row: Mapping[str, Any]) -> str:
    """One sentence when the SPC verdict and the test on the baseline year disagree.

    They disagree when the chart shows a signal (better or worse than its reference
    period) that the latest 12 months do not show against the plan's baseline year, or
    when the test on the baseline year finds a real change the chart does not show.

    Parameters
    ----------
    row : mapping
        A measure's verdict: ``spc_status``, ``spc_variation``, ``spc_limits_from``,
        ``spc_limits_to``, ``since_baseline_judgement`` and ``baseline_year_words``.

    Returns
    -------
    str
        For example "The chart shows a signal of concern against the chart's reference
        period (August 2023 to March 2025), though the latest 12 months show no evidence
        of change from the plan's baseline year (2024/25).", or ``""`` when they agree
        or either is missing.
    """
    tail = describe_disagreement_tail(row)
    if not tail:
        return ""
    chart = name_chart_period(
        str(row.get("spc_limits_from") or ""), str(row.get("spc_limits_to") or "")
    )
    way = _SPC_WAY.get(str(row.get("spc_variation") or ""), "")
    if way:
        signal = "improvement" if way == "better" else "concern"
        return f"The chart shows a signal of {signal} against {chart}, {tail}."
    return f"The chart shows no signal against {chart}, {tail}."


def name_reference_periods(row: Mapping[str, Any], measure: Mapping[str, Any]) -> dict[str, str]:
    """A measure row's reference periods in words, and where SPC and the year disagree.

    Parameters
    ----------
    row : mapping
        The measure's verdict so far (``baseline_label``, ``aggregation``,
        ``spc_limits_from``, ``spc_limits_to``, ``spc_status``, ``spc_variation``,
        ``since_baseline_judgement``).
    measure : mapping
        Its catalogue row (``baseline_year``).

    Returns
    -------
    dict of str to str
        ``baseline_year_words``, ``baseline_words``, ``chart_period_words`` (empty
        without SPC limits) and ``evidence_disagreement`` (:func:`describe_disagreement`).
    """
    words = name_baseline_year(measure)
    first, last = str(row.get("spc_limits_from") or ""), str(row.get("spc_limits_to") or "")
    named = {
        "baseline_year_words": words,
        "baseline_words": describe_baseline_window(
            str(row.get("baseline_label") or ""), words, str(row.get("aggregation") or "")
        ),
        "chart_period_words": name_chart_period(first, last) if first else "",
    }
    named["evidence_disagreement"] = describe_disagreement({**row, **named})
    return named


def say_continued_change(row: Mapping[str, Any], before: str = "the plan") -> str:
    """The words that say a change since the plan began continues an earlier one, or "".

    "continuing a fall that began before the plan" (``before="it"`` where the words
    follow "since the plan began"), from the row's one flag ``since_baseline_continues``
    (:func:`~pcplib.assessment.changes.name_continued_change`), for every place that
    gives the verdict since the plan began: the public sentences, the measure's
    sentence, the detail table and the annual evaluation. A fall already real in the
    baseline year on the year before it is not the plan's doing, and a reader told
    "a real improvement since the plan began" alone credits the plan (review 20).
    """
    way = str(row.get("since_baseline_continues") or "")
    if way not in ("fall", "rise"):
        return ""
    return f"continuing a {way} that began before {before}"
