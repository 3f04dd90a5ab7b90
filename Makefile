# Two commands on a fresh machine: `make book` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV     := $(BIN)/uv
UV_STAMP := $(VENV)/.uv-installed
STAMP  := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard chapters/*.ipynb))
WORKFLOWS := $(wildcard .github/workflows/*.yml .github/workflows/*.yaml)
# nbval in strict mode (--nbval, not --nbval-lax), run by the venv's own kernel;
# loadscope keeps every cell of one notebook on one xdist worker.
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg -n 2 --dist loadscope
# uv must never fetch a Python of its own (a binary from outside PyPI): every
# uv command below is given the venv's interpreter.
export UV_PYTHON_DOWNLOADS := never
# The lock holds every platform's wheels for Python 3.11 and newer (Linux, macOS).
LOCK_FLAGS ?=
LOCK   := $(UV) pip compile requirements.in --output-file requirements.txt \
          --python $(BIN)/python \
          --universal --python-version 3.11 --generate-hashes \
          --custom-compile-command "make lock" --quiet $(LOCK_FLAGS)

.PHONY: help venv lock test lint unit doctest notebooks outputs book pdf pdf-en pdf-fa bench lab check-site clean translations

help:
	@echo "make book     create .venv, install the pins, build the HTML site"
	@echo "make test     unit tests + every notebook re-executed by nbval (strict)"
	@echo "make lint     ruff (lint and format check) over src, tests, _ext, dev, notebooks"
	@echo "make doctest  run the examples in dlmath's docstrings (part of make test)"
	@echo "make outputs  re-execute every notebook and store its outputs"
	@echo "make bench    time the notebook suite against an imports-only floor"
	@echo "make pdf      the book as one PDF per edition, _build/pdf/dlmath-book.pdf and _build/pdf/fa/ (after make book)"
	@echo "make check-site  open every built page in headless Chrome, offline, and check it and the PDF"
	@echo "make lab      open the notebooks in JupyterLab"
	@echo "make lock     regenerate requirements.txt (hashes) from requirements.in"
	@echo "make translations  refresh locales/fa after an English sentence changed"

venv: $(STAMP)

# uv itself comes from PyPI through pip, at the version and hashes of its own
# entry in the lock (one pin for uv, not two). The pip of $(PYTHON) installs
# it into the venv when there is one: unpacking a second pip into the venv
# (ensurepip) would take half of the install's time. Otherwise the venv gets
# its own.
$(UV_STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv --without-pip $(VENV)
	awk '/^uv==/ {on = 1} on {print; if (!/\\$$/) exit}' requirements.txt > $(VENV)/uv-requirement.txt
	if $(PYTHON) -c 'import pip' 2>/dev/null; then \
	  pip="$(PYTHON) -m pip --python $(BIN)/python"; \
	else \
	  $(BIN)/python -m ensurepip --default-pip > /dev/null || exit 1; \
	  pip="$(BIN)/python -m pip"; \
	fi; \
	$$pip install --quiet --no-deps --require-hashes -r $(VENV)/uv-requirement.txt
	touch $@

# sync: exactly the lock (hash-checked, wheels only: an sdist would build with
# unlocked build dependencies), then dlmath editable, built by the locked
# setuptools. Bytecode is compiled at install (uv does not by default): where
# PYTHONDONTWRITEBYTECODE is set, as on some CI machines, every kernel would
# otherwise compile sympy and matplotlib again, 2 s more per notebook.
$(STAMP): $(UV_STAMP) requirements.in requirements.txt pyproject.toml
	$(UV) pip sync --quiet --python $(BIN)/python --require-hashes --only-binary :all: \
	  --compile-bytecode requirements.txt
	$(UV) pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e .
	touch $@

# Keeps every pin of requirements.txt that requirements.in still allows;
# `make lock LOCK_FLAGS=--upgrade` moves every indirect pin to its newest.
# Then, as the install takes wheels only, checks that every pin has a wheel
# for each supported platform and Python.
LOCK_PLATFORMS := x86_64-manylinux_2_28 aarch64-manylinux_2_28 \
                  x86_64-apple-darwin aarch64-apple-darwin
LOCK_PYTHONS   := 3.11 3.12 3.13
lock: $(UV_STAMP)
	$(LOCK)
	for platform in $(LOCK_PLATFORMS); do for version in $(LOCK_PYTHONS); do \
	  $(UV) pip compile requirements.in --constraints requirements.txt \
	    --python $(BIN)/python --only-binary :all: --python-platform $$platform \
	    --python-version $$version --quiet --output-file /dev/null || exit 1; \
	done; done
	@echo "requirements.txt: wheels for Python $(LOCK_PYTHONS) on $(LOCK_PLATFORMS)"

# Every workflow is valid for GitHub (schema shipped inside
# check-jsonschema: no network); then the tests (tests/test_lock.py: the
# lock pins what requirements.in pins).
test: $(STAMP) lint
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows $(WORKFLOWS)
	$(BIN)/python -m pytest tests $(NOTEBOOKS) $(NBVAL)
	$(MAKE) --no-print-directory doctest

# ruff over src/, tests/, _ext/, dev/ and the notebooks' code cells, at the
# 79 columns the page shows (pyproject.toml): lint, then formatting.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

unit: $(STAMP) doctest
	$(BIN)/python -m pytest tests -n 2

# the examples in dlmath's docstrings, which the API page (api.md) shows
doctest: $(STAMP)
	$(BIN)/python -m pytest --doctest-modules src/dlmath -q

notebooks: $(STAMP)
	$(BIN)/python -m pytest $(NOTEBOOKS) $(NBVAL)

outputs: $(STAMP)
	$(BIN)/python dev/execute_notebooks.py $(NOTEBOOKS)

# BOOK_URL: the site's address, which each downloaded chapter installs the
# dlmath wheel from (default: html.baseurl in _config.yml).
BOOK_URL ?=
# Both editions, one site: English, then Persian (BOOK_LANGUAGE=fa, from
# locales/fa) under fa/, whose pages take their notebooks and archive from
# the English site (_ext/edition.py).
book: $(STAMP)
	rm -rf _build/html _build/fa/_build/html
	BOOK_URL="$(BOOK_URL)" $(BIN)/jupyter-book build . --builder html -W -n --keep-going
	BOOK_URL="$(BOOK_URL)" BOOK_LANGUAGE=fa $(BIN)/jupyter-book build . \
	  --builder html --path-output _build/fa -W -n --keep-going
	cp -r _build/fa/_build/html _build/html/fa
	cp _build/html/_sources/chapters/*.ipynb _build/html/fa/_sources/chapters/
	@echo "Built the book: open file://$(CURDIR)/_build/html/index.html in a browser."

# The Persian edition's catalogues (issue 20): every English message of
# the book, extracted by Sphinx's gettext builder, merged into
# locales/fa/LC_MESSAGES/<page>.po. A changed sentence comes back
# untranslated, or fuzzy beside its old translation (make test fails until
# it is translated again); a removed one is dropped.
translations: $(STAMP)
	rm -rf _build/gettext
	SOURCE_DATE_EPOCH=0 $(BIN)/jupyter-book build . --builder custom \
	  --custom-builder gettext \
	  --path-output _build/gettext -W -n --keep-going
	$(BIN)/sphinx-intl update --pot-dir _build/gettext/_build/gettext \
	  --locale-dir locales --language fa --no-obsolete --jobs 1

# The whole book as one PDF per edition, typeset by Sphinx's LaTeX builder
# and xelatex (TeX Live: the Debian packages of .ci/pdf-packages;
# _ext/latex_book.py sets class, fonts, numbering and, for the Persian
# edition, right-to-left), copied into the site built by `make book`:
# dlmath-book.pdf and fa/dlmath-book.pdf. latexmk runs xelatex until the
# contents and cross-references settle (Sphinx's latexmkrc reads the two
# variables). A character that no font has is only a warning in TeX's log
# and would vanish from the page: it fails.
pdf: pdf-en pdf-fa
	# last, so that each PDF is newer than every page of the site it goes with
	mkdir -p _build/pdf/fa
	cp _build/latex/dlmath-book.pdf _build/pdf/dlmath-book.pdf
	cp _build/fa/_build/latex/dlmath-book.pdf _build/pdf/fa/dlmath-book.pdf

pdf-en: EDITION_PATH := .
pdf-en: EDITION_SITE := _build/html
pdf-fa: EDITION_PATH := _build/fa
pdf-fa: EDITION_SITE := _build/html/fa
pdf-en pdf-fa: pdf-%: $(STAMP)
	@test -f $(EDITION_SITE)/index.html || { echo "no site: run make book first"; exit 1; }
	rm -rf $(EDITION_PATH)/_build/latex
	BOOK_LANGUAGE=$* $(BIN)/jupyter-book build . --builder latex \
	  --path-output $(EDITION_PATH) -W -n --keep-going
	cd $(EDITION_PATH)/_build/latex && LATEXOPTS= XINDYOPTS= latexmk -xelatex \
	  -interaction=nonstopmode -halt-on-error -quiet dlmath-book.tex
	! grep -E "Missing character|undefined references" \
	  $(EDITION_PATH)/_build/latex/dlmath-book.log
	cp $(EDITION_PATH)/_build/latex/dlmath-book.pdf $(EDITION_SITE)/dlmath-book.pdf
	$(BIN)/python _ext/reader_notebooks.py $(EDITION_SITE)  # the intro links the PDF now

# tests/site: every page of _build/html in the installed headless Chromium
# ($$CHROME_PATH or /usr/bin/chromium), offline, at 1280 and 390 px, and the
# PDF; pytest-check-links checks every link and #anchor of the built pages
# (links to other hosts are not followed: the check runs offline). Each
# page's tests stay on one xdist worker (loadgroup), which opens it once.
SITE := _build/html
SITE_PDF := _build/pdf/dlmath-book.pdf
check-site: $(STAMP)
	$(BIN)/python -m pytest tests/site --site $(SITE) --pdf $(SITE_PDF) \
	  $(SITE) --check-links --check-anchors --links-ext html \
	  --check-links-ignore '^https?://' -n 2 --dist loadgroup \
	  --ignore tests/site/test_performance.py
	# alone: a page timed beside the other worker's browser measured both
	$(BIN)/python -m pytest tests/site/test_performance.py --site $(SITE)

# The suite against an imports-only floor, in BENCH_PAIRS alternating pairs
# under the same NBVAL flags (passed in, so there is one copy of them).
BENCH_PAIRS ?= 5
bench: $(STAMP)
	$(BIN)/python dev/bench.py $(BENCH_PAIRS) $(NOTEBOOKS) -- $(NBVAL)

# JupyterLab and jupyterlab-myst are in the lock (they survive any sync).
# As root (containers, WSL, cloud machines) jupyter refuses to start without
# --allow-root; LAB_ARGS passes the rest: make lab LAB_ARGS="--no-browser
# --ip 0.0.0.0 --port 8888".
LAB_ARGS ?=
lab: $(STAMP)
	$(BIN)/jupyter lab --config=dev/jupyter_lab_config.py \
	  $$(test "$$(id -u)" = 0 && echo --allow-root) $(LAB_ARGS) chapters

clean:
	rm -rf _build .pytest_cache .hypothesis
