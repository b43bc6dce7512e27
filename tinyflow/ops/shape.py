"""Primitives that move elements around without arithmetic: reshape,
transpose, expand/squeeze, broadcast, concatenate. (Indexing: indexing.py.)

>>> import numpy as np
>>> from tinyflow.ops import shape as S
>>> S.Transpose.forward(np.zeros((2, 3)), axes=(1, 0)).shape
(3, 2)
"""
import builtins

import numpy as np

from . import shape_rules
from ..base.args import shape_arg
from ..base.errors import ShapeError
from .primitive import NO_ATTRS, Primitive, bind, first_dtype, is_tensor
from .shape_rules import AxisError, ndim_of, normalize_axes, static_shape
from .. import ops as F


def _reshape(x, shape):
    return np.reshape(x, shape)


def _reshape_like(x, like):
    return np.reshape(x, np.shape(like))


Reshape = Primitive("Reshape", _reshape,
                    lambda s, shape: shape_rules.reshape(s, shape), family="shape",
                    doc="the same elements in a new shape")
Reshape.defvjp(lambda g, x, out, shape: F.reshape_like(g, x))
ReshapeLike = Primitive("ReshapeLike", _reshape_like, lambda s, like: like, dtype=first_dtype,
                        family="shape", doc="x reshaped to the shape of like")
ReshapeLike.defvjp(lambda g, x, like, out: F.reshape_like(g, x), None, reads=(0,))


def _transpose(x, axes):
    return x.transpose(axes) if x.__class__ is np.ndarray else np.transpose(x, axes)


def _transpose_rule(s, axes):
    if s is None:
        return None
    if sorted(axes) != list(range(len(s))):
        raise ShapeError(f"Transpose: axes {axes} are not a permutation of the "
                                f"{len(s)} dimensions of {shape_rules.fmt(s)}")
    return tuple(s[a] for a in axes)


Transpose = Primitive("Transpose", _transpose, _transpose_rule, family="shape",
                      doc="dimensions permuted by axes")
Transpose.defvjp(lambda g, x, out, axes: F.transpose(g, tuple(np.argsort(axes).tolist())),
                 reads=())


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
            raise ShapeError(f"Squeeze: cannot squeeze dimension {a} of size {s[a]} "
                                    f"in shape {shape_rules.fmt(s)}")
    return tuple(d for i, d in enumerate(s) if i not in axis)


ExpandDims = Primitive("ExpandDims", _expand_dims, _expand_rule, family="shape",
                       doc="new axes of size 1 inserted")
Squeeze = Primitive("Squeeze", _squeeze, _squeeze_rule, family="shape",
                    doc="axes of size 1 removed")
ExpandDims.defvjp(lambda g, x, out, axis: F.squeeze(g, axis), reads=())
Squeeze.defvjp(lambda g, x, out, axis: F.expand_dims(g, axis), reads=())


def _broadcast_to(x, shape):
    return np.broadcast_to(x, shape)


BroadcastTo = Primitive("BroadcastTo", _broadcast_to,
                        lambda s, shape: shape_rules.broadcast("BroadcastTo", s, tuple(shape)) and tuple(shape),
                        family="shape", doc="x repeated along broadcast dimensions")
BroadcastTo.defvjp(lambda g, x, out, shape: F.sum_to(g, x))


def _concat(*xs, axis):
    return np.concatenate(xs, axis=axis)


def _concat_rule(*ss, axis):
    if any(s is None for s in ss):
        return None
    first = ss[0]
    total = 0
    for i, s in enumerate(ss):
        if not s:
            raise ShapeError(f"ConcatV2: zero-dimensional tensor (at position {i}) cannot be "
                             f"concatenated; stack them instead, or give them a dimension")
        if len(s) != len(first):
            raise ShapeError(f"ConcatV2: all inputs need the same rank, got "
                                    f"{', '.join(shape_rules.fmt(t) for t in ss)}")
        for i, (a, b) in enumerate(zip(first, s)):
            if i != axis and a is not None and b is not None and a != b:
                raise ShapeError(f"ConcatV2: shapes {shape_rules.fmt(first)} and {shape_rules.fmt(s)} "
                                        f"differ in dimension {i}, which is not the concat axis {axis}")
        total = None if total is None or s[axis] is None else total + s[axis]
    return first[:axis] + (total,) + first[axis + 1:]


def _concat_vjp(i, g, *xs, out, axis):
    # Input i's part of g, counted from the front where the sizes before it are known,
    # else from the back (a while loop's growing accumulator: unknown size, then 1 row).
    sizes = [x.shape[axis] for x in xs]
    before, after = sizes[:i], sizes[i + 1:]
    if None not in before and (sizes[i] is not None or None not in after):
        start = sum(before)
        stop = start + sizes[i] if sizes[i] is not None else (-sum(after) or None)
    elif None not in after and (sizes[i] is not None or None not in before):
        stop = -sum(after) or None
        start = -(sum(after) + sizes[i]) if sizes[i] is not None else sum(before)
    else:
        raise ShapeError("ConcatV2 gradient: the sizes along the concat axis must be known "
                         "(all but one)")
    key = (slice(None),) * axis + (slice(start, stop),)
    return F.getitem(g, key)


Concat = Primitive("ConcatV2", _concat, _concat_rule, family="shape", promotion="arith",
                   doc="inputs joined along axis")
Concat.defvjp_each(_concat_vjp)


# --- the op functions ----------------------------------------------------------

def reshape(x, shape):
    """the same elements in a new shape; one dimension may be -1."""
    return bind(Reshape, (x,), {"shape": shape_arg("reshape", "shape", shape)})


def reshape_like(x, like):
    """x reshaped to the shape of ``like``."""
    return bind(ReshapeLike, (x, like), NO_ATTRS)


def _dim(op, name, a, n):
    """One dimension index among ``n`` -> its index >= 0 (TypeError / AxisError)."""
    if not isinstance(a, (int, np.integer)) or isinstance(a, (bool, np.bool_)):
        raise TypeError(f"{op}(): argument '{name}' must be int, not "
                        f"{type(a).__name__} {a!r}")
    if not -n <= a < n:
        raise AxisError(f"{op}(): argument '{name}': Dimension out of range (expected to be in "
                        f"range of [{-n}, {n - 1}], but got {a})")
    return int(a) % n


def transpose(x, axes=None):
    """dimensions permuted (reversed when axes is None)."""
    n = ndim_of(x)
    if axes is None:
        axes = tuple(range(n))[::-1]
    else:
        axes = tuple(_dim("transpose", "dims", a, builtins.max(n, 1)) for a in axes)
    return bind(Transpose, (x,), {"axes": axes})


def expand_dims(x, axis):
    """new axes of size 1 at ``axis`` (an int or a tuple), as numpy.expand_dims: with
    ``n`` dimensions in the result, each axis is in [-n, n - 1]."""
    if axis.__class__ is int:               # the common case, without the general sorting
        n = ndim_of(x) + 1
        if not -n <= axis < n:
            _dim("expand_dims", "axis", axis, n)
        return bind(ExpandDims, (x,), {"axis": (axis % n,)})
    if isinstance(axis, (int, np.integer)):
        axis = (axis,)
    if not isinstance(axis, (tuple, list)):
        _dim("expand_dims", "axis", axis, 1)          # says what came instead of an int
    n = ndim_of(x) + len(axis)
    axis = tuple(sorted(_dim("expand_dims", "axis", a, n) for a in axis))
    return bind(ExpandDims, (x,), {"axis": axis})


def squeeze(x, axis=None):
    """axes of size 1 removed (all of them when axis is None)."""
    if axis is None:
        shape = tuple(x.shape) if hasattr(x, "shape") else np.shape(x)
        if None in shape:
            raise ShapeError(f"squeeze: the shape {shape_rules.fmt(shape)} has unknown dimensions; "
                             "say which axis to squeeze")
        axis = tuple(i for i, d in enumerate(shape) if d == 1)
    else:
        axis = normalize_axes(axis, x, "Squeeze")
    return bind(Squeeze, (x,), {"axis": axis})


def broadcast_to(x, shape):
    """x repeated along new or size-1 dimensions to ``shape``."""
    return bind(BroadcastTo, (x,), {"shape": tuple(int(d) for d in shape)})


def _tensor_list(op, xs):
    """The tensors to join, as a tuple: a list or tuple of them, not one tensor."""
    if is_tensor(xs) or isinstance(xs, np.ndarray):
        raise TypeError(f"{op}(): argument 'tensors' must be a list or tuple of tensors, not "
                        f"one tensor (wrap it: {op}([a, b]))")
    try:
        return tuple(xs)
    except TypeError:
        raise TypeError(f"{op}(): argument 'tensors' must be a list or tuple of tensors, not "
                        f"{type(xs).__name__}") from None


def concat(xs, axis=0):
    """tensors joined along an existing axis."""
    xs = _tensor_list("cat", xs)
    if not xs:
        raise ValueError("cat(): argument 'tensors' must be a non-empty list of tensors "
                         "(concat: expected a non-empty sequence of tensors)")
    return bind(Concat, xs, {"axis": _dim("cat", "dim", axis, builtins.max(ndim_of(xs[0]), 1))})


def stack(xs, axis=0):
    """tensors joined along a new axis."""
    xs = _tensor_list("stack", xs)
    if not xs:
        # PyTorch: a RuntimeError; TensorFlow: a ValueError. A ShapeError is both.
        raise ShapeError("stack(): argument 'tensors' must be a non-empty list of tensors "
                         "(stack expects a non-empty TensorList)")
    first = static_shape(xs[0])
    for i, x in enumerate(xs[1:], 1):
        s = static_shape(x)
        if first is not None and s is not None and (len(s) != len(first) or builtins.any(
                a is not None and b is not None and a != b for a, b in zip(first, s))):
            raise ShapeError(f"stack: expects tensors of equal shape, got {shape_rules.fmt(first)} at "
                             f"entry 0 and {shape_rules.fmt(s)} at entry {i}")
    a = _dim("stack", "dim", axis, ndim_of(xs[0]) + 1)
    return concat([expand_dims(x, a) for x in xs], a)




# --- the shape itself, as a tensor: known only when the graph runs ------------------

def _shape_of(x, out_type=np.dtype(np.int32)):
    return np.array(np.shape(x), dtype=out_type)


ShapeOf = Primitive("Shape", _shape_of,
                    lambda s, out_type=None: None if s is None else (len(s),),
                    dtype=lambda d, out_type=np.dtype(np.int32): np.dtype(out_type),
                    nondiff=True, family="shape", doc="the shape of a tensor, as a 1-D tensor")


def shape_of(x, out_type=np.int32):
    """TensorFlow's ``tf.shape(x)``: x's shape as an int32 tensor -- in a graph,
    the sizes that are unknown (``?``) while it is built.

    >>> shape_of(np.zeros((2, 3)))
    array([2, 3], dtype=int32)
    """
    return bind(ShapeOf, (x,), {"out_type": np.dtype(out_type)})
