"""judgements.csv keeps numbers as numbers: each change is a signed number with its unit.

Review 3 #10: the change columns were the reports' text ("+50.0%"), which the
spreadsheet-safety rule wrote as "'+50.0%", so a statistician loading the file got
strings. The file now gives each change as a number in a named unit beside the text the
reports print, and old meeting-history files, written the old way, still read.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pcplib.assessment.continuity import PreviousMeeting, compare_with_previous_meeting
from pcplib.assessment.judgements import JUDGEMENT_COLUMNS, tabulate_judgements
from pcplib.assessment.strategy import StrategySummary, summarise_strategy
from pcplib.data.history import list_meeting_records
from pcplib.metrics import measure_change, summarise_change
from pcplib.run.judgements import write_judgements
from pcplib.spreadsheet_safety import neutralise_frame

CHANGES = (
    ("change", "comparison_value", "current"),
    ("year_ending_change", "previous_year", "year_ending"),
    ("since_baseline_change", "baseline", "year_ending"),
)
"""Each numeric change column with the figures it is worked out from."""


@pytest.fixture(scope="module")
def summaries(sample: Any) -> list[StrategySummary]:
    # Resources holds money (a variance told as a difference), a percentage measure
    # and counts; Violence and Vulnerability small numbers (homicides).
    return [
        summarise_strategy(sample, strategy, "2026-09")
        for strategy in ("resources", "violence-and-vulnerability", "neighbourhood-crime")
    ]


@pytest.fixture(scope="module")
def rows(summaries: list[StrategySummary]) -> pd.DataFrame:
    frame = tabulate_judgements(summaries, "test")
    return frame[frame["measure_id"] != "overall"]


def _expected(before: float, after: float, unit: str, change_unit: str) -> float:
    if change_unit == "pp":
        # Points: the difference of the two figures as they print side by side, as a
        # reader would take it (review 9, R9-15: 79.6% to 79.3% is -0.3 points, whatever
        # the unrounded -0.2). A per cent is of the unrounded figures (review 11, R11-3).
        before, after = (
            float(f.rstrip("%").replace(",", "")) for f in _printed(before, after, unit)
        )
    if change_unit == "%":
        return (after - before) / abs(before) * 100
    return after - before  # percentage points, or a difference in the measure's unit


def _printed(before: float, after: float, unit: str) -> list[str]:
    """The two figures as the reports print them side by side, bare numbers."""
    from pcplib.labels import format_figures

    return [f.split(" ")[0].lstrip("£") for f in format_figures([before, after], unit)]


def test_each_change_is_a_number_in_its_named_unit(rows: pd.DataFrame) -> None:
    checked = 0
    for row in rows.to_dict("records"):
        for name, before, after in CHANGES:
            value, unit = row[name], row[f"{name}_unit"]
            shown = str(row[f"{name}_shown"] if name != "change" else row["change_shown"])
            if unit == "":
                assert value is None or math.isnan(value), (row["measure_id"], name)
                continue
            assert isinstance(value, float), (row["measure_id"], name, value)
            expected_unit = "pp" if row["unit"] == "percent" else unit
            assert unit == expected_unit and unit in ("%", "pp", row["unit"])
            assert value == pytest.approx(
                _expected(row[before], row[after], row["unit"], unit), rel=1e-9, abs=1e-9
            ), (row["measure_id"], name)
            # The number is the one the text prints, to the text's precision.
            if shown.endswith("%") and unit == "%":
                assert float(shown.rstrip("%")) == pytest.approx(value, abs=0.051)
            checked += 1
    assert checked > 20


def test_a_change_told_as_a_difference_is_that_difference_in_the_measures_unit(
    rows: pd.DataFrame,
) -> None:
    # A variance in money and small numbers print a difference, never a percentage:
    # the number is that difference, not an empty cell.
    money = rows[rows["change_shown"].astype(str).str.contains("£")]
    assert not money.empty
    for row in money.to_dict("records"):
        assert row["change_unit"] == "gbp"
        assert row["change"] == pytest.approx(row["current"] - row["comparison_value"])
    small = rows[rows["small_numbers"] & (rows["change_unit"] == "count")]
    for row in small.to_dict("records"):
        assert float(row["change"]).is_integer()


def test_written_judgements_read_back_as_numbers(rows: pd.DataFrame, tmp_path: Path) -> None:
    path = tmp_path / "judgements.csv"
    write_judgements(rows, path)
    frame = pd.read_csv(path)
    for name, _, _ in CHANGES:
        assert pd.api.types.is_float_dtype(frame[name]), name
    assert list(frame.columns) == JUDGEMENT_COLUMNS
    # The text as shown keeps the safety rule for text only: a signed percentage is a
    # number to a spreadsheet, "+2.5 pp" or "+£101,192" is text and keeps its apostrophe.
    shown = pd.read_csv(path, dtype=str, keep_default_na=False)
    texts = pd.concat([shown[f"{n}_shown"] for n, _, _ in CHANGES])
    numbers = texts[texts.str.fullmatch(r"'?[+-]\d+(\.\d+)?%?")]
    assert numbers.str.endswith("%").any() and not numbers.str.startswith("'").any()
    other = texts[texts.str.match(r"'?[+-]") & ~texts.isin(numbers)]
    assert not other.empty and other.str.startswith("'").all()


def test_measure_change_gives_the_number_the_text_shows() -> None:
    assert measure_change(summarise_change(10, 15, "count", "lower"), "count") == (50.0, "%")
    value, unit = measure_change(summarise_change(80.0, 77.5, "percent", "higher"), "percent")
    assert (round(value, 9), unit) == (-2.5, "pp")
    assert measure_change(summarise_change(None, 15, "count", "lower"), "count") == (None, "")
    # A percentage of zero means nothing: the change is told as a difference.
    assert measure_change(summarise_change(0, 4, "count", "lower"), "count") == (4.0, "count")


def _old_style(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows as a run before this change wrote them: the change columns were the text."""
    old = frame.drop(
        columns=["change_unit", "year_ending_change_unit", "since_baseline_change_unit"]
    )
    old["year_ending_change"] = old.pop("year_ending_change_shown")
    old["since_baseline_change"] = old.pop("since_baseline_change_shown")
    old = neutralise_frame(old)
    for column in ("change_shown", "year_ending_change", "since_baseline_change"):
        # The old rule marked every signed change as text: "'+0.5%".
        old[column] = old[column].map(lambda t: f"'{t}" if str(t)[:1] in ("+", "-") else t)
    return old


def test_an_old_history_file_with_text_changes_still_reads(
    sample: Any, summaries: list[StrategySummary], tmp_path: Path
) -> None:
    summary = summaries[-1]
    told = tabulate_judgements([summary], summary.strategy_id)
    folder = tmp_path / "history" / "2026-09" / "run-001"
    folder.mkdir(parents=True)
    _old_style(told).to_csv(folder / "judgements.csv", index=False, lineterminator="\n")
    meta = {"slot": "2026-09", "period_end": "2026-09", "produced_at": "2026-11-23T06:00"}
    (folder / "record.json").write_text(json.dumps(meta), encoding="utf-8")
    written = (folder / "judgements.csv").read_text(encoding="utf-8")
    assert ",'+" in written or ",'-" in written, "the old file holds apostrophed changes"
    records = list_meeting_records(tmp_path / "history")
    assert len(records) == 1
    old = records[0].judgements
    assert not old["since_baseline_change"].str.startswith("'").any()
    previous = PreviousMeeting("2026-09", "2026-09", records[0])
    compared = compare_with_previous_meeting(sample, summary, previous, slot="2026-11")
    # The same data as the meeting was told: every measure's earlier rating is read.
    before = compared.measures.set_index("measure_id")["previous_rag"]
    now = told[told["measure_id"] != "overall"].set_index("measure_id")["rag"]
    assert before.reindex(now.index).tolist() == now.tolist()
