"""More of ``torch.nn.functional``: ``one_hot``, ``pad``, ``cosine_similarity``,
``normalize`` and ``silu`` (re-exported by tinyflow/nn/functional.py). Each is a
composition of tinyflow's ops, so gradients come from the primitive registry.

>>> import tinyflow as tf
>>> import tinyflow.nn.functional as F
>>> F.one_hot(tf.tensor([0, 2]), 3)
tensor([[1, 0, 0],
        [0, 0, 1]])
>>> F.pad(tf.tensor([[1.0, 2.0]]), (1, 2))
tensor([[0., 1., 2., 0., 0.]])
"""
import numpy as np

from .. import ops
from ..base.args import dim_arg
from ..ops.norms import vector_norm
from ..ops.primitive import is_symbolic, is_tensor
from . import checks


# --- one_hot --------------------------------------------------------------------

def one_hot(tensor, num_classes=-1):
    """Integer class indices (int64) -> rows of 0s with a 1 at each index, one more
    dimension of ``num_classes`` (-1: the largest index + 1); an int64 result.

    >>> import tinyflow as tf
    >>> one_hot(tf.tensor([1, 0]))
    tensor([[0, 1],
            [1, 0]])
    """
    if not is_tensor(tensor):
        raise TypeError(f"one_hot(): argument 'input' must be Tensor, not "
                        f"{type(tensor).__name__}")
    if np.dtype(tensor.dtype) != np.int64:
        raise RuntimeError(f"one_hot(): is only applicable to index tensor of type LongTensor "
                           f"(int64), got argument 'input' of dtype {np.dtype(tensor.dtype)}")
    n = int(num_classes)
    if not is_symbolic(tensor):
        values = tensor.array
        if n == -1:
            if values.size == 0:
                raise RuntimeError("one_hot(): Can not infer total number of classes from empty "
                                   "tensor: give num_classes")
            n = int(values.max()) + 1
        if values.size and values.min() < 0:
            raise RuntimeError(f"one_hot(): Class values must be non-negative, got "
                               f"{int(values.min())}")
        if values.size and values.max() >= n:
            raise RuntimeError(f"one_hot(): Class values must be smaller than num_classes, got "
                               f"{int(values.max())} for num_classes={num_classes}")
    elif n < 0:
        raise RuntimeError("one_hot(): a graph tensor's classes are known when it runs: give "
                           "num_classes")
    hits = ops.equal(ops.expand_dims(tensor, -1), np.arange(n))
    return ops.cast(hits, np.int64)


# --- pad --------------------------------------------------------------------------

_SUPPORTED = ("Supported combinations for non-constant padding:\n"
              "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
              "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
              "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")


def _pad_arg(pad):
    if not isinstance(pad, (list, tuple)):
        raise TypeError(f"pad(): argument 'pad' must be tuple of ints, not {type(pad).__name__}")
    for k, p in enumerate(pad):
        if isinstance(p, (bool, np.bool_)) or not isinstance(p, (int, np.integer)):
            raise TypeError(f"pad(): argument 'pad' must be tuple of ints, but found element of "
                            f"type {type(p).__name__} at pos {k}")
    return [int(p) for p in pad]


def _source_index(mode, left, right, n, dim, shape):
    """For each position of the padded dimension, where in the input it reads from."""
    i = np.arange(-left, n + right)
    if mode == "reflect":
        if max(left, right) >= n:
            raise RuntimeError(f"pad(): Padding size should be less than the corresponding input "
                               f"dimension, but got: padding ({left}, {right}) at dimension "
                               f"{dim} of input {list(shape)} (mode 'reflect')")
        i = np.abs(i)
        return np.where(i > n - 1, 2 * (n - 1) - i, i)
    if mode == "replicate":
        if n == 0:
            raise RuntimeError(f"pad(): cannot replicate an empty dimension {dim} of input "
                               f"{list(shape)}")
        return np.clip(i, 0, n - 1)
    if max(left, right) > n:
        raise RuntimeError(f"pad(): Padding value causes wrapping around more than once: padding "
                           f"({left}, {right}) at dimension {dim} of input {list(shape)} "
                           f"(mode 'circular')")
    return i % n


def pad(input, pad, mode="constant", value=None):
    """``input`` padded: ``pad`` gives (before, after) pairs for the last dimension, then
    the one before it, and so on. ``mode`` 'constant' fills with ``value`` (0) and takes
    negative pads (cropping); 'reflect', 'replicate' and 'circular' read the input's own
    edge values, for the last 1, 2 or 3 dimensions (as PyTorch's ``F.pad``).

    >>> import tinyflow as tf
    >>> pad(tf.tensor([[[1.0, 2.0, 3.0]]]), (2, 1), mode="reflect")
    tensor([[[3., 2., 1., 2., 3., 2.]]])
    """
    x = checks.tensor("pad", "input", input)
    pads = _pad_arg(pad)
    if len(pads) % 2:
        raise RuntimeError(f"pad(): Padding length must be divisible by 2, got {len(pads)}")
    n_dims, pairs = x.ndim, len(pads) // 2
    if pairs > n_dims:
        raise RuntimeError(f"pad(): Padding length should be less than or equal to two times the "
                           f"input dimension but got padding length {len(pads)} and input of "
                           f"dimension {n_dims}")
    if mode not in ("constant", "reflect", "replicate", "circular"):
        raise NotImplementedError(f"pad(): Unrecognised padding mode {mode}")
    shape = tuple(x.shape)
    if None in shape[n_dims - pairs:]:
        raise ValueError(f"pad(): the padded dimensions must have known sizes, got {shape}")
    if mode != "constant":
        if value is not None:
            raise RuntimeError(f"pad(): Padding mode \"{mode}\" doesn't take in value argument")
        if pairs not in (1, 2, 3) or n_dims not in (pairs + 1, pairs + 2):
            raise NotImplementedError(f"pad(): Padding size {len(pads)} is not supported for "
                                      f"{n_dims}D input tensor.\n{_SUPPORTED}")
    dtype = np.dtype(x.dtype)
    for k in range(pairs):
        d = n_dims - 1 - k
        left, right = pads[2 * k], pads[2 * k + 1]
        n = tuple(x.shape)[d]
        keep = (slice(None),) * d
        if mode != "constant":
            x = ops.getitem(x, keep + (_source_index(mode, left, right, n, d, shape),))
            continue
        if n + min(left, 0) + min(right, 0) < 0:
            raise RuntimeError(f"pad(): narrow(): length must be non-negative: the pads "
                               f"({left}, {right}) remove more than the {n} elements of "
                               f"dimension {d}")
        if left < 0 or right < 0:
            x = ops.getitem(x, keep + (slice(max(-left, 0), n - max(-right, 0)),))
        if left > 0 or right > 0:
            fill = 0 if value is None else value
            x = ops.concat([_block(x, d, max(left, 0), fill, dtype), x,
                            _block(x, d, max(right, 0), fill, dtype)], d)
    return x


def _block(x, d, m, fill, dtype):
    """A constant block shaped like x but ``m`` long along dimension d."""
    size = tuple(x.shape)
    return np.full(size[:d] + (m,) + size[d + 1:], fill, dtype=dtype)


# --- similarities and normalizing ----------------------------------------------------

def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """The cosine of the angle between x1 and x2 along ``dim`` (broadcast against each
    other): sum(x1 * x2) / (||x1|| ||x2||), each norm at least ``eps``. As in PyTorch,
    a norm raised to ``eps`` passes the gradient of the norm itself.

    >>> import tinyflow as tf
    >>> cosine_similarity(tf.tensor([[1.0, 0.0]]), tf.tensor([[1.0, 1.0]]))
    tensor([0.7071])
    """
    a = checks.tensor("cosine_similarity", "x1", x1)
    b = checks.tensor("cosine_similarity", "x2", x2)
    common = np.result_type(np.dtype(a.dtype), np.dtype(b.dtype))
    if common.kind != "f":
        raise RuntimeError(f"cosine_similarity(): expected common dtype to be floating point, "
                           f"yet common dtype is {common} (x1 {np.dtype(a.dtype)}, x2 "
                           f"{np.dtype(b.dtype)})")
    try:
        shape = np.broadcast_shapes(tuple(a.shape), tuple(b.shape))
    except ValueError:
        raise RuntimeError(f"cosine_similarity(): the shapes of x1 {tuple(a.shape)} and x2 "
                           f"{tuple(b.shape)} cannot be broadcast together") from None
    axis = dim_arg("cosine_similarity", "dim", dim, len(shape))
    if tuple(a.shape) != shape:
        a = ops.broadcast_to(a, shape)
    if tuple(b.shape) != shape:
        b = ops.broadcast_to(b, shape)

    def at_least_eps(n):         # the value max(n, eps), the gradient of n
        return n + ops.stop_gradient(ops.maximum(n, eps) - n)
    na = at_least_eps(vector_norm(a, 2, axis, True))
    nb = at_least_eps(vector_norm(b, 2, axis, True))
    return ops.sum((a / na) * (b / nb), axis)


def normalize(input, p=2.0, dim=1, eps=1e-12):
    """``input`` divided by its ``p``-norm along ``dim`` (at least ``eps``), as PyTorch's
    ``F.normalize``.

    >>> import tinyflow as tf
    >>> normalize(tf.tensor([[3.0, 4.0]]))
    tensor([[0.6000, 0.8000]])
    """
    x = checks.tensor("normalize", "input", input)
    axis = dim_arg("normalize", "dim", dim, x.ndim)
    return x / ops.clamp(vector_norm(x, p, axis, True), min=eps)


def silu(input, inplace=False):
    """x * sigmoid(x), the sigmoid linear unit (swish). ``inplace`` is accepted; the
    result is computed out of place.

    >>> import tinyflow as tf
    >>> silu(tf.tensor([0.0, 1.0]))
    tensor([0.0000, 0.7311])
    """
    x = checks.floating("silu", "input", checks.tensor("silu", "input", input), "silu_cpu")
    return x * ops.sigmoid(x)
