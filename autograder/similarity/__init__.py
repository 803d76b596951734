"""Which submissions of a class are unusually similar: the similarity report of `make grade`.

    session = SimilaritySession(assignment)      # before grading; session.add(result) as each is graded
    report = session.finish(graded_results, archive_folder=None)   # never raises
    report = compare_class(assignment, graded_results)             # the same, for a class already graded
    similarity_html(report, similarity_png(report)); similarity_markdown(report, html, png)

One module per step: `material` (what is compared, sizes bounded), `isolation` and `child`
(the detector's own process, under time and memory limits), `detector` (copydetect's
fingerprints, every pair scored), `flagging` (the class's outlier rule, groups), `compare`
(the checked reply and what is flagged), `report` (HTML, histogram, summary.md section).
Grades never depend on it, and no student code runs for it.
"""

from autograder.similarity.compare import SimilarityReport, SimilaritySession, compare_class

__all__ = ["SimilarityReport", "SimilaritySession", "compare_class"]
