"""``MultiheadAttention``: PyTorch's attention layer, with its parameters (a packed
``in_proj_weight`` (3E, E) and ``in_proj_bias``, or ``q/k/v_proj_weight`` when
``kdim`` / ``vdim`` differ from ``embed_dim``; ``out_proj``), its initialization
and its (sequence-first unless ``batch_first=True``) layout.

>>> import tinyflow as tf, tinyflow.nn as nn
>>> mha = nn.MultiheadAttention(8, 2, batch_first=True)
>>> x = tf.randn(3, 5, 8)                      # (batch, sequence, features)
>>> out, weights = mha(x, x, x)
>>> out.shape, weights.shape
(tinyflow.Size([3, 5, 8]), tinyflow.Size([3, 5, 5]))
>>> [name for name, _ in mha.named_parameters()]
['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias']
"""
import numbers

import numpy as np

from . import checks, init
from .attention_functions import canonical_mask
from .multihead_functions import multi_head_attention_forward
from .linear import Linear
from .module import Module
from .parameter import Parameter
from ..io.registry import register_module
from ..ops import transpose


@register_module
class NonDynamicallyQuantizableLinear(Linear):
    """A ``Linear`` under the name PyTorch gives ``MultiheadAttention.out_proj`` (its
    quantization tools treat it apart; here it is just a Linear).

    >>> import tinyflow.nn as nn
    >>> nn.MultiheadAttention(4, 2).out_proj
    NonDynamicallyQuantizableLinear(in_features=4, out_features=4, bias=True)
    """


def _dim(name, value):
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(f"MultiheadAttention: {name} must be an int, got "
                        f"{type(value).__name__} {value!r}")
    return int(value)


def _empty(*shape):
    return Parameter(np.zeros(shape, np.float32))


@register_module
class MultiheadAttention(Module):
    """Attention with ``num_heads`` heads of ``embed_dim // num_heads`` features each:
    project query, key and value, attend in each head, concatenate, project out.

    ``forward(query, key, value, key_padding_mask=None, need_weights=True,
    attn_mask=None, average_attn_weights=True, is_causal=False)`` returns
    ``(output, weights)``: weights averaged over heads (N, L, S), per head
    (N, H, L, S) with ``average_attn_weights=False``, None with
    ``need_weights=False``. Boolean masks are True where attention is blocked;
    float masks are added to the scores. ``dropout`` drops attention weights
    in training only.

    >>> import tinyflow as tf, tinyflow.nn as nn
    >>> mha = nn.MultiheadAttention(4, 2, kdim=3, vdim=5)
    >>> [tuple(p.shape) for p in mha.parameters()]
    [(4, 4), (4, 3), (4, 5), (12,), (4, 4), (4,)]
    """

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False,
                 add_zero_attn=False, kdim=None, vdim=None, batch_first=False, device=None,
                 dtype=None):
        super().__init__()
        embed_dim, num_heads = _dim("embed_dim", embed_dim), _dim("num_heads", num_heads)
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(f"MultiheadAttention: embed_dim and num_heads must be greater than "
                             f"0, got embed_dim={embed_dim} and num_heads={num_heads} instead")
        self.embed_dim = embed_dim
        self.kdim = embed_dim if kdim is None else _dim("kdim", kdim)
        self.vdim = embed_dim if vdim is None else _dim("vdim", vdim)
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.batch_first = batch_first
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != embed_dim:
            raise AssertionError(f"MultiheadAttention: embed_dim must be divisible by num_heads "
                                 f"(got embed_dim={embed_dim}, num_heads={num_heads})")
        if self._qkv_same_embed_dim:
            self.in_proj_weight = _empty(3 * embed_dim, embed_dim)
            for name in ("q_proj_weight", "k_proj_weight", "v_proj_weight"):
                self.register_parameter(name, None)
        else:
            self.q_proj_weight = _empty(embed_dim, embed_dim)
            self.k_proj_weight = _empty(embed_dim, self.kdim)
            self.v_proj_weight = _empty(embed_dim, self.vdim)
            self.register_parameter("in_proj_weight", None)
        if bias:
            self.in_proj_bias = _empty(3 * embed_dim)
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias)
        if add_bias_kv:
            self.bias_k = _empty(1, 1, embed_dim)
            self.bias_v = _empty(1, 1, embed_dim)
        else:
            self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn
        self._reset_parameters()
        self.to(device=device, dtype=dtype)

    def _reset_parameters(self):
        """PyTorch's: xavier_uniform_ for the input projections, zeros for the biases
        (``out_proj.weight`` keeps Linear's default), xavier_normal_ for bias_k/v."""
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            for w in (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight):
                init.xavier_uniform_(w)
        if self.in_proj_bias is not None:
            init.zeros_(self.in_proj_bias)
            init.zeros_(self.out_proj.bias)
        if self.bias_k is not None:
            init.xavier_normal_(self.bias_k)
            init.xavier_normal_(self.bias_v)

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True,
                attn_mask=None, average_attn_weights=True, is_causal=False):
        query, key, value = (checks.tensor("MultiheadAttention", n, t) for n, t in
                             (("query", query), ("key", key), ("value", value)))
        dtype = query.dtype
        key_padding_mask = canonical_mask(key_padding_mask, "key_padding_mask", attn_mask,
                                          "attn_mask", dtype)
        attn_mask = canonical_mask(attn_mask, "attn_mask", None, "", dtype, check_other=False)
        batched = query.ndim == 3
        if self.batch_first and batched:
            query, key, value = (transpose(t, (1, 0, 2)) for t in (query, key, value))
        out, weights = multi_head_attention_forward(
            query, key, value, self.embed_dim, self.num_heads, self.in_proj_weight,
            self.in_proj_bias, self.bias_k, self.bias_v, self.add_zero_attn, self.dropout,
            self.out_proj.weight, self.out_proj.bias, training=self.training,
            key_padding_mask=key_padding_mask, need_weights=need_weights, attn_mask=attn_mask,
            use_separate_proj_weight=not self._qkv_same_embed_dim,
            q_proj_weight=self.q_proj_weight, k_proj_weight=self.k_proj_weight,
            v_proj_weight=self.v_proj_weight, average_attn_weights=average_attn_weights,
            is_causal=is_causal)
        if self.batch_first and batched:
            out = transpose(out, (1, 0, 2))
        return out, weights
