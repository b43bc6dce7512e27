"""Indexing: ``x[key]`` with numpy's rules, and picking values along an axis.

The vjp of indexing scatters the gradient back and *adds* at repeated
indices (``x[[0, 0]]`` sends two contributions to ``x[0]``).

>>> import numpy as np
>>> from tinyflow.ops import indexing
>>> indexing.getitem(np.arange(6).reshape(2, 3), (slice(None), 1))
array([1, 4])
"""
import numpy as np

from . import shape_rules
from ..base.errors import ShapeError
from .primitive import NO_ATTRS, Primitive, bind, first_dtype
from .shape_rules import AxisError, ndim_of, normalize_axes
from .. import ops as F


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
        raise AxisError(f"GetItem: too many indices ({n_used}) for a tensor of shape {shape_rules.fmt(s)}")
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
                                 f"with size {n} (shape {shape_rules.fmt(s)})")
            if has_adv:
                adv_shapes.append(())
                adv_pos.append(len(out))
        dim += consumed(k)
    if adv_shapes:
        adv = shape_rules.broadcast("GetItem", *adv_shapes)
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
    if idx.ndim == x.ndim and not _same_besides(idx.shape, x.shape, axis):
        # an index smaller than x off the axis picks from x's leading part there (PyTorch's
        # gather, ONNX's GatherElements: the output is shaped as the index, no broadcasting)
        x = x[tuple(slice(None) if d == axis else slice(n) for d, n in enumerate(idx.shape))]
    return np.take_along_axis(x, idx, axis=axis)


def _same_besides(a, b, axis):
    """Do shapes a and b agree on every dimension but ``axis``?"""
    return a[:axis] + a[axis + 1:] == b[:axis] + b[axis + 1:]


def _take_along_axis_grad(g, like, idx, axis):
    _check_unsigned(idx)
    z = np.zeros(np.shape(like), dtype=g.dtype)
    if idx.shape[axis] == 1 and _same_besides(idx.shape, z.shape, axis):
        # one pick per row (cross-entropy): no repeats to add up
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
                         None, None, reads=(2,))


# --- the op functions ----------------------------------------------------------

_MIN_INDEX, _MAX_INT64 = int(np.iinfo(np.int64).min), int(np.iinfo(np.int64).max)


def _index_key(key):
    """Split an indexing key into static parts and array inputs."""
    if not isinstance(key, tuple):
        key = (key,)
    parts, arrays = [], []
    for k in key:
        if k is None or k is Ellipsis or isinstance(k, slice):
            parts.append(k)
        elif isinstance(k, (bool, np.bool_)):
            arrays.append(np.asarray(k))
            parts.append(Arg(len(arrays) - 1, mask=True))
        elif isinstance(k, (int, np.integer)):
            if not _MIN_INDEX <= k <= _MAX_INT64:
                raise IndexError(f"index {k} is out of bounds: indices must fit in a signed "
                                 f"64-bit integer ({_MIN_INDEX} to {_MAX_INT64})")
            parts.append(int(k))
        elif isinstance(k, (str, bytes)):
            raise TypeError(f"GetItem: an index must be an int, a slice, None, Ellipsis or an "
                            f"integer or boolean tensor, not {type(k).__name__} {k!r}")
        else:
            if isinstance(k, (list, tuple)):
                big = [v for v in np.ravel(np.asarray(k, dtype=object))
                       if isinstance(v, int) and not _MIN_INDEX <= v <= _MAX_INT64]
                if big:
                    raise IndexError(f"index {big[0]} is out of bounds: indices must fit in a "
                                     f"signed 64-bit integer ({_MIN_INDEX} to {_MAX_INT64})")
                k = np.asarray(k)
            dtype = getattr(k, "dtype", None)
            if dtype is None:
                raise IndexError(f"only integers, slices, None, Ellipsis and integer or boolean "
                                 f"arrays are valid indices, got {type(k).__name__} {k!r}")
            if dtype.kind in "USO" and any(isinstance(v, (str, bytes)) for v in np.ravel(k)):
                raise TypeError(f"GetItem: an index must be an int, a slice, None, Ellipsis or "
                                f"an integer or boolean tensor, not a list of strings")
            if dtype.kind not in "iub":
                raise IndexError(f"only integers, slices, None, Ellipsis and integer or boolean "
                                 f"arrays are valid indices, got an index of dtype {dtype}")
            arrays.append(k)
            parts.append(Arg(len(arrays) - 1, mask=dtype.kind == "b"))
    return tuple(parts), arrays


def getitem(x, key):
    """x[key] with numpy's rules (slices, ints, None, ..., integer and boolean arrays)."""
    parts, arrays = _index_key(key)
    n = ndim_of(x)
    used = 0                         # dimensions the key consumes (a mask: as many as it has)
    for k in parts:
        if k.__class__ is Arg and k.mask:
            used += np.ndim(arrays[k.k])
        elif k is not None and k is not Ellipsis:
            used += 1
    if n is not None and used > n:
        shape = shape_rules.fmt(tuple(x.shape)) if hasattr(x, "shape") else "()"
        raise AxisError(f"GetItem: too many indices ({used}) for a tensor of shape {shape}, "
                        f"which has {n} dimensions" + (" (a 0-d tensor holds one number: "
                                                       "use .item())" if n == 0 else ""))
    return bind(GetItem, (x, *arrays), {"key": parts})


def getitem_grad(g, like, idx, key):
    """zeros shaped like ``like`` with g added at ``key`` (getitem's adjoint)."""
    return bind(GetItemGrad, (g, like, *idx), {"key": key})


def take_along_axis(x, idx, axis):
    """values of x picked along ``axis`` at ``idx`` (numpy.take_along_axis)."""
    return bind(TakeAlongAxis, (x, idx), {"axis": normalize_axes(axis, x, "GatherElements")[0]})


def one_hot(indices, depth, on_value=1.0, off_value=0.0, dtype=np.float32):
    """(...) integer indices -> (..., depth) rows: ``on_value`` at each index,
    ``off_value`` elsewhere (TensorFlow's tf.one_hot; an index outside [0, depth)
    gives a row of ``off_value``)."""
    hits = F.equal(F.expand_dims(indices, -1), np.arange(depth))
    return F.where(hits, np.asarray(on_value, dtype), np.asarray(off_value, dtype))
