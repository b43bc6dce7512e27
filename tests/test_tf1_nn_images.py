"""tf.nn.conv2d, max_pool, avg_pool, bias_add and dropout as TensorFlow 1 computes them:
outputs against direct numpy loops (TF's SAME rule: ceil(size / stride) outputs, the odd
padding pixel at the bottom/right; avg_pool counts only real pixels), gradients against
central differences in float64, and a few values TF 2.21 printed (noted where used)."""
import numpy as np
import pytest

import tinyflow.compat.v1 as tf


def _same_pads(n, k, s, d=1):
    out = -(-n // s)
    total = max((out - 1) * s + (k - 1) * d + 1 - n, 0)
    return total // 2, total - total // 2


def _conv_ref(x, w, strides, padding, dilations=(1, 1)):
    """NHWC x, HWIO w: a plain loop over output pixels."""
    n, h, wd, c = x.shape
    kh, kw, _, o = w.shape
    (sh, sw), (dh, dw) = strides, dilations
    if padding == "SAME":
        (t, b), (left, r) = _same_pads(h, kh, sh, dh), _same_pads(wd, kw, sw, dw)
    else:
        t = b = left = r = 0
    xp = np.pad(x, ((0, 0), (t, b), (left, r), (0, 0)))
    oh = (xp.shape[1] - (kh - 1) * dh - 1) // sh + 1
    ow = (xp.shape[2] - (kw - 1) * dw - 1) // sw + 1
    out = np.zeros((n, oh, ow, o))
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, i * sh:i * sh + (kh - 1) * dh + 1:dh, j * sw:j * sw + (kw - 1) * dw + 1:dw]
            out[:, i, j] = np.tensordot(patch, w, axes=((1, 2, 3), (0, 1, 2)))
    return out


def _pool_ref(x, k, s, padding, kind):
    n, h, w, c = x.shape
    if padding == "SAME":
        (t, b), (left, r) = _same_pads(h, k[0], s[0]), _same_pads(w, k[1], s[1])
    else:
        t = b = left = r = 0
    fill = -np.inf if kind == "max" else np.nan
    xp = np.pad(x.astype(np.float64), ((0, 0), (t, b), (left, r), (0, 0)), constant_values=fill)
    oh, ow = (xp.shape[1] - k[0]) // s[0] + 1, (xp.shape[2] - k[1]) // s[1] + 1
    out = np.zeros((n, oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            win = xp[:, i * s[0]:i * s[0] + k[0], j * s[1]:j * s[1] + k[1]]
            out[:, i, j] = win.max(axis=(1, 2)) if kind == "max" else np.nanmean(win, axis=(1, 2))
    return out


@pytest.mark.parametrize("h, w, k, strides, padding, dil", [
    (8, 8, 3, (2, 2), "SAME", (1, 1)),   # pads 0 top, 1 bottom: asymmetric
    (7, 6, 3, (1, 1), "SAME", (1, 1)),
    (7, 7, 2, (2, 3), "SAME", (1, 1)),
    (8, 8, 3, (2, 2), "VALID", (1, 1)),
    (9, 9, 3, (1, 1), "SAME", (2, 2)),
    (6, 5, 4, (3, 2), "SAME", (1, 1))])
def test_conv2d_matches_a_direct_loop(h, w, k, strides, padding, dil, rng):
    x = rng.standard_normal((2, h, w, 3))
    f = rng.standard_normal((k, k, 3, 4))
    y = tf.nn.conv2d(tf.constant(x), tf.constant(f), strides=[1, *strides, 1], padding=padding,
                     dilations=[1, *dil, 1])
    want = _conv_ref(x, f, strides, padding, dil)
    assert y.shape.as_list() == list(want.shape)
    np.testing.assert_allclose(tf.Session().run(y), want, rtol=1e-10, atol=1e-12)


def test_conv2d_nchw_and_int_strides(rng):
    x = rng.standard_normal((2, 3, 7, 7))
    f = rng.standard_normal((3, 3, 3, 5))
    y = tf.nn.conv2d(x, f, strides=2, padding="SAME", data_format="NCHW")
    want = _conv_ref(x.transpose(0, 2, 3, 1), f, (2, 2), "SAME").transpose(0, 3, 1, 2)
    np.testing.assert_allclose(tf.Session().run(y), want, rtol=1e-10, atol=1e-12)


def test_tensorflows_own_numbers():
    # printed by TF 2.21 for tests/programs/tf1/07_cnn_raw.py's fixed images
    img = np.arange(1, 65, dtype=np.float32).reshape(1, 8, 8, 1)
    k3 = np.arange(1, 10, dtype=np.float32).reshape(3, 3, 1, 1) / 10.0
    img5 = -np.arange(1, 26, dtype=np.float32).reshape(1, 5, 5, 1)
    conv = tf.nn.conv2d(img, k3, strides=[1, 2, 2, 1], padding="SAME")
    avg = tf.nn.avg_pool(img5, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    with tf.Session() as sess:
        c, a = sess.run([conv, avg])
    np.testing.assert_allclose(c[0, :, -1, 0], [51.6, 94.8, 138.0, 73.9], rtol=1e-6)
    np.testing.assert_allclose(a[0, :, :, 0], [[-4.0, -6.0, -7.5], [-14.0, -16.0, -17.5],
                                               [-21.5, -23.5, -25.0]])


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("h, w, k, s, padding", [(5, 5, (2, 2), (2, 2), "SAME"),
                                                 (7, 7, (3, 3), (2, 2), "VALID"),
                                                 (6, 7, (3, 2), (2, 3), "SAME"),
                                                 (4, 4, (3, 3), (1, 1), "SAME")])
def test_pools_match_a_direct_loop(kind, h, w, k, s, padding, rng):
    x = rng.standard_normal((2, h, w, 3))
    op = tf.nn.max_pool if kind == "max" else tf.nn.avg_pool
    y = op(tf.constant(x), ksize=[1, *k, 1], strides=[1, *s, 1], padding=padding)
    want = _pool_ref(x, k, s, padding, kind)
    assert y.shape.as_list() == list(want.shape)
    np.testing.assert_allclose(tf.Session().run(y), want, rtol=1e-12)


def _numeric_grad(sess, loss, x_ph, x0, eps=1e-6):
    g = np.zeros_like(x0)
    for idx in np.ndindex(x0.shape):
        up, down = x0.copy(), x0.copy()
        up[idx] += eps
        down[idx] -= eps
        g[idx] = (sess.run(loss, {x_ph: up}) - sess.run(loss, {x_ph: down})) / (2 * eps)
    return g


@pytest.mark.parametrize("which", ["conv_same", "conv_valid_nchw", "max_same", "avg_same",
                                   "bias_nchw"])
def test_gradients_match_central_differences(which, rng):
    nchw = which.endswith("nchw")
    shape = (2, 3, 5, 4) if nchw else (2, 5, 4, 3)
    x0 = rng.standard_normal(shape)
    x = tf.placeholder(tf.float64, shape)
    f = rng.standard_normal((3, 3, 3, 2))
    fmt = "NCHW" if nchw else "NHWC"
    if which.startswith("conv"):
        y = tf.nn.conv2d(x, f, [1, 1, 2, 2] if nchw else [1, 2, 2, 1],
                         "VALID" if "valid" in which else "SAME", data_format=fmt)
    elif which == "max_same":
        y = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    elif which == "avg_same":
        y = tf.nn.avg_pool(x, [1, 3, 3, 1], [1, 2, 2, 1], "SAME")
    else:
        y = tf.nn.bias_add(x, np.array([1.0, -2.0, 0.5]), data_format="NCHW")
    loss = tf.reduce_sum(y * np.cos(np.arange(np.prod(y.shape.as_list()))).reshape(
        y.shape.as_list()))
    grad = tf.gradients(loss, x)[0]
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(grad, {x: x0}), _numeric_grad(sess, loss, x, x0),
                                   rtol=1e-6, atol=1e-7)


def test_conv_and_pool_ops_are_named_as_tensorflow_names_them():
    x = tf.placeholder(tf.float32, [None, 8, 8, 1], name="x")
    c = tf.nn.conv2d(x, np.zeros((3, 3, 1, 2), np.float32), [1, 1, 1, 1], "SAME")
    p = tf.nn.max_pool(c, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    assert (c.name, p.name, c.shape.as_list(), p.shape.as_list()) == \
        ("Conv2D:0", "MaxPool:0", [None, 8, 8, 2], [None, 4, 4, 2])


@pytest.mark.parametrize("call, message", [
    (lambda x: tf.nn.conv2d(x, np.zeros((3, 3, 2, 1), np.float32), 1, "SAME"),
     r"Depth of input \(1\) is not a multiple of input depth of filter \(2\)"),
    (lambda x: tf.nn.conv2d(x, np.zeros((3, 3, 1, 1), np.float32), 1, "same"),
     "argument 'padding' must be 'SAME' or 'VALID', got 'same'"),
    (lambda x: tf.nn.conv2d(x, np.zeros((3, 3, 1, 1), np.float32), [2, 1, 1, 1], "SAME"),
     "the batch and channel entries must be 1"),
    (lambda x: tf.nn.max_pool(x, [1, 2, 2], [1, 2, 2, 1], "SAME"),
     "argument 'ksize' must be an int or a list of 1, 2 or 4 ints"),
    (lambda x: tf.nn.conv2d(tf.reshape(x, [-1, 64]), np.zeros((3, 3, 1, 1), np.float32), 1,
                            "SAME"), r"argument 'input' must be 4-D \(NHWC\)")])
def test_image_op_mistakes_name_the_argument(call, message):
    x = tf.placeholder(tf.float32, [None, 8, 8, 1])
    with pytest.raises(ValueError, match=message):
        call(x)


# --- dropout ----------------------------------------------------------------------------

def test_dropout_on_a_batch_of_unknown_size():
    x = tf.placeholder(tf.float32, [None, 1000])
    keep = tf.placeholder(tf.float32)
    y = tf.nn.dropout(x, keep)
    assert y.shape.as_list() == [None, 1000]
    xv = np.random.default_rng(1).uniform(1, 2, (4, 1000)).astype(np.float32)
    with tf.Session() as sess:
        half = sess.run(y, {x: xv, keep: 0.5})
        again = sess.run(y, {x: xv, keep: 0.5})
        one = sess.run(y, {x: xv[:3], keep: 1.0})
    kept = half != 0
    assert abs(kept.mean() - 0.5) < 0.04 and not np.array_equal(half, again)
    np.testing.assert_allclose(half[kept], xv[kept] / np.float32(0.5), rtol=1e-6)
    np.testing.assert_array_equal(one, xv[:3])


def test_dropout_rate_noise_shape_and_seeds():
    xv = np.ones((6, 500), np.float32)
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(7)
        x = tf.constant(xv)
        rows = tf.nn.dropout(x, rate=0.5, noise_shape=[6, 1])
        quarter = tf.nn.dropout(x, rate=0.25)
        with tf.Session() as s1:
            a = s1.run([rows, quarter])
        with tf.Session() as s2:
            b = s2.run([rows, quarter])
    assert all((r == 0).all() or (r == 2).all() for r in a[0])
    assert abs((a[1] == 0).mean() - 0.25) < 0.04
    np.testing.assert_array_equal(a[1], b[1])       # a graph seed: each session draws the same


@pytest.mark.parametrize("kwargs, message", [({"keep_prob": 1.5}, "keep_prob=1.5"),
                                             ({"rate": 1.0}, "rate=1.0"),
                                             ({}, "`rate` must be provided")])
def test_dropout_rates_outside_0_1(kwargs, message):
    with pytest.raises(ValueError, match=message):
        tf.nn.dropout(tf.ones([3]), **kwargs)
