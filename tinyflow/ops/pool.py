"""Pooling over images shaped (N, C, H, W): max pooling (``MaxPool``, its vjp
``MaxPoolGrad`` and that one's vjp ``MaxPoolGradGrad``), average pooling
(``AvgPool`` and its adjoint ``AvgPoolGrad``: each is the other's vjp, as Im2Col and
Col2Im are), and adaptive average pooling composed from two matmuls with constant
averaging matrices.

Sizes follow PyTorch: an output row i covers input rows i*stride - padding ..
+ dilation*(kernel-1); with ``ceil_mode`` a last, partial window is kept when it
starts inside the input or its left padding. Max pooling pads with -inf; average
pooling divides each window's sum by its size counted with the padding
(``count_include_pad``) or without it, or by ``divisor_override``.

Every loop here is over the kh*kw kernel offsets (``conv.offsets``): one
whole-array numpy operation per offset, on a strided view holding that offset's
pixel of every window. (numpy's own max or sum over a (kh, kw) window view runs
an inner loop of kw numbers and is 30 times slower on 2x2 windows.)

>>> import numpy as np
>>> from tinyflow.ops import pool
>>> pool.avg_pool2d(np.arange(16.0).reshape(1, 1, 4, 4), 2)
array([[[[ 2.5,  4.5],
         [10.5, 12.5]]]])
>>> pool.max_pool2d(np.arange(16.0).reshape(1, 1, 4, 4), 2)
array([[[[ 5.,  7.],
         [13., 15.]]]])
"""
import numpy as np

from . import shape_rules
from ..base.errors import ShapeError
from .conv import crop, offsets, pad, same_layout, zeros_padded
from . import layout
from .primitive import Primitive, bind, first_dtype
from .. import ops as F


def out_size(n, k, s, p, ceil_mode=False, d=1):
    """PyTorch's pooling output size along one axis (None stays None)."""
    if n is None:
        return None
    span = n + 2 * p - d * (k - 1) - 1 + ((s - 1) if ceil_mode else 0)
    out = span // s + 1
    if ceil_mode and (out - 1) * s >= n + p:
        out -= 1                     # the last window would start inside the right padding
    return out


def geometry(shape, kernel, stride, padding, dilation=(1, 1), ceil_mode=False):
    """Output sizes, and the extra rows and columns past the bottom and right padding
    that ceil_mode's last windows read."""
    oh, ow = (out_size(shape[2 + a], kernel[a], stride[a], padding[a], ceil_mode, dilation[a])
              for a in (0, 1))
    extra = [max(0, (o - 1) * stride[a] + dilation[a] * (kernel[a] - 1) + 1
                 - (shape[2 + a] + 2 * padding[a])) for a, o in enumerate((oh, ow))]
    return oh, ow, extra


# --- max pooling ---------------------------------------------------------------------

def _windows(shape, kernel, stride, padding, dilation, ceil_mode):
    """The extra padding ceil_mode needs, and each kernel offset's (rows, columns)."""
    oh, ow, extra = geometry(shape, kernel, stride, padding, dilation, ceil_mode)
    return extra, offsets(*kernel, oh, ow, stride, dilation)


def _max_pool(x, kernel, stride, padding=(0, 0), dilation=(1, 1), ceil_mode=False):
    extra, where = _windows(x.shape, kernel, stride, padding, dilation, ceil_mode)
    xp = pad(x, padding, -np.inf, extra)
    out = None
    for rows, cols in where:
        xs = xp[:, :, rows, cols]
        out = xs.copy(order="K") if out is None else np.maximum(out, xs, out=out)
    return out


def first_max(xp, pooled, where):
    """For each kernel offset, a mask of the windows whose maximum sits at that offset.
    When a window holds its maximum several times, only the first (in row-major order)
    counts, as in PyTorch, so every window's gradient goes to exactly one pixel. A
    NaN is the maximum of its window (then the pooled value is NaN too)."""
    nan = np.isnan(pooled).any()
    free = np.ones_like(pooled, bool)              # windows whose maximum is not found yet
    for rows, cols in where:
        xs = xp[:, :, rows, cols]
        hit = xs == pooled
        if nan:
            hit |= np.isnan(xs)
        hit &= free
        free ^= hit
        yield rows, cols, hit


def masker(values):
    """A function (v, hit) -> v where hit, 0 elsewhere, for slices v of ``values``.
    v * hit is 8x faster than np.where(hit, v, 0), which branches on every element,
    but it would turn an inf of v into NaN (0 * inf) where hit is False."""
    if np.isfinite(values).all():
        return np.multiply
    return lambda v, hit: np.where(hit, v, 0)


def _max_pool_grad(g, x, pooled, kernel, stride, padding=(0, 0), dilation=(1, 1),
                   ceil_mode=False):
    """Each window's gradient, sent to the pixel that was its maximum."""
    extra, where = _windows(x.shape, kernel, stride, padding, dilation, ceil_mode)
    xp, g = pad(x, padding, -np.inf, extra), same_layout(g, pooled)
    gxp, masked = np.zeros_like(xp, g.dtype), masker(g)
    for rows, cols, hit in first_max(xp, pooled, where):
        gxp[:, :, rows, cols] += masked(g, hit)
    return crop(gxp, x, padding)


def _max_pool_grad_grad(h, x, pooled, kernel, stride, padding=(0, 0), dilation=(1, 1),
                        ceil_mode=False):
    """MaxPoolGrad's adjoint: h (shaped like x) read at each window's maximum."""
    extra, where = _windows(x.shape, kernel, stride, padding, dilation, ceil_mode)
    xp, hp = pad(x, padding, -np.inf, extra), pad(h, padding, 0.0, extra)
    out, masked = np.zeros_like(pooled, h.dtype), masker(h)
    for rows, cols, hit in first_max(xp, pooled, where):
        out += masked(hp[:, :, rows, cols], hit)
    return out


def _max_pool_rule(x, kernel, stride, padding=(0, 0), dilation=(1, 1), ceil_mode=False):
    if x is None:
        return None
    if len(x) != 4:
        raise ShapeError(f"MaxPool: expected an (N, C, H, W) input, got {shape_rules.fmt(x)}")
    oh, ow = (out_size(x[2 + a], kernel[a], stride[a], padding[a], ceil_mode, dilation[a])
              for a in (0, 1))
    if (oh is not None and oh < 1) or (ow is not None and ow < 1):
        raise ShapeError(f"MaxPool: kernel {kernel[0]}x{kernel[1]} is larger than the padded "
                         f"input {shape_rules.fmt(x)}")
    return (x[0], x[1], oh, ow)


# data_format="NHWC": TensorFlow's images (N, H, W, C), through transposed views
# (ops/layout.py); the gradient ops below always work in (N, C, H, W).
_IMAGE, _IMAGES = ("image",), ("image", "image")
MaxPool = Primitive("MaxPool", layout.forward(_max_pool, _IMAGE),
                    layout.shape_rule(_max_pool_rule, _IMAGE), family="nn",
                    doc="the largest value of each kernel window")
MaxPoolGrad = Primitive("MaxPoolGrad", _max_pool_grad, lambda g, x, pooled, **a: x,
                        dtype=first_dtype, family="nn",
                        doc="each window's g sent to the pixel of x that was its maximum "
                            "(MaxPool's vjp)")
MaxPoolGradGrad = Primitive("MaxPoolGradGrad", _max_pool_grad_grad,
                            lambda h, x, pooled, **a: pooled, dtype=first_dtype, family="nn",
                            doc="h read at the pixel of x that was each window's maximum "
                                "(MaxPoolGrad's adjoint)")
# The mask of maxima is piecewise constant in x: x and the pooled values get no gradient
# through it, only g does (as in PyTorch and TensorFlow).
MaxPool.defvjp(layout.vjp(lambda g, x, out, **attrs: MaxPoolGrad.bind(g, x, out, **attrs),
                          _IMAGES, "image"), reads_out=True)
MaxPoolGrad.defvjp(lambda h, g, x, pooled, out, **attrs:
                   MaxPoolGradGrad.bind(h, x, pooled, **attrs), None, None, reads=(1, 2))
MaxPoolGradGrad.defvjp(lambda gg, h, x, pooled, out, **attrs:
                       MaxPoolGrad.bind(gg, x, pooled, **attrs), None, None, reads=(1, 2))


# --- average pooling -----------------------------------------------------------------

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
    oh, ow, extra = geometry(shape, kernel, stride, padding, ceil_mode=ceil_mode)
    if divisor_override:
        div = np.full((oh, ow), float(divisor_override))
    else:
        div = np.outer(_divisors(shape[2], kernel[0], stride[0], padding[0], oh, count_include_pad),
                       _divisors(shape[3], kernel[1], stride[1], padding[1], ow, count_include_pad))
    return offsets(*kernel, oh, ow, stride, (1, 1)), extra, div


def _avg_pool(x, kernel, stride, padding=(0, 0), ceil_mode=False, count_include_pad=True,
              divisor_override=None):
    where, extra, div = _plan(x.shape, kernel, stride, padding, ceil_mode, count_include_pad,
                              divisor_override)
    xp = pad(x, padding, 0.0, extra)
    sums = None
    for rows, cols in where:
        xs = xp[:, :, rows, cols]
        sums = xs.copy(order="K") if sums is None else np.add(sums, xs, out=sums)
    return (sums / div.astype(x.dtype)).astype(x.dtype, copy=False)


def _avg_pool_grad(g, like, kernel, stride, padding=(0, 0), ceil_mode=False,
                   count_include_pad=True, divisor_override=None):
    """Each output's gradient divided by its divisor and added back over its window."""
    where, extra, div = _plan(np.shape(like), kernel, stride, padding, ceil_mode,
                              count_include_pad, divisor_override)
    share = g / div.astype(g.dtype)
    out = zeros_padded(like, padding, g.dtype, extra)
    for rows, cols in where:
        out[:, :, rows, cols] += share
    return crop(out, like, padding)


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


AvgPool = Primitive("AvgPool", layout.forward(_avg_pool, _IMAGE),
                    layout.shape_rule(_avg_pool_rule, _IMAGE), family="nn",
                    doc="the mean of each kernel window")
AvgPoolGrad = Primitive("AvgPoolGrad", _avg_pool_grad, lambda g, like, **a: like,
                        dtype=first_dtype, family="nn",
                        doc="each window's share of g added back into an image shaped like "
                            "`like` (AvgPool's adjoint)")
AvgPool.defvjp(layout.vjp(lambda g, x, out, **attrs: AvgPoolGrad.bind(g, x, **attrs),
                          ("image", None), "image"))
AvgPoolGrad.defvjp(lambda gg, g, like, out, **attrs: AvgPool.bind(gg, **attrs), None, reads=())


# --- the op functions ----------------------------------------------------------

def _pair(v):
    return (int(v), int(v)) if isinstance(v, (int, np.integer)) else tuple(int(a) for a in v)


def max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               data_format="NCHW"):
    """The largest value of each window of x (N, C, H, W), or (N, H, W, C) with
    ``data_format="NHWC"``; the stride defaults to the kernel size. Padding counts
    as -inf."""
    k = _pair(kernel_size)
    attrs = {"kernel": k, "stride": _pair(stride) if stride else k, "padding": _pair(padding),
             "dilation": _pair(dilation), "ceil_mode": bool(ceil_mode)}
    return bind(MaxPool, (x,), _with_format(attrs, data_format))


def _with_format(attrs, data_format):
    return attrs if data_format == "NCHW" else dict(attrs, data_format=data_format)


def avg_pool2d(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None, data_format="NCHW"):
    """The mean of each window of x (N, C, H, W), or (N, H, W, C) with
    ``data_format="NHWC"``; the stride defaults to the kernel size."""
    k = _pair(kernel_size)
    attrs = {"kernel": k, "stride": _pair(stride) if stride else k, "padding": _pair(padding),
             "ceil_mode": bool(ceil_mode), "count_include_pad": bool(count_include_pad),
             "divisor_override": divisor_override}
    return bind(AvgPool, (x,), _with_format(attrs, data_format))


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
