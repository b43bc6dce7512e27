"""TensorFlow 1, spelled the TensorFlow 1 way: ``import tinyflow.compat.v1 as tf``.

Every function here builds nodes in the default graph (as TF1 always did),
so TF1 code runs with only its import line changed:

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> x = tf.placeholder(tf.float32, [None, 2], name="x")
>>> y = tf.reduce_sum(tf.square(x), axis=1)
>>> with tf.Session() as sess:
...     sess.run(y, feed_dict={x: [[1, 2], [3, 4]]})
array([ 5., 25.], dtype=float32)
"""
import builtins
import functools
import types

import numpy as np

from . import functions as _fn
from .. import ops as _F
from ..graph import build as _core
from ..graph.graph import building as _building
from ..graph import (Graph, Operation, Tensor, TensorShape, get_default_graph, reset_default_graph,
                      name_scope, control_dependencies, convert_to_tensor, placeholder,
                      placeholder_with_default, constant, zeros, ones, fill, random_normal,
                      random_uniform, truncated_normal, set_random_seed, no_op, group, identity,
                      stop_gradient, Variable, assign, assign_add, assign_sub, global_variables,
                      trainable_variables, variables_initializer, global_variables_initializer,
                      initialize_all_variables, Session, InteractiveSession, get_default_session,
                      gradients, hessians)
from ..nn import (tf_initializers as _init, tf_layers as _layers, tf_losses as _losses,
                  tf_nn as _tfnn)
from ..optim import tf_optimizers as _opt
from ..io import saver as _saver
from ..base.errors import FailedPreconditionError, InvalidArgumentError
from .. import summary  # noqa: F401  (tf.summary.scalar, merge_all, FileWriter)

float16, float32, float64 = np.dtype("float16"), np.dtype("float32"), np.dtype("float64")
int8, int16, int32, int64 = (np.dtype(t) for t in ("int8", "int16", "int32", "int64"))
uint8, bool = np.dtype("uint8"), np.dtype("bool")  # noqa: A001
DType = np.dtype
variable_scope = name_scope
AUTO_REUSE = "auto_reuse"


def _v1(fn, rename=True):
    """Run ``fn`` building into the default graph; honour TF's ``name=``."""
    @functools.wraps(fn)
    def wrapper(*args, name=None, **kwargs):
        with _building():
            out = fn(*args, **kwargs)
        if name and rename and isinstance(out, Tensor):
            out.graph.rename(out.node, name)
        return out
    return wrapper


def _tensor_fn(f):
    return _v1(lambda *a, **k: f(*a, **k))


add, subtract, multiply, divide, truediv = (_v1(f) for f in (_F.add, _F.sub, _F.mul, _F.div, _F.div))
realdiv = divide
pow, maximum, minimum = _v1(_F.pow), _v1(_F.maximum), _v1(_F.minimum)  # noqa: A001
exp, log, sqrt, abs, sign = (_v1(f) for f in (_F.exp, _F.log, _F.sqrt, _F.abs, _F.sign))  # noqa: A001
sin, cos, tanh, sigmoid, negative = (_v1(f) for f in (_F.sin, _F.cos, _F.tanh, _F.sigmoid, _F.neg))
equal, not_equal, less, less_equal, greater, greater_equal = (
    _v1(f) for f in (_F.equal, _F.not_equal, _F.less, _F.less_equal, _F.greater, _F.greater_equal))
logical_and, logical_or, logical_not = _v1(_F.logical_and), _v1(_F.logical_or), _v1(_F.logical_not)
is_finite = _v1(_F.isfinite)
zeros_like, ones_like = _v1(_F.zeros_like), _v1(_F.ones_like)
where = _v1(_F.where)
log_softmax_ = _v1(_F.log_softmax)


def square(x):
    return x * x


def rsqrt(x):
    return 1.0 / _F.sqrt(x)


def reciprocal(x):
    return 1.0 / x


square, rsqrt, reciprocal = _v1(square), _v1(rsqrt), _v1(reciprocal)


def cast(x, dtype):
    return _F.cast(x, dtype)


def to_float(x):
    return _F.cast(x, np.float32)


cast, to_float = _v1(cast), _v1(to_float)


def clip_by_value(t, clip_value_min, clip_value_max):
    return _F.clamp(t, clip_value_min, clip_value_max)


def matmul(a, b, transpose_a=False, transpose_b=False):
    return _F.matmul(a, b, transpose_a, transpose_b)


def _reduction(f):
    def reduce(input_tensor, axis=None, keepdims=None, reduction_indices=None, keep_dims=None):
        if axis is None:
            axis = reduction_indices
        keep = keepdims if keepdims is not None else builtins.bool(keep_dims)
        return f(_core.convert_to_tensor(input_tensor), axis, keep)
    return reduce


reduce_sum, reduce_mean = _reduction(_F.sum), _reduction(_F.mean)
reduce_max, reduce_min = _reduction(_F.max), _reduction(_F.min)
reduce_logsumexp = _reduction(_F.logsumexp)


def argmax(input, axis=None, dimension=None, output_type=int64):
    axis = dimension if axis is None else axis
    return _F.argmax(_core.convert_to_tensor(input), 0 if axis is None else axis)


def argmin(input, axis=None, dimension=None, output_type=int64):
    axis = dimension if axis is None else axis
    return _F.argmin(_core.convert_to_tensor(input), 0 if axis is None else axis)


def reshape(tensor, shape):
    return _F.reshape(_core.convert_to_tensor(tensor), shape)


def transpose(a, perm=None):
    return _F.transpose(_core.convert_to_tensor(a), perm)


def expand_dims(input, axis):
    return _F.expand_dims(_core.convert_to_tensor(input), axis)


def squeeze(input, axis=None):
    return _F.squeeze(_core.convert_to_tensor(input), axis)


def concat(values, axis):
    return _F.concat([_core.convert_to_tensor(v) for v in values], axis)


def stack(values, axis=0):
    return _F.stack([_core.convert_to_tensor(v) for v in values], axis)


def one_hot(indices, depth, on_value=1.0, off_value=0.0, dtype=float32):
    """(..., ) integer indices -> (..., depth) one-hot rows."""
    idx = _F.expand_dims(_core.convert_to_tensor(indices), -1)
    hits = _F.equal(idx, np.arange(depth))
    return _F.where(hits, np.asarray(on_value, dtype), np.asarray(off_value, dtype))


argmax, argmin, reshape, transpose, expand_dims, squeeze, concat, stack, one_hot, matmul = (
    _v1(f) for f in (argmax, argmin, reshape, transpose, expand_dims, squeeze, concat, stack,
                     one_hot, matmul))
reduce_sum, reduce_mean, reduce_max, reduce_min, reduce_logsumexp, clip_by_value = (
    _v1(f) for f in (reduce_sum, reduce_mean, reduce_max, reduce_min, reduce_logsumexp,
                     clip_by_value))


def executing_eagerly():
    return False


def disable_eager_execution():
    """Nothing to do: compat.v1 always builds graphs."""


disable_v2_behavior = disable_eager_execution


def get_variable(name, shape=None, dtype=float32, initializer=None, trainable=True):
    """TF1's get_variable: a new variable ``name`` in the current scope."""
    g = get_default_graph()
    full = f"{g._scope}{name}"
    try:
        op = g.get_operation_by_name(full)
        return op.outputs[0]
    except KeyError:
        pass
    init = initializer or _init.glorot_uniform_initializer()
    value = init(shape, dtype) if callable(init) else np.asarray(init, dtype)
    return Variable(value, name=name, trainable=trainable, dtype=dtype)


glorot_uniform_initializer = _init.glorot_uniform_initializer
glorot_normal_initializer = _init.glorot_normal_initializer
zeros_initializer, ones_initializer = _init.zeros_initializer, _init.ones_initializer
constant_initializer = _init.constant_initializer
random_normal_initializer = _init.random_normal_initializer
random_uniform_initializer = _init.random_uniform_initializer
truncated_normal_initializer = _init.truncated_normal_initializer
initializers = types.SimpleNamespace(
    glorot_uniform=glorot_uniform_initializer, zeros=zeros_initializer, ones=ones_initializer,
    constant=constant_initializer, random_normal=random_normal_initializer,
    random_uniform=random_uniform_initializer, truncated_normal=truncated_normal_initializer)

nn = types.SimpleNamespace(**{n: _v1(getattr(_tfnn, n)) for n in (
    "relu", "sigmoid", "tanh", "softplus", "softmax", "log_softmax", "bias_add", "l2_loss",
    "dropout", "sparse_softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits_v2", "sigmoid_cross_entropy_with_logits")})
layers = types.SimpleNamespace(dense=_layers.dense)
losses = types.SimpleNamespace(**{n: _v1(getattr(_losses, n)) for n in (
    "mean_squared_error", "absolute_difference", "sparse_softmax_cross_entropy",
    "softmax_cross_entropy", "sigmoid_cross_entropy", "compute_weighted_loss")})
train = types.SimpleNamespace(
    GradientDescentOptimizer=_opt.GradientDescentOptimizer,
    MomentumOptimizer=_opt.MomentumOptimizer, AdamOptimizer=_opt.AdamOptimizer,
    Optimizer=_opt.Optimizer, Saver=_saver.Saver, latest_checkpoint=_saver.latest_checkpoint,
    export_meta_graph=_saver.export_meta_graph, import_meta_graph=_saver.import_meta_graph)
Print = _v1(_F.Print)
check_numerics = _v1(_F.check_numerics)
debugging = types.SimpleNamespace(check_numerics=check_numerics)

errors = types.SimpleNamespace(FailedPreconditionError=FailedPreconditionError,
                               InvalidArgumentError=InvalidArgumentError,
                               NotFoundError=_saver.NotFoundError)

# tf.saved_model: builder.SavedModelBuilder, loader.load, tag_constants, signature_def_utils...
from ..saved_model import v1 as saved_model  # noqa: E402
