"""TensorFlow 1, spelled the TensorFlow 1 way: ``import tinyflow.compat.v1 as tf``.

Every function here builds nodes in the default graph (as TF1 always did),
so TF1 code runs with only its import line changed. This package holds names
only: each one is an op, a graph function or a model piece of the layers below,
adapted to TF1's arguments by ``spelling.py``; ``tf.nn``, ``tf.train``,
``tf.layers``, ``tf.losses``... are its modules of the same names.

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> x = tf.placeholder(tf.float32, [None, 2], name="x")
>>> y = tf.reduce_sum(tf.square(x), axis=1)
>>> with tf.Session() as sess:
...     sess.run(y, feed_dict={x: [[1, 2], [3, 4]]})
array([ 5., 25.], dtype=float32)
"""
import numpy as np

from ... import ops as _F
from ...base.errors import FailedPreconditionError, InvalidArgumentError  # noqa: F401
from ...graph import (Graph, Operation, Tensor, TensorShape, get_default_graph,  # noqa: F401
                      reset_default_graph, name_scope, control_dependencies, convert_to_tensor,
                      placeholder, placeholder_with_default, constant, zeros, ones, fill,
                      random_normal, random_uniform, truncated_normal, set_random_seed, no_op,
                      group, identity, stop_gradient, Variable, assign, assign_add, assign_sub,
                      global_variables, trainable_variables, variables_initializer,
                      global_variables_initializer, initialize_all_variables, Session,
                      InteractiveSession, get_default_session, gradients, hessians)
from ...nn.tf_variable_scope import get_variable  # noqa: F401
from ...nn.tf_initializers import (glorot_uniform_initializer,  # noqa: F401
                                   glorot_normal_initializer, zeros_initializer,
                                   ones_initializer, constant_initializer,
                                   random_normal_initializer, random_uniform_initializer,
                                   truncated_normal_initializer)
from ... import summary  # noqa: F401  (tf.summary.scalar, merge_all, FileWriter)
from ...saved_model import v1 as saved_model  # noqa: F401  (builder, loader, tag_constants...)
from . import nn, train, layers, losses, initializers, debugging, errors  # noqa: F401
from .spelling import in_graph, of_tensor, reduction, arg_extreme, many

float16, float32, float64 = np.dtype("float16"), np.dtype("float32"), np.dtype("float64")
int8, int16, int32, int64 = (np.dtype(t) for t in ("int8", "int16", "int32", "int64"))
uint8, bool = np.dtype("uint8"), np.dtype("bool")  # noqa: A001
DType = np.dtype
variable_scope = name_scope
AUTO_REUSE = "auto_reuse"

# --- ops, each building one node (or a few) in the default graph ---------------------
add, subtract, multiply = in_graph(_F.add), in_graph(_F.sub), in_graph(_F.mul)
divide = truediv = realdiv = in_graph(_F.div)
pow, maximum, minimum = in_graph(_F.pow), in_graph(_F.maximum), in_graph(_F.minimum)  # noqa: A001
exp, log, sqrt, rsqrt = in_graph(_F.exp), in_graph(_F.log), in_graph(_F.sqrt), in_graph(_F.rsqrt)
abs, sign, negative = in_graph(_F.abs), in_graph(_F.sign), in_graph(_F.neg)  # noqa: A001
square, reciprocal = in_graph(_F.square), in_graph(_F.reciprocal)
sin, cos, tanh, sigmoid = in_graph(_F.sin), in_graph(_F.cos), in_graph(_F.tanh), in_graph(_F.sigmoid)
equal, not_equal = in_graph(_F.equal), in_graph(_F.not_equal)
less, less_equal = in_graph(_F.less), in_graph(_F.less_equal)
greater, greater_equal = in_graph(_F.greater), in_graph(_F.greater_equal)
logical_and, logical_or = in_graph(_F.logical_and), in_graph(_F.logical_or)
logical_not, is_finite = in_graph(_F.logical_not), in_graph(_F.isfinite)
zeros_like, ones_like, where = in_graph(_F.zeros_like), in_graph(_F.ones_like), in_graph(_F.where)
cast, clip_by_value, matmul = in_graph(_F.cast), in_graph(_F.clamp), in_graph(_F.matmul)
one_hot = of_tensor(_F.one_hot)
reduce_sum, reduce_mean = reduction(_F.sum), reduction(_F.mean)
reduce_max, reduce_min = reduction(_F.max), reduction(_F.min)
reduce_logsumexp = reduction(_F.logsumexp)
argmax, argmin = arg_extreme(_F.argmax), arg_extreme(_F.argmin)
reshape, transpose = of_tensor(_F.reshape), of_tensor(_F.transpose)
expand_dims, squeeze = of_tensor(_F.expand_dims), of_tensor(_F.squeeze)
concat, stack = many(_F.concat), many(_F.stack)
Print, check_numerics = in_graph(_F.Print), in_graph(_F.check_numerics)


def to_float(x, name="ToFloat"):
    """x cast to float32 (TF1's shorthand)."""
    return cast(x, np.float32, name=name)


def executing_eagerly():
    """False: compat.v1 always builds graphs."""
    return False


def disable_eager_execution():
    """Nothing to do: compat.v1 always builds graphs."""


disable_v2_behavior = disable_eager_execution
