# The instructor's commands. Every target sets up the environment it needs by itself.
# Make variables: HW (an assignment's key: `python -m autograder grade --help` lists them), TITLE (new),
# SUBMISSIONS, WORKSHEET, OUT, WORKERS, EXECUTOR, SIMILARITY_ARCHIVE, ONLY (grade), N, NBGRADER (bench).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup test lint new validate assign demo grade bench release notebooks otter nbgrader

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

# A new assignment from templates: make new HW=hw4 TITLE="Two-layer net" (then follow its checklist).
new: setup
	$(PY) -m autograder new --hw "$(HW)" --title "$(TITLE)"

# Every requirement of one assignment (HW=hw4) or of all, each unmet one with its fix.
validate: setup
	$(PY) -m autograder validate $(if $(HW),--hw $(HW))

assign: setup
	$(PY) -m autograder assign

# The bundled demo class of each assignment, demo/<hw>/ (generated from solutions/ and tests/corpus/).
demo: setup
	$(PY) -m autograder demo

GRADE_OPTIONS = $(strip $(if $(HW),--hw $(HW)) $(if $(OUT),--out "$(OUT)") \
	$(if $(SUBMISSIONS),--submissions "$(SUBMISSIONS)") $(if $(WORKSHEET),--worksheet "$(WORKSHEET)") \
	$(if $(WORKERS),--workers $(WORKERS)) $(if $(EXECUTOR),--executor "$(EXECUTOR)") \
	$(if $(SIMILARITY_ARCHIVE),--similarity-archive "$(SIMILARITY_ARCHIVE)") $(if $(ONLY),--only "$(ONLY)"))

grade: setup
	$(PY) -m autograder grade $(GRADE_OPTIONS)

# Grading speed on a synthetic class, against a fresh pytest per submission and nbgrader's own autograde
# on a sample of NBGRADER submissions (table, targets met or missed, out/bench.json, out/bench.md).
# Default: the last assignment (hw3 today) with N=200 submissions, NBGRADER=5 (0 skips nbgrader).
bench: setup
	$(PY) -m autograder bench $(if $(HW),--hw $(HW)) $(if $(N),--n $(N)) $(if $(NBGRADER),--nbgrader $(NBGRADER))

# The student kit: dist/student-kit-all.zip, or dist/student-kit-hw2.zip with HW=hw2.
release: setup
	$(PY) -m autograder release $(if $(HW),--hw $(HW))

# Notebook exports, generated from solutions/ and tests/ (never edit them by hand):
# notebooks/student/ (Colab/Jupyter), notebooks/otter/ and notebooks/nbgrader/. `make otter` also
# runs otter assign into build/otter/, `make nbgrader` nbgrader generate_assignment into build/nbgrader/.
notebooks: setup
	$(PY) -m autograder notebooks

otter: setup
	$(PY) -m autograder otter

nbgrader: setup
	$(PY) -m autograder nbgrader
