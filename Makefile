# Everyday targets.  `make demo` and `make test` work on a fresh machine with Python 3.11+.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint install install-dev clean

demo: $(VENV)/.installed          ## set up and run the demo on SQLite
	$(BIN)/yusuan demo

test: $(VENV)/.installed-dev      ## set up and run the tests
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev      ## ruff over the sources and tests
	$(BIN)/ruff check src tests

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[service,postgres,export]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) yusuan-demo.db build dist .pytest_cache .ruff_cache
