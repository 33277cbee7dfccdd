"""The assessment of a strategy: its measures, overall rating and delivery confidence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import rag
from pcplib.labels import is_missing

if TYPE_CHECKING:
    from pcplib.data import Dataset
from pcplib.assessment.actions import list_overdue_actions
from pcplib.assessment.caveats import RISE_IN_REPORTS, is_rise_in_reports
from pcplib.assessment.change_chance import is_met_unreliably
from pcplib.assessment.delivery import ProjectedDelivery, assess_delivery, classify_commitments
from pcplib.assessment.harm import describe_grey_rule
from pcplib.assessment.judgements import select_judgements, tabulate_judgements
from pcplib.assessment.measures import summarise_measures
from pcplib.assessment.risks import (
    ALREADY_HIGH,
    NEW,
    NOVELTIES,
    describe_novelty,
    list_high_risks,
    rate_risks,
)
from pcplib.assessment.scope import check_strategy, strategy_commitments
from pcplib.assessment.targets import NO_SPC_VERDICT_RULES
from pcplib.assessment.thresholds import (
    DELIVERY_THRESHOLDS,
    HIGH_RISK_SCORE,
    MIN_RATED_HEADLINE,
    MIN_RATED_SHARE,
    ROLL_UP_METHOD,
)
from pcplib.records import list_records


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
    delivery : pcplib.assessment.delivery.ProjectedDelivery
        Projected delivery of the strategy's commitments (the one definition).
    has_data : bool
        Whether any measure has a value in the reporting quarter.
    audience : str
        Who the summary is for: ``"board"``, or ``"public"`` (public measures only).
    risk_rag : str
        The risk rating (:func:`~pcplib.assessment.risks.rate_risks`): Red when a risk is
        known to have become high in the quarter, Amber when a risk is high but not known
        to be new, Green when the data set holds risks and none is high, Grey without
        risks; empty for the public, as the risks are withheld from it (never a rating
        value).
    rating_note : str
        What the overall rating alone would hide ("But: ..."): a Red sub-measure, an
        overdue commitment, a high risk; empty when nothing is hidden. The
        performance, delivery and risk ratings are :attr:`performance_rag`,
        :attr:`delivery_rag` and :attr:`risk_rag`.
    rating_scope : str
        How many headline measures the rating rests on, said wherever the rating is
        shown when they are too few (:func:`describe_rating_scope`: "too little rated:
        1 of 2 headline measures (1 Green)"); empty when enough are rated.
    high_risks : pandas.DataFrame
        The quarter's high risks, each with its ``novelty`` (new, no earlier score on
        file, already high; :func:`~pcplib.assessment.risks.list_high_risks`), which
        ``risk_rag`` and ``rating_note`` read: the Board's view and the report's "Needs
        attention" list every one of these, new or not, not a second reading. Empty for
        the public.
    overdue_actions : pandas.DataFrame
        The Board actions overdue by the meeting (``slot``; the data period's end without
        one, :func:`~pcplib.assessment.actions.list_overdue_actions`), which
        ``rating_note`` counts: the report's "Needs attention" lists these, not a second
        reading at another date. Empty for the public.
    slot : str
        The meeting the summary was worked out for, ``YYYY-MM``; empty: none.

    Notes
    -----
    ``summary.table`` is what the report shows as one flat frame for analysis: the
    rows of ``judgements.csv`` for this strategy (its overall rating first, then each
    measure), with readable column names; :meth:`to_frame` chooses the columns.
    ``measures`` holds more (the SPC result of each measure, for charts), in the
    assessment's own names.
    """

    strategy_id: str
    strategy_name: str
    period_end: str
    overall_rag: str
    overall_explanation: str
    measures: pd.DataFrame = field(repr=False)
    delivery: ProjectedDelivery
    has_data: bool
    audience: str = "board"
    risk_rag: str = "Grey"
    rating_note: str = ""
    rating_scope: str = ""
    high_risks: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    overdue_actions: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    slot: str = ""

    @property
    def performance_rag(self) -> str:
        """The performance rating: the roll-up of the headline measures (``overall_rag``)."""
        return self.overall_rag

    @property
    def delivery_rag(self) -> str:
        """The delivery rating: the projected delivery of the commitments."""
        return self.delivery.rating

    @property
    def report_name(self) -> str:
        """The report's name as ``pcp run`` publishes it: the strategy id, ``-public`` added."""
        return self.strategy_id + ("-public" if self.audience == "public" else "")

    def to_frame(
        self, columns: Sequence[str] | None = None, *, readable: bool = True
    ) -> pd.DataFrame:
        """Return the strategy's judgements as one flat frame, the rows of ``judgements.csv``.

        Parameters
        ----------
        columns : sequence of str, optional
            Columns of ``judgements.csv``, in order
            (:data:`~pcplib.assessment.judgements.JUDGEMENT_COLUMNS` for all of them);
            by default the twenty of
            :data:`~pcplib.assessment.judgements.TABLE_COLUMNS`, which pandas shows in full.
        readable : bool, default True
            Readable column names (``"RAG"``, ``"Target for the period"``); False keeps
            the names of ``judgements.csv``.

        Returns
        -------
        pandas.DataFrame
            The overall rating (``measure_id`` ``overall``), then each headline and
            sub-measure.
        """
        frame = tabulate_judgements([self], self.report_name)
        return select_judgements(frame, columns, readable=readable)

    @property
    def table(self) -> pd.DataFrame:
        """The judgements the report shows, with readable column names (:meth:`to_frame`)."""
        return self.to_frame()


def summarise_strategy(
    dataset: Dataset,
    strategy_id: str,
    period_end: str,
    audience: str = "board",
    spc_rules: str = "mdc",
    with_spc: bool = True,
    slot: str = "",
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
    audience : {"board", "public"}, default "board"
        ``"public"`` leaves restricted measures out of the roll-up and the tables.
    spc_rules : {"mdc", "plotthedots"}, default "mdc"
        The SPC rule set.
    with_spc : bool, default True
        Run the SPC analysis (see :func:`summarise_measures`).
    slot : str, optional
        The meeting, ``YYYY-MM``: a Board action due before it and not closed is overdue
        (:func:`~pcplib.assessment.actions.find_action_date`); empty: the end of the data
        period.

    Returns
    -------
    StrategySummary
        The overall RAG is the worst of the headline measures' RAG (Grey left out); its
        ``rating_note`` names what that rating alone would hide (:func:`note_hidden_by_rating`:
        for the Board, high risks and overdue Board actions too).
    """
    check_strategy(dataset, strategy_id)
    measures = summarise_measures(
        dataset, strategy_id, period_end, audience=audience, spc_rules=spc_rules,
        with_spc=with_spc,
    )  # fmt: skip
    headline = measures[measures["tier"] == "headline"]
    rating, explanation = roll_up_strategy(headline, public=audience == "public")
    commitments = strategy_commitments(dataset, strategy_id)
    risks = (
        list_high_risks(dataset, strategy_id, period_end) if audience == "board" else pd.DataFrame()
    )
    has_risks = audience == "board" and not getattr(dataset, "risks", pd.DataFrame()).empty
    risk_rag = rate_risks(risks, has_risks)
    if audience == "public":
        # Withheld, not rated: "Grey" means nothing to rate yet, and a public file would
        # give two values for one field where the Board's gives Red (review 9, R9-19).
        risk_rag = ""
    actions = (
        list_overdue_actions(dataset, strategy_id, period_end, slot)
        if audience == "board"
        else pd.DataFrame()
    )
    note = note_hidden_by_rating(rating, measures, commitments, period_end, risks, actions)
    return StrategySummary(
        strategy_id=strategy_id,
        strategy_name=str(dataset.strategy(strategy_id)["strategy_name"]),
        period_end=period_end,
        overall_rag=rating,
        overall_explanation=explanation,
        measures=measures,
        delivery=assess_delivery(commitments, period_end),
        has_data=bool(measures["has_data"].any()),
        audience=audience,
        risk_rag=risk_rag,
        rating_note=note,
        rating_scope=describe_rating_scope(headline),
        high_risks=risks,
        overdue_actions=actions,
        slot=slot,
    )


_RISE_BASES = ("evidence", "spc")
"""The bases of a Red with no target: a worsening beyond chance or an SPC concern."""


def note_hidden_by_rating(
    rating: str,
    measures: pd.DataFrame,
    commitments: pd.DataFrame,
    period_end: str,
    high_risks: pd.DataFrame | None = None,
    overdue_actions: pd.DataFrame | None = None,
) -> str:
    """Say what a strategy's overall rating alone would hide, as a "But: ..." note.

    Parameters
    ----------
    rating : str
        The overall (performance) rating.
    measures : pandas.DataFrame
        Every measure of the strategy (headline and sub).
    commitments : pandas.DataFrame
        The strategy's commitments (``status``, ``due_date``).
    period_end : str
        The reporting period's last month, ``YYYY-MM``.
    high_risks : pandas.DataFrame, optional
        The quarter's high risks (:func:`~pcplib.assessment.risks.list_high_risks`, with
        their ``novelty``; the Board's only).
    overdue_actions : pandas.DataFrame, optional
        From :func:`~pcplib.assessment.actions.list_overdue_actions` (the Board's only).

    Returns
    -------
    str
        Empty when nothing is hidden; otherwise "But: ..." naming each Red measure (when
        the rating is not itself Red), overdue commitments, overdue Board actions and
        every high risk, counted by what is known of it: new, also high in the quarter
        before, or with no earlier score on file (never called new): the same items the
        strategy report's "Needs attention" lists. A Red
        with no target for a rise in reports to Action Fraud
        (:func:`~pcplib.assessment.caveats.is_rise_in_reports`) says it is "more reports,
        which may be more reporting".
    """
    parts = []
    if rating != "Red":
        red = measures[measures["rag"] == "Red"]
        for r in list_records(red):
            tier = "sub-measure" if r["tier"] == "sub" else "headline measure"
            # Red with no target for a rise in reports to Action Fraud says what the rise
            # may be, as the public report does: one measure, one reading on every page
            # (review 12, R12-1).
            rise = is_rise_in_reports(r) and r.get("rag_basis") in _RISE_BASES
            parts.append(
                f"{r['measure_name']} ({tier}) is Red" + (f": {RISE_IN_REPORTS}" if rise else "")
            )
    # Overdue as projected delivery counts it, so the note and the figure agree.
    overdue = int((classify_commitments(commitments, period_end) == "overdue").sum())
    if overdue:
        parts.append(f"{overdue} commitment{'s' if overdue != 1 else ''} overdue")
    if overdue_actions is not None and not overdue_actions.empty:
        n = len(overdue_actions)
        parts.append(f"{n} Board action{'s' if n != 1 else ''} overdue")
    if high_risks is not None and not high_risks.empty:
        novelty = high_risks.get("novelty", pd.Series(NEW, index=high_risks.index))
        # Every high risk is counted, new or standing (review 14, R14-1); "new" only
        # where the quarter before's return shows it: absence of a record is not a fact
        # about that quarter.
        for kind in NOVELTIES:
            some = high_risks[novelty == kind]
            if some.empty:
                continue
            n = len(some)
            top = int(some["score"].max()) if "score" in some.columns else HIGH_RISK_SCORE
            risks = f"high risk{'s' if n != 1 else ''}"
            known = describe_novelty(kind, period_end)
            words = {NEW: f"new {risks}", ALREADY_HIGH: f"{risks}, {known}"}.get(
                kind, f"{risks} with {known}"
            )
            parts.append(f"{n} {words} (highest score {top}; high is {HIGH_RISK_SCORE} or more)")
    return f"But: {'; '.join(parts)}." if parts else ""


_BASIS_REASONS = {
    ("target", "Red"): "target missed",
    ("target", "Amber"): "target narrowly missed",
    ("trajectory", "Red"): "behind its trajectory",
    ("trajectory", "Amber"): "slightly behind its trajectory",
    ("evidence", "Red"): "a real deterioration, with no target",
    ("evidence", "Amber"): "a possible rise, with no target",
}


def _reason(row: Mapping[str, Any], public: bool = False) -> str:
    if is_met_unreliably(row):
        return "target met, but not reliably"
    if row.get("rag_capped"):
        return "target met, but a real deterioration"
    if row.get("target_within_margin"):
        # Not shown to be missed (assessment.targets): never "narrowly missed" here while
        # the public page says the target may have been met (review 3, #5).
        if row.get("margin_of_error") is not None and not is_missing(row.get("margin_of_error")):
            return "within a survey's margin of error of its target"
        return "within chance of its target"
    if row.get("rag_rule") == "harm_spc_unconfirmed" and not _named(row.get("rag_comparison")):
        # The chart's concern alone: never "a possible rise" unless a test found one. No
        # "SPC" on a public page (issue 26).
        chart = "its chart shows it worse than usual, which" if public else "an SPC concern"
        return f"{chart} the tests of change do not confirm, with no target"
    if row["rag_basis"] == "evidence" and row["rag"] == "Amber":
        worse = "fall" if row.get("good_direction") == "higher" else "rise"
        return f"a possible {worse}, with no target"
    return _BASIS_REASONS.get((row["rag_basis"], row["rag"]), row["rag_basis"])


def _named(value: Any) -> bool:
    """Whether a cell holds a word (not empty, not missing)."""
    return not is_missing(value) and bool(str(value))


_NO_SPC_WHY = {
    "unstable baseline": "a baseline that is not stable",
    "rolling figure": "a rolling figure",
    "year-to-date figure": "a year-to-date figure",
}
"""Why SPC gave no verdict (``spc_status``), as a strategy's "not rated" names it."""


def _unrated_reason(row: Mapping[str, Any], public: bool = False) -> str:
    if not row["has_data"]:
        label = str(row.get("current_label") or "")
        if "to be confirmed" in label:
            return "a figure to be confirmed"
        return "the period's figures are incomplete" if "incomplete" in label else "no data"
    if row["good_direction"] == "neutral":
        return "no good direction, reported as a trend"
    # The rating's rule and the SPC status say why, not the words of ``rag_reason``.
    rule = row.get("rag_rule")
    if rule == "outcomes_open":
        return "its latest outcomes still open"
    grey = describe_grey_rule(row, public)
    if grey:
        return grey.removeprefix("not rated: ")
    if rule in NO_SPC_VERDICT_RULES:
        why = _NO_SPC_WHY.get(str(row.get("spc_status")), "too few points")
        if public:
            return f"no target, and no settled history to judge it against ({why})"
        return f"no SPC verdict ({why}), tests only, and no target"
    return (
        "no target, and too few figures yet" if public else "too few points for SPC and no target"
    )


def count_rated(headline: pd.DataFrame) -> tuple[int, int]:
    """Count a strategy's rated headline measures and all of them.

    Parameters
    ----------
    headline : pandas.DataFrame
        Headline rows of :func:`~pcplib.assessment.measures.summarise_measures`.

    Returns
    -------
    tuple of int
        The rated (not Grey) and the total.
    """
    total = len(headline)
    rated = int((headline["rag"] != "Grey").sum()) if total else 0
    return rated, total


def is_enough_rated(rated: int, total: int) -> bool:
    """Whether a roll-up rests on enough headline measures to rate the strategy Green or Amber.

    All of them, or at least :data:`~pcplib.assessment.thresholds.MIN_RATED_HEADLINE`
    and at least :data:`~pcplib.assessment.thresholds.MIN_RATED_SHARE` of them.

    Parameters
    ----------
    rated, total : int
        From :func:`count_rated`.

    Returns
    -------
    bool
        True when the worst of the rated may stand for the strategy.
    """
    if rated == total:
        return True
    return rated >= MIN_RATED_HEADLINE and rated >= MIN_RATED_SHARE * total


def describe_rating_scope(headline: pd.DataFrame, short: bool = False) -> str:
    """Say how few headline measures a strategy's rating rests on, when they are too few.

    Shown beside the rating wherever it appears (strategy report, plan overview, Board
    view, public list, index, ``judgements.csv``), so a Green or Amber on one measure of
    two is never read as the strategy's (review 7, F12).

    Parameters
    ----------
    headline : pandas.DataFrame
        Headline rows of :func:`~pcplib.assessment.measures.summarise_measures`.
    short : bool, default False
        The form for a line of ratings (the public list of strategies, whose key says
        what Grey means): "1 of 2 rated", "rated on 1 of 3".

    Returns
    -------
    str
        ``""`` when enough are rated (:func:`is_enough_rated`) or none is; "too little
        rated: 1 of 2 headline measures (1 Green)" when the roll-up is Grey for it; "on 1
        of 3 headline measures rated" for an Amber or a Red, which stands on any number.
    """
    rated, total = count_rated(headline)
    if not rated or is_enough_rated(rated, total):
        return ""
    ratings = [str(r) for r in headline["rag"] if r != "Grey"]
    worst, counted = rag.roll_up(ratings, method=ROLL_UP_METHOD)
    if worst in ("Red", "Amber"):
        return (
            f"rated on {rated} of {total}"
            if short
            else f"on {rated} of {total} headline measures rated"
        )
    if short:
        return f"{rated} of {total} rated"
    counts = counted.split("(", 1)[1].split(")", 1)[0]
    return f"too little rated: {rated} of {total} headline measures ({counts})"


def roll_up_strategy(headline: pd.DataFrame, public: bool = False) -> tuple[str, str]:
    """Roll a strategy's headline measures up to one rating, saying what drove it.

    Every headline measure with data counts: those with a target or trajectory by it,
    those without by SPC (see :mod:`pcplib.assessment.targets`). The rating is the worst
    (:data:`~pcplib.assessment.thresholds.ROLL_UP_METHOD`), so a special-cause concern
    in any headline measure keeps the strategy from Green. A Green on too few rated
    headline measures (:func:`is_enough_rated`) is Grey, "too little rated": it is one
    measure's rating, not the strategy's; an Amber or a Red stands, as no rating of the
    rest could raise it, and says on how many.

    Parameters
    ----------
    headline : pandas.DataFrame
        Headline rows of :func:`~pcplib.assessment.measures.summarise_measures`.
    public : bool, default False
        Word the sentence for the public version of the report: the same rating and
        reasons, without the Board's terms ("SPC").

    Returns
    -------
    tuple of (str, str)
        The rating and a sentence naming the measures that drove it and those left out.
    """
    rows = list_records(headline)
    rated = [r for r in rows if r["rag"] != "Grey"]
    unrated = [r for r in rows if r["rag"] == "Grey"]
    rating, counted = rag.roll_up([r["rag"] for r in rated], method=ROLL_UP_METHOD)
    left_out = ""
    if unrated:
        items = "; ".join(f"{r['measure_name']} ({_unrated_reason(r, public)})" for r in unrated)
        left_out = f" Not rated: {items}."
    if not rated:
        return "Grey", f"Grey: no headline measure can be rated yet.{left_out}"
    counts = counted.split("(", 1)[1].split(")", 1)[0] if "(" in counted else ""
    n = len(rated)
    if not is_enough_rated(n, len(rows)):
        named = "; ".join(f"{r['measure_name']}: {r['rag']}" for r in rated)
        few = f"only {n} of its {len(rows)} headline measures {'is' if n == 1 else 'are'} rated"
        if rating == "Green":
            # The worst of too few is one measure's rating, not the strategy's: it could
            # only fall as the rest are rated (thresholds.MIN_RATED_HEADLINE). An Amber or
            # a Red is a floor the rest cannot raise, so it stands: Grey never hides a
            # concern (review 10, R10-1).
            return "Grey", (
                f"Grey: too little rated to rate the strategy: {few} ({named}); a strategy "
                f"is rated on at least {MIN_RATED_HEADLINE} headline measures and at least "
                f"half of them.{left_out}"
            )
        lead = f"{rating} on {n} of {len(rows)} headline measures rated ({counts}; {few}, but "
        lead += f"no rating of the rest could raise {'a Red' if rating == 'Red' else 'an Amber'})"
    else:
        lead = f"{rating}: the worst of {n} rated headline measure{'s' if n != 1 else ''}"
        lead += f" ({counts})" if counts else ""
    if rating == "Green":
        by_target = sum(r["rag_basis"] == "target" for r in rated)
        # A Green on a trajectory is on course for a target not yet due, not meeting it:
        # 3,495 neighbourhood crimes are on the course to 1,150 a month by March 2028,
        # above the 3,450 a quarter the target itself asks (review 20, R20-3).
        by_course = sum(r["rag_basis"] == "trajectory" for r in rated)
        by_spc = n - by_target - by_course
        parts = []
        if by_target:
            parts.append(f"{by_target} meeting {'its' if by_target == 1 else 'their'} target")
        if by_course:
            parts.append(
                f"{by_course} on course for {'its' if by_course == 1 else 'their'} target"
                f"{'' if by_course == 1 else 's'}"
            )
        if by_spc:
            checks = "its chart over time" if public else "SPC"
            parts.append(
                f"{by_spc} with no target and no real deterioration (tests of change and {checks})"
            )
        return rating, f"{lead}: {' and '.join(parts)}.{left_out}"
    drivers = [r for r in rated if r["rag"] == rating]
    named = "; ".join(f"{r['measure_name']} ({_reason(r, public)})" for r in drivers)
    return rating, f"{lead}, driven by {named}.{left_out}"


def summarise_commitments(
    dataset: Dataset, strategy_id: str | None = None, period_end: str | None = None
) -> pd.DataFrame:
    """Count commitments by status, or by delivery state at the end of a period.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    strategy_id : str, optional
        One strategy; all when omitted.
    period_end : str, optional
        The reporting period's last month, ``YYYY-MM``. Given, the rows are the delivery
        states of :func:`pcplib.assessment.delivery.classify_commitments` (overdue and
        not yet due told apart), the same counts projected delivery is taken from;
        omitted, the recorded statuses.

    Returns
    -------
    pandas.DataFrame
        Columns ``status`` and ``commitments``, one row per status in
        :data:`pcplib.rag.STATUSES` order (0 where none), or per delivery state in
        :data:`pcplib.assessment.delivery.DELIVERY_STATES` order.
    """
    commitments = dataset.commitments
    if strategy_id is not None:
        check_strategy(dataset, strategy_id)
        commitments = strategy_commitments(dataset, strategy_id)
    if period_end is not None:
        counts = assess_delivery(commitments, period_end).counts
        return pd.DataFrame({"status": list(counts), "commitments": list(counts.values())})
    counts = rag.delivery_confidence(list(commitments["status"]), DELIVERY_THRESHOLDS).counts
    return pd.DataFrame(
        {"status": list(rag.STATUSES), "commitments": [counts[s] for s in rag.STATUSES]}
    )
