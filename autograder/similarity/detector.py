"""Fingerprint every document with copydetect and score every pair at once.

    detector = StreamingDetector(stub_source)
    detector.add(participant_id, source)        # as each submission is graded
    reply = detector.finish(order, reference_source, archive)   # plain data (see compare_fingerprints)

This runs in the detector's own process (autograder.similarity.child), never in the grader:
it tokenizes student uploads. Each document is tokenized by Pygments and normalized by
copydetect (every name becomes `V`, function names `F`, strings `S`; comments and whitespace
go), cut into k-grams of normalized characters and hashed (winnowing; copydetect's defaults
keep every k-gram). Fingerprints of the released stub (docstrings, signatures, the `raise
NotImplementedError` lines) are copydetect "boilerplate" and dropped, and so is every
fingerprint that more than half of the class shares (MOSS's "-m", relative to the class):
what everybody writes is no evidence of copying.

A pair's score is the Dice coefficient of the two fingerprint sets: 2 |A & B| / (|A| + |B|),
computed for all pairs at once as a matrix product (copydetect compares pairs one by one,
about 0.3 ms each: 6 s for 200 students). The pairs the report shows then go through
copydetect's own `compare_files`, which gives each side's matching regions and the share of
its code they cover (fingerprinted again without the common code, from the tokens each
document keeps: Pygments, the costly step, runs once per document).
"""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial

import numpy as np

from autograder.similarity.flagging import class_threshold

NOISE_THRESHOLD = 25  # copydetect's default k: matches shorter than 25 normalized characters are noise
WINDOW = 1  # copydetect's default (guarantee threshold = noise threshold): every k-gram is a fingerprint
COMMON_SHARE = 0.5  # a fingerprint in more than this share of the class is common code...
COMMON_MIN = 5  # ...and in more than this many students (so that a small class keeps its copies)
MAX_SHOWN_PAIRS = 30  # flagged pairs shown with their regions (the highest first)
CONTEXT_PAIRS = 3  # the closest pairs below the threshold, shown for comparison
COLUMN_BLOCK = 4096  # fingerprints per block of the pair-count product (bounds its memory)
PARALLEL_FROM = 24  # documents from which tokenizing is spread over the CPUs (one process each)


Tokens = tuple[str, np.ndarray]  # copydetect's normalized code of a document, and its offsets back to the source


def _tokens(source: str) -> Tokens:
    """What copydetect's filter_code makes of a document: the costly step (Pygments), so done once per document."""
    from copydetect.utils import filter_code

    return filter_code(source, "submission.py", "python")


def _fingerprint(source: str, tokens: Tokens, boilerplate: np.ndarray, window: int = WINDOW):
    """copydetect's CodeFingerprint of a tokenized document, the same as CodeFingerprint(language="python") builds
    from its source."""
    from copydetect import CodeFingerprint

    normalized, offsets = tokens
    fingerprint = CodeFingerprint("submission.py", NOISE_THRESHOLD, window, boilerplate=boilerplate, filter=False,
                                  fp=io.StringIO(normalized))
    fingerprint.raw_code, fingerprint.offsets = source, offsets  # what filter=True would have set
    return fingerprint


def _hashes(fingerprint) -> np.ndarray:
    return np.unique(np.fromiter(fingerprint.hashes, dtype=np.int64, count=len(fingerprint.hashes)))


def _document_hashes(source: str, boilerplate: np.ndarray) -> tuple[np.ndarray, str, Tokens]:
    """A document's fingerprints (sorted), a digest of its normalized code, and its tokens (for its regions)."""
    tokens = _tokens(source)
    fingerprint = _fingerprint(source, tokens, boilerplate)
    return _hashes(fingerprint), hashlib.blake2b(fingerprint.filtered_code.encode()).hexdigest(), tokens


def _all_hashes(documents: list[str], boilerplate: np.ndarray) -> list[tuple[np.ndarray, str, Tokens]]:
    """_document_hashes of every document, on every CPU when there are many."""
    work = partial(_document_hashes, boilerplate=boilerplate)
    processes = min(len(documents) // PARALLEL_FROM + 1, os.cpu_count() or 1)
    if processes < 2:
        return [work(document) for document in documents]
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)  # fork: no re-import
    with ProcessPoolExecutor(processes, mp_context=context) as pool:
        return list(pool.map(work, documents, chunksize=max(1, len(documents) // (4 * processes))))


def _archive_source(source: str, kind: str) -> str | None:
    """An archive entry's module source (a notebook's extracted code); None when it cannot be read."""
    if kind != "notebook":
        return source
    from autograder.upload.notebook import extract_module

    try:
        return extract_module(source).source
    except (ImportError, ValueError, RecursionError):
        return None


@dataclass
class Fingerprints:
    """Every document's fingerprint hashes, in the order: students, archive, reference."""

    documents: list[str]  # the sources compared (an archive notebook's extracted code)
    tokens: list[Tokens]  # each document's, as copydetect normalized it
    hashes: list[np.ndarray]  # without the stub's and the class's common fingerprints
    own_sizes: list[int]  # fingerprints left after removing the stub's (0: the stub alone, or too short)
    normalized: list[str]  # digests of copydetect's filtered code, for "identical up to names and layout"
    students: int
    boilerplate: np.ndarray  # the stub's fingerprints
    common: np.ndarray  # fingerprints more than COMMON_SHARE of the class has


class StreamingDetector:
    """Fingerprints each student as the grader sends it (while the class is still being graded),
    the rest when the class is complete.

        detector = StreamingDetector(stub_source)
        detector.add(participant_id, source)          # any order, as submissions are graded
        reply = detector.finish(ids_in_report_order, reference_source, [(source, kind), ...])
    """

    def __init__(self, stub: str):
        no_boilerplate = np.array([], dtype=np.int64)
        self.boilerplate = np.unique(_hashes(_fingerprint(stub, _tokens(stub), no_boilerplate, window=1)))
        self.students: dict[int, tuple[str, np.ndarray, str, Tokens]] = {}

    def add(self, key: int, source: str) -> None:
        self.students[key] = (source, *_document_hashes(source, self.boilerplate))

    def finish(self, order: list[int], reference: str, archive: list[tuple[str, str]]) -> dict:
        """compare_fingerprints of the students in `order`, the archive and the reference."""
        archive_sources = [_archive_source(source, kind) or "" for source, kind in archive]
        others = _all_hashes([*archive_sources, reference], self.boilerplate)
        students = [self.students[key] for key in order]
        documents = [source for source, *_ in students] + archive_sources + [reference]
        computed = [rest for _, *rest in students] + others  # per document: hashes, digest, tokens
        hashes = [h for h, _, _ in computed]
        common = np.array([], dtype=np.int64)
        if students:
            values, counts = np.unique(np.concatenate(hashes[:len(students)]), return_counts=True)
            common = values[counts > max(COMMON_MIN, COMMON_SHARE * len(students))]
        prints = Fingerprints(documents, [tokens for _, _, tokens in computed],
                              [np.setdiff1d(h, common, assume_unique=True) for h in hashes], [len(h) for h in hashes],
                              [digest for _, digest, _ in computed], len(students), self.boilerplate, common)
        return compare_fingerprints(prints, len(archive))


def dice_matrix(hashes: list[np.ndarray]) -> np.ndarray:
    """Every pair's Dice coefficient 2 |A & B| / (|A| + |B|) (0 when both are empty); float64 (n, n)."""
    n = len(hashes)
    sizes = np.array([len(h) for h in hashes], dtype=np.float64)
    shared = np.zeros((n, n), dtype=np.float64)
    if n and sizes.sum():
        values = np.concatenate(hashes)
        rows = np.repeat(np.arange(n), [len(h) for h in hashes])
        unique, columns, counts = np.unique(values, return_inverse=True, return_counts=True)
        keep = counts[columns] >= 2  # a fingerprint in one document is shared by no pair
        rows, columns = rows[keep], np.searchsorted(np.flatnonzero(counts >= 2), columns[keep])
        for start in range(0, int(columns.max(initial=-1)) + 1, COLUMN_BLOCK):
            in_block = (columns >= start) & (columns < start + COLUMN_BLOCK)
            block = np.zeros((n, COLUMN_BLOCK), dtype=np.float32)
            block[rows[in_block], columns[in_block] - start] = 1.0
            shared += block @ block.T
    total = sizes[:, None] + sizes[None, :]
    return np.divide(2 * shared, total, out=np.zeros_like(shared), where=total > 0)


def matching_regions(prints: Fingerprints, a: int, b: int, cache: dict) -> dict:
    """copydetect's compare_files on two documents, stub and common code removed: each side's
    matching regions (character [start, end) in its source) and the share of its code they cover.
    cache: document index -> its fingerprint without the stub and common code (filled here)."""
    from copydetect import compare_files

    for index in (a, b):
        if index not in cache:
            cache[index] = _fingerprint(prints.documents[index], prints.tokens[index],
                                        np.union1d(prints.boilerplate, prints.common))
    _, (share_a, share_b), (slices_a, slices_b) = compare_files(cache[a], cache[b])
    return {"a": a, "b": b, "share_a": float(share_a), "share_b": float(share_b),
            "regions_a": _regions(slices_a), "regions_b": _regions(slices_b)}


def _regions(slices: np.ndarray) -> list[list[int]]:
    if slices.size == 0:
        return []
    return [[int(start), int(end)] for start, end in zip(slices[0], slices[1], strict=True)]


def compare_documents(students: list[str], reference: str, stub: str, archive: list[tuple[str, str]] = ()) -> dict:
    """compare_fingerprints of these documents, all at once (archive: (source, kind) pairs)."""
    detector = StreamingDetector(stub)
    for key, source in enumerate(students):
        detector.add(key, source)
    return detector.finish(list(range(len(students))), reference, list(archive))


def compare_fingerprints(prints: Fingerprints, archived: int) -> dict:
    """Everything the report needs, as plain data (indices: students, then archive, then the reference).

    sizes: each document's fingerprints without the stub's; pair_scores: every pair of students
    (i < j, row by row); reference_scores and identical_to_reference per student;
    archive_best: per student, [archive index, score] of the closest earlier submission or None;
    regions: matching_regions of the pairs worth showing (see shown_pairs);
    archive_sources: the compared source of each archive document shown, by index.
    """
    scores = dice_matrix(prints.hashes)
    students = prints.students
    reference = students + archived
    upper = np.triu_indices(students, 1)
    archive_best = []
    for student in range(students):
        row = scores[student, students:reference]
        best = int(np.argmax(row)) if archived else -1
        archive_best.append([best, float(row[best])] if archived and row[best] > 0 else None)
    identical = [prints.own_sizes[s] > 0 and prints.normalized[s] == prints.normalized[reference]
                 for s in range(students)]
    shown = shown_pairs(scores, prints.own_sizes, students, archive_best, identical)
    cache: dict = {}
    regions = [matching_regions(prints, a, b, cache) for a, b in shown]
    return {
        "sizes": prints.own_sizes,
        "pair_scores": [round(float(value), 6) for value in scores[upper]],
        "reference_scores": [round(float(scores[s, reference]), 6) for s in range(students)],
        "identical_to_reference": identical,
        "archive_best": [None if best is None else [best[0], round(best[1], 6)] for best in archive_best],
        "regions": regions,
        "archive_sources": {str(b - students): prints.documents[b]
                            for _, b in shown if students <= b < reference},
    }


def shown_pairs(scores: np.ndarray, sizes: list[int], students: int, archive_best: list,
                identical: list[bool]) -> list[tuple[int, int]]:
    """The pairs the report shows side by side: flagged student pairs (at most MAX_SHOWN_PAIRS),
    the CONTEXT_PAIRS closest below the threshold, and each flagged reference and archive match."""
    compared = [s for s in range(students) if sizes[s] > 0]
    pairs = [(a, b) for index, a in enumerate(compared) for b in compared[index + 1:]]
    pair_scores = np.array([scores[a, b] for a, b in pairs])
    threshold = class_threshold(pair_scores, len(compared))
    ranked = sorted(range(len(pairs)), key=lambda k: (-pair_scores[k], pairs[k]))
    flagged = [pairs[k] for k in ranked if threshold.flags(pair_scores[k])][:MAX_SHOWN_PAIRS]
    context = [pairs[k] for k in ranked if not threshold.flags(pair_scores[k]) and pair_scores[k] > 0]
    reference = len(scores) - 1
    shown = flagged + context[:CONTEXT_PAIRS]
    shown += [(s, reference) for s in compared if identical[s] or threshold.flags(scores[s, reference])]
    shown += [(s, students + archive_best[s][0]) for s in compared
              if archive_best[s] is not None and threshold.flags(archive_best[s][1])]
    return shown
