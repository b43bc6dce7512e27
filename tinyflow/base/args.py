"""Checking what a public function was given, with errors that name the
function, the argument, what was expected and what came -- PyTorch's error
types and wording where PyTorch has them.

>>> size_arg("zeros", "size", (2, "3"))
Traceback (most recent call last):
...
TypeError: zeros(): argument 'size' must be a tuple of ints, but got str at position 1 ('3')
>>> dim_arg("transpose", "dim1", 5, ndim=2)
Traceback (most recent call last):
...
IndexError: transpose(): argument 'dim1': Dimension out of range (expected to be in range of [-2, 1], but got 5)
>>> shape_arg("view", "shape", (-2, 3))
Traceback (most recent call last):
...
RuntimeError: view(): argument 'shape': invalid shape dimension -2 at index 0 of shape [-2, 3] (each size is >= 0, or -1 for the one inferred)
"""
import numbers

import numpy as np


def _is_int(v):
    """A Python or numpy integer, or an integer tensor with one element -- not a bool."""
    if isinstance(v, (bool, np.bool_)):
        return False
    if isinstance(v, (int, np.integer)):
        return True
    # a 0-d integer tensor or array (a dtype has ndim 0 and a kind too, but no item())
    return getattr(v, "ndim", None) == 0 and hasattr(v, "item") and \
        getattr(getattr(v, "dtype", None), "kind", "") in "iu"


def int_arg(fn, name, value, minimum=None):
    """``value`` as a Python int (refusing floats, strings, bools and None)."""
    if not _is_int(value):
        raise TypeError(f"{fn}(): argument '{name}' must be int, not {type(value).__name__}"
                        + (f" ({value!r})" if isinstance(value, (str, float)) else ""))
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{fn}(): argument '{name}' must be at least {minimum}, got {value}")
    return value


def _ints(fn, name, sizes):
    """ints, given one by one or as one tuple/list -> a list of Python ints (TypeError
    naming the first entry that is not an int)."""
    if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) or (
            len(sizes) == 1 and hasattr(sizes[0], "__iter__") and not isinstance(sizes[0], str)
            and getattr(sizes[0], "ndim", 1) != 0):
        sizes = tuple(sizes[0])
    out = []
    for i, s in enumerate(sizes):
        if not _is_int(s):
            where = f" at position {i}" if len(sizes) > 1 else ""
            shown = f" ({s!r})" if isinstance(s, (str, float)) else ""
            raise TypeError(f"{fn}(): argument '{name}' must be a tuple of ints, but got "
                            f"{type(s).__name__}{where}{shown}")
        out.append(int(s))
    return out


def size_arg(fn, name, sizes):
    """A size given as ints or as one tuple/list of ints (``zeros(2, 3)``,
    ``zeros((2, 3))``) -> a tuple of non-negative ints."""
    out = _ints(fn, name, sizes)
    bad = [s for s in out if s < 0]
    if bad:
        raise RuntimeError(f"{fn}(): Trying to create tensor with negative dimension {bad[0]}: "
                           f"{out} (argument '{name}' holds sizes, each >= 0)")
    return tuple(out)


def shape_arg(fn, name, shape):
    """A target shape (``view``, ``reshape``): ints or one tuple/list of ints, each >= 0
    or -1 for the size to infer -> a tuple of ints. (More than one -1 is the shape
    rule's to refuse: it knows the input's shape.)"""
    out = _ints(fn, name, shape if isinstance(shape, tuple) else (shape,))
    for i, s in enumerate(out):
        if s < -1:
            raise RuntimeError(f"{fn}(): argument '{name}': invalid shape dimension {s} at index "
                               f"{i} of shape {out} (each size is >= 0, or -1 for the one "
                               f"inferred)")
    return tuple(out)


def dim_arg(fn, name, dim, ndim):
    """A dimension index for a tensor of ``ndim`` dimensions -> its index >= 0
    (negative ones count from the end; a 0-d tensor accepts -1 and 0)."""
    if not _is_int(dim):
        raise TypeError(f"{fn}(): argument '{name}' must be int, not {type(dim).__name__}")
    dim = int(dim)
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"{fn}(): argument '{name}': Dimension out of range (expected to be in "
                         f"range of [{-n}, {n - 1}], but got {dim})")
    return dim % n


def number_arg(fn, name, value):
    """A real number (a bool, an int or a float; not a string, not None)."""
    if not isinstance(value, (numbers.Real, np.bool_)):
        if getattr(value, "ndim", None) == 0 and getattr(value, "dtype", None) is not None:
            return value.item()
        raise TypeError(f"{fn}(): argument '{name}' must be Number, not {type(value).__name__}")
    return value


def operand_arg(fn, name, value):
    """A value an op can compute with -- a tensor, an array, a number, a (nested) list of
    numbers -- and not a string, None, a dict or a set (a TypeError naming what came)."""
    if value is None or isinstance(value, (str, bytes, dict, set, frozenset)):
        raise TypeError(f"{fn}(): argument '{name}' must be Tensor, not "
                        f"{type(value).__name__}" + (f" ({value!r})" if isinstance(value, str)
                                                     else ""))
    return value
