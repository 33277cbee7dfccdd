"""``make lab``: JupyterLab on a free loopback port with a token, --allow-root only for root."""

from __future__ import annotations

import socket
import sys

import pytest

from pcplib.run import lab


def test_find_free_port_gives_a_port_that_can_be_bound():
    port = lab.find_free_port()
    with socket.socket() as probe:
        probe.bind((lab.LOOPBACK, port))


@pytest.mark.parametrize("is_root", [True, False])
def test_allow_root_only_for_root(tmp_path, is_root):
    command = lab.build_lab_command(tmp_path, 8899, "t0ken", is_root=is_root)
    assert ("--allow-root" in command) is is_root
    assert command[:3] == [sys.executable, "-m", "jupyterlab"]
    assert "--ServerApp.ip=127.0.0.1" in command
    assert "--ServerApp.port=8899" in command
    # The printed URL must be the one served: no silent move to the next port.
    assert "--ServerApp.port_retries=0" in command
    assert "--IdentityProvider.token=t0ken" in command
    assert f"--ServerApp.root_dir={tmp_path.resolve()}" in command


def test_the_command_takes_extra_options_and_no_browser(tmp_path):
    command = lab.build_lab_command(tmp_path, 8899, "t", open_browser=False, extra=["--x=1"])
    assert "--no-browser" in command and command[-1] == "--x=1"


@pytest.mark.parametrize(("port", "token"), [(0, "t"), (70000, "t"), (8899, "")])
def test_a_bad_port_or_no_token_is_refused(tmp_path, port, token):
    with pytest.raises(ValueError):
        lab.build_lab_command(tmp_path, port, token)


def test_the_url_carries_the_token():
    assert lab.format_lab_url(8899, "abc") == "http://127.0.0.1:8899/lab?token=abc"
    assert lab.format_lab_url(1, "t", "/lab/tree/x.ipynb").endswith("/lab/tree/x.ipynb?token=t")


def test_main_prints_the_url_then_becomes_jupyterlab(monkeypatch, capsys, tmp_path):
    started = {}
    monkeypatch.setattr(lab, "find_free_port", lambda: 8899)
    monkeypatch.setattr(lab.os, "execv", lambda path, args: started.update(path=path, args=args))
    lab.main([str(tmp_path), "--LabApp.x=1"])
    url = capsys.readouterr().out.strip()
    assert url.startswith("JupyterLab: http://127.0.0.1:8899/lab?token=")
    token = url.rsplit("token=", 1)[1]
    assert f"--IdentityProvider.token={token}" in started["args"]
    assert started["args"][-1] == "--LabApp.x=1"


def test_make_lab_runs_the_launcher(repo_root):
    makefile = (repo_root / "Makefile").read_text()
    recipe = makefile.split("\nlab: setup\n", 1)[1].split("\n\n", 1)[0]
    assert "-m pcplib.run.lab notebooks" in recipe
