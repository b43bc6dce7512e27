"""Losses: values against numpy, stability, gradients, reductions and errors."""
import numpy as np
import pytest

import tinyflow as tf
import tinyflow.nn as nn
import tinyflow.nn.functional as F


def _logits(n=5, c=4, seed=0):
    return np.random.default_rng(seed).standard_normal((n, c))


def _reduced(values, reduction):
    return {"mean": values.mean(), "sum": values.sum(), "none": values}[reduction]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_mse_and_l1_match_numpy(reduction):
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    np.testing.assert_allclose(nn.MSELoss(reduction=reduction)(tf.tensor(x), tf.tensor(y)).array,
                               _reduced((x - y) ** 2, reduction))
    np.testing.assert_allclose(nn.L1Loss(reduction=reduction)(tf.tensor(x), y).array,
                               _reduced(np.abs(x - y), reduction))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_matches_numpy(reduction):
    x = _logits()
    labels = np.array([0, 3, 1, 1, 2])
    logp = x - x.max(1, keepdims=True)
    logp = logp - np.log(np.exp(logp).sum(1, keepdims=True))
    expected = -logp[np.arange(5), labels]
    got = nn.CrossEntropyLoss(reduction=reduction)(tf.tensor(x), tf.tensor(labels))
    np.testing.assert_allclose(got.array, _reduced(expected, reduction), rtol=1e-12)
    nll = nn.NLLLoss(reduction=reduction)(nn.LogSoftmax(dim=1)(tf.tensor(x)), labels)
    np.testing.assert_allclose(nll.array, got.array, rtol=1e-12)


def test_cross_entropy_is_stable_for_huge_logits():
    x = tf.tensor([[1e4, 0.0, -1e4], [0.0, 1e4, 1e4]], requires_grad=True)
    loss = F.cross_entropy(x, tf.tensor([1, 2]), reduction="none")
    np.testing.assert_allclose(loss.array, [1e4, np.log(2)], rtol=1e-6)
    loss.sum().backward()
    assert np.isfinite(x.grad.array).all()
    np.testing.assert_allclose(x.grad.array, [[1, -1, 0], [0, 0.5, -0.5]], atol=1e-6)


def test_cross_entropy_gradient_is_softmax_minus_one_hot():
    x = tf.tensor(_logits(), requires_grad=True)
    labels = np.array([0, 3, 1, 1, 2])
    F.cross_entropy(x, labels).backward()
    p = np.exp(x.array) / np.exp(x.array).sum(1, keepdims=True)
    p[np.arange(5), labels] -= 1
    np.testing.assert_allclose(x.grad.array, p / 5, rtol=1e-10)


def _graph_matches_eager_cross_entropy(build, reduction="mean"):
    """Build ``build(logits, labels)`` in a graph with an unknown batch size; check its
    value and its gradient against eager F.cross_entropy. Returns the graph."""
    import tinyflow.compat.v1 as v1
    x, labels = _logits(), np.array([0, 3, 1, 1, 2])
    xt = tf.tensor(x, requires_grad=True)
    want = F.cross_entropy(xt, labels, reduction=reduction)
    assert want.grad_fn.name() == "NllLossBackward0"
    want.backward()
    g = v1.Graph()
    with g.as_default():
        logits = v1.placeholder(v1.float64, [None, 4])
        y = v1.placeholder(v1.int64, [None])
        loss = build(logits, y)
        assert loss.shape.as_list() == []
        grad, = v1.gradients(loss, [logits])
    with v1.Session(graph=g) as sess:
        value, gx = sess.run([loss, grad], {logits: x, y: labels})
    np.testing.assert_allclose(value, want.array, rtol=1e-12)
    np.testing.assert_allclose(gx, xt.grad.array, rtol=1e-12)
    return g


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_fused_reduced_cross_entropy_is_one_op_with_the_same_gradient_in_a_graph(reduction):
    # F.cross_entropy reduces inside the fused op (one tape node, as PyTorch's);
    # in a graph with an unknown batch size the mean's divisor comes at run time.
    _graph_matches_eager_cross_entropy(
        lambda logits, y: tf.ops.sparse_softmax_cross_entropy(logits, y, reduction), reduction)


def test_cross_entropy_and_nll_gradcheck():
    x = tf.tensor(_logits(), requires_grad=True)
    labels = tf.tensor([0, 3, 1, 1, 2])
    assert tf.gradcheck(lambda x: F.cross_entropy(x, labels), [x])
    assert tf.gradcheck(lambda x: F.nll_loss(x, labels, reduction="none"), [x])


def test_cross_entropy_over_extra_dimensions_and_single_samples():
    x = np.random.default_rng(2).standard_normal((2, 3, 4))     # (N, C, d)
    labels = np.array([[0, 1, 2, 0], [2, 2, 1, 0]])
    got = F.cross_entropy(tf.tensor(x), labels, reduction="none")
    flat = F.cross_entropy(tf.tensor(x.transpose(0, 2, 1).reshape(8, 3)), labels.reshape(8),
                           reduction="none")
    np.testing.assert_allclose(got.array, flat.array.reshape(2, 4), rtol=1e-12)
    one = F.cross_entropy(tf.tensor(x[0, :, 0]), np.int64(0), reduction="none")
    assert one.shape == () and np.isclose(one.item(), got.array[0, 0])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_bce_with_logits_matches_numpy(reduction):
    x = _logits(4, 3)
    y = (np.random.default_rng(3).random((4, 3)) > 0.5).astype(np.float64)
    s = 1 / (1 + np.exp(-x))
    expected = -(y * np.log(s) + (1 - y) * np.log(1 - s))
    got = nn.BCEWithLogitsLoss(reduction=reduction)(tf.tensor(x), tf.tensor(y))
    np.testing.assert_allclose(got.array, _reduced(expected, reduction), rtol=1e-10)


def test_bce_with_logits_is_stable_and_its_gradient_is_sigmoid_minus_target():
    x = tf.tensor([1e4, -1e4, 1e4, -1e4, 0.0, 0.0], requires_grad=True)
    y = tf.tensor([1.0, 0.0, 0.0, 1.0, 1.0, 0.25])
    loss = F.binary_cross_entropy_with_logits(x, y, reduction="none")
    np.testing.assert_allclose(loss.array, [0, 0, 1e4, 1e4, np.log(2), np.log(2)], rtol=1e-6)
    loss.sum().backward()
    np.testing.assert_allclose(x.grad.array, [0, 0, 1, -1, -0.5, 0.25], atol=1e-6)


def test_bce_and_regression_losses_gradcheck():
    x = tf.tensor(_logits(3, 2), requires_grad=True)
    y = tf.tensor(np.random.default_rng(4).random((3, 2)), requires_grad=True)
    assert tf.gradcheck(lambda x, y: F.binary_cross_entropy_with_logits(x, y), [x, y])
    assert tf.gradcheck(lambda x, y: F.mse_loss(x, y, reduction="sum"), [x, y])
    assert tf.gradcheck(lambda x, y: F.l1_loss(x, y), [x, y])


def test_integer_targets_are_cast_for_regression_losses():
    loss = F.mse_loss(tf.tensor([1.0, 2.0]), np.array([1, 1]))
    assert loss.dtype == np.float32 and loss.item() == 0.5


# --- errors ---------------------------------------------------------------------------

def test_cross_entropy_rejects_float_labels():
    # PyTorch's error type (RuntimeError), with what was wrong and how to fix it
    with pytest.raises(RuntimeError, match="cross_entropy: target must hold integer class labels "
                                        r"\(int64\), got dtype float32"):
        nn.CrossEntropyLoss()(tf.zeros(2, 3), tf.tensor([0.0, 1.0]))
    with pytest.raises(RuntimeError, match="nll_loss: target must hold integer"):
        nn.NLLLoss()(tf.zeros(2, 3), np.array([0.0, 1.0]))


def test_cross_entropy_rejects_mismatched_shapes():
    msg = r"cross_entropy: an input of shape \(4, 3\) \(batch, classes, ...\) needs a target of " \
          r"shape \(4,\), got \(5,\)"
    with pytest.raises(ValueError, match=msg):
        F.cross_entropy(tf.zeros(4, 3), tf.zeros(5, dtype=tf.int64))
    with pytest.raises(ValueError, match=r"needs a target of shape \(4,\), got \(4, 1\)"):
        F.cross_entropy(tf.zeros(4, 3), np.zeros((4, 1), np.int64))


def test_cross_entropy_rejects_labels_out_of_range():
    with pytest.raises(IndexError, match=r"target label 3 is out of range for 3 classes "
                                         r"\(expected 0 .. 2\)"):
        F.cross_entropy(tf.zeros(2, 3), tf.tensor([0, 3]))
    with pytest.raises(IndexError, match="target label -1"):
        F.nll_loss(tf.zeros(2, 3), tf.tensor([-1, 0]))


@pytest.mark.parametrize("bad", [-1, 3])
def test_fused_cross_entropy_names_a_label_out_of_range_in_both_modes(bad):
    import tinyflow.compat.v1 as v1
    msg = fr"target label {bad} is out of range for 3 classes \(expected 0 .. 2\)"
    with pytest.raises(IndexError, match=msg):
        F.cross_entropy(tf.zeros(2, 3, requires_grad=True), tf.tensor([0, bad]))
    g = v1.Graph()
    with g.as_default():
        logits = v1.placeholder(v1.float32, [None, 3])
        labels = v1.placeholder(v1.int64, [None])
        loss = v1.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    with v1.Session(graph=g) as sess, pytest.raises(IndexError, match=msg):
        sess.run(loss, {logits: np.zeros((2, 3)), labels: [0, bad]})


@pytest.mark.parametrize("loss", [nn.BCEWithLogitsLoss()])
def test_elementwise_losses_reject_mismatched_shapes(loss):
    # (MSELoss and L1Loss broadcast with PyTorch's warning instead: test_torch_nn.py)
    name = {"BCEWithLogitsLoss": "binary_cross_entropy_with_logits"}[type(loss).__name__]
    with pytest.raises(ValueError, match=fr"{name}: input shape \(4, 1\) and target shape \(4,\) "
                                         r"differ; they must match exactly"):
        loss(tf.zeros(4, 1), tf.zeros(4))


def test_unknown_reduction_is_rejected():
    with pytest.raises(ValueError, match="reduction must be one of 'mean', 'sum' or 'none', "
                                         "got 'avg'"):
        nn.MSELoss(reduction="avg")
    with pytest.raises(ValueError, match="got 'avg'"):
        F.cross_entropy(tf.zeros(1, 2), [0], reduction="avg")


def test_tf1_losses_weigh_by_the_nonzero_weights_as_tensorflow_does():
    # TF1's default reduction, SUM_BY_NONZERO_WEIGHTS: sum(w * loss) / count(w != 0).
    import tinyflow.compat.v1 as v1
    labels, pred = np.zeros(4), np.array([1.0, 2.0, 3.0, 4.0])
    w = np.array([1.0, 0.0, 2.0, 0.0])
    x, y = _logits(), np.array([0, 3, 1, 1, 2])
    per_row = F.cross_entropy(tf.tensor(x), y, reduction="none").array
    wx = np.array([0.5, 0.0, 1.0, 2.0, 0.0])
    g = v1.Graph()
    with g.as_default():
        losses = [v1.losses.absolute_difference(labels, pred, weights=w),
                  v1.losses.mean_squared_error(labels, pred, weights=w),
                  v1.losses.compute_weighted_loss(v1.constant(pred), np.zeros(4)),
                  v1.losses.sparse_softmax_cross_entropy(y, v1.constant(x), weights=wx)]
    with v1.Session(graph=g) as sess:
        got = sess.run(losses)
    np.testing.assert_allclose(got, [(1 * 1 + 2 * 3) / 2, (1 * 1 + 2 * 9) / 2, 0.0,
                                     (per_row * wx).sum() / 3], rtol=1e-12)


def test_tf1_sparse_cross_entropy_loss_is_one_op_and_so_is_its_gradient():
    import tinyflow.compat.v1 as v1
    g = _graph_matches_eager_cross_entropy(
        lambda logits, y: v1.losses.sparse_softmax_cross_entropy(labels=y, logits=logits))
    types = [op.type for op in g.get_operations()]
    assert types.count("SparseSoftmaxCrossEntropyWithLogits") == 1 and "Mean" not in types
    assert types.count("SparseSoftmaxCrossEntropyGrad") == 1
