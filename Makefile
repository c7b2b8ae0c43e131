# Two commands do all the set-up: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORPUS ?= corpus
OUT ?= outputs

.PHONY: run test lint evaluate bench clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/policykg build $(CORPUS) --out $(OUT)

test: $(STAMP)
	$(BIN)/ruff check graph_builder tests
	$(BIN)/pytest -q

evaluate: $(STAMP)
	$(BIN)/policykg evaluate --gold ../shared/gold $(CORPUS)

# Timing and memory on synthetic corpora (not a test); BENCH_SIZES=100,1000 for a quick run.
bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
