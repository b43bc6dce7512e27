"""Cutting, repeating, reversing and masking tensors, with PyTorch's spellings and
checks: ``split``, ``chunk``, ``repeat``, ``repeat_interleave``, ``flip``, ``roll``,
``tril``, ``triu``, ``masked_fill``. Each is a composition of primitives --
slices (``GetItem``), broadcasts, reshapes and ``where`` -- so gradients and
graph mode come from the registry.

As in PyTorch, ``split`` and ``chunk`` give views of the input (slices), while
``flip``, ``roll`` and ``repeat`` give new tensors.

>>> import numpy as np
>>> [p.tolist() for p in split(np.arange(5), 2)]
[[0, 1], [2, 3], [4]]
>>> repeat(np.array([1, 2]), 2, 2)
array([[1, 2, 1, 2],
       [1, 2, 1, 2]])
>>> roll(np.arange(5), 2, 0)
array([3, 4, 0, 1, 2])
>>> tril(np.ones((2, 3)))
array([[1., 0., 0.],
       [1., 1., 0.]])
"""
import math

import numpy as np

from ..base.args import dim_arg, int_arg
from ..base.errors import ShapeError
from .primitive import is_symbolic, is_tensor
from .shape_rules import ndim_of, static_shape
from .. import ops as F


def _known_shape(fn, x):
    shape = static_shape(x)
    if shape is None or None in shape:
        raise ShapeError(f"{fn}(): the shape of the input must be known, got "
                         f"{'an unknown shape' if shape is None else tuple(shape)}")
    return tuple(shape)


def _ints(fn, name, values):
    """ints given one by one or as one tuple/list -> a tuple of Python ints (TypeError)."""
    if len(values) == 1 and isinstance(values[0], (tuple, list)):
        values = tuple(values[0])
    out = []
    for v in values:
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
            raise TypeError(f"{fn}(): argument '{name}' must be tuple of ints, not "
                            f"{type(v).__name__}")
        out.append(int(v))
    return tuple(out)


def _along(axis, key):
    return (slice(None),) * axis + (key,)


# --- cutting ------------------------------------------------------------------------

def split(x, split_size_or_sections, dim=0):
    """x cut along ``dim`` into pieces of ``split_size_or_sections`` elements (the last
    may be shorter), or into pieces of the sizes a list gives (PyTorch's ``split``).

    >>> [p.shape for p in split(np.zeros((2, 5)), [1, 4], dim=1)]
    [(2, 1), (2, 4)]
    """
    axis = dim_arg("split", "dim", dim, ndim_of(x))
    if ndim_of(x) == 0:
        raise RuntimeError("split(): expects at least a 1-dimensional tensor")
    n = _known_shape("split", x)[axis]
    sizes = split_size_or_sections
    if isinstance(sizes, (list, tuple)):
        sizes = _ints("split", "split_size_or_sections", (sizes,))
        if any(s < 0 for s in sizes):
            raise RuntimeError(f"split_with_sizes(): expects split_sizes have only non-negative "
                               f"entries, but got split_sizes={list(sizes)}")
        if sum(sizes) != n:
            raise RuntimeError(f"split_with_sizes(): expects split_sizes to sum exactly to {n} "
                               f"(input tensor's size at dimension {axis}), but got "
                               f"split_sizes={list(sizes)}")
    else:
        size = int_arg("split", "split_size", sizes)
        if size < 0:
            raise RuntimeError(f"split(): expects split_size be non-negative, but got "
                               f"split_size={size}")
        if size == 0 and n:
            raise RuntimeError(f"split(): split_size can only be 0 if dimension size is 0, but "
                               f"got dimension size of {n}")
        count = max(math.ceil(n / size), 1) if size else 1
        sizes = [min(size, n - k * size) for k in range(count)]
    bounds = np.cumsum([0] + list(sizes)).tolist()
    return tuple(F.getitem(x, _along(axis, slice(a, b))) for a, b in zip(bounds, bounds[1:]))


def chunk(x, chunks, dim=0):
    """x cut along ``dim`` into ``chunks`` pieces of equal size, the last one smaller if
    it must be -- and fewer pieces if the size does not allow that many (PyTorch's
    ``chunk``).

    >>> [p.tolist() for p in chunk(np.arange(6), 4)]
    [[0, 1], [2, 3], [4, 5]]
    """
    chunks = int_arg("chunk", "chunks", chunks)
    if chunks <= 0:
        raise RuntimeError(f"chunk(): expects `chunks` to be greater than 0, got: {chunks}")
    if ndim_of(x) == 0:
        raise RuntimeError("chunk(): expects at least a 1-dimensional tensor")
    axis = dim_arg("chunk", "dim", dim, ndim_of(x))
    n = _known_shape("chunk", x)[axis]
    if n == 0:
        return tuple(F.getitem(x, _along(axis, slice(0, 0))) for _ in range(chunks))
    return split(x, math.ceil(n / chunks), axis)


# --- repeating ----------------------------------------------------------------------

def repeat(x, *sizes):
    """x tiled: repeated ``sizes[d]`` times along each dimension d, with new leading
    dimensions if ``sizes`` has more entries than x has dimensions (PyTorch's
    ``Tensor.repeat``, numpy's ``tile``).

    >>> repeat(np.array([[1, 2]]), 2, 1).tolist()
    [[1, 2], [1, 2]]
    """
    sizes = _ints("repeat", "repeats", sizes)
    shape = _known_shape("repeat", x)
    if len(sizes) < len(shape):
        raise RuntimeError(f"repeat(): Number of dimensions of repeat dims ({len(sizes)}) can not "
                           f"be smaller than number of dimensions of tensor ({len(shape)}, shape "
                           f"{shape})")
    shape = (1,) * (len(sizes) - len(shape)) + shape
    final = tuple(r * s for r, s in zip(sizes, shape))
    if any(r < 0 for r in sizes):
        raise RuntimeError(f"repeat(): Trying to create tensor with negative dimension "
                           f"{min(final)}: {list(final)} (argument 'repeats' is {list(sizes)})")
    spread = F.reshape(x, tuple(d for s in shape for d in (1, s)))
    tiled = F.broadcast_to(spread, tuple(d for pair in zip(sizes, shape) for d in pair))
    return F.reshape(tiled, final)


def repeat_interleave(x, repeats, dim=None, output_size=None):
    """Each element of x repeated ``repeats`` times, next to each other, along ``dim``
    (over the flattened x when ``dim`` is None); ``repeats`` may be a tensor with one
    count per element along ``dim`` (PyTorch's ``repeat_interleave``).

    >>> repeat_interleave(np.array([1, 2]), 2)
    array([1, 1, 2, 2])
    >>> repeat_interleave(np.array([[1, 2], [3, 4]]), np.array([1, 2]), dim=0).tolist()
    [[1, 2], [3, 4], [3, 4]]
    """
    if dim is None:
        x, axis = F.reshape(x, (-1,)), 0
    else:
        axis = dim_arg("repeat_interleave", "dim", dim, ndim_of(x))
        if ndim_of(x) == 0:
            x = F.reshape(x, (1,))
    shape = _known_shape("repeat_interleave", x)
    if is_symbolic(repeats):
        raise ShapeError("repeat_interleave(): the repeats must be known (a number, an array "
                         "or an eager tensor), not a graph tensor")
    counts = np.asarray(getattr(repeats, "array", repeats))
    if counts.dtype.kind not in "iu":
        raise RuntimeError(f"repeat_interleave(): argument 'repeats' must hold integers, got "
                           f"dtype {counts.dtype}")
    if counts.size and counts.min() < 0:
        raise RuntimeError("repeat_interleave(): Repeats must be non-negative")
    if counts.ndim > 1:
        raise RuntimeError(f"repeat_interleave(): repeats must be 0-dim or 1-dim tensor, got "
                           f"{counts.ndim} dimensions")
    n = shape[axis]
    if counts.ndim == 1 and counts.size != 1:
        if counts.size != n:
            raise RuntimeError(f"repeat_interleave(): repeats must have the same size as input "
                               f"along dim, but got repeats.size(0) = {counts.size} and "
                               f"input.size({axis}) = {n}")
        return F.getitem(x, _along(axis, np.repeat(np.arange(n), counts)))
    r = int(counts.reshape(()))
    wide = F.broadcast_to(F.expand_dims(x, axis + 1), shape[:axis + 1] + (r,) + shape[axis + 1:])
    return F.reshape(wide, shape[:axis] + (n * r,) + shape[axis + 1:])


# --- reversing and rolling ----------------------------------------------------------

def _dims(fn, dims, ndim):
    axes = tuple(dim_arg(fn, "dims", d, ndim) for d in dims)
    if len(set(axes)) != len(axes):
        twice = next(a for a in axes if axes.count(a) > 1)
        raise RuntimeError(f"{fn}(): dim {twice} appears multiple times in the list of dims")
    return axes


def flip(x, dims):
    """x with the order of its elements reversed along each of ``dims`` (a new tensor,
    as PyTorch's ``flip``).

    >>> flip(np.array([[1, 2], [3, 4]]), (0, 1)).tolist()
    [[4, 3], [2, 1]]
    """
    axes = _dims("flip", _ints("flip", "dims", (dims,)), ndim_of(x))
    shape = _known_shape("flip", x)
    out = x
    for a in axes:                  # an index array picks a copy, as PyTorch's flip makes one
        out = F.getitem(out, _along(a, np.arange(shape[a] - 1, -1, -1)))
    return out if axes else F.identity(x)


def roll(x, shifts, dims=None):
    """x with its elements moved ``shifts`` places along ``dims``, those pushed off the
    end coming back at the start; with no ``dims``, along the flattened x (PyTorch's
    ``roll``).

    >>> roll(np.array([[1, 2, 3], [4, 5, 6]]), 1, 1).tolist()
    [[3, 1, 2], [6, 4, 5]]
    """
    shifts = _ints("roll", "shifts", (shifts,))
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(f"roll(): shifts and dimensions must align. shifts: "
                               f"{len(shifts)}, dims: 0")
        shape = _known_shape("roll", x)
        return F.reshape(roll(F.reshape(x, (-1,)), shifts, 0), shape)
    dims = _ints("roll", "dims", (dims,))
    if len(shifts) != len(dims):
        raise RuntimeError(f"roll(): shifts and dimensions must align. shifts: {len(shifts)}, "
                           f"dims: {len(dims)}")
    shape = _known_shape("roll", x)
    out = x
    for s, d in zip(shifts, dims):
        a = dim_arg("roll", "dims", d, len(shape))
        out = F.getitem(out, _along(a, (np.arange(shape[a]) - s) % max(shape[a], 1)))
    return out


# --- triangles and masks ------------------------------------------------------------

def _triangle(fn, x, diagonal, lower):
    k = int_arg(fn, "diagonal", diagonal)
    if ndim_of(x) < 2:
        raise RuntimeError(f"{fn}(): input tensor must have at least 2 dimensions, got shape "
                           f"{tuple(static_shape(x))}")
    rows, cols = _known_shape(fn, x)[-2:]
    keep = np.tri(rows, cols, k, dtype=bool) if lower else ~np.tri(rows, cols, k - 1, dtype=bool)
    return F.where(keep, x, np.zeros((), np.dtype(x.dtype)))


def tril(x, diagonal=0):
    """The lower triangle of the last two dimensions of x (the ``diagonal``-th diagonal
    and below; the rest zeros), as PyTorch's ``tril``.

    >>> tril(np.ones((3, 3), dtype=int), -1).tolist()
    [[0, 0, 0], [1, 0, 0], [1, 1, 0]]
    """
    return _triangle("tril", x, diagonal, True)


def triu(x, diagonal=0):
    """The upper triangle: the ``diagonal``-th diagonal and above (PyTorch's ``triu``).

    >>> triu(np.ones((2, 3), dtype=int), 1).tolist()
    [[0, 1, 1], [0, 0, 1]]
    """
    return _triangle("triu", x, diagonal, False)


def masked_fill(x, mask, value):
    """x with ``value`` where the boolean ``mask`` (broadcast against x) is True
    (PyTorch's ``masked_fill``); ``value`` is a number or a 0-d tensor, and takes x's dtype.

    >>> masked_fill(np.array([1.0, 2.0, 3.0]), np.array([True, False, True]), -1.0)
    array([-1.,  2., -1.])
    """
    mdtype = np.dtype(mask.dtype) if hasattr(mask, "dtype") else np.asarray(mask).dtype
    if mdtype.kind != "b":
        raise RuntimeError(f"masked_fill(): only supports boolean masks, but got argument "
                           f"'mask' with dtype {mdtype}")
    dtype = np.dtype(x.dtype)
    if is_tensor(value) or isinstance(value, np.ndarray):
        if ndim_of(value) != 0:
            raise RuntimeError(f"masked_fill(): only supports a 0-dimensional value tensor, but "
                               f"got argument 'value' with {ndim_of(value)} dimension(s)")
        if np.dtype(value.dtype) != dtype:
            value = F.cast(value, dtype)
    elif isinstance(value, (int, float, bool, np.number, np.bool_)):
        value = np.asarray(value).astype(dtype)
    else:
        raise TypeError(f"masked_fill(): argument 'value' must be a number or a 0-d tensor, not "
                        f"{type(value).__name__}")
    return F.where(mask, value, x)
