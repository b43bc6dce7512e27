"""Names that mean one thing eagerly and another while a graph is being built:
``Variable``, ``constant`` and ``random_normal`` follow TF2 outside a graph (an
eager tensor now) and TF1 inside one (a graph node).

>>> import tinyflow as tf
>>> v = tf.Variable([1.0, 2.0], name="v")
>>> v.requires_grad, v.name
(True, 'v')
>>> g = tf.Graph()
>>> with g.as_default():
...     w = tf.Variable([1.0, 2.0], name="w")
>>> w
<tf.Variable 'w:0' shape=(2,) dtype=float32_ref>
"""
import numpy as np

from ..base import rng
from ..eager.tensor import Tensor
from ..graph import api as _gapi, variables as _gvars
from ..ops.primitive import interpreters, is_symbolic


def in_graph(*values):
    return interpreters.building is not None or any(
        is_symbolic(v) for v in values)


def Variable(initial_value, trainable=True, name=None, dtype=None, **kwargs):
    """A trainable value: an eager tensor that requires grad, or (inside a graph)
    a graph variable that lives in the session."""
    if in_graph(initial_value):
        return _gvars.Variable(initial_value, trainable=trainable, name=name, dtype=dtype, **kwargs)
    if callable(initial_value):
        initial_value = initial_value()
    t = Tensor(initial_value, dtype=dtype)
    if trainable and t.dtype.kind == "f":
        t.requires_grad_()
    if name:
        t.name = name
    return t


def constant(value, dtype=None, shape=None, name=None):
    """A constant: an eager tensor, or (inside a graph) a Const node."""
    if in_graph(value):
        return _gapi.constant(value, dtype=dtype, shape=shape, name=name or "Const")
    t = Tensor(value, dtype=dtype)
    if shape is not None:
        t = Tensor._wrap(np.broadcast_to(t.array, tuple(shape)).copy())
    return t


def random_normal(shape, mean=0.0, stddev=1.0, dtype=np.float32, seed=None, name=None):
    """Normal samples: an eager tensor now, or (in a graph) an op drawing anew at every run."""
    if in_graph():
        return _gapi.random_normal(shape, mean, stddev, dtype, seed, name or "random_normal")
    g = rng.generator() if seed is None else np.random.default_rng(seed)
    return Tensor._wrap((g.standard_normal(tuple(shape)) * stddev + mean).astype(dtype))


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=np.float32, seed=None, name=None):
    if in_graph():
        return _gapi.random_uniform(shape, minval, maxval, dtype, seed, name or "random_uniform")
    g = rng.generator() if seed is None else np.random.default_rng(seed)
    return Tensor._wrap(g.uniform(minval, maxval, tuple(shape)).astype(dtype))
