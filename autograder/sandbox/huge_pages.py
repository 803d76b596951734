"""The zygote's memory in huge pages (Linux 6.1 and later), so that each fork and each child's end cost less.

    huge_pages.collapse_anonymous_memory()   # in the zygote, once everything is loaded, before the first fork

With numpy and torch loaded the zygote holds about 150 MB of anonymous memory (the C heap and
Python's objects): in 4 KiB pages, each fork copies some 37,000 page-table entries and each
child's end drops them again, a few milliseconds each way. Collapsed into 2 MiB pages
(`MADV_COLLAPSE`), a fork copies one entry per huge page; a child that writes to one gets a copy
of the 4 KiB page it wrote, as before. Where the kernel cannot collapse (older kernels, huge pages
turned off, memory too fragmented) nothing changes: this is only ever a saving.
"""

from __future__ import annotations

import ctypes
import re
import sys

MADV_COLLAPSE = 25
HUGE_PAGE = 2 * 1024 * 1024
_MAPPING = re.compile(r"([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ (\d+)\s*(.*)")


def anonymous_ranges(maps: str) -> list[tuple[int, int]]:
    """The whole huge pages inside each private, writable, anonymous mapping (and the heap) of a maps text."""
    ranges = []
    for line in maps.splitlines():
        found = _MAPPING.match(line)
        if found is None:
            continue
        start, end, permissions, inode, name = int(found[1], 16), int(found[2], 16), found[3], found[4], found[5]
        if permissions != "rw-p" or inode != "0" or name not in ("", "[heap]"):
            continue
        first, last = -(-start // HUGE_PAGE) * HUGE_PAGE, end // HUGE_PAGE * HUGE_PAGE
        if last > first:
            ranges.append((first, last - first))
    return ranges


def collapse_anonymous_memory() -> int:
    """Ask the kernel to back this process's anonymous memory with huge pages; the bytes it was asked about."""
    if sys.platform != "linux":
        return 0
    libc = ctypes.CDLL(None, use_errno=True)
    libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    try:
        with open("/proc/self/maps", encoding="ascii") as maps:
            ranges = anonymous_ranges(maps.read())
    except OSError:
        return 0
    for start, length in ranges:
        libc.madvise(start, length, MADV_COLLAPSE)  # fails (EINVAL, EAGAIN) where it cannot: nothing lost
    return sum(length for _, length in ranges)
