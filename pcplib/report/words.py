"""Fixed wording of the reports: audiences, the method note and the annual tests note."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


NARRATIVE_SECTIONS: tuple[tuple[str, str], ...] = (
    ("progress", "Progress and actions"),
    ("successes", "Successes"),
    ("challenges", "Challenges"),
    ("risks", "Risks to delivery"),
)


AUDIENCE_WORDS = {
    "cgb": "Corporate Governance Board (may include restricted measures)",
    "public": "Public (public measures only)",
}


METHOD_NOTE = (
    "Each measure is either a count of events (offences, calls, admissions, money spent) "
    "or a level (headcounts, percentages, rates, average days). For counts of events, the "
    "current figure is the reporting quarter's total, compared with the baseline year's "
    "quarterly average total (the year's total divided by four) and with the same quarter's "
    "total a year earlier; a monthly target is multiplied by three for the quarter. For "
    "levels, the current figure is the quarter's average, compared with the baseline "
    "year's average and the same quarter's average a year earlier. Annual measures compare "
    "the latest year with the baseline year. Arrows show direction only (▲ up, ▼ down, "
    "► no change, ‡ not measurable); the judgement reads the measure's good direction. "
    "RAG compares the current figure with the target: Green met, Amber missed by up to 5%, "
    "Red missed by more, Grey no target or no data. A strategy's overall RAG is the worst "
    "of its headline measures' ratings, leaving Grey out. Statistical process control "
    "(SPC) uses XmR charts: the process limits (mean ± 2.66 × the average month-to-month "
    "change) show the range normal variation produces; a signal is a point outside the "
    "limits, a run of points on one side of the mean, a sustained rise or fall, or two of "
    "three points near a limit; with fewer than 13 points there are no limits and no "
    "judgement. Where a sustained change has a known cause (such as an uplift in officers), "
    "the limits are recalculated from the date it took effect, once at least 12 points "
    "follow it: each section has its own mean and limits, and the latest one is judged. "
    "Delivery confidence is the share of commitments complete or on track: "
    "90% or more Green, 75% Amber/Green, 50% Amber, 25% Amber/Red, under 25% Red."
)


ANNUAL_TESTS_NOTE = (
    "Counts of events (offences, admissions, calls) are compared as the year's totals, "
    "tested as Poisson rates per month (a rate ratio with its 95% confidence interval). "
    "Percentages with a numerator and denominator are compared as two proportions "
    "(difference in percentage points with its 95% confidence interval, and a Wilson "
    "interval for the year). Levels (headcounts, rates, average days, scores, percentages "
    "without a numerator and denominator) and amounts of money are compared as averages or "
    "totals with no test: a test for counts of events does not apply to them. A change is "
    "called significant when p < 0.05."
)
