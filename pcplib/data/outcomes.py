"""Outcomes of crimes in data.police.uk street files, and how long they take to settle.

Each street-level row carries ``Last outcome category``: the latest outcome known when
the file was published. An outcome measure (``police_uk_outcomes`` in
``framework/measures``) names the categories that count as its numerator; its
denominator is every crime of its ``police_uk_crime_types`` recorded in the month. Each
category's group and its Home Office outcome type are in :data:`OUTCOME_GROUPS` and
``docs/methodology.md``.

Recent crimes' outcomes are still open, so their month's rate is not yet its last:
:func:`find_provisional_months` decides from the download itself how many of the latest
months are provisional, from how the share of open outcomes (``Under investigation``,
``Awaiting court outcome``) decays with the crimes' age.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = [
    "CHARGED",
    "OPEN_EXCESS_PP",
    "OPEN_OUTCOMES",
    "OUTCOME_GROUPS",
    "SETTLED_AFTER",
    "ProvisionalMonths",
    "find_provisional_months",
    "parse_outcomes",
]

CHARGED = "charged or summonsed"
"""The group of outcomes in which a suspect was charged or summonsed (Home Office outcome
type 1, and type 4 for a crime taken into consideration), whatever the court did after."""

OUTCOME_GROUPS: dict[str, str] = {
    "Awaiting court outcome": CHARGED,
    "Court result unavailable": CHARGED,
    "Suspect charged as part of another case": CHARGED,
    "Defendant sent to Crown Court": CHARGED,
    "Offender sent to prison": CHARGED,
    "Offender given suspended prison sentence": CHARGED,
    "Offender fined": CHARGED,
    "Offender given community sentence": CHARGED,
    "Offender given conditional discharge": CHARGED,
    "Offender given absolute discharge": CHARGED,
    "Offender ordered to pay compensation": CHARGED,
    "Offender otherwise dealt with": CHARGED,
    "Offender deprived of property": CHARGED,
    "Defendant found not guilty": CHARGED,
    "Court case unable to proceed": CHARGED,
    "Offender given a caution": "out of court (formal)",
    "Offender given a drugs possession warning": "out of court (formal)",
    "Offender given penalty notice": "out of court (formal)",
    "Local resolution": "out of court (informal)",
    "Investigation complete; no suspect identified": "no suspect identified",
    "Unable to prosecute suspect": "evidential difficulties",
    "Formal action is not in the public interest": "not in the public interest",
    "Further action is not in the public interest": "not in the public interest",
    "Further investigation is not in the public interest": "not in the public interest",
    "Action to be taken by another organisation": "another organisation",
    "Under investigation": "open",
    "Status update unavailable": "not known",
}
"""Every ``Last outcome category`` of data.police.uk street files, with its group (see
``docs/methodology.md`` for each one's Home Office outcome type and source)."""

OPEN_OUTCOMES = ("Under investigation", "Awaiting court outcome")
"""Outcomes that are not yet final: the investigation, or the court case, goes on."""

SETTLED_AFTER = 12
"""Months after which a month's outcomes count as settled, to measure the share of open
outcomes every month keeps (some cases stay open for years)."""

OPEN_EXCESS_PP = 1.0
"""A month is provisional while its share of open outcomes exceeds the settled months'
by more than this many percentage points: enough for outcomes still to come to move its
rate by a material amount (the materiality of a change in a percentage,
``pcplib.assessment.thresholds.MATERIAL_CHANGE_PP``)."""


def parse_outcomes(text: str) -> list[str]:
    """Split a measure's ``police_uk_outcomes`` cell into outcome categories.

    Parameters
    ----------
    text : str
        Empty, or outcome categories separated by ``|`` (categories hold ``;``, as in
        ``Investigation complete; no suspect identified``), or a group name of
        :data:`OUTCOME_GROUPS` such as ``charged or summonsed``, which stands for
        every category of the group.

    Returns
    -------
    list of str
        The categories, in the order of :data:`OUTCOME_GROUPS` for a group; as written
        otherwise (an unknown name is returned as it is, for validation to name).
    """
    found: list[str] = []
    for part in (p.strip() for p in str(text).split("|")):
        if not part:
            continue
        group = [name for name, g in OUTCOME_GROUPS.items() if g == part]
        found += group or [part]
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class ProvisionalMonths:
    """How many of the latest months' outcomes are still open, and why.

    Attributes
    ----------
    months : tuple of str
        The provisional months, ``YYYY-MM``, oldest first (empty when none).
    open_share : pandas.Series
        Per cent of each month's crimes with an open outcome, by month.
    settled_share : float
        The share that settled months keep (median of the months at least
        :data:`SETTLED_AFTER` months before the latest; the lowest month's when the
        download is shorter).
    """

    months: tuple[str, ...]
    open_share: pd.Series
    settled_share: float

    def describe(self) -> str:
        """One line: how many months are provisional and the shares that decided it."""
        if not len(self.open_share):
            return "no crimes with outcomes read"
        latest = self.open_share.index[-1]
        text = (
            f"{len(self.months)} latest month(s) provisional: open outcomes are "
            f"{self.open_share.iloc[-1]:.1f}% of {latest}'s crimes against "
            f"{self.settled_share:.1f}% in settled months"
        )
        if self.months:
            text += f" (provisional while more than {OPEN_EXCESS_PP:g} point above)"
        return text


def find_provisional_months(outcomes: pd.DataFrame) -> ProvisionalMonths:
    """Decide from a download how many of its latest months' outcomes are still open.

    Parameters
    ----------
    outcomes : pandas.DataFrame
        One force's crimes by ``month``, ``crime_type``, ``outcome`` and ``crimes``
        (``StreetCounts.outcomes``); anti-social behaviour, which has no outcomes, is
        left out.

    Returns
    -------
    ProvisionalMonths
        The latest months whose share of open outcomes is more than
        :data:`OPEN_EXCESS_PP` above the settled months' (counted back from the latest
        month to the first that is not), and the shares.
    """
    crimes = outcomes[outcomes["crime_type"] != "Anti-social behaviour"]
    total = crimes.groupby("month")["crimes"].sum()
    total = total[total > 0].sort_index()
    opened = crimes[crimes["outcome"].isin(OPEN_OUTCOMES)].groupby("month")["crimes"].sum()
    share = (100.0 * opened.reindex(total.index, fill_value=0) / total).astype(float)
    if share.empty:
        return ProvisionalMonths((), share, 0.0)
    latest = pd.Period(str(share.index[-1]), "M")
    ages = [(latest - pd.Period(str(m), "M")).n for m in share.index]
    settled = share[[age >= SETTLED_AFTER for age in ages]]
    level = float(settled.median()) if len(settled) else float(share.min())
    months: list[str] = []
    for month, value in zip(reversed(share.index), reversed(share.to_numpy()), strict=True):
        if value - level <= OPEN_EXCESS_PP:
            break
        months.append(str(month))
    return ProvisionalMonths(tuple(reversed(months)), share, level)
