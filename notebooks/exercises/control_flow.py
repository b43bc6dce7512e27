"""Checkers for lesson 8's exercises: control flow as graph ops, and AutoGraph.

- ``check_collatz(build_collatz)``: ``build_collatz()`` builds, in the default graph, a
  ``tf1.while_loop`` (with a ``tf1.cond`` inside) counting the Collatz steps from a fed int32
  placeholder ``n`` to 1, and returns ``(n, steps)``.
- ``check_piecewise(build_piecewise)``: ``build_piecewise()`` builds
  y = x² if x < 1 else 2x − 1 + sin(x − 1) with ``tf1.cond`` on a float64 placeholder and
  returns ``(x, y, dy_dx)`` (the last from ``tf1.gradients``).
- ``check_halvings(halvings)``: ``halvings(x)`` halves ``x`` while it is larger than 1 and
  counts the halvings in a Python int ``count``; returns ``(x, count)``.

Each prints one line per check ("  yes  ..." or "  no   <check>: <why>") and a last line
"k of n checks pass". A checker returns nothing, so a notebook cell shows only those lines.
"""
import numpy as np

import tinyflow as tf
import tinyflow.compat.v1 as tf1

from .checking import Failed as _Failed


def _collatz_python(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


def _op_types(graph):
    """Every op type in ``graph``, inside branches and loop bodies too."""
    found = []
    for op in graph.get_operations():
        found.append(op.type)
        for value in op.attrs.values():
            for g in value if isinstance(value, (list, tuple)) else (value,):
                if isinstance(g, tf.Graph):
                    found += _op_types(g)
    return found


def _run_checks(checks):
    passed = 0
    for what, check in checks:
        try:
            check()
        except _Failed as e:
            print(f"  no   {what}: {e}")
        except KeyError:                   # what an earlier check should have built
            print(f"  no   {what}: needs the checks above to pass first")
        except Exception as e:             # noqa: BLE001 -- the learner's error is the message
            print(f"  no   {what}: raised {type(e).__name__}: {e}")
        else:
            passed += 1
            print(f"  yes  {what}")
    print(f"{passed} of {len(checks)} checks pass")


def _built(build, n_results, what):
    """Call the learner's builder in a fresh default graph."""
    tf1.reset_default_graph()
    out = build()
    if not isinstance(out, (tuple, list)) or len(out) != n_results:
        raise _Failed(f"{what}() must return {n_results} tensors, got {out!r}")
    if any(t is Ellipsis for t in out):
        raise _Failed(f"{what}() returns `...` where a tensor belongs: your code goes there")
    return tf1.get_default_graph(), out


# --- exercise 1 ---------------------------------------------------------------------------------

def check_collatz(build_collatz):
    """Checks ``build_collatz() -> (n, steps)``."""
    state = {}

    def builds():
        state["graph"], (state["n"], state["steps"]) = _built(build_collatz, 2, "build_collatz")

    def counts(values):
        def check():
            with tf1.Session(graph=state["graph"]) as sess:
                got = [int(sess.run(state["steps"], {state["n"]: k})) for k in values]
            want = [_collatz_python(k) for k in values]
            bad = [(k, g, w) for k, g, w in zip(values, got, want) if g != w]
            if bad:
                k, g, w = bad[0]
                raise _Failed(f"n = {k} gives {g} steps, expected {w} "
                              f"(n = 1 needs 0 steps: the loop test is n > 1)")
        return check

    def one_loop():
        types = _op_types(state["graph"])
        if "While" not in types:
            raise _Failed("the graph has no While op: use tf1.while_loop (a Python loop "
                          "cannot look at the fed value)")
        if "If" not in types:
            raise _Failed("the loop body has no If op: use tf1.cond for the even/odd choice")

    return _run_checks([
        ("build_collatz() returns (n, steps)", builds),
        ("steps for n = 1 ... 30 match the Python loop", counts(range(1, 31))),
        ("n = 27 takes 111 steps (the same graph, more iterations)", counts([27])),
        ("one While op with an If inside", one_loop),
    ])


# --- exercise 2 ---------------------------------------------------------------------------------

def _piecewise(v):
    return v * v if v < 1 else 2 * v - 1 + np.sin(v - 1)


def _piecewise_grad(v):
    return 2 * v if v < 1 else 2 + np.cos(v - 1)


def check_piecewise(build_piecewise):
    """Checks ``build_piecewise() -> (x, y, dy_dx)``."""
    state = {}
    points = (-1.5, 0.3, 0.999, 1.0, 2.5)

    def builds():
        state["graph"], (state["x"], state["y"], state["dy"]) = _built(
            build_piecewise, 3, "build_piecewise")
        if np.dtype(state["x"].dtype) != np.float64:
            raise _Failed(f"x is {np.dtype(state['x'].dtype).name}: make it a float64 "
                          f"placeholder (central differences need the precision)")

    def run(t, v):
        with tf1.Session(graph=state["graph"]) as sess:
            return float(sess.run(t, {state["x"]: v}))

    def values():
        for v in points:
            got, want = run(state["y"], v), _piecewise(v)
            if not np.isclose(got, want, rtol=1e-12, atol=1e-12):
                raise _Failed(f"y({v}) = {got}, expected {want}")

    def gradients():
        for v in points:
            got, want = run(state["dy"], v), _piecewise_grad(v)
            if not np.isclose(got, want, rtol=1e-12, atol=1e-12):
                raise _Failed(f"dy/dx at {v} is {got}, expected {want}"
                              + (" (at x = 1 the else branch is taken)" if v == 1.0 else ""))

    def central_differences():
        h = 1e-6
        for v in (0.3, 2.5):
            numeric = (run(state["y"], v + h) - run(state["y"], v - h)) / (2 * h)
            if not np.isclose(run(state["dy"], v), numeric, rtol=1e-6):
                raise _Failed(f"dy/dx at {v} differs from the central difference {numeric}")

    def a_cond():
        if "If" not in _op_types(state["graph"]):
            raise _Failed("the graph has no If op: use tf1.cond")

    return _run_checks([
        ("build_piecewise() returns (x, y, dy_dx), x float64", builds),
        ("y on both sides of x = 1", values),
        ("dy/dx on both sides (2x, then 2 + cos(x - 1))", gradients),
        ("dy/dx agrees with central differences at 0.3 and 2.5", central_differences),
        ("the choice is an If op", a_cond),
    ])


# --- exercise 3 ---------------------------------------------------------------------------------

def check_halvings(halvings):
    """Checks the Python function ``halvings(x) -> (x, count)`` as AutoGraph converts it."""
    state = {}

    def converts():
        code = tf.autograph.to_code(halvings)
        if "ag__.while_stmt(" not in code:
            raise _Failed("to_code shows no ag__.while_stmt: write a Python `while x > 1:` loop")
        state["code"] = code

    def loop_variables():
        line = next(line for line in state["code"].splitlines() if "ag__.while_stmt(" in line)
        names = line.rsplit("(", 1)[-1]
        for name in ("'x'", "'count'"):
            if name not in names:
                raise _Failed(f"{name} is not a loop variable ({line.strip()}): both x and "
                              f"count must change in the loop and be used after it")

    def results():
        f = tf.function(halvings)
        for v in (37.0, 1.0, 0.5, 1000.0):
            x, count = f(tf.tensor(v))
            k = max(0, int(np.ceil(np.log2(v))))
            if int(count) != k or not np.isclose(float(x), v / 2 ** k):
                raise _Failed(f"halvings({v}) = ({float(x)}, {int(count)}), expected "
                              f"({v / 2 ** k}, {k})")
        state["f"] = f

    def one_loop():
        graph = state["f"].concrete_functions[-1].graph
        if "While" not in _op_types(graph):
            raise _Failed("the traced graph has no While op")

    return _run_checks([
        ("to_code shows the while loop converted", converts),
        ("x and count are its loop variables", loop_variables),
        ("tf.function(halvings) for 37, 1, 0.5 and 1000 (zero halvings too)", results),
        ("one While op in the traced graph", one_loop),
    ])
