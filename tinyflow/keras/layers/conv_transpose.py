"""``Conv2DTranspose``: Keras's transposed convolution over (batch, height, width,
channels) images, kernel (kh, kw, filters, in) as tf_keras keeps it.

It runs ``F.conv_transpose2d`` (PyTorch's layout, so the image is transposed to
channels first and the kernel to (in, filters, kh, kw)) with no padding, which
gives the whole image, (n - 1) * stride + dilation * (k - 1) + 1 per axis; then
it keeps TensorFlow's window of it. The output size is Keras's
(``deconv_output_length``): "valid": n * stride + max(k - stride, 0), "same":
n * stride, or with ``output_padding``: (n - 1) * stride + k - 2 * pad +
output_padding (pad 0 for "valid", k // 2 for "same"). The window starts at
TensorFlow's SAME padding (its total halved, rounded down) for "same", at 0 for
"valid"; rows past the whole image are zeros.

>>> import numpy as np
>>> from tinyflow import keras
>>> up = keras.layers.Conv2DTranspose(4, 3, strides=2, padding="same")
>>> up(np.zeros((1, 5, 5, 2))).shape, up.kernel.shape
(tinyflow.Size([1, 10, 10, 4]), tinyflow.Size([3, 3, 4, 2]))
"""

from ... import ops
from ...nn import functional as F
from .conv import ConvBase, check_padding, pair
from .input_spec import InputSpec, shape_of


def deconv_length(n, k, stride, padding, output_padding, dilation):
    """Keras's ``conv_utils.deconv_output_length``."""
    k = k + (k - 1) * (dilation - 1)
    if output_padding is None:
        return n * stride + max(k - stride, 0) if padding == "valid" else n * stride
    pad = 0 if padding == "valid" else k // 2
    return (n - 1) * stride + k - 2 * pad + output_padding


def window(y, axis, start, length):
    """y's ``length`` entries from ``start`` along ``axis``, zeros past its end."""
    have = shape_of(y)[axis]
    key = (slice(None),) * axis
    y = y[key + (slice(start, min(start + length, have)),)]
    missing = length - (min(start + length, have) - start)
    if missing > 0:
        zero = ops.zeros_like(y[key + (slice(0, 1),)])
        y = ops.concat([y] + [zero] * missing, axis)
    return y


class Conv2DTranspose(ConvBase):
    """The adjoint of a Conv2D in its input: each pixel spreads a kernel-sized patch
    into an output ``strides`` times larger.

    >>> import numpy as np
    >>> Conv2DTranspose(1, 2, strides=2, kernel_initializer="ones")(np.ones((1, 1, 1, 1)))
    ... # doctest: +NORMALIZE_WHITESPACE
    tensor([[[[1.], [1.]],
             [[1.], [1.]]]])
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 output_padding=None, data_format=None, dilation_rate=(1, 1), groups=1,
                 activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if groups != 1:
            raise NotImplementedError(f"tinyflow's Conv2DTranspose has groups=1 only, got "
                                      f"groups={groups}")
        self._check_filters(filters, groups)
        self.kernel_size = pair(kernel_size, "kernel_size")
        self.strides = pair(strides, "strides")
        self.padding = check_padding(padding)
        if data_format not in (None, "channels_last"):
            raise NotImplementedError("tinyflow's Conv2DTranspose supports "
                                      "data_format='channels_last' only")
        self.data_format = "channels_last"
        self.dilation_rate = pair(dilation_rate, "dilation_rate")
        self.output_padding = None if output_padding is None else \
            pair(output_padding, "output_padding")
        if self.output_padding is not None:
            for stride, out_pad in zip(self.strides, self.output_padding):
                if out_pad >= stride:
                    raise ValueError(f"Strides must be greater than output padding. Received "
                                     f"strides={self.strides}, output_padding="
                                     f"{self.output_padding}.")
        self._init_kernel_and_bias(activation, use_bias, kernel_initializer, bias_initializer,
                                   kernel_regularizer, bias_regularizer, kernel_constraint,
                                   bias_constraint)
        self.input_spec = InputSpec(min_ndim=4)

    def build(self, input_shape):
        if len(input_shape) != 4:
            raise ValueError(f"Inputs should have rank 4. Received input_shape="
                             f"{input_shape}.")
        channels = input_shape[-1]
        if channels is None:
            raise ValueError("The channel dimension of the inputs to `Conv2DTranspose` should "
                             "be defined. The input_shape received is "
                             f"{input_shape}, where axis -1 (0-based) is the channel "
                             "dimension, which found to be `None`.")
        self._make_weights(self.kernel_size + (self.filters, channels))
        self.input_spec = InputSpec(ndim=4, axes={3: channels})
        self.built = True

    def call(self, inputs):
        shape = shape_of(inputs)
        x = ops.transpose(inputs, (0, 3, 1, 2))
        full = F.conv_transpose2d(x, ops.transpose(self.kernel, (3, 2, 0, 1)),
                                  stride=self.strides, dilation=self.dilation_rate)
        y = ops.transpose(full, (0, 2, 3, 1))
        for axis, n, k, s, d, op in zip((1, 2), shape[1:3], self.kernel_size, self.strides,
                                        self.dilation_rate,
                                        self.output_padding or (None, None)):
            out = deconv_length(n, k, s, self.padding, op, d)
            start = 0
            if self.padding == "same":           # TF's SAME padding of the forward conv
                start = max((n - 1) * s + d * (k - 1) + 1 - out, 0) // 2
            y = window(y, axis, start, out)
        if self.use_bias:
            y = y + self.bias
        return self.activation(y)

    def get_config(self):
        return {**self._full_config(), "output_padding": self.output_padding}


Convolution2DTranspose = Conv2DTranspose
