"""Dtypes as PyTorch names them -- ``tinyflow.float32``, ``tinyflow.int64``... --
and the default floating point dtype.

Each is a small object around numpy's dtype: it prints as PyTorch prints its
own (``tinyflow.float32``), answers PyTorch's questions (``is_floating_point``,
``itemsize``), compares equal to numpy's dtype and to its name, and numpy takes
it wherever it takes a dtype. Eager tensors report their dtype this way.

As in PyTorch, floating point numbers given without a dtype (``tensor([1.5])``,
``zeros(3)``, ``int_tensor / 2``) become the *default dtype*, float32, unless
``set_default_dtype`` changes it.

>>> float32, str(int64), float32 == "float32", float32.is_floating_point
(tinyflow.float32, 'tinyflow.int64', True, True)
>>> get_default_dtype()
tinyflow.float32
>>> set_default_dtype(float64); get_default_dtype()
tinyflow.float64
>>> set_default_dtype(float32)
"""
import numpy as np


class dtype:
    """One of tinyflow's dtypes (PyTorch's ``torch.dtype``)."""
    __slots__ = ("_np",)
    __module__ = "tinyflow"

    def __init__(self, name):
        self._np = np.dtype(name)

    @property
    def dtype(self):
        """numpy's dtype: what numpy reads when it is handed this object."""
        return self._np

    @property
    def is_floating_point(self):
        return self._np.kind == "f"

    @property
    def is_complex(self):
        return self._np.kind == "c"

    @property
    def is_signed(self):
        return self._np.kind in "fic"

    @property
    def itemsize(self):
        return self._np.itemsize

    def __getattr__(self, name):            # .kind, .name, .str... as numpy's dtype has them
        return getattr(self._np, name)

    def __eq__(self, other):
        if isinstance(other, dtype):
            return self._np == other._np
        try:
            return self._np == np.dtype(other)
        except TypeError:
            return NotImplemented

    def __hash__(self):
        return hash(self._np)               # the same as numpy's: either finds a dict entry

    def __repr__(self):
        return f"tinyflow.{self._np.name}"

    def __reduce__(self):
        return dtype, (self._np.name,)


float16, float32, float64 = dtype("float16"), dtype("float32"), dtype("float64")
int8, int16, int32, int64 = dtype("int8"), dtype("int16"), dtype("int32"), dtype("int64")
uint8, bool_ = dtype("uint8"), dtype("bool")
ALL = (float16, float32, float64, int8, int16, int32, int64, uint8, bool_)
_OF_NUMPY = {d.dtype: d for d in ALL}


def of(numpy_dtype):
    """The tinyflow dtype of a numpy dtype (numpy's own for one tinyflow has no name for)."""
    return _OF_NUMPY.get(numpy_dtype, numpy_dtype)


class _Default:
    float = float32          # what Python floats and float-producing ops on ints become


def get_default_dtype():
    """The dtype of floating point tensors made without one (float32 unless set)."""
    return _Default.float


def set_default_dtype(d):
    """Make the floating point dtype ``d`` (float32, float64 or float16) the default."""
    if not isinstance(d, dtype):          # PyTorch takes its own dtypes only: not 'float64'
        raise TypeError(f"set_default_dtype(): argument 'd' must be a tinyflow.dtype (tinyflow."
                        f"float32, float64 or float16), not {type(d).__name__} {d!r}")
    if not d.is_floating_point:
        raise TypeError(f"set_default_dtype(): only floating-point types are supported as the "
                        f"default type, got {d}")
    _Default.float = d
