"""TensorFlow 1's array functions that tinyflow has no single primitive for, each
composed from the registry's ops (so each has a gradient for free): the dynamic
``shape``, ``reshape`` with tensors among the sizes, ``unstack``, ``reduce_prod``,
``add_n``, ``one_hot`` with ``axis``.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> x = tf.placeholder(tf.float32, [None, 3], name="x")
>>> n = tf.shape(x)
>>> n, tf.Session().run(n, {x: [[1, 2, 3], [4, 5, 6]]})
(<tf.Tensor 'Shape:0' shape=(2,) dtype=int32>, array([2, 3], dtype=int32))
"""
import weakref

import numpy as np

from .. import ops as F
from ..base.errors import ShapeError
from ..graph.api import as_tensor, constant, name_op
from ..graph.graph import building
from ..graph.tensor import SymbolicTensor
from ..ops.shape_rules import fmt, normalize_axes

# id(shape(x) tensor) -> (a weak reference to it, x), so ``reshape(y, [shape(y)[0], -1])``
# knows which size it names. (Keyed by id: a tensor's == builds an Equal op.)
_SHAPE_OF = {}


def shape(input, name=None, out_type=np.int32):
    """The shape of ``input`` when the graph runs, as a 1-D tensor: a constant when
    every size is known while building, else a ``Shape`` op reading the running value."""
    x = as_tensor(input)
    if x._shape is None:
        raise ShapeError(f"shape({x.name}): the rank of {x.name} is unknown when the graph is "
                         f"built; give its placeholder a shape")
    with building(x.graph):
        if None not in x._shape:
            out = constant(np.array(x._shape, out_type), name=name or "Shape")
        else:
            out = name_op(F.shape_of(x, out_type), name or "Shape")   # TF's Shape op
    _SHAPE_OF[id(out)] = (weakref.ref(out), x)
    return out


def _size_of(entry):
    """A size given as a tensor: its value if the graph already knows it, else None;
    and which (tensor, axis) it names when it is ``shape(t)[axis]``."""
    op = entry.node
    if op.type == "GetItem" and isinstance(op.attrs["key"][0], int):
        ref, source = _SHAPE_OF.get(id(op.inputs[0]), (None, None))
        if ref is not None and ref() is op.inputs[0]:
            axis = op.attrs["key"][0]
            return source._shape[axis], (source, axis)
    return None, None


def reshape(tensor, shape, name=None):
    """``tensor`` in a new shape; sizes may be tensors (``[tf.shape(x)[0], -1]``), which
    the graph resolves when it can and otherwise lets the one ``-1`` absorb."""
    x = as_tensor(tensor)
    if isinstance(shape, SymbolicTensor):
        raise TypeError(f"reshape({x.name}): a whole shape given as a tensor is not supported; "
                        f"give a list of sizes (ints, or scalar tensors such as tf.shape(x)[0])")
    entries = [shape] if isinstance(shape, (int, np.integer)) else list(shape)
    if not any(isinstance(e, SymbolicTensor) for e in entries):
        return F.reshape(x, tuple(int(e) for e in entries))
    sizes, unresolved, same = [], [], []
    for i, e in enumerate(entries):
        if not isinstance(e, SymbolicTensor):
            sizes.append(int(e))
            continue
        value, names = _size_of(e)
        sizes.append(-1 if value is None else value)
        if value is None:
            unresolved.append(i)
            if names is not None and names[0] is x and names[1] == i:
                same.append(i)           # this size is x's own size on that axis
    if sizes.count(-1) > 1:
        sizes = _fill_in(x, sizes, same, unresolved)
    out = F.reshape(x, tuple(sizes))
    if unresolved:                 # as TensorFlow infers it: sizes from tensors are unknown
        minus_one = any(not isinstance(e, SymbolicTensor) and e == -1 for e in entries)
        out._relax_shape(tuple(None for _ in sizes) if minus_one else
                         tuple(None if i in unresolved else d for i, d in enumerate(out._shape)))
    return out


def _fill_in(x, sizes, same, unresolved):
    """Several unknown sizes: those that are x's own sizes on the same axis stay -1
    only if the rest of x's size is known, which fixes the explicit -1."""
    rest = [d for i, d in enumerate(x._shape or ()) if i not in same]
    known = [s for i, s in enumerate(sizes) if s != -1]
    if x._shape is None or None in rest or len(unresolved) != len(same) or len(same) != 1:
        raise ShapeError(f"reshape({x.name}): more than one size of {sizes} is unknown when the "
                         f"graph is built (x has shape {fmt(x._shape)}); give at most one -1")
    total = int(np.prod(rest)) // int(np.prod(known)) if known else int(np.prod(rest))
    return [total if s == -1 and i not in same else s for i, s in enumerate(sizes)]


def unstack(value, num=None, axis=0, name="unstack"):
    """``value`` split along ``axis`` into a list of its slices (that axis removed)."""
    x = as_tensor(value)
    axis = normalize_axes(axis, x, "Unpack")[0]
    n = x._shape[axis] if x._shape is not None else None
    if n is None:
        n = num
    if n is None:
        raise ValueError(f"Cannot infer argument `num` from shape {fmt(x._shape)}")
    if num is not None and num != n:
        raise ValueError(f"unstack: num={num} but {x.name} has {n} entries along axis {axis}")
    with building(x.graph):
        return [x[(slice(None),) * axis + (i,)] for i in range(n)]


def reduce_prod(input_tensor, axis=None, keepdims=False):
    """The product of the elements along ``axis`` (all of them when None), as pairwise
    products of halves: log2(n) multiplications per axis, exact gradients at zeros."""
    x = as_tensor(input_tensor)
    axes = tuple(range(x.ndim)) if axis is None else normalize_axes(axis, x, "Prod")
    y = x
    for a in axes:
        n = y._shape[a]
        if n is None:
            raise ShapeError(f"reduce_prod({x.name}): the size of axis {a} must be known when "
                             f"the graph is built, got shape {fmt(x._shape)}")
        y = _prod_axis(y, a, n)
    if not keepdims:
        y = F.squeeze(y, axes) if axes else y
    return y


def _prod_axis(y, a, n):
    def part(t, start, stop):
        return t[(slice(None),) * a + (slice(start, stop),)]
    if n == 0:                              # the empty product: ones of the reduced shape
        return F.sum(y, a, keepdims=True) + 1
    while n > 1:                            # halves multiplied; an odd last slice carried
        half = n // 2
        head = part(y, 0, half) * part(y, half, 2 * half)
        y = F.concat([head, part(y, 2 * half, n)], a) if n % 2 else head
        n = half + n % 2
    return y


def add_n(inputs, name=None):
    """The sum of a list of tensors of one shape and dtype."""
    if not inputs:
        raise ValueError("add_n: inputs must be a non-empty list of tensors")
    ts = [as_tensor(t) for t in inputs]
    total = ts[0]
    for t in ts[1:]:
        if t.dtype != ts[0].dtype:
            raise TypeError(f"add_n: all inputs must have one dtype, got {ts[0].dtype.name} and "
                            f"{t.dtype.name}")
        total = F.add(total, t)
    return total if len(ts) > 1 else F.identity(total)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None):
    """TensorFlow's one_hot: the dtype of ``on_value``/``off_value`` (float32 when
    neither is given), the new axis at ``axis`` (last by default)."""
    idx = as_tensor(indices)
    if dtype is None:
        given = on_value if on_value is not None else off_value
        dtype = np.float32 if given is None else as_tensor(given).dtype
    dtype = np.dtype(dtype)
    on = 1 if on_value is None else on_value
    off = 0 if off_value is None else off_value
    out = F.one_hot(idx, int(depth), np.asarray(on, dtype), np.asarray(off, dtype), dtype)
    if axis is not None and axis != -1:
        n = out.ndim
        order = list(range(n - 1))
        order.insert(axis % n, n - 1)
        out = F.transpose(out, tuple(order))
    return out
