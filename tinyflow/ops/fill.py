"""Arrays whose sizes are tensors, known only when a graph runs: ``Fill``, one value
in a given shape (TensorFlow's ``tf.fill``; ``tf.zeros([batch, 4])`` as in
``cell.zero_state(tf.shape(x)[0], tf.float32)``), and ``Range``, the numbers
start, start + delta, ... below limit (``tf.range(tf.shape(x)[0])``).

>>> import numpy as np
>>> Fill.forward(np.array([2, 3]), np.float32(0.5)).shape
(2, 3)
>>> Range.forward(np.int32(1), np.int32(7), np.int32(2))
array([1, 3, 5], dtype=int32)
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


def _range(start, limit, delta):
    return np.arange(start, limit, delta, dtype=np.result_type(start, limit, delta))


Range = Primitive("Range", _range, lambda start, limit, delta: (None,),
                  dtype=lambda *dtypes: first_dtype(*dtypes), nondiff=True, family="shape",
                  doc="start, start + delta, ... up to (not including) limit")
