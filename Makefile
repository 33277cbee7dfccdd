# pcp-monitor: two commands do everything on a fresh machine with python3, make and git.
#   make report   set up .venv (if needed) and run the default job on the sample data
#   make test     set up .venv (if needed) and run the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.pcp-installed
KERNEL := pcp

.PHONY: setup report test test-fast lab lint lock clear-outputs clean help

help:
	@echo "make report  - set up and run the default job (latest slot of the forward plan, plan overview, public report)"
	@echo "make test    - set up, type-check pcplib and run the whole test suite"
	@echo "make test-fast - the tests that execute no notebook and need no browser"
	@echo "make lab     - JupyterLab with the 'pcp' kernel on a free port (prints the URL)"
	@echo "make lint    - ruff"
	@echo "make lock    - re-resolve the dependencies of pyproject.toml into requirements.lock"
	@echo "make clear-outputs - strip outputs from the notebooks before committing"
	@echo "make clean   - remove generated outputs and caches (keeps .venv and outputs/history)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install when the project's metadata or the lock changes; the stamp keeps repeat runs
# fast. Every dependency comes at the exact version in requirements.lock; pcplib itself is
# installed from the source without resolving anything again.
$(STAMP): $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (pcp)" >/dev/null
	@touch $(STAMP)

setup: $(STAMP)

report: setup
	$(BIN)/pcp run --default

# Both cores (pytest-xdist): tests/conftest.py keeps the tests that share the session's
# sample reports on one worker and each other file whole on one worker. A plain
# `python -m pytest FILE` stays serial.
XDIST := -n 2 --dist loadgroup

test: setup
	$(BIN)/mypy
	$(BIN)/python -m pytest $(XDIST)

# Leaves out the end-to-end tests (they execute notebooks) and the browser tests: the
# loop to run while changing pcplib; `make test` before committing.
test-fast: setup
	$(BIN)/python -m pytest $(XDIST) -m "not e2e and not browser" -q

# On a free loopback port, with --allow-root only when run as root (the usual case in a
# container), printing the URL with its token first (pcplib/run/lab.py).
lab: setup
	$(BIN)/python -m pcplib.run.lab notebooks

lint: setup
	$(BIN)/ruff check pcplib tests benchmarks notebooks
	$(BIN)/ruff format --check pcplib tests benchmarks notebooks

# The refresh command for requirements.lock: resolve pyproject.toml's dependencies (with
# the dev and browser extras) in a clean virtual environment and record what was installed.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet -e ".[dev,browser]"
	{ echo "# Exact versions 'make setup' installs (pcplib itself is installed from the source, --no-deps)."; \
	  echo "# Refresh after changing the dependencies in pyproject.toml: make lock"; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable; } > requirements.lock
	rm -rf .lock-venv

clear-outputs: setup
	$(BIN)/jupyter nbconvert --clear-output --inplace --log-level WARN notebooks/*.ipynb

clean:
	find outputs -mindepth 1 -maxdepth 1 ! -name .gitkeep ! -name history -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -not -path "./$(VENV)/*" -exec rm -rf {} +
