"""ONNX export of the primitives beyond the lessons' first models -- erf (GELU),
elu, log1p, rounding, Python's // and %, argsort, shapes -- each checked against
tinyflow's own result in onnxruntime and in onnx's ReferenceEvaluator, on the
inputs where a careless translation goes wrong; and the list of primitives
the export refuses, which must be exactly the documented one."""
import importlib
import pkgutil

import numpy as np
import pytest

import tinyflow as tf
import tinyflow.compat.v1 as tf1
import tinyflow.nn as nn
from tinyflow import ops as F
from tinyflow.export.onnx import export, run, UnsupportedOpError
from tinyflow.export.onnx_coverage import REFUSED, unexportable

from _models import data, eager
from test_onnx import F32, F64, both_runtimes

FLOATS = [np.float32, np.float64]
ULPS = 8                       # onnxruntime's exp, log, tanh are a few units off numpy's


def tight(dtype):
    """A tolerance of a few units in the last place, relative: small results count."""
    return dict(rtol=ULPS * np.finfo(dtype).eps, atol=0)


def exported(fn, *xs):
    """``fn`` as a tinyflow.function exported on ``xs``: (the model, the feeds, tinyflow's
    result on ``xs``)."""
    f = tf.function(fn)
    with np.errstate(all="ignore"):          # x // 0, inf % 2...: numpy's warnings
        want = np.asarray(f(*xs).numpy())
        proto = export(f, xs if len(xs) > 1 else xs[0])
    return proto, {i.name: x for i, x in zip(proto.graph.input, xs)}, want


def check(fn, *xs, exact=False):
    """Export, run in both runtimes, compare with tinyflow (NaN matches NaN); returns
    the model."""
    proto, feeds, want = exported(fn, *xs)
    with np.errstate(all="ignore"):          # the ReferenceEvaluator's numpy on inf and nan
        results = both_runtimes(proto, feeds)
    for got in results:
        assert got.dtype == want.dtype and got.shape == want.shape
        if exact:
            np.testing.assert_array_equal(got, want)
        else:
            np.testing.assert_allclose(got, want, **tight(want.dtype))
    return proto


def op_types(proto):
    return [n.op_type for n in proto.graph.node]


def signed(*values):
    return list(values) + [-v for v in values]


# --- erf, elu, log1p ---------------------------------------------------------------------

ERF_EDGES = signed(0.0, 1e-300, 1e-30, 1e-8, 0.1, 0.5, 1.0, 2.0, 2.9999999, 3.0, 3.0000001,
                   4.0, 5.0, 6.0, 27.0, 1e10, np.inf) + [np.nan]


@pytest.mark.parametrize("dtype", FLOATS)
def test_erf_matches_at_tiny_large_and_the_switch_at_3(dtype):
    x = np.array(ERF_EDGES + list(np.linspace(-6, 6, 241)), dtype)
    proto = check(F.erf, x)
    # float64: neither runtime computes a float64 Erf (onnxruntime has no kernel, the
    # ReferenceEvaluator rounds it to float32), so tinyflow's own series and continued
    # fraction go out as two Loops
    if dtype == np.float32:
        assert op_types(proto) == ["Erf"]
    else:
        assert "Erf" not in op_types(proto) and op_types(proto).count("Loop") == 2


def test_erf_of_integers_is_float64():
    check(F.erf, np.array([-3, -1, 0, 1, 2, 5], np.int64))


@pytest.mark.parametrize("alpha", [1.0, 0.5])
@pytest.mark.parametrize("dtype", FLOATS)
def test_elu_keeps_the_digits_of_small_negative_inputs(dtype, alpha):
    # exp(x) - 1 (ONNX's Elu) would give 0 or one digit for x = -1e-10 in float32;
    # tinyflow uses expm1, and so does the export
    x = np.array(signed(0.0, 1e-30, 1e-10, 1e-4, 0.3, 1.0, 20.0, 1e3, np.inf) + [np.nan] +
                 list(np.linspace(-5, 5, 101)), dtype)
    check(lambda x: F.elu(x, alpha), x)


@pytest.mark.parametrize("dtype", FLOATS)
def test_log1p_at_tiny_huge_and_minus_one(dtype):
    big = np.finfo(dtype).max
    x = np.array(signed(0.0, 1e-30, 1e-20, 1e-10, 1e-7, 1e-3, 0.25) +
                 [-0.5, -0.999, -1.0 + 1e-7, -1.0, 0.5, 1.0, 3.0, 1e10, 1e30, big, np.inf,
                  np.nan, -2.0, -np.inf] + list(np.linspace(-0.9, 5, 60)), dtype)
    check(F.log1p, x)


def test_float_math_of_an_integer_graph_tensor_is_refused_by_name():
    # in a graph, log1p of an int32 tensor is declared int32 but computed in float64
    g = tf.Graph()
    with g.as_default():
        x = tf1.placeholder(tf1.int32, [3], name="x")
        y = F.log1p(x)
    with pytest.raises(UnsupportedOpError, match="Log1p .*cast the input to a float dtype"):
        export(g, inputs=[x], outputs=[y])


# --- rounding --------------------------------------------------------------------------------

@pytest.mark.parametrize("fn", [F.round, F.floor, F.ceil, F.trunc, lambda x: F.round(x, 2)],
                         ids=["round", "floor", "ceil", "trunc", "round2"])
@pytest.mark.parametrize("dtype", FLOATS)
def test_rounding_ties_go_to_even_and_negatives_the_right_way(fn, dtype):
    x = np.array(signed(0.5, 1.5, 2.5, 3.5, 0.49999997, 2.4999, 0.999, 7.0, 1.005, 2 ** 22 + 0.5,
                        1e30, np.inf) + [0.0, -0.0, np.nan], dtype)
    check(fn, x, exact=True)


def test_rounding_integers_changes_nothing():
    x = np.array([-7, -1, 0, 3, 2 ** 40], np.int64)
    for fn in (F.round, F.floor, F.ceil, F.trunc):
        assert op_types(check(fn, x, exact=True)) == ["Identity"]


# --- Python's // and % ----------------------------------------------------------------------

def pairs(values, divisors, dtype):
    a, b = np.meshgrid(np.array(values, dtype), np.array(divisors, dtype))
    return a.ravel(), b.ravel()


@pytest.mark.parametrize("op", ["//", "%"])
@pytest.mark.parametrize("dtype", FLOATS)
def test_float_floor_div_and_mod_follow_numpy(dtype, op):
    values = signed(7.5, 3.0, 1.0, 0.3, 1e30, 1e-30, np.inf, 0.0) + [np.nan]
    divisors = signed(2.0, 0.1, 0.7, 3.0, 1e-30, np.inf, 0.0) + [np.nan]
    a, b = pairs(values, divisors, dtype)
    rng = np.random.default_rng(0)
    a = np.concatenate([a, (rng.standard_normal(500) * 50).astype(dtype)])
    b = np.concatenate([b, (rng.standard_normal(500) * 3).astype(dtype)])
    fn = (lambda a, b: a // b) if op == "//" else (lambda a, b: a % b)
    check(fn, a, b, exact=True)


def test_float_floor_div_is_not_floor_of_the_quotient():
    # numpy (and Python): 1.0 // 0.1 == 9.0, though 1.0 / 0.1 rounds to exactly 10.0
    proto, feeds, want = exported(lambda a, b: a // b, np.array([1.0]), np.array([0.1]))
    assert want[0] == 9.0 == np.floor(1.0 / 0.1) - 1
    for got in both_runtimes(proto, feeds):
        assert got[0] == 9.0


@pytest.mark.parametrize("op", ["//", "%"])
@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_integer_floor_div_and_mod_floor_and_take_the_divisors_sign(dtype, op):
    info = np.iinfo(dtype)
    values = [info.min, info.min + 1, -7, -6, -1, 0, 1, 6, 7, info.max]
    a, b = pairs(values, [info.min, -3, -2, -1, 0, 1, 2, 3, info.max], dtype)
    keep = ~((a == info.min) & (b == -1))      # overflows in numpy too
    fn = (lambda a, b: a // b) if op == "//" else (lambda a, b: a % b)
    proto = check(fn, a[keep], b[keep], exact=True)       # x // 0 and x % 0 are 0
    assert ("Div" in op_types(proto)) == (op == "//")


def test_mixed_integer_and_float_operands_divide_as_floats():
    check(lambda a, b: a // b + a % b, np.array([7, -7, 3, 0], np.int32),
          np.array([2.0, 2.0, -0.5, 0.25], np.float32), exact=True)


# --- argsort ----------------------------------------------------------------------------

TIES = [[3, np.nan, 1, np.nan, 1, -np.inf, np.inf, 0.0, -0.0, 3],
        [2, 2, 2, 1, 1, 1, 0, 0, 0, 5]]


@pytest.mark.parametrize("dtype", FLOATS + [np.int32, np.int64, np.uint8, bool])
def test_argsort_is_stable_both_ways_with_nan_last(dtype):
    x = np.array(TIES)
    if dtype not in FLOATS:
        x = np.nan_to_num(x, nan=4, posinf=9, neginf=0)
    x = x.astype(dtype)

    @tf.function
    def orders(x):
        return (F.argsort(x, 1), F.argsort(x, 1, descending=True), F.argsort(x, 0),
                F.argsort(x, 0, descending=True))

    want = [w.numpy() for w in orders(x)]
    proto = export(orders, x)
    assert op_types(proto).count("TopK") == 4
    for runtime in ("onnxruntime", "reference"):
        for got, w in zip(run(proto, {"x": x}, runtime=runtime), want):
            assert got.dtype == np.int64
            np.testing.assert_array_equal(got, w)


def test_sort_and_topk_export_with_an_unknown_axis_length():
    g = tf.Graph()
    with g.as_default():
        x = tf1.placeholder(tf1.float64, [None, 4], name="x")
        values, indices = F.sort(x, 0, descending=True)
        best = F.topk(x, 2, axis=1)[0]
    xs = np.array([[1.0, 2, 2, 0], [3, 2, 1, 0], [1, 2, 5, 0]])
    with tf1.Session(graph=g) as sess:
        want = sess.run([values, indices, best], {x: xs})
    proto = export(g, inputs=[x], outputs=[values, indices, best])
    for runtime in ("onnxruntime", "reference"):
        for got, w in zip(run(proto, {"x": xs}, runtime=runtime), want):
            np.testing.assert_array_equal(got, w)


# --- shapes --------------------------------------------------------------------------------

def test_shape_reduced_size_and_sum_to_with_unknown_dimensions():
    g = tf.Graph()
    with g.as_default():
        x = tf1.placeholder(tf1.float64, [None, 3], name="x")
        like = tf1.placeholder(tf1.float64, [None, 1], name="like")
        outs = [F.shape_of(x), F.var(x, 0),            # var's divisor: a ReducedSize
                F.sum_to(x, like), F.sum_to(x, np.zeros((1, 3))), F.sum_to(x, np.zeros(3)),
                F.cast(F.reduced_size(x), np.float64)]
    assert {o.node.type for o in outs} >= {"Shape", "SumTo"}
    assert "ReducedSize" in {op.type for op in g.get_operations()}
    feeds = {x: data(5, 3, dtype=np.float64), like: np.zeros((5, 1))}
    with tf1.Session(graph=g) as sess:
        want = sess.run(outs, feeds)
    proto = export(g, inputs=[x, like], outputs=outs)
    for runtime in ("onnxruntime", "reference"):
        got = run(proto, {"x": feeds[x], "like": feeds[like]}, runtime=runtime)
        for g_, w in zip(got, want):
            assert g_.dtype == w.dtype and g_.shape == w.shape
            np.testing.assert_allclose(g_, w, **F64)


# --- a model ------------------------------------------------------------------------------

class GeluElu(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.out = nn.Linear(6, 16), nn.Linear(16, 16), nn.Linear(16, 3)
        self.gelu, self.elu = nn.GELU(), nn.ELU(alpha=0.7)

    def forward(self, x):
        return self.out(self.elu(self.fc2(self.gelu(self.fc1(x)))))


@pytest.mark.parametrize("dtype", FLOATS)
def test_a_gelu_and_elu_model_exports_end_to_end(dtype, tmp_path):
    model = GeluElu()
    if dtype == np.float64:
        model = model.double()
    path = tmp_path / "gelu_elu.onnx"
    export(model, tf.tensor(data(4, 6, dtype=dtype)), path, dynamic_axes={"x": {0: "batch"}})
    x = data(9, 6, dtype=dtype, seed=4) * 3            # well into both tails
    want = eager(model, x)
    for got in both_runtimes(path, {"x": x}):
        assert got.dtype == dtype and got.shape == (9, 3)
        np.testing.assert_allclose(got, want, **(F64 if dtype == np.float64 else F32))


# --- what is refused ------------------------------------------------------------------------

def test_the_refused_primitives_are_exactly_the_documented_list():
    # every module, so that primitives registered on import are all in the registry
    for m in pkgutil.walk_packages(tf.__path__, "tinyflow."):
        importlib.import_module(m.name)
    assert unexportable() == sorted(REFUSED), (
        "a primitive the ONNX export neither translates nor lists in onnx_coverage.REFUSED "
        "(or one listed there that it now translates)")


def test_a_refused_op_says_which_and_why():
    g = tf.Graph()
    with g.as_default():
        x = tf1.placeholder(tf1.float32, [2], name="x")
        v = tf1.Variable([1.0, 2.0], name="v")
        step = tf1.assign_add(v, x)
        batch = tf1.data.Dataset.from_tensor_slices(np.zeros((4, 2), np.float32)) \
            .make_one_shot_iterator().get_next()
        init = tf1.global_variables_initializer()
    with tf1.Session(graph=g) as sess:
        sess.run(init)
        with pytest.raises(UnsupportedOpError, match=r"'AssignAdd'.*changes a variable"):
            export(sess, inputs=[x], outputs=[step])
        # an op with several outputs goes through the same check
        with pytest.raises(UnsupportedOpError, match=r"'IteratorGetNext'.*placeholder"):
            export(sess, inputs=[], outputs=[batch * 2.0])


@pytest.mark.parametrize("dtype", FLOATS)
def test_cumsum_and_einsum_export(dtype):
    """torch.cumsum (forward, and reversed as its gradient runs it) and torch.einsum."""
    from tinyflow.ops.cumulative import CumSum
    x = np.random.default_rng(5).normal(size=(3, 4)).astype(dtype)
    y = np.random.default_rng(6).normal(size=(4, 2)).astype(dtype)
    proto = check(lambda a: F.cumsum(a, 1) + CumSum.bind(a, axis=0, reverse=True), x)
    assert op_types(proto).count("CumSum") == 2
    proto = check(lambda a, b: F.einsum("ij,jk->ik", a, b) + F.einsum("ij->j", a)[:2], x, y)
    assert "Einsum" in op_types(proto)


def test_a_transposed_convolution_is_refused_saying_so():
    """ConvTranspose2d is built on Col2Im, which the export does not translate yet."""
    model = nn.Sequential(nn.ConvTranspose2d(2, 3, 2, stride=2))
    with pytest.raises(UnsupportedOpError, match="Col2Im.*transposed convolution"):
        export(model, tf.randn(1, 2, 4, 4))


def test_fill_exports_as_expand():
    """Fill: a value spread to a shape known when the graph runs (tf.zeros([tf.shape(x)[0],
    3]), cell.zero_state(batch, ...) in TensorFlow 1)."""
    from tinyflow.ops.fill import Fill
    x = np.random.default_rng(7).normal(size=(4, 2))
    proto = check(lambda a: Fill.bind(F.shape_of(a), np.float64(2.5)) * a, x)
    assert op_types(proto).count("Expand") == 1


def test_range_exports_as_onnx_range():
    """Range: tf.range(tf.shape(x)[0]), a length known when the graph runs."""
    from tinyflow.ops.fill import Range
    x = np.random.default_rng(8).normal(size=(5, 2))
    proto = check(lambda a: a * F.cast(F.expand_dims(Range.bind(np.int32(0),
                                                                 F.shape_of(a)[0], np.int32(1)), 1),
                                       a.dtype), x)
    assert "Range" in op_types(proto)
