"""More of PyTorch's tensor functions at tinyflow's top level: ``gather``,
``scatter``, ``scatter_add``, ``cumsum``, ``cumprod``, ``masked_fill``, ``tril``,
``triu``, ``bmm``, ``einsum``, ``chunk``, ``split``, ``repeat_interleave``, ``flip``,
``roll``, ``norm``, ``isclose`` and ``allclose``. Names only: each is the method of
the same name (ops/more_methods.py) or an op function (tinyflow/ops/), after
PyTorch's check that its tensor arguments are tensors.

>>> import tinyflow as torch
>>> x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
>>> torch.einsum("ij->ji", x)
tensor([[1., 3.],
        [2., 4.]])
>>> torch.flip(x, [0])
tensor([[3., 4.],
        [1., 2.]])
>>> torch.allclose(x, x + 1e-9)
True
"""
import numpy as np

from ..eager.tensor import Tensor, operand
from ..ops import einsum_op
from ..ops.primitive import interpreters, is_tensor

__all__ = ["gather", "scatter", "scatter_add", "cumsum", "cumprod", "masked_fill", "tril",
           "triu", "bmm", "einsum", "chunk", "split", "repeat_interleave", "flip", "roll",
           "norm", "isclose", "allclose", "index_select", "masked_select"]


def _tensor(fn, name, x):
    """``x``, which must be a tensor (in a graph being built, a number or a list too)."""
    if is_tensor(x) or interpreters.building is not None:
        return operand(x)
    raise TypeError(f"{fn}(): argument '{name}' must be Tensor, not {type(x).__name__}")


def gather(input, dim, index, *, sparse_grad=False):
    """Values of ``input`` picked along ``dim`` at ``index`` (the output has the
    index's shape): ``out[i][j] = input[i][index[i][j]]`` for dim 1.

    >>> import tinyflow as torch
    >>> torch.gather(torch.tensor([[1, 2], [3, 4]]), 1, torch.tensor([[1], [0]]))
    tensor([[2],
            [3]])
    """
    return _tensor("gather", "input", input).gather(dim, _tensor("gather", "index", index))


def index_select(input, dim, index):
    """The entries of ``input`` at ``index`` (a vector of positions) along ``dim``.

    >>> import tinyflow as torch
    >>> torch.index_select(torch.tensor([[1, 2, 3], [4, 5, 6]]), 1, torch.tensor([2, 0]))
    tensor([[3, 1],
            [6, 4]])
    """
    return _tensor("index_select", "input", input).index_select(
        dim, _tensor("index_select", "index", index))


def masked_select(input, mask):
    """The entries of ``input`` where the boolean ``mask`` is True, as a vector.

    >>> import tinyflow as torch
    >>> torch.masked_select(torch.tensor([1, 2, 3]), torch.tensor([True, False, True]))
    tensor([1, 3])
    """
    return _tensor("masked_select", "input", input).masked_select(
        _tensor("masked_select", "mask", mask))


def scatter(input, dim, index, src=None, value=None, *, reduce=None):
    """A copy of ``input`` with ``src`` (a tensor) or ``value`` (a number) written at
    ``index`` along ``dim``: ``out[i][index[i][j]] = src[i][j]`` for dim 1.

    >>> import tinyflow as torch
    >>> torch.scatter(torch.zeros(3), 0, torch.tensor([2]), 5.0)
    tensor([0., 0., 5.])
    """
    return _tensor("scatter", "input", input).scatter(
        dim, _tensor("scatter", "index", index), src, value, reduce=reduce)


def scatter_add(input, dim, index, src):
    """A copy of ``input`` with ``src`` added at ``index`` along ``dim``.

    >>> import tinyflow as torch
    >>> torch.scatter_add(torch.zeros(2), 0, torch.tensor([1, 1]), torch.ones(2))
    tensor([0., 2.])
    """
    return _tensor("scatter_add", "input", input).scatter_add(
        dim, _tensor("scatter_add", "index", index), _tensor("scatter_add", "src", src))


def cumsum(input, dim, *, dtype=None):
    """Running sums along ``dim`` (integer and bool inputs give int64).

    >>> import tinyflow as torch
    >>> torch.cumsum(torch.tensor([1, 2, 3]), 0)
    tensor([1, 3, 6])
    """
    return _tensor("cumsum", "input", input).cumsum(dim, dtype=dtype)


def cumprod(input, dim, *, dtype=None):
    """Running products along ``dim`` (integer and bool inputs give int64).

    >>> import tinyflow as torch
    >>> torch.cumprod(torch.tensor([1.0, 2.0, 3.0]), 0)
    tensor([1., 2., 6.])
    """
    return _tensor("cumprod", "input", input).cumprod(dim, dtype=dtype)


def masked_fill(input, mask, value):
    """A copy of ``input`` with ``value`` where the boolean ``mask`` is True.

    >>> import tinyflow as torch
    >>> torch.masked_fill(torch.ones(3), torch.tensor([True, False, True]), 0.0)
    tensor([0., 1., 0.])
    """
    return _tensor("masked_fill", "input", input).masked_fill(
        _tensor("masked_fill", "mask", mask), value)


def tril(input, diagonal=0):
    """The lower triangle of the last two dimensions (the rest zeros).

    >>> import tinyflow as torch
    >>> torch.tril(torch.ones(2, 2))
    tensor([[1., 0.],
            [1., 1.]])
    """
    return _tensor("tril", "input", input).tril(diagonal)


def triu(input, diagonal=0):
    """The upper triangle of the last two dimensions (the rest zeros).

    >>> import tinyflow as torch
    >>> torch.triu(torch.ones(2, 2))
    tensor([[1., 1.],
            [0., 1.]])
    """
    return _tensor("triu", "input", input).triu(diagonal)


def bmm(input, mat2):
    """The batched matrix product of two 3-D tensors, (B, n, m) @ (B, m, p).

    >>> import tinyflow as torch
    >>> torch.bmm(torch.ones(4, 2, 3), torch.ones(4, 3, 5)).shape
    tinyflow.Size([4, 2, 5])
    """
    return _tensor("bmm", "input", input).bmm(_tensor("bmm", "mat2", mat2))


def einsum(equation, *operands):
    """The sum of products over the letters of ``equation``: ``'ij,jk->ik'`` multiplies
    matrices, ``'ii'`` is the trace, ``'...ij->...ji'`` swaps the last two dimensions.
    The operands may come one by one or as one list.

    >>> import tinyflow as torch
    >>> torch.einsum("ii", torch.eye(3))
    tensor(3.)
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    for k, x in enumerate(operands):
        if not (is_tensor(x) or interpreters.building is not None):
            raise TypeError(f"einsum(): expected Tensor as element {k} in argument 'operands', "
                            f"but got {type(x).__name__}")
    return einsum_op.einsum(equation, *operands)


def chunk(input, chunks, dim=0):
    """A tuple of ``chunks`` (or fewer) pieces of equal size along ``dim``.

    >>> import tinyflow as torch
    >>> torch.chunk(torch.arange(5), 2)
    (tensor([0, 1, 2]), tensor([3, 4]))
    """
    return _tensor("chunk", "input", input).chunk(chunks, dim)


def split(tensor, split_size_or_sections, dim=0):
    """A tuple of pieces along ``dim``: of ``split_size_or_sections`` elements each (the
    last may be shorter), or of the sizes a list gives.

    >>> import tinyflow as torch
    >>> torch.split(torch.arange(5), [1, 4])
    (tensor([0]), tensor([1, 2, 3, 4]))
    """
    return _tensor("split", "tensor", tensor).split(split_size_or_sections, dim)


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Each element repeated ``repeats`` times, in place, along ``dim`` (the flattened
    input when None). With ``input`` alone, a 1-D tensor of counts: the indices
    0, 1, ... each repeated that many times.

    >>> import tinyflow as torch
    >>> torch.repeat_interleave(torch.tensor([1, 2]), 2)
    tensor([1, 1, 2, 2])
    >>> torch.repeat_interleave(torch.tensor([2, 1]))
    tensor([0, 0, 1])
    """
    x = _tensor("repeat_interleave", "input", input)
    if repeats is None:
        counts = np.asarray(x.array) if isinstance(x, Tensor) else None
        if counts is None or counts.ndim != 1 or counts.dtype.kind not in "iu":
            raise RuntimeError("repeat_interleave(): with no 'repeats', 'input' must be a 1-D "
                               "integer tensor of counts")
        if counts.size and counts.min() < 0:
            raise RuntimeError("repeat_interleave(): Repeats must be non-negative")
        return Tensor(np.repeat(np.arange(counts.size, dtype=np.int64), counts))
    return x.repeat_interleave(repeats, dim, output_size=output_size)


def flip(input, dims):
    """The elements of ``input`` in reverse order along each of ``dims`` (a tuple).

    >>> import tinyflow as torch
    >>> torch.flip(torch.arange(3), [0])
    tensor([2, 1, 0])
    """
    if not isinstance(dims, (list, tuple)):
        raise TypeError(f"flip(): argument 'dims' must be tuple of ints, not "
                        f"{type(dims).__name__}")
    return _tensor("flip", "input", input).flip(*dims)


def roll(input, shifts, dims=None):
    """The elements moved ``shifts`` places along ``dims``, wrapping around (along the
    flattened input when ``dims`` is None).

    >>> import tinyflow as torch
    >>> torch.roll(torch.arange(4), 1)
    tensor([3, 0, 1, 2])
    """
    return _tensor("roll", "input", input).roll(shifts, dims)


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    """The p-norm of ``input`` over ``dim`` (all elements when None); 'fro' is the
    2-norm. (``tinyflow.linalg`` has the newer ``vector_norm`` and ``matrix_norm``.)

    >>> import tinyflow as torch
    >>> torch.norm(torch.tensor([3.0, 4.0]))
    tensor(5.)
    """
    return _tensor("norm", "input", input).norm(p, dim, keepdim, dtype)


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Elementwise: is ``input`` within ``atol + rtol * |other|`` of ``other``?

    >>> import tinyflow as torch
    >>> torch.isclose(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.5]))
    tensor([ True, False])
    """
    return _tensor("isclose", "input", input).isclose(
        _tensor("isclose", "other", other), rtol, atol, equal_nan)


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """True if every element of ``input`` is within ``atol + rtol * |other|`` of
    ``other`` (a Python bool).

    >>> import tinyflow as torch
    >>> torch.allclose(torch.tensor([1.0]), torch.tensor([1.0 + 1e-9]))
    True
    """
    for name, t in (("input", input), ("other", other)):
        if not isinstance(t, Tensor):
            raise TypeError(f"allclose(): argument '{name}' must be Tensor, not "
                            f"{type(t).__name__}")
    return input.allclose(other, rtol, atol, equal_nan)
