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
