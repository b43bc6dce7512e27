"""Norms and batched products with PyTorch's spellings and checks: ``vector_norm``,
``matrix_norm``, ``linalg_norm`` (``torch.linalg.norm``), ``norm`` (``torch.norm``)
and ``bmm``. All are compositions of primitives (abs, powers, sums, max/min,
matmul), so their gradients come from the registry.

A norm of all zeros has the gradient PyTorch gives it, zero: the square root
(or ``1/p``-th power) is taken of the sum with its zeros replaced by ones, and
the result put back to 0 there -- no ``0 * inf`` on the way back.

>>> import numpy as np
>>> float(vector_norm(np.array([3.0, -4.0])))
5.0
>>> float(vector_norm(np.array([3.0, -4.0]), 1))
7.0
>>> float(matrix_norm(np.array([[1.0, -2.0], [3.0, 4.0]]), float("inf")))
7.0
"""
import math
import numbers

import numpy as np

from ..base.args import dim_arg
from .shape_rules import ndim_of, static_shape
from .. import ops as F


def _dtype(x):
    return np.dtype(x.dtype) if hasattr(x, "dtype") else np.asarray(x).dtype


def _floating(fn, x, dtype):
    """x as a float tensor of ``dtype`` (PyTorch refuses integer inputs to norms)."""
    d = _dtype(x)
    if d.kind != "f":
        name = {"int64": "Long", "int32": "Int", "bool": "Bool"}.get(d.name, d.name)
        raise RuntimeError(f"{fn}: Expected a floating point or complex tensor as input. Got "
                           f"{name}")
    return x if dtype is None or np.dtype(dtype) == d else F.cast(x, np.dtype(dtype))


def _axes(fn, dim, n):
    if dim is None:
        return None
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    return tuple(dim_arg(fn, "dim", d, n) for d in dims)


def _root(total, p):
    """total ** (1 / p), with 0 where total is 0 and a zero gradient there."""
    zero = total == 0
    safe = F.where(zero, np.ones((), _dtype(total)), total)
    root = F.sqrt(safe) if p == 2 else safe ** (1.0 / p)
    return F.where(zero, np.zeros((), _dtype(total)), root)


def vector_norm(x, ord=2, dim=None, keepdim=False, dtype=None):
    """The ``ord``-norm of x over ``dim`` (all elements when None), as PyTorch's
    ``torch.linalg.vector_norm``: (sum |x|^ord)^(1/ord); inf and -inf are the largest
    and smallest |x|, 0 counts the elements that are not zero.

    >>> vector_norm(np.array([[3.0, 4.0], [6.0, 8.0]]), dim=1)
    array([ 5., 10.])
    """
    fn = "linalg.vector_norm"
    if not isinstance(ord, numbers.Real) or isinstance(ord, bool):
        raise TypeError(f"linalg_vector_norm(): argument 'ord' must be Number, not "
                        f"{type(ord).__name__}")
    x = _floating(fn, x, dtype)
    axes = _axes(fn, dim, ndim_of(x))
    keep = bool(keepdim)
    if math.isinf(ord):
        shape = static_shape(x)
        reduced = shape if axes is None else [shape[a] for a in axes]
        if shape is not None and 0 in reduced:
            raise RuntimeError(f"{fn} cannot compute the {ord} norm on an empty tensor because "
                               f"the operation does not have an identity")
        a = F.abs(x)
        return F.max(a, axes, keep) if ord > 0 else F.min(a, axes, keep)
    if ord == 0:
        return F.sum(F.cast(F.not_equal(x, 0), _dtype(x)), axes, keep)
    if ord == 1:
        return F.sum(F.abs(x), axes, keep)
    if ord == 2:
        return _root(F.sum(x * x, axes, keep), 2)
    return _root(F.sum(F.abs(x) ** float(ord), axes, keep), float(ord))


_SVD_ORDS = ("nuc", 2, -2)


def matrix_norm(x, ord="fro", dim=(-2, -1), keepdim=False, dtype=None):
    """The ``ord``-norm of the matrices in the two dimensions ``dim`` (PyTorch's
    ``torch.linalg.matrix_norm``): 'fro' (the root of the sum of squares), 1 / -1 (the
    largest / smallest column sum of |x|), inf / -inf (the same for rows).

    >>> float(matrix_norm(np.array([[1.0, -2.0], [3.0, 4.0]]), 1))
    6.0
    """
    fn = "linalg.matrix_norm"
    if ndim_of(x) < 2:
        raise RuntimeError(f"{fn}: The input tensor A must have at least 2 dimensions, got "
                           f"shape {tuple(static_shape(x))}")
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    if len(dims) != 2:
        raise RuntimeError(f"{fn}: dim must be a 2-tuple. Got {' '.join(str(d) for d in dims)}")
    rows, cols = _axes(fn, dims, ndim_of(x))
    if rows == cols:
        raise RuntimeError(f"{fn}: dims must be different. Got ({dim[0]}, {dim[1]})")
    if ord == "fro":
        return vector_norm(x, 2, (rows, cols), keepdim, dtype)
    if ord in _SVD_ORDS:
        raise NotImplementedError(f"{fn}: ord={ord!r} needs singular values, which tinyflow "
                                  f"does not compute (use 'fro', 1, -1, inf or -inf)")
    if isinstance(ord, str) or ord not in (1, -1, math.inf, -math.inf):
        raise RuntimeError(f"{fn}: Order {ord} not supported.")
    x = _floating(fn, x, dtype)
    summed, picked = (rows, cols) if abs(ord) == 1 else (cols, rows)
    sums = F.sum(F.abs(x), summed, keepdims=True)
    out = F.max(sums, picked, keepdims=True) if ord > 0 else F.min(sums, picked, keepdims=True)
    return out if keepdim else F.squeeze(out, (rows, cols))


def linalg_norm(x, ord=None, dim=None, keepdim=False, dtype=None):
    """PyTorch's ``torch.linalg.norm``: a vector norm over one dimension (or all of
    them, flattened, when neither ``ord`` nor ``dim`` is given), a matrix norm over two.

    >>> float(linalg_norm(np.array([[3.0, 0.0], [0.0, 4.0]])))
    5.0
    """
    if dim is not None:
        dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
        if len(dims) == 2 or isinstance(ord, str):
            return matrix_norm(x, "fro" if ord is None else ord, dims, keepdim, dtype)
        if len(dims) != 1:
            raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. "
                               f"Got {list(dims)}")
        return vector_norm(x, 2 if ord is None else ord, dims, keepdim, dtype)
    if ord is None:
        return vector_norm(x, 2, None, keepdim, dtype)
    n = ndim_of(x)
    if isinstance(ord, str) or n == 2:
        return matrix_norm(x, ord, (-2, -1), keepdim, dtype)
    if n != 1:
        raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be "
                           f"1D or 2D. Got {n}D.")
    return vector_norm(x, ord, None, keepdim, dtype)


def norm(x, p="fro", dim=None, keepdim=False, dtype=None):
    """PyTorch's ``torch.norm`` (and ``Tensor.norm``): with a number ``p``, the vector
    p-norm over ``dim`` (all elements when None); 'fro' is the 2-norm over ``dim`` (one
    or two dimensions, or all).

    >>> float(norm(np.array([[1.0, 2.0], [2.0, 4.0]])))
    5.0
    """
    if isinstance(p, str):
        dims = None if dim is None else (dim,) if isinstance(dim, (int, np.integer)) else dim
        if p == "fro" and (dims is None or len(dims) <= 2):
            return vector_norm(x, 2, dims, keepdim, dtype)
        return matrix_norm(x, p, (0, 1) if dims is None else dims, keepdim, dtype)
    return vector_norm(x, 2 if p is None else p, dim, keepdim, dtype)


def bmm(a, b):
    """Batched matrix product of (B, n, m) and (B, m, p) tensors (PyTorch's ``bmm``:
    no broadcasting, both 3-D and of one dtype).

    >>> bmm(np.ones((2, 1, 3)), np.ones((2, 3, 4))).shape
    (2, 1, 4)
    """
    for name, t in (("batch1", a), ("batch2", b)):
        if ndim_of(t) != 3:
            raise RuntimeError(f"bmm(): {name} must be a 3D tensor, got shape "
                               f"{tuple(static_shape(t))}")
    sa, sb = static_shape(a), static_shape(b)
    want = (sa[0], sa[2])
    if any(p is not None and q is not None and p != q for p, q in zip(want, sb[:2])):
        raise RuntimeError(f"bmm(): Expected size for first two dimensions of batch2 tensor to "
                           f"be: {list(want)} but got: {list(sb[:2])}.")
    if _dtype(a) != _dtype(b):
        raise RuntimeError(f"bmm(): expected scalar type {_dtype(a)} but found {_dtype(b)} "
                           f"(batch1 and batch2 must have the same dtype)")
    return F.matmul(a, b)

