"""`CallPlan`: the calls a class's checks make, in order, for each child to run ahead of them.

    plan = record_plan("hw3", reference_module, lambda hw: run_checks(checks, hw, reference))
    sandbox.open(source, filename, hide, plan=plan)

The checks are run once on the reference solution, in this process, through a subject that
notes every call's request exactly as `SandboxSubject` sends it (`call_request`). Most checks call the
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

import numpy as np

from autograder.sandbox.protocol import encode_request
from checklib.codec import Opaque, to_plain
from checklib.subject import InProcessSubject, Subject


def call_request(function: str, args: Sequence[Any], kwargs: dict[str, Any], torch: bool = False,
                 requires_grad: Sequence[int] = ()) -> bytes:
    """The request for a call of function, as the child gets it (and as a `CallPlan` holds it)."""
    plain_args, plain_kwargs = to_plain(list(args)), to_plain(kwargs)
    if _contains_opaque(plain_args) or _contains_opaque(plain_kwargs):
        raise TypeError(f"{function}: an argument cannot be sent to the sandbox (only plain values and arrays)")
    return encode_request({"op": "call", "function": function, "args": plain_args, "kwargs": plain_kwargs,
                           "read_only": _read_only(args) + _read_only(kwargs), "torch": torch,
                           "requires_grad": list(requires_grad)})


def _contains_opaque(value: Any) -> bool:
    if type(value) is Opaque:
        return True
    if type(value) in (list, tuple):
        return any(_contains_opaque(item) for item in value)
    if type(value) is dict:
        return any(_contains_opaque(item) for item in value.values())
    return False


def _read_only(values: Sequence[Any] | dict[str, Any]) -> list:
    items = values.items() if isinstance(values, dict) else enumerate(values)
    return [key for key, value in items if type(value) is np.ndarray and not value.flags.writeable]


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

    def __init__(self, assignment: str, module: ModuleType):
        super().__init__(assignment, module)
        self.requests: list[bytes] = []

    def call(self, function: str, *args: Any, **kwargs: Any) -> Any:
        self.requests.append(call_request(function, args, kwargs))
        return super().call(function, *args, **kwargs)

    def call_torch(self, function: str, *args: Any, requires_grad: Sequence[int] = ()) -> Any:
        self.requests.append(call_request(function, args, {}, torch=True, requires_grad=requires_grad))
        return super().call_torch(function, *args, requires_grad=requires_grad)


def record_plan(assignment: str, reference: ModuleType, run_checks: Callable[[Subject], object]) -> CallPlan:
    """The requests run_checks makes when the student's module is the reference (a student's identical call is
    the same bytes)."""
    subject = _RecordingSubject(assignment, reference)
    run_checks(subject)
    return CallPlan(tuple(subject.requests))
