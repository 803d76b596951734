"""Running the real otter-grader on a master notebook: `otter assign`, then `otter run`.

`assemble` lays out a build folder as otter expects it, the master notebook (renamed
<hw>.ipynb, the name students get) beside the kit files its config lists:

    build/otter/hw1/hw1.ipynb, checklib/, checks/...     the input of otter assign
    build/otter/hw1/dist/student/hw1.ipynb               what students get (with checklib/, checks/public/)
    build/otter/hw1/dist/autograder/hw1-autograder_<timestamp>.zip   the Gradescope autograder

build/ is not committed: the autograder zip holds the hidden checks and the reference
solution, and its name has a timestamp. `otter assign` also grades the solution notebook
with the zip (outside Docker) and fails unless it gets full marks. `grade` runs
`otter run`, otter's grading without containers, on one submission.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from autograder.notebooks.otter import BundleFiles

IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")


class OtterError(RuntimeError):
    """otter-grader failed; the message holds what it printed."""


@dataclass(frozen=True)
class OtterOutput:
    student_notebook: Path
    solution_notebook: Path
    autograder_zip: Path


def assemble(key: str, master_text: str, bundle: BundleFiles, build_dir: Path) -> Path:
    """Write the master notebook and the kit files into build_dir (emptied first); returns the master."""
    shutil.rmtree(build_dir, ignore_errors=True)
    build_dir.mkdir(parents=True)
    for relative, source in {**bundle.shared, **bundle.autograder_only}.items():
        target = build_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=IGNORED)
        else:
            shutil.copy2(source, target)
    master = build_dir / f"{key}.ipynb"
    master.write_text(master_text, encoding="utf-8")
    return master


def _otter(*arguments: str, cwd: Path) -> str:
    result = subprocess.run([sys.executable, "-m", "otter", *arguments], cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise OtterError(f"otter {arguments[0]} failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout + result.stderr


def otter_assign(master: Path, run_tests: bool = True) -> OtterOutput:
    """`otter assign` master into master's folder / "dist"."""
    dist = master.parent / "dist"
    _otter("assign", *([] if run_tests else ["--no-run-tests"]), master.name, "dist", cwd=master.parent)
    zips = sorted((dist / "autograder").glob("*-autograder_*.zip"))
    if not zips:
        raise OtterError(f"otter assign wrote no autograder zip into {dist / 'autograder'}")
    return OtterOutput(dist / "student" / master.name, dist / "autograder" / master.name, zips[-1])


def grade(submission: Path, autograder_zip: Path, output_dir: Path) -> dict:
    """`otter run` (no containers): the results.json otter writes, as a dict."""
    output_dir.mkdir(parents=True, exist_ok=True)
    _otter("run", "--no-logo", "-a", str(autograder_zip.resolve()), "-o", str(output_dir.resolve()),
           str(submission.resolve()), cwd=output_dir)
    return json.loads((output_dir / "results.json").read_text(encoding="utf-8"))


def grade_all(submissions: dict[str, Path], autograder_zip: Path, output_root: Path) -> dict[str, dict]:
    """`grade` for each named submission, side by side (each `otter run` is its own process)."""
    with ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1)) as pool:
        futures = {name: pool.submit(grade, path, autograder_zip, output_root / name)
                   for name, path in submissions.items()}
        return {name: future.result() for name, future in futures.items()}


def question_scores(results: dict) -> dict[str, float]:
    """question name -> score, from otter's results.json (Gradescope's format: one entry per
    question, plus a "Public Tests" summary without a score)."""
    return {test["name"]: float(test["score"]) for test in results["tests"] if "score" in test}
