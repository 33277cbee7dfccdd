"""Commitments and projected delivery as a reader sees them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pcplib.report.html import format_rag_html

if TYPE_CHECKING:
    from pcplib.data import Dataset
from pathlib import Path

import pandas as pd

from pcplib import periods
from pcplib.assessment.commitment_status import check_commitment_statuses
from pcplib.assessment.delivery import assess_delivery, classify_commitments
from pcplib.assessment.narrative_checks import (
    check_narrative_numbers,
    describe_withheld,
    withhold_contradicted,
)
from pcplib.assessment.scope import check_audience, check_strategy, strategy_commitments
from pcplib.labels import date_words, is_missing
from pcplib.report.html import build_table, esc
from pcplib.report.measures import format_status_disagreement
from pcplib.report.returns import NOT_SUPPLIED, withhold_restricted


def describe_commitments_origin(dataset: Dataset, strategy_id: str, quarter: str) -> str:
    """Where the commitments' activity to date and next steps came from, in one sentence.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set (its returns log, when it has one).
    strategy_id : str
        The strategy.
    quarter : str
        The reporting quarter, such as ``"2026/27 Q2"``.

    Returns
    -------
    str
        "Activity to date and next steps: from the owners' quarterly return for 2026/27 Q2
        (file)" when the returns log holds one for the strategy and quarter; otherwise
        from the data set's commitments file, saying no return was loaded, so the text is
        never labelled as the owners' return when it was not.
    """
    log = getattr(dataset, "returns_log", pd.DataFrame())
    if not log.empty and {"strategy_id", "quarter"} <= set(log.columns):
        found = log[(log["strategy_id"] == strategy_id) & (log["quarter"] == quarter)]
        if not found.empty:
            return (
                "Activity to date and next steps: from the owners' quarterly return for "
                f"{quarter} ({Path(str(found.iloc[-1]['file'])).name})."
            )
    return (
        "Activity to date and next steps: from the data set's commitments file "
        f"(commitments/commitments.csv); no quarterly return was loaded for {quarter}."
    )


def _format_each_commitment(
    dataset: Dataset,
    strategy_id: str,
    period_end: str,
    audience: str,
    commitments: pd.DataFrame,
    states: pd.Series,
    verdicts: pd.DataFrame | None,
    name: str,
    checks: pd.DataFrame | None = None,
) -> str:
    """The table of each commitment, with the owners' text, flagged claims and statuses.

    The owners' free text is withheld from the public where it names a restricted
    measure; for the Board, a claim the data set contradicts is corrected beside it and
    a status its measure's data differ from is put to the owners as a question.
    """

    def owners_text(c: dict[str, object], column: str) -> str:
        text = str(c.get(column) or "").strip()
        return esc(withhold_restricted(dataset, text, audience) if text else NOT_SUPPLIED)

    quarter = periods.label_quarter(periods.parse_month(period_end).to_timestamp())
    origin = describe_commitments_origin(dataset, strategy_id, quarter)
    # An owner's claim the data set contradicts: told to the Board as a correction beside
    # it (review 7, F18); withheld from the public, saying so (review 7, F1).
    if checks is None:
        checks = check_narrative_numbers(dataset, strategy_id, quarter)
    claims = checks[checks["source"] == "commitments"]

    def activity_cell(c: dict[str, object]) -> str:
        found = claims[claims["commitment"] == c["commitment"]]
        if audience == "board" or found.empty:
            cell = owners_text(c, "activity_to_date")
            if audience == "board":
                for correction in found["correction"]:
                    cell += (
                        '<br><span class="small"><strong>Correction:</strong> '
                        f"{esc(str(correction))}</span>"
                    )
            return cell
        text, dropped = withhold_contradicted(
            str(c.get("activity_to_date") or ""), found["sentence"]
        )
        cell = esc(withhold_restricted(dataset, text, audience)) if text.strip() else ""
        note = f'<span class="small">{esc(describe_withheld(dropped))}</span>'
        return f"{cell}<br>{note}" if cell else note

    # The Board's question on a status its measure's data differ from; never the
    # public's (review 7, F13).
    checks = (
        check_commitment_statuses(commitments, verdicts, period_end)
        if verdicts is not None and audience == "board"
        else pd.DataFrame(columns=["commitment_id", "sentence"])
    )
    differ = dict(zip(checks["commitment_id"], checks["sentence"], strict=True))
    rows = [
        [
            # The commitment and its owner are free text too: withheld from the public
            # as the owners' activity is, when they name a restricted measure.
            esc(withhold_restricted(dataset, str(c["commitment"]), audience)),
            esc(str(c["status"]).capitalize() + (" (overdue)" if state == "overdue" else ""))
            + format_status_disagreement(
                {"status_disagreement": differ.get(str(c["commitment_id"]), "")}
            ),
            esc(date_words(c["due_date"]) if not is_missing(c["due_date"]) else ""),
            esc(withhold_restricted(dataset, str(c["owner"]), audience)),
            activity_cell(c),
            owners_text(c, "next_steps"),
        ]
        for c, state in zip(commitments.to_dict("records"), states, strict=True)
    ]
    return (
        build_table(
            ["Commitment", "Status", "Due", "Owner", "Activity to date", "Next steps"],
            rows,
            f"{name}: each commitment",
        )
        + f'<p class="small">{esc(origin)}</p>'
    )


def format_commitments(
    dataset: Dataset,
    strategy_id: str,
    period_end: str,
    *,
    list_each: bool = True,
    audience: str = "board",
    verdicts: pd.DataFrame | None = None,
    checks: pd.DataFrame | None = None,
) -> str:
    """Return commitments: projected delivery, counts by state and (optionally) each one.

    Projected delivery is :func:`pcplib.assessment.delivery.assess_delivery`, the figure
    the report's summary and the plan overview show.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str
        The strategy.
    period_end : str
        The reporting period's last month, ``YYYY-MM``: what is overdue or not yet due
        is judged at its end.
    list_each : bool, default True
        Also list every commitment with its status, due date, owner, and the owners'
        activity to date and next steps (as in a previous plan's dashboards), "Not
        supplied" where the owners gave none.
    audience : {"board", "public"}, default "board"
        For ``"public"``, a commitment, owner, activity or next step naming a
        restricted measure is withheld.
    verdicts : pandas.DataFrame, optional
        The report's measure verdicts (:func:`~pcplib.assessment.summarise_measures`):
        for the Board, a commitment whose status its measure's data differ from
        (:func:`~pcplib.assessment.commitment_status.check_commitment_statuses`) has
        the question to its owners under its status.
    checks : pandas.DataFrame, optional
        The owners' claims the data set contradicts for the reporting quarter
        (:func:`~pcplib.assessment.narrative_checks.check_narrative_numbers`, with the
        commitments' activity), when the report has already checked them; checked here
        when not given.

    Returns
    -------
    str
        HTML.
    """
    check_audience(audience)
    check_strategy(dataset, strategy_id)
    commitments = strategy_commitments(dataset, strategy_id)
    if commitments.empty:
        return "<p>No commitments are recorded for this strategy.</p>"
    delivery = assess_delivery(commitments, period_end)
    states = classify_commitments(commitments, period_end)
    name = dataset.strategy(strategy_id)["strategy_name"]
    share = "" if delivery.percent is None else f" ({delivery.percent:.0f}% complete or on track)"
    parts = [
        f"<p><strong>Projected delivery confidence:</strong> "
        f"{format_rag_html(delivery.rating)}{esc(share)}</p><p>{esc(delivery.explanation)}</p>",
        build_table(
            ["State at the end of the period", "Commitments"],
            [[esc(s.capitalize()), str(c)] for s, c in delivery.counts.items()],
            f"{name}: commitments by state (overdue: past the due date and not complete)",
            numeric=[False, True],
        ),
    ]
    if list_each:
        parts.append(
            _format_each_commitment(
                dataset,
                strategy_id,
                period_end,
                audience,
                commitments,
                states,
                verdicts,
                name,
                checks,
            )
        )
    return "".join(parts)
