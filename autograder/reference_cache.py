"""The reference solution, computed once per distinct input for a whole class.

Hidden checks call the reference with the same inputs for every student, so a grading run
memoizes its results: keyed by the function and its arguments' exact bytes, answered with
a fresh copy each time so no check can change what another one sees. Calls with anything
but arrays, numbers, strings and None (torch tensors, callables) are never cached.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np

from checklib.data import fresh_copy

_UNCACHEABLE = object()


def _fingerprint(value: Any, digest: Any) -> bool:
    """Feed value into digest; False when it is not plain enough to cache on."""
    if value is None or type(value) in (bool, int, float, complex, str):
        digest.update(f"{type(value).__name__}:{value!r};".encode())
        return True
    if type(value) is np.ndarray and value.dtype.kind in "biufc":
        digest.update(f"nd:{value.dtype.str}:{value.shape}:{value.flags.writeable};".encode())
        digest.update(np.ascontiguousarray(value).tobytes())
        return True
    if isinstance(value, np.generic) and value.dtype.kind in "biufc":
        digest.update(f"np:{value.dtype.str}:{value!r};".encode())
        return True
    if type(value) in (tuple, list):
        digest.update(f"{type(value).__name__}[{len(value)}];".encode())
        return all(_fingerprint(item, digest) for item in value)
    return False


class CachedReference:
    """Wraps the reference module: same functions, results memoized per exact input."""

    def __init__(self, module: ModuleType):
        self._module = module
        self._results: dict[tuple[str, bytes], Any] = {}
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._module, name)
        return self._cached(name, attribute) if callable(attribute) else attribute

    def _cached(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            digest = hashlib.blake2b()
            if not _fingerprint((args, sorted(kwargs.items())), digest):
                return function(*args, **kwargs)
            key = (name, digest.digest())
            with self._lock:
                cached = self._results.get(key, _UNCACHEABLE)
            if cached is _UNCACHEABLE:
                cached = function(*args, **kwargs)
                with self._lock:
                    self._results[key] = cached
            return fresh_copy(cached)

        return call
