"""The same model, eagerly and as a graph, on the same primitives."""
import numpy as np

import tinyflow as tf
import tinyflow.compat.v1 as v1


def _data(n=32):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((n, 5))
    y = rng.integers(0, 3, n)
    w1 = rng.standard_normal((5, 16)) * 0.5
    w2 = rng.standard_normal((16, 3)) * 0.5
    return x, y, w1, np.zeros(16), w2, np.zeros(3)


def test_mlp_trains_to_identical_losses_eagerly_and_in_a_graph():
    x, y, w1, b1, w2, b2 = _data()
    lr = 0.5
    # eager
    params = [tf.tensor(p, requires_grad=True) for p in (w1, b1, w2, b2)]
    W1, B1, W2, B2 = params
    eager = []
    for _ in range(20):
        logits = (tf.tensor(x) @ W1 + B1).relu() @ W2 + B2
        loss = -tf.take_along_axis(logits.log_softmax(-1), y[:, None], -1).mean()
        for p in params:
            p.grad = None
        loss.backward()
        with tf.no_grad():
            for p in params:
                p -= lr * p.grad
        eager.append(loss.item())
    # graph
    v1.reset_default_graph()
    xs = v1.placeholder(v1.float64, [None, 5], name="x")
    ys = v1.placeholder(v1.int64, [None], name="y")
    h = v1.layers.dense(xs, 16, activation=v1.nn.relu, name="fc1",
                        kernel_initializer=v1.constant_initializer(w1, np.float64))
    logits = v1.layers.dense(h, 3, name="fc2", kernel_initializer=v1.constant_initializer(w2, np.float64))
    loss = v1.losses.sparse_softmax_cross_entropy(labels=ys, logits=logits)
    step = v1.train.GradientDescentOptimizer(lr).minimize(loss)
    graph = []
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        for _ in range(20):
            _, l = sess.run([step, loss], {xs: x, ys: y})
            graph.append(float(l))
    np.testing.assert_allclose(eager, graph, rtol=0, atol=1e-6)
    assert eager[-1] < eager[0] * 0.8


def test_tinyflow_function_traces_the_same_python_into_a_graph():
    calls = []

    @tf.function
    def f(x, w):
        calls.append(1)
        return (x @ w).tanh().sum(1)

    x, w = tf.randn(4, 3, dtype=tf.float64), tf.randn(3, 2, dtype=tf.float64)
    expected = (x @ w).tanh().sum(1)
    np.testing.assert_allclose(f(x, w).detach().numpy(), expected.detach().numpy())
    f(x + 1, w)
    assert f.tracing_count == 1 and len(calls) == 1        # same signature: no retrace
    f(tf.randn(7, 3, dtype=tf.float64), w)
    assert f.tracing_count == 2                             # new shape: traced again
    types = [op.type for op in f.get_concrete_function(x, w).graph.get_operations()]
    assert types == ["Placeholder", "Placeholder", "MatMul", "Tanh", "Sum"]


def test_a_whole_training_step_traced_with_gradient_tape():
    x, y, w1, b1, w2, b2 = _data()
    W = tf.Variable(w1)
    B = tf.Variable(b1)

    def loss_fn(xb):
        return ((xb @ W + B) ** 2).mean()

    @tf.function
    def step(xb):
        with tf.GradientTape() as tape:
            loss = loss_fn(xb)
        gw, gb = tape.gradient(loss, [W, B])
        W.assign_sub(0.1 * gw)
        B.assign_sub(0.1 * gb)
        return loss

    # the same step, eagerly, on copies
    W2, B2 = tf.Variable(w1), tf.Variable(b1)
    xt = tf.tensor(x)
    for _ in range(5):
        traced = step(xt)
        with tf.GradientTape() as tape:
            loss = ((xt @ W2 + B2) ** 2).mean()
        gw, gb = tape.gradient(loss, [W2, B2])
        W2.assign_sub(0.1 * gw)
        B2.assign_sub(0.1 * gb)
        np.testing.assert_allclose(traced.item(), loss.item(), rtol=1e-12)
    np.testing.assert_allclose(W.detach().numpy(), W2.detach().numpy(), rtol=1e-12)
    assert step.tracing_count == 1


def test_gradient_tape_nested_gives_second_derivatives():
    x = tf.constant(2.0, dtype=tf.float64)
    with tf.GradientTape() as t2:
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = x ** 3
        dy = t1.gradient(y, x)
    d2y = t2.gradient(dy, x)
    assert dy.item() == 12.0 and d2y.item() == 12.0


def test_gradient_tape_non_persistent_can_be_used_once():
    x = tf.Variable(1.0)
    with tf.GradientTape() as t:
        y = x * x
    t.gradient(y, x)
    import pytest
    with pytest.raises(RuntimeError, match="non-persistent GradientTape"):
        t.gradient(y, x)


def test_an_eager_tensor_meeting_a_symbolic_one_builds_a_graph_op():
    # Eager operators run on the tape directly; a symbolic operand (either side), or a
    # graph being traced, still makes them graph ops, with the eager value as a constant.
    g = v1.Graph()
    e = tf.tensor(np.array([1.0, 2.0]))
    with g.as_default():
        x = v1.placeholder(v1.float64, [2], name="x")
        ops = [e * x, x - e, e @ v1.reshape(x, [2, 1]), -e + x]
    assert all(tf.ops.primitive.is_symbolic(t) for t in ops)
    assert [t.node.prim.name for t in ops[:3]] == ["Mul", "Sub", "MatMul"]
    with v1.Session(graph=g) as sess:
        got = sess.run(ops, {x: [3.0, 4.0]})
    np.testing.assert_allclose(got[0], [3.0, 8.0])
    np.testing.assert_allclose(got[1], [2.0, 2.0])
    np.testing.assert_allclose(got[2], [11.0])
    np.testing.assert_allclose(got[3], [2.0, 2.0])

    @tf.function
    def f(a):
        return (e * 3.0).relu() + a               # e * 3.0 is traced into the graph too
    assert [op.type for op in f.get_concrete_function(tf.tensor([0.0, 0.0])).graph.get_operations()
            if op.type in ("Mul", "Relu", "Add")] == ["Mul", "Relu", "Add"]
    np.testing.assert_allclose(f(tf.tensor([1.0, 1.0])).detach().numpy(), [4.0, 7.0])
