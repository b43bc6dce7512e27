"""How TensorFlow 2 spells a call, turned into tinyflow's.

Every function here works eagerly (an eager tensor now, as TF2 runs) and
inside ``tf.function`` or a ``Dataset.map`` function (a node of the graph
being traced). They differ from tinyflow's PyTorch spellings where TensorFlow
differs: Python values become tensors by TensorFlow's rules (``1`` is int32,
``1.5`` float32), ``argmax`` without an axis means axis 0, ``reduce_mean`` of
integers is an integer, ``tf.equal`` compares element by element.

Nothing here computes: each function hands its arguments to an op of
``tinyflow.ops``.

>>> import tinyflow.compat.v2 as tf
>>> x = tf.constant([[1, 5], [7, 2]])
>>> x.dtype == tf.int32, tf.argmax(x).numpy().tolist(), int(tf.reduce_mean(x))
(True, [1, 0], 3)
"""
import builtins

import numpy as np

from ... import ops as F
from ...data.tf_data.dtypes import as_dtype, infer_array
from ...eager.tensor import Tensor
from ...eager.variable import Variable as EagerVariable
from ...ops.primitive import interpreters, is_tensor
from ...ops.shape import shape_of
from ...tracing import bridge


def executing_eagerly():
    """True, except while ``tf.function`` (or ``Dataset.map``) traces a graph."""
    return interpreters.building is None


def _np(dtype):
    return None if dtype is None else as_dtype(dtype).dtype


def constant(value, dtype=None, shape=None, name="Const"):
    """A constant tensor; without ``dtype``, Python ints are int32 and floats float32."""
    if is_tensor(value):
        value = value if dtype is None else F.cast(value, _np(dtype))
        return value if shape is None else F.broadcast_to(value, tuple(shape))
    arr = infer_array(value, "tf.constant") if dtype is None else np.asarray(value, _np(dtype))
    if shape is not None:
        arr = np.broadcast_to(arr, tuple(shape)).copy() if arr.size == 1 or arr.ndim == 0 \
            else arr.reshape(tuple(shape))
    if not executing_eagerly():
        return bridge.constant(arr, name=name)
    return Tensor._wrap(np.array(arr))


def tensor_of(x):
    """``x`` as a tensor: tensors as they are, anything else as ``constant(x)``."""
    return x if is_tensor(x) else constant(x)


def convert_to_tensor(value, dtype=None, name=None):
    """``value`` as a tensor (of ``dtype``, which a tensor must already have)."""
    if is_tensor(value):
        if dtype is not None and as_dtype(dtype) != value.dtype:
            raise ValueError(f"Tensor conversion requested dtype {as_dtype(dtype).name} for "
                             f"Tensor with dtype {np.dtype(value.dtype).name}: {value!r}")
        return value
    return constant(value, dtype)


def Variable(initial_value, trainable=True, name=None, dtype=None, **kwargs):
    """A variable: eagerly, a named tensor (eager/variable.py) that requires grad
    (if it is floating point and trainable), whose ``numpy()`` needs no detach and
    which updates in place with ``assign``, ``assign_add``, ``assign_sub``; inside a
    traced graph, a graph variable. Python ints make int32 variables, as in TF."""
    if callable(initial_value):
        initial_value = initial_value()
    if not is_tensor(initial_value):
        initial_value = infer_array(initial_value, "tf.Variable") if dtype is None else \
            np.asarray(initial_value, _np(dtype))
    if bridge.in_graph(initial_value):
        return bridge.Variable(initial_value, trainable=trainable, name=name, dtype=_np(dtype),
                               **kwargs)
    if is_tensor(initial_value):
        initial_value = initial_value.detach().numpy()
    return EagerVariable(initial_value, name or "Variable", trainable, _np(dtype))


def cast(x, dtype, name=None):
    """``x`` converted to ``dtype`` (floats to integers truncate toward zero)."""
    return F.cast(tensor_of(x), _np(dtype))


# --- made from a shape ------------------------------------------------------------------

def _shape(shape):
    """A shape given as an int, a list or tuple, or a 1-D tensor, as a tuple of ints."""
    return (int(shape),) if np.ndim(shape) == 0 else tuple(int(d) for d in shape)


def zeros(shape, dtype="float32", name=None):
    return constant(np.zeros(_shape(shape), _np(dtype)))


def ones(shape, dtype="float32", name=None):
    return constant(np.ones(_shape(shape), _np(dtype)))


def fill(dims, value, name=None):
    """A tensor of shape ``dims`` filled with ``value`` (whose dtype it takes)."""
    v = infer_array(value, "tf.fill")
    return constant(np.full(_shape(dims), v, v.dtype))


def zeros_like(input, dtype=None, name=None):
    out = F.zeros_like(tensor_of(input))
    return out if dtype is None else F.cast(out, _np(dtype))


def ones_like(input, dtype=None, name=None):
    out = F.ones_like(tensor_of(input))
    return out if dtype is None else F.cast(out, _np(dtype))


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001
    """``tf.range``: like Python's range (int32), or with float arguments float32."""
    if limit is None:
        start, limit = 0, start
    values = np.arange(start, limit, delta)
    default = infer_array([start, limit, delta]).dtype
    return constant(values.astype(default if dtype is None else _np(dtype)))


def eye(num_rows, num_columns=None, dtype="float32", name=None):
    return constant(np.eye(num_rows, num_columns, dtype=_np(dtype)))


def linspace(start, stop, num, name=None, axis=0):
    dtype = infer_array([start, stop]).dtype
    return constant(np.linspace(start, stop, num, dtype=np.float32 if dtype.kind == "i"
                                else dtype))


# --- shapes ----------------------------------------------------------------------------

def shape(input, out_type="int32", name=None):
    """The shape as an int32 tensor -- in a graph, with the sizes unknown while tracing."""
    return shape_of(tensor_of(input), _np(out_type))


def reshape(tensor, shape, name=None):
    return F.reshape(tensor_of(tensor), [int(d) for d in shape])


def transpose(a, perm=None, conjugate=False, name="transpose"):
    return F.transpose(tensor_of(a), perm)


def expand_dims(input, axis, name=None):
    return F.expand_dims(tensor_of(input), axis)


def squeeze(input, axis=None, name=None):
    return F.squeeze(tensor_of(input), axis)


def concat(values, axis, name="concat"):
    return F.concat([tensor_of(v) for v in values], axis)


def stack(values, axis=0, name="stack"):
    return F.stack([tensor_of(v) for v in values], axis)


def unstack(value, num=None, axis=0, name="unstack"):
    """The slices of ``value`` along ``axis``, as a list."""
    value = tensor_of(value)
    n = value.shape[axis] if num is None else num
    if n is None:
        raise ValueError(f"tf.unstack: cannot infer num from shape {value.shape}; give num=")
    moved = value if axis == 0 else F.transpose(
        value, [axis % value.ndim] + [d for d in builtins.range(value.ndim)
                                      if d != axis % value.ndim])
    return [moved[i] for i in builtins.range(n)]


def broadcast_to(input, shape, name=None):
    return F.broadcast_to(tensor_of(input), tuple(shape))


# --- picking and limiting --------------------------------------------------------------

def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """Rows of ``depth`` values: ``on_value`` (1) at each index, ``off_value`` (0) elsewhere;
    float32 unless ``dtype`` or the values say otherwise."""
    if axis not in (None, -1):
        raise NotImplementedError("tf.one_hot: tinyflow puts the new axis last only (axis=-1)")
    if dtype is None:
        dtype = infer_array(on_value).dtype if on_value is not None else np.float32
    on = 1 if on_value is None else on_value
    off = 0 if off_value is None else off_value
    return F.one_hot(tensor_of(indices), int(depth), on, off, _np(dtype))


def where(condition, x=None, y=None, name=None):
    """``x`` where ``condition`` holds, else ``y`` (broadcasting all three)."""
    if x is None or y is None:
        raise NotImplementedError("tf.where(condition) without x and y (the coordinates of the "
                                  "True values) is not in tinyflow; give x and y")
    return F.where(tensor_of(condition), tensor_of(x), tensor_of(y))


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    return F.clamp(tensor_of(t), clip_value_min, clip_value_max)


def _arg_extreme(f):
    def arg(input, axis=None, output_type="int64", name=None):
        out = f(tensor_of(input), 0 if axis is None else axis)
        want = _np(output_type)
        return out if out.dtype == want else F.cast(out, want)
    arg.__name__ = f.__name__
    arg.__doc__ = (f"TensorFlow's tf.{f.__name__}(input, axis=None, output_type=tf.int64): "
                   f"along axis 0 when no axis is given")
    return arg


argmax, argmin = _arg_extreme(F.argmax), _arg_extreme(F.argmin)


def matmul(a, b, transpose_a=False, transpose_b=False, name=None):
    return F.matmul(tensor_of(a), tensor_of(b), transpose_a, transpose_b)


# --- reductions ------------------------------------------------------------------------

def _reduction(f, name):
    def reduce(input_tensor, axis=None, keepdims=False, name=None):
        return f(tensor_of(input_tensor), axis, keepdims)
    reduce.__name__ = name
    reduce.__doc__ = f"TensorFlow's tf.{name}(input_tensor, axis=None, keepdims=False)"
    return reduce


reduce_sum, reduce_max = _reduction(F.sum, "reduce_sum"), _reduction(F.max, "reduce_max")
reduce_min = _reduction(F.min, "reduce_min")
reduce_logsumexp = _reduction(F.logsumexp, "reduce_logsumexp")


def reduce_mean(input_tensor, axis=None, keepdims=False, name=None):
    """The mean; of integers, an integer (the quotient truncated, as TensorFlow's)."""
    x = tensor_of(input_tensor)
    if np.dtype(x.dtype).kind in "iub":
        return F.cast(F.mean(F.cast(x, np.float64), axis, keepdims), x.dtype)
    return F.mean(x, axis, keepdims)


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """The variance, dividing by n (TensorFlow's; PyTorch's var divides by n - 1)."""
    return F.var(tensor_of(input_tensor), axis, keepdims, correction=0)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    return F.std(tensor_of(input_tensor), axis, keepdims, correction=0)


# --- element by element ----------------------------------------------------------------

def _binary(f):
    def op(x, y, name=None):
        # As tf.convert_to_tensor does: lists become tensors (the ops below take
        # tensors, numbers and arrays only), of the other operand's dtype if it has one.
        if not (is_tensor(x) or is_tensor(y)):
            x = tensor_of(x)
        x, y = _listless(x, y), _listless(y, x)
        return f(x, y)
    op.__name__ = f.__name__
    op.__doc__ = f.__doc__
    return op


def _listless(value, other):
    if not isinstance(value, (list, tuple)):
        return value
    return constant(value, other.dtype if is_tensor(other) else None)


def _unary(f):
    def op(x, name=None):
        return f(tensor_of(x))
    op.__name__ = f.__name__
    op.__doc__ = f.__doc__
    return op
