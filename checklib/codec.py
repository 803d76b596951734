"""Plain values: what a student's function returned, as data that cannot run code.

Whatever a student's function returns is turned into a tree of plain values by
`to_plain` (in the process that ran the student's code), sent as bytes by `encode`, and
read back by `decode`, which accepts nothing but the types below and never unpickles.
Tests then see the same kinds of value whether the student's code ran in-process (a
student's `pytest`) or in the grader's sandbox:

- None, bool, int, float, complex, str, and tuple / list / dict (str keys) of these;
- `numpy.ndarray` (a plain ndarray of a bool or numeric dtype) and NumPy scalars;
- `TorchTensor`: a torch.Tensor's values and the facts a test may check about it;
- `Opaque`: anything else, as its type name and a short repr.

The bytes are a JSON skeleton, then, when there are arrays, a NUL byte (never in JSON text)
and the arrays' raw data one after the other: each array in the skeleton gives its dtype,
shape and where its data starts ("at"), and the arrays' data must follow each other in the
skeleton's order, tightly, to the last byte. Bytes without a NUL are a skeleton alone.

Whoever sent the bytes may be hostile (the student's code can write to the grader's channel),
so `decode` works within a budget: before building anything, a scan at C speed counts the
containers and items the skeleton could hold (MAX_DECODED_CONTAINERS, MAX_DECODED_ITEMS) and
refuses more with `TooMuchData`; a dtype is checked as text before NumPy reads it, and an
array's data must be exactly its shape's size; every string it returns is valid Unicode (see
`checklib.student_text.readable`). The size of the bytes is capped by whoever reads them.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from checklib.student_text import quoted, readable

# Numeric dtypes only: an object dtype could hold anything.
ALLOWED_DTYPE_KINDS = "biufc"
MAX_DEPTH = 8
MAX_ITEMS = 10_000
MAX_REPR = 200
_DTYPE_STR = re.compile(f"[<>|=][{ALLOWED_DTYPE_KINDS}][0-9]{{1,2}}")  # ndarray.dtype.str, as encode writes it: "<f8"
# What `decode` builds at most: many times what any check sends or gets back (a few arrays,
# numbers and tuples), and little memory (tens of MiB) even at the cap.
MAX_DECODED_CONTAINERS = 100_000  # lists and dicts (each tuple, array or tagged value is one or more)
MAX_DECODED_ITEMS = 1_000_000  # list items and dict entries, all containers together


@dataclass(frozen=True)
class TorchTensor:
    """A torch.Tensor seen as data: its values and how it was made."""

    value: np.ndarray
    dtype: str
    requires_grad: bool
    has_grad_fn: bool

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape


@dataclass(frozen=True)
class Opaque:
    """A value of a type tests do not accept, kept as its type name and a short repr."""

    type_name: str
    text: str


class CodecError(ValueError):
    """Bytes that are not a valid encoding of plain values."""


class TooMuchData(CodecError):
    """Bytes that would decode into more containers or items than decode's budget."""


def type_name(value: Any) -> str:
    kind = type(value)
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def _short_repr(value: Any) -> str:
    try:
        text = repr(value)
    except Exception as error:  # a student's __repr__ may raise anything
        text = f"<repr failed: {type(error).__name__}>"
    return text if len(text) <= MAX_REPR else text[: MAX_REPR - 3] + "..."


def _plain_array(value: np.ndarray) -> np.ndarray | Opaque:
    if value.dtype.kind not in ALLOWED_DTYPE_KINDS:
        return Opaque(f"ndarray of dtype {value.dtype}", _short_repr(value))
    return np.array(value, copy=True, order="C", subok=False)


def to_plain(value: Any, depth: int = 0) -> Any:
    """Turn any value into plain values (see the module docstring)."""
    if depth > MAX_DEPTH:
        return Opaque(type_name(value), "nested too deeply")
    if value is None or type(value) in (bool, int, float, complex, str):
        return value
    if type(value) is np.ndarray:
        return _plain_array(value)
    if isinstance(value, np.generic) and type(value).__module__ == "numpy":
        if value.dtype.kind in ALLOWED_DTYPE_KINDS:
            return value.dtype.type(value)
        return Opaque(type_name(value), _short_repr(value))
    if type(value) in (tuple, list):
        if len(value) > MAX_ITEMS:
            return Opaque(type_name(value), f"{len(value)} items")
        items = [to_plain(item, depth + 1) for item in value]
        return tuple(items) if type(value) is tuple else items
    if type(value) is dict and all(type(key) is str for key in value):
        return {key: to_plain(item, depth + 1) for key, item in value.items()}
    torch_tensor = _torch_to_plain(value)
    if torch_tensor is not None:
        return torch_tensor
    return Opaque(type_name(value), _short_repr(value))


def _torch_to_plain(value: Any) -> TorchTensor | Opaque | None:
    import sys

    torch = sys.modules.get("torch")  # never import torch just to look
    if torch is None or type(value) is not torch.Tensor:
        return None
    try:
        detached = value.detach().cpu()
        array = detached.numpy().copy() if detached.dtype != torch.bfloat16 else detached.float().numpy()
    except Exception:
        return Opaque("torch.Tensor", f"dtype {value.dtype}, not convertible to NumPy")
    dtype = str(value.dtype).removeprefix("torch.")
    return TorchTensor(array, dtype, bool(value.requires_grad), value.grad_fn is not None)


def same_array(first: np.ndarray, second: np.ndarray) -> bool:
    """np.array_equal(first, second, equal_nan=True), at the speed of a bytes comparison when the two
    have the same shape, dtype and bytes (the usual case: an argument the call left alone)."""
    if first.shape == second.shape and first.dtype == second.dtype and first.tobytes() == second.tobytes():
        return True
    return bool(np.array_equal(first, second, equal_nan=True))


# --- bytes -----------------------------------------------------------------------

ARRAYS_FOLLOW = b"\0"  # between the skeleton and the arrays' data (json.dumps escapes every control character)


class _ArrayData:
    """Where encode puts the arrays' raw data, in the order the skeleton names them."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.size = 0

    def add(self, array: np.ndarray) -> dict:
        data = np.ascontiguousarray(array).tobytes()
        spec = {"dtype": array.dtype.str, "shape": list(array.shape), "at": self.size}
        self.chunks.append(data)
        self.size += len(data)
        return spec


_JSON_LEAVES = frozenset({type(None), bool, int, str})  # plain values that are JSON values as they are


def _to_json(value: Any, arrays: _ArrayData) -> Any:
    kind = type(value)
    if kind in _JSON_LEAVES:
        return value
    if kind is float:
        return {"float": repr(value)} if not math.isfinite(value) else value
    if kind is tuple or kind is list:
        items = [item if type(item) in _JSON_LEAVES else _to_json(item, arrays) for item in value]
        return {"tuple": items} if kind is tuple else {"list": items}
    if kind is dict:
        return {"dict": {key: item if type(item) in _JSON_LEAVES else _to_json(item, arrays)
                         for key, item in value.items()}}
    if kind is np.ndarray:
        return {"ndarray": arrays.add(value)}
    if isinstance(value, np.generic):
        return {"scalar": arrays.add(np.asarray(value))}
    if kind is complex:
        return {"complex": [repr(value.real), repr(value.imag)]}
    if kind is TorchTensor:
        return {"torch": {"value": arrays.add(value.value), "dtype": value.dtype,
                          "requires_grad": value.requires_grad, "has_grad_fn": value.has_grad_fn}}
    if kind is Opaque:
        return {"opaque": [value.type_name, value.text]}
    raise TypeError(f"not a plain value: {type_name(value)} (call to_plain first)")


def encode(value: Any) -> bytes:
    """Bytes for a plain value (the output of `to_plain`)."""
    arrays = _ArrayData()
    skeleton = json.dumps(_to_json(value, arrays), separators=(",", ":"), allow_nan=False).encode("ascii")
    return b"".join((skeleton, ARRAYS_FOLLOW, *arrays.chunks)) if arrays.chunks else skeleton


class _ArrayReader:
    """The arrays' data of received bytes, read in the skeleton's order."""

    def __init__(self, data: memoryview):
        self.data = data
        self.read = 0  # bytes taken by the arrays decoded so far

    def take(self, spec: Any) -> np.ndarray:
        if type(spec) is not dict or len(spec) != 3 or not ("dtype" in spec and "shape" in spec and "at" in spec):
            raise CodecError("malformed array")
        dtype = _allowed_dtype(_expect(spec["dtype"], str))
        shape = _expect(spec["shape"], list)
        if len(shape) > 32 or not all(type(n) is int and n >= 0 for n in shape):
            raise CodecError("malformed array shape")
        if _expect(spec["at"], int) != self.read:
            raise CodecError("an array's data is not where the previous one's ends")
        size = dtype.itemsize * math.prod(shape)
        if size > len(self.data) - self.read:
            raise CodecError("array data does not match its shape")
        array = np.frombuffer(self.data[self.read:self.read + size], dtype=dtype).reshape(shape).copy()
        self.read += size
        return array

    def check_all_read(self) -> None:
        if self.read != len(self.data):
            raise CodecError(f"{len(self.data) - self.read} bytes after the last array's data")


def _expect(value: Any, kind: type) -> Any:
    if type(value) is not kind:
        raise CodecError(f"expected {kind.__name__}, got {type(value).__name__}")
    return value


def _float(text: Any) -> float:
    return float(_expect(text, str))


_DTYPES: dict[str, np.dtype] = {}  # the allowed dtype strings seen so far (at most a few hundred can match)


def _allowed_dtype(text: str) -> np.dtype:
    """The dtype for text, checked as text first, so NumPy never parses whatever came: only a plain bool
    or number dtype."""
    dtype = _DTYPES.get(text)
    if dtype is None:
        if not _DTYPE_STR.fullmatch(text):
            raise CodecError(f"array dtype {quoted(text, 40)} is not allowed")
        dtype = _DTYPES[text] = np.dtype(text)
    return dtype


_LEAVES = frozenset({type(None), bool, int, float})  # JSON values that are plain values as they are


def _from_json(node: Any, arrays: _ArrayReader, depth: int = 0) -> Any:
    kind = type(node)
    if kind in _LEAVES:
        return node
    if kind is str:
        return readable(node)
    if kind is not dict or len(node) != 1:
        raise CodecError("malformed value")
    (tag, body), = node.items()
    if tag == "tuple" or tag == "list":
        if _expect(body, list) and depth > MAX_DEPTH + 1:
            raise CodecError("nested too deeply")
        items = [item if type(item) in _LEAVES else _from_json(item, arrays, depth + 1) for item in body]
        return tuple(items) if tag == "tuple" else items
    if tag == "dict":
        if _expect(body, dict) and depth > MAX_DEPTH + 1:
            raise CodecError("nested too deeply")
        return {readable(_expect(key, str)): _from_json(item, arrays, depth + 1) for key, item in body.items()}
    if tag == "ndarray":
        return arrays.take(body)
    if tag == "float":
        return _float(body)
    if tag == "complex":
        real, imag = _expect(body, list)
        return complex(_float(real), _float(imag))
    if tag == "scalar":
        array = arrays.take(body)
        if array.shape != ():
            raise CodecError("a scalar must have shape ()")
        return array[()]
    if tag == "torch":
        spec = _expect(body, dict)
        return TorchTensor(arrays.take(spec.get("value")), readable(_expect(spec.get("dtype"), str)[:MAX_REPR]),
                           _expect(spec.get("requires_grad"), bool), _expect(spec.get("has_grad_fn"), bool))
    if tag == "opaque":
        name, text = _expect(body, list)
        return Opaque(readable(_expect(name, str)[:MAX_REPR]), readable(_expect(text, str)[:MAX_REPR]))
    raise CodecError(f"unknown tag {quoted(tag, 40)}")


def _check_budget(skeleton: bytes) -> None:
    """Raise TooMuchData when skeleton could decode into more than decode's budget.

    An upper bound, counted without parsing: every container opens with { or [ and every
    further item follows a comma (braces and commas inside strings only make it larger).
    """
    containers = skeleton.count(b"{") + skeleton.count(b"[")
    if containers > MAX_DECODED_CONTAINERS:
        raise TooMuchData(f"{containers} lists or dicts, more than the {MAX_DECODED_CONTAINERS} the grader reads")
    items = containers + skeleton.count(b",")
    if items > MAX_DECODED_ITEMS:
        raise TooMuchData(f"{items} values, more than the {MAX_DECODED_ITEMS} the grader reads")


def decode(data: bytes) -> Any:
    """Plain values from bytes made by `encode`; raises CodecError on anything else, and
    TooMuchData (before building anything) on more than the budget (module docstring)."""
    end = data.find(ARRAYS_FOLLOW)
    skeleton = data if end < 0 else data[:end]
    _check_budget(skeleton)
    arrays = _ArrayReader(memoryview(data)[len(data) if end < 0 else end + 1:])
    try:
        value = _from_json(json.loads(skeleton.decode("utf-8")), arrays)
    except CodecError:
        raise
    except (ValueError, TypeError, KeyError, RecursionError) as error:
        raise CodecError(f"not valid encoded data: {type(error).__name__}: {error}") from None
    arrays.check_all_read()
    return value


def round_trip(value: Any) -> Any:
    """What the grader would see of value: to_plain, encode, decode."""
    return decode(encode(to_plain(value)))
