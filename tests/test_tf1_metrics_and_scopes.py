"""TF1's streaming metrics (local variables, value and update_op, checked against numpy
over several batches), and variable sharing with variable_scope / get_variable (names
and messages as TensorFlow 2.21's tf.compat.v1 prints them)."""
import numpy as np
import pytest

import tinyflow.compat.v1 as tf


# --- metrics ----------------------------------------------------------------------------

def _metric_graph():
    labels = tf.placeholder(tf.int64, [None], name="labels")
    preds = tf.placeholder(tf.int64, [None], name="preds")
    values = tf.placeholder(tf.float32, [None], name="values")
    return labels, preds, values, {
        "accuracy": tf.metrics.accuracy(labels, preds),
        "mean": tf.metrics.mean(values),
        "precision": tf.metrics.precision(tf.equal(labels, 0), tf.equal(preds, 0)),
        "recall": tf.metrics.recall(tf.equal(labels, 0), tf.equal(preds, 0))}


def test_metrics_accumulate_over_batches_as_numpy_does(rng):
    labels, preds, values, metrics = _metric_graph()
    ys, ps = rng.integers(0, 3, 60), rng.integers(0, 3, 60)
    vs = rng.standard_normal(60).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        for end in (20, 45, 60):
            start = {20: 0, 45: 20, 60: 45}[end]
            feed = {labels: ys[start:end], preds: ps[start:end], values: vs[start:end]}
            updated = sess.run({k: op for k, (_, op) in metrics.items()}, feed)
            read = sess.run({k: v for k, (v, _) in metrics.items()})
            y, p = ys[:end], ps[:end]
            tp = np.sum((y == 0) & (p == 0))
            want = {"accuracy": np.mean(y == p), "mean": np.mean(vs[:end]),
                    "precision": tp / np.sum(p == 0), "recall": tp / np.sum(y == 0)}
            for k in want:
                np.testing.assert_allclose(updated[k], want[k], rtol=1e-6)
                np.testing.assert_allclose(read[k], want[k], rtol=1e-6)


def test_metric_variables_are_local_and_named_as_tensorflow_names_them():
    _, _, _, metrics = _metric_graph()
    acc, acc_op = metrics["accuracy"]
    assert (acc.name, acc_op.name, acc.dtype) == ("accuracy/value:0", "accuracy/update_op:0",
                                                  np.float32)
    assert [v.name for v in tf.local_variables()] == [
        "accuracy/total:0", "accuracy/count:0", "mean/total:0", "mean/count:0",
        "precision/true_positives/count:0", "precision/false_positives/count:0",
        "recall/true_positives/count:0", "recall/false_negatives/count:0"]
    assert tf.global_variables() == [] and tf.trainable_variables() == []
    assert tf.get_collection(tf.GraphKeys.METRIC_VARIABLES) == tf.local_variables()


def test_reading_a_metric_before_the_local_initializer():
    labels, preds, _, metrics = _metric_graph()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())     # not the local ones
        for t in (metrics["accuracy"][1], metrics["accuracy"][0]):
            with pytest.raises(tf.errors.FailedPreconditionError) as e:
                sess.run(t, {labels: [1], preds: [1]})
            assert e.value.message.startswith("Attempting to use uninitialized value accuracy/")
            assert "local_variables_initializer" in e.value.message


def test_rerunning_the_local_initializer_resets_and_empty_metrics_are_zero():
    labels, preds, _, metrics = _metric_graph()
    acc, acc_op = metrics["accuracy"]
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run(acc) == 0.0                       # nothing counted yet: not nan
        sess.run(acc_op, {labels: [1, 2], preds: [1, 1]})
        assert sess.run(acc) == 0.5
        sess.run(tf.local_variables_initializer())
        assert sess.run(acc) == 0.0 and sess.run(tf.local_variables()[1]) == 0.0


def test_weighted_mean():
    v = tf.constant([1.0, 2.0, 3.0])
    mean, update = tf.metrics.mean(v, weights=[0.0, 1.0, 3.0])
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        np.testing.assert_allclose(sess.run(update), (2 + 9) / 4)


# --- variable scopes --------------------------------------------------------------------

def _dense(x, scope):
    with tf.variable_scope(scope, reuse=tf.AUTO_REUSE):
        w = tf.get_variable("w", [3, 2], initializer=tf.constant_initializer(
            np.arange(6.0).reshape(3, 2)))
        return tf.matmul(x, w)


def test_auto_reuse_shares_variables_and_scopes_ops_apart():
    x = tf.placeholder(tf.float32, [None, 3])
    a, b = _dense(x, "shared"), _dense(x, "shared")
    assert [v.name for v in tf.global_variables()] == ["shared/w:0"]
    assert (a.name, b.name) == ("shared/MatMul:0", "shared_1/MatMul:0")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        ra, rb = sess.run([a, b], {x: [[1.0, 2.0, 3.0]]})
    np.testing.assert_array_equal(ra, [[16.0, 22.0]])
    np.testing.assert_array_equal(ra, rb)


def test_reuse_true_and_reuse_variables():
    with tf.variable_scope("layer"):
        v = tf.get_variable("v", [2], initializer=tf.zeros_initializer())
    with tf.variable_scope("layer", reuse=True):
        assert tf.get_variable("v") is v
        with tf.variable_scope("inner"):
            assert tf.get_variable_scope().reuse is True       # inherited
    with tf.variable_scope("layer") as scope:
        scope.reuse_variables()
        assert tf.get_variable("v", [2]) is v
        assert (scope.name, tf.get_variable_scope().reuse) == ("layer", True)


def test_get_variable_ignores_name_scopes_and_tf_variable_follows_them():
    with tf.name_scope("ns"):
        plain = tf.Variable(1.0, name="plain")
        got = tf.get_variable("got", [1])
    with tf.variable_scope("outer"):
        with tf.variable_scope("inner"):
            nested = tf.get_variable("w", [1])
            op = tf.add(nested, 1.0, name="plus_one")
    assert (plain.name, got.name, nested.name, op.name) == \
        ("ns/plain:0", "got:0", "outer/inner/w:0", "outer/inner/plus_one:0")


def test_default_names_are_made_unique():
    names = []
    for _ in range(2):
        with tf.variable_scope(None, default_name="block"):
            names.append(tf.get_variable_scope().name)
    assert names == ["block", "block_1"]


@pytest.mark.parametrize("build, message", [
    (lambda: tf.get_variable("v", [2]),
     "Variable layer/v already exists, disallowed. Did you mean to set reuse=True or "
     "reuse=tf.AUTO_REUSE in VarScope? Originally defined at:"),
    (lambda: tf.get_variable("missing", [1]),
     "Variable layer/missing does not exist, or was not created with tf.get_variable(). Did "
     "you mean to set reuse=tf.AUTO_REUSE in VarScope?"),
    (lambda: tf.get_variable("v", [4, 4]),
     "Trying to share variable layer/v, but specified shape (4, 4) and found shape (2,)."),
    (lambda: tf.get_variable("v", [2], dtype=tf.float64),
     "Trying to share variable layer/v, but specified dtype float64 and found dtype "
     "float32_ref."),
    (lambda: tf.get_variable("new"),
     "Variable layer/new did not get an initializer, so its `shape` argument must be "
     "specified.")])
def test_get_variable_mistakes(build, message):
    with tf.variable_scope("layer"):
        tf.get_variable("v", [2])
    reuse = "does not exist" in message or "share" in message
    with tf.variable_scope("layer", reuse=True if reuse else None):
        with pytest.raises(ValueError) as e:
            build()
    assert str(e.value).splitlines()[0] == message


def test_get_variable_defaults_glorot_uniform_and_zeros_for_integers():
    w = tf.get_variable("w", [50, 50])
    n = tf.get_variable("n", [3], dtype=tf.int32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        wv, nv = sess.run([w, n])
    limit = np.sqrt(6.0 / 100)
    assert 0.9 * limit < np.abs(wv).max() <= limit and abs(wv.mean()) < 0.02
    assert nv.dtype == np.int32 and not nv.any()
