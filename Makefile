# PeerMatch: `make run` to try it, `make test` to check it. Nothing else to install by hand.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
FLASK  := $(BIN)/flask --app peermatch
DEMO_MEMBERS ?= 300

HOST   ?= 127.0.0.1
# gunicorn's access log as JSON lines with the request id; the path without its query string.
ACCESS_LOG_FORMAT := {"time": "%(t)s", "method": "%(m)s", "path": "%(U)s", "status": %(s)s, "ms": %(M)s, "bytes": %(B)s, "request_id": "%({x-request-id}o)s"}
WORKERS ?= 4

.PHONY: run serve worker test lint install install-dev browser-deps clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Outside production the secret key lives in the instance folder, made once.
instance/secret_key:
	mkdir -p instance
	umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > $@

run: install instance/secret_key
	$(FLASK) db upgrade
	$(FLASK) seed-demo --members $(DEMO_MEMBERS) --seed 1
	@echo "PeerMatch is at http://127.0.0.1:$(PORT)/  (Ctrl-C stops it)"
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# Production: gunicorn on PostgreSQL and Redis. DATABASE_URL, REDIS_URL and SECRET_KEY must
# be set; migrations run first (a deploy step, never at import).
serve: install
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL, e.g. postgresql://peermatch@127.0.0.1:5432/peermatch"; exit 2; }
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL, e.g. redis://127.0.0.1:6379/0"; exit 2; }
	@test -n "$$SECRET_KEY" || { echo "Set SECRET_KEY (for instance: python3 -c 'import secrets; print(secrets.token_hex(32))')"; exit 2; }
	PEERMATCH_ENV=production $(FLASK) db upgrade
	PEERMATCH_ENV=production $(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) \
		--timeout 30 --graceful-timeout 20 --keep-alive 5 \
		--access-logfile - --access-logformat '$(ACCESS_LOG_FORMAT)' wsgi:app

# Background jobs (mail delivery, index rebuilds) for `make serve`; start one or more.
worker: install
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL, e.g. redis://127.0.0.1:6379/0"; exit 2; }
	PEERMATCH_ENV=production $(FLASK) worker

# Browser tests: Debian's Chromium (installed with apt when missing, if we may) and axe-core
# from the npm registry, locked in tests/browser/package-lock.json.
CHROMIUM ?= /usr/bin/chromium
AXE      := tests/browser/node_modules/axe-core/axe.min.js

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --silent
	touch $@

$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "The browser tests need Debian's chromium: sudo apt-get install chromium"; exit 2; \
	fi

browser-deps: $(AXE) $(CHROMIUM)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint browser-deps
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
