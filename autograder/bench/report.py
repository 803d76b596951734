"""The benchmark's table (printed) and its JSON (for comparing commits)."""

from __future__ import annotations

from autograder.bench.measure import BenchResult

TARGETS = ("targets: isolation overhead <= 50 ms per submission; 1,000 hw3 submissions <= 60 s with 2 workers; "
           ">= 20x faster per submission than a fresh pytest; make check < 3 s; the similarity report adds <= 10 % "
           "to grading")


def table(result: BenchResult) -> str:
    ms = 1000
    lines = [
        f"benchmark: {result.assignment}, {result.submissions} synthetic submissions",
        f"isolation: {result.isolation}",
        "",
        f"  checks in-process on the reference     {result.in_process_seconds * ms:8.1f} ms per submission",
        f"  the same through the sandbox            {result.sandboxed_reference_seconds * ms:8.1f} ms per submission",
        f"  isolation overhead                      {result.isolation_overhead * ms:8.1f} ms per submission",
        f"  naive (fresh pytest per submission)     {result.naive_seconds * ms:8.1f} ms per submission"
        f" (sample of {result.naive_sample})",
        f"  a student's make check {result.assignment:<17}{result.make_check_seconds:8.2f} s",
        "",
        "  workers  submissions/s  ms/submission  total s  wrong verdicts  grader RSS MiB (start -> end)  vs naive",
    ]
    for run in result.runs:
        memory = f"{run.rss_mib_samples[0]:.0f} -> {run.rss_mib_samples[-1]:.0f}" if run.rss_mib_samples else "n/a"
        lines.append(f"  {run.workers:7d}  {run.rate:13.1f}  {run.per_submission * ms:13.1f}  {run.seconds:7.1f}"
                     f"  {run.wrong_verdicts:14d}  {memory:>29}  {result.naive_seconds / run.per_submission:7.1f}x")
    per_thousand = [f"{run.per_submission * 1000:.0f} s with {run.workers} worker(s)" for run in result.runs]
    lines += ["", f"  projected for 1,000 submissions: {', '.join(per_thousand)}"]
    if result.similarity is not None:
        similarity = result.similarity
        lines += ["", f"  with the similarity report ({similarity.workers} workers): grading "
                  f"{similarity.grading_seconds:.1f} s + {similarity.after_grading_seconds:.2f} s after grading = "
                  f"{similarity.grading_seconds + similarity.after_grading_seconds:.1f} s, against "
                  f"{similarity.plain_seconds:.1f} s without: {similarity.added_share:+.1%} "
                  f"({similarity.flagged_pairs} pairs flagged)"]
    lines += ["", TARGETS]
    return "\n".join(lines)
