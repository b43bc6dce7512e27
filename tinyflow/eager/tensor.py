"""The eager Tensor: a numpy array, plus what autograd needs to know about it.

A tensor made by an op while gradients are on carries ``node`` (PyTorch's
``grad_fn``): the tape entry that knows its inputs and its primitive. A tensor
you create yourself is a *leaf*; if it ``requires_grad``, ``backward`` leaves
its gradient in ``.grad``.

>>> import tinyflow as tf
>>> x = tf.tensor([1.0, 2.0], requires_grad=True)
>>> y = (x * x).sum()
>>> y.backward()
>>> x.grad
tensor([2., 4.])
"""
import numbers
import weakref

import numpy as np

from ..base.args import bool_arg
from ..base.config import using_config
from ..base.device import CPU
from ..base import dtypes
from ..base.dtypes import get_default_dtype
from .printing import tensor_repr
from .size import Size
from ..base.hooks import RemovableHandle
from ..ops import elementwise as _E
from ..ops.methods import TensorMethods, with_operators
from .inplace import InPlace
from .tensor_more import MoreInPlace
from ..ops.primitive import EAGER, bind, interpreters, is_tensor

_FLOAT_KINDS = "f"
_SUPPORTED_KINDS = "biuf"


def as_array(data, dtype=None, where="tensor"):
    """Python data or an array -> an ndarray tinyflow can hold.

    Python floats become the default dtype (float32, as in PyTorch); numpy arrays
    and numpy scalars keep their dtype.
    """
    if isinstance(data, Tensor):
        arr = data.array
    elif isinstance(data, (np.ndarray, np.generic)):
        arr = np.asarray(data)
    else:
        arr = _from_python(data, where)
        if dtype is None and arr.dtype.kind == "f":
            arr = arr.astype(get_default_dtype(), copy=False)
    if dtype is not None:
        dtype = np.dtype(dtype)
        if dtype.kind not in _SUPPORTED_KINDS:
            raise TypeError(f"{where}(): unsupported dtype {dtype}; expected a float, integer or "
                            f"bool dtype")
        arr = arr.astype(dtype, copy=False)
    if arr.dtype.kind not in _SUPPORTED_KINDS:
        what = {"U": "strings", "S": "bytes", "O": "Python objects", "c": "complex numbers"}.get(
            arr.dtype.kind, str(arr.dtype))
        raise TypeError(f"{where}(): unsupported dtype {arr.dtype} ({what}); tinyflow tensors hold "
                        f"floats, integers or booleans")
    return arr


def _from_python(data, where):
    """Numbers, nested lists/tuples (of numbers or one-element tensors) -> an array,
    with PyTorch's errors for None, strings, other objects and ragged lists."""
    if isinstance(data, (str, bytes)):
        raise TypeError(f"{where}(): new(): invalid data type '{type(data).__name__}': a "
                        f"tensor holds numbers")
    try:
        arr = np.asarray(data)
    except ValueError:
        raise ValueError(f"{where}(): {_ragged(data)}; every row of a nested list must have "
                         f"the same length") from None
    if arr.dtype.kind in "US":
        raise ValueError(f"{where}(): too many dimensions 'str': a tensor holds numbers, "
                         f"got strings")
    if arr.dtype == object:
        raise RuntimeError(f"{where}(): Could not infer dtype of {type(_not_a_number(arr)).__name__}"
                           f": expected numbers, nested lists of numbers, arrays or tensors")
    return arr


def _not_a_number(arr):
    """The first element of an object array that is not a number (``[1.0, None]``: None)."""
    ok = np.asarray(_is_number(arr), dtype=bool)
    return arr[~ok].flat[0] if not ok.all() else arr.flat[0]


_is_number = np.frompyfunc(lambda v: isinstance(v, (numbers.Number, np.bool_)), 1, 1)


def _ragged(data, dim=0):
    """PyTorch's description of the first row of the wrong length."""
    if not isinstance(data, (list, tuple)) or not data:
        return "expected a rectangular nested list"
    lengths = [len(x) if isinstance(x, (list, tuple)) else None for x in data]
    first = lengths[0]
    for n in lengths:
        if n != first:
            return f"expected sequence of length {first} at dim {dim + 1} (got {n})"
    return _ragged([y for x in data for y in x], dim + 1)


def check_grad_dtype(arr, where="requires_grad"):
    if arr.dtype.kind not in _FLOAT_KINDS:
        raise RuntimeError(f"{where}: Only Tensors of floating point and complex dtype can require "
                           f"gradients (got dtype {arr.dtype})")


@with_operators(on_tape=True)       # x + y, x @ W, x.relu(): straight to the tape (tape.py)
class Tensor(InPlace, MoreInPlace, TensorMethods):
    """An n-dimensional array that can record the ops applied to it.

    >>> import tinyflow as tf
    >>> tf.Tensor([[1, 2], [3, 4]]).shape
    tinyflow.Size([2, 2])
    """
    __slots__ = ("array", "node", "_requires_grad", "grad", "_version", "_meta", "__weakref__")
    __module__ = "tinyflow"        # printed as tinyflow.Tensor, the name users know
    value_kind = EAGER

    def __init__(self, data, dtype=None, requires_grad=False):
        arr = as_array(data, dtype)
        if isinstance(data, (Tensor, np.ndarray)) and np.shares_memory(arr, np.asarray(data)):
            arr = arr.copy()      # like torch.tensor: your array stays yours
        if requires_grad:
            check_grad_dtype(arr)
        self.array = arr
        self.node = None
        self._requires_grad = bool(requires_grad)
        self.grad = None
        self._version = 0
        self._meta = None

    # --- what it is ---
    @property
    def shape(self): return Size(self.array.shape)
    @property
    def device(self): return CPU                # tinyflow computes on the CPU (base/device.py)
    @property
    def ndim(self): return self.array.ndim
    @property
    def dtype(self): return dtypes.of(self.array.dtype)        # tinyflow.float32, as PyTorch's
    @property
    def is_leaf(self): return self.node is None
    @property
    def grad_fn(self): return self.node

    @property
    def name(self):
        """A display name (parameters get theirs from their module)."""
        return self._meta.get("name") if self._meta else None

    @name.setter
    def name(self, value):
        self._set_meta("name", value)

    def _set_meta(self, key, value):
        if self._meta is None:
            self._meta = {}
        self._meta[key] = value

    def numel(self): return self.array.size
    def __len__(self):
        if self.array.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.array)

    def numpy(self, force=False):
        """The values as a numpy array (shares memory, like PyTorch). As in PyTorch, a
        tensor that requires grad must be detached first: ``x.detach().numpy()``."""
        if self.requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                               "tensor.detach().numpy() instead.")
        return self.array

    @property
    def data(self):
        """The values as a tensor that shares this one's memory and records nothing
        (PyTorch's ``.data``): ``p.data -= lr * p.grad`` changes p in place, unseen by
        autograd and by its version checks -- which is why ``with no_grad():`` is the
        safer spelling today. (The numpy array itself is ``.array`` or ``.numpy()``.)"""
        return Tensor._wrap(self.array)

    @data.setter
    def data(self, value):
        if not isinstance(value, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(value).__name__}")
        if self.requires_grad and value.array.dtype.kind != "f":
            raise RuntimeError("data set to a tensor that requires gradients must be floating "
                               "point or complex dtype")
        self.array = value.array

    def __array__(self, dtype=None, copy=None):
        return self.array if dtype is None else self.array.astype(dtype)

    def item(self):
        """The single value of a one-element tensor, as a Python number."""
        if self.array.size != 1:
            raise RuntimeError(f"item(): a tensor with {self.array.size} elements cannot be converted "
                             f"to a Python scalar (shape {self.shape})")
        return self.array.item()

    def tolist(self): return self.array.tolist()

    def __format__(self, spec):
        """A one-element 0-d tensor formats as its number (``f"{loss:.4f}"``)."""
        if self.array.ndim == 0:
            return format(self.array.item(), spec)
        if spec:
            raise TypeError("unsupported format string passed to Tensor.__format__ (only a 0-d "
                            "tensor formats as a number: use .item() or index it)")
        return str(self)
    def __float__(self): return float(self._one("float"))
    def __int__(self): return int(self._one("int"))

    def _one(self, what):
        if self.array.size != 1:
            raise ValueError(f"{what}(): only one element tensors can be converted to Python "
                             f"scalars (this one has shape {self.shape})")
        return self.array.item()
    def __index__(self):
        if self.array.dtype.kind not in "iub":
            raise TypeError(f"only integer tensors of a single element can be used as an index, "
                            f"got dtype {self.array.dtype}")
        return int(self.item())

    def __bool__(self):
        if self.array.size != 1:
            raise RuntimeError(f"the truth value of a tensor with {self.array.size} elements is "
                               f"ambiguous; use .any() or .all()")
        return bool(self.array)

    def all(self): return Tensor._wrap(np.asarray(self.array.all()))
    def any(self): return Tensor._wrap(np.asarray(self.array.any()))

    def __iter__(self):
        if self.array.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self.array)))

    def __repr__(self):
        return tensor_repr(self)                   # PyTorch's format (printing.py)

    # --- autograd ---
    @staticmethod
    def _wrap(data, node=None):
        """Wrap an ndarray that tinyflow made (no copy, no checks): the hot path."""
        t = _new(Tensor)
        t.array = data
        t.node = node
        t._requires_grad = node is not None
        t.grad = None
        t._version = 0
        t._meta = None
        return t

    @property
    def requires_grad(self):
        """Does backward compute a gradient for this tensor (or through it)?"""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        self._set_requires_grad(bool_arg("requires_grad", "requires_grad", value),
                                "requires_grad")

    def _set_requires_grad(self, value, where):
        """As PyTorch has it: a non-leaf's flag follows its inputs (it cannot be turned
        off: detach() it), and only a floating point tensor can require grad."""
        if self.node is not None and not value:
            raise RuntimeError(f"{where}: you can only change requires_grad flags of leaf "
                               f"variables; for a value that needs no gradient use "
                               f"tensor.detach()")
        if value:
            check_grad_dtype(self.array, where)
        self._requires_grad = value

    def requires_grad_(self, requires_grad=True):
        """Mark a leaf as needing gradients (in place); returns self."""
        self._set_requires_grad(bool_arg("requires_grad_", "requires_grad", requires_grad),
                                "requires_grad_()")
        return self

    def detach(self):
        """The same values, cut off from the tape (shares memory)."""
        return Tensor._wrap(self.array)

    def clone(self):
        """A copy that stays on the tape (its gradient flows back to self)."""
        return bind(_E.Identity, (self,), {}) if self.requires_grad else Tensor._wrap(self.array.copy())

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Compute the gradient of this tensor with respect to the leaves that
        require it, and add it to their ``.grad``."""
        # The reverse walk of the tape (backward.py, which builds on this file).
        interpreters.eager_backward(self, gradient, retain_graph, create_graph, inputs)

    def retain_grad(self):
        """Keep ``.grad`` on a non-leaf tensor too (leaves always get one)."""
        if self.node is None:
            if not self.requires_grad:
                raise RuntimeError("retain_grad(): the tensor does not require grad")
            return
        self.node.retained = weakref.ref(self)

    @property
    def retains_grad(self):
        return self.node is not None and self.node.retained is not None

    def register_hook(self, hook):
        """Call ``hook(grad)`` when this tensor's gradient is computed; a hook
        may return a replacement gradient. Returns a handle with ``remove()``."""
        if not self.requires_grad:
            raise RuntimeError("register_hook(): cannot register a hook on a tensor that "
                               "doesn't require gradient")
        if self.node is not None:
            if self.node.hooks is None:
                self.node.hooks = {}
            return RemovableHandle(self.node.hooks, hook)
        hooks = self._meta.get("hooks") if self._meta else None
        if hooks is None:
            hooks = {}
            self._set_meta("hooks", hooks)
        return RemovableHandle(hooks, hook)


def operand(x):
    """``x`` as an operand for an op function: tensors of either kind as they
    are; numbers, lists and arrays as eager tensors -- or, while a graph is
    being built, as they are (the graph makes them constants).

    >>> operand([1.0, 2.0])
    tensor([1., 2.])
    """
    if is_tensor(x) or interpreters.building is not None:
        return x
    return Tensor(x)


def clear_grads(tensors, set_to_none=True):
    """Forget the gradients of ``tensors``: set ``.grad`` to None, or zero it in place
    (what ``Module.zero_grad`` and ``Optimizer.zero_grad`` do)."""
    for t in tensors:
        if t.grad is None:
            continue
        if set_to_none:
            t.grad = None
        else:
            with using_config(grad_enabled=False):
                t.grad.zero_()


_new = object.__new__

