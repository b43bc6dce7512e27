"""Matrix multiplication, with numpy's rules for 1-D and batched operands.

The vjp is the textbook pair ``dA = g @ B^T``, ``dB = A^T @ g``; the 1-D cases
insert and remove the missing axis, and batch broadcasting is summed back by
the reverse walk like any other broadcast.

>>> import numpy as np
>>> from tinyflow.ops import linalg
>>> linalg.MatMul.forward(np.eye(2), np.ones(2))
array([1., 1.])
"""
import numpy as np

from . import shapes
from .primitive import Primitive
from .shape import Transpose
from .. import ops as F


def _swap(x):
    """The last two axes exchanged (the matrix transpose of a batch)."""
    n = x.ndim
    return Transpose.bind(x, axes=_SWAPS.get(n) or tuple(range(n - 2)) + (n - 1, n - 2))


_SWAPS = {2: (1, 0), 3: (0, 2, 1)}      # the usual cases, ready-made


def _vjp_a(g, a, b, out):
    if a.ndim == 1 and b.ndim == 1:
        return g * b
    if b.ndim == 1:                      # (..., m, k) @ (k,) -> (..., m)
        return F.expand_dims(g, (-1,)) * b
    if a.ndim == 1:                      # (k,) @ (..., k, n) -> (..., n)
        return F.squeeze(F.matmul(b, F.expand_dims(g, (-1,))), (-1,))
    return F.matmul(g, _swap(b))


def _vjp_b(g, a, b, out):
    if a.ndim == 1 and b.ndim == 1:
        return g * a
    if a.ndim == 1:                      # (k,) @ (..., k, n): outer product per batch
        return F.expand_dims(a, (-1,)) * F.expand_dims(g, (-2,))
    if b.ndim == 1:                      # (..., m, k) @ (k,)
        return F.squeeze(F.matmul(_swap(a), F.expand_dims(g, (-1,))), (-1,))
    return F.matmul(_swap(a), g)


def _matmul_rule(a, b):
    try:
        return shapes.matmul(a, b)
    except shapes.ShapeError as e:
        if "broadcast" not in str(e):
            raise
        # the batch dimensions disagree: name the whole operands, not just their batch parts
        raise shapes.ShapeError(f"MatMul: cannot multiply shapes {shapes.fmt(a)} and "
                                f"{shapes.fmt(b)}: batch dimensions {shapes.fmt(a[:-2])} and "
                                f"{shapes.fmt(b[:-2])} cannot be broadcast together") from None


MatMul = Primitive("MatMul", np.matmul, _matmul_rule, family="linalg",
                   doc="matrix product (1-D, 2-D and batched, as numpy.matmul)")
MatMul.defvjp(_vjp_a, _vjp_b)
