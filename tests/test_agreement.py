"""Every mode computes the same thing: random programs (tests/_programs.py) run

* eagerly, with ``loss.backward()``;
* eagerly, under ``GradientTape``;
* as a TF1 graph, with ``gradients`` and ``Session.run``;
* through ``tinyflow.function`` (the body, tape included, traced once);
* and the two graph modes again with plans run by the Session's plain loop
  instead of compiled to Python;

and must give the same values and gradients (1e-9, relative to the largest
entry), the values numpy gives (an independent reference written without
tinyflow), and gradients that match central differences. A subset checks
second-order gradients (Hessian-vector products) the same way.

A failing case shrinks to a small program printed as tinyflow code
("Falsifying example" shows it, and so does the note below it).

``make test`` runs a few hundred programs; ``make test-long`` (TINYFLOW_LONG=1)
runs thousands.
"""
import os

import numpy as np
from hypothesis import event, given, settings

import tinyflow as tf
import _programs as P
from tinyflow.base.config import using_config

LONG = os.environ.get("TINYFLOW_LONG", "") not in ("", "0")
SECOND_ORDER_EXAMPLES = 600 if LONG else 150
STEP = 1e-6                  # central differences: f(x + h d) - f(x - h d) over 2h


class Result:
    """What one mode computed: every register's value, the loss, the input gradients."""

    def __init__(self, values, loss, grads):
        self.values = [np.asarray(v) for v in values]
        self.loss = np.asarray(loss)
        self.grads = [None if g is None else np.asarray(g) for g in grads]


def _np(t):
    return None if t is None else np.asarray(t.detach().numpy() if hasattr(t, "numpy") else t)


# --- the four modes -----------------------------------------------------------------

def eager_backward(prog):
    xs = [tf.tensor(x, requires_grad=True) for x in prog.inputs]
    values, loss = P.run(prog, xs, P.TF)
    loss.backward()
    return Result([_np(v) for v in values], _np(loss), [_np(x.grad) for x in xs])


def gradient_tape(prog):
    xs = [tf.constant(x) for x in prog.inputs]
    with tf.GradientTape() as tape:
        tape.watch(xs)
        values, loss = P.run(prog, xs, P.TF)
    grads = tape.gradient(loss, xs)
    return Result([_np(v) for v in values], _np(loss), [_np(g) for g in grads])


def graph_session(prog, unknown=False):
    """``unknown``: the placeholders say nothing about their sizes ([None, None]),
    so building runs every shape rule on unknown dimensions."""
    g = tf.Graph()
    with g.as_default():
        xs = [tf.placeholder(tf.float64, [None] * x.ndim if unknown else x.shape, name=f"x{i}")
              for i, x in enumerate(prog.inputs)]
        values, loss = P.run(prog, xs, P.TF)
        grads = tf.gradients(loss, xs)
    live = [d for d in grads if d is not None]
    with tf.Session(graph=g) as sess:
        v, l, d = sess.run([values, loss, live], dict(zip(xs, prog.inputs)))
    d = iter(d)
    return Result(v, l, [None if gr is None else next(d) for gr in grads])


def _traced_body(prog):
    def body(*xs):
        xs = list(xs)
        with tf.GradientTape() as tape:
            tape.watch(xs)
            values, loss = P.run(prog, xs, P.TF)
        return values, loss, tape.gradient(loss, xs)
    return body


def function(prog):
    f = tf.function(_traced_body(prog))
    args = [tf.constant(x) for x in prog.inputs]
    values, loss, grads = f(*args)
    again = f(*args)                                  # the same signature: no second trace
    assert f.tracing_count == 1
    np.testing.assert_array_equal(_np(again[1]), _np(loss))
    return Result([_np(v) for v in values], _np(loss), [_np(g) for g in grads])


def plain_loop(run):
    """``run`` with Sessions interpreting their plans step by step: compiling a plan
    to Python (graph/compile.py) is an optimization and must not change a result."""
    def run_plain(*args, **kwargs):
        with using_config(compile_plans=False):
            return run(*args, **kwargs)
    return run_plain


MODES = {"GradientTape": gradient_tape, "graph + Session.run": graph_session,
         "graph with unknown sizes": lambda prog: graph_session(prog, unknown=True),
         "tinyflow.function": function,
         "graph + Session.run, plans not compiled": plain_loop(graph_session),
         "tinyflow.function, plans not compiled": plain_loop(function)}


# --- second order: d/dx <grad f(x), v>, the Hessian-vector product ------------------------

def _dot(ns, grads, vs):
    s = None
    for g, v in zip(grads, vs):
        if g is not None:
            t = ns.reduce_sum(ns.mul(g, v))
            s = t if s is None else ns.add(s, t)
    return s


def hvp_eager(prog, vs):
    xs = [tf.tensor(x, requires_grad=True) for x in prog.inputs]
    _, loss = P.run(prog, xs, P.TF)
    grads = tf.grad(loss, xs, create_graph=True, allow_unused=True)
    s = _dot(P.TF, grads, vs)
    if s is None or not s.requires_grad:
        return [None] * len(xs)
    return [_np(h) for h in tf.grad(s, xs, allow_unused=True)]


def hvp_tape(prog, vs):
    xs = [tf.constant(x) for x in prog.inputs]
    with tf.GradientTape() as outer:
        outer.watch(xs)
        with tf.GradientTape() as inner:
            inner.watch(xs)
            _, loss = P.run(prog, xs, P.TF)
        s = _dot(P.TF, inner.gradient(loss, xs), vs)
    return [None] * len(xs) if s is None else [_np(h) for h in outer.gradient(s, xs)]


def hvp_graph(prog, vs):
    g = tf.Graph()
    with g.as_default():
        xs = [tf.placeholder(tf.float64, x.shape) for x in prog.inputs]
        _, loss = P.run(prog, xs, P.TF)
        s = _dot(P.TF, tf.gradients(loss, xs), vs)
        hv = [None] * len(xs) if s is None else tf.gradients(s, xs)
    live = [h for h in hv if h is not None]
    with tf.Session(graph=g) as sess:
        got = iter(sess.run(live, dict(zip(xs, prog.inputs))))
    return [None if h is None else next(got) for h in hv]


def hvp_function(prog, vs):
    @tf.function
    def f(*xs):
        xs = list(xs)
        with tf.GradientTape() as outer:
            outer.watch(xs)
            with tf.GradientTape() as inner:
                inner.watch(xs)
                _, loss = P.run(prog, xs, P.TF)
            s = _dot(P.TF, inner.gradient(loss, xs), vs)
        return [None] * len(xs) if s is None else outer.gradient(s, xs)
    return [_np(h) for h in f(*[tf.constant(x) for x in prog.inputs])]


HVP_MODES = {"GradientTape": hvp_tape, "graph": hvp_graph, "tinyflow.function": hvp_function,
             "graph, plans not compiled": plain_loop(hvp_graph)}


# --- comparing ---------------------------------------------------------------------------

def assert_close(got, want, what, rtol=1e-9):
    """Equal to ``rtol`` relative to the largest entry of either (a gradient that
    cancels to ~1e-17 in one summation order and 3e-17 in another is equal)."""
    assert (got is None) == (want is None), f"{what}: {got!r} vs {want!r}"
    if got is None:
        return
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape, f"{what}: shape {got.shape}, expected {want.shape}"
    assert got.dtype == want.dtype, f"{what}: dtype {got.dtype}, expected {want.dtype}"
    scale = max(float(np.max(np.abs(got), initial=0.0)), float(np.max(np.abs(want), initial=0.0)))
    np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol * scale, err_msg=what)


def assert_same(result, ref, mode):
    assert len(result.values) == len(ref.values)
    for i, (v, r) in enumerate(zip(result.values, ref.values)):
        assert_close(v, r, f"{mode}: value of r{i}")
    assert_close(result.loss, ref.loss, f"{mode}: loss")
    for i, (g, r) in enumerate(zip(result.grads, ref.grads)):
        assert_close(g, r, f"{mode}: gradient of x{i}")


def _with_zeros(grads, inputs):
    return [np.zeros_like(x) if g is None else g for g, x in zip(grads, inputs)]


def _shifted(xs, ds, h):
    return [x + h * d for x, d in zip(xs, ds)]


def _directions(prog, k):
    rng = np.random.default_rng(len(prog) * 7919 + prog.n_inputs)
    return [[rng.standard_normal(x.shape) for x in prog.inputs] for _ in range(k)]


def _smooth_around(prog, xs, ds, h):
    """No kink is hit at xs or crossed between xs - h ds and xs + h ds."""
    here = P.kinks(prog, xs)
    return all(P.same_kinks(P.kinks(prog, _shifted(xs, ds, s * h)), here) for s in (-1, 1))


def _np_loss(prog, xs):
    with np.errstate(all="raise"):
        return float(P.run(prog, xs, P.NP)[1])


def _size(prog, xs):
    """The magnitude of what the loss adds up (for the rounding error of a difference)."""
    values, _ = P.run(prog, xs, P.NP)
    return 1.0 + sum(float(np.sum(np.abs(v))) for v in values)


def check_numerically(prog, grads):
    """<grad, d> against (f(x + h d) - f(x - h d)) / 2h along random directions d."""
    xs = prog.inputs
    grads = _with_zeros(grads, xs)
    checked = 0
    for ds in _directions(prog, 2):
        if not _smooth_around(prog, xs, ds, STEP):
            continue
        fd = (_np_loss(prog, _shifted(xs, ds, STEP)) - _np_loss(prog, _shifted(xs, ds, -STEP))) \
            / (2 * STEP)
        an = sum(float(np.sum(g * d)) for g, d in zip(grads, ds))
        tol = 1e-6 * max(abs(an), abs(fd)) + 1e-9 * _size(prog, xs)
        assert abs(fd - an) <= tol, (f"gradient disagrees with central differences along a "
                                     f"random direction: analytic {an!r}, numerical {fd!r}")
        checked += 1
    event(f"numerical check: {checked} of 2 directions (others straddle a kink)")


# --- the tests --------------------------------------------------------------------------

@settings()         # the profile's example count: a few hundred, thousands under TINYFLOW_LONG
@given(prog=P.programs())
def test_all_modes_agree_on_values_and_gradients(prog):
    ref = eager_backward(prog)
    for v in ref.values + [ref.loss]:
        assert v.dtype == np.float64
    # the values, against numpy
    np_values, np_loss = P.run(prog, prog.inputs, P.NP)
    for i, (v, r) in enumerate(zip(ref.values, np_values)):
        assert_close(v, np.asarray(r, dtype=np.float64), f"eager: value of r{i} against numpy",
                     rtol=1e-8)
    # every mode, against eager backward
    for mode, run in MODES.items():
        try:
            result = run(prog)
        except tf.ShapeError as e:
            # The one documented limit: in a graph, concat's gradient needs the sizes along
            # its axis when it is built (unknown with [None] placeholders, or after a mask).
            if mode != "GradientTape" and "ConcatV2 gradient: the sizes along the concat " \
                                           "axis must be known" in str(e):
                event(f"{mode}: concat gradient needs known sizes")
                continue
            raise
        assert_same(result, ref, mode)
    check_numerically(prog, ref.grads)


@settings(max_examples=SECOND_ORDER_EXAMPLES)
@given(prog=P.programs(max_ops=12))
def test_second_order_gradients_agree(prog):
    vs = _directions(prog, 1)[0]
    ref = hvp_eager(prog, vs)
    for mode, run in HVP_MODES.items():
        got = run(prog, vs)
        for i, (g, r) in enumerate(zip(got, ref)):
            assert_close(g, r, f"{mode}: Hessian-vector product for x{i}")
    # against central differences of the (already checked) first-order gradient
    h = 1e-5
    if not _smooth_around(prog, prog.inputs, vs, h):
        event("second order: numerical check skipped (kink)")
        return

    def grads_at(xs):
        shifted = P.Program(xs, prog.instrs, prog.sinks, prog.weights)
        return _with_zeros(eager_backward(shifted).grads, xs)
    plus, minus = grads_at(_shifted(prog.inputs, vs, h)), grads_at(_shifted(prog.inputs, vs, -h))
    for i, (p, m, r) in enumerate(zip(plus, minus, _with_zeros(ref, prog.inputs))):
        fd = (p - m) / (2 * h)
        scale = max(float(np.max(np.abs(fd), initial=0)), float(np.max(np.abs(r), initial=0)), 1.0)
        np.testing.assert_allclose(r, fd, rtol=1e-4, atol=1e-5 * scale,
                                   err_msg=f"Hessian-vector product for x{i} vs central differences")


def test_a_failing_program_prints_as_runnable_tinyflow_code():
    """What a shrunk failure shows is code: it runs and gives the eager result."""
    prog = P.Program(
        [np.array([[0.5, -1.0], [2.0, 0.25]]), np.array([1.5, 0.75])],
        [P.Instr("matmul", (0, 1), {}), P.Instr("exp", (2,), {}),
         P.Instr("getitem", (0,), {"key": (np.array([1, 1]), slice(None, None, -1))}),
         P.Instr("reduce_logsumexp", (4,), {"axis": (0,), "keepdims": True}),
         P.Instr("where", (1, 3, 5), {})],
        [6], [np.array([[1.0, -2.0]])])
    src = repr(prog)
    assert "tf.matmul(x0, x1)" in src and "x0[np.array([1, 1], dtype=np.int64), ::-1]" in src
    scope = {}
    exec(compile(src, "<program>", "exec"), scope)
    ref = eager_backward(prog)
    np.testing.assert_allclose(scope["loss"].detach().numpy(), ref.loss, rtol=1e-15)
    np.testing.assert_allclose(scope["x0"].grad.detach().numpy(), ref.grads[0], rtol=1e-15)


def test_the_generator_reaches_every_op():
    """Every instruction kind turns up in a few hundred programs (none is dead weight)."""
    seen = set()

    @settings(max_examples=300, database=None)
    @given(prog=P.programs())
    def record(prog):
        seen.update(i.op for i in prog.instrs)
    record()
    assert seen == set(P.OPS), sorted(set(P.OPS) - seen)


def test_unknown_sizes_that_broadcast_are_summed_back_in_a_graph():
    """Found by the generator: x + y with both (?, ?) placeholders, fed (1, 1) and
    (2, 1), gave x a (2, 1) gradient. Equal static shapes with unknown sizes do not
    prove equal run-time shapes."""
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float64, [None, None])
        y = tf.placeholder(tf.float64, [None, None])
        dx, dy = tf.gradients(tf.reduce_sum(tf.mul(x + y, np.array([[1.0], [2.0]]))), [x, y])
    with tf.Session(graph=g) as sess:
        gx, gy = sess.run([dx, dy], {x: [[5.0]], y: [[1.0], [1.0]]})
    np.testing.assert_array_equal(gx, [[3.0]])
    np.testing.assert_array_equal(gy, [[1.0], [2.0]])


def test_sizes_known_to_match_add_no_sum_to():
    """...but where both sides' unknown sizes come from the same placeholder dimension
    (w * x * x, tanh(x) @ W + b), the gradient graph stays as small as before."""
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float64, [None], name="x")
        w = tf.placeholder(tf.float64, [], name="w")
        xs = tf.placeholder(tf.float64, [None, 3], name="xs")
        W = tf.placeholder(tf.float64, [3, 2], name="W")
        b = tf.placeholder(tf.float64, [2], name="b")
        dx, dw = tf.gradients(tf.reduce_sum(w * x * x), [x, w])
        dxs, = tf.gradients(tf.reduce_sum(tf.sigmoid(tf.matmul(tf.tanh(xs), W) + b)), [xs])
    sums = [op.name for op in g.get_operations() if op.type == "SumTo"]
    assert sums == ["gradients/SumTo"]        # only w's: a scalar's gradient from a vector
    with tf.Session(graph=g) as sess:
        gx, gw = sess.run([dx, dw], {x: [1.0, 2.0, 3.0], w: 2.0})
    np.testing.assert_allclose(gx, [4.0, 8.0, 12.0])
    np.testing.assert_allclose(gw, 14.0)
