"""The channel from the student process carries plain numeric data and nothing else."""
import numpy as np
import pytest

from autograder import codec


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


def test_ndarray_subclasses_arrive_as_plain_arrays():
    class Liar(np.ndarray):
        def __eq__(self, other):
            return np.ones(self.shape, bool)

    liar = np.zeros(3).view(Liar)
    back = roundtrip(liar)
    assert type(back) is np.ndarray and not np.array_equal(back, np.ones(3))


@pytest.mark.parametrize("bad", [
    {"$nd": "|O", "shape": [1], "b64": ""},                      # object dtype
    {"$nd": "<f8", "shape": [3], "b64": "AAAA"},                 # size does not match
    {"$nd": "<f8", "shape": [-1], "b64": ""},                    # negative dimension
    {"$np": "<U3", "b64": "AAAA"},                               # not numeric
    {"$what": 1},                                                # unknown form
    {"$int": "12; import os"},
])
def test_malformed_data_is_rejected(bad):
    with pytest.raises(codec.DecodeError):
        codec.decode(bad)
