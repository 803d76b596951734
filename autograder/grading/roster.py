"""Who must get a grade: the worksheet's rows joined with the export's submissions.

Every participant on the roster gets a result: their own, their group's (a group
submission reaches every member through the worksheet's Group column), or "No submission".
Submissions nobody on the roster matches are kept and reported: Moodle would skip them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from autograder.grading.results import NO_SUBMISSION, StudentResult
from autograder.moodle.export import StudentSubmission
from autograder.moodle.worksheet import Worksheet

FULL_NAME_COLUMN = 1  # Moodle writes Identifier, Full name, ... in every language
GROUP_HEADERS = frozenset({"Group", "קבוצה"})


@dataclass(frozen=True)
class RosterEntry:
    participant_id: int
    full_name: str
    group: str


def roster_from_worksheet(worksheet: Worksheet) -> list[RosterEntry]:
    """One entry per worksheet row that has a participant id, in the worksheet's order."""
    group_column = next((index for index, label in enumerate(worksheet.header) if label.strip() in GROUP_HEADERS), None)
    entries = []
    for row, pid in zip(worksheet.rows, worksheet.participant_ids, strict=True):
        if pid is None:
            continue
        name = row[FULL_NAME_COLUMN] if len(row) > FULL_NAME_COLUMN else ""
        group = row[group_column].strip() if group_column is not None and len(row) > group_column else ""
        entries.append(RosterEntry(pid, name, group))
    return entries


def roster_from_export(submissions: Sequence[StudentSubmission]) -> list[RosterEntry]:
    return [RosterEntry(submission.participant_id, submission.name, "") for submission in submissions]


@dataclass(frozen=True)
class RosterResults:
    """Which submission grades whom."""

    results: list[StudentResult]  # one per roster entry, in roster order, then unmatched submissions
    unmatched: list[StudentResult]  # graded submissions that match nobody on the roster


def assign_results(roster: Sequence[RosterEntry], graded: Sequence[StudentResult]) -> RosterResults:
    """Give every roster entry its result; report graded submissions that match nobody."""
    by_id = {result.participant_id: result for result in graded}
    by_group: dict[str, StudentResult] = {}
    roster_ids = {entry.participant_id for entry in roster}
    groups = {entry.group for entry in roster if entry.group}
    for result in graded:
        if result.participant_id not in roster_ids and result.name in groups:
            by_group[result.name] = result
    results = []
    for entry in roster:
        own = by_id.get(entry.participant_id)
        group = by_group.get(entry.group) if entry.group else None
        if own is not None:
            results.append(replace(own, name=entry.full_name or own.name))
        elif group is not None:
            results.append(replace(group, participant_id=entry.participant_id, name=entry.full_name,
                                   notes=group.notes + (f"Graded the submission of your group {entry.group}.",)))
        else:
            results.append(StudentResult(entry.participant_id, entry.full_name, NO_SUBMISSION, "No submission."))
    used_groups = {result.name for result in by_group.values()}
    unmatched = [result for result in graded
                 if result.participant_id not in roster_ids and result.name not in used_groups]
    return RosterResults(results, unmatched)
