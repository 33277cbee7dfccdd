"""Numbers in the owners' narrative checked against the data set, before publication.

A narrative sentence such as "Vehicle crime fell from 1,815 in 2025/26 Q1 to 1,644 in
2026/27 Q1" makes claims about a measure's figures. Printed unchecked beside a table
that says otherwise, it misleads the Board and the public, so each such claim is checked
and a contradiction is flagged to the author ("narrative for Vehicle offences says 1,644
for 2026/27 Q1; the data set has 1,688"). The rule is written to raise no false alarm:

1. **A claim** is a number written with a **period**: "854,027 kWh in June 2026", "14 in
   2025/26 Q1", "80.9% in the quarter", "66.7% over the quarter", "9.5 days per officer
   in June" (a month without a year is the latest such month up to the narrative's
   quarter; "the quarter" is the narrative's quarter). At most three words may stand
   between the number and its period, and each must be a small word ("per", "a") or a
   word of the measure's name, so "118 young people in the quarter" claims nothing
   about any measure.
2. **Not claims:** years and periods themselves ("2026/27", "June 2026", a whole number
   from 1900 to 2100 without a comma); numbers that belong to a measure's name ("101
   calls answered within 3 minutes"); targets ("the target of 9.0 days", "the 360
   target"); hedged numbers ("about 12%", "over 300", "fewer than 1 in 4"); money and
   numbers with letters attached ("£1.2m", "12m").
3. **The measure** is the one of the narrative's strategy whose name shares the most
   words with the sentence (words compared on their first five letters, common words
   such as "police" or "offences" left out), among the measures whose unit fits the
   number: "%" a percentage, "per 1,000" a rate, "kWh", "tonnes", "days", "hours" those
   units, a bare number a count. A tie keeps every measure tied, and the claim holds if
   any of them agrees.
4. **Agreement allows for rounding:** the claim agrees when the data set's figure for the
   period (the month's observation, or the quarter's or financial year's figure made as
   every report makes it, :func:`pcplib.assessment.figures.compute_window`) rounds to the
   number as written: 9.46 is "9.5"; a whole number ending in zeros is read as rounded to
   its last non-zero digit (1,198 is "1,200"). A percentage or rate pooled from its
   numerators (a quarter's 689/859) also agrees when the claim is the average of the
   period's own percentages, as an owner may have averaged monthly figures ("averaged
   64.2% over the quarter"). A period with no figure is not checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from pcplib import periods
from pcplib.assessment.figures import RATIO_SCALES, Window, aggregation_of, compute_window
from pcplib.assessment.scope import get_series
from pcplib.assessment.targets import meets_target
from pcplib.labels import (
    MONTH_NAMES,
    describe_rate_basis,
    format_figure,
    is_missing,
    label_period_start,
    month_words,
    months_text,
)
from pcplib.periods import month_number

if TYPE_CHECKING:
    from pcplib.data import Dataset

__all__ = [
    "NARRATIVE_CHECK_COLUMNS",
    "Claim",
    "agrees",
    "check_narrative_numbers",
    "find_claims",
    "describe_withheld",
    "format_narrative_corrections",
    "format_narrative_warnings",
    "match_measures",
    "matches_rounded",
    "select_narrative",
    "split_sentences",
    "window_for",
    "withhold_contradicted",
]

NARRATIVE_CHECK_COLUMNS = [
    "strategy_id", "quarter", "section", "measure_id", "measure_name", "said", "period",
    "data_value", "data_shown", "message", "correction", "sentence", "source", "commitment",
]  # fmt: skip
"""Columns of :func:`check_narrative_numbers`: one row per claim the data set contradicts.

``message`` is the warning to the analyst (where the text came from, what it says);
``correction`` the same fact told to the Board as a correction of the owners' text;
``sentence`` the owners' sentence that holds the claim, which a public report withholds
(:func:`withhold_contradicted`); ``source`` where the text came from, ``narrative`` or
``commitments`` (a commitment's activity to date), and ``commitment`` that commitment
(empty for the narrative), so that a reader places each claim without reading its
words."""

# English month names whatever the locale (``calendar.month_name`` follows LC_TIME).
_MONTHS = {name.lower(): i for i, name in enumerate(MONTH_NAMES, start=1)}
_MONTH_NAMES = "|".join(MONTH_NAMES)
_NUMBER = r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_UNIT = r"(?P<unit>%|\s+per 1,000|\s+kWh|\s+tonnes|\s+days|\s+hours)?"
_PERIOD = (
    r"(?:in|over|during|for)\s+(?:the\s+)?"
    rf"(?P<period>quarter\b|(?P<month>{_MONTH_NAMES})(?:\s+(?P<year>\d{{4}}))?\b"
    r"|(?P<fy>\d{4}/\d{2})(?:\s+Q(?P<q>[1-4]))?\b)"
)
_CLAIM = re.compile(
    rf"(?<![\w/.,£-]){_NUMBER}{_UNIT}(?![\w/])(?P<gap>(?:\s+[A-Za-z][\w'-]*){{0,3}}?)\s+{_PERIOD}"
)
# Words that may stand between a number and its period without naming another thing.
_SMALL_WORDS = frozenset({"per", "a", "an", "the", "of", "each", "every"})
# Words before a number that make it approximate or a bound, not a figure.
_HEDGES = re.compile(
    r"(?:about|around|approximately|roughly|nearly|almost|over|under|above|below|some|"
    r"more than|fewer than|less than|up to|at least|at most|c\.|circa|target of|"
    r"allocation of)\s*$",
    re.I,
)
# Words of measure names too common to say which measure a sentence is about.
_COMMON_WORDS = frozenset(
    {
        "police", "force", "forces", "recorded", "offences", "offence", "number", "total",
        "people", "rate", "share", "per", "within", "the", "and", "with", "for", "from",
        "that", "who", "are", "all", "its", "their", "into", "over", "under", "than",
        "whole", "overall", "service", "month", "months", "rolling", "headcount",
    }
)  # fmt: skip
_UNIT_OF = {
    "%": ("percent",),
    "per 1,000": ("rate_per_1000",),
    "kWh": ("kwh",),
    "tonnes": ("tonnes",),
    "days": ("days",),
    "hours": ("hours",),
    "": ("count", "score"),
}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")


def split_sentences(text: object) -> list[str]:
    """Split the owners' text into sentences: a full stop, ! or ? before a capital or digit.

    Every check of the owners' text reads it sentence by sentence through this one rule
    (the number checks here, the claims of change in
    :mod:`pcplib.assessment.change_claims`), so a withheld sentence is the one checked.

    Parameters
    ----------
    text : object
        The text (read as a string).

    Returns
    -------
    list of str
        Its sentences, in order, each with the spaces inside it as written.
    """
    return _SENTENCE_END.split(str(text))


def _stem(word: str) -> str:
    return word.lower()[:5]


def _name_stems(name: str) -> set[str]:
    words = re.findall(r"[A-Za-z][A-Za-z-]+", re.sub(r"\([^)]*\)", " ", name))
    return {_stem(w) for w in words if len(w) >= 3 and w.lower() not in _COMMON_WORDS}


@dataclass(frozen=True)
class Claim:
    """A number the narrative states for a period, as written."""

    said: str
    value: float
    decimals: int
    unit: str
    gap: tuple[str, ...]
    month: pd.Period | None
    quarter: str | None
    year: str | None
    sentence: str


def matches_rounded(value: float, said: float, decimals: int) -> bool:
    """Whether a figure rounds to a number as written (whole numbers ending in zeros too).

    Parameters
    ----------
    value : float
        The data set's figure.
    said : float
        The number the narrative writes.
    decimals : int
        How many decimals it is written with.

    Returns
    -------
    bool
        True when ``value`` rounded to the number's own precision is the number: 9.46
        is "9.5", 1,198 is "1,200" (a whole number's trailing zeros are rounding).
    """
    step = 10.0**-decimals
    if decimals == 0 and said:
        whole = int(round(said))
        while whole % 10 == 0:
            whole //= 10
            step *= 10
    return abs(value - said) <= step / 2 + 1e-9


def _mask_name_numbers(sentence: str, names: list[str]) -> str:
    """Blank out the numbers that belong to a measure's name ("101 calls", "under 25")."""
    for name in names:
        words = name.split()
        for i, word in enumerate(words):
            if not re.fullmatch(r"[\d,]+", word.strip("()")):
                continue
            number = re.escape(word.strip("()"))
            before = re.escape(words[i - 1]) if i else None
            after = re.escape(words[i + 1].strip("()")) if i + 1 < len(words) else None
            if after:
                sentence = re.sub(rf"\b{number}\s+{after}", " # " + words[i + 1], sentence)
            if before:
                sentence = re.sub(rf"{before}\s+{number}(?![\d,])", words[i - 1] + " # ", sentence)
    return sentence


def find_claims(text: str, quarter: str, names: list[str] | None = None) -> list[Claim]:
    """Find every number a narrative text states for a period (see the module's rule).

    Parameters
    ----------
    text : str
        The narrative entry.
    quarter : str
        The narrative's quarter (``"2026/27 Q2"``): "the quarter", and the year of a
        month written without one.
    names : list of str, optional
        The names of the strategy's measures, whose own numbers are not claims.

    Returns
    -------
    list of Claim
        In the order written.
    """
    _, end = periods.parse_quarter(quarter)
    last_month = end.to_period("M")
    claims = []
    for sentence in split_sentences(text):
        masked = _mask_name_numbers(sentence, names or [])
        for m in _CLAIM.finditer(masked):
            number = m["number"]
            value = float(number.replace(",", ""))
            if "," not in number and "." not in number and 1900 <= value <= 2100:
                continue  # a year
            if _HEDGES.search(masked[: m.start()]):
                continue
            if re.match(r"\s*target\b", masked[m.end("unit") if m["unit"] else m.end("number") :]):
                continue
            gap = tuple(w.lower() for w in m["gap"].split())
            if "target" in gap:
                continue
            month = q = fy = None
            if m["period"] == "quarter":
                q = quarter
            elif m["month"]:
                number_of_month = _MONTHS[m["month"].lower()]
                if m["year"]:
                    month = pd.Period(year=int(m["year"]), month=number_of_month, freq="M")
                else:
                    # The latest such month up to the end of the narrative's quarter.
                    year = (
                        last_month.year
                        if number_of_month <= last_month.month
                        else (last_month.year - 1)
                    )
                    month = pd.Period(year=year, month=number_of_month, freq="M")
            elif m["q"]:
                q = f"{m['fy']} Q{m['q']}"
            else:
                fy = m["fy"]
            decimals = len(number.split(".")[1]) if "." in number else 0
            claims.append(
                Claim(
                    said=(number + (m["unit"] or "")).strip(),
                    value=value,
                    decimals=decimals,
                    unit=(m["unit"] or "").strip(),
                    gap=gap,
                    month=month,
                    quarter=q,
                    year=fy,
                    sentence=sentence,
                )
            )
    return claims


def _candidates(claim: Claim, measures: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The measures a claim is about: the best match by name among those of its unit."""
    units = _UNIT_OF.get(claim.unit, ())
    words = {_stem(w) for w in re.findall(r"[A-Za-z][A-Za-z-]+", claim.sentence)}
    scored = []
    for m in measures:
        if str(m["unit"]) not in units:
            continue
        stems = _name_stems(str(m["measure_name"]))
        # Every word between the number and its period must be small or the measure's own.
        if any(w not in _SMALL_WORDS and _stem(w) not in stems for w in claim.gap):
            continue
        score = len(stems & words)
        if score:
            scored.append((score, m))
    if not scored:
        return []
    best = max(score for score, _ in scored)
    return [m for score, m in scored if score == best]


def _figure_for(
    dataset: Dataset, measure: Mapping[str, Any], claim: Claim, pooled: bool = True
) -> tuple[str, Any]:
    """The data set's figure for the claim's period, and the period in words.

    ``pooled`` False gives a percentage's or rate's average of its periods instead of
    the pooled figure every report shows.
    """
    label, window = window_for(dataset, measure, claim, pooled)
    return label, None if window is None else window.value


def window_for(
    dataset: Dataset, measure: Mapping[str, Any], claim: Claim, pooled: bool = True
) -> tuple[str, Window | None]:
    """The data set's window for a claim's period (as every report makes it), and its label.

    None for a period the measure does not report in (a month of a quarterly measure).
    """
    series = get_series(dataset, str(measure["measure_id"]))
    rows = series[series["definition"] == "current"]
    frequency = str(measure["frequency"])
    if claim.month is not None:
        if frequency != "monthly":
            return "", None
        first = last = month_number(claim.month)
        label = month_words(claim.month)
    elif claim.quarter is not None:
        begin, _ = periods.parse_quarter(claim.quarter)
        first = month_number(begin)
        last, label = first + 2, claim.quarter
        if frequency == "annual":
            return "", None
    else:
        begin, _ = periods.parse_financial_year(str(claim.year))
        first = month_number(begin)
        last, label = first + 11, str(claim.year)
    unit = str(measure.get("unit") or "") if pooled else ""
    window = compute_window(rows, first, last, frequency, aggregation_of(measure), label, unit=unit)
    return label, window


def match_measures(claim: Claim, measures: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The measures a claim is about (the module's rule 3); ties all kept."""
    return _candidates(claim, measures)


def agrees(dataset: Dataset, measure: Mapping[str, Any], claim: Claim) -> bool | None:
    """Whether a claim agrees with the data set (rule 4); None when its period has no figure."""
    _, value = _figure_for(dataset, measure, claim)
    if value is None or is_missing(value):
        return None
    return matches_rounded(float(value), claim.value, claim.decimals) or _matches_average(
        dataset, measure, claim
    )


def select_narrative(
    narrative: pd.DataFrame, strategy_id: str | None, quarter: str | None
) -> pd.DataFrame:
    """Return the owners' narrative of one strategy and quarter, for the checks to read.

    Parameters
    ----------
    narrative : pandas.DataFrame
        The data set's narrative.
    strategy_id : str or None
        The strategy; every strategy's when None.
    quarter : str or None
        The quarter (``"2026/27 Q2"``); every quarter's when None.

    Returns
    -------
    pandas.DataFrame
        Its entries, in the narrative's order.
    """
    if strategy_id is not None:
        narrative = narrative[narrative["strategy_id"] == strategy_id]
    if quarter is not None:
        narrative = narrative[narrative["quarter"] == quarter]
    return narrative


def _entries(
    dataset: Dataset, strategy_id: str | None, quarter: str | None, with_commitments: bool
) -> list[dict[str, Any]]:
    """The owners' texts to check: the narrative, then each commitment's activity to date.

    A commitment's activity has no quarter of its own: it is read as of the quarter asked
    for, or the narrative's latest quarter when none is.
    """
    narrative = select_narrative(dataset.narrative, strategy_id, quarter)
    entries = [
        {"strategy_id": e["strategy_id"], "quarter": e["quarter"], "section": e["section"],
         "text": e["text"], "source": "narrative"}
        for e in narrative.to_dict("records")
    ]  # fmt: skip
    commitments = getattr(dataset, "commitments", pd.DataFrame())
    if not with_commitments or commitments.empty or "activity_to_date" not in commitments:
        return entries
    quarters = (
        dataset.narrative["quarter"].dropna().astype(str) if not dataset.narrative.empty else []
    )
    as_of = quarter or (max(quarters, key=periods.parse_quarter) if len(quarters) else None)
    if as_of is None:
        return entries
    if strategy_id is not None:
        commitments = commitments[commitments["strategy_id"] == strategy_id]
    for c in commitments.to_dict("records"):
        text = "" if is_missing(c.get("activity_to_date")) else str(c["activity_to_date"])
        if text.strip():
            entries.append(
                {"strategy_id": c["strategy_id"], "quarter": as_of,
                 "section": f"activity to date of the commitment {c['commitment']!r}",
                 "text": text, "source": "commitments", "commitment": c["commitment"]}
            )  # fmt: skip
    return entries


def _number_rows(dataset: Dataset, entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The contradicted number claims of one entry (the module's rule)."""
    catalogue = dataset.measures
    measures = catalogue[catalogue["strategy_id"] == entry["strategy_id"]].to_dict("records")
    names = [str(m["measure_name"]) for m in measures]
    rows = []
    for claim in find_claims(str(entry["text"]), str(entry["quarter"]), names):
        found: list[tuple[float, Mapping[str, Any], str, float]] = []
        for m in _candidates(claim, measures):
            label, value = _figure_for(dataset, m, claim)
            if value is None or is_missing(value):
                found = []
                break  # a period with no figure is not checked
            if matches_rounded(float(value), claim.value, claim.decimals) or _matches_average(
                dataset, m, claim
            ):
                found = []
                break
            found.append((abs(float(value) - claim.value), m, label, float(value)))
        if not found:
            continue
        _, m, label, value = min(found, key=lambda f: f[0])
        shown = format_figure(value, str(m["unit"]), per=describe_rate_basis(m))
        rows.append(
            _check_row(entry, m, claim.said, label, value, shown,
                       f"says {claim.said} for {label}; the data set has {shown}",
                       f"{claim.said} for {label}; the data set has {shown}",
                       claim.sentence)
        )  # fmt: skip
    return rows


def _matches_average(dataset: Dataset, measure: Mapping[str, Any], claim: Claim) -> bool:
    """Whether the claim is the average of its period's own figures (the module's rule 4)."""
    if str(measure["unit"]) not in RATIO_SCALES:
        return False
    _, average = _figure_for(dataset, measure, claim, pooled=False)
    if average is None or is_missing(average):
        return False
    return matches_rounded(float(average), claim.value, claim.decimals)


def _check_row(
    entry: Mapping[str, Any],
    measure: Mapping[str, Any],
    said: str,
    label: str,
    value: float | None,
    shown: str,
    finding: str,
    correction: str,
    sentence: str,
) -> dict[str, Any]:
    """One contradicted claim: the analyst's warning and the Board's correction.

    ``finding`` and ``correction`` follow "says": the first for the analyst's warning
    (naming the text's source), the second for the Board, after "The owners' text".
    """
    source = "narrative" if entry.get("source", "narrative") == "narrative" else "commitments"
    where = f"{entry['strategy_id']}, {entry['quarter']}, {entry['section']}"
    lead = "narrative" if source == "narrative" else "commitments file"
    return {
        "strategy_id": entry["strategy_id"],
        "quarter": entry["quarter"],
        "section": entry["section"],
        "measure_id": measure["measure_id"],
        "measure_name": measure["measure_name"],
        "said": said,
        "period": label,
        "data_value": value,
        "data_shown": shown,
        "message": f"{lead} for {measure['measure_name']} ({where}) {finding}",
        # Told to the Board as a correction, not as a to-do note for the analyst (review
        # 7, F18): the paper is read by the Board and the Panel.
        "correction": f"The owners' text says {correction}.",
        "sentence": sentence.strip(),
        "source": source,
        "commitment": entry.get("commitment", ""),
    }


# "met the target in July 2026", "achieved its 1,150 target in 2026/27 Q1 for the first time"
_TARGET_CLAIM = re.compile(
    r"\b(?:met|meets|achieved|reached|hit)\s+(?:the|its)\s+(?:[\d,.]+%?\s+)?target\s+"
    + _PERIOD
    + r"(?P<first>\s+for\s+the\s+first\s+time)?",
    re.IGNORECASE,
)
_OWN_PERIOD = {"monthly": "month", "quarterly": "quarter", "annual": "year"}


def _target_met(value: float, target: float, good: str) -> bool | None:
    """Whether the target was met (:func:`~pcplib.assessment.targets.meets_target`).

    None for a measure with no good direction, which has no side of a target to claim.
    """
    return meets_target(value, target, good) if good in ("higher", "lower") else None


def _earlier_met(
    dataset: Dataset, measure: Mapping[str, Any], before: int, target: float
) -> list[str]:
    """The measure's own periods before month ``before`` in which the target was met."""
    series = get_series(dataset, str(measure["measure_id"]))
    rows = series[(series["definition"] == "current") & series["value"].notna()]
    good, frequency = str(measure["good_direction"]), str(measure["frequency"])
    met = []
    for r in rows.to_dict("records"):
        start = pd.Timestamp(r["period_start"])
        if month_number(start.to_period("M")) < before and _target_met(
            float(r["value"]), target, good
        ):
            met.append(start.to_period("M"))
    if frequency == "monthly":
        return [months_text(sorted(met))] if met else []
    return [label_period_start(p.to_timestamp(), frequency) for p in sorted(met)]


def _target_rows(dataset: Dataset, entry: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Claims that a target was met in a period (or first met then), checked.

    Only a period of the measure's own frequency is checked (a month of a monthly
    measure), since the target is set per such period.
    """
    catalogue = dataset.measures
    measures = [
        m
        for m in catalogue[catalogue["strategy_id"] == entry["strategy_id"]].to_dict("records")
        if not is_missing(m.get("target")) and str(m.get("good_direction")) in ("higher", "lower")
    ]
    rows = []
    for sentence in split_sentences(entry["text"]):
        words = {_stem(w) for w in re.findall(r"[A-Za-z][A-Za-z-]+", sentence)}
        scored = [(len(_name_stems(str(m["measure_name"])) & words), m) for m in measures]
        scored = [(n, m) for n, m in scored if n]
        if not scored:
            continue
        best = max(n for n, _ in scored)
        chosen = [m for n, m in scored if n == best]
        if len(chosen) != 1:
            continue  # a tie cannot say which target is meant
        m = chosen[0]
        for found in _TARGET_CLAIM.finditer(sentence):
            claim = _claim_of(found, str(entry["quarter"]), sentence)
            kind = "month" if claim.month is not None else ("quarter" if claim.quarter else "year")
            if _OWN_PERIOD.get(str(m["frequency"])) != kind:
                continue
            label, value = _figure_for(dataset, m, claim)
            if value is None or is_missing(value):
                continue
            target = float(m["target"])
            unit, per = str(m["unit"]), describe_rate_basis(m)
            shown, goal = format_figure(value, unit, per=per), format_figure(target, unit, per=per)
            met = _target_met(float(value), target, str(m["good_direction"]))
            said = found.group(0).strip()
            first = _first_met(dataset, m, claim, target) if found["first"] else []
            before = f"in {', '.join(first)}" if first else ""
            if met is False:
                also = f", and it was met before, {before}" if before else ""
                rows.append(
                    _check_row(entry, m, said, label, value, shown,
                               f"says the target was met in {label}; the data set has {shown} "
                               f"against the target of {goal}, so it was not met{also}",
                               f"the target was met in {label}"
                               f"{' for the first time' if found['first'] else ''}; the "
                               f"data set has {shown} against {goal}, not met{also}",
                               sentence)
                )  # fmt: skip
            elif first:
                rows.append(
                    _check_row(entry, m, said, label, value, shown,
                               f"says {label} was the first time the target was met; the "
                               f"data set has it met before, {before}",
                               f"{label} was the first time the target was met; the data "
                               f"set has it met before, {before}",
                               sentence)
                )  # fmt: skip
    return rows


def _first_met(
    dataset: Dataset, measure: Mapping[str, Any], claim: Claim, target: float
) -> list[str]:
    """The periods before a claim's in which the target was met ("for the first time")."""
    first = month_number(claim.month) if claim.month is not None else None
    if first is None:
        start, _ = (
            periods.parse_quarter(claim.quarter)
            if claim.quarter
            else periods.parse_financial_year(str(claim.year))
        )
        first = month_number(start.to_period("M"))
    return _earlier_met(dataset, measure, first, target)


def _claim_of(found: re.Match[str], quarter: str, sentence: str) -> Claim:
    """The period a target claim names, read as :func:`find_claims` reads one."""
    _, end = periods.parse_quarter(quarter)
    last_month = end.to_period("M")
    month = q = fy = None
    if found["period"] == "quarter" or found["period"].lower() == "quarter":
        q = quarter
    elif found["month"]:
        number_of_month = _MONTHS[found["month"].lower()]
        year = (
            int(found["year"])
            if found["year"]
            else (last_month.year if number_of_month <= last_month.month else last_month.year - 1)
        )
        month = pd.Period(year=year, month=number_of_month, freq="M")
    elif found["q"]:
        q = f"{found['fy']} Q{found['q']}"
    else:
        fy = found["fy"]
    return Claim("", 0.0, 0, "", (), month, q, fy, sentence)


def check_narrative_numbers(
    dataset: Dataset,
    strategy_id: str | None = None,
    quarter: str | None = None,
    with_commitments: bool = True,
) -> pd.DataFrame:
    """Check the owners' claims against the data set (see the module's rule).

    The narrative's entries and each commitment's activity to date (the commitments
    file's, or the loaded return's) are read: every number stated for a period, and
    every claim that a target was met in a period ("met the target in July 2026"), or
    first met then ("for the first time").

    Parameters
    ----------
    dataset : Dataset
        The loaded data set (its ``narrative``, ``commitments`` and figures).
    strategy_id : str, optional
        One strategy's texts; every strategy's when omitted.
    quarter : str, optional
        One quarter's narrative (``"2026/27 Q2"``), and the quarter a commitment's
        activity is read as of; every quarter's narrative (and the latest quarter for
        commitments) when omitted.
    with_commitments : bool, default True
        Also check each commitment's activity to date.

    Returns
    -------
    pandas.DataFrame
        One row per claim the data set contradicts, with the columns of
        :data:`NARRATIVE_CHECK_COLUMNS`; ``message`` is the warning to the author, naming
        where the text came from: "narrative for Vehicle offences (safer-streets, 2026/27
        Q1, challenges) says 1,644 for 2026/27 Q1; the data set has 1,688", "commitments
        file for Neighbourhood crime offences (...) says the target was met in July 2026;
        the data set has 1,163 against the target of 1,150, so it was not met".
    """
    rows = []
    for entry in _entries(dataset, strategy_id, quarter, with_commitments):
        rows += _number_rows(dataset, entry)
        rows += _target_rows(dataset, entry)
    return pd.DataFrame(rows, columns=NARRATIVE_CHECK_COLUMNS)


def format_narrative_warnings(checks: pd.DataFrame) -> list[str]:
    """The warnings to print or show, one per contradicted claim, in order."""
    return [
        f"{m}: check the "
        + ("commitment's activity" if source == "commitments" else "narrative")
        + " before publication"
        for m, source in zip(checks["message"], checks["source"], strict=True)
    ]


def format_narrative_corrections(checks: pd.DataFrame) -> list[str]:
    """The corrections to show the Board, one per contradicted claim, in order.

    Parameters
    ----------
    checks : pandas.DataFrame
        From :func:`check_narrative_numbers`.

    Returns
    -------
    list of str
        "The owners' text says the target was met in July 2026; the data set has 1,165
        against 1,150, not met (Neighbourhood crime offences; narrative, successes).": a
        correction for the Board, where the analyst's warning
        (:func:`format_narrative_warnings`) is a to-do note.
    """
    out = []
    for row in checks.to_dict("records"):
        section = str(row["section"])
        place = section if row["source"] == "commitments" else f"narrative, {section}"
        out.append(f"{str(row['correction']).rstrip('.')} ({row['measure_name']}; {place}).")
    return out


def withhold_contradicted(text: str, sentences: Iterable[str]) -> tuple[str, int]:
    """The owners' text without the sentences that hold a claim the data set contradicts.

    A public report never publishes an owners' claim its own figures disprove (review 7,
    F1): the sentence is withheld and the report says so (:func:`describe_withheld`),
    rather than publishing it, or refusing the whole report over one sentence.

    Parameters
    ----------
    text : str
        A narrative entry or a commitment's activity to date.
    sentences : iterable of str
        The contradicted sentences (``sentence`` of :func:`check_narrative_numbers`).

    Returns
    -------
    tuple of (str, int)
        The text left, and how many sentences were withheld.
    """
    wrong = {s.strip() for s in sentences if str(s).strip()}
    if not wrong:
        return text, 0
    parts = split_sentences(text)
    kept = [p for p in parts if p.strip() not in wrong]
    return " ".join(p.strip() for p in kept).strip(), len(parts) - len(kept)


def describe_withheld(count: int) -> str:
    """The public note on owners' sentences withheld for disagreeing with the figures."""
    if count <= 0:
        return ""
    if count == 1:
        return (
            "One sentence of the owners' text was withheld: it disagreed with the published "
            "figures."
        )
    return (
        f"{count} sentences of the owners' text were withheld: they disagreed with the "
        "published figures."
    )
