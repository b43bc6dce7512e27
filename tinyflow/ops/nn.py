"""Neural-network primitives: softmax, log-softmax, bias add, 2-D convolution
and max pooling.

Convolution runs as one numpy ``tensordot`` over a strided window view (the
im2col idea without a Python loop). Its vjp is written with the ``Im2Col`` /
``Col2Im`` pair and ``matmul``, so it differentiates again like everything else.

>>> import numpy as np
>>> from tinyflow.ops import nn
>>> nn.Softmax.forward(np.zeros(4), axis=-1)
array([0.25, 0.25, 0.25, 0.25])
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import shapes
from .primitive import Primitive, first_dtype
from .. import ops as F


def _softmax(x, axis=-1):
    e = np.exp(x - np.maximum.reduce(x, axis=axis, keepdims=True))
    return e / np.add.reduce(e, axis=axis, keepdims=True)


def _log_softmax(x, axis=-1):
    shifted = x - np.maximum.reduce(x, axis=axis, keepdims=True)
    return shifted - np.log(np.add.reduce(np.exp(shifted), axis=axis, keepdims=True))


Softmax = Primitive("Softmax", _softmax, shapes.same, family="nn",
                    doc="exp(x) / sum(exp(x)) along axis, shifted so it never overflows")
LogSoftmax = Primitive("LogSoftmax", _log_softmax, shapes.same, family="nn",
                       doc="log(softmax(x)) along axis, computed stably")


def _softmax_vjp(g, s, axis=-1):
    """The vjp of s = softmax(x): s * (g - sum(g * s)). Also the fused cross-entropy's."""
    return s * (g - F.sum(g * s, axis, keepdims=True))


Softmax.defvjp(lambda g, x, out, axis=-1: _softmax_vjp(g, out, axis))
LogSoftmax.defvjp(lambda g, x, out, axis=-1: g - F.exp(out) * F.sum(g, axis, keepdims=True))


def _bias_rule(x, b):
    if x is not None and b is not None:
        if len(b) != 1:
            raise shapes.ShapeError(f"BiasAdd: bias must be 1-D, got shape {shapes.fmt(b)}")
        if x and x[-1] is not None and b[0] is not None and x[-1] != b[0]:
            raise shapes.ShapeError(f"BiasAdd: bias of shape {shapes.fmt(b)} does not match the "
                                    f"last dimension of {shapes.fmt(x)}")
    return x


BiasAdd = Primitive("BiasAdd", np.add, _bias_rule, family="nn",
                    doc="x + b with a 1-D bias b over the last axis")
BiasAdd.defvjp(lambda g, x, b, out: g, lambda g, x, b, out: g)


# --- convolution ------------------------------------------------------------

def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _out_size(n, k, s, p):
    return None if n is None else (n + 2 * p - k) // s + 1


def _windows(x, kh, kw, stride, padding, fill=0.0):
    """(N, C, H, W) -> a read-only view (N, oh, ow, C, kh, kw) of every patch."""
    ph, pw = padding
    if ph or pw:
        x = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=fill)
    win = sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::stride[0], ::stride[1]]
    return win.transpose(0, 2, 3, 1, 4, 5)


def _im2col(x, kh, kw, stride, padding, fill=0.0):
    return _windows(x, kh, kw, stride, padding, fill)


def _col2im(cols, like, kh, kw, stride, padding, fill=0.0):
    n, c, h, w = np.shape(like)
    ph, pw = padding
    _, oh, ow = cols.shape[:3]
    out = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=cols.dtype)
    sh, sw = stride
    cols = cols.transpose(0, 3, 4, 5, 1, 2)          # (N, C, kh, kw, oh, ow)
    for i in range(kh):                              # a loop over the kernel, not the data
        for j in range(kw):
            out[:, :, i:i + sh * oh:sh, j:j + sw * ow:sw] += cols[:, :, i, j]
    return out[:, :, ph:ph + h, pw:pw + w]


def _im2col_rule(s, kh, kw, stride, padding, fill=0.0):
    if s is None:
        return None
    if len(s) != 4:
        raise shapes.ShapeError(f"Im2Col: expected an (N, C, H, W) input, got {shapes.fmt(s)}")
    n, c, h, w = s
    return (n, _out_size(h, kh, stride[0], padding[0]), _out_size(w, kw, stride[1], padding[1]),
            c, kh, kw)


Im2Col = Primitive("Im2Col", _im2col, _im2col_rule, family="nn",
                   doc="every kh x kw patch of x, as (N, oh, ow, C, kh, kw)")
Col2Im = Primitive("Col2Im", _col2im, lambda cols, like, **a: like, dtype=first_dtype, family="nn",
                   doc="patches added back into an image shaped like `like` (Im2Col's adjoint)")
Im2Col.defvjp(lambda g, x, out, kh, kw, stride, padding, fill=0.0:
              F.col2im(g, x, kh, kw, stride, padding))
Col2Im.defvjp(lambda g, cols, like, out, kh, kw, stride, padding, fill=0.0:
              F.im2col(g, kh, kw, stride, padding), None)


def _conv2d(x, w, stride=(1, 1), padding=(0, 0)):
    kh, kw = w.shape[2:]
    win = _windows(x, kh, kw, stride, padding)
    out = np.tensordot(win, w, axes=((3, 4, 5), (1, 2, 3)))     # (N, oh, ow, O)
    return out.transpose(0, 3, 1, 2)


def _conv2d_rule(x, w, stride=(1, 1), padding=(0, 0)):
    if x is None or w is None:
        return None
    if len(x) != 4 or len(w) != 4:
        raise shapes.ShapeError(f"Conv2D: expected input (N, C, H, W) and weight (O, C, kh, kw), "
                                f"got {shapes.fmt(x)} and {shapes.fmt(w)}")
    if x[1] is not None and w[1] is not None and x[1] != w[1]:
        raise shapes.ShapeError(f"Conv2D: input has {x[1]} channels but the weight expects {w[1]} "
                                f"(input {shapes.fmt(x)}, weight {shapes.fmt(w)})")
    oh = _out_size(x[2], w[2], stride[0], padding[0])
    ow = _out_size(x[3], w[3], stride[1], padding[1])
    if (oh is not None and oh < 1) or (ow is not None and ow < 1):
        raise shapes.ShapeError(f"Conv2D: kernel {w[2]}x{w[3]} is larger than the padded input "
                                f"{shapes.fmt(x)}")
    return (x[0], w[0], oh, ow)


def _conv_vjp_x(g, x, w, out, stride=(1, 1), padding=(0, 0)):
    o, c, kh, kw = w.shape
    oh, ow = out.shape[2], out.shape[3]
    g2 = F.transpose(g, (0, 2, 3, 1))                                  # (N, oh, ow, O)
    cols = F.matmul(g2, F.reshape(w, (o, c * kh * kw)))                # (N, oh, ow, C*kh*kw)
    return F.col2im(F.reshape(cols, (-1, oh, ow, c, kh, kw)), x, kh, kw, stride, padding)


def _conv_vjp_w(g, x, w, out, stride=(1, 1), padding=(0, 0)):
    o, c, kh, kw = w.shape
    cols = F.reshape(F.im2col(x, kh, kw, stride, padding), (-1, c * kh * kw))   # (M, K)
    g2 = F.reshape(F.transpose(g, (0, 2, 3, 1)), (-1, o))                       # (M, O)
    return F.reshape(F.matmul(F.transpose(g2, (1, 0)), cols), (o, c, kh, kw))


Conv2d = Primitive("Conv2D", _conv2d, _conv2d_rule, family="nn",
                   doc="2-D cross-correlation of (N, C, H, W) with (O, C, kh, kw)")
Conv2d.defvjp(_conv_vjp_x, _conv_vjp_w)


def _max_pool(x, kernel, stride, padding=(0, 0)):
    win = _windows(x, kernel[0], kernel[1], stride, padding, fill=-np.inf)
    return np.max(win, axis=(4, 5)).transpose(0, 3, 1, 2)


def _max_pool_rule(x, kernel, stride, padding=(0, 0)):
    if x is None:
        return None
    if len(x) != 4:
        raise shapes.ShapeError(f"MaxPool: expected an (N, C, H, W) input, got {shapes.fmt(x)}")
    return (x[0], x[1], _out_size(x[2], kernel[0], stride[0], padding[0]),
            _out_size(x[3], kernel[1], stride[1], padding[1]))


def _max_pool_vjp(g, x, out, kernel, stride, padding=(0, 0)):
    cols = F.im2col(x, kernel[0], kernel[1], stride, padding, fill=-np.inf)   # (N,oh,ow,C,kh,kw)
    best = F.expand_dims(F.transpose(out, (0, 2, 3, 1)), (4, 5))
    hit = F.cast(cols == best, g.dtype)
    share = F.expand_dims(F.transpose(g, (0, 2, 3, 1)), (4, 5)) / F.sum(hit, (4, 5), keepdims=True)
    return F.col2im(hit * share, x, kernel[0], kernel[1], stride, padding)


MaxPool2d = Primitive("MaxPool", _max_pool, _max_pool_rule, family="nn",
                      doc="the largest value of each kernel window")
MaxPool2d.defvjp(_max_pool_vjp)


# --- cross-entropy with integer labels, as one op ----------------------------------
# TensorFlow's SparseSoftmaxCrossEntropyWithLogits (PyTorch fuses it too): one op
# forward, one backward, instead of log_softmax + pick + their two gradients.

def _rows(n):
    return np.arange(n)


def _pick(z, labels):
    """z[i, labels[i]] for each row i, with labels checked on the way: numpy's own
    bounds check catches labels that are too large, one min() the negative ones
    (which numpy would read as counting from the end)."""
    if labels.dtype.kind not in "iu":
        raise TypeError(f"SparseSoftmaxCrossEntropyWithLogits: labels must be integer class "
                        f"indices, got dtype {labels.dtype}")
    if labels.dtype.kind == "i" and labels.size and np.minimum.reduce(labels, axis=None) < 0:
        _bad_label(labels, z.shape[1])
    try:
        return z[_rows(len(labels)), labels]
    except IndexError:
        _bad_label(labels, z.shape[1])


def _bad_label(labels, n_classes):
    bad = labels.min() if labels.min() < 0 else labels.max()
    raise IndexError(f"SparseSoftmaxCrossEntropyWithLogits: target label {bad} is out of range "
                     f"for {n_classes} classes (expected 0 .. {n_classes - 1})") from None


# ``reduction`` is PyTorch's: 'none' gives one loss per row; 'mean' and 'sum' reduce
# inside the op, as PyTorch's fused loss does, so a training step's loss is one node.

def _sparse_xent(logits, labels, reduction="none"):
    # log softmax(z)[y] = z[y] - logsumexp(z), with z shifted by its row max so exp never overflows
    z = logits - np.maximum.reduce(logits, axis=-1, keepdims=True)
    loss = np.log(np.add.reduce(np.exp(z), axis=-1)) - _pick(z, labels)
    if reduction == "none":
        return loss
    total = np.add.reduce(loss)
    return total / len(loss) if reduction == "mean" else total


def _sparse_xent_grad(logits, labels, g, reduction="none"):
    """g times (softmax(logits) - one_hot(labels)), row by row: the fused loss's
    gradient, computed in one new array. (The labels were checked by the forward.)
    With a reduced loss g is one number, divided by the rows for 'mean'."""
    p = _softmax(logits, -1)
    p[_rows(len(labels)), labels] -= 1
    if reduction == "none":
        p *= g[:, None]
    else:
        p *= g / len(labels) if reduction == "mean" else g
    return p


def _row_weights(g, logits, reduction):
    """What each row of (softmax - one_hot) is multiplied by, shaped to broadcast."""
    if reduction == "none":
        return F.expand_dims(g, -1)
    return g / F.reduced_size(logits, (0,)) if reduction == "mean" else g


def _xent_rule(logits, labels, reduction="none"):
    if logits is not None and (len(logits) != 2 or (labels is not None and len(labels) != 1)):
        raise shapes.ShapeError(f"SparseSoftmaxCrossEntropyWithLogits: expected logits (N, C) and "
                                f"labels (N,), got {shapes.fmt(logits)} and {shapes.fmt(labels)}")
    if logits is None:
        return None if reduction == "none" else ()
    if labels is not None and None not in (logits[0], labels[0]) and logits[0] != labels[0]:
        raise shapes.ShapeError(f"SparseSoftmaxCrossEntropyWithLogits: {logits[0]} rows of logits "
                                f"but {labels[0]} labels")
    return (logits[0],) if reduction == "none" else ()


SparseXent = Primitive("SparseSoftmaxCrossEntropyWithLogits", _sparse_xent, _xent_rule,
                       dtype=first_dtype, family="nn",
                       doc="-log softmax(logits)[label] per row, for integer labels "
                           "(reduction 'mean' or 'sum': one number)")
SparseXentGrad = Primitive("SparseSoftmaxCrossEntropyGrad", _sparse_xent_grad,
                           lambda x, y, g, **attrs: x, dtype=first_dtype, family="nn",
                           doc="g * (softmax(logits) - one_hot(labels)), row by row")
SparseXent.defvjp(lambda g, logits, labels, out, **attrs:
                  SparseXentGrad.bind(logits, labels, g, **attrs), None)
# Row i is w[i] * (softmax - one_hot), w from g: for the logits that is softmax's own
# Jacobian scaled by w[i]; for g it is (softmax - one_hot) summed against gg.
SparseXentGrad.defvjp(
    lambda gg, logits, labels, g, out, reduction="none":
        _softmax_vjp(gg * _row_weights(g, logits, reduction), F.softmax(logits, -1)),
    None,
    lambda gg, logits, labels, g, out, reduction="none":
        F.sum(gg * SparseXentGrad.bind(logits, labels, F.ones_like(g), reduction=reduction),
              -1 if reduction == "none" else None))
