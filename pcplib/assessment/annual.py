"""The annual evaluation: each public measure's year against its baseline year.

With the test of change every report uses (:mod:`pcplib.assessment.evidence`): exact or
quasi-Poisson for counts and rates with numerators, quasi-binomial or Laney for
proportions with numerators, the series' own variation for levels and amounts, and
materiality and small numbers as everywhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pcplib import metrics, periods
from pcplib.assessment.changes import (
    judge_like_for_like,
    judge_on_evidence,
    name_continued_change,
    weigh_year_before_plan,
)
from pcplib.assessment.evidence import (
    YEAR_TO_DATE_REASON,
    Evidence,
    estimate_margin,
    is_administrative,
    is_panel,
    weigh_change,
)
from pcplib.assessment.figures import Window, aggregation_of, compute_baseline, compute_window
from pcplib.assessment.measures import has_previous_definition, regular_frame
from pcplib.assessment.scope import get_series, measures_for_audience
from pcplib.assessment.thresholds import CONFIDENCE, MATERIAL_CHANGE_PCT, MATERIAL_CHANGE_PP
from pcplib.assessment.vocabulary import NO_EVIDENCE
from pcplib.labels import describe_rate_basis, plural
from pcplib.periods import month_number

if TYPE_CHECKING:
    from pcplib.data import Dataset


def _year_window(current_def: pd.DataFrame, measure: Mapping[str, Any], year: str) -> Window:
    start, _ = periods.parse_financial_year(year)
    first = month_number(start)
    frequency, unit = str(measure["frequency"]), str(measure.get("unit") or "")
    return compute_window(
        current_def, first, first + 11, frequency, aggregation_of(measure), year, unit=unit
    )


COUNTED_TEST = "none (counted in full)"
"""The annual evaluation's test of an administrative measure: none, since its figure is
counted in full (:func:`~pcplib.assessment.evidence.is_administrative`); a change is
better or worse when it is material, and too small to matter otherwise."""

COUNTED_VERDICTS = ("counted change", "below materiality")
"""The evidence verdicts of an administrative measure's change (no test of chance)."""

NO_TEST_WORDS = {
    YEAR_TO_DATE_REASON: (
        "a year-to-date figure builds up through the year and starts again each April, so "
        "no test of chance can be sized from its movement"
    ),
    "too few points to size noise": "too few points to size the series' own variation",
}
"""Why a change had no test, in plain words, by the evidence's reason
(:func:`~pcplib.assessment.evidence.weigh_change`): the annex and the limits of the
evidence say the measure's own reason, never a blanket one (review 7, F20)."""


def describe_no_test(reason: str) -> str:
    """Say in plain words why a change had no test of chance.

    Parameters
    ----------
    reason : str
        The evidence's ``reason`` (:class:`~pcplib.assessment.evidence.Evidence`).

    Returns
    -------
    str
        Such as "too few points to size the series' own variation"; the reason itself
        when it has no plainer words.
    """
    return NO_TEST_WORDS.get(reason, reason or NO_TEST_WORDS["too few points to size noise"])


_TEST_NAMES = {
    "exact Poisson": "counts (exact conditional)",
    "quasi-Poisson": "counts (quasi-Poisson)",
    "two proportions": "two proportions",
    "Laney proportions": "proportions (Laney)",
    "quasi-binomial": "proportions (quasi-binomial)",
    "level z-test": "level (series' own variation)",
    "level t-test": "level (series' own variation)",
}


def _verdict_words(evidence: Evidence, change: Any) -> str:
    """The test's verdict in the three grades every report uses (real, possible, none)."""
    word = "increase" if change.direction == "up" else "decrease"
    if evidence.real:
        return f"statistically significant {word}"
    if evidence.verdict == "possible change":
        small = " on small numbers" if evidence.small_numbers else ""
        return f"possible {word}{small}, not yet conclusive"
    return NO_EVIDENCE


def _finding(evidence: Evidence, change: Any, this: Window, measure: Mapping[str, Any]) -> str:
    words = {
        "beyond chance": "a change beyond chance",
        "possible change": "a possible change, not yet conclusive (p below 0.10, not 0.05)",
        "within noise": "within the series' usual variation",
        "below materiality": "below the threshold of a change that matters",
        "small numbers": "small numbers, too few to tell from chance",
        "no change": "no change",
    }[evidence.verdict]
    text = f"Change {change.text}: {words} ({evidence.reason})."
    interval = describe_year_interval(this, evidence, measure)
    if interval:
        text += f" {interval}"
    margin = estimate_year_margin(this, measure)
    if margin is not None:
        one = (
            " (one wave's sample: a panel asks the same people each wave)"
            if is_panel(measure) and this.present > 1
            else ""
        )
        text += f" Survey margin of error +/- {margin:.1f} points (95%){one}."
    return text


def estimate_year_margin(this: Window, measure: Mapping[str, Any]) -> float | None:
    """A survey percentage's 95% margin of error over a year, the one every table shows.

    A panel survey asks the same people each wave, so its year's answers are one wave's
    sample, not the waves' sum: the year's numerator and denominator are divided by the
    waves present before the Wilson margin is taken (the annex's finding and the targets
    table read this one figure; review 6 F5).

    Parameters
    ----------
    this : Window
        The year (``numerator``, ``denominator``, ``present`` waves).
    measure : mapping
        The catalogue row (``unit``, ``source``).

    Returns
    -------
    float or None
        The margin in percentage points; None for a measure that is not a survey
        percentage, or with no sample sizes.
    """
    from pcplib.assessment.chance import is_survey

    if not is_survey(measure):
        return None
    x, n = this.numerator, this.denominator
    if x is None or not n:
        return None
    waves = max(1, this.present) if is_panel(measure) else 1
    return estimate_margin(x / waves, n / waves)


def describe_year_interval(this: Window, evidence: Evidence, measure: Mapping[str, Any]) -> str:
    """The year's figure with its 95% interval, as wide as the test's own variation.

    For a proportion tested on its numerators: a Wilson interval about the year's figure
    (the one the table shows), on an effective sample of the year's denominator divided
    by the dispersion the test used (Laney's phi or the quasi-binomial dispersion;
    Spiegelhalter 2005) and, for a panel survey, by its number of waves (the same people
    asked each wave). Empty for any other measure.

    Parameters
    ----------
    this : Window
        The year evaluated (``value`` in per cent, ``numerator``, ``denominator``).
    evidence : Evidence
        The test of the year's change (its ``test`` and ``dispersion``).
    measure : mapping
        The catalogue row (``source``, for a panel).

    Returns
    -------
    str
        "2025/26: 67.3% (95% CI 63.9% to 70.6%), the 95% confidence interval, widened
        for the series' variation (dispersion 101.4)." or "".
    """
    if evidence.test not in ("two proportions", "Laney proportions", "quasi-binomial"):
        return ""
    if this.value is None or not this.denominator or this.denominator <= 0:
        return ""
    from pcplib import stats

    dispersion = max(1.0, float(evidence.dispersion or 1.0))
    waves = max(1, this.present) if is_panel(measure) else 1
    share = min(1.0, max(0.0, float(this.value) / 100))
    n = float(this.denominator)
    interval = stats.wilson_interval(share * n, n, CONFIDENCE, design_effect=dispersion * waves)
    why = []
    if dispersion > 1:
        why.append(f"the series' variation (dispersion {dispersion:.1f})")
    if waves > 1:
        why.append(f"a panel's {waves} waves of the same people")
    widened = f", widened for {' and '.join(why)}" if why else ""
    return f"{this.label}: {interval.describe()}, the 95% confidence interval{widened}."


def evaluate_year(dataset: Dataset, year: str) -> pd.DataFrame:
    """Compare every public measure's year with its baseline year, with a test that fits.

    The year's figure follows the measure's ``aggregation`` as every other comparison
    does (:mod:`pcplib.assessment.figures`), and the baseline is the measure's one
    baseline (:func:`~pcplib.assessment.figures.compute_baseline`), the figure every
    report shows. The test is the one every report uses
    (:func:`~pcplib.assessment.evidence.weigh_change`): exact or quasi-Poisson for
    counts and rates with numerators, quasi-binomial or Laney for proportions with
    numerators, and the series' own variation for levels; a change is significant only
    when it is beyond chance and material.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    year : str
        The financial year evaluated, such as ``"2025/26"``.

    Returns
    -------
    pandas.DataFrame
        One row per public measure: ``strategy_name``, ``measure_name``, ``unit``,
        ``rate_per`` (what a rate's figures are per, or empty), ``baseline_year``,
        ``aggregation``, ``baseline``, ``current``, ``change``, ``arrow``, ``judgement``,
        ``test`` (the kind of test, or ``none``), ``verdict``, ``evidence``,
        ``finding`` (a sentence with the change, the test and its threshold, or why
        there is no test), ``no_test_reason`` (why a change with two figures had no
        test, in plain words: :func:`describe_no_test`; empty otherwise), then the
        judgements the words say, for readers to format: ``direction`` (``up``,
        ``down``, ``no change`` or ``not measurable``), ``compared`` (False for the
        baseline year itself, a measure with no baseline year, one recorded under its
        previous definition then, or a year without figures), ``tested`` (a test of
        chance gave a verdict, or the two figures are equal), ``beyond_chance`` (the
        test found a change beyond chance and material), ``small_numbers`` (the
        test rests on small numbers), ``since_baseline_continues`` ("fall" or "rise"
        when the change is real and the baseline year was already a real change the same
        way on the year before it, as the quarterly reports judge it:
        :func:`~pcplib.assessment.changes.name_continued_change`; ``""`` otherwise) and
        ``chart_no_signal`` (a change beyond chance that the measure's chart, at the
        year's last month, does not show: :func:`_read_chart_no_signal`).
    """
    names = dataset.strategies.set_index("strategy_id")["strategy_name"]
    rows = []
    for m in measures_for_audience(dataset, audience="public").to_dict("records"):
        series = get_series(dataset, m["measure_id"])
        current_def = series[series["definition"] == "current"]
        base_year = str(m.get("baseline_year") or "")
        aggregation = aggregation_of(m)
        unit, good = str(m["unit"]), str(m["good_direction"])
        frequency = str(m["frequency"])
        this = _year_window(current_def, m, year)
        base = compute_baseline(current_def, m, frequency, aggregation) if base_year else None
        current = this.value
        baseline = base.value if base is not None else None
        # A variance (a series that goes below zero) changes in money, never by a per cent.
        signed = bool((current_def["value"].dropna() < 0).any())
        change = judge_like_for_like(baseline, current, unit, good, signed)
        change = metrics.convert_scale_change(change, m)  # a 1-5 grade moves in points
        test, verdict, evidence_word, no_test = "none", "", "", ""
        # The judgements the readers' words are formatted from, so that no reader parses
        # the verdict's or the finding's words (a comparison made, a test's grade).
        compared, beyond_chance, small_numbers = True, False, False
        continued = ""  # a real change since the baseline continuing one before the plan
        if base_year == year:
            compared = False
            finding = f"{year} is this measure's baseline year."
        elif base is None:
            compared = False
            finding = "Not measurable: the measure has no baseline year."
        elif baseline is None and base.present == 0 and _previous_in(series, base_year):
            compared = False
            finding = (
                f"Not measurable: the baseline year's figures ({base_year}) were recorded "
                "under the previous definition, so they are not compared with current ones."
            )
        elif current is None or baseline is None:
            compared = False
            finding = (
                "Not measurable: a year's total needs every period, and one of the two years "
                "has periods missing."
                if aggregation == "sum" and (this.present or base.present)
                else "Not measurable: no figures for one of the two years."
            )
        else:
            _, stop = periods.parse_financial_year(year)
            ends = pd.DatetimeIndex(current_def["period_end"])
            history = regular_frame(current_def[np.asarray(ends <= stop)], frequency)
            evidence = weigh_change(base, this, history, m)
            if evidence.small_numbers:
                # As every report tells it: a handful of events changes by a difference,
                # never a percentage ("+11", not "+110.0%": docs/methodology.md).
                change = metrics.count_small_change(change, unit)
            change = judge_on_evidence(change, evidence)
            evidence_word = evidence.verdict
            # The quarterly's one rule: the baseline year on the year before it, by the
            # same test, says whether the year continues a change already under way.
            before, before_evidence = weigh_year_before_plan(base, history, current_def, m)
            continued = name_continued_change(change, evidence, before, before_evidence)
            if evidence.verdict == "no change":
                test, verdict = "none (equal figures)", NO_EVIDENCE
                finding = f"Change {change.text}: the two years' figures are equal."
            elif evidence.test:
                test = _TEST_NAMES.get(evidence.test, evidence.test)
                verdict = _verdict_words(evidence, change)
                beyond_chance, small_numbers = evidence.real, evidence.small_numbers
                finding = _finding(evidence, change, this, m)
            elif is_administrative(m) and evidence.verdict in COUNTED_VERDICTS:
                # Counted in full: a change is a change, judged against materiality only
                # (no verdict of a test, so it is not counted among the tests of chance).
                test = COUNTED_TEST
                size = "at or above" if evidence.verdict == "counted change" else "below"
                bar = (
                    f"{MATERIAL_CHANGE_PP:g} pp"
                    if unit == "percent"
                    else f"{MATERIAL_CHANGE_PCT:g}%"
                )
                finding = (
                    f"Change {change.text} ({change.judgement}): an administrative figure, "
                    f"counted in full, so no test of chance; the change is {size} the "
                    f"threshold of a change that matters (materiality {bar})."
                )
            else:
                no_test = describe_no_test(evidence.reason)
                finding = f"Change {change.text} ({change.judgement}); no test: {no_test}."
        rows.append(
            {
                "strategy_name": names.get(m["strategy_id"], m["strategy_id"]),
                "measure_name": m["measure_name"],
                "unit": unit,
                "rate_per": describe_rate_basis(m, "year"),
                "baseline_year": base_year,
                "aggregation": aggregation,
                "baseline": baseline,
                "current": current,
                "change": change.text,
                "arrow": change.arrow,
                "judgement": change.judgement,
                "test": test,
                "verdict": verdict,
                "evidence": evidence_word,
                "finding": finding,
                "no_test_reason": no_test,
                "direction": change.direction,
                "compared": compared,
                "tested": bool(verdict),
                "beyond_chance": beyond_chance,
                "small_numbers": small_numbers,
                "since_baseline_continues": continued,
                # A change beyond chance that the measure's chart does not show is told
                # with the chart's caveat (assessment.chart_caveats).
                "chart_no_signal": beyond_chance and _read_chart_no_signal(dataset, m, year),
            }
        )
    columns = [
        "strategy_name", "measure_name", "unit", "rate_per", "baseline_year", "aggregation",
        "baseline", "current", "change", "arrow", "judgement", "test", "verdict", "evidence",
        "finding", "no_test_reason", "direction", "compared", "tested", "beyond_chance",
        "small_numbers", "since_baseline_continues", "chart_no_signal",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _previous_in(series: pd.DataFrame, year: str) -> bool:
    start, stop = periods.parse_financial_year(year)
    return has_previous_definition(series, start, stop)


# --- the synthesis: by mission and strategy, commitments, comparisons, limits ---------

OUTCOMES = ("better", "worse", "changed, no good direction", "possible change", NO_EVIDENCE,
            "not tested", "not measurable")  # fmt: skip
"""What a measure's year says, in :func:`classify_year_changes`: better or worse by more
than chance, changed by more than chance with no good direction, a possible change (not
yet conclusive: p below 0.10, not 0.05), no evidence of change, a change with no test (a
level or an amount), or not measurable. The evidence grades are those of every report
(:mod:`pcplib.assessment.vocabulary`)."""


def classify_year_changes(dataset: Dataset, evaluation: pd.DataFrame) -> pd.DataFrame:
    """Add to each row of :func:`evaluate_year` what it says: better, worse, or neither.

    "18 changed by more than chance" hides which way: this splits them by the measure's
    good direction. A change beyond chance (a significant test) in a measure's good
    direction is *better*, against it *worse*, and in a measure with no good direction
    *changed, no good direction*; a possible change (p below 0.10, not 0.05) is *possible
    change*, and a test that rules out nothing is *no evidence of change*.

    Parameters
    ----------
    dataset : Dataset
        The data set evaluated.
    evaluation : pandas.DataFrame
        From :func:`evaluate_year` (its rows in the order of the public measures).

    Returns
    -------
    pandas.DataFrame
        The evaluation with ``measure_id``, ``strategy_id``, ``mission_id``,
        ``mission_name``, ``tier`` and ``outcome`` (one of :data:`OUTCOMES`).
    """
    measures = measures_for_audience(dataset, audience="public").reset_index(drop=True)
    if list(measures["measure_name"]) != list(evaluation["measure_name"]):
        raise ValueError("the evaluation's rows are not the data set's public measures")
    strategies = dataset.strategies.set_index("strategy_id")
    missions = dataset.missions.set_index("mission_id")["mission_name"]
    out = evaluation.copy()
    out["measure_id"] = list(measures["measure_id"])
    out["strategy_id"] = list(measures["strategy_id"])
    out["mission_id"] = [str(strategies.loc[s, "mission_id"]) for s in out["strategy_id"]]
    out["mission_name"] = [str(missions.get(m, m)) for m in out["mission_id"]]
    out["tier"] = list(measures["tier"])
    outcomes = []
    for r in out.to_dict("records"):
        if r["beyond_chance"] or r["evidence"] == "counted change":
            # Beyond chance on its test, or a material change in a figure counted in full.
            outcome = {"improved": "better", "deteriorated": "worse"}.get(
                r["judgement"], "changed, no good direction"
            )
        elif r["test"] == COUNTED_TEST:
            outcome = NO_EVIDENCE  # counted in full, and too small a change to matter
        elif r["evidence"] == "possible change":
            outcome = "possible change"
        elif r["tested"]:
            outcome = NO_EVIDENCE
        elif r["judgement"] == "not measurable" or not r["compared"]:
            outcome = "not measurable"
        else:
            outcome = "not tested"
        outcomes.append(outcome)
    out["outcome"] = outcomes
    return out


def _read_chart_no_signal(dataset: Dataset, measure: Mapping[str, Any], year: str) -> bool:
    """Whether the chart of a measure changed by more than chance in the year shows no signal.

    The measure's chart at the year's last month (the quarterly reports' verdict at that
    month: :func:`~pcplib.assessment.chart_caveats.has_chart_no_signal`) flags nothing in
    the year's last quarter nor the 12 months before it, so nothing in the year: the
    test's change is then told with the chart's caveat, as the strategy report's "Chart
    and baseline-year test differ" tells it (review 21, R21-2).
    """
    from pcplib.assessment.chart_caveats import has_chart_no_signal
    from pcplib.assessment.measures import summarise_measure

    _, stop = periods.parse_financial_year(year)
    last = str(pd.Timestamp(stop).to_period("M"))
    return has_chart_no_signal(summarise_measure(dataset, measure, last))


def _due_in(commitments: pd.DataFrame, year: str) -> pd.Series:
    _, stop = periods.parse_financial_year(year)
    due = pd.to_datetime(commitments["due_date"], errors="coerce")
    return due <= stop


def summarise_year_by_strategy(
    dataset: Dataset, classified: pd.DataFrame, year: str
) -> pd.DataFrame:
    """Count each strategy's outcomes of the year and its commitments delivered against due.

    The plan's delivery strategies are built on a theory of change (seed 000, para 23):
    the commitments are what each strategy does, the measures the outcomes it expects to
    move. This sets the two side by side, strategy by strategy.

    Parameters
    ----------
    dataset : Dataset
        The data set evaluated.
    classified : pandas.DataFrame
        From :func:`classify_year_changes`.
    year : str
        The year evaluated (``"2025/26"``); a commitment is due in it when its due date
        is on or before the year's end.

    Returns
    -------
    pandas.DataFrame
        One row per strategy (in the data set's order): ``mission_id``,
        ``mission_name``, ``strategy_id``, ``strategy_name``, ``measures``, one column per
        outcome of :data:`OUTCOMES`, ``commitments`` (all), ``due`` (by the year's end)
        and ``delivered`` (complete among those due).
    """
    missions = dataset.missions.set_index("mission_id")["mission_name"]
    rows = []
    for s in dataset.strategies.to_dict("records"):
        mine = classified[classified["strategy_id"] == s["strategy_id"]]
        counts = mine["outcome"].value_counts()
        commitments = dataset.commitments[dataset.commitments["strategy_id"] == s["strategy_id"]]
        due = commitments[_due_in(commitments, year)]
        status = due["status"].astype(str).str.strip().str.lower()
        rows.append(
            {
                "mission_id": s["mission_id"],
                "mission_name": str(missions.get(s["mission_id"], s["mission_id"])),
                "strategy_id": s["strategy_id"],
                "strategy_name": str(s["strategy_name"]),
                "measures": len(mine),
                **{o: int(counts.get(o, 0)) for o in OUTCOMES},
                "commitments": len(commitments),
                "due": len(due),
                "delivered": int((status == "complete").sum()),
            }
        )
    frame = pd.DataFrame(rows)
    order = {m: i for i, m in enumerate(dataset.missions["mission_id"])}
    return frame.sort_values("mission_id", key=lambda c: c.map(order), kind="stable").reset_index(
        drop=True
    )


def summarise_year_by_mission(by_strategy: pd.DataFrame) -> pd.DataFrame:
    """Add up :func:`summarise_year_by_strategy` by mission (and a plan-wide total row).

    Parameters
    ----------
    by_strategy : pandas.DataFrame
        From :func:`summarise_year_by_strategy`.

    Returns
    -------
    pandas.DataFrame
        One row per mission, then one with ``mission_id`` ``all`` for the whole plan:
        the same count columns, and ``strategies``.
    """
    columns = ["measures", *OUTCOMES, "commitments", "due", "delivered"]
    grouped = by_strategy.groupby(["mission_id", "mission_name"], sort=False)[columns].sum()
    grouped["strategies"] = by_strategy.groupby(["mission_id", "mission_name"], sort=False).size()
    grouped = grouped.reset_index()
    total: dict[str, object] = {"mission_id": "all", "mission_name": "The whole plan"}
    total.update({c: int(grouped[c].sum()) for c in [*columns, "strategies"]})
    return pd.concat([grouped, pd.DataFrame([total])], ignore_index=True)


def describe_comparisons(dataset: Dataset) -> str:
    """Say plainly what comparison beyond the force area's own past the data set allows.

    Parameters
    ----------
    dataset : Dataset
        The data set.

    Returns
    -------
    str
        One or two sentences: the other areas the observations hold (peer forces, local
        areas or the nation, as loaded), or that there are none, and how many public
        measures mirror a national measure whose national figures are not in the data set.
    """
    areas = dataset.observations["area"].dropna().astype(str)
    counts = areas.value_counts()
    # The evaluation is public: a restricted measure never enters a count, even as a
    # number (review 13, R13-5).
    public = measures_for_audience(dataset, audience="public")
    national = public["national_measure"].fillna("").astype(str).str.strip()
    mirrored = int((national != "").sum())
    mirror = (
        f" {mirrored} of the plan's public measures mirror a National Crime and Policing "
        "Measure, "
        "but the national figures for them are not in the data set."
        if mirrored
        else ""
    )
    if len(counts) <= 1:
        own = counts.index[0] if len(counts) else "the force area"
        return (
            f"The data set holds figures for {own} only: no peer force and no national "
            "figures, so each outcome is compared only with the force area's own baseline "
            "year, and a change here may be part of a wider, national trend." + mirror
        )
    own, others = counts.index[0], list(counts.index[1:])
    return (
        f"Besides {own}, the data set holds figures for {len(others)} other area"
        f"{'s' if len(others) != 1 else ''} ({', '.join(others)}). This evaluation compares "
        f"{own} with its own baseline year only; it does not yet set its changes against "
        "theirs." + mirror
    )


def count_chance_findings(classified: pd.DataFrame) -> tuple[int, int, int]:
    """Count the measures tested and how many would show a change by chance alone.

    With many tests at the 5% level, about one in twenty shows a change "beyond chance"
    when nothing changed, and one more in twenty a "possible change" (p from 0.05 to
    0.10): a reader weighs a single such result against these counts, as the quarterly
    reports' count of tests has them
    (:class:`~pcplib.assessment.multiplicity.ChanceCount`).

    Parameters
    ----------
    classified : pandas.DataFrame
        From :func:`classify_year_changes` (``tested``).

    Returns
    -------
    tuple of int
        The measures tested; the number expected beyond chance by chance alone (tested
        times :data:`~pcplib.assessment.thresholds.SIGNIFICANCE`, rounded); and the
        number more expected to show a possible change (tested times the grade's width,
        :data:`~pcplib.assessment.thresholds.WEAK_EVIDENCE` less ``SIGNIFICANCE``,
        rounded), those beyond chance not counted again.
    """
    from pcplib.assessment.thresholds import SIGNIFICANCE, WEAK_EVIDENCE

    tested = int(classified["tested"].sum())
    return (
        tested,
        round(tested * SIGNIFICANCE),
        round(tested * (WEAK_EVIDENCE - SIGNIFICANCE)),
    )


def find_commitments_status_month(dataset: Dataset) -> str:
    """The month the commitments' status is read at: the data set's latest month.

    ``commitments.csv`` keeps each commitment's latest status and no completion date, so
    the annual evaluation can say which commitments due in the year are complete now,
    as reported with the data set's latest figures, but not whether they were on time.

    Parameters
    ----------
    dataset : Dataset
        The data set.

    Returns
    -------
    str
        ``YYYY-MM``: the month of the observations' latest period end (``""`` with none).
    """
    ends = pd.to_datetime(dataset.observations["period_end"], errors="coerce").dropna()
    return str(pd.Timestamp(ends.max()).to_period("M")) if len(ends) else ""


def list_evidence_limits(dataset: Dataset, classified: pd.DataFrame, year: str) -> list[str]:
    """List what the evidence of the year cannot say, in plain sentences.

    Parameters
    ----------
    dataset : Dataset
        The data set.
    classified : pandas.DataFrame
        From :func:`classify_year_changes`.
    year : str
        The year evaluated.

    Returns
    -------
    list of str
        The limits: attribution (a before-and-after comparison has no counterfactual),
        the comparison available, chance across many tests, what "no evidence of change" means,
        measures with no test or not measurable, commitments' status read now, and
        illustrative data.
    """
    tested, expected, possible = count_chance_findings(classified)
    counts = classified["outcome"].value_counts()
    limits = [
        "Cause: the plan's theory of change expects each strategy's commitments to move its "
        "outcomes, but comparing a year with the baseline year cannot show that they did. "
        "With no comparison group, a change may come from other causes (the economy, "
        "national policy, recording practice).",
        describe_comparisons(dataset),
        # The possible grade's figure too, as the quarterly's count gives it: without it
        # the possible changes read as more than chance gives (review 16, R16-6).
        f"Chance: {tested} measures were tested at the 5% level, so about "
        f"{expected} could show a change beyond chance, and about {possible} more a "
        "possible change, by chance alone; read a single "
        "such result beside the measure's chart over time in its strategy's report.",
        "No evidence of change does not mean that nothing changed: it means chance cannot "
        "be ruled out, often because the numbers are small. A possible change (one that "
        "chance alone would give less than one time in ten, but more than one in twenty) "
        "is not yet conclusive: another year's figures will tell.",
    ]
    limits.extend(describe_untested(classified))
    unmeasurable = int(counts.get("not measurable", 0))
    if unmeasurable:
        limits.append(
            f"{plural(unmeasurable, 'measure')} cannot be compared with the baseline year (a "
            "changed definition, a year with periods missing, or the baseline year itself)."
        )
    limits.append(
        f"Commitments: their status is the latest reported, not as it stood at the end of "
        f"{year}, and a commitment counts as delivered only when it is complete."
    )
    if dataset.illustrative:
        limits.append("The figures are illustrative sample data, not real performance data.")
    return limits


def describe_untested(classified: pd.DataFrame) -> list[str]:
    """Say which measures had no test of chance, and why, from their own reasons.

    A blanket "levels, amounts of money, rates and scores have no test" was false: levels
    and money are tested on their own variation (review 7, F20). Each reason gets one
    sentence naming its measures (up to three; beyond that, a count).

    Parameters
    ----------
    classified : pandas.DataFrame
        From :func:`classify_year_changes` (``outcome``, ``measure_name`` and, when
        present, ``no_test_reason``).

    Returns
    -------
    list of str
        One sentence per reason, such as "1 measure (Revenue budget variance, year to
        date) was not tested: a year-to-date figure builds up ..."; empty when every
        measure with two figures was tested.
    """
    untested = classified[classified["outcome"] == "not tested"]
    if untested.empty:
        return []
    reasons = (
        untested["no_test_reason"].fillna("").astype(str)
        if "no_test_reason" in untested.columns
        else pd.Series("", index=untested.index)
    )
    sentences = []
    for reason in dict.fromkeys(reasons):
        names = list(untested.loc[reasons == reason, "measure_name"].astype(str))
        n = len(names)
        which = f" ({'; '.join(names)})" if n <= 3 else ""
        sentences.append(
            f"{plural(n, 'measure')}{which} {'was' if n == 1 else 'were'} not tested: "
            f"{reason or describe_no_test('')}. The change is shown but not judged "
            "against chance."
        )
    return sentences
