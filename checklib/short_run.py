"""Running a short command-line program (`make check`, `make submit`) without the costs it does not need.

Such a program imports NumPy, PyTorch and pytest, runs for a few seconds and ends: the
cyclic garbage collector's many passes over those modules' objects, and the interpreter's
teardown of them at exit, cost about a fifth of a `make check`.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from typing import NoReturn

# The first generation is collected after this many new objects, not 700: cycles are still
# collected, far less often, while the big libraries are imported.
FIRST_GENERATION_THRESHOLD = 100_000


def run_and_exit(main: Callable[[], int]) -> NoReturn:
    """Run main, then end the process at once with its exit status (output flushed first)."""
    gc.set_threshold(FIRST_GENERATION_THRESHOLD, *gc.get_threshold()[1:])
    try:
        status = main()
    except SystemExit as stop:  # argparse's --help, or a usage error it has already printed
        status = stop.code if isinstance(stop.code, int) else int(stop.code is not None)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
