"""TensorFlow's ``tf.nn`` functions. They are built from the same primitives as
everything else, so they work eagerly too; in a graph each is a few nodes.

>>> import tinyflow.compat.v1 as tf
>>> y = tf.nn.relu(tf.constant([-3.0, 2.0]))
>>> tf.Session().run(y)
array([0., 2.], dtype=float32)
"""
import numpy as np

from .. import ops as F
from ..eager.tensor import operand
from ..ops.shape_rules import fmt
from .loss_functions import binary_cross_entropy_with_logits


def relu(features, name=None):
    return F.relu(operand(features))


def sigmoid(x, name=None):
    return F.sigmoid(operand(x))


def tanh(x, name=None):
    return F.tanh(operand(x))


def softplus(features, name=None):
    return F.softplus(operand(features))


def softmax(logits, axis=-1, name=None):
    return F.softmax(operand(logits), axis)


def log_softmax(logits, axis=-1, name=None):
    return F.log_softmax(operand(logits), axis)


def bias_add(value, bias, name=None):
    return F.bias_add(operand(value), bias)


def l2_loss(t, name=None):
    """sum(t ** 2) / 2"""
    t = operand(t)
    return F.sum(t * t) / 2


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """Zero each element with probability ``rate`` (= 1 - keep_prob, either may be a
    tensor), and scale the rest by 1 / keep_prob. The random numbers have the shape
    of ``x`` (or ``noise_shape``) when the graph runs, so a batch of any size works."""
    from ..graph.api import as_tensor, random_uniform
    from ..graph.tensor import SymbolicTensor
    from .tf_array import shape as dynamic_shape
    if rate is None and keep_prob is None:
        raise ValueError("dropout(): `rate` must be provided (or keep_prob). Received: rate=None")
    x = as_tensor(x)
    if rate is None:
        if not isinstance(keep_prob, SymbolicTensor):
            _check_rate(1.0 - float(keep_prob), "keep_prob", keep_prob)
            if float(keep_prob) == 1.0:
                return x
        rate = 1.0 - as_tensor(keep_prob, x.dtype) if isinstance(keep_prob, SymbolicTensor) \
            else np.asarray(1.0 - np.asarray(keep_prob, x.dtype), x.dtype)
    elif not isinstance(rate, SymbolicTensor):
        _check_rate(float(rate), "rate", rate)
        rate = np.asarray(rate, x.dtype)
    keep = 1 - rate
    if noise_shape is not None:
        noise = random_uniform(list(noise_shape), dtype=x.dtype, seed=seed)
    elif x._shape is not None and None not in x._shape:
        noise = random_uniform(x._shape, dtype=x.dtype, seed=seed)
    else:                         # the shape known only when the graph runs
        noise = _random_like(dynamic_shape(x), x, seed)
    kept = F.cast(F.greater_equal(noise, rate), x.dtype)
    out = x * (1 / keep) * kept
    out.set_shape(x.shape)        # x's shape, though a rate of unknown rank was fed
    return out


def _check_rate(rate, what, given):
    if not 0.0 <= rate < 1.0:
        raise ValueError(f"dropout(): `rate` must be a scalar tensor or a float in the range "
                         f"[0, 1). Received: {what}={given}")


def _random_like(shape_tensor, like, seed):
    """Uniform [0, 1) numbers of the shape ``shape_tensor`` has when the graph runs:
    the RandomUniform primitive given its shape as an input (as TensorFlow's op takes
    it) instead of as an attribute."""
    from ..graph.api import _seed
    from ..ops import state as S
    g = like.graph
    attrs = {"minval": 0.0, "maxval": 1.0, "dtype": np.dtype(like.dtype), "seed": _seed(seed)}
    return g.create_op(S.RandomUniform, (shape_tensor,), attrs, like._shape,
                       np.dtype(like.dtype), "random_uniform").outputs[0]


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """x / sqrt(max(sum(x ** 2, axis), epsilon)) along ``axis``."""
    x = operand(x)
    axis = dim if axis is None else axis
    square_sum = F.sum(x * x, axis, keepdims=True)
    return x * F.rsqrt(F.maximum(square_sum, np.asarray(epsilon, x.dtype)))


def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    """(mean, variance) of ``x`` over ``axes`` (the variance divides by the count)."""
    x = operand(x)
    keep = bool(keepdims if keepdims is not None else keep_dims)
    axes = tuple(axes)
    mean = F.mean(x, axes, keepdims=True)
    centered = x - F.stop_gradient(mean)
    variance = F.mean(centered * centered, axes, keepdims=True)
    if not keep:
        mean, variance = F.squeeze(mean, axes), F.squeeze(variance, axes)
    return mean, variance


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """(x - mean) / sqrt(variance + epsilon) * scale + offset (scale and offset optional),
    computed as TensorFlow does: x * inv + (offset - mean * inv), inv = scale * rsqrt(...)."""
    x = operand(x)
    inv = F.rsqrt(variance + np.asarray(variance_epsilon, x.dtype))
    if scale is not None:
        inv = inv * scale
    shifted = -mean * inv if offset is None else offset - mean * inv
    return x * inv + shifted


def embedding_lookup(params, ids, partition_strategy="mod", name=None, validate_indices=True,
                     max_norm=None):
    """The rows of ``params`` at ``ids`` (any shape of ids: the result is ids' shape
    followed by a row)."""
    if isinstance(params, (list, tuple)):
        if len(params) != 1:
            raise NotImplementedError("embedding_lookup: sharded params (a list of several "
                                      "tensors) are not supported; pass one tensor")
        params = params[0]
    return operand(params)[operand(ids)]


def sparse_softmax_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Per-example -log softmax(logits)[label], for integer labels."""
    return _sparse_xent(labels, logits, "none")


def _sparse_xent(labels, logits, reduction):
    logits = operand(logits)
    labels = operand(labels)
    if not hasattr(labels, "dtype"):         # a list, inside a graph
        labels = np.asarray(labels)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"sparse_softmax_cross_entropy_with_logits: labels must be integer class "
                        f"indices, got dtype {labels.dtype}")
    _same_rows(labels, logits)
    if logits.ndim == 2:                 # one op: SparseSoftmaxCrossEntropyWithLogits
        return F.sparse_softmax_cross_entropy(logits, labels, reduction)
    if reduction == "mean":
        return F.mean(_sparse_xent(labels, logits, "none"))
    logp = F.log_softmax(logits, -1)
    picked = F.take_along_axis(logp, F.expand_dims(labels, -1), -1)
    return -F.squeeze(picked, -1)


def _same_rows(labels, logits):
    """Labels must match the logits but for their last axis (TensorFlow's check), where
    the static shapes say so. (Sizes known only when the graph runs: the Session names
    the mismatch, graph/session.py.)"""
    ls, zs = tuple(labels.shape), tuple(logits.shape)
    if len(ls) != len(zs) - 1 or any(a is not None and b is not None and a != b
                                     for a, b in zip(ls, zs[:-1])):
        raise ValueError(f"`labels.shape` must equal `logits.shape` except for the last "
                         f"dimension. Received: labels.shape={fmt(ls)} and "
                         f"logits.shape={fmt(zs)}")


def softmax_cross_entropy_with_logits(labels=None, logits=None, axis=-1, name=None):
    """Per-example -sum(labels * log softmax(logits)), for one-hot or soft labels."""
    return -F.sum(operand(labels) * F.log_softmax(operand(logits), axis), axis)


softmax_cross_entropy_with_logits_v2 = softmax_cross_entropy_with_logits


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """max(x, 0) - x * z + log(1 + exp(-|x|)) per element: stable for large |x|
    (PyTorch's ``binary_cross_entropy_with_logits`` without the mean)."""
    return binary_cross_entropy_with_logits(logits, labels, reduction="none")
