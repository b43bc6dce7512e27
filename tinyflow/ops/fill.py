"""``Fill``: an array of one value, its shape given as a tensor (TensorFlow's
``tf.fill``; ``tf.zeros([batch, 4])`` when the batch size is only known when the
graph runs, as in ``cell.zero_state(tf.shape(x)[0], tf.float32)``).

>>> import numpy as np
>>> Fill.forward(np.array([2, 3]), np.float32(0.5)).shape
(2, 3)
"""
import numpy as np

from .primitive import Primitive, first_dtype
from .. import ops as F


def _fill(dims, value, shape=None):
    return np.full(tuple(int(d) for d in np.asarray(dims).reshape(-1)), value)


def _fill_rule(dims, value, shape=None):
    """The shape known while building: the ``shape`` hint (None for each size given
    as a tensor), else only the rank (the length of ``dims``)."""
    if shape is not None:
        return tuple(shape)
    if dims is None or len(dims) != 1 or dims[0] is None:
        return None
    return (None,) * dims[0]


def _dtype_rule(dims, value, **attrs):
    return first_dtype(value)


Fill = Primitive("Fill", _fill, _fill_rule, dtype=_dtype_rule, family="shape",
                 doc="an array of shape ``dims`` (a tensor) holding ``value`` everywhere")
# The value is spread everywhere: its gradient is the sum of the output's.
Fill.defvjp(None, lambda g, dims, value, out, shape=None: F.sum(g), reads=())
