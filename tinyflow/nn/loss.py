"""Loss modules: ``MSELoss``, ``L1Loss``, ``SmoothL1Loss``, ``HuberLoss``,
``CrossEntropyLoss``, ``NLLLoss``, ``KLDivLoss``, ``BCELoss``, ``BCEWithLogitsLoss``.
Each calls ``loss(input, target)``; ``reduction`` is 'mean' (default), 'sum' or
'none'. A class ``weight`` (and BCEWithLogitsLoss's ``pos_weight``) is kept as a
buffer, so it is in ``state_dict`` as in PyTorch. Like PyTorch's, the reprs show
no arguments: ``MSELoss()``.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> nn.CrossEntropyLoss()(tf.tensor([[0.0, 0.0]]), tf.tensor([0]))
tensor(0.6931)
"""
import warnings

from . import class_losses as C, loss_functions as L
from .module import Module
from ..io.registry import register_module


def _legacy_reduction(size_average, reduce, reduction):
    """PyTorch's deprecated size_average / reduce flags, turned into a reduction."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    reduction = "mean" if size_average and reduce else "sum" if reduce else "none"
    warnings.warn(f"size_average and reduce args will be deprecated, please use "
                  f"reduction='{reduction}' instead.", UserWarning, stacklevel=4)
    return reduction


class _Loss(Module):
    allowed = L.REDUCTIONS

    def __init__(self, size_average=None, reduce=None, reduction="mean"):
        super().__init__()
        reduction = _legacy_reduction(size_average, reduce, reduction)
        self.reduction = L.check_reduction(reduction, self.allowed, type(self).__name__)


class _WeightedLoss(_Loss):
    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


@register_module
class MSELoss(_Loss):
    """mean((input - target) ** 2); a target of another (broadcastable) shape warns."""

    def forward(self, input, target):
        return L.mse_loss(input, target, self.reduction)


@register_module
class L1Loss(_Loss):
    """mean(|input - target|)"""

    def forward(self, input, target):
        return L.l1_loss(input, target, self.reduction)


@register_module
class SmoothL1Loss(_Loss):
    """Quadratic below ``beta``, linear above: see ``F.smooth_l1_loss``.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> nn.SmoothL1Loss(beta=0.5)(tf.tensor([2.0]), tf.tensor([0.0]))
    tensor(1.7500)
    """

    def __init__(self, size_average=None, reduce=None, reduction="mean", beta=1.0):
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input, target):
        return L.smooth_l1_loss(input, target, self.reduction, self.beta)


@register_module
class HuberLoss(_Loss):
    """Quadratic below ``delta``, linear (slope delta) above: see ``F.huber_loss``.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> nn.HuberLoss(delta=0.5)(tf.tensor([2.0]), tf.tensor([0.0]))
    tensor(0.8750)
    """

    def __init__(self, reduction="mean", delta=1.0):
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input, target):
        return L.huber_loss(input, target, self.reduction, self.delta)


@register_module
class CrossEntropyLoss(_WeightedLoss):
    """Logits (N, C) and integer class labels (N,) -- or class probabilities of the
    logits' shape: log_softmax then NLLLoss, stably. ``weight``, ``ignore_index``,
    ``label_smoothing`` as in ``F.cross_entropy``."""

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None,
                 reduction="mean", label_smoothing=0.0):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        return C.cross_entropy(input, target, self.weight, self.ignore_index, self.reduction,
                               self.label_smoothing)


@register_module
class NLLLoss(_WeightedLoss):
    """Log-probabilities (N, C) (from LogSoftmax) and integer class labels (N,)."""

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None,
                 reduction="mean"):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return C.nll_loss(input, target, self.weight, self.ignore_index, self.reduction)


@register_module
class KLDivLoss(_Loss):
    """KL divergence of log-probability inputs from the target distribution;
    ``reduction='batchmean'`` gives the true KL divergence per sample.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> nn.KLDivLoss(reduction="batchmean")(tf.tensor([[0.5, 0.5]]).log(), tf.tensor([[0.5, 0.5]]))
    tensor(0.)
    """
    allowed = L.KL_REDUCTIONS

    def __init__(self, size_average=None, reduce=None, reduction="mean", log_target=False):
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input, target):
        return L.kl_div(input, target, self.reduction, self.log_target)


@register_module
class BCELoss(_WeightedLoss):
    """Binary cross-entropy of probabilities (after a Sigmoid) and 0/1 targets of
    the same shape; ``weight`` rescales each element.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> nn.BCELoss()(tf.tensor([0.5]), tf.tensor([1.0]))
    tensor(0.6931)
    """

    def forward(self, input, target):
        return L.binary_cross_entropy(input, target, self.weight, self.reduction)


@register_module
class BCEWithLogitsLoss(_WeightedLoss):
    """Sigmoid and binary cross-entropy in one stable step; targets are 0/1 floats
    of the input's shape. ``pos_weight`` weighs the positive examples of each class."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean",
                 pos_weight=None):
        super().__init__(weight, size_average, reduce, reduction)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input, target):
        return L.binary_cross_entropy_with_logits(input, target, self.weight, self.reduction,
                                                  self.pos_weight)
