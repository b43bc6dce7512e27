"""The op functions users call: ``tinyflow.exp(x)``, ``tinyflow.matmul(a, b)``,
``tinyflow.sum(x, dim=1)``, and the TensorFlow spellings ``reduce_sum``,
``reduce_mean``, ``pow``...

They take tensors of either kind, numpy arrays or Python numbers. Outside a
graph, plain numbers and arrays become eager tensors; inside one (``with
g.as_default()`` or ``tinyflow.compat.v1``) they become constant nodes.

>>> import tinyflow as tf
>>> tf.exp(tf.zeros(2))
tensor([1., 1.])
>>> tf.reduce_sum([[1., 2.], [3., 4.]], axis=0)
tensor([4., 6.])
"""
import numpy as np

from .. import ops as F
from ..eager.tensor import Tensor, operand
from ..ops.primitive import interpreters, is_tensor


def _is_tensor(x):
    return is_tensor(x)


_t = operand           # a tensor for x (eager outside a graph; left for the graph inside one)


def _input(fn, x, name="input"):
    """``x`` as the tensor argument of a PyTorch spelling: outside a graph it must be
    one, as in PyTorch (``tinyflow.exp([1.0])`` is a TypeError: make the list a tensor
    first); while a graph is being built, numbers and lists become constants, as in
    TensorFlow."""
    if is_tensor(x) or interpreters.building is not None:
        return _t(x)
    raise TypeError(f"{fn}(): argument '{name}' must be Tensor, not {type(x).__name__}")


def _tensors(fn, tensors):
    """The ``tensors`` argument of cat and stack: a list or tuple of tensors (constants
    too while a graph is being built), with PyTorch's errors."""
    if interpreters.building is not None and isinstance(tensors, (list, tuple)):
        return [_t(t) for t in tensors]
    if not isinstance(tensors, (list, tuple)):
        hint = (f": put them in one list, {fn}([a, b], dim=0) (the second argument is dim)"
                if is_tensor(tensors) else "")
        raise TypeError(f"{fn}(): argument 'tensors' must be a tuple of Tensors, not "
                        f"{type(tensors).__name__}{hint}")
    for i, t in enumerate(tensors):
        if not is_tensor(t):
            raise TypeError(f"{fn}(): expected Tensor as element {i} in argument 'tensors', "
                            f"but got {type(t).__name__}")
    return tensors


def _method(name, doc=None, strict=True):
    """The function spelling of method ``name``: ``exp(x)`` is ``x.exp()``. PyTorch's
    names want a tensor; TensorFlow's (``strict=False``) take numbers and lists too."""
    def f(input, *args, **kwargs):
        x = _input(name, input) if strict else _t(input)
        return getattr(x, name)(*args, **kwargs)
    f.__name__ = name
    f.__doc__ = doc or getattr(getattr(Tensor, name), "__doc__", None) or f"x.{name}(...) as a function"
    return f


def _binary(op):
    def f(a, b):
        if not (_is_tensor(a) or _is_tensor(b)):
            a = _t(a)
        return op(a, b)
    f.__name__ = op.__name__
    f.__doc__ = op.__doc__
    return f


# elementwise
exp, log, sqrt, sin, cos, tanh = (_method(n) for n in ("exp", "log", "sqrt", "sin", "cos", "tanh"))
abs, sign, sigmoid, relu, neg, square = (_method(n) for n in
                                         ("abs", "sign", "sigmoid", "relu", "neg", "square"))
clamp = clip = _method("clamp")
negative = neg
mul, div, pow = (_binary(f) for f in (F.mul, F.div, F.pow))


def add(input, other, alpha=1):
    """input + alpha * other (PyTorch's ``torch.add``)"""
    return _input("add", input).add(other, alpha=alpha)


def sub(input, other, alpha=1):
    """input - alpha * other"""
    return _input("sub", input).sub(other, alpha=alpha)
subtract, multiply, divide, true_divide = sub, mul, div, div
maximum, minimum, matmul = _binary(F.maximum), _binary(F.minimum), _binary(F.matmul)
mm = matmul
eq = _binary(F.equal)
ne = not_equal = _binary(F.not_equal)
lt = less = _binary(F.less)
le = less_equal = _binary(F.less_equal)
gt = greater = _binary(F.greater)
ge = greater_equal = _binary(F.greater_equal)
logical_and, logical_or = _binary(F.logical_and), _binary(F.logical_or)


def logical_not(x):
    return F.logical_not(_t(x))


def softplus(x):
    """log(1 + exp(x)), computed stably"""
    return F.softplus(_t(x))


_NOTHING = object()


def where(condition, input=_NOTHING, other=_NOTHING):
    """``input`` where ``condition`` holds, else ``other``; ``where(condition)`` alone is
    the indices where it holds, one tensor per dimension (``nonzero(as_tuple=True)``)."""
    if input is _NOTHING and other is _NOTHING:
        cond = _input("where", condition, "condition")
        return tuple(Tensor._wrap(i) for i in np.nonzero(cond.array))
    for name, v in (("input", input), ("other", other)):
        if v is _NOTHING:
            raise TypeError(f"where(): argument '{name}' is missing: where(condition, input, "
                            f"other) takes both (or neither, for the indices where condition "
                            f"holds)")
    if not any(_is_tensor(v) for v in (condition, input, other)):
        input = _t(input)
    return F.where(condition, input, other)


def cast(x, dtype):
    """x converted to dtype (TensorFlow's tf.cast)"""
    return F.cast(_t(x), dtype)


def identity(x):
    return F.identity(_t(x))


# reductions (PyTorch: dim/keepdim; TensorFlow: axis/keepdims)
sum, mean, max, min, var, std = (_method(n) for n in ("sum", "mean", "max", "min", "var", "std"))
argmax, argmin, logsumexp, amax, amin = (_method(n) for n in
                                         ("argmax", "argmin", "logsumexp", "amax", "amin"))
softmax, log_softmax = _method("softmax"), _method("log_softmax")

# sorting and rounding (PyTorch: dim=; sort and topk give named (values, indices) pairs)
sort, argsort, topk, unique = (_method(n) for n in ("sort", "argsort", "topk", "unique"))
round, floor, ceil, trunc = (_method(n) for n in ("round", "floor", "ceil", "trunc"))
floor_divide, remainder, diag = (_method(n) for n in ("floor_divide", "remainder", "diag"))


def _reduce(f):
    def reduce(input_tensor, axis=None, keepdims=False, name=None):
        return f(_t(input_tensor), axis, keepdims)
    reduce.__name__ = "reduce_" + f.__name__
    reduce.__doc__ = f"TensorFlow's tf.{reduce.__name__}(input_tensor, axis=None, keepdims=False)"
    return reduce


reduce_sum, reduce_mean = _reduce(F.sum), _reduce(F.mean)
reduce_max, reduce_min = _reduce(F.max), _reduce(F.min)
reduce_logsumexp = _reduce(F.logsumexp)

# shape
reshape, view, flatten, permute = (_method(n) for n in ("reshape", "view", "flatten", "permute"))
unsqueeze, squeeze = _method("unsqueeze"), _method("squeeze")
expand_dims = _method("unsqueeze", strict=False)         # TensorFlow's name
broadcast_to = _method("broadcast_to")


def transpose(input, *args, **kwargs):
    """PyTorch: ``transpose(x, dim0, dim1)``; TensorFlow: ``transpose(x, perm)``."""
    if "perm" in kwargs or (len(args) == 1 and isinstance(args[0], (list, tuple))):
        perm = kwargs.get("perm", args[0] if args else None)
        return F.transpose(_t(input), perm)
    return _input("transpose", input).transpose(*args, **kwargs)


def cat(tensors, dim=0, *, axis=None):
    """tensors joined along an existing dimension"""
    return F.concat(_tensors("cat", tensors), dim if axis is None else axis)


def concat(values, axis=0, name=None):
    """TensorFlow's name for cat"""
    return F.concat([_t(t) for t in values], axis)


def stack(tensors, dim=0, *, axis=None):
    """tensors joined along a new dimension"""
    return F.stack(_tensors("stack", tensors), dim if axis is None else axis)


def take_along_axis(x, indices, axis):
    return F.take_along_axis(_t(x), indices, axis)

__all__ = [
    "sort", "argsort", "topk", "unique", "round", "floor", "ceil", "trunc", "floor_divide",
    "remainder", "diag",
    "exp", "log", "sqrt", "sin", "cos", "tanh", "abs", "sign", "sigmoid", "relu", "neg",
    "square", "clamp", "clip", "negative", "add", "sub", "mul", "div", "pow", "subtract",
    "multiply", "divide", "true_divide", "maximum", "minimum", "matmul", "mm", "eq", "equal",
    "ne", "not_equal", "lt", "less", "le", "less_equal", "gt", "greater", "ge",
    "greater_equal", "logical_and", "logical_or", "logical_not", "softplus", "where", "cast",
    "identity", "is_tensor", "numel", "sum", "mean", "max", "min", "var", "std", "argmax", "argmin", "logsumexp",
    "amax", "amin", "softmax", "log_softmax", "reduce_sum", "reduce_mean", "reduce_max",
    "reduce_min", "reduce_logsumexp", "reshape", "view", "flatten", "permute", "unsqueeze",
    "squeeze", "expand_dims", "broadcast_to", "transpose", "cat", "concat", "stack",
    "take_along_axis"
]


def equal(input, other):
    """True if both tensors have the same shape and the same values (PyTorch's
    ``torch.equal``: a Python bool; ``eq`` compares element by element)."""
    for name, t in (("input", input), ("other", other)):
        if not isinstance(t, Tensor):
            raise TypeError(f"equal(): argument '{name}' must be Tensor, not {type(t).__name__}")
    return input.array.shape == other.array.shape and bool((input.array == other.array).all())


def numel(input):
    """The number of elements of ``input``."""
    return int(np.prod(input.shape))
