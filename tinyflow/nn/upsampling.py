"""Upsampling layers: ``Upsample`` (``F.interpolate`` as a layer) and its two
fixed-mode spellings, ``UpsamplingNearest2d`` and ``UpsamplingBilinear2d``.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> nn.Upsample(scale_factor=2)(tf.zeros(1, 3, 4, 4)).shape
tinyflow.Size([1, 3, 8, 8])
>>> nn.Upsample(size=(5, 7), mode="bilinear", align_corners=True)
Upsample(size=(5, 7), mode='bilinear')
"""
from .interpolate import interpolate
from .module import Module
from ..io.registry import register_module


@register_module
class Upsample(Module):
    """Resize (N, C, L), (N, C, H, W) or (N, C, D, H, W) inputs to ``size`` or by
    ``scale_factor`` (kept as floats, as PyTorch keeps them), with ``mode`` 'nearest'
    (the default), 'nearest-exact', 'linear', 'bilinear', 'trilinear' or 'area'. The
    arguments are checked when the layer runs, as in PyTorch.

    >>> import tinyflow.nn as nn
    >>> nn.Upsample(scale_factor=(2, 3))
    Upsample(scale_factor=(2.0, 3.0), mode='nearest')
    """

    def __init__(self, size=None, scale_factor=None, mode="nearest", align_corners=None,
                 recompute_scale_factor=None):
        super().__init__()
        self.name = type(self).__name__
        self.size = size
        if isinstance(scale_factor, tuple):
            self.scale_factor = tuple(float(f) for f in scale_factor)
        elif isinstance(scale_factor, list):
            raise TypeError(f"{self.name}: scale_factor must be a number or a tuple of numbers, "
                            f"got the list {scale_factor!r} (float() argument must be a "
                            f"string or a real number, not 'list')")
        else:
            self.scale_factor = float(scale_factor) if scale_factor else None
        self.mode = mode
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, x):
        return interpolate(x, self.size, self.scale_factor, self.mode, self.align_corners,
                           recompute_scale_factor=self.recompute_scale_factor)

    def extra_repr(self):
        if self.scale_factor is not None:
            return f"scale_factor={self.scale_factor!r}, mode={self.mode!r}"
        return f"size={self.size!r}, mode={self.mode!r}"


@register_module
class UpsamplingNearest2d(Upsample):
    """``Upsample(size, scale_factor, mode='nearest')`` for (N, C, H, W) images.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> nn.UpsamplingNearest2d(scale_factor=2)(tf.ones(1, 1, 2, 2)).shape
    tinyflow.Size([1, 1, 4, 4])
    """

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="nearest")


@register_module
class UpsamplingBilinear2d(Upsample):
    """``Upsample(size, scale_factor, mode='bilinear', align_corners=True)``.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> nn.UpsamplingBilinear2d(size=3)(tf.tensor([[[[0.0, 1.0]]]]))
    tensor([[[[0.0000, 0.5000, 1.0000],
              [0.0000, 0.5000, 1.0000],
              [0.0000, 0.5000, 1.0000]]]])
    """

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)
