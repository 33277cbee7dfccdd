"""A report's parameters left empty take the data set's own values.

Notebooks declare their parameters empty, so that run by hand (in JupyterLab, or with
plain papermill and no parameters) they name no force's strategy, meeting or quarter:
an empty parameter takes the data set's first strategy, its forward plan's latest
meeting and that meeting's data period, or the latest complete quarter or financial
year of the data. Whatever is given is kept as given (and checked as usual).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from pcplib import periods
from pcplib.assessment.scope import last_data_month

if TYPE_CHECKING:
    from pcplib.data import Dataset

__all__ = ["fill_report_parameters"]


def _latest_slot(plan: Any, today: dt.date | None) -> Any:
    """The plan's latest meeting on or before today, else its first; None without a plan."""
    if plan is None or not plan.slots:
        return None
    from pcplib.data.forward_plan import resolve_slot

    try:
        return resolve_slot(plan, "latest", today)
    except ValueError:
        return plan.slots[0]


def fill_report_parameters(
    dataset: Dataset, plan: Any = None, today: dt.date | None = None, **given: str
) -> dict[str, str]:
    """Return the report parameters with every empty one filled from the data set.

    Parameters
    ----------
    dataset : Dataset
        The loaded data set.
    plan : ForwardPlan, optional
        Its forward plan (None when it has none).
    today : datetime.date, optional
        The date "latest" is resolved against; today when omitted.
    **given : str
        The parameters as the notebook has them, among ``strategy``, ``slot``,
        ``period_end``, ``quarter`` and ``year``; ``""`` means "the data set's own".

    Returns
    -------
    dict of str to str
        The same keys, each empty one filled: ``strategy`` the first of
        ``framework/strategies``; ``slot`` the plan's latest meeting on or before today
        (its first when all are later; without a plan, two months after the data's last
        complete quarter); ``period_end`` the slot's data period when the plan has the
        slot, else the data's last complete quarter; ``quarter`` that quarter, as
        ``2026/27 Q2``; ``year`` the last financial year the data cover to its end.
    """
    filled = dict(given)
    last = last_data_month(dataset) if not dataset.observations.empty else None
    last_quarter = str(periods.quarter_end_on_or_before(last)) if last is not None else ""
    if "strategy" in filled and not filled["strategy"]:
        ids = list(dataset.strategies["strategy_id"])
        filled["strategy"] = str(ids[0]) if ids else ""
    latest = _latest_slot(plan, today)
    if "slot" in filled and not filled["slot"]:
        if latest is not None:
            filled["slot"] = str(latest.slot)
        elif last_quarter:
            filled["slot"] = str(periods.parse_month(last_quarter) + 2)
    if "period_end" in filled and not filled["period_end"]:
        slot = filled.get("slot", "")
        mine = [s for s in (plan.slots if plan is not None else ()) if s.slot == slot]
        filled["period_end"] = str(mine[0].period_end) if mine else last_quarter
    if "quarter" in filled and not filled["quarter"] and last_quarter:
        filled["quarter"] = periods.label_quarter(periods.parse_month(last_quarter).to_timestamp())
    if "year" in filled and not filled["year"] and last is not None:
        # The last financial year whose March the data reach.
        march = periods.parse_month(f"{last.year}-03")
        end = march if last >= march else march - 12
        filled["year"] = periods.label_financial_year(end.to_timestamp())
    return filled
