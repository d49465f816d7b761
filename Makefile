# Two commands on a fresh machine (Python 3.11+): `make run` and `make test`.
# Both create and fill the virtual environment themselves.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.parley-installed

.PHONY: run test lint unit venv schemas bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "parley needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

## The main job on the embedded broker: worker + sample articles, outputs printed.
run: $(STAMP)
	$(BIN)/parley demo

## Lint, type-check and every test (unit, model, broker integration, deploy).
# Two test processes: the broker suite mostly waits (restarts, rebalances), see TESTING.md.
TEST_PROCESSES ?= 2

test: $(STAMP) lint
	$(BIN)/pytest -n $(TEST_PROCESSES) --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check workers schemas tests scripts
	$(BIN)/ruff format --check workers schemas tests scripts
	$(BIN)/mypy workers schemas

## Fast tests only: no broker, no model.
unit: $(STAMP)
	$(BIN)/pytest tests/unit

schemas: $(STAMP)
	$(BIN)/parley schemas export

bench: $(STAMP)
	$(BIN)/parley bench

clean:
	rm -rf $(VENV) .parley-data .pytest_cache .mypy_cache .ruff_cache
