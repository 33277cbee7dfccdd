# pcp-monitor: two commands do everything on a fresh machine with python3, make and git.
#   make report   set up .venv (if needed) and run the default job on the sample data
#   make test     set up .venv (if needed) and run the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.pcp-installed
KERNEL := pcp

.PHONY: setup report test lab lint clear-outputs clean help

help:
	@echo "make report  - set up and run the default job (latest CGB slot, plan overview, public report)"
	@echo "make test    - set up and run the whole test suite"
	@echo "make lab     - JupyterLab with the 'pcp' kernel on a free port (prints the URL)"
	@echo "make lint    - ruff"
	@echo "make clear-outputs - strip outputs from the notebooks before committing"
	@echo "make clean   - remove generated outputs and caches (keeps .venv and outputs/history)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install when the project's metadata changes; the stamp keeps repeat runs fast.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,browser]"
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (pcp)" >/dev/null
	@touch $(STAMP)

setup: $(STAMP)

report: setup
	$(BIN)/pcp run --default

test: setup
	$(BIN)/python -m pytest

# On a free loopback port, with --allow-root only when run as root (the usual case in a
# container), printing the URL with its token first (pcplib/run/lab.py).
lab: setup
	$(BIN)/python -m pcplib.run.lab notebooks

lint: setup
	$(BIN)/ruff check pcplib tests benchmarks notebooks
	$(BIN)/ruff format --check pcplib tests benchmarks notebooks

clear-outputs: setup
	$(BIN)/jupyter nbconvert --clear-output --inplace --log-level WARN notebooks/*.ipynb

clean:
	find outputs -mindepth 1 -maxdepth 1 ! -name .gitkeep ! -name history -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -not -path "./$(VENV)/*" -exec rm -rf {} +
