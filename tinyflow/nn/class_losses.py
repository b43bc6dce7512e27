"""The class losses: ``nll_loss`` and ``cross_entropy``, with PyTorch's class
``weight``, ``ignore_index``, ``label_smoothing`` and class-probability targets.

With per-sample loss l_i = -w[y_i] * logp[i, y_i] (0 where y_i == ignore_index),
'mean' is sum(l_i) / sum(w[y_i]) over the samples not ignored -- a weighted mean,
as in PyTorch (with no weight, the plain mean over the samples kept).

>>> import tinyflow as tf
>>> logits = tf.tensor([[2.0, 0.0], [0.0, 2.0]])
>>> round(cross_entropy(logits, tf.tensor([0, -100])).item(), 4)    # the second is ignored
0.1269
"""
import numpy as np

from .. import ops
from ..base.args import operand_arg
from ..base.errors import ShapeError
from ..eager.tensor import Tensor
from ..ops.primitive import is_symbolic
from . import checks
from .loss_functions import as_tensor, check_reduction


_LABEL_DTYPES = (np.dtype(np.int64), np.dtype(np.uint8))    # PyTorch's Long and Byte


def _labels(name, x, target, ignore_index=None, check_range=True):
    """Integer class labels, checked against x (N, C, ...) -> shape (N, ...), and
    against the number of classes (an IndexError naming the loss and the label)."""
    if is_symbolic(target):
        labels = target                  # symbolic (a graph): its values come at run time
    else:
        labels = target.array if isinstance(target, Tensor) else \
            np.asarray(operand_arg(name, "target", target))
    if labels.dtype.kind not in "iu" or (isinstance(target, Tensor)
                                         and labels.dtype not in _LABEL_DTYPES):
        raise RuntimeError(f"{name}: target must hold integer class labels (int64), got dtype "
                        f"{labels.dtype}; convert it with target.long() (or give class "
                        f"probabilities of the input's shape {tuple(x.shape)}) (expected "
                        f"target dtype to be Long or Byte)")
    shape = tuple(x.shape)
    expected = shape[:1] + shape[2:]
    got = tuple(labels.shape)
    if len(shape) < 2 or got != expected and (len(got) != len(expected) or any(
            a is not None and b is not None and a != b for a, b in zip(got, expected))):
        # PyTorch: a ValueError for a batch size that differs, a RuntimeError for a target
        # with a dimension too many ("multi-target not supported")
        same_batch = len(shape) >= 2 and got[:1] == expected[:1]
        raise (ShapeError if same_batch else ValueError)(
            f"{name}: an input of shape {shape} (batch, classes, ...) needs a target of shape "
            f"{expected}, got {got}")
    n_classes = shape[1]
    if check_range and isinstance(labels, np.ndarray) and labels.size:
        kept = labels if ignore_index is None else labels[labels != ignore_index]
        low, high = (kept.min(), kept.max()) if kept.size else (0, 0)
        if low < 0 or high >= n_classes:
            bad = low if low < 0 else high
            ignored = "" if ignore_index is None else f", or ignore_index={ignore_index}"
            raise IndexError(f"{name}: target label {bad} is out of range for {n_classes} "
                             f"classes (expected 0 .. {n_classes - 1}{ignored})")
    return labels


def _class_weight(name, weight, x):
    """The per-class weight as a constant tensor of x's dtype (PyTorch gives it no gradient)."""
    if weight is None:
        return None
    w = as_tensor(weight)
    n_classes = x.shape[1] if x.ndim > 1 else x.shape[0]
    if tuple(w.shape) != (n_classes,):
        raise RuntimeError(f"{name}: weight tensor should be defined either for all "
                           f"{n_classes} classes or no classes but got weight tensor of shape: "
                           f"{list(w.shape)}")
    return Tensor(np.asarray(w.array, dtype=x.dtype)) if isinstance(w, Tensor) else ops.cast(w, x.dtype)


def _batched(logp, target):
    """One unbatched sample -- (C,) and a single label -- as a batch of one."""
    t_ndim = target.ndim if hasattr(target, "ndim") else np.ndim(target)
    if logp.ndim == 1 and t_ndim == 0:
        return ops.expand_dims(logp, 0), ops.reshape(getattr(target, "array", target), (1,)), True
    return logp, target, False


def _picked(name, logp, target, weight, ignore_index):
    """(per-sample -w[y] * logp[y], 0 where ignored; per-sample w[y], 0 where ignored)."""
    labels = _labels(name, logp, target, ignore_index)
    keep = ops.not_equal(labels, ignore_index)
    safe = ops.where(keep, labels, 0)               # ignored labels pick class 0, weighed 0
    picked = ops.squeeze(ops.take_along_axis(logp, ops.expand_dims(safe, 1), axis=1), 1)
    w = ops.cast(keep, logp.dtype)
    if weight is not None:
        w = w * ops.getitem(weight, safe)
    return -picked * w, w


def _nll(name, logp, target, weight, ignore_index, reduction):
    check_reduction(reduction, fn=name)
    logp, target, unbatched = _batched(logp, target)
    weight = _class_weight(name, weight, logp)
    loss, w = _picked(name, logp, target, weight, ignore_index)
    if reduction == "mean":
        return loss.sum() / w.sum()
    if reduction == "sum":
        return loss.sum()
    return ops.squeeze(loss, 0) if unbatched else loss


def nll_loss(input, target, weight=None, ignore_index=-100, reduction="mean"):
    """-input[i, target[i]] * weight[target[i]]: the negative log-likelihood of the
    right class, for ``input`` holding log-probabilities (N, C) or (N, C, d...) and
    integer ``target`` (N,) or (N, d...). Samples labelled ``ignore_index`` count for
    nothing; 'mean' divides by the total weight of the others.

    >>> import tinyflow as tf
    >>> nll_loss(tf.tensor([[-1.0, -2.0], [-3.0, -4.0]]), tf.tensor([1, 0]), weight=tf.tensor([1.0, 3.0]))
    tensor(2.2500)
    """
    x = checks.tensor("nll_loss", "input", input)
    return _nll("nll_loss", checks.floating("nll_loss", "input", x), target, weight,
                ignore_index, reduction)


def _probability_targets(x, target, weight, reduction, label_smoothing):
    """-sum_c w_c * t_c * log_softmax(x)_c, targets (optionally smoothed) of x's shape;
    'mean' divides by the number of samples (PyTorch: numel / classes)."""
    t = as_tensor(target, "cross_entropy")
    if tuple(t.shape) != tuple(x.shape):
        raise RuntimeError(f"cross_entropy: class-probability targets must have the input's "
                           f"shape {tuple(x.shape)}, got {tuple(t.shape)} (or give integer "
                           f"class labels of shape {tuple(x.shape[:1] + x.shape[2:])})")
    dtype = np.result_type(x.dtype, t.dtype)
    x, t = ops.cast(x, dtype) if x.dtype != dtype else x, ops.cast(t, dtype) if t.dtype != dtype else t
    class_dim = 0 if x.ndim == 1 else 1
    n_classes = x.shape[class_dim]
    if label_smoothing > 0:
        t = t * (1 - label_smoothing) + label_smoothing / n_classes
    terms = ops.log_softmax(x, class_dim) * t
    w = _class_weight("cross_entropy", weight, x)
    if w is not None:
        terms = terms * ops.reshape(w, (-1,) + (1,) * (x.ndim - 2)) if x.ndim > 1 else terms * w
    if reduction == "mean":
        return -terms.sum() / (int(np.prod(x.shape)) // n_classes)
    if reduction == "sum":
        return -terms.sum()
    return -ops.sum(terms, class_dim)


def _fused(x, target, ignore_index):
    """Can the fused op take this call: (N, C) logits, no ignored label present?"""
    if x.ndim != 2:
        return False
    if is_symbolic(target):
        return False
    labels = target.array if isinstance(target, Tensor) else np.asarray(target)
    if ignore_index < 0 and (labels.size == 0 or labels.min() >= 0):
        return True                # the usual -100: only a negative label can be it
    return not (labels == ignore_index).any()


def cross_entropy(input, target, weight=None, ignore_index=-100, reduction="mean",
                  label_smoothing=0.0):
    """-log softmax(input)[target] for logits ``input`` (N, C) or (N, C, d...) and
    integer class labels ``target`` (N,) or (N, d...) -- or class probabilities of
    the input's shape. ``weight``, ``ignore_index`` as in ``nll_loss``;
    ``label_smoothing`` mixes the target with the uniform distribution.

    Uses log_softmax, so logits of 1e4 give exact losses, never inf or nan.

    >>> import tinyflow as tf
    >>> cross_entropy(tf.tensor([[0.0, 0.0]]), tf.tensor([[0.5, 0.5]]))
    tensor(0.6931)
    """
    check_reduction(reduction, fn="cross_entropy")
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"cross_entropy: label_smoothing must be between 0.0 and 1.0. Got: "
                           f"{label_smoothing}")
    x = checks.floating("cross_entropy", "input", checks.tensor("cross_entropy", "input", input),
                        "log_softmax")
    if x.ndim == 0:
        raise ShapeError("cross_entropy(): argument 'input' must have a class dimension: (C,), "
                         "(N, C) or (N, C, d...) logits, got a 0-d tensor")
    if isinstance(target, Tensor):          # the array's numpy dtype: the quick question
        t_dtype, t_ndim = target.array.dtype, target.array.ndim
    else:
        t_dtype = target.dtype if hasattr(target, "dtype") else \
            np.asarray(operand_arg("cross_entropy", "target", target)).dtype
        t_ndim = target.ndim if hasattr(target, "ndim") else np.ndim(target)
    if np.dtype(t_dtype).kind == "f" and t_ndim == x.ndim:    # class probabilities
        return _probability_targets(x, target, weight, reduction, label_smoothing)
    if weight is None and label_smoothing == 0 and _fused(x, target, ignore_index):
        # (N, C) and nothing to ignore: one fused op, as TensorFlow and PyTorch do
        labels = _labels("cross_entropy", x, target)
        return ops.sparse_softmax_cross_entropy(x, labels, reduction)
    logp = ops.log_softmax(x, 0 if x.ndim == 1 else 1)
    nll = _nll("cross_entropy", logp, target, weight, ignore_index, reduction)
    if label_smoothing == 0:
        return nll
    return (1 - label_smoothing) * nll + label_smoothing * _smooth_term(
        logp, target, weight, ignore_index, reduction)


def _smooth_term(logp, target, weight, ignore_index, reduction):
    """PyTorch's smoothing term: -sum_c w_c logp_c per sample (0 where ignored),
    reduced like the NLL (the mean over the kept samples' weights), divided by C."""
    logp, target, unbatched = _batched(logp, target)
    labels = _labels("cross_entropy", logp, target, ignore_index)
    n_classes = logp.shape[1]
    w = _class_weight("cross_entropy", weight, logp)
    per_class = logp if w is None else logp * ops.reshape(w, (-1,) + (1,) * (logp.ndim - 2))
    keep = ops.not_equal(labels, ignore_index)
    smooth = ops.where(keep, -ops.sum(per_class, 1), 0.0)
    if reduction == "mean":
        kept = ops.cast(keep, logp.dtype)
        if w is not None:
            kept = kept * ops.getitem(w, ops.where(keep, labels, 0))
        return smooth.sum() / kept.sum() / n_classes
    if reduction == "sum":
        return smooth.sum() / n_classes
    smooth = smooth / n_classes
    return ops.squeeze(smooth, 0) if unbatched else smooth
