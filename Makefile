# Two commands on a fresh machine: `make book` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard chapters/*.ipynb))
# nbval in strict mode (--nbval, not --nbval-lax), run by the venv's own kernel;
# loadscope keeps every cell of one notebook on one xdist worker.
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg -n 2 --dist loadscope

.PHONY: help venv test unit notebooks outputs book bench lab check-site clean

help:
	@echo "make book     create .venv, install the pins, build the HTML site"
	@echo "make test     unit tests + every notebook re-executed by nbval (strict)"
	@echo "make outputs  re-execute every notebook and store its outputs"
	@echo "make bench    time the notebook suite against an imports-only floor"
	@echo "make check-site  open every built page in headless Chromium, offline, and check it"
	@echo "make lab      open the notebooks in JupyterLab"

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

test: $(STAMP)
	$(BIN)/python -m pytest tests $(NOTEBOOKS) $(NBVAL)

unit: $(STAMP)
	$(BIN)/python -m pytest tests -n 2

notebooks: $(STAMP)
	$(BIN)/python -m pytest $(NOTEBOOKS) $(NBVAL)

outputs: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py $(NOTEBOOKS)

book: $(STAMP)
	rm -rf _build/html
	$(BIN)/jupyter-book build . --builder html -W -n --keep-going
	@echo "Built the book: open file://$(CURDIR)/_build/html/index.html in a browser."

# Every page of _build/html in headless Chromium (Debian's; apt-installed if missing), with no network:
# formulas typeset, images loaded, no console errors, internal links resolve; PNGs in _build/screenshots.
check-site: $(STAMP)
	$(BIN)/python tools/check_site.py --site _build/html

# The suite against an imports-only floor, in BENCH_PAIRS alternating pairs
# under the same NBVAL flags (passed in, so there is one copy of them).
BENCH_PAIRS ?= 5
bench: $(STAMP)
	$(BIN)/python tools/bench.py --pairs $(BENCH_PAIRS) $(NOTEBOOKS) -- $(NBVAL)

# JupyterLab is installed on demand, constrained by the pins so that it cannot move them.
lab: $(STAMP)
	grep -v '^-e' requirements.txt > $(VENV)/constraints.txt
	$(BIN)/python -m pip install --quiet -c $(VENV)/constraints.txt -r requirements-lab.txt
	$(BIN)/jupyter lab chapters

clean:
	rm -rf _build .pytest_cache .hypothesis
