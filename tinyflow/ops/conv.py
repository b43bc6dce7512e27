"""Convolution and max pooling over images shaped (N, C, H, W).

Convolution runs as one numpy ``tensordot`` over a strided window view (the
im2col idea without a Python loop). Its vjp is written with the ``Im2Col`` /
``Col2Im`` pair and ``matmul``, so it differentiates again like everything else.

>>> import numpy as np
>>> from tinyflow.ops import conv
>>> conv.conv2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2))).shape
(1, 1, 2, 2)
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import shape_rules
from ..base.errors import ShapeError
from .primitive import Primitive, bind, first_dtype
from .. import ops as F


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
        raise ShapeError(f"Im2Col: expected an (N, C, H, W) input, got {shape_rules.fmt(s)}")
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
        raise ShapeError(f"Conv2D: expected input (N, C, H, W) and weight (O, C, kh, kw), "
                                f"got {shape_rules.fmt(x)} and {shape_rules.fmt(w)}")
    if x[1] is not None and w[1] is not None and x[1] != w[1]:
        raise ShapeError(f"Conv2D: input has {x[1]} channels but the weight expects {w[1]} "
                                f"(input {shape_rules.fmt(x)}, weight {shape_rules.fmt(w)})")
    oh = _out_size(x[2], w[2], stride[0], padding[0])
    ow = _out_size(x[3], w[3], stride[1], padding[1])
    if (oh is not None and oh < 1) or (ow is not None and ow < 1):
        raise ShapeError(f"Conv2D: kernel {w[2]}x{w[3]} is larger than the padded input "
                                f"{shape_rules.fmt(x)}")
    return (x[0], w[0], oh, ow)


def _conv_vjp_x(g, x, w, out, stride=(1, 1), padding=(0, 0)):
    o, c, kh, kw = w.shape
    oh, ow = g.shape[2], g.shape[3]              # the output's size (g is shaped like it)
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
        raise ShapeError(f"MaxPool: expected an (N, C, H, W) input, got {shape_rules.fmt(x)}")
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
MaxPool2d.defvjp(_max_pool_vjp, reads_out=True)


# --- the op functions ----------------------------------------------------------

def _pair(v):
    return (int(v), int(v)) if isinstance(v, (int, np.integer)) else tuple(int(a) for a in v)


def conv2d(x, w, stride=1, padding=0):
    """2-D cross-correlation: x (N, C, H, W), w (O, C, kh, kw) -> (N, O, oh, ow)."""
    return bind(Conv2d, (x, w), {"stride": _pair(stride), "padding": _pair(padding)})


def max_pool2d(x, kernel_size, stride=None, padding=0):
    """largest value in each kernel window; stride defaults to the kernel size."""
    k = _pair(kernel_size)
    return bind(MaxPool2d, (x,), {"kernel": k, "stride": _pair(stride) if stride else k,
                                     "padding": _pair(padding)})


def im2col(x, kh, kw, stride, padding, fill=0.0):
    """all kh x kw patches of x as (N, oh, ow, C, kh, kw)."""
    return bind(Im2Col, (x,), {"kh": kh, "kw": kw, "stride": _pair(stride),
                                  "padding": _pair(padding), "fill": fill})


def col2im(cols, like, kh, kw, stride, padding):
    """patches summed back into an image shaped like ``like`` (im2col's adjoint)."""
    return bind(Col2Im, (cols, like), {"kh": kh, "kw": kw, "stride": _pair(stride),
                                          "padding": _pair(padding)})
