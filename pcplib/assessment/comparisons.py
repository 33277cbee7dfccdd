"""Like-for-like comparisons between areas: rates per 1,000 people and funnel plots.

Ranking areas by rate misleads: a small area's rate swings by chance far more than a
large one's. The field's answer is the funnel plot (Spiegelhalter, "Funnel plots for
comparing institutional performance", *Statistics in Medicine* 24, 2005), computed
here as FunnelPlotR 0.6.0 computes it (:mod:`pcplib.funnel`). For a count of events:

- each area's **count** is its total over the 12 months to the reporting period (the
  year ending, free of season and large enough to compare), and its **rate** that
  count per 1,000 residents (Census 2021 populations from ``framework/areas``);
- its **expected** count is its population times the pooled rate of all the areas
  compared, so the **standardised ratio** observed ÷ expected reads "more (above 1) or
  fewer (below 1) than expected for its population";
- an area beyond the 99.8% limits is "higher (or lower) than expected, beyond what
  chance explains"; one beyond the 95% limits only "possibly higher (lower): worth
  watching"; the rest "within what chance explains". Overdispersion (areas differing
  by more than Poisson chance, as local authorities of one force usually do) widens
  the limits as FunnelPlotR does (SHMI method, 10% trimming), and the verdicts then
  speak of "the usual spread between areas" instead of chance, with a note saying
  why: an area inside the widened limits may still differ for lasting reasons.

Areas are local authorities (the community safety partnerships of the force area) or,
where the data set holds other forces' figures, forces: the comparison then says which
forces are present and never calls them a "most similar group".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pcplib.data.schemas import TO_CONFIRM
from pcplib.labels import month_words
from pcplib.periods import FREQUENCY_MONTHS, month_number, month_of

if TYPE_CHECKING:
    from pcplib.data import Dataset

LEVELS = ("local_authority", "force")
MIN_AREAS = 3

__all__ = [
    "LEVELS",
    "MIN_AREAS",
    "AreaComparison",
    "compare_areas",
    "compare_strategy_areas",
    "describe_outlier",
]

_VERDICTS = {
    ("high", 998): "higher than expected, beyond what chance explains",
    ("low", 998): "lower than expected, beyond what chance explains",
    ("high", 95): "possibly higher than expected: worth watching",
    ("low", 95): "possibly lower than expected: worth watching",
    ("none", 0): "within what chance explains",
}
# With overdispersion the limits hold the usual spread between areas as well as chance,
# and the verdict says so: "within chance" would understate a real, shared difference.
_SPREAD_VERDICTS = {
    ("high", 998): "higher than expected, beyond the usual spread between areas",
    ("low", 998): "lower than expected, beyond the usual spread between areas",
    ("high", 95): "possibly higher than the usual spread: worth watching",
    ("low", 95): "possibly lower than the usual spread: worth watching",
    ("none", 0): "within the usual spread between areas",
}


@dataclass(frozen=True)
class AreaComparison:
    """One measure compared across areas over the 12 months to the reporting period.

    Attributes
    ----------
    measure_id, measure_name : str
        The measure.
    level : {"local_authority", "force"}
        What the areas are.
    period : str
        The 12 months compared, in words ("12 months to September 2026").
    areas : pandas.DataFrame
        One row per area, largest population first: ``area``, ``count``,
        ``population``, ``rate_per_1000``, ``expected``, ``ratio``, ``lcl95``,
        ``ucl95``, ``lcl998``, ``ucl998``, ``outlier`` (``high``/``low``/``none`` at
        99.8%), ``outlier95`` and ``verdict``.
    funnel : pandas.DataFrame
        The :func:`pcplib.funnel.funnel` result (its ``attrs`` hold ``phi``,
        ``tau2`` and whether adjusted limits were used), for the chart.
    pooled_rate : float
        All the areas' count per 1,000 residents.
    note : str
        What the comparison cannot say (empty when nothing needs saying).
    """

    measure_id: str
    measure_name: str
    level: str
    period: str
    areas: pd.DataFrame = field(repr=False)
    funnel: pd.DataFrame = field(repr=False)
    pooled_rate: float
    note: str = ""

    @property
    def outside(self) -> pd.DataFrame:
        """The areas beyond the 99.8% limits."""
        return self.areas[self.areas["outlier"] != "none"]


def describe_outlier(outlier: str, outlier95: str, adjusted: bool = False) -> str:
    """The plain-English verdict of an area from its funnel flags at 99.8% and 95%.

    With ``adjusted`` (overdispersion-adjusted limits in use) the verdict speaks of the
    usual spread between areas rather than of chance alone.
    """
    words = _SPREAD_VERDICTS if adjusted else _VERDICTS
    if outlier in ("high", "low"):
        return words[(outlier, 998)]
    if outlier95 in ("high", "low"):
        return words[(outlier95, 95)]
    return words[("none", 0)]


def _area_rows(dataset: Dataset, measure_id: str) -> pd.DataFrame:
    by_area = getattr(dataset, "series_by_area", None)
    if by_area is not None:
        rows = by_area(measure_id)
    else:
        rows = dataset.observations[dataset.observations["measure_id"] == measure_id]
    if "status" in rows.columns and (rows["status"] == TO_CONFIRM).any():
        # A figure still to confirm is no figure in any comparison until confirmed: an
        # area holding one is left out of the funnel (it lacks a complete 12 months).
        rows = rows.assign(value=rows["value"].where(rows["status"] != TO_CONFIRM))
    return rows


def _total_areas(
    dataset: Dataset, measure_id: str, frequency: str, chosen: pd.DataFrame, end: int
) -> pd.DataFrame | None:
    """The chosen areas with their count over the 12 months to ``end``, largest first.

    Only areas with every period of the 12 months count (an area short of a month would
    look low); None when no chosen area has a current figure.
    """
    rows = _area_rows(dataset, measure_id)
    rows = rows[(rows["definition"] == "current") & rows["area"].isin(chosen["area"])]
    if rows.empty:
        return None
    starts = pd.DatetimeIndex(rows["period_start"])
    ends = pd.DatetimeIndex(rows["period_end"])
    start_n = month_number(starts)
    end_n = month_number(ends)
    window = rows[np.asarray((start_n >= end - 11) & (end_n <= end)) & rows["value"].notna()]
    expected_periods = 12 // FREQUENCY_MONTHS[frequency]
    grouped = window.groupby("area")["value"].agg(["sum", "count"])
    complete = grouped[grouped["count"] == expected_periods]
    table = chosen.set_index("area").join(complete["sum"].rename("count"), how="inner")
    return table.sort_values("population", ascending=False, kind="stable")


def _tabulate_funnel(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """The funnel of the areas' counts against their populations, one row per area.

    Returns the areas' frame (:attr:`AreaComparison.areas`), the funnel's own result and
    the pooled rate per 1,000.
    """
    from pcplib.funnel import compute_expected_counts, funnel

    counts = table["count"].astype(float)
    population = pd.to_numeric(table["population"]).astype(float)
    expected = compute_expected_counts(counts, population)
    result = funnel(counts, expected, data_type="SR")
    frame = pd.DataFrame(
        {
            "area": table.index,
            "count": counts.to_numpy(),
            "population": population.to_numpy(),
            "rate_per_1000": (counts / population * 1000).to_numpy(),
            "expected": np.asarray(expected, dtype=float),
            "ratio": result["ratio"].to_numpy(),
            "lcl95": result["lcl95"].to_numpy(),
            "ucl95": result["ucl95"].to_numpy(),
            "lcl998": result["lcl998"].to_numpy(),
            "ucl998": result["ucl998"].to_numpy(),
            "outlier": result["outlier"].to_numpy(),
            "outlier95": result["outlier95"].to_numpy(),
        }
    )
    adjusted = bool(result.attrs.get("adjusted"))
    frame["verdict"] = [
        describe_outlier(a, b, adjusted)
        for a, b in zip(frame["outlier"], frame["outlier95"], strict=True)
    ]
    return frame, result, float(counts.sum() / population.sum() * 1000)


def _describe_comparison(result: pd.DataFrame, frame: pd.DataFrame, level: str) -> list[str]:
    """The notes under a comparison: widened limits, and which forces are compared."""
    notes = []
    if bool(result.attrs.get("adjusted")):
        notes.append(
            "The areas differ from one another by more than chance alone (overdispersion "
            f"ratio {result.attrs['phi']:.1f}), so the limits are widened to the usual spread "
            "between areas, as FunnelPlotR does; an area outside them stands out even allowing "
            "for that, and one inside them may still differ from the others for lasting reasons."
        )
    if level == "force":
        names = ", ".join(frame["area"])
        notes.append(
            f"The forces compared are those in the data set ({names}); they are not a "
            "most similar group, and the comparison says nothing about forces not held."
        )
    return notes


def compare_areas(
    dataset: Dataset, measure_id: str, period_end: str, level: str = "local_authority"
) -> AreaComparison | None:
    """Compare a count-of-events measure across the data set's areas of one level.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set; its ``areas`` table gives each area's level and population.
    measure_id : str
        The measure (a ``count`` with aggregation ``sum``).
    period_end : str
        The reporting period's last month, ``YYYY-MM``: the comparison covers the 12
        months to it.
    level : {"local_authority", "force"}, default "local_authority"
        Which areas to compare.

    Returns
    -------
    AreaComparison or None
        None when the measure is not a count of events, or fewer than
        :data:`MIN_AREAS` areas of that level have a population and all 12 months of
        figures (a comparison of two areas says nothing a table would not).

    Raises
    ------
    ValueError
        For an unknown level.
    """
    from pcplib import periods

    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}: expected one of {', '.join(LEVELS)}")
    areas = getattr(dataset, "areas", None)
    if areas is None or areas.empty:
        return None
    measure = dataset.measures.set_index("measure_id").loc[measure_id]
    if measure["unit"] != "count" or measure["aggregation"] != "sum":
        return None
    chosen = areas[(areas["level"] == level) & (pd.to_numeric(areas["population"]) > 0)]
    end = month_number(periods.parse_month(period_end))
    table = _total_areas(dataset, measure_id, str(measure["frequency"]), chosen, end)
    if table is None or len(table) < MIN_AREAS:
        return None
    frame, result, pooled = _tabulate_funnel(table)
    notes = _describe_comparison(result, frame, level)
    return AreaComparison(
        measure_id=measure_id,
        measure_name=str(measure["measure_name"]),
        level=level,
        period=f"12 months to {month_words(month_of(end))}",
        areas=frame,
        funnel=result,
        pooled_rate=pooled,
        note=" ".join(notes),
    )


def compare_strategy_areas(
    dataset: Dataset, strategy_id: str, period_end: str, audience: str = "board"
) -> list[AreaComparison]:
    """Compare each of a strategy's count measures across areas, where the data allow.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str
        The strategy.
    period_end : str
        The reporting period's last month, ``YYYY-MM``.
    audience : {"board", "public"}, default "board"
        ``"public"`` leaves restricted measures out.

    Returns
    -------
    list of AreaComparison
        For every measure with figures for at least :data:`MIN_AREAS` local authorities
        (and, where the data set holds several forces, across forces), in catalogue
        order; empty when the data set has no figures by area.
    """
    from pcplib.assessment.scope import measures_for_audience

    comparisons = []
    for measure_id in measures_for_audience(dataset, strategy_id, audience=audience)["measure_id"]:
        for level in LEVELS:
            found = compare_areas(dataset, measure_id, period_end, level)
            if found is not None:
                comparisons.append(found)
    return comparisons
