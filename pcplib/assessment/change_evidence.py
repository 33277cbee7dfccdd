"""The evidence behind a change of rating: the figures that moved it, in plain words.

A change of rating is told by the change in the figures that made it, not only by the new
rating's name ("no target; 2026/27 Q2 416 against 326 in 2025/26 Q2, a real rise";
"target missed (76.9% against 85.0%; 80.9% in the quarter to June 2026)"). Two views
report changes and use these same words, so a reader holding both reads one wording:

- the Delivery Board's quarterly view (:mod:`pcplib.assessment.board`), against the
  quarter before;
- a strategy report's "Since the last meeting" (:mod:`pcplib.assessment.continuity`),
  against the last meeting that saw the strategy.

The rule behind a rating and its statistics stay in ``rag_reason``; these are the words
for the table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pcplib.assessment.changes import HALF_YEAR
from pcplib.assessment.chart_caveats import say_quarter_spike
from pcplib.assessment.exceptions import describe_rating_plainly
from pcplib.assessment.targets import NO_SPC_VERDICT_RULES
from pcplib.assessment.vocabulary import describe_counted_change
from pcplib.labels import format_figures, parse_number

__all__ = [
    "describe_change_evidence",
    "describe_earlier_rating",
    "describe_lost_rating",
    "describe_rating_evidence",
]

_COMPARED = {
    "the quarter on the same quarter a year earlier": (
        "current_label", "current", "last_year_label", "last_year",
    ),
    "the year ending on the year before": (
        "year_ending_label", "year_ending", "previous_year_label", "previous_year",
    ),
    "the year ending on the baseline year": (
        "year_ending_label", "year_ending", "baseline_label", "baseline",
    ),
    HALF_YEAR: ("half_year_label", "half_year", "half_year_before_label", "half_year_before"),
}  # fmt: skip
"""For each comparison a rating can rest on (``rag_comparison``), the columns of the
figure now and the figure it is compared with, each with its label."""

_GRADES = {
    "harm_test": "a real {worse}{wrong}",
    "harm_possible": "a possible {worse}{wrong}, not yet conclusive",
    "harm_spc": "{signal}, a real {worse}{wrong}",
    "harm_spc_unconfirmed": "{tested}but its chart shows {signal} (no point outside the "
    "limits), which the tests of change do not confirm",
    "no_deterioration": "no real {worse}",
    "tests_improvement": "a real {better}",
}
"""The grade of the evidence behind a rating with no target, by its rule, in plain words
(the rule and its test stay in ``rag_reason``). ``{signal}`` is what the chart shows in
the period (``spc_signal``): "outside its chart's usual range" only for a point beyond
its limits; a run, trend or two of three near a limit is said as such. ``{wrong}`` says a
fall is the wrong way for a measure that should rise: "a real fall" of drug trafficking
offences (found by proactive policing) read as good news beside its Red (review 17,
R17-7); a rise in a harm needs no such words. ``{tested}`` is
what the tests make of the figures quoted ("(no evidence of change), "), so a concern
the tests do not confirm is never read off figures that move the other way. One a test
finds possible (``rag_comparison``) is worded by :data:`_POSSIBLE_UNCONFIRMED`."""

_POSSIBLE_UNCONFIRMED = (
    "a possible {worse}{wrong}, not yet conclusive; its chart shows {signal} (no point outside "
    "the limits)"
)
"""An SPC concern the tests do not confirm, where one test finds a possible deterioration
(the comparison the rating rests on, whose figures are quoted): that test's verdict, then
the chart's, never "which the tests of change do not confirm" beside the very
comparison a test found possibly worse (review 17, R17-3)."""


def _say_lasting(row: Mapping[str, Any]) -> str:
    """A possible deterioration found over the two latest quarters, with the latest quarter.

    Rated on :data:`~pcplib.assessment.changes.HALF_YEAR`: "a {worse} lasting two quarters,
    possibly more than chance (2026/27 Q2 99 against 84)". Beside a Red that a real rise
    in the quarter before made, "a possible rise, not yet conclusive" read as the rise
    easing, though the latest quarter rose again (review 22, R22-4); and beyond chance
    over the two is never "not yet conclusive". ``{worse}`` and ``{wrong}`` are filled by
    the caller.
    """
    real = row.get("half_year_judgement") == "deteriorated"
    grade = "beyond chance over the two" if real else "possibly more than chance"
    now, then = parse_number(row.get("current")), parse_number(row.get("last_year"))
    latest = ""
    if now is not None and then is not None:
        shown = format_figures(
            [now, then], str(row.get("unit", "")), str(row.get("rate_per") or "")
        )
        latest = f" ({row.get('current_label')} {shown[0]} against {shown[1]})"
    return f"a {{worse}} lasting two quarters{{wrong}}, {grade}{latest}"


_JUDGEMENT_COLUMNS = {
    "the quarter on the same quarter a year earlier": "judgement",
    "the year ending on the year before": "year_ending_judgement",
    "the year ending on the baseline year": "since_baseline_judgement",
    HALF_YEAR: "half_year_judgement",
}
"""The column of each comparison's verdict (``no evidence of change``, ``improved``, ...)."""

_TESTED_GRADES = ("harm_test", "harm_possible", "no_deterioration", "tests_improvement")
"""The grades that rest on the tests of change, which a figure counted in full has none
of: its change is said by its size
(:func:`~pcplib.assessment.vocabulary.describe_counted_change`)."""

_COUNTED = {
    "the quarter on the same quarter a year earlier": "quarter",
    "the year ending on the year before": "year_ending",
    "the year ending on the baseline year": "baseline",
}
"""The comparison of :func:`~pcplib.assessment.vocabulary.describe_counted_change` for
each comparison a rating can rest on (``rag_comparison``)."""

_CHART_SIGNALS = {
    "special_cause_concern": "; its chart shows a signal of concern",
    "special_cause_improvement": "; its chart shows a signal of improvement",
}

_BEYOND_LIMITS = "outside its chart's usual range"
_NO_SHAPE = "a run or trend on its chart"


def _signal_words(row: Mapping[str, Any]) -> str:
    """What the chart shows in the period, for ``{signal}`` of :data:`_GRADES`.

    A point beyond the limits is "outside its chart's usual range"; a run, a trend or
    two of three near a limit is named for what it is ("a run of months above its
    chart's centre line"), never as a point outside the limits (review 9, R9-17). A
    concern the tests do not confirm has no point beyond the limits by definition, so
    only its other kinds are said.
    """
    shapes = [s for s in str(row.get("spc_signal") or "").split(" and ") if s]
    unconfirmed = row.get("rag_rule") == "harm_spc_unconfirmed"
    beyond = [s for s in shapes if "outside its chart's limits" in s]
    inside = [s for s in shapes if s not in beyond]
    if beyond and not unconfirmed:
        return _BEYOND_LIMITS
    if inside:
        return " and ".join(inside)
    return _NO_SHAPE if unconfirmed else _BEYOND_LIMITS


def _figures_compared(row: Mapping[str, Any]) -> tuple[str, str]:
    """``"12 months to September 2026 412 against 356 in the 12 months to September 2025"``.

    The comparison the rating rests on (``rag_comparison``), else the quarter on the same
    quarter a year earlier, else the year ending on the year before; empty when neither
    has both figures. Returned with the comparison quoted.
    """
    chosen = str(row.get("rag_comparison") or "")
    order = [chosen] if chosen in _COMPARED else []
    order += [c for c in _COMPARED if c != chosen][:2]
    for comparison in order:
        label_now, now, label_then, then = _COMPARED[comparison]
        figures = [parse_number(row.get(now)), parse_number(row.get(then))]
        if None in figures:
            continue
        shown = format_figures(figures, str(row.get("unit", "")), str(row.get("rate_per") or ""))
        return (
            f"{row.get(label_now) or 'now'} {shown[0]} against {shown[1]} in "
            f"{_the(str(row.get(label_then) or 'the comparison period'))}"
        ), comparison
    return "", ""


def _the(label: str) -> str:
    """``"the 12 months to September 2025"``; a quarter or year label stays bare."""
    return f"the {label}" if label.startswith("12 months") else label


def describe_rating_evidence(row: Mapping[str, Any], previous_rag: str = "") -> str:
    """Say the figures behind a measure's rating, in plain words.

    Parameters
    ----------
    row : mapping
        A measure's row of :attr:`~pcplib.assessment.strategy.StrategySummary.measures`.
    previous_rag : str, optional
        The rating the comparison gave, for a measure not rated now: one rated then is
        "no longer rated" (:func:`~pcplib.assessment.exceptions.describe_rating_plainly`).

    Returns
    -------
    str
        For a target or trajectory, the figure against it ("target missed (76.9%
        against 85.0%)"); with no target, the figures of the comparison the rating rests
        on and what the tests make of them ("2026/27 Q2 152 against 120 in 2025/26 Q2, a
        real rise"); for a measure not rated, why
        (:func:`~pcplib.assessment.exceptions.describe_rating_plainly`).
    """
    rule = str(row.get("rag_rule") or "")
    if str(row.get("rag_basis")) != "evidence" or rule not in _GRADES:
        return describe_rating_plainly(row, previous_rag=previous_rag)
    figures, compared = _figures_compared(row)
    if not figures:
        return describe_rating_plainly(row, previous_rag=previous_rag)
    # Worse is a fall for a measure that should grow (a share answered, a rate solved).
    higher = row.get("good_direction") == "higher"
    counted = describe_counted_change(row, _COUNTED.get(str(row.get("rag_comparison")), "quarter"))
    if counted and rule in _TESTED_GRADES:
        # Counted in full, untested: its size, never "a real rise" (review 14, R14-6); a
        # chart's signal beside it is said as the chart's.
        chart = _CHART_SIGNALS.get(str(row.get("spc_variation") or ""), "")
        return f"no target; {figures}, {counted}{chart}"
    signal = _signal_words(row)
    grade = _GRADES[rule]
    if compared == HALF_YEAR and rule == "harm_possible":
        grade = _say_lasting(row)
    tested = ""
    if rule == "harm_spc_unconfirmed":
        # "its chart shows a run of months above its centre line": the chart named once.
        signal = signal.replace("its chart's ", "its ")
        if str(row.get("rag_comparison") or "") in _COMPARED:
            grade = _POSSIBLE_UNCONFIRMED
        elif row.get(_JUDGEMENT_COLUMNS.get(compared, "")) == "no evidence of change":
            tested = "(no evidence of change), "
    grade = grade.format(
        worse="fall" if higher else "rise",
        better="rise" if higher else "fall",
        wrong=", the wrong way for this measure" if higher else "",
        signal=signal,
        tested=tested,
    )
    joint = " " if tested else ", "
    return f"no target; {figures}{joint}{grade}{_spike_words(row, compared)}"


_QUARTER = "the quarter on the same quarter a year earlier"


def _spike_words(row: Mapping[str, Any], compared: str) -> str:
    """The words that the quarter's real change rests on one month, or "".

    Said when the figures quoted are the quarter's and its real change on a year earlier
    rests on one month beyond the chart's limits (review 21, R21-1;
    :func:`~pcplib.assessment.chart_caveats.find_quarter_spike`).
    """
    if compared != _QUARTER:
        return ""
    spike = say_quarter_spike(row, usual="the chart's usual range")
    return f", {spike}" if spike else ""


def describe_earlier_rating(was: Mapping[str, Any], previous_rag: str) -> str:
    """Say what rated a measure at the comparison, when the evidence did: "was Red (...)".

    A rating with no target rests on the evidence of its own period; a move from it told
    by today's evidence alone leaves the reader to guess why it was rated as it was
    (review 17, R17-3: rural offences' Red to Amber quoted a fall, and never the real
    rise of 6,723 against 6,076 that made it Red). A rating against a target is told by
    its figure beside the earlier one (:func:`describe_change_evidence`), so needs none.

    Parameters
    ----------
    was : mapping
        The row that gave the earlier rating: the earlier period as today's data give
        it, or as the meeting was told it.
    previous_rag : str
        The rating the comparison gave.

    Returns
    -------
    str
        "was Red (no target; 2026/27 Q1 6,723 against 6,076 in 2025/26 Q1, a real
        rise)"; empty for a rating against a target, or with no figures behind it.
    """
    rule = str(was.get("rag_rule") or "")
    if str(was.get("rag_basis")) != "evidence" or rule not in _GRADES:
        return ""
    if not _figures_compared(was)[0]:
        return ""
    return f"was {previous_rag} ({describe_rating_evidence(was)})"


def describe_change_evidence(
    now: Mapping[str, Any],
    movements: Sequence[str] = (),
    earlier: float | None = None,
    earlier_label: str = "",
    previous_rag: str = "",
    within_chance: str = "",
    chance_note: str = "",
    was: str = "",
) -> str:
    """Say why a measure's rating changed: the change in the evidence, not the new name.

    Parameters
    ----------
    now : mapping
        The measure's row today (:attr:`~pcplib.assessment.strategy.StrategySummary.measures`).
    movements : sequence of str
        Its movements since the comparison
        (:data:`~pcplib.assessment.continuity.CHANGE_COLUMNS` ``change``): a move into or
        out of "needs attention" leads the words.
    earlier : float, optional
        The figure the comparison gave for its own period (as the Board was told it, or
        recomputed); said beside a target's figure, whose comparison is with the target.
    earlier_label : str, optional
        That period in words (``"the quarter to June 2026"``).
    previous_rag : str, optional
        The rating the comparison gave (:func:`describe_rating_evidence`).
    within_chance : str, optional
        For a rating that moved within chance of its target
        (:func:`~pcplib.assessment.change_chance.describe_move_within_chance`), the
        words that say so; they lead instead of a move into or out of "needs
        attention", which such a move is not.
    chance_note : str, optional
        For a figure that moved by less than chance allows
        (:func:`~pcplib.assessment.change_chance.describe_change_within_chance`), the
        words that say so, set after the figures ("...; a change of +1.1 points, within
        the survey's margin of error (+/- 7.2 points)").
    was : str, optional
        What rated the measure at the comparison (:func:`describe_earlier_rating`),
        said first, then today's evidence after "now".

    Returns
    -------
    str
        Such as "into needs attention: no target; 2026/27 Q2 152 against 120 in 2025/26
        Q2, a real rise", "out of needs attention: target met (93.4% against 90.0%;
        88.2% in the quarter to June 2026)" or "moved within chance of its target (too
        close to say → met, but close), so not progress: target met (84 against 90; 104
        in the quarter to June 2026), though by less than the usual variation".
    """
    words = describe_rating_evidence(now, previous_rag)
    current = parse_number(now.get("current"))
    compared = parse_number(now.get("target_compared"))
    # A seasonal measure's target is judged on its year ending: the quarter before is then
    # not the same kind of figure, and is not set beside it.
    same_kind = compared is None or compared == current
    # The bracket that sets the figure against its target ("(84 against 90)"), also when
    # words follow it (", though by less than the usual variation").
    close = words.find(")")
    if (
        str(now.get("rag_basis")) in ("target", "trajectory")
        and earlier is not None
        and current is not None
        and same_kind
        and close != -1
        and " against " in words[:close]
    ):
        then = format_figures(
            [earlier, current], str(now.get("unit", "")), str(now.get("rate_per") or "")
        )
        said = f"; {then[0]} in {earlier_label or 'the period compared'}"
        words = f"{words[:close]}{said}{words[close:]}"
    if chance_note:
        words = f"{words}; {chance_note}"
    if was:
        # "was Red (no target; ...); now 2026/27 Q2 ...": "no target" said once.
        if "(no target; " in was:
            words = words.removeprefix("no target; ")
        words = f"{was}; now {words}"
    lead = within_chance or next(
        (m for m in ("into needs attention", "out of needs attention") if m in movements), ""
    )
    return f"{lead}: {words}" if lead else words


_NO_CHART = {
    "unstable baseline": "no stable chart",
    "too few points": "too few figures for a chart",
    "rolling figure": "rolling figures that cannot be charted point by point",
    "year-to-date figure": "year-to-date figures that cannot be charted point by point",
}
"""What a measure rated on the tests of change alone lacks (``spc_status``), in a few
words."""


def describe_lost_rating(
    now: Mapping[str, Any], previous_rag: str, was: Mapping[str, Any], lost: str = ""
) -> str:
    """Say why a measure rated at the comparison is not rated now: what rated it, what is true now.

    A measure whose rating rests on the tests of change alone (no target, no chart to
    judge it by) loses its rating when the change that rated it goes. Its standing
    condition ("its chart's reference period is not stable") was as true when it was
    rated, so said alone it hides what changed (review 10, R10-7: farm machinery thefts
    were Red for a real rise and are now up 17.9% within the usual variation).

    Parameters
    ----------
    now : mapping
        The measure's row today (Grey).
    previous_rag : str
        The rating the comparison gave.
    was : mapping
        The row that gave that rating: the earlier period as today's data give it, or
        as the meeting was told it.
    lost : str, optional
        ``previous_rag`` when the earlier rating came from a chart that gave a verdict
        (:func:`~pcplib.assessment.exceptions.describe_rating_plainly`: a chart that is
        no longer stable is a change in the method, said so).

    Returns
    -------
    str
        "no longer rated: was Red (no target; 2026/27 Q1 103 against 69 in 2025/26 Q1, a
        real rise); now up 17.9% on the same quarter last year (99 against 84), within the
        usual variation, so not a real change, and with no target and no stable chart it
        is rated only on a real change (an improvement only where the year ending bears it
        out)"; for another reason not to rate, that reason ("now too few to tell: small
        numbers (...)").
    """
    then = describe_rating_evidence(was)
    plain = describe_rating_plainly(now, previous_rag=lost)
    for lead in ("no longer rated: ", "not rated: "):
        plain = plain.removeprefix(lead)
    status = str(now.get("spc_status") or "")
    if str(now.get("rag_rule") or "") in NO_SPC_VERDICT_RULES and status in _NO_CHART:
        # The change its sentence opens with (the figure on its comparison and what the
        # tests make of it), as every report prints it.
        change = str(now.get("sentence") or "").split("; ", 1)[0].rstrip(".")
        change = change[:1].lower() + change[1:]
        if lost:
            # The chart that rated it then has lost its stable reference period: the
            # method changed, and the words say so.
            now_words = f"{change}; {plain}" if change else plain
        else:
            rule = (
                f"with no target and {_NO_CHART[status]} it is rated only on a real change "
                "(an improvement only where the year ending bears it out)"
            )
            now_words = f"{change}, and {rule}" if change else rule
    else:
        now_words = plain
    return f"no longer rated: was {previous_rag} ({then}); now {now_words}"
