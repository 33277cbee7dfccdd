"""Commitments and projected delivery as a reader sees them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pcplib import rag
from pcplib.report.html import format_rag_html

if TYPE_CHECKING:
    from pcplib.data import Dataset
from pcplib.assessment.scope import check_audience, check_strategy, strategy_commitments
from pcplib.assessment.strategy import summarise_commitments
from pcplib.labels import date_words, is_missing
from pcplib.report.html import build_table, esc
from pcplib.report.returns import NOT_SUPPLIED, withhold_restricted


def format_commitments(
    dataset: Dataset, strategy_id: str, *, list_each: bool = True, audience: str = "cgb"
) -> str:
    """Return commitments: delivery confidence, counts by status and (optionally) each one.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str
        The strategy.
    list_each : bool, default True
        Also list every commitment with its status, due date, owner, and the owners'
        activity to date and next steps (as in the 2021-24 plan's dashboards), "Not
        supplied" where the owners gave none.
    audience : {"cgb", "public"}, default "cgb"
        For ``"public"``, activity text naming a restricted measure is withheld.

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
    confidence = rag.delivery_confidence(list(commitments["status"]))
    name = dataset.strategy(strategy_id)["strategy_name"]
    counts = summarise_commitments(dataset, strategy_id)
    parts = [
        f"<p><strong>Projected delivery confidence:</strong> "
        f"{format_rag_html(confidence.rating)} ({confidence.percent:.0f}% complete or "
        f"on track)</p><p>{esc(confidence.explanation)}</p>",
        build_table(
            ["Status", "Commitments"],
            [[esc(s.capitalize()), str(c)] for s, c in counts.itertuples(index=False)],
            f"{name}: commitments by status",
            numeric=[False, True],
        ),
    ]
    if list_each:

        def owners_text(c: dict[str, object], column: str) -> str:
            text = str(c.get(column) or "").strip()
            return esc(withhold_restricted(dataset, text, audience) if text else NOT_SUPPLIED)

        rows = [
            [
                esc(c["commitment"]),
                esc(str(c["status"]).capitalize()),
                esc(date_words(c["due_date"]) if not is_missing(c["due_date"]) else ""),
                esc(c["owner"]),
                owners_text(c, "activity_to_date"),
                owners_text(c, "next_steps"),
            ]
            for c in commitments.to_dict("records")
        ]
        parts.append(
            build_table(
                ["Commitment", "Status", "Due", "Owner", "Activity to date", "Next steps"],
                rows,
                f"{name}: each commitment",
            )
        )
    return "".join(parts)
