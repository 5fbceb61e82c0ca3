# Two commands do all set-up on a fresh machine:
#   make run    create .venv with the runtime requirements and serve the app
#   make test   create .venv with the dev requirements and run every test
VENV   ?= .venv
PYTHON ?= python3
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip install --quiet --disable-pip-version-check

export HF_HUB_DISABLE_TELEMETRY := 1
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: run test test-fast lint bench bench-vision bench-text bench-serve bench-refusals clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip
	$(PIP) torch==2.13.0          # first, alone: picks the local CPU build, not a multi-GB CUDA one
	$(PIP) -r requirements.txt
	touch $@

# The offline page's JavaScript runtime (onnxruntime-web, pinned in web/package-lock.json; never committed).
web/node_modules/.installed: web/package.json web/package-lock.json
	npm ci --prefix web --no-audit --no-fund --ignore-scripts
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PIP) -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime web/node_modules/.installed
	$(PY) app.py

# Tests never touch the network: the Hub is offline and HF_HOME is a temp dir (tests/conftest.py).
test: $(VENV)/.dev web/node_modules/.installed
	HF_HUB_OFFLINE=1 $(PY) -m pytest $(PYTEST_ARGS)

# No server, subprocess, Trainer, browser or ../shared: what a change to pure code needs first (< 3 min).
test-fast: $(VENV)/.dev web/node_modules/.installed
	HF_HUB_OFFLINE=1 $(PY) -m pytest -m "not trains and not serves and not browser and not needs_assets" $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .

bench: bench-vision bench-text

bench-vision: $(VENV)/.dev
	HF_HUB_OFFLINE=1 $(PY) -m bench.vision

bench-text: $(VENV)/.dev
	HF_HUB_OFFLINE=1 $(PY) -m bench.text

# Serving cost: the app against a minimal Gradio app, 1/16/32 clients (a few minutes; trains two small
# checkpoints into bench/results/models/ the first time).
bench-serve: $(VENV)/.dev
	HF_HUB_OFFLINE=1 nice -n 10 $(PY) -m bench.serve $(BENCH_ARGS)

# How soon refusals and a lone request come back (seconds; the targets the tests no longer time).
bench-refusals: $(VENV)/.dev
	HF_HUB_OFFLINE=1 $(PY) -m bench.refusals

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache web/node_modules
