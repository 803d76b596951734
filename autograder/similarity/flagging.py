"""Which pairs stand out from the class: a robust outlier rule on the class's own scores.

    threshold = class_threshold(pair_scores, students=40)
    threshold.flags(0.83)          # True: far above what this class's pairs score by chance
    groups = clusters([(0, 3), (3, 7), (2, 5)])   # [[0, 3, 7]]: three or more linked students

Short assignments make every pair somewhat alike, and how alike depends on the assignment
and on the class, so no fixed cut-off fits. A pair is flagged when its score is more than
OUTLIER_Z robust standard deviations above the median pair of the class: the standard
deviation estimated as 1.4826 x the median absolute deviation (MAD), which the few copied
pairs cannot inflate as they would the plain standard deviation. The spread counts as at
least MIN_SPREAD, so that a class whose pairs score almost all alike (all near 0, say) does
not flag small overlaps. Fewer than MIN_STUDENTS students are no distribution: nothing is
flagged by this rule then.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

OUTLIER_Z = 5.0  # robust standard deviations above the class median
MIN_SPREAD = 0.07  # the least spread assumed (scores are in [0, 1])
MIN_STUDENTS = 5
MAD_TO_SD = 1.4826  # MAD x this estimates the standard deviation of a normal distribution


@dataclass(frozen=True)
class ClassThreshold:
    """The class's median pair score, its robust spread, and the score above which a pair is flagged."""

    median: float
    spread: float
    value: float | None  # None: too few students to judge against the class

    def flags(self, score: float) -> bool:
        return self.value is not None and score > self.value

    def describe(self) -> str:
        if self.value is None:
            return f"too few students (fewer than {MIN_STUDENTS}) to judge pairs against the class"
        return (f"median pair {self.median:.2f} + {OUTLIER_Z:g} x robust spread {self.spread:.3f} "
                f"= {self.value:.2f}")


def class_threshold(pair_scores: np.ndarray, students: int) -> ClassThreshold:
    """The outlier threshold of a class from all its pair scores (see the module docstring)."""
    scores = np.asarray(pair_scores, dtype=np.float64)
    if students < MIN_STUDENTS or scores.size == 0:
        median = float(np.median(scores)) if scores.size else 0.0
        return ClassThreshold(median, MIN_SPREAD, None)
    median = float(np.median(scores))
    spread = max(MAD_TO_SD * float(np.median(np.abs(scores - median))), MIN_SPREAD)
    return ClassThreshold(median, spread, median + OUTLIER_Z * spread)


def clusters(pairs: Iterable[tuple[int, int]], smallest: int = 3) -> list[list[int]]:
    """Groups of at least `smallest` members linked by pairs (connected components), largest first."""
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in pairs:
        parent[root(a)] = root(b)
    groups: dict[int, list[int]] = {}
    for node in sorted(parent):
        groups.setdefault(root(node), []).append(node)
    found = [members for members in groups.values() if len(members) >= smallest]
    return sorted(found, key=lambda members: (-len(members), members))
