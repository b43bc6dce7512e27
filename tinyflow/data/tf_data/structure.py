"""Elements as tf.data sees them: nested tuples, named tuples and dicts whose
leaves are tensors.

One rule differs from ``base/nest.py``: in ``tf.data`` a Python *list* is a
tensor, not a structure -- ``from_tensor_slices([[1, 2], [3, 4]])`` slices one
2x2 tensor, while ``from_tensor_slices(([1, 2], [3, 4]))`` slices two. (A
function given to ``map`` may return a list, which TensorFlow reads as a tuple.)
Inside the datasets every leaf is a numpy array; the eager tensors users see
are made only when an element leaves the pipeline (``to_tensors``).

>>> element = normalize(([1, 2], {"y": 0.5}))
>>> element
(array([1, 2], dtype=int32), {'y': array(0.5, dtype=float32)})
>>> specs(element)
(TensorSpec(shape=(2,), dtype=tf.int32, name=None), {'y': TensorSpec(shape=(), dtype=tf.float32, name=None)})
"""
import numpy as np

from ...base.nest import flatten
from ...eager.tensor import Tensor
from .dtypes import infer_array
from .spec import spec_of


def is_structure(x):
    return isinstance(x, (tuple, dict))


def normalize(value, lists="tensor", where="Dataset", leaf=None):
    """A structure of arrays: tuples and dicts kept (their types too), every other
    value converted as TensorFlow converts it (lists too, or, with
    ``lists="tuple"``, read as tuples the way a map function's result is).
    ``leaf(value)`` replaces the conversion, to walk a structure of other things."""
    if isinstance(value, dict):
        return type(value)((k, normalize(v, lists, where, leaf)) for k, v in value.items())
    if isinstance(value, tuple) or (lists == "tuple" and isinstance(value, list)):
        parts = [normalize(v, lists, where, leaf) for v in value]
        if hasattr(value, "_fields"):                 # a named tuple takes its fields by position
            return type(value)(*parts)
        return tuple(parts) if isinstance(value, list) else type(value)(parts)
    if value is None:
        raise TypeError(f"{where}: an element cannot hold None; expected tensors, arrays or "
                        f"numbers (in tuples or dicts)")
    return leaf(value) if leaf else np.asarray(infer_array(value, where))


def leaves(element):
    """(the arrays of an element, depth first, and ``rebuild(new_leaves)``)."""
    return flatten(element)


def map_structure(fn, *elements):
    """``fn`` applied leaf by leaf to elements of one structure, in that structure."""
    flat = [leaves(e)[0] for e in elements]
    return leaves(elements[0])[1]([fn(*xs) for xs in zip(*flat)])


def specs(element):
    """The TensorSpec of every leaf, in the element's structure."""
    return map_structure(spec_of, element)


def same_structure(a, b):
    """Do two elements nest the same way (types, dict keys, lengths)?"""
    if isinstance(a, dict) or isinstance(b, dict):
        return (type(a) is type(b) and list(a) == list(b)
                and all(same_structure(a[k], b[k]) for k in a))
    if isinstance(a, tuple) or isinstance(b, tuple):
        return (type(a) is type(b) and len(a) == len(b)
                and all(same_structure(x, y) for x, y in zip(a, b)))
    return True


def freeze(element, copy=False):
    """The element with read-only copies of its arrays (of the writable ones only,
    unless ``copy``): what a source or a cache keeps cannot be changed through a
    tensor it handed out, nor through the user's own array."""
    def one(a):
        if copy or a.flags.writeable:
            a = np.array(a)
            a.setflags(write=False)
        return a
    return map_structure(one, element)


def _owned(arr):
    """The arrays of a source are read-only; a user gets a copy they may change."""
    return arr if arr.flags.writeable else arr.copy()


def to_tensors(element):
    """An element as eager tensors, as iterating a dataset gives it (TF's EagerTensors)."""
    return map_structure(lambda a: Tensor._wrap(_owned(np.asarray(a))), element)


def to_numpy(element):
    """An element as numpy values (``as_numpy_iterator``): a 0-d array becomes a numpy
    scalar, ``np.int64(3)``, as TensorFlow gives it."""
    return map_structure(lambda a: a[()] if a.ndim == 0 else _owned(a), element)


def from_outputs(value, where):
    """What a user's function returned (eager tensors, numbers...) as an element."""
    return normalize(value, lists="tuple", where=where)
