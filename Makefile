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

# SOURCE_DATE_EPOCH (reproducible builds): the graph's extraction time is the last commit of
# the inputs and code, so outputs change only when they do.
run: $(STAMP)
	SOURCE_DATE_EPOCH=$$(git log -1 --format=%ct -- corpus ontology graph_builder 2>/dev/null || date +%s) \
	$(BIN)/policykg build $(CORPUS) --out $(OUT)

test: $(STAMP)
	$(BIN)/ruff check graph_builder tests
	$(BIN)/pytest -q

evaluate: $(STAMP)
	$(BIN)/policykg evaluate --gold ../shared/gold $(CORPUS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
