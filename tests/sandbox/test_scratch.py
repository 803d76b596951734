"""What killed runs leave in the temporary folder is removed by the next sandbox; what a running one holds is not."""

import fcntl
import os
import shutil
import tempfile
import time
from pathlib import Path

from autograder.sandbox import scratch


def test_stale_scratch_folders_and_lock_files_are_removed_and_those_in_use_kept():
    stale_folder = Path(tempfile.mkdtemp(prefix=scratch.PREFIX))
    (stale_folder / scratch.LOCK_NAME).touch()
    (stale_folder / "child-1").mkdir()
    stale_lock = Path(tempfile.gettempdir()) / f"{scratch.PREFIX}uids-test-{os.getpid()}.lock"
    stale_lock.touch()
    in_use, lock = scratch.create()
    a_minute_ago = time.time() - 60
    for path in (stale_folder, stale_lock, in_use):  # none is one being made right now
        os.utime(path, (a_minute_ago, a_minute_ago))
    try:
        scratch.remove_stale()
        assert not stale_folder.exists() and not stale_lock.exists()
        assert Path(in_use).is_dir()
    finally:
        scratch.remove(in_use, lock)
        shutil.rmtree(stale_folder, ignore_errors=True)
        stale_lock.unlink(missing_ok=True)
    assert not Path(in_use).exists()


def test_a_lock_file_someone_holds_is_kept():
    held = Path(tempfile.gettempdir()) / f"{scratch.PREFIX}uids-held-{os.getpid()}.lock"
    fd = os.open(held, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.utime(held, (time.time() - 60, time.time() - 60))
        scratch.remove_stale()
        assert held.exists()
    finally:
        os.close(fd)
        held.unlink(missing_ok=True)
