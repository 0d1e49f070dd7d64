# The targets CI and newcomers use. `make test` is exactly what .ci/run calls.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install browser run test lint typecheck bench clean

install: $(STAMP)

# Re-installs only when the dependency list changed; a no-op otherwise.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	$(BIN)/tickerwatch demo --keep-running

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The UI tests drive Debian's Chromium (no browser download); CI runs as root and installs it.
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "chromium is missing: sudo apt-get install chromium (browser tests will be skipped)"; \
	  fi; }

test: lint browser
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python bench/bench_parse.py
	$(BIN)/python bench/bench_matching.py
	$(BIN)/python bench/bench_compression.py
	$(BIN)/python bench/bench_polling.py
	$(BIN)/python bench/bench_web.py
	$(BIN)/python bench/bench_alerts.py
	$(BIN)/python bench/bench_startup.py
	$(BIN)/python bench/bench_stories.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
