"""TensorFlow's image ops -- ``tf.nn.conv2d``, ``max_pool``, ``avg_pool``, ``bias_add``
-- on tinyflow's Conv2D/MaxPool/AvgPool primitives with ``data_format="NHWC"``:
images in TensorFlow's default layout (N, H, W, C) and filters (kh, kw, in, out)
go in as they are, so a graph holds one ``Conv2D`` op, as TensorFlow's does
(ops/layout.py). With ``data_format="NCHW"`` the filter is transposed to
PyTorch's (out, in, kh, kw) first.

``padding="SAME"`` is TensorFlow's rule: the output has ceil(size / stride) pixels,
and the padding that needs is split with the odd one at the bottom (right). The
primitives pad both sides alike, so the odd row or column is appended first
(zeros for a convolution, -inf for max pooling). ``avg_pool`` with SAME averages
only real pixels: the window sums of the image over the window sums of a mask of
ones (both padded with zeros), as TensorFlow counts them.

>>> import numpy as np, tinyflow.compat.v1 as tf
>>> tf.reset_default_graph()
>>> img = tf.constant(np.arange(16.0, dtype=np.float32).reshape(1, 4, 4, 1))
>>> y = tf.nn.max_pool(img, ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding="SAME")
>>> y.shape, tf.Session().run(y)[0, :, :, 0]
(TensorShape([1, 2, 2, 1]), array([[10., 11.],
       [14., 15.]], dtype=float32))
"""
import numpy as np

from .. import ops as F
from ..base.errors import ShapeError
from ..graph.api import as_tensor, name_op, take_name
from ..graph.graph import get_default_graph
from ..graph.graph import building
from ..ops.shape_rules import fmt

_NHWC = (0, 3, 1, 2)          # (N, H, W, C) read as (N, C, H, W)


def _spatial(value, data_format, what, fn):
    """strides / dilations / ksize (an int, or 1, 2 or 4 numbers) -> (along H, along W)."""
    if value is None:
        return 1, 1
    v = [int(value)] if isinstance(value, (int, np.integer)) else [int(a) for a in value]
    if len(v) == 1:
        return v[0], v[0]
    if len(v) == 2:
        return tuple(v)
    if len(v) != 4:
        raise ValueError(f"{fn}(): argument '{what}' must be an int or a list of 1, 2 or 4 "
                         f"ints, got {value!r}")
    h, w, others = (v[1], v[2], (v[0], v[3])) if data_format == "NHWC" else \
        (v[2], v[3], (v[0], v[1]))
    if others != (1, 1):
        raise ValueError(f"{fn}(): argument '{what}' {value!r}: the batch and channel entries "
                         f"must be 1 (TensorFlow does not support {what} across them)")
    return h, w


def _pads(padding, size, k, s, d, fn):
    """(before, extra after) along one axis for TF's 'VALID' or 'SAME'."""
    if padding == "VALID":
        return 0, 0
    if size is None:
        raise ShapeError(f"{fn}(): padding='SAME' needs the height and width of the input "
                         f"when the graph is built")
    out = -(-size // s)
    total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
    return total // 2, total % 2


def _padding(padding, fn):
    p = padding
    if p not in ("SAME", "VALID"):
        raise ValueError(f"{fn}(): argument 'padding' must be 'SAME' or 'VALID', got "
                         f"{padding!r}")
    return p


def _format(data_format, fn):
    fmt_ = data_format or "NHWC"
    if fmt_ not in ("NHWC", "NCHW"):
        raise ValueError(f"{fn}(): argument 'data_format' must be 'NHWC' or 'NCHW', got "
                         f"{data_format!r}")
    return fmt_


def _check_rank(x, data_format, fn, what="input"):
    if x._shape is not None and len(x._shape) != 4:
        raise ShapeError(f"{fn}(): argument '{what}' must be 4-D ({data_format}), got "
                         f"{x.name} of shape {fmt(x._shape)}")


def _nchw_shape(shape, data_format):
    """x's static shape read as (N, C, H, W), whatever its layout."""
    shape = shape or (None,) * 4
    return tuple(shape) if data_format == "NCHW" else tuple(shape[i] for i in _NHWC)


def _extend(x, extra, fill, data_format="NCHW"):
    """x with ``extra`` = (rows, cols) more of ``fill`` at the bottom/right (TF's SAME
    padding puts the odd pixel there)."""
    rows, cols = (2, 3) if data_format == "NCHW" else (1, 2)
    for axis, n in ((rows, extra[0]), (cols, extra[1])):
        if n:
            edge = F.zeros_like(x[(slice(None),) * axis + (slice(0, n),)])
            x = F.concat([x, edge if fill == 0 else edge + fill], axis)
    return x


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True,
           data_format="NHWC", dilations=None, name=None, filters=None):
    """2-D convolution (cross-correlation) of ``input`` with ``filter`` of shape
    (kh, kw, in_channels, out_channels)."""
    fn = "conv2d"
    data_format, padding = _format(data_format, fn), _padding(padding, fn)
    g = get_default_graph()
    with building(g), g.name_scope(name or "Conv2D") as scope:
        x = as_tensor(input)
        w = as_tensor(filters if filter is None else filter)
        if w._shape is None or len(w._shape) != 4:
            raise ShapeError(f"{fn}(): argument 'filter' must be 4-D (kh, kw, in, out), got "
                             f"{w.name} of shape {fmt(w._shape)}")
        _check_rank(x, data_format, fn)
        size = _nchw_shape(x._shape, data_format)
        if None not in (size[1], w._shape[2]) and size[1] != w._shape[2]:
            raise ShapeError(f"{fn}(): Depth of input ({size[1]}) is not a multiple of "
                             f"input depth of filter ({w._shape[2]}): input {fmt(x._shape)} "
                             f"({data_format}), filter {fmt(w._shape)} (kh, kw, in, out)")
        (sh, sw), (dh, dw) = (_spatial(v, data_format, what, fn)
                              for v, what in ((strides, "strides"), (dilations, "dilations")))
        kh, kw = w._shape[0], w._shape[1]
        (ph, eh), (pw, ew) = (_pads(padding, size[2], kh, sh, dh, fn),
                              _pads(padding, size[3], kw, sw, dw, fn))
        dilated = {"dilation": (dh, dw)} if (dh, dw) != (1, 1) else {}
        if data_format == "NHWC":      # TF's own layout: one Conv2D op, as in TensorFlow
            y = F.conv2d(_extend(x, (eh, ew), 0.0, data_format), w, (sh, sw), (ph, pw),
                         data_format="NHWC", **dilated)
            return take_name(y, scope.rstrip("/"))
        y = F.conv2d(_extend(x, (eh, ew), 0.0, data_format), F.transpose(w, (3, 2, 0, 1)),
                     (sh, sw), (ph, pw), **dilated)
        return take_name(y, scope.rstrip("/"))


def _pool(value, ksize, strides, padding, data_format, fn):
    data_format, padding = _format(data_format, fn), _padding(padding, fn)
    x = as_tensor(value)
    _check_rank(x, data_format, fn, "value")
    (kh, kw), (sh, sw) = (_spatial(v, data_format, what, fn)
                          for v, what in ((ksize, "ksize"), (strides, "strides")))
    size = _nchw_shape(x._shape, data_format)
    (ph, eh), (pw, ew) = _pads(padding, size[2], kh, sh, 1, fn), _pads(padding, size[3], kw, sw,
                                                                         1, fn)
    return x, data_format, (kh, kw), (sh, sw), (ph, pw), (eh, ew)


def max_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):
    """The largest value of each ``ksize`` window (padding never wins: it is -inf)."""
    g = get_default_graph()
    with building(g), g.name_scope(name or "MaxPool") as scope:
        x, fmt_, k, s, p, extra = _pool(value if input is None else input, ksize,
                                        strides, padding, data_format, "max_pool")
        y = F.max_pool2d(_extend(x, extra, -np.inf, fmt_), k, s, p, data_format=fmt_)
        return take_name(y, scope.rstrip("/"))


def avg_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):
    """The mean of each ``ksize`` window, over the real pixels only (with SAME padding)."""
    g = get_default_graph()
    with building(g), g.name_scope(name or "AvgPool") as scope:
        x, fmt_, k, s, p, extra = _pool(value if input is None else input, ksize,
                                        strides, padding, data_format, "avg_pool")
        if p == (0, 0) and extra == (0, 0):
            y = F.avg_pool2d(x, k, s, data_format=fmt_)
        else:               # window sums of the image / window sums of where the image is
            sums = F.avg_pool2d(_extend(x, extra, 0.0, fmt_), k, s, p, data_format=fmt_)
            counts = F.avg_pool2d(_extend(F.ones_like(x), extra, 0.0, fmt_), k, s, p,
                                  data_format=fmt_)
            y = sums / counts
        return take_name(y, scope.rstrip("/"))


def bias_add(value, bias, data_format=None, name=None):
    """value + bias, the 1-D bias along the channels (last axis; axis 1 with NCHW)."""
    with building():
        x, b = as_tensor(value), as_tensor(bias)
        if (data_format or "NHWC") == "NCHW" and x.ndim > 2:
            out = x + F.reshape(b, (-1,) + (1,) * (x.ndim - 2))
        else:
            out = F.bias_add(x, b)
        return name_op(out, name or "BiasAdd")
