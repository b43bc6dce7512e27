"""Transposed convolution layers, the upsampling layers of autoencoder decoders and
GAN generators: ``ConvTranspose2d`` over images (N, C, H, W) or (C, H, W) and
``ConvTranspose1d`` over signals (N, C, L) or (C, L). Their weight is
(in_channels, out_channels / groups, *kernel_size), as in PyTorch.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> up = nn.ConvTranspose2d(8, 4, 4, stride=2, padding=1)
>>> up(tf.zeros(1, 8, 7, 7)).shape
tinyflow.Size([1, 4, 14, 14])
>>> up.weight.shape
tinyflow.Size([8, 4, 4, 4])
"""
import numbers

from . import checks
from .conv import ConvNd
from .conv_functions import conv_transpose1d, conv_transpose2d
from ..io.registry import register_module


def _output_padding(owner, x, output_size, kernel, stride, padding, dilation):
    """The output_padding that gives ``output_size`` (its last dims, the spatial
    ones; the batch and channel may lead), by PyTorch's rule: each size must lie
    between the output size without output_padding and that plus stride - 1."""
    dims = len(kernel)
    lead = 2 if x.ndim == dims + 2 else 1
    sizes = list(output_size)
    if len(sizes) == lead + dims:
        sizes = sizes[lead:]
    if len(sizes) != dims:
        raise ValueError(f"{owner}: for {x.ndim}D input, output_size must have {dims} or "
                         f"{lead + dims} elements (got {len(sizes)})")
    if not all(isinstance(v, numbers.Integral) for v in sizes):
        raise TypeError(f"{owner}: output_size must hold ints, got {output_size!r}")
    least = [(n - 1) * s - 2 * p + d * (k - 1) + 1 for n, k, s, p, d in
             zip(x.shape[lead:], kernel, stride, padding, dilation)]
    most = [m + s - 1 for m, s in zip(least, stride)]
    if any(not lo <= v <= hi for v, lo, hi in zip(sizes, least, most)):
        raise ValueError(f"{owner}: requested an output size of {tuple(output_size)}, but valid "
                         f"sizes range from {least} to {most} (for an input of "
                         f"{tuple(x.shape[lead:])})")
    return tuple(int(v) - m for v, m in zip(sizes, least))


class ConvTransposeNd(ConvNd):
    """What both transposed layers share: ``forward(input, output_size=None)``, where
    ``output_size`` picks the output_padding that gives that size (a stride-2 layer
    can undo a stride-2 Conv2d of an odd or an even size).

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> up = nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1)
    >>> up(tf.zeros(1, 1, 4, 4)).shape, up(tf.zeros(1, 1, 4, 4), output_size=(8, 8)).shape
    (tinyflow.Size([1, 1, 7, 7]), tinyflow.Size([1, 1, 8, 8]))
    """
    transposed = True

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 output_padding=0, groups=1, bias=True, dilation=1, padding_mode="zeros",
                 device=None, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, output_padding, device, dtype)

    def forward(self, input, output_size=None):
        output_padding = self.output_padding
        if output_size is not None:
            input = checks.tensor(type(self).__name__, "input", input)
            output_padding = _output_padding(type(self).__name__, input, output_size,
                                             self.kernel_size, self.stride, self.padding,
                                             self.dilation)
        return self.function(input, self.weight, self.bias, self.stride, self.padding,
                             output_padding, self.groups, self.dilation)


@register_module
class ConvTranspose2d(ConvTransposeNd):
    """2-D transposed convolution ("deconvolution"): Conv2d's adjoint in its input.
    Output size per axis: (n - 1) * stride - 2 * padding + dilation * (k - 1) +
    output_padding + 1; ``ConvTranspose2d(c, c2, 4, stride=2, padding=1)`` doubles
    the height and width. Weight: (in_channels, out_channels / groups, kh, kw),
    initialized as Conv2d's (fan_in = out_channels / groups * kh * kw).

    >>> import tinyflow.nn as nn
    >>> nn.ConvTranspose2d(16, 8, 3, stride=2, output_padding=1, bias=False)
    ConvTranspose2d(16, 8, kernel_size=(3, 3), stride=(2, 2), output_padding=(1, 1), bias=False)
    """
    function = staticmethod(conv_transpose2d)


@register_module
class ConvTranspose1d(ConvTransposeNd):
    """1-D transposed convolution over (N, C, L) or (C, L); weight (in_channels,
    out_channels / groups, k). See ConvTranspose2d.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> nn.ConvTranspose1d(2, 3, 4, stride=2, padding=1)(tf.zeros(5, 2, 10)).shape
    tinyflow.Size([5, 3, 20])
    """
    dims = 1
    function = staticmethod(conv_transpose1d)
