"""The annual evaluation's targets: each targeted public measure's year against its target.

The year's figure is the annual evaluation's own (:mod:`pcplib.assessment.annual`); the
verdict is read off the rating every report gives
(:func:`~pcplib.assessment.targets.rate_measure`), with the target's process at the
year's end as the quarter that closes the year reads it, so the year and that quarter
follow one rule (review 8, N2).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import periods
from pcplib.assessment.annual import _year_window, estimate_year_margin
from pcplib.assessment.figures import aggregation_of, compute_baseline
from pcplib.assessment.measures import regular_frame
from pcplib.assessment.scope import get_series, measures_for_audience
from pcplib.assessment.target_record import describe_untested_record
from pcplib.labels import describe_rate_basis, is_missing
from pcplib.periods import month_number

if TYPE_CHECKING:
    from pcplib.data import Dataset

__all__ = ["YEAR_TARGET_OUTCOMES", "judge_year_targets"]


YEAR_TARGET_OUTCOMES = (
    "met", "missed", "within the margin of error", "within chance", "not shown to be met",
    "on course", "behind", "asks for no improvement",
)  # fmt: skip
"""What the year says of a measure's target: met or missed (a target that applies), within
the margin of error (a survey figure short of its target by less than its margin: too
close to tell), within chance (any other figure short of it by less than chance allows:
too close to tell), not shown to be met (met by less than chance allows, while the
target's record to the year's end shows a process that misses it), on course or behind
(a dated target not yet due, against the straight line towards it). A figure on the
right side by less than chance allows is met (or on course), with ``close`` set; one
within chance on the side its record shows is met or missed as it stands (``settled``):
the one rule of :func:`~pcplib.assessment.targets.rate_measure`."""


def _judge_year_target(
    value: float,
    goal: float,
    good: str,
    course: bool,
    allowance: float | None,
    process: tuple[str, str] = ("", ""),
    survey: bool = False,
) -> tuple[str, bool]:
    """The year's outcome against its target (or course), and whether it is close.

    Read off the rating every report gives (:func:`~pcplib.assessment.targets.rate_measure`,
    so the rule exists once): on the right side by less than chance allows, met (or on
    course) but close, unless the process lies on the wrong side (not shown to be met);
    on the wrong side by less than that, too close to tell (``""``: the caller names it,
    within the margin of error or within chance), unless the process lies on that side
    too (missed, or behind). An administrative measure has no allowance (None): met or
    missed exactly.

    Parameters
    ----------
    value, goal : float
        The year's figure and what the year is held to (the target, or its course).
    good : {"higher", "lower"}
        The measure's good direction.
    course : bool
        A dated target not yet due, judged on its course: "on course" or "behind".
    allowance : float or None
        The 95% allowance for chance (a survey's margin of error with ``survey``); None
        for an administrative measure.
    process : tuple of (str, str), default ("", "")
        Which side of the target the process lies on, and why
        (:func:`~pcplib.assessment.chance.judge_process_side`), read at the year's end.
    survey : bool, default False
        Whether ``allowance`` is a survey's margin of error.

    Returns
    -------
    tuple of (str, bool)
        The outcome (one of :data:`YEAR_TARGET_OUTCOMES`, or ``""`` for too close to tell)
        and whether it is met (or on course) but close.
    """
    from pcplib.assessment.chance import TargetChance
    from pcplib.assessment.targets import TargetForPeriod, meets_target, rate_measure

    basis = "trajectory" if course else "target"
    chance = None if allowance is None else TargetChance(allowance, "", survey)
    rating = rate_measure(
        value, TargetForPeriod(goal, goal, basis, "", goal), good, None,
        chance=chance, process=process,
    )  # fmt: skip
    if rating.within_chance:
        return ("not shown to be met" if meets_target(value, goal, good) else ""), False
    met = rating.rag == "Green"
    if course:
        return ("on course" if met else "behind"), rating.close
    return ("met" if met else "missed"), rating.close


def _read_year_end_process(
    dataset: Dataset, measure: Mapping[str, Any], stop: pd.Timestamp
) -> dict[str, Any]:
    """The target's process at the year's end, as the quarter ending then reads it.

    The quarterly assessment of the quarter that closes the year
    (:func:`~pcplib.assessment.measures.summarise_measure`) gives which side of its target
    the process lies on (the SPC assurance, else the sign test of the record since the
    chart's limits were set: :func:`~pcplib.assessment.chance.judge_process_side`), so
    the year and that quarter's report read one record by one rule.
    """
    from pcplib.assessment.measures import summarise_measure

    row = summarise_measure(dataset, measure, str(stop.to_period("M")))
    by_limits = row["spc_assurance"] in ("consistent_pass", "consistent_fail") and (
        row["spc_assurance_basis"] != "record"
    )
    return {
        "process": str(row["target_process"] or ""),
        "process_reason": str(row["target_process_reason"] or ""),
        "process_by": ("limits" if by_limits else "record") if row["target_process"] else "",
        "record": str(row["target_record"] or ""),
        # A one-sided record's span and side, which a reader sets in its own clause.
        "record_span": str(row["target_record_span"] or ""),
        "record_side": str(row["target_record_side"] or ""),
        "record_untested": describe_untested_record(measure),
    }


def judge_year_targets(dataset: Dataset, year: str) -> pd.DataFrame:
    """Judge each targeted public measure's year figure against its target.

    The year's figure is the annual evaluation's own (the measure's aggregation over the
    financial year), and the target is the one every report rates against
    (:func:`~pcplib.assessment.targets.compute_target_for_period`, read for the whole
    year): a count's target per month or quarter times the year's periods; a dated
    target not yet due at the year's end by its straight-line course from the baseline
    year (or the target itself when the baseline already met it), so "on course" or
    "behind", never "met" before its date. The rule every report uses
    (:mod:`pcplib.assessment.chance`): a figure on the wrong side of its target by less
    than chance allows (a survey's 95% margin of error, or the series' own allowance) is
    neither met nor missed, and one on the right side by less than that is met, but
    close, unless the target's record up to the year's end (or its chart's limits) shows
    the process on one side of it, read as the quarter that closes the year reads it
    (:func:`_read_year_end_process`): a narrow miss on a record of misses is missed, and
    a narrow pass on a record of misses is not shown to be met. An administrative
    measure meets or misses exactly.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    year : str
        The financial year, such as ``"2025/26"``.

    Returns
    -------
    pandas.DataFrame
        One row per public measure with a target, in catalogue order: ``strategy_name``,
        ``measure_name``, ``unit``, ``rate_per``, ``aggregation``, ``good_direction``,
        ``frequency``, ``current`` (the year's figure, None when the year is
        incomplete), ``target`` (what the year is held to), ``target_final`` (as the
        catalogue states it: a count's per month or quarter), ``target_date``, ``basis``
        (``target`` or ``course``), ``margin`` (a survey's margin of error, or None),
        ``chance`` (any other figure's 95% allowance for chance, from
        :func:`~pcplib.assessment.chance.estimate_target_chance`; None for an
        administrative measure, met or missed exactly), ``outcome`` (one of
        :data:`YEAR_TARGET_OUTCOMES`, or ``""`` with no figure), ``close`` (met or on
        course, but by less than chance allows), ``settled`` (within chance, but the
        process decided it: the outcome stands on the record or the limits), ``process``
        (``met``, ``missed`` or ``""``: the side the process lies on, read only for a
        figure within chance), ``process_by`` (``record`` or ``limits``),
        ``process_reason`` (the rule's reason, with its test) and ``record`` (the
        target's record in words, as the quarterly reports print it), ``record_span``
        and ``record_side`` (a one-sided record's periods and side, else empty:
        :class:`~pcplib.assessment.target_record.RecordWords`),
        ``record_untested`` (why that record, though told, does not settle the target:
        a panel's waves; empty otherwise) and ``record_end`` (the year's last month,
        ``YYYY-MM``).
    """
    from pcplib.assessment.chance import estimate_target_chance
    from pcplib.assessment.figures import Figures
    from pcplib.assessment.targets import compute_target_for_period

    names = dataset.strategies.set_index("strategy_id")["strategy_name"]
    _, stop = periods.parse_financial_year(year)
    end = month_number(stop)
    rows = []
    for m in measures_for_audience(dataset, audience="public").to_dict("records"):
        if is_missing(m.get("target")):
            continue
        series = get_series(dataset, m["measure_id"])
        current_def = series[series["definition"] == "current"]
        frequency, aggregation = str(m["frequency"]), aggregation_of(m)
        this = _year_window(current_def, m, year)
        base = (
            compute_baseline(current_def, m, frequency, aggregation)
            if m.get("baseline_year")
            else None
        )
        # The year stands in every window, so the target is read for the whole year.
        figures = Figures(this, this, this, this, base)
        target = compute_target_for_period(figures, m, end)
        good = str(m["good_direction"])
        margin = estimate_year_margin(this, m)
        outcome, close, allowance = "", False, margin
        process: dict[str, Any] = {}
        if this.value is not None and target.value is not None:
            if margin is None:
                # The year's own allowance for chance, sized as every report sizes the
                # quarter's, from the series up to the year's end.
                known = current_def[pd.to_datetime(current_def["period_start"]) <= stop]
                found = estimate_target_chance(this, regular_frame(known, frequency), m)
                allowance = None if found is None else found.half_width
            if allowance is not None and abs(this.value - target.value) <= allowance:
                # Within chance: the record (or the limits) may settle it, as in the
                # quarterly report of the quarter that closes the year.
                process = _read_year_end_process(dataset, m, stop)
            outcome, close = _judge_year_target(
                this.value, target.value, good, target.basis == "trajectory", allowance,
                (process.get("process", ""), process.get("process_reason", "")),
                survey=margin is not None,
            )  # fmt: skip
            if not outcome:
                outcome = "within the margin of error" if margin is not None else "within chance"
            if target.baseline_met and outcome == "on course":
                # A dated target the baseline year already met, and still met, asks for no
                # improvement: no test of progress, as every report says (assessment.harm).
                outcome, close = "asks for no improvement", False
        rows.append(
            {
                "strategy_name": names.get(m["strategy_id"], m["strategy_id"]),
                "measure_name": m["measure_name"],
                "unit": str(m["unit"]),
                "rate_per": describe_rate_basis(m, "year"),
                "aggregation": aggregation,
                "frequency": frequency,
                "good_direction": good,
                "current": this.value,
                "target": target.value,
                "target_final": target.final,
                "target_date": target.due,
                "basis": "course" if target.basis == "trajectory" else "target",
                "margin": margin,
                "chance": None if margin is not None else allowance,
                "outcome": outcome,
                # The baseline year met it too: a standard kept, not the plan's doing
                # (review 22, R22-6), said beside "Met" as the public quarterly says it.
                "met_before": bool(target.met_before) and outcome == "met",
                "close": close,
                # Within chance, yet met or missed: the process lies on the figure's side.
                "settled": outcome in ("met", "missed", "on course", "behind")
                and bool(process.get("process")),
                "process": process.get("process", ""),
                "process_by": process.get("process_by", ""),
                "process_reason": process.get("process_reason", ""),
                "record": process.get("record", ""),
                "record_span": process.get("record_span", ""),
                "record_side": process.get("record_side", ""),
                "record_untested": process.get("record_untested", ""),
                "record_end": str(stop.to_period("M")),
            }
        )
    columns = [
        "strategy_name", "measure_name", "unit", "rate_per", "aggregation", "frequency",
        "good_direction", "current", "target", "target_final", "target_date", "basis", "margin",
        "chance", "outcome", "met_before", "close", "settled", "process", "process_by",
        "process_reason",
        "record", "record_span", "record_side", "record_untested", "record_end",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)
