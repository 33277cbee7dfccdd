"""The Delivery Board's quarterly view, as HTML: header, the table by owner, each mission.

Formatting only: who answers for what, what is overdue or at risk and what changed are
worked out by :mod:`pcplib.assessment.board`; the board's name and chair come from the
data set's identity (:mod:`pcplib.data.identity`). Overdue and at risk are never run
together: a commitment reported at risk but due in two years is not late, so the two
have columns of their own, and every change names what it is compared with. A
strategy's rating, which is of its headline measures only, is shown with the strategy's
own "But:" note beside it (worked out by the assessment, never recounted here), so it
never sits alone beside its own overdue items or a high risk. Each owner's row says
what progressed as well as what changed (a commitment completed, an action done, a
measure out of "needs attention"), and each change its evidence; an update to a
quarter's view already published is titled as one and names the view it compares with.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import periods
from pcplib.assessment.board_changes import NOT_PROGRESS
from pcplib.assessment.risks import ALREADY_HIGH, describe_novelty
from pcplib.assessment.scope import parse_month_param
from pcplib.assessment.thresholds import HIGH_RISK_SCORE
from pcplib.labels import date_words, is_missing, month_words, plural
from pcplib.report.headers import build_period_header, format_no_new_data
from pcplib.report.html import build_table, esc, format_rag_html
from pcplib.report.measures import format_status_disagreement

if TYPE_CHECKING:
    from pcplib.assessment.board import BoardView
    from pcplib.data import Dataset
    from pcplib.data.forward_plan import ForwardPlan

__all__ = ["build_board_header", "format_board_missions", "format_board_owners"]

_LISTED = ("overdue", "at risk", "new high risk", "standing high risk", "high risk")
"""The flags listed under each strategy, in this order; changes are in the owners' table."""

_OVERDUE_WORDS = {
    "commitment": ("commitment", "commitments"),
    "action": ("action", "actions"),
    "return": ("return not received by its due date", "returns not received by their due date"),
}


def _month(period_end: str) -> str:
    return month_words(periods.parse_month(period_end))


def build_board_header(
    dataset: Dataset,
    view: BoardView,
    slot: str = "",
    produced_at: str = "",
    meeting: str = "",
    plan: ForwardPlan | None = None,
) -> str:
    """Return the top of the Delivery Board's quarterly view.

    Parameters
    ----------
    dataset : Dataset
        The data set; its identity names the board and its chair.
    view : BoardView
        From :func:`~pcplib.assessment.board.summarise_board_quarter`.
    slot : str, optional
        The meeting month the view was prepared for (``YYYY-MM``).
    produced_at : str, optional
        When the view is produced.
    meeting : str, optional
        The meeting it is for, in words, as the runner names it; the board and quarter
        when empty.
    plan : ForwardPlan, optional
        The forward plan the run used (the data set's own when omitted): a slot with no
        new data since an earlier meeting says so, as the strategy reports do.

    Returns
    -------
    str
        HTML: the heading naming the board and quarter (an update: "2026/27 Q2 view,
        updated", every change below being since the view it updates, named beside
        them), the illustrative banner, the meeting, the data period, produced time and
        the marking. What overdue, at risk and changed mean follows the table by owner
        (:func:`format_board_owners`), so that the table starts on the first screen.
    """
    identity = dataset.identity
    end = parse_month_param(view.period_end, "period_end")
    chair = (
        f", chaired by the {identity.delivery_board_chair}" if identity.delivery_board_chair else ""
    )
    prepared = (
        f", prepared with the reports for {month_words(parse_month_param(slot, 'slot'))}"
        if slot
        else ""
    )
    facts = [
        (
            "Meeting",
            (meeting.strip() or f"{identity.delivery_board_name}{chair}, {view.quarter}")
            + prepared,
        ),
    ]
    return build_period_header(
        dataset,
        f"{identity.delivery_board_name}: {view.title}",
        # No lead sentence: the table by owner starts on the first screen.
        "",
        facts,
        dataset.measures["measure_id"],
        end,
        produced_at,
        "board",
        warning=format_no_new_data(dataset, slot, plan) if slot else "",
        board_name=identity.delivery_board_name,
    )


def _overdue_cell(row: Any, returns_recorded: bool) -> str:
    """An owner's overdue items in a few words: ``"2 commitments; 1 action; 1 return"``."""
    parts = [
        plural(int(row["commitments_overdue"]), "commitment")
        if int(row["commitments_overdue"])
        else "",
        plural(int(row["actions_overdue"]), "action") if int(row["actions_overdue"]) else "",
        plural(int(row["returns_missing"]), "return")
        if returns_recorded and int(row["returns_missing"])
        else "",
    ]
    return "; ".join(p for p in parts if p) or "Nothing overdue"


_PROGRESS_WORDS = {
    "commitment": ("commitment completed", "commitments completed"),
    "action": ("action done", "actions done"),
    "measure": ("measure out of needs attention", "measures out of needs attention"),
    "target": ("target newly met", "targets newly met"),
}
"""An owner's progress in a few words, by kind of item; ``target``: a measure newly on
its target that still needs attention (met, but worse by more than chance)."""


def _progress_line(mine: pd.DataFrame, known: bool) -> str:
    """``"Progress: 1 commitment completed; 2 actions done."``, as HTML, a line of its own.

    ``known``: whether the commitments' and actions' earlier status is on record; without
    it only the measures' progress can be counted, and "none" says "none in the measures"
    (the lead says once why: :func:`_progress_note`).
    """
    counts = mine["progress_kind"].astype(str).value_counts()
    parts = [
        f"{int(counts[k])} {_PROGRESS_WORDS[k][0] if counts[k] == 1 else _PROGRESS_WORDS[k][1]}"
        for k in _PROGRESS_WORDS
        if k in counts
    ]
    said = "; ".join(parts) or ("none" if known else "none in the measures")
    return f'<span class="board-progress"><strong>Progress:</strong> {esc(said)}.</span><br>'


def _progress_entry(item: Mapping[str, Any]) -> str:
    """One progressed item, named, as a list entry, with its evidence or earlier status."""
    kind = str(item["kind"]).capitalize()
    tail = f", {item['reason']}" if item.get("reason") else ""
    tail += f" ({item['detail']})" if item.get("detail") else ""
    return (
        f"<li>{esc(kind)}: {esc(str(item['item']).rstrip('. '))} ({esc(item['strategy_name'])})"
        f": <strong>{esc(item['state'])}</strong>{esc(tail)}</li>"
    )


def _changes_for(view: BoardView, ids: list[str]) -> str:
    """What progressed and which ratings changed in an owner's strategies, as HTML.

    A line of progress in counts (what was done or got better, not only what is worse);
    the strategies' rating changes in words; the progressed items and the measures'
    changes named under one folded line, each with the change in its evidence (a move to
    Grey reads "no longer rated: ..."), so the row keeps its height.
    """
    items = view.items
    mine = items[(items["flag"] == "changed") & items["strategy_id"].isin(ids)]
    progress = items[(items["flag"] == "progress") & items["strategy_id"].isin(ids)]
    # Listed, never counted: a target newly met that its record does not bear out.
    unreliable = items[(items["flag"] == NOT_PROGRESS) & items["strategy_id"].isin(ids)]
    line = _progress_line(progress, _items_known(view, ids))
    rated = mine[mine["rating_of"] == "overall"]
    measures = mine[mine["rating_of"] == "measure"]
    # A strategy's rating that moved only on measures' figures within chance says so.
    parts = [
        esc(f"{r['strategy_name']}: {r['state']}")
        + (", within chance" if r["within_chance"] else "")
        for r in rated.to_dict("records")
    ]
    text = "; ".join(parts)
    if measures.empty and progress.empty and unreliable.empty:
        return line + (text or "No rating changed")
    bases = {sid: _measures_basis(view, sid) for sid in measures["strategy_id"]}
    # One basis is said once; mixed, each change says its own.
    one = len(set(bases.values())) <= 1
    # A measure out of needs attention whose rating changed is said once, with its change.
    again = progress["kind"].eq("measure") & progress["item_id"].isin(measures["item_id"])
    named = "".join(_progress_entry(r) for r in progress[~again].to_dict("records"))
    named += "".join(_progress_entry(r) for r in unreliable.to_dict("records"))
    named += "".join(
        f"<li>{esc(r['item'])} ({esc(r['strategy_name'])}): {esc(r['state'])}"
        # "Red to Grey, no longer rated: ...": the reason carries its own brackets.
        + (f", {esc(r['reason'])}" if r.get("reason") else "")
        + ("" if one else f"; {esc(_compared_words(view))} {esc(bases[r['strategy_id']])}")
        + "</li>"
        for r in measures.to_dict("records")
    )
    lead = (
        f'<p class="small">Their ratings {esc(_compared_words(view))}: '
        f"{esc(next(iter(bases.values())))}.</p>"
        if one and bases and not view.is_update
        else ""
    )
    # A rating that moved within chance of its target is a change, said as one, never
    # progress or slippage (review 9, R9-4).
    chance = int(measures["within_chance"].sum())
    said = [
        plural(len(measures), "measure rating")
        + " changed"
        + (f" ({chance} within chance)" if chance else "")
        if len(measures)
        else ""
    ]
    said.append(plural(len(progress), "item") + " progressed" if len(progress) else "")
    said.append(
        plural(len(unreliable), "target") + " newly met, but not reliably (not progress)"
        if len(unreliable)
        else ""
    )
    folded = (
        f'<details class="board-changes"><summary>{esc("; ".join(p for p in said if p))}'
        f'</summary>{lead}<ul class="summary-items">{named}</ul></details>'
    )
    return line + (f"{text}; {folded}" if text else folded)


def _then_words(view: BoardView) -> str:
    """``"in 2026/27 Q1"``, or in an update ``"on 20 November 2026"`` (the first view's)."""
    return f"on {view.update_date}" if view.is_update else f"in {view.previous_quarter}"


def _compared_words(view: BoardView) -> str:
    """``"a quarter before"``, or in an update ``"in the 2026/27 Q2 view of 20 ..."``."""
    return f"in {view.compared_with}" if view.is_update else "a quarter before"


def _measures_basis(view: BoardView, strategy_id: str) -> str:
    """Whether a strategy's measures' earlier ratings are as told or recomputed."""
    rows = view.strategies[view.strategies["strategy_id"] == strategy_id].to_dict("records")
    row = rows[0] if rows else {}
    if row.get("measures_basis") == "as reported" and row.get("reported_at"):
        return f"as the Board was told them, {_month(str(row['reported_at']))}"
    return f"{RECOMPUTED_WORDS} (no record of them is on file)"


def _totals(view: BoardView) -> str:
    """The lead sentence, short so the first owner is on the first screen: the totals.

    Without a returns log, it says none can be shown late (the definitions are folded).
    """
    totals = view.totals
    counts = totals.overdue
    overdue = ", ".join(
        f"{counts[k]} {_OVERDUE_WORDS[k][0] if counts[k] == 1 else _OVERDUE_WORDS[k][1]}"
        for k in _OVERDUE_WORDS
        if k in counts
    )
    at_risk = totals.at_risk
    returns_note = (
        "" if view.returns_recorded else " (no owners' return is on record, so none is shown late)"
    )
    return (
        f"Overdue across the plan: {overdue or 'nothing'}{returns_note}. At risk, not yet due: "
        f"{plural(at_risk, 'commitment') if at_risk else 'none'}. {_risk_totals(view)}"
        f"{_progress_note(view)}"
    )


def _risk_totals(view: BoardView) -> str:
    """The high risks across the plan, every one, never calling new one not known new.

    A risk is new only against the quarter before's return; where that return is not
    on file, the count says so rather than call every high risk new; one high in that
    return too is counted as such, never left out (review 14, R14-1).
    """
    totals = view.totals
    new, unknown, standing = totals.new_risks, totals.unknown_risks, totals.standing_risks
    if not unknown and not standing:
        return f"New high risks: {new if new else 'none'}."
    missing = (
        f"no risk return for {totals.unknown_quarter} is on file for "
        f"{'its strategy' if unknown == 1 else 'their strategies'}"
    )
    if not standing:
        if not new:
            return f"High risks: {unknown}, none known to be new: {missing}."
        return f"High risks: {new + unknown}, {new} new; {unknown} not known to be new: {missing}."
    also = describe_novelty(ALREADY_HIGH, view.period_end)
    unknown_part = f"; {unknown} not known to be new: {missing}" if unknown else ""
    return (
        f"High risks: {new + standing + unknown}, {new if new else 'none'} new; "
        f"{standing} {also}{unknown_part}."
    )


def _items_known(view: BoardView, ids: list[str] | None = None) -> bool:
    """Whether the commitments' and actions' earlier status is on record for strategies.

    All the view's strategies when ``ids`` is None.
    """
    rows = view.strategies
    if ids is not None:
        rows = rows[rows["strategy_id"].isin(ids)]
    return bool((rows.get("items_basis", pd.Series(dtype=object)) == "as reported").all())


def _progress_note(view: BoardView) -> str:
    """Said once, when the commitments and actions done since cannot be counted for all."""
    if _items_known(view):
        return ""
    known = view.strategies.get("items_basis", pd.Series(dtype=object)) == "as reported"
    which = "" if not known.any() else " for some strategies"
    return (
        f" Progress is of measures only{which}: no record of the commitments' and actions' "
        f"status then is on file."
    )


def _definitions(view: BoardView) -> str:
    """How to read the table: what overdue, at risk, new high risk, changed, progress mean."""
    compared = (
        f"{view.since_words}, on the same quarter's data as it, so a change is a rating or "
        "a status that moved as returns arrived"
        if view.is_update
        else view.since_words
    )
    known = _items_known(view)
    return (
        "An item counts against both senior contacts of its strategy. "
        "Overdue: due date passed, not done (commitments due by "
        f"{_month(view.period_end)}; actions due before {date_words(view.as_of)}; owners' "
        "returns not in by the forward plan's date). At risk: reported at risk or off track, "
        f"not yet due. New high risk: scored {HIGH_RISK_SCORE} or more (likelihood × impact) "
        "this quarter, and below it or not listed in the strategy's risk return of the "
        "quarter before; a high risk whose strategy has no such return on file has no "
        "earlier score and is not called new. "
        # Said only when a risk is high in both quarters, so a view without one reads as
        # before; every high risk is listed and counted either way.
        + (
            "A high risk that return scored high too is listed as also high then. "
            if view.totals.standing_risks
            else ""
        )
        + f"Changed: {compared}; a strategy report's "
        '"Since the last meeting" compares with the Board\'s last meeting on that strategy '
        "instead. Progress: commitments completed and Board actions done since, measures "
        "out of needs attention and targets newly met; each change and each measure's "
        "progress gives the change in the figures behind it. A rating that moved on a figure "
        "that moved by less than chance allows moved within chance (between "
        '"too close to say" and "met, but close", only then, or when the change cannot be '
        "tested): it is listed, and counted neither as progress "
        "nor as slippage. A strategy's rating within chance rests on such a move of a "
        "headline measure; one that went Grey lost its rating on it, so that is no "
        "progress either. A target newly met, but not reliably (its record shows it "
        "usually missed) is listed, and not counted as progress. "
        # The like-for-like conditions of rating_moves.describe_rating_move_not_borne_out,
        # printed so that a row's "so not progress" reads against a stated rule.
        'A move between "too close to say" and "met, but close" on a figure that moved '
        "by more than chance allows is listed, and counted neither as progress nor as "
        "slippage, when the same quarter last year or the 12 months is tested and neither "
        "shows a real change its way; so is a measure with no target that leaves needs "
        "attention while neither shows a real improvement. "
        # Without a record of the status then, the lead says once what is not counted.
        + (
            "Commitments and actions are counted against the meeting history's record of "
            "their status then."
            if known
            else "Commitments completed and actions done are counted only against a "
            "record of their status then."
        )
    )


def format_board_owners(view: BoardView) -> str:
    """Return the table by owner: what each senior contact answers for, what is overdue.

    Parameters
    ----------
    view : BoardView
        From :func:`~pcplib.assessment.board.summarise_board_quarter`: the totals
        (:attr:`~pcplib.assessment.board.BoardView.totals`) and each owner's counts and
        strategies are the view's own, only formatted here.

    Returns
    -------
    str
        HTML: a sentence with the totals, then one row per owner (most overdue first):
        owner and side, the strategies they answer for, what is overdue, what is at
        risk but not yet due or a high risk (new, also high the quarter before, or with no
        earlier score on file), and
        what progressed and changed (naming
        the comparison; a line of progress in counts, the progressed items and the
        measures' changes named with their evidence under a folded line); then, folded,
        what overdue, at risk, new high risk, changed and progress mean, and the single
        points of contact.
    """
    body = []
    also = describe_novelty(ALREADY_HIGH, view.period_end)
    for _, row in view.owners.iterrows():
        at_risk, risks = int(row["at_risk"]), int(row["new_risks"])
        unknown = int(row.get("unknown_risks", 0))
        standing = int(row.get("standing_risks", 0))
        ahead = [plural(at_risk, "commitment") if at_risk else ""]
        ahead.append(plural(risks, "new high risk") if risks else "")
        ahead.append(f"{plural(standing, 'high risk')}, {also}" if standing else "")
        ahead.append(f"{plural(unknown, 'high risk')}, no earlier score" if unknown else "")
        body.append(
            [
                f"<strong>{esc(row['owner'])}</strong> "
                f'<span class="small">({esc(row["side"])} senior contact)</span>',
                esc(row["strategies"]),
                esc(_overdue_cell(row, view.returns_recorded)),
                esc("; ".join(a for a in ahead if a) or "None"),
                _changes_for(view, list(row["strategy_ids"])),
            ]
        )
    # The class lets the page's tables take a 1280-pixel screen's width (readers.css).
    lead = f'<p class="board-totals">{esc(_totals(view))}</p>'
    table = build_table(
        [
            "Owner",
            "Accountable for",
            "Overdue (past due, not done)",
            "At risk, not yet due; high risks",
            f"Progress and changes {view.since_words}",
        ],
        body,
        f"By owner: what is overdue, at risk, changed and progressed, {view.quarter}",
    )
    # Folded, as the single points of contact are: the view keeps a screen per mission.
    terms = (
        '<details class="board-terms"><summary>What overdue, at risk, new high risk, '
        "changed and progress mean</summary>"
        f'<p class="small">{esc(_definitions(view))}</p></details>'
    )
    return lead + table + _format_provisional(view) + terms + _format_contacts(view)


def _format_provisional(view: BoardView) -> str:
    """The provisional figures behind the changes cited, folded under one line.

    The strategy reports' data-quality notes for the measures the table cites (review
    9, R9-21): a rating moved on months that may be revised travels with that caveat,
    and the fold keeps the view within its screens.
    """
    notes = view.provisional
    if not notes:
        return ""
    return (
        '<details class="board-provisional"><summary>Provisional figures: '
        f"{esc(plural(len(notes), 'measure'))} cited above "
        f"{'rests' if len(notes) == 1 else 'rest'} on months that may be revised</summary>"
        '<ul class="summary-items">'
        + "".join(f"<li>{esc(n)}</li>" for n in notes)
        + "</ul></details>"
    )


def _format_contacts(view: BoardView) -> str:
    """Each senior contact's single points of contact, folded under a line.

    Seed 002 names a senior contact and a SPOC at the Force and at the OPCC; folded, the
    table by owner keeps its screen.
    """
    rows = [
        [esc(r["owner"]), esc(r["side"]), esc(r["contacts"] or "Not named")]
        for r in view.owners.to_dict("records")
    ]
    if not rows:
        return ""
    table = build_table(
        ["Senior contact", "Side", "Single points of contact"],
        rows,
        f"Single points of contact by senior contact, {view.quarter}",
    )
    return (
        '<details class="contacts"><summary>Single points of contact for each senior '
        f"contact ({len(rows)})</summary>{table}</details>"
    )


# Recomputed, a rating then is today's method applied to that quarter's data: a method
# changed since (the seasonal tests of this release) moves it with no change in the
# figures, so the words name both (docs/methodology.md, "Since the last meeting").
RECOMPUTED_WORDS = "recomputed from today's data and methods"
"""How the view says an earlier rating was worked out when no record of it is on file."""


def _basis_words(strategy: dict[str, Any]) -> str:
    """Whether the Board was told a strategy's rating a quarter before, or it is recomputed."""
    if strategy["basis"] == "recomputed" or not strategy.get("reported_at"):
        return RECOMPUTED_WORDS
    return f"as the Board was told, {_month(str(strategy['reported_at']))}"


def _basis_note(view: BoardView) -> tuple[str, bool]:
    """The sentence before the missions, and whether each row must say its own basis.

    One basis for every strategy is said once (a line under each of 13 ratings would push
    the view past its screens); mixed bases are said on each row.
    """
    bases = {_basis_words(s) for s in view.strategies.to_dict("records")}
    lead = (
        f"The rating compared with is each strategy's in {view.compared_with} (the same "
        "quarter's data, before the returns that arrived since)"
        if view.is_update
        else f"The rating a quarter before is each strategy's at the {view.board_name} of "
        f"{view.previous_quarter} (data to {_month(view.previous_period_end)})"
    )
    if len(bases) == 1:
        said = bases.pop()
        if view.is_update and said != RECOMPUTED_WORDS:
            # The record is the first view itself: "as the Board was told, <its month>"
            # would name the meeting, not the view the update compares with.
            said = "as that view gave it"
        return f"{lead}: {said}, for every strategy.", False
    return f"{lead}; each row says whether the Board was told it or it is recomputed.", True


def _status_note(item: Mapping[str, Any]) -> str:
    """Under a commitment whose status its measure's data differ from: the question."""
    if item.get("kind") != "commitment" or is_missing(item.get("reason")) or not item["reason"]:
        return ""
    return format_status_disagreement({"status_disagreement": item["reason"]})


def format_board_missions(view: BoardView) -> str:
    """Return each mission's strategies: rating now and a quarter before, what is flagged.

    Parameters
    ----------
    view : BoardView
        From :func:`~pcplib.assessment.board.summarise_board_quarter`.

    Returns
    -------
    str
        HTML: a sentence saying what the rating a quarter before is (the Delivery Board
        of the quarter before) and on what basis, then per mission a heading and a
        table, one row per strategy: its measures' rating now and a quarter before (with
        its basis when the strategies' differ, and "(within chance)" when its move rests
        on figures within chance, as the owner lines say) and, beneath it, the strategy's "But:"
        note (what that rating does not cover); and each item overdue, at risk or a new
        high risk with its state and due date or score, overdue first.
    """
    note, per_row = _basis_note(view)
    parts = [f'<p class="small">{esc(note)}</p>']
    items = view.items
    for mission_id, group in view.strategies.groupby("mission_id", sort=False):
        name = str(group["mission_name"].iloc[0])
        body = []
        for s in group.to_dict("records"):
            mine = items[items["strategy_id"] == s["strategy_id"]]
            flagged = pd.concat([mine[mine["flag"] == flag] for flag in _LISTED])
            moved = mine[(mine["flag"] == "changed") & (mine["rating_of"] == "overall")]
            moved_on_chance = bool(moved["within_chance"].astype(bool).any())
            entries = "".join(
                # No full stop before the bracket: "... authorities (overdue, ...)".
                f"<li>{esc(str(r['kind']).capitalize())}: {esc(str(r['item']).rstrip('. '))} "
                f"<strong>({esc(r['state'])}{', due ' + esc(r['due']) if r['due'] else ''})"
                f"</strong>{_status_note(r)}</li>"
                for r in flagged.to_dict("records")
            )
            body.append(
                [
                    esc(s["strategy_name"]),
                    # Now and then in one narrow cell ("Green was Red"): the width goes to
                    # the items, whose lines wrap less, so each mission stays on a screen.
                    format_rag_html(str(s["rag"]))
                    + ' <span class="small">was</span> '
                    + format_rag_html(str(s["previous_rag"]))
                    # The owner lines' verdict on the same move, from the same rows
                    # (review 14, R14-5).
                    + (' <span class="small">(within chance)</span>' if moved_on_chance else "")
                    + (f' <span class="small">({esc(_basis_words(s))})</span>' if per_row else "")
                    # How few headline measures the rating rests on (review 7, F12).
                    + (
                        f'<br><span class="small">{esc(s["rating_scope"])}</span>'
                        if s.get("rating_scope")
                        else ""
                    )
                    # What the measures' rating alone would hide, said beside it.
                    + (
                        f'<br><span class="small rating-note">{esc(s["rating_note"])}</span>'
                        if s.get("rating_note")
                        else ""
                    ),
                    f'<ul class="summary-items">{entries}</ul>'
                    if entries
                    else "Nothing overdue or at risk; no new high risk",
                ]
            )
        parts.append(
            f'<h3 id="mission-{esc(mission_id)}">{esc(name)}</h3>'
            + build_table(
                [
                    "Strategy",
                    f"Measures' rating now, and {_then_words(view)}",
                    "Overdue, at risk or a high risk",
                ],
                body,
                f"{name}: each strategy, {view.quarter}",
            )
        )
    return "".join(parts)
