"""`CallPlan`: the calls a class's checks make, in order, for each child to run ahead of them.

    plan = record_plan("hw3", reference_module, lambda hw: run_checks(checks, hw, reference),
                       SandboxSubject.encode_call)
    sandbox.open(source, filename, hide, plan=plan)

The checks are run once on the reference solution, in this process, through a subject that
notes every call's request exactly as `SandboxSubject` would send it. Most checks call the
student's functions with inputs of their own, so a student's checks make the same requests in
the same order: the child gets the whole plan with one message, right after importing the file,
and answers each request in turn without waiting to be asked. A check still makes its calls as
before and decides on the replies, which its `SandboxSubject` takes from the plan's when the
request is the same (byte for byte) and sends on its own otherwise (an input built from the
student's own results, or a check that stopped at its first failure).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from autograder.sandbox.protocol import encode_request
from checklib.subject import InProcessSubject, Subject


@dataclass(frozen=True)
class CallPlan:
    """The requests, and where each occurs."""

    requests: tuple[bytes, ...]  # encoded call requests (`protocol.encode_request`), in the checks' order
    _positions: dict[bytes, list[int]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        positions: dict[bytes, list[int]] = {}
        for index, request in enumerate(self.requests):
            positions.setdefault(request, []).append(index)
        object.__setattr__(self, "_positions", positions)

    def __len__(self) -> int:
        return len(self.requests)

    def find(self, request: bytes, start: int) -> int | None:
        """The first position from start on that holds request; None if none does."""
        positions = self._positions.get(request, ())
        found = bisect.bisect_left(positions, start)
        return positions[found] if found < len(positions) else None

    def batch(self, start: int) -> bytes:
        """The message that has a child run the requests from start on."""
        return encode_request({"op": "plan", "requests": list(self.requests[start:])})


class _RecordingSubject(InProcessSubject):
    """The reference, run in this process, noting each call's request."""

    def __init__(self, assignment: str, module: ModuleType, encode: Callable[..., bytes]):
        super().__init__(assignment, module)
        self.requests: list[bytes] = []
        self._encode = encode

    def call(self, function: str, *args: Any, **kwargs: Any) -> Any:
        self.requests.append(self._encode(function, args, kwargs))
        return super().call(function, *args, **kwargs)

    def call_torch(self, function: str, *args: Any, requires_grad: Sequence[int] = ()) -> Any:
        self.requests.append(self._encode(function, args, {}, torch=True, requires_grad=requires_grad))
        return super().call_torch(function, *args, requires_grad=requires_grad)


def record_plan(assignment: str, reference: ModuleType, run_checks: Callable[[Subject], object],
                encode: Callable[..., bytes]) -> CallPlan:
    """The requests run_checks makes when the student's module is the reference, encoded by encode
    (`SandboxSubject.encode_call`, so that a student's identical call is the same bytes)."""
    subject = _RecordingSubject(assignment, reference, encode)
    run_checks(subject)
    return CallPlan(tuple(subject.requests))
