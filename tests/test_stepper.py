"""The stepping widget, driven from Python: buttons, slider, picture and panel."""
import html
import re

import numpy as np
import pytest

import tinyflow as tf
import tinyflow.compat.v1 as v1
import tinyflow.debug as dbg
import tinyflow.nn as nn
from tinyflow.viz import Backward, Stepper, draw


def gold(stepper):
    """The node id drawn in gold in the widget's picture (None if no node is)."""
    found = re.findall(r'<title>(n\d+)</title>\s*<\w+ fill="gold"', stepper.graph.value)
    assert len(found) <= 1
    return found[0] if found else None


def panel(stepper):
    """The panel as plain text."""
    return html.unescape(re.sub(r"<[^>]+>", " ", stepper.panel.value))


def square_sum():
    w = tf.tensor([1.0, -2.0], requires_grad=True)
    w.name = "w"
    return w, Stepper.eager(lambda: (w * w).sum())


def small_graph():
    x = v1.placeholder(v1.float64, [None], name="x")
    w = v1.Variable([1.0, 2.0], dtype=v1.float64, name="w")
    loss = v1.reduce_sum(v1.tanh(x * w), name="loss")
    train = v1.train.GradientDescentOptimizer(0.1).minimize(loss)
    sess = v1.Session()
    sess.run(v1.global_variables_initializer())
    return sess, x, w, loss, train


# --- eager ------------------------------------------------------------------------------------

def test_eager_next_moves_the_highlight_and_the_panel():
    w, s = square_sum()
    y = s.session.tape_output
    picture = draw(y, backward=True)
    assert s.position == 0 and s.step is None and gold(s) is None
    assert "Ready" in panel(s) and "Mul" in panel(s)
    s.next_button.click()
    assert s.step.name == "Mul" and s.slider.value == 1
    assert gold(s) == picture.node_id(y.node.input_nodes()[0])
    first = panel(s)
    assert "Mul" in first and "w" in first and "[ 1. -2.]" in first and "[1. 4.]" in first
    s.next_button.click()
    assert gold(s) == picture.node_id(y.node)
    assert panel(s) != first and "Sum" in panel(s) and "5" in panel(s)


def test_eager_backward_shows_gradient_just_computed_and_accumulated():
    w, s = square_sum()
    s.go(3)
    assert s.step.name == "SumBackward0" and s.step.phase == "backward"
    assert gold(s) == draw(s.session.tape_output, backward=True).node_id(
        Backward(s.session.tape_output.node))
    assert 'class="now"' in s.phase.value and "backward</span>" in s.phase.value
    s.next_button.click()
    text = panel(s)
    assert "MulBackward0" in text and "gradient arriving" in text
    just, total = text.split("gradient just computed")[1].split("accumulated so far")
    # w * w: each input gets w's value as its gradient; the total for w is 2w
    assert just.count("[ 1. -2.]") == 2
    assert "[ 2. -4.]" in total
    np.testing.assert_allclose(s.step.accumulated[1], w.grad.numpy())


def test_eager_prev_and_slider_rewind_the_trace():
    _, s = square_sum()
    s.run_button.click()
    assert s.position == s.total == 4 and s.next_button.disabled and s.run_button.disabled
    s.prev_button.click()
    assert s.step.name == "SumBackward0" and len(s.session.history) == 3
    s.slider.value = 1
    assert s.step.name == "Mul" and s.session.current.name == "Mul"
    s.reset_button.click()
    assert s.position == 0 and s.session.history == [] and s.prev_button.disabled


def test_stepper_over_a_trace_and_classmethod_agree():
    w = tf.tensor([0.5, 2.0], requires_grad=True)
    a = Stepper(dbg.trace(lambda: (w.exp() * 3).sum()))
    b = Stepper.eager(lambda: (w.exp() * 3).sum())
    a.run_to_end()
    b.run_to_end()
    assert [st.name for st in a.session.history] == [st.name for st in b.session.history]
    # the same numbers (b's backward must not change what a recorded)
    assert panel(a).split("Backward through")[1] == panel(b).split("Backward through")[1]


# --- graph mode -------------------------------------------------------------------------------

def test_graph_mode_steps_a_session_run():
    sess, x, w, loss, train = small_graph()
    s = Stepper(sess, [loss, train], {x: [0.5, -1.0]})
    picture = draw(sess.graph, fetches=[loss, train], backward=True)
    assert s.total == len(s.session.plan.steps) == 12 and "w" in panel(s)   # constants need no step
    s.next_button.click()
    assert gold(s) == picture.node_id("w")
    s.slider.value = 3                               # runs Mul and Tanh
    assert s.step.name == "Tanh" and gold(s) == picture.node_id("Tanh")
    assert "[ 0.462 -0.964]" in panel(s) and "x" in panel(s)
    s.prev_button.click()                            # a run can't be undone: shows the record
    assert s.step.name == "Mul" and len(s.session.history) == 3
    assert "[ 0.5 -2. ]" in panel(s)


def test_graph_mode_backward_and_update_phases():
    sess, x, w, loss, train = small_graph()
    s = Stepper(sess, [loss, train], {x: [0.5, -1.0]})
    seen = []
    for _ in range(s.total):
        s.next()
        seen.append(s.step.phase)
        assert gold(s) is not None                   # every op of the run is in the picture
    assert seen[0] == "forward" and "backward" in seen and seen[-1] == "update"
    grad_w = next(i for i, st in enumerate(s.session.history) if st.grad_of == "w")
    s.go(grad_w + 1)
    assert "gradient with respect to w" in panel(s) and "[ 0.393 -0.071]" in panel(s)
    assert s.session.result()[0] == pytest.approx(np.tanh([0.5, -2.0]).sum())


def test_graph_reset_starts_a_new_run():
    sess, x, w, loss, train = small_graph()
    s = Stepper(sess, [loss, train], {x: [0.5, -1.0]})
    s.run_to_end()
    old = s.session
    s.reset_button.click()
    assert s.session is not old and s.position == 0 and "new run" in panel(s)
    s.go(2)
    assert "[0.961 2.007]" in panel(s)               # w after one gradient-descent update


def test_stepper_over_a_step_session():
    sess, x, w, loss, train = small_graph()
    ss = dbg.StepSession(sess, loss, {x: [1.0, 1.0]})
    ss.step()
    s = Stepper(ss)
    assert s.position == 1 and s.step.name == "w"
    s.run_to_end()
    assert ss.done and ss.result() == pytest.approx(np.tanh([1.0, 2.0]).sum())


def test_mlp_graph_every_step_highlighted():
    x = v1.placeholder(v1.float32, [None, 4], name="x")
    y = v1.placeholder(v1.int64, [None], name="y")
    h = v1.layers.dense(x, 8, activation=v1.nn.relu, name="fc1")
    h = v1.layers.dense(h, 8, activation=v1.nn.relu, name="fc2")
    logits = v1.layers.dense(h, 3, name="fc3")
    loss = v1.reduce_mean(v1.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train = v1.train.GradientDescentOptimizer(0.1).minimize(loss)
    sess = v1.Session()
    sess.run(v1.global_variables_initializer())
    s = Stepper(sess, train, {x: np.ones((5, 4), np.float32), y: np.zeros(5, np.int64)})
    for k in range(1, s.total + 1):
        assert s.highlighted(k) is s.session.plan.steps[k - 1].op
    s.go(5)
    assert gold(s) is not None and s.svg(5) is s.svg()          # drawn once, kept


# --- construction and display -----------------------------------------------------------------

def test_text_plain_is_stable_and_widget_is_shown():
    _, s = square_sum()
    bundle = s._repr_mimebundle_()
    assert bundle["text/plain"] == "<tinyflow Stepper: eager trace, 4 steps>"
    assert "application/vnd.jupyter.widget-view+json" in bundle
    sess, x, _, loss, train = small_graph()
    assert repr(Stepper(sess, loss, {x: [1.0]})) == "<tinyflow Stepper: session run, 4 steps>"


def test_css_classes_for_tests_and_styling():
    _, s = square_sum()
    parts = {"tf-prev": s.prev_button, "tf-next": s.next_button, "tf-run": s.run_button,
             "tf-reset": s.reset_button, "tf-slider": s.slider, "tf-graph": s.graph,
             "tf-panel": s.panel, "tf-phase": s.phase}
    for css, widget in parts.items():
        assert css in widget._dom_classes


def test_rejects_other_things():
    with pytest.raises(TypeError, match="Stepper.eager"):
        Stepper(lambda: 1)


def wide_training_graph(n=12):
    """A training step over n separate layers: a drawing far wider than a notebook."""
    x = v1.placeholder(v1.float32, [None, 3], name="x")
    outs = []
    for i in range(n):
        with v1.variable_scope(f"layer{i}"):
            w = v1.Variable(np.full((3, 2), 0.1 * (i + 1), np.float32), name="w")
            outs.append(v1.tanh(v1.matmul(x, w)))
    loss = v1.reduce_sum(v1.concat(outs, axis=1), name="loss")
    train = v1.train.GradientDescentOptimizer(0.001).minimize(loss)
    sess = v1.Session()
    sess.run(v1.global_variables_initializer())
    return sess, x, loss, train


def viewbox(svg):
    return [float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split()]


def test_focus_view_shows_the_current_op_at_full_size():
    v1.reset_default_graph()
    sess, x, loss, train = wide_training_graph()
    s = Stepper(sess, [loss, train], {x: np.ones((2, 3), np.float32)})
    s.next()
    s.next()
    focus, whole = s.svg(), s.svg(whole=True)
    assert 'class="tf-focus"' in focus and 'class="tf-whole-graph"' in whole
    full_w = float(re.search(r'width="([\d.]+)pt"', whole).group(1))
    x0, y0, w, h = viewbox(focus)
    assert full_w > 1000 and w <= 540 and h <= 420          # a window on the drawing...
    assert f'width="{w * 4 / 3:.0f}px"' in focus              # ...at full size (1 pt = 4/3 px)
    # the gold node lies inside the window
    from tinyflow.viz.focus import _node_boxes
    node = gold(s)
    bx0, by0, bx1, by1 = _node_boxes(whole[whole.index("<svg"):])[node]
    assert x0 <= bx0 and bx1 <= x0 + w and y0 <= by0 and by1 <= y0 + h
    # the toggle shows the whole graph, shrunk to fit
    s.whole_button.value = True
    assert "tf-whole-graph" in s.graph.value and "tf-focus" not in s.graph.value
    s.whole_button.value = False
    assert "tf-focus" in s.graph.value


def test_small_drawings_are_shown_whole_in_the_focus_view():
    _, s = square_sum()
    s.next()
    x0, y0, w, h = viewbox(s.svg())
    assert (x0, y0) == (0, 0) and [w, h] == viewbox(s.svg(whole=True))[2:]


def test_update_shows_the_variable_before_and_after_with_digits_to_see_it():
    v1.reset_default_graph()
    sess, x, loss, train = wide_training_graph(n=2)
    s = Stepper(sess, [loss, train], {x: np.ones((2, 3), np.float32)})
    s.run_to_end()
    updates = [st for st in s.session.history if st.op_type == "AssignSub"]
    s.go(updates[0].index + 1)
    text = panel(s)
    before = text.split("layer0/w before")[1].split("layer0/w after")[0]
    after = text.split("layer0/w after")[1].split("largest change")[0]
    assert before.split("float32")[1].split() != after.split("float32")[1].split(), text
    assert "0.1" in before and "largest change" in text
    # the variable's own step still shows the value it had then, not the updated one
    read = next(st for st in s.session.history if st.name == "layer0/w")
    assert np.allclose(read.output, 0.1)


def test_digits_grow_until_a_small_change_shows():
    from tinyflow.viz import style
    before, after = np.array([0.1, 0.2]), np.array([0.10002, 0.2])
    digits = style.digits_to_see_change(before, after)
    assert digits == 5
    assert style.fmt_value(before, precision=digits) != style.fmt_value(after, precision=digits)
    assert style.digits_to_see_change(before, before) == 3
