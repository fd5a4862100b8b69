# tpmkit: everything a fresh machine with Python 3.11 and pip needs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: demo test lab lint typecheck bench browser-deps samples docs clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[all,test,mpp,docs]"
	$(PY) -m tpmkit._warmup
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

## demo: the main job on the bundled sample: schedule + critical path, then the HTML status report
demo: $(STAMP)
	@mkdir -p build
	$(VENV)/bin/tpmkit schedule sample:software_release --csv build/schedule.csv
	$(VENV)/bin/tpmkit report sample:software_release_tracking --status-date 2027-04-30 \
	  -o build/report.html

## browser-deps: Debian chromium for the real-browser tests (installs system packages; only when
## missing and root). `make test` never installs system packages: .ci/run calls this first.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing Debian chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
	    fonts-liberation fonts-dejavu-core >/dev/null) || echo "chromium not installed: browser tests will skip"; \
	fi

## lint: ruff (incl. the private-name rules) and the import-layer contracts of ARCHITECTURE.md
lint: $(STAMP)
	$(VENV)/bin/ruff check tpmkit tests benchmarks
	$(VENV)/bin/lint-imports --no-cache

## typecheck: mypy (non-strict, settings in pyproject.toml)
typecheck: $(STAMP)
	$(VENV)/bin/mypy

## docs: the documentation site in docs/_build/html (offline; incremental; open docs/_build/html/index.html)
docs: $(STAMP)
	MPLBACKEND=Agg $(PY) -m sphinx -b html -W --keep-going -q docs docs/_build/html
	@echo "docs: docs/_build/html/index.html"

## test: lint, then pytest (unit tests, doctests, the docs build and its link check
## (tests/test_docs.py), browser tests when chromium is there, notebooks)
test: lint
	$(PY) -m pytest -q tests tpmkit
	@if ls notebooks/*.ipynb >/dev/null 2>&1; then \
	  TPMKIT_ITERATIONS=500 $(PY) -m pytest -q --nbval-lax --nbval-current-env \
	    --nbval-cell-timeout=300 notebooks; fi

## lab: JupyterLab on the notebooks (as root it needs --allow-root)
lab: $(STAMP)
	$(VENV)/bin/jupyter-lab --ServerApp.root_dir=notebooks \
	  $(if $(filter 0,$(shell id -u)),--allow-root)

## bench: the speed benchmarks (compare against baselines in the same run); bench_growth.py
## prints the growth table time(10n)/time(n) per command and shape. QUICK=1: the scripts'
## --quick (smaller sizes). Every script runs; the status is 1 when any is out of target.
## Not part of `make test`.
bench: $(STAMP)
	@status=0; for b in benchmarks/bench_*.py; do echo "== $$b"; \
	  quick=$$(if [ -n "$(QUICK)" ] && grep -q -- '--quick' $$b; then echo --quick; fi); \
	  $(PY) $$b $$quick || status=1; done; exit $$status

## samples: regenerate the bundled sample files (plan, then its tracking data)
samples: $(STAMP)
	$(PY) datasets/make_software_release.py
	$(PY) datasets/make_tracking.py

clean:
	rm -rf build .pytest_cache .ruff_cache docs/_build
