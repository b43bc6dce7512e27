"""Optimizers against their textbook update rules (PyTorch's documented
pseudo-code, written again here in plain numpy), param groups, state dicts and
learning-rate schedules."""
import math

import numpy as np
import pytest

import tinyflow as tf
import tinyflow.nn as nn
from tinyflow import optim
from tinyflow.optim.lr_scheduler import CosineAnnealingLR, StepLR

STEPS = 6
A = np.array([[0.5, 2.0, -1.0], [1.5, 0.3, 0.8]])
B = np.array([[0.1, -0.4, 0.2], [0.0, 0.7, -0.3]])


def _grad(p):
    """The gradient of the test loss sum(A * p**2 / 2 + B * p) (a varying gradient)."""
    return A * p + B


def _run(make_opt):
    """Take STEPS optimizer steps with gradients from a real backward pass."""
    p = nn.Parameter(np.array([[1.0, -2.0, 0.5], [0.3, 0.9, -1.2]]))
    opt = make_opt([p])
    for _ in range(STEPS):
        opt.zero_grad()
        (A * p * p / 2 + B * p).sum().backward()
        opt.step()
    return p.array


def _start():
    return np.array([[1.0, -2.0, 0.5], [0.3, 0.9, -1.2]])


def sgd_reference(lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
    p, b = _start(), None
    for t in range(1, STEPS + 1):
        g = _grad(p)
        if weight_decay:
            g = g + weight_decay * p
        if momentum:
            b = g if t == 1 else momentum * b + (1 - dampening) * g
            g = g + momentum * b if nesterov else b
        p = p - lr * g
    return p


def adam_reference(lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False,
                   decoupled=False):
    p = _start()
    m, v, vmax = np.zeros_like(p), np.zeros_like(p), np.zeros_like(p)
    b1, b2 = betas
    for t in range(1, STEPS + 1):
        g = _grad(p)
        if decoupled:
            p = p * (1 - lr * weight_decay)
        elif weight_decay:
            g = g + weight_decay * p
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g ** 2
        m_hat = m / (1 - b1 ** t)
        if amsgrad:
            vmax = np.maximum(vmax, v)
            v_hat = vmax / (1 - b2 ** t)
        else:
            v_hat = v / (1 - b2 ** t)
        p = p - lr * m_hat / (np.sqrt(v_hat) + eps)
    return p


def rmsprop_reference(lr, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False):
    p = _start()
    v, gavg, b = np.zeros_like(p), np.zeros_like(p), np.zeros_like(p)
    for _ in range(STEPS):
        g = _grad(p)
        if weight_decay:
            g = g + weight_decay * p
        v = alpha * v + (1 - alpha) * g ** 2
        vt = v
        if centered:
            gavg = alpha * gavg + (1 - alpha) * g
            vt = v - gavg ** 2
        if momentum > 0:
            b = momentum * b + g / (np.sqrt(vt) + eps)
            p = p - lr * b
        else:
            p = p - lr * g / (np.sqrt(vt) + eps)
    return p


@pytest.mark.parametrize("kw", [
    dict(lr=0.1),
    dict(lr=0.1, momentum=0.9),
    dict(lr=0.05, momentum=0.8, dampening=0.3),
    dict(lr=0.05, momentum=0.9, nesterov=True),
    dict(lr=0.1, momentum=0.5, weight_decay=0.1),
])
def test_sgd_follows_its_textbook_rule(kw):
    np.testing.assert_allclose(_run(lambda ps: optim.SGD(ps, **kw)), sgd_reference(**kw),
                               rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("kw", [
    dict(lr=0.1),
    dict(lr=0.05, betas=(0.8, 0.9), eps=1e-6),
    dict(lr=0.1, weight_decay=0.1),
    dict(lr=0.1, amsgrad=True),
])
def test_adam_follows_its_textbook_rule(kw):
    np.testing.assert_allclose(_run(lambda ps: optim.Adam(ps, **kw)), adam_reference(**kw),
                               rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("kw", [dict(lr=0.1), dict(lr=0.1, weight_decay=0.5, amsgrad=True)])
def test_adamw_follows_its_textbook_rule(kw):
    kw.setdefault("weight_decay", 0.01)
    np.testing.assert_allclose(_run(lambda ps: optim.AdamW(ps, **kw)),
                               adam_reference(decoupled=True, **kw), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("kw", [
    dict(lr=0.01),
    dict(lr=0.01, alpha=0.9, centered=True),
    dict(lr=0.01, momentum=0.9),
    dict(lr=0.01, momentum=0.5, centered=True, weight_decay=0.1),
])
def test_rmsprop_follows_its_textbook_rule(kw):
    np.testing.assert_allclose(_run(lambda ps: optim.RMSprop(ps, **kw)), rmsprop_reference(**kw),
                               rtol=1e-12, atol=1e-14)


def test_updates_change_the_parameter_in_place_without_recording():
    p = nn.Parameter(np.ones(3, np.float32))
    data = p.array
    opt = optim.Adam([p], lr=0.1)
    (p * 2).sum().backward()
    opt.step()
    assert p.array is data and p.dtype == np.float32
    assert p.is_leaf and p.grad_fn is None
    assert opt.state[p]["exp_avg"].dtype == np.float32


def test_adam_trains_a_small_regression():
    X = tf.randn(64, 3)
    y = X @ tf.tensor([[1.0], [-2.0], [0.5]]) + 0.3
    model = nn.Linear(3, 1)
    opt = optim.Adam(model.parameters(), lr=0.1)
    for _ in range(200):
        opt.zero_grad()
        loss = nn.MSELoss()(model(X), y)
        loss.backward()
        opt.step()
    assert loss.item() < 1e-4


def test_param_groups_have_their_own_learning_rates():
    model = nn.Linear(2, 1)
    opt = optim.SGD([{"params": [model.weight]}, {"params": model.bias, "lr": 1.0}], lr=0.1)
    w, b = model.weight.array.copy(), model.bias.array.copy()
    model(tf.ones(1, 2)).sum().backward()
    opt.step()
    np.testing.assert_allclose(model.weight.array, w - 0.1 * 1.0, rtol=1e-6)
    np.testing.assert_allclose(model.bias.array, b - 1.0 * 1.0, rtol=1e-6)
    assert opt.param_groups[1]["momentum"] == 0.0
    opt.add_param_group({"params": [nn.Parameter(np.zeros(2, np.float32))], "lr": 5.0})
    assert [g["lr"] for g in opt.param_groups] == [0.1, 1.0, 5.0]


def test_parameters_without_a_gradient_are_left_alone():
    a, b = nn.Parameter(np.ones(2)), nn.Parameter(np.ones(2))
    opt = optim.SGD([a, b], lr=0.5, momentum=0.9)
    (a * 2).sum().backward()
    opt.step()
    np.testing.assert_array_equal(b.array, [1.0, 1.0])
    assert b not in opt.state and a in opt.state


def test_zero_grad_to_none_or_zeros():
    p = nn.Parameter(np.ones(2))
    opt = optim.SGD([p], lr=0.1)
    (p * 3).sum().backward()
    opt.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(p.grad.array, [0.0, 0.0])
    opt.zero_grad()
    assert p.grad is None


@pytest.mark.parametrize("make", [
    lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9),
    lambda ps: optim.Adam(ps, lr=0.1, amsgrad=True),
    lambda ps: optim.RMSprop(ps, lr=0.01, momentum=0.5, centered=True),
])
def test_state_dict_round_trip_continues_identically(make):
    def train(model, opt, steps):
        for i in range(steps):
            opt.zero_grad()
            model(tf.ones(2, 3) * (i + 1)).pow(2).sum().backward()
            opt.step()

    tf.manual_seed(1)
    a = nn.Linear(3, 2)
    opt_a = make(list(a.parameters()))
    train(a, opt_a, 3)
    b = nn.Linear(3, 2)
    b.load_state_dict(a.state_dict())
    opt_b = make(list(b.parameters()))
    sd = opt_a.state_dict()
    assert sorted(sd) == ["param_groups", "state"] and sd["param_groups"][0]["params"] == [0, 1]
    opt_b.load_state_dict(sd)
    train(a, opt_a, 2)
    train(b, opt_b, 2)
    np.testing.assert_array_equal(a.weight.array, b.weight.array)


def test_state_dict_is_a_copy():
    p = nn.Parameter(np.ones(2))
    opt = optim.Adam([p], lr=0.1)
    (p * 2).sum().backward()
    opt.step()
    sd = opt.state_dict()
    opt.step()
    assert sd["state"][0]["step"] == 1 and opt.state[p]["step"] == 2


def test_optimizer_errors():
    p = nn.Parameter(np.ones(2))
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="got a single Tensor"):
        optim.SGD(p, lr=0.1)
    with pytest.raises(ValueError, match="more than one parameter group"):
        optim.SGD([{"params": [p]}, {"params": [p]}], lr=0.1)
    with pytest.raises(ValueError, match="non-leaf"):
        optim.SGD([p * 2], lr=0.1)
    with pytest.raises(TypeError, match="can only optimize Tensors"):
        optim.SGD([np.ones(2)], lr=0.1)
    with pytest.raises(ValueError, match="Invalid learning rate: -1"):
        optim.Adam([p], lr=-1)
    with pytest.raises(ValueError, match="Nesterov"):
        optim.SGD([p], lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="Invalid beta"):
        optim.Adam([p], betas=(1.0, 0.9))
    opt = optim.SGD([p], lr=0.1)
    with pytest.raises(ValueError, match="loaded state dict has 2 parameter groups, but the "
                                         "optimizer has 1"):
        opt.load_state_dict({"state": {}, "param_groups": [{"params": [0]}, {"params": [1]}]})
    with pytest.raises(ValueError, match="group 0 of 2 parameters"):
        opt.load_state_dict({"state": {}, "param_groups": [{"params": [0, 1]}]})


def test_step_with_a_closure_returns_the_loss():
    p = nn.Parameter(np.array([2.0]))
    opt = optim.SGD([p], lr=0.25)

    def closure():
        opt.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    assert opt.step(closure).item() == 4.0
    np.testing.assert_allclose(p.array, [1.0])


# --- schedules ---------------------------------------------------------------------------

def _lrs(make_sched, epochs, lr=1.0):
    opt = optim.SGD([nn.Parameter(np.zeros(1))], lr=lr)
    sched = make_sched(opt)
    out = []
    for _ in range(epochs):
        out.append(opt.param_groups[0]["lr"])
        assert sched.get_last_lr() == [out[-1]]
        opt.step()
        sched.step()
    return out


def test_step_lr():
    got = _lrs(lambda o: StepLR(o, step_size=3, gamma=0.5), 8, lr=0.4)
    np.testing.assert_allclose(got, [0.4 * 0.5 ** (e // 3) for e in range(8)])


def test_cosine_annealing_lr():
    got = _lrs(lambda o: CosineAnnealingLR(o, T_max=10, eta_min=0.01), 11, lr=0.1)
    expected = [0.01 + 0.09 * (1 + math.cos(math.pi * e / 10)) / 2 for e in range(11)]
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert got[-1] == pytest.approx(0.01)


def test_schedulers_set_every_group_and_restore_from_state_dict():
    opt = optim.SGD([{"params": [nn.Parameter(np.zeros(1))], "lr": 1.0},
                     {"params": [nn.Parameter(np.zeros(1))], "lr": 0.1}], lr=0.5)
    sched = StepLR(opt, step_size=1, gamma=0.1)
    sched.step()
    np.testing.assert_allclose(sched.get_last_lr(), [0.1, 0.01])
    state = sched.state_dict()
    assert "optimizer" not in state
    opt2 = optim.SGD([{"params": [nn.Parameter(np.zeros(1))], "lr": 1.0},
                      {"params": [nn.Parameter(np.zeros(1))], "lr": 0.1}], lr=0.5)
    sched2 = StepLR(opt2, step_size=1, gamma=0.1)
    sched2.load_state_dict(state)
    sched2.step()
    # PyTorch's schedulers chain from each group's current lr (opt2's are still 1.0 and
    # 0.1): the restored step counter, not the old lrs, is what load_state_dict brings
    np.testing.assert_allclose(sched2.get_last_lr(), [0.1, 0.01])
    with pytest.raises(ValueError, match="step_size must be a positive integer"):
        StepLR(opt, step_size=0)
