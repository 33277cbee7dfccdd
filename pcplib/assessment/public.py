"""What the public report tells residents, measure by measure.

Which measures were achieved and which still need attention, each as one plain
sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass
from pcplib.assessment.strategy import StrategySummary
from pcplib.labels import format_value, is_missing, plural

CHANGE_WORDS = {"improved": "better", "deteriorated": "worse"}


def describe_measure_for_public(m: Mapping[str, Any]) -> str:
    """One plain-English sentence on a measure for residents."""
    unit = m["unit"]
    current = format_value(m["current"], unit)
    baseline = format_value(m["baseline"], unit)
    if m.get("aggregation") == "sum" and m["frequency"] != "annual":
        text = (
            f"{m['measure_name']}: {current} in the quarter, against a quarterly average "
            f"of {baseline} in {str(m['baseline_label']).split(' ')[0]}"
        )
    elif m["frequency"] == "annual":
        text = f"{m['measure_name']}: {current} in {m['current_label']}, against {baseline}"
        text += f" in {m['baseline_label']}"
    else:
        text = (
            f"{m['measure_name']}: {current} on average in the quarter, against {baseline} "
            f"in {str(m['baseline_label']).split(' ')[0]}"
        )
    change = str(m["change"])
    amount = change.lstrip("+-").replace(" pp", " percentage points")
    moved = m["direction"] in ("up", "down")
    word = CHANGE_WORDS.get(str(m["judgement"]))
    met = ""
    if not is_missing(m["target"]):
        met = {"Green": "met", "Amber": "narrowly missed", "Red": "missed"}.get(m["rag"], "")
    # The target decides which list a measure is in, so when the change on the baseline
    # year points the other way it is told as a qualification of the target, not as a
    # bare "worse" under "What has been achieved".
    against_target = bool(moved and met and word) and (word == "better") != (met == "met")
    if against_target:
        base_year = str(m["baseline_label"]).split(" ")[0].rstrip(":")
        change_words = f"{m['direction']} {amount} on {base_year}"
    elif moved:
        text += f" ({m['direction']} {amount}" + (f", {word})" if word else ")")
    elif m["direction"] == "no change":
        text += " (no change)"
    if met:
        note = str(m.get("target_note") or "").rstrip(".")
        note = note[:1].lower() + note[1:] if note[:2] != note[:2].upper() else note
        target = note or f"target {format_value(m['target'], unit)}"
        text += f"; target ({target}) {met}"
        if against_target:
            text += (
                f", although {change_words}"
                if met == "met"
                else f", although better: {change_words}"
            )
    return text + "."


def split_public_measures(summary: StrategySummary) -> tuple[list[str], list[str]]:
    """Split a strategy's public measures into achieved and needing attention.

    A measure with a target goes by its RAG (Green achieved; Amber or Red needs
    attention); one without goes by its judgement (improved or deteriorated). Each
    measure appears at most once.
    """
    achieved, attention = [], []
    for r in summary.measures.to_dict("records"):
        if not r["has_data"]:
            continue
        has_target = not is_missing(r["target"])
        if has_target:
            good = r["rag"] == "Green"
            bad = r["rag"] in ("Amber", "Red")
        else:
            good = r["judgement"] == "improved"
            bad = r["judgement"] == "deteriorated"
        if good:
            achieved.append(describe_measure_for_public(r))
        elif bad:
            attention.append(describe_measure_for_public(r))
    counts = summary.delivery.counts
    if counts.get("complete"):
        achieved.append(f"{plural(counts['complete'], 'commitment')} in the plan delivered.")
    stuck = counts.get("at risk", 0) + counts.get("off track", 0)
    if stuck:
        attention.append(f"{plural(stuck, 'commitment')} at risk of not being delivered on time.")
    return achieved, attention
