# Quick start: `make run` (build the sample corpus and serve it) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= .kg-store
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format lock clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e . || $(BIN)/pip install --quiet --no-deps -e .
	touch $@

run: install
	$(BIN)/kg build examples/corpus --store $(STORE)
	$(BIN)/kg serve --store $(STORE) --host $(HOST) --port $(PORT)

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

# Re-resolve the pinned dependency set (run after changing pyproject.toml).
lock:
	rm -rf /tmp/kg-lock && $(PYTHON) -m venv /tmp/kg-lock
	/tmp/kg-lock/bin/pip install --quiet --upgrade pip
	/tmp/kg-lock/bin/pip install --quiet -e ".[dev]" hatchling editables
	/tmp/kg-lock/bin/pip freeze --exclude-editable | grep -v '^kg' > requirements.lock

clean:
	rm -rf $(VENV) $(STORE) .pytest_cache .ruff_cache
