"""``Linear`` (a dense layer), ``Identity`` and ``Flatten``.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> nn.Linear(64, 10)(tf.zeros(5, 64)).shape
tinyflow.Size([5, 10])
"""
import math

import numpy as np

from . import checks, functional as F, init
from .module import Module
from .parameter import Parameter
from ..io.registry import register_module


@register_module
class Identity(Module):
    """Returns its input unchanged (a placeholder layer)."""

    def forward(self, x):
        return x


@register_module
class Linear(Module):
    """y = x @ weight.T + bias, with weight shaped (out_features, in_features) as in PyTorch.

    Both are drawn from U(-1/sqrt(in_features), 1/sqrt(in_features)), PyTorch's
    default (``kaiming_uniform_`` with a = sqrt(5)).
    """

    def __init__(self, in_features, out_features, bias=True):
        super().__init__()
        self.in_features = checks.size("Linear", "in_features", in_features)
        self.out_features = checks.size("Linear", "out_features", out_features)
        self.weight = Parameter(np.empty((self.out_features, self.in_features), np.float32))
        self.bias = Parameter(np.empty(self.out_features, np.float32)) if bias else None
        self.reset_parameters()

    def reset_parameters(self):
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features) if self.in_features > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


@register_module
class Flatten(Module):
    """Flattens dimensions start_dim..end_dim into one: (N, C, H, W) -> (N, C*H*W)."""

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, x):
        return F.flatten(x, self.start_dim, self.end_dim)

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"
