"""Report content: what the report notebooks show, built as HTML and tables.

Notebooks stay thin (load, call, show, explain): every number, sentence, table
and banner they display comes from a function here, so it is tested once and the
same in every report. Three rules hold throughout:

- **Text from data is untrusted.** Names, narrative and notes are escaped with
  :func:`html.escape` before they reach HTML; only markup written here is raw.
- **Restricted measures never reach public output.** ``audience="public"``
  filters them out here (and narrative that names them), so no notebook has to
  remember to.
- **Deterministic.** The only clock read is :func:`format_produced_at` when no
  time is given; tables carry no random ids.

Like-for-like comparisons depend on each measure's ``aggregation``. For a count of
events (``sum``) the current figure is the reporting quarter's total, compared with
the baseline year's quarterly average total and the same quarter's total a year
earlier, and a per-period target is scaled to the quarter. For a level (``mean``:
headcounts, percentages, rates, average days) it is the quarter's average per
period, compared with the baseline year's and last year's averages. A report asked
for a period the data do not yet reach shows the latest quarter available and says
so at the top (:func:`available_period_end`, :func:`format_data_availability`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import subprocess
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from pcplib import MARKING, __version__, metrics, periods, rag
from pcplib.charts import describe_chart, figure_to_html, format_value, plot_spc
from pcplib.data import AGGREGATIONS, RECALCULATION_MIN_POINTS, parse_recalculation_dates
from pcplib.data import FREQUENCY_MONTHS as _FREQ_MONTHS

if TYPE_CHECKING:
    from pcplib.data import Dataset
    from pcplib.spc import XmrResult

_T = TypeVar("_T")

__all__ = [
    "AGGREGATIONS",
    "AUDIENCES",
    "MARKING",
    "SPC_RULE_SETS",
    "StrategySummary",
    "available_period_end",
    "build_annual_header",
    "build_header",
    "build_plan_header",
    "build_plan_overview",
    "build_provenance",
    "build_public_header",
    "build_spc_charts",
    "check_parameters",
    "evaluate_year",
    "format_annual_evaluation",
    "format_commitments",
    "format_data_availability",
    "format_data_quality_notes",
    "format_forward_plan",
    "format_illustrative_banner",
    "format_measures_table",
    "format_narrative",
    "format_overall_rag",
    "format_plan_overview",
    "format_plan_overview_caption",
    "format_produced_at",
    "format_public_quarter",
    "format_table_one",
    "format_table_one_section",
    "load_table_one",
    "list_data_quality_notes",
    "measures_for_audience",
    "rebuild_table_one",
    "summarise_commitments",
    "summarise_measures",
    "summarise_strategy",
]

AUDIENCES: tuple[str, ...] = ("cgb", "public")
SPC_RULE_SETS: tuple[str, ...] = ("mdc", "plotthedots")
ROLL_UP_METHOD = "worst"
RAG_TOLERANCE = 0.05
NARRATIVE_SECTIONS: tuple[tuple[str, str], ...] = (
    ("progress", "Progress and actions"),
    ("successes", "Successes"),
    ("challenges", "Challenges"),
    ("risks", "Risks to delivery"),
)
_IMPROVEMENT = {"higher": "increase", "lower": "decrease", "neutral": "neutral"}
_PER_PERIOD = {"monthly": "a month", "quarterly": "a quarter", "annual": "a year"}
VARIATION_WORDS: dict[str | None, str] = {
    "common_cause": "No signal: the latest figure is within normal variation",
    "special_cause_improvement": "Signal of improvement: a real change for the better",
    "special_cause_concern": "Signal of concern: a real change for the worse",
    "special_cause_neutral_high": "Signal: a real rise (neither good nor bad)",
    "special_cause_neutral_low": "Signal: a real fall (neither good nor bad)",
    None: "Too few points to judge",
}
ASSURANCE_WORDS: dict[str | None, str] = {
    "consistent_pass": "Target consistently met",
    "consistent_fail": "Target consistently missed",
    "inconsistent": "Target met in some periods and missed in others, by chance",
}
AUDIENCE_WORDS = {
    "cgb": "Corporate Governance Board (may include restricted measures)",
    "public": "Public (public measures only)",
}
METHOD_NOTE = (
    "Each measure is either a count of events (offences, calls, admissions, money spent) "
    "or a level (headcounts, percentages, rates, average days). For counts of events, the "
    "current figure is the reporting quarter's total, compared with the baseline year's "
    "quarterly average total (the year's total divided by four) and with the same quarter's "
    "total a year earlier; a monthly target is multiplied by three for the quarter. For "
    "levels, the current figure is the quarter's average, compared with the baseline "
    "year's average and the same quarter's average a year earlier. Annual measures compare "
    "the latest year with the baseline year. Arrows show direction only (▲ up, ▼ down, "
    "► no change, ‡ not measurable); the judgement reads the measure's good direction. "
    "RAG compares the current figure with the target: Green met, Amber missed by up to 5%, "
    "Red missed by more, Grey no target or no data. A strategy's overall RAG is the worst "
    "of its headline measures' ratings, leaving Grey out. Statistical process control "
    "(SPC) uses XmR charts: the process limits (mean ± 2.66 × the average month-to-month "
    "change) show the range normal variation produces; a signal is a point outside the "
    "limits, a run of points on one side of the mean, a sustained rise or fall, or two of "
    "three points near a limit; with fewer than 13 points there are no limits and no "
    "judgement. Where a sustained change has a known cause (such as an uplift in officers), "
    "the limits are recalculated from the date it took effect, once at least 12 points "
    "follow it: each section has its own mean and limits, and the latest one is judged. "
    "Delivery confidence is the share of commitments complete or on track: "
    "90% or more Green, 75% Amber/Green, 50% Amber, 25% Amber/Red, under 25% Red."
)

_ANNUAL_TESTS_NOTE = (
    "Counts of events (offences, admissions, calls) are compared as the year's totals, "
    "tested as Poisson rates per month (a rate ratio with its 95% confidence interval). "
    "Percentages with a numerator and denominator are compared as two proportions "
    "(difference in percentage points with its 95% confidence interval, and a Wilson "
    "interval for the year). Levels (headcounts, rates, average days, scores, percentages "
    "without a numerator and denominator) and amounts of money are compared as averages or "
    "totals with no test: a test for counts of events does not apply to them. A change is "
    "called significant when p < 0.05."
)


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def _esc(value: Any) -> str:
    """Escape any value for HTML text or attributes."""
    return html.escape("" if value is None else str(value), quote=True)


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "table"


def _month_words(period: pd.Period) -> str:
    return f"{period.to_timestamp():%B %Y}"


def _date_words(value: Any) -> str:
    ts = pd.Timestamp(value)
    return f"{ts.day} {ts:%B %Y}"


def _quarter_words(quarter: str) -> str:
    """``"2026/27 Q2"`` as ``"July to September 2026"``."""
    months = periods.months_in_quarter(quarter)
    return _month_span(months[0], months[-1])


def _month_span(first: pd.Period, last: pd.Period) -> str:
    if first == last:
        return _month_words(first)
    if first.year == last.year:
        return f"{first.to_timestamp():%B} to {_month_words(last)}"
    return f"{_month_words(first)} to {_month_words(last)}"


def _parse_named(parse: Callable[[str], _T], value: str, name: str) -> _T:
    """Parse a parameter, prefixing any error with the parameter's name."""
    try:
        return parse(value)
    except ValueError as error:
        raise ValueError(f"{name}: {error}") from None


def _to_month(value: str | pd.Period, name: str) -> pd.Period:
    if isinstance(value, pd.Period):
        return value.asfreq("M")
    return _parse_named(periods.parse_month, value, name)


_SERIES_CACHE: weakref.WeakKeyDictionary[Any, dict[str, pd.DataFrame]] = weakref.WeakKeyDictionary()


def _series(dataset: Dataset, measure_id: str) -> pd.DataFrame:
    """Return a measure's observations sorted by period, as ``Dataset.series`` does.

    The observations are split by measure once per data set: reports ask for every
    measure's series several times, and filtering the whole table each time
    dominates a report's run time.
    """
    try:
        by_measure = _SERIES_CACHE[dataset]
    except (KeyError, TypeError):
        obs = dataset.observations.sort_values(["period_start", "area"], kind="stable")
        by_measure = {
            str(key): rows.reset_index(drop=True)
            for key, rows in obs.groupby("measure_id", sort=False)
        }
        try:
            _SERIES_CACHE[dataset] = by_measure
        except TypeError:
            pass
    if measure_id in by_measure:
        return by_measure[measure_id]
    return dataset.series(measure_id)


def _check_audience(audience: str) -> None:
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}; expected one of: {', '.join(AUDIENCES)}")


def _check_spc_rules(spc_rules: str) -> None:
    if spc_rules not in SPC_RULE_SETS:
        raise ValueError(
            f"unknown spc_rules {spc_rules!r}; expected one of: {', '.join(SPC_RULE_SETS)}"
        )


def _check_strategy(dataset: Dataset, strategy_id: str) -> None:
    known = list(dataset.strategies["strategy_id"])
    if strategy_id not in known:
        raise ValueError(f"unknown strategy {strategy_id!r}; expected one of: {', '.join(known)}")


def _months_covered(obs: pd.DataFrame) -> tuple[pd.Period, pd.Period]:
    """The first and last months that observation rows cover."""
    first = pd.Timestamp(obs["period_start"].min()).to_period("M")
    last = pd.Timestamp(obs["period_end"].max()).to_period("M")
    return first, last


def _table(
    head: Sequence[str],
    rows: Iterable[Sequence[str]],
    caption: str,
    *,
    numeric: Sequence[bool] | None = None,
    row_headers: bool = True,
) -> str:
    """Build an accessible table: caption, scoped headers, in a scrollable region.

    Cells are given as HTML already escaped by the caller.
    """
    numeric = list(numeric or [False] * len(head))
    body: list[str] = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            cls = ' class="num"' if numeric[i] else ""
            if i == 0 and row_headers:
                cells.append(f'<th scope="row"{cls}>{cell}</th>')
            else:
                cells.append(f"<td{cls}>{cell}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return _table_region(head, body, caption, numeric)


def _table_region(
    head: Sequence[str], body: Iterable[str], caption: str, numeric: Sequence[bool] | None = None
) -> str:
    """Wrap table rows (``<tr>`` HTML) with the caption and column headers in a scrollable region.

    The region is labelled with the caption and the table's id derives from it.
    """
    numeric = list(numeric or [False] * len(head))
    head_html = "".join(
        '<th scope="col"' + (' class="num"' if numeric[i] else "") + f">{_esc(h)}</th>"
        for i, h in enumerate(head)
    )
    return (
        f'<div class="table-wrap" role="region" tabindex="0" aria-label="{_esc(caption)}">'
        f'<table id="{_esc(_slug(caption))}"><caption>{_esc(caption)}</caption>'
        f"<thead><tr>{head_html}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def _with_note(main_html: str, note: Any) -> str:
    """Follow a cell's HTML with a small-print line (escaped here)."""
    return f'{main_html}<br><span class="small">{_esc(note)}</span>'


def _value_cell(value: Any, unit: str, label: Any) -> str:
    """A formatted value with its label (such as the period) in small print."""
    return _with_note(_esc(format_value(value, unit)), label)


def _arrow_cell(arrow: Any, text: Any, note: Any) -> str:
    """A direction arrow (hidden from screen readers, which read ``text``) and a note."""
    return _with_note(f'<span aria-hidden="true">{_esc(arrow)}</span> {_esc(text)}', note)


def _bullets(items: Iterable[Any]) -> str:
    """An HTML list of items, each escaped."""
    return "<ul>" + "".join(f"<li>{_esc(item)}</li>" for item in items) + "</ul>"


def _meta_list(facts: Iterable[tuple[str, Any]]) -> str:
    """A definition list of (term, value) facts, each escaped."""
    return (
        '<dl class="meta">'
        + "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in facts)
        + "</dl>"
    )


def _notice(text_html: str, cls: str = "notice") -> str:
    return f'<div class="{cls}" role="note">{text_html}</div>'


# --------------------------------------------------------------------------------------
# Parameters, times, banners
# --------------------------------------------------------------------------------------


def format_produced_at(produced_at: str = "") -> str:
    """Return when a report was produced, as ``"23 November 2026 06:00 UTC"``.

    Parameters
    ----------
    produced_at : str, default ""
        An ISO-8601 timestamp (``"2026-11-23T06:00:00Z"``; a time without a zone is
        read as UTC). Empty means now, the only clock read in report content.

    Returns
    -------
    str
        The time in UTC, to the minute.

    Raises
    ------
    ValueError
        If ``produced_at`` is not an ISO-8601 timestamp.
    """
    if produced_at is None or str(produced_at).strip() == "":
        stamp = pd.Timestamp(dt.datetime.now(dt.UTC))
    else:
        try:
            stamp = pd.Timestamp(str(produced_at).strip())
        except (ValueError, TypeError):
            raise ValueError(
                f"cannot read produced_at {produced_at!r}: expected an ISO-8601 timestamp "
                "such as '2026-11-23T06:00:00Z', or '' for now"
            ) from None
        if pd.isna(stamp):
            raise ValueError(
                f"cannot read produced_at {produced_at!r}: expected an ISO-8601 timestamp"
            )
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return f"{stamp.day} {stamp:%B %Y %H:%M} UTC"


def _last_data_month(dataset: Dataset) -> pd.Period:
    obs = dataset.observations
    present = obs[obs["value"].notna()]
    if present.empty:
        raise ValueError("the data set has no observations with a value")
    return pd.Timestamp(present["period_end"].max()).to_period("M")


def available_period_end(dataset: Dataset, period_end: str) -> str:
    """Return the last month of data a report can show for a requested period.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    period_end : str
        The requested last month of data, ``YYYY-MM``.

    Returns
    -------
    str
        ``period_end`` itself when the data reach it; otherwise the end of the
        latest financial quarter the data cover (``YYYY-MM``), so a report for a
        period not yet received shows the latest data available instead.
    """
    end = _to_month(period_end, "period_end")
    last = _last_data_month(dataset)
    if end <= last:
        return str(end)
    return str(periods.quarter_end_on_or_before(last))


def format_data_availability(dataset: Dataset, period_end: str) -> str:
    """Return a warning when no data have yet been received for the requested period.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    period_end : str
        The requested last month of data, ``YYYY-MM``.

    Returns
    -------
    str
        HTML warning naming the period requested and the period shown instead, or
        ``""`` when the data reach ``period_end``.
    """
    shown = available_period_end(dataset, period_end)
    if shown == str(_to_month(period_end, "period_end")):
        return ""
    wanted, got = _to_month(period_end, "period_end"), _to_month(shown, "period_end")
    wanted_q = periods.label_quarter(wanted.to_timestamp())
    got_q = periods.label_quarter(got.to_timestamp())
    return _notice(
        f"<p><strong>No data has yet been received for this period.</strong> This report "
        f"was asked for data to the end of {_esc(_month_words(wanted))} ({_esc(wanted_q)}), "
        f"but the data set runs only to {_esc(_month_words(_last_data_month(dataset)))}. "
        f"It shows the latest data available instead: {_esc(got_q)}, to the end of "
        f"{_esc(_month_words(got))}. Read every figure, rating and narrative below as "
        f"{_esc(got_q)}, not {_esc(wanted_q)}; the report will be complete once the "
        "quarter's data arrive.</p>",
        cls="notice warning",
    )


def check_parameters(
    dataset: Dataset | None = None,
    *,
    strategy: str | None = None,
    slot: str | None = None,
    period_end: str | None = None,
    quarter: str | None = None,
    year: str | None = None,
    audience: str | None = None,
    spc_rules: str | None = None,
    produced_at: str | None = None,
) -> None:
    """Check a notebook's parameters before any work, naming what was expected.

    Parameters
    ----------
    dataset : Dataset, optional
        The loaded data set; needed to check ``strategy`` and the data's period.
    strategy : str, optional
        A strategy id from ``data/framework/strategies.csv``.
    slot : str, optional
        The CGB meeting month, ``YYYY-MM``.
    period_end : str, optional
        The last month of data, ``YYYY-MM``, within the data set's months.
    quarter : str, optional
        A financial quarter such as ``"2026/27 Q2"`` ending within the data.
    year : str, optional
        A financial year such as ``"2025/26"`` with data.
    audience : str, optional
        ``"cgb"`` or ``"public"``.
    spc_rules : str, optional
        ``"mdc"`` or ``"plotthedots"``.
    produced_at : str, optional
        ``""`` or an ISO-8601 timestamp.

    Raises
    ------
    ValueError
        Naming the first parameter that is wrong and what was expected.
    """
    if audience is not None:
        _check_audience(audience)
    if spc_rules is not None:
        _check_spc_rules(spc_rules)
    if produced_at is not None:
        format_produced_at(produced_at)
    if slot is not None:
        _to_month(slot, "slot")
    if strategy is not None:
        if dataset is None:
            raise ValueError("checking a strategy id needs the data set")
        _check_strategy(dataset, strategy)
    data_span = _months_covered(dataset.observations) if dataset is not None else None
    if period_end is not None:
        month = _to_month(period_end, "period_end")
        # A period beyond the data is allowed: the report says so and shows the latest data.
        if data_span is not None and month < data_span[0]:
            raise ValueError(
                f"period_end {period_end!r} is before the data; expected a month from "
                f"{data_span[0]} onwards"
            )
    if quarter is not None:
        start, end = _parse_named(periods.parse_quarter, quarter, "quarter")
        if data_span is not None and end.to_period("M") < data_span[0]:
            raise ValueError(
                f"quarter {quarter!r} is before the data; expected a quarter ending "
                f"in {data_span[0]} or later"
            )
    if year is not None:
        start, end = _parse_named(periods.parse_financial_year, year, "year")
        if data_span is not None and not (
            data_span[0] <= start.to_period("M") and end.to_period("M") <= data_span[1]
        ):
            raise ValueError(
                f"year {year!r} is not covered by the data; expected a financial year "
                f"within {data_span[0]} to {data_span[1]}"
            )


def format_illustrative_banner(dataset: Dataset) -> str:
    """Return the banner that labels illustrative data, or ``""`` for real data.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.

    Returns
    -------
    str
        HTML (a ``role="note"`` panel) when ``dataset.illustrative`` is True.
    """
    if not dataset.illustrative:
        return ""
    return _notice(
        "<p><strong>Illustrative data.</strong> The figures in this report come from an "
        "illustrative sample data set, not real performance data: "
        f"{_esc(dataset.description)}.</p>",
        cls="illustrative",
    )


def _header(
    title: str,
    facts: Sequence[tuple[str, str]],
    dataset: Dataset,
    lead: str,
    warning: str = "",
) -> str:
    lead_html = f'<p class="lead">{_esc(lead)}</p>' if lead else ""
    return (
        f"<h1>{_esc(title)}</h1>{lead_html}{warning}{format_illustrative_banner(dataset)}"
        f"{_meta_list(facts)}"
    )


def _closing_facts(produced_at: str, audience: str) -> list[tuple[str, str]]:
    """The facts that end every header: when produced, for whom, the marking."""
    return [
        ("Produced", format_produced_at(produced_at)),
        ("Audience", AUDIENCE_WORDS[audience]),
        ("Security marking", MARKING),
    ]


def _period_header(
    dataset: Dataset,
    title: str,
    lead: str,
    leading_facts: Sequence[tuple[str, str]],
    measure_ids: Iterable[str],
    end: pd.Period,
    produced_at: str,
    audience: str,
) -> str:
    """A header for a report on a reporting quarter, warning when the data stop short."""
    facts = [
        *leading_facts,
        *_period_facts(dataset, measure_ids, str(end)),
        *_closing_facts(produced_at, audience),
    ]
    return _header(title, facts, dataset, lead, format_data_availability(dataset, str(end)))


def _period_facts(dataset: Dataset, measure_ids: Iterable[str], period_end: str) -> list:
    """Header facts on the period: the quarter shown and the data it actually covers."""
    requested = _to_month(period_end, "period_end")
    end = _to_month(available_period_end(dataset, period_end), "period_end")
    quarter = periods.label_quarter(end.to_timestamp())
    facts = []
    if end != requested:
        facts.append(
            (
                "Period requested",
                f"{periods.label_quarter(requested.to_timestamp())} (data to the end of "
                f"{_month_words(requested)}): no data received yet",
            )
        )
    facts += [
        ("Reporting quarter", f"{quarter} (data to the end of {_month_words(end)})"),
        ("Data period covered", _data_period(dataset, measure_ids, end)),
    ]
    return facts


def measures_for_audience(
    dataset: Dataset,
    strategy_id: str | None = None,
    tier: str | None = None,
    audience: str = "cgb",
) -> pd.DataFrame:
    """Return the measures an audience may see, for one strategy or all.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str, optional
        One strategy; every strategy when omitted.
    tier : {"headline", "sub"}, optional
        One tier; both when omitted.
    audience : {"cgb", "public"}, default "cgb"
        ``"public"`` removes restricted measures.

    Returns
    -------
    pandas.DataFrame
        Rows of ``dataset.measures`` in catalogue order.

    Raises
    ------
    ValueError
        For an unknown audience, strategy or tier.
    """
    _check_audience(audience)
    if tier is not None and tier not in ("headline", "sub"):
        raise ValueError(f"unknown tier {tier!r}; expected one of: headline, sub")
    if strategy_id is not None:
        _check_strategy(dataset, strategy_id)
        return dataset.measures_for(strategy_id, tier=tier, public_only=audience == "public")
    measures = dataset.measures
    if tier is not None:
        measures = measures[measures["tier"] == tier]
    if audience == "public":
        measures = measures[measures["visibility"] == "public"]
    return measures


def _data_period(dataset: Dataset, measure_ids: Iterable[str], end: pd.Period) -> str:
    obs = dataset.observations
    obs = obs[obs["measure_id"].isin(list(measure_ids))]
    obs = obs[(obs["period_end"] <= end.end_time) & obs["value"].notna()]
    if obs.empty:
        return f"no data up to {_month_words(end)}"
    return _month_span(*_months_covered(obs))


def build_header(
    dataset: Dataset,
    strategy_id: str,
    slot: str,
    period_end: str,
    produced_at: str = "",
    audience: str = "cgb",
) -> str:
    """Return the top of a delivery-strategy report.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str
        The strategy.
    slot : str
        The CGB meeting month, ``YYYY-MM``.
    period_end : str
        The last month of data, ``YYYY-MM``.
    produced_at : str, default ""
        When the report is produced (see :func:`format_produced_at`).
    audience : {"cgb", "public"}, default "cgb"
        Who the report is for.

    Returns
    -------
    str
        HTML: the title, the illustrative-data banner when relevant, and the
        strategy's mission, objective, owners and single points of contact, the
        meeting, the data period actually covered, the reporting quarter, when
        it was produced, the audience and the security marking.
    """
    _check_audience(audience)
    _check_strategy(dataset, strategy_id)
    end = _to_month(period_end, "period_end")
    meeting = _to_month(slot, "slot")
    strategy = dataset.strategy(strategy_id)
    missions = dataset.missions.set_index("mission_id")["mission_name"]
    mission = missions.get(strategy["mission_id"], strategy["mission_id"])
    measures = measures_for_audience(dataset, strategy_id, audience=audience)
    facts = [
        ("Mission", str(mission)),
        ("Strategic objective", str(strategy["strategic_objective"])),
        ("Force senior owner", str(strategy["force_senior_owner"])),
        ("Force single point of contact", str(strategy["force_spoc"])),
        ("OPCC senior owner", str(strategy["opcc_senior_owner"])),
        ("OPCC single point of contact", str(strategy["opcc_spoc"])),
        ("Meeting", f"Corporate Governance Board, {_month_words(meeting)}"),
    ]
    return _period_header(
        dataset,
        f"{strategy['strategy_name']}: delivery strategy report",
        "Police and Crime Plan 2025-29: performance, progress and risks for the "
        "Corporate Governance Board.",
        facts,
        measures["measure_id"],
        end,
        produced_at,
        audience,
    )


def build_plan_header(dataset: Dataset, slot: str, period_end: str, produced_at: str = "") -> str:
    """Return the top of the plan overview.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    slot : str
        The CGB meeting month, ``YYYY-MM``.
    period_end : str
        The last month of data, ``YYYY-MM``.
    produced_at : str, default ""
        When the report is produced.

    Returns
    -------
    str
        HTML: title, illustrative banner, meeting, data period, produced time, marking.
    """
    end = _to_month(period_end, "period_end")
    public = measures_for_audience(dataset, audience="public")
    meeting = ("Meeting", f"Corporate Governance Board, {_month_words(_to_month(slot, 'slot'))}")
    return _period_header(
        dataset,
        "Police and Crime Plan 2025-29: plan overview",
        "Every delivery strategy on one page: commitments, current RAG, headline measures "
        "and projected delivery.",
        [meeting],
        public["measure_id"],
        end,
        produced_at,
        "public",
    )


def build_public_header(dataset: Dataset, quarter: str, produced_at: str = "") -> str:
    """Return the top of the quarterly public monitoring report.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    quarter : str
        The quarter reported, such as ``"2026/27 Q2"``.
    produced_at : str, default ""
        When the report is produced.

    Returns
    -------
    str
        HTML: title, illustrative banner, quarter, data period, produced time, marking.
    """
    _, end = periods.parse_quarter(quarter)
    public = measures_for_audience(dataset, audience="public")
    return _period_header(
        dataset,
        f"Police and Crime Plan 2025-29: public monitoring report, {quarter}",
        "What has been achieved and what still needs attention, strategy by strategy.",
        [("Quarter", f"{quarter} ({_quarter_words(quarter)})")],
        public["measure_id"],
        end.to_period("M"),
        produced_at,
        "public",
    )


def build_annual_header(dataset: Dataset, year: str, produced_at: str = "") -> str:
    """Return the top of the annual evaluation.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    year : str
        The financial year evaluated, such as ``"2025/26"``.
    produced_at : str, default ""
        When the report is produced.

    Returns
    -------
    str
        HTML: title, illustrative banner, year, data period, produced time, marking.
    """
    _, end = periods.parse_financial_year(year)
    end_month = end.to_period("M")
    public = measures_for_audience(dataset, audience="public")
    facts = [
        ("Year evaluated", f"{year} (April to March)"),
        ("Data period covered", _data_period(dataset, public["measure_id"], end_month)),
        *_closing_facts(produced_at, "public"),
    ]
    return _header(
        f"Police and Crime Plan 2025-29: annual evaluation, {year}",
        facts,
        dataset,
        "The plan's impact: each public measure against its baseline year, with tests of "
        "whether the change is more than chance.",
    )


# --------------------------------------------------------------------------------------
# Measures
# --------------------------------------------------------------------------------------


def _period_label(start: Any, frequency: str) -> str:
    if frequency == "monthly":
        return f"{pd.Timestamp(start):%B %Y}"
    if frequency == "quarterly":
        return periods.label_quarter(start)
    return periods.label_financial_year(start)


def _month_number(period: pd.Period) -> int:
    return period.year * 12 + period.month - 1


def _with_months(series: pd.DataFrame) -> pd.DataFrame:
    """Add ``end_month``: each row's period-end month as an integer, for fast windows."""
    ends = pd.DatetimeIndex(series["period_end"])
    return series.assign(end_month=ends.year * 12 + ends.month - 1)


def _window(series: pd.DataFrame, first: pd.Period, last: pd.Period) -> pd.DataFrame:
    """Rows whose period ends within the months ``first`` to ``last``."""
    if "end_month" not in series:
        series = _with_months(series)
    months = series["end_month"].to_numpy()
    return series[(months >= _month_number(first)) & (months <= _month_number(last))]


def _in_period(rows: pd.DataFrame, start: pd.Timestamp, stop: pd.Timestamp) -> pd.DataFrame:
    """Rows whose period lies wholly within ``start`` to ``stop``."""
    return rows[(rows["period_start"] >= start) & (rows["period_end"] <= stop)]


def _has_previous_definition(series: pd.DataFrame, start: pd.Timestamp, stop: pd.Timestamp) -> bool:
    """Whether a measure has figures under its previous definition within a period."""
    return not _in_period(series[series["definition"] == "previous"], start, stop).empty


def _mean(rows: pd.DataFrame) -> float | None:
    values = rows["value"].dropna()
    return float(values.mean()) if not values.empty else None


def _aggregation(measure: Mapping[str, Any]) -> str:
    """The measure's aggregation (``sum`` or ``mean``), checked."""
    value = str(measure.get("aggregation") or "")
    if value not in AGGREGATIONS:
        raise ValueError(
            f"measure {measure.get('measure_id')!r} has aggregation {value!r}; expected one "
            f"of: {', '.join(AGGREGATIONS)} (see data/README.md)"
        )
    return value


def _span_words(n_periods: int, frequency: str) -> str:
    months = n_periods * _FREQ_MONTHS[frequency]
    if months == 3:
        return "quarterly"
    if months == 12:
        return "annual"
    return f"{months}-month"


def _period_total(
    rows: pd.DataFrame, n_periods: int, label: str, frequency: str
) -> tuple[float | None, str]:
    """A total over the window, only when every period in it has a figure.

    A missing month would make a total look low, so an incomplete window gives no
    total and a label saying how many periods were received.
    """
    values = rows["value"].dropna()
    unit_word = "month" if frequency == "monthly" else "quarter"
    if len(values) < n_periods:
        return None, f"{label}: incomplete ({len(values)} of {n_periods} {unit_word}s received)"
    if frequency == "monthly":
        return float(values.sum()), f"{label} (total of {n_periods} months)"
    return float(values.sum()), f"{label} (total)"


def _spc_series(current: pd.DataFrame, frequency: str) -> pd.Series:
    """The current-definition series on a regular calendar, absent periods as gaps."""
    values = current.set_index("period_start")["value"].astype(float)
    values = values[~values.index.duplicated(keep="last")].sort_index()
    if values.empty:
        return values
    step = _FREQ_MONTHS[frequency]
    full = pd.date_range(values.index.min(), values.index.max(), freq=f"{step}MS")
    return values.reindex(full)


def _target(measure: Mapping[str, Any]) -> float | None:
    """The measure's target per period, or None when it has none."""
    target = measure.get("target")
    return None if _is_missing(target) else float(target)


@dataclass(frozen=True)
class _Sections:
    """Where a measure's SPC chart is recalculated, and what the report says about it.

    ``rebase_at`` holds the dates passed to :func:`pcplib.spc.xmr` (empty: one set of
    limits); ``flag`` is the short data note for the measures table and ``note`` the
    sentence (without a capital or a full stop) for the SPC summary and the
    data-quality notes. Both are empty when the measure has no recalculation date
    within the charted series.
    """

    rebase_at: tuple[pd.Timestamp, ...] = ()
    flag: str = ""
    note: str = ""


def _list_words(items: Sequence[str]) -> str:
    """``["a", "b", "c"]`` as ``"a, b and c"``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _plan_sections(measure: Mapping[str, Any], regular: pd.Series) -> _Sections:
    """Decide the SPC sections of a measure's charted series from its recalculation dates.

    Only dates after the series' first period and within it count (a report for an
    earlier quarter has not reached a later change yet). Every section, the latest
    included, needs :data:`~pcplib.data.RECALCULATION_MIN_POINTS` figures, as Making
    Data Count requires; otherwise the chart keeps one set of limits and the note
    says why, so a change too recent to judge on its own is never hidden.
    """
    text = measure.get("spc_recalculate_from")
    if _is_missing(text) or not str(text).strip() or regular.empty:
        return _Sections()
    try:
        dates = parse_recalculation_dates(str(text))
    except ValueError:
        # Unvalidated data: validation reports the bad cell; the chart keeps one section.
        return _Sections()
    index = regular.index
    dates = [d for d in dates if d in index and d > index[0]]
    if not dates:
        return _Sections()
    frequency = str(measure["frequency"])
    when = _list_words([_period_label(d, frequency) for d in dates])
    cause = measure.get("spc_recalculate_note")
    because = "" if _is_missing(cause) or not str(cause).strip() else f" ({str(cause).strip()})"
    present = index[regular.notna().to_numpy()]
    bounds = [index[0], *dates, index[-1] + pd.Timedelta(days=1)]
    for start, stop in zip(bounds, bounds[1:], strict=False):
        n = int(((present >= start) & (present < stop)).sum())
        if n < RECALCULATION_MIN_POINTS:
            return _Sections(
                flag=f"limits not yet recalculated from {when}",
                note=(
                    f"limits are not yet recalculated from {when}{because}; the section "
                    f"from {_period_label(start, frequency)} has {n} of the "
                    f"{RECALCULATION_MIN_POINTS} points needed, so one set of limits covers "
                    "the whole series until it has enough"
                ),
            )
    return _Sections(
        rebase_at=tuple(dates),
        flag=f"limits recalculated from {when}",
        note=(
            f"limits recalculated from {when}{because}; each section has its own mean and "
            "limits, and the variation and assurance judge the latest section "
            f"({_period_label(dates[-1], frequency)} onwards)"
        ),
    )


def _sentence(text: str) -> str:
    """Start ``text`` with a capital and end it with a full stop."""
    return f"{text[:1].upper()}{text[1:]}." if text else ""


def _run_spc(
    series: pd.Series,
    measure: Mapping[str, Any],
    spc_rules: str,
    rebase_at: Sequence[pd.Timestamp] = (),
) -> XmrResult | None:
    from pcplib.spc import xmr

    if series.notna().sum() < 2:
        return None
    target = _target(measure)
    try:
        return xmr(
            series,
            improvement=_IMPROVEMENT[str(measure["good_direction"])],
            target=target,
            rules=spc_rules,
            rebase_at=list(rebase_at) or None,
        )
    except ValueError:
        # A series SPC cannot analyse (e.g. no two adjacent points) is reported as unjudged.
        return None


def _quality_flags(
    series: pd.DataFrame,
    current: pd.DataFrame,
    end: pd.Period,
    regular: pd.Series,
    sections: _Sections | None = None,
) -> list[str]:
    flags = []
    if (series["definition"] == "previous").any():
        flags.append("definition changed")
    recent = _window(current, end - 11, end)
    if (recent["status"] == "provisional").any():
        flags.append("provisional figures")
    if regular.isna().any():
        flags.append("gaps")
    if sections is not None and sections.flag:
        flags.append(sections.flag)
    return flags


def summarise_measures(
    dataset: Dataset,
    strategy_id: str | None,
    period_end: str,
    tier: str | None = None,
    audience: str = "cgb",
    spc_rules: str = "mdc",
    with_spc: bool = True,
) -> pd.DataFrame:
    """Summarise a strategy's measures for the reporting quarter.

    What *current* means depends on the measure's ``aggregation``. For a **sum**
    measure (events such as offences) it is the reporting quarter's total, compared
    with the baseline year's quarterly average total (the year's total ÷ 4) and
    the same quarter's total a year earlier; the target, set per period, is
    multiplied by the periods in the quarter. For a **mean** measure (levels,
    percentages, rates) it is the average per period in the quarter, compared
    with the average per period in the baseline year and in the same quarter a
    year earlier. Annual measures compare the latest year with the baseline year.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str or None
        The strategy; every strategy when None.
    period_end : str
        The last month of data, ``YYYY-MM``; the reporting quarter is the quarter
        ending in (or containing) it.
    tier : {"headline", "sub"}, optional
        One tier; both when omitted.
    audience : {"cgb", "public"}, default "cgb"
        ``"public"`` leaves restricted measures out.
    spc_rules : {"mdc", "plotthedots"}, default "mdc"
        The SPC rule set.
    with_spc : bool, default True
        Run the SPC analysis; reports that show no SPC (plan overview, public
        report) pass False, and the SPC columns then say "Not assessed".

    Returns
    -------
    pandas.DataFrame
        One row per measure with ``measure_id``, ``measure_name``, ``strategy_id``,
        ``tier``, ``unit``, ``good_direction``, ``frequency``, ``source``,
        ``latest_period``, ``latest_value``, ``current_label``, ``current``,
        ``baseline_label``, ``baseline``, ``change``, ``direction``, ``arrow``,
        ``judgement``, ``last_year_label``, ``last_year``, ``target`` (for the
        quarter: the per-period target times the periods for a sum measure),
        ``target_per_period``, ``target_note``, ``aggregation``, ``visibility``,
        ``rag``, ``spc_variation``, ``spc_assurance``, ``spc_summary``,
        ``spc`` (the :class:`~pcplib.spc.XmrResult` or None),
        ``quality`` (data-quality flags) and ``has_data``.

    Raises
    ------
    ValueError
        For an unknown strategy, tier, audience or rule set, or a bad month.
    """
    _check_spc_rules(spc_rules)
    end = _to_month(period_end, "period_end")
    quarter_first = periods.months_in_quarter(end.to_timestamp())[0]
    quarter_label = periods.label_quarter(end.to_timestamp())
    measures = measures_for_audience(dataset, strategy_id, tier=tier, audience=audience)
    rows = []
    for measure in measures.to_dict("records"):
        rows.append(
            _summarise_measure(
                dataset, measure, end, quarter_first, quarter_label, spc_rules if with_spc else None
            )
        )
    columns = [
        "measure_id", "measure_name", "strategy_id", "tier", "unit", "good_direction",
        "frequency", "source", "latest_period", "latest_value", "current_label", "current",
        "baseline_label", "baseline", "change", "direction", "arrow", "judgement",
        "last_year_label", "last_year", "target", "target_per_period", "target_note",
        "aggregation", "visibility", "rag", "spc_variation", "spc_assurance", "spc_summary",
        "spc", "quality", "has_data",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _summarise_measure(
    dataset: Dataset,
    measure: Mapping[str, Any],
    end: pd.Period,
    quarter_first: pd.Period,
    quarter_label: str,
    spc_rules: str | None,
) -> dict[str, Any]:
    frequency = str(measure["frequency"])
    unit = str(measure["unit"])
    good = str(measure["good_direction"])
    per = _PER_PERIOD[frequency]
    series = _series(dataset, measure["measure_id"])
    series = _with_months(series[series["period_end"] <= end.end_time])
    current_def = series[series["definition"] == "current"]
    present = current_def[current_def["value"].notna()]
    regular = _spc_series(current_def, frequency)

    if present.empty:
        latest_period, latest_value = "no data", None
    else:
        last_row = present.iloc[-1]
        latest_period = _period_label(last_row["period_start"], frequency)
        latest_value = float(last_row["value"])

    aggregation = _aggregation(measure)
    if frequency == "annual":
        n_periods = 1
        if present.empty:
            current, current_label, last_year, last_year_label = None, "no data", None, ""
        else:
            last_row = present.iloc[-1]
            current = float(last_row["value"])
            current_label = periods.label_financial_year(last_row["period_start"])
            year_before = pd.Timestamp(last_row["period_end"]).to_period("M") - 12
            last_year = _mean(_window(present, year_before, year_before))
            last_year_label = periods.shift_year_back(current_label)
    else:
        step = _FREQ_MONTHS[frequency]
        n_periods = max(1, (_month_number(end) - _month_number(quarter_first) + 1) // step)
        last_year_quarter = periods.shift_year_back(quarter_label)
        if aggregation == "sum":
            current, current_label = _period_total(
                _window(current_def, quarter_first, end), n_periods, quarter_label, frequency
            )
            last_year, last_year_label = _period_total(
                _window(current_def, quarter_first - 12, end - 12),
                n_periods,
                last_year_quarter,
                frequency,
            )
        else:
            suffix = f" (average {per})" if frequency == "monthly" else ""
            current = _mean(_window(current_def, quarter_first, end))
            current_label = f"{quarter_label}{suffix}"
            last_year = _mean(_window(current_def, quarter_first - 12, end - 12))
            last_year_label = f"{last_year_quarter}{suffix}"

    baseline_year = str(measure.get("baseline_year") or "")
    baseline = None
    baseline_label = "no baseline year"
    if baseline_year:
        start, stop = periods.parse_financial_year(baseline_year)
        baseline = _mean(_in_period(current_def, start, stop))
        if frequency == "annual":
            baseline_label = baseline_year
        elif aggregation == "sum":
            # A like-for-like total: the baseline year's average per period times the
            # periods in the reporting quarter (a quarter of the year's total).
            baseline = None if baseline is None else baseline * n_periods
            baseline_label = f"{baseline_year} ({_span_words(n_periods, frequency)} average)"
        else:
            baseline_label = f"{baseline_year} (average {per})"
        if baseline is None:
            if _has_previous_definition(series, start, stop):
                baseline_label = (
                    f"{baseline_year}: previous definition, not comparable with current figures"
                )

    change = metrics.summarise_change(baseline, current, unit, good)
    target = _target(measure)
    # Targets are set per period ("1,150 a month"); a quarter's total meets the
    # quarter's share of them.
    period_target = target
    if target is not None and aggregation == "sum" and frequency != "annual":
        period_target = target * n_periods
    rating = rag.rag_against_target(current, period_target, good, tolerance=RAG_TOLERANCE)
    sections = _plan_sections(measure, regular) if spc_rules else _Sections()
    result = _run_spc(regular, measure, spc_rules, sections.rebase_at) if spc_rules else None
    if spc_rules is None:
        variation_words, assurance_words, spc_summary = (
            "Not assessed",
            "Not assessed",
            "SPC not assessed in this report.",
        )
    elif result is None:
        variation_words, assurance_words, spc_summary = (
            "Not enough data to judge",
            "Not assessed",
            "Not enough data for an SPC chart.",
        )
    else:
        variation_words = VARIATION_WORDS.get(result.variation, str(result.variation))
        if result.assurance is not None:
            assurance_words = ASSURANCE_WORDS.get(result.assurance, result.assurance)
        elif target is None:
            assurance_words = "No target"
        else:
            assurance_words = "Not assessed"
        spc_summary = result.describe()
        if sections.note:
            spc_summary += " " + _sentence(sections.note)
    return {
        "measure_id": measure["measure_id"],
        "measure_name": measure["measure_name"],
        "strategy_id": measure["strategy_id"],
        "tier": measure["tier"],
        "unit": unit,
        "good_direction": good,
        "frequency": frequency,
        "source": measure.get("source", ""),
        "latest_period": latest_period,
        "latest_value": latest_value,
        "current_label": current_label,
        "current": current,
        "baseline_label": baseline_label,
        "baseline": baseline,
        "change": change.text,
        "direction": change.direction,
        "arrow": change.arrow,
        "judgement": change.judgement,
        "last_year_label": last_year_label,
        "last_year": last_year,
        "target": period_target,
        "target_per_period": target,
        "target_note": "" if _is_missing(measure.get("target_note")) else measure["target_note"],
        "aggregation": aggregation,
        "visibility": str(measure.get("visibility") or "public"),
        "rag": rating,
        "spc_variation": variation_words,
        "spc_assurance": assurance_words,
        "spc_summary": spc_summary,
        "spc": result,
        "quality": ", ".join(_quality_flags(series, current_def, end, regular, sections)),
        "has_data": current is not None,
    }


def format_measures_table(df: pd.DataFrame, caption: str) -> str:
    """Return a measures summary (from :func:`summarise_measures`) as an HTML table.

    Parameters
    ----------
    df : pandas.DataFrame
        Rows from :func:`summarise_measures`.
    caption : str
        The table's caption (escaped here).

    Returns
    -------
    str
        An accessible table in a scrollable region: caption, column and row headers
        with ``scope``, the RAG as a word and a colour, the change with its arrow
        and judgement, SPC variation and assurance in words. Ids derive from the
        caption, so output is deterministic.
    """
    if df.empty:
        return f"<p>{_esc(caption)}: no measures of this kind are published for this audience.</p>"
    if not df["has_data"].any():
        return _notice(
            f"<p>{_esc(caption)}: no figures are available for this period, so no table "
            "is shown.</p>"
        )
    head = [
        "Measure", "Latest", "Current", "Baseline", "Change", "Same period last year",
        "Target", "RAG", "SPC variation", "SPC assurance", "Data notes",
    ]  # fmt: skip
    rows = []
    for r in df.to_dict("records"):
        unit = r["unit"]
        if _is_missing(r["target"]):
            target = "No target"
        else:
            target = _esc(format_value(r["target"], unit))
            per_period = r.get("target_per_period")
            if not _is_missing(per_period) and per_period != r["target"]:
                target = _with_note(
                    f"{target} for the quarter",
                    f"({format_value(per_period, unit)} {_PER_PERIOD[r['frequency']]})",
                )
            if r["target_note"]:
                target = _with_note(target, r["target_note"])
        name = _esc(r["measure_name"])
        if r.get("visibility") == "restricted":
            name += '<br><span class="small"><strong>Restricted:</strong> CGB only</span>'
        rows.append(
            [
                name,
                _value_cell(r["latest_value"], unit, r["latest_period"]),
                _value_cell(r["current"], unit, r["current_label"]),
                _value_cell(r["baseline"], unit, r["baseline_label"]),
                _arrow_cell(r["arrow"], r["change"], f"{r['direction']}; {r['judgement']}"),
                _value_cell(r["last_year"], unit, r["last_year_label"]),
                target,
                rag.format_rag_html(r["rag"]),
                _esc(r["spc_variation"]),
                _esc(r["spc_assurance"]),
                _esc(r["quality"] or "None"),
            ]
        )
    return _table(head, rows, caption)


# --------------------------------------------------------------------------------------
# Strategy summary, charts, commitments, narrative, data quality
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StrategySummary:
    """A strategy's state for one reporting period.

    Attributes
    ----------
    strategy_id, strategy_name : str
        Which strategy.
    period_end : str
        The last month of data, ``YYYY-MM``.
    overall_rag : str
        The roll-up of the headline measures' RAG.
    overall_explanation : str
        One sentence saying how the overall RAG was reached.
    measures : pandas.DataFrame
        Headline and sub-measures from :func:`summarise_measures`.
    delivery : pcplib.rag.DeliveryConfidence
        Confidence that the commitments will be delivered.
    has_data : bool
        Whether any measure has a value in the reporting quarter.
    """

    strategy_id: str
    strategy_name: str
    period_end: str
    overall_rag: str
    overall_explanation: str
    measures: pd.DataFrame = field(repr=False)
    delivery: rag.DeliveryConfidence
    has_data: bool


def summarise_strategy(
    dataset: Dataset,
    strategy_id: str,
    period_end: str,
    audience: str = "cgb",
    spc_rules: str = "mdc",
    with_spc: bool = True,
) -> StrategySummary:
    """Summarise a strategy: overall RAG, measures and delivery confidence.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str
        The strategy.
    period_end : str
        The last month of data, ``YYYY-MM``.
    audience : {"cgb", "public"}, default "cgb"
        ``"public"`` leaves restricted measures out of the roll-up and the tables.
    spc_rules : {"mdc", "plotthedots"}, default "mdc"
        The SPC rule set.
    with_spc : bool, default True
        Run the SPC analysis (see :func:`summarise_measures`).

    Returns
    -------
    StrategySummary
        The overall RAG is the worst of the headline measures' RAG (Grey left out).
    """
    _check_strategy(dataset, strategy_id)
    measures = summarise_measures(
        dataset, strategy_id, period_end, audience=audience, spc_rules=spc_rules,
        with_spc=with_spc,
    )  # fmt: skip
    headline = measures[measures["tier"] == "headline"]
    rating, sentence = rag.roll_up(list(headline["rag"]), method=ROLL_UP_METHOD)
    n = len(headline)
    explanation = (
        f"The overall RAG is rolled up from the {n} headline measure"
        f"{'s' if n != 1 else ''}' RAG against target, taking the worst and leaving Grey "
        f"(no target or no data) out. {sentence}"
    )
    commitments = _strategy_commitments(dataset, strategy_id)
    return StrategySummary(
        strategy_id=strategy_id,
        strategy_name=str(dataset.strategy(strategy_id)["strategy_name"]),
        period_end=period_end,
        overall_rag=rating,
        overall_explanation=explanation,
        measures=measures,
        delivery=rag.delivery_confidence(list(commitments["status"])),
        has_data=bool(measures["has_data"].any()),
    )


def format_overall_rag(summary: StrategySummary) -> str:
    """Return the overall RAG badge and the sentence explaining the roll-up.

    Parameters
    ----------
    summary : StrategySummary
        From :func:`summarise_strategy`.

    Returns
    -------
    str
        HTML paragraphs.
    """
    no_data = ""
    if not summary.has_data:
        no_data = _notice(
            f"<p><strong>No data for this period.</strong> None of this strategy's measures "
            f"has a figure for the reporting period ending {_esc(summary.period_end)}, so its "
            "tables below say so rather than show empty rows.</p>"
        )
    return (
        f"{no_data}<p><strong>Overall RAG:</strong> "
        f"{rag.format_rag_html(summary.overall_rag)}</p>"
        f"<p>{_esc(summary.overall_explanation)}</p>"
    )


def build_spc_charts(summary_df: pd.DataFrame) -> str:
    """Return one SPC chart per measure, each with alt text and a caption.

    Parameters
    ----------
    summary_df : pandas.DataFrame
        Rows from :func:`summarise_measures` (usually the headline measures).

    Returns
    -------
    str
        ``<figure>`` elements; a measure without enough data gets a sentence instead.
    """
    if summary_df.empty:
        return "<p>No measures to chart.</p>"
    parts = []
    for r in summary_df.to_dict("records"):
        result = r["spc"]
        if result is None:
            parts.append(
                f"<p><strong>{_esc(r['measure_name'])}</strong>: not enough data for an "
                "SPC chart in this period.</p>"
            )
            continue
        fig = plot_spc(result, title=r["measure_name"], unit=r["unit"])
        alt = describe_chart(result, r["measure_name"], r["unit"])
        caption = f"{r['measure_name']}: {r['spc_summary']} Source: {r['source']}."
        if "definition changed" in r["quality"]:
            caption += " Only figures under the current definition are charted."
        parts.append(figure_to_html(fig, alt, caption))
    return "".join(parts)


def summarise_commitments(dataset: Dataset, strategy_id: str | None = None) -> pd.DataFrame:
    """Count commitments by status.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str, optional
        One strategy; all when omitted.

    Returns
    -------
    pandas.DataFrame
        Columns ``status`` and ``commitments``, one row per status in
        :data:`pcplib.rag.STATUSES` order (0 where none).
    """
    commitments = dataset.commitments
    if strategy_id is not None:
        _check_strategy(dataset, strategy_id)
        commitments = _strategy_commitments(dataset, strategy_id)
    counts = rag.delivery_confidence(list(commitments["status"])).counts
    return pd.DataFrame(
        {"status": list(rag.STATUSES), "commitments": [counts[s] for s in rag.STATUSES]}
    )


def format_commitments(dataset: Dataset, strategy_id: str, *, list_each: bool = True) -> str:
    """Return commitments: delivery confidence, counts by status and (optionally) each one.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str
        The strategy.
    list_each : bool, default True
        Also list every commitment with its status, due date and owner.

    Returns
    -------
    str
        HTML.
    """
    _check_strategy(dataset, strategy_id)
    commitments = _strategy_commitments(dataset, strategy_id)
    if commitments.empty:
        return "<p>No commitments are recorded for this strategy.</p>"
    confidence = rag.delivery_confidence(list(commitments["status"]))
    name = dataset.strategy(strategy_id)["strategy_name"]
    counts = summarise_commitments(dataset, strategy_id)
    parts = [
        f"<p><strong>Projected delivery confidence:</strong> "
        f"{rag.format_rag_html(confidence.rating)} ({confidence.percent:.0f}% complete or "
        f"on track)</p><p>{_esc(confidence.explanation)}</p>",
        _table(
            ["Status", "Commitments"],
            [[_esc(s.capitalize()), str(c)] for s, c in counts.itertuples(index=False)],
            f"{name}: commitments by status",
            numeric=[False, True],
        ),
    ]
    if list_each:
        rows = [
            [
                _esc(c["commitment"]),
                _esc(str(c["status"]).capitalize()),
                _esc(_date_words(c["due_date"]) if not _is_missing(c["due_date"]) else ""),
                _esc(c["owner"]),
            ]
            for c in commitments.to_dict("records")
        ]
        parts.append(
            _table(["Commitment", "Status", "Due", "Owner"], rows, f"{name}: each commitment")
        )
    return "".join(parts)


def _strategy_commitments(dataset: Dataset, strategy_id: str) -> pd.DataFrame:
    return dataset.commitments[dataset.commitments["strategy_id"] == strategy_id]


def _restricted_names(dataset: Dataset) -> list[str]:
    restricted = dataset.measures[dataset.measures["visibility"] == "restricted"]
    return [str(n).lower() for n in restricted["measure_name"]]


def _narrative_rows(
    dataset: Dataset, strategy_id: str, quarter: str, audience: str
) -> tuple[pd.DataFrame, int]:
    narrative = dataset.narrative
    rows = narrative[(narrative["strategy_id"] == strategy_id) & (narrative["quarter"] == quarter)]
    withheld = 0
    if audience == "public":
        names = _restricted_names(dataset)
        keep = [not any(n in str(t).lower() for n in names) for t in rows["text"]]
        withheld = len(keep) - sum(keep)
        rows = rows[keep]
    return rows, withheld


def format_narrative(
    dataset: Dataset,
    strategy_id: str,
    quarter: str,
    audience: str = "cgb",
    sections: Sequence[str] | None = None,
    heading_level: int = 3,
) -> str:
    """Return a strategy's narrative for a quarter: progress, successes, challenges, risks.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str
        The strategy.
    quarter : str
        The quarter, such as ``"2026/27 Q2"``.
    audience : {"cgb", "public"}, default "cgb"
        For ``"public"``, any entry naming a restricted measure is withheld (and
        the report says how many).
    sections : sequence of str, optional
        Which sections, in order; all four when omitted.
    heading_level : int, default 3
        The HTML heading level of each section.

    Returns
    -------
    str
        HTML; the narrative text is escaped, never interpreted as markup.
    """
    _check_audience(audience)
    _check_strategy(dataset, strategy_id)
    periods.parse_quarter(quarter)
    rows, withheld = _narrative_rows(dataset, strategy_id, quarter, audience)
    wanted = list(sections) if sections is not None else [s for s, _ in NARRATIVE_SECTIONS]
    titles = dict(NARRATIVE_SECTIONS)
    if rows.empty and not withheld:
        return f"<p>No narrative was submitted for {_esc(quarter)}.</p>"
    parts = []
    h = f"h{heading_level}"
    for section in wanted:
        texts = list(rows.loc[rows["section"] == section, "text"])
        parts.append(f"<{h}>{_esc(titles.get(section, section))}</{h}>")
        if texts:
            parts.append(_bullets(texts))
        else:
            parts.append(f"<p>None reported for {_esc(quarter)}.</p>")
    if withheld:
        parts.append(
            f"<p>{withheld} entr{'y' if withheld == 1 else 'ies'} about restricted measures "
            "withheld from this public report.</p>"
        )
    return "".join(parts)


def _months_text(months: Sequence[pd.Period]) -> str:
    if not months:
        return ""
    months = sorted(months)
    runs: list[tuple[pd.Period, pd.Period]] = []
    for m in months:
        if runs and m == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], m)
        else:
            runs.append((m, m))
    return ", ".join(_month_span(a, b) for a, b in runs)


def list_data_quality_notes(
    dataset: Dataset,
    strategy_id: str | None,
    period_end: str,
    audience: str = "cgb",
    with_spc: bool = True,
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
    audience : {"cgb", "public"}, default "cgb"
        ``"public"`` leaves restricted measures out.
    with_spc : bool, default True
        Include the SPC notes: where a measure's process limits are recalculated
        from a known change (or are not yet, because the new section is too short).
        Reports that show no SPC pass False.

    Returns
    -------
    list of str
        Plain-text sentences (escape before showing as HTML), in catalogue order,
        starting with the illustrative-data caveat when it applies.
    """
    end = _to_month(period_end, "period_end")
    notes = []
    if dataset.illustrative:
        notes.append(
            "All figures are illustrative sample data, not real performance data: "
            f"{dataset.description}."
        )
    measures = measures_for_audience(dataset, strategy_id, audience=audience)
    for m in measures.to_dict("records"):
        name = m["measure_name"]
        series = _series(dataset, m["measure_id"])
        series = series[series["period_end"] <= end.end_time]
        previous = series[series["definition"] == "previous"]
        current = series[series["definition"] == "current"]
        if not previous.empty:
            changed = (
                _date_words(m["definition_from"])
                if not _is_missing(m.get("definition_from"))
                else "an unrecorded date"
            )
            last_prev = previous[previous["value"].notna()]
            detail = ""
            if not last_prev.empty:
                row = last_prev.iloc[-1]
                detail = (
                    f" Under the previous definition the last figure was "
                    f"{format_value(row['value'], m['unit'])} "
                    f"({_period_label(row['period_start'], m['frequency'])})."
                )
            old = m.get("previous_definition")
            old_text = f" Previous definition: {old}" if not _is_missing(old) and old else ""
            old_text = old_text.rstrip(".") + "." if old_text else ""
            notes.append(
                f"{name}: definition changed on {changed}: earlier figures are shown "
                f"separately and not joined; charts and comparisons use the current "
                f"definition only.{old_text}{detail}"
            )
        missing = current[current["value"].isna()]
        gaps = [pd.Timestamp(s).to_period("M") for s in missing["period_start"]]
        sections = _Sections()
        if not current.empty:
            regular = _spc_series(current, str(m["frequency"]))
            absent = regular.index.difference(pd.DatetimeIndex(current["period_start"]))
            gaps += [pd.Timestamp(s).to_period("M") for s in absent]
            if with_spc:
                sections = _plan_sections(m, regular)
        if gaps:
            notes.append(
                f"{name}: no figure for {_months_text(gaps)}; shown as a gap, never filled, "
                "and SPC treats it as missing."
            )
        provisional = current[current["status"] == "provisional"]
        if not provisional.empty:
            labels = [_period_label(s, m["frequency"]) for s in provisional["period_start"]]
            notes.append(
                f"{name}: figures for {', '.join(labels)} are provisional and may be revised."
            )
        if sections.note:
            notes.append(f"{name}: SPC {sections.note}.")
        if current[current["value"].notna()].empty:
            notes.append(f"{name}: no figures up to {_month_words(end)}.")
    return notes


def format_data_quality_notes(notes: Sequence[str]) -> str:
    """Return data-quality notes as an HTML list (escaped).

    Parameters
    ----------
    notes : sequence of str
        From :func:`list_data_quality_notes`.

    Returns
    -------
    str
        HTML.
    """
    if not notes:
        return "<p>No data-quality issues affect this report.</p>"
    return _bullets(notes)


# --------------------------------------------------------------------------------------
# Provenance
# --------------------------------------------------------------------------------------


def _git_commit(root: Path) -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True, text=True, timeout=10, check=False,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return "not recorded (git is not available)"
    if head.returncode != 0:
        return "not recorded (not a git checkout)"
    return head.stdout.strip()


def build_provenance(
    dataset: Dataset,
    *,
    spc_rules: str = "mdc",
    sources: Iterable[str] = (),
    extra_files: Mapping[str, str] | None = None,
    parameters: Mapping[str, Any] | None = None,
) -> str:
    """Return the report's sources and method: files with checksums, versions, rules.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set; its ``files`` (path to sha256) are listed.
    spc_rules : str, default "mdc"
        The SPC rule set used.
    sources : iterable of str
        The measures' sources (the organisation or system each figure comes from).
    extra_files : mapping of str to str, optional
        Other input files read (path to sha256), such as reference tables.
    parameters : mapping, optional
        The parameters the report ran with.

    Returns
    -------
    str
        HTML: the method note, a table of input files with their sha256, the
        sources, the pcplib version, the git commit and the parameters.
    """
    files = dict(dataset.files)
    files.update(extra_files or {})
    file_rows = [[_esc(p), f"<code>{_esc(h)}</code>"] for p, h in sorted(files.items())]
    source_list = sorted({str(s) for s in sources if not _is_missing(s) and str(s)})
    root = Path(dataset.root)
    facts = [
        ("Data set", dataset.description),
        ("pcplib version", __version__),
        ("Code version (git commit)", _git_commit(root)),
        ("SPC rule set", spc_rules),
    ]
    if parameters:
        facts.append(("Parameters", ", ".join(f"{k} = {v!r}" for k, v in parameters.items())))
    parts = [f"<p>{_esc(METHOD_NOTE)}</p>", _meta_list(facts)]
    if source_list:
        parts.append("<p><strong>Sources of the figures:</strong></p>" + _bullets(source_list))
    parts.append(_table(["File", "SHA-256"], file_rows, "Input files and their checksums"))
    return "".join(parts)


# --------------------------------------------------------------------------------------
# Plan overview and the 2021-24 Table One back test
# --------------------------------------------------------------------------------------


def build_plan_overview(dataset: Dataset, period_end: str, spc_rules: str = "mdc") -> pd.DataFrame:
    """Build the plan on one page, in the shape of the 2021-24 plan's Table One.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    period_end : str
        The last month of data, ``YYYY-MM``.
    spc_rules : str, default "mdc"
        The SPC rule set.

    Returns
    -------
    pandas.DataFrame
        One row per public headline measure: ``strategy_id``, ``strategy_name``,
        ``commitments``, ``current_rag``, ``measure_name``, ``unit``, ``baseline``,
        ``baseline_label``, ``current``, ``current_label``, ``arrow``,
        ``direction``, ``judgement``, ``projected_delivery`` (per cent or None),
        ``delivery_rag``. A strategy with no public headline measure has one row
        with an empty measure.
    """
    period_end = available_period_end(dataset, period_end)
    names = dataset.strategies.set_index("strategy_id")["strategy_name"]
    # Only headline measures feed the overview, and it shows no SPC: summarising
    # sub-measures or running SPC here would cost time for nothing shown.
    all_headline = summarise_measures(
        dataset, None, period_end, tier="headline", audience="public", spc_rules=spc_rules,
        with_spc=False,
    )  # fmt: skip
    rows = []
    for strategy_id in dataset.strategies["strategy_id"]:
        headline = all_headline[all_headline["strategy_id"] == strategy_id]
        overall, _ = rag.roll_up(list(headline["rag"]), method=ROLL_UP_METHOD)
        statuses = _strategy_commitments(dataset, strategy_id)["status"]
        delivery = rag.delivery_confidence(list(statuses))
        base = {
            "strategy_id": strategy_id,
            "strategy_name": str(names[strategy_id]),
            "commitments": len(statuses),
            "current_rag": overall,
            "projected_delivery": delivery.percent,
            "delivery_rag": delivery.rating,
        }
        if headline.empty:
            rows.append({**base, "measure_name": "", "unit": "count"})
        for m in headline.to_dict("records"):
            rows.append(
                {
                    **base,
                    "measure_name": m["measure_name"],
                    "unit": m["unit"],
                    "baseline": m["baseline"],
                    "baseline_label": m["baseline_label"],
                    "current": m["current"],
                    "current_label": m["current_label"],
                    "arrow": m["arrow"],
                    "direction": m["direction"],
                    "judgement": m["judgement"],
                }
            )
    columns = [
        "strategy_id", "strategy_name", "commitments", "current_rag", "measure_name", "unit",
        "baseline", "baseline_label", "current", "current_label", "arrow", "direction",
        "judgement", "projected_delivery", "delivery_rag",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def format_plan_overview_caption(period_end: str) -> str:
    """Return the plan overview table's caption, naming the quarter and last month in words.

    Parameters
    ----------
    period_end : str
        The last month of data shown, ``YYYY-MM``.

    Returns
    -------
    str
        Such as ``"Police and Crime Plan 2025-29 on one page: 2026/27 Q2, data to the
        end of September 2026"``.
    """
    end = _to_month(period_end, "period_end")
    return (
        f"Police and Crime Plan 2025-29 on one page: {periods.label_quarter(end.to_timestamp())}"
        f", data to the end of {_month_words(end)}"
    )


def format_plan_overview(df: pd.DataFrame, caption: str) -> str:
    """Return the plan overview as an HTML table, one row group per strategy.

    Parameters
    ----------
    df : pandas.DataFrame
        From :func:`build_plan_overview`.
    caption : str
        The caption.

    Returns
    -------
    str
        HTML: strategy cells span their measures' rows; RAG as word and colour.
    """
    head = [
        "Strategy", "Commitments", "Current RAG", "Headline measure", "Baseline", "Current",
        "Trend", "Projected delivery",
    ]  # fmt: skip
    body = []
    for _, group in df.groupby("strategy_id", sort=False):
        first = group.iloc[0]
        span = len(group)
        rs = f' rowspan="{span}"' if span > 1 else ""
        delivery = (
            f"{first['projected_delivery']:.0f}% {rag.format_rag_html(first['delivery_rag'])}"
            if not _is_missing(first["projected_delivery"])
            else rag.format_rag_html("Grey") + " no commitments"
        )
        for i, m in enumerate(group.to_dict("records")):
            cells = []
            if i == 0:
                cells += [
                    f'<th scope="rowgroup"{rs}>{_esc(m["strategy_name"])}</th>',
                    f'<td class="num"{rs}>{m["commitments"]}</td>',
                    f"<td{rs}>{rag.format_rag_html(m['current_rag'])}</td>",
                ]
            if m["measure_name"]:
                unit = m["unit"]
                cells += [
                    f"<td>{_esc(m['measure_name'])}</td>",
                    f'<td class="num">{_value_cell(m["baseline"], unit, m["baseline_label"])}</td>',
                    f'<td class="num">{_value_cell(m["current"], unit, m["current_label"])}</td>',
                    f"<td>{_arrow_cell(m['arrow'], m['direction'], m['judgement'])}</td>",
                ]
            else:
                cells.append('<td colspan="4">No public headline measure</td>')
            if i == 0:
                cells.append(f"<td{rs}>{delivery}</td>")
            body.append(f"<tr>{''.join(cells)}</tr>")
    return _table_region(head, body, caption)


def _parse_reference_number(value: Any) -> float | None:
    if _is_missing(value):
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
    out["baseline_value"] = [_parse_reference_number(v) for v in out["baseline"]]
    out["current_value"] = [_parse_reference_number(v) for v in out["current"]]
    out["direction"] = [
        metrics.direction(b, c)
        for b, c in zip(out["baseline_value"], out["current_value"], strict=True)
    ]
    out["recomputed_trend"] = [metrics.arrow(d) for d in out["direction"]]
    out["matches"] = out["recomputed_trend"] == out["published_trend"].astype(str).str.strip()
    return out


TABLE_ONE_FILE = "table_one_2021_24.csv"


def load_table_one(reference_dir: str | Path) -> pd.DataFrame:
    """Read the 2021-24 plan's published Table One from the reference folder.

    Parameters
    ----------
    reference_dir : str or Path
        The folder holding ``table_one_2021_24.csv`` (``data/reference``).

    Returns
    -------
    pandas.DataFrame
        The table as published (text cells kept as text); ``attrs["files"]`` maps
        the file's path (relative to the folder's parent) to its SHA-256, for the
        provenance section.

    Raises
    ------
    FileNotFoundError
        If the file is missing, naming where it was expected.
    """
    folder = Path(reference_dir)
    path = folder / TABLE_ONE_FILE
    if not path.is_file():
        raise FileNotFoundError(
            f"Table One reference not found: expected {path} (reference_dir={str(reference_dir)!r})"
        )
    raw = path.read_bytes()
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    table.attrs["files"] = {f"{folder.name}/{TABLE_ONE_FILE}": hashlib.sha256(raw).hexdigest()}
    return table


def format_table_one_section(reference_df: pd.DataFrame) -> str:
    """Rebuild Table One and return it as HTML, labelled with its source.

    Parameters
    ----------
    reference_df : pandas.DataFrame
        From :func:`load_table_one`.

    Returns
    -------
    str
        A sentence naming the source, the back-test table and a count of matches.
    """
    rebuilt = rebuild_table_one(reference_df)
    sources = []
    if "source" in rebuilt.columns:
        sources = sorted({str(v) for v in rebuilt["source"] if str(v).strip()})
    source_text = "; ".join(sources) or "source not recorded"
    intro = f"<p><strong>Source:</strong> {_esc(source_text)}. Real published figures.</p>"
    return intro + format_table_one(
        rebuilt, "Table One of the 2021-24 plan (published figures), with trends recomputed"
    )


def format_table_one(rebuilt: pd.DataFrame, caption: str) -> str:
    """Return the Table One back test as an HTML table.

    Parameters
    ----------
    rebuilt : pandas.DataFrame
        From :func:`rebuild_table_one`.
    caption : str
        The caption, which should name the source.

    Returns
    -------
    str
        HTML: theme, commitments, current RAG as published (word and colour),
        measure, baseline, current, published and recomputed trend, and whether
        they match; then a sentence counting the matches.
    """
    head = [
        "Theme", "Commitments", "Current RAG (published)", "Measure", "Baseline 2020/21",
        "Current (end of 2023)", "Published trend", "Recomputed trend", "Match",
        "Projected delivery",
    ]  # fmt: skip
    rows = []
    for r in rebuilt.to_dict("records"):
        published_rag = str(r.get("current_rag", "Grey") or "Grey")
        note = r.get("baseline_note")
        baseline = (
            f"{r['baseline_value']:,.0f}"
            if not _is_missing(r["baseline_value"])
            else "not available"
        )
        if not _is_missing(note) and note:
            baseline = _with_note(baseline, note)
        current = (
            f"{r['current_value']:,.0f}" if not _is_missing(r["current_value"]) else "not available"
        )
        rows.append(
            [
                _esc(r["theme"]),
                _esc(r.get("commitments", "")),
                rag.format_rag_html(published_rag)
                + (" (published as Yellow)" if published_rag == "Yellow" else ""),
                _esc(r["measure"]),
                baseline,
                _esc(current),
                f"{_esc(r['published_trend'])} ({_esc(_arrow_words(r['published_trend']))})",
                f"{_esc(r['recomputed_trend'])} ({_esc(r['direction'])})",
                "Yes" if r["matches"] else "<strong>No</strong>",
                _esc(f"{r['projected_delivery']}%" if "projected_delivery" in r else ""),
            ]
        )
    matched = int(rebuilt["matches"].sum())
    total = len(rebuilt)
    verdict = (
        f"All {total} recomputed trends match the published ones."
        if matched == total
        else f"{matched} of {total} recomputed trends match the published ones."
    )
    return _table(head, rows, caption, row_headers=False) + f"<p>{_esc(verdict)}</p>"


def _arrow_words(symbol: Any) -> str:
    words = {v: k for k, v in metrics.ARROWS.items()}
    return words.get(str(symbol).strip(), "unknown")


# --------------------------------------------------------------------------------------
# Public quarterly report
# --------------------------------------------------------------------------------------


_CHANGE_WORDS = {"improved": "better", "deteriorated": "worse"}


def _measure_sentence(m: Mapping[str, Any]) -> str:
    """One plain-English sentence on a measure for residents."""
    unit = m["unit"]
    current = format_value(m["current"], unit)
    baseline = format_value(m["baseline"], unit)
    if m.get("aggregation") == "sum" and m["frequency"] != "annual":
        text = (
            f"{m['measure_name']}: {current} in the quarter, against a quarterly average "
            f"of {baseline} in {str(m['baseline_label']).split(' ')[0]}"
        )
    elif m["frequency"] == "annual":
        text = f"{m['measure_name']}: {current} in {m['current_label']}, against {baseline}"
        text += f" in {m['baseline_label']}"
    else:
        text = (
            f"{m['measure_name']}: {current} on average in the quarter, against {baseline} "
            f"in {str(m['baseline_label']).split(' ')[0]}"
        )
    change = str(m["change"])
    amount = change.lstrip("+-").replace(" pp", " percentage points")
    moved = m["direction"] in ("up", "down")
    word = _CHANGE_WORDS.get(str(m["judgement"]))
    met = ""
    if not _is_missing(m["target"]):
        met = {"Green": "met", "Amber": "narrowly missed", "Red": "missed"}.get(m["rag"], "")
    # The target decides which list a measure is in, so when the change on the baseline
    # year points the other way it is told as a qualification of the target, not as a
    # bare "worse" under "What has been achieved".
    against_target = bool(moved and met and word) and (word == "better") != (met == "met")
    if against_target:
        base_year = str(m["baseline_label"]).split(" ")[0].rstrip(":")
        change_words = f"{m['direction']} {amount} on {base_year}"
    elif moved:
        text += f" ({m['direction']} {amount}" + (f", {word})" if word else ")")
    elif m["direction"] == "no change":
        text += " (no change)"
    if met:
        note = str(m.get("target_note") or "").rstrip(".")
        note = note[:1].lower() + note[1:] if note[:2] != note[:2].upper() else note
        target = note or f"target {format_value(m['target'], unit)}"
        text += f"; target ({target}) {met}"
        if against_target:
            text += (
                f", although {change_words}"
                if met == "met"
                else f", although better: {change_words}"
            )
    return text + "."


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _public_lists(summary: StrategySummary) -> tuple[list[str], list[str]]:
    """Split a strategy's public measures into achieved and needing attention.

    A measure with a target goes by its RAG (Green achieved; Amber or Red needs
    attention); one without goes by its judgement (improved or deteriorated). Each
    measure appears at most once.
    """
    achieved, attention = [], []
    for r in summary.measures.to_dict("records"):
        if not r["has_data"]:
            continue
        has_target = not _is_missing(r["target"])
        if has_target:
            good = r["rag"] == "Green"
            bad = r["rag"] in ("Amber", "Red")
        else:
            good = r["judgement"] == "improved"
            bad = r["judgement"] == "deteriorated"
        if good:
            achieved.append(_measure_sentence(r))
        elif bad:
            attention.append(_measure_sentence(r))
    counts = summary.delivery.counts
    if counts.get("complete"):
        achieved.append(f"{_plural(counts['complete'], 'commitment')} in the plan delivered.")
    stuck = counts.get("at risk", 0) + counts.get("off track", 0)
    if stuck:
        attention.append(f"{_plural(stuck, 'commitment')} at risk of not being delivered on time.")
    return achieved, attention


def format_public_quarter(dataset: Dataset, quarter: str, spc_rules: str = "mdc") -> str:
    """Return the public report's body: per strategy, what was achieved and what needs attention.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    quarter : str
        The quarter, such as ``"2026/27 Q2"``; a quarter beyond the data shows the
        latest quarter available (the header says so).
    spc_rules : str, default "mdc"
        Kept for a stable signature; the public report shows no SPC, so none is run.

    Returns
    -------
    str
        HTML with one section per strategy: overall rating (public measures), then
        what has been achieved (measures meeting their target, or improving where
        there is no target, delivered commitments, successes) and what still needs
        attention (targets missed, measures getting worse, commitments at risk,
        challenges), in plain English. Public measures only.
    """
    _, end = periods.parse_quarter(quarter)
    period_end = available_period_end(dataset, str(end.to_period("M")))
    shown_quarter = periods.label_quarter(_to_month(period_end, "period_end").to_timestamp())
    parts = []
    for strategy_id in dataset.strategies["strategy_id"]:
        summary = summarise_strategy(
            dataset, strategy_id, period_end, audience="public", spc_rules=spc_rules,
            with_spc=False,
        )  # fmt: skip
        parts.append(f"<h2>{_esc(summary.strategy_name)}</h2>")
        parts.append(
            f"<p><strong>Overall rating:</strong> {rag.format_rag_html(summary.overall_rag)}</p>"
        )
        if not summary.has_data:
            parts.append(f"<p>No published measure has figures for {_esc(shown_quarter)}.</p>")
        achieved, attention = _public_lists(summary)
        for heading, items, empty, section in (
            (
                "What has been achieved",
                achieved,
                "No measure met its target or improved this quarter.",
                "successes",
            ),
            (
                "What still needs attention",
                attention,
                "Nothing flagged this quarter.",
                "challenges",
            ),
        ):
            parts.append(f"<h3>{heading}</h3>")
            parts.append(_list_or(items, empty))
            parts.append(
                format_narrative(
                    dataset, strategy_id, shown_quarter, audience="public", sections=[section],
                    heading_level=4,
                )
            )  # fmt: skip
    return "".join(parts)


def _list_or(items: Sequence[str], empty: str) -> str:
    if not items:
        return f"<p>{_esc(empty)}</p>"
    return _bullets(items)


def format_forward_plan(
    dataset: Dataset, slots: Iterable[Any], after: str | None = None, limit: int = 6
) -> str:
    """Return the CGB forward plan's upcoming slots as an HTML table.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set (for strategy names).
    slots : iterable of Slot
        Forward-plan slots with ``slot`` (``YYYY-MM``), ``strategies`` (ids) and
        ``period_end``.
    after : str, optional
        Only slots after this month (``YYYY-MM``) are listed.
    limit : int, default 6
        At most this many slots.

    Returns
    -------
    str
        HTML table: meeting month, strategies, data period.
    """
    names = dataset.strategies.set_index("strategy_id")["strategy_name"]
    cutoff = _to_month(after, "after") if after else None
    chosen = []
    for s in sorted(slots, key=lambda s: str(s.slot)):
        month = _to_month(str(s.slot), "slot")
        if cutoff is not None and month <= cutoff:
            continue
        chosen.append((month, s))
        if len(chosen) >= limit:
            break
    if not chosen:
        return "<p>No further meetings are scheduled in the forward plan.</p>"
    rows = [
        [
            _esc(_month_words(month)),
            _esc(", ".join(str(names.get(i, i)) for i in s.strategies)),
            _esc(f"data to the end of {_month_words(_to_month(str(s.period_end), 'period_end'))}"),
        ]
        for month, s in chosen
    ]
    return _table(
        ["Meeting", "Delivery strategies reviewed", "Data period"],
        rows,
        "Corporate Governance Board forward plan: the next meetings",
    )


# --------------------------------------------------------------------------------------
# Annual evaluation
# --------------------------------------------------------------------------------------


def evaluate_year(dataset: Dataset, year: str) -> pd.DataFrame:
    """Compare every public measure's year with its baseline year, with a test of change.

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
        ``baseline_year``, ``aggregation``, ``baseline``, ``current`` (the year's
        total for a sum measure, its average per period for a mean measure),
        ``change``, ``arrow``, ``judgement``, ``test`` (the kind of test, or why
        there is none), ``verdict`` and ``finding`` (a sentence with
        the change, its confidence interval and the verdict).
    """
    from pcplib import stats

    start, stop = periods.parse_financial_year(year)
    names = dataset.strategies.set_index("strategy_id")["strategy_name"]
    rows = []
    for m in measures_for_audience(dataset, audience="public").to_dict("records"):
        series = _series(dataset, m["measure_id"])
        current_def = series[series["definition"] == "current"]
        base_year = str(m.get("baseline_year") or "")
        row = {
            "strategy_name": names.get(m["strategy_id"], m["strategy_id"]),
            "measure_name": m["measure_name"],
            "unit": m["unit"],
            "baseline_year": base_year,
            "aggregation": _aggregation(m),
        }
        this = _in_period(current_def, start, stop)
        if base_year:
            b_start, b_stop = periods.parse_financial_year(base_year)
            base = _in_period(current_def, b_start, b_stop)
        else:
            base = current_def.iloc[0:0]
        this_v, base_v = this.dropna(subset=["value"]), base.dropna(subset=["value"])
        is_sum = _aggregation(m) == "sum"
        months = _FREQ_MONTHS[str(m["frequency"])]
        expected = 12 // months
        incomplete = is_sum and (len(this_v) < expected or len(base_v) < expected)
        if is_sum:
            # A year's total needs every period: a missing month would make it look low.
            current = float(this_v["value"].sum()) if len(this_v) == expected else None
            baseline = float(base_v["value"].sum()) if len(base_v) == expected else None
        else:
            current = _mean(this_v)
            baseline = _mean(base_v)
        change = metrics.summarise_change(baseline, current, m["unit"], m["good_direction"])
        test, verdict, finding = "none", "", ""
        if base_year == year:
            test, finding = "none", f"{year} is this measure's baseline year."
        elif base_year and base_v.empty and _has_previous_definition(series, b_start, b_stop):
            test, finding = (
                "none",
                f"Not measurable: the baseline year's figures ({base_year}) were recorded "
                "under the previous definition, so they are not compared with current ones.",
            )
        elif incomplete:
            test, finding = (
                "none",
                "Not measurable: a year's total needs every period, and one of the two years "
                "has periods missing.",
            )
        elif current is None or baseline is None:
            test, finding = "none", "Not measurable: no figures for one of the two years."
        elif is_sum and m["unit"] != "count":
            test = "none"
            finding = (
                f"Change {change.text} ({change.judgement}); no test: an amount, not a count "
                "of events, so a test for counts does not apply."
            )
        elif is_sum and _whole(this_v["value"]) and _whole(base_v["value"]):
            result = stats.compare_counts(
                int(round(baseline)),
                int(round(current)),
                exposure1=len(base_v) * months,
                exposure2=len(this_v) * months,
            )
            test, verdict, finding = (
                "counts (Poisson rate ratio)",
                result.verdict,
                result.describe(),
            )
        elif (
            m["unit"] == "percent"
            and this_v["numerator"].notna().all()
            and this_v["denominator"].notna().all()
            and base_v["numerator"].notna().all()
            and base_v["denominator"].notna().all()
        ):
            x1, n1 = float(base_v["numerator"].sum()), float(base_v["denominator"].sum())
            x2, n2 = float(this_v["numerator"].sum()), float(this_v["denominator"].sum())
            result = stats.compare_proportions(x1, n1, x2, n2)
            interval = stats.wilson_interval(x2, n2)
            test, verdict = "two proportions", result.verdict
            finding = f"{result.describe()} {year}: {interval.describe()}."
        elif is_sum:
            test = "none"
            finding = (
                f"Change {change.text} ({change.judgement}); no test: the figures are not "
                "whole counts of events."
            )
        else:
            test = "none"
            finding = (
                f"Change {change.text} ({change.judgement}); no test: a level, not a count "
                "of events"
                + (
                    ", and no numerator and denominator to test it as a proportion."
                    if m["unit"] == "percent"
                    else "."
                )
            )
        rows.append(
            {
                **row,
                "baseline": baseline,
                "current": current,
                "change": change.text,
                "arrow": change.arrow,
                "judgement": change.judgement,
                "test": test,
                "verdict": verdict,
                "finding": finding,
            }
        )
    columns = [
        "strategy_name", "measure_name", "unit", "baseline_year", "aggregation", "baseline",
        "current", "change", "arrow", "judgement", "test", "verdict", "finding",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _whole(values: pd.Series) -> bool:
    return bool(((values - values.round()).abs() < 1e-9).all())


def format_annual_evaluation(df: pd.DataFrame, year: str) -> str:
    """Return the annual evaluation as an HTML table with a summary sentence.

    Parameters
    ----------
    df : pandas.DataFrame
        From :func:`evaluate_year`.
    year : str
        The year evaluated.

    Returns
    -------
    str
        HTML: a count of significant changes, the method, then the table.
    """
    significant = df[df["verdict"].str.startswith("statistically significant")]
    tested = df[df["verdict"] != ""]
    summary = (
        f"Of {len(df)} public measures, {len(tested)} could be tested; "
        f"{len(significant)} changed by more than chance between the baseline year and {year}."
    )
    rows = []
    for r in df.to_dict("records"):
        unit = r["unit"]
        total = " (year's total)" if r["aggregation"] == "sum" else " (average)"
        rows.append(
            [
                _esc(r["measure_name"]),
                _esc(r["strategy_name"]),
                _with_note(
                    _esc(
                        format_value(r["baseline"], unit)
                        + ("" if _is_missing(r["baseline"]) else total)
                    ),
                    r["baseline_year"],
                ),
                _with_note(
                    _esc(
                        format_value(r["current"], unit)
                        + ("" if _is_missing(r["current"]) else total)
                    ),
                    year,
                ),
                _arrow_cell(r["arrow"], r["change"], r["judgement"]),
                _esc(r["verdict"] or "Not tested"),
                _esc(r["finding"]),
            ]
        )
    table = _table(
        ["Measure", "Strategy", "Baseline", year, "Change", "Test verdict", "In words"],
        rows,
        f"Public measures: {year} against the baseline year",
    )
    return f"<p>{_esc(summary)}</p><p>{_esc(_ANNUAL_TESTS_NOTE)}</p>{table}"
