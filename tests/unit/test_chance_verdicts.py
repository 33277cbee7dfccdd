"""Verdicts that chance must not decide: series built to trip review 4's findings.

Each series is made here with its answer worked out from how it was made, and judged by
:func:`pcplib.assessment.measures.summarise_measure` for the quarter ending September
2026 (baseline year 2024/25), as every report judges it. The findings: a run that began
inside the chart's reference period (F23); a target met or missed within chance (F2,
F9), and the record and assurance that go with it (F10, F12); "improved" below
materiality (F8, F13); a Red on an SPC signal that both tests of change contradict (F11).
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
from verdict_series import CATALOGUE as SHARED_CATALOGUE
from verdict_series import MONTHS, PERIOD_END, QUARTERS, judge_series

from pcplib.assessment.changes import HALF_YEAR

# The catalogue row of these tests: a measure with no seasonal pattern.
CATALOGUE: dict[str, Any] = {**SHARED_CATALOGUE, "seasonal": "no"}


def judge(
    values: Sequence[float | None],
    numerators: Sequence[float] | None = None,
    denominators: Sequence[float] | None = None,
    **measure: Any,
) -> dict[str, Any]:
    """Judge one measure whose values line up with MONTHS or QUARTERS, as reports do."""
    row = {**CATALOGUE, **measure}
    return judge_series(values, row, PERIOD_END, "mdc", numerators, denominators)


# --- F23: a run that began inside the reference period withholds the verdict -------------


def _run_from_reference_period() -> list[float]:
    """20 stable quarters (2020/21 Q1 to 2024/25 Q4) whose last lies above the mean, then 6
    more above it: a run of 7 whose first point is inside the period that set the limits."""
    stable = [48.0, 52.0, 49.0, 51.0, 47.0, 53.0, 50.5, 49.5, 48.5, 51.5,
              52.0, 48.0, 51.0, 49.0, 47.5, 52.5, 50.0, 49.0, 48.0, 52.5]  # fmt: skip
    return stable + [53.0, 52.0, 54.0, 53.0, 52.0, 53.5]


def test_a_run_that_needs_the_reference_period_s_points_gives_no_spc_verdict():
    # The run of 6 is 2024/25 Q4 (inside the limits period) and the 5 quarters after it:
    # without the reference period's own point it is no run, so it is partly that period's
    # drift and gives no verdict (the rule that withholds savings' verdict, applied alike).
    values = _run_from_reference_period()
    values[-1] = 49.0  # the reporting quarter back below the mean: 5 after, not 6
    row = judge(values, frequency="quarterly", aggregation="mean", good_direction="higher",
                unit="percent")  # fmt: skip
    assert row["spc_status"] == "unstable baseline"
    assert row["spc_variation"] is None
    assert "flag points inside the period that set its limits (2024/25 Q4)" in row["spc_withheld"]
    assert row["assessment"] != "improving"


def test_a_run_the_points_after_the_reference_period_make_alone_stays_a_signal():
    # The reference period's last point lies on the side the later run went (a coin's
    # odds), but the 6 quarters after it are a full run on their own: a signal.
    row = judge(_run_from_reference_period(), frequency="quarterly", aggregation="mean",
                good_direction="higher", unit="percent")  # fmt: skip
    assert row["spc_status"] == "assessed"
    assert row["spc_variation"] == "special_cause_improvement"


def test_a_run_wholly_after_the_reference_period_is_still_a_signal():
    values = _run_from_reference_period()
    values[19] = 47.0  # the reference period's last point below the mean: the run starts after
    row = judge(values, frequency="quarterly", aggregation="mean", good_direction="higher",
                unit="percent")  # fmt: skip
    assert row["spc_status"] == "assessed"
    assert row["spc_variation"] == "special_cause_improvement"


# --- F2 / F9 and the one target rule: met, met but close, too close to say, missed ------
# A figure on the right side of its target by less than chance allows is met, but close
# (Green, never "needs attention"); on the wrong side it is too close to say (Amber);
# an administrative figure (an exact count the organisation sets) meets or misses exactly.


def _shares(seed: int, share: float, n: int, last: tuple[int, int]) -> tuple[list, list, list]:
    """Quarterly numerators and denominators drawn binomially, the last quarter fixed."""
    rng = np.random.default_rng(seed)
    dens = [float(n)] * len(QUARTERS)
    nums = [float(rng.binomial(n, share)) for _ in QUARTERS]
    nums[-1], dens[-1] = float(last[0]), float(last[1])
    values = [100 * x / d for x, d in zip(nums, dens, strict=True)]
    return values, nums, dens


def _judge_share(seed: int, share: float, last: tuple[int, int]) -> dict[str, Any]:
    values, nums, dens = _shares(seed, share, 430, last)
    return judge(values, nums, dens, frequency="quarterly", aggregation="mean", unit="percent",
                 good_direction="higher", target=9.0,
                 source="Police recorded crime outcomes")  # fmt: skip


def test_a_share_on_the_right_side_within_chance_is_met_but_close():
    # 43 positive outcomes in 420 (10.2%) against 9.0%, from a process that sits on 9%
    # and meets it in half its quarters: the binomial allowance (about +/- 3 points) holds
    # the target, but the figure meets it. Met, though by less than chance allows: Green,
    # "on track", never "needs attention", and never "within chance" as if unmet.
    row = _judge_share(11, 0.09, (43, 420))
    assert row["rag"] == "Green" and row["rag_close"]
    assert not row["target_within_margin"]
    assert row["assessment"] == "on track"
    assert row["rag_reason"].startswith("target rule: 10.2% meets the target of 9.0%, though ")
    assert row["rag_reason"].endswith(": met, but close")
    assert "binomial" in row["rag_reason"]
    assert "target met (9.0%), though by less than the usual variation" in row["sentence"]
    assert "within chance" not in row["sentence"]


def test_a_share_on_the_wrong_side_within_chance_is_too_close_to_say():
    # 35 in 420 (8.3%) against 9.0%: short by less than chance allows, and the record is
    # hit and miss, so neither met nor missed: Amber, under "needs attention" because
    # that is its rating, and never "missed".
    row = _judge_share(11, 0.09, (35, 420))
    assert row["rag"] == "Amber" and not row["rag_close"]
    assert row["target_within_margin"]
    assert row["assessment"] == "needs attention"
    assert (
        "is within chance of the target of 9.0%, neither shown to be met nor missed"
        in row["rag_reason"]
    )
    assert "within chance of the target (9.0%), so not shown to be missed" in row["sentence"]
    assert "target missed" not in row["sentence"]


def test_a_pass_within_chance_by_a_process_that_usually_misses_is_not_shown_met():
    # A process sitting at 7.5% against 9.0% meets it in few quarters; 9.5% this quarter
    # is inside chance of the target: the pass may be chance, so Amber, not shown to be met.
    row = _judge_share(11, 0.075, (40, 420))
    assert row["rag"] == "Amber" and not row["rag_close"]
    assert row["target_within_margin"]
    assert "meets the target of 9.0% this period, but within chance of it" in row["rag_reason"]
    assert "less often than a process sitting on the target would" in row["rag_reason"]
    assert "so not shown to be met" in row["sentence"]


def test_the_public_page_says_met_but_close_or_too_close_to_call():
    from pcplib.assessment.public import group_for_public, write_public_sentence
    from pcplib.assessment.public_targets import say_target as _target_words

    row = _judge_share(11, 0.09, (43, 420))
    # Its synthetic baseline year met the target too: a standard kept (review 21, R21-12).
    assert _target_words(row) == (
        "Meets its target of 9.0%, as it already did on average in the plan's baseline year "
        "(2024/25), "
        "though by less than the usual ups and downs."
    )
    assert group_for_public(row) == "achieved"
    assert "baseline year (2024/25), though by less" in write_public_sentence(row)
    # On course for a dated target, by less than chance allows.
    course = {**row, "rag_basis": "trajectory", "target_date": "2029-03", "target_final": 12.0}
    assert _target_words(course) == (
        "On course for its target of 12.0% for March 2029 (9.0% expected by now), though by less "
        "than the usual ups and downs."
    )
    row = _judge_share(11, 0.09, (35, 420))
    assert _target_words(row) == "Too close to its target of 9.0% to say whether it was met."
    assert group_for_public(row) == "needs attention"
    row = {**row, "rag_basis": "trajectory", "target_date": "2029-03"}
    assert _target_words(row) == (
        "Too close to the course set for its target for March 2029 (9.0% by now) to say "
        "whether it is on course."
    )


def test_a_share_far_beyond_chance_of_its_target_is_still_met():
    row = _judge_share(11, 0.09, (70, 420))  # 16.7% against 9.0%
    assert row["rag"] == "Green"
    assert not row["target_within_margin"] and not row["rag_close"]


def _ksi(last: list[float]) -> list[float]:
    rng = np.random.default_rng(12)
    values = [float(v) for v in rng.poisson(30, len(MONTHS))]
    values[-3:] = last
    return values


def test_a_count_under_its_ceiling_within_chance_is_met_not_needing_attention():
    # 84 casualties in the quarter against at most 90 (30 a month), from a process that
    # averages 30: the Poisson allowance (about +/- 18) holds the target, but 84 meets an
    # "at most 90" target. It was once listed under "What still needs attention" as "too
    # close to its target to say whether it was met".
    from pcplib.assessment.public import group_for_public, write_public_sentence

    row = judge(_ksi([27.0, 28.0, 29.0]), target=30.0)
    assert row["rag"] == "Green" and row["rag_close"]
    assert not row["target_within_margin"]
    assert "Poisson" in row["rag_reason"]
    assert row["assessment"] == "on track"
    assert group_for_public(row) == "achieved"
    sentence = write_public_sentence(row)
    assert (
        "Within its target of at most 90, as it already was on average in the plan's baseline "
        "year (2024/25), though by less than the usual ups and downs."
    ) in sentence
    assert "Too close" not in sentence


def test_a_count_over_its_ceiling_within_chance_is_too_close_to_say():
    from pcplib.assessment.public import group_for_public, write_public_sentence

    row = judge(_ksi([31.0, 32.0, 33.0]), target=30.0)  # 96 against at most 90
    assert row["rag"] == "Amber" and row["target_within_margin"]
    assert row["assessment"] == "needs attention"
    assert group_for_public(row) == "needs attention"
    assert "Too close to its target of 90 to say whether it was met." in write_public_sentence(row)


def test_the_plan_overview_gives_the_same_verdict():
    from pcplib.report.overview import format_rating_basis

    basis = format_rating_basis(judge(_ksi([27.0, 28.0, 29.0]), target=30.0))
    assert basis.startswith("target: 84 against 90, met, though by less than chance allows (+/- ")
    basis = format_rating_basis(judge(_ksi([31.0, 32.0, 33.0]), target=30.0))
    assert basis.startswith("target: 96 against 90, within chance of it (+/- ")
    assert basis.endswith("so neither shown to be met nor missed")


def test_the_board_lists_say_met_but_close_and_too_close_alike():
    from pcplib.assessment.exceptions import describe_rating_plainly, list_improvements

    met = judge(_ksi([27.0, 28.0, 29.0]), target=30.0)
    assert describe_rating_plainly(met) == (
        "target met (84 against 90), though by less than the usual variation"
    )
    # A pass by less than chance allows, with nothing else better, is no improvement:
    # not under "What improved" (review 10, R10-4; review 11: the killed or seriously
    # injured count met by less than chance allows had been listed there).
    listed = list_improvements(SimpleNamespace(measures=pd.DataFrame([met])))  # type: ignore[arg-type]
    assert listed.empty
    # Better than a year earlier as well, it is listed for that, its pass said as it is.
    better = met | {"judgement": "improved"}
    listed = list_improvements(SimpleNamespace(measures=pd.DataFrame([better])))  # type: ignore[arg-type]
    assert listed["reason"].iloc[0] == (
        "better than a year earlier; target met, though by less than the usual variation"
    )
    close = judge(_ksi([31.0, 32.0, 33.0]), target=30.0)
    assert describe_rating_plainly(close) == "within chance of its target (96 against 90)"


def test_a_count_well_under_its_target_is_green():
    row = judge(_ksi([15.0, 16.0, 14.0]), target=30.0)
    assert row["rag"] == "Green"
    assert not row["target_within_margin"] and not row["rag_close"]


def _hours(last: list[float], level: float = 355.0) -> list[float]:
    """Opening hours a week, averaging ``level`` with month-to-month noise of about 5."""
    rng = np.random.default_rng(13)
    values = [float(v) for v in np.round(rng.normal(level, 5, len(MONTHS)), 1)]
    values[-3:] = last
    return values


def test_administrative_hours_meet_their_target_exactly():
    # 361 opening hours a week against at least 360: the hours are what the schedules
    # set, counted in full, so they meet it, with no allowance for chance; the months
    # before sit about it (level 361), so the record shows no side.
    row = judge(_hours([360.0, 362.0, 361.0], level=361.0), unit="hours", aggregation="mean",
                good_direction="higher", target=360.0, administrative="yes")  # fmt: skip
    assert row["rag"] == "Green"
    assert not row["target_within_margin"] and not row["rag_close"]
    assert not row["rag_capped"] and row["target_process"] == ""
    assert row["rag_chance"] is None
    assert row["rag_reason"] == "target rule: 361 hours meets the target of 360 hours"
    assert row["assessment"] == "on track"
    # 359 misses it exactly: narrowly, within the tolerance, never "too close to say".
    row = judge(_hours([358.0, 360.0, 359.0]), unit="hours", aggregation="mean",
                good_direction="higher", target=360.0, administrative="yes")  # fmt: skip
    assert row["rag"] == "Amber" and not row["target_within_margin"]
    assert "target narrowly missed (360 hours)" in row["sentence"]


def test_administrative_hours_met_against_their_record_are_met_but_not_reliably():
    # Counted in full means no sampling error, not no month-to-month variation (review
    # 10, R10-4): 361 hours this quarter, but about 355 in the months before, so the
    # record (the sign test the SPC assurance reads) shows it usually missed. Met, but
    # not reliably: Amber, needs attention, never "on track" nor an improvement.
    from pcplib.assessment.change_chance import classify_target_standing
    from pcplib.assessment.exceptions import describe_rating_plainly
    from pcplib.assessment.public_targets import say_target

    row = judge(_hours([360.0, 362.0, 361.0]), unit="hours", aggregation="mean",
                good_direction="higher", target=360.0, administrative="yes")  # fmt: skip
    assert row["target_process"] == "missed"
    assert row["rag"] == "Amber" and row["rag_capped"] and row["rag_cap"] == "record_missed"
    assert not row["target_within_margin"] and row["rag_chance"] is None
    assert row["rag_reason"].startswith(
        "target rule: 361 hours meets the target of 360 hours, but not reliably: counted in "
        "full, yet it was met in "
    )
    assert row["assessment"] == "needs attention"
    assert classify_target_standing(row) == "met, but not reliably"
    count = row["target_record_count"]
    assert (
        count
        and f"target met (360 hours), but not reliably: met in only {count}" in (row["sentence"])
    )
    assert describe_rating_plainly(row) == (
        f"target met (361 hours against 360 hours), but not reliably: met in only {count}"
    )
    assert say_target(row) == (
        f"Meets its target of 360 hours, but not reliably: met in only {count}."
    )


def test_a_record_since_a_shift_is_said_in_plain_words_for_the_public_only():
    # Review 15, R15-3: "met in only 4 of 20 months since the shift in February 2025" told
    # the public of a shift the page never explains; the Boards keep the chart's word.
    from pcplib.assessment.change_chance import describe_unreliable_pass
    from pcplib.assessment.exceptions import describe_rating_plainly
    from pcplib.assessment.public_targets import say_target

    row = judge(_hours([360.0, 362.0, 361.0]), unit="hours", aggregation="mean",
                good_direction="higher", target=360.0, administrative="yes")  # fmt: skip
    row["target_record_count"] = "4 of 20 months since the shift in February 2025"
    assert say_target(row) == (
        "Meets its target of 360 hours, but not reliably: met in only 4 of 20 months since "
        "its level changed in February 2025."
    )
    assert describe_rating_plainly(row).endswith(
        "but not reliably: met in only 4 of 20 months since the shift in February 2025"
    )
    assert "shift" in describe_unreliable_pass(row)
    assert "shift" not in describe_unreliable_pass(row, public=True)


def test_the_same_hours_as_a_process_are_judged_on_chance_and_its_record():
    # Not administrative: 361 is inside the series' common-cause variation of 360, and the
    # record (met in 8 of 38 months) puts the process below it: the pass may be chance.
    values = _hours([360.0, 362.0, 361.0])
    for stated in ("no", ""):  # "auto" (empty) makes only a headcount administrative
        row = judge(values, unit="hours", aggregation="mean", good_direction="higher",
                    target=360.0, administrative=stated)  # fmt: skip
        assert row["rag"] == "Amber" and row["target_within_margin"]
        assert "common-cause variation" in row["rag_reason"]


def test_a_headcount_counted_in_full_that_fell_says_it_is_worse_to_the_public():
    # Special constables in post at the quarter end, 87 a year ago and 84 now: counted in
    # full, the fall of 3.4% is a fall, not noise (review 17, R17-9). A resident reads
    # "down 3.4%" under "needs attention" and is told it is the wrong way.
    from pcplib.assessment.public import write_public_sentence

    values = [float(v) for v in np.round(np.linspace(40, 90, len(QUARTERS)))]
    values[-5:] = [87.0, 88.0, 86.0, 80.0, 84.0]
    row = judge(values, frequency="quarterly", aggregation="last", good_direction="higher",
                administrative="yes")  # fmt: skip
    assert (row["judgement"], row["rag"]) == ("deteriorated", "Red")
    assert row["year_ending"] == 84.0  # the quarter end's headcount, not a mean
    sentence = write_public_sentence(row)
    assert sentence.startswith("84, down 3.4% on a year ago. Worse.")
    assert "ups and downs" not in sentence


def test_which_measures_are_administrative():
    from pcplib.assessment.chance import is_administrative

    headcount = {"unit": "count", "aggregation": "last"}
    assert is_administrative(headcount)  # auto: a whole headcount at the period end
    assert not is_administrative({**headcount, "administrative": "no"})
    assert is_administrative({"unit": "hours", "aggregation": "mean", "administrative": "yes"})
    assert not is_administrative({"unit": "hours", "aggregation": "mean", "administrative": ""})
    assert not is_administrative({"unit": "count", "aggregation": "sum"})  # events vary
    assert is_administrative({"unit": "gbp", "aggregation": "sum"})  # money in the books


def test_savings_from_the_books_meet_their_target_exactly():
    # £1,152,640 against £1,000,000 had been "within chance of the target" on a level's
    # noise: money in the ledger is booked, not sampled, so it meets the target.
    rng = np.random.default_rng(16)
    values = [float(v) for v in np.round(rng.normal(1_000_000, 200_000, len(QUARTERS)))]
    values[-1] = 1_152_640.0
    row = judge(values, unit="gbp", frequency="quarterly", aggregation="sum",
                good_direction="higher", target=1_000_000.0)  # fmt: skip
    assert row["rag"] == "Green" and row["rag_chance"] is None
    assert not row["target_within_margin"] and not row["rag_close"]


def test_since_the_last_meeting_never_says_target_newly_met_for_a_figure_within_chance():
    from pcplib.assessment.continuity import _measure_movements

    now = {"measure_id": "m", "measure_name": "A measure", "rag": "Amber",
           "rag_basis": "trajectory", "target_within_margin": True, "assessment": "needs attention",
           "current": 10.2, "target": 8.7, "unit": "percent", "sentence": "",
           "target_for_period": 8.7, "good_direction": "higher", "has_data": True,
           "rag_capped": False, "target_date": "", "rate_per": ""}  # fmt: skip
    before = {"rag": "Red", "rag_basis": "trajectory", "assessment": "needs attention"}
    rows, words = _measure_movements(now, before, "percent")
    assert not any(r["change"].startswith("target newly") for r in rows)
    # A figure beyond chance on the other side still moves the record.
    rows, _ = _measure_movements({**now, "rag": "Green", "target_within_margin": False,
                                  "assessment": "on track"}, before, "percent")  # fmt: skip
    assert any(r["change"] == "target newly met" for r in rows)
    # The previous meeting's judgements.csv holds the flag as text.
    rows, _ = _measure_movements({**now, "rag": "Green", "target_within_margin": False},
                                 {**before, "target_within_margin": "True"}, "percent")  # fmt: skip
    assert not any(r["change"].startswith("target newly") for r in rows)


def test_a_target_missed_then_and_met_now_but_not_reliably_is_listed_not_progress():
    # Review 16, R16-7: opening hours, missed at the last meeting (354 against 360) and
    # met now on a record that usually misses (361), Amber both times, were left out of
    # "Since the last meeting", which promises "targets newly met or missed".
    from pcplib.assessment.board_changes import list_progress
    from pcplib.assessment.continuity import _measure_movements

    now = judge(_hours([360.0, 362.0, 361.0]), unit="hours", aggregation="mean",
                good_direction="higher", target=360.0, administrative="yes")  # fmt: skip
    now |= {"measure_id": "hours", "measure_name": "Opening hours",
            "target_record_count": "4 of 20 months since the shift in February 2025"}  # fmt: skip
    missed = {"rag": "Amber", "rag_basis": "target", "target_standing": "missed",
              "assessment": "needs attention"}  # fmt: skip
    rows, words = _measure_movements(now, missed, "hours")
    assert [r["change"] for r in rows] == ["target newly met, but not reliably"]
    assert (rows[0]["before"], rows[0]["after"]) == ("missed", "met, but not reliably")
    assert rows[0]["reason"] == (
        "361 hours against 360 hours; met in only 4 of 20 months since the shift in February 2025"
    )
    assert words == ["target newly met, but not reliably"]
    # Never progress on the Delivery Board, which reads the same rows.
    changes = pd.DataFrame([{"kind": "measure", **r} for r in rows])
    assert list_progress(changes, pd.DataFrame()) == []
    # Back below the target from such a pass is newly missed; from a reliable pass to an
    # unreliable one the figure met its target both times: no target row.
    unreliable = {**missed, "target_standing": "met, but not reliably"}
    below = {**now, "rag_cap": "", "rag_capped": False, "target_standing": "missed"}
    rows, _ = _measure_movements(below, unreliable, "hours")
    assert [r["change"] for r in rows] == ["target newly missed"]
    met = {**missed, "rag": "Green", "target_standing": "met", "assessment": "on track"}
    rows, _ = _measure_movements(now, met, "hours")
    assert not any(r["change"].startswith("target newly") for r in rows)


# --- F10 / F12: the target's record, its assurance and the margin of error agree ----------


def test_a_survey_within_its_margin_but_missed_for_years_is_missed_and_says_why():
    # 78.9% against 80% (margin +/- 2.8 points) this quarter, and every quarter but the
    # first below the target: the quarter alone cannot show the miss, the record can. The
    # row no longer says "not shown to be missed" beside "missed 25 in a row" (F10).
    rng = np.random.default_rng(14)
    n = 800.0
    shares = [0.82] + list(rng.uniform(0.770, 0.795, len(QUARTERS) - 2)) + [0.789]
    nums = [round(s * n) for s in shares]
    values = [100 * x / n for x in nums]
    row = judge(values, nums, [n] * len(QUARTERS), frequency="quarterly", aggregation="mean",
                unit="percent", good_direction="higher", target=80.0,
                source="Victim satisfaction survey")  # fmt: skip
    assert row["rag"] == "Amber"
    assert not row["target_within_margin"]
    assert "not shown to be missed" not in row["sentence"]
    assert "within chance of it this quarter" in row["rag_reason"]
    # The process decides: its one-sided record since the limits' start, or its sign test.
    reason = row["rag_reason"]
    assert "missed in every quarter since" in reason or "met in 1 of 26 quarters" in reason
    # The record tells the same misses the rating rests on.
    assert "missed" in row["target_record"] and "25" in row["target_record"]


def test_a_recent_run_does_not_make_a_hit_and_miss_target_consistently_met():
    # 999 calls: the process meets 90% about two months in three (limits straddle the
    # target); the latest 7 months all met it. That run comes by chance: the record is a
    # count, the assurance stays within the limits, and nothing forecasts a pass (F12).
    # Met in 28 of 38 months is more often than chance, so it is worded as the record
    # shows, never "by chance" (review 10, R10-15).
    rng = np.random.default_rng(15)
    values = list(np.round(rng.normal(91.5, 3.0, len(MONTHS)), 1))
    values[-10:] = [88.0, 89.0, 91.0, 92.0, 93.0, 91.5, 92.5, 94.0, 93.0, 92.0]
    values[-10] = 87.0
    row = judge(values, unit="percent", aggregation="mean", good_direction="higher",
                target=90.0)  # fmt: skip
    assert row["spc_status"] == "assessed"
    assert row["spc_assurance"] == "inconsistent"
    assert row["spc_assurance_basis"] == "sign test"
    assert row["target_record"].startswith("met in ")
    assert row["assurance_words"].endswith(
        "its limits straddle it, but that is more often than chance would give, though they "
        "do not rule out a miss"
    )
    assert "met in each of the latest" in row["target_record"]
    assert "consistently" not in row["assurance_words"]
    assert "will be met if nothing changes" not in row["assurance_words"]
    # The chart's caption says the same side: never "not reliably met" beside a record
    # met more often than chance (review 13, R13-2).
    assert "not reliably met" not in row["spc_summary"]
    assert (
        "is met more often than chance would give (it lies within the process limits, "
        "but it was met in " in row["spc_summary"]
    )
    assert "), though its limits do not rule out a miss." in row["spc_summary"]


def test_a_record_met_less_often_than_chance_keeps_not_reliably_met_in_its_caption():
    # The mirror: limits that straddle 90% over a process met about one month in four
    # (met in 6 of 38 months, less often than chance would give).
    rng = np.random.default_rng(17)
    values = list(np.round(rng.normal(88.0, 3.0, len(MONTHS)), 1))
    row = judge(values, unit="percent", aggregation="mean", good_direction="higher",
                target=90.0)  # fmt: skip
    assert row["spc_assurance"] == "inconsistent"
    assert row["spc_assurance_basis"] == "sign test"
    assert row["target_process"] == "missed"
    assert "is not reliably met (it lies within the process limits, but " in row["spc_summary"]
    assert "more often than chance" not in row["spc_summary"]


# --- F8 / F13: no "improvement" below materiality, and never beside "needs attention" ----


def test_a_signal_on_a_stock_below_materiality_is_not_an_improvement():
    # A headcount that barely moves month to month has tight limits: one month at 380 on
    # a centre line of about 369 trips the chart, but the quarter is +0.6% on it, below the
    # 2% materiality the tests use (review 4, F13), so it is no improvement.
    rng = np.random.default_rng(21)
    values = list(np.round(369 + rng.normal(0, 1.2, len(MONTHS))))
    values[-3:] = [366.0, 380.0, 368.0]
    row = judge(values, aggregation="last", good_direction="higher")
    assert row["spc"].points["point_type"].iloc[-2] == "special_cause_improvement"
    assert row["spc_variation"] == "common_cause"
    # Both flagged points named, as the chart shows them (review 10, R10-9); the +0.6% is
    # the quarter's average, said as such, beside the furthest point's own +3.0% (review
    # 16, R16-1: "+1.0% on the centre line" had read as August's own size).
    assert row["spc_summary"].startswith(
        "Signal (July 2026 below the lower limit; August 2026 above the upper limit), but too "
        "small to matter (the quarter averages +0.6% on the centre line, below 2%; the "
        "furthest, August 2026, +3.0%), so not called a change."
    )
    assert row["assessment"] != "improving"


def test_a_signal_below_materiality_names_the_period_its_average_is_of():
    # One month far out on a stock whose quarter barely moved: the quarter's average
    # decides (+0.9%), and the flagged month is given its own size beside it (+3.0%).
    rng = np.random.default_rng(21)
    values = list(np.round(369 + rng.normal(0, 1.2, len(MONTHS))))
    values[-3:] = [369.0, 380.0, 368.0]
    row = judge(values, aggregation="last", good_direction="higher")
    assert row["spc_variation"] == "common_cause"
    assert row["spc_immaterial"] == (
        "Signal (August 2026 above the upper limit), but too small to matter (the quarter "
        "averages +0.9% on the centre line, below 2%; August 2026 itself +3.0%), so not "
        "called a change"
    )
    # The quarter to date (two months) is named as such.
    row = {**CATALOGUE, "aggregation": "last", "good_direction": "higher"}
    to_date = judge_series(values, row, "2026-08")
    assert "(the quarter to date averages " in to_date["spc_immaterial"]
    # A period of one point (a quarterly measure) has nothing to average: its own size.
    quarters = list(np.round(369 + rng.normal(0, 1.2, len(QUARTERS))))
    quarters[-1] = 375.0
    one = judge(quarters, frequency="quarterly", aggregation="last", good_direction="higher")
    assert one["spc_immaterial"].startswith("Signal (2026/27 Q2 above the upper limit), but too ")
    assert "averages" not in one["spc_immaterial"] and "itself" not in one["spc_immaterial"]


def test_a_material_signal_is_still_an_improvement():
    rng = np.random.default_rng(21)
    values = list(np.round(369 + rng.normal(0, 1.2, len(MONTHS))))
    values[-3:] = [390.0, 392.0, 391.0]
    row = judge(values, aggregation="last", good_direction="higher")
    assert row["spc_variation"] == "special_cause_improvement"
    assert row["assessment"] == "improving"


def test_a_charge_rate_signal_below_a_point_is_not_an_improvement():
    # A rate of about 8% with small month-to-month noise: a quarter at 8.6% trips the
    # chart, but +0.6 points is below the 1-point materiality (review 4, F8).
    rng = np.random.default_rng(23)
    values = list(np.round(8.0 + rng.normal(0, 0.15, len(MONTHS)), 2))
    values[-3:] = [8.6, 8.6, 8.6]
    row = judge(values, unit="percent", aggregation="mean", good_direction="higher")
    assert row["spc"].points["point_type"].iloc[-1] == "special_cause_improvement"
    assert row["spc_variation"] == "common_cause"
    why = "points on the centre line, below 1 point), so not called a change"
    assert why in row["spc_summary"]
    assert row["assessment"] != "improving"


def test_a_measure_that_needs_attention_is_not_also_listed_as_improved():
    from pcplib.assessment.exceptions import list_improvements

    rng = np.random.default_rng(23)
    values = list(np.round(86.0 + rng.normal(0, 0.8, len(MONTHS)), 1))
    values[-6:] = [89.0, 89.2, 89.1, 89.3, 89.0, 89.2]  # a material rise, short of 90%
    row = judge(values, unit="percent", aggregation="mean", good_direction="higher",
                target=90.0)  # fmt: skip
    assert row["spc_variation"] == "special_cause_improvement"
    assert row["assessment"] == "needs attention"
    summary = SimpleNamespace(measures=pd.DataFrame([row]))
    assert list_improvements(summary).empty  # type: ignore[arg-type]


# --- F11: a Red from SPC alone, which both tests of change contradict ----------------------


def test_an_spc_concern_the_tests_do_not_confirm_is_a_possible_deterioration():
    # Offences drift up by about 4% from a stable reference period: the chart flags a
    # run above its centre line, but neither the quarter on a year earlier nor the 12
    # months on the 12 before finds a change beyond chance (review 4, F11).
    rng = np.random.default_rng(24)
    values = [float(v) for v in rng.poisson(500, len(MONTHS))]
    for i in range(len(MONTHS) - 8, len(MONTHS)):
        values[i] = 522.0 + (i % 2) * 4
    row = judge(values)
    assert row["spc_variation"] == "special_cause_concern"
    assert row["worsening"] != "real"
    assert row["rag"] == "Amber"
    # Told as what the chart and the tests show, never "a possible rise" (review 7, F6).
    assert row["rag_reason"].startswith("harm rule: an SPC concern the tests of change do not")
    assert "possible" not in row["rag_reason"] or row["worsening"] == "possible"
    assert row["assessment"] == "needs attention"
    # Named as what it is, never "a possible rise" that no test shows (review 7, F6),
    # and in public with no "SPC".
    from pcplib.assessment.strategy import roll_up_strategy

    _, why = roll_up_strategy(pd.DataFrame([row]), public=True)
    assert "SPC" not in why
    # The two latest quarters together (about 4.8% up on a year earlier) find the drift
    # possible though no single comparison does: the words name that test's possible
    # rise, never "the tests of change do not confirm" beside it (review 20, R20-1).
    assert row["rag_comparison"] == HALF_YEAR and row["worsening"] == "possible"
    assert "a possible rise" in why and "the tests of change do not confirm" not in why
    # Without the last two quarters' drift beyond chance, the chart's concern stands alone.
    calm = judge(values[:-8] + [510.0, 514.0] * 4)
    assert (calm["spc_variation"], calm["worsening"], calm["rag"]) == (
        "special_cause_concern", "none", "Amber",
    )  # fmt: skip
    _, why = roll_up_strategy(pd.DataFrame([calm]), public=True)
    assert "the tests of change do not confirm" in why


def test_an_spc_concern_the_tests_confirm_is_red():
    rng = np.random.default_rng(24)
    values = [float(v) for v in rng.poisson(500, len(MONTHS))]
    for i in range(len(MONTHS) - 12, len(MONTHS)):
        values[i] = 600.0 + (i % 2) * 4
    row = judge(values)
    assert row["spc_variation"] == "special_cause_concern" and row["worsening"] == "real"
    assert row["rag"] == "Red"


def test_a_signal_kept_despite_a_flagged_reference_point_says_why():
    # Review 5, N4: the rule that keeps the verdict is stated where it is used.
    row = judge(_run_from_reference_period(), frequency="quarterly", aggregation="mean",
                good_direction="higher", unit="percent")  # fmt: skip
    assert row["spc_status"] == "assessed"
    assert (
        "the chart flags 2024/25 Q4, inside the period that set its limits, only as the start "
        "of a run that the points after that period make on their own, so the verdict stands"
    ) in row["spc_summary"]


def test_a_count_within_chance_of_its_target_missed_on_its_record_says_so_everywhere():
    # Review 9, R9-9: 3,495 against at most 3,450 is within chance of it this quarter,
    # but counted missed because the record shows it usually misses; the public sentence,
    # the Board's and the plan overview all say so, never a bare "Above its target".
    from pcplib.assessment.public import write_public_sentence
    from pcplib.report.overview import format_rating_basis

    rng = np.random.default_rng(21)
    values = [float(v) for v in rng.poisson(36, len(MONTHS))]
    values[-3:] = [31.0, 32.0, 31.0]  # 94 against at most 90 (30 a month)
    row = judge(values, target=30.0)
    assert row["rag"] == "Amber" and not row["target_within_margin"]
    assert row["target_process"] == "missed" and row["rag_settled"] is not None
    assert row["target_record"] == "met in 5 of 38 months"
    sentence = write_public_sentence({**row, "measure_name": "Crimes"})
    assert sentence.endswith(
        "Above its target of at most 90: within the usual ups and downs this quarter, but "
        "met in only 5 of 38 months, so counted as missed."
    ), sentence
    assert row["sentence"].endswith(
        f"target narrowly missed (90): within chance of it (+/- {row['rag_settled']:.3g}) this "
        "quarter, but met in only 5 of 38 months, so counted as missed."
    ), row["sentence"]
    basis = format_rating_basis(row)
    assert (
        basis == "target: 94 against 90, missed by 4.4%: within chance, but met in 5 of 38 months"
    ), basis


# --- Issue 26, F4/N7: a change in a figure counted in full has no test of chance ---------


def test_a_change_in_an_administrative_figure_is_a_change_with_no_test_of_chance():
    # Savings had been "possibly improved" and a neighbourhood headcount "better than the
    # plan's baseline year by more than chance": figures counted in full have no chance
    # to rule out; a change is a change, judged against materiality only.
    from pcplib.assessment.evidence import weigh_change
    from pcplib.assessment.figures import Window

    history = pd.DataFrame(
        {"value": [100.0, 140.0, 90.0, 130.0, 95.0, 125.0], "numerator": np.nan,
         "denominator": np.nan}
    )  # fmt: skip
    before, after = Window("a", 1, 3, 100.0, 3, 3), Window("b", 4, 6, 110.0, 3, 3)
    money = {"unit": "gbp", "aggregation": "sum"}
    counted = weigh_change(before, after, history, money)
    assert counted.verdict == "counted change" and counted.real
    assert counted.p_value is None and counted.test == ""
    assert "no test of chance" in counted.reason and "p =" not in counted.reason
    small = weigh_change(before, Window("b", 4, 6, 101.0, 3, 3), history, money)
    assert small.verdict == "below materiality" and small.p_value is None
    # The same change in a figure that is not counted in full is tested, and within noise.
    tested = weigh_change(before, after, history, {**money, "administrative": "no"})
    assert tested.verdict == "within noise" and tested.p_value is not None


def test_no_report_words_a_counted_change_by_chance():
    from pcplib.assessment.exceptions import _improved_basis, describe_rating_plainly
    from pcplib.assessment.vocabulary import (
        describe_change_words,
        describe_disagreement_tail,
        say_chance,
    )
    from pcplib.report.overview import _describe_harm

    row = {
        "baseline_year_words": "the plan's baseline year (2024/25)",
        "since_baseline_judgement": "improved", "spc_status": "assessed",
        "spc_variation": "common_cause", "judgement": "improved", "administrative": True,
    }  # fmt: skip
    # A counted change is no test, so it sets no second verdict against the chart's.
    assert describe_disagreement_tail(row) == ""
    assert "chance" in describe_disagreement_tail({**row, "administrative": False})
    assert _improved_basis(row) == "better than a year earlier"
    assert say_chance({"administrative": "True"}) == "" and say_chance({}) != ""
    assert describe_change_words("no good direction", "up", "counted change", "neutral") == (
        "a rise, no good direction"
    )
    red = {"rag": "Red", "rag_basis": "evidence", "rag_rule": "harm_test", "administrative": True}
    assert "chance" not in describe_rating_plainly(red)
    harm = {**red, "rag_comparison": "the quarter on the same quarter a year earlier",
            "rag_change": "rose"}  # fmt: skip
    assert "chance" not in _describe_harm(harm, "harm_test")
    assert "beyond chance" in _describe_harm({**harm, "administrative": False}, "harm_test")


def test_a_counted_deterioration_is_rated_on_its_size_not_on_chance():
    # Overtime from the payroll, up 10% on a year ago: a real rise, with no test of chance.
    rng = np.random.default_rng(3)
    values = [float(v) for v in np.round(rng.normal(780_000, 20_000, len(MONTHS)))]
    for i in range(1, 4):
        values[-i] = values[-i - 12] * 1.10
    row = judge(values, unit="gbp", aggregation="sum", good_direction="lower", target=None)
    assert row["administrative"] and row["change_evidence"] == "counted change"
    assert row["change_p"] is None and row["judgement"] == "deteriorated"
    assert row["rag"] == "Red" and row["rag_rule"] == "harm_test"
    assert "by enough to matter, counted in full" in row["rag_reason"]
    assert "beyond chance" not in row["rag_reason"] and "p =" not in row["rag_reason"]


def test_the_public_report_tells_a_counted_change_by_its_size():
    from pcplib.assessment.public import write_public_sentence

    row = {
        "measure_name": "Savings", "unit": "gbp", "current": 1_223_901.0,
        "last_year": 1_176_903.0, "change": "+4.0%", "change_value": 4.0, "direction": "up",
        "judgement": "improved", "since_baseline_judgement": "improved",
        "assessment": "improving", "rag": "Green", "rag_basis": "evidence",
        "good_direction": "higher", "spc_variation": "common_cause", "administrative": True,
    }  # fmt: skip
    sentence = write_public_sentence(row)
    assert sentence == "£1,223,901, up 4.0% on a year ago."
    assert "A real improvement" in write_public_sentence({**row, "administrative": False})
