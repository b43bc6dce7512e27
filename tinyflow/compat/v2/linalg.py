"""``tf.linalg``: ``matmul``, ``norm``, ``einsum``, ``l2_normalize``, ``matrix_transpose``.

>>> import tinyflow.compat.v2 as tf
>>> float(tf.linalg.norm([3.0, 4.0])), tf.linalg.matmul([[1.0, 2.0]], [[3.0], [4.0]]).numpy()
(5.0, array([[11.]], dtype=float32))
"""
from ... import ops as F
from .array import einsum, norm  # noqa: F401
from .nn import l2_normalize  # noqa: F401
from .spelling import matmul, tensor_of  # noqa: F401


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """``a`` with its last two dimensions swapped."""
    x = tensor_of(a)
    return F.transpose(x, list(range(x.ndim - 2)) + [x.ndim - 1, x.ndim - 2])
