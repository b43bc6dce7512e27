"""Control flow: cond, case, while_loop, map_fn and scan, eagerly (plain Python),
in graphs (one op holding small graphs, run by the Session) and in traced
functions. Every gradient is checked against central differences in float64
and against the same computation written with Python control flow eagerly."""
import numpy as np
import pytest

import tinyflow as tf
import tinyflow.compat.v1 as v1
from tinyflow.base.config import using_config
from tinyflow.base.errors import InvalidArgumentError


def numeric_grad(f, x, eps=1e-6):
    """Central differences of the scalar f at the array x."""
    x = np.array(x, dtype=np.float64)
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        d = np.zeros_like(x)
        d[idx] = eps
        g[idx] = (f(x + d) - f(x - d)) / (2 * eps)
    return g


def graph_value_and_grad(build, x_value, extra=None):
    """Build ``y = build(x, **extra_placeholders)`` in a fresh graph with a float64
    placeholder x; returns (run(x) -> y, run(x) -> dy/dx)."""
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(v1.float64, np.shape(x_value), name="x")
        feeds = {}
        kwargs = {}
        for name, (dtype, value) in (extra or {}).items():
            p = v1.placeholder(dtype, np.shape(value), name=name)
            kwargs[name] = p
            feeds[p] = value
        y = build(x, **kwargs)
        dy, = v1.gradients(y, [x])
    sess = v1.Session(graph=g)

    def value(xv):
        return sess.run(y, {x: xv, **feeds})

    def grad(xv):
        return sess.run(dy, {x: xv, **feeds})
    return value, grad


# --- cond ---------------------------------------------------------------------------

def piecewise(x):
    return tf.cond(tf.reduce_sum(x) > 0, lambda: tf.reduce_sum(x * x * x),
                   lambda: tf.reduce_sum(tf.sin(x)) * 2.0)


def piecewise_eager(x):
    return (x * x * x).sum() if float(x.sum()) > 0 else x.sin().sum() * 2.0


@pytest.mark.parametrize("xv", [[0.5, 1.5], [-0.5, -1.25], [2.0, -1.0]])
def test_cond_value_and_gradient_in_a_graph(xv):
    value, grad = graph_value_and_grad(piecewise, np.array(xv))
    f = lambda a: float(value(a))      # noqa: E731
    xe = tf.tensor(np.array(xv), requires_grad=True)
    ye = piecewise_eager(xe)
    ye.backward()
    assert np.isclose(f(np.array(xv)), float(ye))
    np.testing.assert_allclose(grad(np.array(xv)), xe.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(grad(np.array(xv)), numeric_grad(f, xv), rtol=1e-6, atol=1e-8)


def test_cond_runs_only_the_taken_branch(capsys):
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(v1.float32, [], name="x")
        y = v1.cond(x > 0, lambda: v1.Print(x * 2, [x], "TRUE BRANCH "),
                    lambda: v1.Print(-x, [x], "FALSE BRANCH "))
    with v1.Session(graph=g) as sess:
        assert sess.run(y, {x: 3.0}) == 6.0
        out = capsys.readouterr()
        text = out.out + out.err
        assert "TRUE BRANCH" in text and "FALSE BRANCH" not in text
        assert sess.run(y, {x: -3.0}) == 3.0
        out = capsys.readouterr()
        text = out.out + out.err
        assert "FALSE BRANCH" in text and "TRUE BRANCH" not in text


def test_cond_is_one_op_holding_two_branch_graphs():
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(v1.float32, [None], name="x")
        y = v1.cond(v1.reduce_sum(x) > 0, lambda: x * 2, lambda: x - 1, name="choose")
    assert y.name == "choose:0" and y.op.type == "If" and y.shape.as_list() == [None]
    false_b, true_b = y.op.attrs["branches"]
    assert [op.type for op in true_b.get_operations()] == ["Placeholder", "Const", "Mul"]
    assert "Sub" in [op.type for op in false_b.get_operations()]
    # x is captured: an input of the If op, a placeholder inside each branch
    assert any(t is x for t in y.op.inputs)


def test_cond_returns_structures_and_unpacks_singletons_in_tf1():
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(v1.float32, [], name="x")
        pair = v1.cond(x > 0, lambda: (x, {"y": x * 2}), lambda: (-x, {"y": x * 3}))
        single = v1.cond(x > 0, lambda: [x], lambda: [-x])
        strict = v1.cond(x > 0, lambda: [x], lambda: [-x], strict=True)
        tf2 = tf.cond(x > 0, lambda: [x], lambda: [-x])
    assert isinstance(pair, tuple) and set(pair[1]) == {"y"}
    assert isinstance(single, v1.Tensor)
    assert isinstance(strict, list) and isinstance(tf2, list)
    with v1.Session(graph=g) as sess:
        a, b = sess.run(pair, {x: -2.0})
        assert a == 2.0 and b["y"] == -6.0


def test_cond_python_predicate_and_eager_cond_just_run_python():
    calls = []
    out = tf.cond(True, lambda: calls.append("t") or tf.tensor(1.0),
                  lambda: calls.append("f") or tf.tensor(2.0))
    assert float(out) == 1.0 and calls == ["t"]
    x = tf.tensor(2.0, requires_grad=True)
    y = tf.cond(x > 1, lambda: x * x, lambda: x)
    y.backward()
    assert float(x.grad) == 4.0


def test_cond_mistakes_are_explained():
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(v1.float32, [], name="x")
        with pytest.raises(ValueError, match="same number, type, and overall structure"):
            v1.cond(x > 0, lambda: (x, x), lambda: x)
        with pytest.raises(TypeError, match="same dtypes.*float32.*int32"):
            v1.cond(x > 0, lambda: x, lambda: v1.constant(1))
        with pytest.raises(TypeError, match="pred must be a scalar boolean"):
            v1.cond(x, lambda: x, lambda: x)
        with pytest.raises(TypeError, match="'true_fn' must be callable"):
            v1.cond(x > 0, x, lambda: x)
        with pytest.raises(TypeError, match="'false_fn' argument required"):
            v1.cond(x > 0, lambda: x)
        with pytest.raises(ValueError, match="'true_fn' must have a return value"):
            v1.cond(x > 0, lambda: None, lambda: x)
        with pytest.raises(TypeError, match="'pred' must not be a Python bool"):
            v1.cond(True, lambda: x, lambda: x)


# --- case ------------------------------------------------------------------------------

def test_case_picks_the_first_true_predicate_and_checks_exclusive():
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(v1.float32, [], name="x")
        y = v1.case([(x < 0, lambda: x * 0 - 1), (x < 10, lambda: x * 2)], default=lambda: x)
        z = v1.case([(x < 5, lambda: x), (x < 10, lambda: -x)], default=lambda: x * 0,
                    exclusive=True)
    with v1.Session(graph=g) as sess:
        assert [float(sess.run(y, {x: v})) for v in (-3.0, 4.0, 20.0)] == [-1.0, 8.0, 20.0]
        assert float(sess.run(z, {x: 7.0})) == -7.0
        with pytest.raises(InvalidArgumentError, match="more than 1 conditions"):
            sess.run(z, {x: 1.0})
    assert float(tf.case([(tf.tensor(False), lambda: 1.0)], default=lambda: 2.0)) == 2.0


# --- while_loop ------------------------------------------------------------------------

def power_loop(x, n):
    """x ** n by repeated multiplication: n iterations, known only when the graph runs."""
    def body(i, acc):
        return i + 1, acc * x
    return tf.while_loop(lambda i, acc: i < n, body, [tf.constant(0), v1.ones_like(x)])[1]


@pytest.mark.parametrize("n", [0, 1, 3, 5])
def test_while_loop_value_and_gradient_with_a_data_dependent_count(n):
    xv = np.array([0.5, -1.5, 2.0])
    value, grad = graph_value_and_grad(lambda x, n: v1.reduce_sum(power_loop(x, n)), xv,
                                       {"n": (v1.int32, n)})
    np.testing.assert_allclose(value(xv), (xv ** n).sum())
    np.testing.assert_allclose(grad(xv), n * xv ** (n - 1) if n else np.zeros(3), rtol=1e-12)
    np.testing.assert_allclose(grad(xv), numeric_grad(lambda a: value(a), xv), rtol=1e-6,
                               atol=1e-8)


def test_while_loop_gradient_equals_the_eager_python_loop():
    def newton_sqrt(a, steps):
        """A loop whose every iteration reads the values of the one before."""
        def body(k, y):
            return k + 1, 0.5 * (y + a / y)
        return tf.while_loop(lambda k, y: k < steps, body, [tf.constant(0), a])[1]

    av = np.array([2.0, 9.0, 0.3])
    value, grad = graph_value_and_grad(lambda a, steps: v1.reduce_sum(newton_sqrt(a, steps)),
                                       av, {"steps": (v1.int32, 4)})
    ae = tf.tensor(av, requires_grad=True)
    y = ae
    for _ in range(4):                        # the same iterations as a Python loop, eagerly
        y = 0.5 * (y + ae / y)
    y.sum().backward()
    np.testing.assert_allclose(value(av), float(y.sum()), rtol=1e-14)
    np.testing.assert_allclose(grad(av), ae.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(grad(av), numeric_grad(value, av), rtol=1e-6)


def nested(a, n):
    """A cond inside a while_loop inside a cond."""
    def outer_true():
        def body(k, v):
            return k + 1, tf.cond(v > 5.0, lambda: v * a, lambda: v + a * a)
        return tf.while_loop(lambda k, v: k < n, body, [tf.constant(0), a])[1]
    return tf.cond(a > 0, outer_true, lambda: a * 3.0)


def nested_python(a, n):
    if a > 0:
        v = a
        for _ in range(n):
            v = v * a if v > 5 else v + a * a
        return v
    return a * 3.0


@pytest.mark.parametrize("av,n", [(1.5, 3), (2.0, 4), (-1.0, 2), (0.7, 0), (3.0, 1)])
def test_nested_control_flow_gradients(av, n):
    value, grad = graph_value_and_grad(nested, av, {"n": (v1.int32, n)})
    assert np.isclose(value(av), nested_python(av, n))
    np.testing.assert_allclose(grad(av), numeric_grad(lambda a: nested_python(float(a), n), av),
                               rtol=1e-6)


def test_while_inside_while_gradient():
    def build(x, n):
        def outer(i, acc):
            inner = tf.while_loop(lambda j, s: j < i, lambda j, s: (j + 1, s + acc * x),
                                  [tf.constant(0), v1.zeros_like(x)])[1]
            return i + 1, acc + inner
        return v1.reduce_sum(tf.while_loop(lambda i, acc: i < n, outer,
                                           [tf.constant(0), x])[1])

    def python(x, n):
        acc = x.copy()
        for i in range(n):
            s = np.zeros_like(x)
            for _ in range(i):
                s = s + acc * x
            acc = acc + s
        return acc.sum()
    xv = np.array([0.3, -0.7])
    value, grad = graph_value_and_grad(build, xv, {"n": (v1.int32, 4)})
    assert np.isclose(value(xv), python(xv, 4))
    np.testing.assert_allclose(grad(xv), numeric_grad(lambda a: python(a, 4), xv), rtol=1e-6)


def test_while_loop_runs_the_body_once_per_iteration_and_the_interpreter_agrees():
    g = tf.Graph()
    with g.as_default():
        n = v1.placeholder(v1.int32, [], name="n")
        counter = v1.Variable(0, name="counter")

        def body(i):
            with v1.control_dependencies([v1.assign_add(counter, 1)]):
                return i + 1
        out = v1.while_loop(lambda i: i < n, body, [0])
        init = v1.global_variables_initializer()
    with v1.Session(graph=g) as sess:
        sess.run(init)
        assert sess.run(out, {n: 7}) == 7 and sess.run(counter) == 7
        with using_config(compile_plans=False):          # the plain step loop, same result
            assert sess.run(out, {n: 3}) == 3 and sess.run(counter) == 10


def test_while_loop_maximum_iterations_and_tf1_results():
    g = tf.Graph()
    with g.as_default():
        limit = v1.placeholder(v1.int32, [], name="limit")
        a = v1.while_loop(lambda i: i < 100, lambda i: i + 1, [0], maximum_iterations=5)
        b = v1.while_loop(lambda i: i < 100, lambda i: i + 1, [0], maximum_iterations=limit)
        c = v1.while_loop(lambda i: i < 3, lambda i: [i + 1], [0], return_same_structure=True)
        d = tf.while_loop(lambda i: i < 3, lambda i: i + 1, [0])
    assert isinstance(a, v1.Tensor) and isinstance(c, list) and isinstance(d, list)
    with v1.Session(graph=g) as sess:
        assert sess.run(a) == 5 and sess.run(b, {limit: 2}) == 2 and sess.run(c) == [3]


def test_while_loop_shape_invariants():
    g = tf.Graph()
    with g.as_default():
        with pytest.raises(ValueError, match="enters the loop with shape \\(1,\\), but has shape "
                                             "\\(2,\\) after one iteration.*shape_invariants"):
            v1.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, v1.concat([x, x], 0)),
                          [0, v1.constant([1.0])])
        i, x = v1.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, v1.concat([x, x], 0)),
                             [0, v1.constant([1.0])],
                             shape_invariants=[v1.TensorShape([]), v1.TensorShape([None])])
    assert x.shape.as_list() == [None]
    assert v1.Session(graph=g).run(x).shape == (8,)


def test_while_loop_mistakes_are_explained():
    g = tf.Graph()
    with g.as_default():
        with pytest.raises(TypeError, match="cond must return one boolean scalar"):
            v1.while_loop(lambda i: i, lambda i: i + 1, [v1.constant(0)])
        with pytest.raises(ValueError, match="body returned 2 loop variable"):
            v1.while_loop(lambda i: i < 3, lambda i: (i + 1, i), [v1.constant(0)])
        with pytest.raises(TypeError, match="enters the loop as int32 but the body returns "
                                            "float32"):
            v1.while_loop(lambda i: i < 3, lambda i: v1.cast(i, v1.float32),
                          [v1.constant(0)])
        with pytest.raises(ValueError, match="'loop_vars' must be provided"):
            v1.while_loop(lambda i: i < 3, lambda i: i + 1, [])
        with pytest.raises(TypeError, match="'body' must be callable"):
            v1.while_loop(lambda i: i < 3, None, [0])


def test_second_derivatives_through_a_loop_are_refused_clearly():
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(v1.float64, [], name="x")
        y = v1.while_loop(lambda i, v: i < 2, lambda i, v: (i + 1, v * x), [0, x])[1]
        dy, = v1.gradients(y, [x])
        with pytest.raises(NotImplementedError, match="differentiates cond and while_loop once"):
            v1.gradients(dy, [x])


def test_eager_while_loop_is_a_python_loop_on_the_tape():
    x = tf.tensor(3.0, requires_grad=True)
    i, y = tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * x), [0, tf.tensor(1.0)])
    y.backward()
    assert i == 3 and float(y) == 27.0 and float(x.grad) == 27.0


# --- inside tinyflow.function, under GradientTape -----------------------------------------

def test_control_flow_in_a_traced_function_under_gradient_tape():
    @tf.function
    def value_and_grad(x, n):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(nested(x, n))
        return y, tape.gradient(y, x)

    for av, n in [(1.5, 3), (-2.0, 1), (0.9, 5)]:
        y, g = value_and_grad(tf.tensor(av, dtype=tf.float64), tf.tensor(n, dtype=tf.int32))
        assert np.isclose(float(y), nested_python(av, n))
        assert np.isclose(float(g), numeric_grad(lambda a: nested_python(float(a), n), av),
                          rtol=1e-6)
    assert value_and_grad.tracing_count == 1          # one graph serves every count


# --- map_fn and scan ----------------------------------------------------------------------

def test_map_fn_and_scan_values_and_gradients():
    def build(x):
        y = v1.map_fn(lambda r: v1.reduce_sum(r * r), x)
        s = v1.scan(lambda a, r: a * r, x)
        s2 = v1.scan(lambda a, r: a + r, x, initializer=v1.constant(np.ones(3)), reverse=True)
        return v1.reduce_sum(y) + v1.reduce_sum(s) + v1.reduce_sum(s2 * s2)

    def python(X):
        s2 = np.cumsum(X[::-1], 0)[::-1] + 1
        return (X * X).sum() + np.cumprod(X, 0).sum() + (s2 * s2).sum()
    xv = np.arange(1.0, 10.0).reshape(3, 3) / 4
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(v1.float64, [None, 3], name="x")
        y = build(x)
        dx, = v1.gradients(y, [x])
    with v1.Session(graph=g) as sess:
        assert np.isclose(sess.run(y, {x: xv}), python(xv))
        np.testing.assert_allclose(sess.run(dx, {x: xv}), numeric_grad(python, xv), rtol=1e-6)
        assert np.isclose(sess.run(y, {x: xv[:1]}), python(xv[:1]))     # one row


def test_map_fn_nested_structures_and_eager_agreement():
    xs = np.array([[1.0, 2.0], [3.0, 4.0]])
    ys = np.array([10.0, 20.0])

    eager = tf.map_fn(lambda p: {"sum": p[0].sum() + p[1], "scaled": p[0] * p[1]},
                      (tf.tensor(xs), tf.tensor(ys)))
    g = tf.Graph()
    with g.as_default():
        out = v1.map_fn(lambda p: {"sum": v1.reduce_sum(p[0]) + p[1], "scaled": p[0] * p[1]},
                        (v1.constant(xs), v1.constant(ys)))
    got = v1.Session(graph=g).run(out)
    np.testing.assert_allclose(got["sum"], eager["sum"].numpy())
    np.testing.assert_allclose(got["scaled"], eager["scaled"].numpy())
    np.testing.assert_allclose(got["sum"], xs.sum(1) + ys)


def test_scan_without_initializer_starts_from_the_first_row():
    g = tf.Graph()
    with g.as_default():
        out = v1.scan(lambda a, x: a + x, v1.constant([1, 2, 3, 4, 5, 6]))
    assert v1.Session(graph=g).run(out).tolist() == [1, 3, 6, 10, 15, 21]
    assert tf.scan(lambda a, x: a + x, tf.tensor([1, 2, 3])).tolist() == [1, 3, 6]


# --- drawings and the stepping session ------------------------------------------------

def _cond_and_loop_graph():
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(v1.float64, [], name="x")
        y = v1.cond(x > 0, lambda: x * 3.0, lambda: -x)
        i, z = v1.while_loop(lambda i, z: i < 2, lambda i, z: (i + 1, z * x), [0, y])
        dz, = v1.gradients(z, [x])
    return g, x, z, dz


def test_drawing_shows_branches_and_the_loop_body_in_boxes():
    from tinyflow.viz.draw_graph import graph_picture
    g, x, z, dz = _cond_and_loop_graph()
    pic = graph_picture(g, fetches=[z])
    labels = {path: info["label"] for path, info in pic.clusters.items()}
    assert labels[("cond",)] == "cond (If)" and labels[("while",)] == "while (While)"
    assert {labels[("cond", "true")], labels[("cond", "false")]} == {"true branch",
                                                                     "false branch"}
    assert {labels[("while", "condition")], labels[("while", "body")]} == {"condition", "body"}
    titles = [v.title for v in pic.vertices]
    assert titles.count("loop variable 1") == 1        # used by the body only
    assert any(kind == "loop" for _, _, kind, _ in pic.edges)   # results go round
    dot = tf.draw(z).source
    assert "true branch" in dot and "body" in dot


def test_stepping_session_steps_into_the_taken_branch_and_each_iteration():
    g, x, z, dz = _cond_and_loop_graph()
    s = tf.debug.StepSession(v1.Session(graph=g), [z, dz], {x: 2.0})
    steps = []
    while not s.done:
        steps.append(s.step())
    names = [st.name for st in steps]
    assert names[:3] == ["Greater", "cond/true/Mul", "cond"]
    assert [n for n in names if n.startswith("while/body[")] == \
        ["while/body[0]/Add", "while/body[0]/Mul", "while/body[1]/Add", "while/body[1]/Mul"]
    assert "while/cond[2]/Less" in names and not any("false" in n for n in names)
    grads = [n for n in names if "body_grad" in n]
    # the gradient replays the iterations last first
    assert grads and grads[0].startswith("while/body_grad[1]/") and \
        grads[-1].startswith("while/body_grad[0]/")
    assert all(st.phase == "backward" for st in steps if "_grad" in st.name)
    assert s.values["while/body[1]/Mul"] == 24.0 and s.result() == [24.0, 36.0]
    assert [st.index for st in steps] == list(range(len(steps)))


def test_stepper_widget_walks_through_a_loop():
    from tinyflow.viz import Stepper
    g, x, z, dz = _cond_and_loop_graph()
    w = Stepper(tf.debug.StepSession(v1.Session(graph=g), [z, dz], {x: 2.0}))
    w.go(2)
    assert w.highlighted().type == "Mul"           # inside the true branch, drawn in its box
    w.run_to_end()
    assert w.position == w.total == len(w.session.history) and w.session.done
    k = next(i for i, st in enumerate(w.session.history, 1) if st.op_type == "WhileGrad")
    w.go(k)
    assert "values kept for the gradient: 2 iteration(s)" in w._panel_html()


# --- ONNX: If and Loop, checked in onnxruntime ----------------------------------------------

def test_onnx_export_maps_cond_and_while_loop_to_if_and_loop():
    import onnx
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(v1.float32, [None, 3], name="x")
        n = v1.placeholder(v1.int32, [], name="n")
        w = v1.constant(np.arange(9, dtype=np.float32).reshape(3, 3) / 10)
        y = v1.cond(v1.reduce_sum(x) > 0, lambda: v1.matmul(x, w), lambda: -x)

        def body(i, z):            # a cond inside the loop too
            z = v1.cond(v1.reduce_max(z) > 2.0, lambda: z * 0.5, lambda: v1.tanh(z) + x)
            return i + 1, z
        i, z = v1.while_loop(lambda i, z: i < n, body, [0, y], maximum_iterations=4)
    sess = v1.Session(graph=g)
    model = tf.onnx.export(sess, inputs={"x": x, "n": n}, outputs={"z": z, "i": i})
    types = [node.op_type for node in model.graph.node]
    assert "If" in types and "Loop" in types
    loop = next(node for node in model.graph.node if node.op_type == "Loop")
    body_types = [nd.op_type for nd in onnx.helper.get_attribute_value(loop.attribute[0]).node]
    assert "If" in body_types
    rng = np.random.default_rng(0)
    for rows, count in [(2, 3), (4, 0), (1, 7), (3, 2)]:
        xv = rng.normal(size=(rows, 3)).astype(np.float32)
        got_z, got_i = tf.onnx.run(model, {"x": xv, "n": np.array(count, np.int32)})
        want_z, want_i = sess.run([z, i], {x: xv, n: count})
        assert got_i == want_i == min(count, 4)
        np.testing.assert_allclose(got_z, want_z, rtol=1e-5, atol=1e-6)


def test_onnx_export_of_a_traced_function_with_control_flow():
    @tf.function
    def f(x):
        return tf.cond(tf.reduce_sum(x) > 0, lambda: x * 2.0, lambda: x - 1.0)
    model = tf.onnx.export(f, (tf.ones(3),))
    for xv in (np.ones(3, np.float32), -np.ones(3, np.float32)):
        got, = tf.onnx.run(model, {model.graph.input[0].name: xv})
        np.testing.assert_allclose(got, f(tf.tensor(xv)).numpy())


def test_while_loop_back_prop_false_stops_the_gradient():
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(v1.float64, [], name="x")
        y = v1.while_loop(lambda i, v: i < 2, lambda i, v: (i + 1, v * x), [0, x],
                          back_prop=False)[1]
        kept = v1.while_loop(lambda i, v: i < 2, lambda i, v: (i + 1, v * x), [0, x])[1]
        assert v1.gradients(y, [x]) == [None]
        dk, = v1.gradients(y + kept, [x])
    assert v1.Session(graph=g).run(dk, {x: 2.0}) == 12.0      # d(x^3)/dx, y adds nothing
