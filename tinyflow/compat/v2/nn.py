"""``tf.nn`` as TensorFlow 2 spells it: activations, losses per example,
``conv2d`` and pooling (NHWC, TensorFlow's SAME rule as in nn/tf_conv.py),
``embedding_lookup``, ``moments``, ``l2_normalize``, and ``compute_average_loss``
for custom training loops (single replica or under a distribution strategy).

>>> import tinyflow.compat.v2 as tf
>>> float(tf.nn.compute_average_loss([1.0, 2.0, 3.0, 4.0], global_batch_size=8))
1.25
"""
import numpy as np

from ... import ops as F
from ...base.errors import InvalidArgumentError
from ...distributed.mirrored import get_strategy
from ...nn import tf_nn as _nn
from ...nn.tf_conv import _extend, _pads, _spatial
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


# --- images (NHWC; SAME puts the odd padded pixel at the bottom/right, as in tf_conv) -----

def _image_args(x, ksize, strides, padding, data_format, fn, dilations=None):
    if data_format not in ("NHWC", None):
        raise NotImplementedError(f"tf.nn.{fn}: tinyflow's TF2 spelling supports "
                                  f"data_format='NHWC' only, got {data_format!r}")
    if padding not in ("SAME", "VALID"):
        raise InvalidArgumentError(f"tf.nn.{fn}: padding must be 'SAME' or 'VALID', got "
                                   f"{padding!r}")
    if x.ndim != 4:
        raise ValueError(f"tf.nn.{fn}: input must be 4-D (NHWC), got shape {tuple(x.shape)}")
    (kh, kw), (sh, sw), (dh, dw) = (_spatial(v, "NHWC", what, fn) for v, what in
                                    ((ksize, "ksize"), (strides, "strides"),
                                     (dilations, "dilations")))
    (ph, eh), (pw, ew) = (_pads(padding, x.shape[1], kh, sh, dh, fn),
                          _pads(padding, x.shape[2], kw, sw, dw, fn))
    return (kh, kw), (sh, sw), (dh, dw), (ph, pw), (eh, ew)


def conv2d(input, filters, strides, padding, data_format="NHWC", dilations=None, name=None):
    """2-D convolution (cross-correlation) of NHWC ``input`` with ``filters`` of shape
    (kh, kw, in_channels, out_channels); ``strides`` an int or 1, 2 or 4 ints.

    >>> import tinyflow.compat.v2 as tf
    >>> img, k = tf.ones([1, 3, 3, 1]), tf.ones([2, 2, 1, 1])
    >>> tf.nn.conv2d(img, k, 1, "SAME")[0, :, :, 0].numpy().tolist()
    [[4.0, 4.0, 2.0], [4.0, 4.0, 2.0], [2.0, 2.0, 1.0]]
    """
    x, w = tensor_of(input), tensor_of(filters)
    if w.ndim != 4 or w.shape[2] != x.shape[-1]:
        raise ValueError(f"tf.nn.conv2d: filters of shape {tuple(w.shape)} (kh, kw, in, out) "
                         f"do not fit input of shape {tuple(x.shape)} (NHWC)")
    _, s, d, p, extra = _image_args(x, w.shape[:2], strides, padding, data_format, "conv2d",
                                    dilations)
    dilated = {"dilation": d} if d != (1, 1) else {}
    return F.conv2d(_extend(x, extra, 0.0, "NHWC"), w, s, p, data_format="NHWC", **dilated)


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):
    """The largest value of each ``ksize`` window (padding never wins)."""
    x = tensor_of(input)
    k, s, _, p, extra = _image_args(x, ksize, strides, padding, data_format, "max_pool2d")
    return F.max_pool2d(_extend(x, extra, -np.inf, "NHWC"), k, s, p, data_format="NHWC")


def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):
    """The mean of each ``ksize`` window, over the real pixels only (with SAME)."""
    x = tensor_of(input)
    k, s, _, p, extra = _image_args(x, ksize, strides, padding, data_format, "avg_pool2d")
    if p == (0, 0) and extra == (0, 0):
        return F.avg_pool2d(x, k, s, data_format="NHWC")
    sums = F.avg_pool2d(_extend(x, extra, 0.0, "NHWC"), k, s, p, data_format="NHWC")
    counts = F.avg_pool2d(_extend(F.ones_like(x), extra, 0.0, "NHWC"), k, s, p,
                          data_format="NHWC")
    return sums / counts


max_pool, avg_pool = max_pool2d, avg_pool2d


def embedding_lookup(params, ids, max_norm=None, name=None):
    """The rows of ``params`` at ``ids`` (the result: ids' shape, then a row)."""
    if max_norm is not None:
        raise NotImplementedError("tf.nn.embedding_lookup: max_norm is not supported")
    return _nn.embedding_lookup(tensor_of(params), tensor_of(ids))


def moments(x, axes, shift=None, keepdims=False, name=None):
    """(mean, variance) of ``x`` over ``axes`` (the variance divides by the count)."""
    return _nn.moments(tensor_of(x), axes, keepdims=keepdims)


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """x / sqrt(max(sum(x ** 2, axis), epsilon)) along ``axis`` (all of x when None)."""
    return _nn.l2_normalize(tensor_of(x), axis, epsilon, dim=dim)
