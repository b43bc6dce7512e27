"""Selecting entries, as PyTorch's ``index_select`` and ``masked_select`` do. Both
are indexing (the ``GetItem`` primitive), so their gradients are indexing's.

>>> import numpy as np
>>> x = np.arange(6.0).reshape(2, 3)
>>> index_select(x, 1, np.array([2, 0]))
array([[2., 0.],
       [5., 3.]])
>>> masked_select(x, np.array([True, False, True]))
array([0., 2., 3., 5.])
"""
import numpy as np

from ..base.args import dim_arg
from .primitive import is_eager
from .shape_rules import ndim_of, static_shape
from .. import ops as F


def _dtype(t):
    return np.dtype(t.dtype) if hasattr(t, "dtype") else np.asarray(t).dtype


def _key(t):
    """An index as a key: an eager tensor's array (a symbolic tensor stays itself)."""
    return t.array if is_eager(t) else t


def index_select(x, dim, index):
    """The entries of ``x`` at ``index`` (a vector of int32/int64 positions) along ``dim``."""
    axis = dim_arg("index_select", "dim", dim, ndim_of(x))
    if ndim_of(index) > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if _dtype(index) not in (np.dtype(np.int32), np.dtype(np.int64)):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    index = _key(index)
    if ndim_of(index) == 0:
        index = F.reshape(index, (1,))
    size = (static_shape(x) or [None] * (axis + 1))[axis]
    if size is not None and isinstance(index, np.ndarray) and index.size and (
            index.max() >= size or index.min() < 0):
        raise RuntimeError(f"index_select(): index out of range in self: positions "
                           f"{index.min()}..{index.max()} along dim {axis} of size {size}")
    return F.getitem(x, (slice(None),) * axis + (index,))


def masked_select(x, mask):
    """The entries of ``x`` where the boolean ``mask`` (broadcast with x) is True, as a
    vector (its length is known only when the values are)."""
    if _dtype(mask).kind != "b":
        raise RuntimeError(f"masked_select: expected BoolTensor for mask, got dtype "
                           f"{_dtype(mask)}")
    shape_x, shape_m = tuple(static_shape(x)), tuple(static_shape(mask))
    if shape_x != shape_m:                     # broadcast both to one shape first
        try:
            shape = np.broadcast_shapes(shape_x, shape_m)
        except ValueError:
            raise RuntimeError(f"masked_select: the mask's shape {list(shape_m)} does not "
                               f"broadcast with the input's {list(shape_x)}") from None
        x, mask = F.broadcast_to(x, shape), F.broadcast_to(mask, shape)
    return F.getitem(x, (_key(mask),))
