# tinyflow: two commands on a fresh machine.
#   make lab    set everything up and open the lessons in JupyterLab
#   make test   set everything up and run every test
# Each target sets up what it needs (idempotently): a .venv with the pip installs
# (Graphviz's `dot` comes from the graphviz-pure wheel), and for the browser test
# Debian's chromium.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.bench-installed
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with notebooks/nbval_sanitize.cfg

.PHONY: setup lab test test-unit test-notebooks test-browser test-long browser parity lessons bench bench-smoke assets clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# Real PyTorch (the CPU build, the optional `torch` extra) is the oracle of the parity
# tests; `make test` stays light and does not install it. The benchmark's peers (PyTorch
# and HIPS autograd) are the `bench` extra.
PARITY_STAMP := $(VENV)/.torch-installed
$(PARITY_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,torch]'
	touch $@

$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	touch $@

# The real-browser widget test drives Debian's chromium with Playwright.
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's chromium for the browser test"; \
	  (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
	  || echo "WARNING: could not install chromium: the browser test will be skipped (see its reason)"; \
	else echo "WARNING: no apt-get here: the browser test will be skipped (see its reason)"; fi

# env -u MPLBACKEND: a kernel started with MPLBACKEND=Agg (common on servers)
# would show none of the lessons' figures.
lab: setup
	env -u MPLBACKEND $(VENV)/bin/jupyter lab $(ROOT_FLAG) notebooks/

test: setup browser
	$(PY) -m pytest -q tests
	$(PY) -m pytest -q --doctest-modules tinyflow
	$(PY) -m pytest -q $(NBVAL) notebooks/

test-unit: setup
	$(PY) -m pytest -q tests
	$(PY) -m pytest -q --doctest-modules tinyflow

test-notebooks: setup
	$(PY) -m pytest -q $(NBVAL) notebooks/

# The same calls and programs on real PyTorch and on tinyflow, compared (CI runs it after
# `make test`). TINYFLOW_REQUIRE_TORCH makes a missing PyTorch an error, never a skip.
parity: $(PARITY_STAMP)
	TINYFLOW_REQUIRE_TORCH=1 $(PY) -m pytest -q tests/test_parity_*.py tests/programs/

# The nightly profile: thousands of generated programs, long memory runs.
test-long: setup browser
	TINYFLOW_LONG=1 $(PY) -m pytest -q tests

# Re-execute every lesson and store its outputs (run after changing the library).
lessons: setup
	$(PY) tools/run_notebooks.py notebooks/*.ipynb

bench: $(BENCH_STAMP)
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(PY) bench/run.py

bench-smoke: setup
	$(PY) bench/run.py --smoke

assets: setup
	$(PY) tools/make_assets.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
