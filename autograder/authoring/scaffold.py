"""`make new HW=hw4 TITLE="Two-layer net"`: a new assignment's files, each a working example.

    files = scaffold("hw4", "Two-layer net", REPO_ROOT)   # the paths written, relative to REPO_ROOT

Writes, from templates/ (one example graded function, `predict`, the TA replaces):

    solutions/hw4_two_layer_net.py           the reference, with solution markers
    solutions/hw4_two_layer_net.toml         its settings ([kit], [grading], [demo], [latex])
    tests/public/test_hw4_public.py          a public check
    tests/hidden/test_hw4_hidden.py          a hidden check with two cases
    tests/corpus/correct/hw4/different.py    a correct implementation written another way
    tests/corpus/buggy/hw4/ignores_b.py      a buggy one, with its Bug: and Caught by: lines

and nothing else: every other file of the repository finds the assignment from these.
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

from autograder.authoring.settings import key_of

TEMPLATES = Path(__file__).with_name("templates")
KEY = re.compile(r"[a-z][a-z0-9]{0,19}")


class ScaffoldError(ValueError):
    """The assignment cannot be made (a bad key or title, or it exists already)."""


def module_name(key: str, title: str) -> str:
    """hw4 and "Two-layer net" -> hw4_two_layer_net."""
    words = re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")
    return f"{key}_{words}" if words else key


def planned_files(key: str, module: str) -> dict[str, str]:
    """Path (relative to the repository) -> the template it is made from."""
    return {
        f"solutions/{module}.py": "solution.py.tmpl",
        f"solutions/{module}.toml": "settings.toml.tmpl",
        f"tests/public/test_{key}_public.py": "test_public.py.tmpl",
        f"tests/hidden/test_{key}_hidden.py": "test_hidden.py.tmpl",
        f"tests/corpus/correct/{key}/different.py": "correct.py.tmpl",
        f"tests/corpus/buggy/{key}/ignores_b.py": "buggy.py.tmpl",
    }


def _problems(key: str, title: str, root: Path) -> list[str]:
    problems = []
    if not KEY.fullmatch(key):
        problems.append(f"HW={key!r}: a key is lower-case letters and digits, starting with a letter, no "
                        "underscore (the module is named <key>_<title>), for example HW=hw4")
    if not title.strip() or '"' in title or "\\" in title:
        problems.append('TITLE is needed, without quotes or backslashes, for example TITLE="Two-layer net"')
    taken = [path for path in sorted((root / "solutions").glob("*")) if key_of(path.stem) == key]
    if taken:
        problems.append(f"{key} exists already ({', '.join(path.name for path in taken)}): choose another HW")
    return problems


def scaffold(key: str, title: str, root: Path) -> list[str]:
    """Write the new assignment's files under root; returns their paths. ScaffoldError, writing
    nothing, when the key or title is wrong or the assignment exists."""
    problems = _problems(key, title, root)
    module = module_name(key, title)
    planned = planned_files(key, module)
    problems += [f"{path} exists already" for path in planned if (root / path).exists()]
    if problems:
        raise ScaffoldError("; ".join(problems))
    values = {"key": key, "module": module, "title": title.strip()}
    for path, template in planned.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(Template((TEMPLATES / template).read_text(encoding="utf-8")).substitute(values),
                          encoding="utf-8")
    return list(planned)


CHECKLIST = """\
{key} ({title}): next steps. `make validate HW={key}` says which are still missing, each with its fix.
  1. The reference: solutions/{module}.py. Replace the example with the assignment's functions, each
     body between ### BEGIN SOLUTION and ### END SOLUTION, each docstring the whole contract (shapes,
     formula, every requirement a check tests). Then `make assign` (the stub and the kit's settings).
  2. The settings: solutions/{module}.toml. [kit] title, overflow_hint and [kit.plot] (make plot,
     when it trains something: any signature), [grading] (over grading.toml), [latex] for each
     formula line of the docstrings (the notebooks).
  3. The checks: tests/public/test_{key}_public.py (no reference: hand-computed examples and
     properties, checklib.descent and checklib.expect) and tests/hidden/test_{key}_hidden.py (against
     the reference, other inputs; @cases for one body over several inputs). Every graded function
     needs both; every clause of its docstring a check.
  4. The corpus: at least {correct} correct implementations in tests/corpus/correct/{key}/ and {buggy}
     buggy ones in tests/corpus/buggy/{key}/, each with one mistake ("Bug: ..." and "Caught by: the
     hidden checks it fails." in its docstring), each also failing a public check.
  5. The demo: [demo] mistakes = two buggy files' names, then `make demo` and `make grade HW={key}`.
  6. `make notebooks`, then `make test`, then `make release HW={key}`.
"""
