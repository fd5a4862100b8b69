# tpmkit: everything a fresh machine with Python 3.11 and pip needs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test lab lint bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[all,test]"
	touch $(STAMP)

## demo: run the main job on the bundled sample project
demo: $(STAMP)
	@mkdir -p build
	$(VENV)/bin/tpmkit schedule sample:software_release --csv build/schedule.csv

## test: ruff, then pytest (unit tests, doctests, notebooks)
test: $(STAMP)
	$(VENV)/bin/ruff check tpmkit tests benchmarks
	$(PY) -m pytest -q tests tpmkit
	@if ls notebooks/*.ipynb >/dev/null 2>&1; then \
	  TPMKIT_ITERATIONS=500 $(PY) -m pytest -q -p no:doctest --nbval-lax --nbval-current-env \
	    --nbval-cell-timeout=300 notebooks; fi

## lab: JupyterLab on the notebooks
lab: $(STAMP)
	$(VENV)/bin/jupyter-lab notebooks

bench: $(STAMP)
	for b in benchmarks/bench_*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf build .pytest_cache .ruff_cache
