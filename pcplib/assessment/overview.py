"""The plan overview and the rebuild of the previous plan's Table One.

The plan on one page, in the shape of a previous plan's delivery report's Table One, and
that Table One rebuilt from its published figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import metrics

if TYPE_CHECKING:
    from pcplib.data import Dataset
from pcplib.assessment.chart_caveats import SPIKE_COLUMNS
from pcplib.assessment.comparisons import compare_areas
from pcplib.assessment.judgements import select_judgements, tabulate_judgements
from pcplib.assessment.scope import available_period_end
from pcplib.assessment.strategy import StrategySummary, summarise_strategy
from pcplib.assessment.targets import RATING_COLUMNS
from pcplib.labels import is_missing

RATING_BASIS_COLUMNS = (
    *RATING_COLUMNS, "target_on_year", "target_baseline_met", "target_date", "target_record",
    "target_process_reason", "margin_of_error", "small_numbers", "administrative",
)  # fmt: skip
"""The overview's columns that give a rating's basis as fields: the rule and figures
(:data:`~pcplib.assessment.targets.RATING_COLUMNS`) and how the target was judged, with
whether its counts are small numbers and whether it is counted in full (administrative).
The report formats a basis from these, never from the words of ``rag_reason``."""


def _areas_outside(dataset: Dataset, measure_id: str, period_end: str) -> str:
    """``"1 of 9"`` local authorities outside the funnel's 99.8% limits, or ``""``."""
    found = compare_areas(dataset, measure_id, period_end, "local_authority")
    if found is None:
        return ""
    return f"{len(found.outside)} of {len(found.areas)}"


OVERVIEW_COLUMNS = [
    "mission_id", "mission_name", "strategy_id", "strategy_name", "commitments",
    "current_rag", "measure_name", "unit", "baseline", "baseline_label", "current",
    "current_label", "change", "arrow", "direction", "judgement", "projected_delivery",
    "delivery_rag", "areas_outside", "rag", "rag_reason", "rating_note", "rating_scope",
    "overdue",
    "not_yet_due", "rate_per", "rag_basis", "quarter", "quarter_label", "quarter_before",
    "quarter_change", "year_before", "year_before_label", "year_ending_change",
    "spc_limits_from",
    "spc_limits_to", "baseline_words", "evidence_disagreement", "status_disagreement",
    "baseline_unlike", "since_baseline_continues", *RATING_BASIS_COLUMNS, "rate_per_point",
    *SPIKE_COLUMNS,
]  # fmt: skip
"""The columns of :func:`build_plan_overview`, in order."""


def summarise_plan(
    dataset: Dataset,
    period_end: str,
    spc_rules: str = "mdc",
    audience: str = "board",
    slot: str = "",
) -> list[StrategySummary]:
    """Summarise every strategy of the plan, in the data set's order: the overview's data.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    period_end : str
        The last month of data, ``YYYY-MM`` (a month beyond the data gives the latest
        quarter available).
    spc_rules : str, default "mdc"
        The SPC rule set.
    audience : {"board", "public"}, default "board"
        As for :func:`~pcplib.assessment.strategy.summarise_strategy`.
    slot : str, optional
        The meeting, ``YYYY-MM``, for overdue Board actions.

    Returns
    -------
    list of StrategySummary
        One per strategy (:func:`~pcplib.assessment.strategy.summarise_strategy`): the
        overview's table (:func:`build_plan_overview`) and its rows of ``judgements.csv``
        (:func:`tabulate_plan_overview`) read the same summaries, so a measure is
        judged once for both.
    """
    period_end = available_period_end(dataset, period_end)
    return [
        summarise_strategy(dataset, strategy_id, period_end, audience, spc_rules, slot=slot)
        for strategy_id in dataset.strategies["strategy_id"]
    ]


def build_plan_overview(
    dataset: Dataset,
    period_end: str,
    spc_rules: str = "mdc",
    audience: str = "board",
    slot: str = "",
    summaries: Sequence[StrategySummary] | None = None,
) -> pd.DataFrame:
    """Build the plan on one page, in the shape of the previous plan's Table One.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    period_end : str
        The last month of data, ``YYYY-MM``.
    spc_rules : str, default "mdc"
        The SPC rule set.
    audience : {"board", "public"}, default "board"
        The Board's overview carries the same "But:" as each strategy report (a Red
        sub-measure, restricted or not, an overdue commitment, an overdue Board action, a
        new high risk); the public one leaves out restricted measures, risks and actions.
    slot : str, optional
        The meeting, ``YYYY-MM``, for overdue Board actions (as
        :func:`~pcplib.assessment.strategy.summarise_strategy`).
    summaries : sequence of StrategySummary, optional
        Every strategy's summary for this period, audience and meeting
        (:func:`summarise_plan`), when already worked out: the report's rows of
        ``judgements.csv`` are tabulated from the same summaries, so each measure is
        judged once. Worked out here when not given.

    Returns
    -------
    pandas.DataFrame
        One row per headline measure the audience sees: ``mission_id``, ``mission_name``,
        ``strategy_id``, ``strategy_name``, ``commitments`` (those projected delivery
        counts: all but the not yet due), ``current_rag``,
        ``measure_name``, ``unit``, ``baseline``, ``baseline_label``, ``current``,
        ``current_label``, ``baseline_words`` (the plan's baseline year, named as every
        report names it), ``change`` (since the baseline year, as text), ``arrow``,
        ``direction``, ``judgement``, ``projected_delivery`` (per cent or None),
        ``delivery_rag``, ``areas_outside``, the measure's ``rag`` and ``rag_reason``
        (the rule and threshold behind it), ``evidence_disagreement`` (one sentence when
        the SPC verdict and the test against the baseline year disagree, else empty),
        ``status_disagreement`` (one sentence when a commitment's status and the
        measure's data disagree: :mod:`pcplib.assessment.commitment_status`) and
        the strategy's ``rating_note`` (what
        its rating alone would hide: a Red sub-measure, overdue commitments), then
        ``overdue`` and ``not_yet_due`` (commitment counts, as
        :func:`~pcplib.assessment.delivery.assess_delivery` has them), ``rate_per``,
        and the figures each basis of the rating rests on: ``rag_basis``, ``quarter``
        (with ``quarter_label``) against ``quarter_before`` (``quarter_change``), the
        year ending (``current``) against ``year_before`` (``year_before_label``,
        ``year_ending_change``), and
        the SPC limits' period (``spc_limits_from``, ``spc_limits_to``), and the
        rating's rule and figures as fields (:data:`RATING_BASIS_COLUMNS`). A strategy
        with no public headline measure has one row with an empty measure.
    """
    period_end = available_period_end(dataset, period_end)
    if summaries is None:
        summaries = summarise_plan(dataset, period_end, spc_rules, audience=audience, slot=slot)
    rows = []
    for summary in summaries:
        # Sub-measures are in each summary too, so a Red sub-measure under a Green
        # strategy is named beside it (its "But:").
        headline = summary.measures[summary.measures["tier"] == "headline"]
        base = _strategy_columns(dataset, summary)
        if headline.empty:
            rows.append({**base, "measure_name": "", "unit": "count", "rate_per": ""})
        for m in headline.to_dict("records"):
            rows.append({**base, **_measure_columns(dataset, m, period_end)})
    # Missions in the data set's order (the plan's), strategies in theirs within each.
    order = {m: i for i, m in enumerate(dataset.missions["mission_id"])}
    frame = pd.DataFrame(rows, columns=OVERVIEW_COLUMNS)
    frame = frame.sort_values("mission_id", key=lambda c: c.map(order), kind="stable")
    return frame.reset_index(drop=True)


def _strategy_columns(dataset: Dataset, summary: StrategySummary) -> dict[str, Any]:
    """A strategy's columns of the overview: its rating, projected delivery and "But:".

    Read from the strategy's summary, so the overview gives the strategy report's
    rating, projected delivery and "But:" (the Board's names risks and Board actions;
    the public one has none, as the page says).
    """
    strategy_id = summary.strategy_id
    delivery = summary.delivery
    overall = summary.overall_rag
    note = summary.rating_note
    strategy = dataset.strategies.set_index("strategy_id").loc[strategy_id]
    mission_id = str(strategy["mission_id"])
    mission_names = dataset.missions.set_index("mission_id")["mission_name"]
    return {
        "mission_id": mission_id,
        "mission_name": str(mission_names.get(mission_id, mission_id)),
        "strategy_id": strategy_id,
        "strategy_name": str(strategy["strategy_name"]),
        # Projected delivery's own counts, so the overview repeats the strategy
        # report's figure: the share is over the counted commitments.
        "commitments": delivery.counted,
        "overdue": delivery.overdue,
        "not_yet_due": delivery.not_yet_due,
        "current_rag": overall,
        "projected_delivery": delivery.percent,
        "delivery_rag": delivery.rating,
        "rating_note": note,
        # How few headline measures the rating rests on, when too few (review 7, F12).
        "rating_scope": summary.rating_scope,
    }


def _measure_columns(dataset: Dataset, m: dict[str, Any], period_end: str) -> dict[str, Any]:
    """A headline measure's columns of the overview, from its row of the measures' summary."""
    return {
        "measure_name": m["measure_name"],
        "unit": m["unit"],
        "rate_per": m["rate_per_year"],
        # Table One's trend is progress since the plan began: the latest
        # 12 months against the baseline year, like for like.
        "baseline": m["baseline"],
        "baseline_label": m["baseline_label"],
        # Why the baseline year's figure is not compared, else "" (compare_baseline).
        "baseline_unlike": m["baseline_unlike"],
        # The one name of the period, and where the chart's verdict and the
        # test against the plan's baseline year disagree, the one sentence.
        "baseline_words": m["baseline_words"],
        "evidence_disagreement": m["evidence_disagreement"],
        # An owner's commitment status the measure's data contradict.
        "status_disagreement": m["status_disagreement"],
        "current": m["year_ending"],
        "current_label": m["year_ending_label"],
        "change": m["since_baseline_change"],
        "arrow": m["since_baseline_arrow"],
        "direction": m["since_baseline_direction"],
        "judgement": m["since_baseline_judgement"],
        # A real change since the plan began that continues one under way before it.
        "since_baseline_continues": m["since_baseline_continues"],
        "rag": m["rag"],
        "rag_reason": m["rag_reason"],
        "rag_basis": m["rag_basis"],
        # The rating's rule and figures as fields, so the overview formats
        # its basis without reading the reason's words.
        **{column: m[column] for column in RATING_BASIS_COLUMNS},
        # The figures each basis of a rating rests on, so the overview shows
        # the rating beside its own figures: the quarter against a year
        # earlier, the year ending against the year before, the SPC limits.
        "quarter": m["current"],
        "quarter_label": m["current_label"],
        "quarter_before": m["comparison_value"],
        "quarter_change": m["change"],
        "year_before": m["previous_year"],
        "year_before_label": m["previous_year_label"],
        "year_ending_change": m["year_ending_change"],
        "spc_limits_from": m["spc_limits_from"],
        "spc_limits_to": m["spc_limits_to"],
        # The one month beyond the chart's limits that holds most of the quarter's real
        # change, said beside the quarter's figures (assessment.chart_caveats).
        "rate_per_point": m["rate_per_point"],
        **{column: m[column] for column in SPIKE_COLUMNS},
        "sentence": m["sentence"],
        "areas_outside": _areas_outside(dataset, m["measure_id"], period_end),
    }


def tabulate_plan_overview(
    dataset: Dataset,
    period_end: str,
    spc_rules: str = "mdc",
    *,
    columns: Sequence[str] | None = None,
    readable: bool = True,
    audience: str = "board",
    slot: str = "",
    summaries: Sequence[StrategySummary] | None = None,
) -> pd.DataFrame:
    """Return the plan overview's judgements as one flat frame, the rows of ``judgements.csv``.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    period_end : str
        The last month of data, ``YYYY-MM`` (a month beyond the data shows the latest
        quarter available, as the report does).
    spc_rules : str, default "mdc"
        The SPC rule set.
    columns : sequence of str, optional
        Columns of ``judgements.csv``; by default
        :data:`~pcplib.assessment.judgements.TABLE_COLUMNS`.
    readable : bool, default True
        Readable column names; False keeps those of ``judgements.csv``.
    audience : {"board", "public"}, default "board"
        As for :func:`build_plan_overview`.
    slot : str, optional
        The meeting, ``YYYY-MM``, for overdue Board actions.
    summaries : sequence of StrategySummary, optional
        Every strategy's summary (:func:`summarise_plan`), when already worked out (as
        the report's kernel has them for its table); worked out here when not given.

    Returns
    -------
    pandas.DataFrame
        For each strategy, its overall rating then its headline measures: the rows
        ``pcp run`` writes for the ``plan-overview`` report.
    """
    if summaries is None:
        period_end = available_period_end(dataset, period_end)
        summaries = summarise_plan(dataset, period_end, spc_rules, audience=audience, slot=slot)
    frame = tabulate_judgements(summaries, "plan-overview", ("headline",))
    return select_judgements(frame, columns, readable=readable)


def parse_reference_number(value: Any) -> float | None:
    """Read a published figure (``"1,234"``, ``"56%"``, ``"n/a"``) as a number, or None."""
    if is_missing(value):
        return None
    text = str(value).replace(",", "").replace("%", "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        # Cells such as "Data not Available" mean there is no baseline.
        return None


def rebuild_table_one(reference_df: pd.DataFrame) -> pd.DataFrame:
    """Recompute Table One's trend arrows from its baselines and current values.

    Parameters
    ----------
    reference_df : pandas.DataFrame
        ``data/reference/table_one_2021_24.csv``: columns ``theme``, ``commitments``,
        ``current_rag``, ``measure``, ``baseline``, ``current``,
        ``published_trend``, ``projected_delivery``, ``baseline_note``, ``source``.

    Returns
    -------
    pandas.DataFrame
        The reference columns plus ``baseline_value``, ``current_value``,
        ``direction`` and ``recomputed_trend`` (from :mod:`pcplib.metrics`), and
        ``matches`` (recomputed equals published).

    Raises
    ------
    ValueError
        If a required column is missing.
    """
    required = ["theme", "measure", "baseline", "current", "published_trend"]
    missing = [c for c in required if c not in reference_df.columns]
    if missing:
        raise ValueError(
            f"Table One reference is missing column(s) {', '.join(missing)}; expected "
            f"at least: {', '.join(required)}"
        )
    out = reference_df.copy()
    out["baseline_value"] = [parse_reference_number(v) for v in out["baseline"]]
    out["current_value"] = [parse_reference_number(v) for v in out["current"]]
    out["direction"] = [
        metrics.direction(b, c)
        for b, c in zip(out["baseline_value"], out["current_value"], strict=True)
    ]
    out["recomputed_trend"] = [metrics.arrow(d) for d in out["direction"]]
    out["matches"] = out["recomputed_trend"] == out["published_trend"].astype(str).str.strip()
    return out


def arrow_words(symbol: Any) -> str:
    """The words for a direction arrow (``"▲"`` is ``"up"``)."""
    words = {v: k for k, v in metrics.ARROWS.items()}
    return words.get(str(symbol).strip(), "unknown")
