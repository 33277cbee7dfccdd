"""Confidence intervals and tests of change, each with a plain-English verdict.

The documented statistics API (docs/methodology.md, "Tests of change (annual
evaluation)"). The reports use ``wilson_interval`` (the annual evaluation's interval
about a year's share); the two tests are for an analyst's own comparison, the reports'
tests of change being those of :mod:`pcplib.assessment.evidence`, which allow for a
series' own variation:

- ``wilson_interval``: a survey proportion with its Wilson score interval
  (statsmodels), optionally widened by a design effect.
- ``compare_proportions``: two independent survey proportions. The survey's
  design effect shrinks each sample to its effective size (n / deff); the
  difference in percentage points gets an Agresti-Caffo interval and the
  matching two-sided test (statsmodels), which always agree with each other.
- ``compare_counts``: two counts (offences, incidents) as Poisson rates over
  their exposures. The rate ratio gets an exact conditional interval
  (Clopper-Pearson on the binomial split of the total) and the matching
  two-sided exact test (scipy); they agree, and they cope with a zero count.

No function here is named ``test_*``: pytest would collect it.
"""

from __future__ import annotations

import math
import numbers
import warnings
from dataclasses import dataclass
from typing import Any

# scipy.stats and statsmodels are imported where they are used, not here: every module
# that imports the assessment imports this one, and ``pcp run``'s own process (which
# never tests a change) spent half its start-up importing them (measured with
# ``python -X importtime -c "import pcplib.run"``). The report kernels import them
# once, in the fork server (pcplib.forkserver.PRELOAD).

__all__ = [
    "VERDICTS",
    "ChangeTest",
    "Interval",
    "compare_counts",
    "compare_proportions",
    "format_p_value",
    "wilson_interval",
]

P_EDGES = (0.001, 0.01, 0.05, 0.1)
"""The p-value thresholds a report may compare with: a printed p is never rounded across one."""


def format_p_value(p_value: float) -> str:
    """Write a p-value to three decimals, or more where three would cross a threshold.

    Rounded to three places, 0.0996 prints as 0.100 beside "below 0.1", which reads as a
    contradiction; so a p-value whose rounding lands on the other side of (or on) one of
    :data:`P_EDGES` gets as many more decimals as tell the two apart.

    Parameters
    ----------
    p_value : float
        The p-value.

    Returns
    -------
    str
        ``"p < 0.001"``, ``"p = 0.230"``, ``"p = 0.0996"``, ``"p = 0.0504"``.
    """
    if p_value < 0.001:
        return "p < 0.001"
    for places in range(3, 7):
        shown = round(p_value, places)
        if all(
            (shown < edge) == (p_value < edge) and (shown != edge or p_value == edge)
            for edge in P_EDGES
        ):
            break
    return f"p = {p_value:.{places}f}"


VERDICTS: tuple[str, ...] = (
    "statistically significant increase",
    "statistically significant decrease",
    "no significant change",
)


def _format_percent(confidence: float) -> str:
    return f"{confidence * 100:g}%"


@dataclass(frozen=True)
class Interval:
    """A proportion with its confidence interval, all as fractions (0 to 1).

    Attributes
    ----------
    estimate : float
        The observed proportion.
    low, high : float
        The interval's limits.
    confidence : float
        The confidence level, such as 0.95.
    """

    estimate: float
    low: float
    high: float
    confidence: float

    def describe(self, decimals: int = 1) -> str:
        """Return the interval as text, such as ``"62.0% (95% CI 58.1% to 65.7%)"``.

        Parameters
        ----------
        decimals : int, default 1
            Decimal places of the percentages.

        Returns
        -------
        str
            The estimate and its interval in per cent.
        """
        d = decimals
        return (
            f"{self.estimate * 100:.{d}f}% ({_format_percent(self.confidence)} CI "
            f"{self.low * 100:.{d}f}% to {self.high * 100:.{d}f}%)"
        )


@dataclass(frozen=True)
class ChangeTest:
    """The result of a test of change between a baseline and a current value.

    Attributes
    ----------
    estimate : float
        The size of the change: a difference in percentage points
        (``compare_proportions``) or a rate ratio (``compare_counts``; may be
        infinite when the baseline count is 0).
    low, high : float
        The confidence interval of ``estimate``.
    p_value : float
        Two-sided p-value of the test of no change.
    verdict : str
        ``"statistically significant increase"``, ``"statistically significant
        decrease"`` or ``"no significant change"``.
    measure : str
        What ``estimate`` is: ``"difference in percentage points"`` or ``"rate ratio"``.
    baseline, current : float
        The two values compared: proportions in per cent, or rates per unit of exposure.
    confidence : float
        The confidence level; the verdict is significant when ``p_value < 1 - confidence``.
    method : str
        The method used, named for the methodology notes.
    """

    estimate: float
    low: float
    high: float
    p_value: float
    verdict: str
    measure: str
    baseline: float
    current: float
    confidence: float
    method: str

    @property
    def significant(self) -> bool:
        """Whether the change is statistically significant at the test's confidence level."""
        return self.verdict != "no significant change"

    def describe(self) -> str:
        """Return one sentence for reviewers stating the change, its interval and the verdict.

        Returns
        -------
        str
            Such as ``"From 54.0% to 58.0%: a change of +4.0 percentage points (95%
            confidence interval -9.7 to +17.6; p = 0.57): no significant change."``
        """
        level = _format_percent(self.confidence)
        p_text = format_p_value(self.p_value)
        if self.measure == "rate ratio":
            return (
                f"From {_format_number(self.baseline)} to {_format_number(self.current)}: "
                f"a rate ratio of {_format_ratio(self.estimate)} ({level} confidence interval "
                f"{_format_ratio(self.low)} to {_format_ratio(self.high)}; {p_text}): "
                f"{self.verdict}."
            )
        return (
            f"From {self.baseline:.1f}% to {self.current:.1f}%: a change of "
            f"{self.estimate:+.1f} percentage points ({level} confidence interval "
            f"{self.low:+.1f} to {self.high:+.1f}; {p_text}): {self.verdict}."
        )


def _format_number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _format_ratio(value: float) -> str:
    return "infinity" if math.isinf(value) else f"{value:.2f}"


def _check_number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return number


def _check_confidence(confidence: Any) -> float:
    level = _check_number(confidence, "confidence")
    if not 0 < level < 1:
        raise ValueError(f"confidence must be between 0 and 1 (such as 0.95), got {confidence!r}")
    return level


def _check_sample(successes: Any, n: Any, label: str = "") -> tuple[float, float]:
    x = _check_number(successes, f"successes{label}")
    size = _check_number(n, f"n{label}")
    if size <= 0:
        raise ValueError(f"n{label} (the sample size) must be more than 0, got {n!r}")
    if x < 0:
        raise ValueError(f"successes{label} must be 0 or more, got {successes!r}")
    if x > size:
        raise ValueError(
            f"successes{label} ({successes!r}) cannot be more than the sample size n{label} ({n!r})"
        )
    return x, size


def _check_design_effect(design_effect: Any) -> float:
    deff = _check_number(design_effect, "design_effect")
    if deff < 1:
        raise ValueError(
            f"design_effect must be 1 or more (1 = simple random sample), got {design_effect!r}"
        )
    return deff


def _verdict(p_value: float, confidence: float, increase: bool) -> str:
    if p_value < 1 - confidence:
        return VERDICTS[0] if increase else VERDICTS[1]
    return VERDICTS[2]


def wilson_interval(
    successes: float, n: float, confidence: float = 0.95, design_effect: float = 1.0
) -> Interval:
    """Return a proportion and its Wilson score interval.

    Parameters
    ----------
    successes : float
        Respondents with the characteristic (weighted counts may be fractional).
    n : float
        Respondents asked.
    confidence : float, default 0.95
        The confidence level.
    design_effect : float, default 1.0
        The survey's design effect; the interval uses the effective sample size
        ``n / design_effect``.

    Returns
    -------
    Interval
        The estimate ``successes / n`` and the interval, as fractions.

    Raises
    ------
    ValueError
        If ``n`` is not positive, ``successes`` is negative or more than ``n``,
        ``confidence`` is not between 0 and 1, or ``design_effect`` is under 1.
    """
    x, size = _check_sample(successes, n)
    level = _check_confidence(confidence)
    deff = _check_design_effect(design_effect)
    # Imported as a module so that no name starting "test" sits in this namespace.
    from statsmodels.stats import proportion as sm_proportion

    low, high = sm_proportion.proportion_confint(
        x / deff, size / deff, alpha=1 - level, method="wilson"
    )
    return Interval(estimate=x / size, low=float(low), high=float(high), confidence=level)


def compare_proportions(
    x1: float,
    n1: float,
    x2: float,
    n2: float,
    design_effect: float = 1.0,
    confidence: float = 0.95,
) -> ChangeTest:
    """Test the change between two independent survey proportions.

    Part of the documented statistics API (docs/methodology.md, "Tests of change
    (annual evaluation)"), for an analyst comparing two independent surveys; the reports
    do not call it. Their test of a proportion allows for the series' own variation
    (Laney or quasi-binomial, :func:`pcplib.assessment.evidence.weigh_change`), which
    this one, on the two samples alone, does not, so they cannot call it without
    changing their verdicts.

    Parameters
    ----------
    x1, n1 : float
        Baseline: respondents with the characteristic, and respondents asked.
    x2, n2 : float
        Current: the same for the later survey.
    design_effect : float, default 1.0
        The surveys' design effect; each sample counts as ``n / design_effect``
        respondents (the proportions are unchanged).
    confidence : float, default 0.95
        The confidence level; the change is significant when ``p < 1 - confidence``.

    Returns
    -------
    ChangeTest
        ``estimate`` is current minus baseline in percentage points, with an
        Agresti-Caffo interval and the matching two-sided test.

    Raises
    ------
    ValueError
        If a sample size is not positive, a count is negative or more than its
        sample size, ``design_effect`` is under 1, or ``confidence`` is not between 0 and 1.
    """
    b_x, b_n = _check_sample(x1, n1, "1")
    c_x, c_n = _check_sample(x2, n2, "2")
    deff = _check_design_effect(design_effect)
    level = _check_confidence(confidence)
    from statsmodels.stats import proportion as sm_proportion

    # statsmodels compares its first sample with its second, so current goes first.
    args = (c_x / deff, c_n / deff, b_x / deff, b_n / deff)
    with warnings.catch_warnings():
        # Ratio and odds ratio (unused here) divide by zero when a count is 0.
        warnings.simplefilter("ignore", RuntimeWarning)
        result = sm_proportion.test_proportions_2indep(
            *args, method="agresti-caffo", compare="diff"
        )
        low, high = sm_proportion.confint_proportions_2indep(
            *args, method="agresti-caffo", compare="diff", alpha=1 - level
        )
    difference = (c_x / c_n - b_x / b_n) * 100
    p_value = float(result.pvalue)
    return ChangeTest(
        estimate=difference,
        low=float(low) * 100,
        high=float(high) * 100,
        p_value=p_value,
        verdict=_verdict(p_value, level, difference > 0),
        measure="difference in percentage points",
        baseline=b_x / b_n * 100,
        current=c_x / c_n * 100,
        confidence=level,
        method=f"Agresti-Caffo interval and test, design effect {deff:g}",
    )


def _check_count(value: Any, name: str) -> int:
    number = _check_number(value, name)
    if number < 0 or not number.is_integer():
        raise ValueError(f"{name} must be a whole number, 0 or more, got {value!r}")
    return int(number)


def _check_exposure(value: Any, name: str) -> float:
    number = _check_number(value, name)
    if number <= 0:
        raise ValueError(
            f"{name} must be more than 0 (such as months or population), got {value!r}"
        )
    return number


def compare_counts(
    c1: int,
    c2: int,
    exposure1: float = 1.0,
    exposure2: float = 1.0,
    confidence: float = 0.95,
) -> ChangeTest:
    """Test the change between two counts, treated as Poisson rates.

    Part of the documented statistics API (docs/methodology.md, "Tests of change
    (annual evaluation)"); the reports do not call it. They run the same exact
    conditional test hundreds of times a report and need no interval, so the assessment
    computes its p-value directly from the binomial's distribution functions
    (``_exact_poisson_p`` in :mod:`pcplib.assessment.evidence`; a test holds the two
    p-values equal to nine digits). Calling this instead would change most p-values in
    their last digits and, with its interval, take about a thousand times as long, so
    the two are kept, the test tying them.

    Parameters
    ----------
    c1 : int
        The baseline count.
    c2 : int
        The current count.
    exposure1, exposure2 : float, default 1.0
        What each count is a rate of (months, population in thousands, ...):
        unequal periods or populations are compared fairly.
    confidence : float, default 0.95
        The confidence level; the change is significant when ``p < 1 - confidence``.

    Returns
    -------
    ChangeTest
        ``estimate`` is the rate ratio current / baseline (infinite when ``c1`` is
        0), with an exact conditional (Clopper-Pearson) interval and the matching
        two-sided exact test. ``baseline`` and ``current`` are the rates.

    Raises
    ------
    ValueError
        If a count is negative or not whole, both counts are 0 (there is no
        ratio to test), an exposure is not positive, or ``confidence`` is not
        between 0 and 1.
    """
    base = _check_count(c1, "c1")
    cur = _check_count(c2, "c2")
    e1 = _check_exposure(exposure1, "exposure1")
    e2 = _check_exposure(exposure2, "exposure2")
    level = _check_confidence(confidence)
    total = base + cur
    if total == 0:
        raise ValueError("c1 and c2 are both 0: there is no rate ratio to test")
    # Given the total, the current count is binomial with p = e2*R / (e1 + e2*R),
    # where R is the rate ratio; R = 1 means p0 = e2 / (e1 + e2).
    p0 = e2 / (e1 + e2)
    from scipy import stats as scipy_stats

    binomial = scipy_stats.binom(total, p0)
    # A central two-sided p-value is exactly dual to the Clopper-Pearson interval,
    # so the verdict and the interval never disagree.
    p_value = min(1.0, 2 * min(binomial.cdf(cur), binomial.sf(cur - 1)))
    ci = scipy_stats.binomtest(cur, total).proportion_ci(confidence_level=level, method="exact")

    def to_ratio(p: float) -> float:
        return math.inf if p >= 1 else p * e1 / ((1 - p) * e2)

    estimate = math.inf if base == 0 else (cur / e2) / (base / e1)
    return ChangeTest(
        estimate=estimate,
        low=to_ratio(ci.low),
        high=to_ratio(ci.high),
        p_value=float(p_value),
        verdict=_verdict(float(p_value), level, cur / e2 > base / e1),
        measure="rate ratio",
        baseline=base / e1,
        current=cur / e2,
        confidence=level,
        method="exact conditional test and Clopper-Pearson interval for a ratio of Poisson rates",
    )
