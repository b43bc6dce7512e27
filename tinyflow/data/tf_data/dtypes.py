"""TensorFlow 2's dtypes and how TensorFlow turns Python values into arrays.

``DType`` is TensorFlow's dtype object of the graph layer (graph/feeds.py): it
prints as TensorFlow prints its own (``tf.float32``), equals numpy's dtype and
tinyflow's (``tinyflow.float32``), and numpy takes it wherever it takes a dtype.
``as_dtype`` here makes one for an eager tensor's numbers only. ``infer_array``
is ``tf.convert_to_tensor`` without a dtype: Python ints become int32 (int64 if one does not fit), Python floats float32 --
where numpy and PyTorch would give int64 and float64/float32 -- while numpy
arrays, numpy scalars and tinyflow tensors keep the dtype they have.

>>> float32 = DType("float32")
>>> float32, str(float32), float32 == np.float32, float32.is_floating
(tf.float32, "<dtype: 'float32'>", True, True)
>>> [str(infer_array(v).dtype) for v in (1, 2 ** 40, [1, 2.5], np.float64(1), True)]
['int32', 'int64', 'float32', 'float64', 'bool']
"""
import numpy as np

from ...graph.feeds import DType
from ...ops.primitive import is_eager

_INT32 = np.iinfo(np.int32)


# TensorFlow's names that are not numpy's ("float" is float32 there, float64 in numpy)
_TF_NAMES = {"float": "float32", "double": "float64", "half": "float16"}


def as_dtype(type_value):
    """TensorFlow's ``tf.as_dtype``: a DType from a DType, a name (``"float"`` is
    float32, ``"double"`` float64), a numpy type or dtype, tinyflow's dtype, or
    Python's ``float`` (float32), ``int`` (int32) and ``bool``.

    >>> as_dtype("float"), as_dtype(np.int64), as_dtype(float)
    (tf.float32, tf.int64, tf.float32)
    """
    if isinstance(type_value, DType):
        return type_value
    python = {float: np.float32, int: np.int32, bool: np.bool_}
    if isinstance(type_value, type) and type_value in python:
        return DType(python[type_value])
    try:
        d = np.dtype(_TF_NAMES.get(type_value, type_value) if isinstance(type_value, str)
                     else type_value)
    except TypeError:
        d = None
    if d is None or d.kind not in "biuf":
        raise TypeError(f"Cannot convert the argument `type_value`: {type_value!r} to a "
                        f"TensorFlow DType (tinyflow's tensors hold floats, integers and bools).")
    return DType(d)


def _has_typed_leaf(value):
    """Does a nested list hold numpy values or tensors (whose dtypes then decide)?"""
    if isinstance(value, (list, tuple)):
        return any(_has_typed_leaf(v) for v in value)
    return isinstance(value, (np.ndarray, np.generic)) or is_eager(value)


def infer_array(value, where="convert_to_tensor"):
    """``value`` as an array, with the dtype TensorFlow gives it when none is asked for."""
    if is_eager(value):
        return value.array
    typed = _has_typed_leaf(value)
    try:
        arr = np.asarray([v.array if is_eager(v) else v for v in value]
                         if isinstance(value, (list, tuple)) else value)
    except ValueError:
        raise ValueError(f"{where}: Can't convert non-rectangular Python sequence to "
                         f"Tensor.") from None
    if not typed:                      # Python numbers: TensorFlow's own defaults
        if arr.dtype.kind == "f":
            arr = arr.astype(np.float32)
        elif arr.dtype.kind in "iu" and (arr.size == 0 or
                                         _INT32.min <= arr.min() and arr.max() <= _INT32.max):
            arr = arr.astype(np.int32)
    if arr.dtype.kind not in "biuf":
        what = {"U": "strings", "S": "bytes", "O": "Python objects"}.get(arr.dtype.kind,
                                                                         str(arr.dtype))
        raise TypeError(f"{where}: cannot hold {what} ({value!r:.60}): tinyflow's tensors "
                        f"hold floats, integers and bools")
    return arr
