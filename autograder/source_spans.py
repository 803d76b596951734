"""Where a top-level statement starts in its file: one rule for every module that cuts a file into definitions."""

from __future__ import annotations

import ast


def first_line(node: ast.stmt) -> int:
    """The statement's first line (1-based): a definition's first decorator's, else its own."""
    return min([node.lineno, *(decorator.lineno for decorator in getattr(node, "decorator_list", ()))])
