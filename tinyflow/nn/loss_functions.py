"""Loss functions, composed from tinyflow's ops (their gradients come from the registry).

Each takes ``reduction``: 'mean' (the default), 'sum' or 'none' (one loss per element).
Regression losses broadcast a target of another shape, with PyTorch's UserWarning;
the binary cross-entropies require the input's shape (ValueError), as PyTorch does.
The class losses (``nll_loss``, ``cross_entropy``) are in class_losses.py.

>>> import tinyflow as tf
>>> from tinyflow.nn.functional import cross_entropy
>>> cross_entropy(tf.tensor([[1e4, 0.0]]), tf.tensor([1]))
tensor(10000.)
"""
import warnings

import numpy as np

from .. import ops
from ..base.args import operand_arg
from ..base.errors import ShapeError
from ..eager.tensor import Tensor
from ..ops.primitive import is_symbolic, is_tensor
from . import checks

REDUCTIONS = ("mean", "sum", "none")


def check_reduction(reduction, allowed=REDUCTIONS, fn=None):
    """``reduction`` if it is one of ``allowed``; a ValueError naming ``fn`` otherwise."""
    if reduction not in allowed:
        names = ", ".join(repr(r) for r in allowed[:-1]) + f" or {allowed[-1]!r}"
        raise ValueError(f"{fn + ': ' if fn else ''}{reduction!r} is not a valid value for "
                         f"reduction: reduction must be one of {names}, got {reduction!r}")
    return reduction


def reduce(loss, reduction):
    check_reduction(reduction)
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def as_tensor(value, fn="loss", name="target"):
    """A target (or weight) as a tensor; None, a string, a dict or a set is a TypeError
    naming the loss and the argument (PyTorch: an AttributeError, "'str' object has no
    attribute 'size'", which says less)."""
    return value if is_tensor(value) else Tensor(np.asarray(operand_arg(fn, name, value)))


def _not_both_integers(name, x, t, error=NotImplementedError):
    """PyTorch's regression losses have no kernel for an integer input with an integer
    target (NotImplementedError; l1_loss fails in its mean, a RuntimeError)."""
    if x.dtype.kind in "iub" and t.dtype.kind in "iub":
        raise error(f"{name}(): argument 'input' and argument 'target' are both integer "
                    f"tensors ({x.dtype} and {t.dtype}); \"{name}\" is not implemented for "
                    f"integers: convert the input with .float()")


def _known(shape):
    return shape is not None and None not in shape


def _float_pair(x, t):
    """x and t in one floating dtype, promoted as PyTorch does (float32 with float64 is
    float64; an integer target takes the input's float dtype)."""
    floats = [d for d in (x.dtype, t.dtype) if d.kind == "f"]     # integers never promote a float
    dtype = np.result_type(*floats) if floats else np.dtype(np.float32)
    return (x if x.dtype == dtype else ops.cast(x, dtype)), (t if t.dtype == dtype else ops.cast(t, dtype))


def _broadcast_target(name, x, target):
    """A regression target: another shape broadcasts, with PyTorch's warning."""
    t = as_tensor(target, name)
    xs, ts = tuple(x.shape), tuple(t.shape)
    if xs != ts and _known(xs) and _known(ts):
        warnings.warn(f"{name}: Using a target size {ts} that is different to the input size "
                      f"{xs}. This will likely lead to incorrect results due to broadcasting. "
                      f"Please ensure they have the same size.", UserWarning, stacklevel=3)
        try:
            np.broadcast_shapes(xs, ts)
        except ValueError:
            bad = next(i for i in range(1, min(len(xs), len(ts)) + 1)
                       if xs[-i] != ts[-i] and 1 not in (xs[-i], ts[-i]))
            raise RuntimeError(f"{name}: the size of input ({xs[-bad]}) must match the size of "
                               f"target ({ts[-bad]}) at non-singleton dimension "
                               f"{max(len(xs), len(ts)) - bad}: input shape {xs}, target shape "
                               f"{ts}") from None
    return _float_pair(x, t)


def same_shape_target(name, x, target):
    """A target of exactly x's shape (PyTorch's ValueError otherwise), in x's dtype."""
    t = as_tensor(target, name)
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
    check_reduction(reduction, fn="mse_loss")
    x = checks.tensor("mse_loss", "input", input)
    _not_both_integers("mse_loss", x, as_tensor(target, "mse_loss"))
    x, t = _broadcast_target("mse_loss", x, target)
    d = x - t
    return reduce(d * d, reduction)


def l1_loss(input, target, reduction="mean"):
    """|input - target|

    >>> import tinyflow as tf
    >>> l1_loss(tf.tensor([1.0, 3.0]), tf.tensor([2.0, 1.0]))
    tensor(1.5000)
    """
    check_reduction(reduction, fn="l1_loss")
    x = checks.tensor("l1_loss", "input", input)
    _not_both_integers("l1_loss", x, as_tensor(target, "l1_loss"), RuntimeError)
    x, t = _broadcast_target("l1_loss", x, target)
    return reduce(ops.abs(x - t), reduction)


def smooth_l1_loss(input, target, reduction="mean", beta=1.0):
    """0.5 * d**2 / beta where |d| < beta, |d| - 0.5 * beta elsewhere (d = input - target);
    beta = 0 is the L1 loss.

    >>> import tinyflow as tf
    >>> smooth_l1_loss(tf.tensor([0.5, 3.0]), tf.tensor([0.0, 0.0]), reduction="none")
    tensor([0.1250, 2.5000])
    """
    check_reduction(reduction, fn="smooth_l1_loss")
    if beta < 0:
        raise RuntimeError(f"smooth_l1_loss does not support negative values for beta, got "
                           f"beta={beta}")
    x = checks.tensor("smooth_l1_loss", "input", input)
    _not_both_integers("smooth_l1_loss", x, as_tensor(target, "smooth_l1_loss"))
    x, t = _broadcast_target("smooth_l1_loss", x, target)
    d = ops.abs(x - t)
    if beta == 0:
        return reduce(d, reduction)
    return reduce(ops.where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta), reduction)


def huber_loss(input, target, reduction="mean", delta=1.0):
    """0.5 * d**2 where |d| < delta, delta * (|d| - 0.5 * delta) elsewhere: smooth L1
    scaled by delta.

    >>> import tinyflow as tf
    >>> huber_loss(tf.tensor([0.5, 3.0]), tf.tensor([0.0, 0.0]), reduction="none", delta=2.0)
    tensor([0.1250, 4.0000])
    """
    check_reduction(reduction, fn="huber_loss")
    if not delta > 0:
        raise RuntimeError(f"huber_loss does not support non-positive values for delta, got "
                           f"delta={delta}")
    x = checks.tensor("huber_loss", "input", input)
    _not_both_integers("huber_loss", x, as_tensor(target, "huber_loss"))
    x, t = _broadcast_target("huber_loss", x, target)
    d = ops.abs(x - t)
    return reduce(ops.where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta)), reduction)


def _weight_like(name, weight, x):
    """An optional per-element weight, broadcast against x, in x's dtype."""
    if weight is None:
        return None
    w = as_tensor(weight, name, "weight")
    try:
        np.broadcast_shapes(tuple(w.shape), tuple(x.shape))
    except ValueError:
        raise RuntimeError(f"{name}: weight of shape {tuple(w.shape)} does not broadcast to the "
                           f"input's shape {tuple(x.shape)}") from None
    return w if w.dtype == x.dtype else ops.cast(w, x.dtype)


def _log_clamped(p):
    """max(log(p), -100) for 0 <= p, as PyTorch's binary cross-entropy takes it:
    log(0) counts as -100, and sends no gradient (the where keeps nan out)."""
    positive = p > 0
    return ops.clamp(ops.where(positive, ops.log(ops.where(positive, p, 1.0)), -100.0), min=-100.0)


def _log1m_clamped(p):
    """max(log(1 - p), -100), computed as log1p(-p) for p <= 1."""
    below = p < 1
    return ops.clamp(ops.where(below, ops.log1p(-ops.where(below, p, 0.0)), -100.0), min=-100.0)


def binary_cross_entropy(input, target, weight=None, reduction="mean"):
    """-weight * (target * log(p) + (1 - target) * log(1 - p)) for probabilities p
    (each log clamped at -100, as in PyTorch, so p = 0 or 1 gives a finite loss).

    >>> import tinyflow as tf
    >>> binary_cross_entropy(tf.tensor([0.5, 0.0]), tf.tensor([1.0, 1.0]), reduction="none")
    tensor([  0.6931, 100.0000])
    """
    check_reduction(reduction, fn="binary_cross_entropy")
    p = checks.tensor("binary_cross_entropy", "input", input)
    raw = as_tensor(target, "binary_cross_entropy")
    _not_both_integers("binary_cross_entropy", p, raw)
    if p.dtype.kind != "f" or raw.dtype != p.dtype:
        raise RuntimeError(f"binary_cross_entropy(): argument 'input' and argument 'target' "
                           f"must be floating point tensors of one dtype, got {p.dtype} and "
                           f"{raw.dtype} (Found dtype {raw.dtype} but expected {p.dtype}): "
                           f"convert the target, e.g. target.float()")
    t = same_shape_target("binary_cross_entropy", p, raw)
    for name, v in (("input", p), ("target", t)):
        values = None if is_symbolic(v) else v.array
        if values is not None and values.size and not ((values >= 0) & (values <= 1)).all():
            bad = values[~((values >= 0) & (values <= 1))].flat[0]
            hint = ("probabilities; apply sigmoid first, or use binary_cross_entropy_with_logits"
                    if name == "input" else "probabilities of the class 1")
            raise RuntimeError(f"binary_cross_entropy: all elements of {name} should be "
                               f"between 0 and 1 ({hint}), got {bad}")
    loss = (t - 1) * _log1m_clamped(p) - t * _log_clamped(p)
    w = _weight_like("binary_cross_entropy", weight, p)
    return reduce(loss if w is None else loss * w, reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, reduction="mean",
                                     pos_weight=None):
    """-[y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))] for logits x, computed
    stably as max(x, 0) - x * y + log(1 + exp(-|x|)). ``pos_weight`` (one per class,
    broadcast over the last dimension) weighs the positive term; ``weight`` every term.

    >>> import tinyflow as tf
    >>> binary_cross_entropy_with_logits(tf.tensor([-1e4]), tf.tensor([0.0]))
    tensor(0.)
    """
    check_reduction(reduction, fn="binary_cross_entropy_with_logits")
    x = checks.tensor("binary_cross_entropy_with_logits", "input", input)
    checks.floating("binary_cross_entropy_with_logits", "input", x, "log_sigmoid")
    raw = as_tensor(target, "binary_cross_entropy_with_logits")
    if raw.dtype.kind != "f":
        raise RuntimeError(f"binary_cross_entropy_with_logits(): argument 'target' must be a "
                           f"floating point tensor, got dtype {raw.dtype} (result type Float "
                           f"can't be cast to the desired output type): use target.float()")
    y = same_shape_target("binary_cross_entropy_with_logits", x, raw)
    if pos_weight is None:
        # maximum (not relu): at x == 0 it sends half the gradient, which with the
        # (zero) gradient of |x| there gives the true slope sigmoid(0) - y.
        loss = ops.maximum(x, 0.0) - x * y + ops.softplus(-ops.abs(x))
    else:
        # PyTorch's form: (1 - y) x + (1 + (pos_weight - 1) y) (log(1 + e^-|x|) + max(-x, 0))
        pw = _weight_like("binary_cross_entropy_with_logits", pos_weight, x)
        log_weight = (pw - 1) * y + 1
        loss = (1 - y) * x + log_weight * (ops.softplus(-ops.abs(x)) + ops.maximum(-x, 0.0))
    w = _weight_like("binary_cross_entropy_with_logits", weight, x)
    return reduce(loss if w is None else loss * w, reduction)


KL_REDUCTIONS = ("mean", "batchmean", "sum", "none")


def kl_div(input, target, reduction="mean", log_target=False):
    """The Kullback-Leibler divergence, pointwise target * (log(target) - input), for
    ``input`` holding log-probabilities (``log_target``: the target is in log space too).
    'batchmean' divides the sum by the batch size (the true KL divergence per sample);
    'mean', by the number of elements (with PyTorch's UserWarning).

    >>> import tinyflow as tf
    >>> kl_div(tf.tensor([[0.5, 0.5]]).log(), tf.tensor([[0.5, 0.5]]), reduction="batchmean")
    tensor(0.)
    """
    check_reduction(reduction, KL_REDUCTIONS, "kl_div")
    x = checks.tensor("kl_div", "input", input)
    t = as_tensor(target, "kl_div")
    if x.dtype.kind in "iub" or t.dtype.kind in "iub":
        raise RuntimeError(f"kl_div(): argument 'input' and argument 'target' must be floating "
                           f"point tensors, got {x.dtype} and {t.dtype} (kl_div: Integral "
                           f"inputs not supported)")
    try:
        np.broadcast_shapes(tuple(x.shape), tuple(t.shape))
    except (ValueError, TypeError):          # TypeError: unknown (None) dimensions in a graph
        if _known(tuple(x.shape)) and _known(tuple(t.shape)):
            raise ShapeError(f"kl_div: argument 'input' of shape {tuple(x.shape)} and argument "
                             f"'target' of shape {tuple(t.shape)} cannot be broadcast "
                             f"together") from None
    x, t = _float_pair(x, t)
    if log_target:
        loss = ops.exp(t) * (t - x)
    else:
        zero = t == 0           # xlogy(t, t): 0 where t == 0, so 0 * log(0) counts as 0
        loss = ops.where(zero, 0.0, t * ops.log(ops.where(zero, 1.0, t))) - t * x
    if reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the "
                      "support size.'batchmean' divides only by the batch size, and aligns with "
                      "the KL div math definition.'mean' will be changed to behave the same as "
                      "'batchmean' in the next major release.", UserWarning, stacklevel=2)
        return loss.mean()
    if reduction == "batchmean":
        total = loss.sum()
        return total / x.shape[0] if x.ndim != 0 else total
    return reduce(loss, reduction)

