"""Module hooks: forward pre/post hooks and full backward (pre-)hooks, with removal."""
import numpy as np
import pytest

import tinyflow as tf
import tinyflow.nn as nn


class Mix(nn.Module):
    """A module with two tensor inputs."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(tf.tensor([1.0, 2.0, 3.0], dtype=tf.float64))

    def forward(self, a, b):
        return (a * self.w + b * b).tanh()


def _inputs():
    a = tf.tensor([[0.1, 0.2, 0.3], [0.4, -0.5, 0.6]], dtype=tf.float64, requires_grad=True)
    b = tf.tensor([[1.0, -1.0, 0.5], [0.2, 0.3, -0.4]], dtype=tf.float64, requires_grad=True)
    return a, b


def test_full_backward_hook_reports_grad_input_and_grad_output_for_several_inputs():
    m = Mix()
    seen = []
    m.register_full_backward_hook(lambda mod, gi, go: seen.append((mod, gi, go)))
    a, b = _inputs()
    v = tf.tensor(np.arange(6.0).reshape(2, 3), dtype=tf.float64)
    (m(a, b) * v).sum().backward()
    assert len(seen) == 1
    mod, grad_input, grad_output = seen[0]
    assert mod is m
    np.testing.assert_allclose(grad_output[0].detach().numpy(), v.detach().numpy())
    # grad_input equals the gradient with respect to each input, computed independently
    a2, b2 = _inputs()
    ga, gb = tf.grad((Mix()(a2, b2) * v).sum(), [a2, b2])
    np.testing.assert_allclose(grad_input[0].detach().numpy(), ga.detach().numpy())
    np.testing.assert_allclose(grad_input[1].detach().numpy(), gb.detach().numpy())
    np.testing.assert_allclose(a.grad.detach().numpy(), ga.detach().numpy())


def test_inputs_without_grad_are_none_in_grad_input():
    m = Mix()
    seen = []
    m.register_full_backward_hook(lambda mod, gi, go: seen.append(gi))
    a, b = _inputs()
    m(a.detach(), b).sum().backward()
    assert seen[0][0] is None and seen[0][1] is not None


def test_backward_pre_hook_can_replace_grad_output():
    lin = nn.Linear(3, 2)
    x = tf.randn(4, 3, requires_grad=True)
    lin(x).sum().backward()
    plain = x.grad.detach().numpy().copy()
    x.grad = None
    h = lin.register_full_backward_pre_hook(lambda mod, go: (go[0] * 2,))
    lin(x).sum().backward()
    np.testing.assert_allclose(x.grad.detach().numpy(), 2 * plain, rtol=1e-6)
    h.remove()
    x.grad = None
    lin(x).sum().backward()
    np.testing.assert_allclose(x.grad.detach().numpy(), plain, rtol=1e-6)


def test_full_backward_hook_can_replace_grad_input_of_a_one_input_module():
    lin = nn.Linear(3, 2)
    x = tf.randn(4, 3, requires_grad=True)
    lin.register_full_backward_hook(lambda mod, gi, go: (tf.zeros_like(gi[0]),))
    lin(x).sum().backward()
    assert np.all(x.grad.detach().numpy() == 0)
    assert lin.weight.grad is not None and np.any(lin.weight.grad.detach().numpy() != 0)


def test_replacing_grad_input_of_a_two_input_module_is_a_clear_error():
    m = Mix()
    m.register_full_backward_hook(lambda mod, gi, go: gi)
    a, b = _inputs()
    with pytest.raises(RuntimeError, match="one tensor input"):
        m(a, b).sum().backward()


def test_forward_hooks_and_removal():
    lin = nn.Linear(3, 2)
    calls = []
    h1 = lin.register_forward_pre_hook(lambda m, args: calls.append("pre"))
    h2 = lin.register_forward_hook(lambda m, args, out: out * 0)
    out = lin(tf.ones(1, 3))
    assert calls == ["pre"] and np.all(out.detach().numpy() == 0)
    h1.remove(), h2.remove()
    assert np.any(lin(tf.ones(1, 3)).detach().numpy() != 0) and calls == ["pre"]


def test_hooks_inside_a_sequential_fire_in_backward_order():
    net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    order = []
    for i, layer in enumerate(net):
        layer.register_full_backward_hook(lambda m, gi, go, i=i: order.append(i))
    net(tf.randn(5, 3, requires_grad=True)).sum().backward()
    assert order == [2, 1, 0]
