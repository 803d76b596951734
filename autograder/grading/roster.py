"""Who must get a grade: the worksheet's rows joined with the export's submissions.

Every participant on the roster gets a result: their own, their group's, or "No submission".
Individual assignments match by participant id. Group assignments (Moodle's "team
submission": the worksheet has a Group column, or the export has a "Default group" folder)
have group ids in the export, which no worksheet cell holds: a group's submission reaches the
rows whose Group cell names that group, and the "Default group" submission reaches the rows of
users in no group. (An entry whose id *and* name are a row's own is that participant's, should
an export ever mix the two.) Submissions nobody on the roster matches are kept and reported:
Moodle would skip them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from autograder.grading.results import NO_SUBMISSION, StudentResult
from autograder.moodle.export import DEFAULT_GROUP_ID, StudentSubmission
from autograder.moodle.worksheet import Worksheet

FULL_NAME_COLUMN = 1  # Moodle writes Identifier, Full name, ... in every language
# Moodle's 'defaultteam' string: the Group cell of users in no group.
DEFAULT_GROUP_NAMES = ("Default group", "קבוצת ברירת מחדל")
# What Moodle's clean_filename drops from a group name when it names the group's folder.
_DROPPED_FROM_FOLDER_NAMES = re.compile(r"[\x00-\x1f\x7f&<>\"`|':\\/*?]")
MAX_LISTED = 5


@dataclass(frozen=True)
class RosterEntry:
    participant_id: int
    full_name: str
    group: str


@dataclass(frozen=True)
class Roster:
    """Who must get a grade; team: the export's ids are group ids (see the module docstring)."""

    entries: list[RosterEntry]
    team: bool
    from_worksheet: bool


def group_key(name: str) -> str:
    """A group (or full) name as it can be compared between a worksheet cell and an export folder name.

    Moodle's download turns "_" into a space and drops the characters clean_filename removes (a
    zip tool may turn them into "_" instead); the worksheet writes the name HTML-escaped
    (format_string). So those characters, "_" and white space are all left out of the key.
    """
    text = _DROPPED_FROM_FOLDER_NAMES.sub("", html.unescape(name))
    return "".join(text.replace("_", " ").split()).casefold()


_DEFAULT_GROUP_KEYS = frozenset(map(group_key, DEFAULT_GROUP_NAMES))


def roster_from_worksheet(worksheet: Worksheet, export_has_groups: bool = False) -> Roster:
    """One entry per worksheet row that has a participant id, in the worksheet's order."""
    group_column = worksheet.group_column
    entries = []
    for row, pid in zip(worksheet.rows, worksheet.participant_ids, strict=True):
        if pid is None:
            continue
        name = row[FULL_NAME_COLUMN] if len(row) > FULL_NAME_COLUMN else ""
        group = row[group_column].strip() if group_column is not None and len(row) > group_column else ""
        entries.append(RosterEntry(pid, name, group))
    return Roster(entries, team=group_column is not None or export_has_groups, from_worksheet=True)


def roster_from_export(submissions: Sequence[StudentSubmission]) -> Roster:
    """Without a worksheet: the submitters themselves (none for a group assignment: members are unknown)."""
    team = any(submission.is_group for submission in submissions)
    entries = [] if team else [RosterEntry(s.participant_id, s.name, "") for s in submissions]
    return Roster(entries, team=team, from_worksheet=False)


def _in_default_group(entry: RosterEntry) -> bool:
    """Moodle writes "Default group" in the Group cell of users in no group (an empty cell is not that)."""
    return group_key(entry.group) in _DEFAULT_GROUP_KEYS


def _listed(items: Sequence[str]) -> str:
    shown = ", ".join(items[:MAX_LISTED])
    return shown + (f" and {len(items) - MAX_LISTED} more" if len(items) > MAX_LISTED else "")


def match_problem(roster: Roster, submissions: Sequence[StudentSubmission]) -> str | None:
    """Why the worksheet and the export cannot belong together (nothing matches), or None.

    Participant ids are per assignment, so a worksheet of another assignment matches no one.
    """
    if not roster.from_worksheet or not submissions:
        return None
    if roster.team:
        keys = {group_key(entry.group) for entry in roster.entries}
        own = {(entry.participant_id, group_key(entry.full_name)) for entry in roster.entries}
        groups = [s for s in submissions if s.participant_id != DEFAULT_GROUP_ID]
        if not groups or any(group_key(s.name) in keys or (s.participant_id, group_key(s.name)) in own
                             for s in groups):
            return None
        return (f"None of the {len(submissions)} group submissions in the export "
                f"({_listed([s.name for s in submissions])}) is named in the worksheet's Group column. "
                "Download the grading worksheet of this same assignment and pass it unchanged.")
    ids = {entry.participant_id for entry in roster.entries}
    if any(s.participant_id in ids for s in submissions):
        return None
    return (f"None of the {len(submissions)} submissions in the export (participants "
            f"{_listed([str(s.participant_id) for s in submissions])}) has a row in the worksheet. Participant ids "
            "are different in every assignment: download the grading worksheet of this same assignment.")


@dataclass(frozen=True)
class RosterResults:
    """Which submission grades whom."""

    results: list[StudentResult]  # one per roster entry, in roster order
    unmatched: list[StudentResult]  # graded submissions that reach nobody on the roster
    warnings: list[str]  # one per unmatched submission, for the TA


def assign_results(roster: Roster, graded: Sequence[StudentResult]) -> RosterResults:
    """Give every roster entry its result; report graded submissions that reach nobody."""
    if roster.team:
        results, used = _by_group(roster.entries, graded)
    else:
        results, used = _by_participant(roster.entries, graded)
    unmatched = [result for result in graded if result.participant_id not in used]
    return RosterResults(results, unmatched, [_unmatched_warning(roster, result) for result in unmatched])


def _no_submission(entry: RosterEntry) -> StudentResult:
    return StudentResult(entry.participant_id, entry.full_name, NO_SUBMISSION, "No submission.")


def _by_participant(entries: Sequence[RosterEntry], graded: Sequence[StudentResult]) -> tuple[list, set[int]]:
    by_id = {result.participant_id: result for result in graded}
    results = []
    for entry in entries:
        own = by_id.get(entry.participant_id)
        results.append(_no_submission(entry) if own is None else replace(own, name=entry.full_name or own.name))
    return results, {entry.participant_id for entry in entries} & set(by_id)


def _by_group(entries: Sequence[RosterEntry], graded: Sequence[StudentResult]) -> tuple[list, set[int]]:
    by_key: dict[str, list[StudentResult]] = {}
    for result in graded:
        if result.participant_id != DEFAULT_GROUP_ID:
            by_key.setdefault(group_key(result.name), []).append(result)
    default = next((result for result in graded if result.participant_id == DEFAULT_GROUP_ID), None)
    by_id = {result.participant_id: result for result in graded}
    results, used = [], set()
    for entry in entries:
        own = by_id.get(entry.participant_id)
        if own is not None and group_key(own.name) == group_key(entry.full_name):
            used.add(own.participant_id)
            results.append(replace(own, name=entry.full_name))
            continue
        candidates = by_key.get(group_key(entry.group), []) if entry.group else []
        if len(candidates) == 1:  # two groups whose names cannot be told apart reach nobody
            group, note = candidates[0], f"Graded the submission of your group {entry.group}."
        elif default is not None and _in_default_group(entry):
            group, note = default, "Graded the submission of the users in no group (Moodle's Default group)."
        else:
            results.append(_no_submission(entry))
            continue
        used.add(group.participant_id)
        results.append(replace(group, participant_id=entry.participant_id, name=entry.full_name,
                               notes=group.notes + (note,)))
    return results, used


def _unmatched_warning(roster: Roster, result: StudentResult) -> str:
    graded = f"graded {result.outcome} anyway (see results.json)"
    if not roster.team:
        return (f"Participant {result.participant_id} ({result.name}) submitted but is not in the worksheet: "
                f"Moodle would skip them; {graded}.")
    if not roster.from_worksheet:
        return (f"Group '{result.name}' submitted, but without the worksheet the kit cannot tell its members: "
                f"pass WORKSHEET (it has the Group column) to grade them; {graded}.")
    if result.participant_id == DEFAULT_GROUP_ID:
        return (f"The '{result.name}' submission reaches nobody: no worksheet row has '{result.name}' in its Group "
                f"column; {graded}.")
    return (f"Group '{result.name}' (group id {result.participant_id}) submitted, but no worksheet row names it "
            f"in the Group column (or two groups have names Moodle writes alike); {graded}.")
