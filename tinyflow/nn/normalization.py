"""``LayerNorm``, ``GroupNorm`` and ``RMSNorm``: normalize each sample over its own
features (no batch statistics, no running averages, the same in train and eval).

>>> import tinyflow as tf, tinyflow.nn as nn
>>> ln = nn.LayerNorm(3)
>>> ln(tf.tensor([[1.0, 2.0, 3.0]])).detach().numpy().round(4)
array([[-1.2247,  0.    ,  1.2247]], dtype=float32)
>>> ln
LayerNorm((3,), eps=1e-05, elementwise_affine=True, bias=True)
>>> [name for name, _ in ln.named_parameters()]
['weight', 'bias']
"""
import numpy as np

from . import checks, init
from .module import Module
from .norm_functions import layer_norm, group_norm, rms_norm, normalized_shape_arg
from .parameter import Parameter
from ..io.registry import register_module


def _ones(shape):
    return Parameter(np.ones(shape, np.float32))


class _AffineNorm(Module):
    """A normalization with an optional per-element weight and bias."""

    def reset_parameters(self):
        """Weight ones, bias zeros."""
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)


@register_module
class LayerNorm(_AffineNorm):
    """Normalize over the last dimensions (``normalized_shape``: an int or a tuple),
    then a learned per-element ``weight`` (ones) and ``bias`` (zeros), as in PyTorch.
    ``elementwise_affine=False``: neither; ``bias=False``: the weight only.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> nn.LayerNorm([2, 3], bias=False)(tf.zeros(4, 2, 3)).shape
    tinyflow.Size([4, 2, 3])
    """

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True,
                 device=None, dtype=None):
        super().__init__()
        self.normalized_shape = normalized_shape_arg("LayerNorm", normalized_shape)
        self.eps = checks.number("LayerNorm", "eps", eps)
        self.elementwise_affine = elementwise_affine
        self.weight = _ones(self.normalized_shape) if elementwise_affine else None
        self.bias = Parameter(np.zeros(self.normalized_shape, np.float32)) \
            if elementwise_affine and bias else None
        self.to(device=device, dtype=dtype)

    def forward(self, input):
        return layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, elementwise_affine="
                f"{self.elementwise_affine}, bias={self.bias is not None}")


@register_module
class GroupNorm(_AffineNorm):
    """Split the ``num_channels`` channels into ``num_groups`` groups; normalize each
    group of each sample; then a weight (ones) and bias (zeros) per channel.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> nn.GroupNorm(2, 4)
    GroupNorm(2, 4, eps=1e-05, affine=True, bias=True)
    >>> nn.GroupNorm(2, 4)(tf.randn(3, 4, 5, 5)).shape
    tinyflow.Size([3, 4, 5, 5])
    """

    def __init__(self, num_groups, num_channels, eps=1e-5, affine=True, device=None, dtype=None,
                 *, bias=True):
        super().__init__()
        if num_groups == 0:
            raise ZeroDivisionError(f"GroupNorm: num_groups must not be 0 (num_channels "
                                    f"{num_channels} is split into num_groups groups)")
        if num_channels % num_groups != 0:
            raise ValueError(f"GroupNorm: num_channels ({num_channels}) must be divisible by "
                             f"num_groups ({num_groups})")
        self.num_groups = num_groups
        self.num_channels = checks.size("GroupNorm", "num_channels", num_channels)
        self.eps = checks.number("GroupNorm", "eps", eps)
        self.affine = affine
        self.weight = _ones(self.num_channels) if affine else None
        self.bias = Parameter(np.zeros(self.num_channels, np.float32)) if affine and bias \
            else None
        self.to(device=device, dtype=dtype)

    def forward(self, input):
        return group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
                f"bias={self.bias is not None}")


@register_module
class RMSNorm(Module):
    """Divide by the root mean square over the last dimensions, then a learned
    per-element ``weight`` (ones); ``eps=None``: the dtype's machine epsilon.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> nn.RMSNorm(2)(tf.tensor([[3.0, 4.0]]))
    tensor([[0.8485, 1.1314]], grad_fn=<MulBackward0>)
    >>> nn.RMSNorm([2, 3], eps=1e-3)
    RMSNorm((2, 3), eps=0.001, elementwise_affine=True)
    """

    def __init__(self, normalized_shape, eps=None, elementwise_affine=True, device=None,
                 dtype=None):
        super().__init__()
        self.normalized_shape = normalized_shape_arg("RMSNorm", normalized_shape)
        self.eps = eps if eps is None else checks.number("RMSNorm", "eps", eps)
        self.elementwise_affine = elementwise_affine
        self.weight = _ones(self.normalized_shape) if elementwise_affine else None
        self.to(device=device, dtype=dtype)

    def reset_parameters(self):
        """Weight ones."""
        if self.weight is not None:
            init.ones_(self.weight)

    def forward(self, x):
        return rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")
