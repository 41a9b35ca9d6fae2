# The two README commands; each creates .venv and installs on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test test-under-load bench chaos cluster-test fuzz install clean

install: $(STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,test]'
	rm -f $(VENV)/.installed-*
	touch $@

run: $(STAMP)
	$(PY) deploy/run.py

# Three pytest workers on two cores (most tests wait on servers, not the CPU), one test file per
# worker at a time; beside them, the browser tests in a process of their own (Playwright's sync API
# leaves an event loop running in its process, which later asyncio.run() calls would trip over),
# their report printed when both are done. Side by side they use the cores the workers leave idle:
# 476 s for both, against 415 s and then 113 s one after the other. --no-loadscope-reorder: xdist
# hands out files in tests/conftest.py's order (the longest first) instead of by their number of
# tests, which left the chaos, cluster and launcher tests to the last minute.
PYTEST_WORKERS ?= 3
PYTEST_PARALLEL := -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder
test: $(STAMP)
	status=0; log=$$(mktemp); \
	$(PY) -m pytest tests/browser > $$log 2>&1 & browser=$$!; \
	trap 'kill $$browser 2>/dev/null; rm -f $$log' EXIT; \
	$(PY) -m pytest $(PYTEST_PARALLEL) --ignore=tests/browser || status=1; \
	wait $$browser || status=1; \
	echo "--- the browser tests (tests/browser), run beside the others:"; cat $$log; \
	exit $$status

# The suite as CI's shared machine can find it: busy. Debian's stress-ng keeps STRESS_CPUS processes
# spinning on the two cores for as long as the tests run; a test that waits for time rather than for
# the state it needs fails here first.
STRESS_CPUS ?= 4
test-under-load: $(STAMP)
	command -v stress-ng >/dev/null || { echo "needs stress-ng: apt-get install -y stress-ng"; exit 1; }
	stress-ng --cpu $(STRESS_CPUS) --quiet & load=$$!; status=0; \
	$(PY) -m pytest $(PYTEST_PARALLEL) --ignore=tests/browser || status=1; \
	kill $$load; wait $$load 2>/dev/null; exit $$status

# Benchmarks print ratios against baselines measured in the same run; bench/run_all.py runs them one
# after another and writes their tables and the machine into bench/RESULTS.md's "Latest make bench".
bench: $(STAMP)
	$(PY) bench/run_all.py

# The chaos suite's long form: five seeds, three minutes of faults each, printing each run's
# invariants table (`make test` runs it once, for 30 s). CHAOS_SEEDS and CHAOS_SECONDS change it.
CHAOS_SEEDS ?= 1 2 3 4 5
CHAOS_SECONDS ?= 180
chaos: $(STAMP)
	for seed in $(CHAOS_SEEDS); do \
	  BRUG_CHAOS_SEED=$$seed BRUG_CHAOS_SECONDS=$(CHAOS_SECONDS) $(PY) -m pytest -s -q tests/chaos || exit 1; \
	done

# Three clustered nats-servers, two processes of each service, a node and a process of each
# killed mid-workload, every chaos invariant checked (tests/cluster; also part of `make test`).
CLUSTER_SEEDS ?= 8
cluster-test: $(STAMP)
	for seed in $(CLUSTER_SEEDS); do \
	  BRUG_CHAOS_SEED=$$seed $(PY) -m pytest -s -q tests/cluster || exit 1; \
	done

# Hostile input, the long form: schemathesis with BRUG_FUZZ_EXAMPLES requests per operation, the
# property tests with ten times their examples, new random ones each run (`make test` runs the short
# forms on the same examples every time, so CI never fails on the draw).
BRUG_FUZZ_EXAMPLES ?= 200
fuzz: $(STAMP)
	BRUG_FUZZ=1 BRUG_FUZZ_EXAMPLES=$(BRUG_FUZZ_EXAMPLES) $(PY) -m pytest -q --timeout=0 \
	  tests/security/test_parser_properties.py tests/feedback/test_suppression.py tests/security/test_schemathesis.py

clean:
	rm -rf $(VENV) var .pytest_cache
