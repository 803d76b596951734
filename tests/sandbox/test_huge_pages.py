"""What of the zygote's memory is offered for huge pages: whole 2 MiB pages of its private anonymous memory."""

from autograder.sandbox.huge_pages import HUGE_PAGE, anonymous_ranges

MAPS = """\
55a0f602d000-55a0fb42d000 rw-p 00000000 00:00 0                          [heap]
7f0e0332a000-7f0e05600000 rw-p 00000000 00:00 0
7f0e05b15000-7f0e05b16000 rw-p 00000000 00:00 0
7f0e1a9e5000-7f0e1ac85000 r--p 145e4000 fe:00 5833521                    /venv/torch/lib/libtorch_cpu.so
7f0e1ac85000-7f0e1ad09000 rw-p 14884000 fe:00 5833521                    /venv/torch/lib/libtorch_cpu.so
7f0e1c4d8000-7f0e1c54d000 rw-s 00000000 00:01 1234                       /dev/zero (deleted)
7f0e1c600000-7f0e1cc00000 r--p 00000000 00:00 0
7fff3b630000-7fff3b851000 rw-p 00000000 00:00 0                          [stack]
"""


def test_only_whole_huge_pages_of_private_writable_anonymous_memory_and_the_heap_are_offered():
    ranges = anonymous_ranges(MAPS)
    assert ranges == [(0x55A0F6200000, 0x5200000), (0x7F0E03400000, 0x2200000)]
    assert all(start % HUGE_PAGE == 0 and length % HUGE_PAGE == 0 for start, length in ranges)
