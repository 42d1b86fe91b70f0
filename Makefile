# Two commands for a new user: `make book` and `make test`.
# Everything else (venv, locked packages, system packages) is set up on the way.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
LOCK   := requirements.lock
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | sha256sum | cut -c1-12)
SYSTEM := $(VENV)/.system-ok
ACE    := tools/ace/node_modules/.installed
READER := tools/reader/node_modules/.installed
UV     := .cache/uv/bin/uv
UV_VERSION := 0.13.9

.PHONY: book test check preview reading setup clean lock

book: setup
	$(PY) -m pipeline build manuscript -o output

test: setup
	$(PY) -m pytest -q

# Lint the manuscript, then EPUBCheck and Ace on the built book (reports in output/reports/).
check: setup
	$(PY) -m pipeline check manuscript
	test -f output/*.epub || $(MAKE) book
	$(PY) -m pipeline validate

# The book's pages beside its text on http://127.0.0.1:8000/, rebuilt on every save (Ctrl-C stops).
preview: setup
	$(PY) -m pipeline preview manuscript -o output

# The built book in a reading engine (foliate-js in Chromium): phone and tablet
# sizes, notes, page-list, index; report and screenshots in output/reports/reading/.
reading: setup
	test -f output/*.epub || $(MAKE) book
	$(PY) -m tests.reading output/*.epub $$(ls output/*.pdf 2>/dev/null)

setup: $(SYSTEM) $(STAMP) $(ACE) $(READER)

$(ACE): tools/ace/package-lock.json | $(SYSTEM)
	cd tools/ace && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

$(READER): tools/reader/package-lock.json | $(SYSTEM)
	cd tools/reader && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

$(SYSTEM): tools/setup-system.sh
	tools/setup-system.sh
	@mkdir -p $(VENV) && touch $@

# Every package, transitive ones included, comes from the lock with its hashes.
# When the lock changes the venv is made anew, so nothing outside it stays.
$(STAMP): pyproject.toml $(LOCK) | $(SYSTEM)
	$(PYTHON) -m venv --clear $(VENV)
	$(PY) -m pip install -q --require-hashes --no-deps -r $(LOCK)
	$(PY) -m pip install -q --no-deps -e .
	touch $(SYSTEM) $@

# Refresh the lock after editing pyproject.toml's dependencies: pins already in
# the lock are kept. `make lock UPGRADE=--upgrade` moves every package to its newest
# release (then rebuild the book and review the diff before committing).
lock:
	test -x $(UV) || { $(PYTHON) -m venv .cache/uv && .cache/uv/bin/pip install -q uv==$(UV_VERSION); }
	$(UV) pip compile pyproject.toml --extra test --generate-hashes $(UPGRADE) \
	  --python-version 3.11 --python-platform linux --annotation-style line \
	  --custom-compile-command "make lock" -o $(LOCK)

clean:
	rm -rf output
