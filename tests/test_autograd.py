"""Tape semantics: what the user sees of autograd in eager mode (PyTorch's
rules), second derivatives, and gradcheck itself."""
import re
import sys

import numpy as np
import pytest

import tinyflow as tf
from tinyflow import ops as F
from tinyflow.base.config import Config
from tinyflow.ops import elementwise as E


def f64(data, requires_grad=True):
    return tf.tensor(data, dtype=tf.float64, requires_grad=requires_grad)


# --- leaves, grad_fn, .grad ----------------------------------------------------------

def test_leaves_and_non_leaves():
    x = tf.tensor([1.0, 2.0], requires_grad=True)
    c = tf.tensor([3.0, 4.0])
    y = x * c
    assert x.is_leaf and c.is_leaf and not y.is_leaf
    assert x.grad_fn is None and y.grad_fn is not None
    assert y.requires_grad and not c.requires_grad
    assert not (c * 2).requires_grad and (c * 2).grad_fn is None
    y.sum().backward()
    assert isinstance(x.grad, tf.Tensor)
    assert x.grad.tolist() == [3.0, 4.0]
    assert y.grad is None and c.grad is None       # non-leaves keep no grad unless retained


def test_grad_fn_names_the_op_and_links_its_inputs():
    x = tf.tensor([1.0, 2.0], requires_grad=True)
    w = tf.tensor([3.0, 4.0], requires_grad=True)
    h = x * w
    y = h.exp().sum()
    assert y.grad_fn.name() == "SumBackward0"
    (exp_fn, _), = y.grad_fn.next_functions
    assert exp_fn.name() == "ExpBackward0"
    (mul_fn, _), = exp_fn.next_functions
    assert mul_fn is h.grad_fn and mul_fn.name() == "MulBackward0"
    leaves = [f.variable for f, _ in mul_fn.next_functions]
    assert leaves[0] is x and leaves[1] is w


def test_grad_accumulates_across_backward_calls():
    x = tf.tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    first = x.grad
    (x * 3).sum().backward()
    assert x.grad.tolist() == [5.0, 7.0]
    assert first.tolist() == [5.0, 7.0]        # accumulated into the same tensor, as in PyTorch
    x.grad = None
    (x * 3).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]
    x.grad.zero_()
    assert x.grad.tolist() == [0.0, 0.0]


def test_grad_of_a_leaf_used_twice_adds_up():
    x = tf.tensor(3.0, requires_grad=True)
    (x * x + x).backward()
    assert x.grad.item() == 7.0


def test_retain_grad_keeps_a_non_leaf_gradient():
    x = tf.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    h.retain_grad()
    assert h.retains_grad
    (h * h).sum().backward()
    assert h.grad.tolist() == [4.0, 8.0]
    assert x.grad.tolist() == [8.0, 16.0]


def test_retained_and_leaf_gradients_are_separate_buffers():
    # The same gradient array reaches a retained non-leaf and a leaf; accumulating
    # into one must not change the other.
    x = tf.tensor([1.0, 2.0], requires_grad=True)
    h = x.clone()
    h.retain_grad()
    h.backward(gradient=tf.ones(2), retain_graph=True)
    h.backward(gradient=tf.ones(2))
    assert h.grad.tolist() == [2.0, 2.0]
    assert x.grad.tolist() == [2.0, 2.0]


def test_create_graph_gradients_are_separate_tensors():
    a = tf.tensor([1.0, 2.0], requires_grad=True)
    b = tf.tensor([1.0, 2.0], requires_grad=True)
    (a + b).sum().backward(create_graph=True)
    assert a.grad is not b.grad
    with tf.no_grad():
        a.grad += 1
    assert b.grad.tolist() == [1.0, 1.0]


def test_leaf_gradients_do_not_share_memory():
    a = tf.tensor([1.0, 2.0], requires_grad=True)
    b = tf.tensor([1.0, 2.0], requires_grad=True)
    g = tf.ones(2)
    (a + b).backward(gradient=g)
    a.grad += 1
    assert b.grad.tolist() == [1.0, 1.0] and g.tolist() == [1.0, 1.0]


def test_detach_cuts_the_tape_and_shares_memory():
    x = tf.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    d = y.detach()
    assert not d.requires_grad and d.is_leaf and d.grad_fn is None
    assert np.shares_memory(d.detach().numpy(), y.detach().numpy())
    (y * d).sum().backward()                    # d counts as a constant
    assert x.grad.tolist() == [4.0, 8.0]


def test_requires_grad_():
    x = tf.tensor([1.0, 2.0])
    assert x.requires_grad_() is x and x.requires_grad
    (x * x).sum().backward()
    assert x.grad.tolist() == [2.0, 4.0]
    x.requires_grad_(False)
    assert not (x * x).requires_grad
    with pytest.raises(RuntimeError, match="leaf"):
        (tf.ones(2, requires_grad=True) * 2).requires_grad_(False)


def test_clone_stays_on_the_tape():
    x = tf.tensor([1.0, 2.0], requires_grad=True)
    c = x.clone()
    assert c.grad_fn is not None and not np.shares_memory(c.detach().numpy(), x.detach().numpy())
    (c * 3).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_integer_casts_are_constants():
    x = tf.tensor([1.5, 2.5], requires_grad=True)
    i = x.long()
    assert i.dtype == tf.int64 and not i.requires_grad and i.grad_fn is None
    # a float cast does carry the gradient, back in the input's dtype
    (x.double() * 2).sum().backward()
    assert x.grad.dtype == tf.float32 and x.grad.tolist() == [2.0, 2.0]


def test_gradient_dtype_matches_the_leaf():
    x = tf.tensor([1.0, 2.0], requires_grad=True)            # float32
    (x * np.array([1.0, 2.0])).sum().backward()               # computed in float64
    assert x.grad.dtype == tf.float32


# --- grad mode ---------------------------------------------------------------

def test_no_grad_context():
    x = tf.ones(2, requires_grad=True)
    with tf.no_grad():
        assert not tf.is_grad_enabled()
        y = x * 2
    assert tf.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None


def test_no_grad_restores_on_exception():
    with pytest.raises(ValueError):
        with tf.no_grad():
            raise ValueError
    assert tf.is_grad_enabled()


def test_no_grad_and_enable_grad_as_decorators():
    x = tf.ones(2, requires_grad=True)

    @tf.no_grad()
    def off(t):
        return t * 2

    @tf.no_grad
    def off_bare(t):
        return t * 2

    @tf.enable_grad()
    def on(t):
        return t * 2

    assert not off(x).requires_grad and not off_bare(x).requires_grad
    assert tf.is_grad_enabled()
    with tf.no_grad():
        assert on(x).requires_grad
        assert not tf.is_grad_enabled()
    assert off.__name__ == "off"


def test_enable_grad_inside_no_grad():
    x = tf.ones(2, requires_grad=True)
    with tf.no_grad():
        with tf.enable_grad():
            y = x * 2
        z = x * 2
    assert y.requires_grad and not z.requires_grad


def test_set_grad_enabled_as_call_context_and_decorator():
    x = tf.ones(2, requires_grad=True)
    tf.set_grad_enabled(False)
    assert not (x * 2).requires_grad
    tf.set_grad_enabled(True)
    assert (x * 2).requires_grad
    with tf.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert tf.is_grad_enabled()
    with tf.no_grad():
        with tf.set_grad_enabled(True):
            assert (x * 2).requires_grad
        assert not tf.is_grad_enabled()

    @tf.set_grad_enabled(False)
    def f(t):
        return t * 2

    assert tf.is_grad_enabled()           # decorating changes nothing until the call
    assert not f(x).requires_grad
    assert tf.is_grad_enabled()


# --- what backward computes ---------------------------------------------------------------

def test_broadcast_gradients_are_summed_back_to_the_input_shapes():
    a = tf.ones(3, 1, requires_grad=True)
    b = tf.ones(4, requires_grad=True)
    s = tf.ones((), requires_grad=True)
    (a * b * s).sum().backward()
    assert a.grad.shape == (3, 1) and (a.grad.detach().numpy() == 4).all()
    assert b.grad.shape == (4,) and (b.grad.detach().numpy() == 3).all()
    assert s.grad.shape == () and s.grad.item() == 12


def test_repeated_indices_accumulate():
    x = tf.tensor([10.0, 20.0, 30.0], requires_grad=True)
    x[[0, 0, 2, 0]].sum().backward()
    assert x.grad.tolist() == [3.0, 0.0, 1.0]
    m = tf.zeros(2, 2, requires_grad=True)
    (m[tf.tensor([1, 1]), tf.tensor([0, 0])] * tf.tensor([2.0, 5.0])).sum().backward()
    assert m.grad.tolist() == [[0.0, 0.0], [7.0, 0.0]]


def test_mask_and_slice_gradients_scatter_into_zeros():
    x = tf.tensor([[1.0, -2.0], [-3.0, 4.0]], requires_grad=True)
    (x[x > 0] * 3).sum().backward()
    assert x.grad.tolist() == [[3.0, 0.0], [0.0, 3.0]]
    x.grad = None
    x[:, 1].sum().backward()
    assert x.grad.tolist() == [[0.0, 1.0], [0.0, 1.0]]


def test_max_ties_share_the_gradient():
    x = tf.tensor([1.0, 3.0, 3.0], requires_grad=True)
    x.max().backward()
    assert x.grad.tolist() == [0.0, 0.5, 0.5]


def test_kinks_follow_pytorch():
    x = tf.tensor([0.0, 0.0, 0.0], requires_grad=True)
    (x.relu() + x.abs() + x.clamp(0.0, 1.0)).sum().backward()
    assert x.grad.tolist() == [1.0, 1.0, 1.0]       # relu' = abs' = 0 at 0, clamp passes at its bounds
    y = tf.tensor([0.0, 2.0], requires_grad=True)
    (y ** 0).sum().backward()
    assert y.grad.tolist() == [0.0, 0.0]            # not nan at 0
    b = tf.tensor([0.0, 2.0], requires_grad=True)
    (0.0 ** b).sum().backward()
    assert b.grad.tolist() == [0.0, 0.0]
    m = tf.tensor([1.0, 1.0], requires_grad=True)
    tf.maximum(m, tf.tensor([1.0, 0.0])).sum().backward()
    assert m.grad.tolist() == [0.5, 1.0]


def test_backward_with_gradient_for_non_scalars():
    x = tf.tensor([1.0, 2.0], requires_grad=True)
    (x * x).backward(gradient=tf.tensor([1.0, 10.0]))
    assert x.grad.tolist() == [2.0, 40.0]


def test_backward_only_into_given_inputs():
    x = tf.tensor(2.0, requires_grad=True)
    w = tf.tensor(3.0, requires_grad=True)
    (x * w).backward(inputs=[w])
    assert w.grad.item() == 2.0 and x.grad is None


def test_backward_into_a_non_leaf_input():
    x = tf.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    (h * h).sum().backward(inputs=[h])
    assert h.grad.tolist() == [6.0, 12.0] and x.grad is None
    k = x * 2
    k.retain_grad()
    (k * k).sum().backward(inputs=[k])            # retained and asked for: counted once
    assert k.grad.tolist() == [4.0, 8.0]


def test_deterministic_order_and_values():
    def run():
        tf.manual_seed(0)
        w = tf.randn(4, 4, dtype=tf.float64, requires_grad=True)
        x = tf.randn(3, 4, dtype=tf.float64)
        visited = []
        Config.observers.append(lambda ev, info: visited.append(info["node"].name())
                                if ev == "backward" else None)
        h = (x @ w).tanh()
        loss = (h * h).sum() + (h @ w.T).softmax(-1)[:, 0].sum() + w.abs().mean()
        loss.backward()
        Config.observers.clear()
        return visited, w.grad.detach().numpy().copy()
    order1, g1 = run()
    order2, g2 = run()
    assert order1 == order2 and len(order1) > 8
    np.testing.assert_array_equal(g1, g2)                  # bit for bit


def test_long_chain_needs_no_recursion():
    x = tf.tensor(1.0, dtype=tf.float64, requires_grad=True)
    y = x
    n = max(10_000, sys.getrecursionlimit() + 1000)
    for _ in range(n):
        y = y * 1.0001
    y.backward()
    np.testing.assert_allclose(x.grad.item(), 1.0001 ** n, rtol=1e-9)
    del y                                                  # freeing the chain recurses neither


# --- freeing, retain_graph, in-place ------------------------------------------------------

def test_backward_frees_saved_values():
    x = tf.tensor([1.0, 2.0], requires_grad=True)
    h = x.exp()
    y = h.sum()
    y.backward()
    assert h.grad_fn.inputs is None and h.grad_fn.out is None
    assert y.grad_fn.inputs is None
    assert h.grad_fn.next_functions[0][0].variable is x      # the links stay for drawing


def test_second_backward_needs_retain_graph():
    x = tf.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True") as info:
        y.backward()
    assert "second time" in str(info.value)


def test_retain_graph_allows_a_second_backward():
    x = tf.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.tolist() == [4.0, 8.0]


def test_grad_frees_unless_retained():
    x = tf.tensor(3.0, requires_grad=True)
    y = x * x
    assert tf.grad(y, x, retain_graph=True)[0].item() == 6.0
    assert tf.grad(y, x)[0].item() == 6.0
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        tf.grad(y, x)


def test_parameter_update_in_place_under_no_grad():
    p = tf.tensor([1.0, 2.0], requires_grad=True)
    lr = 0.1
    for _ in range(2):
        loss = (p * p).sum()
        p.grad = None
        loss.backward()
        with tf.no_grad():
            p -= lr * p.grad
    assert p.is_leaf and p.requires_grad and p.grad_fn is None
    np.testing.assert_allclose(p.detach().numpy(), [0.64, 1.28], rtol=1e-6)
    with tf.no_grad():
        p.mul_(0.5)
        p.add_(1.0)
    np.testing.assert_allclose(p.detach().numpy(), [1.32, 1.64], rtol=1e-6)


def test_in_place_on_a_leaf_that_requires_grad_needs_no_grad():
    p = tf.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf.*no_grad"):
        p += 1


def test_modifying_a_saved_input_raises_at_backward_naming_the_op():
    w = tf.tensor([1.0, 2.0], requires_grad=True)
    x = tf.tensor([3.0, 4.0], requires_grad=True)
    loss = (w * x).sum()
    with tf.no_grad():
        w -= 0.1                                 # fine by itself...
    with pytest.raises(RuntimeError, match="MulBackward0") as info:
        loss.backward()                          # ...but MulBackward saved the old w
    assert "in-place" in str(info.value)


def test_an_input_backward_does_not_read_may_change_in_place():
    # a + b and relu(h) keep nothing of their inputs (PyTorch's AddBackward0 and
    # ReluBackward0 save no input), so changing h after them is no error
    x = tf.tensor([1.0, -2.0], requires_grad=True)
    h = x * 3
    y = (h + 1).sum() + h.relu().sum()
    with tf.no_grad():
        h += 100
    y.backward()
    assert x.grad.tolist() == [6.0, 3.0]


def test_modifying_a_saved_output_raises_naming_the_op():
    x = tf.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()                                  # ExpBackward uses its output
    with tf.no_grad():
        y += 1
    with pytest.raises(RuntimeError, match="ExpBackward0") as info:
        y.backward(gradient=tf.ones(2))
    assert "in-place" in str(info.value)


def test_recorded_in_place_update_keeps_the_dtype():
    x = tf.zeros(2)                                        # float32, no grad
    w = tf.tensor([1.0, 2.0], dtype=tf.float64, requires_grad=True)
    x += w                                                 # recorded: x now depends on w
    assert x.dtype == tf.float32 and x.requires_grad
    x.sum().backward()
    assert w.grad.tolist() == [1.0, 1.0] and w.grad.dtype == tf.float64


def test_in_place_on_a_non_leaf_is_recorded():
    x = tf.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    h += x                    # h = 2x + x
    h *= 2                    # h = 6x
    h.sum().backward()
    assert x.grad.tolist() == [6.0, 6.0]


# --- tinyflow.grad -----------------------------------------------------------------------

def test_grad_returns_gradients_and_leaves_dot_grad_alone():
    x = tf.tensor([1.0, 2.0], requires_grad=True)
    w = tf.tensor([3.0, 4.0], requires_grad=True)
    gx, gw = tf.grad((x * w).sum(), [x, w])
    assert gx.tolist() == [3.0, 4.0] and gw.tolist() == [1.0, 2.0]
    assert x.grad is None and w.grad is None
    assert not gx.requires_grad


def test_grad_with_respect_to_a_non_leaf():
    x = tf.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    (gh,) = tf.grad((h * h).sum(), h)
    assert gh.tolist() == [6.0, 12.0]


def test_grad_outputs_and_several_outputs():
    x = tf.tensor([1.0, 2.0], requires_grad=True)
    (g,) = tf.grad([x * 2, x * x], x, grad_outputs=[tf.ones(2), tf.tensor([1.0, 0.5])])
    assert g.tolist() == [4.0, 4.0]


def test_grad_allow_unused():
    x = tf.tensor(1.0, requires_grad=True)
    unused = tf.tensor(2.0, requires_grad=True)
    y = x * 2
    with pytest.raises(RuntimeError, match="allow_unused=True"):
        tf.grad(y, [x, unused], retain_graph=True)
    gx, gu = tf.grad(y, [x, unused], allow_unused=True)
    assert gx.item() == 2.0 and gu is None


# --- higher order ------------------------------------------------------------------------

def test_create_graph_gives_differentiable_gradients():
    x = tf.tensor([0.5, -1.0], dtype=tf.float64, requires_grad=True)
    (x ** 3).sum().backward(create_graph=True)
    assert x.grad.requires_grad and x.grad.grad_fn is not None
    np.testing.assert_allclose(x.grad.detach().numpy(), 3 * x.detach().numpy() ** 2)
    (g2,) = tf.grad(x.grad.sum(), x)
    np.testing.assert_allclose(g2.detach().numpy(), 6 * x.detach().numpy())


def _hessian_numeric(f, x, eps=1e-6):
    """d(grad f)/dx by central differences of the first-order (numpy) gradient."""
    n = x.size
    h = np.zeros((n, n))
    for j in range(n):
        xp, xm = x.copy().reshape(-1), x.copy().reshape(-1)
        xp[j] += eps
        xm[j] -= eps
        gp = _first_grad(f, xp.reshape(x.shape))
        gm = _first_grad(f, xm.reshape(x.shape))
        h[:, j] = (gp - gm).reshape(-1) / (2 * eps)
    return h


def _first_grad(f, xv):
    x = f64(xv)
    (g,) = tf.grad(f(x), x)
    return g.detach().numpy()


def _hessian_analytic(f, xv):
    x = f64(xv)
    (g,) = tf.grad(f(x), x, create_graph=True)
    rows = []
    for i in range(g.numel()):
        (gi,) = tf.grad(g.reshape(-1)[i], x, retain_graph=True, allow_unused=True)
        rows.append(np.zeros(x.shape) if gi is None else gi.detach().numpy())
    return np.array(rows).reshape(g.numel(), -1)


W = np.random.default_rng(3).standard_normal((3, 2))

CHAINS = {
    "tanh": lambda x: x.tanh().tanh().sum(),
    "exp": lambda x: (x.exp() * x).exp().sum(),
    "matmul": lambda x: ((x @ tf.tensor(W)) @ (x @ tf.tensor(W)).T).sum(),
    "softmax": lambda x: (x.softmax(-1) * tf.tensor([1.0, 2.0, 3.0])).sum() + x.log_softmax(0).sum(),
    "tanh-matmul-softmax": lambda x: ((x.tanh() @ tf.tensor(W)).softmax(-1) ** 2).sum(),
}


@pytest.mark.parametrize("name", list(CHAINS))
def test_second_derivatives_match_central_differences(name):
    f = CHAINS[name]
    xv = np.random.default_rng(4).uniform(-1, 1, (2, 3))
    np.testing.assert_allclose(_hessian_analytic(f, xv), _hessian_numeric(f, xv), rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("name", list(CHAINS))
def test_gradgradcheck_chains(name):
    x = f64(np.random.default_rng(5).uniform(-1, 1, (2, 3)))
    assert tf.gradgradcheck(CHAINS[name], [x])


def test_third_derivative():
    x = tf.tensor(0.7, dtype=tf.float64, requires_grad=True)
    (g1,) = tf.grad(x.sin(), x, create_graph=True)
    (g2,) = tf.grad(g1, x, create_graph=True)
    (g3,) = tf.grad(g2, x)
    np.testing.assert_allclose(g3.item(), -np.cos(0.7))


# --- gradcheck itself -----------------------------------------------------------------------

def test_gradcheck_passes_on_a_correct_gradient():
    a = f64([[0.3, -0.2, 0.9]])
    b = f64([[1.5], [0.7]])
    assert tf.gradcheck(lambda a, b: (a * b).tanh() / (1 + b * b), [a, b])


def test_gradcheck_fails_on_a_wrong_gradient_and_reports_both_values(monkeypatch):
    def my_sin(x):                       # a user's function built on the Sin primitive
        return x.sin() * 2
    x = f64([0.4, 1.1, -0.7])
    assert tf.gradcheck(my_sin, [x])
    monkeypatch.setattr(E.Sin, "vjps", (lambda g, x, out: g * F.sin(x),))    # wrong: not cos
    with pytest.raises(tf.GradcheckError) as info:
        tf.gradcheck(my_sin, [x])
    msg = str(info.value)
    m = re.search(r"input 0 .* index \((\d+),\): backward gave (\S+), central differences gave (\S+) ", msg)
    assert m, msg
    i, backward, numeric = int(m.group(1)), float(m.group(2)), float(m.group(3))
    xi = x.detach().numpy()[i]
    np.testing.assert_allclose(backward / numeric, np.tan(xi), rtol=1e-5)   # sin vs cos, same v
    assert tf.gradcheck(my_sin, [x], raise_exception=False) is False
    monkeypatch.undo()
    assert tf.gradcheck(my_sin, [x])


def test_gradgradcheck_fails_on_a_wrong_second_derivative(monkeypatch):
    x = f64([0.4, 1.1])
    assert tf.gradgradcheck(lambda x: x.sin(), [x])
    # first derivative right, but written so that its own derivative is wrong
    monkeypatch.setattr(E.Sin, "vjps", (lambda g, x, out: g * F.cos(x.detach() if hasattr(x, "detach") else x),))
    assert tf.gradcheck(lambda x: x.sin(), [x])
    with pytest.raises(tf.GradcheckError, match="backward gave .* central differences gave"):
        tf.gradgradcheck(lambda x: x.sin(), [x])


def test_gradcheck_names_the_input_that_fails(monkeypatch):
    a = f64([0.2, 0.5, 0.9])
    b = f64([[1.0, 2.0], [0.5, 0.1]])
    monkeypatch.setattr(E.Exp, "vjps", (lambda g, x, out: g * out * 1.5,))
    with pytest.raises(tf.GradcheckError, match=r"input 1 \(shape \(2, 2\)\)"):
        tf.gradcheck(lambda a, b: a.sum() * b.exp(), [a, b])


def test_gradcheck_insists_on_float64():
    with pytest.raises(TypeError, match="float64"):
        tf.gradcheck(lambda x: x * 2, [tf.ones(2, requires_grad=True)])


def test_gradcheck_handles_non_contiguous_inputs():
    a = np.arange(6.0).reshape(2, 3).T * 0.1
    x = tf.from_numpy(a).requires_grad_()
    assert not x.detach().numpy().flags.c_contiguous
    assert tf.gradcheck(lambda x: (x * x * tf.tensor([[1.0, 2.0]], dtype=tf.float64)).sum(), [x])


def test_gradcheck_checks_that_constant_outputs_do_not_depend_on_inputs():
    x = f64([1.0, 2.0])
    assert tf.gradcheck(lambda x: x.detach() * 0 + 1, [x])
    with pytest.raises(tf.GradcheckError, match="backward gave 0"):
        tf.gradcheck(lambda x: x.detach() * 3, [x])     # depends on x, but no gradient flows
