# The two entry points: `make demo` and `make test`.  Both create .venv and install what they
# need; `make test` also installs the Debian packages the tests use (see scripts/system-deps.sh).
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	&& { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.leadgen-installed
PYTEST_ARGS ?=

.PHONY: demo test install system-deps lint format bench clean

demo: install
	@bash scripts/demo.sh

test: system-deps install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "leadgen needs Python >= 3.11 (python3.11 or newer on PATH)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "python -m venv failed: on Debian/Ubuntu install python3-venv (apt-get install python3-venv)"; exit 1; }
	$(BIN)/python -m pip install -q --disable-pip-version-check -U pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Each benchmark prints its figures; docs/benchmarks.md records the latest ones.
bench: install
	$(BIN)/python bench/bench_import_export.py --companies 100000 --xlsx
	$(BIN)/python bench/bench_export.py
	$(BIN)/python bench/bench_list.py
	$(BIN)/python bench/bench_verify.py
	$(BIN)/python bench/bench_normalize.py
	$(BIN)/python bench/bench_titles.py --misses 0

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info .demo
