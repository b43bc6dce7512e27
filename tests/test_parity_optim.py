"""tinyflow.optim and nn.utils against real PyTorch: parameters after many steps
(float64, 1e-10), ``defaults`` and reprs, learning rates over many epochs,
gradient clipping and the error types of bad hyper-parameters.

Skipped, with that reason, where PyTorch is missing (test_torch_optim.py checks the
same rules against numpy references without it).
"""
import math
import warnings

import numpy as np
import pytest

from _parity import import_torch

torch = import_torch()   # real PyTorch: skipped with the reason where missing, required by make parity

import tinyflow as tf  # noqa: E402
import tinyflow.nn as nn  # noqa: E402
from tinyflow import optim  # noqa: E402
from tinyflow.nn import utils  # noqa: E402

START = np.array([[1.0, -2.0, 0.5], [0.3, 0.9, -1.2]])
A = np.array([[0.5, 2.0, -1.0], [1.5, 0.3, 0.8]])
B = np.array([[0.1, -0.4, 0.2], [0.0, 0.7, -0.3]])


def _train(lib, make, steps=25):
    """``steps`` steps of ``make(lib.optim)`` on sum(A p^2 / 2 + B p + sin(p)) (two
    parameter groups, the second with its own lr); returns the parameters."""
    t = tf if lib == "tinyflow" else torch
    mod = optim if lib == "tinyflow" else torch.optim
    p = t.tensor(START.copy(), dtype=t.float64, requires_grad=True)
    q = t.tensor(START[0].copy() * 0.5, dtype=t.float64, requires_grad=True)
    opt = make(mod, [{"params": [p]}, {"params": [q], "lr": 0.05}])
    for _ in range(steps):
        opt.zero_grad()
        loss = (t.tensor(A) * p * p / 2 + t.tensor(B) * p + p.sin()).sum() + (q * q * q).sum()
        loss.backward()
        opt.step()
    return [p.detach().numpy(), q.detach().numpy()]


OPTIMIZERS = [
    lambda o, ps: o.SGD(ps, lr=0.1),
    lambda o, ps: o.SGD(ps, lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01),
    lambda o, ps: o.SGD(ps, lr=0.1, momentum=0.9, nesterov=True, maximize=True),
    lambda o, ps: o.Adam(ps, lr=0.05),
    lambda o, ps: o.Adam(ps, lr=0.05, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1, amsgrad=True),
    lambda o, ps: o.Adam(ps, lr=0.05, weight_decay=0.1, decoupled_weight_decay=True),
    lambda o, ps: o.AdamW(ps, lr=0.05, maximize=True),
    lambda o, ps: o.RMSprop(ps, lr=0.01),
    lambda o, ps: o.RMSprop(ps, lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.1),
    lambda o, ps: o.Adagrad(ps),
    lambda o, ps: o.Adagrad(ps, lr=0.1, lr_decay=0.01, weight_decay=0.1,
                            initial_accumulator_value=0.5, eps=1e-6),
    lambda o, ps: o.Adagrad(ps, lr=0.1, maximize=True),
    lambda o, ps: o.Adadelta(ps),
    lambda o, ps: o.Adadelta(ps, lr=0.5, rho=0.8, eps=1e-4, weight_decay=0.1),
    lambda o, ps: o.Adadelta(ps, maximize=True, foreach=False),
]


@pytest.mark.parametrize("make", OPTIMIZERS, ids=range(len(OPTIMIZERS)))
def test_parameters_after_many_steps_match(make):
    ours, theirs = _train("tinyflow", make), _train("torch", make)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta"])
def test_defaults_and_repr_match(name):
    p, pt = tf.zeros(2, requires_grad=True), torch.zeros(2, requires_grad=True)
    ours, theirs = getattr(optim, name)([p]), getattr(torch.optim, name)([pt])
    assert ours.defaults == theirs.defaults
    assert [type(v) for v in ours.defaults.values()] == [type(v) for v in theirs.defaults.values()]
    assert repr(ours) == repr(theirs)
    strip = ("params",)
    assert [{k: v for k, v in g.items() if k not in strip} for g in ours.param_groups] == \
        [{k: v for k, v in g.items() if k not in strip} for g in theirs.param_groups]


def test_named_parameters_keep_their_names():
    ours = optim.SGD(nn.Linear(2, 1).named_parameters(), lr=0.1)
    theirs = torch.optim.SGD(torch.nn.Linear(2, 1).named_parameters(), lr=0.1)
    assert ours.param_groups[0]["param_names"] == theirs.param_groups[0]["param_names"]


BAD = [
    lambda o, m: o.SGD(m.parameters, lr=0.1),
    lambda o, m: o.SGD(5, lr=0.1),
    lambda o, m: o.SGD(None, lr=0.1),
    lambda o, m: o.SGD([], lr=0.1),
    lambda o, m: o.SGD(m.weight, lr=0.1),
    lambda o, m: o.SGD(m.parameters(), lr=-1),
    lambda o, m: o.SGD(m.parameters(), lr="0.1"),
    lambda o, m: o.SGD(m.parameters(), lr=0.1, momentum=-1),
    lambda o, m: o.SGD(m.parameters(), lr=0.1, nesterov=True),
    lambda o, m: o.Adam(m.parameters(), weight_decay=-1),
    lambda o, m: o.Adam(m.parameters(), eps=-1),
    lambda o, m: o.Adam(m.parameters(), betas=(1.0, 0.9)),
    lambda o, m: o.Adam(m.parameters(), betas=(0.9, -0.1)),
    lambda o, m: o.RMSprop(m.parameters(), alpha=-1),
    lambda o, m: o.Adadelta(m.parameters(), rho=1.5),
    lambda o, m: o.Adagrad(m.parameters(), lr_decay=-1),
    lambda o, m: o.Adagrad(m.parameters(), initial_accumulator_value=-1),
    lambda o, m: o.SGD([{"params": [m.weight]}, {"params": [m.weight]}], lr=0.1),
]


@pytest.mark.parametrize("call", BAD, ids=range(len(BAD)))
def test_bad_arguments_raise_pytorchs_error_type(call):
    with pytest.raises(Exception) as theirs:
        call(torch.optim, torch.nn.Linear(2, 1))
    with pytest.raises(Exception) as ours:
        call(optim, nn.Linear(2, 1))
    assert ours.type is theirs.type, f"tinyflow raised {ours.value!r}, PyTorch {theirs.value!r}"


def test_accepted_oddities_are_accepted():
    for call in (lambda o, p: o.RMSprop(p, alpha=2), lambda o, p: o.Adadelta(p, rho=1.0)):
        assert call(optim, [tf.zeros(1, requires_grad=True)]).defaults == \
            call(torch.optim, [torch.zeros(1, requires_grad=True)]).defaults


# --- schedulers ----------------------------------------------------------------------------

def _lrs(lib, make, epochs=120, metrics=None):
    t = tf if lib == "tinyflow" else torch
    mod = optim if lib == "tinyflow" else torch.optim
    p = t.zeros(1, requires_grad=True)
    q = t.zeros(1, requires_grad=True)
    opt = mod.SGD([{"params": [p]}, {"params": [q], "lr": 0.3}], lr=0.1)
    sched = make(mod.lr_scheduler, opt)
    out = []
    for epoch in range(epochs):
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[epoch])
        out.append(list(sched.get_last_lr()) + [g["lr"] for g in opt.param_groups])
    return np.array(out), sched


SCHEDULERS = [
    lambda s, o: s.StepLR(o, step_size=7, gamma=0.5),
    lambda s, o: s.ExponentialLR(o, gamma=0.95),
    lambda s, o: s.MultiStepLR(o, milestones=[10, 30, 30, 80], gamma=0.3),
    lambda s, o: s.LambdaLR(o, lambda e: 0.97 ** e * (1 + e % 3)),
    lambda s, o: s.LambdaLR(o, [lambda e: 1 / (e + 1), lambda e: math.cos(e) ** 2]),
    lambda s, o: s.CosineAnnealingLR(o, T_max=25),
    lambda s, o: s.CosineAnnealingLR(o, T_max=10, eta_min=0.01),
]


@pytest.mark.parametrize("make", SCHEDULERS, ids=range(len(SCHEDULERS)))
def test_schedules_match_over_many_epochs(make):
    ours, sched = _lrs("tinyflow", make)
    theirs, tsched = _lrs("torch", make)
    np.testing.assert_allclose(ours, theirs, rtol=1e-13, atol=0)
    assert sorted(sched.state_dict()) == sorted(tsched.state_dict())


def test_two_schedulers_on_one_optimizer_chain_as_in_pytorch():
    both = lambda s, o: [s.ExponentialLR(o, 0.9), s.StepLR(o, 3, 0.5)]  # noqa: E731

    def run(lib):
        t, mod = (tf, optim) if lib == "tinyflow" else (torch, torch.optim)
        opt = mod.SGD([t.zeros(1, requires_grad=True)], lr=1.0)
        scheds, lrs = both(mod.lr_scheduler, opt), []
        for _ in range(20):
            opt.step()
            for s in scheds:
                s.step()
            lrs.append(opt.param_groups[0]["lr"])
        return lrs
    np.testing.assert_allclose(run("tinyflow"), run("torch"), rtol=1e-13)


PLATEAUS = [
    dict(),
    dict(mode="max", factor=0.5, patience=2, threshold=0.1, threshold_mode="abs", cooldown=3),
    dict(patience=0, min_lr=[0.02, 0.001], eps=1e-3),
    dict(factor=0.7, patience=1, threshold=0.05, cooldown=1, min_lr=0.005),
]


@pytest.mark.parametrize("kwargs", PLATEAUS, ids=range(len(PLATEAUS)))
def test_reduce_lr_on_plateau_matches(kwargs):
    metrics = list(np.concatenate([np.linspace(1, 0.5, 10), np.full(15, 0.5),
                                   0.5 + 0.01 * np.sin(np.arange(40)), np.linspace(0.5, 0.2, 15)]))
    make = lambda s, o: s.ReduceLROnPlateau(o, **kwargs)  # noqa: E731
    ours, sched = _lrs("tinyflow", make, epochs=len(metrics), metrics=metrics)
    theirs, tsched = _lrs("torch", make, epochs=len(metrics), metrics=metrics)
    np.testing.assert_allclose(ours, theirs, rtol=1e-13, atol=0)
    assert sorted(sched.state_dict()) == sorted(tsched.state_dict())


def test_scheduler_before_optimizer_step_warns_as_in_pytorch():
    opt = optim.SGD([tf.zeros(1, requires_grad=True)], lr=1.0)
    sched = optim.lr_scheduler.StepLR(opt, 2)
    with pytest.warns(UserWarning, match=r"Detected call of `lr_scheduler.step\(\)` before"):
        sched.step()


# --- nn.utils ---------------------------------------------------------------------------------

def _grads(lib):
    t = tf if lib == "tinyflow" else torch
    rng = np.random.default_rng(5)
    ps = [t.tensor(rng.standard_normal(s), dtype=t.float64, requires_grad=True)
          for s in [(3, 4), (4,), (2, 2, 2)]]
    (sum((p * p * p).sum() for p in ps)).backward()
    ps.append(t.zeros(2, dtype=t.float64, requires_grad=True))        # no grad: left alone
    return ps


@pytest.mark.parametrize("norm_type", [2.0, 1, 3.0, 0.5, math.inf, "inf", -math.inf, 0])
@pytest.mark.parametrize("max_norm", [1.0, 1e6])
def test_clip_grad_norm_matches(norm_type, max_norm):
    ours, theirs = _grads("tinyflow"), _grads("torch")
    a = utils.clip_grad_norm_(ours, max_norm, norm_type=norm_type)
    b = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type=norm_type)
    assert isinstance(a, tf.Tensor) and a.shape == () and a.dtype == np.float64
    np.testing.assert_allclose(a.item(), b.item(), rtol=1e-12)
    for p, q in zip(ours[:3], theirs[:3]):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-12)
    assert ours[3].grad is None


def test_clip_grad_value_and_vector_round_trip_match():
    ours, theirs = _grads("tinyflow"), _grads("torch")
    utils.clip_grad_value_(ours, 0.7)
    torch.nn.utils.clip_grad_value_(theirs, 0.7)
    for p, q in zip(ours[:3], theirs[:3]):
        np.testing.assert_array_equal(p.grad.numpy(), q.grad.numpy())
    v, vt = utils.parameters_to_vector(ours), torch.nn.utils.parameters_to_vector(theirs)
    np.testing.assert_array_equal(v.detach().numpy(), vt.detach().numpy())
    utils.vector_to_parameters(v * 2, ours)
    torch.nn.utils.vector_to_parameters(vt * 2, theirs)
    for p, q in zip(ours, theirs):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())
    with pytest.raises(TypeError), warnings.catch_warnings():
        torch.nn.utils.vector_to_parameters([1.0], theirs)
    with pytest.raises(TypeError):
        utils.vector_to_parameters([1.0], ours)
