"""Convolution (ops/conv.py): the Conv2D primitive against a loop over output pixels
written the obvious way, and against the implementation it replaced (kept below as a
reference only); gradients by central differences in float64, for the strides,
paddings, dilations and groups that nn.Conv2d accepts; the same results whatever the
memory layout of the input, in graph mode, and in float32."""
import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

import tinyflow as tf
from tinyflow import ops as F
from tinyflow.base.errors import ShapeError
from tinyflow.ops.fast import use_fast_forwards

rng = np.random.default_rng(7)


@pytest.fixture(params=[True, False], ids=["batch last", "plain"])
def layout(request):
    """Run with images kept batch last in memory (ops/conv.py's BATCH_LAST, the default)
    and with every speed trick of ops/fast.py off: the same results."""
    use_fast_forwards(request.param)
    yield request.param
    use_fast_forwards(True)


def conv_loop(x, w, stride=1, padding=0, dilation=1, groups=1):
    """Conv2D by definition: every output pixel of every group, one at a time."""
    (sh, sw), (ph, pw), (dh, dw) = (_pair(v) for v in (stride, padding, dilation))
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    xp = np.zeros((n, c, h + 2 * ph, wd + 2 * pw))
    xp[:, :, ph:ph + h, pw:pw + wd] = x
    oh = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    ow = (wd + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    og = o // groups
    out = np.zeros((n, o, oh, ow))
    for k in range(o):
        g = k // og
        for i in range(oh):
            for j in range(ow):
                patch = xp[:, g * cg:(g + 1) * cg, i * sh:i * sh + dh * (kh - 1) + 1:dh,
                           j * sw:j * sw + dw * (kw - 1) + 1:dw]
                out[:, k, i, j] = np.sum(patch * w[k], axis=(1, 2, 3))
    return out


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


# --- the implementation this one replaced, kept as a reference (stride and padding only) ---

def _old_windows(x, kh, kw, stride, padding):
    ph, pw = padding
    x = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    win = sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::stride[0], ::stride[1]]
    return win.transpose(0, 2, 3, 1, 4, 5)


def _old_col2im(cols, like_shape, kh, kw, stride, padding):
    n, c, h, w = like_shape
    ph, pw = padding
    _, oh, ow = cols.shape[:3]
    out = np.zeros((n, c, h + 2 * ph, w + 2 * pw))
    sh, sw = stride
    cols = cols.transpose(0, 3, 4, 5, 1, 2)
    for i in range(kh):
        for j in range(kw):
            out[:, :, i:i + sh * oh:sh, j:j + sw * ow:sw] += cols[:, :, i, j]
    return out[:, :, ph:ph + h, pw:pw + w]


def old_conv2d(x, w, stride, padding):
    win = _old_windows(x, w.shape[2], w.shape[3], stride, padding)
    return np.tensordot(win, w, axes=((3, 4, 5), (1, 2, 3))).transpose(0, 3, 1, 2)


def old_conv2d_grads(g, x, w, stride, padding):
    o, c, kh, kw = w.shape
    oh, ow = g.shape[2:]
    g2 = g.transpose(0, 2, 3, 1)
    cols = (g2 @ w.reshape(o, c * kh * kw)).reshape(-1, oh, ow, c, kh, kw)
    gx = _old_col2im(cols, x.shape, kh, kw, stride, padding)
    cols = _old_windows(x, kh, kw, stride, padding).reshape(-1, c * kh * kw)
    gw = (g2.reshape(-1, o).T @ cols).reshape(o, c, kh, kw)
    return gx, gw


# (input shape, weight shape, stride, padding, dilation, groups): what nn.Conv2d accepts
CONFIGS = [
    ((2, 3, 7, 6), (4, 3, 3, 3), 1, 0, 1, 1),
    ((2, 3, 7, 6), (4, 3, 3, 3), 1, 1, 1, 1),
    ((2, 3, 7, 6), (4, 3, 3, 3), 2, 1, 1, 1),
    ((1, 2, 9, 8), (3, 2, 3, 2), (2, 1), (1, 0), 1, 1),
    ((2, 2, 6, 6), (2, 2, 1, 1), 3, 0, 1, 1),
    ((1, 2, 8, 9), (3, 2, 3, 3), 1, 2, 2, 1),
    ((1, 2, 9, 8), (2, 2, 2, 3), (1, 2), (3, 1), (3, 2), 1),
    ((2, 4, 6, 5), (6, 2, 3, 3), 1, 1, 1, 2),
    ((1, 6, 7, 7), (3, 2, 3, 3), 2, 2, 2, 3),
    ((2, 4, 5, 5), (4, 1, 3, 3), 1, 1, 1, 4),                # depthwise
    ((1, 4, 5, 6), (8, 1, 2, 2), (2, 1), 1, (1, 2), 4),      # depthwise, two per channel
]


def _ids():
    return [f"x{xs[1:]}-w{ws}-s{s}-p{p}-d{d}-g{g}" for xs, ws, s, p, d, g in CONFIGS]


@pytest.mark.parametrize("xs, ws, stride, padding, dilation, groups", CONFIGS, ids=_ids())
def test_forward_matches_the_definition(xs, ws, stride, padding, dilation, groups, layout):
    x, w = rng.standard_normal(xs), rng.standard_normal(ws)
    out = F.conv2d(x, w, stride, padding, dilation, groups)
    np.testing.assert_allclose(out, conv_loop(x, w, stride, padding, dilation, groups),
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("xs, ws, stride, padding, dilation, groups", CONFIGS, ids=_ids())
def test_gradients_by_central_differences(xs, ws, stride, padding, dilation, groups, layout):
    x = tf.tensor(rng.standard_normal(xs), requires_grad=True)
    w = tf.tensor(rng.standard_normal(ws), requires_grad=True)
    assert tf.gradcheck(lambda x, w: F.conv2d(x, w, stride, padding, dilation, groups), [x, w])


@pytest.mark.parametrize("xs, ws, stride, padding, dilation, groups",
                         [CONFIGS[2], CONFIGS[6], CONFIGS[8]], ids=[_ids()[i] for i in (2, 6, 8)])
def test_second_derivatives(xs, ws, stride, padding, dilation, groups, layout):
    x = tf.tensor(rng.standard_normal(xs), requires_grad=True)
    w = tf.tensor(rng.standard_normal(ws), requires_grad=True)
    assert tf.gradgradcheck(lambda x, w: F.conv2d(x, w, stride, padding, dilation, groups), [x, w])


@pytest.mark.parametrize("xs, ws, stride, padding",
                         [(c[0], c[1], _pair(c[2]), _pair(c[3])) for c in CONFIGS[:5]])
def test_agrees_with_the_implementation_it_replaced(xs, ws, stride, padding, layout):
    x, w = rng.standard_normal(xs), rng.standard_normal(ws)
    xt, wt = tf.tensor(x, requires_grad=True), tf.tensor(w, requires_grad=True)
    out = F.conv2d(xt, wt, stride, padding)
    np.testing.assert_allclose(out.detach().numpy(), old_conv2d(x, w, stride, padding), rtol=1e-12)
    g = rng.standard_normal(out.shape)
    out.backward(tf.tensor(g))
    gx, gw = old_conv2d_grads(g, x, w, stride, padding)
    np.testing.assert_allclose(xt.grad.numpy(), gx, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(wt.grad.numpy(), gw, rtol=1e-12, atol=1e-13)


def test_the_memory_layout_of_the_input_does_not_matter(layout):
    # Conv2D keeps the batch last in memory (see ops/conv.py); any input layout works.
    x, w = rng.standard_normal((3, 4, 6, 5)), rng.standard_normal((6, 2, 3, 3))
    g = rng.standard_normal((3, 6, 6, 5))
    xt = tf.tensor(x, requires_grad=True)
    F.conv2d(xt, w, 1, 1, 1, 2).backward(tf.tensor(g))
    batch_last = np.ascontiguousarray(x.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2)
    for arr in (np.asfortranarray(x), batch_last, x[:, :, ::-1].copy()[:, :, ::-1]):
        lt = tf.tensor(arr, requires_grad=True)
        out = F.conv2d(lt, w, 1, 1, 1, 2)
        np.testing.assert_allclose(out.detach().numpy(), conv_loop(x, w, 1, 1, 1, 2), rtol=1e-12)
        out.backward(tf.tensor(g))
        np.testing.assert_allclose(lt.grad.numpy(), xt.grad.numpy(), rtol=1e-12)


def test_a_network_of_convolutions_matches_the_definition_end_to_end():
    # Outputs keep the layout, so the next convolution reads a transposed view: still right.
    x, w1, w2 = (rng.standard_normal(s) for s in ((2, 2, 8, 8), (4, 2, 3, 3), (3, 4, 3, 3)))
    out = F.conv2d(F.max_pool2d(F.relu(F.conv2d(x, w1, 1, 1)), 2), w2, 1, 1)
    want = conv_loop(np.maximum(conv_loop(x, w1, 1, 1), 0).reshape(2, 4, 4, 2, 4, 2)
                     .max(axis=(3, 5)), w2, 1, 1)
    np.testing.assert_allclose(out, want, rtol=1e-12)


def test_float32_stays_float32():
    x = rng.standard_normal((2, 4, 5, 5)).astype(np.float32)
    w = rng.standard_normal((4, 2, 3, 3)).astype(np.float32)
    xt, wt = tf.tensor(x, requires_grad=True), tf.tensor(w, requires_grad=True)
    out = F.conv2d(xt, wt, 2, 1, 1, 2)
    out.sum().backward()
    assert out.dtype == tf.float32 and xt.grad.dtype == tf.float32 and wt.grad.dtype == tf.float32
    np.testing.assert_allclose(out.detach().numpy(), conv_loop(x, w, 2, 1, 1, 2), rtol=1e-4,
                               atol=1e-5)


def test_graph_mode_gradients_equal_eager_ones(layout):
    import tinyflow.compat.v1 as v1
    x, w = rng.standard_normal((3, 4, 7, 6)), rng.standard_normal((6, 2, 3, 2))
    xt, wt = tf.tensor(x, requires_grad=True), tf.tensor(w, requires_grad=True)
    (F.conv2d(xt, wt, (2, 1), 1, (1, 2), 2) ** 2).sum().backward()
    graph = v1.Graph()
    with graph.as_default():
        xs = v1.placeholder(v1.float64, [None, 4, 7, 6])
        ws = v1.placeholder(v1.float64, [6, 2, 3, 2])
        out = F.conv2d(xs, ws, (2, 1), 1, (1, 2), 2)
        assert out.shape.as_list() == [None, 6, 4, 6]
        grads = v1.gradients(v1.reduce_sum(out ** 2), [xs, ws])
    gx, gw = v1.Session(graph=graph).run(grads, {xs: x, ws: w})
    np.testing.assert_allclose(gx, xt.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(gw, wt.grad.numpy(), rtol=1e-12)


def test_shapes_are_checked_when_the_graph_is_built():
    import tinyflow.compat.v1 as v1
    with v1.Graph().as_default():
        x = v1.placeholder(v1.float32, [None, 4, 8, 8])
        with pytest.raises(ShapeError, match="input has 4 channels but the weight expects 6"):
            F.conv2d(x, v1.placeholder(v1.float32, [6, 3, 3, 3]), groups=2)
        with pytest.raises(ShapeError, match="5 output channels .* cannot be split into 2 groups"):
            F.conv2d(x, v1.placeholder(v1.float32, [5, 2, 3, 3]), groups=2)
        with pytest.raises(ShapeError, match="larger than the padded input"):
            F.conv2d(x, v1.placeholder(v1.float32, [2, 4, 3, 3]), dilation=4)


@pytest.mark.parametrize("stride, padding, dilation",
                         [(1, 0, 1), (2, 1, 1), ((1, 2), (2, 1), (2, 3))])
def test_col2im_is_the_adjoint_of_im2col(stride, padding, dilation):
    x = rng.standard_normal((2, 3, 7, 8))
    cols = F.im2col(x, 3, 2, stride, padding, dilation=dilation)
    c = rng.standard_normal(cols.shape)
    back = F.col2im(c, x, 3, 2, stride, padding, dilation=dilation)
    np.testing.assert_allclose(np.sum(cols * c), np.sum(x * back), rtol=1e-12)


def test_im2col_is_a_view_of_an_unpadded_image():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    cols = F.im2col(x, 3, 3, 1, 0)
    assert np.shares_memory(cols, x) and cols.shape == (1, 2, 2, 1, 3, 3)
    np.testing.assert_array_equal(cols[0, 1, 1, 0], x[0, 0, 1:, 1:])


def test_dilated_grouped_convolution_and_pooling_export_to_onnx():
    pytest.importorskip("onnxruntime")
    from tinyflow.export.onnx import export, run
    w = rng.standard_normal((6, 2, 3, 2)).astype(np.float32)

    def net(x):
        h = F.conv2d(x, w, (2, 1), (1, 2), (2, 1), 2)
        return F.max_pool2d(h, 2, 2, 1, dilation=(1, 2), ceil_mode=True)

    x = rng.standard_normal((2, 4, 9, 8)).astype(np.float32)
    proto = export(tf.function(net), tf.tensor(x))        # onnxruntime runs it (float32)
    np.testing.assert_allclose(run(proto, {"x": x})[0], net(x), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("xs, ws, stride, padding, dilation, groups", CONFIGS, ids=_ids())
def test_forward_and_gradients_agree_with_pytorch(xs, ws, stride, padding, dilation, groups,
                                                  layout):
    """Every configuration above against torch.nn.functional.conv2d (float64), with a
    bias: output and the gradients of x, the weight and the bias for the same output
    gradient. (The op itself: tinyflow.nn's Conv2d and conv2d still refuse dilation and
    groups other than 1.)"""
    from _parity import import_torch
    torch = import_torch()
    x, w, b = rng.standard_normal(xs), rng.standard_normal(ws), rng.standard_normal(ws[0])
    ours = [tf.tensor(a, requires_grad=True) for a in (x, w, b)]
    theirs = [torch.tensor(a, requires_grad=True) for a in (x, w, b)]
    out = F.conv2d(ours[0], ours[1], stride, padding, dilation, groups) + \
        F.reshape(ours[2], (-1, 1, 1))
    want = torch.nn.functional.conv2d(*theirs, stride=stride, padding=padding,
                                      dilation=dilation, groups=groups)
    np.testing.assert_allclose(out.detach().numpy(), want.detach().numpy(), rtol=1e-12,
                               atol=1e-12)
    g = rng.standard_normal(tuple(want.shape))
    out.backward(tf.tensor(g))
    want.backward(torch.tensor(g))
    for a, t in zip(ours, theirs):
        np.testing.assert_allclose(a.grad.numpy(), t.grad.numpy(), rtol=1e-12, atol=1e-12)


# --- TensorFlow's layout: data_format="NHWC" (ops/layout.py) -------------------------------

@pytest.mark.parametrize("op", ["conv", "max", "avg"])
def test_nhwc_ops_equal_nchw_through_transposes_with_numeric_gradients(op):
    from tinyflow.ops import conv as C, pool as P
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 7, 6, 3))                  # N, H, W, C
    w = rng.standard_normal((3, 3, 3, 4))                  # kh, kw, C, O
    nhwc = {"conv": lambda x, w: C.conv2d(x, w, 2, 1, data_format="NHWC"),
            "max": lambda x, w: P.max_pool2d(x, 3, 2, 1, data_format="NHWC"),
            "avg": lambda x, w: P.avg_pool2d(x, 3, 1, 1, data_format="NHWC")}[op]
    nchw = {"conv": lambda x, w: C.conv2d(x, w.transpose(3, 2, 0, 1), 2, 1),
            "max": lambda x, w: P.max_pool2d(x, 3, 2, 1),
            "avg": lambda x, w: P.avg_pool2d(x, 3, 1, 1)}[op]
    want = nchw(x.transpose(0, 3, 1, 2), w).transpose(0, 2, 3, 1)
    np.testing.assert_array_equal(nhwc(x, w), want)
    xt, wt = tf.tensor(x, requires_grad=True), tf.tensor(w, requires_grad=True)
    assert tf.gradcheck(nhwc, (xt, wt) if op == "conv" else (xt, tf.tensor(w)))


def test_conv2d_same_padding_with_an_even_kernel_pads_one_more_at_the_end():
    """As PyTorch: a 2x2 kernel with padding='same' sees one zero row below and one zero
    column to the right (none above or to the left)."""
    import tinyflow.nn.functional as NF
    a = np.arange(9.0).reshape(1, 1, 3, 3)
    y = NF.conv2d(tf.tensor(a), tf.ones(1, 1, 2, 2, dtype=tf.float64), padding="same")
    padded = np.pad(a[0, 0], ((0, 1), (0, 1)))
    want = padded[:-1, :-1] + padded[1:, :-1] + padded[:-1, 1:] + padded[1:, 1:]
    np.testing.assert_allclose(y.numpy()[0, 0], want)
    x = tf.tensor(np.random.default_rng(0).normal(size=(1, 2, 4, 5)), requires_grad=True)
    w = tf.tensor(np.random.default_rng(1).normal(size=(3, 2, 2, 3)), requires_grad=True)
    assert tf.gradcheck(lambda a, b: NF.conv2d(a, b, padding="same"), (x, w))
