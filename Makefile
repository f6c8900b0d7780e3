# PeerMatch: `make run` to try it, `make test` to check it. Nothing else to install by hand.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
FLASK  := $(BIN)/flask --app peermatch
DEMO_MEMBERS ?= 300

.PHONY: run test lint install install-dev clean

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

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
