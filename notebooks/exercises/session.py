"""Checker for lesson 4's exercise: a Session of your own, with pruning.

The learner writes ``mini_run(fetch, feed_dict)``: the value of the symbolic tensor
``fetch`` given ``feed_dict`` (symbolic tensor -> value), computing each op it needs with
``compute_op(op, input_values)`` below -- and no op it does not need. A real Session does
the same three things (tinyflow/graph/session.py and plan.py, TensorFlow's DirectSession):
walk back from the fetches to the ops they need, stopping at fed tensors; put those ops in
an order where every op comes after its inputs; run them, each once.

``check_session(mini_run)`` builds small graphs of its own (in a fresh graph, so the
learner's default graph is untouched) and compares the values, and the ops that ran, with
tinyflow's Session. It prints one line per check, with a hint when a check fails.
"""
import numpy as np

import tinyflow.compat.v1 as tf1
from tinyflow.base.errors import InvalidArgumentError

from .checking import Failed as _Failed, run_checks

_ran = []          # the names of the ops compute_op computed, in order


def compute_op(op, input_values):
    """The output of one op, given the values of its inputs (in ``op.inputs`` order).

    A constant gives its value; a placeholder cannot be computed (it must be fed); any
    other op runs its primitive's numpy forward -- what a Session does for each op."""
    _ran.append(op.name)
    if op.type == "Const":
        return op.attrs["value"]
    if op.type == "Placeholder":
        raise InvalidArgumentError(f"You must feed a value for placeholder tensor '{op.name}'")
    if op.prim is None or op.prim.stateful or len(op.outputs) != 1:
        raise TypeError(f"compute_op: {op.type} ops (variables, assignments, random ops, control "
                        f"flow) need a real Session; the exercise's graphs have none")
    return op.prim.forward(*[np.asarray(v) for v in input_values], **op.attrs)


def _graph_two_branches():
    g = tf1.Graph()
    with g.as_default():
        x = tf1.placeholder(tf1.float32, [None], name="x")
        squares = tf1.multiply(x, x, name="squares")                 # branch 1
        total = tf1.reduce_sum(squares, name="total")
        exps = tf1.exp(x, name="exps")                               # branch 2
        biggest = tf1.reduce_max(exps * 2.0, name="biggest")
    return g, dict(x=x, squares=squares, total=total, biggest=biggest)


def _graph_diamond():
    g = tf1.Graph()
    with g.as_default():
        a = tf1.placeholder(tf1.float32, [None], name="a")
        b = tf1.placeholder(tf1.float32, [None], name="b")
        shared = tf1.add(a, b, name="shared")                        # used twice below
        left = tf1.multiply(shared, 3.0, name="left")
        right = tf1.tanh(shared, name="right")
        out = tf1.add(left, right, name="out")
    return g, dict(a=a, b=b, shared=shared, out=out)


def _expected(graph, fetch, feeds):
    """What tinyflow's Session computes and which ops it runs."""
    with tf1.Session(graph=graph) as sess:
        value = sess.run(fetch, feed_dict=feeds)
        skipped = {op.name for op in sess.last_pruned}
    return value, {op.name for op in graph.get_operations()} - skipped


def _run(mini_run, fetch, feeds, what):
    del _ran[:]
    try:
        out = mini_run(fetch, dict(feeds))
    except Exception as e:           # noqa: BLE001 -- the learner's error is the message
        hint = (" (run the ops in creation order, graph.get_operations(), so that every "
                "input's value is there before the op that reads it)") if isinstance(e, KeyError) else ""
        raise _Failed(f"{what}: mini_run raised {type(e).__name__}: {e}{hint}") from None
    if out is None:
        raise _Failed(f"{what}: mini_run returned None, not the fetched value")
    return np.asarray(out), list(_ran)


def _same_value(out, expected, what):
    if out.shape != np.shape(expected) or not np.allclose(out, expected, rtol=1e-6):
        raise _Failed(f"{what}: mini_run gave {np.array2string(out, precision=4)}, tinyflow's "
                      f"Session {np.array2string(np.asarray(expected), precision=4)}")


def _same_ops(ran, needed, what):
    extra = sorted(set(ran) - needed)
    missing = sorted(needed - set(ran))
    if extra:
        raise _Failed(f"{what}: ran {extra}, which the fetch does not need: walk back from the "
                      f"fetch through op.inputs, stop at fed tensors, and run only what you reach")
    if missing:
        raise _Failed(f"{what}: did not run {missing}, which the fetch needs")


def _check_value(mini_run):
    g, t = _graph_two_branches()
    feeds = {t["x"]: np.array([1.0, 2.0, 3.0], np.float32)}
    expected, _ = _expected(g, t["total"], feeds)
    out, _ = _run(mini_run, t["total"], feeds, "fetching total")
    _same_value(out, expected, "fetching total")
    return "fetching a tensor gives the same value as tinyflow's Session"


def _check_prunes(mini_run):
    g, t = _graph_two_branches()
    feeds = {t["x"]: np.array([1.0, 2.0, 3.0], np.float32)}
    for name in ("total", "biggest"):
        expected, needed = _expected(g, t[name], feeds)
        out, ran = _run(mini_run, t[name], feeds, f"fetching {name}")
        _same_value(out, expected, f"fetching {name}")
        _same_ops(ran, needed, f"fetching {name}")
    return "only the ops a fetch needs run: the other branch is pruned"


def _check_once(mini_run):
    g, t = _graph_diamond()
    feeds = {t["a"]: np.array([0.5, -1.0], np.float32), t["b"]: np.array([2.0, 1.0], np.float32)}
    expected, needed = _expected(g, t["out"], feeds)
    out, ran = _run(mini_run, t["out"], feeds, "fetching out = 3*shared + tanh(shared)")
    _same_value(out, expected, "fetching out")
    twice = sorted({n for n in ran if ran.count(n) > 1})
    if twice:
        raise _Failed(f"fetching out: {twice} ran more than once (shared feeds two ops): run each "
                      f"op once and keep its value for every op that reads it")
    _same_ops(ran, needed, "fetching out")
    return "an op used by two others runs once"


def _check_feeds_intermediate(mini_run):
    g, t = _graph_two_branches()
    feeds = {t["squares"]: np.array([1.0, 4.0, 9.0], np.float32)}
    expected, needed = _expected(g, t["total"], feeds)
    out, ran = _run(mini_run, t["total"], feeds, "fetching total, feeding squares")
    _same_value(out, expected, "fetching total, feeding squares")
    _same_ops(ran, needed, "fetching total, feeding squares")
    return "a fed tensor is not computed, and nothing above it runs (x need not be fed)"


def _check_missing_feed(mini_run):
    g, t = _graph_two_branches()
    del _ran[:]
    try:
        out = mini_run(t["total"], {})
    except Exception:                # noqa: BLE001 -- any error will do: the input is missing
        return "a placeholder the fetch needs but nobody fed is an error"
    raise _Failed(f"fetching total with no feeds returned {out!r}: x was never fed, so there is "
                  f"no value to compute it from (compute_op raises for a placeholder)")


CHECKS = [_check_value, _check_prunes, _check_once, _check_feeds_intermediate, _check_missing_feed]


def check_session(mini_run):
    """Test a learner's ``mini_run(fetch, feed_dict)`` and print one line per check."""
    run_checks(CHECKS, mini_run, "your Session works.")
