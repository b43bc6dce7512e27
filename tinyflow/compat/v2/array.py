"""TensorFlow 2's array and reduction names beyond spelling.py's: ``gather``, ``tile``,
``pad``, ``split``, ``reverse``, ``sort``, ``argsort``, ``boolean_mask``, ``size``,
``rank``, ``reduce_all``, ``reduce_any``, ``norm``, ``cumsum``, ``einsum``,
``clip_by_global_norm`` -- each handed to an op of ``tinyflow.ops`` (so each has a
gradient for free), eagerly and inside ``tf.function``.

>>> import tinyflow.compat.v2 as tf
>>> tf.gather([[1, 2], [3, 4], [5, 6]], [2, 0]).numpy().tolist()
[[5, 6], [1, 2]]
>>> [p.numpy().tolist() for p in tf.split(tf.range(5), [2, -1])]
[[0, 1], [2, 3, 4]]
"""
import builtins

import numpy as np

from ... import ops as F
from ...nn.functional_more import pad as _torch_pad
from ...base.errors import InvalidArgumentError
from .spelling import constant, executing_eagerly, tensor_of


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """The slices of ``params`` along ``axis`` at ``indices``: the result's shape is
    params' before axis, indices' (after its ``batch_dims`` leading dimensions, which
    pair up with params' own), then params' after axis. ``axis`` defaults to
    ``batch_dims`` (so batch_dims=-1 gathers along the last axis, as TF's does).

    >>> gather([[1, 2, 3], [4, 5, 6]], [[2], [0]], batch_dims=1).numpy().tolist()
    [[3], [4]]
    """
    x, i = tensor_of(params), tensor_of(indices)
    b = int(batch_dims) + (i.ndim if batch_dims < 0 else 0)
    axis = (int(batch_dims) if axis is None else int(axis)) % x.ndim   # TF's default, -1 too
    if not 0 <= b <= builtins.min(axis, i.ndim):
        raise ValueError(f"tf.gather: batch_dims ({batch_dims}) must be in [0, min(axis "
                         f"({axis}), rank(indices) ({i.ndim}))]")
    if executing_eagerly():                  # as TF's GatherV2 (which never wraps negatives)
        values, n = np.asarray(i.numpy()), x.shape[axis]
        bad = values[(values < 0) | (values >= n)]
        if bad.size:
            raise InvalidArgumentError(f"tf.gather: indices = {int(bad.flat[0])} is not in "
                                       f"[0, {n})")
    if b == 0:
        return x[(slice(None),) * axis + (i,)]
    if axis != b:                            # gather along b, then move the axes back
        x = F.transpose(x, list(builtins.range(b)) + [axis] +
                        [d for d in builtins.range(b, x.ndim) if d != axis])
    batch = tuple(constant(np.arange(x.shape[d]).reshape(
        [x.shape[d] if k == d else 1 for k in builtins.range(i.ndim)])) for d in builtins.range(b))
    out = x[batch + (i,)]
    if axis == b:
        return out
    r, m = i.ndim - b, axis - b
    return F.transpose(out, list(builtins.range(b)) + list(builtins.range(b + r, b + r + m)) +
                       list(builtins.range(b, b + r)) +
                       list(builtins.range(b + r + m, out.ndim)))


def tile(input, multiples, name=None):
    """``input`` repeated ``multiples[d]`` times along each dimension d.

    >>> tile([[1, 2]], [2, 2]).numpy().tolist()
    [[1, 2, 1, 2], [1, 2, 1, 2]]
    """
    x = tensor_of(input)
    multiples = [int(m) for m in multiples]
    if len(multiples) != x.ndim:
        raise InvalidArgumentError(f"tf.tile: multiples has {len(multiples)} entries but "
                                   f"input has rank {x.ndim}; give one per dimension")
    return F.repeat(x, *multiples)


def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    """``tensor`` with ``paddings[d] = [before, after]`` values of ``constant_values``
    around each dimension d (mode 'CONSTANT' only).

    >>> pad([[1, 2]], [[1, 0], [0, 2]]).numpy().tolist()
    [[0, 0, 0, 0], [1, 2, 0, 0]]
    """
    if mode.upper() != "CONSTANT":
        raise NotImplementedError(f"tf.pad: tinyflow supports mode='CONSTANT' only, got {mode!r}")
    x = tensor_of(tensor)
    pairs = np.asarray(paddings, np.int64).reshape(-1, 2) if np.size(paddings) else \
        np.zeros((0, 2), np.int64)
    if pairs.shape[0] != x.ndim:
        raise InvalidArgumentError(f"tf.pad: paddings must be of shape [{x.ndim}, 2] for a "
                                   f"tensor of rank {x.ndim}, got "
                                   f"{np.asarray(paddings).tolist()}")
    if (pairs < 0).any():
        raise ValueError(f"tf.pad: paddings must be non-negative, got {pairs.tolist()}")
    flat = [int(p) for pair in pairs[::-1] for p in pair]     # PyTorch's order: last dim first
    return _torch_pad(x, flat, "constant", constant_values) if flat else x


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """``value`` cut along ``axis`` into ``num_or_size_splits`` equal pieces (an int,
    which must divide the size) or pieces of the sizes a list gives (one may be -1)."""
    x = tensor_of(value)
    axis = int(axis) % x.ndim
    n = x.shape[axis]
    if np.ndim(num_or_size_splits) == 0:
        k = int(num_or_size_splits)
        if k <= 0 or n % k:
            raise InvalidArgumentError(f"tf.split: dimension {axis} of size {n} cannot be "
                                       f"split into {k} equal pieces")
        return list(F.split(x, n // k, axis))
    sizes = [int(s) for s in num_or_size_splits]
    if sizes.count(-1) == 1:
        sizes[sizes.index(-1)] = n - (builtins.sum(sizes) + 1)
    if builtins.sum(sizes) != n or builtins.min(sizes, default=0) < 0:
        raise ValueError(f"tf.split: sizes {list(num_or_size_splits)} do not add up to "
                         f"dimension {axis} of size {n}")
    return list(F.split(x, sizes, axis))


def reverse(tensor, axis, name=None):
    """``tensor`` with the order of its entries along each of ``axis`` (a list) reversed."""
    return F.flip(tensor_of(tensor), [int(a) for a in axis])


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """The int32 indices that sort ``values`` along ``axis`` (ties keep their order)."""
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"tf.argsort: direction must be 'ASCENDING' or 'DESCENDING', got "
                         f"{direction!r}")
    return F.cast(F.argsort(tensor_of(values), axis, direction == "DESCENDING"), np.int32)


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """``values`` sorted along ``axis``."""
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"tf.sort: direction must be 'ASCENDING' or 'DESCENDING', got "
                         f"{direction!r}")
    return F.sort(tensor_of(values), axis, direction == "DESCENDING")[0]


def boolean_mask(tensor, mask, axis=None, name="boolean_mask"):
    """The entries (or slices) of ``tensor`` where the K-D boolean ``mask`` over its
    dimensions ``axis`` .. ``axis + K - 1`` holds, those dimensions flattened into one.

    >>> boolean_mask([[1, 2], [3, 4]], [True, False]).numpy().tolist()
    [[1, 2]]
    """
    x, m = tensor_of(tensor), tensor_of(mask)
    if np.dtype(m.dtype) != np.bool_:
        raise TypeError(f"tf.boolean_mask: mask must be boolean, got {np.dtype(m.dtype).name}")
    axis = 0 if axis is None else int(axis) % x.ndim
    if m.ndim == 0 or tuple(m.shape) != tuple(x.shape[axis:axis + m.ndim]):
        raise ValueError(f"tf.boolean_mask: mask of shape {tuple(m.shape)} does not match the "
                         f"dimensions {axis}.. of tensor of shape {tuple(x.shape)}")
    return x[(slice(None),) * axis + (m,)]


def size(input, out_type="int32", name=None):
    """The number of elements, as a scalar tensor of ``out_type``."""
    return constant(int(np.prod(tensor_of(input).shape)), out_type)


def rank(input, name=None):
    """The number of dimensions, as an int32 scalar."""
    return constant(tensor_of(input).ndim, "int32")


def _logical(reduce, fn):
    def op(input_tensor, axis=None, keepdims=False, name=None):
        x = tensor_of(input_tensor)
        if np.dtype(x.dtype) != np.bool_:
            raise TypeError(f"tf.{fn}: input must be boolean, got {np.dtype(x.dtype).name}")
        return F.cast(reduce(F.cast(x, np.int8), axis, keepdims), np.bool_)
    op.__name__ = fn
    op.__doc__ = f"TensorFlow's tf.{fn}(input_tensor, axis=None, keepdims=False) of booleans"
    return op


reduce_all, reduce_any = _logical(F.min, "reduce_all"), _logical(F.max, "reduce_any")


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None):
    """The ``ord`` norm of ``tensor`` over all of it (``axis`` None), a vector norm
    along one axis, or a matrix norm over two ('euclidean' / 'fro', 1, inf there).

    >>> float(norm([[3.0, 0.0], [0.0, 4.0]]))
    5.0
    """
    x, keep = tensor_of(tensor), builtins.bool(keepdims)
    if axis is None:
        axes = tuple(builtins.range(x.ndim))
    else:
        axes = (int(axis),) if np.ndim(axis) == 0 else tuple(int(a) for a in axis)
    if len(axes) == 2 and axis is not None and ord not in ("euclidean", "fro"):
        return F.matrix_norm(x, ord, axes, keep)
    if ord == "fro" and len(axes) != 2:
        raise ValueError("tf.norm: ord='fro' needs a tuple of two axes")
    p = 2 if ord in ("euclidean", "fro") else ord
    return F.vector_norm(x, p, axes, keep)


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running sums along ``axis``; ``exclusive`` leaves each element out of its own sum,
    ``reverse`` sums from the end.

    >>> cumsum([1, 2, 3], exclusive=True, reverse=True).numpy().tolist()
    [5, 3, 0]
    """
    x = tensor_of(x)
    flipped = F.flip(x, [axis]) if reverse else x
    out = F.cumsum(flipped, axis)
    if exclusive:
        out = out - flipped
    if out.dtype != x.dtype:               # the op sums integers as int64 (PyTorch's rule)
        out = F.cast(out, x.dtype)
    return F.flip(out, [axis]) if reverse else out


def einsum(equation, *inputs, **kwargs):
    """Einstein summation over ``inputs`` as ``equation`` says ('ij,jk->ik')."""
    return F.einsum(equation, *[tensor_of(t) for t in inputs])


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """(each tensor times clip_norm / max(global_norm, clip_norm), global_norm), where the
    global norm is the norm of all the tensors together (None entries stay None)."""
    ts = [None if t is None else tensor_of(t) for t in t_list]
    present = [t for t in ts if t is not None]
    if use_norm is None:
        squares = [F.sum(F.square(t)) for t in present]
        use_norm = F.sqrt(F.sum(F.stack(squares, 0))) if squares else constant(0.0)
    use_norm = tensor_of(use_norm)
    scale = clip_norm / F.maximum(use_norm, constant(clip_norm, np.dtype(use_norm.dtype)))
    return [None if t is None else t * F.cast(scale, t.dtype) for t in ts], use_norm
