"""A notebook submission becomes module source, statically, and grades like the module would."""

from __future__ import annotations

import json
import warnings

import nbformat
import pytest

from autograder.upload import notebook_limits as limits
from autograder.upload.notebook import NotebookError, NotebookTooLarge, extract_module
from checklib.assignments import Assignment, all_assignments, find_assignment
from checklib.checks import collect_checks, load_reference, run_checks
from checklib.loading import load_module
from checklib.subject import InProcessSubject

from .helpers import HW1, committed_student_notebook, fill_stubs


def notebook_to_source(text: str) -> str:
    return extract_module(text).source


def notebook_json(*sources: str, markdown_first: bool = True) -> str:
    cells = [nbformat.v4.new_markdown_cell("# Homework")] if markdown_first else []
    cells += [nbformat.v4.new_code_cell(source) for source in sources]
    return nbformat.writes(nbformat.v4.new_notebook(cells=cells))


def grade(source: str, tmp_path, assignment: Assignment = HW1) -> dict[str, str]:
    """check name -> status, for every check of the assignment run on the module made from source."""
    path = tmp_path / assignment.filename
    path.write_text(source, encoding="utf-8")
    subject = InProcessSubject(assignment.key, load_module(path, f"extracted_{assignment.key}"))
    results = run_checks(collect_checks(assignment), subject, load_reference(assignment))
    return {result.name: result.status for result in results}


@pytest.mark.parametrize("key", list(all_assignments()))
def test_filled_student_notebook_grades_like_the_reference_module(key, tmp_path):
    assignment = find_assignment(key)
    source = notebook_to_source(json.dumps(fill_stubs(committed_student_notebook(key), key)))
    statuses = grade(source, tmp_path, assignment)
    reference = load_reference(assignment)
    expected = {result.name: result.status for result in
                run_checks(collect_checks(assignment), InProcessSubject(key, reference), reference)}
    assert statuses == expected
    assert set(statuses.values()) == {"passed"}


def test_untouched_student_notebook_grades_as_not_implemented(tmp_path):
    statuses = grade(notebook_to_source(json.dumps(committed_student_notebook("hw1"))), tmp_path)
    assert set(statuses.values()) == {"not_implemented"}


def test_extraction_keeps_definitions_constants_and_the_imports_they_use():
    source = notebook_to_source(notebook_json(
        "import numpy as np\nimport matplotlib.pyplot as plt\nfrom checklib.notebook import checker",
        "EPS = 1e-8; SCALE: float = 2 * EPS\nrelu = lambda z: np.maximum(0, z)\n"
        "@staticmethod\ndef f(x):\n    # keep my comment\n    return x * SCALE",
        "class Model:\n    pass"))
    for kept in ("import numpy as np", "EPS = 1e-8", "SCALE: float = 2 * EPS", "relu = lambda z: np.maximum(0, z)",
                 "@staticmethod\ndef f(x):\n    # keep my comment", "class Model:"):
        assert kept in source
    assert "matplotlib" not in source and "checklib" not in source


def test_extraction_drops_magics_checks_plots_and_experiments():
    source = notebook_to_source(notebook_json(
        "%matplotlib inline\n!pip install otter-grader\nimport otter\ngrader = otter.Notebook('hw1.ipynb')",
        "check = checker('hw1')\ncheck('cost')", "grader.check('cost')",
        "%%time\nX = np.random.randn(10**8)",
        "X = np.random.randn(100, 2)\nW0 = X[0]\nfor epoch in range(1000):\n    print(epoch)\nplt.plot(X)",
        "try:\n    !nvidia-smi\nexcept Exception:\n    pass\nif True:\n    import torch"))
    for dropped in ("otter", "check", "random", "W0", "print", "plot", "nvidia", "torch", "get_ipython"):
        assert dropped not in source, f"{dropped!r} should have been dropped"
    compile(source, "extracted", "exec")


def test_extraction_runs_nothing(tmp_path):
    marker = tmp_path / "ran.txt"
    source = notebook_to_source(notebook_json(f"open({str(marker)!r}, 'w').write('ran')\ndef f():\n    return 1"))
    (tmp_path / "module.py").write_text(source, encoding="utf-8")
    assert load_module(tmp_path / "module.py", "extracted").f() == 1
    assert not marker.exists()


def test_later_definition_wins_as_when_the_notebook_runs(tmp_path):
    source = notebook_to_source(notebook_json("def f():\n    return 1", "def f():\n    return 2"))
    (tmp_path / "module.py").write_text(source, encoding="utf-8")
    assert load_module(tmp_path / "module.py", "extracted").f() == 2


def test_future_imports_move_to_the_top():
    source = notebook_to_source(notebook_json("def f() -> int:\n    return 1",
                                              "from __future__ import annotations"))
    compile(source, "extracted", "exec")
    assert source.index("from __future__") < source.index("def f")


@pytest.mark.parametrize(("text", "reason"), [
    ("this is not json", "not valid JSON"),
    ('{"name": "hw1"}', "not a Jupyter notebook"),
    ('[1, 2]', "not a Jupyter notebook"),
])
def test_unreadable_notebook_says_why(text, reason):
    with pytest.raises(NotebookError, match=reason):
        notebook_to_source(text)


def test_a_cell_with_a_syntax_error_is_skipped_with_a_note_naming_the_cell_and_line():
    module = extract_module(notebook_json("import numpy as np\ndef predict(X, w, b):\n    return X @ w + b",
                                          "x = 1\ndef cost(X, t:\n    pass"))
    assert "def predict" in module.source and "def cost" not in module.source
    assert len(module.notes) == 1
    assert "code cell 2 (cell 3 of the notebook) has a syntax error at line 2: 'def cost(X, t:'" in module.notes[0]


def test_assignments_that_kept_functions_read_are_kept_even_when_they_call(tmp_path):
    source = notebook_to_source(notebook_json(
        "import numpy as np\nTINY = np.finfo(float).tiny\n_vec = np.vectorize(lambda z: z + TINY)",
        "def f(z):\n    return _vec(z)",
        "X = np.random.randn(10**8)\nW0 = X[0]\nUNREAD = np.zeros(3)\nBROKEN = undefined_name(1)",
        "def g():\n    return BROKEN"))
    assert "TINY = np.finfo(float).tiny" in source and "_vec = np.vectorize" in source
    for dropped in ("randn", "W0", "UNREAD", "BROKEN ="):
        assert dropped not in source, f"{dropped!r} should have been dropped"
    (tmp_path / "module.py").write_text(source, encoding="utf-8")
    assert load_module(tmp_path / "module.py", "extracted").f(0.0) > 0.0


def test_a_notebook_without_cell_ids_reads_without_warnings():
    notebook = json.loads(notebook_json("def f():\n    return 1"))
    for cell in notebook["cells"]:
        del cell["id"]
    with warnings.catch_warnings(record=True) as caught:
        assert "def f" in notebook_to_source(json.dumps(notebook))
    assert not caught


def test_non_python_notebook_is_refused():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x <- 1")],
                                        metadata={"kernelspec": {"name": "ir", "language": "R", "display_name": "R"}})
    with pytest.raises(NotebookError, match="written in R, not Python"):
        notebook_to_source(nbformat.writes(notebook))


def test_notebook_error_is_a_value_error():
    assert issubclass(NotebookError, ValueError)


def cells_of(*sources: str, markdown: int = 0) -> str:
    cells = [nbformat.v4.new_markdown_cell("text") for _ in range(markdown)]
    cells += [nbformat.v4.new_code_cell(source) for source in sources]
    return nbformat.writes(nbformat.v4.new_notebook(cells=cells))


@pytest.mark.parametrize(("notebook", "problem"), [
    (cells_of("x = 1", markdown=limits.MAX_CELLS), f"the grader reads at most {limits.MAX_CELLS}"),
    (cells_of(*["x = 1  # " + "." * 90_000] * 4), f"more than {limits.MAX_CODE_CHARS} characters together"),
    (cells_of("%time f()\n" * 70 + "x = 1  # " + "." * 30_000), "has 70 lines of IPython syntax (%magic, !shell) in"),
    (cells_of("x = 1\n" * (limits.MAX_STATEMENTS + 1)), f"more than {limits.MAX_STATEMENTS} top-level statements"),
    (cells_of(*["x = [" + "a," * 35_000 + "]"] * 3), f"more than {limits.MAX_NAMES} names"),
], ids=["cells", "code", "ipython-work", "statements", "names"])
def test_a_notebook_over_a_cap_is_refused_before_the_work_the_cap_bounds(notebook, problem):
    with pytest.raises(NotebookTooLarge, match="^it is too large: ") as refused:
        extract_module(notebook)
    assert problem in str(refused.value)
