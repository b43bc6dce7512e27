"""ONNX export: the exported file runs in onnxruntime and in onnx's reference
evaluator, and gives tinyflow's outputs (float64 exactly, float32 closely)."""
import sys

import numpy as np
import pytest

import onnx
import onnxruntime
from onnx.reference import ReferenceEvaluator

import tinyflow as tf
import tinyflow.compat.v1 as tf1
import tinyflow.nn as nn
from tinyflow import ops as F
from tinyflow.export.onnx import export, run, UnsupportedOpError
from tinyflow.tracing.jit import trace

from _models import cnn, data, eager, mlp

F64 = dict(rtol=0, atol=1e-12)
F32 = dict(rtol=1e-6, atol=1e-5)


def both_runtimes(path_or_model, feeds):
    """The first output from onnxruntime (CPU) and from onnx's ReferenceEvaluator."""
    if isinstance(path_or_model, onnx.ModelProto):
        payload, model = path_or_model.SerializeToString(), path_or_model
    else:
        payload, model = str(path_or_model), onnx.load(str(path_or_model))
    sess = onnxruntime.InferenceSession(payload, providers=["CPUExecutionProvider"])
    return sess.run(None, feeds)[0], ReferenceEvaluator(model).run(None, feeds)[0]


# --- the two lesson models ---------------------------------------------------------------

def test_digits_mlp_float64_is_exact_with_a_dynamic_batch(tmp_path):
    model = mlp().double()
    path = tmp_path / "mlp.onnx"
    proto = export(model, tf.tensor(data(4, 64, dtype=np.float64)), path,
                   dynamic_axes={"x": {0: "batch"}})
    assert proto.ir_version == 8 and proto.opset_import[0].version == 17
    assert [i.name for i in proto.graph.initializer] == ["0.weight", "0.bias", "2.weight",
                                                          "2.bias"]
    dims = proto.graph.input[0].type.tensor_type.shape.dim
    assert [d.dim_param or d.dim_value for d in dims] == ["batch", 64]
    x = data(7, 64, dtype=np.float64)
    want = eager(model, x)
    for got in both_runtimes(path, {"x": x}):
        assert got.shape == (7, 10)
        np.testing.assert_allclose(got, want, **F64)


def test_digits_mlp_float32_with_a_dynamic_batch(tmp_path):
    model = mlp()
    path = tmp_path / "mlp.onnx"
    export(model, tf.zeros(4, 64), path, input_names=["pixels"], output_names=["logits"],
           dynamic_axes={"pixels": {0: "batch"}, "logits": {0: "batch"}})
    x = data(7, 64)
    ort, ref = both_runtimes(path, {"pixels": x})
    np.testing.assert_allclose(ort, eager(model, x), **F32)
    np.testing.assert_allclose(ref, eager(model, x), **F32)
    out_dims = onnx.load(str(path)).graph.output[0].type.tensor_type.shape.dim
    assert out_dims[0].dim_param == "batch"


def test_small_cnn_matches_in_both_runtimes(tmp_path):
    model = cnn()
    path = tmp_path / "cnn.onnx"
    proto = export(model, tf.zeros(4, 1, 8, 8), path, dynamic_axes={"x": {0: "batch"}})
    assert [n.op_type for n in proto.graph.node] == [
        "Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Reshape", "Gemm"]
    x = data(7, 1, 8, 8)                       # exported with batch 4, run with batch 7
    for got in both_runtimes(path, {"x": x}):
        np.testing.assert_allclose(got, eager(model, x), **F32)


def test_small_cnn_float64_is_exact_in_the_reference_evaluator():
    # onnxruntime's CPU Conv is float32-only; onnx's reference evaluator runs float64.
    model = cnn().double()
    proto = export(model, np.zeros((4, 1, 8, 8)))
    x = data(4, 1, 8, 8, dtype=np.float64)
    np.testing.assert_allclose(run(proto, {"x": x}, runtime="reference")[0], eager(model, x),
                               **F64)


def test_the_checker_accepts_the_file(tmp_path):
    path = tmp_path / "m.onnx"
    export(cnn(), tf.zeros(2, 1, 8, 8), path)
    onnx.checker.check_model(onnx.load(str(path)), full_check=True)


# --- every primitive the lessons use ----------------------------------------------------------

class Mixed(nn.Module):
    """Linear, BatchNorm (eval), Dropout (eval), activations, elementwise and reductions."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(6, 5)
        self.bn = nn.BatchNorm1d(5)
        self.drop = nn.Dropout(0.3)
        self.out = nn.Linear(5, 3)

    def forward(self, x):
        h = self.drop(self.bn(self.fc(x)))
        a = F.tanh(h) + F.sigmoid(h) * 2.0 - F.exp(h) / (1.0 + F.abs(h))
        a = a + F.sqrt(h * h + 1.0) - F.log(1.0 + h * h) + F.maximum(h, 0.1) ** 2
        a = a + F.mean(h, 1, keepdims=True) + F.sum(h, 0) - F.max(h, 1, keepdims=True)
        return F.softmax(self.out(a), -1) + F.log_softmax(self.out(F.relu(a)), -1)


def test_a_model_using_every_lesson_primitive_float64():
    model = Mixed().double()
    model.train()
    model(tf.tensor(data(16, 6, dtype=np.float64, seed=3)))     # move the running statistics
    proto = export(model, tf.tensor(data(4, 6, dtype=np.float64)),
                   dynamic_axes={"x": {0: "batch"}})
    assert model.training                        # exporting does not change the module's mode
    x = data(7, 6, dtype=np.float64, seed=5)
    # F.sum(h, 0) reduces over the batch: the same batch must go in on both sides
    for got in both_runtimes(proto, {"x": x}):
        np.testing.assert_allclose(got, eager(model, x), **F64)


def test_indexing_shapes_and_comparisons_float64():
    @tf.function
    def f(x):
        a = x[:, 1:3] * x[0][1:3] + F.transpose(x)[2:4, ::2].sum() + x[..., None][:, -1, 0:1]
        b = F.reshape(x, (-1, 3, 2))
        c = F.concat([F.squeeze(F.expand_dims(x, 1), 1), -x], axis=1)
        second = F.cast(F.argmax(x, 1) == 1, x.dtype)[:, None]
        d = F.where(x > 0.5, x, F.clamp(x, -0.2, 0.3)) * second
        e = F.cast((x >= 0) & ~(x != x[::-1]) | (x < -1), x.dtype)
        e = e + F.logsumexp(x, 1, keepdims=True)
        return a, b * 2.0, c, d + e, F.argmax(x, None), x[np.array([2, 0, 2])]

    x = data(4, 6, dtype=np.float64)
    proto = export(f, x, output_names=["a", "b", "c", "de", "arg", "rows"])
    want = f(x)
    for runtime in ("onnxruntime", "reference"):
        got = run(proto, {"x": x}, runtime=runtime)
        assert len(got) == len(want)
        for g, w in zip(got, want):
            np.testing.assert_allclose(g, np.asarray(w.numpy()), **F64)


def test_opset_18_takes_reduction_axes_as_inputs():
    @tf.function
    def f(x):
        return F.mean(x, 1) + F.max(x, 1)

    x = data(3, 5)
    proto = export(f, x, opset=18)
    assert proto.opset_import[0].version == 18
    np.testing.assert_allclose(run(proto, {"x": x})[0], f(x).numpy(), **F32)
    with pytest.raises(ValueError, match="opset 11"):
        export(f, x, opset=11)


# --- other sources: functions, traces, graph mode ----------------------------------------

def test_a_tinyflow_function_and_a_traced_module_export():
    model = mlp()
    x = data(7, 64)

    @tf.function
    def predict(x):
        return F.softmax(model(x), -1)

    proto = export(predict, tf.zeros(4, 64), dynamic_axes={"x": {0: "batch"}})
    np.testing.assert_allclose(run(proto, {"x": x})[0], F.softmax(eager(model, x), -1), **F32)

    traced = trace(model, tf.zeros(4, 64))        # dynamic batch, named "batch"
    proto = export(traced)
    dims = proto.graph.input[0].type.tensor_type.shape.dim
    assert dims[0].dim_param == "batch"
    np.testing.assert_allclose(run(proto, {"x": x})[0], eager(model, x), **F32)


def test_a_graph_mode_session_exports_with_its_variable_values():
    tf1.reset_default_graph()
    x = tf1.placeholder(tf1.float64, [None, 4], name="x")
    w = tf1.Variable(data(4, 3, dtype=np.float64), name="dense/kernel")
    b = tf1.Variable(data(3, dtype=np.float64, seed=2), name="dense/bias")
    probs = tf1.nn.softmax(tf1.matmul(x, w) + b)
    with tf1.Session() as sess:
        sess.run(tf1.global_variables_initializer())
        proto = export(sess, inputs={"x": x}, outputs={"probs": probs})
        xs = data(5, 4, dtype=np.float64)
        want = sess.run(probs, {x: xs})
    assert {i.name for i in proto.graph.initializer} == {"dense/kernel", "dense/bias"}
    for got in both_runtimes(proto, {"x": xs}):
        np.testing.assert_allclose(got, want, **F64)


def test_a_tf1_cnn_in_tensorflows_layout_exports_between_transposes():
    # tf.nn.conv2d/max_pool/avg_pool are single NHWC ops (ops/layout.py); ONNX's are
    # NCHW, so each goes out between Transposes, its filter (kh, kw, C, O) turned too.
    tf1.reset_default_graph()
    x = tf1.placeholder(tf1.float32, [None, 6, 6, 2], name="x")
    w = tf1.Variable(data(3, 3, 2, 4), name="w")
    h = tf1.nn.relu(tf1.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding="SAME"))
    h = tf1.nn.max_pool(h, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID")
    y = tf1.nn.avg_pool(h, ksize=[1, 3, 3, 1], strides=[1, 1, 1, 1], padding="VALID")
    assert [op.type for op in tf1.get_default_graph().get_operations()
            if op.type in ("Conv2D", "MaxPool", "AvgPool", "Transpose")] == \
        ["Conv2D", "MaxPool", "AvgPool"]
    with tf1.Session() as sess:
        sess.run(tf1.global_variables_initializer())
        proto = export(sess, inputs={"x": x}, outputs={"y": y})
        xs = data(3, 6, 6, 2)
        want = sess.run(y, {x: xs})
    assert [n.op_type for n in proto.graph.node].count("Transpose") == 7
    for got in both_runtimes(proto, {"x": xs}):
        np.testing.assert_allclose(got, want, **F32)


def test_a_graph_without_variables_exports_with_an_example_dict():
    g = tf.Graph()
    with g.as_default():
        x = tf1.placeholder(tf1.float32, [None, 3], name="x")
        y = tf1.reduce_sum(tf1.square(x), axis=1)
    proto = export(g, {x: np.zeros((2, 3), np.float32)}, outputs=[y])
    assert [o.name for o in proto.graph.output] == [y.node.name]
    xs = data(4, 3)
    np.testing.assert_allclose(run(proto, {"x": xs})[0], (xs ** 2).sum(1), **F32)


def test_a_loaded_bundle_exports_its_serving_signature(tmp_path):
    from tinyflow import saved_model
    model = mlp()
    saved_model.save(trace(model, tf.zeros(2, 64)), tmp_path / "m", outputs=["logits"])
    proto = export(saved_model.load(tmp_path / "m"))
    assert [o.name for o in proto.graph.output] == ["logits"]
    x = data(3, 64)
    np.testing.assert_allclose(run(proto, {"x": x})[0], eager(model, x), **F32)


# --- errors ---------------------------------------------------------------------------------

def test_an_op_without_a_mapping_is_named():
    @tf.function
    def patches(x):
        return F.im2col(x, 2, 2, 1, 0)

    with pytest.raises(UnsupportedOpError, match="'Im2Col'"):
        export(patches, np.zeros((1, 1, 4, 4)))

    g = tf.Graph()
    with g.as_default():
        x = tf1.placeholder(tf1.float32, [2], name="x")
        y = x + tf1.random_normal([2])
    with pytest.raises(UnsupportedOpError, match="RandomStandardNormal"):
        export(g, inputs=[x], outputs=[y])


def test_the_missing_extra_is_named(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)       # makes `import onnx` fail
    with pytest.raises(ImportError, match=r"tinyflow-lab\[onnx\]"):
        export(mlp(), tf.zeros(1, 64))


def test_bad_arguments_say_what_is_wrong():
    model = mlp()
    with pytest.raises(TypeError, match="example_inputs"):
        export(model)
    with pytest.raises(ValueError, match="neither an input"):
        export(model, tf.zeros(2, 64), dynamic_axes={"input": {0: "batch"}})
    fixed = tf.function(lambda x: x * 2.0).get_concrete_function(tf.zeros(2, 3))
    with pytest.raises(ValueError, match="fixed to 2"):
        export(fixed, dynamic_axes={"arg0": {0: "batch"}})
    g = tf.Graph()
    with g.as_default():
        x = tf1.placeholder(tf1.float32, [2], name="x")
        v = tf1.Variable([1.0, 2.0], name="v")
        y = x * v
    with pytest.raises(ValueError, match="variable 'v' has no value"):
        export(g, inputs=[x], outputs=[y])
    with pytest.raises(ValueError, match="placeholder 'x'"):
        export(g, inputs=[], outputs=[x * 2.0])


@pytest.mark.parametrize("ta,tb", [(False, True), (True, False), (True, True)])
def test_transposed_matmuls_export_as_transpose_and_matmul(ta, tb):
    g = tf.Graph()
    with g.as_default():
        x = tf1.placeholder(tf1.float64, [2, 4, 3] if ta else [2, 3, 4], name="x")
        w = data(5, 4, dtype=np.float64) if tb else data(4, 5, dtype=np.float64)
        y = tf1.matmul(x, w, transpose_a=ta, transpose_b=tb)
    xs = data(2, 4, 3, dtype=np.float64) if ta else data(2, 3, 4, dtype=np.float64)
    want = np.matmul(xs.swapaxes(-1, -2) if ta else xs, w.T if tb else w)
    with tf1.Session(graph=g) as sess:
        np.testing.assert_allclose(sess.run(y, {x: xs}), want, **F64)
    proto = export(g, {x: xs}, outputs=[y])
    assert [n.op_type for n in proto.graph.node].count("Transpose") == ta + tb
    for got in both_runtimes(proto, {"x": xs}):
        np.testing.assert_allclose(got, want, **F64)


def test_a_dense_layer_with_a_transposed_kernel_fuses_into_gemm():
    g = tf.Graph()
    with g.as_default():
        x = tf1.placeholder(tf1.float64, [None, 4], name="x")
        w = data(3, 4, dtype=np.float64)           # (out, in), PyTorch's layout
        b = data(3, dtype=np.float64, seed=2)
        y = tf1.matmul(x, w, transpose_b=True) + b
    xs = data(5, 4, dtype=np.float64)
    proto = export(g, {x: xs}, outputs=[y])
    assert [n.op_type for n in proto.graph.node] == ["Gemm"]
    assert [a.i for a in proto.graph.node[0].attribute if a.name == "transB"] == [1]
    for got in both_runtimes(proto, {"x": xs}):
        np.testing.assert_allclose(got, xs @ w.T + b, **F64)
