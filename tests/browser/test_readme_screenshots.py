"""The README's screenshots: the board, public, annual and Delivery Board reports' first screens.

They are the runner's own first-screen pictures of the session's fixed-timestamp sample
run, reduced to 64 colours so each stays small. ``PCP_UPDATE_SCREENSHOTS=1`` writes them
all into ``docs/screenshots/``, ``PCP_UPDATE_SCREENSHOTS=delivery-board`` (names, comma
separated) only those named; every run checks they are there, 1280 x 800 and small, and
that the README shows them.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SCREENSHOTS = {
    "board": "neighbourhood-policing",
    "public": "public-quarterly",
    "annual": "annual-evaluation",
    "delivery-board": "delivery-board",
}
MAX_BYTES = 200_000


def write_small_png(source: Path, target: Path) -> None:
    """Save ``source`` as a 64-colour PNG at ``target`` (text pages lose nothing visible)."""
    from PIL import Image

    with Image.open(source) as image:
        small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
        small.save(target, format="PNG", optimize=True)


def list_shots_to_update(setting: str) -> list[str]:
    """The screenshots ``PCP_UPDATE_SCREENSHOTS`` asks to rewrite: ``1`` for all, else names."""
    setting = setting.strip()
    if setting == "1":
        return list(SCREENSHOTS)
    names = [name.strip() for name in setting.split(",") if name.strip()]
    unknown = sorted(set(names) - set(SCREENSHOTS))
    if unknown:
        raise ValueError(
            f"PCP_UPDATE_SCREENSHOTS: {unknown[0]!r} is not one of {list(SCREENSHOTS)}"
        )
    return names


def test_list_shots_to_update() -> None:
    assert list_shots_to_update("1") == list(SCREENSHOTS) and list_shots_to_update("") == []
    assert list_shots_to_update(" delivery-board ,board") == ["delivery-board", "board"]
    with pytest.raises(ValueError, match="'boards' is not one of"):
        list_shots_to_update("boards")


def test_readme_screenshots_are_current_small_and_shown(
    report_sources: dict[str, Path], repo_root: Path
) -> None:
    folder = repo_root / "docs" / "screenshots"
    for shot in list_shots_to_update(os.environ.get("PCP_UPDATE_SCREENSHOTS", "")):
        folder.mkdir(parents=True, exist_ok=True)
        write_small_png(
            report_sources[SCREENSHOTS[shot]].with_suffix(".png"), folder / f"{shot}.png"
        )
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    for shot in SCREENSHOTS:
        path = folder / f"{shot}.png"
        assert path.is_file(), f"{path} missing: run with PCP_UPDATE_SCREENSHOTS=1"
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", data[16:24]) == (1280, 800)
        assert len(data) <= MAX_BYTES, f"{path.name} is {len(data):,} bytes"
        assert f"docs/screenshots/{shot}.png" in readme, f"the README does not show {shot}.png"
