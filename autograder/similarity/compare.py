"""Compare a graded class: which submissions are unusually similar. Grades are not affected.

    session = SimilaritySession(assignment)          # before grading: the detector starts and loads
    session.add(result)                              # as each submission is graded (any thread)
    report = session.finish(graded_results, archive_folder=None)
    report = compare_class(assignment, graded_results)   # the same, all at once
    report.made, report.reason         # False and why, when the comparison could not be made
    report.flagged_pairs(), report.clusters, report.reference_matches(), report.archive_matches()

Gathers the material (autograder.similarity.material), runs the detector in its own process
(autograder.similarity.isolation), fingerprinting each student while the rest of the class is
still being graded, checks every number and position of its reply, and decides here, with the
class's own outlier rule (autograder.similarity.flagging), which pairs are flagged. Never
raises: whatever fails, the report says the comparison could not be made and why.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from autograder.grading.results import StudentResult
from autograder.similarity.flagging import ClassThreshold, class_threshold, clusters
from autograder.similarity.isolation import DetectorFailed, DetectorLimits, DetectorProcess
from autograder.similarity.material import (
    MAX_NOTEBOOK_CHARS,
    MAX_SOURCE_CHARS,
    Submission,
    archive_submissions,
    class_submissions,
    reference_submission,
    released_stub,
)
from checklib.assignments import Assignment

PAIR, REFERENCE, ARCHIVE = "pair", "reference", "archive"


@dataclass(frozen=True)
class Match:
    """Two compared submissions: a pair of students, or a student and the reference or an earlier submission.

    share_a/share_b: the share of each side's code (stub and common code left out) in matching
    regions; regions_a/regions_b: those regions, [start, end) characters of each side's source.
    Both are None/empty for a flagged pair beyond the ones shown side by side.
    """

    kind: str
    a: Submission
    b: Submission
    score: float
    flagged: bool
    identical: bool = False  # to the reference: the same code up to names, comments, strings and layout
    share_a: float | None = None
    share_b: float | None = None
    regions_a: tuple[tuple[int, int], ...] = ()
    regions_b: tuple[tuple[int, int], ...] = ()

    @property
    def shown(self) -> bool:
        return self.share_a is not None


@dataclass(frozen=True)
class SimilarityReport:
    assignment: Assignment
    made: bool
    reason: str = ""  # why the comparison could not be made
    students: tuple[Submission, ...] = ()  # compared
    pair_scores: tuple[float, ...] = ()  # every pair of compared students
    threshold: ClassThreshold | None = None
    matches: tuple[Match, ...] = ()  # flagged pairs (highest first), the closest unflagged, then the others
    clusters: tuple[tuple[Submission, ...], ...] = ()
    stub_only: tuple[Submission, ...] = ()  # nothing beyond the released stub to compare
    archive_size: int = 0
    notes: tuple[str, ...] = ()

    def flagged_pairs(self) -> list[Match]:
        return [match for match in self.matches if match.kind == PAIR and match.flagged]

    def context_pairs(self) -> list[Match]:
        return [match for match in self.matches if match.kind == PAIR and not match.flagged]

    def reference_matches(self) -> list[Match]:
        return [match for match in self.matches if match.kind == REFERENCE]

    def archive_matches(self) -> list[Match]:
        return [match for match in self.matches if match.kind == ARCHIVE]

    def flagged_students(self) -> int:
        """How many students of this run are in at least one flagged match."""
        return len({side.participant_id for match in self.matches if match.flagged
                    for side in (match.a, match.b) if side.origin == "student"})


class SimilaritySession:
    """The similarity report of a class as it is graded (see the module docstring)."""

    def __init__(self, assignment: Assignment, limits: DetectorLimits | None = None):
        self.assignment = assignment
        self._sent: set[int] = set()
        self._detector: DetectorProcess | None = None
        self._failure = ""
        try:
            self._detector = DetectorProcess(released_stub(assignment), limits or DetectorLimits())
        except Exception as error:  # e.g. no process could be started: grading goes on without the report
            self._failure = f"the detector could not be started ({type(error).__name__}: {error})"

    def add(self, result: StudentResult) -> None:
        """Send one graded result's source to the detector (a source too large is left for finish's note)."""
        source = result.graded_source
        if self._detector is not None and source is not None and len(source) <= MAX_SOURCE_CHARS:
            self._sent.add(result.participant_id)
            self._detector.add(result.participant_id, source)

    def finish(self, results: Sequence[StudentResult], archive_folder: Path | None = None) -> SimilarityReport:
        """The report of the whole class (results: every graded submission); never raises."""
        notes: list[str] = []
        try:
            if self._detector is None:
                raise DetectorFailed(self._failure)
            students, notes = class_submissions(results)
            for result in results:
                if result.participant_id not in self._sent:
                    self.add(result)
            archive: list[Submission] = []
            if archive_folder is not None:
                archive, archive_notes = archive_submissions(archive_folder, self.assignment, students)
                notes += archive_notes
            reference = reference_submission(self.assignment)
            reply = self._detector.finish([student.participant_id for student in students], reference.source,
                                          [(item.source, item.kind) for item in archive])
            return report_from_reply(self.assignment, students, archive, reference, reply, notes)
        except DetectorFailed as error:
            return SimilarityReport(self.assignment, made=False, reason=str(error), notes=tuple(notes))
        except Exception as error:  # a bug or an unreadable reply: grading goes on, the summary says why
            return SimilarityReport(self.assignment, made=False, notes=tuple(notes),
                                    reason=f"the comparison failed ({type(error).__name__}: {error})")
        finally:
            self.close()

    def close(self) -> None:
        """Stop the detector without a report (grading stopped); finish calls it too."""
        if self._detector is not None:
            self._detector.close()


def compare_class(assignment: Assignment, results: Sequence[StudentResult], archive_folder: Path | None = None,
                  limits: DetectorLimits | None = None) -> SimilarityReport:
    """The similarity report of an already graded class, all at once; never raises."""
    session = SimilaritySession(assignment, limits or DetectorLimits())
    for result in results:
        session.add(result)
    return session.finish(results, archive_folder)


def _check(condition: bool, what: str) -> None:
    if not condition:
        raise ValueError(f"the detector's reply is malformed ({what})")


def _score(value: object, what: str) -> float:
    _check(isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
           and 0 <= value <= 1, what)
    return float(value)


def _index(value: object, size: int, what: str) -> int:
    _check(isinstance(value, int) and not isinstance(value, bool) and 0 <= value < size, what)
    return value


def _share(value: object) -> float:
    _check(isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value >= 0,
           "a share")
    return min(float(value), 1.0)  # copydetect's share can pass 1 by a rounding of its token counts


def _regions(value: object, length: int) -> tuple[tuple[int, int], ...]:
    _check(isinstance(value, list) and len(value) <= length + 1, "regions")
    regions, previous_end = [], 0
    for region in value:
        _check(isinstance(region, list) and len(region) == 2, "a region")
        start, end = _index(region[0], length + 1, "a region start"), _index(region[1], length + 1, "a region end")
        _check(previous_end <= start < end, "regions out of order")
        regions.append((start, end))
        previous_end = end
    return tuple(regions)


def _shown_archive(documents: list[Submission], reply: dict, students: int, archived: int) -> list[Submission]:
    """The archive entries, with a notebook's code as the detector extracted it for the ones it shows."""
    sources = reply["archive_sources"]
    _check(isinstance(sources, dict), "archive_sources")
    shown = list(documents)
    for key, source in sources.items():
        index = _index(int(key) if key.isdigit() else -1, archived, "an archive index")
        _check(isinstance(source, str) and len(source) <= MAX_NOTEBOOK_CHARS, "an archive source")
        shown[index] = Submission(shown[index].name, shown[index].participant_id, source, "archive",
                                  shown[index].export)
    return shown


def report_from_reply(assignment: Assignment, students: list[Submission], archive: list[Submission],
                      reference: Submission, reply: dict, notes: list[str]) -> SimilarityReport:
    """Check the detector's reply and decide, with the class's rule, what is flagged."""
    _check(isinstance(reply, dict), "not an object")
    count, archived = len(students), len(archive)
    documents = [*students, *_shown_archive(archive, reply, count, archived), reference]
    sizes, pair_scores = reply["sizes"], reply["pair_scores"]
    _check(isinstance(sizes, list) and len(sizes) == len(documents)
           and all(isinstance(size, int) and size >= 0 for size in sizes), "sizes")
    _check(isinstance(pair_scores, list) and len(pair_scores) == count * (count - 1) // 2, "pair_scores")
    reference_scores, identical = reply["reference_scores"], reply["identical_to_reference"]
    archive_best = reply["archive_best"]
    _check(all(isinstance(item, list) and len(item) == count for item in (reference_scores, identical, archive_best)),
           "per-student lists")

    compared = [index for index in range(count) if sizes[index] > 0]
    score_of = {}
    position = 0
    for a in range(count):
        for b in range(a + 1, count):
            score_of[a, b] = _score(pair_scores[position], "a pair score")
            position += 1
    class_scores = [score_of[a, b] for i, a in enumerate(compared) for b in compared[i + 1:]]
    threshold = class_threshold(class_scores, len(compared))

    regions = {}
    for item in reply["regions"]:
        a, b = _index(item["a"], len(documents), "a"), _index(item["b"], len(documents), "b")
        regions[a, b] = (_share(item["share_a"]), _share(item["share_b"]),
                         _regions(item["regions_a"], len(documents[a].source)),
                         _regions(item["regions_b"], len(documents[b].source)))

    def match(kind: str, a: int, b: int, score: float, flagged: bool, same: bool = False) -> Match:
        shares = regions.get((a, b))
        if shares is None:
            return Match(kind, documents[a], documents[b], score, flagged, same)
        return Match(kind, documents[a], documents[b], score, flagged, same, *shares)

    pairs = sorted(((score_of[a, b], a, b) for i, a in enumerate(compared) for b in compared[i + 1:]),
                   key=lambda item: (-item[0], item[1], item[2]))
    flagged_indices = [(a, b) for score, a, b in pairs if threshold.flags(score)]
    flagged = [match(PAIR, a, b, score, True) for score, a, b in pairs if threshold.flags(score)]
    context = [match(PAIR, a, b, score, False) for score, a, b in pairs if (a, b) in regions
               and not threshold.flags(score)]
    reference_index = len(documents) - 1
    by_reference = []
    for s in compared:
        score, same = _score(reference_scores[s], "a reference score"), identical[s] is True
        if same or threshold.flags(score):
            by_reference.append(match(REFERENCE, s, reference_index, score, True, same))
    by_archive = []
    for s in compared:
        best = archive_best[s]
        if best is not None:
            _check(isinstance(best, list) and len(best) == 2, "archive_best")
            index, score = count + _index(best[0], archived, "an archive index"), _score(best[1], "an archive score")
            if threshold.flags(score):
                by_archive.append(match(ARCHIVE, s, index, score, True))
    groups = clusters(flagged_indices)
    return SimilarityReport(
        assignment, made=True, students=tuple(students[s] for s in compared), pair_scores=tuple(class_scores),
        threshold=threshold,
        matches=tuple([*flagged, *context, *sorted(by_reference, key=lambda m: -m.score),
                       *sorted(by_archive, key=lambda m: -m.score)]),
        clusters=tuple(tuple(students[s] for s in group) for group in groups),
        stub_only=tuple(students[s] for s in range(count) if sizes[s] == 0), archive_size=archived,
        notes=tuple(notes))
