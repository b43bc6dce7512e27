"""Picking and placing values along one dimension, as PyTorch's ``gather``,
``scatter`` and ``scatter_add`` do: ``out[i][j] = x[i][index[i][j]]`` (gather,
dim 1) and ``out[i][index[i][j]] = src[i][j]`` (scatter, dim 1).

``gather`` is the ``GatherElements`` primitive (ops/indexing.py) and
``scatter_add`` is ``x`` plus its gradient op ``GatherElementsGrad`` (zeros with
``src`` added at the indices): both are compositions. ``scatter`` overwrites, and
with a repeated index the last value wins -- no sum of other ops says that, so it
is a primitive here, ``ScatterElements``. Its vjp rules are PyTorch's: the
gradient of ``src`` is ``g`` gathered at the indices, the gradient of ``x`` is ``g``
with the overwritten places zeroed (``g`` scattered with 0).

>>> import numpy as np
>>> x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
>>> gather(x, 1, np.array([[2, 0], [1, 1]]))
array([[3., 1.],
       [5., 5.]])
>>> scatter(np.zeros((2, 3)), 1, np.array([[2], [0]]), 9.0)
array([[0., 0., 9.],
       [9., 0., 0.]])
>>> scatter_add(np.zeros(3), 0, np.array([0, 0, 2]), np.array([1.0, 2.0, 3.0]))
array([3., 0., 3.])
"""
import numpy as np

from ..base.args import dim_arg
from ..base.errors import ShapeError
from . import shape_rules
from .indexing import TakeAlongAxis, TakeAlongAxisGrad, _along, _check_unsigned, getitem
from .primitive import Primitive, bind, first_dtype, is_symbolic, is_tensor
from .shape import reshape
from .shape_rules import ndim_of, static_shape


def _scatter(x, idx, src, axis):
    _check_unsigned(idx)
    out = np.array(x, copy=True)
    out[_along(idx, axis, out.ndim)] = src
    return out


def _scatter_rule(x, idx, src, axis):
    if x is not None and idx is not None and len(x) != len(idx):
        raise ShapeError(f"ScatterElements: the index {shape_rules.fmt(idx)} must have "
                                     f"as many dimensions as the input {shape_rules.fmt(x)}")
    return x


ScatterElements = Primitive("ScatterElements", _scatter, _scatter_rule, dtype=first_dtype,
                            family="shape", doc="x with src written at idx along axis (the last "
                                                "write wins at a repeated index)")
ScatterElements.defvjp(lambda g, x, idx, src, out, axis: ScatterElements.bind(g, idx, 0.0, axis=axis),
                       None,
                       lambda g, x, idx, src, out, axis: TakeAlongAxis.bind(g, idx, axis=axis),
                       reads=(1,))


# --- checking the arguments, as PyTorch does ------------------------------------------

def _shape(t):
    s = static_shape(t)
    return None if s is None else tuple(s)


def _fmt(shape):
    return "[" + ", ".join("?" if d is None else str(d) for d in shape) + "]"


def _larger(a, b, axis):
    """The dimensions (but ``axis``) where shape a is larger than b (unknown sizes pass)."""
    return [d for d, (p, q) in enumerate(zip(a, b))
            if d != axis and p is not None and q is not None and p > q]


def _index_values(index):
    """The index's values if they are known now (an array or an eager tensor), else None."""
    if is_symbolic(index):
        return None
    return np.asarray(getattr(index, "array", index))


def check(fn, x, dim, index, src=None):
    """``dim`` as an axis >= 0, after PyTorch's checks of ``index`` (and ``src``)."""
    n = ndim_of(x)
    axis = dim_arg(fn, "dim", dim, n)
    kind = np.dtype(index.dtype).kind if hasattr(index, "dtype") else np.asarray(index).dtype.kind
    if kind not in "iu" or np.dtype(index.dtype).itemsize < 4:
        raise RuntimeError(f"{fn}(): Expected dtype int32/int64 for index, got "
                           f"{np.dtype(index.dtype)}")
    xs, ids = _shape(x), _shape(index)
    if ids is not None and len(ids) != n:
        raise RuntimeError(f"{fn}(): Index tensor must have the same number of dimensions as "
                           f"input tensor: index {_fmt(ids)}, input {_fmt(xs)}")
    if src is not None:
        ss = _shape(src)
        if ss is not None and ids is not None and len(ss) != len(ids):
            raise RuntimeError(f"{fn}(): Index tensor must have the same number of dimensions as "
                               f"src tensor: index {_fmt(ids)}, src {_fmt(ss)}")
        if ss is not None and ids is not None and _larger(ids, ss, None):
            raise RuntimeError(f"{fn}(): Expected index {_fmt(ids)} to be no larger than self "
                               f"{_fmt(xs)} apart from dimension {axis} and to be no larger "
                               f"size than src {_fmt(ss)}")
    larger = _larger(ids, xs, axis) if xs is not None and ids is not None else []
    if larger:
        raise RuntimeError(f"{fn}(): Size does not match at dimension {larger[0]} expected "
                           f"index {_fmt(ids)} to be no larger than self {_fmt(xs)} apart from "
                           f"dimension {axis}")
    values = _index_values(index)
    size = xs[axis] if xs and n else 1
    if values is not None and values.size and size is not None:
        lo, hi = values.min(), values.max()
        if lo < 0 or hi >= size:
            raise RuntimeError(f"{fn}(): index {lo if lo < 0 else hi} is out of bounds for "
                               f"dimension {axis} with size {size}")
    return axis


def _is_array(t):
    return is_tensor(t) or isinstance(t, np.ndarray)


def _dtype(t):
    return np.dtype(t.dtype) if hasattr(t, "dtype") else np.asarray(t).dtype


def _same_dtype(fn, x, src):
    if _dtype(x) != _dtype(src):
        raise RuntimeError(f"{fn}(): Expected self.dtype to be equal to src.dtype (self is "
                           f"{_dtype(x)}, src is {_dtype(src)})")


def _fit(src, index):
    """``src`` cut to the index's shape (PyTorch reads only that leading part of it)."""
    ss, ids = _shape(src), _shape(index)
    if ss is None or ids is None or ss == ids or None in ss or None in ids:
        return src
    return getitem(src, tuple(slice(n) for n in ids))


# A 0-d tensor is computed as a 1-element vector (and its 0-d index likewise).
def _as_vector(t):
    return t.reshape(1) if isinstance(t, np.ndarray) else reshape(t, (1,))


def _as_scalar(t):
    return reshape(t, ())


# --- the op functions ----------------------------------------------------------

def gather(x, dim, index):
    """Values of x picked along ``dim`` at ``index`` (PyTorch's ``gather``): the output
    has the index's shape, and ``out[i][j] = x[i][index[i][j]]`` for dim 1.

    >>> gather(np.array([10.0, 20.0, 30.0]), 0, np.array([2, 2, 0]))
    array([30., 30., 10.])
    """
    axis = check("gather", x, dim, index)
    if ndim_of(x) == 0:
        return _as_scalar(bind(TakeAlongAxis, (_as_vector(x), _as_vector(index)), {"axis": 0}))
    return bind(TakeAlongAxis, (x, index), {"axis": axis})


def scatter(x, dim, index, src=None, value=None, reduce=None):
    """x with ``src`` (a tensor) or ``value`` (a number) written at ``index`` along ``dim``
    (PyTorch's ``scatter``): ``out[i][index[i][j]] = src[i][j]`` for dim 1. ``reduce``
    'add' adds instead (as ``scatter_add``).

    >>> scatter(np.zeros(3), 0, np.array([2]), np.array([5.0]))
    array([0., 0., 5.])
    """
    if src is not None and not _is_array(src):
        src, value = None, src             # scatter(x, dim, index, 2.0): the value
    if (src is None) == (value is None):
        raise TypeError("scatter(): give exactly one of 'src' (a tensor) and 'value' (a number)")
    if reduce is not None:
        if reduce != "add":
            raise NotImplementedError(f"scatter(): reduce={reduce!r} is not supported by "
                                      f"tinyflow (only reduce='add'; for products, use "
                                      f"PyTorch's scatter_reduce)")
        if value is not None:
            src = np.full(_shape(index), value, dtype=_dtype(x))
        return scatter_add(x, dim, index, src)
    axis = check("scatter", x, dim, index, src)
    if value is not None:
        src = np.asarray(value).astype(_dtype(x))
    else:
        _same_dtype("scatter", x, src)
        src = _fit(src, index)
    if ndim_of(x) == 0:
        args = (_as_vector(x), _as_vector(index), src if value is not None else _as_vector(src))
        return _as_scalar(bind(ScatterElements, args, {"axis": 0}))
    return bind(ScatterElements, (x, index, src), {"axis": axis})


def scatter_add(x, dim, index, src):
    """x with ``src`` added at ``index`` along ``dim`` (PyTorch's ``scatter_add``):
    ``out[i][index[i][j]] += src[i][j]`` for dim 1; repeated indices add up.

    >>> scatter_add(np.zeros((1, 2)), 1, np.array([[1, 1, 1]]), np.ones((1, 3)))
    array([[0., 3.]])
    """
    if not _is_array(src):
        raise TypeError(f"scatter_add(): argument 'src' must be Tensor, not {type(src).__name__}")
    axis = check("scatter_add", x, dim, index, src)
    _same_dtype("scatter_add", x, src)
    src = _fit(src, index)
    if ndim_of(x) == 0:
        x, index, src, axis = _as_vector(x), _as_vector(index), _as_vector(src), 0
        return _as_scalar(x + bind(TakeAlongAxisGrad, (src, x, index), {"axis": axis}))
    return x + bind(TakeAlongAxisGrad, (src, x, index), {"axis": axis})
