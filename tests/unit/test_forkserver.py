"""Unit tests of pcplib.forkserver's pieces (a whole server runs in test_render.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pcplib import forkserver

PYTHON = ["/venv/bin/python", "-Xfrozen_modules=off"]


def test_split_kernel_command_finds_interpreter_module_and_arguments() -> None:
    argv = [*PYTHON, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    assert forkserver.split_kernel_command(argv) == (
        PYTHON,
        "ipykernel_launcher",
        ["-f", "{connection_file}"],
    )
    # Kernels the server cannot become are started as before.
    assert forkserver.split_kernel_command(["python", "-m", "other_kernel"]) is None
    assert forkserver.split_kernel_command(["/usr/bin/kernel", "-f", "x"]) is None
    assert forkserver.split_kernel_command(["python", "-m"]) is None


def test_a_forked_process_is_polled_signalled_and_waited_for_by_its_id() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        process = forkserver.ForkedProcess(child.pid)
        assert process.poll() is None and process.stdout is None
        with pytest.raises(subprocess.TimeoutExpired):
            process.wait(timeout=0.05)
        process.kill()
        child.wait(timeout=10)  # the server reaps its kernels; here the test does
        assert process.poll() == 0 and process.wait(timeout=1) == 0
        process.kill()  # an ended kernel is left alone
    finally:
        child.kill()
        child.wait()


def test_no_server_for_a_kernel_it_cannot_become(monkeypatch, tmp_path) -> None:
    from jupyter_client.kernelspec import KernelSpecManager

    class Spec:
        argv = ["/opt/other/bin/kernel", "-f", "{connection_file}"]

    monkeypatch.setattr(KernelSpecManager, "get_kernel_spec", lambda self, name: Spec())
    with forkserver.serve_kernels("other", tmp_path) as server:
        assert server is None and forkserver.active_server() is None


def test_find_kernel_command_reads_the_spec_jupyter_client_reads(monkeypatch, tmp_path) -> None:
    # The installed kernel: the same command, without importing jupyter_client first.
    assert forkserver.find_kernel_command("pcp") == forkserver.read_kernel_command("pcp")
    first, second = tmp_path / "user", tmp_path / "env"
    for folder, python in ((first, "/user/python"), (second, "/env/python")):
        (folder / "k").mkdir(parents=True)
        (folder / "k" / "kernel.json").write_text(f'{{"argv": ["{python}", "-m", "x"]}}')
    monkeypatch.setattr("jupyter_core.paths.jupyter_path", lambda *parts: [str(first), str(second)])
    # The first folder wins, as in jupyter_client.
    assert forkserver.find_kernel_command("k") == ["/user/python", "-m", "x"]
    # A spec that cannot be read is left to jupyter_client to read (or refuse).
    (first / "k" / "kernel.json").write_text("{not json")
    monkeypatch.setattr(forkserver, "read_kernel_command", lambda name: ["asked", name])
    assert forkserver.find_kernel_command("k") == ["asked", "k"]
    assert forkserver.find_kernel_command("missing") == ["asked", "missing"]


def test_a_server_started_early_is_adopted_by_the_run_or_stopped(monkeypatch, tmp_path) -> None:
    assert forkserver.start_early("pcp", {"PCP_FORK_KERNELS": "0"}) is None
    early = forkserver.start_early("pcp", {})
    assert early is not None and early.alive()
    with forkserver.serve_kernels("pcp", tmp_path) as server:
        assert server is early and forkserver.active_server() is early
    assert not early.alive()
    # One no run took (a usage error) is stopped by the command line.
    unused = forkserver.start_early("pcp", {})
    assert unused is not None
    forkserver.discard_early()
    assert not unused.alive()
    forkserver.discard_early()  # nothing left: nothing to do


def test_the_command_line_ends_its_process_at_once_with_its_output_flushed() -> None:
    code = (
        "import logging, sys\n"
        "from pcplib.cli import end_run_process\n"
        "logging.basicConfig(stream=sys.stderr)\n"
        "print('published', end='')\n"
        "logging.getLogger('x').warning('logged')\n"
        "end_run_process(3)\n"
        "print('never')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 3
    assert done.stdout == "published" and "logged" in done.stderr


def test_forked_kernels_run_one_report_per_cpu_by_default() -> None:
    from pcplib import run

    assert run.default_jobs() == run.default_jobs(forked=True) == run.count_cpus()
    assert run.default_jobs(forked=False) == run.count_cpus() + 1


def test_a_server_already_serving_is_shared_by_later_runs_and_left_running(tmp_path) -> None:
    with forkserver.serve_kernels("pcp", tmp_path) as outer:
        assert outer is not None
        # A run inside (the test session's runs) starts no server of its own.
        assert forkserver.start_early("pcp", {}) is None
        with forkserver.serve_kernels("pcp", tmp_path) as inner:
            assert inner is outer
        assert outer.alive() and forkserver.active_server() is outer
    assert not outer.alive() and forkserver.active_server() is None
