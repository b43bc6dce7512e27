"""Pooling over sequences, (N, C, L) or unbatched (C, L): ``F.max_pool1d``,
``F.avg_pool1d``, ``F.adaptive_avg_pool1d`` and their layers ``MaxPool1d``,
``AvgPool1d``, ``AdaptiveAvgPool1d``. Each is its 2-D twin on a height-1 image
(N, C, 1, L), so the values and gradients are the 2-D pooling's.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> nn.MaxPool1d(2)(tf.tensor([[[1.0, 5.0, 2.0, 4.0]]]))
tensor([[[5., 4.]]])
>>> nn.AvgPool1d(3, 2, 1)
AvgPool1d(kernel_size=(3,), stride=(2,), padding=(1,))
"""
import numbers

from .. import ops
from . import checks
from .module import Module
from .pool_functions import adaptive_avg_pool2d, avg_pool2d, max_pool2d
from ..io.registry import register_module


def _one(name, arg, value):
    """An int, or a sequence of one int -> that int (PyTorch's _single)."""
    if isinstance(value, (tuple, list)) and len(value) == 1:
        value = value[0]
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(f"{name}(): argument '{arg}' must be an int or a tuple of one int, got "
                        f"{type(value).__name__} {value!r}")
    return int(value)


def _as_image(name, x):
    """(N, C, L) or (C, L) -> (N, C, 1, L) or (C, 1, L)."""
    x = checks.tensor(name, "input", x)
    if x.ndim not in (2, 3):
        raise RuntimeError(f"{name}: Expected 2D or 3D (batch mode) tensor with optional 0 dim "
                           f"batch size for input, but got:{list(x.shape)}")
    return ops.expand_dims(x, -2)


def _window(name, kernel_size, stride, padding):
    k = _one(name, "kernel_size", kernel_size)
    s = k if stride is None or stride == () or stride == [] else _one(name, "stride", stride)
    if k <= 0:
        raise RuntimeError(f"{name}() kernel_size must be greater than zero, but got {k}")
    return (1, k), (1, s), (0, _one(name, "padding", padding))


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """The largest value of each window along the last axis (stride: the kernel size).

    >>> import tinyflow as tf
    >>> max_pool1d(tf.tensor([[1.0, 3.0, 2.0, 0.0]]), 2)
    tensor([[3., 2.]])
    """
    kernel, stride, padding = _window("max_pool1d", kernel_size, stride, padding)
    y = max_pool2d(_as_image("max_pool1d", input), kernel, stride, padding,
                   (1, _one("max_pool1d", "dilation", dilation)), ceil_mode, return_indices)
    return ops.squeeze(y, -2)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    """The mean of each window along the last axis (stride: the kernel size).

    >>> import tinyflow as tf
    >>> avg_pool1d(tf.tensor([[1.0, 3.0, 2.0, 0.0]]), 2)
    tensor([[2., 1.]])
    """
    kernel, stride, padding = _window("avg_pool1d", kernel_size, stride, padding)
    y = avg_pool2d(_as_image("avg_pool1d", input), kernel, stride, padding, ceil_mode,
                   count_include_pad)
    return ops.squeeze(y, -2)


def adaptive_avg_pool1d(input, output_size):
    """Average pooling to ``output_size`` positions, whatever the input's length.

    >>> import tinyflow as tf
    >>> adaptive_avg_pool1d(tf.tensor([[1.0, 3.0, 2.0, 0.0]]), 1)
    tensor([[1.5000]])
    """
    if isinstance(output_size, (tuple, list)) and len(output_size) != 1:
        raise RuntimeError(f"adaptive_avg_pool1d() argument 'output_size' should contain one "
                           f"int (got {len(output_size)})")
    size = _one("adaptive_avg_pool1d", "output_size", output_size)
    return ops.squeeze(adaptive_avg_pool2d(_as_image("adaptive_avg_pool1d", input), (1, size)),
                       -2)


@register_module
class MaxPool1d(Module):
    """``F.max_pool1d`` as a layer; the stride defaults to the kernel size."""

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
                 ceil_mode=False):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def forward(self, input):
        return max_pool1d(input, self.kernel_size, self.stride, self.padding, self.dilation,
                          self.ceil_mode, self.return_indices)

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


def _single(value):
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


@register_module
class AvgPool1d(Module):
    """``F.avg_pool1d`` as a layer (it keeps its sizes as 1-tuples, as PyTorch's does)."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True):
        super().__init__()
        self.kernel_size = _single(kernel_size)
        self.stride = _single(stride if stride is not None else kernel_size)
        self.padding = _single(padding)
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad

    def forward(self, input):
        return avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                          self.count_include_pad)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


@register_module
class AdaptiveAvgPool1d(Module):
    """``F.adaptive_avg_pool1d`` as a layer: ``AdaptiveAvgPool1d(1)`` is a global mean."""

    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def forward(self, input):
        return adaptive_avg_pool1d(input, self.output_size)

    def extra_repr(self):
        return f"output_size={self.output_size}"
