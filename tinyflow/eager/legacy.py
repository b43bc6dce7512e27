"""PyTorch's legacy tensor types, which older tutorials still use:
``torch.FloatTensor([1, 2])``, ``torch.LongTensor(2, 3)``, ``x.type(torch.FloatTensor)``,
``isinstance(x, torch.FloatTensor)``.

>>> import tinyflow as torch
>>> torch.FloatTensor([1, 2])
tensor([1., 2.])
>>> torch.LongTensor(2, 3).shape          # sizes make a tensor of that shape (zeros here)
tinyflow.Size([2, 3])
>>> isinstance(torch.zeros(2), torch.FloatTensor), isinstance(torch.zeros(2), torch.LongTensor)
(True, False)
"""
import numpy as np

from ..base.args import size_arg
from .tensor import Tensor


class _LegacyType(type):
    """``isinstance(x, FloatTensor)``: an eager tensor of that dtype."""

    def __instancecheck__(cls, x):
        return isinstance(x, Tensor) and x.array.dtype == cls.legacy_dtype

    def __repr__(cls):
        return f"<class 'tinyflow.{cls.__name__}'>"


def _legacy(name, dtype):
    def __new__(cls, *args):
        """``T(data)`` copies data (lists, arrays, tensors); ``T(*sizes)`` makes zeros."""
        if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
            return Tensor(args[0], dtype=dtype)
        return Tensor(np.zeros(size_arg(name, "size", args), dtype))
    return _LegacyType(name, (), {"__new__": __new__, "legacy_dtype": np.dtype(dtype),
                                  "__module__": "tinyflow", "__doc__": f"a tensor of {dtype}"})


FloatTensor = _legacy("FloatTensor", np.float32)
DoubleTensor = _legacy("DoubleTensor", np.float64)
HalfTensor = _legacy("HalfTensor", np.float16)
LongTensor = _legacy("LongTensor", np.int64)
IntTensor = _legacy("IntTensor", np.int32)
ShortTensor = _legacy("ShortTensor", np.int16)
CharTensor = _legacy("CharTensor", np.int8)
ByteTensor = _legacy("ByteTensor", np.uint8)
BoolTensor = _legacy("BoolTensor", np.bool_)

def Variable(data, requires_grad=False, volatile=False):
    """PyTorch's legacy ``autograd.Variable``: today just the tensor itself (with
    ``requires_grad`` set, as PyTorch 0.4+ does)."""
    t = data if isinstance(data, Tensor) else Tensor(data)
    if requires_grad:
        t.requires_grad_()
    return t


__all__ = ["FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor",
           "CharTensor", "ByteTensor", "BoolTensor"]
