"""`make check` and `make submit` end at once, with their exit status and all their output."""

from __future__ import annotations

import subprocess
import sys

import pytest


def run(body: str) -> subprocess.CompletedProcess:
    program = f"from checklib.short_run import run_and_exit\n{body}"
    return subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=False)


@pytest.mark.parametrize("status", [0, 1, 2])
def test_exit_status_is_mains(status):
    result = run(f"run_and_exit(lambda: print('the summary', end='') or {status})")
    assert (result.returncode, result.stdout) == (status, "the summary")


def test_output_is_flushed_even_when_buffered():
    result = run("import sys\ndef main():\n    sys.stdout.write('x' * 100)\n    sys.stderr.write('e')\n    return 0\n"
                 "run_and_exit(main)")
    assert (result.stdout, result.stderr) == ("x" * 100, "e")


@pytest.mark.parametrize(("code", "status"), [(None, 0), (2, 2), ("usage", 1)])
def test_system_exit_keeps_its_status(code, status):
    result = run(f"def main():\n    raise SystemExit({code!r})\nrun_and_exit(main)")
    assert result.returncode == status
