"""Average pooling over images shaped (N, C, H, W): ``AvgPool`` and its adjoint
``AvgPoolGrad`` (each is the other's vjp, as Im2Col and Col2Im are), and adaptive
average pooling composed from two matmuls with constant averaging matrices.

Sizes follow PyTorch: an output row i covers input rows i*stride - padding ..
+ kernel; with ``ceil_mode`` a last, partial window is kept when it starts
inside the input or its left padding. Each window's sum is divided by its size
counted with the padding (``count_include_pad``) or without it, or by
``divisor_override``.

>>> import numpy as np
>>> from tinyflow.ops import pool
>>> pool.avg_pool2d(np.arange(16.0).reshape(1, 1, 4, 4), 2)
array([[[[ 2.5,  4.5],
         [10.5, 12.5]]]])
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import shape_rules
from ..base.errors import ShapeError
from .primitive import Primitive, bind, first_dtype
from .. import ops as F


def out_size(n, k, s, p, ceil_mode=False):
    """PyTorch's pooling output size along one axis (None stays None)."""
    if n is None:
        return None
    span = n + 2 * p - k + ((s - 1) if ceil_mode else 0)
    out = span // s + 1
    if ceil_mode and (out - 1) * s >= n + p:
        out -= 1                     # the last window would start inside the right padding
    return out


def _divisors(n, k, s, p, out, count_include_pad):
    """The number each output's window sum is divided by, along one axis."""
    start = np.arange(out) * s - p
    end = np.minimum(start + k, n + p)
    if count_include_pad:
        return end - start
    return np.minimum(end, n) - np.maximum(start, 0)


def _plan(shape, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override):
    """Output sizes, the extra zeros past the right padding that ceil_mode's last
    window reads, and the (oh, ow) array of divisors."""
    h, w = shape[2], shape[3]
    oh = out_size(h, kernel[0], stride[0], padding[0], ceil_mode)
    ow = out_size(w, kernel[1], stride[1], padding[1], ceil_mode)
    extra_h = max(0, (oh - 1) * stride[0] + kernel[0] - (h + 2 * padding[0]))
    extra_w = max(0, (ow - 1) * stride[1] + kernel[1] - (w + 2 * padding[1]))
    if divisor_override:
        div = np.full((oh, ow), float(divisor_override))
    else:
        div = np.outer(_divisors(h, kernel[0], stride[0], padding[0], oh, count_include_pad),
                       _divisors(w, kernel[1], stride[1], padding[1], ow, count_include_pad))
    return oh, ow, extra_h, extra_w, div


def _avg_pool(x, kernel, stride, padding=(0, 0), ceil_mode=False, count_include_pad=True,
              divisor_override=None):
    oh, ow, eh, ew, div = _plan(x.shape, kernel, stride, padding, ceil_mode, count_include_pad,
                                divisor_override)
    ph, pw = padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph + eh), (pw, pw + ew)))
    win = sliding_window_view(xp, kernel, axis=(2, 3))[:, :, ::stride[0], ::stride[1]]
    sums = np.add.reduce(win[:, :, :oh, :ow], axis=(4, 5))
    return (sums / div.astype(x.dtype)).astype(x.dtype, copy=False)


def _avg_pool_grad(g, like, kernel, stride, padding=(0, 0), ceil_mode=False,
                   count_include_pad=True, divisor_override=None):
    """Each output's gradient divided by its divisor and added back over its window."""
    n, c, h, w = np.shape(like)
    oh, ow, eh, ew, div = _plan((n, c, h, w), kernel, stride, padding, ceil_mode,
                                count_include_pad, divisor_override)
    ph, pw = padding
    sh, sw = stride
    share = g / div.astype(g.dtype)
    out = np.zeros((n, c, h + 2 * ph + eh, w + 2 * pw + ew), dtype=g.dtype)
    for i in range(kernel[0]):                    # a loop over the kernel, not the data
        for j in range(kernel[1]):
            out[:, :, i:i + sh * oh:sh, j:j + sw * ow:sw] += share
    return out[:, :, ph:ph + h, pw:pw + w]


def _avg_pool_rule(x, kernel, stride, padding=(0, 0), ceil_mode=False, **attrs):
    if x is None:
        return None
    if len(x) != 4:
        raise ShapeError(f"AvgPool: expected an (N, C, H, W) input, got {shape_rules.fmt(x)}")
    oh = out_size(x[2], kernel[0], stride[0], padding[0], ceil_mode)
    ow = out_size(x[3], kernel[1], stride[1], padding[1], ceil_mode)
    if (oh is not None and oh < 1) or (ow is not None and ow < 1):
        raise ShapeError(f"AvgPool: kernel {kernel[0]}x{kernel[1]} is larger than the padded "
                         f"input {shape_rules.fmt(x)}")
    return (x[0], x[1], oh, ow)


AvgPool = Primitive("AvgPool", _avg_pool, _avg_pool_rule, family="nn",
                    doc="the mean of each kernel window")
AvgPoolGrad = Primitive("AvgPoolGrad", _avg_pool_grad, lambda g, like, **a: like,
                        dtype=first_dtype, family="nn",
                        doc="each window's share of g added back into an image shaped like "
                            "`like` (AvgPool's adjoint)")
AvgPool.defvjp(lambda g, x, out, **attrs: AvgPoolGrad.bind(g, x, **attrs))
AvgPoolGrad.defvjp(lambda gg, g, like, out, **attrs: AvgPool.bind(gg, **attrs), None)


# --- the op functions ----------------------------------------------------------

def _pair(v):
    return (int(v), int(v)) if isinstance(v, (int, np.integer)) else tuple(int(a) for a in v)


def avg_pool2d(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """The mean of each window of x (N, C, H, W); the stride defaults to the kernel size."""
    k = _pair(kernel_size)
    attrs = {"kernel": k, "stride": _pair(stride) if stride else k, "padding": _pair(padding),
             "ceil_mode": bool(ceil_mode), "count_include_pad": bool(count_include_pad),
             "divisor_override": divisor_override}
    return bind(AvgPool, (x,), attrs)


def adaptive_bounds(n, out):
    """PyTorch's adaptive windows along one axis: output i averages input
    floor(i*n/out) .. ceil((i+1)*n/out) (exclusive)."""
    i = np.arange(out)
    return (i * n) // out, -((-(i + 1) * n) // out)


def averaging_matrix(n, out, dtype):
    """(out, n): row i holds 1/len over output i's adaptive window, 0 elsewhere."""
    start, end = adaptive_bounds(n, out)
    cols = np.arange(n)
    inside = (cols >= start[:, None]) & (cols < end[:, None])
    return (inside / (end - start)[:, None]).astype(dtype)


def adaptive_avg_pool2d(x, output_size):
    """x (..., H, W) averaged over PyTorch's adaptive windows into (..., oh, ow):
    A_h @ x @ A_w.T with constant averaging matrices, so the gradient (A_h.T @ g @ A_w)
    comes from matmul's own rules. ``None`` in output_size keeps that input size.

    >>> import numpy as np
    >>> adaptive_avg_pool2d(np.arange(6.0).reshape(1, 1, 2, 3), (1, 1))
    array([[[[2.5]]]])
    """
    shape = shape_rules.static_shape(x)
    h, w = shape[-2], shape[-1]
    if h is None or w is None:
        raise ShapeError(f"adaptive_avg_pool2d: the input's height and width must be known "
                         f"when the op is built, got {shape_rules.fmt(shape)}")
    oh, ow = output_size
    oh = h if oh is None else oh
    ow = w if ow is None else ow
    dtype = x.dtype if np.dtype(x.dtype).kind == "f" else np.float64
    rows = averaging_matrix(h, oh, dtype)
    cols = averaging_matrix(w, ow, dtype)
    return F.matmul(F.matmul(rows, x), cols.T)
