"""``Linear`` (a dense layer), ``Identity``, ``Flatten`` and ``Unflatten``.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> nn.Linear(64, 10)(tf.zeros(5, 64)).shape
tinyflow.Size([5, 10])
"""
import math

import numpy as np

from . import checks, functional as F, init
from .. import ops
from .module import Module
from .parameter import Parameter
from ..base.args import dim_arg
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


@register_module
class Unflatten(Module):
    """Flatten's inverse: dimension ``dim`` split into ``unflattened_size`` (a tuple
    or list of ints; one may be -1, inferred), e.g. (N, 16*5*5) -> (N, 16, 5, 5) in
    a decoder. (Named dimensions -- a string ``dim`` -- are not supported: TypeError.)

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> nn.Unflatten(1, (2, -1))(tf.zeros(3, 10)).shape
    tinyflow.Size([3, 2, 5])
    """

    def __init__(self, dim, unflattened_size):
        super().__init__()
        self.dim = dim                          # checked when called, as in PyTorch
        self.unflattened_size = unflattened_size
        if not isinstance(unflattened_size, (tuple, list)):
            raise TypeError(f"Unflatten: unflattened_size must be a tuple of ints, but found "
                            f"type {type(unflattened_size).__name__}")
        for i, v in enumerate(unflattened_size):
            if not isinstance(v, int):
                raise TypeError(f"Unflatten: unflattened_size must be tuple of ints, but found "
                                f"element of type {type(v).__name__} at pos {i}")

    def forward(self, x):
        x = checks.tensor("unflatten", "input", x)
        shape = tuple(x.shape)
        dim = dim_arg("unflatten", "dim", self.dim, len(shape))
        sizes = [int(v) for v in self.unflattened_size]
        if sizes.count(-1) > 1:
            raise RuntimeError(f"unflatten: only one dimension can be inferred, got "
                               f"unflattened_size={self.unflattened_size}")
        known = math.prod(v for v in sizes if v != -1)
        n = shape[dim]
        if -1 in sizes and known and n is not None and n % known == 0:
            sizes[sizes.index(-1)] = n // known
        if n is not None and (-1 in sizes or math.prod(sizes) != n):
            raise RuntimeError(f"unflatten: Provided sizes {list(self.unflattened_size)} don't "
                               f"multiply up to the size of dim {self.dim} ({n}) in the input "
                               f"tensor")
        new = shape[:dim] + tuple(sizes) + shape[dim + 1:]
        return ops.reshape(x, tuple(-1 if v is None else v for v in new))   # None: the batch

    def extra_repr(self):
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
