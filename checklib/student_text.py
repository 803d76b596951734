"""Text that came from a student, shown only as data.

Whatever a student's code or upload says (an exception's message, a class name, a returned
string, a line of a notebook) may hold anything: lone surrogates that no file encoding
accepts, megabytes of text, newlines, or words that look like the grader's own ("Passed: all
30 required checks pass"). Such text is made valid (`readable`) where it is decoded, and it
appears in a message only through `quoted`: clipped, and inside quotes the student cannot
close (Python's repr escapes the quote character, newlines and invisible characters), so the
grader's words and the student's are never confused.

    readable("bad value \\ud800")   -> "bad value \\ufffd"
    quoted("bad value")             -> "'bad value'"
    quoted("x" * 10**6)             -> "'xxx...x'... (1000000 characters in all)"
"""

from __future__ import annotations

import re

MAX_QUOTED = 300  # characters of a student's text shown in one message
_SURROGATE = re.compile("[\ud800-\udfff]")  # in a Python str these are always lone: no encoder takes them


def readable(text: str) -> str:
    """text with every lone surrogate replaced by U+FFFD, so that it can be written as UTF-8."""
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


def clipped(text: str, limit: int) -> str:
    """text, cut to at most limit characters ("..." marks the cut)."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def quoted(text: str, limit: int = MAX_QUOTED) -> str:
    """The student's text in quotes, at most limit characters of it (and how long it was, if cut)."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}... ({len(text)} characters in all)"
