# The two README commands; each creates .venv and installs on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test bench install clean

install: $(STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

run: $(STAMP)
	$(PY) deploy/run.py

test: $(STAMP)
	$(PY) -m pytest

# Benchmarks print ratios against baselines measured in the same run (bench/RESULTS.md).
bench: $(STAMP)
	$(PY) bench/bus.py

clean:
	rm -rf $(VENV) var .pytest_cache
