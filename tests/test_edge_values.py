"""Values at the edges: nan and inf, empty tensors, very large and very small
numbers, indices that overflow. Each case either computes the right thing (as
numpy and PyTorch define it) or raises an error that names what went wrong --
in eager mode and in a graph run by a Session."""
import numpy as np
import pytest

import tinyflow as tf
import tinyflow.nn.functional as F
from tinyflow.base.errors import AnomalyError
from tinyflow.base.errors import InvalidArgumentError

NAN, INF = np.nan, np.inf


def eager(fn, *values):
    """fn on tensors made from values: (output, gradients of output.sum())."""
    xs = [tf.tensor(np.asarray(v, dtype=np.float64), requires_grad=True) for v in values]
    y = fn(*xs)
    y.sum().backward()
    return y.detach().numpy(), [x.grad.detach().numpy() for x in xs]


def graph(fn, *values):
    """The same in a graph: (output, gradients), both from one Session.run."""
    g = tf.Graph()
    with g.as_default():
        xs = [tf.placeholder(tf.float64, np.shape(v)) for v in values]
        y = fn(*xs)
        grads = tf.gradients(tf.reduce_sum(y), xs)
    with tf.Session(graph=g) as sess:
        out, gs = sess.run([y, grads], {x: np.asarray(v, np.float64) for x, v in zip(xs, values)})
    return np.asarray(out), [np.asarray(d) for d in gs]


BOTH = pytest.mark.parametrize("run", [eager, graph], ids=["eager", "graph"])


def same(got, want):
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=0, equal_nan=True)


# --- nan and inf ------------------------------------------------------------------

@BOTH
def test_nan_and_inf_pass_through_arithmetic_and_its_gradient(run):
    x = [NAN, INF, -INF, 1.0]
    y, (g,) = run(lambda t: t * 2.0 + 1.0, x)
    same(y, [NAN, INF, -INF, 3.0])
    same(g, [2.0, 2.0, 2.0, 2.0])          # d(2x + 1)/dx is 2 wherever x is


@BOTH
def test_nan_through_relu_exp_and_tanh(run):
    y, (g,) = run(lambda t: tf.relu(t), [NAN, -1.0, 2.0])
    same(y, [NAN, 0.0, 2.0])
    same(g, [0.0, 0.0, 1.0])               # nan > 0 is false: no gradient, as in PyTorch
    y, (g,) = run(lambda t: tf.exp(t), [NAN, INF, -INF])
    same(y, [NAN, INF, 0.0])
    same(g, [NAN, INF, 0.0])
    y, (g,) = run(lambda t: tf.tanh(t), [INF, -INF])
    same(y, [1.0, -1.0])
    same(g, [0.0, 0.0])


@BOTH
def test_max_of_inf_sends_the_gradient_to_the_inf(run):
    y, (g,) = run(lambda t: tf.reduce_max(t), [INF, 1.0, 2.0])
    assert y == INF
    same(g, [1.0, 0.0, 0.0])


def test_check_numerics_stops_at_the_first_nan_in_both_modes():
    with pytest.raises(InvalidArgumentError, match="bad value.*NaN"):
        tf.check_numerics(tf.tensor([1.0, NAN]), "bad value")
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float64, [None])
        y = tf.check_numerics(tf.log(x), "log of x")
    with tf.Session(graph=g) as sess:
        np.testing.assert_allclose(sess.run(y, {x: [1.0, np.e]}), [0.0, 1.0])
        with pytest.raises(InvalidArgumentError, match="log of x.*Inf"):
            sess.run(y, {x: [0.0]})


def test_detect_anomaly_names_the_op_that_made_the_first_inf():
    x = tf.tensor([0.0, 1.0], requires_grad=True)
    with tf.detect_anomaly():
        with pytest.raises(AnomalyError, match="Log"):
            (tf.log(x) * 0.0).sum().backward()


# --- empty tensors -----------------------------------------------------------------

EMPTY = np.zeros((0, 3))


@BOTH
def test_sums_products_and_layers_of_an_empty_batch(run):
    y, (g,) = run(lambda t: tf.reduce_sum(t, axis=0), EMPTY)
    same(y, [0.0, 0.0, 0.0])
    assert g.shape == (0, 3)
    w = np.arange(6.0).reshape(3, 2)
    y, (gx, gw) = run(lambda t, u: tf.matmul(t, u), EMPTY, w)
    assert y.shape == (0, 2) and gx.shape == (0, 3)
    same(gw, np.zeros((3, 2)))             # no rows: nothing to add up
    y, (g,) = run(lambda t: tf.softmax(t, -1), EMPTY)
    assert y.shape == (0, 3) and g.shape == (0, 3)
    y, (g,) = run(lambda t: tf.concat([t, t], axis=0), EMPTY)
    assert y.shape == (0, 3) and g.shape == (0, 3)
    y, (g,) = run(lambda t: t[np.array([], dtype=np.int64)], np.ones(3))
    assert y.shape == (0,)
    same(g, [0.0, 0.0, 0.0])


@BOTH
def test_mean_and_var_of_nothing_are_nan(run):
    y, (g,) = run(lambda t: tf.reduce_mean(t), EMPTY)
    assert np.isnan(y) and g.shape == (0, 3)
    y, _ = run(lambda t: tf.var(t), np.zeros(0))
    assert np.isnan(y)                      # 0 / max(0, n - 1): nan, as in PyTorch (was -0.0)
    y, _ = run(lambda t: tf.var(t), np.ones(1))
    assert np.isnan(y)


def test_empty_batches_through_modules():
    import tinyflow.nn as nn
    assert nn.Linear(3, 2)(tf.zeros(0, 3)).shape == (0, 2)
    x = tf.zeros(0, 1, 5, 5, requires_grad=True)
    y = F.max_pool2d(nn.Conv2d(1, 2, 3)(x), 2)
    assert y.shape == (0, 2, 1, 1)
    y.sum().backward()
    assert x.grad.shape == (0, 1, 5, 5)


@pytest.mark.parametrize("op, name", [
    (lambda t: tf.reduce_max(t), "Max"),
    (lambda t: tf.reduce_min(t, axis=0), "Min"),
    (lambda t: tf.reduce_logsumexp(t, axis=0), "LogSumExp"),
    (lambda t: tf.softmax(t, 0), "Softmax"),
    (lambda t: tf.argmax(t), "ArgMax")])
def test_reductions_with_no_identity_refuse_an_empty_axis_clearly(op, name):
    with pytest.raises(ValueError, match=rf"{name} failed on inputs of shapes \(0, 3\).*zero-size|"
                                         rf"{name} failed on inputs of shapes \(0, 3\).*empty"):
        op(tf.tensor(EMPTY))
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float64, [None, 3])
        y = op(x)
    with tf.Session(graph=g) as sess, pytest.raises(ValueError, match=f"while running op '{name}"):
        sess.run(y, {x: EMPTY})


# --- very large and very small values -----------------------------------------------

@BOTH
def test_softmax_and_log_softmax_of_1e4(run):
    y, (g,) = run(lambda t: tf.softmax(t, -1) * np.array([1.0, 2.0, 3.0]), [1e4, 0.0, -1e4])
    same(y, [1.0, 0.0, 0.0])
    assert np.all(np.isfinite(g))
    y, (g,) = run(lambda t: tf.log_softmax(t, -1), [1e4, 0.0, -1e4])
    same(y, [0.0, -1e4, -2e4])
    same(g, [-2.0, 1.0, 1.0])


def test_softmax_of_1e4_in_float32():
    x = tf.tensor(np.array([1e4, 0.0, -1e4], np.float32), requires_grad=True)
    y = x.softmax(-1)
    (y * tf.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert y.dtype == np.float32
    np.testing.assert_array_equal(y.detach().numpy(), [1.0, 0.0, 0.0])
    assert np.all(np.isfinite(x.grad.detach().numpy()))


@BOTH
def test_log_of_tiny_and_of_zero(run):
    y, (g,) = run(lambda t: tf.log(t), [1e-300, 1.0])
    same(y, [np.log(1e-300), 0.0])
    same(g, [1e300, 1.0])                  # large, but finite and right
    y, (g,) = run(lambda t: tf.log(t), [0.0])
    same(y, [-INF])                        # as numpy and PyTorch: -inf, not an error
    same(g, [INF])


@BOTH
def test_logsumexp_of_large_values(run):
    y, (g,) = run(lambda t: tf.reduce_logsumexp(t, axis=0), [1e4, 1e4 - 1.0])
    same(y, 1e4 + np.log1p(np.exp(-1.0)))
    same(g, [1 / (1 + np.exp(-1.0)), 1 / (1 + np.exp(1.0))])
    # Past ~1e12 the log(2) that logsumexp adds is lost in rounding; the gradient
    # must still be the softmax (1/2 each), not exp(x - out) = 1 each.
    y, (g,) = run(lambda t: tf.reduce_logsumexp(t, axis=0), [1e308, 1e308])
    same(y, 1e308)
    same(g, [0.5, 0.5])
    y, (g,) = run(lambda t: tf.reduce_logsumexp(t, axis=0), [-1e308, -INF])
    same(y, -1e308)
    same(g, [1.0, 0.0])


@BOTH
def test_sigmoid_softplus_and_tanh_of_1e4_do_not_overflow(run):
    y, (g,) = run(lambda t: tf.sigmoid(t), [1e4, -1e4])
    same(y, [1.0, 0.0])
    same(g, [0.0, 0.0])
    y, (g,) = run(lambda t: tf.softplus(t), [1e4, -1e4])
    same(y, [1e4, 0.0])
    same(g, [1.0, 0.0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cross_entropy_with_logits_of_1e4(dtype):
    logits = tf.tensor(np.array([[1e4, -1e4], [1e4, -1e4]], dtype), requires_grad=True)
    loss = F.cross_entropy(logits, tf.tensor([0, 1]))
    loss.backward()
    assert loss.dtype == dtype
    np.testing.assert_allclose(loss.item(), 1e4)           # (0 + 2e4) / 2
    np.testing.assert_allclose(logits.grad.detach().numpy(), [[0.0, 0.0], [0.5, -0.5]])
    target = tf.tensor(np.array([1.0, 0.0], dtype))
    z = tf.tensor(np.array([1e4, 1e4], dtype), requires_grad=True)
    bce = F.binary_cross_entropy_with_logits(z, target)
    bce.backward()
    np.testing.assert_allclose(bce.item(), 5e3)
    np.testing.assert_allclose(z.grad.detach().numpy(), [0.0, 0.5])


def test_cross_entropy_with_logits_of_1e4_in_a_graph():
    import tinyflow.compat.v1 as v1
    g = tf.Graph()
    with g.as_default():
        logits = v1.placeholder(v1.float64, [None, 2])
        labels = v1.placeholder(v1.int64, [None])
        loss = v1.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
        d, = v1.gradients(loss, [logits])
    with v1.Session(graph=g) as sess:
        l, dl = sess.run([loss, d], {logits: [[1e4, -1e4], [1e4, -1e4]], labels: [0, 1]})
    np.testing.assert_allclose(l, 1e4)
    np.testing.assert_allclose(dl, [[0.0, 0.0], [0.5, -0.5]])


def test_exp_overflows_to_inf_as_numpy_does():
    y, (g,) = eager(lambda t: tf.exp(t), [1e4])
    same(y, [INF])
    same(g, [INF])


# --- integer overflow in indexing --------------------------------------------------------

X = np.arange(3.0)


@pytest.mark.parametrize("index", [2 ** 63 - 1, -2 ** 63, 2 ** 31, 2 ** 64, -2 ** 64 - 5, 2 ** 100],
                         ids=["int64 max", "int64 min", "2**31", "2**64", "below int64", "2**100"])
def test_huge_integer_indices_are_out_of_bounds(index):
    x = tf.tensor(X, requires_grad=True)
    with pytest.raises(IndexError, match=f"index {index} is out of bounds"):
        x[index]
    with pytest.raises(IndexError, match=f"index {index} is out of bounds"):
        x[[0, index]]


def test_an_unsigned_index_past_int64_does_not_wrap_around():
    """numpy turns uint64 2**64 - 1 into -1 and picks the last element."""
    big = np.array([2 ** 64 - 1], dtype=np.uint64)
    x = tf.tensor(X, requires_grad=True)
    with pytest.raises(IndexError, match="18446744073709551615 is out of bounds"):
        x[big]
    with pytest.raises(IndexError, match="18446744073709551615 is out of bounds"):
        tf.take_along_axis(x, big, 0)
    ok = np.array([2, 0], dtype=np.uint64)
    np.testing.assert_array_equal(x[ok].detach().numpy(), [2.0, 0.0])
    # in a graph, where the index is fed at run time
    g = tf.Graph()
    with g.as_default():
        p = tf.placeholder(tf.float64, [3])
        i = tf.placeholder(np.uint64, [None])
        y = p[i]
    with tf.Session(graph=g) as sess:
        np.testing.assert_array_equal(sess.run(y, {p: X, i: ok}), [2.0, 0.0])
        with pytest.raises(IndexError, match="out of bounds.*\n.*while running op 'GetItem'"):
            sess.run(y, {p: X, i: big})


def test_out_of_range_indices_in_graphs_are_caught_at_build_or_run_time():
    g = tf.Graph()
    with g.as_default():
        known = tf.placeholder(tf.float64, [3])
        with pytest.raises(IndexError, match="index 5 is out of bounds for dimension 0 with size 3"):
            known[5]
        unknown = tf.placeholder(tf.float64, [None])
        y = unknown[np.array([2 ** 40])]
    with tf.Session(graph=g) as sess, pytest.raises(IndexError, match="1099511627776 is out of bounds"):
        sess.run(y, {unknown: X})


def test_huge_slices_clamp_and_huge_shapes_are_refused():
    x = tf.tensor(X)
    np.testing.assert_array_equal(x[2 ** 70:].detach().numpy(), [])          # slices clamp, as in numpy
    np.testing.assert_array_equal(x[-2 ** 70:2 ** 70].detach().numpy(), X)
    with pytest.raises(tf.ShapeError, match="cannot reshape"):
        x.reshape(2 ** 62, 2 ** 62)
    with pytest.raises(tf.ShapeError, match="axis 9223372036854775808 is out of range"):
        x.sum(2 ** 63)


def test_embedding_rejects_indices_past_its_rows():
    import tinyflow.nn as nn
    emb = nn.Embedding(4, 2)
    for bad in (4, 2 ** 40, 2 ** 63 - 1):
        with pytest.raises(IndexError, match=f"index {bad} is out of range for an embedding of 4"):
            emb(tf.tensor([0, bad]))
    with pytest.raises(IndexError, match="out of range"):
        emb(tf.tensor(np.array([2 ** 64 - 1], dtype=np.uint64)))
