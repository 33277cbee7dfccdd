"""One verdict per measure across every report of the sample run (issue 26).

Every report the session's sample run published (the slot's strategy reports, every
strategy's Board report, a public strategy report, the plan overview, the public report
and the annual evaluation) is read back, and no two places may give one measure two
verdicts (its RAG word, its public group), two baselines, or one strategy two projected
delivery figures. The places read: ``judgements.csv`` of both runs; each strategy
report's measures tables, its first screen (overall rating, needs attention, what
improved, projected delivery) and its commitments section; the plan overview's ratings,
baselines and projected delivery; the public report's strategy ratings and groups; the
annual evaluation's baselines.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.e2e

RAG_WORDS = ("Amber/Green", "Amber/Red", "Green", "Amber", "Red", "Grey")
_RAG = re.compile(r"\b(" + "|".join(re.escape(w) for w in RAG_WORDS) + r")\b")
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
BOARD_HEAD = ["Measure", "This quarter", "Same quarter last year", "Target for the period",
              "RAG", "Assessment"]  # fmt: skip
DETAIL_HEAD = ["Measure", "Year ending", "Against the plan's baseline year", "SPC", "Data notes"]
PUBLIC_GROUPS = {
    "What has been achieved": {"improving", "on track"},
    "What still needs attention": {"needs attention"},
}


def soup_of(path: Path):
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find("main")


def text_of(element) -> str:
    return " ".join(element.get_text(" ").split())


def first_rag(text: str) -> str:
    found = _RAG.search(text)
    assert found, f"no RAG word in {text!r}"
    return found.group(1)


def printed_number(text: str) -> tuple[float, int]:
    """The first number printed in ``text``, and how many decimals it is printed with."""
    found = _NUMBER.search(text.replace("£", "").replace("−", "-"))
    assert found, f"no number in {text!r}"
    written = found.group(0).replace(",", "")
    return float(written), len(written.split(".")[1]) if "." in written else 0


def agrees(value: float, text: str) -> bool:
    """Whether a figure, printed as ``text``, is the figure (to the printed decimals)."""
    shown, decimals = printed_number(text)
    return abs(value - shown) <= 0.5 * 10.0**-decimals + 1e-9


def table_rows(main, head: list[str]):
    """The body rows (lists of cells) of every table with this header."""
    for table in main.find_all("table"):
        thead = table.find("thead")
        if thead and [text_of(th) for th in thead.find_all("th")] == head:
            for tr in table.find("tbody").find_all("tr"):
                yield tr.find_all(["th", "td"])


@pytest.fixture(scope="module")
def judgements(sample_outputs) -> pd.DataFrame:
    frames = [
        pd.read_csv(folder / "judgements.csv", dtype={"period_end": str})
        for folder in (sample_outputs.slot_dir, sample_outputs.all_dir)
    ]
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def verdicts(judgements) -> pd.DataFrame:
    """One row per measure: its verdict, as every row of judgements.csv must give it."""
    measures = judgements[judgements["measure_id"] != "overall"]
    return measures.drop_duplicates("measure_name").set_index("measure_name")


@pytest.fixture(scope="module")
def delivery(judgements) -> dict[str, str]:
    overall = judgements[judgements["measure_id"] == "overall"]
    return dict(zip(overall["strategy_id"], overall["delivery_rag"], strict=False))


def test_judgements_give_each_measure_one_verdict_and_baseline(judgements) -> None:
    measures = judgements[judgements["measure_id"] != "overall"]
    assert measures["report"].nunique() >= 15  # every report of both runs
    for column in ("rag", "assessment", "judgement", "baseline", "current", "rag_reason"):
        counts = measures.groupby(["measure_id", "period_end"])[column].nunique(dropna=False)
        assert (counts == 1).all(), f"{column} differs: {list(counts[counts > 1].index)}"
    overall = judgements[judgements["measure_id"] == "overall"]
    counts = overall.groupby(["strategy_id", "period_end"])["delivery_rag"].nunique()
    assert (counts == 1).all(), f"delivery differs: {list(counts[counts > 1].index)}"


def strategy_reports(sample_outputs) -> dict[str, Path]:
    ids = set(sample_outputs.strategies)
    return {
        name: path
        for name, path in sample_outputs.reports.items()
        if name in ids or name.removesuffix("-public") in ids
    }


def test_every_strategy_report_repeats_the_one_verdict(
    sample_outputs, judgements, verdicts, delivery
) -> None:
    reports = strategy_reports(sample_outputs)
    assert len(reports) == len(sample_outputs.strategies) + 1
    seen = 0
    for name, path in reports.items():
        main = soup_of(path)
        strategy = name.removesuffix("-public")
        for cells in table_rows(main, BOARD_HEAD):
            measure = text_of(cells[0]).split(" Restricted:")[0]
            assert first_rag(text_of(cells[4])) == verdicts.at[measure, "rag"], (name, measure)
            seen += 1
        for cells in table_rows(main, DETAIL_HEAD):
            measure = text_of(cells[0]).split(" Restricted:")[0]
            baseline = verdicts.at[measure, "baseline"]
            shown = re.search(r"against (.+?)(?: in |: )", text_of(cells[2]))
            if pd.notna(baseline):
                assert shown and agrees(baseline, shown.group(1)), (name, measure)
        # The first screen: each measure beside its rating, and the overall rating.
        for item in main.select("ul.summary-items li"):
            strong = text_of(item.find("strong"))
            if strong in verdicts.index:
                assert first_rag(text_of(item)) == verdicts.at[strong, "rag"], (name, strong)
        text = text_of(main)
        overall = judgements[
            (judgements["report"] == name) & (judgements["measure_id"] == "overall")
        ]["rag"]
        assert first_rag(text.split("Overall RAG:")[1]) == overall.iloc[0], name
        # Projected delivery: the summary and the commitments section give one figure.
        figures = re.findall(
            r"Projected delivery(?: confidence)?: (" + _RAG.pattern[3:-3] + r")\b.*?(\d+)%", text
        )
        assert len(figures) == 2 and len(set(figures)) == 1, (name, figures)
        assert figures[0][0] == delivery[strategy], name
    assert seen >= 50


def overview_entries(sample_outputs):
    """The plan overview's strategies: name, projected delivery, and each measure's line."""
    main = soup_of(sample_outputs.reports["plan-overview"])
    for table in main.find_all("table"):
        for tr in table.find("tbody").find_all("tr"):
            cells = tr.find_all(["th", "td"])
            if len(cells) < 3:
                continue
            measures = [
                (text_of(li.find("strong")), text_of(li))
                for li in cells[1].find_all("li")
                if li.find("strong")
            ]
            yield text_of(cells[0]), text_of(cells[-1]), measures


def test_the_plan_overview_repeats_each_rating_baseline_and_delivery(
    sample_outputs, verdicts, data_dir
) -> None:
    strategies = pd.read_csv(data_dir / "framework" / "strategies.csv")
    ids = dict(zip(strategies["strategy_name"], strategies["strategy_id"], strict=True))
    board: dict[str, tuple[str, str]] = {}
    for name, path in strategy_reports(sample_outputs).items():
        text = text_of(soup_of(path))
        found = re.search(r"Projected delivery: (\S+) .*?\((\d+)%\)", text)
        if found:
            board[name.removesuffix("-public")] = (found.group(1), found.group(2))
    rows = list(overview_entries(sample_outputs))
    assert len(rows) == len(ids)
    measured = 0
    for strategy_cell, delivery_cell, measures in rows:
        strategy = next(ids[n] for n in ids if strategy_cell.startswith(n))
        rag = first_rag(delivery_cell)
        percent = re.search(r"(\d+)%", delivery_cell)
        assert percent and board[strategy] == (rag, percent.group(1)), strategy
        for measure, line in measures:
            assert first_rag(line.split(":", 1)[1]) == verdicts.at[measure, "rag"], measure
            baseline = verdicts.at[measure, "baseline"]
            # "Against the plan's baseline year (2024/25): ▲ +4.7%, no evidence of change
            # (latest against baseline)", after the rating and its basis's own figures; the
            # name may hold "against" too, and a disagreement sentence may follow.
            trend = line[line.index("Against ") :] if "Against " in line else ""
            shown = re.findall(r"\(([^()]+?) against ([^()]+?)\)", trend)
            if pd.notna(baseline):
                assert shown and agrees(baseline, shown[0][1]), (measure, line)
            measured += 1
    assert measured >= 25


def test_the_annual_evaluation_uses_each_measures_one_baseline(sample_outputs, verdicts) -> None:
    main = soup_of(sample_outputs.reports["annual-evaluation"])
    checked = 0
    for table in main.find_all("table"):
        head = [text_of(th) for th in table.find("thead").find_all("th")]
        if not head or "baseline year" not in " ".join(head):
            continue
        at = next(i for i, h in enumerate(head) if "baseline year" in h)
        for tr in table.find("tbody").find_all("tr"):
            cells = tr.find_all(["th", "td"])
            # The longest name the cell starts with (one name can begin another).
            names = [m for m in verdicts.index if text_of(cells[0]).startswith(m)]
            name = max(names, key=len) if names else None
            shown = text_of(cells[at])
            if name is None or pd.isna(verdicts.at[name, "baseline"]) or "no data" in shown:
                continue
            assert agrees(verdicts.at[name, "baseline"], shown), (name, shown)
            checked += 1
    assert checked >= 40


def test_the_public_report_groups_each_measure_by_its_one_verdict(
    sample_outputs, judgements, verdicts, data_dir
) -> None:
    main = soup_of(sample_outputs.reports["public-quarterly"])
    placed = 0
    for heading in main.find_all("h3"):
        allowed = PUBLIC_GROUPS.get(text_of(heading))
        listing = heading.find_next_sibling()
        if allowed is None or listing is None or listing.name != "ul":
            continue
        for li in listing.find_all("li"):
            measure = text_of(li).split(":")[0]
            if measure in verdicts.index:
                assert verdicts.at[measure, "assessment"] in allowed, (measure, text_of(li))
                placed += 1
    # "Steady: no change beyond the usual ups and downs in: a; b; c." (folded), then any
    # steady measure with a change to tell in a sentence of its own.
    for folded in main.select("details.steady"):
        named = folded.find("p")
        listed = text_of(named).split(" in: ", 1)[1].rstrip(".").split("; ") if named else []
        listed += [text_of(li).split(":")[0] for li in folded.find_all("li")]
        for measure in listed:
            assert verdicts.at[measure, "assessment"] == "stable", measure
            placed += 1
    assert placed >= 35
    # Each strategy's rating, as the public judgements give it.
    public = judgements[
        (judgements["report"] == "public-quarterly") & (judgements["measure_id"] == "overall")
    ]
    rated = dict(zip(public["strategy_id"], public["rag"], strict=True))
    strategies = pd.read_csv(data_dir / "framework" / "strategies.csv")
    ids = dict(zip(strategies["strategy_name"], strategies["strategy_id"], strict=True))
    ratings = [text_of(li) for li in main.select("ul.strategy-ratings li")]
    shown = {
        ids[name]: first_rag(item[len(name) :])
        for item in ratings
        for name in ids
        if item.startswith(name)
    }
    assert shown == rated


# --- one name per reference period, one vocabulary for evidence (review 1: A1, A3, A7, A12)

_STALE_WORDS = re.compile(
    r"\bits baseline \(|than its baseline\b|variation of its baseline|than before the plan|"
    r"years before the plan|before the plan\.|"
    r"\bno real change\b|\bno significant change\b",
    flags=re.IGNORECASE,
)


NO_CHANGE_LISTS = (
    "No change beyond the usual ups and downs in: ",
    "no clear change on a year ago or since the plan began: ",
)
"""The public report's words before a list of measures told by name only."""
_BASELINE_NOTE = re.compile(
    r"in (the 12 months to )?\w+ \d{4} against [^:]+ in the plan's baseline year "
    r"\(\d{4}/\d{2}\): "
)


def test_what_the_public_report_calls_no_change_shows_none_in_judgements(
    sample_outputs, judgements
) -> None:
    # Review 3 #6 and #9: farm machinery thefts "no clear change" in public while
    # judgements.csv said "possibly improved" since the plan's baseline year; homicides
    # "Steady" on 5 against 5. A measure listed under "no change" or "no clear change"
    # shows no real or possible change in any comparison of the same period, no SPC
    # signal, and no small numbers; small numbers are never steady.
    public = (
        judgements[
            (judgements["report"] == "public-quarterly") & (judgements["measure_id"] != "overall")
        ]
        .drop_duplicates("measure_name")
        .set_index("measure_name")
    )
    main = soup_of(sample_outputs.reports["public-quarterly"])
    listed: list[str] = []
    for paragraph in main.select(".mission-body p"):
        text = text_of(paragraph)
        for words in NO_CHANGE_LISTS:
            if words in text:
                listed += text.split(words, 1)[1].rstrip(".").split("; ")
    assert len(listed) >= 5
    changed = ("improved", "deteriorated", "possibly")
    for measure in listed:
        row = public.loc[measure]
        for column in ("judgement", "year_ending_judgement", "since_baseline_judgement"):
            assert not str(row[column]).startswith(changed), (measure, column, row[column])
        assert not str(row["spc_variation"]).startswith("special_cause"), measure
        assert row["small_numbers"] != True, measure  # noqa: E712
    steady = " ".join(text_of(d) for d in main.select("details.steady"))
    small = public[public["small_numbers"] == True].index  # noqa: E712
    assert len(small) >= 1
    for measure in small:
        assert measure not in steady, measure
    # What the sentences say of the plan's baseline year is what judgements.csv says.
    words = {
        "improved": "a real improvement",
        "possibly improved": "possibly better",
        "deteriorated": "a real worsening",
        "possibly deteriorated": "possibly worse",
    }
    told = 0
    for li in main.select(".mission-body li"):
        line = text_of(li)
        measure = line.split(":")[0]
        found = _BASELINE_NOTE.search(line)
        if measure in public.index and found:
            said = line[found.end() :]
            expected = words.get(public.at[measure, "since_baseline_judgement"], "no clear change")
            assert said.startswith(expected), (measure, said)
            told += 1
    assert told >= 3


def test_no_report_calls_the_charts_period_the_baseline_or_says_no_real_change(
    sample_outputs,
) -> None:
    # The SPC period is "the chart's reference period", the plan's baseline year is named
    # as such, and the evidence has three grades: "no real change" (said of p = 0.07) and
    # "better than its baseline" (said of the SPC period) are gone from every page.
    checked = 0
    for name, path in sample_outputs.reports.items():
        found = _STALE_WORDS.findall(text_of(soup_of(path)))
        assert not found, (name, sorted(set(found)))
        checked += 1
    assert checked >= 15


def test_a_signal_and_a_disagreeing_baseline_year_test_are_said_together(
    sample_outputs, judgements
) -> None:
    # A row whose SPC verdict and test against the plan's baseline year disagree carries
    # the one sentence that says so, in its SPC cell (never two unexplained verdicts).
    rows = judgements[
        (judgements["measure_id"] != "overall")
        & judgements["evidence_disagreement"].fillna("").astype(bool)
    ]
    assert not rows.empty
    said = 0
    for name, path in strategy_reports(sample_outputs).items():
        mine = rows[rows["report"] == name].drop_duplicates("measure_name")
        mine = mine.set_index("measure_name")
        for cells in table_rows(soup_of(path), DETAIL_HEAD):
            measure = text_of(cells[0]).split(" Restricted:")[0]
            if measure in mine.index:
                sentence = str(mine.at[measure, "evidence_disagreement"])
                assert " ".join(sentence.split()) in text_of(cells[3]), (name, measure)
                said += 1
    assert said >= 1


def test_what_improved_lists_every_signal_of_improvement(sample_outputs, judgements) -> None:
    # Review A7: "What improved (0)" never sits above an SPC "Signal of improvement",
    # unless the measure needs attention, where alone it is listed (review 4, F8).
    signals = judgements[
        (judgements["spc_variation"] == "special_cause_improvement")
        & (judgements["assessment"] != "needs attention")
    ]
    checked = 0
    for name, path in strategy_reports(sample_outputs).items():
        mine = signals[signals["report"] == name]
        if mine.empty:
            continue
        main = soup_of(path)
        improved = next(
            div for div in main.select("div.summary-list") if "What improved" in text_of(div)
        )
        listed = [text_of(li.find("strong")) for li in improved.select("li")]
        for measure in mine["measure_name"]:
            assert measure in listed, (name, measure)
            checked += 1
    assert checked >= 1


def test_no_measure_both_needs_attention_and_improved(sample_outputs) -> None:
    # Review 4, F8: victims' code compliance sat in both lists of one first screen.
    checked = 0
    for name, path in strategy_reports(sample_outputs).items():
        lists = {
            title: [text_of(li.find("strong")) for li in div.select("li") if li.find("strong")]
            for div in soup_of(path).select("div.summary-list")
            for title in ("Needs attention", "What improved")
            if div.find("h3") is not None and text_of(div.find("h3")).startswith(title)
        }
        both = set(lists.get("Needs attention", [])) & set(lists.get("What improved", []))
        assert not both, (name, both)
        checked += bool(lists)
    assert checked >= 1


def test_a_public_real_change_names_its_basis_and_agrees_with_the_quarter(
    sample_outputs, verdicts
) -> None:
    # Review A3: "66, up 13.8% on a year ago. A real worsening." where the quarter's own
    # test found no real change. A real change is said with its basis; "on a year ago"
    # only when the quarter's own judgement is that change.
    main = soup_of(sample_outputs.reports["public-quarterly"])
    told = 0
    for li in main.find_all("li"):
        line = text_of(li)
        measure = line.split(":")[0]
        if measure not in verdicts.index:
            continue
        assert not re.search(r"A real (worsening|improvement)\.", line), line
        judgement = verdicts.at[measure, "judgement"]
        if "A real worsening on a year ago" in line:
            assert judgement == "deteriorated", line
        if "A real improvement on a year ago" in line:
            assert judgement == "improved", line
        if re.search(r"A real (worsening|improvement) (over the year|since the plan)", line):
            assert judgement not in ("improved", "deteriorated") or "This quarter" in line, line
        told += "A real" in line
    assert told >= 1


SPC_HEAD = ["Measure", "Variation: is anything changing?", "Assurance: will the target be met?"]
HIT_AND_MISS = ("hit and miss", "some periods and missed in others", "met or missed by chance")


def test_no_report_calls_a_one_sided_target_record_hit_and_miss(sample_outputs, verdicts) -> None:
    # A record met (or missed) in every period, or in each of the latest 6 or more, settles
    # the assurance: no place may call it "hit and miss" beside "missed in 20 of 20".
    records = verdicts["target_record"].fillna("").astype(str)
    one_sided = set(records[records.str.contains("every ")].index)
    assert one_sided
    checked = 0
    for name, path in strategy_reports(sample_outputs).items():
        main = soup_of(path)
        for cells in table_rows(main, SPC_HEAD):
            measure = text_of(cells[0]).removesuffix(" (sub-measure)")
            if measure in one_sided:
                assert not any(w in text_of(cells[2]).lower() for w in HIT_AND_MISS), (
                    name, measure, text_of(cells[2]),
                )  # fmt: skip
                checked += 1
        for cells in table_rows(main, BOARD_HEAD):
            measure = text_of(cells[0]).split(" Restricted:")[0]
            if measure in one_sided:
                assert not any(w in text_of(cells[5]).lower() for w in HIT_AND_MISS), (
                    name, measure,
                )  # fmt: skip
    assert checked >= 3


def test_no_report_prints_a_percentage_for_small_numbers_or_a_variance(
    sample_outputs, verdicts
) -> None:
    # Small numbers are told as a difference in the count, a variance in money: the
    # judgements say so, and no report's change cell prints a per cent for them.
    flagged = verdicts[(verdicts["small_numbers"] == True) | (verdicts["unit"] == "gbp")]  # noqa: E712
    no_percent = {
        m
        for m, r in flagged.iterrows()
        if "%" not in str(r["change"]) and "%" not in str(r["change_shown"])
    }
    assert any(verdicts.loc[m, "unit"] == "gbp" for m in no_percent)
    for name, path in strategy_reports(sample_outputs).items():
        for cells in table_rows(soup_of(path), BOARD_HEAD):
            measure = text_of(cells[0]).split(" Restricted:")[0]
            if measure in no_percent:
                assert "%" not in text_of(cells[2]), (name, measure, text_of(cells[2]))


def test_no_green_without_a_verdict_to_rest_on(judgements) -> None:
    # No SPC verdict and no target: Green only for an improvement beyond chance.
    measures = judgements[judgements["measure_id"] != "overall"]
    withheld = measures[
        measures["spc_status"].isin(["unstable baseline", "too few points", "rolling figure"])
        & (measures["rag_basis"] == "evidence")
    ]
    for _, row in withheld.iterrows():
        if row["rag"] == "Green":
            assert "improved beyond chance" in str(row["rag_reason"]), row["measure_id"]
    assert (measures["rag_reason"].astype(str).str.startswith("no SPC verdict")).any()
