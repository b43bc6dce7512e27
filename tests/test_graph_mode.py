"""Graph-then-session mode: building, naming, shapes, sessions, feeds, pruning."""
import numpy as np
import pytest

import tinyflow as tf
import tinyflow.compat.v1 as v1
from tinyflow.graph import Session, placeholder, gradients
from tinyflow.base.errors import ShapeError


def test_ops_build_nodes_inside_a_graph_and_run_eagerly_outside():
    g = tf.Graph()
    with g.as_default():
        y = tf.matmul(tf.ones((2, 3)), np.ones((3, 4), np.float32))
    assert isinstance(y, tf.graph.Tensor) and y.shape == (2, 4)
    z = tf.matmul(tf.ones((2, 3)), tf.ones((3, 4)))
    assert isinstance(z, tf.Tensor) and float(z[0, 0]) == 3.0


def test_tf_names_are_unique_and_scoped():
    g = tf.Graph()
    with g.as_default():
        a = v1.placeholder(v1.float32, [None, 3], name="x")
        m1 = v1.matmul(a, np.ones((3, 3), np.float32))
        m2 = v1.matmul(m1, np.ones((3, 3), np.float32))
        with v1.name_scope("fc2"):
            b = v1.nn.bias_add(m2, np.zeros(3, np.float32))
        with v1.name_scope("fc2"):
            c = v1.nn.relu(b)
    assert (a.name, m1.name, m2.name) == ("x:0", "MatMul:0", "MatMul_1:0")
    assert b.name == "fc2/BiasAdd:0" and c.name == "fc2_1/Relu:0"
    assert g.get_tensor_by_name("fc2/BiasAdd:0") is b
    assert g.get_operation_by_name("MatMul_1") is m2.op
    assert [op.name for op in g.get_operations()][:2] == ["x", "Const"]


def test_shape_error_is_raised_while_building_at_the_users_line():
    g = tf.Graph()
    with g.as_default():
        x = placeholder(np.float32, [None, 784], name="x")
        with pytest.raises(ShapeError) as e:
            tf.matmul(x, np.zeros((10, 10), np.float32))   # the line the error names
    msg = str(e.value)
    assert "MatMul" in msg and "(?, 784)" in msg and "(10, 10)" in msg
    assert "test_graph_mode.py" in msg


def test_placeholder_shapes_have_unknown_dims():
    g = tf.Graph()
    with g.as_default():
        x = placeholder(np.float32, [None, 784], name="x")
        h = v1.layers.dense(x, 10, name="fc1")
    assert x.shape.as_list() == [None, 784]
    assert h.shape.as_list() == [None, 10]
    assert str(h.shape) == "(?, 10)"
    names = [op.name for op in g.get_operations()]
    assert "fc1/kernel" in names and "fc1/bias" in names and "fc1/BiasAdd" in names


def test_feed_errors_are_clear():
    g = tf.Graph()
    with g.as_default():
        x = placeholder(np.float32, [None, 784], name="x")
        y = x * 2
    sess = Session(graph=g)
    with pytest.raises(ValueError, match=r"Cannot feed value of shape \(3, 5\) for Tensor 'x:0', "
                                         r"which has shape '\(\?, 784\)'"):
        sess.run(y, {x: np.zeros((3, 5))})
    with pytest.raises(v1.errors.InvalidArgumentError,
                       match="must feed a value for placeholder tensor 'x'"):
        sess.run(y)
    with pytest.raises(TypeError, match="Cannot interpret feed_dict key as Tensor"):
        sess.run(y, {"x": np.zeros((1, 784))})
    with pytest.raises(TypeError, match="Cannot interpret feed_dict key"):
        sess.run(y, {3: np.zeros((1, 784))})
    with pytest.raises(KeyError, match="does not exist"):
        sess.run("nope:0")
    out = sess.run(y.name, {"x:0": np.ones((1, 784), np.float64)})
    assert out.dtype == np.float32   # fed values are converted to the placeholder's dtype


def test_uninitialized_variable_is_named():
    g = tf.Graph()
    with g.as_default():
        w = v1.Variable(np.ones(3), name="weights")
        y = w * 2
    with pytest.raises(tf.FailedPreconditionError, match="uninitialized value weights"):
        Session(graph=g).run(y)


def test_variables_live_in_the_session():
    g = tf.Graph()
    with g.as_default():
        w = v1.Variable(1.0, name="w")
        inc = w.assign_add(1.0)
        init = v1.global_variables_initializer()
    s1, s2 = Session(graph=g), Session(graph=g)
    s1.run(init), s2.run(init)
    s1.run(inc), s1.run(inc)
    assert s1.run(w) == 3.0 and s2.run(w) == 1.0


def test_fetch_structures_are_preserved():
    g = tf.Graph()
    with g.as_default():
        x = placeholder(np.float64, [], name="x")
        a, b = x + 1, x * 10
        noop = v1.no_op()
    out = Session(graph=g).run({"a": a, "pair": (b, [a, b.name]), "op": noop}, {x: 2.0})
    assert out["a"] == 3.0 and out["pair"][0] == 20.0 and out["pair"][1] == [3.0, 20.0]
    assert out["op"] is None


def test_session_runs_only_what_the_fetches_need():
    g = tf.Graph()
    ran = []
    with g.as_default():
        x = placeholder(np.float64, [None], name="x")
        y = x * 2
        other = tf.exp(x)                    # a branch no fetch needs
    other.op.register_forward_hook(lambda op, args, value: ran.append(op.name))
    y.op.register_forward_hook(lambda op, args, value: ran.append(op.name))
    sess = Session(graph=g)
    sess.run(y, {x: [1.0]})
    assert ran == [y.op.name]
    assert other.op in sess.last_pruned


def test_each_node_runs_once_and_plans_are_cached():
    g = tf.Graph()
    calls = []
    with g.as_default():
        x = placeholder(np.float64, [None], name="x")
        h = tf.exp(x)
        y = h + h * h
    h.op.register_forward_hook(lambda op, args, value: calls.append(1))
    sess = Session(graph=g)
    sess.run([y, h], {x: [0.0]})
    assert len(calls) == 1
    sess.run([y, h], {x: [1.0]})
    assert len(sess._plans) == 1


def test_a_plan_compiles_to_straight_line_python_that_frees_values_after_last_use():
    g = tf.Graph()
    with g.as_default():
        x = placeholder(np.float64, [None], name="x")
        w = v1.Variable(np.array([2.0, 3.0]), name="w")
        y = tf.reduce_sum(tf.exp(x) * w, name="total")
        dw = gradients(y, w)[0]
        step = v1.assign_sub(w, 0.5 * dw)
        init = v1.global_variables_initializer()
    sess = Session(graph=g)
    sess.run(init)
    total, _ = sess.run([y, step], {x: [0.0, 1.0]})
    assert total == pytest.approx(2 + 3 * np.e)
    assert sess.run(w) == pytest.approx([2 - 0.5, 3 - 0.5 * np.e])
    plan = sess._plans[(tuple(map(id, [y, step])), (id(x),))]
    assert sess.plan_source([y, step], {x: [0.0, 1.0]}) == plan.compiled.source   # its public view
    lines = plan.compiled.source.splitlines()
    assert lines[0] == "def run(feeds):" and lines[1] == "    v0, = feeds"
    # One line per op, in plan order, each naming its op (constants are filled in
    # before the run, so they need none); the fetches are returned.
    named = [line.split("# ")[1] for line in lines if "# " in line]
    assert named == [f"{op.name} ({op.type})" for op in plan.ops if op.type != "Const"]
    assert lines[-1].startswith("    return (")
    # The fed x is dropped after its last reader (the Exp and its gradient's Mul).
    last_x = max(i for i, line in enumerate(lines) if "v0" in line and "del" not in line)
    assert any(line.strip().startswith("del") and "v0" in line for line in lines[last_x + 1:])


def test_an_error_inside_a_compiled_plan_names_the_op_that_failed():
    g = tf.Graph()
    with g.as_default():
        a = placeholder(np.float64, [None, None], name="a")
        b = placeholder(np.float64, [None, None], name="b")
        c = tf.exp(a)
        bad = v1.matmul(c, b, name="product")
        out = bad + 1
    with pytest.raises(ValueError, match="while running op 'product' \\(MatMul\\)"):
        Session(graph=g).run(out, {a: np.ones((2, 3)), b: np.ones((2, 3))})


def test_plan_cache_is_bounded():
    g = tf.Graph()
    with g.as_default():
        xs = [placeholder(np.float64, [], name=f"x{i}") for i in range(80)]
        ys = [x + 1 for x in xs]
    sess = Session(graph=g)
    for x, y in zip(xs, ys):
        sess.run(y, {x: 1.0})
    assert len(sess._plans) == tf.graph.session.PLAN_CACHE_SIZE


def test_closed_session_refuses_to_run():
    g = tf.Graph()
    with g.as_default():
        c = v1.constant(1.0)
    with Session(graph=g) as s:
        pass
    with pytest.raises(RuntimeError, match="closed Session"):
        s.run(c)


def test_symbolic_gradients_use_the_same_rules_and_differentiate_again():
    g = tf.Graph()
    with g.as_default():
        x = placeholder(np.float64, [None], name="x")
        y = tf.reduce_sum(tf.tanh(x) * x)
        dx, = gradients(y, [x])
        ddx, = gradients(tf.reduce_sum(dx), [x])
    xv = np.array([0.3, -1.2, 2.0])
    d, dd = Session(graph=g).run([dx, ddx], {x: xv})
    t = np.tanh(xv)
    np.testing.assert_allclose(d, t + xv * (1 - t * t), rtol=1e-12)
    np.testing.assert_allclose(dd, 2 * (1 - t * t) - 2 * xv * t * (1 - t * t), rtol=1e-12)


def test_gradients_of_unconnected_x_are_none():
    g = tf.Graph()
    with g.as_default():
        a = placeholder(np.float64, [], name="a")
        b = placeholder(np.float64, [], name="b")
        assert gradients(a * 2, [a, b])[1] is None


def test_broadcast_gradients_are_summed_back_with_unknown_batch():
    g = tf.Graph()
    with g.as_default():
        x = placeholder(np.float64, [None, 3], name="x")
        b = v1.Variable(np.zeros(3), name="b")
        loss = tf.reduce_sum((x + b) ** 2)
        db, = gradients(loss, [b])
        init = v1.global_variables_initializer()
    s = Session(graph=g)
    s.run(init)
    xv = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(s.run(db, {x: xv}), 2 * xv.sum(0))


def test_random_ops_are_seeded_and_draw_anew_each_run():
    g = tf.Graph()
    with g.as_default():
        r = v1.random_normal([3], seed=7)
    s1, s2 = Session(graph=g), Session(graph=g)
    a, b = s1.run(r), s1.run(r)
    assert not np.allclose(a, b)
    np.testing.assert_array_equal(a, s2.run(r))


def test_control_dependencies_and_group():
    g = tf.Graph()
    with g.as_default():
        w = v1.Variable(0.0, name="w")
        inc = w.assign_add(1.0)
        with v1.control_dependencies([inc]):
            after = v1.identity(v1.constant(5.0))
        both = v1.group(inc, w.assign_add(10.0))
        init = v1.global_variables_initializer()
    order = []
    for op in (inc.op, after.op):
        op.register_forward_hook(lambda op, args, value: order.append(op.type))
    s = Session(graph=g)
    s.run(init)
    s.run(both)
    assert s.run(w) == 11.0
    assert s.run(after) == 5.0
    assert order == ["AssignAdd", "AssignAdd", "Identity"]   # inc ran in `both`, then before `after`
    assert s.run(w) == 12.0


def test_reset_default_graph_starts_fresh():
    x = v1.placeholder(v1.float32, [None], name="x")
    tf.reset_default_graph()
    assert len(tf.get_default_graph()) == 0
    y = v1.placeholder(v1.float32, [None], name="x")
    assert y.name == "x:0"


def test_rerunning_a_layer_cell_warns_instead_of_failing():
    x = v1.placeholder(v1.float32, [None, 4], name="x")
    v1.layers.dense(x, 3, name="dense")
    with pytest.warns(UserWarning, match="reset_default_graph"):
        h = v1.layers.dense(x, 3, name="dense")
    assert h.name.startswith("dense_1/")


def test_a_python_number_beside_a_captured_tensor_takes_its_dtype():
    # as beside a symbolic tensor: float32 * 1 stays float32 (it became float64)
    v = tf.tensor([1.0, 2.0])

    @tf.function
    def scaled(x):
        return v * 1 + x * 2

    out = scaled(tf.tensor([1.0, 1.0]))
    assert out.dtype == tf.float32 and out.tolist() == [3.0, 4.0]


def test_eager_tensor_in_a_graph_is_captured_and_read_when_run():
    w = tf.ones(3)
    g = tf.Graph()
    with g.as_default():
        y = tf.reduce_sum(w * 2.0)
    s = Session(graph=g)
    assert s.run(y) == 6.0
    with tf.no_grad():
        w += 1
    assert s.run(y) == 12.0
