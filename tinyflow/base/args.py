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
>>> bool_arg("sum", "keepdim", "yes")
Traceback (most recent call last):
...
TypeError: sum(): argument 'keepdim' must be bool, not str
>>> dtype_arg("zeros", "dtype", "float32")
Traceback (most recent call last):
...
TypeError: zeros(): argument 'dtype' must be tinyflow.dtype, not str ('float32'); use tinyflow.float32
"""
import numbers

import numpy as np

from . import dtypes


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


def bool_arg(fn, name, value):
    """A flag (``requires_grad``, ``keepdim``, ``retain_graph``): True or False. As in
    PyTorch, a truthy string or number is refused -- ``keepdim='no'`` would be True."""
    if value is not True and value is not False:
        raise TypeError(f"{fn}(): argument '{name}' must be bool, not {type(value).__name__}")
    return value


# The Python types PyTorch reads as dtypes: float -> float64, int -> int64, bool -> bool.
_PYTHON_DTYPES = {float: dtypes.float64, int: dtypes.int64, bool: dtypes.bool_}


def dtype_arg(fn, name, value):
    """A dtype as PyTorch takes one -- a tinyflow dtype, or the Python type float, int or
    bool -- as a tinyflow dtype; None stays None. Strings and numpy's dtypes are refused
    (PyTorch refuses them too), naming the tinyflow dtype that was probably meant."""
    if value is None or isinstance(value, dtypes.dtype):
        return value
    if isinstance(value, type) and value in _PYTHON_DTYPES:
        return _PYTHON_DTYPES[value]
    hint = ""
    try:
        meant = dtypes.of(np.dtype(value))                 # 'float32', np.float32 -> tinyflow.float32
        hint = (f"; use {meant!r}" if isinstance(meant, dtypes.dtype) else
                f" (unsupported dtype {meant}: tinyflow tensors hold floats, integers or booleans)")
    except (TypeError, ValueError):
        pass
    shown = f" ({value!r})" if isinstance(value, str) else ""
    what = value.__name__ if isinstance(value, type) else type(value).__name__
    raise TypeError(f"{fn}(): argument '{name}' must be tinyflow.dtype, not {what}{shown}{hint}")


def is_operand(value):
    """Can an operator (``x + v``, ``x == v``) compute with ``value``, a non-tensor? A
    number (Python's or numpy's) or a numpy array can; a string, None, a list cannot
    (PyTorch refuses lists too: ``x + [1, 2]`` is a TypeError)."""
    return isinstance(value, (numbers.Number, np.ndarray, np.number, np.bool_))


def operand_error(op, value):
    """The TypeError for an operand ``op`` cannot compute with (see ``is_operand``)."""
    what = type(value).__name__
    if isinstance(value, (list, tuple)) and value:
        what += f" of {type(value[0]).__name__}"           # ['a']: a list of str
    return TypeError(f"{op}: unsupported operand type {what} ({value!r:.40}); an operand is a "
                     f"tensor, a number or a numpy array (make a list a tensor first: "
                     f"tinyflow.tensor([...]))")
