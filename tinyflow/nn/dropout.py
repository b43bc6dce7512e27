"""``Dropout`` and ``Dropout2d``: in training, zero each element (Dropout2d: each
whole channel) with probability p and scale the rest by 1 / (1 - p), so evaluation
(which does nothing) sees the same mean. ``inplace=True`` is accepted as in
PyTorch; tinyflow computes the result out of place.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> drop = nn.Dropout(0.5).eval()
>>> drop(tf.ones(3))
tensor([1., 1., 1.])
>>> drop
Dropout(p=0.5, inplace=False)
"""
from . import checks, functional as F
from .module import Module
from ..io.registry import register_module


class _DropoutNd(Module):
    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        self.p = checks.probability(type(self).__name__, p)
        self.inplace = inplace

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


@register_module
class Dropout(_DropoutNd):
    """Zero each element with probability p (training only)."""

    def forward(self, x):
        return F.dropout(x, self.p, self.training)


@register_module
class Dropout2d(_DropoutNd):
    """Zero whole channels of (N, C, H, W) inputs with probability p (training only).

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> nn.Dropout2d(0.25)
    Dropout2d(p=0.25, inplace=False)
    """

    def forward(self, x):
        return F.dropout2d(x, self.p, self.training)
