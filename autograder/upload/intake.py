"""Intake: reading a student's upload (choosing the file, decoding it, extracting a notebook) in the sandbox.

    # in the child, before the student's module is imported (child.py, under the child's limits):
    plain = read_upload(request)                     # -> Intake.as_plain()
    # in the grader, from the child's reply:
    intake = Intake.from_plain(decode(reply))        # CodecError if it is not exactly that shape

Parsing what a student uploaded (`ast.parse` of every .py file to count its functions, PEP 263
decoding, a notebook's JSON and IPython syntax) costs time and memory that the student decides:
a few files built to be slow to parse could hold the grader for minutes. So it runs in the
submission's own child, under its memory limits and a limit on the CPU time it takes to read
(`Limits.intake_cpu_seconds`), and the grader reads back only plain, validated data: the source
to grade, the file it came from, its kind, and the sentences for the student. If the child is
stopped while reading, the student is told so (`messages.intake_cpu`), and nothing of the
upload was parsed in the grader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from autograder.upload.submission_file import choose_file
from checklib.codec import CodecError

MAX_SOURCE = 20_000_000  # characters of source to grade (uploaded files are at most 5 MB)
MAX_TEXT = 4_000  # characters of a reason or a note
MAX_NOTES = 20
KINDS = ("module", "notebook")

# The notebook reader (nbformat and IPython: a second to import) is loaded by the zygote when an
# upload may hold a notebook (`may_hold_notebook`), before it forks that child: a child cannot
# import anything of the grader's once walled off.
_extract_module: Callable[[str], Any] | None = None


def may_hold_notebook(files: dict[str, bytes]) -> bool:
    """Whether reading these files may need the notebook reader (a notebook, or a zip that may hold one)."""
    return any(path.lower().endswith((".ipynb", ".zip")) for path in files)


def load_notebook_reader() -> bool:
    """In the zygote: load the notebook reader, for every child forked from now on; False if it already was."""
    global _extract_module
    if _extract_module is not None:
        return False
    from autograder.upload.notebook import extract_module

    _extract_module = extract_module
    return True


@dataclass(frozen=True)
class Intake:
    """What the child read from an upload. source None: nothing to grade, and `reason` says why."""

    source: str | None
    path: str | None  # the graded file, as shown to the student
    kind: str | None  # "module" or "notebook"
    reason: str  # which file was graded and why, or why none could be
    notes: tuple[str, ...] = ()  # what was left out of a notebook

    def as_plain(self) -> dict:
        return {**asdict(self), "notes": list(self.notes)}

    @classmethod
    def from_plain(cls, plain: Any) -> Intake:
        """Validate a child's reply; CodecError unless every field has its type and size."""
        if type(plain) is not dict or set(plain) != {"source", "path", "kind", "reason", "notes"}:
            raise CodecError("malformed intake")
        source, path, kind, reason, notes = (plain[key] for key in ("source", "path", "kind", "reason", "notes"))
        if not (_text_or_none(source, MAX_SOURCE) and _text_or_none(path, MAX_TEXT) and type(reason) is str
                and (kind is None or kind in KINDS) and type(notes) is list and len(notes) <= MAX_NOTES
                and all(type(note) is str for note in notes)):
            raise CodecError("malformed intake")
        if (source is None) != (kind is None):
            raise CodecError("malformed intake")
        return cls(source, path, kind, reason[:MAX_TEXT], tuple(note[:MAX_TEXT] for note in notes))


def _text_or_none(value: Any, limit: int) -> bool:
    return value is None or (type(value) is str and len(value) <= limit)


# --- the grader's request, and reading it in the child -------------------------------------------


def intake_request(files: dict[str, bytes], module_name: str, function_names: list[str]) -> dict:
    """The request that makes a child read an upload (files as uint8 arrays: the codec has no bytes)."""
    paths = sorted(files)
    return {"op": "intake", "paths": paths, "contents": [np.frombuffer(files[path], dtype=np.uint8) for path in paths],
            "module": module_name, "functions": list(function_names)}


def read_upload(request: dict) -> dict:
    """In the child: choose the file, decode it and, for a notebook, extract its module; Intake.as_plain()."""
    try:
        return _read_upload(request)
    except MemoryError:
        why = "reading it took more memory than the sandbox allows (files built to be expensive to parse?)"
    except RecursionError:
        why = "it is nested too deeply to be read"
    except Exception as error:  # a bug in reading an unusual upload: the student still hears why
        why = f"{type(error).__name__} while reading it"
    return Intake(None, None, None, f"Your upload could not be read: {why}.").as_plain()


def _read_upload(request: dict) -> dict:
    files = {path: content.tobytes() for path, content in zip(request["paths"], request["contents"], strict=True)}
    choice = choose_file(files, request["module"], request["functions"])
    if choice.source is None:
        return Intake(None, choice.path, None, choice.reason).as_plain()
    if choice.kind != "notebook":
        return Intake(choice.source, choice.path, choice.kind, choice.reason).as_plain()
    try:
        if _extract_module is None:
            raise ImportError("the grader did not load its notebook reader")
        module = _extract_module(choice.source)
    except (ImportError, ValueError, RecursionError) as error:
        return Intake(None, choice.path, None, f"Your notebook {choice.path} could not be read: {error}",
                      (choice.reason,)).as_plain()
    return Intake(module.source, choice.path, "notebook", choice.reason, tuple(module.notes)).as_plain()
