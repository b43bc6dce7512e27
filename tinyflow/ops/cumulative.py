"""Running sums and products along one dimension: ``CumSum`` and ``CumProd``.

The vjp of a running sum is a running sum from the other end (each input
counts in every later output): ``CumSum`` carries a ``reverse`` attribute, and
each direction's vjp is the other direction. The vjp of a running product,
without dividing by x (which fails at zeros), is

    dL/dx_j = prod(x_i, i < j) * sum(g_k * prod(x_i, j < i <= k), k >= j)

written here with ``cumprod`` itself, so it differentiates again; it builds an
n x n matrix per row of the dimension, fine for the lengths lessons use.

>>> import numpy as np
>>> cumsum(np.array([1, 2, 3]), 0)
array([1, 3, 6])
>>> cumprod(np.array([[1.0, 2.0, 3.0]]), 1)
array([[1., 2., 6.]])
"""
import numpy as np

from ..base.args import dim_arg
from . import shape_rules
from ..base.errors import ShapeError
from .primitive import Primitive, bind, first_dtype
from .shape_rules import ndim_of
from .. import ops as F


def _cumsum(x, axis, reverse=False):
    if reverse:
        return np.flip(np.cumsum(np.flip(x, axis), axis), axis).copy()
    return np.cumsum(x, axis)


CumSum = Primitive("CumSum", _cumsum, shape_rules.same, dtype=first_dtype, family="reduce",
                   doc="running sums along axis (from the end with reverse=True)")
CumSum.defvjp(lambda g, x, out, axis, reverse=False:
              bind(CumSum, (g,), {"axis": axis, "reverse": not reverse}), reads=())


def _cumprod(x, axis):
    return np.cumprod(x, axis)


def _cumprod_vjp(g, x, out, axis):
    n = tuple(x.shape)[axis]
    if n is None:
        raise ShapeError("CumProd gradient: the size of the dimension must be known")
    last = ndim_of(x) - 1
    order = list(range(last + 1))
    order[axis], order[last] = last, axis          # the dimension last (a swap: its own inverse)
    xm, gm = F.transpose(x, tuple(order)), F.transpose(g, tuple(order))
    i = np.arange(n)
    after = i[None, :] > i[:, None]                # [j, i]: i comes after j
    one, zero = np.ones((), dtype=np.dtype(x.dtype)), np.zeros((), dtype=np.dtype(x.dtype))
    # later[..., j, k] = prod(x_i for j < i <= k), for k >= j (1 below the diagonal)
    later = cumprod(F.where(after, F.expand_dims(xm, -2), one), -1)
    reach = F.sum(F.where(~after.T, later, zero) * F.expand_dims(gm, -2), -1)
    before = cumprod(F.concat([F.ones_like(F.getitem(xm, (Ellipsis, slice(0, 1)))),
                               F.getitem(xm, (Ellipsis, slice(0, n - 1)))], -1), -1)
    return F.transpose(before * reach, tuple(order))


CumProd = Primitive("CumProd", _cumprod, shape_rules.same, dtype=first_dtype, family="reduce",
                    doc="running products along axis")
CumProd.defvjp(_cumprod_vjp)


# --- the op functions ----------------------------------------------------------

def _prepared(fn, x, dim, dtype):
    """(x cast as PyTorch computes it, the axis): integers and bools run in int64,
    ``dtype`` (if given) is cast to first."""
    n = ndim_of(x)
    axis = dim_arg(fn, "dim", dim, n)
    if dtype is not None:
        x = F.cast(x, np.dtype(dtype))
    elif np.dtype(x.dtype if hasattr(x, "dtype") else np.result_type(x)).kind in "biu":
        x = F.cast(x, np.int64)
    if n == 0:
        x = F.reshape(x, (1,))
    return x, axis


def _scalar_back(y, n):
    return F.reshape(y, ()) if n == 0 else y


def cumsum(x, dim, dtype=None):
    """Running sums along ``dim`` (PyTorch's ``cumsum``): integer and bool inputs give
    int64, as in PyTorch; ``dtype`` casts x first.

    >>> cumsum(np.array([[1.0, 2.0], [3.0, 4.0]]), 0)
    array([[1., 2.],
           [4., 6.]])
    """
    n = ndim_of(x)
    x, axis = _prepared("cumsum", x, dim, dtype)
    return _scalar_back(bind(CumSum, (x,), {"axis": axis}), n)


def cumprod(x, dim, dtype=None):
    """Running products along ``dim`` (PyTorch's ``cumprod``; integers give int64).

    >>> cumprod(np.array([2, 2, 2]), 0)
    array([2, 4, 8])
    """
    n = ndim_of(x)
    x, axis = _prepared("cumprod", x, dim, dtype)
    return _scalar_back(bind(CumProd, (x,), {"axis": axis}), n)

