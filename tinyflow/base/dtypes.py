"""Dtypes: tinyflow's names for numpy's, and the default floating point dtype.

As in PyTorch, floating point numbers given without a dtype (``tensor([1.5])``,
``zeros(3)``, ``int_tensor / 2``) become the *default dtype*, float32, unless
``set_default_dtype`` changes it.

>>> get_default_dtype()
dtype('float32')
>>> set_default_dtype(float64); get_default_dtype()
dtype('float64')
>>> set_default_dtype(float32)
"""
import numpy as np

float16, float32, float64 = np.dtype("float16"), np.dtype("float32"), np.dtype("float64")
int8, int16, int32, int64 = (np.dtype(t) for t in ("int8", "int16", "int32", "int64"))
uint8, bool_ = np.dtype("uint8"), np.dtype("bool")


class _Default:
    float = float32          # what Python floats and float-producing ops on ints become


def get_default_dtype():
    """The dtype of floating point tensors made without one (float32 unless set)."""
    return _Default.float


def set_default_dtype(d):
    """Make the floating point dtype ``d`` (float32, float64 or float16) the default."""
    d = np.dtype(d)
    if d.kind != "f":
        raise TypeError(f"set_default_dtype(): only floating-point types are supported as the "
                        f"default type, got {d}")
    _Default.float = d
