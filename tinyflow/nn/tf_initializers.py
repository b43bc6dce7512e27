"""Initializers for graph variables (``tf.glorot_uniform_initializer()`` and
friends): callables ``init(shape, dtype)`` that build the initial value."""
import numpy as np

from ..graph.api import constant, random_normal, random_uniform, truncated_normal, _seed


class Initializer:
    def __call__(self, shape, dtype=np.float32):
        raise NotImplementedError


class zeros_initializer(Initializer):
    def __init__(self, dtype=np.float32):
        self.dtype = dtype

    def __call__(self, shape, dtype=None):
        return constant(np.zeros(shape, dtype or self.dtype))


class ones_initializer(zeros_initializer):
    def __call__(self, shape, dtype=None):
        return constant(np.ones(shape, dtype or self.dtype))


class constant_initializer(Initializer):
    """Initialize with ``value`` (a number, or an array of exactly the variable's shape)."""

    def __init__(self, value=0.0, dtype=np.float32):
        self.value, self.dtype = value, dtype

    def __call__(self, shape, dtype=None):
        v = np.asarray(self.value, dtype=dtype or self.dtype)
        if v.ndim and tuple(v.shape) != tuple(shape):
            raise ValueError(f"constant_initializer: value has shape {v.shape}, the variable "
                             f"needs {tuple(shape)}")
        return constant(np.broadcast_to(v, shape).copy())


class random_normal_initializer(Initializer):
    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=np.float32):
        self.mean, self.stddev, self.seed, self.dtype = mean, stddev, seed, dtype

    def __call__(self, shape, dtype=None):
        return random_normal(shape, self.mean, self.stddev, dtype or self.dtype, _seed(self.seed))


class truncated_normal_initializer(random_normal_initializer):
    def __call__(self, shape, dtype=None):
        return truncated_normal(shape, self.mean, self.stddev, dtype or self.dtype, _seed(self.seed))


class random_uniform_initializer(Initializer):
    def __init__(self, minval=-0.05, maxval=0.05, seed=None, dtype=np.float32):
        self.minval, self.maxval, self.seed, self.dtype = minval, maxval, seed, dtype

    def __call__(self, shape, dtype=None):
        return random_uniform(shape, self.minval, self.maxval, dtype or self.dtype, _seed(self.seed))


class glorot_uniform_initializer(Initializer):
    """U(-limit, limit) with limit = sqrt(6 / (fan_in + fan_out)): TF1's default for layers."""

    def __init__(self, seed=None, dtype=np.float32):
        self.seed, self.dtype = seed, dtype

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = compute_fans(shape)
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        return random_uniform(shape, -limit, limit, dtype or self.dtype, _seed(self.seed))


class glorot_normal_initializer(glorot_uniform_initializer):
    def __call__(self, shape, dtype=None):
        fan_in, fan_out = compute_fans(shape)
        return truncated_normal(shape, 0.0, np.sqrt(2.0 / (fan_in + fan_out)) / .87962566103423978,
                                dtype or self.dtype, _seed(self.seed))


def compute_fans(shape):
    """(fan_in, fan_out) of a weight: a kernel (kh, kw, in, out) counts each of
    its kh * kw positions (TensorFlow's and Keras's rule).

    >>> compute_fans((3, 3, 16, 32)), compute_fans((64, 10)), compute_fans((5,))
    ((144, 288), (64, 10), (5, 5))
    """
    shape = tuple(shape)
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    return shape[-2] * receptive, shape[-1] * receptive
