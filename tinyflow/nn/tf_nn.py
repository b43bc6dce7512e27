"""TensorFlow's ``tf.nn`` functions. They are built from the same primitives as
everything else, so they work eagerly too; in a graph each is a few nodes.

>>> import tinyflow.compat.v1 as tf
>>> y = tf.nn.relu(tf.constant([-3.0, 2.0]))
>>> tf.Session().run(y)
array([0., 2.], dtype=float32)
"""
from .. import ops as F
from ..eager.tensor import operand
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


def dropout(x, keep_prob=None, rate=None, seed=None, name=None):
    """Zero each element with probability ``rate`` (= 1 - keep_prob), scale the rest."""
    from ..graph.api import random_uniform
    if rate is None:
        rate = 1.0 - keep_prob
    x = operand(x)
    shape = tuple(x.shape)
    if None in shape:
        raise ValueError("dropout in a graph needs a fully known shape")
    keep = F.cast(F.greater_equal(random_uniform(shape, seed=seed, dtype=x.dtype), rate), x.dtype)
    return x * keep / (1.0 - rate)


def sparse_softmax_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Per-example -log softmax(logits)[label], for integer labels."""
    return _sparse_xent(labels, logits, "none")


def _sparse_xent(labels, logits, reduction):
    logits = operand(logits)
    labels = operand(labels)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"sparse_softmax_cross_entropy_with_logits: labels must be integer class "
                        f"indices, got dtype {labels.dtype}")
    if logits.ndim == 2:                 # one op: SparseSoftmaxCrossEntropyWithLogits
        return F.sparse_softmax_cross_entropy(logits, labels, reduction)
    if reduction == "mean":
        return F.mean(_sparse_xent(labels, logits, "none"))
    logp = F.log_softmax(logits, -1)
    picked = F.take_along_axis(logp, F.expand_dims(labels, -1), -1)
    return -F.squeeze(picked, -1)


def softmax_cross_entropy_with_logits(labels=None, logits=None, axis=-1, name=None):
    """Per-example -sum(labels * log softmax(logits)), for one-hot or soft labels."""
    return -F.sum(operand(labels) * F.log_softmax(operand(logits), axis), axis)


softmax_cross_entropy_with_logits_v2 = softmax_cross_entropy_with_logits


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """max(x, 0) - x * z + log(1 + exp(-|x|)) per element: stable for large |x|
    (PyTorch's ``binary_cross_entropy_with_logits`` without the mean)."""
    return binary_cross_entropy_with_logits(logits, labels, reduction="none")
