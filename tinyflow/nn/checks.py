"""Checking layer arguments the way PyTorch does, with messages that name the
layer, the argument, what was expected and what came.

PyTorch raises TypeError for a size that is not an int (``nn.Linear(2.5, 3)``),
RuntimeError for a negative size, and accepts sizes of 0; a kernel, stride or
padding it accepts at construction is checked when the layer runs (RuntimeError).

>>> size("Linear", "in_features", 4)
4
>>> size("Linear", "in_features", 2.5)
Traceback (most recent call last):
...
TypeError: Linear: in_features must be an int, got float 2.5
"""
import numbers

import numpy as np

from ..base.args import operand_arg
from ..eager.tensor import operand


def _is_int(v):
    return isinstance(v, (numbers.Integral, np.integer))


def size(owner, name, value):
    """A size (features, channels, embeddings): an int >= 0."""
    if not _is_int(value):
        raise TypeError(f"{owner}: {name} must be an int, got {type(value).__name__} {value!r}")
    if value < 0:
        raise RuntimeError(f"{owner}: {name} must be >= 0, got {value} (a tensor cannot have "
                           f"a negative dimension)")
    return int(value)


def ints(owner, name, value, n=2):
    """An int or a tuple of ints (kernel_size, stride, padding) -> a tuple of n ints."""
    if _is_int(value):
        return (int(value),) * n
    if isinstance(value, (tuple, list)) and all(_is_int(v) for v in value):
        return tuple(int(v) for v in value)
    raise TypeError(f"{owner}: {name} must be an int or a tuple of {n} ints, got "
                    f"{type(value).__name__} {value!r}")


def window(owner, kernel, stride, padding, n=2):
    """Check kernel/stride/padding tuples as PyTorch's kernels do when a layer runs."""
    for name, v in (("kernel_size", kernel), ("stride", stride), ("padding", padding)):
        if len(v) != n:
            raise RuntimeError(f"{owner}: {name} must be an int or {n} ints, got {v}")
    if any(k <= 0 for k in kernel):
        raise RuntimeError(f"{owner}: kernel size should be greater than zero, got "
                           f"kernel_size={kernel}")
    if any(s <= 0 for s in stride):
        raise RuntimeError(f"{owner}: stride should be greater than zero, got stride={stride}")
    if any(p < 0 for p in padding):
        raise RuntimeError(f"{owner}: padding must be non-negative, got padding={padding}")


def probability(owner, p):
    """A dropout probability in [0, 1] (PyTorch's ValueError message; as in PyTorch, a
    bool counts as the number it is)."""
    if not isinstance(p, numbers.Real):
        raise TypeError(f"{owner}: p must be a number between 0 and 1, got "
                        f"{type(p).__name__} {p!r}")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{owner}: argument 'p': dropout probability has to be between 0 and 1, "
                         f"but got {p}")
    return p


def number(owner, name, value):
    """A real number (a slope, an alpha, a beta)."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{owner}: {name} must be a number, got {type(value).__name__} "
                        f"{value!r}")
    return value


def image(owner, x, batched_only=False):
    """(x, unbatched): an (N, C, H, W) input, or a (C, H, W) one seen as a batch of one."""
    if x.ndim == 4 or (x.ndim == 3 and not batched_only):
        return x.ndim == 3
    want = "4D (N, C, H, W)" if batched_only else "3D (C, H, W) or 4D (N, C, H, W)"
    raise RuntimeError(f"{owner}: expected a {want} input, got an input of shape "
                       f"{tuple(x.shape)}")


def tensor(fn, name, x):
    """An input as a tensor. tinyflow's layers and functions also take numpy arrays,
    lists and numbers (they become tensors); None, a string, a dict or a set is a
    TypeError naming the function and the argument, as in PyTorch."""
    return operand(operand_arg(fn, name, x))


def floating(fn, name, x, what=None):
    """A floating point input: PyTorch has no integer kernel for ``what`` (conv, batch
    norm, losses...) and raises NotImplementedError, which says so here too."""
    array = getattr(x, "array", None)      # an eager tensor's numpy dtype is quicker to ask
    if (array.dtype if array is not None else x.dtype).kind not in "fc":
        raise NotImplementedError(f"{fn}(): argument '{name}' must be a floating point tensor, "
                                  f"got dtype {x.dtype} (\"{what or fn}\" is not implemented "
                                  f"for integers: convert with .float())")
    return x
