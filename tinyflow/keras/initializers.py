"""Initial values of weights, Keras's: ``glorot_uniform`` kernels and ``zeros``
biases by default. An initializer is called with a shape and a dtype and gives a
numpy array; random ones draw from tinyflow's generator (``tinyflow.manual_seed``)
unless given their own ``seed``.

>>> from tinyflow import keras
>>> keras.initializers.get("zeros")((2,), "float32")
array([0., 0.], dtype=float32)
>>> init = keras.initializers.GlorotUniform(seed=0)
>>> w = init((64, 10), "float64")
>>> bool(abs(w).max() <= (6 / (64 + 10)) ** 0.5)
True
"""
import math

import numpy as np

from ..base import rng
from ..nn.tf_initializers import compute_fans
from . import backend
from .saving.serialization import Registry


class Initializer:
    """Base class: ``init(shape, dtype=None) -> ndarray``."""

    def __call__(self, shape, dtype=None):
        raise NotImplementedError

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def _generator(self):
        # A seeded initializer repeats its values on every call, as in Keras.
        seed = getattr(self, "seed", None)
        return rng.generator() if seed is None else np.random.default_rng(seed)


def _dtype(dtype):
    return np.dtype(dtype or backend.floatx())


class Zeros(Initializer):
    def __call__(self, shape, dtype=None):
        return np.zeros(shape, _dtype(dtype))


class Ones(Initializer):
    def __call__(self, shape, dtype=None):
        return np.ones(shape, _dtype(dtype))


class Constant(Initializer):
    def __init__(self, value=0):
        self.value = value

    def __call__(self, shape, dtype=None):
        return np.broadcast_to(np.asarray(self.value, _dtype(dtype)), shape).copy()

    def get_config(self):
        v = self.value
        return {"value": v.tolist() if isinstance(v, np.ndarray) else v}


class RandomUniform(Initializer):
    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval, self.maxval, self.seed = minval, maxval, seed

    def __call__(self, shape, dtype=None):
        return self._generator().uniform(self.minval, self.maxval, shape).astype(_dtype(dtype))

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


class RandomNormal(Initializer):
    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev, self.seed = mean, stddev, seed

    def __call__(self, shape, dtype=None):
        g = self._generator()
        return (g.standard_normal(shape) * self.stddev + self.mean).astype(_dtype(dtype))

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


def _truncated(g, shape):
    """Standard normal samples, those beyond two standard deviations drawn again."""
    x = g.standard_normal(shape)
    bad = np.abs(x) > 2
    while bad.any():
        x[bad] = g.standard_normal(int(bad.sum()))
        bad = np.abs(x) > 2
    return x


class TruncatedNormal(RandomNormal):
    def __call__(self, shape, dtype=None):
        return (_truncated(self._generator(), shape) * self.stddev + self.mean).astype(
            _dtype(dtype))


class VarianceScaling(Initializer):
    """Samples scaled to the weight's fans: variance ``scale / n`` with n the fan_in,
    the fan_out or their average (``mode``)."""

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        if scale <= 0.0:
            raise ValueError(f"`scale` must be positive float. Received: scale={scale}.")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"Invalid `mode` argument: {mode}. Expected one of "
                             f"{{'fan_in', 'fan_out', 'fan_avg'}}")
        if distribution not in ("truncated_normal", "untruncated_normal", "normal", "uniform"):
            raise ValueError(f"Invalid `distribution` argument: {distribution}. Expected one "
                             f"of {{'uniform', 'truncated_normal', 'untruncated_normal'}}")
        self.scale, self.mode, self.distribution, self.seed = scale, mode, distribution, seed

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = compute_fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        var = self.scale / max(1.0, n)
        g = self._generator()
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * var)
            x = g.uniform(-limit, limit, shape)
        elif self.distribution in ("truncated_normal", "normal"):
            # 0.879... is the standard deviation of a unit normal truncated at +-2
            x = _truncated(g, shape) * (math.sqrt(var) / 0.87962566103423978)
        else:
            x = g.standard_normal(shape) * math.sqrt(var)
        return x.astype(_dtype(dtype))

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self.seed}


def _preset(name, scale, mode, distribution):
    def __init__(self, seed=None):
        VarianceScaling.__init__(self, scale, mode, distribution, seed)

    def get_config(self):
        return {"seed": self.seed}
    return type(name, (VarianceScaling,), {"__init__": __init__, "get_config": get_config,
                                            "__module__": __name__,
                                            "__doc__": f"VarianceScaling({scale}, {mode!r}, "
                                                       f"{distribution!r})"})


GlorotUniform = _preset("GlorotUniform", 1.0, "fan_avg", "uniform")
GlorotNormal = _preset("GlorotNormal", 1.0, "fan_avg", "truncated_normal")
HeUniform = _preset("HeUniform", 2.0, "fan_in", "uniform")
HeNormal = _preset("HeNormal", 2.0, "fan_in", "truncated_normal")
LecunUniform = _preset("LecunUniform", 1.0, "fan_in", "uniform")
LecunNormal = _preset("LecunNormal", 1.0, "fan_in", "truncated_normal")


def _float_dtype(dtype):
    dtype = _dtype(dtype)
    if dtype.kind != "f":
        raise ValueError(f"Expected floating point type, got <dtype: '{dtype.name}'>.")
    return dtype


class Orthogonal(Initializer):
    """``gain`` times an orthogonal matrix: the Q of the QR decomposition of a matrix
    of standard normal samples (signs fixed by R's diagonal). A shape
    (d1, ..., dn-1, dn) is made as a (d1 * ... * dn-1, dn) matrix, then reshaped; its
    columns are orthonormal, or its rows when there are fewer rows than columns.

    >>> import numpy as np
    >>> from tinyflow import keras
    >>> q = keras.initializers.Orthogonal(gain=2.0, seed=0)((4, 4), "float64")
    >>> bool(np.allclose(q.T @ q, 4 * np.eye(4)))
    True
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain, self.seed = gain, seed

    def __call__(self, shape, dtype=None):
        dtype = _float_dtype(dtype)
        if len(shape) < 2:
            raise ValueError(f"The tensor to initialize must be at least two-dimensional. "
                             f"Received: shape={shape} of rank {len(shape)}.")
        rows, cols = int(np.prod(shape[:-1])), int(shape[-1])
        a = self._generator().standard_normal((max(rows, cols), min(rows, cols)))
        q, r = np.linalg.qr(a)
        q = q * np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return (self.gain * q.reshape(shape)).astype(dtype)

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed}


class Identity(Initializer):
    """``gain`` times the identity matrix (``np.eye(rows, cols)``); 2-D shapes only.

    >>> from tinyflow import keras
    >>> keras.initializers.Identity(gain=3.0)((2, 3))
    array([[3., 0., 0.],
           [0., 3., 0.]], dtype=float32)
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        dtype = _float_dtype(dtype)
        if len(shape) != 2:
            raise ValueError(f"Identity matrix initializer can only be used for 2D matrices. "
                             f"Received: shape={shape} of rank {len(shape)}.")
        return (self.gain * np.eye(*shape)).astype(dtype)

    def get_config(self):
        return {"gain": self.gain}


ALL = {c.__name__: c for c in (Zeros, Ones, Constant, RandomUniform, RandomNormal,
                               TruncatedNormal, VarianceScaling, GlorotUniform, GlorotNormal,
                               HeUniform, HeNormal, LecunUniform, LecunNormal, Orthogonal,
                               Identity)}
ALIASES = {"zeros": Zeros, "zero": Zeros, "ones": Ones, "one": Ones, "constant": Constant,
           "uniform": RandomUniform, "random_uniform": RandomUniform,
           "normal": RandomNormal, "random_normal": RandomNormal,
           "truncated_normal": TruncatedNormal, "variance_scaling": VarianceScaling,
           "glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal,
           "he_uniform": HeUniform, "he_normal": HeNormal,
           "lecun_uniform": LecunUniform, "lecun_normal": LecunNormal,
           "orthogonal": Orthogonal, "identity": Identity}
_registry = Registry("initializer", {**ALL, **ALIASES})


def get(identifier):
    """An initializer from a name ('glorot_uniform'), a config dict, an instance or
    a callable ``f(shape, dtype)``."""
    return _registry.get(identifier)


def serialize(initializer):
    return _registry.serialize(initializer)


def deserialize(config, custom_objects=None):
    return _registry.get(config, custom_objects)
