"""Every phrase that turns an SPC code into words, in one table per kind of code.

A variation code (:data:`pcplib.spc.POINT_TYPES`) and an assurance code
(:data:`pcplib.spc.ASSURANCE_TYPES`) are told in several places, each with its own
phrasing: a sentence of the assessment, a chart's legend and alt text, the table of
measures, the SPC summary's "what it means". They are all here, one row per code, so a
new code or a change of meaning is made in one place, and a unit test checks that every
code has every phrase. The modules that print them take their column of this table.

The assessment floor holds it because both the assessment's sentences and the report
floor use it (the report may read the assessment, never the other way round).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from pcplib.assessment.caveats import MORE_REPORTING, is_rise_in_reports

__all__ = [
    "ASSURANCE_PHRASES",
    "REPORTS_CONCERN",
    "SIGN_TEST_BASIS",
    "SIGNAL_SHAPE_PHRASES",
    "UNCONFIRMED_CONCERN",
    "VARIATION_PHRASES",
    "AssurancePhrases",
    "VariationPhrases",
    "select_sign_phrases",
    "select_variation_phrases",
]


@dataclass(frozen=True)
class VariationPhrases:
    """How one variation code is told, in each place that tells it.

    Attributes
    ----------
    clause : str
        The assessment's sentence, with ``{period}`` for the chart's reference period
        (:mod:`pcplib.assessment.sentences`).
    period : str
        A signal somewhere in the reporting period, as the SPC summary's lead says it;
        empty for common cause, which is no signal (:mod:`pcplib.assessment.spc_verdict`).
    latest : str
        The latest point's own verdict, beside a signal earlier in the period.
    recent : str
        A signal in the 12 months before the reporting period; empty for common cause.
    alt_text : str
        A chart's alt text ("The latest point shows ...", :mod:`pcplib.report.chart_text`).
    heading : str
        The table of measures' and the SPC summary's variation cell
        (:mod:`pcplib.report.words`).
    meaning : str
        What it means for the Board, after *Making Data Count*'s icon guide
        (:mod:`pcplib.report.spc_summary`).
    legend : str
        The chart legend's label for a point of this kind (:mod:`pcplib.report.charts`).
    """

    clause: str
    period: str
    latest: str
    recent: str
    alt_text: str
    heading: str
    meaning: str
    legend: str


@dataclass(frozen=True)
class AssurancePhrases:
    """How one assurance code is told, in each place that tells it.

    Attributes
    ----------
    tail : str
        The end of the assessment's target sentence when the limits decided it.
    record_tail : str
        The same when the one-sided record decided it (``spc_assurance_basis``
        "record"): a record is no forecast, so it says what the limits leave open; empty
        for ``inconsistent``, which a one-sided record never is.
    alt_text : str
        A chart's alt text.
    heading : str
        The table of measures' and the SPC summary's assurance cell.
    meaning : str
        What it means for the Board: a forecast, which only the limits can give.
    record_meaning : str
        What it means when the one-sided record decided it, with ``{record}`` for the
        record ("every month (18 of 18) since April 2025"): a record, never a forecast
        (review 9, R9-8); empty for ``inconsistent``.
    sign_heading, sign_meaning, sign_tail, sign_alt_text, sign_caption : str
        How this side is told when the limits straddle the target (``inconsistent``) but
        the record's sign test shows the process on this side (``spc_assurance_basis``
        "sign test", :func:`~pcplib.assessment.spc_assurance.settle_assurance_words`): the
        rating already counts that record (:func:`~pcplib.assessment.chance.judge_process_side`),
        so no report calls it "by chance" (review 10, R10-15). ``sign_meaning`` has
        ``{count}`` for the record's count ("2 of 26 quarters"), ``sign_caption``
        (what the chart's caption says of the target) ``{why}`` for the record's reason;
        empty for ``inconsistent``, which is no side.
    """

    tail: str
    record_tail: str
    alt_text: str
    heading: str
    meaning: str
    record_meaning: str
    sign_heading: str = ""
    sign_meaning: str = ""
    sign_tail: str = ""
    sign_alt_text: str = ""
    sign_caption: str = ""


VARIATION_PHRASES: dict[str, VariationPhrases] = {
    "common_cause": VariationPhrases(
        clause="within the normal variation of {period}",
        period="",
        latest="the latest point is within the limits",
        recent="",
        alt_text="common-cause variation only (no signal)",
        heading="No signal: within the normal variation of the chart's reference period",
        meaning="Stable: only normal ups and downs; a better result needs a change to the process.",
        legend="Common cause (normal variation)",
    ),
    "special_cause_improvement": VariationPhrases(
        clause="better than {period} by more than chance",
        period="Special-cause improvement in the reporting period",
        latest="the latest point signals improvement",
        recent="a signal of improvement",
        alt_text="a special cause showing improvement",
        heading="Signal of improvement: a real change for the better",
        meaning="Something has changed for the better: find out what, and keep it.",
        legend="Special cause: improvement",
    ),
    "special_cause_concern": VariationPhrases(
        clause="worse than {period} by more than chance",
        period="Special-cause concern in the reporting period",
        latest="the latest point signals concern",
        recent="a signal of concern",
        alt_text="a special cause of concern",
        heading="Signal of concern: a real change for the worse",
        meaning="Something has changed for the worse: find the cause and act on it.",
        legend="Special cause: concern",
    ),
    "special_cause_neutral_high": VariationPhrases(
        clause="higher than {period} by more than chance",
        period="Special-cause variation upwards in the reporting period",
        latest="the latest point signals a rise",
        recent="a signal of a rise",
        alt_text="a special cause upwards (neither good nor bad)",
        heading="Signal: a real rise (neither good nor bad)",
        meaning=(
            "A real rise in a measure with no good direction: understand why before judging it."
        ),
        legend="Special cause (neither good nor bad)",
    ),
    "special_cause_neutral_low": VariationPhrases(
        clause="lower than {period} by more than chance",
        period="Special-cause variation downwards in the reporting period",
        latest="the latest point signals a fall",
        recent="a signal of a fall",
        alt_text="a special cause downwards (neither good nor bad)",
        heading="Signal: a real fall (neither good nor bad)",
        meaning=(
            "A real fall in a measure with no good direction: understand why before judging it."
        ),
        legend="Special cause (neither good nor bad)",
    ),
}
"""One row per variation code of :data:`pcplib.spc.POINT_TYPES`, in its order."""

REPORTS_CONCERN = replace(
    VARIATION_PHRASES["special_cause_concern"],
    heading=f"Signal of concern: more reports than usual, {MORE_REPORTING}",
    meaning="Reports have really risen: find out whether it is more crime or more reporting "
    "before acting.",
)
"""A signal of concern in reports to Action Fraud
(:func:`~pcplib.assessment.caveats.is_rise_in_reports`), headed and explained as what it
may be, as the "But:" beside the strategy's rating and the measure's sentence say: never
"a real change for the worse" with "find the cause and act on it", as if crime had risen
(review 20, R20-4). Its other phrases are the concern's own."""


def select_variation_phrases(row: Mapping[str, Any]) -> VariationPhrases | None:
    """The phrases of a measure's variation code, told for what the measure counts.

    Parameters
    ----------
    row : mapping
        A measure's verdict: ``spc_variation``, ``source`` and ``good_direction``.

    Returns
    -------
    VariationPhrases or None
        :data:`REPORTS_CONCERN` for a signal of concern in reports to Action Fraud, the
        code's own row otherwise; None for a code with no row (no verdict).
    """
    code = row.get("spc_variation")
    if not isinstance(code, str) or code not in VARIATION_PHRASES:
        return None
    if code == "special_cause_concern" and is_rise_in_reports(row):
        return REPORTS_CONCERN
    return VARIATION_PHRASES[code]


ASSURANCE_PHRASES: dict[str, AssurancePhrases] = {
    "consistent_pass": AssurancePhrases(
        tail="its limits lie on the right side of it, so it will be met if nothing changes",
        record_tail="though its limits do not rule out a miss",
        alt_text="the target is met consistently",
        heading="Target consistently met",
        meaning="The target will be met if nothing changes.",
        record_meaning=(
            "Met {record}; its limits do not rule out a miss, so this is a record, not a forecast."
        ),
        sign_heading="Target within the process limits, but met more often than chance",
        sign_meaning=(
            "Met in {count}, more often than chance would give, though its limits do not "
            "rule out a miss."
        ),
        sign_tail=(
            "its limits straddle it, but that is more often than chance would give, though "
            "they do not rule out a miss"
        ),
        sign_alt_text=(
            "the target is within the process limits, but met more often than chance would "
            "give, though its limits do not rule out a miss"
        ),
        sign_caption=(
            "is met more often than chance would give ({why}), though its limits do not "
            "rule out a miss"
        ),
    ),
    "consistent_fail": AssurancePhrases(
        tail="its limits lie on the wrong side of it, so it will not be met without a change",
        record_tail="though its limits do not rule out a pass",
        alt_text="the target is missed consistently",
        heading="Target consistently missed",
        meaning="The target will not be met unless the process changes.",
        record_meaning=(
            "Missed {record}; its limits do not rule out a pass, so this is a record, not "
            "a forecast."
        ),
        sign_heading="Target within the process limits, but met less often than chance",
        sign_meaning=(
            "Met in only {count}, less often than chance would give: it will not be met "
            "reliably without a change."
        ),
        sign_tail=(
            "its limits straddle it, but that is less often than chance would give, so it "
            "will not be met reliably without a change"
        ),
        sign_alt_text=(
            "the target is within the process limits, but met less often than chance would "
            "give: it will not be met reliably without a change"
        ),
        sign_caption="is not reliably met ({why})",
    ),
    "inconsistent": AssurancePhrases(
        tail="its limits straddle it, so it may be met or missed by chance",
        record_tail="",
        alt_text="the target is hit and miss: met or missed by chance",
        heading="Target within the process limits: it may be met or missed by chance",
        meaning=(
            "Hit and miss: the target will be met in some periods and missed in others by "
            "chance; meeting it reliably needs a change."
        ),
        record_meaning="",
    ),
}
"""One row per assurance code of :data:`pcplib.spc.ASSURANCE_TYPES`, in its order."""

SIGN_TEST_BASIS = "sign test"
"""The ``spc_assurance_basis`` of limits that straddle the target (``inconsistent``)
beside a record whose sign test shows the process on one side: the code stays, and every
report words it with the ``sign_*`` phrases of that side (review 10, R10-15)."""


def select_sign_phrases(row: Mapping[str, Any]) -> AssurancePhrases | None:
    """The phrases of the side the record's sign test shows, or None.

    Parameters
    ----------
    row : mapping
        A measure's verdict: ``spc_assurance``, ``spc_assurance_basis`` and
        ``target_process``.

    Returns
    -------
    AssurancePhrases or None
        ``consistent_pass``'s row for a record met more often than chance,
        ``consistent_fail``'s for one met less often, when the limits straddle the
        target; None otherwise (the code's own phrases stand).
    """
    if row.get("spc_assurance") != "inconsistent" or row.get("spc_assurance_basis") != (
        SIGN_TEST_BASIS
    ):
        return None
    side = {"met": "consistent_pass", "missed": "consistent_fail"}.get(
        str(row.get("target_process") or "")
    )
    return None if side is None else ASSURANCE_PHRASES[side]


SIGNAL_SHAPE_PHRASES: dict[str, str] = {
    "beyond": "a {unit} outside its chart's limits",
    "run": "a run of {units} {side} its chart's centre line",
    "trend": "a run of {units} each {way} than the last",
    "near": "two of three {units} close to its chart's {limit} limit",
}
"""What kind of signal a chart shows in the reporting period, by the rule it trips
(:func:`~pcplib.assessment.spc_verdict.describe_signal_shape`): a point beyond the
limits, a run on one side of the centre line, a trend, or two of three points near a
limit. Only the first is "outside its chart's usual range"; the others rest on where
the centre line sits, and are never told as if a point had left the limits."""

UNCONFIRMED_CONCERN = (
    "Signal of concern from a run or trend, not confirmed by the tests of change against a "
    "year ago and the baseline year"
)
"""How an SPC concern the tests of change do not confirm (``harm_spc_unconfirmed``,
rated Amber) is headed everywhere it is told: the SPC summary and the table of measures
(:func:`pcplib.report.words.describe_variation`) and the chart's caption
(:func:`pcplib.assessment.spc_verdict.restate_unconfirmed`); never "a real change in
the wrong direction" (review 9, R9-23)."""
