"""`make otter`: an otter-grader master notebook per assignment, in otter's assign format.

One question per graded function (`# BEGIN QUESTION` with `all_or_nothing: true`, so a
wrong function loses its question), holding the text, the solution and one exception-based
test cell per check. A test cell does not copy the check: it runs it by name from the
kit's own check files, shipped beside the notebook (see `otter_build.py`):

    checklib/                          the kit's checklib (student and autograder)
    assignments/<module>.toml          the kit's settings of the assignment (student and autograder)
    checks/public/test_<hw>_public.py  public checks (student and autograder)
    checks/hidden/test_<hw>_hidden.py  hidden checks (autograder zip only)
    checks/reference/<module>.py       the reference solution, for hidden checks (autograder zip only)

Solution regions become otter's `# BEGIN SOLUTION NO PROMPT` plus a prompt that is the
kit's own stub line, so an untouched otter notebook raises NotImplementedError like
assignments/ does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from nbformat import NotebookNode

from autograder.authoring.stubs import BEGIN_MARKER, END_MARKER
from autograder.notebooks import ipynb, markdown
from autograder.notebooks.build import BuiltNotebook, setup_cell
from autograder.notebooks.checkplan import GENERAL, CheckPlan
from autograder.notebooks.source import AssignmentSource, FunctionSource
from autograder.paths import SOLUTIONS_DIR
from checklib.assignments import Assignment
from checklib.checks import Check
from checklib.paths import KIT_ROOT, settings_file

CHECKS_DIR = "checks"
OTTER_INTRO = """\
## How to work

Keep this notebook next to the folders `checklib/`, `checks/` and `tests/` it came with
(on Colab, upload them too, and run `%pip install otter-grader` first). For each function:
replace `raise NotImplementedError(...)` with your code, run the cell, then run the
`grader.check(...)` cell under it to run the public checks.
"""


@dataclass(frozen=True)
class BundleFiles:
    """The kit files shipped beside the notebook: path beside it -> the kit's file or folder."""

    shared: dict[str, Path]  # students and autograder
    autograder_only: dict[str, Path]


def bundle_files(plan: CheckPlan) -> BundleFiles:
    settings = settings_file(KIT_ROOT, plan.assignment.module)  # the kit's settings of it, which checklib reads
    shared: dict[str, Path] = {"checklib": KIT_ROOT / "checklib", f"assignments/{settings.name}": settings}
    autograder_only: dict[str, Path] = {}
    for visibility, check_file in plan.files.items():
        target = shared if visibility == "public" else autograder_only
        target[f"{CHECKS_DIR}/{visibility}/{check_file.name}"] = check_file
    autograder_only[reference_path(plan.assignment)] = SOLUTIONS_DIR / plan.assignment.filename
    return BundleFiles(shared, autograder_only)


def reference_path(assignment: Assignment) -> str:
    return f"{CHECKS_DIR}/reference/{assignment.filename}"


def requirements(source: AssignmentSource) -> list[str]:
    """What the grading image must install (numpy, and torch for the PyTorch assignment)."""
    return ["numpy"] + (["torch==2.13.0"] if "torch" in source.imported_modules else [])


def assignment_config(source: AssignmentSource, plan: CheckPlan) -> str:
    bundle = bundle_files(plan)
    config = {
        "name": source.assignment.key,
        "requirements": requirements(source),
        "files": list(bundle.shared),
        "autograder_files": list(bundle.autograder_only),
        "tests": {"files": True, "ok_format": False},
        "export_cell": {"pdf": False},
        "generate": {"pdf": False},
    }
    return "# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config, sort_keys=False)


def otter_solution(function: FunctionSource) -> str:
    """The function with otter's solution markers; each region's prompt is the kit's stub line."""
    stub_lines = iter(function.stub.splitlines())
    output, inside = [], False
    for line in function.solution.splitlines():
        indent = line[: len(line) - len(line.lstrip())]
        if line.strip() == BEGIN_MARKER:
            inside, prompt = True, next(stub_lines).strip()
            output.append(f"{indent}# BEGIN SOLUTION NO PROMPT")
        elif line.strip() == END_MARKER:
            inside = False
            output += [f"{indent}# END SOLUTION", f'{indent}""" # BEGIN PROMPT', f"{indent}{prompt}",
                       f'{indent}""" # END PROMPT']
        else:
            output.append(line)
            if not inside:
                next(stub_lines)
    return "\n".join(output)


def test_cell(check: Check, source: AssignmentSource) -> str:
    """An exception-based otter test: run one kit check, by name, on the notebook's functions.

    Named <visibility>_<check> because a public and a hidden check may share a name.
    """
    key = source.assignment.key
    arguments = [f'env, "{key}", ["{check.name}"]',
                 f'files=["{CHECKS_DIR}/{check.visibility}/test_{key}_{check.visibility}.py"]']
    if check.visibility == "hidden":
        arguments.append(f'reference="{reference_path(source.assignment)}"')
    lines = [f"def {check.visibility}_{check.name}(env):", "    from checklib.notebook import run_checks", "",
             "    run_checks(", *(f"        {argument}," for argument in arguments), "    )"]
    return "\n".join((["# HIDDEN"] if check.visibility == "hidden" else []) + lines)


def _question(group: str, text: str, solution: str | None, checks: list[Check],
              source: AssignmentSource) -> list[NotebookNode]:
    config = yaml.safe_dump({"name": group, "points": 1, "all_or_nothing": True}, sort_keys=False)
    cells = [ipynb.raw(f"# BEGIN QUESTION\n{config}"), ipynb.markdown(text)]
    if solution is not None:
        cells += [ipynb.raw("# BEGIN SOLUTION"), ipynb.code(solution), ipynb.raw("# END SOLUTION")]
    if checks:
        cells += [ipynb.raw("# BEGIN TESTS"), *(ipynb.code(test_cell(check, source)) for check in checks),
                  ipynb.raw("# END TESTS")]
    return cells + [ipynb.raw("# END QUESTION")]


def master_notebook(source: AssignmentSource, plan: CheckPlan) -> BuiltNotebook:
    """The otter master notebook of one assignment."""
    intro = markdown.module_intro(source.docstring, source.latex)
    cells = [ipynb.raw(assignment_config(source, plan)), ipynb.markdown(intro.text), ipynb.markdown(OTTER_INTRO),
             ipynb.code(setup_cell(source, with_checker=False))]
    for group in plan.groups():
        checks = [*plan.checks(group, "public"), *plan.checks(group, "hidden")]
        if group == GENERAL:
            cells += _question(group, "## Other checks", None, checks, source)
            continue
        function = source.function(group)
        text = markdown.function_section(function.signature, function.docstring, source.latex).text
        cells += _question(group, text, otter_solution(function), checks, source)
    return BuiltNotebook(ipynb.notebook(cells), plan.notes)
