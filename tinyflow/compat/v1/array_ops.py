"""TensorFlow 1's array functions, ``tf.reshape`` ... ``tf.one_hot``: names over
tinyflow's ops and the compositions of ``nn/tf_array.py``, with TF1's arguments
(``perm``, ``squeeze_dims``, ``dim``) and Python values converted by TF's rules.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> parts = tf.unstack(tf.constant([[1, 2], [3, 4]]), axis=1)
>>> tf.Session().run(parts)
[array([1, 3], dtype=int32), array([2, 4], dtype=int32)]
"""
from ... import ops as _F
from ...graph.api import as_tensor, name_op
from ...graph.graph import building
from ...nn import tf_array as _A
from .spelling import many


def _named(out, name):
    return name_op(out, name)


def shape(input, name=None, out_type="int32"):
    """The shape of ``input`` when the graph runs, as a 1-D int32 tensor."""
    from ...graph.feeds import as_dtype
    with building():
        return _A.shape(input, name, as_dtype(out_type).dtype)


def size(input, name=None, out_type="int32"):
    """The number of elements of ``input`` when the graph runs."""
    from ...nn.tf_array import reduce_prod
    with building():
        return _named(reduce_prod(shape(input, out_type=out_type)), name or "Size")


def rank(input, name=None):
    """The number of dimensions (a constant: graphs know every tensor's rank)."""
    from ...graph.api import constant
    t = as_tensor(input)
    return constant(t.ndim, name=name or "Rank")


def reshape(tensor, shape, name=None):
    with building():
        return _named(_A.reshape(tensor, shape), name)


def transpose(a, perm=None, name="transpose", conjugate=False):
    with building():
        return _named(_F.transpose(as_tensor(a), perm), name)


def expand_dims(input, axis=None, name=None, dim=None):
    with building():
        return _named(_F.expand_dims(as_tensor(input), dim if axis is None else axis), name)


def squeeze(input, axis=None, name=None, squeeze_dims=None):
    with building():
        return _named(_F.squeeze(as_tensor(input), squeeze_dims if axis is None else axis), name)


def unstack(value, num=None, axis=0, name="unstack"):
    with building():
        return _A.unstack(value, num, axis, name)


def gather(params, indices, validate_indices=None, name=None, axis=0):
    """Rows (or slices along ``axis``) of ``params`` picked by integer ``indices``."""
    p, i = as_tensor(params), as_tensor(indices)
    with building():
        return _named(p[(slice(None),) * (axis % p.ndim) + (i,)], name)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    with building():
        return _named(_A.one_hot(indices, depth, on_value, off_value, axis, dtype), name)


def add_n(inputs, name=None):
    with building():
        return _named(_A.add_n(inputs), name)


concat, stack = many(_F.concat), many(_F.stack)
