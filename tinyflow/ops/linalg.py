"""Matrix multiplication, with numpy's rules for 1-D and batched operands, and
TensorFlow's ``transpose_a`` / ``transpose_b`` attributes.

The vjp is the textbook pair ``dA = g @ B^T``, ``dB = A^T @ g``. The transposes
are attributes of the product, not ops of their own (as in TensorFlow), so a
backward pass through a matmul is two MatMuls and nothing else. The 1-D cases
insert and remove the missing axis, and batch broadcasting is summed back by
the reverse walk like any other broadcast.

>>> import numpy as np
>>> from tinyflow.ops import linalg
>>> linalg.MatMul.forward(np.eye(2), np.ones(2))
array([1., 1.])
>>> linalg.MatMul.forward(np.ones((3, 2)), np.ones((3, 4)), transpose_a=True).shape
(2, 4)
"""
import numpy as np

from ..base.args import operand_arg
from . import shape_rules
from ..base.errors import ShapeError
from .primitive import NO_ATTRS, Primitive, bind
from .. import ops as F


def _matmul(a, b, transpose_a=False, transpose_b=False):
    if transpose_a or transpose_b:
        if a.__class__ is not np.ndarray or b.__class__ is not np.ndarray:
            a, b = np.asarray(a), np.asarray(b)
        if a.ndim < 2 or b.ndim < 2:
            _check_ranks(a.shape, b.shape)
        # .mT is a view with the last two axes exchanged: nothing is copied
        return np.matmul(a.mT if transpose_a else a, b.mT if transpose_b else b)
    return np.matmul(a, b)


def _check_ranks(a, b):
    # As in TensorFlow: a transposed product is between matrices (or batches of them).
    if len(a) < 2 or len(b) < 2:
        raise ShapeError(f"MatMul: transpose_a / transpose_b need operands with at least "
                                f"2 dimensions, got {shape_rules.fmt(a)} and {shape_rules.fmt(b)}")


def _vjp_a(g, a, b, out, transpose_a=False, transpose_b=False):
    if transpose_a:                      # C = A^T op(B): dA = (g op(B)^T)^T = op(B) g^T
        return F.matmul(b, g, transpose_a=transpose_b, transpose_b=True)
    if transpose_b:                      # C = A B^T: dA = g B
        return F.matmul(g, b)
    if a.ndim == 1 and b.ndim == 1:
        return g * b
    if b.ndim == 1:                      # (..., m, k) @ (k,) -> (..., m)
        return F.expand_dims(g, (-1,)) * b
    if a.ndim == 1:                      # (k,) @ (..., k, n) -> (..., n)
        return F.squeeze(F.matmul(b, F.expand_dims(g, (-1,))), (-1,))
    return F.matmul(g, b, transpose_b=True)


def _vjp_b(g, a, b, out, transpose_a=False, transpose_b=False):
    if transpose_b:                      # C = op(A) B^T: dB = (op(A)^T g)^T = g^T op(A)
        return F.matmul(g, a, transpose_a=True, transpose_b=transpose_a)
    if transpose_a:                      # C = A^T B: dB = A g
        return F.matmul(a, g)
    if a.ndim == 1 and b.ndim == 1:
        return g * a
    if a.ndim == 1:                      # (k,) @ (..., k, n): outer product per batch
        return F.expand_dims(a, (-1,)) * F.expand_dims(g, (-2,))
    if b.ndim == 1:                      # (..., m, k) @ (k,)
        return F.squeeze(F.matmul(a, F.expand_dims(g, (-1,)), transpose_a=True), (-1,))
    return F.matmul(a, g, transpose_a=True)


def _swapped(shape, flag):
    return shape[:-2] + (shape[-1], shape[-2]) if flag and shape is not None else shape


def _matmul_rule(a, b, transpose_a=False, transpose_b=False):
    if (transpose_a or transpose_b) and a is not None and b is not None:
        _check_ranks(a, b)
    a, b = _swapped(a, transpose_a), _swapped(b, transpose_b)
    try:
        return shape_rules.matmul(a, b)
    except ShapeError as e:
        if "broadcast" not in str(e):
            raise
        # the batch dimensions disagree: name the whole operands, not just their batch parts
        raise ShapeError(f"MatMul: cannot multiply shapes {shape_rules.fmt(a)} and "
                                f"{shape_rules.fmt(b)}: batch dimensions {shape_rules.fmt(a[:-2])} and "
                                f"{shape_rules.fmt(b[:-2])} cannot be broadcast together") from None


MatMul = Primitive("MatMul", _matmul, _matmul_rule, family="linalg", promotion="same",
                   doc="matrix product (1-D, 2-D and batched, as numpy.matmul); "
                       "transpose_a / transpose_b use an operand's matrix transpose")
MatMul.defvjp(_vjp_a, _vjp_b)


# --- the op function -----------------------------------------------------------

def matmul(a, b, transpose_a=False, transpose_b=False):
    """matrix product with numpy.matmul's rules (1-D, 2-D, batched); ``transpose_a``
    / ``transpose_b`` multiply by an operand's matrix transpose (no Transpose op)."""
    if isinstance(a, _NOT_OPERANDS) or isinstance(b, _NOT_OPERANDS):   # one quick test
        operand_arg("matmul", "input", a)
        operand_arg("matmul", "other", b)
    if transpose_a or transpose_b:
        return bind(MatMul, (a, b), _TRANSPOSED[bool(transpose_a), bool(transpose_b)])
    return bind(MatMul, (a, b), NO_ATTRS)


# What operand_arg refuses (None, strings, mappings, sets), asked in one isinstance.
_NOT_OPERANDS = (type(None), str, bytes, dict, set, frozenset)

# MatMul's attrs, made once: the backward of every matmul asks for two of these
_TRANSPOSED = {(ta, tb): {"transpose_a": ta, "transpose_b": tb}
               for ta in (False, True) for tb in (False, True)}
