"""Debugging in both modes: hooks, Print, breakpoints in pdb, anomaly detection, stepping."""
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tinyflow as tf
import tinyflow.compat.v1 as v1
import tinyflow.debug as dbg
from tinyflow.base.errors import AnomalyError


def _run_with_stdin(code, stdin, timeout=60):
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], input=stdin,
                          capture_output=True, text=True, timeout=timeout)


# --- tensor hooks (eager) -----------------------------------------------------------

def test_tensor_hook_sees_and_replaces_the_gradient_on_leaves_and_non_leaves():
    x = tf.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    seen = []
    h.register_hook(lambda g: seen.append(g.numpy().copy()))
    hx = x.register_hook(lambda g: g * 10)
    (h * h).sum().backward()
    np.testing.assert_allclose(seen[0], 2 * 3 * np.array([1.0, 2.0]))
    np.testing.assert_allclose(x.grad.numpy(), 10 * 18 * np.array([1.0, 2.0]))
    hx.remove()
    x.grad = None
    (x * 3).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 3.0])


# --- graph-mode hooks -------------------------------------------------------------

def test_symbolic_tensor_gradient_hook_fires_at_run_time_and_can_replace():
    v1.reset_default_graph()
    x = v1.placeholder(v1.float64, [2], name="x")
    h = x * 3
    seen = []
    h.register_hook(lambda g: seen.append(np.array(g)) or g * 0 + 1)
    dx, = v1.gradients(v1.reduce_sum(h * h), [x])
    assert seen == []                              # nothing runs while building
    with v1.Session() as s:
        out = s.run(dx, {x: [1.0, 2.0]})
    np.testing.assert_allclose(seen[0], [6.0, 12.0])
    np.testing.assert_allclose(out, [3.0, 3.0])     # the hook's replacement flowed on


def test_op_forward_hooks_fire_when_the_session_runs_them_and_can_be_removed():
    v1.reset_default_graph()
    x = v1.placeholder(v1.float64, [], name="x")
    y = v1.exp(x)
    calls = []
    pre = y.op.register_forward_pre_hook(lambda op, args: calls.append(("pre", float(args[0]))))
    post = y.op.register_forward_hook(lambda op, args, out: out * 2)
    s = v1.Session()
    assert s.run(y, {x: 0.0}) == 2.0 and calls == [("pre", 0.0)]
    pre.remove(), post.remove()
    assert s.run(y, {x: 0.0}) == 1.0 and len(calls) == 1


def test_observers_see_every_eager_op_session_op_and_gradient():
    events = []
    with dbg.observe(lambda e, info: events.append(e)):
        w = tf.ones(2, requires_grad=True)
        (w * 2).sum().backward()
        v1.reset_default_graph()
        c = v1.constant(1.0) + 1.0
        v1.Session().run(c)
    assert events.count("op") >= 2 + 1 and events.count("backward") == 2
    assert "graph_op" in events


# --- Print ------------------------------------------------------------------------

def test_print_node_prints_at_run_time_not_build_time(capsys):
    # TF1's tf.Print writes to standard error (in Jupyter: the red stream).
    v1.reset_default_graph()
    x = v1.placeholder(v1.float32, [None], name="x")
    y = v1.Print(x, [x, v1.reduce_sum(x)], "x and sum: ") * 2
    assert capsys.readouterr().err == ""
    with v1.Session() as s:
        s.run(y, {x: [1, 2, 3, 4]})
    assert capsys.readouterr().err == "x and sum: [1 2 3...][10]\n"


def test_print_on_a_pruned_branch_prints_nothing_and_is_reported(capsys):
    v1.reset_default_graph()
    x = v1.placeholder(v1.float32, [None], name="x")
    y = x * 2
    side = v1.Print(x, [x], "never printed: ")
    with v1.Session() as s:
        s.run(y, {x: [1.0]})
        assert capsys.readouterr().err == ""
        assert dbg.pruned_debug_ops(s) == [side.op]
        s.run(side, {x: [1.0]})
    assert capsys.readouterr().err == "never printed: [1]\n"


def test_print_first_n_and_summarize(capsys):
    v1.reset_default_graph()
    x = v1.placeholder(v1.float32, [None], name="x")
    y = v1.Print(x, [x], "x=", first_n=2, summarize=2)
    with v1.Session() as s:
        for _ in range(4):
            s.run(y, {x: [5, 6, 7]})
    assert capsys.readouterr().err == "x=[5 6...]\nx=[5 6...]\n"


def test_print_eagerly_prints_immediately_and_passes_gradients(capsys):
    x = tf.tensor([1.0, 2.0], requires_grad=True)
    y = tf.debug.Print(x * 2, [x], "now: ")
    assert capsys.readouterr().out == "now: [1 2]\n"
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 2.0])


# --- breakpoints and pdb (driven through stdin) ---------------------------------------

def test_pdb_in_a_module_forward_eagerly():
    r = _run_with_stdin("""
        import tinyflow as tf
        import tinyflow.nn as nn
        class Net(nn.Module):
            def forward(self, x):
                h = x * 2
                breakpoint()
                return h.sum()
        print("result", Net()(tf.ones(3)).item())
    """, "p h.shape\np h.numpy().tolist()\nc\n")
    assert r.returncode == 0, r.stderr
    assert "tinyflow.Size([3])" in r.stdout and "[2.0, 2.0, 2.0]" in r.stdout and "result 6.0" in r.stdout


def test_breakpoint_node_enters_pdb_at_session_run_time_with_values_and_site():
    r = _run_with_stdin("""
        import tinyflow.compat.v1 as tf
        import tinyflow.debug as dbg
        x = tf.placeholder(tf.float32, [None], name="x")
        y = dbg.breakpoint(x * 3, name="after_scale")
        print("built")
        with tf.Session() as s:
            print("result", s.run(y, {x: [1, 2]}).tolist())
    """, "p node_name\np value.tolist()\np site[1]\nc\n")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.index("built") < out.index("tinyflow breakpoint 'after_scale'")
    assert "'after_scale'" in out and "[3.0, 6.0]" in out and "result [3.0, 6.0]" in out
    assert "\n5\n" in out.replace("(Pdb) ", "")        # line 5 of the script built the node


def test_breakpoint_node_eagerly_stops_at_once():
    r = _run_with_stdin("""
        import tinyflow as tf
        y = tf.debug.breakpoint(tf.ones(2) * 5, name="eager_stop")
        print("after", y.tolist())
    """, "p value.tolist()\nc\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout.index("[5.0, 5.0]") < r.stdout.index("after [5.0, 5.0]")


# --- anomaly detection ------------------------------------------------------------------

def test_anomaly_names_the_op_and_the_users_line_in_forward():
    x = tf.tensor([1.0, -1.0], requires_grad=True)
    with pytest.raises(AnomalyError) as e:
        with tf.debug.detect_anomaly():
            y = x.sqrt()   # ANOMALY-LINE
    msg = str(e.value)
    assert "Sqrt" in msg and "nan" in msg and "test_debug.py" in msg and "ANOMALY-LINE" in msg


def test_anomaly_names_the_op_in_backward():
    x = tf.tensor([0.0, 1.0], requires_grad=True)
    with tf.debug.detect_anomaly():
        y = x.sqrt()   # GRAD-LINE
        with pytest.raises(AnomalyError) as e:
            y.sum().backward()
    msg = str(e.value)
    assert "SqrtBackward0" in msg and "inf" in msg and "GRAD-LINE" in msg


def test_anomaly_in_a_session_names_the_op_and_its_build_line():
    v1.reset_default_graph()
    x = v1.placeholder(v1.float32, [None], name="x")
    y = v1.log(x)   # SESSION-LINE
    with v1.Session() as s, tf.debug.detect_anomaly():
        with pytest.raises(AnomalyError) as e:
            s.run(y, {x: [1.0, -1.0]})
    assert "Log" in str(e.value) and "SESSION-LINE" in str(e.value)
    with v1.Session() as s:
        assert np.isnan(s.run(y, {x: [-1.0]})[0])     # off again outside the block


def test_check_numerics_node():
    v1.reset_default_graph()
    x = v1.placeholder(v1.float32, [None], name="x")
    y = dbg.check_numerics(v1.log(x), "log of x")
    with v1.Session() as s:
        s.run(y, {x: [1.0]})
        with pytest.raises(dbg.InvalidArgumentError, match="log of x : Tensor had NaN values"):
            s.run(y, {x: [-1.0]})


# --- stepping -----------------------------------------------------------------------------

def test_step_session_order_and_values_match_a_normal_run():
    v1.reset_default_graph()
    x = v1.placeholder(v1.float64, [None], name="x")
    w = v1.Variable([1.0, 2.0], dtype=v1.float64, name="w")
    loss = v1.reduce_sum(v1.tanh(x * w))
    dw, = v1.gradients(loss, [w])
    sess = v1.Session()
    sess.run(v1.global_variables_initializer())
    expected = sess.run([loss, dw], {x: [0.5, -1.0]})
    stepper = dbg.StepSession(sess, [loss, dw], {x: [0.5, -1.0]})
    first = stepper.step()
    assert first.phase == "forward" and stepper.current is first
    assert stepper.run_to("Tanh").name == "Tanh"
    assert stepper.values["Tanh"].tolist() == pytest.approx(np.tanh([0.5, -2.0]).tolist())
    result = stepper.continue_()
    assert result[0] == expected[0] and np.array_equal(result[1], expected[1])
    assert [s.name for s in stepper.history] == [step.op.name for step in stepper.plan.steps]
    assert [op.name for op in stepper.plan.ops if op.type != "Const"] == [s.name for s in stepper.history]
    phases = [s.phase for s in stepper.history]
    assert phases.index("backward") > phases.index("forward")
    assert "forward" not in phases[phases.index("backward"):]
    assert any(s.grad_of == "w" for s in stepper.history)


def test_eager_trace_replays_forward_then_backward():
    w = tf.tensor([1.0, 2.0], dtype=tf.float64, requires_grad=True)
    x = tf.tensor([0.5, -1.0], dtype=tf.float64)
    tr = dbg.trace(lambda: (w * x).tanh().sum())
    names = [s.name for s in tr.all_steps]
    assert names == ["Mul", "Tanh", "Sum", "SumBackward0", "TanhBackward0", "MulBackward0"]
    tr.step()
    assert tr.current.name == "Mul" and tr.values["Mul"].tolist() == [0.5, -2.0]
    tr.run_to("MulBackward0")
    last = tr.current
    np.testing.assert_allclose(last.accumulated[0], w.grad.numpy())
    assert tr.back().name == "TanhBackward0"
