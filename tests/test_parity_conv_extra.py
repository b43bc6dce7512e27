"""The layers of PyTorch's autoencoder, DCGAN and 1-D signal tutorials against real
PyTorch: Conv1d, ConvTranspose1d/2d, Upsample / F.interpolate, the extra activations,
ModuleDict / ParameterList / ParameterDict and Unflatten. Weights are copied from
PyTorch's layer; outputs and the gradients with respect to the input, the weight and
the bias agree in float64 to 1e-10, for the strides, paddings, output paddings,
dilations and groups PyTorch accepts; reprs, state_dict keys and shapes, the default
init's bounds and the error types agree too.

The same behaviour is checked without PyTorch in test_torch_conv_extra.py.
"""
import warnings
from collections import OrderedDict

import numpy as np
import pytest

from _parity import import_torch

torch = import_torch()   # real PyTorch: skipped with the reason where missing, required by make parity
import torch.nn.functional as TF  # noqa: E402

import tinyflow as tf  # noqa: E402
import tinyflow.nn as nn  # noqa: E402
import tinyflow.nn.functional as F  # noqa: E402

RTOL, ATOL = 1e-10, 1e-12


def _pair(shape, seed=0, low=-2.0, high=2.0, dtype=np.float64):
    """The same values as a tinyflow and a torch leaf that require grad."""
    a = np.random.default_rng(seed).uniform(low, high, shape).astype(dtype)
    return tf.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)


def _close(ours, theirs, rtol=RTOL, atol=ATOL):
    theirs = theirs.detach().numpy() if hasattr(theirs, "detach") else np.asarray(theirs)
    ours = ours.detach().numpy() if hasattr(ours, "detach") else np.asarray(ours)
    assert ours.shape == theirs.shape
    assert ours.dtype == theirs.dtype
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol)


def _backward_both(y, yt, seed=7):
    """The gradients of sum(w * out) for fixed random weights w."""
    dtype = yt.detach().numpy().dtype
    w = np.random.default_rng(seed).uniform(0.5, 1.5, tuple(yt.shape)).astype(dtype)
    (y * tf.tensor(w)).sum().backward()
    (yt * torch.tensor(w)).sum().backward()


def _same_module(make, x_shape, seed=0, call=lambda m, x: m(x)):
    """Build the layer in both, copy PyTorch's weights, compare in float64 the output
    and the gradients of the input and of every parameter."""
    theirs = make(torch.nn).double()
    ours = make(nn).double()
    assert [k for k in ours.state_dict()] == [k for k in theirs.state_dict()]
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    x, xt = _pair(x_shape, seed)
    y, yt = call(ours, x), call(theirs, xt)
    _close(y, yt)
    _backward_both(y, yt, seed)
    _close(x.grad, xt.grad)
    for (name, p), (tname, tp) in zip(ours.named_parameters(), theirs.named_parameters()):
        assert name == tname
        _close(p.grad, tp.grad)


# --- transposed convolutions -------------------------------------------------------------

CONV_T2D = [   # (in, out, kernel, keyword arguments, input shape)
    (4, 3, 3, {}, (2, 4, 5, 6)),
    (4, 3, 4, dict(stride=2, padding=1), (2, 4, 5, 5)),                # DCGAN's doubling
    (4, 6, 3, dict(stride=2, padding=1, output_padding=1), (2, 4, 4, 5)),
    (4, 6, (3, 2), dict(stride=(2, 3), padding=(1, 0), output_padding=(1, 2), dilation=(1, 2)),
     (1, 4, 5, 4)),
    (4, 6, 3, dict(stride=2, groups=2, bias=False), (2, 4, 3, 4)),
    (4, 4, 3, dict(groups=4, dilation=2, padding=2), (2, 4, 5, 5)),    # depthwise
    (4, 6, 3, dict(dilation=3, output_padding=2), (2, 4, 4, 3)),       # output_padding >= stride
    (2, 4, 1, dict(stride=3, padding=1, output_padding=2), (2, 2, 1, 1)),   # past the image
    (3, 2, 5, dict(stride=3, padding=4, output_padding=1), (1, 3, 4, 4)),
    (4, 3, 3, dict(stride=2), (4, 5, 6)),                              # unbatched
]


@pytest.mark.parametrize("cin, cout, k, kw, shape", CONV_T2D, ids=range(len(CONV_T2D)))
def test_conv_transpose2d_matches_values_and_gradients(cin, cout, k, kw, shape):
    _same_module(lambda m: m.ConvTranspose2d(cin, cout, k, **kw), shape)


CONV_T1D = [
    (4, 3, 3, {}, (2, 4, 7)),
    (4, 6, 4, dict(stride=2, padding=1), (2, 4, 6)),
    (4, 6, 3, dict(stride=3, padding=1, output_padding=2, dilation=2, groups=2), (2, 4, 5)),
    (4, 6, 3, dict(dilation=2, output_padding=1, bias=False), (1, 4, 5)),
    (4, 6, 3, dict(stride=2), (4, 5)),                                 # unbatched
]


@pytest.mark.parametrize("cin, cout, k, kw, shape", CONV_T1D, ids=range(len(CONV_T1D)))
def test_conv_transpose1d_matches_values_and_gradients(cin, cout, k, kw, shape):
    _same_module(lambda m: m.ConvTranspose1d(cin, cout, k, **kw), shape)


@pytest.mark.parametrize("size", [(9, 9), (10, 10), (9, 10), (1, 4, 10, 9), [10, 9]])
def test_conv_transpose2d_output_size_picks_pytorchs_output_padding(size):
    _same_module(lambda m: m.ConvTranspose2d(4, 3, 3, stride=2, padding=1), (1, 4, 5, 5),
                 call=lambda m, x: m(x, output_size=size))


def test_conv_transpose1d_output_size_and_unbatched_output_size():
    _same_module(lambda m: m.ConvTranspose1d(4, 3, 3, stride=3), (2, 4, 5),
                 call=lambda m, x: m(x, output_size=[17]))
    _same_module(lambda m: m.ConvTranspose2d(4, 3, 3, stride=2), (4, 5, 5),
                 call=lambda m, x: m(x, output_size=(3, 12, 11)))


def test_functional_transposed_convolutions_take_pytorchs_positional_order():
    """(input, weight, bias, stride, padding, output_padding, groups, dilation)."""
    for dims, shape, wshape in [(2, (2, 4, 4, 5), (4, 3, 3, 3)), (1, (2, 4, 6), (4, 3, 3))]:
        (x, xt), (w, wt), (b, bt) = _pair(shape), _pair(wshape, 1), _pair((6,), 2)
        args = (3, 1, 2, 2, 2)                   # groups=2, dilation=2
        ours = (F.conv_transpose2d if dims == 2 else F.conv_transpose1d)(x, w, b, *args)
        theirs = (TF.conv_transpose2d if dims == 2 else TF.conv_transpose1d)(xt, wt, bt, *args)
        _close(ours, theirs)
        _backward_both(ours, theirs)
        for a, at in ((x, xt), (w, wt), (b, bt)):
            _close(a.grad, at.grad)


# --- Conv1d -----------------------------------------------------------------------------

CONV1D = [
    (4, 6, 3, {}, (2, 4, 9)),
    (4, 6, 4, dict(stride=2, padding=1), (2, 4, 9)),
    (4, 6, 4, dict(padding="same"), (2, 4, 9)),                 # one more zero on the right
    (4, 6, 4, dict(padding="same", dilation=3), (2, 4, 11)),
    (4, 6, 3, dict(padding="same", dilation=2), (2, 4, 8)),
    (4, 6, 3, dict(padding="valid", stride=2), (2, 4, 9)),
    (4, 6, 3, dict(groups=2, dilation=2, padding=2, stride=3), (2, 4, 11)),
    (4, 4, 5, dict(groups=4, bias=False), (3, 4, 9)),
    (4, 6, 3, dict(padding=1), (4, 7)),                                # unbatched
]


@pytest.mark.parametrize("cin, cout, k, kw, shape", CONV1D, ids=range(len(CONV1D)))
def test_conv1d_matches_values_and_gradients(cin, cout, k, kw, shape):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")       # PyTorch's note on even kernels with 'same'
        _same_module(lambda m: m.Conv1d(cin, cout, k, **kw), shape)


def test_integer_convolutions_run_as_in_pytorch():
    a = np.arange(10).reshape(1, 2, 5)
    w = np.ones((2, 1, 2), np.int64)
    for name in ("conv1d", "conv_transpose1d"):
        ours = getattr(F, name)(tf.tensor(a), tf.tensor(w), groups=2)
        theirs = getattr(TF, name)(torch.tensor(a), torch.tensor(w), groups=2)
        _close(ours, theirs)


# --- reprs, state_dict, init ------------------------------------------------------------------

MODULES = [
    lambda nn: nn.Conv1d(16, 33, 3, stride=2),
    lambda nn: nn.Conv1d(4, 6, 4, padding="same", dilation=2, groups=2, bias=False),
    lambda nn: nn.Conv1d(4, 6, 4, padding="valid"),
    lambda nn: nn.Conv1d(4, 6, (4,), padding=[2]),
    lambda nn: nn.ConvTranspose2d(16, 33, 3, stride=2, output_padding=1, bias=False),
    lambda nn: nn.ConvTranspose2d(16, 32, (3, 5), stride=(2, 1), padding=[1, 0], dilation=2,
                                  groups=4),
    lambda nn: nn.ConvTranspose2d(2, 4, 3, dilation=0),
    lambda nn: nn.ConvTranspose1d(4, 6, 3, padding=1, dilation=2, groups=2),
    lambda nn: nn.ConvTranspose1d(4, 6, 3, output_padding=3),
    lambda nn: nn.Upsample(scale_factor=2),
    lambda nn: nn.Upsample(size=3, mode="bilinear"),
    lambda nn: nn.Upsample(size=(3, 4)),
    lambda nn: nn.Upsample(size=[3, 4], scale_factor=2),
    lambda nn: nn.Upsample(scale_factor=(2, 3), mode="bilinear", align_corners=True),
    lambda nn: nn.Upsample(scale_factor=0),
    lambda nn: nn.Upsample(scale_factor=2.5, mode="foo", recompute_scale_factor=True),
    lambda nn: nn.UpsamplingNearest2d(scale_factor=2),
    lambda nn: nn.UpsamplingBilinear2d(size=(3, 4)),
    lambda nn: nn.SiLU(),
    lambda nn: nn.SiLU(inplace=True),
    lambda nn: nn.Mish(),
    lambda nn: nn.Hardtanh(),
    lambda nn: nn.Hardtanh(-2, 3, True),
    lambda nn: nn.ReLU6(),
    lambda nn: nn.ReLU6(inplace=True),
    lambda nn: nn.Softplus(),
    lambda nn: nn.Softplus(2, 10),
    lambda nn: nn.Softmax2d(),
    lambda nn: nn.Unflatten(1, (2, 5)),
    lambda nn: nn.Unflatten(-1, [2, 5]),
    lambda nn: nn.ModuleDict({"conv": nn.Conv1d(1, 2, 3), "act": nn.SiLU()}),
    lambda nn: nn.ModuleDict(),
    lambda nn: nn.Sequential(nn.ConvTranspose2d(8, 4, 4, 2, 1, bias=False), nn.BatchNorm2d(4),
                             nn.ReLU(True), nn.Upsample(scale_factor=2), nn.Tanh()),
]


@pytest.mark.parametrize("make", MODULES, ids=range(len(MODULES)))
def test_repr_is_pytorchs(make):
    assert repr(make(nn)) == repr(make(torch.nn))


PARAMETRIZED = [
    lambda nn, **kw: nn.Conv1d(16, 32, 5, **kw),
    lambda nn, **kw: nn.Conv1d(16, 32, 5, groups=4, bias=False, **kw),
    lambda nn, **kw: nn.ConvTranspose2d(64, 32, 4, **kw),
    lambda nn, **kw: nn.ConvTranspose2d(64, 32, (3, 5), groups=8, **kw),
    lambda nn, **kw: nn.ConvTranspose1d(32, 48, 7, groups=2, **kw),
]


@pytest.mark.parametrize("make", PARAMETRIZED, ids=range(len(PARAMETRIZED)))
def test_state_dict_and_default_init_are_pytorchs(make):
    tf.manual_seed(0)
    ours, theirs = make(nn), make(torch.nn)
    assert [(k, tuple(v.shape), str(v.dtype)) for k, v in ours.state_dict().items()] == \
        [(k, tuple(v.shape), str(v.dtype).replace("torch.", "tinyflow."))
         for k, v in theirs.state_dict().items()]
    fan_in, _ = torch.nn.init._calculate_fan_in_and_fan_out(theirs.weight)
    bound = 1 / np.sqrt(fan_in)                 # kaiming_uniform_(a=sqrt(5)): the same bound
    for name, p in ours.named_parameters():
        a = p.detach().numpy()
        assert np.abs(a).max() <= bound
        assert np.abs(a).max() > 0.9 * bound       # drawn over the whole interval
        assert abs(a.std() - bound / np.sqrt(3)) < 0.15 * bound / np.sqrt(3)
    assert str(make(nn, dtype=tf.float64).weight.dtype) == \
        str(make(torch.nn, dtype=torch.float64).weight.dtype).replace("torch.", "tinyflow.")


# --- interpolate and Upsample ---------------------------------------------------------------

INTERPOLATIONS = [   # (input shape, keyword arguments)
    ((2, 3, 5), dict(size=9)),
    ((2, 3, 5), dict(size=3, mode="nearest-exact")),
    ((2, 3, 5), dict(scale_factor=2.5, mode="linear")),
    ((2, 3, 5), dict(size=8, mode="linear", align_corners=True)),
    ((2, 3, 7), dict(size=3, mode="area")),
    ((2, 3, 4, 6), dict(scale_factor=2)),
    ((2, 3, 4, 6), dict(scale_factor=(2, 3))),
    ((2, 3, 4, 6), dict(size=(5, 7))),
    ((2, 3, 4, 6), dict(scale_factor=(0.5, 1.7))),
    ((2, 3, 4, 6), dict(scale_factor=1.7, recompute_scale_factor=True)),
    ((2, 3, 4, 6), dict(size=(7, 5), mode="nearest-exact")),
    ((2, 3, 4, 6), dict(scale_factor=2, mode="bilinear")),
    ((2, 3, 4, 6), dict(size=(9, 4), mode="bilinear")),
    ((2, 3, 4, 6), dict(scale_factor=(1.5, 0.7), mode="bilinear")),
    ((2, 3, 4, 6), dict(size=(9, 13), mode="bilinear", align_corners=True)),
    ((2, 3, 4, 6), dict(size=(1, 1), mode="bilinear", align_corners=True)),
    ((2, 3, 7, 6), dict(size=(3, 4), mode="area")),
    ((2, 3, 4, 6), dict(scale_factor=2.5, mode="area")),
    ((1, 2, 3, 4, 5), dict(scale_factor=2)),
    ((1, 2, 3, 4, 5), dict(size=(4, 5, 7), mode="trilinear")),
    ((1, 2, 3, 4, 5), dict(scale_factor=(2, 1.5, 0.7), mode="trilinear", align_corners=True)),
    ((1, 2, 4, 4, 6), dict(size=(3, 2, 5), mode="area")),
]


@pytest.mark.parametrize("shape, kw", INTERPOLATIONS, ids=range(len(INTERPOLATIONS)))
def test_interpolate_matches_values_and_gradients(shape, kw):
    x, xt = _pair(shape)
    y, yt = F.interpolate(x, **kw), TF.interpolate(xt, **kw)
    _close(y, yt)
    _backward_both(y, yt)
    _close(x.grad, xt.grad)


@pytest.mark.parametrize("n", [3, 7, 13, 100, 333])
def test_interpolate_float32_source_indices_and_weights_are_pytorchs(n):
    """PyTorch computes them in float32 for float32 inputs: the same rounding here."""
    x, xt = _pair((1, 2, n), dtype=np.float32)
    for kw in [dict(size=m) for m in (1, 9, 31, 250, 999)] + \
            [dict(scale_factor=f) for f in (1 / 3, 0.3, 2.2, 3.0, 1.1) if n * f >= 1]:
        for mode in ("nearest", "nearest-exact", "linear"):
            _close(F.interpolate(x, mode=mode, **kw), TF.interpolate(xt, mode=mode, **kw),
                   rtol=1e-6, atol=1e-6)


def test_nearest_with_an_output_as_large_as_the_input_but_a_scale_not_one():
    """scale_factor=1.2 on 4 pixels gives 4 pixels read at floor(i / 1.2): 0, 0, 1, 2 --
    the same values as PyTorch's. PyTorch's backward then treats the resize as the
    identity (its kernel's shortcut for equal sizes), which is not the forward's
    adjoint; tinyflow's gradient is the adjoint: pixel 0 gets two shares, pixel 3 none."""
    x, xt = _pair((1, 1, 4))
    y, yt = F.interpolate(x, scale_factor=1.2), TF.interpolate(xt, scale_factor=1.2)
    _close(y, yt)
    y.sum().backward()
    assert x.grad.numpy().tolist() == [[[2.0, 1.0, 1.0, 0.0]]]


def test_upsample_layers_match():
    for make, shape in [(lambda m: m.Upsample(scale_factor=2), (2, 3, 4, 5)),
                        (lambda m: m.Upsample(size=(5, 7), mode="bilinear"), (2, 3, 4, 5)),
                        (lambda m: m.Upsample(scale_factor=3, mode="linear", align_corners=True),
                         (2, 3, 4)),
                        (lambda m: m.UpsamplingNearest2d(size=(6, 7)), (1, 2, 3, 4)),
                        (lambda m: m.UpsamplingBilinear2d(scale_factor=2), (1, 2, 3, 4))]:
        _same_module(make, shape)


# --- activations -----------------------------------------------------------------------------

ACTIVATIONS = [
    lambda F, x: F.silu(x),
    lambda F, x: F.mish(x),
    lambda F, x: F.hardtanh(x),
    lambda F, x: F.hardtanh(x, -2.0, 3),
    lambda F, x: F.relu6(x),
    lambda F, x: F.softplus(x),
    lambda F, x: F.softplus(x, beta=2, threshold=5),
    lambda F, x: F.softplus(x, 0.5, 1.5),
    lambda F, x: F.softplus(x, beta=-1),
]


@pytest.mark.parametrize("fn", ACTIVATIONS, ids=range(len(ACTIVATIONS)))
def test_activations_match(fn):
    x, xt = _pair((3, 4, 5), low=-8, high=8)
    y, yt = fn(F, x), fn(TF, xt)
    _close(y, yt)
    _backward_both(y, yt)
    _close(x.grad, xt.grad)


def test_activation_modules_at_points_of_interest_match():
    a = np.array([-50.0, -6.0, -1.0, -1e-8, 0.0, 1e-8, 0.5, 1.0, 3.0, 6.0, 10.0, 20.0, 50.0,
                  np.nan])
    for make in (lambda nn: nn.SiLU(), lambda nn: nn.Mish(), lambda nn: nn.Hardtanh(),
                 lambda nn: nn.Hardtanh(0, 6), lambda nn: nn.ReLU6(), lambda nn: nn.Softplus(),
                 lambda nn: nn.Softplus(2, 10)):
        x, xt = tf.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
        with np.errstate(invalid="ignore"):            # numpy's note on the NaN
            y, yt = make(nn)(x), make(torch.nn)(xt)
        _close(y, yt, rtol=1e-14, atol=1e-15)     # (sigmoid(-50): 0 here, 2e-22 there)
        y.sum().backward()
        yt.sum().backward()
        _close(x.grad, xt.grad, rtol=1e-14, atol=1e-15)


def test_hardtanh_and_relu6_keep_integer_dtypes_and_softmax2d_matches():
    a = np.arange(-3, 9).reshape(3, 4)
    for fn in (lambda F, x: F.hardtanh(x), lambda F, x: F.relu6(x)):
        _close(fn(F, tf.tensor(a)), fn(TF, torch.tensor(a)))
    for shape in [(3, 4, 5), (2, 3, 4, 5)]:
        _same_module(lambda m: m.Softmax2d(), shape)


# --- containers and Unflatten ---------------------------------------------------------------

def _plain(v):
    """A container program's result, comparable across the two libraries."""
    if hasattr(v, "detach"):
        return ("tensor", tuple(v.shape), str(v.dtype).split(".")[-1],
                v.detach().numpy().tolist(), type(v).__name__)
    if isinstance(v, (list, tuple)):
        return [_plain(e) for e in v]
    if isinstance(v, str):
        return v.replace("torch.", "tinyflow.")
    return v


def _module_dict(nn, t):
    d = nn.ModuleDict({"b": nn.Linear(2, 3), "a": nn.ReLU()})
    d.update([("c", nn.Linear(3, 1))])
    d["d"] = nn.Identity()
    popped = d.pop("a")
    del d["d"]
    return [list(d), list(d.keys()), "a" in d, len(d), repr(popped), repr(d),
            [k for k, _ in d.named_parameters()], list(d.state_dict())]


def _parameter_list(nn, t):
    ps = nn.ParameterList([nn.Parameter(t.ones(2, 3)), t.zeros(3)])
    ps.append(t.arange(4.0))
    ps.extend([t.ones(1)])
    ps += [t.zeros(2, 2)]
    ps[1] = t.full((2,), 7.0)
    return [len(ps), [type(p).__name__ for p in ps], [tuple(p.shape) for p in ps[1:3]],
            list(ps.state_dict()), repr(ps), ps[-1], ps[1]]


def _parameter_dict(nn, t):
    d = nn.ParameterDict({"w": t.ones(2), "b": nn.Parameter(t.zeros(3))})
    d.update(OrderedDict([("z", t.ones(1)), ("a", t.zeros(1))]))
    d["m"] = t.ones(2, 2, dtype=t.float64)
    x = d.setdefault("q", t.ones(3))
    return [list(d), list(d.keys()), list(d.state_dict()), repr(d), d.pop("z"), len(d),
            "z" in d, d.get("z"), x, type(d["m"]).__name__]


def _in_a_model(nn, t):
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.heads = nn.ModuleDict({"x": nn.Linear(2, 2)})
            self.scales = nn.ParameterList([t.ones(2)])
            self.extra = nn.ParameterDict({"s": t.ones(1)})
    return [[k for k, _ in Net().named_parameters()], repr(Net())]


def _unflatten(nn, t):
    x = t.arange(24.0).reshape(2, 12)
    return [nn.Unflatten(1, (3, -1))(x), nn.Unflatten(-1, [2, 2, 3])(x).shape,
            nn.Unflatten(0, t.Size([1, 2]))(x).shape]


@pytest.mark.parametrize("program", [_module_dict, _parameter_list, _parameter_dict,
                                     _in_a_model, _unflatten])
def test_container_programs_agree(program):
    assert _plain(program(nn, tf)) == _plain(program(torch.nn, torch))


# --- errors: PyTorch's types, at the same moment ------------------------------------------------

BAD_CALLS = [
    lambda nn, t, F: nn.Conv1d(2.5, 4, 3),
    lambda nn, t, F: nn.Conv1d(1, 4, "3"),
    lambda nn, t, F: nn.Conv1d(1, 4, -1),
    lambda nn, t, F: nn.Conv1d(1, 4, 3, padding="foo"),
    lambda nn, t, F: nn.Conv1d(1, 4, 3, padding="same", stride=2),
    lambda nn, t, F: nn.Conv1d(2, 4, 3, groups=3),
    lambda nn, t, F: nn.Conv1d(2, 4, 3, groups=0),
    lambda nn, t, F: nn.Conv1d(2, 4, 3, padding_mode="bad"),
    lambda nn, t, F: nn.Conv1d(1, 4, 0)(t.zeros(1, 1, 5)),
    lambda nn, t, F: nn.Conv1d(1, 4, 3, stride=0)(t.zeros(1, 1, 5)),
    lambda nn, t, F: nn.Conv1d(1, 4, 3, padding=-1)(t.zeros(1, 1, 5)),
    lambda nn, t, F: nn.Conv1d(1, 4, 3)(t.zeros(1, 1, 2)),
    lambda nn, t, F: nn.Conv1d(1, 4, 3)(t.zeros(5)),
    lambda nn, t, F: nn.Conv1d(1, 4, 3)(t.zeros(1, 1, 1, 5)),
    lambda nn, t, F: nn.Conv1d(2, 4, 3)(t.zeros(1, 1, 5)),
    lambda nn, t, F: nn.Conv1d(1, 4, (3, 3))(t.zeros(1, 1, 5)),
    lambda nn, t, F: F.conv1d(t.zeros(1, 2, 5), t.zeros(4, 2, 3), padding="foo"),
    lambda nn, t, F: F.conv1d(t.zeros(1, 2, 5), t.zeros(4, 2, 3), padding="same", stride=2),
    lambda nn, t, F: F.conv1d(t.zeros(1, 2, 5), t.zeros(4, 2, 3), padding=(1, 1)),
    lambda nn, t, F: F.conv1d(t.zeros(1, 2, 5), t.zeros(4, 2, 3), stride=2.0),
    lambda nn, t, F: F.conv1d(t.zeros(1, 2, 5), t.zeros(4, 2, 3), groups=0),
    lambda nn, t, F: F.conv1d(t.zeros(1, 2, 5), t.zeros(4, 2, 3), dilation=0),
    lambda nn, t, F: F.conv1d(t.zeros(1, 4, 5), t.zeros(4, 2, 3), groups=3),
    lambda nn, t, F: F.conv1d(t.zeros(1, 2, 5), t.zeros(4, 2, 3), bias=t.zeros(3)),
    lambda nn, t, F: F.conv1d(t.zeros(1, 2, 5, dtype=t.float64), t.zeros(4, 2, 3)),
    lambda nn, t, F: F.conv1d(None, t.zeros(4, 2, 3)),
    lambda nn, t, F: nn.ConvTranspose2d(2, 4, 3, padding_mode="reflect"),
    lambda nn, t, F: nn.ConvTranspose2d(2, 4, 3, groups=3),
    lambda nn, t, F: nn.ConvTranspose2d(2.5, 4, 3),
    lambda nn, t, F: nn.ConvTranspose2d(2, 4, -3),
    lambda nn, t, F: nn.ConvTranspose2d(2, 4, 3, padding="same")(t.zeros(1, 2, 4, 4)),
    lambda nn, t, F: nn.ConvTranspose2d(2, 4, 3, stride=0)(t.zeros(1, 2, 4, 4)),
    lambda nn, t, F: nn.ConvTranspose2d(2, 4, 3, padding=-1)(t.zeros(1, 2, 4, 4)),
    lambda nn, t, F: nn.ConvTranspose2d(2, 4, 3, padding=3)(t.zeros(1, 2, 3, 3)),
    lambda nn, t, F: nn.ConvTranspose2d(2, 4, 3, output_padding=1)(t.zeros(1, 2, 3, 3)),
    lambda nn, t, F: nn.ConvTranspose2d(2, 4, 3, output_padding=-1)(t.zeros(1, 2, 3, 3)),
    lambda nn, t, F: nn.ConvTranspose2d(2, 4, 0)(t.zeros(1, 2, 3, 3)),
    lambda nn, t, F: nn.ConvTranspose2d(2, 4, 3)(t.zeros(1, 3, 3, 3)),
    lambda nn, t, F: nn.ConvTranspose2d(2, 4, 3)(t.zeros(3, 3)),
    lambda nn, t, F: nn.ConvTranspose2d(2, 4, 3, stride=2)(t.zeros(1, 2, 3, 3), output_size=(9, 9)),
    lambda nn, t, F: nn.ConvTranspose2d(2, 4, 3, stride=2)(t.zeros(1, 2, 3, 3), output_size=(7,)),
    lambda nn, t, F: nn.ConvTranspose2d(2, 4, 3, stride=2)(t.zeros(1, 2, 3, 3), output_size=7),
    lambda nn, t, F: nn.ConvTranspose1d(2, 4, 3, stride=2)(t.zeros(1, 2, 3), output_size=(9,)),
    lambda nn, t, F: nn.ConvTranspose1d(2, 4, 3)(t.zeros(1, 2, 3, 3)),
    lambda nn, t, F: F.conv_transpose2d(t.zeros(1, 2, 3, 3), t.zeros(2, 4, 3, 3), stride=2,
                                        output_padding=2),
    lambda nn, t, F: F.conv_transpose2d(t.zeros(1, 2, 3, 3), t.zeros(2, 4, 3, 3), groups=0),
    lambda nn, t, F: F.conv_transpose2d(t.zeros(1, 2, 3, 3), t.zeros(2, 4, 3, 3), groups=4),
    lambda nn, t, F: F.conv_transpose2d(t.zeros(1, 2, 3, 3), t.zeros(2, 4, 3, 3), dilation=0),
    lambda nn, t, F: F.conv_transpose2d(t.zeros(1, 2, 3, 3), t.zeros(2, 4, 3, 3), bias=t.zeros(3)),
    lambda nn, t, F: F.conv_transpose2d(t.zeros(1, 2, 3, 3), t.zeros(2, 4, 3)),
    lambda nn, t, F: F.conv_transpose2d(t.zeros(1, 2, 3, 3), t.zeros(2, 4, 3, 3), stride=(1, 2, 3)),
    lambda nn, t, F: F.conv_transpose2d(t.zeros(1, 2, 3, 3), t.zeros(2, 4, 3, 3), padding="same"),
    lambda nn, t, F: F.conv_transpose2d(t.zeros(1, 2, 3, 3, dtype=t.float64), t.zeros(2, 4, 3, 3)),
    lambda nn, t, F: F.interpolate(t.zeros(1, 2, 3, 4)),
    lambda nn, t, F: F.interpolate(t.zeros(1, 2, 3, 4), size=5, scale_factor=2),
    lambda nn, t, F: F.interpolate(t.zeros(1, 2, 3, 4), size=(5, 6, 7)),
    lambda nn, t, F: F.interpolate(t.zeros(1, 2, 3, 4), scale_factor=(2, 3, 4)),
    lambda nn, t, F: F.interpolate(t.zeros(1, 2, 3, 4), size=5, align_corners=True),
    lambda nn, t, F: F.interpolate(t.zeros(1, 2, 3, 4), size=5, mode="linear"),
    lambda nn, t, F: F.interpolate(t.zeros(2, 3, 4), size=5, mode="bilinear"),
    lambda nn, t, F: F.interpolate(t.zeros(1, 2, 3, 4), size=5, mode="trilinear"),
    lambda nn, t, F: F.interpolate(t.zeros(1, 2, 3, 4), size=5, mode="foo"),
    lambda nn, t, F: F.interpolate(t.zeros(1, 2, 3, 4), size=0),
    lambda nn, t, F: F.interpolate(t.zeros(1, 2, 3, 4), size=-1),
    lambda nn, t, F: F.interpolate(t.zeros(1, 2, 3, 4), scale_factor=0.1),
    lambda nn, t, F: F.interpolate(t.zeros(1, 2, 3, 4), scale_factor=-1),
    lambda nn, t, F: F.interpolate(t.zeros(1, 2, 3, 4), size=2.5),
    lambda nn, t, F: F.interpolate(t.zeros(1, 2, 3, 4), size=(5, None)),
    lambda nn, t, F: F.interpolate(t.zeros(1, 2, 3, 4), scale_factor="2"),
    lambda nn, t, F: F.interpolate(t.zeros(3, 4), size=5),
    lambda nn, t, F: F.interpolate(t.zeros(1, 2, 3, 4, dtype=t.int64), size=5),
    lambda nn, t, F: F.interpolate(t.zeros(1, 2, 3, 4), size=4, recompute_scale_factor=True),
    lambda nn, t, F: F.interpolate(t.zeros(1, 2, 3, 4), size=4, antialias=True),
    lambda nn, t, F: F.interpolate(t.zeros(1, 2, 3, 4), scale_factor=float("inf")),
    lambda nn, t, F: F.interpolate(t.zeros(1, 2, 3, 4), size=5, mode="bilinear",
                                   align_corners="yes"),
    lambda nn, t, F: F.interpolate(t.zeros(1, 2, 0, 4), scale_factor=2),
    lambda nn, t, F: nn.Upsample()(t.zeros(1, 2, 3, 4)),
    lambda nn, t, F: nn.Upsample(scale_factor=[2, 3]),
    lambda nn, t, F: nn.Upsample(scale_factor=2, mode="foo")(t.zeros(1, 2, 3, 4)),
    lambda nn, t, F: nn.Upsample(scale_factor=2, align_corners=True)(t.zeros(1, 2, 3, 4)),
    lambda nn, t, F: nn.Hardtanh(2, 1),
    lambda nn, t, F: F.hardtanh(t.zeros(3), 2, 1),
    lambda nn, t, F: F.hardtanh(t.zeros(3), "a", 1),
    lambda nn, t, F: F.softplus(t.zeros(3, dtype=t.int32)),
    lambda nn, t, F: F.silu(t.zeros(3, dtype=t.int32)),
    lambda nn, t, F: F.mish(t.zeros(3, dtype=t.int32)),
    lambda nn, t, F: nn.Softmax2d()(t.zeros(2, 3)),
    lambda nn, t, F: nn.Softmax2d()(t.zeros(2, 3, 4, 5, 6)),
    lambda nn, t, F: nn.Softplus("a")(t.zeros(2)),
    lambda nn, t, F: nn.Unflatten(1, (3, -1))(t.zeros(3, 10)),
    lambda nn, t, F: nn.Unflatten(1, (2, 5))(t.zeros(3, 11)),
    lambda nn, t, F: nn.Unflatten(5, (2, 5))(t.zeros(3, 10)),
    lambda nn, t, F: nn.Unflatten(1, (2.0, 5)),
    lambda nn, t, F: nn.Unflatten(1, 5),
    lambda nn, t, F: nn.Unflatten(1, (2, -1, -1))(t.zeros(3, 10)),
    lambda nn, t, F: nn.ModuleDict({"a": 3}),
    lambda nn, t, F: nn.ModuleDict(5),
    lambda nn, t, F: nn.ModuleDict([("a", nn.ReLU(), 3)]),
    lambda nn, t, F: nn.ModuleDict([3]),
    lambda nn, t, F: nn.ModuleDict({1: nn.ReLU()}),
    lambda nn, t, F: nn.ModuleDict({"a.b": nn.ReLU()}),
    lambda nn, t, F: nn.ModuleDict()["x"],
    lambda nn, t, F: nn.ModuleDict()(t.zeros(1)),
    lambda nn, t, F: nn.ParameterList([t.zeros(2)])[3],
    lambda nn, t, F: nn.ParameterList([t.zeros(2)])["a"],
    lambda nn, t, F: nn.ParameterList(5),
    lambda nn, t, F: nn.ParameterList(t.zeros(2)),
    lambda nn, t, F: nn.ParameterList()(t.zeros(2)),
    lambda nn, t, F: nn.ParameterDict({1: t.zeros(2)}),
    lambda nn, t, F: nn.ParameterDict()["x"],
    lambda nn, t, F: nn.ParameterDict(5),
    lambda nn, t, F: nn.ParameterDict([("a",)]),
    lambda nn, t, F: nn.ParameterDict()(t.zeros(2)),
    lambda nn, t, F: nn.ParameterDict({"a.b": t.zeros(2)}),
]


@pytest.mark.parametrize("call", BAD_CALLS, ids=range(len(BAD_CALLS)))
def test_bad_calls_raise_pytorchs_error_type(call):
    with pytest.raises(Exception) as theirs, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        call(torch.nn, torch, TF)
    with pytest.raises(Exception) as ours, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        call(nn, tf, F)
    assert issubclass(ours.type, theirs.type), \
        f"tinyflow raised {ours.value!r}, PyTorch {theirs.value!r}"


ACCEPTED = [
    lambda nn, t, F: nn.Conv1d(1, 4, 0),
    lambda nn, t, F: nn.Conv1d(1, 4, 3, stride=0, padding=-1, dilation=0),
    lambda nn, t, F: nn.Conv1d(1, 4, (3, 3)),
    lambda nn, t, F: nn.ConvTranspose2d(2, 4, 3, output_padding=3, stride=(1, 2, 3)),
    lambda nn, t, F: nn.Upsample(size=3, scale_factor=2),
    lambda nn, t, F: nn.Unflatten(1.5, (2, 5)),
    lambda nn, t, F: F.interpolate(t.zeros(1, 2, 3, 4), scale_factor=True).shape,
    lambda nn, t, F: F.interpolate(t.zeros(1, 2, 3, 4), size=t.Size([5, 6])).shape,
    lambda nn, t, F: F.interpolate(t.zeros(1, 2, 3, 4), size=(0, 3), mode="area").shape,
    lambda nn, t, F: F.interpolate(t.zeros(0, 2, 3, 4), scale_factor=2).shape,
    lambda nn, t, F: F.interpolate(t.zeros(1, 2, 3, 4, dtype=t.uint8), size=5).dtype,
    lambda nn, t, F: F.conv1d(t.zeros(2, 4, 9), t.zeros(6, 2, 3), groups=2, padding=10).shape,
    lambda nn, t, F: F.conv_transpose1d(t.zeros(4, 7), t.zeros(4, 3, 3), groups=2).shape,
    lambda nn, t, F: nn.ConvTranspose2d(2, 4, 3, stride=2)(t.zeros(2, 4, 4),
                                                          output_size=(4, 9, 9)).shape,
    lambda nn, t, F: nn.ParameterList([t.zeros(1), "not a tensor"])[1],
    lambda nn, t, F: nn.ModuleDict({"a": None})["a"],
]


@pytest.mark.parametrize("call", ACCEPTED, ids=range(len(ACCEPTED)))
def test_calls_pytorch_accepts_are_accepted_and_agree(call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = call(torch.nn, torch, TF)
        ours = call(nn, tf, F)
    if isinstance(theirs, torch.nn.Module):
        assert repr(ours) == repr(theirs)
    elif isinstance(theirs, tuple):
        assert tuple(ours) == tuple(theirs)
    else:
        assert str(ours).replace("tinyflow.", "") == str(theirs).replace("torch.", "")


# --- programs: a DCGAN step, a 1-D convolutional autoencoder --------------------------------------

def _dcgan(nn, nz=8):
    generator = nn.Sequential(
        nn.ConvTranspose2d(nz, 16, 4, 1, 0, bias=False), nn.BatchNorm2d(16), nn.ReLU(True),
        nn.ConvTranspose2d(16, 8, 4, 2, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU(True),
        nn.ConvTranspose2d(8, 3, 4, 2, 1, bias=False), nn.Tanh())
    discriminator = nn.Sequential(
        nn.Conv2d(3, 8, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(8, 16, 4, 2, 1, bias=False), nn.BatchNorm2d(16), nn.LeakyReLU(0.2, True),
        nn.Conv2d(16, 1, 4, 1, 0, bias=False), nn.Sigmoid(), nn.Flatten(0))
    return generator.double(), discriminator.double()


def _copy(ours, theirs):
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})


def test_a_dcgan_training_step_matches():
    """One step of PyTorch's DCGAN tutorial, scaled down to 16 x 16 images: the
    discriminator on real and fake images, then the generator, each with Adam."""
    (g, d), (tg, td) = _dcgan(nn), _dcgan(torch.nn)
    _copy(g, tg)
    _copy(d, td)
    rng = np.random.default_rng(0)
    real, noise = rng.uniform(-1, 1, (4, 3, 16, 16)), rng.standard_normal((4, 8, 1, 1))
    results = []
    for lib, G, D in ((tf, g, d), (torch, tg, td)):
        bce = lib.nn.BCELoss()
        opt_d = lib.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
        opt_g = lib.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
        ones, zeros = lib.ones(4, dtype=lib.float64), lib.zeros(4, dtype=lib.float64)
        fake = G(lib.tensor(noise))
        loss_d = bce(D(lib.tensor(real)), ones) + bce(D(fake.detach()), zeros)
        loss_d.backward()
        opt_d.step()
        G.zero_grad()
        loss_g = bce(D(fake), ones)
        loss_g.backward()
        opt_g.step()
        results.append((fake, loss_d, loss_g, G.state_dict(), D.state_dict()))
    (fake, loss_d, loss_g, gs, ds), (tfake, tloss_d, tloss_g, tgs, tds) = results
    _close(fake, tfake)
    _close(loss_d, tloss_d)
    _close(loss_g, tloss_g)
    for ours, theirs in ((gs, tgs), (ds, tds)):
        assert list(ours) == list(theirs)
        for k in theirs:
            _close(ours[k], theirs[k])


def _autoencoder(nn):
    encoder = nn.Sequential(nn.Conv1d(2, 8, 5, padding="same"), nn.SiLU(),
                            nn.Conv1d(8, 4, 4, stride=2, padding=1), nn.Mish(), nn.Flatten())
    decoder = nn.Sequential(nn.Unflatten(1, (4, 8)), nn.ConvTranspose1d(4, 8, 3, 1, 1),
                            nn.Softplus(), nn.Upsample(scale_factor=2, mode="linear"),
                            nn.Conv1d(8, 2, 3, padding=1), nn.Hardtanh())
    return nn.Sequential(encoder, decoder).double()


def test_a_1d_convolutional_autoencoder_step_matches():
    ours, theirs = _autoencoder(nn), _autoencoder(torch.nn)
    _copy(ours, theirs)
    signal = np.sin(np.linspace(0, 6, 2 * 2 * 16)).reshape(2, 2, 16)
    for lib, model in ((tf, ours), (torch, theirs)):
        opt = lib.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        for _ in range(2):
            opt.zero_grad()
            loss = lib.nn.MSELoss()(model(lib.tensor(signal)), lib.tensor(signal))
            loss.backward()
            opt.step()
    for k, v in theirs.state_dict().items():
        _close(ours.state_dict()[k], v)


@pytest.mark.parametrize("kernel,dilation", [((2, 3), (1, 1)), ((4, 4), (1, 2)), ((2, 2), (3, 1)),
                                             ((3, 3), (2, 2))])
def test_conv2d_same_padding_with_an_even_span_pads_as_pytorch(kernel, dilation):
    """padding='same' whose kernel span is even pads one more zero at the end (PyTorch)."""
    rng = np.random.default_rng(4)
    a, w, b = rng.normal(size=(2, 3, 6, 7)), rng.normal(size=(4, 3) + kernel), rng.normal(size=4)
    results = []
    for m, fn in ((tf, F), (torch, TF)):
        x, ww = m.tensor(a, requires_grad=True), m.tensor(w, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")              # PyTorch's note on a padded copy
            y = fn.conv2d(x, ww, m.tensor(b), padding="same", dilation=dilation)
        (y * y).sum().backward()
        results.append([y.detach().numpy(), x.grad.numpy(), ww.grad.numpy()])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)
    layer = nn.Conv2d(3, 2, 4, padding="same")
    assert repr(layer) == repr(torch.nn.Conv2d(3, 2, 4, padding="same"))
    assert layer(tf.ones(1, 3, 5, 5)).shape == (1, 2, 5, 5)
