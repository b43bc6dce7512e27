"""``BatchNorm1d`` and ``BatchNorm2d``: normalize each channel over the batch
(and, for images, over height and width), then scale and shift.

In training it uses the batch's statistics and keeps running averages in
buffers; in evaluation it uses those running averages.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> bn = nn.BatchNorm1d(2)
>>> y = bn(tf.tensor([[1.0, 10.0], [3.0, 30.0]]))
>>> y.detach().numpy().round(3)
array([[-1., -1.],
       [ 1.,  1.]], dtype=float32)
>>> bn.running_mean
tensor([0.2000, 2.0000])
>>> bn
BatchNorm1d(2, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)
"""
import numpy as np

from . import checks, functional as F, init
from .module import Module
from .parameter import Parameter
from ..io.registry import register_module
from ..base.errors import ShapeError
from ..eager.tensor import Tensor


class _BatchNorm(Module):
    """What BatchNorm1d and BatchNorm2d share; ``momentum=None`` keeps a cumulative
    average; ``bias=False`` (keyword only, as in PyTorch) keeps the scale but no shift."""
    ranks = ()

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True,
                 track_running_stats=True, *, bias=True):
        super().__init__()
        name = type(self).__name__
        self.num_features = checks.size(name, "num_features", num_features)
        self.eps = checks.number(name, "eps", eps)
        self.momentum = momentum if momentum is None else checks.number(name, "momentum", momentum)
        self.affine = affine
        self.track_running_stats = track_running_stats
        n = self.num_features
        self.weight = Parameter(np.ones(n, np.float32)) if affine else None
        self.bias = Parameter(np.zeros(n, np.float32)) if affine and bias else None
        if track_running_stats:
            self.register_buffer("running_mean", Tensor(np.zeros(n, np.float32)))
            self.register_buffer("running_var", Tensor(np.ones(n, np.float32)))
            self.register_buffer("num_batches_tracked", Tensor(np.array(0, np.int64)))
        else:
            self.running_mean = self.running_var = self.num_batches_tracked = None

    def reset_running_stats(self):
        """Running mean 0, running variance 1, no batches tracked."""
        if self.track_running_stats:
            init.zeros_(self.running_mean)
            init.ones_(self.running_var)
            init.zeros_(self.num_batches_tracked)

    def reset_parameters(self):
        self.reset_running_stats()
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)

    def _check_input(self, x):
        name = type(self).__name__
        x = checks.tensor(name, "input", x)
        if x.ndim not in self.ranks:
            want = " or ".join(f"{r}D" for r in self.ranks)
            raise ValueError(f"{name}: expected {want} input (got {x.ndim}D input of shape "
                             f"{tuple(x.shape)})")
        if x.shape[1] != self.num_features:
            # PyTorch: a RuntimeError ("running_mean should contain 5 elements not 3")
            raise ShapeError(f"{name}({self.num_features}): input of shape {tuple(x.shape)} "
                             f"has {x.shape[1]} features in dimension 1, but the layer was made "
                             f"for num_features={self.num_features}")
        return checks.floating(name, "input", x, "batch_norm")

    def forward(self, x):
        x = self._check_input(x)
        # Batch statistics when training (or when no running ones are kept);
        # the running ones are updated only when training.
        track = self.training and self.track_running_stats
        batch_stats = self.training or not self.track_running_stats
        momentum = self.momentum
        if track:
            self.num_batches_tracked.add_(1)
            if momentum is None:
                momentum = 1.0 / int(self.num_batches_tracked.item())
        mean, var = (self.running_mean, self.running_var) if track or not batch_stats else (None, None)
        return F.batch_norm(x, mean, var, self.weight, self.bias, batch_stats, momentum, self.eps)

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, bias={self.bias is not None}, "
                f"track_running_stats={self.track_running_stats}")


@register_module
class BatchNorm1d(_BatchNorm):
    """Input (N, C) or (N, C, L): statistics per feature C."""
    ranks = (2, 3)


@register_module
class BatchNorm2d(_BatchNorm):
    """Input (N, C, H, W): statistics per channel C, over the batch, height and width.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> bn = nn.BatchNorm2d(3)
    >>> bn(tf.randn(4, 3, 5, 5)).shape
    tinyflow.Size([4, 3, 5, 5])
    >>> bn.num_batches_tracked.item()
    1
    """
    ranks = (4,)
