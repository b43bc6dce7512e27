"""Every differentiable primitive's vjp rules, checked against float64 central
differences (``tinyflow.gradcheck``), with broadcasting shapes wherever the op
broadcasts -- and again one order up (``gradgradcheck``), since the same rules
must also run on eager Tensors when ``create_graph=True``.

A case names the primitive it exists for; ``test_every_differentiable_primitive_has_a_case``
fails as soon as a new differentiable primitive is registered without one.
"""
import importlib
import pkgutil

import numpy as np
import pytest

import tinyflow as tf
from tinyflow.ops.fill import Fill
import tinyflow.ops
from tinyflow import ops as F
from tinyflow.base.config import Config
from tinyflow.ops import indexing as S

# Every module of tinyflow.ops registers its primitives when imported: import them
# all, so the coverage check below sees the whole registry whatever ran before.
for _m in pkgutil.iter_modules(tinyflow.ops.__path__):
    importlib.import_module(f"tinyflow.ops.{_m.name}")

# Differentiable primitives that are not checked here: they print, stop in the
# debugger or call hooks (identity in value and gradient; tests/test_debug.py owns
# them). Only primitives whose family is "state" or "debug" may ever be listed here.
NOT_EAGER = {"Print", "Breakpoint", "CheckNumerics", "GradHook"}
NOT_EAGER_FAMILIES = {"state", "debug", "control"}
# If/While (and their gradient ops) run function graphs: their gradients are checked
# numerically in tests/test_control_flow.py.
CONTROL = {"If", "IfGrad", "While", "WhileGrad"}


def _values(shape, low=-1.0, high=1.0, seed=0):
    return np.random.default_rng(seed).uniform(low, high, shape)


def _spaced(shape, seed=0, gap=0.05):
    """Distinct values at least ``gap`` apart (no ties, no kinks near the probes)."""
    n = int(np.prod(shape))
    v = (np.arange(n) - n / 2) * gap + gap / 2     # never exactly 0
    return np.random.default_rng(seed).permutation(v).reshape(shape)


def P(shape, low=-1.0, high=1.0, seed=0):
    return ("param", lambda: _values(shape, low, high, seed))


def Pspaced(shape, seed=0, gap=0.05):
    return ("param", lambda: _spaced(shape, seed, gap))


def C(value):
    """A constant input that does not require grad."""
    return ("const", lambda: value)


# (primitive name, case id, function of the inputs, input specs)
CASES = [
    # --- elementwise, binary, with broadcasting on both sides ---
    ("Add", "bcast", lambda a, b: a + b, [P((2, 3, 1)), P((4,), seed=1)]),
    ("Add", "scalar", lambda a: 2.0 + a, [P((3,))]),
    ("Sub", "bcast", lambda a, b: a - b, [P((3, 1)), P((2, 1, 4), seed=1)]),
    ("Sub", "rsub", lambda a: 1.0 - a, [P((3,))]),
    ("Mul", "bcast", lambda a, b: a * b, [P((2, 3, 1)), P((3, 4), seed=1)]),
    ("RealDiv", "bcast", lambda a, b: a / b, [P((2, 3, 1)), P((4,), 0.5, 2.0, seed=1)]),
    ("RealDiv", "rdiv", lambda a: 1.0 / a, [P((3,), 0.5, 2.0)]),
    ("Pow", "bcast", lambda a, b: a ** b, [P((3, 1), 0.5, 2.0), P((4,), -1.5, 1.5, seed=1)]),
    ("Pow", "int exponent", lambda a: a ** 3, [P((2, 3))]),
    ("Pow", "scalar base", lambda b: 2.0 ** b, [P((2, 3))]),
    ("Maximum", "bcast", lambda a, b: tf.maximum(a, b), [Pspaced((3, 1)), Pspaced((4,), seed=1, gap=0.07)]),
    ("Minimum", "bcast", lambda a, b: tf.minimum(a, b), [Pspaced((3, 1)), Pspaced((4,), seed=1, gap=0.07)]),
    # --- elementwise, unary ---
    ("Neg", "", lambda x: -x, [P((2, 3))]),
    # rounding is flat almost everywhere: its gradient flows, as zeros (as PyTorch's)
    ("Round", "", lambda x: x.round(), [Pspaced((2, 3), gap=0.3)]),
    ("Floor", "", lambda x: x.floor(), [Pspaced((2, 3), gap=0.3)]),
    ("Ceil", "", lambda x: x.ceil(), [Pspaced((2, 3), gap=0.3)]),
    ("Trunc", "", lambda x: x.trunc(), [Pspaced((2, 3), gap=0.3)]),
    ("FloorDiv", "", lambda a, b: a // b, [Pspaced((2, 3), gap=0.3), P((3,), 1.5, 2.5, seed=1)]),
    ("FloorMod", "bcast", lambda a, b: a % b, [Pspaced((2, 3), gap=0.3), P((3,), 1.5, 2.5,
                                                                         seed=1)]),
    ("Exp", "", lambda x: x.exp(), [P((2, 3))]),
    ("Log", "", lambda x: x.log(), [P((2, 3), 0.5, 2.0)]),
    ("Sqrt", "", lambda x: x.sqrt(), [P((2, 3), 0.5, 2.0)]),
    ("Sin", "", lambda x: x.sin(), [P((2, 3), -3, 3)]),
    ("Cos", "", lambda x: x.cos(), [P((2, 3), -3, 3)]),
    ("Tanh", "", lambda x: x.tanh(), [P((2, 3), -2, 2)]),
    ("Abs", "", lambda x: x.abs(), [Pspaced((2, 3))]),
    ("Sigmoid", "", lambda x: x.sigmoid(), [P((2, 3), -3, 3)]),
    ("Relu", "", lambda x: x.relu(), [Pspaced((2, 3))]),
    ("Softplus", "", lambda x: tf.softplus(x), [P((2, 3), -3, 3)]),
    ("Identity", "clone", lambda x: x.clone() * x, [P((2, 3))]),
    ("Cast", "to float64", lambda x: F.cast(x, np.float64) * x, [P((2, 3))]),
    ("ClipByValue", "both", lambda x: x.clamp(-0.3, 0.3), [Pspaced((3, 4), gap=0.07)]),
    ("ClipByValue", "min only", lambda x: x.clamp(min=0.1), [Pspaced((3, 4), gap=0.07)]),
    ("ClipByValue", "max only", lambda x: x.clamp(max=0.1), [Pspaced((3, 4), gap=0.07)]),
    ("Select", "bcast", lambda a, b: tf.where(C_MASK, a, b), [P((4,)), P((3, 1), seed=1)]),
    # --- reductions ---
    ("Sum", "all", lambda x: x.sum(), [P((2, 3))]),
    ("Sum", "dim", lambda x: x.sum(dim=1), [P((2, 3, 2))]),
    ("Sum", "dims keepdim", lambda x: x.sum(dim=(0, 2), keepdim=True), [P((2, 3, 2))]),
    ("Sum", "negative dim", lambda x: x.sum(-1), [P((2, 3))]),
    ("Mean", "all", lambda x: x.mean(), [P((2, 3))]),
    ("Mean", "dims", lambda x: x.mean(dim=(0, 2)), [P((2, 3, 2))]),
    ("Mean", "keepdim", lambda x: x.mean(1, keepdim=True), [P((2, 3))]),
    ("Max", "all", lambda x: x.max(), [Pspaced((2, 3))]),
    ("Max", "dim", lambda x: x.max(dim=1).values, [Pspaced((2, 3, 2))]),
    ("Max", "amax keepdim", lambda x: x.amax(dim=(0, 2), keepdim=True), [Pspaced((2, 3, 2))]),
    ("Min", "all", lambda x: x.min(), [Pspaced((2, 3))]),
    ("Min", "dim", lambda x: x.min(dim=0).values, [Pspaced((2, 3))]),
    ("LogSumExp", "dim", lambda x: x.logsumexp(dim=1), [P((2, 3), -2, 2)]),
    ("LogSumExp", "all", lambda x: tf.logsumexp(x), [P((2, 3), -2, 2)]),
    ("LogSumExp", "keepdim", lambda x: x.logsumexp(dim=0, keepdim=True), [P((2, 3), -2, 2)]),
    ("SumTo", "", lambda x: F.sum_to(x, np.zeros((3, 1))), [P((2, 3, 4))]),
    ("BroadcastLike", "", lambda x: F.broadcast_like(x, np.zeros((2, 3, 4))) * _w((2, 3, 4)),
     [P((3, 1))]),
    # --- shape ---
    ("Reshape", "", lambda x: x.reshape(3, -1) * _w((3, 4)), [P((2, 6))]),
    ("Reshape", "view", lambda x: x.view(12) * _w((12,)), [P((3, 4))]),
    ("ReshapeLike", "", lambda x: F.reshape_like(x, np.zeros((4, 3))) * _w((4, 3)), [P((2, 6))]),
    ("Transpose", "T", lambda x: x.T * _w((4, 3)), [P((3, 4))]),
    ("Transpose", "permute", lambda x: x.permute(2, 0, 1) * _w((4, 2, 3)), [P((2, 3, 4))]),
    ("Transpose", "swap two", lambda x: x.transpose(0, 2) * _w((4, 3, 2)), [P((2, 3, 4))]),
    ("ExpandDims", "", lambda x: x.unsqueeze(1) * _w((3, 2, 4)), [P((3, 4))]),
    ("ExpandDims", "last", lambda x: x.unsqueeze(-1) * _w((3, 4, 2)), [P((3, 4))]),
    ("Squeeze", "", lambda x: x.squeeze() * _w((3, 4)), [P((3, 1, 4, 1))]),
    ("Squeeze", "dim", lambda x: x.squeeze(1) * _w((3, 4, 1)), [P((3, 1, 4, 1))]),
    ("BroadcastTo", "expand", lambda x: x.expand(2, 3, 4) * _w((2, 3, 4)), [P((3, 1))]),
    ("BroadcastTo", "broadcast_to", lambda x: tf.broadcast_to(x, (2, 4)) * _w((2, 4)), [P((4,))]),
    ("ConcatV2", "cat", lambda a, b, c: tf.cat([a, b, c], dim=1) * _w((2, 6)),
     [P((2, 1)), P((2, 3), seed=1), P((2, 2), seed=2)]),
    ("ConcatV2", "stack", lambda a, b: tf.stack([a, b], dim=1) * _w((3, 2, 4)),
     [P((3, 4)), P((3, 4), seed=1)]),
    ("GetItem", "slices", lambda x: x[1:, ::2] * _w((2, 2)), [P((3, 4))]),
    ("GetItem", "int and None", lambda x: x[0, None, ..., -1] * _w((1, 3)), [P((2, 3, 4))]),
    ("GetItem", "repeated indices", lambda x: x[[0, 2, 0, 0]] * _w((4, 3)), [P((3, 3))]),
    ("GetItem", "int arrays", lambda x: x[np.array([0, 1, 1]), np.array([2, 2, 0])] * _w((3,)),
     [P((2, 3))]),
    ("GetItem", "bool mask", lambda x: x[C_BOOL] * _w((3,)), [P((2, 3))]),
    ("GetItem", "tensor index", lambda x: x[:, tf.tensor([1, 1, 0])] * _w((2, 3)), [P((2, 3))]),
    ("GetItemGrad", "", lambda g: F.getitem_grad(g, np.zeros((3, 2)), [np.array([0, 2, 0])],
                                                  (S.Arg(0),)) * _w((3, 2)), [P((3, 2))]),
    ("GatherElements", "", lambda x: tf.take_along_axis(x, np.array([[0, 2, 2], [1, 1, 0]]), 1)
     * _w((2, 3)), [P((2, 3))]),
    ("GatherElementsGrad", "", lambda g: S.TakeAlongAxisGrad.bind(
        g, np.zeros((2, 3)), np.array([[0, 2, 2], [1, 1, 0]]), axis=1) * _w((2, 3)), [P((2, 3))]),
    # --- linear algebra ---
    ("MatMul", "2d", lambda a, b: a @ b, [P((2, 3)), P((3, 4), seed=1)]),
    ("MatMul", "1d @ 1d", lambda a, b: a @ b, [P((3,)), P((3,), seed=1)]),
    ("MatMul", "1d @ batched", lambda a, b: a @ b, [P((3,)), P((2, 3, 4), seed=1)]),
    ("MatMul", "batched @ 1d", lambda a, b: a @ b, [P((2, 4, 3)), P((3,), seed=1)]),
    ("MatMul", "broadcast batch", lambda a, b: tf.matmul(a, b), [P((2, 1, 2, 3)), P((3, 3, 2), seed=1)]),
    ("MatMul", "transpose_a", lambda a, b: F.matmul(a, b, transpose_a=True),
     [P((3, 2)), P((3, 4), seed=1)]),
    ("MatMul", "transpose_b, batched", lambda a, b: F.matmul(a, b, transpose_b=True),
     [P((2, 2, 3)), P((4, 3), seed=1)]),
    ("MatMul", "both transposed", lambda a, b: F.matmul(a, b, transpose_a=True, transpose_b=True),
     [P((2, 3, 2)), P((2, 4, 3), seed=1)]),
    # --- neural-network ops ---
    ("Softmax", "last", lambda x: x.softmax(-1), [P((2, 4), -2, 2)]),
    ("Softmax", "dim 0", lambda x: tf.softmax(x, dim=0), [P((3, 2), -2, 2)]),
    ("LogSoftmax", "last", lambda x: x.log_softmax(-1), [P((2, 4), -2, 2)]),
    ("LogSoftmax", "dim 0", lambda x: tf.log_softmax(x, 0), [P((3, 2), -2, 2)]),
    ("BiasAdd", "", lambda x, b: F.bias_add(x, b), [P((2, 3, 4)), P((4,), seed=1)]),
    ("SparseSoftmaxCrossEntropyWithLogits", "",
     lambda x: F.sparse_softmax_cross_entropy(x, np.array([0, 3, 1])), [P((3, 4), -2, 2)]),
    ("SparseSoftmaxCrossEntropyGrad", "",
     lambda x, g: F.nn.SparseXentGrad.bind(x, np.array([2, 0]), g),
     [P((2, 3), -2, 2), P((2,), -2, 2, seed=1)]),
    ("SparseSoftmaxCrossEntropyWithLogits", "mean",
     lambda x: F.sparse_softmax_cross_entropy(x, np.array([0, 3, 1]), "mean"), [P((3, 4), -2, 2)]),
    ("SparseSoftmaxCrossEntropyWithLogits", "sum",
     lambda x: F.sparse_softmax_cross_entropy(x, np.array([0, 3, 1]), "sum"), [P((3, 4), -2, 2)]),
    ("SparseSoftmaxCrossEntropyGrad", "mean",
     lambda x, g: F.nn.SparseXentGrad.bind(x, np.array([2, 0]), g, reduction="mean"),
     [P((2, 3), -2, 2), P((), -2, 2, seed=1)]),
    ("SparseSoftmaxCrossEntropyGrad", "sum",
     lambda x, g: F.nn.SparseXentGrad.bind(x, np.array([2, 0]), g, reduction="sum"),
     [P((2, 3), -2, 2), P((), -2, 2, seed=1)]),
    ("Conv2D", "", lambda x, w: F.conv2d(x, w), [P((2, 2, 4, 4)), P((3, 2, 2, 2), seed=1)]),
    ("Conv2D", "stride and padding", lambda x, w: F.conv2d(x, w, stride=2, padding=1),
     [P((1, 2, 5, 4)), P((2, 2, 3, 3), seed=1)]),
    ("MaxPool", "", lambda x: F.max_pool2d(x, 2), [Pspaced((1, 2, 4, 4), gap=0.03)]),
    ("MaxPool", "overlap and padding", lambda x: F.max_pool2d(x, 3, stride=2, padding=1),
     [Pspaced((1, 2, 5, 5), gap=0.03)]),
    ("Conv2D", "dilation and groups", lambda x, w: F.conv2d(x, w, 1, 2, dilation=2, groups=2),
     [P((1, 4, 5, 4)), P((4, 2, 3, 2), seed=1)]),
    ("MaxPool", "dilation and ceil_mode",
     lambda x: F.max_pool2d(x, 2, stride=2, padding=1, dilation=2, ceil_mode=True),
     [Pspaced((1, 2, 6, 5), gap=0.03)]),
    ("MaxPoolGrad", "", lambda g: F.pool.MaxPoolGrad.bind(g, _MP_X, _MP_OUT, **_MP_ATTRS),
     [P((1, 2, 3, 3))]),
    ("MaxPoolGradGrad", "", lambda h: F.pool.MaxPoolGradGrad.bind(h, _MP_X, _MP_OUT, **_MP_ATTRS),
     [P((1, 2, 5, 5))]),
    ("Im2Col", "", lambda x: F.im2col(x, 2, 2, (1, 1), (1, 1)) * _w((1, 4, 4, 2, 2, 2)),
     [P((1, 2, 3, 3))]),
    ("Col2Im", "", lambda c: F.col2im(c, np.zeros((1, 2, 3, 3)), 2, 2, (1, 1), (0, 0))
     * _w((1, 2, 3, 3)), [P((1, 2, 2, 2, 2, 2))]),
    # activations and pooling (ops/activation.py, ops/pool.py)
    ("Erf", "", lambda x: F.erf(x), [P((2, 3), -2.5, 2.5)]),
    ("Elu", "", lambda x: F.elu(x, 0.7), [Pspaced((3, 4), gap=0.07)]),
    ("Log1p", "", lambda x: F.log1p(x), [P((2, 3), -0.5, 2.0)]),
    ("AvgPool", "", lambda x: F.avg_pool2d(x, 2) * _w((1, 2, 2, 2)), [P((1, 2, 4, 4))]),
    ("AvgPool", "padding, ceil_mode, no pad count",
     lambda x: F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)
     * _w((1, 2, 4, 3)), [P((1, 2, 6, 5))]),
    ("AvgPoolGrad", "", lambda g: F.pool.AvgPoolGrad.bind(g, np.zeros((1, 2, 5, 5)), kernel=(3, 3),
                                                          stride=(2, 2), padding=(1, 1))
     * _w((1, 2, 5, 5)), [P((1, 2, 3, 3))]),
    # gather/scatter, running sums and products, einsum (ops/gather_scatter.py, cumulative.py,
    # einsum_op.py); the index has no repeats, where scatter's rule is PyTorch's, not the derivative
    ("ScatterElements", "src", lambda x, s: x.scatter(1, tf.tensor([[0, 2], [3, 1], [1, 0]]), s)
     * _w((3, 4)), [P((3, 4)), P((3, 2), seed=1)]),
    ("ScatterElements", "value", lambda x: x.scatter(0, tf.tensor([[2, 0, 1, 2]]), -1.0) * _w((3, 4)),
     [P((3, 4))]),
    ("CumSum", "", lambda x: x.cumsum(1) * _w((2, 3, 4)), [P((2, 3, 4))]),
    ("CumSum", "dim 0", lambda x: tf.cumsum(x, 0) * _w((3, 2)), [P((3, 2))]),
    ("CumProd", "", lambda x: x.cumprod(1) * _w((2, 4)), [P((2, 4))]),
    ("CumProd", "dim 0, 3-d", lambda x: tf.cumprod(x, 0) * _w((3, 2, 2)), [P((3, 2, 2))]),
    ("Einsum", "matmul", lambda a, b: tf.einsum("ij,jk->ik", a, b), [P((2, 3)), P((3, 4), seed=1)]),
    ("Einsum", "diagonal and summed letter", lambda a, b: tf.einsum("iij,k->ki", a, b) * _w((2, 3)),
     [P((3, 3, 2)), P((2,), seed=1)]),
    ("Einsum", "ellipsis, three operands", lambda a, b, c: tf.einsum("...ij,jk,k->...i", a, b, c),
     [P((2, 3, 4)), P((4, 2), seed=1), P((2,), seed=2)]),
    # a value spread to a shape given as a tensor (ops/fill.py)
    ("Fill", "", lambda v: Fill.bind(np.array([2, 3]), v) * _w((2, 3)), [P(())]),
]

# A fixed input of MaxPoolGrad and MaxPoolGradGrad (overlapping windows, padding, a tie).
_MP_ATTRS = {"kernel": (3, 3), "stride": (2, 2), "padding": (1, 1)}
_MP_X = _spaced((1, 2, 5, 5))
_MP_X[0, 0, 0, :2] = _MP_X.max() + 1            # two equal maxima: the first one gets g
_MP_OUT = F.pool.MaxPool.forward(_MP_X, **_MP_ATTRS)

C_MASK = np.array([[True], [False], [True]])
C_BOOL = np.array([[True, False, True], [False, False, True]])


def _w(shape):
    """Fixed weights, so that an op that only moves elements is checked on a
    non-symmetric function of its output."""
    return np.linspace(0.5, 1.5, int(np.prod(shape))).reshape(shape)


def _inputs(specs):
    xs = []
    for kind, make in specs:
        if kind == "param":
            xs.append(tf.tensor(make(), dtype=tf.float64, requires_grad=True))
        else:
            xs.append(make())
    return xs


def _ids():
    return [f"{name}-{cid}" if cid else name for name, cid, _, _ in CASES]


def _prims_run(fn, xs):
    """The names of the primitives that ``fn`` records on the tape."""
    seen = []
    Config.observers.append(lambda event, info: seen.append(info["prim"].name)
                            if event == "op" else None)
    try:
        fn(*xs)
    finally:
        Config.observers.clear()
    return seen


@pytest.mark.parametrize("name, cid, fn, specs", CASES, ids=_ids())
def test_gradcheck(name, cid, fn, specs):
    xs = _inputs(specs)
    assert name in _prims_run(fn, xs), f"the {name} case does not run {name}"
    assert tf.gradcheck(fn, xs)


@pytest.mark.parametrize("name, cid, fn, specs", CASES, ids=_ids())
def test_gradgradcheck(name, cid, fn, specs):
    assert tf.gradgradcheck(fn, _inputs(specs))


# Ops users call that are built from several primitives.
COMPOSITES = [
    ("var", lambda x: x.var(dim=1), [P((3, 4))]),
    ("var all biased", lambda x: tf.var(x, correction=0), [P((3, 4))]),
    ("std keepdim", lambda x: x.std(dim=0, keepdim=True), [P((3, 4))]),
    ("flatten", lambda x: x.flatten(1) * _w((2, 12)), [P((2, 3, 4))]),
    ("expand -1", lambda x: x.expand(2, -1, 4) * _w((2, 3, 4)), [P((3, 1))]),
    ("clamp tensor bounds", lambda x, lo, hi: x.clamp(lo, hi),
     [Pspaced((2, 3)), P((3,), -0.9, -0.1, seed=1),
      P((2, 1), 0.1, 0.9, seed=2)]),
    ("max(other)", lambda a, b: tf.max(a, b), [Pspaced((3, 1)), Pspaced((4,), seed=1, gap=0.07)]),
    ("mlp", lambda x, w, b: ((x @ w + b).relu() ** 2).mean(), [P((4, 3)), P((3, 2), seed=1), P((2,), seed=2)]),
    ("cross entropy", lambda z: -(z.log_softmax(-1) * tf.tensor(np.eye(3)[[0, 2]])).sum(-1).mean(),
     [P((2, 3))]),
]


@pytest.mark.parametrize("cid, fn, specs", COMPOSITES, ids=[c[0] for c in COMPOSITES])
def test_composite_ops(cid, fn, specs):
    xs = _inputs(specs)
    assert tf.gradcheck(fn, xs)
    assert tf.gradgradcheck(fn, xs)


# Primitives whose gradient is deliberately not the numerical derivative,
# each checked by its own test below.
BY_DESIGN = {"StopGradient": "test_stop_gradient_passes_no_gradient"}


def test_stop_gradient_passes_no_gradient():
    x = tf.tensor(_values((2, 3)), dtype=tf.float64, requires_grad=True)
    y = F.stop_gradient(x)
    np.testing.assert_array_equal(y.detach().numpy(), x.detach().numpy())
    assert not y.requires_grad and y.grad_fn is None
    (g,) = tf.grad((y * x).sum(), x)           # y counts as a constant
    np.testing.assert_array_equal(g.detach().numpy(), x.detach().numpy())
    with pytest.raises(RuntimeError, match="does not require grad"):
        tf.grad((F.stop_gradient(x) * 2).sum(), x)


def test_every_differentiable_primitive_has_a_case():
    for name in NOT_EAGER:
        assert name in tf.PRIMITIVES, f"{name} is listed as not-eager but is not registered"
        assert tf.PRIMITIVES[name].family in NOT_EAGER_FAMILIES, \
            f"{name} is listed as not-eager but its family is {tf.PRIMITIVES[name].family!r}"
    for name, test in BY_DESIGN.items():
        assert test in globals(), f"{name}: its test {test} is missing"
    covered = {name for name, *_ in CASES} | set(BY_DESIGN)
    needed = {name for name, p in tf.PRIMITIVES.items() if p.differentiable} - NOT_EAGER - CONTROL
    missing = sorted(needed - covered)
    assert not missing, f"differentiable primitives without a gradient check: {missing}"
    stale = sorted(covered - set(tf.PRIMITIVES))
    assert not stale, f"gradient cases for primitives that do not exist: {stale}"


def test_nondifferentiable_primitives_never_require_grad():
    x = tf.tensor([[0.5, -1.0, 2.0]], dtype=tf.float64, requires_grad=True)
    outs = [x > 0, x >= 0, x < 0, x <= 0, x == 0.5, x != 0.5, x.argmax(), x.argmin(dim=1),
            tf.sign(x), F.isfinite(x), (x > 0) & (x < 1), (x > 0) | (x < 1), ~(x > 0)]
    assert all(not o.requires_grad and o.grad_fn is None for o in outs)


def _input_uses(fn, name):
    """How a vjp rule uses its parameter ``name``: None (not at all), "meta" (only its
    .shape, .ndim or .dtype), or "value"."""
    import dis
    code = list(dis.get_instructions(fn))
    use = None
    for k, ins in enumerate(code):
        if ins.opname.startswith("LOAD_") and ins.argval == name:
            after = code[k + 1] if k + 1 < len(code) else None
            if after is not None and after.opname == "LOAD_ATTR" and \
                    after.argval in ("shape", "ndim", "dtype"):
                use = "meta"
            else:
                return "value"
    if any(name in getattr(c, "co_freevars", ()) for c in fn.__code__.co_consts):
        return "value"                      # used inside a nested function
    return use


def test_each_primitive_says_which_inputs_its_vjp_reads():
    """``reads=`` is declared beside each vjp rule (the eager tape keeps only those
    inputs, as PyTorch saves only what backward needs); check each declaration
    against what the rules' code uses: an input whose value no rule reads must be
    declared unread, and an input declared unread must not be read."""
    import inspect
    from tinyflow.ops.primitive import _EachInput
    wrong = []
    for name, p in tf.PRIMITIVES.items():
        if not p.vjps or isinstance(p.vjps, _EachInput):
            continue
        rules = [getattr(r, "__wrapped__", r) for r in p.vjps if r]
        read = set()
        for r in rules:
            params = list(inspect.signature(r).parameters.values())
            if any(q.kind is q.VAR_POSITIONAL for q in params):
                read |= set(range(len(p.vjps)))
                continue
            read |= {i for i in range(len(p.vjps))
                     if _input_uses(r, params[1 + i].name) == "value"}
        declared = set(range(len(p.vjps))) - set(p.unread)
        if read != declared:
            wrong.append(f"{name}: rules read inputs {sorted(read)}, declared {sorted(declared)}")
    assert not wrong, "reads= declared wrongly:\n" + "\n".join(wrong)


def test_each_primitive_says_whether_its_vjp_reads_its_output():
    """``reads_out`` is declared beside each vjp rule (eager mode refuses an in-place
    change of an output that backward will read); check each declaration against
    what the rules' code actually loads."""
    from tinyflow.ops.primitive import _EachInput

    def reads(fn):
        return _input_uses(fn, "out") is not None
    wrong = []
    for name, p in tf.PRIMITIVES.items():
        if not p.vjps:
            continue
        rules = [p.vjps.rule] if isinstance(p.vjps, _EachInput) else [r for r in p.vjps if r]
        rules = [getattr(r, "__wrapped__", r) for r in rules]    # ops/layout.py's wrappers
        if any(reads(r) for r in rules) != p.reads_out:
            wrong.append(name)
    assert not wrong, f"reads_out declared wrongly for {wrong}"
