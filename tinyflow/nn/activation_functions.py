"""More activations as plain functions: ``mish``, ``hardtanh``, ``relu6`` and
``softplus`` (re-exported by ``tinyflow.nn.functional``). Each is composed of
tinyflow's ops, so its gradient comes from the registry.

``inplace=True`` is accepted where PyTorch accepts it; the result is computed out
of place.

>>> import tinyflow as tf
>>> relu6(tf.tensor([-1.0, 3.0, 9.0]))
tensor([0., 3., 6.])
"""
import numbers

from .. import ops
from . import checks


def mish(input, inplace=False):
    """x * tanh(softplus(x)).

    >>> import tinyflow as tf
    >>> mish(tf.tensor([0.0, 1.0], dtype=tf.float64))
    tensor([0.0000, 0.8651], dtype=tinyflow.float64)
    """
    x = checks.floating("mish", "input", checks.tensor("mish", "input", input), "mish_cpu")
    return x * ops.tanh(ops.softplus(x))


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """x limited to [min_val, max_val]. As in PyTorch, the gradient is 1 strictly
    inside the interval and 0 on its ends and outside (``clamp``'s is 1 on the ends).

    >>> import tinyflow as tf
    >>> hardtanh(tf.tensor([-2.0, 0.5, 2.0]))
    tensor([-1.0000,  0.5000,  1.0000])
    """
    x = checks.tensor("hardtanh", "input", input)
    for name, v in (("min_val", min_val), ("max_val", max_val)):
        if not isinstance(v, numbers.Real):
            raise TypeError(f"hardtanh(): argument '{name}' must be a number, got "
                            f"{type(v).__name__} {v!r}")
    if min_val > max_val:
        raise ValueError(f"hardtanh: min_val cannot be greater than max_val, got min_val="
                         f"{min_val} and max_val={max_val}")
    limited = ops.clamp(x, min_val, max_val)
    if x.dtype.kind != "f":
        return ops.cast(limited, x.dtype)                  # integers: no gradient to route
    outside = ops.logical_or(x <= min_val, x >= max_val)   # (a NaN is inside, as in PyTorch)
    return ops.where(outside, ops.stop_gradient(limited), x)


def relu6(input, inplace=False):
    """min(max(x, 0), 6): ``hardtanh(x, 0, 6)``."""
    return hardtanh(input, 0.0, 6.0)


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + exp(beta * x)) / beta, and x itself where beta * x > threshold (as in
    PyTorch, for speed and to keep the gradient exactly 1 there).

    >>> import tinyflow as tf
    >>> softplus(tf.tensor([0.0, 30.0], dtype=tf.float64))
    tensor([ 0.6931, 30.0000], dtype=tinyflow.float64)
    """
    x = checks.tensor("softplus", "input", input)
    checks.floating("softplus", "input", x, "softplus_cpu")
    for name, v in (("beta", beta), ("threshold", threshold)):
        checks.number("softplus", name, v)
    scaled = x * beta if beta != 1 else x
    smooth = ops.softplus(scaled)
    if beta != 1:
        smooth = smooth / beta
    return ops.where(scaled > threshold, x, smooth)
