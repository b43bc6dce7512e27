"""``Dropout``: in training, zero each element with probability p and scale the
rest by 1 / (1 - p), so evaluation (which does nothing) sees the same mean.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> drop = nn.Dropout(0.5).eval()
>>> drop(tf.ones(3))
tensor([1., 1., 1.])
"""
from . import functional as F
from .module import Module
from ..io.registry import register_module


@register_module
class Dropout(Module):
    def __init__(self, p=0.5):
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p

    def forward(self, x):
        return F.dropout(x, self.p, self.training)

    def extra_repr(self):
        return f"p={self.p}"
