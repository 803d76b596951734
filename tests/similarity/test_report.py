"""The report reads student uploads as hostile data: escaped in the HTML and Markdown, bounded, checked."""

import pytest

from autograder.grading.results import PASSED, StudentResult
from autograder.similarity import compare_class
from autograder.similarity.compare import SimilarityReport, report_from_reply
from autograder.similarity.material import MAX_SOURCE_CHARS, Submission, reference_submission
from autograder.similarity.report import marked_lines, similarity_html, similarity_markdown, similarity_png
from checklib.assignments import find_assignment
from tests.similarity.test_planted_copies import corpus_source

HW1 = find_assignment("hw1")
EVIL_NAME = "<script>alert('name')</script> | **bold**"
EVIL_CODE = "\n\ndef extra():\n    return '</pre><script>alert(\"code\")</script>'\n"


@pytest.fixture(scope="module")
def hostile_report() -> SimilarityReport:
    sources = [corpus_source(HW1, f"correct/{name}") for name in ("augmented_theta", "casts_and_inplace",
                                                                  "input_dtype", "loops", "vectorized")]
    results = [StudentResult(100 + number, f"Student {number}", PASSED, "", graded_source=source)
               for number, source in enumerate(sources)]
    results.append(StudentResult(666, EVIL_NAME, PASSED, "", graded_source=sources[0] + EVIL_CODE))
    results.append(StudentResult(777, "Padded Student", PASSED, "", graded_source="#" * (MAX_SOURCE_CHARS + 1)))
    return compare_class(HW1, results)


def test_names_and_code_are_escaped_in_the_html(hostile_report):
    assert [match.b.participant_id for match in hostile_report.flagged_pairs()] == [666]
    html = similarity_html(hostile_report, similarity_png(hostile_report))
    assert "<script>" not in html and "</pre><script>" not in html
    assert "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;" in html
    assert "&lt;/pre&gt;&lt;script&gt;alert(&#34;code&#34;)&lt;/script&gt;" in html


def test_names_are_escaped_in_the_markdown(hostile_report):
    section = similarity_markdown(hostile_report, "similarity.html", "similarity.png")
    assert "<script>" not in section and r"\<script\>" in section and r"\| \*\*bold\*\*" in section


def test_a_source_too_large_is_not_tokenized_and_the_report_says_so(hostile_report):
    assert 777 not in {student.participant_id for student in hostile_report.students}
    [note] = hostile_report.notes
    assert note.startswith("Padded Student (777): not compared") and "look at it by hand" in note


def test_a_report_that_could_not_be_made_says_why():
    failed = SimilarityReport(HW1, made=False, reason="the comparison did not finish within 120 s")
    html = similarity_html(failed, similarity_png(failed))
    assert "could not be made" in html and "did not finish within 120 s" in html
    section = similarity_markdown(failed, "similarity.html", "similarity.png")
    assert "could not be made: the comparison did not finish within 120 s" in section


@pytest.mark.parametrize("damage", [
    {"pair_scores": [1.5]},  # a score out of [0, 1]
    {"sizes": [3]},  # a list of the wrong length
    {"regions": [{"a": 0, "b": 1, "share_a": 0.5, "share_b": 0.5, "regions_a": [[0, 10**6]], "regions_b": []}]},
    {"archive_best": [[7, 0.9], None]},  # an archive index that does not exist
])
def test_a_malformed_detector_reply_is_refused(damage):
    students = [Submission("A", 1, "x = 1\n"), Submission("B", 2, "y = 2\n")]
    reply = {"sizes": [1, 1, 1], "pair_scores": [0.5], "reference_scores": [0.0, 0.0],
             "identical_to_reference": [False, False], "archive_best": [None, None], "regions": [],
             "archive_sources": {}, **damage}
    with pytest.raises(ValueError, match="malformed"):
        report_from_reply(HW1, students, [], reference_submission(HW1), reply, [])


def test_marked_lines_keep_the_text_and_widen_regions_to_whole_words():
    assert marked_lines("import numpy\nx = 1\n", ((3, 9),)) == [[("import numpy", True)], [("x = 1", False)]]
