"""Activation layers: ``ReLU``, ``LeakyReLU``, ``ELU``, ``GELU``, ``Tanh``,
``Sigmoid``, ``Softmax``, ``LogSoftmax``.

``inplace=True`` is accepted where PyTorch accepts it (ReLU, LeakyReLU, ELU) and
shows in the repr as in PyTorch; tinyflow computes the result out of place.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> nn.Softmax(dim=-1)(tf.zeros(1, 4))
tensor([[0.2500, 0.2500, 0.2500, 0.2500]])
>>> nn.LeakyReLU(0.2, inplace=True)
LeakyReLU(negative_slope=0.2, inplace=True)
"""
from . import checks, functional as F
from .module import Module
from ..io.registry import register_module


@register_module
class ReLU(Module):
    """max(x, 0). ``inplace`` is accepted; the result is computed out of place.

    >>> import tinyflow.nn as nn
    >>> nn.ReLU(inplace=True)
    ReLU(inplace=True)
    """

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, x):
        return F.relu(x)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


@register_module
class LeakyReLU(Module):
    """x where x > 0, negative_slope * x elsewhere (``inplace``: computed out of place).

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> nn.LeakyReLU(0.1)(tf.tensor([-1.0, 1.0]))
    tensor([-0.1000,  1.0000])
    """

    def __init__(self, negative_slope=0.01, inplace=False):
        super().__init__()
        self.negative_slope = checks.number("LeakyReLU", "negative_slope", negative_slope)
        self.inplace = inplace

    def forward(self, x):
        return F.leaky_relu(x, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


@register_module
class ELU(Module):
    """x where x > 0, alpha * (exp(x) - 1) elsewhere (``inplace``: computed out of place).

    >>> import tinyflow.nn as nn
    >>> nn.ELU()
    ELU(alpha=1.0)
    """

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__()
        self.alpha = checks.number("ELU", "alpha", alpha)
        self.inplace = inplace

    def forward(self, x):
        return F.elu(x, self.alpha)

    def extra_repr(self):
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


@register_module
class GELU(Module):
    """x * Phi(x) (Phi: the standard normal CDF, through erf), or its tanh
    approximation with ``approximate='tanh'``.

    >>> import tinyflow.nn as nn
    >>> nn.GELU(approximate="tanh")
    GELU(approximate='tanh')
    """

    def __init__(self, approximate="none"):
        super().__init__()
        self.approximate = approximate

    def forward(self, x):
        return F.gelu(x, approximate=self.approximate)

    def extra_repr(self):
        return f"approximate={self.approximate!r}"


@register_module
class Tanh(Module):
    """The hyperbolic tangent."""

    def forward(self, x):
        return F.tanh(x)


@register_module
class Sigmoid(Module):
    """1 / (1 + exp(-x))"""

    def forward(self, x):
        return F.sigmoid(x)


@register_module
class Softmax(Module):
    """exp(x) / sum(exp(x)) along ``dim``. Without ``dim``: PyTorch's deprecated
    implicit choice, with its warning (give ``dim``)."""

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        return F.softmax(x, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


@register_module
class LogSoftmax(Module):
    """log(softmax(x)) along ``dim``; pair it with NLLLoss."""

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        return F.log_softmax(x, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"
