# The two commands of the quick start are `make run` and `make test`; the rest are their parts.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test test-sqlite test-postgres lint format lock messages clean bench bench-large

run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "Serving the demo newsroom at http://$(HOST):$(PORT)/ (admin at /admin/)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production settings on this machine: gunicorn behind a reverse proxy (see scripts/serve).
serve: $(VENV)/.installed
	HOST=$(HOST) PORT=$(PORT) scripts/serve

test: test-sqlite test-postgres

# The benchmark suite (bench/suite.py): 10,000 stories on SQLite, or 100,000 on a throwaway
# PostgreSQL. Minutes, not seconds; never part of `make test`. ARGS="--seconds 8" etc.
bench: $(VENV)/.installed
	$(BIN)/python bench/suite.py $(ARGS)

bench-large: $(VENV)/.installed
	$(BIN)/python bench/suite.py --large $(ARGS)

# Each pass runs the browser journeys in a pytest process of their own (see tests/conftest.py),
# with a throwaway Redis for the tests of several app servers.
test-sqlite: $(VENV)/.installed node_modules/.installed
	@echo "== Test suite on SQLite =="
	env -u DATABASE_URL -u DATABASE_REPLICA_URLS scripts/with-redis sh -c \
	  '$(BIN)/python -m pytest && $(BIN)/python -m pytest tests/browser'

test-postgres: $(VENV)/.installed node_modules/.installed
	@echo "== Test suite on PostgreSQL =="
	scripts/with-postgres scripts/with-redis sh -c \
	  '$(BIN)/python -m pytest && $(BIN)/python -m pytest tests/browser'

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Needs GNU gettext (apt-get install gettext); the compiled catalogues are committed.
messages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages -l de -l en --no-location --ignore "staticfiles/*" --ignore "bench/*" --ignore "tests/*"
	$(BIN)/python manage.py compilemessages -l de -l en --ignore ".venv"

clean:
	rm -rf $(VENV) staticfiles .pytest_cache node_modules

# Exact versions from the lock file, each checked against its hash; then the project itself.
$(VENV)/.installed: pyproject.toml requirements/dev.txt
	scripts/bootstrap-venv "$(PYTHON)" "$(VENV)"
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	@$(BIN)/pip check --disable-pip-version-check >/dev/null || { $(BIN)/pip check; \
	  echo "error: the lock files don't meet pyproject.toml's requirements: run make lock" >&2; exit 1; }
	touch $@

# The lock files: exact versions, with hashes, for every platform and Python >= 3.11, kept
# where pyproject.toml's ranges still allow them (UPGRADE=1 moves each to the newest allowed).
# The dev lock is constrained by the production one, so tests run what production runs.
LOCK := $(BIN)/uv pip compile pyproject.toml --quiet --universal --generate-hashes \
	--custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)

lock: $(BIN)/uv
	$(LOCK) -o requirements/production.txt
	$(LOCK) --extra dev -c requirements/production.txt -o requirements/dev.txt

# uv comes with the dev lock; a venv that cannot be installed yet (a new dependency not
# locked) gets the newest uv to write the lock with.
$(BIN)/uv:
	scripts/bootstrap-venv "$(PYTHON)" "$(VENV)"
	$(BIN)/pip install --quiet --disable-pip-version-check uv

# The Nu Html Checker (vnu.jar) for tests/test_html_validity.py and Lighthouse for
# tests/browser/test_lighthouse.py; without npm those tests are skipped.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund && touch $@; \
	else echo "npm is missing: the HTML validity test will be skipped (apt-get install npm)"; fi
