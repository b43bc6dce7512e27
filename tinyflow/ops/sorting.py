"""Sorting and rounding: ``sort``, ``argsort``, ``topk``, ``unique``, and the
primitives ``Round``, ``Floor``, ``Ceil``, ``FloorDiv``, ``Mod``.

Sorted values are the input picked at the sorted indices (``take_along_axis``),
so their gradient flows back to where each value came from; the indices carry
none. Rounding's derivative is zero almost everywhere: the gradient flows, as
zeros, as in PyTorch.

>>> import numpy as np
>>> values, indices = sort(np.array([[3.0, 1.0, 2.0]]), axis=1)
>>> values, indices
(array([[1., 2., 3.]]), array([[1, 2, 0]]))
>>> topk(np.array([3.0, 1.0, 2.0]), 2)
(array([3., 2.]), array([0, 2]))
"""
import numpy as np

from . import shape_rules
from .primitive import NO_ATTRS, Primitive, bind, int64_dtype
from .shape_rules import normalize_axes
from .. import ops as F


def _rounding(name, forward, doc):
    p = Primitive(name, forward, shape_rules.same, family="elementwise", doc=doc)
    return p.defvjp(lambda g, x, out: F.zeros_like(g), reads=())          # flat almost everywhere


Round = _rounding("Round", np.round, "x rounded to the nearest integer (halves to even)")
Floor = _rounding("Floor", np.floor, "the largest integer <= x")
Ceil = _rounding("Ceil", np.ceil, "the smallest integer >= x")
Trunc = _rounding("Trunc", np.trunc, "x with its fraction dropped (towards zero)")


def _binary_rule(name):
    return lambda a, b, **attrs: shape_rules.broadcast(name, a, b)


FloorDiv = Primitive("FloorDiv", np.floor_divide, _binary_rule("FloorDiv"), family="elementwise",
                     doc="floor(a / b)", promotion="arith")
FloorDiv.defvjp(lambda g, a, b, out: F.zeros_like(g) * a,
                lambda g, a, b, out: F.zeros_like(g) * b)
Mod = Primitive("FloorMod", np.mod, _binary_rule("FloorMod"), family="elementwise",
                doc="a - b * floor(a / b): the remainder, with the sign of b", promotion="arith")
# a % b = a - b * floor(a / b): d/da = 1, d/db = -floor(a / b)
Mod.defvjp(lambda g, a, b, out: g,
           lambda g, a, b, out: -g * F.floor(a / b))


def _argsort(x, axis=-1, descending=False):
    if descending:                             # stable: ties keep their order
        key = ~x if x.dtype.kind == "b" else -x.astype(np.float64) if x.dtype.kind == "u" else -x
        return np.argsort(key, axis=axis, kind="stable")
    return np.argsort(x, axis=axis, kind="stable")


ArgSort = Primitive("ArgSort", _argsort, shape_rules.same, dtype=int64_dtype, nondiff=True,
                    family="sorting", doc="the indices that sort x along axis")


# --- the op functions ----------------------------------------------------------

def round(x, decimals=0):
    """x rounded to ``decimals`` decimals (halves to even, as PyTorch and numpy)."""
    if decimals:
        scale = 10.0 ** decimals
        return bind(Round, (x * scale,), NO_ATTRS) / scale
    return bind(Round, (x,), NO_ATTRS)


def floor(x):
    return bind(Floor, (x,), NO_ATTRS)


def ceil(x):
    return bind(Ceil, (x,), NO_ATTRS)


def trunc(x):
    return bind(Trunc, (x,), NO_ATTRS)


def floor_divide(a, b):
    """floor(a / b): Python's ``//``."""
    return bind(FloorDiv, (a, b), NO_ATTRS)


def remainder(a, b):
    """a - b * floor(a / b): Python's ``%`` (the sign of b)."""
    return bind(Mod, (a, b), NO_ATTRS)


def argsort(x, axis=-1, descending=False):
    """The indices that sort x along ``axis`` (stable: ties keep their order)."""
    axis = normalize_axes(axis, x, "argsort")[0]
    return bind(ArgSort, (x,), {"axis": axis, "descending": bool(descending)})


def sort(x, axis=-1, descending=False):
    """(the sorted values, their indices in x) along ``axis``."""
    axis = normalize_axes(axis, x, "sort")[0]
    indices = argsort(x, axis, descending)
    return F.take_along_axis(x, indices, axis), indices


def topk(x, k, axis=-1, largest=True, sorted=True):
    """(the k largest values along ``axis``, their indices); ``largest=False``: the smallest."""
    axis = normalize_axes(axis, x, "topk")[0]
    n = tuple(x.shape)[axis] if hasattr(x, "shape") else np.shape(x)[axis]
    if not 0 <= k <= n:
        raise RuntimeError(f"topk(): selected index k={k} is out of range for a dimension of "
                           f"size {n}")
    indices = F.getitem(argsort(x, axis, largest), (slice(None),) * axis + (slice(0, k),))
    return F.take_along_axis(x, indices, axis), indices


def unique(x, sorted=True, return_inverse=False, return_counts=False, axis=None):
    """The distinct values of x (sorted), and, if asked, where each element of x
    went and how many of each there are. Values only: no gradient."""
    arr = np.asarray(getattr(x, "array", x))
    got = np.unique(arr, return_inverse=return_inverse, return_counts=return_counts, axis=axis)
    if not (return_inverse or return_counts):
        return got
    values, *rest = got
    if return_inverse:
        rest[0] = rest[0].reshape(arr.shape if axis is None else -1)
    return (values, *rest)
