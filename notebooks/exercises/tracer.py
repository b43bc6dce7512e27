"""Checker for lesson 9's exercise: a tiny tracer, in about 30 lines.

The learner writes ``tiny_function(fn)``, a small ``tf.function``: it returns a callable that,
on the first call with a new signature (here: the shapes of the arguments), runs ``fn``'s
Python **once** on symbolic stand-ins that record each operation instead of computing it,
keeps the recorded graph, and from then on runs only the graph, on numpy arrays, computing
each op it needs with ``run_op(op, *input_values)`` below -- and no op the result does not
need. The symbolic stand-in (a class ``Sym``) supports ``+``, ``*`` (with numbers on either
side), ``.tanh()`` and ``.sum()``; the callable counts its traces in ``.tracing_count``.

``check_tracer(tiny_function)`` traces small functions of its own and compares results with
numpy, counts how often their Python ran, and which ops ran. It prints one line per check,
with a hint when a check fails.
"""
import numpy as np

from .checking import Failed as _Failed, attempt, run_checks

_OPS = {"add": np.add, "mul": np.multiply, "tanh": np.tanh, "sum": np.sum}
_ran = []          # the ops run_op computed, in order


def run_op(op, *input_values):
    """The value of one op ("add", "mul", "tanh" or "sum") from its inputs' values: what a
    graph runtime does for each node."""
    if op not in _OPS:
        raise ValueError(f"run_op: unknown op {op!r}; the ops are {sorted(_OPS)} (a constant or an "
                         f"input is not run: its value is known)")
    _ran.append(op)
    return _OPS[op](*input_values)


def _call(traced, args, what):
    out = attempt(lambda: traced(*args), what)
    if out is None:
        raise _Failed(f"{what} returned None, not the function's value")
    if not isinstance(out, (np.ndarray, np.generic, float, int)):
        raise _Failed(f"{what} returned a {type(out).__name__}: a traced function's call must run "
                      f"the graph and return numbers (a numpy array), not a symbol")
    return np.asarray(out, dtype=np.float64)


def _trace(tiny_function, fn, what):
    try:
        traced = tiny_function(fn)
    except Exception as e:           # noqa: BLE001
        raise _Failed(f"tiny_function({what}) raised {type(e).__name__}: {e}") from None
    if not callable(traced):
        raise _Failed(f"tiny_function({what}) returned {traced!r}, not a callable")
    return traced


def _same(got, expected, what):
    expected = np.asarray(expected, dtype=np.float64)
    if got.shape != expected.shape or not np.allclose(got, expected, rtol=1e-12, atol=1e-12):
        raise _Failed(f"{what} gave {np.array2string(got, precision=4)}, numpy "
                      f"{np.array2string(expected, precision=4)}")


_X = np.array([0.5, -1.0, 2.0])
_W = np.array([1.5, 0.25, -0.5])


def _layer(x, w):
    return (x * w + 1).tanh().sum()


def _layer_np(x, w):
    return np.tanh(x * w + 1).sum()


def _check_values(tiny_function):
    traced = _trace(tiny_function, _layer, "layer")
    for x, w in ((_X, _W), (_W, _X), (_X * 3, _W)):
        _same(_call(traced, (x, w), "layer(x, w)"), _layer_np(x, w), "layer(x, w)")
    return "a traced (x * w + 1).tanh().sum() gives numpy's values, call after call"


def _check_symbols(tiny_function):
    seen = []

    def body(x, w):
        seen.append((type(x), type(x * w)))
        return (x * w).sum()

    traced = _trace(tiny_function, body, "body")
    _call(traced, (_X, _W), "body(x, w)")
    if not seen:
        raise _Failed("the function's Python never ran: tracing runs it once, on symbols")
    arg_type, product_type = seen[0]
    if issubclass(arg_type, (np.ndarray, np.generic, float, int)):
        raise _Failed(f"the function's Python got a {arg_type.__name__} as its argument: tracing "
                      f"must call it with symbolic stand-ins (your Sym), which record ops instead "
                      f"of computing them")
    if issubclass(product_type, (np.ndarray, np.generic, float, int)):
        raise _Failed(f"x * w gave a {product_type.__name__} while tracing: Sym.__mul__ must "
                      f"return a new Sym that records the op, not compute a number")
    return "the Python runs on symbols: x and x * w are Syms, not numbers"


def _check_traces_once(tiny_function):
    calls = []

    def body(x, w):
        calls.append("ran")
        return _layer(x, w)

    traced = _trace(tiny_function, body, "body")
    for x in (_X, _X + 1, _X * 2):
        _same(_call(traced, (x, _W), "body(x, w)"), _layer_np(x, _W), "body(x, w)")
    if len(calls) != 1:
        raise _Failed(f"the function's Python ran {len(calls)} times in 3 calls with the same "
                      f"shapes: trace on the first call, keep the graph, and later only run the "
                      f"graph")
    count = getattr(traced, "tracing_count", None)
    if count != 1:
        raise _Failed(f"tracing_count is {count!r} after 3 calls with the same shapes, expected 1")
    return "3 calls with the same shapes: the Python ran once, tracing_count is 1"


def _check_constants(tiny_function):
    traced = _trace(tiny_function, lambda x: (2 * x + 1) * x * 0.5, "lambda x: (2 * x + 1) * x * 0.5")
    for x in (_X, _W):
        _same(_call(traced, (x,), "f(x)"), (2 * x + 1) * x * 0.5, "(2 * x + 1) * x * 0.5")
    return "numbers on either side of + and * become constants of the graph"


def _check_retraces(tiny_function):
    calls = []

    def body(x):
        calls.append("ran")
        return (x * x).sum()

    traced = _trace(tiny_function, body, "body")
    for x in (_X, np.ones(4), _X + 1):
        _same(_call(traced, (x,), "body(x)"), (x * x).sum(), "(x * x).sum()")
    if len(calls) != 2 or getattr(traced, "tracing_count", None) != 2:
        raise _Failed(f"calls with shapes (3,), (4,), (3,) ran the Python {len(calls)} time(s), "
                      f"tracing_count {getattr(traced, 'tracing_count', None)!r}: expected 2 and 2 "
                      f"(keep one graph per signature, the tuple of the arguments' shapes)")
    return "a new shape traces a new graph; a shape seen before reuses its graph"


def _check_prunes(tiny_function):
    def body(x, w):
        unused = x.tanh()            # noqa: F841 -- nothing returned depends on it
        return (x * w).sum()

    traced = _trace(tiny_function, body, "body")
    _call(traced, (_X, _W), "body(x, w)")
    del _ran[:]
    _same(_call(traced, (_X, _W), "body(x, w)"), (_X * _W).sum(), "body(x, w)")
    ran = list(_ran)
    if "tanh" in ran:
        raise _Failed(f"a call ran {ran}: the tanh is unused, so running it is wasted; walk back "
                      f"from the output through each node's inputs and run only what you reach")
    if sorted(ran) != ["mul", "sum"]:
        raise _Failed(f"a call of (x * w).sum() ran {ran}, expected ['mul', 'sum'] (compute each op "
                      f"with run_op(op, *input_values))")
    return "an op nothing returned depends on is pruned: it never runs"


def _check_once(tiny_function):
    def body(x):
        a = x * 3                    # feeds two ops below
        return (a * a + a).sum()

    traced = _trace(tiny_function, body, "body")
    _call(traced, (_X,), "body(x)")
    del _ran[:]
    a = _X * 3
    _same(_call(traced, (_X,), "body(x)"), (a * a + a).sum(), "a = x * 3; (a * a + a).sum()")
    if _ran.count("mul") != 2 or len(_ran) != 4:
        raise _Failed(f"a call of a = x * 3; (a * a + a).sum() ran {list(_ran)}, expected 2 mul, 1 "
                      f"add and 1 sum: run each node once and keep its value for every node that "
                      f"reads it")
    return "a node used by two others runs once per call"


CHECKS = [_check_values, _check_symbols, _check_traces_once, _check_constants, _check_retraces,
          _check_prunes, _check_once]


def check_tracer(tiny_function):
    """Test a learner's ``tiny_function(fn)`` and print one line per check."""
    run_checks(CHECKS, tiny_function, "your tracer works.")
