"""``BatchNormalization``, as Keras 2 computes it (momentum 0.99, epsilon 1e-3).

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
>>> [w.name for w in bn.weights], [w.trainable for w in bn.weights]
(['batch_normalization/gamma', 'batch_normalization/beta', 'batch_normalization/moving_mean', 'batch_normalization/moving_variance'], [True, True, False, False])
>>> bn.moving_mean.numpy()
array([0.02, 0.04], dtype=float32)
"""
import numpy as np

from ... import ops
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
