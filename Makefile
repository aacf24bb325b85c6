# One command sets up and runs; one runs the tests. Both create .venv on a fresh machine.
# fupin supports Python 3.11 and 3.12 (pyproject.toml requires-python). PY=/path/to/python
# chooses one; else the first of python3.12, python3.11, python3 that runs and is supported
# (a pyenv shim of a version that is not installed fails to run and is passed over).
IS_SUPPORTED := import sys; sys.exit(sys.version_info[:2] not in ((3, 11), (3, 12)))
PY ?= $(shell for p in python3.12 python3.11 python3; do \
	$$p -c '$(IS_SUPPORTED)' >/dev/null 2>&1 && { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test setup check-python bench clean

check-python:
	@if [ -z "$(PY)" ]; then \
	  echo "make: fupin needs Python 3.11 or 3.12, and none was found (tried python3.12, python3.11, python3)." >&2; \
	  echo "      Install one (e.g. apt-get install python3.11, pyenv install 3.12) or run: make PY=/path/to/python3.12" >&2; \
	  exit 1; \
	fi
	@if ! "$(PY)" -c '$(IS_SUPPORTED)' >/dev/null 2>&1; then \
	  echo "make: PY=$(PY) is $$("$(PY)" -V 2>&1); fupin needs Python 3.11 or 3.12." >&2; exit 1; \
	fi
	@if [ -d $(VENV) ] && ! $(BIN)/python -c '$(IS_SUPPORTED)' >/dev/null 2>&1; then \
	  echo "make: $(VENV) was made with $$($(BIN)/python -V 2>&1 || echo 'a Python that no longer runs'), which fupin does not support; rebuilding it with $(PY)"; \
	  rm -rf $(VENV); \
	fi

# A first install downloads ~150 packages (Prefect, Great Expectations, polars, DuckDB...):
# about 1.5 min on a fast connection, more on a slow one. It says so, and how long it took.
$(BIN)/fupin: pyproject.toml constraints.txt
	@echo "make: installing fupin and its dependencies into $(VENV) with $(PY) (first time, or after pyproject.toml/constraints.txt changed): about 1-3 minutes ..."
	@start=$$(date +%s); \
	"$(PY)" -m venv $(VENV) && \
	$(BIN)/pip install -q --upgrade pip && \
	$(BIN)/pip install -q --progress-bar off -c constraints.txt -e ".[dev]" && \
	touch $(BIN)/fupin && \
	echo "make: installed in $$(( $$(date +%s) - start )) s"

# check-python runs first and may remove a wrong .venv; the second make then sees it gone.
setup: check-python
	@$(MAKE) --no-print-directory $(BIN)/fupin PY="$(PY)"

run: setup
	@echo "make: fupin run on the bundled articles (a first run takes 10-30 s: it starts this warehouse's Prefect server)"
	$(BIN)/fupin run

# On every core and one worker more (pytest-xdist): the end-to-end tests (real Prefect runs,
# kill -9, Ctrl-C, Chromium) spend part of their time waiting -- a server starting, a run
# paused at a checkpoint, an idle timeout -- which the extra worker fills (2 cores: 3 workers
# 5.9 min, 2 workers 7.3-8.4 min, at load 4.5-9). Test files are not split across workers
# and go to them longest first (tests/conftest.py). TEST_WORKERS=N to choose.
TEST_WORKERS ?= $(shell echo $$(( $$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1) + 1 )))
test: setup
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) warehouse/*.duckdb warehouse/*.duckdb.wal warehouse/*.duckdb.lock warehouse/*.duckdb.tmp \
	       warehouse/*.duckdb.reports warehouse/*.duckdb.data_docs warehouse/*.duckdb.stage
