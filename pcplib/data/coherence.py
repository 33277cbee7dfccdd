"""Series of the data set that must agree with each other: coherence warnings.

Two checks of figures that are each valid on their own but cannot both be right:

- **a share's base larger than the population it is part of**: a measure whose
  catalogue row names another in ``denominator_within`` (officers who declare their
  ethnicity are part of the officers in post) has each denominator compared with that
  measure's figure for the same area and the same period end;
- **one extract, two statuses**: rows from the same ``source`` extracted on the same
  date say whether a period's figures may still be revised, so all of them should say
  the same for the same period.

Each is a warning to the analyst (``pcp validate``, the run's console and ``run.log``),
never an error: a real data set is reported on as its source gives it while the
source is asked. The report's data notes tell a reader of a share whose base is too
large (:mod:`pcplib.assessment.quality`). See ``docs/methodology.md``, "Series checked
against each other".
"""

from __future__ import annotations

import pandas as pd

from pcplib.data.schemas import TABLES
from pcplib.labels import date_words, format_value, label_period_start, list_words
from pcplib.periods import FREQUENCY_MONTHS, month_number

__all__ = [
    "SHOWN_PERIODS",
    "find_denominator_excess",
    "find_status_disagreements",
    "list_coherence_warnings",
]

SHOWN_PERIODS = 3
"""How many periods a denominator warning quotes with their figures (the latest ones)."""

_EXCESS_COLUMNS = [
    "measure_id", "within_id", "area", "period_start", "period_end", "denominator", "within",
    "compared",
]  # fmt: skip
_STATUS_COLUMNS = ["source", "extracted_on", "period_start", "period_end", "final", "provisional"]


def _label_span(start: object, end: object) -> str:
    """A period in words from its first and last day: a month, a quarter or a year."""
    months = int(month_number(end)) - int(month_number(start)) + 1
    for frequency, length in FREQUENCY_MONTHS.items():
        if months == length:
            return label_period_start(start, frequency)
    return f"{date_words(start)} to {date_words(end)}"


def find_denominator_excess(measures: pd.DataFrame, observations: pd.DataFrame) -> pd.DataFrame:
    """Find each denominator larger than the figure of the measure it is part of.

    Parameters
    ----------
    measures : pandas.DataFrame
        The catalogue; a row whose optional ``denominator_within`` names a measure
        declares that its denominator counts part of that measure's population (the
        officers who declare their ethnicity, of the officers in post).
    observations : pandas.DataFrame
        The observations (``period_start`` and ``period_end`` as dates).

    Returns
    -------
    pandas.DataFrame
        One row per period at fault, oldest first within a measure: ``measure_id``,
        ``within_id``, ``area``, ``period_start``, ``period_end``, ``denominator`` and
        ``within`` (the other measure's figure at the same period end and area), and
        ``compared``, how many periods of the measure and area had both figures.
    """
    if "denominator_within" not in measures.columns or observations.empty:
        return pd.DataFrame(columns=_EXCESS_COLUMNS)
    pairs = measures.loc[measures["denominator_within"].fillna("").astype(str) != ""]
    found = []
    for measure_id, within_id in zip(pairs["measure_id"], pairs["denominator_within"], strict=True):
        share = observations.loc[
            (observations["measure_id"] == measure_id) & observations["denominator"].notna(),
            ["area", "period_start", "period_end", "denominator"],
        ]
        whole = observations.loc[
            (observations["measure_id"] == within_id) & observations["value"].notna(),
            ["area", "period_end", "value"],
        ].rename(columns={"value": "within"})
        # A quarter's share against the stock on its last day: the month ending then.
        both = share.merge(whole, on=["area", "period_end"], how="inner")
        compared = both.groupby("area")["period_end"].transform("size")
        over = both.assign(compared=compared)[both["denominator"] > both["within"]]
        found.append(over.assign(measure_id=measure_id, within_id=within_id))
    if not found:
        return pd.DataFrame(columns=_EXCESS_COLUMNS)
    out = pd.concat(found, ignore_index=True)[_EXCESS_COLUMNS]
    return out.sort_values(["measure_id", "area", "period_end"], kind="stable").reset_index(
        drop=True
    )


def find_status_disagreements(observations: pd.DataFrame) -> pd.DataFrame:
    """Find periods for which rows of one source and one extract disagree on status.

    An extract is read at one moment, so whether a period's figures may still be revised
    (``provisional``) or are settled (``final``) is the same for every series in it;
    a figure ``to confirm`` is a question about that figure alone and is not compared.

    Parameters
    ----------
    observations : pandas.DataFrame
        The observations, with ``source``, ``extracted_on`` and ``status``.

    Returns
    -------
    pandas.DataFrame
        One row per source, extraction date and period where both statuses occur:
        ``source``, ``extracted_on``, ``period_start``, ``period_end``, and the sorted
        measure ids marked ``final`` and ``provisional`` (tuples).
    """
    needed = {"source", "extracted_on", "status", "measure_id", "period_start", "period_end"}
    if observations.empty or not needed <= set(observations.columns):
        return pd.DataFrame(columns=_STATUS_COLUMNS)
    rows = observations[observations["status"].isin(["final", "provisional"])]
    rows = rows[rows["source"].astype(str).ne("") & rows["extracted_on"].notna()]
    keys = ["source", "extracted_on", "period_start", "period_end"]
    # Only the periods where both statuses occur are looked at one by one: a large data
    # set has many extracts that agree.
    rows = rows[rows.groupby(keys)["status"].transform("nunique") > 1]
    out = []
    for key, group in rows.groupby(keys, sort=True):
        final = tuple(sorted(set(group.loc[group["status"] == "final", "measure_id"])))
        provisional = tuple(sorted(set(group.loc[group["status"] == "provisional", "measure_id"])))
        if final and provisional:
            out.append((*key, final, provisional))
    return pd.DataFrame(out, columns=_STATUS_COLUMNS)


def _describe_excess(rows: pd.DataFrame, names: dict[str, str], units: dict[str, str]) -> str:
    """One denominator warning: a measure, the measure it is part of, periods and figures."""
    first = rows.iloc[0]
    measure_id, within_id = str(first["measure_id"]), str(first["within_id"])
    unit = units.get(within_id, "count")

    def quote(row: pd.Series) -> str:
        span = _label_span(row["period_start"], row["period_end"])
        return (
            f"{span}: {format_value(row['denominator'], unit)} against "
            f"{format_value(row['within'], unit)}"
        )

    gap = rows["denominator"] - rows["within"]
    latest = [quote(row) for _, row in rows.tail(SHOWN_PERIODS).iterrows()]
    area = f" (area {first['area']})" if str(first["area"]) else ""
    return (
        f"the denominator of {names.get(measure_id, measure_id)} ({measure_id}) is larger "
        f"than {names.get(within_id, within_id)} ({within_id}) at the same date in "
        f"{len(rows)} of {int(first['compared'])} periods{area}, by up to "
        f"{format_value(gap.max(), unit)} ({quote(rows.loc[gap.idxmax()])}); latest: "
        f"{'; '.join(latest)}. Its catalogue row says the denominator is part of that "
        "population (denominator_within), so one of the two figures is wrong or counts "
        "a different population: ask the source which"
    )


OBSERVATIONS_FILE = f"{TABLES['observations'].stem}.csv"
"""The observations file as a data set's warnings name it."""


def list_coherence_warnings(
    measures: pd.DataFrame, observations: pd.DataFrame, file: str = OBSERVATIONS_FILE
) -> list[str]:
    """Return a warning for each pair of series the data set holds that cannot both be right.

    Parameters
    ----------
    measures : pandas.DataFrame
        The catalogue.
    observations : pandas.DataFrame
        The observations.
    file : str, default :data:`OBSERVATIONS_FILE`
        The observations file as the warnings name it (``observations/observations.csv``).

    Returns
    -------
    list of str
        Plain-text warnings, denominators first (catalogue order of measures), then
        statuses (by source and extraction date); empty when the series agree.
    """
    names = dict(zip(measures["measure_id"], measures["measure_name"], strict=True))
    units = dict(zip(measures["measure_id"], measures["unit"], strict=True))
    order = {m: i for i, m in enumerate(measures["measure_id"])}
    warnings = []
    excess = find_denominator_excess(measures, observations)
    for _, rows in sorted(
        excess.groupby(["measure_id", "area"], sort=False), key=lambda kv: order[kv[0][0]]
    ):
        warnings.append(f"{file}: {_describe_excess(rows, names, units)}.")
    status = find_status_disagreements(observations)
    for (source, extracted), rows in status.groupby(["source", "extracted_on"], sort=True):
        # Periods with the same split are told together: "July, August and September 2026".
        for (final, provisional), same in rows.groupby(["final", "provisional"], sort=False):
            spans = zip(same["period_start"], same["period_end"], strict=True)
            periods = list_words([_label_span(s, e) for s, e in spans])
            warnings.append(
                f"{file}: rows from {source} extracted on {pd.Timestamp(extracted):%Y-%m-%d} "
                f"disagree on status for {periods}: final for {list_words(list(final))}; "
                f"provisional for {list_words(list(provisional))}. Figures from one extract "
                "are settled or not together, and reports tell readers that only provisional "
                "figures may be revised: confirm the status with the source."
            )
    return warnings
