"""Pooling over (batch, height, width, channels) images: ``MaxPooling2D``,
``AveragePooling2D`` (windows, tinyflow's MaxPool/AvgPool ops) and
``GlobalAveragePooling2D`` / ``GlobalMaxPooling2D`` (a mean or max over the image).

With ``padding="same"``, TensorFlow's rule: padding never wins a max, and an
average counts only the real pixels in its window.

>>> import numpy as np
>>> from tinyflow import keras
>>> keras.layers.MaxPooling2D()(np.zeros((1, 8, 8, 3))).shape
tinyflow.Size([1, 4, 4, 3])
>>> keras.layers.GlobalAveragePooling2D()(np.ones((2, 4, 4, 3))).shape
tinyflow.Size([2, 3])
"""
import numpy as np

from ... import ops
from .base import Layer
from .conv import check_padding, image_axes, op_format, pad_for, pair, same_padding
from .input_spec import InputSpec, shape_of


class _Pooling2D(Layer):
    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.pool_size = pair(pool_size, "pool_size")
        self.strides = pair(strides, "strides") if strides is not None else self.pool_size
        self.padding = check_padding(padding)
        self.data_format = data_format or "channels_last"
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        return self._pool(inputs)       # the op in the layer's own layout (ops/layout.py)

    def get_config(self):
        return {**super().get_config(), "pool_size": list(self.pool_size),
                "padding": self.padding, "strides": list(self.strides),
                "data_format": self.data_format}


class MaxPooling2D(_Pooling2D):
    """The largest value of each ``pool_size`` window (stride: the window size)."""

    def _pool(self, x):
        x, pads = pad_for(x, self.pool_size, self.strides, self.padding, fill=-np.inf,
                          data_format=self.data_format)
        return ops.max_pool2d(x, self.pool_size, self.strides, pads,
                              data_format=op_format(self.data_format))


def real_pixel_counts(shape, pool, strides):
    """(1, 1, oh, ow): how many pixels of the image each SAME window covers."""
    counts = []
    for n, k, s in zip(shape, pool, strides):
        before, _ = same_padding(n, k, s)
        start = np.arange(-(-n // s)) * s - before
        counts.append(np.minimum(start + k, n) - np.maximum(start, 0))
    return np.outer(*counts)[None, None]


class AveragePooling2D(_Pooling2D):
    """The mean of each ``pool_size`` window."""

    def _pool(self, x):
        fmt = op_format(self.data_format)
        if self.padding == "valid":
            return ops.avg_pool2d(x, self.pool_size, self.strides, data_format=fmt)
        size = [shape_of(x)[a] for a in image_axes(self.data_format)]
        x, pads = pad_for(x, self.pool_size, self.strides, self.padding,
                          data_format=self.data_format)
        # The op's mean counts the zero padding; rescale each window to its real pixels.
        scale = (self.pool_size[0] * self.pool_size[1]) / real_pixel_counts(
            size, self.pool_size, self.strides)
        if fmt == "NHWC":
            scale = scale.reshape(scale.shape[2:] + (1,))          # (1, oh, ow, 1) by broadcast
        return ops.avg_pool2d(x, self.pool_size, self.strides, pads, data_format=fmt) * \
            scale.astype(x.dtype)


class _GlobalPooling2D(Layer):
    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format or "channels_last"
        self.keepdims = bool(keepdims)
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        axes = (1, 2) if self.data_format == "channels_last" else (2, 3)
        return self._reduce(inputs, axes)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}


class GlobalAveragePooling2D(_GlobalPooling2D):
    """The mean over each image's height and width: (batch, channels)."""

    def _reduce(self, x, axes):
        return ops.mean(x, axes, keepdims=self.keepdims)


class GlobalMaxPooling2D(_GlobalPooling2D):
    """The largest value over each image's height and width: (batch, channels)."""

    def _reduce(self, x, axes):
        return ops.max(x, axes, keepdims=self.keepdims)


MaxPool2D, AvgPool2D = MaxPooling2D, AveragePooling2D
GlobalAvgPool2D, GlobalMaxPool2D = GlobalAveragePooling2D, GlobalMaxPooling2D
