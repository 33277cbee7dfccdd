"""Hostile input, more kinds: what an insider who can edit any input file might try next.

Each test is one kind from docs/error-handling.md ("Hostile input, more kinds").
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from pcplib.assessment.scope import (
    find_restricted_mentions,
    fold_lookalikes,
    normalise_for_matching,
)
from pcplib.data import validate_dataset

TODAY = dt.date(2026, 11, 23)
RESTRICTED = ["np-abstraction-hours", "Neighbourhood officer hours abstracted to other duties"]


@pytest.fixture
def sample(tmp_path: Path, data_dir: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(data_dir, target, ignore=shutil.ignore_patterns("reference"))
    return target


# --- look-alike letters and invisible characters -------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "np-\u0430bstraction-hours rose",  # Cyrillic a
        "NP-ABSTRACTI\u039fN-HOURS rose",  # Greek capital omicron
        "n\u0440-abstraction-hours",  # Cyrillic er for p
        "np-abs\u200btrac\u200dtion-hours",  # zero-width space and joiner inside a word
        "np-abs\u00adtraction-hours",  # a soft hyphen
        "np\u3164abstraction hours",  # a Hangul filler, drawn as nothing
        "n\u0301p-abstraction-hours",  # a combining accent
        "\uff4e\uff50-abstraction-hours",  # full-width letters (NFKC)
        "NPAbstractionHours rose",  # run together, as one word
        "Neighbourhood officer h\u043eurs abstracted to other duties",
    ],
)
def test_look_alike_and_invisible_variants_of_a_restricted_term_are_found(text: str) -> None:
    terms = [normalise_for_matching(term) for term in RESTRICTED]
    assert find_restricted_mentions(text, terms)


def test_ordinary_words_run_together_are_not_mistaken_for_a_restricted_id() -> None:
    # "res-overtime" run together is "resovertime", which "measures over time" holds
    # once its own words are run together: only a word of its own counts.
    terms = [normalise_for_matching("res-overtime")]
    assert not find_restricted_mentions("Measures over time, by quarter", terms)
    assert find_restricted_mentions("ResOvertime rose", terms)


def test_fold_lookalikes_leaves_ascii_alone_and_folds_what_a_reader_cannot_tell_apart() -> None:
    assert fold_lookalikes("np-abstraction-hours") == "np-abstraction-hours"
    assert fold_lookalikes("np-\u0430bstr\u200baction") == "np-abstraction"
    assert fold_lookalikes("caf\u00e9 \uff21") == "cafe A"


def test_the_last_gate_finds_a_look_alike_spelling_in_a_public_file(
    sample: Path, tmp_path: Path
) -> None:
    from pcplib.data import load_dataset
    from pcplib.run.jobs import Job, RunPlan
    from pcplib.run.public_check import find_public_leaks

    dataset = load_dataset(sample, today=TODAY)
    staging = tmp_path / "staging"
    staging.mkdir()
    job = Job("public-quarterly", "public_quarterly", {}, "Public")
    (staging / "public-quarterly.html").write_text(
        "<p>N\u0435ighbourhood officer hours ab\u200bstracted to other duties</p>",
        encoding="utf-8",
    )
    plan = RunPlan(folder="x", heading="x", jobs=(job,), slot=None, period_end=None)
    leaks = find_public_leaks(staging, plan, dataset)
    assert [str(leak) for leak in leaks] == [
        "public-quarterly.html names the restricted measure "
        "'neighbourhood officer hours abstracted to other duties'"
    ]


# --- links out of the data set ---------------------------------------------------------------


def test_a_table_that_links_out_of_the_data_set_is_refused_in_one_line(
    sample: Path, tmp_path: Path
) -> None:
    table = sample / "framework" / "missions.csv"
    elsewhere = tmp_path / "elsewhere.csv"
    shutil.move(table, elsewhere)
    table.symlink_to(elsewhere)
    problems = validate_dataset(sample, today=TODAY)
    assert [str(p) for p in problems] == [
        f"{table.as_posix()}: expected a file inside the data set folder (this is a link to "
        f"{elsewhere.resolve().as_posix()}, outside it: copy the file into the data set instead)"
    ]


def test_a_linked_folder_out_of_the_data_set_is_refused_and_a_link_inside_is_read(
    sample: Path, tmp_path: Path
) -> None:
    folder = sample / "narrative"
    elsewhere = tmp_path / "narrative-elsewhere"
    shutil.move(folder, elsewhere)
    folder.symlink_to(elsewhere, target_is_directory=True)
    problems = validate_dataset(sample, today=TODAY)
    assert len(problems) == 1 and "link to" in problems[0].expected
    assert problems[0].file == (folder / "narrative.csv").as_posix()
    # A link that stays inside the data set is an ordinary file of it.
    folder.unlink()
    shutil.move(elsewhere, sample / "kept")
    folder.symlink_to(sample / "kept", target_is_directory=True)
    assert validate_dataset(sample, today=TODAY) == []


def test_dataset_yaml_linking_out_of_the_data_set_is_refused(sample: Path, tmp_path: Path) -> None:
    meta = sample / "dataset.yaml"
    elsewhere = tmp_path / "dataset.yaml"
    shutil.move(meta, elsewhere)
    meta.symlink_to(elsewhere)
    problems = validate_dataset(sample, today=TODAY)
    assert [p.file for p in problems] == [meta.as_posix()]
    assert "a file inside the data set folder" in problems[0].expected


# --- inputs that would exhaust memory --------------------------------------------------------


def test_a_cell_of_megabytes_is_one_line_naming_its_row(sample: Path) -> None:
    # Was a traceback: the CSV reader's field limit raised again in the error handler.
    path = sample / "framework" / "missions.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[1].split(",")
    cells[-1] = "x" * 10_000_000 + "\n"
    lines[1] = ",".join(cells)
    path.write_text("".join(lines), encoding="utf-8")
    problems = validate_dataset(sample, today=TODAY)
    assert [str(p) for p in problems] == [
        f"{path.as_posix()}, row 2: expected cells of at most 131,072 characters "
        "(a cell in row 2 is longer)"
    ]


def test_a_table_of_empty_lines_is_refused_before_it_is_held(sample: Path) -> None:
    # Three million line breaks (3 MB) took 740 MB, each one a row of empty cells.
    path = sample / "framework" / "missions.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n" * 150_000)
    problems = validate_dataset(sample, today=TODAY)
    assert len(problems) == 1 and problems[0].file == path.as_posix()
    assert problems[0].expected.startswith("a table with at most 100,000 blank rows")


@pytest.mark.parametrize("large", [False, True])
def test_a_table_past_the_row_limit_is_refused_in_one_line(
    large: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcplib.data import cells as data_cells
    from pcplib.data import large_csv
    from pcplib.data.cells import read_cells

    monkeypatch.setattr(large_csv, "MAX_TABLE_ROWS", 5)
    if large:
        monkeypatch.setattr(data_cells, "SHARE_CELLS_FROM_CHARS", 1)
    path = tmp_path / "t.csv"
    path.write_text("a,b\n" + "1,2\n" * 9, encoding="utf-8")
    for columnar in (False, True):
        cells = read_cells(path, "t.csv", columnar=columnar)
        assert [p.expected for p in cells.problems] == [
            "a table of at most 5 rows (this one has more by row 7: split it, or keep fewer areas)"
        ]


def _zip_bomb(path: Path, megabytes: int) -> Path:
    """A zip archive whose one part unpacks to ``megabytes`` MiB of spaces (a few KB)."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/sharedStrings.xml", "w") as part:
            for _ in range(megabytes):
                part.write(b" " * 1_048_576)
    return path


def test_a_workbook_that_unpacks_to_gigabytes_is_refused_before_it_is_opened(
    sample: Path,
) -> None:
    table = sample / "framework" / "missions.csv"
    table.unlink()
    bomb = _zip_bomb(sample / "framework" / "missions.xlsx", 300)
    assert bomb.stat().st_size < 1_048_576
    problems = validate_dataset(sample, today=TODAY)
    assert len(problems) == 1 and problems[0].file == bomb.as_posix()
    assert problems[0].expected.startswith(
        "a workbook whose parts unpack to at most 256 MiB (this one's unpack to 300 MiB"
    )


def test_a_return_that_unpacks_to_gigabytes_is_refused_before_it_is_opened(
    sample: Path, tmp_path: Path
) -> None:
    from pcplib.data import load_dataset
    from pcplib.data.sources.returns_load import read_return

    dataset = load_dataset(sample, today=TODAY)
    content, problems = read_return(_zip_bomb(tmp_path / "np.xlsx", 300), dataset, TODAY)
    assert content is None
    assert [str(p) for p in problems][0].startswith(
        "np.xlsx: expected a workbook whose parts unpack to at most 256 MiB"
    )


def test_describe_unpacked_size_passes_a_workbook_within_the_limit(tmp_path: Path) -> None:
    from pcplib.data.cells import describe_unpacked_size

    data = _zip_bomb(tmp_path / "small.xlsx", 2).read_bytes()
    assert describe_unpacked_size(data) is None
    assert "unpack to 2 MiB" in str(describe_unpacked_size(data, limit=1_048_576))
    assert describe_unpacked_size(b"not a zip") is None


# --- duplicates and markup ---------------------------------------------------------------------


def test_an_area_repeated_but_for_case_or_spaces_is_refused(sample: Path) -> None:
    path = sample / "framework" / "areas.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    name = lines[2].split(",")[0]
    lines.append(lines[2].replace(name, f" {name.upper()} ", 1))
    path.write_text("".join(lines), encoding="utf-8")
    problems = validate_dataset(sample, today=TODAY)
    assert [(p.row, p.column, p.expected) for p in problems] == [
        (len(lines), "area", "a unique area (the same as row 3 but for case or spaces)")
    ]


def test_markup_in_framework_and_owners_text_reaches_html_escaped(sample: Path) -> None:
    from pcplib import report
    from pcplib.data import load_dataset

    attack = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    dataset = load_dataset(sample, today=TODAY)
    commitments = dataset.commitments.copy()
    commitments["commitment"] = commitments["commitment"] + attack
    changed = type(dataset)(**{**dataset.__dict__, "commitments": commitments})
    strategy = str(commitments["strategy_id"].iloc[0])
    html = report.format_commitments(changed, strategy, "2026-09")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html and "<img src=x" not in html


# --- text that shows one thing and holds another ---------------------------------------------


@pytest.mark.parametrize(
    ("inserted", "code"),
    [
        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("\x1b[2J", "U+001B a control character"),
    ],
)
def test_control_and_direction_characters_in_text_are_refused(
    sample: Path, inserted: str, code: str
) -> None:
    path = sample / "framework" / "measures.csv"
    text = path.read_text(encoding="utf-8")
    name = "Police officer overtime spend"
    assert name in text
    path.write_text(text.replace(name, f"Police officer {inserted}overtime spend"), "utf-8")
    problems = validate_dataset(sample, today=TODAY)
    assert [(p.column, p.expected) for p in problems] == [
        (
            "measure_name",
            f"text without control or direction characters ({code} changes what is "
            "shown: retype the text)",
        )
    ]
    # The value is quoted with the character escaped: a terminal shows no escape code.
    assert "\x1b" not in str(problems[0]) and "\u202e" not in str(problems[0])


def test_find_control_characters_allows_line_breaks_and_tabs_in_text() -> None:
    import pandas as pd

    from pcplib.data.sense_checks import find_control_characters

    raw = pd.DataFrame({"text": ["two\nlines", "a\ttab", "ok", "bad\x07"]}, dtype=str)
    problems = find_control_characters(raw, "n.csv", ["text", "absent"])
    assert [(p.row, p.value) for p in problems] == [(5, "bad\x07")]


def test_a_yaml_key_given_twice_is_refused_naming_its_line(sample: Path) -> None:
    # The later value silently won: a second forward_plan line at the end of dataset.yaml
    # pointed the data set at another file while the first line read forward_plan.yaml.
    meta = sample / "dataset.yaml"
    lines = meta.read_text(encoding="utf-8").splitlines()
    meta.write_text("\n".join([*lines, "forward_plan: ../elsewhere.yaml", ""]), "utf-8")
    problems = validate_dataset(sample, today=TODAY)
    assert [str(p) for p in problems] == [
        f"{meta.as_posix()}, row {len(lines) + 1}: expected valid YAML (each key once "
        "('forward_plan' is given again; the later value would silently replace the "
        "earlier one))"
    ]


# --- impossible sizes --------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1e308", "-2e13", "1,000,000,000,000,000"])
def test_a_figure_too_large_to_be_real_is_refused_before_a_report_overflows(
    sample: Path, value: str
) -> None:
    # 1e308 passed validation, then a strategy report ended in an OverflowError traceback.
    import csv

    path = sample / "observations" / "observations.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("value")
    rows[1][column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    problems = validate_dataset(sample, today=TODAY)
    assert [(p.row, p.column, p.value, p.expected) for p in problems][:1] == [
        (
            2,
            "value",
            value,
            "a number no larger than 1,000,000,000,000 in size (no figure is this large)",
        )
    ]
