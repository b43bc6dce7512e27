"""PyTorch's ``torch.linalg`` norms: ``tinyflow.linalg.norm``, ``vector_norm`` and
``matrix_norm`` (the code is tinyflow/ops/norms.py: compositions of primitives, so
their gradients come from the registry). Norms that need singular values
(``'nuc'``, ord 2 and -2 of a matrix) are refused with NotImplementedError.

>>> import tinyflow as torch
>>> x = torch.tensor([[3.0, -4.0], [0.0, 0.0]])
>>> torch.linalg.vector_norm(x, dim=1)
tensor([5., 0.])
>>> torch.linalg.norm(x, float("inf"))
tensor(7.)
"""
from ...eager.tensor import operand
from ...ops import norms
from ...ops.primitive import interpreters, is_tensor

__all__ = ["norm", "vector_norm", "matrix_norm"]


def _tensor(fn, x):
    if is_tensor(x) or interpreters.building is not None:
        return operand(x)
    raise TypeError(f"{fn}(): argument 'input' must be Tensor, not {type(x).__name__}")


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    """The ``ord``-norm over ``dim`` (all elements when None): (sum |x|^ord)^(1/ord);
    inf / -inf: the largest / smallest |x|; 0: how many elements are not zero.

    >>> import tinyflow as torch
    >>> torch.linalg.vector_norm(torch.tensor([3.0, -4.0]), 1)
    tensor(7.)
    """
    return norms.vector_norm(_tensor("linalg_vector_norm", x), ord, dim, keepdim, dtype)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    """The ``ord``-norm of the matrices in dimensions ``dim``: 'fro', 1 / -1 (largest /
    smallest column sum of |A|), inf / -inf (the same for rows).

    >>> import tinyflow as torch
    >>> torch.linalg.matrix_norm(torch.tensor([[1.0, -2.0], [3.0, 4.0]]), 1)
    tensor(6.)
    """
    return norms.matrix_norm(_tensor("linalg_matrix_norm", A), ord, dim, keepdim, dtype)


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    """A vector norm over one dimension (or of the flattened input when neither ``ord``
    nor ``dim`` is given), a matrix norm over two (or of a 2-D input given ``ord``).

    >>> import tinyflow as torch
    >>> torch.linalg.norm(torch.tensor([[3.0, 0.0], [0.0, 4.0]]))
    tensor(5.)
    """
    return norms.linalg_norm(_tensor("linalg_norm", A), ord, dim, keepdim, dtype)
