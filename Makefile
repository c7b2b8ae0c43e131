# Two commands do all the set-up: `make run` and `make test`. Both create .venv on first use;
# `make run` installs what running needs, `make test` adds the test extra (one stamp each).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
CORPUS ?= corpus
OUT ?= outputs

.PHONY: run test test-fast lint evaluate bench clean browser

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

# SOURCE_DATE_EPOCH (reproducible builds): the graph's extraction time is the last commit of
# the inputs and code, so outputs change only when they do.
run: $(STAMP)
	SOURCE_DATE_EPOCH=$$(git log -1 --format=%ct -- corpus ontology graph_builder 2>/dev/null || date +%s) \
	$(BIN)/policykg build $(CORPUS) --out $(OUT)

# The browser tests drive Debian's chromium (no browser download); CJK font for the screenshots.
browser:
	command -v chromium >/dev/null && command -v chromedriver >/dev/null && fc-list :lang=zh | grep -q . \
		|| (apt-get update && apt-get install -y chromium chromium-driver fonts-wqy-microhei)

test: $(TEST_STAMP) browser
	$(BIN)/ruff check graph_builder tests
	$(BIN)/pytest -q

# Under a minute: every test not marked slow (no browser, no end-to-end build, no server);
# tests/test_fast_subset_covers_every_module.py keeps every module of the package in it.
test-fast: $(TEST_STAMP)
	$(BIN)/ruff check graph_builder tests
	$(BIN)/pytest -q -m "not slow"

evaluate: $(STAMP)
	$(BIN)/policykg evaluate $(CORPUS)

# Timing and memory on synthetic corpora (not a test); BENCH_SIZES=100,1000 for a quick run.
bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
