"""Keras's activation layers, each a composition of tinyflow's ops: ``ReLU``
(``max_value``, ``negative_slope``, ``threshold``), ``LeakyReLU`` (alpha 0.3, as in
tf_keras), ``ELU``, ``Softmax(axis)``, ``PReLU`` (a learned slope per input entry,
weight "alpha"), and ``Rescaling`` (``x * scale + offset``).

>>> import numpy as np
>>> from tinyflow import keras
>>> keras.layers.ReLU(max_value=1.0)(np.array([-1.0, 0.5, 2.0])).numpy()
array([0. , 0.5, 1. ], dtype=float32)
>>> keras.layers.LeakyReLU()(np.array([-1.0, 2.0])).numpy()
array([-0.3,  2. ], dtype=float32)
>>> prelu = keras.layers.PReLU(shared_axes=[1])
>>> prelu(np.ones((2, 3, 4))).shape, prelu.alpha.shape
(tinyflow.Size([2, 3, 4]), tinyflow.Size([1, 4]))
"""
import numpy as np

from ... import ops
from .. import backend, initializers, regularizers
from .base import Layer
from .input_spec import InputSpec


def _number(x, dtype):
    return np.asarray(x, dtype)


class ReLU(Layer):
    """x for threshold <= x < max_value, max_value above, negative_slope * (x -
    threshold) below the threshold.

    >>> import numpy as np
    >>> relu = ReLU(max_value=2.0, negative_slope=0.5, threshold=1.0)
    >>> relu(np.array([0.0, 1.5, 3.0])).numpy()
    array([-0.5,  1.5,  2. ], dtype=float32)
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError(f"max_value of a ReLU layer cannot be a negative value. "
                             f"Received: {max_value}")
        if negative_slope is None or negative_slope < 0.0:
            raise ValueError(f"negative_slope of a ReLU layer cannot be a negative value. "
                             f"Received: {negative_slope}")
        if threshold is None or threshold < 0.0:
            raise ValueError(f"threshold of a ReLU layer cannot be a negative value. "
                             f"Received: {threshold}")
        self.max_value = None if max_value is None else float(max_value)
        self.negative_slope = float(negative_slope)
        self.threshold = float(threshold)

    def call(self, inputs):
        dtype = inputs.dtype
        below = inputs < _number(self.threshold, dtype)
        y = ops.where(below, ops.zeros_like(inputs), inputs)
        if self.max_value is not None:
            y = ops.minimum(y, _number(self.max_value, dtype))
        if self.negative_slope:
            slope = self.negative_slope
            if self.max_value is None and not self.threshold:
                slope = np.float32(slope)      # Keras runs TF's LeakyRelu op (a float32 alpha)
            y = y + ops.where(below, (inputs - _number(self.threshold, dtype)) *
                              _number(slope, dtype), ops.zeros_like(inputs))
        return y

    def get_config(self):
        return {**super().get_config(), "max_value": self.max_value,
                "negative_slope": self.negative_slope, "threshold": self.threshold}


class LeakyReLU(Layer):
    """x for x >= 0, alpha * x below (alpha 0.3 by default).

    >>> import numpy as np
    >>> LeakyReLU(0.5)(np.array([-2.0, 2.0])).numpy()
    array([-1.,  2.], dtype=float32)
    """

    def __init__(self, alpha=0.3, **kwargs):
        super().__init__(**kwargs)
        if alpha is None:
            raise ValueError(f"The alpha value of a Leaky ReLU layer cannot be None, Expecting "
                             f"a float. Received: {alpha}")
        self.alpha = float(np.asarray(alpha, backend.floatx()))      # cast_to_floatx

    def call(self, inputs):
        # TensorFlow's LeakyRelu op keeps alpha as a float32 attribute
        alpha = _number(np.float32(self.alpha), inputs.dtype)
        return ops.where(inputs >= _number(0, inputs.dtype), inputs, inputs * alpha)

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}


class ELU(Layer):
    """x for x > 0, alpha * (exp(x) - 1) below.

    >>> import numpy as np
    >>> ELU(2.0)(np.array([0.0, 3.0])).numpy()
    array([0., 3.], dtype=float32)
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        if alpha is None:
            raise ValueError(f"Alpha of an ELU layer cannot be None, expecting a float. "
                             f"Received: {alpha}")
        self.alpha = float(alpha)

    def call(self, inputs):
        dtype = inputs.dtype
        neg = ops.minimum(inputs, _number(0, dtype))      # exp of non-positive values only
        return ops.where(inputs > _number(0, dtype), inputs,
                         (ops.exp(neg) - _number(1, dtype)) * _number(self.alpha, dtype))

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}


class Softmax(Layer):
    """exp(x) / sum(exp(x)) along ``axis``.

    >>> import numpy as np
    >>> Softmax()(np.array([[0.0, 0.0]])).numpy()
    array([[0.5, 0.5]], dtype=float32)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs):
        if isinstance(self.axis, (list, tuple)):
            m = ops.max(inputs, tuple(self.axis), keepdims=True)
            e = ops.exp(inputs - ops.stop_gradient(m))
            return e / ops.sum(e, tuple(self.axis), keepdims=True)
        return ops.softmax(inputs, self.axis)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


class PReLU(Layer):
    """x for x >= 0, alpha * x below, alpha a weight (one per entry of an example,
    shared along ``shared_axes``).

    >>> import numpy as np
    >>> PReLU(alpha_initializer="ones")(np.array([[-2.0, 2.0]])).numpy()
    array([[-2.,  2.]], dtype=float32)
    """

    def __init__(self, alpha_initializer="zeros", alpha_regularizer=None, alpha_constraint=None,
                 shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = alpha_constraint
        if shared_axes is None or isinstance(shared_axes, (list, tuple)):
            self.shared_axes = None if shared_axes is None else list(shared_axes)
        else:
            self.shared_axes = [shared_axes]

    def build(self, input_shape):
        shape = list(input_shape[1:])
        for i in self.shared_axes or []:
            shape[i - 1] = 1
        if None in shape:
            raise ValueError(f"PReLU needs the non-batch sizes of its input (or shared_axes "
                             f"over the unknown ones), got {input_shape}")
        self.alpha = self.add_weight("alpha", shape, initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer,
                                     constraint=self.alpha_constraint)
        axes = {i: n for i, n in enumerate(input_shape) if i and n is not None and
                i not in (self.shared_axes or [])}
        self.input_spec = InputSpec(ndim=len(input_shape), axes=axes)
        self.built = True

    def call(self, inputs):
        pos = ops.relu(inputs)
        return pos - self.alpha * ops.relu(-inputs)

    def get_config(self):
        return {**super().get_config(),
                "alpha_initializer": initializers.serialize(self.alpha_initializer),
                "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
                "alpha_constraint": self.alpha_constraint, "shared_axes": self.shared_axes}


class Rescaling(Layer):
    """``inputs * scale + offset`` (e.g. ``scale=1 / 255`` for pixels).

    >>> import numpy as np
    >>> Rescaling(0.5, offset=1.0)(np.array([2.0, 4.0])).numpy()
    array([2., 3.], dtype=float32)
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale, self.offset = scale, offset

    def call(self, inputs):
        dtype = inputs.dtype
        return inputs * _number(self.scale, dtype) + _number(self.offset, dtype)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}
