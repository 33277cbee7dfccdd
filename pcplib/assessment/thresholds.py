"""The thresholds of the judgements: the RAG tolerance and the roll-up method.

Kept apart from the code that applies them so a reviewer finds every number that
decides a rating in one file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


ROLL_UP_METHOD = "worst"


RAG_TOLERANCE = 0.05


IMPROVEMENT = {"higher": "increase", "lower": "decrease", "neutral": "neutral"}
