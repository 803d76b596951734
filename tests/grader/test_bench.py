"""The benchmark's synthetic class and its verdict check (its timings are printed, never asserted)."""

from autograder.bench.measure import BENCH_LIMITS, grade_class
from autograder.bench.report import table
from autograder.bench.synthetic import write_synthetic_export
from autograder.moodle.export import read_export
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
    assert isolation and BENCH_LIMITS.call_timeout <= 1


def test_the_table_names_every_measure():
    from autograder.bench.measure import BenchResult, ClassRun, SimilarityRun

    result = BenchResult("hw3", 10, "full", 0.02, 0.05, [ClassRun(2, 10, 0.5, 0, [300.0, 301.0])], 2.0, 3, 1.5,
                         SimilarityRun(2, 0.52, 0.03, 0.5, 1))
    text = table(result)
    for words in ("isolation overhead", "naive", "make check", "submissions/s", "1,000 submissions", "300 -> 301",
                  "with the similarity report (2 workers): grading 0.5 s + 0.03 s after grading", "+10.0%"):
        assert words in text
