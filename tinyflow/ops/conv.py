"""Convolution over images shaped (N, C, H, W), the im2col way.

``Im2Col`` gives every kernel window of an image as a strided *view*
(N, oh, ow, C, kh, kw): nothing is copied. ``Col2Im`` is its adjoint: it adds
windows back into an image, one strided addition per kernel offset (kh*kw of
them, whatever the size of the image).

``Conv2D`` copies that view once, into a matrix of "columns" (C*kh*kw rows, one
column per output pixel of every image), and multiplies the weight matrix
(O, C*kh*kw) by it: one matrix product (one per group) computes every output of
every image. Its vjp rules are written with the same ``im2col`` / ``col2im`` pair,
``transpose``, ``reshape`` and ``matmul``, so they run eagerly, build graph nodes,
and differentiate again like everything else. The input's rule is itself a
composite, ``conv_transpose2d`` -- the transposed convolution of GAN generators:
a product by the transposed weight, then col2im.

Memory layout, for speed. An image batch is (N, C, H, W) by shape, but the arrays
these ops make keep the batch as the *last* axis in memory: (C, H, W, N), seen
through a transposed view. Why: every loop here is over kernel offsets, and one
offset's slice of the images reads, in that layout, runs of ow*N neighbouring
numbers instead of ow. On the MNIST-sized CNN of bench/ (W4) the im2col copy
and col2im's additions run 3x and 2x faster, and the max-pooling after 2x; the
product's result (O, oh*ow*N) needs no copy to become the (N, O, oh, ow)
output; and the gradient that comes back keeps the layout, so the backward's
transposes are views too. The whole W4b training step takes 10-15% less time.
``BATCH_LAST = False`` (or ``ops.fast.use_fast_forwards(False)``) switches it
off: ordinary (N, C, H, W) arrays everywhere, the same results.

>>> import numpy as np
>>> from tinyflow.ops import conv
>>> conv.conv2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2))).shape
(1, 1, 2, 2)
"""
import numpy as np
from numpy.lib.stride_tricks import as_strided

from . import shape_rules
from ..base.errors import ShapeError
from . import layout
from .primitive import Primitive, bind, first_dtype
from .. import ops as F


def out_size(n, k, s, p, d=1):
    """The output size along one axis: input n, kernel k, stride s, padding p,
    dilation d (a dilated kernel spans d*(k-1)+1 pixels). None stays None."""
    return None if n is None else (n + 2 * p - d * (k - 1) - 1) // s + 1


BATCH_LAST = True        # the memory layout above; False: ordinary (N, C, H, W) arrays


def new_images(n, c, h, w, fill, dtype):
    """A new (N, C, H, W) array of ``fill``, batch last in memory (see above)."""
    if not BATCH_LAST:
        return np.full((n, c, h, w), fill, dtype)
    return np.full((c, h, w, n), fill, dtype).transpose(3, 0, 1, 2)


def pad(x, padding, fill=0.0, extra=(0, 0)):
    """x (N, C, H, W) with ``padding`` rows and columns of ``fill`` on each side (and
    ``extra`` more at the bottom and right, for pooling's ceil_mode), in a new array
    whose memory is (C, H, W, N): the layout described above. (No padding: x itself,
    so that im2col stays a view of it.)"""
    (ph, pw), (eh, ew), (n, c, h, w) = padding, extra, x.shape
    if not (ph or pw or eh or ew):
        return x
    out = new_images(n, c, h + 2 * ph + eh, w + 2 * pw + ew, fill, x.dtype)
    out[:, :, ph:ph + h, pw:pw + w] = x
    return out


def zeros_padded(like, padding, dtype, extra=(0, 0)):
    """Zeros shaped like ``pad(like, padding, extra=extra)``, batch last in memory."""
    (ph, pw), (eh, ew), (n, c, h, w) = padding, extra, np.shape(like)
    return new_images(n, c, h + 2 * ph + eh, w + 2 * pw + ew, 0, dtype)


def same_layout(a, like):
    """``a``, copied into the memory order of ``like`` when its own differs (a gradient
    reshaped from a Linear layer's, say). Each whole-array operation on two arrays of
    different orders reads one of them out of order; one copy first is cheaper than
    kh*kw such reads."""
    if np.argsort(a.strides).tolist() == np.argsort(like.strides).tolist():
        return a
    out = np.empty_like(like, dtype=a.dtype)
    out[...] = a
    return out


def crop(xp, like, padding):
    """The part of a padded array that lies over the image ``like``."""
    (ph, pw), (h, w) = padding, np.shape(like)[2:]
    return xp[:, :, ph:ph + h, pw:pw + w]


def patches(xp, kh, kw, stride, dilation):
    """Every window of an already padded xp (N, C, H, W), as a read-only strided
    view (N, C, kh, kw, oh, ow): element [n, c, i, j, y, x] is
    xp[n, c, y*stride + i*dilation, x*stride + j*dilation]."""
    n, c, h, w = xp.shape
    (sh, sw), (dh, dw) = stride, dilation
    oh, ow = out_size(h, kh, sh, 0, dh), out_size(w, kw, sw, 0, dw)
    bn, bc, bh, bw = xp.strides                      # bytes to the next image, channel, row, column
    return as_strided(xp, (n, c, kh, kw, oh, ow), (bn, bc, dh * bh, dw * bw, sh * bh, sw * bw),
                      writeable=False)


def offsets(kh, kw, oh, ow, stride, dilation):
    """For each kernel offset (i, j): the rows and columns of the padded input that
    it reads, one per output pixel, as a pair of slices. The loops over windows
    in this package are loops over these kh*kw offsets, never over pixels."""
    (sh, sw), (dh, dw) = stride, dilation
    return [(slice(i * dh, i * dh + (oh - 1) * sh + 1, sh),
             slice(j * dw, j * dw + (ow - 1) * sw + 1, sw))
            for i in range(kh) for j in range(kw)]


def _im2col(x, kh, kw, stride, padding, fill=0.0, dilation=(1, 1)):
    return patches(pad(x, padding, fill), kh, kw, stride, dilation).transpose(0, 4, 5, 1, 2, 3)


def _col2im(cols, like, kh, kw, stride, padding, fill=0.0, dilation=(1, 1)):
    oh, ow = cols.shape[1:3]
    out = zeros_padded(like, padding, cols.dtype)
    cols = cols.transpose(0, 3, 4, 5, 1, 2)           # (N, C, kh, kw, oh, ow): a view
    for k, (rows, columns) in enumerate(offsets(kh, kw, oh, ow, stride, dilation)):
        out[:, :, rows, columns] += cols[:, :, k // kw, k % kw]
    return crop(out, like, padding)


def _im2col_rule(s, kh, kw, stride, padding, fill=0.0, dilation=(1, 1)):
    if s is None:
        return None
    if len(s) != 4:
        raise ShapeError(f"Im2Col: expected an (N, C, H, W) input, got {shape_rules.fmt(s)}")
    n, c, h, w = s
    return (n, out_size(h, kh, stride[0], padding[0], dilation[0]),
            out_size(w, kw, stride[1], padding[1], dilation[1]), c, kh, kw)


Im2Col = Primitive("Im2Col", _im2col, _im2col_rule, family="nn",
                   doc="every kh x kw patch of x, as (N, oh, ow, C, kh, kw)")
Col2Im = Primitive("Col2Im", _col2im, lambda cols, like, **a: like, dtype=first_dtype, family="nn",
                   doc="patches added back into an image shaped like `like` (Im2Col's adjoint)")
Im2Col.defvjp(lambda g, x, out, kh, kw, stride, padding, fill=0.0, dilation=(1, 1):
              F.col2im(g, x, kh, kw, stride, padding, dilation))
Col2Im.defvjp(lambda g, cols, like, out, kh, kw, stride, padding, fill=0.0, dilation=(1, 1):
              F.im2col(g, kh, kw, stride, padding, dilation=dilation), None, reads=())


# --- convolution ---------------------------------------------------------------------

def pixel_axes():
    """The order of the columns' pixels, as axes of im2col's (N, oh, ow): (oh, ow, N)
    when images are kept batch last, else (N, oh, ow)."""
    return (1, 2, 0) if BATCH_LAST else (0, 1, 2)


def columns(x, w_shape, stride, padding, dilation, groups):
    """im2col copied once into the matrix the product wants: (G, C/G*kh*kw, pixels) for
    G groups, pixels = oh*ow*N (or N*oh*ow). Any tensor kind: the forward below and
    the weight's vjp share it."""
    o, cg, kh, kw = w_shape
    cols = F.im2col(x, kh, kw, stride, padding, dilation=dilation)    # (N, oh, ow, C, kh, kw) view
    cols = F.transpose(cols, (3, 4, 5) + pixel_axes())                 # (C, kh, kw, oh, ow, N) view
    return F.reshape(cols, (groups, cg * kh * kw, -1))                 # the one copy


def _conv2d(x, w, stride=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1):
    o, _, kh, kw = w.shape
    cols = columns(x, w.shape, stride, padding, dilation, groups)
    out = np.matmul(w.reshape(groups, o // groups, -1), cols)          # one GEMM per group
    sizes = (x.shape[0], out_size(x.shape[2], kh, stride[0], padding[0], dilation[0]),
             out_size(x.shape[3], kw, stride[1], padding[1], dilation[1]))
    pixels = pixel_axes()
    out = out.reshape((o,) + tuple(sizes[a] for a in pixels))         # (O, oh, ow, N)
    return out.transpose(1 + pixels.index(0), 0, 1 + pixels.index(1), 1 + pixels.index(2))


def _conv2d_rule(x, w, stride=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1):
    if x is None or w is None:
        return None
    if len(x) != 4 or len(w) != 4:
        raise ShapeError(f"Conv2D: expected input (N, C, H, W) and weight (O, C/groups, kh, kw), "
                         f"got {shape_rules.fmt(x)} and {shape_rules.fmt(w)}")
    if w[0] is not None and w[0] % groups:
        raise ShapeError(f"Conv2D: {w[0]} output channels (weight {shape_rules.fmt(w)}) cannot "
                         f"be split into {groups} groups")
    if x[1] is not None and w[1] is not None and x[1] != w[1] * groups:
        raise ShapeError(f"Conv2D: input has {x[1]} channels but the weight expects "
                         f"{w[1] * groups} ({w[1]} per group, {groups} group(s); input "
                         f"{shape_rules.fmt(x)}, weight {shape_rules.fmt(w)})")
    oh = out_size(x[2], w[2], stride[0], padding[0], dilation[0])
    ow = out_size(x[3], w[3], stride[1], padding[1], dilation[1])
    if (oh is not None and oh < 1) or (ow is not None and ow < 1):
        raise ShapeError(f"Conv2D: kernel {w[2]}x{w[3]} (dilation {dilation[0]}x{dilation[1]}) "
                         f"is larger than the padded input {shape_rules.fmt(x)}")
    return (x[0], w[0], oh, ow)


def _grad_matrix(g, groups):
    """The output's gradient g (N, O, oh, ow) as (G, O/G, pixels): the product's layout.
    (No copy when g has the layout of the forward's output, the usual case.)"""
    o = g.shape[1]
    g = F.transpose(g, (1,) + tuple((0, 2, 3)[a] for a in pixel_axes()))   # (O, oh, ow, N)
    return F.reshape(g, (groups, o // groups, -1))


def _conv_vjp_x(g, x, w, out, stride=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1):
    return conv_transpose2d(g, w, x, stride, padding, dilation, groups)


def _conv_vjp_w(g, x, w, out, stride=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1):
    cols = columns(x, w.shape, stride, padding, dilation, groups)      # (G, K, pixels)
    # cols @ g^T, then the small (G, K, O/G) result transposed: the same sums as
    # g @ cols^T, and OpenBLAS runs this orientation ~10% faster (W4b's second layer:
    # 5.9 ms instead of 6.5 ms, float32, one thread).
    gw = F.matmul(cols, _grad_matrix(g, groups), transpose_b=True)     # (G, K, O/G)
    return F.reshape(F.transpose(gw, (0, 2, 1)), tuple(w.shape))


# data_format="NHWC": TensorFlow's images (N, H, W, C) and filters (kh, kw, C, O),
# through transposed views (ops/layout.py).
_ROLES = ("image", "filter", None)          # x, w, and the output (the rules do not read it)
Conv2d = Primitive("Conv2D", layout.forward(_conv2d, _ROLES),
                   layout.shape_rule(_conv2d_rule, _ROLES), family="nn",
                   doc="2-D cross-correlation of (N, C, H, W) with (O, C, kh, kw)")
Conv2d.defvjp(layout.vjp(_conv_vjp_x, _ROLES, "image"), layout.vjp(_conv_vjp_w, _ROLES, "filter"))


# --- the op functions ----------------------------------------------------------

def _pair(v):
    return (int(v), int(v)) if isinstance(v, (int, np.integer)) else tuple(int(a) for a in v)


def conv2d(x, w, stride=1, padding=0, dilation=1, groups=1, data_format="NCHW"):
    """2-D cross-correlation: x (N, C, H, W), w (O, C/groups, kh, kw) -> (N, O, oh, ow).
    With ``groups`` G, the channels split into G groups and output group g sees only
    input group g; ``dilation`` spaces the kernel's taps that many pixels apart.
    ``data_format="NHWC"``: TensorFlow's x (N, H, W, C), w (kh, kw, C, O) -> (N, oh, ow, O)."""
    attrs = {"stride": _pair(stride), "padding": _pair(padding), "dilation": _pair(dilation),
             "groups": int(groups)}
    if data_format != "NCHW":
        attrs["data_format"] = data_format
    return bind(Conv2d, (x, w), attrs)


def conv_transpose2d(x, w, like, stride=1, padding=0, dilation=1, groups=1):
    """The transposed convolution, Conv2D's adjoint in its input (so also its vjp):
    x (N, O, h, w) through w (O, C/groups, kh, kw) into an image shaped like ``like``
    (N, C, H, W; only its shape is read). Each input pixel's O values times the
    weight make a C x kh x kw patch (one matrix product for all of them, per group),
    and col2im adds the patches into the image ``stride`` pixels apart, ``padding``
    cropped from each side. A composite: its gradients come from matmul's, reshape's,
    transpose's and col2im's rules.

    >>> import numpy as np
    >>> conv_transpose2d(np.ones((1, 1, 2, 2)), np.ones((1, 1, 2, 2)), np.empty((1, 1, 4, 4)),
    ...                  stride=2)[0, 0]
    array([[1., 1., 1., 1.],
           [1., 1., 1., 1.],
           [1., 1., 1., 1.],
           [1., 1., 1., 1.]])
    """
    o, cg, kh, kw = w.shape
    h, wd = x.shape[2], x.shape[3]
    w2 = F.reshape(w, (groups, o // groups, cg * kh * kw))
    cols = F.matmul(w2, _grad_matrix(x, groups), transpose_a=True)     # (G, C/G*kh*kw, pixels)
    pixels, sizes = pixel_axes(), (-1, h, wd)
    cols = F.reshape(cols, (groups * cg, kh, kw) + tuple(sizes[a] for a in pixels))
    back = tuple(3 + pixels.index(a) for a in (0, 1, 2))
    cols = F.transpose(cols, back + (0, 1, 2))          # im2col's layout (N, h, w, C, kh, kw)
    return F.col2im(cols, like, kh, kw, stride, padding, dilation)


def im2col(x, kh, kw, stride, padding, fill=0.0, dilation=1):
    """all kh x kw patches of x as (N, oh, ow, C, kh, kw) (a view: nothing is copied)."""
    return bind(Im2Col, (x,), {"kh": kh, "kw": kw, "stride": _pair(stride),
                               "padding": _pair(padding), "fill": fill,
                               "dilation": _pair(dilation)})


def col2im(cols, like, kh, kw, stride, padding, dilation=1):
    """patches summed back into an image shaped like ``like`` (im2col's adjoint)."""
    return bind(Col2Im, (cols, like), {"kh": kh, "kw": kw, "stride": _pair(stride),
                                       "padding": _pair(padding), "dilation": _pair(dilation)})
