"""Operators and methods shared by eager and symbolic tensors (and, from
conversions.py, the dtype and device conversions).

Both tensor classes inherit this mixin (and, from shape_methods.py, the shape
methods), so the same Python -- ``(x @ W + b).relu()`` -- runs eagerly or adds
graph nodes. The spellings are PyTorch's (``dim``,
``keepdim``, ``view``, ``unsqueeze``); numpy/TensorFlow spellings (``axis``,
``keepdims``) are accepted too.
"""
import numpy as np

from ..base.args import bool_arg, is_operand
from .primitive import NO_ATTRS, bind, interpreters, is_eager, is_tensor
from . import elementwise as _E, linalg as _L, return_types, sorting as _S
from .conversions import Conversions
from .shape_methods import ShapeMethods
from .more_methods import MoreMethods
from .. import ops as F


def _axis(dim, axis):
    return axis if dim is None else dim


def _keep(fn, keepdim, keepdims):
    """PyTorch's ``keepdim`` must be a bool; TensorFlow's ``keepdims`` is read as one."""
    if keepdims is not None:
        return bool(keepdims)
    return bool_arg(fn, "keepdim", keepdim)


# Each operator, and each one-input method, runs one primitive:
# name -> (primitive, how the arguments go in).
_SELF_OTHER, _OTHER_SELF, _SELF = range(3)
OPERATORS = {
    "__add__": (_E.Add, _SELF_OTHER), "__radd__": (_E.Add, _OTHER_SELF),
    "__sub__": (_E.Sub, _SELF_OTHER), "__rsub__": (_E.Sub, _OTHER_SELF),
    "__mul__": (_E.Mul, _SELF_OTHER), "__rmul__": (_E.Mul, _OTHER_SELF),
    "__truediv__": (_E.Div, _SELF_OTHER), "__rtruediv__": (_E.Div, _OTHER_SELF),
    "__pow__": (_E.Pow, _SELF_OTHER), "__rpow__": (_E.Pow, _OTHER_SELF),
    "__matmul__": (_L.MatMul, _SELF_OTHER), "__rmatmul__": (_L.MatMul, _OTHER_SELF),
    "__lt__": (_E.Less, _SELF_OTHER), "__le__": (_E.LessEqual, _SELF_OTHER),
    "__gt__": (_E.Greater, _SELF_OTHER), "__ge__": (_E.GreaterEqual, _SELF_OTHER),
    "__eq__": (_E.Equal, _SELF_OTHER), "__ne__": (_E.NotEqual, _SELF_OTHER),
    "__and__": (_E.LogicalAnd, _SELF_OTHER), "__rand__": (_E.LogicalAnd, _OTHER_SELF),
    "__or__": (_E.LogicalOr, _SELF_OTHER), "__ror__": (_E.LogicalOr, _OTHER_SELF),
    "__floordiv__": (_S.FloorDiv, _SELF_OTHER), "__rfloordiv__": (_S.FloorDiv, _OTHER_SELF),
    "__mod__": (_S.Mod, _SELF_OTHER), "__rmod__": (_S.Mod, _OTHER_SELF),
    "__neg__": (_E.Neg, _SELF), "__abs__": (_E.Abs, _SELF), "__invert__": (_E.LogicalNot, _SELF),
    "exp": (_E.Exp, _SELF), "log": (_E.Log, _SELF), "sqrt": (_E.Sqrt, _SELF),
    "abs": (_E.Abs, _SELF), "sign": (_E.Sign, _SELF), "sin": (_E.Sin, _SELF),
    "cos": (_E.Cos, _SELF), "tanh": (_E.Tanh, _SELF), "sigmoid": (_E.Sigmoid, _SELF),
    "relu": (_E.Relu, _SELF),
}


def with_operators(on_tape=False):
    """A class decorator: the class gets the methods of OPERATORS. They run
    through ``bind``, which picks the interpreter from the arguments; with
    ``on_tape`` (the eager Tensor's) they go to the tape's interpreter
    directly, since an eager tensor's own operator already knows where it runs
    (the tape hands the op on to the graph builder if an argument is symbolic).
    That skips ``bind``'s look at each argument: when it came in, bench W1 (the
    per-op overhead) went from 4.62x to about 4.35x of numpy. To switch it off,
    decorate the eager Tensor with ``@with_operators()``: every operator then
    goes through ``bind``."""
    def decorate(cls):
        for name, (prim, order) in OPERATORS.items():
            method = _operator(prim, order, on_tape)
            method.__name__, method.__qualname__ = name, f"{cls.__name__}.{name}"
            method.__doc__ = prim.doc
            setattr(cls, name, method)
        return cls
    return decorate


def _operator(prim, order, on_tape):
    if on_tape:
        if order == _SELF_OTHER:
            def method(self, other): return interpreters.eager(prim, (self, other), NO_ATTRS)
            if prim in _COMPARISONS:
                method = _comparison(method)
        elif order == _OTHER_SELF:
            def method(self, other): return interpreters.eager(prim, (other, self), NO_ATTRS)
        else:
            def method(self): return interpreters.eager(prim, (self,), NO_ATTRS)
        return method
    if order == _SELF_OTHER:
        def method(self, other): return bind(prim, (self, other), NO_ATTRS)
        if prim in _COMPARISONS:
            method = _comparison(method)
    elif order == _OTHER_SELF:
        def method(self, other): return bind(prim, (other, self), NO_ATTRS)
    else:
        def method(self): return bind(prim, (self,), NO_ATTRS)
    return method


_COMPARISONS = (_E.Equal, _E.NotEqual)


def _comparison(method):
    """``x == v`` and ``x != v`` for a ``v`` no op computes with (a string, None, a list):
    Python's answer -- not equal -- as PyTorch gives it, instead of an error."""
    def compare(self, other):
        if not (is_tensor(other) or is_operand(other)):
            return NotImplemented
        return method(self, other)
    return compare


@with_operators()
class TensorMethods(ShapeMethods, Conversions, MoreMethods):
    __slots__ = ()
    __array_ufunc__ = None       # numpy defers to our reflected operators (ndarray + Tensor)
    __hash__ = object.__hash__   # tensors are dict keys (feed_dict) by identity

    # --- operators: the OPERATORS table below, run through bind ---
    def __pos__(self): return self
    def __getitem__(self, key): return F.getitem(self, unwrap_key(key))

    # --- elementwise ---
    def add(self, other, alpha=1): return F.add(self, other if alpha == 1 else other * alpha)
    def sub(self, other, alpha=1): return F.sub(self, other if alpha == 1 else other * alpha)
    def mul(self, other): return F.mul(self, other)
    def div(self, other): return F.div(self, other)
    def pow(self, other): return F.pow(self, other)
    def neg(self): return F.neg(self)
    # exp, log, sqrt, abs, sign, sin, cos, tanh, sigmoid, relu: the OPERATORS table
    def square(self): return self * self
    def maximum(self, other): return F.maximum(self, other)
    def minimum(self, other): return F.minimum(self, other)
    def clamp(self, min=None, max=None): return F.clamp(self, min, max)
    clip = clamp
    def eq(self, other): return F.equal(self, other)
    def ne(self, other): return F.not_equal(self, other)
    def lt(self, other): return F.less(self, other)
    def le(self, other): return F.less_equal(self, other)
    def gt(self, other): return F.greater(self, other)
    def ge(self, other): return F.greater_equal(self, other)

    # --- reductions ---
    def sum(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        return F.sum(self, _axis(dim, axis), _keep("sum", keepdim, keepdims))

    def mean(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        return F.mean(self, _axis(dim, axis), _keep("mean", keepdim, keepdims))

    def var(self, dim=None, keepdim=False, *, correction=1, unbiased=None, axis=None, keepdims=None):
        if unbiased is not None:
            correction = int(unbiased)
        return F.var(self, _axis(dim, axis), _keep("var", keepdim, keepdims), correction)

    def std(self, dim=None, keepdim=False, *, correction=1, unbiased=None, axis=None, keepdims=None):
        if unbiased is not None:
            correction = int(unbiased)
        return F.std(self, _axis(dim, axis), _keep("std", keepdim, keepdims), correction)

    def max(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """The largest value; with ``dim``, PyTorch's ``(values, indices)`` pair;
        with another tensor, the elementwise ``maximum``."""
        if _is_array_like(dim):
            return F.maximum(self, dim)
        dim = _axis(dim, axis)
        if dim is None:
            return F.max(self)
        keep = _keep("max", keepdim, keepdims)
        return return_types.max(F.max(self, dim, keep), F.argmax(self, dim, keep))

    def min(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """The smallest value; with ``dim``, ``(values, indices)``; with a tensor, ``minimum``."""
        if _is_array_like(dim):
            return F.minimum(self, dim)
        dim = _axis(dim, axis)
        if dim is None:
            return F.min(self)
        keep = _keep("min", keepdim, keepdims)
        return return_types.min(F.min(self, dim, keep), F.argmin(self, dim, keep))

    def amax(self, dim=None, keepdim=False):
        return F.max(self, dim, keepdim)

    def amin(self, dim=None, keepdim=False):
        return F.min(self, dim, keepdim)

    def argmax(self, dim=None, keepdim=False, *, axis=None):
        return F.argmax(self, _axis(dim, axis), keepdim)

    def argmin(self, dim=None, keepdim=False, *, axis=None):
        return F.argmin(self, _axis(dim, axis), keepdim)

    # --- sorting and rounding ---
    def sort(self, dim=-1, descending=False, stable=False):
        """PyTorch's ``(values, indices)`` of this tensor sorted along ``dim``."""
        return return_types.sort(*F.sort(self, dim, descending))

    def argsort(self, dim=-1, descending=False, stable=False):
        return F.argsort(self, dim, descending)

    def topk(self, k, dim=-1, largest=True, sorted=True):
        """The ``k`` largest (or smallest) values along ``dim`` and their indices."""
        return return_types.topk(*F.topk(self, k, dim, largest, sorted))

    def unique(self, sorted=True, return_inverse=False, return_counts=False, dim=None):
        """The distinct values (sorted); with ``return_inverse``/``return_counts``, a tuple."""
        got = F.unique(self, sorted, return_inverse, return_counts, dim)
        wrap = self.__class__
        return wrap(got) if not isinstance(got, tuple) else tuple(wrap(g) for g in got)

    def round(self, decimals=0): return F.round(self, decimals)
    def floor(self): return F.floor(self)
    def ceil(self): return F.ceil(self)
    def trunc(self): return F.trunc(self)
    def floor_divide(self, other): return F.floor_divide(self, other)
    def remainder(self, other): return F.remainder(self, other)

    def diag(self, diagonal=0):
        """A 1-D tensor as the ``diagonal``-th diagonal of a square matrix; a matrix's
        ``diagonal``-th diagonal as 1-D (PyTorch's ``diag``)."""
        k = int(diagonal)
        if self.ndim == 1:
            n = tuple(self.shape)[0]
            m = n + abs(k)
            dtype = np.dtype(self.dtype)
            square = F.expand_dims(self, 0) * np.eye(n, dtype=dtype)          # x on the diagonal
            rows = np.eye(m, n, -max(-k, 0), dtype=dtype)                     # moved down by -k
            cols = np.eye(n, m, max(k, 0), dtype=dtype)                       # moved right by k
            return F.matmul(F.matmul(rows, square), cols)
        if self.ndim != 2:
            raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {self.ndim}D")
        rows, cols = tuple(self.shape)
        count = max(0, min(rows, cols - k) if k >= 0 else min(rows + k, cols))
        i = np.arange(count)
        return self[(i, i + k)] if k >= 0 else self[(i - k, i)]

    def logsumexp(self, dim=None, keepdim=False):
        return F.logsumexp(self, dim, keepdim)

    def softmax(self, dim):           # no default dim, as in PyTorch: say which one
        return F.softmax(self, dim)

    def log_softmax(self, dim):
        return F.log_softmax(self, dim)

    # --- shape: reshape, view, permute, unsqueeze, expand... (shape_methods.py) ---
    def expand_as(self, other): return F.broadcast_like(self, other)
    def broadcast_to(self, shape): return F.broadcast_to(self, shape)
    def matmul(self, other): return F.matmul(self, other)
    mm = matmul


def _is_array_like(x):
    return is_tensor(x) or isinstance(x, np.ndarray)


def unwrap_key(key):
    """An indexing key with eager tensors replaced by their arrays (symbolic ones stay)."""
    if isinstance(key, tuple):
        return tuple(unwrap_key(k) for k in key)
    return key.array if is_eager(key) else key
