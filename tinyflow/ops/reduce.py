"""Reductions, and the two ops that move gradients between a shape and its
broadcast: ``SumTo`` (what the reverse walk uses to sum a broadcast input's
gradient back) and ``BroadcastLike``. Each is the other's vjp.

>>> import numpy as np
>>> from tinyflow.ops import reduce as R
>>> R.Sum.forward(np.ones((2, 3)), axis=(1,))
array([3., 3.])
"""
import builtins
import math

import numpy as np

from . import shape_rules
from .primitive import NO_ATTRS, Primitive, bind, int64_dtype, first_dtype
from .shape_rules import AxisError, ndim_of, normalize_axes, static_shape
from ..base.errors import ShapeError
from .. import ops as F


def _reduce_rule(name):
    def rule(shape, axis=None, keepdims=False, **attrs):
        return shape_rules.reduce(shape, axis, keepdims, _op=name)
    return rule


def restore(g, x, axis, keepdims):
    """Put back the reduced axes (as size 1) so ``g`` broadcasts against ``x``."""
    if keepdims or axis is None:
        return g             # a full reduction's g is a scalar: it broadcasts as it is
    return F.expand_dims(g, axis) if axis else g


def _spread(g, x, axis, keepdims):
    return F.broadcast_like(restore(g, x, axis, keepdims), x)


def _sum(x, axis=None, keepdims=False):
    return np.sum(x, axis=axis, keepdims=keepdims)


def _mean(x, axis=None, keepdims=False):
    return np.mean(x, axis=axis, keepdims=keepdims)


def _max(x, axis=None, keepdims=False):
    return np.max(x, axis=axis, keepdims=keepdims)


def _min(x, axis=None, keepdims=False):
    return np.min(x, axis=axis, keepdims=keepdims)


def _float_dtype(d, **attrs):
    d = first_dtype(d)
    return d if d.kind in "fc" else np.dtype(np.float64)


Sum = Primitive("Sum", _sum, _reduce_rule("Sum"), family="reduce", doc="sum over axis")
Mean = Primitive("Mean", _mean, _reduce_rule("Mean"), dtype=_float_dtype, family="reduce",
                 doc="mean over axis", promotion="float_only")
Max = Primitive("Max", _max, _reduce_rule("Max"), family="reduce", doc="largest value over axis")
Min = Primitive("Min", _min, _reduce_rule("Min"), family="reduce", doc="smallest value over axis")

Sum.defvjp(lambda g, x, out, axis=None, keepdims=False: _spread(g, x, axis, keepdims))
# Divide before spreading: g is as small as the reduced result, x may be large.
Mean.defvjp(lambda g, x, out, axis=None, keepdims=False:
            _spread(g / reduced_size(x, axis), x, axis, keepdims))


def _extreme_vjp(g, x, out, axis=None, keepdims=False):
    # Ties share the gradient equally, so the rule is the same for max and min.
    hit = F.cast(x == _spread(out, x, axis, keepdims), g.dtype)
    return _spread(g, x, axis, keepdims) * hit / F.sum(hit, axis, keepdims=True)


Max.defvjp(_extreme_vjp, reads_out=True)
Min.defvjp(_extreme_vjp, reads_out=True)


def _argmax(x, axis=None, keepdims=False):
    return np.argmax(x, axis=axis, keepdims=keepdims)


def _argmin(x, axis=None, keepdims=False):
    return np.argmin(x, axis=axis, keepdims=keepdims)


ArgMax = Primitive("ArgMax", _argmax, _reduce_rule("ArgMax"), dtype=int64_dtype, nondiff=True,
                   family="reduce", doc="index of the largest value")
ArgMin = Primitive("ArgMin", _argmin, _reduce_rule("ArgMin"), dtype=int64_dtype, nondiff=True,
                   family="reduce", doc="index of the smallest value")


def _logsumexp(x, axis=None, keepdims=False):
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)          # a row of -inf stays -inf, not nan
    out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


LogSumExp = Primitive("LogSumExp", _logsumexp, _reduce_rule("LogSumExp"), family="reduce",
                      doc="log(sum(exp(x))) over axis, without overflow")
def _logsumexp_vjp(g, x, out, axis=None, keepdims=False):
    """g times softmax(x) over axis. Not exp(x - out): for |x| past ~1e12, out has
    already lost the log(n) it adds to max(x) in rounding (logsumexp([1e308, 1e308])
    is 1e308), and exp(x - out) would give 1 to each element instead of 1/n. The
    shift m is any constant (softmax does not depend on it), so no gradient flows
    through it, and the rule still differentiates again."""
    m = F.stop_gradient(F.max(x, axis, keepdims=True))
    e = F.exp(x - m)
    return _spread(g, x, axis, keepdims) * (e / F.sum(e, axis, keepdims=True))


LogSumExp.defvjp(_logsumexp_vjp)


def sum_to_shape(x, shape):
    """numpy: sum ``x`` down to ``shape`` (the inverse of broadcasting)."""
    if x.shape == shape:
        return x
    lead = x.ndim - len(shape)
    if x.shape[lead:] == shape:          # only leading axes were added (a bias): sum them away
        return np.add.reduce(x, axis=tuple(range(lead)) if lead > 1 else 0)
    axes = tuple(range(lead)) + tuple(i + lead for i, d in enumerate(shape)
                                      if d == 1 and x.shape[i + lead] != 1)
    out = np.add.reduce(x, axis=axes, keepdims=True)
    return out.reshape(shape) if lead else out


def _sum_to(x, like):
    return sum_to_shape(x, np.shape(like))


def _broadcast_like(x, like):
    return np.broadcast_to(x, np.shape(like))


def _like_rule(x, like, **attrs):
    return like


SumTo = Primitive("SumTo", _sum_to, _like_rule, dtype=first_dtype, family="reduce",
                  doc="x summed down to the shape of like")
BroadcastLike = Primitive("BroadcastLike", _broadcast_like, _like_rule, dtype=first_dtype,
                          family="reduce", doc="x broadcast to the shape of like")
SumTo.defvjp(lambda g, x, like, out: F.broadcast_like(g, x), None, reads=(0,))
BroadcastLike.defvjp(lambda g, x, like, out: F.sum_to(g, x), None, reads=(0,))


def _reduced_size(x, axis=None):
    shape = np.shape(x)
    n = math.prod(shape) if axis is None else math.prod(shape[a] for a in axis)
    return np.asarray(n, dtype=x.dtype if x.dtype.kind == "f" else np.float64)


ReducedSize = Primitive("ReducedSize", _reduced_size, lambda s, **a: (), dtype=_float_dtype,
                        nondiff=True, family="reduce",
                        doc="how many elements a reduction over axis averages (for unknown shapes)")


def reduced_size(x, axis=None):
    """The number of elements reduced over ``axis``: a Python int when the
    shape is known, otherwise a ``ReducedSize`` node computed at run time."""
    shape = tuple(x.shape)
    dims = shape if axis is None else [shape[a] for a in axis]
    if None in dims:
        return ReducedSize.bind(x, axis=axis)
    return math.prod(dims)


# --- the op functions ----------------------------------------------------------

_WHOLE = {"axis": None, "keepdims": False}     # the attrs of a reduction to a scalar (never edited)


def _refuse_empty(x, prim, error=ShapeError):
    """max, min, argmax and argmin of no elements at all have no answer (PyTorch: a
    RuntimeError, an IndexError for the arg- ones)."""
    shape = static_shape(x)
    if shape is not None and 0 in shape:
        raise error(f"{prim.name} failed on inputs of shapes {shape_rules.fmt(shape)}: "
                    f"{prim.name.lower()}(): Expected reduction dim to be specified for "
                    f"input.numel() == 0 (a zero-size, empty input); give the 'dim' argument")


def _reduction(prim, needs_elements=False):
    def f(x, axis=None, keepdims=False):
        if axis is None and needs_elements:
            _refuse_empty(x, prim)
        if axis is None and not keepdims:
            return bind(prim, (x,), _WHOLE)
        axes = normalize_axes(axis, x, prim.name)
        if axes and ndim_of(x) == 0:
            axes = ()                # a 0-d tensor's dim 0 (or -1) is the tensor itself
        return bind(prim, (x,), {"axis": axes, "keepdims": bool(keepdims)})
    return prim.names(f)


sum = _reduction(Sum)
mean = _reduction(Mean)
max = _reduction(Max, needs_elements=True)
min = _reduction(Min, needs_elements=True)
logsumexp = _reduction(LogSumExp)


def argmax(x, axis=None, keepdims=False):
    """index of the largest value (over the flattened tensor when axis is None)"""
    if axis is None:
        _refuse_empty(x, ArgMax, AxisError)
    else:
        axis = normalize_axes(axis, x, "ArgMax")[0]
    return bind(ArgMax, (x,), {"axis": axis, "keepdims": bool(keepdims)})


def argmin(x, axis=None, keepdims=False):
    """index of the smallest value"""
    if axis is None:
        _refuse_empty(x, ArgMin, AxisError)
    else:
        axis = normalize_axes(axis, x, "ArgMin")[0]
    return bind(ArgMin, (x,), {"axis": axis, "keepdims": bool(keepdims)})


def var(x, axis=None, keepdims=False, correction=1):
    """variance; ``correction=1`` divides by n - 1 (PyTorch's default). As in
    PyTorch the divisor is max(0, n - correction): an empty tensor, or one value
    with correction=1, gives nan (0 / 0), not a number of the wrong sign."""
    axes = normalize_axes(axis, x, "var")
    centered = x - mean(x, axes, keepdims=True)
    total = sum(centered * centered, axes, keepdims=keepdims)
    n = reduced_size(x, axes)
    if not correction:
        return total / n
    if isinstance(n, int):
        return total / builtins.max(n - correction, 0)
    return total / F.maximum(n - correction, 0.0)


def std(x, axis=None, keepdims=False, correction=1):
    """standard deviation, the square root of ``var``."""
    return F.sqrt(var(x, axis, keepdims, correction))


def sum_to(x, like):
    """x summed down to the shape of ``like`` (undoes broadcasting)."""
    return bind(SumTo, (x, like), NO_ATTRS)


def broadcast_like(x, like):
    """x broadcast to the shape of ``like``."""
    return bind(BroadcastLike, (x, like), NO_ATTRS)
