"""A number in the owners' narrative that the data set contradicts is flagged to its author.

The rule (``pcplib.assessment.narrative_checks``) is built to raise no false alarm: the
shipped narrative, whose every figure agrees with the data, raises none, and neither do
dates, years, targets, hedged numbers or the numbers in a measure's own name.
"""

from __future__ import annotations

import dataclasses
import shutil

import pandas as pd
import pytest

from pcplib import cli
from pcplib.assessment.narrative_checks import (
    NARRATIVE_CHECK_COLUMNS,
    check_narrative_numbers,
    find_claims,
    matches_rounded,
    select_narrative,
    split_sentences,
)
from pcplib.assessment.quality import list_data_quality_notes
from pcplib.data import Dataset
from pcplib.report.narrative import format_narrative

QUARTER = "2026/27 Q2"


def with_narrative(dataset: Dataset, strategy_id: str, text: str) -> Dataset:
    """The data set with one narrative entry added for the strategy's quarter."""
    entry = {"strategy_id": strategy_id, "quarter": QUARTER, "section": "successes", "text": text,
             "measures": ""}  # fmt: skip
    narrative = pd.concat([dataset.narrative, pd.DataFrame([entry])], ignore_index=True)
    return dataclasses.replace(dataset, narrative=narrative)


@pytest.mark.parametrize(
    ("value", "said", "decimals", "agrees"),
    [
        (9.46, 9.5, 1, True),
        (9.44, 9.5, 1, False),
        (1198.0, 1198.0, 0, True),
        (1198.0, 1200.0, 0, True),  # trailing zeros are rounding
        (1198.0, 1215.0, 0, False),
        (66.72, 66.7, 1, True),
        (0.0, 0.0, 0, True),
        (3.0, 0.0, 0, False),
    ],
)
def test_a_figure_agrees_with_a_number_it_rounds_to(value, said, decimals, agrees) -> None:
    assert matches_rounded(value, said, decimals) is agrees


@pytest.mark.parametrize(
    "text",
    [
        "The scheme began in June 2026 and was reviewed in 2025/26 Q4.",  # periods only
        "Surveys of the three oldest stations are complete by 2027.",
        "Officer numbers met the uplift allocation of 2,300 in every month of the quarter.",
        "Neighbourhood crime met the 1,150 target in one of the three months.",
        "Sickness was above the target of 9.0 days in June 2026.",
        "Building cost inflation raised the estimate by about 12% in 2026/27 Q1.",
        "Fewer than 1 in 4 thefts are reported (<25%).",
        "101 calls answered within 3 minutes improved in the quarter.",
        "Savings of £1.2m in 2025/26 were delivered.",
    ],
)
def test_dates_targets_hedges_and_names_are_never_claims(text) -> None:
    names = ["101 calls answered within 3 minutes", "Hospital admissions, victims under 25"]
    assert find_claims(text, QUARTER, names) == []


def test_a_claim_reads_its_number_unit_and_period() -> None:
    text = (
        "The sickness rate rose from 9.5 days in June to 9.7 days in September 2026; "
        "satisfaction was 80.9% in the quarter. Vehicle crime fell from 1,815 in 2025/26 Q1."
    )
    claims = find_claims(text, QUARTER, [])
    assert [(c.said, c.unit) for c in claims] == [
        ("9.5 days", "days"), ("9.7 days", "days"), ("80.9%", "%"), ("1,815", ""),
    ]  # fmt: skip
    # A month without a year is the latest such month up to the quarter's end.
    assert str(claims[0].month) == "2026-06" and str(claims[1].month) == "2026-09"
    assert claims[2].quarter == QUARTER and claims[3].quarter == "2025/26 Q1"


def test_the_shipped_narrative_raises_no_false_alarm(sample: Dataset) -> None:
    # Every figure in the sample narrative agrees with the data (test_sample_narrative.py),
    # and dozens of them are claims this check reads.
    found = check_narrative_numbers(sample, with_commitments=False)
    assert list(found.columns) == NARRATIVE_CHECK_COLUMNS
    assert found.empty, list(found["message"])


def test_a_commitments_activity_is_checked_too(sample: Dataset) -> None:
    # Review A16: "Neighbourhood crime met the target in July 2026 for the first time",
    # printed beside data where July 2026 was above 1,150. The one claim the sample's
    # owners' texts get wrong is the one flagged.
    found = check_narrative_numbers(sample)
    assert list(found["message"]) == [
        "commitments file for Neighbourhood crime offences (neighbourhood-crime, 2026/27 Q2, "
        "activity to date of the commitment 'Reduce neighbourhood crime to 1,150 offences a "
        "month') says the target was met in July 2026; the data set has 1,165 against the "
        "target of 1,150, so it was not met, and it was met before, in June 2023, July 2024, "
        "September 2024, June to July 2025, October 2025"
    ]
    # The Board reads the same fact as a correction of the owners' text (review 7, F18).
    correction = str(found["correction"].iloc[0])
    assert correction.startswith(
        "The owners' text says the target was met in July 2026 for the first time; the data "
        "set has 1,165 against 1,150, not met, and it was met before, in June 2023"
    )
    assert found["sentence"].iloc[0].startswith("Neighbourhood crime met the target in July")


def with_activity(dataset: Dataset, text: str) -> Dataset:
    """The data set with one neighbourhood-crime commitment whose activity is ``text``."""
    entry = {"commitment_id": "nc-x", "strategy_id": "neighbourhood-crime",
             "commitment": "Test commitment", "status": "on track", "due_date": "2028-03-31",
             "owner": "Owner", "activity_to_date": text, "next_steps": ""}  # fmt: skip
    commitments = pd.concat([dataset.commitments, pd.DataFrame([entry])], ignore_index=True)
    return dataclasses.replace(dataset, commitments=commitments)


def test_a_first_time_claim_is_checked_against_the_earlier_record(sample: Dataset) -> None:
    # August 2026 (1,119) met the 1,150 target, but so did earlier months.
    data = with_activity(sample, "Neighbourhood crime met the target in August 2026 for the "
                         "first time.")  # fmt: skip
    found = check_narrative_numbers(data, "neighbourhood-crime", QUARTER)
    mine = found[found["section"].str.contains("Test commitment")]
    assert len(mine) == 1
    message = mine["message"].iloc[0]
    assert "says August 2026 was the first time the target was met" in message
    assert "met before, in June 2023" in message and "July 2025" in message
    # A true claim, and a claim about a period the measure does not report in, pass.
    for text in (
        "Neighbourhood crime met the target in August 2026.",
        "Neighbourhood crime met the target in 2026/27 Q2.",  # a monthly target
    ):
        checked = check_narrative_numbers(with_activity(sample, text), "neighbourhood-crime")
        assert not checked["section"].str.contains("Test commitment").any(), text


def test_the_commitments_table_says_where_its_text_came_from_and_flags_a_claim(
    sample: Dataset,
) -> None:
    from pcplib.report.commitments import format_commitments

    board = format_commitments(sample, "neighbourhood-crime", "2026-09")
    assert "from the data set&#x27;s commitments file (commitments/commitments.csv)" in board
    assert "no quarterly return was loaded for 2026/27 Q2" in board
    assert (
        "Correction:</strong> The owners&#x27; text says the target was met in July 2026 for "
        "the first time; the data set has 1,165 against 1,150, not met" in board
    )
    assert "Check before publication" not in board
    # The public never reads the false sentence, and is told one was withheld (review 7, F1).
    public = format_commitments(sample, "neighbourhood-crime", "2026-09", audience="public")
    assert "met the target in July 2026" not in public and "Correction" not in public
    assert (
        "One sentence of the owners&#x27; text was withheld: it disagreed with the published "
        "figures." in public
    )
    # The rest of the commitment's row is published as it was.
    assert "A vehicle crime problem-solving plan" in public


def test_the_commitments_table_reads_the_checks_the_report_already_made(
    sample: Dataset,
) -> None:
    # The strategy report checks the owners' text once and hands the result to the table.
    from pcplib.report.commitments import format_commitments

    checks = check_narrative_numbers(sample, "neighbourhood-crime", QUARTER)
    # Each claim says where it came from as columns, as its words do.
    from_commitments = checks["source"] == "commitments"
    assert from_commitments.eq(checks["message"].str.startswith("commitments file")).all()
    assert from_commitments.any() and (checks.loc[from_commitments, "commitment"] != "").all()
    assert (checks.loc[~from_commitments, "commitment"] == "").all()
    given = format_commitments(sample, "neighbourhood-crime", "2026-09", checks=checks)
    assert given == format_commitments(sample, "neighbourhood-crime", "2026-09")
    unchecked = format_commitments(
        sample, "neighbourhood-crime", "2026-09", checks=checks.iloc[0:0]
    )
    assert "Correction:" in given and "Correction:" not in unchecked


def test_a_number_the_data_contradict_is_flagged_with_both_figures(sample: Dataset) -> None:
    data = with_narrative(
        sample, "neighbourhood-crime", "Neighbourhood crime fell to 1,215 in August 2026."
    )
    found = check_narrative_numbers(data, "neighbourhood-crime", QUARTER, with_commitments=False)
    assert list(found["message"]) == [
        "narrative for Neighbourhood crime offences (neighbourhood-crime, 2026/27 Q2, "
        "successes) says 1,215 for August 2026; the data set has 1,119"
    ]
    # The figure as the data have it, rounded as written, is not flagged.
    agreeing = with_narrative(sample, "neighbourhood-crime", "It fell to 1,120 in August 2026.")
    assert check_narrative_numbers(
        agreeing, "neighbourhood-crime", QUARTER, with_commitments=False
    ).empty


def test_a_quarter_and_a_unit_pick_the_measure_and_its_figure(sample: Dataset) -> None:
    # 999 is in a measure's name; 80.0% is a percentage, so only percentage measures fit.
    # The quarter is pooled from its calls (2026/27 Q2: 93.4%; its months average 93.3%).
    data = with_narrative(
        sample,
        "neighbourhood-policing",
        "999 calls answered within 10 seconds averaged 80.0% over the quarter.",
    )
    found = check_narrative_numbers(data, "neighbourhood-policing", QUARTER)
    assert list(found["measure_id"]) == ["np-999-answered-10s"]
    assert found["period"].iloc[0] == QUARTER and found["data_shown"].iloc[0] == "93.4%"


def test_a_pooled_percentage_or_the_average_of_its_months_both_agree(sample: Dataset) -> None:
    # 2026/27 Q2's 999 calls pool to 93.4%; an owner averaging the months' 91.2, 93.1 and
    # 95.7 writes 93.3%. Neither is a wrong number; 93.5% is.
    for said, flagged in (("93.4%", False), ("93.3%", False), ("93.5%", True)):
        text = f"999 calls answered within 10 seconds averaged {said} over the quarter."
        data = with_narrative(sample, "neighbourhood-policing", text)
        found = check_narrative_numbers(data, "neighbourhood-policing", QUARTER)
        assert (not found.empty) is flagged, said


def test_the_board_is_told_and_the_public_is_not(sample: Dataset) -> None:
    data = with_narrative(
        sample, "neighbourhood-crime", "Neighbourhood crime fell to 1,215 in August 2026."
    )
    notes = list_data_quality_notes(data, "neighbourhood-crime", "2026-09")
    assert any("says 1,215 for August 2026; the data set has 1,119" in n for n in notes)
    public = list_data_quality_notes(data, "neighbourhood-crime", "2026-09", audience="public")
    assert not any("says 1,215" in n for n in public)
    board = format_narrative(data, "neighbourhood-crime", QUARTER)
    assert "Corrections to the owners' narrative" in board
    assert (
        "The owners&#x27; text says 1,215 for August 2026; the data set has 1,119 "
        "(Neighbourhood crime offences)." in board
    )
    assert "Check before publication" not in board
    assert any(
        n.startswith("The owners' text says 1,215 for August 2026; the data set has 1,119 (")
        for n in notes
    )
    public = format_narrative(data, "neighbourhood-crime", QUARTER, audience="public")
    assert "Corrections" not in public and "1,215" not in public
    assert "One sentence of the owners&#x27; text was withheld" in public


def test_the_public_narrative_withholds_only_the_contradicted_sentence(sample: Dataset) -> None:
    text = (
        "Neighbourhood crime fell to 1,215 in August 2026. Burglary patrols were doubled in "
        "the ten wards."
    )
    data = with_narrative(sample, "neighbourhood-crime", text)
    public = format_narrative(data, "neighbourhood-crime", QUARTER, audience="public")
    assert "1,215" not in public and "Burglary patrols were doubled in the ten wards." in public
    assert public.count("was withheld: it disagreed with the published figures") == 1
    # A narrative whose every figure agrees withholds nothing and says nothing of it.
    clean = format_narrative(sample, "neighbourhood-crime", QUARTER, audience="public")
    assert "withheld: it disagreed" not in clean


def test_checks_made_once_are_shown_by_both_the_narrative_and_the_notes(
    sample: Dataset,
) -> None:
    data = with_narrative(
        sample, "neighbourhood-crime", "Neighbourhood crime fell to 1,215 in August 2026."
    )
    checks = check_narrative_numbers(data, "neighbourhood-crime", QUARTER)
    board = format_narrative(data, "neighbourhood-crime", QUARTER, checks=checks)
    assert board == format_narrative(data, "neighbourhood-crime", QUARTER)
    notes = list_data_quality_notes(data, "neighbourhood-crime", "2026-09", narrative_checks=checks)
    assert notes == list_data_quality_notes(data, "neighbourhood-crime", "2026-09")
    # Given checks are shown as they are, not made again: none given, none shown.
    none = checks.iloc[0:0]
    assert "Corrections to the owners" not in format_narrative(
        data, "neighbourhood-crime", QUARTER, checks=none
    )
    quiet = list_data_quality_notes(data, "neighbourhood-crime", "2026-09", narrative_checks=none)
    assert not any("says 1,215" in n for n in quiet)


def test_pcp_validate_warns_of_the_narrative_without_failing(data_dir, tmp_path, capsys) -> None:
    copy = tmp_path / "data"
    shutil.copytree(data_dir, copy)
    narrative = copy / "narrative" / "narrative.csv"
    text = narrative.read_text(encoding="utf-8")
    assert "with a low of 1,119 in August 2026" in text
    narrative.write_text(text.replace("1,119 in August", "1,215 in August"), encoding="utf-8")
    # The narrative's wrong figure and the commitments file's wrong claim (review A16),
    # then the sample's five commitments due later than the undated targets they name.
    assert cli.print_narrative_warnings(copy) == 7
    printed = capsys.readouterr().out
    assert printed.startswith("Warning: narrative for Neighbourhood crime offences")
    assert "check the narrative before publication" in printed
    assert "Warning: commitments file for Neighbourhood crime offences" in printed
    assert "check the commitment's activity before publication" in printed
    assert printed.count("with no target_date, so the reports judge it now") == 5


def test_the_owners_text_is_split_into_sentences_before_a_capital_or_a_digit() -> None:
    text = "Crime fell to 1,150. 2026 was a good year! Was it? e.g. not this. Done"
    assert split_sentences(text) == [
        "Crime fell to 1,150.",
        "2026 was a good year!",
        "Was it? e.g. not this.",
        "Done",
    ]


def test_the_narrative_checked_is_one_strategys_quarter_or_all_of_it() -> None:
    narrative = pd.DataFrame(
        {"strategy_id": ["a", "b", "a"], "quarter": ["2026/27 Q1", "2026/27 Q2", "2026/27 Q2"]}
    )
    assert select_narrative(narrative, "a", "2026/27 Q2").index.tolist() == [2]
    assert select_narrative(narrative, "a", None).index.tolist() == [0, 2]
    assert select_narrative(narrative, None, "2026/27 Q2").index.tolist() == [1, 2]
    assert select_narrative(narrative, None, None).index.tolist() == [0, 1, 2]
