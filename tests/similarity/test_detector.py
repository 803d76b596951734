"""The detector tokenizes each document once (Pygments is its costly step) and builds every fingerprint from those
tokens: what it builds is what copydetect builds from the source itself."""

import io

import numpy as np
from copydetect import CodeFingerprint, compare_files

from autograder.similarity import detector
from autograder.similarity.material import reference_submission, released_stub
from checklib.assignments import find_assignment
from tests.similarity import transforms

HW1 = find_assignment("hw1")


def _copydetects_own(source: str, boilerplate: np.ndarray) -> CodeFingerprint:
    return CodeFingerprint("submission.py", detector.NOISE_THRESHOLD, detector.WINDOW, boilerplate=boilerplate,
                           language="python", fp=io.StringIO(source))


def test_a_fingerprint_built_from_the_tokens_and_its_regions_are_copydetects_own():
    reference = reference_submission(HW1).source
    copy = transforms.reorder_functions(transforms.rename_identifiers(reference, set(HW1.functions)))
    boilerplate = detector.StreamingDetector(released_stub(HW1)).boilerplate
    ours = [detector._fingerprint(source, detector._tokens(source), boilerplate) for source in (reference, copy)]
    theirs = [_copydetects_own(source, boilerplate) for source in (reference, copy)]
    for built, own in zip(ours, theirs, strict=True):
        assert (built.raw_code, built.filtered_code, built.token_coverage) == (own.raw_code, own.filtered_code,
                                                                               own.token_coverage)
        for name in ("hashes", "hash_idx", "offsets"):
            np.testing.assert_array_equal(getattr(built, name), getattr(own, name))
    (overlap, shares, slices), (own_overlap, own_shares, own_slices) = compare_files(*ours), compare_files(*theirs)
    assert overlap > 0 and (overlap, shares) == (own_overlap, own_shares)
    for built, own in zip(slices, own_slices, strict=True):
        np.testing.assert_array_equal(built, own)
