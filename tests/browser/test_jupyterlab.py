"""Every report notebook in a real JupyterLab 4 in Chromium, as an analyst opens it.

One JupyterLab runs for the module on loopback with a random token (started by
``pcplib.run.lab.build_lab_command``, the command ``make lab`` runs), its root a
temporary folder holding copies of the notebooks and its settings, workspaces and
runtime files in temporary folders too, so nothing of the machine's own JupyterLab is
read or written. Each notebook is opened in the light theme at 1500 px and run with
Run > Run All Cells, then looked at there and again in the dark theme (Settings > Theme)
at 1024 px with the file browser open (the narrow case: the output area is under 600 px
wide). In each view the page is checked:

- no error output and no output on standard error;
- the header's labels and values pair up: each ``dt`` sits on the same row as its own
  ``dd``, to its left (JupyterLab floats them, which scrambled the pairs);
- charts are pictures (``img`` with a size), on a white panel in the dark theme;
- tables fit their output area or scroll inside their own region (only a
  ``.table-wrap`` may be wider inside than out), text left-aligned and numbers right;
- the report's scoped styles survived JupyterLab's sanitiser.

Screenshots of each notebook (its header, and the first table and chart) are saved
under the test's temporary folder and their paths printed (``pytest -s`` shows them).
JupyterLab is shut down at the end, and the test fails if it or a kernel is left running.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pcplib.run.lab import build_lab_command, find_free_port, format_lab_url

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ("delivery_strategy", "plan_overview", "public_quarterly", "annual_evaluation")


@dataclass(frozen=True)
class View:
    """How the analyst sees JupyterLab: the theme and the window's width."""

    name: str
    theme: str
    width: int
    height: int = 900


VIEWS = (View("light-1500", "JupyterLab Light", 1500), View("dark-1024", "JupyterLab Dark", 1024))

STARTUP_SECONDS = 60
KERNEL_SECONDS = 60
RUN_SECONDS = 120


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: where it is, how to reach it, and its folders."""

    process: subprocess.Popen[bytes]
    port: int
    token: str
    root: Path
    settings: Path
    log: Path

    def url(self, path: str) -> str:
        return format_lab_url(self.port, self.token, path)


def write_settings(settings: Path, plugin: str, values: dict[str, Any]) -> None:
    """Write one plugin's user settings, as JupyterLab's settings editor would."""
    package, name = plugin.split(":")
    path = settings / package / f"{name}.jupyterlab-settings"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(values), encoding="utf-8")


def find_children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (kernels run in sessions of their own)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited; only its parent's wait is missing.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for_server(lab: Lab) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if lab.process.poll() is not None:
            pytest.fail(f"JupyterLab exited ({lab.process.returncode}): {lab.log.read_text()}")
        try:
            with urllib.request.urlopen(lab.url("api/status"), timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    pytest.fail(f"JupyterLab did not answer within {STARTUP_SECONDS} s: {lab.log.read_text()}")


def shut_down_kernels(lab: Lab) -> None:
    """End every notebook's session (and so its kernel), as closing it with Shut Down would."""

    def call(method: str, path: str) -> Any:
        request = urllib.request.Request(lab.url(path), method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    for session in call("GET", "api/sessions"):
        call("DELETE", f"api/sessions/{session['id']}")


def stop_server(lab: Lab) -> list[int]:
    """Stop JupyterLab (which shuts its kernels down); return any process left running."""
    children = find_children(lab.process.pid)
    if lab.process.poll() is None:
        lab.process.send_signal(signal.SIGTERM)
        try:
            lab.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            lab.process.kill()
            lab.process.wait(timeout=10)
    deadline = time.monotonic() + 10
    left = [pid for pid in children if is_alive(pid)]
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = [pid for pid in left if is_alive(pid)]
    for pid in left:  # only our own server's kernels: never a broad kill
        os.kill(pid, signal.SIGKILL)
    return left


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """JupyterLab on loopback with a token, over copies of the notebooks."""
    home = tmp_path_factory.mktemp("jupyterlab")
    root = home / "root"
    root.mkdir()
    for name in NOTEBOOKS:
        shutil.copy(REPO_ROOT / "notebooks" / f"{name}.ipynb", root / f"{name}.ipynb")
    settings = home / "settings"
    # No news or update checks (toasts over the page, requests to the internet); no autosave
    # (the notebooks are copies); every cell in the page, so every output can be measured.
    write_settings(
        settings,
        "@jupyterlab/apputils-extension:notification",
        {"checkForUpdates": False, "fetchNews": "false"},
    )
    write_settings(settings, "@jupyterlab/docmanager-extension:plugin", {"autosave": False})
    write_settings(settings, "@jupyterlab/notebook-extension:tracker", {"windowingMode": "none"})
    port, token = find_free_port(), secrets.token_urlsafe(24)
    command = build_lab_command(
        root,
        port,
        token,
        open_browser=False,
        extra=[
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={home / 'workspaces'}",
            # window.jupyterapp, to ask the notebook's kernel whether it is idle.
            "--LabApp.expose_app_in_browser=True",
        ],
    )
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
    }
    log = home / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    running = Lab(process, port, token, root, settings, log)
    try:
        wait_for_server(running)
        yield running
    finally:
        left = stop_server(running)
    assert process.returncode is not None, "JupyterLab is still running"
    assert not left, f"processes left running after JupyterLab stopped (killed): {left}"


@pytest.fixture(scope="module")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("jupyterlab-screenshots")


KERNEL_IDLE = """() => {
  const widget = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const session = widget && widget.sessionContext;
  return !!session && !!session.session && session.kernelDisplayStatus === 'idle';
}"""

# Done when every code cell has an execution count, or an error stopped the run.
RUN_FINISHED = """() => {
  const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
  const errors = document.querySelectorAll(
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
  const counted = prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
  return errors.length > 0 || (prompts.length > 0 && counted);
}"""

MEASURE_PAGE = """() => {
  const outputs = [...document.querySelectorAll('.jp-OutputArea-output')];
  const inWrap = el => !!el.closest('.table-wrap');
  const box = el => el.getBoundingClientRect();
  const errors = [...document.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
    .map(el => el.textContent.trim().slice(0, 300));
  const dl = document.querySelector('.pcp-report dl.meta');
  const pairs = dl ? [...dl.querySelectorAll(':scope > dt')].map(dt => {
    const dd = dt.nextElementSibling, a = box(dt), b = dd ? box(dd) : null;
    return {label: dt.textContent, value: dd && dd.tagName === 'DD' ? dd.textContent : null,
            labelTop: a.top, valueTop: b ? b.top : null, labelRight: a.right,
            valueLeft: b ? b.left : null, labelWidth: a.width, valueWidth: b ? b.width : 0};
  }) : [];
  const images = [...document.querySelectorAll('.jp-OutputArea-output img')].map(img => ({
    inChart: !!img.closest('.pcp-report figure.chart'), natural: img.naturalWidth,
    width: box(img).width, height: box(img).height, alt: img.getAttribute('alt') || '',
    panel: getComputedStyle(img.closest('figure') || img).backgroundColor}));
  const overflowing = [];
  for (const out of outputs) {
    for (const el of [out, ...out.querySelectorAll('*')]) {
      if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && !inWrap(el)) {
        const name = `${el.tagName.toLowerCase()}.${el.className}`;
        overflowing.push(`${name}: ${el.scrollWidth} > ${el.clientWidth}`);
      }
    }
  }
  const tables = [...document.querySelectorAll('.jp-OutputArea-output table')].map(table => {
    const wrap = table.closest('.table-wrap'), out = table.closest('.jp-OutputArea-output');
    return {caption: (table.caption && table.caption.textContent) || '', wrapped: !!wrap,
            width: box(table).width, wrapWidth: wrap ? wrap.clientWidth : null,
            scrolls: wrap ? wrap.scrollWidth > wrap.clientWidth : false,
            wrapRight: wrap ? box(wrap).right : null, outputRight: box(out).right};
  });
  const misaligned = [];
  for (const cell of document.querySelectorAll('.pcp-report table th, .pcp-report table td')) {
    const align = getComputedStyle(cell).textAlign;
    const wanted = cell.classList.contains('num') ? ['right', 'end'] : ['left', 'start'];
    const text = cell.textContent.trim().slice(0, 40);
    if (!wanted.includes(align)) misaligned.push(`${text}: ${align}`);
  }
  const widget = window.jupyterapp.shell.currentWidget;
  return {errors, pairs, images, overflowing, tables, misaligned,
          fragments: document.querySelectorAll('.jp-OutputArea-output .pcp-report').length,
          styled: document.querySelectorAll('.jp-OutputArea-output .pcp-report > style').length,
          kernel: widget.sessionContext.kernelDisplayName,
          theme: document.body.dataset.jpThemeName,
          fileBrowserOpen: !!document.querySelector('.jp-FileBrowser:not(.lm-mod-hidden)')};
}"""


def open_and_run(lab: Lab, browser: Any, view: View, name: str) -> tuple[Any, Any]:
    """Open a notebook in a fresh browser context and Run All Cells; return (context, page)."""
    write_settings(lab.settings, "@jupyterlab/apputils-extension:themes", {"theme": view.theme})
    context = browser.new_context(
        viewport={"width": view.width, "height": view.height}, device_scale_factor=1
    )
    loopback = f"http://127.0.0.1:{lab.port}/"

    def stay_local(route: Any) -> None:
        url = route.request.url
        if url.startswith((loopback, "ws://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:  # nothing leaves the machine
            route.abort("blockedbyclient")

    context.route("**/*", stay_local)
    page = context.new_page()
    # A workspace of its own, so JupyterLab restores no other notebook from an earlier test.
    page.goto(lab.url(f"lab/workspaces/{name}/tree/{name}.ipynb"))
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=STARTUP_SECONDS * 1000)
    page.wait_for_function(KERNEL_IDLE, timeout=KERNEL_SECONDS * 1000)
    click_menu(page, "Run", "Run All Cells")
    page.wait_for_function(RUN_FINISHED, timeout=RUN_SECONDS * 1000, polling=250)
    page.wait_for_function(KERNEL_IDLE, timeout=RUN_SECONDS * 1000)
    return context, page


def click_menu(page: Any, menu: str, *items: str) -> None:
    """Choose an item from JupyterLab's menu bar, through submenus, as an analyst would."""
    page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
    for item in items:
        # By the label's whole text: submenus (Theme) and checkable items have no menuitem role.
        label = page.locator(".lm-Menu-itemLabel").filter(
            has_text=re.compile(rf"^{re.escape(item)}$")
        )
        label.last.click()


def show_view(page: Any, view: View) -> None:
    """Resize the window and switch the theme (Settings > Theme) without running again."""
    page.set_viewport_size({"width": view.width, "height": view.height})
    if page.evaluate("() => document.body.dataset.jpThemeName") != view.theme:
        click_menu(page, "Settings", "Theme", view.theme)
        page.wait_for_function(
            "theme => document.body.dataset.jpThemeName === theme && "
            "!document.body.classList.contains('lm-mod-override-cursor')",
            arg=view.theme,
        )
    # Let the layout settle after the resize and the theme's stylesheet.
    page.wait_for_timeout(300)


def save_screenshots(page: Any, folder: Path, stem: str) -> list[Path]:
    """The window with the header, the first table and the first chart each at its top."""
    saved = []
    for part, selector in (
        ("header", ".pcp-report:has(dl.meta)"),
        ("table", ".pcp-report .table-wrap"),
        ("chart", ".pcp-report figure.chart"),
    ):
        target = page.locator(selector).first
        if not target.count():
            continue
        target.evaluate("el => el.scrollIntoView({block: 'start'})")
        path = folder / f"{stem}-{part}.png"
        page.screenshot(path=str(path))
        saved.append(path)
    return saved


def list_problems(found: dict[str, Any], view: View, name: str) -> list[str]:
    """Everything wrong with one notebook's page in one view, in words."""
    problems = []
    if found["kernel"] != "Python (pcp)":
        problems.append(f"kernel {found['kernel']!r}, not 'Python (pcp)'")
    if found["theme"] != view.theme:
        problems.append(f"theme {found['theme']!r}, not {view.theme!r}")
    if view.width < 1200 and not found["fileBrowserOpen"]:
        problems.append("the narrow case is with the file browser open, but it is closed")
    problems += [f"error output: {text}" for text in found["errors"]]
    if not found["fragments"] or found["styled"] != found["fragments"]:
        problems.append(
            f"{found['styled']} of {found['fragments']} report fragments carry their <style>"
        )
    if len(found["pairs"]) < 5:
        problems.append("the header's definition list was not found")
    for pair in found["pairs"]:
        where = f"header {pair['label']!r} / {pair['value']!r}"
        if pair["value"] is None:
            problems.append(f"{where}: the label is not followed by its value")
        elif abs(pair["labelTop"] - pair["valueTop"]) > 2:
            problems.append(f"{where}: not on one row ({pair['labelTop']} / {pair['valueTop']})")
        elif pair["labelRight"] > pair["valueLeft"] + 0.5:
            problems.append(f"{where}: the value is not beside its label")
    charts = [image for image in found["images"] if image["inChart"]]
    if name == "delivery_strategy" and not charts:
        problems.append("no SPC chart shown as a picture")
    for image in found["images"]:
        if not (image["natural"] > 0 and image["width"] > 0 and image["height"] > 0):
            problems.append(f"an image with no size: {image}")
    for image in charts:
        if not image["alt"]:
            problems.append("a chart without alt text")
        if view.theme == "JupyterLab Dark" and image["panel"] != "rgb(255, 255, 255)":
            problems.append(f"a chart not on a white panel in the dark theme: {image['panel']}")
    if not found["tables"]:
        problems.append("no table shown")
    for table in found["tables"]:
        caption = table["caption"] or "a table"
        if not table["wrapped"]:
            problems.append(f"{caption}: not in a scroll region")
            continue
        if table["width"] > table["wrapWidth"] + 1 and not table["scrolls"]:
            problems.append(f"{caption}: neither fits nor scrolls ({table})")
        if table["wrapRight"] > table["outputRight"] + 1:
            problems.append(f"{caption}: its region is wider than the output area ({table})")
    problems += [f"wider than its box outside a table region: {o}" for o in found["overflowing"]]
    problems += [f"aligned the wrong way: {cell}" for cell in found["misaligned"][:10]]
    return [f"{view.name}: {problem}" for problem in problems]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_and_renders_in_jupyterlab(
    lab: Lab, browser: Any, screenshot_dir: Path, name: str
) -> None:
    started = time.monotonic()
    context, page = open_and_run(lab, browser, VIEWS[0], name)
    ran = time.monotonic() - started
    problems, shots = [], []
    try:
        # Run once, then looked at in each view: outputs do not depend on the theme.
        for view in VIEWS:
            show_view(page, view)
            problems += list_problems(page.evaluate(MEASURE_PAGE), view, name)
            shots += save_screenshots(page, screenshot_dir, f"{name}-{view.name}")
    finally:
        context.close()
        shut_down_kernels(lab)  # one kernel at a time: the next notebook gets the CPU
    print(f"\n{name}: opened and ran in {ran:.1f} s, {time.monotonic() - started:.1f} s in all")
    for path in shots:
        print(f"  {path}")
    assert not problems, "\n".join(problems)
