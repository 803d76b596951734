# The instructor's commands. Every target sets up the environment it needs by itself.
# Make variables: HW (hw1, hw2, hw3), SUBMISSIONS, WORKSHEET, OUT, WORKERS.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

HW ?= hw1
OUT ?= out/$(HW)

.PHONY: setup test lint assign grade

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

test: setup lint
	$(PY) -m pytest --impl=solutions

lint: setup
	$(VENV)/bin/ruff check .

assign: setup
	$(PY) -m autograder assign

grade: setup
	$(PY) -m autograder grade --hw $(HW) --out $(OUT) \
		$(if $(SUBMISSIONS),--submissions "$(SUBMISSIONS)") \
		$(if $(WORKSHEET),--worksheet "$(WORKSHEET)") \
		$(if $(WORKERS),--workers $(WORKERS))
