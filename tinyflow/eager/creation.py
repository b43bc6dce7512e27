"""Making tensors: ``tensor``, ``zeros``, ``ones``, ``randn``... (PyTorch spellings).

Floats default to float32, as in PyTorch; pass ``dtype=tinyflow.float64`` for
gradient checks. Random tensors draw from tinyflow's seeded generator.

>>> import tinyflow as tf
>>> tf.zeros(2, 3).shape
(2, 3)
>>> tf.arange(3)
tensor([0, 1, 2])
"""
import numpy as np

from ..base import rng
from .tensor import Tensor, as_array

_F32 = np.dtype(np.float32)

__all__ = ["tensor", "as_tensor", "from_numpy", "zeros", "ones", "full", "empty", "eye", "arange",
           "linspace", "randn", "rand", "randint", "randperm", "zeros_like", "ones_like", "full_like",
           "randn_like", "rand_like"]


def _shape(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = size[0]
    return tuple(int(s) for s in size)


def _make(arr, requires_grad):
    t = Tensor._wrap(arr)
    if requires_grad:
        t.requires_grad_()
    return t


def tensor(data, dtype=None, requires_grad=False):
    """A new tensor holding a copy of ``data`` (a number, nested lists or an array)."""
    return Tensor(data, dtype=dtype, requires_grad=requires_grad)


def as_tensor(data, dtype=None):
    """``data`` as a tensor, without copying when it already is one."""
    if isinstance(data, Tensor) and (dtype is None or data.dtype == np.dtype(dtype)):
        return data
    return Tensor._wrap(as_array(data, dtype, "as_tensor"))


def from_numpy(array):
    """A tensor sharing memory with a numpy array (changes show in both)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy expects a numpy.ndarray, got {type(array).__name__}")
    return Tensor._wrap(as_array(array, None, "from_numpy"))


def zeros(*size, dtype=None, requires_grad=False):
    return _make(np.zeros(_shape(size), dtype or _F32), requires_grad)


def ones(*size, dtype=None, requires_grad=False):
    return _make(np.ones(_shape(size), dtype or _F32), requires_grad)


def full(size, fill_value, dtype=None, requires_grad=False):
    if dtype is None:
        dtype = _F32 if isinstance(fill_value, float) else np.asarray(fill_value).dtype
    return _make(np.full(_shape((size,)), fill_value, dtype), requires_grad)


def empty(*size, dtype=None, requires_grad=False):
    return zeros(*size, dtype=dtype, requires_grad=requires_grad)


def eye(n, m=None, dtype=None, requires_grad=False):
    return _make(np.eye(n, m, dtype=dtype or _F32), requires_grad)


def arange(start, end=None, step=1, dtype=None, requires_grad=False):
    """Like ``torch.arange``: integers give int64, any float gives float32."""
    if end is None:
        start, end = 0, start
    if dtype is None:
        dtype = _F32 if any(isinstance(v, float) for v in (start, end, step)) else np.int64
    return _make(np.arange(start, end, step, dtype=dtype), requires_grad)


def linspace(start, end, steps, dtype=None, requires_grad=False):
    return _make(np.linspace(start, end, steps, dtype=dtype or _F32), requires_grad)


def randn(*size, dtype=None, requires_grad=False):
    """Standard normal samples from tinyflow's generator (see ``manual_seed``)."""
    arr = rng.generator().standard_normal(_shape(size)).astype(dtype or _F32)
    return _make(arr, requires_grad)


def rand(*size, dtype=None, requires_grad=False):
    """Uniform samples in [0, 1)."""
    arr = rng.generator().random(_shape(size)).astype(dtype or _F32)
    return _make(arr, requires_grad)


def randint(low, high=None, size=(), dtype=None):
    if high is None:
        low, high = 0, low
    return Tensor._wrap(rng.generator().integers(low, high, _shape((size,)), dtype=dtype or np.int64))


def randperm(n):
    return Tensor._wrap(rng.generator().permutation(n).astype(np.int64))


def _like(x):
    return x.data if isinstance(x, Tensor) else np.asarray(x)


def zeros_like(x, dtype=None, requires_grad=False):
    return _make(np.zeros_like(_like(x), dtype=dtype), requires_grad)


def ones_like(x, dtype=None, requires_grad=False):
    return _make(np.ones_like(_like(x), dtype=dtype), requires_grad)


def full_like(x, fill_value, dtype=None, requires_grad=False):
    return _make(np.full_like(_like(x), fill_value, dtype=dtype), requires_grad)


def randn_like(x, dtype=None, requires_grad=False):
    a = _like(x)
    return randn(*a.shape, dtype=dtype or a.dtype, requires_grad=requires_grad)


def rand_like(x, dtype=None, requires_grad=False):
    a = _like(x)
    return rand(*a.shape, dtype=dtype or a.dtype, requires_grad=requires_grad)
