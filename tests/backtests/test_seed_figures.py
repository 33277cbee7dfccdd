"""Back tests: pcplib.metrics reproduces the figures published in the seed papers.

Table One of the March 2024 delivery report (seed 004) is stored in
data/reference/table_one_2021_24.csv; its trend arrows are rebuilt from the
baseline and current values. The percentage statements in the papers' text are
recomputed from the figures the papers give, each case quoting its sentence.
Every quote must be one of tests/reference/seed_quotes.csv, and every line of that
file is checked to be in its seed paper when the papers are beside the repository
(../shared/seeds), so a case cannot drift from its source.
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import pytest

from pcplib.metrics import arrow, direction, judge_change, pct_change, pp_change
from pcplib.rag import normalise_rating

SEED_003 = "003_1685660840f70238.txt"
SEED_004 = "004_fc68eef314e5099b.txt"


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _read_quotes(path: Path) -> dict[str, list[str]]:
    quotes: dict[str, list[str]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            quotes.setdefault(row["seed"], []).append(row["quote"])
    return quotes


@pytest.fixture(scope="module")
def seed_quotes(reference_dir: Path) -> dict[str, list[str]]:
    """The sentences these tests quote, by seed paper (tests/reference/seed_quotes.csv)."""
    return _read_quotes(reference_dir / "seed_quotes.csv")


@pytest.fixture(scope="module")
def seed_text(seed_quotes: dict[str, list[str]]):
    """The recorded quotes of a seed paper, joined: a test's quote must be one of them."""
    return lambda name: " | ".join(seed_quotes[name])


@pytest.fixture(scope="module")
def seed_paper(seeds_dir: Path):
    """A seed paper's whole text, whitespace squashed (skipped without ../shared/seeds)."""
    return lambda name: _squash((seeds_dir / name).read_text(encoding="utf-8"))


def test_every_recorded_quote_is_in_its_seed_paper(seed_quotes, seed_paper):
    for name, quotes in seed_quotes.items():
        text = seed_paper(name)
        missing = [quote for quote in quotes if quote not in text]
        assert not missing, (name, missing)


@pytest.fixture(scope="module")
def table_one(repo_root: Path) -> list[dict[str, str]]:
    path = repo_root / "data" / "reference" / "table_one_2021_24.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _number(text: str) -> float | None:
    return None if text == "" else float(text)


# --- Table One -------------------------------------------------------------------------


def test_table_one_has_every_published_row(table_one):
    assert len(table_one) == 21
    assert len({row["theme"] for row in table_one}) == 11  # "the 11 main themes" (para 4)
    assert {row["published_trend"] for row in table_one} == {"▲", "▼", "‡"}


def test_table_one_columns(table_one):
    assert list(table_one[0]) == [
        "theme",
        "commitments",
        "current_rag",
        "measure",
        "baseline",
        "current",
        "published_trend",
        "projected_delivery",
        "baseline_note",
        "source",
        "page",
    ]


def test_table_one_trend_rebuilt_from_baseline_and_current(table_one):
    for row in table_one:
        rebuilt = arrow(direction(_number(row["baseline"]), _number(row["current"])))
        assert rebuilt == row["published_trend"], row["measure"]


def test_table_one_rows_without_baseline_say_why(table_one):
    unmeasurable = [row for row in table_one if row["baseline"] == ""]
    assert {row["measure"] for row in unmeasurable} == {
        "Number N'hood Alert Users",
        "Complaints into Force",
    }
    for row in unmeasurable:
        assert row["baseline_note"], row["measure"]


def test_table_one_complaints_note_quotes_paragraph_12(table_one, seed_text):
    # Seed 004, para 12: "Force Complaints are showing as unmeasurable this is due to
    # data being unavailable for the baseline time period."
    (row,) = [r for r in table_one if r["measure"] == "Complaints into Force"]
    quote = re.search(r'"(.+)"', row["baseline_note"]).group(1)
    assert quote in seed_text(SEED_004)
    # Stored as published (0), the baseline would give ▲, not the published ‡.
    assert arrow(direction(0, float(row["current"]))) != row["published_trend"]


def test_table_one_current_rag_words(table_one):
    assert {normalise_rating(row["current_rag"]) for row in table_one} == {"Green", "Amber", "Red"}
    # The dashboards write "Amber" where Table One writes "Yellow" (Urban Policing).
    urban = {row["current_rag"] for row in table_one if row["theme"] == "Urban Policing"}
    assert urban == {"Yellow"}


def test_table_one_values_appear_in_the_seed(table_one, seed_paper):
    text = seed_paper(SEED_004)
    for row in table_one:
        for column in ("baseline", "current"):
            if row[column] == "":
                continue
            value = int(float(row[column]))
            shown = (rf"{value:,}|{value}") if value >= 1000 else str(value)
            assert re.search(rf"(?<![\d,])({shown})%?(?![\d,])", text), (row["measure"], column)
        assert f"{row['projected_delivery']}%" in text


# --- Percentage statements in the papers' text ------------------------------------------


def test_crimestoppers_reports_up_371_percent(seed_text):
    # Seed 003, para 24: "Over the period 80 reports were made to Crimestoppers, an
    # increase of 371% when compared to the previous period (17 reports)."
    assert "an increase of 371% when compared to the previous period (17 reports)" in seed_text(
        SEED_003
    )
    assert pct_change(17, 80) == pytest.approx(370.588, abs=1e-3)
    assert round(pct_change(17, 80)) == 371


def test_neighbourhood_officers_up_over_17_percent(seed_text, table_one):
    # Seed 004, para 11d: "The number of Neighbourhood Officers has increased by over 17%"
    assert "The number of Neighbourhood Officers has increased by over 17%" in seed_text(SEED_004)
    (row,) = [r for r in table_one if r["measure"] == "Number of Neighbourhood Officers"]
    change = pct_change(float(row["baseline"]), float(row["current"]))
    assert (row["baseline"], row["current"]) == ("161", "189")
    assert 17 < change < 18


def test_seven_new_front_enquiry_offices(seed_text, table_one):
    # Seed 004, para 11d: "... and there have been seven new front enquiry desks."
    assert "there have been seven new front enquiry desks" in seed_text(SEED_004)
    (row,) = [r for r in table_one if r["measure"] == "Number of Front Enquiry Offices"]
    assert float(row["current"]) - float(row["baseline"]) == 7


def test_energy_usage_down_28_percent(seed_text, table_one):
    # Seed 004, High Tech Policing dashboard: "The total energy usage by the force has
    # reduced significantly (-28%) when compared to the baseline."
    assert "has reduced significantly (-28%) when compared to the baseline" in seed_text(SEED_004)
    (row,) = [r for r in table_one if r["measure"] == "Annual Energy Usage"]
    assert (row["baseline"], row["current"]) == ("14310294", "10284362")
    assert round(pct_change(14_310_294, 10_284_362)) == -28


def test_urban_offences_up_4_percent(seed_text, table_one):
    # Seed 004, para 13b: "The recorded crime figures show a 4% increase when compared to
    # the financial year preceding the PCCs term."
    assert "The recorded crime figures show a 4% increase" in seed_text(SEED_004)
    (row,) = [r for r in table_one if r["measure"] == "Number of Reported Urban Offences"]
    assert round(pct_change(float(row["baseline"]), float(row["current"]))) == 4


def test_victim_satisfaction_fell_six_percentage_points(seed_text, table_one):
    # Seed 004, para 13d: "victim satisfaction has fallen by six percent when comparing
    # the baseline to the most recent data". The "six percent" is a fall of 6 percentage
    # points (85 to 79); as a relative change it would be about -7%.
    assert "victim satisfaction has fallen by six percent" in seed_text(SEED_004)
    (row,) = [r for r in table_one if r["measure"] == "Victim Satisfaction"]
    assert pp_change(float(row["baseline"]), float(row["current"])) == -6
    assert round(pct_change(85, 79)) == -7


def test_special_constables_up_almost_eighty(seed_text, table_one):
    # Seed 004, para 11a: "The number of special constables has increased by almost eighty."
    assert "The number of special constables has increased by almost eighty." in seed_text(SEED_004)
    (row,) = [r for r in table_one if r["measure"] == "Number of Special Constables"]
    increase = float(row["current"]) - float(row["baseline"])
    assert increase == 79
    assert 75 <= increase < 80


def test_special_constables_up_over_200_percent(seed_text):
    # Seed 004, Visible Policing dashboard: "The number of special constables has
    # increased by over 200% when compared to the baseline financial year of 2020/21
    # (33 specials compared to 102)." (The dashboard's figures differ from Table One's
    # 30 and 109, which give over 200% too.)
    assert "increased by over 200% when compared to the baseline financial year of 2020/21 " in (
        seed_text(SEED_004)
    )
    assert "(33 specials compared to 102)" in seed_text(SEED_004)
    assert pct_change(33, 102) == pytest.approx(209.09, abs=0.01)
    assert pct_change(33, 102) > 200
    assert pct_change(30, 109) > 200


def test_file_quality_up_26pp_is_consistent_with_rounding(seed_text):
    # Seed 004, Partnerships dashboard: "the average police file quality compliance for
    # the baseline year was 38% compliance, the latest compliance average is 65%, an
    # increase of 26pp." 65 - 38 is 27, but the three figures are rounded: 38 stands for
    # [37.5, 38.5) and 65 for [64.5, 65.5), so the true change lies in (26, 28), and
    # "26pp" is a rounding of any change in [25.5, 26.5). Both hold for a change in
    # (26, 26.5), e.g. 38.4% to 64.5%: the statement is consistent, if at the edge.
    assert "was 38% compliance, the latest compliance average is 65%, an increase of 26pp" in (
        seed_text(SEED_004)
    )
    assert pp_change(38, 65) == 27
    lowest = pp_change(38.5, 64.5)
    highest = pp_change(37.5, 65.5)
    assert lowest == 26 and highest == 28
    assert max(lowest, 25.5) < min(highest, 26.5)
    assert round(pp_change(38.4, 64.5), 1) == 26.1


def test_complaint_reviews_up_32_5_percent_implies_40_last_year(seed_text):
    # Seed 003, para 44: "Fifty-three complaint reviews were received by the OPCC in the
    # period April-July. When compared to the previous year this represents a 32.5%
    # increase in requests for complaint reviews." The paper does not give last year's
    # number; 40 is the only whole number that gives 32.5% to one decimal place.
    assert "this represents a 32.5% increase in requests for complaint reviews" in seed_text(
        SEED_003
    )
    assert "Fifty-three complaint reviews were received" in seed_text(SEED_003)
    implied = [n for n in range(1, 53) if round(pct_change(n, 53), 1) == 32.5]
    assert implied == [40]
    assert pct_change(40, 53) == pytest.approx(32.5)


def test_rural_offences_narrative_differs_from_table_one(seed_text, table_one):
    # Seed 004, Rural Policing dashboard: "Reported rural crime is up by 23% since the
    # baseline year". Table One's figures (15,813 to 24,793) give +57%, so the two cannot
    # both describe the same periods; data/reference/README.md records the discrepancy.
    # This test keeps the record honest: if it ever reconciles, the README must change.
    assert "Reported rural crime is up by 23% since the baseline year" in seed_text(SEED_004)
    (row,) = [r for r in table_one if r["measure"] == "Number of Reported Rural Offences"]
    assert round(pct_change(float(row["baseline"]), float(row["current"]))) == 57


# --- Judgements: paragraph 11 (positive movement) and 13 (adverse movement) -------------

# Each measure the paper calls positive (para 11) or adverse (para 13), with the good
# direction its sentence implies. Rural and shoplifting reporting rising is called
# positive ("people are finding it easier to report"): a rise in reported offences can
# be good, which is why arrows and judgements are separate.
NARRATIVE_JUDGEMENTS = [
    ("Number of Special Constables", "higher", "improved"),  # 11a
    ("Number of Reported Rural Offences", "higher", "improved"),  # 11b
    ("Number Electric Vehicles", "higher", "improved"),  # 11c
    ("Annual Energy Usage", "lower", "improved"),  # 11c
    ("Number of Neighbourhood Officers", "higher", "improved"),  # 11d
    ("Number of Front Enquiry Offices", "higher", "improved"),  # 11d
    ("Number N'hood Alert Users", "higher", "not measurable"),  # 11e "no baseline"
    ("Number of Reported Shoplifting Offences", "higher", "improved"),  # 11f
    ("Percentage Positive Outcomes in Relation to Shoplifting", "higher", "improved"),  # 11g
    ("Number Hospital Admissions", "lower", "improved"),  # 11h
    ("Percentage Compliance with VCOP", "higher", "improved"),  # 11i
    ("Percentage Police File Quality Compliance", "higher", "improved"),  # 11i
    ("Percentage Positive Outcome Rates for RASSO/DA", "higher", "improved"),  # 11j
    ("Public Confidence Level (CSEW)", "higher", "improved"),  # 11k
    ("Complaints into Force", "lower", "not measurable"),  # 12
    ("Asset Recovery Incentivisation Scheme Income", "higher", "deteriorated"),  # 13a
    ("Number of Reported Urban Offences", "lower", "deteriorated"),  # 13b
    ("101 Call Performance", "higher", "deteriorated"),  # 13c
    ("Victim Satisfaction", "higher", "deteriorated"),  # 13d
]


@pytest.mark.parametrize(("measure", "good", "expected"), NARRATIVE_JUDGEMENTS)
def test_judgement_matches_the_papers_reading(table_one, measure, good, expected):
    (row,) = [r for r in table_one if r["measure"] == measure]
    judged = judge_change(_number(row["baseline"]), _number(row["current"]), good)
    assert judged == expected


def test_projected_delivery_is_a_percentage(table_one):
    for row in table_one:
        value = float(row["projected_delivery"])
        assert 0 <= value <= 100 and not math.isnan(value)
