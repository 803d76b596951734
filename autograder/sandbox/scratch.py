"""The sandbox's scratch folders in the system's temporary folder, and what killed runs left there.

    folder, lock = create()        # /tmp/autograder-sandbox-XXXX, locked while this process holds lock
    remove(folder, lock)           # when the sandbox closes
    remove_stale()                 # before a sandbox starts: folders and uid-block locks of dead runs

Each scratch folder holds a lock file that its sandbox keeps locked (flock) while it runs, so a
folder whose lock can be taken belongs to a run that was killed: `remove_stale` removes it, and
the uid-block lock files (`isolation.claim_uid_block`) nobody holds. Only the current user's
folders are touched, and never through a symbolic link.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path

PREFIX = "autograder-sandbox-"
LOCK_NAME = ".in-use"
UNMARKED_AGE = 600.0  # seconds after which a scratch folder without a lock file is taken as abandoned
FRESH_AGE = 5.0  # a folder changed this recently may be one being made now, not yet locked: left alone


def create() -> tuple[str, int]:
    """A fresh scratch folder, and the fd that keeps it marked as in use."""
    folder = tempfile.mkdtemp(prefix=PREFIX)
    os.chmod(folder, 0o711)  # children may pass through to their own folders, not list them
    lock = os.open(os.path.join(folder, LOCK_NAME), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    fcntl.flock(lock, fcntl.LOCK_EX)
    return folder, lock


def remove(folder: str, lock: int | None) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    if lock is not None:
        os.close(lock)


def remove_stale() -> None:
    """Remove the scratch folders and uid-block lock files that no running sandbox holds."""
    for path in Path(tempfile.gettempdir()).glob(PREFIX + "*"):
        with contextlib.suppress(OSError):
            _remove_if_stale(path)


def _remove_if_stale(path: Path) -> None:
    info = path.lstat()
    if info.st_uid != os.geteuid():
        return
    if time.time() - info.st_mtime < FRESH_AGE:
        return
    if stat.S_ISDIR(info.st_mode):
        try:
            lock = os.open(path / LOCK_NAME, os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
        except FileNotFoundError:  # killed before it was marked (or made by an older version)
            if time.time() - info.st_mtime > UNMARKED_AGE:
                shutil.rmtree(path, ignore_errors=True)
            return
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError: in use
            shutil.rmtree(path, ignore_errors=True)
        finally:
            os.close(lock)
    elif stat.S_ISREG(info.st_mode) and path.name.endswith(".lock"):
        lock = os.open(path, os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.fstat(lock).st_ino == path.stat().st_ino:  # still that file: nobody can hold it now
                path.unlink()
        finally:
            os.close(lock)
