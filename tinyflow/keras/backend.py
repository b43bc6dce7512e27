"""Keras's global switches: the default float type (``floatx``), the fuzz factor
``epsilon``, the image layout, and the counters that name layers ``dense``,
``dense_1``, ``dense_2``...

>>> from tinyflow import keras
>>> keras.backend.floatx()
'float32'
>>> keras.backend.set_floatx("float64"); keras.backend.floatx()
'float64'
>>> keras.backend.set_floatx("float32")
"""
import collections

import numpy as np

from ..base.names import to_snake_case  # noqa: F401  (keras.backend.to_snake_case)

_FLOATX = "float32"          # Keras's default, not tinyflow's: weights and data are float32
_EPSILON = 1e-7
_FLOAT_TYPES = ("float16", "float32", "float64")
_uids = collections.defaultdict(int)


def floatx():
    """The dtype new layers, weights and input data get, as a string ('float32')."""
    return _FLOATX


def set_floatx(value):
    """Set the default float type: 'float16', 'float32' or 'float64'. Layers made
    afterwards use it (set 'float64' where results are compared exactly)."""
    global _FLOATX
    if value not in _FLOAT_TYPES:
        raise ValueError(f"Unknown `floatx` value: {value}. Expected one of "
                         f"{set(_FLOAT_TYPES)}")
    _FLOATX = str(value)


def epsilon():
    """The small number losses clip probabilities with (1e-7)."""
    return _EPSILON


def set_epsilon(value):
    global _EPSILON
    _EPSILON = float(value)


def image_data_format():
    """Images are (batch, height, width, channels), Keras's default."""
    return "channels_last"


def unique_object_name(base):
    """'dense' the first time, then 'dense_1', 'dense_2'... (reset by clear_session)."""
    n = _uids[base]
    _uids[base] += 1
    return base if n == 0 else f"{base}_{n}"


def get_uid(prefix=""):
    """1, 2, 3... per prefix, as ``keras.backend.get_uid``."""
    _uids["uid:" + prefix] += 1
    return _uids["uid:" + prefix]


def clear_session():
    """Forget the name counters, so the next Dense is 'dense' again."""
    _uids.clear()


def get_value(x):
    """A variable's (or tensor's) value as a numpy array (a copy)."""
    return np.array(getattr(x, "array", x))


def set_value(x, value):
    """Write ``value`` into variable ``x`` in place (e.g. an optimizer's learning rate)."""
    np.copyto(x.array, np.asarray(value, dtype=x.array.dtype))


def int_shape(x):
    """The shape as a tuple of ints (None where unknown)."""
    return tuple(None if d is None else int(d) for d in x.shape)


def count_params(x):
    return int(np.prod(int_shape(x)))
