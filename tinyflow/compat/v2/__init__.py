"""TensorFlow 2, spelled the TensorFlow 2 way: ``import tinyflow.compat.v2 as tf``.

Classic TF2 programs -- eager tensors, ``tf.Variable`` and ``GradientTape``
training loops, ``tf.function`` and ``tf.cond``, ``tf.data`` pipelines --
run with only their import line changed. This package holds names only: ops
of the layers below, adapted to TF2's arguments by ``spelling.py``; ``tf.nn``,
``tf.math``, ``tf.linalg``, ``tf.random``, ``tf.dtypes``, ``tf.errors``,
``tf.distribute`` are its modules of the same names (array.py holds ``tf.gather``,
``tf.pad``, ``tf.split`` and the like), ``tf.data`` is tinyflow/data/tf_data,
``tf.summary`` is tinyflow/summary, and ``tf.keras`` is tinyflow/keras (loaded when
first used; ``tf.optimizers`` and ``tf.losses`` are its modules).

(``tinyflow`` itself speaks PyTorch and TF2 together -- ``tinyflow.data`` is
PyTorch's data package -- and ``tinyflow.compat.v1`` speaks TensorFlow 1.)

>>> import tinyflow.compat.v2 as tf
>>> w = tf.Variable(2.0)
>>> with tf.GradientTape() as tape:
...     loss = tf.square(w * 3.0 - 9.0)
>>> float(tape.gradient(loss, w))
-18.0
>>> ds = tf.data.Dataset.from_tensor_slices(tf.range(5)).batch(2)
>>> [b.numpy().tolist() for b in ds]
[[0, 1], [2, 3], [4]]
"""
from ...base.errors import InvalidArgumentError  # noqa: F401
from ...data import tf_data as data  # noqa: F401  (tf.data.Dataset, tf.data.AUTOTUNE)
from ...data.tf_data.spec import TensorSpec  # noqa: F401
from ...eager.gradient_tape import GradientTape  # noqa: F401
from ...eager.tensor import Tensor  # noqa: F401
from ...graph.control_flow import cond, case, while_loop, map_fn, scan  # noqa: F401
from ...ops.primitive import is_tensor  # noqa: F401
from ...tracing.function import function  # noqa: F401
from ... import summary  # noqa: F401  (tf.summary: create_file_writer, scalar, histogram)
from ...ops.printing import print_ as print  # noqa: F401,A004  (tf.print)
from . import nn, math, linalg, random, dtypes, errors, distribute  # noqa: F401
from .array import (gather, tile, pad, split, reverse, sort, argsort, boolean_mask,  # noqa: F401
                    size, rank, reduce_all, reduce_any, norm, cumsum, einsum,
                    clip_by_global_norm)
from .dtypes import (DType, as_dtype, float16, half, float32, float64, double,  # noqa: F401
                     int8, int16, int32, int64, uint8, bool)  # noqa: A004
from .math import (add, subtract, multiply, divide, truediv, pow, maximum, minimum,  # noqa: F401
                   equal, not_equal, less, less_equal, greater, greater_equal, logical_and,
                   logical_or, logical_not, exp, log, sqrt, rsqrt, square, reciprocal,
                   negative, abs, sign, sin, cos, tanh, sigmoid, round, floor, ceil)
from ...eager.tf_module import Module  # noqa: F401  (tf.Module)
from .spelling import (executing_eagerly, constant, convert_to_tensor, Variable,  # noqa: F401
                       cast, zeros, ones, fill, zeros_like, ones_like, range, eye, linspace,
                       shape, reshape, transpose, expand_dims, squeeze, concat, stack, unstack,
                       broadcast_to, one_hot, where, clip_by_value, argmax, argmin, matmul,
                       reduce_sum, reduce_mean, reduce_max, reduce_min, reduce_logsumexp,
                       reduce_std, reduce_variance)
from ... import ops as _F

identity, stop_gradient = math._unary(_F.identity), math._unary(_F.stop_gradient)
newaxis = None


def __getattr__(name):
    """``tf.keras`` (and ``tf.optimizers``, ``tf.losses``, its modules), loaded on first
    use: tinyflow/keras is its own layer below this one."""
    if name in ("keras", "optimizers", "losses"):
        from ... import keras
        return keras if name == "keras" else getattr(keras, name)
    raise AttributeError(f"module 'tinyflow.compat.v2' has no attribute {name!r}")
