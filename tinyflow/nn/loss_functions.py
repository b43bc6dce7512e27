"""Loss functions, composed from tinyflow's ops (their gradients come from the registry).

Each takes ``reduction``: 'mean' (the default), 'sum' or 'none' (one loss per element).

>>> import tinyflow as tf
>>> from tinyflow.nn.functional import cross_entropy
>>> cross_entropy(tf.tensor([[1e4, 0.0]]), tf.tensor([1]))
tensor(10000.)
"""
import numpy as np

from .. import ops
from ..eager.tensor import Tensor, operand
from ..ops.primitive import is_symbolic, is_tensor

REDUCTIONS = ("mean", "sum", "none")


def check_reduction(reduction):
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be one of 'mean', 'sum' or 'none', got {reduction!r}")
    return reduction


def _reduce(loss, reduction):
    check_reduction(reduction)
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _target(name, target, x):
    """The target as a tensor of x's shape and dtype (floats; no silent broadcasting)."""
    t = target if is_tensor(target) else Tensor(np.asarray(target))
    if tuple(t.shape) != tuple(x.shape):
        raise ValueError(f"{name}: input shape {tuple(x.shape)} and target shape "
                         f"{tuple(t.shape)} differ; they must match exactly (reshape one, e.g. "
                         f"target.reshape({tuple(x.shape)}))")
    return t if t.dtype == x.dtype else ops.cast(t, x.dtype)


def mse_loss(input, target, reduction="mean"):
    """(input - target) ** 2

    >>> import tinyflow as tf
    >>> mse_loss(tf.tensor([1.0, 3.0]), tf.tensor([1.0, 1.0]))
    tensor(2.)
    """
    x = operand(input)
    d = x - _target("mse_loss", target, x)
    return _reduce(d * d, reduction)


def l1_loss(input, target, reduction="mean"):
    """|input - target|"""
    x = operand(input)
    return _reduce(ops.abs(x - _target("l1_loss", target, x)), reduction)


def binary_cross_entropy_with_logits(input, target, reduction="mean"):
    """-[y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))] for logits x, computed
    stably as max(x, 0) - x * y + log(1 + exp(-|x|)).

    >>> import tinyflow as tf
    >>> binary_cross_entropy_with_logits(tf.tensor([-1e4]), tf.tensor([0.0]))
    tensor(0.)
    """
    x = operand(input)
    y = _target("binary_cross_entropy_with_logits", target, x)
    # maximum (not relu): at x == 0 it sends half the gradient, which with the
    # (zero) gradient of |x| there gives the true slope sigmoid(0) - y.
    loss = ops.maximum(x, 0.0) - x * y + ops.softplus(-ops.abs(x))
    return _reduce(loss, reduction)


def _labels(name, x, target, check_range=True):
    """Integer class labels, checked against x (N, C, ...) -> shape (N, ...).
    (The fused cross-entropy op checks the range itself: check_range=False.)"""
    if is_symbolic(target):
        labels = target                  # symbolic (a graph): its values come at run time
    else:
        labels = target.data if isinstance(target, Tensor) else np.asarray(target)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"{name}: target must hold integer class labels (int64), got dtype "
                        f"{labels.dtype}; convert it with target.long() (class probabilities "
                        f"are not supported)")
    shape = tuple(x.shape)
    expected = shape[:1] + shape[2:]
    got = tuple(labels.shape)
    if len(shape) < 2 or got != expected and (len(got) != len(expected) or any(
            a is not None and b is not None and a != b for a, b in zip(got, expected))):
        raise ValueError(f"{name}: an input of shape {shape} (batch, classes, ...) needs a "
                         f"target of shape {expected}, got {got}")
    n_classes = shape[1]
    if check_range and isinstance(labels, np.ndarray) and labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        bad = labels.min() if labels.min() < 0 else labels.max()
        raise IndexError(f"{name}: target label {bad} is out of range for {n_classes} classes "
                         f"(expected 0 .. {n_classes - 1})")
    return labels


def _nll(name, logp, target, reduction):
    check_reduction(reduction)
    unbatched = logp.ndim == 1 and (target.ndim if hasattr(target, "ndim") else np.ndim(target)) == 0
    if unbatched:                        # one sample: (C,) and a single label
        logp = ops.expand_dims(logp, 0)
        target = ops.reshape(getattr(target, "data", target), (1,))
    labels = _labels(name, logp, target)
    picked = ops.take_along_axis(logp, ops.expand_dims(labels, 1), axis=1)
    loss = -ops.squeeze(picked, 1)
    return _reduce(ops.squeeze(loss, 0) if unbatched else loss, reduction)


def nll_loss(input, target, reduction="mean"):
    """-input[i, target[i]]: the negative log-likelihood of the right class,
    for ``input`` holding log-probabilities (N, C) and integer ``target`` (N,)."""
    return _nll("nll_loss", operand(input), target, reduction)


def cross_entropy(input, target, reduction="mean"):
    """-log softmax(input)[target] for logits ``input`` (N, C) or (N, C, d...)
    and integer class labels ``target`` (N,) or (N, d...).

    Uses log_softmax, so logits of 1e4 give exact losses, never inf or nan.
    """
    x = operand(input)
    if x.ndim == 2:          # (N, C): one fused op, as TensorFlow and PyTorch do
        check_reduction(reduction)
        labels = _labels("cross_entropy", x, target, check_range=False)
        return ops.sparse_softmax_cross_entropy(x, labels, reduction)
    return _nll("cross_entropy", ops.log_softmax(x, 0 if x.ndim == 1 else 1), target, reduction)
