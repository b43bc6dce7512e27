"""tf.layers (conv2d, max_pooling2d, flatten, dense, dropout, batch_normalization with its
UPDATE_OPS) and TF1's array functions (tf.shape, reshape with tensor sizes, unstack,
reduce_prod, add_n, one_hot with axis, moments, l2_normalize, embedding_lookup), against
numpy; gradients of the compositions against central differences."""
import numpy as np
import pytest

import tinyflow.compat.v1 as tf


def test_layer_stack_names_shapes_and_variables():
    x = tf.placeholder(tf.float32, [None, 6, 6, 1], name="images")
    c1 = tf.layers.conv2d(x, 4, [3, 3], padding="same", activation=tf.nn.relu)
    p1 = tf.layers.max_pooling2d(c1, [2, 2], 2)
    c2 = tf.layers.conv2d(p1, 6, 2, padding="valid", name="conv_b")
    flat = tf.layers.flatten(c2)
    d = tf.layers.dense(flat, 8)
    d2 = tf.layers.dense(d, 2)
    assert [t.name for t in (c1, p1, c2, flat, d, d2)] == [
        "conv2d/Relu:0", "max_pooling2d/MaxPool:0", "conv_b/BiasAdd:0", "flatten/Reshape:0",
        "dense/BiasAdd:0", "dense_1/BiasAdd:0"]
    assert [t.shape.as_list() for t in (c1, p1, c2, flat, d2)] == [
        [None, 6, 6, 4], [None, 3, 3, 4], [None, 2, 2, 6], [None, 24], [None, 2]]
    assert [v.name for v in tf.trainable_variables()] == [
        "conv2d/kernel:0", "conv2d/bias:0", "conv_b/kernel:0", "conv_b/bias:0",
        "dense/kernel:0", "dense/bias:0", "dense_1/kernel:0", "dense_1/bias:0"]
    assert tf.trainable_variables()[0].shape.as_list() == [3, 3, 1, 4]


def test_conv2d_layer_computes_relu_of_conv_plus_bias(rng):
    xv = rng.standard_normal((2, 5, 5, 2)).astype(np.float32)
    k = rng.standard_normal((3, 3, 2, 3)).astype(np.float32)
    y = tf.layers.conv2d(xv, 3, 3, padding="same", activation=tf.nn.relu,
                         kernel_initializer=tf.constant_initializer(k),
                         bias_initializer=tf.constant_initializer(0.5))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = sess.run(y)
    xp = np.pad(xv, ((0, 0), (1, 1), (1, 1), (0, 0)))
    want = np.zeros((2, 5, 5, 3), np.float32)
    for i in range(5):
        for j in range(5):
            want[:, i, j] = np.tensordot(xp[:, i:i + 3, j:j + 3], k, axes=3)
    np.testing.assert_allclose(got, np.maximum(want + 0.5, 0), rtol=1e-5, atol=1e-6)


def test_dense_with_reuse_shares_the_layer():
    x = tf.placeholder(tf.float32, [None, 3])
    a = tf.layers.dense(x, 2, name="fc")
    b = tf.layers.dense(x, 2, name="fc", reuse=True)
    assert len(tf.trainable_variables()) == 2 and b.name.startswith("fc_1/")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        ra, rb = sess.run([a, b], {x: [[1.0, 2.0, 3.0]]})
    np.testing.assert_array_equal(ra, rb)


def test_layers_dropout_follows_the_training_tensor():
    x = tf.placeholder(tf.float32, [None, 2000])
    training = tf.placeholder_with_default(False, shape=(), name="training")
    y = tf.layers.dropout(x, rate=0.4, training=training)
    xv = np.ones((2, 2000), np.float32)
    with tf.Session() as sess:
        off = sess.run(y, {x: xv})
        on = sess.run(y, {x: xv, training: True})
    assert y.name.startswith("dropout/") and training.dtype == np.bool_
    np.testing.assert_array_equal(off, xv)
    assert abs((on == 0).mean() - 0.4) < 0.03
    np.testing.assert_allclose(on[on != 0], 1 / np.float32(0.6), rtol=1e-6)


def test_batch_normalization_trains_and_moves_its_averages(rng):
    xs = (rng.standard_normal((32, 3)) * [1.0, 5.0, 0.5] + [0.0, 3.0, -1.0]).astype(np.float32)
    x = tf.placeholder(tf.float32, [None, 3])
    training = tf.placeholder(tf.bool, [])
    y = tf.layers.batch_normalization(x, training=training, momentum=0.9)
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert len(updates) == 2
    assert sorted(v.name for v in tf.global_variables()) == [
        "batch_normalization/beta:0", "batch_normalization/gamma:0",
        "batch_normalization/moving_mean:0", "batch_normalization/moving_variance:0"]
    assert sorted(v.name for v in tf.trainable_variables()) == [
        "batch_normalization/beta:0", "batch_normalization/gamma:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(y, {x: xs, training: True})
        np.testing.assert_allclose(out, (xs - xs.mean(0)) / np.sqrt(xs.var(0) + 1e-3),
                                   rtol=1e-4, atol=1e-5)
        sess.run(updates, {x: xs, training: False})             # not training: no move
        np.testing.assert_array_equal(sess.run("batch_normalization/moving_mean:0"), 0)
        for _ in range(2):
            sess.run(updates, {x: xs, training: True})
        mean = (1 - 0.9 ** 2) * xs.mean(0)
        var = 0.9 ** 2 * 1 + (1 - 0.9 ** 2) * xs.var(0)
        np.testing.assert_allclose(sess.run("batch_normalization/moving_mean:0"), mean, rtol=1e-5)
        np.testing.assert_allclose(sess.run("batch_normalization/moving_variance:0"), var,
                                   rtol=1e-5)
        inferred = sess.run(y, {x: xs, training: False})
    np.testing.assert_allclose(inferred, (xs - mean) / np.sqrt(var + 1e-3), rtol=1e-4, atol=1e-5)


def test_dynamic_shape_and_reshape_with_tensor_sizes():
    x = tf.placeholder(tf.float32, [None, 784], name="x")
    dyn = tf.shape(x)
    img = tf.reshape(x, [-1, 28, 28, 1])
    flat = tf.reshape(img, [tf.shape(img)[0], -1])
    assert (dyn.name, dyn.dtype, dyn.shape.as_list()) == ("Shape:0", np.int32, [2])
    assert img.shape.as_list() == [None, 28, 28, 1] and flat.shape.as_list() == [None, None]
    with tf.Session() as sess:
        d, f = sess.run([dyn, tf.shape(flat)], {x: np.zeros((5, 784))})
    assert d.tolist() == [5, 784] and f.tolist() == [5, 784]
    assert tf.size(tf.zeros([2, 3])).eval(session=tf.Session()) == 6


def test_unstack_add_n_one_hot():
    m = tf.constant(np.arange(6).reshape(2, 3))
    cols = tf.unstack(m, axis=1)
    with tf.Session() as sess:
        got = sess.run(cols + [tf.add_n(cols), tf.one_hot([0, 2], 3, axis=0),
                               tf.one_hot([0, 2, -1], 3, on_value=5, off_value=-1)])
    assert [c.tolist() for c in got[:3]] == [[0, 3], [1, 4], [2, 5]]
    assert got[3].tolist() == [3, 12]
    assert got[4].tolist() == [[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]]
    assert got[5].tolist() == [[5, -1, -1], [-1, -1, 5], [-1, -1, -1]] and got[5].dtype == np.int32
    with pytest.raises(ValueError, match="Cannot infer argument `num`"):
        tf.unstack(tf.placeholder(tf.float32, [None, 2]))


@pytest.mark.parametrize("shape, axis", [((3,), None), ((2, 5), 1), ((3, 4, 2), (0, 2)),
                                         ((0, 3), 0), ((2, 7), None)])
def test_reduce_prod_and_its_gradient(shape, axis, rng):
    x0 = rng.uniform(0.5, 1.5, shape) * rng.choice([-1, 1], shape)
    if x0.size > 2:
        x0.flat[1] = 0.0                   # a zero: the gradient of the others is still exact
    x = tf.placeholder(tf.float64, shape)
    p = tf.reduce_prod(x, axis=axis)
    grad = tf.gradients(tf.reduce_sum(p), x)[0]
    with tf.Session() as sess:
        got, g = sess.run([p, grad], {x: x0})
        np.testing.assert_allclose(got, np.prod(x0, axis=axis), rtol=1e-12)
        num = np.zeros_like(x0)
        for idx in np.ndindex(shape):
            up, down = x0.copy(), x0.copy()
            up[idx] += 1e-6
            down[idx] -= 1e-6
            num[idx] = (np.sum(np.prod(up, axis=axis)) - np.sum(np.prod(down, axis=axis))) / 2e-6
        np.testing.assert_allclose(g, num, rtol=1e-6, atol=1e-8)


def test_moments_l2_normalize_embedding_lookup(rng):
    xv = rng.standard_normal((6, 4))
    x = tf.constant(xv)
    mean, var = tf.nn.moments(x, axes=[0])
    unit = tf.nn.l2_normalize(x, 1)
    rows = tf.nn.embedding_lookup(x, [[0, 5], [2, 2]])
    bn = tf.nn.batch_normalization(x, mean, var, offset=None, scale=None, variance_epsilon=1e-3)
    with tf.Session() as sess:
        m, v, u, r, b = sess.run([mean, var, unit, rows, bn])
    np.testing.assert_allclose(m, xv.mean(0))
    np.testing.assert_allclose(v, xv.var(0))
    np.testing.assert_allclose(u, xv / np.linalg.norm(xv, axis=1, keepdims=True))
    np.testing.assert_array_equal(r, xv[[[0, 5], [2, 2]]])
    np.testing.assert_allclose(b, (xv - xv.mean(0)) / np.sqrt(xv.var(0) + 1e-3))


def test_arg_min_and_arg_max_are_int64_argmin_argmax():
    """TF1's old spellings: tf.arg_max(input, dimension) is tf.argmax (int64 indices,
    output_type may make them int32)."""
    v = np.array([[3.0, 7.0, 1.0], [2.0, 0.0, 9.0]], np.float32)
    x = tf.constant(v)
    hi, lo = tf.arg_max(x, 1), tf.arg_min(x, dimension=0)
    small = tf.arg_max(x, 0, output_type=tf.int32)
    assert (hi.dtype, lo.dtype, small.dtype) == (tf.int64, tf.int64, tf.int32)
    assert hi.shape.as_list() == [2] and lo.shape.as_list() == [3]
    with tf.Session() as sess:
        got = sess.run([hi, lo, small])
    assert [a.tolist() for a in got] == [[1, 2], [1, 1, 0], [0, 0, 1]]


def test_zeros_ones_fill_take_shapes_known_only_when_the_graph_runs():
    """TF1: tf.zeros([tf.shape(x)[0], 4]) is a Fill op; its shape is (?, 4) while the
    graph is built and the batch's when it runs; tf.ones(tf.stack(...)) and tf.fill too."""
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 3])
    batch = tf.shape(x)[0]
    z, o, f = (tf.zeros([batch, 4]), tf.ones(tf.stack([batch, 2]), tf.int32),
               tf.fill([batch, 2], 7.0))
    assert z.op.type == "Fill" and z.shape.as_list() == [None, 4] and z.dtype == tf.float32
    assert o.dtype == tf.int32 and f.dtype == tf.float32
    with tf.Session() as sess:
        got = sess.run([z, o, f], {x: np.ones((5, 3), np.float32)})
    np.testing.assert_array_equal(got[0], np.zeros((5, 4)))
    np.testing.assert_array_equal(got[1], np.ones((5, 2)))
    np.testing.assert_array_equal(got[2], np.full((5, 2), 7.0))


def test_range_as_tensorflow_1():
    """TF 2.21 compat.v1: tf.range(5) int32, tf.range(0., 1., .25) float32, tf.range(1, 5, 2)
    shape (2,); tf.range(tf.shape(x)[0]) is a Range op of shape (?,), int32, [0 1 2 3]
    for 4 rows; tf.range(2, tf.shape(x)[0] * 2, 2) gives [2 4 6]."""
    tf.reset_default_graph()
    assert tf.range(5).dtype == tf.int32 and tf.range(0.0, 1.0, 0.25).dtype == tf.float32
    assert tf.range(1, 5, 2).shape.as_list() == [2]
    assert tf.range(5, dtype=tf.float64).dtype == tf.float64
    x = tf.placeholder(tf.float32, [None, 3])
    r, r2 = tf.range(tf.shape(x)[0]), tf.range(2, tf.shape(x)[0] * 2, 2)
    assert r.op.type == "Range" and r.shape.as_list() == [None] and r.dtype == tf.int32
    with tf.Session() as sess:
        got, got2 = sess.run([r, r2], {x: np.ones((4, 3), np.float32)})
    assert got.tolist() == [0, 1, 2, 3] and got.dtype == np.int32 and got2.tolist() == [2, 4, 6]
