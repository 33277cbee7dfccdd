"""The README's screenshots: the board, public and annual reports' first screens.

They are the runner's own first-screen pictures of the session's fixed-timestamp sample
run, reduced to 64 colours so each stays small. ``PCP_UPDATE_SCREENSHOTS=1`` writes them
into ``docs/screenshots/``; every run checks they are there, 1280 x 800 and small, and
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
}
MAX_BYTES = 200_000


def write_small_png(source: Path, target: Path) -> None:
    """Save ``source`` as a 64-colour PNG at ``target`` (text pages lose nothing visible)."""
    from PIL import Image

    with Image.open(source) as image:
        small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
        small.save(target, format="PNG", optimize=True)


def test_readme_screenshots_are_current_small_and_shown(
    report_sources: dict[str, Path], repo_root: Path
) -> None:
    folder = repo_root / "docs" / "screenshots"
    if os.environ.get("PCP_UPDATE_SCREENSHOTS", "").strip() == "1":
        folder.mkdir(parents=True, exist_ok=True)
        for shot, report in SCREENSHOTS.items():
            write_small_png(report_sources[report].with_suffix(".png"), folder / f"{shot}.png")
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    for shot in SCREENSHOTS:
        path = folder / f"{shot}.png"
        assert path.is_file(), f"{path} missing: run with PCP_UPDATE_SCREENSHOTS=1"
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", data[16:24]) == (1280, 800)
        assert len(data) <= MAX_BYTES, f"{path.name} is {len(data):,} bytes"
        assert f"docs/screenshots/{shot}.png" in readme, f"the README does not show {shot}.png"
