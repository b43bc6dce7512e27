"""Loss modules: ``MSELoss``, ``L1Loss``, ``CrossEntropyLoss``, ``NLLLoss``,
``BCEWithLogitsLoss``. Each calls ``loss(input, target)``; ``reduction`` is
'mean' (default), 'sum' or 'none'.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> nn.CrossEntropyLoss()(tf.tensor([[0.0, 0.0]]), tf.tensor([0]))
tensor(0.6931472)
"""
from . import loss_functions as L
from .module import Module
from ..io.registry import register_module


class _Loss(Module):
    def __init__(self, reduction="mean"):
        super().__init__()
        self.reduction = L.check_reduction(reduction)

    def extra_repr(self):
        return "" if self.reduction == "mean" else f"reduction={self.reduction!r}"


@register_module
class MSELoss(_Loss):
    """mean((input - target) ** 2); input and target must have the same shape."""

    def forward(self, input, target):
        return L.mse_loss(input, target, self.reduction)


@register_module
class L1Loss(_Loss):
    """mean(|input - target|)"""

    def forward(self, input, target):
        return L.l1_loss(input, target, self.reduction)


@register_module
class CrossEntropyLoss(_Loss):
    """Logits (N, C) and integer class labels (N,): log_softmax then NLLLoss, stably."""

    def forward(self, input, target):
        return L.cross_entropy(input, target, self.reduction)


@register_module
class NLLLoss(_Loss):
    """Log-probabilities (N, C) (from LogSoftmax) and integer class labels (N,)."""

    def forward(self, input, target):
        return L.nll_loss(input, target, self.reduction)


@register_module
class BCEWithLogitsLoss(_Loss):
    """Sigmoid and binary cross-entropy in one stable step; targets are 0/1 floats
    of the input's shape."""

    def forward(self, input, target):
        return L.binary_cross_entropy_with_logits(input, target, self.reduction)
