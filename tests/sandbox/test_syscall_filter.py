"""The system call filter refuses the same calls whether the zygote compiled it once or the child compiles it."""

import subprocess
import sys

import pytest

from autograder.sandbox import syscall_filter

PROBE = """
import errno, os, sys
from autograder.sandbox import isolation, syscall_filter
if sys.argv[1] == "compiled-once":
    syscall_filter.compile_once()
    assert syscall_filter._program is not None
isolation.forbid_new_privileges()
syscall_filter.install()
refused = []
try:
    isolation.unshare(isolation.CLONE_NEWNS)
except PermissionError:
    refused.append("unshare")
try:
    os.memfd_create("probe")
except PermissionError:
    refused.append("memfd_create")
pid = os.fork()  # a plain fork is allowed
if pid == 0:
    os._exit(0)
os.waitpid(pid, 0)
print(" ".join(refused))
"""


@pytest.mark.skipif(not syscall_filter.available(), reason="libseccomp is not installed")
@pytest.mark.parametrize("how", ["compiled-once", "compiled-by-the-child"])
def test_the_filter_refuses_namespaces_and_memfds_and_allows_fork(how):
    result = subprocess.run([sys.executable, "-c", PROBE, how], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["unshare", "memfd_create"]
