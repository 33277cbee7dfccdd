"""Fixed wording of the reports: audiences, the method note and the annual tests note."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pcplib.assessment import spc_words
from pcplib.assessment.caveats import RISE_IN_REPORTS
from pcplib.assessment.multiplicity import MANY_TESTS
from pcplib.assessment.spc_words import (
    ASSURANCE_PHRASES,
    VARIATION_PHRASES,
    select_sign_phrases,
    select_variation_phrases,
)
from pcplib.assessment.thresholds import (
    BASELINE_MIN_POINTS,
    DELIVERY_THRESHOLDS,
    HIGH_RISK_SCORE,
    MATERIAL_CHANGE_PCT,
    MATERIAL_CHANGE_PP,
    MIN_RATED_HEADLINE,
    RAG_TOLERANCE,
    SIGNIFICANCE,
    SMALL_COUNT,
    WEAK_EVIDENCE,
)

if TYPE_CHECKING:
    from pcplib.assessment.multiplicity import ChanceCount

RAG_WORDS = ("Green", "Amber", "Red", "Grey")
"""The rating words, best first, then the one for nothing to rate."""


def describe_rag_meanings(audience: str = "public") -> dict[str, str]:
    """Say what each rating word means: the one definition every report and key quotes.

    Built from the thresholds that decide the ratings
    (:mod:`pcplib.assessment.thresholds`), so the words cannot drift from the rules.

    Parameters
    ----------
    audience : {"public", "technical"}, default "public"
        ``"public"``: plain English for residents (the public report, its About page,
        the index's key). ``"technical"``: the rules with their thresholds, for the
        Board's method notes and the technical annex.

    Returns
    -------
    dict of str to str
        ``{"Green": ..., "Amber": ..., "Red": ..., "Grey": ...}``, each a phrase
        without a capital or a full stop.

    Raises
    ------
    ValueError
        For an audience other than the two above.
    """
    tolerance = f"{RAG_TOLERANCE * 100:g}%"
    if audience == "public":
        return {
            "Green": "on target (even if only just), or, with no target, no sign of things "
            "getting worse",
            "Amber": f"a target missed by no more than {tolerance} of it, a figure short of "
            "its target by too little to tell from the usual ups and downs, a target met "
            "this time but missed most of the time before, a target met "
            "while things got really worse, or, with no target, things may be getting worse",
            "Red": f"a target clearly missed by more than {tolerance} of it, or things really "
            f"getting worse (for crimes reported to Action Fraud, {RISE_IN_REPORTS})",
            "Grey": "nothing to rate yet: no figures, no right way for the figure to go, too "
            "few events to tell a change from chance, no like-for-like figure from before the "
            "plan, a target for a later date already met before the plan began, or not enough "
            "evidence either way",
        }
    if audience == "technical":
        return {
            "Green": "target or trajectory met, also when met by less than chance allows "
            "(unless the record of meeting it or the SPC assurance shows the process on the "
            "wrong side; the record counts from the latest shift on the chart, starting at the "
            "first point of the run that signalled it, so its sign test is then approximate, "
            "once a year for a rolling figure, and never the waves of a panel survey; an exact "
            "count the "
            "organisation sets, such as opening hours or headcount, has no allowance for "
            "chance, since it has no sampling error, but its record is read all the same); "
            "with no "
            "target, SPC against a stable reference period shows no concern and the tests of "
            "change no deterioration, real or possible (with no SPC verdict, only a real "
            "improvement on a test of counts or proportions, that of a quarter only where the "
            "year ending bears it out)",
            "Amber": f"target or trajectory missed by up to {tolerance} of it, a figure short "
            "of its target by less than chance allows (the margin of error of a survey, or the "
            "95% allowance from the variation of the series) unless the process is shown "
            "to miss it, a target met by less than chance allows while the process is shown "
            "to miss it, an exact count that meets its target while its record since the "
            "latest shift shows it met less often than chance would give (met, but not "
            "reliably), or a target met with a real deterioration (beyond chance on a test "
            "of change, or an SPC concern in the period); with no target, a possible "
            f"deterioration on a test of change (material, p < {WEAK_EVIDENCE:g}), or an SPC "
            "concern from runs or trends alone that the tests of change do not confirm (said "
            "as such, never as a possible rise unless a test finds one)",
            "Red": f"target or trajectory missed by more than {tolerance}, beyond chance or "
            "shown by the process; with no target, a deterioration beyond chance "
            f"(p < {SIGNIFICANCE:g}) and material (for crimes reported to Action Fraud, "
            f"{RISE_IN_REPORTS}), or an SPC concern in the period with a "
            "point beyond the limits (or where no test of change could be made)",
            "Grey": "no data, no good direction, a share of crimes by outcome counted from "
            "police.uk short of its target while the latest outcomes of the period are still "
            "open, or no target and no "
            "SPC verdict (no stable reference period, too few points, a rolling figure) with "
            "no real improvement on a test of counts or proportions; and, where it would "
            "otherwise be Green, small numbers (an expected "
            f"count below {SMALL_COUNT}: too few to tell), no comparable baseline (a "
            "definition changed after the start of the baseline year), or a dated target the "
            "baseline year already met (it asks for no improvement)",
        }
    raise ValueError(f"audience {audience!r}: expected 'public' or 'technical'")


def format_rag_legend(audience: str = "public") -> str:
    """Write each rating word's meaning as a sentence, from :func:`describe_rag_meanings`.

    Parameters
    ----------
    audience : {"public", "technical"}, default "public"
        As for :func:`describe_rag_meanings`.

    Returns
    -------
    str
        Plain text: "Green means on target, .... Amber means ...." and so on.
    """
    meanings = describe_rag_meanings(audience)
    return " ".join(f"{word} means {meanings[word]}." for word in RAG_WORDS)


NARRATIVE_SECTIONS: tuple[tuple[str, str], ...] = (
    ("progress", "Progress and actions"),
    ("successes", "Successes"),
    ("challenges", "Challenges"),
    ("risks", "Risks to delivery"),
)


def describe_roll_up(audience: str = "public") -> str:
    """Say how a strategy's rating is rolled up from its measures', in one sentence.

    The one statement of the rule every report, the About page and the index print, so
    none leaves out the count a rating needs (review 7, F12:
    :func:`~pcplib.assessment.strategy.is_enough_rated`).

    Parameters
    ----------
    audience : {"public", "technical"}, default "public"
        ``"public"``: "main measures", for residents; ``"technical"``: "rated headline
        measures", for the Board.

    Returns
    -------
    str
        A sentence with its full stop.
    """
    if audience == "public":
        return (
            "A strategy's rating is the worst of its main measures' ratings; with fewer "
            f"than {MIN_RATED_HEADLINE} of them rated, or under half, it is Grey (too little "
            "rated) unless one is Amber or Red."
        )
    return (
        "A strategy's overall rating is the worst of its rated headline measures, given at "
        f"least {MIN_RATED_HEADLINE} and at least half of them rated (or all, where it has "
        "fewer); otherwise it is Grey, too little rated, unless a rated one is Amber or Red, "
        "which no rating of the rest could raise."
    )


def format_rating_method() -> str:
    """Return the strategy report's "How the rating is reached" section.

    Returns
    -------
    str
        HTML: a heading and a paragraph giving the rating words' meanings
        (:func:`format_rag_legend`, technical: the one definition the other reports quote),
        how the overall rating is rolled up, and what the summary's lists hold.
    """
    text = (
        "RAG is always written as a word as well as shown in colour. A measure with a "
        "target is rated against it or, before a dated target falls due, against the "
        "straight line from the baseline to the target. "
        + format_rag_legend("technical")
        + f" {describe_roll_up('technical')} The sentence beside it says what drove it."
    )
    lists = (
        "<strong>Needs attention</strong> lists the measures rated Amber or Red (a target or "
        "trajectory missed, too close to it to say whether it was met, or met but not "
        "reliably; a real or possible deterioration), the commitments off track, at risk or "
        "overdue, the Board's actions overdue (neither done nor dropped and due before this "
        f"meeting), and any high risk (likelihood × impact of {HIGH_RISK_SCORE} or more), "
        "called new only when the strategy's risk return for the quarter before shows it "
        "below that or not listed; "
        "<strong>what "
        "improved</strong> lists the measures showing a real improvement (not a mixed "
        "picture, one whose quarter went the wrong way on a year earlier, unless its chart "
        "shows a signal of improvement, then said as mixed), or meeting their "
        "target by more than its usual variation (a target met only within its usual "
        "variation, by less than chance allows or, for a figure counted in full, while its "
        "chart shows no change and its limits straddle the target, whatever its record, is "
        "listed only if the measure is also better than a year earlier)."
    )
    return f"<h2>How the rating is reached</h2><p>{html.escape(text, quote=False)} {lists}</p>"


# ``{board}`` is the data set's board (dataset.yaml's board.name).
AUDIENCE_WORDS = {
    "board": "{board} (may include restricted measures)",
    "public": "Public (public measures only)",
}


def _describe_delivery_bands() -> str:
    """The projected-delivery bands in words, from :data:`DELIVERY_THRESHOLDS`."""
    (top, top_rag), *middle, (_, bottom_rag) = DELIVERY_THRESHOLDS
    words = [f"{top:g}% or more {top_rag}", *(f"{low:g}% {rag}" for low, rag in middle)]
    return ", ".join([*words, f"under {middle[-1][0]:g}% {bottom_rag}"])


# The thresholds the method texts quote, from assessment/thresholds.py, so that a change
# to a threshold changes what readers are told.
_SIGNIFICANT = f"p < {SIGNIFICANCE:g}"
_MATERIAL = f"{MATERIAL_CHANGE_PCT:g}%, or {MATERIAL_CHANGE_PP:g} percentage point" + (
    "" if MATERIAL_CHANGE_PP == 1 else "s"
)

_METHOD_TESTS = (
    "Every comparison is like for like. The reporting quarter's figure (a count of events "
    "is the quarter's total, a level its average, a stock or year-to-date figure its last "
    "month's) is compared with the same quarter a year earlier; an annual measure's year "
    "with the year before. The year ending with the quarter (the latest 12 months) is "
    "compared with the 12 months before it, and progress since the plan began compares "
    "the latest 12 months with the baseline year. Arrows show direction only (▲ up, ▼ "
    "down, ► no change, ‡ not measurable); the judgement reads the measure's good "
    "direction, and a measure with no good direction is reported as a trend. A target with "
    "a date is judged, until then, against a straight line from the baseline year to the "
    "target. A change is called improved or deteriorated only when it is beyond chance "
    f"({_SIGNIFICANT} on a test that allows for the series' own variation: for counts the "
    "exact Poisson test or, when the series varies more than Poisson, the quasi-Poisson "
    "test, whichever p is larger; Laney or quasi-binomial for proportions; the series' own "
    "point-to-point variation for levels; for a seasonal measure, one its chart adjusts, "
    "that variation net of its season, as like seasons are compared) and material "
    f"({_MATERIAL}); a material change with p < {WEAK_EVIDENCE:.2f} but not "
    f"{SIGNIFICANCE:.2f} is a possible "
    "change, not yet conclusive; otherwise there is no evidence of change. A figure the "
    "organisation counts in full itself (opening hours, officers in post, money in its "
    "accounts) is not tested: a material change in it is called improved or deteriorated "
    "as it stands. A change in per cent is worked out from the unrounded figures, so it "
    "may differ in the last digit from one worked out from the rounded figures shown. The "
    "same three grades (real change, possible change, no evidence of change) are used "
    "everywhere. "
)
_METHOD_RATINGS = (
    format_rag_legend("technical") + f" {describe_roll_up('technical')} Statistical "
    "process control (SPC) uses XmR charts whose limits (mean ± 2.66 × the average "
    "period-to-period change) come from the chart's reference period, by default the "
    "plan's baseline year and the months just before it to make at least "
    f"{BASELINE_MIN_POINTS} points (so it "
    "is not the baseline year itself, and an SPC signal and the test against the baseline "
    "year can differ; the report says so when they do), and are carried "
    "forward unchanged; they are recalculated only at a documented change to the process. "
    "A reference period that itself shifted or trended is not used: its latest stable "
    "period sets the limits, or no SPC verdict is given. The limits never include the "
    "period being judged, and a rolling 12-month figure, whose points overlap, gets no "
    "SPC verdict. "
    "Seasonal series are seasonally adjusted before charting, so a seasonal pattern alone "
    "is not a signal. A signal is a point outside the limits, a run of points on one side "
    "of the mean, a sustained rise or fall, or two of three points near a limit; a signal "
    "whose points in the period, on average, differ from the centre line by less than the "
    f"materiality of the tests of change ({_MATERIAL}) is too small to matter, however far "
    "one point lies, so it is not called a change. With "
    "fewer than 13 points there are no limits and no judgement. Projected delivery is the "
    "share of commitments complete or on track, leaving out those not yet due and not "
    f"started: {_describe_delivery_bands()}."
)


def describe_about(expected: float) -> str:
    """Say a number expected by chance as a reader counts it: "about 8", "on average 0.8".

    Under one is given to a decimal, never "fewer than one" or "none": 15 tests at the 5%
    level expect 0.75 changes beyond chance, but give at least one in about half of
    quarters with nothing changed.
    """
    if expected < 1:
        return f"on average {expected:.1f}"
    return f"about {math.floor(expected + 0.5)}"


def describe_chance_count(chance: ChanceCount, audience: str = "public") -> str:
    """Say how many tests a report made and how many chance alone could pass, in a sentence.

    With many tests at the 5% level, about one in twenty is "beyond chance" when nothing
    changed, so a reader weighs a single "real" change against the count (the annual
    evaluation's caveat, for the quarter: docs/methodology.md, "Many tests").

    Parameters
    ----------
    chance : ChanceCount
        From :func:`pcplib.assessment.multiplicity.count_chance_comparisons`.
    audience : {"public", "technical"}, default "public"
        ``"public"``: plain English, for the public report and its About page, of the
        quarter's tests; ``"technical"``: for a report's method note.

    Returns
    -------
    str
        The sentence with its full stop; ``""`` when nothing was tested.
    """
    if chance.tested == 0:
        return ""
    about = describe_about(chance.expected)
    possible = describe_about(chance.possible)
    if audience == "public":
        # "At most": a comparison whose change is too small to matter is tested, and so
        # counted, but is never called real or possible, so chance alone gives fewer
        # than the count times the level. "Passes" had read as "is fine" (review 16, R16-4).
        number = about.removeprefix("about ").removeprefix("on average ")
        bound = f"at most {about}" if about.startswith("about") else f"at most {number} on average"
        more = possible.removeprefix("about ").removeprefix("on average ")
        return (
            f"With nothing changed, up to one check in {_describe_odds(SIGNIFICANCE)} can "
            "look like a real change by chance alone, and one more in "
            f"{_describe_odds(WEAK_EVIDENCE - SIGNIFICANCE)} like a possible one: of this "
            f"quarter's {chance.tested}, {bound} could look real and {more} more possible, "
            "so a change only one comparison shows is the least sure."
        )
    heading = "Many tests" if chance.tested >= MANY_TESTS else "Tests"
    return (
        f"{heading}: this report rests on {chance.tested} tests of change at the "
        f"{SIGNIFICANCE:.0%} level, so {about} could be beyond chance when nothing changed "
        f"and {possible} more a possible change (p < {WEAK_EVIDENCE:.2f} but not "
        f"{SIGNIFICANCE:.2f}); a change beyond "
        "chance on one comparison only, which the others and the chart do not bear out, is "
        "the weakest evidence."
    )


_NUMBER_WORDS = {10: "ten", 20: "twenty"}


def _describe_odds(level: float) -> str:
    """A test level as the odds a reader counts: 0.05 is "twenty" (one in twenty)."""
    odds = round(1 / level)
    return _NUMBER_WORDS.get(odds, str(odds))


def format_method_note(chance: ChanceCount | None = None) -> str:
    """Return a quarterly report's method note, with its count of tests when given.

    Parameters
    ----------
    chance : ChanceCount, optional
        The report's tests (:func:`pcplib.assessment.multiplicity.count_chance_comparisons`):
        the note then says how many it made and how many chance alone could pass
        (:func:`describe_chance_count`), after the grades of change it explains.

    Returns
    -------
    str
        Plain text: :data:`METHOD_NOTE`, with the count of tests when given.
    """
    many = describe_chance_count(chance, "technical") if chance is not None else ""
    return _METHOD_TESTS + (f"{many} " if many else "") + _METHOD_RATINGS


METHOD_NOTE = format_method_note()
"""The quarterly reports' method note, with no count of tests (:func:`format_method_note`)."""


ANNUAL_TESTS_NOTE = (
    "Each year is compared with the baseline year like for like: counts of events "
    "(offences, admissions, calls) as the year's totals, levels (percentages, rates, "
    "average days) as the year's averages, and stocks or rolling figures (headcounts, fleet "
    "shares, 12-month survey results) as the year-end figure. Counts of events, and rates "
    "with their counts, are tested with the exact conditional test for two counts, or a "
    "quasi-Poisson test when the series varies more than chance alone would make it (the "
    "larger p-value counts). "
    "Percentages with a numerator and denominator are compared as two proportions, widened "
    "by Laney's or the quasi-binomial adjustment when the series varies more than sampling "
    "explains, with a Wilson interval for the year widened by the same dispersion; a panel "
    "survey's year counts as one wave's sample. Figures the force counts in full itself "
    "(headcounts, opening hours, money in its accounts) are not tested: a change large "
    "enough to matter is a change. Other stocks (shares of the fleet) and levels and "
    "amounts (energy, tonnes, days, scores, and receipts that follow court orders) are "
    "tested against the series' own period-to-period variation. For a seasonal measure "
    "(one whose quarterly chart is seasonally adjusted) that variation is taken net of its "
    "season, as the years compared cover the same seasons. "
    f"A change is called significant when {_SIGNIFICANT} and it is large enough to matter "
    f"({_MATERIAL})."
)


PUBLIC_CAUSE_WORDS = (
    "The figures show whether things got better or worse since the plan began, not why. "
    "They do not show that the plan's work made a figure better, nor that it failed where "
    "one got worse: there is no place without the plan to compare with, results can take "
    "more than a year to show, and other things move the figures too. Where a figure was "
    "already getting better or worse before the plan began, the report says so."
)
"""The annual evaluation's caveat on cause, in residents' words: the public report's
About page and each public strategy page carry it (docs/methodology.md, "What a change
since the plan began cannot show")."""


VARIATION_WORDS: dict[str | None, str] = {
    **{c: p.heading for c, p in VARIATION_PHRASES.items()},
    None: "Too few points to judge",
}

ASSURANCE_WORDS: dict[str | None, str] = {c: p.heading for c, p in ASSURANCE_PHRASES.items()}

RAG_BASIS_WORDS = {
    "target": "against target",
    "trajectory": "against trajectory",
    "spc": "on SPC (no target)",
    "evidence": "on the evidence of change (no target)",
    "none": "not rated",
}


UNCONFIRMED_CONCERN = spc_words.UNCONFIRMED_CONCERN
"""The heading of an SPC concern the tests of change do not confirm (rated Amber, never
"a real change for the worse": ``harm_spc_unconfirmed``, :mod:`pcplib.assessment.harm`);
the chart's caption leads with the same words
(:data:`pcplib.assessment.spc_words.UNCONFIRMED_CONCERN`)."""


def describe_variation(
    status: str,
    variation: str | None,
    rule: str = "",
    immaterial: Any = "",
    row: Mapping[str, Any] | None = None,
) -> str:
    """The SPC variation in words, from a measure's ``spc_status`` and ``spc_variation``.

    ``rule`` is the rating's ``rag_rule``: a concern the tests do not confirm
    (``harm_spc_unconfirmed``) is headed :data:`UNCONFIRMED_CONCERN`. ``immaterial`` is
    the measure's ``spc_immaterial``: a signal too small to call a change is headed in
    its words, never "No signal" beside a point the chart flags (review 10, R10-9).
    ``row`` is the measure's verdict: a concern in reports to Action Fraud is headed as
    more reports, which may be more reporting
    (:func:`~pcplib.assessment.spc_words.select_variation_phrases`; review 20, R20-4).
    """
    if rule == "harm_spc_unconfirmed" and variation == "special_cause_concern":
        return UNCONFIRMED_CONCERN
    if status == "assessed" and isinstance(immaterial, str) and immaterial:
        return immaterial
    if status == "not assessed":
        return "Not assessed"
    if status == "unstable baseline":
        return "No SPC verdict: no stable reference period to set the chart's limits"
    if status == "rolling figure":
        return "No SPC verdict: a rolling 12-month figure, each point overlapping the last"
    if status == "year-to-date figure":
        return "No SPC verdict: a year-to-date figure, building up through the year"
    if status != "assessed" or not isinstance(variation, str):
        return "Not enough data to judge"
    # The code given rules, so the heading never tells another code's words.
    phrases = None if row is None else select_variation_phrases({**row, "spc_variation": variation})
    if phrases is not None:
        return phrases.heading
    return VARIATION_WORDS.get(variation, variation)


def describe_assurance(
    status: str, assurance: str | None, has_target: bool, row: Mapping[str, Any] | None = None
) -> str:
    """The SPC assurance in words: whether the target will be met if nothing changes.

    ``row`` is the measure's verdict: limits that straddle the target beside a record
    whose sign test shows the side are headed as the record shows, never "by chance"
    (:func:`~pcplib.assessment.spc_words.select_sign_phrases`; review 10, R10-15).
    """
    if status != "assessed":
        return "Not assessed"
    signed = select_sign_phrases(row) if row is not None else None
    if signed is not None:
        return signed.sign_heading
    if isinstance(assurance, str) and assurance:
        return ASSURANCE_WORDS.get(assurance, assurance)
    return "Not assessed" if has_target else "No target"
