"""The Delivery Board's quarterly view, as HTML: header, the table by owner, each mission.

Formatting only: who answers for what, what is late and what changed are worked out by
:mod:`pcplib.assessment.board`; the board's name comes from the data set
(:mod:`pcplib.data.delivery_board`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pcplib.assessment.scope import parse_month_param
from pcplib.labels import date_words, month_words, plural
from pcplib.report.headers import build_period_header
from pcplib.report.html import build_table, esc, format_rag_html

if TYPE_CHECKING:
    from pcplib.assessment.board import BoardView
    from pcplib.data import Dataset
    from pcplib.data.delivery_board import DeliveryBoard

__all__ = ["build_board_header", "format_board_missions", "format_board_owners"]

_LATE_WORDS = {
    "commitment": (
        "commitment at risk, off track or overdue",
        "commitments at risk, off track or overdue",
    ),
    "action": ("action overdue", "actions overdue"),
    "return": ("return not received on time", "returns not received on time"),
}


def build_board_header(
    dataset: Dataset,
    board: DeliveryBoard,
    view: BoardView,
    slot: str = "",
    produced_at: str = "",
    meeting: str = "",
) -> str:
    """Return the top of the Delivery Board's quarterly view.

    Parameters
    ----------
    dataset : Dataset
        The data set.
    board : DeliveryBoard
        The board, named by the data set.
    view : BoardView
        From :func:`~pcplib.assessment.board.summarise_board_quarter`.
    slot : str, optional
        The meeting month the view was prepared for (``YYYY-MM``).
    produced_at : str, optional
        When the view is produced.
    meeting : str, optional
        The meeting it is for, in words, as the runner names it; the board and quarter
        when empty.

    Returns
    -------
    str
        HTML: the heading naming the board and quarter, the illustrative banner, the
        meeting, the data period, produced time and the marking.
    """
    end = parse_month_param(view.period_end, "period_end")
    chair = f", chaired by the {board.chair}" if board.chair else ""
    prepared = (
        f", prepared with the reports for {month_words(parse_month_param(slot, 'slot'))}"
        if slot
        else ""
    )
    facts = [
        ("Meeting", (meeting.strip() or f"{board.name}{chair}, {view.quarter}") + prepared),
        (
            "Late means",
            f"commitments at risk, off track or overdue; the Board's actions due before "
            f"{date_words(view.as_of)} and not done; owners' returns not received by the date "
            "the forward plan sets",
        ),
    ]
    return build_period_header(
        dataset,
        f"{board.name}: quarterly view, {view.quarter}",
        # No lead sentence: the table by owner starts on the first screen.
        "",
        facts,
        dataset.measures["measure_id"],
        end,
        produced_at,
        "cgb",
    )


def _late_cell(row: Any, returns_recorded: bool) -> str:
    """An owner's late items in a few words: ``"6 commitments; 3 actions overdue"``."""
    commitments, actions = int(row["commitments_late"]), int(row["actions_overdue"])
    parts = [
        plural(commitments, "commitment") if commitments else "",
        f"{plural(actions, 'action')} overdue" if actions else "",
        f"{plural(int(row['returns_missing']), 'return')} late"
        if returns_recorded and int(row["returns_missing"])
        else "",
    ]
    return "; ".join(p for p in parts if p) or "Nothing late"


def _changes_for(view: BoardView, ids: list[str]) -> str:
    """The overall ratings that changed in an owner's strategies, in words."""
    items = view.items
    rated = items[
        (items["kind"] == "rating")
        & (items["detail"] == "overall rating")
        & items["strategy_id"].isin(ids)
    ]
    measures = items[
        (items["kind"] == "rating")
        & (items["detail"] == "measure")
        & items["strategy_id"].isin(ids)
    ]
    parts = [f"{r['strategy_name']}: {r['state']}" for r in rated.to_dict("records")]
    if not measures.empty:
        parts.append(plural(len(measures), "measure rating") + " changed")
    return "; ".join(parts) or "No rating changed"


def format_board_owners(view: BoardView, dataset: Dataset) -> str:
    """Return the table by owner: what each senior contact answers for, what is late.

    Parameters
    ----------
    view : BoardView
        From :func:`~pcplib.assessment.board.summarise_board_quarter`.
    dataset : Dataset
        The data set (the strategies each owner answers for).

    Returns
    -------
    str
        HTML: a sentence with the totals, then one row per owner (most late first):
        owner and side, the strategies they answer for, what is late, what changed.
    """
    strategies = dataset.strategies
    body = []
    for _, row in view.owners.iterrows():
        column = "force_senior_owner" if row["side"] == "Force" else "opcc_senior_owner"
        ids = strategies.loc[strategies[column].fillna("Not named") == row["owner"], "strategy_id"]
        body.append(
            [
                f"<strong>{esc(row['owner'])}</strong> "
                f'<span class="small">({esc(row["side"])} senior contact)</span>',
                esc(row["strategies"]),
                esc(_late_cell(row, view.returns_recorded)),
                esc(_changes_for(view, ids.astype(str).tolist())),
            ]
        )
    late = view.items[view.items["late"].astype(bool)]
    counts = late["kind"].value_counts()
    total = ", ".join(
        f"{int(counts[k])} {_LATE_WORDS[k][0] if int(counts[k]) == 1 else _LATE_WORDS[k][1]}"
        for k in _LATE_WORDS
        if k in counts
    )
    returns_note = (
        ""
        if view.returns_recorded
        else " The data set records no owners' returns, so late returns are not shown."
    )
    lead = (
        f"<p>Late across the plan: {esc(total or 'nothing')}.{esc(returns_note)} One row per "
        "senior contact, most late first; a late item counts against both senior contacts "
        "of its strategy.</p>"
    )
    return lead + build_table(
        ["Owner", "Accountable for", "Late", f"Changed since {view.previous_quarter_words}"],
        body,
        f"By owner: what is late and what changed, {view.quarter}",
    )


def format_board_missions(view: BoardView) -> str:
    """Return each mission's strategies: rating now and a quarter before, and what is late.

    Parameters
    ----------
    view : BoardView
        From :func:`~pcplib.assessment.board.summarise_board_quarter`.

    Returns
    -------
    str
        HTML: per mission a heading and a table, one row per strategy, each late item
        named with its state and due date.
    """
    parts = []
    items = view.items
    for mission_id, group in view.strategies.groupby("mission_id", sort=False):
        name = str(group["mission_name"].iloc[0])
        body = []
        for s in group.to_dict("records"):
            late = items[(items["strategy_id"] == s["strategy_id"]) & items["late"].astype(bool)]
            entries = "".join(
                f"<li>{esc(str(r['kind']).capitalize())}: {esc(r['item'])} "
                f"<strong>({esc(r['state'])}{', due ' + esc(r['due']) if r['due'] else ''})"
                "</strong></li>"
                for r in late.to_dict("records")
            )
            basis = " (recomputed)" if s["basis"] == "recomputed" else ""
            body.append(
                [
                    esc(s["strategy_name"]),
                    format_rag_html(str(s["rag"])),
                    format_rag_html(str(s["previous_rag"])) + esc(basis),
                    f'<ul class="summary-items">{entries}</ul>' if entries else "Nothing late",
                ]
            )
        parts.append(
            f'<h3 id="mission-{esc(mission_id)}">{esc(name)}</h3>'
            + build_table(
                [
                    "Strategy",
                    "Rating now",
                    view.previous_quarter_words[:1].upper() + view.previous_quarter_words[1:],
                    "What is late",
                ],
                body,
                f"{name}: each strategy, {view.quarter}",
            )
        )
    return "".join(parts)
