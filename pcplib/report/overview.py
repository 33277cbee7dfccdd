"""The plan overview table and the Table One back test as HTML."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from pcplib import periods
from pcplib.assessment.chance import describe_settled_miss
from pcplib.assessment.change_chance import describe_unreliable_pass
from pcplib.assessment.changes import HALF_YEAR
from pcplib.assessment.chart_caveats import say_quarter_spike
from pcplib.assessment.figures import UNLIKE_BASELINE
from pcplib.assessment.harm import describe_grey_rule
from pcplib.assessment.overview import arrow_words, rebuild_table_one
from pcplib.assessment.scope import parse_month_param
from pcplib.assessment.vocabulary import say_chance, say_continued_change, say_small_close
from pcplib.labels import format_figures, is_missing, month_words, plural
from pcplib.report.html import build_table, esc, format_rag_html, with_note, wrap_table_rows


def format_plan_overview_caption(period_end: str) -> str:
    """Return the plan overview table's caption, naming the quarter and last month in words.

    Parameters
    ----------
    period_end : str
        The last month of data shown, ``YYYY-MM``.

    Returns
    -------
    str
        Such as ``"2026/27 Q2, data to the end of September 2026"``; each mission's
        table caption starts with the mission's name and its count of ratings.
    """
    end = parse_month_param(period_end, "period_end")
    # The page's heading names the plan; the caption is kept to one line, so each
    # mission fits its screen.
    return f"{periods.label_quarter(end.to_timestamp())}, data to the end of {month_words(end)}"


def _outside_words(value: object) -> str:
    """The areas-outside cell: "1 of 9 local authorities", or that there is no comparison."""
    if is_missing(value) or not str(value):
        return "no figures by area"
    return f"{value} local authorities"


def _points(text: object) -> str:
    """A change as the overview prints it: percentage points spelt "points", never "pp"."""
    return str(text or "").replace(" pp", " points").replace("percentage points", "points")


def _figures(values: list[object], m: dict) -> list[str]:
    """Figures as the overview prints them: a percentage to one decimal (review 1, B1).

    A survey's or an average's percentage carries no more precision than a tenth of a
    point, so "80.275% against 79.650%" prints as "80.3% against 79.7%". Two different
    percentages that would print alike keep the decimals that tell them apart
    (:func:`~pcplib.labels.format_figures`): a change is never printed beside two equal
    figures ("+0.1 points (21.30% against 21.25%)", not "(21.3% against 21.3%)").
    """
    unit = str(m["unit"])
    per = "" if is_missing(m.get("rate_per")) else str(m.get("rate_per") or "")
    if unit == "percent":
        rounded = [v if is_missing(v) else round(float(str(v)), 1) for v in values]
        shown = [(float(str(v)), r) for v, r in zip(values, rounded, strict=True)
                 if not is_missing(v)]  # fmt: skip
        if len({r for _, r in shown}) == len({v for v, _ in shown}):
            values = rounded
    return format_figures(values, unit, per=per)


def _month(value: object) -> str:
    return month_words(periods.parse_month(str(value)))


def _flag(value: object) -> bool:
    """A yes/no column of the overview frame: missing (a row with no measure) is no."""
    return not is_missing(value) and bool(value)


def _basis_figures(m: dict) -> str:
    """The figures a rating rests on, when its basis text does not already give them.

    A target's or trajectory's basis names the figure and the target; a harm found on
    one comparison shows that comparison's two figures; an SPC concern the period that
    set the limits; a measure with no target and no deterioration the quarter against
    the same quarter a year earlier (the first test of change). A harm found since the
    baseline shows nothing more: the trend beside it has those figures.
    """
    basis = str(m.get("rag_basis") or "")
    if basis in ("target", "trajectory", "none", ""):
        return ""
    rule, comparison = m.get("rag_rule"), m.get("rag_comparison")
    if rule == "harm_test" and comparison == "the year ending on the baseline year":
        return ""
    if rule == "harm_test" and comparison == "the year ending on the year before":
        now, then = _figures([m.get("current"), m.get("year_before")], m)
        return f"{now} against {then}, {_points(m.get('year_ending_change'))}"
    if rule in ("harm_spc", "harm_spc_unconfirmed"):
        start, stop = m.get("spc_limits_from"), m.get("spc_limits_to")
        if is_missing(start) or is_missing(stop) or not str(start) or not str(stop):
            return ""
        return f"limits: {_month(start)} to {_month(stop)}"
    if is_missing(m.get("quarter")) or is_missing(m.get("quarter_before")):
        return ""
    now, then = _figures([m.get("quarter"), m.get("quarter_before")], m)
    # A real change that rests on one month beyond the chart's limits says so beside its
    # figures (review 21, R21-1; assessment.chart_caveats).
    spike = say_quarter_spike(m, usual="the chart's usual range")
    return f"{now} against {then} a year earlier" + (f"; {spike}" if spike else "")


def _scope_words(first: Mapping[str, Any]) -> str:
    """How few headline measures the rating rests on, beside it (empty when enough)."""
    scope = first.get("rating_scope")
    return "" if is_missing(scope) or not scope else f' <span class="small">{esc(scope)}</span>'


def _basis_says_trend(m: Mapping[str, Any]) -> bool:
    """Whether the rating's basis already says the trend's verdict, so it is not said twice.

    A real change against the plan's baseline year that the rating rests on ("test of
    change: rose beyond chance against the plan's baseline year") is the trend printed
    beside it; "Against the plan's baseline year (2024/25): +4.7%, deteriorated" would
    repeat it, in a page that keeps to a screen per mission.
    """
    rule, comparison = m.get("rag_rule"), m.get("rag_comparison")
    return (
        rule in ("harm_test", "tests_improvement")
        and comparison == "the year ending on the baseline year"
        and m.get("judgement") in ("improved", "deteriorated")
    )


def _overview_measure(m: dict) -> str:
    """One headline measure in the overview: its rating on its basis, then its trend.

    The rating comes first with its basis and the figures that basis rests on
    (:func:`format_rating_basis`, :func:`_basis_figures`), so a rating never sits beside
    figures of another basis unexplained; then the trend since the baseline, labelled as
    such, with its two figures.
    """
    baseline, current = _figures([m["baseline"], m["current"]], m)
    change = _points(m.get("change") or m["direction"])
    judgement = "" if m["judgement"] == m["direction"] else f", {m['judgement']}"
    continued = say_continued_change(m)
    judgement = f"{judgement}, {continued}" if continued and judgement else judgement
    if _basis_says_trend(m):
        # The rating's basis says the verdict: the trend gives its figures, and any start
        # before the plan.
        judgement = f", {continued}" if continued else ""
    where = m.get("baseline_words")
    where = m["baseline_label"] if is_missing(where) or not where else where
    trend = (
        f'Against {esc(where)}: <span aria-hidden="true">{esc(m["arrow"])}</span> '
        f"{esc(change)}{esc(judgement)}"
    )
    figures = esc(f"({current} against {baseline})")
    if m.get("baseline_unlike") == UNLIKE_BASELINE[True]:
        # A year to date is set only against the same month of an earlier year, never
        # against the baseline year's year-end figure (review 7, F16).
        now, then = _figures([m["current"], m.get("year_before")], m)
        trend = esc(
            f"Against {m.get('year_before_label') or 'the same month a year earlier'} "
            f"(a year-to-date figure compares only with the same month): "
            f"{_points(str(m.get('year_ending_change') or ''))}"
        )
        figures = esc(f"({now} against {then})")
    areas = ""
    if not is_missing(m.get("areas_outside")) and str(m.get("areas_outside")):
        areas = f"; {_outside_words(m['areas_outside'])} outside the funnel's limits"
    rating = ""
    if not is_missing(m.get("rag")) and str(m.get("rag") or ""):
        basis = format_rating_basis(m)
        shown = _basis_figures(m)
        basis += f" ({shown})" if basis and shown else ""
        rating = f"{format_rag_html(str(m['rag']))} " + (
            f'<span class="small">{esc(basis)}.</span> ' if basis else ""
        )
    disagreement = m.get("evidence_disagreement")
    differ = ""
    if not is_missing(disagreement) and disagreement:
        # The chart and the test against the baseline year differ: a line says so and
        # folds the one sentence that explains it, so each mission keeps to a screen.
        differ = (
            '<details class="differ small"><summary>Chart and baseline-year test differ'
            f"</summary> {esc(disagreement)}</details>"
        )
    status = m.get("status_disagreement")
    if not is_missing(status) and status:
        # An owner's commitment status the figures differ from: folded as the line above,
        # a question for the owners, so the Board never reads two unreconciled verdicts.
        differ += (
            '<details class="differ small"><summary>Question for the owners on a promise'
            f"</summary> {esc(status)}</details>"
        )
    return (
        f"<li><strong>{esc(m['measure_name'])}</strong>: {rating}{trend} "
        f'<span class="small">{figures}{esc(areas)}</span>{differ}</li>'
    )


# A harm's basis names the comparison that showed it, so it never reads as a contradiction
# of the trend since the baseline printed beside it (the comparisons of
# assessment.changes.weigh_worsening and weigh_improvement).
_COMPARISON_WORDS = {
    "the quarter on the same quarter a year earlier": "on the same quarter a year earlier",
    "the year ending on the year before": "over the year ending",
    "the year ending on the baseline year": "against the plan's baseline year",
    HALF_YEAR: "over the two latest quarters",
}
# The basis of each rule that rests on no figures of its own (assessment.targets
# RATING_RULES); the target rule and a test of change are built from their fields.
_RULE_WORDS = {
    "trend": "not rated: a trend",
    "no_figure": "no figure for the period",
    "harm_spc": "SPC: a concern this quarter",
    "harm_possible": "a possible {move}",
    "harm_spc_unconfirmed": "SPC: a concern this quarter the tests of change do not confirm",
    "no_deterioration": "no target; tests and SPC: no deterioration",
    "tests_only": "no SPC verdict: tests only",
    "not_rated": "no SPC verdict and no target: not rated",
    "outcomes_open": "short of its target while its latest outcomes are open: not rated yet",
}


def _describe_harm(m: Mapping[str, Any], rule: str) -> str:
    """A real deterioration's basis: the test of change and its comparison, or SPC."""
    if rule == "harm_test":
        words = _COMPARISON_WORDS[str(m["rag_comparison"])]
        if not say_chance(m):
            # Counted in full (administrative): a change that matters, with no test.
            return f"change: {m['rag_change']} by enough to matter, counted in full, {words}"
        return f"test of change: {m['rag_change']} beyond chance {words}"
    return _RULE_WORDS[rule]


def _describe_target(m: Mapping[str, Any]) -> str:
    """A target's or trajectory's basis: the figure against it, met or missed by how much."""
    on_course = _flag(m.get("target_baseline_met"))
    # A dated target the baseline year already met is judged as the target itself.
    kind = "target" if on_course else str(m["rag_basis"])
    expected = " expected by now" if kind == "trajectory" else ""
    against = f"{kind}: {m['rag_figure']} against {m['rag_goal']}{expected}"
    chance = m.get("rag_chance")
    points = " points" if str(m["unit"]) == "percent" else ""
    close = _flag(m.get("rag_close")) and str(m.get("rag")) == "Green"
    if close and not on_course:
        # On the right side by less than chance allows (assessment.chance): met, but
        # close; the one rule every report reads, never "neither met nor missed".
        met = "on course" if kind == "trajectory" else "met"
        small = say_small_close(m, " on numbers this small")
        return (
            f"{against}, {met}, though by less than chance allows{small} "
            f"(+/- {float(str(chance)):.3g}{points})"
        )
    if chance is not None and not is_missing(chance) and not close:
        # Within chance of the target (assessment.chance): neither met nor missed.
        return (
            f"{against}, within chance of it (+/- {float(str(chance)):.3g}{points}), so "
            "neither shown to be met nor missed"
        )
    if not is_missing(m.get("rag_shortfall")):
        shortfall = float(m["rag_shortfall"])
        within = m.get("rag_margin")
        if not is_missing(within):
            # A survey's shortfall inside its margin of error (assessment.targets): not
            # shown to be missed, as the public page says, never "missed" alone.
            return (
                f"{against}, {shortfall:.1f} points short, within the survey's margin of "
                f"error (+/- {float(str(within)):.1f} points), so not shown to be missed"
            )
        by = f"{shortfall:.1f} points" if str(m["unit"]) == "percent" else f"{shortfall:.1%}"
        # Within chance of it, but counted missed on its process: said, as the public
        # report says it (review 9, R9-9).
        settled = describe_settled_miss(m, plain=False, short=True)
        return f"{against}, missed by {by}" + (f": {settled}" if settled else "")
    met = f"{against}, met"
    if on_course:
        seasonal = (
            " (a seasonal measure, judged on the year ending)"
            if _flag(m.get("target_on_year"))
            else ""
        )
        met = (
            f"{m['rag_figure']} is within the target of {m['rag_goal']}{seasonal}; not due "
            f"until {_month(m['target_date'])}, and the baseline year already met it, so it "
            "is on course, not yet met"
        )
        if close:
            met += f", though by less than chance allows (+/- {float(str(chance)):.3g}{points})"
    unreliable = describe_unreliable_pass(m)
    if unreliable:
        return f"{met}, {unreliable}"
    if m.get("rag_cap"):
        return f"{met}; capped: {_describe_harm(m, str(m['rag_cap']))}"
    return met


def format_rating_basis(measure: Mapping[str, Any]) -> str:
    """Return a measure's rating basis in a few words, for the one-page overview.

    Each starts with what the rating rests on (issue 26: every rating shows its basis):
    "target", "trajectory", "test of change", "SPC", "tests and SPC" (of change), or "not
    rated"; a target's and a trajectory's then give the figure against it. A change in a
    percentage is in points, any other in per cent.

    Parameters
    ----------
    measure : mapping
        The measure's row of the overview (or of the measures' summary): the rule and
        figures behind its rating as fields (``rag_rule``, ``rag_figure``, ``rag_goal``,
        ``rag_shortfall``, ``rag_margin``, ``rag_comparison``, ``rag_change``,
        ``rag_cap``, with ``rag_basis``, ``unit``, ``target_baseline_met``,
        ``target_on_year`` and ``target_date``: see
        :data:`~pcplib.assessment.targets.RATING_RULES`), never the words of its reason.

    Returns
    -------
    str
        Such as ``"target: 368 against 360, met"``, ``"target: 52.4% against 55.0%,
        missed by 2.6 points"`` (inside a survey's margin of error: ``"..., 2.6 points
        short, within the survey's margin of error (+/- 5.1 points), so not shown to be
        missed"``), ``"test of change: rose beyond chance on the same quarter a year
        earlier"`` (``"fell"`` for a measure that should grow), ``"SPC: a concern this
        quarter"``, ``"no target; tests and SPC: no deterioration"``; empty when the
        measure has no rule.
    """
    rule = measure.get("rag_rule")
    if is_missing(rule) or not str(rule):
        return ""
    rule = str(rule)
    if rule == "target":
        return _describe_target(measure)
    if rule == "harm_test" or rule == "harm_spc":
        return _describe_harm(measure, rule)
    if rule == "harm_possible":
        # The worse way the assessment read from the good direction: "a possible fall"
        # where higher is good (review 10, R10-14).
        move = "fall" if measure.get("rag_change") == "fell" else "rise"
        if measure.get("rag_comparison") == HALF_YEAR:
            real = measure.get("half_year_judgement") == "deteriorated"
            grade = f"a {move} beyond chance" if real else f"a possible {move}"
            return f"test of change: {grade} over the two latest quarters"
        return _RULE_WORDS[rule].format(move=move)
    comparison = _COMPARISON_WORDS.get(str(measure.get("rag_comparison") or ""))
    if rule == "harm_spc_unconfirmed" and comparison:
        # Amber on a possible rise that a test found, beside the chart's concern: the
        # basis the strategy report gives ("rated Amber for a possible rise"), never
        # "the tests of change do not confirm" alone (review 18, R18-8: shoplifting).
        move = "fall" if measure.get("rag_change") == "fell" else "rise"
        return f"test of change: a possible {move} {comparison}, and an SPC concern this quarter"
    if rule in _RULE_WORDS:
        return _RULE_WORDS[rule]  # the table's short forms, open outcomes' among them
    grey = describe_grey_rule(measure)
    if grey:
        # Small numbers, no comparable baseline, a target that asks for nothing: said
        # from one place for every report (assessment.harm).
        return grey
    if rule == "tests_improvement":
        words = _COMPARISON_WORDS[str(measure["rag_comparison"])]
        return f"no SPC verdict: tests only, and no target; improved beyond chance {words}"
    return _RULE_WORDS[rule]


def _count_ratings(ratings: list[str]) -> str:
    counts = {r: ratings.count(r) for r in dict.fromkeys(ratings)}
    return ", ".join(f"{n} {r}" for r, n in counts.items())


def _delivery_cell(first: pd.Series) -> str:
    """Projected delivery as the strategy report gives it: the share of counted commitments."""
    overdue = int(first.get("overdue", 0) or 0) if "overdue" in first else 0
    waiting = int(first.get("not_yet_due", 0) or 0) if "not_yet_due" in first else 0
    extra = (f"; {overdue} overdue" if overdue else "") + (
        f"; {waiting} not yet due" if waiting else ""
    )
    if is_missing(first["projected_delivery"]):
        return format_rag_html("Grey") + esc(
            " no commitment due yet" + extra if waiting else " no commitments"
        )
    return with_note(
        f"{format_rag_html(first['delivery_rag'])} {first['projected_delivery']:.0f}%",
        f"of {plural(int(first['commitments']), 'commitment')} counted{extra}",
    )


OVERVIEW_SCOPE = {
    "board": (
        'For the Board: "But:" beside a rating names what it alone would hide: a Red '
        "measure (restricted ones too), an overdue commitment or Board action, or a high "
        "risk."
    ),
    "public": (
        'Public version: public measures only. Beside each strategy\'s rating, "But:" '
        "names a Red public measure or an overdue commitment the rating alone would hide; "
        "restricted measures, risks and the Board's actions are left out, so the Board's "
        "version may name more."
    ),
}
"""What the overview's "But:" notes hold for each audience, said above its tables."""


def format_plan_overview(df: pd.DataFrame, caption: str, audience: str = "board") -> str:
    """Return the plan overview: one compact section per mission, one row per strategy.

    Parameters
    ----------
    df : pandas.DataFrame
        From :func:`build_plan_overview`.
    caption : str
        The start of each mission table's caption (the mission's name follows it).
    audience : {"board", "public"}, default "board"
        The audience it was built for: the page says what its "But:" notes hold
        (:data:`OVERVIEW_SCOPE`).

    Returns
    -------
    str
        HTML: what the "But:" notes hold for the audience, then per mission, a heading,
        the count of its strategies by overall rating, and a table with each strategy's
        overall rating (word and colour) with what it alone would hide beside it
        (``rating_note``), its headline measures, each with its rating and the basis of it
        (:func:`format_rating_basis`) and its trend against the plan's baseline year
        (arrow, change and judgement, with the two figures, and the one sentence where the
        SPC verdict disagrees), and projected delivery with its count of counted, overdue
        and not yet due
        commitments. Each section fits one screen of 1280 x 800.
    """
    head = [
        "Strategy: overall RAG",
        "Headline measures: rating, its basis and figures; the trend against the plan's "
        "baseline year",
        "Projected delivery",
    ]
    if audience not in OVERVIEW_SCOPE:
        raise ValueError(f"audience {audience!r}: expected one of {', '.join(OVERVIEW_SCOPE)}")
    parts = [f'<p class="small">{esc(OVERVIEW_SCOPE[audience])}</p>']
    for mission_name, mission in df.groupby("mission_name", sort=False):
        rows = []
        ratings = []
        for _, group in mission.groupby("strategy_id", sort=False):
            first = group.iloc[0]
            ratings.append(str(first["current_rag"]))
            delivery = _delivery_cell(first)
            measures = [m for m in group.to_dict("records") if m["measure_name"]]
            listed = (
                '<ul class="measure-list">'
                + "".join(_overview_measure(m) for m in measures)
                + "</ul>"
                if measures
                else "No public headline measure"
            )
            # What the rating alone would hide sits beside it, never a page away.
            note = str(first.get("rating_note") or "") if "rating_note" in first else ""
            note = "" if is_missing(note) else note
            hidden = f' <span class="small rating-note">{esc(note)}</span>' if note else ""
            hidden = _scope_words(first) + hidden
            rows.append(
                f'<tr><th scope="row">{esc(first["strategy_name"])}<br>'
                f"{format_rag_html(first['current_rag'])}{hidden}</th>"
                f"<td>{listed}</td><td>{delivery}</td></tr>"
            )
        # The ratings' count goes in the caption, so a mission takes at most one screen.
        n = len(ratings)
        counted = f"{n} {'strategy' if n == 1 else 'strategies'}: {_count_ratings(ratings)}"
        parts.append(
            f"<h3>{esc(mission_name)}</h3>"
            + wrap_table_rows(head, rows, f"{mission_name} ({counted}): {caption}")
        )
    return "".join(parts)


def format_table_one_section(reference_df: pd.DataFrame) -> str:
    """Rebuild Table One and return it as HTML, labelled with its source.

    Parameters
    ----------
    reference_df : pandas.DataFrame
        From :func:`pcplib.data.reference.load_table_one`.

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
    intro = f"<p><strong>Source:</strong> {esc(source_text)}. Real published figures.</p>"
    return intro + format_table_one(
        rebuilt, "Table One of the previous plan (published figures), with trends recomputed"
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
            if not is_missing(r["baseline_value"])
            else "not available"
        )
        if not is_missing(note) and note:
            baseline = with_note(baseline, note)
        current = (
            f"{r['current_value']:,.0f}" if not is_missing(r["current_value"]) else "not available"
        )
        rows.append(
            [
                esc(r["theme"]),
                esc(r.get("commitments", "")),
                format_rag_html(published_rag)
                + (" (published as Yellow)" if published_rag == "Yellow" else ""),
                esc(r["measure"]),
                baseline,
                esc(current),
                f"{esc(r['published_trend'])} ({esc(arrow_words(r['published_trend']))})",
                f"{esc(r['recomputed_trend'])} ({esc(r['direction'])})",
                "Yes" if r["matches"] else "<strong>No</strong>",
                esc(f"{r['projected_delivery']}%" if "projected_delivery" in r else ""),
            ]
        )
    matched = int(rebuilt["matches"].sum())
    total = len(rebuilt)
    verdict = (
        f"All {total} recomputed trends match the published ones."
        if matched == total
        else f"{matched} of {total} recomputed trends match the published ones."
    )
    return build_table(head, rows, caption, row_headers=False) + f"<p>{esc(verdict)}</p>"


def format_table_one_markdown(reference_df: pd.DataFrame) -> str:
    """Return the Table One back test as the Markdown of ``docs/table-one-backtest.md``.

    The plan overview used to carry this back test; it is a check of the arithmetic, not
    something a reader of the overview needs, so it lives in the documentation and the
    tests (``tests/backtests``), which also check that the document is this function's
    output for the reference file.

    Parameters
    ----------
    reference_df : pandas.DataFrame
        From :func:`pcplib.data.reference.load_table_one`.

    Returns
    -------
    str
        The document: how the trends are rebuilt, the source, one table row per published
        row (21) with the published and recomputed trend, and the count of matches.
    """
    rebuilt = rebuild_table_one(reference_df)
    sources = sorted({str(v) for v in rebuilt.get("source", []) if str(v).strip()})

    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").strip()

    def number(value: object) -> str:
        return f"{value:,.0f}" if not is_missing(value) else "not available"

    lines = [
        "# Back test: Table One of the previous plan rebuilt",
        "",
        "Table One of the March 2024 delivery report (`data/reference/table_one_2021_24.csv`,",
        "real published figures) is rebuilt with `pcplib`: each trend arrow is recomputed from",
        "the published baseline and current value with `pcplib.metrics.direction` and",
        "`pcplib.metrics.arrow` (`pcplib.assessment.overview.rebuild_table_one`), the rules",
        "every report's arrows follow. It shows that `pcplib` reads baselines, current values",
        "and arrows the way the published reports did. It used to be printed in the plan",
        "overview; it is a test, not a report, so it is kept here and in",
        "`tests/backtests/test_table_one_backtest.py`, which rebuilds the table and checks",
        "that this page is what `pcplib.report.overview.format_table_one_markdown` writes.",
        "",
        f"Source: {'; '.join(sources) or 'not recorded'}.",
        "",
        "| Theme | Measure | Baseline 2020/21 | Current (end of 2023) | Published trend "
        "| Recomputed trend | Match |",
        "|---|---|---:|---:|:---:|:---:|:---:|",
    ]
    for r in rebuilt.to_dict("records"):
        baseline = number(r["baseline_value"])
        note = r.get("baseline_note")
        if not is_missing(note) and str(note).strip():
            baseline += f" ({cell(note)})"
        lines.append(
            f"| {cell(r['theme'])} | {cell(r['measure'])} | {baseline} "
            f"| {number(r['current_value'])} | {cell(r['published_trend'])} "
            f"({arrow_words(r['published_trend'])}) | {r['recomputed_trend']} "
            f"({r['direction']}) | {'yes' if r['matches'] else '**no**'} |"
        )
    matched, total = int(rebuilt["matches"].sum()), len(rebuilt)
    verdict = (
        f"All {total} recomputed trends match the published ones."
        if matched == total
        else f"{matched} of {total} recomputed trends match the published ones."
    )
    return "\n".join([*lines, "", verdict, ""])
