"""Self-tests of `checklib.codec`: what a student's return value looks like to a check.

The grader decodes bytes written by the student's process, so decode must give back
exactly the plain values that went in, and refuse anything else without running code.
"""

import json

import numpy as np
import pytest
import torch

from checklib.codec import (
    MAX_DECODED_CONTAINERS,
    MAX_DECODED_ITEMS,
    CodecError,
    Opaque,
    TooMuchData,
    TorchTensor,
    decode,
    encode,
    round_trip,
    same_array,
    to_plain,
)


def _same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if type(a) is np.ndarray:
        return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
    if isinstance(a, np.generic):
        return a.dtype == b.dtype and (a == b or (np.isnan(a) and np.isnan(b)))
    if type(a) in (tuple, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if type(a) is dict:
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if type(a) is float and np.isnan(a):
        return np.isnan(b)
    return a == b


PLAIN_VALUES = [
    None, True, 3, 2.5, float("inf"), float("nan"), -0.0, 1 + 2j, "text",
    np.float64(0.1), np.float32(0.1), np.int64(-7), np.bool_(True),
    np.arange(6, dtype=np.float64).reshape(2, 3), np.arange(4, dtype=np.float32), np.array(2.5),
    np.array([True, False]), np.zeros((0, 3)), np.array([1, 2], dtype=np.int32), np.array([np.nan, np.inf]),
    (np.ones(2), 1.5, [3, None]), {"w": np.ones(2), "b": 0.5},
]


@pytest.mark.parametrize("value", PLAIN_VALUES, ids=repr)
def test_plain_values_survive_the_round_trip(value):
    assert _same(round_trip(value), value)


def test_tuple_and_list_stay_distinct():
    assert type(round_trip((1, 2))) is tuple
    assert type(round_trip([1, 2])) is list


def test_torch_tensor_becomes_torch_tensor_data():
    weights = torch.ones(2, 3, dtype=torch.float64, requires_grad=True)
    loss = (weights * 2).sum()
    value = round_trip(loss)
    assert type(value) is TorchTensor
    assert value.shape == () and value.value == 12.0
    assert value.dtype == "float64" and value.requires_grad and value.has_grad_fn
    leaf = round_trip(weights.detach())
    assert leaf.shape == (2, 3) and not leaf.requires_grad and not leaf.has_grad_fn


def test_object_arrays_and_unknown_types_become_opaque():
    assert type(round_trip(np.array([1, "a"], dtype=object))) is Opaque
    opaque = round_trip(lambda x: x)
    assert type(opaque) is Opaque and opaque.type_name == "function"


def test_subclasses_and_too_deep_nesting_become_opaque():
    class Sneaky(float):
        def __eq__(self, other):
            return True

    assert type(to_plain(Sneaky(1.0))) is Opaque
    nested = [1]
    for _ in range(20):
        nested = [nested]
    assert "Opaque" in repr(to_plain(nested))


def _with_arrays(skeleton: object, data: bytes) -> bytes:
    """Bytes as encode lays them out: the JSON skeleton, a NUL, the arrays' raw data."""
    return json.dumps(skeleton).encode() + b"\0" + data


def _array(dtype: str = "<f8", shape: object = (2,), at: object = 0) -> dict:
    return {"ndarray": {"dtype": dtype, "shape": list(shape) if isinstance(shape, tuple) else shape, "at": at}}


def test_arrays_travel_as_raw_bytes_after_the_skeleton():
    data = encode(to_plain((np.arange(3.0), np.int32(7))))
    skeleton, raw = data.split(b"\0", 1)
    assert raw == np.arange(3.0).tobytes() + np.int32(7).tobytes()
    assert b"AAAA" not in skeleton and json.loads(skeleton)["tuple"][1]["scalar"]["at"] == 24


def test_decoded_arrays_are_writeable_copies():
    array = decode(encode(np.arange(3.0)))
    array[0] = 5.0
    assert array.flags.owndata and array.flags.c_contiguous


@pytest.mark.parametrize("dtype", ["|O", "<U3", "|V8", "<M8[s]", "f8", "<f8 ", "<f8\n", "d", "<i8,<i8", 8, None])
def test_decode_checks_the_dtype_as_text_before_numpy_reads_it(dtype):
    with pytest.raises(CodecError):
        decode(_with_arrays(_array(dtype=dtype, shape=[1]), b"\0" * 8))


@pytest.mark.parametrize(("skeleton", "data"), [
    (_array(at=8), b"\0" * 16),  # a gap before the array's data
    (_array(at=-8), b"\0" * 16),
    (_array(at="0"), b"\0" * 16),
    (_array(at=1.0), b"\0" * 16),
    ({"tuple": [_array(at=0), _array(at=0)]}, b"\0" * 16),  # two arrays on the same bytes
    ({"tuple": [_array(at=0), _array(at=8)]}, b"\0" * 32),  # overlapping
    ({"tuple": [_array(at=16), _array(at=0)]}, b"\0" * 32),  # out of order
    (_array(), b"\0" * 8),  # data shorter than the shape
    (_array(), b"\0" * 24),  # bytes after the last array
    (_array(shape=[2**40, 2**40]), b"\0" * 16),  # far beyond the bytes that came
    (_array(shape=[-2]), b"\0" * 16),
    (_array(shape=[1] * 33), b"\0" * 8),
    (_array(shape=[2.0]), b"\0" * 16),
    (_array(shape="2"), b"\0" * 16),
    ({"ndarray": {"dtype": "<f8", "shape": [2], "at": 0, "extra": 1}}, b"\0" * 16),
    ({"ndarray": {"dtype": "<f8", "shape": [2]}}, b"\0" * 16),
    ({"ndarray": {"dtype": "<f8", "shape": [2], "data": "AAAAAAAAAAAAAAAAAAAAAA=="}}, b""),  # the old base64 form
    ({"scalar": {"dtype": "<f8", "shape": [2], "at": 0}}, b"\0" * 16),
    ({"torch": {"value": {"dtype": "<f8", "shape": [2], "at": 0}, "dtype": "float64", "requires_grad": False,
                "has_grad_fn": False}}, b"\0" * 8),
    (None, b"\0" * 8),  # data no array claims
    ({"float": "1.5"}, b"\0"),
], ids=lambda value: repr(value)[:60])
def test_decode_rejects_array_data_that_does_not_match_the_skeleton(skeleton, data):
    with pytest.raises(CodecError):
        decode(_with_arrays(skeleton, data))


def test_decode_reads_arrays_of_any_byte_values_and_empty_arrays():
    raw = bytes(range(256)) * 8  # braces, commas, NULs: none of it counts against the budget or splits the frame
    value = decode(_with_arrays({"tuple": [_array(dtype="|u1", shape=[2048]), _array(shape=[0, 3], at=2048)]}, raw))
    assert value[0].tobytes() == raw and value[1].shape == (0, 3)


def test_the_budget_counts_the_skeleton_not_the_arrays_data():
    many = encode(np.frombuffer(b"{[," * 400_000, dtype=np.uint8))  # more braces than the budget, as data
    assert decode(many).size == 1_200_000
    over = json.dumps({"list": [{"list": []}] * MAX_DECODED_CONTAINERS}).encode() + b"\0"
    with pytest.raises(TooMuchData):
        decode(over)


def test_encode_refuses_values_that_are_not_plain():
    with pytest.raises(TypeError, match="to_plain"):
        encode(object())


def test_decode_refuses_more_containers_than_its_budget_before_building_any():
    many_dicts = b"[" + b"{}," * MAX_DECODED_CONTAINERS + b"{}]"  # json.loads would build them all
    with pytest.raises(TooMuchData, match=f"more than the {MAX_DECODED_CONTAINERS}"):
        decode(many_dicts)
    many_numbers = encode([0.5] * (MAX_DECODED_ITEMS // 10_000 + 1) * 10_000)
    with pytest.raises(TooMuchData, match=f"more than the {MAX_DECODED_ITEMS}"):
        decode(many_numbers)
    assert round_trip([[0.5] * 10_000] * 10) == [[0.5] * 10_000] * 10  # well within the budget


def test_every_decoded_string_is_valid_unicode():
    value = decode(encode({"key \ud800": ("bad value \udcff", Opaque("Type\ud800", "text\udfff"))}))
    assert value == {"key \ufffd": ("bad value \ufffd", Opaque("Type\ufffd", "text\ufffd"))}


@pytest.mark.parametrize(("first", "second"), [
    (np.array([0.0, np.nan]), np.array([0.0, np.nan])),
    (np.array([0.0, 1.0]), np.array([-0.0, 1.0])),  # other bytes, equal values
    (np.array([np.nan]), np.array([-np.nan])),
    (np.array([1.0, 2.0]), np.array([1.0, 2.5])),
    (np.array([1.0, 2.0]), np.array([1, 2])),  # other dtype, equal values
    (np.zeros((2, 3)), np.zeros((3, 2))),
    (np.zeros(3, dtype=np.int64), np.zeros(3, dtype=np.int64)),
    (np.asfortranarray(np.arange(6.0).reshape(2, 3)), np.arange(6.0).reshape(2, 3)),
], ids=repr)
def test_same_array_is_array_equal_with_nan_equal_to_nan(first, second):
    assert same_array(first, second) == bool(np.array_equal(first, second, equal_nan=True))
