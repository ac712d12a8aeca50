# The two set-up commands of the README: `make demo` and `make test`.
# Both create the virtual environment on first use; nothing else needs installing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(abspath $(VENV))/bin
# nbgrader calls `alembic` from PATH: the environment's bin must come first.
RUN    := PATH="$(BIN):$$PATH" MPLBACKEND=Agg

.PHONY: demo test venv release clean

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: venv
	$(RUN) $(BIN)/nnlabs demo

test: venv
	$(RUN) $(BIN)/python -m pytest -q

release: venv
	$(RUN) $(BIN)/python -m solutions.references
	$(RUN) $(BIN)/nnlabs release

clean:
	rm -rf submitted autograded feedback gradebook.db grades.csv grades_flags.csv .nbgrader.log reports gradescope .nnlabs
