"""Primitives that move elements around without arithmetic: reshape,
transpose, expand/squeeze, broadcast, concatenate, indexing.

The vjp of indexing scatters the gradient back and *adds* at repeated
indices (``x[[0, 0]]`` sends two contributions to ``x[0]``).

>>> import numpy as np
>>> from tinyflow.ops import shape as S
>>> S.Transpose.forward(np.zeros((2, 3)), axes=(1, 0)).shape
(3, 2)
"""
import numpy as np

from . import shapes
from .primitive import Primitive, first_dtype
from .. import ops as F


def _reshape(x, shape):
    return np.reshape(x, shape)


def _reshape_like(x, like):
    return np.reshape(x, np.shape(like))


Reshape = Primitive("Reshape", _reshape,
                    lambda s, shape: shapes.reshape(s, shape), family="shape",
                    doc="the same elements in a new shape")
Reshape.defvjp(lambda g, x, out, shape: F.reshape_like(g, x))
ReshapeLike = Primitive("ReshapeLike", _reshape_like, lambda s, like: like, dtype=first_dtype,
                        family="shape", doc="x reshaped to the shape of like")
ReshapeLike.defvjp(lambda g, x, like, out: F.reshape_like(g, x), None)


def _transpose(x, axes):
    return x.transpose(axes) if x.__class__ is np.ndarray else np.transpose(x, axes)


def _transpose_rule(s, axes):
    if s is None:
        return None
    if sorted(axes) != list(range(len(s))):
        raise shapes.ShapeError(f"Transpose: axes {axes} are not a permutation of the "
                                f"{len(s)} dimensions of {shapes.fmt(s)}")
    return tuple(s[a] for a in axes)


Transpose = Primitive("Transpose", _transpose, _transpose_rule, family="shape",
                      doc="dimensions permuted by axes")
Transpose.defvjp(lambda g, x, out, axes: F.transpose(g, tuple(np.argsort(axes).tolist())))


def _expand_dims(x, axis):
    shape = list(np.shape(x))
    for a in axis:                    # axis is sorted and non-negative (see ops.expand_dims)
        shape.insert(a, 1)
    return x.reshape(shape) if x.__class__ is np.ndarray else np.reshape(x, shape)


def _expand_rule(s, axis):
    if s is None:
        return None
    out = list(s)
    for a in sorted(axis):
        out.insert(a, 1)
    return tuple(out)


def _squeeze(x, axis):
    return np.squeeze(x, axis)


def _squeeze_rule(s, axis):
    if s is None:
        return None
    for a in axis:
        if s[a] not in (1, None):
            raise shapes.ShapeError(f"Squeeze: cannot squeeze dimension {a} of size {s[a]} "
                                    f"in shape {shapes.fmt(s)}")
    return tuple(d for i, d in enumerate(s) if i not in axis)


ExpandDims = Primitive("ExpandDims", _expand_dims, _expand_rule, family="shape",
                       doc="new axes of size 1 inserted")
Squeeze = Primitive("Squeeze", _squeeze, _squeeze_rule, family="shape",
                    doc="axes of size 1 removed")
ExpandDims.defvjp(lambda g, x, out, axis: F.squeeze(g, axis))
Squeeze.defvjp(lambda g, x, out, axis: F.expand_dims(g, axis))


def _broadcast_to(x, shape):
    return np.broadcast_to(x, shape)


BroadcastTo = Primitive("BroadcastTo", _broadcast_to,
                        lambda s, shape: shapes.broadcast("BroadcastTo", s, tuple(shape)) and tuple(shape),
                        family="shape", doc="x repeated along broadcast dimensions")
BroadcastTo.defvjp(lambda g, x, out, shape: F.sum_to(g, x))


def _concat(*xs, axis):
    return np.concatenate(xs, axis=axis)


def _concat_rule(*ss, axis):
    if any(s is None for s in ss):
        return None
    first = ss[0]
    total = 0
    for s in ss:
        if len(s) != len(first):
            raise shapes.ShapeError(f"ConcatV2: all inputs need the same rank, got "
                                    f"{', '.join(shapes.fmt(t) for t in ss)}")
        for i, (a, b) in enumerate(zip(first, s)):
            if i != axis and a is not None and b is not None and a != b:
                raise shapes.ShapeError(f"ConcatV2: shapes {shapes.fmt(first)} and {shapes.fmt(s)} "
                                        f"differ in dimension {i}, which is not the concat axis {axis}")
        total = None if total is None or s[axis] is None else total + s[axis]
    return first[:axis] + (total,) + first[axis + 1:]


def _concat_vjp(i, g, *xs, out, axis):
    sizes = [x.shape[axis] for x in xs]
    if None in sizes[:i + 1]:
        raise shapes.ShapeError("ConcatV2 gradient: the sizes along the concat axis must be known")
    start = sum(sizes[:i])
    key = (slice(None),) * axis + (slice(start, start + sizes[i]),)
    return F.getitem(g, key)


Concat = Primitive("ConcatV2", _concat, _concat_rule, family="shape",
                   doc="inputs joined along axis")
Concat.defvjp_each(_concat_vjp)


# --- indexing ---------------------------------------------------------------

class Arg:
    """In an indexing key: 'the k-th index array input goes here'."""
    __slots__ = ("k", "mask")

    def __init__(self, k, mask=False):
        self.k = k
        self.mask = mask        # a boolean mask consumes as many dims as it has

    def __repr__(self):
        return f"<{'mask' if self.mask else 'index'} {self.k}>"

    def __eq__(self, other):
        return isinstance(other, Arg) and (other.k, other.mask) == (self.k, self.mask)

    def __hash__(self):
        return hash(("Arg", self.k, self.mask))


def build_key(key, idx):
    for i in idx:
        _check_unsigned(i)
    return tuple(idx[k.k] if k.__class__ is Arg else k for k in key)


_MAX_INDEX = np.iinfo(np.intp).max


def _check_unsigned(i):
    """numpy casts a uint64 index to a signed one without a check: 2**64 - 1 would
    wrap around to -1 and silently pick the last element. Refuse such indices."""
    dtype = getattr(i, "dtype", None)
    if dtype is not None and dtype.kind == "u" and dtype.itemsize >= 8 and i.size \
            and i.max() > _MAX_INDEX:
        raise IndexError(f"index {int(i.max())} is out of bounds: indices must be at most "
                         f"{_MAX_INDEX} (the largest signed 64-bit integer)")


def _getitem(x, *idx, key):
    return x[build_key(key, idx)]


def _has_int_arrays(idx):
    return any(np.asarray(i).dtype.kind in "iu" for i in idx)


def _getitem_grad(g, like, *idx, key):
    z = np.zeros(np.shape(like), dtype=g.dtype)
    k = build_key(key, idx)
    if _has_int_arrays(idx):
        np.add.at(z, k, g)         # repeated indices add up
    else:
        z[k] = g
    return z


def _getitem_rule(s, *idx_shapes, key):
    if s is None:
        return None

    def consumed(k):
        if k is None or k is Ellipsis:
            return 0
        if k.__class__ is Arg and k.mask:
            return len(idx_shapes[k.k] or (None,))
        return 1

    n_used = sum(consumed(k) for k in key)
    if n_used > len(s):
        raise shapes.ShapeError(f"GetItem: too many indices ({n_used}) for a tensor of shape {shapes.fmt(s)}")
    expanded = []
    for k in key:
        expanded.extend([slice(None)] * (len(s) - n_used) if k is Ellipsis else [k])
    if Ellipsis not in key:
        expanded.extend([slice(None)] * (len(s) - n_used))
    has_adv = any(k.__class__ is Arg for k in expanded)
    out, adv_shapes, adv_pos, dim = [], [], [], 0
    for k in expanded:
        if k is None:
            out.append(1)
            continue
        n = s[dim] if dim < len(s) else None
        if k.__class__ is Arg:
            adv_shapes.append((None,) if k.mask else idx_shapes[k.k])
            adv_pos.append(len(out))
        elif isinstance(k, slice):
            out.append(None if n is None else len(range(*k.indices(n))))
        else:  # a plain integer
            if n is not None and not -n <= k < n:
                raise IndexError(f"GetItem: index {k} is out of bounds for dimension {dim} "
                                 f"with size {n} (shape {shapes.fmt(s)})")
            if has_adv:
                adv_shapes.append(())
                adv_pos.append(len(out))
        dim += consumed(k)
    if adv_shapes:
        adv = shapes.broadcast("GetItem", *adv_shapes)
        adv = (None,) if adv is None else adv
        # numpy keeps advanced indices in place only when they sit side by side
        at = adv_pos[0] if len(set(adv_pos)) == 1 else 0
        out[at:at] = list(adv)
    return tuple(out)


GetItem = Primitive("GetItem", _getitem, _getitem_rule, dtype=first_dtype, family="shape",
                    doc="x[key]: slices, integers, integer arrays and boolean masks")
GetItemGrad = Primitive("GetItemGrad", _getitem_grad,
                        lambda g, like, *i, key: like, dtype=first_dtype, family="shape",
                        doc="the gradient of x[key] scattered back into zeros shaped like x")
GetItem.defvjp_each(lambda i, g, x, *idx, out, key:
                    F.getitem_grad(g, x, idx, key) if i == 0 else None)
GetItemGrad.defvjp_each(lambda i, g, gy, like, *idx, out, key:
                        GetItem.bind(g, *idx, key=key) if i == 0 else None)


def _along(idx, axis, ndim):
    """The full fancy index that take_along_axis uses, for np.add.at."""
    grids = list(np.ogrid[tuple(slice(n) for n in idx.shape)])
    grids[axis] = idx
    return tuple(grids)


def _take_along_axis(x, idx, axis):
    _check_unsigned(idx)
    if x.ndim == 2 and axis == 1 and idx.ndim == 2 and idx.shape[0] == x.shape[0]:
        # the cross-entropy case, as one fancy index (take_along_axis's own setup is slow)
        return x[np.arange(x.shape[0])[:, None], idx]
    return np.take_along_axis(x, idx, axis=axis)


def _take_along_axis_grad(g, like, idx, axis):
    _check_unsigned(idx)
    z = np.zeros(np.shape(like), dtype=g.dtype)
    if idx.shape[axis] == 1:            # one pick per row (cross-entropy): no repeats to add up
        np.put_along_axis(z, idx, g, axis)
    else:
        np.add.at(z, _along(idx, axis, z.ndim), g)
    return z


def _along_rule(s, i, axis):
    if s is None or i is None:
        return i
    return tuple(a if a is not None else b for a, b in zip(i, s))


TakeAlongAxis = Primitive("GatherElements", _take_along_axis, _along_rule, dtype=first_dtype,
                          family="shape", doc="x picked along axis at idx (np.take_along_axis)")
TakeAlongAxisGrad = Primitive("GatherElementsGrad", _take_along_axis_grad,
                              lambda g, like, i, axis: like, dtype=first_dtype, family="shape",
                              doc="the gradient of take_along_axis scattered into zeros like x")
TakeAlongAxis.defvjp(lambda g, x, idx, out, axis: TakeAlongAxisGrad.bind(g, x, idx, axis=axis), None)
TakeAlongAxisGrad.defvjp(lambda g, gy, like, idx, out, axis: TakeAlongAxis.bind(g, idx, axis=axis),
                         None, None)
