"""PyTorch's type promotion, as the eager tape applies it.

numpy and PyTorch disagree about mixed dtypes: numpy gives ``int64 * 1.5`` and
``float32 * int64`` as float64, PyTorch as float32 (its default dtype, and the
floating point operand's dtype). Eager mode speaks PyTorch, so before an op's
numpy forward runs, the tape casts its inputs to the dtype PyTorch would give.
Each primitive says which rule is its own (``Primitive.promotion``); graphs
keep TensorFlow's rules (graph/build.py).

PyTorch's rule: operands are ranked dimensioned tensors > zero-dimensional
tensors > Python numbers, and dtypes by category bool < integer < floating. The
result has the highest category present; within it, the dtype of the highest
ranked group that has that category (a Python float counts as the default
dtype, a Python int as int64).

>>> import numpy as np
>>> result_dtype([np.array([1, 2]), 1.5])
dtype('float32')
>>> result_dtype([np.ones(2, np.float32), np.array(2.0)])      # a 0-d float64 does not win
dtype('float32')
>>> result_dtype([np.ones(2, np.float32), np.ones(2)])
dtype('float64')
"""
import numpy as np

from ..base.dtypes import get_default_dtype

_BOOL, _INT64 = np.dtype(bool), np.dtype(np.int64)
# PyTorch's short names of dtypes, as its messages print them
_TORCH_NAMES = {"float32": "float", "float64": "double", "float16": "Half", "int64": "Long",
                "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def _category(d):
    return 0 if d.kind == "b" else 1 if d.kind in "iu" else 2


def _promote(dtypes):
    top = max(_category(d) for d in dtypes)
    return np.result_type(*[d for d in dtypes if _category(d) == top])


def result_dtype(vals):
    """The dtype PyTorch gives an arithmetic op on ``vals`` (arrays and numbers)."""
    groups = ([], [], [])                      # dimensioned, zero-dimensional, Python numbers
    for v in vals:
        if isinstance(v, np.ndarray):
            groups[0 if v.ndim else 1].append(v.dtype)
        elif isinstance(v, np.generic):
            groups[1].append(v.dtype)
        elif isinstance(v, bool):
            groups[2].append(_BOOL)
        elif isinstance(v, int):
            groups[2].append(_INT64)
        elif isinstance(v, float):
            groups[2].append(np.dtype(get_default_dtype()))
    result = None
    for group in groups:
        if group:
            d = _promote(group)
            if result is None or _category(d) > _category(result):
                result = d
    return result


def _cast(v, dtype):
    if isinstance(v, np.ndarray):
        return v if v.dtype == dtype else v.astype(dtype)
    if isinstance(v, np.generic):
        return np.asarray(v, dtype)
    return v                                   # Python numbers: numpy takes them at the array's dtype


def promoted(prim, vals):
    """``vals`` as the forward of ``prim`` should see them under PyTorch's rules
    (cast where needed); an error where PyTorch refuses the dtypes."""
    rule = prim.promotion
    if rule in ("arith", "divide", "where"):
        first = 1 if rule == "where" else 0    # where(cond, x, y): the condition stays bool
        target = result_dtype(vals[first:])
        if prim.name == "Sub" and target.kind == "b":
            raise RuntimeError("Sub: Subtraction, the `-` operator, with two bool tensors is not "
                               "supported. Use the `^` or `logical_xor()` operator instead.")
        if rule == "divide" and target.kind != "f":
            target = np.dtype(get_default_dtype())    # true division of integers
        if rule == "where":       # np.where, no ufunc, reads Python floats as float64: cast all
            return [vals[0]] + [np.asarray(v, target) for v in vals[1:]]
        return list(vals[:first]) + [_cast(v, target) for v in vals[first:]]
    if rule == "float":                         # exp, log, sigmoid... of integers: floats
        v = vals[0]
        if np.asarray(v).dtype.kind != "f":
            return [_cast(np.asarray(v), np.dtype(get_default_dtype()))] + list(vals[1:])
        return vals
    if rule == "same":                          # matmul: PyTorch wants one dtype
        a, b = (np.asarray(v).dtype for v in vals[:2])
        if a != b:
            raise RuntimeError(f"{prim.name}: expected m1 and m2 to have the same dtype, but got: "
                               f"{_TORCH_NAMES.get(a.name, a.name)} != "
                               f"{_TORCH_NAMES.get(b.name, b.name)}")
        return vals
    if rule == "float_only":                    # mean of integers: PyTorch refuses
        d = np.asarray(vals[0]).dtype
        if d.kind != "f":
            raise RuntimeError(f"{prim.name.lower()}(): could not infer output dtype. Input dtype "
                               f"must be either a floating point or complex dtype. Got: "
                               f"{_TORCH_NAMES.get(d.name, d.name)}")
        return vals
    return vals
