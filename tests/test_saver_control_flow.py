"""Saver and meta graphs with control flow: a graph holding tf.cond and tf.while_loop
(If/While ops with function graphs, their gradient ops IfGrad/WhileGrad, a cond
nested in a loop body) is saved, rebuilt by import_meta_graph -- in this process
and in a fresh one -- and computes the same values and gradients."""
import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tinyflow.compat.v1 as tf

XS = np.array([[0.5, -1.0, 2.0], [-0.3, 0.8, 0.1]], np.float64)


def _model():
    """x -> a cond on the sign of a sum -> a while loop whose body holds a cond ->
    loss; a training op through both (gradient ops in the saved graph)."""
    tf.reset_default_graph()
    x = tf.placeholder(tf.float64, [None, 3], name="x")
    w = tf.Variable(np.array([[0.2, -0.1], [0.4, 0.3], [-0.5, 0.1]]), name="w")
    h = tf.matmul(x, w, name="h")
    s = tf.reduce_sum(h, name="s")
    branched = tf.cond(s > 0, lambda: tf.tanh(h) * 2.0, lambda: h * h, name="branch")

    def body(i, acc):
        step = tf.cond(tf.equal(i % 2, 0), lambda: acc * 0.5 + w[0, 0],
                       lambda: tf.sin(acc), name="inner")
        return i + 1, step
    _, looped = tf.while_loop(lambda i, acc: i < 3, body, [tf.constant(0), branched],
                              name="loop")
    loss = tf.reduce_mean(tf.square(looped), name="loss")
    grad_w = tf.gradients(loss, w)[0]
    tf.identity(grad_w, name="grad_w")
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, name="train")
    return x, w, loss, grad_w, train


def _values(sess, graph):
    get = graph.get_tensor_by_name
    return sess.run([get("loss:0"), get("grad_w:0")], {get("x:0"): XS})


@pytest.fixture
def saved(tmp_path):
    x, w, loss, grad_w, train = _model()
    types = {op.type for op in tf.get_default_graph().get_operations()}
    assert {"If", "IfGrad", "While", "WhileGrad"} <= types
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = _values(sess, tf.get_default_graph())
        sess.run(train, {x: XS})                       # the saved values are trained ones
        after = _values(sess, tf.get_default_graph())
        prefix = saver.save(sess, str(tmp_path / "cf"))
    return prefix, before, after


def test_the_meta_graph_stores_each_function_graph_once(saved):
    prefix, _, _ = saved
    data = json.loads(open(prefix + ".meta").read())
    names = sorted(f["name"] for f in data["functions"].values())
    # the If and IfGrad of one cond share its branches; the inner cond lives in the body
    assert names == ["branch/false", "branch/true", "inner/false", "inner/true",
                     "loop/body", "loop/cond"]
    body = next(f for f in data["functions"].values() if f["name"] == "loop/body")
    assert any(n["op"] == "If" for n in body["nodes"]) and body["gradient"] is not None


def test_restored_graph_computes_the_same_values_and_gradients(saved):
    prefix, before, after = saved
    tf.reset_default_graph()
    saver = tf.train.import_meta_graph(prefix + ".meta")
    g = tf.get_default_graph()
    with tf.Session() as sess:
        saver.restore(sess, prefix)
        got = _values(sess, g)
        np.testing.assert_allclose(got[0], after[0], rtol=1e-12)
        np.testing.assert_allclose(got[1], after[1], rtol=1e-12)
        # the restored training op (IfGrad, WhileGrad inside) still trains the same way
        sess.run(g.get_operation_by_name("train"), {"x:0": XS})
        w = sess.run("w:0")
    # ... as the original graph would have: one more step from the saved values
    x, wv, loss, grad_w, train = _model()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train, {x: XS})
        sess.run(train, {x: XS})
        np.testing.assert_allclose(sess.run(wv), w, rtol=1e-12)


def test_new_gradients_through_a_restored_cond_and_loop(saved):
    """tf.gradients built after the import differentiates the rebuilt If and While
    ops (their function graphs' gradients are built anew), checked numerically."""
    prefix, _, _ = saved
    tf.reset_default_graph()
    saver = tf.train.import_meta_graph(prefix + ".meta")
    g = tf.get_default_graph()
    x, loss = g.get_tensor_by_name("x:0"), g.get_tensor_by_name("loss:0")
    gx = tf.gradients(loss, x)[0]
    with tf.Session() as sess:
        saver.restore(sess, prefix)
        analytic = sess.run(gx, {x: XS})
        numeric = np.zeros_like(XS)
        eps = 1e-6
        for idx in np.ndindex(*XS.shape):
            d = np.zeros_like(XS)
            d[idx] = eps
            numeric[idx] = (sess.run(loss, {x: XS + d}) - sess.run(loss, {x: XS - d})) / (2 * eps)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)


def test_restored_in_a_fresh_process(saved, tmp_path):
    prefix, _, after = saved
    script = textwrap.dedent(f"""
        import numpy as np
        import tinyflow.compat.v1 as tf
        saver = tf.train.import_meta_graph({prefix + '.meta'!r})
        g = tf.get_default_graph()
        with tf.Session() as sess:
            saver.restore(sess, {prefix!r})
            out = sess.run(["loss:0", "grad_w:0"], {{"x:0": np.array({XS.tolist()!r})}})
        np.save({str(tmp_path / 'loss.npy')!r}, out[0])
        np.save({str(tmp_path / 'grad.npy')!r}, out[1])
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    np.testing.assert_allclose(np.load(tmp_path / "loss.npy"), after[0], rtol=1e-12)
    np.testing.assert_allclose(np.load(tmp_path / "grad.npy"), after[1], rtol=1e-12)


def test_a_corrupt_function_reference_is_refused(saved):
    from tinyflow.base.errors import CheckpointError
    prefix, _, _ = saved
    data = json.loads(open(prefix + ".meta").read())
    data["functions"].pop("f0")
    tf.reset_default_graph()
    with pytest.raises(CheckpointError, match="corrupt meta graph"):
        tf.train.import_meta_graph(data)
    assert len(tf.get_default_graph()) == 0
