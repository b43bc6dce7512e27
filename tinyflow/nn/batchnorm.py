"""``BatchNorm1d``: normalize each feature over the batch, then scale and shift.

In training it uses the batch's statistics and keeps running averages in
buffers; in evaluation it uses those running averages.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> bn = nn.BatchNorm1d(2)
>>> y = bn(tf.tensor([[1.0, 10.0], [3.0, 30.0]]))
>>> y.detach().numpy().round(3)
array([[-1., -1.],
       [ 1.,  1.]], dtype=float32)
>>> bn.running_mean
tensor([0.2, 2. ])
"""
import numpy as np

from . import functional as F, init
from .module import Module
from .parameter import Parameter
from ..io.registry import register_module
from ..eager.tensor import Tensor


@register_module
class BatchNorm1d(Module):
    """Input (N, C) or (N, C, L); ``momentum=None`` keeps a cumulative average."""

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True,
                 track_running_stats=True):
        super().__init__()
        self.num_features = int(num_features)
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        if affine:
            self.weight = Parameter(np.ones(self.num_features, np.float32))
            self.bias = Parameter(np.zeros(self.num_features, np.float32))
        else:
            self.weight = self.bias = None
        if track_running_stats:
            self.register_buffer("running_mean", Tensor(np.zeros(self.num_features, np.float32)))
            self.register_buffer("running_var", Tensor(np.ones(self.num_features, np.float32)))
            self.register_buffer("num_batches_tracked", Tensor(np.array(0, np.int64)))
        else:
            self.running_mean = self.running_var = self.num_batches_tracked = None

    def reset_parameters(self):
        if self.track_running_stats:
            init.zeros_(self.running_mean)
            init.ones_(self.running_var)
            init.zeros_(self.num_batches_tracked)
        if self.affine:
            init.ones_(self.weight)
            init.zeros_(self.bias)

    def forward(self, x):
        if x.ndim not in (2, 3):
            raise ValueError(f"BatchNorm1d: expected 2D or 3D input (got {x.ndim}D input of "
                             f"shape {tuple(x.shape)})")
        if x.shape[1] != self.num_features:
            raise ValueError(f"BatchNorm1d({self.num_features}): input of shape {tuple(x.shape)} "
                             f"has {x.shape[1]} features in dimension 1")
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
                f"affine={self.affine}, track_running_stats={self.track_running_stats}")
