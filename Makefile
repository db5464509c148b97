# Quick start: `make run` (build the sample corpus and serve it) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= .kg-store
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install browser run test lint format lock clean ui bench bench-extract bench-endpoint bench-incidents bench-app

install: $(VENV)/.installed ui

# Every script and style the pages use comes from the npm registry at install time, pinned by
# version and checked by SHA-256, vendored into api/static (not in git); never from a CDN.
# $(call vendor,package@version,sha256,folder,files in the package,what happens without npm)
define vendor
	@if command -v npm >/dev/null 2>&1; then \
	  tmp=$$(mktemp -d) && (cd $$tmp && npm pack $(1) --silent >/dev/null) \
	  && echo "$(2)  $$(ls $$tmp/*.tgz)" | sha256sum -c --quiet \
	  && tar -xzf $$tmp/*.tgz -C $$tmp \
	  && mkdir -p $(3) && (cd $$tmp/package && cp $(4) $(CURDIR)/$(3)/); rm -rf $$tmp; \
	else echo "npm not found: $(5)"; fi
endef

# The SPARQL editor page: YASGUI's prebuilt bundle. Without npm the page uses its plain editor.
UI := api/static/yasgui
# The API docs at /docs: Swagger UI's own distribution. Without npm, /docs links to the OpenAPI
# description.
SWAGGER := api/static/swagger-ui
# The app's charts: Observable Plot and the D3 it runs on. Without npm the pages show tables.
PLOT := api/static/plot
D3 := api/static/d3

ui: $(UI)/yasgui.min.js $(SWAGGER)/swagger-ui-bundle.js $(PLOT)/plot.umd.min.js $(D3)/d3.min.js

$(UI)/yasgui.min.js:
	$(call vendor,@zazuko/yasgui@4.6.2,6520cdd256a4003e8d45865e0d631b6456b88a0e6b65f4f3e56d78a25d74c9a7,$(UI),build/yasgui.min.js build/yasgui.min.css,the SPARQL editor page uses its plain editor)

$(SWAGGER)/swagger-ui-bundle.js:
	$(call vendor,swagger-ui-dist@5.32.0,3c30bfe83d09763d14b4c88df0beade8ca162087a2fa5db3f34472f231ab3ba9,$(SWAGGER),swagger-ui-bundle.js swagger-ui.css favicon-32x32.png LICENSE,/docs links to /openapi.json instead of Swagger UI)

$(PLOT)/plot.umd.min.js:
	$(call vendor,@observablehq/plot@0.6.17,4dcc9f7afd10caee8b2283c0075a5765610cfbbf6d7d93cdb153b3b5d3501afc,$(PLOT),dist/plot.umd.min.js LICENSE,the pages show tables without charts)

$(D3)/d3.min.js:
	$(call vendor,d3@7.9.2,f0c1d2c2479907a6e3265370d0fd715f7aef0f561cdd2b415df385ba7df9d1aa,$(D3),dist/d3.min.js LICENSE,the pages show tables without charts)

# The browser the app's tests drive: Debian's Chromium, where apt is at hand (as root) and it is
# missing.
browser:
	@command -v chromium >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1 || \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "no Chromium and not root: the browser tests will be skipped (apt-get install chromium)"; fi

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e . || $(BIN)/pip install --quiet --no-deps -e .
	touch $@

run: install
	$(BIN)/kg build examples/corpus examples/incident --store $(STORE)
	$(BIN)/kg serve --store $(STORE) --host $(HOST) --port $(PORT)

test: install browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

# Benchmarks (not tests): see bench/. The endpoint one needs wrk, Oxigraph's server and rdflib-endpoint.
bench: bench-extract bench-endpoint bench-incidents bench-app

bench-extract: install
	$(BIN)/python bench/extract_throughput.py

bench-app: install
	$(BIN)/python bench/app_pages.py

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
