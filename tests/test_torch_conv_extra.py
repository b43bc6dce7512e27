"""Conv1d, the transposed convolutions, interpolate / Upsample, the extra activations,
ModuleDict / ParameterList / ParameterDict and Unflatten, without PyTorch: values
against numpy references written here (a transposed convolution by a loop that
spreads every input pixel, the adjoint of the direct convolution), gradients by
central differences in float64, both memory layouts of conv.py, graph tracing, and a
DCGAN-style generator trained for a step. test_parity_conv_extra.py compares the same
layers with real PyTorch."""
import os
import tempfile

import numpy as np
import pytest

import tinyflow as tf
import tinyflow.nn as nn
import tinyflow.nn.functional as F
from tinyflow.ops.fast import use_fast_forwards

rng = np.random.default_rng(3)


@pytest.fixture(params=[True, False], ids=["batch last", "plain"])
def layout(request):
    """Images kept batch last in memory (ops/conv.py's BATCH_LAST) or plain: the same."""
    use_fast_forwards(request.param)
    yield request.param
    use_fast_forwards(True)


def _t(a, grad=True):
    return tf.tensor(np.asarray(a, np.float64), requires_grad=grad)


def _two(v):
    return (v, v) if isinstance(v, int) else tuple(v)


# --- references ------------------------------------------------------------------------------

def conv_transpose_loop(x, w, stride=1, padding=0, output_padding=0, dilation=1, groups=1):
    """By definition: input pixel (i, j) of channel c adds x * w[c, :, a, b] at output
    (i*stride + a*dilation - padding, j*stride + b*dilation - padding)."""
    (sh, sw), (ph, pw), (oph, opw), (dh, dw) = map(_two, (stride, padding, output_padding,
                                                          dilation))
    n, cin, h, wd = x.shape
    _, cog, kh, kw = w.shape
    out_h = (h - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1
    out_w = (wd - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1
    canvas = np.zeros((n, cog * groups, ph + out_h + (h - 1) * sh + dh * kh,
                       pw + out_w + (wd - 1) * sw + dw * kw))
    for c in range(cin):
        g = c // (cin // groups)
        for i in range(h):
            for j in range(wd):
                for a in range(kh):
                    for b in range(kw):
                        canvas[:, g * cog:(g + 1) * cog, i * sh + a * dh, j * sw + b * dw] += \
                            x[:, c, i, j, None] * w[c, :, a, b]
    return canvas[:, :, ph:ph + out_h, pw:pw + out_w]


def conv1d_loop(x, w, stride=1, left=0, right=0, dilation=1, groups=1):
    n, c, length = x.shape
    o, cg, k = w.shape
    xp = np.concatenate([np.zeros((n, c, left)), x, np.zeros((n, c, right))], axis=2)
    out_len = (length + left + right - dilation * (k - 1) - 1) // stride + 1
    out = np.zeros((n, o, out_len))
    for q in range(o):
        g = q // (o // groups)
        for i in range(out_len):
            start = i * stride
            taps = xp[:, g * cg:(g + 1) * cg, start:start + dilation * (k - 1) + 1:dilation]
            out[:, q, i] = (taps * w[q]).sum(axis=(1, 2))
    return out


# (input shape, weight shape, stride, padding, output_padding, dilation, groups)
TRANSPOSED = [
    ((2, 3, 4, 5), (3, 2, 3, 3), 1, 0, 0, 1, 1),
    ((2, 3, 4, 4), (3, 2, 4, 4), 2, 1, 0, 1, 1),
    ((1, 2, 3, 5), (2, 3, 3, 2), (2, 3), (1, 0), (1, 2), (1, 2), 1),
    ((2, 4, 3, 3), (4, 1, 3, 3), 2, 1, 1, 1, 2),
    ((1, 4, 3, 4), (4, 1, 2, 3), 1, 2, 0, 2, 4),
    ((1, 2, 3, 3), (2, 2, 3, 3), 1, 0, 2, 3, 1),            # output_padding >= stride
    ((2, 2, 1, 1), (2, 3, 1, 1), 3, 1, 2, 1, 1),            # the output past the image
]


def _ids(configs):
    return [f"x{c[0][1:]}-w{c[1]}-s{c[2]}-p{c[3]}-op{c[4]}-d{c[5]}-g{c[6]}" for c in configs]


@pytest.mark.parametrize("xs, ws, s, p, op, d, g", TRANSPOSED, ids=_ids(TRANSPOSED))
def test_conv_transpose2d_is_the_definition(xs, ws, s, p, op, d, g, layout):
    x, w, b = rng.standard_normal(xs), rng.standard_normal(ws), rng.standard_normal(ws[1] * g)
    y = F.conv_transpose2d(_t(x, False), _t(w, False), _t(b, False), s, p, op, g, d)
    want = conv_transpose_loop(x, w, s, p, op, d, g) + b[:, None, None]
    np.testing.assert_allclose(y.numpy(), want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("xs, ws, s, p, op, d, g", TRANSPOSED, ids=_ids(TRANSPOSED))
def test_conv_transpose2d_gradients_by_central_differences(xs, ws, s, p, op, d, g, layout):
    x, w = _t(rng.standard_normal(xs)), _t(rng.standard_normal(ws))
    b = _t(rng.standard_normal(ws[1] * g))
    assert tf.gradcheck(lambda x, w, b: F.conv_transpose2d(x, w, b, s, p, op, g, d), [x, w, b])


def test_conv_transpose2d_second_derivatives():
    x, w = _t(rng.standard_normal((1, 2, 3, 3))), _t(rng.standard_normal((2, 2, 3, 3)))
    assert tf.gradgradcheck(lambda x, w: F.conv_transpose2d(x, w, stride=2, padding=1), [x, w])


@pytest.mark.parametrize("s, p, d, g", [(1, 0, 1, 1), (2, 1, 1, 1), (3, 2, 2, 2), (2, 0, 1, 4)])
def test_conv_transpose2d_is_the_adjoint_of_conv2d(s, p, d, g):
    """<conv2d(x, w), y> == <x, conv_transpose2d(y, w)>: the same weight, read both ways."""
    x, w = rng.standard_normal((2, 4, 9, 8)), rng.standard_normal((8, 4 // g, 3, 3))
    conv = F.conv2d(_t(x, False), _t(w, False), None, s, p, d, g).numpy()
    y = rng.standard_normal(conv.shape)
    sizes = [(n - 1) * s - 2 * p + d * 2 + 1 for n in conv.shape[2:]]
    back = F.conv_transpose2d(_t(y, False), _t(w, False), None, s, p,
                              tuple(n - m for n, m in zip(x.shape[2:], sizes)), g, d).numpy()
    np.testing.assert_allclose((conv * y).sum(), (x * back).sum(), rtol=1e-12)


def test_conv_transpose1d_is_the_2d_one_on_a_row():
    x, w = rng.standard_normal((2, 4, 6)), rng.standard_normal((4, 3, 3))
    y = F.conv_transpose1d(_t(x, False), _t(w, False), None, 2, 1, 1, 2, 2)
    want = conv_transpose_loop(x[:, :, None], w[:, :, None], (1, 2), (0, 1), (0, 1), (1, 2), 2)
    np.testing.assert_allclose(y.numpy(), want[:, :, 0], rtol=1e-12, atol=1e-12)
    xt, wt = _t(x), _t(w)
    assert tf.gradcheck(lambda x, w: F.conv_transpose1d(x, w, None, 2, 1, 1, 2, 2), [xt, wt])


@pytest.mark.parametrize("k, kw, left, right", [
    (3, dict(), 0, 0), (4, dict(stride=2, padding=1), 1, 1), (4, dict(padding="same"), 1, 2),
    (4, dict(padding="same", dilation=3), 4, 5), (3, dict(padding="valid", dilation=2), 0, 0),
    (3, dict(groups=2, padding=2, stride=3), 2, 2)])
def test_conv1d_is_the_definition_and_its_gradients_are_right(k, kw, left, right, layout):
    groups = kw.get("groups", 1)
    x, w = rng.standard_normal((2, 4, 9)), rng.standard_normal((6, 4 // groups, k))
    b = rng.standard_normal(6)
    y = F.conv1d(_t(x, False), _t(w, False), _t(b, False), **kw)
    want = conv1d_loop(x, w, kw.get("stride", 1), left, right, kw.get("dilation", 1), groups)
    np.testing.assert_allclose(y.numpy(), want + b[:, None], rtol=1e-12, atol=1e-12)
    assert tf.gradcheck(lambda x, w, b: F.conv1d(x, w, b, **kw), [_t(x), _t(w), _t(b)])


def test_layers_take_unbatched_inputs_and_output_size():
    up = nn.ConvTranspose2d(3, 2, 3, stride=2).double()
    x = tf.tensor(rng.standard_normal((3, 4, 5)))
    assert up(x).shape == (2, 9, 11)
    assert np.allclose(up(x).detach().numpy(), up(x[None])[0].detach().numpy())
    assert up(x, output_size=(10, 12)).shape == (2, 10, 12)
    assert nn.ConvTranspose1d(3, 2, 3, stride=2)(tf.zeros(3, 4), output_size=[10]).shape == (2, 10)
    assert nn.Conv1d(3, 2, 3)(tf.zeros(3, 7)).shape == (2, 5)
    with pytest.raises(ValueError, match=r"ConvTranspose2d: requested an output size of \(12, "):
        up(x, output_size=(12, 12))


def test_weights_shapes_and_init_bounds():
    tf.manual_seed(1)
    up = nn.ConvTranspose2d(64, 32, 4, groups=2)
    assert up.weight.shape == (64, 16, 4, 4) and up.bias.shape == (32,)
    bound = 1 / np.sqrt(16 * 4 * 4)                 # fan_in: weight.shape[1] * kh * kw
    for p in (up.weight, up.bias):
        a = p.detach().numpy()
        assert a.dtype == np.float32 and np.abs(a).max() <= bound < np.abs(a).max() / 0.9
    assert list(nn.Conv1d(2, 4, 3).state_dict()) == ["weight", "bias"]
    assert nn.Conv1d(2, 4, 3, dtype=tf.float64).weight.dtype == tf.float64


def test_errors_name_the_function_and_the_argument():
    with pytest.raises(RuntimeError, match="conv_transpose2d: output padding must be smaller"):
        F.conv_transpose2d(tf.zeros(1, 2, 3, 3), tf.zeros(2, 4, 3, 3), stride=2, output_padding=2)
    with pytest.raises(RuntimeError, match=r"conv_transpose2d: Given input size per channel: "
                                           r"\(3 x 3\). Calculated output size per channel: "
                                           r"\(-1 x -1\)"):
        F.conv_transpose2d(tf.zeros(1, 2, 3, 3), tf.zeros(2, 4, 3, 3), padding=3)
    with pytest.raises(RuntimeError, match="conv1d: Given groups=1, weight of size"):
        F.conv1d(tf.zeros(1, 3, 5), tf.zeros(4, 2, 3))
    with pytest.raises(ValueError, match="Conv1d: padding='same' is not supported for strided"):
        nn.Conv1d(1, 1, 3, padding="same", stride=2)
    with pytest.raises(ValueError, match="interpolate: only one of size or scale_factor"):
        F.interpolate(tf.zeros(1, 1, 2, 2), size=3, scale_factor=2)
    with pytest.raises(NotImplementedError, match="interpolate: Got 3D input, but bilinear"):
        F.interpolate(tf.zeros(1, 1, 2), size=3, mode="bilinear")


# --- interpolate ---------------------------------------------------------------------------

def linear_loop(a, out, align_corners):
    """Linear interpolation along the last axis, one output at a time."""
    n = a.shape[-1]
    res = np.empty(a.shape[:-1] + (out,))
    for i in range(out):
        if out == n:
            src = i
        elif align_corners:
            src = i * (n - 1) / (out - 1) if out > 1 else 0.0
        else:
            src = max((i + 0.5) * n / out - 0.5, 0.0)
        lo = min(int(np.floor(src)), n - 1)
        hi = min(lo + 1, n - 1)
        t = src - lo
        res[..., i] = (1 - t) * a[..., lo] + t * a[..., hi]
    return res


def test_nearest_upsampling_repeats_pixels():
    x = rng.standard_normal((2, 3, 4, 5))
    for kw in (dict(scale_factor=2), dict(size=(8, 15)), dict(scale_factor=(2, 3))):
        want = x.repeat(2, axis=2).repeat(2 if kw.get("scale_factor") == 2 else 3, axis=3)
        np.testing.assert_array_equal(F.interpolate(_t(x, False), **kw).numpy(), want)
    y = F.interpolate(_t(x, False), size=(3, 7)).numpy()      # floor(i * in / out)
    np.testing.assert_array_equal(y, x[:, :, [0, 1, 2]][:, :, :, [0, 0, 1, 2, 2, 3, 4]])
    y = F.interpolate(_t(x, False), size=(3, 7), mode="nearest-exact").numpy()
    np.testing.assert_array_equal(y, x[:, :, [0, 2, 3]][:, :, :, [0, 1, 1, 2, 3, 3, 4]])


@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("out", [(7, 9), (2, 3), (4, 5), (1, 1)])
def test_bilinear_is_linear_along_each_axis(out, align_corners):
    x = rng.standard_normal((2, 3, 4, 5))
    y = F.interpolate(_t(x, False), size=out, mode="bilinear", align_corners=align_corners)
    rows = linear_loop(x.swapaxes(2, 3), out[0], align_corners).swapaxes(2, 3)
    np.testing.assert_allclose(y.numpy(), linear_loop(rows, out[1], align_corners), rtol=1e-12)


def test_area_averages_pytorchs_adaptive_windows():
    x = rng.standard_normal((1, 2, 7))
    y = F.interpolate(_t(x, False), size=3, mode="area").numpy()
    want = np.stack([x[..., 0:3].mean(-1), x[..., 2:5].mean(-1), x[..., 4:7].mean(-1)], -1)
    np.testing.assert_allclose(y, want, rtol=1e-12)


@pytest.mark.parametrize("shape, kw", [
    ((1, 2, 3, 4), dict(scale_factor=2)), ((1, 2, 3, 4), dict(size=(5, 3))),
    ((1, 2, 5), dict(size=7, mode="nearest-exact")), ((1, 2, 5), dict(size=8, mode="linear")),
    ((1, 2, 3, 4), dict(scale_factor=1.5, mode="bilinear", align_corners=True)),
    ((1, 2, 5, 4), dict(size=(2, 3), mode="area")),
    ((1, 1, 2, 3, 4), dict(size=(3, 4, 2), mode="trilinear")),
    ((1, 1, 2, 3, 2), dict(scale_factor=2))])
def test_interpolate_gradients_by_central_differences(shape, kw):
    assert tf.gradcheck(lambda x: F.interpolate(x, **kw), [_t(rng.standard_normal(shape))])


def test_upsample_layers():
    x = tf.tensor(rng.standard_normal((1, 1, 2, 3)))
    assert nn.Upsample(scale_factor=2)(x).shape == (1, 1, 4, 6)
    want = F.interpolate(x, (3, 5), mode="bilinear", align_corners=True).numpy()
    np.testing.assert_allclose(nn.UpsamplingBilinear2d(size=(3, 5))(x).numpy(), want)
    assert repr(nn.Upsample(scale_factor=(2, 3))) == \
        "Upsample(scale_factor=(2.0, 3.0), mode='nearest')"


# --- activations -------------------------------------------------------------------------

def test_activation_values():
    a = np.array([-30.0, -2.0, -1.0, 0.0, 0.5, 1.0, 6.0, 7.0, 30.0])
    x = _t(a, False)
    softplus = np.log1p(np.exp(a))
    np.testing.assert_allclose(F.mish(x).numpy(), a * np.tanh(softplus), rtol=1e-14, atol=1e-300)
    np.testing.assert_allclose(F.softplus(x).numpy(), np.where(a > 20, a, softplus), rtol=1e-14)
    np.testing.assert_allclose(F.softplus(x, 2, 5).numpy(),
                               np.where(2 * a > 5, a, np.log1p(np.exp(2 * a)) / 2), rtol=1e-14)
    np.testing.assert_array_equal(F.hardtanh(x).numpy(), np.clip(a, -1, 1))
    np.testing.assert_array_equal(nn.ReLU6()(x).numpy(), np.clip(a, 0, 6))
    np.testing.assert_allclose(nn.SiLU()(x).numpy(), a / (1 + np.exp(-a)), rtol=1e-14, atol=1e-12)
    s = nn.Softmax2d()(tf.tensor(rng.standard_normal((2, 3, 4, 5)))).numpy()
    np.testing.assert_allclose(s.sum(axis=1), 1.0)


def test_hardtanh_gradient_is_zero_on_the_ends_and_activations_pass_gradcheck():
    x = _t([-2.0, -1.0, 0.0, 1.0, 2.0])
    nn.Hardtanh()(x).sum().backward()
    assert x.grad.numpy().tolist() == [0.0, 0.0, 1.0, 0.0, 0.0]
    v = _t(rng.uniform(-8, 8, (3, 4)))
    for fn in (F.mish, F.silu, F.relu6, lambda t: F.hardtanh(t, -2, 3),
               lambda t: F.softplus(t, 0.5, 2.0)):
        assert tf.gradcheck(fn, [v])
    assert tf.gradcheck(nn.Softmax2d(), [_t(rng.standard_normal((2, 3, 2, 2)))])


# --- containers, Unflatten --------------------------------------------------------------------

def test_module_dict_registers_its_modules():
    d = nn.ModuleDict({"enc": nn.Conv1d(1, 2, 3), "act": nn.Mish()})
    d.update([("dec", nn.ConvTranspose1d(2, 1, 3))])
    assert list(d) == ["enc", "act", "dec"] and "act" in d and len(d) == 3
    assert [k for k in d.state_dict()] == ["enc.weight", "enc.bias", "dec.weight", "dec.bias"]
    assert isinstance(d.pop("act"), nn.Mish) and list(d.keys()) == ["enc", "dec"]
    with pytest.raises(TypeError, match="ModuleDict"):
        d["x"] = 3
    with pytest.raises(ValueError, match="ModuleDict update sequence element #0 has length 1"):
        d.update([("a",)])


def test_parameter_list_and_dict_register_their_tensors():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.scales = nn.ParameterList([tf.ones(2), tf.zeros(3)])
            self.shifts = nn.ParameterDict({"b": tf.zeros(1), "a": tf.ones(1)})

        def forward(self, x):
            return x * self.scales[0].sum() + self.shifts["a"]
    net = Net()
    assert list(net.state_dict()) == ["scales.0", "scales.1", "shifts.a", "shifts.b"]
    assert all(isinstance(p, nn.Parameter) for p in net.parameters())
    net.scales[1] = tf.full((3,), 2.0)
    assert list(net.scales.state_dict()) == ["0", "1"]
    opt = tf.optim.SGD(net.parameters(), lr=0.5)
    net(tf.ones(2)).sum().backward()
    opt.step()
    assert net.scales[0].detach().numpy().tolist() == [0.0, 0.0]
    with pytest.raises(IndexError):
        net.scales[2]
    with pytest.raises(KeyError):
        net.shifts["c"]
    with pytest.raises(AttributeError):               # PyTorch's type for a missing key
        net.shifts["c"]
    path = os.path.join(tempfile.mkdtemp(), "net.pt")
    tf.save(nn.Sequential(nn.ParameterList([tf.ones(2)]), nn.ModuleDict({"a": nn.Conv1d(1, 1, 2)})),
            path)
    assert list(tf.load(path).state_dict()) == ["0.0", "1.a.weight", "1.a.bias"]


def test_unflatten():
    x = tf.arange(24.0).reshape(2, 12)
    assert nn.Unflatten(1, (3, -1))(x).shape == (2, 3, 4)
    assert nn.Unflatten(-1, [2, 2, 3])(x).numpy().ravel().tolist() == list(range(24))
    with pytest.raises(RuntimeError, match="don't multiply up to the size of dim 1"):
        nn.Unflatten(1, (5, 5))(x)
    with pytest.raises(TypeError, match="unflattened_size must be tuple of ints"):
        nn.Unflatten(1, (2.0, 6))


# --- programs and graphs ---------------------------------------------------------------------

def _generator(nz=16):
    return nn.Sequential(
        nn.ConvTranspose2d(nz, 32, 4, 1, 0, bias=False), nn.BatchNorm2d(32), nn.ReLU(True),
        nn.ConvTranspose2d(32, 16, 4, 2, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(True),
        nn.ConvTranspose2d(16, 3, 4, 2, 1, bias=False), nn.Tanh())


def test_a_dcgan_generator_trains_and_traces():
    tf.manual_seed(0)
    g = _generator()
    opt = tf.optim.Adam(g.parameters(), lr=1e-2, betas=(0.5, 0.999))
    z, target = tf.randn(8, 16, 1, 1), tf.rand(8, 3, 16, 16) * 2 - 1
    losses = []
    for _ in range(5):
        opt.zero_grad()
        out = g(z)
        assert out.shape == (8, 3, 16, 16) and float(out.abs().max()) <= 1
        loss = ((out - target) ** 2).mean()
        loss.backward()
        assert all(np.isfinite(p.grad.numpy()).all() for p in g.parameters())
        opt.step()
        losses.append(float(loss))
    assert losses[-1] < losses[0]
    g.eval()
    traced = tf.jit.trace(g, z)                          # the batch is left unknown
    other = tf.randn(3, 16, 1, 1)
    np.testing.assert_allclose(traced(other).numpy(), g(other).detach().numpy(), rtol=1e-5,
                               atol=1e-6)


def test_traced_layers_with_an_unknown_batch_match_eager():
    """The zeros a transposed convolution writes into, and the padding past the image,
    are built from the input's batch when it is unknown; nearest upsampling gathers."""
    tf.manual_seed(0)
    model = nn.Sequential(nn.ConvTranspose2d(2, 3, 3, stride=1, dilation=2, output_padding=1),
                          nn.Upsample(scale_factor=2), nn.Conv2d(3, 2, 3, padding=1),
                          nn.Upsample(size=(9, 7), mode="bilinear"), nn.Flatten(),
                          nn.Unflatten(1, (2, 9, 7)), nn.Softmax2d()).eval()
    traced = tf.jit.trace(model, tf.zeros(1, 2, 3, 3))
    x = tf.randn(4, 2, 3, 3)
    np.testing.assert_allclose(traced(x).numpy(), model(x).detach().numpy(), rtol=1e-5, atol=1e-6)
    conv = nn.Conv1d(2, 3, 4, padding="same")
    traced = tf.jit.trace(nn.Sequential(conv, nn.ConvTranspose1d(3, 2, 3, stride=2)),
                          tf.zeros(1, 2, 8))
    x = tf.randn(5, 2, 8)
    assert traced(x).shape == (5, 2, 17)
