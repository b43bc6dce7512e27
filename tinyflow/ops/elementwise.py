"""Elementwise primitives. Each one: a numpy forward, vjp rules in tinyflow's
own ops, and numpy's broadcasting as its shape rule.

Gradients of broadcast inputs are *not* summed here: the reverse walk sums
every input gradient back to its input's shape in one place (autodiff.py).

>>> import numpy as np
>>> from tinyflow.ops import elementwise as E
>>> E.Mul.forward(np.array([1., 2.]), 3.0)
array([3., 6.])
"""
import numpy as np

from ..base.args import operand_arg
from . import shape_rules
from .primitive import NO_ATTRS, Primitive, bind, bool_dtype, is_tensor
from .. import ops as F


def _binary(name, forward, doc, dtype=None, nondiff=False, promotion=None):
    def rule(a, b, **attrs):
        return shape_rules.broadcast(name, a, b)
    return Primitive(name, forward, rule, dtype=dtype, nondiff=nondiff, family="elementwise",
                     doc=doc, promotion=promotion)


def _unary(name, forward, doc, dtype=None, nondiff=False, promotion=None):
    return Primitive(name, forward, shape_rules.same, dtype=dtype, nondiff=nondiff,
                     family="elementwise", doc=doc, promotion=promotion)


Add = _binary("Add", np.add, "a + b", promotion="arith")
Sub = _binary("Sub", np.subtract, "a - b", promotion="arith")
Mul = _binary("Mul", np.multiply, "a * b", promotion="arith")
Div = _binary("RealDiv", np.true_divide, "a / b", promotion="divide")
Pow = _binary("Pow", np.power, "a ** b", promotion="arith")
Maximum = _binary("Maximum", np.maximum, "elementwise max(a, b)", promotion="arith")
Minimum = _binary("Minimum", np.minimum, "elementwise min(a, b)", promotion="arith")

Add.defvjp(lambda g, a, b, out: g,
           lambda g, a, b, out: g, reads=())
Sub.defvjp(lambda g, a, b, out: g,
           lambda g, a, b, out: -g, reads=())
Mul.defvjp(lambda g, a, b, out: g * b,
           lambda g, a, b, out: g * a)
Div.defvjp(lambda g, a, b, out: g / b,
           lambda g, a, b, out: -g * out / b, reads_out=True, reads=(1,))


def _pow_vjp_a(g, a, b, out):
    """d(a**b)/da = b * a**(b-1), and 0 where b == 0 (PyTorch's convention: a**-1
    would be inf at a == 0; there the exponent is made 1, and the factor b == 0 cancels it)."""
    if isinstance(b, (int, float)):          # a fixed exponent, as in x ** 2
        return g * b * a ** (b - 1) if b != 0 else g * 0
    return g * b * a ** F.where(b == 0, 1, b - 1)


def _pow_vjp_b(g, a, b, out):
    """d(a**b)/db = a**b * log(a), and 0 where a == 0 (log(1) stands in for log(0))."""
    if isinstance(a, (int, float)):          # a fixed base, as in 2 ** x
        return g * out * F.log(a if a != 0 else 1.0)
    return g * out * F.log(F.where(a == 0, 1, a))


Pow.defvjp(_pow_vjp_a, _pow_vjp_b, reads_out=True)
# Ties send half the gradient each way, so the rule stays symmetric.
def _pick(g, wins, tie):
    return F.where(wins, g, F.where(tie, 0.5 * g, 0.0))


Maximum.defvjp(lambda g, a, b, out: _pick(g, a > b, a == b),
               lambda g, a, b, out: _pick(g, b > a, a == b))
Minimum.defvjp(lambda g, a, b, out: _pick(g, a < b, a == b),
               lambda g, a, b, out: _pick(g, b < a, a == b))

Neg = _unary("Neg", np.negative, "-x").defvjp(lambda g, x, out: -g, reads=())
Exp = _unary("Exp", np.exp, "e ** x", promotion="float").defvjp(lambda g, x, out: g * out, reads_out=True,
                                                                                reads=())
Log = _unary("Log", np.log, "natural logarithm", promotion="float").defvjp(lambda g, x, out: g / x)
Sqrt = _unary("Sqrt", np.sqrt, "square root", promotion="float").defvjp(lambda g, x, out: g / (2 * out), reads_out=True, reads=())
Sin = _unary("Sin", np.sin, "sine", promotion="float").defvjp(lambda g, x, out: g * F.cos(x))
Cos = _unary("Cos", np.cos, "cosine", promotion="float").defvjp(lambda g, x, out: -g * F.sin(x))
Tanh = _unary("Tanh", np.tanh, "hyperbolic tangent", promotion="float").defvjp(lambda g, x, out: g * (1 - out * out),
                                                                   reads_out=True, reads=())
Sign = _unary("Sign", np.sign, "-1, 0 or 1", nondiff=True)
Abs = _unary("Abs", np.abs, "|x|").defvjp(lambda g, x, out: g * F.sign(x))


def _sigmoid(x):
    # 1 / (1 + e^-x) overflows for large negative x; this form never does.
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _relu(x):
    return np.maximum(x, 0)


def _softplus(x):
    return np.logaddexp(0, x)


Sigmoid = _unary("Sigmoid", _sigmoid, "1 / (1 + e^-x)", promotion="float").defvjp(lambda g, x, out: g * out * (1 - out),
                                                                    reads_out=True, reads=())
Relu = _unary("Relu", _relu, "max(x, 0)").defvjp(lambda g, x, out: g * (out > 0), reads_out=True,
                                                  reads=())
Softplus = _unary("Softplus", _softplus, "log(1 + e^x), computed stably", promotion="float").defvjp(
    lambda g, x, out: g * F.sigmoid(x))


def _clip(x, min=None, max=None):
    return np.clip(x, min, max)


def _clip_mask(x, lo, hi):
    if lo is None:
        return x <= hi
    if hi is None:
        return x >= lo
    return (x >= lo) * (x <= hi)


Clip = _unary("ClipByValue", _clip, "x limited to [min, max]").defvjp(
    lambda g, x, out, min=None, max=None: g * _clip_mask(x, min, max))

# A copy, not the same array: x.clone() is built on it, and changing the clone in
# place must leave x alone.
Identity = _unary("Identity", np.copy, "a copy of x").defvjp(lambda g, x, out: g, reads=())


def _cast(x, dtype):
    return np.asarray(x).astype(dtype, copy=False)


def _cast_dtype(d, dtype):
    return np.dtype(dtype)


Cast = Primitive("Cast", _cast, shape_rules.same, dtype=_cast_dtype, family="elementwise",
                 doc="x converted to dtype")
Cast.defvjp(lambda g, x, out, dtype: F.cast(g, x.dtype), reads=())     # x's dtype only


def _where(cond, x, y):
    return np.where(cond, x, y)


def _where_dtype(c, x, y, **attrs):
    return np.result_type(x, y)


Where = Primitive("Select", _where, lambda c, x, y: shape_rules.broadcast("Select", c, x, y),
                  dtype=_where_dtype, family="elementwise", doc="x where cond else y",
                  promotion="where")
Where.defvjp(None,
             lambda g, c, x, y, out: F.where(c, g, 0.0),
             lambda g, c, x, y, out: F.where(c, 0.0, g), reads=(0,))

Equal = _binary("Equal", np.equal, "a == b", dtype=bool_dtype, nondiff=True)
NotEqual = _binary("NotEqual", np.not_equal, "a != b", dtype=bool_dtype, nondiff=True)
Less = _binary("Less", np.less, "a < b", dtype=bool_dtype, nondiff=True)
LessEqual = _binary("LessEqual", np.less_equal, "a <= b", dtype=bool_dtype, nondiff=True)
Greater = _binary("Greater", np.greater, "a > b", dtype=bool_dtype, nondiff=True)
GreaterEqual = _binary("GreaterEqual", np.greater_equal, "a >= b", dtype=bool_dtype, nondiff=True)
LogicalAnd = _binary("LogicalAnd", np.logical_and, "a and b", dtype=bool_dtype, nondiff=True)
LogicalOr = _binary("LogicalOr", np.logical_or, "a or b", dtype=bool_dtype, nondiff=True)
LogicalNot = _unary("LogicalNot", np.logical_not, "not x", dtype=bool_dtype, nondiff=True)
IsFinite = _unary("IsFinite", np.isfinite, "x is neither inf nor nan", dtype=bool_dtype, nondiff=True)


def _ones_like(x):
    return np.ones_like(x) if x.__class__ is np.ndarray else np.ones(np.shape(x), np.result_type(x))


def _zeros_like(x):
    return np.zeros(np.shape(x), dtype=np.result_type(x))


OnesLike = _unary("OnesLike", _ones_like, "ones shaped like x", nondiff=True)
ZerosLike = _unary("ZerosLike", _zeros_like, "zeros shaped like x", nondiff=True)
# The gradient stops here: forward is the identity, and its output never needs a gradient.
StopGradient = _unary("StopGradient", lambda x: x, "x, but no gradient flows through it",
                      nondiff=True)


# --- the op functions ----------------------------------------------------------

_NOT_OPERANDS = (str, bytes, dict, set, frozenset, type(None))


def _operands(fn, a, b):
    """A string, None, a dict or a set is no operand: a TypeError naming the function and
    the argument (one class look-up each, so the op functions stay cheap)."""
    if a.__class__ in _NOT_OPERANDS:
        operand_arg(fn, "input", a)
    if b.__class__ in _NOT_OPERANDS:
        operand_arg(fn, "other", b)


def add(a, b):
    """a + b, with numpy broadcasting."""
    _operands("add", a, b)
    return bind(Add, (a, b), NO_ATTRS)


def sub(a, b):
    """a - b"""
    _operands("sub", a, b)
    return bind(Sub, (a, b), NO_ATTRS)


def mul(a, b):
    """a * b"""
    _operands("mul", a, b)
    return bind(Mul, (a, b), NO_ATTRS)


def div(a, b):
    """a / b (true division)"""
    _operands("div", a, b)
    return bind(Div, (a, b), NO_ATTRS)


def pow(a, b):
    """a ** b"""
    _operands("pow", a, b)
    return bind(Pow, (a, b), NO_ATTRS)


def maximum(a, b):
    """elementwise larger of a and b"""
    _operands("maximum", a, b)
    return bind(Maximum, (a, b), NO_ATTRS)


def minimum(a, b):
    """elementwise smaller of a and b"""
    _operands("minimum", a, b)
    return bind(Minimum, (a, b), NO_ATTRS)


def _function_of(prim):
    return prim.names(lambda x: bind(prim, (x,), NO_ATTRS))


neg = _function_of(Neg)
exp = _function_of(Exp)
log = _function_of(Log)
sqrt = _function_of(Sqrt)
sin = _function_of(Sin)
cos = _function_of(Cos)
tanh = _function_of(Tanh)
abs = _function_of(Abs)
sign = _function_of(Sign)
sigmoid = _function_of(Sigmoid)
relu = _function_of(Relu)
softplus = _function_of(Softplus)
identity = _function_of(Identity)
logical_not = _function_of(LogicalNot)
isfinite = _function_of(IsFinite)


def clamp(x, min=None, max=None):
    """x limited to [min, max]; either bound may be None."""
    if min is None and max is None:
        raise ValueError("clamp: at least one of min and max must be given")
    for name, bound in (("min", min), ("max", max)):
        if bound is not None:
            operand_arg("clamp", name, bound)
    if _is_array(min) or _is_array(max):
        # tensor bounds are inputs, not attributes (they may need gradients themselves)
        if min is not None:
            x = maximum(x, min)
        return x if max is None else minimum(x, max)
    return bind(Clip, (x,), {"min": min, "max": max})


def _is_array(v):
    return isinstance(v, np.ndarray) or is_tensor(v)


def cast(x, dtype):
    """x converted to dtype."""
    return bind(Cast, (x,), {"dtype": np.dtype(dtype)})


def where(cond, x, y):
    """x where cond is true, else y (broadcasting all three); cond must be boolean."""
    operand_arg("where", "condition", cond)
    kind = np.dtype(cond.dtype).kind if hasattr(cond, "dtype") else None
    if kind is not None and kind != "b":
        raise RuntimeError(f"where(): argument 'condition' must be a boolean tensor, but got a "
                           f"tensor with dtype {np.dtype(cond.dtype)} (compare first, e.g. "
                           f"where(x > 0, ...), or convert with .bool())")
    return bind(Where, (cond, operand_arg("where", "input", x), operand_arg("where", "other", y)),
                NO_ATTRS)


def equal(a, b):
    return bind(Equal, (a, b), NO_ATTRS)


def not_equal(a, b):
    return bind(NotEqual, (a, b), NO_ATTRS)


def less(a, b):
    return bind(Less, (a, b), NO_ATTRS)


def less_equal(a, b):
    return bind(LessEqual, (a, b), NO_ATTRS)


def greater(a, b):
    return bind(Greater, (a, b), NO_ATTRS)


def greater_equal(a, b):
    return bind(GreaterEqual, (a, b), NO_ATTRS)


def logical_and(a, b):
    return bind(LogicalAnd, (a, b), NO_ATTRS)


def logical_or(a, b):
    return bind(LogicalOr, (a, b), NO_ATTRS)


ones_like = _function_of(OnesLike)
zeros_like = _function_of(ZerosLike)
stop_gradient = _function_of(StopGradient)


def square(x):
    """x * x"""
    return bind(Mul, (x, x), NO_ATTRS)


def reciprocal(x):
    """1 / x"""
    return bind(Div, (1.0, x), NO_ATTRS)


def rsqrt(x):
    """1 / sqrt(x)"""
    return reciprocal(sqrt(x))
