"""Keras's 1-D layers over (batch, steps, channels) sequences: ``Conv1D`` (kernel
(k, in, filters)), ``MaxPooling1D``, ``AveragePooling1D``, ``GlobalAveragePooling1D``
and ``GlobalMaxPooling1D``. Each sees the sequence as an image of height 1,
(batch, 1, steps, channels), and runs the 2-D op in TensorFlow's layout, so its
gradient is the registry's. ``padding="causal"`` (Conv1D only) pads
``dilation_rate * (kernel_size - 1)`` zeros on the left: output t sees inputs <= t.

>>> import numpy as np
>>> from tinyflow import keras
>>> conv = keras.layers.Conv1D(4, 3, padding="causal")
>>> conv(np.zeros((2, 10, 3))).shape, conv.kernel.shape
(tinyflow.Size([2, 10, 4]), tinyflow.Size([3, 3, 4]))
>>> keras.layers.MaxPooling1D()(np.zeros((2, 10, 3))).shape
tinyflow.Size([2, 5, 3])
>>> keras.layers.GlobalAveragePooling1D()(np.ones((2, 10, 3))).shape
tinyflow.Size([2, 3])
"""
import numpy as np

from ... import ops
from .base import Layer
from .conv import ConvBase, pad_for
from .pooling import real_pixel_counts
from .input_spec import InputSpec, shape_of


def single(value, name):
    """An int or a 1-tuple -> a 1-tuple of ints (Keras's ``kernel_size=3`` is (3,))."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return (int(value),)
    try:
        value = tuple(value)
    except TypeError:
        raise ValueError(f"The `{name}` argument must be a tuple of 1 integers. Received: "
                         f"{value}") from None
    if len(value) != 1 or not all(isinstance(v, (int, np.integer)) for v in value):
        raise ValueError(f"The `{name}` argument must be a tuple of 1 integers. Received: "
                         f"{value}")
    return (int(value[0]),)


def check_padding_1d(padding, allowed=("valid", "same", "causal")):
    p = str(padding).lower()
    if p not in allowed:
        raise ValueError(f'The `padding` argument must be a list/tuple or one of "valid", '
                         f'"same" (or "causal", only for `Conv1D). Received: {padding}')
    return p


def left_zeros(x, n):
    """x (N, 1, L, C) with n zero steps prepended (the batch may be unknown)."""
    if n <= 0:
        return x
    zero = ops.zeros_like(x[:, :, :1, :])
    return ops.concat([zero] * n + [x], 2)


class Conv1D(ConvBase):
    """``filters`` kernels of ``kernel_size`` steps slid along the sequence.

    >>> import numpy as np
    >>> Conv1D(2, 3, strides=2)(np.zeros((1, 7, 3))).shape
    tinyflow.Size([1, 3, 2])
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid",
                 data_format="channels_last", dilation_rate=1, groups=1, activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self._check_filters(filters, groups)
        self.kernel_size = single(kernel_size, "kernel_size")
        self.strides = single(strides, "strides")
        self.padding = check_padding_1d(padding)
        if data_format not in (None, "channels_last"):
            raise NotImplementedError("tinyflow's Conv1D supports data_format='channels_last' "
                                      "only")
        self.data_format = "channels_last"
        self.dilation_rate = single(dilation_rate, "dilation_rate")
        self._check_strides_and_dilation()
        self._init_kernel_and_bias(activation, use_bias, kernel_initializer, bias_initializer,
                                   kernel_regularizer, bias_regularizer, kernel_constraint,
                                   bias_constraint)
        self.input_spec = InputSpec(min_ndim=3)

    def build(self, input_shape):
        channels, kernel_shape = self._grouped_kernel(input_shape, -1)
        self._make_weights(kernel_shape)
        self.input_spec = InputSpec(min_ndim=3, axes={-1: channels})
        self.built = True

    def call(self, inputs):
        if len(shape_of(inputs)) != 3:
            raise ValueError(f'Input 0 of layer "{self.name}" is incompatible with the layer: '
                             f'expected ndim=3, found ndim={len(shape_of(inputs))}. Full shape '
                             f'received: {shape_of(inputs)}')
        k, s, d = self.kernel_size[0], self.strides[0], self.dilation_rate[0]
        x = ops.expand_dims(inputs, 1)                          # (N, 1, L, C)
        if self.padding == "causal":
            x, pads = left_zeros(x, d * (k - 1)), (0, 0)
        else:
            x, pads = pad_for(x, (1, k), (1, s), self.padding, data_format="channels_last",
                              dilation=(1, d))
        y = ops.conv2d(x, ops.expand_dims(self.kernel, 0), (1, s), pads, (1, d), self.groups,
                       data_format="NHWC")
        y = ops.squeeze(y, 1)
        if self.use_bias:
            y = y + self.bias
        return self.activation(y)

    def get_config(self):
        return self._full_config()


class _Pooling1D(Layer):
    def __init__(self, pool_size=2, strides=None, padding="valid", data_format="channels_last",
                 **kwargs):
        super().__init__(**kwargs)
        self.pool_size = single(pool_size, "pool_size")
        self.strides = single(strides, "strides") if strides is not None else self.pool_size
        self.padding = check_padding_1d(padding, ("valid", "same"))
        if data_format not in (None, "channels_last"):
            raise NotImplementedError("tinyflow's 1-D pooling supports "
                                      "data_format='channels_last' only")
        self.data_format = "channels_last"
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        return ops.squeeze(self._pool(ops.expand_dims(inputs, 1), (1,) + self.pool_size,
                                      (1,) + self.strides), 1)

    def get_config(self):
        return {**super().get_config(), "strides": self.strides, "pool_size": self.pool_size,
                "padding": self.padding, "data_format": self.data_format}


class MaxPooling1D(_Pooling1D):
    """The largest value of each ``pool_size`` window of steps (stride: the window).

    >>> import numpy as np
    >>> MaxPooling1D()(np.array([[[1.0], [3.0], [2.0], [0.0]]])).numpy().ravel()
    array([3., 2.], dtype=float32)
    """

    def _pool(self, x, pool, strides):
        x, pads = pad_for(x, pool, strides, self.padding, fill=-np.inf,
                          data_format="channels_last")
        return ops.max_pool2d(x, pool, strides, pads, data_format="NHWC")


class AveragePooling1D(_Pooling1D):
    """The mean of each ``pool_size`` window of steps (SAME: of its real steps).

    >>> import numpy as np
    >>> AveragePooling1D(padding="same")(np.array([[[1.0], [3.0], [5.0]]])).numpy().ravel()
    array([2., 5.], dtype=float32)
    """

    def _pool(self, x, pool, strides):
        if self.padding == "valid":
            return ops.avg_pool2d(x, pool, strides, data_format="NHWC")
        steps = shape_of(x)[2]
        x, pads = pad_for(x, pool, strides, self.padding, data_format="channels_last")
        scale = pool[1] / real_pixel_counts((1, steps), pool, strides)    # (1, 1, 1, out)
        scale = scale.reshape(1, 1, -1, 1).astype(x.dtype)
        return ops.avg_pool2d(x, pool, strides, pads, data_format="NHWC") * scale


class _GlobalPooling1D(Layer):
    def __init__(self, data_format="channels_last", keepdims=False, **kwargs):
        super().__init__(**kwargs)
        if data_format not in (None, "channels_last", "channels_first"):
            raise ValueError(f"The `data_format` argument must be one of \"channels_first\", "
                             f"\"channels_last\". Received: {data_format}")
        self.data_format = data_format or "channels_last"
        self.keepdims = bool(keepdims)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        return self._reduce(inputs, 1 if self.data_format == "channels_last" else 2)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format,
                "keepdims": self.keepdims}


class GlobalAveragePooling1D(_GlobalPooling1D):
    """The mean over the steps: (batch, channels).

    >>> import numpy as np
    >>> GlobalAveragePooling1D()(np.array([[[1.0], [3.0]]])).numpy()
    array([[2.]], dtype=float32)
    """

    def _reduce(self, x, axis):
        return ops.mean(x, axis, keepdims=self.keepdims)


class GlobalMaxPooling1D(_GlobalPooling1D):
    """The largest value over the steps: (batch, channels).

    >>> import numpy as np
    >>> GlobalMaxPooling1D()(np.array([[[1.0], [3.0]]])).numpy()
    array([[3.]], dtype=float32)
    """

    def _reduce(self, x, axis):
        return ops.max(x, axis, keepdims=self.keepdims)


Convolution1D = Conv1D
MaxPool1D, AvgPool1D = MaxPooling1D, AveragePooling1D
GlobalAvgPool1D, GlobalMaxPool1D = GlobalAveragePooling1D, GlobalMaxPooling1D
