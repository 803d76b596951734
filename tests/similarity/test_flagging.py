"""The class's outlier rule and the groups of linked students."""

import numpy as np

from autograder.similarity.flagging import MIN_SPREAD, MIN_STUDENTS, OUTLIER_Z, class_threshold, clusters


def test_a_pair_far_above_the_class_is_flagged_and_the_class_is_not():
    rng = np.random.default_rng(0)
    scores = np.concatenate([rng.uniform(0.0, 0.3, size=189), [0.8]])  # 20 students
    threshold = class_threshold(scores, students=20)
    assert threshold.flags(0.8)
    assert not any(threshold.flags(score) for score in scores[:-1])


def test_the_threshold_follows_the_class_not_a_fixed_cut_off():
    low, high = np.full(45, 0.05), np.linspace(0.3, 0.4, 45)
    assert class_threshold(low, 10).value < class_threshold(high, 10).value
    assert class_threshold(high, 10).flags(0.9) and not class_threshold(high, 10).flags(0.6)


def test_alike_pairs_do_not_make_every_small_difference_an_outlier():
    threshold = class_threshold(np.zeros(45), students=10)  # no spread at all
    assert threshold.spread == MIN_SPREAD and threshold.value == OUTLIER_Z * MIN_SPREAD
    assert not threshold.flags(0.2)


def test_too_few_students_flag_nothing():
    threshold = class_threshold(np.array([1.0, 0.0, 0.0]), students=MIN_STUDENTS - 2)
    assert threshold.value is None and not threshold.flags(1.0)
    assert "too few students" in threshold.describe()


def test_clusters_are_the_groups_of_three_or_more_linked_students():
    assert clusters([(0, 3), (3, 7), (2, 5), (9, 8), (8, 10), (10, 11)]) == [[8, 9, 10, 11], [0, 3, 7]]
    assert clusters([(1, 2)]) == []
