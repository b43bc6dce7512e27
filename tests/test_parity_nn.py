"""tinyflow.nn against real PyTorch: the same calls, spelled the same way, give the
same reprs, values, gradients (float64, 1e-10), warnings and error types.

Every test here needs PyTorch (the ``bench`` extra installs the CPU build); the
module is skipped, with that reason, where it is missing. The same behaviour is
checked without PyTorch (reference values, numerical gradients) in test_torch_nn.py.
"""
import warnings

import numpy as np
import pytest

from _parity import assert_raises_like_pytorch, import_torch

torch = import_torch()   # real PyTorch: skipped with the reason where missing, required by make parity
import torch.nn.functional as TF  # noqa: E402

import tinyflow as tf  # noqa: E402
import tinyflow.nn as nn  # noqa: E402
import tinyflow.nn.functional as F  # noqa: E402

RTOL, ATOL = 1e-10, 1e-12


def _pair(shape, seed=0, low=-2.0, high=2.0):
    """The same float64 values as a tinyflow and a torch leaf that require grad."""
    a = np.random.default_rng(seed).uniform(low, high, shape)
    return tf.tensor(a, dtype=tf.float64, requires_grad=True), torch.tensor(a, requires_grad=True)


def _close(ours, theirs, rtol=RTOL, atol=ATOL):
    theirs = theirs.detach().numpy() if hasattr(theirs, "detach") else np.asarray(theirs)
    ours = ours.detach().numpy() if hasattr(ours, "detach") else np.asarray(ours)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol)


def _same_forward_and_grads(ours_fn, theirs_fn, ours_in, theirs_in, seed=7):
    """Values, then the gradients of sum(w * out) for fixed random weights w."""
    a, b = ours_fn(*ours_in), theirs_fn(*theirs_in)
    _close(a, b)
    w = np.random.default_rng(seed).uniform(0.5, 1.5, tuple(b.shape))
    (a * tf.tensor(w)).sum().backward()
    (b * torch.tensor(w)).sum().backward()
    for x, y in zip(ours_in, theirs_in):
        if getattr(y, "requires_grad", False):
            _close(x.grad, y.grad)


# --- reprs --------------------------------------------------------------------------------

MODULES = [
    lambda nn: nn.BatchNorm2d(4),
    lambda nn: nn.BatchNorm1d(3, eps=1e-3, momentum=None, affine=False),
    lambda nn: nn.BatchNorm2d(2, bias=False),
    lambda nn: nn.BatchNorm2d(2, track_running_stats=False),
    lambda nn: nn.Dropout(0.25),
    lambda nn: nn.Dropout(inplace=True),
    lambda nn: nn.Dropout2d(),
    lambda nn: nn.MaxPool2d(2),
    lambda nn: nn.MaxPool2d(3, 1, 1),
    lambda nn: nn.MaxPool2d((2, 3)),
    lambda nn: nn.AvgPool2d(2),
    lambda nn: nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False, ceil_mode=True),
    lambda nn: nn.AdaptiveAvgPool2d((1, 1)),
    lambda nn: nn.AdaptiveAvgPool2d(1),
    lambda nn: nn.AdaptiveAvgPool2d((None, 3)),
    lambda nn: nn.LeakyReLU(),
    lambda nn: nn.LeakyReLU(0.2, inplace=True),
    lambda nn: nn.ELU(),
    lambda nn: nn.ELU(0.5, inplace=True),
    lambda nn: nn.GELU(),
    lambda nn: nn.GELU(approximate="tanh"),
    lambda nn: nn.ReLU(),
    lambda nn: nn.ReLU(inplace=True),
    lambda nn: nn.Identity(),
    lambda nn: nn.Softmax(),
    lambda nn: nn.Softmax(dim=1),
    lambda nn: nn.LogSoftmax(1),
    lambda nn: nn.Embedding(10, 3, padding_idx=-1),
    lambda nn: nn.Conv2d(1, 4, 3),
    lambda nn: nn.Conv2d(1, 4, (3, 5), stride=2, padding=1, bias=False),
    lambda nn: nn.Conv2d(1, 4, 3, padding="same"),
    lambda nn: nn.Conv2d(1, 4, 3, padding="valid"),
    lambda nn: nn.Conv2d(4, 8, 3, dilation=2, groups=4),
    lambda nn: nn.Conv2d(4, 4, (3, 5), stride=2, padding=1, dilation=(1, 2), groups=2, bias=False),
    lambda nn: nn.Linear(2, 3, bias=False),
    lambda nn: nn.Flatten(),
    lambda nn: nn.MSELoss(reduction="sum"),
    lambda nn: nn.L1Loss(),
    lambda nn: nn.SmoothL1Loss(beta=0.5),
    lambda nn: nn.HuberLoss(delta=2.0),
    lambda nn: nn.NLLLoss(ignore_index=0),
    lambda nn: nn.KLDivLoss(reduction="batchmean", log_target=True),
    lambda nn: nn.BCELoss(),
    lambda nn: nn.BCEWithLogitsLoss(),
    lambda nn: nn.CrossEntropyLoss(label_smoothing=0.1),
    lambda nn: nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Dropout2d(0.1), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                             nn.Linear(2, 2)),
]


@pytest.mark.parametrize("make", MODULES, ids=range(len(MODULES)))
def test_repr_is_pytorchs(make):
    assert repr(make(nn)) == repr(make(torch.nn))


def test_embedding_from_pretrained_repr_and_grad_flags():
    w = np.arange(6.0).reshape(3, 2)
    for freeze in (True, False):
        ours = nn.Embedding.from_pretrained(tf.tensor(w), freeze=freeze, padding_idx=1)
        theirs = torch.nn.Embedding.from_pretrained(torch.tensor(w), freeze=freeze, padding_idx=1)
        assert repr(ours) == repr(theirs)
        assert ours.weight.requires_grad == theirs.weight.requires_grad
        _close(ours.weight, theirs.weight)


# --- layers --------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [dict(), dict(momentum=None), dict(affine=False),
                                    dict(bias=False), dict(track_running_stats=False),
                                    dict(momentum=0.3, eps=1e-3)],
                         ids=["default", "cumulative", "no affine", "no bias", "no stats", "mom eps"])
def test_batchnorm2d_train_then_eval_matches(kwargs):
    ours, theirs = nn.BatchNorm2d(3, **kwargs).double(), torch.nn.BatchNorm2d(3, **kwargs).double()
    if ours.weight is not None:
        w = np.array([0.5, 1.5, -1.0])
        ours.weight.data[:] = w
        with torch.no_grad():
            theirs.weight.copy_(torch.tensor(w))
    for step in range(3):
        x, xt = _pair((4, 3, 5, 5), seed=step, low=-3, high=5)
        _same_forward_and_grads(ours, theirs, [x], [xt], seed=step)
        if ours.weight is not None:
            _close(ours.weight.grad, theirs.weight.grad)
        ours.zero_grad()
        theirs.zero_grad()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for k, v in theirs.state_dict().items():
        _close(ours.state_dict()[k], v)
    ours.eval()
    theirs.eval()
    x, xt = _pair((2, 3, 4, 4), seed=9)
    _same_forward_and_grads(ours, theirs, [x], [xt])


@pytest.mark.parametrize("args", [
    (2,), (3, 2, 1), (3, 1, 1), (3, 2, 1, True), (3, 2, 1, False, False), (3, 2, 1, True, False),
    ((3, 2), (2, 1), (1, 0), True, False), (2, None, 0, True), (3, 1, 1, False, True, 5),
])
def test_avg_pool2d_matches(args):
    x, xt = _pair((2, 3, 7, 6))
    _same_forward_and_grads(lambda t: F.avg_pool2d(t, *args), lambda t: TF.avg_pool2d(t, *args),
                            [x], [xt])


@pytest.mark.parametrize("size", [1, (1, 1), 2, (3, 4), (5, 4), (7, 6), (9, 10), (None, 2)])
def test_adaptive_avg_pool2d_matches(size):
    x, xt = _pair((2, 3, 7, 6))
    _same_forward_and_grads(nn.AdaptiveAvgPool2d(size), torch.nn.AdaptiveAvgPool2d(size),
                            [x], [xt])


def test_unbatched_pooling_and_conv_match():
    x, xt = _pair((3, 6, 6))
    for ours, theirs in [(nn.AvgPool2d(2), torch.nn.AvgPool2d(2)),
                         (nn.MaxPool2d(2), torch.nn.MaxPool2d(2)),
                         (nn.AdaptiveAvgPool2d(2), torch.nn.AdaptiveAvgPool2d(2))]:
        _close(ours(x), theirs(xt))
    conv, tconv = nn.Conv2d(3, 2, 3, padding="same").double(), torch.nn.Conv2d(3, 2, 3, padding="same").double()
    conv.load_state_dict({k: v.detach().numpy() for k, v in tconv.state_dict().items()})
    _close(conv(x), tconv(xt))


@pytest.mark.parametrize("kwargs", [dict(dilation=2), dict(groups=2), dict(groups=4),
                                    dict(groups=4, dilation=(1, 2), stride=2, padding=1),
                                    dict(padding="same", dilation=2)],
                         ids=["dilation", "groups", "depthwise", "all", "same dilated"])
def test_conv2d_with_dilation_and_groups_matches_values_and_gradients(kwargs):
    tconv = torch.nn.Conv2d(4, 8, 3, **kwargs).double()
    conv = nn.Conv2d(4, 8, 3, **kwargs).double()
    conv.load_state_dict({k: v.detach().numpy() for k, v in tconv.state_dict().items()})
    x, xt = _pair((2, 4, 9, 9))
    y, yt = conv(x), tconv(xt)
    _close(y, yt)
    (y ** 2).sum().backward()
    (yt ** 2).sum().backward()
    _close(x.grad, xt.grad)
    _close(conv.weight.grad, tconv.weight.grad)
    _close(conv.bias.grad, tconv.bias.grad)


def test_conv2d_channels_not_matching_groups_is_pytorchs_error():
    with pytest.raises(RuntimeError) as ours:
        F.conv2d(tf.ones(1, 2, 5, 5), tf.ones(4, 3, 3, 3))
    with pytest.raises(RuntimeError) as theirs:
        torch.nn.functional.conv2d(torch.ones(1, 2, 5, 5), torch.ones(4, 3, 3, 3))
    assert str(ours.value) == "conv2d: " + str(theirs.value)      # PyTorch's words, named


ACTIVATIONS = [
    (lambda F, x: F.leaky_relu(x), None),
    (lambda F, x: F.leaky_relu(x, 0.2), None),
    (lambda F, x: F.elu(x), None),
    (lambda F, x: F.elu(x, alpha=0.5), None),
    (lambda F, x: F.gelu(x), None),
    (lambda F, x: F.gelu(x, approximate="tanh"), None),
    (lambda F, x: F.relu(x), None),
    (lambda F, x: F.softmax(x, dim=1), None),
    (lambda F, x: F.log_softmax(x, dim=0), None),
]


@pytest.mark.parametrize("fn, _", ACTIVATIONS, ids=range(len(ACTIVATIONS)))
def test_activations_match(fn, _):
    x, xt = _pair((3, 4, 5), low=-6, high=6)
    _same_forward_and_grads(lambda t: fn(F, t), lambda t: fn(TF, t), [x], [xt])


def test_activation_modules_and_points_of_interest_match():
    a = np.array([-50.0, -3.0, -1e-8, 0.0, 1e-8, 0.5, 3.0, 50.0])
    for make in (lambda nn: nn.LeakyReLU(0.3), lambda nn: nn.ELU(), lambda nn: nn.GELU(),
                 lambda nn: nn.GELU("tanh"), lambda nn: nn.ReLU()):
        x, xt = tf.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
        _same_forward_and_grads(make(nn), make(torch.nn), [x], [xt])


def test_erf_matches_torch_everywhere():
    a = np.concatenate([np.linspace(-7, 7, 20001), [0.0, -0.0, 1e-300, np.inf, -np.inf]])
    _close(tf.ops.erf(a), torch.erf(torch.tensor(a)), rtol=2e-15, atol=0)


def test_implicit_softmax_dim_warns_and_picks_torchs_dim():
    for shape in [(4,), (2, 3), (2, 3, 4), (2, 3, 4, 5)]:
        x, xt = _pair(shape)
        with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
            ours = nn.Softmax()(x)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = torch.nn.Softmax()(xt)
        _close(ours, theirs)


def test_dropout2d_zeroes_whole_channels_with_torchs_scale():
    x = tf.ones(8, 16, 3, 3)
    y = nn.Dropout2d(0.25)(x).numpy().reshape(8 * 16, 9)
    yt = torch.nn.Dropout2d(0.25)(torch.ones(8, 16, 3, 3)).numpy().reshape(8 * 16, 9)
    for out in (y, yt):
        assert (out.std(axis=1) == 0).all()                 # each plane all kept or all zero
        assert set(np.unique(out)) <= {0.0, np.float32(1 / 0.75)}
    with pytest.warns(UserWarning, match="Received a 3D input to dropout2d"):
        assert nn.Dropout2d()(tf.ones(3, 4, 4)).shape == (3, 4, 4)


def test_embedding_from_pretrained_padding_row_gets_no_gradient():
    w = np.random.default_rng(0).standard_normal((4, 3))
    ours = nn.Embedding.from_pretrained(tf.tensor(w), freeze=False, padding_idx=2)
    theirs = torch.nn.Embedding.from_pretrained(torch.tensor(w), freeze=False, padding_idx=2)
    idx = [[0, 2], [2, 3]]
    ours(tf.tensor(idx)).sum().backward()
    theirs(torch.tensor(idx)).sum().backward()
    _close(ours.weight.grad, theirs.weight.grad)


# --- errors: the same type as PyTorch's, at the same moment ----------------------------------

BAD_CALLS = [
    lambda nn, t: nn.Linear(2.5, 3),
    lambda nn, t: nn.Linear(2.0, 3),
    lambda nn, t: nn.Linear("2", 3),
    lambda nn, t: nn.Linear(None, 3),
    lambda nn, t: nn.Linear(-1, 3),
    lambda nn, t: nn.Conv2d(2.5, 4, 3),
    lambda nn, t: nn.Conv2d(1.0, 4, 3),
    lambda nn, t: nn.Conv2d("1", 4, 3),
    lambda nn, t: nn.Conv2d(-1, 4, 3),
    lambda nn, t: nn.Conv2d(1, 4, "3"),
    lambda nn, t: nn.Conv2d(1, 4, None),
    lambda nn, t: nn.Conv2d(1, 4, 3.0),
    lambda nn, t: nn.Conv2d(1, 4, 3, padding="foo"),
    lambda nn, t: nn.Conv2d(1, 4, 3, padding="same", stride=2),
    lambda nn, t: nn.Conv2d(1, 4, 0)(t.zeros(1, 1, 4, 4)),
    lambda nn, t: nn.Conv2d(1, 4, 3, stride=0)(t.zeros(1, 1, 4, 4)),
    lambda nn, t: nn.Conv2d(1, 4, 3, padding=-1)(t.zeros(1, 1, 4, 4)),
    lambda nn, t: nn.Conv2d(1, 4, 3)(t.zeros(1, 1, 2, 2)),
    lambda nn, t: nn.Conv2d(1, 4, 3)(t.zeros(5, 5)),
    lambda nn, t: nn.BatchNorm2d(2.5),
    lambda nn, t: nn.BatchNorm2d("3"),
    lambda nn, t: nn.BatchNorm2d(-1),
    lambda nn, t: nn.BatchNorm2d(3)(t.zeros(3, 4, 4)),
    lambda nn, t: nn.BatchNorm2d(3)(t.zeros(1, 3, 1, 1)),
    lambda nn, t: nn.Dropout(-0.1),
    lambda nn, t: nn.Dropout("0.1"),
    lambda nn, t: nn.Dropout2d(1.5),
    lambda nn, t: nn.MaxPool2d(0)(t.zeros(1, 1, 4, 4)),
    lambda nn, t: nn.MaxPool2d(2, stride=0)(t.zeros(1, 1, 4, 4)),
    lambda nn, t: nn.MaxPool2d(2, padding=2)(t.zeros(1, 1, 4, 4)),
    lambda nn, t: nn.MaxPool2d(2, padding=-1)(t.zeros(1, 1, 4, 4)),
    lambda nn, t: nn.MaxPool2d(7)(t.zeros(1, 1, 4, 4)),
    lambda nn, t: nn.MaxPool2d(2)(t.zeros(4, 4)),
    lambda nn, t: nn.AvgPool2d(0)(t.zeros(1, 1, 4, 4)),
    lambda nn, t: nn.AvgPool2d(2, padding=2)(t.zeros(1, 1, 4, 4)),
    lambda nn, t: nn.AvgPool2d(2, padding=-1)(t.zeros(1, 1, 4, 4)),
    lambda nn, t: nn.AvgPool2d(7)(t.zeros(1, 1, 4, 4)),
    lambda nn, t: nn.AvgPool2d(2.0)(t.zeros(1, 1, 4, 4)),
    lambda nn, t: nn.AvgPool2d(2, divisor_override=0)(t.zeros(1, 1, 4, 4)),
    lambda nn, t: nn.AdaptiveAvgPool2d(-1)(t.zeros(1, 1, 4, 4)),
    lambda nn, t: nn.AdaptiveAvgPool2d((1, 2, 3))(t.zeros(1, 1, 4, 4)),
    lambda nn, t: nn.AdaptiveAvgPool2d(2)(t.zeros(4, 4)),
    lambda nn, t: nn.GELU("foo")(t.zeros(2)),
    lambda nn, t: nn.Embedding(2.5, 3),
    lambda nn, t: nn.Embedding(-1, 3),
    lambda nn, t: nn.Embedding(3, 3, padding_idx=3),
    lambda nn, t: nn.Embedding.from_pretrained(t.zeros(3)),
    lambda nn, t: nn.CrossEntropyLoss(weight=[1.0, 2.0]),
]


@pytest.mark.parametrize("call", BAD_CALLS, ids=range(len(BAD_CALLS)))
def test_bad_arguments_raise_pytorchs_error_type(call):
    assert_raises_like_pytorch(call, (torch.nn, torch), (nn, tf))


ACCEPTED = [
    lambda nn, t: nn.Linear(0, 3),
    lambda nn, t: nn.Linear(np.int64(2), 3)(t.zeros(1, 2)).shape,
    lambda nn, t: nn.Conv2d(1, 4, 0),
    lambda nn, t: nn.Conv2d(1, 4, 3, stride=0),
    lambda nn, t: nn.Conv2d(1, 4, 3, padding=-1),
    lambda nn, t: nn.Conv2d(1, 4, 3)(t.zeros(1, 5, 5)).shape,
    lambda nn, t: nn.BatchNorm2d(0),
    lambda nn, t: nn.MaxPool2d(0),
    lambda nn, t: nn.AvgPool2d(0),
    lambda nn, t: nn.AvgPool2d(2)(t.zeros(3, 4, 4)).shape,
    lambda nn, t: nn.AdaptiveAvgPool2d(0)(t.zeros(1, 2, 4, 4)).shape,
    lambda nn, t: nn.AdaptiveAvgPool2d(7)(t.zeros(1, 2, 4, 4)).shape,
    lambda nn, t: nn.GELU("foo"),
    lambda nn, t: nn.Embedding(3, 2, padding_idx=-1).padding_idx,
]


@pytest.mark.parametrize("call", ACCEPTED, ids=range(len(ACCEPTED)))
def test_calls_pytorch_accepts_are_accepted_and_agree(call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = call(torch.nn, torch)
        ours = call(nn, tf)
    if isinstance(theirs, torch.nn.Module):
        assert repr(ours) == repr(theirs)
    else:
        assert tuple(ours) == tuple(theirs) if isinstance(theirs, tuple) else ours == theirs


def test_reassigned_parameters_and_replaced_layers_keep_their_place():
    """Fine-tuning: model.fc = nn.Linear(...), seq[6] = nn.Linear(...), layer.weight =
    nn.Parameter(...): the names stay where they were in state_dict, as in PyTorch."""
    def keys(m):
        class Net(m.nn.Module):
            def __init__(self):
                super().__init__()
                self.features = m.nn.Linear(2, 3)
                self.classifier = m.nn.Sequential(m.nn.Linear(3, 3), m.nn.ReLU(), m.nn.Linear(3, 4))
        net = Net()
        net.features = m.nn.Linear(2, 3)
        net.classifier[0] = m.nn.Linear(3, 3)
        net.classifier[-1] = m.nn.Linear(3, 10)
        net.features.weight = m.nn.Parameter(m.zeros(3, 2))
        return list(net.state_dict()), repr(net).replace("torch.", "tinyflow.")
    assert keys(tf) == keys(torch)
