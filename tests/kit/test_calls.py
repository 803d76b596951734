"""Self-tests of `checklib.calls`: a student's call runs under NumPy's default error handling,
whatever their file did to it at import, and its warnings are recorded."""

import numpy as np
import pytest

from checklib.calls import run_call
from checklib.loading import load_module

NAIVE_SIGMOID = '''
import numpy as np

{top}


def sigmoid(z):
{body}
'''


@pytest.fixture
def student_file(tmp_path):
    """Write a student's file from NAIVE_SIGMOID and load it; NumPy's global error state is restored after."""
    def load(top: str = "", body: str = "    return 1 / (1 + np.exp(-z))"):
        path = tmp_path / "student.py"
        path.write_text(NAIVE_SIGMOID.format(top=top, body=body))
        return load_module(path, "calls_student")

    saved = np.geterr()
    yield load
    np.seterr(**saved)


def overflow_warnings(module) -> list[str]:
    outcome = run_call(module, "sigmoid", (np.array([-1000.0, 0.0]),), {})
    assert outcome.error is None
    return [text for text in outcome.warnings if "overflow" in text]


def test_the_overflow_warning_is_recorded(student_file):
    assert overflow_warnings(student_file()) == ["RuntimeWarning: overflow encountered in exp"]


@pytest.mark.parametrize("top", ['np.seterr(over="ignore")', 'np.seterr(all="ignore")',
                                 'import warnings\nwarnings.filterwarnings("ignore")'])
def test_silencing_numpy_or_warnings_at_import_does_not_hide_the_warning(student_file, top):
    assert overflow_warnings(student_file(top)) == ["RuntimeWarning: overflow encountered in exp"]


def test_a_local_errstate_inside_the_function_still_applies(student_file):
    body = '    with np.errstate(over="ignore"):\n        return 1 / (1 + np.exp(-z))'
    assert overflow_warnings(student_file(body=body)) == []


def test_a_call_leaves_the_callers_error_state_alone(student_file):
    module = student_file('np.seterr(over="raise")')
    overflow_warnings(module)
    assert np.geterr()["over"] == "raise"
