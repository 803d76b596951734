"""A statement's first line, as every module that cuts a file into definitions finds it."""

import ast

from autograder.source_spans import first_line

SOURCE = '''import numpy as np


@np.vectorize
@lambda function: (
    function
)
def decorated(x):
    return x


def plain(x):
    return x
'''


def test_a_definition_starts_at_its_first_decorator_even_one_over_several_lines():
    body = ast.parse(SOURCE).body
    assert [first_line(node) for node in body] == [1, 4, 12]
