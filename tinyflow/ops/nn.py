"""Neural-network primitives: softmax, log-softmax, bias add, and the fused
softmax cross-entropy with integer labels. (Convolution and pooling: conv.py.)

>>> import numpy as np
>>> from tinyflow.ops import nn
>>> nn.Softmax.forward(np.zeros(4), axis=-1)
array([0.25, 0.25, 0.25, 0.25])
"""
import numpy as np

from . import shape_rules
from ..base.errors import ShapeError
from .primitive import NO_ATTRS, Primitive, bind, first_dtype
from .shape_rules import normalize_axes
from .. import ops as F


def _softmax(x, axis=-1):
    e = np.exp(x - np.maximum.reduce(x, axis=axis, keepdims=True))
    return e / np.add.reduce(e, axis=axis, keepdims=True)


def _log_softmax(x, axis=-1):
    shifted = x - np.maximum.reduce(x, axis=axis, keepdims=True)
    return shifted - np.log(np.add.reduce(np.exp(shifted), axis=axis, keepdims=True))


Softmax = Primitive("Softmax", _softmax, shape_rules.same, family="nn", promotion="float",
                    doc="exp(x) / sum(exp(x)) along axis, shifted so it never overflows")
LogSoftmax = Primitive("LogSoftmax", _log_softmax, shape_rules.same, family="nn",
                       promotion="float",
                       doc="log(softmax(x)) along axis, computed stably")


def _softmax_vjp(g, s, axis=-1):
    """The vjp of s = softmax(x): s * (g - sum(g * s)). Also the fused cross-entropy's."""
    return s * (g - F.sum(g * s, axis, keepdims=True))


Softmax.defvjp(lambda g, x, out, axis=-1: _softmax_vjp(g, out, axis), reads_out=True, reads=())
LogSoftmax.defvjp(lambda g, x, out, axis=-1: g - F.exp(out) * F.sum(g, axis, keepdims=True),
                  reads_out=True, reads=())


def _bias_rule(x, b):
    if x is not None and b is not None:
        if len(b) != 1:
            raise ShapeError(f"BiasAdd: bias must be 1-D, got shape {shape_rules.fmt(b)}")
        if x and x[-1] is not None and b[0] is not None and x[-1] != b[0]:
            raise ShapeError(f"BiasAdd: bias of shape {shape_rules.fmt(b)} does not match the "
                                    f"last dimension of {shape_rules.fmt(x)}")
    return x


BiasAdd = Primitive("BiasAdd", np.add, _bias_rule, family="nn",
                    doc="x + b with a 1-D bias b over the last axis")
BiasAdd.defvjp(lambda g, x, b, out: g, lambda g, x, b, out: g, reads=())


# --- cross-entropy with integer labels, as one op ----------------------------------
# TensorFlow's SparseSoftmaxCrossEntropyWithLogits (PyTorch fuses it too): one op
# forward, one backward, instead of log_softmax + pick + their two gradients.

def _rows(n):
    return np.arange(n)


def _pick(z, labels):
    """z[i, labels[i]] for each row i, with labels checked on the way: numpy's own
    bounds check catches labels that are too large, one min() the negative ones
    (which numpy would read as counting from the end)."""
    if labels.dtype.kind not in "iu":
        raise TypeError(f"SparseSoftmaxCrossEntropyWithLogits: labels must be integer class "
                        f"indices, got dtype {labels.dtype}")
    if labels.dtype.kind == "i" and labels.size and np.minimum.reduce(labels, axis=None) < 0:
        _bad_label(labels, z.shape[1])
    try:
        return z[_rows(len(labels)), labels]
    except IndexError:
        _bad_label(labels, z.shape[1])


def _bad_label(labels, n_classes):
    bad = labels.min() if labels.min() < 0 else labels.max()
    raise IndexError(f"SparseSoftmaxCrossEntropyWithLogits: target label {bad} is out of range "
                     f"for {n_classes} classes (expected 0 .. {n_classes - 1})") from None


# ``reduction`` is PyTorch's: 'none' gives one loss per row; 'mean' and 'sum' reduce
# inside the op, as PyTorch's fused loss does, so a training step's loss is one node.

def _sparse_xent(logits, labels, reduction="none"):
    # log softmax(z)[y] = z[y] - logsumexp(z), with z shifted by its row max so exp never overflows
    z = logits - np.maximum.reduce(logits, axis=-1, keepdims=True)
    loss = np.log(np.add.reduce(np.exp(z), axis=-1)) - _pick(z, labels)
    if reduction == "none":
        return loss
    total = np.add.reduce(loss)
    return total / len(loss) if reduction == "mean" else total


def _sparse_xent_grad(logits, labels, g, reduction="none"):
    """g times (softmax(logits) - one_hot(labels)), row by row: the fused loss's
    gradient, computed in one new array. (The labels were checked by the forward.)
    With a reduced loss g is one number, divided by the rows for 'mean'."""
    p = _softmax(logits, -1)
    p[_rows(len(labels)), labels] -= 1
    if reduction == "none":
        p *= g[:, None]
    else:
        p *= g / len(labels) if reduction == "mean" else g
    return p


def _row_weights(g, logits, reduction):
    """What each row of (softmax - one_hot) is multiplied by, shaped to broadcast."""
    if reduction == "none":
        return F.expand_dims(g, -1)
    return g / F.reduced_size(logits, (0,)) if reduction == "mean" else g


def _xent_rule(logits, labels, reduction="none"):
    if logits is not None and (len(logits) != 2 or (labels is not None and len(labels) != 1)):
        raise ShapeError(f"SparseSoftmaxCrossEntropyWithLogits: expected logits (N, C) and "
                                f"labels (N,), got {shape_rules.fmt(logits)} and {shape_rules.fmt(labels)}")
    if logits is None:
        return None if reduction == "none" else ()
    if labels is not None and None not in (logits[0], labels[0]) and logits[0] != labels[0]:
        raise ShapeError(f"SparseSoftmaxCrossEntropyWithLogits: {logits[0]} rows of logits "
                                f"but {labels[0]} labels")
    return (logits[0],) if reduction == "none" else ()


SparseXent = Primitive("SparseSoftmaxCrossEntropyWithLogits", _sparse_xent, _xent_rule,
                       dtype=first_dtype, family="nn",
                       doc="-log softmax(logits)[label] per row, for integer labels "
                           "(reduction 'mean' or 'sum': one number)")
SparseXentGrad = Primitive("SparseSoftmaxCrossEntropyGrad", _sparse_xent_grad,
                           lambda x, y, g, **attrs: x, dtype=first_dtype, family="nn",
                           doc="g * (softmax(logits) - one_hot(labels)), row by row")
SparseXent.defvjp(lambda g, logits, labels, out, **attrs:
                  SparseXentGrad.bind(logits, labels, g, **attrs), None)
# Row i is w[i] * (softmax - one_hot), w from g: for the logits that is softmax's own
# Jacobian scaled by w[i]; for g it is (softmax - one_hot) summed against gg.
SparseXentGrad.defvjp(
    lambda gg, logits, labels, g, out, reduction="none":
        _softmax_vjp(gg * _row_weights(g, logits, reduction), F.softmax(logits, -1)),
    None,
    lambda gg, logits, labels, g, out, reduction="none":
        F.sum(gg * SparseXentGrad.bind(logits, labels, F.ones_like(g), reduction=reduction),
              -1 if reduction == "none" else None))


# --- the op functions ----------------------------------------------------------

def _floats_only(op, x):
    """softmax of integers: PyTorch has no kernel for it (NotImplementedError)."""
    dtype = getattr(x, "dtype", None)
    if dtype is not None and np.dtype(dtype).kind in "iub":
        raise NotImplementedError(f"{op}(): argument 'input' must be a floating point tensor, "
                                  f"got dtype {np.dtype(dtype)} (\"{op}\" is not implemented "
                                  f"for integers: convert with .float())")


def softmax(x, axis=-1):
    """exp(x) / sum(exp(x)) along axis (numerically stable)."""
    _floats_only("softmax", x)
    return bind(Softmax, (x,), {"axis": normalize_axes(axis, x, "Softmax")[0]})


def log_softmax(x, axis=-1):
    """log(softmax(x)) along axis (numerically stable)."""
    _floats_only("log_softmax", x)
    return bind(LogSoftmax, (x,), {"axis": normalize_axes(axis, x, "LogSoftmax")[0]})


def bias_add(x, b):
    """x + b where b is a 1-D bias over the last axis (TensorFlow's BiasAdd)."""
    return bind(BiasAdd, (x, b), NO_ATTRS)


def sparse_softmax_cross_entropy(logits, labels, reduction="none"):
    """-log softmax(logits)[label] for each row of (N, C) logits and (N,) integer labels,
    as one op (TensorFlow's SparseSoftmaxCrossEntropyWithLogits); ``reduction`` 'mean'
    or 'sum' reduces the rows inside the op (as PyTorch's fused loss does)."""
    return bind(SparseXent, (logits, labels), NO_ATTRS if reduction == "none" else _REDUCED[reduction])


_REDUCED = {r: {"reduction": r} for r in ("mean", "sum")}
