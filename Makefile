# The two set-up commands of the README: `make demo` and `make test`.
# Both create the virtual environment on first use; nothing else needs installing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
LAB    ?=
BIN    := $(abspath $(VENV))/bin
# `make release LAB=<lab>` releases one lab; without LAB, every lab.
# nbgrader calls `alembic` from PATH: the environment's bin must come first.
RUN    := PATH="$(BIN):$$PATH" MPLBACKEND=Agg

.PHONY: demo test venv release clean chromium

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: venv
	$(RUN) $(BIN)/nnlabs demo

# The browser test drives Debian's Chromium (Playwright from the dev extra; its own browser
# download is not used): installed here when missing and this is root, as in CI.
chromium:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; } || \
	  echo "note: Chromium is not installed (apt-get install chromium); the browser test will skip outside CI"

# The suite runs on every core, in a PID namespace of its own where the machine allows it (as
# root): whatever a test starts - student code forks, signals, fills memory - ends with it.
# `make test PYTEST_ARGS=--durations=10` passes options on to pytest.
PIDNS := $(shell [ "$$(id -u)" = 0 ] && unshare --pid --fork --mount-proc --kill-child true 2>/dev/null && \
           echo unshare --pid --fork --mount-proc --kill-child)

test: venv chromium
	$(RUN) $(PIDNS) $(BIN)/python -m pytest -q -n auto --dist worksteal $(PYTEST_ARGS)

release: venv
	$(RUN) $(BIN)/python -m solutions.references
	$(RUN) $(BIN)/nnlabs release $(LAB)

clean:
	rm -rf submitted autograded feedback gradebook.db grades.csv grades_flags.csv .nbgrader.log reports gradescope .nnlabs
