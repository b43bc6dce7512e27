"""Pooling as plain functions (``F.max_pool2d``, ``F.avg_pool2d``,
``F.adaptive_avg_pool2d``), checked as PyTorch checks them: (N, C, H, W) or
unbatched (C, H, W) inputs, kernel and stride > 0, 0 <= padding <= kernel / 2.

>>> import tinyflow as tf
>>> import tinyflow.nn.functional as F
>>> F.avg_pool2d(tf.ones(1, 1, 4, 4), 2).shape
tinyflow.Size([1, 1, 2, 2])
"""
import numbers

from .. import ops
from . import checks


def _window(name, x, kernel_size, stride, padding):
    kernel = checks.ints(name, "kernel_size", kernel_size)
    stride = kernel if stride is None or stride == () or stride == [] else \
        checks.ints(name, "stride", stride)
    padding = checks.ints(name, "padding", padding)
    checks.window(name, kernel, stride, padding)
    if any(2 * p > k for p, k in zip(padding, kernel)):
        raise RuntimeError(f"{name}: pad should be at most half of effective kernel size, but "
                           f"got padding={padding} and kernel_size={kernel}")
    return kernel, stride, padding


def _batched(name, x):
    x = checks.tensor(name, "input", x)
    unbatched = checks.image(name, x)
    if x.dtype.kind != "f":
        raise RuntimeError(f"{name}: expected a floating-point input, got dtype {x.dtype}")
    return (ops.expand_dims(x, 0) if unbatched else x), unbatched


def _check_output(name, x, out_h, out_w):
    if any(n is not None and n < 1 for n in (out_h, out_w)):
        raise RuntimeError(f"{name}: given input of shape {tuple(x.shape)}, the calculated output "
                           f"size is {out_h}x{out_w}: output size is too small")


def max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """The largest value of each window; the stride defaults to the kernel size.
    (``dilation``, ``ceil_mode`` and ``return_indices`` only at their defaults.)

    >>> import tinyflow as tf
    >>> max_pool2d(tf.arange(16.0).reshape(1, 1, 4, 4), 2)
    tensor([[[[ 5.,  7.],
              [13., 15.]]]])
    """
    if checks.ints("max_pool2d", "dilation", dilation) != (1, 1) or ceil_mode or return_indices:
        raise NotImplementedError(f"max_pool2d: dilation={dilation!r}, ceil_mode={ceil_mode!r}, "
                                  f"return_indices={return_indices!r} are not supported (only "
                                  f"dilation=1, ceil_mode=False, return_indices=False)")
    kernel, stride, padding = _window("max_pool2d", x, kernel_size, stride, padding)
    x, unbatched = _batched("max_pool2d", x)
    sizes = [ops.pool.out_size(n, k, s, p) for n, k, s, p in zip(x.shape[2:], kernel, stride, padding)]
    _check_output("max_pool2d", x, *sizes)
    y = ops.max_pool2d(x, kernel, stride, padding)
    return ops.squeeze(y, 0) if unbatched else y


def avg_pool2d(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """The mean of each window; the stride defaults to the kernel size. Windows that
    overlap the padding are divided by their full size (``count_include_pad``) or by
    the number of input elements they hold; ``divisor_override`` replaces both.

    >>> import tinyflow as tf
    >>> avg_pool2d(tf.ones(1, 1, 2, 2), 2, padding=1, count_include_pad=False)
    tensor([[[[1., 1.],
              [1., 1.]]]])
    """
    kernel, stride, padding = _window("avg_pool2d", x, kernel_size, stride, padding)
    if divisor_override is not None:
        if not isinstance(divisor_override, numbers.Integral):
            raise TypeError(f"avg_pool2d: divisor_override must be an int or None, got "
                            f"{type(divisor_override).__name__} {divisor_override!r}")
        if divisor_override == 0:
            raise RuntimeError("avg_pool2d: divisor must be not zero")
    x, unbatched = _batched("avg_pool2d", x)
    sizes = [ops.pool.out_size(n, k, s, p, ceil_mode)
             for n, k, s, p in zip(x.shape[2:], kernel, stride, padding)]
    _check_output("avg_pool2d", x, *sizes)
    y = ops.avg_pool2d(x, kernel, stride, padding, ceil_mode, count_include_pad,
                       None if divisor_override is None else int(divisor_override))
    return ops.squeeze(y, 0) if unbatched else y


def adaptive_output_size(name, output_size):
    """An int, or a pair of ints / None -> a pair (None keeps the input's size)."""
    if isinstance(output_size, numbers.Integral) and not isinstance(output_size, bool):
        pair = (int(output_size),) * 2
    elif isinstance(output_size, (tuple, list)) and all(
            v is None or isinstance(v, numbers.Integral) for v in output_size):
        pair = tuple(None if v is None else int(v) for v in output_size)
    else:
        raise TypeError(f"{name}: output_size must be an int or a tuple of 2 ints (or None), "
                        f"got {type(output_size).__name__} {output_size!r}")
    if len(pair) != 2:
        raise RuntimeError(f"{name}: output_size must be 2, got {output_size!r}")
    if any(v is not None and v < 0 for v in pair):
        raise RuntimeError(f"{name}: elements of output_size must be greater than or equal to "
                           f"0, got {output_size!r}")
    return pair


def adaptive_avg_pool2d(x, output_size):
    """Average pooling to a fixed output size (oh, ow) whatever the input's size:
    output (i, j) averages input rows floor(i*H/oh) .. ceil((i+1)*H/oh) and the same
    for columns, as in PyTorch. ``(1, 1)`` is global average pooling.

    >>> import tinyflow as tf
    >>> adaptive_avg_pool2d(tf.arange(16.0).reshape(1, 1, 4, 4), 1)
    tensor([[[[7.5000]]]])
    """
    pair = adaptive_output_size("adaptive_avg_pool2d", output_size)
    x, unbatched = _batched("adaptive_avg_pool2d", x)
    y = ops.adaptive_avg_pool2d(x, pair)
    return ops.squeeze(y, 0) if unbatched else y
