"""Activation layers: ``ReLU``, ``Tanh``, ``Sigmoid``, ``Softmax``, ``LogSoftmax``.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> nn.Softmax(dim=-1)(tf.zeros(1, 4))
tensor([[0.25, 0.25, 0.25, 0.25]])
"""
from . import functional as F
from .module import Module
from ..io.registry import register_module


@register_module
class ReLU(Module):
    """max(x, 0)"""

    def forward(self, x):
        return F.relu(x)


@register_module
class Tanh(Module):
    def forward(self, x):
        return F.tanh(x)


@register_module
class Sigmoid(Module):
    def forward(self, x):
        return F.sigmoid(x)


@register_module
class Softmax(Module):
    """exp(x) / sum(exp(x)) along ``dim`` (the last one by default)."""

    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        return F.softmax(x, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


@register_module
class LogSoftmax(Module):
    """log(softmax(x)) along ``dim``; pair it with NLLLoss."""

    def __init__(self, dim=-1):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        return F.log_softmax(x, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"
