# Two commands for a newcomer (see README): `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test system-packages clean

$(BIN)/dearjohn: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

system-packages:
	@scripts/install-system-packages

demo: $(BIN)/dearjohn system-packages
	$(BIN)/dearjohn demo

test: $(BIN)/dearjohn system-packages
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var
