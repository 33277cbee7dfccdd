"""The caveats a reader needs before relying on the figures.

Definition changes, gaps, provisional figures and recalculated SPC limits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import periods
from pcplib.periods import month_number, month_of

if TYPE_CHECKING:
    from pcplib.data import Dataset
from pcplib.assessment.caveats import (
    ACTION_FRAUD_WORDS,
    is_recorded_crime,
    is_reported_to_action_fraud,
)
from pcplib.assessment.commitment_dates import check_commitment_target_dates
from pcplib.assessment.figures import find_period_start
from pcplib.assessment.limits import plan_spc
from pcplib.assessment.measures import regular_series, summarise_measure
from pcplib.assessment.narrative_checks import (
    check_narrative_numbers,
    format_narrative_corrections,
)
from pcplib.assessment.origins import classify_measure_origins, describe_published_measures
from pcplib.assessment.scope import (
    get_series,
    measures_for_audience,
    mentions_restricted,
    parse_month_param,
)
from pcplib.data.schemas import TO_CONFIRM, parse_crime_types
from pcplib.labels import (
    date_words,
    describe_rate_basis,
    format_value,
    is_missing,
    label_period_start,
    list_words,
    month_span,
    month_words,
    months_text,
    plural,
)


def list_data_quality_notes(
    dataset: Dataset,
    strategy_id: str | None,
    period_end: str,
    audience: str = "board",
    with_spc: bool = True,
    narrative_checks: pd.DataFrame | None = None,
    verdicts: pd.DataFrame | None = None,
) -> list[str]:
    """List the caveats a reader needs: definition changes, gaps, provisional figures.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str or None
        The strategy; every strategy when None.
    period_end : str
        The last month of data, ``YYYY-MM``.
    audience : {"board", "public"}, default "board"
        ``"public"`` leaves restricted measures out.
    with_spc : bool, default True
        Include the SPC notes: where a measure's process limits are recalculated
        from a known change (or are not yet, because the new section is too short).
        Reports that show no SPC pass False.
    narrative_checks : pandas.DataFrame, optional
        The quarter's :func:`~pcplib.assessment.narrative_checks.check_narrative_numbers`
        for the strategy, when the caller already has them (the Board report shows them
        with its narrative too); computed here when omitted.
    verdicts : pandas.DataFrame, optional
        The measures' verdicts for the same period (``summarise_strategy(...).measures``
        or :func:`~pcplib.assessment.measures.summarise_measures`), when the caller
        already has them: an SPC note then reads the measure's ``spc_status`` and
        ``spc_withheld`` there instead of assessing the measure a second time. A measure
        missing from them is assessed here, with the ``"mdc"`` rules.

    Returns
    -------
    list of str
        Plain-text sentences (escape before showing as HTML), in catalogue order,
        starting with the illustrative-data caveat when it applies; a measure's notes
        end with any commitment due later than its undated target that names the
        target's figure (:mod:`pcplib.assessment.commitment_dates`). For one strategy's
        Board report, then a warning for each number in the quarter's narrative that
        the data set contradicts (:mod:`pcplib.assessment.narrative_checks`); for one
        strategy's public report, the recorded-crime caveat naming its crime measures.
    """
    end = parse_month_param(period_end, "period_end")
    notes = []
    measures = measures_for_audience(dataset, strategy_id, audience=audience)
    origins = classify_measure_origins(dataset, measures["measure_id"], str(end))
    notes += _describe_illustrative(dataset, origins)
    origin_of = origins.set_index("measure_id")["origin"]
    known = _index_verdicts(verdicts)
    # A commitment due later than the undated target it names: the reader sees the
    # target judged now beside a promise of the same figure due later (review 20, R20-3).
    dates = check_commitment_target_dates(dataset, str(end), list(measures["measure_id"]))
    for m in measures.to_dict("records"):
        if origin_of.get(m["measure_id"]) in ("published", "partly published"):
            notes += list_area_notes(dataset, m, end)
        notes += _list_measure_notes(dataset, m, end, with_spc, known.get(str(m["measure_id"])))
        for flagged in dates[dates["measure_id"] == m["measure_id"]].to_dict("records"):
            notes.append(_tell_date_conflict(dataset, flagged, audience))
        notes += _describe_denominator_excess(dataset, m, end, audience)
    records = [m for m in measures.to_dict("records") if is_recorded_crime(m)]
    # Reports to Action Fraud carry the caveat but are not crimes recorded by the police,
    # so they are named apart, as on the public report (review 15, R15-5).
    crime = [str(m["measure_name"]) for m in records if not is_reported_to_action_fraud(m)]
    fraud = [str(m["measure_name"]) for m in records if is_reported_to_action_fraud(m)]
    if audience == "public" and strategy_id is not None and crime:
        # A strategy report for the public says what the public report says of crime.
        notes.append(
            f"{'; '.join(crime)}: crimes recorded by the police, which reflect how many "
            "crimes people report and how the police record them as well as how much crime "
            "there is, so a rise does not always mean more crime (ONS practice)."
        )
    if audience == "public" and strategy_id is not None and fraud:
        notes.append(f"{'; '.join(fraud)}: {ACTION_FRAUD_WORDS}")
    if audience == "board" and strategy_id is not None:
        # Told to the Board as corrections of the owners' text (review 7, F18); the public
        # report withholds the sentences instead (``withhold_contradicted``).
        checks = narrative_checks
        if checks is None:
            quarter = periods.label_quarter(end.to_timestamp())
            checks = check_narrative_numbers(dataset, strategy_id, quarter)
        notes += format_narrative_corrections(checks)
    return notes


def _tell_date_conflict(dataset: Dataset, flagged: dict[str, Any], audience: str) -> str:
    """A commitment's date conflict, without the owners' words where the public may not see them.

    The note quotes the commitment; owners' text that names a restricted measure never
    reaches a public output, so there the commitment is referred to, not quoted.
    """
    note = str(flagged["note"])
    if audience == "public" and mentions_restricted(dataset, note):
        note = note.replace(f'the commitment "{flagged["commitment"]}"', "its commitment")
    return note


def _index_verdicts(verdicts: pd.DataFrame | None) -> dict[str, dict[str, Any]]:
    """Each measure's SPC status and withheld reason from the caller's verdicts, by id."""
    if verdicts is None or verdicts.empty:
        return {}
    columns = ["measure_id", "spc_status", "spc_withheld"]
    return {str(r["measure_id"]): r for r in verdicts[columns].to_dict("records")}


def _describe_illustrative(dataset: Dataset, origins: pd.DataFrame) -> list[str]:
    """The illustrative-data caveat, naming any real published figures among the measures."""
    real = origins[origins["origin"].isin(["published", "partly published"])]
    if dataset.illustrative and real.empty:
        return [
            "All figures are illustrative sample data, not real performance data: "
            f"{dataset.description}."
        ]
    if dataset.illustrative:
        return [
            f"Real published data: {describe_published_measures(real)}. Every other figure "
            f"is illustrative sample data, not real performance data: {dataset.description}."
        ]
    return []


def _describe_provisional(name: str, current: pd.DataFrame, frequency: str) -> str:
    """``"<name>: figures for July 2026, ... are provisional and may be revised."``, or ""."""
    provisional = current[current["status"] == "provisional"]
    if provisional.empty:
        return ""
    labels = [label_period_start(s, frequency) for s in provisional["period_start"]]
    return f"{name}: figures for {', '.join(labels)} are provisional and may be revised."


def list_provisional_notes(
    dataset: Dataset, measure_ids: Iterable[str], period_end: str
) -> list[str]:
    """The provisional-figure notes of some measures, as the strategy reports word them.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    measure_ids : iterable of str
        The measures a view cites (the Delivery Board's changes and progress).
    period_end : str
        The last month of data, ``YYYY-MM``.

    Returns
    -------
    list of str
        One sentence per measure with provisional figures up to the period's end (the
        data-quality note of :func:`list_data_quality_notes`), in catalogue order.
    """
    end = parse_month_param(period_end, "period_end")
    wanted = {str(i) for i in measure_ids}
    notes = []
    for m in dataset.measures.to_dict("records"):
        if str(m["measure_id"]) not in wanted:
            continue
        series = get_series(dataset, m["measure_id"])
        series = series[series["period_end"] <= end.end_time]
        current = series[series["definition"] == "current"]
        note = _describe_provisional(str(m["measure_name"]), current, str(m["frequency"]))
        if note:
            notes.append(note)
    return notes


def _list_measure_notes(
    dataset: Dataset,
    m: dict,
    end: pd.Period,
    with_spc: bool,
    verdict: Mapping[str, Any] | None = None,
) -> list[str]:
    """One measure's caveats: definition change, gaps, figures to confirm or provisional, SPC.

    ``verdict`` is the measure's row of the report's own verdicts when the caller has
    them; the measure is assessed here only when an SPC note needs it and it is None.
    """
    notes: list[str] = []
    name = m["measure_name"]
    series = get_series(dataset, m["measure_id"])
    series = series[series["period_end"] <= end.end_time]
    previous = series[series["definition"] == "previous"]
    current = series[series["definition"] == "current"]
    if not previous.empty:
        changed = (
            date_words(m["definition_from"])
            if not is_missing(m.get("definition_from"))
            else "an unrecorded date"
        )
        last_prev = previous[previous["value"].notna()]
        detail = ""
        if not last_prev.empty:
            row = last_prev.iloc[-1]
            detail = (
                f" Under the previous definition the last figure was "
                f"{format_value(row['value'], m['unit'], per=describe_rate_basis(m))} "
                f"({label_period_start(row['period_start'], m['frequency'])})."
            )
        old = m.get("previous_definition")
        old_text = f" Previous definition: {old}" if not is_missing(old) and old else ""
        old_text = old_text.rstrip(".") + "." if old_text else ""
        notes.append(
            f"{name}: definition changed on {changed}: earlier figures are shown "
            f"separately and not joined; charts and comparisons use the current "
            f"definition only.{old_text}{detail}"
        )
    missing = current[current["value"].isna()]
    gaps = [pd.Timestamp(s).to_period("M") for s in missing["period_start"]]
    spc_note = ""
    if not current.empty:
        regular = regular_series(current, str(m["frequency"]))
        absent = regular.index.difference(pd.DatetimeIndex(current["period_start"]))
        gaps += [pd.Timestamp(s).to_period("M") for s in absent]
        # The limits the measure's own verdict uses: none from the reporting period.
        judged_from = month_of(find_period_start(str(m["frequency"]), month_number(end)))
        plan = plan_spc(regular, m, judged_from.start_time) if with_spc else None
        if plan is not None and plan.flag:
            spc_note = plan.note
            # The report's own verdict when the caller passed it: assessing the measure
            # again here repeated the report's work for every such measure (issue #25).
            if verdict is None:
                verdict = summarise_measure(dataset, m, str(end))
            if verdict["spc_status"] != "assessed":
                # Limits that gave no verdict are not a caveat on a chart the reader sees:
                # the note says why there is none, as the table and the alt text do.
                spc_note = str(verdict["spc_withheld"] or "") or "no SPC verdict"
            else:
                # The verdict's own note says why flags inside the limits period leave it
                # standing; without it a reader saw a shift begin inside that period and a
                # verdict given all the same (review 16, R16-5).
                spc_note = str(verdict.get("spc_note") or "") or spc_note
    if gaps:
        notes.append(
            f"{name}: no figure for {months_text(gaps)}; shown as a gap, never filled, "
            "and the checks for a real change leave it out."
        )
    waiting = current[current["status"] == TO_CONFIRM]
    if not waiting.empty:
        labels = [label_period_start(s, m["frequency"]) for s in waiting["period_start"]]
        notes.append(
            f"{name}: the figure for {', '.join(labels)} is far outside anything the "
            "series had shown when it arrived and is to be confirmed with its source; "
            "until then no change is judged on it."
        )
    provisional = _describe_provisional(name, current, str(m["frequency"]))
    if provisional:
        notes.append(provisional)
    if spc_note:
        lead = "" if spc_note.startswith("no SPC verdict") else "SPC "
        notes.append(f"{name}: {lead}{spc_note}.")
    if current[current["value"].notna()].empty:
        notes.append(f"{name}: no figures up to {month_words(end)}.")
    return notes


def _describe_denominator_excess(
    dataset: Dataset, m: dict, end: pd.Period, audience: str
) -> list[str]:
    """Say when a share's base is larger than the population it is part of.

    The catalogue's ``denominator_within`` names the measure whose figure at the same
    date the denominator cannot exceed (officers declaring their ethnicity, of officers
    in post); where it does, up to ``end``, the share may not be of the population it
    describes, and the reader is told with the latest such figures
    (:func:`pcplib.data.coherence.find_denominator_excess`). A restricted measure is
    not named to the public.
    """
    within_id = m.get("denominator_within")
    if is_missing(within_id) or not str(within_id):
        return []
    from pcplib.data.coherence import find_denominator_excess

    catalogue = dataset.measures
    excess = find_denominator_excess(
        catalogue[catalogue["measure_id"] == m["measure_id"]], dataset.observations
    )
    excess = excess[pd.to_datetime(excess["period_end"]) <= end.end_time]
    if excess.empty:
        return []
    within = catalogue.loc[catalogue["measure_id"] == within_id].iloc[0]
    named = audience != "public" or within.get("visibility") != "restricted"
    whole = str(within["measure_name"]) if named else "the population it is part of"
    latest = excess.iloc[-1]
    unit = str(within["unit"])
    figures = (
        f"{label_period_start(latest['period_start'], m['frequency'])}: "
        f"{format_value(latest['denominator'], unit)} against "
        f"{format_value(latest['within'], unit)}"
    )
    return [
        f"{m['measure_name']}: the figure it is a share of is larger than {whole} at the "
        f"same date in {plural(len(excess), 'period')} (latest, {figures}), so "
        "it may not be a share of the population it describes: one of the two figures is "
        "wrong or they count different populations."
    ]


def list_area_notes(dataset: Dataset, measure: dict, end: pd.Period) -> list[str]:
    """Notes on a measure counted from police.uk rows: its crime types, and unallocated crimes.

    Crimes a force recorded with no location, or located outside its own local
    authorities, are in the force area's figure but in no local authority's; the
    note counts them for the reporting quarter (the force figure less the sum of the
    local authorities').

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    measure : dict
        The measure's row.
    end : pandas.Period
        The report's last month.

    Returns
    -------
    list of str
        Plain-text sentences; empty for a measure with no ``police_uk_crime_types``.
    """
    types = parse_crime_types(measure.get("police_uk_crime_types", ""))
    if not types:
        return []
    name = measure["measure_name"]
    notes = [
        f"{name}: counted from data.police.uk street-level crime, one row one crime, "
        f"crime types {list_words(types)}; police.uk's categories may be broader or "
        "narrower than the measure's definition (see docs/assumptions.md)."
    ]
    outcomes = str(measure.get("police_uk_outcomes") or "").strip()
    if outcomes and not is_missing(measure.get("police_uk_outcomes")):
        notes.append(
            f"{name}: the share of those crimes whose latest outcome at download was "
            f"{outcomes}; outcomes of recent crimes are still open, so the latest months "
            "are provisional and a fall in them is not judged (docs/methodology.md)."
        )
    rows = dataset.series_by_area(measure["measure_id"])
    months = pd.period_range(end - 2, end, freq="M")
    rows = rows[pd.DatetimeIndex(rows["period_start"]).to_period("M").isin(months)]
    local = set(dataset.areas.loc[dataset.areas["level"] == "local_authority", "area"])
    force = rows[rows["area"] == dataset.primary_area]
    local_rows = rows[rows["area"].isin(local)]
    if force.empty or local_rows.empty or str(measure.get("unit")) != "count":
        return notes
    total = float(force["value"].sum())
    unallocated = total - float(local_rows["value"].sum())
    notes.append(
        f"{name}: of the {format_value(total, 'count')} in the force area's figures for "
        f"{month_span(months[0], months[-1])}, {format_value(unallocated, 'count')} had no "
        "location or were located outside the force area's local authorities; they count in "
        "the force area's figures but in no local authority's."
    )
    return notes
