# SignalDesk: `make demo` runs the app on the demo store; `make test` runs every test.
SHELL := /bin/bash
BIN := .venv/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install lint serve bench clean

.venv/.installed: pyproject.toml scripts/bootstrap
	scripts/bootstrap

install: .venv/.installed

demo: install
	$(BIN)/signaldesk migrate
	$(BIN)/signaldesk demo setup --days 120 --orders-per-day 400 --seed 7
	$(BIN)/signaldesk serve --host $(HOST) --port $(PORT)

test: install
	scripts/test

lint: install
	$(BIN)/ruff check src bench && $(BIN)/ruff format --check src bench && $(BIN)/mypy src

serve: install
	$(BIN)/signaldesk serve --host $(HOST) --port $(PORT)

clean:
	rm -rf var/ .venv/ .mypy_cache/ .ruff_cache/
