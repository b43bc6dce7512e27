"""Convolutions as plain functions, beyond ``F.conv2d``: ``conv1d`` (a signal
(N, C, L) seen as an image of height 1) and the transposed convolutions
``conv_transpose1d`` and ``conv_transpose2d`` (the "deconvolutions" of autoencoders
and GAN generators), checked as PyTorch checks them.

A transposed convolution is Conv2D's adjoint in its input: one matrix product and
one col2im (``ops.conv.conv_transpose2d``), so its gradients come from the rules of
the registry's matmul and col2im. Its output size, per axis:
(n - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1.

>>> import tinyflow as tf
>>> conv_transpose2d(tf.ones(1, 1, 2, 2), tf.ones(1, 1, 3, 3), stride=2).shape
tinyflow.Size([1, 1, 5, 5])
>>> conv1d(tf.ones(1, 1, 5), tf.ones(1, 1, 2), padding="same")
tensor([[[2., 2., 2., 2., 1.]]])
"""
import numbers

import numpy as np

from .. import ops
from ..base.errors import ShapeError
from ..ops.primitive import is_symbolic
from . import checks


def padding_string(owner, padding, kernel, stride, dilation, error=RuntimeError):
    """'valid' or 'same' -> ((before, after), ...) per spatial axis, by PyTorch's rules:
    'same' (stride 1 only) pads dilation * (k - 1) in all, the odd one on the right.
    ``error``: PyTorch's layers raise ValueError here, its functions RuntimeError.

    >>> padding_string("conv1d", "same", (4,), (1,), (1,))
    ((1, 2),)
    """
    if padding not in ("valid", "same"):
        raise error(f"{owner}: Invalid padding string {padding!r}, should be one of "
                    f"{{'valid', 'same'}}")
    if padding == "valid":
        return tuple((0, 0) for _ in kernel)
    if any(s != 1 for s in stride):
        raise error(f"{owner}: padding='same' is not supported for strided convolutions, got "
                    f"stride={tuple(stride)}")
    reach = [d * (k - 1) for k, d in zip(kernel, dilation)]
    return tuple((r // 2, r - r // 2) for r in reach)


def same_dtypes(name, x, weight, bias):
    """PyTorch's RuntimeError when the weight or bias dtype is not the input's."""
    for what, t in (("weight", weight), ("bias", bias)):
        if t is not None and t.dtype != x.dtype:
            raise RuntimeError(f"{name}(): argument 'input' has dtype {x.dtype} but the {what} "
                               f"has dtype {t.dtype}; they should be the same (expected scalar "
                               f"type {t.dtype} but found {x.dtype}): convert the input, e.g. "
                               f"x.float()")


def _ints(name, arg, value, n):
    """An int or n ints (PyTorch: a TypeError for other types, a RuntimeError for a
    wrong count)."""
    v = checks.ints(name, arg, value, n)
    if len(v) != n:
        raise RuntimeError(f"{name}: expected {arg} to be a single integer value or a list of "
                           f"{n} values to match the convolution dimensions, but got "
                           f"{arg}={list(v)}")
    return v


def _arguments(name, x, weight, bias, stride, dilation, groups, dims, transposed):
    """The checks every convolution function makes, in PyTorch's words: x as a
    batch (and whether it was unbatched), weight, the stride and dilation."""
    x = checks.tensor(name, "input", x)
    if x.ndim not in (dims + 1, dims + 2):
        raise RuntimeError(f"{name}: Expected {dims + 1}D (unbatched) or {dims + 2}D (batched) "
                           f"input to {name}, but got input of size: {list(x.shape)}")
    weight = checks.tensor(name, "weight", weight)
    if weight.ndim != dims + 2:
        order = "in_channels, out_channels / groups" if transposed else \
            "out_channels, in_channels / groups"
        raise RuntimeError(f"{name}: expected a {dims + 2}-D weight ({order}, then the kernel's "
                           f"{dims} size{'s' if dims > 1 else ''}), got weight of size "
                           f"{list(weight.shape)}")
    same_dtypes(name, x, weight, bias)
    if not isinstance(groups, numbers.Integral) or isinstance(groups, bool) or groups <= 0:
        raise RuntimeError(f"{name}: non-positive groups is not supported, got groups={groups!r}")
    stride = _ints(name, "stride", stride, dims)
    dilation = _ints(name, "dilation", dilation, dims)
    if any(d <= 0 for d in dilation):
        raise RuntimeError(f"{name}: dilation should be greater than zero, got dilation="
                           f"{dilation}")
    if weight.shape[0] % groups:
        raise RuntimeError(f"{name}: Given groups={groups}, expected weight to be divisible by "
                           f"{groups} at dimension 0, but got weight of size "
                           f"{list(weight.shape)} instead")
    unbatched = x.ndim == dims + 1
    if unbatched:
        x = ops.expand_dims(x, 0)
    channels = weight.shape[0] if transposed else weight.shape[1] * groups
    if x.shape[1] is not None and x.shape[1] != channels:
        raise RuntimeError(f"{name}: Given {'transposed=1' if transposed else f'groups={groups}'}"
                           f", weight of size {list(weight.shape)}, expected input"
                           f"{list(x.shape)} to have {channels} channels, but got {x.shape[1]} "
                           f"channels instead")
    out_channels = weight.shape[1] * groups if transposed else weight.shape[0]
    if bias is not None and tuple(bias.shape) != (out_channels,):
        raise RuntimeError(f"{name}: Given weight of size {list(weight.shape)}, expected bias to "
                           f"be 1-dimensional with {out_channels} elements, but got bias of "
                           f"size {list(bias.shape)} instead")
    return x, weight, stride, dilation, unbatched


def _finish(y, bias, unbatched, dims):
    if bias is not None:
        y = y + ops.reshape(bias, (-1,) + (1,) * dims)
    return ops.squeeze(y, 0) if unbatched else y


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D convolution of x (N, C, L) or (C, L) with weight (O, C/groups, k), plus a
    bias per channel: Conv2D on (N, C, 1, L). ``padding`` may be an int, 'valid' or
    'same' (stride 1; an odd total pads one more on the right, as in PyTorch).

    >>> import tinyflow as tf
    >>> conv1d(tf.tensor([[[1.0, 2.0, 3.0]]]), tf.tensor([[[1.0, -1.0]]]))
    tensor([[[-1., -1.]]])
    """
    x, weight, stride, dilation, unbatched = _arguments("conv1d", input, weight, bias, stride,
                                                        dilation, groups, 1, False)
    kernel = tuple(weight.shape[2:])
    extra = 0                     # 'same' with an odd total: one more zero on the right
    if isinstance(padding, str):
        (before, after), = padding_string("conv1d", padding, kernel, stride, dilation)
        padding, extra = (after,), after - before
    else:
        padding = _ints("conv1d", "padding", padding, 1)
    checks.window("conv1d", kernel, stride, padding, n=1)
    span, length = dilation[0] * (kernel[0] - 1) + 1, x.shape[2]
    if length is not None and length + 2 * padding[0] < span:
        raise RuntimeError(f"conv1d: Calculated padded input size per channel: "
                           f"({length + 2 * padding[0]}). Kernel size: ({span}). Kernel size "
                           f"can't be greater than actual input size")
    y = ops.conv2d(ops.expand_dims(x, 2), ops.expand_dims(weight, 2), (1, stride[0]),
                   (0, padding[0]), (1, dilation[0]), int(groups))
    y = ops.squeeze(y, 2)
    if extra:                     # padded one too many on the left: its output goes
        y = y[:, :, extra:]
    return _finish(y, bias, unbatched, 1)


def output_sizes(name, sizes, kernel, stride, padding, output_padding, dilation):
    """A transposed convolution's output size along each axis (PyTorch's checks).

    >>> output_sizes("conv_transpose2d", (7, 7), (4, 4), (2, 2), (1, 1), (0, 0), (1, 1))
    (14, 14)
    """
    if None in sizes:
        raise ShapeError(f"{name}: the input's spatial sizes must be known when the op is "
                         f"built (only the batch may be unknown), got {tuple(sizes)}")
    if any(p < 0 for p in padding):
        raise RuntimeError(f"{name}: negative padding is not supported, got padding={padding}")
    if any(p < 0 for p in output_padding):
        raise RuntimeError(f"{name}: negative output_padding is not supported, got "
                           f"output_padding={output_padding}")
    if any(s <= 0 for s in stride):
        raise RuntimeError(f"{name}: non-positive stride is not supported, got stride={stride}")
    if any(k <= 0 for k in kernel):
        raise RuntimeError(f"{name}: kernel size should be greater than zero, got kernel size "
                           f"{kernel}")
    if any(op >= s and op >= d for op, s, d in zip(output_padding, stride, dilation)):
        raise RuntimeError(f"{name}: output padding must be smaller than either stride or "
                           f"dilation, but got output_padding={output_padding}, stride={stride}"
                           f", dilation={dilation}")
    out = tuple((n - 1) * s - 2 * p + d * (k - 1) + op + 1
                for n, k, s, p, op, d in zip(sizes, kernel, stride, padding, output_padding,
                                             dilation))
    if any(o is not None and o < 1 for o in out):
        raise RuntimeError(f"{name}: Given input size per channel: "
                           f"({' x '.join(map(str, sizes))}). Calculated output size per "
                           f"channel: ({' x '.join(map(str, out))}). Output size is too small")
    return out


def _zeros(x, tail):
    """Zeros (N,) + tail in x's dtype, N being x's batch: eagerly a free broadcast view;
    in a graph (whose batch may be unknown, and which should not store a constant that
    big), zeros_like(x[:, :1, :1, :1]) broadcast by an addition."""
    dtype = np.dtype(x.dtype)
    if not is_symbolic(x):
        return np.broadcast_to(np.zeros((), dtype), (x.shape[0],) + tuple(tail))
    return ops.zeros_like(x[:, :1, :1, :1]) + np.zeros((1,) + tuple(tail), dtype)


def _grow(y, x, axis, size):
    """y with zeros appended along ``axis`` (2 or 3) up to ``size``."""
    have = y.shape[axis]
    if have >= size:
        return y
    tail = list(y.shape[1:])
    tail[axis - 1] = size - have
    return ops.concat([y, _zeros(x, tail)], axis)


def _transposed(x, weight, stride, padding, output_padding, dilation, groups, out):
    """The 2-D transposed convolution of a batch x into (N, C, *out). When col2im can
    write the output directly (its adjoint, im2col, then finds the input's size again:
    output_padding < stride, and an output at least 1 without it), one op; otherwise
    the whole uncropped image, cut to the output and padded with zeros."""
    channels = weight.shape[1] * groups
    full = [(n - 1) * s + d * (k - 1) + 1 for n, k, s, d in
            zip(x.shape[2:], weight.shape[2:], stride, dilation)]
    if all(op < s and f - 2 * p >= 1
           for f, s, p, op in zip(full, stride, padding, output_padding)):
        return ops.conv.conv_transpose2d(x, weight, _zeros(x, (channels,) + tuple(out)),
                                         stride, padding, dilation, groups)
    y = ops.conv.conv_transpose2d(x, weight, _zeros(x, (channels,) + tuple(full)), stride,
                                  0, dilation, groups)
    (ph, pw), (oh, ow) = padding, out
    y = y[:, :, ph:ph + oh, pw:pw + ow]
    return _grow(_grow(y, x, 2, oh), x, 3, ow)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """2-D transposed convolution of x (N, C_in, H, W) or (C_in, H, W) with weight
    (C_in, C_out / groups, kh, kw) -- note the order, PyTorch's -- plus a bias per
    output channel: each input pixel spreads a weighted kh x kw patch into the output,
    ``stride`` pixels apart. ``padding`` crops that many pixels from each side,
    ``output_padding`` (< stride or < dilation) adds rows and columns at the bottom
    and right (to undo a strided Conv2d's rounding).

    >>> import tinyflow as tf
    >>> conv_transpose2d(tf.ones(1, 1, 2, 2), tf.ones(1, 1, 2, 2), stride=2)
    tensor([[[[1., 1., 1., 1.],
              [1., 1., 1., 1.],
              [1., 1., 1., 1.],
              [1., 1., 1., 1.]]]])
    """
    x, weight, stride, dilation, unbatched = _arguments(
        "conv_transpose2d", input, weight, bias, stride, dilation, groups, 2, True)
    padding = _ints("conv_transpose2d", "padding", padding, 2)
    output_padding = _ints("conv_transpose2d", "output_padding", output_padding, 2)
    out = output_sizes("conv_transpose2d", tuple(x.shape[2:]), tuple(weight.shape[2:]),
                       stride, padding, output_padding, dilation)
    y = _transposed(x, weight, stride, padding, output_padding, dilation, int(groups), out)
    return _finish(y, bias, unbatched, 2)


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """1-D transposed convolution of x (N, C_in, L) or (C_in, L) with weight
    (C_in, C_out / groups, k): ``conv_transpose2d`` on (N, C_in, 1, L).

    >>> import tinyflow as tf
    >>> conv_transpose1d(tf.ones(1, 1, 3), tf.ones(1, 1, 2))
    tensor([[[1., 2., 2., 1.]]])
    """
    x, weight, stride, dilation, unbatched = _arguments(
        "conv_transpose1d", input, weight, bias, stride, dilation, groups, 1, True)
    padding = _ints("conv_transpose1d", "padding", padding, 1)
    output_padding = _ints("conv_transpose1d", "output_padding", output_padding, 1)
    out = output_sizes("conv_transpose1d", tuple(x.shape[2:]), tuple(weight.shape[2:]),
                       stride, padding, output_padding, dilation)
    y = _transposed(ops.expand_dims(x, 2), ops.expand_dims(weight, 2), (1,) + stride,
                    (0,) + padding, (0,) + output_padding, (1,) + dilation, int(groups),
                    (1,) + out)
    return _finish(ops.squeeze(y, 2), bias, unbatched, 1)
