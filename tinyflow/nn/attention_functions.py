"""Attention as a plain function, ``F.scaled_dot_product_attention``, and the
masks and the attention core that ``F.multi_head_attention_forward``
(multihead_functions.py) shares, with PyTorch's arguments, conventions and checks.

Attention is ``softmax(q @ k^T * scale + mask) @ v``, written with tinyflow's
matmul, softmax and where, so gradients come from the primitive registry.

Masks, as PyTorch reads them:

- ``scaled_dot_product_attention``: a boolean ``attn_mask`` is True where a query
  MAY attend; a float mask is added to the scores.
- ``multi_head_attention_forward`` (and the Transformer layers): a boolean
  ``attn_mask`` or ``key_padding_mask`` is True where a query may NOT attend; a
  float mask is added (``-inf`` blocks).

>>> import tinyflow as tf
>>> import tinyflow.nn.functional as F
>>> q = k = v = tf.ones(1, 3, 4)
>>> F.scaled_dot_product_attention(q, k, v, is_causal=True).shape
tinyflow.Size([1, 3, 4])
"""
import math
import warnings

import numpy as np

from .. import ops
from ..base.errors import ShapeError
from ..ops.primitive import is_symbolic
from . import checks
from . import functional as F

NEG_INF = float("-inf")


def square_subsequent_mask(sz, dtype=np.float32):
    """A (sz, sz) float mask: 0 on and below the diagonal, -inf above (position i
    may look at positions 0..i).

    >>> square_subsequent_mask(2)
    array([[  0., -inf],
           [  0.,   0.]], dtype=float32)
    """
    if not isinstance(sz, (int, np.integer)) or isinstance(sz, bool):
        raise TypeError(f"generate_square_subsequent_mask(): argument 'sz' must be an int, got "
                        f"{type(sz).__name__} {sz!r}")
    if sz < 0:
        raise RuntimeError(f"generate_square_subsequent_mask(): Trying to create tensor with "
                           f"negative dimension {sz}: [{sz}, {sz}]")
    above = np.triu(np.ones((sz, sz), bool), k=1)
    return np.where(above, np.asarray(NEG_INF, dtype), np.asarray(0.0, dtype))


def canonical_mask(mask, mask_name, other, other_name, target_dtype, check_other=True,
                   owner="MultiheadAttention"):
    """A boolean mask (True: blocked) as a float one (-inf: blocked, 0: open) of the
    query's dtype; a float mask as it is. Warns, as PyTorch does, when ``mask`` and
    the ``other`` mask given with it are of different types.

    >>> import numpy as np
    >>> canonical_mask(np.array([False, True]), "key_padding_mask", None, "", np.float32)
    tensor([0., -inf])
    """
    if mask is None:
        return None
    mask = checks.tensor(owner, mask_name, mask)
    kind = np.dtype(mask.dtype).kind
    if kind not in "bf":
        raise AssertionError(f"{owner}: only bool and floating types of {mask_name} are "
                             f"supported (got dtype {np.dtype(mask.dtype)}; pass a bool mask, "
                             f"True where attention is blocked, or a float one to add)")
    if check_other and other is not None and np.dtype(other.dtype) != np.dtype(mask.dtype):
        warnings.warn(f"Support for mismatched {mask_name} and {other_name} is deprecated. Use "
                      f"same type for both instead.", UserWarning, stacklevel=3)
    if kind == "b":
        dtype = np.dtype(target_dtype)
        return ops.where(mask, np.asarray(NEG_INF, dtype), np.asarray(0.0, dtype))
    return mask


def detect_is_causal_mask(mask, is_causal=None, size=None):
    """Is ``mask`` (a canonical float mask) the causal one? ``is_causal`` given: as
    given; a mask whose values are not known yet (a graph being built): no.

    >>> detect_is_causal_mask(square_subsequent_mask(3)), detect_is_causal_mask(None, True)
    (True, True)
    """
    if is_causal is not None or mask is None or is_symbolic(mask):
        return is_causal is True
    sz = size if size is not None else mask.shape[-2]
    values = mask.detach().numpy() if hasattr(mask, "detach") else np.asarray(mask)
    want = np.triu(np.ones((sz, sz), bool), k=1) if values.dtype == bool else \
        square_subsequent_mask(sz, values.dtype)
    return values.shape == want.shape and bool((values == want).all())


# --- the core: softmax(q k^T * scale + bias) v ----------------------------------------

def _softmax_rows(scores, safe):
    """softmax over the last axis. ``safe``: a row with every score -inf (nothing
    to attend to) gives zeros and no gradient, not NaN (PyTorch's SDPA does so;
    its MultiheadAttention with need_weights=True does not)."""
    if not safe:
        with np.errstate(invalid="ignore"):         # NaN rows, silently, as in PyTorch
            return ops.softmax(scores, -1)
    dead = ops.equal(ops.max(ops.stop_gradient(scores), -1, keepdims=True), NEG_INF)
    zero = np.asarray(0.0, np.dtype(scores.dtype))
    return ops.where(dead, zero, ops.softmax(ops.where(dead, zero, scores), -1))


def attend(q, k, v, bias=None, causal=False, dropout_p=0.0, scale=None, safe=True):
    """(output, weights) of attention over the last two axes: q (..., L, E),
    k (..., S, E), v (..., S, Ev); ``bias`` a float mask added to the scores;
    ``causal``: query i sees keys 0..i (top-left aligned when L != S).

    >>> import numpy as np
    >>> out, weights = attend(np.zeros((1, 2)), np.zeros((3, 2)), np.eye(3), causal=True)
    >>> weights
    array([[1., 0., 0.]])
    """
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = ops.matmul(q * scale, k, transpose_b=True)
    if bias is not None:
        scores = scores + bias
    if causal:
        allowed = np.tril(np.ones((q.shape[-2], k.shape[-2]), bool))
        scores = ops.where(allowed, scores, np.asarray(NEG_INF, np.dtype(scores.dtype)))
    weights = _softmax_rows(scores, safe)
    if dropout_p > 0.0:
        weights = F.dropout(weights, dropout_p, training=True)
    return ops.matmul(weights, v), weights


def _differ(a, b):
    return a is not None and b is not None and a != b


def _batch_shapes(fn, *shapes):
    """Broadcast the leading (batch) dimensions, RuntimeError as PyTorch when they cannot."""
    try:
        return np.broadcast_shapes(*[tuple(1 if d is None else d for d in s) for s in shapes])
    except ValueError:
        raise ShapeError(f"{fn}(): the batch dimensions of query, key and value "
                         f"{[tuple(s) for s in shapes]} cannot be broadcast together "
                         f"(the size of tensor a must match the size of tensor b)") from None


def _gqa(fn, q, k, v):
    """Grouped-query attention: each of the Hk key/value heads (dimension -3) serves
    Hq / Hk query heads, so repeat each one that many times (``repeat_interleave``)."""
    hq, hk, hv = q.shape[-3], k.shape[-3], v.shape[-3]
    if hk != hv or hq % hk:
        raise RuntimeError(f"{fn}(): with enable_gqa=True the number of query heads ({hq}) must "
                           f"be a multiple of the number of key and value heads ({hk}, {hv})")
    reps = hq // hk

    def repeat(t):
        s = tuple(t.shape)
        wide = ops.broadcast_to(ops.expand_dims(t, -3), s[:-2] + (reps,) + s[-2:])
        return ops.reshape(wide, s[:-3] + (hk * reps,) + s[-2:])
    return (repeat(k), repeat(v)) if reps > 1 else (k, v)


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
                                 is_causal=False, scale=None, enable_gqa=False):
    """``softmax(query @ key^T * scale + mask) @ value`` over the last two axes
    (query (..., L, E), key (..., S, E), value (..., S, Ev); leading axes broadcast).

    ``scale`` defaults to 1 / sqrt(E). A boolean ``attn_mask`` is True where a
    query may attend (a row with no True gives zeros); a float one is added to the
    scores. ``is_causal``: query i attends to keys 0..i. ``dropout_p`` drops
    attention weights whenever it is > 0 (pass 0.0 in evaluation).

    >>> import tinyflow as tf
    >>> q = tf.tensor([[[1.0, 0.0]]]); k = tf.tensor([[[1.0, 0.0], [0.0, 1.0]]])
    >>> scaled_dot_product_attention(q, k, k, attn_mask=tf.tensor([[True, False]]))
    tensor([[[1., 0.]]])
    """
    fn = "scaled_dot_product_attention"
    q, k, v = (checks.tensor(fn, n, t) for n, t in (("query", query), ("key", key),
                                                    ("value", value)))
    if min(q.ndim, k.ndim, v.ndim) < 2:
        raise RuntimeError(f"{fn}(): Expected query, key, and value to all be at least 2 "
                           f"dimensional, but got query.dim: {q.ndim} key.dim: {k.ndim} and "
                           f"value.dim: {v.ndim} instead.")
    dtypes = [np.dtype(t.dtype) for t in (q, k, v)]
    if len(set(dtypes)) > 1:
        raise RuntimeError(f"{fn}(): Expected query, key, and value to have the same dtype, but "
                           f"got query.dtype: {dtypes[0]} key.dtype: {dtypes[1]} and "
                           f"value.dtype: {dtypes[2]} instead.")
    if dtypes[0].kind != "f":
        raise RuntimeError(f"{fn}(): expected floating point query, key and value, got "
                           f"dtype {dtypes[0]}")
    if _differ(q.shape[-1], k.shape[-1]) or _differ(k.shape[-2], v.shape[-2]):
        raise ShapeError(f"{fn}(): query {tuple(q.shape)} and key {tuple(k.shape)} must have the "
                         f"same last dimension, and key and value {tuple(v.shape)} the same "
                         f"sequence length (dimension -2)")
    if enable_gqa and min(q.ndim, k.ndim, v.ndim) >= 3:
        k, v = _gqa(fn, q, k, v)
    batch = _batch_shapes(fn, q.shape[:-2], k.shape[:-2], v.shape[:-2])
    if dropout_p > 1.0:
        raise RuntimeError(f"{fn}(): dropout probability has to be between 0 and 1, but got "
                           f"{dropout_p}")
    bias = None
    if attn_mask is not None:
        if is_causal:
            raise RuntimeError(f"{fn}(): Explicit attn_mask should not be set when "
                               f"is_causal=True")
        m = checks.tensor(fn, "attn_mask", attn_mask)
        kind = np.dtype(m.dtype).kind
        if kind != "b" and np.dtype(m.dtype) != dtypes[0]:
            raise RuntimeError(f"{fn}(): Expected attn_mask dtype to be bool or float or to "
                               f"match query dtype, but got attn_mask.dtype: "
                               f"{np.dtype(m.dtype)} and query.dtype: {dtypes[0]} instead.")
        try:
            np.broadcast_shapes(tuple(1 if d is None else d for d in m.shape),
                                tuple(batch) + tuple(1 if d is None else d
                                                     for d in (q.shape[-2], k.shape[-2])))
        except ValueError:
            raise ShapeError(f"{fn}(): attn_mask of shape {tuple(m.shape)} does not broadcast "
                             f"to the scores' shape {tuple(batch) + (q.shape[-2], k.shape[-2])} "
                             f"(batch..., L, S)") from None
        bias = m if kind != "b" else ops.where(m, np.asarray(0.0, dtypes[0]),
                                               np.asarray(NEG_INF, dtypes[0]))
    return attend(q, k, v, bias, is_causal, dropout_p, scale, safe=True)[0]

