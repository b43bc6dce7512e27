"""Checker for lesson 2's exercise: a tape with backward, in about 40 lines.

The learner writes a class ``Value`` (numpy only, no tinyflow) with this shape::

    class Value:
        def __init__(self, data, parents=(), rules=()):
            self.data = np.asarray(data, dtype=np.float64)
            self.grad = None          # filled in (added to) by backward()
            self.parents = parents    # the Values this one was computed from
            self.rules = rules        # one vjp rule per parent: g -> that parent's gradient
            self.seq = next(counter)  # creation number: a topological order
        def __add__(self, other): ...     # also Value + number, number + Value
        def __mul__(self, other): ...
        def tanh(self): ...
        def sum(self): ...
        def backward(self): ...

``check_tape(Value)`` runs small programs on it and compares values and gradients with
formulas worked out by hand, in float64. It prints one line per check, with a hint when a
check fails.
"""
import numpy as np

from .checking import Failed as _Failed, attempt, run_checks

_TOL = dict(rtol=1e-9, atol=1e-12)


def _arr(v, what):
    if v is None:
        raise _Failed(f"{what} is None")
    data = getattr(v, "data", v)
    return np.asarray(data, dtype=np.float64)


def _value(Value, what, fn):
    out = attempt(fn, what)
    if out is None:
        raise _Failed(f"{what} returned None: it must return a new Value")
    if not isinstance(out, Value):
        raise _Failed(f"{what} returned a {type(out).__name__}, not a Value")
    return out


def _same(got, expected, what, hint=""):
    got = _arr(got, what)
    expected = np.asarray(expected, dtype=np.float64)
    if got.shape != expected.shape:
        raise _Failed(f"{what} has shape {got.shape}, expected {expected.shape}" + hint)
    if not np.allclose(got, expected, **_TOL):
        raise _Failed(f"{what} is {np.array2string(got, precision=4)}, expected "
                      f"{np.array2string(expected, precision=4)}" + hint)


def _backward(loss, what):
    try:
        loss.backward()
    except Exception as e:           # noqa: BLE001
        raise _Failed(f"{what}.backward() raised {type(e).__name__}: {e}") from None


def _check_forward(Value):
    a, b = Value([1.0, 2.0]), Value([3.0, -4.0])
    _same(_value(Value, "a + b", lambda: a + b), [4.0, -2.0], "(a + b).data")
    _same(_value(Value, "a * b", lambda: a * b), [3.0, -8.0], "(a * b).data")
    _same(_value(Value, "a.tanh()", lambda: a.tanh()), np.tanh([1.0, 2.0]), "a.tanh().data")
    _same(_value(Value, "a.sum()", lambda: a.sum()), 3.0, "a.sum().data")
    _same(_value(Value, "a + 1", lambda: a + 1), [2.0, 3.0], "(a + 1).data",
          " (wrap plain numbers in a Value first)")
    _same(_value(Value, "2 * a", lambda: 2 * a), [2.0, 4.0], "(2 * a).data",
          " (define __rmul__ and __radd__ too: 2 * a calls a.__rmul__(2))")
    return "+, *, tanh and sum compute the right values, with numbers on either side"


def _check_records(Value):
    a, b = Value([1.0, 2.0]), Value([3.0, 4.0])
    c = _value(Value, "a * b", lambda: a * b)
    parents = list(getattr(c, "parents", ()))
    if not (any(p is a for p in parents) and any(p is b for p in parents)):
        raise _Failed("(a * b).parents should hold a and b themselves: that link is the tape "
                      "that backward() walks")
    if len(getattr(c, "rules", ())) != len(parents):
        raise _Failed("(a * b).rules should hold one vjp rule per parent")
    if not (getattr(c, "seq", -1) > getattr(a, "seq", 0) and c.seq > b.seq):
        raise _Failed("a result must get a larger .seq than its inputs: it is created after them")
    return "each result records its parents, one rule per parent, and a creation number"


def _check_simple_gradient(Value):
    x = Value([1.0, 2.0, 3.0])
    loss = _value(Value, "(x.tanh()).sum()", lambda: x.tanh().sum())
    _backward(loss, "loss")
    _same(x.grad, 1 - np.tanh([1.0, 2.0, 3.0]) ** 2, "x.grad for loss = x.tanh().sum()",
          " (backward starts with gradient 1 at the loss, then calls each rule with the "
          "gradient of the output: tanh's rule is g * (1 - tanh(x)**2))")
    return "the gradient of x.tanh().sum() is 1 - tanh(x)**2"


def _check_used_twice(Value):
    x = Value([1.0, 2.0, 3.0])
    loss = _value(Value, "(x * x).sum()", lambda: (x * x).sum())
    _backward(loss, "loss")
    got = _arr(x.grad, "x.grad for loss = (x * x).sum()")
    if got.shape == (3,) and np.allclose(got, [1.0, 2.0, 3.0]):
        raise _Failed("x.grad for loss = (x * x).sum() is x, expected 2x: x is both inputs of "
                      "the product, and each input's gradient must be *added* to x.grad (+=), "
                      "not stored over the other")
    _same(got, [2.0, 4.0, 6.0], "x.grad for loss = (x * x).sum()")
    return "a Value used twice collects the gradient of both uses"


def _check_lesson_example(Value):
    xs, ws, bs = np.array([1.0, 2.0]), np.array([0.5, -1.0]), 0.1
    x, w, b = Value(xs), Value(ws), Value(bs)

    def forward():
        u = w * x + b
        return (u * u.tanh()).sum()

    loss = _value(Value, "u = w * x + b; (u * u.tanh()).sum()", forward)
    u = ws * xs + bs
    _same(loss, (u * np.tanh(u)).sum(), "the loss of the lesson's example")
    _backward(loss, "loss")
    du = np.tanh(u) + u * (1 - np.tanh(u) ** 2)
    _same(w.grad, du * xs, "w.grad in the lesson's example")
    _same(b.grad, du.sum(), "b.grad in the lesson's example",
          " (b has shape (): it was broadcast over 2 elements, so its gradient must be summed "
          "back to shape (), as unbroadcast does in section 3)")
    return "the lesson's example: the same w.grad and b.grad as tinyflow (broadcasting undone)"


def _check_order(Value):
    xs = np.array([0.5, -1.0])
    x = Value(xs)

    def forward():
        a = x * 3                   # a feeds two consumers
        return (a * a + a).sum()

    loss = _value(Value, "a = x * 3; (a * a + a).sum()", forward)
    _backward(loss, "loss")
    _same(x.grad, 3 * (2 * 3 * xs + 1), "x.grad for a = x * 3; (a * a + a).sum()",
          " (a Value that feeds several others may pass its gradient on only when all of "
          "them have sent theirs: visit the Values in reverse creation order, sorted by .seq, "
          "each exactly once)")

    x = Value(xs)

    def longer_path():
        a = x * 3                   # a feeds the add directly, and the add again through tanh
        b = a.tanh()
        return (b * b + a).sum()

    loss = _value(Value, "a = x * 3; b = a.tanh(); (b * b + a).sum()", longer_path)
    _backward(loss, "loss")
    t = np.tanh(3 * xs)
    _same(x.grad, 3 * (2 * t * (1 - t * t) + 1), "x.grad for a = x * 3; b = a.tanh(); (b * b + a).sum()",
          " (a is reached from the loss by a short path and a longer one: a breadth-first walk "
          "reaches it before the longer path's gradient arrives. Visit the Values in reverse "
          "creation order, sorted by .seq, each exactly once)")
    return "a Value with several consumers waits for all of them (reverse creation order)"


def _check_accumulates(Value):
    x = Value([1.0, -2.0])
    for _ in range(2):
        loss = _value(Value, "(x * x).sum()", lambda: (x * x).sum())
        _backward(loss, "loss")
    _same(x.grad, [4.0, -8.0], "x.grad after two backward() calls on (x * x).sum()",
          " (like PyTorch, backward() adds into .grad: a second call on a fresh tape adds "
          "its gradient to the first)")
    return "backward() adds into .grad, as PyTorch's does"


CHECKS = [_check_forward, _check_records, _check_simple_gradient, _check_used_twice,
          _check_lesson_example, _check_order, _check_accumulates]


def check_tape(Value):
    """Test a learner's ``Value`` class and print one line per check."""
    run_checks(CHECKS, Value, "your tape works.")
