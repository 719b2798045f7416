# Two entry points, as in the README: `make run` (the main job) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run test validate

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

validate: install
	$(BIN)/python -m solver validate data/guangdong

run: install
	$(BIN)/python -m solver validate data/guangdong

test: install
	$(BIN)/python -m pytest
