"""Outcome measures from police.uk street files' ``Last outcome category``.

A measure naming ``police_uk_outcomes`` gets numerator, denominator and share from
``pcp source police-uk``; the latest months, whose outcomes are still open, are written
provisional (how many decided from the download); a fall the lag can explain is never
judged. Small archives are made here; the shared Leicestershire and Nottinghamshire
files are read in place (skipped, saying why, when ``../shared`` is absent).
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pcplib.data import load_dataset
from pcplib.data.outcomes import (
    CHARGED,
    OPEN_EXCESS_PP,
    OUTCOME_GROUPS,
    find_provisional_months,
    parse_outcomes,
)

TODAY = dt.date(2026, 11, 23)
OBS = "observations/observations.csv"
MEASURES = "framework/measures.csv"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "open-data" / "police-uk"
ARCHIVE = SHARED / "police-uk-2023-01-to-2024-12-leicestershire-nottinghamshire.zip"
LSOAS = tuple(
    f"{area} 001A"
    for area in (
        "Blaby", "Charnwood", "Harborough", "Hinckley and Bosworth", "Leicester", "Melton",
        "North West Leicestershire", "Oadby and Wigston", "Rutland",
    )
)  # fmt: skip
MONTHS = [str(p) for p in pd.period_range("2023-01", "2024-12", freq="M")]


# --- the categories and the rule ----------------------------------------------------------


def test_parse_outcomes_reads_categories_and_groups():
    assert parse_outcomes("") == []
    both = parse_outcomes("Offender given a caution | Local resolution")
    assert both == ["Offender given a caution", "Local resolution"]
    charged = parse_outcomes(CHARGED)
    assert "Court result unavailable" in charged and "Awaiting court outcome" in charged
    assert all(OUTCOME_GROUPS[c] == CHARGED for c in charged)
    # A category holding ';' is one category: '|' separates them.
    assert parse_outcomes("Investigation complete; no suspect identified") == [
        "Investigation complete; no suspect identified"
    ]


def outcome_frame(open_shares: dict[str, float], crimes: int = 1000) -> pd.DataFrame:
    rows = []
    for month, share in open_shares.items():
        opened = round(crimes * share / 100)
        rows.append({"month": month, "crime_type": "Burglary",
                     "outcome": "Under investigation", "crimes": opened})  # fmt: skip
        rows.append({"month": month, "crime_type": "Burglary",
                     "outcome": "Court result unavailable", "crimes": crimes - opened})  # fmt: skip
        rows.append({"month": month, "crime_type": "Anti-social behaviour",
                     "outcome": "", "crimes": 500})  # fmt: skip
    return pd.DataFrame(rows)


def test_find_provisional_months_counts_back_while_outcomes_are_open():
    shares = {m: 0.2 for m in MONTHS}
    shares.update({"2024-09": 1.0, "2024-10": 1.5, "2024-11": 2.5, "2024-12": 6.0})
    found = find_provisional_months(outcome_frame(shares))
    assert found.settled_share == pytest.approx(0.2)
    # September is 0.8 point above settled: within OPEN_EXCESS_PP, so settled enough.
    assert OPEN_EXCESS_PP == 1.0
    assert found.months == ("2024-10", "2024-11", "2024-12")
    assert found.describe().startswith("3 latest month(s) provisional")


def test_find_provisional_months_finds_none_when_outcomes_have_settled():
    found = find_provisional_months(outcome_frame({m: 0.3 for m in MONTHS}))
    assert found.months == ()


# --- pcp source police-uk -----------------------------------------------------------------


def with_outcome_measure(
    root: Path, outcomes: str = CHARGED, unit: str = "percent", types: str = "Shoplifting"
) -> None:
    """Map the sample's shoplifting positive-outcome measure to police.uk's outcomes."""
    measures = pd.read_csv(root / MEASURES, dtype=str, keep_default_na=False)
    at = measures["measure_id"] == "bc-shoplifting-positive-outcome"
    measures.loc[at, "police_uk_crime_types"] = types
    measures["police_uk_outcomes"] = ""
    measures.loc[at, "police_uk_outcomes"] = outcomes
    measures.loc[at, "unit"] = unit
    measures.to_csv(root / MEASURES, index=False, lineterminator="\n")


@pytest.fixture()
def dataset(police_uk_data) -> Path:
    return police_uk_data(with_outcome_measure)


def write_archive(police_uk, path: Path, outcomes_of: dict[str, dict[str, int]]) -> Path:
    """Shoplifting rows per month with the given outcomes, dealt round the areas."""
    members = {}
    for month, outcomes in outcomes_of.items():
        rows = []
        for outcome, n in outcomes.items():
            for _ in range(n):
                i = len(rows)
                row = police_uk.row(month, "Shoplifting", LSOAS[i % len(LSOAS)], f"{month}-{i}")
                row[10] = outcome
                rows.append(row)
        members[f"{month}/{month}-leicestershire-street.csv"] = police_uk.csv(rows)
    return police_uk.archive(path, members)


def read_rows(root: Path, measure_id: str, area: str = "LLR") -> dict[str, dict[str, str]]:
    with (root / OBS).open(encoding="utf-8", newline="") as handle:
        return {
            r["period_start"][:7]: r
            for r in csv.DictReader(handle)
            if r["measure_id"] == measure_id and r["area"] == area
        }


def settled_month(charged: int = 20) -> dict[str, int]:
    return {
        "Court result unavailable": charged,
        "Investigation complete; no suspect identified": 90 - charged,
        "Local resolution": 10,
    }


def test_an_outcome_measure_gets_numerator_denominator_and_share(
    dataset: Path, police_uk, tmp_path: Path, capsys: pytest.CaptureFixture[str], pcp_source
) -> None:
    months = {m: settled_month() for m in MONTHS}
    # The latest two months: a tenth of crimes still under investigation.
    months["2024-11"] = {**settled_month(18), "Under investigation": 10,
                         "Investigation complete; no suspect identified": 62}  # fmt: skip
    months["2024-12"] = {**settled_month(12), "Under investigation": 20,
                         "Awaiting court outcome": 4,
                         "Investigation complete; no suspect identified": 54}  # fmt: skip
    zip_path = write_archive(police_uk, tmp_path / "leics.zip", months)
    assert pcp_source.police_uk(str(zip_path), "--data", str(dataset)) == 0
    out = capsys.readouterr().out
    rows = read_rows(dataset, "bc-shoplifting-positive-outcome")
    june = rows["2024-06"]
    assert (june["numerator"], june["denominator"], june["value"]) == ("20", "100", "20.00")
    assert june["status"] == "final"
    december = rows["2024-12"]
    # Awaiting court outcome is a charge: 12 + 4 of 100.
    assert (december["numerator"], december["value"]) == ("16", "16.00")
    assert rows["2024-11"]["status"] == rows["2024-12"]["status"] == "provisional"
    assert rows["2024-10"]["status"] == "final"
    assert "outcomes: 2 latest month(s) provisional" in out
    # The local authorities get their own shares.
    assert read_rows(dataset, "bc-shoplifting-positive-outcome", "Charnwood")["2024-06"][
        "denominator"
    ] in ("11", "12")
    load_dataset(dataset, today=TODAY)


def test_an_outcome_measure_must_be_a_percentage_of_crimes(dataset: Path) -> None:
    from pcplib.data import DataValidationError

    with_outcome_measure(dataset, unit="count")
    with pytest.raises(DataValidationError) as caught:
        load_dataset(dataset, today=TODAY)
    assert "police_uk_outcomes" in str(caught.value) and "'percent'" in str(caught.value)


def test_an_unknown_outcome_category_is_refused(dataset: Path) -> None:
    from pcplib.data import DataValidationError

    with_outcome_measure(dataset, outcomes="Charged")
    with pytest.raises(DataValidationError) as caught:
        load_dataset(dataset, today=TODAY)
    assert "police_uk_outcomes" in str(caught.value) and "'Charged'" in str(caught.value)


# --- a fall the lag can explain is never judged -------------------------------------------


def judged_with(data_dir: Path, root: Path, factor: float, status: str) -> pd.Series:
    """The outcome measure's row for the quarter to September 2026, its July to September
    figures scaled by ``factor`` and given ``status``."""
    from pcplib.assessment.measures import summarise_measures

    shutil.copytree(data_dir, root, ignore=shutil.ignore_patterns("reference", "README.md"))
    with_outcome_measure(root)
    obs = pd.read_csv(root / OBS, dtype=str, keep_default_na=False)
    at = (obs["measure_id"] == "bc-shoplifting-positive-outcome") & obs["period_start"].isin(
        ["2026-07-01", "2026-08-01", "2026-09-01"]
    )
    numerator = (obs.loc[at, "numerator"].astype(float) * factor).round()
    obs.loc[at, "numerator"] = numerator.astype(int).astype(str)
    value = 100 * numerator / obs.loc[at, "denominator"].astype(float)
    obs.loc[at, "value"] = value.round(1).astype(str)
    obs.loc[at, "status"] = status
    obs.to_csv(root / OBS, index=False, lineterminator="\n")
    rows = summarise_measures(load_dataset(root, today=TODAY), "business-crime", "2026-09")
    return rows.set_index("measure_id").loc["bc-shoplifting-positive-outcome"]


def test_a_fall_in_an_outcome_share_with_open_outcomes_is_not_judged(data_dir, tmp_path):
    row = judged_with(data_dir, tmp_path / "open", 0.5, "provisional")
    assert row["direction"] == "down"
    assert row["judgement"] == "no evidence of change"
    assert row["change_evidence"] == "open outcomes"
    assert "the fall may be the lag of outcomes" in row["sentence"]
    assert row["spc_variation"] != "special_cause_concern"
    # Short of the 22% target, but not rated while the outcomes are open.
    assert row["rag"] == "Grey" and "outcomes are still open" in row["rag_reason"]


def test_the_same_fall_with_settled_outcomes_is_judged(data_dir, tmp_path):
    row = judged_with(data_dir, tmp_path / "settled", 0.5, "final")
    assert row["direction"] == "down" and row["judgement"] == "deteriorated"
    assert row["rag"] == "Red"


def test_a_rise_with_open_outcomes_is_still_judged(data_dir, tmp_path):
    row = judged_with(data_dir, tmp_path / "rise", 1.6, "provisional")
    assert row["direction"] == "up" and row["judgement"] == "improved"


def test_the_roll_up_names_an_outcome_share_not_rated_for_open_outcomes(data_dir, tmp_path):
    from pcplib.assessment.strategy import summarise_strategy

    judged_with(data_dir, tmp_path / "open", 0.5, "provisional")
    summary = summarise_strategy(load_dataset(tmp_path / "open", today=TODAY), "business-crime",
                                 "2026-09")  # fmt: skip
    assert "(its latest outcomes still open)" in summary.overall_explanation


def test_an_area_with_no_crime_of_the_types_has_no_share_and_says_why(
    dataset: Path, police_uk, tmp_path: Path, pcp_source
) -> None:
    with_outcome_measure(dataset, types="Bicycle theft")
    members = {}
    for month in MONTHS:
        rows = [police_uk.row(month, "Burglary", LSOAS[i % 9], f"{month}-b{i}") for i in range(90)]
        for i in range(2):  # two bicycle thefts a month, in Blaby and Charnwood only
            row = police_uk.row(month, "Bicycle theft", LSOAS[i], f"{month}-c{i}")
            row[10] = "Court result unavailable" if i else "Unable to prosecute suspect"
            rows.append(row)
        members[f"{month}/{month}-leicestershire-street.csv"] = police_uk.csv(rows)
    zip_path = police_uk.archive(tmp_path / "bikes.zip", members)
    assert pcp_source.police_uk(str(zip_path), "--data", str(dataset)) == 0
    rutland = read_rows(dataset, "bc-shoplifting-positive-outcome", "Rutland")["2024-06"]
    assert rutland["value"] == "" and "no share (2024-06 has no such crime)" in rutland["source"]
    force = read_rows(dataset, "bc-shoplifting-positive-outcome")["2024-06"]
    assert (force["numerator"], force["denominator"], force["value"]) == ("1", "2", "50.00")


# --- only police.uk's cohort shares have open outcomes (review 9 R9-20, review 10 R10-3) ---


@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        ({"unit": "percent", "police_uk_outcomes": "charged or summonsed"}, True),
        # Outcomes assigned in the month: provisional months may move either way.
        ({"unit": "percent", "source": "Police recorded crime outcomes"}, False),
        ({"unit": "percent", "source": "Commissioned victim service outcome returns"}, False),
        ({"unit": "percent", "police_uk_outcomes": ""}, False),
    ],
)
def test_counts_outcomes_names_police_uk_cohort_shares_only(measure, expected) -> None:
    from pcplib.assessment.changes import counts_outcomes

    assert counts_outcomes(measure) is expected


def test_a_share_of_outcomes_assigned_in_the_month_is_rated_on_its_target(sample) -> None:
    # The sample's shoplifting outcome share is 21.9% against at least 22.0% over July to
    # September 2026, all three months provisional: rated on its target and record as
    # usual, never left unrated for want of settled months it can never have.
    from pcplib.assessment.exceptions import describe_rating_plainly
    from pcplib.assessment.measures import summarise_measures

    rows = summarise_measures(sample, "business-crime", "2026-09").set_index("measure_id")
    row = rows.loc["bc-shoplifting-positive-outcome"]
    assert row["rag"] in ("Amber", "Red") and row["rag_rule"] != "outcomes_open"
    assert "no target" not in row["sentence"]
    assert "not enough evidence" not in describe_rating_plainly(row.to_dict(), "Amber")


def test_a_share_not_rated_for_open_outcomes_is_worded_for_each_reader() -> None:
    # One wording of the rule (assessment.harm.describe_grey_rule): the Board's plain
    # "Why" and the public report's reason, never "no target" or "not enough evidence".
    from pcplib.assessment.exceptions import describe_rating_plainly
    from pcplib.assessment.public_unrated import describe_public_not_rated

    row = {"rag": "Grey", "rag_basis": "none", "rag_rule": "outcomes_open", "has_data": True,
           "good_direction": "higher", "unit": "percent", "spc_status": "assessed"}  # fmt: skip
    assert describe_rating_plainly(row, "Amber") == (
        "not rated: short of its target while its latest months' outcomes are still open, "
        "so not rated until they settle"
    )
    assert describe_public_not_rated(row) == (
        "it is short of its target, but the latest months' outcomes are still being decided "
        "and can only add to it, so it is not rated until they are"
    )
    # The plan overview's cell keeps its short form.
    from pcplib.report.overview import format_rating_basis

    assert format_rating_basis(row) == (
        "short of its target while its latest outcomes are open: not rated yet"
    )
