"""``tf.math``: element-by-element math, reductions and comparisons, in
TensorFlow 2's spellings (most are at ``tf``'s top level too).

>>> import tinyflow.compat.v2 as tf
>>> float(tf.math.reduce_std([1.0, 3.0])), tf.math.equal([1, 2], [1, 3]).numpy().tolist()
(1.0, [True, False])
"""
from ... import ops as F
from .spelling import (_binary, _unary, argmax, argmin, reduce_logsumexp,  # noqa: F401
                       reduce_max, reduce_mean, reduce_min, reduce_std, reduce_sum,
                       reduce_variance, tensor_of)
from .array import cumsum, reduce_all, reduce_any  # noqa: F401
from .nn import l2_normalize  # noqa: F401

add, subtract, multiply = _binary(F.add), _binary(F.sub), _binary(F.mul)
divide = truediv = _binary(F.div)
pow, maximum, minimum = _binary(F.pow), _binary(F.maximum), _binary(F.minimum)  # noqa: A001
floordiv, floormod = _binary(F.floor_divide), _binary(F.remainder)
equal, not_equal = _binary(F.equal), _binary(F.not_equal)
less, less_equal = _binary(F.less), _binary(F.less_equal)
greater, greater_equal = _binary(F.greater), _binary(F.greater_equal)
logical_and, logical_or = _binary(F.logical_and), _binary(F.logical_or)
logical_not, is_finite = _unary(F.logical_not), _unary(F.isfinite)
exp, log, sqrt, rsqrt = _unary(F.exp), _unary(F.log), _unary(F.sqrt), _unary(F.rsqrt)
square, reciprocal, negative = _unary(F.square), _unary(F.reciprocal), _unary(F.neg)
abs, sign = _unary(F.abs), _unary(F.sign)  # noqa: A001
sin, cos, tanh, sigmoid = _unary(F.sin), _unary(F.cos), _unary(F.tanh), _unary(F.sigmoid)
softplus, log1p, erf = _unary(F.softplus), _unary(F.log1p), _unary(F.erf)
round, floor, ceil = _unary(F.round), _unary(F.floor), _unary(F.ceil)  # noqa: A001


def squared_difference(x, y, name=None):
    """(x - y) ** 2, element by element."""
    return F.square(_binary(F.sub)(x, y))


def top_k(input, k=1, sorted=True, name=None):
    """(the k largest values along the last axis, their int32 indices)."""
    values, indices = F.topk(tensor_of(input), k, -1, True, sorted)
    return values, F.cast(indices, "int32")


def in_top_k(targets, predictions, k, name=None):
    """Per row, whether the prediction at ``targets`` is among the ``k`` largest (ties
    at the boundary count as in, as TensorFlow's): fewer than k predictions exceed it.

    >>> import tinyflow.compat.v2 as tf
    >>> tf.math.in_top_k([1, 0], [[0.1, 0.9, 0.5], [0.1, 0.9, 0.5]], 2).numpy().tolist()
    [True, False]
    """
    p, t = tensor_of(predictions), tensor_of(targets)
    picked = F.take_along_axis(p, F.expand_dims(F.cast(t, "int64"), -1), -1)
    above = F.sum(F.cast(F.greater(p, picked), "int32"), -1)
    return F.less(above, int(k))
