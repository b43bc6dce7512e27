"""TensorFlow 1 programs run with only the import line changed."""
import numpy as np
import pytest

import tinyflow.compat.v1 as tf


def _blobs(n=300, seed=0):
    rng = np.random.default_rng(seed)
    centers = np.array([[2.0, 0.0], [-2.0, 0.0], [0.0, 2.5]])
    y = rng.integers(0, 3, n)
    x = centers[y] + rng.standard_normal((n, 2)) * 0.5
    return x.astype(np.float32), y


def test_classic_tf1_softmax_regression_program():
    # --- this block is TF1 tutorial code, unchanged apart from the import ---
    x = tf.placeholder(tf.float32, [None, 2])
    y_ = tf.placeholder(tf.int64, [None])
    W = tf.Variable(tf.random_normal([2, 3], stddev=0.1, seed=1))
    b = tf.Variable(tf.zeros([3]))
    logits = tf.matmul(x, W) + b
    y = tf.nn.softmax(logits)
    cross_entropy = tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y_, logits=logits))
    train_step = tf.train.GradientDescentOptimizer(0.5).minimize(cross_entropy)
    correct_prediction = tf.equal(tf.argmax(y, 1), y_)
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
    sess = tf.InteractiveSession()
    tf.global_variables_initializer().run()
    xs, ys = _blobs()
    for _ in range(100):
        sess.run(train_step, feed_dict={x: xs, y_: ys})
    acc = sess.run(accuracy, feed_dict={x: xs, y_: ys})
    sess.close()
    # -------------------------------------------------------------------------
    assert acc > 0.95


def test_tf1_companions_exist_and_build_nodes():
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    ops = [tf.pow(x, 2.0), tf.square(x), tf.sqrt(tf.abs(x)), tf.exp(x), tf.log(tf.abs(x) + 1),
           tf.reduce_sum(x, 1), tf.reduce_mean(x), tf.reduce_max(x, axis=0), tf.argmax(x, 1),
           tf.reshape(x, [-1, 2, 2]), tf.transpose(x), tf.expand_dims(x, 1), tf.concat([x, x], 1),
           tf.stack([x, x]), tf.one_hot(tf.argmax(x, 1), 4), tf.clip_by_value(x, 0.0, 1.0),
           tf.maximum(x, 0.0), tf.nn.relu(x), tf.nn.sigmoid(x), tf.tanh(x), tf.nn.log_softmax(x),
           tf.cast(x > 0, tf.float32), tf.where(x > 0, x, tf.zeros_like(x)), tf.identity(x),
           tf.matmul(x, x, transpose_b=True), tf.nn.l2_loss(x), tf.add(x, 1.0), tf.subtract(x, 1.0),
           tf.multiply(x, 2.0), tf.divide(x, 2.0), tf.negative(x), tf.ones_like(x)]
    for t in ops:
        assert isinstance(t, tf.Tensor)
    xv = np.arange(8, dtype=np.float32).reshape(2, 4) - 3
    with tf.Session() as s:
        out = s.run(ops, {x: xv})
    np.testing.assert_allclose(out[0], xv ** 2)
    np.testing.assert_allclose(out[9], xv.reshape(-1, 2, 2))
    np.testing.assert_allclose(out[14], np.eye(4)[xv.argmax(1)])
    np.testing.assert_allclose(out[24], xv @ xv.T)


def test_name_argument_names_the_op():
    x = tf.placeholder(tf.float32, [None], name="inputs")
    y = tf.reduce_sum(x * 2, name="total")
    assert y.name == "total:0"
    assert tf.get_default_graph().get_tensor_by_name("total:0") is y


def test_momentum_and_adam_optimizers_reduce_the_loss():
    for make in (lambda: tf.train.MomentumOptimizer(0.1, 0.9),
                 lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
                 lambda: tf.train.AdamOptimizer(0.05)):
        tf.reset_default_graph()
        w = tf.Variable([3.0, -2.0], name="w")
        loss = tf.reduce_sum(w * w)
        step = make().minimize(loss)
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            first = s.run(loss)
            for _ in range(200):
                s.run(step)
            assert s.run(loss) < first * 0.01


def test_adam_matches_tf1_formula_numerically():
    w0 = np.array([1.0, -2.0])
    w = tf.Variable(w0, name="w")
    loss = tf.reduce_sum(w ** 3)
    step = tf.train.AdamOptimizer(0.1, beta1=0.9, beta2=0.999, epsilon=1e-8).minimize(loss)
    m = v = np.zeros(2)
    wn = w0.copy()
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for t in range(1, 6):
            s.run(step)
            g = 3 * wn ** 2
            lr_t = 0.1 * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            wn = wn - lr_t * m / (np.sqrt(v) + 1e-8)
            np.testing.assert_allclose(s.run(w), wn, rtol=1e-12)


def test_compute_and_apply_gradients():
    w = tf.Variable(2.0, name="w")
    opt = tf.train.GradientDescentOptimizer(0.5)
    gv = opt.compute_gradients(w * w)
    assert gv[0][1] is w
    step = opt.apply_gradients(gv)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(step)
        assert s.run(w) == 0.0


def test_no_variables_to_optimize_is_a_clear_error():
    x = tf.placeholder(tf.float32, [], name="x")
    with pytest.raises(ValueError, match="No variables to optimize"):
        tf.train.GradientDescentOptimizer(0.1).minimize(x * x)
