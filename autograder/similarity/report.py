"""The similarity report as the TA reads it: similarity.html, its histogram, and summary.md's section.

    html = similarity_html(report, similarity_png(report))
    summary.md += similarity_markdown(report, "similarity.html", "similarity.png")

Pure functions of the report: re-runs give byte-identical files. Every name and every line of
code reaches the HTML through Jinja's autoescaping (never pasted into markup), and the
Markdown section escapes what Markdown would read as markup.
"""

from __future__ import annotations

import base64
import io
import re
from importlib.metadata import PackageNotFoundError, version

import jinja2

from autograder import __version__
from autograder.similarity.compare import Match, SimilarityReport
from autograder.similarity.detector import COMMON_MIN, COMMON_SHARE, NOISE_THRESHOLD
from autograder.similarity.flagging import MIN_SPREAD, OUTLIER_Z

_environment = jinja2.Environment(
    loader=jinja2.PackageLoader("autograder.similarity", "templates"),
    autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
)
MARKDOWN_LISTED = 10  # flagged pairs listed in summary.md
HTML_LISTED = 200  # flagged pairs listed in similarity.html
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def _copydetect_version() -> str:
    try:
        return version("copydetect")
    except PackageNotFoundError:
        return "(not installed)"


def _word_start(source: str, index: int) -> int:
    while 0 < index < len(source) and (source[index - 1].isalnum() or source[index - 1] == "_"):
        index -= 1
    return index


def _word_end(source: str, index: int) -> int:
    while 0 < index < len(source) and (source[index].isalnum() or source[index] == "_"):
        index += 1
    return index


def marked_lines(source: str, regions: tuple[tuple[int, int], ...]) -> list[list[tuple[str, bool]]]:
    """The source's lines, each a list of (text, in a matching region). copydetect maps regions back from
    its normalized code only roughly: a region cutting a word is widened to the whole word."""
    segments, position = [], 0
    for start, end in regions:
        start, end = max(_word_start(source, start), position), _word_end(source, end)
        segments += [(source[position:start], False), (source[start:end], True)]
        position = end
    segments.append((source[position:], False))
    lines: list[list[tuple[str, bool]]] = [[]]
    for text, matched in segments:
        for number, part in enumerate(text.split("\n")):
            if number:
                lines.append([])
            if part:
                lines[-1].append((part, matched))
    return lines[:-1] if not lines[-1] else lines


def similarity_png(report: SimilarityReport) -> bytes:
    """A histogram of every pair's score, with the class's threshold; or why there is none."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    figure, axes = plt.subplots(figsize=(9, 3.6), layout="constrained")
    if report.made and report.pair_scores:
        threshold = report.threshold
        flagged = [score for score in report.pair_scores if threshold.flags(score)]
        others = [score for score in report.pair_scores if not threshold.flags(score)]
        bins = [index / 40 for index in range(41)]
        axes.hist([others, flagged], bins=bins, stacked=True, color=["#7a8ca3", "#c62828"],
                  label=["not flagged", f"flagged ({len(flagged)})"])
        if threshold.value is not None and threshold.value <= 1:
            axes.axvline(threshold.value, color="#c62828", linestyle="--", linewidth=1,
                         label=f"flagged above {threshold.value:.2f}")
        axes.set_yscale("log")
        axes.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        axes.yaxis.set_minor_formatter(NullFormatter())
        axes.set_ylim(bottom=0.8)
        axes.set_xlim(0, 1)
        axes.set_xlabel("similarity score of a pair (share of fingerprints in common, stub and common code left out)")
        axes.set_ylabel("pairs of students (log scale)")
        axes.set_title(f"{report.assignment.key}: every pair of the class ({len(report.pair_scores)} pairs)")
        axes.legend(loc="upper right")
    else:
        reason = report.reason if not report.made else "fewer than two students to compare"
        axes.text(0.5, 0.5, f"No similarity histogram: {reason}", ha="center", va="center", wrap=True)
        axes.set_axis_off()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def _side(match: Match, which: str) -> dict:
    submission = match.a if which == "a" else match.b
    share = match.share_a if which == "a" else match.share_b
    regions = match.regions_a if which == "a" else match.regions_b
    return {"label": submission.label, "origin": submission.origin, "share": share,
            "lines": marked_lines(submission.source, regions)}


def similarity_html(report: SimilarityReport, histogram_png: bytes) -> str:
    """The report page: the distribution, the flagged pairs, groups, reference and earlier matches, side by side."""
    shown = [match for match in report.matches if match.shown]
    anchors = {match: f"match-{number}" for number, match in enumerate(shown, start=1)}
    return _environment.get_template("similarity.html.j2").render(
        title=f"{report.assignment.key}: {report.assignment.title}: similar submissions", report=report,
        histogram=base64.b64encode(histogram_png).decode("ascii"), anchors=anchors,
        shown=[(anchors[match], match, _side(match, "a"), _side(match, "b")) for match in shown],
        pair_count=len(report.pair_scores), listed=HTML_LISTED, version=__version__,
        copydetect_version=_copydetect_version(),
        k=NOISE_THRESHOLD, common_share=COMMON_SHARE, common_min=COMMON_MIN, z=OUTLIER_Z, min_spread=MIN_SPREAD,
    )


def markdown_text(text: str) -> str:
    """text on one line, with what Markdown reads as markup (or HTML) escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def similarity_markdown(report: SimilarityReport, html_name: str, png_name: str) -> str:
    """summary.md's "Similar submissions" section."""
    lines = ["", "## Similar submissions", ""]
    if not report.made:
        return "\n".join([*lines, f"The similarity report could not be made: {markdown_text(report.reason)}. "
                          f"Grading is complete and every other file was written; {html_name} says the same.", ""])
    flagged = report.flagged_pairs()
    threshold = report.threshold
    lines.append(f"{len(flagged)} of {len(report.pair_scores)} pairs of students flagged as unusually similar "
                 f"(rule: {threshold.describe()}); grades are not affected. Side-by-side views: {html_name}.")
    if flagged:
        lines += ["", "| score | students |", "| ---: | --- |"]
        lines += [f"| {match.score:.2f} | {markdown_text(match.a.label)} and {markdown_text(match.b.label)} |"
                  for match in flagged[:MARKDOWN_LISTED]]
        if len(flagged) > MARKDOWN_LISTED:
            lines.append(f"| | and {len(flagged) - MARKDOWN_LISTED} more pairs (see {html_name}) |")
    for group in report.clusters:
        lines += ["", f"- A group of {len(group)} linked by flagged pairs: "
                  f"{', '.join(markdown_text(member.label) for member in group)}."]
    for match in report.reference_matches():
        what = ("identical to the reference solution" if match.identical
                else f"close to the reference solution ({match.score:.2f})")
        lines += ["", f"- {markdown_text(match.a.label)}: {what}."]
    for match in report.archive_matches():
        lines += ["", f"- {markdown_text(match.a.label)}: close to an earlier semester's submission, "
                  f"{markdown_text(match.b.label)} ({match.score:.2f})."]
    lines += ["", f"![similarity of every pair of students]({png_name})", ""]
    return "\n".join(lines)
