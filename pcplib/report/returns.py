"""What the owners' quarterly returns carry, as a reader sees it.

The risk table (likelihood, impact and mitigation), the board's action log, and what
the quarter's return left out, shown as "not supplied" (never as zero). The risk
register and the actions are for the board only: a public report says so and shows
neither, because owners write them for the Board and they may name restricted work. The
owners' narrative on risks is theirs to publish (its entries naming a restricted measure
withheld), and a public report says where it is. Text from returns is escaped like all
text from data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from pcplib import periods
from pcplib.assessment.actions import classify_actions, find_action_date
from pcplib.assessment.scope import (
    check_audience,
    check_strategy,
    withhold_restricted_text,
)
from pcplib.data.sources.returns_layout import RETURN_NARRATIVE_SECTIONS, list_requested_figures
from pcplib.labels import date_words, is_missing, month_words, plural
from pcplib.report.html import build_table, esc

if TYPE_CHECKING:
    from pcplib.data import Dataset

__all__ = [
    "ACTIONS_LEAD",
    "NOT_SUPPLIED",
    "OWNERS_RISKS_TITLE",
    "RISKS_LEAD",
    "format_actions",
    "format_return_status",
    "format_returns_log",
    "format_risks",
    "returns_for",
    "withhold_restricted",
]

NOT_SUPPLIED = "Not supplied"
_BOARD_ONLY = "<p>{what} reported to the {board} only and not published{more}.</p>"
OWNERS_RISKS_TITLE = "Risks to delivery, in the owners' own words"
"""A public report's heading for the owners' narrative on risks: their account, published
as theirs, beside a register that is not (review 9, R9-7; review 10, R10-12)."""
RISKS_LEAD = (
    "The risks the strategy's owners reported in their quarterly return, highest score "
    "first. Likelihood and impact are each scored from 1 (lowest) to 5 (highest); the score "
    'is the two multiplied, so 25 is the most serious. "Not supplied" means the owners left '
    "that cell empty. The register is for the Board only and is not published; the owners' "
    'own words on risks, under "Risks to delivery" in their narrative below, are published '
    "as theirs."
)
"""What the Board's risk table holds; a public report, which shows no table, says only
that the register is withheld (review 10, R10-12)."""
ACTIONS_LEAD = (
    "The actions the Board agreed for this strategy, latest meeting first, with their "
    "owner, due date and status as the owners last reported it. An action neither done nor "
    "dropped whose due date fell before this meeting is marked overdue, and listed under "
    "<strong>Needs attention</strong> at the top. The action log is for the Board only and "
    "is not published."
)
"""What the Board's action log holds (HTML); a public report says only that it is withheld."""


def returns_for(dataset: Dataset, strategy_id: str, quarter: str | None = None) -> pd.DataFrame:
    """Return the returns log's rows for a strategy (and quarter), oldest first.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str
        The strategy.
    quarter : str, optional
        Only returns for this quarter, such as ``"2026/27 Q2"``.

    Returns
    -------
    pandas.DataFrame
        Rows of ``dataset.returns_log``.
    """
    log = dataset.returns_log
    rows = log[log["strategy_id"] == strategy_id]
    if quarter is not None:
        rows = rows[rows["quarter"] == quarter]
    return rows.sort_values("loaded_at", kind="stable")


def _score(value: object) -> str:
    """A likelihood or impact score as shown, or "Not supplied"."""
    return NOT_SUPPLIED if is_missing(value) else str(int(float(str(value))))


def format_risks(dataset: Dataset, strategy_id: str, quarter: str, audience: str = "board") -> str:
    """Return the strategy's risks to delivery for a quarter, highest score first.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str
        The strategy.
    quarter : str
        The reporting quarter, such as ``"2026/27 Q2"``.
    audience : {"board", "public"}, default "board"
        ``"public"`` shows no register, only the line that withholds it and says the
        owners' narrative on risks is published as theirs (:data:`OWNERS_RISKS_TITLE`).

    Returns
    -------
    str
        HTML: for the Board, what the table holds (:data:`RISKS_LEAD`), then a table with
        each risk's likelihood and impact (1 to 5), their product, the mitigation and the
        owner; "Not supplied" where the owners left a cell empty.
    """
    check_audience(audience)
    check_strategy(dataset, strategy_id)
    periods.parse_quarter(quarter)
    if audience == "public":
        # Only the withheld line: a description of a table the page does not show reads
        # as if it did (review 10, R10-12). The register is the Board's; the owners' own
        # words on risks are their published narrative, so "not published" is said only
        # of what is not, and the narrative's heading says whose they are (R9-7).
        return _BOARD_ONLY.format(
            what="The risk register (each risk's scores, mitigation and owner) is",
            board=esc(dataset.identity.board_name),
            more=esc(
                "; the owners' own account of the risks is published as theirs, under "
                f'"{OWNERS_RISKS_TITLE}" in their narrative below'
            ),
        )
    lead = f"<p>{esc(RISKS_LEAD)}</p>"
    risks = dataset.risks
    rows = risks[(risks["strategy_id"] == strategy_id) & (risks["quarter"] == quarter)]
    if rows.empty:
        if not returns_for(dataset, strategy_id, quarter).empty:
            return lead + (
                f"<p>The owners' return for {esc(quarter)} gave no risks: not supplied.</p>"
            )
        return lead + f"<p>No risks are recorded for {esc(quarter)}.</p>"
    rows = rows.assign(_score=rows["likelihood"] * rows["impact"])
    rows = rows.sort_values(["_score", "risk_id"], ascending=[False, True], na_position="last")
    body = [
        [
            esc(r["description"]),
            _score(r["likelihood"]),
            _score(r["impact"]),
            NOT_SUPPLIED if is_missing(r["_score"]) else str(int(r["_score"])),
            esc(r["mitigation"] or NOT_SUPPLIED),
            esc(r["owner"] or NOT_SUPPLIED),
        ]
        for r in rows.to_dict("records")
    ]
    name = dataset.strategy(strategy_id)["strategy_name"]
    return lead + build_table(
        ["Risk", "Likelihood (1-5)", "Impact (1-5)", "Score", "Mitigation", "Owner"],
        body,
        f"{name}: risks to delivery, {quarter}",
        numeric=[False, True, True, True, False, False],
    )


def format_actions(
    dataset: Dataset,
    strategy_id: str,
    audience: str = "board",
    period_end: str = "",
    slot: str = "",
) -> str:
    """Return the board's action log for a strategy, latest meeting first.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str
        The strategy.
    audience : {"board", "public"}, default "board"
        ``"public"`` shows no actions, only the line that says they are withheld.
    period_end, slot : str, optional
        The data period's last month and the meeting (``YYYY-MM``): an action due
        before the meeting (else the period's end) and not done or dropped is marked
        overdue (:func:`~pcplib.assessment.actions.classify_actions`). Both empty: no
        action is marked.

    Returns
    -------
    str
        HTML: what the log holds (:data:`ACTIONS_LEAD`), a count by status, then each
        action with the meeting that agreed it, its owner, due date and status.
    """
    check_audience(audience)
    check_strategy(dataset, strategy_id)
    if audience == "public":
        # Only the withheld line, never a description of the log (review 10, R10-12).
        return _BOARD_ONLY.format(
            what="Actions agreed by the Board are",
            board=esc(dataset.identity.board_name),
            more="",
        )
    lead = f"<p>{ACTIONS_LEAD}</p>"
    actions = dataset.actions
    rows = actions[actions["strategy_id"] == strategy_id]
    if rows.empty:
        return lead + "<p>No actions agreed by the Board are recorded for this strategy.</p>"
    rows = rows.sort_values(["agreed_at", "action_id"], ascending=[False, True])
    if period_end or slot:
        state = classify_actions(rows, find_action_date(period_end or slot, slot))
    else:
        state = rows["status"].astype(str).str.strip().str.lower()
    counts = rows["status"].value_counts()
    summary = ", ".join(
        f"{int(counts[s])} {s}" for s in ("open", "in progress", "done", "dropped") if s in counts
    )
    overdue = int((state == "overdue").sum())
    if overdue:
        summary += f"; {overdue} overdue"
    body = [
        [
            esc(a["action"]),
            esc(month_words(a["agreed_at"])),
            esc(a["owner"] or NOT_SUPPLIED),
            esc(date_words(a["due_date"]) if not is_missing(a["due_date"]) else "No date set"),
            esc(str(a["status"]).capitalize())
            + (" <strong>(overdue)</strong>" if state.loc[index] == "overdue" else ""),
        ]
        for index, a in zip(rows.index, rows.to_dict("records"), strict=True)
    ]
    name = dataset.strategy(strategy_id)["strategy_name"]
    return (
        lead
        + f"<p>{esc(plural(len(rows), 'action'))}: {esc(summary)}.</p>"
        + build_table(
            ["Action", "Agreed at the Board of", "Owner", "Due", "Status"],
            body,
            f"{name}: action log",
        )
    )


def format_return_status(
    dataset: Dataset, strategy_id: str, quarter: str, audience: str = "board"
) -> str:
    """Return which owners' return the quarter's figures came from, and what it left out.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str
        The strategy.
    quarter : str
        The reporting quarter, such as ``"2026/27 Q2"``.
    audience : {"board", "public"}, default "board"
        ``"public"`` leaves restricted measures out of the list.

    Returns
    -------
    str
        HTML: when no return was loaded for the quarter, a sentence saying so;
        otherwise the returns loaded and a table of every figure and narrative section
        the return asked for that the data set still lacks, each "Not supplied".
    """
    check_audience(audience)
    check_strategy(dataset, strategy_id)
    periods.parse_quarter(quarter)
    loaded = returns_for(dataset, strategy_id, quarter)
    if loaded.empty:
        return (
            f"<p>No quarterly return from the owners has been loaded for {esc(quarter)}: the "
            "figures are those the OPCC holds in the data set.</p>"
        )
    files = "; ".join(f"{r['file']} (loaded {r['loaded_at']})" for r in loaded.to_dict("records"))
    parts = [f"<p>Returns loaded for {esc(quarter)}: {esc(files)}.</p>"]
    asked = list_requested_figures(dataset, strategy_id, quarter)
    if audience == "public":
        public = set(dataset.measures_for(strategy_id, public_only=True)["measure_id"])
        asked = asked[asked["measure_id"].isin(public)]
    obs = dataset.observations
    present = obs[obs["value"].notna()][["measure_id", "period_start", "area"]]
    held = set(present.itertuples(index=False, name=None))
    missing = [
        [esc(r["measure_name"]), esc(r["covers"]), NOT_SUPPLIED]
        for r in asked.to_dict("records")
        if (r["measure_id"], r["period_start"], r["area"]) not in held
    ]
    narrative = dataset.narrative
    sections = narrative[
        (narrative["strategy_id"] == strategy_id) & (narrative["quarter"] == quarter)
    ]["section"]
    missing += [
        [esc(f"Narrative: {s}"), esc(quarter), NOT_SUPPLIED]
        for s in RETURN_NARRATIVE_SECTIONS
        if s not in set(sections)
    ]
    if not missing:
        parts.append("<p>Everything the return asked for was supplied.</p>")
        return "".join(parts)
    name = dataset.strategy(strategy_id)["strategy_name"]
    verb, them = ("is", "it") if len(missing) == 1 else ("are", "them")
    parts.append(
        f"<p>{esc(plural(len(missing), 'item'))} the return asked for {verb} not supplied: "
        f"the report shows no figure for {them}, never a zero.</p>"
    )
    parts.append(
        build_table(
            ["Item", "Period", "Figure"], missing, f"{name}: not supplied in the return, {quarter}"
        )
    )
    return "".join(parts)


def format_returns_log(dataset: Dataset, strategy_id: str | None = None) -> str:
    """Return the owners' returns the data set's figures came from, for the provenance.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set; its ``returns_log`` is listed.
    strategy_id : str, optional
        Only this strategy's returns; all when omitted.

    Returns
    -------
    str
        HTML: a table of each return's file, strategy, quarter, when it was loaded, the
        rows it added and changed, what it left empty, and its SHA-256.
    """
    log = dataset.returns_log
    if strategy_id is not None:
        log = log[log["strategy_id"] == strategy_id]
    if log.empty:
        return "<p>No quarterly returns from the owners have been loaded into this data set.</p>"
    body = [
        [
            esc(r["file"]),
            esc(r["strategy_id"]),
            esc(r["quarter"]),
            esc(r["loaded_at"]),
            str(int(r["rows_added"])),
            str(int(r["rows_changed"])),
            str(int(r["not_supplied"])),
            f"<code>{esc(r['sha256'])}</code>",
        ]
        for r in log.sort_values("loaded_at", kind="stable").to_dict("records")
    ]
    return build_table(
        ["Return", "Strategy", "Quarter", "Loaded (UTC)", "Rows added", "Rows changed",
         "Not supplied", "SHA-256"],
        body,
        "Owners' returns the figures came from",
        numeric=[False, False, False, False, True, True, True, False],
    )  # fmt: skip


def withhold_restricted(dataset: Dataset, text: str, audience: str) -> str:
    """Return owners' text, withheld from the public if it names a restricted measure.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    text : str
        The text as supplied.
    audience : {"board", "public"}
        Who reads it.

    Returns
    -------
    str
        ``text``, or a note that it was withheld.
    """
    return withhold_restricted_text(dataset, text, audience)
