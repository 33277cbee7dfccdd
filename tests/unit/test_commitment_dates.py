"""A commitment due later than the undated target it names (issue 26; review 20, R20-3).

A measure whose target has no ``target_date`` is judged now; a commitment linked to it
that names the same figure and is due later shows the reader one target with two
deadlines ("counted as missed" beside "due 31 March 2028"). The check warns the analyst
(``pcp validate``, the run's log) and tells the reader in the notes on the data, naming
both dates; it never stops a run.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pcplib.assessment.commitment_dates import (
    TARGET_DATE_CHECK_COLUMNS,
    check_commitment_target_dates,
    format_target_date_warnings,
    names_target_figure,
)
from pcplib.data import Dataset
from pcplib.labels import month_words

PERIOD_END = "2026-09"
NC_ID = "nc-neighbourhood-crime"
NC = [NC_ID]
NOTE = (
    'Neighbourhood crime offences: its target ("At or below 1,150 a month") has no date, '
    "so it is judged now, on the figures to September 2026, while the commitment "
    '"Reduce neighbourhood crime to 1,150 offences a month" is due 31 March 2028; which of '
    "the two dates holds is to be confirmed."
)


def date_target(sample: Dataset, due: str = "", measure_id: str = NC_ID) -> Dataset:
    """The sample with neighbourhood crime's target dated ``due`` (``YYYY-MM``), or undated.

    Undated is as the sample ships it; 2028-03 is its commitment's date.
    """
    measures = sample.measures.copy()
    row = measures["measure_id"] == measure_id
    measures.loc[row, "target_date"] = due
    words = f" by {month_words(pd.Period(due, 'M'))}" if due else ""
    measures.loc[row, "target_note"] = f"At or below 1,150 a month{words}"
    return dataclasses.replace(sample, measures=measures)


def undated(sample: Dataset) -> Dataset:
    """The sample with neighbourhood crime's target undated, as the sample ships it."""
    return date_target(sample)


@pytest.mark.parametrize(
    ("text", "target", "named"),
    [
        ("Reduce neighbourhood crime to 1,150 offences a month", 1150.0, True),
        ("Reduce officer sickness to 9.0 days a year", 9.0, True),
        ("Reduce officer sickness to 9 days a year", 9.0, True),
        ("Raise domestic abuse victim satisfaction to 85%", 85.0, True),
        ("Bring 101 call answering back to 85% within 3 minutes", 85.0, True),
        ("Reduce neighbourhood crime to 1,200 offences a month", 1150.0, False),
        ("Reduce officer sickness to 9.5 days a year", 9.0, False),
        ("Deliver £4.0m of recurrent savings a year", 4.0, False),
        ("Bring 101 call answering back within 3 minutes", 85.0, False),
    ],
)
def test_the_target_figure_is_found_as_written(text: str, target: float, named: bool) -> None:
    assert names_target_figure(text, target) is named


SICKNESS = (
    'Working days lost to sickness per officer (rolling 12 months): its target ("At or '
    'below 9.0 days per officer") has no date, so it is judged now, on the figures to '
    'September 2026, while the commitment "Reduce officer sickness to 9.0 days a year '
    'through a wellbeing programme" is due 31 March 2027; which of the two dates holds is '
    "to be confirmed."
)


def test_the_sample_flags_the_five_commitments_due_later_than_their_undated_targets(
    sample: Dataset,
) -> None:
    # Neighbourhood crime's target is left undated: a straight course has no seasons, and
    # its July to September quarter, the low one most years, read "on course" while the
    # 12 months were behind it. So, like the four other commitments linked to undated
    # targets they name, its commitment (due 31 March 2028) is flagged.
    dates = sample.measures.set_index("measure_id")["target_date"]
    assert pd.isna(dates["nc-neighbourhood-crime"]) or dates["nc-neighbourhood-crime"] == ""
    checks = check_commitment_target_dates(sample, PERIOD_END)
    assert list(zip(checks["commitment_id"], checks["measure_id"], strict=True)) == [
        ("workforce-c02", "wf-officer-sickness"),
        ("vawg-c06", "vawg-da-satisfaction"),
        ("neighbourhood-crime-c03", "nc-neighbourhood-crime"),
        ("neighbourhood-policing-c03", "np-101-answered-3min"),
        ("effective-criminal-justice-c01", "cj-file-quality"),
    ]
    assert list(checks["due_date"]) == [
        "2027-03-31",
        "2027-03-31",
        "2028-03-31",
        "2027-03-31",
        "2026-12-31",
    ]
    assert checks["note"].iloc[0] == SICKNESS
    assert checks["note"].iloc[2] == NOTE
    assert format_target_date_warnings(checks)[0] == (
        'commitments file: "Reduce officer sickness to 9.0 days a year through a wellbeing '
        'programme" (workforce-c02) is due 31 March 2027, but its measure wf-officer-sickness '
        'has target "At or below 9.0 days per officer" with no target_date, so the reports '
        "judge it now: give the measure target_date 2027-03 in framework/measures.csv if the "
        "commitment's date holds, or reword the commitment"
    )
    # From December 2026 file quality's promise has fallen due, so it is no longer flagged.
    later = check_commitment_target_dates(sample, "2026-12")
    assert "effective-criminal-justice-c01" not in set(later["commitment_id"])
    assert len(later) == 4


def test_an_undated_target_named_by_a_later_commitment_is_flagged(sample: Dataset) -> None:
    checks = check_commitment_target_dates(undated(sample), PERIOD_END, NC)
    assert list(checks.columns) == TARGET_DATE_CHECK_COLUMNS
    assert list(checks["commitment_id"]) == ["neighbourhood-crime-c03"]
    row = checks.iloc[0]
    assert row["note"] == NOTE
    assert row["due_date"] == "2028-03-31" and row["judged_to"] == "2026-09"
    assert format_target_date_warnings(checks) == [
        'commitments file: "Reduce neighbourhood crime to 1,150 offences a month" '
        "(neighbourhood-crime-c03) is due 31 March 2028, but its measure "
        'nc-neighbourhood-crime has target "At or below 1,150 a month" with no target_date, '
        "so the reports judge it now: give the measure target_date 2028-03 in "
        "framework/measures.csv if the commitment's date holds, or reword the commitment"
    ]
    # Without a period, the measure's own latest figure is the month judged.
    judged = check_commitment_target_dates(undated(sample), None, NC)["judged_to"]
    assert list(judged) == ["2026-09"]


def test_a_commitment_already_due_or_naming_another_figure_is_not_flagged(
    sample: Dataset,
) -> None:
    data = undated(sample)
    # Due by the end of the period: the target applies now, as the promise has fallen due.
    assert check_commitment_target_dates(data, "2028-03").empty
    # A promise of another figure (a year's, as the savings promise is) puts no date in doubt.
    commitments = data.commitments.copy()
    row = commitments["commitment_id"] == "neighbourhood-crime-c03"
    commitments.loc[row, "commitment"] = "Reduce neighbourhood crime to 13,800 offences a year"
    assert check_commitment_target_dates(
        dataclasses.replace(data, commitments=commitments), PERIOD_END, NC
    ).empty
    # Not linked: nothing to check.
    commitments.loc[row, "commitment"] = "Reduce neighbourhood crime to 1,150 offences a month"
    commitments.loc[row, "measure_id"] = ""
    assert check_commitment_target_dates(
        dataclasses.replace(data, commitments=commitments), PERIOD_END, NC
    ).empty
    # Only the measures asked for (a report's own).
    assert check_commitment_target_dates(data, PERIOD_END, ["nc-burglary-rate"]).empty


def test_the_reader_is_told_in_the_notes_on_the_data_of_each_report(sample: Dataset) -> None:
    from pcplib import assessment

    data = undated(sample)
    for audience in ("board", "public"):
        notes = assessment.list_data_quality_notes(
            data, "neighbourhood-crime", PERIOD_END, audience, with_spc=False
        )
        assert notes.count(NOTE) == 1, audience
    # The plan overview's and the public About page's notes cover every strategy.
    every = assessment.list_data_quality_notes(data, None, PERIOD_END, "public", with_spc=False)
    assert NOTE in every
    # Another strategy's report does not carry it.
    other = assessment.list_data_quality_notes(data, "workforce", PERIOD_END, with_spc=False)
    assert NOTE not in other
    # The sample itself, as shipped: neighbourhood crime's and officer sickness's dates
    # disagree, and each report showing the measure says so once.
    shipped = assessment.list_data_quality_notes(
        sample, "neighbourhood-crime", PERIOD_END, with_spc=False
    )
    assert shipped.count(NOTE) == 1
    workforce = assessment.list_data_quality_notes(sample, "workforce", PERIOD_END)
    assert workforce.count(SICKNESS) == 1


def test_the_run_log_lists_the_warnings_and_a_public_run_counts_them(sample: Dataset) -> None:
    from pcplib.run.build import list_target_date_warnings

    data = undated(sample)
    lines = list_target_date_warnings(data)
    assert len(lines) == 5 and "(neighbourhood-crime-c03)" in lines[2]
    public = list_target_date_warnings(data, public=True)
    assert public == [
        "5 commitment(s) name a target figure whose measure has no target_date but are due "
        "later; `pcp validate` lists them"
    ]
    assert list_target_date_warnings(sample) == lines


def test_validate_warns_and_still_passes(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pcplib.cli import main

    copy = tmp_path / "data"
    shutil.copytree(data_dir, copy, ignore=shutil.ignore_patterns("reference"))
    path = copy / "framework" / "measures.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[frame["measure_id"] == "nc-neighbourhood-crime", "target_date"] = ""
    frame.to_csv(path, index=False)
    assert main(["validate", str(copy)]) == 0
    out = capsys.readouterr().out
    assert 'Warning: commitments file: "Reduce neighbourhood crime to 1,150 offences' in out
    assert "no target_date" in out


def dated(sample: Dataset) -> Dataset:
    """The sample with neighbourhood crime's target dated to its commitment (2028-03)."""
    return date_target(sample, "2028-03")


def test_a_green_strategy_on_a_course_is_on_course_not_meeting_its_target(
    sample: Dataset,
) -> None:
    # Dated to March 2028, neighbourhood crime is Green on its course (3,495 against 3,585
    # expected by now), above the 3,450 a quarter the target asks: not "meeting its target".
    from pcplib.assessment.strategy import summarise_strategy

    for audience in ("board", "public"):
        summary = summarise_strategy(dated(sample), "neighbourhood-crime", PERIOD_END, audience)
        assert summary.overall_rag == "Green"
        assert "1 on course for its target and 1 with no target" in summary.overall_explanation
        assert "meeting its target" not in summary.overall_explanation
        # As shipped, the target is undated and judged now: no course, and not Green.
        shipped = summarise_strategy(sample, "neighbourhood-crime", PERIOD_END, audience)
        assert shipped.overall_rag != "Green"
        assert "on course" not in shipped.overall_explanation
