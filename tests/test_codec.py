"""The channel from the student process carries plain numeric data and nothing else."""
import numpy as np
import pytest

from autograder.sandbox import codec


def roundtrip(value):
    return codec.decode(codec.loads(codec.dumps(codec.encode(value))))


def test_arrays_scalars_and_containers_survive_with_their_types():
    value = (np.arange(6.0).reshape(2, 3), np.array(2.5), np.float64(1.5), 3, 2.0, [1, (2, None)], True)
    back = roundtrip(value)
    assert isinstance(back, tuple) and len(back) == 7
    np.testing.assert_array_equal(back[0], value[0])
    assert back[1].shape == () and back[1] == 2.5
    assert type(back[2]) is np.float64 and type(back[3]) is int and type(back[4]) is float
    assert back[5] == [1, (2, None)] and back[6] is True


def test_non_finite_floats_and_big_ints():
    back = roundtrip([float("nan"), float("inf"), 2**70])
    assert np.isnan(back[0]) and back[1] == float("inf") and back[2] == 2**70


def test_objects_cross_only_as_their_type_name():
    class AlwaysEqual:
        def __eq__(self, other):
            return True

    back = roundtrip(AlwaysEqual())
    assert isinstance(back, codec.Opaque) and back.type_name == "AlwaysEqual"
    assert back != codec.Opaque("ndarray")


def test_a_random_generator_crosses_as_its_state():
    rng = np.random.default_rng(11)
    rng.random(3)
    back = roundtrip(rng)
    assert isinstance(back, np.random.Generator) and back is not rng
    assert np.array_equal(back.standard_normal(4), rng.standard_normal(4))
    assert isinstance(roundtrip(np.random.Generator(np.random.MT19937(1))), codec.Opaque)   # state not plain JSON
    with pytest.raises(codec.DecodeError):
        codec.decode({"$rng": ["PCG64", '{"bit_generator": "MT19937"}']})


def test_ndarray_subclasses_arrive_as_plain_arrays():
    class Liar(np.ndarray):
        def __eq__(self, other):
            return np.ones(self.shape, bool)

    liar = np.zeros(3).view(Liar)
    back = roundtrip(liar)
    assert type(back) is np.ndarray and not np.array_equal(back, np.ones(3))


@pytest.mark.parametrize("bad", [
    {"$nd": "|O", "shape": [1], "data": b"\0" * 8},             # object dtype
    {"$nd": "<f8", "shape": [3], "data": b"\0" * 16},           # size does not match
    {"$nd": "<f8", "shape": [-1], "data": b""},                  # negative dimension
    {"$nd": "<f8", "shape": [1], "data": "AAAAAAAAAAA="},        # text where the array's bytes belong
    {"$np": "<U3", "data": b"\0" * 12},                         # not numeric
    {"$what": 1},                                                # unknown form
    {"$int": "12; import os"},
])
def test_malformed_data_is_rejected(bad):
    with pytest.raises(codec.DecodeError):
        codec.decode(bad)


def test_array_bytes_travel_beside_the_text_and_forged_references_are_rejected():
    x = np.arange(1000.0)
    wire = codec.dumps({"op": "result", "value": codec.encode(x)})
    assert len(wire) < x.nbytes + 200          # the numbers themselves, not a text spelling of them
    np.testing.assert_array_equal(codec.decode(codec.loads(wire)["value"]), x)
    text = b'{"value":{"$nd":"<f8","shape":[1],"data":{"$bytes":[0,%d]}}}'
    for stop, extra in ((9, b"\0" * 8), (8, b"")):            # past the message's end; no bytes at all
        with pytest.raises(codec.DecodeError):
            message = codec.loads(len(text % stop).to_bytes(4, "big") + text % stop + extra)
            codec.decode(message["value"])
    with pytest.raises(codec.DecodeError):                   # a reference that is not exactly [start, stop]
        codec.loads(b"\0\0\0\x12" + b'{"$bytes":[0,0,1]}')
    deep = b"[" * 200_000 + b"]" * 200_000                   # deeper than the parser goes
    with pytest.raises(codec.DecodeError):
        codec.loads(len(deep).to_bytes(4, "big") + deep)
    # one array's bytes named 9,000 times: the bytes decoded count against one budget per message
    text = b'{"value":[' + b",".join([b'{"$nd":"<f8","shape":[1000],"data":{"$bytes":[0,8000]}}'] * 9000) + b"]}"
    message = codec.loads(len(text).to_bytes(4, "big") + text + bytes(8000))
    with pytest.raises(codec.DecodeError, match="too large"):
        codec.decode(message["value"])
