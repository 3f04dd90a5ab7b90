# Two commands on a fresh machine: `make book` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard chapters/*.ipynb))
# nbval in strict mode (--nbval, not --nbval-lax), run by the venv's own kernel;
# loadscope keeps every cell of one notebook on one xdist worker.
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg -n 2 --dist loadscope

.PHONY: help venv test unit notebooks outputs book pdf bench lab check-site clean

help:
	@echo "make book     create .venv, install the pins, build the HTML site"
	@echo "make test     unit tests + every notebook re-executed by nbval (strict)"
	@echo "make outputs  re-execute every notebook and store its outputs"
	@echo "make bench    time the notebook suite against an imports-only floor"
	@echo "make pdf      the whole book as one PDF, _build/pdf/dlmath-book.pdf (after make book)"
	@echo "make check-site  open every built page in headless Chrome, offline, and check it and the PDF"
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

# The whole book in _toc.yml order as one PDF, printed offline from _build/html by headless Chrome
# (no TeX), with an outline and page numbers; also copied into the site as dlmath-book.pdf.
pdf: $(STAMP)
	$(BIN)/python tools/book_pdf.py --site _build/html --out _build/pdf/dlmath-book.pdf

# Every page of _build/html in an installed headless Chrome/Chromium ($$CHROME_PATH or the usual
# paths), with no network, at 1280 and 390 px: formulas typeset, images loaded, no console errors,
# internal links resolve, nothing wider than its column; screenshots in _build/screenshots; the PDF.
check-site: $(STAMP)
	$(BIN)/python tools/check_site.py --site _build/html --pdf _build/pdf/dlmath-book.pdf

bench: $(STAMP)
	$(BIN)/python tools/bench.py $(NOTEBOOKS)

# JupyterLab is installed on demand, constrained by the pins so that it cannot move them.
lab: $(STAMP)
	grep -v '^-e' requirements.txt > $(VENV)/constraints.txt
	$(BIN)/python -m pip install --quiet -c $(VENV)/constraints.txt -r requirements-lab.txt
	$(BIN)/jupyter lab chapters

clean:
	rm -rf _build .pytest_cache .hypothesis
