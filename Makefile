# Two entry points, as in the README: `make run` (the main job) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run lint test plan benchmark benchmark-service

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

# The service on 127.0.0.1:8000 with one solve worker beside it, the bundled roster on SQLite (./var), migrations applied.
run: install
	$(BIN)/python -m service serve

# The gates every change passes: lint, formatting, types (strict on solver/), then the tests.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy solver service

test: lint
	$(BIN)/python -m pytest

# The 2021-2025 plan of the bundled roster from the command line, into out/2021-2025.
plan: install
	$(BIN)/python -m solver plan --roster data/guangdong --round 2021-2025 --out out/2021-2025

benchmark: install
	$(BIN)/python scripts/benchmark_pairing.py
	$(BIN)/python scripts/benchmark_round.py

# The service in real processes: GET latency while solving, memory during concurrent uploads (minutes).
benchmark-service: install
	$(BIN)/python scripts/benchmark_service.py
