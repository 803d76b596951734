"""Grade every submission of a Moodle export and write the files Moodle takes back.

Reads the "Download all submissions" zip (or its unpacked folder) of one assignment and,
optionally, the grading worksheet downloaded from Moodle; runs every public and hidden
check on each student's file in an isolated child process; writes into OUT:

  grading_worksheet.csv  for "Upload grading worksheet" (grade + one-line feedback)
  feedback.zip           for "Upload multiple feedback files in a zip" (feedback.html each)
  results.json           every student and check (status, message, duration)
  summary.md, summary.png  the class at a glance
  similarity.html, similarity.png  pairs of students whose code is unusually similar

Without --submissions, grades the bundled demo export of the assignment. With
--executor dask://HOST:PORT, the submissions are graded on a Dask cluster whose workers
have this repository set up (each in its own sandbox); the outputs are the same.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder.paths import REPO_ROOT
from checklib.assignments import all_assignments, assignment_key, listed_keys

# One submission more than the CPUs at once: while the grader waits for a child's reply (or a child for
# the grader's next call), another submission uses the CPU (12 % faster with 3 than with 2 on 2 CPUs).
DEFAULT_WORKERS = (os.cpu_count() or 1) + 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hw", type=assignment_key(REPO_ROOT),
                        help=f"the assignment to grade: {listed_keys(REPO_ROOT)} (default: the first)")
    parser.add_argument("--submissions", type=Path,
                        help="Moodle's download-all-submissions zip, or the folder it was unpacked to "
                             "(default: the bundled demo export)")
    parser.add_argument("--worksheet", type=Path,
                        help="the grading worksheet downloaded from Moodle, to fill in (default: write a new one)")
    parser.add_argument("--out", type=Path, help="output folder (default: out/<hw>)")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                        help="submissions graded at once (default: one more than the number of CPUs)")
    parser.add_argument("--executor", default="local", metavar="local|dask://HOST:PORT",
                        help="where to grade: this machine (local, the default) or the Dask cluster whose "
                             "scheduler is at HOST:PORT (--workers then does not apply: each Dask worker "
                             "grades as many at once as it has threads)")
    parser.add_argument("--similarity-archive", type=Path, metavar="FOLDER",
                        help="a folder of earlier semesters' exports of this assignment (zips or unpacked folders), "
                             "compared with this class in similarity.html (never graded)")
    parser.add_argument("--only", type=_participant_ids, metavar="ID,ID,...",
                        help="grade just these participants (ids as summary.md lists them), for example the ones "
                             "the grader failed on; every other row of the worksheet is left as it was")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def _participant_ids(text: str) -> frozenset[int]:
    try:
        return frozenset(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected participant ids separated by commas, got {text!r}") from None


def run(args: argparse.Namespace) -> int:
    from autograder.grading.run import GradingRequest, run_grading  # heavy: only when grading

    if args.hw is None:
        args.hw = next(iter(all_assignments(REPO_ROOT)))
        print(f"No HW given: grading {args.hw}, the first assignment.")
    request = GradingRequest(hw=args.hw, submissions=args.submissions, worksheet=args.worksheet,
                             out=args.out or Path("out") / args.hw, workers=max(1, args.workers),
                             progress=not args.no_progress and sys.stderr.isatty(), executor=args.executor,
                             similarity_archive=args.similarity_archive, only=args.only)
    return run_grading(request)
