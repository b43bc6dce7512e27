"""Pooling (ops/pool.py): max and average pooling against loops over output pixels
written the obvious way, and against the implementation they replaced (kept below as a
reference only); the gradient goes to each window's first maximum, as in PyTorch; a
NaN is a maximum; an inf gradient stays where it belongs; the fast path of ops/fast.py
gives the plain definition's results; gradients by central differences in float64."""
import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

import tinyflow as tf
from tinyflow import ops as F
from tinyflow.ops import pool
from tinyflow.ops.fast import use_fast_forwards

rng = np.random.default_rng(11)


@pytest.fixture(params=[True, False], ids=["batch last", "plain"])
def layout(request):
    """Run with images kept batch last in memory (ops/conv.py's BATCH_LAST, the default)
    and with every speed trick of ops/fast.py off: the same results."""
    use_fast_forwards(request.param)
    yield request.param
    use_fast_forwards(True)


def windows_loop(x, k, stride, padding, dilation=1, ceil_mode=False, fill=-np.inf):
    """Every window, one by one: (N, C, oh, ow, kh*kw) and, for each, the (row, column)
    in x of each of its kh*kw pixels (padding outside x)."""
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = (_pair(v) for v in (k, stride, padding, dilation))
    n, c, h, w = x.shape
    oh, ow = (pool.out_size(size, kk, s, p, ceil_mode, d)
              for size, kk, s, p, d in ((h, kh, sh, ph, dh), (w, kw, sw, pw, dw)))
    vals = np.full((n, c, oh, ow, kh * kw), fill)
    where = np.zeros((oh, ow, kh * kw, 2), int)
    for i in range(oh):
        for j in range(ow):
            for a in range(kh):
                for b in range(kw):
                    r, q = i * sh + a * dh - ph, j * sw + b * dw - pw
                    where[i, j, a * kw + b] = (r, q)
                    if 0 <= r < h and 0 <= q < w:
                        vals[:, :, i, j, a * kw + b] = x[:, :, r, q]
    return vals, where


def max_pool_loop(x, k, stride, padding=0, dilation=1, ceil_mode=False):
    return windows_loop(x, k, stride, padding, dilation, ceil_mode)[0].max(axis=-1)


def max_pool_grad_loop(g, x, k, stride, padding=0, dilation=1, ceil_mode=False):
    """Each window's gradient to its first maximum (np.argmax: the first; NaN first)."""
    vals, where = windows_loop(x, k, stride, padding, dilation, ceil_mode)
    out = np.zeros_like(x)
    first = vals.argmax(axis=-1)
    for n, c, i, j in np.ndindex(first.shape):
        r, q = where[i, j, first[n, c, i, j]]
        out[n, c, r, q] += g[n, c, i, j]
    return out


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


# --- the implementation this one replaced, kept as a reference -------------------------

def old_max_pool(x, k, stride, padding):
    x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)),
               constant_values=-np.inf)
    win = sliding_window_view(x, (k, k), axis=(2, 3))[:, :, ::stride, ::stride]
    return win.max(axis=(4, 5))


def old_max_pool_grad(g, x, k, stride, padding):
    """The old rule: windows with several maxima shared the gradient among them."""
    n, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)),
                constant_values=-np.inf)
    win = sliding_window_view(xp, (k, k), axis=(2, 3))[:, :, ::stride, ::stride]
    hit = win == win.max(axis=(4, 5), keepdims=True)
    share = hit * (g[..., None, None] / hit.sum(axis=(4, 5), keepdims=True))
    out = np.zeros_like(xp)
    oh, ow = g.shape[2:]
    for i in range(k):
        for j in range(k):
            out[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride] += share[:, :, :, :, i, j]
    return out[:, :, padding:padding + h, padding:padding + w]


# (kernel, stride, padding, dilation, ceil_mode): what nn.MaxPool2d accepts
MAX_CONFIGS = [(2, 2, 0, 1, False), (3, 2, 1, 1, False), (3, 1, 1, 1, False),
               ((2, 3), (1, 2), (1, 0), 1, False), (2, 2, 0, 1, True), (3, 2, 1, 1, True),
               (2, 1, 1, 2, False), ((3, 2), 2, 1, (2, 3), True), (1, 3, 0, 1, True)]


@pytest.mark.parametrize("k, s, p, d, ceil", MAX_CONFIGS)
@pytest.mark.parametrize("relu", [False, True], ids=["distinct", "relu ties"])
def test_max_pool_matches_the_definition(k, s, p, d, ceil, relu, layout):
    x = rng.standard_normal((2, 3, 7, 8))
    if relu:
        x = np.maximum(x, 0)             # zeros everywhere: windows with tied maxima
    xt = tf.tensor(x, requires_grad=True)
    out = F.max_pool2d(xt, k, s, p, d, ceil)
    np.testing.assert_array_equal(out.detach().numpy(), max_pool_loop(x, k, s, p, d, ceil))
    g = rng.standard_normal(out.shape)
    out.backward(tf.tensor(g))
    np.testing.assert_allclose(xt.grad.numpy(), max_pool_grad_loop(g, x, k, s, p, d, ceil),
                               rtol=1e-14)


@pytest.mark.parametrize("k, s, p, d, ceil", MAX_CONFIGS)
def test_max_pool_gradients_by_central_differences(k, s, p, d, ceil, layout):
    x = tf.tensor(rng.permutation(2 * 3 * 7 * 8).reshape(2, 3, 7, 8) / 20.0, requires_grad=True)
    assert tf.gradcheck(lambda x: F.max_pool2d(x, k, s, p, d, ceil), [x])
    assert tf.gradgradcheck(lambda x: F.max_pool2d(x, k, s, p, d, ceil) ** 2, [x])


@pytest.mark.parametrize("k, s, p", [(2, 2, 0), (3, 2, 1), (3, 1, 1)])
def test_max_pool_agrees_with_the_implementation_it_replaced(k, s, p):
    x = rng.permutation(2 * 2 * 7 * 6).reshape(2, 2, 7, 6) * 1.0       # no ties
    xt = tf.tensor(x, requires_grad=True)
    out = F.max_pool2d(xt, k, s, p)
    np.testing.assert_array_equal(out.detach().numpy(), old_max_pool(x, k, s, p))
    g = rng.standard_normal(out.shape)
    out.backward(tf.tensor(g))
    np.testing.assert_allclose(xt.grad.numpy(), old_max_pool_grad(g, x, k, s, p), rtol=1e-14)


def test_tied_maxima_give_the_gradient_to_the_first_one():
    x = tf.tensor([[[[1.0, 3.0], [3.0, 3.0]]]], requires_grad=True)
    F.max_pool2d(x, 2).backward(tf.tensor([[[[5.0]]]]))
    np.testing.assert_array_equal(x.grad.numpy(), [[[[0.0, 5.0], [0.0, 0.0]]]])


def test_a_nan_is_the_maximum_and_takes_the_gradient():
    x = tf.tensor([[[[1.0, 2.0, 1.0, np.nan], [np.nan, 0.0, 2.0, 0.0]]]], requires_grad=True)
    out = F.max_pool2d(x, 2)
    assert np.isnan(out.detach().numpy()).all()
    out.backward(tf.ones(1, 1, 1, 2))
    np.testing.assert_array_equal(x.grad.numpy(), [[[[0, 0, 0, 1], [1, 0, 0, 0]]]])


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "plain"])
@pytest.mark.parametrize("k, s", [(2, 2), (3, 2)], ids=["tiling", "overlapping"])
def test_an_infinite_gradient_stays_at_the_maximum(fast, k, s):
    x = tf.tensor(rng.permutation(36).reshape(1, 1, 6, 6) * 1.0, requires_grad=True)
    out = F.max_pool2d(x, k, s)
    g = np.ones(out.shape)
    g[0, 0, 0, 0] = np.inf
    use_fast_forwards(fast)
    try:
        out.backward(tf.tensor(g))
    finally:
        use_fast_forwards(True)
    grad = x.grad.numpy()
    assert not np.isnan(grad).any() and np.isinf(grad).sum() == 1


@pytest.mark.parametrize("shape, k, s, p, ceil", [((2, 3, 8, 8), 2, 2, 0, False),
                                                   ((2, 3, 7, 7), 2, 2, 0, True),
                                                   ((2, 3, 6, 6), 2, 2, 1, False),
                                                   ((1, 2, 9, 8), 3, 3, 0, False),
                                                   ((2, 3, 8, 8), 3, 2, 1, False)])
def test_the_fast_backward_equals_the_plain_one(shape, k, s, p, ceil):
    # ops/fast.py writes the gradient in place when the windows tile the image exactly
    x = np.maximum(rng.standard_normal(shape), 0)         # ties, so "first" matters
    attrs = {"kernel": (k, k), "stride": (s, s), "padding": (p, p), "ceil_mode": ceil}
    out = pool.MaxPool.forward(x, **attrs)
    g = rng.standard_normal(out.shape)
    fast = pool.MaxPoolGrad.forward(g, x, out, **attrs)
    plain = pool.MaxPoolGrad.plain_forward(g, x, out, **attrs)
    assert pool.MaxPoolGrad.forward is not pool.MaxPoolGrad.plain_forward
    np.testing.assert_array_equal(fast, plain)


def test_max_pool_grad_grad_reads_each_window_maximum():
    x = np.maximum(rng.standard_normal((2, 2, 6, 6)), 0)
    attrs = {"kernel": (3, 3), "stride": (2, 2), "padding": (1, 1)}
    out = pool.MaxPool.forward(x, **attrs)
    h = rng.standard_normal(x.shape)
    got = pool.MaxPoolGradGrad.forward(h, x, out, **attrs)
    g = rng.standard_normal(out.shape)
    # the adjoint of MaxPoolGrad: <MaxPoolGrad(g), h> == <g, MaxPoolGradGrad(h)>
    np.testing.assert_allclose(np.sum(pool.MaxPoolGrad.forward(g, x, out, **attrs) * h),
                               np.sum(g * got), rtol=1e-12)


# --- average pooling -----------------------------------------------------------------

def avg_pool_loop(x, k, s, p, ceil_mode, count_include_pad, divisor_override):
    vals, where = windows_loop(x, k, s, p, 1, ceil_mode, fill=0.0)
    (ph, pw), (h, w) = _pair(p), x.shape[2:]
    r, q = where[..., 0], where[..., 1]
    if divisor_override:
        div = np.full(r.shape[:2], divisor_override)
    elif count_include_pad:          # the window, cut at the far edge of the padding
        div = ((r >= -ph) & (r < h + ph) & (q >= -pw) & (q < w + pw)).sum(axis=-1)
    else:
        div = ((r >= 0) & (r < h) & (q >= 0) & (q < w)).sum(axis=-1)
    return vals.sum(axis=-1) / div


AVG_CONFIGS = [(2, 2, 0, False, True, None), (3, 2, 1, False, True, None),
               (3, 2, 1, True, False, None), ((2, 3), (1, 2), (1, 1), True, True, None),
               (3, 2, 1, False, True, 4)]


@pytest.mark.parametrize("k, s, p, ceil, include, divisor", AVG_CONFIGS)
def test_avg_pool_matches_the_definition_and_its_adjoint(k, s, p, ceil, include, divisor, layout):
    x = rng.standard_normal((2, 3, 7, 6))
    xt = tf.tensor(x, requires_grad=True)
    out = F.avg_pool2d(xt, k, s, p, ceil, include, divisor)
    np.testing.assert_allclose(out.detach().numpy(),
                               avg_pool_loop(x, k, s, p, ceil, include, divisor), rtol=1e-13)
    g = rng.standard_normal(out.shape)
    out.backward(tf.tensor(g))
    # the gradient is the adjoint: <avg_pool(x), g> == <x, grad>
    np.testing.assert_allclose(np.sum(out.detach().numpy() * g), np.sum(x * xt.grad.numpy()),
                               rtol=1e-12)
    assert tf.gradgradcheck(lambda t: F.avg_pool2d(t, k, s, p, ceil, include, divisor) ** 2,
                            [tf.tensor(x[:1, :2], requires_grad=True)])


def _against_pytorch(ours_fn, torch_fn, x):
    """Output and input gradient of a pooling, ours and PyTorch's (float64)."""
    from _parity import import_torch
    torch = import_torch()
    xt, xp = tf.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, want = ours_fn(xt), torch_fn(torch, xp)
    np.testing.assert_allclose(out.detach().numpy(), want.detach().numpy(), rtol=1e-13)
    g = rng.standard_normal(tuple(want.shape))
    out.backward(tf.tensor(g))
    want.backward(torch.tensor(g))
    np.testing.assert_array_equal(xt.grad.numpy() != 0, xp.grad.numpy() != 0)   # same pixels
    np.testing.assert_allclose(xt.grad.numpy(), xp.grad.numpy(), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("k, s, p, d, ceil", MAX_CONFIGS)
@pytest.mark.parametrize("relu", [False, True], ids=["distinct", "relu ties"])
def test_max_pool_agrees_with_pytorch(k, s, p, d, ceil, relu, layout):
    """torch.nn.functional.max_pool2d, ties after a ReLU included: the gradient goes to
    the same pixel of each window."""
    x = rng.standard_normal((2, 3, 7, 8))
    x = np.maximum(x, 0) if relu else x
    _against_pytorch(lambda t: F.max_pool2d(t, k, s, p, d, ceil_mode=ceil),
                     lambda torch, t: torch.nn.functional.max_pool2d(t, k, s, p, d,
                                                                     ceil_mode=ceil), x)


@pytest.mark.parametrize("k, s, p, ceil, include, divisor", AVG_CONFIGS)
def test_avg_pool_agrees_with_pytorch(k, s, p, ceil, include, divisor, layout):
    _against_pytorch(lambda t: F.avg_pool2d(t, k, s, p, ceil, include, divisor),
                     lambda torch, t: torch.nn.functional.avg_pool2d(t, k, s, p, ceil, include,
                                                                     divisor),
                     rng.standard_normal((2, 3, 7, 6)))
