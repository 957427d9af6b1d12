# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test clean

$(BIN)/removalwatch: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("RemovalWatch needs Python 3.11 or newer; this is " + sys.version.split()[0] + " (set PYTHON=...)") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

demo: $(BIN)/removalwatch
	$(BIN)/removalwatch demo

test: $(BIN)/removalwatch
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) removalwatch-data .pytest_cache
