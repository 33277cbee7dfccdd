"""A risk high in two quarters running stays listed and counted, as "also high" then."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pcplib.assessment.board import summarise_board_quarter
from pcplib.assessment.exceptions import list_exceptions
from pcplib.assessment.risks import ALREADY_HIGH, describe_high_risk, list_high_risks
from pcplib.assessment.strategy import summarise_strategy
from pcplib.data import Dataset, load_dataset
from pcplib.report.board import format_board_missions, format_board_owners

NP = "neighbourhood-policing"
RISK = "neighbourhood-policing-r01"
STANDING = "high risk, also high in 2026/27 Q1"


@pytest.fixture(scope="module")
def standing(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """A copy of the sample whose abstraction risk scores 4 × 4 = 16 in Q1 and Q2 alike."""
    copy = tmp_path_factory.mktemp("standing") / "data"
    shutil.copytree(data_dir, copy)
    path = copy / "returns" / "risks.csv"
    risks = pd.read_csv(path, dtype=str, keep_default_na=False)
    mine = risks["risk_id"] == RISK
    # The sample scores it 4 × 3 in both quarters: one step of impact makes it high in both.
    assert set(risks.loc[mine, "quarter"]) == {"2026/27 Q1", "2026/27 Q2"}
    risks.loc[mine, ["likelihood", "impact"]] = ["4", "4"]
    risks.to_csv(path, index=False, lineterminator="\n")
    return load_dataset(copy, today=dt.date(2026, 11, 23))


def test_the_words_say_what_is_known_of_a_high_risk() -> None:
    assert describe_high_risk("new", "2026-09") == "new high risk"
    assert describe_high_risk(ALREADY_HIGH, "2026-09") == STANDING
    assert describe_high_risk("no earlier score", "2026-09") == (
        "high risk (no earlier score on file)"
    )


def test_a_risk_high_in_both_quarters_needs_attention_in_its_strategy(standing: Dataset) -> None:
    # Review 14, R14-1: it was read as high (risk rating Amber) but left out of "Needs
    # attention" and the "But:" note, while the printed rule lists any high risk.
    high = list_high_risks(standing, NP, "2026-09")
    assert high[["risk_id", "novelty"]].values.tolist() == [[RISK, ALREADY_HIGH]]
    summary = summarise_strategy(standing, NP, "2026-09")
    assert summary.risk_rag == "Amber"
    assert f"1 {STANDING} (highest score 16; high is 15 or more)" in summary.rating_note, (
        summary.rating_note
    )
    found = list_exceptions(standing, summary)
    risk = found[found["kind"] == "risk"]
    assert risk["item_id"].tolist() == [RISK]
    assert risk.iloc[0]["reason"] == f"{STANDING}: likelihood 4 × impact 4 = 16 (high from 15)"
    # High, but not shown to have emerged: Amber, as the risk rating gives it.
    assert risk.iloc[0]["rag"] == "Amber"


def test_the_board_counts_and_lists_a_risk_high_in_both_quarters(standing: Dataset) -> None:
    board = summarise_board_quarter(standing, "2026-09", "2026-11")
    totals = board.totals
    # The sample's three high risks with no earlier score on file, and this one.
    assert (totals.new_risks, totals.standing_risks, totals.unknown_risks) == (0, 1, 3)
    page = format_board_owners(board)
    assert (
        "High risks: 4, none new; 1 also high in 2026/27 Q1; 3 not known to be new: no risk "
        "return for 2026/27 Q1 is on file for their strategies." in page
    )
    assert "1 high risk, also high in 2026/27 Q1" in page
    row = board.strategies.set_index("strategy_id").loc[NP]
    assert row["standing_risks"] == 1
    assert STANDING in row["rating_note"]
    missions = format_board_missions(board)
    assert "<strong>(high risk, score 16, also high in 2026/27 Q1)" in missions
    assert "A high risk that return scored high too is listed as also high then." in page
