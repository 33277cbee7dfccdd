"""Measures as a reader sees them: the measures table, overall rating and SPC charts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib.report.html import format_rag_html

if TYPE_CHECKING:
    from matplotlib.figure import Figure
from pcplib.assessment.measures import PER_PERIOD
from pcplib.assessment.spc_words import select_sign_phrases
from pcplib.assessment.strategy import StrategySummary
from pcplib.assessment.vocabulary import describe_change_words, say_continued_change
from pcplib.labels import as_sentence, format_figure, format_figures, is_missing, month_words
from pcplib.periods import parse_month
from pcplib.records import list_records
from pcplib.report.chart_text import describe_chart, list_flagged_points
from pcplib.report.charts import figure_to_html, plot_spc
from pcplib.report.html import arrow_cell, build_table, esc, notice, with_note
from pcplib.report.words import RAG_BASIS_WORDS, describe_assurance, describe_variation


def _direction_note(r: dict) -> str:
    """The direction and its judgement, once when they are the same words.

    A measure with no good direction shows its evidence's grade with "no good direction"
    (:func:`~pcplib.assessment.vocabulary.describe_change_words`), never the label alone.
    """
    if r["direction"] == r["judgement"]:
        return str(r["direction"])
    words = describe_change_words(
        str(r["judgement"]), str(r["direction"]), str(r.get("change_evidence") or ""),
        str(r.get("good_direction") or ""),
    )  # fmt: skip
    return f"{r['direction']}; {words}"


def _before_words(r: dict) -> str:
    """Where the year ending's comparison figure comes from, in words.

    A stock or year-to-date figure (aggregation ``last``) is the figure at one month, so
    it is compared "in September 2025", never "in the 12 months before".
    """
    if r.get("aggregation") == "last":
        return f"in {r['previous_year_label']}"
    return "in the 12 months before"


def _year_note(r: dict, previous: str) -> str:
    """The longer view's "Year ending" note: its period and the figure it is set against.

    A year-to-date figure is not a year ending: the assessment's words say what it is
    ("Year to date, September 2026 against September 2025 (£95,390)"; review 5, F5).
    """
    basis = str(r.get("year_ending_basis") or "")
    if basis:
        return f"{basis[:1].upper()}{basis[1:]} ({previous})"
    return f"{r['year_ending_label']}, against {previous} {_before_words(r)}"


def _baseline_note(r: dict, latest: str, baseline: str) -> str:
    """The two figures behind the change on the plan's baseline year, each with its period.

    A flow is "latest 12 months (9.7 days) against 9.6 days in the plan's baseline year
    (2024/25)"; a stock or year-to-date figure is "September 2026 (2,331) against 2,317 in
    March 2025, the end of the plan's baseline year (2024/25)".
    """
    last = r.get("aggregation") == "last"
    now = f"{r['year_ending_label']} ({latest})" if last else f"latest 12 months ({latest})"
    why = str(r.get("baseline_unlike") or "")
    if why:
        # Not like for like (a year to date against a year's outturn): no pair of
        # figures to invite the comparison (review 7, F16).
        head = r["baseline_period_label"]
        return f"{now}: {why.replace('not compared', f'not compared with {head}', 1)}"
    where = str(r.get("baseline_words") or r["baseline_label"])
    if is_missing(r.get("baseline")):
        # No baseline year, or one without a figure: the label says why.
        return f"{now} against {baseline}: {where}"
    # The one flag's words where the change is real and continues an earlier one.
    continued = say_continued_change(r)
    return f"{now} against {baseline} in {where}{f'; {continued}' if continued else ''}"


def _target_cell(r: dict) -> str:
    """The target for the period, or its trajectory point, with what it rests on."""
    unit = r["unit"]
    per = str(r.get("rate_per") or "")
    if is_missing(r["target"]):
        return "No target"
    target = esc(format_figure(r["target"], unit, per=per))
    per_period = r.get("target_per_period")
    if r.get("target_basis") == "trajectory":
        # A month in words, as everywhere a reader looks ("March 2029", never "2029-03").
        due = r["target_date"]
        due_words = month_words(parse_month(str(due))) if not is_missing(due) and due else ""
        # A target judged on the year ending is a year's worth: it names that year, so
        # it is never read against the quarter's figure beside it (review 4, F6).
        scope = str(r.get("target_period_label") or "") if r.get("target_on_year") else ""
        expected = (
            f"{target} {esc(scope)}, expected by now" if scope else f"{target} expected by now"
        )
        target = with_note(expected, f"on the line to {due_words}")
    elif not is_missing(per_period) and per_period != r["target"]:
        # The period the target covers comes from the verdict: "for the quarter", or "in
        # the 12 months to ..." for a seasonal measure judged on the year ending.
        scope = str(r.get("target_period_label") or "for the quarter")
        target = with_note(
            f"{target} {scope}",
            f"({format_figure(per_period, unit, per=per)} {PER_PERIOD[r['frequency']]})",
        )
    if r["target_note"]:
        target = with_note(target, r["target_note"])
    return target


def _margin_text(r: dict) -> str:
    """A survey estimate's 95% margin of error, to print beside it (empty otherwise)."""
    margin = r.get("margin_of_error")
    return "" if is_missing(margin) else f" (± {margin:.1f} pp)"


def _name_cell(r: dict, board: str) -> str:
    """The measure's name, marked "Restricted: <board> only" when it is restricted."""
    name = esc(r["measure_name"])
    if r.get("visibility") == "restricted":
        name += f'<br><span class="small"><strong>Restricted:</strong> {esc(board)} only</span>'
    return name


def _no_table(df: pd.DataFrame, caption: str) -> str | None:
    """The sentence shown instead of a table with no rows or no figures, else None."""
    if df.empty:
        return f"<p>{esc(caption)}: no measures of this kind are published for this audience.</p>"
    if not df["has_data"].any():
        return notice(
            f"<p>{esc(caption)}: no figures are available for this period, so no table "
            "is shown.</p>"
        )
    return None


def format_measures_table(df: pd.DataFrame, caption: str, board: str = "Board") -> str:
    """Return the measures (from :func:`summarise_measures`) as the Board's main table.

    Six columns that fit a 1280-pixel screen and an A4 portrait page: the measure,
    this quarter's figure, the same quarter last year with the change, its arrow and
    judgement, the target for the period, the RAG with what it rests on, and the
    assessment with its sentence. The longer view (year ending, since the baseline),
    the SPC detail and the data notes are in :func:`format_measures_detail`. Figures are
    printed as computed (:func:`pcplib.labels.format_figures`), so two figures side by
    side never print alike when they differ.

    Parameters
    ----------
    df : pandas.DataFrame
        Rows from :func:`summarise_measures`.
    caption : str
        The table's caption (escaped here).
    board : str, default "Board"
        The board's short name, for the restricted marking ("Restricted: <board>
        only"; ``dataset.identity.board_short_name``).

    Returns
    -------
    str
        An accessible table in a scrollable region: caption, column and row headers
        with ``scope``, the RAG as a word and a colour. Ids derive from the caption, so
        output is deterministic.
    """
    missing = _no_table(df, caption)
    if missing is not None:
        return missing
    head = [
        "Measure", "This quarter", "Same quarter last year", "Target for the period", "RAG",
        "Assessment",
    ]  # fmt: skip
    rows = []
    for r in list_records(df):
        unit = r["unit"]
        current, last_year = format_figures(
            [r["current"], r["last_year"]], unit, per=str(r.get("rate_per") or "")
        )
        rows.append(
            [
                _name_cell(r, board),
                with_note(esc(current + _margin_text(r)), r["current_label"]),
                with_note(
                    f"{esc(last_year)}<br>"
                    + arrow_cell(r["arrow"], r["change"], _direction_note(r)),
                    r["last_year_label"],
                ),
                _target_cell(r),
                with_note(format_rag_html(r["rag"]), RAG_BASIS_WORDS[r["rag_basis"]]),
                f"<strong>{esc(as_sentence(r['assessment']).rstrip('.'))}</strong>. "
                f"{esc(r['sentence'])}{format_status_disagreement(r)}",
            ]
        )
    return build_table(head, rows, caption)


def format_status_disagreement(row: Mapping[str, Any]) -> str:
    """Return the Board's question on an owners' status its measure's data differ from, or ``""``.

    Parameters
    ----------
    row : mapping
        A measure's verdict, or a commitment's check, with the sentence of
        :mod:`pcplib.assessment.commitment_status` in ``status_disagreement``.

    Returns
    -------
    str
        HTML: a small line headed "Question for the owners:", for the cell beside the
        commitment or the measure (review 7, F13: a question, not a verdict on them).
    """
    text = row.get("status_disagreement")
    if is_missing(text) or not str(text).strip():
        return ""
    return (
        '<br><span class="small status-differs"><strong>Question for the owners:</strong> '
        f"{esc(str(text))}</span>"
    )


def format_measures_detail(df: pd.DataFrame, caption: str, board: str = "Board") -> str:
    """Return the longer view of the measures: year ending, since the baseline, SPC, notes.

    The detail behind the Board's main table (:func:`format_measures_table`), in a
    second compact table so both fit the page: the year ending against the 12 months
    before, the latest 12 months against the baseline year, the SPC verdict and
    assurance with the period that set the limits, and the data-quality notes.

    Parameters
    ----------
    df : pandas.DataFrame
        Rows from :func:`summarise_measures`.
    caption : str
        The table's caption (escaped here).
    board : str, default "Board"
        The board's short name, for the restricted marking ("Restricted: <board>
        only"; ``dataset.identity.board_short_name``).

    Returns
    -------
    str
        An accessible table, or nothing when :func:`format_measures_table` shows a
        sentence instead of a table.
    """
    if _no_table(df, caption) is not None:
        return ""
    head = ["Measure", "Year ending", "Against the plan's baseline year", "SPC", "Data notes"]
    rows = []
    for r in list_records(df):
        unit = r["unit"]
        per = str(r.get("rate_per_year") or "")
        # One set of decimals for the row, so the year ending prints the same in both
        # cells (never "91.4%" beside "91.417%").
        year_ending, previous, baseline = format_figures(
            [r["year_ending"], r["previous_year"], r["baseline"]], unit, per=per
        )
        latest = year_ending
        spc_words = describe_variation(
            r["spc_status"], r["spc_variation"], str(r.get("rag_rule") or ""),
            r.get("spc_immaterial"), r,
        )  # fmt: skip
        if r.get("assurance_words"):
            spc_words = f"{spc_words}. {r['assurance_words']}"
        elif r["spc_status"] == "assessed":
            assurance = describe_assurance(
                r["spc_status"], r["spc_assurance"], not is_missing(r["target"]), r
            )
            spc_words = f"{spc_words}. {assurance}"
        if r.get("evidence_disagreement"):
            spc_words = f"{spc_words}. {r['evidence_disagreement']}"
        spc_cell = esc(spc_words)
        if r.get("chart_period_words"):
            spc_cell = with_note(spc_cell, f"limits from {r['chart_period_words']}")
        rows.append(
            [
                _name_cell(r, board),
                with_note(
                    esc(f"{year_ending} ({r['year_ending_change']})"), _year_note(r, previous)
                ),
                with_note(
                    arrow_cell(
                        r["since_baseline_arrow"],
                        r["since_baseline_change"],
                        # The evidence's grade, with "no good direction" for such a
                        # measure, never the label alone (review 4, F14).
                        r.get("since_baseline_words") or r["since_baseline_judgement"],
                    ),
                    _baseline_note(r, latest, baseline),
                ),
                spc_cell,
                esc(r["quality"] or "No notes"),
            ]
        )
    return build_table(head, rows, caption)


def format_no_data_notice(summary: StrategySummary) -> str:
    """Return the notice for a strategy with no figure in the period, or ``""``."""
    if summary.has_data:
        return ""
    return notice(
        f"<p><strong>No data for this period.</strong> None of this strategy's measures "
        f"has a figure for the reporting period ending {esc(summary.period_end)}, so its "
        "tables below say so rather than show empty rows.</p>"
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
    return (
        f"{format_no_data_notice(summary)}<p><strong>Overall RAG:</strong> "
        f"{format_rag_html(summary.overall_rag)}</p>"
        f"<p>{esc(summary.overall_explanation)}</p>"
        + (f"<p><strong>{esc(summary.rating_note)}</strong></p>" if summary.rating_note else "")
    )


def _chart_title(row: Mapping[str, Any]) -> str:
    return row["measure_name"] + (" (seasonally adjusted)" if row.get("spc_seasonal") else "")


def plot_measure(summary: StrategySummary, measure_id: str) -> Figure:
    """Draw one measure's SPC chart as the report draws it, for a notebook.

    Parameters
    ----------
    summary : StrategySummary
        From :func:`summarise_strategy`.
    measure_id : str
        One of the summary's measures (the ``Measure ID`` column of ``summary.table``).

    Returns
    -------
    matplotlib.figure.Figure
        The chart, with the report's title, limits and target; shown as a picture
        when it is a cell's last value.

    Raises
    ------
    ValueError
        If the measure is not in the summary (naming those that are), or has too
        little data for a chart in this period.
    """
    rows = list_records(summary.measures[summary.measures["measure_id"] == measure_id])
    if not rows:
        known = ", ".join(summary.measures["measure_id"])
        raise ValueError(
            f"unknown measure {measure_id!r} for {summary.strategy_id}; expected one of: {known}"
        )
    row = rows[0]
    if row["spc"] is None:
        raise ValueError(f"{row['measure_name']}: not enough data for an SPC chart in this period")
    return plot_spc(
        row["spc"],
        title=_chart_title(row),
        unit=row["unit"],
        frequency=row.get("frequency"),
        per=str(row.get("rate_per_point") or ""),
    )


def build_spc_charts(
    summary_df: pd.DataFrame,
    events: Mapping[str, Sequence[tuple[Any, str]]] | None = None,
) -> str:
    """Return one SPC chart per measure, each with alt text and a caption.

    Parameters
    ----------
    summary_df : pandas.DataFrame
        Rows from :func:`summarise_measures` (usually the headline measures).
    events : mapping of str to sequence of (date, str), optional
        Per measure id, events to mark on its chart with a short label (from
        :func:`pcplib.assessment.events.list_measure_events`); limit recalculations are
        always marked.

    Returns
    -------
    str
        ``<figure>`` elements; a measure without enough data gets a sentence instead.
        Each flagged point is listed under its chart with the rule that flagged it, and
        the alt text says the same.
    """
    if summary_df.empty:
        return "<p>No measures to chart.</p>"
    parts = []
    for r in list_records(summary_df):
        result = r["spc"]
        if result is None:
            parts.append(
                f"<p><strong>{esc(r['measure_name'])}</strong>: not enough data for an "
                "SPC chart in this period.</p>"
            )
            continue
        title = _chart_title(r)
        frequency = r.get("frequency")
        marks = list((events or {}).get(str(r["measure_id"]), ()))
        per = str(r.get("rate_per_point") or "")
        status = str(r.get("spc_status") or "")
        # A verdict withheld is not "too few points": the chart and its alt text say why.
        withheld = status not in ("assessed", "too few points", "not assessed")
        fig = plot_spc(
            result, title=title, unit=r["unit"], frequency=frequency, events=marks, per=per,
            no_limits="no SPC verdict" if withheld else "",
        )  # fmt: skip
        no_limits = describe_variation(status, None) if withheld else ""
        signed = select_sign_phrases(r)
        alt = describe_chart(
            result, title, r["unit"], frequency, events=marks, per=per, no_limits=no_limits,
            assurance_words=signed.sign_alt_text if signed is not None else "",
        )  # fmt: skip
        if withheld and r.get("spc_withheld"):
            # Why no verdict, never the limits that gave none.
            alt = f"{alt} {as_sentence(str(r['spc_withheld']))}"
        elif r.get("spc_summary") and (
            r.get("spc_variation") != result.variation
            # A concern the tests do not confirm: the alt text gives the caption's verdict,
            # not the chart's own "special cause of concern" alone (review 9, R9-23).
            or r.get("rag_rule") == "harm_spc_unconfirmed"
            # A signal too small to call a change: the caption's words, not "no signal"
            # alone beside a point the alt text names as flagged (review 10, R10-9).
            or (isinstance(r.get("spc_immaterial"), str) and bool(r["spc_immaterial"]))
        ):
            # The rating rests on the whole reporting period; the alt text says so too,
            # not only what the latest point shows.
            # (The summary already ends with the note on the limits' period.)
            alt = f"{alt} {r['spc_summary']}"
        elif r.get("spc_note"):
            # The alt text says which period set the limits, as the caption does.
            alt = f"{alt} {as_sentence(r['spc_note'])}"
        caption = f"{r['measure_name']}: {r['spc_summary']} Source: {r['source']}."
        if r["definition_changed"]:
            caption += " Only figures under the current definition are charted."
        flagged = list_flagged_points(result, r["unit"], frequency, per=per)
        if flagged:
            # Which rule fired, in text beside the chart, not only in its colours.
            shown = "; ".join(flagged[:8]) + (
                f"; and {len(flagged) - 8} more" if len(flagged) > 8 else ""
            )
            caption += f" Flagged points, with the rule that flagged each: {shown}."
        parts.append(figure_to_html(fig, alt, caption))
    return "".join(parts)
