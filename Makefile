# Two commands for a new user: `make book` and `make test`.
# Everything else (venv, pinned packages, system packages) is set up on the way.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)
SYSTEM := $(VENV)/.system-ok
ACE    := tools/ace/node_modules/.installed

.PHONY: book test check setup clean

book: setup
	$(PY) -m pipeline build manuscript -o output

test: setup
	$(PY) -m pytest -q

# Lint the manuscript, then EPUBCheck and Ace on the built book (reports in output/reports/).
check: setup
	$(PY) -m pipeline check manuscript
	test -f output/*.epub || $(MAKE) book
	$(PY) -m pipeline validate

setup: $(SYSTEM) $(STAMP) $(ACE)

$(ACE): tools/ace/package-lock.json | $(SYSTEM)
	cd tools/ace && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

$(SYSTEM): tools/setup-system.sh
	tools/setup-system.sh
	@mkdir -p $(VENV) && touch $@

$(STAMP): pyproject.toml | $(SYSTEM)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

clean:
	rm -rf output
