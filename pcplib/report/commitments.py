"""Commitments and projected delivery as a reader sees them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pcplib.report.html import format_rag_html

if TYPE_CHECKING:
    from pcplib.data import Dataset
from pcplib.assessment.delivery import assess_delivery, classify_commitments
from pcplib.assessment.scope import check_audience, check_strategy, strategy_commitments
from pcplib.labels import date_words, is_missing
from pcplib.report.html import build_table, esc
from pcplib.report.returns import NOT_SUPPLIED, withhold_restricted


def format_commitments(
    dataset: Dataset,
    strategy_id: str,
    period_end: str,
    *,
    list_each: bool = True,
    audience: str = "board",
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

        def owners_text(c: dict[str, object], column: str) -> str:
            text = str(c.get(column) or "").strip()
            return esc(withhold_restricted(dataset, text, audience) if text else NOT_SUPPLIED)

        rows = [
            [
                # The commitment and its owner are free text too: withheld from the public
                # as the owners' activity is, when they name a restricted measure.
                esc(withhold_restricted(dataset, str(c["commitment"]), audience)),
                esc(str(c["status"]).capitalize() + (" (overdue)" if state == "overdue" else "")),
                esc(date_words(c["due_date"]) if not is_missing(c["due_date"]) else ""),
                esc(withhold_restricted(dataset, str(c["owner"]), audience)),
                owners_text(c, "activity_to_date"),
                owners_text(c, "next_steps"),
            ]
            for c, state in zip(commitments.to_dict("records"), states, strict=True)
        ]
        parts.append(
            build_table(
                ["Commitment", "Status", "Due", "Owner", "Activity to date", "Next steps"],
                rows,
                f"{name}: each commitment",
            )
        )
    return "".join(parts)
