"""``BatchNormalization`` and ``LayerNormalization``, as Keras 2 computes them.

``BatchNormalization`` (momentum 0.99, epsilon 1e-3):

Training (``fit``, or ``training=True``): each feature is normalized with the
batch's mean and variance, and the moving statistics -- non-trainable weights --
move towards them: ``moving -= (moving - batch) * (1 - momentum)``. Inference:
the moving statistics are used. A frozen layer (``trainable = False``) runs in
inference mode even while the model trains, as in Keras 2.

Two of TensorFlow's details are kept, so that results agree with tf_keras:
``1 - momentum`` is a float32 number, and where TensorFlow uses its fused kernel
(4-D float32 inputs) the moving variance moves towards the *unbiased* batch
variance (n / (n - 1) times the biased one); elsewhere towards the biased one.

>>> import numpy as np
>>> from tinyflow import keras
>>> bn = keras.layers.BatchNormalization()
>>> y = bn(np.array([[1.0, 2.0], [3.0, 6.0]]), training=True)
>>> [w.path for w in bn.weights], [w.trainable for w in bn.weights]
(['batch_normalization/gamma', 'batch_normalization/beta', 'batch_normalization/moving_mean', 'batch_normalization/moving_variance'], [True, True, False, False])
>>> bn.moving_mean.numpy()
array([0.02, 0.04], dtype=float32)

``LayerNormalization`` (epsilon 1e-3) normalizes each sample over its own
features (the last axis by default), so it is the same in training and
inference and keeps no statistics; see its docstring.
"""
import numbers

import numpy as np

from ... import ops
from ...nn import tf_nn
from .. import initializers, regularizers
from .base import Layer
from .input_spec import InputSpec, shape_of


class BatchNormalization(Layer):
    """Normalize each feature (the last axis by default) over the batch."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis if isinstance(axis, int) else int(axis[0])
        self.momentum, self.epsilon = float(momentum), float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)

    def build(self, input_shape):
        ndim = len(input_shape)
        axis = self.axis % ndim
        dim = input_shape[axis]
        if dim is None:
            raise ValueError(f"Axis {self.axis} of input tensor should have a defined dimension "
                             f"but the layer received an input with shape {input_shape}.")
        self.gamma = self.add_weight("gamma", (dim,), initializer=self.gamma_initializer,
                                     regularizer=self.gamma_regularizer) if self.scale else None
        self.beta = self.add_weight("beta", (dim,), initializer=self.beta_initializer,
                                    regularizer=self.beta_regularizer) if self.center else None
        self.moving_mean = self.add_weight("moving_mean", (dim,), trainable=False,
                                           initializer=self.moving_mean_initializer)
        self.moving_variance = self.add_weight("moving_variance", (dim,), trainable=False,
                                               initializer=self.moving_variance_initializer)
        self.input_spec = InputSpec(ndim=ndim, axes={self.axis: dim})
        self.built = True

    def call(self, inputs, training=None):
        shape = shape_of(inputs)
        ndim = len(shape)
        axis = self.axis % ndim
        reduce_axes = tuple(i for i in range(ndim) if i != axis)
        per_feature = tuple(shape[axis] if i == axis else 1 for i in range(ndim))
        if training and self.trainable:
            mean = ops.mean(inputs, reduce_axes, keepdims=True)
            var = ops.mean(ops.square(inputs - mean), reduce_axes, keepdims=True)
            self._update_moving(ops.reshape(mean, (-1,)), ops.reshape(var, (-1,)), shape,
                                reduce_axes, inputs.dtype)
        else:
            mean = ops.reshape(self.moving_mean, per_feature)
            var = ops.reshape(self.moving_variance, per_feature)
        y = (inputs - mean) * ops.rsqrt(var + self.epsilon)
        if self.scale:
            y = y * ops.reshape(self.gamma, per_feature)
        if self.center:
            y = y + ops.reshape(self.beta, per_feature)
        return y

    def _update_moving(self, mean, var, shape, reduce_axes, dtype):
        decay = np.asarray(np.float32(1.0 - self.momentum), np.dtype(dtype))   # TF: a float32
        fused = len(shape) == 4 and np.dtype(dtype) != np.float64
        if fused:
            n = int(np.prod([shape[i] for i in reduce_axes]))
            var = var * (n / max(n - 1, 1))
        mm, mv = self.moving_mean, self.moving_variance
        mm.assign(mm - (mm - mean) * decay)
        mv.assign(mv - (mv - var) * decay)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "momentum": self.momentum,
                "epsilon": self.epsilon, "center": self.center, "scale": self.scale,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
                "moving_variance_initializer":
                    initializers.serialize(self.moving_variance_initializer),
                "beta_regularizer": regularizers.serialize(self.beta_regularizer),
                "gamma_regularizer": regularizers.serialize(self.gamma_regularizer)}


class LayerNormalization(Layer):
    """Normalize each sample over ``axis`` (the last one by default), then scale
    by ``gamma`` and shift by ``beta`` (weights shaped like those axes): Keras 2's
    layer, computed as TensorFlow does -- ``tf.nn.moments`` then
    ``tf.nn.batch_normalization`` -- from tinyflow's ops, so gradients come from
    the ops' own rules. Like TensorFlow's, ``moments`` stops the gradient through
    the mean inside the variance: first derivatives are exact, and second
    derivatives (a gradient of a gradient) equal TensorFlow's, which lack the
    term that stop drops.

    >>> import numpy as np
    >>> from tinyflow import keras
    >>> keras.backend.clear_session()
    >>> ln = keras.layers.LayerNormalization()
    >>> y = ln(np.array([[1.0, 2.0, 3.0], [10.0, 10.0, 40.0]]))
    >>> np.round(y.numpy(), 4)
    array([[-1.2238,  0.    ,  1.2238],
           [-0.7071, -0.7071,  1.4142]], dtype=float32)
    >>> [w.path for w in ln.weights], ln.axis
    (['layer_normalization/gamma', 'layer_normalization/beta'], [1])
    """

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None,
                 beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)) and all(_is_int(a) for a in axis):
            self.axis = [int(a) for a in axis]
        elif _is_int(axis):
            self.axis = int(axis)
        else:
            raise TypeError(f"Expected an int or a list/tuple of ints for the argument 'axis', "
                            f"but received: {axis!r}")
        self.epsilon = epsilon
        self.center, self.scale = center, scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint, self.gamma_constraint = beta_constraint, gamma_constraint

    def build(self, input_shape):
        self.axis = validate_axis(self.axis, input_shape)
        shape = [input_shape[a] for a in self.axis]
        if any(d is None for d in shape):
            raise ValueError(f"LayerNormalization: the normalized axes {self.axis} of the input "
                             f"must have known sizes, but the layer {self.name!r} received an "
                             f"input of shape {tuple(input_shape)}")
        self.gamma = self.add_weight("gamma", shape, initializer=self.gamma_initializer,
                                     regularizer=self.gamma_regularizer,
                                     constraint=self.gamma_constraint) if self.scale else None
        self.beta = self.add_weight("beta", shape, initializer=self.beta_initializer,
                                    regularizer=self.beta_regularizer,
                                    constraint=self.beta_constraint) if self.center else None
        # (tf_keras sets no input spec; this one turns a size mismatch -- a broadcasting
        # error deep in the arithmetic -- into Keras's message naming the layer)
        self.input_spec = InputSpec(min_ndim=max(self.axis) + 1,
                                    axes={a: input_shape[a] for a in self.axis})
        self.built = True

    def call(self, inputs):
        ndim = len(shape_of(inputs))
        mean, variance = tf_nn.moments(inputs, self.axis, keepdims=True)
        params = tuple(shape_of(inputs)[a] if a in self.axis else 1 for a in range(ndim))

        def broadcast(v):           # gamma (3, 4) for axes [1, 2] of a rank-3 input: (1, 3, 4)
            if v is None or self.axis == [ndim - 1]:
                return v
            return ops.reshape(v, params)
        return tf_nn.batch_normalization(inputs, mean, variance, offset=broadcast(self.beta),
                                         scale=broadcast(self.gamma),
                                         variance_epsilon=self.epsilon)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon,
                "center": self.center, "scale": self.scale,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "beta_regularizer": regularizers.serialize(self.beta_regularizer),
                "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
                "beta_constraint": _constraint_config(self.beta_constraint),
                "gamma_constraint": _constraint_config(self.gamma_constraint)}


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def validate_axis(axis, input_shape):
    """``axis`` (an int or ints, negative ones counted from the end) as a list of
    non-negative axes of ``input_shape``, with tf_keras's errors."""
    rank = len(input_shape)
    if not rank:
        raise ValueError(f"Input has undefined rank. Received: input_shape={tuple(input_shape)}")
    axis = [axis] if _is_int(axis) else list(axis)
    axis = [rank + a if a < 0 else a for a in axis]
    if any(a < 0 or a >= rank for a in axis):
        raise ValueError(f"Invalid value for `axis` argument. Expected 0 <= axis < inputs.rank "
                         f"(with inputs.rank={rank}). Received: axis={tuple(axis)}")
    if len(axis) != len(set(axis)):
        raise ValueError(f"Duplicate axis: {tuple(axis)}")
    return axis


def _constraint_config(constraint):
    if constraint is None:
        return None
    config = constraint.get_config() if hasattr(constraint, "get_config") else {}
    return {"class_name": type(constraint).__name__, "config": config}
