"""``Conv2d`` over images shaped (N, C, H, W) (or one unbatched (C, H, W) image).

>>> import tinyflow as tf, tinyflow.nn as nn
>>> nn.Conv2d(1, 8, 3, padding=1)(tf.zeros(2, 1, 8, 8)).shape
tinyflow.Size([2, 8, 8, 8])
>>> nn.Conv2d(1, 8, 3, padding="same")
Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=same)
"""
import math
import numbers

import numpy as np

from . import checks, functional as F, init
from .module import Module
from .parameter import Parameter
from ..io.registry import register_module

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _channels(name, value):
    """PyTorch checks channels against groups first (``in_channels % groups``): a
    non-integral number is a ValueError there, anything else not an int a TypeError."""
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral) \
            and not float(value).is_integer():
        raise ValueError(f"Conv2d: {name} must be divisible by groups (an int), got {value!r}")
    return checks.size("Conv2d", name, value)


@register_module
class Conv2d(Module):
    """2-D convolution (cross-correlation, as in every framework) with a bias
    per output channel. Weight: (out_channels, in_channels, kh, kw), drawn like
    Linear's from U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in = in_channels*kh*kw.

    ``padding`` may be an int, a pair, 'valid' or 'same' (stride 1). ``dilation``
    spaces the kernel's taps; ``groups`` splits the channels (weight: (out_channels,
    in_channels / groups, kh, kw)). ``padding_mode`` other than 'zeros' raises
    NotImplementedError. A kernel, stride or
    padding PyTorch accepts here but cannot run (0, negative) fails when called,
    with a RuntimeError, as in PyTorch.
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, padding_mode="zeros"):
        super().__init__()
        self.in_channels = _channels("in_channels", in_channels)
        self.out_channels = _channels("out_channels", out_channels)
        if not isinstance(groups, numbers.Integral) or groups <= 0:
            raise ValueError(f"Conv2d: groups must be a positive integer, got {groups!r}")
        if padding_mode not in PADDING_MODES:
            raise ValueError(f"Conv2d: padding_mode must be one of {list(PADDING_MODES)}, but got "
                             f"padding_mode={padding_mode!r}")
        if self.in_channels % groups or self.out_channels % groups:
            which = "in_channels" if self.in_channels % groups else "out_channels"
            raise ValueError(f"Conv2d: {which} must be divisible by groups, got {which}="
                             f"{getattr(self, which)} and groups={groups}")
        self.kernel_size = checks.ints("Conv2d", "kernel_size", kernel_size)
        if any(k < 0 for k in self.kernel_size):
            raise RuntimeError(f"Conv2d(): argument 'kernel_size' must not be negative, got "
                               f"{kernel_size!r} (Trying to create tensor with negative "
                               f"dimension)")
        self.stride = checks.ints("Conv2d", "stride", stride)
        self.dilation = checks.ints("Conv2d", "dilation", dilation)
        if any(d <= 0 for d in self.dilation):
            raise RuntimeError(f"Conv2d(): argument 'dilation' should be greater than zero, got "
                               f"{dilation!r}")
        F.conv_padding("Conv2d", padding, self.kernel_size, self.stride,   # checks a string
                       self.dilation)
        self.padding = padding if isinstance(padding, str) else \
            checks.ints("Conv2d", "padding", padding)
        if padding_mode != "zeros":
            raise NotImplementedError(f"Conv2d: padding_mode={padding_mode!r}: tinyflow supports "
                                      f"only padding_mode='zeros'")
        self.groups = int(groups)
        self.padding_mode = padding_mode
        shape = (self.out_channels, self.in_channels // self.groups) + self.kernel_size
        self.weight = Parameter(np.empty(shape, np.float32))
        self.bias = Parameter(np.empty(self.out_channels, np.float32)) if bias else None
        self.reset_parameters()

    def reset_parameters(self):
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init.fans(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        return F.conv2d(x, self.weight, self.bias, self.stride, self.padding, self.dilation,
                        self.groups)

    def extra_repr(self):
        s = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
             f"stride={self.stride}")
        if isinstance(self.padding, str):
            s += f", padding={self.padding}"
        elif self.padding != (0,) * len(self.padding):
            s += f", padding={self.padding}"
        if self.dilation != (1, 1):
            s += f", dilation={self.dilation}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        return s
