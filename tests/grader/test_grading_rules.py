"""The grade rule, the roster join, the config and the reports, without running any student code."""

import json

import pytest

from autograder.grading.config import GradeConfig, load_config
from autograder.grading.pipeline import grade_submission
from autograder.grading.report import ClassReport, results_json, summary_markdown
from autograder.grading.results import ERROR, FAILED, NO_SUBMISSION, PASSED, StudentResult, verdict
from autograder.grading.roster import Roster, RosterEntry, assign_results, group_key, match_problem, roster_from_export
from autograder.moodle.export import DEFAULT_GROUP_ID, StudentSubmission
from checklib.assignments import all_assignments, find_assignment
from checklib.checks import CheckResult


def check(name: str, status: str, required: bool = True, message: str = "") -> CheckResult:
    return CheckResult(name, "hidden", f"{name} works", status, message, 0.25, required)


def test_verdict_passes_only_when_every_required_check_passes():
    assert verdict([check("a", "passed"), check("b", "failed", required=False)])[0] == PASSED
    outcome, reason = verdict([check("a", "passed"), check("b", "failed", message="b is 2 but should be 1")])
    assert outcome == FAILED
    assert "Failed 1 of 2" in reason and "b is 2 but should be 1" in reason


def test_verdict_names_functions_not_implemented_yet():
    outcome, reason = verdict([check("test_cost_x", "not_implemented", message="cost: not implemented yet"),
                               check("test_predict_x", "not_implemented", message="predict: not implemented yet")])
    assert outcome == FAILED
    assert "Not implemented yet: cost, predict" in reason


def test_verdict_reason_is_one_short_line():
    _, reason = verdict([check("a", "failed", message="line one\nline two " + "x" * 500)])
    assert "\n" not in reason and len(reason) <= 250


def result(pid: int, name: str, outcome: str = PASSED) -> StudentResult:
    return StudentResult(pid, name, outcome, "reason")


def individual(*entries: RosterEntry) -> Roster:
    return Roster(list(entries), team=False, from_worksheet=True)


def team(*entries: RosterEntry) -> Roster:
    return Roster(list(entries), team=True, from_worksheet=True)


def test_roster_gives_every_participant_a_row_in_worksheet_order():
    roster = individual(RosterEntry(3, "Carol", ""), RosterEntry(1, "אליס", ""), RosterEntry(2, "Bob", ""))
    assigned = assign_results(roster, [result(1, "Alice in export"), result(2, "Bob", FAILED)])
    assert [(r.participant_id, r.outcome) for r in assigned.results] == [(3, NO_SUBMISSION), (1, PASSED), (2, FAILED)]
    assert assigned.results[0].reason == "No submission."
    assert assigned.results[1].name == "אליס"  # the worksheet's name wins
    assert assigned.unmatched == [] and assigned.warnings == []


def test_roster_reports_submissions_that_match_nobody():
    assigned = assign_results(individual(RosterEntry(1, "Alice", "")), [result(1, "Alice"), result(99, "Stranger")])
    assert [r.participant_id for r in assigned.unmatched] == [99]
    assert "Participant 99 (Stranger)" in assigned.warnings[0]


def test_group_submission_reaches_every_member_through_the_group_column():
    roster = team(RosterEntry(1, "Alice", "Team A"), RosterEntry(2, "Bob", "Team A"), RosterEntry(3, "Carol", "Team B"))
    assigned = assign_results(roster, [result(501, "Team A")])
    assert [(r.participant_id, r.name, r.outcome) for r in assigned.results] == [
        (1, "Alice", PASSED), (2, "Bob", PASSED), (3, "Carol", NO_SUBMISSION)]
    assert "Team A" in assigned.results[0].notes[-1]
    assert assigned.unmatched == []


def test_a_group_id_equal_to_a_participant_id_grades_the_group_not_the_participant():
    roster = team(RosterEntry(30, "Solo Sam", "Default group"), RosterEntry(31, "Dov", "Delta"))
    assigned = assign_results(roster, [result(30, "Delta", FAILED)])
    assert [(r.participant_id, r.outcome) for r in assigned.results] == [(30, NO_SUBMISSION), (31, FAILED)]


def test_in_a_group_export_an_entry_with_a_rows_own_id_and_name_is_that_participants():
    roster = team(RosterEntry(40, "Ann Lee", "Default group"), RosterEntry(41, "Dov", "Delta"))
    assigned = assign_results(roster, [result(40, "Ann Lee"), result(7, "Delta", FAILED)])
    assert [(r.participant_id, r.outcome) for r in assigned.results] == [(40, PASSED), (41, FAILED)]
    assert assigned.unmatched == []


def test_group_names_are_compared_as_moodle_writes_them_into_folder_names():
    assert group_key("Team_Beta: 2") == group_key("Team Beta 2") == "teambeta2"
    assert group_key("R&amp;D <lab>") == group_key("RD lab")
    assert group_key('Bobby "Tables", Jr.') == group_key("Bobby _Tables_, Jr.")
    assert group_key("Team A") != group_key("Team B")
    assert group_key("קבוצה א'") == group_key("קבוצה א")


def test_the_default_group_submission_reaches_the_users_in_no_group():
    roster = team(RosterEntry(1, "Alice", "Default group"), RosterEntry(2, "Bob", ""), RosterEntry(3, "Carol", "A"))
    assigned = assign_results(roster, [result(DEFAULT_GROUP_ID, "Default group")])
    assert [r.outcome for r in assigned.results] == [PASSED, NO_SUBMISSION, NO_SUBMISSION]
    assert "Default group" in assigned.results[0].notes[-1]


def test_two_groups_moodle_names_alike_reach_nobody_and_are_reported():
    roster = team(RosterEntry(1, "Alice", "A:B"))
    assigned = assign_results(roster, [result(5, "AB"), result(6, "A B".replace(" ", ""))])
    assert assigned.results[0].outcome == NO_SUBMISSION
    assert len(assigned.warnings) == 2


def test_without_a_worksheet_group_submissions_reach_no_participant_row():
    export = [StudentSubmission(7, "Team Rocket", {}, False, [], is_group=True)]
    roster = roster_from_export(export)
    assigned = assign_results(roster, [result(7, "Team Rocket")])
    assert assigned.results == [] and "pass WORKSHEET" in assigned.warnings[0]


def test_a_worksheet_that_matches_no_submission_is_a_problem():
    export = [StudentSubmission(7, "Ann", {}, False, [])]
    assert "same assignment" in match_problem(individual(RosterEntry(8, "Ann", "")), export)
    assert match_problem(individual(RosterEntry(7, "Ann", "")), export) is None
    groups = [StudentSubmission(7, "Team Rocket", {}, False, [], is_group=True)]
    assert "Group column" in match_problem(team(RosterEntry(8, "Ann", "Team Blue")), groups)
    assert match_problem(team(RosterEntry(8, "Ann", "Team_Rocket")), groups) is None
    default_only = [StudentSubmission(DEFAULT_GROUP_ID, "Default group", {}, False, [], is_group=True)]
    assert match_problem(team(RosterEntry(8, "Ann", "Team Blue")), default_only) is None
    assert "Group column" in match_problem(team(RosterEntry(8, "Ann", "Team Blue")), groups + default_only)


def _course(tmp_path, defaults: str, **grading: str):
    """grading.toml with defaults, and an assignment settings file with a [grading] table per key."""
    (tmp_path / "grading.toml").write_text(defaults)
    (tmp_path / "solutions").mkdir()
    for key, table in grading.items():
        settings = f"[kit]\ntitle = \"Example\"\n\n[grading]\n{table}"
        (tmp_path / "solutions" / f"{key}_example.toml").write_text(settings)
    return tmp_path / "grading.toml", tmp_path / "solutions"


def test_config_merges_assignment_over_defaults(tmp_path):
    path, solutions = _course(tmp_path, "[defaults]\nmax_points = 10\n",
                              hw2='scale_pass = "Satisfactory"\noptional_checks = ["test_x"]\n', hw1="")
    expected = GradeConfig(max_points=10, scale_pass="Satisfactory", optional_checks=("test_x",))
    assert load_config("hw2", path, solutions) == expected
    assert load_config("hw1", path, solutions) == GradeConfig(max_points=10)


def test_config_rejects_unknown_settings(tmp_path):
    path, solutions = _course(tmp_path, "[defaults]\n", hw1="max_point = 10\n")
    with pytest.raises(ValueError, match="max_point"):
        load_config("hw1", path, solutions)


def test_config_says_where_an_assignment_table_of_grading_toml_goes(tmp_path):
    path, solutions = _course(tmp_path, "[defaults]\n[hw1]\nmax_points = 5\n", hw1="")
    with pytest.raises(ValueError, match=r"move \[hw1\] to the \[grading\] table of that assignment's settings file"):
        load_config("hw1", path, solutions)


def test_the_repository_config_loads_for_every_assignment():
    for key in all_assignments():
        assert load_config(key).scale_pass


def test_reports_are_deterministic_and_complete():
    graded = StudentResult(7, "שרה", FAILED, "Failed", "hw1_linear_regression.py", ("note",),
                           (check("test_cost_value", "failed", message="cost is 2"), check("test_predict", "passed")))
    report = ClassReport(find_assignment("hw1"), [graded, result(8, "Dan", NO_SUBMISSION)], "basic", ["a warning"])
    first = results_json(report)
    assert first == results_json(report)
    document = json.loads(first)
    assert document["counts"] == {"passed": 0, "failed": 1, "no_submission": 1, "error": 0, "grader_failure": 0}
    assert document["isolation"] == "basic" and document["grader_version"]
    test = document["students"][0]["tests"][0]
    assert test == {"name": "test_cost_value", "visibility": "hidden", "description": "test_cost_value works",
                    "required": True, "status": "failed", "message": "cost is 2", "duration_seconds": 0}
    summary = summary_markdown(report, "summary.png").decode()
    assert "| failed | 1 |" in summary and "a warning" in summary and "summary.png" in summary


def test_results_json_gives_no_duration_for_a_check_the_sandbox_stopped():
    stopped = CheckResult("test_cost_value", "hidden", "cost works", "stopped", "cost: did not finish in 10 s", 11.7)
    slow = CheckResult("test_predict", "hidden", "predict works", "passed", "", 1.9)
    report = ClassReport(find_assignment("hw1"), [StudentResult(7, "Ann", FAILED, "Failed", checks=(stopped, slow))],
                         "full", [])
    tests = json.loads(results_json(report))["students"][0]["tests"]
    assert [test["duration_seconds"] for test in tests] == [None, 1]


def test_a_submission_whose_every_file_was_refused_is_an_error_not_a_missing_submission():
    submission = StudentSubmission(9, "Ann", {}, False, ["Refused /etc/passwd: it is an absolute path."])
    result = grade_submission(submission, job=None)  # decided before anything is graded
    assert result.outcome == ERROR and "absolute path" in result.reason


def test_pass_rates_keep_a_public_and_a_hidden_check_of_the_same_name_apart():
    public = CheckResult("test_cost_x", "public", "cost works", "passed", "", 0.0)
    hidden = CheckResult("test_cost_x", "hidden", "cost works on other data", "failed", "no", 0.0)
    students = [StudentResult(pid, "s", FAILED, "r", checks=(public, hidden)) for pid in (1, 2)]
    rates = ClassReport(find_assignment("hw1"), students, "basic").check_pass_rates()
    assert [(rate.visibility, rate.passed, rate.graded) for rate in rates] == [("public", 2, 2), ("hidden", 0, 2)]
    assert [rate.label for rate in rates] == ["cost_x", "cost_x (hidden)"]
    summary = summary_markdown(ClassReport(find_assignment("hw1"), students, "basic"), "summary.png").decode()
    assert "| cost works (`test_cost_x`) | public | 2 | 2 | 100% |" in summary
    assert "| cost works on other data (`test_cost_x`) | hidden | 0 | 2 | 0% |" in summary
