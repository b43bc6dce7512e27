"""Which ops a traced function runs though no output needs them.

TensorFlow 2 runs every print and variable update a ``tf.function`` traced
(automatic control dependencies), where a TF1 session prunes what the fetches do
not need. A control-flow op counts as such an op only when its branches or body
hold one: TF 2.21 builds ``If``/``While`` then, ``StatelessIf``/``StatelessWhile``
otherwise (checked: a cond or loop holding ``tf.print`` is ``If``/``While``, the
same without it is ``StatelessIf``/``StatelessWhile``, and an unused
``StatelessIf`` whose branches would fail does not run). See
tinyflow/tracing/autograph/effects.py.
"""
import warnings

import numpy as np
import pytest

import tinyflow as tf
from tinyflow.tracing.autograph.effects import all_operations, has_effect


def f32(v):
    return tf.tensor(np.asarray(v, np.float32))


def i32(v):
    return tf.tensor(np.asarray(v, np.int32))


def control_ops(fn):
    """(type, has_effect) of every If/While in fn's last traced graph, at any depth."""
    graph = fn.concrete_functions[-1].graph
    return [(op.type, has_effect(op)) for op in all_operations(graph)
            if op.type in ("If", "While")]


def test_has_effect_looks_inside_branches_and_bodies_at_any_depth():
    @tf.function
    def pure(x, n):
        i = 0
        while i < n:
            if x > 0:
                x = x * 2
            i += 1
        return x

    @tf.function
    def prints_deep_inside(x, n):
        i = 0
        while i < n:
            if x > 0:
                tf.print("doubling", x)
                x = x * 2
            i += 1
        return x
    pure(f32(1.0), i32(2))
    prints_deep_inside(f32(1.0), i32(2))
    assert sorted(control_ops(pure)) == [("If", False), ("While", False)]
    assert sorted(control_ops(prints_deep_inside)) == [("If", True), ("While", True)]


def test_a_print_in_a_cond_in_a_loop_prints_on_the_iterations_that_take_it(capsys):
    @tf.function
    def f(xs):
        total = xs[0] * 0
        for v in xs:
            if v < 0:
                tf.print("negative:", v)
            total += v
        return total
    assert float(f(f32([1.0, -2.0, 3.0, -4.0]))) == -2.0
    assert capsys.readouterr().err == "negative: -2\nnegative: -4\n"


def test_an_unused_loop_without_effects_does_not_run_one_with_a_print_does(capsys):
    @tf.function
    def pure(x, n):
        # would fail if it ran: x has two entries, the body reads entry i + 7
        tf.while_loop(lambda i: i < n, lambda i: i + tf.cast(x[i + 7], tf.int32), [0])
        return x.sum()

    @tf.function
    def printing(x, n):
        tf.while_loop(lambda i: i < n, lambda i: (tf.print("i =", i), i + 1)[1], [0])
        return x.sum()
    assert float(pure(f32([1.0, 2.0]), i32(3))) == 3.0
    assert "While" in [op.type for op in pure.concrete_functions[0].graph.get_operations()]
    assert float(printing(f32([1.0, 2.0]), i32(2))) == 3.0
    assert capsys.readouterr().err == "i = 0\ni = 1\n"


def test_a_variable_update_inside_a_branch_runs_and_the_graph_is_used():
    """An update only inside a cond makes the function a stateful step: it runs
    its graph (no eager fallback, so no warning), and the update happens though
    no output depends on it."""
    v = tf.Variable(np.float32(1.0))

    @tf.function
    def step(x):
        if x > 0:
            v.assign_add(x)
        return x * 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # the eager-fallback warning would fail here
        step(f32(2.0))
        step(f32(-5.0))
        step(f32(0.5))
    np.testing.assert_allclose(v.detach().numpy(), 3.5)
    assert step.tracing_count == 1
    assert ("If", True) in control_ops(step)


def test_a_tensor_needing_grad_captured_only_inside_a_branch_keeps_its_gradient():
    """The captured weight appears only inside the cond's branch; the call is still
    seen to need the tape (it runs the Python eagerly, with the warning) and the
    gradient reaches the weight, equal to the eager one."""
    w = tf.tensor(np.float64(3.0), requires_grad=True)

    @tf.function
    def f(x):
        if x > 0:
            y = x * w * w
        else:
            y = x
        return y
    with pytest.warns(UserWarning, match="gradients are being recorded"):
        y = f(tf.tensor(np.float64(2.0)))
    y.backward()
    assert float(w.grad) == pytest.approx(2 * 2.0 * 3.0)


def test_prints_in_a_hand_written_cond_run_in_a_function_not_in_a_tf1_session(capsys):
    """TF2 traces cond branches with automatic control dependencies (cond_v2), so
    a tf.print in the branch taken runs though the branch's result does not use
    it; a TF1 session runs only what the fetched result needs."""
    import tinyflow.compat.v1 as tf1

    def branches(x):
        def positive():
            tf.print("positive branch")
            return x * 2

        def negative():
            tf.print("negative branch")
            return -x
        return tf.cond(x > 0, positive, negative)
    f = tf.function(branches)
    assert float(f(f32(3.0))) == 6.0 and float(f(f32(-1.0))) == 1.0
    assert capsys.readouterr().err == "positive branch\nnegative branch\n"
    g = tf.Graph()
    with g.as_default():
        x = tf1.placeholder(tf1.float32, [])
        y = branches(x)
    with tf1.Session(graph=g) as sess:
        assert sess.run(y, {x: 3.0}) == 6.0
    assert capsys.readouterr().err == ""


def test_code_without_effects_gets_no_extra_ops():
    """The branches of a cond that prints nothing are left as written: no Identity
    ops waiting for effects."""
    @tf.function
    def f(x):
        return tf.cond(x > 0, lambda: x * 2, lambda: -x)
    f(f32(1.0))
    assert "Identity" not in [op.type for op in all_operations(f.concrete_functions[0].graph)]


def test_the_gradient_of_a_printing_loop_is_pruned_when_unused(capsys):
    """The WhileGrad op holds the forward body (with its print) only to run the body's
    gradient, which prints nothing: like TF2's gradient StatelessWhile it is no effect,
    so a gradient nobody uses is not computed; the forward prints run once each."""
    @tf.function
    def f(x, n):
        with tf.GradientTape() as tape:
            tape.watch(x)
            i = 0
            y = x
            while i < n:
                tf.print("iteration", i)
                y = y * x
                i += 1
        unused = tape.gradient(y, x)      # noqa: F841
        return y
    assert float(f(f32(2.0), i32(3))) == 16.0
    assert capsys.readouterr().err == "iteration 0\niteration 1\niteration 2\n"
    kinds = {op.type: has_effect(op) for op in f.concrete_functions[0].graph.get_operations()
             if op.type in ("While", "WhileGrad")}
    assert kinds == {"While": True, "WhileGrad": False}
