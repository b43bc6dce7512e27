"""Activation layers: ``ReLU``, ``LeakyReLU``, ``ELU``, ``GELU``, ``Tanh``,
``Sigmoid``, ``Softmax``, ``LogSoftmax``, ``SiLU``, ``Mish``, ``Hardtanh``,
``ReLU6``, ``Softplus``, ``Softmax2d``.

``inplace=True`` is accepted where PyTorch accepts it (ReLU, LeakyReLU, ELU) and
shows in the repr as in PyTorch; tinyflow computes the result out of place.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> nn.Softmax(dim=-1)(tf.zeros(1, 4))
tensor([[0.2500, 0.2500, 0.2500, 0.2500]])
>>> nn.LeakyReLU(0.2, inplace=True)
LeakyReLU(negative_slope=0.2, inplace=True)
"""
import warnings

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


@register_module
class SiLU(Module):
    """x * sigmoid(x), the "swish" (``inplace``: computed out of place).

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> nn.SiLU()(tf.tensor([0.0, 2.0]))
    tensor([0.0000, 1.7616])
    """

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, x):
        return F.silu(x)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


@register_module
class Mish(Module):
    """x * tanh(softplus(x)) (``inplace``: computed out of place).

    >>> import tinyflow.nn as nn
    >>> nn.Mish()
    Mish()
    """

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, x):
        return F.mish(x)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


@register_module
class Hardtanh(Module):
    """x limited to [min_val, max_val] (gradient 1 strictly inside, 0 elsewhere).
    ``min_value`` / ``max_value`` are PyTorch's deprecated spellings (FutureWarning).

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> nn.Hardtanh(-2, 2)(tf.tensor([-3.0, 1.0, 3.0]))
    tensor([-2.,  1.,  2.])
    """

    def __init__(self, min_val=-1.0, max_val=1.0, inplace=False, min_value=None,
                 max_value=None):
        super().__init__()
        for old, new, value in (("min_value", "min_val", min_value),
                                ("max_value", "max_val", max_value)):
            if value is not None:
                warnings.warn(f"keyword argument `{old}` is deprecated and rename to `{new}`",
                              FutureWarning, stacklevel=2)
        min_val = min_val if min_value is None else min_value
        max_val = max_val if max_value is None else max_value
        self.min_val = min_val
        self.max_val = max_val
        self.inplace = inplace
        if not max_val > min_val:
            raise AssertionError(f"{type(self).__name__}: max_val ({max_val}) must be greater "
                                 f"than min_val ({min_val})")

    def forward(self, x):
        return F.hardtanh(x, self.min_val, self.max_val)

    def extra_repr(self):
        return f"min_val={self.min_val}, max_val={self.max_val}" + (
            ", inplace=True" if self.inplace else "")


@register_module
class ReLU6(Hardtanh):
    """min(max(x, 0), 6): ``Hardtanh(0.0, 6.0)``.

    >>> import tinyflow.nn as nn
    >>> nn.ReLU6(inplace=True)
    ReLU6(inplace=True)
    """

    def __init__(self, inplace=False):
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


@register_module
class Softplus(Module):
    """log(1 + exp(beta * x)) / beta, and x where beta * x > threshold.

    >>> import tinyflow.nn as nn
    >>> nn.Softplus(beta=2)
    Softplus(beta=2, threshold=20.0)
    """

    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        self.beta = beta
        self.threshold = threshold

    def forward(self, x):
        return F.softplus(x, self.beta, self.threshold)

    def extra_repr(self):
        return f"beta={self.beta}, threshold={self.threshold}"


@register_module
class Softmax2d(Module):
    """Softmax over the channels of every pixel of (N, C, H, W) or (C, H, W) images.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> nn.Softmax2d()(tf.zeros(1, 2, 1, 1)).flatten()
    tensor([0.5000, 0.5000])
    """

    def forward(self, x):
        x = checks.tensor("Softmax2d", "input", x)
        if x.ndim not in (3, 4):
            raise ValueError(f"Softmax2d: expected input to be 3D or 4D, got {x.ndim}D instead")
        return F.softmax(x, -3)
