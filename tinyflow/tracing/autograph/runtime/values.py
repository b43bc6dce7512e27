"""What the runtime asks of a value: is it a tensor being traced, which dtype
and shape would it have in a graph, and can it pass through a cond or loop.

>>> value_dtype(3), value_dtype(2.5), value_dtype(True)
(dtype('int32'), dtype('float32'), dtype('bool'))
"""
import numpy as np

from ....ops.primitive import is_eager, is_symbolic
from ....ops import reshape
from .sites import at


def value_dtype(value):
    """The dtype ``value`` has in a graph: a tensor's own; a Python number as
    tinyflow's graphs make constants (TensorFlow's rule: ints int32, floats float32)."""
    if is_symbolic(value) or is_eager(value):
        return np.dtype(value.dtype)
    if isinstance(value, (np.ndarray, np.generic)):
        return value.dtype
    if isinstance(value, bool):
        return np.dtype(bool)
    if isinstance(value, int):
        return np.dtype(np.int32 if -2 ** 31 <= value < 2 ** 31 else np.int64)
    return np.dtype(np.float32)


def value_shape(value):
    """The static shape (None: unknown rank; None dims: unknown sizes)."""
    if is_symbolic(value):
        return value._shape
    return tuple(np.shape(value.array if is_eager(value) else value))


def stageable(value):
    """Can ``value`` be an input or output of a graph op (after conversion)?"""
    return (is_symbolic(value) or is_eager(value)
            or isinstance(value, (bool, int, float, np.ndarray, np.generic)))


def fmt_shape(shape):
    if shape is None:
        return "<unknown>"
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + \
        ("," if len(shape) == 1 else "") + ")"


def checked_condition(value, tag, site):
    """``value`` as the boolean scalar a cond or while_loop needs (TensorFlow
    also accepts shape (1,) and unknown shapes, reshaping them)."""
    if value.dtype != np.bool_:
        raise ValueError(at(site, f"condition of {tag} expected to be a boolean scalar tensor, "
                                  f"got {value!r}; to use a number as a condition, compare it "
                                  f"(x != 0) or cast it (tinyflow.cast(x, tinyflow.bool))", tag))
    shape = value._shape
    if shape == ():
        return value
    if shape is None or all(d in (1, None) for d in shape):
        return reshape(value, ())
    raise ValueError(at(site, f"condition of {tag} expected to be a boolean scalar tensor, got "
                              f"{value!r} (one value is needed: compare a reduction, such as "
                              f"x.sum() > 0)", tag))
