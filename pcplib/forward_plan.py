"""The CGB forward plan, at its former path: see :mod:`pcplib.data.forward_plan`.

Kept so that ``from pcplib.forward_plan import ...`` in notebooks, benchmarks and
``pcp plan`` goes on working; new code imports from ``pcplib.data.forward_plan``.
"""

from pcplib.data.forward_plan import (
    ForwardPlan,
    Slot,
    load_forward_plan,
    period_end_for_slot,
    print_plan,
    resolve_slot,
    slot_for_strategy,
    validate_forward_plan,
)

__all__ = [
    "ForwardPlan",
    "Slot",
    "load_forward_plan",
    "resolve_slot",
    "period_end_for_slot",
    "validate_forward_plan",
    "slot_for_strategy",
    "print_plan",
]
