"""The public words for a real improvement a rating would not rest on, and a mixed picture."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from pcplib.assessment.public import summarise_public_quarter, write_public_sentence
from pcplib.assessment.public_evidence import say_mixed_picture, say_since_verdict
from pcplib.report.public import _format_the_rest
from pcplib.report.words import describe_rag_meanings


def _since(test: str, **extra: Any) -> dict[str, Any]:
    """A measure with a real fall since the baseline year on ``test``, no SPC verdict."""
    row = {
        "since_baseline_judgement": "improved", "good_direction": "lower",
        "spc_status": "unstable baseline", "spc_variation": None,
        "changes": SimpleNamespace(since_evidence=SimpleNamespace(test=test)),
    }  # fmt: skip
    return row | extra


def test_one_kind_of_test_is_told_one_way_in_public() -> None:
    # Review 19, R19-1 to R19-3: softening only the baseline clause of a level test with
    # no stable chart told energy "by more than the usual ups and downs" and "too much to
    # be sure" in one line. The words report the test, as the quarter's clause and the
    # annual evaluation do; the rating alone is cautious (Grey).
    for test in ("level z-test", "level t-test", "quasi-Poisson"):
        assert say_since_verdict(_since(test)) == "a real improvement"
    assert say_since_verdict(_since("level z-test", since_baseline_judgement="deteriorated")) == (
        "a real worsening"
    )


def test_a_better_year_beside_a_quarter_gone_the_wrong_way_is_a_mixed_picture() -> None:
    # Review 18, R18-2: farm machinery thefts, a real fall since the baseline year and
    # up 17.9% on a year ago, were "Steady" with "a real improvement" and nothing more.
    row = _since("quasi-Poisson", direction="up")
    assert (
        say_mixed_picture(row)
        == "Better since the plan began, but not than a year ago: a mixed picture."
    )
    assert say_mixed_picture({**row, "direction": "down"}) == ""
    assert say_mixed_picture({**row, "spc_variation": "special_cause_improvement"}) == ""


def test_the_public_page_tells_farm_machinery_and_carbon_as_they_are(sample: Any) -> None:
    rows = summarise_public_quarter(sample, "2026/27 Q2").measures.set_index("measure_id")
    # Up on a year earlier over the two latest quarters (202 against 153), after a real
    # rise the quarter before: possibly worse, never "steady" on its earlier fall since
    # the plan began (review 20, R20-1); and its fall since the plan's baseline year said
    # too, so neither reads as the whole story (review 22, R22-10).
    machinery = rows.loc["rural-machinery-theft"]
    assert machinery["group"] == "needs attention"
    assert machinery["public_sentence"] == (
        "99, up 17.9% on a year ago, within the usual ups and downs. Possibly worse over six "
        "months: 202 against 153 a year earlier. Though since the plan began, a real "
        "improvement: 357 in the 12 months to September 2026 against 442 in the plan's "
        "baseline year (2024/25)."
    )
    carbon = rows.loc["estate-carbon-tonnes"]
    assert carbon["group"] == "not rated"
    assert (
        "against 6,742 tonnes in the plan's baseline year (2024/25): a real improvement since "
        "the plan began, continuing a fall that began before it."
        in write_public_sentence(carbon.to_dict())
    )
    # The folded Steady heading claims only what holds for every steady measure.
    steady = rows[rows["group"] == "steady"].reset_index()
    html = _format_the_rest({"steady": steady})
    assert "measures with no clear change on a year ago</summary>" in html
    assert "with no change beyond the usual ups and downs</summary>" not in html
    # A steady quarter beyond chance (none in the sample) keeps the older words.
    moved = steady.assign(judgement="improved")
    assert "with no change beyond the usual ups and downs</summary>" in _format_the_rest(
        {"steady": moved}
    )


def test_the_printed_grey_rule_names_the_tests_that_count() -> None:
    # Review 18, R18-5: "no real improvement on the tests" beside a row with one.
    grey = describe_rag_meanings("technical")["Grey"]
    assert "no real improvement on a test of counts or proportions" in grey
    assert "no real improvement on the tests" not in grey
