"""Fixtures for the student-kit tests: a kit released from this repository, unpacked in a
temporary folder, and a throw-away copy of the instructor tree to plant problems in."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from autograder.release import build_release

from .helpers import REPO, copy_source_tree, fresh_environment, unpack


@pytest.fixture(scope="session")
def released_hw1_kit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    release = build_release(REPO, ["hw1"], tmp_path_factory.mktemp("dist"), verify=False)
    return unpack(release.path, tmp_path_factory.mktemp("unpacked"))


@pytest.fixture
def kit(released_hw1_kit: Path, tmp_path: Path) -> Path:
    """A fresh copy of the unpacked hw1 kit, for this test alone."""
    return Path(shutil.copytree(released_hw1_kit, tmp_path / released_hw1_kit.name))


@pytest.fixture
def source_tree(tmp_path: Path) -> Path:
    """A throw-away copy of the instructor tree a release is built from."""
    return copy_source_tree(tmp_path / "repo")


@pytest.fixture(scope="session")
def student_environment(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bin/ of a fresh environment with the kit's packages but not this repository's checklib."""
    return fresh_environment(tmp_path_factory.mktemp("env") / "venv")


@pytest.fixture(scope="session")
def environment_without_torch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bin/ of a fresh environment like student_environment, in which torch cannot be imported."""
    return fresh_environment(tmp_path_factory.mktemp("env") / "venv", blocked=["torch"])
