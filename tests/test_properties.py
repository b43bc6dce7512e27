"""Property tests on random shapes (hypothesis): broadcasting binary ops agree
with numpy and send gradients back in their inputs' shapes; reductions over
random axes; reshape and transpose round trips."""
import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes

import tinyflow as tf

# derandomized: the same examples on every run, as everything else in tinyflow
PROPS = settings(max_examples=40, deadline=None, derandomize=True)

seeds = st.integers(0, 2**32 - 1)


def _values(shape, seed, low=-2.0, high=2.0):
    return np.random.default_rng(seed).uniform(low, high, shape)


def _unbroadcast(g, shape):
    """numpy's reference for summing a broadcast gradient back to ``shape``."""
    g = g.sum(axis=tuple(range(g.ndim - len(shape)))) if g.ndim > len(shape) else g
    return g.sum(axis=tuple(i for i, d in enumerate(shape) if d == 1), keepdims=True)


# op, numpy forward, numpy d/da, numpy d/db, value range of a, of b
BINARY = {
    "add": (lambda a, b: a + b, np.add, lambda a, b: np.ones_like(a + b), lambda a, b: np.ones_like(a + b)),
    "sub": (lambda a, b: a - b, np.subtract, lambda a, b: np.ones_like(a + b), lambda a, b: -np.ones_like(a + b)),
    "mul": (lambda a, b: a * b, np.multiply, lambda a, b: b + 0 * a, lambda a, b: a + 0 * b),
    "div": (lambda a, b: a / b, np.divide, lambda a, b: 1 / b + 0 * a, lambda a, b: -a / b ** 2),
    "pow": (lambda a, b: a ** b, np.power, lambda a, b: b * a ** (b - 1), lambda a, b: a ** b * np.log(a)),
    "maximum": (tf.maximum, np.maximum, lambda a, b: (a > b) + 0.0 * b, lambda a, b: (b > a) + 0.0 * a),
}
POSITIVE = {"div", "pow"}        # b (div) and a (pow) kept away from 0


@PROPS
@given(op=st.sampled_from(sorted(BINARY)),
       shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=3),
       seed=seeds)
def test_broadcasting_binary_ops(op, shapes, seed):
    fn, ref, da, db = BINARY[op]
    sa, sb = shapes.input_shapes
    a = _values(sa, seed, 0.5, 2.0) if op == "pow" else _values(sa, seed)
    b = _values(sb, seed + 1, 0.5, 2.0) if op == "div" else _values(sb, seed + 1)
    ta = tf.tensor(a, requires_grad=True)
    tb = tf.tensor(b, requires_grad=True)
    out = fn(ta, tb)
    assert out.shape == shapes.result_shape
    np.testing.assert_allclose(out.detach().numpy(), ref(a, b), rtol=1e-12)
    out.sum().backward()
    assert ta.grad.shape == sa and tb.grad.shape == sb
    np.testing.assert_allclose(ta.grad.detach().numpy(), _unbroadcast(da(a, b), sa).reshape(sa), rtol=1e-10)
    np.testing.assert_allclose(tb.grad.detach().numpy(), _unbroadcast(db(a, b), sb).reshape(sb), rtol=1e-10)


@PROPS
@given(shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=1, max_dims=3, max_side=3),
       seed=seeds)
def test_broadcasting_gradients_pass_gradcheck(shapes, seed):
    sa, sb = shapes.input_shapes
    a = tf.tensor(_values(sa, seed), requires_grad=True)
    b = tf.tensor(_values(sb, seed + 1), requires_grad=True)
    assert tf.gradcheck(lambda a, b: (a * b).tanh() - a / (1 + b * b), [a, b])


@st.composite
def shape_axes(draw):
    shape = draw(array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=4))
    n = len(shape)
    axes = draw(st.one_of(
        st.none(),
        st.integers(-n, n - 1),
        st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True).map(tuple)))
    return shape, axes, draw(st.booleans())


REDUCTIONS = ["sum", "mean", "max", "min", "logsumexp", "var"]


def _np_reduce(name, x, axes, keep):
    if name == "logsumexp":
        m = x.max(axis=axes, keepdims=True)
        out = np.log(np.exp(x - m).sum(axis=axes, keepdims=True)) + m
        return out if keep else np.squeeze(out, axis=axes)
    if name == "var":
        return x.var(axis=axes, keepdims=keep, ddof=1)
    return getattr(np, name)(x, axis=axes, keepdims=keep)


def _expected_grad(name, x, axes, keep):
    """d sum(reduce(x)) / dx, from numpy."""
    full = _np_reduce(name, x, axes, True)
    n = x.size // full.size
    if name == "sum":
        return np.ones_like(x)
    if name == "mean":
        return np.full_like(x, 1.0 / n)
    if name in ("max", "min"):
        return (x == full).astype(float)          # random values: no ties
    if name == "logsumexp":
        return np.exp(x - full)
    mean = x.mean(axis=axes, keepdims=True)        # var
    return 2 * (x - mean) / (n - 1)


@PROPS
@given(name=st.sampled_from(REDUCTIONS), case=shape_axes(), seed=seeds)
def test_reductions_over_random_axes(name, case, seed):
    shape, axes, keep = case
    if name == "var":
        sizes = shape if axes is None else [shape[a] for a in np.atleast_1d(axes)]
        assume(np.prod(sizes) >= 2)                 # the unbiased variance needs two values
    x = _values(shape, seed)
    t = tf.tensor(x, requires_grad=True)
    out = getattr(tf, name)(t) if axes is None else getattr(t, name if name not in ("max", "min")
                                                             else "a" + name)(axes, keep)
    expected = _np_reduce(name, x, axes, keep if axes is not None else False)
    assert out.shape == np.shape(expected)
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-10, atol=1e-12)
    out.sum().backward()
    assert t.grad.shape == shape
    np.testing.assert_allclose(t.grad.detach().numpy(), _expected_grad(name, x, axes, keep),
                               rtol=1e-9, atol=1e-12)


@PROPS
@given(shape=array_shapes(min_dims=0, max_dims=4, max_side=4), seed=seeds, data=st.data())
def test_reshape_round_trip(shape, seed, data):
    x = _values(shape, seed)
    size = x.size
    divisors = [d for d in range(1, size + 1) if size % d == 0]
    d = data.draw(st.sampled_from(divisors))
    t = tf.tensor(x, requires_grad=True)
    flat = t.reshape(d, -1)
    assert flat.shape == (d, size // d)
    back = flat.view(shape)            # a tuple: view() with no sizes is refused, as in PyTorch
    np.testing.assert_array_equal(back.detach().numpy(), x)
    g = _values(shape, seed + 1)
    back.backward(gradient=tf.tensor(g))
    np.testing.assert_array_equal(t.grad.detach().numpy(), g)


@PROPS
@given(shape=array_shapes(min_dims=1, max_dims=5, max_side=3), seed=seeds, data=st.data())
def test_transpose_round_trip(shape, seed, data):
    x = _values(shape, seed)
    perm = data.draw(st.permutations(range(len(shape))))
    t = tf.tensor(x, requires_grad=True)
    p = t.permute(*perm)
    np.testing.assert_array_equal(p.detach().numpy(), np.transpose(x, perm))
    back = p.permute(*np.argsort(perm).tolist())
    np.testing.assert_array_equal(back.detach().numpy(), x)
    g = _values(p.shape, seed + 1)
    p.backward(gradient=tf.tensor(g))
    np.testing.assert_array_equal(t.grad.detach().numpy(), np.transpose(g, np.argsort(perm)))
    np.testing.assert_array_equal(t.T.T.detach().numpy(), x)


@PROPS
@given(shape=array_shapes(min_dims=1, max_dims=3, max_side=3), seed=seeds, data=st.data())
def test_unsqueeze_squeeze_round_trip(shape, seed, data):
    x = _values(shape, seed)
    dim = data.draw(st.integers(-len(shape) - 1, len(shape)))
    t = tf.tensor(x)
    u = t.unsqueeze(dim)
    np.testing.assert_array_equal(u.detach().numpy(), np.expand_dims(x, dim))
    np.testing.assert_array_equal(u.squeeze(dim).detach().numpy(), x)


@pytest.mark.parametrize("n", [2, 3])
def test_cat_then_index_round_trip(n):
    parts = [_values((2, k + 1), k) for k in range(n)]
    ts = [tf.tensor(p, requires_grad=True) for p in parts]
    joined = tf.cat(ts, dim=1)
    start = 0
    for p in parts:
        np.testing.assert_array_equal(joined[:, start:start + p.shape[1]].detach().numpy(), p)
        start += p.shape[1]
    (joined * joined).sum().backward()
    for p, t in zip(parts, ts):
        np.testing.assert_allclose(t.grad.detach().numpy(), 2 * p)
