# Engaging Together: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Test processes: one per core by default (pytest-xdist); TEST_WORKERS=0 runs in this one.
TEST_WORKERS ?= auto
VENDOR := engage/core/static/vendor/nhsuk
NHSUK_DIST := node_modules/nhsuk-frontend/dist/nhsuk
# Swagger UI draws the API reference page (/api/v1/reference/), served from here like NHS.UK frontend.
SWAGGER_VENDOR := engage/core/static/vendor/swagger-ui
SWAGGER_DIST := node_modules/swagger-ui-dist
# accessible-autocomplete makes long lists searchable (docs/adr/0045), served from here too.
AUTOCOMPLETE_VENDOR := engage/core/static/vendor/accessible-autocomplete
AUTOCOMPLETE_DIST := node_modules/accessible-autocomplete/dist

.PHONY: install assets run serve migrate demo test test-fast lint format bench clean

# The virtual environment is rebuilt only when the dependencies change.
$(BIN)/engage: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed: set PYTHON=/path/to/python3.11"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(BIN)/engage

# No package's install script runs (here and in .npmrc): swagger-ui-dist's dependency would report
# the install to its maker's analytics.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error --ignore-scripts

# The CSS is adjusted as it is copied (see docs/adr/0003): its image paths are made
# relative, so they resolve under /static/, and the @font-face rules that load the NHS
# Frutiger font from assets.nhs.uk are removed, so no page calls a third-party host
# (the font is licensed to the NHS; partners' pages fall back to Arial, as NHS.UK allows).
$(VENDOR)/nhsuk-frontend.min.js: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp $(NHSUK_DIST)/nhsuk-frontend.min.js $(VENDOR)/
	sed -e 's#url(/assets/#url(assets/#g' -e 's#@font-face{[^}]*}##g' \
		$(NHSUK_DIST)/nhsuk-frontend.min.css > $(VENDOR)/nhsuk-frontend.min.css
	cp -r $(NHSUK_DIST)/assets $(VENDOR)/
	touch $@

install: $(BIN)/engage assets ## Create .venv with everything, and build the assets

# Only the bundle, its stylesheet and its licence: the source maps are left behind.
$(SWAGGER_VENDOR)/swagger-ui-bundle.js: node_modules/.package-lock.json
	mkdir -p $(SWAGGER_VENDOR)
	cp $(SWAGGER_DIST)/swagger-ui-bundle.js $(SWAGGER_DIST)/LICENSE $(SWAGGER_DIST)/NOTICE $(SWAGGER_VENDOR)/
	sed -e 's#/\*\# sourceMappingURL=[^*]*\*/##' $(SWAGGER_DIST)/swagger-ui.css > $(SWAGGER_VENDOR)/swagger-ui.css
	touch $@

# The built script and stylesheet and the licence; the source maps are left behind, and
# the comments that point to them removed, so no page asks for a file that is not there.
$(AUTOCOMPLETE_VENDOR)/accessible-autocomplete.min.js: node_modules/.package-lock.json
	mkdir -p $(AUTOCOMPLETE_VENDOR)
	cp node_modules/accessible-autocomplete/LICENSE.txt $(AUTOCOMPLETE_VENDOR)/
	sed -e 's#/\*\# sourceMappingURL=[^*]*\*/##' $(AUTOCOMPLETE_DIST)/accessible-autocomplete.min.css \
		> $(AUTOCOMPLETE_VENDOR)/accessible-autocomplete.min.css
	sed -e 's#^//\# sourceMappingURL=.*$$##' $(AUTOCOMPLETE_DIST)/accessible-autocomplete.min.js > $@

assets: $(VENDOR)/nhsuk-frontend.min.js $(SWAGGER_VENDOR)/swagger-ui-bundle.js $(AUTOCOMPLETE_VENDOR)/accessible-autocomplete.min.js

migrate: install
	$(BIN)/engage migrate --no-input -v 0

demo: migrate
	$(BIN)/engage demo

run: demo ## Install, migrate, load the demo partnership, serve with a worker beside it
	$(BIN)/engage serve --port $(PORT)

test: install ## The whole test suite, over every core (set DATABASE_URL for PostgreSQL)
	$(BIN)/engage makemigrations --check --dry-run
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadscope --durations=25

lint: install ## ruff, mypy and the import boundaries
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install ## Benchmarks; results go in bench/RESULTS.md
	@ls bench/*.py >/dev/null 2>&1 && for b in bench/[!_]*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done || echo "No benchmarks yet."

clean:
	rm -rf $(VENV) node_modules $(VENDOR) $(SWAGGER_VENDOR) $(AUTOCOMPLETE_VENDOR) staticfiles var
