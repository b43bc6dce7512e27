"""tinyflow's ops, as plain functions over any kind of tensor.

Each function normalizes its arguments and binds a primitive. The same call
works on a numpy array (returns a numpy array: this is what ordinary backward
uses, at numpy speed), on an eager ``Tensor`` (recorded on the tape when
gradients are on) and on a symbolic tensor (adds a node to the graph).

>>> import numpy as np
>>> from tinyflow import ops as F
>>> F.sum(np.ones((2, 3)), axis=1)
array([3., 3.])
"""
import builtins

import numpy as np

from .primitive import PRIMITIVES, Primitive, bind, interpreters
from . import shapes
from ..base.errors import ShapeError
from . import elementwise as _E, reduce as _R, shape as _S, linalg as _L, nn as _N

_NO = {}


def _ndim(x):
    n = getattr(x, "ndim", None)
    return np.ndim(x) if n is None else n


def _axes(axis, x, op="op"):
    """None stays None; ints and tuples become a sorted tuple of axes >= 0."""
    if axis is None:
        return None
    n = _ndim(x)
    if isinstance(axis, (int, np.integer)):
        axis = (int(axis),)
    elif not isinstance(axis, (tuple, list)) or not builtins.all(
            isinstance(a, (int, np.integer)) for a in axis):
        raise TypeError(f"{op}: axis must be an int or a tuple of ints, got {axis!r}")
    out = []
    for a in axis:
        if not -n <= a < builtins.max(n, 1):
            shape = tuple(x.shape) if hasattr(x, "shape") else np.shape(x)
            raise ShapeError(f"{op}: axis {a} is out of range for a tensor with {n} dimensions "
                             f"(shape {shapes.fmt(shape)}); expected an axis in "
                             f"[{-builtins.max(n, 1)}, {builtins.max(n, 1) - 1}]")
        out.append(int(a) % builtins.max(n, 1))
    return tuple(sorted(set(out)))


# --- elementwise ------------------------------------------------------------

def add(a, b):
    """a + b, with numpy broadcasting."""
    return bind(_E.Add, (a, b), _NO)


def sub(a, b):
    """a - b"""
    return bind(_E.Sub, (a, b), _NO)


def mul(a, b):
    """a * b"""
    return bind(_E.Mul, (a, b), _NO)


def div(a, b):
    """a / b (true division)"""
    return bind(_E.Div, (a, b), _NO)


def pow(a, b):
    """a ** b"""
    return bind(_E.Pow, (a, b), _NO)


def maximum(a, b):
    """elementwise larger of a and b"""
    return bind(_E.Maximum, (a, b), _NO)


def minimum(a, b):
    """elementwise smaller of a and b"""
    return bind(_E.Minimum, (a, b), _NO)


def _unary(prim):
    def f(x):
        return bind(prim, (x,), _NO)
    f.__name__ = prim.name.lower()
    f.__doc__ = prim.doc
    return f


neg = _unary(_E.Neg)
exp = _unary(_E.Exp)
log = _unary(_E.Log)
sqrt = _unary(_E.Sqrt)
sin = _unary(_E.Sin)
cos = _unary(_E.Cos)
tanh = _unary(_E.Tanh)
abs = _unary(_E.Abs)
sign = _unary(_E.Sign)
sigmoid = _unary(_E.Sigmoid)
relu = _unary(_E.Relu)
softplus = _unary(_E.Softplus)
identity = _unary(_E.Identity)
logical_not = _unary(_E.LogicalNot)
isfinite = _unary(_E.IsFinite)


def clamp(x, min=None, max=None):
    """x limited to [min, max]; either bound may be None."""
    if min is None and max is None:
        raise ValueError("clamp: at least one of min and max must be given")
    if _is_array(min) or _is_array(max):
        # tensor bounds are inputs, not attributes (they may need gradients themselves)
        if min is not None:
            x = maximum(x, min)
        return x if max is None else minimum(x, max)
    return bind(_E.Clip, (x,), {"min": min, "max": max})


def _is_array(v):
    return isinstance(v, np.ndarray) or getattr(v.__class__, "_kind", 0) > 0


def cast(x, dtype):
    """x converted to dtype."""
    return bind(_E.Cast, (x,), {"dtype": np.dtype(dtype)})


def where(cond, x, y):
    """x where cond is true, else y (broadcasting all three)."""
    return bind(_E.Where, (cond, x, y), _NO)


def equal(a, b):
    return bind(_E.Equal, (a, b), _NO)


def not_equal(a, b):
    return bind(_E.NotEqual, (a, b), _NO)


def less(a, b):
    return bind(_E.Less, (a, b), _NO)


def less_equal(a, b):
    return bind(_E.LessEqual, (a, b), _NO)


def greater(a, b):
    return bind(_E.Greater, (a, b), _NO)


def greater_equal(a, b):
    return bind(_E.GreaterEqual, (a, b), _NO)


def logical_and(a, b):
    return bind(_E.LogicalAnd, (a, b), _NO)


def logical_or(a, b):
    return bind(_E.LogicalOr, (a, b), _NO)


# --- reductions ---------------------------------------------------------------

_WHOLE = {"axis": None, "keepdims": False}     # the attrs of a reduction to a scalar (never edited)


def _reduction(prim):
    def f(x, axis=None, keepdims=False):
        if axis is None and not keepdims:
            return bind(prim, (x,), _WHOLE)
        return bind(prim, (x,), {"axis": _axes(axis, x, prim.name), "keepdims": bool(keepdims)})
    f.__name__ = prim.name.lower()
    f.__doc__ = prim.doc
    return f


sum = _reduction(_R.Sum)
mean = _reduction(_R.Mean)
max = _reduction(_R.Max)
min = _reduction(_R.Min)
logsumexp = _reduction(_R.LogSumExp)


def argmax(x, axis=None, keepdims=False):
    """index of the largest value (over the flattened tensor when axis is None)"""
    if axis is not None:
        axis = _axes(axis, x, "ArgMax")[0]
    return bind(_R.ArgMax, (x,), {"axis": axis, "keepdims": bool(keepdims)})


def argmin(x, axis=None, keepdims=False):
    """index of the smallest value"""
    if axis is not None:
        axis = _axes(axis, x, "ArgMin")[0]
    return bind(_R.ArgMin, (x,), {"axis": axis, "keepdims": bool(keepdims)})


def var(x, axis=None, keepdims=False, correction=1):
    """variance; ``correction=1`` divides by n - 1 (PyTorch's default). As in
    PyTorch the divisor is max(0, n - correction): an empty tensor, or one value
    with correction=1, gives nan (0 / 0), not a number of the wrong sign."""
    axes = _axes(axis, x, "var")
    centered = x - mean(x, axes, keepdims=True)
    total = sum(centered * centered, axes, keepdims=keepdims)
    n = _R.reduced_size(x, axes)
    if not correction:
        return total / n
    if isinstance(n, int):
        return total / builtins.max(n - correction, 0)
    return total / maximum(n - correction, 0.0)


def std(x, axis=None, keepdims=False, correction=1):
    """standard deviation, the square root of ``var``."""
    return sqrt(var(x, axis, keepdims, correction))


def sum_to(x, like):
    """x summed down to the shape of ``like`` (undoes broadcasting)."""
    return bind(_R.SumTo, (x, like), _NO)


def broadcast_like(x, like):
    """x broadcast to the shape of ``like``."""
    return bind(_R.BroadcastLike, (x, like), _NO)


reduced_size = _R.reduced_size


# --- shape ------------------------------------------------------------------

def reshape(x, shape):
    """the same elements in a new shape; one dimension may be -1."""
    if isinstance(shape, (int, np.integer)):
        shape = (int(shape),)
    return bind(_S.Reshape, (x,), {"shape": tuple(int(d) for d in shape)})


def reshape_like(x, like):
    """x reshaped to the shape of ``like``."""
    return bind(_S.ReshapeLike, (x, like), _NO)


def transpose(x, axes=None):
    """dimensions permuted (reversed when axes is None)."""
    n = _ndim(x)
    axes = tuple(range(n))[::-1] if axes is None else tuple(int(a) % n for a in axes)
    return bind(_S.Transpose, (x,), {"axes": axes})


def expand_dims(x, axis):
    """new axes of size 1 at ``axis`` (an int or a tuple), as numpy.expand_dims."""
    if axis.__class__ is int:               # the common case, without the general sorting
        return bind(_S.ExpandDims, (x,), {"axis": (axis % (_ndim(x) + 1),)})
    if isinstance(axis, (int, np.integer)):
        axis = (int(axis),)
    n = _ndim(x) + len(axis)
    axis = tuple(sorted(a % n for a in axis))
    return bind(_S.ExpandDims, (x,), {"axis": axis})


def squeeze(x, axis=None):
    """axes of size 1 removed (all of them when axis is None)."""
    if axis is None:
        shape = tuple(x.shape) if hasattr(x, "shape") else np.shape(x)
        if None in shape:
            raise ShapeError(f"squeeze: the shape {shapes.fmt(shape)} has unknown dimensions; "
                             "say which axis to squeeze")
        axis = tuple(i for i, d in enumerate(shape) if d == 1)
    else:
        axis = _axes(axis, x, "Squeeze")
    return bind(_S.Squeeze, (x,), {"axis": axis})


def broadcast_to(x, shape):
    """x repeated along new or size-1 dimensions to ``shape``."""
    return bind(_S.BroadcastTo, (x,), {"shape": tuple(int(d) for d in shape)})


def concat(xs, axis=0):
    """tensors joined along an existing axis."""
    xs = tuple(xs)
    if not xs:
        raise ValueError("concat: expected a non-empty sequence of tensors")
    return bind(_S.Concat, xs, {"axis": _axes(axis, xs[0], "ConcatV2")[0]})


def stack(xs, axis=0):
    """tensors joined along a new axis."""
    xs = tuple(xs)
    if not xs:
        raise ValueError("stack: expected a non-empty sequence of tensors")
    first = _static_shape(xs[0])
    for i, x in enumerate(xs[1:], 1):
        s = _static_shape(x)
        if first is not None and s is not None and (len(s) != len(first) or builtins.any(
                a is not None and b is not None and a != b for a, b in zip(first, s))):
            raise ShapeError(f"stack: expects tensors of equal shape, got {shapes.fmt(first)} at "
                             f"entry 0 and {shapes.fmt(s)} at entry {i}")
    n = _ndim(xs[0]) + 1
    a = axis % n
    return concat([expand_dims(x, a) for x in xs], a)


def _static_shape(x):
    """The shape as a tuple (None entries for unknown dims), or None for an unknown rank."""
    if hasattr(x, "shape"):
        return None if x.shape is None else tuple(x.shape)
    return np.shape(x)


_MIN_INDEX, _MAX_INDEX = int(np.iinfo(np.int64).min), int(np.iinfo(np.int64).max)


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
            parts.append(_S.Arg(len(arrays) - 1, mask=True))
        elif isinstance(k, (int, np.integer)):
            if not _MIN_INDEX <= k <= _MAX_INDEX:
                raise IndexError(f"index {k} is out of bounds: indices must fit in a signed "
                                 f"64-bit integer ({_MIN_INDEX} to {_MAX_INDEX})")
            parts.append(int(k))
        else:
            if isinstance(k, (list, tuple)):
                big = [v for v in np.ravel(np.asarray(k, dtype=object))
                       if isinstance(v, int) and not _MIN_INDEX <= v <= _MAX_INDEX]
                if big:
                    raise IndexError(f"index {big[0]} is out of bounds: indices must fit in a "
                                     f"signed 64-bit integer ({_MIN_INDEX} to {_MAX_INDEX})")
                k = np.asarray(k)
            dtype = getattr(k, "dtype", None)
            if dtype is None:
                raise IndexError(f"only integers, slices, None, Ellipsis and integer or boolean "
                                 f"arrays are valid indices, got {type(k).__name__} {k!r}")
            if dtype.kind not in "iub":
                raise IndexError(f"only integers, slices, None, Ellipsis and integer or boolean "
                                 f"arrays are valid indices, got an index of dtype {dtype}")
            arrays.append(k)
            parts.append(_S.Arg(len(arrays) - 1, mask=dtype.kind == "b"))
    return tuple(parts), arrays


def getitem(x, key):
    """x[key] with numpy's rules (slices, ints, None, ..., integer and boolean arrays)."""
    parts, arrays = _index_key(key)
    return bind(_S.GetItem, (x, *arrays), {"key": parts})


def getitem_grad(g, like, idx, key):
    """zeros shaped like ``like`` with g added at ``key`` (getitem's adjoint)."""
    return bind(_S.GetItemGrad, (g, like, *idx), {"key": key})


def take_along_axis(x, idx, axis):
    """values of x picked along ``axis`` at ``idx`` (numpy.take_along_axis)."""
    return bind(_S.TakeAlongAxis, (x, idx), {"axis": _axes(axis, x, "GatherElements")[0]})


# --- linear algebra and nn -------------------------------------------------------

def matmul(a, b, transpose_a=False, transpose_b=False):
    """matrix product with numpy.matmul's rules (1-D, 2-D, batched); ``transpose_a``
    / ``transpose_b`` multiply by an operand's matrix transpose (no Transpose op)."""
    if transpose_a or transpose_b:
        return bind(_L.MatMul, (a, b), _TRANSPOSED[bool(transpose_a), bool(transpose_b)])
    return bind(_L.MatMul, (a, b), _NO)


# MatMul's attrs, made once: the backward of every matmul asks for two of these
_TRANSPOSED = {(ta, tb): {"transpose_a": ta, "transpose_b": tb}
               for ta in (False, True) for tb in (False, True)}


def softmax(x, axis=-1):
    """exp(x) / sum(exp(x)) along axis (numerically stable)."""
    return bind(_N.Softmax, (x,), {"axis": _axes(axis, x, "Softmax")[0]})


def log_softmax(x, axis=-1):
    """log(softmax(x)) along axis (numerically stable)."""
    return bind(_N.LogSoftmax, (x,), {"axis": _axes(axis, x, "LogSoftmax")[0]})


def bias_add(x, b):
    """x + b where b is a 1-D bias over the last axis (TensorFlow's BiasAdd)."""
    return bind(_N.BiasAdd, (x, b), _NO)


def _pair(v):
    return (int(v), int(v)) if isinstance(v, (int, np.integer)) else tuple(int(a) for a in v)


def conv2d(x, w, stride=1, padding=0):
    """2-D cross-correlation: x (N, C, H, W), w (O, C, kh, kw) -> (N, O, oh, ow)."""
    return bind(_N.Conv2d, (x, w), {"stride": _pair(stride), "padding": _pair(padding)})


def max_pool2d(x, kernel_size, stride=None, padding=0):
    """largest value in each kernel window; stride defaults to the kernel size."""
    k = _pair(kernel_size)
    return bind(_N.MaxPool2d, (x,), {"kernel": k, "stride": _pair(stride) if stride else k,
                                     "padding": _pair(padding)})


def im2col(x, kh, kw, stride, padding, fill=0.0):
    """all kh x kw patches of x as (N, oh, ow, C, kh, kw)."""
    return bind(_N.Im2Col, (x,), {"kh": kh, "kw": kw, "stride": _pair(stride),
                                  "padding": _pair(padding), "fill": fill})


def col2im(cols, like, kh, kw, stride, padding):
    """patches summed back into an image shaped like ``like`` (im2col's adjoint)."""
    return bind(_N.Col2Im, (cols, like), {"kh": kh, "kw": kw, "stride": _pair(stride),
                                          "padding": _pair(padding)})


# --- appended: used by graph mode -------------------------------------------------

ones_like = _unary(_E.OnesLike)
zeros_like = _unary(_E.ZerosLike)
stop_gradient = _unary(_E.StopGradient)

from . import debug as _D


def Print(input_, data, message=None, first_n=-1, summarize=3, name=None):
    """TensorFlow 1's ``tf.Print``: ``input_`` unchanged, printing ``message`` and
    the values of ``data`` (a list of tensors) each time the node runs --
    immediately in eager mode, at ``Session.run`` time in a graph."""
    if not isinstance(data, (list, tuple)):
        data = [data]
    return bind(_D.Print, (input_, *data), {"message": message, "first_n": int(first_n),
                                            "summarize": int(summarize), "counter": _D.Counter()})


def check_numerics(x, message="", name=None):
    """x unchanged, or an error naming ``message`` if x holds nan or inf."""
    from ..base.source import user_site
    out = bind(_D.CheckNumerics, (x,), {"message": message, "name": name, "site": user_site()})
    if name and getattr(out.__class__, "_kind", 0) == 2:
        out.graph._rename(out.node, name)
    return out


def sparse_softmax_cross_entropy(logits, labels, reduction="none"):
    """-log softmax(logits)[label] for each row of (N, C) logits and (N,) integer labels,
    as one op (TensorFlow's SparseSoftmaxCrossEntropyWithLogits); ``reduction`` 'mean'
    or 'sum' reduces the rows inside the op (as PyTorch's fused loss does)."""
    return bind(_N.SparseXent, (logits, labels), _NO if reduction == "none" else _REDUCED[reduction])


_REDUCED = {r: {"reduction": r} for r in ("mean", "sum")}
