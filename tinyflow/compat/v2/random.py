"""``tf.random``: ``normal``, ``uniform``, ``truncated_normal``, ``shuffle``,
``set_seed`` -- eager tensors now, or (inside ``tf.function``) ops that draw
anew each time the graph runs. ``set_seed`` seeds tinyflow's one generator
(``tinyflow.manual_seed``), so weights, shuffles and samples repeat.

>>> import tinyflow.compat.v2 as tf
>>> tf.random.set_seed(0); a = tf.random.uniform([3], maxval=10, dtype=tf.int32)
>>> tf.random.set_seed(0); b = tf.random.uniform([3], maxval=10, dtype=tf.int32)
>>> a.dtype == tf.int32, a.numpy().tolist() == b.numpy().tolist()
(True, True)
"""
import numpy as np

from ... import ops as F
from ...base import rng
from ...base.rng import manual_seed as set_seed  # noqa: F401
from ...data.tf_data.dtypes import as_dtype
from ...graph import api as _graph
from ...tracing import bridge
from .spelling import executing_eagerly, tensor_of, _shape


def normal(shape, mean=0.0, stddev=1.0, dtype="float32", seed=None, name=None):
    return bridge.random_normal(_shape(shape), mean, stddev, as_dtype(dtype).dtype, seed)


def uniform(shape, minval=0, maxval=None, dtype="float32", seed=None, name=None):
    """Uniform in [minval, maxval): floats (maxval 1 by default), or integers, which
    need ``maxval``."""
    dtype = as_dtype(dtype)
    if dtype.is_floating:
        return bridge.random_uniform(_shape(shape), minval, 1.0 if maxval is None else maxval,
                                     dtype.dtype, seed)
    if maxval is None:
        raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
    u = bridge.random_uniform(_shape(shape), 0.0, 1.0, np.float64, seed)
    return F.cast(F.floor(u * float(maxval - minval)) + float(minval), dtype.dtype)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype="float32", seed=None, name=None):
    """Normal samples, those farther than two standard deviations drawn again."""
    dtype = as_dtype(dtype).dtype
    if not executing_eagerly():
        return _graph.truncated_normal(_shape(shape), mean, stddev, dtype, seed)
    g = rng.generator() if seed is None else np.random.default_rng(seed)
    z = g.standard_normal(_shape(shape))
    while (far := np.abs(z) > 2).any():
        z[far] = g.standard_normal(int(far.sum()))
    return tensor_of((z * stddev + mean).astype(dtype))


def shuffle(value, seed=None, name=None):
    """``value``'s rows (first dimension) in random order (eagerly)."""
    value = tensor_of(value)
    g = rng.generator() if seed is None else np.random.default_rng(seed)
    return value[tensor_of(g.permutation(value.shape[0]).astype(np.int64))]
