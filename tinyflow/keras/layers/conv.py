"""``Conv2D``: Keras's 2-D convolution over (batch, height, width, channels) images,
with a (kh, kw, in, out) kernel -- computed by tinyflow's ``Conv2D`` op in
TensorFlow's layout (``data_format="NHWC"``, ops/layout.py), so a traced step
holds one Conv2D op per layer, as TensorFlow's does.

``padding="same"`` is TensorFlow's: the output has ceil(size / stride) positions,
and when the padding needed is odd the extra row (column) goes at the bottom
(right). tinyflow's op pads both sides equally, so that one extra row is added
as a concatenated row of zeros first.

>>> import numpy as np
>>> from tinyflow import keras
>>> conv = keras.layers.Conv2D(4, 3, strides=2, padding="same")
>>> conv(np.zeros((1, 8, 8, 1))).shape, conv.kernel.shape
(tinyflow.Size([1, 4, 4, 4]), tinyflow.Size([3, 3, 1, 4]))
"""
import numpy as np

from ... import ops
from .. import activations, initializers, regularizers
from .base import Layer
from .input_spec import InputSpec, shape_of


def pair(value, name):
    """An int or a pair -> a pair of ints (Keras's ``kernel_size=3`` is (3, 3))."""
    if isinstance(value, (int, np.integer)):
        return (int(value), int(value))
    value = tuple(int(v) for v in value)
    if len(value) != 2:
        raise ValueError(f"The `{name}` argument must be a tuple of 2 integers. Received: "
                         f"{value}")
    return value


def check_padding(padding):
    p = str(padding).lower()
    if p not in ("valid", "same"):
        raise ValueError(f'The `padding` argument must be a list/tuple or one of "valid", '
                         f'"same" (or "causal", only for `Conv1D). Received: {padding}')
    return p


def same_padding(size, kernel, stride, dilation=1):
    """TensorFlow's SAME padding along one axis: (before, after), after >= before."""
    out = -(-size // stride)
    span = (kernel - 1) * dilation + 1           # a dilated kernel's reach
    total = max((out - 1) * stride + span - size, 0)
    return total // 2, total - total // 2


def image_axes(data_format):
    """The (height, width) axes of an image batch in ``data_format``."""
    return (1, 2) if data_format == "channels_last" else (2, 3)


def op_format(data_format):
    """Keras's name for a layout -> the op's."""
    return "NHWC" if data_format == "channels_last" else "NCHW"


def pad_for(x, kernel, strides, padding, fill=0.0, data_format="channels_first",
            dilation=(1, 1)):
    """x and the symmetric padding to give the op: with "same" and an odd total, one
    row/column of ``fill`` is first appended at the bottom/right."""
    if padding == "valid":
        return x, (0, 0)
    shape = shape_of(x)
    pads = []
    for axis, k, s, d in zip(image_axes(data_format), kernel, strides, dilation):
        if shape[axis] is None:
            raise ValueError(f"padding='same' needs the image size, got shape {shape}")
        before, after = same_padding(shape[axis], k, s, d)
        if after > before:
            edge = x[(slice(None),) * axis + (slice(-1, None),)]
            x = ops.concat([x, ops.zeros_like(edge) + fill], axis)
        pads.append(before)
    return x, tuple(pads)


class ConvBase(Layer):
    """What Keras's convolution layers share: tf_keras's checks of ``filters``,
    ``groups`` and strides with dilation, and a kernel and a bias made once the
    number of input channels is known."""

    def _check_filters(self, filters, groups):
        if not isinstance(filters, (int, np.integer)) or filters <= 0:
            raise ValueError(f"Invalid value for argument `filters`. Expected a strictly "
                             f"positive value. Received filters={filters}.")
        if not isinstance(groups, (int, np.integer)) or groups <= 0 or filters % groups:
            raise ValueError(f"The number of filters must be evenly divisible by the number of "
                             f"groups. Received: groups={groups}, filters={filters}")
        self.filters, self.groups = int(filters), int(groups)

    def _check_strides_and_dilation(self):
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"`strides > 1` not supported in conjunction with `dilation_rate > "
                             f"1`. Received: strides={self.strides} and dilation_rate="
                             f"{self.dilation_rate}")

    def _make_weights(self, kernel_shape):
        self.kernel = self.add_weight("kernel", kernel_shape,
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = self.add_weight("bias", (self.filters,), initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer,
                                    constraint=self.bias_constraint) if self.use_bias else None

    def _full_config(self):
        """tf_keras's config of a convolution, every argument included."""
        return {**Layer.get_config(self), "filters": self.filters,
                "kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate, "groups": self.groups,
                "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "activity_regularizer": regularizers.serialize(self.activity_regularizer),
                "kernel_constraint": self.kernel_constraint,
                "bias_constraint": self.bias_constraint}

    def _grouped_kernel(self, input_shape, axis):
        """The kernel's shape for input channels on ``axis``: kernel_size + (channels /
        groups, filters), with tf_keras's errors for unknown or indivisible channels."""
        channels = input_shape[axis]
        if channels is None:
            raise ValueError(f"The channel dimension of the inputs should be defined. The input "
                             f"shape received is: {input_shape}, where axis {axis} (0-based) is "
                             f"the channel dimension, which found to be `None`.")
        if channels % self.groups:
            raise ValueError(f"The number of input channels must be evenly divisible by the "
                             f"number of groups. Received groups={self.groups}, but the input "
                             f"has {channels} channels (full input shape is {input_shape}).")
        return channels, self.kernel_size + (channels // self.groups, self.filters)


class Conv2D(ConvBase):
    """``filters`` kernels of ``kernel_size`` slid over the image with ``strides``."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self._check_filters(filters, groups)
        self.kernel_size = pair(kernel_size, "kernel_size")
        self.strides = pair(strides, "strides")
        self.padding = check_padding(padding)
        self.data_format = data_format or "channels_last"
        self.dilation_rate = pair(dilation_rate, "dilation_rate")
        self._check_strides_and_dilation()
        self._init_kernel_and_bias(activation, use_bias, kernel_initializer, bias_initializer,
                                   kernel_regularizer, bias_regularizer, kernel_constraint,
                                   bias_constraint)
        self.input_spec = InputSpec(min_ndim=4)

    @property
    def _channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def build(self, input_shape):
        channels, kernel_shape = self._grouped_kernel(input_shape, self._channel_axis)
        self._make_weights(kernel_shape)
        self.input_spec = InputSpec(min_ndim=4, axes={self._channel_axis: channels})
        self.built = True

    def call(self, inputs):
        if len(shape_of(inputs)) != 4:
            raise ValueError(f'Input 0 of layer "{self.name}" is incompatible with the layer: '
                             f'expected ndim=4, found ndim={len(shape_of(inputs))}. Full shape '
                             f'received: {shape_of(inputs)}')
        x, padding = pad_for(inputs, self.kernel_size, self.strides, self.padding,
                             data_format=self.data_format, dilation=self.dilation_rate)
        if self.data_format == "channels_last":      # TF's layout: the kernel as it is
            y = ops.conv2d(x, self.kernel, self.strides, padding, self.dilation_rate,
                           self.groups, data_format="NHWC")
        else:                                        # the op's (out, in, kh, kw) kernel
            y = ops.conv2d(x, ops.transpose(self.kernel, (3, 2, 0, 1)), self.strides, padding,
                           self.dilation_rate, self.groups)
        if self.use_bias:
            y = y + (self.bias if self.data_format == "channels_last"
                     else ops.reshape(self.bias, (-1, 1, 1)))
        return self.activation(y)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters,
                "kernel_size": list(self.kernel_size), "strides": list(self.strides),
                "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": list(self.dilation_rate), "groups": self.groups,
                "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer)}
