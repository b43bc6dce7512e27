"""``Embedding``: a lookup table of learned vectors, one row per integer id.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> nn.Embedding(10, 3)(tf.tensor([[1, 2], [3, 4]])).shape
tinyflow.Size([2, 2, 3])
"""
import numpy as np

from . import checks, functional as F, init
from .module import Module
from .parameter import Parameter
from ..io.registry import register_module
from ..eager.grad_mode import no_grad
from ..eager.tensor import Tensor


@register_module
class Embedding(Module):
    """Rows drawn from N(0, 1), as in PyTorch; the ``padding_idx`` row is zero
    and gets no gradient (a negative ``padding_idx`` counts from the end).

    ``sparse=True`` is accepted (the gradient is still a dense array); ``max_norm``
    and ``scale_grad_by_freq`` are not supported. ``_weight`` / ``_freeze`` are
    PyTorch's hooks for ``from_pretrained``.
    """

    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, max_norm=None,
                 norm_type=2.0, scale_grad_by_freq=False, sparse=False, _weight=None,
                 _freeze=False):
        super().__init__()
        self.num_embeddings = checks.size("Embedding", "num_embeddings", num_embeddings)
        self.embedding_dim = checks.size("Embedding", "embedding_dim", embedding_dim)
        n = self.num_embeddings
        if padding_idx is not None:
            if not -n <= padding_idx < n:
                raise AssertionError(f"Embedding: padding_idx must be within num_embeddings "
                                     f"(-{n} .. {n - 1}), got {padding_idx}")
            padding_idx = int(padding_idx) % n
        if max_norm is not None or scale_grad_by_freq:
            raise NotImplementedError(f"Embedding: max_norm={max_norm!r} and scale_grad_by_freq="
                                      f"{scale_grad_by_freq!r} are not supported")
        self.padding_idx = padding_idx
        self.max_norm = max_norm
        self.norm_type = norm_type
        self.scale_grad_by_freq = scale_grad_by_freq
        self.sparse = sparse
        if _weight is None:
            self.weight = Parameter(np.empty((n, self.embedding_dim), np.float32))
            self.reset_parameters()
        else:
            if tuple(_weight.shape) != (n, self.embedding_dim):
                raise AssertionError(f"Embedding: shape of weight {tuple(_weight.shape)} does not "
                                     f"match num_embeddings and embedding_dim "
                                     f"({n}, {self.embedding_dim})")
            self.weight = Parameter(_weight, requires_grad=not _freeze)

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, padding_idx=None, max_norm=None,
                        norm_type=2.0, scale_grad_by_freq=False, sparse=False):
        """An Embedding holding the rows of ``embeddings`` (2-D; shared, not copied,
        when it is a Tensor). ``freeze``: the weight does not require grad. The
        ``padding_idx`` row keeps its values but gets no gradient.

        >>> import tinyflow as tf, tinyflow.nn as nn
        >>> emb = nn.Embedding.from_pretrained(tf.tensor([[1.0, 2.0], [3.0, 4.0]]))
        >>> emb(tf.tensor([1])), emb.weight.requires_grad
        (tensor([[3., 4.]]), False)
        """
        if not isinstance(embeddings, Tensor):
            embeddings = Tensor(np.asarray(embeddings))
        if embeddings.ndim != 2:
            raise AssertionError(f"Embedding.from_pretrained: embeddings parameter is expected "
                                 f"to be 2-dimensional, got shape {tuple(embeddings.shape)}")
        rows, cols = embeddings.shape
        return cls(rows, cols, padding_idx=padding_idx, max_norm=max_norm, norm_type=norm_type,
                   scale_grad_by_freq=scale_grad_by_freq, sparse=sparse, _weight=embeddings,
                   _freeze=freeze)

    def reset_parameters(self):
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with no_grad():
                self.weight[self.padding_idx] = 0.0

    def forward(self, indices):
        return F.embedding(indices, self.weight, self.padding_idx)

    def _config(self):
        """The constructor call without the pretrained rows (the state dict has them)."""
        args, kwargs = self._init_args
        return args, {k: v for k, v in kwargs.items() if k != "_weight"}

    def extra_repr(self):
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        if self.sparse:
            s += ", sparse=True"
        return s
