"""``Embedding``: a lookup table of learned vectors, one row per integer id.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> nn.Embedding(10, 3)(tf.tensor([[1, 2], [3, 4]])).shape
tinyflow.Size([2, 2, 3])
"""
import numpy as np

from . import functional as F, init
from .module import Module
from .parameter import Parameter
from ..io.registry import register_module
from ..eager.grad_mode import no_grad


@register_module
class Embedding(Module):
    """Rows drawn from N(0, 1), as in PyTorch; the ``padding_idx`` row is zero
    and gets no gradient."""

    def __init__(self, num_embeddings, embedding_dim, padding_idx=None):
        super().__init__()
        self.num_embeddings = int(num_embeddings)
        self.embedding_dim = int(embedding_dim)
        n = self.num_embeddings
        if padding_idx is not None and not -n <= padding_idx < n:
            raise ValueError(f"padding_idx {padding_idx} must be within num_embeddings "
                             f"({self.num_embeddings})")
        self.padding_idx = padding_idx
        self.weight = Parameter(np.empty((self.num_embeddings, self.embedding_dim), np.float32))
        self.reset_parameters()

    def reset_parameters(self):
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with no_grad():
                self.weight[self.padding_idx] = 0.0

    def forward(self, indices):
        return F.embedding(indices, self.weight, self.padding_idx)

    def extra_repr(self):
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        return s if self.padding_idx is None else s + f", padding_idx={self.padding_idx}"
