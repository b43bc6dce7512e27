"""tinyflow's losses against real PyTorch: every loss, every reduction and option,
functional and module, values and gradients in float64 to 1e-10; the warnings and
errors PyTorch gives for mismatched targets.

Skipped, with that reason, where PyTorch is missing (test_torch_nn.py checks the
same losses against reference values and numerical gradients without it).
"""
import warnings

import numpy as np
import pytest

from _parity import import_torch

torch = import_torch()   # real PyTorch: skipped with the reason where missing, required by make parity
import torch.nn.functional as TF  # noqa: E402

import tinyflow as tf  # noqa: E402
import tinyflow.nn as nn  # noqa: E402
import tinyflow.nn.functional as F  # noqa: E402

RTOL, ATOL = 1e-10, 1e-12
REDUCTIONS = ["mean", "sum", "none"]


def _both(a, grad=True):
    a = np.asarray(a)
    if a.dtype.kind != "f":
        return tf.tensor(a), torch.tensor(a)
    return (tf.tensor(a, dtype=tf.float64, requires_grad=grad),
            torch.tensor(a, dtype=torch.float64, requires_grad=grad))


def _close(ours, theirs):
    np.testing.assert_allclose(np.asarray(ours.detach().numpy()), theirs.detach().numpy(),
                               rtol=RTOL, atol=ATOL)
    assert tuple(ours.shape) == tuple(theirs.shape)


def _check(call, *arrays, grad_of=None, seed=3):
    """call(F, *tensors) in both frameworks: the loss, then d(sum(w * loss))/d(each float input
    listed in grad_of, default: the first)."""
    grad_of = [0] if grad_of is None else grad_of
    pairs = [_both(a, grad=i in grad_of) for i, a in enumerate(arrays)]
    ours = call(F, *[p[0] for p in pairs])
    theirs = call(TF, *[p[1] for p in pairs])
    _close(ours, theirs)
    if not grad_of:
        return
    w = np.random.default_rng(seed).uniform(0.5, 1.5, tuple(theirs.shape))
    (ours * tf.tensor(w)).sum().backward()
    (theirs * torch.tensor(w)).sum().backward()
    for i in grad_of:
        _close(pairs[i][0].grad, pairs[i][1].grad)


rng = np.random.default_rng(0)
X = rng.standard_normal((5, 4))
Y = rng.standard_normal((5, 4))
P = rng.uniform(0.05, 0.95, (5, 4))
T01 = (rng.random((5, 4)) > 0.5).astype(np.float64)
LABELS = np.array([0, 3, 1, 1, 2])
X3 = rng.standard_normal((2, 4, 3))            # (N, C, d)
LABELS3 = np.array([[0, 1, 3], [2, 2, -100]])
PROBS = np.exp(X) / np.exp(X).sum(1, keepdims=True)
W4 = np.array([0.5, 2.0, 1.0, 3.0])
X_EDGES = np.array([[-3.0, -1.0, -0.5, 0.0], [0.0, 0.5, 1.0, 1.5], [2.0, 0.999, -1.001, 30.0]])
Y_EDGES = np.zeros((3, 4))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_regression_losses(reduction):
    r = reduction
    _check(lambda F, x, y: F.mse_loss(x, y, reduction=r), X, Y, grad_of=[0, 1])
    _check(lambda F, x, y: F.l1_loss(x, y, reduction=r), X, Y, grad_of=[0, 1])
    for beta in (1.0, 0.5, 0.0, 2.0):
        _check(lambda F, x, y: F.smooth_l1_loss(x, y, reduction=r, beta=beta), X_EDGES, Y_EDGES,
               grad_of=[0, 1])
    for delta in (1.0, 0.5, 2.0):
        _check(lambda F, x, y: F.huber_loss(x, y, reduction=r, delta=delta), X_EDGES, Y_EDGES,
               grad_of=[0, 1])


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_class_losses(reduction):
    r = reduction
    logp = np.log(PROBS)
    _check(lambda F, x, y: F.nll_loss(x, y, reduction=r), logp, LABELS)
    _check(lambda F, x, y, w: F.nll_loss(x, y, weight=w, reduction=r), logp, LABELS, W4)
    _check(lambda F, x, y: F.nll_loss(x, y, ignore_index=1, reduction=r), logp, LABELS)
    _check(lambda F, x, y: F.cross_entropy(x, y, reduction=r), X, LABELS)
    _check(lambda F, x, y, w: F.cross_entropy(x, y, weight=w, ignore_index=3, reduction=r),
           X, LABELS, W4)
    _check(lambda F, x, y: F.cross_entropy(x, y, reduction=r), X3, LABELS3)
    _check(lambda F, x, y, w: F.cross_entropy(x, y, w, reduction=r, label_smoothing=0.2),
           X3, LABELS3, W4)
    for eps in (0.1, 1.0):
        _check(lambda F, x, y: F.cross_entropy(x, y, reduction=r, label_smoothing=eps), X, LABELS)
        _check(lambda F, x, y, w: F.cross_entropy(x, y, weight=w, ignore_index=1, reduction=r,
                                                  label_smoothing=eps), X, LABELS, W4)
    # class-probability targets (the targets get gradients too)
    _check(lambda F, x, t: F.cross_entropy(x, t, reduction=r), X, PROBS, grad_of=[0, 1])
    _check(lambda F, x, t, w: F.cross_entropy(x, t, weight=w, reduction=r, label_smoothing=0.3),
           X, PROBS, W4, grad_of=[0, 1])
    _check(lambda F, x, t: F.cross_entropy(x, t, reduction=r), X3, np.abs(X3), grad_of=[0, 1])


def test_single_sample_class_losses():
    _check(lambda F, x, y: F.cross_entropy(x, y), X[0], np.int64(2))
    _check(lambda F, x, y: F.cross_entropy(x, y, reduction="none", label_smoothing=0.1), X[0],
           np.int64(2))
    _check(lambda F, x, t: F.cross_entropy(x, t), X[0], PROBS[0], grad_of=[0, 1])


def test_everything_ignored_gives_torchs_nan_and_zero():
    labels = np.array([-100, -100])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for r in ("mean", "sum"):
            ours = F.cross_entropy(tf.tensor(X[:2], dtype=tf.float64), tf.tensor(labels), reduction=r)
            theirs = TF.cross_entropy(torch.tensor(X[:2]), torch.tensor(labels), reduction=r)
            np.testing.assert_equal(ours.item(), theirs.item())


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropies(reduction):
    r = reduction
    _check(lambda F, p, t: F.binary_cross_entropy(p, t, reduction=r), P, T01, grad_of=[0, 1])
    _check(lambda F, p, t: F.binary_cross_entropy(p, t, reduction=r), P, P[::-1].copy(),
           grad_of=[0, 1])
    _check(lambda F, p, t, w: F.binary_cross_entropy(p, t, weight=w, reduction=r), P, T01, W4)
    edges = np.array([[0.0, 1.0, 1e-8, 1 - 1e-8]] * 2)     # values only: see test_torch_nn.py
    _check(lambda F, p, t: F.binary_cross_entropy(p, t, reduction=r), edges,
           np.array([[0.0, 1.0, 0.0, 1.0], [1.0, 0.0, 1.0, 0.0]]), grad_of=[])
    x = np.concatenate([X, [[0.0, 40.0, -40.0, 1e-9]]])
    t = np.concatenate([T01, [[0.5, 0.0, 1.0, 0.3]]])
    _check(lambda F, x, t: F.binary_cross_entropy_with_logits(x, t, reduction=r), x, t,
           grad_of=[0, 1])
    _check(lambda F, x, t, pw: F.binary_cross_entropy_with_logits(x, t, reduction=r,
                                                                  pos_weight=pw),
           x, t, W4, grad_of=[0, 1])
    _check(lambda F, x, t, w, pw: F.binary_cross_entropy_with_logits(x, t, w, reduction=r,
                                                                     pos_weight=pw),
           x, t, W4[::-1].copy(), W4, grad_of=[0, 1])


@pytest.mark.parametrize("reduction", ["batchmean", "sum", "none", "mean"])
def test_kl_div(reduction):
    logp = np.log(PROBS)
    target = PROBS[::-1].copy()
    target[0, 1] = 0.0                                # 0 * log 0 counts as 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _check(lambda F, x, t: F.kl_div(x, t, reduction=reduction), logp, target)
        _check(lambda F, x, t: F.kl_div(x, t, reduction=reduction, log_target=True), logp,
               np.log(PROBS[::-1]), grad_of=[0, 1])
    if reduction == "mean":
        with pytest.warns(UserWarning, match="'mean' divides the total loss by both"):
            F.kl_div(tf.tensor(logp), tf.tensor(target))


MODULES = [
    (lambda nn: nn.MSELoss(reduction="sum"), X, Y),
    (lambda nn: nn.L1Loss(), X, Y),
    (lambda nn: nn.SmoothL1Loss(beta=0.5), X, Y),
    (lambda nn: nn.HuberLoss(reduction="none", delta=0.7), X, Y),
    (lambda nn: nn.NLLLoss(), np.log(PROBS), LABELS),
    (lambda nn: nn.CrossEntropyLoss(ignore_index=3, label_smoothing=0.05), X, LABELS),
    (lambda nn: nn.KLDivLoss(reduction="batchmean"), np.log(PROBS), PROBS[::-1].copy()),
    (lambda nn: nn.BCELoss(reduction="sum"), P, T01),
    (lambda nn: nn.BCEWithLogitsLoss(), X, T01),
]


@pytest.mark.parametrize("make, x, y", MODULES, ids=range(len(MODULES)))
def test_loss_modules(make, x, y):
    _check(lambda F, a, b: make(nn if F is F_ours else torch.nn)(a, b), x, y)


F_ours = F


def test_weighted_loss_modules_keep_the_weight_as_a_buffer():
    w = np.array([1.0, 2.0, 0.5, 1.0])
    for make in (lambda nn, t: nn.CrossEntropyLoss(weight=t(w)), lambda nn, t: nn.NLLLoss(t(w)),
                 lambda nn, t: nn.BCELoss(weight=t(w)),
                 lambda nn, t: nn.BCEWithLogitsLoss(pos_weight=t(w))):
        ours, theirs = make(nn, tf.tensor), make(torch.nn, torch.tensor)
        assert list(ours.state_dict()) == list(theirs.state_dict())
        assert repr(ours) == repr(theirs)
    _check(lambda F, x, y, w: (nn if F is F_ours else torch.nn).CrossEntropyLoss(weight=w)(x, y),
           X, LABELS, W4)


def test_legacy_size_average_and_reduce():
    for kwargs in (dict(size_average=False), dict(reduce=False), dict(size_average=True, reduce=True)):
        with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
            ours = nn.MSELoss(**kwargs)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = torch.nn.MSELoss(**kwargs)
        assert ours.reduction == theirs.reduction


# --- mismatched targets: PyTorch's warnings and errors ---------------------------------------

def test_regression_losses_broadcast_other_targets_with_a_warning():
    x, y = np.arange(4.0).reshape(4, 1), np.arange(4.0) * 0.5
    for name in ("mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"):
        with pytest.warns(UserWarning, match=r"Using a target size \(4,\) that is different to "
                                             r"the input size \(4, 1\)"):
            ours = getattr(F, name)(tf.tensor(x, dtype=tf.float64), tf.tensor(y, dtype=tf.float64))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = getattr(TF, name)(torch.tensor(x), torch.tensor(y))
        _close(ours, theirs)


MISMATCHES = [
    lambda F, t: F.mse_loss(t.zeros(4, 3), t.zeros(4, 2)),
    lambda F, t: F.l1_loss(t.zeros(3), t.zeros(4)),
    lambda F, t: F.binary_cross_entropy(t.ones(4, 1) / 2, t.ones(4)),
    lambda F, t: F.binary_cross_entropy(t.ones(2) * 1.5, t.ones(2)),
    lambda F, t: F.binary_cross_entropy_with_logits(t.zeros(4, 1), t.zeros(4)),
    lambda F, t: F.nll_loss(t.zeros(3, 4), t.tensor([0, 1, 5])),
    lambda F, t: F.nll_loss(t.zeros(3, 4), t.tensor([0, 1, -1])),
    lambda F, t: F.nll_loss(t.zeros(3, 4), t.tensor([0, 1, 2]), weight=t.ones(3)),
    lambda F, t: F.cross_entropy(t.zeros(3, 4), t.tensor([0, 1, 2]), label_smoothing=1.5),
    lambda F, t: F.cross_entropy(t.zeros(3, 4), t.zeros(3, 5)),
    lambda F, t: F.smooth_l1_loss(t.zeros(2), t.zeros(2), beta=-1.0),
    lambda F, t: F.huber_loss(t.zeros(2), t.zeros(2), delta=0.0),
    lambda F, t: F.mse_loss(t.zeros(2), t.zeros(2), reduction="avg"),
    lambda F, t: F.kl_div(t.zeros(2), t.zeros(2), reduction="avg"),
]


@pytest.mark.parametrize("call", MISMATCHES, ids=range(len(MISMATCHES)))
def test_mismatches_raise_pytorchs_error_type(call):
    with pytest.raises(Exception) as theirs, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        call(TF, torch)
    with pytest.raises(Exception) as ours, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        call(F, tf)
    assert ours.type is theirs.type, f"tinyflow raised {ours.value!r}, PyTorch {theirs.value!r}"
