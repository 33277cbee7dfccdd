"""Arrivals are checked against history: a figure far outside its series is one to confirm.

The rule is tested on series made here; ``pcp source police-uk`` on small archives made
here (a sudden fall to near zero is loaded, marked ``to confirm`` and listed with its
row; the usual month is not; a figure already to confirm stays so until a person
confirms it).
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pcplib.data.arrivals import (
    MIN_HISTORY,
    FigureToConfirm,
    check_arrival,
    mark_arrivals,
)
from pcplib.data.schemas import TO_CONFIRM

OBS = "observations/observations.csv"
LSOAS = tuple(
    f"{area} 001A"
    for area in (
        "Blaby", "Charnwood", "Harborough", "Hinckley and Bosworth", "Leicester", "Melton",
        "North West Leicestershire", "Oadby and Wigston", "Rutland",
    )
)  # fmt: skip
STEADY = [100.0, 104.0, 96.0, 101.0, 99.0, 103.0, 97.0, 100.0, 102.0, 98.0, 101.0, 99.0]


# --- the rule ---------------------------------------------------------------------------


def test_check_arrival_passes_a_figure_within_what_the_series_has_shown():
    assert check_arrival(STEADY, 95.0) == ""
    assert check_arrival(STEADY, 108.0, counts=True) == ""


def test_check_arrival_flags_a_fall_to_a_small_fraction_of_the_lowest():
    reason = check_arrival(STEADY, 9.0, counts=True)
    assert reason.startswith("below half the lowest of 12 earlier figures")
    assert "9 against a lowest of 96" in reason


def test_check_arrival_flags_a_rise_beyond_twice_the_highest():
    assert check_arrival(STEADY, 250.0).startswith("above twice the highest")


def test_check_arrival_flags_a_move_larger_than_ever_before():
    # 150 is not twice the highest, but a move of 51 against a largest move of 8.
    assert "more than twice the largest move" in check_arrival(STEADY, 150.0)


def test_check_arrival_allows_for_chance_in_small_counts():
    small = [2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0]
    # 0 is below half the lowest and 9 a move three times any before, but a Poisson
    # count with a mean of 2 or 3 reaches either often enough to be chance.
    assert check_arrival(small, 0.0, counts=True) == ""
    assert check_arrival(small, 9.0, counts=True) == ""
    assert check_arrival(small, 0.0, counts=False) != ""


def test_check_arrival_needs_a_years_history():
    assert check_arrival(STEADY[: MIN_HISTORY - 1], 1.0) == ""


def test_mark_arrivals_marks_and_locates_only_arriving_outliers():
    rows = [
        {
            "measure_id": "m", "area": "A", "definition": "current",
            "period_start": f"{month.date()}", "value": str(value), "numerator": "",
            "status": "final",
        }
        for month, value in zip(
            pd.date_range("2024-01-01", periods=14, freq="MS"), [*STEADY, 100, 3], strict=True
        )
    ]  # fmt: skip
    places = {12: "obs.csv, row 14", 13: "obs.csv, row 15 (from feb.csv)"}
    found = mark_arrivals(rows, {12, 13}, {"m": True}, places)
    assert found == [
        FigureToConfirm(
            "m", "A", "2025-02", 3.0,
            "below half the lowest of 13 earlier figures (3 against a lowest of 96)",
            "obs.csv, row 15 (from feb.csv)",
        )
    ]  # fmt: skip
    assert rows[13]["status"] == TO_CONFIRM
    assert rows[12]["status"] == "final", "an arrival within its history is not marked"


# --- pcp source police-uk ---------------------------------------------------------------


@pytest.fixture()
def dataset(police_uk_data) -> Path:
    return police_uk_data()


def write_archive(police_uk, path: Path, months: dict[str, dict[str, int]]) -> Path:
    """An archive with ``months[month][crime_type]`` rows, dealt round the local authorities."""
    members = {}
    for month, counts in months.items():
        rows = [
            police_uk.row(month, crime_type, LSOAS[i % len(LSOAS)], f"{month}-{crime_type}-{i}")
            for crime_type, n in counts.items()
            for i in range(n)
        ]
        members[f"{month}/{month}-leicestershire-street.csv"] = police_uk.csv(rows)
    return police_uk.archive(path, members)


def read_rows(root: Path, measure_id: str, area: str = "LLR") -> dict[str, dict[str, str]]:
    with (root / OBS).open(encoding="utf-8", newline="") as handle:
        return {
            r["period_start"][:7]: r
            for r in csv.DictReader(handle)
            if r["measure_id"] == measure_id and r["area"] == area
        }


MONTHS = [str(p) for p in pd.period_range("2023-01", "2024-02", freq="M")]


def test_a_sudden_fall_is_loaded_marked_and_listed(
    dataset: Path, police_uk, tmp_path: Path, capsys: pytest.CaptureFixture[str], pcp_source
) -> None:
    months = {m: {"Shoplifting": 60 + (i % 3), "Burglary": 40} for i, m in enumerate(MONTHS)}
    months["2024-02"] = {"Shoplifting": 4, "Burglary": 41}
    zip_path = write_archive(police_uk, tmp_path / "leics.zip", months)
    assert pcp_source.police_uk(str(zip_path), "--data", str(dataset), "--replace") == 0
    out = capsys.readouterr().out
    shop = read_rows(dataset, "bc-shoplifting")
    assert shop["2024-02"]["value"] == "4", "loaded: the data set is the record"
    assert shop["2024-02"]["status"] == TO_CONFIRM
    assert shop["2024-01"]["status"] == "final"
    assert read_rows(dataset, "nc-neighbourhood-crime")["2024-02"]["status"] == "final"
    assert "figure(s) to confirm" in out
    listed = [line for line in out.splitlines() if "bc-shoplifting, LLR, 2024-02" in line]
    assert listed and "observations.csv, row " in listed[0]
    assert "2024-02-leicestershire-street.csv" in listed[0]
    assert "below half the lowest" in listed[0]


def test_a_figure_to_confirm_stays_so_until_confirmed_and_then_stays_confirmed(
    dataset: Path, police_uk, tmp_path: Path, capsys: pytest.CaptureFixture[str], pcp_source
) -> None:
    months = {m: {"Shoplifting": 60} for m in MONTHS}
    months["2024-02"] = {"Shoplifting": 4}
    zip_path = write_archive(police_uk, tmp_path / "leics.zip", months)
    assert pcp_source.police_uk(str(zip_path), "--data", str(dataset), "--replace") == 0
    capsys.readouterr()
    assert pcp_source.police_uk(str(zip_path), "--data", str(dataset)) == 0
    assert read_rows(dataset, "bc-shoplifting")["2024-02"]["status"] == TO_CONFIRM
    # A person checks the figure with the force and confirms it.
    obs = dataset / OBS
    text = obs.read_text(encoding="utf-8")
    obs.write_text(text.replace(f",{TO_CONFIRM},", ",final,"), encoding="utf-8")
    assert pcp_source.police_uk(str(zip_path), "--data", str(dataset)) == 0
    out = capsys.readouterr().out
    assert read_rows(dataset, "bc-shoplifting")["2024-02"]["status"] == "final"
    assert "to confirm" not in out


# --- reports judge no change on a figure to confirm ---------------------------------------


@pytest.fixture(scope="module")
def waiting(data_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """The sample with August 2026's total crime (a count) and burglary rate (an
    average) marked to confirm, and their judgements for the quarter to September 2026."""
    from pcplib.assessment.quality import list_data_quality_notes
    from pcplib.assessment.strategy import summarise_strategy
    from pcplib.data import load_dataset

    root = tmp_path_factory.mktemp("waiting") / "data"
    shutil.copytree(data_dir, root, ignore=shutil.ignore_patterns("reference", "README.md"))
    obs = pd.read_csv(root / OBS, dtype=str, keep_default_na=False)
    marked = obs["measure_id"].isin(["nc-total-crime", "nc-burglary-rate"])
    marked &= obs["period_start"].str.startswith("2026-08") & (obs["area"] == "LLR")
    assert marked.sum() == 2
    obs.loc[marked, "status"] = TO_CONFIRM
    obs.to_csv(root / OBS, index=False, lineterminator="\n")
    dataset = load_dataset(root)
    summary = summarise_strategy(dataset, "neighbourhood-crime", "2026-09")
    notes = list_data_quality_notes(dataset, "neighbourhood-crime", "2026-09")
    return summary, summary.measures.set_index("measure_id"), notes


def test_a_count_with_a_figure_to_confirm_is_not_judged(waiting):
    _, rows, _ = waiting
    total = rows.loc["nc-total-crime"]
    assert total["current"] is None or pd.isna(total["current"])
    assert total["judgement"] == "not measurable"
    assert total["completeness"] == "2 of 3 months; to be confirmed 2026-08"
    assert total["current_label"].endswith("a figure to be confirmed 2026-08")
    assert total["to_confirm"] == "2026-08"
    assert total["sentence"].startswith("A figure to be confirmed (2026-08)")
    assert total["year_ending_judgement"] == "not measurable"


def test_an_average_with_a_figure_to_confirm_is_compared_without_it(waiting):
    _, rows, _ = waiting
    rate = rows.loc["nc-burglary-rate"]
    assert rate["completeness"] == "2 of 3 months; to be confirmed 2026-08"
    assert rate["comparison_completeness"] == "3 of 3 months; like for like without 2025-08"
    assert "figures to confirm" in rate["quality"]


def test_the_roll_up_and_data_notes_name_the_figure_to_confirm(waiting):
    summary, rows, notes = waiting
    assert rows.loc["nc-total-crime", "rag"] == "Grey"
    if rows.loc["nc-total-crime", "tier"] == "headline":
        assert "a figure to be confirmed" in summary.overall_explanation
    # A commitment's date conflict is "to be confirmed" too, of another kind.
    said = [n for n in notes if "to be confirmed" in n and "dates holds" not in n]
    assert len(said) == 2
    assert said[0].startswith("Total recorded crime (excluding fraud): the figure for August 2026")


def test_a_sentence_says_which_figure_was_left_out_to_be_confirmed(waiting):
    _, rows, _ = waiting
    rate = rows.loc["nc-burglary-rate"]
    assert "(the figure for 2026-08 is to be confirmed, so left out)" in rate["sentence"]
    assert rate["last_year_label"] == "2025/26 Q2 (2 of 3 months; like for like)"


def test_a_figure_to_confirm_outside_the_quarters_compared_is_not_said_left_out(
    data_dir: Path, tmp_path: Path
) -> None:
    from pcplib.assessment.strategy import summarise_strategy
    from pcplib.data import load_dataset

    root = tmp_path / "data"
    shutil.copytree(data_dir, root, ignore=shutil.ignore_patterns("reference", "README.md"))
    obs = pd.read_csv(root / OBS, dtype=str, keep_default_na=False)
    marked = (obs["measure_id"] == "nc-burglary-rate") & obs["period_start"].str.startswith(
        "2026-04"
    )
    obs.loc[marked, "status"] = TO_CONFIRM
    obs.to_csv(root / OBS, index=False, lineterminator="\n")
    summary = summarise_strategy(load_dataset(root), "neighbourhood-crime", "2026-09")
    rate = summary.measures.set_index("measure_id").loc["nc-burglary-rate"]
    assert rate["to_confirm"] == "2026-04"
    assert rate["year_ending_completeness"] == "11 of 12 months; to be confirmed 2026-04"
    assert "to be confirmed" not in rate["sentence"]
