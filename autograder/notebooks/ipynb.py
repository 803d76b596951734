"""Notebook files written byte for byte the same from the same source.

nbformat gives each new cell a random id; here ids come from the cell's position, there
are no outputs, execution counts or timestamps, and the JSON is written by nbformat with
sorted keys. So regenerating an export gives identical bytes, and a drift test can
compare text.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat import NotebookNode

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
LANGUAGE_INFO = {"name": "python"}


def markdown(text: str, **metadata: object) -> NotebookNode:
    return nbformat.v4.new_markdown_cell(text.strip(), metadata=metadata)


def code(text: str, **metadata: object) -> NotebookNode:
    return nbformat.v4.new_code_cell(text.strip(), metadata=metadata)


def raw(text: str, **metadata: object) -> NotebookNode:
    return nbformat.v4.new_raw_cell(text.strip(), metadata=metadata)


def notebook(cells: list[NotebookNode], **metadata: object) -> NotebookNode:
    """A notebook of these cells, with deterministic ids and the Python 3 kernel."""
    for index, cell in enumerate(cells):
        cell["id"] = f"cell-{index:03d}"
    return nbformat.v4.new_notebook(
        cells=cells, metadata={"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO, **metadata})


def to_text(nb: NotebookNode) -> str:
    """The notebook's file contents (validated against the nbformat schema)."""
    nbformat.validate(nb)
    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


def write_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
