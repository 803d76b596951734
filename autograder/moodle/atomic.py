"""Write output files atomically: readers see the old file or the new one, never half of one.

Usage: `write_bytes_atomic(out_dir / "grades.csv", data)`. The bytes go to a temporary file in
the same folder, are flushed to disk (fsync), then renamed over the target with `os.replace`,
which is atomic on POSIX and Windows. If anything fails, the temporary file is removed and the
old target is left untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

NEW_FILE_MODE = 0o644  # rw-r--r--: a new output file is readable by the TA's other tools


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically (temp file in the same folder, fsync, os.replace).

    An existing target keeps its permission bits; a new one gets NEW_FILE_MODE.
    Raises FileNotFoundError if the folder does not exist.
    """
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        raise FileNotFoundError(f"Cannot write {path}: the folder {folder} does not exist. Create it first.")
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = NEW_FILE_MODE
    descriptor, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as temp_file:
            temp_file.write(data)
            temp_file.flush()
            os.fsync(temp_file.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable where the OS allows opening a folder (POSIX)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
