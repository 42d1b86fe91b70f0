# Two commands for a new user: `make book` and `make test`.
# Everything else (venv, pinned packages, system packages) is set up on the way.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)
SYSTEM := $(VENV)/.system-ok

.PHONY: book test check setup clean

book: setup
	$(PY) -m pipeline build manuscript -o output

test: setup
	$(PY) -m pytest -q

check: setup
	$(PY) -m pipeline check manuscript

setup: $(SYSTEM) $(STAMP)

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
