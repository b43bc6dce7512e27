"""Pooling layers over (N, C, H, W) or (C, H, W) images: ``MaxPool2d``,
``AvgPool2d`` and ``AdaptiveAvgPool2d``. They keep their arguments as given (an
int stays an int), and print as PyTorch's do.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> nn.AdaptiveAvgPool2d((1, 1))(tf.ones(2, 8, 5, 5)).shape
tinyflow.Size([2, 8, 1, 1])
>>> nn.MaxPool2d(2)
MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
"""
from . import functional as F
from .module import Module
from .pool_functions import adaptive_output_size
from ..io.registry import register_module


@register_module
class MaxPool2d(Module):
    """The largest value of each kernel_size window; the stride defaults to kernel_size.
    ``dilation``, ``return_indices`` and ``ceil_mode`` are accepted at their defaults
    only (other values raise NotImplementedError when the layer is made)."""

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
                 ceil_mode=False):
        super().__init__()
        if dilation != 1 or return_indices or ceil_mode:
            raise NotImplementedError(f"MaxPool2d: dilation={dilation!r}, "
                                      f"return_indices={return_indices!r}, "
                                      f"ceil_mode={ceil_mode!r}: tinyflow supports only "
                                      f"dilation=1, return_indices=False, ceil_mode=False")
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def forward(self, x):
        return F.max_pool2d(x, self.kernel_size, self.stride, self.padding)

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


@register_module
class AvgPool2d(Module):
    """The mean of each kernel_size window; the stride defaults to kernel_size.
    See ``F.avg_pool2d`` for ``ceil_mode``, ``count_include_pad``, ``divisor_override``.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> nn.AvgPool2d(2)(tf.arange(16.0).reshape(1, 1, 4, 4))
    tensor([[[[ 2.5000,  4.5000],
              [10.5000, 12.5000]]]])
    """

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True, divisor_override=None):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def forward(self, x):
        return F.avg_pool2d(x, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad, self.divisor_override)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


@register_module
class AdaptiveAvgPool2d(Module):
    """Average pooling to a fixed ``output_size`` (an int, or a pair whose entries
    may be None to keep that input size) whatever the input's height and width.

    >>> import tinyflow.nn as nn
    >>> nn.AdaptiveAvgPool2d((None, 3))
    AdaptiveAvgPool2d(output_size=(None, 3))
    """

    def __init__(self, output_size):
        super().__init__()
        adaptive_output_size("AdaptiveAvgPool2d", output_size)
        self.output_size = output_size

    def forward(self, x):
        return F.adaptive_avg_pool2d(x, self.output_size)

    def extra_repr(self):
        return f"output_size={self.output_size}"
