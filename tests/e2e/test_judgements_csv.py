"""judgements.csv: written by every run, in the documented shape, and true to the HTML."""

from __future__ import annotations

import html

import pandas as pd
import pytest

from pcplib.assessment.change_chance import TARGET_STANDINGS
from pcplib.assessment.measures import COMPARISON_BASES, JUDGEMENTS

pytestmark = pytest.mark.e2e

REQUIRED = [
    "report", "strategy_id", "measure_id", "period_end", "current", "comparison_basis",
    "comparison_value", "change", "judgement", "spc_variation", "spc_assurance",
    "spc_limits_from", "spc_limits_to", "target_for_period", "rag", "rag_basis",
    "assessment", "sentence",
]  # fmt: skip
POINT_TYPES = {
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
}


@pytest.fixture(scope="module")
def judgements(sample_outputs) -> dict[str, pd.DataFrame]:
    return {
        folder.name: pd.read_csv(folder / "judgements.csv", keep_default_na=False)
        for folder in (sample_outputs.slot_dir, sample_outputs.all_dir)
    }


def test_every_run_writes_judgements_with_the_documented_columns(judgements) -> None:
    for frame in judgements.values():
        assert list(frame.columns[: len(REQUIRED)]) == REQUIRED
        assert not frame.empty


def test_values_are_from_the_documented_sets(judgements) -> None:
    for frame in judgements.values():
        measures = frame[frame["measure_id"] != "overall"]
        assert set(measures["judgement"]) <= set(JUDGEMENTS)
        assert set(frame["rag"]) <= {"Green", "Amber", "Red", "Grey"}
        assert set(measures["rag_basis"]) <= {"target", "trajectory", "evidence", "none"}
        assert set(frame.loc[frame["measure_id"] == "overall", "rag_basis"]) == {"roll-up"}
        assert set(measures["spc_variation"]) <= POINT_TYPES | {""}
        assert set(measures["comparison_basis"]) <= set(COMPARISON_BASES)
        # How each figure stands against its target: the one rule's words, only with one.
        assert set(measures["target_standing"]) <= {*TARGET_STANDINGS, ""}
        targeted = measures["rag_basis"].isin(["target", "trajectory"])
        assert (measures.loc[targeted, "target_standing"] != "").all()
        assert (measures.loc[~targeted, "target_standing"] == "").all()
        assert measures["period_end"].str.fullmatch(r"\d{4}-\d{2}").all()
        limits = measures.loc[measures["spc_limits_from"] != "", "spc_limits_from"]
        assert limits.str.fullmatch(r"\d{4}-\d{2}").all()


def test_each_strategy_report_has_an_overall_row_matching_its_measures(judgements) -> None:
    frame = judgements["all-2026-09"]
    for report, rows in frame.groupby("report"):
        overall = rows[rows["measure_id"] == "overall"]
        assert len(overall) == rows["strategy_id"].nunique(), report
        if report in ("plan-overview", "public-quarterly"):
            continue
        every = rows[(rows["tier"] == "headline") & (rows["measure_id"] != "overall")]
        headline = every[every["rag"] != "Grey"]
        order = ["Red", "Amber", "Green"]
        worst = next((r for r in order if r in set(headline["rag"])), "Grey")
        # A Green or Amber needs enough of the headline measures rated (all of them, or at
        # least 2 and at least half); a Red stands on any number (docs/methodology.md).
        rated, total = len(headline), len(every)
        enough = rated == total or (rated >= 2 and 2 * rated >= total)
        expected = worst if worst in ("Red", "Grey") or enough else "Grey"
        assert overall["rag"].iloc[0] == expected, report


def test_no_green_strategy_holds_a_special_cause_concern(judgements) -> None:
    for frame in judgements.values():
        for (report, strategy), rows in frame.groupby(["report", "strategy_id"]):
            overall = rows[rows["measure_id"] == "overall"]["rag"].iloc[0]
            concerns = rows[
                (rows["tier"] == "headline") & (rows["spc_variation"] == "special_cause_concern")
            ]
            if not concerns.empty:
                assert overall != "Green", (report, strategy, list(concerns["measure_id"]))


def test_the_html_shows_each_rows_sentence_and_rating(judgements, sample_outputs) -> None:
    frame = judgements["all-2026-09"]
    for report, rows in frame.groupby("report"):
        if report not in sample_outputs.reports or report == "plan-overview":
            continue
        page = html.unescape(sample_outputs.reports[report].read_text(encoding="utf-8"))
        for row in rows.to_dict("records"):
            if row["measure_id"] == "overall":
                assert row["sentence"] in page, (report, "overall")
            elif report != "public-quarterly":
                assert row["sentence"] in page, (report, row["measure_id"])


def test_a_public_report_has_no_restricted_measure(judgements, restricted_measure_names) -> None:
    frame = judgements["all-2026-09"]
    # The plan overview of a Board run is the Board's (its "But:" may name restricted
    # measures, as the strategy reports do); a public run's is public.
    public = frame[frame["report"].str.endswith("-public")]
    assert not public.empty
    assert set(public.loc[public["measure_id"] != "overall", "visibility"]) == {"public"}
    assert not set(public["measure_name"]) & set(restricted_measure_names)


VERDICT = [
    "current", "judgement", "rag", "rag_basis", "rag_reason", "assessment", "sentence",
    "spc_variation", "spc_status", "baseline", "year_ending", "change_evidence",
    "since_baseline_change", "target_for_period",
]  # fmt: skip


def test_no_measure_gets_two_verdicts_or_two_baselines_across_reports(judgements) -> None:
    # Every report of a run (strategy reports for the Board and the public, the plan
    # overview, the public report) repeats one verdict per measure and period.
    for folder, frame in judgements.items():
        rows = frame[frame["measure_id"] != "overall"]
        for column in VERDICT:
            counts = rows.groupby(["period_end", "measure_id"])[column].nunique(dropna=False)
            assert (counts == 1).all(), (folder, column, list(counts[counts > 1].index))


def test_each_strategy_has_one_delivery_rating_across_reports(judgements) -> None:
    for folder, frame in judgements.items():
        overall = frame[frame["measure_id"] == "overall"]
        counts = overall.groupby(["period_end", "strategy_id"])["delivery_rag"].nunique()
        assert (counts == 1).all(), (folder, list(counts[counts > 1].index))
