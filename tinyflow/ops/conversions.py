"""Tensor methods that change a tensor's dtype or say where it lives, with
PyTorch's spellings: ``to``, ``float``/``double``/``long``/``int``/``half``/
``bool``, ``type``, ``cpu``, ``cuda``, ``size``, ``dim``. Both tensor classes
inherit them (see methods.py).

``to`` returns the tensor itself when nothing would change, as PyTorch does:

>>> import tinyflow as tf
>>> x = tf.zeros(2)
>>> x.to("cpu") is x, x.to(tf.float64).dtype
(True, tinyflow.float64)
>>> x.type()
'tinyflow.FloatTensor'
"""
import numpy as np

from ..base import dtypes
from ..base.args import dim_arg, dtype_arg
from ..base.device import device as _Device, check_device
from .elementwise import cast
from .primitive import is_tensor

# PyTorch's legacy tensor type names, by dtype (x.type() and x.type(torch.LongTensor)).
TYPE_NAMES = {np.dtype(d): name for d, name in [
    ("float32", "FloatTensor"), ("float64", "DoubleTensor"), ("float16", "HalfTensor"),
    ("int64", "LongTensor"), ("int32", "IntTensor"), ("int16", "ShortTensor"),
    ("int8", "CharTensor"), ("uint8", "ByteTensor"), ("bool", "BoolTensor")]}
DTYPE_OF_NAME = {name: d for d, name in TYPE_NAMES.items()}


def to_arguments(args, dtype=None, device=None):
    """The dtype asked for by ``to(*args, dtype=, device=)`` -- a dtype (a tinyflow dtype
    or float/int/bool, as PyTorch takes them), a device or its name, a tensor (its
    dtype), a bool (PyTorch's positional non_blocking), None (nothing) -- or None; a
    device tinyflow does not have is refused."""
    dtype = dtype_arg("to", "dtype", dtype)
    for a in args:
        if is_tensor(a):
            dtype = a.dtype                     # to(other): other's dtype (and device: the CPU)
        elif isinstance(a, (str, _Device)) or isinstance(a, int) and not isinstance(a, bool):
            device = a
        elif a is None or isinstance(a, bool):
            pass                                # to(None) changes nothing; non_blocking waits for nothing
        elif isinstance(a, (dtypes.dtype, type)):
            dtype = dtype_arg("to", "dtype", a)    # np.float64 is refused, as PyTorch does
        else:
            raise TypeError(f"to() received an invalid combination of arguments: got "
                            f"{type(a).__name__} {a!r}; expected a dtype, a device (or its "
                            f"name, like 'cpu'), or a tensor")
    check_device("to", device)
    return dtype


class Conversions:
    __slots__ = ()

    def to(self, *args, dtype=None, device=None, non_blocking=False, copy=False,
           memory_format=None):
        """``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other_tensor)``:
        this tensor converted; itself when nothing changes (unless ``copy``)."""
        dtype = to_arguments(args, dtype, device)
        if dtype is None or np.dtype(dtype) == self.dtype:
            return cast(self, self.dtype) if copy else self
        return cast(self, dtype)

    def _to(self, dtype):
        """This tensor as ``dtype`` (any dtype numpy reads), itself if it already is."""
        return self if np.dtype(dtype) == self.dtype else cast(self, dtype)

    def astype(self, dtype): return cast(self, dtype)
    def float(self): return self._to(np.float32)
    def double(self): return self._to(np.float64)
    def half(self): return self._to(np.float16)
    def long(self): return self._to(np.int64)
    def int(self): return self._to(np.int32)
    def short(self): return self._to(np.int16)
    def byte(self): return self._to(np.uint8)
    def bool(self): return self._to(np.bool_)

    def cpu(self):
        """This tensor: it already lives on the CPU."""
        return self

    def cuda(self, device=None, non_blocking=False):
        """An error: tinyflow has no GPU (see tinyflow.cuda.is_available())."""
        check_device("cuda", "cuda")

    @property
    def is_cuda(self):
        return False

    def is_floating_point(self):
        return np.dtype(self.dtype).kind == "f"

    def element_size(self):
        """Bytes per element."""
        return np.dtype(self.dtype).itemsize

    def type(self, dtype=None, non_blocking=False):
        """With no argument, the legacy type name ('tinyflow.FloatTensor'); with a
        dtype, a legacy type or its name, this tensor converted to it."""
        if dtype is None:
            return "tinyflow." + TYPE_NAMES.get(np.dtype(self.dtype), "Tensor")
        if isinstance(dtype, str):
            name = dtype.rpartition(".")[2]
            if name not in DTYPE_OF_NAME:
                raise ValueError(f"type(): invalid type: '{dtype}'")
            return self._to(DTYPE_OF_NAME[name])
        legacy = getattr(dtype, "legacy_dtype", None)
        return self._to(legacy if legacy is not None else dtype)

    def dim(self): return self.ndim
    ndimension = dim

    def size(self, dim=None):
        """The shape, or with ``dim`` the size of that dimension."""
        shape = self.shape
        if dim is None:
            return shape
        return tuple(shape)[dim_arg("size", "dim", dim, len(shape))]
