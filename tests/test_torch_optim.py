"""Adagrad, Adadelta, the shared hyper-parameter checks, ``defaults`` as PyTorch
stores them, and the schedulers, without PyTorch: numpy references of the
documented update rules and closed-form schedules. (test_torch_optim_vs_pytorch.py
compares with PyTorch itself where it is installed.)
"""
import math

import numpy as np
import pytest

import tinyflow as tf
import tinyflow.nn as nn
from tinyflow import optim
from tinyflow.optim import lr_scheduler as S

A = np.array([[0.5, 2.0, -1.0], [1.5, 0.3, 0.8]])
B = np.array([[0.1, -0.4, 0.2], [0.0, 0.7, -0.3]])
START = np.array([[1.0, -2.0, 0.5], [0.3, 0.9, -1.2]])
STEPS = 8


def _run(make):
    p = nn.Parameter(START.copy())
    opt = make([p])
    for _ in range(STEPS):
        opt.zero_grad()
        (A * p * p / 2 + B * p).sum().backward()
        opt.step()
    return p.detach().numpy()


def adagrad_reference(lr=0.01, lr_decay=0.0, weight_decay=0.0, init=0.0, eps=1e-10, sign=1):
    p, s = START.copy(), np.full_like(START, init)
    for t in range(1, STEPS + 1):
        g = sign * (A * p + B) + weight_decay * p
        s = s + g * g
        p = p - lr / (1 + (t - 1) * lr_decay) * g / (np.sqrt(s) + eps)
    return p


def adadelta_reference(lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
    p, v, u = START.copy(), np.zeros_like(START), np.zeros_like(START)
    for _ in range(STEPS):
        g = A * p + B + weight_decay * p
        v = rho * v + (1 - rho) * g * g
        delta = np.sqrt(u + eps) / np.sqrt(v + eps) * g
        u = rho * u + (1 - rho) * delta * delta
        p = p - lr * delta
    return p


@pytest.mark.parametrize("kwargs", [dict(), dict(lr=0.1, lr_decay=0.05),
                                    dict(lr=0.1, weight_decay=0.2, initial_accumulator_value=0.3,
                                         eps=1e-4)], ids=["default", "lr_decay", "all"])
def test_adagrad_follows_its_update_rule(kwargs):
    ref = dict(kwargs)
    ref["init"] = ref.pop("initial_accumulator_value", 0.0)
    np.testing.assert_allclose(_run(lambda ps: optim.Adagrad(ps, **kwargs)),
                               adagrad_reference(**ref), rtol=1e-12)


def test_adagrad_state_exists_from_the_start():
    p = nn.Parameter(np.zeros(2))
    opt = optim.Adagrad([p], initial_accumulator_value=0.5)
    assert opt.state_dict()["state"][0]["step"] == 0
    np.testing.assert_array_equal(opt.state[p]["sum"], [0.5, 0.5])


@pytest.mark.parametrize("kwargs", [dict(), dict(lr=0.5, rho=0.8, eps=1e-4, weight_decay=0.1)],
                         ids=["default", "all"])
def test_adadelta_follows_its_update_rule(kwargs):
    np.testing.assert_allclose(_run(lambda ps: optim.Adadelta(ps, **kwargs)),
                               adadelta_reference(**kwargs), rtol=1e-12)


def test_maximize_climbs_instead():
    np.testing.assert_allclose(_run(lambda ps: optim.Adagrad(ps, lr=0.1, maximize=True)),
                               adagrad_reference(lr=0.1, sign=-1), rtol=1e-12)
    up = _run(lambda ps: optim.SGD(ps, lr=0.01, maximize=True))
    down = _run(lambda ps: optim.SGD(ps, lr=0.01))
    loss = lambda p: (A * p * p / 2 + B * p).sum()  # noqa: E731
    assert loss(up) > loss(START) > loss(down)


def test_defaults_are_stored_as_pytorch_stores_them():
    p = [tf.zeros(1, requires_grad=True)]
    assert optim.SGD(p).defaults == {"lr": 0.001, "momentum": 0, "dampening": 0,
                                     "weight_decay": 0, "nesterov": False, "maximize": False,
                                     "foreach": None, "differentiable": False, "fused": None}
    assert type(optim.Adam(p).defaults["weight_decay"]) is int
    assert optim.Adadelta(p).defaults == {"lr": 1.0, "rho": 0.9, "eps": 1e-06, "weight_decay": 0,
                                          "maximize": False, "capturable": False,
                                          "foreach": None, "differentiable": False}
    assert optim.AdamW(p).defaults["decoupled_weight_decay"] is True


@pytest.mark.parametrize("call, error, message", [
    (lambda p: optim.Adagrad(p, lr=-0.1), ValueError, r"Adagrad: Invalid learning rate: -0.1"),
    (lambda p: optim.Adadelta(p, rho=1.5), ValueError, r"Adadelta: Invalid rho value: 1.5"),
    (lambda p: optim.Adagrad(p, lr_decay=-1), ValueError, r"Adagrad: Invalid lr_decay value"),
    (lambda p: optim.RMSprop(p, eps=-1), ValueError, r"RMSprop: Invalid epsilon value: -1"),
    (lambda p: optim.SGD(p, momentum=-0.5), ValueError, r"SGD: Invalid momentum value"),
    (lambda p: optim.AdamW(p, betas=(0.9, 1.0)), ValueError,
     r"AdamW: Invalid beta parameter at index 1: 1.0"),
    (lambda p: optim.Adam(p, lr="0.1"), TypeError, r"Adam: lr must be a number, got str"),
    (lambda p: optim.SGD([{"params": p, "lr": -1}], lr=0.1), ValueError,
     r"SGD: Invalid learning rate: -1"),
    (lambda p: optim.Adam(p, differentiable=True), NotImplementedError, "differentiable=True"),
], ids=range(9))
def test_one_shared_check_names_the_optimizer_and_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call([tf.zeros(1, requires_grad=True)])


def test_an_uncalled_parameters_method_is_a_type_error_that_says_to_call_it():
    model = nn.Linear(2, 1)
    for name in ("SGD", "Adam", "Adagrad", "Adadelta", "RMSprop", "AdamW"):
        with pytest.raises(TypeError, match=rf"{name}: params must be an iterable .* call it, "
                                            rf"e.g. {name}\(model.parameters\(\), ...\)"):
            getattr(optim, name)(model.parameters)
    with pytest.raises(TypeError, match="SGD: params must be an iterable of Tensors or of dicts, "
                                        "but got int"):
        optim.SGD(3, lr=0.1)


# --- schedulers ------------------------------------------------------------------------------

def _lrs(make, epochs, lr=0.1):
    opt = optim.SGD([tf.zeros(1, requires_grad=True)], lr=lr)
    sched = make(opt)
    out = []
    for _ in range(epochs):
        opt.step()
        sched.step()
        out.append(sched.get_last_lr()[0])
        assert opt.param_groups[0]["lr"] == out[-1]
    return out


def test_closed_forms():
    np.testing.assert_allclose(_lrs(lambda o: S.ExponentialLR(o, 0.9), 60),
                               [0.1 * 0.9 ** e for e in range(1, 61)], rtol=1e-12)
    np.testing.assert_allclose(_lrs(lambda o: S.MultiStepLR(o, [3, 5, 5]), 8),
                               [0.1, 0.1, 1e-2, 1e-2, 1e-4, 1e-4, 1e-4, 1e-4], rtol=1e-12)
    np.testing.assert_allclose(_lrs(lambda o: S.LambdaLR(o, lambda e: 1 / (1 + e)), 5),
                               [0.1 / (1 + e) for e in range(1, 6)], rtol=1e-12)
    cos = _lrs(lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.01), 40)
    np.testing.assert_allclose(cos, [0.01 + 0.09 * (1 + math.cos(math.pi * e / 10)) / 2
                                     for e in range(1, 41)], rtol=1e-10, atol=1e-15)


def test_step_with_an_epoch_jumps_with_the_closed_form_and_warns():
    opt = optim.SGD([tf.zeros(1, requires_grad=True)], lr=1.0)
    sched = S.ExponentialLR(opt, 0.5)
    opt.step()
    with pytest.warns(UserWarning, match="epoch parameter in `scheduler.step\\(\\)`"):
        sched.step(4)
    assert sched.get_last_lr() == [0.0625]


def test_reduce_lr_on_plateau_by_hand():
    opt = optim.SGD([tf.zeros(1, requires_grad=True)], lr=1.0)
    sched = S.ReduceLROnPlateau(opt, factor=0.5, patience=1, cooldown=1, min_lr=0.2)
    lrs = []
    for loss in [1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9]:
        sched.step(tf.tensor(loss))
        lrs.append(sched.get_last_lr()[0])
    # two bad epochs reduce; then one epoch of cooldown, two more bad ones; min_lr floors it
    assert lrs == [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25]
    sched.step(0.1)
    sched.step(0.1)
    sched.step(0.1)
    assert sched.get_last_lr() == [0.2]
    with pytest.raises(ValueError, match="Factor should be < 1.0"):
        S.ReduceLROnPlateau(opt, factor=1.0)
    with pytest.raises(ValueError, match="mode 'low' is unknown"):
        S.ReduceLROnPlateau(opt, mode="low")


def test_lambda_lr_state_dict_leaves_functions_out():
    opt = optim.SGD([tf.zeros(1, requires_grad=True)], lr=1.0)
    sched = S.LambdaLR(opt, lambda e: 0.5 ** e)
    state = sched.state_dict()
    assert state["lr_lambdas"] == [None] and "optimizer" not in state
    opt.step()
    sched.step()
    sched.load_state_dict(state)
    assert sched.last_epoch == 0
