"""``F.interpolate``: resizing (N, C, L), (N, C, H, W) or (N, C, D, H, W) inputs
to a ``size`` or by a ``scale_factor``, as PyTorch does it.

Every mode works one spatial axis at a time, and each is a composition, so its
gradient comes from the registry:

* 'nearest' and 'nearest-exact' pick input rows by index (one gather, ``x[..., i, j]``;
  for a whole-number factor, a broadcast and a reshape);
* 'linear', 'bilinear', 'trilinear' and 'area' multiply by a constant (out, in)
  matrix along each axis: two weights per row (linear), or an averaging window
  (area: adaptive average pooling), as ``adaptive_avg_pool2d`` does.

The source index of output i is PyTorch's: scale = in / out (or 1 / scale_factor
when one is given), nearest: floor(i * scale) in float32, nearest-exact:
floor((i + 0.5) * scale); linear: (i + 0.5) * scale - 0.5 (at least 0), or
i * (in - 1) / (out - 1) with ``align_corners=True``.

>>> import tinyflow as tf
>>> interpolate(tf.tensor([[[1.0, 2.0]]]), scale_factor=2)
tensor([[[1., 1., 2., 2.]]])
>>> interpolate(tf.tensor([[[1.0, 2.0]]]), size=4, mode="linear")
tensor([[[1.0000, 1.2500, 1.7500, 2.0000]]])
"""
import math
import numbers

import numpy as np

from .. import ops
from ..base.errors import ShapeError
from ..ops.pool import averaging_matrix
from . import checks

MODES = ("nearest", "linear", "bilinear", "bicubic", "trilinear", "area", "nearest-exact")
LINEAR = {"linear": 3, "bilinear": 4, "trilinear": 5}      # mode: the rank it needs
NEAREST = ("nearest", "nearest-exact", "area")             # the modes without align_corners


def _per_axis(name, value, dims, kind, cast):
    """A number or a sequence of ``dims`` numbers -> a list of ``dims`` of them."""
    if isinstance(value, (list, tuple)) or (hasattr(value, "__len__") and not
                                            isinstance(value, str) and np.ndim(value) == 1):
        values = list(value)
        if len(values) != dims:
            what = "output size" if kind == "size" else "scale_factor of shape"
            raise ValueError(f"interpolate: Input and {'output' if kind == 'size' else kind} "
                             f"must have the same number of spatial dimensions, but got input "
                             f"with {dims} spatial dimensions and {what} {tuple(values)}")
    else:
        values = [value] * dims
    return [cast(name, v) for v in values]


def _size(name, v):
    if isinstance(v, bool) or not isinstance(v, (numbers.Integral, np.integer)) and not (
            hasattr(v, "item") and np.ndim(v) == 0 and np.asarray(v).dtype.kind in "iu"):
        raise TypeError(f"{name}: size must be an int or a tuple of ints, got "
                        f"{type(v).__name__} {v!r}")
    return int(v)


def _scale(name, v):
    if isinstance(v, str) or not isinstance(v, (numbers.Real, np.generic)) and not (
            hasattr(v, "item") and np.ndim(v) == 0):
        raise TypeError(f"{name}: scale_factor must be a number or a tuple of numbers, got "
                        f"{type(v).__name__} {v!r}")
    return float(v)


def output_plan(x_shape, size, scale_factor, mode, recompute_scale_factor):
    """(output sizes, the scales the kernels use or None per axis), PyTorch's way: a
    scale_factor gives int(n * scale_factor) and is used as the scale itself.

    >>> output_plan((1, 1, 5, 5), None, 1.5, "nearest", None)
    ([7, 7], [1.5, 1.5])
    """
    dims = len(x_shape) - 2
    if size is not None and scale_factor is not None:
        raise ValueError("interpolate: only one of size or scale_factor should be defined")
    if size is None and scale_factor is None:
        raise ValueError("interpolate: either size or scale_factor should be defined")
    if size is not None:
        if recompute_scale_factor:
            raise ValueError("interpolate: recompute_scale_factor is not meaningful with an "
                             "explicit size.")
        return _per_axis("interpolate", size, dims, "size", _size), [None] * dims
    factors = _per_axis("interpolate", scale_factor, dims, "scale_factor", _scale)
    if any(not math.isfinite(f) for f in factors):
        raise RuntimeError(f"interpolate: scale_factor must be finite, got {scale_factor!r} "
                           f"(value cannot be converted to type int64_t without overflow)")
    sizes = [math.floor(n * f) if mode == "area" or recompute_scale_factor else int(n * f)
             for n, f in zip(x_shape[2:], factors)]
    if mode == "area" or recompute_scale_factor:
        return sizes, [None] * dims
    return sizes, factors


def nearest_index(n_in, n_out, scale, exact=False):
    """The input index each output reads, in PyTorch's float32 arithmetic.

    >>> nearest_index(3, 7, None).tolist(), nearest_index(3, 7, None, exact=True).tolist()
    ([0, 0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 1, 2, 2])
    """
    i = np.arange(n_out)
    s = np.float32(1.0 / scale) if scale is not None and scale > 0 else \
        np.float32(n_in) / np.float32(n_out)
    src = (i + 0.5) * np.float64(s) if exact else i.astype(np.float32) * s
    return np.minimum(np.floor(src.astype(np.float32)).astype(np.int64), n_in - 1)


def linear_matrix(n_in, n_out, scale, align_corners, dtype):
    """(n_out, n_in): row i holds the two weights of linear interpolation.

    >>> linear_matrix(2, 4, None, False, np.dtype(np.float64))
    array([[1.  , 0.  ],
           [0.75, 0.25],
           [0.25, 0.75],
           [0.  , 1.  ]])
    """
    i = np.arange(n_out)
    if n_out == n_in:
        return np.eye(n_out, dtype=dtype)
    if align_corners:
        s = dtype.type((n_in - 1) / (n_out - 1)) if n_out > 1 else dtype.type(0)
        src = s * i.astype(dtype)
    else:
        s = dtype.type(1.0 / scale) if scale is not None and scale > 0 else \
            dtype.type(n_in) / dtype.type(n_out)
        # rounded once, as PyTorch's kernel (a fused multiply-add) rounds it
        src = np.maximum((np.float64(s) * (i + 0.5) - 0.5).astype(dtype), 0)
    lo = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    hi = lo + (lo < n_in - 1)
    frac = np.clip(src - lo.astype(dtype), 0, 1).astype(dtype)
    cols = np.arange(n_in)
    return ((1 - frac)[:, None] * (cols == lo[:, None]) +
            frac[:, None] * (cols == hi[:, None])).astype(dtype)


def _along(x, a, axis):
    """The constant matrix a (out, in) applied along spatial ``axis`` of x."""
    nd = x.ndim
    if axis == nd - 1:
        return ops.matmul(x, a.T)
    if axis == nd - 2:
        return ops.matmul(a, x)
    shape = tuple(x.shape)                             # (N, C, D, H, W): D through (D, H*W)
    flat = ops.reshape(x, (-1, shape[1], shape[2], shape[3] * shape[4]))
    return ops.reshape(ops.matmul(a, flat), (-1, shape[1], a.shape[0], shape[3], shape[4]))


def _nearest(x, sizes, scales, exact):
    shape = tuple(x.shape)
    index = [nearest_index(n, m, s, exact) for n, m, s in zip(shape[2:], sizes, scales)]
    factors = [m // n if n and m % n == 0 else 0 for n, m in zip(shape[2:], sizes)]
    if None not in shape and all(f and np.array_equal(i, np.arange(len(i)) // f)
                                 for i, f in zip(index, factors)):
        # each input pixel repeated f times along each axis: a broadcast, whose
        # gradient is a sum (no scatter)
        tall = shape[:2] + sum(((n, 1) for n in shape[2:]), ())
        wide = shape[:2] + sum(((n, f) for n, f in zip(shape[2:], factors)), ())
        return ops.reshape(ops.broadcast_to(ops.reshape(x, tall), wide),
                           shape[:2] + tuple(sizes))
    dims = len(index)
    key = tuple(i.reshape((-1,) + (1,) * (dims - 1 - a)) for a, i in enumerate(index))
    return x[(slice(None), slice(None)) + key]


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """Resize ``input`` (N, C, *spatial) to ``size`` or by ``scale_factor`` (a number or
    one per spatial axis). Modes: 'nearest' and 'nearest-exact' (3-D to 5-D),
    'linear' (3-D), 'bilinear' (4-D), 'trilinear' (5-D) with ``align_corners``
    False (the default) or True, and 'area' (adaptive average pooling). 'bicubic'
    and ``antialias=True`` raise NotImplementedError.

    >>> import tinyflow as tf
    >>> interpolate(tf.ones(1, 3, 4, 4), scale_factor=2, mode="bilinear").shape
    tinyflow.Size([1, 3, 8, 8])
    """
    x = checks.tensor("interpolate", "input", input)
    if mode in NEAREST and align_corners is not None:
        raise ValueError("interpolate: align_corners option can only be set with the "
                         "interpolating modes: linear | bilinear | bicubic | trilinear")
    if align_corners is not None and not isinstance(align_corners, bool):
        raise TypeError(f"interpolate: align_corners must be a bool or None, got "
                        f"{type(align_corners).__name__} {align_corners!r}")
    if x.ndim < 3:
        raise NotImplementedError(f"interpolate: Input Error: Only 3D, 4D and 5D input Tensors "
                                  f"supported (got {x.ndim}D) for the modes: "
                                  f"{' | '.join(MODES)} (got {mode})")
    if None in tuple(x.shape[2:]):
        raise ShapeError(f"interpolate: the input's spatial sizes must be known when the op is "
                         f"built (only the batch may be unknown), got {tuple(x.shape)}")
    sizes, scales = output_plan(tuple(x.shape), size, scale_factor, mode,
                                recompute_scale_factor)
    if antialias:
        if not (mode in ("bilinear", "bicubic") and x.ndim == 4):
            raise ValueError("interpolate: Anti-alias option is restricted to bilinear, "
                             "bicubic, and lanczos modes and requires a 4-D tensor as input")
        raise NotImplementedError("interpolate: antialias=True is not supported by tinyflow")
    if mode in LINEAR and x.ndim != LINEAR[mode]:
        raise NotImplementedError(f"interpolate: Got {x.ndim}D input, but {mode} mode needs "
                                  f"{LINEAR[mode]}D input")
    if mode not in MODES or mode == "bicubic" or x.ndim > 5:
        what = "tinyflow has no bicubic" if mode == "bicubic" else \
            f"Only 3D, 4D and 5D input Tensors supported (got {x.ndim}D) for the modes: " \
            f"{' | '.join(MODES)}"
        raise NotImplementedError(f"interpolate: Input Error: {what} (got {mode})")
    if any(m <= 0 for m in sizes) and mode != "area" or any(n == 0 for n in x.shape[2:]):
        raise RuntimeError(f"interpolate: Input and output sizes should be greater than 0, but "
                           f"got input {tuple(x.shape[2:])} and output {tuple(sizes)}")
    if mode in ("nearest", "nearest-exact"):
        if x.dtype.kind != "f" and np.dtype(x.dtype) != np.uint8:
            checks.floating("interpolate", "input", x, "upsample_nearest")
        return _nearest(x, sizes, scales, mode == "nearest-exact")
    checks.floating("interpolate", "input", x, f"upsample_{mode}" if mode != "area" else
                    "adaptive_avg_pool")
    dtype = np.dtype(x.dtype)
    for axis, (n, m, s) in enumerate(zip(x.shape[2:], sizes, scales), start=2):
        a = averaging_matrix(n, m, dtype) if mode == "area" else \
            linear_matrix(n, m, s, bool(align_corners), dtype)
        x = _along(x, a, axis)
    return x
