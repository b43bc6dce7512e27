"""TensorFlow 1's ``tf.layers``: functions that make their variables with
``get_variable`` in a variable scope named after the layer ("dense", "dense_1", or
the ``name`` given) and build their ops in a name scope of that name.

``dense(x, 128, activation=tf.nn.relu, name="fc1")`` creates the variables
``fc1/kernel`` (in_features x 128) and ``fc1/bias`` and the ops ``fc1/MatMul``,
``fc1/BiasAdd`` and ``fc1/Relu``; ``reuse=True`` (or ``tf.AUTO_REUSE``) with the same
name shares them. Calling a named layer again without ``reuse`` (a notebook cell run
twice) warns and makes a second copy (TF1 raises there).

>>> import tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> x = tf.placeholder(tf.float32, [None, 6, 6, 1])
>>> h = tf.layers.conv2d(x, 4, 3, padding="same", activation=tf.nn.relu)
>>> p = tf.layers.max_pooling2d(h, 2, 2)
>>> h.name, p.name, tf.layers.flatten(p).shape
('conv2d/Relu:0', 'max_pooling2d/MaxPool:0', TensorShape([None, 36]))
"""
import contextlib
import warnings

import numpy as np

from .. import ops as F
from ..graph.api import as_tensor
from ..graph.graph import building, get_default_graph
from . import tf_conv, tf_nn
from .tf_initializers import ones_initializer, zeros_initializer
from .tf_variable_scope import AUTO_REUSE, get_variable, get_variable_scope, variable_scope

UPDATE_OPS = "update_ops"


@contextlib.contextmanager
def _layer(name, kind, reuse, kernel_name="kernel"):
    """The layer's variable scope (and name scope): ``name``, or ``kind`` made unique."""
    g = get_default_graph()
    with building(g):
        if name is not None and not reuse and _exists(name, kernel_name):
            warnings.warn(f"the graph already has a layer '{name}'; this one gets another name. "
                          f"If you re-ran a notebook cell, the graph now holds two copies: call "
                          f"tinyflow.reset_default_graph() at the top of the cell to start "
                          f"fresh (or pass reuse=True to share the layer's variables).",
                          stacklevel=4)
            name, kind = None, name
        with variable_scope(name, default_name=kind, reuse=reuse or None) as scope:
            yield scope


def _exists(name, kernel_name):
    from .tf_variable_scope import _store
    parent = get_variable_scope().name
    full = f"{parent}/{name}" if parent else name
    return f"{full}/{kernel_name}" in _store().variables


def _kernel(shape, dtype, initializer, trainable, name="kernel"):
    return get_variable(name, shape, dtype, initializer, trainable=trainable)


def _bias(units, dtype, initializer, trainable):
    return get_variable("bias", [units], dtype, initializer or zeros_initializer(),
                        trainable=trainable)


def _float(inputs):
    x = as_tensor(inputs)
    return x if np.dtype(x.dtype).kind == "f" else F.cast(x, np.float32)


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=None, kernel_regularizer=None, bias_regularizer=None,
          activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
          trainable=True, name=None, reuse=None):
    """inputs @ kernel + bias, then ``activation``."""
    x = _float(inputs)
    n_in = x._shape[-1] if x._shape else None
    if n_in is None:
        raise ValueError(f"dense: the last dimension of the inputs must be known, got shape "
                         f"{x.shape} for {x.name}")
    with _layer(name, "dense", reuse):
        y = F.matmul(x, _kernel([n_in, units], x.dtype, kernel_initializer, trainable))
        if use_bias:
            y = F.bias_add(y, _bias(units, x.dtype, bias_initializer, trainable))
        return activation(y) if activation is not None else y


def _pair(v, what):
    v = [int(v)] * 2 if isinstance(v, (int, np.integer)) else [int(a) for a in v]
    if len(v) != 2:
        raise ValueError(f"the {what} must be an int or a pair of ints, got {v}")
    return v


def _channels_first(data_format):
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"data_format must be 'channels_last' or 'channels_first', got "
                         f"{data_format!r}")
    return data_format == "channels_first"


def conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
           data_format="channels_last", dilation_rate=(1, 1), activation=None, use_bias=True,
           kernel_initializer=None, bias_initializer=None, kernel_regularizer=None,
           bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
           bias_constraint=None, trainable=True, name=None, reuse=None):
    """A 2-D convolution layer: ``filters`` kernels of ``kernel_size``, a bias, ``activation``."""
    x = _float(inputs)
    first = _channels_first(data_format)
    channels = x._shape[1 if first else -1] if x._shape else None
    if channels is None:
        raise ValueError(f"conv2d: the channel dimension of the inputs must be known, got "
                         f"shape {x.shape} for {x.name}")
    kh, kw = _pair(kernel_size, "kernel_size")
    fmt_ = "NCHW" if first else "NHWC"
    with _layer(name, "conv2d", reuse):
        kernel = _kernel([kh, kw, channels, filters], x.dtype, kernel_initializer, trainable)
        y = tf_conv.conv2d(x, kernel, _pair(strides, "strides"), str(padding).upper(),
                           data_format=fmt_, dilations=_pair(dilation_rate, "dilation_rate"))
        if use_bias:
            y = tf_conv.bias_add(y, _bias(filters, x.dtype, bias_initializer, trainable), fmt_)
        return activation(y) if activation is not None else y


def _pooling(op, kind, inputs, pool_size, strides, padding, data_format, name):
    x = as_tensor(inputs)
    fmt_ = "NCHW" if _channels_first(data_format) else "NHWC"
    g = get_default_graph()
    with building(g), g.name_scope(name or _unique(kind)):
        return op(x, _pair(pool_size, "pool_size"), _pair(strides, "strides"),
                  str(padding).upper(), data_format=fmt_)


def _unique(kind):
    """A default layer name, counted with the variable scopes' ("max_pooling2d_1")."""
    from .tf_variable_scope import _store
    store = _store()
    base = f"{get_variable_scope().name}/{kind}".lstrip("/")
    n = store.defaults.get(base, 0)
    store.defaults[base] = n + 1
    return kind if n == 0 else f"{kind}_{n}"


def max_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                  name=None):
    """The largest value of each ``pool_size`` window."""
    return _pooling(tf_conv.max_pool, "max_pooling2d", inputs, pool_size, strides, padding,
                    data_format, name)


def average_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                      name=None):
    """The mean of each ``pool_size`` window."""
    return _pooling(tf_conv.avg_pool, "average_pooling2d", inputs, pool_size, strides, padding,
                    data_format, name)


def flatten(inputs, name=None, data_format="channels_last"):
    """(batch, ...) -> (batch, the product of the rest)."""
    x = as_tensor(inputs)
    rest = x._shape[1:] if x._shape is not None else None
    if rest is None or None in rest:
        raise ValueError(f"flatten: the dimensions after the batch must be known, got shape "
                         f"{x.shape} for {x.name}")
    g = get_default_graph()
    with building(g), g.name_scope(name or _unique("flatten")):
        if _channels_first(data_format) and len(rest) > 1:      # Keras flattens channels last
            x = F.transpose(x, (0,) + tuple(range(2, len(rest) + 1)) + (1,))
        return F.reshape(x, (-1, int(np.prod(rest))))


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    """tf.nn.dropout(inputs, rate=rate) while ``training`` (a bool or a bool tensor),
    else the inputs unchanged."""
    x = as_tensor(inputs)
    g = get_default_graph()
    with building(g), g.name_scope(name or _unique("dropout")):
        if training is False or training is None:
            return F.identity(x)
        dropped = tf_nn.dropout(x, rate=rate, noise_shape=noise_shape, seed=seed)
        if training is True:
            return dropped
        return F.where(as_tensor(training), dropped, x)


def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                        beta_initializer=None, gamma_initializer=None,
                        moving_mean_initializer=None, moving_variance_initializer=None,
                        beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                        gamma_constraint=None, training=False, trainable=True, name=None,
                        reuse=None, renorm=False, renorm_clipping=None, renorm_momentum=0.99,
                        fused=None, virtual_batch_size=None, adjustment=None):
    """Normalize with the batch's mean and variance while ``training`` (and move the
    moving averages: their update ops go to ``tf.GraphKeys.UPDATE_OPS``, to be run with
    the train op), with the moving averages otherwise; then ``gamma * x + beta``."""
    x = _float(inputs)
    ax = axis % x.ndim
    c = x._shape[ax]
    if c is None:
        raise ValueError(f"batch_normalization: the size of axis {axis} must be known, got "
                         f"shape {x.shape} for {x.name}")
    reduce = [i for i in range(x.ndim) if i != ax]
    dt = x.dtype
    with _layer(name, "batch_normalization", reuse, "moving_mean"):
        gamma = get_variable("gamma", [c], dt, gamma_initializer or ones_initializer(),
                             trainable=trainable) if scale else None
        beta = get_variable("beta", [c], dt, beta_initializer or zeros_initializer(),
                            trainable=trainable) if center else None
        moving_mean = get_variable("moving_mean", [c], dt,
                                   moving_mean_initializer or zeros_initializer(),
                                   trainable=False)
        moving_var = get_variable("moving_variance", [c], dt,
                                  moving_variance_initializer or ones_initializer(),
                                  trainable=False)
        shape = [1] * x.ndim
        shape[ax] = c

        def bcast(t):
            return None if t is None else (F.reshape(t, tuple(shape)) if ax != x.ndim - 1 else t)
        mean, variance = tf_nn.moments(x, reduce)
        on = as_tensor(training) if not isinstance(training, bool) else training
        if on is True or on is False:
            use_mean, use_var = (mean, variance) if on else (moving_mean, moving_var)
            decay = np.asarray(1 - momentum if on else 0.0, dt)
        else:
            use_mean = F.where(on, mean, moving_mean)
            use_var = F.where(on, variance, moving_var)
            decay = F.cast(on, dt) * np.asarray(1.0 - momentum, dt)
        y = tf_nn.batch_normalization(x, bcast(use_mean), bcast(use_var), bcast(beta),
                                      bcast(gamma), epsilon)
        if on is not False:
            for var, value in ((moving_mean, mean), (moving_var, variance)):
                g = var.graph
                g.add_to_collection(UPDATE_OPS, var.assign_sub((var - value) * decay))
        return y


__all__ = ["dense", "conv2d", "max_pooling2d", "average_pooling2d", "flatten", "dropout",
           "batch_normalization", "AUTO_REUSE"]
