# Doorstep: `make run` to try it, `make test` to check it. Needs python3 (3.11+) and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint install keys migrate demo serve messages lock clean bench

run: install keys migrate demo serve

$(STAMP): requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $(STAMP)

install: $(STAMP)

keys: install
	$(BIN)/python -m doorstep.devkeys

migrate: keys
	$(BIN)/python -m doorstep migrate --noinput

demo: migrate
	$(BIN)/python -m doorstep load_demo

# The web server and one background worker (imports, exports); Ctrl-C stops both.
serve:
	@echo "Doorstep is at http://$(HOST):$(PORT)/  (stop with Ctrl-C)"
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/python -m doorstep db_worker --interval 1 & \
	$(BIN)/python -m doorstep runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# A model changed without its migration fails here, before the tests run.
test: install keys lint
	$(BIN)/python -m doorstep makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Re-extract the translatable strings into doorstep/locale/*/LC_MESSAGES/django.po (needs GNU gettext),
# then compile them; commit both the .po and the .mo files.
messages: install keys
	cd doorstep && PYTHONPATH=.. ../$(BIN)/python -m doorstep makemessages --all --no-location --no-obsolete --ignore "*/tests/*"
	cd doorstep && PYTHONPATH=.. ../$(BIN)/python -m doorstep compilemessages

# Refresh the locked dependencies from pyproject.toml (needs pip-tools in the venv).
lock: install
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links --extra dev -o requirements-dev.lock pyproject.toml

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# Benchmarks on a database of their own: BENCH_DATABASE_URL, a fresh SQLite file by default (never
# DATABASE_URL: synthetic data must not land in a working database); the run says which, and runs
# with the production settings. SCALE=small by default; SCALE=1M for the targets' sizes; SCALE=smoke,
# in CI, checks that every workload runs ("ran" for targets that only hold at their size).
SCALE ?= small
BENCH_DATABASE_URL ?= sqlite:///$(CURDIR)/var/bench/bench.sqlite3
bench: install keys
	mkdir -p var/bench
	rm -rf var/bench/bench.sqlite3* var/bench/analytics
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m doorstep migrate --noinput >/dev/null
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m doorstep bench --scale $(SCALE)
