"""The benchmark's outputs, all from one run: the table (printed), its JSON (for comparing commits)
and a Markdown table for the README's performance section (pasted as is)."""

from __future__ import annotations

from autograder.bench.measure import BenchResult
from autograder.bench.nbgrader_baseline import NbgraderRun
from autograder.bench.targets import CLASS_WORKERS, class_run, judge

MS = 1000


def _nbgrader_line(nbgrader: NbgraderRun | None) -> str:
    label = "  nbgrader autograde (its own)         "
    if nbgrader is None:
        return f"{label}     not run"
    if nbgrader.error:
        return f"{label}     failed: {nbgrader.error.splitlines()[0]}"
    return (f"{label}{nbgrader.per_submission * MS:10.1f} ms per submission (sample of {nbgrader.sample}; "
            f"generate_assignment {nbgrader.release_seconds:.1f} s once)")


def agreement(nbgrader: NbgraderRun) -> list[str]:
    """nbgrader's verdicts on its sample against ours (full marks = passed), disagreements named."""
    correct = [item for item in nbgrader.verdicts if item.kind == "correct"]
    buggy = [item for item in nbgrader.verdicts if item.kind != "correct"]
    lines = [f"  nbgrader's verdicts on its sample: {nbgrader.agreements} of {len(nbgrader.verdicts)} agree with ours "
             f"(correct: {sum(item.nbgrader_full_marks for item in correct)} of {len(correct)} full marks; "
             f"buggy: {sum(not item.nbgrader_full_marks for item in buggy)} of {len(buggy)} below full marks)"]
    lines += [f"    disagree: participant {item.participant_id} ({item.kind}): ours "
              f"{'passed' if item.ours else 'failed'}, nbgrader {item.nbgrader_points:g} of "
              f"{item.nbgrader_max_points:g} points" for item in nbgrader.verdicts if not item.agree]
    return lines


def checks_alone(result: BenchResult) -> str:
    """The class's checks in-process, no sandbox: CPU per submission, and 1,000 of them on the class run's cores."""
    if result.checks_alone_cpu_seconds is None:
        return "not measured"
    cpu = result.checks_alone_cpu_seconds
    return (f"{cpu * MS:.1f} ms CPU per submission, {cpu * 1000 / CLASS_WORKERS:.0f} s per 1,000 "
            f"on {CLASS_WORKERS} cores (correct and buggy files)")


def _ratio(baseline: float | None, per_submission: float) -> str:
    return f"{baseline / per_submission:.1f}x" if baseline is not None else "n/a"


def table(result: BenchResult) -> str:
    nbgrader = result.nbgrader.per_submission if result.nbgrader is not None else None
    lines = [
        f"benchmark: {result.assignment}, {result.submissions} synthetic submissions",
        f"isolation: {result.isolation}",
        "",
        f"  checks in-process on the reference  {result.in_process_seconds * MS:10.1f} ms per submission",
        f"  the same through the sandbox        {result.sandboxed_reference_seconds * MS:10.1f} ms per submission",
        f"  isolation overhead                  {result.isolation_overhead * MS:10.1f} ms per submission",
        f"  the class's checks alone, no sandbox      {checks_alone(result)}",
        f"  naive (fresh pytest per submission) {result.naive_seconds * MS:10.1f} ms per submission"
        f" (sample of {result.naive_sample})",
        _nbgrader_line(result.nbgrader),
        f"  a student's make check {result.assignment:<13}{result.make_check_seconds:10.2f} s",
        "",
        "  workers  graded  submissions/s  ms/submission  total s  wrong verdicts  grader RSS MiB (start -> end)"
        "  vs naive  vs nbgrader",
    ]
    for run in result.runs:
        memory = f"{run.rss_mib_samples[0]:.0f} -> {run.rss_mib_samples[-1]:.0f}" if run.rss_mib_samples else "n/a"
        naive, versus_nbgrader = _ratio(result.naive_seconds, run.per_submission), _ratio(nbgrader, run.per_submission)
        lines.append(f"  {run.workers:7d}  {run.submissions:6d}  {run.rate:13.1f}  {run.per_submission * MS:13.1f}"
                     f"  {run.seconds:7.1f}  {run.wrong_verdicts:14d}  {memory:>29}  {naive:>8}  {versus_nbgrader:>11}")
    per_thousand = [f"{run.per_submission * 1000:.0f} s with {run.workers} worker(s)" for run in result.runs]
    lines += ["", f"  projected for 1,000 submissions: {', '.join(per_thousand)}"]
    if result.nbgrader is not None and not result.nbgrader.error:
        lines += agreement(result.nbgrader)
    if result.similarity is not None:
        similarity = result.similarity
        lines += ["", f"  with the similarity report ({similarity.workers} workers): grading "
                  f"{similarity.grading_seconds:.1f} s + {similarity.after_grading_seconds:.2f} s after grading = "
                  f"{similarity.grading_seconds + similarity.after_grading_seconds:.1f} s, against "
                  f"{similarity.plain_seconds:.1f} s without: {similarity.added_share:+.1%} "
                  f"({similarity.flagged_pairs} pairs flagged)"]
    lines += ["", "targets:", *(target.line() for target in judge(result))]
    return "\n".join(lines)


def bench_json(result: BenchResult) -> dict:
    """The run's numbers and each target's verdict, as plain data."""
    document = result.as_json()
    document["targets"] = [{"key": target.key, "target": f"{target.measure} {target.limit}",
                            "measured": target.measured, "met": target.met} for target in judge(result)]
    return document


def markdown(result: BenchResult) -> str:
    """The README's performance table from this run: what was measured, and each target met or missed."""
    run = class_run(result)
    rows = [("checks in-process on the reference", f"{result.in_process_seconds * MS:.1f} ms per submission", ""),
            ("the same through the sandbox", f"{result.sandboxed_reference_seconds * MS:.1f} ms per submission", ""),
            ("the class's checks alone, in-process, no sandbox", checks_alone(result), "")]
    rows += [(f"the class with {item.workers} worker(s)", f"{item.per_submission * MS:.1f} ms per submission, "
              f"{item.per_submission * 1000:.0f} s per 1,000, {item.wrong_verdicts} wrong verdicts", "")
             for item in result.runs if item is not run]
    rows += [(f"{target.measure} {target.limit}", target.measured, "met" if target.met else "**missed**")
             for target in judge(result)]
    nbgrader = result.nbgrader
    if nbgrader is not None and not nbgrader.error:
        rows.append((f"nbgrader autograde, sample of {nbgrader.sample}",
                     f"{nbgrader.per_submission:.2f} s per submission; {nbgrader.agreements} of "
                     f"{len(nbgrader.verdicts)} verdicts agree with ours", ""))
    lines = [f"`make bench N={result.submissions}` ({result.assignment}, isolation: {result.isolation}):", "",
             "| measure | measured | target |", "| --- | --- | --- |"]
    lines += [f"| {measure} | {measured} | {met} |".replace("<=", "≤").replace(">=", "≥") for measure, measured, met
              in rows]
    return "\n".join(lines) + "\n"
