"""TensorFlow 1's math functions, ``tf.add`` ... ``tf.argmax``: names over tinyflow's
ops, with TensorFlow's op names and its dtype rules (both operands of one dtype; a
Python number takes the tensor's; integer ``/`` divides as floats).

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> tf.add(tf.constant(2), 3), tf.div(tf.constant(7), 2)
(<tf.Tensor 'Add:0' shape=() dtype=int32>, <tf.Tensor 'div:0' shape=() dtype=int32>)
>>> tf.constant(1) + tf.constant(1.0)
Traceback (most recent call last):
...
TypeError: Input 'y' of 'Add' Op has type float32 that does not match type int32 of argument 'x'.
"""
import numpy as np

from ... import ops as _F
from ...graph.api import as_tensor, name_op
from ...graph.feeds import STRING, as_dtype
from ...graph.graph import building
from ...ops import elementwise as _E, sorting as _S
from .spelling import arg_extreme, binary, in_graph, reduction
from ...nn.tf_array import reduce_prod as _reduce_prod

add, subtract, multiply = binary(_E.Add, "Add"), binary(_E.Sub, "Sub"), binary(_E.Mul, "Mul")
divide = truediv = binary(_E.Div, "truediv")
realdiv = binary(_E.Div, "RealDiv")
floordiv, floor_div = binary(_S.FloorDiv, "floordiv"), binary(_S.FloorDiv, "FloorDiv")
mod = floormod = binary(_S.Mod, "FloorMod")
pow, maximum, minimum = (binary(_E.Pow, "Pow"), binary(_E.Maximum, "Maximum"),  # noqa: A001
                         binary(_E.Minimum, "Minimum"))
equal, not_equal = binary(_E.Equal, "Equal"), binary(_E.NotEqual, "NotEqual")
less, less_equal = binary(_E.Less, "Less"), binary(_E.LessEqual, "LessEqual")
greater, greater_equal = binary(_E.Greater, "Greater"), binary(_E.GreaterEqual, "GreaterEqual")
logical_and, logical_or = binary(_E.LogicalAnd, "LogicalAnd"), binary(_E.LogicalOr, "LogicalOr")
_floor_div_op, _real_div_op = binary(_S.FloorDiv, "div"), binary(_E.Div, "div")


def div(x, y, name=None):
    """TF1's ``tf.div``: Python 2's division -- floor division for integers."""
    t = as_tensor(x) if not hasattr(x, "dtype") else x
    floor = np.dtype(as_dtype(t.dtype).dtype).kind in "iu"
    return (_floor_div_op if floor else _real_div_op)(t, y, name=name)


def _unary(f):
    def op(x, name=None):
        with building():
            out = f(as_tensor(x))
        return name_op(out, name)
    op.__name__ = f.__name__
    op.__doc__ = f"TensorFlow's tf.{f.__name__}: " + (f.__doc__ or "").strip().split("\n")[0]
    return op


exp, log, sqrt, rsqrt = _unary(_F.exp), _unary(_F.log), _unary(_F.sqrt), _unary(_F.rsqrt)
abs, sign, negative = _unary(_F.abs), _unary(_F.sign), _unary(_F.neg)  # noqa: A001
square, reciprocal = _unary(_F.square), _unary(_F.reciprocal)
sin, cos, tanh, sigmoid = _unary(_F.sin), _unary(_F.cos), _unary(_F.tanh), _unary(_F.sigmoid)
floor, ceil, round = _unary(_F.floor), _unary(_F.ceil), _unary(_F.round)  # noqa: A001
log1p, erf = _unary(_F.log1p), _unary(_F.erf)
logical_not, is_finite = _unary(_F.logical_not), _unary(_F.isfinite)
zeros_like, ones_like = _unary(_F.zeros_like), _unary(_F.ones_like)
where = in_graph(_F.where)


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, name=None):
    """a @ b (either transposed first); both of one dtype, as in TensorFlow."""
    a, b = as_tensor(a), as_tensor(b)
    if a.dtype != b.dtype:
        raise TypeError(f"Input 'b' of 'MatMul' Op has type {as_dtype(b.dtype).name} that does "
                        f"not match type {as_dtype(a.dtype).name} of argument 'a'.")
    with building():
        out = _F.matmul(a, b, transpose_a or adjoint_a, transpose_b or adjoint_b)
    return name_op(out, name)


def cast(x, dtype, name=None):
    """``x`` converted to ``dtype`` (TensorFlow's names: ``"float"`` is float32)."""
    d = as_dtype(dtype)
    t = as_tensor(x)
    if d == STRING or t.dtype == STRING:
        raise TypeError(f"Cast: tensors of strings cannot be cast (from {as_dtype(t.dtype).name} "
                        f"to {d.name})")
    with building():
        out = _F.cast(t, d.base_dtype.dtype)
    return name_op(out, name)


def to_float(x, name="ToFloat"):
    """x cast to float32 (TF1's shorthand)."""
    return cast(x, np.float32, name=name)


def to_double(x, name="ToDouble"):
    return cast(x, np.float64, name=name)


def to_int32(x, name="ToInt32"):
    return cast(x, np.int32, name=name)


def to_int64(x, name="ToInt64"):
    return cast(x, np.int64, name=name)


clip_by_value = in_graph(lambda t, clip_value_min, clip_value_max:
                         _F.clamp(as_tensor(t), clip_value_min, clip_value_max))
reduce_sum, reduce_mean = reduction(_F.sum), reduction(_F.mean)
reduce_max, reduce_min = reduction(_F.max), reduction(_F.min)
reduce_logsumexp, reduce_prod = reduction(_F.logsumexp), reduction(_reduce_prod)
argmax, argmin = arg_extreme(_F.argmax), arg_extreme(_F.argmin)


def arg_max(input, dimension, output_type=np.int64, name=None):
    """TF1's older ``tf.arg_max(input, dimension)``: argmax along ``dimension``."""
    return argmax(input, axis=dimension, output_type=output_type, name=name)


def arg_min(input, dimension, output_type=np.int64, name=None):
    """TF1's older ``tf.arg_min(input, dimension)``: argmin along ``dimension``."""
    return argmin(input, axis=dimension, output_type=output_type, name=name)
