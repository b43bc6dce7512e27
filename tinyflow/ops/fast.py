"""The ops layer's speed tricks, in one place.

A primitive's forward in its family file is its definition: what the op
means, in plain numpy. A few primitives run so often in a training step -- the
sums and means of losses and of broadcast gradients -- that numpy's Python-level
wrappers around them show up in the step time. For those, this file gives a
faster forward that computes exactly the same result.

What they buy, measured with bench/'s workloads (eager, float64, one thread,
paired against hand-written numpy in one process, two runs each): on W1 (per-op
overhead, tiny tensors, where one sum and its broadcast gradient are two of the
ops) 4.60-4.85x of numpy without them, 4.45-4.54x with them; on W2 (the small MLP
step) 1.16x without, 1.14-1.17x with: within the noise.

Convolution and pooling have two more, measured on W4 (bench/README.md): max
pooling's backward writes its gradient in place when the windows tile the image
(below), and conv.py keeps images batch last in memory (its ``BATCH_LAST``).

Switch them off with ``use_fast_forwards(False)`` (every primitive then runs
its plain definition, on ordinary (N, C, H, W) arrays); ``tests/test_ops_forward.py``
checks every op both ways.

>>> import numpy as np
>>> from tinyflow.ops import reduce as R
>>> use_fast_forwards(False); a = R.Sum.forward(np.ones((2, 3)), axis=(1,))
>>> use_fast_forwards(True); b = R.Sum.forward(np.ones((2, 3)), axis=(1,))
>>> bool((a == b).all())
True
"""
import math

import numpy as np

from . import conv, pool
from .conv import crop, offsets, pad, same_layout
from .reduce import BroadcastLike, Mean, Sum


# np.sum and np.mean are Python functions that end in the ufunc's own reduce;
# for a float ndarray, calling np.add.reduce directly skips a few microseconds
# of argument handling per call.

def _sum(x, axis=None, keepdims=False):
    if x.__class__ is np.ndarray and x.dtype.kind == "f":
        return np.add.reduce(x, axis=axis, keepdims=keepdims)
    return np.sum(x, axis=axis, keepdims=keepdims)


def _mean(x, axis=None, keepdims=False):
    if x.__class__ is np.ndarray and x.dtype.kind == "f" and x.size:
        n = x.size if axis is None else math.prod(x.shape[a] for a in axis)
        return np.add.reduce(x, axis=axis, keepdims=keepdims) / n
    return np.mean(x, axis=axis, keepdims=keepdims)


# A scalar's gradient spread over a small array (a mean's, a sum's): filling a new
# array costs a tenth of what numpy.broadcast_to spends building a view.

def _broadcast_like(x, like):
    shape = like.shape if like.__class__ is np.ndarray else np.shape(like)
    if getattr(x, "ndim", None) == 0 and math.prod(shape) <= 4096:
        out = np.empty(shape, x.dtype)
        out[...] = x
        return out
    return np.broadcast_to(x, shape)


# Max pooling's backward (pool.py) adds each window's gradient into a zeroed image,
# since overlapping windows can share a pixel. When the windows tile the padded image
# exactly (MaxPool2d(2) on an even size: the usual case), each pixel belongs to one
# window at one kernel offset, so the gradient can be written in place, with nothing
# zeroed first. And the last kernel offset needs no comparison: every window whose
# maximum was not found at an earlier offset has it there (no NaN: checked). On
# bench/'s W4 MNIST-sized CNN (float32, one thread) the first pool's backward takes
# 2.6 ms of CPU time instead of pool.py's 4.4 ms (3.4 ms written in place alone).

def _max_pool_grad(g, x, pooled, kernel, stride, padding=(0, 0), dilation=(1, 1),
                   ceil_mode=False):
    oh, ow, extra = pool.geometry(x.shape, kernel, stride, padding, dilation, ceil_mode)
    xp = pad(x, padding, -np.inf, extra)
    tiles = dilation == (1, 1) and stride == kernel and xp.shape[2:] == (oh * kernel[0],
                                                                         ow * kernel[1])
    # (g * hit would turn an inf of g into NaN; a NaN is the maximum of its window)
    if not tiles or not np.isfinite(g).all() or np.isnan(pooled).any():
        return pool.MaxPoolGrad.plain_forward(g, x, pooled, kernel, stride, padding, dilation,
                                              ceil_mode)
    gxp, g = np.empty_like(xp, g.dtype), same_layout(g, pooled)
    where = offsets(*kernel, oh, ow, stride, dilation)
    free = np.ones_like(pooled, bool)              # windows whose maximum is not found yet
    hit = np.empty_like(free)
    for rows, cols in where[:-1]:
        np.equal(xp[:, :, rows, cols], pooled, out=hit)
        hit &= free                                # the first maximum only, as in pool.py
        free ^= hit
        np.multiply(g, hit, out=gxp[:, :, rows, cols])
    rows, cols = where[-1]
    np.multiply(g, free, out=gxp[:, :, rows, cols])
    return crop(gxp, x, padding)


FAST_FORWARDS = {Sum: _sum, Mean: _mean, BroadcastLike: _broadcast_like,
                 pool.MaxPoolGrad: _max_pool_grad}
for _prim, _fast in FAST_FORWARDS.items():
    _prim.speed_up(_fast)


def use_fast_forwards(on=True):
    """Run the faster forwards above (the default), or every op's plain definition;
    and keep images batch last in memory (conv.py's BATCH_LAST) or not."""
    for prim in FAST_FORWARDS:
        prim.use_fast_forward(on)
    conv.BATCH_LAST = on
