"""Normalization over features as plain functions: ``F.layer_norm``,
``F.group_norm`` and ``F.rms_norm`` (PyTorch's names, arguments and checks).

Each is a composition of tinyflow's ops (mean, rsqrt, reshape...), so its
gradient comes from the primitive registry. Unlike ``batch_norm`` they keep no
running statistics: every sample is normalized on its own.

>>> import tinyflow as tf
>>> import tinyflow.nn.functional as F
>>> F.layer_norm(tf.tensor([[1.0, 3.0]]), (2,))
tensor([[-1.0000,  1.0000]])
"""
import numbers

import numpy as np

from .. import ops
from ..base.errors import ShapeError
from . import checks


def normalized_shape_arg(owner, value, ints_allowed=True):
    """``normalized_shape`` as a tuple of ints. Modules take one int too (``LayerNorm(8)``);
    the functions, as in PyTorch, want a tuple or list (a TypeError otherwise)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        if not ints_allowed:
            raise TypeError(f"{owner}(): argument 'normalized_shape' must be a tuple of ints, "
                            f"not int (write ({value},))")
        value = (value,)
    try:
        items = tuple(value)
    except TypeError:
        raise TypeError(f"{owner}: normalized_shape must be an int or a tuple of ints, got "
                        f"{type(value).__name__} {value!r}") from None
    if isinstance(value, str) or not all(isinstance(v, numbers.Integral) and
                                         not isinstance(v, bool) for v in items):
        raise TypeError(f"{owner}: normalized_shape must be an int or a tuple of ints, got "
                        f"{value!r}")
    if any(v < 0 for v in items):
        raise RuntimeError(f"{owner}: normalized_shape {items} has a negative size (trying to "
                           f"create tensor with negative dimension)")
    return tuple(int(v) for v in items)


def _trailing(fn, x, shape, star="*, "):
    """The axes ``shape`` covers at the end of x; a RuntimeError (PyTorch's words) if x
    does not end with it."""
    n = len(shape)
    if not n:
        raise RuntimeError(f"{fn}(): Expected normalized_shape to be at least 1-dimensional, "
                           f"i.e., containing at least one element, but got normalized_shape = []")
    known = list(x.shape[x.ndim - n:])
    if x.ndim < n or any(d is not None and d != s for d, s in zip(known, shape)):
        raise ShapeError(f"{fn}(): Given normalized_shape={list(shape)}, expected input with "
                         f"shape [{star}{', '.join(map(str, shape))}], but got input of "
                         f"size{list(x.shape)}")
    return tuple(range(x.ndim - n, x.ndim))


def _affine_shape(fn, name, t, shape):
    if t is not None and tuple(t.shape) != tuple(shape):
        raise ShapeError(f"{fn}(): Expected {name} to be of same shape as normalized_shape, but "
                         f"got {name} of shape {list(t.shape)} and normalized_shape = "
                         f"{list(shape)}")


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Normalize over the last ``len(normalized_shape)`` dimensions of each sample to
    mean 0 and (biased) variance 1, then scale by ``weight`` and shift by ``bias``:
    ``(x - mean) / sqrt(var + eps) * weight + bias``.

    >>> import tinyflow as tf
    >>> layer_norm(tf.tensor([[0.0, 2.0, 4.0]]), [3], bias=tf.tensor([1.0, 1.0, 1.0]))
    tensor([[-0.2247,  1.0000,  2.2247]])
    """
    shape = normalized_shape_arg("layer_norm", normalized_shape, ints_allowed=False)
    x = checks.tensor("layer_norm", "input", input)
    x = checks.floating("layer_norm", "input", x, "LayerNormKernelImpl")
    axes = _trailing("layer_norm", x, shape)
    _affine_shape("layer_norm", "weight", weight, shape)
    _affine_shape("layer_norm", "bias", bias, shape)
    centered = x - ops.mean(x, axes, keepdims=True)
    var = ops.mean(centered * centered, axes, keepdims=True)
    y = centered * ops.rsqrt(var + eps)
    if weight is not None:
        y = y * weight
    if bias is not None:
        y = y + bias
    return y


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """Split the channels (dimension 1) of x (N, C, ...) into ``num_groups`` groups and
    normalize each group of each sample over its channels and positions; then a
    ``weight`` and a ``bias`` per channel. One group is layer norm over (C, ...);
    C groups is instance norm.

    >>> import tinyflow as tf
    >>> group_norm(tf.tensor([[1.0, 3.0, 10.0, 30.0]]), 2)
    tensor([[-1.0000,  1.0000, -1.0000,  1.0000]])
    """
    x = checks.floating("group_norm", "input", checks.tensor("group_norm", "input", input))
    if x.ndim < 2:
        raise ShapeError(f"group_norm(): Expected at least 2 dimensions for input tensor but "
                         f"received {x.ndim} (input of shape {tuple(x.shape)}; want (N, C, ...))")
    c = x.shape[1]
    if not isinstance(num_groups, numbers.Integral) or num_groups <= 0 or c % num_groups:
        raise ShapeError(f"group_norm(): Expected number of channels in input to be divisible "
                         f"by num_groups, but got input of shape {list(x.shape)} and "
                         f"num_groups={num_groups}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != (c,):
            raise ShapeError(f"group_norm(): Expected {name} to be a vector of size equal to the "
                             f"number of channels in input, but got {name} of shape "
                             f"{list(t.shape)} and input of shape {list(x.shape)}")
    rest = tuple(x.shape[2:])
    grouped = ops.reshape(x, (-1, num_groups, c // num_groups) + rest)
    axes = tuple(range(2, grouped.ndim))
    centered = grouped - ops.mean(grouped, axes, keepdims=True)
    var = ops.mean(centered * centered, axes, keepdims=True)
    y = ops.reshape(centered * ops.rsqrt(var + eps), (-1, c) + rest)
    per_channel = (c,) + (1,) * len(rest)
    if weight is not None:
        y = y * ops.reshape(weight, per_channel)
    if bias is not None:
        y = y + ops.reshape(bias, per_channel)
    return y


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """Divide by the root mean square over the last ``len(normalized_shape)``
    dimensions, ``x / sqrt(mean(x**2) + eps) * weight`` (no centering, no bias).
    ``eps=None`` uses the machine epsilon of the input's dtype, as PyTorch does.

    >>> import tinyflow as tf
    >>> rms_norm(tf.tensor([[3.0, 4.0]]), [2], eps=0.0)
    tensor([[0.8485, 1.1314]])
    """
    shape = normalized_shape_arg("rms_norm", normalized_shape, ints_allowed=False)
    x = checks.floating("rms_norm", "input", checks.tensor("rms_norm", "input", input))
    axes = _trailing("rms_norm", x, shape, star="*")
    _affine_shape("rms_norm", "weight", weight, shape)
    if eps is None:
        eps = float(np.finfo(np.dtype(x.dtype)).eps)
    y = x * ops.rsqrt(ops.mean(x * x, axes, keepdims=True) + eps)
    return y if weight is None else y * weight
