"""Tests of pcplib.data.coherence: series of the data set checked against each other."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import pandas as pd

from pcplib import cli
from pcplib.assessment.quality import list_data_quality_notes
from pcplib.data.coherence import (
    find_denominator_excess,
    find_status_disagreements,
    list_coherence_warnings,
)

FILE = "observations/observations.csv"
SHARE, WHOLE = "wf-minority-officers", "wf-officer-headcount"


def catalogue(within: str = WHOLE) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "measure_id": [WHOLE, SHARE, "bc-robbery", "bc-shoplifting"],
            "measure_name": ["Officers in post", "Minority officers", "Robbery", "Shoplifting"],
            "unit": ["count", "percent", "count", "count"],
            "denominator_within": ["", within, "", ""],
        }
    )


def observation(measure: str, start: str, end: str, **fields: Any) -> dict[str, Any]:
    row = {
        "measure_id": measure,
        "area": "LLR",
        "period_start": pd.Timestamp(start),
        "period_end": pd.Timestamp(end),
        "value": None,
        "denominator": None,
        "status": "final",
        "source": "Force HR system",
        "extracted_on": pd.Timestamp("2026-10-28"),
    }
    return {**row, **fields}


def workforce(denominators: list[float]) -> pd.DataFrame:
    """Headcount for June and September 2026; the share's quarters with ``denominators``."""
    rows = [
        observation(WHOLE, "2026-06-01", "2026-06-30", value=2319.0),
        observation(WHOLE, "2026-08-01", "2026-08-31", value=2300.0),
        observation(WHOLE, "2026-09-01", "2026-09-30", value=2331.0),
    ]
    quarters = [("2026-04-01", "2026-06-30"), ("2026-07-01", "2026-09-30")]
    for (start, end), denominator in zip(quarters, denominators, strict=True):
        rows.append(observation(SHARE, start, end, value=13.0, denominator=denominator))
    return pd.DataFrame(rows)


def test_denominator_compared_with_the_stock_at_the_quarter_end() -> None:
    # 2,320 against June's 2,319 is one too many; 2,320 is within September's 2,331
    # though above August's 2,300, a month that does not end the quarter.
    excess = find_denominator_excess(catalogue(), workforce([2320.0, 2320.0]))
    assert excess[["measure_id", "within_id", "denominator", "within", "compared"]].to_dict(
        "records"
    ) == [
        {
            "measure_id": SHARE,
            "within_id": WHOLE,
            "denominator": 2320.0,
            "within": 2319.0,
            "compared": 2,
        }
    ]
    assert excess.loc[0, "period_end"] == pd.Timestamp("2026-06-30")
    # Equal is not larger, and nothing is compared without a declared pairing.
    assert find_denominator_excess(catalogue(), workforce([2319.0, 2331.0])).empty
    assert find_denominator_excess(catalogue(within=""), workforce([2400.0, 2400.0])).empty
    undeclared = catalogue().drop(columns="denominator_within")
    assert find_denominator_excess(undeclared, workforce([2400.0, 2400.0])).empty


def test_denominator_warning_names_both_measures_periods_and_figures() -> None:
    (warning,) = list_coherence_warnings(catalogue(), workforce([2393.0, 2400.0]), FILE)
    assert warning.startswith(
        f"{FILE}: the denominator of Minority officers ({SHARE}) is larger than Officers in "
        f"post ({WHOLE}) at the same date in 2 of 2 periods (area LLR), by up to 74 "
        "(2026/27 Q1: 2,393 against 2,319); latest: 2026/27 Q1: 2,393 against 2,319; "
        "2026/27 Q2: 2,400 against 2,331."
    )
    assert "ask the source which" in warning
    assert list_coherence_warnings(catalogue(), workforce([2250.0, 2260.0]), FILE) == []


def crime(measure: str, month: str, status: str, extracted: str = "2026-10-12") -> dict:
    start = pd.Timestamp(f"{month}-01")
    return observation(
        measure, str(start.date()), str((start + pd.offsets.MonthEnd(0)).date()),
        value=20.0, status=status, source="Police recorded crime",
        extracted_on=pd.Timestamp(extracted),
    )  # fmt: skip


def test_status_disagreement_within_one_extract() -> None:
    rows = [
        crime(m, month, "final" if m == "bc-robbery" else "provisional")
        for month in ("2026-07", "2026-08", "2026-09")
        for m in ("bc-robbery", "bc-shoplifting")
    ]
    rows += [
        crime("bc-robbery", "2026-06", "final"),
        crime("bc-shoplifting", "2026-06", "final"),
        # Another extract, and a figure to confirm, are not compared.
        crime("bc-robbery", "2026-05", "final", extracted="2026-06-12"),
        crime("bc-shoplifting", "2026-05", "provisional", extracted="2026-07-12"),
        crime("bc-shoplifting", "2026-04", "to confirm"),
        crime("bc-robbery", "2026-04", "final"),
    ]
    found = find_status_disagreements(pd.DataFrame(rows))
    assert list(found["period_start"].dt.strftime("%Y-%m")) == ["2026-07", "2026-08", "2026-09"]
    assert set(found["final"]) == {("bc-robbery",)}
    assert set(found["provisional"]) == {("bc-shoplifting",)}
    warnings = list_coherence_warnings(catalogue(), pd.DataFrame(rows), FILE)
    assert warnings == [
        f"{FILE}: rows from Police recorded crime extracted on 2026-10-12 disagree on status "
        "for July 2026, August 2026 and September 2026: final for bc-robbery; provisional "
        "for bc-shoplifting. Figures from one extract are settled or not together, and "
        "reports tell readers that only provisional figures may be revised: confirm the "
        "status with the source."
    ]


def test_sample_series_agree(sample: Any) -> None:
    assert list_coherence_warnings(sample.measures, sample.observations, FILE) == []


def widen_denominators(sample: Any) -> Any:
    """The sample with the share's base 100 above the officers in post at every quarter end."""
    obs = sample.observations.copy()
    share = obs["measure_id"] == SHARE
    heads = obs[obs["measure_id"] == WHOLE].set_index("period_end")["value"]
    obs.loc[share, "denominator"] = obs.loc[share, "period_end"].map(heads) + 100
    return dataclasses.replace(sample, observations=obs)


def test_report_note_names_the_population_and_latest_figures(sample: Any) -> None:
    notes = list_data_quality_notes(widen_denominators(sample), "workforce", "2026-09")
    said = [n for n in notes if "the figure it is a share of" in n]
    assert said == [
        "Officers from ethnic minority backgrounds: the figure it is a share of is larger "
        "than Police officer headcount at the same date in 26 periods (latest, 2026/27 Q2: "
        "2,431 against 2,331), so it may not be a share of the population it describes: "
        "one of the two figures is wrong or they count different populations."
    ]
    assert not any(
        "the figure it is a share of" in n
        for n in list_data_quality_notes(sample, "workforce", "2026-09")
    )
    # A restricted headcount is not named to the public.
    wide = widen_denominators(sample)
    measures = wide.measures.copy()
    measures.loc[measures["measure_id"] == WHOLE, "visibility"] = "restricted"
    hidden = dataclasses.replace(wide, measures=measures)
    public = list_data_quality_notes(hidden, "workforce", "2026-09", audience="public")
    said = [n for n in public if "the figure it is a share of" in n]
    assert len(said) == 1 and "than the population it is part of at the same date" in said[0]
    assert "Police officer headcount" not in said[0]


def test_pcp_validate_warns_of_series_that_disagree_without_failing(
    data_dir: Path, tmp_path: Path, capsys: Any
) -> None:
    copy = tmp_path / "data"
    shutil.copytree(data_dir, copy)
    path = copy / FILE
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    robbery = (frame["measure_id"] == "bc-business-robbery") & (frame["status"] == "provisional")
    assert robbery.sum() == 3
    frame.loc[robbery, "status"] = "final"
    frame.to_csv(path, index=False, lineterminator="\n")
    assert cli.main(["validate", str(copy)]) == 0
    printed = capsys.readouterr().out
    assert (
        f"Warning: {FILE}: rows from Police recorded crime (Force crime recording system) "
        "extracted on 2026-10-12 disagree on status for July 2026, August 2026 and September "
        "2026: final for bc-business-robbery; provisional for bc-shoplifting, "
        "bc-shopworker-assaults, "
    ) in printed
    assert cli.print_coherence_warnings(copy) == 1


def test_run_logs_each_warning_and_a_public_run_a_count(sample: Any, caplog: Any) -> None:
    from pcplib.run import build

    wide = widen_denominators(sample)
    with caplog.at_level("WARNING", logger=build.logger.name):
        build._log_coherence_warnings(wide, public=False)
        build._log_coherence_warnings(wide, public=True)
        build._log_coherence_warnings(sample, public=False)
    assert len(caplog.messages) == 2
    assert caplog.messages[0].startswith(f"{FILE}: the denominator of Officers from ethnic")
    assert caplog.messages[1].startswith("1 pair(s) of related series in the data set disagree")
    assert "Officers" not in caplog.messages[1]
