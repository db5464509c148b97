# Quick start: `make run` (build the sample corpus and serve it) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= .kg-store
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format lock clean ui bench bench-extract bench-endpoint bench-incidents

install: $(VENV)/.installed ui

# The query page's editor: YASGUI's prebuilt bundle from the npm registry, pinned and checked,
# vendored into api/static/yasgui (not in git). Without npm the page uses its plain editor.
YASGUI_PACKAGE := @zazuko/yasgui@4.6.2
YASGUI_TARBALL := zazuko-yasgui-4.6.2.tgz
YASGUI_SHA256 := 6520cdd256a4003e8d45865e0d631b6456b88a0e6b65f4f3e56d78a25d74c9a7
UI := api/static/yasgui

# The API docs at /docs: Swagger UI's own distribution, pinned and checked the same way, into
# api/static/swagger-ui (not in git). Without npm, /docs links to the OpenAPI description.
SWAGGER_PACKAGE := swagger-ui-dist@5.32.0
SWAGGER_TARBALL := swagger-ui-dist-5.32.0.tgz
SWAGGER_SHA256 := 3c30bfe83d09763d14b4c88df0beade8ca162087a2fa5db3f34472f231ab3ba9
SWAGGER := api/static/swagger-ui

ui: $(UI)/yasgui.min.js $(SWAGGER)/swagger-ui-bundle.js

$(SWAGGER)/swagger-ui-bundle.js:
	@if command -v npm >/dev/null 2>&1; then \
	  tmp=$$(mktemp -d) && (cd $$tmp && npm pack $(SWAGGER_PACKAGE) --silent >/dev/null) \
	  && echo "$(SWAGGER_SHA256)  $$tmp/$(SWAGGER_TARBALL)" | sha256sum -c --quiet \
	  && tar -xzf $$tmp/$(SWAGGER_TARBALL) -C $$tmp \
	  && mkdir -p $(SWAGGER) && cp $$tmp/package/swagger-ui-bundle.js $$tmp/package/swagger-ui.css \
	     $$tmp/package/favicon-32x32.png $$tmp/package/LICENSE $(SWAGGER)/; rm -rf $$tmp; \
	else echo "npm not found: /docs links to /openapi.json instead of Swagger UI"; fi

$(UI)/yasgui.min.js:
	@if command -v npm >/dev/null 2>&1; then \
	  tmp=$$(mktemp -d) && (cd $$tmp && npm pack $(YASGUI_PACKAGE) --silent >/dev/null) \
	  && echo "$(YASGUI_SHA256)  $$tmp/$(YASGUI_TARBALL)" | sha256sum -c --quiet \
	  && tar -xzf $$tmp/$(YASGUI_TARBALL) -C $$tmp \
	  && mkdir -p $(UI) && cp $$tmp/package/build/yasgui.min.js $$tmp/package/build/yasgui.min.css $(UI)/ \
	  && cp $$tmp/package/LICENSE $(UI)/LICENSE 2>/dev/null; rm -rf $$tmp; \
	else echo "npm not found: the query page at / uses its plain editor"; fi

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

# Benchmarks (not tests): see bench/. The endpoint one needs wrk, Oxigraph's server and rdflib-endpoint.
bench: bench-extract bench-endpoint bench-incidents

bench-extract: install
	$(BIN)/python bench/extract_throughput.py

bench-incidents: install
	$(BIN)/python bench/incident_link.py

bench-endpoint: install
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/pip install --quiet oxigraph==0.5.13 rdflib-endpoint==0.6.3 granian==2.8.7
	$(BIN)/python bench/endpoint_throughput.py

# Re-resolve the pinned dependency set (run after changing pyproject.toml).
lock:
	rm -rf /tmp/kg-lock && $(PYTHON) -m venv /tmp/kg-lock
	/tmp/kg-lock/bin/pip install --quiet --upgrade pip
	/tmp/kg-lock/bin/pip install --quiet -e ".[dev]" hatchling editables
	/tmp/kg-lock/bin/pip freeze --exclude-editable | grep -v '^kg' > requirements.lock

clean:
	rm -rf $(VENV) $(STORE) .pytest_cache .ruff_cache
