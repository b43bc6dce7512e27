"""The PyTorch-tutorial layers and losses without PyTorch: numerical gradients
(float64, central differences, and one order up), reference values worked out by
hand, reprs as PyTorch 2.13 prints them, and the errors that name what was wrong.
(test_torch_nn_vs_pytorch.py and test_torch_losses_vs_pytorch.py compare with
PyTorch itself where it is installed.)
"""
import math

import numpy as np
import pytest

import tinyflow as tf
import tinyflow.nn as nn
import tinyflow.nn.functional as F


def _p(shape, seed=0, low=-1.0, high=1.0):
    return tf.tensor(np.random.default_rng(seed).uniform(low, high, shape), dtype=tf.float64,
                     requires_grad=True)


def _spaced(shape, seed=0, gap=0.07):
    n = int(np.prod(shape))
    v = (np.arange(n) - n / 2) * gap + gap / 2
    return tf.tensor(np.random.default_rng(seed).permutation(v).reshape(shape), dtype=tf.float64,
                     requires_grad=True)


def _checks(fn, xs):
    assert tf.gradcheck(fn, xs)
    assert tf.gradgradcheck(fn, xs)


# --- gradients -------------------------------------------------------------------------------

GRADS = [
    ("gelu", lambda x: F.gelu(x), lambda: [_p((3, 4), low=-3, high=3)]),
    ("gelu tanh", lambda x: F.gelu(x, approximate="tanh"), lambda: [_p((3, 4), low=-3, high=3)]),
    ("leaky_relu", lambda x: F.leaky_relu(x, 0.2), lambda: [_spaced((3, 4))]),
    ("elu", lambda x: F.elu(x, 1.3), lambda: [_spaced((3, 4))]),
    ("avg_pool2d", lambda x: F.avg_pool2d(x, 3, 2, 1, count_include_pad=False),
     lambda: [_p((2, 2, 5, 6))]),
    ("avg_pool2d ceil", lambda x: F.avg_pool2d(x, 2, ceil_mode=True), lambda: [_p((1, 2, 5, 5))]),
    ("adaptive_avg_pool2d", lambda x: F.adaptive_avg_pool2d(x, (3, 2)), lambda: [_p((2, 2, 7, 5))]),
    ("batchnorm2d", lambda x, w, b: F.batch_norm(x, None, None, w, b, True),
     lambda: [_p((3, 2, 2, 3)), _p((2,), 1), _p((2,), 2)]),
    ("smooth_l1", lambda x, y: F.smooth_l1_loss(x, y, beta=0.5), lambda: [_spaced((3, 4)), _p((3, 4), 1)]),
    ("huber", lambda x, y: F.huber_loss(x, y, reduction="sum", delta=0.3),
     lambda: [_spaced((3, 4)), _p((3, 4), 1)]),
    ("kl_div", lambda x, t: F.kl_div(x, t, reduction="batchmean"),
     lambda: [_p((3, 4), 0, -3, -0.1), _p((3, 4), 1, 0.1, 1.0)]),
    ("kl_div log_target", lambda x, t: F.kl_div(x, t, reduction="sum", log_target=True),
     lambda: [_p((3, 4), 0, -3, -0.1), _p((3, 4), 1, -3, -0.1)]),
    ("bce", lambda p, t: F.binary_cross_entropy(p, t, reduction="sum"),
     lambda: [_p((3, 4), 0, 0.05, 0.95), _p((3, 4), 1, 0.0, 1.0)]),
    ("bce logits pos_weight", lambda x, t, pw: F.binary_cross_entropy_with_logits(
        x, t, pos_weight=pw), lambda: [_p((3, 4), 0, -3, 3), _p((3, 4), 1, 0, 1), _p((4,), 2, 0.5, 2)]),
    ("nll weight ignore", lambda x: F.nll_loss(x, tf.tensor([0, 2, -100, 3]),
                                               weight=tf.tensor([1.0, 2.0, 0.5, 3.0])),
     lambda: [_p((4, 4), 0, -3, 0)]),
    ("cross_entropy smoothing", lambda x: F.cross_entropy(x, tf.tensor([[0, 1], [2, -100]]),
                                                          label_smoothing=0.2),
     lambda: [_p((2, 3, 2), 0, -2, 2)]),
    ("cross_entropy probabilities", lambda x, t: F.cross_entropy(x, t, reduction="sum"),
     lambda: [_p((3, 4), 0, -2, 2), _p((3, 4), 1, 0, 1)]),
]


@pytest.mark.parametrize("name, fn, make", GRADS, ids=[g[0] for g in GRADS])
def test_gradients_match_central_differences(name, fn, make):
    _checks(fn, make())


# --- reference values ------------------------------------------------------------------------

def test_erf_and_gelu_reference_values():
    x = np.array([-3.0, -0.5, 0.0, 0.3, 1.0, 2.5, 3.0, 4.5, 27.0])
    want = np.array([math.erf(v) for v in x])
    np.testing.assert_allclose(tf.ops.erf(x), want, rtol=2e-15, atol=0)
    assert tf.ops.erf(np.float32(0.5)).dtype == np.float32
    g = F.gelu(tf.tensor([1.0, -1.0], dtype=tf.float64)).detach().numpy()
    np.testing.assert_allclose(g, [0.8413447460685429, -0.15865525393145707], rtol=1e-14)
    gt = F.gelu(tf.tensor([1.0], dtype=tf.float64), approximate="tanh").item()
    assert gt == pytest.approx(0.5 * (1 + math.tanh(math.sqrt(2 / math.pi) * 1.044715)), rel=1e-14)


def test_elu_and_leaky_relu_values_and_large_inputs():
    x = tf.tensor([-2.0, 0.0, 3.0, 1000.0], dtype=tf.float64, requires_grad=True)
    y = F.elu(x, 0.5)
    np.testing.assert_allclose(y.detach().numpy(), [0.5 * math.expm1(-2.0), 0.0, 3.0, 1000.0])
    y.sum().backward()
    np.testing.assert_allclose(x.grad.detach().numpy(), [0.5 * math.exp(-2.0), 0.5, 1.0, 1.0])
    np.testing.assert_array_equal(F.leaky_relu(tf.tensor([-2.0, 0.0, 3.0])).detach().numpy(),
                                  np.array([-0.02, 0.0, 3.0], np.float32))


def test_avg_pool2d_divisors_with_and_without_padding():
    x = tf.ones(1, 1, 3, 3)
    inc = F.avg_pool2d(x, 2, stride=1, padding=1).detach().numpy()[0, 0]
    np.testing.assert_allclose(inc[0], [0.25, 0.5, 0.5, 0.25])
    exc = F.avg_pool2d(x, 2, stride=1, padding=1, count_include_pad=False).detach().numpy()
    np.testing.assert_allclose(exc, np.ones((1, 1, 4, 4)))
    np.testing.assert_allclose(F.avg_pool2d(x, 3, divisor_override=2).detach().numpy(), [[[[4.5]]]])
    # ceil_mode keeps a last window that starts inside the input: 5 -> 3 outputs
    assert F.avg_pool2d(tf.ones(1, 1, 5, 5), 2, ceil_mode=True).shape == (1, 1, 3, 3)


def test_adaptive_avg_pool2d_windows_overlap_as_in_pytorch():
    x = tf.arange(5.0).reshape(1, 1, 1, 5)
    # 5 -> 3: windows [0, 2), [1, 4), [3, 5)
    np.testing.assert_allclose(F.adaptive_avg_pool2d(x, (1, 3)).detach().numpy().ravel(), [0.5, 2.0, 3.5])
    y = tf.randn(2, 3, 6, 4)
    np.testing.assert_allclose(nn.AdaptiveAvgPool2d(1)(y).detach().numpy(), y.detach().numpy().mean((2, 3), keepdims=True),
                               rtol=1e-6)
    assert nn.AdaptiveAvgPool2d((None, 2))(y).shape == (2, 3, 6, 2)


def test_batchnorm2d_statistics_running_averages_and_eval():
    bn = nn.BatchNorm2d(2, momentum=0.5)
    x = np.random.default_rng(1).standard_normal((4, 2, 3, 3)).astype(np.float32) * 3 + 1
    y = bn(tf.tensor(x)).detach().numpy()
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0, atol=1e-5)
    np.testing.assert_allclose(y.var(axis=(0, 2, 3)), 1, atol=1e-3)
    np.testing.assert_allclose(bn.running_mean.detach().numpy(), 0.5 * x.mean(axis=(0, 2, 3)), rtol=1e-5)
    np.testing.assert_allclose(bn.running_var.detach().numpy(),
                               0.5 + 0.5 * x.var(axis=(0, 2, 3), ddof=1), rtol=1e-5)
    bn.eval()
    want = (x - bn.running_mean.detach().numpy()[:, None, None]) / np.sqrt(
        bn.running_var.detach().numpy()[:, None, None] + 1e-5)
    np.testing.assert_allclose(bn(tf.tensor(x)).detach().numpy(), want, rtol=1e-5, atol=1e-5)
    assert bn.num_batches_tracked.item() == 1
    no_bias = nn.BatchNorm2d(3, bias=False)
    assert [n for n, _ in no_bias.named_parameters()] == ["weight"]


def test_dropout2d_drops_channels_and_scales_the_rest():
    tf.manual_seed(4)
    y = F.dropout2d(tf.ones(50, 40, 2, 2), p=0.3).detach().numpy().reshape(2000, 4)
    assert (y.std(axis=1) == 0).all()
    kept = y[:, 0] != 0
    assert abs(kept.mean() - 0.7) < 0.04
    np.testing.assert_allclose(y[kept], 1 / np.float32(0.7))
    assert F.dropout2d(tf.ones(2, 3, 4, 4), training=False).detach().numpy().min() == 1.0


def test_embedding_from_pretrained_shares_the_rows_and_keeps_the_padding_row():
    rows = tf.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    emb = nn.Embedding.from_pretrained(rows, freeze=False, padding_idx=-1)
    assert emb.padding_idx == 2 and emb.weight.requires_grad
    np.testing.assert_array_equal(emb.weight.detach().numpy(), rows.detach().numpy())    # not zeroed
    rows.array[0, 0] = 10.0
    assert emb.weight.detach().numpy()[0, 0] == 10.0                             # shared
    emb(tf.tensor([0, 2, 2])).sum().backward()
    np.testing.assert_array_equal(emb.weight.grad.detach().numpy(), [[1, 1], [0, 0], [0, 0]])
    assert not nn.Embedding.from_pretrained(rows).weight.requires_grad


def test_nn_utils_clip_grad_norm_by_hand():
    from tinyflow.nn.utils import clip_grad_norm_, clip_grad_value_, parameters_to_vector
    a, b = nn.Parameter(np.zeros(2)), nn.Parameter(np.zeros(1))
    (a * tf.tensor([3.0, 0.0]) + 0).sum().backward()
    (b * 4.0).sum().backward()
    total = clip_grad_norm_([a, b], 1.0)
    assert total.item() == pytest.approx(5.0)
    np.testing.assert_allclose(a.grad.detach().numpy(), [3 / (5 + 1e-6), 0.0])
    assert clip_grad_norm_([a, b], 10.0, norm_type="inf").item() == pytest.approx(0.8, rel=1e-6)
    clip_grad_value_([a], 0.1)
    np.testing.assert_allclose(a.grad.detach().numpy(), [0.1, 0.0])
    assert parameters_to_vector([a, b]).shape == (3,)
    assert tf.nn.utils.clip_grad_norm_ is clip_grad_norm_


# --- losses: reference values ------------------------------------------------------------------

def test_loss_reference_values():
    x, y = tf.tensor([0.5, 3.0, -1.0]), tf.tensor([0.0, 0.0, 0.0])
    np.testing.assert_allclose(F.smooth_l1_loss(x, y, reduction="none").detach().numpy(), [0.125, 2.5, 0.5])
    np.testing.assert_allclose(F.huber_loss(x, y, reduction="none", delta=2).detach().numpy(), [0.125, 4.0, 0.5])
    assert F.l1_loss(x, y).item() == pytest.approx(1.5)
    logp = tf.tensor([[-1.0, -2.0], [-3.0, -4.0], [-5.0, -6.0]])
    w = tf.tensor([1.0, 3.0])
    assert F.nll_loss(logp, tf.tensor([1, 0, -100]), weight=w).item() == pytest.approx((6 + 3) / 4)
    assert F.nll_loss(logp, tf.tensor([1, 0, 1]), ignore_index=0, reduction="sum").item() == 8.0
    p = tf.tensor([0.5, 0.0, 1.0])
    np.testing.assert_allclose(F.binary_cross_entropy(p, tf.tensor([1.0, 1.0, 0.0]), reduction="none")
                               .detach().numpy(), [math.log(2), 100.0, 100.0], rtol=1e-6)
    t = tf.tensor([[0.5, 0.5]])
    assert F.kl_div(t.log(), t, reduction="batchmean").item() == 0.0
    assert F.kl_div(tf.tensor([[0.0]]), tf.tensor([[0.0]]), reduction="sum").item() == 0.0
    z = tf.tensor([[0.0, 0.0]])
    assert F.cross_entropy(z, tf.tensor([0]), label_smoothing=0.5).item() == pytest.approx(math.log(2))


def test_bce_at_exact_zero_and_one_keeps_gradients_finite():
    p = tf.tensor([0.0, 1.0, 0.5], dtype=tf.float64, requires_grad=True)
    F.binary_cross_entropy(p, tf.tensor([1.0, 0.0, 1.0], dtype=tf.float64)).backward()
    assert np.isfinite(p.grad.detach().numpy()).all()


def test_regression_loss_broadcast_warns_and_bce_refuses():
    with pytest.warns(UserWarning, match=r"mse_loss: Using a target size \(3,\) that is different "
                                         r"to the input size \(3, 1\)"):
        assert F.mse_loss(tf.zeros(3, 1), tf.ones(3), reduction="none").shape == (3, 3)
    with pytest.raises(RuntimeError, match=r"l1_loss: the size of input \(3\) must match the size "
                                           r"of target \(2\) at non-singleton dimension 1"):
        F.l1_loss(tf.zeros(4, 3), tf.zeros(4, 2))
    with pytest.raises(ValueError, match="binary_cross_entropy: input shape"):
        F.binary_cross_entropy(tf.ones(3, 1) / 2, tf.ones(3))
    with pytest.raises(RuntimeError, match="between 0 and 1.*got 1.5"):
        F.binary_cross_entropy(tf.tensor([1.5]), tf.tensor([1.0]))


# --- reprs (as PyTorch 2.13 prints them) and errors ---------------------------------------------

REPRS = [
    (nn.BatchNorm2d(4), "BatchNorm2d(4, eps=1e-05, momentum=0.1, affine=True, bias=True, "
                        "track_running_stats=True)"),
    (nn.BatchNorm1d(3, momentum=None, affine=False), "BatchNorm1d(3, eps=1e-05, momentum=None, "
                                                     "affine=False, bias=False, track_running_stats=True)"),
    (nn.Dropout(0.25), "Dropout(p=0.25, inplace=False)"),
    (nn.Dropout2d(inplace=True), "Dropout2d(p=0.5, inplace=True)"),
    (nn.MaxPool2d(2), "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"),
    (nn.AvgPool2d(3, 1, 1), "AvgPool2d(kernel_size=3, stride=1, padding=1)"),
    (nn.AdaptiveAvgPool2d((1, 1)), "AdaptiveAvgPool2d(output_size=(1, 1))"),
    (nn.LeakyReLU(), "LeakyReLU(negative_slope=0.01)"),
    (nn.ELU(inplace=True), "ELU(alpha=1.0, inplace=True)"),
    (nn.GELU(), "GELU(approximate='none')"),
    (nn.ReLU(inplace=True), "ReLU(inplace=True)"),
    (nn.Softmax(), "Softmax(dim=None)"),
    (nn.MSELoss(reduction="sum"), "MSELoss()"),
    (nn.CrossEntropyLoss(label_smoothing=0.1), "CrossEntropyLoss()"),
    (nn.Conv2d(1, 4, 3, padding="same"), "Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1), padding=same)"),
]


@pytest.mark.parametrize("module, text", REPRS, ids=[t.split("(")[0] + str(i) for i, (_, t) in enumerate(REPRS)])
def test_reprs_are_pytorchs(module, text):
    assert repr(module) == text


def test_bad_layer_arguments_name_the_layer_and_the_argument():
    with pytest.raises(TypeError, match="Linear: in_features must be an int, got float 2.5"):
        nn.Linear(2.5, 3)
    with pytest.raises(TypeError, match="Conv2d: kernel_size must be an int or a tuple of 2 ints, got str"):
        nn.Conv2d(1, 4, "3")
    with pytest.raises(RuntimeError, match="Linear: out_features must be >= 0, got -1"):
        nn.Linear(2, -1)
    with pytest.raises(RuntimeError, match=r"conv2d: kernel size should be greater than zero, got "
                                           r"kernel_size=\(0, 0\)"):
        nn.Conv2d(1, 4, 0)(tf.zeros(1, 1, 4, 4))
    with pytest.raises(RuntimeError, match=r"conv2d: stride should be greater than zero"):
        nn.Conv2d(1, 4, 3, stride=0)(tf.zeros(1, 1, 4, 4))
    with pytest.raises(RuntimeError, match=r"conv2d: padding must be non-negative, got padding=\(-1, -1\)"):
        nn.Conv2d(1, 4, 3, padding=-1)(tf.zeros(1, 1, 4, 4))
    with pytest.raises(RuntimeError, match="avg_pool2d: pad should be at most half"):
        nn.AvgPool2d(2, padding=2)(tf.zeros(1, 1, 4, 4))
    with pytest.raises(RuntimeError, match="max_pool2d: .*output size is too small"):
        nn.MaxPool2d(7)(tf.zeros(1, 1, 4, 4))
    with pytest.raises(ValueError, match=r"BatchNorm2d: expected 4D input \(got 3D input"):
        nn.BatchNorm2d(3)(tf.zeros(3, 4, 4))
    with pytest.raises(RuntimeError, match="gelu: approximate argument must be either 'none' or 'tanh'"):
        nn.GELU("foo")(tf.zeros(2))
    with pytest.raises(NotImplementedError, match="Conv2d: padding_mode='reflect'"):
        nn.Conv2d(1, 4, 3, padding_mode="reflect")
    with pytest.raises(AssertionError, match="expected to be 2-dimensional"):
        nn.Embedding.from_pretrained(tf.zeros(3))


def test_inplace_is_accepted_and_computed_out_of_place():
    x = tf.tensor([-1.0, 2.0])
    for layer in (nn.ReLU(inplace=True), nn.LeakyReLU(inplace=True), nn.ELU(inplace=True),
                  nn.Dropout(inplace=True).eval()):
        layer(x)
    assert x.tolist() == [-1.0, 2.0]


def test_summary_without_an_input_shape_lists_layers_and_parameters():
    lines = []
    nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.AdaptiveAvgPool2d(1),
                  nn.Flatten(), nn.Linear(2, 3)).summary(print_fn=lines.append)
    assert lines[0] == "\n".join([
        "=" * 65,
        "Layer (type:depth-idx)                   Param #",
        "=" * 65,
        "Sequential                               --",
        "├─Conv2d: 1-1                            20",
        "├─BatchNorm2d: 1-2                       4",
        "├─AdaptiveAvgPool2d: 1-3                 --",
        "├─Flatten: 1-4                           --",
        "├─Linear: 1-5                            9",
        "=" * 65,
        "Total params: 33",
        "Trainable params: 33",
        "Non-trainable params: 0",
        "=" * 65])


def test_reassigned_parameters_and_replaced_layers_keep_their_place():
    """As in PyTorch: re-assigning a parameter or a child module keeps its place in
    state_dict; seq[i] = module replaces the i-th layer in place."""
    seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 4))
    seq[-1] = nn.Linear(3, 10)
    seq[0].weight = nn.Parameter(tf.zeros(3, 2))
    assert list(seq.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert seq[2].out_features == 10 and (seq[0].weight.detach().numpy() == 0).all()
    with pytest.raises(TypeError, match="Sequential.__setitem__\\(\\): the new module must be a "
                                        "Module, got int"):
        seq[0] = 3
