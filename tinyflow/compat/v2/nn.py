"""``tf.nn`` as TensorFlow 2 spells it: activations, losses per example, and
``compute_average_loss`` for custom training loops (single replica or under a
distribution strategy).

>>> import tinyflow.compat.v2 as tf
>>> float(tf.nn.compute_average_loss([1.0, 2.0, 3.0, 4.0], global_batch_size=8))
1.25
"""
import numpy as np

from ... import ops as F
from ...base.errors import InvalidArgumentError
from ...distributed.mirrored import get_strategy
from ...nn import tf_nn as _nn
from ...ops.primitive import is_tensor
from ...tracing import bridge
from .spelling import _unary, clip_by_value, shape, tensor_of

relu, sigmoid, tanh, softplus = _unary(F.relu), _unary(F.sigmoid), _unary(F.tanh), \
    _unary(F.softplus)


def relu6(features, name=None):
    """min(max(x, 0), 6)"""
    return clip_by_value(features, 0, 6)


def elu(features, name=None):
    return F.elu(tensor_of(features))


def leaky_relu(features, alpha=0.2, name=None):
    """x where x > 0, else alpha * x (TensorFlow's default alpha is 0.2)."""
    x = tensor_of(features)
    return F.maximum(x, x * alpha)


def softmax(logits, axis=None, name=None):
    return F.softmax(tensor_of(logits), -1 if axis is None else axis)


def log_softmax(logits, axis=None, name=None):
    return F.log_softmax(tensor_of(logits), -1 if axis is None else axis)


def sparse_softmax_cross_entropy_with_logits(labels, logits, name=None):
    """Per example, -log softmax(logits)[label], for integer class labels."""
    return _nn.sparse_softmax_cross_entropy_with_logits(tensor_of(labels), tensor_of(logits))


def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    """Per example, -sum(labels * log softmax(logits)), for one-hot or soft labels."""
    return _nn.softmax_cross_entropy_with_logits(tensor_of(labels), tensor_of(logits), axis)


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    return _nn.sigmoid_cross_entropy_with_logits(tensor_of(labels), tensor_of(logits))


def l2_loss(t, name=None):
    """sum(t ** 2) / 2"""
    return _nn.l2_loss(tensor_of(t))


def bias_add(value, bias, data_format=None, name=None):
    return _nn.bias_add(tensor_of(value), tensor_of(bias))


def dropout(x, rate, noise_shape=None, seed=None, name=None):
    """Each element zeroed with probability ``rate``, the rest scaled by 1 / (1 - rate)."""
    x = tensor_of(x)
    if not 0 <= rate < 1:
        raise ValueError(f"rate must be a scalar tensor or a float in the range [0, 1), "
                         f"got {rate}")
    size = tuple(x.shape) if noise_shape is None else tuple(noise_shape)
    keep = F.greater_equal(bridge.random_uniform(size, 0.0, 1.0, np.dtype(x.dtype), seed), rate)
    return x * F.cast(keep, x.dtype) / (1.0 - rate)


def _replicas():
    strategy = get_strategy()
    return 1 if strategy is None else strategy.num_replicas_in_sync


def compute_average_loss(per_example_loss, sample_weight=None, global_batch_size=None,
                         name=None):
    """The sum of the per-example losses (times ``sample_weight``) divided by the
    *global* batch size: per replica, a replica's share of the batch mean, so that
    summing the replicas' gradients gives the gradient of the mean. Without
    ``global_batch_size``, it is this batch's size times the replicas in sync; a
    global batch size of 0 gives 0."""
    loss = tensor_of(per_example_loss)
    if loss.ndim == 0:
        raise ValueError(f"Invalid value passed for `per_example_loss`. Expected a tensor with "
                         f"at least rank 1. Received per_example_loss={per_example_loss} with "
                         f"rank 0")
    dtype = loss.dtype
    if sample_weight is not None:
        loss = F.cast(loss * tensor_of(sample_weight), dtype)
    total = F.sum(loss)
    if global_batch_size is None:
        rows = loss.shape[0]
        global_batch_size = rows * _replicas() if rows is not None else \
            F.cast(shape(loss)[0], dtype) * float(_replicas())
    elif is_tensor(global_batch_size) or isinstance(global_batch_size, (int, np.integer)) and \
            not isinstance(global_batch_size, bool):
        if is_tensor(global_batch_size) and np.dtype(global_batch_size.dtype).kind not in "iu":
            raise TypeError(f"global_batch_size must be an integer. Found: tensor of dtype "
                            f"{np.dtype(global_batch_size.dtype).name}")
        if not is_tensor(global_batch_size) and global_batch_size < 0:
            raise InvalidArgumentError(f"global_batch_size must be non-negative. "
                                       f"(compute_average_loss: got {global_batch_size})")
    else:
        raise TypeError(f"global_batch_size must be an integer. Found: {global_batch_size!r} of "
                        f"type {type(global_batch_size).__name__}")
    if is_tensor(global_batch_size):
        n = F.cast(global_batch_size, dtype)
        return F.where(F.equal(n, 0), F.zeros_like(total), total / F.maximum(n, 1))
    return total / float(global_batch_size) if global_batch_size else F.zeros_like(total)


def scale_regularization_loss(regularization_loss, name=None):
    """The regularization loss divided by the replicas in sync (so the replicas' sum is it)."""
    return F.sum(tensor_of(regularization_loss)) / float(_replicas())
