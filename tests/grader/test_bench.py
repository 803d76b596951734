"""The benchmark: its synthetic class and verdict check, the nbgrader baseline, the table, JSON and Markdown
(its timings are printed, never asserted)."""

import json

import pytest

from autograder.bench import nbgrader_baseline, synthetic
from autograder.bench.measure import (
    BENCH_LIMITS,
    BenchResult,
    ClassRun,
    SimilarityRun,
    grade_class,
    time_checks_alone,
)
from autograder.bench.nbgrader_baseline import NbgraderRun, SampledVerdict, run_nbgrader_baseline, student_notebook
from autograder.bench.report import bench_json, markdown, table
from autograder.bench.synthetic import SMALLEST_CLASS, baseline_sample, write_synthetic_export
from autograder.bench.targets import judge
from autograder.cli import main
from autograder.grading.pipeline import GradingJob
from autograder.moodle.export import read_export
from autograder.notebooks.exports import nbgrader_source_path
from autograder.paths import CORPUS_DIR, REPO_ROOT
from autograder.sandbox import Sandbox
from checklib.assignments import find_assignment


def test_synthetic_class_is_a_moodle_export_with_a_realistic_mix(tmp_path):
    expected = write_synthetic_export(find_assignment("hw1"), 100, tmp_path)
    kinds = [item.kind for item in expected]
    assert kinds.count("crash") == 2 and kinds.count("buggy") == 25 and kinds.count("correct") == 73
    export = read_export(tmp_path)
    assert [item.participant_id for item in export.submissions] == [item.participant_id for item in expected]


def test_every_synthetic_submission_gets_the_verdict_it_should(tmp_path):
    assignment = find_assignment("hw1")
    expected = write_synthetic_export(assignment, 30, tmp_path)
    assert {item.kind for item in expected} == {"crash", "buggy", "correct"}
    run, isolation = grade_class(assignment, tmp_path, expected, workers=2)
    assert run.submissions == 30 and run.wrong_verdicts == 0
    assert run.passed == {item.participant_id: item.should_pass for item in expected}
    assert isolation and BENCH_LIMITS.call_timeout <= 1


def test_a_limited_class_run_grades_only_the_first_submissions(tmp_path):
    assignment = find_assignment("hw1")
    expected = write_synthetic_export(assignment, 6, tmp_path)
    run, _ = grade_class(assignment, tmp_path, expected, workers=1, limit=3)
    assert run.submissions == 3 and list(run.passed) == [item.participant_id for item in expected[:3]]


def test_the_baselines_sample_correct_and_buggy_submissions_spread_over_the_class(tmp_path):
    expected = write_synthetic_export(find_assignment("hw1"), 100, tmp_path)
    sample = baseline_sample(expected, 4)
    assert [item.kind for item in sample] == ["buggy", "buggy", "correct", "correct"]  # 25 buggy, then 73 correct
    assert [item.participant_id for item in sample] == [100_002, 100_026, 100_051, 100_075]


def test_the_smallest_class_holds_a_submission_for_the_baselines_and_a_smaller_one_is_refused(tmp_path, capsys):
    expected = write_synthetic_export(find_assignment("hw1"), SMALLEST_CLASS, tmp_path)
    assert [item.kind for item in baseline_sample(expected, 5)] == ["buggy"]
    with pytest.raises(SystemExit) as refused:
        main(["bench", "--n", str(SMALLEST_CLASS - 1)])
    assert refused.value.code == 2
    assert f"use at least {SMALLEST_CLASS}" in capsys.readouterr().err


def test_an_assignment_without_a_buggy_corpus_is_refused_in_words_before_any_work(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(synthetic, "CORPUS_DIR", tmp_path / "corpus")  # no corpus at all
    assert main(["bench", "--hw", "hw1", "--n", "3", "--json", str(tmp_path / "bench.json")]) == 2
    assert "tests/corpus/buggy/hw1/ holds no buggy implementation" in capsys.readouterr().err
    assert not (tmp_path / "bench.json").exists()


def test_the_checks_alone_are_timed_on_the_class_files_that_neither_crash_nor_hang(tmp_path):
    assignment = find_assignment("hw1")
    expected = write_synthetic_export(assignment, 30, tmp_path)
    assert {item.kind for item in expected} == {"crash", "buggy", "correct"}  # a crash run here would end pytest
    job = GradingJob.load(assignment, Sandbox(BENCH_LIMITS), [REPO_ROOT])  # never started: the checks run here
    assert 0 < time_checks_alone(job, expected) < 5


def _result(nbgrader: NbgraderRun | None, overhead: float = 0.03) -> BenchResult:
    runs = [ClassRun(1, 5, 0.5, 0, [300.0, 301.0]), ClassRun(2, 10, 0.25, 0, [301.0, 400.0])]
    return BenchResult("hw1", 10, "full", 0.02, 0.02 + overhead, runs, 2.0, 3, 1.5,
                       SimilarityRun(2, 0.27, 0.006, 0.25, 1), nbgrader, checks_alone_cpu_seconds=0.012)


NBGRADER_RUN = NbgraderRun(2, 10.0, 4.0, [SampledVerdict(1, "correct", True, 5.0, 5.0),
                                          SampledVerdict(2, "buggy", False, 5.0, 5.0)])


def test_the_table_names_every_measure_and_nbgrader():
    text = table(_result(NBGRADER_RUN))
    for words in ("isolation overhead", "naive", "make check hw1", "submissions/s", "1,000 submissions", "300 -> 301",
                  "with the similarity report (2 workers): grading 0.3 s + 0.01 s after grading", "+10.4%",
                  "nbgrader autograde (its own)", "5000.0 ms per submission (sample of 2", "vs nbgrader", "200.0x",
                  "1 of 2 agree with ours (correct: 1 of 1 full marks; buggy: 0 of 1 below full marks)",
                  "disagree: participant 2 (buggy): ours failed, nbgrader 5 of 5 points",
                  "the class's checks alone, no sandbox      12.0 ms CPU per submission, 6 s per 1,000 on 2 cores"):
        assert words in text


def test_each_target_is_printed_met_or_missed_on_its_own_line():
    text = table(_result(NBGRADER_RUN, overhead=0.010))
    assert "  met     isolation overhead <= 15 ms per submission: 10.0 ms" in text
    assert "  met     1,000 hw1 submissions with 2 workers <= 30 s and 0 wrong verdicts: 25 s" in text
    # Judged like for like: nbgrader grades one notebook at a time, so against the run with 1 worker.
    assert "  met     faster per submission than nbgrader autograde >= 30x: 50x (100.0 ms with 1 worker(s)" in text
    # 2 workers: 301 -> 400 MiB is neither within 30 MiB nor within 10 %.
    assert "  MISSED  grader memory flat" in text
    assert "  met     a student's make check hw1 < 3 s: 1.50 s" in text
    assert "  MISSED  the similarity report adds <= 10% to grading: +10.4%" in text
    assert "hw3" not in text


def test_the_json_carries_nbgrader_and_every_targets_verdict():
    document = json.loads(json.dumps(bench_json(_result(NBGRADER_RUN))))
    assert document["nbgrader"]["per_submission_seconds"] == 5.0 and document["nbgrader"]["agreements"] == 1
    assert document["runs"][1]["nbgrader_ratio"] == 200.0 and "passed" not in document["runs"][1]
    met = {target["key"]: target["met"] for target in document["targets"]}
    assert met == {"isolation_overhead": False, "class_time": True, "nbgrader_ratio": True, "naive_ratio": True,
                   "memory_flat": False, "make_check": True, "similarity": False}


def test_a_failed_nbgrader_run_is_reported_and_its_target_missed():
    failed = NbgraderRun(5, 0.0, 0.0, error="nbgrader autograde failed (exit 1):\nTraceback ...")
    text = table(_result(failed))
    line = next(line for line in text.splitlines() if "nbgrader autograde (its own)" in line)
    assert line.endswith("failed: nbgrader autograde failed (exit 1):")
    assert "  MISSED  faster per submission than nbgrader autograde >= 30x: not measured" in text
    document = json.loads(json.dumps(bench_json(_result(failed)), allow_nan=False))
    assert document["nbgrader"]["per_submission_seconds"] is None and document["runs"][1]["nbgrader_ratio"] is None


def test_the_markdown_table_has_a_row_per_measure_and_target():
    text = markdown(_result(NBGRADER_RUN))
    assert text.startswith("`make bench N=10` (hw1, isolation: full):")
    assert "| isolation overhead ≤ 15 ms per submission | 30.0 ms | **missed** |" in text
    assert "| the class with 1 worker(s) | 100.0 ms per submission, 100 s per 1,000, 0 wrong verdicts |  |" in text
    assert "| nbgrader autograde, sample of 2 | 5.00 s per submission; 1 of 2 verdicts agree with ours |  |" in text
    assert ("| the class's checks alone, in-process, no sandbox | 12.0 ms CPU per submission, 6 s per 1,000 on 2 cores "
            "(correct and buggy files) |  |") in text
    header, measures, nbgrader = 2, 4, 1
    assert len([line for line in text.splitlines() if line.startswith("| ")]) == (
        header + measures + len(judge(_result(None))) + nbgrader)


def test_a_submission_becomes_the_release_notebook_with_its_functions_in_the_answer_cells():
    assignment = find_assignment("hw1")
    release = json.loads((REPO_ROOT / nbgrader_source_path(assignment)).read_text(encoding="utf-8"))
    submission = (CORPUS_DIR / "correct" / "hw1" / "augmented_theta.py").read_text(encoding="utf-8")
    notebook = student_notebook(release, submission, assignment.functions)
    answers = {cell["metadata"]["nbgrader"]["grade_id"]: cell["source"] for cell in notebook["cells"]
               if cell["metadata"].get("nbgrader", {}).get("solution")}
    assert list(answers) == list(assignment.functions)
    for name, answer in answers.items():
        assert f"\ndef {name}(" in f"\n{answer}" and "BEGIN SOLUTION" not in answer
    first = answers["predict"]
    assert first.startswith('"""Correct: the bias is folded') and "def _with_ones(X):" in first
    assert "def _with_ones" not in answers["cost"] and "def predict" not in answers["cost"]
    assert len(notebook["cells"]) == len(release["cells"])


def test_a_function_the_submission_lacks_keeps_the_release_stub():
    assignment = find_assignment("hw1")
    release = json.loads((REPO_ROOT / nbgrader_source_path(assignment)).read_text(encoding="utf-8"))
    notebook = student_notebook(release, "import numpy as np\n\n\ndef cost(X, t, w, b):\n    return 0.0\n",
                                assignment.functions)
    answers = {cell["metadata"]["nbgrader"]["grade_id"]: cell["source"] for cell in notebook["cells"]
               if cell["metadata"].get("nbgrader", {}).get("solution")}
    originals = {cell["metadata"]["nbgrader"]["grade_id"]: cell["source"] for cell in release["cells"]
                 if cell["metadata"].get("nbgrader", {}).get("solution")}
    assert answers["predict"] == "import numpy as np\n\n\n" + "".join(originals["predict"])
    assert answers["cost"] == "def cost(X, t, w, b):\n    return 0.0"


def test_nbgrader_that_does_not_finish_in_time_is_reported_not_raised(tmp_path, monkeypatch):
    pytest.importorskip("nbgrader", reason="nbgrader is installed by `make setup`")
    monkeypatch.setattr(nbgrader_baseline, "RELEASE_TIMEOUT", 0.01)
    assignment = find_assignment("hw1")
    expected = write_synthetic_export(assignment, 5, tmp_path / "export")
    run = run_nbgrader_baseline(assignment, expected, {}, 1, tmp_path / "nbgrader")
    assert run.error.startswith("nbgrader generate_assignment did not finish within 0 s")
    assert run.per_submission is None


def test_real_nbgrader_autograde_agrees_with_our_verdicts_on_a_correct_and_a_buggy_submission(tmp_path):
    """About 15 s: nbgrader generate_assignment, then autograde of two notebooks (a Jupyter kernel each)."""
    pytest.importorskip("nbgrader", reason="nbgrader is installed by `make setup`")
    assignment = find_assignment("hw1")
    expected = write_synthetic_export(assignment, 60, tmp_path / "export")
    ours = {item.participant_id: item.should_pass for item in expected}
    run = run_nbgrader_baseline(assignment, expected, ours, 2, tmp_path / "nbgrader")
    assert not run.error and run.sample == 2 and run.per_submission > 0
    assert [verdict.kind for verdict in run.verdicts] == ["buggy", "correct"]
    assert run.verdicts[1].nbgrader_full_marks and run.verdicts[1].nbgrader_max_points == len(assignment.functions)
    assert not run.verdicts[0].nbgrader_full_marks
    assert run.agreements == 2
    assert (tmp_path / "nbgrader" / "notebooks" / "nbgrader" / "gradebook.db").is_file()
