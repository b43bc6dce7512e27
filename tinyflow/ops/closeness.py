"""``isclose``: which elements of two tensors are equal up to a tolerance, as
PyTorch and numpy decide it: ``|a - b| <= atol + rtol * |b|`` for finite values,
exact equality for infinities, and NaNs equal to each other only with
``equal_nan``. A composition of comparisons: the result is boolean, with no
gradient.

>>> import numpy as np
>>> isclose(np.array([1.0, 2.0, np.inf]), np.array([1.0 + 1e-9, 2.1, np.inf]))
array([ True, False,  True])
"""
import numpy as np

from .. import ops as F

# PyTorch's short names of dtypes, as its messages print them
_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
          "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def _dtype(x):
    return np.dtype(x.dtype) if hasattr(x, "dtype") else np.asarray(x).dtype


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Elementwise: is ``a`` within ``atol + rtol * |b|`` of ``b`` (PyTorch's
    ``isclose``; both of one dtype, broadcast against each other)?

    >>> isclose(np.array([1, 2]), np.array([1, 3]))
    array([ True, False])
    """
    da, db = _dtype(a), _dtype(b)
    if da != db:
        raise RuntimeError(f"isclose(): {_NAMES.get(da.name, da.name)} did not match "
                           f"{_NAMES.get(db.name, db.name)} (argument 'other' must have the "
                           f"dtype of 'input')")
    for name, v in (("rtol", rtol), ("atol", atol)):
        if v < 0:
            raise RuntimeError(f"isclose(): {name} must be greater than or equal to zero, but "
                               f"got {v}")
    with np.errstate(invalid="ignore"):           # inf - inf, on raw arrays: not close
        return _isclose(a, b, da, rtol, atol, equal_nan)


def _isclose(a, b, da, rtol, atol, equal_nan):
    same = F.equal(a, b)
    if da.kind == "b":
        return same
    if da.kind == "f":
        finite = F.logical_and(F.isfinite(a), F.isfinite(b))
        near = F.logical_and(finite, F.less_equal(F.abs(a - b), atol + rtol * F.abs(b)))
    else:
        near = F.less_equal(F.abs(F.cast(a, np.float64) - F.cast(b, np.float64)),
                            atol + rtol * F.abs(F.cast(b, np.float64)))
    close = F.logical_or(same, near)
    if equal_nan and da.kind == "f":
        close = F.logical_or(close, F.logical_and(F.not_equal(a, a), F.not_equal(b, b)))
    return close
