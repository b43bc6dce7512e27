"""``F.multi_head_attention_forward``: what ``nn.MultiheadAttention`` runs, with
PyTorch's arguments, mask conventions (a boolean mask is True where attention is
blocked) and checks. Sequence-first: query (L, N, E), key and value (S, N, ...).

The heads become a batch axis -- (L, N, H * d) -> (N, H, L, d) -- and the
attention itself is ``attend`` from attention_functions.py.

>>> import tinyflow as tf
>>> x = tf.ones(3, 2, 4)
>>> out, weights = multi_head_attention_forward(x, x, x, 4, 2, tf.eye(4).repeat(3, 1),
...                                             None, None, None, False, 0.0, tf.eye(4), None)
>>> weights[0]
tensor([[0.3333, 0.3333, 0.3333],
        [0.3333, 0.3333, 0.3333],
        [0.3333, 0.3333, 0.3333]])
"""
import numpy as np

from .. import ops
from . import checks
from . import functional as F
from .attention_functions import attend, canonical_mask


def _mha_ranks(query, key, value, key_padding_mask, attn_mask, num_heads):
    """Is the input batched (3-D) or not (2-D)? AssertionErrors as PyTorch's."""
    if query.ndim not in (2, 3):
        raise AssertionError(f"multi_head_attention_forward: query should be unbatched 2D or "
                             f"batched 3D tensor but received {query.ndim}-D query tensor")
    batched = query.ndim == 3
    want = "batched (3-D)" if batched else "unbatched (2-D)"
    if key.ndim != query.ndim or value.ndim != query.ndim:
        raise AssertionError(f"multi_head_attention_forward: for {want} `query`, expected `key` "
                             f"and `value` to be {query.ndim}-D but found {key.ndim}-D and "
                             f"{value.ndim}-D tensors respectively")
    if key_padding_mask is not None and key_padding_mask.ndim != query.ndim - 1:
        raise AssertionError(f"multi_head_attention_forward: for {want} `query`, expected "
                             f"`key_padding_mask` to be `None` or {query.ndim - 1}-D but found "
                             f"{key_padding_mask.ndim}-D tensor instead")
    if attn_mask is not None and attn_mask.ndim not in (2, 3):
        raise AssertionError(f"multi_head_attention_forward: for {want} `query`, expected "
                             f"`attn_mask` to be `None`, 2-D or 3-D but found {attn_mask.ndim}-D "
                             f"tensor instead")
    if not batched and attn_mask is not None and attn_mask.ndim == 3:
        expected = (num_heads, query.shape[0], key.shape[0])
        if tuple(attn_mask.shape) != expected:
            raise AssertionError(f"multi_head_attention_forward: expected `attn_mask` shape to "
                                 f"be {expected} but got {tuple(attn_mask.shape)}")
    return batched


def _pad_column(mask):
    """One more key position, open (0.0), at the end of a float mask's last axis."""
    if mask is None:
        return None
    last = (slice(None),) * (mask.ndim - 1) + (slice(0, 1),)
    return ops.concat([mask, ops.zeros_like(mask[last])], -1)


def _heads(t, num_heads, head_dim):
    """(length, N, H * head_dim) -> (N, H, length, head_dim)."""
    return ops.transpose(ops.reshape(t, (t.shape[0], -1, num_heads, head_dim)), (1, 2, 0, 3))


def multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads,
                                 in_proj_weight, in_proj_bias, bias_k, bias_v, add_zero_attn,
                                 dropout_p, out_proj_weight, out_proj_bias, training=True,
                                 key_padding_mask=None, need_weights=True, attn_mask=None,
                                 use_separate_proj_weight=False, q_proj_weight=None,
                                 k_proj_weight=None, v_proj_weight=None, static_k=None,
                                 static_v=None, average_attn_weights=True, is_causal=False):
    """Multi-head attention on sequence-first inputs: query (L, N, E), key and value
    (S, N, kdim / vdim), or unbatched (L, E), (S, E). Returns (output (L, N, E),
    weights (N, L, S) averaged over heads, or (N, H, L, S); None when
    ``need_weights=False``). Boolean masks are True where attention is blocked.

    >>> import tinyflow as tf
    >>> x = tf.ones(3, 2, 4)
    >>> w, b = tf.eye(4).repeat(3, 1), tf.zeros(12)
    >>> out, weights = multi_head_attention_forward(x, x, x, 4, 2, w, b, None, None, False,
    ...                                             0.0, tf.eye(4), tf.zeros(4))
    >>> out.shape, weights.shape
    (tinyflow.Size([3, 2, 4]), tinyflow.Size([2, 3, 3]))
    """
    fn = "multi_head_attention_forward"
    query, key, value = (checks.tensor(fn, n, t) for n, t in (("query", query), ("key", key),
                                                              ("value", value)))
    masks = [None if m is None else checks.tensor(fn, n, m)
             for n, m in (("key_padding_mask", key_padding_mask), ("attn_mask", attn_mask))]
    key_padding_mask, attn_mask = masks
    batched = _mha_ranks(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not batched:
        query, key, value = (ops.expand_dims(t, 1) for t in (query, key, value))
        if key_padding_mask is not None:
            key_padding_mask = ops.expand_dims(key_padding_mask, 0)
    tgt_len, bsz, embed_dim = query.shape
    dtype = np.dtype(query.dtype)
    key_padding_mask = canonical_mask(key_padding_mask, "key_padding_mask", attn_mask,
                                      "attn_mask", dtype, owner=fn)
    if is_causal and attn_mask is None:
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the "
                           "Transformer module method `generate_square_subsequent_mask` to "
                           "create this mask.")
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None            # trust the hint: the causal mask, built below
    else:
        attn_mask = canonical_mask(attn_mask, "attn_mask", None, "", dtype, check_other=False,
                                   owner=fn)
        if key_padding_mask is not None:
            is_causal = False       # the merged mask is no longer the causal one
    if embed_dim != embed_dim_to_check:
        raise AssertionError(f"{fn}: was expecting embedding dimension of {embed_dim_to_check}, "
                             f"but got {embed_dim} (the last dimension of query "
                             f"{tuple(query.shape)})")
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(f"{fn}: embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    if use_separate_proj_weight:
        if tuple(key.shape[:2]) != tuple(value.shape[:2]):
            raise AssertionError(f"{fn}: key's sequence and batch dims {tuple(key.shape[:2])} do "
                                 f"not match value's {tuple(value.shape[:2])}")
        weights = (q_proj_weight, k_proj_weight, v_proj_weight)
    else:
        if tuple(key.shape) != tuple(value.shape):
            raise AssertionError(f"{fn}: key shape {tuple(key.shape)} does not match value "
                                 f"shape {tuple(value.shape)}")
        e = embed_dim
        weights = (in_proj_weight[:e], in_proj_weight[e:2 * e], in_proj_weight[2 * e:])
    e = embed_dim
    biases = (None,) * 3 if in_proj_bias is None else \
        (in_proj_bias[:e], in_proj_bias[e:2 * e], in_proj_bias[2 * e:])
    q, k, v = (F.linear(x, w, b) for x, w, b in zip((query, key, value), weights, biases))

    src_len = key.shape[0]
    if attn_mask is not None:
        want = (tgt_len, src_len) if attn_mask.ndim == 2 else \
            (None if bsz is None else bsz * num_heads, tgt_len, src_len)
        if not _fits(attn_mask.shape, want):
            raise RuntimeError(f"{fn}: The shape of the {attn_mask.ndim}D attn_mask is "
                               f"{tuple(attn_mask.shape)}, but should be {want}.")
        if attn_mask.ndim == 3:         # (N * H, L, S) -> (N, H, L, S); (L, S) broadcasts
            attn_mask = ops.reshape(attn_mask, (-1, num_heads, tgt_len, src_len))
    if (bias_k is None) != (bias_v is None):
        raise AssertionError(f"{fn}: bias_k and bias_v must be given together")
    if bias_k is not None:
        if static_k is not None or static_v is not None:
            raise AssertionError(f"{fn}: bias cannot be added to static key or value.")
        k = ops.concat([k, ops.zeros_like(k[:1]) + bias_k], 0)      # one more key per sample
        v = ops.concat([v, ops.zeros_like(v[:1]) + bias_v], 0)
        attn_mask, key_padding_mask = _pad_column(attn_mask), _pad_column(key_padding_mask)

    # (length, N, H * head_dim) -> (N, H, length, head_dim): the heads become a batch axis
    q = _heads(q, num_heads, head_dim)
    k = _heads(k, num_heads, head_dim) if static_k is None else \
        _static(fn, "static_k", static_k, bsz, num_heads, head_dim)
    v = _heads(v, num_heads, head_dim) if static_v is None else \
        _static(fn, "static_v", static_v, bsz, num_heads, head_dim)
    if add_zero_attn:
        k, v = (ops.concat([t, ops.zeros_like(t[:, :, :1])], 2) for t in (k, v))
        attn_mask, key_padding_mask = _pad_column(attn_mask), _pad_column(key_padding_mask)
    src_len = k.shape[2]
    if key_padding_mask is not None:
        if not _fits(key_padding_mask.shape, (bsz, src_len)):
            raise AssertionError(f"{fn}: expected key_padding_mask of shape {(bsz, src_len)} "
                                 f"(batch, source length), but got "
                                 f"{tuple(key_padding_mask.shape)}")
        per_sample = ops.reshape(key_padding_mask, (-1, 1, 1, src_len))
        attn_mask = per_sample if attn_mask is None else attn_mask + per_sample
    if not training:
        dropout_p = 0.0

    # need_weights: PyTorch's explicit softmax (a fully blocked row gives NaN);
    # otherwise its scaled_dot_product_attention (such a row gives zeros).
    out, weights = attend(q, k, v, attn_mask, is_causal and attn_mask is None, dropout_p,
                          safe=not need_weights)
    out = ops.reshape(ops.transpose(out, (2, 0, 1, 3)), (tgt_len, -1, embed_dim))
    out = F.linear(out, out_proj_weight, out_proj_bias)
    if not need_weights:
        return (out if batched else ops.squeeze(out, 1)), None
    if average_attn_weights:
        weights = ops.mean(weights, 1)
    if not batched:
        out, weights = ops.squeeze(out, 1), ops.squeeze(weights, 0)
    return out, weights


def _fits(shape, want):
    """Does ``shape`` match ``want``, where either may hold None (not known yet)?"""
    return len(shape) == len(want) and all(a is None or b is None or a == b
                                           for a, b in zip(shape, want))


def _static(fn, name, t, bsz, num_heads, head_dim):
    """A precomputed key or value, (N * H, S, head_dim), used as given (as (N, H, S, head_dim))."""
    t = checks.tensor(fn, name, t)
    rows = None if bsz is None else bsz * num_heads
    if t.ndim != 3 or not _fits(t.shape, (rows, None, head_dim)):
        raise AssertionError(f"{fn}: expecting {name} of shape ({rows}, S, {head_dim}), but got "
                             f"{tuple(t.shape)}")
    return ops.reshape(t, (-1, num_heads, t.shape[1], head_dim))
