"""The ONNX mapping of the elementwise math that needs care: ``Erf``, ``Elu``,
``Log1p`` (ops/activation.py) and ``Round``, ``Floor``, ``Ceil``, ``Trunc``,
``FloorDiv``, ``FloorMod`` (ops/sorting.py).

Each converter gives tinyflow's numpy result, edge cases included, in
onnxruntime and in onnx's ReferenceEvaluator. Where ONNX's op of the same name
would not, the converter spells the op out in plainer ONNX ops:

* ``Erf``: ONNX's ``Erf`` for float32 and float16. onnxruntime has no float64
  Erf kernel and the ReferenceEvaluator computes float64 Erf in float32, so for
  float64 the converter writes tinyflow's own algorithm (a series below |x| = 3,
  a continued fraction above) as two ONNX Loops.
* ``Elu``: ONNX's ``Elu`` computes exp(x) - 1, which loses the digits of small
  negative x (and onnxruntime has no float64 Elu); tinyflow uses expm1, written
  here as expm1(x) = 2t / (1 - t) with t = tanh(x / 2).
* ``Log1p``: ONNX has none; log1p(x) = x * log(u) / (u - 1) with u = 1 + x
  (exact where u == 1), which cancels the rounding of 1 + x.
* ``Round``: ONNX's Round rounds halves to even, as numpy does. ``Trunc``
  (none in ONNX) is Ceil below zero and Floor above.
* ``FloorDiv`` and ``FloorMod``: Python's ``//`` and ``%`` (the remainder has the
  sign of the divisor). ONNX's ``Mod`` does that for integers only (``fmod=0``);
  floats need ``fmod=1``, C's fmod, with the sign fixed afterwards. Floor(a / b)
  is not numpy's float ``//`` (``1.0 // 0.1`` is 9.0, floor(1.0 / 0.1) is 10.0):
  numpy divides a - fmod(a, b) by b, and so does the export. ONNX's integer Div
  truncates, so the quotient is moved down where the signs differ; and a zero
  divisor gives 0 for integers, as numpy does (onnxruntime would raise).

>>> from tinyflow.export.onnx_ops import CONVERTERS
>>> all(name in CONVERTERS for name in ("Erf", "Elu", "Log1p", "FloorDiv", "FloorMod"))
True
"""
import math

import numpy as np

from ..ops.activation import TWO_OVER_SQRT_PI
from .onnx_ops import UnsupportedOpError, converts

# tinyflow's erf (ops/activation.py): the series below |x| = 3 needs 45 terms at
# |x| = 3 (after that each term is below 1e-17 of the sum, so adding it changes
# nothing); the continued fraction has a fixed depth of 60.
SERIES_END, SERIES_TERMS, FRACTION_DEPTH = 3.0, 60, 60


def _float_input(b, op, xs):
    """The op's input in its (floating) output dtype, or an error naming the op."""
    dtype = op.outputs[0].dtype
    if dtype.kind != "f":
        raise UnsupportedOpError(
            f"ONNX export: {op.type} (node '{op.name}') of a {op.inputs[0].dtype} tensor: the "
            f"graph gives its result the type {dtype}, but the math is floating point; cast "
            f"the input to a float dtype first")
    return b.cast(xs[0], op.inputs[0].dtype, dtype), dtype


def _c(b, value, dtype, hint):
    """A scalar constant of ``dtype``."""
    return b.const(np.asarray(value, dtype), hint)


# --- Erf ----------------------------------------------------------------------------------

@converts("Erf")
def _erf(b, op, xs, out):
    x, dtype = _float_input(b, op, xs)
    if dtype != np.float64:
        return b.add("Erf", [x], out)

    def c(value, hint):
        return _c(b, value, dtype, f"{op.name}/{hint}")

    a = b.add("Abs", [x])
    end = c(SERIES_END, "series_end")
    small = _erf_series(b, b.add("Min", [a, end]), c)
    large = b.add("Sub", [c(1.0, "one"), _erfc_fraction(b, b.add("Max", [a, end]), c)])
    size = b.add("Where", [b.add("Less", [a, end]), small, large])
    b.add("Mul", [b.add("Sign", [x]), size], out)          # erf is odd: the sign of x


def _erf_series(b, a, c):
    """(2/sqrt(pi)) exp(-a^2) sum_n 2^n a^(2n+1) / (1*3*...*(2n+1)), term by term in a Loop."""
    one, two = c(1.0, "one"), c(2.0, "two")
    a2 = b.add("Mul", [a, a])
    two_a2 = b.add("Mul", [two, a2])

    def step(i, term, total):                # n = i + 1: term *= 2 a^2 / (2n + 1)
        n = b.add("Add", [b.add("Cast", [i], to=b.onnx_dtype(np.float64)), one])
        term = b.add("Mul", [term, b.add("Div", [two_a2, b.add("Add", [b.add("Mul", [two, n]),
                                                                          one])])])
        return term, b.add("Add", [total, term])

    total = _loop(b, SERIES_TERMS, [a, a], step, "series")[1]
    scale = b.add("Mul", [c(TWO_OVER_SQRT_PI, "two_over_sqrt_pi"),
                          b.add("Exp", [b.add("Neg", [a2])])])
    return b.add("Mul", [scale, total])


def _erfc_fraction(b, a, c):
    """exp(-a^2)/sqrt(pi) / (a + (1/2)/(a + 1/(a + (3/2)/(a + ...)))), innermost level first."""
    depth = b.int64s(FRACTION_DEPTH, "fraction_depth")
    two = c(2.0, "two")

    def step(i, f):                          # k = depth - i: f = a + (k / 2) / f
        k = b.add("Cast", [b.add("Sub", [depth, i])], to=b.onnx_dtype(np.float64))
        return (b.add("Add", [a, b.add("Div", [b.add("Div", [k, two]), f])]),)

    f = _loop(b, FRACTION_DEPTH, [a], step, "fraction")[0]
    tail = b.add("Div", [b.add("Exp", [b.add("Neg", [b.add("Mul", [a, a])])]),
                         c(math.sqrt(math.pi), "sqrt_pi")])
    return b.add("Div", [tail, f])


def _loop(b, count, initial, step, hint):
    """An ONNX ``Loop`` that runs ``count`` times over float64 tensors (``initial``,
    their ONNX names): ``step(i, *values)`` adds the body's nodes (``i``: the
    iteration number, int64) and returns the next values. The body reads the
    graph's other values by name. Returns the ONNX names of the final values."""
    hint = f"{b.scope}/{hint}" if b.scope else hint
    i, go = b.fresh(f"{hint}/i"), b.fresh(f"{hint}/cond")
    carried = [b.fresh(f"{hint}/v{k}") for k in range(len(initial))]
    outer_nodes, b.nodes = b.nodes, []
    new = step(i, *carried)
    outs = [b.add("Identity", [go])] + [b.add("Identity", [v]) for v in new]
    body_nodes, b.nodes = b.nodes, outer_nodes
    info, double = b.helper.make_tensor_value_info, b.onnx_dtype(np.float64)
    boolean = b.onnx_dtype(bool)
    body = b.helper.make_graph(
        body_nodes, f"{hint}_body",
        [info(i, b.onnx_dtype(np.int64), []), info(go, boolean, [])] +
        [info(v, double, None) for v in carried],
        [info(outs[0], boolean, [])] + [info(v, double, None) for v in outs[1:]])
    results = [b.fresh(f"{hint}/out{k}") for k in range(len(initial))]
    # an explicit `true` condition: the ReferenceEvaluator skips a Loop whose cond is omitted
    first = [b.int64s(count, f"{hint}/count"), b.const(np.asarray(True), f"{hint}/true")]
    b.nodes.append(b.helper.make_node("Loop", first + list(initial), results,
                                      name=b.fresh(f"{hint}/Loop"), body=body))
    return results


# --- Elu and Log1p -----------------------------------------------------------------------

def _expm1_nonpositive(b, x, dtype, hint):
    """exp(x) - 1 for x <= 0 without cancellation: 2t / (1 - t), t = tanh(x / 2)."""
    t = b.add("Tanh", [b.add("Mul", [x, _c(b, 0.5, dtype, f"{hint}/half")])])
    one = _c(b, 1.0, dtype, f"{hint}/one")
    return b.add("Div", [b.add("Add", [t, t]), b.add("Sub", [one, t])])


@converts("Elu")
def _elu(b, op, xs, out):
    x, dtype = _float_input(b, op, xs)
    zero = _c(b, 0.0, dtype, f"{op.name}/zero")
    # the negative part only (Min keeps NaN): exp never sees a large x
    neg = _expm1_nonpositive(b, b.add("Min", [x, zero]), dtype, op.name)
    alpha = float(op.attrs.get("alpha", 1.0))
    if alpha != 1.0:
        neg = b.add("Mul", [_c(b, alpha, dtype, f"{op.name}/alpha"), neg])
    b.add("Where", [b.add("Greater", [x, zero]), x, neg], out)


@converts("Log1p")
def _log1p(b, op, xs, out):
    x, dtype = _float_input(b, op, xs)
    one = _c(b, 1.0, dtype, f"{op.name}/one")
    u = b.add("Add", [x, one])
    d = b.add("Sub", [u, one])                    # what 1 + x rounded x to
    # u == 1: x is below the rounding of 1 + x, and log1p(x) = x; x = +inf: inf
    exact = b.add("Or", [b.add("Equal", [d, _c(b, 0.0, dtype, f"{op.name}/zero")]),
                         b.add("IsInf", [u], detect_negative=0)])
    ratio = b.add("Div", [x, b.add("Where", [exact, one, d])])
    b.add("Where", [exact, x, b.add("Mul", [b.add("Log", [u]), ratio])], out)


# --- rounding ------------------------------------------------------------------------------

def _rounding(onnx_type):
    def convert(b, op, xs, out):
        dtype = op.outputs[0].dtype
        x = b.cast(xs[0], op.inputs[0].dtype, dtype)
        if dtype.kind != "f":                     # integers are already whole numbers
            return b.add("Identity", [x], out)
        if onnx_type != "Trunc":
            return b.add(onnx_type, [x], out)
        below = b.add("Less", [x, _c(b, 0.0, dtype, f"{op.name}/zero")])
        b.add("Where", [below, b.add("Ceil", [x]), b.add("Floor", [x])], out)
    return convert


for _name in ("Round", "Floor", "Ceil", "Trunc"):
    converts(_name)(_rounding(_name))


# --- Python's // and % -------------------------------------------------------------------

def _divide_inputs(b, op, xs):
    dtype = op.outputs[0].dtype
    if dtype.kind not in "iuf":
        raise UnsupportedOpError(f"ONNX export: {op.type} (node '{op.name}') of {dtype} "
                                 f"tensors has no ONNX mapping; cast them to a number type")
    a, d = [b.cast(x, t.dtype, dtype) for x, t in zip(xs, op.inputs)]
    zero = _c(b, 0, dtype, f"{op.name}/zero")
    return a, d, dtype, zero


def _c_mod_fix(b, a, d, zero):
    """fmod(a, d) (the sign of a) and where numpy adds d to it (the signs differ)."""
    mod = b.add("Mod", [a, d], fmod=1)
    differ = b.add("Xor", [b.add("Less", [d, zero]), b.add("Less", [mod, zero])])
    return mod, b.add("And", [b.add("Not", [b.add("Equal", [mod, zero])]), differ])


def _integer_safe(b, op, d, dtype, zero):
    """(d == 0, d with its zeros made ones): numpy's x // 0 and x % 0 are 0."""
    by_zero = b.add("Equal", [d, zero])
    return by_zero, b.add("Where", [by_zero, _c(b, 1, dtype, f"{op.name}/one"), d])


@converts("FloorMod")
def _floor_mod(b, op, xs, out):
    a, d, dtype, zero = _divide_inputs(b, op, xs)
    if dtype.kind != "f":
        by_zero, d = _integer_safe(b, op, d, dtype, zero)
        return b.add("Where", [by_zero, zero, b.add("Mod", [a, d], fmod=0)], out)
    mod, fix = _c_mod_fix(b, a, d, zero)
    b.add("Where", [fix, b.add("Add", [mod, d]), mod], out)


@converts("FloorDiv")
def _floor_div(b, op, xs, out):
    a, d, dtype, zero = _divide_inputs(b, op, xs)
    one = _c(b, 1, dtype, f"{op.name}/one")
    if dtype.kind != "f":
        by_zero, d = _integer_safe(b, op, d, dtype, zero)
        q = b.add("Div", [a, d])                  # rounded towards zero
        signs = b.add("Xor", [b.add("Less", [a, zero]), b.add("Less", [d, zero])])
        down = b.add("And", [b.add("Not", [b.add("Equal", [b.add("Mod", [a, d], fmod=0),
                                                            zero])]), signs])
        q = b.add("Where", [down, b.add("Sub", [q, one]), q])
        return b.add("Where", [by_zero, zero, q], out)
    # numpy's float floor division: (a - fmod(a, d)) / d, one less where the signs of
    # the remainder and d differ, then floored and snapped to the nearest whole number
    mod, fix = _c_mod_fix(b, a, d, zero)
    q = b.add("Div", [b.add("Sub", [a, mod]), d])
    q = b.add("Where", [fix, b.add("Sub", [q, one]), q])
    floor = b.add("Floor", [q])
    up = b.add("Greater", [b.add("Sub", [q, floor]), _c(b, 0.5, dtype, f"{op.name}/half")])
    q = b.add("Where", [up, b.add("Add", [floor, one]), floor])
    b.add("Where", [b.add("Equal", [d, zero]), b.add("Div", [a, d]), q], out)  # x / 0: inf, nan
