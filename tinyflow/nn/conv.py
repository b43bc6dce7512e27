"""Convolution layers: ``Conv2d`` over images shaped (N, C, H, W) (or one unbatched
(C, H, W) image) and ``Conv1d`` over signals shaped (N, C, L) (or (C, L)). What
every convolution layer shares -- PyTorch's constructor checks, the weight's shape,
the default init, the repr -- is ``ConvNd``; the transposed ones are in
conv_transpose.py.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> nn.Conv2d(1, 8, 3, padding=1)(tf.zeros(2, 1, 8, 8)).shape
tinyflow.Size([2, 8, 8, 8])
>>> nn.Conv2d(1, 8, 3, padding="same")
Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=same)
>>> nn.Conv1d(2, 4, 5, stride=2)(tf.zeros(3, 2, 11)).shape
tinyflow.Size([3, 4, 4])
"""
import math
import numbers

import numpy as np

from . import checks, functional as F, init
from .conv_functions import conv1d, padding_string
from .module import Module
from .parameter import Parameter
from ..base import dtypes
from ..base.device import check_device
from ..io.registry import register_module

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _channels(owner, name, value):
    """PyTorch checks channels against groups first (``in_channels % groups``): a
    non-integral number is a ValueError there, anything else not an int a TypeError."""
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral) \
            and not float(value).is_integer():
        raise ValueError(f"{owner}: {name} must be divisible by groups (an int), got {value!r}")
    return checks.size(owner, name, value)


class ConvNd(Module):
    """What the convolution layers share (PyTorch's ``_ConvNd``): the checks of the
    constructor, the weight and bias, their default init and the repr. ``dims`` is 1
    or 2; a ``transposed`` layer's weight is (in_channels, out_channels / groups, *k),
    an ordinary one's (out_channels, in_channels / groups, *k).

    Weight and bias are drawn like Linear's, from U(-1/sqrt(fan_in), 1/sqrt(fan_in)),
    fan_in = weight.shape[1] * the kernel's size. A kernel, stride, padding or
    dilation PyTorch accepts here but cannot run (0, negative) fails when called, with
    a RuntimeError, as in PyTorch; ``padding_mode`` other than 'zeros' raises
    NotImplementedError.

    >>> import tinyflow.nn as nn
    >>> isinstance(nn.Conv1d(2, 4, 3), ConvNd), nn.Conv1d(2, 4, 3, groups=2).weight.shape
    (True, tinyflow.Size([4, 1, 3]))
    """
    dims = 2
    transposed = False

    def __init__(self, in_channels, out_channels, kernel_size, stride, padding, dilation,
                 groups, bias, padding_mode, output_padding=0, device=None, dtype=None):
        super().__init__()
        owner = type(self).__name__
        if self.transposed and padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for {owner}, got '
                             f'padding_mode={padding_mode!r}')
        self.in_channels = _channels(owner, "in_channels", in_channels)
        self.out_channels = _channels(owner, "out_channels", out_channels)
        if not isinstance(groups, numbers.Integral) or groups <= 0:
            raise ValueError(f"{owner}: groups must be a positive integer, got {groups!r}")
        if padding_mode not in PADDING_MODES:
            raise ValueError(f"{owner}: padding_mode must be one of {list(PADDING_MODES)}, but "
                             f"got padding_mode={padding_mode!r}")
        if self.in_channels % groups or self.out_channels % groups:
            which = "in_channels" if self.in_channels % groups else "out_channels"
            raise ValueError(f"{owner}: {which} must be divisible by groups, got {which}="
                             f"{getattr(self, which)} and groups={groups}")
        n = self.dims
        self.kernel_size = checks.ints(owner, "kernel_size", kernel_size, n)
        if any(k < 0 for k in self.kernel_size):
            raise RuntimeError(f"{owner}(): argument 'kernel_size' must not be negative, got "
                               f"{kernel_size!r} (Trying to create tensor with negative "
                               f"dimension)")
        self.stride = checks.ints(owner, "stride", stride, n)
        self.dilation = checks.ints(owner, "dilation", dilation, n)    # > 0: checked when called
        if isinstance(padding, str) and self.transposed:
            self.padding = padding            # PyTorch takes it, and fails when called (TypeError)
        elif isinstance(padding, str):
            if n == 2:       # F.conv2d's own rules (it pads 'same' symmetrically only)
                F.conv_padding(owner, padding, self.kernel_size, self.stride, self.dilation)
            else:
                padding_string(owner, padding, self.kernel_size, self.stride, self.dilation,
                               ValueError)
            self.padding = padding
        else:
            self.padding = checks.ints(owner, "padding", padding, n)
        self.output_padding = checks.ints(owner, "output_padding", output_padding, n)
        if padding_mode != "zeros":
            raise NotImplementedError(f"{owner}: padding_mode={padding_mode!r}: tinyflow supports "
                                      f"only padding_mode='zeros'")
        self.groups = int(groups)
        self.padding_mode = padding_mode
        check_device(owner, device)
        dt = np.dtype(dtypes.get_default_dtype() if dtype is None else dtype)
        channels = (self.in_channels, self.out_channels // self.groups) if self.transposed \
            else (self.out_channels, self.in_channels // self.groups)
        self.weight = Parameter(np.empty(channels + self.kernel_size, dt))
        self.bias = Parameter(np.empty(self.out_channels, dt)) if bias else None
        self.reset_parameters()

    def reset_parameters(self):
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init.fans(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def extra_repr(self):
        s = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
             f"stride={self.stride}")
        if isinstance(self.padding, str):
            s += f", padding={self.padding}"
        elif self.padding != (0,) * len(self.padding):
            s += f", padding={self.padding}"
        if self.dilation != (1,) * len(self.dilation):
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * len(self.output_padding):
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        return s


@register_module
class Conv2d(ConvNd):
    """2-D convolution (cross-correlation, as in every framework) with a bias
    per output channel. Weight: (out_channels, in_channels / groups, kh, kw).

    ``padding`` may be an int, a pair, 'valid' or 'same' (stride 1). ``dilation``
    spaces the kernel's taps; ``groups`` splits the channels. See ``ConvNd`` for the
    default init and the checks.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> nn.Conv2d(3, 8, 3, stride=2, padding=1)(tf.zeros(1, 3, 8, 8)).shape
    tinyflow.Size([1, 8, 4, 4])
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, padding_mode="zeros", device=None, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, device=device, dtype=dtype)

    def forward(self, x):
        return F.conv2d(x, self.weight, self.bias, self.stride, self.padding, self.dilation,
                        self.groups)


@register_module
class Conv1d(ConvNd):
    """1-D convolution over signals (N, C, L) or (C, L): Conv2d's arithmetic along
    one axis. Weight: (out_channels, in_channels / groups, k). ``padding`` may be an
    int, 'valid' or 'same' (stride 1; an even span pads one more on the right, as in
    PyTorch).

    >>> import tinyflow.nn as nn
    >>> nn.Conv1d(4, 6, 3, padding=1, groups=2).weight.shape
    tinyflow.Size([6, 2, 3])
    """
    dims = 1

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, padding_mode="zeros", device=None, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, device=device, dtype=dtype)

    def forward(self, x):
        return conv1d(x, self.weight, self.bias, self.stride, self.padding, self.dilation,
                      self.groups)
