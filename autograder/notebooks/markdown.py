"""Markdown for notebook text cells, made from the solution docstrings.

A docstring is a sequence of blank-line separated blocks. A block whose lines are all
indented by four spaces or more is a display formula block: each line becomes `$$...$$` with
the LaTeX the assignment's settings give it ([latex] in solutions/<module>.toml: the docstrings
stay plain text, so that `help(cost)` reads well), or plain text when it has none yet, which
the generators name. Every other block is prose and is kept as it is (numbered steps indented
by two spaces are already a Markdown list).
A function's description stops at its `Args:` section, which the stub's docstring shows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

FORMULA_INDENT = "    "
SECTION = re.compile(r"^(Args|Arguments|Returns|Raises|Examples?):\s*$")


@dataclass(frozen=True)
class Markdown:
    text: str
    unrendered: tuple[str, ...] = ()  # formula lines shown as plain text for want of LaTeX


def _blocks(docstring: str) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in docstring.splitlines():
        if line.strip():
            blocks[-1].append(line.rstrip())
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def normalize(formula: str) -> str:
    """A formula line with its whitespace collapsed: how the [latex] table names it."""
    return " ".join(formula.split())


def _formula_block(lines: list[str], latex_table: Mapping[str, str]) -> tuple[str, list[str]]:
    table = {normalize(formula): latex for formula, latex in latex_table.items()}
    rendered, unrendered = [], []
    for line in lines:
        latex = table.get(normalize(line))
        if latex is None:
            unrendered.append(line.strip())
            rendered.append(f"```text\n{line.strip()}\n```")
        else:
            rendered.append(f"$$\n{latex}\n$$")
    return "\n\n".join(rendered), unrendered


def render(docstring: str, latex: Mapping[str, str]) -> Markdown:
    """The docstring as Markdown, formulas typeset with the LaTeX of latex (formula line -> LaTeX)."""
    parts, unrendered = [], []
    for block in _blocks(docstring):
        if all(line.startswith(FORMULA_INDENT) for line in block):
            text, missing = _formula_block(block, latex)
            parts.append(text)
            unrendered += missing
        else:
            parts.append("\n".join(block))
    return Markdown("\n\n".join(parts), tuple(unrendered))


def description(docstring: str) -> str:
    """A function docstring up to its Args:/Returns: sections."""
    kept = []
    for line in docstring.splitlines():
        if SECTION.match(line.strip()):
            break
        kept.append(line)
    return "\n".join(kept).strip()


def module_intro(docstring: str, latex: Mapping[str, str]) -> Markdown:
    """The module docstring as a title (its first line) and the explanation below it."""
    title, _, body = docstring.partition("\n")
    rendered = render(body, latex)
    return Markdown(f"# {title.strip().rstrip('.')}\n\n{rendered.text}", rendered.unrendered)


def function_section(signature: str, docstring: str, latex: Mapping[str, str], level: int = 2) -> Markdown:
    """A heading with the function's signature and its description."""
    rendered = render(description(docstring), latex)
    return Markdown(f"{'#' * level} `{signature}`\n\n{rendered.text}", rendered.unrendered)
