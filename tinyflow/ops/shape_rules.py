"""Static shapes: tuples whose entries are ints or ``None`` (unknown), or
``None`` for a shape of unknown rank. Graph building runs these rules so that a
mismatch is reported at the line that wrote it, not at ``Session.run``."""
import builtins

import numpy as np

from ..base.errors import ShapeError


class AxisError(ShapeError, IndexError):
    """A dimension the tensor does not have (``x.sum(dim=2)`` of a matrix, ``m[0, 0, 0]``):
    an IndexError, as PyTorch and numpy raise it (numpy names it AxisError too), and a
    ShapeError (a ValueError and a RuntimeError), as TensorFlow and tinyflow's graphs do."""
    __module__ = "tinyflow.ops"      # printed as tinyflow.ops.AxisError, where it is imported


def fmt(shape):
    """``(None, 784)`` -> ``'(?, 784)'``, the way TensorFlow prints shapes."""
    if shape is None:
        return "<unknown>"
    inner = ", ".join("?" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def broadcast(op, *shapes):
    """numpy broadcasting over static shapes; unknown dims stay unknown."""
    if any(s is None for s in shapes):
        return None
    ndim = max((len(s) for s in shapes), default=0)
    out = []
    for i in range(-ndim, 0):
        dim = 1
        for s in shapes:
            d = s[i] if -i <= len(s) else 1
            if d == 1:
                continue
            if dim == 1:
                dim = d
            elif d is None:
                continue
            elif dim is None:
                dim = d
            elif d != dim:
                raise ShapeError(f"{op}: shapes {' and '.join(fmt(s) for s in shapes)} "
                                 f"cannot be broadcast together (dimension {i}: {dim} vs {d})")
        out.append(dim)
    return tuple(out)


def elementwise(*shapes, _op="elementwise op", **attrs):
    return broadcast(_op, *shapes)


def same(shape, *rest, **attrs):
    return shape


def normalize_axis(axis, ndim, op="op"):
    """``axis`` (None, int or tuple) -> sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, int):
        axis = (axis,)
    out = []
    for a in axis:
        if not -ndim <= a < max(ndim, 1):
            raise ShapeError(f"{op}: axis {a} is out of range for a tensor of rank {ndim}")
        out.append(a % max(ndim, 1))
    return tuple(sorted(set(out)))


def reduce(shape, axis=None, keepdims=False, _op="reduction", **attrs):
    if shape is None:
        return None
    axes = normalize_axis(axis, len(shape), _op)
    if keepdims:
        return tuple(1 if i in axes else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in axes)


def matmul(a, b, _op="MatMul", **attrs):
    if a is None or b is None:
        return None
    if len(a) == 0 or len(b) == 0:
        raise ShapeError(f"{_op}: both operands must have at least one dimension, got {fmt(a)} and {fmt(b)}")
    ka = a[-1]
    kb = b[-2] if len(b) >= 2 else b[0]
    if ka is not None and kb is not None and ka != kb:
        raise ShapeError(f"{_op}: cannot multiply shapes {fmt(a)} and {fmt(b)}: "
                         f"inner dimensions {ka} and {kb} differ")
    if len(a) == 1 and len(b) == 1:
        return ()
    if len(a) == 1:
        return b[:-2] + b[-1:]
    if len(b) == 1:
        return a[:-1]
    batch = broadcast(_op, a[:-2], b[:-2])
    return batch + (a[-2], b[-1])


def reshape(shape, shape_attr, _op="Reshape", **attrs):
    """Target shapes may hold one -1; with a fully known input it is resolved."""
    target = tuple(shape_attr)
    if target.count(-1) > 1:
        raise ShapeError(f"{_op}: only one dimension can be -1, got {target}")
    if shape is None or any(d is None for d in shape):
        return tuple(None if d == -1 else d for d in target)
    size = 1
    for d in shape:
        size *= d
    known = 1
    for d in target:
        if d != -1:
            known *= d
    if -1 in target:
        if known == 0 or size % known:
            raise ShapeError(f"{_op}: cannot reshape {fmt(shape)} ({size} elements) into {target}")
        return tuple(size // known if d == -1 else d for d in target)
    if known != size:
        raise ShapeError(f"{_op}: cannot reshape {fmt(shape)} ({size} elements) into "
                         f"{fmt(target)} ({known} elements)")
    return target


# --- reading shapes and axes off the arguments of an op function ---------------------

def ndim_of(x):
    """The number of dimensions of a tensor of any kind, an array or a number."""
    n = getattr(x, "ndim", None)
    return np.ndim(x) if n is None else n


def static_shape(x):
    """The shape as a tuple (None entries for unknown dims), or None for an unknown rank."""
    if hasattr(x, "shape"):
        return None if x.shape is None else tuple(x.shape)
    return np.shape(x)


def normalize_axes(axis, x, op="op"):
    """None stays None; an int or a tuple of ints becomes a sorted tuple of axes
    >= 0, each checked against x's rank (an error names the op and the shape): one
    out of range is an ``AxisError``, one given twice a ShapeError, as in PyTorch."""
    if axis is None:
        return None
    n = ndim_of(x)
    if isinstance(axis, (int, np.integer)):
        axis = (int(axis),)
    elif not isinstance(axis, (tuple, list)) or not builtins.all(
            isinstance(a, (int, np.integer)) for a in axis):
        raise TypeError(f"{op}: dim or axis must be an int or a tuple of ints, got "
                        f"{type(axis).__name__} {axis!r}")
    out = []
    for a in axis:
        if not -n <= a < builtins.max(n, 1):
            shape = tuple(x.shape) if hasattr(x, "shape") else np.shape(x)
            raise AxisError(f"{op}: axis {a} is out of range for a tensor with {n} dimensions "
                            f"(shape {fmt(shape)}); expected a dim (axis) in "
                            f"[{-builtins.max(n, 1)}, {builtins.max(n, 1) - 1}]")
        out.append(int(a) % builtins.max(n, 1))
    if len(set(out)) < len(out):
        twice = next(a for a in out if out.count(a) > 1)
        raise ShapeError(f"{op}: dim {twice} appears multiple times in the list of dims "
                         f"{tuple(axis)}")
    return tuple(sorted(out))
